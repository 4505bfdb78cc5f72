//! Signals on arbitrary text: never panic; scores in range; evidence spans
//! on char boundaries inside their field; deterministic. Inputs over 64 KiB
//! are skipped.
#![no_main]

use libfuzzer_sys::fuzz_target;
use painpoint::signals::Signals;
use painpoint::Field;

fuzz_target!(|data: &[u8]| {
    if data.len() > 64 * 1024 {
        return;
    }
    let Ok(all) = std::str::from_utf8(data) else { return };
    let (subject, text) = match all.split_once('\n') {
        Some((s, t)) => (Some(s), t),
        None => (None, all),
    };
    let signals = Signals::english();
    let reading = signals.read(subject, text);
    assert_eq!(reading, signals.read(subject, text), "not deterministic");
    let score = reading.sentiment.score;
    assert!(score.is_finite() && (-1.0..=1.0).contains(&score), "sentiment {score}");
    assert!((0.0..=1.0).contains(&reading.kind.score), "kind {}", reading.kind.score);
    let field_text = |f: Field| if f == Field::Subject { subject.unwrap_or("") } else { text };
    let evidence = reading
        .needs
        .iter()
        .inspect(|n| assert!((0.0..=1.0).contains(&n.score), "need {}", n.score))
        .flat_map(|n| n.evidence.iter())
        .chain(&reading.kind.evidence)
        .chain(&reading.sentiment.evidence);
    for e in evidence {
        let t = field_text(e.field);
        assert!(e.span.start < e.span.end && e.span.end <= t.len(), "span {:?}", e.span);
        assert!(t.is_char_boundary(e.span.start) && t.is_char_boundary(e.span.end));
    }
});
