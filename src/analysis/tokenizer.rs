//! Unicode word segmentation with byte offsets into the original text.

use unicode_segmentation::UnicodeSegmentation;

use crate::span::Span;

/// Splits text into words by the Unicode word-boundary rules (UAX #29).
///
/// Only segments that contain at least one letter or digit are words:
/// spaces, punctuation and emoji are skipped. Each word comes with its byte
/// span in the original text, which later filters never change. Scripts
/// written without spaces get no word boundaries from UAX #29, which makes
/// each Han or hiragana character, and each Thai, Lao, Khmer or Myanmar
/// letter with its marks, a segment of its own; as in Lucene's CJK bigram
/// filter, a run of such characters gives its overlapping pairs instead
/// ("予約変更" is "予約", "約変", "変更"; spans overlap), and a character
/// alone in its run stays a word of one character. A Han character pairs
/// with the Han or hiragana one after it, a hiragana one starts no pair,
/// and the others pair within their own script. Korean writes spaces
/// between phrases, not words, so a noun carries its particle: a Hangul
/// word of two syllables or more gives its overlapping syllable pairs too
/// ("환불이" is "환불", "불이"), whether its syllables are precomposed
/// (NFC) or decomposed into jamo (NFD, as macOS writes it; folding
/// composes them), and Hangul glued to Latin letters or digits is split
/// from them ("환불123" is "환불", "123"). Text and product go through the same
/// segmentation, so a two-character word ("予約", "退款", "환불") is a word
/// wherever it stands, inside a longer run or not, and a longer keyword
/// matches as a phrase of its pairs. A katakana word is one segment
/// already. A lone character never carries a match on its own, and typo
/// tolerance does not apply to these words.
///
/// All-ASCII text takes a fast path that applies the same rules directly to
/// bytes (a property test checks it against `unicode-segmentation`); one
/// non-ASCII byte sends the whole text down the general path.
///
/// Cost: linear in the length of the text.
///
/// # Example
///
/// ```
/// use painpoint::analysis::words;
///
/// let text = "Can't log in — l'app crashed!";
/// let found: Vec<&str> = words(text).map(|span| &text[span.start..span.end]).collect();
/// assert_eq!(found, ["Can't", "log", "in", "l'app", "crashed"]);
/// ```
pub fn words(text: &str) -> Words<'_> {
    if text.is_ascii() {
        Words::Ascii(AsciiWords {
            bytes: text.as_bytes(),
            at: 0,
        })
    } else {
        Words::Unicode(Bigrams::new(text))
    }
}

/// UAX #29 words, with the characters of scripts written without spaces
/// paired (see [`words`]).
#[doc(hidden)]
#[derive(Debug, Clone)]
pub struct Bigrams<'a> {
    segments: unicode_segmentation::UWordBoundIndices<'a>,
    /// The last character of the current run: its span, whether it already
    /// stands in a pair (else it is given alone once it cannot be) and its
    /// script (which says whether it starts a pair with the next one).
    previous: Option<(Span, bool, Pairing)>,
    /// A word found while ending a run, given after the run's last word.
    queued: Option<Span>,
    /// What is left of a segment holding Hangul being given as its
    /// syllable pairs and other words: where the rest starts, the rest,
    /// and whether its first syllable already stands in a pair.
    syllables: Option<(usize, &'a str, bool)>,
}

impl<'a> Bigrams<'a> {
    fn new(text: &'a str) -> Bigrams<'a> {
        Bigrams {
            segments: text.split_word_bound_indices(),
            previous: None,
            queued: None,
            syllables: None,
        }
    }

    /// The next word of the segment holding Hangul being split, if any: a
    /// pair of syllables, a syllable alone in its run, or a run of other
    /// characters holding a letter or digit ("환불123" is "환불", "123").
    fn next_syllable_pair(&mut self) -> Option<Span> {
        while let Some((start, rest, paired)) = self.syllables.take() {
            if rest.is_empty() {
                return None;
            }
            if let Some(first) = hangul_syllable(rest) {
                let after = &rest[first..];
                self.syllables = Some((start + first, after, false));
                if let Some(second) = hangul_syllable(after) {
                    self.syllables = Some((start + first, after, true));
                    return Some(Span::new(start, start + first + second));
                }
                if !paired {
                    return Some(Span::new(start, start + first));
                }
                continue;
            }
            // Other characters, up to the next Hangul syllable.
            let end = rest
                .char_indices()
                .skip(1)
                .find(|&(i, _)| hangul_syllable(&rest[i..]).is_some())
                .map_or(rest.len(), |(i, _)| i);
            self.syllables = Some((start + end, &rest[end..], false));
            if is_word(&rest[..end]) {
                return Some(Span::new(start, start + end));
            }
        }
        None
    }
}

impl Iterator for Bigrams<'_> {
    type Item = Span;

