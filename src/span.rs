//! Byte spans into ticket text.

use serde::{Deserialize, Serialize};

/// A half-open byte range `start..end` into a text, always on `char`
/// boundaries. Serializes as a two-element array `[start, end]`.
///
/// # Example
///
/// ```
/// use painpoint::Span;
///
/// let text = "refund please";
/// let span = Span::new(0, 6);
/// assert_eq!(&text[span.range()], "refund");
/// assert_eq!(serde_json::to_string(&span).unwrap(), "[0,6]");
/// ```
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Default, Serialize, Deserialize,
)]
#[serde(from = "[usize; 2]", into = "[usize; 2]")]
pub struct Span {
    /// First byte.
    pub start: usize,
    /// One past the last byte.
    pub end: usize,
}

impl Span {
    /// A span from `start` to `end`.
    pub fn new(start: usize, end: usize) -> Span {
        Span { start, end }
    }

    /// The span as a range, for slicing.
    pub fn range(self) -> std::ops::Range<usize> {
        self.start..self.end
    }

    /// The length in bytes.
    pub fn len(self) -> usize {
        self.end.saturating_sub(self.start)
    }

    /// Whether the span is empty.
    pub fn is_empty(self) -> bool {
        self.end <= self.start
    }
}

impl From<[usize; 2]> for Span {
    fn from([start, end]: [usize; 2]) -> Span {
        Span { start, end }
    }
}

impl From<Span> for [usize; 2] {
    fn from(span: Span) -> [usize; 2] {
        [span.start, span.end]
    }
}
