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

macro_rules! builder_methods {
    () => {
        /// Sets the description.
        pub fn description(mut self, description: impl Into<String>) -> Self {
            self.description = Some(description.into());
            self
        }

        /// Adds a keyword or phrase.
        pub fn keyword(mut self, keyword: impl Into<String>) -> Self {
            self.keywords.push(keyword.into());
            self
        }

        /// Adds an example ticket.
        pub fn example(mut self, example: impl Into<String>) -> Self {
            self.examples.push(example.into());
            self
        }

        /// Adds an exclusion phrase.
        pub fn exclude(mut self, phrase: impl Into<String>) -> Self {
            self.exclude.push(phrase.into());
            self
        }
    };
}

impl Feature {
    /// A feature with an id and a name and nothing else.
    pub fn new(id: impl Into<String>, name: impl Into<String>) -> Feature {
        Feature {
            id: id.into(),
            name: name.into(),
            ..Feature::default()
        }
    }

    builder_methods!();
}

impl Capability {
    /// A capability with an id and a name and nothing else.
    pub fn new(id: impl Into<String>, name: impl Into<String>) -> Capability {
        Capability {
            id: id.into(),
            name: name.into(),
            ..Capability::default()
        }
    }

    builder_methods!();

    /// Adds a feature.
    pub fn feature(mut self, feature: Feature) -> Capability {
        self.features.push(feature);
        self
    }
}

impl Product {
    /// An English product with an id and a name and no capabilities.
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

    /// Sets the language.
    pub fn language(mut self, language: Language) -> Product {
        self.language = language;
        self
    }

    /// Sets the product's default threshold.
    pub fn threshold(mut self, threshold: f64) -> Product {
        self.threshold = Some(threshold);
        self
    }

    /// Adds a synonym group.
    pub fn synonyms<S: Into<String>>(mut self, group: impl IntoIterator<Item = S>) -> Product {
        self.synonyms
            .push(group.into_iter().map(Into::into).collect());
        self
    }

    /// Adds a capability.
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
    for (i, phrase) in exclude.iter().enumerate() {
        let epath = format!("{path}.exclude[{i}]");
        non_empty(phrase, &epath)?;
        let normal = normalise(phrase);
        if keywords.iter().any(|k| normalise(k) == normal) {
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
