//! The product model: product -> capabilities -> features.
//!
//! Plain serde data. A product read with serde is validated while it is read
//! (errors name the path, such as `capabilities[2].features[5].id`); a product
//! built in code is validated by [`Product::validate`] and again when it is
//! compiled into a [`Tagger`](crate::Tagger).

use indexmap::IndexMap;
use serde::{Deserialize, Serialize};

use crate::analysis::{Language, fold_into, words};
use crate::error::{Error, Result};

/// A product: the root of the hierarchy (DevRev calls it a "trail").
///
/// # JSON shape
///
/// ```json
/// {"id": "bank", "name": "Bank", "language": "english",
///  "capabilities": [{"id": "card", "name": "Card", "keywords": ["debit card"],
///    "features": [{"id": "card_arrival", "name": "Card arrival",
///                  "keywords": ["card not arrived", "card delivery"],
///                  "examples": ["Where is my new card?"],
///                  "exclude": ["credit card application"]}]}]}
/// ```
///
/// Only `id` and `name` are required on every node. Unknown fields are
/// rejected, so a misspelt `"keywrods"` is caught rather than ignored.
///
/// # Example
///
/// ```
/// use painpoint::{Capability, Feature, Product};
///
/// let json = r#"{"id": "bank", "name": "Bank", "capabilities": [
///   {"id": "card", "name": "Card", "features": [
///     {"id": "card_arrival", "name": "Card arrival", "examples": ["Where is my new card?"]}]}]}"#;
/// let product: Product = serde_json::from_str(json).unwrap();
/// assert_eq!(product.capabilities[0].features[0].id, "card_arrival");
///
/// // The same product, built in code.
/// let built = Product::new("bank", "Bank").capability(
///     Capability::new("card", "Card")
///         .feature(Feature::new("card_arrival", "Card arrival").example("Where is my new card?")),
/// );
/// assert_eq!(built, product);
///
/// // A duplicate id is reported with both paths.
/// let bad = r#"{"id": "p", "name": "P", "capabilities": [
///   {"id": "a", "name": "A", "features": [{"id": "a", "name": "A again"}]}]}"#;
/// let err = serde_json::from_str::<Product>(bad).unwrap_err();
/// assert!(err.to_string().starts_with(
///     r#"capabilities[0].features[0].id: duplicate id "a" (first at capabilities[0])"#));
/// ```
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(try_from = "RawProduct")]
#[non_exhaustive]
pub struct Product {
    /// Unique id.
    pub id: String,
    /// Display name.
    pub name: String,
    /// Free text about the product.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
    /// The language of the product's text and tickets (default English).
    #[serde(default)]
    pub language: Language,
    /// The minimum score for a match, overriding the tagger's default.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub threshold: Option<f64>,
    /// Groups of words or phrases that mean the same thing in this product,
    /// such as `["refund", "money back", "reimbursement"]`. Overlapping groups
    /// are merged.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub synonyms: Vec<Vec<String>>,
    /// Phrases that veto every match of a ticket (spam, auto-replies).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub exclude: Vec<String>,
    /// The capabilities, in display order.
    #[serde(default)]
    pub capabilities: Vec<Capability>,
}

/// A capability: a group of related features ("Payments", "Card").
///
/// It carries the same optional text as a feature; a ticket that matches a
/// capability's own words but none of its features gets a capability-level
/// match.
///
/// # Example
///
/// ```
/// use painpoint::{Capability, Feature};
///
/// let cap = Capability::new("card", "Card")
///     .keyword("debit card")
///     .feature(Feature::new("card_arrival", "Card arrival"));
/// assert_eq!(cap.features.len(), 1);
/// ```
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
#[non_exhaustive]
pub struct Capability {
    /// Unique id across the product.
    pub id: String,
    /// Display name; its words are evidence too.
    pub name: String,
    /// Free text; its words are weak evidence.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
    /// Words or phrases that point to this node.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub keywords: Vec<String>,
    /// Sample tickets about this node (few-shot learning).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub examples: Vec<String>,
    /// Phrases that veto a match of this node.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub exclude: Vec<String>,
    /// The features of this capability.
    #[serde(default)]
    pub features: Vec<Feature>,
}

