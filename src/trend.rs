//! Trends and alerts over a [`Ledger`]: growth, slope, spikes, emerging
//! nodes and repeated questions.
//!
//! # The spike test
//!
//! A node's count `x` in bucket `t` is compared with its counts in the
//! `baseline` buckets before it (sum `B`), adjusted for the volume of the
//! *other* tickets (exposure `e` in bucket `t`, `E` over the baseline).
//! Under the null hypothesis the node keeps its share of the volume, and
//! conditional on `x + B` (the exact test for two Poisson rates) `x` is
//! binomial: `x ~ Bin(x + B, e / (e + E))`. The p-value is that binomial's
//! upper tail `P(X >= x)`, and the expected count is `B * e / E`.
//!
//! * Volume: on a busy day where every node doubles, `e` doubles too and
//!   nothing is flagged; the node that rose six-fold is. Without volume
//!   (or with no other tickets) exposures are one per bucket.
//! * Baseline uncertainty: conditioning on `x + B` accounts for `B` being
//!   a noisy estimate, so short baselines are not over-confident.
//! * Small counts: an alert needs `x >= min_count` and
//!   `x >= min_ratio * expected`, and at least `min_history` buckets of
//!   baseline.
//! * Many nodes: within a bucket the `m` nodes tested are Bonferroni
//!   corrected, an alert needs `p <= alpha / m`, so the chance of any false
//!   alarm in a bucket is at most `alpha` when counts are Poisson.
//!   Over-dispersed counts (real tickets often are) make the test
//!   anti-conservative; `min_ratio` is the guard.
//! * One customer's storm: when a node's tickets in the tested buckets
//!   name customers, an alert also needs its distinct customers (counted
//!   per bucket) to pass the same test, `min_count` and `min_ratio`
//!   included, so fifty tickets from one customer are no spike. Where no
//!   ticket of the node in the tested buckets names a customer, the count
//!   alone is tested (a helpdesk without customer ids, or an anonymous
//!   channel's storm). The ledger does not count anonymous tickets, so a
//!   bucket mixing named and anonymous tickets counts its named customers
//!   only.
//! * Drivers: a capability's spike lists the features whose excess over
//!   their own expected count is largest.
//!
//! Emerging nodes run the same test on the last `window` buckets against
//! the `baseline` buckets before them, for nodes whose baseline rate was at
//! most `emerging_rate` tickets a bucket. Repeated questions test a
//! feature's share of `question` tickets in the last `window` buckets
//! against the share over all features (binomial upper tail).

use serde::{Deserialize, Serialize};

use crate::ledger::{Ledger, NodeKind};
use crate::signals::Kind;
use crate::time::{Period, Timestamp};

/// Settings of the trend analysis, with safe defaults.
///
/// ```
/// use painpoint::trend::TrendConfig;
/// let config = TrendConfig::default().window(2).alpha(0.05);
/// assert_eq!(config.window, 2);
/// assert_eq!(config.baseline, 8);
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
#[serde(default)]
#[non_exhaustive]
pub struct TrendConfig {
    /// Buckets of the "latest" window for growth, emerging and questions (4).
    pub window: usize,
    /// Buckets of history a spike is compared with (8).
    pub baseline: usize,
    /// Fewest baseline buckets before a bucket is tested (3).
    pub min_history: usize,
    /// Family-wise false alarm rate per bucket (0.01).
    pub alpha: f64,
    /// Fewest tickets for an alert (5).
    pub min_count: u64,
    /// Smallest observed / expected ratio for an alert (1.5).
    pub min_ratio: f64,
    /// Whether to adjust for the volume of other tickets (true).
    pub volume_adjust: bool,
    /// Highest baseline rate (tickets a bucket) of an emerging node (1.0).
    pub emerging_rate: f64,
    /// Smallest share of `question` tickets for a repeated-question alert (0.3).
    pub question_share: f64,
    /// The last bucket analysed (default: the last with tickets).
    pub now: Option<Timestamp>,
    /// Most buckets analysed, the latest up to `now` (3,660: ten years of
    /// days). Bounds the cost when one ticket carries a date centuries
    /// away: the tickets left out are counted in [`Trends::outside`].
    pub max_buckets: usize,
}

impl Default for TrendConfig {
    fn default() -> TrendConfig {
        TrendConfig {
            window: 4,
            baseline: 8,
            min_history: 3,
            alpha: 0.01,
            min_count: 5,
            min_ratio: 1.5,
            volume_adjust: true,
            emerging_rate: 1.0,
            question_share: 0.3,
            now: None,
            max_buckets: 3_660,
        }
    }
}

