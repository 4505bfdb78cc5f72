//! Themes: groups of unmatched tickets that share significant words.
//!
//! # Algorithm (seeded spherical k-means over TF-IDF, sparse)
//!
//! 1. The pool (unmatched tickets, plus weak matches if asked) is put in
//!    canonical order and analysed once, subject and body, the body's email
//!    boilerplate left out as the tagger leaves it out (greeting, sign-off,
//!    signature, disclaimer, quoted mail: one sender's signature is no
//!    theme): each ticket becomes the set of its content stems (not stop
//!    words, nor English support boilerplate such as greetings, "kindly",
//!    "question" or "request"; in Chinese and Japanese, the overlapping
//!    Han pairs of [`words`](crate::analysis::words)), weighted by
//!    inverse document frequency within the pool and L2-normalised. Stems
//!    used by one ticket only, or by more than `max_df` of the pool, are
//!    dropped; long tickets keep their
//!    [`ThemeConfig::max_terms`] heaviest stems.
//! 2. Seeds: every pair of stems co-occurring in a ticket (among its
//!    [`ThemeConfig::seed_terms`] heaviest) is counted and scored by local
//!    mutual information, `c * ln(c * n / (df_a * df_b))`. Each ticket votes
//!    for its best-scoring pair; pairs with at least `min_size` votes become
//!    the initial groups (at most [`ThemeConfig::max_seeds`] of them).
//! 3. Refinement: a few rounds of spherical k-means. Centroids keep their 24
//!    heaviest stems; an inverted index from stem to centroids means a ticket
//!    is compared only with centroids sharing one of its stems. A ticket
//!    joins its most similar centroid if the cosine reaches
//!    [`ThemeConfig::min_similarity`], else it stays unthemed. Groups below
//!    `min_size` dissolve; centroids closer than
//!    [`ThemeConfig::merge_similarity`] merge.
//! 4. Contrast with the taxonomy ([`ThemeConfig::contrast`], off by
//!    default). The analysis covers every tagged ticket, not just the pool,
//!    and each node the tagger matched gets a rival centroid: the mean of
//!    the tickets it matched confidently (outside the pool). Seeds come
//!    from the pool alone, and in every round of step 3 a pooled ticket
//!    joins a theme only if it is closer to it than to its own node's
//!    rival (the node the tagger placed it in; an unmatched ticket, the
//!    closest rival), so groups the taxonomy already explains cannot form;
//!    then one more pass lets matched tickets outside the pool join a
//!    formed theme if it is closer than their closest rival. The test is
//!    on groups, not tickets: a ticket's fit or score alone does not tell
//!    a missing feature's ticket from a sibling's ambiguous one, but a
//!    group of tickets closer to each other than to any node's confident
//!    tickets does.
//!    Under contrast, fillers are left out too: a stem whose confident
//!    tickets spread over at least half as many nodes (effective number,
//!    `(sum c)^2 / sum c^2`) as all confident tickets do says how people
//!    write ("since yesterday", "any update"), not what about, so it is
//!    dropped from the vectors and the terms; and a formed theme whose
//!    matched tickets spread that evenly dissolves. A stem no confident
//!    ticket uses (a new topic's own words) is never a filler.
//!    Last, with [`ThemeConfig::retag`], each formed theme becomes a
//!    would-be feature (its name, and as many of its tickets closest to
//!    its centre as the product's features have examples) and every
//!    ticket near a theme is tagged again with
//!    the product plus these features: a theme keeps the tickets the
//!    tagger gives it over every existing node, and this is done twice
//!    (the second time with the examples the first one chose). The
//!    tagger weighs phrases and the taxonomy's own texts, which cosine to
//!    a centroid does not: on Banking77 it turns mixed themes pure. Skipped when most matched
//!    nodes are not in the product (nothing to compete with).
//! 5. Each group is described: its top terms (stems over-represented in the
//!    group, shown as their most frequent surface word), a name (the most
//!    frequent short phrase joining two top terms, such as "card declined";
//!    else the top two words in text order), representatives (closest to the
//!    centroid), customers, weekly trend and a [`Feature`] snippet.
//!
//! # Cost
//!
//! With `n` tickets of at most `L` words: analysis `O(n L)`; pairs
//! `O(n s^2)` with `s = seed_terms` (default 6); each refinement round
//! `O(n t p)` with `t = max_terms` and `p` the centroids per stem (bounded by
//! `max_seeds`); merging `O(k^2)` over groups, never over tickets. Contrast
//! adds `O(n t r)` once for the rivals (`r` at most 64 node centroids per
//! stem), `O(n t)` for the fillers and one more round; re-tagging adds
//! compiling the product plus the themes and at most `2 n` tagger calls
//! (only tickets a theme is near are tagged). Memory is linear in `n L`. Nothing compares
//! pairs of tickets.
//!
//! Why not MinHash: tickets are short paraphrases ("card not arrived",
//! "still waiting for my card"); shingle overlap between two tickets of one
//! theme is often nil, while centroids gather the vocabulary of the whole
//! theme. MinHash serves near-duplicates instead ([`super::DuplicateFinder`]).

use serde::{Deserialize, Serialize};

use super::{FxMap, Prep, TaggedPair, canonical, count_customers, iso_week, join_words};
use crate::analysis::{Language, blank_boilerplate, pair_overlap};
use crate::error::{Error, Result};
use crate::product::{Capability, Feature, Product, check_unit};
use crate::tagged::TaggedTicket;
use crate::tagger::{Tagger, TaggerConfig};
use crate::ticket::Ticket;

/// Settings of a [`ThemeFinder`], with safe defaults.
///
/// ```
/// use painpoint::discovery::ThemeConfig;
///
/// let config = ThemeConfig::default().min_size(5).weak_below(0.4);
/// assert_eq!(config.get_min_size(), 5);
/// ```
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct ThemeConfig {
    /// The fewest tickets a theme holds (default 3).
    pub min_size: usize,
    /// Also pool matched tickets whose best score is below this (default
    /// none: only unmatched tickets).
    pub weak_below: Option<f64>,
    /// Also pool matched tickets whose best match's
    /// [`fit`](crate::Match::fit) is below this (default none): tickets the
    /// tagger placed confidently but that its nearest node explains poorly,
    /// which is how a topic the product does not model yet often shows.
    pub weak_fit_below: Option<f64>,
    /// Also pool this share of the matched tickets, those whose best match
    /// has the lowest score x [`fit`](crate::Match::fit) (default none):
    /// placed with doubt, or explained poorly by the node's own texts.
    /// Rank based, so it does not depend on how the tagger's scores are
    /// calibrated.
    pub weak_share: Option<f64>,
    /// The least cosine similarity between a ticket and its theme's centroid
    /// (default 0.25).
    pub min_similarity: f64,
    /// Centroids at least this similar are merged (default 0.5).
    pub merge_similarity: f64,
    /// Stems used by more than this share of the pool are ignored (default
    /// 0.3), unless the pool has fewer than 20 tickets.
    pub max_df: f64,
    /// The most themes reported, largest first (default 100).
    pub max_themes: usize,
    /// The most initial groups (default 400).
    pub max_seeds: usize,
    /// Heaviest stems per ticket that form seed pairs (default 6).
    pub seed_terms: usize,
    /// Heaviest stems kept per ticket (default 32).
    pub max_terms: usize,
    /// Words analysed per ticket (default 512).
    pub max_tokens: usize,
    /// Refinement rounds (default 6).
    pub rounds: usize,
    /// Representative tickets per theme, which are also the snippet's
    /// examples (default 3).
    pub representatives: usize,
    /// Contrast with the taxonomy (default off; only [`ThemeFinder::find`]
    /// uses it). Themes still form among the pooled tickets, but each node
    /// the tagger matched becomes a rival: the centroid of the tickets it
    /// matched confidently (those outside the pool). A ticket belongs to a
    /// theme only when it is closer to the theme than to every rival; once
    /// the themes are formed, matched tickets outside the pool are
    /// recruited by the same rule. This finds a topic the taxonomy lacks
    /// when the tagger spread its tickets over near siblings, which no
    /// per-ticket threshold separates from the siblings' own tickets.
    ///
    /// Words and themes that every node's tickets share alike (fillers such
    /// as "since yesterday" or "any update") are ignored: a stem or theme
    /// whose confident tickets spread over at least half as many nodes as
    /// all confident tickets do is about how people write, not what about.
    ///
    /// Measured: on Banking77 with 10 of 77 intents deleted (every 7th,
    /// seven offsets) it recovers 31 of 70 (4 of 10 at offset 0; the
    /// same pool without contrast, 21), 37 of 70 with
    /// [`ThemeConfig::retag`]. A missing feature's tickets often share a
    /// mixed theme with a deleted sibling's, and two themes can carry the
    /// same name; review before promoting one.
    pub contrast: bool,
    /// Under contrast, tag the tickets again once the themes are formed,
    /// each theme a would-be feature of the product (default off): a theme
    /// keeps what the tagger gives it over the existing nodes. Done twice;
    /// skipped when most matched nodes are not in the product. Costs up to
    /// two tagger calls per ticket (about ten times the rest of contrast
    /// on the synthetic bench), for purer themes: on Banking77 (above)
    /// 37 of 70 instead of 31.
    pub retag: bool,
}

impl Default for ThemeConfig {
    fn default() -> ThemeConfig {
        ThemeConfig {
            min_size: 3,
            weak_below: None,
            weak_fit_below: None,
            weak_share: None,
            min_similarity: 0.25,
            merge_similarity: 0.5,
            max_df: 0.3,
            max_themes: 100,
            max_seeds: 400,
            seed_terms: 6,
            max_terms: 32,
            max_tokens: 512,
            rounds: 6,
            representatives: 3,
            contrast: false,
            retag: false,
        }
    }
}

impl ThemeConfig {
    /// Sets the fewest tickets a theme holds (at least 2:
    /// [`ThemeFinder::with_config`] fails otherwise).
    ///
    /// ```
    /// # use painpoint::discovery::{ThemeConfig, ThemeFinder};
    /// # use painpoint::{Capability, Feature, Product, Tagger, TaggedTicket, Ticket};
    /// # let product = Product::new("bank", "Bank").capability(Capability::new("card", "Card")
    /// #     .feature(Feature::new("card_arrival", "Card arrival").keyword("card not arrived")));
    /// # let tagger = Tagger::new(&product).unwrap();
    /// # let texts = [
    /// #     "My crypto wallet transfer is stuck",
    /// #     "Crypto wallet shows the wrong balance",
    /// #     "Can I move bitcoin to my crypto wallet?",
    /// #     "The crypto wallet is empty after the update",
    /// #     "Please add a dark mode to the app",
    /// #     "Dark mode would be easier on my eyes at night",
    /// #     "Is there a dark mode setting?",
    /// #     "How do I reset my password",
    /// #     "My card not arrived yet",
    /// # ];
    /// # let tickets: Vec<Ticket> = texts.iter().enumerate()
    /// #     .map(|(i, text)| Ticket::new(format!("t{i}"), *text).customer(format!("c{}", i % 3)))
    /// #     .collect();
    /// # let pairs: Vec<(Ticket, TaggedTicket)> = tickets.iter().map(|t| (t.clone(), tagger.tag(t))).collect();
    /// // t0-t3 are about a crypto wallet, t4-t6 about dark mode, t7 a password:
    /// // all unmatched. t8 ("My card not arrived yet") matches card_arrival.
    /// let finder = |config| ThemeFinder::with_config(&product, config).unwrap();
    /// let sizes = |config| -> Vec<usize> { finder(config).find(&pairs).themes.iter().map(|t| t.count).collect() };
    /// assert_eq!(sizes(ThemeConfig::default()), [4, 3]); // min_size 3
    /// assert_eq!(sizes(ThemeConfig::default().min_size(4)), [4]);
    /// assert!(ThemeFinder::with_config(&product, ThemeConfig::default().min_size(1)).is_err());
    /// ```
    pub fn min_size(mut self, min_size: usize) -> ThemeConfig {
        self.min_size = min_size;
        self
    }

