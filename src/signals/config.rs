//! The serde configuration of the signals: keywords and examples per label,
//! sentiment words, and the words that shift meaning (negators, boosters).

use indexmap::IndexMap;
use serde::{Deserialize, Serialize};

use super::{Kind, Need};
use crate::analysis::Language;

/// One keyword or phrase of a label, with its weight.
///
/// Deserializes from a plain string (`"too expensive"`, weight 1) or from
/// `{"phrase": "...", "weight": 0.5}`. A `*` in a phrase stands for any one
/// word (`"takes * seconds"`).
///
/// ```
/// use painpoint::signals::Keyword;
/// let k: Keyword = serde_json::from_str(r#""too expensive""#).unwrap();
/// assert_eq!(k, Keyword::new("too expensive"));
/// let k: Keyword = serde_json::from_str(r#"{"phrase": "cost", "weight": 0.5}"#).unwrap();
/// assert_eq!(k.weight, 0.5);
/// ```
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(from = "KeywordRepr", into = "KeywordRepr")]
#[non_exhaustive]
pub struct Keyword {
    /// The words, matched by stem and in order.
    pub phrase: String,
    /// How much one occurrence counts (1 = a clear cue on its own).
    pub weight: f64,
}

impl Keyword {
    /// A keyword of weight 1: a clear cue on its own. Serializes as the
    /// plain phrase.
    ///
    /// ```
    /// use painpoint::signals::Keyword;
    /// let k = Keyword::new("too expensive");
    /// assert_eq!((k.phrase.as_str(), k.weight), ("too expensive", 1.0));
    /// assert_eq!(serde_json::to_string(&k).unwrap(), r#""too expensive""#);
    /// ```
    pub fn new(phrase: impl Into<String>) -> Keyword {
        Keyword {
            phrase: phrase.into(),
            weight: 1.0,
        }
    }

    /// A keyword of the given weight, which must lie in `[0, 10]`
    /// ([`Signals::new`](super::Signals::new) fails otherwise, naming the
    /// keyword's path).
    ///
    /// ```
    /// use painpoint::signals::{Keyword, LabelConfig, Signals, SignalsConfig};
    /// use painpoint::Need;
    /// let k = Keyword::weighted("cost", 0.5);
    /// assert_eq!(serde_json::to_string(&k).unwrap(), r#"{"phrase":"cost","weight":0.5}"#);
    ///
    /// let mut label = LabelConfig::default();
    /// label.keywords.push(Keyword::weighted("cost", 11.0));
    /// let mut config = SignalsConfig::default();
    /// config.needs.insert(Need::Price, label);
    /// let err = Signals::new(&config).unwrap_err();
    /// assert!(err.to_string().starts_with("needs.price.keywords["));
    /// ```
    pub fn weighted(phrase: impl Into<String>, weight: f64) -> Keyword {
        Keyword {
            phrase: phrase.into(),
            weight,
        }
    }
}

impl From<&str> for Keyword {
    fn from(phrase: &str) -> Keyword {
        Keyword::new(phrase)
    }
}

#[derive(Serialize, Deserialize)]
#[serde(
    untagged,
    deny_unknown_fields,
    expecting = r#"a phrase, or {"phrase": "...", "weight": a number}"#
)]
enum KeywordRepr {
    Plain(String),
    Weighted { phrase: String, weight: f64 },
}

impl From<KeywordRepr> for Keyword {
    fn from(repr: KeywordRepr) -> Keyword {
        match repr {
            KeywordRepr::Plain(phrase) => Keyword::new(phrase),
            KeywordRepr::Weighted { phrase, weight } => Keyword { phrase, weight },
        }
    }
}

impl From<Keyword> for KeywordRepr {
    fn from(k: Keyword) -> KeywordRepr {
        if k.weight == 1.0 {
            KeywordRepr::Plain(k.phrase)
        } else {
            KeywordRepr::Weighted {
                phrase: k.phrase,
                weight: k.weight,
            }
        }
    }
}

