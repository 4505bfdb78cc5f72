//! Stop-word lists, one per stemmed language.
//!
//! The lists are the Snowball project's stop-word lists (BSD-3-Clause, see
//! `stopwords/README.md`), kept as plain text, one word a line, `#` comments.
//! Stop words are not dropped from tickets: they still count for phrases, and
//! question words such as "how" or "why" often carry intent. They only lose
//! weight and cannot carry a match on their own.

use std::collections::HashSet;
use std::sync::OnceLock;

use super::Language;

/// A set of stop words for one language.
///
/// # Example
///
/// ```
/// use painpoint::analysis::StopWords;
/// use painpoint::Language;
///
/// let en = StopWords::for_language(Language::English);
/// assert!(en.contains("the"));
/// assert!(!en.contains("refund"));
/// assert!(StopWords::for_language(Language::None).is_empty());
/// ```
#[derive(Debug, Clone)]
pub struct StopWords {
    words: &'static HashSet<&'static str, crate::hash::BuildFnv>,
}

impl StopWords {
    /// The built-in list for `language` (empty for [`Language::None`]).
    ///
    /// The lists are parsed once per process, on first use, and shared:
    /// later calls cost a pointer copy.
    ///
    /// ```
    /// use painpoint::analysis::StopWords;
    /// use painpoint::Language;
    ///
    /// let de = StopWords::for_language(Language::German);
    /// assert!(de.contains("und"));
    /// assert!(!de.contains("rechnung"));
    /// ```
    pub fn for_language(language: Language) -> StopWords {
        type Set = HashSet<&'static str, crate::hash::BuildFnv>;
        static SETS: OnceLock<Vec<Set>> = OnceLock::new();
        let sets = SETS.get_or_init(|| Language::ALL.iter().map(|l| parse(raw(*l))).collect());
        StopWords {
            words: &sets[language as usize],
        }
    }

    /// Whether `folded` (an already case-folded word) is a stop word.
    /// Cost: one hash lookup.
    ///
    /// ```
    /// use painpoint::analysis::StopWords;
    /// use painpoint::Language;
    ///
    /// let en = StopWords::for_language(Language::English);
    /// assert!(en.contains("how"));
    /// assert!(!en.contains("How")); // fold first: the lists are lowercase
    /// assert!(!en.contains("invoice"));
    /// ```
    pub fn contains(&self, folded: &str) -> bool {
        self.words.contains(folded)
    }

    /// The words of the list, in no particular order.
    pub(crate) fn iter(&self) -> impl Iterator<Item = &'static str> + '_ {
        self.words.iter().copied()
    }

    /// Whether the list is empty (only for [`Language::None`]).
    ///
    /// ```
    /// use painpoint::analysis::StopWords;
    /// use painpoint::Language;
    ///
    /// assert!(StopWords::for_language(Language::None).is_empty());
    /// assert!(!StopWords::for_language(Language::Tamil).is_empty());
    /// ```
    pub fn is_empty(&self) -> bool {
        self.words.is_empty()
    }

    /// The number of words in the list.
    ///
    /// ```
    /// use painpoint::analysis::StopWords;
    /// use painpoint::Language;
    ///
    /// assert!(StopWords::for_language(Language::English).len() > 100);
    /// assert_eq!(StopWords::for_language(Language::None).len(), 0);
    /// ```
    pub fn len(&self) -> usize {
        self.words.len()
    }
}

fn parse(text: &'static str) -> HashSet<&'static str, crate::hash::BuildFnv> {
    text.lines()
        .map(|line| line.split('#').next().unwrap_or("").trim())
        .filter(|word| !word.is_empty())
        .collect()
}

fn raw(language: Language) -> &'static str {
    match language {
        Language::Arabic => include_str!("stopwords/arabic.txt"),
        Language::Danish => include_str!("stopwords/danish.txt"),
        Language::Dutch => include_str!("stopwords/dutch.txt"),
        Language::English => include_str!("stopwords/english.txt"),
        Language::Finnish => include_str!("stopwords/finnish.txt"),
        Language::French => include_str!("stopwords/french.txt"),
        Language::German => include_str!("stopwords/german.txt"),
        Language::Greek => include_str!("stopwords/greek.txt"),
        Language::Hungarian => include_str!("stopwords/hungarian.txt"),
        Language::Italian => include_str!("stopwords/italian.txt"),
        Language::Norwegian => include_str!("stopwords/norwegian.txt"),
        Language::Portuguese => include_str!("stopwords/portuguese.txt"),
        Language::Romanian => include_str!("stopwords/romanian.txt"),
        Language::Russian => include_str!("stopwords/russian.txt"),
        Language::Spanish => include_str!("stopwords/spanish.txt"),
        Language::Swedish => include_str!("stopwords/swedish.txt"),
        Language::Tamil => include_str!("stopwords/tamil.txt"),
        Language::Turkish => include_str!("stopwords/turkish.txt"),
        // None and the named languages without a stemmer have no list.
        _ => "",
    }
}
