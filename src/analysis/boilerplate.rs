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
//! The rules read whole lines and paragraphs, and whole well-wishing
//! sentences at the start ("I hope you are well."), never a word inside a
//! sentence, so a ticket that merely mentions "thanks" or "regards" keeps
//! them. A sign-off ends the message only after a line of its body, and
//! boilerplate never takes a whole ticket: a text it would leave without
//! a word is read as it is. Their phrases are the common ones of English, German, French,
//! Spanish, Italian and Portuguese mail, applied whatever the product's
//! language (a French sign-off in an English ticket is still a sign-off).
//!
//! Cost: linear in the text (line starts found once; each short line and
//! each paragraph lowercased once and compared with a few dozen phrases),
//! and nothing but one byte search for a text without a line break (most
//! chat and form tickets).

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
    "lg",
    "vg",
    "mfg",
    "thx",
    "un abrazo",
    "att",
    "bonne journée",
    "buona giornata",
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
    "prezados",
    "liebes",
    "estimados",
    "estimadas",
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

/// Openings of the sentences of a thank-you paragraph just before a
/// sign-off ("Thanks in advance for looking into this.", "Let me know if
/// you need anything else."): every sentence must open so, so "Let me know
/// when you will support SSO" is read.
const THANKS_OPENINGS: &[&str] = &[
    "thanks in advance",
    "thanks a lot in advance",
    "thank you in advance",
    "thanks for your help",
    "thank you for your help",
    "thanks for your time",
    "thank you for your time",
    "thanks for looking",
    "thank you for looking",
    "thanks so much for your",
    "many thanks for your",
    "let me know if you need",
    "let me know if there is",
    "let me know if you have",
    "please let me know if you need",
    "any help would be",
    "any help is",
    "i appreciate your",
    "i really appreciate",
    "i would appreciate",
    "i'd appreciate",
    "i am happy to provide",
    "i'm happy to provide",
    "looking forward to",
    "i look forward to",
    "vielen dank im voraus",
    "danke im voraus",
    "vielen dank für ihre hilfe",
    "merci d'avance",
    "merci par avance",
    "merci pour votre aide",
    "gracias de antemano",
    "gracias por su ayuda",
    "grazie in anticipo",
    "grazie per l'aiuto",
    "obrigado desde já",
    "desde já agradeço",
    "obrigado pela ajuda",
];

/// Openings of the courtesy sentences that start a message ("I hope you
/// are doing well.", "Sorry to bother you, ..."): well-wishing, not "I
/// hope you can fix the export".
const COURTESY_OPENINGS: &[&str] = &[
    "i hope you are well",
    "i hope you are doing well",
    "i hope you're well",
    "i hope you're doing well",
    "hope you are well",
    "hope you are doing well",
    "hope you're well",
    "hope you're doing well",
    "i hope this email finds you",
    "i hope this message finds you",
    "i hope this finds you",
    "hope this email finds you",
    "hope this message finds you",
    "hope this finds you",
    "i hope all is well",
    "hope all is well",
    "i hope everything is well",
    "hope everything is well",
    "sorry to bother you",
    "sorry for bothering you",
    "ich hoffe, es geht ihnen gut",
    "ich hoffe, es geht dir gut",
    "j'espère que vous allez bien",
    "espero que se encuentre bien",
    "espero que estés bien",
    "spero che stia bene",
    "spero tutto bene",
    "espero que esteja bem",
];

/// Banners of a forwarded mail ("---------- Forwarded message ---------"):
/// the banner and its header lines are left out, the forwarded text read.
const FORWARDED: &[&str] = &[
    "forwarded message",
    "begin forwarded message",
    "weitergeleitete nachricht",
    "message transféré",
    "mensaje reenviado",
    "messaggio inoltrato",
    "mensagem encaminhada",
];

/// Words of a reply header that also names the date ("Am 03.06.2024 um
/// 10:00 schrieb Support <x@y>:").
const WROTE_INSIDE: &[&str] = &[
    " wrote ",
    " schrieb ",
    " a écrit ",
    " escribió ",
    " ha scritto ",
    " escreveu ",
];

