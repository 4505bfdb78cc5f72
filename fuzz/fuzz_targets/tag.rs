//! An arbitrary small product and ticket -> tag, with invariant checks
//! (see `checks::tag`, which also checks the customer signals the tagger
//! reads with its word table against `Signals::read`). Words come mostly
//! from a small vocabulary so that products and tickets share words,
//! phrases, typos, exclusions, signal cues and the parts of compounds
//! (glued by an empty separator, sometimes with any char inside a word),
//! and words of the scripts read as pairs (Korean, Thai, Lao, Khmer,
//! Myanmar, Han).
#![no_main]

use arbitrary::{Arbitrary, Unstructured};
use libfuzzer_sys::fuzz_target;
use painpoint::{Capability, Feature, Language, Product, TaggerConfig, Ticket};

const WORDS: &[&str] = &[
    "card",
    "cards",
    "refund",
    "refunds",
    "money",
    "back",
    "export",
    "csv",
    "exporting",
    "login",
    "log",
    "in",
    "password",
    "reset",
    "the",
    "a",
    "not",
    "is",
    "crash",
    "crashes",
    "recieve",
    "receive",
    // One letter replaced in a short word: by a neighbouring key, by a far
    // key, by a letter outside ASCII.
    "refunf",
    "refunx",
    "refünd",
    "reaet",
    "İstanbul",
    "straße",
    "ǅemal",
    "日本",
    "語",
    // Scripts read as pairs: Korean words (a noun with and without its
    // particle), Thai, Lao, Khmer and Myanmar runs, a Han run.
    "환불",
    "환불이",
    "카드가",
    "결제",
    // Korean decomposed into jamo (NFD, as macOS writes it), alone and
    // glued to digits / Latin letters.
    "\u{1112}\u{116A}\u{11AB}\u{1107}\u{116E}\u{11AF}",
    "\u{1100}\u{1167}\u{11AF}\u{110C}\u{1166}",
    "123",
    "A1",
    "คืนเงิน",
    "บัตร",
    "ເງິນ",
    "ប្រាក់",
    "ငွေ",
    "予約変更",
    "café",
    "cafe\u{301}",
    "x",
    "-",
    "'",
    ".",
    "😀",
    "👩\u{200d}💻",
    "\u{200b}",
    "مرحبا",
    "1,000",
    "a_b",
    // Customer-signal cues (needs, kind, sentiment) and their shifters.
    "slow",
    "please",
    "add",
    "love",
    "hate",
    "never",
    "doesn't",
    "don't",
    "work",
    "broken",
    "bug",
    "wish",
    "would",
    "like",
    "expensive",
    "thanks",
    "great",
    "?",
    "!",
    "no",
    "longer",
    "support",
    "stürzt",
    // Phrases of today's cue data (sarcasm, shields, not only, solved).
    "waiting",
    "give me a sec",
    "tentar de novo",
    "resolveram meu problema",
    "not only",
    "nicht nur",
    "lost connection",
    "war",
    "wäre",
    "cooling",
    "lento",
    "```",
    "<",
    "Hi team,",
    "Best regards,",
    "Sent from my iPhone",
    "--",
    "I hope you are well.",
    "On Mon, Support wrote:",
    "confidential intended recipient in error",
    // Compound parts and compounds (German, Dutch, Swedish): products and
    // tickets glue them ("" separator) into long words the tagger splits.
    "Kreditkarte",
    "karten",
    "Zahlung",
    "Kreditkartenzahlung",
    "Passwort",
    "änderung",
    "Paket",
    "Lieferung",
    "Überweisung",
    "wachtwoord",
    "wijziging",
    "betaling",
    "lösenord",
    "återställning",
    "lösenordsåterställning",
    "faktura",
    "s",
    "en",
];

/// A piece of text: mostly vocabulary words, sometimes raw fuzz text.
#[derive(Debug)]
struct Text(String);

impl<'a> Arbitrary<'a> for Text {
    fn arbitrary(u: &mut Unstructured<'a>) -> arbitrary::Result<Text> {
        let n = u.int_in_range(0..=12)?;
        let mut out = String::new();
        for _ in 0..n {
            if u.ratio(1, 8)? {
                out.push_str(&String::arbitrary(u)?);
            } else if u.ratio(1, 8)? {
                // A word with any char inside it (char boundaries of
                // compound splits and typos).
                let word = u.choose(WORDS)?;
                let at = u.choose_index(word.chars().count() + 1)?;
                let at = word.char_indices().nth(at).map_or(word.len(), |(i, _)| i);
                out.push_str(&word[..at]);
                out.push(char::arbitrary(u)?);
                out.push_str(&word[at..]);
            } else {
                out.push_str(u.choose(WORDS)?);
            }
            out.push_str(u.choose(&[" ", " ", "  ", "\n", ", ", "", "\u{200d}"])?);
        }
        Ok(Text(out))
    }
}

#[derive(Debug, Arbitrary)]
struct FuzzFeature {
    name: Text,
    keywords: Vec<Text>,
    examples: Vec<Text>,
    exclude: Vec<Text>,
}

#[derive(Debug, Arbitrary)]
struct FuzzCapability {
    name: Text,
    keywords: Vec<Text>,
    features: Vec<FuzzFeature>,
}

#[derive(Debug, Arbitrary)]
struct Input {
    language: u8,
    threshold: Option<u8>,
    synonyms: Vec<Vec<Text>>,
    exclude: Vec<Text>,
    capabilities: Vec<FuzzCapability>,
    max_bytes: u16,
    max_tokens: u8,
    max_matches: u8,
    min_coverage: u8,
    read_boilerplate: bool,
    subject: Option<Text>,
    text: Text,
}

fn product(input: &Input) -> Product {
    let mut product = Product::new("p", "Product")
        .language(Language::ALL[input.language as usize % Language::ALL.len()]);
    if let Some(t) = input.threshold {
        product = product.threshold(f64::from(t) / 255.0);
    }
    for group in &input.synonyms {
        product = product.synonyms(group.iter().map(|t| t.0.clone()));
    }
    product.exclude = input.exclude.iter().map(|t| t.0.clone()).collect();
    for (c, cap) in input.capabilities.iter().enumerate() {
        let mut capability = Capability::new(format!("c{c}"), cap.name.0.clone());
        for k in &cap.keywords {
            capability = capability.keyword(k.0.clone());
        }
        for (f, feat) in cap.features.iter().enumerate() {
            let mut feature = Feature::new(format!("c{c}f{f}"), feat.name.0.clone());
            for k in &feat.keywords {
                feature = feature.keyword(k.0.clone());
            }
            for e in &feat.examples {
                feature = feature.example(e.0.clone());
            }
            for x in &feat.exclude {
                feature = feature.exclude(x.0.clone());
            }
            capability = capability.feature(feature);
        }
        product = product.capability(capability);
    }
    product
}

fuzz_target!(|input: Input| {
    let product = product(&input);
    let config = TaggerConfig::default()
        .max_bytes(usize::from(input.max_bytes))
        .max_tokens(usize::from(input.max_tokens))
        .max_matches(usize::from(input.max_matches % 8))
        .min_coverage(f64::from(input.min_coverage) / 255.0)
        .skip_boilerplate(!input.read_boilerplate);
    let mut ticket = Ticket::new("t", input.text.0.clone());
    if let Some(subject) = &input.subject {
        ticket = ticket.subject(subject.0.clone());
    }
    painpoint_fuzz::checks::tag(&product, config, &ticket);
});