    /// The fewest tickets a theme holds.
    ///
    /// ```
    /// use painpoint::discovery::ThemeConfig;
    /// assert_eq!(ThemeConfig::default().get_min_size(), 3);
    /// assert_eq!(ThemeConfig::default().min_size(5).get_min_size(), 5);
    /// ```
    pub fn get_min_size(&self) -> usize {
        self.min_size
    }

    /// Also pools matched tickets whose best score is below `score` (in
    /// `[0, 1]`).
    ///
    /// ```
    /// # use painpoint::discovery::{ThemeConfig, ThemeFinder};
    /// # use painpoint::{Match, Product, TaggedTicket};
    /// # let product = Product::new("bank", "Bank");
    /// let matched = |score: f64| {
    ///     let mut m = Match::default();
    ///     m.capability = "card".into();
    ///     m.score = score;
    ///     m.fit = 1.0;
    ///     let mut tagged = TaggedTicket::default();
    ///     tagged.matches.push(m);
    ///     tagged
    /// };
    /// let default = ThemeFinder::new(&product);
    /// let weak = ThemeFinder::with_config(&product, ThemeConfig::default().weak_below(0.5)).unwrap();
    /// assert!(!default.in_pool(&matched(0.3)));
    /// assert!(weak.in_pool(&matched(0.3)));
    /// assert!(!weak.in_pool(&matched(0.8)));
    /// ```
    pub fn weak_below(mut self, score: f64) -> ThemeConfig {
        self.weak_below = Some(score);
        self
    }

    /// Also pools matched tickets whose best match's fit is below `fit`.
    ///
    /// ```
    /// use painpoint::discovery::ThemeConfig;
    /// let config = ThemeConfig::default().weak_fit_below(0.5);
    /// assert_eq!(config.weak_fit_below, Some(0.5));
    /// ```
    pub fn weak_fit_below(mut self, fit: f64) -> ThemeConfig {
        self.weak_fit_below = Some(fit);
        self
    }

    /// Also pools the `share` (in `[0, 1]`) of matched tickets with the
    /// lowest score x fit, rounded to the nearest count; only
    /// [`ThemeFinder::find`] can apply it, as it sees every ticket.
    ///
    /// ```
    /// # use painpoint::discovery::{ThemeConfig, ThemeFinder};
    /// # use painpoint::{Match, Product, TaggedTicket};
    /// # let product = Product::new("bank", "Bank");
    /// let matched = |score: f64| {
    ///     let mut m = Match::default();
    ///     m.capability = "card".into();
    ///     m.score = score;
    ///     m.fit = 1.0;
    ///     let mut tagged = TaggedTicket::default();
    ///     tagged.matches.push(m);
    ///     tagged
    /// };
    /// # use painpoint::Ticket;
    /// let pairs: Vec<(Ticket, TaggedTicket)> = [0.9, 0.4, 0.8, 0.6]
    ///     .iter()
    ///     .enumerate()
    ///     .map(|(i, &score)| (Ticket::new(i.to_string(), "card question"), matched(score)))
    ///     .chain([(Ticket::new("u", "unmatched"), TaggedTicket::default())])
    ///     .collect();
    /// assert_eq!(ThemeFinder::new(&product).find(&pairs).pool, 1);
    /// let half = ThemeFinder::with_config(&product, ThemeConfig::default().weak_share(0.5)).unwrap();
    /// assert_eq!(half.find(&pairs).pool, 3); // the unmatched one, 0.4 and 0.6
    /// ```
    pub fn weak_share(mut self, share: f64) -> ThemeConfig {
        self.weak_share = Some(share);
        self
    }

    /// Sets the least ticket-to-centroid cosine similarity, in `[0, 1]`:
    /// higher keeps themes tighter and leaves more tickets unthemed.
    ///
    /// ```
    /// use painpoint::discovery::{ThemeConfig, ThemeFinder};
    /// use painpoint::Product;
    /// let product = Product::new("bank", "Bank");
    /// assert_eq!(ThemeConfig::default().min_similarity, 0.25);
    /// let tight = ThemeConfig::default().min_similarity(0.5);
    /// assert_eq!(ThemeFinder::with_config(&product, tight).unwrap().config().min_similarity, 0.5);
    /// let err = ThemeFinder::with_config(&product, ThemeConfig::default().min_similarity(1.5)).unwrap_err();
    /// assert!(err.to_string().starts_with("discovery.themes.min_similarity"));
    /// ```
    pub fn min_similarity(mut self, similarity: f64) -> ThemeConfig {
        self.min_similarity = similarity;
        self
    }

    /// Sets the similarity at which centroids merge, in `[0, 1]`: lower
    /// merges more, into fewer and broader themes.
    ///
    /// ```
    /// use painpoint::discovery::{ThemeConfig, ThemeFinder};
    /// use painpoint::Product;
    /// let product = Product::new("bank", "Bank");
    /// assert_eq!(ThemeConfig::default().merge_similarity, 0.5);
    /// assert_eq!(ThemeConfig::default().merge_similarity(0.7).merge_similarity, 0.7);
    /// let err = ThemeFinder::with_config(&product, ThemeConfig::default().merge_similarity(-0.1)).unwrap_err();
    /// assert!(err.to_string().starts_with("discovery.themes.merge_similarity"));
    /// ```
    pub fn merge_similarity(mut self, similarity: f64) -> ThemeConfig {
        self.merge_similarity = similarity;
        self
    }

    /// Sets the most themes reported: the largest are kept, the tickets
    /// of the others are reported as unthemed.
    ///
    /// ```
    /// # use painpoint::discovery::{ThemeConfig, ThemeFinder};
    /// # use painpoint::{Capability, Feature, Product, Tagger, TaggedTicket, Ticket};
    /// # let product = Product::new("bank", "Bank").capability(Capability::new("card", "Card")
    /// #     .feature(Feature::new("card_arrival", "Card arrival").keyword("card not arrived")));
    /// # let tagger = Tagger::new(&product).unwrap();
    /// # let texts = [
    /// #     "My crypto wallet transfer is stuck",
    /// #     "Crypto wallet shows the wrong balance",
    /// #     "Can I move bitcoin to my crypto wallet?",
    /// #     "The crypto wallet is empty after the update",
    /// #     "Please add a dark mode to the app",
    /// #     "Dark mode would be easier on my eyes at night",
    /// #     "Is there a dark mode setting?",
    /// #     "How do I reset my password",
    /// #     "My card not arrived yet",
    /// # ];
    /// # let tickets: Vec<Ticket> = texts.iter().enumerate()
    /// #     .map(|(i, text)| Ticket::new(format!("t{i}"), *text).customer(format!("c{}", i % 3)))
    /// #     .collect();
    /// # let pairs: Vec<(Ticket, TaggedTicket)> = tickets.iter().map(|t| (t.clone(), tagger.tag(t))).collect();
    /// // t0-t3 are about a crypto wallet, t4-t6 about dark mode, t7 a password:
    /// // all unmatched. t8 ("My card not arrived yet") matches card_arrival.
    /// let one = ThemeFinder::with_config(&product, ThemeConfig::default().max_themes(1)).unwrap();
    /// let report = one.find(&pairs);
    /// assert_eq!(report.themes.len(), 1);
    /// assert_eq!(report.themes[0].ticket_ids, ["t0", "t1", "t2", "t3"]);
    /// assert!(report.unthemed.contains(&"t4".to_string()));
    /// ```
    pub fn max_themes(mut self, max: usize) -> ThemeConfig {
        self.max_themes = max;
        self
    }

    /// Contrasts themes with the taxonomy (see [`ThemeConfig::contrast`]),
    /// seeding them from the `share` of matched tickets with the lowest
    /// score x fit plus the unmatched ones: the mode that finds features
    /// missing from a taxonomy whose siblings absorbed their tickets.
    ///
    /// ```
    /// use painpoint::discovery::ThemeConfig;
    /// let config = ThemeConfig::default().contrast(0.25);
    /// assert!(config.contrast);
    /// assert_eq!(config.weak_share, Some(0.25));
    /// ```
    pub fn contrast(mut self, share: f64) -> ThemeConfig {
        self.contrast = true;
        self.weak_share = Some(share);
        self
    }

    /// Re-tags the tickets with the formed themes as would-be features
    /// (see [`ThemeConfig::retag`]); only with contrast.
    ///
    /// ```
    /// use painpoint::discovery::ThemeConfig;
    /// let config = ThemeConfig::default().contrast(0.25).retag(true);
    /// assert!(config.retag);
    /// ```
    pub fn retag(mut self, on: bool) -> ThemeConfig {
        self.retag = on;
        self
    }

    /// Sets the number of representatives per theme (also the number of
    /// examples in its snippet).
    ///
    /// ```
    /// # use painpoint::discovery::{ThemeConfig, ThemeFinder};
    /// # use painpoint::{Capability, Feature, Product, Tagger, TaggedTicket, Ticket};
    /// # let product = Product::new("bank", "Bank").capability(Capability::new("card", "Card")
    /// #     .feature(Feature::new("card_arrival", "Card arrival").keyword("card not arrived")));
    /// # let tagger = Tagger::new(&product).unwrap();
    /// # let texts = [
    /// #     "My crypto wallet transfer is stuck",
    /// #     "Crypto wallet shows the wrong balance",
    /// #     "Can I move bitcoin to my crypto wallet?",
    /// #     "The crypto wallet is empty after the update",
    /// #     "Please add a dark mode to the app",
    /// #     "Dark mode would be easier on my eyes at night",
    /// #     "Is there a dark mode setting?",
    /// #     "How do I reset my password",
    /// #     "My card not arrived yet",
    /// # ];
    /// # let tickets: Vec<Ticket> = texts.iter().enumerate()
    /// #     .map(|(i, text)| Ticket::new(format!("t{i}"), *text).customer(format!("c{}", i % 3)))
    /// #     .collect();
    /// # let pairs: Vec<(Ticket, TaggedTicket)> = tickets.iter().map(|t| (t.clone(), tagger.tag(t))).collect();
    /// // t0-t3 are about a crypto wallet, t4-t6 about dark mode, t7 a password:
    /// // all unmatched. t8 ("My card not arrived yet") matches card_arrival.
    /// let config = ThemeConfig::default().representatives(1);
    /// let report = ThemeFinder::with_config(&product, config).unwrap().find(&pairs);
    /// assert!(!report.themes.is_empty());
    /// for theme in &report.themes {
    ///     assert_eq!((theme.representatives.len(), theme.snippet.examples.len()), (1, 1));
    ///     assert!(theme.ticket_ids.contains(&theme.representatives[0]));
    /// }
    /// ```
    pub fn representatives(mut self, count: usize) -> ThemeConfig {
        self.representatives = count;
        self
    }

    fn validate(&self) -> Result<()> {
        if let Some(weak) = self.weak_below {
            check_unit(weak, "discovery.themes.weak_below")?;
        }
        if let Some(fit) = self.weak_fit_below {
            check_unit(fit, "discovery.themes.weak_fit_below")?;
        }
        if let Some(share) = self.weak_share {
            check_unit(share, "discovery.themes.weak_share")?;
        }
        check_unit(self.min_similarity, "discovery.themes.min_similarity")?;
        check_unit(self.merge_similarity, "discovery.themes.merge_similarity")?;
        check_unit(self.max_df, "discovery.themes.max_df")?;
        for (value, path) in [
            (self.min_size, "discovery.themes.min_size"),
            (self.seed_terms, "discovery.themes.seed_terms"),
            (self.max_terms, "discovery.themes.max_terms"),
            (self.max_tokens, "discovery.themes.max_tokens"),
        ] {
            if value < 2 {
                return Err(Error::BadNumber {
                    path: path.to_string(),
                    value: value.to_string(),
                    rule: "an integer of at least 2",
                });
            }
        }
        Ok(())
    }
}

