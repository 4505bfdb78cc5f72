//! The kind's example classifier: a small linear model (multinomial
//! logistic regression) over the words and word pairs of the kinds' example
//! tickets, trained once when [`Signals`](super::Signals) compiles.
//!
//! A ticket is read through the tokens the shared analysis already made: one
//! hash per word and per pair of neighbouring words, one table lookup each,
//! six multiply-adds. No second analysis, no tagger run.

use std::collections::HashMap;

use super::Kind;
use super::lexicon::{Tok, Tokens, Vocab};
use crate::analysis::{Analysis, Analyzer};
use crate::hash::BuildFnv;
use crate::tagged::Field;

/// How much of a ticket the classifier reads: long issues say what they
/// are in the title and the first lines; the rest is logs and detail.
pub(crate) const GIST_BYTES: usize = 2048;

/// Training passes over the examples. Fixed, so that compiling is linear
/// in the size of the examples and deterministic.
/// Step size of the stochastic gradient steps (features are L2-normalised,
/// so one step moves a score by about this much).
const EPOCHS: usize = 30;
const LEARNING_RATE: f64 = 0.5;
/// L2 penalty per step: keeps a word seen in one example from deciding alone.
const L2: f64 = 1e-4;

/// The least say the model keeps on tickets far longer than its examples.
const MIN_TRUST: f64 = 0.25;

/// From this many examples a kind (the mean over the kinds that have
/// any; the built-in English examples are about 38 a kind) the model is
/// stacked on the cues: it learns what the cues, the structure and the
/// other signals miss on the examples (their logits are where its scores
/// start in training), with every feature scaled by how well it tells the
/// kinds apart (its [Naive Bayes ratio](nb_scale)). Fewer examples are
/// too few for either: the model learns alone, from plain features.
const STACK_FROM: f64 = 60.0;
/// The weight of a stacked model: fixed, as it learnt its scale against
/// the cues' logits.
const STACKED_WEIGHT: f64 = 3.0;
/// The smoothing of the [Naive Bayes ratios](nb_scale), in examples a kind.
const NB_SMOOTHING: f64 = 3.0;

const KINDS: usize = Kind::ALL.len();

/// Seeds of the structural features: a word of the title, and a question
/// mark ending a sentence of the title or of the body.
const TITLE: u64 = 0x0074_6974_6c65;
const TITLE_QUESTION: u64 = 0x3f74_6974_6c65;
const BODY_QUESTION: u64 = 0x003f_626f_6479;
/// Seed of the opening's words: the first [`OPENING_WORDS`] words of the
/// body, past the title and template headings, where a writer says what
/// the ticket is ("am trying to", "it would be", "after updating the").
const OPENING: u64 = 0x6f70_656e_696e_6700;
const OPENING_WORDS: usize = 3;
/// Seed of the gapped pairs: two words with one word between them ("how
/// I", "crashes when", "would to"), read by a [stacked](STACK_FROM)
/// model only. Neighbouring pairs miss what a word between varies
/// ("crashes on/when/after startup"); a few hundred examples a kind have
/// enough of them to learn from, while three dozen one-line examples do
/// not (the built-in defaults scored less with them: NLBSE 0.705 -> 0.699).
const GAPPED: u64 = 0x6761_7070_6564_0000;

/// Seeds of the structure features: what a ticket's layout says of its
/// kind in any language. A fenced code block and a stack trace go with bug
/// reports and help requests, a screenshot with bug reports, a Markdown
/// heading and a task-list checklist with a filled-in issue template.
const STRUCTURE: u64 = 0x5354_5255_0000_0000;
const CODE_BLOCK: u64 = STRUCTURE | 1;
const HEADING: u64 = STRUCTURE | 3;
const CHECKLIST: u64 = STRUCTURE | 4;
const STACK_TRACE: u64 = STRUCTURE | 5;
const IMAGE: u64 = STRUCTURE | 6;

/// Pushes the [structure features](STRUCTURE) of a body, given its
/// boilerplate (`code`) and template lines (`headings`, from
/// [`template_lines`](super::kind::template_lines)).
/// Cost: a few byte scans of `text`, most skipped by its `marks`.
fn structure_features(
    text: &str,
    marks: Marks,
    code: &[(usize, usize)],
    headings: &[(usize, usize)],
    out: &mut Vec<u64>,
) {
    if marks.any(Marks::BACKTICK) && code.iter().any(|r| text[r.0..].starts_with("```")) {
        out.push(CODE_BLOCK);
    }
    if marks.any(Marks::HASH | Marks::STAR) && !headings.is_empty() {
        out.push(HEADING);
    }
    if marks.any(Marks::BRACKET) && text.contains("- [") {
        out.push(CHECKLIST);
    }
    // Python's, Rust's, and Java's or JavaScript's frame lines.
    // A text without a `T` or a `k` holds no "Traceback" or "panicked":
    // most skip the searches.
    if (marks.any(Marks::CAPITAL_T) && text.contains("Traceback"))
        || (marks.any(Marks::K) && text.contains("panicked at"))
        || (marks.any(Marks::NEWLINE) && (text.contains("\n    at ") || text.contains("\n\tat ")))
    {
        out.push(STACK_TRACE);
    }
    if (marks.any(Marks::EXCLAIM) && text.contains("!["))
        || (marks.any(Marks::LESS_THAN) && text.contains("<img"))
    {
        out.push(IMAGE);
    }
}

/// A pair of neighbouring words ("how to", "would be", "not work").
fn hash_pair(a: u64, b: u64) -> u64 {
    (a.rotate_left(17) ^ b).wrapping_mul(0x9e37_79b9_7f4a_7c15)
}

