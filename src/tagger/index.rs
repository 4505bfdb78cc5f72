//! The compiled, immutable index a [`Tagger`](super::Tagger) searches.
//!
//! Every text of a node (its name, each keyword, each example, the
//! description) is analysed into terms: stems and character 3/4-grams. The
//! texts train a [`Model`] (see [`super::train`]): weights by term and node,
//! kept as postings, so tagging a ticket touches only the postings of its
//! terms. The texts are also kept as *documents* (their stems and folded
//! words) to explain a match with evidence, and multi-word keywords, names
//! and exclusions become *phrases*, found in order.

use std::collections::HashMap;

use crate::analysis::{Analysis, Analyzer};
use crate::error::{Error, Result};
use crate::hash::{FNV_OFFSET, fnv1a};
use crate::product::Product;
use crate::tagged::{How, Source};

use super::TaggerConfig;
use super::score::{Input, analyse, vectorize};
use super::train::{Model, Sample, train};
use super::vocab::{Mapped, NO_WORD, TermId, Vocabulary, WordId};

/// Index of a node: capabilities first (in product order), then features.
pub(crate) type NodeId = u32;

/// A word's postings below this share of its strongest one are dropped:
/// on Banking77 ratios up to 0.2 left accuracy unchanged and cut the work
/// per ticket word by a third or more.
const WORD_PRUNE_RATIO: f32 = 0.15;

/// How much an unknown term weighs in a ticket's length, relative to the
/// rarest known term.
const UNKNOWN_SHARE: f32 = 0.5;

/// High bit of a word posting's node: the word's stem itself supports the node.
pub(crate) const STEM_HIT: NodeId = 1 << 31;

/// [`Index::node_term_docs`] of a node with too many texts for a mask.
pub(crate) const NO_DOC_MASK: u64 = 0;

/// A one-word phrase is this term (see [`Index::phrase_starts`]).
pub(crate) const STARTS_SINGLE: u8 = 1;
/// Some longer phrase starts with this term.
pub(crate) const STARTS_LONGER: u8 = 2;

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
}

/// A capability text holding a term ([`Index::capability_docs`]), with
/// what scoring it needs beside the term: its node and its mass
/// ([`Index::doc_mass`], at least `f32::MIN_POSITIVE`: a divisor), read
/// with it rather than from two arrays more.
#[derive(Debug, Clone, Copy, PartialEq)]
pub(crate) struct CapabilityDoc {
    pub doc: u32,
    pub node: NodeId,
    pub mass: f32,
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
    /// Stem terms of each doc, sorted (CSR: `doc_terms_at[d]..doc_terms_at[d+1]`).
    pub doc_terms_at: Vec<u32>,
    pub doc_terms: Vec<TermId>,
    /// Per node, the union of its docs' terms, sorted (CSR).
    pub node_terms: Vec<TermId>,
    pub node_terms_at: Vec<u32>,
    /// Parallel to `node_terms`: which of the node's texts hold the term
    /// (bit `i` is the node's `i`-th doc), or [`NO_DOC_MASK`] for a node of
    /// more than 64 texts.
    pub node_term_docs: Vec<u64>,
    /// Per stem term (indexed by term, up to the last one a node holds):
    /// bit `n % 128` set when node `n` holds the term. Exact for a product
    /// of at most 128 nodes; beyond, a clear bit still rules a node out
    /// and a set one is checked in the node's terms (see [`Index::node_holds`]).
    pub term_node_bits: Vec<u128>,
    /// The docs of each node (docs are in node order):
    /// `node_docs_at[n]..node_docs_at[n+1]`.
    pub node_docs_at: Vec<u32>,
    /// Hashes of the folded words of each doc, sorted (CSR like `doc_terms`),
    /// to tell exact from stemmed evidence.
    pub doc_words_at: Vec<u32>,
    pub doc_words: Vec<u64>,
    /// Weight of each term: `(ln(nodes / node frequency) + 1)^0.5`.
    pub idf: Vec<f32>,
    /// The trained weights, by term.
    pub model: Model,
    /// The same weights summed over each product word's terms (its stem and
    /// n-grams, times their IDF): one posting list per word, so a ticket word
    /// the product uses costs one short list. Nodes whose weight for the
    /// word's stem itself is positive carry [`STEM_HIT`].
    pub word_at: Vec<u32>,
    pub word_postings: Vec<(NodeId, f32)>,
    /// Squared length of each word's term vector.
    pub word_norm2: Vec<f32>,
    /// Squared weight of a term the product does not use: the largest IDF.
    pub unknown_weight2: f32,
    /// The weight of a ticket word no text of the product uses, in
    /// [`fit`](super::score::fit): the rarest IDF.
    pub unknown_idf: f32,
    /// Stem term -> capability docs holding it, for capability-level matches.
    /// (CSR by term: `capability_docs_at[t]..capability_docs_at[t + 1]`,
    /// docs in increasing order; empty when no capability has a text.)
    pub capability_docs: Vec<CapabilityDoc>,
    pub capability_docs_at: Vec<u32>,
    /// Sum of the term weights of each doc (its content stems' IDF).
    pub doc_mass: Vec<f32>,
    /// Multi-word phrases by their first two terms.
    pub phrases_by_pair: HashMap<(TermId, TermId), Vec<u32>, crate::hash::BuildFnv>,
    /// One-word phrases (keywords) by their term.
    pub phrases_by_first: HashMap<TermId, Vec<u32>, crate::hash::BuildFnv>,
    /// Per term: [`STARTS_SINGLE`] and [`STARTS_LONGER`] flags, so that the
    /// many ticket words that start no phrase cost no hash lookup.
    pub phrase_starts: Vec<u8>,
    pub phrases: Vec<Phrase>,
    pub node_count: usize,
}

