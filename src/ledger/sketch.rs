//! Mergeable summaries: a fixed hash, distinct counts (exact, or a
//! HyperLogLog past a size bound) and a log-binned quantile histogram.
//!
//! Every summary here merges exactly: merging the summaries of two halves
//! of a stream gives the summary of the whole stream, bit for bit, whatever
//! the split and order. That is what lets ledgers built on many threads or
//! machines combine.

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

pub(crate) fn check_hll<E: serde::de::Error>(hll: Hll) -> Result<Hll, E> {
    if !(4..=18).contains(&hll.p) || hll.registers.len() != 1 << hll.p {
        return Err(E::custom(
            "hll: precision must be 4..=18 with 2^p registers",
        ));
    }
    Ok(hll)
}

/// Exact sets switch to a sketch past 2^p / 8 keys, where the keys' memory
/// (8 to 16 bytes each) passes the sketch's 2^p bytes.
pub(crate) fn exact_limit(precision: u8) -> usize {
    (1usize << precision) / 8
}

/// Relative accuracy of the resolution-time quantiles: bins grow by this
/// factor, so a reported quantile is within 5% of a value of the right rank.
const GAMMA: f64 = 1.1;

/// The log bin of a non-negative duration (a DDSketch with a fixed bin
/// growth): bin `i` holds values in `(GAMMA^(i-1), GAMMA^i]`, values below
/// 1e-3 share bin `i16::MIN`. Bins merge by adding counts, so quantiles are
/// exact under any split; at most ~300 bins for values from 1e-3 to 1e9.
#[inline]
pub(crate) fn quantile_bin(x: f64) -> i16 {
    if x < 1e-3 {
        i16::MIN
    } else {
        (x.ln() / GAMMA.ln()).ceil().clamp(-32_000.0, 32_000.0) as i16
    }
}

/// The `q`-quantile of sorted `(bin, count)` pairs: the midpoint of the
/// bin holding the value of rank `ceil(q * n)`, or `None` when empty.
pub(crate) fn quantile(bins: &[(i16, u64)], q: f64) -> Option<f64> {
    let n: u64 = bins.iter().map(|b| b.1).sum();
    if n == 0 {
        return None;
    }
    let rank = ((q.clamp(0.0, 1.0) * n as f64).ceil() as u64).max(1);
    let mut seen = 0;
    for &(bin, count) in bins {
        seen += count;
        if seen >= rank {
            if bin == i16::MIN {
                return Some(0.0);
            }
            return Some(GAMMA.powi(i32::from(bin)) * 2.0 / (1.0 + GAMMA));
        }
    }
    None
}

/// How two entries of a [`Log`] with the same key combine.
pub(crate) trait Combine: Copy {
    fn combine(&mut self, other: Self);
}

impl Combine for () {
    #[inline]
    fn combine(&mut self, _: ()) {}
}

/// The larger value wins (an account's value).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Default, Serialize, Deserialize)]
#[serde(transparent)]
pub(crate) struct Max(pub i64);

impl Combine for Max {
    #[inline]
    fn combine(&mut self, other: Max) {
        self.0 = self.0.max(other.0);
    }
}

/// Values add up (tickets per bin or channel).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Default, Serialize, Deserialize)]
#[serde(transparent)]
pub(crate) struct Sum(pub u64);

impl Combine for Sum {
    #[inline]
    fn combine(&mut self, other: Sum) {
        self.0 += other.0;
    }
}

/// An append-only log of `(node, key, value)` entries (keys as narrow as
/// they can be: a hash, an id, a bin) whose first `sorted`
/// entries are sorted by `(node, key)` with unique keys. Appending is O(1)
/// and touches one cache line; the log is compacted (tail sorted, merged
/// into the prefix, equal keys combined) when it doubles, so ingest costs
/// O(log n) amortized per entry and memory stays within twice the distinct
/// entries plus a slack ([`slack`]).
#[derive(Debug, Clone, Default)]
pub(crate) struct Log<K, V> {
    pub entries: Vec<(u32, K, V)>,
    pub sorted: usize,
}

/// Entries appended past the sorted prefix before a compaction is due.
const SLACK: usize = 1024;

/// Entries a row's log may take past twice its sorted prefix before a
/// compaction is due: [`SLACK`], or eight per node if more. A row of many
/// nodes then compacts once a few tickets per node have arrived, not
/// every thousand tickets: a fresh row is sorted once instead of merged
/// at 1k, 3k, 7k... entries. The slack costs at most 128 to 192 bytes
/// per node and log, about a row's own 128 bytes of counters per node.
#[inline]
pub(crate) fn slack(nodes: usize) -> usize {
    SLACK.max(8 * nodes)
}