/// One emerging theme: a group of unmatched tickets about the same thing.
///
/// Serializes as `{"name", "terms", "count", "customers", "ticket_ids",
/// "representatives", "trend", "snippet"}`.
///
/// ```
/// # use painpoint::discovery::{ThemeConfig, ThemeFinder};
/// # use painpoint::{Capability, Feature, Product, Tagger, TaggedTicket, Ticket};
/// # let product = Product::new("bank", "Bank").capability(Capability::new("card", "Card")
/// #     .feature(Feature::new("card_arrival", "Card arrival").keyword("card not arrived")));
/// # let tagger = Tagger::new(&product).unwrap();
/// # let texts = [
/// #     "My crypto wallet transfer is stuck",
/// #     "Crypto wallet shows the wrong balance",
/// #     "Can I move bitcoin to my crypto wallet?",
/// #     "The crypto wallet is empty after the update",
/// #     "Please add a dark mode to the app",
/// #     "Dark mode would be easier on my eyes at night",
/// #     "Is there a dark mode setting?",
/// #     "How do I reset my password",
/// #     "My card not arrived yet",
/// # ];
/// # let tickets: Vec<Ticket> = texts.iter().enumerate()
/// #     .map(|(i, text)| Ticket::new(format!("t{i}"), *text).customer(format!("c{}", i % 3)))
/// #     .collect();
/// # let pairs: Vec<(Ticket, TaggedTicket)> = tickets.iter().map(|t| (t.clone(), tagger.tag(t))).collect();
/// // t0-t3 are about a crypto wallet, t4-t6 about dark mode, t7 a password:
/// // all unmatched. t8 ("My card not arrived yet") matches card_arrival.
/// let report = ThemeFinder::new(&product).find(&pairs);
/// let wallet = report.themes.iter().find(|t| t.ticket_ids.contains(&"t0".to_string())).unwrap();
/// assert_eq!(wallet.ticket_ids, ["t0", "t1", "t2", "t3"]);
/// assert_eq!((wallet.count, wallet.customers), (4, 3));
/// assert!(wallet.terms.iter().any(|t| t == "wallet"));
/// assert!(wallet.representatives.iter().all(|id| wallet.ticket_ids.contains(id)));
/// // The snippet's examples are the representatives' texts (subject and
/// // body, without email boilerplate).
/// let first = tickets.iter().find(|t| t.id == wallet.representatives[0]).unwrap();
/// assert_eq!(wallet.snippet.examples[0], first.text);
/// assert!(wallet.trend.is_empty()); // the tickets have no date
/// ```
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct Theme {
    /// A short name made of the theme's own words ("card declined").
    pub name: String,
    /// The most significant words, strongest first.
    pub terms: Vec<String>,
    /// The number of tickets.
    pub count: usize,
    /// The number of distinct customers (a ticket without a customer counts
    /// as one).
    pub customers: usize,
    /// The tickets' ids, in canonical (id) order.
    pub ticket_ids: Vec<String>,
    /// The ids of the tickets closest to the theme's centre, closest first.
    pub representatives: Vec<String>,
    /// Tickets per ISO week (`"2024-W09"`), oldest first; weeks without
    /// tickets are left out, tickets without a date are not counted.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub trend: Vec<WeekCount>,
    /// The theme as a new feature: id, name, keywords and examples (the
    /// representatives' subjects and bodies, without email boilerplate, cut
    /// to 300 bytes), ready to paste into a capability of the product JSON.
    pub snippet: Feature,
}

/// A number of tickets in one ISO week.
///
/// ```
/// use painpoint::discovery::ThemeFinder;
/// use painpoint::{Product, Ticket, Timestamp};
/// let friday = Timestamp::from_date(2024, 3, 1).unwrap(); // week 9
/// let monday = Timestamp::from_date(2024, 3, 4).unwrap(); // week 10
/// let tickets = [
///     Ticket::new("t0", "My crypto wallet transfer is stuck").created_at(friday),
///     Ticket::new("t1", "Crypto wallet shows the wrong balance").created_at(friday),
///     Ticket::new("t2", "Can I move bitcoin to my crypto wallet?").created_at(monday),
///     Ticket::new("t3", "The crypto wallet is empty after the update"), // no date
///     Ticket::new("t4", "Please add a dark mode to the app").created_at(monday),
///     Ticket::new("t5", "How do I reset my password").created_at(monday),
/// ];
/// let report = ThemeFinder::new(&Product::new("bank", "Bank")).find_tickets(&tickets);
/// let wallet = report.themes.iter().find(|t| t.ticket_ids.contains(&"t0".to_string())).unwrap();
/// let trend = &wallet.trend;
/// assert_eq!((trend[0].week.as_str(), trend[0].count), ("2024-W09", 2));
/// assert_eq!((trend[1].week.as_str(), trend[1].count), ("2024-W10", 1));
/// assert_eq!(trend.len(), 2);
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct WeekCount {
    /// The ISO week, `"2024-W09"`.
    pub week: String,
    /// The tickets created that week.
    pub count: usize,
}

/// What a [`ThemeFinder`] found.
///
/// ```
/// # use painpoint::discovery::{ThemeConfig, ThemeFinder};
/// # use painpoint::{Capability, Feature, Product, Tagger, TaggedTicket, Ticket};
/// # let product = Product::new("bank", "Bank").capability(Capability::new("card", "Card")
/// #     .feature(Feature::new("card_arrival", "Card arrival").keyword("card not arrived")));
/// # let tagger = Tagger::new(&product).unwrap();
/// # let texts = [
/// #     "My crypto wallet transfer is stuck",
/// #     "Crypto wallet shows the wrong balance",
/// #     "Can I move bitcoin to my crypto wallet?",
/// #     "The crypto wallet is empty after the update",
/// #     "Please add a dark mode to the app",
/// #     "Dark mode would be easier on my eyes at night",
/// #     "Is there a dark mode setting?",
/// #     "How do I reset my password",
/// #     "My card not arrived yet",
/// # ];
/// # let tickets: Vec<Ticket> = texts.iter().enumerate()
/// #     .map(|(i, text)| Ticket::new(format!("t{i}"), *text).customer(format!("c{}", i % 3)))
/// #     .collect();
/// # let pairs: Vec<(Ticket, TaggedTicket)> = tickets.iter().map(|t| (t.clone(), tagger.tag(t))).collect();
/// // t0-t3 are about a crypto wallet, t4-t6 about dark mode, t7 a password:
/// // all unmatched. t8 ("My card not arrived yet") matches card_arrival.
/// let report = ThemeFinder::new(&product).find(&pairs);
/// assert_eq!(report.pool, 8); // the unmatched tickets
/// assert_eq!(report.themed + report.unthemed.len(), report.pool + report.recruited);
/// assert!(report.themes.windows(2).all(|w| w[0].count >= w[1].count));
/// assert!(report.unthemed.contains(&"t7".to_string()));
/// ```
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct ThemeReport {
    /// The tickets considered (unmatched, plus weak matches if asked).
    pub pool: usize,
    /// How many of them belong to a reported theme.
    pub themed: usize,
    /// The themes, largest first (ties by name).
    pub themes: Vec<Theme>,
    /// The ids of pooled tickets in no reported theme, in canonical order
    /// (each ticket by itself: an id twice when two tickets share it).
    pub unthemed: Vec<String>,
    /// Themed tickets from outside the pool (only with
    /// [`ThemeConfig::contrast`]): `themed + unthemed.len() == pool +
    /// recruited`.
    #[serde(default)]
    pub recruited: usize,
}

/// Finds emerging themes among the tickets a taxonomy leaves unmatched.
///
/// Immutable once built; cheap to share.
///
/// Algorithm: seeded spherical k-means over sparse TF-IDF stem vectors of
/// the pooled tickets. Seeds are the stem pairs most tickets vote for by
/// local mutual information; a few refinement rounds go through an inverted
/// index from stem to centroid, and close groups merge. Themes are named by
/// the most frequent short phrase joining two top terms. With
/// [`ThemeConfig::contrast`], the taxonomy's matched nodes compete for the
/// tickets (see the module documentation), which finds a missing feature
/// whose tickets the tagger spread over its siblings.
///
/// Cost: with `n` tickets of at most `L` words, `O(n L)` analysis,
/// `O(n s^2)` seeding (`s` = [`ThemeConfig::seed_terms`]) and `O(n t p)` per
/// round (`t` = [`ThemeConfig::max_terms`], `p` centroids per stem), merging
/// `O(k^2)` over groups. Nothing compares pairs of tickets; memory is linear
/// in `n L`.
///
/// # Example
///
/// ```
/// use painpoint::discovery::ThemeFinder;
/// use painpoint::{Capability, Feature, Product, Tagger, Ticket};
///
/// let product = Product::new("bank", "Bank").capability(
///     Capability::new("card", "Card").feature(Feature::new("card_arrival", "Card arrival")),
/// );
/// let tagger = Tagger::new(&product).unwrap();
/// let texts = [
///     "My crypto wallet transfer is stuck",
///     "Crypto wallet shows the wrong balance",
///     "Can I move bitcoin to my crypto wallet?",
///     "The crypto wallet is empty after the update",
///     "How do I reset my password",
/// ];
/// let pairs: Vec<_> = texts
///     .iter()
///     .enumerate()
///     .map(|(i, text)| {
///         let ticket = Ticket::new(i.to_string(), *text);
///         let tagged = tagger.tag(&ticket);
///         (ticket, tagged)
///     })
///     .collect();
/// let report = ThemeFinder::new(&product).find(&pairs);
/// assert_eq!(report.themes.len(), 1);
/// assert_eq!(report.themes[0].name, "crypto wallet");
/// assert_eq!(report.themes[0].count, 4);
/// assert_eq!(report.themes[0].snippet.id, "crypto_wallet");
/// ```
#[derive(Debug, Clone)]
pub struct ThemeFinder {
    language: Language,
    config: ThemeConfig,
    taken_ids: Vec<String>,
    /// The product, which themes compete with when they are re-tagged
    /// (under contrast).
    product: Product,
}

impl ThemeFinder {
    /// A finder for the product's language with the default configuration.
    /// Snippet ids avoid the product's existing ids.
    ///
    /// ```
    /// use painpoint::discovery::ThemeFinder;
    /// use painpoint::{Capability, Feature, Product, Ticket};
    /// // A feature already holds the id a wallet theme would take.
    /// let product = Product::new("bank", "Bank").capability(
    ///     Capability::new("crypto", "Crypto").feature(Feature::new("crypto_wallet", "Staking")));
    /// let tickets = [
    ///     Ticket::new("t0", "My crypto wallet transfer is stuck"),
    ///     Ticket::new("t1", "Crypto wallet shows the wrong balance"),
    ///     Ticket::new("t2", "Can I move bitcoin to my crypto wallet?"),
    ///     Ticket::new("t3", "The crypto wallet is empty after the update"),
    ///     Ticket::new("t4", "Please add a dark mode to the app"),
    ///     Ticket::new("t5", "How do I reset my password"),
    /// ];
    /// let report = ThemeFinder::new(&product).find_tickets(&tickets);
    /// let snippet = &report.themes[0].snippet;
    /// assert!(!["bank", "crypto", "crypto_wallet"].contains(&snippet.id.as_str()));
    /// ```
    pub fn new(product: &Product) -> ThemeFinder {
        ThemeFinder {
            language: product.language,
            config: ThemeConfig::default(),
            taken_ids: node_ids(product),
            product: product.clone(),
        }
    }

