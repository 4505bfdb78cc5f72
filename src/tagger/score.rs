//! Scoring one ticket against the compiled index.
//!
//! Cost: linear in the ticket's length for analysis, plus the postings of
//! the ticket's distinct terms (each term's postings are read once however
//! often the term repeats), plus the number of nodes touched. It does not
//! grow with the number of nodes the ticket shares no word with.

use std::cell::RefCell;
use std::collections::HashSet;

use crate::hash::BuildFnv;

use crate::analysis::{Analysis, Analyzer, KnownStem, Token};
use crate::span::Span;
use crate::tagged::{Evidence, Field, How, Match, Name, Source};

use super::Scoring;
use super::index::{Index, NodeId, PhraseOwner, STARTS_LONGER, STARTS_SINGLE, STEM_HIT};
use super::vocab::{Mapped, NO_WORD, TermId, WordId};

/// A ticket's words, mapped to terms, with where they came from.
#[derive(Debug, Default)]
pub(crate) struct TicketTerms {
    pub mapped: Vec<Mapped>,
    /// The distinct words of the ticket: product words by id (fast path),
    /// others by their terms (slow path).
    pub units: Vec<Unit>,
    /// Terms of the slow-path units (ranges in `Unit::Terms`); the first
    /// term of a unit is its stem or synonym term when it has one.
    pub unit_terms: Vec<TermId>,
    /// Every phrase found whole, in order: (owner, first token, end token).
    pub phrase_hits: Vec<(PhraseOwner, u32, u32)>,
    /// Distinct evidential terms of the ticket, sorted, each with the index
    /// of its first entry in `mapped`.
    pub content: Vec<(TermId, u32)>,
    /// Span and field of every analysed token (indexed by token number).
    pub token_spans: Vec<(Field, Span)>,
    /// Squared length of what the product does not know in the ticket: each
    /// unknown term of a content word at the largest term weight. It
    /// lengthens the ticket's vector, so a ticket the product explains only
    /// a sliver of is not scored like a one-word ticket.
    pub unknown_norm2: f32,
    /// Distinct content words of the ticket the product does not know at
    /// all (no stem, synonym or typo match): the part no node explains.
    pub unknown_words: u32,
    /// The weight [`fit`] divides by: the IDF of the distinct content terms
    /// plus the unknown words at the rarest weight (once per ticket, not
    /// once per rival).
    pub content_mass: f32,
    pub truncated: bool,
}

/// One distinct word of a ticket.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Unit {
    /// A word the product uses: its precomputed postings.
    Word(WordId),
    /// Any other word: its terms, `unit_terms[start..end]`; `stem` says
    /// whether the first term is a stem that may carry a match.
    Terms { start: u32, end: u32, stem: bool },
}

/// A node that scored, with the example documents that carried it.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Scored {
    pub node: NodeId,
    pub score: f64,
    /// See [`fit`].
    pub fit: f32,
}

/// Per-thread buffers, sized to the largest index used on the thread.
#[derive(Default)]
struct Scratch {
    mapped: Vec<Mapped>,
    /// Epoch per product word, to count each word once per ticket.
    word_epoch: Vec<u32>,
    epoch: u32,
    seen_slow: HashSet<u64, BuildFnv>,
    /// Phrases already reported for the ticket.
    seen_phrases: HashSet<u32, BuildFnv>,
    node_score: Vec<NodeScore>,
    touched_nodes: Touched,
    hashes: Vec<u64>,
    analysis: Analysis,
    /// The product word of each token of `analysis` (see
    /// [`Analyzer::analyze_with_lookup`]).
    word_ids: Vec<WordId>,
    /// The [`rank_key`]s of the nodes a ticket touched that may match.
    candidates: Vec<u64>,
    /// The stem of a word the product does not know as written.
    stem: String,
    /// The capability-level candidates of [`for_each_capability`].
    capabilities: Vec<(NodeId, f32)>,
    /// The best rivals: (logit, node, fit).
    ranked: Vec<(f32, NodeId, f32)>,
    /// The buffers of [`capability_coverage`].
    capability: CapabilityScratch,
}

/// The buffers of [`capability_coverage`], sized to the largest index
/// used on the thread.
#[derive(Default)]
struct CapabilityScratch {
    /// Each capability text's summed weight (zero between calls).
    doc_weight: Vec<f32>,
    /// The ticket's capability postings: ranges of
    /// [`Index::capability_docs`].
    postings: Vec<(u32, u32)>,
    /// Each capability's best [`rank_key`] (zero between calls), for a
    /// large limit.
    node_key: Vec<u64>,
    /// The capabilities whose key is set.
    nodes: Vec<NodeId>,
    /// The best keys of the capabilities that pass.
    keys: Vec<u64>,
}

/// The nodes touched this call, each listed once, in first-touch order.
///
/// Room for every node is kept, so a touch writes its id always and counts
/// it only the first time: no branch on whether the node was new (which is
/// data dependent, and was the posting loop's most mispredicted branch).
#[derive(Default)]
struct Touched {
    ids: Vec<NodeId>,
    len: usize,
}

impl Touched {
    /// Room for `nodes` distinct nodes (and one spare write).
    fn reserve(&mut self, nodes: usize) {
        if self.ids.len() <= nodes {
            self.ids.resize(nodes + 1, 0);
        }
    }

    /// Lists `id` unless `touched` says it is listed already.
    #[inline]
    fn mark(&mut self, touched: &mut bool, id: NodeId) {
        list_once(&mut self.ids, &mut self.len, touched, id);
    }

    fn as_slice(&self) -> &[NodeId] {
        &self.ids[..self.len]
    }

    fn clear(&mut self) {
        self.len = 0;
    }
}

/// [`Touched::mark`] on a list held apart (the posting loop keeps its
/// count in a register): writes `id` at `len` always, and counts it only
/// if `touched` was clear.
#[inline(always)]
fn list_once(ids: &mut [NodeId], len: &mut usize, touched: &mut bool, id: NodeId) {
    // `len` <= the distinct nodes listed < `ids.len()`.
    if let Some(slot) = ids.get_mut(*len) {
        *slot = id;
    }
    *len += usize::from(!*touched);
    *touched = true;
}

#[derive(Debug, Clone, Copy, Default)]
struct NodeScore {
    logit: f32,
    /// A word of the ticket (not only n-grams) supports the node.
    word_hit: bool,
    phrase: bool,
    vetoed: bool,
    touched: bool,
}

thread_local! {
    static SCRATCH: RefCell<Scratch> = RefCell::new(Scratch::default());
    static TICKET: RefCell<(TicketTerms, Vec<Scored>)> = RefCell::default();
}

impl TicketTerms {
    fn clear(&mut self) {
        self.mapped.clear();
        self.units.clear();
        self.unit_terms.clear();
        self.phrase_hits.clear();
        self.content.clear();
        self.token_spans.clear();
        self.unknown_norm2 = 0.0;
        self.unknown_words = 0;
        self.content_mass = 0.0;
        self.truncated = false;
    }
}

/// A field analysed by [`Analyzer::analyze_with_lookup`], with each
/// token's product word.
pub(crate) type Analysed<'a> = (&'a Analysis, &'a [u32]);

/// The analysed input of one call.
pub(crate) struct Input<'a> {
    pub subject: Option<&'a str>,
    pub text: &'a str,
    /// The fields already analysed (subject, text), if the caller has them.
    pub analyses: Option<(Option<Analysed<'a>>, Analysed<'a>)>,
}

pub(crate) fn analyse(
    index: &Index,
    analyzer: &Analyzer,
    input: &Input<'_>,
    max_tokens: usize,
) -> TicketTerms {
    let mut out = TicketTerms::default();
    analyse_into(index, analyzer, input, max_tokens, &mut out);
    out
}

/// Runs `f` with this thread's reusable [`TicketTerms`] and list of
/// scored nodes (so that no ticket allocates them).
pub(crate) fn with_ticket_buffers<R>(f: impl FnOnce(&mut TicketTerms, &mut Vec<Scored>) -> R) -> R {
    TICKET.with(|buffers| {
        let (terms, scored) = &mut *buffers.borrow_mut();
        f(terms, scored)
    })
}

