//! What a product manager runs: tickets in, a ranked, explained roadmap out.
//!
//! ```text
//! cargo run --release --example roadmap            # the embedded Flowdesk demo
//! cargo run --release --example roadmap -- --taxonomy T.json --tickets F.jsonl \
//!     [--period day|week|month] [--now DATE] [--weights W.json] [--effort E.json] \
//!     [--format table|markdown|csv|json|html] [--out PATH] [--top N] [--write-demo PATH]
//!     [--contrast]
//! ```
//!
//! * `--contrast`: themes also look for topics the taxonomy lacks but whose
//!   tickets the tagger gave to near siblings (`ThemeConfig::contrast`); it
//!   keeps every tagged ticket in memory, not only the unmatched ones.
//! * `F.jsonl`: one ticket a line (`id`, `text`, optional `subject`,
//!   `created_at` as RFC 3339 or Unix seconds, `customer`, `account`,
//!   `value`, `channel`, `csat`, `resolution_hours`). Bad lines are reported
//!   with their line number on stderr and skipped.
//! * `W.json`: weights, e.g. `{"reach": 2, "value": 1, "pain": 1, "volume": 0.5,
//!   "momentum": 1, "cost": 0.5}` (missing terms keep their defaults).
//! * `E.json`: efforts per feature id, a number or
//!   `{"effort": 3, "impact": 2, "confidence": 0.8}`.
//!
//! # JSON output (stable)
//!
//! ```json
//! {"product": "flowdesk", "period": "week", "buckets": ["2024-01-01T00:00:00Z", ...],
//!  "tickets": 3000, "skipped_lines": 0, "undated": 0, "outside_buckets": 0, "weights": {...},
//!  "items": [{"rank": 1, "feature": "mobile_sync", "capability": "mobile", "name": "...",
//!             "count": 240, "customers": 180, "accounts": 90, "value": 1.2e6, "score": 71.3,
//!             "terms": {"reach": {"raw": 180, "normalized": 1, "weight": 1, "points": 20}, ...},
//!             "trend": {"series": [..], "recent": 40, "previous": 35, "growth": 0.14, "slope": 0.8},
//!             "alerts": ["spike"], "rice": {...}, "quadrant": "quick_win"}],
//!  "capabilities": [same shape, "feature" is null],
//!  "alerts": [{"kind": "spike", "node": "mobile_sync", "node_kind": "feature",
//!              "bucket_start": "2024-04-15T00:00:00Z", "observed": 80, "expected": 12.5,
//!              "p_value": 1e-30, "threshold": 2.5e-4, "z": 18.2, "drivers": [...]}],
//!  "unmatched": {"count": 200, "customers": 150, "share": 0.07},
//!  "stability": {"scenarios": 76, "top": 10, "min_overlap": 0.9, "same_first": 1.0, "items": [...]},
//!  "themes": [{"name": "dark mode", "terms": ["dark", "mode", ...], "count": 60, "customers": 55,
//!              "ticket_ids": [...], "representatives": [...], "trend": [{"week": "2024-W10", "count": 2}],
//!              "snippet": {"id": "dark_mode", "name": "Dark mode", "keywords": [...], ...}}]}
//! ```
//!
//! Fields may be added; none is renamed or removed.

mod demo;
mod render;

use std::collections::BTreeMap;
use std::error::Error;
use std::io::Write;

use painpoint::discovery::{ThemeConfig, ThemeFinder, ThemeReport};
use painpoint::roadmap::{Effort, Roadmap, RoadmapConfig, Weights};
use painpoint::trend::{TrendConfig, Trends};
use painpoint::{Ledger, LedgerConfig, Period, Product, Tagger, Ticket, Timestamp};

const DEMO_TAXONOMY: &str = include_str!("../data/demo_taxonomy.json");

fn main() {
    if let Err(err) = run() {
        eprintln!("roadmap: {err}");
        std::process::exit(2);
    }
}

fn arg(args: &[String], name: &str) -> Option<String> {
    args.iter()
        .position(|a| a == name)
        .and_then(|i| args.get(i + 1))
        .cloned()
}

