//! Discovery: what the taxonomy does not know yet.
//!
//! Three offline, deterministic and explainable analyses over tagged tickets:
//!
//! - [`ThemeFinder`]: groups *unmatched* tickets (optionally weak matches too)
//!   into [`Theme`]s: named groups sharing significant words, with their top
//!   terms, size, customers, weekly trend, representative tickets and a
//!   [`Feature`](crate::Feature) snippet ready to paste into the product.
//!   With [`ThemeConfig::contrast`] the taxonomy's matched nodes compete for
//!   the tickets, so a missing feature whose tickets the tagger gave to its
//!   siblings can still surface.
//! - [`KeywordAdvisor`]: for each feature, keywords that discriminate it from
//!   its siblings (log-odds ratio with an informative Dirichlet prior), plus
//!   its keywords that never fire or fire across many features.
//! - [`DuplicateFinder`]: near-duplicate tickets (the same customer writing
//!   again, quoted replies, copy-paste storms) by MinHash with locality
//!   sensitive hashing and a fixed seed, verified exactly.
//!
//! Every analysis takes the tickets in any order and returns the same,
//! byte-identical result: tickets are first put in a canonical order (by id,
//! then text), and every tie is broken by that order or by text. Nothing is
//! random; the MinHash permutations come from a fixed seed. Costs are near
//! linear in the number of tickets (each module states its own); nothing
//! compares all pairs of tickets.

mod duplicates;
mod keywords;
mod themes;

pub use duplicates::{DuplicateCluster, DuplicateConfig, DuplicateFinder, DuplicateReport};
pub use keywords::{
    BroadKeyword, FeatureKeywords, KeywordAdvisor, KeywordConfig, KeywordReport, KeywordSuggestion,
};
pub use themes::{Theme, ThemeConfig, ThemeFinder, ThemeReport, WeekCount};

use std::collections::HashMap;
use std::hash::{BuildHasherDefault, Hasher};

use crate::analysis::elision::{self, Elided};
use crate::analysis::{
    Language, Stemmer, StopWords, blank_boilerplate, fold_into, pair_overlap, words,
};
use crate::tagged::TaggedTicket;
use crate::ticket::Ticket;
use crate::time::Timestamp;

/// A ticket together with the result of tagging it: what discovery reads.
///
/// Implemented for `(&Ticket, &TaggedTicket)` and for `&(Ticket,
/// TaggedTicket)`, so both `pairs.iter()` over a `Vec<(Ticket, TaggedTicket)>`
/// and `tickets.iter().zip(tagged.iter())` can be passed directly.
///
/// ```
/// use painpoint::discovery::TaggedPair;
/// use painpoint::{TaggedTicket, Ticket};
///
/// let pair = (Ticket::new("1", "hello"), TaggedTicket::default());
/// assert_eq!((&pair).ticket().id, "1");
/// assert!((&pair.0, &pair.1).tagged().is_unmatched());
/// ```
pub trait TaggedPair<'a> {
    /// The ticket.
    fn ticket(&self) -> &'a Ticket;
    /// What the tagger made of it.
    fn tagged(&self) -> &'a TaggedTicket;
}

impl<'a> TaggedPair<'a> for (&'a Ticket, &'a TaggedTicket) {
    fn ticket(&self) -> &'a Ticket {
        self.0
    }
    fn tagged(&self) -> &'a TaggedTicket {
        self.1
    }
}

impl<'a> TaggedPair<'a> for &'a (Ticket, TaggedTicket) {
    fn ticket(&self) -> &'a Ticket {
        &self.0
    }
    fn tagged(&self) -> &'a TaggedTicket {
        &self.1
    }
}

/// The canonical order of tickets: by id, then text, subject, customer and
/// creation time, so that any input order gives the same result.
fn canonical(a: &Ticket, b: &Ticket) -> std::cmp::Ordering {
    a.id.cmp(&b.id)
        .then_with(|| a.text.cmp(&b.text))
        .then_with(|| a.subject.cmp(&b.subject))
        .then_with(|| a.customer.cmp(&b.customer))
        .then_with(|| a.created_at.cmp(&b.created_at))
}

/// The number of distinct customers among `tickets`; a ticket without a
/// customer counts as a customer of its own.
fn count_customers<'a>(tickets: impl IntoIterator<Item = &'a Ticket>) -> usize {
    let mut known: Vec<&str> = Vec::new();
    let mut anonymous = 0;
    for ticket in tickets {
        match ticket.customer.as_deref() {
            Some(c) => known.push(c),
            None => anonymous += 1,
        }
    }
    known.sort_unstable();
    known.dedup();
    known.len() + anonymous
}

/// The ISO 8601 week of a timestamp, as `"2024-W09"`.
fn iso_week(at: Timestamp) -> String {
    let days = at.days();
    let weekday = i64::from(at.weekday());
    // The ISO year is the year of the week's Thursday.
    let thursday = days - (weekday - 1) + 3;
    let (year, _, _) = crate::time::civil_from_days(thursday);
    let jan1 = crate::time::days_from_civil(year, 1, 1);
    let week = (thursday - jan1) / 7 + 1;
    format!("{year:04}-W{week:02}")
}

