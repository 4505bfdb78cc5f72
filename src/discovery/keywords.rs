//! Keyword advice: words that set a feature apart from its siblings, and
//! keywords that never fire or fire everywhere.
//!
//! # Method
//!
//! Tickets (subject and body, the body's email boilerplate left out) are
//! labelled with a feature: the tagger's best match
//! ([`KeywordAdvisor::advise`]) or an agent's confirmed label
//! ([`KeywordAdvisor::advise_labeled`]). For each feature `f` and each
//! content stem `w`, presence counts in `f`'s tickets and in its siblings'
//! tickets (the other features of its capability; all other features when it
//! has none) give a log-odds ratio with an informative Dirichlet prior
//! (Monroe, Colaresi and Quinn 2008, "Fightin' Words"), here a Beta prior
//! `(a p_w, a (1 - p_w))` with `p_w` the share of all labelled tickets
//! using `w` and `a` = [`KeywordConfig::prior`]:
//!
//! ```text
//! delta = logit((y_f + a p) / (n_f + a)) - logit((y_s + a p) / (n_s + a))
//! z     = delta / sqrt(1 / (y_f + a p) + 1 / (y_s + a p))
//! ```
//!
//! Stems with `z >= min_z`, used by at least `min_count` tickets of `f` and
//! not yet among the feature's own words are suggested, shown as their most
//! frequent surface word.
//!
//! A keyword *fires* on a ticket when its stems occur in order in the
//! ticket's stems, or when the tagger cites it as evidence. A keyword that
//! fires on no ticket is reported as never firing; one that fires on at
//! least `min_count` tickets spread over `broad_features` or more features,
//! with under half of them labelled with its own feature, as too broad.
//!
//! # Cost
//!
//! Linear in the total length of the tickets (each ticket word is checked
//! against the keywords that start with its stem, and each keyword the
//! tagger cited against its own entry, never against every keyword of the
//! product), plus the distinct stems of each feature's tickets (a feature's
//! siblings' counts are its capability's less its own).

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use super::{FxMap, Prep, TaggedPair, canonical};
use crate::analysis::Language;
use crate::error::{Error, Result};
use crate::product::Product;
use crate::tagged::Source;
use crate::ticket::Ticket;

/// Settings of a [`KeywordAdvisor`], with safe defaults.
///
/// ```
/// use painpoint::discovery::KeywordConfig;
/// let config = KeywordConfig::default().min_count(5);
/// assert_eq!(config.min_count, 5);
/// ```
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct KeywordConfig {
    /// The least tickets of the feature using a suggested word, and of a
    /// keyword firing before it can be called too broad (default 3).
    pub min_count: usize,
    /// The least z-score of a suggestion (default 1.96).
    pub min_z: f64,
    /// The strength `a` of the prior (default 10).
    pub prior: f64,
    /// Suggestions per feature (default 10).
    pub max_suggestions: usize,
    /// Features a keyword must fire across to be too broad (default 3).
    pub broad_features: usize,
    /// Words read per ticket (default 512).
    pub max_tokens: usize,
}

impl Default for KeywordConfig {
    fn default() -> KeywordConfig {
        KeywordConfig {
            min_count: 3,
            min_z: 1.96,
            prior: 10.0,
            max_suggestions: 10,
            broad_features: 3,
            max_tokens: 512,
        }
    }
}

