//! The customer needs a ticket speaks to (multi-label).

use super::classifier::{OneVsRest, word_features};
use super::lexicon::{Cue, Lexicon, Tokens, span_of};
use super::negation::ShiftWords;
use super::sentiment::round;
use super::{Need, NeedMatch};
use crate::tagged::{How, Source};

/// A need fires at this score: one clear cue (weight 1) gives 0.63, a weak
/// cue (0.5) alone gives 0.39 and needs company.
pub(crate) const NEED_THRESHOLD: f64 = 0.5;
/// The least share of the strongest need's score a need that the cues
/// alone do not carry must reach to be reported.
const SIDE_RATIO: f64 = 0.9;
/// The pattern of the word model's evidence.
const MODEL_PATTERN: &str = "(word model)";
/// Evidence kept per need.
const MAX_EVIDENCE: usize = 6;

/// How much a set of cues adds up to: each distinct cue counts its weight,
/// repeats add a quarter each up to half again; cues in the subject count
/// a quarter more. Returned as `1 - exp(-sum)` in `[0, 1)`.
pub(crate) fn saturate(sum: f64) -> f64 {
    1.0 - (-sum).exp()
}

/// Sums cue weights with diminishing repeats. `cues` holds (phrase index,
/// weight, in subject) per hit.
pub(crate) fn cue_sum(cues: &mut [(u32, f64, bool)]) -> f64 {
    cues.sort_by_key(|c| c.0);
    let mut sum = 0.0;
    let mut i = 0;
    while i < cues.len() {
        let mut j = i;
        let mut subject = false;
        while j < cues.len() && cues[j].0 == cues[i].0 {
            subject |= cues[j].2;
            j += 1;
        }
        let repeats = (j - i - 1) as f64;
        let w = cues[i].1 * (1.0 + 0.25 * repeats).min(1.5);
        sum += if subject { w * 1.25 } else { w };
        i = j;
    }
    sum
}

#[derive(Debug, Clone, Default)]
pub(crate) struct NeedModel {
    pub lex: Lexicon,
    /// Per phrase: whether it names a pain ("crash", "too slow"), so that a
    /// negator before it denies the need ("no crashes"). Cues that name a
    /// function ("sync with") are pains when denied ("doesn't sync").
    pub pain: Vec<bool>,
    /// A word model per need, trained on the needs' cue phrases and example
    /// tickets: it reads phrasings the cues do not list.
    pub model: OneVsRest,
}

/// How much the word model's log-odds add to a need's cue sum when they
/// are above even (a clear cue adds 1): the model alone fires a need at
/// log-odds 0.7, and lifts a weak cue (0.4) from about 0.3 to fire.
const MODEL_WEIGHT: f64 = 1.0;

/// How much an example ticket counts in training against one cue phrase:
/// a whole ticket says more about its need than a two-word phrase, and a
/// user's single example must be able to teach a need on its own.
pub(crate) const EXAMPLE_WEIGHT: f64 = 3.0;

/// The training documents of the needs' word model: each cue phrase and
/// each example ticket, labelled with its need, and counter-examples
/// labelled with none. Cost: one analysis per document.
pub(crate) fn model_docs(
    analyzer: &crate::analysis::Analyzer,
    texts: impl Iterator<Item = (Option<usize>, String, f64)>,
) -> Vec<(Option<usize>, Vec<u64>, f64)> {
    let mut out = Vec::new();
    let mut f = Vec::new();
    for (label, text, weight) in texts {
        let text = text.replace('*', " ");
        let analysis = analyzer.analyze(&text);
        let mut tokens = Tokens::default();
        tokens.push_field(
            &super::lexicon::Vocab::default(),
            analyzer.language(),
            crate::tagged::Field::Text,
            &text,
            &analysis,
        );
        word_features(&tokens, |_| false, &mut f);
        if !f.is_empty() {
            out.push((label, f.iter().map(|x| x.0).collect(), weight));
        }
    }
    out
}

