//! Unicode word segmentation with byte offsets into the original text.

use unicode_segmentation::UnicodeSegmentation;

use crate::span::Span;

/// Splits text into words by the Unicode word-boundary rules (UAX #29).
///
/// Only segments that contain at least one letter or digit are words:
/// spaces, punctuation and emoji are skipped. Each word comes with its byte
/// span in the original text, which later filters never change. Scripts
/// written without spaces follow UAX #29: each Han or kana character is a
/// word of its own (phrases of them still match in order), Thai runs stay
/// whole.
///
/// Cost: linear in the length of the text.
///
/// # Example
///
/// ```
/// use painpoint::analysis::words;
///
/// let text = "Can't log in — l'app crashed!";
/// let found: Vec<&str> = words(text).map(|span| &text[span.start..span.end]).collect();
/// assert_eq!(found, ["Can't", "log", "in", "l'app", "crashed"]);
/// ```
pub fn words(text: &str) -> impl Iterator<Item = Span> + '_ {
    text.split_word_bound_indices().filter_map(|(start, word)| {
        if is_word(word) {
            Some(Span::new(start, start + word.len()))
        } else {
            None
        }
    })
}

fn is_word(segment: &str) -> bool {
    let first = segment.as_bytes()[0];
    if first.is_ascii() {
        // ASCII fast path: most segments are a single ASCII letter run or a
        // single space / punctuation byte.
        if first.is_ascii_alphanumeric() {
            return true;
        }
        if segment.len() == 1 {
            return false;
        }
    }
    segment.chars().any(char::is_alphanumeric)
}
