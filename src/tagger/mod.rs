//! The tagger: a product compiled once, then used to tag any number of
//! tickets from any number of threads.
//!
//! # How a ticket is scored
//!
//! Every text of a node becomes a weighted document: its name, each keyword,
//! each example ticket, its description. A ticket's words are segmented,
//! folded, stemmed and mapped to the product's vocabulary (exactly, by stem,
//! through a declared synonym or, for words of five letters or more, within
//! one or two typos). Term weights are inverse node frequencies, so a word
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

use std::sync::Arc;

use crate::analysis::{Analysis, Analyzer};
use crate::error::Result;
use crate::product::{Product, check_unit};
use crate::signals::{Signals, SignalsConfig};
use crate::tagged::TaggedTicket;
use crate::ticket::Ticket;

use index::Index;
use score::Input;

thread_local! {
    /// The stemmed analyses of subject and text that the signals path reuses
    /// from one ticket to the next on a thread.
    static SIGNAL_ANALYSES: std::cell::Cell<(Analysis, Analysis)> =
        std::cell::Cell::new(Default::default());
}

/// A capability named in full (name or keyword) scores this much.
const CAPABILITY_SCALE: f64 = 0.6;

/// The default minimum score of a match.
pub const DEFAULT_THRESHOLD: f64 = 0.3;

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
    /// Read customer signals (needs, kind, sentiment) on every ticket
    /// (default true). English products get the built-in English lexicons;
    /// other languages get empty ones unless [`TaggerBuilder::signals`]
    /// supplies a [`Signals`] of their own.
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
            signals: true,
        }
    }
}

impl TaggerConfig {
    /// Sets the threshold.
    pub fn threshold(mut self, threshold: f64) -> TaggerConfig {
        self.threshold = Some(threshold);
        self
    }

    /// The configured threshold, if any.
    pub fn get_threshold(&self) -> Option<f64> {
        self.threshold
    }

    /// Sets the maximum number of matches per ticket.
    pub fn max_matches(mut self, max: usize) -> TaggerConfig {
        self.max_matches = max;
        self
    }

    /// Sets the maximum bytes analysed per ticket.
    pub fn max_bytes(mut self, max: usize) -> TaggerConfig {
        self.max_bytes = max;
        self
    }

    /// Sets the maximum words analysed per ticket.
    pub fn max_tokens(mut self, max: usize) -> TaggerConfig {
        self.max_tokens = max;
        self
    }

    /// Sets the largest product accepted.
    pub fn max_nodes(mut self, max: usize) -> TaggerConfig {
        self.max_nodes = max;
        self
    }

    /// Turns customer signals on or off.
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
}

impl TagOptions {
    /// Sets the minimum score.
    pub fn min_score(mut self, min_score: f64) -> TagOptions {
        self.min_score = Some(min_score);
        self
    }