impl KeywordConfig {
    /// Sets the least count: of a feature's tickets using a suggested
    /// word, and of labelled tickets a keyword fires on before it can be
    /// called too broad.
    ///
    /// ```
    /// # use painpoint::discovery::{KeywordAdvisor, KeywordConfig};
    /// # use painpoint::{Capability, Feature, Product, Ticket};
    /// # let product = Product::new("app", "App").capability(
    /// #     Capability::new("data", "Data")
    /// #         .feature(Feature::new("export", "Export").keyword("app").keyword("export to csv").keyword("spreadsheet download"))
    /// #         .feature(Feature::new("import", "Import").keyword("import from csv"))
    /// #         .feature(Feature::new("login", "Login").keyword("cannot log in")),
    /// # );
    /// # let mut labelled = Vec::new();
    /// # for i in 0..4 {
    /// #     labelled.push((Ticket::new(format!("e{i}"), "the app fails to export to csv, file is truncated"), "export"));
    /// #     labelled.push((Ticket::new(format!("i{i}"), "the app fails to import from csv, columns are shifted"), "import"));
    /// #     labelled.push((Ticket::new(format!("l{i}"), "the app says I cannot log in, password rejected"), "login"));
    /// # }
    /// // Features export ("app", "export to csv", "spreadsheet download"), import and
    /// // login, 4 labelled tickets each: "the app fails to export to csv, file is
    /// // truncated", "... import from csv, columns are shifted", "the app says I cannot
    /// // log in, password rejected".
    /// let advise = |config: KeywordConfig| {
    ///     let advisor = KeywordAdvisor::with_config(&product, config).unwrap();
    ///     advisor.advise_labeled(labelled.iter().map(|(t, f)| (t, *f)))
    /// };
    /// // Every word of "export" is used by its 4 tickets.
    /// let default = advise(KeywordConfig::default()); // 3
    /// assert!(default.features[0].suggestions.iter().any(|s| s.keyword == "truncated"));
    /// assert!(advise(KeywordConfig::default().min_count(5)).features[0].suggestions.is_empty());
    /// ```
    pub fn min_count(mut self, count: usize) -> KeywordConfig {
        self.min_count = count;
        self
    }

    /// Sets the least z-score: higher asks for more evidence (more
    /// tickets, fewer sibling uses) before suggesting a word.
    ///
    /// ```
    /// # use painpoint::discovery::{KeywordAdvisor, KeywordConfig};
    /// # use painpoint::{Capability, Feature, Product, Ticket};
    /// # let product = Product::new("app", "App").capability(
    /// #     Capability::new("data", "Data")
    /// #         .feature(Feature::new("export", "Export").keyword("app").keyword("export to csv").keyword("spreadsheet download"))
    /// #         .feature(Feature::new("import", "Import").keyword("import from csv"))
    /// #         .feature(Feature::new("login", "Login").keyword("cannot log in")),
    /// # );
    /// # let mut labelled = Vec::new();
    /// # for i in 0..4 {
    /// #     labelled.push((Ticket::new(format!("e{i}"), "the app fails to export to csv, file is truncated"), "export"));
    /// #     labelled.push((Ticket::new(format!("i{i}"), "the app fails to import from csv, columns are shifted"), "import"));
    /// #     labelled.push((Ticket::new(format!("l{i}"), "the app says I cannot log in, password rejected"), "login"));
    /// # }
    /// // Features export ("app", "export to csv", "spreadsheet download"), import and
    /// // login, 4 labelled tickets each: "the app fails to export to csv, file is
    /// // truncated", "... import from csv, columns are shifted", "the app says I cannot
    /// // log in, password rejected".
    /// let advise = |config: KeywordConfig| {
    ///     let advisor = KeywordAdvisor::with_config(&product, config).unwrap();
    ///     advisor.advise_labeled(labelled.iter().map(|(t, f)| (t, *f)))
    /// };
    /// let default = advise(KeywordConfig::default()); // 1.96
    /// assert!(default.features.iter().all(|f| f.suggestions.iter().all(|s| s.z >= 1.96)));
    /// assert!(!default.features[0].suggestions.is_empty());
    /// let strict = advise(KeywordConfig::default().min_z(10.0));
    /// assert!(strict.features.iter().all(|f| f.suggestions.is_empty()));
    /// ```
    pub fn min_z(mut self, z: f64) -> KeywordConfig {
        self.min_z = z;
        self
    }
}

