//! Invariants the fuzz targets check, shared with the regression test
//! (`tests/fuzz_regressions.rs` includes this file with `#[path]`), so a
//! saved input is replayed through exactly the checks that found it.
//!
//! Depends on painpoint, serde_json and unicode-segmentation only.

use painpoint::analysis::{Analyzer, blank_boilerplate, boilerplate_ranges, words};
use painpoint::signals::{LabelConfig, Signals, SignalsConfig};
use painpoint::{
    Evidence, Field, KindMatch, Language, NeedMatch, Product, SentimentScore, TagOptions,
    TaggedTicket, Tagger, TaggerConfig, Ticket, Timestamp,
};
use unicode_segmentation::UnicodeSegmentation;

/// Inputs above this many bytes are skipped by every target, so that a
/// libFuzzer timeout means superlinear behaviour, not a big input.
pub const MAX_INPUT: usize = 64 * 1024;

/// `bytes` (at most [`MAX_INPUT`]) read as JSON, written back and read
/// again: the value, its JSON and the value read back, or `None` when the
/// bytes are not a `T`. Whatever deserializes must serialize and
/// deserialize again.
fn parse_and_round_trip<T>(bytes: &[u8]) -> Option<(T, String, T)>
where
    T: serde::Serialize + serde::de::DeserializeOwned,
{
    if bytes.len() > MAX_INPUT {
        return None;
    }
    let value: T = serde_json::from_slice(bytes).ok()?;
    let json = serde_json::to_string(&value).expect("a deserialized value serializes");
    let again: T = serde_json::from_str(&json).expect("a serialized value deserializes");
    Some((value, json, again))
}

/// `product_json`: any bytes -> product -> tagger. Nothing may panic; a
/// product that deserializes either compiles or is a clear error, and a
/// compiled one tags its own name.
pub fn product_json(bytes: &[u8]) {
    let Some((product, json, again)) = parse_and_round_trip::<Product>(bytes) else {
        return;
    };
    // Serde round-trip is identity for every product that deserializes.
    assert_eq!(again, product, "serde round-trip of {json}");
    match Tagger::new(&product) {
        Ok(tagger) => {
            let ticket = Ticket::new("self", product.name.clone());
            check_tagged(
                &tagger,
                &ticket,
                &tagger.tag(&ticket),
                tagger.threshold(),
                5,
            );
        }
        Err(err) => assert!(!err.to_string().is_empty()),
    }
}

/// `tag`: a product and a ticket, with small limits so truncation happens.
pub fn tag(product: &Product, config: TaggerConfig, ticket: &Ticket) {
    let text_len = ticket.text.len() + ticket.subject.as_ref().map_or(0, String::len);
    if text_len > MAX_INPUT {
        return;
    }
    let Ok(tagger) = Tagger::builder().config(config.clone()).build(product) else {
        return;
    };
    // The same tagger keeping no evidence: the evidence pass stops early
    // then, and must still give the same matches and coverage.
    let mut bare = config.clone();
    bare.max_evidence = 0;
    let bare = Tagger::builder()
        .config(bare)
        .build(product)
        .expect("builds with evidence, so without");
    for options in [
        TagOptions::default(),
        TagOptions::default().min_score(0.0),
        TagOptions::default().min_score(0.0).top(1),
    ] {
        let tagged = tagger.tag_with(ticket, &options);
        let min = options.min_score.unwrap_or(tagger.threshold());
        let top = options.top.unwrap_or(config.max_matches);
        check_tagged(&tagger, ticket, &tagged, min, top);
        // The absolute floors, unless the call lists candidates
        // (`min_score(0.0)` of its own).
        let listing = options.min_score == Some(0.0);
        let floor = |f: f64| if listing { 0.0 } else { f.clamp(0.0, 1.0) };
        let (min_fit, min_coverage) = (floor(config.min_fit), floor(config.min_coverage));
        for m in &tagged.matches {
            assert!(m.fit >= min_fit, "fit {} below {min_fit}", m.fit);
            assert!(
                m.coverage >= min_coverage,
                "coverage {} below {min_coverage}",
                m.coverage
            );
        }
        let mut stripped = tagged.clone();
        for m in &mut stripped.matches {
            m.evidence.clear();
        }
        assert_eq!(
            bare.tag_with(ticket, &options).matches,
            stripped.matches,
            "max_evidence 0 changed the matches"
        );
        // Deterministic: the same call gives the same result.
        assert_eq!(tagged, tagger.tag_with(ticket, &options));
        // Truncation is visible: over a limit means flagged. The words
        // counted are those the tagger reads: an email's boilerplate is
        // skipped, not cut off.
        let read = if config.skip_boilerplate {
            blank_boilerplate(&ticket.text)
        } else {
            std::borrow::Cow::Borrowed(ticket.text.as_str())
        };
        let words_total =
            words(&read).count() + ticket.subject.as_deref().map_or(0, |s| words(s).count());
        if text_len > config.max_bytes || words_total > config.max_tokens {
            assert!(tagged.truncated, "over a limit but not flagged truncated");
        }
        // ... and only then.
        if text_len <= config.max_bytes && words_total <= config.max_tokens {
            assert!(!tagged.truncated, "flagged truncated within the limits");
        }
        // Serde round-trip.
        let json = serde_json::to_string(&tagged).unwrap();
        let again: TaggedTicket = serde_json::from_str(&json).unwrap();
        assert_eq!(again, tagged, "serde round-trip of {json}");
    }
    check_signals(product, &config, &tagger, ticket);
}