    /// Sets the maximum number of matches.
    pub fn top(mut self, top: usize) -> TagOptions {
        self.top = Some(top);
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
    /// How many of the best nodes share the confidence.
    pub rivals: usize,
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
            rivals: 5,
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
    /// A builder with the default configuration.
    pub fn new() -> TaggerBuilder {
        TaggerBuilder::default()
    }

    /// Replaces the configuration.
    pub fn config(mut self, config: TaggerConfig) -> TaggerBuilder {
        self.config = config;
        self
    }

    /// Sets the threshold.
    pub fn threshold(mut self, threshold: f64) -> TaggerBuilder {
        self.config.threshold = Some(threshold);
        self
    }

    /// Uses these compiled signals (your own lexicons, other languages)
    /// instead of the built-in ones.
    pub fn signals(mut self, signals: Signals) -> TaggerBuilder {
        self.signals = Some(signals);
        self
    }

    /// Validates and compiles `product`.
    ///
    /// # Errors
    ///
    /// Any rule of [`Product::validate`], a threshold that is not a number in
    /// `[0, 1]`, or a product above [`TaggerConfig::max_nodes`].
    pub fn build(&self, product: &Product) -> Result<Tagger> {
        if let Some(threshold) = self.config.threshold {
            check_unit(threshold, "config.threshold")?;
        }
        let analyzer = Analyzer::new(product.language);
        let index = Index::compile(product, &analyzer, &self.config)?;
        let signals = match (&self.signals, self.config.signals) {
            (_, false) => None,
            (Some(signals), true) => Some(signals.clone()),
            (None, true) if product.language == crate::Language::English => {
                Some(Signals::english())
            }
            (None, true) => Some(Signals::new(&SignalsConfig::defaults_for(
                product.language,
            ))?),
        };
        let threshold = self
            .config
            .threshold
            .or(product.threshold)
            .unwrap_or(DEFAULT_THRESHOLD);
        Ok(Tagger {
            inner: Arc::new(Inner {
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

impl Tagger {
    /// Compiles `product` with the default configuration.
    ///
    /// # Errors
    ///
    /// See [`TaggerBuilder::build`].
    pub fn new(product: &Product) -> Result<Tagger> {
        TaggerBuilder::new().build(product)
    }

    /// A builder, to set a [`TaggerConfig`].
    pub fn builder() -> TaggerBuilder {
        TaggerBuilder::new()
    }

    /// The product this tagger was compiled from.
    pub fn product(&self) -> &Product {
        &self.inner.product
    }

    /// The threshold in force: the configuration's, else the product's, else
    /// [`DEFAULT_THRESHOLD`].
    pub fn threshold(&self) -> f64 {
        self.inner.threshold
    }

    /// The configuration.
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

    /// Tags a ticket with the tagger's threshold.
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

    /// Tags a ticket with per-call options.
    pub fn tag_with(&self, ticket: &Ticket, options: &TagOptions) -> TaggedTicket {
        let inner = &*self.inner;
        let config = &inner.config;
        let min_score = options
            .min_score
            .filter(|s| s.is_finite())
            .unwrap_or(inner.threshold)
            .clamp(0.0, 1.0);
        let top = options.top.unwrap_or(config.max_matches);

        let mut budget = config.max_bytes;
        let subject = ticket.subject.as_deref().map(|s| clip(s, &mut budget));
        let text = clip(&ticket.text, &mut budget);
        let byte_truncated = subject.map_or(0, str::len) + text.len()
            < ticket.subject.as_deref().map_or(0, str::len) + ticket.text.len();

        // With signals on, one stemmed analysis serves both the tagger and
        // the signals. Its buffers are this thread's, taken for the call
        // (and put back below) so that no word allocates.
        let analyses = inner.signals.as_ref().map(|_| {
            let (mut subject_buffer, mut text_buffer) = SIGNAL_ANALYSES.take();
            if let Some(s) = subject {
                inner.stemming_analyzer.analyze_into(s, &mut subject_buffer);
            }
            inner.stemming_analyzer.analyze_into(text, &mut text_buffer);
            (subject_buffer, text_buffer)
        });
        let input = Input {
            subject,
            text,
            analyses: analyses
                .as_ref()
                .map(|(s, t)| (subject.is_some().then_some(s), t)),
        };
        let (matches, terms_truncated) = score::with_ticket_terms(|terms| {
            score::analyse_into(
                &inner.index,
                &inner.analyzer,
                &input,
                config.max_tokens,
                terms,
            );
            let terms = &*terms;
            let mut scored = score::score(
                &inner.index,
                &inner.scoring,
                terms,
                min_score,
                top.saturating_add(1),
            );
            // A capability the ticket names, none of whose features matched,
            // gets a capability-level match, ranked below every feature match.
            let best_feature = scored.first().map_or(1.0, |s| s.score);
            let parents: Vec<u32> = scored
                .iter()
                .map(|s| inner.index.nodes[s.node as usize].parent)
                .collect();
            let mut added = 0;
            let min_coverage = (min_score / CAPABILITY_SCALE) as f32;
            for (capability, coverage) in score::capability_coverage(
                &inner.index,
                terms,
                min_coverage,
                top.saturating_add(parents.len()),
            ) {
                let score = (CAPABILITY_SCALE * f64::from(coverage)).min(best_feature * 0.99);
                if added == top || score < min_score || score <= 0.0 {
                    break;
                }
                if !parents.contains(&capability) {
                    scored.push(score::Scored {
                        node: capability,
                        score,
                        fit: score::fit(&inner.index, terms, capability),
                    });
                    added += 1;
                }
            }
            scored.sort_by(|a, b| b.score.total_cmp(&a.score).then(a.node.cmp(&b.node)));
            scored.truncate(top);
            let mut matches = score::to_matches(
                &inner.index,
                &inner.product,
                &input,
                terms,
                &scored,
                config.max_evidence,
            );
            matches.truncate(top);
            (matches, terms.truncated)
        });
        // The signals read the analysis the tagger already made.
        let reading = inner.signals.as_ref().map(|signals| match &analyses {
            Some((subject_analysis, text_analysis)) => {
                signals.read_analyzed(subject.zip(Some(subject_analysis)), (text, text_analysis))
            }
            None => signals.read(subject, text),
        });
        if let Some(buffers) = analyses {
            SIGNAL_ANALYSES.set(buffers);
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
