//! The kind of a ticket (one label): lexicon cues, structure (question
//! marks), the other signals, and a linear word model trained on the
//! kinds' example tickets.

use super::classifier::KindClassifier;
use super::lexicon::{Cue, Lexicon, Tokens, span_of};
use super::needs::cue_sum;
use super::negation::ShiftWords;
use super::sentiment::round;
use super::{Kind, KindMatch, Need, NeedMatch, SentimentScore};
use crate::span::Span;
use crate::tagged::{Field, How, Source};

/// The evidence a ticket with no cue at all still has for "other".
const OTHER_PRIOR: f64 = 0.6;
/// Cues in the subject (a title says what the ticket is) count double.
const SUBJECT_FACTOR: f64 = 2.0;
/// Evidence kept for the winning kind.
const MAX_EVIDENCE: usize = 6;

#[derive(Debug, Clone, Default)]
pub(crate) struct KindModel {
    pub lex: Lexicon,
    pub classifier: Option<KindClassifier>,
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

impl KindModel {
    #[allow(clippy::too_many_arguments)]
    pub fn read(
        &self,
        tokens: &Tokens<'_>,
        fields: &[(Field, &str)],
        shift: &ShiftWords,
        needs: &[NeedMatch],
        sentiment: &SentimentScore,
        features: &[u64],
    ) -> KindMatch {
        let n = Kind::ALL.len();
        let mut cues: Vec<Vec<(u32, f64, bool)>> = vec![Vec::new(); n];
        let mut evidence: Vec<Vec<(f64, Cue<'_>)>> = vec![Vec::new(); n];
        let mut covered = vec![0usize; n];
        self.lex.find(tokens, |hit| {
            let phrase = &self.lex.phrases[hit.phrase as usize];
            let label = phrase.label;
            if hit.start < covered[label] || shift.negator_before(tokens, hit.start).is_some() {
                return;
            }
            covered[label] = hit.end;
            let tok = &tokens.toks[hit.start];
            let in_subject = tok.field == Field::Subject;
            cues[label].push((hit.phrase, phrase.weight, in_subject));
            let cue = Cue::new(
                Source::Lexicon,
                &phrase.pattern,
                self.lex.how(hit, tokens),
                span_of(tokens, hit.start, hit.end),
                tok.field,
            );
            evidence[label].push((phrase.weight, cue));
        });
        let mut logits: Vec<f64> = cues.iter_mut().map(|c| cue_sum(c)).collect();
        // cue_sum gives the subject a quarter more; titles deserve double.
        for (label, c) in cues.iter().enumerate() {
            let subject: f64 = c.iter().filter(|c| c.2).map(|c| c.1).sum();
            logits[label] += subject * (SUBJECT_FACTOR - 1.25);
        }

        // Structure: sentences ending in a question mark.
        let q = Kind::Question as usize;
        let mut body_marks = 0;
        for &(field, text) in fields {
            for i in question_marks(text) {
                let w = if field == Field::Subject {
                    1.5
                } else {
                    body_marks += 1;
                    if body_marks == 1 { 0.8 } else { 0.3 }
                };
                if body_marks > 4 {
                    continue;
                }
                logits[q] += w;
                let cue = Cue::new(Source::Lexicon, "?", How::Exact, Span::new(i, i + 1), field);
                evidence[q].push((w, cue));
            }
        }

        // The other signals: service pains read as complaints, warm words
        // as praise.
        let service = needs
            .iter()
            .filter(|m| !m.need.is_product_need() || m.need == Need::Price)
            .map(|m| m.score)
            .fold(0.0, f64::max);
        if sentiment.score < 0.0 {
            logits[Kind::Complaint as usize] += service * (0.5 - sentiment.score);
        }
        // Product pains are what bug reports are about; missing functions
        // and effort are what feature requests are about.
        let strongest = |set: &[Need]| {
            needs
                .iter()
                .filter(|m| set.contains(&m.need))
                .map(|m| m.score)
                .fold(0.0, f64::max)
        };
        logits[Kind::Bug as usize] += 0.8
            * strongest(&[
                Need::Quality,
                Need::Reliability,
                Need::Performance,
                Need::Compatibility,
            ]);
        logits[Kind::FeatureRequest as usize] +=
            0.6 * strongest(&[Need::Capability, Need::Convenience, Need::Efficiency]);
        if sentiment.score < -0.3 {
            logits[Kind::Complaint as usize] += -sentiment.score - 0.3;
        }
        if sentiment.score > 0.3 {
            logits[Kind::Praise as usize] += 2.0 * (sentiment.score - 0.3);
        }
        logits[Kind::Other as usize] += OTHER_PRIOR;

        if let Some(classifier) = &self.classifier {
            let scores = classifier.scores(features);
            for (logit, score) in logits.iter_mut().zip(scores) {
                *logit += classifier.weight * score;
            }
        }

        let best = (0..n).fold(0, |b, k| if logits[k] > logits[b] { k } else { b });
        let max = logits[best];
        let total: f64 = logits.iter().map(|l| (l - max).exp()).sum();
        let mut ev = std::mem::take(&mut evidence[best]);
        ev.sort_by(|a, b| b.0.partial_cmp(&a.0).unwrap_or(std::cmp::Ordering::Equal));
        KindMatch {
            label: Kind::ALL[best],
            score: round(1.0 / total),
            evidence: ev
                .into_iter()
                .take(MAX_EVIDENCE)
                .map(|(_, cue)| cue.evidence())
                .collect(),
        }
    }
}
