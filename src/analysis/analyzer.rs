//! The analysis pipeline: words -> folded -> stop-word flag -> stem.

use super::elision::Elided;
use super::tokenizer::AsciiWords;
use super::{Language, Stemmer, StopWords, fold_into, words};
use crate::hash::fnv1a;
use crate::span::Span;
use std::ops::Range;

/// One analysed word, borrowed from its [`Analysis`].
///
/// # Example
///
/// ```
/// use painpoint::analysis::Analyzer;
/// use painpoint::{Language, Span};
///
/// let text = "Why is Exporting slow";
/// let analysis = Analyzer::new(Language::English).analyze(text);
/// let token = analysis.get(2);
/// assert_eq!(token.span, Span::new(7, 16));
/// assert_eq!(&text[token.span.range()], "Exporting"); // the original words
/// assert_eq!((token.folded, token.stem, token.stop), ("exporting", "export", false));
/// assert!(analysis.get(0).stop); // "why"
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Token<'a> {
    /// Byte span of the word in the original text.
    pub span: Span,
    /// The case-folded word.
    pub folded: &'a str,
    /// The stem of the folded word (equal to it where there is no stemmer).
    pub stem: &'a str,
    /// Whether the folded word is a stop word of the language.
    pub stop: bool,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct RawToken {
    span: Span,
    folded: (u32, u32),
    stem: (u32, u32),
    stop: bool,
}

/// The tokens of one text, in text order, in a reusable buffer.
///
/// Reusing one `Analysis` across texts (see [`Analyzer::analyze_into`])
/// avoids an allocation per word: the folded words and stems of a text live
/// in one string, and the tokens borrow from it.
///
/// # Example
///
/// ```
/// use painpoint::analysis::Analyzer;
/// use painpoint::Language;
///
/// let analysis = Analyzer::new(Language::English).analyze("Refunds, refunded!");
/// assert_eq!(analysis.len(), 2);
/// assert_eq!(analysis.get(0).stem, analysis.get(1).stem);
/// assert!(!analysis.truncated());
/// ```
#[derive(Debug, Clone, Default)]
pub struct Analysis {
    buf: String,
    tokens: Vec<RawToken>,
    truncated: bool,
}

impl Analysis {
    /// An empty buffer, to fill with [`Analyzer::analyze_into`].
    ///
    /// ```
    /// use painpoint::analysis::{Analysis, Analyzer};
    /// use painpoint::Language;
    ///
    /// let mut analysis = Analysis::new();
    /// assert!(analysis.is_empty());
    /// Analyzer::new(Language::English).analyze_into("card declined", &mut analysis);
    /// assert_eq!(analysis.len(), 2);
    /// ```
    pub fn new() -> Analysis {
        Analysis::default()
    }

    /// The number of tokens (words; punctuation and spaces are not tokens).
    ///
    /// ```
    /// use painpoint::analysis::Analyzer;
    /// use painpoint::Language;
    ///
    /// assert_eq!(Analyzer::new(Language::English).analyze("Hi -- where's my card?!").len(), 4);
    /// ```
    pub fn len(&self) -> usize {
        self.tokens.len()
    }

    /// Whether there are no tokens.
    ///
    /// ```
    /// use painpoint::analysis::Analyzer;
    /// use painpoint::Language;
    ///
    /// let analyzer = Analyzer::new(Language::English);
    /// assert!(analyzer.analyze(" ?! ... ").is_empty());
    /// assert!(!analyzer.analyze("ok").is_empty());
    /// ```
    pub fn is_empty(&self) -> bool {
        self.tokens.is_empty()
    }

    /// Whether the analyser stopped early because of its token limit
    /// ([`Analyzer::with_max_tokens`]): the text had more words than were
    /// kept.
    ///
    /// ```
    /// use painpoint::analysis::Analyzer;
    /// use painpoint::Language;
    ///
    /// let analyzer = Analyzer::new(Language::English).with_max_tokens(2);
    /// assert!(analyzer.analyze("one two three").truncated());
    /// assert!(!analyzer.analyze("one two").truncated());
    /// ```
    pub fn truncated(&self) -> bool {
        self.truncated
    }

