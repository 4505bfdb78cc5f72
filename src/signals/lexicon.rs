//! The one matching mechanism behind needs, kinds and sentiment: phrases
//! compiled to word keys, found in a ticket's token stream in one pass.

use crate::analysis::fold::{
    fold_umlaut_spellings, forgiven_form, forgiving_lookup, strip_diacritics,
};
use crate::analysis::{Analysis, Analyzer, Language};
use crate::span::Span;
use crate::tagged::{Evidence, Field, How, Name, Source};

/// The key of English "not" and of every `n't` contraction.
pub(crate) const NOT: &str = "not";

/// Whether a case-folded English word is a contraction of "not"
/// ("doesn't", "cant", "cannot"), so that "doesn't work" and "does not
/// work" meet on the key `not`.
fn is_not_contraction(folded: &str) -> bool {
    // Every form ends in `t`: one byte rules out most words.
    if folded.as_bytes().last() != Some(&b't') {
        return false;
    }
    folded.ends_with("n't")
        || matches!(
            folded,
            "cannot"
                | "dont"
                | "doesnt"
                | "didnt"
                | "cant"
                | "wont"
                | "isnt"
                | "arent"
                | "wasnt"
                | "werent"
                | "havent"
                | "hasnt"
                | "hadnt"
                | "couldnt"
                | "wouldnt"
                | "shouldnt"
                | "aint"
        )
}

/// Whether a key is one letter or all digits ([`Tok::weak`]). Most keys
/// start with a letter: one byte decides.
#[inline]
fn is_weak(key: &str) -> bool {
    let bytes = key.as_bytes();
    match bytes {
        [] | [_] => true,
        [first, ..] => first.is_ascii_digit() && bytes.iter().all(u8::is_ascii_digit),
    }
}

/// The matching key of one analysed word: its stem, or `not` for English
/// negative contractions.
pub(crate) fn key_of<'a>(language: Language, folded: &'a str, stem: &'a str) -> &'a str {
    if language == Language::English && is_not_contraction(folded) {
        NOT
    } else {
        stem
    }
}

/// FNV-1a of a word key: the word models' feature of the word, and the
/// vocabulary's lookup hash, computed once per token.
pub(crate) fn hash_key(key: &str) -> u64 {
    crate::hash::fnv1a(crate::hash::FNV_OFFSET, key.bytes())
}

/// The id of a word no lexicon or shifter list knows.
pub(crate) const UNKNOWN: u32 = u32::MAX;
/// The id of the `*` wildcard in a phrase (never a token's id).
pub(crate) const WILDCARD: u32 = u32::MAX - 1;
/// The [`KnownWord::id`] of a word whose id depends on the ticket: the
/// reader looks it up itself.
const LOOK_UP: u32 = u32::MAX - 2;

/// What the signals make of one word, worked out before any ticket is
/// read ([`Vocab::known_word`]): a caller that looks each word of a
/// ticket up in a table of its own (the tagger, which probes every word
/// once for its product word and stop flag) keeps this beside the word
/// and hands it back with the ticket's analysis, so that
/// [`Tokens::push_field`] neither hashes the word nor looks it up again.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct KnownWord {
    /// [`hash_key`] of the word's key.
    hash: u64,
    /// Its id in the [`Vocab`], [`UNKNOWN`], or [`LOOK_UP`].
    id: u32,
    /// [`is_weak`] of the key.
    weak: bool,
}

impl KnownWord {
    /// Nothing known: the reader works the word out itself.
    pub const NONE: KnownWord = KnownWord {
        hash: 0,
        id: LOOK_UP,
        weak: false,
    };
}

impl Default for KnownWord {
    fn default() -> KnownWord {
        KnownWord::NONE
    }
}

/// Every key the lexicons and shifter lists know, interned once when the
/// signals compile, so that a ticket's word is looked up once and the
/// lexicons compare small ids.
///
/// An open-addressing table of (key hash, id), at most half full: a
/// lookup reuses the token's [`hash_key`], probes a slot or two and
/// compares the key once.
#[derive(Debug, Clone, Default)]
pub(crate) struct Vocab {
    /// (tag, id) slots, a power of two of them: the tag is the key hash's
    /// top 32 bits; id [`UNKNOWN`] is empty. Eight bytes a slot, so that
    /// the table stays small in the caches.
    slots: Vec<(u32, u32)>,
    keys: Vec<Box<str>>,
    /// Per id: [`Tok::marks`] bits, what the key is to the readers (a
    /// shifter, the first key of some lexicon's phrase), so that a
    /// ticket's word is tested by one byte its token carries.
    marks: Vec<u8>,
    /// A key with diacritics, without them -> its id (the first id of
    /// equals), so that a customer who types "pesimo" or "telecharge"
    /// meets "pésimo" and "télécharge"; empty when no key has diacritics.
    bare: std::collections::HashMap<Box<str>, u32, crate::hash::BuildFnv>,
    /// German: a word typed with its umlauts spelt out ("ue" for "ü")
    /// meets the key with them ([`fold_umlaut_spellings`]).
    umlaut_spellings: bool,
}

/// A key hash's tag in the [`Vocab`]'s slots.
fn vocab_tag(h: u64) -> u32 {
    (h >> 32) as u32
}

impl Vocab {
    /// The id of `key`, added if new.
    pub fn intern(&mut self, key: &str) -> u32 {
        if key == "*" {
            return WILDCARD;
        }
        let h = hash_key(key);
        if let Some(id) = self.get(key, h) {
            return id;
        }
        let id = self.keys.len() as u32;
        self.keys.push(key.into());
        if self.keys.len() * 2 > self.slots.len() {
            let size = (self.keys.len() * 4).next_power_of_two().max(16);
            self.slots = vec![(0, UNKNOWN); size];
            for (i, k) in self.keys.iter().enumerate() {
                let h = hash_key(k);
                let slot = self.free_slot(h);
                self.slots[slot] = (vocab_tag(h), i as u32);
            }
        } else {
            let slot = self.free_slot(h);
            self.slots[slot] = (vocab_tag(h), id);
        }
        id
    }

