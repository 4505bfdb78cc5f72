//! One node in one time bucket: the counters a ticket adds to.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use crate::signals::{Kind, Need, Polarity};

/// Fixed-point scales: sums are integers so merging is exact and the same
/// under any split or order (floating-point addition is not associative).
pub(crate) const MILLI: f64 = 1_000.0;
pub(crate) const MICRO: f64 = 1_000_000.0;

/// Converts a finite float to fixed point, rounding half away from zero
/// and saturating; `None` if not finite.
#[inline]
pub(crate) fn fixed(x: f64, scale: f64) -> Option<i64> {
    x.is_finite().then(|| round(x * scale))
}

/// `y.round() as i64` without the libm call (`round` is not inlined on
/// baseline x86-64): `y - trunc(y)` is exact, so the result is the same
/// for every finite `y`, saturating alike at both ends.
#[inline]
fn round(y: f64) -> i64 {
    let t = y as i64;
    let frac = y - t as f64;
    if frac >= 0.5 {
        t.saturating_add(1)
    } else if frac <= -0.5 {
        t.saturating_sub(1)
    } else {
        t
    }
}

/// What one ticket brings, computed once and added to every node it hits.
#[derive(Debug, Clone, Copy, Default)]
pub(crate) struct Facts {
    pub customer: Option<u64>,
    pub account: Option<(u64, i64)>,
    pub needs: u16,
    pub kind: Option<Kind>,
    pub sentiment: Option<(i64, bool)>,
    pub channel: Option<u32>,
    pub csat: Option<i64>,
    /// Milli-hours and log bin.
    pub resolution: Option<(i64, i16)>,
    /// Whether every sum above fits an `i32` (a [`Cell`] takes it).
    pub narrow: bool,
}

impl Facts {
    /// Sets [`Facts::narrow`] from the sums.
    pub(crate) fn with_narrow(mut self) -> Facts {
        let fits = |x: Option<i64>| x.is_none_or(|x| i32::try_from(x).is_ok());
        self.narrow = fits(self.sentiment.map(|s| s.0))
            && fits(self.csat)
            && fits(self.resolution.map(|r| r.0))
            && fits(self.account.map(|a| a.1));
        self
    }
}

/// The counters of one node in one bucket at full width: the serialized
/// form, the overflow of a [`Cell`] and what queries sum into. Sums are
/// fixed point and wrap on overflow: wrapping addition is associative, so
/// merged shards equal the ledger of all tickets even then (a saturating
/// sum would depend on the grouping).
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
pub(crate) struct Counters {
    pub tickets: u64,
    /// Sum of sentiment scores, micro-units.
    #[serde(default)]
    pub sentiment_sum: i64,
    #[serde(default)]
    pub sentiment_n: u64,
    /// Tickets whose sentiment label was negative.
    #[serde(default)]
    pub negative: u64,
    /// Sum of CSAT, micro-units.
    #[serde(default)]
    pub csat_sum: i64,
    #[serde(default)]
    pub csat_n: u64,
    /// Sum of resolution hours, milli-hours.
    #[serde(default)]
    pub resolution_sum: i64,
    #[serde(default)]
    pub resolution_n: u64,
    /// Sum of the value of every ticket with an account, milli-units.
    #[serde(default)]
    pub value_sum: i64,
    #[serde(default)]
    pub value_n: u64,
    #[serde(default)]
    pub kinds: [u64; 6],
    #[serde(default)]
    pub needs: [u64; 16],
}

impl Counters {
    #[inline]
    pub(crate) fn add(&mut self, f: &Facts) {
        self.tickets += 1;
        if let Some((s, negative)) = f.sentiment {
            self.sentiment_sum = self.sentiment_sum.wrapping_add(s);
            self.sentiment_n += 1;
            self.negative += u64::from(negative);
        }
        if let Some(c) = f.csat {
            self.csat_sum = self.csat_sum.wrapping_add(c);
            self.csat_n += 1;
        }
        if let Some((h, _)) = f.resolution {
            self.resolution_sum = self.resolution_sum.wrapping_add(h);
            self.resolution_n += 1;
        }
        if let Some((_, v)) = f.account {
            self.value_sum = self.value_sum.wrapping_add(v);
            self.value_n += 1;
        }
        if let Some(k) = f.kind {
            self.kinds[k as usize] += 1;
        }
        for n in need_indices(f.needs) {
            self.needs[n] += 1;
        }
    }