/// The byte ranges of a body's boilerplate, sorted and disjoint: fenced
/// code blocks (```` ``` ```` lines) and HTML comments (`<!-- -->`, where
/// issue templates keep their instructions). Logs and code say little
/// about the kind and much about the project; a template's instructions
/// name every kind ("if you have a question rather than a bug...") and
/// are not the customer's words.
/// Cost: linear in the length of `text`, nothing when it has neither.
pub(crate) fn boilerplate_ranges(text: &str) -> Vec<(usize, usize)> {
    let mut out = Vec::new();
    // Most tickets have neither: one byte scan each (memchr), no substring
    // search, no allocation.
    let fence = text.contains('`') && text.contains("```");
    let comment = text.contains('<') && text.contains("<!--");
    if !fence && !comment {
        return out;
    }
    if fence {
        let mut open: Option<usize> = None;
        let mut at = 0;
        for line in text.split_inclusive('\n') {
            if line.trim_start().starts_with("```") {
                match open.take() {
                    None => open = Some(at),
                    Some(start) => out.push((start, at + line.len())),
                }
            }
            at += line.len();
        }
        if let Some(start) = open {
            out.push((start, text.len()));
        }
    }
    let mut from = 0;
    while let Some(i) = comment.then(|| text[from..].find("<!--")).flatten() {
        let start = from + i;
        let end = text[start + 4..]
            .find("-->")
            .map_or(text.len(), |j| start + 4 + j + 3);
        out.push((start, end));
        from = end;
    }
    out.sort_unstable();
    // Merge overlaps (a comment inside a code block, or around one).
    let mut merged: Vec<(usize, usize)> = Vec::with_capacity(out.len());
    for (start, end) in out {
        match merged.last_mut() {
            Some(last) if start <= last.1 => last.1 = last.1.max(end),
            _ => merged.push((start, end)),
        }
    }
    merged
}

/// Which of a few bytes that open structure (`?`, a line break, a code
/// fence's backtick, `<!--`'s `<`, a heading's `#` or `*`, a form
/// field's `:`, a task-list box's `[`, the `T` and `k` of a stack
/// trace's "Traceback" and "panicked") a text holds, and whether it holds a `!` or a byte that
/// may start an emoji ([`Marks::EXCLAIM`], [`Marks::EMOJI`]), found in
/// one pass so that the readers skip their scans of a text without them
/// (most tickets). Cost: linear in the text, one table lookup a byte.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub(crate) struct Marks(u16);

/// The [`Marks`] bit of each byte.
pub(crate) type MarkTable = [u16; 256];

impl Marks {
    pub const QUESTION: u16 = 1;
    pub const NEWLINE: u16 = 2;
    pub const BACKTICK: u16 = 4;
    pub const LESS_THAN: u16 = 8;
    pub const HASH: u16 = 16;
    pub const STAR: u16 = 32;
    pub const COLON: u16 = 64;
    pub const EXCLAIM: u16 = 128;
    /// A byte that starts an emoji or emoticon of the sentiment lexicon
    /// (set only through a table from [`Marks::table`]).
    pub const EMOJI: u16 = 256;
    /// `[`, which opens a task-list item's box (`- [x]`).
    pub const BRACKET: u16 = 512;
    /// `T`, which "Traceback" starts with.
    pub const CAPITAL_T: u16 = 1024;
    /// `k`, which "panicked" holds.
    pub const K: u16 = 2048;

    /// The table of the structural bytes and `!`; `emoji_first` marks the
    /// bytes that start an emoji as [`Marks::EMOJI`].
    pub const fn table(emoji_first: &[bool; 256]) -> MarkTable {
        let mut t = [0u16; 256];
        let mut b = 0;
        while b < 256 {
            if emoji_first[b] {
                t[b] = Marks::EMOJI;
            }
            b += 1;
        }
        t[b'?' as usize] |= Marks::QUESTION;
        t[b'\n' as usize] |= Marks::NEWLINE;
        t[b'`' as usize] |= Marks::BACKTICK;
        t[b'<' as usize] |= Marks::LESS_THAN;
        t[b'#' as usize] |= Marks::HASH;
        t[b'*' as usize] |= Marks::STAR;
        t[b':' as usize] |= Marks::COLON;
        t[b'!' as usize] |= Marks::EXCLAIM;
        t[b'[' as usize] |= Marks::BRACKET;
        t[b'T' as usize] |= Marks::CAPITAL_T;
        t[b'k' as usize] |= Marks::K;
        t
    }

    /// The marks of `text` (never [`Marks::EMOJI`]).
    pub fn of(text: &str) -> Marks {
        const TABLE: MarkTable = Marks::table(&[false; 256]);
        Marks::of_with(text, &TABLE)
    }

    /// The marks of `text` by `table`.
    pub fn of_with(text: &str, table: &MarkTable) -> Marks {
        Marks(text.bytes().fold(0u16, |m, b| m | table[usize::from(b)]))
    }

    /// Whether the text holds any of the bytes in `bits`.
    pub fn any(self, bits: u16) -> bool {
        self.0 & bits != 0
    }
}

/// Whether `at` lies in one of the sorted, disjoint `ranges`.
/// Cost: logarithmic in their number.
pub(crate) fn inside(ranges: &[(usize, usize)], at: usize) -> bool {
    let i = ranges.partition_point(|r| r.1 <= at);
    ranges.get(i).is_some_and(|r| r.0 <= at)
}

/// The features of a ticket: hashes of its content words, of its title's
/// content words (the subject, or else the first line), of its
/// neighbouring word pairs, of the [opening](OPENING) words of its body,
/// whether a sentence of the title or of the body ends in a question mark,
/// and the body's [structure](STRUCTURE) (and, for a stacked model, the
/// [gapped pairs](GAPPED)); words read in the first
/// [`GIST_BYTES`] of text outside code blocks (the subject whole), sorted
/// and distinct.
/// Cost: linear in the tokens read and the text.
/// `marks` are the [`Marks`] of `text`; `example`: read as an example to
/// train on (see [`ticket_features`]); `gapped`: with [gapped
/// pairs](GAPPED), for the model that reads them
/// ([`KindClassifier::reads_gapped_pairs`]). Two copies of the loop, so
/// that the one of a model without them (the built-in defaults, read on
/// every ticket) keeps no second word.
#[allow(clippy::too_many_arguments)]
pub(crate) fn features(
    tokens: &Tokens<'_>,
    subject: Option<&str>,
    text: &str,
    marks: Marks,
    code: &[(usize, usize)],
    headings: &[(usize, usize)],
    example: bool,
    gapped: bool,
    out: &mut Vec<u64>,
) {
    if gapped {
        ticket_features::<true>(tokens, subject, text, marks, code, headings, example, out);
    } else {
        ticket_features::<false>(tokens, subject, text, marks, code, headings, example, out);
    }
}

