//! Mergeable summaries: a fixed hash, distinct counts (exact, or a
//! HyperLogLog past a size bound) and a log-binned quantile histogram.
//!
//! Every summary here merges exactly: merging the summaries of two halves
//! of a stream gives the summary of the whole stream, bit for bit, whatever
//! the split and order. That is what lets ledgers built on many threads or
//! machines combine.

use std::collections::{BTreeMap, HashMap, HashSet};
use std::hash::{BuildHasherDefault, Hasher};

use serde::{Deserialize, Serialize};

/// FNV-1a over the bytes, then the SplitMix64 finalizer so every output bit
/// depends on every input bit (HyperLogLog reads the top bits).
///
/// Fixed and documented so that ledgers hashed on different machines and
/// versions agree. Not collision resistant against an adversary: two
/// customer ids that collide (probability about n^2 / 2^65 for n ids)
/// are counted once.
pub(crate) fn hash_str(s: &str) -> u64 {
    let mut h: u64 = 0xcbf2_9ce4_8422_2325;
    for &b in s.as_bytes() {
        h ^= u64::from(b);
        h = h.wrapping_mul(0x0000_0100_0000_01b3);
    }
    mix64(h)
}

/// The SplitMix64 finalizer.
pub(crate) fn mix64(mut z: u64) -> u64 {
    z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
    z ^ (z >> 31)
}

/// A hasher for keys that are already well-mixed 64-bit hashes.
#[derive(Default, Clone, Copy)]
pub(crate) struct PreHashed(u64);

impl Hasher for PreHashed {
    fn finish(&self) -> u64 {
        self.0
    }
    fn write(&mut self, bytes: &[u8]) {
        for &b in bytes {
            self.0 = (self.0 ^ u64::from(b)).wrapping_mul(0x0000_0100_0000_01b3);
        }
    }
    fn write_u64(&mut self, n: u64) {
        self.0 = n;
    }
}

type Build = BuildHasherDefault<PreHashed>;

/// A set of hashed keys, exact until it outgrows its bound, then a
/// HyperLogLog. Distinct customers of one node in one bucket.
#[derive(Debug, Clone, PartialEq, Default)]
pub(crate) enum Distinct {
    /// No key yet (no allocation).
    #[default]
    Empty,
    /// Every key.
    Exact(HashSet<u64, Build>),
    /// A HyperLogLog of precision `p` (2^p one-byte registers).
    Sketch(Hll),
}

impl Distinct {
    /// Adds a key. `bound` is `None` for always-exact, or the HLL precision.
    #[inline]
    pub(crate) fn insert(&mut self, key: u64, precision: Option<u8>) {
        match self {
            Distinct::Empty => {
                let mut set = HashSet::with_capacity_and_hasher(2, Build::default());
                set.insert(key);
                *self = Distinct::Exact(set);
            }
            Distinct::Exact(set) => {
                set.insert(key);
                if let Some(p) = precision
                    && set.len() > exact_limit(p)
                {
                    let mut hll = Hll::new(p);
                    for &k in set.iter() {
                        hll.insert(k);
                    }
                    *self = Distinct::Sketch(hll);
                }
            }
            Distinct::Sketch(hll) => hll.insert(key),
        }
    }

    /// Adds every key of `other`.
    pub(crate) fn merge(&mut self, other: &Distinct, precision: Option<u8>) {
        match other {
            Distinct::Empty => {}
            Distinct::Exact(set) => {
                for &k in set {
                    self.insert(k, precision);
                }
            }
            Distinct::Sketch(theirs) => match self {
                Distinct::Sketch(mine) => mine.merge(theirs),
                _ => {
                    let mut hll = theirs.clone();
                    if let Distinct::Exact(set) = self {
                        for &k in set.iter() {
                            hll.insert(k);
                        }
                    }
                    *self = Distinct::Sketch(hll);
                }
            },
        }
    }