/// A word that would help a feature.
///
/// ```
/// # use painpoint::discovery::{KeywordAdvisor, KeywordConfig};
/// # use painpoint::{Capability, Feature, Product, Ticket};
/// # let product = Product::new("app", "App").capability(
/// #     Capability::new("data", "Data")
/// #         .feature(Feature::new("export", "Export").keyword("app").keyword("export to csv").keyword("spreadsheet download"))
/// #         .feature(Feature::new("import", "Import").keyword("import from csv"))
/// #         .feature(Feature::new("login", "Login").keyword("cannot log in")),
/// # );
/// # let mut labelled = Vec::new();
/// # for i in 0..4 {
/// #     labelled.push((Ticket::new(format!("e{i}"), "the app fails to export to csv, file is truncated"), "export"));
/// #     labelled.push((Ticket::new(format!("i{i}"), "the app fails to import from csv, columns are shifted"), "import"));
/// #     labelled.push((Ticket::new(format!("l{i}"), "the app says I cannot log in, password rejected"), "login"));
/// # }
/// // Features export ("app", "export to csv", "spreadsheet download"), import and
/// // login, 4 labelled tickets each: "the app fails to export to csv, file is
/// // truncated", "... import from csv, columns are shifted", "the app says I cannot
/// // log in, password rejected".
/// let report = KeywordAdvisor::new(&product).advise_labeled(labelled.iter().map(|(t, f)| (t, *f)));
/// let export = &report.features[0];
/// let truncated = export.suggestions.iter().find(|s| s.keyword == "truncated").unwrap();
/// assert_eq!((truncated.count, truncated.sibling_count), (4, 0));
/// assert!(truncated.z >= KeywordConfig::default().min_z);
/// // "fails" is in every feature's tickets: it sets none apart.
/// assert!(report.features.iter().all(|f| f.suggestions.iter().all(|s| s.keyword != "fails")));
/// ```
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct KeywordSuggestion {
    /// The word, as customers most often write it.
    pub keyword: String,
    /// The z-score of its log-odds ratio against the siblings.
    pub z: f64,
    /// The feature's tickets using it.
    pub count: usize,
    /// The siblings' tickets using it.
    pub sibling_count: usize,
}

/// A keyword that fires across many features.
///
/// ```
/// # use painpoint::discovery::{KeywordAdvisor, KeywordConfig};
/// # use painpoint::{Capability, Feature, Product, Ticket};
/// # let product = Product::new("app", "App").capability(
/// #     Capability::new("data", "Data")
/// #         .feature(Feature::new("export", "Export").keyword("app").keyword("export to csv").keyword("spreadsheet download"))
/// #         .feature(Feature::new("import", "Import").keyword("import from csv"))
/// #         .feature(Feature::new("login", "Login").keyword("cannot log in")),
/// # );
/// # let mut labelled = Vec::new();
/// # for i in 0..4 {
/// #     labelled.push((Ticket::new(format!("e{i}"), "the app fails to export to csv, file is truncated"), "export"));
/// #     labelled.push((Ticket::new(format!("i{i}"), "the app fails to import from csv, columns are shifted"), "import"));
/// #     labelled.push((Ticket::new(format!("l{i}"), "the app says I cannot log in, password rejected"), "login"));
/// # }
/// // Features export ("app", "export to csv", "spreadsheet download"), import and
/// // login, 4 labelled tickets each: "the app fails to export to csv, file is
/// // truncated", "... import from csv, columns are shifted", "the app says I cannot
/// // log in, password rejected".
/// let report = KeywordAdvisor::new(&product).advise_labeled(labelled.iter().map(|(t, f)| (t, *f)));
/// // "app" (a keyword of export) is in every ticket, whatever its feature.
/// let broad = &report.features[0].too_broad[0];
/// assert_eq!((broad.keyword.as_str(), broad.fires), ("app", 12));
/// assert!((broad.own_share - 1.0 / 3.0).abs() < 1e-3);
/// assert_eq!(broad.features.len(), 3);
/// assert!(broad.features.iter().all(|(_, n)| *n == 4));
/// ```
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct BroadKeyword {
    /// The keyword, as written in the product.
    pub keyword: String,
    /// The labelled tickets it fires on.
    pub fires: usize,
    /// The share of those labelled with its own feature.
    pub own_share: f64,
    /// Tickets it fires on per feature, most first (at most five).
    pub features: Vec<(String, usize)>,
}

