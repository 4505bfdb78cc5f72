//! The tagger: a product compiled once, then used to tag any number of
//! tickets from any number of threads.
//!
//! # How a ticket is scored
//!
//! Every text of a node becomes a weighted document: its name, each keyword,
//! each example ticket, its description. A ticket's words are segmented,
//! folded, stemmed and mapped to the product's vocabulary (exactly, by stem,
//! through a declared synonym, by stem without diacritics or, for words of
//! five letters or more, within one or two typos). Term weights are inverse node frequencies, so a word
//! used by one feature counts more than one used by all; bigrams of stems
//! capture short phrases. A node's score combines
//!
//! - its best example tickets (cosine similarity, nearest-neighbour style:
//!   examples make a real difference),
//! - its keywords and name (the share of each keyword found in the ticket; a
//!   multi-word keyword or name found whole, in order, is a phrase match),
//!
//! into a confidence in `[0, 1]`. Exclusions veto the node. Nodes at or above
//! the threshold are matches, best first; a ticket with none is unmatched.
//!
//! # Guarantees
//!
//! - Never panics on any input text (any UTF-8, empty, huge).
//! - Deterministic: the same product and ticket give the same result, on any
//!   thread, in any order of calls; ties are broken by product order.
//! - Cost is linear in the ticket's length (analysis), plus the postings of
//!   its distinct words; repeating a word does not repeat its postings. Words
//!   beyond [`TaggerConfig::max_tokens`] or bytes beyond
//!   [`TaggerConfig::max_bytes`] are not analysed, and the result says so
//!   ([`TaggedTicket::truncated`]).
//! - Compiling is linear in the size of the product (plus a sort).

mod index;
mod score;
mod train;
mod vocab;

use std::borrow::Cow;
use std::sync::Arc;

use crate::analysis::blank_boilerplate;
use crate::analysis::{Analysis, Analyzer};
use crate::error::{Error, Result};
use crate::product::{Product, check_unit};
use crate::signals::{KnownWord, Signals, SignalsConfig};
use crate::tagged::TaggedTicket;
use crate::ticket::Ticket;

use index::Index;
use score::Input;

thread_local! {
    /// The stemmed analyses of subject and text that the signals path reuses
    /// from one ticket to the next on a thread. Boxed: taking them leaves
    /// `None` and putting them back drops `None`, not a default of six
    /// lists (code run every ticket).
    static SIGNAL_ANALYSES: std::cell::Cell<Option<Box<SignalAnalyses>>> =
        const { std::cell::Cell::new(None) };
}

/// The stemmed analyses of a ticket's subject and text that the tagger
/// and the signals share, with each token's product word (the ids of
/// [`Analyzer::analyze_with_lookup`]).
#[derive(Default)]
struct SignalAnalyses {
    subject: Analysis,
    subject_words: Vec<u32>,
    /// What the signals make of each token's word, from its probe.
    subject_known: Vec<KnownWord>,
    text: Analysis,
    text_words: Vec<u32>,
    text_known: Vec<KnownWord>,
}

/// The stemming analysis of one field that the tagger and the signals
/// share: each word is probed once for its product word, its stop flag,
/// its stem (for a word the product or the stop list has) and what the
/// signals make of it, which goes to `known`, one per token. Out of line,
/// one copy for both fields: the analysis is large and runs once a field.
#[inline(never)]
fn analyse_for_signals(
    analyzer: &Analyzer,
    vocab: &vocab::Vocabulary,
    text: &str,
    (analysis, words): (&mut Analysis, &mut Vec<u32>),
    known: &mut Vec<KnownWord>,
) {
    known.clear();
    analyzer.analyze_with_lookup(text, usize::MAX, analysis, words, |folded, key| {
        let (word, stop, stem, signal) = vocab.probe_for_signals(folded, key);
        known.push(signal);
        (word, stop, stem)
    });
}

/// A capability named in full (name or keyword) scores this much.
const CAPABILITY_SCALE: f64 = 0.6;

/// The default minimum score of a match, used when neither the
/// [`TaggerConfig`] nor the [`Product`] sets a threshold.
///
/// ```
/// use painpoint::{DEFAULT_THRESHOLD, Product, Tagger};
///
/// assert_eq!(Tagger::new(&Product::new("p", "P")).unwrap().threshold(), DEFAULT_THRESHOLD);
/// assert_eq!(Tagger::new(&Product::new("p", "P").threshold(0.6)).unwrap().threshold(), 0.6);
/// ```
pub const DEFAULT_THRESHOLD: f64 = 0.3;

/// The default [`TaggerConfig::min_coverage`]: a match must hold at least
/// this share of one of its node's texts ([`Match::coverage`](crate::Match::coverage)).
///
/// Chosen where it costs the real queries nothing measurable (Banking77:
/// the same top-1 accuracy with names only, ten examples or all of them;
/// CLINC150: 0.884 -> 0.881 with ten) while a ticket that shares one common
/// word with a long example is left unmatched (CLINC150's out-of-scope
/// queries: 32% -> 48% unmatched). README, "Off-topic tickets".
///
/// ```
/// use painpoint::{DEFAULT_MIN_COVERAGE, TaggerConfig};
///
/// assert_eq!(TaggerConfig::default().min_coverage, DEFAULT_MIN_COVERAGE);
/// ```
pub const DEFAULT_MIN_COVERAGE: f64 = 0.2;