    /// The token at `index` (in text order). Cost: O(1).
    ///
    /// # Panics
    ///
    /// If `index >= self.len()`.
    ///
    /// ```
    /// use painpoint::analysis::Analyzer;
    /// use painpoint::Language;
    ///
    /// let analysis = Analyzer::new(Language::English).analyze("Card DECLINED");
    /// assert_eq!(analysis.get(1).folded, "declined");
    /// assert_eq!(analysis.get(1).stem, "declin");
    /// ```
    pub fn get(&self, index: usize) -> Token<'_> {
        let raw = self.tokens[index];
        Token {
            span: raw.span,
            folded: &self.buf[raw.folded.0 as usize..raw.folded.1 as usize],
            stem: &self.buf[raw.stem.0 as usize..raw.stem.1 as usize],
            stop: raw.stop,
        }
    }

    /// Whether the token at `index` is a stop word (cheaper than
    /// [`Analysis::get`] when only the flag is needed).
    ///
    /// # Panics
    ///
    /// If `index >= self.len()`.
    pub(crate) fn is_stop(&self, index: usize) -> bool {
        self.tokens[index].stop
    }

    /// The byte span of the token at `index` in the analysed text (cheaper
    /// than [`Analysis::get`] when only the position is needed).
    ///
    /// # Panics
    ///
    /// If `index >= self.len()`.
    pub(crate) fn span(&self, index: usize) -> Span {
        self.tokens[index].span
    }

    /// Calls `each` with every token in text order: like [`Analysis::iter`],
    /// for hot loops (one pass over the raw tokens, no per-token call).
    pub(crate) fn for_each<'s>(&'s self, mut each: impl FnMut(Token<'s>)) {
        let buf = self.buf.as_str();
        for raw in &self.tokens {
            let (Some(folded), Some(stem)) = (
                buf.get(raw.folded.0 as usize..raw.folded.1 as usize),
                buf.get(raw.stem.0 as usize..raw.stem.1 as usize),
            ) else {
                continue;
            };
            each(Token {
                span: raw.span,
                folded,
                stem,
                stop: raw.stop,
            });
        }
    }

    /// The tokens in text order.
    ///
    /// ```
    /// use painpoint::analysis::Analyzer;
    /// use painpoint::Language;
    ///
    /// let analysis = Analyzer::new(Language::English).analyze("the card is missing");
    /// let content: Vec<&str> = analysis.iter().filter(|t| !t.stop).map(|t| t.stem).collect();
    /// assert_eq!(content, ["card", "miss"]);
    /// ```
    pub fn iter(&self) -> impl ExactSizeIterator<Item = Token<'_>> + '_ {
        (0..self.tokens.len()).map(|i| self.get(i))
    }

    fn clear(&mut self) {
        self.buf.clear();
        self.tokens.clear();
        self.truncated = false;
    }
}

/// Turns text into [`Token`]s for one language: Unicode word segmentation,
/// case folding, stop-word flagging and Snowball stemming.
///
/// Cost: linear in the text length; at most `max_tokens` tokens are kept
/// (the rest is reported through [`Analysis::truncated`]).
///
/// # Example
///
/// ```
/// use painpoint::analysis::Analyzer;
/// use painpoint::Language;
///
/// let analyzer = Analyzer::new(Language::English);
/// let analysis = analyzer.analyze("The app CRASHES when exporting");
/// let stems: Vec<&str> = analysis.iter().map(|t| t.stem).collect();
/// assert_eq!(stems, ["the", "app", "crash", "when", "export"]);
/// assert!(analysis.get(0).stop);
/// assert_eq!(analysis.get(2).span.start, 8);
/// ```
#[derive(Debug, Clone)]
pub struct Analyzer {
    stemmer: Stemmer,
    stop_words: StopWords,
    max_tokens: usize,
    stemming: bool,
    /// The words the language elides before a vowel ("l'"), split off
    /// their word ([`super::elision`]); empty for most languages.
    elisions: &'static [&'static str],
}