/// One analysed text of the product, before indexing.
struct PendingDoc<'p> {
    text: &'p str,
    node: NodeId,
    source: Source,
    pattern: u32,
    /// Stem terms in text order.
    stems: Vec<TermId>,
    /// All terms (stems and n-grams), with repeats.
    terms: Vec<TermId>,
    words: Vec<u64>,
    /// The text was several words, to be found as a phrase.
    phrase: bool,
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
        // Capabilities first, so that a capability's node id is its index.
        for c in 0..product.capabilities.len() {
            index.nodes.push(Node {
                capability: c as u32,
                feature: None,
                parent: c as NodeId,
            });
        }
        let mut texts = Vec::new();
        for (c, cap) in product.capabilities.iter().enumerate() {
            texts.push((
                c as NodeId,
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
                    &feature.name,
                    &feature.keywords,
                    &feature.examples,
                    feature.description.as_ref(),
                    &feature.exclude,
                ));
            }
        }

        let mut analyzer_buffer = Analysis::new();
        let mut pending: Vec<PendingDoc> = Vec::new();
        let mut excludes: Vec<(PhraseOwner, Vec<TermId>)> = Vec::new();
        let mut reader = TextReader {
            analyzer,
            analysis: &mut analyzer_buffer,
            max_bytes: config.max_pattern_bytes,
        };
        for (node, name, keywords, examples, description, exclude) in texts {
            pending.push(reader.doc(&mut index.vocab, node, Source::Name, 0, name, true));
            for (k, keyword) in keywords.iter().enumerate() {
                pending.push(reader.doc(
                    &mut index.vocab,
                    node,
                    Source::Keyword,
                    k as u32,
                    keyword,
                    true,
                ));
            }
            for (e, example) in examples.iter().enumerate() {
                pending.push(reader.doc(
                    &mut index.vocab,
                    node,
                    Source::Example,
                    e as u32,
                    example,
                    false,
                ));
            }
            if let Some(description) = description {
                pending.push(reader.doc(
                    &mut index.vocab,
                    node,
                    Source::Description,
                    0,
                    description,
                    false,
                ));
            }
            for phrase in exclude {
                let doc = reader.doc(&mut index.vocab, node, Source::Keyword, 0, phrase, true);
                excludes.push((PhraseOwner::Exclude(node), doc.stems));
            }
        }
        for phrase in &product.exclude {
            let doc = reader.doc(&mut index.vocab, 0, Source::Keyword, 0, phrase, true);
            excludes.push((PhraseOwner::ExcludeAll, doc.stems));
        }
        let groups: Vec<Vec<Vec<TermId>>> = product
            .synonyms
            .iter()
            .map(|group| {
                group
                    .iter()
                    .map(|s| {
                        reader
                            .doc(&mut index.vocab, 0, Source::Keyword, 0, s, true)
                            .stems
                    })
                    .collect()
            })
            .collect();
        for group in &groups {
            index.vocab.add_synonyms(group);
        }
        index.vocab.build_fuzzy_index();
        index.vocab.build_bare_index();
        if analyzer.language() == crate::Language::German {
            index.vocab.forgive_umlaut_spellings();
        }
        if analyzer.language().writes_closed_compounds() {
            index.vocab.split_compounds();
        } else {
            index.vocab.split_katakana_compounds();
        }
        index
            .vocab
            .build_probe(analyzer.stop_words(), analyzer.stemmer());

        // Resolve synonyms inside product texts too, so both sides agree.
        for p in &mut pending {
            let before = p.stems.clone();
            resolve(&mut p.stems, &index.vocab);
            if before != p.stems {
                p.terms.retain(|t| !before.contains(t));
                p.terms.extend_from_slice(&p.stems);
            }
        }
        for (_, terms) in &mut excludes {
            resolve(terms, &index.vocab);
        }

        index.build(
            pending,
            excludes,
            &analyzer.clone().without_stemming(),
            config,
        );
        Ok(index)
    }

    fn build(
        &mut self,
        pending: Vec<PendingDoc<'_>>,
        excludes: Vec<(PhraseOwner, Vec<TermId>)>,
        analyzer: &Analyzer,
        config: &TaggerConfig,
    ) {
        let term_count = self.vocab.len();
        // Node-level document frequency: how many nodes use each term.
        let mut df = vec![0u32; term_count];
        let mut last_node = vec![u32::MAX; term_count];
        for p in &pending {
            for &t in &p.terms {
                if last_node[t as usize] != p.node {
                    last_node[t as usize] = p.node;
                    df[t as usize] += 1;
                }
            }
        }
        let n = self.node_count.max(1) as f32;
        self.unknown_weight2 = UNKNOWN_SHARE * (n.ln() + 1.0);
        self.unknown_idf = (n.ln() + 1.0).sqrt();
        self.idf = df
            .iter()
            .map(|&d| {
                if d == 0 {
                    0.0
                } else {
                    ((n / d as f32).ln() + 1.0).sqrt()
                }
            })
            .collect();

        // Training samples go through the very path tickets take, so both
        // sides agree on every term (synonyms, typos, n-grams).
        let samples: Vec<Sample> = pending
            .iter()
            .filter(|p| self.nodes[p.node as usize].feature.is_some())
            .filter_map(|p| {
                let input = Input {
                    subject: None,
                    text: clip_for_compile(p.text, config.max_pattern_bytes),
                    analyses: None,
                };
                let terms = analyse(self, analyzer, &input, usize::MAX);
                let features = vectorize(self, &terms);
                (!features.is_empty()).then_some(Sample {
                    node: p.node,
                    terms: features,
                })
            })
            .collect();
        // Capabilities do not compete with their own features in the
        // model; they are scored by coverage (see `capability_docs`).
        self.model = train(
            &samples,
            term_count,
            self.nodes.len(),
            config.max_postings_per_term,
        );
        self.build_word_postings(config.max_postings_per_term);

        // Docs for evidence.
        let mut capability_docs: HashMap<TermId, Vec<u32>, crate::hash::BuildFnv> =
            HashMap::default();
        self.doc_terms_at.push(0);
        self.doc_words_at.push(0);
        for p in &pending {
            self.docs.push(Doc {
                node: p.node,
                source: p.source,
                pattern: p.pattern,
            });
            let mut stems: Vec<TermId> = p
                .stems
                .iter()
                .copied()
                .filter(|&t| !self.vocab.is_stop(t))
                .collect();
            stems.sort_unstable();
            stems.dedup();
            self.doc_terms.extend_from_slice(&stems);
            self.doc_terms_at.push(self.doc_terms.len() as u32);
            self.doc_words.extend_from_slice(&p.words);
            self.doc_words_at.push(self.doc_words.len() as u32);
            let is_capability = self.nodes[p.node as usize].feature.is_none();
            let d = (self.docs.len() - 1) as u32;
            self.doc_mass
                .push(stems.iter().map(|&t| self.idf[t as usize]).sum());
            if is_capability {
                for &t in &stems {
                    capability_docs.entry(t).or_default().push(d);
                }
            }
        }

        // A term shared by many capabilities keeps the `cap` docs it covers
        // most (the lightest), so the work per ticket term stays bounded.
        let cap = config.max_postings_per_term;
        for docs in capability_docs.values_mut() {
            if docs.len() > cap {
                let mass = &self.doc_mass;
                docs.sort_by(|&a, &b| {
                    mass[a as usize]
                        .total_cmp(&mass[b as usize])
                        .then(a.cmp(&b))
                });
                docs.truncate(cap);
                docs.sort_unstable();
            }
        }
        // Flat, by term: a ticket term finds its docs without hashing.
        if !capability_docs.is_empty() {
            self.capability_docs_at.push(0);
            for t in 0..term_count as TermId {
                if let Some(docs) = capability_docs.get(&t) {
                    self.capability_docs
                        .extend(docs.iter().map(|&d| CapabilityDoc {
                            doc: d,
                            node: self.docs[d as usize].node,
                            mass: self.doc_mass[d as usize].max(f32::MIN_POSITIVE),
                        }));
                }
                self.capability_docs_at
                    .push(self.capability_docs.len() as u32);
            }
        }

        // Every node's terms: the union of its texts' (docs are in node
        // order).
        self.node_terms_at.push(0);
        self.node_docs_at.push(0);
        let mut union: Vec<(TermId, u64)> = Vec::new();
        let mut d = 0;
        for node in 0..self.nodes.len() as NodeId {
            union.clear();
            let first = d;
            while d < self.docs.len() && self.docs[d].node == node {
                let bit = if d - first < 64 {
                    1u64 << (d - first)
                } else {
                    0
                };
                union.extend(self.doc_terms(d as u32).iter().map(|&t| (t, bit)));
                d += 1;
            }
            union.sort_unstable();
            // One entry a term, with the mask of the node's texts holding it
            // (kept only for nodes of at most 64 texts).
            let masks = d - first <= 64;
            let mut k = 0;
            while k < union.len() {
                let (term, mut mask) = union[k];
                k += 1;
                while k < union.len() && union[k].0 == term {
                    mask |= union[k].1;
                    k += 1;
                }
                self.node_terms.push(term);
                if masks {
                    self.node_term_docs.push(mask);
                }
            }
            if !masks {
                self.node_term_docs
                    .resize(self.node_terms.len(), NO_DOC_MASK);
            }
            self.node_terms_at.push(self.node_terms.len() as u32);
            self.node_docs_at.push(d as u32);
        }
        let mut bits = Vec::new();
        for node in 0..self.nodes.len() as NodeId {
            for &term in self.node_terms(node) {
                let t = term as usize;
                if bits.len() <= t {
                    bits.resize(t + 1, 0);
                }
                bits[t] |= node_bit(node);
            }
        }
        self.term_node_bits = bits;

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
                match terms.as_slice() {
                    [single] => index.phrases_by_first.entry(*single).or_default().push(id),
                    [first, second, ..] => index
                        .phrases_by_pair
                        .entry((*first, *second))
                        .or_default()
                        .push(id),
                    [] => {}
                }
                id
            });
            index.phrases[id as usize].owners.push(owner);
        };
        for (d, p) in pending.into_iter().enumerate() {
            // Multi-word names and keywords; a one-word keyword too, since a
            // keyword states the product's intent even where training finds
            // the word shared by many nodes.
            let one_word_keyword = p.source == Source::Keyword
                && p.stems.len() == 1
                && self.vocab.is_evidential(p.stems[0]);
            if p.phrase && (p.stems.len() > 1 || one_word_keyword) {
                add_phrase(self, p.stems, PhraseOwner::Doc(d as u32));
            }
        }
        for (owner, terms) in excludes {
            add_phrase(self, terms, owner);
        }
        self.phrase_starts = vec![0; self.vocab.len()];
        for &t in self.phrases_by_first.keys() {
            if let Some(flags) = self.phrase_starts.get_mut(t as usize) {
                *flags |= STARTS_SINGLE;
            }
        }
        for &(t, _) in self.phrases_by_pair.keys() {
            if let Some(flags) = self.phrase_starts.get_mut(t as usize) {
                *flags |= STARTS_LONGER;
            }
        }
    }

    /// Sums the model's postings over each product word's terms.
    fn build_word_postings(&mut self, cap: usize) {
        let words = self.vocab.word_count();
        self.word_at = Vec::with_capacity(words + 1);
        self.word_at.push(0);
        self.word_norm2 = Vec::with_capacity(words);
        let mut merged: Vec<(NodeId, f32)> = Vec::new();
        let (mut word_node, mut word_weight): (Vec<NodeId>, Vec<f32>) = (Vec::new(), Vec::new());
        for w in 0..words as u32 {
            let info = self.vocab.word(w);
            merged.clear();
            let mut norm2 = 0.0;
            let mut terms: Vec<TermId> = self.vocab.word_grams(w).to_vec();
            terms.push(info.stem);
            terms.sort_unstable();
            let mut i = 0;
            while i < terms.len() {
                let t = terms[i];
                let mut count = 0.0;
                while i < terms.len() && terms[i] == t {
                    count += 1.0;
                    i += 1;
                }
                let x = count * self.idf[t as usize];
                norm2 += x * x;
                let (nodes, weights) = self.model.postings(t);
                let stem_hit = t == info.stem && self.vocab.is_evidential(t);
                for (&n, &weight) in nodes.iter().zip(weights) {
                    let flag = if stem_hit && weight > 0.0 {
                        STEM_HIT
                    } else {
                        0
                    };
                    merged.push((n | flag, x * weight));
                }
            }
            merged.sort_unstable_by_key(|&(n, _)| n & !STEM_HIT);
            let first = word_node.len();
            let mut last: Option<usize> = None;
            for &(n, weight) in &merged {
                match last {
                    Some(l) if word_node[l] & !STEM_HIT == n & !STEM_HIT => {
                        word_node[l] |= n & STEM_HIT;
                        word_weight[l] += weight;
                    }
                    _ => {
                        word_node.push(n);
                        word_weight.push(weight);
                        last = Some(word_node.len() - 1);
                    }
                }
            }
            // Drop what cannot move a ranking: entries far below the word's
            // strongest one (a stem hit always stays).
            let strongest = word_weight[first..]
                .iter()
                .fold(0f32, |m, w| m.max(w.abs()));
            let floor = strongest * WORD_PRUNE_RATIO;
            let mut keep = first;
            for k in first..word_node.len() {
                if word_weight[k].abs() >= floor || word_node[k] & STEM_HIT != 0 {
                    word_node[keep] = word_node[k];
                    word_weight[keep] = word_weight[k];
                    keep += 1;
                }
            }
            word_node.truncate(keep);
            word_weight.truncate(keep);
            // At most `cap` nodes a word, the strongest, so that the work per
            // ticket word is bounded whatever the product's size.
            if keep - first > cap {
                let mut entries: Vec<(NodeId, f32)> = word_node[first..]
                    .iter()
                    .copied()
                    .zip(word_weight[first..].iter().copied())
                    .collect();
                entries.sort_by(|a, b| b.1.abs().total_cmp(&a.1.abs()).then(a.0.cmp(&b.0)));
                entries.truncate(cap);
                entries.sort_by_key(|&(n, _)| n & !STEM_HIT);
                word_node.truncate(first);
                word_weight.truncate(first);
                for (n, w) in entries {
                    word_node.push(n);
                    word_weight.push(w);
                }
            }
            self.word_at.push(word_node.len() as u32);
            self.word_norm2.push(norm2);
        }
        // Node and weight side by side: the scoring loop reads both.
        self.word_postings = word_node.into_iter().zip(word_weight).collect();
    }

    pub fn word_postings(&self, word: WordId) -> &[(NodeId, f32)] {
        let (a, b) = (
            self.word_at[word as usize] as usize,
            self.word_at[word as usize + 1] as usize,
        );
        &self.word_postings[a..b]
    }

    /// The distinct non-stop terms of all of a node's texts, sorted.
    pub fn node_terms(&self, node: NodeId) -> &[TermId] {
        self.node_terms_with_docs(node).0
    }

    /// Whether any text of `node` holds stem term `term`: one bit test for
    /// a product of at most 128 nodes (no search, no data-dependent branch),
    /// else a search in the node's terms when the bit does not rule it out.
    #[inline]
    pub fn node_holds(&self, node: NodeId, term: TermId) -> bool {
        let maybe = self.term_has_node_bit(term, node_bit(node));
        if self.nodes.len() <= 128 {
            maybe
        } else {
            maybe && self.node_terms(node).binary_search(&term).is_ok()
        }
    }

    /// The bit of `node` in [`Index::term_node_bits`] when that bit alone
    /// says whether the node holds a term (products of at most 128 nodes);
    /// see [`Index::term_has_node_bit`].
    #[inline]
    pub fn node_bit_exact(&self, node: NodeId) -> Option<u128> {
        (self.nodes.len() <= 128).then(|| node_bit(node))
    }

    /// Whether term `term` has `bit` set in [`Index::term_node_bits`].
    #[inline]
    pub fn term_has_node_bit(&self, term: TermId, bit: u128) -> bool {
        self.term_node_bits
            .get(term as usize)
            .is_some_and(|&bits| bits & bit != 0)
    }

    /// The range of a node's docs in `docs`.
    pub fn node_docs(&self, node: NodeId) -> std::ops::Range<usize> {
        let n = node as usize;
        match (self.node_docs_at.get(n), self.node_docs_at.get(n + 1)) {
            (Some(&a), Some(&b)) => a as usize..b as usize,
            _ => 0..0,
        }
    }

    /// [`Index::node_terms`] with, for each, the mask of the node's texts
    /// holding it (all [`NO_DOC_MASK`] for a node of more than 64 texts).
    pub fn node_terms_with_docs(&self, node: NodeId) -> (&[TermId], &[u64]) {
        let n = node as usize;
        match (self.node_terms_at.get(n), self.node_terms_at.get(n + 1)) {
            (Some(&a), Some(&b)) => (
                &self.node_terms[a as usize..b as usize],
                &self.node_term_docs[a as usize..b as usize],
            ),
            _ => (&[], &[]),
        }
    }

    pub fn doc_terms(&self, doc: u32) -> &[TermId] {
        &self.doc_terms
            [self.doc_terms_at[doc as usize] as usize..self.doc_terms_at[doc as usize + 1] as usize]
    }

    /// Whether text `doc` holds `word` (folded here).
    pub fn doc_has_word(&self, doc: u32, word: &str) -> bool {
        self.doc_has_word_hash(doc, folded_word_hash(word))
    }

    /// Whether text `doc` holds the folded word of [`word_hash`] `hash`.
    pub fn doc_has_word_hash(&self, doc: u32, hash: u64) -> bool {
        let words = &self.doc_words[self.doc_words_at[doc as usize] as usize
            ..self.doc_words_at[doc as usize + 1] as usize];
        words.binary_search(&hash).is_ok()
    }

    pub fn memory_usage(&self) -> usize {
        self.vocab.memory_usage()
            + self.model.memory_usage()
            + (self.word_at.len() + 2 * self.word_postings.len() + self.word_norm2.len()) * 4
            + self.nodes.len() * std::mem::size_of::<Node>()
            + self.docs.len() * std::mem::size_of::<Doc>()
            + (self.doc_terms_at.len() + self.doc_terms.len() + self.doc_words_at.len()) * 4
            + self.doc_words.len() * 8
            + self.idf.len() * 4
            + self
                .phrases
                .iter()
                .map(|p| 48 + p.terms.len() * 4 + p.owners.len() * 8)
                .sum::<usize>()
            + (self.phrases_by_first.len() + self.phrases_by_pair.len()) * 40
            + self.node_term_docs.len() * 8
            + self.term_node_bits.len() * 16
            + self.phrase_starts.len()
            + self.capability_docs.len() * std::mem::size_of::<CapabilityDoc>()
            + self.capability_docs_at.len() * 4
    }

    /// Where the capability docs holding stem term `term` lie in
    /// [`Index::capability_docs`] (empty for a term without any).
    #[inline]
    pub fn capability_range(&self, term: TermId) -> std::ops::Range<usize> {
        let at = &self.capability_docs_at;
        match (at.get(term as usize), at.get(term as usize + 1)) {
            (Some(&a), Some(&b)) => a as usize..b as usize,
            _ => 0..0,
        }
    }
}

