//! The pain ledger: tagged tickets aggregated per node and time bucket.
//!
//! A [`Ledger`] keeps, for every feature, every capability and the
//! unmatched tickets, and for every time bucket ([`Period`]), the counters
//! a product manager asks about: tickets, distinct customers and accounts,
//! the value of the accounts reached, tickets by need, kind and channel,
//! sentiment, CSAT and resolution time.
//!
//! Ledgers are plain data: no I/O, serde both ways, and mergeable. Two
//! ledgers built from any split of the same tickets merge into exactly the
//! ledger of all of them, so shards built on many threads or machines
//! combine. Every sum is kept in fixed point and every distinct count as a
//! set of hashes (or a HyperLogLog, whose registers merge by max), which is
//! what makes merging exact, associative and commutative.
//!
//! # Memory
//!
//! One row per bucket that received a ticket (plus an all-time row), with
//! 128 bytes of counters per node (two cache lines: 32-bit counts and
//! sums, 16-bit needs, the first eight channels), plus 16 bytes for every
//! distinct customer and resolution-time bin and 24 bytes for every
//! distinct account of each node in each row (and up to as much again,
//! plus eight entries per node of the row, in not yet compacted log
//! entries). A node whose counts outgrow 32 bits in a row (or 16 bits
//! for a need, or a sum past `i32`) moves them to a
//! full-width overflow entry of about 330 bytes, once per such node and
//! row, and starts its cell again: counts never wrap or saturate. The
//! serialized form is the full-width one whatever the in-memory split. With
//! [`DistinctCount::Estimate`] a node's customers (accounts) in a row
//! switch to a HyperLogLog of `2^p` bytes past `2^p / 8` keys, bounding
//! memory per node and row.
//!
//! # Layout
//!
//! Each row keeps plain counters per node (the first eight channels
//! included), and append-only logs of `(node, key)` entries
//! (customers, accounts with their value, resolution bins, further
//! channels). Appending touches one cache line; a log is sorted and
//! deduplicated when it doubles (past a slack of eight entries per node,
//! so a fresh row sorts once, not at every thousand tickets), so ingest
//! is O(log n) amortized and merging is little more than appending. The all-time row keeps only its
//! counters current: its distinct sets are the union of the bucket rows',
//! derived once by [`Ledger::compact`] (and on the fly by queries before
//! that), so a ticket's keys are logged once, not twice.

mod cell;
mod ids;
mod row;
mod sketch;

use std::collections::BTreeMap;
use std::ops::RangeInclusive;

use indexmap::IndexMap;
use serde::{Deserialize, Serialize};

use crate::error::{Error, Result};
use crate::product::Product;
use crate::tagged::TaggedTicket;
use crate::ticket::Ticket;
use crate::time::Period;

pub use cell::Stats;
use cell::{CHANNEL_SLOTS, Facts, MICRO, MILLI, fixed, is_negative};
use ids::{IdBuild, IdIndex};
use row::{Row, WireRow};
use sketch::{hash_str, quantile_bin};

/// How a ledger counts distinct customers and accounts.
///
/// ```
/// use painpoint::DistinctCount;
/// let d = DistinctCount::Estimate { precision: 12 };
/// assert!((d.relative_error() - 0.01625).abs() < 1e-4);
/// assert_eq!(DistinctCount::Exact.relative_error(), 0.0);
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
#[non_exhaustive]
pub enum DistinctCount {
    /// Keep every (hashed) customer and account: exact, memory grows with
    /// the number of distinct customers per node and bucket.
    #[default]
    Exact,
    /// Exact up to `2^precision / 8` keys per cell, then a HyperLogLog of
    /// `2^precision` one-byte registers: standard error about
    /// `1.04 / sqrt(2^precision)` (3.3% at 10, 1.6% at 12, 0.8% at 14).
    /// Once estimated, the value reached is estimated as distinct accounts
    /// times the mean value per ticket. `precision` must be in 4..=18.
    Estimate {
        /// Bits of the register index.
        precision: u8,
    },
}

impl DistinctCount {
    /// The standard relative error of a sketched count (0 when exact):
    /// `1.04 / sqrt(2^precision)`. Constant time.
    ///
    /// ```
    /// use painpoint::DistinctCount;
    /// assert_eq!(DistinctCount::Exact.relative_error(), 0.0);
    /// let coarse = DistinctCount::Estimate { precision: 10 }.relative_error();
    /// let fine = DistinctCount::Estimate { precision: 14 }.relative_error();
    /// assert!((coarse - 0.0325).abs() < 1e-9); // 1.04 / 32
    /// assert!((fine - 0.008125).abs() < 1e-9); // 16 times the registers: a quarter of the error
    /// ```
    pub fn relative_error(self) -> f64 {
        match self {
            DistinctCount::Exact => 0.0,
            DistinctCount::Estimate { precision } => 1.04 / f64::from(1u32 << precision).sqrt(),
        }
    }

    fn precision(self) -> Option<u8> {
        match self {
            DistinctCount::Exact => None,
            DistinctCount::Estimate { precision } => Some(precision),
        }
    }
}

/// How a ledger is built. Ledgers merge only when their configs are equal.
///
/// ```
/// use painpoint::{LedgerConfig, Period};
/// let config = LedgerConfig::new(Period::Day).min_score(0.3).max_matches(2);
/// assert_eq!(config.period, Period::Day);
/// assert_eq!(LedgerConfig::default().period, Period::Week);
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct LedgerConfig {
    /// The bucket width (default a week).
    pub period: Period,
    /// Exact or estimated distinct counts (default exact).
    pub distinct: DistinctCount,
    /// Matches below this score are ignored (default 0: every match the
    /// tagger returned).
    pub min_score: f64,
    /// At most this many matches of a ticket are counted, best first
    /// (default 0, meaning all).
    pub max_matches: usize,
}

impl Default for LedgerConfig {
    fn default() -> LedgerConfig {
        LedgerConfig::new(Period::Week)
    }
}

impl LedgerConfig {
    /// The default config with another period: exact distinct counts,
    /// every match counted.
    ///
    /// ```
    /// use painpoint::{DistinctCount, LedgerConfig, Period};
    /// let config = LedgerConfig::new(Period::Month);
    /// assert_eq!(config.period, Period::Month);
    /// assert_eq!(config.distinct, DistinctCount::Exact);
    /// assert_eq!((config.min_score, config.max_matches), (0.0, 0));
    /// ```
    pub fn new(period: Period) -> LedgerConfig {
        LedgerConfig {
            period,
            distinct: DistinctCount::Exact,
            min_score: 0.0,
            max_matches: 0,
        }
    }

    /// Sets how distinct customers and accounts are counted. A precision
    /// outside `4..=18` makes [`Ledger::new`] fail.
    ///
    /// ```
    /// use painpoint::{DistinctCount, Ledger, LedgerConfig, Period, Product};
    /// let sketched = LedgerConfig::new(Period::Week).distinct(DistinctCount::Estimate { precision: 12 });
    /// assert_eq!(sketched.distinct, DistinctCount::Estimate { precision: 12 });
    /// assert!(Ledger::new(&Product::new("app", "App"), sketched).is_ok());
    ///
    /// let too_fine = sketched.distinct(DistinctCount::Estimate { precision: 30 });
    /// let err = Ledger::new(&Product::new("app", "App"), too_fine).unwrap_err();
    /// assert!(err.to_string().starts_with("distinct.precision"));
    /// ```
    pub fn distinct(mut self, distinct: DistinctCount) -> LedgerConfig {
        self.distinct = distinct;
        self
    }

    /// Sets the minimum match score: weaker matches are ignored, and a
    /// ticket left without a match counts as unmatched. Must be finite
    /// ([`Ledger::new`] fails otherwise).
    ///
    /// ```
    /// # use painpoint::{Capability, Feature, Ledger, LedgerConfig, Match, Product, TaggedTicket, Ticket};
    /// # let product = Product::new("app", "App").capability(
    /// #     Capability::new("data", "Data").feature(Feature::new("export", "Export")));
    /// let mut weak = Match::default();
    /// weak.feature = Some("export".into());
    /// weak.capability = "data".into();
    /// weak.score = 0.2;
    /// let mut tagged = TaggedTicket::default();
    /// tagged.matches.push(weak);
    ///
    /// let mut ledger = Ledger::new(&product, LedgerConfig::default().min_score(0.3)).unwrap();
    /// ledger.record(&Ticket::new("t1", "export is slow"), &tagged);
    /// assert_eq!(ledger.total(ledger.node("export").unwrap()).tickets, 0);
    /// assert_eq!(ledger.total(ledger.unmatched()).tickets, 1);
    /// assert!(Ledger::new(&product, LedgerConfig::default().min_score(f64::NAN)).is_err());
    /// ```
    pub fn min_score(mut self, min_score: f64) -> LedgerConfig {
        self.min_score = min_score;
        self
    }

