//! Email boilerplate: the parts of a ticket that say nothing about the
//! product (a greeting line, the sign-off and what follows it, a device
//! signature, a legal disclaimer, a quoted earlier message).
//!
//! Helpdesk tickets are often emails. Their boilerplate shares words with a
//! product's texts ("contact", "details", "message", "information",
//! "phone"), and on a short request it can outweigh the request itself:
//! Banking77's queries wrapped in a greeting, a thank-you paragraph, a
//! signature and a confidentiality notice lose most of their top-1
//! accuracy. [`blank_boilerplate`] overwrites those parts with spaces, so
//! every byte offset (and so every evidence span) stays the same.
//!
//! The rules read whole lines and paragraphs, never words inside a
//! sentence, so a ticket that merely mentions "thanks" or "regards" keeps
//! them. Their phrases are the common ones of English, German, French,
//! Spanish, Italian and Portuguese mail, applied whatever the product's
//! language (a French sign-off in an English ticket is still a sign-off).
//!
//! Cost: one pass over the bytes to find line starts, and nothing at all
//! for a text without a line break (most chat and form tickets).

use std::borrow::Cow;
use std::ops::Range;

/// Lines that end a message: what follows is a signature, a disclaimer or
/// quoted mail. Compared with the line's letters, lowercased, without
/// trailing punctuation.
const CLOSINGS: &[&str] = &[
    "best",
    "best regards",
    "best wishes",
    "kind regards",
    "kindest regards",
    "warm regards",
    "warmest regards",
    "regards",
    "many thanks",
    "thanks",
    "thanks again",
    "thanks in advance",
    "thank you",
    "thank you in advance",
    "thank you very much",
    "thanks so much",
    "cheers",
    "sincerely",
    "yours sincerely",
    "yours truly",
    "all the best",
    "with thanks",
    "mit freundlichen grüßen",
    "mit freundlichen grüssen",
    "freundliche grüße",
    "freundliche grüsse",
    "viele grüße",
    "viele grüsse",
    "beste grüße",
    "liebe grüße",
    "gruß",
    "danke",
    "vielen dank",
    "cordialement",
    "bien cordialement",
    "bien à vous",
    "merci",
    "merci d'avance",
    "merci beaucoup",
    "salutations",
    "saludos",
    "un saludo",
    "atentamente",
    "saludos cordiales",
    "gracias",
    "muchas gracias",
    "cordiali saluti",
    "distinti saluti",
    "saluti",
    "grazie",
    "grazie mille",
    "atenciosamente",
    "abraços",
    "obrigado",
    "obrigada",
    "cumprimentos",
];

/// Words that open a greeting line ("Hi team,", "Dear support,").
const GREETINGS: &[&str] = &[
    "hi",
    "hello",
    "hey",
    "dear",
    "greetings",
    "good morning",
    "good afternoon",
    "good evening",
    "hallo",
    "guten tag",
    "guten morgen",
    "sehr geehrte",
    "sehr geehrter",
    "sehr geehrtes",
    "liebe",
    "lieber",
    "bonjour",
    "bonsoir",
    "salut",
    "madame",
    "monsieur",
    "hola",
    "buenos días",
    "buenas tardes",
    "estimado",
    "estimada",
    "buongiorno",
    "buonasera",
    "ciao",
    "salve",
    "gentile",
    "olá",
    "oi",
    "bom dia",
    "boa tarde",
    "prezado",
    "prezada",
];

/// Lines a mail client appends ("Sent from my iPhone"): the message ends
/// before them.
const DEVICE_LINES: &[&str] = &[
    "sent from my",
    "sent from outlook",
    "get outlook for",
    "gesendet von meinem",
    "von meinem iphone gesendet",
    "envoyé de mon",
    "envoyé depuis mon",
    "enviado desde mi",
    "enviado desde",
    "inviato da",
    "enviado do meu",
    "enviado de meu",
];

/// Lines that introduce a quoted earlier message: it and all after it are
/// the earlier message.
const QUOTE_MARKERS: &[&str] = &[
    "-----original message-----",
    "----- original message -----",
    "-----ursprüngliche nachricht-----",
    "-----message d'origine-----",
    "-----mensaje original-----",
    "-----messaggio originale-----",
    "-----mensagem original-----",
];

/// The endings of "On <date>, <name> wrote:" in each language.
const WROTE: &[&str] = &[
    "wrote:",
    "schrieb:",
    "a écrit :",
    "a écrit:",
    "escribió:",
    "ha scritto:",
    "escreveu:",
];

