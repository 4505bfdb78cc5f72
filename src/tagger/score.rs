//! Scoring one ticket against the compiled index.
//!
//! Cost: linear in the ticket's length for analysis, plus the postings of
//! the ticket's distinct terms (each term's postings are read once however
//! often the term repeats), plus the number of nodes touched. It does not
//! grow with the number of nodes the ticket shares no word with.

use std::cell::RefCell;

use crate::analysis::{Analysis, Analyzer, fold_into};
use crate::span::Span;
use crate::tagged::{Evidence, Field, How, Match, Source};

use super::Scoring;
use super::index::{Index, NodeId, PhraseOwner, weigh};
use super::vocab::{Mapped, TermId};

/// A ticket's words, mapped to terms, with where they came from.
#[derive(Debug, Default)]
pub(crate) struct TicketTerms {
    pub mapped: Vec<Mapped>,
    /// Every term of the ticket (stems and n-grams), with repeats.
    pub query: Vec<TermId>,
    /// Span and field of every analysed token (indexed by token number).
    pub token_spans: Vec<(Field, Span)>,
    /// Content words the product does not know.
    pub unknown_content: u32,
    pub truncated: bool,
}

/// A node that scored, with the example documents that carried it.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Scored {
    pub node: NodeId,
    pub score: f64,
}

/// Per-thread buffers, sized to the largest index used on the thread.
#[derive(Default)]
struct Scratch {
    node_score: Vec<NodeScore>,
    touched_nodes: Vec<NodeId>,
    hashes: Vec<u64>,
    analysis: Analysis,
}

#[derive(Debug, Clone, Copy, Default)]
struct NodeScore {
    logit: f32,
    phrase: bool,
    vetoed: bool,
    touched: bool,
}

thread_local! {
    static SCRATCH: RefCell<Scratch> = RefCell::new(Scratch::default());
}

/// The analysed input of one call.
pub(crate) struct Input<'a> {
    pub subject: Option<&'a str>,
    pub text: &'a str,
}

pub(crate) fn analyse(
    index: &Index,
    analyzer: &Analyzer,
    input: &Input<'_>,
    max_tokens: usize,
) -> TicketTerms {
    SCRATCH.with(|scratch| {
        let scratch = &mut *scratch.borrow_mut();
        let mut out = TicketTerms::default();
        let mut buffer = Vec::new();
        for (field, text) in [
            (Field::Subject, input.subject),
            (Field::Text, Some(input.text)),
        ] {
            let Some(text) = text else { continue };
            let budget = max_tokens.saturating_sub(out.token_spans.len());
            analyzer.analyze_into(text, &mut scratch.analysis);
            let analysis = &scratch.analysis;
            let taken = analysis.len().min(budget);
            out.truncated |= taken < analysis.len();
            index
                .vocab
                .map_tokens(analyzer, analysis.iter().take(taken), &mut buffer);
            // A gap of one token between fields keeps phrases and bigrams
            // from spanning subject and body.
            if !out.token_spans.is_empty() {
                out.token_spans.push((field, Span::default()));
            }
            let base = out.token_spans.len() as u32;
            let mut known = 0u32;
            for m in &buffer {
                let mut m = *m;
                if !m.stop {
                    known += m.tokens.1 - m.tokens.0;
                }
                m.tokens = (m.tokens.0 + base, m.tokens.1 + base);
                out.mapped.push(m);
            }
            let content = analysis.iter().take(taken).filter(|t| !t.stop).count() as u32;
            out.unknown_content += content.saturating_sub(known);
            out.token_spans
                .extend(analysis.iter().take(taken).map(|t| (field, t.span)));
            out.query.extend(buffer.iter().map(|m| m.term));
            for token in analysis.iter().take(taken) {
                index
                    .vocab
                    .grams_of(token.folded, &mut scratch.hashes, &mut out.query);
            }
        }
        out
    })
}