    /// Sets the maximum number of matches counted per ticket (0 = all),
    /// taken in the order of [`TaggedTicket::matches`] (best first).
    ///
    /// ```
    /// # use painpoint::{Capability, Feature, Ledger, LedgerConfig, Period, Product, Tagger, Ticket, Timestamp};
    /// # let product = Product::new("app", "App").capability(
    /// #     Capability::new("data", "Data")
    /// #         .feature(Feature::new("export", "Export").keyword("export to csv"))
    /// #         .feature(Feature::new("import", "Import").keyword("import from csv")),
    /// # );
    /// # let tagger = Tagger::new(&product).unwrap();
    /// let ticket = Ticket::new("t1", "Export to CSV is broken and import from CSV fails too");
    /// let tagged = tagger.tag(&ticket);
    /// assert_eq!(tagged.matches.len(), 2);
    /// let mut all = Ledger::new(&product, LedgerConfig::default()).unwrap();
    /// let mut best = Ledger::new(&product, LedgerConfig::default().max_matches(1)).unwrap();
    /// all.record(&ticket, &tagged);
    /// best.record(&ticket, &tagged);
    /// let features = |l: &Ledger| l.features().map(|f| l.total(f).tickets).sum::<u64>();
    /// assert_eq!((features(&all), features(&best)), (2, 1));
    /// ```
    pub fn max_matches(mut self, max_matches: usize) -> LedgerConfig {
        self.max_matches = max_matches;
        self
    }

    fn validate(&self) -> Result<()> {
        if let DistinctCount::Estimate { precision } = self.distinct
            && !(4..=18).contains(&precision)
        {
            return Err(Error::BadNumber {
                path: "distinct.precision".to_string(),
                value: precision.to_string(),
                rule: "an integer in 4..=18",
            });
        }
        if !self.min_score.is_finite() {
            return Err(Error::BadNumber {
                path: "min_score".to_string(),
                value: self.min_score.to_string(),
                rule: "a finite number",
            });
        }
        Ok(())
    }
}

/// What a ledger node stands for.
///
/// ```
/// use painpoint::{Capability, Feature, Ledger, LedgerConfig, NodeKind, Product};
/// let product = Product::new("app", "App")
///     .capability(Capability::new("data", "Data").feature(Feature::new("export", "Export")));
/// let ledger = Ledger::new(&product, LedgerConfig::default()).unwrap();
/// let kinds: Vec<NodeKind> = ledger.nodes().iter().map(|n| n.kind).collect();
/// assert_eq!(kinds, [NodeKind::Feature, NodeKind::Capability, NodeKind::Unmatched]);
/// assert_eq!(serde_json::to_string(&NodeKind::Unmatched).unwrap(), r#""unmatched""#);
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
#[non_exhaustive]
pub enum NodeKind {
    /// A feature of the product.
    Feature,
    /// A capability: its own matches plus those of its features.
    Capability,
    /// Tickets that matched nothing.
    Unmatched,
}

/// One row of the ledger's node table ([`Ledger::nodes`]).
///
/// ```
/// use painpoint::{Capability, Feature, Ledger, LedgerConfig, NodeKind, Product};
/// let product = Product::new("app", "App")
///     .capability(Capability::new("data", "Data").feature(Feature::new("export", "Export")));
/// let ledger = Ledger::new(&product, LedgerConfig::default()).unwrap();
/// let export = &ledger.nodes()[ledger.node("export").unwrap()];
/// assert_eq!((export.id.as_str(), export.name.as_str()), ("export", "Export"));
/// assert_eq!(export.kind, NodeKind::Feature);
/// assert_eq!(export.capability, ledger.node("data"));
/// let unmatched = &ledger.nodes()[ledger.unmatched()];
/// assert_eq!((unmatched.id.as_str(), unmatched.capability), ("unmatched", None));
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct Node {
    /// The feature's or capability's id (`"unmatched"` for the last node).
    pub id: String,
    /// Display name.
    pub name: String,
    /// Feature, capability or unmatched.
    pub kind: NodeKind,
    /// For a feature, the index of its capability node.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub capability: Option<usize>,
}

/// Tagged tickets aggregated per node (feature, capability, unmatched) and
/// per time bucket.
///
/// Nodes are numbered: features first in product order, then
/// capabilities, then the unmatched node. A capability's cell counts a
/// ticket once if it matched the capability itself or any of its features.
/// A ticket matching two features counts once in each. A ticket without
/// `created_at` goes to an undated row: it counts in [`Ledger::total`] but
/// in no bucket. Nothing is ever dropped: matches naming ids the product
/// does not have are counted in [`Ledger::unknown_matches`], and a ticket
/// with no known match counts as unmatched.
///
/// # Cost
///
/// [`record`](Ledger::record) is O(matches + needs) amortized, with one id
/// lookup per match and three log appends per node hit;
/// [`merge`](Ledger::merge) is linear in the size of the other ledger.
/// Both leave the all-time distinct sets to [`compact`](Ledger::compact).
///
/// # Example
///
/// ```
/// use painpoint::{Capability, Feature, Ledger, LedgerConfig, Period, Product, Tagger, Ticket, Timestamp};
///
/// let product = Product::new("app", "App").capability(
///     Capability::new("data", "Data")
///         .feature(Feature::new("export", "Export").keyword("export to csv"))
///         .feature(Feature::new("import", "Import").keyword("import from csv")),
/// );
/// let tagger = Tagger::new(&product).unwrap();
/// let day = Timestamp::from_date(2024, 3, 4).unwrap();
/// let tickets = [
///     Ticket::new("1", "Export to CSV is broken").created_at(day).customer("ann").account("acme", 1200.0),
///     Ticket::new("2", "export to csv fails again").created_at(day).customer("ann").account("acme", 1200.0),
///     Ticket::new("3", "The weather is nice").created_at(day).customer("bob"),
/// ];
/// let mut a = Ledger::new(&product, LedgerConfig::new(Period::Week)).unwrap();
/// let mut b = Ledger::new(&product, LedgerConfig::new(Period::Week)).unwrap();
/// let mut all = Ledger::new(&product, LedgerConfig::new(Period::Week)).unwrap();
/// for (i, t) in tickets.iter().enumerate() {
///     let tagged = tagger.tag(t);
///     all.record(t, &tagged);
///     if i == 1 { a.record(t, &tagged) } else { b.record(t, &tagged) }
/// }
/// a.merge(&b).unwrap();
/// assert_eq!(a, all);
///
/// let export = all.node("export").unwrap();
/// let total = all.total(export);
/// assert_eq!((total.tickets, total.customers, total.value), (2, 1.0, 1200.0));
/// assert_eq!(all.total(all.unmatched()).tickets, 1);
/// assert_eq!(all.total(all.node("data").unwrap()).tickets, 2);
/// ```
#[derive(Debug, Clone)]
pub struct Ledger {
    product: String,
    config: LedgerConfig,
    nodes: Vec<Node>,
    features: usize,
    index: IdIndex,
    channels: IndexMap<String, u32, IdBuild>,
    channel_names: Vec<String>,
    rows: BTreeMap<i64, Row>,
    undated: Row,
    /// All-time counters, always current; its distinct keys, bins and
    /// channels are the union of the other rows', derived by
    /// [`Ledger::compact`] (stale while `all_stale`).
    all: Row,
    all_stale: bool,
    /// Reused by [`Ledger::record`] for the nodes a ticket hits.
    scratch: Vec<usize>,
    tickets: u64,
    unknown_matches: u64,
}

impl PartialEq for Ledger {
    /// Equal when they hold the same counts: compares the normalized
    /// serialized forms (compacted, sorted, channels by name), so two
    /// ledgers of the same tickets are equal whatever their internal
    /// layout. Cost O(size log size).
    fn eq(&self, other: &Ledger) -> bool {
        self.to_wire() == other.to_wire()
    }
}

