//! Snowball stemming per language.

use std::borrow::Cow;
use std::fmt;

use super::Language;

/// Reduces a folded word to its stem with the Snowball algorithm of a
/// language; a no-op for [`Language::None`].
///
/// # Example
///
/// ```
/// use painpoint::analysis::Stemmer;
/// use painpoint::Language;
///
/// let en = Stemmer::new(Language::English);
/// assert_eq!(en.stem("crashes"), en.stem("crashing"));
/// assert_eq!(Stemmer::new(Language::None).stem("crashes"), "crashes");
/// ```
#[derive(Clone)]
pub struct Stemmer {
    language: Language,
    inner: Option<std::sync::Arc<rust_stemmers::Stemmer>>,
}

impl Stemmer {
    /// The stemmer for `language`.
    pub fn new(language: Language) -> Stemmer {
        Stemmer {
            language,
            inner: language
                .algorithm()
                .map(|a| std::sync::Arc::new(rust_stemmers::Stemmer::create(a))),
        }
    }

    /// The language this stemmer serves.
    pub fn language(&self) -> Language {
        self.language
    }

    /// The stem of `folded`, which must already be case folded.
    pub fn stem<'a>(&self, folded: &'a str) -> Cow<'a, str> {
        match &self.inner {
            // Snowball stemmers leave very short words alone anyway; skip the call.
            Some(stemmer) if folded.len() > 2 => stemmer.stem(folded),
            _ => Cow::Borrowed(folded),
        }
    }
}

impl fmt::Debug for Stemmer {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Stemmer")
            .field("language", &self.language)
            .finish()
    }
}
