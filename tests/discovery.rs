//! Discovery: recovery of deleted features, determinism, duplicates and
//! keyword advice.

use std::collections::BTreeMap;

use painpoint::discovery::{ThemeConfig, ThemeFinder, ThemeReport};
use painpoint::{Match, Product, TaggedTicket, Tagger, Ticket};

const B77_TAXONOMY: &str = include_str!("data/banking77/taxonomy_k10.json");
const B77_TICKETS: &str = include_str!("data/banking77/tickets.jsonl");
const B77_GOLD: &str = include_str!("data/banking77/gold.tsv");

#[derive(Clone, Copy, PartialEq)]
enum Pool {
    /// What the tagger leaves unmatched at its default threshold, plus what
    /// the configuration adds (weak matches, contrast).
    Unmatched,
    /// Exactly the deleted features' tickets: what a perfectly calibrated
    /// tagger would leave unmatched. Measures discovery alone.
    Oracle,
}

struct Recovery {
    deleted: Vec<String>,
    rows: Vec<Row>,
    report: ThemeReport,
}

/// One deleted feature: how well the best theme recovers it, and where its
/// tickets went.
struct Row {
    feature: String,
    /// All its tickets.
    all: usize,
    /// Those that reached discovery (pooled or recruited).
    pooled: usize,
    /// The best theme of purity >= 0.6: its share of all the feature's
    /// tickets, of the pooled ones, and its purity.
    share: f64,
    share_of_pooled: f64,
    purity: f64,
    /// The feature's tickets in the best theme, in its other themes of
    /// purity >= 0.6, in themes of lower purity (mostly other features'
    /// tickets), and pooled but in no theme. The rest never reached
    /// discovery: the tagger placed them confidently elsewhere.
    in_best: usize,
    in_other_pure: usize,
    in_mixed: usize,
    unthemed: usize,
    /// The theme holding most of the feature's tickets: those tickets, its
    /// size and its name.
    largest: (usize, usize, String),
}

impl Row {
    fn recovered(&self) -> bool {
        self.share >= 0.4
    }
}

/// Deletes the features chosen by `rule` (index in file order), tags every
/// ticket with the reduced taxonomy and finds themes with `config` among
/// the unmatched (and what `config` adds to them).
fn recovery(
    taxonomy: &str,
    tickets: &str,
    gold: &str,
    rule: impl Fn(usize) -> bool,
    pool: Pool,
    config: ThemeConfig,
) -> Recovery {
    let mut product: Product = serde_json::from_str(taxonomy).unwrap();
    let mut deleted = Vec::new();
    let mut index = 0;
    for cap in &mut product.capabilities {
        cap.features.retain(|f| {
            let keep = !rule(index);
            index += 1;
            if !keep {
                deleted.push(f.id.clone());
            }
            keep
        });
    }
    product.capabilities.retain(|c| !c.features.is_empty());
    let gold: BTreeMap<String, String> = gold
        .lines()
        .filter_map(|l| l.split_once('\t'))
        .map(|(id, f)| (id.to_string(), f.trim().to_string()))
        .collect();
    let tagger = Tagger::new(&product).unwrap();
    let pairs: Vec<(Ticket, TaggedTicket)> = tickets
        .lines()
        .filter(|l| !l.trim().is_empty())
        .map(|l| {
            let t: Ticket = serde_json::from_str(l).unwrap();
            let g = tagger.tag(&t);
            (t, g)
        })
        .collect();
    let finder = ThemeFinder::with_config(&product, config).unwrap();
    let report = match pool {
        Pool::Unmatched => finder.find(&pairs),
        Pool::Oracle => finder.find_tickets(
            pairs
                .iter()
                .map(|(t, _)| t)
                .filter(|t| gold.get(&t.id).is_some_and(|g| deleted.contains(g))),
        ),
    };
    let pooled: std::collections::BTreeSet<&str> = report
        .themes
        .iter()
        .flat_map(|t| t.ticket_ids.iter())
        .chain(report.unthemed.iter())
        .map(String::as_str)
        .collect();
    if let Some(show) = std::env::var_os("PAINPOINT_DUMP_THEMES") {
        dump_themes(&report, &pairs, &gold, &deleted, &show.to_string_lossy());
    }
    let mut rows = Vec::new();
    for f in &deleted {
        let all = gold.values().filter(|g| *g == f).count();
        let unmatched = pairs
            .iter()
            .filter(|(t, _)| gold.get(&t.id) == Some(f))
            .filter(|(t, _)| pooled.contains(t.id.as_str()))
            .count();
        let mut best = (0.0, 0.0, 0.0);
        let (mut in_best, mut in_pure, mut in_mixed) = (0, 0, 0);
        let mut largest = (0, 0, String::new());
        for theme in &report.themes {
            let hits = theme
                .ticket_ids
                .iter()
                .filter(|id| gold.get(*id) == Some(f))
                .count();
            let share = hits as f64 / all.max(1) as f64;
            let purity = hits as f64 / theme.count as f64;
            if hits > largest.0 {
                largest = (hits, theme.count, theme.name.clone());
            }
            if purity >= 0.6 {
                in_pure += hits;
                if share > best.0 {
                    best = (share, hits as f64 / unmatched.max(1) as f64, purity);
                    in_best = hits;
                }
            } else {
                in_mixed += hits;
            }
        }
        let unthemed = report
            .unthemed
            .iter()
            .filter(|id| gold.get(*id) == Some(f))
            .count();
        rows.push(Row {
            feature: f.clone(),
            all,
            pooled: unmatched,
            share: best.0,
            share_of_pooled: best.1,
            purity: best.2,
            in_best,
            in_other_pure: in_pure - in_best,
            in_mixed,
            unthemed,
            largest,
        });
    }
    Recovery {
        deleted,
        rows,
        report,
    }
}

/// Diagnostics for the recovery tests, printed when `PAINPOINT_DUMP_THEMES`
/// is set: each theme with its four largest gold features (deleted ones
/// starred); a theme whose name is the variable's value also lists its
/// tickets with their gold feature.
fn dump_themes(
    report: &ThemeReport,
    pairs: &[(Ticket, TaggedTicket)],
    gold: &BTreeMap<String, String>,
    deleted: &[String],
    show: &str,
) {
    let label = |id: &str| gold.get(id).map_or("?", String::as_str);
    if show == "UNTHEMED" {
        for (t, _) in pairs
            .iter()
            .filter(|(t, _)| report.unthemed.contains(&t.id))
        {
            if deleted.iter().any(|d| Some(d) == gold.get(&t.id)) {
                eprintln!("    unthemed {:<40} {}", label(&t.id), t.text);
            }
        }
    }
    for theme in &report.themes {
        let mut by: BTreeMap<&str, usize> = BTreeMap::new();
        for id in &theme.ticket_ids {
            *by.entry(label(id)).or_default() += 1;
        }
        let mut by: Vec<(usize, &str)> = by.into_iter().map(|(g, c)| (c, g)).collect();
        by.sort_by(|a, b| b.cmp(a));
        let parts: Vec<String> = by
            .iter()
            .take(4)
            .map(|&(c, g)| {
                let star = if deleted.iter().any(|d| d == g) {
                    "*"
                } else {
                    ""
                };
                format!("{star}{g}:{c}")
            })
            .collect();
        eprintln!(
            "theme {:<28} {:>3} {:?} {}",
            theme.name,
            theme.count,
            &theme.terms[..theme.terms.len().min(5)],
            parts.join(" ")
        );
        if theme.name == show {
            for (t, _) in pairs
                .iter()
                .filter(|(t, _)| theme.ticket_ids.contains(&t.id))
            {
                eprintln!("    {:<40} {}", label(&t.id), t.text);
            }
        }
    }
}