impl Analyzer {
    /// An analyzer for `language` with no token limit: its [`Stemmer`] and
    /// [`StopWords`].
    ///
    /// ```
    /// use painpoint::analysis::Analyzer;
    /// use painpoint::Language;
    ///
    /// let analysis = Analyzer::new(Language::Spanish).analyze("Las tarjetas");
    /// assert!(analysis.get(0).stop);
    /// assert_eq!(analysis.get(1).stem, "tarjet");
    /// ```
    pub fn new(language: Language) -> Analyzer {
        Analyzer {
            stemmer: Stemmer::new(language),
            stop_words: StopWords::for_language(language),
            max_tokens: usize::MAX,
            stemming: true,
            elisions: super::elision::articles(language),
        }
    }

    /// Skips stemming: every token's stem is its folded form. For callers
    /// that stem lazily, only the words they do not already know.
    ///
    /// ```
    /// use painpoint::analysis::Analyzer;
    /// use painpoint::Language;
    ///
    /// let analysis = Analyzer::new(Language::English).without_stemming().analyze("crashes");
    /// assert_eq!(analysis.get(0).stem, "crashes");
    /// ```
    pub fn without_stemming(mut self) -> Analyzer {
        self.stemming = false;
        self
    }

    /// Keeps at most `max_tokens` tokens of any text; the analysis of a
    /// longer text stops there and says so ([`Analysis::truncated`]). Bounds
    /// the work and memory per text whatever its length.
    ///
    /// ```
    /// use painpoint::analysis::Analyzer;
    /// use painpoint::Language;
    ///
    /// let analysis = Analyzer::new(Language::English).with_max_tokens(3).analyze("a b c d e");
    /// assert_eq!((analysis.len(), analysis.truncated()), (3, true));
    /// ```
    pub fn with_max_tokens(mut self, max_tokens: usize) -> Analyzer {
        self.max_tokens = max_tokens;
        self
    }

    /// The language of this analyzer.
    ///
    /// ```
    /// use painpoint::analysis::Analyzer;
    /// use painpoint::Language;
    ///
    /// assert_eq!(Analyzer::new(Language::Dutch).language(), Language::Dutch);
    /// ```
    pub fn language(&self) -> Language {
        self.stemmer.language()
    }

    /// The stemmer in use, for stemming words outside an analysis the same
    /// way.
    ///
    /// ```
    /// use painpoint::analysis::Analyzer;
    /// use painpoint::Language;
    ///
    /// let analyzer = Analyzer::new(Language::English);
    /// assert_eq!(analyzer.stemmer().language(), Language::English);
    /// assert_eq!(analyzer.stemmer().stem("crashes"), analyzer.analyze("crashes").get(0).stem);
    /// ```
    pub fn stemmer(&self) -> &Stemmer {
        &self.stemmer
    }

    /// The stop words in use.
    ///
    /// ```
    /// use painpoint::analysis::Analyzer;
    /// use painpoint::Language;
    ///
    /// assert!(Analyzer::new(Language::English).stop_words().contains("the"));
    /// assert!(Analyzer::new(Language::None).stop_words().is_empty());
    /// ```
    pub fn stop_words(&self) -> &StopWords {
        &self.stop_words
    }

    /// Analyses `text` into a new buffer. Cost: linear in the length of
    /// `text` (up to the token limit); never panics.
    ///
    /// ```
    /// use painpoint::analysis::Analyzer;
    /// use painpoint::Language;
    ///
    /// let analysis = Analyzer::new(Language::English).analyze("Crashed twice 😡");
    /// let folded: Vec<&str> = analysis.iter().map(|t| t.folded).collect();
    /// assert_eq!(folded, ["crashed", "twice"]);
    /// ```
    pub fn analyze(&self, text: &str) -> Analysis {
        let mut analysis = Analysis::new();
        self.analyze_into(text, &mut analysis);
        analysis
    }

