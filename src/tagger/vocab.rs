//! The compiled vocabulary: every word the product knows, as term ids.
//!
//! A ticket word is turned into a term in three steps, cheapest first:
//! 1. its folded form is looked up among the folded words of the product
//!    (no stemming needed for words the product itself uses);
//! 2. otherwise it is stemmed and the stem is looked up;
//! 3. otherwise, if it is long enough, its one-deletion neighbourhood is
//!    looked up in a deletion index of the product's words (SymSpell), and a
//!    candidate within Damerau-Levenshtein distance 1 (2 for long words) is a
//!    fuzzy match.
//!
//! Synonym groups map every member's stem to one canonical term.
//!
//! Besides stems, every word also yields character 3- and 4-grams of
//! `<word>` as terms: they let the model see shared word parts
//! ("subscri", "refund") and soften typos the deletion index does not catch.

use std::collections::HashMap;

use crate::hash::BuildFnv;

use crate::analysis::{Analyzer, Token};
use crate::tagged::How;

/// Index of a term (a stem, or a synonym group).
pub(crate) type TermId = u32;

/// Words shorter than this (in chars) are never matched fuzzily: too many
/// short words are one edit apart.
const FUZZY_MIN_CHARS: usize = 5;
/// Words at least this long may be two edits away.
const FUZZY_TWO_EDITS_CHARS: usize = 9;

#[derive(Debug, Clone, Default)]
pub(crate) struct Vocabulary {
    /// stem -> term
    stems: HashMap<Box<str>, TermId, BuildFnv>,
    /// folded surface word -> term (cache that skips stemming)
    surface: HashMap<Box<str>, TermId, BuildFnv>,
    /// term -> whether every surface form of it is a stop word
    stop: Vec<bool>,
    /// term -> one representative text (for display and fuzzy candidates)
    text: Vec<Box<str>>,
    /// one-deletion variant of a folded word -> folded words (indices into `fuzzy_words`)
    deletions: HashMap<Box<str>, Vec<u32>, BuildFnv>,
    fuzzy_words: Vec<(Box<str>, TermId)>,
    /// character n-gram hash -> term
    grams: HashMap<u64, TermId, BuildFnv>,
    /// folded surface word -> its n-gram terms (cache for product words)
    surface_grams: HashMap<Box<str>, Box<[TermId]>, BuildFnv>,
    /// multi-term synonym phrases: first term -> (rest of the phrase, canonical term)
    synonym_phrases: HashMap<TermId, Vec<(Vec<TermId>, TermId)>, BuildFnv>,
    /// stem term -> canonical synonym term
    synonym_of: HashMap<TermId, TermId, BuildFnv>,
}

/// A ticket word mapped to a term.
#[derive(Debug, Clone, Copy, PartialEq)]
pub(crate) struct Mapped {
    pub term: TermId,
    pub how: How,
    pub stop: bool,
    /// Index of the first and one past the last token it covers.
    pub tokens: (u32, u32),
}

impl Vocabulary {
    pub fn len(&self) -> usize {
        self.text.len()
    }

    pub fn is_stop(&self, term: TermId) -> bool {
        self.stop[term as usize]
    }

    /// Interns the stem of a product token (compile time).
    pub fn intern(&mut self, token: &Token<'_>) -> TermId {
        let term = match self.stems.get(token.stem) {
            Some(&term) => {
                if !token.stop {
                    self.stop[term as usize] = false;
                }
                term
            }
            None => {
                let term = self.text.len() as TermId;
                self.stems.insert(token.stem.into(), term);
                self.stop.push(token.stop);
                self.text.push(token.stem.into());
                term
            }
        };
        if !self.surface.contains_key(token.folded) {
            self.surface.insert(token.folded.into(), term);
        }
        term
    }

    /// Interns a character n-gram term (compile time).
    pub fn intern_gram(&mut self, hash: u64) -> TermId {
        if let Some(&term) = self.grams.get(&hash) {
            return term;
        }
        let term = self.text.len() as TermId;
        self.grams.insert(hash, term);
        self.stop.push(false);
        self.text.push("".into());
        term
    }

