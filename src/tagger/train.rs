//! Compile-time learning: a softmax regression over each node's texts.
//!
//! Each text of a node (name, keywords, examples, description) is a training
//! example labelled with its node. The model has one weight per (term, node)
//! pair *where the node's own texts contain the term* (its support), so every
//! weight traces back to words the product wrote down, and tagging touches
//! only the postings of the ticket's terms. Plain SGD with a decaying rate
//! and weight averaging over the second half of the epochs; shuffling uses a
//! fixed seed, so compiling is deterministic.
//!
//! Weights start at each node's centroid (a prior that fades as the node's
//! texts grow in number), so that zero-shot products (names only) and
//! products too large for many epochs still get a sound model.
//!
//! Cost: at most [`MAX_EPOCHS`] passes over the texts, each proportional to
//! the postings the texts touch, and never more than a fixed budget of
//! weight updates (a product whose epoch costs more gets part of one): so
//! compiling is linear in the product's size and bounded. Each term keeps at
//! most `max_postings_per_term` nodes (those whose texts use it most), which
//! bounds both training and tagging whatever the product's size.

use super::index::NodeId;
use super::vocab::TermId;

/// The logit of "none of these nodes", in training and tagging alike.
pub(crate) const NONE_LOGIT: f32 = 0.0;

/// Most passes over the training texts.
pub(crate) const MAX_EPOCHS: usize = 20;
/// Weight updates allowed for all epochs together (about half a second on one
/// core); a product whose epoch costs more gets part of an epoch.
const UPDATE_BUDGET: usize = 60_000_000;

/// Gradients smaller than this are not applied (they would not move a
/// weight measurably in the epochs there are).
const MIN_GRADIENT: f32 = 1e-3;

/// Number of texts at which the centroid start has half its weight.
const PRIOR_TEXTS: f32 = 10.0;

/// How strongly the centroid start weighs a node's typical terms.
const CENTROID_SCALE: f32 = 8.0;

/// Starts every weight at the node's centroid: the mean of its texts'
/// vectors, scaled. On its own this is a nearest-centroid classifier; SGD
/// then sharpens it, so a product too large for many epochs still gets a
/// sound model.
fn centroid_start(model: &mut Model, samples: &[Sample], node_count: usize) {
    let mut count = vec![0u32; node_count];
    for s in samples {
        count[s.node as usize] += 1;
    }
    for s in samples {
        // A prior: it counts for less as a node's own texts grow in number.
        let n = count[s.node as usize] as f32;
        let share = CENTROID_SCALE / (n * (1.0 + n / PRIOR_TEXTS));
        for &(t, x) in &s.terms {
            let (a, b) = range(model, t);
            if let Ok(k) = model.node[a..b].binary_search(&s.node) {
                model.weight[a + k] += x * share;
            }
        }
    }
}

const LEARNING_RATE: f32 = 4.0;

/// A training text: its node and its normalised term vector.
#[derive(Debug, Clone)]
pub(crate) struct Sample {
    pub node: NodeId,
    pub terms: Vec<(TermId, f32)>,
}

/// The learned weights, as postings by term (CSR), nodes ascending.
#[derive(Debug, Clone, Default)]
pub(crate) struct Model {
    pub at: Vec<u32>,
    pub node: Vec<NodeId>,
    pub weight: Vec<f32>,
}

impl Model {
    pub fn postings(&self, term: TermId) -> (&[NodeId], &[f32]) {
        let t = term as usize;
        if t + 1 >= self.at.len() {
            return (&[], &[]);
        }
        let (a, b) = (self.at[t] as usize, self.at[t + 1] as usize);
        (&self.node[a..b], &self.weight[a..b])
    }

    pub fn memory_usage(&self) -> usize {
        (self.at.len() + self.node.len() + self.weight.len()) * 4
    }
}

