//! An explainable roadmap: features and capabilities ranked by a
//! transparent, weighted score, with RICE, a value-vs-effort view and a
//! stability check of the ranking.
//!
//! # The score
//!
//! Six terms, each a raw figure divided by its largest value among the
//! ranked items (so each lies in `[0, 1]`; negative raw values count 0):
//!
//! | term | raw figure |
//! |---|---|
//! | `reach` | distinct customers (or accounts, [`Reach`]) |
//! | `volume` | tickets |
//! | `value` | summed value of the distinct accounts |
//! | `pain` | `0.6 * negative share + 0.4 * severe-need share` (below) |
//! | `momentum` | `(recent - previous) / (previous + 5)` over the trend windows |
//! | `cost` | `0.5 * resolution hours / max + 0.5 * CSAT gap` |
//!
//! The negative share is the share of tickets with a negative sentiment
//! (or, without sentiment, of `bug` and `complaint` tickets); the
//! severe-need share is the tickets speaking to quality, reliability,
//! performance, fairness or honesty over all tickets (at most 1). The CSAT
//! gap is `(best - mean) / (best - worst)` over the items' mean CSATs. The
//! score is `100 * sum(weight * term) / sum(weight)`, and every item
//! carries the breakdown.
//!
//! RICE is `reach * impact * confidence / effort` for items with an effort
//! (impact defaults to `0.5 + 2.5 * pain`, confidence to 1).

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use crate::error::{Error, Result};
use crate::ledger::{Ledger, NodeKind, Stats};
use crate::signals::{Kind, Need};
use crate::trend::{AlertKind, Trends};

/// The weight of each term of the score (any non-negative numbers, at
/// least one above zero, whose sum stays finite when raised by 20%; they
/// are normalized by their sum).
///
/// ```
/// use painpoint::roadmap::Weights;
/// let w: Weights = serde_json::from_str(r#"{"value": 3}"#).unwrap();
/// assert_eq!(w.value, 3.0);
/// assert_eq!(w.reach, 1.0);
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
#[non_exhaustive]
pub struct Weights {
    /// Distinct customers or accounts (1).
    pub reach: f64,
    /// Tickets (1).
    pub volume: f64,
    /// Account value reached (1).
    pub value: f64,
    /// Negative sentiment and severe needs (1).
    pub pain: f64,
    /// Recent growth (0.5).
    pub momentum: f64,
    /// Service cost: resolution hours and low CSAT (0.5).
    pub cost: f64,
}

impl Default for Weights {
    fn default() -> Weights {
        Weights {
            reach: 1.0,
            volume: 1.0,
            value: 1.0,
            pain: 1.0,
            momentum: 0.5,
            cost: 0.5,
        }
    }
}

impl Weights {
    fn as_array(&self) -> [f64; 6] {
        [
            self.reach,
            self.volume,
            self.value,
            self.pain,
            self.momentum,
            self.cost,
        ]
    }

    fn validate(&self) -> Result<()> {
        let names = ["reach", "volume", "value", "pain", "momentum", "cost"];
        for (name, w) in names.iter().zip(self.as_array()) {
            if !w.is_finite() || w < 0.0 {
                return Err(Error::BadNumber {
                    path: format!("weights.{name}"),
                    value: w.to_string(),
                    rule: "a finite number >= 0",
                });
            }
        }
        let sum: f64 = self.as_array().iter().sum();
        if sum <= 0.0 {
            return Err(Error::BadNumber {
                path: "weights".to_string(),
                value: "0".to_string(),
                rule: "at least one weight > 0",
            });
        }
        // The stability check raises weights by 20%: their sum must stay
        // finite there too, or scores turn NaN.
        if !(sum * STABILITY_STEP).is_finite() {
            return Err(Error::BadNumber {
                path: "weights".to_string(),
                value: sum.to_string(),
                rule: "a sum of weights that stays finite when raised by 20%",
            });
        }
        Ok(())
    }
}

/// What "reach" counts.
///
/// ```
/// use painpoint::roadmap::{Reach, RoadmapConfig};
/// let config: RoadmapConfig = serde_json::from_str(r#"{"reach": "accounts"}"#).unwrap();
/// assert_eq!(config.reach, Reach::Accounts);
/// assert_eq!(RoadmapConfig::default().reach, Reach::Customers);
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
#[non_exhaustive]
pub enum Reach {
    /// Distinct customers.
    #[default]
    Customers,
    /// Distinct accounts.
    Accounts,
}

/// The product manager's estimate for one feature.
///
/// ```
/// use painpoint::roadmap::Effort;
/// let e: Effort = serde_json::from_str(r#"{"effort": 2, "confidence": 0.5}"#).unwrap();
/// assert_eq!((e.effort, e.impact, e.confidence), (2.0, None, Some(0.5)));
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
#[non_exhaustive]
pub struct Effort {
    /// Effort in any consistent unit (person-weeks), > 0.
    pub effort: f64,
    /// Impact per customer (Intercom's scale: 0.25, 0.5, 1, 2, 3).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub impact: Option<f64>,
    /// Confidence in `[0, 1]`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub confidence: Option<f64>,
}