/// Analyses a ticket into `out`, reusing its buffers.
pub(crate) fn analyse_into(
    index: &Index,
    analyzer: &Analyzer,
    input: &Input<'_>,
    max_tokens: usize,
    out: &mut TicketTerms,
) {
    SCRATCH.with(|scratch| {
        let scratch = &mut *scratch.borrow_mut();
        if scratch.word_epoch.len() < index.vocab.word_count() {
            scratch.word_epoch.resize(index.vocab.word_count(), 0);
        }
        scratch.epoch = scratch.epoch.wrapping_add(1);
        if scratch.epoch == 0 {
            scratch.word_epoch.iter_mut().for_each(|e| *e = 0);
            scratch.epoch = 1;
        }
        scratch.seen_slow.clear();
        out.clear();
        let mut buffer = std::mem::take(&mut scratch.mapped);
        let mut own = std::mem::take(&mut scratch.analysis);
        for (field, text) in [
            (Field::Subject, input.subject),
            (Field::Text, Some(input.text)),
        ] {
            let Some(text) = text else { continue };
            let budget = max_tokens.saturating_sub(out.token_spans.len());
            // A caller that analysed the ticket already (for signals) lends
            // its analysis, stemmed by the same stemmer; otherwise analyse
            // into this thread's buffer and stem only the words the product
            // does not know as written.
            let given = input.analyses.and_then(|(subject, body)| match field {
                Field::Subject => subject,
                _ => Some(body),
            });
            let (analysis, words, stemmed): (&Analysis, &[u32], bool) = match given {
                Some((analysis, words)) => (analysis, words, true),
                None => {
                    // One probe per word gives both its product word and
                    // its stop flag.
                    analyzer.analyze_with_lookup(
                        text,
                        budget,
                        &mut own,
                        &mut scratch.word_ids,
                        |folded, hash| {
                            let (word, stop) = index.vocab.probe(folded, hash);
                            (word, stop, KnownStem::Unknown)
                        },
                    );
                    (&own, &scratch.word_ids, false)
                }
            };
            let taken = analysis.len().min(budget).min(words.len());
            out.truncated |= taken < analysis.len();
            index.vocab.map_probed(
                analyzer,
                analysis,
                &words[..taken],
                stemmed,
                (&mut buffer, &mut scratch.stem),
            );
            // A gap of one token between fields keeps phrases and bigrams
            // from spanning subject and body.
            if !out.token_spans.is_empty() {
                out.token_spans.push((field, Span::default()));
            }
            let base = out.token_spans.len() as u32;
            for m in &buffer {
                let mut m = *m;
                m.tokens = (m.tokens.0 + base, m.tokens.1 + base);
                out.mapped.push(m);
            }
            out.token_spans
                .extend((0..taken).map(|i| (field, analysis.span(i))));
            add_units(index, scratch, analysis, taken, &buffer, out);
        }
        scratch.analysis = own;
        let mut hits = std::mem::take(&mut out.phrase_hits);
        for_each_phrase(
            index,
            out,
            &mut scratch.seen_phrases,
            |owner, start, end| hits.push((owner, start, end)),
        );
        out.phrase_hits = hits;
        let mut content = std::mem::take(&mut out.content);
        content.extend(
            out.mapped
                .iter()
                .enumerate()
                .filter(|(_, m)| index.vocab.is_evidential(m.term))
                .map(|(i, m)| (m.term, i as u32)),
        );
        out.content = content;
        // By term, then position: the first entry of each term stays first.
        out.content.sort_unstable();
        out.content.dedup_by_key(|&mut (t, _)| t);
        out.content_mass = out
            .content
            .iter()
            .map(|&(t, _)| index.idf[t as usize])
            .sum::<f32>()
            + out.unknown_words as f32 * index.unknown_idf;
        scratch.mapped = buffer;
    })
}

/// Turns one field's tokens into distinct-word units.
fn add_units(
    index: &Index,
    s: &mut Scratch,
    analysis: &Analysis,
    taken: usize,
    mapped: &[Mapped],
    out: &mut TicketTerms,
) {
    let mut next_mapped = 0;
    let mut i = 0;
    while i < taken {
        // The mapped entry starting at this token, if any (entries are in
        // token order; a synonym phrase covers several tokens).
        while next_mapped < mapped.len() && (mapped[next_mapped].tokens.0 as usize) < i {
            next_mapped += 1;
        }
        let m = mapped.get(next_mapped).filter(|m| m.tokens.0 as usize == i);
        match m {
            Some(m) if m.word != NO_WORD => {
                let slot = &mut s.word_epoch[m.word as usize];
                if *slot != s.epoch {
                    *slot = s.epoch;
                    out.units.push(Unit::Word(m.word));
                }
                i += 1;
            }
            Some(&m) => {
                let token = analysis.get(i);
                next_mapped = add_mapped_unit(index, s, token.folded, (mapped, next_mapped), out);
                i += ((m.tokens.1 - m.tokens.0) as usize).max(1);
            }
            None => {
                add_unknown_unit(index, s, analysis.get(i), out);
                i += 1;
            }
        }
    }
}

/// [`add_units`] for a word met by stem, synonym, typo or compound parts
/// (`mapped[at]`, and the compound's other part after it): its terms, and
/// its n-grams when it is one word. Returns the index of its last entry.
/// Out of line, like [`add_unknown_unit`]: the words the product uses
/// as written are the common case, and the loop stays small.
#[inline(never)]
fn add_mapped_unit(
    index: &Index,
    s: &mut Scratch,
    folded: &str,
    (mapped, at): (&[Mapped], usize),
    out: &mut TicketTerms,
) -> usize {
    let m = mapped[at];
    let mut last = at;
    let span = (m.tokens.1 - m.tokens.0) as usize;
    let key = (u64::from(m.term) << 32)
        ^ if span == 1 {
            crate::tagger::index::word_hash(folded)
        } else {
            0
        };
    if s.seen_slow.insert(key) {
        let start = out.unit_terms.len() as u32;
        out.unit_terms.push(m.term);
        // The other part of a compound maps the same token.
        while let Some(part) = mapped.get(last + 1).filter(|n| n.tokens == m.tokens) {
            // Two parts made one term by a synonym weigh once.
            if part.term != m.term {
                out.unit_terms.push(part.term);
            }
            last += 1;
        }
        if span == 1 {
            index
                .vocab
                .grams_of(folded, &mut s.hashes, &mut out.unit_terms);
        }
        out.units.push(Unit::Terms {
            start,
            end: out.unit_terms.len() as u32,
            stem: index.vocab.is_evidential(m.term),
        });
    }
    last
}

/// [`add_units`] for a word the product does not know: its n-grams may
/// still be known; a content word counts towards the unknown part of the
/// ticket.
#[inline(never)]
fn add_unknown_unit(index: &Index, s: &mut Scratch, token: Token<'_>, out: &mut TicketTerms) {
    let key = crate::tagger::index::word_hash(token.folded);
    if s.seen_slow.insert(key) {
        let start = out.unit_terms.len() as u32;
        index
            .vocab
            .grams_of(token.folded, &mut s.hashes, &mut out.unit_terms);
        if !token.stop {
            let known = out.unit_terms.len() - start as usize;
            let unknown = 1 + s.hashes.len().saturating_sub(known);
            out.unknown_norm2 += unknown as f32 * index.unknown_weight2;
            out.unknown_words += 1;
        }
        if out.unit_terms.len() as u32 > start {
            out.units.push(Unit::Terms {
                start,
                end: out.unit_terms.len() as u32,
                stem: false,
            });
        }
    }
}

/// The terms of each unit with their counts (compile time).
fn unit_terms<'a>(index: &'a Index, terms: &'a TicketTerms, unit: Unit, buffer: &mut Vec<TermId>) {
    buffer.clear();
    match unit {
        Unit::Word(w) => {
            buffer.push(index.vocab.word(w).stem);
            buffer.extend_from_slice(index.vocab.word_grams(w));
        }
        Unit::Terms { start, end, .. } => {
            buffer.extend_from_slice(&terms.unit_terms[start as usize..end as usize])
        }
    }
    buffer.sort_unstable();
}

