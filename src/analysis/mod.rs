//! Text analysis: the pipeline every text goes through before matching.
//!
//! Small composable steps, after tantivy's tokenizer pipeline:
//!
//! 1. [`words`]: Unicode word segmentation (UAX #29) with byte spans into the
//!    original text; the spans are never changed by later steps.
//!    French and Italian words that lean on an elided one ("l'application",
//!    "dell'account") are split in two words there, the elided one a stop
//!    word (`elision`).
//! 2. [`fold_into`]: case folding (ASCII fast path, Unicode otherwise).
//! 3. [`StopWords`]: flags (does not drop) stop words of the language.
//! 4. [`Stemmer`]: Snowball stemming for the 18 languages `rust-stemmers`
//!    supports; none for [`Language::None`]. The tagger stems a ticket's
//!    Spanish, Portuguese and Italian absolute superlatives ("lentísimo",
//!    "carissimo") as their plain adjective when the product does not know
//!    them (`superlative`).
//!
//! Before them, [`blank_boilerplate`] can overwrite an email's greeting,
//! sign-off, signature, disclaimer and quoted earlier message with spaces
//! (offsets unchanged); the tagger does so by default
//! ([`TaggerConfig::skip_boilerplate`](crate::TaggerConfig::skip_boilerplate)).
//!
//! [`Analyzer`] runs all four. Typo tolerance lives in the tagger's
//! vocabulary (it needs the set of known words), see [`crate::tagger`].

mod analyzer;
mod boilerplate;
pub(crate) mod elision;
pub(crate) mod fold;
mod language;
mod stemmer;
mod stopwords;
pub(crate) mod superlative;
mod tokenizer;

pub use analyzer::{Analysis, Analyzer, Token};
pub(crate) use analyzer::{KnownStem, word_key};
pub use boilerplate::{blank_boilerplate, boilerplate_ranges};
pub use fold::fold_into;
pub use language::Language;
pub use stemmer::Stemmer;
pub(crate) use stemmer::{CacheKey, MAX_CACHED_BYTES};
pub use stopwords::StopWords;
pub use tokenizer::words;
pub(crate) use tokenizer::{pair_overlap, starts_in_spaceless_script};
