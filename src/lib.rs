//! # painpoint
//!
//! Turns customer feedback into a product roadmap. A pure library: no I/O.
//!
//! ```text
//! Product --Tagger::new--> Tagger --tag--> TaggedTicket --record--> Ledger
//!   (serde, validated)    (compiled once)  (matches, needs,        (per node and
//!                                           kind, sentiment)        time bucket)
//! Ledger --Trends::analyze--> Trends (alerts) --Roadmap::build--> Roadmap
//! unmatched tickets --discovery::ThemeFinder--> themes (new feature snippets)
//! ```
//!
//! 1. Model the product as a hierarchy ([`Product`] -> [`Capability`] ->
//!    [`Feature`]), plain serde data, validated with errors that name the path.
//! 2. Compile it into a [`Tagger`] and tag tickets: fuzzy matching with
//!    Unicode word segmentation, per-language stemming, typo tolerance,
//!    phrases and synonyms, each match with a confidence and its evidence.
//! 3. Each tagged ticket also carries customer [`signals`]: the needs it
//!    speaks to, its [`Kind`] and its sentiment.
//! 4. A [`Ledger`] aggregates tagged tickets over time and merges exactly;
//!    [`trend`] finds growth, spikes and emerging nodes; [`roadmap`] ranks
//!    features with an explained score.
//! 5. [`discovery`] finds themes in what matched nothing.
//!
//! ```
//! use painpoint::roadmap::{Roadmap, RoadmapConfig};
//! use painpoint::trend::{TrendConfig, Trends};
//! use painpoint::{Ledger, LedgerConfig, Period, Product, Tagger, Ticket, Timestamp};
//!
//! let product: Product = serde_json::from_str(r#"{
//!   "id": "bank", "name": "Bank",
//!   "capabilities": [{"id": "card", "name": "Card", "features": [
//!     {"id": "card_arrival", "name": "Card arrival",
//!      "keywords": ["card not arrived", "card delivery"],
//!      "examples": ["Where is my new card?"]},
//!     {"id": "card_pin", "name": "Card PIN", "keywords": ["forgot my pin"]}]}]}"#).unwrap();
//! let tagger = Tagger::new(&product).unwrap();
//! let tagged = tagger.tag(&Ticket::new("42", "My new card still hasn't arrived"));
//! assert_eq!(tagged.matches[0].feature.as_deref(), Some("card_arrival"));
//!
//! let mut ledger = Ledger::new(&product, LedgerConfig::new(Period::Week)).unwrap();
//! let day = Timestamp::from_date(2024, 3, 4).unwrap();
//! for (i, text) in ["card not arrived", "I forgot my PIN", "where is my card?"].iter().enumerate() {
//!     let ticket = Ticket::new(i.to_string(), *text).created_at(day).customer(format!("c{i}"));
//!     ledger.record(&ticket, &tagger.tag(&ticket));
//! }
//! ledger.compact();
//! let trends = Trends::analyze(&ledger, &TrendConfig::default());
//! let roadmap = Roadmap::build(&ledger, &trends, &RoadmapConfig::default()).unwrap();
//! assert_eq!(roadmap.items[0].node, "card_arrival");
//! ```
//!
//! # Untrusted input
//!
//! painpoint takes whatever customers type and product files written by hand.
//!
//! - **Panics:** none on any ticket text or any product that deserializes.
//!   Bad products are errors naming their JSON path (duplicate id, empty
//!   field, NaN threshold, exclusion equal to a keyword, more nodes than
//!   [`TaggerConfig::max_nodes`]); invalid UTF-8, deep nesting and
//!   out-of-range numbers are serde_json errors.
//! - **Limits** ([`TaggerConfig`], safe defaults): `max_bytes` 64 KiB per
//!   ticket, `max_tokens` 10,000 words, `max_pattern_bytes` 4 KiB per keyword
//!   or example, `max_nodes` 100,000, `max_postings_per_term` 32,
//!   `max_matches` 5, `max_evidence` 8. Cutting a ticket short is never
//!   silent: [`TaggedTicket::truncated`] is true exactly when a limit applied.
//! - **Cost:** tagging is linear in the analysed length of the ticket; the
//!   work per ticket word is bounded by `max_postings_per_term` whatever the
//!   product's size. Compiling is linear in the product's texts, and its
//!   training stops at a fixed budget of weight updates. Memory: the index
//!   is linear in the product ([`Tagger::memory_usage`]); each thread keeps
//!   scratch buffers sized to the largest product it tagged.
//! - **Time:** any `i64` second count is a valid [`Timestamp`], before 1970
//!   and after 9999.
//! - **Threads:** every public type is `Send + Sync + UnwindSafe`; a
//!   [`Tagger`] is an `Arc`, clone it freely.

#![forbid(unsafe_code)]
#![deny(missing_docs)]

pub mod analysis;
pub mod discovery;
mod error;
mod hash;
pub mod ledger;
mod product;
pub mod roadmap;
pub mod signals;
mod span;
mod tagged;
pub mod tagger;
mod ticket;
mod time;
pub mod trend;

pub use analysis::Language;
pub use error::{Error, Result};
pub use ledger::{DistinctCount, Ledger, LedgerConfig, Node, NodeKind, Stats};
pub use product::{Capability, Feature, Product};
pub use signals::{
    Kind, KindMatch, Need, NeedMatch, Polarity, Reading, SentimentScore, Signals, SignalsConfig,
};
pub use span::Span;
pub use tagged::{Evidence, Field, How, Match, Name, Source, TaggedTicket};
pub use tagger::{
    DEFAULT_MIN_COVERAGE, DEFAULT_THRESHOLD, TagOptions, Tagger, TaggerBuilder, TaggerConfig,
};
pub use ticket::Ticket;
pub use time::{Period, Timestamp};

/// The README's examples run as doc tests.
#[cfg(doctest)]
#[doc = include_str!("../README.md")]
pub struct ReadmeDoctests;
