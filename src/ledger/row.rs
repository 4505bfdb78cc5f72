//! One time bucket: every node's counters plus the logs of distinct
//! customers, accounts, resolution bins and channels.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use super::cell::{Counters, Facts, MILLI, Stats};
use super::sketch::{Hll, Log, Max, Sum, check_hll, exact_limit, quantile, run_of};

/// Bins are stored as keys offset so their order is the bins' order.
fn bin_key(bin: i16) -> u16 {
    (i32::from(bin) + 32_768) as u16
}

fn key_bin(key: u16) -> i16 {
    (i32::from(key) - 32_768) as i16
}

/// Channels with an id below this are counted in a dense per-node array
/// (a helpdesk has a handful of channels); any further channel goes to the
/// row's channel log, so memory stays linear whatever the input.
pub(crate) const CHANNEL_SLOTS: usize = 8;

/// One bucket of a ledger.
#[derive(Debug, Clone, Default)]
pub(crate) struct Row {
    pub tickets: u64,
    pub cells: Vec<Counters>,
    /// Customer hashes per node: 16 bytes an entry.
    customers: Log<u64, ()>,
    /// Account hashes and values: 24 bytes an entry.
    accounts: Log<u64, Max>,
    /// Resolution bins and their tickets: 16 bytes an entry.
    resolution: Log<u16, Sum>,
    /// Tickets per node and channel for the first [`CHANNEL_SLOTS`]
    /// channel ids, `node * CHANNEL_SLOTS + channel`; empty until a
    /// ticket with a channel arrives.
    channel_counts: Vec<u64>,
    /// Tickets per node and channel for the other channel ids.
    channels: Log<u32, Sum>,
    customer_sketches: BTreeMap<u32, Hll>,
    account_sketches: BTreeMap<u32, Hll>,
}

impl Row {
    pub(crate) fn new(nodes: usize) -> Row {
        Row {
            cells: vec![Counters::default(); nodes],
            ..Row::default()
        }
    }

    /// Adds one ticket's counters to the given nodes, not its distinct
    /// keys, bins or channel (the all-time row derives those from the
    /// buckets). O(nodes).
    #[inline]
    pub(crate) fn add_counters(&mut self, nodes: &[usize], f: &Facts) {
        self.tickets += 1;
        for &i in nodes {
            self.cells[i].add(f);
        }
    }

    /// Adds to the count of `channel` at `node`.
    #[inline]
    fn add_channel(&mut self, node: u32, channel: u32, count: u64) {
        if (channel as usize) < CHANNEL_SLOTS {
            if self.channel_counts.is_empty() {
                self.channel_counts = vec![0; self.cells.len() * CHANNEL_SLOTS];
            }
            self.channel_counts[node as usize * CHANNEL_SLOTS + channel as usize] += count;
        } else if self.channels.push(node, channel, Sum(count)) {
            self.channels.compact();
        }
    }

    /// Adds one ticket to the given nodes. O(nodes) amortized.
    #[inline]
    pub(crate) fn add(&mut self, nodes: &[usize], f: &Facts, precision: Option<u8>) {
        self.tickets += 1;
        for &i in nodes {
            self.add_node(i, f, precision);
        }
    }

    /// Adds one ticket to one node, not to the row's ticket count.
    #[inline]
    pub(crate) fn add_node(&mut self, i: usize, f: &Facts, precision: Option<u8>) {
        self.cells[i].add(f);
        let n = i as u32;
        if let Some(c) = f.customer
            && self.customers.push(n, c, ())
        {
            self.customers.compact();
            if let Some(p) = precision {
                fold(&mut self.customers, &mut self.customer_sketches, p);
            }
        }
        if let Some((a, v)) = f.account
            && self.accounts.push(n, a, Max(v))
        {
            self.accounts.compact();
            if let Some(p) = precision {
                fold(&mut self.accounts, &mut self.account_sketches, p);
            }
        }
        if let Some((_, bin)) = f.resolution
            && self.resolution.push(n, bin_key(bin), Sum(1))
        {
            self.resolution.compact();
        }
        if let Some(ch) = f.channel {
            self.add_channel(n, ch, 1);
        }
    }

