//! What tagging a ticket produces: matches with scores and evidence, plus
//! the customer signals (needs, kind, sentiment).

use std::fmt;
use std::sync::Arc;

use serde::{Deserialize, Serialize};

use crate::signals::{KindMatch, NeedMatch, SentimentScore};
use crate::span::Span;

/// The result of tagging one ticket.
///
/// # Example
///
/// ```
/// use painpoint::{Capability, Feature, Product, Tagger, Ticket};
///
/// let product = Product::new("app", "App").capability(
///     Capability::new("data", "Data").feature(Feature::new("export", "Export").keyword("export to csv")),
/// );
/// let tagger = Tagger::new(&product).unwrap();
/// let tagged = tagger.tag(&Ticket::new("t1", "Export to CSV is broken"));
/// assert_eq!(tagged.id, "t1");
/// assert_eq!(tagged.best().unwrap().feature.as_deref(), Some("export"));
/// assert!(!tagged.is_unmatched());
/// ```
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[non_exhaustive]
pub struct TaggedTicket {
    /// The ticket's id.
    pub id: String,
    /// Every node whose score reached the threshold, best first (ties by
    /// product order). Empty when the ticket is unmatched.
    pub matches: Vec<Match>,
    /// The customer needs the ticket speaks to, strongest first.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub needs: Vec<NeedMatch>,
    /// What kind of ticket it is, when signals are on.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub kind: Option<KindMatch>,
    /// How the customer feels, when signals are on.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub sentiment: Option<SentimentScore>,
    /// Whether the ticket was longer than the configured limits and only
    /// its beginning was analysed.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub truncated: bool,
}

impl TaggedTicket {
    /// Whether no node matched (`matches` is empty). Unmatched tickets are
    /// what [`discovery`](crate::discovery) looks through for new themes.
    ///
    /// ```
    /// # use painpoint::{Capability, Feature, Product, Tagger, Ticket};
    /// # let product = Product::new("app", "App").capability(
    /// #     Capability::new("data", "Data").feature(Feature::new("export", "Export").keyword("export to csv")));
    /// let tagger = Tagger::new(&product).unwrap();
    /// assert!(tagger.tag(&Ticket::new("t1", "What a lovely day")).is_unmatched());
    /// assert!(!tagger.tag(&Ticket::new("t2", "Export to CSV fails")).is_unmatched());
    /// ```
    pub fn is_unmatched(&self) -> bool {
        self.matches.is_empty()
    }

    /// The best match (the first of `matches`), if any. Cost: O(1).
    ///
    /// ```
    /// # use painpoint::{Capability, Feature, Product, Tagger, Ticket};
    /// let product = Product::new("app", "App").capability(
    ///     Capability::new("data", "Data")
    ///         .feature(Feature::new("export", "Export").keyword("export to csv"))
    ///         .feature(Feature::new("import", "Import").keyword("import from excel")),
    /// );
    /// let tagged = Tagger::new(&product).unwrap().tag(&Ticket::new("t1", "Export to CSV is broken"));
    /// let best = tagged.best().unwrap();
    /// assert_eq!(best.node(), "export");
    /// assert!(tagged.matches.iter().all(|m| m.score <= best.score));
    /// ```
    pub fn best(&self) -> Option<&Match> {
        self.matches.first()
    }
}