/// A node's bit in [`Index::term_node_bits`].
fn node_bit(node: NodeId) -> u128 {
    1u128 << (node % 128)
}

/// Analyses product texts into pending documents.
struct TextReader<'a> {
    analyzer: &'a Analyzer,
    analysis: &'a mut Analysis,
    max_bytes: usize,
}

impl TextReader<'_> {
    fn doc<'p>(
        &mut self,
        vocab: &mut Vocabulary,
        node: NodeId,
        source: Source,
        pattern: u32,
        text: &'p str,
        phrase: bool,
    ) -> PendingDoc<'p> {
        self.analyzer
            .analyze_into(clip_for_compile(text, self.max_bytes), self.analysis);
        let mut stems = Vec::with_capacity(self.analysis.len());
        let mut terms = Vec::with_capacity(self.analysis.len() * 8);
        let mut words = Vec::with_capacity(self.analysis.len());
        for token in self.analysis.iter() {
            let stem = vocab.intern(&token);
            stems.push(stem);
            terms.push(stem);
            if let Some(word) = vocab.lookup_surface(token.folded) {
                terms.extend_from_slice(vocab.word_grams(word));
            }
            words.push(word_hash(token.folded));
        }
        words.sort_unstable();
        words.dedup();
        PendingDoc {
            text,
            node,
            source,
            pattern,
            stems,
            terms,
            words,
            phrase,
        }
    }
}