impl Ledger {
    /// An empty ledger for a product. Fails if the product is invalid or
    /// the config out of range (the error names the field). Cost linear in
    /// the number of nodes.
    ///
    /// ```
    /// use painpoint::{Capability, Feature, Ledger, LedgerConfig, Period, Product};
    /// let product = Product::new("app", "App").capability(
    ///     Capability::new("data", "Data")
    ///         .feature(Feature::new("export", "Export"))
    ///         .feature(Feature::new("import", "Import")),
    /// );
    /// let ledger = Ledger::new(&product, LedgerConfig::new(Period::Day)).unwrap();
    /// assert_eq!(ledger.nodes().len(), 4); // two features, one capability, unmatched
    /// assert_eq!(ledger.tickets(), 0);
    ///
    /// let err = Ledger::new(&product, LedgerConfig::default().min_score(f64::INFINITY)).unwrap_err();
    /// assert!(err.to_string().starts_with("min_score"));
    /// let nameless = Ledger::new(&Product::new("", "App"), LedgerConfig::default()).unwrap_err();
    /// assert_eq!(nameless.to_string(), "id: must not be empty");
    /// ```
    pub fn new(product: &Product, config: LedgerConfig) -> Result<Ledger> {
        product.validate()?;
        config.validate()?;
        let mut nodes = Vec::new();
        let features: usize = product.capabilities.iter().map(|c| c.features.len()).sum();
        for (cap_index, cap) in (features..).zip(&product.capabilities) {
            for f in &cap.features {
                nodes.push(Node {
                    id: f.id.clone(),
                    name: f.name.clone(),
                    kind: NodeKind::Feature,
                    capability: Some(cap_index),
                });
            }
        }
        for cap in &product.capabilities {
            nodes.push(Node {
                id: cap.id.clone(),
                name: cap.name.clone(),
                kind: NodeKind::Capability,
                capability: None,
            });
        }
        nodes.push(Node {
            id: "unmatched".to_string(),
            name: "Unmatched".to_string(),
            kind: NodeKind::Unmatched,
            capability: None,
        });
        Ledger::from_parts(product.id.clone(), config, nodes)
    }

    fn from_parts(product: String, config: LedgerConfig, nodes: Vec<Node>) -> Result<Ledger> {
        let features = nodes
            .iter()
            .take_while(|n| n.kind == NodeKind::Feature)
            .count();
        let index = IdIndex::new(
            nodes
                .iter()
                .enumerate()
                .filter(|(_, n)| n.kind != NodeKind::Unmatched)
                .map(|(i, n)| (n.id.as_str(), i)),
        );
        Ok(Ledger {
            product,
            config,
            undated: Row::new(nodes.len()),
            all: Row::new(nodes.len()),
            nodes,
            features,
            index,
            channels: IndexMap::default(),
            channel_names: Vec::new(),
            rows: BTreeMap::new(),
            all_stale: false,
            scratch: Vec::new(),
            tickets: 0,
            unknown_matches: 0,
        })
    }

    /// The config the ledger was built with.
    ///
    /// ```
    /// use painpoint::{Ledger, LedgerConfig, Period, Product};
    /// let config = LedgerConfig::new(Period::Day).min_score(0.4);
    /// let ledger = Ledger::new(&Product::new("app", "App"), config).unwrap();
    /// assert_eq!(ledger.config(), &config);
    /// assert_eq!(ledger.config().min_score, 0.4);
    /// ```
    pub fn config(&self) -> &LedgerConfig {
        &self.config
    }

    /// The bucket width: [`Period::bucket`] of this period gives the
    /// bucket indices that [`count`](Ledger::count), [`series`](Ledger::series)
    /// and [`stats`](Ledger::stats) take.
    ///
    /// ```
    /// # use painpoint::{Capability, Feature, Ledger, LedgerConfig, Period, Product, Tagger, Ticket, Timestamp};
    /// # let product = Product::new("app", "App").capability(
    /// #     Capability::new("data", "Data")
    /// #         .feature(Feature::new("export", "Export").keyword("export to csv"))
    /// #         .feature(Feature::new("import", "Import").keyword("import from csv")),
    /// # );
    /// # let tagger = Tagger::new(&product).unwrap();
    /// let mut ledger = Ledger::new(&product, LedgerConfig::new(Period::Month)).unwrap();
    /// assert_eq!(ledger.period(), Period::Month);
    /// let day = Timestamp::from_date(2024, 3, 20).unwrap();
    /// let ticket = Ticket::new("t1", "Export to CSV is broken").created_at(day);
    /// ledger.record(&ticket, &tagger.tag(&ticket));
    /// let march = ledger.period().bucket(day);
    /// assert_eq!(ledger.count(ledger.node("export").unwrap(), march), 1);
    /// ```
    pub fn period(&self) -> Period {
        self.config.period
    }

    /// The product's id. Only ledgers of the same product (and node
    /// table) merge.
    ///
    /// ```
    /// use painpoint::{Ledger, LedgerConfig, Product};
    /// let mut app = Ledger::new(&Product::new("app", "App"), LedgerConfig::default()).unwrap();
    /// let web = Ledger::new(&Product::new("web", "Web"), LedgerConfig::default()).unwrap();
    /// assert_eq!((app.product(), web.product()), ("app", "web"));
    /// assert!(app.merge(&web).is_err());
    /// ```
    pub fn product(&self) -> &str {
        &self.product
    }

    /// Every node: features (in product order), then capabilities, then
    /// unmatched. A node's index in this slice is what the queries take.
    ///
    /// ```
    /// # use painpoint::{Capability, Feature, Ledger, LedgerConfig, Period, Product, Tagger, Ticket, Timestamp};
    /// # let product = Product::new("app", "App").capability(
    /// #     Capability::new("data", "Data")
    /// #         .feature(Feature::new("export", "Export").keyword("export to csv"))
    /// #         .feature(Feature::new("import", "Import").keyword("import from csv")),
    /// # );
    /// # let tagger = Tagger::new(&product).unwrap();
    /// let ledger = Ledger::new(&product, LedgerConfig::default()).unwrap();
    /// let ids: Vec<&str> = ledger.nodes().iter().map(|n| n.id.as_str()).collect();
    /// assert_eq!(ids, ["export", "import", "data", "unmatched"]);
    /// ```
    pub fn nodes(&self) -> &[Node] {
        &self.nodes
    }

    /// The indices of the feature nodes.
    ///
    /// ```
    /// # use painpoint::{Capability, Feature, Ledger, LedgerConfig, Period, Product, Tagger, Ticket, Timestamp};
    /// # let product = Product::new("app", "App").capability(
    /// #     Capability::new("data", "Data")
    /// #         .feature(Feature::new("export", "Export").keyword("export to csv"))
    /// #         .feature(Feature::new("import", "Import").keyword("import from csv")),
    /// # );
    /// # let tagger = Tagger::new(&product).unwrap();
    /// # use painpoint::NodeKind;
    /// let ledger = Ledger::new(&product, LedgerConfig::default()).unwrap();
    /// assert_eq!(ledger.features(), 0..2);
    /// assert!(ledger.features().all(|i| ledger.nodes()[i].kind == NodeKind::Feature));
    /// ```
    pub fn features(&self) -> std::ops::Range<usize> {
        0..self.features
    }

    /// The indices of the capability nodes.
    ///
    /// ```
    /// # use painpoint::{Capability, Feature, Ledger, LedgerConfig, Period, Product, Tagger, Ticket, Timestamp};
    /// # let product = Product::new("app", "App").capability(
    /// #     Capability::new("data", "Data")
    /// #         .feature(Feature::new("export", "Export").keyword("export to csv"))
    /// #         .feature(Feature::new("import", "Import").keyword("import from csv")),
    /// # );
    /// # let tagger = Tagger::new(&product).unwrap();
    /// let ledger = Ledger::new(&product, LedgerConfig::default()).unwrap();
    /// assert_eq!(ledger.capabilities(), 2..3);
    /// assert_eq!(ledger.nodes()[2].id, "data");
    /// ```
    pub fn capabilities(&self) -> std::ops::Range<usize> {
        self.features..self.nodes.len() - 1
    }

    /// The index of the unmatched node (the last one): where tickets
    /// without a known match count.
    ///
    /// ```
    /// # use painpoint::{Capability, Feature, Ledger, LedgerConfig, Period, Product, Tagger, Ticket, Timestamp};
    /// # let product = Product::new("app", "App").capability(
    /// #     Capability::new("data", "Data")
    /// #         .feature(Feature::new("export", "Export").keyword("export to csv"))
    /// #         .feature(Feature::new("import", "Import").keyword("import from csv")),
    /// # );
    /// # let tagger = Tagger::new(&product).unwrap();
    /// let mut ledger = Ledger::new(&product, LedgerConfig::default()).unwrap();
    /// assert_eq!(ledger.unmatched(), ledger.nodes().len() - 1);
    /// let ticket = Ticket::new("t1", "The weather is nice");
    /// ledger.record(&ticket, &tagger.tag(&ticket));
    /// assert_eq!(ledger.total(ledger.unmatched()).tickets, 1);
    /// ```
    pub fn unmatched(&self) -> usize {
        self.nodes.len() - 1
    }