/// The keywords and example tickets of one label (a need or a kind).
///
/// ```
/// use painpoint::signals::LabelConfig;
/// let label: LabelConfig = serde_json::from_str(
///     r#"{"keywords": ["paywall"], "examples": ["Why is export behind the paywall now?"]}"#,
/// ).unwrap();
/// assert!(!label.replace);
/// assert_eq!(label.keywords.len(), 1);
/// ```
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
#[non_exhaustive]
pub struct LabelConfig {
    /// Words and phrases that point at the label.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub keywords: Vec<Keyword>,
    /// Whole example tickets of the label. They train a linear word model
    /// when the signals compile (cost linear in their size): for kinds one
    /// multinomial model (only the first 2 KiB of an example, without
    /// fenced code, is read); for needs one binary model per need, next to
    /// the cue phrases, where an example counts three times a phrase.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub examples: Vec<String>,
    /// When the configuration extends the defaults: `true` replaces the
    /// default keywords and examples of this label, `false` adds to them.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub replace: bool,
}

impl LabelConfig {
    /// Adds a keyword of weight 1.
    ///
    /// ```
    /// use painpoint::signals::{LabelConfig, Signals, SignalsConfig};
    /// use painpoint::Need;
    /// let mut config = SignalsConfig::default();
    /// config.extend_defaults = false; // only this cue
    /// config.needs.insert(Need::Price, LabelConfig::default().keyword("paywall"));
    /// let signals = Signals::new(&config).unwrap();
    /// let reading = signals.read(None, "Why is export behind a paywall now?");
    /// assert_eq!(reading.needs[0].need, Need::Price);
    /// assert!(signals.read(None, "Export is slow").needs.is_empty());
    /// ```
    pub fn keyword(mut self, phrase: impl Into<String>) -> LabelConfig {
        self.keywords.push(Keyword::new(phrase));
        self
    }

    /// Adds an example ticket: it trains the label's word model, so
    /// tickets worded like it get the label without a keyword.
    ///
    /// ```
    /// use painpoint::signals::{LabelConfig, Signals, SignalsConfig};
    /// use painpoint::Kind;
    /// let mut config = SignalsConfig::default();
    /// config.extend_defaults = false;
    /// config.kinds.insert(Kind::Bug, LabelConfig::default()
    ///     .example("The export button does nothing")
    ///     .example("Upload fails with an error"));
    /// config.kinds.insert(Kind::FeatureRequest, LabelConfig::default()
    ///     .example("Please add dark mode")
    ///     .example("It would be great to have an API"));
    /// assert_eq!(config.kinds[&Kind::Bug].examples.len(), 2);
    /// let signals = Signals::new(&config).unwrap();
    /// assert_eq!(signals.read(None, "The import button does nothing").kind.label, Kind::Bug);
    /// assert_eq!(signals.read(None, "Please add a calendar view").kind.label, Kind::FeatureRequest);
    /// ```
    pub fn example(mut self, text: impl Into<String>) -> LabelConfig {
        self.examples.push(text.into());
        self
    }
}

/// Sentiment words with their valence in `[-4, 4]` (VADER's scale).
///
/// ```
/// use painpoint::signals::{Signals, SignalsConfig};
/// use painpoint::Polarity;
/// let text = "It is totally borked";
/// let plain = Signals::english().read(None, text).sentiment.score;
///
/// let mut config = SignalsConfig::default(); // extends the English defaults
/// config.sentiment.words.insert("borked".to_string(), -2.0);
/// let signals = Signals::new(&config).unwrap();
/// let custom = signals.read(None, text).sentiment;
/// assert_eq!(custom.label, Polarity::Negative);
/// assert!(custom.score < plain); // the word now carries a valence of its own
///
/// config.sentiment.words.insert("borked".to_string(), -5.0);
/// let err = Signals::new(&config).unwrap_err().to_string();
/// assert!(err.starts_with(r#"sentiment.words["borked"]: -5"#)); // named by its key
/// ```
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
#[non_exhaustive]
pub struct SentimentConfig {
    /// Word or phrase -> valence. Phrases match by stem, in order.
    #[serde(default, skip_serializing_if = "IndexMap::is_empty")]
    pub words: IndexMap<String, f64>,
    /// Emoji and emoticons (matched as raw text) -> valence.
    #[serde(default, skip_serializing_if = "IndexMap::is_empty")]
    pub emoji: IndexMap<String, f64>,
    /// When extending the defaults: `true` replaces the default words and
    /// emoji, `false` adds to them (a word given again takes the new valence).
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub replace: bool,
}