    /// The number of distinct keys: exact, or the HyperLogLog estimate.
    pub(crate) fn count(&self) -> f64 {
        match self {
            Distinct::Empty => 0.0,
            Distinct::Exact(set) => set.len() as f64,
            Distinct::Sketch(hll) => hll.estimate(),
        }
    }

    pub(crate) fn is_exact(&self) -> bool {
        !matches!(self, Distinct::Sketch(_))
    }

    fn to_wire(&self) -> DistinctWire {
        match self {
            Distinct::Empty => DistinctWire::Exact(Vec::new()),
            Distinct::Exact(set) => {
                let mut keys: Vec<u64> = set.iter().copied().collect();
                keys.sort_unstable();
                DistinctWire::Exact(keys)
            }
            Distinct::Sketch(hll) => DistinctWire::Hll(hll.clone()),
        }
    }
}

/// Exact sets switch to a sketch past 2^p / 8 keys, where the set's memory
/// (about 16 bytes a key) passes the sketch's 2^p bytes.
pub(crate) fn exact_limit(precision: u8) -> usize {
    (1usize << precision) / 8
}

/// Sorted keys on the wire so the same set always serializes the same.
#[derive(Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
enum DistinctWire {
    Exact(Vec<u64>),
    Hll(Hll),
}

impl Serialize for Distinct {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        self.to_wire().serialize(s)
    }
}

impl<'de> Deserialize<'de> for Distinct {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Distinct, D::Error> {
        Ok(match DistinctWire::deserialize(d)? {
            DistinctWire::Exact(keys) if keys.is_empty() => Distinct::Empty,
            DistinctWire::Exact(keys) => Distinct::Exact(keys.into_iter().collect()),
            DistinctWire::Hll(hll) => Distinct::Sketch(check_hll(hll)?),
        })
    }
}

/// HyperLogLog (Flajolet et al. 2007) with linear counting for small
/// cardinalities. Standard error about 1.04 / sqrt(2^p): 3.3% at p = 10,
/// 1.6% at p = 12, 0.8% at p = 14.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub(crate) struct Hll {
    p: u8,
    registers: Vec<u8>,
}

impl Hll {
    pub(crate) fn new(p: u8) -> Hll {
        Hll {
            p,
            registers: vec![0; 1 << p],
        }
    }

    #[inline]
    pub(crate) fn insert(&mut self, key: u64) {
        let index = (key >> (64 - self.p)) as usize;
        let rest = (key << self.p) | (1 << (self.p - 1));
        let rank = rest.leading_zeros() as u8 + 1;
        let r = &mut self.registers[index];
        if rank > *r {
            *r = rank;
        }
    }

    pub(crate) fn merge(&mut self, other: &Hll) {
        if other.p != self.p {
            return;
        }
        for (a, &b) in self.registers.iter_mut().zip(&other.registers) {
            *a = (*a).max(b);
        }
    }

    pub(crate) fn estimate(&self) -> f64 {
        let m = self.registers.len() as f64;
        let alpha = match self.registers.len() {
            16 => 0.673,
            32 => 0.697,
            64 => 0.709,
            _ => 0.7213 / (1.0 + 1.079 / m),
        };
        let mut sum = 0.0;
        let mut zeros = 0usize;
        for &r in &self.registers {
            sum += 2f64.powi(-i32::from(r));
            zeros += usize::from(r == 0);
        }
        let raw = alpha * m * m / sum;
        if raw <= 2.5 * m && zeros > 0 {
            m * (m / zeros as f64).ln()
        } else {
            raw
        }
    }
}

/// Distinct accounts with the value each one brings (the largest value seen
/// for it, in fixed-point milli-units so sums are exact), or past the bound
/// a HyperLogLog times the mean value per ticket.
///
/// `value_sum` and `tickets` run over every ticket from the start in both
/// modes, so the state never depends on when the switch happened.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
pub(crate) struct Accounts {
    keys: AccountKeys,
    /// Sum of the value of every ticket with an account (milli-units).
    value_sum: i64,
    /// Tickets with an account.
    tickets: u64,
}

