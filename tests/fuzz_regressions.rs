//! Replays every saved fuzz input (tests/fuzz_regressions/<target>/)
//! through the checks of its target (fuzz/src/checks.rs).

#[allow(dead_code)]
#[path = "../fuzz/src/checks.rs"]
mod checks;

use std::fs;
use std::path::PathBuf;

use painpoint::{Product, TaggerConfig, Ticket};
use serde::Deserialize;

fn inputs(target: &str) -> Vec<(PathBuf, Vec<u8>)> {
    let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fuzz_regressions")
        .join(target);
    let mut out: Vec<(PathBuf, Vec<u8>)> = fs::read_dir(&dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_none_or(|e| e != "md"))
        .map(|p| {
            let bytes = fs::read(&p).unwrap();
            (p, bytes)
        })
        .collect();
    out.sort();
    assert!(!out.is_empty(), "no inputs in {}", dir.display());
    out
}

/// The inputs of a target that reads text; each must be UTF-8.
fn text_inputs(target: &str) -> Vec<String> {
    inputs(target)
        .into_iter()
        .map(|(path, bytes)| {
            String::from_utf8(bytes).unwrap_or_else(|_| panic!("{} is not UTF-8", path.display()))
        })
        .collect()
}

#[test]
fn product_json() {
    for (_, bytes) in inputs("product_json") {
        checks::product_json(&bytes);
    }
}

#[test]
fn analysis() {
    for text in text_inputs("analysis") {
        checks::analysis(&text);
    }
}

#[test]
fn timestamp() {
    for (_, bytes) in inputs("timestamp") {
        if bytes.len() >= 8 {
            let seconds = i64::from_le_bytes(bytes[..8].try_into().unwrap());
            checks::round_trip(painpoint::Timestamp::from_unix(seconds));
        }
        if let Ok(text) = std::str::from_utf8(&bytes) {
            checks::timestamp(text);
        }
    }
}

#[test]
fn signals() {
    for text in text_inputs("signals") {
        checks::signals(&text);
    }
}

#[test]
fn signals_config() {
    for (_, bytes) in inputs("signals_config") {
        checks::signals_config(&bytes);
    }
}

#[derive(Deserialize)]
struct TagCase {
    product: Product,
    ticket: Ticket,
    max_bytes: usize,
    max_tokens: usize,
    max_matches: usize,
}

#[test]
fn tag() {
    for (path, bytes) in inputs("tag") {
        let case: TagCase =
            serde_json::from_slice(&bytes).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
        let config = TaggerConfig::default()
            .max_bytes(case.max_bytes)
            .max_tokens(case.max_tokens)
            .max_matches(case.max_matches);
        checks::tag(&case.product, config, &case.ticket);
    }
}

/// The saved edge case has exactly `max_tokens` words (subject and body
/// together): not truncated; one token less is.
#[test]
fn exact_token_limit() {
    let (_, bytes) = inputs("tag")
        .into_iter()
        .find(|(p, _)| p.ends_with("exact_token_limit.json"))
        .unwrap();
    let case: TagCase = serde_json::from_slice(&bytes).unwrap();
    let tag = |max_tokens: usize| {
        let config = TaggerConfig::default().max_tokens(max_tokens);
        let tagger = painpoint::Tagger::builder()
            .config(config)
            .build(&case.product)
            .unwrap();
        tagger.tag(&case.ticket)
    };
    let exact = tag(case.max_tokens);
    assert!(!exact.truncated);
    assert_eq!(exact.best().unwrap().node(), "f");
    assert!(tag(case.max_tokens - 1).truncated);
}
