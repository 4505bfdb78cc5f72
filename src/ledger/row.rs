//! One time bucket: every node's counters plus the logs of distinct
//! customers, accounts, resolution bins and channels.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use super::cell::{CHANNEL_SLOTS, Cell, Counters, Facts, MILLI, Stats, Wide};
use super::sketch::{Hll, Log, Max, Sum, check_hll, exact_limit, quantile, run_of, slack};

/// Bins are stored as keys offset so their order is the bins' order.
fn bin_key(bin: i16) -> u16 {
    (i32::from(bin) + 32_768) as u16
}

fn key_bin(key: u16) -> i16 {
    (i32::from(key) - 32_768) as i16
}

/// One bucket of a ledger.
#[derive(Debug, Clone, Default)]
pub(crate) struct Row {
    pub tickets: u64,
    /// Per node; channels with an id below [`CHANNEL_SLOTS`] (a helpdesk
    /// has a handful) are counted in the cell, any further one in the
    /// channel log, so memory stays linear whatever the input.
    cells: Vec<Cell>,
    /// Per node whose cell overflowed: the counts moved out of it. A
    /// node's counts are its cell plus this.
    spill: BTreeMap<u32, Wide>,
    /// Customer hashes per node: 16 bytes an entry.
    customers: Log<u64, ()>,
    /// Account hashes and values: 24 bytes an entry.
    accounts: Log<u64, Max>,
    /// Resolution bins and their tickets: 16 bytes an entry.
    resolution: Log<u16, Sum>,
    /// The all-time row's dense channel counts when derived from the
    /// bucket rows, `node * CHANNEL_SLOTS + channel` (else empty: the
    /// cells and spill hold them).
    channel_counts: Vec<u64>,
    /// Tickets per node and channel for the other channel ids.
    channels: Log<u32, Sum>,
    customer_sketches: BTreeMap<u32, Hll>,
    account_sketches: BTreeMap<u32, Hll>,
}

impl Row {
    pub(crate) fn new(nodes: usize) -> Row {
        Row {
            cells: vec![Cell::default(); nodes],
            ..Row::default()
        }
    }

    /// Tickets of node `i` (0 if out of range).
    #[inline]
    pub(crate) fn tickets_of(&self, i: usize) -> u64 {
        let Some(c) = self.cells.get(i) else { return 0 };
        let spilled = if self.spill.is_empty() {
            0
        } else {
            self.spill
                .get(&(i as u32))
                .map_or(0, |w| w.counters.tickets)
        };
        u64::from(c.tickets) + spilled
    }

    /// Tickets of node `i` per kind.
    pub(crate) fn kinds_of(&self, i: usize) -> [u64; 6] {
        let mut out = [0; 6];
        if let Some(c) = self.cells.get(i) {
            for (a, &b) in out.iter_mut().zip(&c.kinds) {
                *a = u64::from(b);
            }
            if let Some(w) = self.spill.get(&(i as u32)) {
                for (a, b) in out.iter_mut().zip(&w.counters.kinds) {
                    *a += b;
                }
            }
        }
        out
    }

    /// Every count of node `i` (in range) at full width: cell, spill and
    /// derived channel counts.
    pub(crate) fn wide(&self, i: usize) -> Wide {
        let mut w = self.cells[i].widen();
        if let Some(s) = self.spill.get(&(i as u32)) {
            w.merge(s);
        }
        if let Some(counts) = self
            .channel_counts
            .get(i * CHANNEL_SLOTS..(i + 1) * CHANNEL_SLOTS)
        {
            for (a, b) in w.channels.iter_mut().zip(counts) {
                *a += b;
            }
        }
        w
    }

    /// Adds one ticket to node `i`'s cell (and to channel `slot`).
    #[inline]
    fn add_cell(&mut self, i: usize, f: &Facts, slot: Option<usize>) {
        if !self.cells[i].try_add(f, slot) {
            self.add_spilled(i, f, slot);
        }
    }