/// A small, fast, deterministic hasher (FxHash's multiply-rotate) for
/// internal tables keyed by integers and short words. Never used where
/// iteration order could reach the output.
#[derive(Default, Clone, Copy)]
struct FxHasher(u64);

const FX_SEED: u64 = 0x51_7c_c1_b7_27_22_0a_95;

impl FxHasher {
    #[inline]
    fn add(&mut self, word: u64) {
        self.0 = (self.0.rotate_left(5) ^ word).wrapping_mul(FX_SEED);
    }
}

impl Hasher for FxHasher {
    fn write(&mut self, bytes: &[u8]) {
        let mut chunks = bytes.chunks_exact(8);
        for chunk in &mut chunks {
            let mut word = [0u8; 8];
            word.copy_from_slice(chunk);
            self.add(u64::from_le_bytes(word));
        }
        let rest = chunks.remainder();
        if !rest.is_empty() {
            let mut word = [0u8; 8];
            word[..rest.len()].copy_from_slice(rest);
            self.add(u64::from_le_bytes(word));
        }
    }
    fn write_u8(&mut self, i: u8) {
        self.add(u64::from(i));
    }
    fn write_u32(&mut self, i: u32) {
        self.add(u64::from(i));
    }
    fn write_u64(&mut self, i: u64) {
        self.add(i);
    }
    fn write_usize(&mut self, i: usize) {
        self.add(i as u64);
    }
    fn finish(&self) -> u64 {
        // The multiply only carries entropy upwards; fold the high bits down
        // so keys differing in their high half (stem pairs) do not collide
        // in the low bits the table indexes by.
        let h = self.0;
        (h ^ (h >> 32)).wrapping_mul(0x9e37_79b9_7f4a_7c15) ^ (h >> 29)
    }
}

type FxMap<K, V> = HashMap<K, V, BuildHasherDefault<FxHasher>>;

/// One distinct folded word seen by a [`Prep`].
#[derive(Debug, Clone)]
struct Word {
    folded: String,
    /// Its stem's id.
    stem: u32,
    /// Content words carry meaning: not a stop word, at least two
    /// characters, at least one letter.
    content: bool,
    /// Support boilerplate ("kindly", "thanks"): not even a joining word
    /// in a theme's name.
    boilerplate: bool,
}

/// Text preparation shared by the discovery analyses: the analysis pipeline
/// (words, folding, stop words, stems) with a cache per distinct word, so
/// each distinct word is stemmed once however many tickets use it.
///
/// Word and stem ids are handed out in first-seen order; callers feed
/// tickets in canonical order, which makes the ids deterministic.
#[derive(Debug)]
struct Prep {
    stemmer: Stemmer,
    stop_words: StopWords,
    word_ids: FxMap<String, u32>,
    words: Vec<Word>,
    stem_ids: FxMap<String, u32>,
    stems: Vec<String>,
    scratch: String,
    /// Support-speak that says nothing about the topic (greetings,
    /// courtesies, "question", "request"), sorted; kept out of themes and
    /// their names.
    boilerplate: &'static [&'static str],
    /// The language's elided words ("l'"), split off their word as the
    /// analyzer does.
    elisions: &'static [&'static str],
}

/// English support boilerplate, sorted (see [`Prep::boilerplate`]).
const ENGLISH_BOILERPLATE: &[&str] = &[
    "appreciate",
    "appreciated",
    "best",
    "cheers",
    "dear",
    "folks",
    "greetings",
    "guys",
    "hello",
    "help",
    "hey",
    "hi",
    "issue",
    "kindly",
    "please",
    "pls",
    "problem",
    "question",
    "questions",
    "regards",
    "request",
    "requests",
    "sincerely",
    "team",
    "thank",
    "thanks",
    "thx",
];

impl Prep {
    fn new(language: Language) -> Prep {
        Prep {
            stemmer: Stemmer::new(language),
            stop_words: StopWords::for_language(language),
            word_ids: FxMap::default(),
            words: Vec::new(),
            stem_ids: FxMap::default(),
            stems: Vec::new(),
            scratch: String::new(),
            boilerplate: if language == Language::English {
                ENGLISH_BOILERPLATE
            } else {
                &[]
            },
            elisions: elision::articles(language),
        }
    }

    /// Appends the word ids of `text` to `out`, at most `max` of them.
    fn push_words(&mut self, text: &str, max: usize, out: &mut Vec<u32>) -> usize {
        let mut pushed = 0;
        for span in Elided::new(words(text), text, self.elisions) {
            if pushed >= max {
                break;
            }
            self.scratch.clear();
            fold_into(&text[span.range()], &mut self.scratch);
            let id = match self.word_ids.get(self.scratch.as_str()) {
                Some(&id) => id,
                None => self.intern_word(),
            };
            out.push(id);
            pushed += 1;
        }
        pushed
    }

