//! The compiled, immutable index a [`Tagger`](super::Tagger) searches.
//!
//! Every text of a node (its name, each keyword, each example, the
//! description) becomes a *document*: a set of weighted terms (stems and
//! bigrams of stems). Postings map each term to the documents holding it, so
//! tagging a ticket touches only the documents that share a term with it.
//! Multi-word keywords, names and exclusions also become *phrases*, found in
//! order.

use std::collections::HashMap;

use crate::analysis::{Analysis, Analyzer};
use crate::error::{Error, Result};
use crate::product::Product;
use crate::tagged::Source;

use super::TaggerConfig;
use super::vocab::{Mapped, TermId, Vocabulary};

/// Index of a node: capabilities first (in product order), then features.
pub(crate) type NodeId = u32;

#[derive(Debug, Clone)]
pub(crate) struct Node {
    pub capability: u32,
    pub feature: Option<u32>,
    /// For a feature, its capability's node; for a capability, itself.
    pub parent: NodeId,
}

#[derive(Debug, Clone, Copy)]
pub(crate) struct Doc {
    pub node: NodeId,
    pub source: Source,
    /// Index of the keyword / example within its node (0 for name and description).
    pub pattern: u32,
    /// Sum of the weights of the document's terms (for coverage).
    pub mass: f32,
    /// Euclidean norm of the document's term weights.
    pub norm: f32,
}

#[derive(Debug, Clone)]
pub(crate) struct Phrase {
    pub terms: Vec<TermId>,
    pub owners: Vec<PhraseOwner>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum PhraseOwner {
    /// A keyword or name of a node (the doc holding it).
    Doc(u32),
    /// An exclusion of a node.
    Exclude(NodeId),
    /// A product-wide exclusion.
    ExcludeAll,
}

#[derive(Debug, Clone, Default)]
pub(crate) struct Index {
    pub vocab: Vocabulary,
    pub nodes: Vec<Node>,
    pub docs: Vec<Doc>,
    /// Terms of each doc, sorted (CSR: `doc_terms_at[d]..doc_terms_at[d+1]`).
    pub doc_terms_at: Vec<u32>,
    pub doc_terms: Vec<TermId>,
    /// Postings (CSR by term): doc ids and weights.
    pub postings_at: Vec<u32>,
    pub postings_doc: Vec<u32>,
    pub postings_weight: Vec<f32>,
    /// Weight (IDF) of each term, unigrams then bigrams.
    pub idf: Vec<f32>,
    /// Bigram (a, b) -> term id.
    pub bigrams: HashMap<(TermId, TermId), TermId>,
    /// Phrases by first term.
    pub phrases_by_first: HashMap<TermId, Vec<u32>>,
    pub phrases: Vec<Phrase>,
    pub node_count: usize,
}

/// One analysed text of the product, before indexing.
struct PendingDoc {
    node: NodeId,
    source: Source,
    pattern: u32,
    terms: Vec<TermId>,
    /// The text was several words, to be found as a phrase.
    phrase: Option<Vec<TermId>>,
}

impl Index {
    pub fn compile(product: &Product, analyzer: &Analyzer, config: &TaggerConfig) -> Result<Index> {
        product.validate()?;
        let nodes_total = product.node_count();
        if nodes_total > config.max_nodes {
            return Err(Error::LimitExceeded {
                path: "capabilities".into(),
                what: "the number of capabilities and features",
                actual: nodes_total,
                limit: config.max_nodes,
            });
        }
        let mut index = Index {
            node_count: nodes_total,
            ..Index::default()
        };
        let mut analysis = Analysis::new();
        let mut pending: Vec<PendingDoc> = Vec::new();
        let mut excludes: Vec<(PhraseOwner, Vec<TermId>)> = Vec::new();

        // Capabilities first, so that a capability's node id is its index.
        for c in 0..product.capabilities.len() {
            index.nodes.push(Node {
                capability: c as u32,
                feature: None,
                parent: c as NodeId,
            });
        }
        let mut texts: Vec<(
            NodeId,
            &str,
            &str,
            &[String],
            &[String],
            Option<&String>,
            &[String],
        )> = Vec::new();
        for (c, cap) in product.capabilities.iter().enumerate() {
            texts.push((
                c as NodeId,
                &cap.id,
                &cap.name,
                &cap.keywords,
                &cap.examples,
                cap.description.as_ref(),
                &cap.exclude,
            ));
        }
        for (c, cap) in product.capabilities.iter().enumerate() {
            for (f, feature) in cap.features.iter().enumerate() {
                let node = index.nodes.len() as NodeId;
                index.nodes.push(Node {
                    capability: c as u32,
                    feature: Some(f as u32),
                    parent: c as NodeId,
                });
                texts.push((
                    node,
                    &feature.id,
                    &feature.name,
                    &feature.keywords,
                    &feature.examples,
                    feature.description.as_ref(),
                    &feature.exclude,
                ));
            }
        }
        let mut intern = |text: &str, vocab: &mut Vocabulary| -> Vec<TermId> {
            analyzer.analyze_into(
                clip_for_compile(text, config.max_pattern_bytes),
                &mut analysis,
            );
            analysis.iter().map(|token| vocab.intern(&token)).collect()
        };
        for (node, _id, name, keywords, examples, description, exclude) in texts {
            let terms = intern(name, &mut index.vocab);
            pending.push(doc(node, Source::Name, 0, terms, true));
            for (k, keyword) in keywords.iter().enumerate() {
                let terms = intern(keyword, &mut index.vocab);
                pending.push(doc(node, Source::Keyword, k as u32, terms, true));
            }
            for (e, example) in examples.iter().enumerate() {
                let terms = intern(example, &mut index.vocab);
                pending.push(doc(node, Source::Example, e as u32, terms, false));
            }
            if let Some(description) = description {
                let terms = intern(description, &mut index.vocab);
                pending.push(doc(node, Source::Description, 0, terms, false));
            }
            for phrase in exclude {
                let terms = intern(phrase, &mut index.vocab);
                excludes.push((PhraseOwner::Exclude(node), terms));
            }
        }
        for phrase in &product.exclude {
            let terms = intern(phrase, &mut index.vocab);
            excludes.push((PhraseOwner::ExcludeAll, terms));
        }
        let mut groups = Vec::new();
        for group in &product.synonyms {
            let phrases: Vec<Vec<TermId>> =
                group.iter().map(|s| intern(s, &mut index.vocab)).collect();
            groups.push(phrases);
        }
        for group in &groups {
            index.vocab.add_synonyms(group);
        }
        index.vocab.build_fuzzy_index();

        // Resolve synonyms inside product texts too, so both sides agree.
        let resolve = |terms: &mut Vec<TermId>, vocab: &Vocabulary| {
            let mut mapped: Vec<Mapped> = terms
                .iter()
                .enumerate()
                .map(|(i, &term)| Mapped {
                    term,
                    how: crate::tagged::How::Exact,
                    stop: vocab.is_stop(term),
                    tokens: (i as u32, i as u32 + 1),
                })
                .collect();
            vocab.resolve_synonyms(&mut mapped);
            *terms = mapped.into_iter().map(|m| m.term).collect();
        };
        for p in &mut pending {
            resolve(&mut p.terms, &index.vocab);
            if p.phrase.is_some() {
                p.phrase = Some(p.terms.clone());
            }
        }
        for (_, terms) in &mut excludes {
            resolve(terms, &index.vocab);
        }

        index.build_docs(pending, excludes);
        Ok(index)
    }

