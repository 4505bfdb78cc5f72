//! Byte spans into ticket text.

use serde::{Deserialize, Serialize};

/// A half-open byte range `start..end` into a text. Serializes as a
/// two-element array `[start, end]`.
///
/// Every span painpoint produces (evidence, tokens) lies on `char`
/// boundaries of the text it points into; [`Span::new`] does not check
/// this, so a span built by hand is only as good as its numbers.
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
    /// A span from `start` to `end`. Nothing is checked: a span with
    /// `end < start` is simply empty.
    ///
    /// ```
    /// use painpoint::Span;
    ///
    /// let span = Span::new(3, 9);
    /// assert_eq!((span.start, span.end), (3, 9));
    /// ```
    pub fn new(start: usize, end: usize) -> Span {
        Span { start, end }
    }

    /// The span as a range, for slicing.
    ///
    /// ```
    /// use painpoint::Span;
    ///
    /// let text = "card not arrived";
    /// assert_eq!(&text[Span::new(5, 8).range()], "not");
    /// ```
    pub fn range(self) -> std::ops::Range<usize> {
        self.start..self.end
    }

    /// The length in bytes (0 when `end <= start`, never an underflow).
    ///
    /// ```
    /// use painpoint::Span;
    ///
    /// assert_eq!(Span::new(0, "café".len()).len(), 5); // bytes, not chars
    /// assert_eq!(Span::new(7, 3).len(), 0);
    /// ```
    pub fn len(self) -> usize {
        self.end.saturating_sub(self.start)
    }

    /// Whether the span is empty (`end <= start`).
    ///
    /// ```
    /// use painpoint::Span;
    ///
    /// assert!(Span::new(4, 4).is_empty());
    /// assert!(Span::new(7, 3).is_empty());
    /// assert!(!Span::new(0, 1).is_empty());
    /// ```
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
