//! The kind of a ticket (one label): lexicon cues, structure (question
//! marks), the other signals, and a linear word model trained on the
//! kinds' example tickets.

use super::classifier::{KindClassifier, Marks, inside};
use super::lexicon::{Cue, Hit, Lexicon, LongestCover, Tokens, evidence_of, recycle, span_of};
use super::needs::{CueHit, cue_sums};
use super::negation::ShiftWords;
use super::sentiment::round;
use super::{Kind, KindMatch, Need, NeedMatch, SentimentScore};
use crate::span::Span;
use crate::tagged::{Field, How, Name, Source};

/// The pattern of a question mark's evidence, made once and shared by the
/// evidence that cites it (most questions end in one).
static QUESTION_MARK: std::sync::LazyLock<Name> = std::sync::LazyLock::new(|| Name::from("?"));

/// The question weight of a body's first question mark, and of a question
/// cue that opens a body with none (a question sent without its mark).
const FIRST_MARK_WEIGHT: f64 = 0.8;

/// The most words a bare line holds: one with no kind cue, need or mood,
/// on which a model of the shipped examples may not raise complaint or bug
/// (labelled English set: kind dev 0.877 -> 0.885, held-out 0.855 kept;
/// at 8 words held-out fell to 0.849).
const BARE_WORDS: usize = 6;

/// The evidence a ticket with no cue at all still has for "other".
const OTHER_PRIOR: f64 = 0.6;
/// Cues in the subject (a title says what the ticket is) count double.
const SUBJECT_FACTOR: f64 = 2.0;
/// Cues in a Markdown heading of the body count a fifth: issue templates
/// put "steps to reproduce" before questions and requests too.
const HEADING_FACTOR: f64 = 0.2;
/// The share of a ticket's defect words (bug cues) that also speaks for a
/// question: people asking for help describe what goes wrong in the same
/// words as bug reports ("error", "fails", "not working"), so defect
/// words tell a report or a help request from a feature request, and the
/// speech acts ("how do I", "is it possible", a "?") tell the two apart.
const DEFECT_QUESTION_SHARE: f64 = 0.8;
/// What a product pain among the needs (reliability, quality...) adds to
/// a bug report and, for the same reason, to a question.
const PAIN_BUG: f64 = 0.8;
const PAIN_QUESTION: f64 = 0.5;
/// What a type the ticket declares in a form field adds: as much as two
/// clear cues in the title (its value does not count again as a cue).
const DECLARED_WEIGHT: f64 = 4.0;
/// A question cue of this weight or more in the writer's words (not a
/// template heading: those count a fifth) asks for help: "how can I",
/// "I'm trying to", "please help", "when I run". Such a ticket filed
/// through a bug form is a help request: the form's type says which form
/// the writer opened (some trackers open the bug form by default), the
/// words say what they want, so a declared bug adds nothing there.
const HELP_CUE: f64 = 0.5;
/// Verbs that open a title asking for something new ("Add export to
/// Excel", "Support Apple Pay"), or asking in the imperative for a change
/// of what the product shows or does ("Show a progress indicator", "Warn
/// when ...", "Document ..."): a task trackers file as a feature
/// request. What one adds to a feature request.
const REQUEST_VERBS: [&str; 28] = [
    "add",
    "support",
    "allow",
    "enable",
    "provide",
    "expose",
    "implement",
    "introduce",
    "improve",
    "offer",
    "include",
    "extend",
    "show",
    "display",
    "render",
    "document",
    "warn",
    "replace",
    "reduce",
    "simplify",
    "refactor",
    "optimize",
    "optimise",
    "deprecate",
    "rename",
    "adopt",
    "revisit",
    "split",
];
const REQUEST_VERB_WEIGHT: f64 = 1.5;
/// Verbs that open a title saying a defect is being mended ("Fix crash
/// on empty input", "fix: wrong total"): the title of a bug fix, which
/// trackers file as a bug. What one adds to a bug report.
const FIX_VERBS: [&str; 4] = ["fix", "fixes", "fixed", "fixing"];
const FIX_VERB_WEIGHT: f64 = 1.5;
/// Help requests speak of the writer: from this share of first-person
/// words ("I", "my", "me") among the words of a ticket's opening, rising
/// over the next [`FIRST_PERSON_SPAN`], a question gains up to
/// [`FIRST_PERSON_WEIGHT`]. Bug reports and requests describe the product
/// (a typical report: under 2% of its words; a help request: over 4%).
const FIRST_PERSON_FROM: f64 = 0.02;
const FIRST_PERSON_SPAN: f64 = 0.04;
const FIRST_PERSON_WEIGHT: f64 = 2.0;
/// Fewer words than this give no share: in a short ticket one "I" is a
/// large share of it, and complaints and reports speak of the writer too.
const FIRST_PERSON_MIN_WORDS: usize = 30;
/// The opening read for [`first_person_share`], in bytes of the body.
const OPENING_BYTES: usize = 2500;
/// Mood read against the words: a ticket whose words name no defect and
/// no praise, ask for nothing new, and carry no "?", voices displeasure
/// when its mood is negative (a complaint gains this times the negative
/// score); one
/// whose words name no defect, request or question thanks when its mood
/// is positive (praise gains this times the score). A bug report told
/// angrily still names the defect ("froze", "fails"); a request still
/// asks ("please add").
const MOOD_WEIGHT: f64 = 1.0;
/// Cues of this weight or less ("which", "issue", "returns") do not say on
/// their own what a ticket is: they do not stop a warm mood from reading
/// as praise. Any defect or request word, even a weak one, stops a
/// negative mood from reading as a complaint (on an issue tracker "issue"
/// is a report: counting only clear cues there lowered the GitHub figure).
const WEAK_CUE: f64 = 0.3;

/// The summed bug-cue weight above which the words name a defect
/// clearly: "broken", "not working" (1), "error" (0.7); not "instead of"
/// (0.6) or "ignored" (0.5) alone, which also tell other things.
const CLEAR_DEFECT: f64 = 0.6;

/// What a product need takes from "other": a ticket about the product
/// (its price, its functions, its speed) is seldom mere correspondence
/// (attachments, contacts, out-of-office notes).
const NEED_AGAINST_OTHER: f64 = 0.5;
/// Evidence kept for the winning kind.
const MAX_EVIDENCE: usize = 6;

#[derive(Debug, Clone, Default)]
pub(crate) struct KindModel {
    pub lex: Lexicon,
    pub classifier: Option<KindClassifier>,
    /// The writer's first-person words, folded.
    pub first_person: Vec<String>,
    /// The language's "why" question words.
    pub why: WhyWords,
    /// Whether the example model learnt the shipped examples only: its
    /// topic words on a bare line are no kind (a user's own examples are
    /// the user's word, bare lines included).
    pub shipped_examples: bool,
}