impl Effort {
    /// An effort with default impact and confidence.
    ///
    /// ```
    /// use painpoint::roadmap::Effort;
    /// let e = Effort::new(3.0);
    /// assert_eq!((e.effort, e.impact, e.confidence), (3.0, None, None));
    /// ```
    pub fn new(effort: f64) -> Effort {
        Effort {
            effort,
            impact: None,
            confidence: None,
        }
    }
}

/// How the roadmap is built. Loads from JSON; every field is optional.
///
/// ```
/// use painpoint::roadmap::{Reach, RoadmapConfig};
/// let config: RoadmapConfig = serde_json::from_str(
///     r#"{"weights": {"value": 2}, "effort": {"export": {"effort": 3}}, "top": 5}"#,
/// ).unwrap();
/// assert_eq!(config.weights.value, 2.0);
/// assert_eq!(config.effort["export"].effort, 3.0);
/// assert_eq!((config.reach, config.top), (Reach::Customers, 5));
/// ```
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[serde(default)]
#[non_exhaustive]
pub struct RoadmapConfig {
    /// Term weights.
    pub weights: Weights,
    /// What reach counts.
    pub reach: Reach,
    /// Efforts by feature (or capability) id.
    pub effort: BTreeMap<String, Effort>,
    /// How many top items the stability check follows (default 0 = 10).
    pub top: usize,
}

impl RoadmapConfig {
    /// Sets the weights.
    ///
    /// ```
    /// use painpoint::roadmap::{RoadmapConfig, Weights};
    /// let mut weights = Weights::default();
    /// weights.momentum = 0.0;
    /// assert_eq!(RoadmapConfig::default().weights(weights).weights.momentum, 0.0);
    /// ```
    pub fn weights(mut self, weights: Weights) -> RoadmapConfig {
        self.weights = weights;
        self
    }
    /// Sets one feature's effort (replacing an earlier one for the same id).
    ///
    /// ```
    /// use painpoint::roadmap::{Effort, RoadmapConfig};
    /// let config = RoadmapConfig::default()
    ///     .effort("export", Effort::new(1.0))
    ///     .effort("export", Effort::new(2.0));
    /// assert_eq!(config.effort.len(), 1);
    /// assert_eq!(config.effort["export"].effort, 2.0);
    /// ```
    pub fn effort(mut self, id: impl Into<String>, effort: Effort) -> RoadmapConfig {
        self.effort.insert(id.into(), effort);
        self
    }
    /// Sets what reach counts.
    ///
    /// ```
    /// use painpoint::roadmap::{Reach, RoadmapConfig};
    /// assert_eq!(RoadmapConfig::default().reach(Reach::Accounts).reach, Reach::Accounts);
    /// ```
    pub fn reach(mut self, reach: Reach) -> RoadmapConfig {
        self.reach = reach;
        self
    }
}

/// One term of an item's score.
///
/// ```
/// # use painpoint::{Capability, Feature, Ledger, LedgerConfig, Product, Tagger, Ticket, Timestamp};
/// # use painpoint::roadmap::{Effort, Roadmap, RoadmapConfig};
/// # use painpoint::trend::{TrendConfig, Trends};
/// # let product = Product::new("app", "App").capability(Capability::new("data", "Data")
/// #     .feature(Feature::new("export", "Export").keyword("csv"))
/// #     .feature(Feature::new("import", "Import")));
/// # let tagger = Tagger::new(&product).unwrap();
/// # let mut ledger = Ledger::new(&product, LedgerConfig::default()).unwrap();
/// # let texts = ["Export to CSV fails", "export crashes every time", "The export is far too slow", "Import lost my rows"];
/// # for (i, text) in texts.iter().enumerate() {
/// #     let ticket = Ticket::new(i.to_string(), *text).customer(format!("customer{i}"))
/// #         .created_at(Timestamp::from_unix(i as i64 * 86_400));
/// #     ledger.record(&ticket, &tagger.tag(&ticket));
/// # }
/// # let trends = Trends::analyze(&ledger, &TrendConfig::default());
/// // Three customers wrote about exports, one about imports.
/// let roadmap = Roadmap::build(&ledger, &trends, &RoadmapConfig::default()).unwrap();
/// let volume = roadmap.items[0].terms.volume;
/// assert_eq!(volume.raw, 3.0);          // tickets about exports
/// assert_eq!(volume.normalized, 1.0);   // the most of any item
/// assert_eq!(volume.weight, 1.0);
/// assert!((volume.points - 100.0 / 5.0).abs() < 1e-9); // weight 1 of 5 in all
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Default, Serialize, Deserialize)]
#[non_exhaustive]
pub struct Term {
    /// The raw figure.
    pub raw: f64,
    /// Divided by the largest among the ranked items, in `[0, 1]`.
    pub normalized: f64,
    /// The term's weight, as given.
    pub weight: f64,
    /// Points it adds to the score: `100 * weight * normalized / sum(weights)`.
    pub points: f64,
}

