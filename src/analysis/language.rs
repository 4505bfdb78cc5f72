//! Languages, their stemmers and their stop words.

use std::fmt;
use std::str::FromStr;

use serde::{Deserialize, Deserializer, Serialize, Serializer};

use crate::error::Error;

/// The language a product's text (and its tickets) is written in.
///
/// Every language gets Unicode word segmentation (Chinese and Japanese read
/// as overlapping pairs of a Han character and the Han or hiragana
/// character after it; Thai, Lao, Khmer and Myanmar as overlapping pairs of
/// letters; a Korean word of two syllables or more as its overlapping
/// syllable pairs, so a noun meets it with a particle attached; see
/// [`words`](crate::analysis::words)), case folding, exact, phrase
/// and typo-tolerant matching, and words that differ only in the diacritics
/// of Latin letters meet ("telecharger", "télécharger"). The languages below
/// other than [`Language::None`] also get a Snowball stemmer (from
/// `rust-stemmers`) and a stop-word list, so that "crashes", "crashed" and
/// "crashing" meet. French and Italian split an elided word off the word it
/// leans on ("l'application" is "l" and "application"). German, Dutch,
/// Danish, Norwegian and Swedish write compounds as one word: a ticket word
/// the product does not know meets the product words it is compounded of
/// ("Kreditkartenzahlung" meets "Kreditkarte" and "Zahlung";
/// [`How::Compound`](crate::How::Compound)), a ticket word that begins or
/// ends a product compound meets it ("Erstattung" meets "Rückerstattung"),
/// and German typed with its
/// umlauts spelt out ("Rueckerstattung") meets them. A Spanish, Portuguese
/// or Italian absolute superlative the product does not know meets its
/// adjective by stem ("lentísima", "caríssimo", "lunghissimi" meet
/// "lento", "caro", "lungo"). In every language, a katakana word meets the
/// product's katakana words it is compounded of ("オンラインチェックイン"
/// meets "チェックイン").
///
/// | language | stemmer | stop words |
/// |---|---|---|
/// | arabic, danish, dutch, english, finnish, french, german, greek, hungarian, italian, norwegian, portuguese, romanian, russian, spanish, swedish, tamil, turkish | Snowball | yes |
/// | bengali, catalan, chinese, czech, hebrew, hindi, indonesian, japanese, korean, malay, persian, polish, thai, ukrainian, urdu, vietnamese | no | no |
/// | none (any other language or script: Gurmukhi, Amharic, Tagalog ...) | no | no |
///
/// The named languages without a stemmer read exactly as [`Language::None`]
/// does; naming one keeps the product's language in its JSON.
///
/// Names parse case-insensitively from the English name (`"German"`), the
/// ISO 639-1 code (`"de"`) or a locale tag that starts with it (`"de-DE"`,
/// `"pt_BR"`); they serialize as the lowercase English name.
///
/// # Example
///
/// ```
/// use painpoint::Language;
///
/// let de: Language = "de".parse().unwrap();
/// assert_eq!(de, Language::German);
/// assert_eq!(de.to_string(), "german");
/// assert_eq!("pt-BR".parse::<Language>().unwrap(), Language::Portuguese);
/// assert_eq!("zh_CN".parse::<Language>().unwrap(), Language::Chinese);
/// assert!("klingon".parse::<Language>().is_err());
/// assert!("xx-DE".parse::<Language>().is_err());
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Default)]
#[non_exhaustive]
pub enum Language {
    /// No stemming and no stop words: segmentation, folding and fuzzy
    /// matching only. Right for scripts without a Snowball stemmer.
    None,
    /// Arabic.
    Arabic,
    /// Danish.
    Danish,
    /// Dutch.
    Dutch,
    /// English (the default).
    #[default]
    English,
    /// Finnish.
    Finnish,
    /// French.
    French,
    /// German.
    German,
    /// Greek.
    Greek,
    /// Hungarian.
    Hungarian,
    /// Italian.
    Italian,
    /// Norwegian.
    Norwegian,
    /// Portuguese.
    Portuguese,
    /// Romanian.
    Romanian,
    /// Russian.
    Russian,
    /// Spanish.
    Spanish,
    /// Swedish.
    Swedish,
    /// Tamil.
    Tamil,
    /// Turkish.
    Turkish,
    /// Bengali: no stemmer, no stop words (as [`Language::None`]).
    Bengali,
    /// Catalan: no stemmer, no stop words (as [`Language::None`]).
    Catalan,
    /// Chinese: no stemmer, no stop words (as [`Language::None`]).
    Chinese,
    /// Czech: no stemmer, no stop words (as [`Language::None`]).
    Czech,
    /// Hebrew: no stemmer, no stop words (as [`Language::None`]).
    Hebrew,
    /// Hindi: no stemmer, no stop words (as [`Language::None`]).
    Hindi,
    /// Indonesian: no stemmer, no stop words (as [`Language::None`]).
    Indonesian,
    /// Japanese: no stemmer, no stop words (as [`Language::None`]).
    Japanese,
    /// Korean: no stemmer, no stop words (as [`Language::None`]).
    Korean,
    /// Malay: no stemmer, no stop words (as [`Language::None`]).
    Malay,
    /// Persian: no stemmer, no stop words (as [`Language::None`]).
    Persian,
    /// Polish: no stemmer, no stop words (as [`Language::None`]).
    Polish,
    /// Thai: no stemmer, no stop words (as [`Language::None`]).
    Thai,
    /// Ukrainian: no stemmer, no stop words (as [`Language::None`]).
    Ukrainian,
    /// Urdu: no stemmer, no stop words (as [`Language::None`]).
    Urdu,
    /// Vietnamese: no stemmer, no stop words (as [`Language::None`]).
    Vietnamese,
}

