//! Measures tagging accuracy against gold labels.
//!
//! ```text
//! cargo run --release --example eval -- --taxonomy T.json --tickets F.jsonl --gold G.tsv [--min-score S] [--min-fit F] [--min-coverage C]
//! ```
//!
//! `G.tsv` holds `id<TAB>feature` lines; an empty feature means the ticket
//! should be unmatched. Prints top-1 accuracy (unmatched counted wrong),
//! coverage, precision when matched and per-capability accuracy. With no
//! arguments it evaluates the embedded demo.

use std::collections::BTreeMap;
use std::error::Error;
use std::time::Instant;

use painpoint::{Product, TagOptions, Tagger, Ticket};

const DEMO_TAXONOMY: &str = include_str!("data/demo_taxonomy.json");
const DEMO_TICKETS: &str = include_str!("data/demo_tickets.jsonl");
const DEMO_GOLD: &str = include_str!("data/demo_gold.tsv");

fn main() {
    if let Err(err) = run() {
        eprintln!("eval: {err}");
        std::process::exit(2);
    }
}

fn arg(args: &[String], name: &str) -> Option<String> {
    args.iter()
        .position(|a| a == name)
        .and_then(|i| args.get(i + 1))
        .cloned()
}

/// A file's text without a leading UTF-8 byte order mark (Windows exports).
fn read_without_bom(path: &str) -> Result<String, Box<dyn Error>> {
    let text = std::fs::read_to_string(path).map_err(|e| format!("{path}: {e}"))?;
    Ok(match text.strip_prefix('\u{feff}') {
        Some(rest) => rest.to_string(),
        None => text,
    })
}

fn run() -> Result<(), Box<dyn Error>> {
    let args: Vec<String> = std::env::args().skip(1).collect();
    if args.iter().any(|a| a == "-h" || a == "--help") {
        println!(
            "usage: eval [--taxonomy T.json --tickets F.jsonl --gold G.tsv] [--min-score S] [--min-fit F] [--min-coverage C]"
        );
        return Ok(());
    }
    let (taxonomy, tickets, gold) = match (
        arg(&args, "--taxonomy"),
        arg(&args, "--tickets"),
        arg(&args, "--gold"),
    ) {
        (Some(t), Some(k), Some(g)) => (
            read_without_bom(&t)?,
            read_without_bom(&k)?,
            read_without_bom(&g)?,
        ),
        (None, None, None) => (
            DEMO_TAXONOMY.to_string(),
            DEMO_TICKETS.to_string(),
            DEMO_GOLD.to_string(),
        ),
        _ => return Err("give --taxonomy, --tickets and --gold together, or none of them".into()),
    };
    let product: Product = serde_json::from_str(&taxonomy)?;
    let started = Instant::now();
    let tagger = Tagger::new(&product)?;
    let compile = started.elapsed();
    let mut options = TagOptions::default();
    if let Some(s) = arg(&args, "--min-score") {
        options = options.min_score(s.parse()?);
    }
    if let Some(f) = arg(&args, "--min-fit") {
        options = options.min_fit(f.parse()?);
    }
    if let Some(c) = arg(&args, "--min-coverage") {
        options = options.min_coverage(c.parse()?);
    }
    let gold: BTreeMap<String, String> = gold
        .lines()
        .filter(|l| !l.trim().is_empty())
        .map(|l| {
            let mut parts = l.splitn(2, '\t');
            (
                parts.next().unwrap_or("").to_string(),
                parts.next().unwrap_or("").trim().to_string(),
            )
        })
        .collect();
    let parent: BTreeMap<&str, &str> = product
        .capabilities
        .iter()
        .flat_map(|c| {
            c.features
                .iter()
                .map(move |f| (f.id.as_str(), c.id.as_str()))
        })
        .collect();

    let tickets: Vec<Ticket> = tickets
        .lines()
        .filter(|l| !l.trim().is_empty())
        .map(serde_json::from_str)
        .collect::<Result<_, _>>()?;
    let started = Instant::now();
    let tagged: Vec<_> = tickets
        .iter()
        .map(|t| tagger.tag_with(t, &options))
        .collect();
    let elapsed = started.elapsed();

    let (mut total, mut correct, mut matched, mut matched_correct) =
        (0usize, 0usize, 0usize, 0usize);
    let mut per_cap: BTreeMap<String, (usize, usize)> = BTreeMap::new();
    for t in &tagged {
        let Some(want) = gold.get(&t.id) else {
            continue;
        };
        total += 1;
        let got = t.best().map(|m| m.node().to_string()).unwrap_or_default();
        let ok = &got == want;
        correct += ok as usize;
        if !got.is_empty() {
            matched += 1;
            matched_correct += ok as usize;
        }
        let cap = parent
            .get(want.as_str())
            .copied()
            .unwrap_or(if want.is_empty() {
                "(unmatched)"
            } else {
                want.as_str()
            });
        let entry = per_cap.entry(cap.to_string()).or_default();
        entry.0 += 1;
        entry.1 += ok as usize;
    }
    // Ids that do not meet (a stray space, another export) are not scored:
    // say how many, so a low "tickets" count is not mistaken for the set.
    let ids: std::collections::BTreeSet<&str> = tickets.iter().map(|t| t.id.as_str()).collect();
    let unscored = tickets.len() - total;
    let missing = gold.keys().filter(|id| !ids.contains(id.as_str())).count();
    if unscored + missing > 0 {
        eprintln!(
            "eval: {unscored} tickets have no gold line and {missing} gold ids no ticket; not scored"
        );
    }
    let ratio = |a: usize, b: usize| if b == 0 { 0.0 } else { a as f64 / b as f64 };
    println!("tickets            {total}");
    println!("accuracy (top-1)   {:.4}", ratio(correct, total));
    println!("matched            {:.4}", ratio(matched, total));
    println!("precision matched  {:.4}", ratio(matched_correct, matched));
    println!(
        "threshold          {}",
        options.min_score.unwrap_or(tagger.threshold())
    );
    println!(
        "speed              {:.0} tickets/s (compile {:.1} ms)",
        tagged.len() as f64 / elapsed.as_secs_f64(),
        compile.as_secs_f64() * 1e3
    );
    println!("per capability:");
    for (cap, (n, ok)) in &per_cap {
        println!("  {cap:<24} {:.3}  ({ok}/{n})", ratio(*ok, *n));
    }
    Ok(())
}
