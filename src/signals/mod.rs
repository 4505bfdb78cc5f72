//! Customer signals: the 16 customer needs, the ticket kind and sentiment.
//!
//! One mechanism, three label sets: needs, kinds and sentiment are word
//! lists (keywords and phrases, matched by stem and in order, `*` for any
//! word) plus optional example tickets, all plain serde data
//! ([`SignalsConfig`]). Curated English, German, French, Spanish, Italian
//! and Portuguese defaults ship in `src/signals/data/` (only English also has example
//! tickets for the word models); every other language gets the
//! language-neutral emoji and emoticons and its words from the user's
//! configuration ([`SignalsConfig::defaults_for`]). Compiled once into [`Signals`], they read a ticket
//! in one pass over its words:
//!
//! - needs (multi-label): cues per need add up (`1 - exp(-sum)`), a need
//!   fires at 0.5; a word model per need (one-vs-rest logistic regression
//!   over words and word pairs, trained on the cue phrases and example
//!   tickets when the signals compile) adds its log-odds when they are
//!   positive, so a clear cue alone still fires and the model reads
//!   phrasings no cue lists; a negator before a pain cue denies it ("no
//!   crashes since the update"), hiding its words from the model too,
//!   while a denied function is a pain ("doesn't sync"); read after the
//!   kind, capability is the need of last resort (dropped beside another
//!   need; a sure feature request that names no need asks for it);
//! - kind (one label): cues, question marks (not a template heading's),
//!   a type the ticket declares in a form field ("Type: Bug", an "Issue
//!   type" heading over "Support"; a declared bug whose writer asks for
//!   help, "I'm trying to", "please help", is a help request), the
//!   writer's share of first-person words in the prose, the needs and
//!   the sentiment, plus a
//!   linear word model (logistic regression over words and word pairs)
//!   trained on example tickets per kind when the signals compile
//!   (built-in ones, and the user's); softmax score. Defect words and
//!   product pains speak for a help request almost as much as for a bug
//!   report (people asking for help describe what goes wrong in the same
//!   words): they set bug and question apart from feature requests, and
//!   the speech acts ("how do I", "?") tell the two apart;
//! - sentiment: VADER-like valences with negation, boosters, dampeners,
//!   "but", capitals, `!`, emoji and support-speak; a good thing told as
//!   past ("it used to be fast") is missed, and an opening "Great," before
//!   a negative sentence is irony.
//!
//! ```
//! use painpoint::signals::Signals;
//! use painpoint::{Kind, Need, Polarity};
//!
//! let signals = Signals::english();
//! let reading = signals.read(Some("Export"), "The app crashes every time I export. Please fix!");
//! assert_eq!(reading.needs[0].need, Need::Reliability);
//! assert_eq!(reading.kind.label, Kind::Bug);
//! assert_eq!(reading.sentiment.label, Polarity::Negative);
//! ```

mod classifier;
mod config;
mod kind;
mod lexicon;
mod needs;
mod negation;
mod sentiment;

use std::sync::Arc;

use serde::{Deserialize, Serialize};

pub use config::{Keyword, LabelConfig, SentimentConfig, Shifters, SignalsConfig};
pub(crate) use lexicon::KnownWord;

use crate::analysis::{Analysis, Analyzer};
use crate::error::{Error, Result, clip};
use crate::tagged::{Evidence, Field};

/// The 16 customer needs: nine product needs and seven service needs.
///
/// Serialized in snake_case (`ease_of_use`). The order is stable.
///
/// ```
/// use painpoint::Need;
/// assert_eq!(serde_json::to_string(&Need::EaseOfUse).unwrap(), "\"ease_of_use\"");
/// assert_eq!(Need::ALL.len(), 16);
/// assert!(Need::Price.is_product_need());
/// assert!(!Need::Honesty.is_product_need());
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Need {
    /// Product need: it works well and is well made.
    Quality,
    /// Product need: it is worth what it costs.
    Price,
    /// Product need: it is easy to learn and use.
    EaseOfUse,
    /// Product need: it can do what the customer needs done.
    Capability,
    /// Product need: it works with the customer's other tools.
    Compatibility,
    /// Product need: it is fast.
    Performance,
    /// Product need: it saves effort, is at hand when needed.
    Convenience,
    /// Product need: it works every time, does not crash or lose data.
    Reliability,
    /// Product need: it saves time, steps or resources.
    Efficiency,
    /// Service need: someone is there to help, when needed.
    Availability,
    /// Service need: a choice of channels, plans and ways.
    Options,
    /// Service need: clear, correct information.
    Information,
    /// Service need: the customer controls and can follow their case.
    Control,
    /// Service need: the truth, kept promises.
    Honesty,
    /// Service need: fair treatment and fair charges.
    Fairness,
    /// Service need: being understood without repeating oneself.
    Understanding,
}

