//! Sentiment: a VADER-like lexicon reading (Hutto & Gilbert 2014) with a
//! support-domain word list, negation, boosters and dampeners, "but"
//! contrast, capitals, exclamation marks and emoji; beyond VADER, words of
//! the past ("used to") turn a good word after them into a thing missed,
//! an opening "Great," before a negative sentence, or a closing "Great."
//! after one, reads as irony, and a problem told solved ("fixed the
//! problem") is no pain.

use std::collections::HashMap;

use super::classifier::{MarkTable, Marks};
use super::lexicon::{Cue, Hit, Lexicon, Tokens, evidence_of, recycle, span_of};
use super::negation::ShiftWords;
use super::{Kind, KindMatch, Polarity, SentimentScore};
use crate::hash::BuildFnv;
use crate::span::Span;
use crate::tagged::{Field, How, Source};

/// VADER's constants: booster step, capitals step, negation factor, the
/// normalisation constant and the exclamation step.
const BOOST: f64 = 0.293;
const CAPS: f64 = 0.733;
const NEGATE: f64 = -0.74;
const ALPHA: f64 = 15.0;
const EXCLAIM: f64 = 0.292;
/// A negator that denies no sentiment word still says something did not
/// happen ("can't log in", "hasn't arrived"): in support, a mild complaint.
const DENIED_ACTION: f64 = -1.0;
/// Scores within this distance of zero are neutral. VADER's own 0.05
/// labels almost any ticket with one mild word; support tickets need a
/// clear signal.
pub(crate) const NEUTRAL_BAND: f64 = 0.2;
/// Evidence kept per reading, strongest first.
const MAX_EVIDENCE: usize = 8;

/// Scratch of a reading, kept (empty) between tickets in the signals'
/// one per-thread [`Scratch`](super::Scratch): a reading allocates only
/// what it returns.
#[derive(Debug, Default)]
pub(crate) struct Scratch {
    used_negators: Vec<usize>,
    parts: Vec<(f64, Cue<'static>)>,
}

#[derive(Debug, Clone)]
pub(crate) struct SentimentModel {
    pub lex: Lexicon,
    /// Valence of single-word entries by key, for the needs' pain test.
    pub word_valence: HashMap<Box<str>, f64, BuildFnv>,
    /// Emoji and emoticons by first char, longest first.
    emoji: HashMap<char, Vec<(Box<str>, f64)>, BuildFnv>,
    /// Which bytes start an emoji or emoticon (the first byte of its first
    /// char in UTF-8): other bytes are passed over without decoding.
    first_byte: [bool; 256],
    /// The [`Marks`] of each byte, [`Marks::EMOJI`] for `first_byte`: a
    /// text without `!` or emoji bytes skips both scans.
    marks: MarkTable,
}

impl Default for SentimentModel {
    fn default() -> SentimentModel {
        SentimentModel::new(Lexicon::default(), &[])
    }
}

impl SentimentModel {
    pub fn new(lex: Lexicon, emoji: &[(String, f64)]) -> SentimentModel {
        let word_valence = lex
            .phrases
            .iter()
            .filter(|p| p.keys.len() == 1)
            .map(|p| (p.keys[0].clone(), p.weight))
            .collect();
        let mut map: HashMap<char, Vec<(Box<str>, f64)>, BuildFnv> = HashMap::default();
        for (text, valence) in emoji {
            if let Some(c) = text.chars().next() {
                map.entry(c)
                    .or_default()
                    .push((text.as_str().into(), *valence));
            }
        }
        for list in map.values_mut() {
            list.sort_by_key(|(t, _)| std::cmp::Reverse(t.len()));
        }
        let mut first_byte = [false; 256];
        for c in map.keys() {
            let mut utf8 = [0u8; 4];
            first_byte[usize::from(c.encode_utf8(&mut utf8).as_bytes()[0])] = true;
        }
        SentimentModel {
            lex,
            word_valence,
            emoji: map,
            first_byte,
            marks: Marks::table(&first_byte),
        }
    }

    /// The table of [`Marks::of_with`] that sets [`Marks::EMOJI`] for this
    /// model's emoji.
    pub fn mark_table(&self) -> &MarkTable {
        &self.marks
    }

