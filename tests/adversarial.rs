//! Hostile input: huge tickets, huge tokens, odd Unicode, broken JSON, odd
//! numbers and dates. Each case either works or returns a clear error, and
//! every tagging result passes the fuzz targets' invariant checks.

#[allow(dead_code)]
#[path = "../fuzz/src/checks.rs"]
mod checks;

use std::time::{Duration, Instant};

use painpoint::{
    Capability, Error, Feature, Language, Product, TagOptions, TaggedTicket, Tagger, TaggerConfig,
    Ticket, Timestamp,
};

const TAXONOMY: &[u8] = include_bytes!("../benches/data/banking77_taxonomy_k10.json");
const TICKETS: &str = include_str!("../benches/data/banking77_tickets_1000.jsonl");

fn shop() -> Product {
    Product::new("shop", "Shop")
        .capability(
            Capability::new("billing", "Billing")
                .keyword("invoice")
                .feature(
                    Feature::new("refunds", "Refunds")
                        .keyword("refund")
                        .keyword("money back")
                        .example("I want my money back for the broken order"),
                )
                .feature(Feature::new("coupons", "Coupons").keyword("discount code")),
        )
        .capability(
            Capability::new("travel", "Travel").feature(
                Feature::new("istanbul", "Istanbul office")
                    .keyword("İstanbul office")
                    .keyword("café opening hours"),
            ),
        )
}

fn banking() -> Tagger {
    let product: Product = serde_json::from_slice(TAXONOMY).unwrap();
    Tagger::new(&product).unwrap()
}

/// Limits raised so the whole input is analysed (to probe the algorithm,
/// not the limits).
fn unlimited() -> TaggerConfig {
    TaggerConfig::default()
        .max_bytes(usize::MAX)
        .max_tokens(usize::MAX)
}

fn tag_checked(tagger: &Tagger, ticket: &Ticket) -> TaggedTicket {
    let tagged = tagger.tag(ticket);
    checks::check_tagged(tagger, ticket, &tagged, tagger.threshold(), 5);
    let all = tagger.tag_with(ticket, &TagOptions::default().min_score(0.0));
    checks::check_tagged(tagger, ticket, &all, 0.0, 5);
    tagged
}

/// Realistic text: the bench tickets' words, repeated up to `bytes`.
fn corpus_text(bytes: usize) -> String {
    let mut out = String::with_capacity(bytes + 1024);
    'outer: loop {
        for line in TICKETS.lines() {
            let ticket: Ticket = serde_json::from_str(line).unwrap();
            out.push_str(&ticket.text);
            out.push('\n');
            if out.len() >= bytes {
                break 'outer;
            }
        }
    }
    out
}

#[test]
fn ten_megabyte_ticket_is_truncated_visibly() {
    let tagger = banking();
    let text = corpus_text(10 << 20);
    let tagged = tag_checked(&tagger, &Ticket::new("big", text));
    assert!(tagged.truncated, "10 MB is above the default 64 KiB limit");
    let small = tag_checked(&tagger, &Ticket::new("small", corpus_text(1000)));
    assert!(!small.truncated);
}

#[test]
fn ten_megabyte_ticket_without_limits() {
    let product: Product = serde_json::from_slice(TAXONOMY).unwrap();
    let tagger = Tagger::builder()
        .config(unlimited())
        .build(&product)
        .unwrap();
    // 10 MB in release; 2 MB in unoptimised builds, where 10 MB takes minutes.
    let text = corpus_text(if cfg!(debug_assertions) {
        2 << 20
    } else {
        10 << 20
    });
    let ticket = Ticket::new("big", text);
    let tagged = tagger.tag(&ticket);
    checks::check_tagged(&tagger, &ticket, &tagged, tagger.threshold(), 5);
    assert!(!tagged.truncated);
}

#[test]
fn one_megabyte_token() {
    let tagger = Tagger::builder()
        .config(unlimited())
        .build(&shop())
        .unwrap();
    for token in [
        "a".repeat(1 << 20),
        "é".repeat(1 << 19),
        "refund".repeat(1 << 17),
    ] {
        let ticket = Ticket::new("t", format!("refund {token} refund"));
        let tagged = tag_checked(&tagger, &ticket);
        assert_eq!(tagged.best().unwrap().node(), "refunds");
        assert!(!tagged.truncated);
    }
    // With the default limits: analysed up to 64 KiB, flagged.
    let tagger = Tagger::new(&shop()).unwrap();
    let tagged = tag_checked(
        &tagger,
        &Ticket::new("t", format!("refund {}", "a".repeat(1 << 20))),
    );
    assert!(tagged.truncated);
    assert_eq!(tagged.best().unwrap().node(), "refunds");
}