/// The six terms of a score: their points add up to the item's score.
///
/// ```
/// # use painpoint::{Capability, Feature, Ledger, LedgerConfig, Product, Tagger, Ticket, Timestamp};
/// # use painpoint::roadmap::{Effort, Roadmap, RoadmapConfig};
/// # use painpoint::trend::{TrendConfig, Trends};
/// # let product = Product::new("app", "App").capability(Capability::new("data", "Data")
/// #     .feature(Feature::new("export", "Export").keyword("csv"))
/// #     .feature(Feature::new("import", "Import")));
/// # let tagger = Tagger::new(&product).unwrap();
/// # let mut ledger = Ledger::new(&product, LedgerConfig::default()).unwrap();
/// # let texts = ["Export to CSV fails", "export crashes every time", "The export is far too slow", "Import lost my rows"];
/// # for (i, text) in texts.iter().enumerate() {
/// #     let ticket = Ticket::new(i.to_string(), *text).customer(format!("customer{i}"))
/// #         .created_at(Timestamp::from_unix(i as i64 * 86_400));
/// #     ledger.record(&ticket, &tagger.tag(&ticket));
/// # }
/// # let trends = Trends::analyze(&ledger, &TrendConfig::default());
/// // Three customers wrote about exports, one about imports.
/// let roadmap = Roadmap::build(&ledger, &trends, &RoadmapConfig::default()).unwrap();
/// for item in &roadmap.items {
///     let t = &item.terms;
///     let points = t.reach.points + t.volume.points + t.value.points
///         + t.pain.points + t.momentum.points + t.cost.points;
///     assert!((points - item.score).abs() < 1e-9);
/// }
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Default, Serialize, Deserialize)]
#[non_exhaustive]
pub struct Terms {
    /// Distinct customers or accounts.
    pub reach: Term,
    /// Tickets.
    pub volume: Term,
    /// Account value.
    pub value: Term,
    /// Pain.
    pub pain: Term,
    /// Momentum.
    pub momentum: Term,
    /// Service cost.
    pub cost: Term,
}

impl Terms {
    fn get_mut(&mut self, i: usize) -> &mut Term {
        match i {
            0 => &mut self.reach,
            1 => &mut self.volume,
            2 => &mut self.value,
            3 => &mut self.pain,
            4 => &mut self.momentum,
            _ => &mut self.cost,
        }
    }

    fn normalized(&self) -> [f64; 6] {
        [
            self.reach.normalized,
            self.volume.normalized,
            self.value.normalized,
            self.pain.normalized,
            self.momentum.normalized,
            self.cost.normalized,
        ]
    }
}

/// RICE for an item with an effort.
///
/// ```
/// # use painpoint::{Capability, Feature, Ledger, LedgerConfig, Product, Tagger, Ticket, Timestamp};
/// # use painpoint::roadmap::{Effort, Roadmap, RoadmapConfig};
/// # use painpoint::trend::{TrendConfig, Trends};
/// # let product = Product::new("app", "App").capability(Capability::new("data", "Data")
/// #     .feature(Feature::new("export", "Export").keyword("csv"))
/// #     .feature(Feature::new("import", "Import")));
/// # let tagger = Tagger::new(&product).unwrap();
/// # let mut ledger = Ledger::new(&product, LedgerConfig::default()).unwrap();
/// # let texts = ["Export to CSV fails", "export crashes every time", "The export is far too slow", "Import lost my rows"];
/// # for (i, text) in texts.iter().enumerate() {
/// #     let ticket = Ticket::new(i.to_string(), *text).customer(format!("customer{i}"))
/// #         .created_at(Timestamp::from_unix(i as i64 * 86_400));
/// #     ledger.record(&ticket, &tagger.tag(&ticket));
/// # }
/// # let trends = Trends::analyze(&ledger, &TrendConfig::default());
/// // Three customers wrote about exports, one about imports.
/// let config = RoadmapConfig::default().effort("export", Effort::new(2.0));
/// let roadmap = Roadmap::build(&ledger, &trends, &config).unwrap();
/// let rice = roadmap.items.iter().find(|i| i.node == "export").unwrap().rice.unwrap();
/// assert_eq!(rice.reach, 3.0);
/// assert_eq!(rice.score, rice.reach * rice.impact * rice.confidence / 2.0);
/// assert!(roadmap.items.iter().find(|i| i.node == "import").unwrap().rice.is_none());
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct Rice {
    /// Reach (customers or accounts).
    pub reach: f64,
    /// Impact.
    pub impact: f64,
    /// Confidence.
    pub confidence: f64,
    /// Effort.
    pub effort: f64,
    /// `reach * impact * confidence / effort`.
    pub score: f64,
}

