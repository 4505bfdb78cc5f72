//! The compiled vocabulary: every word the product knows, as term ids.
//!
//! A ticket word is turned into a term in three steps, cheapest first:
//! 1. its folded form is looked up among the folded words of the product
//!    (no stemming needed for words the product itself uses);
//! 2. otherwise it is stemmed and the stem is looked up;
//! 3. otherwise (content words only) a Spanish, Portuguese or Italian
//!    absolute superlative is looked up by the stem of its adjective
//!    ("lentísima" meets "lento"); then its stem without diacritics is looked
//!    up among the product's stems without diacritics ("telecharger" meets
//!    "télécharger", "recu" meets "reçu"): customers often type without
//!    accents; then, if it is long enough, its one-deletion neighbourhood is
//!    looked up in a deletion index of the product's words (SymSpell), and a
//!    candidate within Damerau-Levenshtein distance 1 (2 for long words) is a
//!    fuzzy match (in a short word, the first letter as typed and a
//!    replaced letter only by a neighbouring key); then, in languages that write compounds as one word (and for a
//!    katakana word in any language), the product words it is compounded
//!    of; then a long product word that begins it; then, in languages that
//!    write compounds, a product compound whose stem it begins or ends.
//!
//! Synonym groups map every member's stem to one canonical term.
//!
//! Besides stems, every word also yields character 3- and 4-grams of
//! `<word>` as terms: they let the model see shared word parts
//! ("subscri", "refund") and soften typos the deletion index does not catch.

use std::cell::RefCell;
use std::collections::HashMap;
use std::sync::atomic::{AtomicU64, Ordering};

use crate::hash::{BuildFnv, FNV_OFFSET, fnv1a};

use crate::analysis::fold::{forgiven_form, forgiving_lookup, strip_diacritics};
use crate::analysis::superlative;
use crate::analysis::{
    Analysis, Analyzer, CacheKey, KnownStem, MAX_CACHED_BYTES, Stemmer, StopWords, Token,
    starts_in_spaceless_script, word_key,
};
use crate::signals::KnownWord;
use crate::tagged::How;

/// Index of a term (a stem, or a synonym group).
pub(crate) type TermId = u32;

/// Index of a folded surface word the product uses.
pub(crate) type WordId = u32;

/// `Mapped::word` of a ticket word that is not one of the product's words
/// (found by stem, typo or synonym): it takes the slow path.
pub(crate) const NO_WORD: WordId = u32::MAX;

/// A product word: its stem term and its n-gram terms.
#[derive(Debug, Clone, Copy)]
pub(crate) struct WordInfo {
    pub stem: TermId,
    pub grams: (u32, u32),
}

/// Words shorter than this (in chars) are never matched fuzzily: too many
/// short words are one edit apart.
const FUZZY_MIN_CHARS: usize = 5;
/// A product word must be at least this long (in chars) to be found as
/// the beginning of a longer ticket word.
const PREFIX_MIN_CHARS: usize = 5;
/// Words at least this long may be two edits away.
const FUZZY_TWO_EDITS_CHARS: usize = 9;
/// A shorter word that differs from a product word by one replaced letter
/// meets it only when the two letters are neighbours on a keyboard: short
/// real words one letter apart abound ("night" / "might", "enable" /
/// "unable", "space" / "spare"), slips of the finger hit the next key.
const FUZZY_ANY_SUBSTITUTION_CHARS: usize = 7;
/// The shortest part of a product compound that a ticket word meets
/// ([`Vocabulary::lookup_part`]).
const PART_MIN_CHARS: usize = 5;
/// The shortest ticket word (in chars) searched for compound parts.
const COMPOUND_MIN_CHARS: usize = 7;
/// The shortest modifier (the part before the head) of a compound.
const COMPOUND_MIN_MODIFIER: usize = 3;
/// The shortest head (the last part) of a compound; a head shorter than
/// [`COMPOUND_SURE_HEAD`] counts only when its modifier is a product word
/// too ("Soft|ware" is not a kind of "Ware").
const COMPOUND_MIN_HEAD: usize = 4;
const COMPOUND_SURE_HEAD: usize = 5;
/// A modifier found without a head leaves at least [`COMPOUND_MIN_HEAD`]
/// chars and has at least this many ("Kart|offel" is not a card).
const COMPOUND_LONE_MODIFIER: usize = 5;
/// Linking elements between the parts of a compound, dropped from a
/// modifier that is not found as written ("Rechnung|s|adresse",
/// "Karte|n|zahlung"; Dutch and the Scandinavian languages use "s", "e"
/// and "en" too).
const COMPOUND_LINKS: [&str; 5] = ["s", "es", "n", "en", "e"];