/// The fixed rule, stated before looking at any result: every 7th feature in
/// file order, starting with the first, ten of them.
fn every_seventh(i: usize) -> bool {
    i.is_multiple_of(7) && i < 70
}

/// How many deleted features some theme recovers: holds >= 40% of the
/// feature's tickets with purity >= 60%.
fn recovered(r: &Recovery) -> usize {
    for row in &r.rows {
        eprintln!(
            "{:<40} tickets {:>3} pooled {:>3} best theme: share {:.2} (of pooled {:.2}) \
             purity {:.2}; in best {}, other pure {}, mixed {}, unthemed {}",
            row.feature,
            row.all,
            row.pooled,
            row.share,
            row.share_of_pooled,
            row.purity,
            row.in_best,
            row.in_other_pure,
            row.in_mixed,
            row.unthemed
        );
    }
    r.rows.iter().filter(|row| row.recovered()).count()
}

#[test]
fn banking77_recovery_discovery_alone() {
    let r = recovery(
        B77_TAXONOMY,
        B77_TICKETS,
        B77_GOLD,
        every_seventh,
        Pool::Oracle,
        ThemeConfig::default(),
    );
    assert_eq!(r.deleted.len(), 10);
    assert_eq!(r.report.pool, 400);
    let found = recovered(&r);
    eprintln!(
        "recovered {found} of 10 (pool {}, {} themes)",
        r.report.pool,
        r.report.themes.len()
    );
    assert!(found >= 7, "recovered {found} of 10");
}

