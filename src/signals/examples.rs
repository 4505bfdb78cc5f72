//! What user-supplied example tickets teach the needs: a nearest-example
//! index (multi-label). The kinds' examples train a linear model
//! (see `classifier`).

use std::collections::{HashMap, HashSet};

use super::lexicon::Tokens;
use crate::analysis::{Analysis, Analyzer};
use crate::hash::BuildFnv;

/// Whether a word carries content: not a stop word, not a number, not a
/// single letter.
pub(crate) fn is_content(stop: bool, key: &str) -> bool {
    !stop && key.chars().count() >= 2 && !key.chars().all(|c| c.is_ascii_digit())
}

/// The distinct content keys of an analysis, sorted (so that sums over
/// them are deterministic).
fn content_keys(analysis: &Analysis, analyzer: &Analyzer) -> Vec<Box<str>> {
    let lang = analyzer.language();
    let mut keys: Vec<Box<str>> = analysis
        .iter()
        .filter(|t| is_content(t.stop, t.stem))
        .map(|t| Box::<str>::from(super::lexicon::key_of(lang, t.folded, t.stem)))
        .collect();
    keys.sort_unstable();
    keys.dedup();
    keys
}

/// The distinct content keys of a ticket in order of first appearance,
/// with the index of their first token.
pub(crate) fn ticket_keys<'a>(tokens: &Tokens<'a>) -> Vec<(&'a str, usize)> {
    let mut seen: HashSet<&str, BuildFnv> = HashSet::default();
    let mut keys = Vec::new();
    for (i, t) in tokens.toks.iter().enumerate() {
        if is_content(t.stop, t.key) && seen.insert(t.key) {
            keys.push((t.key, i));
        }
    }
    keys
}

/// Example tickets of several labels, searchable by shared words
/// (TF-IDF cosine over distinct content words).
#[derive(Debug, Clone, Default)]
pub(crate) struct NearestExamples {
    /// (label, example text) per example.
    pub examples: Vec<(usize, Box<str>)>,
    norms: Vec<f64>,
    postings: HashMap<Box<str>, (f64, Vec<u32>), BuildFnv>,
}

impl NearestExamples {
    pub fn new(analyzer: &Analyzer, examples: Vec<(usize, String)>) -> NearestExamples {
        let mut postings: HashMap<Box<str>, (f64, Vec<u32>), BuildFnv> = HashMap::default();
        let mut docs = Vec::with_capacity(examples.len());
        for (i, (_, text)) in examples.iter().enumerate() {
            let keys = content_keys(&analyzer.analyze(text), analyzer);
            for k in &keys {
                postings.entry(k.clone()).or_default().1.push(i as u32);
            }
            docs.push(keys);
        }
        let n = examples.len().max(1) as f64;
        for (idf, list) in postings.values_mut() {
            *idf = (1.0 + n / list.len() as f64).ln();
        }
        let norms = docs
            .iter()
            .map(|keys| {
                keys.iter()
                    .map(|k| postings[k].0.powi(2))
                    .sum::<f64>()
                    .sqrt()
            })
            .collect();
        NearestExamples {
            examples: examples
                .into_iter()
                .map(|(l, t)| (l, t.into_boxed_str()))
                .collect(),
            norms,
            postings,
        }
    }

    pub fn is_empty(&self) -> bool {
        self.examples.is_empty()
    }

    /// The best cosine per label and the example that gave it.
    /// Cost: the postings of the ticket's words.
    pub fn best_per_label(&self, keys: &[(&str, usize)]) -> HashMap<usize, (f64, u32)> {
        let mut dot: HashMap<u32, f64, BuildFnv> = HashMap::default();
        // Words of the ticket no example has still count in its norm: a long
        // ticket is not close to a short example by a few shared words.
        let mut norm = 0.0;
        let unseen = (1.0 + self.examples.len() as f64).ln().powi(2);
        for (key, _) in keys {
            norm += unseen;
            if let Some((idf, list)) = self.postings.get(*key) {
                norm += idf * idf - unseen;
                for &d in list {
                    *dot.entry(d).or_default() += idf * idf;
                }
            }
        }
        let mut best: HashMap<usize, (f64, u32)> = HashMap::new();
        if norm == 0.0 {
            return best;
        }
        let norm = norm.sqrt();
        let mut ranked: Vec<(u32, f64)> = dot.into_iter().collect();
        ranked.sort_by_key(|&(d, _)| d);
        for (d, dot) in ranked {
            let cos = dot / (norm * self.norms[d as usize]).max(f64::MIN_POSITIVE);
            let label = self.examples[d as usize].0;
            let slot = best.entry(label).or_insert((0.0, d));
            if cos > slot.0 {
                *slot = (cos, d);
            }
        }
        best
    }

    /// The keys of one example.
    pub fn shares(&self, example: u32, key: &str) -> bool {
        self.postings
            .get(key)
            .is_some_and(|(_, list)| list.binary_search(&example).is_ok())
    }
}