/// The small words that change what their neighbours mean, per language.
///
/// ```
/// use painpoint::signals::{Signals, SignalsConfig};
/// let english = Signals::english();
/// let plain = english.read(None, "We love the team, the export is mega good").sentiment.score;
/// assert_eq!(plain, english.read(None, "We love the team, the export is good").sentiment.score);
///
/// let mut config = SignalsConfig::default(); // extends the English defaults
/// config.shifters.boosters.push("mega".to_string());
/// let boosted = Signals::new(&config).unwrap().read(None, "We love the team, the export is mega good").sentiment.score;
/// assert!(boosted > plain);
/// assert!(english.read(None, "The export is not good").sentiment.score < 0.0); // a default negator
/// ```
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
#[non_exhaustive]
pub struct Shifters {
    /// Words that deny what follows ("not", "never", "without"): the
    /// sentiment words of one sign, the first denied and more like it ("no
    /// lag or crashes"), not a word of the other sign after it ("didn't fix
    /// the crash" tells a crash). In English, contractions in `n't`
    /// ("doesn't") always count and read as "not".
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub negators: Vec<String>,
    /// Words that make the next sentiment word stronger ("very").
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub boosters: Vec<String>,
    /// Words that make the next sentiment word weaker ("slightly").
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub dampeners: Vec<String>,
    /// Words after which the sentence turns ("but", "however"): they end a
    /// negation's scope and weight what follows over what came before.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub contrast: Vec<String>,
    /// Words that set what follows in the past, as a thing lost ("used
    /// to"): a positive sentiment word up to five words after them, in the
    /// same clause, is read as missed ("it used to be fast" is a
    /// complaint, not praise). Negative words after them are left as read:
    /// a pain in the past may or may not be over.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub past: Vec<String>,
    /// Words that open a clause of their own ("how", "why", "whether"): a
    /// negator before them does not reach the words after them ("I can't
    /// believe how easy it was" denies nothing easy; "I don't know why it
    /// crashes" tells a crash).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub clause_openers: Vec<String>,
    /// Words that tell a problem was solved ("fixed", "resolved", "sorted"),
    /// matched as written, not by stem (a request to "fix" solves nothing):
    /// a negative word up to three words after one, in the same clause, is
    /// the problem solved, not a pain ("fixed the problem in minutes",
    /// "sorted my billing issue"). A denied one ("never fixed") solves
    /// nothing; a problem before one ("the bug was resolved") is left as
    /// read, as often a claim the ticket goes on to deny.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub solved: Vec<String>,
    /// When extending the defaults: `true` replaces them, `false` adds.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub replace: bool,
}