impl Need {
    /// All needs, product needs first, in declaration order (which is
    /// also their `Ord` order).
    ///
    /// ```
    /// use painpoint::Need;
    /// assert_eq!(Need::ALL[0], Need::Quality);
    /// assert_eq!(Need::ALL.iter().filter(|n| n.is_product_need()).count(), 9);
    /// assert!(Need::ALL[..9].iter().all(|n| n.is_product_need()));
    /// assert!(Need::ALL.windows(2).all(|w| w[0] < w[1]));
    /// ```
    pub const ALL: [Need; 16] = [
        Need::Quality,
        Need::Price,
        Need::EaseOfUse,
        Need::Capability,
        Need::Compatibility,
        Need::Performance,
        Need::Convenience,
        Need::Reliability,
        Need::Efficiency,
        Need::Availability,
        Need::Options,
        Need::Information,
        Need::Control,
        Need::Honesty,
        Need::Fairness,
        Need::Understanding,
    ];

    /// Whether this is one of the nine product needs (else a service need).
    ///
    /// ```
    /// use painpoint::Need;
    /// assert!(Need::Performance.is_product_need());
    /// assert!(Need::Efficiency.is_product_need()); // the last product need
    /// assert!(!Need::Availability.is_product_need()); // the first service need
    /// ```
    pub fn is_product_need(self) -> bool {
        (self as usize) < 9
    }

    /// The snake_case name, as serialized (`"ease_of_use"`).
    ///
    /// ```
    /// use painpoint::Need;
    /// assert_eq!(Need::EaseOfUse.name(), "ease_of_use");
    /// for need in Need::ALL {
    ///     assert_eq!(serde_json::to_string(&need).unwrap(), format!("\"{}\"", need.name()));
    /// }
    /// ```
    pub fn name(self) -> &'static str {
        [
            "quality",
            "price",
            "ease_of_use",
            "capability",
            "compatibility",
            "performance",
            "convenience",
            "reliability",
            "efficiency",
            "availability",
            "options",
            "information",
            "control",
            "honesty",
            "fairness",
            "understanding",
        ][self as usize]
    }
}

/// What kind of ticket it is.
///
/// ```
/// use painpoint::Kind;
/// assert_eq!(serde_json::to_string(&Kind::FeatureRequest).unwrap(), "\"feature_request\"");
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Kind {
    /// Something is broken.
    Bug,
    /// Something is missing.
    FeatureRequest,
    /// The customer asks how or whether.
    Question,
    /// Dissatisfaction with service, price or policy rather than a defect.
    Complaint,
    /// The customer is happy.
    Praise,
    /// None of the above.
    Other,
}

impl Kind {
    /// All kinds in declaration order (which is also their `Ord` order
    /// and the index order of [`Ledger::kinds`](crate::Ledger::kinds)).
    ///
    /// ```
    /// use painpoint::Kind;
    /// assert_eq!(Kind::ALL.len(), 6);
    /// assert_eq!((Kind::ALL[0], Kind::ALL[5]), (Kind::Bug, Kind::Other));
    /// assert!(Kind::ALL.iter().enumerate().all(|(i, k)| *k as usize == i));
    /// ```
    pub const ALL: [Kind; 6] = [
        Kind::Bug,
        Kind::FeatureRequest,
        Kind::Question,
        Kind::Complaint,
        Kind::Praise,
        Kind::Other,
    ];

    /// The snake_case name, as serialized (`"feature_request"`).
    ///
    /// ```
    /// use painpoint::Kind;
    /// assert_eq!(Kind::FeatureRequest.name(), "feature_request");
    /// for kind in Kind::ALL {
    ///     assert_eq!(serde_json::to_string(&kind).unwrap(), format!("\"{}\"", kind.name()));
    /// }
    /// ```
    pub fn name(self) -> &'static str {
        [
            "bug",
            "feature_request",
            "question",
            "complaint",
            "praise",
            "other",
        ][self as usize]
    }
}