/// The tokens of `text` read as a body, outside any signals' vocabulary
/// (an example to train on).
fn body_tokens<'a>(analyzer: &Analyzer, text: &'a str, analysis: &'a Analysis) -> Tokens<'a> {
    let mut tokens = Tokens::default();
    tokens.push_field(
        &Vocab::default(),
        analyzer.language(),
        Field::Text,
        text,
        analysis,
    );
    tokens
}

/// The loop of [`features`]: a ticket, or an `example` to train on. The built-in
/// examples are one line each, while most tickets read have a subject over
/// a body: an example of one line stands for both, so its question mark
/// counts for the title and the body, and its first words are an
/// [opening](OPENING) too. (A one-line ticket read is all title: no
/// opening.) `GAPS`: with [gapped pairs](GAPPED).
#[allow(clippy::too_many_arguments)]
fn ticket_features<const GAPS: bool>(
    tokens: &Tokens<'_>,
    subject: Option<&str>,
    text: &str,
    marks: Marks,
    code: &[(usize, usize)],
    headings: &[(usize, usize)],
    example: bool,
    out: &mut Vec<u64>,
) {
    out.clear();
    let one_line = example && subject.is_none() && !marks.any(Marks::NEWLINE);
    // The title: the subject, or else the text's first line.
    let title_end = if subject.is_some() || !marks.any(Marks::NEWLINE) {
        0
    } else {
        text.find('\n').unwrap_or(0)
    };
    {
        let text_q = marks.any(Marks::QUESTION);
        let title_q = subject.is_some_and(|s| super::kind::question_marks(s).next().is_some())
            || (text_q
                && super::kind::question_marks(&text[..title_end])
                    .next()
                    .is_some())
            || (one_line && text_q && super::kind::question_marks(text).next().is_some());
        if title_q {
            out.push(TITLE_QUESTION);
        }
        if (one_line && title_q)
            || (text_q
                && super::kind::question_marks(&text[title_end..])
                    .any(|i| !inside(code, title_end + i)))
        {
            out.push(BODY_QUESTION);
        }
    }
    structure_features(text, marks, code, headings, out);
    let mut next_code = 0;
    let mut skipped = 0usize;
    // The last word read and (for gapped pairs only) the one before it.
    let mut prev: Option<u64> = None;
    let mut before: Option<u64> = None;
    // A body under a title has an opening; so has every example.
    let mut opening = if example || subject.is_some() || title_end > 0 {
        OPENING_WORDS
    } else {
        0
    };
    for t in &tokens.toks {
        if t.field == Field::Text {
            while next_code < code.len() && code[next_code].1 <= t.span.start {
                skipped += code[next_code].1 - code[next_code].0;
                next_code += 1;
            }
            if next_code < code.len() && code[next_code].0 <= t.span.start {
                prev = None;
                before = None;
                continue;
            }
            if t.span.start.saturating_sub(skipped) >= GIST_BYTES {
                break;
            }
        }
        let title = t.field == Field::Subject || t.span.start < title_end;
        push_token::<GAPS>(t, title, &mut prev, &mut before, out);
        if opening > 0 && !title && !t.weak && !inside(headings, t.span.start) {
            opening -= 1;
            out.push(hash_pair(OPENING, t.hash));
        }
    }
    out.sort_unstable();
    out.dedup();
}

fn push_token<const GAPS: bool>(
    t: &Tok<'_>,
    title: bool,
    prev: &mut Option<u64>,
    before: &mut Option<u64>,
    out: &mut Vec<u64>,
) {
    // Numbers and one-letter words say little and vary much ([`Tok::weak`]).
    if t.weak {
        *prev = None;
        if GAPS {
            *before = None;
        }
        return;
    }
    let h = t.hash;
    if let Some(p) = *prev {
        out.push(hash_pair(p, h));
    }
    if GAPS {
        if let Some(p) = *before {
            out.push(hash_pair(GAPPED ^ p, h));
        }
        *before = *prev;
    }
    if !t.stop {
        out.push(h);
        if title {
            out.push(hash_pair(TITLE, h));
        }
    }
    *prev = Some(h);
}

/// The word features of a ticket for a multi-label model: hashes of its
/// content words and of its neighbouring word pairs, each with the index
/// of the token that ends it (for evidence), skipping the tokens `skip`
/// says to; in text order, a repeated word once per occurrence (sorting
/// them distinct would cost more than the model's lookups).
/// Cost: linear in the tokens.
pub(crate) fn word_features(
    tokens: &Tokens<'_>,
    skip: impl Fn(usize) -> bool,
    out: &mut Vec<(u64, u32)>,
) {
    out.clear();
    out.reserve(tokens.toks.len() * 2);
    let mut prev: Option<u64> = None;
    for (i, t) in tokens.toks.iter().enumerate() {
        if t.clause_start {
            prev = None;
        }
        // Numbers and one-letter words say little and vary much ([`Tok::weak`]).
        if skip(i) || t.weak {
            prev = None;
            continue;
        }
        let h = t.hash;
        if let Some(p) = prev {
            out.push((hash_pair(p, h), i as u32));
        }
        if !t.stop {
            out.push((h, i as u32));
        }
        prev = Some(h);
    }
}

/// The ids of known features (word and pair hashes), for the lookups of
/// reading a ticket: an open-addressing table of (feature, id), at most
/// half full. The keys are hashes already, so a multiply picks the home
/// slot; a lookup probes a slot or two, one load each, and the slot holds
/// the whole feature, so a found one costs no second load to confirm (a
/// general hash map costs several times that, and reading a ticket looks
/// up every word and pair).
#[derive(Debug, Clone, Default)]
pub(crate) struct FeatureIds {
    /// (feature, id) slots, a power of two of them; id [`NO_ID`] is empty.
    slots: Vec<(u64, u32)>,
    /// How many features the table holds.
    len: usize,
    /// `64 - log2(slots.len())`: the shift that picks a home slot.
    shift: u32,
}

