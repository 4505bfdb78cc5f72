//! Property tests: determinism (calls, ticket order, threads), serde
//! round-trips of every public data type, and a brute-force reference that
//! scans folded words for what the fast tagger guarantees exactly.

#[allow(dead_code)]
#[path = "../fuzz/src/checks.rs"]
mod checks;

use painpoint::{
    Capability, Evidence, Feature, How, Language, Product, Span, TagOptions, TaggedTicket, Tagger,
    Ticket, Timestamp,
};
use proptest::prelude::*;

/// Content words of products and tickets (no stop words, no two within
/// two typos of each other, no shared stems).
const WORDS: &[&str] = &[
    "card",
    "refund",
    "money",
    "export",
    "spreadsheet",
    "login",
    "password",
    "crash",
    "invoice",
    "delivery",
    "printer",
    "coupon",
];
/// Exclusion words: never keywords, so never in conflict with them.
const EXCLUDE: &[&str] = &["spam", "newsletter", "unsubscribe"];
/// Node names: never in tickets.
const NAMES: &[&str] = &["Orion", "Vega", "Lyra", "Draco", "Cygnus", "Pavo"];
/// Words sharing no letter, stem, typo or character n-gram with the above.
const ELSEWHERE: &[&str] = &["привет", "собака", "кошка", "дом", "молоко", "зима"];

/// A feature: its keywords (as lists of word indices) and its exclusions.
type FeatureSpec = (Vec<Vec<usize>>, Vec<usize>);

#[derive(Debug, Clone)]
struct Spec {
    /// Per capability, its features.
    capabilities: Vec<Vec<FeatureSpec>>,
    product_exclude: bool,
}

fn spec(max_features: usize) -> impl Strategy<Value = Spec> {
    let keyword = prop::collection::vec(0..WORDS.len(), 1..=2);
    let feature = (
        prop::collection::vec(keyword, 1..=2),
        prop::collection::vec(0..EXCLUDE.len(), 0..=1),
    );
    let capability = prop::collection::vec(feature, 1..=max_features);
    (
        prop::collection::vec(capability, 1..=2),
        prop::bool::weighted(0.1),
    )
        .prop_map(|(capabilities, product_exclude)| Spec {
            capabilities,
            product_exclude,
        })
}

fn build(spec: &Spec) -> Product {
    let mut product = Product::new("p", "P");
    let mut name = 0;
    for (c, features) in spec.capabilities.iter().enumerate() {
        let mut capability = Capability::new(format!("c{c}"), NAMES[name % NAMES.len()]);
        name += 1;
        for (f, (keywords, exclude)) in features.iter().enumerate() {
            let mut feature = Feature::new(format!("c{c}f{f}"), NAMES[name % NAMES.len()]);
            name += 1;
            for keyword in keywords {
                feature = feature.keyword(phrase(keyword));
            }
            for &x in exclude {
                feature = feature.exclude(EXCLUDE[x]);
            }
            capability = capability.feature(feature);
        }
        product = product.capability(capability);
    }
    if spec.product_exclude {
        product.exclude.push("unsubscribe".into());
    }
    product
}

fn phrase(words: &[usize]) -> String {
    words
        .iter()
        .map(|&w| WORDS[w])
        .collect::<Vec<_>>()
        .join(" ")
}

/// Ticket text: words of all three lists, in any case, with odd spacing.
fn text() -> impl Strategy<Value = String> {
    let word = prop_oneof![
        4 => (0..WORDS.len()).prop_map(|w| WORDS[w].to_string()),
        1 => (0..EXCLUDE.len()).prop_map(|w| EXCLUDE[w].to_string()),
        1 => (0..ELSEWHERE.len()).prop_map(|w| ELSEWHERE[w].to_string()),
        1 => "[a-z]{1,8}",
    ];
    let piece = (
        word,
        any::<bool>(),
        prop_oneof![Just(" "), Just(", "), Just("  "), Just("\n"), Just(". ")],
    )
        .prop_map(|(w, upper, sep)| format!("{}{sep}", if upper { w.to_uppercase() } else { w }));
    prop::collection::vec(piece, 0..16).prop_map(|v| v.concat())
}

/// The reference: lowercase words split on anything not alphanumeric.
fn folded_words(text: &str) -> Vec<String> {
    text.split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
        .map(str::to_lowercase)
        .collect()
}

fn contains_phrase(words: &[String], phrase: &[usize]) -> bool {
    words
        .windows(phrase.len())
        .any(|w| w.iter().zip(phrase).all(|(a, &b)| a == WORDS[b]))
}

fn everything() -> TagOptions {
    TagOptions::default().min_score(0.0).top(usize::MAX)
}