    /// Adds `o`. Every field wraps rather than overflows (only a crafted,
    /// deserialised ledger comes near), so merging stays exact and never
    /// panics.
    pub(crate) fn merge(&mut self, o: &Counters) {
        self.tickets = self.tickets.wrapping_add(o.tickets);
        self.sentiment_sum = self.sentiment_sum.wrapping_add(o.sentiment_sum);
        self.sentiment_n = self.sentiment_n.wrapping_add(o.sentiment_n);
        self.negative = self.negative.wrapping_add(o.negative);
        self.csat_sum = self.csat_sum.wrapping_add(o.csat_sum);
        self.csat_n = self.csat_n.wrapping_add(o.csat_n);
        self.resolution_sum = self.resolution_sum.wrapping_add(o.resolution_sum);
        self.resolution_n = self.resolution_n.wrapping_add(o.resolution_n);
        self.value_sum = self.value_sum.wrapping_add(o.value_sum);
        self.value_n = self.value_n.wrapping_add(o.value_n);
        for (a, b) in self.kinds.iter_mut().zip(&o.kinds) {
            *a = a.wrapping_add(*b);
        }
        for (a, b) in self.needs.iter_mut().zip(&o.needs) {
            *a = a.wrapping_add(*b);
        }
    }

    /// The counters' part of the stats.
    pub(crate) fn stats(&self) -> Stats {
        let mean = |sum: i64, n: u64, scale: f64| (n > 0).then(|| sum as f64 / scale / n as f64);
        Stats {
            tickets: self.tickets,
            needs: Need::ALL
                .iter()
                .zip(&self.needs)
                .filter(|(_, n)| **n > 0)
                .map(|(k, n)| (*k, *n))
                .collect(),
            kinds: Kind::ALL
                .iter()
                .zip(&self.kinds)
                .filter(|(_, n)| **n > 0)
                .map(|(k, n)| (*k, *n))
                .collect(),
            sentiment_sum: self.sentiment_sum as f64 / MICRO,
            sentiment_count: self.sentiment_n,
            negative: self.negative,
            csat_mean: mean(self.csat_sum, self.csat_n, MICRO),
            csat_count: self.csat_n,
            resolution_mean: mean(self.resolution_sum, self.resolution_n, MILLI),
            resolution_count: self.resolution_n,
            exact: true,
            ..Stats::default()
        }
    }
}

/// Dense per-node channel slots (channel ids below this); further
/// channels go to the row's channel log.
pub(crate) const CHANNEL_SLOTS: usize = 8;

/// A [`Counters`] plus the dense channel counts: a [`Cell`] widened, or
/// the overflow that a cell spills into.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub(crate) struct Wide {
    pub counters: Counters,
    pub channels: [u64; CHANNEL_SLOTS],
}

impl Wide {
    /// Adds one ticket (and its dense channel slot, if any).
    pub(crate) fn add(&mut self, f: &Facts, slot: Option<usize>) {
        self.counters.add(f);
        if let Some(c) = slot {
            self.channels[c] += 1;
        }
    }

    pub(crate) fn merge(&mut self, o: &Wide) {
        self.counters.merge(&o.counters);
        for (a, b) in self.channels.iter_mut().zip(&o.channels) {
            *a = a.wrapping_add(*b);
        }
    }
}