impl TrendConfig {
    /// Sets the latest window (at least one bucket).
    ///
    /// ```
    /// use painpoint::trend::TrendConfig;
    /// assert_eq!(TrendConfig::default().window(2).window, 2);
    /// assert_eq!(TrendConfig::default().window(0).window, 1);
    /// ```
    pub fn window(mut self, buckets: usize) -> TrendConfig {
        self.window = buckets.max(1);
        self
    }
    /// Sets the baseline length (at least one bucket).
    ///
    /// ```
    /// use painpoint::trend::TrendConfig;
    /// assert_eq!(TrendConfig::default().baseline(12).baseline, 12);
    /// assert_eq!(TrendConfig::default().baseline(0).baseline, 1);
    /// ```
    pub fn baseline(mut self, buckets: usize) -> TrendConfig {
        self.baseline = buckets.max(1);
        self
    }
    /// Sets the family-wise false alarm rate per bucket.
    ///
    /// ```
    /// use painpoint::trend::TrendConfig;
    /// assert_eq!(TrendConfig::default().alpha, 0.01);
    /// assert_eq!(TrendConfig::default().alpha(0.001).alpha, 0.001);
    /// ```
    pub fn alpha(mut self, alpha: f64) -> TrendConfig {
        self.alpha = alpha;
        self
    }
    /// Sets the fewest tickets for an alert.
    ///
    /// ```
    /// use painpoint::trend::TrendConfig;
    /// assert_eq!(TrendConfig::default().min_count(20).min_count, 20);
    /// ```
    pub fn min_count(mut self, n: u64) -> TrendConfig {
        self.min_count = n;
        self
    }
    /// Sets the most buckets analysed (at least one).
    ///
    /// ```
    /// use painpoint::trend::TrendConfig;
    /// assert_eq!(TrendConfig::default().max_buckets, 3_660);
    /// assert_eq!(TrendConfig::default().max_buckets(0).max_buckets, 1);
    /// ```
    pub fn max_buckets(mut self, buckets: usize) -> TrendConfig {
        self.max_buckets = buckets.max(1);
        self
    }
    /// Sets the last bucket analysed: buckets after it are ignored, and
    /// empty buckets up to it count as zero.
    ///
    /// ```
    /// # use painpoint::{Capability, Feature, Ledger, LedgerConfig, Match, Period, Product, TaggedTicket, Ticket, Timestamp};
    /// # use painpoint::trend::{AlertKind, TrendConfig, Trends};
    /// # let product = Product::new("p", "P").capability(
    /// #     Capability::new("c", "C").feature(Feature::new("a", "A")).feature(Feature::new("b", "B")));
    /// # let mut ledger = Ledger::new(&product, LedgerConfig::new(Period::Day)).unwrap();
    /// # let mut id = 0;
    /// # for day in 0..20 {
    /// #     let at = Timestamp::from_unix(day * 86_400);
    /// #     for (feature, n) in [("a", if day == 15 { 60 } else { 10 }), ("b", 10)] {
    /// #         for _ in 0..n {
    /// #             id += 1;
    /// #             let mut tagged = TaggedTicket::default();
    /// #             let mut m = Match::default();
    /// #             m.feature = Some(feature.into());
    /// #             m.capability = "c".into();
    /// #             tagged.matches.push(m);
    /// #             ledger.record(&Ticket::new(id.to_string(), "").created_at(at), &tagged);
    /// #         }
    /// #     }
    /// # }
    /// // Feature "a" has 10 tickets a day for 20 days, 60 on day 15; "b" 10 a day.
    /// let config = TrendConfig::default().now(Timestamp::from_unix(10 * 86_400));
    /// let trends = Trends::analyze(&ledger, &config);
    /// assert_eq!(trends.last, 10);
    /// assert!(trends.alerts.iter().all(|a| a.bucket <= 10)); // day 15 is not seen
    /// ```
    pub fn now(mut self, now: Timestamp) -> TrendConfig {
        self.now = Some(now);
        self
    }
}