/// Where an item falls in the value-vs-effort view (split at the medians
/// of score and effort among the items with an effort).
///
/// ```
/// # use painpoint::{Capability, Feature, Ledger, LedgerConfig, Product, Tagger, Ticket, Timestamp};
/// # use painpoint::roadmap::{Effort, Roadmap, RoadmapConfig};
/// # use painpoint::trend::{TrendConfig, Trends};
/// # let product = Product::new("app", "App").capability(Capability::new("data", "Data")
/// #     .feature(Feature::new("export", "Export").keyword("csv"))
/// #     .feature(Feature::new("import", "Import")));
/// # let tagger = Tagger::new(&product).unwrap();
/// # let mut ledger = Ledger::new(&product, LedgerConfig::default()).unwrap();
/// # let texts = ["Export to CSV fails", "export crashes every time", "The export is far too slow", "Import lost my rows"];
/// # for (i, text) in texts.iter().enumerate() {
/// #     let ticket = Ticket::new(i.to_string(), *text).customer(format!("customer{i}"))
/// #         .created_at(Timestamp::from_unix(i as i64 * 86_400));
/// #     ledger.record(&ticket, &tagger.tag(&ticket));
/// # }
/// # let trends = Trends::analyze(&ledger, &TrendConfig::default());
/// // Three customers wrote about exports, one about imports.
/// let config = RoadmapConfig::default()
///     .effort("export", Effort::new(1.0))
///     .effort("import", Effort::new(8.0));
/// let roadmap = Roadmap::build(&ledger, &trends, &config).unwrap();
/// let export = roadmap.items.iter().find(|i| i.node == "export").unwrap();
/// assert_eq!(serde_json::to_value(export.quadrant).unwrap(), "quick_win");
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
#[non_exhaustive]
pub enum Quadrant {
    /// High score, low effort: do first.
    QuickWin,
    /// High score, high effort: plan.
    BigBet,
    /// Low score, low effort: when there is time.
    FillIn,
    /// Low score, high effort: avoid.
    MoneyPit,
}

/// The trend figures of an item.
///
/// ```
/// # use painpoint::{Capability, Feature, Ledger, LedgerConfig, Product, Tagger, Ticket, Timestamp};
/// # use painpoint::roadmap::{Effort, Roadmap, RoadmapConfig};
/// # use painpoint::trend::{TrendConfig, Trends};
/// # let product = Product::new("app", "App").capability(Capability::new("data", "Data")
/// #     .feature(Feature::new("export", "Export").keyword("csv"))
/// #     .feature(Feature::new("import", "Import")));
/// # let tagger = Tagger::new(&product).unwrap();
/// # let mut ledger = Ledger::new(&product, LedgerConfig::default()).unwrap();
/// # let texts = ["Export to CSV fails", "export crashes every time", "The export is far too slow", "Import lost my rows"];
/// # for (i, text) in texts.iter().enumerate() {
/// #     let ticket = Ticket::new(i.to_string(), *text).customer(format!("customer{i}"))
/// #         .created_at(Timestamp::from_unix(i as i64 * 86_400));
/// #     ledger.record(&ticket, &tagger.tag(&ticket));
/// # }
/// # let trends = Trends::analyze(&ledger, &TrendConfig::default());
/// // Three customers wrote about exports, one about imports.
/// let roadmap = Roadmap::build(&ledger, &trends, &RoadmapConfig::default()).unwrap();
/// let item = &roadmap.items[0];
/// assert_eq!(item.trend.series.iter().sum::<u64>(), item.stats.tickets);
/// ```
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[non_exhaustive]
pub struct ItemTrend {
    /// Tickets per bucket over the analysed range.
    pub series: Vec<u64>,
    /// Tickets in the latest window.
    pub recent: u64,
    /// Tickets in the window before.
    pub previous: u64,
    /// `(recent - previous) / previous`.
    pub growth: Option<f64>,
    /// Least-squares slope.
    pub slope: f64,
    /// Alerts about this node.
    pub alerts: Vec<AlertKind>,
}