fn ticket_strategy() -> impl Strategy<Value = Ticket> {
    (
        "[a-z0-9-]{1,8}",
        text(),
        prop::option::of(text()),
        prop::option::of(any::<i64>()),
        prop::option::of("[a-z]{1,6}"),
        prop::option::of((-1000i32..1000).prop_map(|v| f64::from(v) / 4.0)),
    )
        .prop_map(|(id, body, subject, at, customer, value)| {
            let mut t = Ticket::new(id, body);
            if let Some(s) = subject {
                t = t.subject(s);
            }
            if let Some(at) = at {
                t = t.created_at(Timestamp::from_unix(at));
            }
            if let Some(c) = customer {
                t = t.customer(c.clone()).channel(c);
            }
            if let Some(v) = value {
                t = t.account("acme", v).csat(v).resolution_hours(v);
            }
            t
        })
}

fn json<T: serde::Serialize>(value: &T) -> String {
    serde_json::to_string(value).unwrap()
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 128, ..ProptestConfig::default() })]

    /// Same product and tickets -> byte-identical JSON, from two taggers
    /// compiled separately; any ticket order gives the same per-ticket
    /// results; four threads give what one thread gives.
    #[test]
    fn tagging_is_deterministic(spec in spec(3), tickets in prop::collection::vec(ticket_strategy(), 1..8), seed in any::<u64>()) {
        let product = build(&spec);
        let a = Tagger::new(&product).unwrap();
        let b = Tagger::new(&product).unwrap();
        let first: Vec<TaggedTicket> = tickets.iter().map(|t| a.tag_with(t, &everything())).collect();
        let second: Vec<TaggedTicket> = tickets.iter().map(|t| b.tag_with(t, &everything())).collect();
        prop_assert_eq!(json(&first), json(&second));

        // Reverse and rotate: results follow their tickets.
        let mut order: Vec<usize> = (0..tickets.len()).collect();
        order.reverse();
        order.rotate_left((seed % tickets.len() as u64) as usize);
        for &i in &order {
            prop_assert_eq!(json(&a.tag_with(&tickets[i], &everything())), json(&first[i]));
        }

        let threaded: Vec<Vec<String>> = std::thread::scope(|s| {
            let handles: Vec<_> = (0..4)
                .map(|k| {
                    let (tagger, tickets) = (a.clone(), &tickets);
                    s.spawn(move || {
                        // Each thread walks the tickets from a different start.
                        let n = tickets.len();
                        let mut out = vec![String::new(); n];
                        for j in 0..n {
                            let i = (j + k) % n;
                            out[i] = json(&tagger.tag_with(&tickets[i], &everything()));
                        }
                        out
                    })
                })
                .collect();
            handles.into_iter().map(|h| h.join().unwrap()).collect()
        });
        for out in threaded {
            prop_assert_eq!(out, first.iter().map(json).collect::<Vec<_>>());
        }
    }

    /// Invariants of every result (see fuzz/src/checks.rs).
    #[test]
    fn results_pass_the_fuzz_invariants(spec in spec(3), ticket in ticket_strategy()) {
        let product = build(&spec);
        let tagger = Tagger::new(&product).unwrap();
        checks::check_tagged(&tagger, &ticket, &tagger.tag(&ticket), tagger.threshold(), 5);
        checks::check_tagged(&tagger, &ticket, &tagger.tag_with(&ticket, &everything()), 0.0, usize::MAX);
    }

    /// A ticket holding a feature's whole multi-word keyword, in order, with
    /// none of its exclusions, gets the feature with Phrase evidence that
    /// spans exactly the keyword's words. (Products of at most 5 nodes, so
    /// the few best rivals that share the confidence include it.)
    #[test]
    fn whole_phrase_is_found(spec in spec(2), ticket_text in text()) {
        let product = build(&spec);
        let tagger = Tagger::new(&product).unwrap();
        let words = folded_words(&ticket_text);
        let tagged = tagger.tag_with(&Ticket::new("t", ticket_text.clone()), &everything());
        let vetoed_all = spec.product_exclude && words.iter().any(|w| w == "unsubscribe");
        for (c, features) in spec.capabilities.iter().enumerate() {
            for (f, (keywords, exclude)) in features.iter().enumerate() {
                let vetoed = vetoed_all || exclude.iter().any(|&x| words.iter().any(|w| w == EXCLUDE[x]));
                let Some(keyword) = keywords.iter().find(|k| k.len() > 1 && contains_phrase(&words, k)) else {
                    continue;
                };
                if vetoed {
                    continue;
                }
                let id = format!("c{c}f{f}");
                let found = tagged.matches.iter().find(|m| m.node() == id);
                prop_assert!(found.is_some(), "{} not matched in {:?}: {}", id, ticket_text, json(&tagged));
                let phrases: Vec<&Evidence> = found.unwrap().evidence.iter().filter(|e| e.how == How::Phrase).collect();
                prop_assert!(!phrases.is_empty(), "no phrase evidence for {}: {}", id, json(&tagged));
                for e in phrases {
                    let spanned = folded_words(&ticket_text[e.span.range()]);
                    prop_assert!(
                        keywords.iter().any(|k| phrase(k) == spanned.join(" ")),
                        "span {:?} = {:?} is not a keyword of {}", e.span, &ticket_text[e.span.range()], id
                    );
                }
                let _ = keyword;
            }
        }
    }

    /// A ticket holding one of a feature's exclusions never gets it; one
    /// holding a product-wide exclusion gets nothing.
    #[test]
    fn exclusions_veto(spec in spec(3), ticket_text in text()) {
        let product = build(&spec);
        let tagger = Tagger::new(&product).unwrap();
        let words = folded_words(&ticket_text);
        let tagged = tagger.tag_with(&Ticket::new("t", ticket_text.clone()), &everything());
        if spec.product_exclude && words.iter().any(|w| w == "unsubscribe") {
            prop_assert!(tagged.is_unmatched(), "{}", json(&tagged));
        }
        for (c, features) in spec.capabilities.iter().enumerate() {
            for (f, (_, exclude)) in features.iter().enumerate() {
                if exclude.iter().any(|&x| words.iter().any(|w| w == EXCLUDE[x])) {
                    let id = format!("c{c}f{f}");
                    prop_assert!(tagged.matches.iter().all(|m| m.node() != id), "{} matched despite its exclusion", id);
                }
            }
        }
    }

    /// A ticket sharing no word (and no typo, stem or n-gram) with the
    /// product is unmatched, even at min_score 0.
    #[test]
    fn unrelated_ticket_is_unmatched(spec in spec(3), words in prop::collection::vec(0..ELSEWHERE.len(), 0..30)) {
        let product = build(&spec);
        let tagger = Tagger::new(&product).unwrap();
        let text: Vec<&str> = words.iter().map(|&w| ELSEWHERE[w]).collect();
        let tagged = tagger.tag_with(&Ticket::new("t", text.join(" ")).subject(text.join(", ")), &everything());
        prop_assert!(tagged.is_unmatched(), "{}", json(&tagged));
    }

    // ---- serde round-trips: identity for every public data type ----

    #[test]
    fn product_round_trips(spec in spec(3), language in 0..Language::ALL.len(), threshold in prop::option::of(0u8..=100)) {
        let mut product = build(&spec).language(Language::ALL[language]).synonyms(["refund", "money back"]);
        if let Some(t) = threshold {
            product = product.threshold(f64::from(t) / 100.0);
        }
        let back: Product = serde_json::from_str(&json(&product)).unwrap();
        prop_assert_eq!(back, product);
    }

    #[test]
    fn ticket_round_trips(ticket in ticket_strategy()) {
        let back: Ticket = serde_json::from_str(&json(&ticket)).unwrap();
        prop_assert_eq!(back, ticket);
    }

    #[test]
    fn tagged_ticket_round_trips(spec in spec(3), ticket in ticket_strategy()) {
        let tagger = Tagger::new(&build(&spec)).unwrap();
        for options in [TagOptions::default(), everything()] {
            let tagged = tagger.tag_with(&ticket, &options);
            let back: TaggedTicket = serde_json::from_str(&json(&tagged)).unwrap();
            prop_assert_eq!(back, tagged);
        }
    }

    #[test]
    fn timestamp_round_trips(seconds in any::<i64>()) {
        checks::round_trip(Timestamp::from_unix(seconds));
    }

    #[test]
    fn timestamp_text_round_trips(y in 0i64..=9999, mo in 1u32..=12, d in 1u32..=31, h in 0..24, mi in 0..60, s in 0..60) {
        let text = format!("{y:04}-{mo:02}-{d:02}T{h:02}:{mi:02}:{s:02}Z");
        match text.parse::<Timestamp>() {
            Ok(t) => {
                prop_assert_eq!(t.to_string(), text);
                checks::round_trip(t);
            }
            Err(_) => prop_assert!(Timestamp::from_date(y, mo, d).is_none()),
        }
    }

    #[test]
    fn span_round_trips(start in any::<usize>(), end in any::<usize>()) {
        let span = Span::new(start, end);
        let back: Span = serde_json::from_str(&json(&span)).unwrap();
        prop_assert_eq!(back, span);
    }

    /// The ASCII fast path and the Unicode path of segmentation agree, and
    /// the analyser keeps every span, on any text.
    #[test]
    fn analysis_invariants(text in "\\PC{0,60}") {
        checks::analysis(&text);
    }

    #[test]
    fn timestamp_parse_never_panics(text in "\\PC{0,40}|[0-9:TZ+ .-]{0,30}") {
        checks::timestamp(&text);
    }
}

#[test]
fn language_round_trips() {
    for language in Language::ALL {
        let back: Language = serde_json::from_str(&json(&language)).unwrap();
        assert_eq!(back, language);
        assert_eq!(language.code().parse::<Language>().unwrap(), language);
    }
}
