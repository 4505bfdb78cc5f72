//! The kind's example classifier: the feature tagger itself, with one
//! feature per kind. One mechanism for features and kinds: the kinds'
//! example tickets and keywords become a [`Product`] (capability `kind`,
//! features `bug`, `feature_request`, ...), compiled by [`Tagger`], whose
//! confidences then weigh in next to the kind's cues.

use std::borrow::Cow;

use super::Kind;
use crate::error::Result;
use crate::product::{Capability, Feature, Product};
use crate::tagger::{TagOptions, Tagger, TaggerConfig};
use crate::ticket::Ticket;

/// How much of a ticket the classifier reads: long issues say what they
/// are in the title and the first lines; the rest is logs and detail.
pub(crate) const GIST_BYTES: usize = 2048;

/// The start of a ticket as the classifier reads it: at most
/// [`GIST_BYTES`], without the contents of fenced code blocks (logs and
/// code say little about the kind and much about the project).
/// Cost: linear in the bytes kept.
pub(crate) fn gist(text: &str) -> Cow<'_, str> {
    if text.len() <= GIST_BYTES && !text.contains("```") {
        return Cow::Borrowed(text);
    }
    let mut out = String::with_capacity(GIST_BYTES.min(text.len()) + 1);
    let mut in_code = false;
    for line in text.lines() {
        if line.trim_start().starts_with("```") {
            in_code = !in_code;
            continue;
        }
        if in_code {
            continue;
        }
        let room = GIST_BYTES.saturating_sub(out.len());
        if room == 0 {
            break;
        }
        let mut end = line.len().min(room);
        while !line.is_char_boundary(end) {
            end -= 1;
        }
        out.push_str(&line[..end]);
        out.push('\n');
    }
    Cow::Owned(out)
}

/// Kinds asked of the tagger per ticket: the runners-up beyond the best
/// two carry little weight, and each match costs its evidence.
const TOP_KINDS: usize = 2;

/// The feature tagger trained on the kinds' examples.
#[derive(Debug, Clone)]
pub(crate) struct KindClassifier {
    tagger: Tagger,
    /// How much a confidence of 1 adds to a kind's logit (a clear cue
    /// adds about 1).
    pub weight: f64,
}

/// The weight of the examples grows with their number: the 30 built-in
/// examples per kind weigh like two clear cues; hundreds of a user's own
/// tickets outweigh any generic cue.
fn weight_for(examples_per_kind: f64) -> f64 {
    (examples_per_kind / 15.0).clamp(2.0, 16.0)
}

impl KindClassifier {
    /// Compiles the examples and keywords of each kind (kinds with neither
    /// are left out). `None` when no kind has examples.
    pub fn new(
        language: crate::analysis::Language,
        labels: &[(Kind, Vec<String>, Vec<String>)],
    ) -> Result<Option<KindClassifier>> {
        if labels.iter().all(|(_, _, examples)| examples.is_empty()) {
            return Ok(None);
        }
        let mut capability = Capability::new("kind", "Kind");
        let (mut examples_total, mut kinds) = (0usize, 0usize);
        for (kind, keywords, examples) in labels {
            if examples.is_empty() {
                continue;
            }
            examples_total += examples.len();
            kinds += 1;
            let mut feature = Feature::new(kind.name(), kind.name());
            feature.keywords = keywords.clone();
            feature.examples = examples.iter().map(|e| gist(e).into_owned()).collect();
            capability = capability.feature(feature);
        }
        let product = Product::new("kinds", "Kinds")
            .language(language)
            .capability(capability);
        // Confidences only: evidence would cost allocations nobody reads.
        let mut config = TaggerConfig::default()
            .max_bytes(GIST_BYTES + 512)
            .max_matches(Kind::ALL.len())
            // The kinds' own tagger reads no signals: that would recurse.
            .signals(false);
        config.max_evidence = 0;
        let tagger = Tagger::builder().config(config).build(&product)?;
        Ok(Some(KindClassifier {
            tagger,
            weight: weight_for(examples_total as f64 / kinds.max(1) as f64),
        }))
    }

    /// The tagger's confidence per kind (index = `Kind as usize`), zero for
    /// kinds without examples.
    pub fn scores(&self, subject: Option<&str>, text: &str) -> [f64; 6] {
        let mut ticket = Ticket::new("", gist(text));
        if let Some(s) = subject {
            ticket = ticket.subject(s);
        }
        let tagged = self.tagger.tag_with(
            &ticket,
            &TagOptions::default().min_score(0.0).top(TOP_KINDS),
        );
        let mut out = [0.0f64; 6];
        for m in &tagged.matches {
            if let Some(kind) = m
                .feature
                .as_deref()
                .and_then(|f| Kind::ALL.iter().find(|k| k.name() == f))
            {
                out[*kind as usize] = out[*kind as usize].max(m.score);
            }
        }
        out
    }
}