    /// The index of a feature or capability by id; `None` for any other
    /// id, `"unmatched"` included (use [`unmatched`](Ledger::unmatched)).
    /// One hash lookup.
    ///
    /// ```
    /// # use painpoint::{Capability, Feature, Ledger, LedgerConfig, Period, Product, Tagger, Ticket, Timestamp};
    /// # let product = Product::new("app", "App").capability(
    /// #     Capability::new("data", "Data")
    /// #         .feature(Feature::new("export", "Export").keyword("export to csv"))
    /// #         .feature(Feature::new("import", "Import").keyword("import from csv")),
    /// # );
    /// # let tagger = Tagger::new(&product).unwrap();
    /// let ledger = Ledger::new(&product, LedgerConfig::default()).unwrap();
    /// assert_eq!(ledger.node("import"), Some(1));
    /// assert_eq!(ledger.node("data"), Some(2));
    /// assert_eq!(ledger.node("unmatched"), None);
    /// assert_eq!(ledger.node("billing"), None);
    /// ```
    pub fn node(&self, id: &str) -> Option<usize> {
        self.index.get(id)
    }

    /// Tickets recorded (each once, whatever it matched; undated ones
    /// included).
    ///
    /// ```
    /// # use painpoint::{Capability, Feature, Ledger, LedgerConfig, Period, Product, Tagger, Ticket, Timestamp};
    /// # let product = Product::new("app", "App").capability(
    /// #     Capability::new("data", "Data")
    /// #         .feature(Feature::new("export", "Export").keyword("export to csv"))
    /// #         .feature(Feature::new("import", "Import").keyword("import from csv")),
    /// # );
    /// # let tagger = Tagger::new(&product).unwrap();
    /// let mut ledger = Ledger::new(&product, LedgerConfig::default()).unwrap();
    /// for (id, text) in [("t1", "Export to CSV is broken and import from CSV fails too"), ("t2", "The weather is nice")] {
    ///     let ticket = Ticket::new(id, text);
    ///     ledger.record(&ticket, &tagger.tag(&ticket));
    /// }
    /// assert_eq!(ledger.tickets(), 2);
    /// ```
    pub fn tickets(&self) -> u64 {
        self.tickets
    }

    /// Matches whose feature and capability the product both lacks (a
    /// tagger built from another version of the product). A match whose
    /// feature is unknown but whose capability is known counts for the
    /// capability instead.
    ///
    /// ```
    /// # use painpoint::{Capability, Feature, Ledger, LedgerConfig, Match, Product, TaggedTicket, Ticket};
    /// # let product = Product::new("app", "App").capability(
    /// #     Capability::new("data", "Data").feature(Feature::new("export", "Export")));
    /// let tagged = |feature: &str, capability: &str| {
    ///     let mut m = Match::default();
    ///     m.feature = Some(feature.into());
    ///     m.capability = capability.into();
    ///     let mut tagged = TaggedTicket::default();
    ///     tagged.matches.push(m);
    ///     tagged
    /// };
    /// let mut ledger = Ledger::new(&product, LedgerConfig::default()).unwrap();
    /// ledger.record(&Ticket::new("t1", "sync is slow"), &tagged("sync", "cloud"));
    /// ledger.record(&Ticket::new("t2", "sync is slow"), &tagged("sync", "data"));
    /// assert_eq!(ledger.unknown_matches(), 1);
    /// assert_eq!(ledger.total(ledger.unmatched()).tickets, 1); // nothing is lost
    /// assert_eq!(ledger.total(ledger.node("data").unwrap()).tickets, 1);
    /// ```
    pub fn unknown_matches(&self) -> u64 {
        self.unknown_matches
    }

    /// The first and last bucket index that received a dated ticket;
    /// `None` while there is none. Constant time.
    ///
    /// ```
    /// # use painpoint::{Capability, Feature, Ledger, LedgerConfig, Period, Product, Tagger, Ticket, Timestamp};
    /// # let product = Product::new("app", "App").capability(
    /// #     Capability::new("data", "Data")
    /// #         .feature(Feature::new("export", "Export").keyword("export to csv"))
    /// #         .feature(Feature::new("import", "Import").keyword("import from csv")),
    /// # );
    /// # let tagger = Tagger::new(&product).unwrap();
    /// let mut ledger = Ledger::new(&product, LedgerConfig::new(Period::Week)).unwrap();
    /// assert_eq!(ledger.bucket_range(), None);
    /// let (march, april) = (Timestamp::from_date(2024, 3, 4).unwrap(), Timestamp::from_date(2024, 4, 1).unwrap());
    /// for ticket in [
    ///     Ticket::new("t1", "Export to CSV is broken").created_at(april),
    ///     Ticket::new("t2", "The weather is nice").created_at(march),
    ///     Ticket::new("t3", "import from csv fails"), // undated: no bucket
    /// ] {
    ///     ledger.record(&ticket, &tagger.tag(&ticket));
    /// }
    /// let (first, last) = ledger.bucket_range().unwrap();
    /// assert_eq!((first, last), (Period::Week.bucket(march), Period::Week.bucket(april)));
    /// assert_eq!(last - first, 4);
    /// ```
    pub fn bucket_range(&self) -> Option<(i64, i64)> {
        Some((*self.rows.keys().next()?, *self.rows.keys().next_back()?))
    }

    /// Dated tickets in a range of buckets (each ticket once). Cost
    /// O(log buckets + buckets with tickets in the range), whatever the
    /// range's width, so `i64::MIN..=i64::MAX` counts every dated ticket.
    ///
    /// ```
    /// # use painpoint::{Ledger, LedgerConfig, Period, Product, TaggedTicket, Ticket, Timestamp};
    /// let mut ledger = Ledger::new(&Product::new("app", "App"), LedgerConfig::new(Period::Day)).unwrap();
    /// for (id, day) in [("t1", Some(0)), ("t2", Some(400)), ("t3", None)] {
    ///     let mut ticket = Ticket::new(id, "hello");
    ///     if let Some(day) = day {
    ///         ticket = ticket.created_at(Timestamp::from_unix(day * 86_400));
    ///     }
    ///     ledger.record(&ticket, &TaggedTicket::default());
    /// }
    /// assert_eq!(ledger.tickets_between(i64::MIN..=i64::MAX), 2); // t3 is undated
    /// assert_eq!(ledger.tickets_between(1..=400), 1);
    /// ```
    pub fn tickets_between(&self, buckets: RangeInclusive<i64>) -> u64 {
        self.rows.range(buckets).map(|(_, row)| row.tickets).sum()
    }

    /// Adds one tagged ticket.
    ///
    /// The ticket counts once in each node it matched (after
    /// [`LedgerConfig::min_score`] and [`LedgerConfig::max_matches`]), once
    /// in each of their capabilities, or once in the unmatched node.
    /// Non-finite numbers (value, CSAT, resolution) are ignored, negative
    /// resolution times too.
    ///
    /// ```
    /// # use painpoint::{Capability, Feature, Ledger, LedgerConfig, Period, Product, Tagger, Ticket, Timestamp};
    /// # let product = Product::new("app", "App").capability(
    /// #     Capability::new("data", "Data")
    /// #         .feature(Feature::new("export", "Export").keyword("export to csv"))
    /// #         .feature(Feature::new("import", "Import").keyword("import from csv")),
    /// # );
    /// # let tagger = Tagger::new(&product).unwrap();
    /// let mut ledger = Ledger::new(&product, LedgerConfig::default()).unwrap();
    /// let day = Timestamp::from_date(2024, 3, 4).unwrap();
    /// let ticket = Ticket::new("t1", "Export to CSV is broken")
    ///     .created_at(day)
    ///     .customer("ann")
    ///     .csat(f64::NAN)
    ///     .resolution_hours(12.0);
    /// ledger.record(&ticket, &tagger.tag(&ticket));
    /// let tickets = |id: &str| ledger.total(ledger.node(id).unwrap()).tickets;
    /// assert_eq!((tickets("export"), tickets("data"), tickets("import")), (1, 1, 0));
    /// let export = ledger.total(ledger.node("export").unwrap());
    /// assert_eq!((export.csat_count, export.resolution_count), (0, 1));
    /// assert_eq!(ledger.total(ledger.unmatched()).tickets, 0);
    /// ```
    pub fn record(&mut self, ticket: &Ticket, tagged: &TaggedTicket) {
        // Reuse the buffer: no allocation per ticket.
        let mut hits = std::mem::take(&mut self.scratch);
        hits.clear();
        let facts = self.resolve(ticket, tagged, &mut hits);
        let bucket = ticket.created_at.map(|t| self.config.period.bucket(t));
        let precision = self.config.distinct.precision();
        let row = self.row_mut(bucket);
        row.add(&hits, &facts, precision);
        self.all.add_counters(&hits, &facts);
        self.all_stale = true;
        self.tickets += 1;
        self.scratch = hits;
    }