/// The built-in signals of a language, compiled once a thread (as the
/// tagger compiles them when it is given none).
fn default_signals(language: Language) -> Signals {
    thread_local! {
        static COMPILED: std::cell::RefCell<Vec<(Language, Signals)>> =
            const { std::cell::RefCell::new(Vec::new()) };
    }
    if language == Language::English {
        return Signals::english();
    }
    COMPILED.with(|compiled| {
        let mut compiled = compiled.borrow_mut();
        if let Some((_, signals)) = compiled.iter().find(|(l, _)| *l == language) {
            return signals.clone();
        }
        let signals = Signals::new(&SignalsConfig::defaults_for(language))
            .expect("the default signals compile");
        compiled.push((language, signals.clone()));
        signals
    })
}

/// The tagger's customer signals (read from the tagger's own analysis,
/// with each token's signals ids from its word table) are in range, point
/// at the ticket's words, equal what [`Signals::read`] makes of the same
/// text, and leave the matches as they are without signals.
fn check_signals(product: &Product, config: &TaggerConfig, tagger: &Tagger, ticket: &Ticket) {
    let tagged = tagger.tag(ticket);
    if !config.signals {
        assert!(tagged.needs.is_empty() && tagged.kind.is_none() && tagged.sentiment.is_none());
        return;
    }
    let kind = tagged.kind.as_ref().expect("signals on but no kind");
    let sentiment = tagged
        .sentiment
        .as_ref()
        .expect("signals on but no sentiment");
    check_reading(
        &tagged.needs,
        kind,
        sentiment,
        ticket.subject.as_deref(),
        &ticket.text,
    );
    // Within the byte limit the signals read the whole ticket but its email
    // boilerplate, as on their own.
    let text_len = ticket.text.len() + ticket.subject.as_ref().map_or(0, String::len);
    if text_len <= config.max_bytes {
        let signals = default_signals(product.language);
        let text = if config.skip_boilerplate {
            blank_boilerplate(&ticket.text)
        } else {
            std::borrow::Cow::Borrowed(ticket.text.as_str())
        };
        let alone = signals.read(ticket.subject.as_deref(), &text);
        assert_eq!(tagged.needs, alone.needs, "needs differ from Signals::read");
        assert_eq!(kind, &alone.kind, "kind differs from Signals::read");
        assert_eq!(
            sentiment, &alone.sentiment,
            "sentiment differs from Signals::read"
        );
    }
    // The signals do not change the matches.
    let without = Tagger::builder()
        .config(config.clone().signals(false))
        .build(product)
        .expect("builds with signals on, so without");
    let plain = without.tag(ticket);
    assert_eq!(tagged.matches, plain.matches, "signals changed the matches");
    assert_eq!(
        tagged.truncated, plain.truncated,
        "signals changed truncation"
    );
}