/// A feature: the unit tickets are tagged with ("Card arrival").
///
/// # Example
///
/// ```
/// use painpoint::Feature;
///
/// let feature = Feature::new("export", "Export")
///     .keyword("export to csv")
///     .example("The CSV download button does nothing")
///     .exclude("import");
/// assert_eq!(feature.keywords, ["export to csv"]);
/// ```
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
#[non_exhaustive]
pub struct Feature {
    /// Unique id across the product.
    pub id: String,
    /// Display name; its words are evidence too.
    pub name: String,
    /// Free text; its words are weak evidence.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
    /// Words or phrases that point to this feature.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub keywords: Vec<String>,
    /// Sample tickets about this feature (few-shot learning).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub examples: Vec<String>,
    /// Phrases that veto a match of this feature.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub exclude: Vec<String>,
}

/// The serde shape of a product before validation.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawProduct {
    id: String,
    name: String,
    #[serde(default)]
    description: Option<String>,
    #[serde(default)]
    language: Option<String>,
    #[serde(default)]
    threshold: Option<f64>,
    #[serde(default)]
    synonyms: Vec<Vec<String>>,
    #[serde(default)]
    exclude: Vec<String>,
    #[serde(default)]
    capabilities: Vec<Capability>,
}

impl TryFrom<RawProduct> for Product {
    type Error = Error;

    fn try_from(raw: RawProduct) -> Result<Product> {
        let language = match raw.language {
            None => Language::default(),
            Some(name) => Language::parse_at(&name, "language")?,
        };
        let product = Product {
            id: raw.id,
            name: raw.name,
            description: raw.description,
            language,
            threshold: raw.threshold,
            synonyms: raw.synonyms,
            exclude: raw.exclude,
            capabilities: raw.capabilities,
        };
        product.validate()?;
        Ok(product)
    }
}

/// The text builders shared by [`Capability`] and [`Feature`]; `$node` names
/// the type in the doc examples.
macro_rules! builder_methods {
    ($node:ident) => {
        /// Sets the description (replacing any earlier one). Its words are
        /// weak evidence for the node.
        ///
        /// ```
        #[doc = concat!("use painpoint::", stringify!($node), ";")]
        ///
        #[doc = concat!("let node = ", stringify!($node), "::new(\"export\", \"Export\")")]
        ///     .description("first draft")
        ///     .description("Getting data out: CSV, Excel, the API");
        /// assert_eq!(node.description.as_deref(), Some("Getting data out: CSV, Excel, the API"));
        /// ```
        pub fn description(mut self, description: impl Into<String>) -> Self {
            self.description = Some(description.into());
            self
        }

        /// Adds a keyword or phrase (kept in the order added). A multi-word
        /// keyword found whole, in order, in a ticket is a phrase match.
        ///
        /// ```
        #[doc = concat!("use painpoint::", stringify!($node), ";")]
        ///
        #[doc = concat!("let node = ", stringify!($node), "::new(\"export\", \"Export\")")]
        ///     .keyword("export to csv")
        ///     .keyword("download");
        /// assert_eq!(node.keywords, ["export to csv", "download"]);
        /// ```
        pub fn keyword(mut self, keyword: impl Into<String>) -> Self {
            self.keywords.push(keyword.into());
            self
        }

        /// Adds an example ticket (few-shot learning: tickets like it score
        /// high for this node).
        ///
        /// ```
        #[doc = concat!("use painpoint::", stringify!($node), ";")]
        ///
        #[doc = concat!("let node = ", stringify!($node), "::new(\"export\", \"Export\")")]
        ///     .example("The CSV download button does nothing")
        ///     .example("Can I get my data out as Excel?");
        /// assert_eq!(node.examples.len(), 2);
        /// assert_eq!(node.examples[0], "The CSV download button does nothing");
        /// ```
        pub fn example(mut self, example: impl Into<String>) -> Self {
            self.examples.push(example.into());
            self
        }

        /// Adds an exclusion phrase: a ticket containing it never matches
        /// this node. An exclusion equal to one of the node's keywords (after
        /// case folding) is an error of [`Product::validate`].
        ///
        /// ```
        #[doc = concat!("use painpoint::", stringify!($node), ";")]
        ///
        #[doc = concat!("let node = ", stringify!($node), "::new(\"export\", \"Export\")")]
        ///     .keyword("export")
        ///     .exclude("import");
        /// assert_eq!(node.exclude, ["import"]);
        /// ```
        pub fn exclude(mut self, phrase: impl Into<String>) -> Self {
            self.exclude.push(phrase.into());
            self
        }
    };
}