/// The label of a sentiment score.
///
/// ```
/// use painpoint::Polarity;
/// assert_eq!(serde_json::to_string(&Polarity::Negative).unwrap(), "\"negative\"");
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Polarity {
    /// Unhappy.
    Negative,
    /// Neither.
    Neutral,
    /// Happy.
    Positive,
}

/// A need a ticket speaks to.
///
/// ```
/// use painpoint::signals::Signals;
/// use painpoint::Need;
/// let text = "Way too expensive for what it does.";
/// let reading = Signals::english().read(None, text);
/// let price = &reading.needs[0];
/// assert_eq!(price.need, Need::Price);
/// assert!((0.5..=1.0).contains(&price.score)); // a need fires at 0.5
/// assert!(price.evidence.iter().any(|e| &text[e.span.range()] == "too expensive"));
/// ```
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct NeedMatch {
    /// The need.
    pub need: Need,
    /// Confidence in `[0, 1]`.
    pub score: f64,
    /// The words behind it.
    pub evidence: Vec<Evidence>,
}

/// The kind of a ticket.
///
/// ```
/// use painpoint::signals::Signals;
/// use painpoint::Kind;
/// let text = "How do I change my email address?";
/// let kind = Signals::english().read(None, text).kind;
/// assert_eq!(kind.label, Kind::Question);
/// assert!((0.0..=1.0).contains(&kind.score));
/// assert!(kind.evidence.iter().any(|e| text[e.span.range()].eq_ignore_ascii_case("how do i")));
/// ```
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct KindMatch {
    /// The kind.
    pub label: Kind,
    /// Confidence in `[0, 1]`.
    pub score: f64,
    /// The words behind it.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub evidence: Vec<Evidence>,
}

/// The sentiment of a ticket.
///
/// ```
/// use painpoint::signals::Signals;
/// use painpoint::{Field, Polarity};
/// let signals = Signals::english();
/// let unhappy = signals.read(Some("App crashes"), "Every time I open it. Please fix!").sentiment;
/// assert_eq!(unhappy.label, Polarity::Negative);
/// assert!((-1.0..0.0).contains(&unhappy.score));
/// assert!(unhappy.evidence.iter().any(|e| e.field == Field::Subject));
/// let happy = signals.read(None, "Love the new dashboard, great job!").sentiment;
/// assert!(happy.label == Polarity::Positive && happy.score > 0.0);
/// ```
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct SentimentScore {
    /// The label.
    pub label: Polarity,
    /// The score in `[-1, 1]`: below zero unhappy, above zero happy.
    pub score: f64,
    /// The words behind it.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub evidence: Vec<Evidence>,
}

/// What [`Signals::read`] finds in one ticket.
///
/// ```
/// use painpoint::signals::Signals;
/// let reading = Signals::english().read(None, "Love the new dashboard, great job!");
/// assert_eq!(reading.kind.label, painpoint::Kind::Praise);
/// assert!(reading.needs.is_empty());
/// assert!(reading.sentiment.score > 0.5);
/// ```
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct Reading {
    /// The needs the ticket speaks to, strongest first (ties in
    /// [`Need::ALL`] order); empty when none reached 0.5.
    pub needs: Vec<NeedMatch>,
    /// What kind of ticket it is.
    pub kind: KindMatch,
    /// How the customer feels.
    pub sentiment: SentimentScore,
}

/// The compiled customer signals: immutable, `Send + Sync`, cheap to clone
/// (an `Arc`).
///
/// Build it once with [`Signals::english`] or [`Signals::new`], then call
/// [`Signals::read`] per ticket. Reading costs time linear in the ticket's
/// length: one analysis pass, one lookup per word in a vocabulary of every
/// lexicon key (the label sets then compare small ids), and one hash
/// lookup per word and word pair for each of the two word models.
///
/// ```
/// use painpoint::signals::Signals;
/// use painpoint::{Field, Need};
///
/// let signals = Signals::english();
/// let text = "Way too expensive for what it does.";
/// let reading = signals.read(None, text);
/// let price = &reading.needs[0];
/// assert_eq!(price.need, Need::Price);
/// let cue = &price.evidence[0];
/// assert_eq!(cue.field, Field::Text);
/// assert_eq!(&text[cue.span.range()], "too expensive");
/// ```
#[derive(Debug, Clone)]
pub struct Signals {
    inner: Arc<Inner>,
}