/// The invariants of one tagging result.
pub fn check_tagged(tagger: &Tagger, ticket: &Ticket, tagged: &TaggedTicket, min: f64, top: usize) {
    assert_eq!(tagged.id, ticket.id);
    assert!(
        tagged.matches.len() <= top,
        "{} matches, top {top}",
        tagged.matches.len()
    );
    let mut nodes: Vec<&str> = Vec::new();
    for m in &tagged.matches {
        assert!(
            m.score.is_finite() && (0.0..=1.0).contains(&m.score),
            "score {}",
            m.score
        );
        assert!((0.0..=1.0).contains(&m.fit), "fit {}", m.fit);
        assert!((0.0..=1.0).contains(&m.coverage), "coverage {}", m.coverage);
        // Scores are rounded to 4 decimals after the threshold test.
        assert!(m.score >= min - 1e-4, "score {} below min {min}", m.score);
        assert!(!nodes.contains(&m.node()), "duplicate node {}", m.node());
        nodes.push(m.node());
        let product = tagger.product();
        let cap = product.capabilities.iter().find(|c| c.id == m.capability);
        let cap = cap.unwrap_or_else(|| panic!("unknown capability {}", m.capability));
        if let Some(feature) = &m.feature {
            assert!(
                cap.features.iter().any(|f| &f.id == feature),
                "feature {feature} not under {}",
                cap.id
            );
        }
        for e in &m.evidence {
            assert!(!e.pattern.is_empty(), "empty evidence pattern");
            check_span(e, ticket.subject.as_deref(), &ticket.text);
        }
    }
    assert!(
        tagged.matches.windows(2).all(|w| w[0].score >= w[1].score),
        "matches not sorted by score"
    );
}

/// `signals`: any text (subject, a newline, then the body) read by the
/// English signals. Never panics; scores in range; evidence spans on char
/// boundaries inside their field; deterministic.
pub fn signals(all: &str) {
    if all.len() > MAX_INPUT {
        return;
    }
    let (subject, text) = match all.split_once('\n') {
        Some((s, t)) => (Some(s), t),
        None => (None, all),
    };
    let signals = Signals::english();
    let reading = signals.read(subject, text);
    assert_eq!(reading, signals.read(subject, text), "not deterministic");
    check_reading(
        &reading.needs,
        &reading.kind,
        &reading.sentiment,
        subject,
        text,
    );
}

/// `signals_config`: any bytes -> a signals configuration (JSON) -> compiled
/// signals. Nothing may panic; what deserializes serializes back to an equal
/// configuration (weights to within a rounding of their decimal digits);
/// it compiles alone (`extend_defaults: false`, so each run does not compile
/// the defaults too) or is an error naming a path of its own; compiled, it
/// reads its own phrases and examples within the invariants of `signals`.
pub fn signals_config(bytes: &[u8]) {
    let Some((config, _, again)) = parse_and_round_trip::<SignalsConfig>(bytes) else {
        return;
    };
    same_config(&config, &again);
    let mut alone = config;
    alone.extend_defaults = false;
    let signals = match Signals::new(&alone) {
        Ok(signals) => signals,
        Err(err) => {
            let path = err.to_string();
            assert!(
                [
                    "needs.",
                    "kinds.",
                    "sentiment.",
                    "shifters.",
                    "first_person[",
                    "why["
                ]
                .iter()
                .any(|p| path.starts_with(p)),
                "error without a path: {path}"
            );
            return;
        }
    };
    let labels = alone.needs.values().chain(alone.kinds.values());
    let texts = labels
        .flat_map(|l| {
            l.keywords
                .iter()
                .map(|k| k.phrase.as_str())
                .chain(l.examples.iter().map(String::as_str))
        })
        .chain(alone.sentiment.words.keys().map(String::as_str))
        .take(16);
    for text in texts {
        let reading = signals.read(Some(text), text);
        assert_eq!(reading, signals.read(Some(text), text), "not deterministic");
        check_reading(
            &reading.needs,
            &reading.kind,
            &reading.sentiment,
            Some(text),
            text,
        );
    }
}

fn close(x: f64, y: f64) -> bool {
    x == y || (x - y).abs() <= 1e-12 * x.abs().max(y.abs())
}

fn same_labels<L: PartialEq + std::fmt::Debug>(
    a: Vec<(&L, &LabelConfig)>,
    b: Vec<(&L, &LabelConfig)>,
) {
    assert_eq!(a.len(), b.len());
    for ((la, ca), (lb, cb)) in a.into_iter().zip(b) {
        assert_eq!(la, lb);
        assert_eq!((&ca.examples, ca.replace), (&cb.examples, cb.replace));
        assert_eq!(ca.keywords.len(), cb.keywords.len());
        for (ka, kb) in ca.keywords.iter().zip(&cb.keywords) {
            assert_eq!(ka.phrase, kb.phrase);
            assert!(
                close(ka.weight, kb.weight),
                "{} -> {}",
                ka.weight,
                kb.weight
            );
        }
    }
}

