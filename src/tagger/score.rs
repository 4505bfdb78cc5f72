//! Scoring one ticket against the compiled index.
//!
//! Cost: linear in the ticket's length for analysis, plus the postings of
//! the ticket's distinct terms (each term's postings are read once however
//! often the term repeats), plus the number of nodes touched. It does not
//! grow with the number of nodes the ticket shares no word with.

use std::cell::RefCell;

use crate::analysis::{Analysis, Analyzer, Token};
use crate::span::Span;
use crate::tagged::{Evidence, Field, How, Match, Source};

use super::Scoring;
use super::index::{Index, NodeId, PhraseOwner};
use super::vocab::{Mapped, TermId};

/// A ticket's words, mapped to terms, with where they came from.
#[derive(Debug, Default)]
pub(crate) struct TicketTerms {
    pub mapped: Vec<Mapped>,
    /// Span and field of every analysed token (indexed by token number).
    pub token_spans: Vec<(Field, Span)>,
    /// Folded text of every token, for "exact" evidence.
    pub folded: Vec<Box<str>>,
    /// Content words the product does not know.
    pub unknown_content: u32,
    pub truncated: bool,
}

/// Per-thread buffers, sized to the largest index used on the thread.
#[derive(Default)]
struct Scratch {
    acc: Vec<f32>,
    cover: Vec<f32>,
    touched_docs: Vec<u32>,
    term_epoch: Vec<u32>,
    epoch: u32,
    node_score: Vec<NodeScore>,
    touched_nodes: Vec<NodeId>,
    query: Vec<(TermId, f32)>,
    analysis: Analysis,
}

#[derive(Debug, Clone, Copy, Default)]
struct NodeScore {
    example_best: f32,
    example_second: f32,
    keyword: f32,
    name: f32,
    description: f32,
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
            let tokens: Vec<Token<'_>> = scratch.analysis.iter().take(budget).collect();
            if tokens.len() < scratch.analysis.len() {
                out.truncated = true;
            }
            index.vocab.map_tokens(analyzer, &tokens, &mut buffer);
            let base = out.token_spans.len() as u32;
            // A gap of one token between fields keeps phrases and bigrams
            // from spanning subject and body.
            let base = if base > 0 { base + 1 } else { base };
            if base > 0 {
                out.token_spans.push((field, Span::default()));
                out.folded.push("".into());
            }
            let mut known = 0u32;
            for m in &buffer {
                let mut m = *m;
                if !m.stop {
                    known += m.tokens.1 - m.tokens.0;
                }
                m.tokens = (m.tokens.0 + base, m.tokens.1 + base);
                out.mapped.push(m);
            }
            let content = tokens.iter().filter(|t| !t.stop).count() as u32;
            out.unknown_content += content.saturating_sub(known);
            for token in &tokens {
                out.token_spans.push((field, token.span));
                out.folded.push(token.folded.into());
            }
        }
        out
    })
}

/// Scores every touched node and returns `(node, score)` for those at or
/// above `min_score`, best first, plus the raw evidence needed later.
pub(crate) fn score(
    index: &Index,
    scoring: &Scoring,
    terms: &TicketTerms,
    min_score: f64,
    top: usize,
) -> Vec<(NodeId, f64)> {
    SCRATCH.with(|scratch| {
        let s = &mut *scratch.borrow_mut();
        prepare(s, index);
        build_query(s, index, terms);
        let mut qnorm2: f32 = s.query.iter().map(|(_, w)| w * w).sum();
        qnorm2 += terms.unknown_content as f32 * scoring.unknown_word_weight.powi(2);
        let qnorm = qnorm2.sqrt().max(f32::MIN_POSITIVE);

        for &(term, weight) in &s.query {
            let (docs, weights) = index.postings(term);
            let idf = index.idf[term as usize]
                * (weight / index.idf[term as usize].max(f32::MIN_POSITIVE));
            for (&d, &w) in docs.iter().zip(weights) {
                let slot = d as usize;
                if s.acc[slot] == 0.0 && s.cover[slot] == 0.0 {
                    s.touched_docs.push(d);
                }
                s.acc[slot] += weight * w;
                s.cover[slot] += idf;
            }
        }

        for i in 0..s.touched_docs.len() {
            let d = s.touched_docs[i] as usize;
            let doc = index.docs[d];
            let cosine = (s.acc[d] / qnorm).min(1.0);
            let coverage = (s.cover[d] / doc.mass.max(f32::MIN_POSITIVE)).min(1.0);
            s.acc[d] = 0.0;
            s.cover[d] = 0.0;
            let node = touch(s, doc.node);
            match doc.source {
                Source::Example => {
                    if cosine > node.example_best {
                        node.example_second = node.example_best;
                        node.example_best = cosine;
                    } else if cosine > node.example_second {
                        node.example_second = cosine;
                    }
                }
                Source::Keyword => node.keyword = node.keyword.max(coverage * cosine.sqrt()),
                Source::Name => node.name = node.name.max(coverage * cosine.sqrt()),
                _ => node.description = node.description.max(cosine),
            }
        }
        s.touched_docs.clear();

        // Phrases in order: keywords and names found whole, and exclusions.
        for_each_phrase(index, terms, |owner, _start, _end| match owner {
            PhraseOwner::Doc(d) => {
                let doc = index.docs[d as usize];
                let node = touch(s, doc.node);
                node.phrase = true;
                match doc.source {
                    Source::Keyword => node.keyword = 1.0,
                    _ => node.name = 1.0,
                }
            }
            PhraseOwner::Exclude(n) => touch(s, n).vetoed = true,
            PhraseOwner::ExcludeAll => {
                for n in 0..index.node_count as NodeId {
                    touch(s, n).vetoed = true;
                }
            }
        });

        let mut out: Vec<(NodeId, f64)> = Vec::new();
        for i in 0..s.touched_nodes.len() {
            let n = s.touched_nodes[i];
            let node = std::mem::take(&mut s.node_score[n as usize]);
            if node.vetoed {
                continue;
            }
            let score = f64::from(scoring.combine(
                node.example_best,
                node.example_second,
                node.keyword,
                node.name,
                node.description,
            ));
            if score >= min_score && score > 0.0 {
                out.push((n, score));
            }
        }
        s.touched_nodes.clear();
        out.sort_by(|a, b| b.1.total_cmp(&a.1).then(a.0.cmp(&b.0)));
        out.truncate(top);
        out
    })
}