/// Settings of a [`Tagger`], with safe defaults.
///
/// # Example
///
/// ```
/// use painpoint::TaggerConfig;
///
/// let config = TaggerConfig::default().threshold(0.5).max_matches(3);
/// assert_eq!(config.get_threshold(), Some(0.5));
/// ```
#[derive(Debug, Clone, PartialEq)]
#[non_exhaustive]
pub struct TaggerConfig {
    /// Minimum score of a match; `None` uses the product's threshold, or
    /// else [`DEFAULT_THRESHOLD`].
    pub threshold: Option<f64>,
    /// At most this many matches per ticket (default 5).
    pub max_matches: usize,
    /// At most this many pieces of evidence per match (default 8).
    pub max_evidence: usize,
    /// Bytes of a ticket analysed (subject and body together, default 64 KiB).
    pub max_bytes: usize,
    /// Words of a ticket analysed (default 10,000).
    pub max_tokens: usize,
    /// Bytes of one keyword, name or example analysed at compile time
    /// (default 4 KiB).
    pub max_pattern_bytes: usize,
    /// Largest product accepted, in capabilities plus features (default 100,000).
    pub max_nodes: usize,
    /// At most this many nodes keep a weight for one term (default 32): the
    /// nodes whose texts use the term most. Bounds the work per ticket word
    /// whatever the size of the product.
    pub max_postings_per_term: usize,
    /// Minimum [`fit`](crate::Match::fit) of a match (default 0: off). The
    /// score is relative to the other nodes, so an off-topic ticket that
    /// shares one word with a node can still clear the threshold; the fit
    /// is absolute (the share of the ticket the node's own texts explain),
    /// so a floor on it leaves such tickets unmatched.
    /// [`TagOptions::min_fit`] overrides it for one call.
    pub min_fit: f64,
    /// Minimum [`coverage`](crate::Match::coverage) of a match (default
    /// [`DEFAULT_MIN_COVERAGE`]): the ticket must hold at least this share
    /// of one of the node's texts. With the floor on (above 0), a match
    /// that rests on one word of the ticket met only in the node's examples
    /// or description (not its name, nor as a one-word keyword) must also
    /// explain a quarter of the ticket (see [`TaggerConfig::min_coverage`]).
    /// [`TagOptions::min_coverage`] overrides
    /// it for one call; a call that sets `min_score(0.0)` lists candidates and has
    /// no coverage floor unless it sets one.
    pub min_coverage: f64,
    /// Leave out an email's boilerplate (default true): its greeting line,
    /// the thank-you paragraph before its sign-off, the sign-off and all
    /// after it (signature, device line, quoted earlier mail) and legal
    /// disclaimers ([`crate::analysis::blank_boilerplate`]).
    /// Neither matches nor signals read them; spans are unchanged.
    pub skip_boilerplate: bool,
    /// Read customer signals (needs, kind, sentiment) on every ticket
    /// (default true). English, German, French, Spanish, Italian and
    /// Portuguese products get their language's built-in lexicons; other languages get only the
    /// language-neutral emoji and emoticons ([`SignalsConfig::defaults_for`])
    /// unless [`TaggerBuilder::signals`] supplies a [`Signals`] of their own.
    pub signals: bool,
}

impl Default for TaggerConfig {
    fn default() -> TaggerConfig {
        TaggerConfig {
            threshold: None,
            max_matches: 5,
            max_evidence: 8,
            max_bytes: 64 * 1024,
            max_tokens: 10_000,
            max_pattern_bytes: 4 * 1024,
            max_nodes: 100_000,
            max_postings_per_term: 32,
            min_fit: 0.0,
            min_coverage: DEFAULT_MIN_COVERAGE,
            skip_boilerplate: true,
            signals: true,
        }
    }
}

impl TaggerConfig {
    /// Sets the threshold: the minimum score of a match, in `[0, 1]`. It
    /// wins over the product's threshold; a value outside `[0, 1]` (or NaN)
    /// makes [`TaggerBuilder::build`] fail.
    ///
    /// ```
    /// use painpoint::{Tagger, TaggerConfig};
    /// # use painpoint::{Capability, Feature, Product};
    /// # let product = Product::new("app", "App").capability(Capability::new("billing", "Billing")
    /// #     .feature(Feature::new("receipts", "Receipts").keyword("receipt email")));
    /// let typo = "I never got the reciept"; // a weak match (one word, misspelt)
    /// let strict = Tagger::builder().config(TaggerConfig::default().threshold(0.9)).build(&product).unwrap();
    /// assert!(strict.tag_text(typo).is_unmatched());
    /// assert!(!Tagger::new(&product).unwrap().tag_text(typo).is_unmatched());
    ///
    /// let bad = Tagger::builder().config(TaggerConfig::default().threshold(1.5)).build(&product);
    /// assert_eq!(bad.unwrap_err().to_string(), "config.threshold: 1.5 is not allowed (a finite number in [0, 1])");
    /// ```
    pub fn threshold(mut self, threshold: f64) -> TaggerConfig {
        self.threshold = Some(threshold);
        self
    }

    /// The configured threshold, if any (`None` defers to the product's,
    /// then to [`DEFAULT_THRESHOLD`]; [`Tagger::threshold`] gives the one in
    /// force).
    ///
    /// ```
    /// use painpoint::TaggerConfig;
    ///
    /// assert_eq!(TaggerConfig::default().get_threshold(), None);
    /// assert_eq!(TaggerConfig::default().threshold(0.45).get_threshold(), Some(0.45));
    /// ```
    pub fn get_threshold(&self) -> Option<f64> {
        self.threshold
    }

    /// Sets the maximum number of matches per ticket; the best ones are
    /// kept. [`TagOptions::top`] overrides it for one call.
    ///
    /// ```
    /// use painpoint::{Tagger, TaggerConfig};
    /// # use painpoint::{Capability, Feature, Product};
    /// # let product = Product::new("shop", "Shop").capability(
    /// #     Capability::new("checkout", "Checkout")
    /// #         .feature(Feature::new("payment", "Payment").keyword("card declined"))
    /// #         .feature(Feature::new("coupons", "Coupons").keyword("discount code")));
    /// let text = "My card declined, and the discount code was rejected";
    /// assert_eq!(Tagger::new(&product).unwrap().tag_text(text).matches.len(), 2);
    /// let one = Tagger::builder().config(TaggerConfig::default().max_matches(1)).build(&product).unwrap();
    /// assert_eq!(one.tag_text(text).matches.len(), 1);
    /// ```
    pub fn max_matches(mut self, max: usize) -> TaggerConfig {
        self.max_matches = max;
        self
    }

    /// Sets the maximum bytes analysed per ticket (subject first, then
    /// body; cut on a `char` boundary). Bytes beyond it are not read, and
    /// [`TaggedTicket::truncated`] says so.
    ///
    /// ```
    /// use painpoint::{Tagger, TaggerConfig};
    /// # use painpoint::{Capability, Feature, Product};
    /// # let product = Product::new("shop", "Shop").capability(
    /// #     Capability::new("checkout", "Checkout")
    /// #         .feature(Feature::new("payment", "Payment").keyword("card declined"))
    /// #         .feature(Feature::new("coupons", "Coupons").keyword("discount code")));
    /// let tagger = Tagger::builder().config(TaggerConfig::default().max_bytes(16)).build(&product).unwrap();
    /// let tagged = tagger.tag_text("Hello, good day. My card declined");
    /// assert!(tagged.truncated && tagged.is_unmatched());
    /// assert!(!tagger.tag_text("Card declined").truncated);
    /// ```
    pub fn max_bytes(mut self, max: usize) -> TaggerConfig {
        self.max_bytes = max;
        self
    }

    /// Sets the maximum words analysed per ticket. Words beyond it are not
    /// read, and [`TaggedTicket::truncated`] says so.
    ///
    /// ```
    /// use painpoint::{Tagger, TaggerConfig};
    /// # use painpoint::{Capability, Feature, Product};
    /// # let product = Product::new("shop", "Shop").capability(
    /// #     Capability::new("checkout", "Checkout")
    /// #         .feature(Feature::new("payment", "Payment").keyword("card declined"))
    /// #         .feature(Feature::new("coupons", "Coupons").keyword("discount code")));
    /// let tagger = Tagger::builder().config(TaggerConfig::default().max_tokens(3)).build(&product).unwrap();
    /// let tagged = tagger.tag_text("Hello good day, my card declined");
    /// assert!(tagged.truncated && tagged.is_unmatched());
    /// assert_eq!(tagger.tag_text("card declined").best().unwrap().node(), "payment");
    /// ```
    pub fn max_tokens(mut self, max: usize) -> TaggerConfig {
        self.max_tokens = max;
        self
    }