    /// The slow path of [`add_cell`](Row::add_cell): a ticket whose sums
    /// do not fit a cell goes to the spill; else the full cell moves
    /// there and starts again from zero.
    #[cold]
    #[inline(never)]
    fn add_spilled(&mut self, i: usize, f: &Facts, slot: Option<usize>) {
        if f.narrow {
            self.spill_cell(i);
            if self.cells[i].try_add(f, slot) {
                return;
            }
        }
        self.spill.entry(i as u32).or_default().add(f, slot);
    }

    /// Moves node `i`'s cell into its spill and zeroes it.
    #[cold]
    fn spill_cell(&mut self, i: usize) -> &mut Wide {
        let cell = std::mem::take(&mut self.cells[i]);
        let w = self.spill.entry(i as u32).or_default();
        w.merge(&cell.widen());
        w
    }

    /// Adds cell `o` to node `i`'s.
    #[inline]
    fn merge_cell(&mut self, i: usize, o: &Cell) {
        if !self.cells[i].try_merge(o) {
            self.spill_cell(i).merge(&o.widen());
        }
    }

    /// Adds one ticket's counters to the given nodes, not its distinct
    /// keys, bins or channel (the all-time row derives those from the
    /// buckets). O(nodes).
    #[inline]
    pub(crate) fn add_counters(&mut self, nodes: &[usize], f: &Facts) {
        self.tickets += 1;
        for &i in nodes {
            self.add_cell(i, f, None);
        }
    }

    /// Adds one ticket's counters to one node, not its channel.
    #[inline]
    pub(crate) fn add_counter(&mut self, i: usize, f: &Facts) {
        self.add_cell(i, f, None);
    }

    /// Adds the counters of `other` (a row of the same nodes), channels
    /// slot for slot.
    pub(crate) fn merge_counters(&mut self, other: &Row) {
        self.tickets = self.tickets.wrapping_add(other.tickets);
        for (i, b) in other.cells.iter().enumerate() {
            if b.tickets > 0 {
                self.merge_cell(i, b);
            }
        }
        for (&n, w) in &other.spill {
            self.spill.entry(n).or_default().merge(w);
        }
    }