#[derive(Debug)]
struct Inner {
    analyzer: Analyzer,
    /// Every key of the lexicons and shifter lists, by id.
    vocab: lexicon::Vocab,
    shift: negation::ShiftWords,
    /// The phrases of the sentiment, needs and kinds lexicons, found in
    /// one pass.
    cues: lexicon::CueTable,
    needs: needs::NeedModel,
    kinds: kind::KindModel,
    sentiment: sentiment::SentimentModel,
}

impl Inner {
    /// [`Signals::read_known`]: on the compiled signals themselves, so that
    /// [`Signals::new`] can read the kind's examples before it shares them.
    fn read_known(
        &self,
        subject: Option<(&str, &Analysis, &[lexicon::KnownWord])>,
        text: (&str, &Analysis, &[lexicon::KnownWord]),
    ) -> Reading {
        let inner = self;
        let lang = inner.analyzer.language();
        let mut scratch = SCRATCH.take().unwrap_or_default();
        let mut tokens = lexicon::Tokens::on(lexicon::recycle(std::mem::take(&mut scratch.tokens)));
        let both = [(Field::Subject, ""), (Field::Text, text.0)];
        let mut fields: &[(Field, &str)] = &both[1..];
        let both_fields;
        if let Some((s, a, known)) = subject {
            tokens.push_known_field(&inner.vocab, lang, Field::Subject, (s, a), known);
            both_fields = [(Field::Subject, s), (Field::Text, text.0)];
            fields = &both_fields;
        }
        tokens.push_known_field(&inner.vocab, lang, Field::Text, (text.0, text.1), text.2);
        // One pass over the body's bytes tells the readers which of their
        // scans it needs.
        let marks = classifier::Marks::of_with(text.0, inner.sentiment.mark_table());
        // The kind reads the customer's words, not the body's code, logs
        // and template comments.
        let boilerplate = if marks.any(classifier::Marks::BACKTICK | classifier::Marks::LESS_THAN) {
            classifier::boilerplate_ranges(text.0)
        } else {
            Vec::new()
        };
        // One pass over the words finds the phrases of every lexicon; the
        // kind's, in a ticket with boilerplate, in its prose below.
        let hits = &mut scratch.hits;
        let mut lexicons = (1 << lexicon::SENTIMENT) | (1 << lexicon::NEEDS);
        if boilerplate.is_empty() {
            lexicons |= 1 << lexicon::KINDS;
        }
        inner.cues.find(&tokens, lexicons, hits);
        let sentiment = inner.sentiment.read(
            &tokens,
            &mut hits[lexicon::SENTIMENT],
            fields,
            marks,
            &inner.shift,
            &mut scratch.sentiment,
        );
        let (needs, said_once) = inner.needs.read(
            &tokens,
            &hits[lexicon::NEEDS],
            &inner.shift,
            &mut scratch.needs,
        );
        // Template headings and checklists: read by the kind's cues and by
        // its example model, found once.
        let headings = kind::template_lines(text.0, marks);
        let prose = (!boilerplate.is_empty()).then(|| {
            tokens.keeping(|t| {
                t.field != Field::Text || !classifier::inside(&boilerplate, t.span.start)
            })
        });
        if let Some(prose) = &prose {
            inner.cues.find(prose, 1 << lexicon::KINDS, hits);
        }
        let features = &mut scratch.kind_features;
        features.clear();
        if let Some(model) = &inner.kinds.classifier {
            classifier::features(
                &tokens,
                subject.map(|s| s.0),
                text.0,
                marks,
                &boilerplate,
                &headings,
                false,
                model.reads_gapped_pairs(),
                features,
            );
        }
        let kind = inner.kinds.read(
            prose.as_ref().unwrap_or(&tokens),
            &hits[lexicon::KINDS],
            fields,
            &boilerplate,
            marks,
            &inner.shift,
            &needs,
            &sentiment,
            features,
            &headings,
            &mut scratch.kind,
        );
        scratch.tokens = lexicon::recycle(tokens.toks);
        for list in &mut scratch.hits {
            list.clear();
        }
        SCRATCH.set(Some(scratch));
        // The kind read the words' sentiment; the reported sentiment reads
        // the words in the light of the kind.
        let sentiment = sentiment::in_light_of(&kind, sentiment);
        let needs = needs::in_light_of(&kind, needs, said_once);
        Reading {
            needs,
            kind,
            sentiment,
        }
    }