/// Advice for one feature.
///
/// ```
/// # use painpoint::discovery::{KeywordAdvisor, KeywordConfig};
/// # use painpoint::{Capability, Feature, Product, Ticket};
/// # let product = Product::new("app", "App").capability(
/// #     Capability::new("data", "Data")
/// #         .feature(Feature::new("export", "Export").keyword("app").keyword("export to csv").keyword("spreadsheet download"))
/// #         .feature(Feature::new("import", "Import").keyword("import from csv"))
/// #         .feature(Feature::new("login", "Login").keyword("cannot log in")),
/// # );
/// # let mut labelled = Vec::new();
/// # for i in 0..4 {
/// #     labelled.push((Ticket::new(format!("e{i}"), "the app fails to export to csv, file is truncated"), "export"));
/// #     labelled.push((Ticket::new(format!("i{i}"), "the app fails to import from csv, columns are shifted"), "import"));
/// #     labelled.push((Ticket::new(format!("l{i}"), "the app says I cannot log in, password rejected"), "login"));
/// # }
/// // Features export ("app", "export to csv", "spreadsheet download"), import and
/// // login, 4 labelled tickets each: "the app fails to export to csv, file is
/// // truncated", "... import from csv, columns are shifted", "the app says I cannot
/// // log in, password rejected".
/// let report = KeywordAdvisor::new(&product).advise_labeled(labelled.iter().map(|(t, f)| (t, *f)));
/// let export = &report.features[0];
/// assert_eq!((export.feature.as_str(), export.tickets), ("export", 4));
/// assert!(export.suggestions.iter().any(|s| s.keyword == "truncated"));
/// assert_eq!(export.never_fire, ["spreadsheet download"]);
/// assert_eq!(export.too_broad[0].keyword, "app");
/// let login = &report.features[2];
/// assert!(login.never_fire.is_empty() && login.too_broad.is_empty());
/// ```
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct FeatureKeywords {
    /// The feature's id.
    pub feature: String,
    /// The tickets labelled with it.
    pub tickets: usize,
    /// Words to consider adding, strongest first.
    pub suggestions: Vec<KeywordSuggestion>,
    /// Keywords that fired on no ticket at all.
    pub never_fire: Vec<String>,
    /// Keywords that fire across many features.
    pub too_broad: Vec<BroadKeyword>,
}

/// Keyword advice for every feature, in product order.
///
/// ```
/// # use painpoint::discovery::{KeywordAdvisor, KeywordConfig};
/// # use painpoint::{Capability, Feature, Product, Ticket};
/// # let product = Product::new("app", "App").capability(
/// #     Capability::new("data", "Data")
/// #         .feature(Feature::new("export", "Export").keyword("app").keyword("export to csv").keyword("spreadsheet download"))
/// #         .feature(Feature::new("import", "Import").keyword("import from csv"))
/// #         .feature(Feature::new("login", "Login").keyword("cannot log in")),
/// # );
/// # let mut labelled = Vec::new();
/// # for i in 0..4 {
/// #     labelled.push((Ticket::new(format!("e{i}"), "the app fails to export to csv, file is truncated"), "export"));
/// #     labelled.push((Ticket::new(format!("i{i}"), "the app fails to import from csv, columns are shifted"), "import"));
/// #     labelled.push((Ticket::new(format!("l{i}"), "the app says I cannot log in, password rejected"), "login"));
/// # }
/// // Features export ("app", "export to csv", "spreadsheet download"), import and
/// // login, 4 labelled tickets each: "the app fails to export to csv, file is
/// // truncated", "... import from csv, columns are shifted", "the app says I cannot
/// // log in, password rejected".
/// let mut tickets: Vec<(&Ticket, &str)> = labelled.iter().map(|(t, f)| (t, *f)).collect();
/// let stray = Ticket::new("x", "the app fails");
/// tickets.push((&stray, "billing")); // no such feature: read, not labelled
/// let report = KeywordAdvisor::new(&product).advise_labeled(tickets);
/// assert_eq!((report.tickets, report.labelled), (13, 12));
/// let ids: Vec<&str> = report.features.iter().map(|f| f.feature.as_str()).collect();
/// assert_eq!(ids, ["export", "import", "login"]);
/// ```
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct KeywordReport {
    /// The tickets read.
    pub tickets: usize,
    /// The tickets with a feature label.
    pub labelled: usize,
    /// One entry per feature of the product.
    pub features: Vec<FeatureKeywords>,
}

/// Suggests discriminating keywords and flags useless ones.
///
/// # Example
///
/// ```
/// use painpoint::discovery::KeywordAdvisor;
/// use painpoint::{Capability, Feature, Product, Ticket};
///
/// let product = Product::new("bank", "Bank").capability(
///     Capability::new("card", "Card")
///         .feature(Feature::new("arrival", "Card arrival").keyword("card tracking"))
///         .feature(Feature::new("pin", "Change PIN").keyword("card")),
/// );
/// let mut labelled = Vec::new();
/// for i in 0..6 {
///     labelled.push((Ticket::new(format!("a{i}"), "my card was never delivered"), "arrival"));
///     labelled.push((Ticket::new(format!("p{i}"), "how do I reset the pin of my card"), "pin"));
/// }
/// let advisor = KeywordAdvisor::new(&product);
/// let report = advisor.advise_labeled(labelled.iter().map(|(t, f)| (t, *f)));
/// let arrival = &report.features[0];
/// assert_eq!(arrival.suggestions[0].keyword, "delivered");
/// assert_eq!(arrival.never_fire, ["card tracking"]);
/// ```
#[derive(Debug, Clone)]
pub struct KeywordAdvisor {
    language: Language,
    config: KeywordConfig,
    /// (feature id, capability index, keywords, own text) in product order.
    features: Vec<(String, usize, Vec<String>, Vec<String>)>,
}