/// The in-memory counters of one node in one bucket: 128 bytes, two cache
/// lines. The first holds what nearly every ticket adds to (the ticket
/// count, the sentiment, CSAT, resolution and value sums and counts, the
/// kinds), the second the needs and the dense channel counts.
///
/// Counts are `u32` (needs `u16`) and sums `i32`; every count but the
/// needs is bounded by `tickets` (a ticket adds at most one to each), so
/// one check on `tickets` guards them all. An add or merge that would
/// overflow any field fails as a whole and changes nothing: the row then
/// moves the cell into its [`Wide`] overflow and starts it again from
/// zero, so nothing wraps or saturates and a node's counts are always
/// cell + overflow, exactly.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
#[repr(C, align(64))]
pub(crate) struct Cell {
    pub tickets: u32,
    sentiment_n: u32,
    negative: u32,
    csat_n: u32,
    resolution_n: u32,
    value_n: u32,
    pub kinds: [u32; 6],
    sentiment_sum: i32,
    csat_sum: i32,
    resolution_sum: i32,
    value_sum: i32,
    needs: [u16; 16],
    pub channels: [u32; CHANNEL_SLOTS],
}

const _: () = assert!(std::mem::size_of::<Cell>() == 128);

/// The indices of the needs set in a ticket's need bits, lowest first.
#[inline]
fn need_indices(mut bits: u16) -> impl Iterator<Item = usize> {
    std::iter::from_fn(move || {
        (bits != 0).then(|| {
            let n = bits.trailing_zeros() as usize;
            bits &= bits - 1;
            n
        })
    })
}

/// `sum + x` if it fits; `x` must fit an `i32` ([`Facts::narrow`]).
#[inline]
fn add32(sum: i32, x: Option<i64>) -> Option<i32> {
    match x {
        None => Some(sum),
        Some(x) => sum.checked_add(x as i32),
    }
}

impl Cell {
    /// Adds one ticket (and one to channel `slot`), or returns false and
    /// changes nothing when a field would overflow or a sum of the ticket
    /// does not fit.
    #[inline]
    pub(crate) fn try_add(&mut self, f: &Facts, slot: Option<usize>) -> bool {
        if self.tickets == u32::MAX || !f.narrow {
            return false;
        }
        if need_indices(f.needs).any(|n| self.needs[n] == u16::MAX) {
            return false;
        }
        let (Some(sentiment), Some(csat), Some(resolution), Some(value)) = (
            add32(self.sentiment_sum, f.sentiment.map(|s| s.0)),
            add32(self.csat_sum, f.csat),
            add32(self.resolution_sum, f.resolution.map(|r| r.0)),
            add32(self.value_sum, f.account.map(|a| a.1)),
        ) else {
            return false;
        };
        // Every count below is at most `tickets` < u32::MAX: no overflow.
        self.tickets += 1;
        self.sentiment_sum = sentiment;
        self.csat_sum = csat;
        self.resolution_sum = resolution;
        self.value_sum = value;
        if let Some((_, negative)) = f.sentiment {
            self.sentiment_n += 1;
            self.negative += u32::from(negative);
        }
        self.csat_n += u32::from(f.csat.is_some());
        self.resolution_n += u32::from(f.resolution.is_some());
        self.value_n += u32::from(f.account.is_some());
        if let Some(k) = f.kind {
            self.kinds[k as usize] += 1;
        }
        for n in need_indices(f.needs) {
            self.needs[n] += 1;
        }
        if let Some(c) = slot {
            self.channels[c] += 1;
        }
        true
    }