    /// A copy of the counters alone.
    pub(crate) fn counters_only(&self) -> Row {
        Row {
            tickets: self.tickets,
            cells: self.cells.clone(),
            ..Row::default()
        }
    }

    /// Reserves room to absorb the sets of `rows` (one allocation per log
    /// instead of repeated growth).
    pub(crate) fn reserve_sets<'a>(&mut self, rows: impl Iterator<Item = &'a Row> + Clone) {
        let total = |f: fn(&Row) -> usize| rows.clone().map(f).sum::<usize>();
        self.customers
            .entries
            .reserve(total(|r| r.customers.entries.len()));
        self.accounts
            .entries
            .reserve(total(|r| r.accounts.entries.len()));
        self.resolution
            .entries
            .reserve(total(|r| r.resolution.entries.len()));
        self.channels
            .entries
            .reserve(total(|r| r.channels.entries.len()));
    }

    /// Sets this row's distinct keys, bins and channel counts to the
    /// union of `rows`' (same channel ids), which must be compacted; the
    /// counters are left alone. O(entries x log(run) + nodes x rows).
    pub(crate) fn union_sets(&mut self, rows: &[&Row], precision: Option<u8>) {
        let nodes = self.cells.len();
        let logs = |f: fn(&Row) -> &Log<u64, ()>| rows.iter().map(|r| f(r)).collect::<Vec<_>>();
        self.customers = Log::union(&logs(|r| &r.customers), nodes);
        let logs = |f: fn(&Row) -> &Log<u64, Max>| rows.iter().map(|r| f(r)).collect::<Vec<_>>();
        self.accounts = Log::union(&logs(|r| &r.accounts), nodes);
        let logs = |f: fn(&Row) -> &Log<u16, Sum>| rows.iter().map(|r| f(r)).collect::<Vec<_>>();
        self.resolution = Log::union(&logs(|r| &r.resolution), nodes);
        let logs = |f: fn(&Row) -> &Log<u32, Sum>| rows.iter().map(|r| f(r)).collect::<Vec<_>>();
        self.channels = Log::union(&logs(|r| &r.channels), nodes);
        self.channel_counts.clear();
        self.customer_sketches.clear();
        self.account_sketches.clear();
        for row in rows {
            self.absorb_counts(row);
        }
        if let Some(p) = precision {
            fold(&mut self.customers, &mut self.customer_sketches, p);
            fold(&mut self.accounts, &mut self.account_sketches, p);
        }
    }

    /// Adds the distinct keys, bins and channel counts of `other` (same
    /// channel ids), without compacting: call [`Row::compact`] after the
    /// last one. O(size of other).
    pub(crate) fn absorb_sets(&mut self, other: &Row) {
        self.customers
            .entries
            .extend_from_slice(&other.customers.entries);
        self.accounts
            .entries
            .extend_from_slice(&other.accounts.entries);
        self.resolution
            .entries
            .extend_from_slice(&other.resolution.entries);
        self.channels
            .entries
            .extend_from_slice(&other.channels.entries);
        self.absorb_counts(other);
    }

    /// Adds the dense channel counts and sketches of `other`.
    fn absorb_counts(&mut self, other: &Row) {
        if !other.channel_counts.is_empty() {
            if self.channel_counts.is_empty() {
                self.channel_counts = other.channel_counts.clone();
            } else {
                for (a, b) in self.channel_counts.iter_mut().zip(&other.channel_counts) {
                    *a += b;
                }
            }
        }
        self.merge_sketches(other);
    }

    /// Merges `other`'s distinct-count sketches into ours, node by node.
    fn merge_sketches(&mut self, other: &Row) {
        for (sketches, theirs) in [
            (&mut self.customer_sketches, &other.customer_sketches),
            (&mut self.account_sketches, &other.account_sketches),
        ] {
            for (&n, h) in theirs {
                match sketches.get_mut(&n) {
                    Some(mine) => mine.merge(h),
                    None => {
                        sketches.insert(n, h.clone());
                    }
                }
            }
        }
    }

    /// Adds every count of `other`; `channel` maps its channel ids to ours.
    pub(crate) fn merge(&mut self, other: &Row, channel: &[u32], precision: Option<u8>) {
        self.tickets += other.tickets;
        for (a, b) in self.cells.iter_mut().zip(&other.cells) {
            if b.tickets > 0 {
                a.merge(b);
            }
        }
        let customers_due = self.customers.append(&other.customers, |k| k);
        let accounts_due = self.accounts.append(&other.accounts, |k| k);
        if self.resolution.append(&other.resolution, |k| k) {
            self.resolution.compact();
        }
        // Mapped ids may cross the dense bound either way: route each.
        for &(n, k, c) in &other.channels.entries {
            self.add_channel(n, channel[k as usize], c.0);
        }
        if !other.channel_counts.is_empty() {
            let identity = channel
                .iter()
                .take(CHANNEL_SLOTS)
                .enumerate()
                .all(|(i, &c)| c as usize == i);
            if identity && !self.channel_counts.is_empty() {
                for (a, b) in self.channel_counts.iter_mut().zip(&other.channel_counts) {
                    *a += b;
                }
            } else {
                for (at, &count) in other.channel_counts.iter().enumerate() {
                    if count > 0 {
                        let node = (at / CHANNEL_SLOTS) as u32;
                        self.add_channel(node, channel[at % CHANNEL_SLOTS], count);
                    }
                }
            }
        }
        self.merge_sketches(other);
        if customers_due || !other.customer_sketches.is_empty() {
            self.customers.compact();
            if let Some(p) = precision {
                fold(&mut self.customers, &mut self.customer_sketches, p);
            }
        }
        if accounts_due || !other.account_sketches.is_empty() {
            self.accounts.compact();
            if let Some(p) = precision {
                fold(&mut self.accounts, &mut self.account_sketches, p);
            }
        }
    }

    /// Compacts every log; with a precision, folds nodes past the exact
    /// bound (or already sketched) into HyperLogLogs.
    pub(crate) fn compact(&mut self, precision: Option<u8>) {
        self.customers.compact();
        self.accounts.compact();
        self.resolution.compact();
        self.channels.compact();
        if let Some(p) = precision {
            fold(&mut self.customers, &mut self.customer_sketches, p);
            fold(&mut self.accounts, &mut self.account_sketches, p);
        }
    }

    /// Stats of many nodes at once: each log is compacted once. Cost
    /// O(tail log tail + entries + nodes x log entries).
    pub(crate) fn stats_of(
        &self,
        nodes: impl Iterator<Item = usize>,
        precision: Option<u8>,
        channel_names: &[String],
    ) -> Vec<Stats> {
        let customers = self.customers.compacted();
        let accounts = self.accounts.compacted();
        let resolution = self.resolution.compacted();
        let channels = self.channels.compacted();
        nodes
            .map(|i| {
                let mut g = Gather::default();
                g.add(self, i, &customers, &accounts, &resolution, &channels);
                g.finish(precision, channel_names)
            })
            .collect()
    }

    /// Stats of one node over several rows (distinct counts over all).
    pub(crate) fn stats_over<'a>(
        rows: impl Iterator<Item = &'a Row>,
        node: usize,
        precision: Option<u8>,
        channel_names: &[String],
    ) -> Stats {
        let mut g = Gather::default();
        for row in rows {
            if row.cells.get(node).is_none_or(|c| c.tickets == 0) {
                continue;
            }
            g.add(
                row,
                node,
                &row.customers.compacted(),
                &row.accounts.compacted(),
                &row.resolution.compacted(),
                &row.channels.compacted(),
            );
        }
        g.finish(precision, channel_names)
    }

    pub(crate) fn to_wire(&self, precision: Option<u8>, channel_names: &[String]) -> WireRow {
        let mut row = self.clone();
        row.compact(precision);
        let mut channels: Vec<(u32, String, u64)> = row
            .channels
            .entries
            .iter()
            .map(|&(n, k, c)| (n, channel_names[k as usize].clone(), c.0))
            .collect();
        for (at, &count) in row.channel_counts.iter().enumerate() {
            if count > 0 {
                let name = channel_names[at % CHANNEL_SLOTS].clone();
                channels.push(((at / CHANNEL_SLOTS) as u32, name, count));
            }
        }
        channels.sort();
        WireRow {
            bucket: None,
            start: None,
            tickets: row.tickets,
            cells: row
                .cells
                .iter()
                .enumerate()
                .filter(|(_, c)| c.tickets > 0)
                .map(|(i, c)| (i as u32, c.clone()))
                .collect(),
            customers: row.customers.entries.iter().map(|e| (e.0, e.1)).collect(),
            accounts: row
                .accounts
                .entries
                .iter()
                .map(|e| (e.0, e.1, e.2.0))
                .collect(),
            resolution: row
                .resolution
                .entries
                .iter()
                .map(|e| (e.0, key_bin(e.1), e.2.0))
                .collect(),
            channels,
            customer_sketches: row.customer_sketches.into_iter().collect(),
            account_sketches: row.account_sketches.into_iter().collect(),
        }
    }

    pub(crate) fn from_wire(
        w: WireRow,
        nodes: usize,
        precision: Option<u8>,
        intern: &mut dyn FnMut(&str) -> u32,
    ) -> Result<Row, String> {
        let mut row = Row::new(nodes);
        row.tickets = w.tickets;
        let check = |n: u32| -> Result<u32, String> {
            if (n as usize) < nodes {
                Ok(n)
            } else {
                Err(format!("node {n} out of range (ledger has {nodes} nodes)"))
            }
        };
        for (i, c) in w.cells {
            row.cells[check(i)? as usize] = c;
        }
        for (n, k) in w.customers {
            row.customers.entries.push((check(n)?, k, ()));
        }
        for (n, k, v) in w.accounts {
            row.accounts.entries.push((check(n)?, k, Max(v)));
        }
        for (n, b, c) in w.resolution {
            row.resolution.entries.push((check(n)?, bin_key(b), Sum(c)));
        }
        for (n, name, c) in w.channels {
            let id = intern(&name);
            let n = check(n)?;
            if (id as usize) < CHANNEL_SLOTS {
                row.add_channel(n, id, c);
            } else {
                row.channels.entries.push((n, id, Sum(c)));
            }
        }
        for (n, h) in w.customer_sketches {
            row.customer_sketches.insert(check(n)?, h);
        }
        for (n, h) in w.account_sketches {
            row.account_sketches.insert(check(n)?, h);
        }
        row.compact(precision);
        Ok(row)
    }
}