impl Feature {
    /// A feature with an id and a name and nothing else.
    ///
    /// The id is what matches and roadmap items report; the name's words are
    /// evidence, so a feature with only a good name can already match.
    ///
    /// ```
    /// use painpoint::{Capability, Feature, Product, Tagger};
    ///
    /// let refunds = Feature::new("refunds", "Refunds");
    /// assert!(refunds.keywords.is_empty() && refunds.examples.is_empty());
    ///
    /// let product = Product::new("p", "P").capability(Capability::new("billing", "Billing").feature(refunds));
    /// let tagger = Tagger::new(&product).unwrap();
    /// assert_eq!(tagger.tag_text("I want a refund").best().unwrap().node(), "refunds");
    /// ```
    pub fn new(id: impl Into<String>, name: impl Into<String>) -> Feature {
        Feature {
            id: id.into(),
            name: name.into(),
            ..Feature::default()
        }
    }

    builder_methods!(Feature);
}

impl Capability {
    /// A capability with an id and a name and nothing else.
    ///
    /// ```
    /// use painpoint::Capability;
    ///
    /// let card = Capability::new("card", "Card");
    /// assert_eq!((card.id.as_str(), card.name.as_str()), ("card", "Card"));
    /// assert!(card.features.is_empty() && card.keywords.is_empty());
    /// ```
    pub fn new(id: impl Into<String>, name: impl Into<String>) -> Capability {
        Capability {
            id: id.into(),
            name: name.into(),
            ..Capability::default()
        }
    }

    builder_methods!(Capability);

    /// Adds a feature, after those already added (features keep their
    /// order; ties between equal scores are broken by it).
    ///
    /// ```
    /// use painpoint::{Capability, Feature};
    ///
    /// let card = Capability::new("card", "Card")
    ///     .feature(Feature::new("card_arrival", "Card arrival"))
    ///     .feature(Feature::new("card_pin", "Card PIN"));
    /// let ids: Vec<&str> = card.features.iter().map(|f| f.id.as_str()).collect();
    /// assert_eq!(ids, ["card_arrival", "card_pin"]);
    /// ```
    pub fn feature(mut self, feature: Feature) -> Capability {
        self.features.push(feature);
        self
    }
}

impl Product {
    /// An English product with an id and a name and no capabilities.
    ///
    /// ```
    /// use painpoint::{Language, Product};
    ///
    /// let product = Product::new("bank", "Bank");
    /// assert_eq!(product.language, Language::English);
    /// assert_eq!((product.threshold, product.node_count()), (None, 0));
    /// ```
    pub fn new(id: impl Into<String>, name: impl Into<String>) -> Product {
        Product {
            id: id.into(),
            name: name.into(),
            description: None,
            language: Language::default(),
            threshold: None,
            synonyms: Vec::new(),
            exclude: Vec::new(),
            capabilities: Vec::new(),
        }
    }

    /// Sets the language: its stemmer and stop words are used for the
    /// product's texts and for every ticket tagged with it.
    ///
    /// ```
    /// use painpoint::{Language, Product};
    ///
    /// let product = Product::new("bank", "Bank").language(Language::German);
    /// assert_eq!(product.language, Language::German);
    /// assert!(serde_json::to_string(&product).unwrap().contains(r#""language":"german""#));
    /// ```
    pub fn language(mut self, language: Language) -> Product {
        self.language = language;
        self
    }