    /// Indexes the keys with diacritics by their form without them (once,
    /// after the last [`Vocab::intern`]): a key that is a key as it stands
    /// is not entered again.
    pub fn index_bare_keys(&mut self) {
        let mut bare = String::new();
        for (id, key) in self.keys.iter().enumerate() {
            bare.clear();
            if !forgiven_form(key, &mut bare) || self.get(&bare, hash_key(&bare)).is_some() {
                continue;
            }
            self.bare.entry(bare.as_str().into()).or_insert(id as u32);
        }
    }

    /// Lets a word typed with German umlauts spelt out ("ue" for "ü")
    /// meet its key (see [`Vocab::get_bare`]).
    pub fn forgive_umlaut_spellings(&mut self) {
        self.umlaut_spellings = true;
    }

    /// Whether an all-ASCII word the vocabulary does not know may still
    /// meet a key ([`Vocab::get_bare`]): some key has diacritics, or
    /// umlauts may be spelt out.
    pub fn has_bare_keys(&self) -> bool {
        !self.bare.is_empty() || self.umlaut_spellings
    }

    /// The id of the key that equals `key` once both lose the diacritics
    /// of their Latin letters, or (German) once `key`'s spelt-out umlauts
    /// are folded, for a key [`Vocab::get`] does not know
    /// ([`forgiving_lookup`]). Out of line: the hot loop calls it only for
    /// unknown words of a ticket that may need it.
    #[inline(never)]
    pub fn get_bare(&self, key: &str) -> Option<u32> {
        forgiving_lookup(
            key,
            self.umlaut_spellings,
            |k| self.get(k, hash_key(k)),
            |k| self.bare.get(k).copied(),
        )
    }

    /// What a token of the word with this folded form and stem (by an
    /// analyzer of `language`) gets from [`Tokens::push_field`]: its key's
    /// hash, id and weakness; [`KnownWord::NONE`] when its id depends on
    /// the ticket (a key met only without its diacritics, which depends on
    /// whether the text is plain ASCII).
    pub fn known_word(&self, language: Language, folded: &str, stem: &str) -> KnownWord {
        let key = key_of(language, folded, stem);
        match self.word(key, false) {
            known if known.id == UNKNOWN && self.get_bare(key).is_some() => KnownWord::NONE,
            known => known,
        }
    }

    /// A key's hash, id (by its bare form too when `forgive`, else
    /// [`UNKNOWN`] when no key is it) and weakness. Inlined: it runs once a
    /// token on the reading path.
    #[inline(always)]
    pub fn word(&self, key: &str, forgive: bool) -> KnownWord {
        let hash = hash_key(key);
        let id = match self.get(key, hash) {
            Some(id) => id,
            None if forgive => self.get_bare(key).unwrap_or(UNKNOWN),
            None => UNKNOWN,
        };
        KnownWord {
            hash,
            id,
            weak: is_weak(key),
        }
    }

    /// Sets `bits` in the [`Tok::marks`] of the key with this id.
    pub fn mark(&mut self, id: u32, bits: u8) {
        let id = id as usize;
        if self.marks.len() <= id {
            self.marks.resize(id + 1, 0);
        }
        self.marks[id] |= bits;
    }

    /// The [`Vocab::mark`] bits of the key with this id (none for
    /// [`UNKNOWN`]).
    #[inline]
    pub fn marks(&self, id: u32) -> u8 {
        self.marks.get(id as usize).copied().unwrap_or(0)
    }

    fn home(&self, h: u64) -> usize {
        // Fibonacci hashing: the top bits of a multiply spread FNV's
        // weaker low bits.
        let bits = self.slots.len().trailing_zeros();
        (h.wrapping_mul(0x9e37_79b9_7f4a_7c15) >> (64 - bits)) as usize
    }

    fn free_slot(&self, h: u64) -> usize {
        let mask = self.slots.len() - 1;
        let mut i = self.home(h);
        while self.slots[i].1 != UNKNOWN {
            i = (i + 1) & mask;
        }
        i
    }

    /// The id of `key`, whose [`hash_key`] is `h`, if known.
    /// Cost: a probe or two, one comparison of the key.
    #[inline]
    pub fn get(&self, key: &str, h: u64) -> Option<u32> {
        if self.slots.is_empty() {
            return None;
        }
        let mask = self.slots.len() - 1;
        let want = vocab_tag(h);
        let mut i = self.home(h);
        loop {
            let (tag, id) = self.slots[i];
            if id == UNKNOWN {
                return None;
            }
            // Keys are short: compared inline, not through `memcmp`.
            if tag == want
                && self.keys.get(id as usize).is_some_and(|k| {
                    k.len() == key.len() && k.bytes().zip(key.bytes()).all(|(a, b)| a == b)
                })
            {
                return Some(id);
            }
            i = (i + 1) & mask;
        }
    }
}

/// One word of a ticket as the signals see it.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Tok<'a> {
    /// The key is one letter or all digits: the word models skip it (such
    /// words say little and vary much).
    pub weak: bool,
    /// The key's id in the [`Vocab`], or [`UNKNOWN`].
    pub id: u32,
    /// The key's [`Vocab::marks`]: the shifter lists that hold it and the
    /// lexicons with a phrase that starts with it.
    pub marks: u8,
    /// [`hash_key`] of the key.
    pub hash: u64,
    pub folded: &'a str,
    pub span: Span,
    pub field: Field,
    /// Punctuation (or a new field) separates this word from the previous:
    /// negation scopes and boosters do not reach across it.
    pub clause_start: bool,
    /// A sentence end (`.`, `!`, `?`, a line break) comes before this word.
    pub sentence_start: bool,
    /// Written in capitals (at least two letters).
    pub caps: bool,
    /// A stop word of the language.
    pub stop: bool,
}

