//! The ASCII fast path of `analysis::words` must agree with the general
//! Unicode path (unicode-segmentation) on every ASCII text.

use painpoint::analysis::words;
use proptest::prelude::*;
use unicode_segmentation::UnicodeSegmentation;

/// The obvious reference: UAX #29 segments holding a letter or digit.
fn reference(text: &str) -> Vec<(usize, usize)> {
    text.split_word_bound_indices()
        .filter(|(_, w)| w.chars().any(char::is_alphanumeric))
        .map(|(s, w)| (s, s + w.len()))
        .collect()
}

fn fast(text: &str) -> Vec<(usize, usize)> {
    words(text).map(|s| (s.start, s.end)).collect()
}

const CASES: &[&str] = &[
    "",
    "hello world",
    "can't won't l'app",
    "e.g. 3.14 1,000 1,2,3 a.b.c",
    "foo_bar _x_ __ a_1 1_a",
    "a:b 12:30 a::b a..b 1..2",
    "end. 'quoted' ,lead trail, ;semi;",
    "x'.y 1'2 1;2 a;b a,b",
    "...a... ___ '''",
];

#[test]
fn ascii_fast_path_matches_unicode_on_table() {
    for case in CASES {
        assert_eq!(fast(case), reference(case), "text {case:?}");
    }
}

proptest! {
    #[test]
    fn ascii_fast_path_matches_unicode(text in "[a-c0-2_.,;:' \n!-]{0,40}") {
        prop_assert_eq!(fast(&text), reference(&text));
    }

    /// Long runs of letters, digits and connectors, which the fast path
    /// reads eight bytes at a time, and any printable ASCII between them.
    #[test]
    fn ascii_fast_path_matches_unicode_on_long_words(
        text in "([a-zA-Z0-9_]{0,19}[ -~\n]{0,2}){0,6}"
    ) {
        prop_assert_eq!(fast(&text), reference(&text));
    }
}