/// The trend of one node.
///
/// ```
/// # use painpoint::{Capability, Feature, Ledger, LedgerConfig, Match, Period, Product, TaggedTicket, Ticket, Timestamp};
/// # use painpoint::trend::{AlertKind, TrendConfig, Trends};
/// # let product = Product::new("p", "P").capability(
/// #     Capability::new("c", "C").feature(Feature::new("a", "A")).feature(Feature::new("b", "B")));
/// # let mut ledger = Ledger::new(&product, LedgerConfig::new(Period::Day)).unwrap();
/// # let mut id = 0;
/// # for day in 0..20 {
/// #     let at = Timestamp::from_unix(day * 86_400);
/// #     for (feature, n) in [("a", if day == 15 { 60 } else { 10 }), ("b", 10)] {
/// #         for _ in 0..n {
/// #             id += 1;
/// #             let mut tagged = TaggedTicket::default();
/// #             let mut m = Match::default();
/// #             m.feature = Some(feature.into());
/// #             m.capability = "c".into();
/// #             tagged.matches.push(m);
/// #             ledger.record(&Ticket::new(id.to_string(), "").created_at(at), &tagged);
/// #         }
/// #     }
/// # }
/// // Feature "a" has 10 tickets a day for 20 days, 60 on day 15; "b" 10 a day.
/// let trends = Trends::analyze(&ledger, &TrendConfig::default().window(5));
/// let a = ledger.node("a").unwrap();
/// let trend = trends.trend(a).unwrap();
/// assert_eq!(trend.series.len(), 20);
/// assert_eq!(trend.recent, 50 + 50);   // days 15..20
/// assert_eq!(trend.previous, 50);      // days 10..15
/// assert_eq!(trend.growth, Some(1.0));
/// ```
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct Trend {
    /// The node's index in the ledger.
    pub node: usize,
    /// Tickets per bucket, oldest first, over the analysed range.
    pub series: Vec<u64>,
    /// Tickets in the latest window.
    pub recent: u64,
    /// Tickets in the window before it.
    pub previous: u64,
    /// `(recent - previous) / previous`, `None` when `previous` is zero.
    pub growth: Option<f64>,
    /// Least-squares slope of the last `2 * window` buckets (at least 2),
    /// in tickets per bucket per bucket.
    pub slope: f64,
}

/// What an alert is about.
///
/// ```
/// use painpoint::trend::AlertKind;
/// assert_eq!(serde_json::to_string(&AlertKind::RepeatedQuestions).unwrap(), r#""repeated_questions""#);
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
#[non_exhaustive]
pub enum AlertKind {
    /// One bucket well above the node's volume-adjusted baseline.
    Spike,
    /// A node that was near silent and is now rising.
    Emerging,
    /// A feature drawing many `question` tickets: a knowledge-base gap.
    RepeatedQuestions,
}

/// A feature behind a capability's spike.
///
/// ```
/// # use painpoint::{Capability, Feature, Ledger, LedgerConfig, Match, Period, Product, TaggedTicket, Ticket, Timestamp};
/// # use painpoint::trend::{AlertKind, TrendConfig, Trends};
/// # let product = Product::new("p", "P").capability(
/// #     Capability::new("c", "C").feature(Feature::new("a", "A")).feature(Feature::new("b", "B")));
/// # let mut ledger = Ledger::new(&product, LedgerConfig::new(Period::Day)).unwrap();
/// # let mut id = 0;
/// # for day in 0..20 {
/// #     let at = Timestamp::from_unix(day * 86_400);
/// #     for (feature, n) in [("a", if day == 15 { 60 } else { 10 }), ("b", 10)] {
/// #         for _ in 0..n {
/// #             id += 1;
/// #             let mut tagged = TaggedTicket::default();
/// #             let mut m = Match::default();
/// #             m.feature = Some(feature.into());
/// #             m.capability = "c".into();
/// #             tagged.matches.push(m);
/// #             ledger.record(&Ticket::new(id.to_string(), "").created_at(at), &tagged);
/// #         }
/// #     }
/// # }
/// // Feature "a" has 10 tickets a day for 20 days, 60 on day 15; "b" 10 a day.
/// let trends = Trends::analyze(&ledger, &TrendConfig::default());
/// let capability = trends.alerts.iter().find(|a| a.kind == AlertKind::Spike && a.node == "c").unwrap();
/// let driver = &capability.drivers[0];
/// assert_eq!(driver.node, "a");
/// assert_eq!(driver.observed, 60.0);
/// assert!(driver.expected < 20.0);
/// ```
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct Driver {
    /// The feature's id.
    pub node: String,
    /// Its tickets in the bucket.
    pub observed: f64,
    /// Its expected tickets.
    pub expected: f64,
}

