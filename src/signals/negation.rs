//! Negation, boosters, dampeners and contrast: the words that shift the
//! meaning of their neighbours.

use std::collections::HashSet;

use super::lexicon::{NOT, Tok, Tokens, Vocab, key_of};
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
    /// The words of the past ([`Shifters::past`](super::config::Shifters::past)),
    /// each as its folded words ("used to": `["used", "to"]`).
    past: Vec<Box<[Box<str>]>>,
    /// The key ids of the clause openers
    /// ([`Shifters::clause_openers`](super::config::Shifters::clause_openers)),
    /// sorted: a handful, tested only once a negator is found.
    clause_openers: Vec<u32>,
    /// The words of a problem solved
    /// ([`Shifters::solved`](super::config::Shifters::solved)), as
    /// their key ids (sorted, for a cheap first test) and their folded
    /// forms (the test that counts: "fixed", not "fix").
    solved_ids: Vec<u32>,
    solved: Vec<Box<str>>,
}

/// Which shifter lists hold some word of a ticket ([`ShiftWords::presence`]).
#[derive(Debug, Clone, Copy)]
pub(crate) struct Presence(u8);

impl Presence {
    /// Whether some word is a negator.
    pub fn negator(self) -> bool {
        self.0 & NEGATOR != 0
    }

    /// Whether some word is a contrast word.
    pub fn contrast(self) -> bool {
        self.0 & CONTRAST != 0
    }

    /// Whether some word may start a word of the past.
    pub fn past(self) -> bool {
        self.0 & PAST != 0
    }
}

/// The [`Tok::marks`](super::lexicon::Tok::marks) bits of the shifter
/// lists: which of them hold a word's key, set in the vocabulary when the
/// signals compile, so that a ticket's words are tested by one byte of
/// their token, without hashing. (Bits 16 and up are the lexicons'.)
const NEGATOR: u8 = 1;
const BOOSTER: u8 = 2;
const DAMPENER: u8 = 4;
const CONTRAST: u8 = 8;
/// The first word of a word of the past (bit 128: bits 16 to 64 are the
/// lexicons' starts).
const PAST: u8 = 128;

/// How many words after a word of the past a positive word is still read
/// as lost ("used to be so much faster": four; German "früher war die App
/// richtig gut": five).
const PAST_REACH: usize = 5;