    /// Analyses `text` into `out`, replacing what it held (tokens and
    /// truncation flag). Reuses `out`'s buffers: once they are large enough,
    /// no word allocates. Cost: linear in the length of `text`.
    ///
    /// ```
    /// use painpoint::analysis::{Analysis, Analyzer};
    /// use painpoint::Language;
    ///
    /// let analyzer = Analyzer::new(Language::English);
    /// let mut buffer = Analysis::new();
    /// analyzer.analyze_into("my card has not arrived yet", &mut buffer);
    /// analyzer.analyze_into("refund please", &mut buffer);
    /// let stems: Vec<&str> = buffer.iter().map(|t| t.stem).collect();
    /// assert_eq!(stems, ["refund", "pleas"]);
    /// ```
    pub fn analyze_into(&self, text: &str, out: &mut Analysis) {
        out.clear();
        // Two copies of the loop: most languages have no elision to look for.
        if self.elisions.is_empty() {
            self.push_words(text, words(text), out);
        } else {
            self.push_words(text, Elided::new(words(text), text, self.elisions), out);
        }
    }

    /// Analyses the words of `text` at `spans` into `out`.
    fn push_words(&self, text: &str, spans: impl Iterator<Item = Span>, out: &mut Analysis) {
        for span in spans {
            if out.tokens.len() >= self.max_tokens {
                out.truncated = true;
                break;
            }
            let folded_start = out.buf.len();
            fold_into(&text[span.start..span.end], &mut out.buf);
            let folded_end = out.buf.len();
            let stop = self.stop_words.contains(&out.buf[folded_start..folded_end]);
            self.push_token(out, span, (folded_start, folded_end), stop);
        }
    }

    /// Stems the folded word at `folded` of `out.buf` and adds its token.
    #[inline]
    fn push_token(&self, out: &mut Analysis, span: Span, folded: (usize, usize), stop: bool) {
        self.push_token_with(out, span, folded, stop, KnownStem::Unknown);
    }

    /// [`Analyzer::push_token`] with the stem the caller may know already
    /// (it must be this analyzer's stem of the word).
    #[inline]
    fn push_token_with(
        &self,
        out: &mut Analysis,
        span: Span,
        folded: (usize, usize),
        stop: bool,
        known: KnownStem<'_>,
    ) {
        let (folded_start, folded_end) = folded;
        // The stem goes after the folded word, unless it equals it.
        let stem_range = match known {
            KnownStem::Other(stem) if self.stemming => {
                out.buf.push_str(stem);
                (folded_end as u32, out.buf.len() as u32)
            }
            KnownStem::Unknown
                if self.stemming
                    && self
                        .stemmer
                        .stem_in_place(&mut out.buf, folded_start..folded_end) =>
            {
                (folded_end as u32, out.buf.len() as u32)
            }
            _ => (folded_start as u32, folded_end as u32),
        };
        out.tokens.push(RawToken {
            span,
            folded: (folded_start as u32, folded_end as u32),
            stem: stem_range,
            stop,
        });
    }

    /// The range in `buf` of the stem of the folded word `buf[word]`,
    /// appended to `buf`; `None` when the stem is the word itself.
    fn stem_after(
        &self,
        buf: &mut String,
        word: Range<usize>,
        known: KnownStem<'_>,
    ) -> Option<(u32, u32)> {
        let start = buf.len();
        match known {
            KnownStem::Word => return None,
            KnownStem::Other(stem) => buf.push_str(stem),
            KnownStem::Unknown => {
                if !self.stemmer.stem_in_place(buf, word) {
                    return None;
                }
            }
        }
        Some((start as u32, buf.len() as u32))
    }