/// A megabyte of Hangul in one UAX #29 segment, decomposed into jamo
/// (NFD) or glued to digits: split and folded in linear time (a rescan
/// per syllable would take minutes here).
#[test]
fn one_megabyte_hangul_segment() {
    let tagger = Tagger::builder()
        .config(unlimited())
        .build(&shop())
        .unwrap();
    for token in [
        "\u{1112}\u{116A}\u{11AB}".repeat(1 << 16),
        "환1".repeat(1 << 18),
        "\u{1100}\u{1161}a\u{11A8}".repeat(1 << 17),
    ] {
        let ticket = Ticket::new("t", format!("refund {token} refund"));
        let tagged = tag_checked(&tagger, &ticket);
        assert_eq!(tagged.best().unwrap().node(), "refunds");
    }
}

#[test]
fn hundred_thousand_repeats_of_one_keyword() {
    let text = "refund ".repeat(100_000);
    let tagger = Tagger::builder()
        .config(unlimited())
        .build(&shop())
        .unwrap();
    let tagged = tag_checked(&tagger, &Ticket::new("t", text.clone()));
    assert!(!tagged.truncated);
    assert_eq!(tagged.matches.len(), 1);
    assert_eq!(tagged.best().unwrap().node(), "refunds");
    // Evidence is bounded (max_evidence), not one per repeat.
    assert!(tagged.best().unwrap().evidence.len() <= 8);

    let tagged = tag_checked(&Tagger::new(&shop()).unwrap(), &Ticket::new("t", text));
    assert!(tagged.truncated, "100,000 words > the default 10,000");
    assert_eq!(tagged.best().unwrap().node(), "refunds");
}

#[test]
fn every_unicode_scalar_value() {
    // Every general category, in chunks so that segmentation sees real
    // neighbours: all 1,112,064 scalar values.
    let tagger = Tagger::builder()
        .config(unlimited())
        .build(&shop())
        .unwrap();
    let all: Vec<char> = (0..=0x10FFFFu32).filter_map(char::from_u32).collect();
    for chunk in all.chunks(1 << 16) {
        let text: String = chunk.iter().collect();
        let ticket = Ticket::new("u", text.clone()).subject(text);
        tag_checked(&tagger, &ticket);
    }
    // Interleaved with keywords, spaces and joiners.
    let text: String = all
        .iter()
        .step_by(97)
        .flat_map(|&c| [c, ' ', 'r', 'e', 'f', 'u', 'n', 'd', '\u{200d}', c])
        .collect();
    tag_checked(&tagger, &Ticket::new("u", text));
}

#[test]
fn combining_marks_joiners_rtl_emoji() {
    let tagger = Tagger::new(&shop()).unwrap();
    let cases = [
        // Combining marks: decomposed "café" is one word with the mark.
        "cafe\u{301} opening hours",
        "r\u{335}e\u{335}f\u{335}u\u{335}n\u{335}d\u{335}",
        "z\u{301}\u{302}\u{303}\u{304}\u{305}\u{306}\u{307}\u{308}\u{309}"
            .repeat(1000)
            .leak(),
        // Zero-width joiners and spaces inside words.
        "re\u{200d}fund money\u{200b}back",
        "👩\u{200d}👩\u{200d}👧\u{200d}👦 refund 🏳\u{fe0f}\u{200d}🌈",
        // RTL text, bidi controls.
        "\u{202e}dnufer\u{202c} مرحبا أريد استرداد المال refund שלום",
        "\u{200f}refund\u{200e}",
        // Emoji sequences: flags, skin tones, keycaps.
        "🇫🇷🇩🇪 👍🏽 1\u{fe0f}\u{20e3} refund 💸💸💸",
        // Lone surrogates cannot be in a &str; replacement characters can.
        "\u{fffd}\u{fffd} refund \u{feff}",
    ];
    for text in cases {
        let ticket = Ticket::new("t", text).subject(text);
        tag_checked(&tagger, &ticket);
    }
    let refund = tag_checked(&tagger, &Ticket::new("t", "👍🏽 refund 💸"));
    assert_eq!(refund.best().unwrap().node(), "refunds");
    let span = refund.best().unwrap().evidence[0].span;
    assert_eq!(&"👍🏽 refund 💸"[span.range()], "refund");
}