/// Everything [`Signals`](super::Signals) is compiled from: plain serde data.
///
/// By default (`extend_defaults: true`) what you give is merged into the
/// built-in defaults of the language (English, German, French, Spanish,
/// Italian and Portuguese have curated defaults, other languages only the
/// emoji): per label,
/// keywords and examples are added, or replace the defaults where the
/// label says `"replace": true`. With
/// `extend_defaults: false` the configuration stands alone. Unknown fields
/// are rejected, as in a product, so a typo is caught rather than silently
/// left out.
///
/// ```
/// use painpoint::signals::{Signals, SignalsConfig};
///
/// let typo = r#"{"needs": {"price": {"keyword": ["paywall"]}}}"#;
/// assert!(serde_json::from_str::<SignalsConfig>(typo).unwrap_err().to_string().contains("unknown field"));
///
/// let config: SignalsConfig = serde_json::from_str(r#"{
///   "needs": {"price": {"keywords": ["paywall"]}},
///   "kinds": {"bug": {"examples": ["The export button does nothing"]}}
/// }"#).unwrap();
/// assert!(config.extend_defaults);
/// let signals = Signals::new(&config).unwrap();
/// let reading = signals.read(None, "Why is PDF export behind a paywall now?");
/// assert_eq!(reading.needs[0].need, painpoint::Need::Price);
/// ```
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
#[non_exhaustive]
pub struct SignalsConfig {
    /// The language of the tickets (stemming, stop words).
    #[serde(default)]
    pub language: Language,
    /// Whether this configuration adds to the language's defaults.
    #[serde(default = "yes")]
    pub extend_defaults: bool,
    /// Keywords and examples per need.
    #[serde(default, skip_serializing_if = "IndexMap::is_empty")]
    pub needs: IndexMap<Need, LabelConfig>,
    /// Keywords and examples per kind.
    #[serde(default, skip_serializing_if = "IndexMap::is_empty")]
    pub kinds: IndexMap<Kind, LabelConfig>,
    /// Sentiment words.
    #[serde(default)]
    pub sentiment: SentimentConfig,
    /// Negators, boosters, dampeners, contrast words, words of the past,
    /// clause openers and words of a problem solved.
    #[serde(default)]
    pub shifters: Shifters,
    /// The writer's first-person words ("I", "I'm", "my", "me" in English):
    /// a long ticket whose writer speaks of themselves much more than a
    /// product report does reads as a help request (a question). When
    /// extending the defaults, a list given here replaces the language's.
    /// Empty: the cue is off.
    ///
    /// ```
    /// use painpoint::signals::SignalsConfig;
    /// use painpoint::Language;
    ///
    /// assert!(SignalsConfig::english().first_person.iter().any(|w| w == "my"));
    /// assert!(SignalsConfig::defaults_for(Language::German).first_person.iter().any(|w| w == "ich"));
    /// let mut dutch = SignalsConfig::defaults_for(Language::Dutch);
    /// assert!(dutch.first_person.is_empty()); // no built-in Dutch words
    /// dutch.first_person = vec!["ik".into(), "mijn".into(), "me".into()];
    /// assert!(painpoint::signals::Signals::new(&dutch).is_ok());
    /// ```
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub first_person: Vec<String>,
    /// The "why" question words ("why", "warum", "pourquoi"): a displeased
    /// ticket whose only question cues open with one protests rather than
    /// asks (a complaint). When extending the defaults, a list given here
    /// replaces the language's. Empty: the rule is off.
    ///
    /// ```
    /// use painpoint::signals::SignalsConfig;
    /// use painpoint::Language;
    ///
    /// assert_eq!(SignalsConfig::english().why, ["why"]);
    /// assert!(SignalsConfig::defaults_for(Language::German).why.iter().any(|w| w == "warum"));
    /// let mut dutch = SignalsConfig::defaults_for(Language::Dutch);
    /// assert!(dutch.why.is_empty()); // no built-in Dutch words
    /// dutch.why = vec!["waarom".into()];
    /// assert!(painpoint::signals::Signals::new(&dutch).is_ok());
    /// ```
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub why: Vec<String>,
}

fn yes() -> bool {
    true
}

impl Default for SignalsConfig {
    /// An empty configuration that extends the English defaults.
    fn default() -> SignalsConfig {
        SignalsConfig {
            language: Language::English,
            extend_defaults: true,
            needs: IndexMap::new(),
            kinds: IndexMap::new(),
            sentiment: SentimentConfig::default(),
            shifters: Shifters::default(),
            first_person: Vec::new(),
            why: Vec::new(),
        }
    }
}

