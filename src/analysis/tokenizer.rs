//! Unicode word segmentation with byte offsets into the original text.

use unicode_segmentation::UnicodeSegmentation;

use crate::span::Span;

/// Splits text into words by the Unicode word-boundary rules (UAX #29).
///
/// Only segments that contain at least one letter or digit are words:
/// spaces, punctuation and emoji are skipped. Each word comes with its byte
/// span in the original text, which later filters never change. Scripts
/// written without spaces follow UAX #29, which gives them no word
/// boundaries: each Han, kana or Thai character (cluster) is a word of its
/// own. A multi-character keyword in such a script still matches, as a
/// phrase found in order; a lone character never carries a match on its own,
/// and typo tolerance does not apply to them.
///
/// All-ASCII text takes a fast path that applies the same rules directly to
/// bytes (a property test checks it against `unicode-segmentation`); one
/// non-ASCII byte sends the whole text down the general path.
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
pub fn words(text: &str) -> Words<'_> {
    if text.is_ascii() {
        Words::Ascii(AsciiWords {
            bytes: text.as_bytes(),
            at: 0,
        })
    } else {
        Words::Unicode(text.split_word_bound_indices())
    }
}

/// The iterator returned by [`words`].
#[derive(Debug, Clone)]
pub enum Words<'a> {
    /// Fast path for all-ASCII text.
    #[doc(hidden)]
    Ascii(AsciiWords<'a>),
    /// General path.
    #[doc(hidden)]
    Unicode(unicode_segmentation::UWordBoundIndices<'a>),
}

impl Iterator for Words<'_> {
    type Item = Span;

    fn next(&mut self) -> Option<Span> {
        match self {
            Words::Ascii(words) => words.next(),
            Words::Unicode(segments) => segments.find_map(|(start, word)| {
                if is_word(word) {
                    Some(Span::new(start, start + word.len()))
                } else {
                    None
                }
            }),
        }
    }
}

fn is_word(segment: &str) -> bool {
    segment.chars().any(char::is_alphanumeric)
}

/// UAX #29 word segmentation restricted to ASCII, yielding only segments
/// that hold a letter or digit.
#[doc(hidden)]
#[derive(Debug, Clone)]
pub struct AsciiWords<'a> {
    bytes: &'a [u8],
    at: usize,
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum Class {
    Letter,
    Numeric,
    /// `_` (ExtendNumLet)
    Connector,
    /// `:` (MidLetter)
    MidLetter,
    /// `.` and `'` (MidNumLet, Single_Quote)
    MidNumLet,
    /// `,` and `;` (MidNum)
    MidNum,
    Other,
}

/// [`class_of`] for every byte, computed at compile time: one load per byte
/// on the hot path.
const CLASSES: [Class; 256] = {
    let mut table = [Class::Other; 256];
    let mut b = 0;
    while b < 256 {
        table[b] = class_of(b as u8);
        b += 1;
    }
    table
};

fn class(b: u8) -> Class {
    CLASSES[b as usize]
}

const fn class_of(b: u8) -> Class {
    match b {
        b'a'..=b'z' | b'A'..=b'Z' => Class::Letter,
        b'0'..=b'9' => Class::Numeric,
        b'_' => Class::Connector,
        b':' => Class::MidLetter,
        b'.' | b'\'' => Class::MidNumLet,
        b',' | b';' => Class::MidNum,
        _ => Class::Other,
    }
}

impl AsciiWords<'_> {
    /// The words of `text`, which the caller knows to be all ASCII.
    pub(crate) fn new(text: &str) -> AsciiWords<'_> {
        AsciiWords {
            bytes: text.as_bytes(),
            at: 0,
        }
    }
}

impl Iterator for AsciiWords<'_> {
    type Item = Span;

    fn next(&mut self) -> Option<Span> {
        let bytes = self.bytes;
        loop {
            // Skip to the start of a word-ish run.
            while self.at < bytes.len()
                && !matches!(
                    class(bytes[self.at]),
                    Class::Letter | Class::Numeric | Class::Connector
                )
            {
                self.at += 1;
            }
            if self.at >= bytes.len() {
                return None;
            }
            let start = self.at;
            let mut has_alnum = false;
            let mut i = start;
            while i < bytes.len() {
                let c = class(bytes[i]);
                match c {
                    Class::Letter | Class::Numeric | Class::Connector => {
                        has_alnum |= c != Class::Connector;
                        i += 1;
                    }
                    Class::MidLetter | Class::MidNumLet | Class::MidNum
                        if i > start && i + 1 < bytes.len() =>
                    {
                        let before = class(bytes[i - 1]);
                        let after = class(bytes[i + 1]);
                        // WB6/WB7: letter (MidLetter | MidNumLetQ) letter.
                        let letters = before == Class::Letter
                            && after == Class::Letter
                            && matches!(c, Class::MidLetter | Class::MidNumLet);
                        // WB11/WB12: digit (MidNum | MidNumLetQ) digit.
                        let digits = before == Class::Numeric
                            && after == Class::Numeric
                            && matches!(c, Class::MidNum | Class::MidNumLet);
                        if letters || digits {
                            i += 2;
                            has_alnum = true;
                        } else {
                            break;
                        }
                    }
                    _ => break,
                }
            }
            self.at = i;
            if has_alnum {
                return Some(Span::new(start, i));
            }
        }
    }
}