/// A statistically tested alert.
///
/// Every alert states what was observed, what the null hypothesis
/// expected, the test's p-value and z, and the bucket.
///
/// ```
/// # use painpoint::{Capability, Feature, Ledger, LedgerConfig, Match, Period, Product, TaggedTicket, Ticket, Timestamp};
/// # use painpoint::trend::{AlertKind, TrendConfig, Trends};
/// # let product = Product::new("p", "P").capability(
/// #     Capability::new("c", "C").feature(Feature::new("a", "A")).feature(Feature::new("b", "B")));
/// # let mut ledger = Ledger::new(&product, LedgerConfig::new(Period::Day)).unwrap();
/// # let mut id = 0;
/// # for day in 0..20 {
/// #     let at = Timestamp::from_unix(day * 86_400);
/// #     for (feature, n) in [("a", if day == 15 { 60 } else { 10 }), ("b", 10)] {
/// #         for _ in 0..n {
/// #             id += 1;
/// #             let mut tagged = TaggedTicket::default();
/// #             let mut m = Match::default();
/// #             m.feature = Some(feature.into());
/// #             m.capability = "c".into();
/// #             tagged.matches.push(m);
/// #             ledger.record(&Ticket::new(id.to_string(), "").created_at(at), &tagged);
/// #         }
/// #     }
/// # }
/// // Feature "a" has 10 tickets a day for 20 days, 60 on day 15; "b" 10 a day.
/// let trends = Trends::analyze(&ledger, &TrendConfig::default());
/// let spike = trends.alerts.iter().find(|a| a.node == "a").unwrap();
/// assert_eq!(spike.kind, AlertKind::Spike);
/// assert_eq!(spike.bucket_start.to_string(), "1970-01-16T00:00:00Z");
/// assert!(spike.observed > 5.0 * spike.expected);
/// assert!(spike.p_value <= spike.threshold && spike.z > 5.0);
/// ```
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct Alert {
    /// What happened.
    pub kind: AlertKind,
    /// The node's id.
    pub node: String,
    /// Feature, capability or unmatched.
    pub node_kind: NodeKind,
    /// The bucket (or the first bucket of the window) the alert is about.
    pub bucket: i64,
    /// Its first second.
    pub bucket_start: Timestamp,
    /// The observed count (questions for repeated questions).
    pub observed: f64,
    /// The expected count under the null hypothesis.
    pub expected: f64,
    /// The test's one-sided p-value.
    pub p_value: f64,
    /// The p-value needed after the multiple-test correction.
    pub threshold: f64,
    /// `(observed - mean) / sd` of the test's binomial.
    pub z: f64,
    /// For a capability spike, the features driving it (largest excess first).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub drivers: Vec<Driver>,
}

/// Trends of every node and the alerts found.
///
/// ```
/// use painpoint::{Capability, Feature, Ledger, LedgerConfig, Match, Period, Product, TaggedTicket, Ticket, Timestamp};
/// use painpoint::trend::{AlertKind, TrendConfig, Trends};
///
/// let product = Product::new("p", "P").capability(
///     Capability::new("c", "C").feature(Feature::new("a", "A")).feature(Feature::new("b", "B")));
/// let mut ledger = Ledger::new(&product, LedgerConfig::new(Period::Day)).unwrap();
/// let mut id = 0;
/// for day in 0..20 {
///     let at = Timestamp::from_unix(day * 86_400);
///     let a = if day == 15 { 60 } else { 10 };
///     for (feature, n) in [("a", a), ("b", 10)] {
///         for _ in 0..n {
///             id += 1;
///             let mut tagged = TaggedTicket::default();
///             let mut m = Match::default();
///             m.feature = Some(feature.into());
///             m.capability = "c".into();
///             tagged.matches.push(m);
///             ledger.record(&Ticket::new(id.to_string(), "").created_at(at), &tagged);
///         }
///     }
/// }
/// let trends = Trends::analyze(&ledger, &TrendConfig::default());
/// let spike = trends.alerts.iter().find(|a| a.kind == AlertKind::Spike && a.node == "a").unwrap();
/// assert_eq!(spike.bucket, 15);
/// assert_eq!(spike.observed, 60.0);
/// assert!(spike.p_value < 1e-6);
/// assert!(trends.alerts.iter().all(|a| a.node != "b"));
/// ```
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct Trends {
    /// The bucket width.
    pub period: Period,
    /// The first bucket analysed.
    pub first: i64,
    /// The last bucket analysed.
    pub last: i64,
    /// One trend per ledger node, in node order.
    pub trends: Vec<Trend>,
    /// Alerts, by bucket then kind then p-value.
    pub alerts: Vec<Alert>,
    /// Dated tickets outside `first..=last` (after `now`, or before the
    /// `max_buckets` analysed): in the ledger's totals, not in the series.
    #[serde(default)]
    pub outside: u64,
    /// Tickets without a date: in the ledger's totals, not in the series.
    #[serde(default)]
    pub undated: u64,
}

