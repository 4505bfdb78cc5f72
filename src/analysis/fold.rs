//! Case folding that never moves byte offsets.

/// Appends the case-folded form of `word` to `out`.
///
/// ASCII words take a fast path; other words use Unicode lowercasing, which
/// may change their length (Turkish `İ` becomes `i̇`): that is harmless,
/// because the folded text is kept apart from the original and spans always
/// point into the original. Apostrophe variants (`’`, `ʼ`) become `'` so
/// that "can’t" and "can't" meet.
///
/// # Example
///
/// ```
/// let mut out = String::new();
/// painpoint::analysis::fold_into("Can’T", &mut out);
/// assert_eq!(out, "can't");
/// ```
pub fn fold_into(word: &str, out: &mut String) {
    if word.is_ascii() {
        let start = out.len();
        out.push_str(word);
        out[start..].make_ascii_lowercase();
        return;
    }
    for c in word.chars() {
        match c {
            '\u{2019}' | '\u{02BC}' | '\u{2018}' => out.push('\''),
            _ => out.extend(c.to_lowercase()),
        }
    }
}
