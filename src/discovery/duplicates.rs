//! Near-duplicate tickets: MinHash signatures, LSH banding, exact checks.
//!
//! # Algorithm
//!
//! 1. Each ticket (in canonical order) is split into its own words and its
//!    quoted part: lines starting with `>`, and everything after a line such
//!    as `On Mon, 3 Mar 2025, Ann wrote:` or `-----Original Message-----`.
//!    The own words' email boilerplate (greeting, sign-off, signature,
//!    disclaimer) is left out: two mails sharing a signature are not alike.
//! 2. Each part becomes a set of shingles: pairs of consecutive word stems
//!    (stop words included, so "not" counts), hashed to 64 bits.
//! 3. A MinHash signature of 32 values (fixed seeds, so runs are
//!    reproducible) is cut into 16 bands of 2; parts sharing a band land in
//!    one bucket. Within a bucket each part is compared with the 8 parts
//!    before it, so a storm of a thousand copies costs a thousand checks, not
//!    half a million, and still chains into one cluster.
//! 4. Candidates are verified exactly: two tickets are duplicates when the
//!    Jaccard similarity of their own shingles reaches
//!    [`DuplicateConfig::threshold`] (or [`DuplicateConfig::same_customer`]
//!    when one customer wrote both), or when one quotes the other: at least
//!    `threshold` of the quoted ticket's shingles appear in the quote.
//! 5. Union-find turns links into clusters.
//!
//! # Cost
//!
//! `O(n L)` to shingle and sign `n` tickets of `L` words, `O(n b w)` candidate
//! checks (`b` = 16 bands, `w` = 8), each `O(L)`. Memory is linear.

use serde::{Deserialize, Serialize};

use super::{FxHasher, FxMap, Prep, canonical, count_customers};
use crate::analysis::{Language, blank_boilerplate};
use crate::error::Result;
use crate::product::{Product, check_unit};
use crate::ticket::Ticket;

use std::hash::Hasher;

const HASHES: usize = 32;
const ROWS: usize = 2;
const WINDOW: usize = 8;

/// Settings of a [`DuplicateFinder`], with safe defaults.
///
/// ```
/// use painpoint::discovery::DuplicateConfig;
/// let config = DuplicateConfig::default().threshold(0.8);
/// assert_eq!(config.threshold, 0.8);
/// ```
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct DuplicateConfig {
    /// The least Jaccard similarity of two tickets' shingles (default 0.6).
    pub threshold: f64,
    /// The least similarity when one customer wrote both (default 0.4).
    pub same_customer: f64,
    /// Words read per ticket (default 1,024).
    pub max_tokens: usize,
}

impl Default for DuplicateConfig {
    fn default() -> DuplicateConfig {
        DuplicateConfig {
            threshold: 0.6,
            same_customer: 0.4,
            max_tokens: 1024,
        }
    }
}

impl DuplicateConfig {
    /// Sets the least similarity of two duplicates, in `[0, 1]`
    /// ([`DuplicateFinder::with_config`] fails otherwise). Lower finds
    /// looser paraphrases.
    ///
    /// ```
    /// # use painpoint::discovery::{DuplicateConfig, DuplicateFinder};
    /// # use painpoint::{Product, Ticket};
    /// # let product = Product::new("bank", "Bank");
    /// let tickets = [
    ///     Ticket::new("1", "My card payment was declined at the supermarket today").customer("ann"),
    ///     Ticket::new("2", "Card payment declined at the supermarket again today").customer("bob"),
    ///     Ticket::new("3", "Card payment declined at the supermarket again today").customer("cy"),
    ///     Ticket::new("4", "My card payment got declined at the supermarket today, why?").customer("dan"),
    ///     Ticket::new("5", "How do I change my PIN?"),
    /// ];
    /// let strict = DuplicateFinder::new(&product).find(&tickets); // 0.6
    /// assert_eq!(strict.clusters[0].ticket_ids, ["2", "3"]);
    /// let loose = DuplicateFinder::with_config(&product, DuplicateConfig::default().threshold(0.3)).unwrap();
    /// assert_eq!(loose.find(&tickets).clusters[0].ticket_ids, ["1", "2", "3", "4"]);
    /// ```
    pub fn threshold(mut self, threshold: f64) -> DuplicateConfig {
        self.threshold = threshold;
        self
    }