    /// Adds many tagged tickets: the same counts as calling
    /// [`record`](Ledger::record) on each, faster. Tickets are staged in
    /// chunks and added bucket by bucket, and within a bucket node by
    /// node, so counters are written in address order and each bucket's
    /// logs stay in cache while its tickets go in. Cost as `record`, plus
    /// one counting sort of each chunk's hits by (bucket, node), O(hits +
    /// buckets spanned x nodes), or a comparison sort when the chunk's
    /// buckets lie too far apart for that table; memory O(chunk) beyond
    /// the ledger (the table is capped at 4 x hits + 65,536 counters).
    ///
    /// ```
    /// use painpoint::{Ledger, LedgerConfig, Product, TaggedTicket, Ticket, Timestamp};
    ///
    /// let product = Product::new("app", "App");
    /// let day = Timestamp::from_date(2024, 3, 4).unwrap();
    /// let tickets: Vec<(Ticket, TaggedTicket)> = (0..3)
    ///     .map(|i| {
    ///         let t = Ticket::new(i.to_string(), "hello").created_at(day).customer("ann");
    ///         let tagged = TaggedTicket::default();
    ///         (t, tagged)
    ///     })
    ///     .collect();
    /// let mut one_by_one = Ledger::new(&product, LedgerConfig::default()).unwrap();
    /// for (t, tagged) in &tickets {
    ///     one_by_one.record(t, tagged);
    /// }
    /// let mut batch = Ledger::new(&product, LedgerConfig::default()).unwrap();
    /// batch.record_all(tickets.iter().map(|(t, tagged)| (t, tagged)));
    /// assert_eq!(batch, one_by_one);
    /// assert_eq!(batch.total(batch.unmatched()).customers, 1.0);
    /// ```
    pub fn record_all<'a, I>(&mut self, tickets: I)
    where
        I: IntoIterator<Item = (&'a Ticket, &'a TaggedTicket)>,
    {
        // Large enough that a bucket's run is long, small enough to stay
        // in cache (a staged ticket is about 100 bytes).
        const CHUNK: usize = 1 << 14;
        let precision = self.config.distinct.precision();
        let mut staged: Vec<Staged> = Vec::with_capacity(CHUNK);
        let mut hits: Vec<usize> = Vec::new();
        let mut one: Vec<usize> = Vec::new();
        let mut groups = Groups::default();
        let mut tickets = tickets.into_iter().peekable();
        while tickets.peek().is_some() {
            staged.clear();
            hits.clear();
            for (ticket, tagged) in tickets.by_ref().take(CHUNK) {
                one.clear();
                let facts = self.resolve(ticket, tagged, &mut one);
                let start = hits.len();
                hits.extend_from_slice(&one);
                staged.push(Staged {
                    bucket: ticket.created_at.map(|t| self.config.period.bucket(t)),
                    hits: start as u32..hits.len() as u32,
                    facts,
                });
            }
            groups.fill(&staged, &hits, self.nodes.len());
            let nodes = self.nodes.len();
            for (bucket, count, range) in groups.runs.drain(..) {
                let row = match bucket {
                    Some(b) => self.rows.entry(b).or_insert_with(|| Row::new(nodes)),
                    None => &mut self.undated,
                };
                row.tickets += count;
                self.all.tickets += count;
                for &hit in &groups.pairs[range] {
                    let (node, facts) = ((hit >> 32) as usize, &staged[hit as u32 as usize].facts);
                    row.add_node(node, facts, precision);
                    self.all.add_counter(node, facts);
                }
            }
            self.tickets += staged.len() as u64;
            self.all_stale |= !staged.is_empty();
        }
    }

    /// The row of a bucket (`None`: undated), created if new.
    fn row_mut(&mut self, bucket: Option<i64>) -> &mut Row {
        let nodes = self.nodes.len();
        match bucket {
            Some(b) => self.rows.entry(b).or_insert_with(|| Row::new(nodes)),
            None => &mut self.undated,
        }
    }

    /// The nodes a ticket counts in (into `hit`: matched features and
    /// capabilities, their capabilities, or else the unmatched node) and
    /// what it brings; counts unknown matches.
    fn resolve(&mut self, ticket: &Ticket, tagged: &TaggedTicket, hit: &mut Vec<usize>) -> Facts {
        let limit = if self.config.max_matches == 0 {
            usize::MAX
        } else {
            self.config.max_matches
        };
        let push = |i: usize, hit: &mut Vec<usize>| {
            if !hit.contains(&i) {
                hit.push(i);
            }
        };
        for m in tagged
            .matches
            .iter()
            .filter(|m| m.score >= self.config.min_score)
            .take(limit)
        {
            let found = m
                .feature
                .as_deref()
                .and_then(|f| self.index.get(f))
                .or_else(|| self.index.get(m.capability.as_str()));
            match found {
                Some(i) => {
                    push(i, hit);
                    if let Some(c) = self.nodes[i].capability {
                        push(c, hit);
                    }
                }
                None => self.unknown_matches += 1,
            }
        }
        if hit.is_empty() {
            hit.push(self.nodes.len() - 1);
        }
        let channel = ticket.channel.as_deref().map(|c| self.channel_id(c));
        facts(ticket, tagged, channel)
    }

    fn channel_id(&mut self, name: &str) -> u32 {
        // A helpdesk has a handful of channels: comparing with the first
        // few names is cheaper than hashing the name.
        let dense = &self.channel_names[..self.channel_names.len().min(CHANNEL_SLOTS)];
        if let Some(id) = dense.iter().position(|n| n == name) {
            return id as u32;
        }
        if let Some(&id) = self.channels.get(name) {
            return id;
        }
        let id = self.channel_names.len() as u32;
        self.channels.insert(name.to_string(), id);
        self.channel_names.push(name.to_string());
        id
    }

    /// Adds every count of `other` to this ledger.
    ///
    /// Exact: the result equals the ledger built from both ledgers'
    /// tickets, whatever the split (merging is associative and
    /// commutative). Fails with [`Error::Mismatch`] when the products
    /// (ids and node tables) or configs differ. Cost linear in `other`.
    ///
    /// ```
    /// # use painpoint::{Capability, Feature, Ledger, LedgerConfig, Period, Product, Tagger, Ticket, Timestamp};
    /// # let product = Product::new("app", "App").capability(
    /// #     Capability::new("data", "Data")
    /// #         .feature(Feature::new("export", "Export").keyword("export to csv"))
    /// #         .feature(Feature::new("import", "Import").keyword("import from csv")),
    /// # );
    /// # let tagger = Tagger::new(&product).unwrap();
    /// # use painpoint::Error;
    /// let day = Timestamp::from_date(2024, 3, 4).unwrap();
    /// let mut a = Ledger::new(&product, LedgerConfig::new(Period::Week)).unwrap();
    /// let mut b = a.clone();
    /// let t1 = Ticket::new("t1", "Export to CSV is broken").created_at(day).customer("ann");
    /// let t2 = Ticket::new("t2", "export to csv fails again").created_at(day).customer("ann");
    /// a.record(&t1, &tagger.tag(&t1));
    /// b.record(&t2, &tagger.tag(&t2));
    /// a.merge(&b).unwrap();
    /// let export = a.total(a.node("export").unwrap());
    /// assert_eq!((a.tickets(), export.tickets, export.customers), (2, 2, 1.0)); // ann once
    ///
    /// let daily = Ledger::new(&product, LedgerConfig::new(Period::Day)).unwrap();
    /// assert!(matches!(a.merge(&daily), Err(Error::Mismatch { .. })));
    /// assert_eq!(a.tickets(), 2); // unchanged by the failed merge
    /// ```
    pub fn merge(&mut self, other: &Ledger) -> Result<()> {
        if self.product != other.product || self.nodes != other.nodes {
            return Err(Error::Mismatch {
                what: "ledger merge",
                reason: format!(
                    "products differ: {:?} ({} nodes) vs {:?} ({} nodes)",
                    self.product,
                    self.nodes.len(),
                    other.product,
                    other.nodes.len()
                ),
            });
        }
        if self.config != other.config {
            return Err(Error::Mismatch {
                what: "ledger merge",
                reason: format!("configs differ: {:?} vs {:?}", self.config, other.config),
            });
        }
        let precision = self.config.distinct.precision();
        let nodes = self.nodes.len();
        let map: Vec<u32> = other
            .channel_names
            .iter()
            .map(|name| self.channel_id(name))
            .collect();
        for (&b, theirs) in &other.rows {
            self.rows
                .entry(b)
                .or_insert_with(|| Row::new(nodes))
                .merge(theirs, &map, precision);
        }
        self.undated.merge(&other.undated, &map, precision);
        // Counters only: the dense channels are derived again (stale).
        self.all.merge_counters(&other.all);
        self.all_stale = true;
        self.tickets = self.tickets.wrapping_add(other.tickets);
        self.unknown_matches = self.unknown_matches.wrapping_add(other.unknown_matches);
        Ok(())
    }