/// The words of a ticket's subject and body, in that order.
#[derive(Debug, Default)]
pub(crate) struct Tokens<'a> {
    pub toks: Vec<Tok<'a>>,
    /// Whether the whole ticket is written in capitals (then capitals are
    /// not emphasis).
    pub shouting: bool,
    /// Words of two bytes or more so far, for `shouting`.
    letters: usize,
    /// Words in capitals so far, for `shouting`.
    capitals: usize,
    /// The [`Tok::marks`] of all the words, or-ed: which shifter lists and
    /// lexicon starts occur at all.
    pub present: u8,
}

impl<'a> Tokens<'a> {
    /// Appends the words of one field.
    pub fn push_field(
        &mut self,
        vocab: &Vocab,
        language: Language,
        field: Field,
        text: &'a str,
        analysis: &'a Analysis,
    ) {
        self.push_known_field(vocab, language, field, (text, analysis), &[]);
    }

    /// [`Tokens::push_field`], with what is known of the field's words
    /// already, token by token ([`KnownWord`]; may be short or empty: the
    /// rest are worked out here).
    pub fn push_known_field(
        &mut self,
        vocab: &Vocab,
        language: Language,
        field: Field,
        (text, analysis): (&'a str, &'a Analysis),
        known: &[KnownWord],
    ) {
        let mut prev_end = 0;
        let mut first = true;
        let mut letters = 0usize;
        let mut capitals = 0usize;
        let mut present = 0u8;
        self.toks.reserve(analysis.len());
        // Words typed without accents meet keys with them; an all-ASCII
        // text against keys without any needs no second look (most tickets).
        let forgive = vocab.has_bare_keys() || !text.is_ascii();
        let toks = &mut self.toks;
        // One per token, or none: a list of another length is not this
        // analysis's, and is not read.
        let known = if known.len() == analysis.len() {
            known
        } else {
            &[]
        };
        let mut known = known.iter();
        analysis.for_each(|t| {
            let (clause, sentence) = if first {
                (true, true)
            } else {
                gap_breaks(text, prev_end, t.span.start)
            };
            let caps = is_caps(text, t.span.start, t.span.end);
            letters += usize::from(t.folded.len() >= 2);
            capitals += usize::from(caps);
            let KnownWord { hash, id, weak } = match known.next() {
                Some(&k) if k.id != LOOK_UP => k,
                _ => vocab.word(key_of(language, t.folded, t.stem), forgive),
            };
            let marks = vocab.marks(id);
            present |= marks;
            toks.push(Tok {
                weak,
                id,
                marks,
                hash,
                folded: t.folded,
                span: t.span,
                field,
                clause_start: clause,
                sentence_start: sentence,
                caps,
                stop: t.stop,
            });
            prev_end = t.span.end;
            first = false;
        });
        // Over the whole ticket so far (subject and body).
        self.letters += letters;
        self.capitals += capitals;
        self.present |= present;
        self.shouting = self.letters >= 3 && self.capitals * 10 >= self.letters * 8;
    }
}