    /// A finder with a configuration.
    ///
    /// # Errors
    ///
    /// [`Error::BadNumber`] naming the field (`discovery.themes.min_size`, ...)
    /// when a similarity, score, fit or share (`min_similarity`,
    /// `merge_similarity`, `max_df`, `weak_below`, `weak_fit_below`,
    /// `weak_share`) is outside `[0, 1]`, or when `min_size`, `seed_terms`,
    /// `max_terms` or `max_tokens` is below 2.
    ///
    /// ```
    /// use painpoint::discovery::{ThemeConfig, ThemeFinder};
    /// use painpoint::Product;
    /// let product = Product::new("bank", "Bank");
    /// assert!(ThemeFinder::with_config(&product, ThemeConfig::default().min_size(5)).is_ok());
    /// let err = ThemeFinder::with_config(&product, ThemeConfig::default().min_size(1)).unwrap_err();
    /// assert!(err.to_string().starts_with("discovery.themes.min_size"));
    /// let err = ThemeFinder::with_config(&product, ThemeConfig::default().weak_share(2.0)).unwrap_err();
    /// assert!(err.to_string().starts_with("discovery.themes.weak_share"));
    /// ```
    pub fn with_config(product: &Product, config: ThemeConfig) -> Result<ThemeFinder> {
        config.validate()?;
        Ok(ThemeFinder {
            config,
            ..ThemeFinder::new(product)
        })
    }

    /// The configuration.
    ///
    /// ```
    /// use painpoint::discovery::{ThemeConfig, ThemeFinder};
    /// use painpoint::Product;
    /// let product = Product::new("bank", "Bank");
    /// assert_eq!(ThemeFinder::new(&product).config(), &ThemeConfig::default());
    /// let config = ThemeConfig::default().min_size(4).max_themes(10);
    /// assert_eq!(ThemeFinder::with_config(&product, config.clone()).unwrap().config(), &config);
    /// ```
    pub fn config(&self) -> &ThemeConfig {
        &self.config
    }

    /// Whether a tagged ticket belongs to the pool: unmatched, or matched
    /// below [`ThemeConfig::weak_below`] or [`ThemeConfig::weak_fit_below`].
    /// ([`ThemeConfig::weak_share`] and [`ThemeConfig::contrast`] need all
    /// the tagged tickets: pass every one to [`ThemeFinder::find`].)
    /// Constant time.
    ///
    /// ```
    /// # use painpoint::discovery::{ThemeConfig, ThemeFinder};
    /// # use painpoint::{Capability, Feature, Product, Tagger, TaggedTicket, Ticket};
    /// # let product = Product::new("bank", "Bank").capability(Capability::new("card", "Card")
    /// #     .feature(Feature::new("card_arrival", "Card arrival").keyword("card not arrived")));
    /// # let tagger = Tagger::new(&product).unwrap();
    /// # let texts = [
    /// #     "My crypto wallet transfer is stuck",
    /// #     "Crypto wallet shows the wrong balance",
    /// #     "Can I move bitcoin to my crypto wallet?",
    /// #     "The crypto wallet is empty after the update",
    /// #     "Please add a dark mode to the app",
    /// #     "Dark mode would be easier on my eyes at night",
    /// #     "Is there a dark mode setting?",
    /// #     "How do I reset my password",
    /// #     "My card not arrived yet",
    /// # ];
    /// # let tickets: Vec<Ticket> = texts.iter().enumerate()
    /// #     .map(|(i, text)| Ticket::new(format!("t{i}"), *text).customer(format!("c{}", i % 3)))
    /// #     .collect();
    /// # let pairs: Vec<(Ticket, TaggedTicket)> = tickets.iter().map(|t| (t.clone(), tagger.tag(t))).collect();
    /// // t0-t3 are about a crypto wallet, t4-t6 about dark mode, t7 a password:
    /// // all unmatched. t8 ("My card not arrived yet") matches card_arrival.
    /// let finder = ThemeFinder::new(&product);
    /// let (matched, unmatched) = (&pairs[8].1, &pairs[0].1);
    /// assert!(finder.in_pool(unmatched));
    /// assert!(!finder.in_pool(matched));
    /// let strict = ThemeFinder::with_config(&product, ThemeConfig::default().weak_below(1.0)).unwrap();
    /// assert!(strict.in_pool(matched)); // its score is below 1
    /// ```
    pub fn in_pool(&self, tagged: &TaggedTicket) -> bool {
        let Some(best) = tagged.best() else {
            return true;
        };
        self.config.weak_below.is_some_and(|weak| best.score < weak)
            || self
                .config
                .weak_fit_below
                .is_some_and(|weak| best.fit < weak)
    }

    /// Finds the themes among the pooled tickets of `tickets`; with
    /// [`ThemeConfig::contrast`], among all of them.
    ///
    /// The result does not depend on the order of `tickets`.
    ///
    /// ```
    /// # use painpoint::discovery::{ThemeConfig, ThemeFinder};
    /// # use painpoint::{Capability, Feature, Product, Tagger, TaggedTicket, Ticket};
    /// # let product = Product::new("bank", "Bank").capability(Capability::new("card", "Card")
    /// #     .feature(Feature::new("card_arrival", "Card arrival").keyword("card not arrived")));
    /// # let tagger = Tagger::new(&product).unwrap();
    /// # let texts = [
    /// #     "My crypto wallet transfer is stuck",
    /// #     "Crypto wallet shows the wrong balance",
    /// #     "Can I move bitcoin to my crypto wallet?",
    /// #     "The crypto wallet is empty after the update",
    /// #     "Please add a dark mode to the app",
    /// #     "Dark mode would be easier on my eyes at night",
    /// #     "Is there a dark mode setting?",
    /// #     "How do I reset my password",
    /// #     "My card not arrived yet",
    /// # ];
    /// # let tickets: Vec<Ticket> = texts.iter().enumerate()
    /// #     .map(|(i, text)| Ticket::new(format!("t{i}"), *text).customer(format!("c{}", i % 3)))
    /// #     .collect();
    /// # let pairs: Vec<(Ticket, TaggedTicket)> = tickets.iter().map(|t| (t.clone(), tagger.tag(t))).collect();
    /// // t0-t3 are about a crypto wallet, t4-t6 about dark mode, t7 a password:
    /// // all unmatched. t8 ("My card not arrived yet") matches card_arrival.
    /// let finder = ThemeFinder::new(&product);
    /// let report = finder.find(&pairs);
    /// assert_eq!(report, finder.find(pairs.iter().rev()));
    /// assert_eq!(report.pool, 8); // t8 matched: not pooled
    /// assert!(report.themes.iter().all(|t| !t.ticket_ids.contains(&"t8".to_string())));
    /// let wallet = report.themes.iter().find(|t| t.ticket_ids.contains(&"t0".to_string())).unwrap();
    /// assert_eq!(wallet.count, 4);
    /// ```
    pub fn find<'a, P: TaggedPair<'a>>(&self, tickets: impl IntoIterator<Item = P>) -> ThemeReport {
        let mut pool: Vec<Entry<'a>> = Vec::new();
        let mut matched: Vec<(f64, Entry<'a>)> = Vec::new();
        for pair in tickets {
            let (ticket, tagged) = (pair.ticket(), pair.tagged());
            let node = tagged.best().map(|b| b.node());
            let entry = Entry {
                ticket,
                node,
                pooled: true,
            };
            if self.in_pool(tagged) {
                pool.push(entry);
            } else if let Some(best) = tagged.best() {
                // How sure the tagger is times how much of the ticket the
                // node's own texts explain: a missing feature's tickets are
                // placed with doubt or explained poorly, often both.
                matched.push((best.score * best.fit, entry));
            }
        }
        let take = self
            .config
            .weak_share
            .map_or(0, |share| (share * matched.len() as f64).round() as usize);
        if take > 0 {
            // Lowest scores first; ties in canonical order.
            matched.sort_by(|a, b| {
                a.0.total_cmp(&b.0)
                    .then_with(|| canonical(a.1.ticket, b.1.ticket))
            });
        }
        pool.extend(matched.iter().take(take).map(|&(_, e)| e));
        if self.config.contrast {
            pool.extend(
                matched
                    .iter()
                    .skip(take)
                    .map(|&(_, e)| Entry { pooled: false, ..e }),
            );
        }
        self.find_in(pool)
    }

    /// Finds the themes among `tickets`, all taken as unmatched: for
    /// tickets not tagged yet, or a pool chosen by the caller.
    ///
    /// The result does not depend on the order of `tickets`.
    ///
    /// ```
    /// # use painpoint::discovery::{ThemeConfig, ThemeFinder};
    /// # use painpoint::{Capability, Feature, Product, Tagger, TaggedTicket, Ticket};
    /// # let product = Product::new("bank", "Bank").capability(Capability::new("card", "Card")
    /// #     .feature(Feature::new("card_arrival", "Card arrival").keyword("card not arrived")));
    /// # let tagger = Tagger::new(&product).unwrap();
    /// # let texts = [
    /// #     "My crypto wallet transfer is stuck",
    /// #     "Crypto wallet shows the wrong balance",
    /// #     "Can I move bitcoin to my crypto wallet?",
    /// #     "The crypto wallet is empty after the update",
    /// #     "Please add a dark mode to the app",
    /// #     "Dark mode would be easier on my eyes at night",
    /// #     "Is there a dark mode setting?",
    /// #     "How do I reset my password",
    /// #     "My card not arrived yet",
    /// # ];
    /// # let tickets: Vec<Ticket> = texts.iter().enumerate()
    /// #     .map(|(i, text)| Ticket::new(format!("t{i}"), *text).customer(format!("c{}", i % 3)))
    /// #     .collect();
    /// # let pairs: Vec<(Ticket, TaggedTicket)> = tickets.iter().map(|t| (t.clone(), tagger.tag(t))).collect();
    /// // t0-t3 are about a crypto wallet, t4-t6 about dark mode, t7 a password:
    /// // all unmatched. t8 ("My card not arrived yet") matches card_arrival.
    /// let finder = ThemeFinder::new(&product);
    /// let report = finder.find_tickets(&tickets);
    /// assert_eq!(report.pool, 9); // t8 too
    /// assert_eq!(report, finder.find_tickets(tickets.iter().rev()));
    /// let dark = report.themes.iter().find(|t| t.ticket_ids.contains(&"t4".to_string())).unwrap();
    /// assert_eq!(dark.ticket_ids, ["t4", "t5", "t6"]);
    /// ```
    pub fn find_tickets<'a>(&self, tickets: impl IntoIterator<Item = &'a Ticket>) -> ThemeReport {
        self.find_in(
            tickets
                .into_iter()
                .map(|ticket| Entry {
                    ticket,
                    node: None,
                    pooled: true,
                })
                .collect(),
        )
    }

