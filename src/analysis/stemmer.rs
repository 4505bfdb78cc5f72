//! Snowball stemming per language.

use std::borrow::Cow;
use std::fmt;
use std::ops::Range;

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
    /// The stemmer for `language` (a no-op for [`Language::None`]).
    ///
    /// ```
    /// use painpoint::analysis::Stemmer;
    /// use painpoint::Language;
    ///
    /// let fr = Stemmer::new(Language::French);
    /// assert_eq!(fr.stem("remboursements"), fr.stem("remboursement"));
    /// ```
    pub fn new(language: Language) -> Stemmer {
        Stemmer {
            language,
            inner: language
                .algorithm()
                .map(|a| std::sync::Arc::new(rust_stemmers::Stemmer::create(a))),
        }
    }

    /// The language this stemmer serves.
    ///
    /// ```
    /// use painpoint::analysis::Stemmer;
    /// use painpoint::Language;
    ///
    /// assert_eq!(Stemmer::new(Language::Swedish).language(), Language::Swedish);
    /// ```
    pub fn language(&self) -> Language {
        self.language
    }

    /// The stem of `folded`, which must already be case folded (see
    /// [`fold_into`](super::fold_into)). Words of one or two bytes are
    /// returned as they are. Borrows when the stem is the word itself.
    ///
    /// Cost: linear in the word's length.
    ///
    /// ```
    /// use std::borrow::Cow;
    /// use painpoint::analysis::Stemmer;
    /// use painpoint::Language;
    ///
    /// let en = Stemmer::new(Language::English);
    /// assert_eq!(en.stem("crashing"), "crash");
    /// assert_eq!(en.stem("refunded"), en.stem("refunds"));
    /// assert!(matches!(en.stem("go"), Cow::Borrowed("go")));
    /// ```
    pub fn stem<'a>(&self, folded: &'a str) -> Cow<'a, str> {
        match &self.inner {
            // Snowball stemmers leave very short words alone anyway; skip the call.
            Some(stemmer) if folded.len() > 2 => stemmer.stem(folded),
            _ => Cow::Borrowed(folded),
        }
    }
}

impl Stemmer {
    /// Appends the stem of `folded` to `out`, like [`Stemmer::stem`],
    /// through the per-thread cache of [`Stemmer::stem_in_place`].
    pub(crate) fn stem_into(&self, folded: &str, out: &mut String) {
        let start = out.len();
        out.push_str(folded);
        if self.stem_in_place(out, start..out.len()) {
            // The stem went after the word: drop the word.
            out.replace_range(start..start + folded.len(), "");
        }
    }

    /// Stems the word `buf[word]` (already case folded, anywhere in `buf`):
    /// appends its stem to `buf` and returns `true`, or returns `false` and
    /// leaves `buf` as it is when the stem is the word itself (most words),
    /// so that a caller keeping both needs no comparison.
    ///
    /// Goes through a small per-thread cache: support text repeats a few
    /// thousand words, and a hit costs a fraction of the Snowball
    /// algorithm: the word is read into four machine words (the key, with
    /// its length and language), one multiply picks a set of two slots, a
    /// compare of the keys checks each. The cache is two-way set
    /// associative and bounded ([`CACHE_SLOTS`] words of at most
    /// [`MAX_CACHED_BYTES`] bytes per thread); it memoises a pure function,
    /// so results never depend on it.
    pub(crate) fn stem_in_place(&self, buf: &mut String, word: Range<usize>) -> bool {
        let Some(folded) = buf.get(word.clone()) else {
            return false;
        };
        if self.inner.is_none() || folded.len() <= 2 {
            // `stem` leaves these alone.
            return false;
        }
        if folded.len() > MAX_CACHED_BYTES {
            return match self.stem(folded) {
                Cow::Borrowed(_) => false,
                Cow::Owned(stem) if stem == folded => false,
                Cow::Owned(stem) => {
                    buf.push_str(&stem);
                    true
                }
            };
        }
        let key = CacheKey::of(folded.as_bytes(), self.language);
        let set = key.set();
        STEM_CACHE.with(|cache| {
            let mut cache = cache.borrow_mut();
            if cache.is_empty() {
                cache.resize_with(CACHE_SLOTS, CacheSlot::default);
            }
            let Some([first, second]) = cache.get_mut(set * 2..set * 2 + 2) else {
                return false;
            };
            let entry = if first.key == key {
                first
            } else if second.key == key {
                second
            } else {
                // A miss: the newer word goes first, the older one second,
                // the one before that leaves.
                std::mem::swap(first, second);
                let folded = buf.get(word).unwrap_or_default();
                let stem = self.stem(folded);
                first.key = key;
                first.same = stem == folded;
                first.stem.clear();
                if !first.same {
                    first.stem.push_str(&stem);
                }
                first
            };
            if !entry.same {
                buf.push_str(&entry.stem);
            }
            !entry.same
        })
    }
}

/// Words cached per thread by [`Stemmer::stem_in_place`] (a power of two),
/// in sets of two: a word may sit in either slot of its set, so that two
/// frequent words of one set do not keep evicting each other.
pub(crate) const CACHE_SLOTS: usize = 8192;

/// Longer words are stemmed without the cache (they are rare, and would
/// make the cache's memory depend on the input).
pub(crate) const MAX_CACHED_BYTES: usize = 24;

/// A cached word: its bytes, zero padded, in three machine words, with its
/// length and language in a fourth; all zero for an empty slot (no cached
/// word is empty). The tagger's memo of unknown words is keyed by it too.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub(crate) struct CacheKey([u64; 4]);

impl CacheKey {
    /// The key of `word` (at most [`MAX_CACHED_BYTES`] bytes).
    pub(crate) fn of(word: &[u8], language: Language) -> CacheKey {
        let n = word.len().min(MAX_CACHED_BYTES);
        let word = &word[..n];
        // Eight bytes at a time, the last chunk zero padded: a load or a
        // short loop, no copy through a buffer.
        let chunk = |i: usize| {
            let part = word.get(i * 8..).unwrap_or(&[]);
            match part.first_chunk::<8>() {
                Some(bytes) => u64::from_le_bytes(*bytes),
                None => part.iter().rev().fold(0u64, |w, &b| w << 8 | u64::from(b)),
            }
        };
        CacheKey([
            chunk(0),
            chunk(1),
            chunk(2),
            n as u64 | (language as u64) << 8,
        ])
    }

    /// The key's set (of two slots): a multiplicative hash of its words,
    /// top bits.
    pub(crate) fn set(&self) -> usize {
        let [a, b, c, d] = self.0;
        let mixed = (a ^ b.rotate_left(21) ^ c.rotate_left(42) ^ d.rotate_left(56))
            .wrapping_mul(0x9e37_79b9_7f4a_7c15);
        (mixed >> (64 - (CACHE_SLOTS / 2).trailing_zeros())) as usize
    }
}

#[derive(Default)]
struct CacheSlot {
    key: CacheKey,
    /// Whether the stem is the word itself (then `stem` is empty).
    same: bool,
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