#[derive(Debug, Clone, Default)]
pub(crate) struct Vocabulary {
    /// stem -> term
    stems: HashMap<Box<str>, TermId, BuildFnv>,
    /// A product stem with diacritics, without them -> its term (the first
    /// term of equals); empty for a product written without diacritics.
    bare_stems: HashMap<Box<str>, TermId, BuildFnv>,
    /// German: a word typed with its umlauts spelt out ("ue" for "ü")
    /// meets the product's stem ([`forgiving_lookup`]).
    umlaut_spellings: bool,
    /// German, Dutch and the Scandinavian languages: an unknown word is
    /// searched for product words it is compounded of
    /// ([`Vocabulary::lookup_compound`]).
    compounds: bool,
    /// Compounding languages: the beginnings and endings of the product's
    /// compound stems -> the compound's term, so that a ticket word naming
    /// one part of a product compound meets it
    /// ([`Vocabulary::lookup_part`]).
    parts: HashMap<Box<str>, TermId, BuildFnv>,
    /// Katakana words only are searched for the product words they are
    /// compounded of ([`Vocabulary::split_katakana_compounds`]).
    katakana_compounds: bool,
    /// A bit per hash of the first four chars of every product word and
    /// stem ([`compound_start`]): a compound's part can be known only if
    /// its start is, so most splits cost one bit test, not a stem.
    compound_starts: Vec<u64>,
    /// Whether a product word or stem is shorter than
    /// [`COMPOUND_START_CHARS`]: then starts are keyed by fewer chars too.
    short_starts: bool,
    /// folded surface word -> word (cache that skips stemming)
    surface: HashMap<Box<str>, WordId, BuildFnv>,
    words: Vec<WordInfo>,
    /// The [`word_hash`](super::index::word_hash) of each product word.
    word_hashes: Vec<u64>,
    word_grams: Vec<TermId>,
    /// term -> whether every surface form of it is a stop word
    stop: Vec<bool>,
    /// term -> whether it can carry a match: a stem of two or more chars
    /// that is not a stop word (not an n-gram, not a lone CJK character)
    evidential: Vec<bool>,
    /// term -> one representative text (for display and fuzzy candidates)
    text: Vec<Box<str>>,
    /// one-deletion variant of a folded word -> folded words (indices into `fuzzy_words`)
    deletions: HashMap<Box<str>, Vec<u32>, BuildFnv>,
    fuzzy_words: Vec<(Box<str>, TermId)>,
    /// character n-gram hash -> term
    grams: HashMap<u64, TermId, BuildFnv>,
    /// multi-term synonym phrases: first term -> (rest of the phrase, canonical term)
    synonym_phrases: HashMap<TermId, Vec<(Vec<TermId>, TermId)>, BuildFnv>,
    /// stem term -> canonical synonym term
    synonym_of: HashMap<TermId, TermId, BuildFnv>,
    /// folded word -> (product word, stop flag, stem), for every product
    /// word and stop word: one probe per ticket word (see
    /// [`Vocabulary::probe`]).
    probe: ProbeTable,
    /// Names this vocabulary, as built, in the per-thread memo of unknown
    /// words ([`Vocabulary::map_unknown`]); 0 (no memo) until
    /// [`Vocabulary::build_probe`], the last step of building.
    memo_id: u64,
}

/// Ids of built vocabularies: each build gets its own, so that a memo entry
/// never answers for another vocabulary.
static NEXT_MEMO_ID: AtomicU64 = AtomicU64::new(1);

/// Unknown words remembered per thread (a power of two, direct mapped).
const MEMO_SLOTS: usize = 2048;

/// What [`Vocabulary::map_unknown`] made of one word for one vocabulary:
/// at most two terms (a compound's parts), each with how it met.
#[derive(Clone, Copy, Default)]
struct MemoSlot {
    /// The vocabulary's [`Vocabulary::memo_id`]; 0 for an empty slot.
    vocab: u64,
    word: CacheKey,
    stop: bool,
    found: [Option<(TermId, How)>; 2],
}

thread_local! {
    static UNKNOWN_WORDS: RefCell<Vec<MemoSlot>> = const { RefCell::new(Vec::new()) };
}

/// An open-addressing table keyed by a folded word and its
/// [`word_key`], which the analyzer computes as it folds: the ticket's hot
/// path looks a word up once for both its product word and its stop flag,
/// without hashing it again.
#[derive(Debug, Clone, Default)]
struct ProbeTable {
    /// A power of two of slots, at most half full (so probing ends).
    slots: Vec<ProbeSlot>,
    /// The words of the slots, one after the other, each followed by its
    /// stem when that is another word.
    text: String,
    /// 64 minus log2 of the number of slots (see [`ProbeTable::home`]).
    shift: u32,
    /// Per slot: what the tagger's signals make of its word
    /// ([`Vocabulary::attach_signals`]), handed to them with each token of
    /// it; empty without signals (beside the slots, not in them, so that
    /// tagging without signals probes a table no larger).
    signals: Vec<KnownWord>,
}

#[derive(Debug, Clone, Copy, Default)]
struct ProbeSlot {
    key: u64,
    /// The word is `text[start..start + len]`; `len == 0` marks an empty slot.
    start: u32,
    len: u32,
    word: WordId,
    /// The length of the word's stem, which follows the word in the text;
    /// [`STEM_IS_WORD`] when the stem is the word itself.
    stem_len: u16,
    stop: bool,
}

/// [`ProbeSlot::stem_len`] of a word that is its own stem.
const STEM_IS_WORD: u16 = u16::MAX;

impl ProbeTable {
    /// A table of `entries` (word, product word, stop flag), with each
    /// word's stem by `stemmer`.
    fn build(entries: &[(&str, WordId, bool)], stemmer: &Stemmer) -> ProbeTable {
        let capacity = (entries.len() * 2).next_power_of_two().max(2);
        let mut table = ProbeTable {
            slots: vec![ProbeSlot::default(); capacity],
            text: String::new(),
            shift: 64 - capacity.trailing_zeros(),
            signals: Vec::new(),
        };
        for &(word, id, stop) in entries {
            if word.is_empty() {
                continue;
            }
            let key = word_key(word.as_bytes());
            let start = table.text.len();
            table.text.push_str(word);
            let stem_len = match stemmer.stem(word) {
                stem if stem == word => STEM_IS_WORD,
                // Longer than a slot holds: the analyzer stems it itself.
                stem if stem.len() >= usize::from(STEM_IS_WORD) => STEM_IS_WORD - 1,
                stem => {
                    table.text.push_str(&stem);
                    stem.len() as u16
                }
            };
            let slot = ProbeSlot {
                key,
                start: start as u32,
                len: word.len() as u32,
                word: id,
                stem_len,
                stop,
            };
            let mask = capacity - 1;
            let mut i = table.home(key);
            while table.slots[i].len != 0 {
                i = (i + 1) & mask;
            }
            table.slots[i] = slot;
        }
        table
    }