    /// Sets the least similarity of two tickets of one customer, in
    /// `[0, 1]`: one customer writing again about the same thing rarely
    /// uses the same words twice.
    ///
    /// ```
    /// # use painpoint::discovery::{DuplicateConfig, DuplicateFinder};
    /// # use painpoint::{Product, Ticket};
    /// # let product = Product::new("app", "App");
    /// let a = Ticket::new("1", "The export to CSV fails with a timeout error").customer("ann");
    /// let b = Ticket::new("2", "The export to CSV fails with an error").customer("ann"); // Jaccard 0.5
    /// let c = Ticket::new("3", "The export to CSV fails with an error").customer("bob");
    /// let finder = DuplicateFinder::new(&product); // 0.6, or 0.4 for one customer
    /// assert_eq!(finder.find([&a, &b]).clusters.len(), 1);
    /// assert_eq!(finder.find([&a, &c]).clusters.len(), 0);
    /// let strict = DuplicateConfig::default().same_customer(0.6);
    /// let finder = DuplicateFinder::with_config(&product, strict).unwrap();
    /// assert_eq!(finder.find([&a, &b]).clusters.len(), 0);
    /// ```
    pub fn same_customer(mut self, threshold: f64) -> DuplicateConfig {
        self.same_customer = threshold;
        self
    }
}

/// A group of tickets about one issue.
///
/// ```
/// # use painpoint::discovery::{DuplicateConfig, DuplicateFinder};
/// # use painpoint::{Product, Ticket};
/// # let product = Product::new("bank", "Bank");
/// let tickets = [
///     Ticket::new("1", "My card payment was declined at the supermarket today").customer("ann"),
///     Ticket::new("2", "Card payment declined at the supermarket again today").customer("bob"),
///     Ticket::new("3", "Card payment declined at the supermarket again today").customer("cy"),
///     Ticket::new("4", "My card payment got declined at the supermarket today, why?").customer("dan"),
///     Ticket::new("5", "How do I change my PIN?"),
/// ];
/// let finder = DuplicateFinder::with_config(&product, DuplicateConfig::default().threshold(0.3)).unwrap();
/// let cluster = &finder.find(&tickets).clusters[0];
/// assert_eq!(cluster.ticket_ids, ["1", "2", "3", "4"]);
/// assert_eq!(cluster.customers, 4);
/// assert!((0.3..=1.0).contains(&cluster.similarity));
/// assert!(!cluster.quoted);
/// ```
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct DuplicateCluster {
    /// The tickets, in canonical (id) order; the first stands for the group.
    pub ticket_ids: Vec<String>,
    /// The distinct customers (a ticket without a customer counts as one).
    pub customers: usize,
    /// The lowest similarity of the links that hold the group together.
    pub similarity: f64,
    /// Whether a link is a quoted reply.
    pub quoted: bool,
}

/// What a [`DuplicateFinder`] found.
///
/// ```
/// # use painpoint::discovery::{DuplicateConfig, DuplicateFinder};
/// # use painpoint::{Product, Ticket};
/// # let product = Product::new("bank", "Bank");
/// let tickets = [
///     Ticket::new("1", "My card payment was declined at the supermarket today").customer("ann"),
///     Ticket::new("2", "Card payment declined at the supermarket again today").customer("bob"),
///     Ticket::new("3", "Card payment declined at the supermarket again today").customer("cy"),
///     Ticket::new("4", "My card payment got declined at the supermarket today, why?").customer("dan"),
///     Ticket::new("5", "How do I change my PIN?"),
/// ];
/// let report = DuplicateFinder::new(&product).find(&tickets);
/// assert_eq!(report.tickets, 5);
/// assert_eq!(report.clusters.len(), 1); // "2" and "3"
/// assert_eq!(report.unique_issues, 4); // the cluster, "1", "4" and "5"
/// ```
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct DuplicateReport {
    /// The tickets read.
    pub tickets: usize,
    /// Distinct issues: clusters plus tickets in none.
    pub unique_issues: usize,
    /// The clusters of two or more tickets, largest first (ties by first id).
    pub clusters: Vec<DuplicateCluster>,
}