impl KeywordAdvisor {
    /// An advisor for the product with the default configuration. Cost
    /// linear in the product's keywords.
    ///
    /// ```
    /// # use painpoint::discovery::{KeywordAdvisor, KeywordConfig};
    /// # use painpoint::{Capability, Feature, Product, Ticket};
    /// # let product = Product::new("app", "App").capability(
    /// #     Capability::new("data", "Data")
    /// #         .feature(Feature::new("export", "Export").keyword("app").keyword("export to csv").keyword("spreadsheet download"))
    /// #         .feature(Feature::new("import", "Import").keyword("import from csv"))
    /// #         .feature(Feature::new("login", "Login").keyword("cannot log in")),
    /// # );
    /// # let mut labelled = Vec::new();
    /// # for i in 0..4 {
    /// #     labelled.push((Ticket::new(format!("e{i}"), "the app fails to export to csv, file is truncated"), "export"));
    /// #     labelled.push((Ticket::new(format!("i{i}"), "the app fails to import from csv, columns are shifted"), "import"));
    /// #     labelled.push((Ticket::new(format!("l{i}"), "the app says I cannot log in, password rejected"), "login"));
    /// # }
    /// // Features export ("app", "export to csv", "spreadsheet download"), import and
    /// // login, 4 labelled tickets each: "the app fails to export to csv, file is
    /// // truncated", "... import from csv, columns are shifted", "the app says I cannot
    /// // log in, password rejected".
    /// let advisor = KeywordAdvisor::new(&product);
    /// let report = advisor.advise_labeled(labelled.iter().map(|(t, f)| (t, *f)));
    /// assert_eq!(report.features.len(), 3); // one entry per feature
    /// assert!(report.features.iter().all(|f| f.tickets == 4));
    /// ```
    pub fn new(product: &Product) -> KeywordAdvisor {
        let mut features = Vec::new();
        for (c, cap) in product.capabilities.iter().enumerate() {
            for f in &cap.features {
                let mut own = vec![f.name.clone()];
                own.extend(f.keywords.iter().cloned());
                features.push((f.id.clone(), c, f.keywords.clone(), own));
            }
        }
        KeywordAdvisor {
            language: product.language,
            config: KeywordConfig::default(),
            features,
        }
    }

    /// An advisor with a configuration.
    ///
    /// # Errors
    ///
    /// [`Error::BadNumber`] naming `discovery.keywords.prior` when the prior
    /// is not a positive finite number.
    ///
    /// ```
    /// use painpoint::discovery::{KeywordAdvisor, KeywordConfig};
    /// use painpoint::Product;
    /// let product = Product::new("app", "App");
    /// assert!(KeywordAdvisor::with_config(&product, KeywordConfig::default().min_count(5)).is_ok());
    /// let mut config = KeywordConfig::default();
    /// config.prior = 0.0;
    /// let err = KeywordAdvisor::with_config(&product, config).unwrap_err();
    /// assert!(err.to_string().starts_with("discovery.keywords.prior"));
    /// ```
    pub fn with_config(product: &Product, config: KeywordConfig) -> Result<KeywordAdvisor> {
        if !(config.prior.is_finite() && config.prior > 0.0) {
            return Err(Error::BadNumber {
                path: "discovery.keywords.prior".to_string(),
                value: config.prior.to_string(),
                rule: "a positive finite number",
            });
        }
        Ok(KeywordAdvisor {
            config,
            ..KeywordAdvisor::new(product)
        })
    }