/// Words of legal disclaimers; a paragraph holding three of them is one.
const DISCLAIMER_WORDS: &[&str] = &[
    "confidential",
    "privileged",
    "intended recipient",
    "intended solely",
    "addressee",
    "unauthorized",
    "unauthorised",
    "disclosure",
    "prohibited",
    "in error",
    "notify the sender",
    "delete",
    "destroy",
    "vertraulich",
    "empfänger",
    "irrtümlich",
    "confidentiel",
    "destinataire",
    "confidencial",
    "destinatario",
    "riservat",
    "destinatário",
];

/// Openings of the thank-you paragraph just before a sign-off ("Thanks in
/// advance for looking into this, ...").
const THANKS_OPENINGS: &[&str] = &[
    "thanks",
    "thank you",
    "many thanks",
    "any help",
    "let me know",
    "looking forward",
    "i appreciate",
    "i would appreciate",
    "i'd appreciate",
    "appreciate",
    "vielen dank",
    "danke",
    "merci",
    "gracias",
    "grazie",
    "obrigad",
];

/// Openings of the courtesy sentences that start a message ("I hope you
/// are doing well.", "Sorry to bother you, ..."): a leading sentence that
/// opens so is left out, up to its end mark.
const COURTESY_OPENINGS: &[&str] = &[
    "i hope you",
    "hope you",
    "i hope this",
    "hope this",
    "i hope all is well",
    "hope all is well",
    "i hope everything",
    "hope everything",
    "sorry to bother",
    "sorry for bothering",
    "i hope you're",
    "ich hoffe, es geht",
    "ich hoffe, sie",
    "j'espère que vous",
    "espero que se encuentre",
    "espero que estés",
    "spero che stia",
    "spero tutto bene",
    "espero que esteja",
];

/// Longest line read for a sign-off, device line or quote header ("On
/// <date>, <name> <address> wrote:").
const MAX_MARKER_LINE: usize = 200;

/// The byte ranges of `text` that are email boilerplate, in order and
/// disjoint, each a run of whole lines.
///
/// ```
/// use painpoint::analysis::boilerplate_ranges;
///
/// let text = "Hi team,\nMy card never arrived.\n\nBest regards,\nAnna\nSent from my iPhone";
/// let ranges = boilerplate_ranges(text);
/// assert_eq!(&text[ranges[0].clone()], "Hi team,");
/// assert_eq!(&text[ranges[1].clone()], "Best regards,\nAnna\nSent from my iPhone");
/// assert!(boilerplate_ranges("Thanks, but my card never arrived").is_empty());
/// ```
pub fn boilerplate_ranges(text: &str) -> Vec<Range<usize>> {
    let mut out = Vec::new();
    if !text.contains('\n') {
        return out;
    }
    let lines = line_ranges(text);
    let line = |i: usize| text[lines[i].clone()].trim();
    // The message ends at the first sign-off, signature marker, device line
    // or quoted message after its first line.
    let mut end = lines.len();
    let mut lower = String::new();
    for i in 0..lines.len() {
        let l = line(i);
        // Every marker fits in a short line; prose lines are not copied.
        if l.len() > MAX_MARKER_LINE {
            continue;
        }
        lower.clear();
        lower.extend(l.chars().flat_map(char::to_lowercase));
        let ends_here = l == "--"
            || QUOTE_MARKERS.contains(&lower.as_str())
            || starts_with_any(&lower, DEVICE_LINES)
            || (lower.starts_with("on ")
                || lower.starts_with("am ")
                || lower.starts_with("le ")
                || lower.starts_with("el ")
                || lower.starts_with("il ")
                || lower.starts_with("em "))
                && WROTE.iter().any(|w| lower.ends_with(w))
            || is_header_block(text, &lines, i)
            || (i > 0 && is_closing(&lower));
        if ends_here {
            end = i;
            break;
        }
    }
    // The greeting: a first line of at most four words that opens with a
    // greeting word and ends like one ("Hi team,", "Dear Support!"), not
    // "Hi, the export fails".
    let first = (0..end).find(|&i| !line(i).is_empty());
    let mut start_body = 0;
    if let Some(f) = first {
        let lower = line(f).to_lowercase();
        let short = lower.split_whitespace().count() <= 4;
        let ends_like_one = lower.ends_with([',', '!', ':'])
            || GREETINGS.contains(&lower.trim_end_matches(['.', ' ']));
        if short && ends_like_one && starts_with_any(&lower, GREETINGS) {
            out.push(lines[f].clone());
            start_body = f + 1;
        }
    }
    // Paragraphs of the body: disclaimers anywhere, and the thank-you
    // paragraph right before the sign-off.
    let paragraphs = paragraphs(&lines, start_body, end, |i| line(i).is_empty());
    // Courtesy sentences leading the first paragraph.
    if let Some(p) = paragraphs.first() {
        let mut at = lines[p.start].start;
        let limit = lines[p.end - 1].end;
        loop {
            let rest = &text[at..limit];
            let skipped = rest.len() - rest.trim_start().len();
            let lower: String = rest
                .trim_start()
                .chars()
                .take(24)
                .flat_map(char::to_lowercase)
                .collect();
            if !starts_with_any(&lower, COURTESY_OPENINGS) {
                break;
            }
            // Up to and with the sentence's end mark; no mark, no cut.
            let Some(stop) = rest[skipped..].find(['.', '!', '?']) else {
                break;
            };
            let end_of = at + skipped + stop + 1;
            out.push(at..end_of);
            at = end_of;
        }
    }
    for (k, p) in paragraphs.iter().enumerate() {
        let range = lines[p.start].start..lines[p.end - 1].end;
        let lower = text[range.clone()].to_lowercase();
        let disclaimer = DISCLAIMER_WORDS
            .iter()
            .filter(|w| lower.contains(*w))
            .count()
            >= 3;
        let last_thanks = k + 1 == paragraphs.len()
            && k > 0
            && end < lines.len()
            && starts_with_any(lower.trim_start(), THANKS_OPENINGS);
        if disclaimer || last_thanks {
            out.push(range);
        }
    }
    if end < lines.len() {
        out.push(lines[end].start..text.len());
    }
    out.sort_by_key(|r| r.start);
    // A leading courtesy sentence can lie inside a first paragraph that is
    // also a disclaimer: merge overlaps, so the ranges stay disjoint.
    let mut merged: Vec<Range<usize>> = Vec::with_capacity(out.len());
    for r in out {
        match merged.last_mut() {
            Some(last) if r.start < last.end => last.end = last.end.max(r.end),
            _ => merged.push(r),
        }
    }
    merged
}