impl<K: Key, V: Combine> Log<K, V> {
    /// Appends an entry; returns whether a compaction is due (the log
    /// grew past twice its sorted prefix plus `slack`).
    #[inline]
    pub(crate) fn push(&mut self, node: u32, key: K, value: V, slack: usize) -> bool {
        self.entries.push((node, key, value));
        self.entries.len() >= 2 * self.sorted + slack
    }

    /// Appends every entry of `other` (its prefix stays sorted, but not
    /// with ours, so all of it joins the tail). Returns whether a
    /// compaction is due (the log grew past 4 times its sorted prefix).
    pub(crate) fn append(&mut self, other: &Log<K, V>, map: impl Fn(K) -> K) -> bool {
        self.entries
            .extend(other.entries.iter().map(|&(n, k, v)| (n, map(k), v)));
        self.entries.len() >= 4 * self.sorted + SLACK
    }

    /// Sorts the tail and merges it into the prefix, in place (no buffer
    /// but the sorted tail, so no fresh pages). O(t log t + n).
    pub(crate) fn compact(&mut self) {
        let total = self.entries.len();
        let (mut i, mut j) = (self.sorted, total - self.sorted);
        if j == 0 {
            return;
        }
        let tail = sort_by_node(&self.entries[i..]);
        if i == 0 {
            // Nothing to merge with: combine the sorted copy's equal keys
            // and keep it.
            self.entries = tail;
            combine_equal(&mut self.entries);
            self.sorted = self.entries.len();
            return;
        }
        let e = &mut self.entries;
        // Backward merge: the write index `w` never passes the unread head
        // (w >= i + j), equal keys combine into the entry last written.
        let mut w = total;
        while i > 0 || j > 0 {
            let take_head =
                j == 0 || (i > 0 && (e[i - 1].0, e[i - 1].1) >= (tail[j - 1].0, tail[j - 1].1));
            let x = if take_head {
                i -= 1;
                e[i]
            } else {
                j -= 1;
                tail[j]
            };
            if w < total && (e[w].0, e[w].1) == (x.0, x.1) {
                e[w].2.combine(x.2);
            } else {
                w -= 1;
                e[w] = x;
            }
        }
        if w > 0 {
            e.copy_within(w..total, 0);
            e.truncate(total - w);
        }
        self.sorted = e.len();
    }

    /// The fully compacted entries, borrowed when already compact.
    pub(crate) fn compacted(&self) -> std::borrow::Cow<'_, [(u32, K, V)]> {
        if self.sorted == self.entries.len() {
            return std::borrow::Cow::Borrowed(&self.entries);
        }
        let tail = sort_by_node(&self.entries[self.sorted..]);
        std::borrow::Cow::Owned(merge_sorted(&self.entries[..self.sorted], &tail))
    }

    /// The union of compacted logs (each sorted with unique keys): node by
    /// node, the logs' runs are concatenated, sorted by key and combined.
    /// Cheaper than appending everything and compacting: no copy of the
    /// whole input, and each sort is one node's keys. `nodes` bounds the
    /// node ids. O(total x log(run) + nodes x logs).
    pub(crate) fn union(logs: &[&Log<K, V>], nodes: usize) -> Log<K, V> {
        debug_assert!(logs.iter().all(|l| l.sorted == l.entries.len()));
        let total = logs.iter().map(|l| l.entries.len()).sum();
        let mut out: Vec<(u32, K, V)> = Vec::with_capacity(total);
        let mut at = vec![0usize; logs.len()];
        let mut scratch = Scratch::default();
        for node in 0..nodes as u32 {
            let start = out.len();
            for (log, i) in logs.iter().zip(at.iter_mut()) {
                let rest = &log.entries[*i..];
                let run = rest.iter().take_while(|e| e.0 == node).count();
                out.extend_from_slice(&rest[..run]);
                *i += run;
            }
            let section = &mut out[start..];
            if section.len() < 2 {
                continue;
            }
            K::sort(section, &mut scratch);
            let mut w = start;
            for r in start + 1..out.len() {
                if out[w].1 == out[r].1 {
                    let v = out[r].2;
                    out[w].2.combine(v);
                } else {
                    w += 1;
                    out[w] = out[r];
                }
            }
            out.truncate(w + 1);
        }
        let sorted = out.len();
        Log {
            entries: out,
            sorted,
        }
    }

    /// Keeps only the entries for which `keep` is true (order kept).
    pub(crate) fn retain(&mut self, keep: impl Fn(u32) -> bool) {
        let mut sorted = 0;
        let mut i = 0;
        let cut = self.sorted;
        self.entries.retain(|e| {
            let k = keep(e.0);
            if k && i < cut {
                sorted += 1;
            }
            i += 1;
            k
        });
        self.sorted = sorted;
    }
}