const NO_ID: u32 = u32::MAX;

impl FeatureIds {
    /// The table of `ids` (feature -> id, ids below `u32::MAX`, dense from 0).
    fn new(ids: &HashMap<u64, u32, BuildFnv>) -> FeatureIds {
        let size = (ids.len() * 2).next_power_of_two().max(16);
        let mut table = FeatureIds {
            slots: vec![(0, NO_ID); size],
            len: ids.len(),
            shift: 64 - size.trailing_zeros(),
        };
        let mask = size - 1;
        for (&feature, &id) in ids {
            let mut i = table.home(feature);
            while table.slots[i].1 != NO_ID {
                i = (i + 1) & mask;
            }
            table.slots[i] = (feature, id);
        }
        table
    }

    fn home(&self, feature: u64) -> usize {
        (feature.wrapping_mul(0x9e37_79b9_7f4a_7c15) >> self.shift) as usize
    }

    /// How many features the table holds.
    pub fn len(&self) -> usize {
        self.len
    }

    /// The id of `feature`, if known. Cost: a probe or two.
    pub fn get(&self, feature: u64) -> Option<u32> {
        if self.len == 0 {
            return None;
        }
        let mask = self.slots.len() - 1;
        let mut i = self.home(feature);
        loop {
            let (f, id) = *self.slots.get(i)?;
            if id == NO_ID {
                return None;
            }
            if f == feature {
                return Some(id);
            }
            i = (i + 1) & mask;
        }
    }
}

/// The weights of a [`OneVsRest`], a row of `labels` per feature. Up to
/// [`ROW`] labels (the 16 needs), each row fills one aligned cache line,
/// so that reading a feature's row (at random, once per known word or pair
/// of a ticket) touches one line, not two.
#[derive(Debug, Clone)]
enum Weights {
    Rows(Vec<Row>),
    Flat(Vec<f32>),
}

/// The labels a [`Row`] holds.
const ROW: usize = 16;

#[derive(Debug, Clone, Copy)]
#[repr(C, align(64))]
struct Row([f32; ROW]);

impl Default for Weights {
    fn default() -> Weights {
        Weights::Flat(Vec::new())
    }
}

impl Weights {
    /// From `labels` weights per feature, row after row.
    fn new(w: &[f64], labels: usize) -> Weights {
        if (1..=ROW).contains(&labels) {
            Weights::Rows(
                w.chunks_exact(labels)
                    .map(|chunk| {
                        let mut row = [0.0f32; ROW];
                        for (r, v) in row.iter_mut().zip(chunk) {
                            *r = *v as f32;
                        }
                        Row(row)
                    })
                    .collect(),
            )
        } else {
            Weights::Flat(w.iter().map(|v| *v as f32).collect())
        }
    }

    /// The `labels` weights of feature `id`.
    fn row(&self, id: usize, labels: usize) -> Option<&[f32]> {
        match self {
            Weights::Rows(rows) => rows.get(id)?.0.get(..labels),
            Weights::Flat(w) => w.get(id * labels..id * labels + labels),
        }
    }
}

/// One-vs-rest logistic regressions over hashed word features: one binary
/// model per label, trained together on documents of one label each (or
/// of none: counter-examples), so a document may score high on several
/// labels. Trained once, deterministically, in [`EPOCHS`] passes.
#[derive(Debug, Clone, Default)]
pub(crate) struct OneVsRest {
    index: FeatureIds,
    /// `labels` weights per known feature, row after row.
    weights: Weights,
    bias: Vec<f64>,
    labels: usize,
}

impl OneVsRest {
    /// Trains on `docs`: (label or `None`, distinct feature hashes, how
    /// much the document counts).
    /// Cost: [`EPOCHS`] passes over the documents' features times `labels`.
    pub fn train(docs: &[(Option<usize>, Vec<u64>, f64)], labels: usize) -> OneVsRest {
        let mut index: HashMap<u64, u32, BuildFnv> = HashMap::default();
        let docs_ix: Vec<(Option<usize>, Vec<u32>, f64)> = docs
            .iter()
            .map(|(label, f, weight)| {
                let ix = f
                    .iter()
                    .map(|h| {
                        let next = index.len() as u32;
                        *index.entry(*h).or_insert(next)
                    })
                    .collect();
                (*label, ix, *weight)
            })
            .collect();
        let mut w = vec![0.0f64; index.len() * labels];
        let mut bias = vec![0.0f64; labels];
        let mut step = 0usize;
        let n = docs_ix.len().max(1) as f64;
        for _ in 0..EPOCHS {
            for (label, ix, weight) in &docs_ix {
                if ix.is_empty() {
                    continue;
                }
                let eta = LEARNING_RATE / (1.0 + step as f64 / n).sqrt();
                step += 1;
                for k in 0..labels {
                    let mut z = bias[k];
                    for &i in ix {
                        z += w[i as usize * labels + k];
                    }
                    let p = 1.0 / (1.0 + (-z).exp());
                    let g = weight * (p - if *label == Some(k) { 1.0 } else { 0.0 });
                    bias[k] -= eta * g * 0.1;
                    for &i in ix {
                        let wi = &mut w[i as usize * labels + k];
                        *wi -= eta * (g + L2 * *wi);
                    }
                }
            }
        }
        OneVsRest {
            index: FeatureIds::new(&index),
            weights: Weights::new(&w, labels),
            bias,
            labels,
        }
    }

    pub fn is_empty(&self) -> bool {
        self.index.len() == 0
    }

    /// The log-odds every label starts from.
    pub fn bias(&self) -> &[f64] {
        &self.bias
    }

    /// How many features training saw (their ids are `0..len`).
    pub fn features(&self) -> usize {
        self.index.len()
    }

