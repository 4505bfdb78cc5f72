//! The customer needs a ticket speaks to (multi-label).

use super::classifier::{OneVsRest, word_features};
use super::lexicon::{Cue, Hit, Lexicon, LongestCover, Tokens, evidence_of, recycle, span_of};
use super::negation::ShiftWords;
use super::sentiment::round;
use super::{Kind, KindMatch, Need, NeedMatch};
use crate::tagged::{How, Name, Source};

/// A need fires at this score: one clear cue (weight 1) gives 0.63, a weak
/// cue (0.5) alone gives 0.39 and needs company.
pub(crate) const NEED_THRESHOLD: f64 = 0.5;
/// How many needs there are.
const N: usize = Need::ALL.len();
/// The pattern of the word model's evidence.
const MODEL_PATTERN: &str = "(word model)";
/// [`MODEL_PATTERN`], made once and shared by the evidence that cites it.
static MODEL_NAME: std::sync::LazyLock<Name> =
    std::sync::LazyLock::new(|| Name::from(MODEL_PATTERN));
/// Evidence kept per need.
const MAX_EVIDENCE: usize = 6;

/// How much a set of cues adds up to: each distinct cue counts its weight,
/// repeats add a quarter each up to half again (for the needs, of clear
/// cues only: see [`need_cue_sums`]); cues in the subject count a quarter
/// more. Returned as `1 - exp(-sum)` in `[0, 1)`.
pub(crate) fn saturate(sum: f64) -> f64 {
    // Most needs have no cue: `1 - exp(-0)` is exactly 0, without the call.
    if sum == 0.0 { 0.0 } else { 1.0 - (-sum).exp() }
}

/// The cue sum at which a need fires: [`saturate`] reaches
/// [`NEED_THRESHOLD`] (0.5) at `ln 2`.
const FIRING_SUM: f64 = std::f64::consts::LN_2;

/// Whether a need with cue sum `sum` fires: `saturate(sum) >=
/// NEED_THRESHOLD`, decided without the exponential unless `sum` lies
/// within rounding of [`FIRING_SUM`] (most sums are 0 or far from it).
fn fires(sum: f64) -> bool {
    if (sum - FIRING_SUM).abs() > 1e-9 {
        sum > FIRING_SUM
    } else {
        saturate(sum) >= NEED_THRESHOLD
    }
}

/// The needs with a non-zero sum, bit `k` for need `k`: the few that
/// [`NeedModel::read`] scores.
fn live(sums: &[f64; N]) -> u32 {
    let mut bits = 0u32;
    for (k, &s) in sums.iter().enumerate() {
        bits |= u32::from(s != 0.0) << k;
    }
    bits
}

/// The needs of `bits`, lowest first.
fn each_bit(mut bits: u32) -> impl Iterator<Item = usize> {
    std::iter::from_fn(move || {
        (bits != 0).then(|| {
            let k = bits.trailing_zeros() as usize;
            bits &= bits - 1;
            k
        })
    })
}

/// At most one clear cue's worth: a need said once, in passing.
const PASSING_SUM: f64 = 1.0;
/// Twice a clear cue: a need the ticket states firmly.
const FIRM_SUM: f64 = 2.0;

/// Whether a need of sum `sum`, not the ticket's strongest, is a remark in
/// passing beside the firmest need's `top_sum`: one clear cue (or two
/// weak ones) and no word of the ticket besides, naming no pain, while the
/// main need is said twice over (two clear cues, or a cue and the word
/// model's say) ("your update broke the sync with Outlook, we had to roll
/// back" is about compatibility, "roll back" is no wish for control).
/// A need said once in a ticket with no firm need stays.
fn in_passing(sum: f64, top_sum: f64) -> bool {
    sum <= PASSING_SUM && top_sum >= FIRM_SUM
}

/// The service needs about how the company treats the customer: whether
/// someone answers, what they are told, whether it is true, fair and
/// understood (options and control are what the customer may choose and
/// steer, closer to the product).
const CONDUCT: u32 = 1 << Need::Availability as usize
    | 1 << Need::Information as usize
    | 1 << Need::Honesty as usize
    | 1 << Need::Fairness as usize
    | 1 << Need::Understanding as usize;

/// The product needs a fault speaks to: something that happened (an
/// outage, a crash, a broken sync, a slow day), which a ticket may be
/// about or only tell as the occasion of something else.
const FAULT: u32 = 1 << Need::Quality as usize
    | 1 << Need::Compatibility as usize
    | 1 << Need::Performance as usize
    | 1 << Need::Reliability as usize;