fn fold<V: super::sketch::Combine>(
    log: &mut Log<u64, V>,
    sketches: &mut BTreeMap<u32, Hll>,
    p: u8,
) {
    let limit = exact_limit(p);
    let mut start = 0;
    let entries = &log.entries;
    let mut folded = false;
    while start < entries.len() {
        let node = entries[start].0;
        let end = start + entries[start..].partition_point(|e| e.0 == node);
        if end - start > limit || sketches.contains_key(&node) {
            let hll = sketches.entry(node).or_insert_with(|| Hll::new(p));
            for e in &entries[start..end] {
                hll.insert(e.1);
            }
            folded = true;
        }
        start = end;
    }
    if folded {
        log.retain(|n| !sketches.contains_key(&n));
    }
}

/// Collects one node's entries from rows, then turns them into stats.
#[derive(Default)]
struct Gather {
    counters: Counters,
    customers: Vec<u64>,
    accounts: Vec<(u64, i64)>,
    bins: Vec<(i16, u64)>,
    channels: Vec<(u64, u64)>,
    customer_sketch: Option<Hll>,
    account_sketch: Option<Hll>,
}

impl Gather {
    fn add(
        &mut self,
        row: &Row,
        node: usize,
        customers: &[(u32, u64, ())],
        accounts: &[(u32, u64, Max)],
        resolution: &[(u32, u16, Sum)],
        channels: &[(u32, u32, Sum)],
    ) {
        let Some(c) = row.cells.get(node) else { return };
        self.counters.merge(c);
        let n = node as u32;
        self.customers
            .extend(run_of(customers, n).iter().map(|e| e.1));
        self.accounts
            .extend(run_of(accounts, n).iter().map(|e| (e.1, e.2.0)));
        self.bins
            .extend(run_of(resolution, n).iter().map(|e| (key_bin(e.1), e.2.0)));
        self.channels
            .extend(run_of(channels, n).iter().map(|e| (u64::from(e.1), e.2.0)));
        if let Some(counts) = row
            .channel_counts
            .get(node * CHANNEL_SLOTS..(node + 1) * CHANNEL_SLOTS)
        {
            for (ch, &c) in counts.iter().enumerate() {
                if c > 0 {
                    self.channels.push((ch as u64, c));
                }
            }
        }
        for (mine, theirs) in [
            (&mut self.customer_sketch, row.customer_sketches.get(&n)),
            (&mut self.account_sketch, row.account_sketches.get(&n)),
        ] {
            if let Some(h) = theirs {
                match mine {
                    Some(m) => m.merge(h),
                    None => *mine = Some(h.clone()),
                }
            }
        }
    }