    /// Interns the n-grams of a folded product word and caches them.
    pub fn intern_grams_of(&mut self, folded: &str, out: &mut Vec<TermId>) {
        let start = out.len();
        if let Some(cached) = self.surface_grams.get(folded) {
            out.extend_from_slice(cached);
            return;
        }
        let mut hashes = Vec::new();
        gram_hashes(folded, &mut hashes);
        for h in hashes {
            let term = self.intern_gram(h);
            out.push(term);
        }
        self.surface_grams
            .insert(folded.into(), out[start..].into());
    }

    /// The n-gram terms of a ticket word that the product knows (tag time).
    pub fn grams_of(&self, folded: &str, hashes: &mut Vec<u64>, out: &mut Vec<TermId>) {
        if let Some(cached) = self.surface_grams.get(folded) {
            out.extend_from_slice(cached);
            return;
        }
        hashes.clear();
        gram_hashes(folded, hashes);
        out.extend(hashes.iter().filter_map(|h| self.grams.get(h).copied()));
    }

    /// Declares `group` (already analysed phrases) as synonyms (compile time).
    /// Returns the canonical term.
    pub fn add_synonyms(&mut self, group: &[Vec<TermId>]) -> Option<TermId> {
        let canonical = *group.iter().find(|p| p.len() == 1)?.first()?;
        let canonical = self
            .synonym_of
            .get(&canonical)
            .copied()
            .unwrap_or(canonical);
        for phrase in group {
            match phrase.as_slice() {
                [] => {}
                [single] => {
                    let old = self.synonym_of.get(single).copied();
                    // Merge overlapping groups: everything that pointed at the
                    // old canonical now points at the new one.
                    if let Some(old) = old.filter(|&old| old != canonical) {
                        for target in self.synonym_of.values_mut() {
                            if *target == old {
                                *target = canonical;
                            }
                        }
                    }
                    if *single != canonical {
                        self.synonym_of.insert(*single, canonical);
                    }
                }
                [first, rest @ ..] => self
                    .synonym_phrases
                    .entry(*first)
                    .or_default()
                    .push((rest.to_vec(), canonical)),
            }
        }
        Some(canonical)
    }

    /// Builds the deletion index for typo tolerance (compile time, after all
    /// interning).
    pub fn build_fuzzy_index(&mut self) {
        let mut words: Vec<(&Box<str>, &TermId)> = self.surface.iter().collect();
        words.sort();
        for (word, &term) in words {
            if word.chars().count() < FUZZY_MIN_CHARS || word.chars().any(|c| c.is_numeric()) {
                continue;
            }
            if self.stop[term as usize] {
                continue;
            }
            let index = self.fuzzy_words.len() as u32;
            self.fuzzy_words.push((word.clone(), term));
            for variant in deletions(word).chain(std::iter::once(word.to_string())) {
                let slot = self.deletions.entry(variant.into()).or_default();
                if slot.last() != Some(&index) {
                    slot.push(index);
                }
            }
        }
    }

    /// The term of a folded word that the product knows, if any, without
    /// stemming.
    pub fn lookup_surface(&self, folded: &str) -> Option<TermId> {
        self.surface.get(folded).copied()
    }

    /// The term of a stem, if the product knows it.
    pub fn lookup_stem(&self, stem: &str) -> Option<TermId> {
        self.stems.get(stem).copied()
    }

    /// The closest product word within the typo budget, if exactly one is
    /// closest (ties go to the word first in sorted order, so the result is
    /// deterministic).
    pub fn lookup_fuzzy(&self, folded: &str) -> Option<TermId> {
        let chars = folded.chars().count();
        if !(FUZZY_MIN_CHARS..=40).contains(&chars) || folded.chars().any(|c| c.is_numeric()) {
            return None;
        }
        let budget = if chars >= FUZZY_TWO_EDITS_CHARS { 2 } else { 1 };
        let mut best: Option<(usize, u32)> = None;
        let mut consider = |candidates: Option<&Vec<u32>>| {
            for &index in candidates.into_iter().flatten() {
                let (word, _) = &self.fuzzy_words[index as usize];
                let distance = strsim::damerau_levenshtein(folded, word);
                if distance <= budget && best.is_none_or(|(d, i)| (distance, index) < (d, i)) {
                    best = Some((distance, index));
                }
            }
        };
        consider(self.deletions.get(folded));
        let mut variant = String::with_capacity(folded.len());
        for (i, c) in folded.char_indices() {
            variant.clear();
            variant.push_str(&folded[..i]);
            variant.push_str(&folded[i + c.len_utf8()..]);
            consider(self.deletions.get(variant.as_str()));
        }
        best.map(|(_, index)| self.fuzzy_words[index as usize].1)
    }