    /// Sets the largest product accepted, in capabilities plus features
    /// ([`Product::node_count`]); a larger one makes
    /// [`TaggerBuilder::build`] fail.
    ///
    /// ```
    /// use painpoint::{Error, Tagger, TaggerConfig};
    /// # use painpoint::{Capability, Feature, Product};
    /// # let product = Product::new("shop", "Shop").capability(
    /// #     Capability::new("checkout", "Checkout")
    /// #         .feature(Feature::new("payment", "Payment").keyword("card declined"))
    /// #         .feature(Feature::new("coupons", "Coupons").keyword("discount code")));
    /// assert_eq!(product.node_count(), 3);
    /// let small = Tagger::builder().config(TaggerConfig::default().max_nodes(2)).build(&product);
    /// assert!(matches!(small, Err(Error::LimitExceeded { actual: 3, limit: 2, .. })));
    /// ```
    pub fn max_nodes(mut self, max: usize) -> TaggerConfig {
        self.max_nodes = max;
        self
    }

    /// Sets the minimum fit of a match, in `[0, 1]` (default 0: off): a
    /// match must reach both the threshold and this fit. Use it when the
    /// traffic holds tickets about nothing the product models (off-topic
    /// questions, spam): on CLINC150's out-of-scope queries a floor of 0.2
    /// leaves half of them unmatched instead of a third, for under one
    /// point of in-scope accuracy (README, "Off-topic tickets"). A value
    /// outside `[0, 1]` (or NaN) makes [`TaggerBuilder::build`] fail.
    ///
    /// ```
    /// use painpoint::{Tagger, TaggerConfig};
    /// # use painpoint::{Capability, Feature, Product};
    /// # let product = Product::new("shop", "Shop").capability(
    /// #     Capability::new("checkout", "Checkout")
    /// #         .feature(Feature::new("payment", "Payment").keyword("card declined").example("my payment failed")));
    /// // One shared word, in a ticket about something else.
    /// let off_topic = "What payment do you take for your opinion on the weather tomorrow in Paris";
    /// let tagger = Tagger::new(&product).unwrap();
    /// assert!(!tagger.tag_text(off_topic).is_unmatched());
    /// let strict = Tagger::builder().config(TaggerConfig::default().min_fit(0.3)).build(&product).unwrap();
    /// assert!(strict.tag_text(off_topic).is_unmatched());
    /// assert!(!strict.tag_text("my card declined").is_unmatched());
    ///
    /// let bad = Tagger::builder().config(TaggerConfig::default().min_fit(-0.5)).build(&product);
    /// assert_eq!(bad.unwrap_err().to_string(), "config.min_fit: -0.5 is not allowed (a finite number in [0, 1])");
    /// ```
    pub fn min_fit(mut self, min_fit: f64) -> TaggerConfig {
        self.min_fit = min_fit;
        self
    }

    /// Sets the minimum coverage of a match, in `[0, 1]` (default
    /// [`DEFAULT_MIN_COVERAGE`]): a match must also hold at least this
    /// share of one of its node's texts, weighted by rarity (a keyword or
    /// name found whole counts fully). With the floor on, a match that
    /// rests on a passing word, one word of the ticket met only in the
    /// node's examples or description (not in its name, nor as a one-word
    /// keyword: a keyword of several words names the node only whole), must
    /// also have a [`fit`](crate::Match::fit) of a quarter: a ticket about
    /// something else that happens to use a word of one example is no
    /// match. 0 turns both off. A value outside `[0, 1]` (or NaN) makes
    /// [`TaggerBuilder::build`] fail.
    ///
    /// ```
    /// use painpoint::{Tagger, TaggerConfig};
    /// # use painpoint::{Capability, Feature, Product};
    /// let product = Product::new("bank", "Bank").capability(
    ///     Capability::new("transfers", "Transfers").feature(
    ///         Feature::new("pending", "Pending transfer")
    ///             .example("Tell me why my transfer is still pending after three days"),
    ///     ),
    /// );
    /// // Shares only "tell me" with the example: a sliver of it.
    /// let off_topic = "Tell me a joke";
    /// let tagger = Tagger::new(&product).unwrap();
    /// assert!(tagger.tag_text(off_topic).is_unmatched());
    /// assert!(!tagger.tag_text("my transfer is pending").is_unmatched());
    /// let lenient = Tagger::builder().config(TaggerConfig::default().min_coverage(0.0)).build(&product).unwrap();
    /// assert!(!lenient.tag_text(off_topic).is_unmatched());
    ///
    /// // A passing word: "arrived", of one example, in a ticket about much else.
    /// let cards = Product::new("bank", "Bank").capability(
    ///     Capability::new("cards", "Cards").feature(
    ///         Feature::new("delivery", "Card delivery").example("my new card has not arrived yet"),
    ///     ),
    /// );
    /// let passing = "lovely surprise, my sister arrived from Canada with her kids yesterday";
    /// let tagger = Tagger::new(&cards).unwrap();
    /// assert!(tagger.tag_text(passing).is_unmatched());
    /// assert!(!tagger.tag_text("the card arrived broken").is_unmatched());
    /// let lenient = Tagger::builder().config(TaggerConfig::default().min_coverage(0.0)).build(&cards).unwrap();
    /// assert!(!lenient.tag_text(passing).is_unmatched());
    /// ```
    pub fn min_coverage(mut self, min_coverage: f64) -> TaggerConfig {
        self.min_coverage = min_coverage;
        self
    }

    /// Reads or skips an email's boilerplate (greeting, sign-off,
    /// signature, disclaimer, quoted mail; default: skipped). Its words
    /// ("contact", "details", "message", "phone") would otherwise meet the
    /// product's texts and outweigh a short request.
    ///
    /// ```
    /// use painpoint::{Tagger, TaggerConfig};
    /// # use painpoint::{Capability, Feature, Product};
    /// let product = Product::new("bank", "Bank").capability(
    ///     Capability::new("profile", "Profile")
    ///         .feature(Feature::new("contact", "Contact details").example("how do I change my phone number"))
    ///         .feature(Feature::new("card", "Card delivery").example("my new card has not arrived")),
    /// );
    /// let email = "Hi team,\nMy new card still has not arrived.\n\nBest regards,\nAnna Berg\n\
    ///              Phone: +44 20 7946 0000 | Contact details on our website\nSent from my iPhone";
    /// let tagged = Tagger::new(&product).unwrap().tag_text(email);
    /// assert_eq!(tagged.matches.len(), 1);
    /// assert_eq!(tagged.best().unwrap().node(), "card");
    /// let everything = TaggerConfig::default().skip_boilerplate(false);
    /// let reads_all = Tagger::builder().config(everything).build(&product).unwrap();
    /// assert!(reads_all.tag_text(email).matches.iter().any(|m| m.node() == "contact"));
    /// ```
    pub fn skip_boilerplate(mut self, skip: bool) -> TaggerConfig {
        self.skip_boilerplate = skip;
        self
    }