impl Trends {
    /// Analyses every node of a ledger. Cost O(nodes x buckets) plus the
    /// p-values of the candidate alerts, and the distinct customers of
    /// each alert's buckets: index lookups on a compacted ledger
    /// ([`Ledger::compact`]), a sorted copy of those buckets' logs before.
    ///
    /// ```
    /// use painpoint::{Capability, Feature, Ledger, LedgerConfig, Product};
    /// use painpoint::trend::{TrendConfig, Trends};
    /// let product = Product::new("p", "P").capability(Capability::new("c", "C").feature(Feature::new("a", "A")));
    /// let ledger = Ledger::new(&product, LedgerConfig::default()).unwrap();
    /// let trends = Trends::analyze(&ledger, &TrendConfig::default());
    /// assert!(trends.trends.is_empty() && trends.alerts.is_empty()); // no tickets, no buckets
    /// ```
    pub fn analyze(ledger: &Ledger, config: &TrendConfig) -> Trends {
        let period = ledger.period();
        let Some((first, mut last)) = ledger.bucket_range() else {
            return Trends {
                period,
                first: 0,
                last: -1,
                trends: Vec::new(),
                alerts: Vec::new(),
                outside: 0,
                undated: ledger.tickets(),
            };
        };
        if let Some(now) = config.now {
            last = period.bucket(now);
        }
        let span = config.max_buckets.max(1) as i64 - 1;
        let first = first.max(last.saturating_sub(span)).min(last);
        let range = first..=last;
        let volume = ledger.volume(range.clone());
        let series: Vec<Vec<u64>> = (0..ledger.nodes().len())
            .map(|i| ledger.series(i, range.clone()))
            .collect();
        let window = config.window.max(1);
        let trends = series
            .iter()
            .enumerate()
            .map(|(node, s)| trend_of(node, s, window))
            .collect();
        let mut alerts = spikes(ledger, config, &series, &volume, first);
        alerts.extend(emerging(ledger, config, &series, &volume, first));
        alerts.extend(questions(ledger, config, first, last));
        alerts.sort_by(|a, b| {
            (a.bucket, a.kind)
                .cmp(&(b.bucket, b.kind))
                .then(a.p_value.total_cmp(&b.p_value))
                .then(a.node.cmp(&b.node))
        });
        let dated = ledger.tickets_between(i64::MIN..=i64::MAX);
        Trends {
            period,
            first,
            last,
            trends,
            alerts,
            outside: dated.saturating_sub(ledger.tickets_between(first..=last)),
            undated: ledger.tickets().saturating_sub(dated),
        }
    }

    /// The trend of one node, by its index in the ledger.
    ///
    /// ```
    /// # use painpoint::{Capability, Feature, Ledger, LedgerConfig, Match, Period, Product, TaggedTicket, Ticket, Timestamp};
    /// # use painpoint::trend::{AlertKind, TrendConfig, Trends};
    /// # let product = Product::new("p", "P").capability(
    /// #     Capability::new("c", "C").feature(Feature::new("a", "A")).feature(Feature::new("b", "B")));
    /// # let mut ledger = Ledger::new(&product, LedgerConfig::new(Period::Day)).unwrap();
    /// # let mut id = 0;
    /// # for day in 0..20 {
    /// #     let at = Timestamp::from_unix(day * 86_400);
    /// #     for (feature, n) in [("a", if day == 15 { 60 } else { 10 }), ("b", 10)] {
    /// #         for _ in 0..n {
    /// #             id += 1;
    /// #             let mut tagged = TaggedTicket::default();
    /// #             let mut m = Match::default();
    /// #             m.feature = Some(feature.into());
    /// #             m.capability = "c".into();
    /// #             tagged.matches.push(m);
    /// #             ledger.record(&Ticket::new(id.to_string(), "").created_at(at), &tagged);
    /// #         }
    /// #     }
    /// # }
    /// // Feature "a" has 10 tickets a day for 20 days, 60 on day 15; "b" 10 a day.
    /// let trends = Trends::analyze(&ledger, &TrendConfig::default());
    /// let b = ledger.node("b").unwrap();
    /// assert_eq!(trends.trend(b).unwrap().slope, 0.0); // flat
    /// assert!(trends.trend(usize::MAX).is_none());
    /// ```
    pub fn trend(&self, node: usize) -> Option<&Trend> {
        self.trends.get(node)
    }
}

fn trend_of(node: usize, series: &[u64], window: usize) -> Trend {
    let n = series.len();
    let recent: u64 = series[n.saturating_sub(window)..].iter().sum();
    let previous: u64 = series[n.saturating_sub(2 * window)..n.saturating_sub(window)]
        .iter()
        .sum();
    let growth = (previous > 0).then(|| (recent as f64 - previous as f64) / previous as f64);
    let tail = &series[n.saturating_sub((2 * window).max(2))..];
    Trend {
        node,
        series: series.to_vec(),
        recent,
        previous,
        growth,
        slope: slope(tail),
    }
}

/// Least-squares slope of `ys` against 0, 1, 2, ... (0 for fewer than two points).
///
/// ```
/// use painpoint::trend::slope;
/// assert_eq!(slope(&[3, 5, 7, 9]), 2.0);
/// assert_eq!(slope(&[4]), 0.0);
/// ```
pub fn slope(ys: &[u64]) -> f64 {
    let n = ys.len() as f64;
    if ys.len() < 2 {
        return 0.0;
    }
    let mean_x = (n - 1.0) / 2.0;
    let mean_y = ys.iter().sum::<u64>() as f64 / n;
    let (mut sxy, mut sxx) = (0.0, 0.0);
    for (i, &y) in ys.iter().enumerate() {
        let dx = i as f64 - mean_x;
        sxy += dx * (y as f64 - mean_y);
        sxx += dx * dx;
    }
    sxy / sxx
}

/// The outcome of the conditional rate test.
struct Test {
    expected: f64,
    p_value: f64,
    z: f64,
}

