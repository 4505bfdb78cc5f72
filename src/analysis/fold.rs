//! Case folding that never moves byte offsets.

/// Appends the case-folded form of `word` to `out`.
///
/// ASCII words take a fast path; other words use Unicode lowercasing, which
/// may change their length (Turkish `İ` becomes `i̇`): that is harmless,
/// because the folded text is kept apart from the original and spans always
/// point into the original. Apostrophe variants (`’`, `ʼ`) become `'` so
/// that "can’t" and "can't" meet. Hangul written decomposed, as conjoining
/// jamo (NFD, as macOS writes it), is composed into its syllables (NFC,
/// Unicode 3.12), so Korean typed on any system meets the same words.
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
    let mut chars = word.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '\u{2019}' | '\u{02BC}' | '\u{2018}' => out.push('\''),
            '\u{1100}'..='\u{11FF}' | '\u{AC00}'..='\u{D7A3}' => {
                out.push(compose_hangul(c, &mut chars));
            }
            _ => out.extend(c.to_lowercase()),
        }
    }
}

/// The Hangul syllable that `c` and the conjoining jamo after it in
/// `rest` compose (Unicode 3.12: a leading consonant and a vowel, then a
/// trailing consonant; or an LV syllable and a trailing consonant), taking
/// those jamo from `rest`; `c` itself when nothing composes.
fn compose_hangul(c: char, rest: &mut std::iter::Peekable<std::str::Chars<'_>>) -> char {
    use super::tokenizer::{is_leading_jamo, is_lv, is_trailing_jamo, is_vowel_jamo};
    let mut syllable = c as u32;
    if is_leading_jamo(c) {
        let Some(vowel) = rest.next_if(|&v| is_vowel_jamo(v)) else {
            return c;
        };
        syllable = 0xAC00 + ((c as u32 - 0x1100) * 21 + (vowel as u32 - 0x1161)) * 28;
    } else if !is_lv(c) {
        return c;
    }
    if let Some(trailing) = rest.next_if(|&t| is_trailing_jamo(t)) {
        syllable += trailing as u32 - 0x11A7;
    }
    char::from_u32(syllable).unwrap_or(c)
}

/// The fewest chars a word needs for its diacritics to be forgiven: short
/// words differ by their accents alone ("a" / "à", "ou" / "où", "si" /
/// "sí", "mas" / "más").
const BARE_MIN_CHARS: usize = 4;

/// Appends `word` without diacritics to `out` ([`strip_diacritics`]) and
/// says whether a customer who leaves them out is forgiven: the word had
/// some, and it is at least [`BARE_MIN_CHARS`] chars long. The one rule
/// the tagger's and the signals' vocabularies share.
pub(crate) fn forgiven_form(word: &str, out: &mut String) -> bool {
    let start = out.len();
    strip_diacritics(word, out) && out[start..].chars().count() >= BARE_MIN_CHARS
}

/// The lookup that forgives how a customer typed a word, shared by the
/// tagger's and the signals' vocabularies, for a `key` neither knows as
/// it stands: an all-ASCII key is looked up among the keys that had
/// diacritics (`bare`: "telecharg" meets "télécharg"), then, with
/// `umlaut_spellings` (German), with its spelt-out umlauts folded
/// ([`fold_umlaut_spellings`]); a key with diacritics, by its
/// [`forgiven_form`]. A folded key is looked up as it stands (`exact`),
/// then among the bare keys. Cost: one to three lookups, after folding.
pub(crate) fn forgiving_lookup<T>(
    key: &str,
    umlaut_spellings: bool,
    exact: impl Fn(&str) -> Option<T>,
    bare: impl Fn(&str) -> Option<T>,
) -> Option<T> {
    let mut folded = String::new();
    if key.is_ascii() {
        if let Some(found) = bare(key) {
            return Some(found);
        }
        if !umlaut_spellings || !fold_umlaut_spellings(key, &mut folded) {
            return None;
        }
    } else if !forgiven_form(key, &mut folded) {
        return None;
    }
    exact(&folded).or_else(|| bare(&folded))
}