/// The keys of a [`Log`]. Hashes (`u64`) sort by spreading on their top
/// bits; other keys by a comparison sort.
pub(crate) trait Key: Copy + Ord {
    /// Sorts `entries` by key (equal keys in any order); `scratch` holds
    /// reusable buffers.
    fn sort<V: Copy>(entries: &mut [(u32, Self, V)], scratch: &mut Scratch<Self, V>) {
        let _ = scratch;
        if entries.len() <= SMALL {
            insertion_sort(entries);
        } else {
            entries.sort_unstable_by_key(|e| e.1);
        }
    }
}

/// Reusable buffers of [`Key::sort`].
pub(crate) struct Scratch<K, V> {
    entries: Vec<(u32, K, V)>,
    ends: Vec<u32>,
}

impl<K: Copy, V: Copy> Scratch<K, V> {
    /// Counting sort of `entries` into `buckets` buckets by `bucket(key)`
    /// (stable within a bucket); afterwards `self.ends[b]` is the end of
    /// bucket `b` (the start of `b + 1`). O(n + buckets).
    fn scatter(
        &mut self,
        entries: &mut [(u32, K, V)],
        buckets: usize,
        bucket: impl Fn(K) -> usize,
    ) {
        let ends = &mut self.ends;
        ends.clear();
        ends.resize(buckets + 1, 0);
        for e in entries.iter() {
            ends[bucket(e.1) + 1] += 1;
        }
        for b in 1..ends.len() {
            ends[b] += ends[b - 1];
        }
        let copy = &mut self.entries;
        copy.clear();
        copy.extend_from_slice(entries);
        for e in copy.iter() {
            let at = &mut ends[bucket(e.1)];
            entries[*at as usize] = *e;
            *at += 1;
        }
    }
}

impl<K, V> Default for Scratch<K, V> {
    fn default() -> Scratch<K, V> {
        Scratch {
            entries: Vec::new(),
            ends: Vec::new(),
        }
    }
}

/// Runs this short are sorted by insertion, inline: most runs of a row's
/// log hold a few entries, where a library sort's setup dominates.
const SMALL: usize = 16;

/// Sorts by key in place, O(n^2): for runs of at most [`SMALL`] entries.
#[inline]
fn insertion_sort<K: Ord + Copy, V: Copy>(entries: &mut [(u32, K, V)]) {
    for i in 1..entries.len() {
        let x = entries[i];
        let mut j = i;
        while j > 0 && entries[j - 1].1 > x.1 {
            entries[j] = entries[j - 1];
            j -= 1;
        }
        entries[j] = x;
    }
}

impl Key for u32 {}

impl Key for u16 {
    /// Resolution bins: a run's keys span a few dozen values, so a
    /// counting sort over that span beats a comparison sort. The lowest
    /// key gets a slot of its own (the bin of zero-time resolutions lies
    /// far below the others). O(n + span), or the comparison sort when
    /// the other keys span more than about twice the run.
    fn sort<V: Copy>(entries: &mut [(u32, u16, V)], scratch: &mut Scratch<u16, V>) {
        let n = entries.len();
        if n <= SMALL {
            insertion_sort(entries);
            return;
        }
        let lo = entries.iter().map(|e| e.1).min().unwrap_or(0);
        // The span of the keys above the lowest one.
        let (next, hi) = entries
            .iter()
            .filter(|e| e.1 != lo)
            .fold((u16::MAX, lo), |(a, b), e| (a.min(e.1), b.max(e.1)));
        let span = usize::from(hi.saturating_sub(next)) + 1;
        if span > 2 * n + 64 {
            entries.sort_unstable_by_key(|e| e.1);
            return;
        }
        // Slot 0: the lowest key; slot 1 + k - next: key k above it.
        let slot = |k: u16| {
            if k == lo {
                0
            } else {
                usize::from(k - next) + 1
            }
        };
        scratch.scatter(entries, span + 1, slot);
    }
}

