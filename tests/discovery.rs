//! Discovery: recovery of deleted features, determinism, duplicates and
//! keyword advice.

use std::collections::BTreeMap;

use painpoint::discovery::{ThemeConfig, ThemeFinder, ThemeReport};
use painpoint::{Product, TaggedTicket, Tagger, Ticket};

const B77_TAXONOMY: &str = include_str!("data/banking77/taxonomy_k10.json");
const B77_TICKETS: &str = include_str!("data/banking77/tickets.jsonl");
const B77_GOLD: &str = include_str!("data/banking77/gold.tsv");

struct Recovery {
    deleted: Vec<String>,
    /// Per deleted feature: (all its tickets, unmatched ones, best theme's
    /// share of all its tickets, share of its unmatched ones, purity).
    rows: Vec<(String, usize, usize, f64, f64, f64)>,
    report: ThemeReport,
}

/// Deletes the features chosen by `rule` (index in file order), tags every
/// ticket with the reduced taxonomy and finds themes among the unmatched.
fn recovery(
    taxonomy: &str,
    tickets: &str,
    gold: &str,
    rule: impl Fn(usize) -> bool,
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
    let report = if std::env::var("ORACLE").is_ok() {
        finder.find_tickets(
            pairs
                .iter()
                .map(|(t, _)| t)
                .filter(|t| deleted.contains(&gold[&t.id])),
        )
    } else {
        finder.find(&pairs)
    };
    let pooled: std::collections::BTreeSet<&str> = report
        .themes
        .iter()
        .flat_map(|t| t.ticket_ids.iter())
        .chain(report.unthemed.iter())
        .map(String::as_str)
        .collect();
    let mut rows = Vec::new();
    for f in &deleted {
        let all = gold.values().filter(|g| *g == f).count();
        let unmatched = pairs
            .iter()
            .filter(|(t, _)| gold.get(&t.id) == Some(f))
            .filter(|(t, _)| pooled.contains(t.id.as_str()))
            .count();
        let mut best = (0.0, 0.0, 0.0);
        for theme in &report.themes {
            let hits = theme
                .ticket_ids
                .iter()
                .filter(|id| gold.get(*id) == Some(f))
                .count();
            let share = hits as f64 / all.max(1) as f64;
            let purity = hits as f64 / theme.count as f64;
            if purity >= 0.6 && share > best.0 {
                best = (share, hits as f64 / unmatched.max(1) as f64, purity);
            }
        }
        rows.push((f.clone(), all, unmatched, best.0, best.1, best.2));
    }
    Recovery {
        deleted,
        rows,
        report,
    }
}

#[test]
fn banking77_recovery_of_deleted_features() {
    // Fixed rule, stated before looking at any result: every 7th feature in
    // file order, starting with the first, ten of them.
    let r = recovery(
        B77_TAXONOMY,
        B77_TICKETS,
        B77_GOLD,
        |i| i % 7 == 0 && i < 70,
        {
            let env = |k: &str, d: f64| std::env::var(k).map(|v| v.parse().unwrap()).unwrap_or(d);
            let mut c = ThemeConfig::default().weak_share(env("WS", 0.0));
            c.min_similarity = env("MS", c.min_similarity);
            c.merge_similarity = env("MG", c.merge_similarity);
            c.max_df = env("DF", c.max_df);
            c.seed_terms = env("ST", c.seed_terms as f64) as usize;
            c
        },
    );
    assert_eq!(r.deleted.len(), 10);
    eprintln!(
        "pool {} themed {} themes {}",
        r.report.pool,
        r.report.themed,
        r.report.themes.len()
    );
    for t in r.report.themes.iter().take(30) {
        eprintln!("  {:>3} {:<30} {:?}", t.count, t.name, t.terms);
    }
    let mut recovered = 0;
    for (f, all, unmatched, share, share_u, purity) in &r.rows {
        eprintln!(
            "{f:<40} all {all:>3} unmatched {unmatched:>3} share {share:.2} share_of_unmatched {share_u:.2} purity {purity:.2}"
        );
        if *share >= 0.4 {
            recovered += 1;
        }
    }
    eprintln!("recovered {recovered}/10");
    assert!(recovered >= 7, "recovered {recovered} of 10");
}

#[test]
fn explore_scores() {
    let mut product: Product = serde_json::from_str(B77_TAXONOMY).unwrap();
    let mut deleted = Vec::new();
    let mut index = 0;
    for cap in &mut product.capabilities {
        cap.features.retain(|f| {
            let keep = !(index % 7 == 0 && index < 70);
            index += 1;
            if !keep {
                deleted.push(f.id.clone());
            }
            keep
        });
    }
    product.capabilities.retain(|c| !c.features.is_empty());
    let gold: BTreeMap<String, String> = B77_GOLD
        .lines()
        .filter_map(|l| l.split_once('\t'))
        .map(|(a, b)| (a.to_string(), b.trim().to_string()))
        .collect();
    let tagger = Tagger::new(&product).unwrap();
    let mut del = Vec::new();
    let mut kept = Vec::new();
    for l in B77_TICKETS.lines() {
        let t: Ticket = serde_json::from_str(l).unwrap();
        let g = tagger.tag(&t);
        let s = g.best().map_or(0.0, |m| m.score);
        let m2 = g.matches.get(1).map_or(0.0, |m| m.score);
        if deleted.contains(&gold[&t.id]) {
            del.push((s, s - m2));
        } else {
            kept.push((s, s - m2));
        }
    }
    for v in [&mut del, &mut kept] {
        v.sort_by(|a, b| a.0.total_cmp(&b.0));
        let q: Vec<String> = [0.1, 0.25, 0.5, 0.75, 0.9]
            .iter()
            .map(|p| format!("{:.2}", v[(p * v.len() as f64) as usize].0))
            .collect();
        let mut m: Vec<f64> = v.iter().map(|x| x.1).collect();
        m.sort_by(|a, b| a.total_cmp(b));
        let qm: Vec<String> = [0.1, 0.25, 0.5, 0.75, 0.9]
            .iter()
            .map(|p| format!("{:.2}", m[(p * m.len() as f64) as usize]))
            .collect();
        eprintln!("n {} score q {:?} margin q {:?}", v.len(), q, qm);
    }
}