/// The issue's target, end to end: the pool is what the tagger leaves
/// unmatched at its default threshold, contrasted with the taxonomy and
/// re-tagged with the themes as would-be features
/// (`ThemeConfig::contrast(0.25).retag(true)`). Not met: 4 of 10
/// (pending_cash_withdrawal 0.55 at purity 0.85, lost_or_stolen_phone
/// 0.50 / 1.00, declined_transfer 0.53 / 0.88, verify_top_up 0.47 /
/// 0.90; top_up_by_cash_or_cheque 0.35 / 0.93, balance_not_updated_after_
/// bank_transfer 0.30 / 0.80 and card_arrival 0.20 / 0.89 are pure but
/// split; card_payment_not_recognised, transfer_timing and
/// topping_up_by_card have no theme of purity 0.6); over the seven
/// offsets 37 of 70 (38 before the keyboard rule for typos; contrast alone 4 of 10 and 31 of 70, see
/// `banking77_retag_over_seven_deletion_sets`). The same tickets given as
/// the pool (discovery alone) recover 8 of 10 (49 of 70). The pool holds
/// 60% of the deleted tickets and they are 31% of it (see
/// `banking77_pool_recall_and_dilution`); within it no per-ticket signal
/// separates a missing feature's tickets from the siblings' (AUC 0.5 to
/// 0.6 for score, fit, the closest node's cosine or the nearest confident
/// tickets' cosine), and over all matched tickets score x fit reaches
/// only AUC 0.78. Re-tagging
/// makes themes pure (the tagger reads phrases and the taxonomy's texts).
/// Where the tickets of the 32 features it misses over the seven offsets
/// go (printed by `banking77_retag_over_seven_deletion_sets`), of 1280:
/// 240 in their best pure theme, only 31 in other pure themes (a split
/// into pure paraphrase themes is rare), 442 in mixed themes (purity
/// below 0.6; often two deleted siblings in one theme: before the
/// tagger's coverage floor, "top cash" held 14 top_up_by_cash_or_cheque
/// and 14 topping_up_by_card tickets, "still waiting" 8 card_arrival and
/// 7 transfer_timing), 211 pooled but unthemed ("May I have another
/// card?" shares only "card" with the "second card" theme) and 356 never
/// pooled.
/// Themes with the same name (5 names, 8 pairs over the seven offsets,
/// e.g. two "verify my identity" at offset 1) are not merged because
/// their centroids differ (cosine 0.15 to 0.48 before re-tagging; merging
/// needs 0.5): a rare modifier outweighs the shared topic pair ("steps"
/// 0.78 against "identity" 0.30 in one, "ways", "method" in the other).
/// After re-tagging they converge (0.87) but nothing merges then. The
/// name is too coarse to merge on: the pair is often shared by distinct
/// intents ("card payment": pending against cancelled; "disposable
/// cards": how many against restrictions), and merging a pure theme with
/// a mixed one drops it below purity 0.6 (verify_my_identity: 14 of 23
/// and 7 of 19 give 21 of 42).
/// Rejected, sixth round (night of 2026-11-24): self-calibration of the
/// clustering knobs on the product's own features (built, then reverted;
/// retag figure 37 before, contrast alone 31). The confidently matched
/// tickets, labelled by their tagged node, were clustered with each
/// candidate `merge_similarity` (0.3 to 0.8) and `min_similarity` (0.15
/// to 0.45), scored by the target's own rule on the known nodes (a group
/// holding 40% of a node's sampled tickets at purity 0.6), and the best
/// setting applied to the pool. Samples: as many confident tickets as the
/// pool, strided (both knobs 37, merge only 36; the mean best share as
/// the score 35 / 36); all of them (35, merge only 33); the confident
/// tickets closest to the pool cut, one or two pools' worth (34 / 33);
/// every 3rd or 5th node's tickets plus as many or twice as many of the
/// others' (35 / 37, merge only 39); a simulated deletion, folds of the
/// nodes made unmatched among all confident tickets, the kept nodes'
/// lowest `weak_share` pooled and the rest rivals, as in the real pool (3
/// or 5 folds, both knobs 33 / 36; merge only, 3 or 7 folds, 40 / 39,
/// contrast alone 30 / 30); the most faithful, a deletion simulated
/// through the tagger (every 7th or 3rd feature of the product deleted in
/// turn, a tagger built without them tags the sample of confident
/// tickets, the pool and rivals formed from that tagging as in `find`):
/// merge only, 7 / 3 folds, 37 / 39 (contrast alone 33 with 7 folds),
/// both knobs 35 (contrast alone 33). That simulation agrees with the
/// default: it picks merge 0.5 or 0.4 on every offset with 7 folds (its
/// score peaks there, 0.3 and 0.7 to 0.8 lower), so it confirms the
/// hand-chosen value rather than improving on it. Why the rest fail:
/// confident tickets are closer paraphrases of their node than pooled
/// ones, so on a plain sample the calibration always wants tighter themes
/// (least cosine 0.35 to 0.45, merge 0.5 to 0.8) while the pool does best
/// with looser merging; and under the deletion simulated without the
/// tagger the score is flat (38 to 46 of about 77 nodes over every merge
/// from 0.4 to 0.8, only 0.3 and a least cosine of 0.45 clearly worse),
/// so the choice is noise: the same offset picks 0.5 with 3 folds and 0.4
/// with 7, and the 40 comes from one offset (5: 5 -> 8 at merge 0.4; so
/// does the tagger simulation's 39). What any choice of the two knobs
/// could give, fixed on gold over the seven offsets (merge 0.4 to 0.7 x
/// least cosine 0.2 to 0.4): 29 to 40 (merge 0.4 with 0.25 / 0.35: 39 /
/// 40; default 0.5 / 0.25: 37); the best per offset, chosen on gold, 43,
/// and offset 0 never above 4: these knobs are not what keeps the target
/// out of reach.
/// Ceilings, measured offline on the final themes of the seven offsets
/// (fifth round of 2026-11-24, gold labels choosing): the best union of
/// whole themes per deleted feature recovers 47 of 70 (offset 0: 7, only
/// by joining the mixed "top cash" to "top cheque"), merging only pure
/// themes of one feature 40 (offset 0: 5), every unthemed pooled ticket
/// put in its feature's best theme 51: merges cannot reach the target,
/// the pooled tickets no theme holds are the larger lever.
/// Rejected in that round (retag figure 37 before; measured offline on
/// the final assignment unless said built): merging theme pairs on the
/// pool's evidence, a shared-neighbour count (tickets whose ten nearest
/// tickets, cosine >= 0.2, reach both themes, over the smaller theme's
/// size) at 0.8 / 1.0 / 1.3 / 1.6 / 2.0: 22 / 27 / 34 / 37 / 38 (at
/// offset 0 it ranks card_arrival with the mixed "still waiting" and
/// mixed pairs first; "top cash" + "top cheque" and "balance transfer" +
/// "hours ago" are not in its first 25); the centroid cosine at 0.3 /
/// 0.4 / 0.5 / 0.6: 29 / 33 / 35 / 38; the same unions as parent themes
/// reported beside their children: 37 / 37 / 37 / 38 (shared neighbours
/// 0.8 to 1.6) and 39 / 38 / 37 (cosine 0.3 to 0.5); parents over the
/// themes sharing their top term (or one of their top two): 38 / 39;
/// unthemed pooled tickets joining the theme that holds most of their 5
/// or 10 nearest tickets (share 0.3 to 0.6): 37 to 39, the closest
/// centroid at cosine 0.15 / 0.2 / 0.25: 30 / 34 / 35; pooled tickets
/// keeping the theme re-tagging took from them: 37 (all tickets: 35);
/// stem synonymy by second-order co-occurrence (positive-PMI context
/// vectors over all 3,080 tickets' stems), not built: a stem's nearest
/// stems are its topic's neighbours, not its synonyms ("revert": frozen,
/// well, since; "cheque": submit, nothing, update; "cash": withdraw,
/// atm), and "revoked" is in one ticket. Built: in re-tagging, a pooled
/// ticket goes to a theme that is the tagger's runner-up within 0.8 / 0.6
/// / 0.4 of a product node's score: 38 / 38 / 37; seed pairs scored
/// within the pool (its own document frequencies) or against the pool's
/// expected count rather than the whole ticket set's: 35 / 37 (contrast
/// alone 30 / 30, was 31).
/// Rejected on the seven offsets, fourth round of 2026-11-24 (retag figure
/// 37 before; per-offset misses printed with `PAINPOINT_DUMP_MISSED`):
/// merging split themes by their tickets' nearest *original* nodes (the
/// reduced taxonomy's tagger, `min_score(0)`, best node or best three
/// weighted by score; cosine of the themes' node histograms) was measured
/// offline at offset 0 and not built: the wrong pairs rank first ("top
/// cash" with "verify the top" 0.82, "top cheque" 0.60; "balance transfer"
/// with "hours ago" not in the first 40 pairs); the themes' centroid
/// cosine after re-tagging ranks them no better ("top cash" with "verify
/// the top" 0.46, with "top cheque" 0.41; "ordered a card" with "card you
/// sent" and "balance transfer" with "hours ago" below 0.2). Pooled
/// tickets re-tagged with `min_score` 0, 0.1 or 0.2 (a theme ranked first
/// keeps them below the threshold): 38 each, unthemed 220 -> 206 (the
/// re-tagging tagger ranks a product node first for most unthemed ones:
/// "My top-up was revoked" beside "app reverted"); after re-tagging,
/// unthemed pooled tickets joining their closest theme by cosine over
/// their rival bar (x 1.0 / 0.8, least cosine 0.25 / 0.35): 36 / 37 / 35
/// / 37 (purity falls); a theme's examples as 5 / 15 / 20 / 50 of its
/// tickets instead of the product's median (10): 29 / 35 / 34 / 25; its
/// examples spread evenly over its tickets by closeness instead of the
/// closest: 36; the re-tagging bar for confident tickets 0 / 0.3 / 0.7
/// (0.5): 37 / 37 / 36 (the tagger, not the bar, turns them away); three
/// re-taggings 37, with relaxed pooled tickets 37, one re-tagging with them
/// 38; no recruited ticket kept after re-tagging: 14 (recruits carry most
/// recovered shares). Near misses at the seven offsets are pure themes of
/// 12 to 15 tickets with 5 to 14 of the feature's tickets unthemed, worded
/// with words the theme does not hold ("revoked", "canceled" beside
/// "reverted"; "can't get money out of the ATM" beside "withdraw
/// declined"): a synonym the pool never pairs.
/// Rejected on the seven offsets, third round of 2026-11-24 (retag figure,
/// 37 before): after the last re-tagging, merging two themes when each is
/// the other's runner-up feature (the first feature other than its own in
/// the re-tagging tagger's ranking, threshold 0) for a share of the smaller
/// theme's tickets: at 0.25, 28 (offset 0 gains one, "top cash" with "top
/// cheque" recovers top_up_by_cash_or_cheque, but chains fuse mixed
/// themes elsewhere); at 0.4, 36; at 0.6 and 0.9, 36.
/// Rejected on the seven offsets (+-2 is noise), round of 2026-11-24
/// (retag figure, 38 before): bisecting a theme by one of its centroid's
/// stems (tickets holding it against the rest, each part at least
/// `min_size`), the stem chosen by (a) the lowest cosine between the two
/// parts' summed vectors without that stem, split below 0.4 / 0.5 / 0.6:
/// before re-tagging 37 / 37 / 35 (36 to 38 with one more assignment
/// round), after it with one or two more re-taggings 37 / 35 / 33; (b) a
/// within-theme co-occurrence proxy, the stem with the most other stems
/// associated with it (G test, p < 0.001, at least two partners): 37
/// before re-tagging, 39 after (one partner 33, p < 0.01 with three 37).
/// The fused themes do not split on a word: "top cash" (15
/// top_up_by_cash_or_cheque, 9 topping_up_by_card at offset 0) is "top
/// up with cash" against "how can I top up?", the card side has no word
/// of its own, and a split by "cash" keeps 13 of the 15, still below 16;
/// what misses the target at offset 0 is mostly a feature split over
/// pure paraphrase themes ("top cash" + "top cheque", "bank transfer" +
/// "hours ago", card_arrival over four themes), which no split fixes.
/// Also rejected: a ticket joins a theme only when it shares two of the
/// centroid's stems (all assignment passes; 31). Set
/// `PAINPOINT_DUMP_THEMES` to print each theme's gold make-up (its value,
/// a theme name, also lists that theme's tickets; `UNTHEMED` lists the
/// deleted features' pooled tickets no theme holds) and `PAINPOINT_OFFSET`
/// (0 to 6) to run this test on another deletion set.
/// Rejected in the round before (retag figure,
/// was 37): merging themes with the same name before re-tagging (33);
/// merging centroids after each re-tagging at `merge_similarity` (34; at
/// 0.7, 38); merging themes the re-tagging tagger finds torn (second match
/// at 0.8 of the best: one or two tickets a run, 37); re-tagging every
/// pooled ticket, near a theme or not (37); a theme's examples taken from
/// its pooled tickets first (33; CLINC150 33 of 45, was 35); adjacent
/// content-stem bigrams as extra terms (26); no `max_df` cut under
/// contrast (36); no torn-ticket merges (36), or only from tickets
/// sharing two stems with both groups (36). Earlier rounds: residual
/// pooling, node-histogram and co-occurrence joins;
/// weighting stems new to the taxonomy's texts; node-text rival centroids;
/// a second contrast pass without the themed tickets; kNN pool-density
/// filtering; label propagation on a kNN graph; stricter recruiting;
/// splitting large themes in two; ejecting a theme's members of one node
/// when, as a group, they are closer to that node's unthemed tickets than
/// to the rest of the theme (ejects almost nothing: 26 / 33); rival
/// centroids from the upper half of each node's scores (24 / 34).
/// Run with `--ignored`.
#[test]
#[ignore = "4 of 10 (37 of 70 over seven deletions): mixed themes and tickets never pooled"]
fn banking77_recovery_end_to_end() {
    let r = recovery(
        B77_TAXONOMY,
        B77_TICKETS,
        B77_GOLD,
        |i| {
            let offset = std::env::var("PAINPOINT_OFFSET")
                .ok()
                .and_then(|v| v.parse().ok())
                .unwrap_or(0);
            i % 7 == offset && i < 70
        },
        Pool::Unmatched,
        ThemeConfig::default().contrast(0.25).retag(true),
    );
    let found = recovered(&r);
    eprintln!(
        "recovered {found} of 10 (pool {}, {} recruited, {} themes)",
        r.report.pool,
        r.report.recruited,
        r.report.themes.len()
    );
    assert!(found >= 7, "recovered {found} of 10");
}