#[derive(Debug, Clone, PartialEq, Default)]
enum AccountKeys {
    #[default]
    Empty,
    Exact(HashMap<u64, i64, Build>),
    Sketch(Hll),
}

impl Accounts {
    #[inline]
    pub(crate) fn insert(&mut self, key: u64, value: i64, precision: Option<u8>) {
        self.value_sum = self.value_sum.saturating_add(value);
        self.tickets += 1;
        self.insert_key(key, value, precision);
    }

    #[inline]
    fn insert_key(&mut self, key: u64, value: i64, precision: Option<u8>) {
        match &mut self.keys {
            AccountKeys::Empty => {
                let mut map = HashMap::with_capacity_and_hasher(2, Build::default());
                map.insert(key, value);
                self.keys = AccountKeys::Exact(map);
            }
            AccountKeys::Exact(map) => {
                let slot = map.entry(key).or_insert(value);
                *slot = (*slot).max(value);
                if let Some(p) = precision
                    && map.len() > exact_limit(p)
                {
                    let mut hll = Hll::new(p);
                    for &k in map.keys() {
                        hll.insert(k);
                    }
                    self.keys = AccountKeys::Sketch(hll);
                }
            }
            AccountKeys::Sketch(hll) => hll.insert(key),
        }
    }

    pub(crate) fn merge(&mut self, other: &Accounts, precision: Option<u8>) {
        self.value_sum = self.value_sum.saturating_add(other.value_sum);
        self.tickets += other.tickets;
        match &other.keys {
            AccountKeys::Empty => {}
            AccountKeys::Exact(map) => {
                for (&k, &v) in map {
                    self.insert_key(k, v, precision);
                }
            }
            AccountKeys::Sketch(theirs) => match &mut self.keys {
                AccountKeys::Sketch(mine) => mine.merge(theirs),
                keys => {
                    let mut hll = theirs.clone();
                    if let AccountKeys::Exact(map) = keys {
                        for &k in map.keys() {
                            hll.insert(k);
                        }
                    }
                    *keys = AccountKeys::Sketch(hll);
                }
            },
        }
    }

    pub(crate) fn count(&self) -> f64 {
        match &self.keys {
            AccountKeys::Empty => 0.0,
            AccountKeys::Exact(map) => map.len() as f64,
            AccountKeys::Sketch(hll) => hll.estimate(),
        }
    }

    pub(crate) fn is_exact(&self) -> bool {
        !matches!(self.keys, AccountKeys::Sketch(_))
    }

    /// The summed value of the distinct accounts (milli-units, as f64).
    pub(crate) fn value_milli(&self) -> f64 {
        match &self.keys {
            AccountKeys::Empty => 0.0,
            AccountKeys::Exact(map) => map.values().fold(0i64, |a, &v| a.saturating_add(v)) as f64,
            AccountKeys::Sketch(hll) => {
                if self.tickets == 0 {
                    0.0
                } else {
                    hll.estimate() * (self.value_sum as f64 / self.tickets as f64)
                }
            }
        }
    }
}

#[derive(Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
enum AccountsWire {
    Exact(Vec<(u64, i64)>),
    Hll(Hll),
}

impl Serialize for AccountKeys {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        match self {
            AccountKeys::Empty => AccountsWire::Exact(Vec::new()).serialize(s),
            AccountKeys::Exact(map) => {
                let mut pairs: Vec<(u64, i64)> = map.iter().map(|(&k, &v)| (k, v)).collect();
                pairs.sort_unstable();
                AccountsWire::Exact(pairs).serialize(s)
            }
            AccountKeys::Sketch(hll) => AccountsWire::Hll(hll.clone()).serialize(s),
        }
    }
}