    /// `text_marks` are the [`Marks`] of the [`Field::Text`] field by
    /// [`SentimentModel::mark_table`]; `hits` the sentiment lexicon's
    /// phrases found in `tokens` ([`CueTable::find`](super::lexicon::CueTable::find)),
    /// left holding those read (the longest at each start, disjoint).
    pub fn read(
        &self,
        tokens: &Tokens<'_>,
        hits: &mut Vec<Hit>,
        fields: &[(Field, &str)],
        text_marks: Marks,
        shift: &ShiftWords,
        scratch: &mut Scratch,
    ) -> SentimentScore {
        let toks = &tokens.toks;
        let present = shift.presence(tokens);
        // A ticket without a sentiment phrase, a negator or an emoji (many)
        // has no part to weigh: neutral at once, without the code below in
        // the instruction cache.
        if hits.is_empty()
            && !present.negator()
            && !fields.iter().any(|&(field, text)| {
                let marks = if field == Field::Text {
                    text_marks
                } else {
                    Marks::of_with(text, &self.marks)
                };
                marks.any(Marks::EMOJI)
            })
        {
            return SentimentScore {
                label: Polarity::Neutral,
                score: round(0.0),
                evidence: Vec::new(),
            };
        }
        let contrast = if present.contrast() {
            contrast_weights(tokens, shift)
        } else {
            Vec::new()
        };
        let contrast_at = |i: usize| contrast.get(i).copied().unwrap_or(1.0);
        // Hits in text order, disjoint (the longest at each start).
        let mut covered = 0;
        hits.retain(|hit| {
            let keep = hit.start >= covered;
            if keep {
                covered = hit.end;
            }
            keep
        });
        let mut used_negators = std::mem::take(&mut scratch.used_negators);
        let mut parts: Vec<(f64, Cue<'_>)> = recycle(std::mem::take(&mut scratch.parts));
        // Parts that open a sentence with a positive word and a comma
        // ("Great, ..."), with the word's index, rare: read against the
        // rest of their sentence.
        let mut openers = Vec::new();
        // Parts that are a sentence of their own after another ("... lost
        // my notes. Great."), with their sentence's first word: read against
        // the sentence before.
        let mut closers = Vec::new();
        // The last negator that denied a word, and that word's sign.
        let mut denial: Option<(usize, f64)> = None;
        // The words of the hit before (none before the first).
        let mut phrase_before = (0, 0);
        for hit in hits.iter() {
            let phrase = &self.lex.phrases[hit.phrase as usize];
            let mut v = phrase.weight;
            let sign = v.signum();
            v += sign * BOOST * shift.intensity_before(tokens, hit.start);
            if !tokens.shouting && toks[hit.start..hit.end].iter().any(|t| t.caps) {
                v += sign * CAPS;
            }
            let mut start = hit.start;
            // A negator denies the words of one sign: the first it denies,
            // and more like it ("no lag or crashes"), but not a word of the
            // other sign after it: "didn't fix the crash" leaves the crash,
            // "wasn't helpful and rude" the rudeness.
            // A negator inside the phrase before is that phrase's ("no
            // problem and very fast"). A zero-valence phrase ("please")
            // has no sign: it neither sets nor meets one.
            let negator = shift.negator_before(tokens, hit.start).filter(|&n| {
                !(phrase_before.0..phrase_before.1).contains(&n)
                    && denial.is_none_or(|(m, sign)| m != n || v == 0.0 || sign == v.signum())
            });
            phrase_before = (hit.start, hit.end);
            if let Some(n) = negator {
                if v != 0.0 && denial.is_none_or(|(m, _)| m != n) {
                    denial = Some((n, v.signum()));
                }
                v *= NEGATE;
                used_negators.push(n);
                start = n;
            } else if v > 0.0 && present.past() {
                // "It used to be fast": the good is missed, a complaint.
                if let Some(p) = shift.past_before(tokens, hit.start) {
                    v *= NEGATE;
                    start = p;
                }
            }
            // "fixed the problem in minutes": the problem is solved.
            if v < 0.0 && start == hit.start && shift.told_solved(tokens, hit.start, false) {
                v = 0.0;
            }
            v *= contrast_at(hit.start);
            if v > 0.0 && start == hit.start {
                if opens_with_a_comma(tokens, hit.start, hit.end) {
                    openers.push((parts.len(), hit.start));
                } else if let Some(sentence) = closes_alone(tokens, hit.start, hit.end) {
                    closers.push((parts.len(), sentence));
                }
            }
            let how = if start < hit.start {
                How::Phrase
            } else {
                self.lex.how(*hit)
            };
            let cue = Cue::named(
                Source::Lexicon,
                &phrase.pattern,
                how,
                span_of(tokens, start, hit.end),
                toks[hit.start].field,
            );
            parts.push((v, cue));
        }
        used_negators.sort_unstable();
        let in_phrase = |i: usize| {
            let h = hits.partition_point(|h| h.end <= i);
            hits.get(h).is_some_and(|h| h.start <= i)
        };
        // A ticket without a negator (most) skips the scan.
        let scan: &[_] = if present.negator() { toks } else { &[] };
        for (i, t) in scan.iter().enumerate() {
            // The id test first: most words are no negator.
            if !shift.is_negator_tok(t) {
                continue;
            }
            let denies_something = toks
                .get(i + 1)
                .is_some_and(|next| !next.clause_start && next.field == t.field);
            if denies_something && !in_phrase(i) && used_negators.binary_search(&i).is_err() {
                let cue = Cue::new(Source::Lexicon, t.folded, How::Exact, t.span, t.field);
                parts.push((DENIED_ACTION * contrast_at(i), cue));
            }
        }
        let mut exclamations = 0usize;
        for &(field, text) in fields {
            let marks = if field == Field::Text {
                text_marks
            } else {
                Marks::of_with(text, &self.marks)
            };
            if marks.any(Marks::EXCLAIM) {
                exclamations += text.bytes().filter(|&b| b == b'!').count();
            }
            if marks.any(Marks::EMOJI) {
                self.find_emoji(field, text, &mut parts);
            }
        }
        if !openers.is_empty() {
            self.read_openers_against_their_sentence(tokens, hits, &openers, &mut parts);
        }
        if !closers.is_empty() {
            self.read_closers_against_the_sentence_before(tokens, hits, &closers, &mut parts);
        }
        let mut sum: f64 = parts.iter().map(|(v, _)| v).sum();
        if sum != 0.0 {
            sum += sum.signum() * EXCLAIM * exclamations.min(4) as f64;
        }
        let score = sum / (sum * sum + ALPHA).sqrt();
        let label = if score >= NEUTRAL_BAND {
            Polarity::Positive
        } else if score <= -NEUTRAL_BAND {
            Polarity::Negative
        } else {
            Polarity::Neutral
        };
        // Evidence agreeing with the label first, strongest first; ties in
        // text order (stable sort).
        let direction = match label {
            Polarity::Positive => 1.0,
            Polarity::Negative => -1.0,
            Polarity::Neutral => 0.0,
        };
        // Neutral: strongest either way first. One stable sort, by a key.
        let strength = |v: f64| {
            if direction == 0.0 {
                v.abs()
            } else {
                v * direction
            }
        };
        parts.sort_by(|a, b| {
            strength(b.0)
                .partial_cmp(&strength(a.0))
                .unwrap_or(std::cmp::Ordering::Equal)
        });
        // A zero-valence cue ("please", "sort by") only shields its words
        // from a stem-mate's valence: it moved nothing, so it explains
        // nothing. From a borrowing iterator: a fresh, exact allocation
        // rather than a reuse of `parts` that reallocates it.
        let evidence = evidence_of(
            &mut parts
                .iter()
                .filter(|(valence, _)| *valence != 0.0)
                .map(|(_, cue)| cue),
            MAX_EVIDENCE,
        );
        used_negators.clear();
        scratch.used_negators = used_negators;
        scratch.parts = recycle(parts);
        SentimentScore {
            label,
            score: round(score),
            evidence,
        }
    }

    /// An opening "Great," or "Perfect," before a sentence whose rest is
    /// negative is irony ("Great, another update that breaks everything"),
    /// not praise: its valence is read negated. Before a neutral or
    /// positive rest it stands ("Great, it works now"), and a good word
    /// denied in the rest does not make it irony ("Wow, didn't expect such
    /// a helpful reply"). `openers` are an index into `parts`, whose first
    /// `hits.len()` are the hits' in order, and the opening word's index in
    /// `tokens`; the rest of a sentence is every other part of its field in
    /// its byte range, denied actions and emoji too. Out of line (cold):
    /// few tickets open so.
    #[cold]
    #[inline(never)]
    fn read_openers_against_their_sentence(
        &self,
        tokens: &Tokens<'_>,
        hits: &[Hit],
        openers: &[(usize, usize)],
        parts: &mut [(f64, Cue<'_>)],
    ) {
        for &(k, word) in openers {
            let opener = parts[k].1.span;
            let field = parts[k].1.field;
            // The sentence ends where the next one starts; at the field's
            // end, nothing of the field comes after.
            let end = tokens.toks[word + 1..]
                .iter()
                .find(|t| t.sentence_start || t.field != field)
                .map_or(usize::MAX, |t| {
                    if t.field == field {
                        t.span.start
                    } else {
                        usize::MAX
                    }
                });
            let rest: f64 = self.said_in(hits, parts, field, opener.end..end).sum();
            if rest < 0.0 {
                parts[k].0 *= NEGATE;
            }
        }
    }

    /// A positive word that makes a sentence of its own ("Great.", "Just
    /// perfect!") after a sentence of pain alone is irony ("The update
    /// crashed and lost my notes. Great."): its valence is read negated.
    /// After a neutral sentence, or one with a good word ("Had a billing
    /// problem, Anna fixed it. Brilliant."), it stands. `closers` are an
    /// index into `parts` (as for the openers) and the index in `tokens` of
    /// their sentence's first word, which is not its field's first. Out of
    /// line (cold): few tickets close so.
    #[cold]
    #[inline(never)]
    fn read_closers_against_the_sentence_before(
        &self,
        tokens: &Tokens<'_>,
        hits: &[Hit],
        closers: &[(usize, usize)],
        parts: &mut [(f64, Cue<'_>)],
    ) {
        let toks = &tokens.toks;
        for &(k, sentence) in closers {
            let field = parts[k].1.field;
            let before = (0..sentence)
                .rev()
                .find(|&i| toks[i].sentence_start)
                .unwrap_or(0);
            let range = toks[before].span.start..toks[sentence].span.start;
            // All pain: one good word before ("Anna fixed it. Brilliant.")
            // makes the closing word sincere.
            let pain = {
                let mut said = self.said_in(hits, parts, field, range);
                said.clone().any(|v| v < 0.0) && said.all(|v| v <= 0.0)
            };
            if pain {
                parts[k].0 *= NEGATE;
            }
        }
    }

    /// The valences of the parts of `field` that start in `range` (bytes),
    /// but for good words denied (surprise, not pain: "didn't expect such a
    /// helpful reply"): what a sentence, or its rest, says for the irony
    /// rules.
    fn said_in<'a>(
        &'a self,
        hits: &'a [Hit],
        parts: &'a [(f64, Cue<'_>)],
        field: Field,
        range: std::ops::Range<usize>,
    ) -> impl Iterator<Item = f64> + Clone + 'a {
        parts
            .iter()
            .enumerate()
            .filter(move |(j, (v, cue))| {
                cue.field == field
                    && range.contains(&cue.span.start)
                    && !denied_good(&self.lex, hits, *j, *v)
            })
            .map(|(_, (v, _))| *v)
    }

    /// Out of line (cold): only texts with an emoji's first byte come here.
    #[cold]
    #[inline(never)]
    fn find_emoji<'p>(&'p self, field: Field, text: &str, parts: &mut Vec<(f64, Cue<'p>)>) {
        if self.emoji.is_empty() {
            return;
        }
        let mut skip_to = 0;
        let bytes = text.as_bytes();
        // Every byte that may start one, read as bytes: most chars are
        // plain letters, skipped without decoding or hashing (a UTF-8
        // continuation byte starts no char, so no emoji).
        for (i, &b) in bytes.iter().enumerate() {
            if !self.first_byte[usize::from(b)] || i < skip_to {
                continue;
            }
            let Some(c) = text.get(i..).and_then(|rest| rest.chars().next()) else {
                continue;
            };
            let Some(list) = self.emoji.get(&c) else {
                continue;
            };
            for (pattern, valence) in list {
                if !text[i..].starts_with(&**pattern) {
                    continue;
                }
                let end = i + pattern.len();
                // ASCII emoticons must stand alone (not "http://", "a:b").
                if pattern.is_ascii() {
                    let before = text[..i].chars().next_back();
                    let after = text[end..].chars().next();
                    if before.is_some_and(|b| !b.is_whitespace())
                        || after.is_some_and(|a| a.is_alphanumeric())
                    {
                        continue;
                    }
                }
                let cue = Cue::new(
                    Source::Lexicon,
                    pattern,
                    How::Exact,
                    Span::new(i, end),
                    field,
                );
                parts.push((*valence, cue));
                skip_to = end;
                break;
            }
        }
    }
}

/// Whether the words `start..end` are a sentence's first and a comma (or
/// other clause break) follows them: "Great, ...", "Perfect, ...".
fn opens_with_a_comma(tokens: &Tokens<'_>, start: usize, end: usize) -> bool {
    let toks = &tokens.toks;
    toks[start].sentence_start
        && toks
            .get(end)
            .is_some_and(|t| t.clause_start && !t.sentence_start && t.field == toks[start].field)
}

/// Whether part `j` (of valence `v`) is a good word denied ("didn't expect
/// such a helpful reply"): surprise, not a negative rest or sentence
/// before. The first `hits.len()` parts are the hits', in order.
fn denied_good(lex: &Lexicon, hits: &[Hit], j: usize, v: f64) -> bool {
    hits.get(j)
        .is_some_and(|h| v < 0.0 && lex.phrases[h.phrase as usize].weight > 0.0)
}

/// The index of the first word of the sentence the words `start..end`
/// make on their own (with at most one word before them: "oh great", "just
/// perfect"), if they do and it is not their field's first sentence.
fn closes_alone(tokens: &Tokens<'_>, start: usize, end: usize) -> Option<usize> {
    let toks = &tokens.toks;
    let sentence = if toks[start].sentence_start {
        start
    } else if start > 0 && toks[start - 1].sentence_start && !toks[start].clause_start {
        start - 1
    } else {
        return None;
    };
    let field = toks[start].field;
    let ends = toks
        .get(end)
        .is_none_or(|t| t.sentence_start || t.field != field);
    let follows = sentence > 0 && toks[sentence - 1].field == field;
    (ends && follows).then_some(sentence)
}

/// Per token: 0.5 before a contrast word in its sentence, 1.5 after it,
/// 1 elsewhere ("the app is great but support never answers").
/// The caller skips a ticket without a contrast word (all 1, no list):
/// out of line (cold), its code stays away from every reading's.
#[cold]
#[inline(never)]
fn contrast_weights(tokens: &Tokens<'_>, shift: &ShiftWords) -> Vec<f64> {
    let toks = &tokens.toks;
    let mut weights = vec![1.0; toks.len()];
    let mut sentence = 0;
    while sentence < toks.len() {
        let mut end = sentence + 1;
        while end < toks.len() && !toks[end].sentence_start {
            end += 1;
        }
        if let Some(c) = (sentence..end)
            .rev()
            .find(|&i| shift.is_contrast_tok(&toks[i]))
        {
            weights[sentence..c].iter_mut().for_each(|w| *w = 0.5);
            weights[c + 1..end].iter_mut().for_each(|w| *w = 1.5);
        }
        sentence = end;
    }
    weights
}

/// The strongest positive reading a request or question may owe to
/// politeness alone.
const POLITE_MAX: f64 = 0.5;

/// The sentiment words read in the light of what the ticket is. A bug
/// report or a complaint with no sentiment word either way still tells of
/// a pain ("the app keeps logging me out"): it reads mildly negative, at
/// the edge of the neutral band. Positive words in a feature request or a
/// question are politeness ("would be great", "thanks in advance"), not
/// praise: a mild positive reading (below [`POLITE_MAX`]) reads neutral,
/// at half the band. Strong words keep their reading; praise and other
/// kinds are left as read. A pain read from the kind shows the kind's
/// evidence after the sentiment's own, so the reading stays explained.
pub(crate) fn in_light_of(kind: &KindMatch, mut sentiment: SentimentScore) -> SentimentScore {
    match (kind.label, sentiment.label) {
        (Kind::Bug | Kind::Complaint, Polarity::Neutral) => {
            sentiment.score = sentiment.score.min(-NEUTRAL_BAND);
            sentiment.label = Polarity::Negative;
            let room = MAX_EVIDENCE.saturating_sub(sentiment.evidence.len());
            sentiment
                .evidence
                .extend(kind.evidence.iter().take(room).cloned());
        }
        (Kind::FeatureRequest | Kind::Question, Polarity::Positive)
            if sentiment.score < POLITE_MAX =>
        {
            sentiment.score = sentiment.score.min(NEUTRAL_BAND / 2.0);
            sentiment.label = Polarity::Neutral;
        }
        _ => {}
    }
    sentiment
}

/// Rounds to 4 decimals so that output is stable and readable.
pub(crate) fn round(x: f64) -> f64 {
    // `+ 0.0` turns -0 into 0.
    (x * 10_000.0).round() / 10_000.0 + 0.0
}