impl Key for u64 {
    /// Hashes are uniform: a counting sort on the top bits into about
    /// one bucket per two keys leaves buckets of a few keys, each then
    /// sorted on its own. O(n) expected, O(n log n) at worst (a bucket
    /// too large is handed to the comparison sort). Beats a comparison
    /// sort on the all-time union, where sections hold thousands of keys.
    fn sort<V: Copy>(entries: &mut [(u32, u64, V)], scratch: &mut Scratch<u64, V>) {
        let n = entries.len();
        if n <= SMALL {
            insertion_sort(entries);
            return;
        }
        let bits = (n / 2).next_power_of_two().trailing_zeros();
        let shift = 64 - bits;
        scratch.scatter(entries, 1 << bits, |k| (k >> shift) as usize);
        let mut start = 0;
        for &end in &scratch.ends[..1 << bits] {
            let bucket = &mut entries[start..end as usize];
            if bucket.len() > SMALL {
                bucket.sort_unstable_by_key(|e| e.1);
            } else {
                insertion_sort(bucket);
            }
            start = end as usize;
        }
    }
}

/// A copy of `entries` sorted by `(node, key)` (duplicates kept): a
/// counting sort by node (nodes are few and dense), then each node's short
/// run by key, which beats one comparison sort of 12-byte keys.
/// O(t + nodes + sum of r log r over runs of length r).
fn sort_by_node<K: Key, V: Copy>(entries: &[(u32, K, V)]) -> Vec<(u32, K, V)> {
    let Some(&first) = entries.first() else {
        return Vec::new();
    };
    // Every slot is overwritten below: a fill, not a copy, to size it.
    let mut out = vec![first; entries.len()];
    let max = entries.iter().map(|e| e.0).max().unwrap_or(0) as usize;
    if max > 4 * entries.len() + 4096 {
        // Sparse node ids: the counts would cost more than they save.
        out.copy_from_slice(entries);
        out.sort_unstable_by_key(|e| (e.0, e.1));
        return out;
    }
    let mut start = vec![0usize; max + 2];
    for e in entries {
        start[e.0 as usize + 1] += 1;
    }
    for n in 1..start.len() {
        start[n] += start[n - 1];
    }
    let mut next = start.clone();
    for e in entries {
        let at = &mut next[e.0 as usize];
        out[*at] = *e;
        *at += 1;
    }
    let mut scratch = Scratch::default();
    for run in start.windows(2) {
        if run[1] - run[0] > 1 {
            K::sort(&mut out[run[0]..run[1]], &mut scratch);
        }
    }
    out
}

/// Combines adjacent entries with equal `(node, key)`, in place.
fn combine_equal<K: Copy + Eq, V: Combine>(entries: &mut Vec<(u32, K, V)>) {
    if entries.is_empty() {
        return;
    }
    let mut w = 0;
    for r in 1..entries.len() {
        let e = entries[r];
        if (entries[w].0, entries[w].1) == (e.0, e.1) {
            entries[w].2.combine(e.2);
        } else {
            w += 1;
            entries[w] = e;
        }
    }
    entries.truncate(w + 1);
}

/// Merges a sorted unique run with a sorted run (duplicates allowed),
/// combining equal keys.
fn merge_sorted<K: Copy + Ord, V: Combine>(
    a: &[(u32, K, V)],
    b: &[(u32, K, V)],
) -> Vec<(u32, K, V)> {
    let mut out: Vec<(u32, K, V)> = Vec::with_capacity(a.len() + b.len());
    let (mut i, mut j) = (0, 0);
    while i < a.len() || j < b.len() {
        let take_a = j >= b.len() || (i < a.len() && (a[i].0, a[i].1) <= (b[j].0, b[j].1));
        let e = if take_a {
            i += 1;
            a[i - 1]
        } else {
            j += 1;
            b[j - 1]
        };
        match out.last_mut() {
            Some(last) if (last.0, last.1) == (e.0, e.1) => last.2.combine(e.2),
            _ => out.push(e),
        }
    }
    out
}