/// One ranked feature or capability.
///
/// ```
/// # use painpoint::{Capability, Feature, Ledger, LedgerConfig, Product, Tagger, Ticket, Timestamp};
/// # use painpoint::roadmap::{Effort, Roadmap, RoadmapConfig};
/// # use painpoint::trend::{TrendConfig, Trends};
/// # let product = Product::new("app", "App").capability(Capability::new("data", "Data")
/// #     .feature(Feature::new("export", "Export").keyword("csv"))
/// #     .feature(Feature::new("import", "Import")));
/// # let tagger = Tagger::new(&product).unwrap();
/// # let mut ledger = Ledger::new(&product, LedgerConfig::default()).unwrap();
/// # let texts = ["Export to CSV fails", "export crashes every time", "The export is far too slow", "Import lost my rows"];
/// # for (i, text) in texts.iter().enumerate() {
/// #     let ticket = Ticket::new(i.to_string(), *text).customer(format!("customer{i}"))
/// #         .created_at(Timestamp::from_unix(i as i64 * 86_400));
/// #     ledger.record(&ticket, &tagger.tag(&ticket));
/// # }
/// # let trends = Trends::analyze(&ledger, &TrendConfig::default());
/// // Three customers wrote about exports, one about imports.
/// let roadmap = Roadmap::build(&ledger, &trends, &RoadmapConfig::default()).unwrap();
/// let first = &roadmap.items[0];
/// assert_eq!((first.rank, first.node.as_str(), first.name.as_str()), (1, "export", "Export"));
/// assert_eq!(first.capability.as_deref(), Some("data"));
/// assert_eq!(first.stats.customers, 3.0);
/// assert!(first.score > roadmap.items[1].score);
/// ```
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct Item {
    /// 1-based rank.
    pub rank: usize,
    /// The node's id.
    pub node: String,
    /// Display name.
    pub name: String,
    /// Feature or capability.
    pub kind: NodeKind,
    /// A feature's capability id.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub capability: Option<String>,
    /// Score in `[0, 100]`.
    pub score: f64,
    /// The score's breakdown.
    pub terms: Terms,
    /// All-time figures.
    pub stats: Stats,
    /// Trend figures.
    pub trend: ItemTrend,
    /// RICE, when an effort was given.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub rice: Option<Rice>,
    /// Value-vs-effort quadrant, when an effort was given.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub quadrant: Option<Quadrant>,
}

/// How one top item fares when the weights move.
///
/// ```
/// # use painpoint::{Capability, Feature, Ledger, LedgerConfig, Product, Tagger, Ticket, Timestamp};
/// # use painpoint::roadmap::{Effort, Roadmap, RoadmapConfig};
/// # use painpoint::trend::{TrendConfig, Trends};
/// # let product = Product::new("app", "App").capability(Capability::new("data", "Data")
/// #     .feature(Feature::new("export", "Export").keyword("csv"))
/// #     .feature(Feature::new("import", "Import")));
/// # let tagger = Tagger::new(&product).unwrap();
/// # let mut ledger = Ledger::new(&product, LedgerConfig::default()).unwrap();
/// # let texts = ["Export to CSV fails", "export crashes every time", "The export is far too slow", "Import lost my rows"];
/// # for (i, text) in texts.iter().enumerate() {
/// #     let ticket = Ticket::new(i.to_string(), *text).customer(format!("customer{i}"))
/// #         .created_at(Timestamp::from_unix(i as i64 * 86_400));
/// #     ledger.record(&ticket, &tagger.tag(&ticket));
/// # }
/// # let trends = Trends::analyze(&ledger, &TrendConfig::default());
/// // Three customers wrote about exports, one about imports.
/// let roadmap = Roadmap::build(&ledger, &trends, &RoadmapConfig::default()).unwrap();
/// let first = &roadmap.stability.items[0];
/// assert_eq!((first.node.as_str(), first.rank), ("export", 1));
/// assert!(first.best <= first.rank && first.rank <= first.worst);
/// assert!((0.0..=1.0).contains(&first.in_top));
/// ```
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct StableItem {
    /// The node's id.
    pub node: String,
    /// Its rank with the given weights.
    pub rank: usize,
    /// Its best rank over the scenarios.
    pub best: usize,
    /// Its worst rank over the scenarios.
    pub worst: usize,
    /// Share of scenarios in which it stays in the top.
    pub in_top: f64,
}

/// Stability of the top of the ranking when every weight moves by +-20%:
/// the 64 corners (each weight x0.8 or x1.2) plus the 12 single moves.
///
/// ```
/// # use painpoint::{Capability, Feature, Ledger, LedgerConfig, Product, Tagger, Ticket, Timestamp};
/// # use painpoint::roadmap::{Effort, Roadmap, RoadmapConfig};
/// # use painpoint::trend::{TrendConfig, Trends};
/// # let product = Product::new("app", "App").capability(Capability::new("data", "Data")
/// #     .feature(Feature::new("export", "Export").keyword("csv"))
/// #     .feature(Feature::new("import", "Import")));
/// # let tagger = Tagger::new(&product).unwrap();
/// # let mut ledger = Ledger::new(&product, LedgerConfig::default()).unwrap();
/// # let texts = ["Export to CSV fails", "export crashes every time", "The export is far too slow", "Import lost my rows"];
/// # for (i, text) in texts.iter().enumerate() {
/// #     let ticket = Ticket::new(i.to_string(), *text).customer(format!("customer{i}"))
/// #         .created_at(Timestamp::from_unix(i as i64 * 86_400));
/// #     ledger.record(&ticket, &tagger.tag(&ticket));
/// # }
/// # let trends = Trends::analyze(&ledger, &TrendConfig::default());
/// // Three customers wrote about exports, one about imports.
/// let roadmap = Roadmap::build(&ledger, &trends, &RoadmapConfig::default()).unwrap();
/// let stability = &roadmap.stability;
/// assert_eq!(stability.scenarios, 64 + 12);
/// assert_eq!(stability.items.len(), 2); // the top holds every item here
/// assert_eq!(stability.min_overlap, 1.0);
/// ```
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[non_exhaustive]
pub struct Stability {
    /// Scenarios tried.
    pub scenarios: usize,
    /// Size of the top followed.
    pub top: usize,
    /// Smallest overlap of a scenario's top with the given top, in `[0, 1]`.
    pub min_overlap: f64,
    /// Share of scenarios with the same first item.
    pub same_first: f64,
    /// The given top items.
    pub items: Vec<StableItem>,
}