    /// Sets each word's [`ProbeSlot::signal`] to `known(word, stem)`; a
    /// word whose stem the table does not hold keeps
    /// [`KnownWord::NONE`].
    fn attach_signals(&mut self, known: impl Fn(&str, &str) -> KnownWord) {
        let signals = self
            .slots
            .iter()
            .map(|slot| {
                let (start, end) = (slot.start as usize, (slot.start + slot.len) as usize);
                let word = self.text.get(start..end).filter(|_| slot.len != 0);
                let stem = match self.stem_of(slot) {
                    KnownStem::Word => word,
                    KnownStem::Other(stem) => Some(stem),
                    KnownStem::Unknown => None,
                };
                match (word, stem) {
                    (Some(word), Some(stem)) => known(word, stem),
                    _ => KnownWord::NONE,
                }
            })
            .collect();
        self.signals = signals;
    }

    /// The word's stem, as the slot knows it.
    fn stem_of(&self, slot: &ProbeSlot) -> KnownStem<'_> {
        let stem_start = (slot.start + slot.len) as usize;
        match slot.stem_len {
            STEM_IS_WORD => KnownStem::Word,
            len if len == STEM_IS_WORD - 1 => KnownStem::Unknown,
            len => self
                .text
                .get(stem_start..stem_start + usize::from(len))
                .map_or(KnownStem::Unknown, KnownStem::Other),
        }
    }

    /// The first slot to look at: a multiplicative hash of the key, top
    /// bits (the key of a short word is its bytes, not yet mixed). Only for
    /// a built table (at least two slots).
    fn home(&self, key: u64) -> usize {
        (key.wrapping_mul(0x9e37_79b9_7f4a_7c15) >> self.shift) as usize
    }

    #[inline]
    fn get(&self, folded: &[u8], key: u64) -> Option<&ProbeSlot> {
        self.slots.get(self.find(folded, key)?)
    }

    /// The index of the slot of a word, if the table holds it.
    #[inline]
    fn find(&self, folded: &[u8], key: u64) -> Option<usize> {
        let mask = self.slots.len().checked_sub(1)?;
        let mut i = self.home(key);
        loop {
            let slot = self.slots.get(i)?;
            if slot.len == 0 {
                return None;
            }
            // Equal keys of words of up to eight bytes are equal words.
            if slot.key == key
                && slot.len as usize == folded.len()
                && (folded.len() <= 8
                    || self
                        .text
                        .as_bytes()
                        .get(slot.start as usize..(slot.start + slot.len) as usize)
                        == Some(folded))
            {
                return Some(i);
            }
            i = (i + 1) & mask;
        }
    }
}

/// A ticket word mapped to a term.
#[derive(Debug, Clone, Copy, PartialEq)]
pub(crate) struct Mapped {
    pub term: TermId,
    pub how: How,
    pub stop: bool,
    /// Index of the first and one past the last token it covers.
    pub tokens: (u32, u32),
    /// The product word it is, or [`NO_WORD`].
    pub word: WordId,
}

impl Vocabulary {
    pub fn len(&self) -> usize {
        self.text.len()
    }

    pub fn is_stop(&self, term: TermId) -> bool {
        self.stop[term as usize]
    }

    pub fn is_evidential(&self, term: TermId) -> bool {
        self.evidential[term as usize]
    }

    pub fn word_count(&self) -> usize {
        self.words.len()
    }

    pub fn word(&self, word: WordId) -> WordInfo {
        self.words[word as usize]
    }

    /// The hash of product word `word`'s folded form, `None` for
    /// [`NO_WORD`].
    pub fn word_hash(&self, word: WordId) -> Option<u64> {
        self.word_hashes.get(word as usize).copied()
    }

    pub fn word_grams(&self, word: WordId) -> &[TermId] {
        let info = self.words[word as usize];
        &self.word_grams[info.grams.0 as usize..info.grams.1 as usize]
    }

    /// Interns a product token (compile time): its stem, and the word with
    /// its n-grams. Returns the stem term.
    pub fn intern(&mut self, token: &Token<'_>) -> TermId {
        let term = match self.stems.get(token.stem) {
            Some(&term) => {
                if !token.stop {
                    self.stop[term as usize] = false;
                    self.evidential[term as usize] = token.stem.chars().nth(1).is_some();
                }
                term
            }
            None => {
                let term = self.text.len() as TermId;
                self.stems.insert(token.stem.into(), term);
                self.stop.push(token.stop);
                self.evidential
                    .push(!token.stop && token.stem.chars().nth(1).is_some());
                self.text.push(token.stem.into());
                term
            }
        };
        if !self.surface.contains_key(token.folded) {
            let mut hashes = Vec::new();
            gram_hashes(token.folded, &mut hashes);
            let start = self.word_grams.len() as u32;
            for h in hashes {
                let gram = self.intern_gram(h);
                self.word_grams.push(gram);
            }
            let word = self.words.len() as WordId;
            self.words.push(WordInfo {
                stem: term,
                grams: (start, self.word_grams.len() as u32),
            });
            self.word_hashes.push(super::index::word_hash(token.folded));
            self.surface.insert(token.folded.into(), word);
        }
        term
    }