/// Phrases only a legal disclaimer uses; a disclaimer paragraph holds one.
const DISCLAIMER_STRONG: &[&str] = &[
    "intended recipient",
    "intended solely",
    "notify the sender",
    "addressee",
    "empfänger",
    "destinataire",
    "destinatario",
    "destinatário",
];

/// Words that make a closing thank-you paragraph carry content ("Thanks for
/// the fix, but now the import fails").
const CONTRAST_WORDS: &[&str] = &[
    "but", "however", "also", "still", "aber", "mais", "pero", "ma", "mas",
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
    let has_words = |i: usize| line(i).chars().any(char::is_alphanumeric);
    // The greeting: a short first line such as "Hi team," or "Dear Sir or
    // Madam,", not "Hi, the export fails".
    let mut start_body = 0;
    if let Some(f) = (0..lines.len()).find(|&i| !line(i).is_empty())
        && is_greeting(line(f))
    {
        out.push(lines[f].clone());
        start_body = f + 1;
    }
    // The message ends at the first sign-off, signature marker, device line
    // or quoted message that follows a line of the body: a ticket that
    // opens with "Thank you." or "Sent from my phone" still has a body.
    // A forwarding banner and its header lines are left out, and what was
    // forwarded is read.
    let mut end = lines.len();
    let mut seen_body = false;
    let mut lower = String::new();
    let mut i = start_body;
    while i < lines.len() {
        let l = line(i);
        // Every marker fits in a short line; prose lines are not copied.
        if l.len() <= MAX_MARKER_LINE {
            lower.clear();
            lower.extend(l.chars().flat_map(char::to_lowercase));
            if FORWARDED.iter().any(|f| lower.contains(f)) {
                let mut j = i + 1;
                while j < lines.len() && is_header_line(line(j)) {
                    j += 1;
                }
                out.push(lines[i].start..lines[j - 1].end);
                i = j;
                continue;
            }
            if seen_body && ends_message(text, &lines, i, l, &lower) {
                end = i;
                break;
            }
        }
        seen_body |= has_words(i);
        i += 1;
    }
    // Paragraphs of the body: disclaimers after the first, and a short
    // thank-you paragraph right before the sign-off.
    let paragraphs = paragraphs(&lines, start_body, end, |i| line(i).is_empty());
    if let Some(p) = paragraphs.first() {
        courtesy(text, lines[p.start].start, lines[p.end - 1].end, &mut out);
    }
    for (k, p) in paragraphs.iter().enumerate() {
        let range = lines[p.start].start..lines[p.end - 1].end;
        let lower = text[range.clone()].to_lowercase();
        let disclaimer = k > 0
            && DISCLAIMER_STRONG.iter().any(|w| lower.contains(w))
            && DISCLAIMER_WORDS
                .iter()
                .filter(|w| lower.contains(*w))
                .count()
                >= 3;
        let last_thanks = k + 1 == paragraphs.len()
            && k > 0
            && end < lines.len()
            && !CONTRAST_WORDS
                .iter()
                .any(|w| lower.split_whitespace().any(|x| x.trim_matches(',') == *w))
            && lower
                .split(['.', '!', '?'])
                .map(str::trim)
                .filter(|sentence| !sentence.is_empty())
                .all(|sentence| {
                    sentence.split_whitespace().count() <= 25
                        && starts_with_any(sentence, THANKS_OPENINGS)
                });
        if disclaimer || last_thanks {
            out.push(range);
        }
    }
    if end < lines.len() {
        out.push(lines[end].start..text.len());
    }
    out.sort_by_key(|r| (r.start, r.end));
    let merged = merge(out);
    // Boilerplate never takes the whole ticket: if nothing with a letter or
    // digit would be left, the text is read as it is.
    let mut kept = 0;
    let mut content = false;
    for r in merged
        .iter()
        .chain(std::iter::once(&(text.len()..text.len())))
    {
        content |= text[kept..r.start].chars().any(char::is_alphanumeric);
        kept = kept.max(r.end);
    }
    if content { merged } else { Vec::new() }
}