/// A ranked roadmap.
///
/// ```
/// use painpoint::{Capability, Feature, Ledger, LedgerConfig, Match, Period, Product, TaggedTicket, Ticket, Timestamp};
/// use painpoint::roadmap::{Effort, Roadmap, RoadmapConfig};
/// use painpoint::trend::{TrendConfig, Trends};
///
/// let product = Product::new("p", "P").capability(
///     Capability::new("c", "C").feature(Feature::new("a", "A")).feature(Feature::new("b", "B")));
/// let mut ledger = Ledger::new(&product, LedgerConfig::default()).unwrap();
/// for i in 0..30 {
///     let mut tagged = TaggedTicket::default();
///     let mut m = Match::default();
///     m.feature = Some(if i % 3 == 0 { "b" } else { "a" }.into());
///     m.capability = "c".into();
///     tagged.matches.push(m);
///     let t = Ticket::new(i.to_string(), "").customer(format!("u{i}"))
///         .created_at(Timestamp::from_unix(i * 86_400));
///     ledger.record(&t, &tagged);
/// }
/// let trends = Trends::analyze(&ledger, &TrendConfig::default());
/// let config = RoadmapConfig::default().effort("a", Effort::new(4.0));
/// let roadmap = Roadmap::build(&ledger, &trends, &config).unwrap();
/// assert_eq!(roadmap.items[0].node, "a");
/// assert_eq!(roadmap.items[0].stats.tickets, 20);
/// assert_eq!(roadmap.items[0].rice.unwrap().score, 20.0 * 0.5 / 4.0);
/// assert_eq!(roadmap.items[0].terms.reach.raw, 20.0);
/// assert_eq!(roadmap.capabilities[0].node, "c");
/// ```
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct Roadmap {
    /// Features, best first (ties by product order).
    pub items: Vec<Item>,
    /// Capabilities, best first.
    pub capabilities: Vec<Item>,
    /// Stability of the features' top.
    pub stability: Stability,
    /// All-time figures of the unmatched tickets.
    pub unmatched: Stats,
}

/// How far the stability check moves each weight up (and `2 - step` down).
const STABILITY_STEP: f64 = 1.2;

const SEVERE: [Need; 5] = [
    Need::Quality,
    Need::Reliability,
    Need::Performance,
    Need::Fairness,
    Need::Honesty,
];

impl Roadmap {
    /// Ranks the ledger's features and capabilities. Features and
    /// capabilities with no ticket are left out. Fails on negative or
    /// non-finite weights or efforts (errors name the field). Cost linear
    /// in the ledger's size (all-time distinct counts are unions).
    ///
    /// ```
    /// # use painpoint::{Capability, Feature, Ledger, LedgerConfig, Product, Tagger, Ticket, Timestamp};
    /// # use painpoint::roadmap::{Effort, Roadmap, RoadmapConfig};
    /// # use painpoint::trend::{TrendConfig, Trends};
    /// # let product = Product::new("app", "App").capability(Capability::new("data", "Data")
    /// #     .feature(Feature::new("export", "Export").keyword("csv"))
    /// #     .feature(Feature::new("import", "Import")));
    /// # let tagger = Tagger::new(&product).unwrap();
    /// # let mut ledger = Ledger::new(&product, LedgerConfig::default()).unwrap();
    /// # let texts = ["Export to CSV fails", "export crashes every time", "The export is far too slow", "Import lost my rows"];
    /// # for (i, text) in texts.iter().enumerate() {
    /// #     let ticket = Ticket::new(i.to_string(), *text).customer(format!("customer{i}"))
    /// #         .created_at(Timestamp::from_unix(i as i64 * 86_400));
    /// #     ledger.record(&ticket, &tagger.tag(&ticket));
    /// # }
    /// # let trends = Trends::analyze(&ledger, &TrendConfig::default());
    /// // Three customers wrote about exports, one about imports.
    /// let mut config = RoadmapConfig::default();
    /// config.weights.pain = -1.0;
    /// let err = Roadmap::build(&ledger, &trends, &config).unwrap_err();
    /// assert!(err.to_string().starts_with("weights.pain"));
    /// config.weights.pain = 1.0;
    /// assert_eq!(Roadmap::build(&ledger, &trends, &config).unwrap().items.len(), 2);
    /// ```
    pub fn build(ledger: &Ledger, trends: &Trends, config: &RoadmapConfig) -> Result<Roadmap> {
        config.weights.validate()?;
        for (id, e) in &config.effort {
            if !e.effort.is_finite() || e.effort <= 0.0 {
                return Err(Error::BadNumber {
                    path: format!("effort.{id}.effort"),
                    value: e.effort.to_string(),
                    rule: "a finite number > 0",
                });
            }
            for (name, v) in [("impact", e.impact), ("confidence", e.confidence)] {
                if let Some(v) = v
                    && (!v.is_finite() || v < 0.0)
                {
                    return Err(Error::BadNumber {
                        path: format!("effort.{id}.{name}"),
                        value: v.to_string(),
                        rule: "a finite number >= 0",
                    });
                }
            }
        }
        let items = rank(ledger, trends, config, ledger.features().collect());
        let capabilities = rank(ledger, trends, config, ledger.capabilities().collect());
        let stability = stability(&items, &config.weights, config.top);
        Ok(Roadmap {
            items,
            capabilities,
            stability,
            unmatched: ledger.total(ledger.unmatched()),
        })
    }
}