    /// Maps analysed tokens to terms (tag time). Tokens the product does not
    /// know are left out; synonyms are resolved to their canonical term.
    pub fn map_tokens<'t>(
        &self,
        analyzer: &Analyzer,
        tokens: impl Iterator<Item = Token<'t>>,
        out: &mut Vec<Mapped>,
    ) {
        out.clear();
        for (i, token) in tokens.enumerate() {
            let i = i as u32;
            let found = match self.lookup_surface(token.folded) {
                Some(term) => Some((term, How::Exact)),
                None => {
                    let stem = analyzer.stemmer().stem(token.folded);
                    match self.lookup_stem(&stem) {
                        Some(term) => Some((term, How::Stem)),
                        None if !token.stop => {
                            self.lookup_fuzzy(token.folded).map(|t| (t, How::Fuzzy))
                        }
                        None => None,
                    }
                }
            };
            if let Some((term, how)) = found {
                out.push(Mapped {
                    term,
                    how,
                    stop: token.stop,
                    tokens: (i, i + 1),
                });
            }
        }
        self.resolve_synonyms(out);
    }

    /// Replaces synonym members (single terms and phrases) by their canonical
    /// term, in place.
    pub fn resolve_synonyms(&self, mapped: &mut Vec<Mapped>) {
        if self.synonym_of.is_empty() && self.synonym_phrases.is_empty() {
            return;
        }
        let mut out = Vec::with_capacity(mapped.len());
        let mut i = 0;
        while i < mapped.len() {
            let first = mapped[i];
            if let Some(phrases) = self.synonym_phrases.get(&first.term) {
                let hit = phrases.iter().find(|(rest, _)| {
                    rest.len() < mapped.len() - i
                        && rest.iter().enumerate().all(|(k, &t)| {
                            let next = mapped[i + 1 + k];
                            next.term == t && next.tokens.0 == first.tokens.0 + 1 + k as u32
                        })
                });
                if let Some((rest, canonical)) = hit {
                    out.push(Mapped {
                        term: *canonical,
                        how: How::Synonym,
                        stop: false,
                        tokens: (first.tokens.0, mapped[i + rest.len()].tokens.1),
                    });
                    i += rest.len() + 1;
                    continue;
                }
            }
            match self.synonym_of.get(&first.term) {
                Some(&canonical) => out.push(Mapped {
                    term: canonical,
                    how: How::Synonym,
                    ..first
                }),
                None => out.push(first),
            }
            i += 1;
        }
        *mapped = out;
    }

    /// Approximate heap bytes.
    pub fn memory_usage(&self) -> usize {
        let strings: usize = self.stems.keys().map(|k| k.len() + 40).sum::<usize>()
            + self.surface.keys().map(|k| k.len() + 40).sum::<usize>()
            + self.text.iter().map(|t| t.len() + 16).sum::<usize>()
            + self
                .deletions
                .iter()
                .map(|(k, v)| k.len() + 48 + v.len() * 4)
                .sum::<usize>()
            + self
                .fuzzy_words
                .iter()
                .map(|(w, _)| w.len() + 24)
                .sum::<usize>();
        strings + self.stop.len()
    }
}

/// The one-deletion variants of a word (by char).
fn deletions(word: &str) -> impl Iterator<Item = String> + '_ {
    word.char_indices().map(move |(i, c)| {
        let mut variant = String::with_capacity(word.len());
        variant.push_str(&word[..i]);
        variant.push_str(&word[i + c.len_utf8()..]);
        variant
    })
}

/// Hashes of the character 3- and 4-grams of `<word>` (by char).
pub(crate) fn gram_hashes(folded: &str, out: &mut Vec<u64>) {
    let mut chars: Vec<char> = Vec::with_capacity(folded.len() + 2);
    chars.push('<');
    chars.extend(folded.chars().take(64));
    chars.push('>');
    for n in [3usize, 4] {
        if chars.len() < n {
            continue;
        }
        for window in chars.windows(n) {
            let mut h: u64 = 0xcbf2_9ce4_8422_2325 ^ n as u64;
            for &c in window {
                h = (h ^ u64::from(c)).wrapping_mul(0x0100_0000_01b3);
            }
            out.push(h);
        }
    }
}