    fn next(&mut self) -> Option<Span> {
        if let Some(span) = self.queued.take() {
            return Some(span);
        }
        if let Some(span) = self.next_syllable_pair() {
            return Some(span);
        }
        let alone = |previous: Option<(Span, bool, Pairing)>| {
            previous.and_then(|(c, paired, _)| (!paired).then_some(c))
        };
        loop {
            let Some((start, segment)) = self.segments.next() else {
                // The end of the text ends the run.
                return alone(self.previous.take());
            };
            let span = Span::new(start, start + segment.len());
            if let Some(script) = paired_script(segment) {
                // Segments are contiguous: the previous character is the
                // one just before this one.
                match self.previous.replace((span, false, script)) {
                    Some((before, _, first)) if first.pairs_with(script) => {
                        self.previous = Some((span, true, script));
                        return Some(Span::new(before.start, span.end));
                    }
                    before => match alone(before) {
                        Some(c) => return Some(c),
                        None => continue,
                    },
                }
            }
            // Anything else ends the run: its last character, if alone,
            // is a word before this segment's.
            let word = if splits_as_hangul(segment) {
                self.syllables = Some((start, segment, false));
                self.next_syllable_pair()
            } else {
                is_word(segment).then_some(span)
            };
            match (alone(self.previous.take()), word) {
                (Some(c), word) => {
                    self.queued = word;
                    return Some(c);
                }
                (None, Some(word)) => return Some(word),
                (None, None) => {}
            }
        }
    }
}

/// The scripts whose UAX #29 segments [`words`] pairs: those written
/// without spaces between words, where UAX #29 leaves each character (or
/// grapheme, with its marks) a segment of its own.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Pairing {
    /// A Han character: pairs with the next Han or hiragana character.
    Han,
    /// A hiragana character: ends a pair after a Han one, starts none
    /// (particles and endings are not words).
    Hiragana,
    /// A letter of Thai, Lao, Khmer or Myanmar with its marks: pairs with
    /// the next one of the same script (the number tells which).
    Spaceless(u8),
}

impl Pairing {
    /// Whether a character of this script and one of `next` right after it
    /// form a pair.
    fn pairs_with(self, next: Pairing) -> bool {
        match self {
            Pairing::Han => matches!(next, Pairing::Han | Pairing::Hiragana),
            Pairing::Hiragana => false,
            Pairing::Spaceless(_) => next == self,
        }
    }
}

/// For a UAX #29 segment of one character of a script written without
/// spaces (Han and hiragana, one character a segment; Thai, Lao, Khmer and
/// Myanmar, one letter with its marks; katakana words come whole), its
/// script; `None` for any other segment.
pub(crate) fn paired_script(segment: &str) -> Option<Pairing> {
    let mut chars = segment.chars();
    // A mark alone ("\u{3099}", a voicing mark) is no word.
    let c = chars.next().filter(|c| c.is_alphanumeric())?;
    if let Some(script) = spaceless(c) {
        // A letter and its marks; digits are numbers, not syllables.
        return (c.is_alphabetic() && chars.all(|m| spaceless(m) == Some(script)))
            .then_some(Pairing::Spaceless(script));
    }
    if chars.next().is_some() {
        return None;
    }
    match c {
        '\u{3040}'..='\u{309F}' => Some(Pairing::Hiragana),
        '\u{3005}' | '\u{3007}' // 々 (repeat the character before), 〇
        | '\u{3400}'..='\u{4DBF}' // CJK extension A
        | '\u{4E00}'..='\u{9FFF}' // CJK unified ideographs
        | '\u{F900}'..='\u{FAFF}' // CJK compatibility ideographs
        | '\u{20000}'..='\u{3134F}' => Some(Pairing::Han), // CJK extensions B to G
        _ => None,
    }
}