/// `x` events against `b` baseline events, with exposures `e` and `big_e`.
fn rate_test(x: u64, b: u64, e: f64, big_e: f64) -> Test {
    let p0 = e / (e + big_e);
    let n = x + b;
    let expected = b as f64 * e / big_e;
    let mean = n as f64 * p0;
    let sd = (n as f64 * p0 * (1.0 - p0)).sqrt();
    let z = if sd > 0.0 {
        (x as f64 - mean) / sd
    } else {
        0.0
    };
    Test {
        expected,
        p_value: binomial_upper_tail(x, n, p0),
        z,
    }
}

/// Exposures of `node` over `buckets`: other tickets, or one per bucket.
fn exposure(
    config: &TrendConfig,
    series: &[u64],
    volume: &[u64],
    buckets: std::ops::Range<usize>,
) -> f64 {
    if !config.volume_adjust {
        return buckets.len() as f64;
    }
    buckets
        .map(|i| volume[i].saturating_sub(series[i]) as f64)
        .sum()
}

fn exposures(
    config: &TrendConfig,
    series: &[u64],
    volume: &[u64],
    now: std::ops::Range<usize>,
    base: std::ops::Range<usize>,
) -> (f64, f64) {
    let e = exposure(config, series, volume, now.clone());
    let big_e = exposure(config, series, volume, base.clone());
    if e > 0.0 && big_e > 0.0 {
        (e, big_e)
    } else {
        (now.len() as f64, base.len() as f64)
    }
}

fn spikes(
    ledger: &Ledger,
    config: &TrendConfig,
    series: &[Vec<u64>],
    volume: &[u64],
    first: i64,
) -> Vec<Alert> {
    let period = ledger.period();
    let nodes = ledger.nodes();
    let mut alerts = Vec::new();
    for t in config.min_history.max(1)..volume.len() {
        let base = t.saturating_sub(config.baseline)..t;
        let mut candidates = Vec::new();
        let mut tested = 0usize;
        for (node, s) in series.iter().enumerate() {
            let b: u64 = s[base.clone()].iter().sum();
            if b == 0 && s[t] == 0 {
                continue;
            }
            tested += 1;
            let x = s[t];
            if x < config.min_count {
                continue;
            }
            let (e, big_e) = exposures(config, s, volume, t..t + 1, base.clone());
            let expected = b as f64 * e / big_e;
            if (x as f64) < config.min_ratio * expected {
                continue;
            }
            candidates.push((node, x, b, e, big_e));
        }
        let threshold = config.alpha / tested.max(1) as f64;
        for (node, x, b, e, big_e) in candidates {
            let test = rate_test(x, b, e, big_e);
            if test.p_value > threshold
                || !customers_agree(
                    ledger,
                    config,
                    node,
                    first,
                    t..t + 1,
                    base.clone(),
                    e / big_e,
                    threshold,
                )
            {
                continue;
            }
            let drivers = if nodes[node].kind == NodeKind::Capability {
                drivers(ledger, node, series, t, base.clone(), e / big_e)
            } else {
                Vec::new()
            };
            let bucket = first + t as i64;
            alerts.push(Alert {
                kind: AlertKind::Spike,
                node: nodes[node].id.clone(),
                node_kind: nodes[node].kind,
                bucket,
                bucket_start: period.start_of(bucket),
                observed: x as f64,
                expected: test.expected,
                p_value: test.p_value,
                threshold,
                z: test.z,
                drivers,
            });
        }
    }
    alerts
}

/// Whether the distinct customers of `node` also rose: their per-bucket
/// counts over `now` against `base`, at the exposure ratio of the ticket
/// test. True when none of the node's tickets in `now` names a customer.
#[allow(clippy::too_many_arguments)]
fn customers_agree(
    ledger: &Ledger,
    config: &TrendConfig,
    node: usize,
    first: i64,
    now: std::ops::Range<usize>,
    base: std::ops::Range<usize>,
    ratio: f64,
    threshold: f64,
) -> bool {
    let customers = |buckets: std::ops::Range<usize>| -> u64 {
        buckets
            .map(|i| ledger.stats(node, first + i as i64).customers.round() as u64)
            .sum()
    };
    let (x, b) = (customers(now), customers(base));
    // No named customer in the tested buckets: nothing to tell a storm
    // from a crowd, so the count's test stands.
    if x == 0 {
        return true;
    }
    let expected = b as f64 * ratio;
    x >= config.min_count
        && x as f64 >= config.min_ratio * expected
        && rate_test(x, b, ratio, 1.0).p_value <= threshold
}