    /// Interns a character n-gram term (compile time).
    fn intern_gram(&mut self, hash: u64) -> TermId {
        if let Some(&term) = self.grams.get(&hash) {
            return term;
        }
        let term = self.text.len() as TermId;
        self.grams.insert(hash, term);
        self.stop.push(false);
        self.evidential.push(false);
        self.text.push("".into());
        term
    }

    /// The n-gram terms of a word the product does not use (tag time): only
    /// those the product knows.
    pub fn grams_of(&self, folded: &str, hashes: &mut Vec<u64>, out: &mut Vec<TermId>) {
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
        let mut words: Vec<(&Box<str>, TermId)> = self
            .surface
            .iter()
            .map(|(w, &id)| (w, self.words[id as usize].stem))
            .collect();
        words.sort();
        for (word, term) in words {
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

    /// Lets a word typed with German umlauts spelt out ("ue" for "ü") meet
    /// the product's stems (see [`Vocabulary::lookup_bare`]).
    pub fn forgive_umlaut_spellings(&mut self) {
        self.umlaut_spellings = true;
    }

    /// Lets an unknown ticket word meet the product through the parts it is
    /// compounded of (see [`Vocabulary::lookup_compound`]).
    pub fn split_compounds(&mut self) {
        self.compounds = true;
        self.index_compound_starts();
        self.index_compound_parts();
    }

    /// Fills [`Vocabulary::parts`]: every beginning and ending of at least
    /// [`PART_MIN_CHARS`] chars of an evidential product stem that leaves
    /// at least [`COMPOUND_MIN_MODIFIER`] chars beside it and is no product
    /// stem itself. A part two stems share goes to the stem of the lower
    /// term (product order), so the map does not depend on hashing.
    fn index_compound_parts(&mut self) {
        let mut stems: Vec<(&str, TermId)> = self
            .stems
            .iter()
            .filter(|&(_, &term)| self.evidential[term as usize])
            .map(|(stem, &term)| (&**stem, term))
            .collect();
        stems.sort_unstable_by_key(|&(stem, term)| (term, stem));
        let mut parts: HashMap<Box<str>, TermId, BuildFnv> = HashMap::default();
        for (stem, term) in stems {
            let bounds: Vec<usize> = stem.char_indices().map(|(at, _)| at).collect();
            let chars = bounds.len();
            if !(PART_MIN_CHARS + COMPOUND_MIN_MODIFIER..=40).contains(&chars) {
                continue;
            }
            let beginnings =
                (PART_MIN_CHARS..=chars - COMPOUND_MIN_MODIFIER).map(|k| &stem[..bounds[k]]);
            let endings =
                (COMPOUND_MIN_MODIFIER..=chars - PART_MIN_CHARS).map(|k| &stem[bounds[k]..]);
            for part in beginnings.chain(endings) {
                if !self.stems.contains_key(part) {
                    parts.entry(part.into()).or_insert(term);
                }
            }
        }
        self.parts = parts;
    }

    /// The term of the product compound that `stem` (an unknown ticket
    /// word's stem) begins or ends: "Erstattung" meets "Rückerstattung",
    /// "Größe" meets "Größenberatung". Compounding languages only.
    pub fn lookup_part(&self, stem: &str) -> Option<TermId> {
        self.parts.get(stem).copied()
    }

    /// Lets an unknown katakana ticket word meet the product's katakana
    /// words it is compounded of, in any language: Japanese writes its
    /// loanword compounds as one word, which UAX #29 keeps whole
    /// ("オンラインチェックイン" meets "チェックイン"). Nothing to do for a
    /// product without a katakana word, or one that splits every word.
    pub fn split_katakana_compounds(&mut self) {
        let has_katakana = self.surface.keys().any(|w| is_katakana(w));
        if has_katakana && !self.compounds {
            self.katakana_compounds = true;
            self.index_compound_starts();
        }
    }

    /// Keys [`Vocabulary::compound_starts`] by the product's evidential
    /// words and stems.
    fn index_compound_starts(&mut self) {
        let mut starts = vec![0u64; COMPOUND_START_BITS / 64];
        // Only words that can carry a match: parts must.
        let surfaces = self
            .surface
            .iter()
            .map(|(w, &id)| (w, self.words[id as usize].stem));
        let stems = self.stems.iter().map(|(w, &term)| (w, term));
        for (word, term) in surfaces.chain(stems) {
            if !self.evidential[term as usize] {
                continue;
            }
            let chars = word.chars().count();
            if chars >= COMPOUND_MIN_MODIFIER {
                let bit = compound_start(word, chars.min(COMPOUND_START_CHARS));
                starts[bit / 64] |= 1 << (bit % 64);
                self.short_starts |= chars < COMPOUND_START_CHARS;
            }
        }
        self.compound_starts = starts;
    }

    /// Whether some product word or stem starts with `four`, the first
    /// [`COMPOUND_START_CHARS`] chars of a part (or, if the product has
    /// shorter words, with `three`, its first [`COMPOUND_MIN_MODIFIER`]).
    fn may_start_part(&self, four: &str, three: &str) -> bool {
        let has = |start: &str| {
            let bit = start_bit(start);
            self.compound_starts
                .get(bit / 64)
                .is_some_and(|w| w >> (bit % 64) & 1 == 1)
        };
        has(four) || (self.short_starts && has(three))
    }

    /// Builds the index of product stems without their diacritics (compile
    /// time, after all interning): a stem that is a product stem as it
    /// stands is not entered again.
    pub fn build_bare_index(&mut self) {
        let mut stems: Vec<(&str, TermId)> = self.stems.iter().map(|(s, &t)| (&**s, t)).collect();
        // Term order: of two stems that strip alike, the first one interned wins.
        stems.sort_unstable_by_key(|&(_, term)| term);
        let mut bare = String::new();
        for (stem, term) in stems {
            bare.clear();
            if self.stop[term as usize]
                || !forgiven_form(stem, &mut bare)
                || self.stems.contains_key(bare.as_str())
            {
                continue;
            }
            self.bare_stems.entry(bare.as_str().into()).or_insert(term);
        }
    }

    /// The product term whose stem equals `stem` once both lose their
    /// diacritics, or (German) once `stem`'s spelt-out umlauts are folded,
    /// if any ([`forgiving_lookup`]).
    /// Out of line: only words the product does not know get here.
    #[inline(never)]
    pub fn lookup_bare(&self, stem: &str) -> Option<TermId> {
        forgiving_lookup(
            stem,
            self.umlaut_spellings,
            |k| self.stems.get(k).copied(),
            |k| self.bare_stems.get(k).copied(),
        )
    }

    /// Builds the probe table of every product word and stop word (compile
    /// time, after all interning).
    pub fn build_probe(&mut self, stop_words: &StopWords, stemmer: &Stemmer) {
        let mut entries: Vec<(&str, WordId, bool)> = self
            .surface
            .iter()
            .map(|(w, &id)| (&**w, id, stop_words.contains(w)))
            .collect();
        entries.extend(
            stop_words
                .iter()
                .filter(|w| !self.surface.contains_key(*w))
                .map(|w| (w, NO_WORD, true)),
        );
        // A fixed order, so the table is the same on every run.
        entries.sort_unstable();
        self.probe = ProbeTable::build(&entries, stemmer);
        self.memo_id = NEXT_MEMO_ID.fetch_add(1, Ordering::Relaxed);
    }

    /// The product word (or [`NO_WORD`]) and stop flag of a folded word,
    /// given its [`word_key`]: one probe. Its stop flag is that of the stop
    /// words given to [`Vocabulary::build_probe`].
    #[inline]
    pub fn probe(&self, folded: &[u8], key: u64) -> (WordId, bool) {
        self.probe
            .get(folded, key)
            .map_or((NO_WORD, false), |slot| (slot.word, slot.stop))
    }

    /// [`Vocabulary::probe`], the word's stem by the stemmer given to
    /// [`Vocabulary::build_probe`] if the table holds the word (the
    /// stemming analysis that signals read then stems only the words
    /// neither the product nor the stop list has), and what the signals
    /// make of the word ([`Vocabulary::attach_signals`];
    /// [`KnownWord::NONE`] for a word the table does not hold).
    #[inline]
    pub fn probe_for_signals(
        &self,
        folded: &[u8],
        key: u64,
    ) -> (WordId, bool, KnownStem<'_>, KnownWord) {
        let probe = &self.probe;
        match probe
            .find(folded, key)
            .and_then(|i| Some((probe.slots.get(i)?, i)))
        {
            Some((slot, i)) => (
                slot.word,
                slot.stop,
                probe.stem_of(slot),
                probe.signals.get(i).copied().unwrap_or(KnownWord::NONE),
            ),
            None => (NO_WORD, false, KnownStem::Unknown, KnownWord::NONE),
        }
    }

    /// Works out once, for each word of the probe table, what `known`
    /// (the tagger's signals' [`Signals::known_word`](crate::Signals))
    /// makes of it from its folded form and stem, so that a ticket's
    /// tokens bring it to the signals without a lookup of their own.
    pub fn attach_signals(&mut self, known: impl Fn(&str, &str) -> KnownWord) {
        self.probe.attach_signals(known);
    }

    /// The term of a folded word that the product knows, if any, without
    /// stemming.
    pub fn lookup_surface(&self, folded: &str) -> Option<WordId> {
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
                // A short word is a typo of a product word only with its
                // first letter as typed (writers rarely miss the first
                // letter, and short words a letter apart abound: "print" is
                // not "sprint") and, one letter replaced, a neighbouring key.
                if chars < FUZZY_ANY_SUBSTITUTION_CHARS
                    && (folded.chars().next() != word.chars().next()
                        || distance == 1 && !slip_of_the_finger(folded, word))
                {
                    continue;
                }
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

    /// The product terms of the parts of a compound word (languages that
    /// write compounds as one word): `[modifier, head]`. The head is the
    /// longest ending of `folded` that is a product word, as written, as a
    /// product stem or by its stem ("Paket|lieferung" meets "Lieferung"),
    /// and the modifier what comes before it, a product word or stem as
    /// written, a linking element dropped if need be ("Kreditkarten|zahlung"
    /// meets "Kreditkarte"). With no head known, the longest beginning of at least
    /// five chars that is known and leaves four is the modifier alone
    /// ("Passwort|änderung"). Out of line: only unknown content words get
    /// here. At most a few lookups per char of the word, which is at most 40
    /// chars, and a stem for a head only where a product word starts as it
    /// does.
    #[inline(never)]
    pub fn lookup_compound(&self, stemmer: &Stemmer, folded: &str) -> [Option<TermId>; 2] {
        // Byte offset of each char, and the end: one pass over the word.
        let mut bounds = [0usize; 42];
        let mut chars = 0;
        for (at, c) in folded.char_indices() {
            if chars == 40 || !c.is_alphabetic() {
                return [None, None];
            }
            bounds[chars] = at;
            chars += 1;
        }
        bounds[chars] = folded.len();
        if chars < COMPOUND_MIN_CHARS {
            return [None, None];
        }
        // Whether a product word or stem starts as the part from char `k` on.
        let may_start = |k: usize| {
            let start = |n: usize| &folded[bounds[k]..bounds[(k + n).min(chars)]];
            self.may_start_part(start(COMPOUND_START_CHARS), start(COMPOUND_MIN_MODIFIER))
        };
        // Every modifier starts as the word does.
        let modifiers = may_start(0);
        // Longest head first.
        let heads = bounds[..=chars - COMPOUND_MIN_HEAD].iter().enumerate();
        for (k, &at) in heads.skip(COMPOUND_MIN_MODIFIER) {
            if !may_start(k) {
                continue;
            }
            let Some(head) = self.part_term(stemmer, &folded[at..]) else {
                continue;
            };
            let modifier = modifiers
                .then(|| self.modifier_term(&folded[..at]))
                .flatten();
            if modifier.is_some() || chars - k >= COMPOUND_SURE_HEAD {
                return [modifier.filter(|&m| m != head), Some(head)];
            }
        }
        if !modifiers {
            return [None, None];
        }
        // No head: the longest modifier.
        let modifier = (COMPOUND_LONE_MODIFIER..=chars - COMPOUND_MIN_HEAD)
            .rev()
            .find_map(|k| self.modifier_term(&folded[..bounds[k]]));
        [modifier, None]
    }

    /// The term of `part` as written: a product word, else a product stem.
    fn written_term(&self, part: &str) -> Option<TermId> {
        match self.lookup_surface(part) {
            Some(word) => Some(self.words[word as usize].stem),
            None => self.lookup_stem(part),
        }
    }

    /// The evidential product term of a compound's part: a product word as
    /// written, a product stem as written, or a word whose stem is one.
    fn part_term(&self, stemmer: &Stemmer, part: &str) -> Option<TermId> {
        // Uncached stemming: parts are rarely words, and would crowd the
        // per-thread cache out.
        let term = self
            .written_term(part)
            .or_else(|| self.lookup_stem(&stemmer.stem(part)))?;
        self.evidential[term as usize].then_some(term)
    }

    /// The evidential product term of a modifier: a product word or stem as
    /// written (in German also without its umlauts, as the stemmer drops
    /// them), else the same without a linking element. Not stemmed: an
    /// inflected modifier ("Kreditkarten") meets its word through a shorter
    /// split or a dropped link, and a lookup costs far less than a stem for
    /// each of a long word's splits.
    fn modifier_term(&self, modifier: &str) -> Option<TermId> {
        let known = |part: &str| {
            let term = self.written_term(part).or_else(|| {
                let mut plain = String::new();
                (self.umlaut_spellings && strip_diacritics(part, &mut plain))
                    .then(|| self.lookup_stem(&plain))
                    .flatten()
            })?;
            self.evidential[term as usize].then_some(term)
        };
        known(modifier).or_else(|| {
            COMPOUND_LINKS.iter().find_map(|link| {
                let bare = modifier.strip_suffix(link)?;
                (bare.chars().count() >= COMPOUND_MIN_MODIFIER)
                    .then(|| known(bare))
                    .flatten()
            })
        })
    }

    /// The product term of the plain adjective of a Spanish, Portuguese or
    /// Italian absolute superlative ("lentísima" -> "lento"), if the
    /// product knows it. Out of line: only words the product does not know
    /// get here, and most fail the superlative's suffix test at once.
    #[inline(never)]
    fn lookup_superlative(&self, analyzer: &Analyzer, folded: &str) -> Option<TermId> {
        let plain = superlative::plain_form(analyzer.language(), folded)?;
        self.lookup_stem(&analyzer.stemmer().stem(&plain))
    }

    /// The stem of the longest product word that begins `folded` and covers
    /// most of it: suffixes the stemmer does not strip ("lösenordet",
    /// "faturalar", compounds) still meet their word. At most one lookup per
    /// char of the word.
    pub fn lookup_prefix(&self, folded: &str) -> Option<TermId> {
        let chars = folded.chars().count();
        if !(PREFIX_MIN_CHARS + 1..=40).contains(&chars) || folded.chars().any(|c| c.is_numeric()) {
            return None;
        }
        let min_chars = PREFIX_MIN_CHARS.max((chars * 3).div_ceil(5));
        // Every char boundary after the first `min_chars` chars, longest
        // prefix first.
        let ends = folded.char_indices().map(|(i, _)| i).rev();
        ends.take(chars.saturating_sub(min_chars)).find_map(|end| {
            let word = self.lookup_surface(&folded[..end])?;
            let term = self.words[word as usize].stem;
            self.evidential[term as usize].then_some(term)
        })
    }

    /// Maps the first `ids.len()` tokens of an analysis to terms (tag
    /// time). The analysis was made by [`Analyzer::analyze_with_lookup`]
    /// with [`Vocabulary::probe`] or [`Vocabulary::probe_for_signals`]: `ids`
    /// are the tokens' product words (or [`NO_WORD`]), so known words need
    /// no second lookup. Tokens the product does not know are left out;
    /// synonyms are resolved to their canonical term. `stemmed` says that
    /// each token's `stem` is already its stem (by this vocabulary's
    /// stemmer); otherwise unknown words are stemmed here, into `stem`
    /// (the caller's buffer, kept between tickets so that no word
    /// allocates).
    pub fn map_probed(
        &self,
        analyzer: &Analyzer,
        analysis: &Analysis,
        ids: &[WordId],
        stemmed: bool,
        (out, stem): (&mut Vec<Mapped>, &mut String),
    ) {
        out.clear();
        for (i, &word) in ids.iter().enumerate() {
            let tokens = (i as u32, i as u32 + 1);
            if let Some(info) = self.words.get(word as usize) {
                out.push(Mapped {
                    term: info.stem,
                    how: How::Exact,
                    stop: analysis.is_stop(i),
                    tokens,
                    word,
                });
                continue;
            }
            let token = analysis.get(i);
            self.map_unknown(analyzer, &token, tokens, stemmed, stem, out);
        }
        self.resolve_synonyms(out);
    }

    /// Maps a token that is not a product word as written
    /// ([`Vocabulary::map_unmemoised`]), through a per-thread memo of the
    /// words met before: ticket words repeat, and the typo, compound and
    /// prefix searches cost hundreds of instructions a word. The memo
    /// holds the same answer the search gives (it is a pure function of the
    /// vocabulary, the word and its stop flag), so the output is the same.
    #[inline(never)]
    fn map_unknown(
        &self,
        analyzer: &Analyzer,
        token: &Token<'_>,
        tokens: (u32, u32),
        stemmed: bool,
        buffer: &mut String,
        out: &mut Vec<Mapped>,
    ) {
        let word = token.folded.as_bytes();
        if self.memo_id == 0 || word.len() > MAX_CACHED_BYTES {
            return self.map_unmemoised(analyzer, token, tokens, stemmed, buffer, out);
        }
        let key = CacheKey::of(word, analyzer.language());
        let slot = key.set() % MEMO_SLOTS;
        let remembered = UNKNOWN_WORDS.with(|memo| {
            let memo = memo.borrow();
            memo.get(slot)
                .filter(|m| m.vocab == self.memo_id && m.word == key && m.stop == token.stop)
                .map(|m| m.found)
        });
        if let Some(found) = remembered {
            out.extend(found.into_iter().flatten().map(|(term, how)| Mapped {
                term,
                how,
                stop: token.stop,
                tokens,
                word: NO_WORD,
            }));
            return;
        }
        let start = out.len();
        self.map_unmemoised(analyzer, token, tokens, stemmed, buffer, out);
        let mut found = [None; 2];
        if out.len() - start > found.len() {
            return;
        }
        for (f, m) in found.iter_mut().zip(&out[start..]) {
            *f = Some((m.term, m.how));
        }
        UNKNOWN_WORDS.with(|memo| {
            let mut memo = memo.borrow_mut();
            if memo.is_empty() {
                memo.resize(MEMO_SLOTS, MemoSlot::default());
            }
            if let Some(m) = memo.get_mut(slot) {
                *m = MemoSlot {
                    vocab: self.memo_id,
                    word: key,
                    stop: token.stop,
                    found,
                };
            }
        });
    }

    /// Maps a token that is not a product word as written: by stem, else
    /// (content words only) by the stem of the adjective of a superlative,
    /// by stem without diacritics, typo, the parts of
    /// a compound (two entries, one a part) or a prefix (none of these for a
    /// pair of Thai, Lao, Khmer or Myanmar letters). Pushes nothing when
    /// none meets the product.
    fn map_unmemoised(
        &self,
        analyzer: &Analyzer,
        token: &Token<'_>,
        tokens: (u32, u32),
        stemmed: bool,
        buffer: &mut String,
        out: &mut Vec<Mapped>,
    ) {
        let stem = if stemmed {
            token.stem
        } else {
            buffer.clear();
            analyzer.stemmer().stem_into(token.folded, buffer);
            buffer
        };
        let mut push = |term, how| {
            out.push(Mapped {
                term,
                how,
                stop: token.stop,
                tokens,
                word: NO_WORD,
            })
        };
        if let Some(term) = self.lookup_stem(stem) {
            // A stop word meets a content word only as written: German
            // "waren" (were) is not "Ware" (goods).
            if !token.stop || self.stop[term as usize] {
                push(term, How::Stem);
            }
            return;
        }
        // A pair of Thai, Lao, Khmer or Myanmar letters is no word: no
        // typo, compound or prefix of one (see `words`).
        if token.stop || starts_in_spaceless_script(token.folded) {
            return;
        }
        if let Some(term) = self.lookup_superlative(analyzer, token.folded) {
            return push(term, How::Stem);
        }
        if let Some(term) = self
            .lookup_bare(stem)
            .or_else(|| self.lookup_fuzzy(token.folded))
        {
            return push(term, How::Fuzzy);
        }
        if self.compounds || (self.katakana_compounds && is_katakana(token.folded)) {
            let parts = self.lookup_compound(analyzer.stemmer(), token.folded);
            if parts.iter().any(Option::is_some) {
                parts
                    .into_iter()
                    .flatten()
                    .for_each(|term| push(term, How::Compound));
                return;
            }
        }
        if let Some(term) = self.lookup_prefix(token.folded) {
            return push(term, How::Fuzzy);
        }
        if let Some(term) = self.lookup_part(stem) {
            push(term, How::Compound);
        }
    }

    /// Replaces synonym members (single terms and phrases) by their canonical
    /// term, in place.
    pub fn resolve_synonyms(&self, mapped: &mut Vec<Mapped>) {
        if self.synonym_of.is_empty() && self.synonym_phrases.is_empty() {
            return;
        }
        // In place: a phrase shrinks to one entry, so the write position
        // never passes the read position.
        let mut write = 0;
        let mut i = 0;
        // The tokens of the entry read last: a compound's parts share theirs.
        let mut previous = None;
        while i < mapped.len() {
            let first = mapped[i];
            let phrase = self.synonym_phrases.get(&first.term).and_then(|phrases| {
                phrases.iter().find(|(rest, _)| {
                    rest.len() < mapped.len() - i
                        && rest.iter().enumerate().all(|(k, &t)| {
                            let next = mapped[i + 1 + k];
                            next.term == t && next.tokens.0 == first.tokens.0 + 1 + k as u32
                        })
                        // Whole words only: a phrase that took one part of
                        // a compound would leave the other overlapping it.
                        && previous != Some(first.tokens)
                        && mapped.get(i + 1 + rest.len()).is_none_or(|after| {
                            after.tokens != mapped[i + rest.len()].tokens
                        })
                })
            });
            let (entry, consumed) = match phrase {
                Some((rest, canonical)) => (
                    Mapped {
                        term: *canonical,
                        how: How::Synonym,
                        stop: false,
                        tokens: (first.tokens.0, mapped[i + rest.len()].tokens.1),
                        word: NO_WORD,
                    },
                    rest.len() + 1,
                ),
                None => match self.synonym_of.get(&first.term) {
                    Some(&canonical) => (
                        Mapped {
                            term: canonical,
                            how: How::Synonym,
                            word: NO_WORD,
                            ..first
                        },
                        1,
                    ),
                    None => (first, 1),
                },
            };
            previous = Some(mapped[i + consumed - 1].tokens);
            mapped[write] = entry;
            write += 1;
            i += consumed;
        }
        mapped.truncate(write);
    }

    /// Approximate heap bytes.
    pub fn memory_usage(&self) -> usize {
        let strings: usize = self.stems.keys().map(|k| k.len() + 40).sum::<usize>()
            + self.bare_stems.keys().map(|k| k.len() + 40).sum::<usize>()
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
        strings
            + self.stop.len()
            + self.evidential.len()
            + self.word_hashes.len() * 8
            + self.probe.slots.len() * std::mem::size_of::<ProbeSlot>()
            + self.probe.signals.len() * std::mem::size_of::<KnownWord>()
            + self.probe.text.len()
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
    if folded.is_ascii() && folded.len() <= 64 {
        // Bytes are chars: the same windows and hashes, without a buffer
        // of chars on the heap.
        let mut bytes = [0u8; 66];
        let n = folded.len() + 2;
        bytes[0] = b'<';
        bytes[1..n - 1].copy_from_slice(folded.as_bytes());
        bytes[n - 1] = b'>';
        for k in [3usize, 4] {
            for window in bytes[..n].windows(k) {
                out.push(fnv1a(FNV_OFFSET ^ k as u64, window.iter().copied()));
            }
        }
        return;
    }
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

/// Whether a word is written in katakana alone (with its prolonged sound
/// mark and middle dot; half-width forms too).
fn is_katakana(word: &str) -> bool {
    !word.is_empty()
        && word.chars().all(|c| {
            matches!(c, '\u{30A0}'..='\u{30FF}' | '\u{31F0}'..='\u{31FF}' | '\u{FF66}'..='\u{FF9F}')
        })
}

/// Bits of [`Vocabulary::compound_starts`].
const COMPOUND_START_BITS: usize = 1 << 16;

/// Chars of a word's start keyed in [`Vocabulary::compound_starts`].
const COMPOUND_START_CHARS: usize = 4;

/// The bit of a word's first `chars` chars (or all of a shorter word) among
/// [`COMPOUND_START_BITS`].
fn compound_start(word: &str, chars: usize) -> usize {
    let end = word
        .char_indices()
        .nth(chars)
        .map_or(word.len(), |(i, _)| i);
    start_bit(&word[..end])
}

/// The bit of a word's start, already cut, among [`COMPOUND_START_BITS`].
fn start_bit(start: &str) -> usize {
    fnv1a(FNV_OFFSET, start.bytes()) as usize % COMPOUND_START_BITS
}

/// Keyboard rows of QWERTY, QWERTZ and AZERTY, the layouts of the
/// languages with built-in word lists.
const KEYBOARD_ROWS: [[&str; 3]; 3] = [
    ["qwertyuiop", "asdfghjkl", "zxcvbnm"],
    ["qwertzuiop", "asdfghjkl", "yxcvbnm"],
    ["azertyuiop", "qsdfghjklm", "wxcvbn"],
];

/// Whether `typed` and `word`, one edit apart, are not one replaced letter,
/// or are one replaced by a neighbouring key of a common layout (a letter
/// outside ASCII, an accent typed or not, always counts as a slip).
fn slip_of_the_finger(typed: &str, word: &str) -> bool {
    if typed.chars().count() != word.chars().count() {
        return true;
    }
    let mut differ = typed.chars().zip(word.chars()).filter(|(a, b)| a != b);
    let (Some((a, b)), None) = (differ.next(), differ.next()) else {
        // A transposition: two letters differ.
        return true;
    };
    if !a.is_ascii_lowercase() || !b.is_ascii_lowercase() {
        return true;
    }
    KEYBOARD_ROWS.iter().any(|rows| {
        let at = |c: char| {
            rows.iter()
                .enumerate()
                .find_map(|(r, row)| row.find(c).map(|i| (r as isize, i as isize)))
        };
        let (Some((ra, ia)), Some((rb, ib))) = (at(a), at(b)) else {
            return false;
        };
        // Rows are staggered: a key touches the keys beside it, the two
        // above it (same index and one to the right) and the two below
        // (same index and one to the left).
        match rb - ra {
            0 => (ia - ib).abs() == 1,
            -1 => ib == ia || ib == ia + 1,
            1 => ib == ia || ib == ia - 1,
            _ => false,
        }
    })
}