/// Everything a renderer needs.
pub struct Report {
    pub product: Product,
    pub ledger: Ledger,
    pub trends: Trends,
    pub roadmap: Roadmap,
    pub config: RoadmapConfig,
    pub top: usize,
    pub skipped: usize,
    /// Emerging themes among the unmatched tickets.
    pub themes: ThemeReport,
}

fn parse_effort(text: &str) -> Result<BTreeMap<String, Effort>, Box<dyn Error>> {
    let raw: BTreeMap<String, serde_json::Value> = serde_json::from_str(text)?;
    raw.into_iter()
        .map(|(id, v)| {
            let e = match v.as_f64() {
                Some(x) => Effort::new(x),
                None => serde_json::from_value(v).map_err(|e| format!("effort.{id}: {e}"))?,
            };
            Ok((id, e))
        })
        .collect()
}

/// `text` without a leading UTF-8 byte order mark (Windows exports).
fn without_bom(text: &str) -> &str {
    text.strip_prefix('\u{feff}').unwrap_or(text)
}

fn read_tickets(text: &str) -> (Vec<Ticket>, usize) {
    let mut tickets = Vec::new();
    let mut skipped = 0;
    let total = text.len();
    let mut done = 0;
    for (i, line) in text.lines().enumerate() {
        done += line.len() + 1;
        if line.trim().is_empty() {
            continue;
        }
        match serde_json::from_str::<Ticket>(line) {
            Ok(t) => tickets.push(t),
            Err(e) => {
                skipped += 1;
                eprintln!("line {}: skipped: {e}", i + 1);
            }
        }
        if (i + 1) % 100_000 == 0 {
            eprint!(
                "\rread {} lines ({:.0}%)",
                i + 1,
                100.0 * done as f64 / total as f64
            );
        }
    }
    if tickets.len() >= 100_000 {
        eprintln!();
    }
    (tickets, skipped)
}