    /// The weights per label of the feature with this id.
    pub fn weights_of(&self, id: u32) -> Option<&[f32]> {
        self.weights.row(id as usize, self.labels)
    }

    /// A feature's id and weight per label, if training saw it.
    /// Cost: one hash lookup.
    pub fn row(&self, feature: u64) -> Option<(u32, &[f32])> {
        let id = self.index.get(feature)?;
        Some((id, self.weights.row(id as usize, self.labels)?))
    }
}

/// A multinomial logistic regression over hashed word features.
#[derive(Debug, Clone)]
pub(crate) struct KindClassifier {
    /// Per feature: its id, the index of its weights.
    ids: FeatureIds,
    /// Per feature id: its weight per kind.
    weights: Vec<[f32; KINDS]>,
    bias: [f64; KINDS],
    /// Kinds that had examples (the others score nothing).
    trained: [bool; KINDS],
    /// How much the classifier's log-odds add to a kind's logit (a clear
    /// cue adds about 1).
    pub weight: f64,
    /// Whether the model is [stacked](STACK_FROM) (and reads
    /// [gapped pairs](GAPPED)).
    stacked: bool,
    /// The mean number of features of the training examples: a ticket
    /// much longer than them is outside what the model has seen.
    mean_features: f64,
}

/// The weight of a model that is not stacked (fewer than [`STACK_FROM`]
/// examples a kind) grows with their number: the built-in examples weigh
/// like a few clear cues, more of a user's own tickets up to 1.6 times
/// that. A stacked model has [`STACKED_WEIGHT`]: it learnt its scale
/// against the cues (stacked, a weight of 4 or 6 scored no better on the
/// cross-validated figure, 12 much worse).
fn weight_for(examples_per_kind: f64) -> f64 {
    (examples_per_kind / 12.5).clamp(3.0, 6.0)
}

impl KindClassifier {
    /// Trains on the examples of each kind. `None` when no kind has
    /// examples. The bias (the prior) is learnt from an even sample, as
    /// many examples of each kind as the fewest: it does not lean to a kind
    /// for having more examples. From [`STACK_FROM`] examples a kind the
    /// model is stacked: `cue_logits` gives the kind's logits of an
    /// example before the model (called only then, once an example).
    /// Cost: twice [`EPOCHS`] passes over the examples' features, and
    /// when stacked a reading of each example.
    pub fn new(
        analyzer: &Analyzer,
        labels: &[(Kind, Vec<String>)],
        cue_logits: &dyn Fn(&str) -> [f64; KINDS],
    ) -> Option<KindClassifier> {
        // Stacked or not is decided by the examples given (as written),
        // before their features, which depend on it.
        let mut given = [0usize; KINDS];
        for (kind, examples) in labels {
            given[*kind as usize] += examples.iter().filter(|t| !t.trim().is_empty()).count();
        }
        let with_examples = given.iter().filter(|c| **c > 0).count().max(1);
        let stacked = given.iter().sum::<usize>() as f64 / with_examples as f64 >= STACK_FROM;
        let mut docs: Vec<(usize, Vec<u64>)> = Vec::new();
        let mut texts: Vec<&str> = Vec::new();
        let mut trained = [false; KINDS];
        let mut count = [0usize; KINDS];
        for (kind, examples) in labels {
            for text in examples {
                let analysis = analyzer.analyze(text);
                let tokens = body_tokens(analyzer, text, &analysis);
                let mut f = Vec::new();
                let code = boilerplate_ranges(text);
                let marks = Marks::of(text);
                let headings = super::kind::template_lines(text, marks);
                features(
                    &tokens, None, text, marks, &code, &headings, true, stacked, &mut f,
                );
                if f.is_empty() {
                    continue;
                }
                trained[*kind as usize] = true;
                count[*kind as usize] += 1;
                docs.push((*kind as usize, f));
                texts.push(text);
            }
        }
        let kinds = trained.iter().filter(|t| **t).count();
        if kinds == 0 {
            return None;
        }
        // Each kind weighs the same in training, however many examples it has.
        let mean = docs.len() as f64 / kinds as f64;
        let class_weight: Vec<f64> = count
            .iter()
            .map(|&c| if c > 0 { mean / c as f64 } else { 0.0 })
            .collect();

        let mut index: HashMap<u64, u32, BuildFnv> = HashMap::default();
        let mut docs_ix: Vec<(usize, Vec<u32>)> = Vec::with_capacity(docs.len());
        for (label, f) in &docs {
            let ix = f
                .iter()
                .map(|h| {
                    let next = index.len() as u32;
                    *index.entry(*h).or_insert(next)
                })
                .collect();
            docs_ix.push((*label, ix));
        }
        // The prior (the bias, all a ticket of unknown words gets) is
        // learnt from the same number of examples of every kind: a kind
        // given more examples would otherwise lean every unknown ticket to
        // itself. The words then learn from all examples, the prior fixed.
        let per_kind = docs.len() as f64 / kinds as f64;
        let weight = if stacked {
            STACKED_WEIGHT
        } else {
            weight_for(per_kind)
        };
        // Where each example's scores start: the cues' logits, in the
        // model's units (it adds `weight` times its scores to them).
        let offsets: Vec<[f64; KINDS]> = if stacked {
            texts
                .iter()
                .map(|t| cue_logits(t).map(|v| v / weight))
                .collect()
        } else {
            Vec::new()
        };
        let scale = if stacked {
            nb_scale(&docs_ix, index.len(), &count, &trained)
        } else {
            vec![1.0; index.len()]
        };
        let sample = even_sample(&docs_ix, &count);
        let (_, prior) = fit(&sample, &trained, &[1.0; KINDS], None, &scale, &[]);
        let (w, bias) = fit(
            &docs_ix,
            &trained,
            &class_weight,
            Some(prior),
            &scale,
            &offsets,
        );
        // The scale folded into the weights: reading costs the same.
        let weights = w
            .iter()
            .zip(&scale)
            .map(|(row, s)| row.map(|v| (v * s) as f32))
            .collect();
        let ids = FeatureIds::new(&index);
        Some(KindClassifier {
            ids,
            weights,
            bias,
            trained,
            weight,
            stacked,
            mean_features: docs.iter().map(|d| d.1.len()).sum::<usize>() as f64
                / docs.len().max(1) as f64,
        })
    }