/// What contrast adds, over the seven deletion sets: pooling the lowest
/// 25% of matched tickets (by score x fit) without contrast recovers 21
/// of 70 (by score alone, 15); contrasting the same pool with the taxonomy's confident tickets
/// recovers 30 (18 and 31 before the tagger's coverage floor left more
/// tickets unmatched). A floor, so a change that loses the gain fails here.
#[test]
fn banking77_contrast_beats_a_score_threshold() {
    let plain: usize = over_seven_deletion_sets(&ThemeConfig::default().weak_share(0.25))
        .iter()
        .sum();
    let contrast: usize = over_seven_deletion_sets(&ThemeConfig::default().contrast(0.25))
        .iter()
        .sum();
    eprintln!("weak share: {plain} of 70, contrast: {contrast} of 70");
    assert!(contrast >= 30 && contrast > plain, "{contrast} vs {plain}");
}

fn banking_pairs() -> (Product, Vec<(Ticket, TaggedTicket)>) {
    let product: Product = serde_json::from_str(B77_TAXONOMY).unwrap();
    let tagger = Tagger::new(&product).unwrap();
    let pairs = B77_TICKETS
        .lines()
        .filter(|l| !l.trim().is_empty())
        .map(|l| {
            let t: Ticket = serde_json::from_str(l).unwrap();
            let g = tagger.tag(&t);
            (t, g)
        })
        .collect();
    (product, pairs)
}

#[test]
fn themes_do_not_depend_on_input_order() {
    let (product, pairs) = banking_pairs();
    let finder =
        ThemeFinder::with_config(&product, ThemeConfig::default().weak_share(0.3)).unwrap();
    let first = serde_json::to_string(&finder.find(&pairs)).unwrap();
    let mut shuffled: Vec<&(Ticket, TaggedTicket)> = pairs.iter().collect();
    shuffled.reverse();
    shuffled.rotate_left(1234);
    // A fixed interleaving too: odd positions first.
    let (odd, even): (Vec<_>, Vec<_>) = shuffled.iter().enumerate().partition(|(i, _)| i % 2 == 1);
    let shuffled: Vec<&(Ticket, TaggedTicket)> =
        odd.into_iter().chain(even).map(|(_, p)| *p).collect();
    let second = serde_json::to_string(&finder.find(shuffled.iter().copied())).unwrap();
    assert!(first.len() > 1000, "a real report: {first}");
    assert_eq!(first, second);
    let finder = ThemeFinder::with_config(&product, ThemeConfig::default().contrast(0.2)).unwrap();
    let first = serde_json::to_string(&finder.find(&pairs)).unwrap();
    let second = serde_json::to_string(&finder.find(shuffled.iter().copied())).unwrap();
    assert!(first.contains("\"recruited\""), "{first}");
    assert_eq!(first, second);
    let config = ThemeConfig::default().contrast(0.2).retag(true);
    let finder = ThemeFinder::with_config(&product, config).unwrap();
    let retagged = serde_json::to_string(&finder.find(&pairs)).unwrap();
    assert_ne!(retagged, first, "re-tagging changed nothing");
    assert_eq!(
        retagged,
        serde_json::to_string(&finder.find(shuffled)).unwrap()
    );
}

#[test]
fn theme_json_has_the_roadmap_fields_and_the_snippet_pastes() {
    let (mut product, pairs) = banking_pairs();
    let finder =
        ThemeFinder::with_config(&product, ThemeConfig::default().weak_share(0.2)).unwrap();
    let report = finder.find(&pairs);
    assert!(!report.themes.is_empty());
    assert_eq!(report.themed + report.unthemed.len(), report.pool);
    let json: serde_json::Value = serde_json::to_value(&report.themes[0]).unwrap();
    for field in [
        "name",
        "terms",
        "count",
        "customers",
        "ticket_ids",
        "snippet",
    ] {
        assert!(json.get(field).is_some(), "missing {field} in {json}");
    }
    let theme = &report.themes[0];
    assert_eq!(theme.count, theme.ticket_ids.len());
    assert!(
        theme
            .representatives
            .iter()
            .all(|r| theme.ticket_ids.contains(r))
    );
    // The snippet is a valid feature whose id is new to the product.
    let snippet: painpoint::Feature = serde_json::from_value(json["snippet"].clone()).unwrap();
    assert!(!snippet.keywords.is_empty() && !snippet.examples.is_empty());
    product.capabilities[0].features.push(snippet);
    product.validate().unwrap();
    // Larger first.
    assert!(report.themes.windows(2).all(|w| w[0].count >= w[1].count));
}

#[test]
fn themes_have_trends_and_customers() {
    use painpoint::Timestamp;
    let product = Product::new("p", "P");
    let day = |d: u32| Timestamp::from_date(2024, 3, d).unwrap();
    let mut tickets = Vec::new();
    for i in 0..6u32 {
        tickets.push(
            Ticket::new(
                format!("w{i}"),
                format!("the dark mode toggle is missing, case {i}"),
            )
            .customer(format!("c{}", i % 4))
            .created_at(day(1 + i * 3)),
        );
    }
    for i in 0..5 {
        tickets.push(Ticket::new(
            format!("x{i}"),
            format!("invoice pdf export fails with error {i}"),
        ));
    }
    tickets.push(Ticket::new("lone", "what a lovely day"));
    let report = ThemeFinder::new(&product).find_tickets(&tickets);
    assert_eq!(report.themes.len(), 2, "{report:#?}");
    let dark = &report.themes[0];
    assert_eq!(dark.name, "dark mode");
    assert_eq!(dark.count, 6);
    assert_eq!(dark.customers, 4);
    let weeks: Vec<(&str, usize)> = dark
        .trend
        .iter()
        .map(|w| (w.week.as_str(), w.count))
        .collect();
    // 2024-03-01 (Fri, W09), 04 (W10), 07 (W10), 10 (Sun, W10), 13 (W11), 16 (W11).
    assert_eq!(weeks, [("2024-W09", 1), ("2024-W10", 3), ("2024-W11", 2)]);
    let invoice = &report.themes[1];
    assert_eq!(invoice.count, 5);
    assert_eq!(invoice.customers, 5);
    assert!(invoice.trend.is_empty());
    assert_eq!(report.unthemed, ["lone"]);
}