    /// Advice from tagged tickets, each labelled with its best feature
    /// match (unmatched and capability-level matches are unlabelled but
    /// still count for never-firing keywords). A keyword the tagger cites
    /// as evidence fires even when its words are not in the ticket as
    /// written (a typo, a synonym). The result does not depend on the
    /// order of `tickets`.
    ///
    /// ```
    /// # use painpoint::discovery::{KeywordAdvisor, KeywordConfig};
    /// # use painpoint::{Capability, Feature, Product, Ticket};
    /// # let product = Product::new("app", "App").capability(
    /// #     Capability::new("data", "Data")
    /// #         .feature(Feature::new("export", "Export").keyword("app").keyword("export to csv").keyword("spreadsheet download"))
    /// #         .feature(Feature::new("import", "Import").keyword("import from csv"))
    /// #         .feature(Feature::new("login", "Login").keyword("cannot log in")),
    /// # );
    /// # let mut labelled = Vec::new();
    /// # for i in 0..4 {
    /// #     labelled.push((Ticket::new(format!("e{i}"), "the app fails to export to csv, file is truncated"), "export"));
    /// #     labelled.push((Ticket::new(format!("i{i}"), "the app fails to import from csv, columns are shifted"), "import"));
    /// #     labelled.push((Ticket::new(format!("l{i}"), "the app says I cannot log in, password rejected"), "login"));
    /// # }
    /// # use painpoint::Tagger;
    /// let tagger = Tagger::new(&product).unwrap();
    /// let tagged: Vec<_> = labelled.iter().map(|(t, _)| (t.clone(), tagger.tag(t))).collect();
    /// let report = KeywordAdvisor::new(&product).advise(&tagged);
    /// assert_eq!((report.tickets, report.labelled), (12, 12));
    /// assert_eq!(report.features[0].never_fire, ["spreadsheet download"]);
    /// assert!(report.features[1].suggestions.iter().any(|s| s.keyword == "columns"));
    /// ```
    pub fn advise<'a, P: TaggedPair<'a>>(
        &self,
        tickets: impl IntoIterator<Item = P>,
    ) -> KeywordReport {
        let mut rows: Vec<(&Ticket, Option<&str>, Vec<&str>)> = Vec::new();
        for pair in tickets {
            let tagged = pair.tagged();
            let cited: Vec<&str> = tagged
                .matches
                .iter()
                .flat_map(|m| m.evidence.iter())
                .filter(|e| e.source == Source::Keyword)
                .map(|e| e.pattern.as_str())
                .collect();
            let label = tagged.best().and_then(|m| m.feature.as_deref());
            rows.push((pair.ticket(), label, cited));
        }
        self.run(rows)
    }