impl<'a> Tokens<'a> {
    /// No tokens yet, on the allocation of `buffer` (cleared).
    pub fn on(mut buffer: Vec<Tok<'a>>) -> Tokens<'a> {
        buffer.clear();
        Tokens {
            toks: buffer,
            ..Tokens::default()
        }
    }

    /// The tokens `keep` keeps; capitals still count as emphasis or not
    /// as they do in the whole ticket.
    pub fn keeping(&self, keep: impl Fn(&Tok<'a>) -> bool) -> Tokens<'a> {
        Tokens {
            toks: self.toks.iter().filter(|t| keep(t)).copied().collect(),
            shouting: self.shouting,
            letters: self.letters,
            capitals: self.capitals,
            present: self.present,
        }
    }
}

/// An empty vector on the allocation of `v`: a per-thread scratch buffer
/// of borrowed items (here, `Tok<'static>` between tickets, `Tok<'a>`
/// during one) is kept from one call to the next this way, without
/// `unsafe`. The standard library collects in place when the two element
/// types have the same size and alignment (one type under two
/// lifetimes); otherwise it is a fresh vector.
pub(crate) fn recycle<T, U>(mut v: Vec<T>) -> Vec<U> {
    v.clear();
    v.into_iter().filter_map(|_| None).collect()
}

/// Whether `word` spells all but the last two letters of `cue`, the word
/// of a phrase with the same stem: an inflection of it, and not another
/// word the stemmer conflates. A word typed without any diacritics is
/// held against the cue without them ("decu" inflects "déçu"); a word
/// typed with them, as it stands.
/// `cue_ascii` says whether `cue` is plain ASCII (known when the phrase
/// compiled), which rules out the second look.
#[inline]
fn inflects(word: &[u8], cue: &[u8], cue_ascii: bool) -> bool {
    shared_prefix(word, cue) + 2 >= cue.len() || (!cue_ascii && inflects_unaccented(word, cue))
}

/// The most bytes of a cue word, without diacritics, held short by
/// [`inflects_unaccented`].
const SHORT_CUE: usize = 4;

/// [`inflects`] for a word typed without diacritics (or with German
/// umlauts spelt out) against a cue with them: out of line, as it is rare.
/// A word typed shorter than a short cue word ([`SHORT_CUE`] bytes or
/// fewer without diacritics) is not its inflection.
#[cold]
#[inline(never)]
fn inflects_unaccented(word: &[u8], cue: &[u8]) -> bool {
    if !word.is_ascii() || cue.is_ascii() {
        return false;
    }
    let Ok(cue) = std::str::from_utf8(cue) else {
        return false;
    };
    let mut bare_cue = String::new();
    strip_diacritics(cue, &mut bare_cue);
    // A short cue's ending is half of it: a word typed shorter than it
    // is another word ("war", was, is not "wäre", would be).
    let inflected = |word: &[u8]| {
        shared_prefix(word, bare_cue.as_bytes()) + 2 >= bare_cue.len()
            && (bare_cue.len() > SHORT_CUE || word.len() >= bare_cue.len())
    };
    // German umlauts may be spelt out ("stuerzt" inflects "stürzt").
    inflected(word) || {
        let mut folded = String::new();
        std::str::from_utf8(word).is_ok_and(|w| fold_umlaut_spellings(w, &mut folded))
            && inflected(folded.as_bytes())
    }
}

/// The length in bytes of the longest common prefix of two words.
fn shared_prefix(a: &[u8], b: &[u8]) -> usize {
    a.iter().zip(b).take_while(|(x, y)| x == y).count()
}

/// Whether the text between two words, `text[from..to]`, holds a clause
/// break and a sentence break ([`is_clause_break`],
/// [`is_sentence_break`]). Most gaps are a space or two: plain ASCII,
/// read a byte at a time.
#[inline]
fn gap_breaks(text: &str, from: usize, to: usize) -> (bool, bool) {
    const CLAUSE: u8 = 1;
    const SENTENCE: u8 = 2;
    const TABLE: [u8; 128] = {
        let mut t = [0u8; 128];
        let mut b = 0;
        while b < 128 {
            let c = b as u8 as char;
            if is_clause_break(c) {
                t[b] |= CLAUSE;
            }
            if is_sentence_break(c) {
                t[b] |= SENTENCE;
            }
            b += 1;
        }
        t
    };
    let gap = text.as_bytes().get(from..to).unwrap_or(&[]);
    // Most words are apart by one space.
    if gap == b" " {
        return (false, false);
    }
    let mut flags = 0u8;
    for &b in gap {
        match TABLE.get(usize::from(b)) {
            Some(f) => flags |= f,
            None => {
                let gap = text.get(from..to).unwrap_or("");
                return (
                    gap.chars().any(is_clause_break),
                    gap.chars().any(is_sentence_break),
                );
            }
        }
    }
    (flags & CLAUSE != 0, flags & SENTENCE != 0)
}

/// Whether the word `text[start..end]` is written in capitals: no
/// lowercase letter, an uppercase one, at least two letters. Plain ASCII
/// words are read as bytes; most are ruled out by their first lowercase
/// byte.
#[inline]
fn is_caps(text: &str, start: usize, end: usize) -> bool {
    let bytes = text.as_bytes().get(start..end).unwrap_or(&[]);
    // Most words start in lowercase: one byte decides.
    if bytes.first().is_none_or(u8::is_ascii_lowercase) {
        return false;
    }
    is_caps_slow(text, bytes, start, end)
}

fn is_caps_slow(text: &str, bytes: &[u8], start: usize, end: usize) -> bool {
    if bytes.iter().any(u8::is_ascii_lowercase) {
        return false;
    }
    if bytes.is_ascii() {
        return bytes.iter().any(u8::is_ascii_uppercase)
            && bytes.iter().filter(|b| b.is_ascii_alphabetic()).count() >= 2;
    }
    let word = text.get(start..end).unwrap_or("");
    !word.chars().any(char::is_lowercase)
        && word.chars().any(char::is_uppercase)
        && word.chars().filter(|c| c.is_alphabetic()).count() >= 2
}

const fn is_clause_break(c: char) -> bool {
    matches!(
        c,
        '.' | ',' | ';' | ':' | '!' | '?' | '(' | ')' | '[' | ']' | '\n' | '|' | '—' | '–' | '…'
    )
}

const fn is_sentence_break(c: char) -> bool {
    matches!(c, '.' | '!' | '?' | '\n' | '…')
}

/// A compiled phrase.
#[derive(Debug, Clone)]
pub(crate) struct Phrase {
    /// Keys in order; `*` matches any one word.
    pub keys: Box<[Box<str>]>,
    /// Index of the label in the label set.
    pub label: usize,
    pub weight: f64,
    /// The phrase as written, shared by reference count with the
    /// evidence that cites it (no string copy per cue reported).
    pub pattern: Name,
}

/// Why a phrase could not be compiled.
pub(crate) enum PhraseError {
    NoWords,
    LeadingWildcard,
}

/// A set of phrases, indexed by their first key. Its index is moved into
/// a [`CueTable`] with the other lexicons', which finds the phrases of
/// all of them in one pass over a ticket's words.
#[derive(Debug, Clone, Default)]
pub(crate) struct Lexicon {
    pub phrases: Vec<Phrase>,
    /// Phrases by the id of their first key, longest first (no
    /// [`FirstKey::by_second`] split: the [`CueTable`] splits).
    by_first: Vec<FirstKey>,
    /// The words of every phrase, phrase after phrase, as the matching
    /// reads them: in two flat arrays, so that trying a candidate reads
    /// one run of memory, not a phrase's scattered boxes.
    words: Vec<PhraseWord>,
    /// The folded words of [`Lexicon::words`], end to end.
    text: String,
    /// The [`Tok::marks`] bit of a word that starts one of these phrases
    /// ([`Lexicon::mark_starts`]).
    start_bit: u8,
}

/// One word of a phrase, for matching: its key's id ([`WILDCARD`] for
/// `*`) and its folded form, `text[start..end]` of its [`Lexicon`] (of
/// its [`CueTable`], once moved there).
#[derive(Debug, Clone, Copy)]
struct PhraseWord {
    id: u32,
    start: u32,
    end: u32,
    /// The folded word is plain ASCII: no word can meet it without its
    /// diacritics ([`inflects_unaccented`]).
    ascii: bool,
}

/// The phrases that start with one key. A key that starts many phrases
/// ("not", "how") has them split by second key, so that a word is tried
/// only against the phrases its next word fits.
#[derive(Debug, Clone, Default)]
struct FirstKey {
    /// All the phrases, longest first; once split, only those of one key
    /// or with `*` second.
    any: Vec<Candidate>,
    /// Once split: per second key's id (sorted by it), the phrases with
    /// that second key or `*`, in the order of the whole list.
    by_second: Vec<(u32, Vec<Candidate>)>,
}

/// A first key's list is split by second key from this length on.
const SPLIT_LEN: usize = 4;

/// A phrase as its first key's list holds it: enough to rule most out
/// without reading the phrase.
#[derive(Debug, Clone, Copy)]
struct Candidate {
    phrase: u32,
    /// How many keys the phrase has.
    len: u32,
    /// The id of its second key ([`WILDCARD`] when it has one key only).
    second: u32,
    /// The id of its third key ([`WILDCARD`] when it has two keys or
    /// fewer): with the second, it rules out most candidates before their
    /// words are read.
    third: u32,
    /// Where its words start in [`Lexicon::words`] ([`CueTable::words`]).
    words: u32,
    /// Its lexicon's index in the [`CueTable`] (0 until moved there).
    lexicon: u8,
    /// Its first word's folded form, `text[start..end]` of the
    /// [`CueTable`] (set when moved there), and whether it is plain ASCII:
    /// the first word's key is the token's own, so a one-word phrase is
    /// checked without reading [`CueTable::words`].
    first: (u32, u32),
    first_ascii: bool,
}

/// One phrase found in a ticket: tokens `start..end`.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Hit {
    pub phrase: u32,
    pub start: usize,
    pub end: usize,
    /// A one-word phrase met as written (not only by its stem), found
    /// with the phrase ([`Lexicon::how`] then reads no phrase).
    pub exact: bool,
}

/// The longest phrase found so far that reaches furthest, for phrases
/// reported in [`CueTable::find`]'s order: a hit inside a longer phrase of
/// another label belongs to that label ("fee" is a price word, "hidden fee"
/// a fairness one; "overflow" a bug word, "stack overflow" a question's).
#[derive(Debug, Clone, Copy)]
pub(crate) struct LongestCover {
    end: usize,
    len: usize,
    label: usize,
}

impl Default for LongestCover {
    fn default() -> LongestCover {
        LongestCover {
            end: 0,
            len: 0,
            label: usize::MAX,
        }
    }
}

impl LongestCover {
    /// Whether `hit` (of `label`) lies inside a longer phrase of another
    /// label; otherwise it may become the cover itself.
    pub fn hides(&mut self, hit: &Hit, label: usize) -> bool {
        let len = hit.end - hit.start;
        if hit.end <= self.end && len < self.len && label != self.label {
            return true;
        }
        if hit.end > self.end || (hit.end == self.end && len > self.len) {
            *self = LongestCover {
                end: hit.end,
                len,
                label,
            };
        }
        false
    }
}

impl Lexicon {
    /// Compiles `text` as a phrase of `label`.
    pub fn add(
        &mut self,
        vocab: &mut Vocab,
        analyzer: &Analyzer,
        text: &str,
        label: usize,
        weight: f64,
    ) -> Result<(), PhraseError> {
        let analysis = analyzer.analyze(text);
        let mut keys: Vec<Box<str>> = Vec::with_capacity(analysis.len());
        let mut folded: Vec<Box<str>> = Vec::with_capacity(analysis.len());
        // A lone `*` is punctuation to the segmenter: find wildcards by
        // looking at the gaps between words.
        let mut prev_end = 0;
        let lang = analyzer.language();
        for t in analysis.iter() {
            let gap = &text[prev_end..t.span.start];
            for _ in gap.matches('*') {
                keys.push("*".into());
                folded.push("*".into());
            }
            keys.push(key_of(lang, t.folded, t.stem).into());
            folded.push(t.folded.into());
            prev_end = t.span.end;
        }
        for _ in text[prev_end..].matches('*') {
            keys.push("*".into());
            folded.push("*".into());
        }
        if analysis.is_empty() {
            return Err(PhraseError::NoWords);
        }
        if &*keys[0] == "*" {
            return Err(PhraseError::LeadingWildcard);
        }
        let index = self.phrases.len() as u32;
        let ids: Box<[u32]> = keys.iter().map(|k| vocab.intern(k)).collect();
        let first = ids[0] as usize;
        if self.by_first.len() <= first {
            self.by_first.resize(first + 1, FirstKey::default());
        }
        self.by_first[first].any.push(Candidate {
            phrase: index,
            len: ids.len() as u32,
            second: ids.get(1).copied().unwrap_or(WILDCARD),
            third: ids.get(2).copied().unwrap_or(WILDCARD),
            words: self.words.len() as u32,
            lexicon: 0,
            first: (0, 0),
            first_ascii: true,
        });
        for (&id, word) in ids.iter().zip(&folded) {
            let start = self.text.len() as u32;
            self.text.push_str(word);
            self.words.push(PhraseWord {
                id,
                start,
                end: self.text.len() as u32,
                ascii: word.is_ascii(),
            });
        }
        self.phrases.push(Phrase {
            keys: keys.into(),
            label,
            weight,
            pattern: Name::from(text.trim()),
        });
        Ok(())
    }

    /// Orders each first-key list longest phrase first (stable). Call
    /// once, after the last [`Lexicon::add`].
    pub fn finish(&mut self) {
        let phrases = &self.phrases;
        for entry in &mut self.by_first {
            entry
                .any
                .sort_by_key(|c| std::cmp::Reverse(phrases[c.phrase as usize].keys.len()));
        }
    }

    /// Marks in `vocab` the first key of every phrase with `bit` (one
    /// [`Tok::marks`] bit no other lexicon or shifter list uses), so that
    /// [`CueTable::find`] passes over the other words on one byte of their
    /// token. Call after [`Lexicon::finish`].
    pub fn mark_starts(&mut self, vocab: &mut Vocab, bit: u8) {
        for (id, entry) in self.by_first.iter().enumerate() {
            if !entry.any.is_empty() || !entry.by_second.is_empty() {
                vocab.mark(id as u32, bit);
            }
        }
        self.start_bit = bit;
    }

    /// How the words of a hit met the phrase: told by the hit itself (its
    /// length, and [`Hit::exact`]), without reading the phrase.
    pub fn how(&self, hit: Hit) -> How {
        if hit.end - hit.start > 1 {
            How::Phrase
        } else if hit.exact {
            How::Exact
        } else {
            How::Stem
        }
    }
}

/// How many lexicons a [`CueTable`] holds: the sentiment's, the needs'
/// and the kinds', at these indices.
pub(crate) const LEXICONS: usize = 3;
pub(crate) const SENTIMENT: usize = 0;
pub(crate) const NEEDS: usize = 1;
pub(crate) const KINDS: usize = 2;

/// The phrases of every lexicon, indexed together by their first key, so
/// that one pass over a ticket's words finds them all: a word is looked
/// up once, not once a lexicon, and one copy of the matching code runs
/// (the readers then read their short lists of hits).
///
/// Flat: every first key's candidates lie in one array, found through a
/// twelve-byte entry per key id, and a key that starts many phrases has its
/// second-key groups in one table keyed by the pair of ids, so that a word
/// that starts phrases costs a line or two of memory, not a chain of
/// separate lists and a binary search.
#[derive(Debug, Clone, Default)]
pub(crate) struct CueTable {
    /// Per first key's id: its candidates in [`CueTable::cands`] (all of
    /// them, or once split, those of one key or with `*` second).
    first: Vec<KeyEntry>,
    /// The second-key groups of split first keys: open addressing on the
    /// pair of ids, at most half full; empty when no key is split.
    pairs: Vec<PairSlot>,
    /// `64 - log2(pairs.len())`: the shift that picks a home slot.
    pair_shift: u32,
    /// Every candidate list, end to end.
    cands: Vec<Candidate>,
    /// The words of every phrase, as [`Lexicon::words`], end to end.
    words: Vec<PhraseWord>,
    /// The folded words of [`CueTable::words`], end to end.
    text: String,
    /// Per lexicon: the [`Tok::marks`] bit of a word that starts one of
    /// its phrases.
    bits: [u8; LEXICONS],
}

/// A first key's candidates: `cands[start..start + len]`, and whether its
/// phrases are split by second key ([`FirstKey::by_second`]).
#[derive(Debug, Clone, Copy, Default)]
struct KeyEntry {
    start: u32,
    len: u32,
    split: bool,
}

/// One second-key group of a split first key: the phrases whose first
/// key is `first` and second `second` or `*`, `cands[start..start + len]`.
/// `first` [`UNKNOWN`] marks an empty slot.
#[derive(Debug, Clone, Copy)]
struct PairSlot {
    first: u32,
    second: u32,
    start: u32,
    len: u32,
}

const NO_PAIR: PairSlot = PairSlot {
    first: UNKNOWN,
    second: UNKNOWN,
    start: 0,
    len: 0,
};

impl CueTable {
    /// Moves the finished and marked lexicons' indexes into one table
    /// ([`Lexicon::finish`], [`Lexicon::mark_starts`]); their phrases stay.
    pub fn new(lexicons: [&mut Lexicon; LEXICONS]) -> CueTable {
        let mut table = CueTable::default();
        let mut by_first: Vec<FirstKey> = Vec::new();
        for (l, lex) in lexicons.into_iter().enumerate() {
            let word_base = table.words.len() as u32;
            let text_base = table.text.len() as u32;
            table.text.push_str(&lex.text);
            table.words.extend(lex.words.iter().map(|w| PhraseWord {
                start: w.start + text_base,
                end: w.end + text_base,
                ..*w
            }));
            if by_first.len() < lex.by_first.len() {
                by_first.resize(lex.by_first.len(), FirstKey::default());
            }
            for (entry, own) in by_first.iter_mut().zip(&lex.by_first) {
                entry.any.extend(own.any.iter().map(|c| Candidate {
                    words: c.words + word_base,
                    lexicon: l as u8,
                    ..*c
                }));
            }
            table.bits[l] = lex.start_bit;
            lex.by_first = Vec::new();
            lex.words = Vec::new();
            lex.text = String::new();
        }
        let mut groups: Vec<(u32, u32, u32, u32)> = Vec::new();
        for (id, entry) in by_first.iter_mut().enumerate() {
            for c in &mut entry.any {
                if let Some(w) = table.words.get(c.words as usize) {
                    c.first = (w.start, w.end);
                    c.first_ascii = w.ascii;
                }
            }
            entry.split();
            let start = table.cands.len() as u32;
            let len = entry.any.len();
            table.cands.extend_from_slice(&entry.any);
            table.first.push(KeyEntry {
                start,
                len: len as u32,
                split: !entry.by_second.is_empty(),
            });
            for (second, list) in &entry.by_second {
                let start = table.cands.len() as u32;
                table.cands.extend_from_slice(list);
                groups.push((id as u32, *second, start, list.len() as u32));
            }
        }
        if !groups.is_empty() {
            let size = (groups.len() * 2).next_power_of_two().max(16);
            table.pairs = vec![NO_PAIR; size];
            table.pair_shift = 64 - size.trailing_zeros();
            let mask = size - 1;
            for (first, second, start, len) in groups {
                let mut i = table.pair_home(first, second);
                while table.pairs[i].first != UNKNOWN {
                    i = (i + 1) & mask;
                }
                table.pairs[i] = PairSlot {
                    first,
                    second,
                    start,
                    len,
                };
            }
        }
        table
    }

    fn pair_home(&self, first: u32, second: u32) -> usize {
        let key = (u64::from(first) << 32) | u64::from(second);
        (key.wrapping_mul(0x9e37_79b9_7f4a_7c15) >> self.pair_shift) as usize
    }

    /// The candidates of the split first key `first` followed by the key
    /// `second`, if some phrase has that second key. Cost: a probe or two.
    fn pair(&self, first: u32, second: u32) -> Option<&[Candidate]> {
        let mask = self.pairs.len().checked_sub(1)?;
        let mut i = self.pair_home(first, second);
        loop {
            let slot = self.pairs.get(i)?;
            if slot.first == UNKNOWN {
                return None;
            }
            if slot.first == first && slot.second == second {
                return self
                    .cands
                    .get(slot.start as usize..(slot.start + slot.len) as usize);
            }
            i = (i + 1) & mask;
        }
    }

    /// Every phrase of the lexicons whose bits are set in `only` (bit `1
    /// << l` for lexicon `l`) found in `tokens`, lexicon `l`'s appended to
    /// `out[l]`: in text order; at each start, every phrase that matches
    /// there (longest first). Phrases never span two fields.
    /// Cost: one array lookup per word that starts a phrase (and a probe
    /// of the pair table by the next word for a word that starts many
    /// phrases) plus the candidates' lengths.
    pub fn find(&self, tokens: &Tokens<'_>, only: u8, out: &mut [Vec<Hit>; LEXICONS]) {
        let bits = (0..LEXICONS)
            .filter(|l| only & (1 << l) != 0)
            .fold(0u8, |b, l| b | self.bits[l]);
        // A ticket with no word that starts a phrase (many) skips the scan.
        if tokens.present & bits == 0 {
            return;
        }
        let toks = &tokens.toks;
        let text = self.text.as_bytes();
        for (start, tok) in toks.iter().enumerate() {
            // Most words start no phrase (unknown, or known to the shifter
            // lists only): one byte of the token tells.
            if tok.marks & bits == 0 {
                continue;
            }
            let Some(key) = self.first.get(tok.id as usize) else {
                continue;
            };
            // The id no key has past the last word: no second or third
            // key meets it.
            let next = toks.get(start + 1).map_or(UNKNOWN, |t| t.id);
            let after = toks.get(start + 2).map_or(UNKNOWN, |t| t.id);
            let own = || {
                self.cands
                    .get(key.start as usize..(key.start + key.len) as usize)
                    .unwrap_or(&[])
            };
            let candidates = if key.split && next != UNKNOWN {
                self.pair(tok.id, next).unwrap_or_else(own)
            } else {
                own()
            };
            for c in candidates {
                let end = start + c.len as usize;
                // One test, not one branch a condition: which of them
                // rules a candidate out varies from word to word.
                let fits_frame = (only >> c.lexicon) & 1 != 0;
                let fits_second = (c.second == WILDCARD) | (c.second == next);
                let fits_third = (c.third == WILDCARD) | (c.third == after);
                let fits_field = toks.get(end - 1).is_some_and(|t| t.field == tok.field);
                if !(fits_frame & fits_second & fits_third & fits_field) {
                    continue;
                }
                // Same stem, and the word spells all but the last two
                // letters of the phrase's word: an inflection ("crashes",
                // "disappointing"), not another word the stemmer conflates
                // ("excel" for "excellent", "used" for "useful", "response"
                // for "responsive").
                // The first word has the token's key (its list is the
                // key's): only its spelling is checked.
                let cue = text.get(c.first.0 as usize..c.first.1 as usize);
                let first = c.words as usize;
                let fits = inflects(tok.folded.as_bytes(), cue.unwrap_or(&[]), c.first_ascii)
                    && self
                        .words
                        .get(first + 1..first + c.len as usize)
                        .is_some_and(|words| {
                            words.iter().zip(&toks[start + 1..end]).all(|(w, t)| {
                                w.id == WILDCARD
                                    || (w.id == t.id && {
                                        let f = text
                                            .get(w.start as usize..w.end as usize)
                                            .unwrap_or(&[]);
                                        inflects(t.folded.as_bytes(), f, w.ascii)
                                    })
                            })
                        });
                if fits && let Some(list) = out.get_mut(usize::from(c.lexicon)) {
                    list.push(Hit {
                        phrase: c.phrase,
                        start,
                        end,
                        exact: c.len == 1 && cue == Some(tok.folded.as_bytes()),
                    });
                }
            }
        }
    }
}

impl FirstKey {
    /// Splits a long list by second key (see [`FirstKey::by_second`]).
    fn split(&mut self) {
        let list = &mut self.any;
        if list.len() < SPLIT_LEN {
            return;
        }
        let mut seconds: Vec<u32> = list
            .iter()
            .map(|c| c.second)
            .filter(|&s| s != WILDCARD)
            .collect();
        seconds.sort_unstable();
        seconds.dedup();
        self.by_second = seconds
            .into_iter()
            .map(|s| {
                let fits = list
                    .iter()
                    .filter(|c| c.second == s || c.second == WILDCARD)
                    .copied()
                    .collect();
                (s, fits)
            })
            .collect();
        list.retain(|c| c.second == WILDCARD);
    }
}

/// The byte span of tokens `start..end` (same field).
pub(crate) fn span_of(tokens: &Tokens<'_>, start: usize, end: usize) -> Span {
    Span::new(tokens.toks[start].span.start, tokens.toks[end - 1].span.end)
}

/// Evidence not built yet: borrowing its pattern, so that a reading
/// allocates strings only for the evidence it outputs (none for a pattern
/// compiled as a [`Name`]: the evidence shares it).
#[derive(Debug, Clone, Copy)]
pub(crate) struct Cue<'p> {
    pub source: Source,
    pub pattern: &'p str,
    /// The pattern as a shared [`Name`], when it is one.
    name: Option<&'p Name>,
    pub how: How,
    pub span: Span,
    pub field: Field,
}

impl<'p> Cue<'p> {
    pub fn new(source: Source, pattern: &'p str, how: How, span: Span, field: Field) -> Cue<'p> {
        Cue {
            source,
            pattern,
            name: None,
            how,
            span,
            field,
        }
    }

    /// A cue whose pattern is a compiled [`Name`] (a phrase's): its
    /// evidence costs a reference count, not a string.
    pub fn named(source: Source, name: &'p Name, how: How, span: Span, field: Field) -> Cue<'p> {
        Cue {
            name: Some(name),
            ..Cue::new(source, name, how, span, field)
        }
    }

    /// The evidence, with its pattern shared or copied.
    pub fn evidence(self) -> Evidence {
        let mut e = match self.name {
            Some(name) => Evidence::new(self.source, name.clone(), self.how, self.span),
            None => Evidence::new(self.source, self.pattern, self.how, self.span),
        };
        e.field = self.field;
        e
    }
}

/// The evidence of the first `max` cues of `cues`, in order. One copy out
/// of line for every reader: each reader's own `collect` was a copy of the
/// allocation and loop, code read for every ticket.
#[inline(never)]
pub(crate) fn evidence_of<'c, 'p: 'c>(
    cues: &mut dyn Iterator<Item = &'c Cue<'p>>,
    max: usize,
) -> Vec<Evidence> {
    let room = cues.size_hint().1.map_or(max, |n| n.min(max));
    let mut out = Vec::with_capacity(room);
    out.extend(cues.take(max).map(|cue| cue.evidence()));
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::Language;

    /// The phrases found in `text` (subject `subject`), as (phrase, start,
    /// end) per lexicon, by a table of `phrases` (lexicon, phrase).
    fn found(phrases: &[(usize, &str)], subject: &str, text: &str) -> Vec<(usize, String, usize)> {
        let analyzer = Analyzer::new(Language::English);
        let mut vocab = Vocab::default();
        let mut lexicons = [Lexicon::default(), Lexicon::default(), Lexicon::default()];
        for (l, phrase) in phrases {
            assert!(
                lexicons[*l]
                    .add(&mut vocab, &analyzer, phrase, 0, 1.0)
                    .is_ok()
            );
        }
        for (l, lex) in lexicons.iter_mut().enumerate() {
            lex.finish();
            lex.mark_starts(&mut vocab, 16 << l);
        }
        let [a, b, c] = &mut lexicons;
        let table = CueTable::new([a, b, c]);
        let (sa, ta) = (analyzer.analyze(subject), analyzer.analyze(text));
        let mut tokens = Tokens::default();
        tokens.push_field(&vocab, Language::English, Field::Subject, subject, &sa);
        tokens.push_field(&vocab, Language::English, Field::Text, text, &ta);
        let mut out: [Vec<Hit>; LEXICONS] = Default::default();
        table.find(&tokens, 0b111, &mut out);
        let mut hits = Vec::new();
        for (l, list) in out.iter().enumerate() {
            for h in list {
                let pattern = lexicons[l].phrases[h.phrase as usize].pattern.to_string();
                hits.push((l, pattern, h.start));
            }
        }
        hits
    }

    #[test]
    fn a_hit_tells_how_it_met_its_phrase() {
        let analyzer = Analyzer::new(Language::English);
        let mut vocab = Vocab::default();
        let mut lex = Lexicon::default();
        for phrase in ["crash", "not sync"] {
            assert!(lex.add(&mut vocab, &analyzer, phrase, 0, 1.0).is_ok());
        }
        lex.finish();
        lex.mark_starts(&mut vocab, 16);
        let (mut empty, mut other) = (Lexicon::default(), Lexicon::default());
        let table = CueTable::new([&mut lex, &mut empty, &mut other]);
        let text = "It crashes, a crash. Does not sync";
        let analysis = analyzer.analyze(text);
        let mut tokens = Tokens::default();
        tokens.push_field(&vocab, Language::English, Field::Text, text, &analysis);
        let mut out: [Vec<Hit>; LEXICONS] = Default::default();
        table.find(&tokens, 1, &mut out);
        let how: Vec<How> = out[0].iter().map(|h| lex.how(*h)).collect();
        assert_eq!(how, [How::Stem, How::Exact, How::Phrase]);
    }

    #[test]
    fn the_cue_table_finds_phrases_by_their_first_second_and_third_keys() {
        // "not" starts more phrases than a list holds: split by second key.
        let phrases = [
            (1, "not work"),
            (1, "not load"),
            (1, "not sync at all"),
            (1, "not sync with"),
            (1, "not * at all"),
            (0, "not"),
            (2, "how do i"),
            (2, "how do you"),
            (0, "crash"),
        ];
        let hits = found(
            &phrases,
            "not",
            "It does not sync at all. How do I sync? It does not load, crashes, not sync",
        );
        let want: Vec<(usize, String, usize)> = [
            // The subject's "not": a phrase of one key, the next word is
            // the body's (phrases never span two fields).
            (0, "not", 0),
            (0, "not", 3),
            (0, "not", 13),
            (0, "not", 16),
            (0, "crash", 15),
            (1, "not sync at all", 3),
            (1, "not * at all", 3),
            (1, "not load", 13),
            (2, "how do i", 7),
        ]
        .iter()
        .map(|(l, p, s)| (*l, p.to_string(), *s))
        .collect();
        let mut hits = hits;
        hits.sort();
        let mut want = want;
        want.sort();
        assert_eq!(hits, want);
    }
}