    /// Whether the model is [stacked](STACK_FROM) on the cues: learnt
    /// from a user's own tickets, many a kind.
    pub fn is_stacked(&self) -> bool {
        self.stacked
    }

    /// Whether the model reads [gapped pairs](GAPPED): pass it to
    /// [`features`].
    pub fn reads_gapped_pairs(&self) -> bool {
        self.stacked
    }

    /// The log-probability per kind (index = `Kind as usize`) of the
    /// ticket with these features, relative to the mean over the trained
    /// kinds; zero for kinds without examples.
    /// Cost: one hash lookup per feature.
    pub fn scores(&self, features: &[u64]) -> [f64; KINDS] {
        // A ticket longer than the examples gets a smaller say, down to a
        // quarter (built-in examples are a line or two; issues are pages).
        let trust = (self.mean_features / features.len().max(1) as f64)
            .sqrt()
            .clamp(MIN_TRUST, 1.0);
        let mut z = self.bias;
        if !features.is_empty() {
            let x = 1.0 / (features.len() as f64).sqrt();
            for h in features {
                if let Some(row) = self
                    .ids
                    .get(*h)
                    .and_then(|id| self.weights.get(id as usize))
                {
                    for k in 0..KINDS {
                        z[k] += f64::from(row[k]) * x;
                    }
                }
            }
        }
        // Log-softmax: one logarithm, not one a kind. Over the trained
        // kinds' bits, in kind order: a loop, not six unrolled copies of
        // the filters and `exp` calls (code read for every ticket).
        let trained = self
            .trained
            .iter()
            .enumerate()
            .fold(0u32, |b, (k, t)| b | u32::from(*t) << k);
        let each = || {
            let mut bits = trained;
            std::iter::from_fn(move || {
                (bits != 0).then(|| {
                    let k = bits.trailing_zeros() as usize;
                    bits &= bits - 1;
                    k
                })
            })
        };
        let max = each().map(|k| z[k]).fold(f64::NEG_INFINITY, f64::max);
        // The largest term is exactly 1: no call for it. (From -0.0, as
        // `Sum` for `f64` starts.)
        let total = each()
            .map(|k| if z[k] == max { 1.0 } else { (z[k] - max).exp() })
            .fold(-0.0, |a, b| a + b);
        let log_total = total.ln();
        let n = trained.count_ones().max(1) as f64;
        let floor = 1e-6f64.ln();
        let mut logs = [0.0; KINDS];
        let mut sum = -0.0;
        for k in each() {
            logs[k] = (z[k] - max - log_total).max(floor);
            sum += logs[k];
        }
        let mean = sum / n;
        let mut out = [0.0; KINDS];
        for k in each() {
            out[k] = trust * (logs[k] - mean);
        }
        out
    }
}

/// Fits the weights per feature (rows indexed by feature id, one per
/// entry of `scale`, the feature's value before the document's
/// normalisation) and, unless `fixed_bias` is given, the bias by
/// stochastic gradient descent, each example weighing its kind's
/// `class_weight`, its scores starting from its entry of `offsets` (none:
/// from zero). Deterministic.
/// Cost: [`EPOCHS`] passes over the examples' features times the kinds.
fn fit(
    docs_ix: &[(usize, Vec<u32>)],
    trained: &[bool; KINDS],
    class_weight: &[f64],
    fixed_bias: Option<[f64; KINDS]>,
    scale: &[f64],
    offsets: &[[f64; KINDS]],
) -> (Vec<[f64; KINDS]>, [f64; KINDS]) {
    let mut w = vec![[0.0f64; KINDS]; scale.len()];
    let mut bias = fixed_bias.unwrap_or([0.0f64; KINDS]);
    // A fixed interleaving instead of a random shuffle: deterministic,
    // and no kind's examples come in one block.
    let order = interleave(docs_ix);
    let mut step = 0usize;
    for _ in 0..EPOCHS {
        for &d in &order {
            let (label, ix) = &docs_ix[d];
            let x = 1.0 / (ix.len() as f64).sqrt();
            let mut z = bias;
            if let Some(offset) = offsets.get(d) {
                for k in 0..KINDS {
                    z[k] += offset[k];
                }
            }
            for &i in ix {
                let xi = x * scale[i as usize];
                for k in 0..KINDS {
                    z[k] += w[i as usize][k] * xi;
                }
            }
            let p = softmax(&z, trained);
            let eta = LEARNING_RATE / (1.0 + step as f64 / docs_ix.len() as f64).sqrt();
            step += 1;
            let cw = class_weight[*label];
            for k in 0..KINDS {
                if !trained[k] {
                    continue;
                }
                let g = cw * (p[k] - if k == *label { 1.0 } else { 0.0 });
                if fixed_bias.is_none() {
                    bias[k] -= eta * g * 0.1;
                }
                for &i in ix {
                    let wi = &mut w[i as usize][k];
                    *wi -= eta * (g * x * scale[i as usize] + L2 * *wi);
                }
            }
        }
    }
    (w, bias)
}

/// Each feature's scale: how well it tells the kinds apart, the largest
/// over the trained kinds of |ln(p / q)|, p the share of the kind's
/// examples that hold it and q the mean share of the other kinds'
/// examples, both smoothed by [`NB_SMOOTHING`] examples (the log-count
/// ratio of NBSVM, Wang & Manning 2012, for several classes). A word
/// every kind uses weighs little; one of a single kind's, much.
/// Cost: linear in the examples' features.
fn nb_scale(
    docs: &[(usize, Vec<u32>)],
    features: usize,
    count: &[usize; KINDS],
    trained: &[bool; KINDS],
) -> Vec<f64> {
    let mut share = vec![[0.0f64; KINDS]; features];
    for (label, ix) in docs {
        let each = 1.0 / count[*label].max(1) as f64;
        for &i in ix {
            share[i as usize][*label] += each;
        }
    }
    let kinds = trained.iter().filter(|t| **t).count().max(1) as f64;
    let smoothing = NB_SMOOTHING * kinds / docs.len().max(1) as f64;
    let others = (kinds - 1.0).max(1.0);
    share
        .iter()
        .map(|row| {
            let total: f64 = row.iter().sum();
            (0..KINDS)
                .filter(|&k| trained[k])
                .map(|k| {
                    let p = row[k] + smoothing;
                    let q = (total - row[k] + smoothing) / others;
                    (p / q).ln().abs()
                })
                .fold(0.0, f64::max)
        })
        .collect()
}