/// Whether `need`, said once (`once`: one clear cue's worth, see
/// [`PASSING_SUM`]), is only the occasion of a ticket about the
/// company's conduct: a fault beside a conduct need, the only other need
/// that fires (`other`). "Other customers got a credit for the outage and we didn't"
/// is about fairness, "nobody told us the API was being retired until it
/// stopped working" about information: the outage is what they happened
/// over. A charge is a grievance of its own ("charged twice and nobody
/// answers"), and a ticket that names three needs or more lists
/// grievances, each its own.
fn occasion(need: Need, once: bool, other: Need) -> bool {
    once && FAULT >> need as usize & 1 == 1 && CONDUCT >> other as usize & 1 == 1
}

/// Sorts `spans` (token ranges, end exclusive) and merges those that
/// overlap or touch, so that they are disjoint and in text order.
/// Cost: a sort of the spans, which are few.
fn merge_spans(spans: &mut Vec<(usize, usize)>) {
    spans.sort_unstable();
    let mut kept = 0;
    for i in 0..spans.len() {
        let span = spans[i];
        if kept > 0 && span.0 <= spans[kept - 1].1 {
            spans[kept - 1].1 = spans[kept - 1].1.max(span.1);
        } else {
            spans[kept] = span;
            kept += 1;
        }
    }
    spans.truncate(kept);
}

/// One cue found in a ticket, for [`cue_sums`].
#[derive(Debug, Clone, Copy)]
pub(crate) struct CueHit {
    pub label: usize,
    pub phrase: u32,
    pub weight: f64,
    pub in_subject: bool,
}

/// Sums cue weights per label with diminishing repeats, each label's
/// distinct phrases in phrase order. `cues` comes in text order (a
/// phrase's first hit gives its weight); it is left sorted by label and
/// phrase. Labels at or beyond `L` are ignored.
/// Cost: a sort of the cues, which are few.
pub(crate) fn cue_sums<const L: usize>(cues: &mut [CueHit]) -> [f64; L] {
    sum_cues(cues, 0.0)
}

/// [`cue_sums`] for the needs: a weak cue (below weight 1) said again is
/// still a topic, not a need ("details ... details" in a long issue), so
/// only clear cues gain from repeats.
fn need_cue_sums(cues: &mut [CueHit]) -> [f64; N] {
    sum_cues(cues, 1.0)
}

/// Sums as [`cue_sums`] says, repeats counting only for cues of weight
/// `repeat_from` or more.
fn sum_cues<const L: usize>(cues: &mut [CueHit], repeat_from: f64) -> [f64; L] {
    let mut sums = [0.0; L];
    add_cue_sums(cues, repeat_from, &mut sums);
    sums
}

/// [`sum_cues`] into `sums` (all zero; labels beyond it are ignored). Out
/// of line: one copy of the sort and loop for the needs and the kinds,
/// not one a label count (code read for every ticket).
#[inline(never)]
fn add_cue_sums(cues: &mut [CueHit], repeat_from: f64, sums: &mut [f64]) {
    // Stable: repeats of a phrase keep text order.
    cues.sort_by_key(|c| (c.label, c.phrase));
    let mut i = 0;
    while i < cues.len() {
        let mut j = i;
        let mut subject = false;
        while j < cues.len() && cues[j].label == cues[i].label && cues[j].phrase == cues[i].phrase {
            subject |= cues[j].in_subject;
            j += 1;
        }
        let repeats = if cues[i].weight < repeat_from {
            0.0
        } else {
            (j - i - 1) as f64
        };
        let w = cues[i].weight * (1.0 + 0.25 * repeats).min(1.5);
        if let Some(sum) = sums.get_mut(cues[i].label) {
            *sum += if subject { w * 1.25 } else { w };
        }
        i = j;
    }
}