/// `a` and `b` are equal but for the last digits of their weights
/// (serde_json without `float_roundtrip` may read a number back one unit in
/// the last place off).
fn same_config(a: &SignalsConfig, b: &SignalsConfig) {
    same_labels(a.needs.iter().collect(), b.needs.iter().collect());
    same_labels(a.kinds.iter().collect(), b.kinds.iter().collect());
    for (x, y) in [
        (&a.sentiment.words, &b.sentiment.words),
        (&a.sentiment.emoji, &b.sentiment.emoji),
    ] {
        assert_eq!(x.len(), y.len());
        for ((wa, va), (wb, vb)) in x.iter().zip(y) {
            assert_eq!(wa, wb);
            assert!(close(*va, *vb), "{va} -> {vb}");
        }
    }
    assert_eq!(a.sentiment.replace, b.sentiment.replace);
    assert_eq!(
        (
            a.language,
            a.extend_defaults,
            &a.shifters,
            &a.first_person,
            &a.why
        ),
        (
            b.language,
            b.extend_defaults,
            &b.shifters,
            &b.first_person,
            &b.why
        )
    );
}

/// A reading's scores are in range and its evidence spans lie on char
/// boundaries inside their field.
fn check_reading(
    needs: &[NeedMatch],
    kind: &KindMatch,
    sentiment: &SentimentScore,
    subject: Option<&str>,
    text: &str,
) {
    assert!((0.0..=1.0).contains(&kind.score), "kind {}", kind.score);
    assert!(
        sentiment.score.is_finite() && (-1.0..=1.0).contains(&sentiment.score),
        "sentiment {}",
        sentiment.score
    );
    let evidence = needs
        .iter()
        .inspect(|n| assert!((0.0..=1.0).contains(&n.score), "need {}", n.score))
        .flat_map(|n| &n.evidence)
        .chain(&kind.evidence)
        .chain(&sentiment.evidence);
    for e in evidence {
        check_span(e, subject, text);
    }
}

/// An evidence span is non-empty, inside its field and on char boundaries.
fn check_span(e: &Evidence, subject: Option<&str>, text: &str) {
    let field = match e.field {
        Field::Subject => subject.expect("subject evidence without subject"),
        _ => text,
    };
    assert!(
        e.span.start < e.span.end
            && e.span.end <= field.len()
            && field.is_char_boundary(e.span.start)
            && field.is_char_boundary(e.span.end),
        "bad span {:?} in a field of {} bytes",
        e.span,
        field.len()
    );
}