/// One node a ticket matched: a feature, or a capability when the ticket
/// names the capability but none of its features.
///
/// # Example
///
/// ```
/// use painpoint::{Capability, Feature, Product, Tagger, Ticket};
///
/// let product = Product::new("bank", "Bank").capability(
///     Capability::new("billing", "Billing")
///         .keyword("invoice")
///         .feature(Feature::new("refunds", "Refunds").keyword("money back")),
/// );
/// let tagger = Tagger::new(&product).unwrap();
///
/// let feature = tagger.tag(&Ticket::new("t1", "I want my money back"));
/// let m = feature.best().unwrap();
/// assert_eq!((m.feature.as_deref(), m.capability.as_str()), (Some("refunds"), "billing"));
/// assert!((0.0..=1.0).contains(&m.score) && (0.0..=1.0).contains(&m.fit));
///
/// // Names the capability, none of its features: a capability-level match.
/// let capability = tagger.tag(&Ticket::new("t2", "Where is my invoice?"));
/// let m = capability.best().unwrap();
/// assert_eq!((m.feature.as_deref(), m.capability.as_str()), (None, "billing"));
/// ```
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[non_exhaustive]
pub struct Match {
    /// The feature's id, or `None` for a capability-level match.
    pub feature: Option<Name>,
    /// The capability's id (the feature's parent, or the matched capability).
    pub capability: Name,
    /// Confidence in `[0, 1]`.
    pub score: f64,
    /// How much of the ticket the node's own texts explain, in `[0, 1]`:
    /// the share of the ticket's content words (weighted by rarity) found
    /// in the node's name, keywords, examples or description. `score` is
    /// relative to the other nodes; `fit` is absolute, so a low fit on a
    /// confident match flags a ticket about something the product does not
    /// model yet (see [`discovery`](crate::discovery)).
    #[serde(default)]
    pub fit: f64,
    /// How much of one of the node's own texts the ticket holds, in
    /// `[0, 1]`: the largest share (weighted by rarity) of its name, a
    /// keyword, an example or its description found in the ticket; a
    /// keyword or name found whole gives 1. The mirror of `fit`. A ticket
    /// that shares one common word with a long example has both low, which
    /// is how an off-topic ticket shows ([`TaggerConfig::min_coverage`](crate::TaggerConfig::min_coverage)).
    #[serde(default)]
    pub coverage: f64,
    /// Why: the words of the ticket that met the node's name, keywords or
    /// examples, strongest first.
    pub evidence: Vec<Evidence>,
}

impl Match {
    /// The id of the matched node: the feature, or else the capability.
    ///
    /// ```
    /// use painpoint::Match;
    ///
    /// let mut m = Match::default();
    /// m.capability = "billing".into();
    /// assert_eq!(m.node(), "billing");
    /// m.feature = Some("refunds".into());
    /// assert_eq!(m.node(), "refunds");
    /// ```
    pub fn node(&self) -> &str {
        self.feature.as_deref().unwrap_or(&self.capability)
    }
}

/// One piece of evidence: a word or phrase of the ticket that met a word or
/// phrase of the node.
///
/// Its span always points into the ticket field named by `field`, on `char`
/// boundaries, so `&text[evidence.span.range()]` is the ticket's own words.
///
/// # Example
///
/// ```
/// use painpoint::{Capability, Feature, Field, How, Product, Source, Tagger, Ticket};
///
/// let product = Product::new("shop", "Shop").capability(
///     Capability::new("checkout", "Checkout")
///         .feature(Feature::new("payment", "Payment").keyword("card declined")),
/// );
/// let ticket = Ticket::new("t1", "Help, my CARD DECLINED again");
/// let tagged = Tagger::new(&product).unwrap().tag(&ticket);
/// let evidence = &tagged.best().unwrap().evidence[0];
/// assert_eq!((evidence.source, evidence.how, evidence.field), (Source::Keyword, How::Phrase, Field::Text));
/// assert_eq!(evidence.pattern, "card declined");
/// assert_eq!(&ticket.text[evidence.span.range()], "CARD DECLINED");
/// ```
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct Evidence {
    /// Which part of the node it met.
    pub source: Source,
    /// The node's text that was met: the keyword, the name, or the example.
    pub pattern: Name,
    /// How the words met.
    pub how: How,
    /// Which field of the ticket the span points into.
    #[serde(default, skip_serializing_if = "Field::is_text")]
    pub field: Field,
    /// Byte span of the matched words in that field.
    pub span: Span,
}