/// The built-in signal data of one language: the contents of its
/// `data/*.<lang>.txt` files (empty where a file does not exist).
struct BuiltinData {
    language: Language,
    needs: &'static str,
    need_examples: &'static str,
    kinds: &'static str,
    kind_examples: &'static str,
    sentiment: &'static str,
    shifters: &'static str,
    /// The first-person words (`data/kind_first_person.<lang>.txt`).
    first_person: &'static str,
    /// The "why" question words (`data/kind_why.<lang>.txt`).
    why: &'static str,
}

/// A language's row of [`BUILTIN`] from its files `data/*.<code>.txt`,
/// without example tickets.
macro_rules! builtin {
    ($language:ident, $code:literal) => {
        BuiltinData {
            language: Language::$language,
            needs: include_str!(concat!("data/needs.", $code, ".txt")),
            need_examples: "",
            kinds: include_str!(concat!("data/kinds.", $code, ".txt")),
            kind_examples: "",
            sentiment: include_str!(concat!("data/sentiment.", $code, ".txt")),
            shifters: include_str!(concat!("data/shifters.", $code, ".txt")),
            first_person: include_str!(concat!("data/kind_first_person.", $code, ".txt")),
            why: include_str!(concat!("data/kind_why.", $code, ".txt")),
        }
    };
}

/// The languages with built-in signal words, one row a language. Only
/// English has example tickets: ten a kind in German, French and Spanish
/// raised the dev half of their labelled sets and lowered the held-out half.
const BUILTIN: [BuiltinData; 6] = [
    BuiltinData {
        need_examples: include_str!("data/needs_examples.en.txt"),
        kind_examples: include_str!("data/kind_examples.en.txt"),
        ..builtin!(English, "en")
    },
    builtin!(German, "de"),
    builtin!(French, "fr"),
    builtin!(Spanish, "es"),
    builtin!(Italian, "it"),
    builtin!(Portuguese, "pt"),
];

/// Emoji and emoticons: language-neutral, in every language's defaults.
const EMOJI: &str = include_str!("data/emoji.txt");

impl SignalsConfig {
    /// The built-in English defaults as data (`extend_defaults: false`, so
    /// the result stands alone): edit it and compile it with
    /// [`Signals::new`](super::Signals::new) to start from them.
    ///
    /// The lists live in `src/signals/data/*.en.txt`; see the README there
    /// for what they hold and where they come from. The same as
    /// `defaults_for(Language::English)`.
    ///
    /// ```
    /// use painpoint::signals::SignalsConfig;
    /// use painpoint::Need;
    /// let en = SignalsConfig::english();
    /// assert_eq!(en.needs.len(), 16);
    /// assert!(en.needs[&Need::Price].keywords.iter().any(|k| k.phrase == "too expensive"));
    /// ```
    pub fn english() -> SignalsConfig {
        SignalsConfig::defaults_for(Language::English)
    }