fn drivers(
    ledger: &Ledger,
    cap: usize,
    series: &[Vec<u64>],
    t: usize,
    base: std::ops::Range<usize>,
    ratio: f64,
) -> Vec<Driver> {
    let mut out: Vec<Driver> = ledger
        .features()
        .filter(|&f| ledger.nodes()[f].capability == Some(cap))
        .map(|f| {
            let b: u64 = series[f][base.clone()].iter().sum();
            Driver {
                node: ledger.nodes()[f].id.clone(),
                observed: series[f][t] as f64,
                expected: b as f64 * ratio,
            }
        })
        .filter(|d| d.observed > d.expected)
        .collect();
    out.sort_by(|a, b| {
        (b.observed - b.expected)
            .total_cmp(&(a.observed - a.expected))
            .then(a.node.cmp(&b.node))
    });
    out.truncate(3);
    out
}

fn emerging(
    ledger: &Ledger,
    config: &TrendConfig,
    series: &[Vec<u64>],
    volume: &[u64],
    first: i64,
) -> Vec<Alert> {
    let n = volume.len();
    let window = config.window.max(1);
    if n < window + config.min_history.max(1) {
        return Vec::new();
    }
    let now = n - window..n;
    let base = (n - window).saturating_sub(config.baseline)..n - window;
    let mut candidates = Vec::new();
    let mut tested = 0;
    for (node, s) in series.iter().enumerate() {
        let b: u64 = s[base.clone()].iter().sum();
        let x: u64 = s[now.clone()].iter().sum();
        if b as f64 > config.emerging_rate * base.len() as f64 || x == 0 {
            continue;
        }
        tested += 1;
        let (e, big_e) = exposures(config, s, volume, now.clone(), base.clone());
        if x < config.min_count || (x as f64) < config.min_ratio * (b as f64 * e / big_e) {
            continue;
        }
        // Rising: the last bucket of the window is at least its first.
        if s[n - 1] < s[now.start] {
            continue;
        }
        candidates.push((node, x, b, e, big_e));
    }
    let threshold = config.alpha / f64::from(tested.max(1) as u32);
    let bucket = first + now.start as i64;
    candidates
        .into_iter()
        .filter_map(|(node, x, b, e, big_e)| {
            let test = rate_test(x, b, e, big_e);
            let agree = || {
                customers_agree(
                    ledger,
                    config,
                    node,
                    first,
                    now.clone(),
                    base.clone(),
                    e / big_e,
                    threshold,
                )
            };
            (test.p_value <= threshold && agree()).then(|| Alert {
                kind: AlertKind::Emerging,
                node: ledger.nodes()[node].id.clone(),
                node_kind: ledger.nodes()[node].kind,
                bucket,
                bucket_start: ledger.period().start_of(bucket),
                observed: x as f64,
                expected: test.expected,
                p_value: test.p_value,
                threshold,
                z: test.z,
                drivers: Vec::new(),
            })
        })
        .collect()
}

fn questions(ledger: &Ledger, config: &TrendConfig, first: i64, last: i64) -> Vec<Alert> {
    let start = (last - config.window.max(1) as i64 + 1).max(first);
    let q = Kind::Question as usize;
    let per: Vec<(usize, [u64; 6])> = ledger
        .features()
        .map(|f| (f, ledger.kinds(f, start..=last)))
        .collect();
    let (all_q, all_n) = per.iter().fold((0u64, 0u64), |(aq, an), (_, k)| {
        (aq + k[q], an + k.iter().sum::<u64>())
    });
    if all_n == 0 || all_q == 0 {
        return Vec::new();
    }
    let share = all_q as f64 / all_n as f64;
    let tested = per.iter().filter(|(_, k)| k[q] > 0).count().max(1);
    let threshold = config.alpha / tested as f64;
    per.into_iter()
        .filter_map(|(f, k)| {
            let (x, n) = (k[q], k.iter().sum::<u64>());
            if x < config.min_count || (x as f64) < config.question_share * n as f64 {
                return None;
            }
            let p_value = binomial_upper_tail(x, n, share);
            let expected = n as f64 * share;
            let sd = (expected * (1.0 - share)).sqrt();
            (p_value <= threshold && x as f64 >= config.min_ratio * expected).then(|| Alert {
                kind: AlertKind::RepeatedQuestions,
                node: ledger.nodes()[f].id.clone(),
                node_kind: NodeKind::Feature,
                bucket: start,
                bucket_start: ledger.period().start_of(start),
                observed: x as f64,
                expected,
                p_value,
                threshold,
                z: if sd > 0.0 {
                    (x as f64 - expected) / sd
                } else {
                    0.0
                },
                drivers: Vec::new(),
            })
        })
        .collect()
}