    /// Adds `o`, or returns false and changes nothing on overflow.
    pub(crate) fn try_merge(&mut self, o: &Cell) -> bool {
        let Some(tickets) = self.tickets.checked_add(o.tickets) else {
            return false;
        };
        let needs_fit = self
            .needs
            .iter()
            .zip(&o.needs)
            .all(|(a, b)| a.checked_add(*b).is_some());
        let (Some(s), Some(c), Some(r), Some(v), true) = (
            self.sentiment_sum.checked_add(o.sentiment_sum),
            self.csat_sum.checked_add(o.csat_sum),
            self.resolution_sum.checked_add(o.resolution_sum),
            self.value_sum.checked_add(o.value_sum),
            needs_fit,
        ) else {
            return false;
        };
        // Each count is at most its cell's tickets, so their sums fit.
        self.tickets = tickets;
        (
            self.sentiment_sum,
            self.csat_sum,
            self.resolution_sum,
            self.value_sum,
        ) = (s, c, r, v);
        self.sentiment_n += o.sentiment_n;
        self.negative += o.negative;
        self.csat_n += o.csat_n;
        self.resolution_n += o.resolution_n;
        self.value_n += o.value_n;
        for (a, b) in self.kinds.iter_mut().zip(&o.kinds) {
            *a += b;
        }
        for (a, b) in self.needs.iter_mut().zip(&o.needs) {
            *a += b;
        }
        for (a, b) in self.channels.iter_mut().zip(&o.channels) {
            *a += b;
        }
        true
    }

    /// Adds `count` to channel `slot`, or returns false if the channel
    /// would exceed the cell's tickets (the bound the overflow checks
    /// rely on).
    pub(crate) fn try_add_channel(&mut self, slot: usize, count: u64) -> bool {
        match u64::from(self.channels[slot]).checked_add(count) {
            Some(n) if n <= u64::from(self.tickets) => {
                self.channels[slot] = n as u32;
                true
            }
            _ => false,
        }
    }

    /// The cell at full width.
    pub(crate) fn widen(&self) -> Wide {
        let counters = Counters {
            tickets: u64::from(self.tickets),
            sentiment_sum: i64::from(self.sentiment_sum),
            sentiment_n: u64::from(self.sentiment_n),
            negative: u64::from(self.negative),
            csat_sum: i64::from(self.csat_sum),
            csat_n: u64::from(self.csat_n),
            resolution_sum: i64::from(self.resolution_sum),
            resolution_n: u64::from(self.resolution_n),
            value_sum: i64::from(self.value_sum),
            value_n: u64::from(self.value_n),
            kinds: self.kinds.map(u64::from),
            needs: self.needs.map(u64::from),
        };
        Wide {
            counters,
            channels: self.channels.map(u64::from),
        }
    }

    /// The cell holding `w` exactly, if every field fits and every count
    /// is within the ticket count (else `w` stays wide).
    pub(crate) fn narrow(w: &Wide) -> Option<Cell> {
        let c = &w.counters;
        let n32 = |x: u64| u32::try_from(x).ok().filter(|_| x <= c.tickets);
        let s32 = |x: i64| i32::try_from(x).ok();
        let mut cell = Cell {
            tickets: u32::try_from(c.tickets).ok()?,
            sentiment_n: n32(c.sentiment_n)?,
            negative: n32(c.negative)?,
            csat_n: n32(c.csat_n)?,
            resolution_n: n32(c.resolution_n)?,
            value_n: n32(c.value_n)?,
            sentiment_sum: s32(c.sentiment_sum)?,
            csat_sum: s32(c.csat_sum)?,
            resolution_sum: s32(c.resolution_sum)?,
            value_sum: s32(c.value_sum)?,
            ..Cell::default()
        };
        for (a, &b) in cell.kinds.iter_mut().zip(&c.kinds) {
            *a = n32(b)?;
        }
        for (a, &b) in cell.needs.iter_mut().zip(&c.needs) {
            *a = u16::try_from(b).ok()?;
        }
        for (a, &b) in cell.channels.iter_mut().zip(&w.channels) {
            *a = n32(b)?;
        }
        Some(cell)
    }
}

