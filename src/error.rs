//! The crate's single error type.

/// Everything that can go wrong in painpoint.
///
/// Every variant that concerns a product names the offending place with a
/// JSON-style path such as `capabilities[2].features[5].id`, so a person editing
/// the product file can go straight to it.
///
/// # Example
///
/// ```
/// use painpoint::{Error, Product};
///
/// let product = Product::new("shop", "Shop").capability(
///     painpoint::Capability::new("", "Checkout"),
/// );
/// let err = product.validate().unwrap_err();
/// assert_eq!(err.to_string(), "capabilities[0].id: must not be empty");
/// assert!(matches!(err, Error::Empty { .. }));
/// ```
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
#[non_exhaustive]
pub enum Error {
    /// Two nodes of one product share an id.
    #[error("{path}: duplicate id {id:?} (first at {first})")]
    DuplicateId {
        /// Path of the second occurrence.
        path: String,
        /// The repeated id.
        id: String,
        /// Path of the first occurrence.
        first: String,
    },
    /// A required string (an id, a name) is empty or only white space.
    #[error("{path}: must not be empty")]
    Empty {
        /// Path of the empty field.
        path: String,
    },
    /// A language name that painpoint does not know.
    #[error("{path}: unknown language {value:?} (expected one of {expected})")]
    UnknownLanguage {
        /// Path of the field.
        path: String,
        /// The name given.
        value: String,
        /// The accepted names, comma separated.
        expected: &'static str,
    },
    /// An exclusion phrase that is also a keyword of the same node, so the
    /// node could never match on that keyword.
    #[error("{path}: exclusion {value:?} is also a keyword of this node")]
    ExclusionIsKeyword {
        /// Path of the exclusion.
        path: String,
        /// The phrase.
        value: String,
    },
    /// A number that must be finite (and often within a range) is not.
    #[error("{path}: {value} is not allowed ({rule})")]
    BadNumber {
        /// Path of the number.
        path: String,
        /// The value, as text (`NaN`, `inf`, `1.5`).
        value: String,
        /// The rule it breaks, such as `a finite number in [0, 1]`.
        rule: &'static str,
    },
    /// A configured limit was exceeded by a product.
    #[error("{path}: {what} is {actual}, above the limit of {limit}")]
    LimitExceeded {
        /// Path of the offending part.
        path: String,
        /// What was measured.
        what: &'static str,
        /// The measured size.
        actual: usize,
        /// The configured limit.
        limit: usize,
    },
    /// A value that could not be parsed, such as a timestamp.
    #[error("{path}: cannot parse {value:?}: {reason}")]
    Parse {
        /// Path or field name of the value.
        path: String,
        /// The text that failed to parse; a longer one is cut after at most
        /// 80 bytes (on a `char` boundary) and ends in `...`.
        value: String,
        /// Why it failed.
        reason: &'static str,
    },
    /// Two values that must agree (such as ledgers being merged) do not.
    #[error("{what}: {reason}")]
    Mismatch {
        /// What was being combined.
        what: &'static str,
        /// Why they do not fit.
        reason: String,
    },
}

/// A shorthand for results whose error is [`Error`] (the error type can
/// still be overridden, as with `std::result::Result`).
///
/// ```
/// use painpoint::{Product, Tagger};
///
/// fn compile(json: &str) -> painpoint::Result<Tagger, String> {
///     let product: Product = serde_json::from_str(json).map_err(|e| e.to_string())?;
///     Tagger::new(&product).map_err(|e| e.to_string())
/// }
///
/// fn threshold_of(product: &Product) -> painpoint::Result<f64> {
///     Ok(Tagger::new(product)?.threshold())
/// }
///
/// assert_eq!(threshold_of(&Product::new("p", "P").threshold(0.4)), Ok(0.4));
/// assert!(threshold_of(&Product::new("p", "").threshold(0.4)).is_err());
/// assert!(compile(r#"{"id": "p"}"#).unwrap_err().contains("name"));
/// ```
pub type Result<T, E = Error> = std::result::Result<T, E>;

/// Shortens `value` to at most `max` bytes on a char boundary, for messages.
pub(crate) fn clip(value: &str, max: usize) -> String {
    if value.len() <= max {
        return value.to_string();
    }
    let mut end = max;
    while !value.is_char_boundary(end) {
        end -= 1;
    }
    format!("{}...", &value[..end])
}