#[test]
fn turkish_dotted_i_changes_length_when_folded() {
    // "İ" is 2 bytes; its lowercase "i̇" is 3: spans must still point into
    // the original text.
    assert_eq!("İ".len(), 2);
    assert_eq!("İ".to_lowercase().len(), 3);
    let tagger = Tagger::new(&shop()).unwrap();
    for text in [
        "İSTANBUL OFFICE is closed",
        "the İstanbul office is closed",
        "İİİİ İstanbul office",
    ] {
        let ticket = Ticket::new("t", text);
        let tagged = tag_checked(&tagger, &ticket);
        let best = tagged.best().expect("the İstanbul keyword matches");
        assert_eq!(best.node(), "istanbul");
        for e in &best.evidence {
            assert!(
                text[e.span.range()].to_lowercase().contains("office")
                    || text[e.span.range()].to_lowercase().contains("i̇stanbul")
            );
        }
    }
    // Same in a Turkish product.
    let product = shop().language(Language::Turkish);
    let tagger = Tagger::new(&product).unwrap();
    tag_checked(&tagger, &Ticket::new("t", "İSTANBUL OFFİCE ıi İi"));
}

#[test]
fn invalid_utf8_at_the_json_boundary() {
    let tickets: Vec<&[u8]> = TICKETS.lines().take(50).map(str::as_bytes).collect();
    for (name, bytes) in [
        ("taxonomy", TAXONOMY),
        (
            "demo taxonomy",
            include_bytes!("../examples/data/demo_taxonomy.json").as_slice(),
        ),
    ]
    .into_iter()
    .chain(tickets.into_iter().map(|t| ("ticket", t)))
    {
        // An invalid byte inside a string, a truncated multi-byte char, an
        // overlong encoding and a lone surrogate, each at several offsets.
        for bad in [
            &[0xFFu8][..],
            &[0xE2, 0x82],
            &[0xC0, 0xAF],
            &[0xED, 0xA0, 0x80],
        ] {
            for at in [bytes.len() / 3, bytes.len() / 2, bytes.len() - 2] {
                let mut broken = bytes[..at].to_vec();
                broken.extend_from_slice(bad);
                broken.extend_from_slice(&bytes[at..]);
                let product = serde_json::from_slice::<Product>(&broken);
                let ticket = serde_json::from_slice::<Ticket>(&broken);
                assert!(
                    product.is_err() && ticket.is_err(),
                    "{name}: accepted invalid UTF-8"
                );
            }
        }
        // A JSON escape of a lone surrogate is an error too, not a panic.
        let escaped =
            String::from_utf8(bytes.to_vec())
                .unwrap()
                .replacen("\"id\"", "\"id\\ud800\"", 1);
        assert!(serde_json::from_str::<Product>(&escaped).is_err());
    }
}

fn shared_keyword_product(features: usize) -> Product {
    let mut capability = Capability::new("c", "Things");
    for i in 0..features {
        capability = capability
            .feature(Feature::new(format!("f{i}"), format!("Thing {i}")).keyword("refund"));
    }
    Product::new("p", "P").capability(capability)
}

#[test]
fn ten_thousand_features_share_one_keyword() {
    let product = shared_keyword_product(10_000);
    let start = Instant::now();
    let tagger = Tagger::new(&product).unwrap();
    for text in ["refund please, refund", &"refund ".repeat(10_000)] {
        let ticket = Ticket::new("t", text);
        tag_checked(&tagger, &ticket);
        let all = tagger.tag_with(&ticket, &TagOptions::default().min_score(0.0).top(10_000));
        checks::check_tagged(&tagger, &ticket, &all, 0.0, 10_000);
    }
    // Generous: about 4 s in release on a shared 2-core machine (training
    // has a fixed budget of weight updates).
    assert!(
        start.elapsed() < Duration::from_secs(120),
        "took {:?}",
        start.elapsed()
    );
}

/// Features that share a keyword all get it; top-K truncation
/// (`TaggerConfig::max_matches`) and product order decide which are listed.
#[test]
fn many_features_sharing_a_keyword_still_match() {
    for features in [10, 200, 10_000] {
        let tagger = Tagger::new(&shared_keyword_product(features)).unwrap();
        let ticket = Ticket::new("t", "refund please");
        let all = tagger.tag_with(&ticket, &TagOptions::default().min_score(0.0));
        assert!(
            !all.matches.is_empty(),
            "{features} features: no match for their keyword"
        );
    }
}