/// Scratch of a reading, kept (empty; the bitset all clear) between
/// tickets in the signals' one per-thread [`Scratch`](super::Scratch): a
/// reading allocates only what it returns.
#[derive(Debug, Default)]
pub(crate) struct Scratch {
    cues: Vec<CueHit>,
    evidence: Vec<(usize, Cue<'static>)>,
    denied: Vec<(usize, usize)>,
    model: ModelScratch,
}

/// The need model's part of [`Scratch`]: the ticket's word features and
/// the bitset of the known features seen.
#[derive(Debug, Default)]
struct ModelScratch {
    features: Vec<(u64, u32)>,
    seen: Vec<u64>,
    /// The ticket's known features, once each, with their token.
    known: Vec<(u32, u32)>,
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
    /// The needs the word model learnt from example tickets, bit `k` for
    /// need `k` (the others it knows from their cue phrases alone).
    pub taught: u32,
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
    /// word pair of the ticket. Out of line: inlined into the one body of
    /// a reading it ran ~0.4% more of the signals' instructions (the
    /// reading's registers are many).
    #[inline(never)]
    fn add_model<'p>(
        &'p self,
        tokens: &Tokens<'_>,
        denied: &[(usize, usize)],
        sums: &mut [f64; N],
        evidence: &mut Vec<(usize, Cue<'p>)>,
        ev_count: &mut [usize; N],
        scratch: &mut ModelScratch,
    ) {
        {
            let ModelScratch {
                features,
                seen,
                known,
            } = scratch;
            let next = std::cell::Cell::new(0usize);
            word_features(
                tokens,
                |i| {
                    // `i` only grows and the spans are disjoint and sorted
                    // ([`merge_spans`]): a cursor keeps the test linear.
                    let mut c = next.get();
                    while c < denied.len() && denied[c].1 <= i {
                        c += 1;
                    }
                    next.set(c);
                    c < denied.len() && denied[c].0 <= i
                },
                features,
            );
            let mut z = [0.0f32; N];
            // Each feature counts once, as in training: a bit per known
            // feature, cleared again below.
            let words = self.model.features().div_ceil(64);
            if seen.len() < words {
                seen.resize(words, 0);
            }
            known.clear();
            for &(h, tok) in features.iter() {
                let Some((id, row)) = self.model.row(h) else {
                    continue;
                };
                let Ok(row): Result<&[f32; N], _> = row.try_into() else {
                    continue;
                };
                let (word, bit) = (id as usize / 64, 1u64 << (id % 64));
                if seen[word] & bit != 0 {
                    continue;
                }
                seen[word] |= bit;
                for k in 0..N {
                    z[k] += row[k];
                }
                known.push((id, tok));
            }
            // Every bit set is a known feature's: cleared by the list.
            for &(id, _) in known.iter() {
                seen[id as usize / 64] = 0;
            }
            let bias = self.model.bias();
            for k in 0..N {
                let say = bias.get(k).copied().unwrap_or(0.0) + f64::from(z[k]);
                if say <= 0.0 {
                    continue;
                }
                // The strongest word of the need (the first of equals), for
                // the evidence: only for the needs the model speaks for.
                let mut top_w = 0.0f32;
                let mut top_tok = 0u32;
                for &(id, tok) in known.iter() {
                    let w = self
                        .model
                        .weights_of(id)
                        .and_then(|r| r.get(k))
                        .copied()
                        .unwrap_or(0.0);
                    if w > top_w {
                        top_w = w;
                        top_tok = tok;
                    }
                }
                if top_w <= 0.0 {
                    continue;
                }
                sums[k] += MODEL_WEIGHT * say;
                let tok = &tokens.toks[top_tok as usize];
                if ev_count[k] < MAX_EVIDENCE {
                    ev_count[k] += 1;
                    evidence.push((
                        k,
                        Cue::named(Source::Example, &MODEL_NAME, How::Stem, tok.span, tok.field),
                    ));
                }
            }
        }
    }