fn softmax(z: &[f64; KINDS], trained: &[bool; KINDS]) -> [f64; KINDS] {
    let max = (0..KINDS)
        .filter(|&k| trained[k])
        .map(|k| z[k])
        .fold(f64::NEG_INFINITY, f64::max);
    let mut p = [0.0; KINDS];
    let mut total = 0.0;
    for k in 0..KINDS {
        if trained[k] {
            p[k] = (z[k] - max).exp();
            total += p[k];
        }
    }
    if total > 0.0 {
        p.iter_mut().for_each(|v| *v /= total);
    }
    p
}

/// As many documents of each label as the label with the fewest has,
/// spread evenly over each label's documents (every `count / least`-th).
fn even_sample(docs: &[(usize, Vec<u32>)], count: &[usize; KINDS]) -> Vec<(usize, Vec<u32>)> {
    let least = count.iter().copied().filter(|&c| c > 0).min().unwrap_or(0);
    let mut seen = [0usize; KINDS];
    docs.iter()
        .filter(|(label, _)| {
            let (i, c) = (seen[*label], count[*label]);
            seen[*label] += 1;
            // Document i opens a new one of `least` equal strides.
            (i * least) / c != ((i + 1) * least) / c
        })
        .cloned()
        .collect()
}

/// Document indices taking one of each label in turn.
fn interleave(docs: &[(usize, Vec<u32>)]) -> Vec<usize> {
    let mut by_label: Vec<Vec<usize>> = vec![Vec::new(); KINDS];
    for (i, (label, _)) in docs.iter().enumerate() {
        by_label[*label].push(i);
    }
    let mut out = Vec::with_capacity(docs.len());
    let longest = by_label.iter().map(Vec::len).max().unwrap_or(0);
    for round in 0..longest {
        for list in &by_label {
            if let Some(&d) = list.get(round) {
                out.push(d);
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn structure_is_read() {
        let of = |text: &str| {
            let mut out = Vec::new();
            let code = boilerplate_ranges(text);
            let marks = Marks::of(text);
            let headings = super::super::kind::template_lines(text, marks);
            structure_features(text, marks, &code, &headings, &mut out);
            out
        };
        let text = "### Steps\n- [x] searched\n```\nTraceback (most recent call last):\n```\n![shot](a.png)\n";
        assert_eq!(
            of(text),
            [CODE_BLOCK, HEADING, CHECKLIST, STACK_TRACE, IMAGE]
        );
        let java = "It fails:\nException in thread main\n    at Foo.bar(Foo.java:3)\n";
        assert_eq!(of(java), [STACK_TRACE]);
        // A comment is not a code block, `#tag` not a heading, prose nothing.
        assert!(of("<!-- template -->\nsee #12, it is *odd*").is_empty());
        assert!(of("Please add dark mode.").is_empty());
    }

    /// A one-line example stands for a title over a body: its question
    /// mark counts for both and its first words are an opening; a one-line
    /// ticket read is all title; a body under a subject opens past its
    /// template headings.
    #[test]
    fn one_line_examples_and_openings() {
        let analyzer = crate::analysis::Analyzer::new(crate::analysis::Language::English);
        let of = |subject: Option<&str>, text: &str, example: bool| {
            let subject_analysis = subject.map(|s| analyzer.analyze(s));
            let text_analysis = analyzer.analyze(text);
            let mut tokens = Tokens::default();
            if let (Some(s), Some(a)) = (subject, &subject_analysis) {
                tokens.push_field(&Vocab::default(), analyzer.language(), Field::Subject, s, a);
            }
            tokens.push_field(
                &Vocab::default(),
                analyzer.language(),
                Field::Text,
                text,
                &text_analysis,
            );
            let marks = Marks::of(text);
            let code = boilerplate_ranges(text);
            let headings = super::super::kind::template_lines(text, marks);
            let mut out = Vec::new();
            ticket_features::<false>(
                &tokens, subject, text, marks, &code, &headings, example, &mut out,
            );
            let openings: Vec<u64> = tokens
                .toks
                .iter()
                .map(|t| hash_pair(OPENING, t.hash))
                .filter(|h| out.contains(h))
                .collect();
            (out, openings)
        };
        let line = "How do I export my data?";
        let (example, openings) = of(None, line, true);
        assert!(example.contains(&TITLE_QUESTION) && example.contains(&BODY_QUESTION));
        assert_eq!(openings.len(), OPENING_WORDS);
        let (ticket, openings) = of(None, line, false);
        assert!(!ticket.contains(&TITLE_QUESTION) && ticket.contains(&BODY_QUESTION));
        assert!(openings.is_empty());
        let body = "### Describe it\nI am trying to export the report.";
        let (_, openings) = of(Some("Export"), body, false);
        // "I" is one letter ([`Tok::weak`]): the opening is "am trying to".
        let analysis = analyzer.analyze("am trying to");
        let mut want = Tokens::default();
        want.push_field(
            &Vocab::default(),
            analyzer.language(),
            Field::Text,
            "am trying to",
            &analysis,
        );
        let want: Vec<u64> = want
            .toks
            .iter()
            .map(|t| hash_pair(OPENING, t.hash))
            .collect();
        assert_eq!(openings, want);
    }

    #[test]
    fn boilerplate_is_found() {
        let text = "intro\n```\nlog line\n```\nafter\n";
        let r = boilerplate_ranges(text);
        assert_eq!(r.len(), 1);
        assert_eq!(&text[r[0].0..r[0].1], "```\nlog line\n```\n");
        assert!(boilerplate_ranges("no fence").is_empty());
        // An unclosed fence or comment runs to the end.
        assert_eq!(boilerplate_ranges("a\n```\nb"), vec![(2, 7)]);
        assert_eq!(boilerplate_ranges("a <!-- b"), vec![(2, 8)]);
        let text = "<!-- a question? -->\nit crashes <!--x-->";
        let r = boilerplate_ranges(text);
        assert_eq!(r, vec![(0, 20), (32, 40)]);
        assert!(inside(&r, 0) && inside(&r, 19) && !inside(&r, 20) && inside(&r, 39));
        assert!(!inside(&r, 40) && !inside(&[], 3));
    }

    /// With many examples a kind the model is stacked on the cues (their
    /// logits read once an example); with the built-in few it is not.
    #[test]
    fn many_examples_stack_on_the_cues() {
        let analyzer = crate::analysis::Analyzer::new(crate::analysis::Language::English);
        let labels = |n: usize| {
            [
                (
                    Kind::Bug,
                    (0..n).map(|i| format!("Export {i} crashes")).collect(),
                ),
                (
                    Kind::Question,
                    (0..n).map(|i| format!("How do I export {i}?")).collect(),
                ),
            ]
        };
        let reads = std::cell::Cell::new(0);
        let cue_logits = |_: &str| {
            reads.set(reads.get() + 1);
            [0.0; KINDS]
        };
        let few = KindClassifier::new(&analyzer, &labels(30), &cue_logits).expect("trained");
        assert_eq!(reads.get(), 0);
        assert!(!few.reads_gapped_pairs());
        let many = KindClassifier::new(&analyzer, &labels(80), &cue_logits).expect("trained");
        assert_eq!(reads.get(), 160);
        assert_eq!(many.weight, STACKED_WEIGHT);
        assert!(many.reads_gapped_pairs());
    }

    /// Gapped pairs join two words one word apart, within a clause of
    /// words read (not across a number), and only when asked for.
    #[test]
    fn gapped_pairs_skip_one_word() {
        let analyzer = crate::analysis::Analyzer::new(crate::analysis::Language::English);
        let of = |text: &str, gapped: bool| {
            let analysis = analyzer.analyze(text);
            let tokens = body_tokens(&analyzer, text, &analysis);
            let hash: Vec<u64> = tokens.toks.iter().map(|t| t.hash).collect();
            let mut out = Vec::new();
            let marks = Marks::of(text);
            features(
                &tokens,
                None,
                text,
                marks,
                &[],
                &[],
                false,
                gapped,
                &mut out,
            );
            (out, hash)
        };
        let (with, h) = of("crashes on startup", true);
        assert!(with.contains(&hash_pair(GAPPED ^ h[0], h[2])));
        let (without, _) = of("crashes on startup", false);
        assert!(!without.contains(&hash_pair(GAPPED ^ h[0], h[2])));
        assert_eq!(with.len(), without.len() + 1);
        // A number between breaks the pairs, gapped too.
        let (with, h) = of("crashes 3 startup", true);
        assert!(!with.contains(&hash_pair(GAPPED ^ h[0], h[2])));
    }

    /// A feature every kind's examples hold scales less than one of a
    /// single kind's.
    #[test]
    fn nb_scale_favours_telling_features() {
        // Feature 0 in every example, feature 1 in the bug examples only.
        let docs: Vec<(usize, Vec<u32>)> = (0..20)
            .map(|i| {
                if i % 2 == 0 {
                    (Kind::Bug as usize, vec![0, 1])
                } else {
                    (Kind::Question as usize, vec![0])
                }
            })
            .collect();
        let mut count = [0; KINDS];
        count[Kind::Bug as usize] = 10;
        count[Kind::Question as usize] = 10;
        let mut trained = [false; KINDS];
        trained[Kind::Bug as usize] = true;
        trained[Kind::Question as usize] = true;
        let scale = nb_scale(&docs, 2, &count, &trained);
        assert!(scale[0] < 1e-9 && scale[1] > 1.0, "{scale:?}");
    }

    /// The model's prior does not grow with a kind's number of examples:
    /// on a ticket with no word it knows, four or ten times more bug
    /// examples than questions lean to bug no more than as many do, with
    /// few examples (20 questions; a plain model) and many (70; stacked).
    #[test]
    fn prior_does_not_grow_with_example_count() {
        let analyzer = crate::analysis::Analyzer::new(crate::analysis::Language::English);
        let words = [
            "crash", "error", "broken", "fails", "freeze", "wrong", "blank", "stuck", "timeout",
            "missing", "slow", "lost",
        ];
        let places = [
            "login",
            "export",
            "upload",
            "search",
            "cart",
            "calendar",
            "invoice",
            "profile",
            "sync",
            "settings",
            "camera",
            "report",
            "dashboard",
            "billing",
            "editor",
            "checkout",
            "inbox",
        ];
        let bugs = |n: usize| -> Vec<String> {
            (0..n)
                .map(|i| {
                    let (p, w) = (places[i % places.len()], words[i % words.len()]);
                    format!("The {p} shows {w} after update")
                })
                .collect()
        };
        let questions = |n: usize| -> Vec<String> {
            (0..n)
                .map(|i| format!("How do I change the {} option?", places[i % places.len()]))
                .collect()
        };
        let lean = |bug_examples: usize, question_examples: usize| {
            let labels = [
                (Kind::Bug, bugs(bug_examples)),
                (Kind::Question, questions(question_examples)),
            ];
            let s = KindClassifier::new(&analyzer, &labels, &|_| [0.0; KINDS])
                .expect("trained")
                .scores(&[]);
            s[Kind::Bug as usize] - s[Kind::Question as usize]
        };
        for (questions, more) in [(20, 90), (70, 700)] {
            let (even, uneven) = (lean(questions, questions), lean(more, questions));
            assert!(
                (uneven - even).abs() < 0.05,
                "prior leans {even:+.3} to bug with {questions} bug examples, {uneven:+.3} with {more}"
            );
        }
    }
}