impl<'de> Deserialize<'de> for AccountKeys {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<AccountKeys, D::Error> {
        Ok(match AccountsWire::deserialize(d)? {
            AccountsWire::Exact(pairs) if pairs.is_empty() => AccountKeys::Empty,
            AccountsWire::Exact(pairs) => {
                let mut map = HashMap::with_capacity_and_hasher(pairs.len(), Build::default());
                for (k, v) in pairs {
                    let slot = map.entry(k).or_insert(v);
                    *slot = (*slot).max(v);
                }
                AccountKeys::Exact(map)
            }
            AccountsWire::Hll(hll) => AccountKeys::Sketch(check_hll(hll)?),
        })
    }
}

fn check_hll<E: serde::de::Error>(hll: Hll) -> Result<Hll, E> {
    if !(4..=18).contains(&hll.p) || hll.registers.len() != 1 << hll.p {
        return Err(E::custom("hll: precision must be 4..=18 with 2^p registers"));
    }
    Ok(hll)
}

/// Relative accuracy of [`Quantiles`]: bins grow by this factor, so a
/// reported quantile is within 5% of a value of the right rank.
const GAMMA: f64 = 1.1;

/// A log-binned histogram of non-negative durations (a DDSketch with a
/// fixed bin growth): bin `i` holds values in `(GAMMA^(i-1), GAMMA^i]`,
/// values below 1e-3 share bin `i16::MIN`. Merges by adding bins, so it is
/// exact under any split; memory is one entry per occupied bin (at most
/// ~300 for values from 1e-3 to 1e9).
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(transparent)]
pub(crate) struct Quantiles(BTreeMap<i16, u64>);

impl Quantiles {
    #[inline]
    pub(crate) fn insert(&mut self, x: f64) {
        let bin = if x < 1e-3 {
            i16::MIN
        } else {
            (x.ln() / GAMMA.ln()).ceil().clamp(-32_000.0, 32_000.0) as i16
        };
        *self.0.entry(bin).or_insert(0) += 1;
    }

    pub(crate) fn count(&self) -> u64 {
        self.0.values().sum()
    }

    pub(crate) fn merge(&mut self, other: &Quantiles) {
        for (&bin, &n) in &other.0 {
            *self.0.entry(bin).or_insert(0) += n;
        }
    }

    /// The `q`-quantile (0 <= q <= 1), or `None` when empty: the midpoint
    /// of the bin holding the value of rank `ceil(q * n)`.
    pub(crate) fn quantile(&self, q: f64) -> Option<f64> {
        let n: u64 = self.0.values().sum();
        if n == 0 {
            return None;
        }
        let rank = ((q.clamp(0.0, 1.0) * n as f64).ceil() as u64).max(1);
        let mut seen = 0;
        for (&bin, &count) in &self.0 {
            seen += count;
            if seen >= rank {
                if bin == i16::MIN {
                    return Some(0.0);
                }
                let hi = GAMMA.powi(i32::from(bin));
                return Some(hi * 2.0 / (1.0 + GAMMA));
            }
        }
        None
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hll_error_is_within_bounds() {
        for &n in &[1_000u64, 20_000, 200_000] {
            let mut hll = Hll::new(12);
            for i in 0..n {
                hll.insert(mix64(i));
            }
            let err = (hll.estimate() - n as f64).abs() / n as f64;
            assert!(err < 4.0 * 1.04 / 64.0, "n = {n}, error {err}");
        }
    }

    #[test]
    fn quantiles_within_five_percent() {
        let mut q = Quantiles::default();
        for i in 1..=1000 {
            q.insert(i as f64);
        }
        let median = q.quantile(0.5).unwrap();
        assert!((median - 500.0).abs() / 500.0 < 0.05, "{median}");
        assert_eq!(Quantiles::default().quantile(0.5), None);
    }

    #[test]
    fn distinct_switches_to_sketch_and_merges_the_same() {
        let mut a = Distinct::default();
        let mut b = Distinct::default();
        let mut all = Distinct::default();
        for i in 0..1000u64 {
            let k = mix64(i);
            all.insert(k, Some(8));
            if i % 3 == 0 { a.insert(k, Some(8)) } else { b.insert(k, Some(8)) }
        }
        a.merge(&b, Some(8));
        assert_eq!(a, all);
        assert!(!all.is_exact());
    }
}