/// The run of entries of one node in a sorted slice.
pub(crate) fn run_of<K, V>(entries: &[(u32, K, V)], node: u32) -> &[(u32, K, V)] {
    let lo = entries.partition_point(|e| e.0 < node);
    let hi = entries.partition_point(|e| e.0 <= node);
    &entries[lo..hi]
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
        let mut bins: Vec<(i16, u64)> = Vec::new();
        for i in 1..=1000 {
            let b = quantile_bin(i as f64);
            match bins.iter_mut().find(|x| x.0 == b) {
                Some(x) => x.1 += 1,
                None => bins.push((b, 1)),
            }
        }
        bins.sort_unstable();
        let median = quantile(&bins, 0.5).unwrap();
        assert!((median - 500.0).abs() / 500.0 < 0.05, "{median}");
        assert_eq!(quantile(&[], 0.5), None);
    }

    #[test]
    fn log_compacts_to_the_same_entries_whatever_the_order() {
        let mut a: Log<u64, Sum> = Log::default();
        let mut b: Log<u64, Sum> = Log::default();
        for i in 0..5000u64 {
            a.push((i % 7) as u32, i % 13, Sum(1), SLACK);
            b.push((4999 - i) as u32 % 7, (4999 - i) % 13, Sum(1), SLACK);
            if i % 1000 == 0 {
                a.compact();
            }
        }
        assert_eq!(a.compacted().to_vec(), b.compacted().to_vec());
        a.compact();
        assert_eq!(a.entries.len(), 7 * 13);
        assert_eq!(a.entries.iter().map(|e| e.2.0).sum::<u64>(), 5000);
    }

    #[test]
    fn hash_keys_sort_like_a_comparison_sort() {
        let mut x = 11u64;
        let mut next = || {
            x = mix64(x.wrapping_add(0x9e37_79b9_7f4a_7c15));
            x
        };
        let mut scratch = Scratch::default();
        for n in [0usize, 1, 17, 40, 63, 64, 65, 100, 1000, 5000] {
            // Uniform hashes, repeated keys, and keys sharing their top
            // bits (one bucket takes everything).
            let uniform: Vec<u64> = (0..n).map(|_| next()).collect();
            let repeated: Vec<u64> = (0..n).map(|_| next() % 7).collect();
            let clustered: Vec<u64> = (0..n).map(|_| next() >> 20).collect();
            for keys in [uniform, repeated, clustered] {
                let mut got: Vec<(u32, u64, Sum)> =
                    keys.iter().map(|&k| (3, k, Sum(k % 5))).collect();
                let mut want = got.clone();
                u64::sort(&mut got, &mut scratch);
                want.sort_unstable_by_key(|e| e.1);
                let key = |v: &[(u32, u64, Sum)]| v.iter().map(|e| e.1).collect::<Vec<_>>();
                assert_eq!(key(&got), key(&want), "n = {n}");
                let mut a: Vec<_> = got.iter().map(|e| (e.1, e.2.0)).collect();
                let mut b: Vec<_> = want.iter().map(|e| (e.1, e.2.0)).collect();
                a.sort_unstable();
                b.sort_unstable();
                assert_eq!(a, b, "same entries, n = {n}");
            }
        }
    }

    #[test]
    fn bin_keys_sort_like_a_comparison_sort() {
        let mut x = 5u64;
        let mut scratch = Scratch::default();
        for n in [0usize, 1, 16, 17, 100, 3000] {
            for span in [1u64, 40, 65_536] {
                let mut got: Vec<(u32, u16, Sum)> = (0..n)
                    .map(|_| {
                        x = mix64(x.wrapping_add(1));
                        // Now and then a key far below the others.
                        let k = if x.is_multiple_of(7) {
                            3
                        } else {
                            30_000 + x % span
                        };
                        (2, k as u16, Sum(x % 3))
                    })
                    .collect();
                let mut want = got.clone();
                u16::sort(&mut got, &mut scratch);
                want.sort_by_key(|e| e.1);
                // Stable within equal keys when counting: compare as sets.
                let keys = |v: &[(u32, u16, Sum)]| v.iter().map(|e| e.1).collect::<Vec<_>>();
                assert_eq!(keys(&got), keys(&want), "n = {n}, span = {span}");
                let mut a: Vec<_> = got.iter().map(|e| (e.1, e.2.0)).collect();
                let mut b: Vec<_> = want.iter().map(|e| (e.1, e.2.0)).collect();
                a.sort_unstable();
                b.sort_unstable();
                assert_eq!(a, b, "same entries, n = {n}, span = {span}");
            }
        }
    }

    #[test]
    fn in_place_compaction_matches_a_plain_sort() {
        let mut log: Log<u64, Max> = Log::default();
        let mut plain: Vec<(u32, u64, i64)> = Vec::new();
        let mut x = 7u64;
        for i in 0..20_000u64 {
            x = mix64(x.wrapping_add(i));
            let e = ((x % 97) as u32, (x >> 20) % 300, (x % 1000) as i64);
            plain.push(e);
            if log.push(e.0, e.1, Max(e.2), SLACK) || i % 3001 == 0 {
                log.compact();
            }
        }
        log.compact();
        plain.sort_unstable();
        plain.reverse();
        plain.dedup_by_key(|e| (e.0, e.1));
        plain.reverse();
        let got: Vec<(u32, u64, i64)> = log.entries.iter().map(|e| (e.0, e.1, e.2.0)).collect();
        assert_eq!(got, plain);
        assert_eq!(log.sorted, log.entries.len());
    }
}