#[test]
fn duplicate_clusters() {
    use painpoint::discovery::DuplicateFinder;
    let mut tickets = vec![
        // One customer writing three times about the same thing.
        Ticket::new("a1", "The export to PDF button does nothing when I click it").customer("ann"),
        Ticket::new("a2", "export to PDF button does nothing when I click it, again!").customer("ann"),
        Ticket::new("a3", "Hello? The export to PDF button still does nothing when I click").customer("ann"),
        // A thread: the reply quotes the original under "On ... wrote:".
        Ticket::new("t1", "I was charged twice for my March subscription, please refund one").customer("bob"),
        Ticket::new(
            "t2",
            "Any news on this?\n\nOn Tue, 5 Mar 2024, Bob wrote:\n> I was charged twice for my March subscription, please refund one",
        )
        .customer("bob"),
        // Unrelated tickets that share words but are different issues.
        Ticket::new("u1", "How do I export my contacts to a CSV file?").customer("cid"),
        Ticket::new("u2", "The PDF invoice has the wrong address on it").customer("dan"),
        Ticket::new("u3", "Please refund my annual plan, I cancelled yesterday").customer("eve"),
    ];
    // A copy-paste storm from many customers.
    for i in 0..25 {
        tickets.push(
            Ticket::new(
                format!("s{i:02}"),
                "URGENT: your app deleted all my photos after the update",
            )
            .customer(format!("storm{i}")),
        );
    }
    let report = DuplicateFinder::new(&Product::new("p", "P")).find(&tickets);
    let ids: Vec<Vec<&str>> = report
        .clusters
        .iter()
        .map(|c| c.ticket_ids.iter().map(String::as_str).collect())
        .collect();
    let storm: Vec<String> = (0..25).map(|i| format!("s{i:02}")).collect();
    assert_eq!(ids.len(), 3, "{ids:?}");
    assert_eq!(ids[0], storm.iter().map(String::as_str).collect::<Vec<_>>());
    assert_eq!(report.clusters[0].customers, 25);
    assert_eq!(ids[1], ["a1", "a2", "a3"]);
    assert_eq!(report.clusters[1].customers, 1);
    assert!(!report.clusters[1].quoted);
    assert_eq!(ids[2], ["t1", "t2"]);
    assert!(report.clusters[2].quoted);
    assert_eq!(report.tickets, 33);
    assert_eq!(report.unique_issues, 3 + 3);
    // Same clusters whatever the order.
    let mut reversed = tickets.clone();
    reversed.reverse();
    let again = DuplicateFinder::new(&Product::new("p", "P")).find(&reversed);
    assert_eq!(again, report);
}

#[test]
fn keyword_advice() {
    use painpoint::discovery::KeywordAdvisor;
    use painpoint::{Capability, Feature};
    let product = Product::new("app", "App")
        .capability(
            Capability::new("billing", "Billing")
                .feature(
                    Feature::new("refunds", "Refunds")
                        .keyword("refund")
                        .keyword("account"),
                )
                .feature(
                    Feature::new("invoices", "Invoices")
                        .keyword("invoice")
                        .keyword("zorblax widget"),
                ),
        )
        .capability(
            Capability::new("access", "Access")
                .feature(Feature::new("login", "Login").keyword("password")),
        );
    let mut labelled: Vec<(Ticket, &str)> = Vec::new();
    let mut add = |f: &'static str, text: String| {
        let id = format!("{f}-{}", labelled.len());
        labelled.push((Ticket::new(id, text), f));
    };
    for i in 0..8 {
        add(
            "refunds",
            format!("I want my money back for order {i}, my account was charged"),
        );
        add(
            "invoices",
            format!("the invoice for my account shows the wrong VAT number {i}"),
        );
        add(
            "login",
            format!("I cannot sign in to my account, password reset mail {i} never came"),
        );
    }
    for i in 0..4 {
        add(
            "invoices",
            format!("please send the invoice as a PDF with our VAT id {i}"),
        );
    }
    let advisor = KeywordAdvisor::new(&product);
    let report = advisor.advise_labeled(labelled.iter().map(|(t, f)| (t, *f)));
    assert_eq!(report.labelled, 28);
    let refunds = &report.features[0];
    let words: Vec<&str> = refunds
        .suggestions
        .iter()
        .map(|s| s.keyword.as_str())
        .collect();
    // "money", "back", "order", "charged" only in refund tickets: suggested.
    for w in ["money", "back", "order", "charged"] {
        assert!(words.contains(&w), "{w} missing from {words:?}");
    }
    // Shared with siblings or already a keyword: never suggested.
    assert!(
        !words.contains(&"account") && !words.contains(&"refund"),
        "{words:?}"
    );
    let invoices = &report.features[1];
    let words: Vec<&str> = invoices
        .suggestions
        .iter()
        .map(|s| s.keyword.as_str())
        .collect();
    assert!(words.contains(&"vat"), "{words:?}");
    assert!(!words.contains(&"money"), "{words:?}");
    assert_eq!(invoices.never_fire, ["zorblax widget"]);
    // "account" fires in refunds, invoices and login tickets: too broad.
    assert_eq!(refunds.too_broad.len(), 1);
    let broad = &refunds.too_broad[0];
    assert_eq!(broad.keyword, "account");
    assert_eq!(broad.fires, 24);
    assert_eq!(broad.features.len(), 3);
    // Customers say "money back", never "refund".
    assert_eq!(refunds.never_fire, ["refund"]);
    assert!(report.features[2].too_broad.is_empty());

    // The same through tagged tickets: labels come from the best match.
    let tagger = Tagger::new(&product).unwrap();
    let pairs: Vec<(Ticket, TaggedTicket)> = labelled
        .iter()
        .map(|(t, _)| (t.clone(), tagger.tag(t)))
        .collect();
    let tagged = advisor.advise(&pairs);
    assert_eq!(tagged.tickets, 28);
    assert_eq!(tagged.features[1].never_fire, ["zorblax widget"]);
}

/// The themes of untagged tickets with these texts (ids 0, 1, ...), for a
/// product with no features.
fn themes_of(texts: &[&str]) -> ThemeReport {
    let tickets: Vec<Ticket> = texts
        .iter()
        .enumerate()
        .map(|(i, t)| Ticket::new(i.to_string(), *t))
        .collect();
    ThemeFinder::new(&Product::new("p", "P")).find_tickets(&tickets)
}

/// Text written without spaces (Chinese here) forms themes: each character
/// is read with the one before it, and a name joins the bigrams as written.
#[test]
fn unspaced_scripts_form_themes() {
    let texts = [
        "我的退款什么时候到账？已经等了两周了",
        "申请退款后一直没有到账",
        "退款到账需要多长时间",
        "退款还没有到账，请帮忙查一下",
        "为什么我的退款还没到账",
        "应用一打开就闪退",
        "更新以后应用闪退",
        "手机上的应用总是闪退",
        "登录时应用闪退怎么办",
        "发票抬头写错了怎么修改",
    ];
    let report = themes_of(&texts);
    assert_eq!(report.themes.len(), 2, "{report:?}");
    let refund = report
        .themes
        .iter()
        .find(|t| t.terms.iter().any(|w| w == "退款"));
    let refund = refund.expect("a refund theme");
    assert_eq!(refund.ticket_ids, ["0", "1", "2", "3", "4"]);
    assert!(
        refund.terms.iter().any(|w| w == "到账"),
        "{:?}",
        refund.terms
    );
    let crash = report.themes.iter().find(|t| t.name == "应用闪退");
    assert_eq!(
        crash.expect("an app-crash theme").ticket_ids,
        ["5", "6", "7", "8"]
    );
}