    fn find_in(&self, mut entries: Vec<Entry<'_>>) -> ThemeReport {
        entries.sort_by(|a, b| canonical(a.ticket, b.ticket));
        let tickets: Vec<&Ticket> = entries.iter().map(|e| e.ticket).collect();
        let pooled: Vec<bool> = entries.iter().map(|e| e.pooled).collect();
        let spread = self.config.contrast.then(|| Spread::build(&entries));
        let corpus = Corpus::build(&tickets, self.language, &self.config, spread.as_ref());
        let rivals = entries
            .iter()
            .any(|e| !e.pooled)
            .then(|| Rivals::build(&corpus, &entries));
        let mut assign = corpus.seed(&self.config, &pooled);
        let k = assign
            .iter()
            .filter(|&&c| c != NONE)
            .max()
            .map_or(0, |&c| c + 1) as usize;
        let mut clusters = Clusters::new(k);
        // Themes form among the pooled tickets only: recruiting during the
        // rounds lets confident sibling tickets drag a centroid away.
        let pooled_bars = rivals.as_ref().map(|r| r.pooled_bars(&pooled));
        clusters.refine(&corpus, &mut assign, &self.config, pooled_bars.as_deref());
        if let Some(rivals) = &rivals {
            clusters.recruit(&corpus, &mut assign, &pooled, &self.config, &rivals.bar);
        }
        if let Some(spread) = &spread {
            clusters.drop_fillers(&mut assign, spread);
        }
        if let (Some(spread), Some(rivals)) = (&spread, &rivals)
            && self.config.retag
            && self.knows_the_nodes(&entries)
        {
            // A confident ticket is offered to the tagger only when some
            // theme is at least half as close to it as its own node is.
            let bars: Vec<f32> = rivals
                .bar
                .iter()
                .zip(&pooled)
                .map(|(&b, &p)| if p { 0.0 } else { RETAG_BAR * b })
                .collect();
            for _ in 0..RETAG_ROUNDS {
                if self.retag(&tickets, &corpus, &mut assign, &mut clusters, &bars) {
                    clusters.drop_fillers(&mut assign, spread);
                }
            }
        }
        let (themes, members) = self.describe(&tickets, &corpus, &assign, &clusters);
        let themed = themes.iter().map(|t| t.count).sum();
        // By position, not id: two tickets may share an id.
        let mut in_theme = vec![false; entries.len()];
        for &i in members.iter().flatten() {
            in_theme[i] = true;
        }
        let unthemed = entries
            .iter()
            .zip(&in_theme)
            .filter(|&(e, &themed)| e.pooled && !themed)
            .map(|(e, _)| e.ticket.id.clone())
            .collect();
        let recruited = entries
            .iter()
            .zip(&in_theme)
            .filter(|&(e, &themed)| !e.pooled && themed)
            .count();
        ThemeReport {
            pool: entries.iter().filter(|e| e.pooled).count(),
            themed,
            themes,
            unthemed,
            recruited,
        }
    }

    /// Re-tags every ticket with the taxonomy plus the formed themes, each
    /// a would-be feature (its name, and as many of its tickets closest to
    /// its centre as the product's features have examples): a theme keeps
    /// the tickets the tagger gives it over every existing node. Returns
    /// whether it did (not when the extended product fails to compile).
    /// `O(n)` tagger calls plus compiling the extended product.
    fn retag(
        &self,
        tickets: &[&Ticket],
        corpus: &Corpus,
        assign: &mut [u32],
        clusters: &mut Clusters,
        bars: &[f32],
    ) -> bool {
        let k = clusters.centroids.len();
        let mut members: Vec<Vec<usize>> = vec![Vec::new(); k];
        for (i, &c) in assign.iter().enumerate() {
            if c != NONE {
                members[c as usize].push(i);
            }
        }
        let examples = self.examples_per_theme();
        let use_keywords = self.product_uses_keywords();
        let mut taken = self.taken_ids.clone();
        let mut unique = |base: &str| unique_id(&mut taken, base);
        let mut features = Vec::new();
        let mut cluster_of: Vec<u32> = Vec::new();
        for (c, list) in members.iter().enumerate() {
            if list.len() < self.config.min_size {
                continue;
            }
            let centroid = &clusters.centroids[c];
            let theme = self.describe_one(tickets, corpus, list, centroid);
            let mut closest: Vec<(f32, usize)> =
                list.iter().map(|&i| (corpus.dot(i, centroid), i)).collect();
            closest.sort_by(|a, b| b.0.total_cmp(&a.0).then(a.1.cmp(&b.1)));
            features.push(Feature {
                id: unique(&theme.snippet.id),
                name: theme.snippet.name,
                description: None,
                keywords: if use_keywords {
                    theme.snippet.keywords
                } else {
                    Vec::new()
                },
                examples: closest
                    .iter()
                    .take(examples)
                    .map(|&(_, i)| example_of(tickets[i], 1000))
                    .collect(),
                exclude: Vec::new(),
            });
            cluster_of.push(c as u32);
        }
        if features.is_empty() {
            return false;
        }
        let capability = unique("discovered_themes");
        let mut product = self.product.clone();
        product.capabilities.push(Capability {
            id: capability.clone(),
            name: "Discovered themes".to_string(),
            description: None,
            keywords: Vec::new(),
            examples: Vec::new(),
            exclude: Vec::new(),
            features,
        });
        let config = TaggerConfig::default().signals(false).max_matches(1);
        let Ok(tagger) = Tagger::builder().config(config).build(&product) else {
            return false;
        };
        let ids: Vec<&str> = product.capabilities[product.capabilities.len() - 1]
            .features
            .iter()
            .map(|f| f.id.as_str())
            .collect();
        // Only a theme's tickets and those with half the similarity a
        // ticket needs to join a theme are tagged: the rest keep no theme
        // without a tagger call.
        let mut near = assign.to_vec();
        clusters.assign(
            corpus,
            &mut near,
            self.config.min_similarity / 2.0,
            &mut FxMap::default(),
            Some(bars),
        );
        for ((slot, ticket), &close) in assign.iter_mut().zip(tickets).zip(&near) {
            if close == NONE && *slot == NONE {
                continue;
            }
            let tagged = tagger.tag(ticket);
            *slot = tagged
                .best()
                .filter(|best| best.capability == capability)
                .and_then(|best| best.feature.as_deref())
                .and_then(|id| ids.iter().position(|&f| f == id))
                .map_or(NONE, |f| cluster_of[f]);
        }
        clusters.update(corpus, assign, self.config.min_size);
        for slot in assign.iter_mut() {
            if *slot != NONE && clusters.centroids[*slot as usize].is_empty() {
                *slot = NONE;
            }
        }
        true
    }

    /// Whether most confidently matched tickets were matched to nodes of
    /// this finder's product: re-tagging lets themes compete with those
    /// nodes, which it can only do when it knows them.
    fn knows_the_nodes(&self, entries: &[Entry<'_>]) -> bool {
        let mut ids: Vec<&str> = self.taken_ids.iter().map(String::as_str).collect();
        ids.sort_unstable();
        let (mut known, mut all) = (0usize, 0usize);
        for e in entries.iter().filter(|e| !e.pooled) {
            if let Some(node) = e.node {
                all += 1;
                known += usize::from(ids.binary_search(&node).is_ok());
            }
        }
        all > 0 && known * 2 >= all
    }

    /// As many examples as the product's features have (the median), so a
    /// theme competes with them on equal terms; at least the representatives.
    fn examples_per_theme(&self) -> usize {
        let mut counts: Vec<usize> = self
            .product
            .capabilities
            .iter()
            .flat_map(|c| c.features.iter().map(|f| f.examples.len()))
            .collect();
        counts.sort_unstable();
        let median = counts.get(counts.len() / 2).copied().unwrap_or(0);
        median.clamp(self.config.representatives.max(1), MAX_THEME_EXAMPLES)
    }

    /// Whether most of the product's features have keywords (then a theme
    /// gets its top words as keywords too).
    fn product_uses_keywords(&self) -> bool {
        let (mut with, mut all) = (0, 0);
        for feature in self.product.capabilities.iter().flat_map(|c| &c.features) {
            all += 1;
            with += usize::from(!feature.keywords.is_empty());
        }
        with * 2 > all
    }

    /// The reported themes, largest first, with the positions of their
    /// tickets in `pool`.
    fn describe(
        &self,
        pool: &[&Ticket],
        corpus: &Corpus,
        assign: &[u32],
        clusters: &Clusters,
    ) -> (Vec<Theme>, Vec<Vec<usize>>) {
        let k = clusters.centroids.len();
        let mut members: Vec<Vec<usize>> = vec![Vec::new(); k];
        for (i, &c) in assign.iter().enumerate() {
            if c != NONE {
                members[c as usize].push(i);
            }
        }
        let mut drafts: Vec<(Theme, Vec<usize>)> = Vec::new();
        for (c, list) in members.into_iter().enumerate() {
            if list.len() < self.config.min_size {
                continue;
            }
            let theme = self.describe_one(pool, corpus, &list, &clusters.centroids[c]);
            drafts.push((theme, list));
        }
        drafts.sort_by(|(a, x), (b, y)| {
            b.count
                .cmp(&a.count)
                .then_with(|| a.name.cmp(&b.name))
                .then_with(|| a.ticket_ids.cmp(&b.ticket_ids))
                .then_with(|| x.cmp(y))
        });
        drafts.truncate(self.config.max_themes);
        let (mut drafts, lists): (Vec<Theme>, Vec<Vec<usize>>) = drafts.into_iter().unzip();
        // Snippet ids unique among themes and apart from the product's ids.
        let mut taken = self.taken_ids.clone();
        for theme in &mut drafts {
            theme.snippet.id = unique_id(&mut taken, &theme.snippet.id);
        }
        (drafts, lists)
    }

    fn describe_one(
        &self,
        pool: &[&Ticket],
        corpus: &Corpus,
        list: &[usize],
        centroid: &[(u32, f32)],
    ) -> Theme {
        let size = list.len();
        let n = corpus.len();
        // Stems over-represented in the group (local mutual information
        // against the whole pool), with their most frequent surface word.
        let mut in_group: FxMap<u32, u32> = FxMap::default();
        for &i in list {
            for &s in corpus.stems_of(i) {
                *in_group.entry(s).or_default() += 1;
            }
        }
        let floor = (size as f64 * 0.1).max(2.0);
        let mut scored: Vec<(f64, u32)> = in_group
            .iter()
            .filter(|&(&s, &c)| f64::from(c) >= floor && !corpus.is_filler(s))
            .filter_map(|(&s, &c)| {
                let c = f64::from(c);
                // The pool plus one empty ticket, as in seeding: a theme
                // that is the whole pool still has terms.
                let lift = (c / size as f64) / (f64::from(corpus.df[s as usize]) / (n + 1) as f64);
                (lift > 1.0).then(|| (c * lift.ln(), s))
            })
            .collect();
        scored.sort_by(|a, b| b.0.total_cmp(&a.0).then(a.1.cmp(&b.1)));
        scored.truncate(8);
        let top: Vec<u32> = scored.iter().map(|&(_, s)| s).collect();

        let surface = surfaces(corpus, list, &top);
        let terms: Vec<String> = top.iter().map(|s| surface[s].clone()).collect();
        let name = name_of(corpus, list, &top, &surface);

        // Representatives: closest to the centroid, ties by canonical order.
        let mut closest: Vec<(f32, usize)> =
            list.iter().map(|&i| (corpus.dot(i, centroid), i)).collect();
        closest.sort_by(|a, b| b.0.total_cmp(&a.0).then(a.1.cmp(&b.1)));
        let reps: Vec<usize> = closest
            .iter()
            .take(self.config.representatives)
            .map(|&(_, i)| i)
            .collect();

        let mut weeks: std::collections::BTreeMap<String, usize> = Default::default();
        for &i in list {
            if let Some(at) = pool[i].created_at {
                *weeks.entry(iso_week(at)).or_default() += 1;
            }
        }
        let trend = weeks
            .into_iter()
            .map(|(week, count)| WeekCount { week, count })
            .collect();

        let mut keywords: Vec<String> = Vec::new();
        if name.contains(' ') {
            keywords.push(name.clone());
        }
        for term in terms.iter().take(4) {
            if !keywords.iter().any(|k| k.split(' ').any(|w| w == term)) {
                keywords.push(term.clone());
            }
        }
        let snippet = Feature {
            id: slug(&name),
            name: capitalise(&name),
            description: Some(format!(
                "Discovered among {size} tickets; top terms: {}.",
                terms.join(", ")
            )),
            keywords,
            examples: reps.iter().map(|&i| example_of(pool[i], 300)).collect(),
            exclude: Vec::new(),
        };
        Theme {
            name,
            terms,
            count: size,
            customers: count_customers(list.iter().map(|&i| pool[i])),
            ticket_ids: list.iter().map(|&i| pool[i].id.clone()).collect(),
            representatives: reps.iter().map(|&i| pool[i].id.clone()).collect(),
            trend,
            snippet,
        }
    }
}

const NONE: u32 = u32::MAX;

/// Times the themes are re-tagged as would-be features: the second time,
/// each theme's examples are the tickets the first re-tagging gave it.
const RETAG_ROUNDS: usize = 2;

/// A confident ticket is re-tagged when some theme's cosine reaches this
/// share of its closest node's.
const RETAG_BAR: f32 = 0.5;

/// The most examples a theme gets when it is re-tagged as a feature.
const MAX_THEME_EXAMPLES: usize = 50;

/// A ticket handed to the clustering: its best match's node, and whether it
/// is in the pool (else it can only be recruited, under contrast).
#[derive(Clone, Copy)]
struct Entry<'a> {
    ticket: &'a Ticket,
    node: Option<&'a str>,
    pooled: bool,
}