/// Sorted ranges with overlapping or touching ones joined.
fn merge(sorted: Vec<Range<usize>>) -> Vec<Range<usize>> {
    let mut out: Vec<Range<usize>> = Vec::with_capacity(sorted.len());
    for r in sorted {
        match out.last_mut() {
            Some(last) if r.start <= last.end => last.end = last.end.max(r.end),
            _ => out.push(r),
        }
    }
    out
}

/// Whether line `i` (`l`, lowercased `lower`) ends the message: a
/// signature marker, a quoted-message marker or reply header, a device
/// line, a mail header block or a sign-off.
fn ends_message(text: &str, lines: &[Range<usize>], i: usize, l: &str, lower: &str) -> bool {
    let reply_header = ["on ", "am ", "le ", "el ", "il ", "em "]
        .iter()
        .any(|p| lower.starts_with(p))
        && (WROTE.iter().any(|w| lower.ends_with(w))
            || (lower.ends_with(':') && WROTE_INSIDE.iter().any(|w| lower.contains(w))));
    l == "--"
        || l.chars().all(|c| c == '_') && l.len() >= 10
        || QUOTE_MARKERS.contains(&lower)
        || starts_with_any(lower, DEVICE_LINES)
        || reply_header
        || is_header_block(text, lines, i)
        || is_closing(lower)
}

/// A greeting line: a greeting word, at most a short addressee, and the
/// end of the line ("Hi team,", "Dear Sir or Madam,", "Sehr geehrte Damen
/// und Herren,", "Hello!"); never a line that goes on after a comma.
fn is_greeting(line: &str) -> bool {
    let lower = line.to_lowercase();
    let core = lower.trim_end_matches([',', '!', ':', '.', ' ']);
    if core.contains(',') || !starts_with_any(core, GREETINGS) {
        return false;
    }
    let words = core.split_whitespace().count();
    let ends_like_one = lower.ends_with([',', '!', ':']);
    GREETINGS.contains(&core)
        || (ends_like_one && words <= 4)
        || (lower.ends_with(',') && words <= 6)
}

/// Courtesy sentences leading `text[from..to]` ("I hope you are well.",
/// "Sorry to bother you, ..."): each, up to its end mark or line end and
/// at most 15 words, goes to `out`.
fn courtesy(text: &str, from: usize, to: usize, out: &mut Vec<Range<usize>>) {
    let mut at = from;
    loop {
        let rest = &text[at..to];
        let skipped = rest.len() - rest.trim_start().len();
        let lower: String = rest
            .trim_start()
            .chars()
            .take(40)
            .flat_map(char::to_lowercase)
            .collect();
        if !starts_with_any(&lower, COURTESY_OPENINGS) {
            return;
        }
        let sentence = &rest[skipped..];
        let stop = sentence
            .find(['.', '!', '?', '\n'])
            .map_or(sentence.len(), |s| {
                s + usize::from(sentence.as_bytes()[s] != b'\n')
            });
        if sentence[..stop].split_whitespace().count() > 15 {
            return;
        }
        let end_of = at + skipped + stop;
        out.push(at..end_of);
        at = end_of;
    }
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
    let core = lower
        .trim_start_matches(['¡', '¿'])
        .trim_end_matches(|c: char| c.is_ascii_punctuation() || c.is_whitespace());
    !core.is_empty() && CLOSINGS.contains(&core)
}

/// Field names of a mail header in the six languages.
const HEADER_FROM: &[&str] = &["from:", "von:", "de :", "de:", "da:"];
const HEADER_NEXT: &[&str] = &[
    "sent:",
    "date:",
    "to:",
    "cc:",
    "subject:",
    "gesendet:",
    "datum:",
    "an:",
    "betreff:",
    "envoyé :",
    "envoyé:",
    "date :",
    "à :",
    "objet :",
    "enviado:",
    "fecha:",
    "para:",
    "asunto:",
    "inviato:",
    "data:",
    "a:",
    "oggetto:",
    "assunto:",
];