    /// The kind's logits of `text` (read as a body) before the example
    /// model: see [`kind::Scratch::cue_logits`].
    fn kind_cue_logits(&self, text: &str) -> [f64; Kind::ALL.len()] {
        let analysis = self.analyzer.analyze(text);
        let _ = self.read_known(None, (text, &analysis, &[]));
        let scratch = SCRATCH.take();
        let logits = scratch
            .as_ref()
            .map_or([0.0; Kind::ALL.len()], |s| s.kind.cue_logits);
        SCRATCH.set(scratch);
        logits
    }
}

/// The scratch buffers of a reading, kept (empty) between the tickets a
/// thread reads, so that a reading allocates only what it returns: one
/// per-thread box taken and put back once a ticket (one thread-local
/// access, not one a buffer, which would each spend code on every ticket;
/// a pointer moved, not the buffers).
#[derive(Debug, Default)]
struct Scratch {
    /// The tokens of the ticket being read.
    tokens: Vec<lexicon::Tok<'static>>,
    /// The phrases found in the ticket, per lexicon.
    hits: [Vec<lexicon::Hit>; lexicon::LEXICONS],
    /// The kind model's features of the ticket.
    kind_features: Vec<u64>,
    sentiment: sentiment::Scratch,
    needs: needs::Scratch,
    kind: kind::Scratch,
}

thread_local! {
    static SCRATCH: std::cell::Cell<Option<Box<Scratch>>> = const { std::cell::Cell::new(None) };
}

/// The [`lexicon::Tok::marks`] bits of a word that starts a phrase of the
/// sentiment, needs and kind lexicons (the shifter lists use the low four).
const SENTIMENT_STARTS: u8 = 16;
const NEED_STARTS: u8 = 32;
const KIND_STARTS: u8 = 64;

/// Weights of keywords must lie in this range.
const MAX_WEIGHT: f64 = 10.0;

/// Checks and compiles one label's keywords into `lex`, and checks its
/// examples are not empty; `base` is the label's config path.
fn add_label(
    lex: &mut lexicon::Lexicon,
    vocab: &mut lexicon::Vocab,
    analyzer: &Analyzer,
    base: &str,
    label_index: usize,
    label: &LabelConfig,
) -> Result<()> {
    for (i, k) in label.keywords.iter().enumerate() {
        let path = format!("{base}.keywords[{i}]");
        check_weight(
            path.clone(),
            k.weight,
            0.0,
            MAX_WEIGHT,
            "a weight in [0, 10]",
        )?;
        add_phrase(lex, vocab, analyzer, path, &k.phrase, label_index, k.weight)?;
    }
    for (i, text) in label.examples.iter().enumerate() {
        if text.trim().is_empty() {
            return Err(Error::Empty {
                path: format!("{base}.examples[{i}]"),
            });
        }
    }
    Ok(())
}

/// Checks the keywords and examples of every label of `config` as written,
/// each error naming its path in `config`. Cost: one analysis of each.
fn check_labels(config: &SignalsConfig, analyzer: &Analyzer) -> Result<()> {
    let mut lex = lexicon::Lexicon::default();
    let mut vocab = lexicon::Vocab::default();
    for (need, label) in &config.needs {
        let base = format!("needs.{}", need.name());
        add_label(&mut lex, &mut vocab, analyzer, &base, 0, label)?;
    }
    for (kind, label) in &config.kinds {
        let base = format!("kinds.{}", kind.name());
        add_label(&mut lex, &mut vocab, analyzer, &base, 0, label)?;
    }
    Ok(())
}

/// Checks the word lists of `config` as written (shifters, first person,
/// "why" words): an entry with no words would be skipped unseen, and a
/// word of a problem solved is matched as one word, so a longer entry could
/// never match. Each error names its path in `config`, such as
/// `shifters.negators[3]`.
fn check_word_lists(config: &SignalsConfig, analyzer: &Analyzer) -> Result<()> {
    let s = &config.shifters;
    let lists: [(&str, &[String]); 9] = [
        ("shifters.negators", &s.negators),
        ("shifters.boosters", &s.boosters),
        ("shifters.dampeners", &s.dampeners),
        ("shifters.contrast", &s.contrast),
        ("shifters.past", &s.past),
        ("shifters.clause_openers", &s.clause_openers),
        ("shifters.solved", &s.solved),
        ("first_person", &config.first_person),
        ("why", &config.why),
    ];
    for (base, list) in lists {
        for (i, entry) in list.iter().enumerate() {
            let path = format!("{base}[{i}]");
            let words = analyzer.analyze(entry).iter().count();
            if words == 0 {
                return Err(Error::Empty { path });
            }
            if words > 1 && base == "shifters.solved" {
                return Err(Error::Parse {
                    path,
                    value: clip(entry, 80),
                    reason: "a word of a problem solved is one word",
                });
            }
        }
    }
    Ok(())
}