/// Korean writes a particle onto its noun ("환불이", "환불은"): the
/// syllable pairs let tickets with different particles meet in a theme.
/// Without a morphological analyser, endings are pairs too: here "싶어요"
/// (I want to) also groups five unrelated requests into a theme of its own.
#[test]
fn korean_nouns_meet_across_particles() {
    let texts = [
        "환불이 언제 들어오나요? 2주째 기다리고 있어요",
        "환불은 언제 처리되나요",
        "언제 환불을 받을 수 있나요",
        "환불받으려면 언제까지 기다려야 하나요",
        "신청한 환불이 언제 들어올지 알려주세요",
        "환불 언제 되는지 확인 부탁드려요",
        "앱이 자꾸 꺼져요",
        "업데이트 후 앱이 꺼져요",
        "앱이 계속 꺼지는데 해결 방법이 있나요",
        "로그인하면 앱이 꺼져요",
        "사진을 올리면 앱이 꺼집니다",
        "앱이 갑자기 꺼져서 작업이 날아갔어요",
        "배송지 주소를 바꾸고 싶어요",
        "영수증을 이메일로 받을 수 있나요?",
        "비밀번호를 잊어버렸어요",
        "쿠폰 코드가 적용되지 않아요",
        "다크 모드는 언제 나오나요",
        "상담원과 통화하고 싶어요",
        "회원 탈퇴는 어떻게 하나요",
        "결제 수단을 추가하고 싶어요",
        "알림이 너무 많이 와요",
        "주문 내역이 보이지 않아요",
        "포인트는 어디서 확인하나요",
        "직원분이 정말 친절했어요",
    ];
    let report = themes_of(&texts);
    let refund = report
        .themes
        .iter()
        .find(|t| t.terms.iter().any(|w| w == "환불"))
        .unwrap_or_else(|| panic!("a refund theme: {report:?}"));
    // All six refund tickets; "다크 모드는 언제 나오나요" (when is dark
    // mode coming) may join them on "언제" (when).
    let holds = |id: &str| refund.ticket_ids.iter().any(|t| t == id);
    assert!(
        ["0", "1", "2", "3", "4", "5"].into_iter().all(holds),
        "{report:?}"
    );
    assert!(refund.ticket_ids.len() <= 7, "{report:?}");
    let crash = report
        .themes
        .iter()
        .find(|t| t.terms.iter().any(|w| w == "앱이"))
        .unwrap_or_else(|| panic!("an app theme: {report:?}"));
    assert_eq!(
        crash.ticket_ids,
        ["10", "11", "6", "7", "8", "9"],
        "{report:?}"
    );
}

/// Support boilerplate ("hi", "kindly", "thanks") neither groups tickets
/// nor names a theme, even between two topic words.
#[test]
fn boilerplate_does_not_name_a_theme() {
    let texts = [
        "Hi team, please kindly share the audit log export",
        "hello, audit kindly log export needed, thanks",
        "Could you kindly share an audit log export? Cheers",
        "audit kindly log for last month please, thanks!",
        "Hi, the audit log export is missing a column",
        "How do I reset my password? Thanks",
        "Hello, the invoice total looks wrong, kindly check",
    ];
    let report = themes_of(&texts);
    assert_eq!(report.themes.len(), 1, "{report:?}");
    let theme = &report.themes[0];
    for word in ["kindly", "hi", "hello", "thanks", "please", "cheers"] {
        assert!(!theme.name.split(' ').any(|w| w == word), "{}", theme.name);
        assert!(!theme.terms.iter().any(|t| t == word), "{:?}", theme.terms);
    }
    assert!(
        theme.name.contains("audit") || theme.name.contains("log"),
        "{}",
        theme.name
    );
}

/// A pool that is a single theme (every unmatched ticket about one thing)
/// is that theme, not nothing: its pairs and terms are scored against the
/// pool plus an empty ticket, so sharing them all still counts.
#[test]
fn a_pool_of_one_topic_is_one_theme() {
    let texts = [
        "My crypto wallet transfer is stuck",
        "Crypto wallet shows the wrong balance",
        "Can I move bitcoin to my crypto wallet?",
        "The crypto wallet is empty after the update",
    ];
    let report = themes_of(&texts);
    assert_eq!(report.themes.len(), 1, "{report:?}");
    assert_eq!(report.themes[0].count, 4);
    assert!(
        report.themes[0].terms.iter().any(|t| t == "wallet"),
        "{:?}",
        report.themes[0].terms
    );
}

/// A ticket tagged with one match of `feature` (in `capability`).
fn one_match(feature: &str, capability: &str, score: f64, fit: f64) -> TaggedTicket {
    let mut best = Match::default();
    best.feature = Some(feature.into());
    best.capability = capability.into();
    best.score = score;
    best.fit = fit;
    let mut tagged = TaggedTicket::default();
    tagged.matches.push(best);
    tagged
}

/// A confident match that explains little of its ticket joins the pool
/// only when weak fits are asked for; unmatched tickets always do.
#[test]
fn weak_fits_join_the_pool_when_asked() {
    let product = Product::new("p", "P");
    let weak = one_match("f", "", 0.9, 0.2);
    let strong = one_match("f", "", 0.9, 0.8);
    let unmatched = TaggedTicket::default();

    let plain = ThemeFinder::new(&product);
    assert!(plain.in_pool(&unmatched));
    assert!(!plain.in_pool(&weak));
    let asked =
        ThemeFinder::with_config(&product, ThemeConfig::default().weak_fit_below(0.5)).unwrap();
    assert!(asked.in_pool(&unmatched));
    assert!(asked.in_pool(&weak));
    assert!(!asked.in_pool(&strong));
}

/// Contrast keeps the groups the taxonomy already explains out of the
/// themes, and recruits confident matches that belong to a new theme.
#[test]
fn contrast_drops_explained_groups_and_recruits() {
    let product = Product::new("p", "P");
    let tagged = |score: f64| one_match("export", "data", score, 0.5);
    let export = [
        "export to csv fails with an error",
        "the csv export fails every time",
        "csv export error again, the file fails",
    ];
    let dark = [
        "please add a dark mode theme",
        "dark mode would be easier on the eyes at night",
        "is there a dark theme option for night work",
    ];
    let mut pairs = Vec::new();
    for i in 0..21 {
        let text = format!("{} ({i})", export[i % 3]);
        pairs.push((Ticket::new(format!("e{i:02}"), text), tagged(0.9)));
    }
    for i in 0..6 {
        let text = format!("{} ({i})", export[i % 3]);
        pairs.push((Ticket::new(format!("w{i}"), text), tagged(0.3)));
        let text = format!("{} ({i})", dark[i % 3]);
        pairs.push((Ticket::new(format!("d{i}"), text), tagged(0.3)));
    }
    for (i, text) in dark.iter().take(2).enumerate() {
        let text = format!("{text} ({i})");
        pairs.push((Ticket::new(format!("r{i}"), text), tagged(0.9)));
    }
    let mut config = ThemeConfig::default().weak_below(0.5);
    let plain = ThemeFinder::with_config(&product, config.clone())
        .unwrap()
        .find(&pairs);
    config.contrast = true;
    let contrast = ThemeFinder::with_config(&product, config)
        .unwrap()
        .find(&pairs);
    let names = |r: &ThemeReport| r.themes.iter().map(|t| t.name.clone()).collect::<Vec<_>>();
    // Without contrast the weak export tickets form a theme of their own.
    assert_eq!(plain.themes.len(), 2, "{:?}", names(&plain));
    assert_eq!(plain.recruited, 0);
    // With it, only dark mode remains, grown by the two confident tickets.
    assert_eq!(contrast.themes.len(), 1, "{:?}", names(&contrast));
    let theme = &contrast.themes[0];
    assert!(theme.name.contains("dark"), "{}", theme.name);
    let ids: Vec<&str> = theme.ticket_ids.iter().map(String::as_str).collect();
    assert_eq!(ids, ["d0", "d1", "d2", "d3", "d4", "d5", "r0", "r1"]);
    assert_eq!(contrast.pool, 12);
    assert_eq!(contrast.recruited, 2);
    assert_eq!(contrast.unthemed, ["w0", "w1", "w2", "w3", "w4", "w5"]);
    assert_eq!(
        contrast.themed + contrast.unthemed.len(),
        contrast.pool + contrast.recruited
    );
}