    fn finish(mut self, precision: Option<u8>, channel_names: &[String]) -> Stats {
        let mut stats = self.counters.stats();
        self.customers.sort_unstable();
        self.customers.dedup();
        self.accounts.sort_unstable();
        // Sorted by (key, value): the last of each key holds its largest value.
        self.accounts.reverse();
        self.accounts.dedup_by_key(|a| a.0);
        let sketched = |keys: usize, sketch: &Option<Hll>| {
            precision.filter(|&p| sketch.is_some() || keys > exact_limit(p))
        };
        stats.customers = match sketched(self.customers.len(), &self.customer_sketch) {
            Some(p) => {
                stats.exact = false;
                let mut h = self.customer_sketch.take().unwrap_or_else(|| Hll::new(p));
                self.customers.iter().for_each(|&k| h.insert(k));
                h.estimate()
            }
            None => self.customers.len() as f64,
        };
        let value_exact = self
            .accounts
            .iter()
            .fold(0i64, |a, v| a.saturating_add(v.1)) as f64
            / MILLI;
        (stats.accounts, stats.value) = match sketched(self.accounts.len(), &self.account_sketch) {
            Some(p) => {
                stats.exact = false;
                let mut h = self.account_sketch.take().unwrap_or_else(|| Hll::new(p));
                self.accounts.iter().for_each(|&(k, _)| h.insert(k));
                let n = h.estimate();
                let mean = if self.counters.value_n > 0 {
                    self.counters.value_sum as f64 / MILLI / self.counters.value_n as f64
                } else {
                    0.0
                };
                (n, n * mean)
            }
            None => (self.accounts.len() as f64, value_exact),
        };
        self.bins.sort_unstable();
        let mut bins: Vec<(i16, u64)> = Vec::with_capacity(self.bins.len());
        for (b, c) in self.bins {
            match bins.last_mut() {
                Some(last) if last.0 == b => last.1 += c,
                _ => bins.push((b, c)),
            }
        }
        stats.resolution_median = quantile(&bins, 0.5);
        stats.resolution_p90 = quantile(&bins, 0.9);
        for (ch, c) in self.channels {
            if let Some(name) = channel_names.get(ch as usize) {
                *stats.channels.entry(name.clone()).or_insert(0) += c;
            }
        }
        stats
    }
}