/// The feature vector of a text: the sum of its distinct words' vectors
/// (each term weighted by its IDF), divided by the square root of the sum of
/// their squared lengths. Sorted by term. Scoring computes the same
/// quantity through per-word postings.
pub(crate) fn vectorize(index: &Index, terms: &TicketTerms) -> Vec<(TermId, f32)> {
    let mut all: Vec<(TermId, f32)> = Vec::new();
    let mut norm2 = 0.0;
    let mut buffer = Vec::new();
    for &unit in &terms.units {
        unit_terms(index, terms, unit, &mut buffer);
        let mut i = 0;
        while i < buffer.len() {
            let t = buffer[i];
            let mut count = 0.0;
            while i < buffer.len() && buffer[i] == t {
                count += 1.0;
                i += 1;
            }
            let x = count * index.idf[t as usize];
            norm2 += x * x;
            if x > 0.0 {
                all.push((t, x));
            }
        }
    }
    all.sort_unstable_by_key(|&(t, _)| t);
    let mut merged: Vec<(TermId, f32)> = Vec::with_capacity(all.len());
    for (t, x) in all {
        match merged.last_mut() {
            Some(last) if last.0 == t => last.1 += x,
            _ => merged.push((t, x)),
        }
    }
    let norm = f32::sqrt(norm2);
    if norm > 0.0 {
        merged.iter_mut().for_each(|(_, x)| *x /= norm);
    }
    merged
}

/// Scores every node the ticket reaches and puts into `out` (cleared
/// first) those at or above `min_score`, best first (ties to the earlier
/// node), at most `top`.
pub(crate) fn score(
    index: &Index,
    scoring: &Scoring,
    terms: &TicketTerms,
    (min_score, top): (f64, usize),
    out: &mut Vec<Scored>,
) {
    out.clear();
    SCRATCH.with(|scratch| {
        let s = &mut *scratch.borrow_mut();
        prepare(s, index);
        let norm2 = accumulate(s, index, terms) + terms.unknown_norm2;
        let scale = if norm2 > 0.0 {
            norm2.sqrt().recip()
        } else {
            0.0
        };
        // Phrases in order: keywords and names found whole, and exclusions.
        let mut veto_all = false;
        for &(owner, _, _) in &terms.phrase_hits {
            match owner {
                PhraseOwner::Doc(d) => touch(s, index.docs[d as usize].node).phrase = true,
                PhraseOwner::Exclude(n) => touch(s, n).vetoed = true,
                PhraseOwner::ExcludeAll => veto_all = true,
            }
        }
        if veto_all {
            // A product-wide exclusion: no match at all.
            for &n in s.touched_nodes.as_slice() {
                s.node_score[n as usize] = NodeScore::default();
            }
            s.touched_nodes.clear();
            return;
        }

        // The best few nodes by logit; their softmax (with a "none of them"
        // logit) is the confidence. Each node's key goes through the sorted
        // list of the best keys without a branch: whether a node is out, or
        // beats the last one kept, depends on the data and was mispredicted
        // half the time.
        // The nodes that are in are listed first (each written always and
        // counted only when in), so the list of the best sees only them.
        let touched = s.touched_nodes.as_slice();
        if s.candidates.len() <= touched.len() {
            s.candidates.resize(touched.len() + 1, 0);
        }
        let candidates: &mut [u64] = &mut s.candidates;
        let mut listed = 0;
        let scores: &mut [NodeScore] = &mut s.node_score;
        // The bonus of a node with a phrase found whole, read by its flag.
        let bonus = [0.0, scoring.phrase_bonus];
        for &n in touched {
            let Some(node) = scores.get_mut(n as usize).map(std::mem::take) else {
                continue;
            };
            let logit = node.logit * scale + bonus[usize::from(node.phrase)];
            // A match needs a word of the ticket behind it, not n-grams
            // alone; a logit above zero (not NaN); no veto.
            let is_in = (node.word_hit | node.phrase) & !node.vetoed & (logit > 0.0);
            // Only a node in is counted, and its logit is above zero:
            // the key of a positive value (the one `rank_key` gives it).
            if let Some(slot) = candidates.get_mut(listed) {
                *slot = positive_rank_key(logit, n);
            }
            listed += usize::from(is_in);
        }
        let mut best = [0u64; RIVALS];
        for &key in &candidates[..listed] {
            keep_best(&mut best, key);
        }
        let mut ranked = std::mem::take(&mut s.ranked);
        ranked.clear();
        ranked.extend(best.iter().take_while(|&&key| key != 0).map(|&key| {
            let (logit, node) = from_rank_key(key);
            (logit, node, 0.0)
        }));
        s.touched_nodes.clear();
        // Each rival's logit moves with how much of the ticket its own texts
        // explain; the order may change.
        // Tried and not kept (Banking77 k10): every rival's fit in one pass
        // over the content terms (-1.4% to -1.9% instructions, simulated I1
        // misses +7% to +34% with the new layout; prof_tag pairs: median
        // 0.97 to 0.985, no time gained).
        for (logit, node, fit_of) in ranked.iter_mut() {
            *fit_of = fit(index, terms, *node);
            *logit += scoring.fit_weight * (*fit_of - scoring.fit_reference);
        }
        ranked.sort_by(|a, b| b.0.total_cmp(&a.0).then(a.1.cmp(&b.1)));
        let Some(&(best, _, _)) = ranked.first() else {
            s.ranked = ranked;
            return;
        };
        // Each rival's exponential once, in place of its logit.
        for rival in ranked.iter_mut() {
            rival.0 = (rival.0 - best).exp();
        }
        let total: f32 =
            ranked.iter().map(|r| r.0).sum::<f32>() + (scoring.none_logit - best).exp();
        out.extend(
            ranked
                .iter()
                .map(|&(exp, node, fit)| Scored {
                    node,
                    score: f64::from(exp / total),
                    fit,
                })
                .filter(|m| m.score >= min_score && m.score > 0.0),
        );
        out.truncate(top);
        s.ranked = ranked;
    })
}

/// How many of the best nodes share the confidence.
const RIVALS: usize = 5;

/// A key that orders (value, id) like `f32::total_cmp` on the value
/// (a logit, a text's weight), then the lower id (node, text) first, as one
/// integer (greater is better): the value's bits made to order as integers
/// (negatives flipped, the sign bit set on the rest), then the id's
/// complement. Any value above zero has a key above zero.
#[inline]
fn rank_key(value: f32, id: u32) -> u64 {
    let bits = value.to_bits();
    let ordered = if bits >> 31 == 1 {
        !bits
    } else {
        bits | 1 << 31
    };
    u64::from(ordered) << 32 | u64::from(!id)
}

/// [`rank_key`] of a value above zero (of any other, a key that means
/// nothing): its bits order as integers already, with the sign bit set.
#[inline]
fn positive_rank_key(value: f32, id: u32) -> u64 {
    u64::from(value.to_bits() | 1 << 31) << 32 | u64::from(!id)
}

/// The value and id of a [`rank_key`].
#[inline]
fn from_rank_key(key: u64) -> (f32, u32) {
    let ordered = (key >> 32) as u32;
    let bits = if ordered >> 31 == 1 {
        ordered & !(1 << 31)
    } else {
        !ordered
    };
    (f32::from_bits(bits), !(key as u32))
}

/// Puts `key` into `best` (greatest first), dropping the smallest: each
/// slot keeps the greater of itself and the key passed down, which passes
/// the smaller on. Compares and conditional moves only, no branch.
#[inline]
fn keep_best<const N: usize>(best: &mut [u64; N], key: u64) {
    let mut key = key;
    for slot in best.iter_mut() {
        let (high, low) = ((*slot).max(key), (*slot).min(key));
        *slot = high;
        key = low;
    }
}