    /// Advice from tickets with confirmed labels (feature ids; an unknown
    /// id leaves its ticket unlabelled). The result does not depend on the
    /// order of `tickets`.
    ///
    /// ```
    /// # use painpoint::discovery::{KeywordAdvisor, KeywordConfig};
    /// # use painpoint::{Capability, Feature, Product, Ticket};
    /// # let product = Product::new("app", "App").capability(
    /// #     Capability::new("data", "Data")
    /// #         .feature(Feature::new("export", "Export").keyword("app").keyword("export to csv").keyword("spreadsheet download"))
    /// #         .feature(Feature::new("import", "Import").keyword("import from csv"))
    /// #         .feature(Feature::new("login", "Login").keyword("cannot log in")),
    /// # );
    /// # let mut labelled = Vec::new();
    /// # for i in 0..4 {
    /// #     labelled.push((Ticket::new(format!("e{i}"), "the app fails to export to csv, file is truncated"), "export"));
    /// #     labelled.push((Ticket::new(format!("i{i}"), "the app fails to import from csv, columns are shifted"), "import"));
    /// #     labelled.push((Ticket::new(format!("l{i}"), "the app says I cannot log in, password rejected"), "login"));
    /// # }
    /// // Features export ("app", "export to csv", "spreadsheet download"), import and
    /// // login, 4 labelled tickets each: "the app fails to export to csv, file is
    /// // truncated", "... import from csv, columns are shifted", "the app says I cannot
    /// // log in, password rejected".
    /// let advisor = KeywordAdvisor::new(&product);
    /// let report = advisor.advise_labeled(labelled.iter().map(|(t, f)| (t, *f)));
    /// assert_eq!(report, advisor.advise_labeled(labelled.iter().rev().map(|(t, f)| (t, *f))));
    /// let login = &report.features[2];
    /// assert!(login.suggestions.iter().any(|s| s.keyword == "password"));
    /// ```
    pub fn advise_labeled<'a>(
        &self,
        tickets: impl IntoIterator<Item = (&'a Ticket, &'a str)>,
    ) -> KeywordReport {
        self.run(
            tickets
                .into_iter()
                .map(|(t, f)| (t, Some(f), Vec::new()))
                .collect(),
        )
    }

    fn run(&self, mut rows: Vec<(&Ticket, Option<&str>, Vec<&str>)>) -> KeywordReport {
        rows.sort_by(|a, b| canonical(a.0, b.0).then_with(|| a.1.cmp(&b.1)));
        let index: FxMap<&str, usize> = self
            .features
            .iter()
            .enumerate()
            .map(|(i, f)| (f.0.as_str(), i))
            .collect();
        let nf = self.features.len();
        let mut prep = Prep::new(self.language);
        // Keyword stems first, so their ids exist before tickets are read.
        let keyword_stems: Vec<Vec<Vec<u32>>> = self
            .features
            .iter()
            .map(|f| f.2.iter().map(|k| prep.phrase_stems(k)).collect())
            .collect();
        let own_stems: Vec<Vec<u32>> = self
            .features
            .iter()
            .map(|f| {
                let mut all: Vec<u32> = f.3.iter().flat_map(|t| prep.phrase_stems(t)).collect();
                all.sort_unstable();
                all.dedup();
                all
            })
            .collect();

        // Per feature: tickets, and presence counts per stem.
        let mut tickets_of = vec![0usize; nf];
        let mut counts: Vec<FxMap<u32, u32>> = vec![FxMap::default(); nf];
        let mut total: FxMap<u32, u32> = FxMap::default();
        let mut surface: FxMap<u32, FxMap<u32, u32>> = FxMap::default();
        // Per keyword (feature, k): fires per label.
        let mut fires: Vec<Vec<BTreeMap<Option<usize>, usize>>> = keyword_stems
            .iter()
            .map(|ks| vec![BTreeMap::new(); ks.len()])
            .collect();
        // Keywords by their first stem and by their text, so a ticket is
        // checked against the keywords its words can start and the ones
        // the tagger cited, not against every keyword of the product.
        let mut by_first: FxMap<u32, Vec<(usize, usize)>> = FxMap::default();
        let mut by_text: FxMap<&str, Vec<(usize, usize)>> = FxMap::default();
        for (f, ks) in keyword_stems.iter().enumerate() {
            for (k, phrase) in ks.iter().enumerate() {
                if let Some(&first) = phrase.first() {
                    by_first.entry(first).or_default().push((f, k));
                }
                by_text
                    .entry(self.features[f].2[k].as_str())
                    .or_default()
                    .push((f, k));
            }
        }
        let mut hits: Vec<(usize, usize)> = Vec::new();
        let mut labelled = 0;
        let mut words = Vec::new();
        for (ticket, label, cited) in &rows {
            words.clear();
            prep.push_ticket(ticket, self.config.max_tokens, &mut words);
            let stems: Vec<u32> = words.iter().map(|&w| prep.word(w).stem).collect();
            let label = label.and_then(|l| index.get(l).copied());
            hits.clear();
            for text in cited {
                hits.extend(by_text.get(text).into_iter().flatten());
            }
            for (at, stem) in stems.iter().enumerate() {
                for &(f, k) in by_first.get(stem).into_iter().flatten() {
                    if stems[at..].starts_with(&keyword_stems[f][k]) {
                        hits.push((f, k));
                    }
                }
            }
            // A keyword fires once a ticket, however often it is found.
            hits.sort_unstable();
            hits.dedup();
            for &(f, k) in &hits {
                *fires[f][k].entry(label).or_default() += 1;
            }
            let Some(f) = label else { continue };
            labelled += 1;
            tickets_of[f] += 1;
            let mut content: Vec<u32> = Vec::new();
            for &w in &words {
                let word = prep.word(w);
                if word.content {
                    content.push(word.stem);
                    *surface.entry(word.stem).or_default().entry(w).or_default() += 1;
                }
            }
            content.sort_unstable();
            content.dedup();
            for s in content {
                *counts[f].entry(s).or_default() += 1;
                *total.entry(s).or_default() += 1;
            }
        }

        // Per capability, its features' tickets and stem counts: a
        // feature's siblings' counts are its capability's less its own.
        let caps = self.features.iter().map(|f| f.1 + 1).max().unwrap_or(0);
        let mut cap_tickets = vec![0usize; caps];
        let mut cap_counts: Vec<FxMap<u32, u32>> = vec![FxMap::default(); caps];
        for f in 0..nf {
            let cap = self.features[f].1;
            cap_tickets[cap] += tickets_of[f];
            for (&s, &y) in &counts[f] {
                *cap_counts[cap].entry(s).or_default() += y;
            }
        }
        let a = self.config.prior;
        let n_all = labelled.max(1) as f64;
        let mut features = Vec::with_capacity(nf);
        for f in 0..nf {
            let cap = self.features[f].1;
            // The siblings are the capability's other features with
            // tickets; when none has any, every other feature.
            let (sibling_tickets, sibling_counts) = if cap_tickets[cap] > tickets_of[f] {
                (cap_tickets[cap] - tickets_of[f], &cap_counts[cap])
            } else {
                (labelled - tickets_of[f], &total)
            };
            let n_f = tickets_of[f] as f64;
            let n_s = sibling_tickets as f64;
            let mut suggestions = Vec::new();
            if tickets_of[f] > 0 && n_s > 0.0 {
                for (&s, &y) in &counts[f] {
                    if (y as usize) < self.config.min_count
                        || own_stems[f].binary_search(&s).is_ok()
                    {
                        continue;
                    }
                    let y_s = f64::from(sibling_counts.get(&s).copied().unwrap_or(0) - y);
                    let p = f64::from(total[&s]) / n_all;
                    let (yf, prior) = (f64::from(y), a * p);
                    let logit = |y: f64, n: f64| ((y + prior) / (n + a - y - prior)).ln();
                    let delta = logit(yf, n_f) - logit(y_s, n_s);
                    let z = delta / (1.0 / (yf + prior) + 1.0 / (y_s + prior)).sqrt();
                    if z >= self.config.min_z {
                        let word = surface[&s]
                            .iter()
                            .max_by(|x, y| {
                                x.1.cmp(y.1).then_with(|| {
                                    prep.word(*y.0).folded.cmp(&prep.word(*x.0).folded)
                                })
                            })
                            .map(|(&w, _)| prep.word(w).folded.clone())
                            .unwrap_or_default();
                        suggestions.push(KeywordSuggestion {
                            keyword: word,
                            z: (z * 1000.0).round() / 1000.0,
                            count: y as usize,
                            sibling_count: y_s as usize,
                        });
                    }
                }
            }
            suggestions.sort_by(|x, y| y.z.total_cmp(&x.z).then_with(|| x.keyword.cmp(&y.keyword)));
            suggestions.truncate(self.config.max_suggestions);

            let mut never_fire = Vec::new();
            let mut too_broad = Vec::new();
            for (k, keyword) in self.features[f].2.iter().enumerate() {
                let by_label = &fires[f][k];
                let all: usize = by_label.values().sum();
                if all == 0 {
                    never_fire.push(keyword.clone());
                    continue;
                }
                let labelled_fires: usize = by_label
                    .iter()
                    .filter(|(l, _)| l.is_some())
                    .map(|(_, c)| c)
                    .sum();
                let own = by_label.get(&Some(f)).copied().unwrap_or(0);
                let spread = by_label.keys().filter(|l| l.is_some()).count();
                let own_share = own as f64 / labelled_fires.max(1) as f64;
                if labelled_fires >= self.config.min_count
                    && spread >= self.config.broad_features
                    && own_share < 0.5
                {
                    let mut per: Vec<(String, usize)> = by_label
                        .iter()
                        .filter_map(|(l, &c)| l.map(|g| (self.features[g].0.clone(), c)))
                        .collect();
                    per.sort_by(|x, y| y.1.cmp(&x.1).then_with(|| x.0.cmp(&y.0)));
                    per.truncate(5);
                    too_broad.push(BroadKeyword {
                        keyword: keyword.clone(),
                        fires: labelled_fires,
                        own_share: (own_share * 1000.0).round() / 1000.0,
                        features: per,
                    });
                }
            }
            features.push(FeatureKeywords {
                feature: self.features[f].0.clone(),
                tickets: tickets_of[f],
                suggestions,
                never_fire,
                too_broad,
            });
        }
        KeywordReport {
            tickets: rows.len(),
            labelled,
            features,
        }
    }
}