    /// Sorts and deduplicates every log now and derives the all-time
    /// row's distinct sets, so that queries ([`totals`](Ledger::totals),
    /// [`stats_range`](Ledger::stats_range)) only read. Optional: queries
    /// compact a copy when needed. Call it once after ingest (or merge) and
    /// before reporting; cost O(t log t) for t entries appended since the
    /// last compaction, plus O(e log e) for the e entries of the all-time
    /// row when tickets arrived since.
    ///
    /// ```
    /// # use painpoint::{Capability, Feature, Ledger, LedgerConfig, Period, Product, Tagger, Ticket, Timestamp};
    /// # let product = Product::new("app", "App").capability(
    /// #     Capability::new("data", "Data")
    /// #         .feature(Feature::new("export", "Export").keyword("export to csv"))
    /// #         .feature(Feature::new("import", "Import").keyword("import from csv")),
    /// # );
    /// # let tagger = Tagger::new(&product).unwrap();
    /// let mut ledger = Ledger::new(&product, LedgerConfig::default()).unwrap();
    /// let day = Timestamp::from_date(2024, 3, 4).unwrap();
    /// for (i, who) in ["ann", "bob", "ann"].iter().enumerate() {
    ///     let ticket = Ticket::new(i.to_string(), "Export to CSV is broken").created_at(day).customer(*who);
    ///     ledger.record(&ticket, &tagger.tag(&ticket));
    /// }
    /// let before = ledger.clone();
    /// ledger.compact();
    /// assert_eq!(ledger, before); // same counts, read-only queries from now on
    /// assert_eq!(ledger.total(ledger.node("export").unwrap()).customers, 2.0);
    /// ```
    pub fn compact(&mut self) {
        let precision = self.config.distinct.precision();
        for row in self.rows.values_mut() {
            row.compact(precision);
        }
        self.undated.compact(precision);
        if self.all_stale {
            // The rows are compacted now: union their sorted runs.
            let rows: Vec<&Row> = self.rows.values().chain([&self.undated]).collect();
            self.all.union_sets(&rows, precision);
            self.all_stale = false;
        }
    }

    /// The all-time row with its distinct keys, bins and channels derived
    /// from the other rows.
    fn derive_all(&self) -> Row {
        let mut all = self.all.counters_only();
        all.reserve_sets(self.rows.values().chain([&self.undated]));
        for row in self.rows.values().chain([&self.undated]) {
            all.absorb_sets(row);
        }
        all.compact(self.config.distinct.precision());
        all
    }