/// How far a word of a problem solved reaches the problem it solved:
/// "sorted my billing problem" (three words on).
const SOLVED_REACH: usize = 3;

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
    /// Compiles the shifter lists, interning their keys into `vocab` and
    /// marking them there.
    pub fn new(
        analyzer: &Analyzer,
        shifters: &super::config::Shifters,
        vocab: &mut Vocab,
    ) -> ShiftWords {
        let lang = analyzer.language();
        let mut negators = keys(analyzer, &shifters.negators);
        if lang == crate::analysis::Language::English {
            negators.insert(NOT.into());
        }
        let mut clause_openers: Vec<u32> = keys(analyzer, &shifters.clause_openers)
            .iter()
            .map(|key| vocab.intern(key))
            .collect();
        clause_openers.sort_unstable();
        // Each word of the past as its folded words, its first word's key
        // marked so that a ticket without one skips the test.
        let mut past = Vec::with_capacity(shifters.past.len());
        for phrase in &shifters.past {
            let analysis = analyzer.analyze(phrase);
            let Some(first) = analysis.iter().next() else {
                continue;
            };
            let id = vocab.intern(key_of(lang, first.folded, first.stem));
            vocab.mark(id, PAST);
            let words: Box<[Box<str>]> = analysis.iter().map(|t| t.folded.into()).collect();
            past.push(words);
        }
        // Words of a problem solved: single words as written.
        let mut solved_ids = Vec::new();
        let mut solved = Vec::new();
        for word in &shifters.solved {
            let analysis = analyzer.analyze(word);
            let mut words = analysis.iter();
            let (Some(t), None) = (words.next(), words.next()) else {
                continue;
            };
            solved_ids.push(vocab.intern(key_of(lang, t.folded, t.stem)));
            solved.push(t.folded.into());
        }
        solved_ids.sort_unstable();
        solved_ids.dedup();
        let shift = ShiftWords {
            negators,
            boosters: keys(analyzer, &shifters.boosters),
            dampeners: keys(analyzer, &shifters.dampeners),
            contrast: keys(analyzer, &shifters.contrast),
            past,
            clause_openers,
            solved_ids,
            solved,
        };
        let lists = [
            (&shift.negators, NEGATOR),
            (&shift.boosters, BOOSTER),
            (&shift.dampeners, DAMPENER),
            (&shift.contrast, CONTRAST),
        ];
        for (set, bit) in lists {
            for key in set {
                let id = vocab.intern(key);
                vocab.mark(id, bit);
            }
        }
        shift
    }

    /// Whether a key is a negator (by its text: for compiling).
    pub fn is_negator(&self, key: &str) -> bool {
        self.negators.contains(key)
    }

    /// Whether the word is a negator.
    pub fn is_negator_tok(&self, t: &Tok<'_>) -> bool {
        t.marks & NEGATOR != 0
    }

    /// Which shifter lists hold some word of `tokens`, for
    /// [`Presence::negator`] and [`Presence::contrast`], so that readers
    /// skip their scans of a ticket without such words (most). Cost: none,
    /// the tokens gathered it.
    pub fn presence(&self, tokens: &Tokens<'_>) -> Presence {
        Presence(tokens.present)
    }

    /// Whether the word is a contrast word.
    pub fn is_contrast_tok(&self, t: &Tok<'_>) -> bool {
        t.marks & CONTRAST != 0
    }

    /// The index of the negator that denies the words starting at `start`,
    /// if any: within [`NEGATION_REACH`] words before it, in the same
    /// clause, with no contrast word or clause opener in between. "not
    /// only" and "never" with a degree word before the cue ("never been so
    /// happy") do not deny.
    pub fn negator_before(&self, tokens: &Tokens<'_>, start: usize) -> Option<usize> {
        let toks = &tokens.toks;
        let mut i = start;
        for _ in 0..NEGATION_REACH {
            if i == 0 || toks[i].clause_start {
                return None;
            }
            i -= 1;
            let flags = toks[i].marks;
            if flags & CONTRAST != 0 {
                return None;
            }
            if flags & NEGATOR != 0 {
                // "can't believe how easy": a clause opener between the
                // negator and the words keeps them out of its reach.
                if toks[i + 1..start]
                    .iter()
                    .any(|t| self.clause_openers.binary_search(&t.id).is_ok())
                {
                    return None;
                }
                // "not only" does not deny.
                if toks.get(i + 1).is_some_and(|t| t.folded == "only") {
                    return None;
                }
                // "never been so happy", "never been more disappointed":
                // a degree word after "never" makes it emphasis, not denial
                // (VADER's "never so / never this" rule).
                if toks[i].folded == "never"
                    && toks[i + 1..start]
                        .iter()
                        .any(|t| matches!(t.folded, "so" | "more" | "this" | "such"))
                {
                    return None;
                }
                return Some(i);
            }
        }
        None
    }

    /// The index of a word of the past ("used to") that ends at most
    /// [`PAST_REACH`] words before `start`, in the same clause with no
    /// contrast word in between, if any: what starts there is told as a
    /// thing of the past. Worth calling only when [`Presence::past`] holds.
    pub fn past_before(&self, tokens: &Tokens<'_>, start: usize) -> Option<usize> {
        let toks = &tokens.toks;
        // Back from `start` over the clause: at most the reach plus the
        // longest phrase.
        let longest = self.past.iter().map(|w| w.len()).max().unwrap_or(0);
        let mut i = start;
        for _ in 0..PAST_REACH + longest {
            if i == 0 || toks[i].clause_start {
                return None;
            }
            i -= 1;
            if toks[i].marks & CONTRAST != 0 {
                return None;
            }
            if toks[i].marks & PAST == 0 {
                continue;
            }
            let at = &toks[i..start];
            let said = self.past.iter().any(|words| {
                words.len() <= at.len()
                    && at.len() - words.len() < PAST_REACH
                    && words.iter().zip(at).all(|(w, t)| **w == *t.folded)
            });
            if said {
                return Some(i);
            }
        }
        None
    }

    /// Whether the words starting at `start` (a negative word) are a
    /// problem told solved: a word of a problem solved ("fixed",
    /// "resolved"), not denied, up to [`SOLVED_REACH`] words before them
    /// in the same clause ("fixed the problem", "sorted my billing
    /// problem"). Not after them: "the bug was resolved" is as often a
    /// claim the ticket goes on to deny ("... It's still there") or a
    /// question ("whether the problem was solved"). With `object_only`,
    /// only stop words may stand between the two, the problem being the
    /// solving word's object ("fixed the crash", "resolveram meu
    /// problema"): "the fixed header is broken" tells no fix.
    pub fn told_solved(&self, tokens: &Tokens<'_>, start: usize, object_only: bool) -> bool {
        if self.solved.is_empty() {
            return false;
        }
        let toks = &tokens.toks;
        let solves = |i: usize| {
            let t = &toks[i];
            self.solved_ids.binary_search(&t.id).is_ok()
                && self.solved.iter().any(|w| **w == *t.folded)
                && self.negator_before(tokens, i).is_none()
        };
        let mut i = start;
        for _ in 0..SOLVED_REACH {
            if i == 0 || toks[i].clause_start {
                break;
            }
            i -= 1;
            if solves(i) {
                return true;
            }
            if object_only && !toks[i].stop {
                break;
            }
        }
        false
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
            let flags = toks[i].marks;
            // The second word back counts less ("really very slow").
            let scale = if step == 0 { 1.0 } else { 0.95 };
            if flags & BOOSTER != 0 {
                boost += scale;
            } else if flags & DAMPENER != 0 {
                boost -= scale;
            }
        }
        boost
    }
}