    /// Like [`Analyzer::analyze_into`], but each folded word is looked up
    /// once by the caller: `lookup(folded bytes, key)` (the key is
    /// [`word_key`] of the folded bytes, computed as the word is folded)
    /// returns the caller's id of the word, whether it is a stop word,
    /// which must be this analyzer's [`StopWords::contains`], and its stem
    /// if the caller knows it, which must be this analyzer's stem, for the
    /// output to equal `analyze_into`'s (a known stem saves stemming the
    /// word). The ids go to `ids`, one per token.
    ///
    /// All-ASCII text is segmented and folded without the general
    /// machinery. Stops after `limit + 1` tokens: a caller that takes
    /// `limit` sees that there were more. Cost: linear in the text.
    pub(crate) fn analyze_with_lookup<'v>(
        &self,
        text: &str,
        limit: usize,
        out: &mut Analysis,
        ids: &mut Vec<u32>,
        mut lookup: impl FnMut(&[u8], u64) -> (u32, bool, KnownStem<'v>),
    ) {
        out.clear();
        ids.clear();
        let max_tokens = self.max_tokens.min(limit.saturating_add(1));
        if text.is_ascii() {
            // The folded text is the text lowercased, once: each token's
            // folded form is its own span of it, with no copy per word;
            // stems that differ from their word go after the text.
            out.buf.push_str(text);
            out.buf.make_ascii_lowercase();
            for span in Elided::new(AsciiWords::new(text), text, self.elisions) {
                if out.tokens.len() >= max_tokens {
                    out.truncated = self.max_tokens <= max_tokens;
                    break;
                }
                let lowered = out.buf.as_bytes();
                let Some(folded) = lowered.get(span.start..span.end) else {
                    break;
                };
                // The key of a short word is one load, masked to its length
                // (equal to `word_key`), where eight bytes are left to read.
                let key = match lowered.get(span.start..span.start + 8) {
                    Some(&[a, b, c, d, e, f, g, h]) if folded.len() <= 8 => {
                        let shift = ((8 - folded.len()) * 8) as u32;
                        u64::from_le_bytes([a, b, c, d, e, f, g, h])
                            & u64::MAX.checked_shr(shift).unwrap_or(0)
                    }
                    _ => word_key(folded),
                };
                let (id, stop, known) = lookup(folded, key);
                ids.push(id);
                let range = (span.start as u32, span.end as u32);
                let stem = if self.stemming {
                    self.stem_after(&mut out.buf, span.start..span.end, known)
                        .unwrap_or(range)
                } else {
                    range
                };
                out.tokens.push(RawToken {
                    span,
                    folded: range,
                    stem,
                    stop,
                });
            }
        } else {
            self.analyze_unicode_with_lookup(text, max_tokens, out, ids, lookup);
        }
    }

    /// [`Analyzer::analyze_with_lookup`] for text that is not all ASCII
    /// (`max_tokens`: the tokens to stop after), through the general
    /// segmentation and folding. Out of line: most tickets are ASCII, and
    /// the ASCII loop stays small.
    #[inline(never)]
    fn analyze_unicode_with_lookup<'v>(
        &self,
        text: &str,
        max_tokens: usize,
        out: &mut Analysis,
        ids: &mut Vec<u32>,
        mut lookup: impl FnMut(&[u8], u64) -> (u32, bool, KnownStem<'v>),
    ) {
        for span in Elided::new(words(text), text, self.elisions) {
            if out.tokens.len() >= max_tokens {
                out.truncated = self.max_tokens <= max_tokens;
                break;
            }
            let folded_start = out.buf.len();
            fold_into(&text[span.start..span.end], &mut out.buf);
            let folded_end = out.buf.len();
            let folded = out.buf.as_bytes().get(folded_start..folded_end);
            let folded = folded.unwrap_or_default();
            let (id, stop, stem) = lookup(folded, word_key(folded));
            ids.push(id);
            self.push_token_with(out, span, (folded_start, folded_end), stop, stem);
        }
    }
}

/// What a caller of [`Analyzer::analyze_with_lookup`] knows of a word's
/// stem.
#[derive(Debug, Clone, Copy)]
pub(crate) enum KnownStem<'v> {
    /// Not known: the analyzer stems the word.
    Unknown,
    /// The stem is the word itself.
    Word,
    /// The stem, other than the word.
    Other(&'v str),
}