/// Finds near-duplicate tickets.
///
/// # Example
///
/// ```
/// use painpoint::discovery::DuplicateFinder;
/// use painpoint::{Product, Ticket};
///
/// let tickets = [
///     Ticket::new("1", "My card payment was declined at the supermarket today").customer("ann"),
///     Ticket::new("2", "My card payment was declined at the supermarket today!!").customer("ann"),
///     Ticket::new("3", "Thanks, that fixed it.\n\n> My card payment was declined at the supermarket today"),
///     Ticket::new("4", "How do I change my PIN?"),
/// ];
/// let report = DuplicateFinder::new(&Product::new("p", "P")).find(&tickets);
/// assert_eq!(report.clusters.len(), 1);
/// assert_eq!(report.clusters[0].ticket_ids, ["1", "2", "3"]);
/// assert!(report.clusters[0].quoted);
/// assert_eq!(report.unique_issues, 2);
/// ```
#[derive(Debug, Clone)]
pub struct DuplicateFinder {
    language: Language,
    config: DuplicateConfig,
}

struct Part {
    ticket: u32,
    quoted: bool,
    shingles: Vec<u64>,
}

impl DuplicateFinder {
    /// A finder for the product's language (its stemmer makes "payments"
    /// and "payment" one word) with the default configuration.
    ///
    /// ```
    /// use painpoint::discovery::DuplicateFinder;
    /// use painpoint::{Product, Ticket};
    /// let tickets = [
    ///     Ticket::new("1", "Card payments declined at checkout"),
    ///     Ticket::new("2", "card payment declined at checkout"),
    /// ];
    /// let report = DuplicateFinder::new(&Product::new("bank", "Bank")).find(&tickets);
    /// assert_eq!(report.clusters[0].ticket_ids, ["1", "2"]);
    /// assert_eq!(report.clusters[0].similarity, 1.0);
    /// ```
    pub fn new(product: &Product) -> DuplicateFinder {
        DuplicateFinder {
            language: product.language,
            config: DuplicateConfig::default(),
        }
    }

    /// A finder with a configuration.
    ///
    /// # Errors
    ///
    /// [`Error::BadNumber`](crate::Error::BadNumber) naming
    /// `discovery.duplicates.threshold` or `.same_customer` when outside
    /// `[0, 1]`.
    ///
    /// ```
    /// use painpoint::discovery::{DuplicateConfig, DuplicateFinder};
    /// use painpoint::Product;
    /// let product = Product::new("bank", "Bank");
    /// assert!(DuplicateFinder::with_config(&product, DuplicateConfig::default().threshold(0.8)).is_ok());
    /// let err = DuplicateFinder::with_config(&product, DuplicateConfig::default().same_customer(1.5)).unwrap_err();
    /// assert!(err.to_string().starts_with("discovery.duplicates.same_customer"));
    /// ```
    pub fn with_config(product: &Product, config: DuplicateConfig) -> Result<DuplicateFinder> {
        check_unit(config.threshold, "discovery.duplicates.threshold")?;
        check_unit(config.same_customer, "discovery.duplicates.same_customer")?;
        Ok(DuplicateFinder {
            config,
            ..DuplicateFinder::new(product)
        })
    }