    /// `hits` are the needs lexicon's phrases found in `tokens`
    /// ([`CueTable::find`](super::lexicon::CueTable::find)). Returns the
    /// needs that fire and the needs said once (a sum of at most
    /// [`PASSING_SUM`]), bit `k` for need `k`, for [`in_light_of`].
    pub fn read(
        &self,
        tokens: &Tokens<'_>,
        hits: &[Hit],
        shift: &ShiftWords,
        scratch: &mut Scratch,
    ) -> (Vec<NeedMatch>, u32) {
        // Flat lists in text order (no allocation for a ticket without
        // cues), with a label per entry.
        let mut cues = std::mem::take(&mut scratch.cues);
        cues.clear();
        let mut evidence: Vec<(usize, Cue<'_>)> = recycle(std::mem::take(&mut scratch.evidence));
        let mut ev_count = [0usize; N];
        let mut covered = [0usize; N];
        // A cue inside a longer phrase of another label belongs to it.
        let mut cover = LongestCover::default();
        // Tokens a negator denies, shields and capability's wish frames:
        // the word model does not read them.
        let mut denied = std::mem::take(&mut scratch.denied);
        denied.clear();
        // The needs with a cue that names a pain ("crashes", "too slow").
        let mut named_pain = 0u32;
        for &hit in hits {
            let phrase = &self.lex.phrases[hit.phrase as usize];
            let label = phrase.label;
            if label >= N {
                continue;
            }
            if cover.hides(&hit, label) {
                continue;
            }
            // One stretch of words counts once per need (longest phrase).
            if hit.start < covered[label] {
                continue;
            }
            // A zero-weight phrase shields the words it holds ("if I close
            // my account" is the condition of a question, no wish to act):
            // no cue, no evidence, and the word model does not read them.
            if phrase.weight == 0.0 {
                covered[label] = hit.end;
                denied.push((hit.start, hit.end));
                continue;
            }
            if self.pain[hit.phrase as usize]
                && let Some(neg) = shift.negator_before(tokens, hit.start)
            {
                denied.push((neg, hit.end));
                continue;
            }
            covered[label] = hit.end;
            // Capability's weak phrases are wish frames ("would be nice",
            // "please add", "new feature"): they say something is wanted,
            // not which need, so the word model reads the thing wished
            // for, not them ("it would be great if there was a cheaper
            // plan" is about the plan, "love the new feature" asks for
            // nothing). They still count as cues. A weak word ("bulk",
            // "opción") is a topic, read as any word.
            if label == Need::Capability as usize && phrase.weight < 1.0 && hit.end - hit.start > 1
            {
                denied.push((hit.start, hit.end));
            }
            named_pain |= u32::from(self.pain[hit.phrase as usize]) << label;
            let tok = &tokens.toks[hit.start];
            cues.push(CueHit {
                label,
                phrase: hit.phrase,
                weight: phrase.weight,
                in_subject: tok.field == crate::tagged::Field::Subject,
            });
            ev_count[label] += 1;
            evidence.push((
                label,
                Cue::named(
                    Source::Lexicon,
                    &phrase.pattern,
                    self.lex.how(hit),
                    span_of(tokens, hit.start, hit.end),
                    tok.field,
                ),
            ));
        }
        merge_spans(&mut denied);
        let mut sums: [f64; N] = need_cue_sums(&mut cues);
        // The cues' sums, to tell whether the cues alone make a need fire.
        let by_cues = sums;
        if !self.model.is_empty() {
            self.add_model(
                tokens,
                &denied,
                &mut sums,
                &mut evidence,
                &mut ev_count,
                &mut scratch.model,
            );
        }
        // The needs with a cue or the model's say (sums are never
        // negative): the others score 0. Only these are scored, in a loop
        // over their bits rather than one unrolled over all sixteen, which
        // would spend kilobytes of code (an `exp` call site a need) on zeros.
        let live = live(&sums);
        let mut scores = [0.0f64; N];
        let mut top = 0.0f64;
        let mut top_sum = 0.0f64;
        for k in each_bit(live) {
            scores[k] = saturate(sums[k]);
            top = top.max(scores[k]);
            // The model's say makes a need firm only where it learnt the
            // need from whole tickets: taught by the cue phrases alone, it
            // repeats the cue it found ("nessuno risponde" lifts itself).
            let firm = if self.taught >> k & 1 == 1 {
                sums[k]
            } else {
                by_cues[k]
            };
            // Capability is the need of last resort (see [`in_light_of`]):
            // a wish said firmly ("would be nice to have a choice of
            // layouts") does not make the need it names a side remark.
            if k != Need::Capability as usize {
                top_sum = top_sum.max(firm);
            }
        }
        // A need the cues alone do not carry is the word model's reading
        // of the whole ticket: it names the ticket's main need or none. Any
        // weaker one is a side remark ("for this price I expected better"
        // is about quality; "handy to approve it from the email instead of
        // the portal" about convenience, not a choice of ways), so only
        // the strongest is reported. So is a need named once in passing
        // beside a need the ticket states firmly (see [`in_passing`]).
        let mut out: Vec<NeedMatch> = each_bit(live)
            .filter(|&k| {
                scores[k] >= NEED_THRESHOLD
                    && (fires(by_cues[k]) || scores[k] >= top)
                    && (scores[k] >= top
                        || named_pain >> k & 1 == 1
                        || !in_passing(sums[k], top_sum))
            })
            .map(|k| NeedMatch {
                need: Need::ALL[k],
                score: round(scores[k]),
                evidence: evidence_of(
                    &mut evidence.iter().filter(|e| e.0 == k).map(|e| &e.1),
                    MAX_EVIDENCE,
                ),
            })
            .collect();
        let said_once = out.iter().fold(0u32, |bits, m| {
            bits | u32::from(sums[m.need as usize] <= PASSING_SUM) << m.need as usize
        });
        // Strongest first; ties keep the stable order of `Need::ALL`.
        out.sort_by(|a, b| {
            b.score
                .partial_cmp(&a.score)
                .unwrap_or(std::cmp::Ordering::Equal)
        });
        cues.clear();
        denied.clear();
        scratch.cues = cues;
        scratch.evidence = recycle(evidence);
        scratch.denied = denied;
        (out, said_once)
    }
}

/// How sure the kind reader must be of a feature request before a
/// request that names no need is read as asking for a function
/// ([`in_light_of`]): a request it is unsure of may be a bug report or an
/// instruction ("please add Sam to our account").
const SURE_REQUEST: f64 = 0.7;

/// The needs in the light of the ticket's kind, read after both (the
/// kind reads the needs as they fired, and is not changed by this);
/// `said_once` as [`NeedModel::read`] returns it.
///
/// A fault told as the occasion of the company's conduct is dropped (see
/// [`occasion`]). Capability, a function the product lacks, is the need of last resort:
/// beside a need the ticket names it is dropped (a request for a language
/// option or a role is about options or control). And a feature request
/// asks for something: one the kind reader is sure of ([`SURE_REQUEST`])
/// that names no need asks for a missing function ("please make the
/// sidebar collapsible"), capability, with the request's confidence and
/// words as evidence.
pub(crate) fn in_light_of(
    kind: &KindMatch,
    mut needs: Vec<NeedMatch>,
    said_once: u32,
) -> Vec<NeedMatch> {
    if let [a, b] = &needs[..] {
        let (a, b) = (a.need, b.need);
        needs.retain(|m| {
            let other = if m.need == a { b } else { a };
            !occasion(m.need, said_once >> m.need as usize & 1 == 1, other)
        });
    }
    if needs.len() > 1 {
        needs.retain(|m| m.need != Need::Capability);
    } else if needs.is_empty() && kind.label == Kind::FeatureRequest && kind.score >= SURE_REQUEST {
        needs.push(NeedMatch {
            need: Need::Capability,
            score: kind.score,
            evidence: kind.evidence.clone(),
        });
    }
    needs
}

#[cfg(test)]
mod tests {
    use super::*;