fn check_weight(path: String, weight: f64, lo: f64, hi: f64, rule: &'static str) -> Result<()> {
    if weight.is_finite() && (lo..=hi).contains(&weight) {
        Ok(())
    } else {
        Err(Error::BadNumber {
            path,
            value: weight.to_string(),
            rule,
        })
    }
}

fn add_phrase(
    lex: &mut lexicon::Lexicon,
    vocab: &mut lexicon::Vocab,
    analyzer: &Analyzer,
    path: String,
    phrase: &str,
    label: usize,
    weight: f64,
) -> Result<()> {
    match lex.add(vocab, analyzer, phrase, label, weight) {
        Ok(()) => Ok(()),
        Err(lexicon::PhraseError::NoWords) => Err(Error::Empty { path }),
        Err(lexicon::PhraseError::LeadingWildcard) => Err(Error::Parse {
            path,
            value: clip(phrase, 80),
            reason: "a phrase cannot start with `*`",
        }),
    }
}

impl Signals {
    /// The built-in English defaults, compiled
    /// ([`SignalsConfig::english`]). Compiled once per process and shared:
    /// later calls cost an `Arc` clone.
    ///
    /// ```
    /// use painpoint::signals::Signals;
    /// use painpoint::{Kind, Need};
    /// let signals = Signals::english();
    /// let reading = signals.read(None, "Export to CSV crashes the app every time");
    /// assert_eq!(reading.kind.label, Kind::Bug);
    /// assert!(reading.needs.iter().any(|n| n.need == Need::Reliability));
    /// ```
    pub fn english() -> Signals {
        static ENGLISH: std::sync::OnceLock<Signals> = std::sync::OnceLock::new();
        ENGLISH
            .get_or_init(|| {
                // The defaults are tested to compile; an empty set is the
                // harmless fallback that keeps this infallible.
                Signals::new(&SignalsConfig::english()).unwrap_or_else(|_| {
                    Signals::new(&SignalsConfig {
                        extend_defaults: false,
                        ..SignalsConfig::default()
                    })
                    .expect("an empty configuration always compiles")
                })
            })
            .clone()
    }