/// Adds every unit's postings to the node scores; returns the squared
/// length of the ticket's known terms. Kept apart (not inlined) so that
/// profiles show the posting loop on its own.
// Tried and not kept (Banking77 k10, ~220 postings and ~47 touched nodes
// a ticket, 122 nodes): adding without listing and listing every node
// after the loop once the postings outnumber the nodes (+5.8%
// instructions, slower); the stem-hit flags as a list per word apart
// from the postings (-1.8% instructions, more mispredicts and cache
// misses, no time gained); a clamped index for `list_once`'s store and
// the flag or'ed in as a byte (the branch stayed, +3.5% instructions).
#[inline(never)]
fn accumulate(s: &mut Scratch, index: &Index, terms: &TicketTerms) -> f32 {
    // The scores as a plain slice: its pointer and length stay in registers
    // through the loop (behind the `Vec` they were reloaded after each store).
    let Scratch {
        node_score,
        touched_nodes: touched,
        ..
    } = s;
    let scores: &mut [NodeScore] = node_score;
    // The touched list as a slice and a count in registers ([`Touched`]).
    let listed: &mut [NodeId] = &mut touched.ids;
    let mut len = touched.len;
    let mut norm2 = 0.0f32;
    for &unit in &terms.units {
        match unit {
            Unit::Word(w) => {
                norm2 += index.word_norm2[w as usize];
                for &(n, weight) in index.word_postings(w) {
                    add_posting(
                        (scores, listed, &mut len),
                        n & !STEM_HIT,
                        weight,
                        n & STEM_HIT != 0,
                    );
                }
            }
            Unit::Terms { start, end, stem } => {
                let unit_terms = &terms.unit_terms[start as usize..end as usize];
                // The count goes by value: its address would keep it in
                // memory through the loop above.
                let (added, listed_now) =
                    add_term_postings(index, (scores, listed, len), unit_terms, stem);
                norm2 += added;
                len = listed_now;
            }
        }
    }
    touched.len = len;
    norm2
}

/// Adds one posting to the node scores, listing the node on its first
/// touch ([`list_once`]).
#[inline(always)]
fn add_posting(
    (scores, listed, len): (&mut [NodeScore], &mut [NodeId], &mut usize),
    id: NodeId,
    weight: f32,
    hit: bool,
) {
    if let Some(node) = scores.get_mut(id as usize) {
        list_once(listed, len, &mut node.touched, id);
        node.logit += weight;
        node.word_hit |= hit;
    }
}

/// [`accumulate`] for a word the product does not use as written: the
/// postings of each of its terms (`stem`: the first one may carry a
/// match); returns their squared length and the new count of `listed`.
/// Out of line (such words are rare), so the loop over product words
/// keeps its registers.
#[inline(never)]
fn add_term_postings(
    index: &Index,
    (scores, listed, mut len): (&mut [NodeScore], &mut [NodeId], usize),
    unit_terms: &[TermId],
    stem: bool,
) -> (f32, usize) {
    let mut norm2 = 0.0f32;
    for (k, &t) in unit_terms.iter().enumerate() {
        let x = index.idf[t as usize];
        norm2 += x * x;
        let (nodes, weights) = index.model.postings(t);
        let carries = stem && k == 0;
        for (&n, &weight) in nodes.iter().zip(weights) {
            add_posting(
                (scores, listed, &mut len),
                n,
                x * weight,
                carries && weight > 0.0,
            );
        }
    }
    (norm2, len)
}

fn prepare(s: &mut Scratch, index: &Index) {
    if s.node_score.len() < index.nodes.len() {
        s.node_score.resize(index.nodes.len(), NodeScore::default());
    }
    s.touched_nodes.reserve(s.node_score.len());
}

fn touch(s: &mut Scratch, node: NodeId) -> &mut NodeScore {
    touch_in(&mut s.node_score, &mut s.touched_nodes, node).expect("node ids index the scores")
}

/// A node's score slot, listed in `touched` on its first touch this call;
/// `None` for an id out of range.
#[inline]
fn touch_in<'a>(
    scores: &'a mut [NodeScore],
    touched: &mut Touched,
    node: NodeId,
) -> Option<&'a mut NodeScore> {
    let slot = scores.get_mut(node as usize)?;
    touched.mark(&mut slot.touched, node);
    Some(slot)
}

/// Calls `found(owner, first_token, end_token)` for every phrase occurrence
/// (each phrase reported once per ticket, at its first occurrence).
pub(crate) fn for_each_phrase(
    index: &Index,
    terms: &TicketTerms,
    seen: &mut HashSet<u32, BuildFnv>,
    mut found: impl FnMut(PhraseOwner, u32, u32),
) {
    if index.phrases.is_empty() {
        return;
    }
    seen.clear();
    let mapped = &terms.mapped;
    let mut report =
        |p: u32, first: usize, len: usize, found: &mut dyn FnMut(PhraseOwner, u32, u32)| {
            if seen.insert(p) {
                for &owner in &index.phrases[p as usize].owners {
                    found(
                        owner,
                        mapped[first].tokens.0,
                        mapped[first + len - 1].tokens.1,
                    );
                }
            }
        };
    for i in 0..mapped.len() {
        let starts = index
            .phrase_starts
            .get(mapped[i].term as usize)
            .copied()
            .unwrap_or(0);
        if starts == 0 {
            continue;
        }
        if starts & STARTS_SINGLE != 0
            && let Some(singles) = index.phrases_by_first.get(&mapped[i].term)
        {
            for &p in singles {
                report(p, i, 1, &mut found);
            }
        }
        if starts & STARTS_LONGER == 0 {
            continue;
        }
        // Longer phrases are indexed by their first two terms, so a word
        // shared by many phrases does not make every occurrence check them all.
        let Some(next) = mapped
            .get(i + 1)
            .filter(|n| n.tokens.0 == mapped[i].tokens.1)
        else {
            continue;
        };
        let Some(candidates) = index.phrases_by_pair.get(&(mapped[i].term, next.term)) else {
            continue;
        };
        for &p in candidates {
            let phrase = &index.phrases[p as usize];
            let len = phrase.terms.len();
            if i + len > mapped.len() {
                continue;
            }
            let window = &mapped[i..i + len];
            let in_order = window.iter().zip(&phrase.terms).all(|(m, &t)| m.term == t)
                && window.windows(2).all(|w| w[1].tokens.0 == w[0].tokens.1);
            if in_order {
                report(p, i, len, &mut found);
            }
        }
    }
}

/// Buffers of [`evidence`], reused across calls on a thread.
#[derive(Default)]
struct EvidenceScratch {
    phrase_docs: Vec<u32>,
    /// The ticket's content terms the node holds: (index in the ticket's
    /// content, mask of the node's texts holding the term).
    found: Vec<(u32, u64)>,
    hits: Vec<u32>,
    per_doc: Vec<(f32, u32, u32, u32)>,
    candidates: Vec<(f32, u32, u32, Field, Span)>,
}

thread_local! {
    static EVIDENCE_SCRATCH: RefCell<EvidenceScratch> = RefCell::new(EvidenceScratch::default());
}