    /// Adds to the count of `channel` at `node`.
    #[inline]
    fn add_channel(&mut self, node: u32, channel: u32, count: u64) {
        let slot = channel as usize;
        if slot < CHANNEL_SLOTS {
            if !self.cells[node as usize].try_add_channel(slot, count) {
                self.spill.entry(node).or_default().channels[slot] += count;
            }
        } else if self
            .channels
            .push(node, channel, Sum(count), slack(self.cells.len()))
        {
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
        let slot = f.channel.map(|c| c as usize).filter(|&c| c < CHANNEL_SLOTS);
        self.add_cell(i, f, slot);
        let n = i as u32;
        let slack = slack(self.cells.len());
        if let Some(c) = f.customer
            && self.customers.push(n, c, (), slack)
        {
            self.customers.compact();
            if let Some(p) = precision {
                fold(&mut self.customers, &mut self.customer_sketches, p);
            }
        }
        if let Some((a, v)) = f.account
            && self.accounts.push(n, a, Max(v), slack)
        {
            self.accounts.compact();
            if let Some(p) = precision {
                fold(&mut self.accounts, &mut self.account_sketches, p);
            }
        }
        if let Some((_, bin)) = f.resolution
            && self.resolution.push(n, bin_key(bin), Sum(1), slack)
        {
            self.resolution.compact();
        }
        if let Some(ch) = f.channel.filter(|&c| c as usize >= CHANNEL_SLOTS)
            && self.channels.push(n, ch, Sum(1), slack)
        {
            self.channels.compact();
        }
    }

    /// A copy of the counters alone (no channels).
    pub(crate) fn counters_only(&self) -> Row {
        let mut row = Row {
            tickets: self.tickets,
            cells: self.cells.clone(),
            spill: self.spill.clone(),
            ..Row::default()
        };
        row.clear_dense_channels();
        row
    }

    /// Zeroes the dense channel counts.
    fn clear_dense_channels(&mut self) {
        for c in &mut self.cells {
            c.channels = [0; CHANNEL_SLOTS];
        }
        for w in self.spill.values_mut() {
            w.channels = [0; CHANNEL_SLOTS];
        }
        self.channel_counts.clear();
    }

    /// Adds this row's dense channel counts to `out` (`node *
    /// CHANNEL_SLOTS + channel`), sized on first use.
    fn dense_channels_into(&self, out: &mut Vec<u64>) {
        if out.is_empty() {
            *out = vec![0; self.cells.len() * CHANNEL_SLOTS];
        }
        for (o, c) in out.chunks_exact_mut(CHANNEL_SLOTS).zip(&self.cells) {
            if c.tickets > 0 {
                for (a, &b) in o.iter_mut().zip(&c.channels) {
                    *a += u64::from(b);
                }
            }
        }
        for (&n, w) in &self.spill {
            let at = n as usize * CHANNEL_SLOTS;
            for (a, b) in out[at..at + CHANNEL_SLOTS].iter_mut().zip(&w.channels) {
                *a += b;
            }
        }
        if !self.channel_counts.is_empty() {
            for (a, b) in out.iter_mut().zip(&self.channel_counts) {
                *a += b;
            }
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
        self.clear_dense_channels();
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
        other.dense_channels_into(&mut self.channel_counts);
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
        let identity = channel
            .iter()
            .take(CHANNEL_SLOTS)
            .enumerate()
            .all(|(i, &c)| c as usize == i);
        if identity {
            self.merge_counters(other);
        } else {
            // Merge without the dense channels, then route each count.
            self.tickets = self.tickets.wrapping_add(other.tickets);
            for (i, b) in other.cells.iter().enumerate() {
                if b.tickets > 0 {
                    let mut b = *b;
                    let counts = std::mem::take(&mut b.channels);
                    self.merge_cell(i, &b);
                    for (c, &k) in counts.iter().enumerate().filter(|e| *e.1 > 0) {
                        self.add_channel(i as u32, channel[c], u64::from(k));
                    }
                }
            }
            for (&n, w) in &other.spill {
                let mut w = w.clone();
                let counts = std::mem::take(&mut w.channels);
                self.spill.entry(n).or_default().merge(&w);
                for (c, &k) in counts.iter().enumerate().filter(|e| *e.1 > 0) {
                    self.add_channel(n, channel[c], k);
                }
            }
        }
        for (at, &count) in other.channel_counts.iter().enumerate() {
            if count > 0 {
                let node = (at / CHANNEL_SLOTS) as u32;
                self.add_channel(node, channel[at % CHANNEL_SLOTS], count);
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
            if row.tickets_of(node) == 0 {
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
        let mut cells = Vec::new();
        for i in 0..row.cells.len() {
            let w = row.wide(i);
            for (ch, &count) in w.channels.iter().enumerate() {
                if count > 0 {
                    channels.push((i as u32, channel_names[ch].clone(), count));
                }
            }
            if w.counters.tickets > 0 {
                cells.push((i as u32, w.counters));
            }
        }
        channels.sort();
        WireRow {
            bucket: None,
            start: None,
            tickets: row.tickets,
            cells,
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
        for (i, counters) in w.cells {
            let i = check(i)?;
            let wide = Wide {
                counters,
                channels: [0; CHANNEL_SLOTS],
            };
            // A later entry for the same node replaces an earlier one.
            match Cell::narrow(&wide) {
                Some(cell) => {
                    row.cells[i as usize] = cell;
                    row.spill.remove(&i);
                }
                None => {
                    row.cells[i as usize] = Cell::default();
                    row.spill.insert(i, wide);
                }
            }
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
        if node >= row.cells.len() {
            return;
        }
        let wide = row.wide(node);
        self.counters.merge(&wide.counters);
        let n = node as u32;
        self.customers
            .extend(run_of(customers, n).iter().map(|e| e.1));
        self.accounts
            .extend(run_of(accounts, n).iter().map(|e| (e.1, e.2.0)));
        self.bins
            .extend(run_of(resolution, n).iter().map(|e| (key_bin(e.1), e.2.0)));
        self.channels
            .extend(run_of(channels, n).iter().map(|e| (u64::from(e.1), e.2.0)));
        for (ch, &c) in wide.channels.iter().enumerate() {
            if c > 0 {
                self.channels.push((ch as u64, c));
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
