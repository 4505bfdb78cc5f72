//! Elision: French and Italian glue an article, pronoun or conjunction to
//! the next word with an apostrophe ("l'application", "n'arrive",
//! "dell'account"). Word segmentation (UAX #29) keeps the two as one word,
//! so "l'application" would never match "application". This step splits
//! such a word in two spans, the elided word and the word it leans on; both
//! stay tokens (the elided one is a stop word, and French "n'" still
//! negates). A step of its own, after Lucene's `ElisionFilter`.

use crate::span::Span;

/// The words French elides before a vowel (as in Lucene's French analyzer).
const FRENCH: &[&str] = &[
    "l", "m", "t", "qu", "n", "s", "j", "d", "c", "jusqu", "quoiqu", "lorsqu", "puisqu",
];

/// The words Italian elides before a vowel (as in Lucene's Italian
/// analyzer).
const ITALIAN: &[&str] = &[
    "c", "l", "all", "dall", "dell", "nell", "sull", "coll", "pell", "gl", "agl", "dagl", "degl",
    "negl", "sugl", "un", "m", "t", "s", "v", "d",
];

/// The elided words of `language`, empty for a language without elision.
pub(crate) fn articles(language: super::Language) -> &'static [&'static str] {
    match language {
        super::Language::French => FRENCH,
        super::Language::Italian => ITALIAN,
        _ => &[],
    }
}

/// Splits the word at `span` of `text` after an elided word of `articles`
/// ("l'" of "l'application", with a straight or typographic apostrophe):
/// the elided word's span (without its apostrophe) and the rest's, or
/// `None` when the word has no such prefix. Cost: the prefix's length.
pub(crate) fn split(text: &str, span: Span, articles: &[&str]) -> Option<(Span, Span)> {
    let word = text.get(span.start..span.end)?;
    // The longest elided word has six bytes ("quoiqu").
    let (at, apostrophe) = word
        .char_indices()
        .take(8)
        .find(|&(_, c)| c == '\'' || c == '\u{2019}')?;
    let prefix = &word[..at];
    let rest = at + apostrophe.len_utf8();
    if rest == word.len() || !articles.iter().any(|a| a.eq_ignore_ascii_case(prefix)) {
        return None;
    }
    Some((
        Span::new(span.start, span.start + at),
        Span::new(span.start + rest, span.end),
    ))
}

/// The spans of `spans` with every elided word split off its word
/// ([`split`]); passes them through unchanged when `articles` is empty.
pub(crate) struct Elided<'t, I> {
    spans: I,
    text: &'t str,
    articles: &'static [&'static str],
    /// The second half of a split word, to yield next.
    pending: Option<Span>,
}

impl<'t, I: Iterator<Item = Span>> Elided<'t, I> {
    pub(crate) fn new(spans: I, text: &'t str, articles: &'static [&'static str]) -> Self {
        Elided {
            spans,
            text,
            articles,
            pending: None,
        }
    }
}

impl<I: Iterator<Item = Span>> Iterator for Elided<'_, I> {
    type Item = Span;

    fn next(&mut self) -> Option<Span> {
        if let Some(span) = self.pending.take() {
            return Some(span);
        }
        let span = self.spans.next()?;
        if self.articles.is_empty() {
            return Some(span);
        }
        match split(self.text, span, self.articles) {
            Some((article, word)) => {
                self.pending = Some(word);
                Some(article)
            }
            None => Some(span),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::analysis::{Language, words};

    fn pieces(text: &str, language: Language) -> Vec<&str> {
        Elided::new(words(text), text, articles(language))
            .map(|s| &text[s.range()])
            .collect()
    }

    #[test]
    fn splits_french_and_italian_elisions() {
        assert_eq!(
            pieces("L'application n’arrive pas", Language::French),
            ["L", "application", "n", "arrive", "pas"]
        );
        assert_eq!(
            pieces("jusqu'à l'été", Language::French),
            ["jusqu", "à", "l", "été"]
        );
        assert_eq!(
            pieces("dell'account", Language::Italian),
            ["dell", "account"]
        );
    }

    #[test]
    fn leaves_other_words_and_languages_alone() {
        // Not an elided word, or nothing after the apostrophe.
        assert_eq!(pieces("aujourd'hui", Language::French), ["aujourd'hui"]);
        assert_eq!(pieces("l'", Language::French), ["l"]);
        // English and German have no elision.
        assert_eq!(
            pieces("l'application", Language::English),
            ["l'application"]
        );
        assert_eq!(pieces("don't", Language::French), ["don't"]);
    }
}