/// Builds the support and trains the weights.
pub(crate) fn train(
    samples: &[Sample],
    term_count: usize,
    node_count: usize,
    max_postings_per_term: usize,
) -> Model {
    let mut model = support(samples, term_count, max_postings_per_term);
    let work: usize = samples
        .iter()
        .map(|s| {
            s.terms
                .iter()
                .map(|&(t, _)| model.postings(t).0.len())
                .sum::<usize>()
        })
        .sum::<usize>()
        .max(1);
    // Whole epochs while the budget allows (at most MAX_EPOCHS); a product
    // too large for one epoch gets part of one, over a shuffled order, on
    // top of the centroid start.
    let epochs = (UPDATE_BUDGET / work).clamp(1, MAX_EPOCHS);
    let mut updates_left = UPDATE_BUDGET.max(work.min(UPDATE_BUDGET));
    let average_from = epochs / 2;
    centroid_start(&mut model, samples, node_count);

    let mut order: Vec<u32> = (0..samples.len() as u32).collect();
    let mut rng = XorShift(0x9E37_79B9_7F4A_7C15);
    let mut score = vec![0f32; node_count];
    let mut touched: Vec<NodeId> = Vec::new();
    let mut seen = vec![false; node_count];
    let mut active: Vec<(NodeId, f32)> = Vec::new();
    let mut gradient = vec![0f32; node_count];
    let mut averaged = vec![0f32; model.weight.len()];
    let mut averaged_epochs = 0u32;
    for epoch in 0..epochs {
        shuffle(&mut order, &mut rng);
        let rate = LEARNING_RATE / ((1 + epoch) as f32).sqrt();
        for &i in &order {
            let sample = &samples[i as usize];
            let cost: usize = sample
                .terms
                .iter()
                .map(|&(t, _)| model.postings(t).0.len())
                .sum();
            if cost > updates_left {
                break;
            }
            updates_left -= cost;
            for &(t, x) in &sample.terms {
                let (a, b) = range(&model, t);
                for slot in a..b {
                    let n = model.node[slot] as usize;
                    if !seen[n] {
                        seen[n] = true;
                        touched.push(n as NodeId);
                    }
                    score[n] += x * model.weight[slot];
                }
            }
            if touched.is_empty() {
                continue;
            }
            // Softmax over the reachable nodes and "none of them" (a fixed
            // logit, the same the tagger uses); the gradient is p - 1[target].
            let max = touched
                .iter()
                .map(|&n| score[n as usize])
                .fold(NONE_LOGIT, f32::max);
            let mut total = (NONE_LOGIT - max).exp();
            for &n in &touched {
                let e = (score[n as usize] - max).exp();
                score[n as usize] = e;
                total += e;
            }
            // Only nodes with a gradient worth applying are updated: most
            // reachable nodes have a probability near zero.
            active.clear();
            for &n in &touched {
                let p = score[n as usize] / total;
                let g = p - if n == sample.node { 1.0 } else { 0.0 };
                if g.abs() >= MIN_GRADIENT {
                    active.push((n, g));
                }
            }
            // The gradients in a dense array by node: one load per slot.
            for &(n, g) in &active {
                gradient[n as usize] = g;
            }
            for &(t, x) in &sample.terms {
                let (a, b) = range(&model, t);
                for slot in a..b {
                    let g = gradient[model.node[slot] as usize];
                    if g != 0.0 {
                        model.weight[slot] -= rate * x * g;
                    }
                }
            }
            for &(n, _) in &active {
                gradient[n as usize] = 0.0;
            }
            for &n in &touched {
                score[n as usize] = 0.0;
                seen[n as usize] = false;
            }
            touched.clear();
        }
        if epoch >= average_from {
            averaged_epochs += 1;
            for (a, w) in averaged.iter_mut().zip(&model.weight) {
                *a += w;
            }
        }
    }
    let k = averaged_epochs.max(1) as f32;
    model.weight = averaged.into_iter().map(|a| a / k).collect();
    prune(&model, PRUNE_BELOW)
}

/// Weights smaller than this cannot move a ranking in practice.
const PRUNE_BELOW: f32 = 0.05;

/// Drops weights too small to change a ranking (below `min` in absolute
/// value): most of a common n-gram's postings. Cuts the work per ticket.
fn prune(model: &Model, min: f32) -> Model {
    let mut out = Model {
        at: Vec::with_capacity(model.at.len()),
        ..Model::default()
    };
    out.at.push(0);
    for t in 0..model.at.len().saturating_sub(1) {
        let (a, b) = (model.at[t] as usize, model.at[t + 1] as usize);
        for slot in a..b {
            if model.weight[slot].abs() >= min {
                out.node.push(model.node[slot]);
                out.weight.push(model.weight[slot]);
            }
        }
        out.at.push(out.node.len() as u32);
    }
    out
}

fn range(model: &Model, t: TermId) -> (usize, usize) {
    (
        model.at[t as usize] as usize,
        model.at[t as usize + 1] as usize,
    )
}

/// The (term, node) pairs that get a weight: for each term, the nodes whose
/// texts use it, keeping the `cap` with the most mass (ties to the earlier
/// node).
fn support(samples: &[Sample], term_count: usize, cap: usize) -> Model {
    // Grouped by term with a counting sort (linear; a comparison sort of
    // every pair dominated compiling large products), then by node within
    // each term, stably, so sums run in sample order.
    let mut starts = vec![0usize; term_count + 1];
    for s in samples {
        for &(t, _) in &s.terms {
            starts[t as usize + 1] += 1;
        }
    }
    for t in 0..term_count {
        starts[t + 1] += starts[t];
    }
    let mut next = starts.clone();
    let mut pairs: Vec<(TermId, NodeId, f32)> = vec![(0, 0, 0.0); starts[term_count]];
    for s in samples {
        for &(t, x) in &s.terms {
            let slot = &mut next[t as usize];
            pairs[*slot] = (t, s.node, x);
            *slot += 1;
        }
    }
    for t in 0..term_count {
        pairs[starts[t]..starts[t + 1]].sort_by_key(|p| p.1);
    }
    // Merge duplicates: mass of each term in each node.
    let mut merged: Vec<(TermId, NodeId, f32)> = Vec::with_capacity(pairs.len());
    for (t, n, x) in pairs {
        match merged.last_mut() {
            Some(last) if last.0 == t && last.1 == n => last.2 += x,
            _ => merged.push((t, n, x)),
        }
    }
    let mut model = Model {
        at: Vec::with_capacity(term_count + 1),
        ..Model::default()
    };
    model.at.push(0);
    let mut i = 0;
    for t in 0..term_count as TermId {
        let start = i;
        while i < merged.len() && merged[i].0 == t {
            i += 1;
        }
        let group = &mut merged[start..i];
        if group.len() > cap {
            group.sort_by(|a, b| b.2.total_cmp(&a.2).then(a.1.cmp(&b.1)));
            group[..cap].sort_by_key(|p| p.1);
            model.node.extend(group[..cap].iter().map(|p| p.1));
        } else {
            model.node.extend(group.iter().map(|p| p.1));
        }
        model.at.push(model.node.len() as u32);
    }
    model.weight = vec![0.0; model.node.len()];
    model
}

struct XorShift(u64);

impl XorShift {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0
    }
}

fn shuffle(items: &mut [u32], rng: &mut XorShift) {
    for i in (1..items.len()).rev() {
        let j = (rng.next() % (i as u64 + 1)) as usize;
        items.swap(i, j);
    }
}