/// (language, English name, ISO 639-1 code), in declaration order.
const TABLE: [(Language, &str, &str); 35] = [
    (Language::None, "none", "none"),
    (Language::Arabic, "arabic", "ar"),
    (Language::Danish, "danish", "da"),
    (Language::Dutch, "dutch", "nl"),
    (Language::English, "english", "en"),
    (Language::Finnish, "finnish", "fi"),
    (Language::French, "french", "fr"),
    (Language::German, "german", "de"),
    (Language::Greek, "greek", "el"),
    (Language::Hungarian, "hungarian", "hu"),
    (Language::Italian, "italian", "it"),
    (Language::Norwegian, "norwegian", "no"),
    (Language::Portuguese, "portuguese", "pt"),
    (Language::Romanian, "romanian", "ro"),
    (Language::Russian, "russian", "ru"),
    (Language::Spanish, "spanish", "es"),
    (Language::Swedish, "swedish", "sv"),
    (Language::Tamil, "tamil", "ta"),
    (Language::Turkish, "turkish", "tr"),
    (Language::Bengali, "bengali", "bn"),
    (Language::Catalan, "catalan", "ca"),
    (Language::Chinese, "chinese", "zh"),
    (Language::Czech, "czech", "cs"),
    (Language::Hebrew, "hebrew", "he"),
    (Language::Hindi, "hindi", "hi"),
    (Language::Indonesian, "indonesian", "id"),
    (Language::Japanese, "japanese", "ja"),
    (Language::Korean, "korean", "ko"),
    (Language::Malay, "malay", "ms"),
    (Language::Persian, "persian", "fa"),
    (Language::Polish, "polish", "pl"),
    (Language::Thai, "thai", "th"),
    (Language::Ukrainian, "ukrainian", "uk"),
    (Language::Urdu, "urdu", "ur"),
    (Language::Vietnamese, "vietnamese", "vi"),
];

/// The accepted names, for error messages.
const LANGUAGE_NAMES: &str = "none, arabic, danish, dutch, english, finnish, french, german, greek, hungarian, italian, norwegian, portuguese, romanian, russian, spanish, swedish, tamil, turkish; without a stemmer: bengali, catalan, chinese, czech, hebrew, hindi, indonesian, japanese, korean, malay, persian, polish, thai, ukrainian, urdu, vietnamese (or their ISO 639-1 codes, alone or in a locale tag such as pt-BR)";

impl Language {
    /// Every language, [`Language::None`] first, then the stemmed ones in
    /// alphabetical order, then the named ones without a stemmer in
    /// alphabetical order (the declaration order).
    ///
    /// ```
    /// use painpoint::Language;
    ///
    /// assert_eq!(Language::ALL[0], Language::None);
    /// assert_eq!(Language::ALL.iter().filter(|l| l.has_stemmer()).count(), 18);
    /// // Every name parses back to its language.
    /// for language in Language::ALL {
    ///     assert_eq!(language.name().parse::<Language>().unwrap(), language);
    /// }
    /// ```
    pub const ALL: [Language; 35] = [
        Language::None,
        Language::Arabic,
        Language::Danish,
        Language::Dutch,
        Language::English,
        Language::Finnish,
        Language::French,
        Language::German,
        Language::Greek,
        Language::Hungarian,
        Language::Italian,
        Language::Norwegian,
        Language::Portuguese,
        Language::Romanian,
        Language::Russian,
        Language::Spanish,
        Language::Swedish,
        Language::Tamil,
        Language::Turkish,
        Language::Bengali,
        Language::Catalan,
        Language::Chinese,
        Language::Czech,
        Language::Hebrew,
        Language::Hindi,
        Language::Indonesian,
        Language::Japanese,
        Language::Korean,
        Language::Malay,
        Language::Persian,
        Language::Polish,
        Language::Thai,
        Language::Ukrainian,
        Language::Urdu,
        Language::Vietnamese,
    ];