    /// Compiles a configuration (merged into the defaults first when it says
    /// `extend_defaults`, see [`SignalsConfig::resolved`]).
    ///
    /// # Errors
    ///
    /// A keyword, example or sentiment word with no words
    /// ([`Error::Empty`]), a phrase starting with `*` ([`Error::Parse`]), a
    /// keyword weight outside `[0, 10]` or a valence outside `[-4, 4]`
    /// ([`Error::BadNumber`]), a shifter, first-person or "why" entry with
    /// no words ([`Error::Empty`]) or a word of a problem solved
    /// ([`Shifters::solved`]) of more than one word
    /// ([`Error::Parse`]); each names its path in `config` as given
    /// (not in the merged defaults), such as `needs.price.keywords[2]` or
    /// `sentiment.words["meh"]`.
    ///
    /// Cost: linear in the size of the configuration.
    ///
    /// ```
    /// use painpoint::signals::{LabelConfig, Signals, SignalsConfig};
    /// use painpoint::Need;
    ///
    /// let mut config = SignalsConfig::default(); // extends the defaults
    /// config.needs.insert(Need::Price, LabelConfig::default().keyword("paywall").keyword(""));
    /// let err = Signals::new(&config).unwrap_err();
    /// assert_eq!(err.to_string(), "needs.price.keywords[1]: must not be empty");
    /// ```
    pub fn new(config: &SignalsConfig) -> Result<Signals> {
        let analyzer = Analyzer::new(config.language);
        check_word_lists(config, &analyzer)?;
        if config.extend_defaults {
            // Merged, the user's keywords follow the defaults: check them
            // first, so an error names the place in the user's own file.
            check_labels(config, &analyzer)?;
        }
        let config = config.resolved();
        let mut vocab = lexicon::Vocab::default();
        let shift = negation::ShiftWords::new(&analyzer, &config.shifters, &mut vocab);

        let mut lex = lexicon::Lexicon::default();
        // Sentiment words and emoji are maps: an entry is named by its key,
        // which merging keeps.
        for (word, valence) in &config.sentiment.words {
            let path = format!("sentiment.words[{:?}]", clip(word, 80));
            check_weight(path.clone(), *valence, -4.0, 4.0, "a valence in [-4, 4]")?;
            add_phrase(&mut lex, &mut vocab, &analyzer, path, word, 0, *valence)?;
        }
        lex.finish();
        let mut emoji = Vec::new();
        for (text, valence) in &config.sentiment.emoji {
            let path = format!("sentiment.emoji[{:?}]", clip(text, 80));
            check_weight(path.clone(), *valence, -4.0, 4.0, "a valence in [-4, 4]")?;
            if text.trim().is_empty() {
                return Err(Error::Empty { path });
            }
            emoji.push((text.trim().to_string(), *valence));
        }
        lex.mark_starts(&mut vocab, SENTIMENT_STARTS);
        let mut sentiment = sentiment::SentimentModel::new(lex, &emoji);

        let mut need_lex = lexicon::Lexicon::default();
        let mut need_examples = Vec::new();
        for (need, label) in &config.needs {
            let base = format!("needs.{}", need.name());
            add_label(
                &mut need_lex,
                &mut vocab,
                &analyzer,
                &base,
                *need as usize,
                label,
            )?;
            need_examples.extend(
                label
                    .examples
                    .iter()
                    .map(|text| (*need as usize, text.clone())),
            );
        }
        need_lex.finish();
        need_lex.mark_starts(&mut vocab, NEED_STARTS);
        let pain = need_lex
            .phrases
            .iter()
            .map(|p| {
                !p.keys.iter().any(|k| shift.is_negator(k))
                    && p.keys
                        .iter()
                        .any(|k| sentiment.word_valence.get(k).is_some_and(|v| *v < 0.0))
            })
            .collect();
        let docs = needs::model_docs(
            &analyzer,
            need_lex
                .phrases
                .iter()
                // A zero-weight phrase only shields the cue it holds: it
                // teaches the word model nothing.
                .filter(|p| p.weight > 0.0)
                .map(|p| (Some(p.label), p.pattern.to_string(), 1.0))
                .chain(
                    need_examples
                        .iter()
                        .map(|(l, t)| (Some(*l), t.clone(), needs::EXAMPLE_WEIGHT)),
                )
                .chain(
                    config
                        .kinds
                        .iter()
                        .filter(|(k, _)| matches!(k, Kind::Praise | Kind::Other))
                        .flat_map(|(_, l)| l.examples.iter().map(|t| (None, t.clone(), 1.0))),
                ),
        );
        let mut needs = needs::NeedModel {
            lex: need_lex,
            pain,
            model: classifier::OneVsRest::train(&docs, Need::ALL.len()),
            taught: need_examples.iter().fold(0, |bits, (k, _)| bits | 1 << k),
        };

        let mut kind_lex = lexicon::Lexicon::default();
        let mut kind_labels = Vec::new();
        for (kind, label) in &config.kinds {
            let base = format!("kinds.{}", kind.name());
            add_label(
                &mut kind_lex,
                &mut vocab,
                &analyzer,
                &base,
                *kind as usize,
                label,
            )?;
            kind_labels.push((*kind, label.examples.clone()));
        }
        kind_lex.finish();
        kind_lex.mark_starts(&mut vocab, KIND_STARTS);
        vocab.index_bare_keys();
        if analyzer.language() == crate::Language::German {
            vocab.forgive_umlaut_spellings();
        }
        // The shipped examples alone, or some of the user's own?
        let shipped = SignalsConfig::defaults_for(config.language);
        let shipped_examples = config.kinds.len() == shipped.kinds.len()
            && config
                .kinds
                .iter()
                .zip(&shipped.kinds)
                .all(|((k, l), (sk, sl))| k == sk && l.examples == sl.examples);
        let mut kinds = kind::KindModel {
            lex: kind_lex,
            classifier: None,
            shipped_examples,
            first_person: config
                .first_person
                .iter()
                .map(|w| {
                    let mut folded = String::new();
                    crate::analysis::fold_into(w.trim(), &mut folded);
                    folded
                })
                .filter(|w| !w.is_empty())
                .collect(),
            why: kind::WhyWords::new(&config.why),
        };

        let cues = lexicon::CueTable::new([&mut sentiment.lex, &mut needs.lex, &mut kinds.lex]);

        let mut inner = Inner {
            analyzer,
            vocab,
            shift,
            cues,
            needs,
            kinds,
            sentiment,
        };
        // The kind's example model is trained last: with many examples it
        // learns on top of what the rest of the signals say of each (read
        // before the signals are shared, so the model is installed always).
        inner.kinds.classifier =
            classifier::KindClassifier::new(&inner.analyzer, &kind_labels, &|text| {
                inner.kind_cue_logits(text)
            });
        Ok(Signals {
            inner: Arc::new(inner),
        })
    }