/// Where question marks end sentences (not in URLs such as `?q=`): the
/// byte offsets of the marks.
pub(crate) fn question_marks(text: &str) -> impl Iterator<Item = usize> + '_ {
    let bytes = text.as_bytes();
    text.match_indices('?').filter_map(move |(i, _)| {
        let next = bytes.get(i + 1).copied();
        match next {
            None | Some(b' ' | b'\n' | b'\r' | b'\t' | b'"' | b'\'' | b')' | b'?' | b'*') => {
                Some(i)
            }
            _ => None,
        }
    })
}

/// Scratch of a reading, kept (empty) between tickets in the signals'
/// one per-thread [`Scratch`](super::Scratch): a reading allocates only
/// what it returns.
#[derive(Debug, Default)]
pub(crate) struct Scratch {
    body_cues: Vec<CueHit>,
    evidence: Vec<(usize, f64, Cue<'static>)>,
    /// The last reading's logits before the example model: what the cues,
    /// the structure and the other signals say. A model trained on many
    /// examples learns on top of them ([`KindClassifier::new`]).
    pub cue_logits: [f64; Kind::ALL.len()],
}

impl KindModel {
    /// `marks` are the [`Marks`] of the body (the [`Field::Text`] field);
    /// `hits` the kinds lexicon's phrases found in `tokens`
    /// ([`CueTable::find`](super::lexicon::CueTable::find)).
    #[allow(clippy::too_many_arguments)]
    pub fn read(
        &self,
        tokens: &Tokens<'_>,
        hits: &[Hit],
        fields: &[(Field, &str)],
        boilerplate: &[(usize, usize)],
        marks: Marks,
        shift: &ShiftWords,
        needs: &[NeedMatch],
        sentiment: &SentimentScore,
        features: &[u64],
        headings: &[(usize, usize)],
        scratch: &mut Scratch,
    ) -> KindMatch {
        const N: usize = Kind::ALL.len();
        let n = N;
        // Flat lists in text order, with a label per entry: no allocation
        // for a ticket without cues.
        let mut body_cues = std::mem::take(&mut scratch.body_cues);
        body_cues.clear();
        let mut subject_sums = [0.0f64; N];
        let mut evidence: Vec<(usize, f64, Cue<'_>)> =
            recycle(std::mem::take(&mut scratch.evidence));
        let mut covered = [0usize; N];
        let body = fields
            .iter()
            .find(|f| f.0 == Field::Text)
            .map_or("", |f| f.1);
        // A form field needs a `:` or a heading's `#` or `**`. Its value
        // counts once, as the declared type, not again as a cue.
        let declared = if marks.any(Marks::COLON | Marks::HASH | Marks::STAR) {
            declared_kind(body, boilerplate)
        } else {
            None
        };
        let in_value =
            |at: usize| declared.is_some_and(|(_, span)| span.start <= at && at < span.end);
        // Collapsed `<details>` sections: the system information and logs
        // a reporting tool attaches ("crash reporter id", "undefined").
        let details = if marks.any(Marks::LESS_THAN) {
            details_ranges(body)
        } else {
            Vec::new()
        };
        // A technical report: template boilerplate or headings,
        // `<details>`, inline code (see below where it counts).
        let technical = !boilerplate.is_empty()
            || !headings.is_empty()
            || !details.is_empty()
            || marks.any(Marks::BACKTICK);
        // Whether the writer's words ask for help (see HELP_CUE).
        let mut asks_help = false;
        // Whether a question cue opens the body ("how do I ...").
        let mut opens_question = false;
        // A cue inside a longer phrase of another label belongs to it.
        let mut cover = LongestCover::default();
        for &hit in hits {
            let phrase = &self.lex.phrases[hit.phrase as usize];
            let label = phrase.label;
            if label >= N {
                continue;
            }
            if cover.hides(&hit, label) {
                continue;
            }
            let tok = &tokens.toks[hit.start];
            // A defect a customer's message tells solved ("resolveram meu
            // problema", "fixed the problem": the defect the object of the
            // solving word, only stop words between) is no report of it (in a
            // technical report it is often the writer's own fix, told
            // before the defect left).
            if hit.start < covered[label]
                || shift.negator_before(tokens, hit.start).is_some()
                || (label == Kind::Bug as usize
                    && !technical
                    && shift.told_solved(tokens, hit.start, true))
                || (tok.field == Field::Text
                    && (inside(&details, tok.span.start) || in_value(tok.span.start)))
            {
                continue;
            }
            covered[label] = hit.end;
            let heading_w = if tok.field == Field::Text && inside(headings, tok.span.start) {
                HEADING_FACTOR
            } else {
                1.0
            };
            let in_subject = tok.field == Field::Subject;
            let weight = phrase.weight * heading_w;
            asks_help |= label == Kind::Question as usize && weight >= HELP_CUE;
            // (The words before it, looked at only for a strong question
            // cue in the body, are all the subject's.)
            opens_question |= label == Kind::Question as usize
                && phrase.weight >= 1.0
                && tok.field == Field::Text
                && tokens.toks[..hit.start]
                    .iter()
                    .all(|t| t.field != Field::Text);
            if in_subject {
                subject_sums[label] += weight;
            } else {
                body_cues.push(CueHit {
                    label,
                    phrase: hit.phrase,
                    weight,
                    in_subject,
                });
            }
            let cue = Cue::named(
                Source::Lexicon,
                &phrase.pattern,
                self.lex.how(hit),
                span_of(tokens, hit.start, hit.end),
                tok.field,
            );
            evidence.push((label, phrase.weight, cue));
        }
        let body_sums: [f64; N] = cue_sums(&mut body_cues);
        let mut logits: [f64; N] =
            std::array::from_fn(|k| SUBJECT_FACTOR * subject_sums[k] + body_sums[k]);
        // What the words alone say, before the structure and the other
        // signals: whether they name a defect, a request or a question.
        let named = |k: Kind, above: f64| logits[k as usize] > above;
        let defect_named = named(Kind::Bug, 0.0);
        let request_named = named(Kind::FeatureRequest, 0.0);
        // A defect named by a clear word ("not working", "broken"), not a
        // hint ("instead of", "ignored").
        let defect_clear = named(Kind::Bug, CLEAR_DEFECT);
        // (A rhetorical "why", below, names a complaint too.)
        let complaint_named = named(Kind::Complaint, 0.0);
        let praise_named = named(Kind::Praise, 0.0);
        let words_speak = named(Kind::Bug, WEAK_CUE)
            || named(Kind::FeatureRequest, WEAK_CUE)
            || named(Kind::Question, WEAK_CUE);
        logits[Kind::Question as usize] += DEFECT_QUESTION_SHARE * logits[Kind::Bug as usize];

        // A type the ticket declares in a form field ("Type: Bug", an
        // "Issue type" heading over "Support"): the writer's own choice,
        // unless a bug form holds a request for help (see HELP_CUE).
        if let Some((kind, span)) = declared
            && !(kind == Kind::Bug && asks_help)
        {
            let w = DECLARED_WEIGHT;
            logits[kind as usize] += w;
            let cue = Cue::new(Source::Lexicon, "type:", How::Exact, span, Field::Text);
            evidence.push((kind as usize, w, cue));
        }

        // A title that opens with a request verb ("Add ...", "Support ...")
        // asks for something new.
        // One that opens with "Fix ..." mends a defect.
        if let Some(&(field, subject)) = fields.iter().find(|f| f.0 == Field::Subject) {
            if let Some(span) = title_verb(subject, &REQUEST_VERBS) {
                let f = Kind::FeatureRequest as usize;
                logits[f] += REQUEST_VERB_WEIGHT;
                let cue = Cue::new(Source::Lexicon, "request verb", How::Exact, span, field);
                evidence.push((f, REQUEST_VERB_WEIGHT, cue));
            } else if let Some(span) = title_verb(subject, &FIX_VERBS) {
                let b = Kind::Bug as usize;
                logits[b] += FIX_VERB_WEIGHT;
                let cue = Cue::new(Source::Lexicon, "fix verb", How::Exact, span, field);
                evidence.push((b, FIX_VERB_WEIGHT, cue));
            }
        }

        // Structure: sentences ending in a question mark.
        let q = Kind::Question as usize;
        let mut body_marks = 0;
        for &(field, text) in fields {
            if field == Field::Text && !marks.any(Marks::QUESTION) {
                continue;
            }
            for i in question_marks(text) {
                // A template's heading ("### Current behavior?") is not the
                // customer's question.
                if field == Field::Text && (inside(boilerplate, i) || inside(headings, i)) {
                    continue;
                }
                let w = if field == Field::Subject {
                    1.5
                } else {
                    body_marks += 1;
                    if body_marks == 1 {
                        FIRST_MARK_WEIGHT
                    } else {
                        0.3
                    }
                };
                if body_marks > 4 {
                    continue;
                }
                logits[q] += w;
                let span = Span::new(i, i + 1);
                let cue = Cue::named(Source::Lexicon, &QUESTION_MARK, How::Exact, span, field);
                evidence.push((q, w, cue));
            }
        }

        // A rhetorical "why": a ticket whose only question words are "why
        // is/does..." ("Why is the app so slow since the update?", "Warum
        // ...", "Pourquoi ..."; the words of data/kind_why.<lang>.txt),
        // from a writer who is not pleased, and no technical report,
        // protests rather than asks: its question weight goes to complaint.
        // Inline code (a backtick) names the product's parts: a customer's
        // message seldom holds it.
        // (`technical` is worked out above, before the cues are read.)
        // A question its writer left without a mark ("how do I change my
        // billing address"): a question cue that opens a body with no "?"
        // weighs as the mark would.
        if opens_question && body_marks == 0 && !technical {
            logits[Kind::Question as usize] += FIRST_MARK_WEIGHT;
        }
        let mut protests = false;
        if sentiment.score <= 0.0 && !technical {
            let q = Kind::Question as usize;
            let question_word = |e: &&(usize, f64, Cue<'_>)| e.0 == q && e.2.pattern != "?";
            let mut why = false;
            let mut other = false;
            for e in evidence.iter().filter(question_word) {
                if self.why.starts(e.2.pattern) {
                    why = true;
                } else {
                    // Another question word: the ticket asks.
                    other = true;
                    break;
                }
            }
            if why && !other {
                protests = true;
                let moved: f64 = evidence.iter().filter(|e| e.0 == q).map(|e| e.1).sum();
                logits[q] -= moved;
                logits[Kind::Complaint as usize] += moved;
            }
        }

        // A writer who speaks of themselves ("I", "my", "me") much more
        // than a report of a product does asks for help.
        {
            let share = first_person_share(tokens, &self.first_person, boilerplate, &details);
            let ramp = ((share - FIRST_PERSON_FROM) / FIRST_PERSON_SPAN).clamp(0.0, 1.0);
            logits[Kind::Question as usize] += FIRST_PERSON_WEIGHT * ramp;
        }

        // The other signals: service pains read as complaints, warm words
        // as praise.
        // The strongest need of each group the kind reads, in one pass over
        // the (few) needs: service needs (and price), product pains,
        // missing functions and effort, and any need.
        let mut service = 0.0f64;
        let mut pain = 0.0f64;
        let mut request = 0.0f64;
        let mut strongest_need = 0.0f64;
        for m in needs {
            let s = m.score;
            match m.need {
                Need::Quality | Need::Reliability | Need::Performance | Need::Compatibility => {
                    pain = pain.max(s)
                }
                Need::Capability | Need::Convenience | Need::Efficiency => request = request.max(s),
                Need::Price => service = service.max(s),
                need if !need.is_product_need() => service = service.max(s),
                _ => {}
            }
            strongest_need = strongest_need.max(s);
        }
        // A ticket with code, logs, template headings, collapsed sections
        // or inline code is a technical report: its negative words describe
        // what goes wrong, they do not voice displeasure with the service.
        if sentiment.score < 0.0 && !technical {
            logits[Kind::Complaint as usize] += service * (0.5 - sentiment.score);
        }
        // Product pains are what bug reports are about (missing functions
        // and effort, feature requests, below). A pain the text praises
        // ("rock solid, not a single crash") or says is gone under a
        // praise word ("those crashes are gone") is no defect: it counts
        // only under a mood that is not warm and beside no praise word, or
        // beside a defect the kind's own words name.
        let pain_praised = pain > 0.0 && (sentiment.score > 0.3 || praise_named) && !defect_named;
        let pain = if pain_praised { 0.0 } else { pain };
        logits[Kind::Bug as usize] += PAIN_BUG * pain;
        logits[Kind::Question as usize] += PAIN_QUESTION * pain;
        logits[Kind::FeatureRequest as usize] += 0.6 * request;
        if sentiment.score < -0.3 && !technical {
            logits[Kind::Complaint as usize] += -sentiment.score - 0.3;
        }
        // Warm words in a technical report are courtesy ("awesome
        // project", "thanks for the great work"), not praise: its mood adds
        // nothing to praise, as its displeasure adds nothing to complaint.
        if sentiment.score > 0.3 && !technical {
            logits[Kind::Praise as usize] += 2.0 * (sentiment.score - 0.3);
        }
        // The mood speaks where the words do not (see MOOD_WEIGHT).
        let asks = evidence.iter().any(|e| e.2.pattern == "?");
        if sentiment.score < 0.0
            && !technical
            && !defect_named
            && !request_named
            && !praise_named
            && !asks
        {
            logits[Kind::Complaint as usize] += MOOD_WEIGHT * -sentiment.score;
        }
        if sentiment.score > 0.0 && !words_speak && !technical {
            logits[Kind::Praise as usize] += MOOD_WEIGHT * sentiment.score;
        }
        logits[Kind::Other as usize] += OTHER_PRIOR - NEED_AGAINST_OTHER * strongest_need;

        scratch.cue_logits = logits;
        if let Some(classifier) = &self.classifier {
            let mut scores = classifier.scores(features);
            // The example model learnt plain words of each kind ("now",
            // "every time", "our team"); where the rest of the reading
            // rules a kind out, the model may lower it but not raise it.
            // A model stacked on a user's own tickets learnt its words
            // there and keeps its say on bug, other and feature request
            // (capped, the cross-validated figure fell 0.770 -> 0.767 on
            // the dev half).
            let built_in = !classifier.is_stacked();
            // Complaints are about the service or say so ("unacceptable",
            // "fed up", a displeased "why"): without such a word or a
            // service need, a defect or product pain is a report of the
            // product, and a warm ticket ("It works fine now.") no
            // complaint, whatever plain words the model met in complaints
            // ("two weeks", "nobody", "now"); nor a ticket whose words
            // praise ("the sync issue is gone").
            let no_complaint = !complaint_named && !protests && service == 0.0;
            let mut ruled_out = [false; N];
            ruled_out[Kind::Complaint as usize] = no_complaint
                && (defect_named || pain > 0.0 || sentiment.score > 0.0 || praise_named);
            // No bug report: a pain the text praises ("crash", "in weeks"
            // under "rock solid"); and, to the built-in model, a ticket
            // whose words name no defect that is about how the customer is
            // served (a service need and no product pain: "every time",
            // "in five days") or warm outside a technical report (a fix
            // confirmed, "no crashes since the update 👍": its defect
            // words are denied; in code or logs warmth is courtesy) or
            // whose words praise (a problem said to be gone).
            let served = service > 0.0 && pain == 0.0;
            let warm = sentiment.score > 0.3 && !technical;
            ruled_out[Kind::Bug as usize] =
                pain_praised || (built_in && !defect_named && (served || warm || praise_named));
            // A bare line ("DM sent", "yes it was the same account",
            // "card"): a few words with no cue, need or mood. A model of the
            // shipped examples reads complaint or bug there from a topic
            // word it met in complaints ("card", "sent", "account"), not a
            // kind: the line is a reply or a fragment.
            let bare = self.shipped_examples
                && tokens.toks.len() <= BARE_WORDS
                && evidence.is_empty()
                && needs.is_empty()
                && sentiment.score == 0.0;
            if bare {
                ruled_out[Kind::Complaint as usize] = true;
                ruled_out[Kind::Bug as usize] = true;
            }
            // "Other" is the kind of a ticket whose words name none: where
            // they name a defect clearly and ask for nothing, the built-in
            // model's other or feature request ("our team", "web app")
            // does not outweigh the report.
            let reported = built_in && defect_clear && !request_named && !asks;
            // A question its writer sent without its mark ("how do I
            // change my billing address", "can i move my subscription to
            // another card") names its kind as the mark would: the
            // built-in model, which met questions with their "?", may not
            // raise other or bug over it, nor complaint where no word
            // complains. (One naming a defect, "I don't know why it
            // crashes", may be a report: the model keeps its say there.)
            let unmarked_question =
                built_in && opens_question && body_marks == 0 && !technical && !defect_named;
            ruled_out[Kind::Other as usize] = reported || unmarked_question;
            if unmarked_question {
                ruled_out[Kind::Complaint as usize] |= no_complaint;
                ruled_out[Kind::Bug as usize] = true;
            }
            ruled_out[Kind::FeatureRequest as usize] = reported;
            // Praise needs a warm mood: on a displeased ticket the model's
            // praise (plain words it met in thanks) adds nothing. Nor where
            // the words name a defect clearly and no praise: warm words
            // around a defect ("Great, another update that breaks
            // everything. Thanks a lot.") are irony or courtesy.
            ruled_out[Kind::Praise as usize] =
                sentiment.score < 0.0 || (defect_clear && !praise_named);
            // What the built-in model believes of the kinds left: its
            // scores are relative to the mean over all kinds, so a kind
            // ruled out that it favoured (praise for the warm words around
            // a defect) would still hold down the kinds the words name.
            if built_in && ruled_out.contains(&true) {
                center_on_kinds_left(&mut scores, &ruled_out);
            }
            for (score, out) in scores.iter_mut().zip(ruled_out) {
                if out {
                    *score = score.min(0.0);
                }
            }
            // Its doubt of a question sent without its mark is the
            // missing mark's: it may not lower the question either.
            if unmarked_question {
                scores[q] = scores[q].max(0.0);
            }
            for (logit, score) in logits.iter_mut().zip(scores) {
                *logit += classifier.weight * score;
            }
        }

        let best = (0..n).fold(0, |b, k| if logits[k] > logits[b] { k } else { b });
        let max = logits[best];
        // The best logit's term is exactly 1: no call for it.
        let total: f64 = (0..n)
            .map(|k| {
                if k == best {
                    1.0
                } else {
                    (logits[k] - max).exp()
                }
            })
            .sum();
        // A zero-weight phrase (a shield, "give me a sec") only keeps its
        // words from a cue inside it: it moved nothing, so it explains
        // nothing.
        evidence.retain(|e| e.0 == best && e.1 != 0.0);
        evidence.sort_by(|a, b| b.1.partial_cmp(&a.1).unwrap_or(std::cmp::Ordering::Equal));
        // From a borrowing iterator: a fresh, exact allocation rather than
        // a reuse of the scratch list that reallocates it.
        let out = evidence_of(&mut evidence.iter().map(|(_, _, cue)| cue), MAX_EVIDENCE);
        body_cues.clear();
        scratch.body_cues = body_cues;
        scratch.evidence = recycle(evidence);
        KindMatch {
            label: Kind::ALL[best],
            score: round(1.0 / total),
            evidence: out,
        }
    }
}

/// Centres the example model's `scores` on the kinds not ruled out:
/// their mean becomes 0, as the mean over all kinds was.
fn center_on_kinds_left(scores: &mut [f64; Kind::ALL.len()], ruled_out: &[bool; Kind::ALL.len()]) {
    let (sum, n) = scores
        .iter()
        .zip(ruled_out)
        .filter(|(_, out)| !**out)
        .fold((0.0, 0usize), |(sum, n), (s, _)| (sum + s, n + 1));
    if n == 0 {
        return;
    }
    let mean = sum / n as f64;
    for (score, out) in scores.iter_mut().zip(ruled_out) {
        if !out {
            *score -= mean;
        }
    }
}

/// The "why" question words of a kind model, folded, and which bytes start
/// one (either ASCII case): most cues are ruled out by their first byte.
#[derive(Debug, Clone, Default)]
pub(crate) struct WhyWords {
    words: Vec<String>,
    first: Vec<bool>,
}

impl WhyWords {
    /// From a language's list ([`SignalsConfig::why`](super::SignalsConfig::why)).
    pub fn new(words: &[String]) -> WhyWords {
        let words: Vec<String> = words
            .iter()
            .map(|w| w.trim().to_lowercase())
            .filter(|w| !w.is_empty())
            .collect();
        let mut first = vec![false; 256];
        for b in words.iter().filter_map(|w| w.bytes().next()) {
            first[usize::from(b.to_ascii_lowercase())] = true;
            first[usize::from(b.to_ascii_uppercase())] = true;
        }
        WhyWords { words, first }
    }

    /// Whether a kind cue (its pattern as written) is a "why" question: it
    /// starts with one of the words ("why is", "warum", "por qué"),
    /// ignoring ASCII case. Cost: a byte lookup, for a few cues a few
    /// short byte comparisons; runs only for the question cues of a
    /// displeased, non-technical ticket.
    pub fn starts(&self, pattern: &str) -> bool {
        let p = pattern.as_bytes();
        p.first()
            .is_some_and(|&b| self.first.get(usize::from(b)).copied().unwrap_or(false))
            && self.words.iter().any(|w| {
                let w = w.as_bytes();
                p.get(..w.len()).is_some_and(|head| head.eq_ignore_ascii_case(w))
                    // The word ends there: not "whyever", not "perchéx".
                    && p.get(w.len()).is_none_or(|b| b.is_ascii() && !b.is_ascii_alphanumeric())
            })
    }
}

/// The words of a word list in the data format (`#` comments, one word or
/// phrase a line: first-person words, "why" words), folded to lower case. Cost: linear in the list.
pub(crate) fn parse_word_list(text: &str) -> Vec<String> {
    text.lines()
        .map(str::trim)
        .filter(|l| !l.is_empty() && !l.starts_with('#'))
        .map(str::to_lowercase)
        .collect()
}

/// The share of first-person words (`first_person`, e.g. English "I",
/// "I'm", "my", "me") among the writer's words of the subject and the
/// body's opening ([`OPENING_BYTES`]); 0 with fewer than
/// [`FIRST_PERSON_MIN_WORDS`] such words. Words in the body's code blocks
/// and template comments (`code`) or collapsed `<details>` (`details`)
/// are not the writer's: pasted logs and system information would dilute
/// the share of a help request that holds them.
/// Cost: linear in the tokens read times the (short) list.
pub(crate) fn first_person_share(
    tokens: &Tokens<'_>,
    first_person: &[String],
    code: &[(usize, usize)],
    details: &[(usize, usize)],
) -> f64 {
    // The words read: the subject's, then the body's up to the opening's
    // end (tokens come in that order). Most tickets are too short to
    // say: counted first, they skip the comparisons.
    let words = tokens
        .toks
        .partition_point(|t| t.field != Field::Text || t.span.start < OPENING_BYTES);
    if words < FIRST_PERSON_MIN_WORDS {
        return 0.0;
    }
    let toks = &tokens.toks[..words];
    if code.is_empty() && details.is_empty() {
        return first_person_count(toks, first_person) as f64 / words as f64;
    }
    prose_first_person_share(toks, first_person, code, details)
}

/// [`first_person_share`] of a ticket with code or `<details>`: over the
/// words outside them. Out of line and cold, as [`first_person_count`].
#[cold]
#[inline(never)]
fn prose_first_person_share(
    toks: &[super::lexicon::Tok<'_>],
    first_person: &[String],
    code: &[(usize, usize)],
    details: &[(usize, usize)],
) -> f64 {
    let mut words = 0usize;
    let mut mine = 0usize;
    for t in toks {
        if t.field == Field::Text && (inside(code, t.span.start) || inside(details, t.span.start)) {
            continue;
        }
        words += 1;
        mine += usize::from(first_person.iter().any(|w| same_word(w, t.folded)));
    }
    if words < FIRST_PERSON_MIN_WORDS {
        return 0.0;
    }
    mine as f64 / words as f64
}

/// The first-person words among `toks`: out of line, as only long
/// tickets count them (the check before runs on every ticket).
#[cold]
#[inline(never)]
fn first_person_count(toks: &[super::lexicon::Tok<'_>], first_person: &[String]) -> usize {
    toks.iter()
        .filter(|t| first_person.iter().any(|w| same_word(w, t.folded)))
        .count()
}

/// Whether two short words are equal, compared inline (a call to
/// `memcmp` per word and list entry costs more than the bytes).
fn same_word(a: &str, b: &str) -> bool {
    a.len() == b.len() && a.bytes().zip(b.bytes()).all(|(x, y)| x == y)
}

/// The byte ranges of a body's collapsed HTML sections
/// (`<details>...</details>`), sorted and disjoint; an unclosed one runs
/// to the end. Out of line: only bodies with a `<` are searched.
/// Cost: linear in the text.
#[cold]
#[inline(never)]
pub(crate) fn details_ranges(text: &str) -> Vec<(usize, usize)> {
    let mut out = Vec::new();
    let mut from = 0;
    while let Some(i) = text[from..].find("<details") {
        let start = from + i;
        let end = text[start..]
            .find("</details>")
            .map_or(text.len(), |j| start + j + "</details>".len());
        out.push((start, end));
        from = end;
    }
    out
}

/// [`heading_ranges`] of a body, skipped without a scan when its `marks`
/// hold no `#` or `*` and it has no `- [` (most tickets; one without a
/// `[` is not searched for it).
pub(crate) fn template_lines(body: &str, marks: Marks) -> Vec<(usize, usize)> {
    if marks.any(Marks::HASH | Marks::STAR) || (marks.any(Marks::BRACKET) && body.contains("- [")) {
        heading_ranges(body)
    } else {
        Vec::new()
    }
}

/// The byte ranges of a body's Markdown heading lines (`# ...`, `### ...`),
/// bold-only lines (`**Describe the bug**`) and task-list items (`- [x]
/// I searched the issues`): an issue template's headings and checklist,
/// not the customer's words. Cost: linear in the text.
pub(crate) fn heading_ranges(text: &str) -> Vec<(usize, usize)> {
    let mut out = Vec::new();
    if !text.contains('#') && !text.contains('*') && !text.contains("- [") {
        return out;
    }
    let mut at = 0;
    for line in text.split_inclusive('\n') {
        let t = line.trim();
        if is_heading(t) || is_checklist_item(t) {
            out.push((at, at + line.len()));
        }
        at += line.len();
    }
    out
}

/// Whether a trimmed line is a Markdown heading (`# ...`) or a bold-only
/// line (`**...**`).
fn is_heading(t: &str) -> bool {
    (t.starts_with('#') && t.trim_start_matches('#').starts_with(' '))
        || (t.len() > 4 && t.starts_with("**") && t.ends_with("**"))
}

/// Whether a trimmed line is a Markdown task-list item (`- [ ] ...`,
/// `- [x] ...`): a template's checklist ("I searched the existing
/// issues", "this is not a question"), ticked or not.
fn is_checklist_item(t: &str) -> bool {
    let Some(rest) = t.strip_prefix("- ").or_else(|| t.strip_prefix("* ")) else {
        return false;
    };
    let Some(box_) = rest.strip_prefix('[') else {
        return false;
    };
    box_.find(']')
        .is_some_and(|end| end <= 4 && box_[..end].bytes().all(|b| matches!(b, b' ' | b'x' | b'X')))
}

/// Whether a heading offers a choice of kinds: it names a bug and a
/// feature (or enhancement).
fn asks_kind(t: &str) -> bool {
    let lower = t.to_ascii_lowercase();
    lower.contains("bug") && (lower.contains("feature") || lower.contains("enhancement"))
}

/// The byte span of a title's first word when it is one of `verbs`
/// (any case), past an area tag (`[Editor]`, `docs:`, `Diff Editor:`: a
/// name of one or two words and a colon).
/// Cost: a scan of the first word.
pub(crate) fn title_verb(title: &str, verbs: &[&str]) -> Option<Span> {
    // Past an area tag: "[Editor] Add ...", "editor: Add ..." or "Diff
    // Editor: Show ...".
    let mut from = 0;
    let head = title.trim_start();
    if head.starts_with('[') {
        from = title.find(']').map_or(0, |i| i + 1);
    } else if let Some(i) = title.find(": ")
        && title[..i].len() <= 30
        && title[..i].trim().matches(' ').count() <= 1
    {
        // A conventional-commit type is the verb itself ("fix: ...").
        let tag = title[..i].trim();
        if verbs.iter().any(|v| tag.eq_ignore_ascii_case(v)) {
            let start = title.len() - title.trim_start().len();
            return Some(Span::new(start, start + tag.len()));
        }
        from = i + 2;
    }
    let start = from + title[from..].find(|c: char| c.is_alphanumeric())?;
    let rest = &title[start..];
    let len = rest
        .find(|c: char| !c.is_alphanumeric())
        .unwrap_or(rest.len());
    let word = &rest[..len];
    verbs
        .iter()
        .any(|v| word.eq_ignore_ascii_case(v))
        .then(|| Span::new(start, start + len))
}

/// The kind a ticket declares in a form field: a line `Type: Bug` or
/// `Issue type: Feature request` (HTML tags such as `<b>` ignored), or a
/// heading `### Issue type` whose next non-empty line is the value: the
/// first such line outside code, wherever it is. Values read: bug, defect, regression, crash
/// (bug); feature, enhancement, request, suggestion, improvement
/// (feature_request); question, support, help, how-to (question).
/// Returns the kind and the byte span of the value.
/// Cost: linear in the text; nothing without `ype` in it (and the
/// caller skips texts with neither `:` nor `#`). Out of line (cold): most
/// tickets skip it, and its code would sit among every reading's.
#[cold]
#[inline(never)]
pub(crate) fn declared_kind(text: &str, boilerplate: &[(usize, usize)]) -> Option<(Kind, Span)> {
    if !text.contains("ype") && !text.contains("eature") {
        return None;
    }
    let mut at = 0;
    let mut pending = false;
    for line in text.split_inclusive('\n') {
        let start = at;
        at += line.len();
        if inside(boilerplate, start) {
            continue;
        }
        let t = line.trim();
        if t.is_empty() {
            continue;
        }
        let value = if pending {
            pending = false;
            Some(t)
        } else {
            let body = t
                .trim_start_matches('#')
                .trim_start_matches('*')
                .trim_start();
            let lower_len = body.len().min(16);
            let head = body.get(..lower_len).unwrap_or(body).to_ascii_lowercase();
            let rest = if head.starts_with("issue type") {
                &body[10..]
            } else if head.starts_with("type") {
                &body[4..]
            } else {
                // A heading that asks which kind it is ("**Do you want to
                // request a feature or report a bug?**"): the next line
                // answers.
                if is_heading(t) && asks_kind(t) {
                    pending = true;
                }
                continue;
            };
            let rest = rest.trim_start_matches(['*', ' ']);
            if let Some(v) = rest.strip_prefix(':') {
                let v = v.trim();
                if v.is_empty() {
                    pending = true;
                    continue;
                }
                Some(v)
            } else if rest.trim().is_empty() && t.starts_with('#') {
                pending = true;
                None
            } else {
                None
            }
        };
        let Some(v) = value else { continue };
        let offset = start + (v.as_ptr() as usize - line.as_ptr() as usize);
        // The value's words, without tags.
        let mut words = String::with_capacity(v.len());
        let mut in_tag = false;
        for c in v.chars() {
            match c {
                '<' => in_tag = true,
                '>' => in_tag = false,
                c if !in_tag => words.push(c.to_ascii_lowercase()),
                _ => {}
            }
        }
        let words = words.trim();
        if words.len() > 40 {
            return None;
        }
        let has = |w: &str| words.contains(w);
        let kind = if has("feature")
            || has("enhancement")
            || has("request")
            || has("suggestion")
            || has("improvement")
        {
            Kind::FeatureRequest
        } else if has("bug") || has("defect") || has("regression") || has("crash") {
            Kind::Bug
        } else if has("question") || has("support") || has("help") || has("how") {
            Kind::Question
        } else {
            return None;
        };
        return Some((kind, Span::new(offset, offset + v.len())));
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::signals::SignalsConfig;

    /// The kind the English defaults read in `text` (no subject); the
    /// defaults are built once for all the tests that ask.
    fn kind(text: &str) -> Kind {
        static ENGLISH: std::sync::OnceLock<crate::Signals> = std::sync::OnceLock::new();
        ENGLISH
            .get_or_init(crate::Signals::english)
            .read(None, text)
            .kind
            .label
    }

    #[test]
    fn request_and_fix_verbs_open_titles() {
        let request_verb = |t: &str| title_verb(t, &REQUEST_VERBS);
        let title = "[Editor] Add an option to wrap lines";
        let span = request_verb(title).unwrap();
        assert_eq!(&title[span.range()], "Add");
        assert!(request_verb("SUPPORT Apple Pay").is_some());
        assert_eq!(request_verb("Adding a row crashes"), None);
        assert_eq!(request_verb("Crash when I add a row"), None);
        assert_eq!(request_verb(""), None);
        assert!(request_verb("docs: add a page on tokens").is_some());
        assert_eq!(request_verb("How to add a row?"), None);
        let title = "Diff Editor: Show a progress indicator";
        assert_eq!(&title[request_verb(title).unwrap().range()], "Show");
        assert!(request_verb("Warn when a deprecated option is used").is_some());
        assert_eq!(request_verb("Three word area: Show totals"), None);
        assert_eq!(request_verb("Showing totals crashes"), None);
        let fix_verb = |t: &str| title_verb(t, &FIX_VERBS);
        assert!(fix_verb("fix: wrong total with two coupons").is_some());
        assert!(fix_verb("[parser] Fixed crash on empty input").is_some());
        assert_eq!(fix_verb("How do I fix this?"), None);
        assert_eq!(fix_verb("Fixture files are missing"), None);
    }

    #[test]
    fn first_person_share_counts_the_writer() {
        let analyzer = crate::analysis::Analyzer::new(crate::analysis::Language::English);
        let share = |text: &str| {
            let analysis = analyzer.analyze(text);
            let mut tokens = Tokens::default();
            tokens.push_field(
                &super::super::lexicon::Vocab::default(),
                analyzer.language(),
                Field::Text,
                text,
                &analysis,
            );
            let code = super::super::classifier::boilerplate_ranges(text);
            let first_person = &SignalsConfig::english().first_person;
            first_person_share(&tokens, first_person, &code, &details_ranges(text))
        };
        // Ten words, repeated to pass the minimum: "I'm", "my", "me" and
        // "I" are four of them.
        let help = "I'm stuck, my build fails and I need help me. ".repeat(4);
        assert!((share(&help) - 0.4).abs() < 1e-9, "{}", share(&help));
        // A pasted log or collapsed system information is not the
        // writer's words: the share is the prose's.
        let log = "```\nerror: linker failed with exit code 1 at stage two\n```\n".repeat(6);
        let info = "<details>\nOS version Windows CPU eight cores GPU enabled\n</details>\n";
        let with_log = format!("{help}\n{log}{info}");
        assert!(
            (share(&with_log) - 0.4).abs() < 1e-9,
            "{}",
            share(&with_log)
        );
        let report =
            "The parser drops the last row when the file ends without a newline. ".repeat(3);
        assert_eq!(share(&report), 0.0);
        // Too short to say.
        assert_eq!(share("I can't log in to my account."), 0.0);
        // The list is data: the built-in English one, and another language's.
        assert_eq!(
            SignalsConfig::english().first_person,
            ["i", "i'm", "i've", "i'd", "i'll", "my", "me", "myself"]
        );
        assert_eq!(
            parse_word_list("# German\nIch\n mein \n\nmir"),
            ["ich", "mein", "mir"]
        );
    }

    #[test]
    fn why_words_are_data_in_every_language() {
        use crate::Language;
        for (language, why) in [
            (Language::English, "why is"),
            (Language::English, "Why does"),
            (Language::German, "warum"),
            (Language::German, "wieso"),
            (Language::French, "pourquoi"),
            (Language::Spanish, "por qué"),
            (Language::Italian, "perché"),
            (Language::Portuguese, "por que"),
        ] {
            let words = WhyWords::new(&SignalsConfig::defaults_for(language).why);
            assert!(words.starts(why), "{language:?}: {why}");
            for other in [
                "whyever", "how do i", "was ist", "comment", "porque", "perchéx", "",
            ] {
                assert!(!words.starts(other), "{language:?}: {other}");
            }
        }
        assert!(SignalsConfig::defaults_for(Language::Dutch).why.is_empty());
        assert!(WhyWords::new(&["waarom".into()]).starts("Waarom is"));
    }

    /// A warm mood reads as praise where the words say nothing, but not in
    /// a ticket with code: there it is courtesy.
    #[test]
    fn a_technical_report_is_not_praise() {
        let signals = crate::Signals::english();
        let warm = "Great release, version 2 handles the config file and the worker count.";
        let kind = |text: &str| signals.read(Some("Library"), text).kind.label;
        assert_eq!(kind(warm), Kind::Praise);
        let with_code = format!("{warm}\n\n```\ncache: 2GB\n```\n");
        assert_ne!(kind(&with_code), Kind::Praise);
    }

    /// A product defect told without a word of complaint is a bug report,
    /// whatever the example model makes of its plain words; said with a
    /// complaint's own words, or a displeased "why", it stays a complaint.
    #[test]
    fn a_plain_defect_is_no_complaint() {
        assert_eq!(
            kind("Exports keep timing out since last week and nobody has looked at it."),
            Kind::Bug
        );
        assert_eq!(
            kind("Exports keep timing out since last week. This is unacceptable."),
            Kind::Complaint
        );
        assert_eq!(
            kind("Why is the export so slow since the update? It used to take seconds."),
            Kind::Complaint
        );
    }

    /// A warm ticket with no word of complaint and no service need is no
    /// complaint, whatever plain words the example model met in them.
    #[test]
    fn a_warm_ticket_is_no_complaint() {
        // The example model's complaint ("now") on a warm ticket.
        assert_ne!(kind("It works fine now."), Kind::Complaint);
        // Its own complaint word still counts.
        assert_eq!(
            kind("It works now, but for this price I expected better."),
            Kind::Complaint
        );
    }

    /// A fix confirmed on a warm ticket is no bug report: its defect
    /// words are denied ("no crashes"), so the words name no defect and
    /// the example model's bug (plain words it met in reports) adds
    /// nothing. A defect the words name still counts.
    #[test]
    fn a_fix_confirmed_is_no_bug() {
        for text in [
            "no crashes since the update 👍",
            "Haven't had a single crash since you fixed it.",
        ] {
            assert_ne!(kind(text), Kind::Bug, "{text}");
        }
        assert_eq!(
            kind("Love the app, but the export crashes every time."),
            Kind::Bug
        );
    }

    /// A problem said to be gone or fixed confirms a fix: its defect word
    /// reports nothing. Denied ("not fixed"), it is still a report.
    #[test]
    fn a_problem_said_gone_is_no_report() {
        for text in [
            "The sync issue is gone after the update.",
            "Those crashes are gone since 2.3",
            "The login problem was fixed yesterday, thanks",
        ] {
            let k = kind(text);
            assert!(matches!(k, Kind::Praise | Kind::Other), "{text}: {k:?}");
        }
        assert_eq!(kind("The issue isn't gone, it still crashes."), Kind::Bug);
    }

    /// Warm words around a clearly named defect are irony or courtesy, not
    /// praise; a praise word of the ticket's own still praises.
    #[test]
    fn warm_words_around_a_defect_are_no_praise() {
        for text in [
            "Great, another update that breaks everything. Thanks a lot.",
            "Nice, the upload button does nothing now.",
        ] {
            let k = kind(text);
            assert!(matches!(k, Kind::Bug | Kind::Complaint), "{text}: {k:?}");
        }
        assert_eq!(
            kind("Thanks for fixing the crash so quickly!"),
            Kind::Praise
        );
    }

    /// A defect named clearly is not outvoted by the built-in model's
    /// other or feature request, learnt from plain words ("our team",
    /// "web app"); where the words name nothing, "other" stays.
    #[test]
    fn a_named_defect_is_not_outvoted_by_plain_words() {
        for text in [
            "Login with Google is not working for anyone on our team.",
            "Export is broken on the web app.",
        ] {
            assert_eq!(kind(text), Kind::Bug, "{text}");
        }
        assert_eq!(kind("Test ticket, please ignore."), Kind::Other);
    }

    /// Nostalgia (better in the past than now) is displeasure with the
    /// present, however warm its words.
    #[test]
    fn better_in_the_past_is_a_complaint() {
        assert_eq!(
            kind("The old version was much better, bring it back"),
            Kind::Complaint
        );
        // A regression told as a defect stays a bug report.
        assert_eq!(
            kind("Our printer isn't recognised anymore, it worked with the old version."),
            Kind::Bug
        );
    }

    /// Asking to cancel is a request; threatening to is a complaint.
    #[test]
    fn a_plain_request_to_cancel_is_no_complaint() {
        assert!(matches!(
            kind("Please cancel my subscription"),
            Kind::Other | Kind::Question
        ));
        // Cancelling in protest is one.
        assert_eq!(
            kind("I'm cancelling my subscription if this isn't fixed."),
            Kind::Complaint
        );
    }

    /// A ticket about the service that names no defect is no bug report.
    #[test]
    fn a_service_ticket_is_no_bug() {
        // The example model's bug ("every time") on a ticket about service.
        assert_eq!(
            kind("Your hotline rings out every time I call."),
            Kind::Complaint
        );
        // A defect named beside it keeps the report.
        assert_eq!(
            kind("The app crashes every time I call the hotline."),
            Kind::Bug
        );
    }

    /// A displeased report is no praise, whatever plain words of thanks
    /// the example model met in it.
    #[test]
    fn a_displeased_ticket_is_no_praise() {
        let signals = crate::Signals::english();
        let read = signals.read(
            None,
            "The mobile app keeps freezing on the payment screen, we lost three orders today.",
        );
        assert!(read.sentiment.score < 0.0);
        assert_ne!(read.kind.label, Kind::Praise);
    }

    /// A bug form that asks for help is a help request; one that reports
    /// stays a bug report, and a help request declared as such a question.
    #[test]
    fn a_bug_form_asking_for_help_is_a_question() {
        let signals = crate::Signals::english();
        let kind = |subject: &str, text: &str| signals.read(Some(subject), text).kind.label;
        let info = "\n\nVersion: 1.81\n<details>\n<summary>System Info</summary>\nCPUs: 8, GPU: enabled\n</details>\n";
        let asks = format!(
            "Type: <b>Bug</b>\n\nI'm trying to run my script from the terminal, please help.{info}"
        );
        assert_eq!(kind("Cannot run script", &asks), Kind::Question);
        let reports =
            format!("Type: <b>Bug</b>\n\nThe script runner shows an error on start.{info}");
        assert_eq!(kind("Cannot run script", &reports), Kind::Bug);
    }

    #[test]
    fn template_lines_are_found() {
        let text = "## Steps\n- [x] I searched the issues\n- [ ] not a question\n- a plain item\nIt fails.\n";
        let r = heading_ranges(text);
        let lines: Vec<&str> = r.iter().map(|&(a, b)| text[a..b].trim()).collect();
        assert_eq!(
            lines,
            [
                "## Steps",
                "- [x] I searched the issues",
                "- [ ] not a question"
            ]
        );
        assert!(heading_ranges("- [link](http://x) is broken").is_empty());
    }

    #[test]
    fn details_sections_are_found() {
        let text = "It fails.\n<details><summary>System</summary>crash id</details>\nThanks";
        let r = details_ranges(text);
        assert_eq!(r.len(), 1);
        assert_eq!(
            &text[r[0].0..r[0].1],
            "<details><summary>System</summary>crash id</details>"
        );
        assert_eq!(details_ranges("a <details> b"), vec![(2, 13)]);
        assert!(details_ranges("no html").is_empty());
    }

    #[test]
    fn declared_kinds_are_read() {
        let kind = |text: &str| declared_kind(text, &[]).map(|(k, _)| k);
        assert_eq!(kind("Type: <b>Bug</b>\n\nIt fails."), Some(Kind::Bug));
        assert_eq!(
            kind("### Issue type\n\nSupport\n\n### Version\n2.1"),
            Some(Kind::Question)
        );
        assert_eq!(
            kind("**Issue Type**: Feature Request"),
            Some(Kind::FeatureRequest)
        );
        assert_eq!(kind("Type: Performance Issue"), None);
        assert_eq!(
            kind("**Do you want to request a *feature* or report a *bug*?**\nFeature\n\nmore"),
            Some(Kind::FeatureRequest)
        );
        assert_eq!(kind("## Bug or feature?\n\nbug"), Some(Kind::Bug));
        assert_eq!(
            kind("**Why is this bug not a feature?**\nBecause it is long and explained."),
            None
        );
        assert_eq!(kind("I typed my password twice."), None);
        assert_eq!(kind("The type of the field is wrong"), None);
        let text = "intro\nType: Question";
        let (_, span) = declared_kind(text, &[]).unwrap();
        assert_eq!(&text[span.range()], "Question");
        // Inside a code block it is not the writer's field.
        let text = "```\nType: bug\n```\n";
        assert_eq!(declared_kind(text, &[(0, text.len())]), None);
    }
}