/// The fastest run of each, in seconds, the two alternating so that a
/// burst of load on a shared machine slows both alike: at least seven
/// runs, and more while the large one has run under a quarter second in
/// all (short runs need many tries to meet one the scheduler does not
/// cut). Callers time runs of like length, repeating the small input.
fn best_times(mut small: impl FnMut(), mut large: impl FnMut()) -> (f64, f64) {
    let time = |run: &mut dyn FnMut()| {
        let start = Instant::now();
        run();
        start.elapsed().as_secs_f64()
    };
    let (mut best_small, mut best_large, mut spent) = (f64::INFINITY, f64::INFINITY, 0.0);
    let mut runs = 0;
    while runs < 7 || (spent < 0.25 && runs < 1_000) {
        best_small = best_small.min(time(&mut small));
        let large = time(&mut large);
        best_large = best_large.min(large);
        spent += large;
        runs += 1;
    }
    (best_small, best_large)
}

/// A five-letter word per number, made of letters only (so it is a word
/// and a fuzzy candidate, never a number).
fn word(mut i: usize) -> String {
    let mut s = String::from("z");
    for _ in 0..4 {
        s.push((b'a' + (i % 26) as u8) as char);
        i /= 26;
    }
    s
}

/// A tagger with `n` capabilities, each with two keywords of its own (or a
/// feature with a two-word keyword: a phrase), and the text naming the
/// first `k` of them, for each `k` in `named`.
fn many_distinct_hits(n: usize, named: [usize; 2], phrases: bool) -> (Tagger, [Ticket; 2]) {
    let mut product = Product::new("p", "P");
    let mut texts = [String::new(), String::new()];
    for i in 0..n {
        let (a, b) = (word(2 * i), word(2 * i + 1));
        let capability = Capability::new(format!("c{i}"), format!("Cap {i}"));
        product = product.capability(if phrases {
            capability.feature(Feature::new(format!("f{i}"), "F").keyword(format!("{a} {b}")))
        } else {
            capability.keyword(a.clone()).keyword(b.clone())
        });
        for (text, k) in texts.iter_mut().zip(named) {
            if i < k {
                text.push_str(&format!("{a} {b} "));
            }
        }
    }
    let tagger = Tagger::builder()
        .config(unlimited())
        .build(&product)
        .unwrap();
    let [small, large] = texts;
    (tagger, [Ticket::new("s", small), Ticket::new("l", large)])
}

/// Tagging must stay linear in the number of distinct product words a
/// ticket contains: one tagger (48,000 capabilities, under the node limit
/// with a feature each for phrases) tags a ticket naming 3,000 of them
/// sixteen times, and one naming all 48,000 once. Linear, the two take the
/// same time; quadratic, the large one takes 16x. The bound, 4x, sits a
/// factor of four from both. The two runs last alike, so a loaded machine
/// slows both alike (timing one small ticket against one 16x larger let
/// preemption land on the long run only). One tagger for both, so both
/// read the same tables from the same memory level, and product words are
/// stemmed when the tagger compiles, so no per-ticket cache flatters the
/// small ticket.
fn assert_linear_in_hits(phrases: bool, what: &str) {
    let (tagger, [small_ticket, large_ticket]) =
        many_distinct_hits(48_000, [3_000, 48_000], phrases);
    let tag = |ticket: &Ticket| assert!(!tagger.tag(ticket).truncated);
    let (small, large) = best_times(
        || (0..16).for_each(|_| tag(&small_ticket)),
        || tag(&large_ticket),
    );
    eprintln!("{what}: 16 x {:.4}s -> {large:.4}s", small / 16.0);
    assert!(
        large / small <= 4.0,
        "16x {what} took {:.1}x the time of 16 small tickets ({small:.3}s -> {large:.3}s)",
        large / small
    );
}

#[test]
fn cost_is_linear_in_capabilities_named() {
    assert_linear_in_hits(false, "capabilities");
}

#[test]
fn cost_is_linear_in_phrases_found() {
    assert_linear_in_hits(true, "phrases");
}