    /// Finds the clusters of near-duplicates among `tickets`, in any order:
    /// the report is the same for every order. Cost near linear (see the
    /// module documentation); never compares all pairs.
    ///
    /// ```
    /// # use painpoint::discovery::{DuplicateConfig, DuplicateFinder};
    /// # use painpoint::{Product, Ticket};
    /// # let product = Product::new("bank", "Bank");
    /// let tickets = [
    ///     Ticket::new("1", "My card payment was declined at the supermarket today").customer("ann"),
    ///     Ticket::new("2", "Card payment declined at the supermarket again today").customer("bob"),
    ///     Ticket::new("3", "Card payment declined at the supermarket again today").customer("cy"),
    ///     Ticket::new("4", "My card payment got declined at the supermarket today, why?").customer("dan"),
    ///     Ticket::new("5", "How do I change my PIN?"),
    /// ];
    /// let finder = DuplicateFinder::new(&product);
    /// let report = finder.find(&tickets);
    /// assert_eq!(report, finder.find(tickets.iter().rev()));
    /// assert_eq!(report.clusters[0].ticket_ids, ["2", "3"]);
    /// assert_eq!(report.clusters[0].similarity, 1.0);
    /// ```
    pub fn find<'a>(&self, tickets: impl IntoIterator<Item = &'a Ticket>) -> DuplicateReport {
        let mut tickets: Vec<&Ticket> = tickets.into_iter().collect();
        tickets.sort_by(|a, b| canonical(a, b));
        let mut prep = Prep::new(self.language);
        let mut parts: Vec<Part> = Vec::new();
        let mut words = Vec::new();
        for (i, ticket) in tickets.iter().enumerate() {
            let (own, quoted) = split_quotes(&ticket.text);
            let mut own_text = ticket.subject.clone().unwrap_or_default();
            own_text.push('\n');
            // A signature or disclaimer both tickets carry is no sign that
            // they say the same thing.
            own_text.push_str(&blank_boilerplate(&own));
            for (text, is_quote) in [(own_text.as_str(), false), (quoted.as_str(), true)] {
                words.clear();
                prep.push_words(text, self.config.max_tokens, &mut words);
                if words.is_empty() && is_quote {
                    continue;
                }
                let stems: Vec<u32> = words.iter().map(|&w| prep.word(w).stem).collect();
                parts.push(Part {
                    ticket: i as u32,
                    quoted: is_quote,
                    shingles: shingles(&stems),
                });
            }
        }

        let mut buckets: FxMap<u64, Vec<u32>> = FxMap::default();
        for (p, part) in parts.iter().enumerate() {
            if part.shingles.is_empty() {
                continue;
            }
            let signature = minhash(&part.shingles);
            for (band, rows) in signature.chunks(ROWS).enumerate() {
                let mut h = FxHasher::default();
                h.write_usize(band);
                for &r in rows {
                    h.write_u64(r);
                }
                buckets.entry(h.finish()).or_default().push(p as u32);
            }
        }
        // Bucket order does not matter: members are in canonical order, and
        // what links yield (components, least similarity, any quote) is
        // the same in any order.

        let n = tickets.len();
        let mut parent: Vec<u32> = (0..n as u32).collect();
        let mut checked: FxMap<(u32, u32), ()> = FxMap::default();
        let mut links: Vec<(u32, u32, f64, bool)> = Vec::new();
        for members in buckets.values().filter(|m| m.len() > 1) {
            for (k, &b) in members.iter().enumerate() {
                for &a in &members[k.saturating_sub(WINDOW)..k] {
                    let (pa, pb) = (&parts[a as usize], &parts[b as usize]);
                    if pa.ticket == pb.ticket || (pa.quoted && pb.quoted) {
                        continue;
                    }
                    if checked.insert((a, b), ()).is_some() {
                        continue;
                    }
                    if let Some((similarity, quoted)) = self.verify(&tickets, pa, pb) {
                        links.push((pa.ticket, pb.ticket, similarity, quoted));
                        union(&mut parent, pa.ticket, pb.ticket);
                    }
                }
            }
        }

        let mut groups: FxMap<u32, Vec<u32>> = FxMap::default();
        for t in 0..n as u32 {
            let r = find(&mut parent, t);
            groups.entry(r).or_default().push(t);
        }
        let mut stats: FxMap<u32, (f64, bool)> = FxMap::default();
        for &(a, _, similarity, quoted) in &links {
            let r = find(&mut parent, a);
            let entry = stats.entry(r).or_insert((1.0, false));
            entry.0 = entry.0.min(similarity);
            entry.1 |= quoted;
        }
        let mut clusters: Vec<DuplicateCluster> = groups
            .iter()
            .filter(|(_, members)| members.len() > 1)
            .map(|(root, members)| {
                let (similarity, quoted) = stats.get(root).copied().unwrap_or((1.0, false));
                DuplicateCluster {
                    ticket_ids: members
                        .iter()
                        .map(|&t| tickets[t as usize].id.clone())
                        .collect(),
                    customers: count_customers(members.iter().map(|&t| tickets[t as usize])),
                    similarity: (similarity * 1000.0).round() / 1000.0,
                    quoted,
                }
            })
            .collect();
        clusters.sort_by(|a, b| {
            b.ticket_ids
                .len()
                .cmp(&a.ticket_ids.len())
                .then_with(|| a.ticket_ids.cmp(&b.ticket_ids))
        });
        DuplicateReport {
            tickets: n,
            unique_issues: groups.len(),
            clusters,
        }
    }

    /// The similarity of a candidate pair, if it is a duplicate link.
    fn verify(&self, tickets: &[&Ticket], a: &Part, b: &Part) -> Option<(f64, bool)> {
        if a.quoted || b.quoted {
            let (own, quote) = if a.quoted { (b, a) } else { (a, b) };
            let share = intersection(&own.shingles, &quote.shingles) as f64
                / own.shingles.len().max(1) as f64;
            return (share >= self.config.threshold).then_some((share, true));
        }
        let common = intersection(&a.shingles, &b.shingles);
        let jaccard = common as f64 / (a.shingles.len() + b.shingles.len() - common).max(1) as f64;
        let same_customer = matches!(
            (&tickets[a.ticket as usize].customer, &tickets[b.ticket as usize].customer),
            (Some(x), Some(y)) if x == y
        );
        let threshold = if same_customer {
            self.config.same_customer
        } else {
            self.config.threshold
        };
        (jaccard >= threshold).then_some((jaccard, false))
    }
}

