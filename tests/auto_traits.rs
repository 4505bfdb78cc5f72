//! Every public type is `Send + Sync + Unpin + UnwindSafe + RefUnwindSafe`:
//! a tagger compiled once can be shared by threads, and a panic elsewhere in
//! a program cannot leave one half-updated (they hold no interior mutability
//! that is observable). Checked at compile time: this file fails to build if
//! a type loses one of these traits.

use std::panic::{RefUnwindSafe, UnwindSafe};

use painpoint::analysis::{Analysis, Analyzer, Stemmer, StopWords, Token, words};
use painpoint::*;

fn all<T: Send + Sync + Unpin + UnwindSafe + RefUnwindSafe>() {}

fn all_of<T: Send + Sync + Unpin + UnwindSafe + RefUnwindSafe>(_: &T) {}

#[test]
fn public_types_are_thread_and_unwind_safe() {
    // Product model and tickets.
    all::<Product>();
    all::<Capability>();
    all::<Feature>();
    all::<Ticket>();
    all::<Timestamp>();
    all::<Span>();
    all::<Language>();
    // Compiled tagger and its settings.
    all::<Tagger>();
    all::<TaggerBuilder>();
    all::<TaggerConfig>();
    all::<TagOptions>();
    // Results.
    all::<TaggedTicket>();
    all::<Match>();
    all::<Evidence>();
    all::<Field>();
    all::<How>();
    all::<Source>();
    all::<Need>();
    all::<NeedMatch>();
    all::<Kind>();
    all::<KindMatch>();
    all::<Polarity>();
    all::<SentimentScore>();
    all::<Error>();
    // Analysis.
    all::<Analyzer>();
    all::<Analysis>();
    all::<Token<'static>>();
    all_of(&words("the iterator of words()"));
    all::<Stemmer>();
    all::<StopWords>();
}

#[test]
fn tagger_is_cheap_to_share() {
    // One tagger, many threads: Clone shares the index (no deep copy).
    let product = Product::new("p", "P")
        .capability(Capability::new("c", "Billing").feature(Feature::new("refunds", "Refunds")));
    let tagger = Tagger::new(&product).unwrap();
    let before = tagger.memory_usage();
    let clones: Vec<Tagger> = (0..4).map(|_| tagger.clone()).collect();
    let results: Vec<TaggedTicket> = std::thread::scope(|s| {
        let handles: Vec<_> = clones
            .iter()
            .map(|t| s.spawn(move || t.tag_text("I want a refund")))
            .collect();
        handles.into_iter().map(|h| h.join().unwrap()).collect()
    });
    assert!(results.windows(2).all(|w| w[0] == w[1]));
    assert_eq!(results[0].best().unwrap().node(), "refunds");
    assert_eq!(tagger.memory_usage(), before);
}