fn pain(s: &Stats) -> f64 {
    let t = s.tickets.max(1) as f64;
    let kinded: u64 = s.kinds.values().sum();
    let negative = if s.sentiment_count > 0 {
        s.negative as f64 / s.sentiment_count as f64
    } else if kinded > 0 {
        (s.kind(Kind::Bug) + s.kind(Kind::Complaint)) as f64 / kinded as f64
    } else {
        0.0
    };
    let severe: u64 = SEVERE.iter().map(|&n| s.need(n)).sum();
    0.6 * negative + 0.4 * (severe as f64 / t).min(1.0)
}

fn rank(ledger: &Ledger, trends: &Trends, config: &RoadmapConfig, nodes: Vec<usize>) -> Vec<Item> {
    let totals = ledger.totals(nodes.iter().copied());
    let all: Vec<(usize, Stats)> = nodes
        .into_iter()
        .zip(totals)
        .filter(|(_, s)| s.tickets > 0)
        .collect();
    let hours: Vec<f64> = all
        .iter()
        .map(|(_, s)| s.resolution_mean.unwrap_or(0.0) * s.resolution_count as f64)
        .collect();
    let max_hours = hours.iter().copied().fold(0.0, f64::max);
    let csats: Vec<f64> = all.iter().filter_map(|(_, s)| s.csat_mean).collect();
    let (lo, hi) = csats
        .iter()
        .fold((f64::INFINITY, f64::NEG_INFINITY), |(l, h), &c| {
            (l.min(c), h.max(c))
        });
    let w = config.weights.as_array();
    let w_sum: f64 = w.iter().sum();
    let mut items: Vec<Item> = all
        .into_iter()
        .zip(hours)
        .map(|((node, stats), hours)| {
            let n = &ledger.nodes()[node];
            let trend = trends.trend(node).cloned();
            let (recent, previous) = trend.as_ref().map_or((0, 0), |t| (t.recent, t.previous));
            let reach = match config.reach {
                Reach::Customers => stats.customers,
                Reach::Accounts => stats.accounts,
            };
            let csat_gap = match stats.csat_mean {
                Some(c) if hi > lo => (hi - c) / (hi - lo),
                _ => 0.0,
            };
            let cost_hours = if max_hours > 0.0 {
                hours / max_hours
            } else {
                0.0
            };
            let raw = [
                reach,
                stats.tickets as f64,
                stats.value,
                pain(&stats),
                (recent as f64 - previous as f64) / (previous as f64 + 5.0),
                0.5 * cost_hours + 0.5 * csat_gap,
            ];
            let mut terms = Terms::default();
            for (i, r) in raw.iter().enumerate() {
                let t = terms.get_mut(i);
                t.raw = *r;
                t.weight = w[i];
            }
            let alerts = trends
                .alerts
                .iter()
                .filter(|a| a.node == n.id && a.node_kind == n.kind)
                .map(|a| a.kind)
                .collect();
            Item {
                rank: 0,
                node: n.id.clone(),
                name: n.name.clone(),
                kind: n.kind,
                capability: n.capability.map(|c| ledger.nodes()[c].id.clone()),
                score: 0.0,
                terms,
                stats,
                trend: trend
                    .map(|t| ItemTrend {
                        series: t.series,
                        recent: t.recent,
                        previous: t.previous,
                        growth: t.growth,
                        slope: t.slope,
                        alerts,
                    })
                    .unwrap_or_default(),
                rice: None,
                quadrant: None,
            }
        })
        .collect();
    for i in 0..6 {
        let max = items
            .iter_mut()
            .map(|it| it.terms.get_mut(i).raw)
            .fold(0.0, f64::max);
        for it in &mut items {
            let t = it.terms.get_mut(i);
            t.normalized = if max > 0.0 { t.raw.max(0.0) / max } else { 0.0 };
            t.points = 100.0 * t.weight * t.normalized / w_sum;
        }
    }
    for it in &mut items {
        it.score = score(&it.terms.normalized(), &w);
        if let Some(e) = config.effort.get(&it.node) {
            let impact = e.impact.unwrap_or(0.5 + 2.5 * it.terms.pain.raw);
            let confidence = e.confidence.unwrap_or(1.0);
            let reach = it.terms.reach.raw;
            it.rice = Some(Rice {
                reach,
                impact,
                confidence,
                effort: e.effort,
                score: reach * impact * confidence / e.effort,
            });
        }
    }
    // Stable sort: ties keep product order.
    items.sort_by(|a, b| b.score.total_cmp(&a.score));
    for (i, it) in items.iter_mut().enumerate() {
        it.rank = i + 1;
    }
    quadrants(&mut items);
    items
}