    /// The lowercase English name, as serialized.
    ///
    /// ```
    /// assert_eq!(painpoint::Language::Turkish.name(), "turkish");
    /// ```
    pub fn name(self) -> &'static str {
        TABLE[self as usize].1
    }

    /// The ISO 639-1 code (`"none"` for [`Language::None`]).
    ///
    /// ```
    /// assert_eq!(painpoint::Language::Greek.code(), "el");
    /// ```
    pub fn code(self) -> &'static str {
        TABLE[self as usize].2
    }

    /// Whether this language has a Snowball stemmer.
    ///
    /// ```
    /// assert!(painpoint::Language::Tamil.has_stemmer());
    /// assert!(!painpoint::Language::None.has_stemmer());
    /// ```
    pub fn has_stemmer(self) -> bool {
        self.algorithm().is_some()
    }

    /// Whether the language writes compound nouns as one word
    /// ("Kreditkartenzahlung", "wachtwoordherstel", "lösenordsbyte"): the
    /// tagger then looks for the product's words inside a ticket word it
    /// does not know.
    pub(crate) fn writes_closed_compounds(self) -> bool {
        matches!(
            self,
            Language::German
                | Language::Dutch
                | Language::Danish
                | Language::Norwegian
                | Language::Swedish
        )
    }

    pub(crate) fn algorithm(self) -> Option<rust_stemmers::Algorithm> {
        use rust_stemmers::Algorithm as A;
        Some(match self {
            Language::None
            | Language::Bengali
            | Language::Catalan
            | Language::Chinese
            | Language::Czech
            | Language::Hebrew
            | Language::Hindi
            | Language::Indonesian
            | Language::Japanese
            | Language::Korean
            | Language::Malay
            | Language::Persian
            | Language::Polish
            | Language::Thai
            | Language::Ukrainian
            | Language::Urdu
            | Language::Vietnamese => return None,
            Language::Arabic => A::Arabic,
            Language::Danish => A::Danish,
            Language::Dutch => A::Dutch,
            Language::English => A::English,
            Language::Finnish => A::Finnish,
            Language::French => A::French,
            Language::German => A::German,
            Language::Greek => A::Greek,
            Language::Hungarian => A::Hungarian,
            Language::Italian => A::Italian,
            Language::Norwegian => A::Norwegian,
            Language::Portuguese => A::Portuguese,
            Language::Romanian => A::Romanian,
            Language::Russian => A::Russian,
            Language::Spanish => A::Spanish,
            Language::Swedish => A::Swedish,
            Language::Tamil => A::Tamil,
            Language::Turkish => A::Turkish,
        })
    }

    /// Parses a name, naming `path` in the error.
    /// A locale tag ("pt-BR", "zh_CN", "de-DE") names its language by its
    /// first part.
    pub(crate) fn parse_at(value: &str, path: &str) -> Result<Language, Error> {
        let find = |wanted: &str| {
            TABLE
                .iter()
                .find(|(_, name, code)| {
                    wanted.eq_ignore_ascii_case(name) || wanted.eq_ignore_ascii_case(code)
                })
                .map(|(language, _, _)| *language)
        };
        let wanted = value.trim();
        find(wanted)
            .or_else(|| {
                let (primary, region) = wanted.split_once(['-', '_'])?;
                let region_ok = !region.is_empty()
                    && region
                        .chars()
                        .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_');
                region_ok.then(|| find(primary)).flatten()
            })
            .ok_or_else(|| Error::UnknownLanguage {
                path: path.to_string(),
                value: crate::error::clip(value, 80),
                expected: LANGUAGE_NAMES,
            })
    }
}

impl fmt::Display for Language {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

impl FromStr for Language {
    type Err = Error;

    fn from_str(s: &str) -> Result<Language, Error> {
        Language::parse_at(s, "language")
    }
}

impl Serialize for Language {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(self.name())
    }
}

impl<'de> Deserialize<'de> for Language {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Language, D::Error> {
        let name = std::borrow::Cow::<'de, str>::deserialize(deserializer)?;
        name.parse().map_err(serde::de::Error::custom)
    }
}