/// Builds the evidence of one matched node: whole phrases of its names and
/// keywords, then every ticket word that met a word of its name, keywords,
/// description or best examples. With it, the node's coverage: the largest
/// IDF-weighted share of one of its texts the ticket holds (1 for a text
/// found whole), the mirror of [`fit`]; made from the same per-text sums,
/// so it costs no extra search, and made also when `max` is 0.
fn evidence(
    index: &Index,
    names: &Names,
    input: &Input<'_>,
    terms: &TicketTerms,
    node: NodeId,
    max: usize,
    scratch: &mut EvidenceScratch,
) -> (Vec<Evidence>, f32) {
    let EvidenceScratch {
        phrase_docs,
        found,
        hits,
        per_doc,
        candidates,
    } = scratch;
    phrase_docs.clear();
    found.clear();
    hits.clear();
    per_doc.clear();
    candidates.clear();
    let covered = |kept: &[Evidence], field: Field, span: Span| {
        kept.iter()
            .any(|k| k.field == field && k.span.start <= span.start && span.end <= k.span.end)
    };
    let mut kept: Vec<Evidence> = Vec::with_capacity(max.min(8));
    for &(owner, start, end) in &terms.phrase_hits {
        let PhraseOwner::Doc(d) = owner else { continue };
        let doc = index.docs[d as usize];
        if doc.node != node {
            continue;
        }
        phrase_docs.push(d);
        let (field, first) = terms.token_spans[start as usize];
        let (_, last) = terms.token_spans[end as usize - 1];
        let span = Span::new(first.start, last.end);
        if kept.len() < max && !covered(&kept, field, span) {
            // A one-word keyword is found whole; say how its word met.
            let how = match terms.mapped.iter().find(|m| m.tokens == (start, end)) {
                Some(m) if end - start == 1 => word_how(index, input, d, m, field, span),
                _ => How::Phrase,
            };
            kept.push(Evidence {
                source: doc.source,
                pattern: names.patterns[d as usize].clone(),
                how,
                field,
                span,
            });
        }
    }
    // Each text of the node with the weight of the ticket words it shares;
    // of the examples only the two sharing the most are kept (a node may
    // have hundreds), chosen in one pass without sorting them all.
    let std::ops::Range {
        start: first_doc,
        end: last_doc,
    } = index.node_docs(node);
    // The weight each text shares with the ticket: through the node's
    // term masks (one search per ticket term) when it has at most 64 texts,
    // else by merging each text's terms with the ticket's. Either way each
    // text's sum runs in term order, so the two give the same floats.
    let mut masked = [0f32; 64];
    let by_mask = last_doc - first_doc <= 64;
    if by_mask {
        let (node_terms, node_docs) = index.node_terms_with_docs(node);
        // Both sorted: each search starts past the node terms passed, and
        // none is made once they are all passed.
        let mut from = 0;
        for (i, &(t, _)) in terms.content.iter().enumerate() {
            let Some(rest) = node_terms.get(from..).filter(|rest| !rest.is_empty()) else {
                break;
            };
            match rest.binary_search(&t) {
                Ok(k) => {
                    let k = from + k;
                    from = k + 1;
                    let mut mask = node_docs[k];
                    found.push((i as u32, mask));
                    while mask != 0 {
                        masked[mask.trailing_zeros() as usize] += index.idf[t as usize];
                        mask &= mask - 1;
                    }
                }
                Err(k) => from += k,
            }
        }
    }
    // The two best examples as [`rank_key`]s (0: none).
    let mut best_examples = [0u64; 2];
    // The match's coverage: the largest share of one text's weight the
    // ticket holds (a text found whole as a phrase: all of it). A text
    // sharing weight with the ticket has at least that much mass.
    let masses = &index.doc_mass[first_doc..last_doc];
    let mut covered_share = if phrase_docs.is_empty() { 0f32 } else { 1.0 };
    for d in first_doc as u32..last_doc as u32 {
        if phrase_docs.contains(&d) {
            continue;
        }
        let weight = if by_mask {
            masked[d as usize - first_doc]
        } else {
            shared_terms(index, index.doc_terms(d), &terms.content, |_| {})
        };
        // A text sharing nothing gives 0 (or NaN when empty), which the
        // max ignores: no branch on whether it shares.
        covered_share = covered_share.max(weight / masses[d as usize - first_doc]);
        let shares = weight > 0.0;
        let source = index.docs[d as usize].source;
        let ranked = weight * source_rank(source);
        if source == Source::Example {
            keep_best(&mut best_examples, rank_key(ranked, d) * u64::from(shares));
        } else if shares {
            per_doc.push((ranked, d, 0, 0));
        }
    }
    let coverage = covered_share.clamp(0.0, 1.0);
    if max == 0 {
        return (kept, coverage);
    }
    per_doc.extend(best_examples.iter().filter(|&&key| key != 0).map(|&key| {
        let (weight, d) = from_rank_key(key);
        (weight, d, 0, 0)
    }));
    per_doc.sort_by(|a, b| b.0.total_cmp(&a.0).then(a.1.cmp(&b.1)));
    // The shared words of the kept texts only, in term order: read off the
    // masks when there are masks, else merged.
    for entry in per_doc.iter_mut() {
        let start = hits.len() as u32;
        if by_mask {
            // Written always, counted only when the text holds the term.
            let bit = 1u64 << (entry.1 as usize - first_doc);
            let mut len = hits.len();
            hits.resize(len + found.len(), 0);
            for &(i, mask) in found.iter() {
                if let Some(slot) = hits.get_mut(len) {
                    *slot = terms.content[i as usize].1;
                }
                len += usize::from(mask & bit != 0);
            }
            hits.truncate(len);
        } else {
            shared_terms(index, index.doc_terms(entry.1), &terms.content, |h| {
                hits.push(h)
            });
        }
        (entry.2, entry.3) = (start, hits.len() as u32);
    }
    // Candidates, strongest text first; within one, text order. Each ticket
    // span is credited once, to the strongest text it met (a phrase covers
    // its words). Strings are made only for what is kept. The texts are in
    // order already (`per_doc` is sorted, each text once), so only each
    // text's own candidates need sorting, by span (stable, as before).
    for &(weight, d, start, end) in per_doc.iter() {
        let first_candidate = candidates.len();
        for &h in &hits[start as usize..end as usize] {
            let m = terms.mapped[h as usize];
            let (field, first) = terms.token_spans[m.tokens.0 as usize];
            let (_, last) = terms.token_spans[m.tokens.1 as usize - 1];
            candidates.push((weight, d, h, field, Span::new(first.start, last.end)));
        }
        candidates[first_candidate..].sort_by_key(|c| c.4);
    }
    for &(_, d, h, field, span) in candidates.iter() {
        if kept.len() == max {
            break;
        }
        if covered(&kept, field, span) {
            continue;
        }
        let doc = index.docs[d as usize];
        let how = word_how(index, input, d, &terms.mapped[h as usize], field, span);
        kept.push(Evidence {
            source: doc.source,
            pattern: names.patterns[d as usize].clone(),
            how,
            field,
            span,
        });
    }
    (kept, coverage)
}

/// The IDF weight of the terms a text shares with the ticket's sorted
/// content terms (a merge of two sorted lists); `hit` gets each shared
/// term's first position in the ticket's mapped words.
fn shared_terms(
    index: &Index,
    doc_terms: &[TermId],
    content: &[(TermId, u32)],
    mut hit: impl FnMut(u32),
) -> f32 {
    let mut weight = 0.0;
    let (mut a, mut b) = (0, 0);
    while a < doc_terms.len() && b < content.len() {
        match doc_terms[a].cmp(&content[b].0) {
            std::cmp::Ordering::Less => a += 1,
            std::cmp::Ordering::Greater => b += 1,
            std::cmp::Ordering::Equal => {
                weight += index.idf[doc_terms[a] as usize];
                hit(content[b].1);
                a += 1;
                b += 1;
            }
        }
    }
    weight
}

/// How a ticket word met a text: exactly when the text holds the same
/// folded word, else by stem; typos and synonyms say so.
///
/// A word found by stem is not a product word as written (those are found
/// exactly), so no text holds it; a product word is looked up by its
/// precomputed hash, without folding and hashing the ticket's text again.
fn word_how(
    index: &Index,
    input: &Input<'_>,
    doc: u32,
    mapped: &Mapped,
    field: Field,
    span: Span,
) -> How {
    match mapped.how {
        How::Exact | How::Stem => {
            let holds = match index.vocab.word_hash(mapped.word) {
                Some(hash) => index.doc_has_word_hash(doc, hash),
                None if mapped.how == How::Stem => false,
                None => {
                    let text = if field == Field::Subject {
                        input.subject.unwrap_or("")
                    } else {
                        input.text
                    };
                    index.doc_has_word(doc, &text[span.range()])
                }
            };
            if holds { How::Exact } else { How::Stem }
        }
        other => other,
    }
}

fn source_rank(source: Source) -> f32 {
    match source {
        Source::Keyword => 1.2,
        Source::Name => 1.1,
        Source::Example => 1.0,
        _ => 0.5,
    }
}

fn pattern_text<'p>(
    product: &'p crate::Product,
    index: &Index,
    node: NodeId,
    source: Source,
    pattern: u32,
) -> &'p str {
    let n = &index.nodes[node as usize];
    let cap = &product.capabilities[n.capability as usize];
    let (name, keywords, examples, description) = match n.feature {
        Some(f) => {
            let f = &cap.features[f as usize];
            (&f.name, &f.keywords, &f.examples, &f.description)
        }
        None => (&cap.name, &cap.keywords, &cap.examples, &cap.description),
    };
    match source {
        Source::Name => name,
        Source::Keyword => keywords.get(pattern as usize).map_or("", |s| s),
        Source::Example => examples.get(pattern as usize).map_or("", |s| s),
        _ => description.as_deref().unwrap_or(""),
    }
}

/// The ids and pattern texts a match can carry, shared with every match
/// that names them: a match clones them by reference count.
#[derive(Debug, Default)]
pub(crate) struct Names {
    /// Per node: its feature's id (none for a capability) and its
    /// capability's id.
    nodes: Vec<(Option<Name>, Name)>,
    /// Per doc: the text it was read from.
    patterns: Vec<Name>,
}