impl Evidence {
    /// New evidence in the ticket's body ([`Field::Text`]).
    ///
    /// ```
    /// use painpoint::{Evidence, Field, How, Source, Span};
    ///
    /// let evidence = Evidence::new(Source::Keyword, "card declined", How::Phrase, Span::new(3, 16));
    /// assert_eq!(evidence.field, Field::Text);
    /// // The body is the default field, so it is left out of the JSON.
    /// assert_eq!(
    ///     serde_json::to_string(&evidence).unwrap(),
    ///     r#"{"source":"keyword","pattern":"card declined","how":"phrase","span":[3,16]}"#,
    /// );
    /// ```
    pub fn new(source: Source, pattern: impl Into<Name>, how: How, span: Span) -> Evidence {
        Evidence {
            source,
            pattern: pattern.into(),
            how,
            field: Field::Text,
            span,
        }
    }
}

/// The part of a node (or of a signal's lexicon) that evidence came from.
/// Serializes in snake case (`"keyword"`).
///
/// # Example
///
/// ```
/// use painpoint::{Capability, Feature, Product, Source, Tagger};
///
/// let product = Product::new("app", "App").capability(
///     Capability::new("data", "Data").feature(Feature::new("export", "Export").keyword("csv download")),
/// );
/// let tagger = Tagger::new(&product).unwrap();
/// let sources = |text: &str| -> Vec<Source> {
///     tagger.tag_text(text).best().unwrap().evidence.iter().map(|e| e.source).collect()
/// };
/// assert!(sources("the csv download is empty").contains(&Source::Keyword));
/// assert!(sources("export hangs").contains(&Source::Name));
/// assert_eq!(serde_json::to_string(&Source::Keyword).unwrap(), r#""keyword""#);
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
#[non_exhaustive]
pub enum Source {
    /// The node's name.
    Name,
    /// One of the node's keywords.
    Keyword,
    /// One of the node's example tickets.
    Example,
    /// The node's description.
    Description,
    /// A word list of the signals lexicon.
    Lexicon,
}

/// How ticket words met the node's words. Serializes in snake case
/// (`"stem"`).
///
/// # Example
///
/// ```
/// use painpoint::{Capability, Feature, How, Product, Tagger};
///
/// let product = Product::new("app", "App")
///     .synonyms(["refund", "reimbursement"])
///     .capability(
///         Capability::new("billing", "Billing")
///             .feature(Feature::new("refunds", "Refunds").keyword("refund"))
///             .feature(Feature::new("receipts", "Receipts").keyword("receipt email")),
///     );
/// let tagger = Tagger::new(&product).unwrap();
/// let how = |text: &str| tagger.tag_text(text).best().unwrap().evidence[0].how;
/// assert_eq!(how("refund please"), How::Exact);
/// assert_eq!(how("I was refunded twice"), How::Stem);
/// assert_eq!(how("I never got the reciept"), How::Fuzzy);
/// assert_eq!(how("where is my reciept email"), How::Phrase);
/// assert_eq!(how("I want a reimbursement"), How::Synonym);
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
#[non_exhaustive]
pub enum How {
    /// The same word, after case folding.
    Exact,
    /// Different words with the same stem ("crashes" / "crashing").
    Stem,
    /// A misspelling within a small edit distance ("recieve" / "receive").
    Fuzzy,
    /// Several ticket words found whole, in order: a multi-word keyword or
    /// name (some of its words may have met through a stem or a typo), or a
    /// keyword met through a multi-word synonym.
    Phrase,
    /// A one-word synonym declared in the product (a multi-word one, found
    /// whole, is reported as [`How::Phrase`]).
    Synonym,
    /// A part of a word compounded of several ("Kreditkartenzahlung" meets
    /// "Kreditkarte" and "Zahlung"): German, Dutch, Danish, Norwegian and
    /// Swedish.
    Compound,
}