/// The script of a char of Thai (0), Lao (1), Khmer (2) or Myanmar (3),
/// whose letters [`words`] pairs within their script; `None` for any other.
fn spaceless(c: char) -> Option<u8> {
    match c {
        '\u{0E00}'..='\u{0E7F}' => Some(0), // Thai
        '\u{0E80}'..='\u{0EFF}' => Some(1), // Lao
        '\u{1780}'..='\u{17FF}' | '\u{19E0}'..='\u{19FF}' => Some(2), // Khmer
        '\u{1000}'..='\u{109F}' | '\u{AA60}'..='\u{AA7F}' | '\u{A9E0}'..='\u{A9FF}' => Some(3), // Myanmar
        _ => None,
    }
}

/// Whether a word of [`words`] starts with a letter of Thai, Lao, Khmer or
/// Myanmar: it is then a pair of letters with their marks, or a letter
/// alone, a piece cut out of a run of a script written without spaces,
/// not a word, so typo tolerance does not apply to it (the marks of two
/// letters make five chars or more, and one mark apart is another word:
/// "ไม่", not, "ไม้", wood).
pub(crate) fn starts_in_spaceless_script(word: &str) -> bool {
    word.chars().next().and_then(spaceless).is_some()
}

/// Whether a UAX #29 segment is to be given as its Hangul syllable pairs
/// and other words ([`Bigrams::next_syllable_pair`]): it holds a Hangul
/// syllable, and is not one syllable alone. Korean writes spaces between
/// phrases, not words, so a noun carries its particle ("환불이", refund +
/// subject marker): [`words`] gives its overlapping syllable pairs
/// ("환불", "불이"); UAX #29 also joins Hangul to Latin letters and
/// digits ("환불123"), which are split off as a space would.
fn splits_as_hangul(segment: &str) -> bool {
    // Hangul syllables and conjoining jamo are three bytes led by 0xE1
    // (jamo) or 0xEA to 0xED (syllables): most segments are ruled out by
    // their bytes.
    segment
        .bytes()
        .any(|b| b == 0xE1 || (0xEA..=0xED).contains(&b))
        && segment
            .char_indices()
            .any(|(i, _)| hangul_syllable(&segment[i..]).is_some_and(|n| n < segment.len()))
}

/// The length in bytes of the Hangul syllable `text` starts with, if it
/// starts with one: a precomposed syllable (NFC), or one decomposed into
/// its conjoining jamo (NFD, as macOS writes it: a leading consonant and a
/// vowel, then a trailing consonant if any; an LV syllable may also be
/// followed by a trailing jamo). Modern jamo only, those that compose
/// (Unicode 3.12).
pub(crate) fn hangul_syllable(text: &str) -> Option<usize> {
    let mut chars = text.chars();
    let first = chars.next()?;
    let mut next = chars.next();
    let mut len = if is_hangul_syllable(first) {
        if !is_lv(first) {
            return Some(3);
        }
        first.len_utf8()
    } else if is_leading_jamo(first) && next.is_some_and(is_vowel_jamo) {
        next = chars.next();
        6
    } else {
        return None;
    };
    if next.is_some_and(is_trailing_jamo) {
        len += 3;
    }
    Some(len)
}

/// A precomposed Hangul syllable (U+AC00 to U+D7A3).
pub(crate) fn is_hangul_syllable(c: char) -> bool {
    ('\u{AC00}'..='\u{D7A3}').contains(&c)
}

/// A precomposed Hangul syllable with no trailing consonant, to which a
/// trailing jamo composes.
pub(crate) fn is_lv(c: char) -> bool {
    is_hangul_syllable(c) && (c as u32 - 0xAC00).is_multiple_of(28)
}

/// A modern leading consonant jamo (choseong), U+1100 to U+1112.
pub(crate) fn is_leading_jamo(c: char) -> bool {
    ('\u{1100}'..='\u{1112}').contains(&c)
}