/// Appends `word` without the diacritics of Latin letters to `out`
/// ("télécharg" -> "telecharg", "reçu" -> "recu", "ş" -> "s", "ß" -> "ss",
/// "œ" -> "oe"), for matching that forgives a customer who types without
/// accents. Other characters are copied. Returns whether anything changed.
/// Cost: linear in the word.
pub(crate) fn strip_diacritics(word: &str, out: &mut String) -> bool {
    if word.is_ascii() {
        out.push_str(word);
        return false;
    }
    let mut changed = false;
    for c in word.chars() {
        let bare: &str = match c {
            'à' | 'á' | 'â' | 'ã' | 'ä' | 'å' | 'ā' | 'ă' | 'ą' => "a",
            'ç' | 'ć' | 'č' | 'ĉ' | 'ċ' => "c",
            'ď' | 'đ' => "d",
            'è' | 'é' | 'ê' | 'ë' | 'ē' | 'ĕ' | 'ė' | 'ę' | 'ě' => "e",
            'ĝ' | 'ğ' | 'ġ' | 'ģ' => "g",
            'ì' | 'í' | 'î' | 'ï' | 'ĩ' | 'ī' | 'ĭ' | 'į' | 'ı' => "i",
            'ķ' => "k",
            'ĺ' | 'ļ' | 'ľ' | 'ł' => "l",
            'ñ' | 'ń' | 'ņ' | 'ň' => "n",
            'ò' | 'ó' | 'ô' | 'õ' | 'ö' | 'ø' | 'ō' | 'ŏ' | 'ő' => "o",
            'ŕ' | 'ř' => "r",
            'ś' | 'ŝ' | 'ş' | 'š' | 'ș' => "s",
            'ţ' | 'ť' | 'ț' => "t",
            'ù' | 'ú' | 'û' | 'ü' | 'ũ' | 'ū' | 'ŭ' | 'ů' | 'ű' | 'ų' => "u",
            'ý' | 'ÿ' => "y",
            'ź' | 'ż' | 'ž' => "z",
            'ß' => "ss",
            'æ' => "ae",
            'œ' => "oe",
            _ => {
                out.push(c);
                continue;
            }
        };
        out.push_str(bare);
        changed = true;
    }
    changed
}

/// Appends `word` with German umlauts spelt out ("ae", "oe", "ue", as on
/// a keyboard without them) folded to their bare vowel ("rueck" ->
/// "ruck") to `out`, and says whether it changed anything and is at least
/// [`BARE_MIN_CHARS`] long. "ue" after "q" ("queue") is not an umlaut.
/// The German Snowball stemmer drops umlauts from its stems ("rück" ->
/// "ruck"), so the stem of a word typed without them, folded so, meets
/// the stem of the word as written. Cost: linear in the word.
pub(crate) fn fold_umlaut_spellings(word: &str, out: &mut String) -> bool {
    let start = out.len();
    let bytes = word.as_bytes();
    let mut changed = false;
    let mut copied = 0;
    let mut i = 1;
    while i < bytes.len() {
        let umlaut = bytes[i] == b'e'
            && match bytes[i - 1] {
                b'a' | b'o' => true,
                b'u' => i < 2 || bytes[i - 2] != b'q',
                _ => false,
            };
        if umlaut {
            out.push_str(&word[copied..i]);
            copied = i + 1;
            changed = true;
            i += 2;
        } else {
            i += 1;
        }
    }
    out.push_str(&word[copied..]);
    changed && out[start..].chars().count() >= BARE_MIN_CHARS
}

#[cfg(test)]
mod tests {
    use super::{fold_umlaut_spellings, strip_diacritics};

    /// What a folding writes for `word`, and whether it says it changed it.
    fn folded(fold: fn(&str, &mut String) -> bool, word: &str) -> (String, bool) {
        let mut out = String::new();
        let changed = fold(word, &mut out);
        (out, changed)
    }

    #[test]
    fn umlauts_spelt_out_fold_to_their_vowel() {
        let fold = |w: &str| folded(fold_umlaut_spellings, w);
        assert_eq!(fold("rueckerstatt"), ("ruckerstatt".into(), true));
        assert_eq!(fold("groess"), ("gross".into(), true));
        assert_eq!(fold("laedt"), ("ladt".into(), true));
        assert_eq!(fold("queu"), ("queu".into(), false));
        assert_eq!(fold("konto"), ("konto".into(), false));
        // Too short once folded: "ue" -> "u".
        assert!(!fold("ue").1);
    }

    #[test]
    fn strips_latin_diacritics_only() {
        let strip = |w: &str| folded(strip_diacritics, w);
        assert_eq!(strip("télécharg"), ("telecharg".into(), true));
        assert_eq!(strip("reçu"), ("recu".into(), true));
        assert_eq!(strip("straße"), ("strasse".into(), true));
        assert_eq!(strip("cœur"), ("coeur".into(), true));
        assert_eq!(strip("fatura"), ("fatura".into(), false));
        // Other scripts are kept as they are.
        assert_eq!(strip("счёт"), ("счёт".into(), false));
        assert_eq!(strip("数据"), ("数据".into(), false));
    }
}
