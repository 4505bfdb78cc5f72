//! # painpoint
//!
//! Turns customer feedback into a product roadmap.
//!
//! 1. Model the product as a hierarchy ([`Product`] -> [`Capability`] ->
//!    [`Feature`]), plain serde data, validated with errors that name the path.
//! 2. Compile it into a [`Tagger`] and tag tickets: fuzzy matching with
//!    Unicode word segmentation, per-language stemming, typo tolerance,
//!    phrases and synonyms, each match with a confidence and its evidence.
//!
//! ```
//! use painpoint::{Capability, Feature, Product, Tagger, Ticket};
//!
//! let product: Product = serde_json::from_str(r#"{
//!   "id": "bank", "name": "Bank",
//!   "capabilities": [{"id": "card", "name": "Card", "features": [
//!     {"id": "card_arrival", "name": "Card arrival",
//!      "keywords": ["card not arrived", "card delivery"],
//!      "examples": ["Where is my new card?"]}]}]}"#).unwrap();
//! let tagger = Tagger::new(&product).unwrap();
//! let tagged = tagger.tag(&Ticket::new("42", "My new card still hasn't arrived"));
//! assert_eq!(tagged.matches[0].feature.as_deref(), Some("card_arrival"));
//! ```
//!
//! # Untrusted input
//!
//! Nothing in painpoint panics on any ticket text or any product that
//! deserializes: bad products are errors naming their path. Tagging costs
//! time linear in the ticket's length, bounded by [`TaggerConfig::max_bytes`]
//! and [`TaggerConfig::max_tokens`]; a ticket cut short says so in
//! [`TaggedTicket::truncated`].

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
pub use tagged::{Evidence, Field, How, Match, Source, TaggedTicket};
pub use tagger::{DEFAULT_THRESHOLD, TagOptions, Tagger, TaggerBuilder, TaggerConfig};
pub use ticket::Ticket;
pub use time::{Period, Timestamp};

/// The README's examples run as doc tests.
#[cfg(doctest)]
#[doc = include_str!("../README.md")]
pub struct ReadmeDoctests;