    /// The built-in defaults for `language`, standing alone
    /// (`extend_defaults: false`). English, German, French, Spanish,
    /// Italian and Portuguese have curated lists, built from their files in
    /// `src/signals/data/` (`*.en.txt`, `*.de.txt`, `*.fr.txt`, `*.es.txt`,
    /// `*.it.txt`, `*.pt.txt`; one table row a
    /// language, English through the same code): cue phrases per need and
    /// kind, sentiment words, negators, boosters, dampeners, contrast words,
    /// words of the past, clause openers, words of a problem solved and
    /// first-person words (only
    /// English has example tickets for the word models). Every language
    /// gets the language-neutral emoji and emoticons (`data/emoji.txt`);
    /// another language gets only those, and its words come through the
    /// same configuration.
    ///
    /// Cost: linear in the size of the language's files (a few thousand
    /// lines), parsed anew at each call.
    ///
    /// ```
    /// use painpoint::signals::{Signals, SignalsConfig};
    /// use painpoint::{Kind, Language, Need, Polarity};
    /// assert_eq!(SignalsConfig::defaults_for(Language::English), SignalsConfig::english());
    ///
    /// let german = SignalsConfig::defaults_for(Language::German);
    /// assert_eq!(german.language, Language::German);
    /// assert!(!german.extend_defaults);
    /// assert_eq!(german.sentiment.emoji, SignalsConfig::english().sentiment.emoji);
    /// let reading = Signals::new(&german).unwrap()
    ///     .read(None, "Die App stürzt ständig ab, total unzuverlässig.");
    /// assert_eq!(reading.kind.label, Kind::Bug);
    /// assert_eq!(reading.sentiment.label, Polarity::Negative);
    /// assert!(reading.needs.iter().any(|m| m.need == Need::Reliability));
    ///
    /// let italian = Signals::new(&SignalsConfig::defaults_for(Language::Italian)).unwrap()
    ///     .read(None, "L'app si blocca di continuo, non è affidabile.");
    /// assert_eq!(italian.sentiment.label, Polarity::Negative);
    /// assert!(italian.needs.iter().any(|m| m.need == Need::Reliability));
    ///
    /// let dutch = SignalsConfig::defaults_for(Language::Dutch);
    /// assert!(dutch.needs.is_empty() && dutch.sentiment.words.is_empty());
    /// assert!(!dutch.sentiment.emoji.is_empty());
    /// ```
    pub fn defaults_for(language: Language) -> SignalsConfig {
        let mut config = SignalsConfig {
            language,
            extend_defaults: false,
            ..SignalsConfig::default()
        };
        match BUILTIN.iter().find(|data| data.language == language) {
            Some(data) => config.add_builtin(data),
            None => config.sentiment.emoji = builtin_emoji(),
        }
        config
    }

    /// Fills the labels, words and shifters from a language's built-in
    /// files, in file order. Cost linear in their size.
    fn add_builtin(&mut self, data: &BuiltinData) {
        for need in Need::ALL {
            self.needs.insert(need, LabelConfig::default());
        }
        for (section, keyword) in parse_lines(data.needs) {
            if let Some(need) = Need::ALL.iter().find(|n| n.name() == section) {
                self.needs[need].keywords.push(keyword);
            }
        }
        for (section, example) in parse_examples(data.need_examples) {
            if let Some(need) = Need::ALL.iter().find(|n| n.name() == section) {
                self.needs[need].examples.push(example);
            }
        }
        self.first_person = super::kind::parse_word_list(data.first_person);
        self.why = super::kind::parse_word_list(data.why);
        for kind in Kind::ALL {
            self.kinds.insert(kind, LabelConfig::default());
        }
        for (section, keyword) in parse_lines(data.kinds) {
            if let Some(kind) = Kind::ALL.iter().find(|k| k.name() == section) {
                self.kinds[kind].keywords.push(keyword);
            }
        }
        for (section, example) in parse_examples(data.kind_examples) {
            if let Some(kind) = Kind::ALL.iter().find(|k| k.name() == section) {
                self.kinds[kind].examples.push(example);
            }
        }
        for (_, keyword) in parse_lines(data.sentiment) {
            self.sentiment.words.insert(keyword.phrase, keyword.weight);
        }
        self.sentiment.emoji = builtin_emoji();
        for (section, keyword) in parse_lines(data.shifters) {
            let list = match section {
                "negators" => &mut self.shifters.negators,
                "boosters" => &mut self.shifters.boosters,
                "dampeners" => &mut self.shifters.dampeners,
                "past" => &mut self.shifters.past,
                "clause_openers" => &mut self.shifters.clause_openers,
                "solved" => &mut self.shifters.solved,
                _ => &mut self.shifters.contrast,
            };
            list.push(keyword.phrase);
        }
    }