/// What a ledger knows about one node over one bucket or a range of them.
///
/// Counts are exact; `customers`, `accounts` and `value` are exact unless
/// the ledger was configured with [`DistinctCount::Estimate`](crate::DistinctCount)
/// and the node outgrew the exact bound (then `exact` is false).
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
/// for (id, who, hours) in [("t1", "ann", 4.0), ("t2", "ann", 8.0), ("t3", "bob", 30.0)] {
///     let ticket = Ticket::new(id, "Export to CSV crashes the app every time")
///         .created_at(day)
///         .customer(who)
///         .channel("email")
///         .csat(2.0)
///         .resolution_hours(hours);
///     ledger.record(&ticket, &tagger.tag(&ticket));
/// }
/// let export = ledger.total(ledger.node("export").unwrap());
/// assert_eq!((export.tickets, export.customers, export.exact), (3, 2.0, true));
/// assert_eq!(export.channels["email"], 3);
/// assert_eq!((export.csat_mean, export.csat_count), (Some(2.0), 3));
/// assert_eq!(export.resolution_mean, Some(14.0));
/// let median = export.resolution_median.unwrap();
/// assert!((median - 8.0).abs() <= 0.05 * 8.0); // within 5%
/// assert_eq!(export.sentiment_count, 3);
/// ```
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[non_exhaustive]
pub struct Stats {
    /// Tickets (each ticket once per node).
    pub tickets: u64,
    /// Distinct customers.
    pub customers: f64,
    /// Distinct accounts.
    pub accounts: f64,
    /// Summed value of the distinct accounts (each account once, at the
    /// largest value seen for it).
    pub value: f64,
    /// Whether `customers`, `accounts` and `value` are exact.
    pub exact: bool,
    /// Tickets per customer need (a ticket counts once for each need it
    /// speaks to). Needs with no ticket are left out.
    pub needs: BTreeMap<Need, u64>,
    /// Tickets per kind. Tickets without a kind are left out.
    pub kinds: BTreeMap<Kind, u64>,
    /// Tickets per channel.
    pub channels: BTreeMap<String, u64>,
    /// Sum of sentiment scores (each in `[-1, 1]`).
    pub sentiment_sum: f64,
    /// Tickets with a sentiment.
    pub sentiment_count: u64,
    /// Tickets with a negative sentiment label.
    pub negative: u64,
    /// Mean CSAT, if any ticket had one.
    pub csat_mean: Option<f64>,
    /// Tickets with a CSAT.
    pub csat_count: u64,
    /// Mean resolution time in hours.
    pub resolution_mean: Option<f64>,
    /// Median resolution time in hours (within 5%: a log-binned sketch).
    pub resolution_median: Option<f64>,
    /// 90th percentile of resolution time in hours (within 5%).
    pub resolution_p90: Option<f64>,
    /// Tickets with a resolution time.
    pub resolution_count: u64,
}

impl Stats {
    /// Mean sentiment in `[-1, 1]`, if any ticket had one.
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
    /// let node = ledger.node("export").unwrap();
    /// assert_eq!(ledger.total(node).sentiment_mean(), None);
    /// for (id, text) in [("t1", "Export to CSV crashes the app every time"), ("t2", "export to csv fails again")] {
    ///     let ticket = Ticket::new(id, text);
    ///     ledger.record(&ticket, &tagger.tag(&ticket));
    /// }
    /// let export = ledger.total(node);
    /// let mean = export.sentiment_mean().unwrap();
    /// assert!(mean < 0.0); // two unhappy customers
    /// assert!((mean - export.sentiment_sum / 2.0).abs() < 1e-12);
    /// assert_eq!(export.negative, 2);
    /// ```
    pub fn sentiment_mean(&self) -> Option<f64> {
        (self.sentiment_count > 0).then(|| self.sentiment_sum / self.sentiment_count as f64)
    }

    /// Tickets of one kind (0 when none). O(1).
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
    /// let mut ledger = Ledger::new(&product, LedgerConfig::default()).unwrap();
    /// for (id, text) in [
    ///     ("t1", "Export to CSV crashes the app every time"),
    ///     ("t2", "How do I export to CSV?"),
    ///     ("t3", "export to csv fails again"),
    /// ] {
    ///     let ticket = Ticket::new(id, text);
    ///     ledger.record(&ticket, &tagger.tag(&ticket));
    /// }
    /// let export = ledger.total(ledger.node("export").unwrap());
    /// assert_eq!((export.kind(Kind::Bug), export.kind(Kind::Question)), (2, 1));
    /// assert_eq!(export.kind(Kind::Praise), 0);
    /// ```
    pub fn kind(&self, kind: Kind) -> u64 {
        self.kinds.get(&kind).copied().unwrap_or(0)
    }