    /// Turns customer signals (needs, kind, sentiment) on or off. Off saves
    /// their share of the tagging time; the matches do not depend on it.
    ///
    /// ```
    /// use painpoint::{Tagger, TaggerConfig};
    /// # use painpoint::{Capability, Feature, Product};
    /// # let product = Product::new("shop", "Shop").capability(
    /// #     Capability::new("checkout", "Checkout")
    /// #         .feature(Feature::new("payment", "Payment").keyword("card declined"))
    /// #         .feature(Feature::new("coupons", "Coupons").keyword("discount code")));
    /// let text = "My card declined again, way too expensive";
    /// let with = Tagger::new(&product).unwrap().tag_text(text);
    /// let without = Tagger::builder().config(TaggerConfig::default().signals(false)).build(&product).unwrap().tag_text(text);
    /// assert!(with.kind.is_some() && with.sentiment.is_some() && !with.needs.is_empty());
    /// assert!(without.kind.is_none() && without.sentiment.is_none() && without.needs.is_empty());
    /// assert_eq!(with.matches, without.matches);
    /// ```
    pub fn signals(mut self, on: bool) -> TaggerConfig {
        self.signals = on;
        self
    }
}

/// Options of one tagging call, overriding the tagger's settings.
///
/// # Example
///
/// ```
/// use painpoint::{Capability, Feature, Product, TagOptions, Tagger, Ticket};
///
/// let product = Product::new("app", "App").capability(
///     Capability::new("data", "Data").feature(Feature::new("export", "Export")),
/// );
/// let tagger = Tagger::new(&product).unwrap();
/// // min_score 0 lists the best candidates even below the threshold.
/// let options = TagOptions::default().min_score(0.0).top(1);
/// let tagged = tagger.tag_with(&Ticket::new("t", "exporting"), &options);
/// assert_eq!(tagged.matches.len(), 1);
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Default)]
#[non_exhaustive]
pub struct TagOptions {
    /// Minimum score for this call.
    pub min_score: Option<f64>,
    /// Maximum number of matches for this call.
    pub top: Option<usize>,
    /// Minimum fit of a match for this call, instead of
    /// [`TaggerConfig::min_fit`].
    pub min_fit: Option<f64>,
    /// Minimum coverage of a match for this call, instead of
    /// [`TaggerConfig::min_coverage`].
    pub min_coverage: Option<f64>,
}

impl TagOptions {
    /// Sets the minimum score for this call, instead of the tagger's
    /// threshold. Clamped to `[0, 1]`; NaN and infinities are ignored.
    ///
    /// ```
    /// use painpoint::{TagOptions, Tagger, Ticket};
    /// # use painpoint::{Capability, Feature, Product};
    /// # let product = Product::new("app", "App").capability(Capability::new("billing", "Billing")
    /// #     .feature(Feature::new("receipts", "Receipts").keyword("receipt email")));
    /// let tagger = Tagger::new(&product).unwrap();
    /// let ticket = Ticket::new("t1", "I never got the reciept"); // a weak match
    /// assert!(!tagger.tag(&ticket).is_unmatched());
    /// assert!(tagger.tag_with(&ticket, &TagOptions::default().min_score(0.95)).is_unmatched());
    /// assert!(!tagger.tag_with(&ticket, &TagOptions::default().min_score(f64::NAN)).is_unmatched());
    /// ```
    pub fn min_score(mut self, min_score: f64) -> TagOptions {
        self.min_score = Some(min_score);
        self
    }

    /// Sets the maximum number of matches for this call, instead of
    /// [`TaggerConfig::max_matches`]; the best ones are kept.
    ///
    /// ```
    /// use painpoint::{TagOptions, Tagger, Ticket};
    /// # use painpoint::{Capability, Feature, Product};
    /// # let product = Product::new("shop", "Shop").capability(
    /// #     Capability::new("checkout", "Checkout")
    /// #         .feature(Feature::new("payment", "Payment").keyword("card declined"))
    /// #         .feature(Feature::new("coupons", "Coupons").keyword("discount code")));
    /// let tagger = Tagger::new(&product).unwrap();
    /// let ticket = Ticket::new("t1", "My card declined, and the discount code was rejected");
    /// let all = tagger.tag(&ticket);
    /// let top = tagger.tag_with(&ticket, &TagOptions::default().top(1));
    /// assert_eq!((all.matches.len(), top.matches.len()), (2, 1));
    /// assert_eq!(top.matches[0], all.matches[0]);
    /// ```
    pub fn top(mut self, top: usize) -> TagOptions {
        self.top = Some(top);
        self
    }

    /// Sets the minimum [`fit`](crate::Match::fit) of a match for this
    /// call, instead of [`TaggerConfig::min_fit`]. Clamped to `[0, 1]`;
    /// NaN and infinities are ignored.
    ///
    /// ```
    /// use painpoint::{TagOptions, Tagger, Ticket};
    /// # use painpoint::{Capability, Feature, Product};
    /// # let product = Product::new("shop", "Shop").capability(
    /// #     Capability::new("checkout", "Checkout")
    /// #         .feature(Feature::new("payment", "Payment").keyword("card declined")));
    /// let tagger = Tagger::new(&product).unwrap();
    /// let ticket = Ticket::new("t1", "Card declined, and who won the match last night?");
    /// let fit = tagger.tag(&ticket).matches[0].fit;
    /// assert!(fit > 0.0 && fit < 1.0);
    /// assert!(tagger.tag_with(&ticket, &TagOptions::default().min_fit(fit - 0.01)).best().is_some());
    /// assert!(tagger.tag_with(&ticket, &TagOptions::default().min_fit(fit + 0.01)).is_unmatched());
    /// ```
    pub fn min_fit(mut self, min_fit: f64) -> TagOptions {
        self.min_fit = Some(min_fit);
        self
    }