/// A modern vowel jamo (jungseong), U+1161 to U+1175.
pub(crate) fn is_vowel_jamo(c: char) -> bool {
    ('\u{1161}'..='\u{1175}').contains(&c)
}

/// A modern trailing consonant jamo (jongseong), U+11A8 to U+11C2.
pub(crate) fn is_trailing_jamo(c: char) -> bool {
    ('\u{11A8}'..='\u{11C2}').contains(&c)
}

/// The length in bytes of the first character (or letter with marks) of
/// the pair `next` when the word `before` ends with it, as consecutive
/// pairs of one run of a script [`words`] pairs do ("退款", "款到"; "환불",
/// "불이"); `None` when they do not overlap.
pub(crate) fn pair_overlap(before: &str, next: &str) -> Option<usize> {
    let first = next.split_word_bounds().next()?;
    let first = if let Some(syllable) = hangul_syllable(first).filter(|&n| n < first.len()) {
        &first[..syllable]
    } else if paired_script(first).is_some_and(|p| p != Pairing::Hiragana) {
        first
    } else {
        return None;
    };
    (next.len() > first.len() && before.len() > first.len() && before.ends_with(first))
        .then_some(first.len())
}

/// The iterator returned by [`words`].
#[derive(Debug, Clone)]
pub enum Words<'a> {
    /// Fast path for all-ASCII text.
    #[doc(hidden)]
    Ascii(AsciiWords<'a>),
    /// General path.
    #[doc(hidden)]
    Unicode(Bigrams<'a>),
}

impl Iterator for Words<'_> {
    type Item = Span;

    fn next(&mut self) -> Option<Span> {
        match self {
            Words::Ascii(words) => words.next(),
            Words::Unicode(segments) => segments.next(),
        }
    }
}

fn is_word(segment: &str) -> bool {
    segment.chars().any(char::is_alphanumeric)
}

/// UAX #29 word segmentation restricted to ASCII, yielding only segments
/// that hold a letter or digit.
#[doc(hidden)]
#[derive(Debug, Clone)]
pub struct AsciiWords<'a> {
    bytes: &'a [u8],
    at: usize,
}

// The UAX #29 word-break classes of the ASCII bytes, as bits (each byte
// has at most one).
const LETTER: u8 = 1;
const NUMERIC: u8 = 2;
/// `_` (ExtendNumLet)
const CONNECTOR: u8 = 4;
/// `:` (MidLetter)
const MID_LETTER: u8 = 8;
/// `.` and `'` (MidNumLet, Single_Quote)
const MID_NUM_LET: u8 = 16;
/// `,` and `;` (MidNum)
const MID_NUM: u8 = 32;
/// Bytes that continue a word run on their own.
const WORDISH: u8 = LETTER | NUMERIC | CONNECTOR;
/// Bytes that may join two letters or two digits.
const MID: u8 = MID_LETTER | MID_NUM_LET | MID_NUM;

/// [`class_of`] for every byte, computed at compile time: one load per byte
/// on the hot path, and tests on bits rather than a `match` (no jump table).
const CLASSES: [u8; 256] = {
    let mut table = [0; 256];
    let mut b = 0;
    while b < 256 {
        table[b] = class_of(b as u8);
        b += 1;
    }
    table
};

fn class(b: u8) -> u8 {
    CLASSES[b as usize]
}

const fn class_of(b: u8) -> u8 {
    match b {
        b'a'..=b'z' | b'A'..=b'Z' => LETTER,
        b'0'..=b'9' => NUMERIC,
        b'_' => CONNECTOR,
        b':' => MID_LETTER,
        b'.' | b'\'' => MID_NUM_LET,
        b',' | b';' => MID_NUM,
        _ => 0,
    }
}

/// The top bit of each byte of a word.
const HIGH_BITS: u64 = 0x8080_8080_8080_8080;

/// Each byte's value times `b`, in every byte of a word.
const fn bytes_of(b: u8) -> u64 {
    0x0101_0101_0101_0101 * b as u64
}