    fn hit(label: usize, phrase: u32, weight: f64) -> CueHit {
        CueHit {
            label,
            phrase,
            weight,
            in_subject: false,
        }
    }

    #[test]
    fn a_weak_cue_said_again_does_not_fire() {
        // "details ... details ... details": a topic, not a need.
        let mut weak = vec![hit(0, 7, 0.5); 4];
        let sums = need_cue_sums(&mut weak);
        assert_eq!(sums[0], 0.5);
        assert!(!fires(sums[0]));
        // A clear cue said again gains, up to half again.
        let mut clear = vec![hit(1, 3, 1.0); 5];
        assert_eq!(need_cue_sums(&mut clear)[1], 1.5);
        // The kinds' sums keep the repeats of weak cues.
        let mut weak = vec![hit(0, 7, 0.5); 3];
        let sums: [f64; 2] = cue_sums(&mut weak);
        assert_eq!(sums[0], 0.75);
    }

    #[test]
    fn denied_spans_merge_into_disjoint_ones_in_order() {
        let mut spans = vec![(7, 9), (1, 3), (2, 5), (5, 6), (10, 11)];
        merge_spans(&mut spans);
        assert_eq!(spans, vec![(1, 6), (7, 9), (10, 11)]);
        let mut none = Vec::new();
        merge_spans(&mut none);
        assert!(none.is_empty());
    }

    #[test]
    fn fires_where_saturate_reaches_the_threshold() {
        assert!((saturate(FIRING_SUM) - NEED_THRESHOLD).abs() < 1e-12);
        for i in 0..=4000 {
            let sum = f64::from(i) * 0.001;
            assert_eq!(fires(sum), saturate(sum) >= NEED_THRESHOLD, "{sum}");
        }
        for sum in [
            FIRING_SUM,
            FIRING_SUM.next_up(),
            FIRING_SUM.next_down(),
            0.0,
            0.5,
            1.0,
        ] {
            assert_eq!(fires(sum), saturate(sum) >= NEED_THRESHOLD, "{sum}");
        }
    }
}