    /// Sets the minimum [`coverage`](crate::Match::coverage) of a match
    /// for this call, instead of [`TaggerConfig::min_coverage`], and with
    /// it whether a match resting on a passing word needs a quarter of fit
    /// (above 0 it does, as there). Clamped to `[0, 1]`; NaN and infinities
    /// are ignored. Without it, a call that sets `min_score(0.0)` (listing
    /// candidates) has no coverage floor.
    ///
    /// ```
    /// use painpoint::{TagOptions, Tagger, Ticket};
    /// # use painpoint::{Capability, Feature, Product};
    /// # let product = Product::new("shop", "Shop").capability(
    /// #     Capability::new("checkout", "Checkout")
    /// #         .feature(Feature::new("errors", "Checkout errors").example("my card payment failed at checkout")));
    /// let tagger = Tagger::new(&product).unwrap();
    /// let ticket = Ticket::new("t1", "the payment failed"); // half of the example
    /// let coverage = tagger.tag(&ticket).matches[0].coverage;
    /// assert!(coverage > 0.2 && coverage < 1.0);
    /// let stricter = TagOptions::default().min_coverage(coverage + 0.01);
    /// assert!(tagger.tag_with(&ticket, &stricter).is_unmatched());
    /// ```
    pub fn min_coverage(mut self, min_coverage: f64) -> TagOptions {
        self.min_coverage = Some(min_coverage);
        self
    }
}

/// How the model's logits become a confidence.
#[derive(Debug, Clone, Copy, PartialEq)]
pub(crate) struct Scoring {
    /// Added to a node's logit when one of its multi-word keywords or its
    /// name is found whole, in order.
    pub phrase_bonus: f32,
    /// The logit of "none of these nodes": a ticket whose best logit is not
    /// well above it gets a low confidence.
    pub none_logit: f32,
    /// How much a rival's [`fit`](score::fit) moves its logit: each rival
    /// gets `fit_weight * (fit - fit_reference)`, so of two rivals the model
    /// finds close, the one whose texts explain more of the ticket wins,
    /// and a ticket no node explains well loses confidence.
    pub fit_weight: f32,
    /// The fit at which a rival's logit is left as it is.
    pub fit_reference: f32,
}

impl Default for Scoring {
    fn default() -> Scoring {
        Scoring {
            phrase_bonus: 1.0,
            none_logit: train::NONE_LOGIT,
            fit_weight: 3.0,
            fit_reference: 0.7,
        }
    }
}

/// Builds a [`Tagger`] with a [`TaggerConfig`].
///
/// # Example
///
/// ```
/// use painpoint::{Capability, Feature, Product, Tagger, TaggerConfig};
///
/// let product = Product::new("app", "App").capability(
///     Capability::new("data", "Data").feature(Feature::new("export", "Export")),
/// );
/// let tagger = Tagger::builder().config(TaggerConfig::default().threshold(0.4)).build(&product).unwrap();
/// assert_eq!(tagger.threshold(), 0.4);
/// ```
#[derive(Debug, Clone, Default)]
pub struct TaggerBuilder {
    config: TaggerConfig,
    signals: Option<Signals>,
}

impl TaggerBuilder {
    /// A builder with the default configuration and the built-in signals;
    /// the same as [`Tagger::builder`].
    ///
    /// ```
    /// use painpoint::{TaggerBuilder, TaggerConfig};
    /// # let product = painpoint::Product::new("p", "P");
    ///
    /// let tagger = TaggerBuilder::new().build(&product).unwrap();
    /// assert_eq!(tagger.config(), &TaggerConfig::default());
    /// ```
    pub fn new() -> TaggerBuilder {
        TaggerBuilder::default()
    }

    /// Replaces the configuration, including any threshold set before with
    /// [`TaggerBuilder::threshold`] (call that after this one).
    ///
    /// ```
    /// use painpoint::{Tagger, TaggerConfig};
    /// # let product = painpoint::Product::new("p", "P");
    ///
    /// let tagger = Tagger::builder().config(TaggerConfig::default().max_matches(2)).threshold(0.5).build(&product).unwrap();
    /// assert_eq!((tagger.config().max_matches, tagger.threshold()), (2, 0.5));
    ///
    /// let replaced = Tagger::builder().threshold(0.5).config(TaggerConfig::default()).build(&product).unwrap();
    /// assert_eq!(replaced.config().get_threshold(), None);
    /// ```
    pub fn config(mut self, config: TaggerConfig) -> TaggerBuilder {
        self.config = config;
        self
    }

    /// Sets the threshold, like [`TaggerConfig::threshold`]: it wins over
    /// the product's, and [`TaggerBuilder::build`] rejects one outside
    /// `[0, 1]`.
    ///
    /// ```
    /// use painpoint::Tagger;
    /// # let product = painpoint::Product::new("p", "P").threshold(0.2);
    ///
    /// assert_eq!(Tagger::builder().threshold(0.5).build(&product).unwrap().threshold(), 0.5);
    /// assert!(Tagger::builder().threshold(f64::NAN).build(&product).is_err());
    /// ```
    pub fn threshold(mut self, threshold: f64) -> TaggerBuilder {
        self.config.threshold = Some(threshold);
        self
    }

    /// Uses these compiled signals (your own lexicons, other languages)
    /// instead of the built-in ones. Ignored when
    /// [`TaggerConfig::signals`] is off.
    ///
    /// ```
    /// use painpoint::signals::{Signals, SignalsConfig};
    /// use painpoint::{Capability, Language, Need, Product, Tagger};
    ///
    /// let product = Product::new("shop", "Shop").language(Language::Dutch)
    ///     .capability(Capability::new("kassa", "Kassa").keyword("betaling"));
    /// // English, German, French, Spanish, Italian and Portuguese have
    /// // built-in lexicons; Dutch has none: bring your own.
    /// let config: SignalsConfig = serde_json::from_str(r#"{"language": "dutch",
    ///     "extend_defaults": false, "needs": {"price": {"keywords": ["duur"]}}}"#).unwrap();
    /// let tagger = Tagger::builder().signals(Signals::new(&config).unwrap()).build(&product).unwrap();
    ///
    /// let text = "De betaling is veel te duur";
    /// assert_eq!(tagger.tag_text(text).needs[0].need, Need::Price);
    /// assert!(Tagger::new(&product).unwrap().tag_text(text).needs.is_empty());
    /// ```
    pub fn signals(mut self, signals: Signals) -> TaggerBuilder {
        self.signals = Some(signals);
        self
    }