    /// Sets the product's default threshold: the minimum score of a match
    /// when the [`TaggerConfig`](crate::TaggerConfig) sets none. It must be
    /// a number in `[0, 1]` ([`Product::validate`] checks).
    ///
    /// ```
    /// use painpoint::{Product, Tagger, TaggerConfig};
    ///
    /// let product = Product::new("p", "P").threshold(0.5);
    /// assert_eq!(Tagger::new(&product).unwrap().threshold(), 0.5);
    /// // The configuration's threshold wins over the product's.
    /// let tagger = Tagger::builder().config(TaggerConfig::default().threshold(0.2)).build(&product).unwrap();
    /// assert_eq!(tagger.threshold(), 0.2);
    /// assert!(Product::new("p", "P").threshold(1.5).validate().is_err());
    /// ```
    pub fn threshold(mut self, threshold: f64) -> Product {
        self.threshold = Some(threshold);
        self
    }

    /// Adds a synonym group: words or phrases that mean the same thing in
    /// this product. Groups that share a member are merged when compiled.
    ///
    /// ```
    /// use painpoint::{Capability, Feature, How, Product, Tagger};
    ///
    /// let product = Product::new("shop", "Shop")
    ///     .synonyms(["refund", "reimbursement", "money back"])
    ///     .capability(Capability::new("billing", "Billing").feature(Feature::new("refunds", "Refunds").keyword("refund")));
    /// assert_eq!(product.synonyms, [["refund", "reimbursement", "money back"]]);
    ///
    /// let tagger = Tagger::new(&product).unwrap();
    /// let tagged = tagger.tag_text("I want a reimbursement");
    /// assert_eq!(tagged.best().unwrap().node(), "refunds");
    /// assert_eq!(tagged.best().unwrap().evidence[0].how, How::Synonym);
    /// assert_eq!(tagger.tag_text("I want my money back").best().unwrap().node(), "refunds");
    /// ```
    pub fn synonyms<S: Into<String>>(mut self, group: impl IntoIterator<Item = S>) -> Product {
        self.synonyms
            .push(group.into_iter().map(Into::into).collect());
        self
    }

    /// Adds a capability, after those already added (display order).
    ///
    /// ```
    /// use painpoint::{Capability, Product};
    ///
    /// let product = Product::new("bank", "Bank")
    ///     .capability(Capability::new("card", "Card"))
    ///     .capability(Capability::new("transfers", "Transfers"));
    /// let ids: Vec<&str> = product.capabilities.iter().map(|c| c.id.as_str()).collect();
    /// assert_eq!(ids, ["card", "transfers"]);
    /// ```
    pub fn capability(mut self, capability: Capability) -> Product {
        self.capabilities.push(capability);
        self
    }

    /// The number of capabilities plus features.
    ///
    /// ```
    /// use painpoint::{Capability, Feature, Product};
    /// let p = Product::new("p", "P").capability(Capability::new("c", "C").feature(Feature::new("f", "F")));
    /// assert_eq!(p.node_count(), 2);
    /// ```
    pub fn node_count(&self) -> usize {
        self.capabilities.len()
            + self
                .capabilities
                .iter()
                .map(|c| c.features.len())
                .sum::<usize>()
    }