/// A field of a ticket: where an [`Evidence`] span points. Serializes in
/// snake case; the default, [`Field::Text`], is left out of evidence JSON.
///
/// # Example
///
/// ```
/// use painpoint::{Capability, Feature, Field, Product, Tagger, Ticket};
///
/// let product = Product::new("app", "App").capability(
///     Capability::new("data", "Data").feature(Feature::new("export", "Export").keyword("csv download")),
/// );
/// let ticket = Ticket::new("t1", "Nothing happens when I click it").subject("CSV download");
/// let tagged = Tagger::new(&product).unwrap().tag(&ticket);
/// let evidence = &tagged.best().unwrap().evidence[0];
/// assert_eq!(evidence.field, Field::Subject);
/// assert_eq!(&ticket.subject.as_deref().unwrap()[evidence.span.range()], "CSV download");
/// ```
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Default, Serialize, Deserialize,
)]
#[serde(rename_all = "snake_case")]
#[non_exhaustive]
pub enum Field {
    /// The body, [`Ticket::text`](crate::Ticket::text).
    #[default]
    Text,
    /// The subject, [`Ticket::subject`](crate::Ticket::subject).
    Subject,
}

impl Field {
    fn is_text(&self) -> bool {
        *self == Field::Text
    }
}

/// A node id or pattern text in a [`Match`] or [`Evidence`]: an immutable
/// string shared with the [`Tagger`](crate::Tagger) that produced it, so
/// cloning it (and tagging, which clones it out of the compiled product)
/// costs a reference count, not a copy.
///
/// It reads like a `&str` (it derefs to one), compares equal to `str`,
/// `&str` and `String`, orders and hashes like its text, displays as its
/// text, and serializes as a plain string.
///
/// # Example
///
/// ```
/// use painpoint::Name;
///
/// let name = Name::from("refunds");
/// assert_eq!(name, "refunds");
/// assert_eq!(name.as_str(), "refunds");
/// assert!(name.starts_with("ref")); // any `str` method
/// assert_eq!(name.to_string(), "refunds");
/// assert_eq!(serde_json::to_string(&name).unwrap(), r#""refunds""#);
/// let back: Name = serde_json::from_str(r#""refunds""#).unwrap();
/// assert_eq!(back, name);
/// ```
#[derive(Clone, PartialEq, Eq, PartialOrd, Ord, Hash, Default)]
pub struct Name(Arc<str>);

impl Name {
    /// The text. Cost: O(1).
    ///
    /// ```
    /// # use painpoint::Name;
    /// assert_eq!(Name::from("billing").as_str(), "billing");
    /// ```
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl std::ops::Deref for Name {
    type Target = str;

    fn deref(&self) -> &str {
        &self.0
    }
}

impl AsRef<str> for Name {
    fn as_ref(&self) -> &str {
        &self.0
    }
}

impl std::borrow::Borrow<str> for Name {
    fn borrow(&self) -> &str {
        &self.0
    }
}

impl fmt::Debug for Name {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Debug::fmt(&*self.0, f)
    }
}

impl fmt::Display for Name {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Display::fmt(&*self.0, f)
    }
}

impl From<&str> for Name {
    fn from(text: &str) -> Name {
        Name(Arc::from(text))
    }
}

impl From<String> for Name {
    fn from(text: String) -> Name {
        Name(Arc::from(text))
    }
}

impl From<&String> for Name {
    fn from(text: &String) -> Name {
        Name(Arc::from(text.as_str()))
    }
}

impl From<Name> for String {
    fn from(name: Name) -> String {
        name.0.to_string()
    }
}

impl PartialEq<str> for Name {
    fn eq(&self, other: &str) -> bool {
        *self.0 == *other
    }
}

impl PartialEq<&str> for Name {
    fn eq(&self, other: &&str) -> bool {
        *self.0 == **other
    }
}

impl PartialEq<String> for Name {
    fn eq(&self, other: &String) -> bool {
        *self.0 == **other
    }
}

impl PartialEq<Name> for str {
    fn eq(&self, other: &Name) -> bool {
        *self == *other.0
    }
}

impl PartialEq<Name> for &str {
    fn eq(&self, other: &Name) -> bool {
        **self == *other.0
    }
}

impl PartialEq<Name> for String {
    fn eq(&self, other: &Name) -> bool {
        **self == *other.0
    }
}

impl Serialize for Name {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(&self.0)
    }
}

impl<'de> Deserialize<'de> for Name {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Name, D::Error> {
        String::deserialize(deserializer).map(Name::from)
    }
}