/// A key of a folded word for hash lookups: its first eight bytes (little
/// endian, zero padded), so that words of up to eight bytes (most words)
/// are told apart by the key alone (a folded word holds no NUL byte); the
/// rest of a longer word is hashed in (FNV-1a), and such keys may collide.
pub(crate) fn word_key(folded: &[u8]) -> u64 {
    match folded.split_first_chunk::<8>() {
        Some((head, [])) => u64::from_le_bytes(*head),
        Some((head, rest)) => fnv1a(u64::from_le_bytes(*head), rest.iter().copied()),
        None => folded.iter().rev().fold(0, |w, &b| w << 8 | u64::from(b)),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The one-lookup path gives the same analysis as the general one when
    /// the lookup reports the analyzer's own stop words.
    #[test]
    fn short_words_have_their_own_keys() {
        assert_eq!(word_key(b"ab"), u64::from(b'a') | u64::from(b'b') << 8);
        assert_eq!(word_key(b"abcdefgh"), u64::from_le_bytes(*b"abcdefgh"));
        assert_ne!(word_key(b"abcdefgh"), word_key(b"abcdefghi"));
        assert_ne!(word_key(b"a"), word_key(b""));
    }

    #[test]
    fn lookup_path_equals_general_path() {
        let texts = [
            "",
            "The app CRASHES when exporting, can't log in: 3.5 times!",
            "Café déjà vu — l’app s'est arrêtée, İstanbul ﬁle",
            "数据导出失败 and the export is slow",
            "a b c d e f g",
            // Elisions, split in French and Italian (ASCII and not).
            "l'application n'arrive pas jusqu'a l'ecran",
            "l\u{2019}été dell'account",
        ];
        for language in [
            Language::English,
            Language::French,
            Language::Italian,
            Language::None,
        ] {
            for stemming in [true, false] {
                let mut analyzer = Analyzer::new(language);
                if !stemming {
                    analyzer = analyzer.without_stemming();
                }
                for text in texts {
                    let expected = analyzer.analyze(text);
                    // The stems a caller knows: every other word's.
                    let stems: Vec<(String, String)> = expected
                        .iter()
                        .step_by(2)
                        .map(|t| {
                            (
                                t.folded.to_string(),
                                analyzer.stemmer().stem(t.folded).into(),
                            )
                        })
                        .collect();
                    let (mut got, mut ids) = (Analysis::new(), Vec::new());
                    analyzer.analyze_with_lookup(text, usize::MAX, &mut got, &mut ids, |w, h| {
                        assert_eq!(h, word_key(w));
                        let w = std::str::from_utf8(w).unwrap();
                        let stem = match stems.iter().find(|(word, _)| word == w) {
                            Some((word, stem)) if stem == word => KnownStem::Word,
                            Some((_, stem)) => KnownStem::Other(stem),
                            None => KnownStem::Unknown,
                        };
                        (w.len() as u32, analyzer.stop_words().contains(w), stem)
                    });
                    assert_eq!(
                        got.iter().collect::<Vec<_>>(),
                        expected.iter().collect::<Vec<_>>()
                    );
                    assert_eq!(got.truncated(), expected.truncated());
                    let lengths: Vec<u32> =
                        expected.iter().map(|t| t.folded.len() as u32).collect();
                    assert_eq!(ids, lengths);
                    // A limit keeps one token more than it allows.
                    analyzer.analyze_with_lookup(text, 2, &mut got, &mut ids, |_, _| {
                        (0, false, KnownStem::Unknown)
                    });
                    assert_eq!(got.len(), expected.len().min(3));
                    assert_eq!(ids.len(), got.len());
                }
            }
        }
        // The analyzer's own token limit still says it truncated.
        let analyzer = Analyzer::new(Language::English).with_max_tokens(2);
        let (mut got, mut ids) = (Analysis::new(), Vec::new());
        analyzer.analyze_with_lookup("one two three", 5, &mut got, &mut ids, |_, _| {
            (0, false, KnownStem::Unknown)
        });
        assert_eq!((got.len(), got.truncated()), (2, true));
        analyzer.analyze_with_lookup("one two three", 1, &mut got, &mut ids, |_, _| {
            (0, false, KnownStem::Unknown)
        });
        assert_eq!((got.len(), got.truncated()), (2, true));
        analyzer.analyze_with_lookup("one two", 5, &mut got, &mut ids, |_, _| {
            (0, false, KnownStem::Unknown)
        });
        assert_eq!((got.len(), got.truncated()), (2, false));
    }
}