    /// Validates and compiles `product`. The builder can be used again.
    ///
    /// Cost: linear in the size of the product's texts (plus a sort), and a
    /// training pass with a fixed budget of weight updates.
    ///
    /// # Errors
    ///
    /// Any rule of [`Product::validate`], a threshold that is not a number in
    /// `[0, 1]`, a product above [`TaggerConfig::max_nodes`], or signals
    /// ([`TaggerBuilder::signals`]) of another language than the product's
    /// ([`Error::Mismatch`]).
    ///
    /// ```
    /// use painpoint::{Capability, Product, Tagger};
    ///
    /// let builder = Tagger::builder().threshold(0.4);
    /// let tagger = builder.build(&Product::new("p", "P").capability(Capability::new("card", "Card"))).unwrap();
    /// assert_eq!(tagger.product().capabilities[0].id, "card");
    ///
    /// let dup = Product::new("p", "P").capability(Capability::new("a", "A")).capability(Capability::new("a", "B"));
    /// assert_eq!(
    ///     builder.build(&dup).unwrap_err().to_string(),
    ///     r#"capabilities[1].id: duplicate id "a" (first at capabilities[0])"#,
    /// );
    /// ```
    pub fn build(&self, product: &Product) -> Result<Tagger> {
        if let Some(threshold) = self.config.threshold {
            check_unit(threshold, "config.threshold")?;
        }
        check_unit(self.config.min_fit, "config.min_fit")?;
        check_unit(self.config.min_coverage, "config.min_coverage")?;
        let analyzer = Analyzer::new(product.language);
        let mut index = Index::compile(product, &analyzer, &self.config)?;
        let signals = match (&self.signals, self.config.signals) {
            (_, false) => None,
            // The tagger hands the signals its own analysis: words stemmed
            // for another language would miss their cues.
            (Some(signals), true) if signals.language() != product.language => {
                return Err(Error::Mismatch {
                    what: "signals",
                    reason: format!(
                        "language {} is not the product's ({})",
                        signals.language(),
                        product.language
                    ),
                });
            }
            (Some(signals), true) => Some(signals.clone()),
            (None, true) if product.language == crate::Language::English => {
                Some(Signals::english())
            }
            (None, true) => Some(Signals::new(&SignalsConfig::defaults_for(
                product.language,
            ))?),
        };
        if let Some(signals) = &signals {
            index
                .vocab
                .attach_signals(|word, stem| signals.known_word(word, stem));
        }
        let threshold = self
            .config
            .threshold
            .or(product.threshold)
            .unwrap_or(DEFAULT_THRESHOLD);
        Ok(Tagger {
            inner: Arc::new(Inner {
                names: score::Names::new(&index, product),
                product: product.clone(),
                stemming_analyzer: analyzer.clone(),
                analyzer: analyzer.without_stemming(),
                index,
                config: self.config.clone(),
                scoring: Scoring::default(),
                signals,
                threshold,
            }),
        })
    }
}

/// A compiled product that tags tickets.
///
/// Cheap to clone (it shares its index through an `Arc`), `Send + Sync`:
/// compile once, tag on many threads.
///
/// # Example
///
/// ```
/// use painpoint::{Capability, Feature, Product, Tagger, Ticket};
///
/// let product = Product::new("shop", "Shop").capability(
///     Capability::new("checkout", "Checkout")
///         .feature(Feature::new("payment", "Payment").keyword("card declined").example("my payment failed"))
///         .feature(Feature::new("coupons", "Coupons").keyword("discount code")),
/// );
/// let tagger = Tagger::new(&product).unwrap();
///
/// let ticket = Ticket::new("1", "My card declined at checkout, and the discount code was rejected");
/// let tagged = tagger.tag(&ticket);
/// // A ticket may touch several features, best first.
/// let mut features: Vec<_> = tagged.matches.iter().map(|m| m.node()).collect();
/// assert!(tagged.matches.windows(2).all(|w| w[0].score >= w[1].score));
/// features.sort();
/// assert_eq!(features, ["coupons", "payment"]);
///
/// // Each match says why: here the keyword "card declined", found whole.
/// let payment = tagged.matches.iter().find(|m| m.node() == "payment").unwrap();
/// let evidence = &payment.evidence[0];
/// assert_eq!(evidence.pattern, "card declined");
/// assert_eq!(&ticket.text[evidence.span.range()], "card declined");
///
/// assert!(tagger.tag(&Ticket::new("2", "What a lovely day")).is_unmatched());
/// ```
///
/// # Resource usage
///
/// Memory is linear in the size of the product (see
/// [`Tagger::memory_usage`]). Each thread that tags keeps scratch buffers
/// sized to the largest product it has tagged with.
#[derive(Debug, Clone)]
pub struct Tagger {
    inner: Arc<Inner>,
}

#[derive(Debug)]
struct Inner {
    product: Product,
    /// The ids and texts matches carry, shared by them.
    names: score::Names,
    /// Folds without stemming: the tagger stems only words it does not know.
    analyzer: Analyzer,
    /// The full pipeline, for tickets read by signals too.
    stemming_analyzer: Analyzer,
    index: Index,
    config: TaggerConfig,
    scoring: Scoring,
    signals: Option<Signals>,
    threshold: f64,
}

/// Pushes onto `out` the capability-level candidates of a ticket, in the
/// order of their coverage (the scaling may reorder them: callers sort):
/// a capability scores [`CAPABILITY_SCALE`] times the largest share
/// of one of its texts the ticket holds, capped below the best feature's
/// score and scaled by its fit against that feature's (`best`: score and
/// fit, `(1, 0)` when no feature scored); those of at least `min_score`,
/// at most `max` of them (of the `limit` best looked at), skipping those
/// `matched` (which sees `out`) says are matched already.
///
/// The fit keeps a word in passing from making a second topic: a long
/// ticket about a refund that says "I ordered" once names the "Ordering"
/// capability, but explains a fraction of what the refund feature does.
fn push_capabilities(
    index: &Index,
    terms: &score::TicketTerms,
    (min_score, best): (f64, (f64, f64)),
    (limit, max): (usize, usize),
    matched: impl Fn(&[score::Scored], index::NodeId) -> bool,
    out: &mut Vec<score::Scored>,
) {
    let (best_score, best_fit) = best;
    let mut added = 0;
    let min_coverage = (min_score / CAPABILITY_SCALE) as f32;
    score::for_each_capability(
        index,
        terms,
        (min_coverage, limit),
        |capability, coverage| {
            let named = (CAPABILITY_SCALE * f64::from(coverage)).min(best_score * 0.99);
            if added == max || named < min_score || named <= 0.0 {
                return false;
            }
            if matched(out, capability) {
                return true;
            }
            let fit = score::fit(index, terms, capability);
            let score = if f64::from(fit) < best_fit {
                named * f64::from(fit) / best_fit
            } else {
                named
            };
            if score >= min_score && score > 0.0 {
                out.push(score::Scored {
                    node: capability,
                    score,
                    fit,
                });
                added += 1;
            }
            true
        },
    );
}

/// Adds the capability-level matches that a feature the floors dropped had
/// hidden (a capability is matched on its own only when none of its
/// features is), held to the same floors and passing-word rule (`keeps`,
/// given each match with the node it was scored for). Rare (a dropped
/// feature is), so out of line.
#[cold]
#[inline(never)]
fn unhide_capabilities(
    inner: &Inner,
    input: &Input<'_>,
    terms: &score::TicketTerms,
    matches: &mut Vec<crate::Match>,
    scores: (f64, (f64, f64)),
    keeps: impl Fn(&crate::Match, &score::Scored) -> bool,
    top: usize,
) {
    let index = &inner.index;
    let mut scored = Vec::new();
    push_capabilities(
        index,
        terms,
        scores,
        (top.saturating_add(matches.len()), usize::MAX),
        // Matched already: by a feature that passed, or on its own.
        |_, capability| {
            let name = inner.names.capability_of(capability);
            matches.iter().any(|m| m.capability == *name)
        },
        &mut scored,
    );
    if scored.is_empty() {
        return;
    }
    let found = score::to_matches(
        index,
        &inner.names,
        input,
        terms,
        &scored,
        inner.config.max_evidence,
    );
    // `found` is `scored` in order.
    matches.extend(
        found
            .into_iter()
            .zip(&scored)
            .filter(|(m, s)| keeps(m, s))
            .map(|(m, _)| m),
    );
    // Stable: a feature stays before a capability of the same score.
    matches.sort_by(|a, b| b.score.total_cmp(&a.score));
}