impl Names {
    /// The names of `index`'s nodes and docs, read from the product it was
    /// compiled from. Cost: linear in the product's texts.
    pub fn new(index: &Index, product: &crate::Product) -> Names {
        let capabilities: Vec<Name> = product
            .capabilities
            .iter()
            .map(|c| Name::from(c.id.as_str()))
            .collect();
        let nodes = index
            .nodes
            .iter()
            .map(|n| {
                let cap = &product.capabilities[n.capability as usize];
                (
                    n.feature
                        .map(|f| Name::from(cap.features[f as usize].id.as_str())),
                    capabilities[n.capability as usize].clone(),
                )
            })
            .collect();
        let patterns = index
            .docs
            .iter()
            .map(|d| Name::from(pattern_text(product, index, d.node, d.source, d.pattern)))
            .collect();
        Names { nodes, patterns }
    }

    /// The id of the capability `node` is or belongs to.
    pub fn capability_of(&self, node: NodeId) -> &Name {
        &self.nodes[node as usize].1
    }
}

/// Capability-level candidates: for each capability whose name, keywords or
/// examples share stems with the ticket, the best share of one such text's
/// weight found in the ticket (a whole phrase counts fully). Calls
/// `each(capability, coverage)` for the best `limit` of those at or above
/// `min_coverage`, best first (ties to the earlier node), until `each`
/// returns false. The list is made in this thread's buffer: no allocation
/// per ticket.
///
/// Cost: linear in the (capped) postings of the ticket's terms, plus a sort
/// of the capabilities that pass.
pub(crate) fn for_each_capability(
    index: &Index,
    terms: &TicketTerms,
    (min_coverage, limit): (f32, usize),
    mut each: impl FnMut(NodeId, f32) -> bool,
) {
    let mut best = SCRATCH.with(|s| std::mem::take(&mut s.borrow_mut().capabilities));
    capability_coverage(index, terms, (min_coverage, limit), &mut best);
    for &(capability, coverage) in &best {
        if !each(capability, coverage) {
            break;
        }
    }
    SCRATCH.with(|s| s.borrow_mut().capabilities = best);
}

/// The candidates of [`for_each_capability`], into `best` (cleared first).
///
/// Each capability text's coverage is a [`rank_key`] of (coverage,
/// capability): comparing keys orders like the coverage's `total_cmp`,
/// then the earlier capability, as the list is ordered. Two passes over
/// the capability postings of the ticket's terms: the ticket's weight in
/// each text, then each text's key, taken once (its weight cleared), and
/// the best `limit` keys of distinct capabilities at or above the floor.
///
/// Cost: linear in the (capped) capability postings of the ticket's
/// terms; a `limit` of up to 32 keeps the best few sorted as they come
/// (most keys lose to the last one kept: one compare), a larger one adds a
/// selection over the capabilities that pass.
fn capability_coverage(
    index: &Index,
    terms: &TicketTerms,
    (min_coverage, limit): (f32, usize),
    best: &mut Vec<(NodeId, f32)>,
) {
    best.clear();
    if index.capability_docs.is_empty() || limit == 0 {
        return;
    }
    // The least key that passes: a coverage at or above `min_coverage`,
    // and above zero.
    let floor = if min_coverage > 0.0 {
        rank_key(min_coverage, u32::MAX)
    } else if min_coverage <= 0.0 {
        rank_key(f32::from_bits(1), u32::MAX)
    } else {
        u64::MAX
    };
    SCRATCH.with(|scratch| {
        let s = &mut *scratch.borrow_mut();
        let c = &mut s.capability;
        if c.doc_weight.len() < index.docs.len() {
            c.doc_weight.resize(index.docs.len(), 0.0);
        }
        // The ticket's weight in each text, summed in the ticket's term
        // order (so a text's sum is the same float however texts are
        // visited); the postings read are listed for the second pass.
        let doc_weight: &mut [f32] = &mut c.doc_weight;
        c.postings.clear();
        for &(term, _) in &terms.content {
            let range = index.capability_range(term);
            let (Some(&weight), Some(docs)) = (
                index.idf.get(term as usize),
                index.capability_docs.get(range.clone()),
            ) else {
                continue;
            };
            if docs.is_empty() {
                continue;
            }
            c.postings.push((range.start as u32, range.end as u32));
            for posting in docs {
                if let Some(sum) = doc_weight.get_mut(posting.doc as usize) {
                    *sum += weight;
                }
            }
        }
        let postings = &c.postings;
        if limit <= BOUNDED_CAPABILITIES {
            let mut top = BestFew {
                keys: [0; BOUNDED_CAPABILITIES],
                kept: 0,
                limit,
                floor,
            };
            // A key must be above `bar` to be kept: below the floor never,
            // and once `limit` are kept, above the last.
            let mut bar = floor - 1;
            each_key(index, postings, doc_weight, |key| {
                if key > bar {
                    bar = top.keep(key);
                }
            });
            best.extend(top.keys[..top.kept].iter().map(|&key| {
                let (coverage, node) = from_rank_key(key);
                (node, coverage)
            }));
        } else {
            let CapabilityScratch {
                node_key,
                nodes,
                keys: kept,
                ..
            } = c;
            if node_key.len() < index.nodes.len() {
                node_key.resize(index.nodes.len(), 0);
            }
            // Each capability's greatest key (zero between calls), each
            // capability listed once.
            nodes.clear();
            each_key(index, postings, doc_weight, |key| {
                let node = !(key as u32);
                if let Some(best) = node_key.get_mut(node as usize) {
                    if *best == 0 {
                        nodes.push(node);
                    }
                    *best = (*best).max(key);
                }
            });
            // The best `limit` of those at or above the floor.
            kept.clear();
            for &n in nodes.iter() {
                if let Some(best) = node_key.get_mut(n as usize) {
                    let key = std::mem::take(best);
                    if key >= floor {
                        kept.push(key);
                    }
                }
            }
            if kept.len() > limit {
                kept.select_nth_unstable_by(limit - 1, |a, b| b.cmp(a));
                kept.truncate(limit);
            }
            kept.sort_unstable_by(|a, b| b.cmp(a));
            best.extend(kept.iter().map(|&key| {
                let (coverage, node) = from_rank_key(key);
                (node, coverage)
            }));
        }
    })
}

/// Calls `f` with each capability text's key, once, reading `postings`
/// (ranges of [`Index::capability_docs`]): at the text's first posting its
/// weight is taken, and at any later one it is zero (a term's weight is
/// above zero, so a text met has a weight above zero).
#[inline(always)]
fn each_key(
    index: &Index,
    postings: &[(u32, u32)],
    doc_weight: &mut [f32],
    mut f: impl FnMut(u64),
) {
    for &(start, end) in postings {
        let docs = index
            .capability_docs
            .get(start as usize..end as usize)
            .unwrap_or(&[]);
        for posting in docs {
            let Some(sum) = doc_weight.get_mut(posting.doc as usize) else {
                continue;
            };
            let w = std::mem::take(sum);
            if w != 0.0 {
                // Above zero: the key of a positive value.
                let coverage = (w / posting.mass).min(1.0);
                f(positive_rank_key(coverage, posting.node));
            }
        }
    }
}

/// Up to this `limit`, [`capability_coverage`] keeps its best keys sorted
/// as they come, on the stack.
const BOUNDED_CAPABILITIES: usize = 32;

/// The greatest keys offered at or above `floor`, one a capability (its
/// greatest), greatest first, at most `limit` (up to
/// [`BOUNDED_CAPABILITIES`]).
struct BestFew {
    keys: [u64; BOUNDED_CAPABILITIES],
    kept: usize,
    limit: usize,
    floor: u64,
}

impl BestFew {
    /// Keeps `key`, at or above the floor and, when `limit` are kept,
    /// above the last one; returns the new bar a key must be above. A key
    /// replaces its capability's smaller key, if kept (a key dropped never
    /// returns: the last kept only grows). Out of line: most keys are
    /// below the bar.
    #[inline(never)]
    fn keep(&mut self, key: u64) -> u64 {
        let limit = self.limit.clamp(1, BOUNDED_CAPABILITIES);
        let top = &mut self.keys[..limit];
        let mut kept = self.kept.min(limit);
        // The node is the key's low half (complemented alike).
        let node = key as u32;
        match top[..kept].iter().position(|&k| k as u32 == node) {
            Some(i) if top[i] >= key => return self.bar(),
            Some(i) => {
                top.copy_within(i + 1..kept, i);
                kept -= 1;
            }
            None => {}
        }
        // Sorted greatest first: the key moves up past the smaller.
        let mut at = kept.min(limit - 1);
        while at > 0 && top[at - 1] < key {
            top[at] = top[at - 1];
            at -= 1;
        }
        top[at] = key;
        self.kept = (kept + 1).min(limit);
        self.bar()
    }