/// `analysis`: segmentation and the analyser on any text, every language.
pub fn analysis(text: &str) {
    if text.len() > MAX_INPUT {
        return;
    }
    let spans: Vec<_> = words(text).collect();
    let mut start = None;
    for span in &spans {
        // In text order; only a pair overlaps the word before it.
        assert!(start < Some(span.start) && span.start < span.end && span.end <= text.len());
        assert!(text.is_char_boundary(span.start) && text.is_char_boundary(span.end));
        assert!(text[span.range()].chars().any(char::is_alphanumeric));
        start = Some(span.start);
    }
    // The reference: UAX #29 segments holding a letter or digit, each Han
    // character paired with the Han or hiragana character after it, each
    // Thai, Lao, Khmer or Myanmar letter (with its marks) with the next of
    // its script, a character of those in no pair alone, and a Hangul word
    // of two syllables or more as its syllable pairs. The ASCII fast path
    // must agree with it; so must the general path.
    #[derive(Clone, Copy, PartialEq)]
    enum Script {
        Han,
        Hiragana,
        Spaceless(u8),
    }
    let spaceless = |c: char| match c {
        '\u{0E00}'..='\u{0E7F}' => Some(0),
        '\u{0E80}'..='\u{0EFF}' => Some(1),
        '\u{1780}'..='\u{17FF}' | '\u{19E0}'..='\u{19FF}' => Some(2),
        '\u{1000}'..='\u{109F}' | '\u{AA60}'..='\u{AA7F}' | '\u{A9E0}'..='\u{A9FF}' => Some(3),
        _ => None,
    };
    let script = |segment: &str| -> Option<Script> {
        let mut chars = segment.chars();
        let c = chars.next().filter(|c| c.is_alphanumeric())?;
        if let Some(s) = spaceless(c) {
            return (c.is_alphabetic() && chars.all(|m| spaceless(m) == Some(s)))
                .then_some(Script::Spaceless(s));
        }
        match (c, chars.next()) {
            ('\u{3040}'..='\u{309F}', None) => Some(Script::Hiragana),
            (
                '\u{3005}'
                | '\u{3007}'
                | '\u{3400}'..='\u{4DBF}'
                | '\u{4E00}'..='\u{9FFF}'
                | '\u{F900}'..='\u{FAFF}'
                | '\u{20000}'..='\u{3134F}',
                None,
            ) => Some(Script::Han),
            _ => None,
        }
    };
    let pairs = |first: Script, next: Script| match first {
        Script::Han => matches!(next, Script::Han | Script::Hiragana),
        Script::Hiragana => false,
        Script::Spaceless(s) => next == Script::Spaceless(s),
    };
    // A segment holding Hangul splits into runs of syllables (precomposed,
    // an LV one with a trailing jamo, or leading + vowel (+ trailing)
    // jamo), given as their pairs or a lone syllable, and runs of other
    // chars, given when they hold a letter or digit.
    let hangul_units = |w: &str| -> Vec<(usize, usize, bool)> {
        let chars: Vec<(usize, char)> = w.char_indices().collect();
        let (mut units, mut k) = (Vec::new(), 0);
        let at = |k: usize| chars.get(k).map(|&(_, c)| c as u32);
        let end = |k: usize| chars.get(k).map_or(w.len(), |&(j, _)| j);
        while k < chars.len() {
            let c = chars[k].1 as u32;
            let trailing = |k: usize| at(k).is_some_and(|t| (0x11A8..=0x11C2).contains(&t));
            let len = if (0xAC00..=0xD7A3).contains(&c) {
                1 + usize::from((c - 0xAC00).is_multiple_of(28) && trailing(k + 1))
            } else if (0x1100..=0x1112).contains(&c)
                && at(k + 1).is_some_and(|v| (0x1161..=0x1175).contains(&v))
            {
                2 + usize::from(trailing(k + 2))
            } else {
                0
            };
            units.push((chars[k].0, end(k + len.max(1)), len > 0));
            k += len.max(1);
        }
        units
    };
    let segments: Vec<(usize, &str)> = text.split_word_bound_indices().collect();
    let mut reference: Vec<(usize, usize)> = Vec::new();
    for (i, &(s, w)) in segments.iter().enumerate() {
        let Some(this) = script(w) else {
            let units = hangul_units(w);
            if units.iter().any(|u| u.2) && units.len() >= 2 {
                let mut k = 0;
                while k < units.len() {
                    let run = units[k..].iter().take_while(|u| u.2 == units[k].2).count();
                    let (from, to) = (units[k].0, units[k + run - 1].1);
                    if !units[k].2 {
                        if w[from..to].chars().any(char::is_alphanumeric) {
                            reference.push((s + from, s + to));
                        }
                    } else if run == 1 {
                        reference.push((s + from, s + to));
                    } else {
                        for j in k..k + run - 1 {
                            reference.push((s + units[j].0, s + units[j + 1].1));
                        }
                    }
                    k += run;
                }
            } else if w.chars().any(char::is_alphanumeric) {
                reference.push((s, s + w.len()));
            }
            continue;
        };
        let after = i > 0 && script(segments[i - 1].1).is_some_and(|b| pairs(b, this));
        let next = segments
            .get(i + 1)
            .filter(|(_, n)| script(n).is_some_and(|q| pairs(this, q)));
        match next {
            Some(&(n, next)) => reference.push((s, n + next.len())),
            None if !after => reference.push((s, s + w.len())),
            None => {}
        }
    }
    let got: Vec<(usize, usize)> = spans.iter().map(|s| (s.start, s.end)).collect();
    assert_eq!(
        got, reference,
        "words() disagrees with unicode-segmentation and the Han pairs"
    );
    // Email boilerplate: ordered, disjoint ranges on char boundaries, and
    // blanking them keeps every offset: each byte is kept or is a space
    // where a non-newline was.
    let ranges = boilerplate_ranges(text);
    let mut last = 0;
    for r in &ranges {
        assert!(last <= r.start && r.start <= r.end && r.end <= text.len());
        assert!(text.is_char_boundary(r.start) && text.is_char_boundary(r.end));
        last = r.end;
    }
    let blanked = blank_boilerplate(text);
    assert_eq!(blanked.len(), text.len());
    for (i, (a, b)) in text.bytes().zip(blanked.bytes()).enumerate() {
        let inside = ranges.iter().any(|r| r.contains(&i));
        assert!(
            if inside {
                b == b' ' || (a == b'\n' && b == a)
            } else {
                a == b
            },
            "byte {i}"
        );
    }
    // The named languages without a stemmer analyse as None does.
    let analysed = Language::ALL
        .into_iter()
        .filter(|l| *l == Language::None || l.has_stemmer());
    for language in analysed {
        // A token is a word, or (French and Italian elision, "l'app") one
        // of its two halves around an apostrophe.
        let analysis = Analyzer::new(language).analyze(text);
        let tokens: Vec<_> = analysis.iter().collect();
        let elides = matches!(language, Language::French | Language::Italian);
        let mut i = 0;
        for span in &spans {
            let first = tokens.get(i).expect("a token per word").span;
            assert!(!tokens[i].folded.is_empty());
            if first == *span {
                i += 1;
                continue;
            }
            assert!(elides, "{language:?}: {first:?} is not the word {span:?}");
            let second = tokens
                .get(i + 1)
                .expect("the elided word's other half")
                .span;
            let apostrophe = &text[first.end..second.start];
            assert!(
                apostrophe == "'" || apostrophe == "\u{2019}",
                "{apostrophe:?}"
            );
            assert_eq!((first.start, second.end), (span.start, span.end));
            assert!(!tokens[i + 1].folded.is_empty());
            i += 2;
        }
        assert_eq!(i, tokens.len());
        let limited = Analyzer::new(language).with_max_tokens(3).analyze(text);
        assert_eq!(limited.len(), tokens.len().min(3));
        assert_eq!(limited.truncated(), tokens.len() > 3);
    }
    // Korean written decomposed (NFD, conjoining jamo) reads as the same
    // words as written composed: its syllables decomposed, the text folds
    // to the same tokens.
    let nfd = hangul_nfd(text);
    if nfd != text && nfd.len() <= MAX_INPUT {
        let analyzer = Analyzer::new(Language::Korean);
        let folded = |text: &str| -> Vec<String> {
            analyzer
                .analyze(text)
                .iter()
                .map(|t| t.folded.to_string())
                .collect()
        };
        assert_eq!(folded(&nfd), folded(text), "NFD {nfd:?}");
    }
}