impl Tagger {
    /// Compiles `product` with the default configuration. Cost: see
    /// [`TaggerBuilder::build`].
    ///
    /// # Errors
    ///
    /// See [`TaggerBuilder::build`].
    ///
    /// ```
    /// use painpoint::{Capability, Feature, Product, Tagger};
    ///
    /// let product = Product::new("bank", "Bank")
    ///     .capability(Capability::new("card", "Card").feature(Feature::new("card_pin", "Card PIN").keyword("forgot my pin")));
    /// let tagger = Tagger::new(&product).unwrap();
    /// assert_eq!(tagger.tag_text("I forgot my PIN").best().unwrap().node(), "card_pin");
    /// assert!(Tagger::new(&Product::new("", "Bank")).is_err());
    /// ```
    pub fn new(product: &Product) -> Result<Tagger> {
        TaggerBuilder::new().build(product)
    }

    /// A builder, to set a [`TaggerConfig`] or custom signals.
    ///
    /// ```
    /// use painpoint::{Tagger, TaggerConfig};
    /// # let product = painpoint::Product::new("p", "P");
    ///
    /// let tagger = Tagger::builder().config(TaggerConfig::default().max_matches(1)).build(&product).unwrap();
    /// assert_eq!(tagger.config().max_matches, 1);
    /// ```
    pub fn builder() -> TaggerBuilder {
        TaggerBuilder::new()
    }

    /// The product this tagger was compiled from (a copy: later changes to
    /// the original do not reach the tagger).
    ///
    /// ```
    /// use painpoint::{Product, Tagger};
    ///
    /// let mut product = Product::new("bank", "Bank");
    /// let tagger = Tagger::new(&product).unwrap();
    /// product.name = "Renamed".into();
    /// assert_eq!(tagger.product().name, "Bank");
    /// ```
    pub fn product(&self) -> &Product {
        &self.inner.product
    }

    /// The threshold in force: the configuration's, else the product's, else
    /// [`DEFAULT_THRESHOLD`].
    ///
    /// ```
    /// use painpoint::{DEFAULT_THRESHOLD, Product, Tagger};
    ///
    /// let product = Product::new("p", "P");
    /// assert_eq!(Tagger::new(&product).unwrap().threshold(), DEFAULT_THRESHOLD);
    /// assert_eq!(Tagger::new(&product.clone().threshold(0.6)).unwrap().threshold(), 0.6);
    /// assert_eq!(Tagger::builder().threshold(0.1).build(&product.threshold(0.6)).unwrap().threshold(), 0.1);
    /// ```
    pub fn threshold(&self) -> f64 {
        self.inner.threshold
    }

    /// The configuration it was built with (its `threshold` is the one
    /// configured, possibly `None`; [`Tagger::threshold`] is the one in force).
    ///
    /// ```
    /// use painpoint::{Product, Tagger};
    ///
    /// let tagger = Tagger::new(&Product::new("p", "P")).unwrap();
    /// assert_eq!((tagger.config().max_matches, tagger.config().get_threshold()), (5, None));
    /// ```
    pub fn config(&self) -> &TaggerConfig {
        &self.inner.config
    }

    /// Approximate heap memory of the compiled index, in bytes.
    ///
    /// ```
    /// # use painpoint::{Product, Tagger};
    /// let tagger = Tagger::new(&Product::new("p", "P")).unwrap();
    /// assert!(tagger.memory_usage() < 1 << 20);
    /// ```
    pub fn memory_usage(&self) -> usize {
        self.inner.index.memory_usage()
    }

    /// Tags a ticket with the tagger's threshold and configuration.
    ///
    /// Never panics; deterministic; cost linear in the ticket's analysed
    /// length (see the [module docs](crate::tagger)). The result carries the
    /// ticket's id, its matches (best first) and, with signals on, its
    /// needs, kind and sentiment.
    ///
    /// ```
    /// use painpoint::{Kind, Tagger, Ticket};
    /// # use painpoint::{Capability, Feature, Product};
    /// # let product = Product::new("shop", "Shop").capability(
    /// #     Capability::new("checkout", "Checkout")
    /// #         .feature(Feature::new("payment", "Payment").keyword("card declined"))
    /// #         .feature(Feature::new("coupons", "Coupons").keyword("discount code")));
    /// let tagger = Tagger::new(&product).unwrap();
    /// let tagged = tagger.tag(&Ticket::new("t7", "Card declined at checkout, the app shows an error"));
    /// assert_eq!(tagged.id, "t7");
    /// assert_eq!(tagged.best().unwrap().node(), "payment");
    /// assert_eq!(tagged.kind.unwrap().label, Kind::Bug);
    /// ```
    pub fn tag(&self, ticket: &Ticket) -> TaggedTicket {
        self.tag_with(ticket, &TagOptions::default())
    }

    /// Tags a bare text (the ticket id is empty).
    ///
    /// ```
    /// # use painpoint::{Capability, Feature, Product, Tagger};
    /// let product = Product::new("p", "P")
    ///     .capability(Capability::new("c", "Billing").feature(Feature::new("refunds", "Refunds")));
    /// let tagger = Tagger::new(&product).unwrap();
    /// assert_eq!(tagger.tag_text("I want a refund").best().unwrap().node(), "refunds");
    /// ```
    pub fn tag_text(&self, text: &str) -> TaggedTicket {
        self.tag_with(&Ticket::new("", text), &TagOptions::default())
    }