#[test]
fn deeply_nested_json_is_an_error() {
    for depth in [200, 100_000] {
        let nested = format!("{}{}", "[".repeat(depth), "]".repeat(depth));
        assert!(serde_json::from_str::<Product>(&nested).is_err());
        assert!(serde_json::from_str::<Ticket>(&nested).is_err());
        let in_field = format!(r#"{{"id":"p","name":"P","synonyms":{nested}}}"#);
        assert!(serde_json::from_str::<Product>(&in_field).is_err());
        let objects = format!("{}{}", r#"{"a":"#.repeat(depth), "}".repeat(depth));
        assert!(serde_json::from_str::<Product>(&objects).is_err());
    }
}

#[test]
fn huge_product_is_a_clear_error() {
    let mut capability = Capability::new("c", "C");
    for i in 0..100_001 {
        capability = capability.feature(Feature::new(format!("f{i}"), "F"));
    }
    let product = Product::new("p", "P").capability(capability);
    let err = Tagger::new(&product).unwrap_err();
    assert!(
        matches!(
            err,
            Error::LimitExceeded {
                limit: 100_000,
                actual: 100_002,
                ..
            }
        ),
        "{err}"
    );
    assert!(err.to_string().starts_with("capabilities: "), "{err}");
    // A smaller configured limit applies too.
    let small = Tagger::builder()
        .config(TaggerConfig::default().max_nodes(10))
        .build(&shop());
    assert!(small.is_ok());
    let tiny = Tagger::builder()
        .config(TaggerConfig::default().max_nodes(2))
        .build(&shop());
    assert!(matches!(tiny, Err(Error::LimitExceeded { .. })));
}

/// A node with `n` keywords and `n` exclusions, none equal.
fn node_of_many_phrases(n: usize) -> Product {
    let mut feature = Feature::new("f", "F");
    for i in 0..n {
        feature = feature
            .keyword(format!("{} card", word(i)))
            .exclude(format!("{} spam", word(i)));
    }
    Product::new("p", "P").capability(Capability::new("c", "C").feature(feature))
}

/// Validating is linear in a node's keywords and exclusions (each
/// exclusion is checked against every keyword): validating a node four
/// times takes about as long as validating one with four times as many of
/// both, not a quarter. The bound, 2x, sits a factor of two from both.
/// The two runs last alike, so a loaded machine slows both alike (one
/// small run against one 4x larger let preemption land on the long run:
/// 9x to 30x at load 8 on two cores).
#[test]
fn validation_is_linear_in_keywords_and_exclusions() {
    let (small, large) = (node_of_many_phrases(1_000), node_of_many_phrases(4_000));
    let (small, large) = best_times(
        || (0..4).for_each(|_| small.validate().unwrap()),
        || large.validate().unwrap(),
    );
    eprintln!("validate: 4 x 1,000 x2 phrases {small:.4}s, 4,000 x2 {large:.4}s");
    assert!(
        large / small <= 2.0,
        "4x the phrases took {:.1}x the time of 4 small nodes",
        large / small
    );
}

#[test]
fn huge_strings_in_the_product() {
    // Keywords and examples longer than max_pattern_bytes are analysed up to
    // the limit; ids and names of any length are fine.
    let long = "refund ".repeat(100_000);
    let product = Product::new("p", "P".repeat(1 << 20)).capability(
        Capability::new("c".repeat(1 << 16), long.clone()).feature(
            Feature::new("f", "F")
                .keyword(long.clone())
                .example(long.clone())
                .exclude("x".repeat(1 << 20)),
        ),
    );
    let tagger = Tagger::new(&product).unwrap();
    tag_checked(&tagger, &Ticket::new("t", "refund refund"));
}

#[test]
fn nan_and_infinite_values() {
    // Thresholds must be finite and in [0, 1].
    for bad in [f64::NAN, f64::INFINITY, f64::NEG_INFINITY, -0.5, 1.5] {
        let err = shop().threshold(bad).validate().unwrap_err();
        assert!(matches!(err, Error::BadNumber { .. }), "{err}");
        assert!(err.to_string().starts_with("threshold: "), "{err}");
        let err = Tagger::builder().threshold(bad).build(&shop()).unwrap_err();
        assert!(err.to_string().starts_with("config.threshold: "), "{err}");
        // Per call, a non-finite min_score falls back to the threshold.
        let tagger = Tagger::new(&shop()).unwrap();
        let ticket = Ticket::new("t", "refund");
        let tagged = tagger.tag_with(&ticket, &TagOptions::default().min_score(bad));
        checks::check_tagged(&tagger, &ticket, &tagged, 0.0, 5);
    }
    // JSON has no NaN; out-of-range numbers are errors, not infinities.
    for threshold in ["NaN", "Infinity", "1e999", "-1e999"] {
        let json = format!(r#"{{"id":"p","name":"P","threshold":{threshold}}}"#);
        assert!(serde_json::from_str::<Product>(&json).is_err(), "{json}");
    }
    // Non-finite ticket numbers do not lose the ticket: they serialize as
    // null and come back as absent.
    let ticket = Ticket::new("t", "refund")
        .csat(f64::NAN)
        .account("a", f64::INFINITY);
    let json = serde_json::to_string(&ticket).unwrap();
    let back: Ticket = serde_json::from_str(&json).unwrap();
    assert_eq!(
        (back.id.as_str(), back.text.as_str(), back.csat, back.value),
        ("t", "refund", None, None)
    );
    // Numbers as ids: huge, negative, fractional.
    for id in ["1e300", "-17", "18446744073709551615", "0.5"] {
        let t: Ticket = serde_json::from_str(&format!(r#"{{"id":{id},"text":"x"}}"#)).unwrap();
        assert!(!t.id.is_empty());
    }
}

#[test]
fn timestamps_before_1970_and_after_9999() {
    let cases = [
        ("1969-07-20T20:17:40Z", -14_182_940),
        ("0000-01-01T00:00:00Z", -62_167_219_200),
        ("9999-12-31T23:59:59Z", 253_402_300_799),
        ("1900-02-28", -2_203_977_600),
        ("-1", -1),
        ("-62167219201", -62_167_219_201),
        ("253402300800", 253_402_300_800),
    ];
    for (text, unix) in cases {
        let t: Timestamp = text.parse().unwrap();
        assert_eq!(t.unix(), unix, "{text}");
        checks::round_trip(t);
    }
    // Outside years 0..=9999 the text form is Unix seconds.
    assert_eq!(
        Timestamp::from_unix(253_402_300_800).to_string(),
        "253402300800"
    );
    for seconds in [i64::MIN, i64::MIN + 1, -1, 0, i64::MAX - 1, i64::MAX] {
        checks::round_trip(Timestamp::from_unix(seconds));
    }
    // Out of range is an error, not a wrap.
    for text in [
        "9223372036854775808",
        "-9223372036854775809",
        "10000-01-01",
        "2024-02-30",
        "2023-02-29",
    ] {
        let err = text.parse::<Timestamp>().unwrap_err();
        assert!(
            err.to_string().starts_with("created_at: cannot parse"),
            "{err}"
        );
    }
    assert!(serde_json::from_str::<Timestamp>("1e300").is_err());
    assert!(serde_json::from_str::<Timestamp>("18446744073709551615").is_err());
    assert_eq!(
        serde_json::from_str::<Timestamp>("-1.5").unwrap().unix(),
        -2
    );
}

#[test]
fn calendar_dates_of_any_year() {
    // from_date takes any i64 year: beyond what seconds can hold it is None.
    for year in [
        i64::MIN,
        i64::MIN / 2,
        -1_000_000_000_000,
        -1,
        0,
        10_000,
        1_000_000_000_000,
        i64::MAX / 2,
        i64::MAX,
    ] {
        for (month, day) in [(1, 1), (2, 29), (12, 31)] {
            if let Some(t) = Timestamp::from_date(year, month, day) {
                assert_eq!(t.date(), (year, month, day));
                checks::round_trip(t);
            }
        }
    }
    assert_eq!(Timestamp::from_date(i64::MAX, 1, 1), None);
    assert_eq!(Timestamp::from_date(i64::MIN, 1, 1), None);
}

/// Cost: 10x the text costs at most ~10x the time (with a generous margin:
/// a ratio of 30 fails only on a superlinear path). Limits are raised so
/// the whole text is analysed; the best of five alternating runs is
/// compared.
#[test]
fn tagging_cost_is_linear_in_ticket_length() {
    let product: Product = serde_json::from_slice(TAXONOMY).unwrap();
    let tagger = Tagger::builder()
        .config(unlimited())
        .build(&product)
        .unwrap();
    // Smaller in unoptimised builds, where 10 MB is needlessly slow.
    let small = if cfg!(debug_assertions) {
        200 << 10
    } else {
        1 << 20
    };
    let one = Ticket::new("1", corpus_text(small));
    let ten = Ticket::new("10", corpus_text(small * 10));
    let tag = |ticket: &Ticket| assert!(!tagger.tag(ticket).truncated);
    let (t1, t10) = best_times(|| tag(&one), || tag(&ten));
    let ratio = t10 / t1.max(1e-6);
    eprintln!("1x: {t1:.4}s, 10x: {t10:.4}s, ratio {ratio:.1}");
    assert!(
        ratio <= 30.0,
        "10x text took {ratio:.1}x the time ({t1:.4}s -> {t10:.4}s)"
    );
}