    /// The key a new key must be above.
    fn bar(&self) -> u64 {
        let below_floor = self.floor - 1;
        if self.kept == self.limit {
            below_floor.max(self.keys[self.limit - 1])
        } else {
            below_floor
        }
    }
}

/// How much of the ticket a node's own texts explain, in `[0, 1]`: the
/// IDF mass of the ticket's distinct content words that occur in some text
/// of the node, over the mass of all its content words (a word the product
/// does not know at all counts at the rarest weight). Unlike the score,
/// which is relative to the other nodes, this is absolute: a ticket about
/// something the product does not model fits its nearest node poorly even
/// when that node wins clearly.
///
/// Cost: one bit test per distinct ticket term ([`Index::node_holds`]).
pub(crate) fn fit(index: &Index, terms: &TicketTerms, node: NodeId) -> f32 {
    let content = &terms.content;
    let total = terms.content_mass;
    if total <= 0.0 {
        return 0.0;
    }
    // A term the node lacks adds -0.0, the sum's own start and an exact
    // identity, so the total is the same float as summing the held terms
    // alone, and no branch depends on the data: the term's weight or -0.0
    // is picked by masking bits (a plain `if` here was compiled to a
    // branch, mispredicted two times in five).
    let pick = |idf: f32, held: bool| {
        let keep = u32::from(held).wrapping_neg();
        f32::from_bits(idf.to_bits() & keep | (-0.0f32).to_bits() & !keep)
    };
    let idf = |t: TermId| index.idf.get(t as usize).copied().unwrap_or(0.0);
    let explained: f32 = match index.node_bit_exact(node) {
        Some(bit) => content
            .iter()
            .map(|&(t, _)| pick(idf(t), index.term_has_node_bit(t, bit)))
            .sum(),
        // Not one bit a node: walked or searched ([`Holds`]).
        None => match Holds::new(index, content, node) {
            // Once the node's terms are all passed, the rest would add
            // -0.0 each: the walk stops there, the same sum.
            Holds::Walk(mut rest) => content
                .iter()
                .map_while(|&(t, _)| {
                    (!rest.is_empty()).then(|| pick(idf(t), Holds::walk(&mut rest, t)))
                })
                .sum(),
            _ => content
                .iter()
                .map(|&(t, _)| pick(idf(t), index.node_holds(node, t)))
                .sum(),
        },
    };
    (explained / total).clamp(0.0, 1.0)
}