/// Under contrast, words every node's tickets use alike ("started
/// yesterday, any update") form no theme, while a topic no node knows
/// still does.
#[test]
fn contrast_ignores_fillers() {
    let product = Product::new("p", "P");
    let tagged = |node: usize, score: f64| one_match(&format!("f{node}"), "c", score, 0.5);
    let topics = [
        "csv export fails",
        "invoice total wrong",
        "password reset link expired",
        "timer resets to zero",
        "calendar sync duplicates events",
        "webhook retries forever",
        "slack notifications missing",
        "report filter ignored",
    ];
    let filler = "started yesterday, any update";
    let mut pairs = Vec::new();
    for (n, topic) in topics.iter().enumerate() {
        for i in 0..6 {
            let text = if i == 0 {
                format!("{topic} ({i}) {filler}")
            } else {
                format!("{topic} ({i})")
            };
            pairs.push((Ticket::new(format!("c{n}{i}"), text), tagged(n, 0.9)));
        }
        // A weak match that shares nothing with its node but the filler.
        for i in 0..1 {
            let text = format!("odd{n}x{i} thing{n}y{i} {filler}");
            pairs.push((Ticket::new(format!("w{n}{i}"), text), tagged(n, 0.3)));
        }
    }
    let dark = [
        "please add a dark mode theme",
        "dark mode would be easier on the eyes at night",
        "is there a dark theme option for night work",
    ];
    for i in 0..6 {
        let text = format!("{} ({i})", dark[i % 3]);
        pairs.push((Ticket::new(format!("d{i}"), text), tagged(i % 2, 0.3)));
    }
    let mut config = ThemeConfig::default().weak_below(0.5);
    config.contrast = true;
    let report = ThemeFinder::with_config(&product, config)
        .unwrap()
        .find(&pairs);
    let names: Vec<&str> = report.themes.iter().map(|t| t.name.as_str()).collect();
    assert_eq!(report.themes.len(), 1, "{names:?}");
    let theme = &report.themes[0];
    assert!(theme.name.contains("dark"), "{}", theme.name);
    assert!(
        theme.ticket_ids.iter().all(|id| id.starts_with('d')),
        "{:?}",
        theme.ticket_ids
    );
    assert!(
        theme
            .terms
            .iter()
            .all(|t| t != "yesterday" && t != "update")
    );
}

/// Recovery over all seven offsets of the every-7th rule, so no single
/// deletion set decides.
fn over_seven_deletion_sets(config: &ThemeConfig) -> Vec<usize> {
    let runs: Vec<Recovery> = (0..7)
        .map(|offset| {
            let r = recovery(
                B77_TAXONOMY,
                B77_TICKETS,
                B77_GOLD,
                |i| i % 7 == offset && i < 70,
                Pool::Unmatched,
                config.clone(),
            );
            assert_eq!(r.deleted.len(), 10);
            r
        })
        .collect();
    // Where the tickets of the features no theme recovers went.
    let missed: Vec<&Row> = runs
        .iter()
        .flat_map(|r| &r.rows)
        .filter(|row| !row.recovered())
        .collect();
    if std::env::var_os("PAINPOINT_DUMP_MISSED").is_some() {
        for (offset, r) in runs.iter().enumerate() {
            for row in r.rows.iter().filter(|row| !row.recovered()) {
                eprintln!(
                    "missed {offset} {:<40} pooled {:>2} best {:>2} largest {:>2} of {:>2} ({}) mixed {:>2} unthemed {:>2}",
                    row.feature,
                    row.pooled,
                    row.in_best,
                    row.largest.0,
                    row.largest.1,
                    row.largest.2,
                    row.in_mixed,
                    row.unthemed
                );
            }
        }
    }
    let sum = |part: fn(&Row) -> usize| missed.iter().map(|row| part(row)).sum::<usize>();
    let (all, pooled) = (sum(|row| row.all), sum(|row| row.pooled));
    eprintln!(
        "{} features missed, {all} tickets: in their best pure theme {}, other pure themes {}, \
         mixed themes {}, unthemed {}, never pooled {}",
        missed.len(),
        sum(|row| row.in_best),
        sum(|row| row.in_other_pure),
        sum(|row| row.in_mixed),
        sum(|row| row.unthemed),
        all - pooled
    );
    runs.iter()
        .map(|r| r.rows.iter().filter(|row| row.recovered()).count())
        .collect()
}

/// Contrast recovers 30 of 70 over the seven offsets (4, 5, 4, 5, 4, 5,
/// 3; 31 before a match resting on a passing word had to explain a quarter
/// of the ticket; 30 before the keyboard rule for typos, 31 before the tagger's coverage floor; 26 when the pool was ranked by score alone and a pooled ticket had
/// to beat its closest node rather than its own). A floor, so a change
/// that loses recovery fails here.
#[test]
fn banking77_contrast_over_seven_deletion_sets() {
    let found = over_seven_deletion_sets(&ThemeConfig::default().contrast(0.25));
    let total: usize = found.iter().sum();
    eprintln!("seven deletion sets: {found:?}, {total} of 70");
    assert!(total >= 30, "{found:?}: {total} of 70");
}

/// Re-tagging with the themes as would-be features recovers 36 of 70 (4,
/// 7, 6, 6, 5, 5, 3; 37 before a match resting on a passing word of an
/// example had to explain a quarter of the ticket, which moved contrast
/// alone from 31 to 30: one theme each, at offsets 4 and 2, within the +-2
/// noise of these sets, the pool's recall unchanged; 38 before short words one replaced letter apart had to
/// be neighbouring keys to meet, which moved contrast alone from 30 to 31:
/// one theme at offset 5, within the +-2 noise of these sets; 37 before the
/// tagger's coverage floor, 35 before that), at least as many as contrast
/// alone on every offset. A floor.
#[test]
fn banking77_retag_over_seven_deletion_sets() {
    let found = over_seven_deletion_sets(&ThemeConfig::default().contrast(0.25).retag(true));
    let total: usize = found.iter().sum();
    eprintln!("seven deletion sets, re-tagged: {found:?}, {total} of 70");
    assert!(total >= 36, "{found:?}: {total} of 70");
}

/// What reaches discovery: with the pool of `ThemeConfig::contrast(0.25)`
/// (the unmatched tickets plus the 25% of matched ones with the lowest
/// score x fit; no contrast here, so the report's tickets are exactly the
/// pool), the share of each deleted feature's tickets that is pooled
/// (recall) and the share of the pool that is deleted tickets
/// (precision). Over the seven offsets: recall 0.61 (1706 of 2800),
/// precision 0.31, and 9 of the 70 features have fewer than 16 of their
/// 40 tickets pooled, so no theme of the pool alone can hold 40% of them.
/// Ranked by score alone: 1626 (0.58), 0.30 and 14 (AUC over all matched
/// tickets 0.78 for both rankings, 0.73 for fit alone). A floor on both
/// shares.
#[test]
fn banking77_pool_recall_and_dilution() {
    let (mut deleted_pooled, mut pool, mut starved) = (0, 0, 0);
    for offset in 0..7 {
        let r = recovery(
            B77_TAXONOMY,
            B77_TICKETS,
            B77_GOLD,
            |i| i % 7 == offset && i < 70,
            Pool::Unmatched,
            ThemeConfig::default().weak_share(0.25),
        );
        assert_eq!(r.report.recruited, 0);
        let pooled: Vec<usize> = r.rows.iter().map(|row| row.pooled).collect();
        let sum: usize = pooled.iter().sum();
        eprintln!(
            "offset {offset}: pool {}, deleted tickets pooled {pooled:?} ({sum} of {})",
            r.report.pool,
            40 * r.deleted.len()
        );
        deleted_pooled += sum;
        pool += r.report.pool;
        starved += r
            .rows
            .iter()
            .filter(|row| (row.pooled as f64) < 0.4 * row.all as f64)
            .count();
    }
    let recall = deleted_pooled as f64 / 2800.0;
    let precision = deleted_pooled as f64 / pool as f64;
    eprintln!(
        "recall {recall:.3} ({deleted_pooled} of 2800), precision {precision:.3} (pool {pool}), \
         {starved} of 70 features with fewer than 40% of their tickets pooled"
    );
    assert!(recall >= 0.6 && precision >= 0.3, "{recall} {precision}");
}