    /// The configuration that is compiled: this one alone, or merged into
    /// the defaults of its language when `extend_defaults` is set. Per
    /// label, keywords and examples are appended to the defaults, or
    /// replace them when the label says `replace`; sentiment words given
    /// again take the new valence. Cost linear in the size of both.
    ///
    /// ```
    /// use painpoint::signals::{LabelConfig, SignalsConfig};
    /// use painpoint::Need;
    /// let mut config = SignalsConfig::default();
    /// config.needs.insert(Need::Price, LabelConfig::default().keyword("paywall"));
    /// let mut only = LabelConfig::default().keyword("fine print");
    /// only.replace = true;
    /// config.needs.insert(Need::Honesty, only);
    ///
    /// let resolved = config.resolved();
    /// assert!(!resolved.extend_defaults);
    /// let price = &resolved.needs[&Need::Price].keywords;
    /// assert!(price.iter().any(|k| k.phrase == "too expensive")); // a default, kept
    /// assert_eq!(price.last().unwrap().phrase, "paywall");
    /// assert_eq!(resolved.needs[&Need::Honesty].keywords.len(), 1);
    /// assert_eq!(resolved.resolved(), resolved); // stands alone now
    /// ```
    pub fn resolved(&self) -> SignalsConfig {
        if !self.extend_defaults {
            return self.clone();
        }
        let mut base = SignalsConfig::defaults_for(self.language);
        base.language = self.language;
        merge_labels(&mut base.needs, &self.needs);
        merge_labels(&mut base.kinds, &self.kinds);
        if self.sentiment.replace {
            base.sentiment.words.clear();
            base.sentiment.emoji.clear();
        }
        for (w, v) in &self.sentiment.words {
            base.sentiment.words.insert(w.clone(), *v);
        }
        for (w, v) in &self.sentiment.emoji {
            base.sentiment.emoji.insert(w.clone(), *v);
        }
        let s = &self.shifters;
        let b = &mut base.shifters;
        if s.replace {
            *b = Shifters::default();
        }
        b.negators.extend(s.negators.iter().cloned());
        b.boosters.extend(s.boosters.iter().cloned());
        b.dampeners.extend(s.dampeners.iter().cloned());
        b.contrast.extend(s.contrast.iter().cloned());
        b.past.extend(s.past.iter().cloned());
        b.clause_openers.extend(s.clause_openers.iter().cloned());
        b.solved.extend(s.solved.iter().cloned());
        if !self.first_person.is_empty() {
            base.first_person = self.first_person.clone();
        }
        if !self.why.is_empty() {
            base.why = self.why.clone();
        }
        base
    }
}

fn merge_labels<L: Copy + Eq + std::hash::Hash>(
    base: &mut IndexMap<L, LabelConfig>,
    extra: &IndexMap<L, LabelConfig>,
) {
    for (label, add) in extra {
        let slot = base.entry(*label).or_default();
        if add.replace {
            slot.keywords.clear();
            slot.examples.clear();
        }
        slot.keywords.extend(add.keywords.iter().cloned());
        slot.examples.extend(add.examples.iter().cloned());
    }
}

/// Parses the built-in list format: `[section]` headers, one phrase a line,
/// an optional `| weight`, `#` comments. Malformed weights fall back to 1
/// (a unit test checks that every built-in line parses cleanly).
fn parse_lines(text: &'static str) -> impl Iterator<Item = (&'static str, Keyword)> {
    let mut section = "";
    text.lines().filter_map(move |line| {
        let line = line.trim();
        if line.is_empty() || line.starts_with('#') {
            return None;
        }
        if let Some(name) = line.strip_prefix('[').and_then(|l| l.strip_suffix(']')) {
            section = name.trim();
            return None;
        }
        let (phrase, weight) = match line.rsplit_once(" | ") {
            Some((p, w)) => (p.trim(), w.trim().parse::<f64>().unwrap_or(1.0)),
            None => (line, 1.0),
        };
        Some((section, Keyword::weighted(phrase, weight)))
    })
}