fn score(normalized: &[f64; 6], w: &[f64; 6]) -> f64 {
    let sum: f64 = w.iter().sum();
    100.0 * normalized.iter().zip(w).map(|(n, w)| n * w).sum::<f64>() / sum
}

fn median(mut v: Vec<f64>) -> f64 {
    v.sort_by(f64::total_cmp);
    let n = v.len();
    if n % 2 == 1 {
        v[n / 2]
    } else {
        (v[n / 2 - 1] + v[n / 2]) / 2.0
    }
}

fn quadrants(items: &mut [Item]) {
    let with: Vec<(f64, f64)> = items
        .iter()
        .filter_map(|it| it.rice.map(|r| (it.score, r.effort)))
        .collect();
    if with.is_empty() {
        return;
    }
    let ms = median(with.iter().map(|p| p.0).collect());
    let me = median(with.iter().map(|p| p.1).collect());
    for it in items.iter_mut() {
        if let Some(r) = it.rice {
            let high = it.score >= ms;
            let cheap = r.effort <= me;
            it.quadrant = Some(match (high, cheap) {
                (true, true) => Quadrant::QuickWin,
                (true, false) => Quadrant::BigBet,
                (false, true) => Quadrant::FillIn,
                (false, false) => Quadrant::MoneyPit,
            });
        }
    }
}

fn stability(items: &[Item], weights: &Weights, top: usize) -> Stability {
    let top = if top == 0 { 10 } else { top }.min(items.len());
    if top == 0 {
        return Stability::default();
    }
    let base = weights.as_array();
    let mut scenarios: Vec<[f64; 6]> = Vec::new();
    for corner in 0..64u32 {
        let mut w = base;
        for (i, x) in w.iter_mut().enumerate() {
            *x *= if corner >> i & 1 == 1 {
                STABILITY_STEP
            } else {
                2.0 - STABILITY_STEP
            };
        }
        scenarios.push(w);
    }
    for i in 0..6 {
        for f in [2.0 - STABILITY_STEP, STABILITY_STEP] {
            let mut w = base;
            w[i] *= f;
            scenarios.push(w);
        }
    }
    let normalized: Vec<[f64; 6]> = items.iter().map(|it| it.terms.normalized()).collect();
    let mut best = vec![usize::MAX; top];
    let mut worst = vec![0usize; top];
    let mut in_top = vec![0usize; top];
    let mut min_overlap: f64 = 1.0;
    let mut same_first = 0usize;
    for w in &scenarios {
        if w.iter().sum::<f64>() <= 0.0 {
            continue;
        }
        let mut order: Vec<usize> = (0..items.len()).collect();
        let scores: Vec<f64> = normalized.iter().map(|n| score(n, w)).collect();
        order.sort_by(|&a, &b| scores[b].total_cmp(&scores[a]).then(a.cmp(&b)));
        let mut rank_of = vec![0usize; items.len()];
        for (r, &i) in order.iter().enumerate() {
            rank_of[i] = r + 1;
        }
        let mut overlap = 0;
        for i in 0..top {
            let r = rank_of[i];
            best[i] = best[i].min(r);
            worst[i] = worst[i].max(r);
            if r <= top {
                in_top[i] += 1;
                overlap += 1;
            }
        }
        same_first += usize::from(order[0] == 0);
        min_overlap = min_overlap.min(overlap as f64 / top as f64);
    }
    let n = scenarios.len() as f64;
    Stability {
        scenarios: scenarios.len(),
        top,
        min_overlap,
        same_first: same_first as f64 / n,
        items: (0..top)
            .map(|i| StableItem {
                node: items[i].node.clone(),
                rank: i + 1,
                best: best[i],
                worst: worst[i],
                in_top: in_top[i] as f64 / n,
            })
            .collect(),
    }
}