/// An email's signature and disclaimer, the same under every mail one
/// sender writes.
const SIGNATURE: &str = "\n\nBest regards,\nJohn Smith\nSenior Procurement Manager | Globex Corporation\n\
    123 Main Street, Springfield\nSent from my iPhone\n\
    This e-mail and any attachments are confidential and intended solely for the addressee.";

/// Discovery skips an email's boilerplate as the tagger does: one sender's
/// signature groups no tickets, names no theme, is no keyword, makes no
/// two different mails duplicates and is taught to no snippet.
#[test]
fn email_signatures_are_no_theme_keyword_or_duplicate() {
    use painpoint::discovery::{DuplicateFinder, KeywordAdvisor};
    let bodies = [
        "The calendar sync drops events",
        "Calendar sync is broken again",
        "Why does calendar sync duplicate entries",
        "My export to excel fails",
        "Excel export gives an empty file",
        "Cannot export the report to excel",
    ];
    let tickets: Vec<Ticket> = bodies
        .iter()
        .enumerate()
        .map(|(i, body)| {
            Ticket::new(i.to_string(), format!("Hi team,\n{body}.{SIGNATURE}")).customer("john")
        })
        .collect();
    let product = Product::new("p", "P");
    let report = ThemeFinder::new(&product).find_tickets(&tickets);
    let groups: Vec<&[String]> = report.themes.iter().map(|t| &t.ticket_ids[..]).collect();
    assert_eq!(groups, [["0", "1", "2"], ["3", "4", "5"]], "{report:#?}");
    for theme in &report.themes {
        for word in ["john", "smith", "globex", "iphone", "confidential"] {
            assert!(!theme.terms.iter().any(|t| t == word), "{:?}", theme.terms);
            for example in &theme.snippet.examples {
                assert!(!example.to_lowercase().contains(word), "{example}");
            }
        }
    }
    let duplicates = DuplicateFinder::new(&product).find(&tickets);
    assert!(duplicates.clusters.is_empty(), "{duplicates:?}");

    let product = Product::new("p", "P").capability(
        painpoint::Capability::new("data", "Data")
            .feature(painpoint::Feature::new("sync", "Calendar sync").keyword("calendar"))
            .feature(painpoint::Feature::new("export", "Export").keyword("export")),
    );
    let labelled: Vec<(&Ticket, &str)> = tickets
        .iter()
        .map(|t| {
            (
                t,
                if t.id.as_str() < "3" {
                    "sync"
                } else {
                    "export"
                },
            )
        })
        .collect();
    let advice = KeywordAdvisor::new(&product).advise_labeled(labelled);
    for feature in &advice.features {
        for s in &feature.suggestions {
            assert!(
                !["john", "smith", "globex", "iphone"].contains(&s.keyword.as_str()),
                "{advice:#?}"
            );
        }
    }
}

/// A theme told in ticket subjects (app reviews, forms with an empty body)
/// gets a snippet whose examples are those subjects: it pastes into the
/// product and compiles.
#[test]
fn a_snippet_of_subject_only_tickets_pastes_and_compiles() {
    let subjects = [
        "Dark mode please",
        "Need a dark mode theme",
        "Dark mode for the app",
        "Any dark mode soon?",
    ];
    let tickets: Vec<Ticket> = subjects
        .iter()
        .enumerate()
        .map(|(i, s)| Ticket::new(i.to_string(), "").subject(*s))
        .collect();
    let mut product = Product::new("p", "P").capability(painpoint::Capability::new("ui", "UI"));
    let report = ThemeFinder::new(&product).find_tickets(&tickets);
    assert_eq!(report.themes.len(), 1, "{report:?}");
    let snippet = report.themes[0].snippet.clone();
    assert!(
        snippet
            .examples
            .iter()
            .all(|e| subjects.contains(&e.as_str())),
        "{snippet:?}"
    );
    product.capabilities[0].features.push(snippet);
    let json = serde_json::to_string(&product).unwrap();
    let pasted: Product = serde_json::from_str(&json).unwrap();
    let tagger = Tagger::new(&pasted).unwrap();
    assert_eq!(
        tagger
            .tag_text("is there a dark mode?")
            .best()
            .unwrap()
            .node(),
        "dark_mode"
    );
}

/// Two tickets may share an id (a helpdesk's thread id on each message):
/// a ticket is in a theme or unthemed by itself, never by its id.
#[test]
fn tickets_sharing_an_id_are_each_accounted_for() {
    let tickets = [
        Ticket::new("a", "The calendar sync drops events"),
        Ticket::new("b", "Calendar sync is broken again"),
        Ticket::new("c", "Why does calendar sync duplicate entries"),
        Ticket::new("a", "Gardening tools left in the shed"),
    ];
    let report = ThemeFinder::new(&Product::new("p", "P")).find_tickets(&tickets);
    assert_eq!(report.themes.len(), 1, "{report:?}");
    assert_eq!(report.themed + report.unthemed.len(), report.pool);
    assert_eq!(report.unthemed, ["a"]);
}

/// A five-letter word per number, letters only.
fn letters(mut i: usize) -> String {
    let mut s = String::from("z");
    for _ in 0..4 {
        s.push((b'a' + (i % 26) as u8) as char);
        i /= 26;
    }
    s
}

/// Keyword advice costs the tickets' length plus the product's size, not
/// their product: the same 20,000 labelled tickets take about as long with
/// 800 features (1,600 keywords) as with 50 (reading the tickets outweighs
/// the larger product's own cost), where checking every keyword on every
/// ticket takes 16x. The bound, 4x, sits a factor of four from both.
#[test]
fn keyword_advice_is_linear_in_tickets_not_keywords() {
    use painpoint::discovery::KeywordAdvisor;
    use std::time::Instant;
    let product = |features: usize| {
        let mut capability = painpoint::Capability::new("c", "C");
        for f in 0..features {
            capability = capability.feature(
                painpoint::Feature::new(format!("f{f}"), "F")
                    .keyword(format!("{} {}", letters(2 * f), letters(2 * f + 1)))
                    .keyword(letters(2 * f + 1)),
            );
        }
        Product::new("p", "P").capability(capability)
    };
    let tickets: Vec<(Ticket, String)> = (0..20_000)
        .map(|i| {
            let f = i % 50;
            let text = format!(
                "my {} {} broke after the {} update, the screen stays blank and nothing loads",
                letters(2 * f),
                letters(2 * f + 1),
                letters(10_000 + i % 97)
            );
            (Ticket::new(i.to_string(), text), format!("f{f}"))
        })
        .collect();
    let (small, large) = (
        KeywordAdvisor::new(&product(50)),
        KeywordAdvisor::new(&product(800)),
    );
    let time = |advisor: &KeywordAdvisor| {
        let start = Instant::now();
        let report = advisor.advise_labeled(tickets.iter().map(|(t, f)| (t, f.as_str())));
        assert_eq!(report.labelled, 20_000);
        start.elapsed().as_secs_f64()
    };
    let (small, large) = (0..7).fold((f64::INFINITY, f64::INFINITY), |(s, l), _| {
        (s.min(time(&small)), l.min(time(&large)))
    });
    eprintln!("keyword advice: 50 features {small:.4}s, 800 features {large:.4}s");
    assert!(
        large / small <= 4.0,
        "16x the keywords took {:.1}x the time",
        large / small
    );
}