fn resolve(terms: &mut Vec<TermId>, vocab: &Vocabulary) {
    let mut mapped: Vec<Mapped> = terms
        .iter()
        .enumerate()
        .map(|(i, &term)| Mapped {
            term,
            how: How::Exact,
            stop: vocab.is_stop(term),
            tokens: (i as u32, i as u32 + 1),
            word: NO_WORD,
        })
        .collect();
    vocab.resolve_synonyms(&mut mapped);
    *terms = mapped.into_iter().map(|m| m.term).collect();
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

/// FNV-1a: a fixed hash, so the index is the same on every run.
/// [`word_hash`] of the case-folded `word`, without building the folded
/// string when it is ASCII.
pub(crate) fn folded_word_hash(word: &str) -> u64 {
    if word.is_ascii() {
        return fnv1a(FNV_OFFSET, word.bytes().map(|b| b.to_ascii_lowercase()));
    }
    let mut folded = String::new();
    crate::analysis::fold_into(word, &mut folded);
    word_hash(&folded)
}

pub(crate) fn word_hash(word: &str) -> u64 {
    fnv1a(FNV_OFFSET, word.bytes())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::product::{Capability, Feature};

    /// A node's name and keywords are its first texts, the name first
    /// (`score::rests_on_a_passing_word` reads no further), and each
    /// capability posting carries its text's node and mass.
    #[test]
    fn names_and_keywords_come_first_and_postings_carry_their_text() {
        let product = Product::new("p", "P").capability(
            Capability::new("c", "Billing area")
                .keyword("invoice")
                .example("my invoice is wrong")
                .description("Everything about money")
                .keyword("refund policy")
                .feature(
                    Feature::new("f", "Refunds")
                        .example("give me my money back")
                        .keyword("refund"),
                ),
        );
        let analyzer = Analyzer::new(product.language);
        let index = Index::compile(&product, &analyzer, &TaggerConfig::default()).unwrap();
        for node in 0..index.nodes.len() as NodeId {
            let sources: Vec<Source> = index
                .node_docs(node)
                .map(|d| index.docs[d].source)
                .collect();
            assert_eq!(sources[0], Source::Name);
            let names = sources
                .iter()
                .take_while(|s| matches!(s, Source::Name | Source::Keyword))
                .count();
            assert!(
                sources[names..]
                    .iter()
                    .all(|s| !matches!(s, Source::Name | Source::Keyword))
            );
        }
        assert!(!index.capability_docs.is_empty());
        for posting in &index.capability_docs {
            let d = posting.doc as usize;
            assert_eq!(posting.node, index.docs[d].node);
            assert_eq!(posting.mass, index.doc_mass[d].max(f32::MIN_POSITIVE));
        }
    }

    /// Past 128 nodes the nodes' bits are shared; `node_holds` still says
    /// exactly what each node's terms say (at or under 128, the bit alone).
    #[test]
    fn node_holds_agrees_with_the_node_terms() {
        for features in [20, 300] {
            let mut cap = Capability::new("c", "Area");
            for f in 0..features {
                cap = cap.feature(
                    Feature::new(format!("f{f}"), format!("topic{} item{}", f % 37, f % 11))
                        .example(format!("refund{} card{}", f % 7, f % 13)),
                );
            }
            let product = Product::new("p", "P").capability(cap);
            let analyzer = Analyzer::new(product.language);
            let index = Index::compile(&product, &analyzer, &TaggerConfig::default()).unwrap();
            let mut terms = index.node_terms.clone();
            terms.sort_unstable();
            terms.dedup();
            terms.push(TermId::MAX);
            for node in 0..index.nodes.len() as NodeId {
                for &t in &terms {
                    let held = index.node_terms(node).binary_search(&t).is_ok();
                    assert_eq!(index.node_holds(node, t), held, "node {node}, term {t}");
                }
            }
        }
    }
}
