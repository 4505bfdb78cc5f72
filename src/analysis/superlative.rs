//! Absolute superlatives: Spanish, Portuguese and Italian intensify an
//! adjective with a suffix ("lentísimo", "caríssimo", "carissimo": very
//! slow, very expensive), and complaints are full of them. Snowball leaves
//! the suffix on, so "lentísima" would never meet "lento". This step gives
//! the plain adjective to stem instead. The tagger asks for it only for a
//! ticket word the product does not know; the signals' lexicons list the
//! superlatives they weigh higher than the adjective ("semplicissimo").

use super::Language;

/// The suffixes of `language`'s absolute superlative, written with and
/// without the accent customers often leave out; empty for a language
/// without one. Longest first within a stem vowel, so the plural wins.
fn suffixes(language: Language) -> &'static [&'static str] {
    match language {
        Language::Spanish => &[
            "ísimos", "ísimas", "ísimo", "ísima", "isimos", "isimas", "isimo", "isima",
        ],
        Language::Portuguese => &[
            "íssimos", "íssimas", "íssimo", "íssima", "issimos", "issimas", "issimo", "issima",
        ],
        Language::Italian => &["issimo", "issima", "issimi", "issime"],
        _ => &[],
    }
}

/// The least a word keeps before its suffix: "malísimo" (mal-) is one,
/// "písima" is not.
const MIN_BASE_BYTES: usize = 3;

/// The plain adjective of `folded` when it is an absolute superlative of
/// `language` ("lentísima" -> "lento", "riquísimo" -> "rico",
/// "lunghissimo" -> "lungo", "amabilísimo" -> "amable"), else `None`.
/// The result only needs to stem like the adjective: an adjective in -e or
/// a consonant gets an -o too ("grandísimo" -> "grando", stemmed "grand"
/// as "grande" is).
///
/// Cost: a few suffix comparisons; only Spanish, Portuguese and Italian
/// words ending in "-mo", "-ma", "-mi", "-me" or a plural of them get past
/// the first test.
pub(crate) fn plain_form(language: Language, folded: &str) -> Option<String> {
    let suffixes = suffixes(language);
    let tail = folded.as_bytes().get(folded.len().saturating_sub(4)..)?;
    if suffixes.is_empty() || !tail.contains(&b'm') {
        return None;
    }
    let base = suffixes
        .iter()
        .find_map(|suffix| folded.strip_suffix(suffix))
        .filter(|base| base.len() >= MIN_BASE_BYTES)?;
    let mut plain = String::with_capacity(base.len() + 3);
    // Undo the spelling the suffix forced on the stem's last consonant.
    let respelt = match language {
        Language::Italian => [("ch", "c"), ("gh", "g"), ("bil", "bile")].as_slice(),
        Language::Spanish => [("qu", "c"), ("gu", "g"), ("bil", "ble")].as_slice(),
        _ => [("qu", "c"), ("gu", "g")].as_slice(),
    };
    match respelt.iter().find(|(spelt, _)| base.ends_with(spelt)) {
        Some(&(spelt, plain_end)) => {
            plain.push_str(&base[..base.len() - spelt.len()]);
            plain.push_str(plain_end);
            if plain_end.ends_with('e') {
                return Some(plain);
            }
        }
        None => plain.push_str(base),
    }
    plain.push('o');
    Some(plain)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn superlatives_give_their_adjective() {
        for (language, word, plain) in [
            (Language::Spanish, "lentísima", "lento"),
            (Language::Spanish, "carisimos", "caro"),
            (Language::Spanish, "riquísimo", "rico"),
            (Language::Spanish, "larguísimo", "largo"),
            (Language::Spanish, "amabilísimo", "amable"),
            (Language::Portuguese, "caríssimo", "caro"),
            (Language::Portuguese, "demoradissima", "demorado"),
            (Language::Italian, "lentissimo", "lento"),
            (Language::Italian, "ricchissimi", "ricco"),
            (Language::Italian, "lunghissima", "lungo"),
            (Language::Italian, "amabilissimo", "amabile"),
        ] {
            assert_eq!(plain_form(language, word).as_deref(), Some(plain), "{word}");
        }
    }

    #[test]
    fn other_words_are_left_alone() {
        for (language, word) in [
            (Language::Spanish, "mínimo"),
            (Language::Spanish, "último"),
            (Language::Spanish, "písima"),
            (Language::Spanish, "isimo"),
            (Language::Italian, "issimo"),
            (Language::Italian, "prossimo"),
            (Language::English, "lentissimo"),
            (Language::French, "lentissime"),
            (Language::Spanish, ""),
            (Language::Spanish, "é"),
        ] {
            assert_eq!(plain_form(language, word), None, "{word}");
        }
    }
}