/// Scores every node the ticket reaches and returns those at or above
/// `min_score`, best first (ties to the earlier node), at most `top`.
pub(crate) fn score(
    index: &Index,
    scoring: &Scoring,
    terms: &TicketTerms,
    min_score: f64,
    top: usize,
) -> Vec<Scored> {
    SCRATCH.with(|scratch| {
        let s = &mut *scratch.borrow_mut();
        prepare(s, index);
        let query = weigh(&terms.query, &index.idf);
        for &(term, x) in &query {
            let (nodes, weights) = index.model.postings(term);
            for (&n, &w) in nodes.iter().zip(weights) {
                touch(s, n).logit += x * w;
            }
        }
        // Phrases in order: keywords and names found whole, and exclusions.
        for_each_phrase(index, terms, |owner, _start, _end| match owner {
            PhraseOwner::Doc(d) => {
                let doc = index.docs[d as usize];
                let node = touch(s, doc.node);
                if !node.phrase {
                    node.phrase = true;
                    node.logit += scoring.phrase_bonus;
                }
            }
            PhraseOwner::Exclude(n) => touch(s, n).vetoed = true,
            PhraseOwner::ExcludeAll => {
                for n in 0..index.node_count as NodeId {
                    touch(s, n).vetoed = true;
                }
            }
        });

        // The best few nodes by logit; their softmax (with a "none of them"
        // logit) is the confidence.
        let mut ranked: Vec<(f32, NodeId)> = Vec::new();
        for i in 0..s.touched_nodes.len() {
            let n = s.touched_nodes[i];
            let node = std::mem::take(&mut s.node_score[n as usize]);
            if !node.vetoed && node.logit > 0.0 {
                ranked.push((node.logit, n));
            }
        }
        s.touched_nodes.clear();
        ranked.sort_by(|a, b| b.0.total_cmp(&a.0).then(a.1.cmp(&b.1)));
        ranked.truncate(scoring.rivals);
        let Some(&(best, _)) = ranked.first() else {
            return Vec::new();
        };
        let total: f32 = ranked.iter().map(|(l, _)| (l - best).exp()).sum::<f32>()
            + (scoring.none_logit - best).exp();
        let mut out: Vec<Scored> = ranked
            .iter()
            .map(|&(logit, node)| Scored {
                node,
                score: f64::from((logit - best).exp() / total),
            })
            .filter(|m| m.score >= min_score && m.score > 0.0)
            .collect();
        out.truncate(top);
        out
    })
}

fn prepare(s: &mut Scratch, index: &Index) {
    if s.node_score.len() < index.nodes.len() {
        s.node_score.resize(index.nodes.len(), NodeScore::default());
    }
}

fn touch(s: &mut Scratch, node: NodeId) -> &mut NodeScore {
    let slot = &mut s.node_score[node as usize];
    if !slot.touched {
        slot.touched = true;
        s.touched_nodes.push(node);
    }
    slot
}

/// Calls `found(owner, first_token, end_token)` for every phrase occurrence
/// (each phrase reported once per ticket, at its first occurrence).
pub(crate) fn for_each_phrase(
    index: &Index,
    terms: &TicketTerms,
    mut found: impl FnMut(PhraseOwner, u32, u32),
) {
    if index.phrases.is_empty() {
        return;
    }
    let mut seen: Vec<u32> = Vec::new();
    let mapped = &terms.mapped;
    for i in 0..mapped.len() {
        let Some(candidates) = index.phrases_by_first.get(&mapped[i].term) else {
            continue;
        };
        for &p in candidates {
            let phrase = &index.phrases[p as usize];
            let len = phrase.terms.len();
            if i + len > mapped.len() || seen.contains(&p) {
                continue;
            }
            let window = &mapped[i..i + len];
            let in_order = window.iter().zip(&phrase.terms).all(|(m, &t)| m.term == t)
                && window.windows(2).all(|w| w[1].tokens.0 == w[0].tokens.1);
            if in_order {
                seen.push(p);
                for &owner in &phrase.owners {
                    found(owner, window[0].tokens.0, window[len - 1].tokens.1);
                }
            }
        }
    }
}