    /// Tags a ticket with per-call options ([`TagOptions`]): a minimum score
    /// and a number of matches for this call only. Same guarantees and cost
    /// as [`Tagger::tag`].
    ///
    /// ```
    /// use painpoint::{TagOptions, Tagger, Ticket};
    /// # use painpoint::{Capability, Feature, Product};
    /// # let product = Product::new("shop", "Shop").capability(
    /// #     Capability::new("checkout", "Checkout")
    /// #         .feature(Feature::new("payment", "Payment").keyword("card declined"))
    /// #         .feature(Feature::new("coupons", "Coupons").keyword("discount code")));
    /// let tagger = Tagger::builder().threshold(0.8).build(&product).unwrap();
    /// let ticket = Ticket::new("t1", "code card"); // vague: no node is confident
    /// assert!(tagger.tag(&ticket).is_unmatched());
    /// // The candidates below the threshold, best first.
    /// let candidates = tagger.tag_with(&ticket, &TagOptions::default().min_score(0.0).top(3));
    /// assert_eq!(candidates.matches.len(), 2);
    /// assert!(candidates.matches.iter().all(|m| m.score < tagger.threshold()));
    /// ```
    pub fn tag_with(&self, ticket: &Ticket, options: &TagOptions) -> TaggedTicket {
        let inner = &*self.inner;
        let config = &inner.config;
        let min_score = options
            .min_score
            .filter(|s| s.is_finite())
            .unwrap_or(inner.threshold)
            .clamp(0.0, 1.0);
        let top = options.top.unwrap_or(config.max_matches);
        // A call listing candidates (`min_score(0.0)`) sees them all unless
        // it asks for a floor itself.
        let listing = options.min_score == Some(0.0);
        let floor = |asked: Option<f64>, configured: f64| {
            asked
                .filter(|f| f.is_finite())
                .unwrap_or(if listing { 0.0 } else { configured })
                .clamp(0.0, 1.0)
        };
        let min_fit = floor(options.min_fit, config.min_fit);
        let min_coverage = floor(options.min_coverage, config.min_coverage);

        let mut budget = config.max_bytes;
        let subject = ticket.subject.as_deref().map(|s| clip(s, &mut budget));
        let text = clip(&ticket.text, &mut budget);
        let byte_truncated = subject.map_or(0, str::len) + text.len()
            < ticket.subject.as_deref().map_or(0, str::len) + ticket.text.len();
        // An email's greeting, sign-off, signature, disclaimer and quoted
        // mail become spaces: offsets stay, their words are not read.
        let cleaned = if config.skip_boilerplate {
            blank_boilerplate(text)
        } else {
            Cow::Borrowed(text)
        };
        let text: &str = &cleaned;

        // With signals on, one stemmed analysis serves both the tagger and
        // the signals. Its buffers are this thread's, taken for the call
        // (and put back below) so that no word allocates.
        let analyses = inner.signals.as_ref().map(|_| {
            let mut buffers = SIGNAL_ANALYSES.take().unwrap_or_default();
            // Each word is probed once: the product word, its stop flag and,
            // for a word the product or the stop list has, its stem and
            // what the signals make of it.
            let vocab = &inner.index.vocab;
            if let Some(s) = subject {
                analyse_for_signals(
                    &inner.stemming_analyzer,
                    vocab,
                    s,
                    (&mut buffers.subject, &mut buffers.subject_words),
                    &mut buffers.subject_known,
                );
            }
            analyse_for_signals(
                &inner.stemming_analyzer,
                vocab,
                text,
                (&mut buffers.text, &mut buffers.text_words),
                &mut buffers.text_known,
            );
            buffers
        });
        let input = Input {
            subject,
            text,
            analyses: analyses.as_ref().map(|b| {
                (
                    subject
                        .is_some()
                        .then_some((&b.subject, &b.subject_words[..])),
                    (&b.text, &b.text_words[..]),
                )
            }),
        };
        let (matches, terms_truncated) = score::with_ticket_buffers(|terms, scored| {
            score::analyse_into(
                &inner.index,
                &inner.analyzer,
                &input,
                config.max_tokens,
                terms,
            );
            let terms = &*terms;
            score::score(
                &inner.index,
                &inner.scoring,
                terms,
                (min_score, top.saturating_add(1)),
                scored,
            );
            // A capability the ticket names, none of whose features matched,
            // gets a capability-level match, ranked below the best feature
            // match.
            let best_feature = scored
                .first()
                .map_or((1.0, 0.0), |s| (s.score, f64::from(s.fit)));
            let features = scored.len();
            push_capabilities(
                &inner.index,
                terms,
                (min_score, best_feature),
                (top.saturating_add(features), top),
                |listed, capability| {
                    listed[..features]
                        .iter()
                        .any(|s| inner.index.nodes[s.node as usize].parent == capability)
                },
                scored,
            );
            scored.sort_by(|a, b| b.score.total_cmp(&a.score).then(a.node.cmp(&b.node)));
            let mut matches = score::to_matches(
                &inner.index,
                &inner.names,
                &input,
                terms,
                scored,
                config.max_evidence,
            );
            // Absolute floors, on the values reported: how much of the
            // ticket the node explains, and how much of one of the node's
            // texts the ticket holds (worked out with the evidence). Applied
            // before the cut to `top`, so a match that fails them does not
            // hide one behind it.
            let before = matches.len();
            let passes = |m: &crate::Match| m.fit >= min_fit && m.coverage >= min_coverage;
            // With the coverage floor on, a node that holds one word of the
            // ticket, met only in its examples, must explain a quarter of it
            // (`score::rests_on_a_passing_word`). `matches` is `scored` in order.
            let keeps = |m: &crate::Match, s: &score::Scored| {
                passes(m)
                    && (min_coverage == 0.0
                        || !score::rests_on_a_passing_word(&inner.index, terms, s.node, s.fit))
            };
            // The best feature, when one scored, is the first match.
            let best_passes = features > 0
                && matches
                    .first()
                    .zip(scored.first())
                    .is_some_and(|(m, s)| keeps(m, s));
            let mut order = scored.iter();
            matches.retain(|m| order.next().is_some_and(|s| keeps(m, s)));
            if matches.len() < before {
                // Capped as in the main path, by the best feature scored,
                // and scaled by its fit when it passed the floors (else
                // its fit says nothing of what the ticket is about).
                let best_fit = if best_passes { best_feature.1 } else { 0.0 };
                let scores = (min_score, (best_feature.0, best_fit));
                unhide_capabilities(inner, &input, terms, &mut matches, scores, keeps, top);
            }
            matches.truncate(top);
            (matches, terms.truncated)
        });
        // The signals read the analysis the tagger already made.
        let reading = inner.signals.as_ref().map(|signals| match &analyses {
            Some(b) => signals.read_known(
                subject.map(|s| (s, &b.subject, &b.subject_known[..])),
                (text, &b.text, &b.text_known),
            ),
            None => signals.read(subject, text),
        });
        if let Some(buffers) = analyses {
            SIGNAL_ANALYSES.set(Some(buffers));
        }
        let (needs, kind, sentiment) = match reading {
            Some(r) => (r.needs, Some(r.kind), Some(r.sentiment)),
            None => (Vec::new(), None, None),
        };
        TaggedTicket {
            id: ticket.id.clone(),
            matches,
            needs,
            kind,
            sentiment,
            truncated: byte_truncated || terms_truncated,
        }
    }
}

/// Takes at most `budget` bytes of `text` (on a char boundary).
fn clip<'a>(text: &'a str, budget: &mut usize) -> &'a str {
    if text.len() <= *budget {
        *budget -= text.len();
        return text;
    }
    let mut end = *budget;
    while !text.is_char_boundary(end) {
        end -= 1;
    }
    *budget = 0;
    &text[..end]
}
