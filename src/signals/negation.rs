//! Negation, boosters, dampeners and contrast: the words that shift the
//! meaning of their neighbours.

use std::collections::HashSet;

use super::lexicon::{NOT, Tokens, key_of};
use crate::analysis::Analyzer;
use crate::hash::BuildFnv;

type KeySet = HashSet<Box<str>, BuildFnv>;

/// How many words before a cue a negator still reaches ("I have not had
/// any crashes": three words).
pub(crate) const NEGATION_REACH: usize = 4;

/// The compiled shifter words, as keys.
#[derive(Debug, Clone, Default)]
pub(crate) struct ShiftWords {
    negators: KeySet,
    boosters: KeySet,
    dampeners: KeySet,
    contrast: KeySet,
}

fn keys(analyzer: &Analyzer, words: &[String]) -> KeySet {
    let lang = analyzer.language();
    words
        .iter()
        .flat_map(|w| {
            let analysis = analyzer.analyze(w);
            // Single words only: a multi-word entry counts by its last word
            // ("a bit" -> "bit").
            analysis
                .iter()
                .last()
                .map(|t| Box::<str>::from(key_of(lang, t.folded, t.stem)))
        })
        .collect()
}

impl ShiftWords {
    pub fn new(analyzer: &Analyzer, shifters: &super::config::Shifters) -> ShiftWords {
        let mut negators = keys(analyzer, &shifters.negators);
        if analyzer.language() == crate::analysis::Language::English {
            negators.insert(NOT.into());
        }
        ShiftWords {
            negators,
            boosters: keys(analyzer, &shifters.boosters),
            dampeners: keys(analyzer, &shifters.dampeners),
            contrast: keys(analyzer, &shifters.contrast),
        }
    }

    pub fn is_negator(&self, key: &str) -> bool {
        self.negators.contains(key)
    }

    pub fn is_contrast(&self, key: &str) -> bool {
        self.contrast.contains(key)
    }

    /// The index of the negator that denies the words starting at `start`,
    /// if any: within [`NEGATION_REACH`] words before it, in the same
    /// clause, with no contrast word in between.
    pub fn negator_before(&self, tokens: &Tokens<'_>, start: usize) -> Option<usize> {
        let toks = &tokens.toks;
        let mut i = start;
        for _ in 0..NEGATION_REACH {
            if i == 0 || toks[i].clause_start {
                return None;
            }
            i -= 1;
            let key = toks[i].key;
            if self.contrast.contains(key) {
                return None;
            }
            if self.negators.contains(key) {
                // "not only" does not deny.
                if toks.get(i + 1).is_some_and(|t| t.folded == "only") {
                    return None;
                }
                return Some(i);
            }
        }
        None
    }

    /// The boost of the one or two words before `start`: +1 per booster,
    /// -1 per dampener (same clause).
    pub fn intensity_before(&self, tokens: &Tokens<'_>, start: usize) -> f64 {
        let toks = &tokens.toks;
        let mut i = start;
        let mut boost = 0.0;
        for step in 0..2 {
            if i == 0 || toks[i].clause_start {
                break;
            }
            i -= 1;
            let key = toks[i].key;
            // The second word back counts less ("really very slow").
            let scale = if step == 0 { 1.0 } else { 0.95 };
            if self.boosters.contains(key) {
                boost += scale;
            } else if self.dampeners.contains(key) {
                boost -= scale;
            }
        }
        boost
    }
}