/// Builds the evidence of one matched node: whole phrases of its names and
/// keywords, then every ticket word that met a word of its name, keywords,
/// description or best examples.
pub(crate) fn evidence(
    index: &Index,
    product: &crate::Product,
    input: &Input<'_>,
    terms: &TicketTerms,
    scored: &Scored,
    max: usize,
) -> Vec<Evidence> {
    let node = scored.node;
    let mut out: Vec<(f32, Evidence)> = Vec::new();
    let mut phrase_docs: Vec<u32> = Vec::new();
    for_each_phrase(index, terms, |owner, start, end| {
        if let PhraseOwner::Doc(d) = owner
            && index.docs[d as usize].node == node
        {
            phrase_docs.push(d);
            let (field, first) = terms.token_spans[start as usize];
            let (_, last) = terms.token_spans[end as usize - 1];
            let doc = index.docs[d as usize];
            out.push((
                f32::MAX,
                Evidence {
                    source: doc.source,
                    pattern: pattern_text(product, index, doc.node, doc.source, doc.pattern)
                        .to_string(),
                    how: How::Phrase,
                    field,
                    span: Span::new(first.start, last.end),
                },
            ));
        }
    });
    let first_doc = index.docs.partition_point(|d| d.node < node);
    let last_doc = index.docs.partition_point(|d| d.node <= node);
    // Each text of the node with the ticket words it shares; only the two
    // examples sharing the most are kept.
    let mut per_doc: Vec<(f32, u32, Vec<&Mapped>)> = Vec::new();
    for d in first_doc..last_doc {
        let d = d as u32;
        if phrase_docs.contains(&d) {
            continue;
        }
        let doc_terms = index.doc_terms(d);
        let mut weight = 0.0;
        let mut hits: Vec<&Mapped> = Vec::new();
        for m in &terms.mapped {
            if !m.stop
                && doc_terms.binary_search(&m.term).is_ok()
                && !hits.iter().any(|h| h.term == m.term)
            {
                weight += index.idf[m.term as usize];
                hits.push(m);
            }
        }
        if !hits.is_empty() {
            per_doc.push((weight * source_rank(index.docs[d as usize].source), d, hits));
        }
    }
    per_doc.sort_by(|a, b| b.0.total_cmp(&a.0).then(a.1.cmp(&b.1)));
    let mut examples = 0;
    per_doc.retain(|(_, d, _)| {
        let is_example = index.docs[*d as usize].source == Source::Example;
        examples += usize::from(is_example);
        !is_example || examples <= 2
    });
    for (weight, d, hits) in per_doc {
        let doc = index.docs[d as usize];
        let pattern = pattern_text(product, index, doc.node, doc.source, doc.pattern);
        for m in hits {
            let (field, first) = terms.token_spans[m.tokens.0 as usize];
            let (_, last) = terms.token_spans[m.tokens.1 as usize - 1];
            let how = match m.how {
                How::Exact | How::Stem => {
                    let text = if field == Field::Subject {
                        input.subject.unwrap_or("")
                    } else {
                        input.text
                    };
                    let mut folded = String::new();
                    fold_into(&text[first.start..first.end], &mut folded);
                    if index.doc_has_word(d, &folded) {
                        How::Exact
                    } else {
                        How::Stem
                    }
                }
                other => other,
            };
            out.push((
                weight,
                Evidence {
                    source: doc.source,
                    pattern: pattern.to_string(),
                    how,
                    field,
                    span: Span::new(first.start, last.end),
                },
            ));
        }
    }
    // Strongest texts first; within one, text order. Each ticket span is
    // credited once, to the strongest text it met (a phrase covers its words).
    out.sort_by(|a, b| b.0.total_cmp(&a.0).then(a.1.span.cmp(&b.1.span)));
    let mut kept: Vec<Evidence> = Vec::with_capacity(max.min(out.len()));
    for (_, e) in out {
        if kept.len() == max {
            break;
        }
        let covered = kept.iter().any(|k| {
            k.field == e.field && k.span.start <= e.span.start && e.span.end <= k.span.end
        });
        if !covered {
            kept.push(e);
        }
    }
    kept
}

fn source_rank(source: Source) -> f32 {
    match source {
        Source::Keyword => 1.2,
        Source::Name => 1.1,
        Source::Example => 1.0,
        _ => 0.5,
    }
}

pub(crate) fn pattern_text<'p>(
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

/// Capability-level candidates: for each capability whose name, keywords or
/// examples share stems with the ticket, the best share of one such text's
/// weight found in the ticket (a whole phrase counts fully).
pub(crate) fn capability_coverage(index: &Index, terms: &TicketTerms) -> Vec<(NodeId, f32)> {
    if index.capability_docs.is_empty() {
        return Vec::new();
    }
    let mut found: Vec<(u32, f32)> = Vec::new();
    let mut seen: Vec<TermId> = Vec::new();
    for m in &terms.mapped {
        if m.stop || seen.contains(&m.term) {
            continue;
        }
        seen.push(m.term);
        if let Some(docs) = index.capability_docs.get(&m.term) {
            for &d in docs {
                let w = index.idf[m.term as usize];
                match found.iter_mut().find(|(doc, _)| *doc == d) {
                    Some(entry) => entry.1 += w,
                    None => found.push((d, w)),
                }
            }
        }
    }
    let mut best: Vec<(NodeId, f32)> = Vec::new();
    for (d, w) in found {
        let doc = index.docs[d as usize];
        let coverage = (w / index.doc_mass[d as usize].max(f32::MIN_POSITIVE)).min(1.0);
        match best.iter_mut().find(|(n, _)| *n == doc.node) {
            Some(entry) => entry.1 = entry.1.max(coverage),
            None => best.push((doc.node, coverage)),
        }
    }
    best.sort_by(|a, b| b.1.total_cmp(&a.1).then(a.0.cmp(&b.0)));
    best
}

/// Turns scored nodes into matches: capability-level matches only for
/// capabilities none of whose features matched.
pub(crate) fn to_matches(
    index: &Index,
    product: &crate::Product,
    input: &Input<'_>,
    terms: &TicketTerms,
    scored: &[Scored],
    max_evidence: usize,
) -> Vec<Match> {
    let mut out = Vec::with_capacity(scored.len());
    for this in scored {
        let (node, score) = (this.node, this.score);
        let n = &index.nodes[node as usize];
        let cap = &product.capabilities[n.capability as usize];
        out.push(Match {
            feature: n.feature.map(|f| cap.features[f as usize].id.clone()),
            capability: cap.id.clone(),
            score: (score * 1e4).round() / 1e4,
            evidence: evidence(index, product, input, terms, this, max_evidence),
        });
    }
    out
}