    fn build_docs(&mut self, pending: Vec<PendingDoc>, excludes: Vec<(PhraseOwner, Vec<TermId>)>) {
        let unigram_count = self.vocab.len();
        // Bigrams of consecutive content terms.
        let mut doc_term_lists: Vec<Vec<TermId>> = Vec::with_capacity(pending.len());
        for p in &pending {
            let mut terms: Vec<TermId> = p
                .terms
                .iter()
                .copied()
                .filter(|&t| !self.vocab.is_stop(t))
                .collect();
            let content: Vec<TermId> = terms.clone();
            for pair in content.windows(2) {
                let next = (unigram_count + self.bigrams.len()) as TermId;
                let id = *self.bigrams.entry((pair[0], pair[1])).or_insert(next);
                terms.push(id);
            }
            terms.sort_unstable();
            terms.dedup();
            doc_term_lists.push(terms);
        }
        let term_count = unigram_count + self.bigrams.len();

        // Node-level document frequency: how many nodes use each term.
        let mut df = vec![0u32; term_count];
        let mut last_node = vec![u32::MAX; term_count];
        for (p, terms) in pending.iter().zip(&doc_term_lists) {
            for &t in terms {
                if last_node[t as usize] != p.node {
                    last_node[t as usize] = p.node;
                    df[t as usize] += 1;
                }
            }
        }
        let n = self.node_count.max(1) as f32;
        self.idf = df
            .iter()
            .map(|&d| {
                if d == 0 {
                    0.0
                } else {
                    (1.0 + n / d as f32).ln()
                }
            })
            .collect();

        // Docs and their CSR term lists.
        self.doc_terms_at.push(0);
        for (p, terms) in pending.iter().zip(&doc_term_lists) {
            let mass: f32 = terms.iter().map(|&t| self.idf[t as usize]).sum();
            let norm = terms
                .iter()
                .map(|&t| self.idf[t as usize].powi(2))
                .sum::<f32>()
                .sqrt();
            self.docs.push(Doc {
                node: p.node,
                source: p.source,
                pattern: p.pattern,
                mass,
                norm,
            });
            self.doc_terms.extend_from_slice(terms);
            self.doc_terms_at.push(self.doc_terms.len() as u32);
        }

        // Postings by term (counting sort).
        let mut counts = vec![0u32; term_count + 1];
        for &t in &self.doc_terms {
            counts[t as usize + 1] += 1;
        }
        for i in 1..counts.len() {
            counts[i] += counts[i - 1];
        }
        self.postings_at = counts.clone();
        self.postings_doc = vec![0; self.doc_terms.len()];
        self.postings_weight = vec![0.0; self.doc_terms.len()];
        let mut fill = counts;
        for d in 0..self.docs.len() {
            let norm = self.docs[d].norm.max(f32::MIN_POSITIVE);
            for &t in
                &self.doc_terms[self.doc_terms_at[d] as usize..self.doc_terms_at[d + 1] as usize]
            {
                let slot = fill[t as usize] as usize;
                self.postings_doc[slot] = d as u32;
                self.postings_weight[slot] = self.idf[t as usize] / norm;
                fill[t as usize] += 1;
            }
        }

        // Phrases: multi-word names and keywords, and all exclusions.
        let mut by_terms: HashMap<Vec<TermId>, u32> = HashMap::new();
        let mut add_phrase = |index: &mut Index, terms: Vec<TermId>, owner: PhraseOwner| {
            if terms.is_empty() {
                return;
            }
            let id = *by_terms.entry(terms.clone()).or_insert_with(|| {
                index.phrases.push(Phrase {
                    terms: terms.clone(),
                    owners: Vec::new(),
                });
                let id = (index.phrases.len() - 1) as u32;
                index.phrases_by_first.entry(terms[0]).or_default().push(id);
                id
            });
            index.phrases[id as usize].owners.push(owner);
        };
        for (d, p) in pending.into_iter().enumerate() {
            if let Some(terms) = p.phrase.filter(|t| t.len() > 1) {
                add_phrase(self, terms, PhraseOwner::Doc(d as u32));
            }
        }
        for (owner, terms) in excludes {
            add_phrase(self, terms, owner);
        }
    }