/// A replied-to message's header: a "From:" line naming a mail address
/// ("@" or "<"), followed within three lines by "Sent:", "Date:", "To:" or
/// "Subject:" (or their German, French, Spanish, Italian and Portuguese
/// names). "From: London\nTo: Paris" is a trip, not a header.
fn is_header_block(text: &str, lines: &[Range<usize>], i: usize) -> bool {
    let first = text[lines[i].clone()].trim();
    let lower = first.to_lowercase();
    starts_with_any(&lower, HEADER_FROM)
        && (first.contains('@') || first.contains('<'))
        && (i + 1..lines.len().min(i + 4))
            .any(|k| starts_with_any(&text[lines[k].clone()].trim().to_lowercase(), HEADER_NEXT))
}

/// A line of a mail header ("From: ...", "Date: ..."), or blank.
fn is_header_line(line: &str) -> bool {
    let lower = line.to_lowercase();
    line.is_empty() || starts_with_any(&lower, HEADER_FROM) || starts_with_any(&lower, HEADER_NEXT)
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
            kept(
                "Still broken.\nFrom: Support <help@x.example>\nSent: Monday\nTo: me\nSubject: Re: crash"
            ),
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
    fn real_content_is_never_blanked() {
        for text in [
            "Hi,\nThank you.\nThe export still fails after the update",
            "Sent from my iPhone\nThe app crashes on start",
            "From: London\nTo: Paris\nMy booking shows the wrong date",
            "From: 2.3.1\nTo: 2.4.0\nThe upgrade broke the import",
            "Hi, the export fails!\nEvery time.",
            "Hello, sync is broken:\nnothing arrives",
            "Oi, app travando!\nNão abre",
            "Hope you can help me with the CSV export, it crashes every time.\nThanks",
            "I hope you can add dark mode\nIt would help at night",
            "When I delete a confidential document I get Unauthorized\nand the file is gone.",
        ] {
            let words = |t: &str| {
                t.split_whitespace()
                    .filter(|w| w.chars().any(char::is_alphanumeric))
                    .count()
            };
            let kept = kept(text);
            assert!(words(&kept) + 1 >= words(text), "{text:?} -> {kept:?}");
        }
        // A closing thank-you with content stays.
        assert!(kept("The import fails.\n\nThanks for the fix last week, but now the import is broken too.\n\nBest,\nAl").contains("but now"));
        assert!(kept("Need SSO.\n\nLet me know when you will support SSO, we need it for 500 seats and also SCIM.\n\nThanks,\nBo").contains("500 seats"));
    }

    #[test]
    fn forwarded_text_is_read_and_crlf_is_a_line_break() {
        assert_eq!(
            kept(
                "---------- Forwarded message ---------\nFrom: Ann <a@x.example>\nDate: Mon\nSubject: crash\n\nThe export fails"
            ),
            "The export fails"
        );
        let crlf = "Hi team,\r\nThe export fails.\r\n\r\nBest regards,\r\nAnn\r\n";
        assert_eq!(kept(crlf), "The export fails.");
        assert_eq!(blank_boilerplate(crlf).len(), crlf.len());
        assert_eq!(
            kept(
                "Der Export schlägt fehl.\n\nAm 03.06.2024 um 10:00 schrieb Support <s@x.example>:\n> Hallo"
            ),
            "Der Export schlägt fehl."
        );
        assert_eq!(
            kept("Sehr geehrte Damen und Herren,\nder Export schlägt fehl.\nLG\nAnna"),
            "der Export schlägt fehl."
        );
        assert_eq!(kept("La app falla.\n¡Gracias!\nAna"), "La app falla.");
    }

    #[test]
    fn a_courtesy_sentence_inside_a_disclaimer_is_one_range() {
        // The first paragraph is never a disclaimer; in a later one, a
        // courtesy-like sentence and the paragraph would overlap: the ranges
        // come out ordered and disjoint either way.
        for text in [
            "I hope you are well.\nconfidential privileged addressee",
            "Hi,\nI hope you are well.\nThe app fails.\n\nconfidential privileged addressee, intended recipient: delete it in error\n\nThanks,\nA",
        ] {
            let ranges = boilerplate_ranges(text);
            assert!(
                ranges.windows(2).all(|w| w[0].end < w[1].start),
                "{text:?}: {ranges:?}"
            );
        }
        let text = "I hope you are well.\nconfidential privileged addressee";
        assert_eq!(boilerplate_ranges(text), vec![0..20]);
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