    /// Appends the word ids of a ticket (subject, then body) to `out`. The
    /// body's email boilerplate (greeting, sign-off, signature, disclaimer,
    /// quoted mail) is left out, as the tagger leaves it out: one sender's
    /// signature is no theme, no keyword and no duplicate.
    fn push_ticket(&mut self, ticket: &Ticket, max: usize, out: &mut Vec<u32>) {
        let mut budget = max;
        if let Some(subject) = ticket.subject.as_deref() {
            budget -= self.push_words(subject, budget, out);
        }
        self.push_words(&blank_boilerplate(&ticket.text), budget, out);
    }

    fn intern_word(&mut self) -> u32 {
        let folded = self.scratch.clone();
        let stem = self.stemmer.stem(&folded).into_owned();
        let boilerplate = self.boilerplate.binary_search(&folded.as_str()).is_ok();
        let stop = self.stop_words.contains(&folded) || boilerplate;
        let content = !stop && stem.chars().count() >= 2 && stem.chars().any(char::is_alphabetic);
        let stem_id = match self.stem_ids.get(stem.as_str()) {
            Some(&id) => id,
            None => {
                let id = self.stems.len() as u32;
                self.stem_ids.insert(stem.clone(), id);
                self.stems.push(stem);
                id
            }
        };
        let id = self.words.len() as u32;
        self.word_ids.insert(folded.clone(), id);
        self.words.push(Word {
            folded,
            stem: stem_id,
            content,
            boilerplate,
        });
        id
    }

    fn word(&self, id: u32) -> &Word {
        &self.words[id as usize]
    }

    /// The stem ids of a phrase's words, for matching keywords.
    fn phrase_stems(&mut self, phrase: &str) -> Vec<u32> {
        let mut ids = Vec::new();
        self.push_words(phrase, usize::MAX, &mut ids);
        ids.into_iter().map(|w| self.word(w).stem).collect()
    }
}

/// Words joined into a phrase as they are written: by a space, except
/// two pairs of a run of a script written without spaces that overlap by
/// a character ("退款", "款到", "到账" read "退款到账"; "환불", "불이" read
/// "환불이"; see [`words`]).
fn join_words<'a>(words: impl IntoIterator<Item = &'a str>) -> String {
    let mut phrase = String::new();
    let mut before: Option<&str> = None;
    for word in words {
        match before.and_then(|b| pair_overlap(b, word)) {
            Some(shared) => phrase.push_str(&word[shared..]),
            None => {
                if before.is_some() {
                    phrase.push(' ');
                }
                phrase.push_str(word);
            }
        }
        before = Some(word);
    }
    phrase
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn han_pairs_are_joined_as_written() {
        let mut prep = Prep::new(Language::None);
        let mut ids = Vec::new();
        prep.push_words("应用闪退 app 退款", usize::MAX, &mut ids);
        let words: Vec<&str> = ids.iter().map(|&w| prep.word(w).folded.as_str()).collect();
        assert_eq!(words, ["应用", "用闪", "闪退", "app", "退款"]);
        assert!(ids.iter().all(|&w| prep.word(w).content));
        assert_eq!(join_words(["应用", "用闪", "闪退"]), "应用闪退");
        assert_eq!(join_words(["card", "declined"]), "card declined");
        assert_eq!(join_words(["应用", "app", "用闪"]), "应用 app 用闪");
        assert_eq!(join_words(["ok", "ko"]), "ok ko");
        // Hangul syllable pairs and Thai letter pairs (a letter with its
        // mark overlaps as a whole) join the same way.
        assert_eq!(join_words(["환불", "불이"]), "환불이");
        assert_eq!(join_words(["รหั", "หัส"]), "รหัส");
        assert_eq!(join_words(["환불", "받을"]), "환불 받을");
    }

    #[test]
    fn boilerplate_is_sorted_and_not_content() {
        assert!(ENGLISH_BOILERPLATE.windows(2).all(|w| w[0] < w[1]));
        let mut prep = Prep::new(Language::English);
        let mut ids = Vec::new();
        prep.push_words("Hi team kindly export", usize::MAX, &mut ids);
        let flags: Vec<bool> = ids.iter().map(|&w| prep.word(w).content).collect();
        assert_eq!(flags, [false, false, false, true]);
        // Other languages keep every word.
        let mut prep = Prep::new(Language::German);
        let mut ids = Vec::new();
        prep.push_words("hi", usize::MAX, &mut ids);
        assert!(prep.word(ids[0]).content);
    }

    #[test]
    fn iso_weeks() {
        let at = |y, m, d| Timestamp::from_date(y, m, d).unwrap();
        assert_eq!(iso_week(at(2024, 3, 1)), "2024-W09");
        // 2021-01-03 is a Sunday in week 53 of 2020.
        assert_eq!(iso_week(at(2021, 1, 3)), "2020-W53");
        assert_eq!(iso_week(at(2021, 1, 4)), "2021-W01");
        // 2024-12-30 is a Monday in week 1 of 2025.
        assert_eq!(iso_week(at(2024, 12, 30)), "2025-W01");
    }

    #[test]
    fn customers_without_id_count_once_each() {
        let tickets = [
            Ticket::new("1", "a").customer("x"),
            Ticket::new("2", "b").customer("x"),
            Ticket::new("3", "c"),
            Ticket::new("4", "d"),
        ];
        assert_eq!(count_customers(&tickets), 3);
    }
}