/// What the taxonomy already explains, seen through the tickets: per matched
/// node, the centroid of the tickets it matched confidently (outside the
/// pool).
struct Rivals {
    /// Per ticket, what a theme must beat to take it: for a pooled ticket
    /// the tagger placed, its cosine with that node's centroid; for the
    /// others, with the closest node centroid.
    bar: Vec<f32>,
}

/// Node centroids kept per stem when finding a ticket's closest node: the
/// heaviest, so a stem shared by many nodes costs a bounded amount.
const RIVALS_PER_STEM: usize = 64;

impl Rivals {
    /// `O(n t r)` with `t` stems per ticket and `r` at most
    /// [`RIVALS_PER_STEM`], plus sorting the node ids.
    fn build(corpus: &Corpus, entries: &[Entry<'_>]) -> Rivals {
        let mut nodes: Vec<&str> = entries.iter().filter_map(|e| e.node).collect();
        nodes.sort_unstable();
        nodes.dedup();
        let mut sums: Vec<Vec<(u32, f32)>> = vec![Vec::new(); nodes.len()];
        for (i, e) in entries.iter().enumerate() {
            let node = e.node.and_then(|n| nodes.binary_search(&n).ok());
            if let (false, Some(n)) = (e.pooled, node) {
                sums[n].extend_from_slice(corpus.vector(i));
            }
        }
        // Inverted index: stem -> (node, weight), heaviest first.
        let mut postings: Vec<Vec<(u32, f32)>> = vec![Vec::new(); corpus.df.len()];
        for (n, mut terms) in sums.into_iter().enumerate() {
            terms.sort_by_key(|&(s, _)| s);
            let mut centroid: Vec<(u32, f32)> = Vec::new();
            for (s, w) in terms {
                match centroid.last_mut() {
                    Some(last) if last.0 == s => last.1 += w,
                    _ => centroid.push((s, w)),
                }
            }
            normalise_centroid(&mut centroid);
            for (s, w) in centroid {
                postings[s as usize].push((n as u32, w));
            }
        }
        for list in &mut postings {
            list.sort_by(|a, b| b.1.total_cmp(&a.1).then(a.0.cmp(&b.0)));
            list.truncate(RIVALS_PER_STEM);
        }
        let mut scores = vec![0f32; nodes.len()];
        let mut touched: Vec<u32> = Vec::new();
        let bar = (0..corpus.len())
            .map(|i| {
                for &(s, w) in corpus.vector(i) {
                    for &(n, nw) in &postings[s as usize] {
                        if scores[n as usize] == 0.0 {
                            touched.push(n);
                        }
                        scores[n as usize] += w * nw;
                    }
                }
                let mut closest = 0f32;
                for &n in &touched {
                    closest = closest.max(scores[n as usize]);
                }
                // A pooled ticket the tagger placed leaves its node for a
                // theme that explains it better than the node's confident
                // tickets do; an unmatched one must beat the closest node.
                let own = entries[i]
                    .node
                    .filter(|_| entries[i].pooled)
                    .and_then(|n| nodes.binary_search(&n).ok());
                let bar = own.map_or(closest, |n| scores[n]);
                for &n in &touched {
                    scores[n as usize] = 0.0;
                }
                touched.clear();
                bar
            })
            .collect();
        Rivals { bar }
    }

    /// The bars while themes form: only pooled tickets may join.
    fn pooled_bars(&self, pooled: &[bool]) -> Vec<f32> {
        self.bar
            .iter()
            .zip(pooled)
            .map(|(&b, &p)| if p { b } else { f32::INFINITY })
            .collect()
    }
}

/// Per entry, the index of its best match's node (node indices follow the
/// sorted node ids), or [`NONE`] when it is unmatched.
fn node_indices(entries: &[Entry<'_>]) -> Vec<u32> {
    let mut nodes: Vec<&str> = entries.iter().filter_map(|e| e.node).collect();
    nodes.sort_unstable();
    nodes.dedup();
    entries
        .iter()
        .map(|e| {
            e.node
                .and_then(|node| nodes.binary_search(&node).ok())
                .map_or(NONE, |n| n as u32)
        })
        .collect()
}

/// The effective number of nodes of a count per node, `(sum c)^2 / sum
/// c^2`: `m` when `m` nodes share the tickets evenly, 1 when one node holds
/// them all, 0 without tickets.
fn effective_nodes(counts: impl IntoIterator<Item = f64>) -> f64 {
    let (mut total, mut squares) = (0.0, 0.0);
    for c in counts {
        total += c;
        squares += c * c;
    }
    if squares > 0.0 {
        total * total / squares
    } else {
        0.0
    }
}

/// The tickets of a stem or a theme are spread like fillers when their
/// nodes are at least this share as many (effective number) as the nodes of
/// all confident tickets.
const FILLER_SPREAD: f64 = 0.5;

/// How the taxonomy's confident tickets spread over its nodes: the yardstick
/// for fillers, stems and themes about how people write rather than what
/// about ("since yesterday", "quick question", "don't know").
struct Spread {
    /// Per entry, its node if it was matched confidently (outside the
    /// pool), else [`NONE`].
    confident: Vec<u32>,
    /// Per entry, its best match's node, or [`NONE`].
    nodes: Vec<u32>,
    /// The effective number of nodes of the confident tickets.
    effective: f64,
}

impl Spread {
    fn build(entries: &[Entry<'_>]) -> Spread {
        let nodes = node_indices(entries);
        let confident: Vec<u32> = nodes
            .iter()
            .zip(entries)
            .map(|(&n, e)| if e.pooled { NONE } else { n })
            .collect();
        let mut counts: FxMap<u32, f64> = FxMap::default();
        for &n in &confident {
            if n != NONE {
                *counts.entry(n).or_default() += 1.0;
            }
        }
        // Too few nodes to tell a filler from a topic: none is one.
        let effective = if counts.len() < 4 {
            f64::INFINITY
        } else {
            effective_nodes(counts.into_values())
        };
        Spread {
            confident,
            nodes,
            effective,
        }
    }

    fn is_spread(&self, effective: f64) -> bool {
        effective >= FILLER_SPREAD * self.effective
    }

    /// Stems whose confident tickets spread over the nodes like fillers,
    /// marked `true` by stem id. A stem no confident ticket uses (a new
    /// topic's own words) is never one; nor is a rare stem, whose few
    /// tickets cannot reach half the nodes. `O(n t)` for `n` tickets of `t`
    /// stems.
    fn filler_stems<'s>(&self, stems: usize, stems_of: impl Fn(usize) -> &'s [u32]) -> Vec<bool> {
        let mut filler = vec![false; stems];
        if !self.effective.is_finite() {
            return filler;
        }
        let mut per: FxMap<(u32, u32), f64> = FxMap::default();
        for (i, &node) in self.confident.iter().enumerate() {
            if node != NONE {
                for &s in stems_of(i) {
                    *per.entry((s, node)).or_default() += 1.0;
                }
            }
        }
        let mut total = vec![0f64; stems];
        let mut squares = vec![0f64; stems];
        for (&(s, _), &c) in &per {
            total[s as usize] += c;
            squares[s as usize] += c * c;
        }
        for s in 0..stems {
            if squares[s] > 0.0 {
                filler[s] = self.is_spread(total[s] * total[s] / squares[s]);
            }
        }
        filler
    }

    /// Whether a group's matched tickets (pooled or not) spread over the
    /// nodes like fillers. `O(size)`.
    fn is_filler_group(&self, list: &[usize]) -> bool {
        let mut counts: FxMap<u32, f64> = FxMap::default();
        for &i in list {
            let n = self.nodes[i];
            if n != NONE {
                *counts.entry(n).or_default() += 1.0;
            }
        }
        self.effective.is_finite() && self.is_spread(effective_nodes(counts.into_values()))
    }
}

/// Sorts a summed centroid heaviest first, keeps its [`CENTROID_TERMS`]
/// heaviest stems and scales it to unit length.
fn normalise_centroid(centroid: &mut Vec<(u32, f32)>) {
    centroid.sort_by(|a, b| b.1.total_cmp(&a.1).then(a.0.cmp(&b.0)));
    centroid.truncate(CENTROID_TERMS);
    let norm = centroid.iter().map(|&(_, w)| w * w).sum::<f32>().sqrt();
    if norm > 0.0 {
        for entry in centroid.iter_mut() {
            entry.1 /= norm;
        }
    }
}

/// The pool, analysed: word sequences, stem sets and weighted vectors.
struct Corpus {
    prep: Prep,
    /// Word ids per ticket, in text order (CSR).
    seq_off: Vec<usize>,
    seq: Vec<u32>,
    /// Distinct content stems per ticket, sorted (CSR).
    stem_off: Vec<usize>,
    stems: Vec<u32>,
    /// Kept stems and their weights per ticket, heaviest first (CSR).
    vec_off: Vec<usize>,
    vec: Vec<(u32, f32)>,
    df: Vec<u32>,
    /// Filler stems by id (see [`Spread`]); empty without contrast.
    filler: Vec<bool>,
}

impl Corpus {
    /// Under contrast, `spread` marks filler stems, which are left out of
    /// the vectors and of the themes' terms.
    fn build(
        pool: &[&Ticket],
        language: Language,
        config: &ThemeConfig,
        spread: Option<&Spread>,
    ) -> Corpus {
        let mut prep = Prep::new(language);
        let mut seq_off = Vec::with_capacity(pool.len() + 1);
        let mut seq = Vec::new();
        let mut stem_off = Vec::with_capacity(pool.len() + 1);
        let mut stems = Vec::new();
        seq_off.push(0);
        stem_off.push(0);
        for ticket in pool {
            let start = seq.len();
            prep.push_ticket(ticket, config.max_tokens, &mut seq);
            let first = stems.len();
            for &w in &seq[start..] {
                let word = prep.word(w);
                if word.content {
                    stems.push(word.stem);
                }
            }
            stems[first..].sort_unstable();
            let mut write = first;
            for read in first..stems.len() {
                if write == first || stems[write - 1] != stems[read] {
                    stems[write] = stems[read];
                    write += 1;
                }
            }
            stems.truncate(write);
            seq_off.push(seq.len());
            stem_off.push(stems.len());
        }
        let n = pool.len();
        let mut df = vec![0u32; prep.stems.len()];
        for &s in &stems {
            df[s as usize] += 1;
        }
        let max_df = if n < 20 {
            u32::MAX
        } else {
            ((config.max_df * n as f64).floor() as u32).max(2)
        };
        let filler = spread.map_or_else(Vec::new, |spread| {
            spread.filler_stems(df.len(), |i| &stems[stem_off[i]..stem_off[i + 1]])
        });
        let mut vec_off = Vec::with_capacity(n + 1);
        let mut vec = Vec::new();
        vec_off.push(0);
        for i in 0..n {
            let first = vec.len();
            for &s in &stems[stem_off[i]..stem_off[i + 1]] {
                let d = df[s as usize];
                if d >= 2 && d <= max_df && !filler.get(s as usize).copied().unwrap_or(false) {
                    let idf = ((n + 1) as f64 / f64::from(d)).ln() + 1.0;
                    vec.push((s, idf as f32));
                }
            }
            let kept = &mut vec[first..];
            kept.sort_by(|a, b| b.1.total_cmp(&a.1).then(a.0.cmp(&b.0)));
            let keep = kept.len().min(config.max_terms);
            vec.truncate(first + keep);
            let norm = vec[first..].iter().map(|&(_, w)| w * w).sum::<f32>().sqrt();
            if norm > 0.0 {
                for entry in &mut vec[first..] {
                    entry.1 /= norm;
                }
            }
            vec_off.push(vec.len());
        }
        Corpus {
            prep,
            seq_off,
            seq,
            stem_off,
            stems,
            vec_off,
            vec,
            df,
            filler,
        }
    }

    fn is_filler(&self, stem: u32) -> bool {
        self.filler.get(stem as usize).copied().unwrap_or(false)
    }

    fn len(&self) -> usize {
        self.vec_off.len() - 1
    }

    fn words_of(&self, i: usize) -> &[u32] {
        &self.seq[self.seq_off[i]..self.seq_off[i + 1]]
    }

    fn stems_of(&self, i: usize) -> &[u32] {
        &self.stems[self.stem_off[i]..self.stem_off[i + 1]]
    }

    fn vector(&self, i: usize) -> &[(u32, f32)] {
        &self.vec[self.vec_off[i]..self.vec_off[i + 1]]
    }

    /// Cosine of ticket `i` with a sparse, sorted-by-weight centroid.
    fn dot(&self, i: usize, centroid: &[(u32, f32)]) -> f32 {
        let mut sum = 0.0;
        for &(s, w) in self.vector(i) {
            if let Some(&(_, cw)) = centroid.iter().find(|&&(cs, _)| cs == s) {
                sum += w * cw;
            }
        }
        sum
    }

    /// Initial groups: each pooled ticket votes for its best stem pair.
    fn seed(&self, config: &ThemeConfig, pooled: &[bool]) -> Vec<u32> {
        let n = self.len();
        let top = |i: usize| {
            let v = if pooled[i] { self.vector(i) } else { &[] };
            &v[..v.len().min(config.seed_terms)]
        };
        let key = |a: u32, b: u32| (u64::from(a.min(b)) << 32) | u64::from(a.max(b));
        let mut pairs: FxMap<u64, u32> = FxMap::default();
        for i in 0..n {
            let v = top(i);
            for x in 0..v.len() {
                for y in x + 1..v.len() {
                    *pairs.entry(key(v[x].0, v[y].0)).or_default() += 1;
                }
            }
        }
        let min = config.min_size as u32;
        let score = |pair: u64, count: u32| -> f64 {
            let a = (pair >> 32) as usize;
            let b = (pair & 0xffff_ffff) as usize;
            let c = f64::from(count);
            // Against the pool plus one empty ticket, so that a pair every
            // ticket shares (a pool that is one theme) still scores above 0.
            c * (c * (n + 1) as f64 / (f64::from(self.df[a]) * f64::from(self.df[b]))).ln()
        };
        let mut votes: FxMap<u64, u32> = FxMap::default();
        let mut vote = vec![u64::MAX; n];
        for (i, slot) in vote.iter_mut().enumerate() {
            let v = top(i);
            let mut best: Option<(f64, u64)> = None;
            for x in 0..v.len() {
                for y in x + 1..v.len() {
                    let pair = key(v[x].0, v[y].0);
                    let count = pairs[&pair];
                    if count < min {
                        continue;
                    }
                    let s = score(pair, count);
                    if s > 0.0 && best.is_none_or(|(bs, bp)| s > bs || (s == bs && pair < bp)) {
                        best = Some((s, pair));
                    }
                }
            }
            if let Some((_, pair)) = best {
                *slot = pair;
                *votes.entry(pair).or_default() += 1;
            }
        }
        let mut seeds: Vec<(u32, u64)> = votes
            .into_iter()
            .filter(|&(_, c)| c >= min)
            .map(|(p, c)| (c, p))
            .collect();
        seeds.sort_by(|a, b| b.0.cmp(&a.0).then(a.1.cmp(&b.1)));
        seeds.truncate(config.max_seeds);
        let index: FxMap<u64, u32> = seeds
            .iter()
            .enumerate()
            .map(|(c, &(_, p))| (p, c as u32))
            .collect();
        vote.iter()
            .map(|p| index.get(p).copied().unwrap_or(NONE))
            .collect()
    }
}

/// Centroids and the inverted index from stem to centroids.
struct Clusters {
    centroids: Vec<Vec<(u32, f32)>>,
}

const CENTROID_TERMS: usize = 24;

/// A ticket whose second-best group scores at least this share of its best
/// is torn between the two.
const AMBIGUOUS: f32 = 0.8;

/// Two groups merge when torn tickets reach this share of the smaller.
const TORN_SHARE: f64 = 0.25;

impl Clusters {
    fn new(k: usize) -> Clusters {
        Clusters {
            centroids: vec![Vec::new(); k],
        }
    }

    /// Recomputes every centroid from its members; groups below `min_size`
    /// get an empty centroid (they dissolve).
    fn update(&mut self, corpus: &Corpus, assign: &[u32], min_size: usize) {
        let k = self.centroids.len();
        let mut members: Vec<Vec<usize>> = vec![Vec::new(); k];
        for (i, &c) in assign.iter().enumerate() {
            if c != NONE {
                members[c as usize].push(i);
            }
        }
        let mut dense = vec![0f32; corpus.df.len()];
        let mut touched: Vec<u32> = Vec::new();
        for (c, list) in members.iter().enumerate() {
            let centroid = &mut self.centroids[c];
            centroid.clear();
            if list.len() < min_size {
                continue;
            }
            for &i in list {
                for &(s, w) in corpus.vector(i) {
                    if dense[s as usize] == 0.0 {
                        touched.push(s);
                    }
                    dense[s as usize] += w;
                }
            }
            for &s in &touched {
                centroid.push((s, dense[s as usize]));
                dense[s as usize] = 0.0;
            }
            touched.clear();
            normalise_centroid(centroid);
        }
    }

    /// Assigns each ticket to its most similar centroid; returns how many
    /// tickets changed group.
    fn assign(
        &self,
        corpus: &Corpus,
        assign: &mut [u32],
        min_similarity: f64,
        ambiguous: &mut FxMap<(u32, u32), u32>,
        bars: Option<&[f32]>,
    ) -> usize {
        ambiguous.clear();
        let mut postings: Vec<Vec<(u32, f32)>> = vec![Vec::new(); corpus.df.len()];
        for (c, centroid) in self.centroids.iter().enumerate() {
            for &(s, w) in centroid {
                postings[s as usize].push((c as u32, w));
            }
        }
        let mut scores = vec![0f32; self.centroids.len()];
        let mut touched: Vec<u32> = Vec::new();
        let mut changed = 0;
        for (i, slot) in assign.iter_mut().enumerate() {
            for &(s, w) in corpus.vector(i) {
                for &(c, cw) in &postings[s as usize] {
                    if scores[c as usize] == 0.0 {
                        touched.push(c);
                    }
                    scores[c as usize] += w * cw;
                }
            }
            let mut best = NONE;
            let mut best_score = 0f32;
            let mut second = NONE;
            let mut second_score = 0f32;
            let bar = bars.map_or(0.0, |b| b[i]);
            for &c in &touched {
                let s = scores[c as usize];
                if f64::from(s) >= min_similarity && s > bar {
                    if best == NONE || s > best_score || (s == best_score && c < best) {
                        (second, second_score) = (best, best_score);
                        (best, best_score) = (c, s);
                    } else if second == NONE
                        || s > second_score
                        || (s == second_score && c < second)
                    {
                        (second, second_score) = (c, s);
                    }
                }
                scores[c as usize] = 0.0;
            }
            touched.clear();
            // A ticket torn between two groups is a vote to merge them.
            if second != NONE && second_score >= AMBIGUOUS * best_score {
                *ambiguous
                    .entry((best.min(second), best.max(second)))
                    .or_default() += 1;
            }
            if *slot != best {
                *slot = best;
                changed += 1;
            }
        }
        changed
    }

    /// Merges centroids at least `threshold` similar (union-find over
    /// groups), relabelling the assignment.
    fn merge(&mut self, assign: &mut [u32], threshold: f64) -> bool {
        let k = self.centroids.len();
        let mut parent: Vec<u32> = (0..k as u32).collect();
        fn root(parent: &mut [u32], mut x: u32) -> u32 {
            while parent[x as usize] != x {
                parent[x as usize] = parent[parent[x as usize] as usize];
                x = parent[x as usize];
            }
            x
        }
        let mut postings: FxMap<u32, Vec<(u32, f32)>> = FxMap::default();
        for (c, centroid) in self.centroids.iter().enumerate() {
            for &(s, w) in centroid {
                postings.entry(s).or_default().push((c as u32, w));
            }
        }
        let mut merged = false;
        let mut scores = vec![0f32; k];
        for c in 0..k {
            for &(s, w) in &self.centroids[c] {
                for &(other, ow) in &postings[&s] {
                    if other as usize > c {
                        scores[other as usize] += w * ow;
                    }
                }
            }
            for (other, score) in scores.iter_mut().enumerate().skip(c + 1) {
                if f64::from(*score) >= threshold {
                    let (a, b) = (root(&mut parent, c as u32), root(&mut parent, other as u32));
                    if a != b {
                        // The smaller index survives: deterministic.
                        parent[a.max(b) as usize] = a.min(b);
                        merged = true;
                    }
                }
                *score = 0.0;
            }
        }
        if merged {
            for slot in assign.iter_mut() {
                if *slot != NONE {
                    *slot = root(&mut parent, *slot);
                }
            }
        }
        merged
    }

    fn refine(
        &mut self,
        corpus: &Corpus,
        assign: &mut [u32],
        config: &ThemeConfig,
        bars: Option<&[f32]>,
    ) {
        let rounds = config.rounds.max(1);
        let mut ambiguous: FxMap<(u32, u32), u32> = FxMap::default();
        for round in 0..rounds {
            self.update(corpus, assign, config.min_size);
            let mut merged = self.merge(assign, config.merge_similarity);
            if round > 0 {
                merged |= merge_torn(assign, &ambiguous);
            }
            if merged {
                self.update(corpus, assign, config.min_size);
            }
            let changed = self.assign(corpus, assign, config.min_similarity, &mut ambiguous, bars);
            if changed == 0 && round > 0 && !merged {
                break;
            }
        }
        self.update(corpus, assign, config.min_size);
        // Tickets of dissolved groups are unthemed.
        for slot in assign.iter_mut() {
            if *slot != NONE && self.centroids[*slot as usize].is_empty() {
                *slot = NONE;
            }
        }
    }
}

impl Clusters {
    /// One last pass over the tickets outside the pool, once the themes are
    /// formed and their centroids fixed: each joins its closest theme if it
    /// is closer to it than `bar` (its closest rival). Pooled tickets keep
    /// their theme. `O(n t p)`, like a round.
    fn recruit(
        &self,
        corpus: &Corpus,
        assign: &mut [u32],
        pooled: &[bool],
        config: &ThemeConfig,
        bar: &[f32],
    ) {
        let formed = assign.to_vec();
        let mut ambiguous = FxMap::default();
        self.assign(
            corpus,
            assign,
            config.min_similarity,
            &mut ambiguous,
            Some(bar),
        );
        for ((slot, &was), &in_pool) in assign.iter_mut().zip(&formed).zip(pooled) {
            if in_pool {
                *slot = was;
            }
        }
    }
}

impl Clusters {
    /// Dissolves the groups whose tickets the tagger spread over the nodes
    /// like fillers: they gathered around how people write ("we keep
    /// hitting ... and it costs us hours"), not around a topic. `O(n)`.
    fn drop_fillers(&mut self, assign: &mut [u32], spread: &Spread) {
        let mut members: Vec<Vec<usize>> = vec![Vec::new(); self.centroids.len()];
        for (i, &c) in assign.iter().enumerate() {
            if c != NONE {
                members[c as usize].push(i);
            }
        }
        for (c, list) in members.iter().enumerate() {
            if !list.is_empty() && spread.is_filler_group(list) {
                self.centroids[c].clear();
                for &i in list {
                    assign[i] = NONE;
                }
            }
        }
    }
}

/// Merges groups with many tickets torn between them; pairs are visited in
/// order so the result does not depend on hash-table order.
fn merge_torn(assign: &mut [u32], ambiguous: &FxMap<(u32, u32), u32>) -> bool {
    let k = assign
        .iter()
        .filter(|&&c| c != NONE)
        .max()
        .map_or(0, |&c| c as usize + 1);
    let mut size = vec![0u32; k];
    for &c in assign.iter() {
        if c != NONE {
            size[c as usize] += 1;
        }
    }
    let mut pairs: Vec<(&(u32, u32), &u32)> = ambiguous.iter().collect();
    pairs.sort_unstable();
    let mut parent: Vec<u32> = (0..k as u32).collect();
    fn root(parent: &mut [u32], mut x: u32) -> u32 {
        while parent[x as usize] != x {
            parent[x as usize] = parent[parent[x as usize] as usize];
            x = parent[x as usize];
        }
        x
    }
    let mut merged = false;
    for (&(a, b), &torn) in pairs {
        let (a, b) = (a as usize, b as usize);
        if a >= k || b >= k {
            continue;
        }
        let smaller = size[a].min(size[b]).max(1);
        if f64::from(torn) >= TORN_SHARE * f64::from(smaller) {
            let (ra, rb) = (root(&mut parent, a as u32), root(&mut parent, b as u32));
            if ra != rb {
                parent[ra.max(rb) as usize] = ra.min(rb);
                merged = true;
            }
        }
    }
    if merged {
        for slot in assign.iter_mut() {
            if *slot != NONE {
                *slot = root(&mut parent, *slot);
            }
        }
    }
    merged
}

/// The most frequent surface word of each stem in `top` among `list`.
fn surfaces(corpus: &Corpus, list: &[usize], top: &[u32]) -> FxMap<u32, String> {
    let mut counts: FxMap<u32, u32> = FxMap::default();
    for &i in list {
        for &w in corpus.words_of(i) {
            if top.contains(&corpus.prep.word(w).stem) {
                *counts.entry(w).or_default() += 1;
            }
        }
    }
    let mut best: FxMap<u32, (u32, &str)> = FxMap::default();
    for (&w, &count) in &counts {
        let word = corpus.prep.word(w);
        let entry = best.entry(word.stem).or_insert((0, ""));
        if count > entry.0 || (count == entry.0 && word.folded.as_str() < entry.1) {
            *entry = (count, word.folded.as_str());
        }
    }
    top.iter()
        .map(|&s| {
            let word = best
                .get(&s)
                .map_or(corpus.prep.stems[s as usize].as_str(), |b| b.1);
            (s, word.to_string())
        })
        .collect()
}

/// A name: the most frequent phrase of two or three words that starts and
/// ends with a content word (joined by anything but support boilerplate)
/// and holds two of the top five stems; else the
/// surface words of the top two stems in their usual text order.
fn name_of(corpus: &Corpus, list: &[usize], top: &[u32], surface: &FxMap<u32, String>) -> String {
    let head = &top[..top.len().min(5)];
    if head.is_empty() {
        return "unnamed".to_string();
    }
    // Phrases as fixed triples (a two-word phrase ends in NONE).
    let mut phrases: FxMap<[u32; 3], u32> = FxMap::default();
    let mut seen: Vec<[u32; 3]> = Vec::new();
    for &i in list {
        let words = corpus.words_of(i);
        seen.clear();
        for start in 0..words.len() {
            for len in 2..=3 {
                let Some(window) = words.get(start..start + len) else {
                    break;
                };
                let first = corpus.prep.word(window[0]);
                let last = corpus.prep.word(window[len - 1]);
                if !first.content || !last.content || first.stem == last.stem {
                    continue;
                }
                if len == 3 && corpus.prep.word(window[1]).boilerplate {
                    continue;
                }
                // Two overlapping bigrams ("应用", "用闪") are three
                // characters cut out of a run, seldom a phrase; two apart
                // ("应用", "用闪", "闪退") are four.
                if len == 2 && pair_overlap(&first.folded, &last.folded).is_some() {
                    continue;
                }
                if !head.contains(&first.stem) || !head.contains(&last.stem) {
                    continue;
                }
                let key = [window[0], window[1], window.get(2).copied().unwrap_or(NONE)];
                if !seen.contains(&key) {
                    seen.push(key);
                }
            }
        }
        for &key in &seen {
            *phrases.entry(key).or_default() += 1;
        }
    }
    let text = |phrase: &[u32; 3]| {
        join_words(
            phrase
                .iter()
                .filter(|&&w| w != NONE)
                .map(|&w| corpus.prep.word(w).folded.as_str()),
        )
    };
    let mut best: Option<(u32, String)> = None;
    for (phrase, &count) in &phrases {
        if best.as_ref().is_some_and(|(bc, _)| count < *bc) {
            continue;
        }
        let t = text(phrase);
        if best
            .as_ref()
            .is_none_or(|(bc, bt)| count > *bc || (count == *bc && t < *bt))
        {
            best = Some((count, t));
        }
    }
    if let Some((count, phrase)) = best
        && f64::from(count) >= 0.2 * list.len() as f64
    {
        return phrase;
    }
    if head.len() == 1 {
        return surface[&head[0]].clone();
    }
    // The top two words, in the order they usually appear.
    let (a, b) = (head[0], head[1]);
    let mut a_first = 0i64;
    for &i in list {
        let words = corpus.words_of(i);
        let pos = |s: u32| words.iter().position(|&w| corpus.prep.word(w).stem == s);
        if let (Some(pa), Some(pb)) = (pos(a), pos(b)) {
            a_first += if pa < pb { 1 } else { -1 };
        }
    }
    let (x, y) = if a_first >= 0 { (a, b) } else { (b, a) };
    format!("{} {}", surface[&x], surface[&y])
}

/// `base`, or `base_2`, `base_3` ... if taken; the id returned is taken
/// from then on.
fn unique_id(taken: &mut Vec<String>, base: &str) -> String {
    let mut id = base.to_string();
    let mut n = 2;
    while taken.contains(&id) {
        id = format!("{base}_{n}");
        n += 1;
    }
    taken.push(id.clone());
    id
}

fn node_ids(product: &Product) -> Vec<String> {
    let mut ids = Vec::new();
    for cap in &product.capabilities {
        ids.push(cap.id.clone());
        for feature in &cap.features {
            ids.push(feature.id.clone());
        }
    }
    ids
}

/// "Card declined!" -> "card_declined".
fn slug(name: &str) -> String {
    let mut out = String::new();
    for c in name.chars() {
        if c.is_alphanumeric() {
            out.extend(c.to_lowercase());
        } else if !out.is_empty() && !out.ends_with('_') {
            out.push('_');
        }
    }
    while out.ends_with('_') {
        out.pop();
    }
    if out.is_empty() {
        out.push_str("theme");
    }
    out
}

fn capitalise(name: &str) -> String {
    let mut chars = name.chars();
    match chars.next() {
        Some(first) => first.to_uppercase().chain(chars).collect(),
        None => String::new(),
    }
}

/// At most `max` bytes of `text`, on a char boundary, with "..." if cut.
/// A ticket as a feature example: its subject and then its body's lines,
/// without the email boilerplate the analysis skipped (a signature taught
/// to a feature would match every mail its sender writes), cut to at most
/// `max` bytes. Never empty for a ticket with a word in it: a ticket told
/// in its subject alone is its subject.
fn example_of(ticket: &Ticket, max: usize) -> String {
    let body = blank_boilerplate(&ticket.text);
    let lines: Vec<&str> = ticket
        .subject
        .iter()
        .flat_map(|s| s.lines())
        .chain(body.lines())
        .map(str::trim)
        .filter(|line| !line.is_empty())
        .collect();
    crate::error::clip(&lines.join("\n"), max)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn slugs() {
        assert_eq!(slug("card declined"), "card_declined");
        assert_eq!(slug("Top-up  failed!"), "top_up_failed");
        assert_eq!(slug("!!"), "theme");
    }

    #[test]
    fn config_is_checked() {
        let product = Product::new("p", "P");
        let err = ThemeFinder::with_config(&product, ThemeConfig::default().min_similarity(1.5))
            .unwrap_err();
        assert!(
            err.to_string()
                .starts_with("discovery.themes.min_similarity")
        );
        let err =
            ThemeFinder::with_config(&product, ThemeConfig::default().min_size(1)).unwrap_err();
        assert!(err.to_string().starts_with("discovery.themes.min_size"));
    }

    #[test]
    fn effective_number_of_nodes() {
        assert_eq!(effective_nodes([3.0, 3.0, 3.0, 3.0]), 4.0);
        assert_eq!(effective_nodes([5.0]), 1.0);
        assert_eq!(effective_nodes([]), 0.0);
        assert!((effective_nodes([9.0, 1.0]) - 100.0 / 82.0).abs() < 1e-12);
    }

    #[test]
    fn fillers_are_spread_over_the_nodes() {
        // Eight nodes with five confident tickets each: stem `n` is node n's
        // topic, stem 8 is used by every ticket, stem 9 by node 0 and 1
        // only, stem 10 by no confident ticket.
        let nodes: Vec<String> = (0..8).map(|n| format!("n{n}")).collect();
        let ticket = Ticket::new("t", "x");
        let mut entries = Vec::new();
        let mut stems: Vec<Vec<u32>> = Vec::new();
        for (n, node) in nodes.iter().enumerate() {
            for _ in 0..5 {
                entries.push(Entry {
                    ticket: &ticket,
                    node: Some(node),
                    pooled: false,
                });
                let mut own = vec![n as u32, 8];
                if n < 2 {
                    own.push(9);
                }
                stems.push(own);
            }
        }
        entries.push(Entry {
            ticket: &ticket,
            node: None,
            pooled: true,
        });
        stems.push(vec![10]);
        let spread = Spread::build(&entries);
        assert_eq!(spread.effective, 8.0);
        let filler = spread.filler_stems(11, |i| &stems[i]);
        let marked: Vec<usize> = (0..11).filter(|&s| filler[s]).collect();
        assert_eq!(marked, [8]);
        // A group from all eight nodes is a filler; one from two is not.
        assert!(spread.is_filler_group(&(0..40).step_by(5).collect::<Vec<_>>()));
        assert!(!spread.is_filler_group(&[0, 1, 2, 5, 6, 40]));
        // Too few nodes to tell: nothing is a filler.
        let few = Spread::build(&entries[..15]);
        assert!(few.filler_stems(11, |i| &stems[i]).iter().all(|&f| !f));
        assert!(!few.is_filler_group(&[0, 5, 10]));
    }

    #[test]
    fn empty_pool() {
        let report = ThemeFinder::new(&Product::new("p", "P")).find_tickets([]);
        assert_eq!(report.pool, 0);
        assert!(report.themes.is_empty());
    }
}