    /// Tickets speaking to one need (0 when none). O(log 16).
    ///
    /// ```
    /// # use painpoint::{Capability, Feature, Ledger, LedgerConfig, Period, Product, Tagger, Ticket, Timestamp};
    /// # let product = Product::new("app", "App").capability(
    /// #     Capability::new("data", "Data")
    /// #         .feature(Feature::new("export", "Export").keyword("export to csv"))
    /// #         .feature(Feature::new("import", "Import").keyword("import from csv")),
    /// # );
    /// # let tagger = Tagger::new(&product).unwrap();
    /// # use painpoint::Need;
    /// let mut ledger = Ledger::new(&product, LedgerConfig::default()).unwrap();
    /// for (id, text) in [
    ///     ("t1", "Export to CSV crashes the app every time"),
    ///     ("t2", "Import from CSV is way too expensive"),
    /// ] {
    ///     let ticket = Ticket::new(id, text);
    ///     ledger.record(&ticket, &tagger.tag(&ticket));
    /// }
    /// let data = ledger.total(ledger.node("data").unwrap());
    /// assert_eq!(data.tickets, 2);
    /// assert_eq!((data.need(Need::Reliability), data.need(Need::Price)), (1, 1));
    /// assert_eq!(data.need(Need::Honesty), 0);
    /// ```
    pub fn need(&self, need: Need) -> u64 {
        self.needs.get(&need).copied().unwrap_or(0)
    }
}

/// Maps a sentiment label to whether it is negative.
pub(crate) fn is_negative(p: Polarity) -> bool {
    p == Polarity::Negative
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sums_merge_exactly_even_past_the_i64_range() {
        // Fuzz `ledger`: CSAT 1.65e19 and -3.06e38 saturate to i64::MAX and
        // i64::MIN in micro-units; a saturating sum then depends on the
        // grouping, and merged shards differ from the ledger of all.
        let facts = |c: f64| Facts {
            csat: fixed(c, MICRO),
            resolution: Some((fixed(c.abs(), MILLI).unwrap_or(0), 0)),
            ..Facts::default()
        };
        let (x, y, z) = (
            facts(1.653_424e19),
            facts(1.903_965_5e11),
            facts(-3.057_224_2e38),
        );
        let mut all = Counters::default();
        for f in [&x, &y, &z] {
            all.add(f);
        }
        let (mut a, mut b) = (Counters::default(), Counters::default());
        a.add(&y);
        b.add(&x);
        b.add(&z);
        let mut ab = a.clone();
        ab.merge(&b);
        let mut ba = b.clone();
        ba.merge(&a);
        assert_eq!(ab, all);
        assert_eq!(ba, all);
    }

    #[test]
    fn round_matches_the_std_round_everywhere() {
        let mut x = 0x1234_5678_9abc_def0u64;
        let mut cases = vec![
            0.0,
            -0.0,
            0.5,
            -0.5,
            1.5,
            -1.5,
            2.5,
            0.499_999_999_999_999_94,
            -0.499_999_999_999_999_94,
            4_503_599_627_370_495.5,
            -4_503_599_627_370_495.5,
            9.2e18,
            9.3e18,
            -9.3e18,
            1e300,
            -1e300,
            f64::MAX,
            f64::MIN,
            f64::MIN_POSITIVE,
            9_223_372_036_854_775_807.0,
        ];
        for _ in 0..200_000 {
            x = super::super::sketch::mix64(x.wrapping_add(0x9e37_79b9_7f4a_7c15));
            cases.push(f64::from_bits(x));
            cases.push((x >> 11) as f64 / 1024.0 - 4e12);
        }
        for y in cases.into_iter().filter(|y| y.is_finite()) {
            assert_eq!(round(y), y.round() as i64, "{y:e}");
        }
    }
}