/// `text` with its boilerplate ([`boilerplate_ranges`]) overwritten by
/// spaces (line breaks kept), so byte offsets into it are offsets into
/// `text`. Borrowed when there is none.
///
/// ```
/// use painpoint::analysis::blank_boilerplate;
///
/// let text = "Hello,\nThe export fails.\nThanks,\nBob";
/// assert_eq!(blank_boilerplate(text), "      \nThe export fails.\n       \n   ");
/// assert!(matches!(blank_boilerplate("The export fails"), std::borrow::Cow::Borrowed(_)));
/// ```
pub fn blank_boilerplate(text: &str) -> Cow<'_, str> {
    let ranges = boilerplate_ranges(text);
    if ranges.is_empty() {
        return Cow::Borrowed(text);
    }
    let mut bytes = text.as_bytes().to_vec();
    for r in ranges {
        for b in &mut bytes[r] {
            if *b != b'\n' {
                *b = b' ';
            }
        }
    }
    // Whole lines were blanked, so every char is either kept whole or
    // turned into spaces: still UTF-8.
    Cow::Owned(String::from_utf8(bytes).unwrap_or_else(|_| text.to_string()))
}

/// The byte range of each line, without its line break.
fn line_ranges(text: &str) -> Vec<Range<usize>> {
    let mut out = Vec::new();
    let mut start = 0;
    for (i, b) in text.bytes().enumerate() {
        if b == b'\n' {
            out.push(start..i);
            start = i + 1;
        }
    }
    out.push(start..text.len());
    out
}

/// Runs of non-blank lines in `from..to`, as line-index ranges.
fn paragraphs(
    lines: &[Range<usize>],
    from: usize,
    to: usize,
    blank: impl Fn(usize) -> bool,
) -> Vec<Range<usize>> {
    let mut out = Vec::new();
    let mut start = None;
    for i in from..to.min(lines.len()) {
        match (blank(i), start) {
            (false, None) => start = Some(i),
            (true, Some(s)) => {
                out.push(s..i);
                start = None;
            }
            _ => {}
        }
    }
    if let Some(s) = start {
        out.push(s..to.min(lines.len()));
    }
    out
}