/// The built-in emoji and emoticons with their valence, in file order.
fn builtin_emoji() -> IndexMap<String, f64> {
    parse_lines(EMOJI)
        .map(|(_, keyword)| (keyword.phrase, keyword.weight))
        .collect()
}

/// Parses the built-in example format: `[section]` headers, one example
/// ticket a line (`\n` for a line break), `#` comments.
fn parse_examples(text: &'static str) -> impl Iterator<Item = (&'static str, String)> {
    let mut section = "";
    text.lines().filter_map(move |line| {
        let line = line.trim();
        if line.is_empty() || line.starts_with('#') {
            return None;
        }
        if let Some(name) = line.strip_prefix('[').and_then(|l| l.strip_suffix(']')) {
            section = name.trim();
            return None;
        }
        Some((section, line.replace("\\n", "\n")))
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn builtin_lists_parse_cleanly() {
        let texts = BUILTIN.iter().flat_map(|d| {
            [
                d.needs,
                d.need_examples,
                d.kinds,
                d.kind_examples,
                d.sentiment,
                d.shifters,
            ]
        });
        for text in texts {
            for line in text.lines().map(str::trim) {
                if line.starts_with('#') {
                    continue;
                }
                if let Some((_, w)) = line.rsplit_once(" | ") {
                    assert!(w.trim().parse::<f64>().is_ok(), "bad weight in {line:?}");
                }
                if line.starts_with('[') {
                    let name = line.trim_matches(['[', ']']);
                    let known = Need::ALL.iter().any(|n| n.name() == name)
                        || Kind::ALL.iter().any(|k| k.name() == name)
                        || [
                            "words",
                            "emoji",
                            "negators",
                            "boosters",
                            "dampeners",
                            "contrast",
                            "past",
                            "clause_openers",
                            "solved",
                        ]
                        .contains(&name);
                    assert!(known, "unknown section {name}");
                }
            }
        }
        let en = SignalsConfig::english();
        for need in Need::ALL {
            assert!(en.needs[&need].keywords.len() >= 10, "{need:?}");
        }
        for kind in Kind::ALL {
            if kind != Kind::Other {
                assert!(en.kinds[&kind].keywords.len() >= 10, "{kind:?}");
            }
        }
        for kind in Kind::ALL {
            assert!(en.kinds[&kind].examples.len() >= 20, "{kind:?}");
        }
        assert!(en.sentiment.words.len() >= 300);
        for language in [Language::German, Language::French, Language::Spanish] {
            let config = SignalsConfig::defaults_for(language);
            assert_eq!(config.language, language);
            for need in Need::ALL {
                assert!(
                    config.needs[&need].keywords.len() >= 6,
                    "{language:?} {need:?}"
                );
            }
            for kind in Kind::ALL {
                if kind != Kind::Other {
                    assert!(
                        config.kinds[&kind].keywords.len() >= 10,
                        "{language:?} {kind:?}"
                    );
                }
            }
            assert!(config.sentiment.words.len() >= 150, "{language:?}");
            assert!(!config.shifters.negators.is_empty(), "{language:?}");
            assert!(!config.first_person.is_empty(), "{language:?}");
        }
    }

    #[test]
    fn merge_adds_or_replaces() {
        let mut user = SignalsConfig::default();
        user.needs
            .insert(Need::Price, LabelConfig::default().keyword("paywall"));
        let mut replace = LabelConfig::default().keyword("only this");
        replace.replace = true;
        user.needs.insert(Need::Honesty, replace);
        let r = user.resolved();
        let price = &r.needs[&Need::Price].keywords;
        assert!(price.len() > 1 && price.last().unwrap().phrase == "paywall");
        assert_eq!(
            r.needs[&Need::Honesty].keywords,
            vec![Keyword::new("only this")]
        );
    }
}