/// For eight bytes at once (little endian), the top bit of each byte that
/// is a letter, digit or `_` ([`WORDISH`]): per-byte compares as additions
/// that cannot carry into the next byte (each byte's low seven bits are
/// below 0x80). A byte of 0x80 or above (not ASCII) is not, as in
/// [`class`].
fn wordish_eight(x: u64) -> u64 {
    let low = x & !HIGH_BITS;
    let lower = low | bytes_of(0x20);
    // 'a' <= lower <= 'z', and '0' <= low <= '9'.
    let letter = (lower + bytes_of(0x80 - b'a')) & (bytes_of(0x80 + b'z') - lower);
    let digit = (low + bytes_of(0x80 - b'0')) & (bytes_of(0x80 + b'9') - low);
    // low == '_': zero after the xor, and only a zero byte plus 0x7f
    // stays below 0x80.
    let connector = !((low ^ bytes_of(b'_')) + bytes_of(0x7f));
    (letter | digit | connector) & !x & HIGH_BITS
}

impl AsciiWords<'_> {
    /// The words of `text`, which the caller knows to be all ASCII.
    pub(crate) fn new(text: &str) -> AsciiWords<'_> {
        AsciiWords {
            bytes: text.as_bytes(),
            at: 0,
        }
    }
}

impl Iterator for AsciiWords<'_> {
    type Item = Span;

    fn next(&mut self) -> Option<Span> {
        let bytes = self.bytes;
        let mut i = self.at;
        loop {
            // Skip to the start of a word-ish run.
            while i < bytes.len() && class(bytes[i]) & WORDISH == 0 {
                i += 1;
            }
            if i >= bytes.len() {
                self.at = i;
                return None;
            }
            let start = i;
            loop {
                // The run of letters, digits and connectors: eight bytes at
                // a time while eight are left (one test ends most words, so
                // the loop's exit is predictable), then byte by byte.
                while let Some(chunk) = bytes.get(i..i + 8).and_then(|c| c.first_chunk::<8>()) {
                    let ends = !wordish_eight(u64::from_le_bytes(*chunk)) & HIGH_BITS;
                    if ends != 0 {
                        i += (ends.trailing_zeros() / 8) as usize;
                        break;
                    }
                    i += 8;
                }
                while bytes.get(i).is_some_and(|&b| class(b) & WORDISH != 0) {
                    i += 1;
                }
                // A middle character joins what is on either side when
                // both are letters (WB6/WB7: MidLetter, MidNumLetQ) or both
                // are digits (WB11/WB12: MidNum, MidNumLetQ). `i > start`:
                // the run holds at least the first byte.
                let (Some(&mid), Some(&after)) = (bytes.get(i), bytes.get(i + 1)) else {
                    break;
                };
                let c = class(mid);
                if c & MID == 0 {
                    break;
                }
                let (before, after) = (class(bytes[i - 1]), class(after));
                let letters =
                    before == LETTER && after == LETTER && c & (MID_LETTER | MID_NUM_LET) != 0;
                let digits =
                    before == NUMERIC && after == NUMERIC && c & (MID_NUM | MID_NUM_LET) != 0;
                if !(letters || digits) {
                    break;
                }
                i += 2;
            }
            // A word holds a letter or digit, not only connectors: a byte
            // other than `_` (a middle character joined sits between
            // letters or digits). Most words begin with a letter.
            if bytes
                .get(start..i)
                .is_some_and(|w| w.iter().any(|&b| b != b'_'))
            {
                self.at = i;
                return Some(Span::new(start, i));
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Eight bytes at once classify each byte as [`class`] does, whatever
    /// its neighbours (no compare carries into the next byte).
    #[test]
    fn eight_bytes_at_once_agree_with_the_table() {
        let neighbours = [0x00, b'0', b'9', b'_', b'a', b'z', b'Z', 0x7f, 0x80, 0xff];
        for b in 0..=255u8 {
            let expected = u64::from(class(b) & WORDISH != 0);
            for position in 0..8 {
                for &around in &neighbours {
                    let mut chunk = [around; 8];
                    chunk[position] = b;
                    let wordish = wordish_eight(u64::from_le_bytes(chunk));
                    let bit = wordish >> (position * 8 + 7) & 1;
                    assert_eq!(bit, expected, "{b:#x} at {position} among {around:#x}");
                }
            }
        }
    }
}