fn run() -> Result<(), Box<dyn Error>> {
    let args: Vec<String> = std::env::args().skip(1).collect();
    if args.iter().any(|a| a == "-h" || a == "--help") {
        println!(
            "usage: roadmap [--taxonomy T.json --tickets F.jsonl] [--period day|week|month] [--now DATE]\n               [--weights W.json] [--effort E.json] [--format table|markdown|csv|json|html]\n               [--out PATH] [--top N] [--write-demo PATH] [--contrast]"
        );
        return Ok(());
    }
    let (product, tickets, skipped, demo) =
        match (arg(&args, "--taxonomy"), arg(&args, "--tickets")) {
            (Some(t), Some(k)) => {
                let product: Product =
                    serde_json::from_str(without_bom(&std::fs::read_to_string(&t)?))
                        .map_err(|e| format!("{t}: {e}"))?;
                let (tickets, skipped) = read_tickets(without_bom(&std::fs::read_to_string(&k)?));
                (product, tickets, skipped, false)
            }
            (None, None) => {
                let product: Product = serde_json::from_str(DEMO_TAXONOMY)?;
                let tickets = demo::tickets(&product);
                (product, tickets, 0, true)
            }
            _ => {
                return Err(
                    "give --taxonomy and --tickets together, or neither for the demo".into(),
                );
            }
        };
    if let Some(path) = arg(&args, "--write-demo") {
        let mut f = std::io::BufWriter::new(std::fs::File::create(&path)?);
        for t in &tickets {
            writeln!(f, "{}", serde_json::to_string(t)?)?;
        }
        eprintln!("wrote {} tickets to {path}", tickets.len());
    }
    let period: Period = arg(&args, "--period")
        .as_deref()
        .unwrap_or("week")
        .parse()?;
    let mut config = RoadmapConfig::default();
    if let Some(w) = arg(&args, "--weights") {
        config.weights = serde_json::from_str::<Weights>(&std::fs::read_to_string(&w)?)
            .map_err(|e| format!("{w}: {e}"))?;
    }
    let effort = match arg(&args, "--effort") {
        Some(e) => {
            Some(parse_effort(&std::fs::read_to_string(&e)?).map_err(|err| format!("{e}: {err}"))?)
        }
        None if demo => Some(parse_effort(&demo::effort_json(&product))?),
        None => None,
    };
    if let Some(e) = effort {
        // An effort for an id the product lacks (a typo) gives no RICE:
        // say so rather than leave the item silently without one.
        let known: std::collections::BTreeSet<&str> = product
            .capabilities
            .iter()
            .flat_map(|c| {
                std::iter::once(c.id.as_str()).chain(c.features.iter().map(|f| f.id.as_str()))
            })
            .collect();
        let unknown: Vec<&str> = e
            .keys()
            .map(String::as_str)
            .filter(|id| !known.contains(id))
            .collect();
        if !unknown.is_empty() {
            eprintln!("effort: no feature or capability {unknown:?} in the product; ignored");
        }
        config.effort = e;
    }
    // The ledger counts every ticket it is given: a ticket exported twice
    // counts twice, so report repeated ids.
    let mut seen = std::collections::HashSet::new();
    let repeated: Vec<&str> = tickets
        .iter()
        .map(|t| t.id.as_str())
        .filter(|id| !seen.insert(*id))
        .collect();
    if let Some(first) = repeated.first() {
        eprintln!(
            "tickets: {} repeat an earlier id (e.g. {first:?}) and are counted again",
            repeated.len()
        );
    }
    let top: usize = arg(&args, "--top")
        .map(|t| t.parse())
        .transpose()?
        .unwrap_or(15);
    let mut trend_config = TrendConfig::default();
    if let Some(now) = arg(&args, "--now") {
        trend_config = trend_config.now(now.parse::<Timestamp>()?);
    }

    let tagger = Tagger::new(&product)?;
    let mut ledger = Ledger::new(&product, LedgerConfig::new(period))?;
    // A theme's own words ("dark", "gdpr") can fill half of a small pool:
    // keep words used by up to 60% of it (the default drops them above 30%).
    let contrast = args.iter().any(|a| a == "--contrast");
    let mut theme_config = ThemeConfig::default();
    if contrast {
        theme_config = theme_config.contrast(0.25);
    }
    theme_config.max_df = 0.6;
    let finder = ThemeFinder::with_config(&product, theme_config)?;
    // Only the tickets discovery looks at are kept, so memory stays small
    // (contrast compares with every matched ticket, so it keeps them all).
    let mut pool = Vec::new();
    let large = tickets.len() >= 100_000;
    for (i, t) in tickets.iter().enumerate() {
        let tagged = tagger.tag(t);
        ledger.record(t, &tagged);
        if contrast || finder.in_pool(&tagged) {
            pool.push((t, tagged));
        }
        if large && (i + 1) % 100_000 == 0 {
            eprint!("\rtagged {} of {} tickets", i + 1, tickets.len());
        }
    }
    if large {
        eprintln!();
    }
    ledger.compact();
    let themes = finder.find(pool.iter().map(|(t, tagged)| (*t, tagged)));
    let trends = Trends::analyze(&ledger, &trend_config);
    let roadmap = Roadmap::build(&ledger, &trends, &config)?;
    let report = Report {
        product,
        ledger,
        trends,
        roadmap,
        config,
        top,
        skipped,
        themes,
    };
    let format = arg(&args, "--format").unwrap_or_else(|| "table".to_string());
    let out = match format.as_str() {
        "table" => render::table(&report),
        "markdown" | "md" => render::markdown(&report),
        "csv" => render::csv(&report),
        "json" => serde_json::to_string_pretty(&render::json(&report))? + "\n",
        "html" => render::html(&report),
        other => {
            return Err(
                format!("--format: unknown {other:?} (table, markdown, csv, json, html)").into(),
            );
        }
    };
    match arg(&args, "--out") {
        Some(path) => {
            std::fs::write(&path, out)?;
            eprintln!("wrote {path}");
        }
        None => print!("{out}"),
    }
    Ok(())
}