    /// Checks every rule a product must follow and returns the first broken
    /// one, naming its path.
    ///
    /// Rules: ids and names are not empty; ids are unique across capabilities
    /// and features; keywords, examples, exclusions and synonyms are not
    /// empty; no exclusion equals (after case folding) a keyword of the same
    /// node; the threshold is a finite number in `[0, 1]`.
    ///
    /// Cost: linear in the size of the product.
    ///
    /// ```
    /// use painpoint::{Capability, Feature, Product};
    ///
    /// let p = Product::new("p", "P").capability(
    ///     Capability::new("c", "C").feature(Feature::new("f", "F").keyword("Export").exclude("export")),
    /// );
    /// assert_eq!(
    ///     p.validate().unwrap_err().to_string(),
    ///     r#"capabilities[0].features[0].exclude[0]: exclusion "export" is also a keyword of this node"#
    /// );
    /// ```
    pub fn validate(&self) -> Result<()> {
        non_empty(&self.id, "id")?;
        non_empty(&self.name, "name")?;
        if let Some(threshold) = self.threshold {
            check_unit(threshold, "threshold")?;
        }
        for (g, group) in self.synonyms.iter().enumerate() {
            for (i, word) in group.iter().enumerate() {
                non_empty(word, &format!("synonyms[{g}][{i}]"))?;
            }
        }
        for (i, phrase) in self.exclude.iter().enumerate() {
            non_empty(phrase, &format!("exclude[{i}]"))?;
        }
        let mut seen: IndexMap<&str, String> = IndexMap::new();
        for (c, cap) in self.capabilities.iter().enumerate() {
            let path = format!("capabilities[{c}]");
            check_node(
                &path,
                &cap.id,
                &cap.name,
                &cap.keywords,
                &cap.examples,
                &cap.exclude,
            )?;
            unique(&mut seen, &cap.id, &path)?;
            for (f, feature) in cap.features.iter().enumerate() {
                let path = format!("capabilities[{c}].features[{f}]");
                check_node(
                    &path,
                    &feature.id,
                    &feature.name,
                    &feature.keywords,
                    &feature.examples,
                    &feature.exclude,
                )?;
                unique(&mut seen, &feature.id, &path)?;
            }
        }
        Ok(())
    }
}

fn non_empty(value: &str, path: &str) -> Result<()> {
    if value.trim().is_empty() {
        return Err(Error::Empty {
            path: path.to_string(),
        });
    }
    Ok(())
}

pub(crate) fn check_unit(value: f64, path: &str) -> Result<()> {
    if !(0.0..=1.0).contains(&value) {
        return Err(Error::BadNumber {
            path: path.to_string(),
            value: value.to_string(),
            rule: "a finite number in [0, 1]",
        });
    }
    Ok(())
}

fn unique<'a>(seen: &mut IndexMap<&'a str, String>, id: &'a str, path: &str) -> Result<()> {
    if let Some(first) = seen.get(id) {
        return Err(Error::DuplicateId {
            path: format!("{path}.id"),
            id: crate::error::clip(id, 80),
            first: first.clone(),
        });
    }
    seen.insert(id, path.to_string());
    Ok(())
}

fn check_node(
    path: &str,
    id: &str,
    name: &str,
    keywords: &[String],
    examples: &[String],
    exclude: &[String],
) -> Result<()> {
    non_empty(id, &format!("{path}.id"))?;
    non_empty(name, &format!("{path}.name"))?;
    for (i, keyword) in keywords.iter().enumerate() {
        non_empty(keyword, &format!("{path}.keywords[{i}]"))?;
    }
    for (i, example) in examples.iter().enumerate() {
        non_empty(example, &format!("{path}.examples[{i}]"))?;
    }
    // Each keyword normalised once and looked up by each exclusion: linear,
    // however many of both a node has.
    let mut normal_keywords: Vec<String> = Vec::new();
    if !exclude.is_empty() {
        normal_keywords = keywords.iter().map(|k| normalise(k)).collect();
        normal_keywords.sort_unstable();
    }
    for (i, phrase) in exclude.iter().enumerate() {
        let epath = format!("{path}.exclude[{i}]");
        non_empty(phrase, &epath)?;
        if normal_keywords.binary_search(&normalise(phrase)).is_ok() {
            return Err(Error::ExclusionIsKeyword {
                path: epath,
                value: crate::error::clip(phrase, 80),
            });
        }
    }
    Ok(())
}

/// Folded words joined by single spaces: "Export  CSV!" -> "export csv".
fn normalise(text: &str) -> String {
    let mut out = String::new();
    for span in words(text) {
        if !out.is_empty() {
            out.push(' ');
        }
        fold_into(&text[span.range()], &mut out);
    }
    out
}