/// `text` with every precomposed Hangul syllable decomposed into its
/// conjoining jamo (Unicode 3.12), as macOS writes it.
pub fn hangul_nfd(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        let s = c as u32;
        if (0xAC00..=0xD7A3).contains(&s) {
            let index = s - 0xAC00;
            let (l, v, t) = (index / (21 * 28), index % (21 * 28) / 28, index % 28);
            out.extend(char::from_u32(0x1100 + l));
            out.extend(char::from_u32(0x1161 + v));
            if t > 0 {
                out.extend(char::from_u32(0x11A7 + t));
            }
        } else {
            out.push(c);
        }
    }
    out
}

/// `timestamp`: any text parses or is an error; what parses round-trips
/// through Display and serde.
pub fn timestamp(text: &str) {
    if text.len() > MAX_INPUT {
        return;
    }
    if let Ok(t) = text.parse::<Timestamp>() {
        round_trip(t);
    }
    let _ = serde_json::from_str::<Timestamp>(text);
}

/// Display and serde round-trips of one timestamp, plus calendar sanity.
pub fn round_trip(t: Timestamp) {
    let shown = t.to_string();
    assert_eq!(
        shown.parse::<Timestamp>().ok(),
        Some(t),
        "Display round-trip of {shown}"
    );
    let json = serde_json::to_string(&t).unwrap();
    assert_eq!(
        serde_json::from_str::<Timestamp>(&json).ok(),
        Some(t),
        "serde round-trip of {json}"
    );
    let (year, month, day) = t.date();
    assert!((1..=12).contains(&month) && (1..=31).contains(&day));
    assert!((1..=7).contains(&t.weekday()));
    if let Some(midnight) = Timestamp::from_date(year, month, day) {
        assert_eq!(midnight.days(), t.days());
    }
}
