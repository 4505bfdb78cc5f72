//! The analysis pipeline: words -> folded -> stop-word flag -> stem.

use super::{Language, Stemmer, StopWords, fold_into, words};
use crate::span::Span;

/// One analysed word.
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
/// avoids an allocation per word.
#[derive(Debug, Clone, Default)]
pub struct Analysis {
    buf: String,
    tokens: Vec<RawToken>,
    truncated: bool,
}

impl Analysis {
    /// An empty buffer.
    pub fn new() -> Analysis {
        Analysis::default()
    }

    /// The number of tokens.
    pub fn len(&self) -> usize {
        self.tokens.len()
    }

    /// Whether there are no tokens.
    pub fn is_empty(&self) -> bool {
        self.tokens.is_empty()
    }

    /// Whether the analyser stopped early because of its token limit.
    pub fn truncated(&self) -> bool {
        self.truncated
    }

    /// The token at `index`.
    ///
    /// # Panics
    ///
    /// If `index >= self.len()`.
    pub fn get(&self, index: usize) -> Token<'_> {
        let raw = self.tokens[index];
        Token {
            span: raw.span,
            folded: &self.buf[raw.folded.0 as usize..raw.folded.1 as usize],
            stem: &self.buf[raw.stem.0 as usize..raw.stem.1 as usize],
            stop: raw.stop,
        }
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
}

impl Analyzer {
    /// An analyzer for `language` with no token limit.
    pub fn new(language: Language) -> Analyzer {
        Analyzer {
            stemmer: Stemmer::new(language),
            stop_words: StopWords::for_language(language),
            max_tokens: usize::MAX,
            stemming: true,
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

    /// Keeps at most `max_tokens` tokens of any text.
    pub fn with_max_tokens(mut self, max_tokens: usize) -> Analyzer {
        self.max_tokens = max_tokens;
        self
    }

    /// The language of this analyzer.
    pub fn language(&self) -> Language {
        self.stemmer.language()
    }

    /// The stemmer in use.
    pub fn stemmer(&self) -> &Stemmer {
        &self.stemmer
    }

    /// The stop words in use.
    pub fn stop_words(&self) -> &StopWords {
        &self.stop_words
    }

    /// Analyses `text` into a new buffer.
    pub fn analyze(&self, text: &str) -> Analysis {
        let mut analysis = Analysis::new();
        self.analyze_into(text, &mut analysis);
        analysis
    }

    /// Analyses `text` into `out`, replacing what it held.
    pub fn analyze_into(&self, text: &str, out: &mut Analysis) {
        out.clear();
        for span in words(text) {
            if out.tokens.len() >= self.max_tokens {
                out.truncated = true;
                break;
            }
            let folded_start = out.buf.len();
            fold_into(&text[span.start..span.end], &mut out.buf);
            let folded_end = out.buf.len();
            let folded = &out.buf[folded_start..folded_end];
            let stop = self.stop_words.contains(folded);
            // The stem goes after the folded word, unless it equals it.
            let stem_range =
                if self.stemming && self.stemmer.stem_in_place(&mut out.buf, folded_start) {
                    (folded_end as u32, out.buf.len() as u32)
                } else {
                    (folded_start as u32, folded_end as u32)
                };
            out.tokens.push(RawToken {
                span,
                folded: (folded_start as u32, folded_end as u32),
                stem: stem_range,
                stop,
            });
        }
    }
}