    /// The all-time row, derived on the fly if stale.
    fn all_row(&self) -> std::borrow::Cow<'_, Row> {
        if self.all_stale {
            std::borrow::Cow::Owned(self.derive_all())
        } else {
            std::borrow::Cow::Borrowed(&self.all)
        }
    }

    /// Tickets of `node` in bucket `bucket` (a [`Period::bucket`] index);
    /// 0 for a bucket or node without tickets. O(log buckets).
    ///
    /// ```
    /// # use painpoint::{Capability, Feature, Ledger, LedgerConfig, Period, Product, Tagger, Ticket, Timestamp};
    /// # let product = Product::new("app", "App").capability(
    /// #     Capability::new("data", "Data")
    /// #         .feature(Feature::new("export", "Export").keyword("export to csv"))
    /// #         .feature(Feature::new("import", "Import").keyword("import from csv")),
    /// # );
    /// # let tagger = Tagger::new(&product).unwrap();
    /// let mut ledger = Ledger::new(&product, LedgerConfig::new(Period::Week)).unwrap();
    /// let day = Timestamp::from_date(2024, 3, 4).unwrap();
    /// for (id, text) in [("t1", "Export to CSV is broken"), ("t2", "export to csv fails again")] {
    ///     let ticket = Ticket::new(id, text).created_at(day);
    ///     ledger.record(&ticket, &tagger.tag(&ticket));
    /// }
    /// let (export, week) = (ledger.node("export").unwrap(), Period::Week.bucket(day));
    /// assert_eq!(ledger.count(export, week), 2);
    /// assert_eq!(ledger.count(export, week + 1), 0);
    /// assert_eq!(ledger.count(ledger.node("import").unwrap(), week), 0);
    /// ```
    pub fn count(&self, node: usize, bucket: i64) -> u64 {
        self.rows.get(&bucket).map_or(0, |r| r.tickets_of(node))
    }

    /// Tickets of `node` in each bucket of `buckets`, zeros included.
    /// Cost O(len + log buckets).
    ///
    /// ```
    /// # use painpoint::{Capability, Feature, Ledger, LedgerConfig, Period, Product, Tagger, Ticket, Timestamp};
    /// # let product = Product::new("app", "App").capability(
    /// #     Capability::new("data", "Data")
    /// #         .feature(Feature::new("export", "Export").keyword("export to csv"))
    /// #         .feature(Feature::new("import", "Import").keyword("import from csv")),
    /// # );
    /// # let tagger = Tagger::new(&product).unwrap();
    /// let mut ledger = Ledger::new(&product, LedgerConfig::new(Period::Week)).unwrap();
    /// let monday = Timestamp::from_date(2024, 3, 4).unwrap();
    /// let week = Period::Week.bucket(monday);
    /// for (i, days) in [0, 14, 15].into_iter().enumerate() {
    ///     let at = Timestamp::from_unix(monday.unix() + days * 86_400);
    ///     let ticket = Ticket::new(i.to_string(), "Export to CSV is broken").created_at(at);
    ///     ledger.record(&ticket, &tagger.tag(&ticket));
    /// }
    /// let export = ledger.node("export").unwrap();
    /// assert_eq!(ledger.series(export, week..=week + 3), [1, 0, 2, 0]);
    /// ```
    pub fn series(&self, node: usize, buckets: RangeInclusive<i64>) -> Vec<u64> {
        let mut out = vec![0; range_len(&buckets)];
        for (&b, row) in self.rows.range(buckets.clone()) {
            out[(b - buckets.start()) as usize] = row.tickets_of(node);
        }
        out
    }

    /// Tickets in each bucket of `buckets` (each ticket once, whatever it
    /// matched): the total volume. Cost O(len + log buckets).
    ///
    /// ```
    /// # use painpoint::{Capability, Feature, Ledger, LedgerConfig, Period, Product, Tagger, Ticket, Timestamp};
    /// # let product = Product::new("app", "App").capability(
    /// #     Capability::new("data", "Data")
    /// #         .feature(Feature::new("export", "Export").keyword("export to csv"))
    /// #         .feature(Feature::new("import", "Import").keyword("import from csv")),
    /// # );
    /// # let tagger = Tagger::new(&product).unwrap();
    /// let mut ledger = Ledger::new(&product, LedgerConfig::new(Period::Week)).unwrap();
    /// let day = Timestamp::from_date(2024, 3, 4).unwrap();
    /// for (id, text) in [("t1", "Export to CSV is broken and import from CSV fails too"), ("t2", "The weather is nice")] {
    ///     let ticket = Ticket::new(id, text).created_at(day);
    ///     ledger.record(&ticket, &tagger.tag(&ticket));
    /// }
    /// let week = Period::Week.bucket(day);
    /// assert_eq!(ledger.volume(week..=week + 1), [2, 0]);
    /// let features: u64 = ledger.features().map(|f| ledger.count(f, week)).sum();
    /// assert_eq!(features, 2); // t1 counts in both features, once in the volume
    /// ```
    pub fn volume(&self, buckets: RangeInclusive<i64>) -> Vec<u64> {
        let mut out = vec![0; range_len(&buckets)];
        for (&b, row) in self.rows.range(buckets.clone()) {
            out[(b - buckets.start()) as usize] = row.tickets;
        }
        out
    }

    /// Tickets of `node` per kind over a range of buckets, indexed in
    /// [`Kind::ALL`](crate::Kind::ALL) order (`kinds[Kind::Bug as usize]`);
    /// tickets without a kind are left out. Cheap: sums counters, no
    /// distinct sets.
    ///
    /// ```
    /// # use painpoint::{Capability, Feature, Ledger, LedgerConfig, Period, Product, Tagger, Ticket, Timestamp};
    /// # let product = Product::new("app", "App").capability(
    /// #     Capability::new("data", "Data")
    /// #         .feature(Feature::new("export", "Export").keyword("export to csv"))
    /// #         .feature(Feature::new("import", "Import").keyword("import from csv")),
    /// # );
    /// # let tagger = Tagger::new(&product).unwrap();
    /// # use painpoint::Kind;
    /// let mut ledger = Ledger::new(&product, LedgerConfig::new(Period::Week)).unwrap();
    /// let day = Timestamp::from_date(2024, 3, 4).unwrap();
    /// for (id, text) in [
    ///     ("t1", "Export to CSV crashes the app every time"),
    ///     ("t2", "export to csv fails again"),
    ///     ("t3", "I love the export to CSV, great job!"),
    /// ] {
    ///     let ticket = Ticket::new(id, text).created_at(day);
    ///     ledger.record(&ticket, &tagger.tag(&ticket));
    /// }
    /// let week = Period::Week.bucket(day);
    /// let kinds = ledger.kinds(ledger.node("export").unwrap(), week..=week);
    /// assert_eq!(kinds[Kind::Bug as usize], 2);
    /// assert_eq!(kinds[Kind::Praise as usize], 1);
    /// assert_eq!(kinds.iter().sum::<u64>(), 3);
    /// ```
    pub fn kinds(&self, node: usize, buckets: RangeInclusive<i64>) -> [u64; 6] {
        let mut out = [0; 6];
        for row in self.rows.range(buckets).map(|(_, r)| r) {
            for (a, b) in out.iter_mut().zip(row.kinds_of(node)) {
                *a += b;
            }
        }
        out
    }

    /// What the ledger knows about `node` in one bucket. Cost linear in
    /// the bucket's size.
    ///
    /// ```
    /// # use painpoint::{Capability, Feature, Ledger, LedgerConfig, Period, Product, Tagger, Ticket, Timestamp};
    /// # let product = Product::new("app", "App").capability(
    /// #     Capability::new("data", "Data")
    /// #         .feature(Feature::new("export", "Export").keyword("export to csv"))
    /// #         .feature(Feature::new("import", "Import").keyword("import from csv")),
    /// # );
    /// # let tagger = Tagger::new(&product).unwrap();
    /// let mut ledger = Ledger::new(&product, LedgerConfig::new(Period::Week)).unwrap();
    /// let day = Timestamp::from_date(2024, 3, 4).unwrap();
    /// for (id, who, account, value) in [("t1", "ann", "acme", 1200.0), ("t2", "bob", "acme", 1200.0), ("t3", "cy", "initech", 300.0)] {
    ///     let ticket = Ticket::new(id, "Export to CSV is broken").created_at(day).customer(who).account(account, value);
    ///     ledger.record(&ticket, &tagger.tag(&ticket));
    /// }
    /// let week = ledger.stats(ledger.node("export").unwrap(), Period::Week.bucket(day));
    /// assert_eq!((week.tickets, week.customers, week.accounts), (3, 3.0, 2.0));
    /// assert_eq!(week.value, 1500.0); // each account once
    /// assert!(week.exact);
    /// ```
    pub fn stats(&self, node: usize, bucket: i64) -> Stats {
        self.stats_range(node, bucket..=bucket)
    }

    /// What the ledger knows about `node` over a range of buckets:
    /// distinct customers and accounts are counted once over the range.
    /// Cost linear in the rows' sizes.
    ///
    /// ```
    /// # use painpoint::{Capability, Feature, Ledger, LedgerConfig, Period, Product, Tagger, Ticket, Timestamp};
    /// # let product = Product::new("app", "App").capability(
    /// #     Capability::new("data", "Data")
    /// #         .feature(Feature::new("export", "Export").keyword("export to csv"))
    /// #         .feature(Feature::new("import", "Import").keyword("import from csv")),
    /// # );
    /// # let tagger = Tagger::new(&product).unwrap();
    /// let mut ledger = Ledger::new(&product, LedgerConfig::new(Period::Week)).unwrap();
    /// let monday = Timestamp::from_date(2024, 3, 4).unwrap();
    /// let next_monday = Timestamp::from_date(2024, 3, 11).unwrap();
    /// for (id, at) in [("t1", monday), ("t2", next_monday)] {
    ///     let ticket = Ticket::new(id, "Export to CSV is broken").created_at(at).customer("ann");
    ///     ledger.record(&ticket, &tagger.tag(&ticket));
    /// }
    /// let (export, week) = (ledger.node("export").unwrap(), Period::Week.bucket(monday));
    /// let both = ledger.stats_range(export, week..=week + 1);
    /// assert_eq!((both.tickets, both.customers), (2, 1.0)); // ann once over the range
    /// let summed: f64 = (week..=week + 1).map(|b| ledger.stats(export, b).customers).sum();
    /// assert_eq!(summed, 2.0); // once per week
    /// ```
    pub fn stats_range(&self, node: usize, buckets: RangeInclusive<i64>) -> Stats {
        Row::stats_over(
            self.rows.range(buckets).map(|(_, r)| r),
            node,
            self.config.distinct.precision(),
            &self.channel_names,
        )
    }

    /// What the ledger knows about `node` over all time, undated tickets
    /// included. Cost O(log size) after [`compact`](Ledger::compact),
    /// linear in the rows' sizes before.
    ///
    /// ```
    /// # use painpoint::{Capability, Feature, Ledger, LedgerConfig, Period, Product, Tagger, Ticket, Timestamp};
    /// # let product = Product::new("app", "App").capability(
    /// #     Capability::new("data", "Data")
    /// #         .feature(Feature::new("export", "Export").keyword("export to csv"))
    /// #         .feature(Feature::new("import", "Import").keyword("import from csv")),
    /// # );
    /// # let tagger = Tagger::new(&product).unwrap();
    /// let mut ledger = Ledger::new(&product, LedgerConfig::new(Period::Week)).unwrap();
    /// let day = Timestamp::from_date(2024, 3, 4).unwrap();
    /// for ticket in [
    ///     Ticket::new("t1", "Export to CSV is broken").created_at(day),
    ///     Ticket::new("t2", "export to csv fails again"), // undated
    /// ] {
    ///     ledger.record(&ticket, &tagger.tag(&ticket));
    /// }
    /// let export = ledger.node("export").unwrap();
    /// let (first, last) = ledger.bucket_range().unwrap();
    /// assert_eq!(ledger.total(export).tickets, 2);
    /// assert_eq!(ledger.stats_range(export, first..=last).tickets, 1);
    /// ```
    pub fn total(&self, node: usize) -> Stats {
        let precision = self.config.distinct.precision();
        if self.all_stale {
            let rows = self.rows.values().chain([&self.undated]);
            return Row::stats_over(rows, node, precision, &self.channel_names);
        }
        Row::stats_over(
            std::iter::once(&self.all),
            node,
            precision,
            &self.channel_names,
        )
    }

    /// [`total`](Ledger::total) of many nodes at once, in the order given.
    /// Cost O(nodes x log size) after [`compact`](Ledger::compact), plus
    /// O(size log size) before.
    ///
    /// ```
    /// # use painpoint::{Capability, Feature, Ledger, LedgerConfig, Period, Product, Tagger, Ticket, Timestamp};
    /// # let product = Product::new("app", "App").capability(
    /// #     Capability::new("data", "Data")
    /// #         .feature(Feature::new("export", "Export").keyword("export to csv"))
    /// #         .feature(Feature::new("import", "Import").keyword("import from csv")),
    /// # );
    /// # let tagger = Tagger::new(&product).unwrap();
    /// let mut ledger = Ledger::new(&product, LedgerConfig::default()).unwrap();
    /// for (id, text) in [("t1", "Export to CSV is broken"), ("t2", "import from csv fails"), ("t3", "export to csv fails again")] {
    ///     let ticket = Ticket::new(id, text).customer("ann");
    ///     ledger.record(&ticket, &tagger.tag(&ticket));
    /// }
    /// ledger.compact();
    /// let all = ledger.totals(ledger.features());
    /// assert_eq!(all, [ledger.total(0), ledger.total(1)]);
    /// assert_eq!((all[0].tickets, all[1].tickets), (2, 1));
    /// ```
    pub fn totals(&self, nodes: impl IntoIterator<Item = usize>) -> Vec<Stats> {
        self.all_row().stats_of(
            nodes.into_iter(),
            self.config.distinct.precision(),
            &self.channel_names,
        )
    }

    fn to_wire(&self) -> Wire {
        let precision = self.config.distinct.precision();
        let period = self.config.period;
        Wire {
            product: self.product.clone(),
            config: self.config,
            nodes: self.nodes.clone(),
            tickets: self.tickets,
            unknown_matches: self.unknown_matches,
            rows: self
                .rows
                .iter()
                .map(|(&b, r)| {
                    let mut w = r.to_wire(precision, &self.channel_names);
                    w.bucket = Some(b);
                    w.start = Some(period.start_of(b));
                    w
                })
                .collect(),
            undated: self.undated.to_wire(precision, &self.channel_names),
            all: self.all_row().to_wire(precision, &self.channel_names),
        }
    }
}