/// A line that is only a sign-off ("Best regards,", "Thanks!", "Cheers").
fn is_closing(lower: &str) -> bool {
    let core = lower.trim_end_matches(|c: char| c.is_ascii_punctuation() || c.is_whitespace());
    !core.is_empty() && CLOSINGS.contains(&core)
}

/// A forwarded or replied-to message's header: "From:" followed within
/// three lines by "Sent:", "Date:", "To:" or "Subject:" (or their German,
/// French, Spanish, Italian and Portuguese names).
fn is_header_block(text: &str, lines: &[Range<usize>], i: usize) -> bool {
    const FROM: &[&str] = &["from:", "von:", "de :", "de:", "da:"];
    const NEXT: &[&str] = &[
        "sent:",
        "date:",
        "to:",
        "subject:",
        "gesendet:",
        "an:",
        "betreff:",
        "envoyé :",
        "envoyé:",
        "à :",
        "objet :",
        "enviado:",
        "para:",
        "asunto:",
        "inviato:",
        "a:",
        "oggetto:",
        "assunto:",
    ];
    let lower = |k: usize| text[lines[k].clone()].trim().to_lowercase();
    starts_with_any(&lower(i), FROM)
        && (i + 1..lines.len().min(i + 4)).any(|k| starts_with_any(&lower(k), NEXT))
}

fn starts_with_any(lower: &str, prefixes: &[&str]) -> bool {
    prefixes.iter().any(|p| {
        lower.starts_with(p)
            && lower[p.len()..]
                .chars()
                .next()
                .is_none_or(|c| !c.is_alphanumeric() || p.ends_with(' '))
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn kept(text: &str) -> String {
        blank_boilerplate(text)
            .split_whitespace()
            .collect::<Vec<_>>()
            .join(" ")
    }

    #[test]
    fn email_parts_are_blanked_and_offsets_kept() {
        let text = "Hello team,\n\nI hope you are well. My card was declined at the shop.\n\n\
                    Thanks in advance for looking into this.\n\nKind regards,\nJohn Smith\n\n\
                    CONFIDENTIALITY NOTICE: This message is confidential and intended solely \
                    for the addressee. If you received it in error, delete it.";
        let blanked = blank_boilerplate(text);
        assert_eq!(blanked.len(), text.len());
        assert_eq!(kept(text), "My card was declined at the shop.");
        let at = text.find("declined").unwrap();
        assert_eq!(&blanked[at..at + 8], "declined");
    }

    #[test]
    fn quoted_replies_and_device_lines_end_the_message() {
        assert_eq!(
            kept("The app crashes on login.\nSent from my iPhone"),
            "The app crashes on login."
        );
        assert_eq!(
            kept(
                "Still broken.\n\nOn Mon, 3 Jun 2024, Support <help@x.com> wrote:\n> Did you try again?"
            ),
            "Still broken."
        );
        assert_eq!(
            kept("Still broken.\nFrom: Support\nSent: Monday\nTo: me\nSubject: Re: crash"),
            "Still broken."
        );
        assert_eq!(
            kept("Die App stürzt ab.\n\nMit freundlichen Grüßen\nAnna"),
            "Die App stürzt ab."
        );
        assert_eq!(
            kept("L'export échoue.\nCordialement,\nMarie"),
            "L'export échoue."
        );
    }

    #[test]
    fn words_inside_sentences_are_kept() {
        for text in [
            "Thanks, but the export still fails",
            "Hi, the export fails\nevery time I click it",
            "Regards the invoice: it is wrong.\nPlease fix it.",
            "My message was deleted in error, and it was confidential and privileged",
        ] {
            let lines = text.lines().count();
            let kept = kept(text);
            assert!(
                kept.split_whitespace().count() + 3 >= text.split_whitespace().count(),
                "{text:?} -> {kept:?} ({lines} lines)"
            );
        }
        // A one-line text is never touched.
        assert!(boilerplate_ranges("Thanks!").is_empty());
    }

    #[test]
    fn a_courtesy_sentence_inside_a_disclaimer_is_one_range() {
        let text = "I hope you are well.\nconfidential privileged addressee";
        assert_eq!(boilerplate_ranges(text), vec![0..text.len()]);
    }

    #[test]
    fn any_text_is_safe() {
        for text in [
            "\n",
            "\n\n\n",
            "--\n",
            "Hi\n",
            "é\n—\nThanks\n€",
            "From:\nSent:",
        ] {
            let blanked = blank_boilerplate(text);
            assert_eq!(blanked.len(), text.len());
        }
    }
}