impl NeedModel {
    /// Adds the word model's say to each need's cue sum, with the words
    /// that said most as evidence. Cost: one hash lookup per word and
    /// word pair of the ticket.
    fn add_model<'p>(
        &'p self,
        tokens: &Tokens<'_>,
        denied: &[(usize, usize)],
        sums: &mut [f64],
        evidence: &mut [Vec<Cue<'p>>],
    ) {
        let mut features = Vec::new();
        word_features(
            tokens,
            |i| denied.iter().any(|d| d.0 <= i && i < d.1),
            &mut features,
        );
        const N: usize = Need::ALL.len();
        let n = N;
        let mut z = [0.0f32; N];
        // The strongest word per need: (weight, token).
        let mut top_w = [0.0f32; N];
        let mut top_tok = [0u32; N];
        // Each feature counts once, as in training: a bit per known feature.
        let mut seen = vec![0u64; self.model.features().div_ceil(64)];
        for &(h, tok) in &features {
            if let Some((id, row)) = self.model.row(h) {
                let (word, bit) = (id as usize / 64, 1u64 << (id % 64));
                if seen[word] & bit != 0 {
                    continue;
                }
                seen[word] |= bit;
                let row: &[f32; N] = match row.try_into() {
                    Ok(r) => r,
                    Err(_) => continue,
                };
                for k in 0..N {
                    z[k] += row[k];
                }
                for k in 0..N {
                    if row[k] > top_w[k] {
                        top_w[k] = row[k];
                        top_tok[k] = tok;
                    }
                }
            }
        }
        let bias = self.model.bias();
        for k in 0..n {
            let say = bias.get(k).copied().unwrap_or(0.0) + f64::from(z[k]);
            if say <= 0.0 || top_w[k] <= 0.0 {
                continue;
            }
            sums[k] += MODEL_WEIGHT * say;
            let tok = &tokens.toks[top_tok[k] as usize];
            if evidence[k].len() < MAX_EVIDENCE {
                evidence[k].push(Cue::new(
                    Source::Example,
                    MODEL_PATTERN,
                    How::Stem,
                    tok.span,
                    tok.field,
                ));
            }
        }
    }

    pub fn read(&self, tokens: &Tokens<'_>, shift: &ShiftWords) -> Vec<NeedMatch> {
        let mut cues: Vec<Vec<(u32, f64, bool)>> = vec![Vec::new(); Need::ALL.len()];
        let mut evidence: Vec<Vec<Cue<'_>>> = vec![Vec::new(); Need::ALL.len()];
        let mut covered = vec![0usize; Need::ALL.len()];
        // The longest phrase so far that reaches furthest: (end, length,
        // label). A cue inside a longer phrase of another need belongs to
        // that need ("fee" is a price word, "hidden fee" a fairness one).
        let mut cover = (0usize, 0usize, usize::MAX);
        // Tokens a negator denies: the word model does not read them either.
        let mut denied: Vec<(usize, usize)> = Vec::new();
        self.lex.find(tokens, |hit| {
            let phrase = &self.lex.phrases[hit.phrase as usize];
            let label = phrase.label;
            let len = hit.end - hit.start;
            if hit.end <= cover.0 && len < cover.1 && label != cover.2 {
                return;
            }
            if hit.end > cover.0 || (hit.end == cover.0 && len > cover.1) {
                cover = (hit.end, len, label);
            }
            // One stretch of words counts once per need (longest phrase).
            if hit.start < covered[label] {
                return;
            }
            if self.pain[hit.phrase as usize]
                && let Some(neg) = shift.negator_before(tokens, hit.start)
            {
                denied.push((neg, hit.end));
                return;
            }
            covered[label] = hit.end;
            let tok = &tokens.toks[hit.start];
            cues[label].push((
                hit.phrase,
                phrase.weight,
                tok.field == crate::tagged::Field::Subject,
            ));
            evidence[label].push(Cue::new(
                Source::Lexicon,
                &phrase.pattern,
                self.lex.how(hit, tokens),
                span_of(tokens, hit.start, hit.end),
                tok.field,
            ));
        });
        let mut sums: Vec<f64> = cues.iter_mut().map(|c| cue_sum(c)).collect();
        // Whether the cues alone make a need fire.
        let by_cues: Vec<bool> = sums
            .iter()
            .map(|s| saturate(*s) >= NEED_THRESHOLD)
            .collect();
        if !self.model.is_empty() {
            self.add_model(tokens, &denied, &mut sums, &mut evidence);
        }
        let scores: Vec<f64> = sums.into_iter().map(saturate).collect();
        // A need the cues alone do not carry, far weaker than the strongest,
        // is a side remark ("for this price I expected better" is about
        // quality): it must reach [`SIDE_RATIO`] of the strongest score.
        let top = scores.iter().copied().fold(0.0, f64::max);
        let mut out: Vec<NeedMatch> = Need::ALL
            .iter()
            .zip(scores)
            .zip(evidence)
            .zip(by_cues)
            .filter(|(((_, s), _), cued)| *s >= NEED_THRESHOLD && (*cued || *s >= SIDE_RATIO * top))
            .map(|(((need, score), evidence), _)| NeedMatch {
                need: *need,
                score: round(score),
                evidence: evidence
                    .into_iter()
                    .take(MAX_EVIDENCE)
                    .map(Cue::evidence)
                    .collect(),
            })
            .collect();
        // Strongest first; ties keep the stable order of `Need::ALL`.
        out.sort_by(|a, b| {
            b.score
                .partial_cmp(&a.score)
                .unwrap_or(std::cmp::Ordering::Equal)
        });
        out
    }
}