/// A chunk's `(node, ticket)` hits grouped by bucket (undated first, then
/// in bucket order) and, within a bucket, by node, so counters and logs
/// are written in address order (each line fetched once) and the logs'
/// tails arrive sorted by node. Buffers are reused from chunk to chunk.
#[derive(Default)]
struct Groups {
    /// `(bucket, tickets, range of pairs)` per bucket.
    runs: Vec<(Option<i64>, u64, std::ops::Range<usize>)>,
    /// `node << 32 | ticket`, grouped.
    pairs: Vec<u64>,
    /// Counting-sort table, `slot * nodes + node` (slot 0: undated).
    starts: Vec<u32>,
    /// Fallback when buckets are too spread for the table.
    order: Vec<(Option<i64>, u32)>,
}

impl Groups {
    /// Groups the hits of `staged`. One counting sort by `(bucket, node)`
    /// when the chunk's buckets span a small range (the usual case: a
    /// table of span x nodes counters, O(hits + table)); else a sort by
    /// bucket, then by node in each bucket (O(hits log hits)). Either way
    /// each bucket keeps its tickets in input order within a node.
    fn fill(&mut self, staged: &[Staged], hits: &[usize], nodes: usize) {
        self.runs.clear();
        self.pairs.clear();
        let (lo, hi) = staged
            .iter()
            .filter_map(|s| s.bucket)
            .fold((i64::MAX, i64::MIN), |(lo, hi), b| (lo.min(b), hi.max(b)));
        let slots = if lo > hi {
            1
        } else {
            (i128::from(hi) - i128::from(lo) + 2) as u128
        };
        let table = slots.saturating_mul(nodes as u128);
        if table > (4 * hits.len() + (1 << 16)) as u128 {
            self.fill_sorted(staged, hits);
            return;
        }
        let slots = slots as usize;
        let slot = |b: Option<i64>| b.map_or(0, |b| (b - lo) as usize + 1);
        let starts = &mut self.starts;
        starts.clear();
        starts.resize(slots * nodes + 1, 0);
        let mut tickets = vec![0u64; slots];
        for s in staged {
            let k = slot(s.bucket);
            tickets[k] += 1;
            for &n in &hits[s.hits.start as usize..s.hits.end as usize] {
                starts[k * nodes + n + 1] += 1;
            }
        }
        for k in 1..starts.len() {
            starts[k] += starts[k - 1];
        }
        for (k, &count) in tickets.iter().enumerate() {
            if count > 0 {
                let bucket = (k > 0).then(|| lo + (k - 1) as i64);
                let range = starts[k * nodes] as usize..starts[(k + 1) * nodes] as usize;
                self.runs.push((bucket, count, range));
            }
        }
        self.pairs.resize(starts[slots * nodes] as usize, 0);
        for (i, s) in staged.iter().enumerate() {
            let k = slot(s.bucket) * nodes;
            for &n in &hits[s.hits.start as usize..s.hits.end as usize] {
                let at = &mut starts[k + n];
                self.pairs[*at as usize] = (n as u64) << 32 | i as u64;
                *at += 1;
            }
        }
    }

    fn fill_sorted(&mut self, staged: &[Staged], hits: &[usize]) {
        // Sort small keys, not the staged tickets; stable, so each
        // bucket keeps the input order.
        self.order.clear();
        self.order
            .extend(staged.iter().enumerate().map(|(i, s)| (s.bucket, i as u32)));
        self.order.sort_by_key(|o| o.0);
        let mut run = 0;
        while run < self.order.len() {
            let bucket = self.order[run].0;
            let end = run + self.order[run..].partition_point(|o| o.0 == bucket);
            let start = self.pairs.len();
            for &(_, i) in &self.order[run..end] {
                let s = &staged[i as usize];
                self.pairs.extend(
                    hits[s.hits.start as usize..s.hits.end as usize]
                        .iter()
                        .map(|&n| (n as u64) << 32 | u64::from(i)),
                );
            }
            self.pairs[start..].sort_unstable();
            self.runs
                .push((bucket, (end - run) as u64, start..self.pairs.len()));
            run = end;
        }
    }
}

/// A ticket resolved and waiting in [`Ledger::record_all`]'s chunk.
struct Staged {
    bucket: Option<i64>,
    hits: std::ops::Range<u32>,
    facts: Facts,
}

impl<'a> Extend<(&'a Ticket, &'a TaggedTicket)> for Ledger {
    /// Same as [`Ledger::record_all`].
    fn extend<I: IntoIterator<Item = (&'a Ticket, &'a TaggedTicket)>>(&mut self, tickets: I) {
        self.record_all(tickets);
    }
}

fn range_len(r: &RangeInclusive<i64>) -> usize {
    if r.end() < r.start() {
        0
    } else {
        (r.end() - r.start()) as usize + 1
    }
}

fn facts(ticket: &Ticket, tagged: &TaggedTicket, channel: Option<u32>) -> Facts {
    let mut needs = 0u16;
    for n in &tagged.needs {
        needs |= 1 << (n.need as u16);
    }
    Facts {
        customer: ticket.customer.as_deref().map(hash_str),
        account: ticket.account.as_deref().map(|a| {
            let value = ticket.value.and_then(|v| fixed(v, MILLI)).unwrap_or(0);
            (hash_str(a), value)
        }),
        needs,
        kind: tagged.kind.as_ref().map(|k| k.label),
        sentiment: tagged.sentiment.as_ref().and_then(|s| {
            fixed(s.score.clamp(-1.0, 1.0), MICRO).map(|v| (v, is_negative(s.label)))
        }),
        channel,
        csat: ticket.csat.and_then(|c| fixed(c, MICRO)),
        resolution: ticket
            .resolution_hours
            .filter(|h| h.is_finite() && *h >= 0.0)
            .map(|h| (fixed(h, MILLI).unwrap_or(0), quantile_bin(h))),
        narrow: false,
    }
    .with_narrow()
}

/// The serialized shape: rows list only the nodes that hold tickets, logs
/// compacted and sorted, channels by name.
#[derive(Debug, PartialEq, Serialize, Deserialize)]
struct Wire {
    product: String,
    config: LedgerConfig,
    nodes: Vec<Node>,
    tickets: u64,
    #[serde(default)]
    unknown_matches: u64,
    rows: Vec<WireRow>,
    undated: WireRow,
    all: WireRow,
}

impl Serialize for Ledger {
    fn serialize<S: serde::Serializer>(&self, s: S) -> std::result::Result<S::Ok, S::Error> {
        self.to_wire().serialize(s)
    }
}

impl<'de> Deserialize<'de> for Ledger {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> std::result::Result<Ledger, D::Error> {
        use serde::de::Error as _;
        let wire = Wire::deserialize(d)?;
        wire.config.validate().map_err(D::Error::custom)?;
        let n = wire.nodes.len();
        let well_formed = n > 0
            && wire.nodes[n - 1].kind == NodeKind::Unmatched
            && wire.nodes.iter().all(|node| {
                node.capability
                    .is_none_or(|c| c < n && wire.nodes[c].kind == NodeKind::Capability)
            });
        if !well_formed {
            return Err(D::Error::custom(
                "ledger.nodes: features, then capabilities, then one unmatched node",
            ));
        }
        let precision = wire.config.distinct.precision();
        let mut ledger =
            Ledger::from_parts(wire.product, wire.config, wire.nodes).map_err(D::Error::custom)?;
        let mut channels = std::mem::take(&mut ledger.channels);
        let mut names = std::mem::take(&mut ledger.channel_names);
        let mut intern = |name: &str| -> u32 {
            if let Some(&id) = channels.get(name) {
                return id;
            }
            let id = names.len() as u32;
            channels.insert(name.to_string(), id);
            names.push(name.to_string());
            id
        };
        for w in wire.rows {
            let b = w
                .bucket
                .ok_or_else(|| D::Error::custom("ledger.rows: missing bucket"))?;
            let row = Row::from_wire(w, n, precision, &mut intern)
                .map_err(|e| D::Error::custom(format!("ledger.rows[{b}]: {e}")))?;
            ledger.rows.insert(b, row);
        }
        ledger.undated = Row::from_wire(wire.undated, n, precision, &mut intern)
            .map_err(|e| D::Error::custom(format!("ledger.undated: {e}")))?;
        ledger.all = Row::from_wire(wire.all, n, precision, &mut intern)
            .map_err(|e| D::Error::custom(format!("ledger.all: {e}")))?;
        ledger.channels = channels;
        ledger.channel_names = names;
        ledger.tickets = wire.tickets;
        ledger.unknown_matches = wire.unknown_matches;
        Ok(ledger)
    }
}