    /// Reads one ticket: its needs, kind and sentiment, each with evidence
    /// (byte spans into `subject` or `text`, told apart by
    /// [`Evidence::field`]).
    ///
    /// Never panics; cost linear in the length of the ticket.
    ///
    /// ```
    /// use painpoint::signals::Signals;
    /// use painpoint::{Field, Kind, Need};
    /// let subject = "App crashes";
    /// let reading = Signals::english().read(Some(subject), "Every time I open it. Please fix!");
    /// assert_eq!(reading.kind.label, Kind::Bug);
    /// let reliability = reading.needs.iter().find(|n| n.need == Need::Reliability).unwrap();
    /// let cue = reliability.evidence.iter().find(|e| e.field == Field::Subject).unwrap();
    /// assert_eq!(&subject[cue.span.range()], "crashes");
    /// ```
    pub fn read(&self, subject: Option<&str>, text: &str) -> Reading {
        let inner = &*self.inner;
        let subject_analysis = subject.map(|s| inner.analyzer.analyze(s));
        let text_analysis = inner.analyzer.analyze(text);
        self.read_analyzed(
            subject.zip(subject_analysis.as_ref()),
            (text, &text_analysis),
        )
    }

    /// Like [`Signals::read`], for a caller that has already analysed the
    /// fields with an [`Analyzer`] of the same language (the tagger does):
    /// saves the analysis pass.
    ///
    /// ```
    /// use painpoint::analysis::Analyzer;
    /// use painpoint::signals::Signals;
    /// use painpoint::Language;
    ///
    /// let signals = Signals::english();
    /// let text = "nobody answered for three days";
    /// let analysis = Analyzer::new(Language::English).analyze(text);
    /// assert_eq!(signals.read_analyzed(None, (text, &analysis)), signals.read(None, text));
    /// ```
    pub fn read_analyzed(
        &self,
        subject: Option<(&str, &Analysis)>,
        text: (&str, &Analysis),
    ) -> Reading {
        self.read_known(subject.map(|(s, a)| (s, a, &[][..])), (text.0, text.1, &[]))
    }

    /// The language the signals read (their configuration's).
    ///
    /// ```
    /// use painpoint::signals::{Signals, SignalsConfig};
    /// use painpoint::Language;
    /// assert_eq!(Signals::english().language(), Language::English);
    /// let german = Signals::new(&SignalsConfig::defaults_for(Language::German)).unwrap();
    /// assert_eq!(german.language(), Language::German);
    /// ```
    pub fn language(&self) -> crate::Language {
        self.inner.analyzer.language()
    }

    /// What [`Signals::read_known`] needs to know of a word, folded and
    /// stemmed by an analyzer of these signals' language: worked out once
    /// by a caller that keeps a table of words (the tagger's probe table),
    /// and handed back with each token of the word, it saves the token's
    /// hash and lookup. Cost: one lookup.
    pub(crate) fn known_word(&self, folded: &str, stem: &str) -> lexicon::KnownWord {
        let inner = &*self.inner;
        inner
            .vocab
            .known_word(inner.analyzer.language(), folded, stem)
    }

    /// [`Signals::read_analyzed`], with each field's [`Signals::known_word`]
    /// per token (may be short or empty, [`lexicon::KnownWord::NONE`] for
    /// a word not known: the rest are worked out here).
    pub(crate) fn read_known(
        &self,
        subject: Option<(&str, &Analysis, &[lexicon::KnownWord])>,
        text: (&str, &Analysis, &[lexicon::KnownWord]),
    ) -> Reading {
        self.inner.read_known(subject, text)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn signals_are_send_sync() {
        fn check<T: Send + Sync + Clone>() {}
        check::<Signals>();
    }

    #[test]
    fn english_compiles() {
        assert!(Signals::new(&SignalsConfig::english()).is_ok());
    }
}