/// Whether a node holds each of the ticket's content terms, asked in
/// their (ascending) order. In a product of at most 128 nodes one bit
/// tells ([`Index::node_bit_exact`]); in a larger one a common term's bit
/// is set for most nodes, so a node with few terms beside the ticket's is
/// walked once along with them (a search per term cost more than the
/// walk), and a larger one is searched per term, as [`Index::node_holds`].
enum Holds<'a> {
    Bit(&'a Index, u128),
    /// The node's terms not yet passed.
    Walk(&'a [TermId]),
    Search(&'a Index, NodeId),
}

impl<'a> Holds<'a> {
    fn new(index: &'a Index, content: &[(TermId, u32)], node: NodeId) -> Holds<'a> {
        if let Some(bit) = index.node_bit_exact(node) {
            return Holds::Bit(index, bit);
        }
        let terms = index.node_terms(node);
        if terms.len() <= 4 * content.len() + 16 {
            Holds::Walk(terms)
        } else {
            Holds::Search(index, node)
        }
    }

    /// Whether the node holds `term`, a term above those asked before.
    #[inline]
    fn next(&mut self, term: TermId) -> bool {
        match self {
            Holds::Bit(index, bit) => index.term_has_node_bit(term, *bit),
            Holds::Walk(rest) => Holds::walk(rest, term),
            Holds::Search(index, node) => index.node_holds(*node, term),
        }
    }

    /// Whether sorted `rest` holds `term`, passing the terms below it.
    #[inline]
    fn walk(rest: &mut &[TermId], term: TermId) -> bool {
        while let Some((&first, after)) = rest.split_first()
            && first < term
        {
            *rest = after;
        }
        rest.first() == Some(&term)
    }
}

/// Below this [`fit`], a match that rests on one word of the ticket met
/// only in the node's examples or description is dropped
/// ([`rests_on_a_passing_word`]): a word a sentence of the team's happened to
/// use ("last" in "My bill is higher than last month"), in a ticket that
/// is about something else, three quarters of its words strange to the node.
pub(crate) const LONE_WORD_MIN_FIT: f32 = 0.25;

/// Whether `node`'s match rests on a passing word: of the ticket's content
/// words the node holds exactly one, and only in its examples or
/// description: not in its name nor as a one-word keyword, and no name or
/// keyword of the node is found whole (a keyword of several words names
/// the node only whole, so a word of one is a passing word too). With
/// `fit` under [`LONE_WORD_MIN_FIT`], such a match is no match: a ticket
/// that shares one word of one sentence with the node and says much else.
///
/// Cost: nothing for a fit at or above the floor; else one bit test per
/// distinct ticket term (as [`fit`]) and, for a lone word, one search in
/// each of the node's names and keywords.
pub(crate) fn rests_on_a_passing_word(
    index: &Index,
    terms: &TicketTerms,
    node: NodeId,
    fit: f32,
) -> bool {
    if fit >= LONE_WORD_MIN_FIT {
        return false;
    }
    // The one content word the node holds, if it holds exactly one.
    let mut holds = Holds::new(index, &terms.content, node);
    let mut word = None;
    for &(t, _) in &terms.content {
        if holds.next(t) {
            if word.is_some() {
                return false;
            }
            word = Some(t);
        }
    }
    let Some(word) = word else {
        return false;
    };
    // A node's name and keywords are its first texts (then its examples
    // and description): only those are read. Looked at before the phrases
    // found whole, which are the ticket's and may be many.
    let named = index
        .node_docs(node)
        .map(|d| (index.docs[d].source, index.doc_terms(d as u32)))
        .take_while(|(source, _)| matches!(source, Source::Name | Source::Keyword))
        .any(|(source, words)| {
            (source == Source::Name || words.len() == 1) && words.binary_search(&word).is_ok()
        });
    if named {
        return false;
    }
    let named_whole = terms.phrase_hits.iter().any(|&(owner, _, _)| {
        matches!(owner, PhraseOwner::Doc(d) if index.docs[d as usize].node == node)
    });
    !named_whole
}

/// Turns scored nodes into matches: capability-level matches only for
/// capabilities none of whose features matched.
pub(crate) fn to_matches(
    index: &Index,
    names: &Names,
    input: &Input<'_>,
    terms: &TicketTerms,
    scored: &[Scored],
    max_evidence: usize,
) -> Vec<Match> {
    EVIDENCE_SCRATCH.with(|scratch| {
        let scratch = &mut *scratch.borrow_mut();
        scored
            .iter()
            .map(|this| {
                let (feature, capability) = &names.nodes[this.node as usize];
                let (evidence, coverage) =
                    evidence(index, names, input, terms, this.node, max_evidence, scratch);
                Match {
                    feature: feature.clone(),
                    capability: capability.clone(),
                    score: (this.score * 1e4).round() / 1e4,
                    fit: (f64::from(this.fit) * 1e4).round() / 1e4,
                    coverage: (f64::from(coverage) * 1e4).round() / 1e4,
                    evidence,
                }
            })
            .collect()
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Words the product does not know as written are remembered per
    /// thread and per built vocabulary (`Vocabulary::map_unknown`): two
    /// taggers whose products read a word differently each keep their own
    /// answer, and a thread that met the word before tags like a thread
    /// that did not.
    #[test]
    fn remembered_unknown_words_answer_for_their_own_product() {
        use crate::{Capability, Feature, Product, Tagger, TaggerConfig, Ticket};
        let product = |keyword: &str| {
            Product::new("p", "P").capability(
                Capability::new("c", "C")
                    .feature(Feature::new("f", "F").keyword(keyword))
                    .feature(Feature::new("g", "G").keyword("password reset")),
            )
        };
        let build = |keyword: &str| {
            Tagger::builder()
                .config(TaggerConfig::default().signals(false))
                .build(&product(keyword))
                .unwrap()
        };
        let (invoices, invites) = (build("invoice"), build("invite"));
        // A dropped letter: a typo of "invoice", two edits from "invite".
        let ticket = Ticket::new("t", "where is my invoce");
        let tag = |tagger: &Tagger| serde_json::to_string(&tagger.tag(&ticket)).unwrap();
        let on_a_new_thread = |tagger: &Tagger| {
            let (tagger, ticket) = (tagger.clone(), ticket.clone());
            std::thread::spawn(move || serde_json::to_string(&tagger.tag(&ticket)).unwrap())
                .join()
                .unwrap()
        };
        let first = tag(&invoices);
        assert!(first.contains("\"fuzzy\""), "{first}");
        assert_eq!(tag(&invites), on_a_new_thread(&invites));
        assert!(!tag(&invites).contains("\"fuzzy\""));
        assert_eq!(tag(&invoices), first);
        assert_eq!(first, on_a_new_thread(&invoices));
    }

    /// A product of more than 128 nodes whose capabilities have several
    /// texts sharing words (so a capability is met through several texts,
    /// and a text through several ticket words), compiled, with tickets
    /// analysed as `tag` analyses them.
    fn large_product() -> (Index, Vec<TicketTerms>) {
        use crate::{Capability, Feature, Product, TaggerConfig};
        const WORDS: &[&str] = &[
            "invoice", "export", "login", "password", "sync", "calendar", "report", "refund",
            "upload", "mobile", "email", "team", "admin", "label", "backup", "timezone",
        ];
        let w = |i: usize| WORDS[i % WORDS.len()];
        let mut product = Product::new("p", "P");
        for c in 0..20 {
            let mut cap = Capability::new(format!("c{c}"), format!("{} {}", w(c), w(c * 3 + 1)))
                .keyword(w(c * 5 + 2))
                .keyword(format!("{} {} {}", w(c + 1), w(c * 7), w(c + 9)))
                .example(format!(
                    "the {} and {} of my {}",
                    w(c * 2),
                    w(c + 4),
                    w(c * 11 + 3)
                ));
            for f in 0..10 {
                let i = c * 10 + f;
                cap = cap.feature(
                    Feature::new(format!("f{i}"), format!("{} {}", w(i), w(i * 7 + 3)))
                        .keyword(format!("{} {}", w(i * 3), w(i + 5)))
                        .example(format!(
                            "my {} does not {} the {}",
                            w(i),
                            w(i + 2),
                            w(i * 5)
                        )),
                );
            }
            product = product.capability(cap);
        }
        let analyzer = Analyzer::new(product.language);
        let index = Index::compile(&product, &analyzer, &TaggerConfig::default()).unwrap();
        assert!(index.nodes.len() > 128);
        let tickets = (0..120usize)
            .map(|t| {
                let text: Vec<&str> = (0..2 + t % 7).map(|k| w(t * 13 + k * k * 5 + k)).collect();
                let input = Input {
                    subject: None,
                    text: &text.join(" unrelated "),
                    analyses: None,
                };
                analyse(&index, &analyzer, &input, usize::MAX)
            })
            .collect();
        (index, tickets)
    }

    /// The capability candidates are those of summing each capability
    /// text's weight in the ticket's term order, taking each capability's
    /// best text, and sorting by coverage then capability: for limits kept
    /// as they come (up to 32) and selected (above), at any floor.
    #[test]
    fn capability_candidates_agree_with_a_plain_sort() {
        let (index, tickets) = large_product();
        let mut best = Vec::new();
        let mut seen_several = false;
        for terms in &tickets {
            let mut sums: Vec<(u32, f32)> = Vec::new();
            for &(t, _) in &terms.content {
                for posting in &index.capability_docs[index.capability_range(t)] {
                    match sums.iter_mut().find(|(d, _)| *d == posting.doc) {
                        Some((_, w)) => *w += index.idf[t as usize],
                        None => sums.push((posting.doc, index.idf[t as usize])),
                    }
                }
            }
            let mut per_node: Vec<(NodeId, f32)> = Vec::new();
            for &(d, w) in &sums {
                let mass = index.doc_mass[d as usize].max(f32::MIN_POSITIVE);
                let coverage = (w / mass).min(1.0);
                let node = index.docs[d as usize].node;
                match per_node.iter_mut().find(|(n, _)| *n == node) {
                    Some((_, c)) => *c = c.max(coverage),
                    None => per_node.push((node, coverage)),
                }
            }
            seen_several |= sums.len() > per_node.len();
            per_node.sort_by(|a, b| b.1.total_cmp(&a.1).then(a.0.cmp(&b.0)));
            for min_coverage in [0.0, 0.3, 0.5, 0.9] {
                for limit in [0, 1, 2, 5, 32, 33, 1000] {
                    let expected: Vec<(NodeId, f32)> = per_node
                        .iter()
                        .copied()
                        .filter(|&(_, c)| c >= min_coverage && c > 0.0)
                        .take(limit)
                        .collect();
                    capability_coverage(&index, terms, (min_coverage, limit), &mut best);
                    assert_eq!(best, expected, "limit {limit}, floor {min_coverage}");
                }
            }
        }
        assert!(seen_several, "no capability met through two texts");
    }

    /// In a product of more than 128 nodes, [`fit`] (which walks a small
    /// node's terms) is the share of the content mass a search per term
    /// finds, summed in the same order.
    #[test]
    fn fit_in_a_large_product_agrees_with_a_search_per_term() {
        let (index, tickets) = large_product();
        for terms in &tickets {
            for node in 0..index.nodes.len() as NodeId {
                let held: f32 = terms
                    .content
                    .iter()
                    .map(|&(t, _)| {
                        let holds = index.node_terms(node).binary_search(&t).is_ok();
                        if holds { index.idf[t as usize] } else { -0.0 }
                    })
                    .sum();
                let expected = if terms.content_mass > 0.0 {
                    (held / terms.content_mass).clamp(0.0, 1.0)
                } else {
                    0.0
                };
                assert_eq!(fit(&index, terms, node).to_bits(), expected.to_bits());
            }
        }
    }

    /// Keys order like `total_cmp` on the value, then the lower id first,
    /// and read back exactly; `keep_best` keeps the greatest keys in order,
    /// as a sort would.
    #[test]
    fn rank_keys_order_like_the_sort_they_replace() {
        let values = [
            -3.5f32,
            -0.0,
            0.0,
            f32::MIN_POSITIVE,
            1e-30,
            0.25,
            0.25,
            7.0,
            f32::MAX,
            -f32::MAX,
        ];
        let entries: Vec<(f32, u32)> = values
            .iter()
            .enumerate()
            .map(|(i, &v)| (v, (i as u32 * 7) % 5 + i as u32 / 5))
            .collect();
        for &(a, i) in &entries {
            assert_eq!(from_rank_key(rank_key(a, i)).0.to_bits(), a.to_bits());
            assert_eq!(from_rank_key(rank_key(a, i)).1, i);
            if a > 0.0 {
                assert_eq!(positive_rank_key(a, i), rank_key(a, i));
            }
            for &(b, j) in &entries {
                let by_sort = b.total_cmp(&a).then(i.cmp(&j)).reverse();
                assert_eq!(
                    rank_key(a, i).cmp(&rank_key(b, j)),
                    by_sort,
                    "{a} {i} / {b} {j}"
                );
            }
        }
        let mut sorted = entries.clone();
        sorted.sort_by(|a, b| b.0.total_cmp(&a.0).then(a.1.cmp(&b.1)));
        let mut best = [0u64; RIVALS];
        for &(v, id) in &entries {
            keep_best(&mut best, rank_key(v, id));
        }
        let kept: Vec<(u32, u32)> = best
            .iter()
            .map(|&k| from_rank_key(k))
            .map(|(v, id)| (v.to_bits(), id))
            .collect();
        let expected: Vec<(u32, u32)> = sorted[..RIVALS]
            .iter()
            .map(|&(v, id)| (v.to_bits(), id))
            .collect();
        assert_eq!(kept, expected);
        // A value above zero always has a key above an empty slot's.
        assert!(rank_key(f32::MIN_POSITIVE, u32::MAX) > 0);
    }
}