    pub fn doc_terms(&self, doc: u32) -> &[TermId] {
        &self.doc_terms
            [self.doc_terms_at[doc as usize] as usize..self.doc_terms_at[doc as usize + 1] as usize]
    }

    pub fn postings(&self, term: TermId) -> (&[u32], &[f32]) {
        let (a, b) = (
            self.postings_at[term as usize] as usize,
            self.postings_at[term as usize + 1] as usize,
        );
        (&self.postings_doc[a..b], &self.postings_weight[a..b])
    }

    pub fn term_count(&self) -> usize {
        self.idf.len()
    }

    pub fn memory_usage(&self) -> usize {
        self.vocab.memory_usage()
            + self.nodes.len() * std::mem::size_of::<Node>()
            + self.docs.len() * std::mem::size_of::<Doc>()
            + (self.doc_terms_at.len()
                + self.doc_terms.len()
                + self.postings_at.len()
                + self.postings_doc.len())
                * 4
            + self.postings_weight.len() * 4
            + self.idf.len() * 4
            + self.bigrams.len() * 24
            + self
                .phrases
                .iter()
                .map(|p| 48 + p.terms.len() * 4 + p.owners.len() * 8)
                .sum::<usize>()
            + self.phrases_by_first.len() * 40
    }
}

fn doc(node: NodeId, source: Source, pattern: u32, terms: Vec<TermId>, phrase: bool) -> PendingDoc {
    PendingDoc {
        node,
        source,
        pattern,
        phrase: if phrase { Some(terms.clone()) } else { None },
        terms,
    }
}

fn clip_for_compile(text: &str, max: usize) -> &str {
    if text.len() <= max {
        return text;
    }
    let mut end = max;
    while !text.is_char_boundary(end) {
        end -= 1;
    }
    &text[..end]
}