/// The serialized shape of a row: sorted, compacted, channels by name.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub(crate) struct WireRow {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub bucket: Option<i64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub start: Option<crate::time::Timestamp>,
    pub tickets: u64,
    pub cells: Vec<(u32, Counters)>,
    #[serde(default)]
    customers: Vec<(u32, u64)>,
    #[serde(default)]
    accounts: Vec<(u32, u64, i64)>,
    #[serde(default)]
    resolution: Vec<(u32, i16, u64)>,
    #[serde(default)]
    channels: Vec<(u32, String, u64)>,
    #[serde(default, deserialize_with = "sketches")]
    customer_sketches: Vec<(u32, Hll)>,
    #[serde(default, deserialize_with = "sketches")]
    account_sketches: Vec<(u32, Hll)>,
}

fn sketches<'de, D: serde::Deserializer<'de>>(d: D) -> Result<Vec<(u32, Hll)>, D::Error> {
    Vec::<(u32, Hll)>::deserialize(d)?
        .into_iter()
        .map(|(n, h)| Ok((n, check_hll(h)?)))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bin_keys_keep_the_bins_order_and_round_trip() {
        let mut last = None;
        for bin in i16::MIN..=i16::MAX {
            let key = bin_key(bin);
            assert_eq!(key_bin(key), bin);
            assert!(last.is_none_or(|l| l < key), "bin {bin}");
            last = Some(key);
        }
    }
}
