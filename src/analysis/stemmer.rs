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

impl Stemmer {
    /// Appends the stem of `folded` to `out`, like [`Stemmer::stem`], through
    /// a small per-thread cache: support text repeats a few thousand words,
    /// and a cache hit (one hash, one comparison) costs a fraction of the
    /// Snowball algorithm. The cache is direct mapped and bounded
    /// ([`CACHE_SLOTS`] words per thread); it memoises a pure function, so
    /// results never depend on it.
    pub(crate) fn stem_into(&self, folded: &str, out: &mut String) {
        if self.inner.is_none() || folded.len() <= 2 || folded.len() > MAX_CACHED_BYTES {
            out.push_str(&self.stem(folded));
            return;
        }
        let hash = crate::hash::fnv1a(
            crate::hash::FNV_OFFSET ^ self.language as u64,
            folded.bytes(),
        );
        let slot = (hash as usize) & (CACHE_SLOTS - 1);
        STEM_CACHE.with(|cache| {
            let mut cache = cache.borrow_mut();
            if cache.is_empty() {
                cache.resize_with(CACHE_SLOTS, CacheSlot::default);
            }
            let entry = &mut cache[slot];
            if entry.filled && entry.language == self.language && entry.folded == folded {
                out.push_str(&entry.stem);
                return;
            }
            let stem = self.stem(folded);
            out.push_str(&stem);
            entry.filled = true;
            entry.language = self.language;
            entry.folded.clear();
            entry.folded.push_str(folded);
            entry.stem.clear();
            entry.stem.push_str(&stem);
        });
    }
}

/// Words cached per thread by [`Stemmer::stem_into`] (a power of two).
pub(crate) const CACHE_SLOTS: usize = 4096;

/// Longer words are stemmed without the cache (they are rare, and would
/// make the cache's memory depend on the input).
const MAX_CACHED_BYTES: usize = 32;

#[derive(Default)]
struct CacheSlot {
    filled: bool,
    language: Language,
    folded: String,
    stem: String,
}

thread_local! {
    static STEM_CACHE: std::cell::RefCell<Vec<CacheSlot>> = const { std::cell::RefCell::new(Vec::new()) };
}

impl fmt::Debug for Stemmer {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Stemmer")
            .field("language", &self.language)
            .finish()
    }
}