/// Splits a ticket body into its own text and its quoted part.
fn split_quotes(text: &str) -> (String, String) {
    let mut own = String::new();
    let mut quoted = String::new();
    let mut in_quote = false;
    for line in text.lines() {
        let trimmed = line.trim();
        if !in_quote
            && ((trimmed.starts_with("On ") && trimmed.ends_with("wrote:"))
                || trimmed.starts_with("-----Original Message-----"))
        {
            in_quote = true;
            continue;
        }
        if in_quote || trimmed.starts_with('>') {
            quoted.push_str(trimmed.trim_start_matches(['>', ' ']));
            quoted.push('\n');
        } else {
            own.push_str(line);
            own.push('\n');
        }
    }
    (own, quoted)
}

/// Sorted, distinct hashes of consecutive stem pairs (a lone stem alone).
fn shingles(stems: &[u32]) -> Vec<u64> {
    let mut out: Vec<u64> = if stems.len() == 1 {
        vec![mix(u64::from(stems[0]))]
    } else {
        stems
            .windows(2)
            .map(|w| mix((u64::from(w[0]) << 32) | u64::from(w[1])))
            .collect()
    };
    out.sort_unstable();
    out.dedup();
    out
}

/// SplitMix64's finaliser: a fixed, well-mixed permutation of `u64`.
fn mix(mut x: u64) -> u64 {
    x = x.wrapping_add(0x9e37_79b9_7f4a_7c15);
    x = (x ^ (x >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
    x = (x ^ (x >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
    x ^ (x >> 31)
}

fn minhash(shingles: &[u64]) -> [u64; HASHES] {
    let mut signature = [u64::MAX; HASHES];
    for &s in shingles {
        for (j, slot) in signature.iter_mut().enumerate() {
            // Fixed seeds: the j-th permutation is mix(s ^ seed_j).
            let h = mix(s ^ (j as u64).wrapping_mul(0xd6e8_feb8_6659_fd93));
            if h < *slot {
                *slot = h;
            }
        }
    }
    signature
}

fn intersection(a: &[u64], b: &[u64]) -> usize {
    let (mut i, mut j, mut n) = (0, 0, 0);
    while i < a.len() && j < b.len() {
        match a[i].cmp(&b[j]) {
            std::cmp::Ordering::Less => i += 1,
            std::cmp::Ordering::Greater => j += 1,
            std::cmp::Ordering::Equal => {
                n += 1;
                i += 1;
                j += 1;
            }
        }
    }
    n
}

fn find(parent: &mut [u32], mut x: u32) -> u32 {
    while parent[x as usize] != x {
        parent[x as usize] = parent[parent[x as usize] as usize];
        x = parent[x as usize];
    }
    x
}

fn union(parent: &mut [u32], a: u32, b: u32) {
    let (ra, rb) = (find(parent, a), find(parent, b));
    if ra != rb {
        parent[ra.max(rb) as usize] = ra.min(rb);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn quotes_are_split() {
        let (own, quoted) = split_quotes("Still broken.\nOn Mon, Ann wrote:\nIt crashes\n");
        assert_eq!(own.trim(), "Still broken.");
        assert_eq!(quoted.trim(), "It crashes");
        let (own, quoted) = split_quotes("> old text\nnew text");
        assert_eq!(own.trim(), "new text");
        assert_eq!(quoted.trim(), "old text");
    }
}