fn prepare(s: &mut Scratch, index: &Index) {
    if s.acc.len() < index.docs.len() {
        s.acc.resize(index.docs.len(), 0.0);
        s.cover.resize(index.docs.len(), 0.0);
    }
    if s.node_score.len() < index.nodes.len() {
        s.node_score.resize(index.nodes.len(), NodeScore::default());
    }
    if s.term_epoch.len() < index.term_count() {
        s.term_epoch.resize(index.term_count(), 0);
    }
    s.epoch = s.epoch.wrapping_add(1);
    if s.epoch == 0 {
        s.term_epoch.iter_mut().for_each(|e| *e = 0);
        s.epoch = 1;
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

/// Distinct content terms and bigrams of the ticket with their weights.
fn build_query(s: &mut Scratch, index: &Index, terms: &TicketTerms) {
    s.query.clear();
    let mut previous: Option<&Mapped> = None;
    for m in &terms.mapped {
        if m.stop {
            continue;
        }
        let weight = if m.how == How::Fuzzy { 0.8 } else { 1.0 };
        add_query_term(s, index, m.term, weight);
        if let Some(p) = previous
            && let Some(&bigram) = index.bigrams.get(&(p.term, m.term))
        {
            add_query_term(s, index, bigram, weight);
        }
        previous = Some(m);
    }
}

fn add_query_term(s: &mut Scratch, index: &Index, term: TermId, factor: f32) {
    let slot = &mut s.term_epoch[term as usize];
    if *slot == s.epoch {
        return;
    }
    *slot = s.epoch;
    let idf = index.idf[term as usize];
    if idf > 0.0 {
        s.query.push((term, idf * factor));
    }
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

/// Builds the evidence of one matched node: every ticket word that met a
/// word of the node's name, keywords or best examples, and whole phrases.
pub(crate) fn evidence(
    index: &Index,
    product: &crate::Product,
    terms: &TicketTerms,
    node: NodeId,
    max: usize,
) -> Vec<Evidence> {
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
    // Per document of the node: the ticket words it shares.
    let first_doc = index.docs.partition_point(|d| d.node < node);
    let mut d = first_doc;
    while d < index.docs.len() && index.docs[d].node == node {
        let doc = index.docs[d];
        let doc_terms = index.doc_terms(d as u32);
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
        if !hits.is_empty() && !phrase_docs.contains(&(d as u32)) {
            let pattern = pattern_text(product, index, doc.node, doc.source, doc.pattern);
            for m in hits {
                let (field, first) = terms.token_spans[m.tokens.0 as usize];
                let (_, last) = terms.token_spans[m.tokens.1 as usize - 1];
                let how = match m.how {
                    How::Exact
                        if !pattern_has_word(
                            index,
                            pattern,
                            &terms.folded[m.tokens.0 as usize],
                        ) =>
                    {
                        How::Stem
                    }
                    other => other,
                };
                out.push((
                    weight * source_rank(doc.source),
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
        d += 1;
    }
    // Strongest documents first; within one, text order.
    out.sort_by(|a, b| b.0.total_cmp(&a.0).then(a.1.span.cmp(&b.1.span)));
    out.truncate(max);
    out.into_iter().map(|(_, e)| e).collect()
}

fn source_rank(source: Source) -> f32 {
    match source {
        Source::Keyword => 1.2,
        Source::Name => 1.1,
        Source::Example => 1.0,
        _ => 0.5,
    }
}

fn pattern_has_word(_index: &Index, pattern: &str, folded: &str) -> bool {
    crate::analysis::words(pattern).any(|span| {
        let mut f = String::new();
        crate::analysis::fold_into(&pattern[span.range()], &mut f);
        f == folded
    })
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

/// Turns scored nodes into matches: capability-level matches only for
/// capabilities none of whose features matched.
pub(crate) fn to_matches(
    index: &Index,
    product: &crate::Product,
    terms: &TicketTerms,
    scored: &[(NodeId, f64)],
    max_evidence: usize,
) -> Vec<Match> {
    let mut out = Vec::with_capacity(scored.len());
    for &(node, score) in scored {
        let n = &index.nodes[node as usize];
        let cap = &product.capabilities[n.capability as usize];
        if n.feature.is_none()
            && scored
                .iter()
                .any(|&(other, _)| other != node && index.nodes[other as usize].parent == node)
        {
            continue;
        }
        out.push(Match {
            feature: n.feature.map(|f| cap.features[f as usize].id.clone()),
            capability: cap.id.clone(),
            score: (score * 1e4).round() / 1e4,
            evidence: evidence(index, product, terms, node, max_evidence),
        });
    }
    out
}