/// `P(X >= x)` for `X ~ Binomial(n, p)`, via the regularized incomplete
/// beta function `I_p(x, n - x + 1)`. Accurate to about 1e-10 relative.
///
/// ```
/// use painpoint::trend::binomial_upper_tail;
/// assert!((binomial_upper_tail(1, 1, 0.3) - 0.3).abs() < 1e-12);
/// assert!((binomial_upper_tail(2, 2, 0.5) - 0.25).abs() < 1e-12);
/// assert!((binomial_upper_tail(3, 4, 0.5) - 5.0 / 16.0).abs() < 1e-12);
/// assert_eq!(binomial_upper_tail(0, 10, 0.1), 1.0);
/// ```
pub fn binomial_upper_tail(x: u64, n: u64, p: f64) -> f64 {
    if x == 0 {
        return 1.0;
    }
    if x > n || p <= 0.0 {
        return 0.0;
    }
    if p >= 1.0 {
        return 1.0;
    }
    beta_inc(x as f64, (n - x + 1) as f64, p).clamp(0.0, 1.0)
}

/// `ln Gamma(x)` for `x > 0` (Lanczos, g = 7, n = 9).
fn ln_gamma(x: f64) -> f64 {
    const C: [f64; 9] = [
        0.999_999_999_999_809_9,
        676.520_368_121_885_1,
        -1_259.139_216_722_402_8,
        771.323_428_777_653_1,
        -176.615_029_162_140_6,
        12.507_343_278_686_905,
        -0.138_571_095_265_720_12,
        9.984_369_578_019_572e-6,
        1.505_632_735_149_311_6e-7,
    ];
    if x < 0.5 {
        let pi = std::f64::consts::PI;
        return (pi / (pi * x).sin()).ln() - ln_gamma(1.0 - x);
    }
    let x = x - 1.0;
    let mut a = C[0];
    let t = x + 7.5;
    for (i, c) in C.iter().enumerate().skip(1) {
        a += c / (x + i as f64);
    }
    0.5 * (2.0 * std::f64::consts::PI).ln() + (x + 0.5) * t.ln() - t + a.ln()
}

/// The regularized incomplete beta `I_x(a, b)` (continued fraction, Lentz).
fn beta_inc(a: f64, b: f64, x: f64) -> f64 {
    let ln_front = ln_gamma(a + b) - ln_gamma(a) - ln_gamma(b) + a * x.ln() + b * (1.0 - x).ln();
    if x < (a + 1.0) / (a + b + 2.0) {
        (ln_front.exp() * beta_cf(a, b, x) / a).clamp(0.0, 1.0)
    } else {
        (1.0 - ln_front.exp() * beta_cf(b, a, 1.0 - x) / b).clamp(0.0, 1.0)
    }
}

fn beta_cf(a: f64, b: f64, x: f64) -> f64 {
    const TINY: f64 = 1e-300;
    let (qab, qap, qam) = (a + b, a + 1.0, a - 1.0);
    let mut c = 1.0;
    let mut d = 1.0 - qab * x / qap;
    if d.abs() < TINY {
        d = TINY;
    }
    d = 1.0 / d;
    let mut h = d;
    for m in 1..200_000 {
        let m = f64::from(m);
        let m2 = 2.0 * m;
        let aa = m * (b - m) * x / ((qam + m2) * (a + m2));
        d = 1.0 + aa * d;
        if d.abs() < TINY {
            d = TINY;
        }
        c = 1.0 + aa / c;
        if c.abs() < TINY {
            c = TINY;
        }
        d = 1.0 / d;
        h *= d * c;
        let aa = -(a + m) * (qab + m) * x / ((a + m2) * (qap + m2));
        d = 1.0 + aa * d;
        if d.abs() < TINY {
            d = TINY;
        }
        c = 1.0 + aa / c;
        if c.abs() < TINY {
            c = TINY;
        }
        d = 1.0 / d;
        let del = d * c;
        h *= del;
        if (del - 1.0).abs() < 1e-14 {
            break;
        }
    }
    h
}

#[cfg(test)]
mod tests {
    use super::*;

    fn exact_tail(x: u64, n: u64, p: f64) -> f64 {
        // Sum of pmf terms from x to n, in log space.
        (x..=n)
            .map(|k| {
                (ln_gamma(n as f64 + 1.0)
                    - ln_gamma(k as f64 + 1.0)
                    - ln_gamma((n - k) as f64 + 1.0)
                    + k as f64 * p.ln()
                    + (n - k) as f64 * (1.0 - p).ln())
                .exp()
            })
            .sum()
    }

    #[test]
    fn tail_matches_direct_sum() {
        for &(x, n, p) in &[
            (5u64, 20u64, 0.1),
            (12, 44, 0.111),
            (60, 220, 0.111),
            (3, 3, 0.9),
            (40, 100, 0.5),
        ] {
            let a = binomial_upper_tail(x, n, p);
            let b = exact_tail(x, n, p);
            assert!(
                (a - b).abs() <= 1e-9 * b.max(1e-300) + 1e-15,
                "{x} {n} {p}: {a} vs {b}"
            );
        }
    }

    #[test]
    fn slope_of_a_line() {
        assert!((slope(&[1, 3, 5, 7]) - 2.0).abs() < 1e-12);
        assert_eq!(slope(&[4]), 0.0);
    }
}
