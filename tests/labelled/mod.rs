//! Labelled signal tickets (`tests/data/signals/tickets*.tsv`) and their
//! scoring, shared by the English and the other languages' tests.
//!
//! A file holds one ticket a line: `needs<TAB>kind<TAB>sentiment<TAB>text`,
//! needs comma-separated or `-`, labels in their serde names. Every other
//! ticket is held out: tuning looks at the dev half only
//! (`SIGNALS_SHOW=dev` prints its misses), the held-out half is scored.

use std::collections::BTreeMap;
use std::fmt::Debug;

use painpoint::{Kind, Need, Polarity};

/// One labelled ticket.
pub struct Case {
    pub held_out: bool,
    pub needs: Vec<Need>,
    pub kind: Kind,
    pub sentiment: Polarity,
    pub text: &'static str,
}

fn parse<T: serde::de::DeserializeOwned>(name: &str) -> T {
    serde_json::from_str(&format!("\"{name}\"")).unwrap_or_else(|_| panic!("bad label {name:?}"))
}

/// The cases of one file; `#` lines are comments.
pub fn cases(tickets: &'static str) -> Vec<Case> {
    tickets
        .lines()
        .filter(|l| !l.starts_with('#') && !l.trim().is_empty())
        .enumerate()
        .map(|(i, line)| {
            let cols: Vec<&str> = line.split('\t').collect();
            assert_eq!(cols.len(), 4, "bad line {line:?}");
            let needs = if cols[0] == "-" {
                Vec::new()
            } else {
                cols[0].split(',').map(|n| parse(n.trim())).collect()
            };
            Case {
                held_out: i % 2 == 1,
                needs,
                kind: parse(cols[1]),
                sentiment: parse(cols[2]),
                text: cols[3],
            }
        })
        .collect()
}

#[derive(Default, Debug)]
struct Counts {
    tp: usize,
    fp: usize,
    fn_: usize,
}

impl Counts {
    fn precision(&self) -> f64 {
        self.tp as f64 / (self.tp + self.fp).max(1) as f64
    }
    fn recall(&self) -> f64 {
        self.tp as f64 / (self.tp + self.fn_).max(1) as f64
    }
}

/// Per-label counts over (gold, predicted) label sets.
fn counts<'a, L: Ord + Copy + 'a>(
    pairs: impl Iterator<Item = &'a (Vec<L>, Vec<L>)>,
) -> BTreeMap<L, Counts> {
    let mut counts: BTreeMap<L, Counts> = BTreeMap::new();
    for (gold, predicted) in pairs {
        for g in gold {
            let c = counts.entry(*g).or_default();
            if predicted.contains(g) {
                c.tp += 1;
            } else {
                c.fn_ += 1;
            }
        }
        for p in predicted {
            if !gold.contains(p) {
                counts.entry(*p).or_default().fp += 1;
            }
        }
    }
    counts
}

/// Macro-F1 over the labels seen (gold or predicted); prints per-label
/// precision and recall when `print`.
fn macro_f1<L: Debug>(counts: &BTreeMap<L, Counts>, print: bool) -> f64 {
    let mut sum = 0.0;
    for (label, c) in counts {
        let (p, r) = (c.precision(), c.recall());
        let f1 = if p + r > 0.0 {
            2.0 * p * r / (p + r)
        } else {
            0.0
        };
        sum += f1;
        if print {
            eprintln!(
                "  {label:?}: precision {p:.3} recall {r:.3} F1 {f1:.3} (tp {} fp {} fn {})",
                c.tp, c.fp, c.fn_
            );
        }
    }
    sum / counts.len().max(1) as f64
}

/// What one label set scores: macro-F1 on each half and on the whole set,
/// and the lowest per-label precision or recall on the whole set.
#[derive(Debug, Clone, Copy)]
pub struct Figures {
    pub dev: f64,
    pub held_out: f64,
    pub all: f64,
    pub lowest: f64,
}

/// Floors the figures must keep (regression guards: the measured figures
/// minus a small margin). `lowest` is guarded only where a set is large
/// enough for every label to have a stable precision and recall.
#[derive(Debug, Clone, Copy)]
pub struct Floors {
    pub dev: f64,
    pub held_out: f64,
    pub all: f64,
    pub lowest: Option<f64>,
}

impl Figures {
    /// Asserts that every figure keeps its floor.
    pub fn check(&self, what: &str, floors: &Floors) {
        for (figure, value, floor) in [
            ("dev macro-F1", self.dev, floors.dev),
            ("held-out macro-F1", self.held_out, floors.held_out),
            ("macro-F1", self.all, floors.all),
        ] {
            assert!(value >= floor, "{what}: {figure} {value:.3} below {floor}");
        }
        if let Some(floor) = floors.lowest {
            assert!(
                self.lowest >= floor,
                "{what}: lowest precision or recall {:.3} below {floor}",
                self.lowest
            );
        }
    }
}

/// Scores `read` against `gold` on every case, prints the per-label
/// figures of each half (and, with `SIGNALS_SHOW=dev`, `held_out` or
/// `all`, that half's misses) and returns the figures.
pub fn evaluate<L: Ord + Copy + Debug>(
    what: &str,
    cases: &[Case],
    read: impl Fn(&str) -> Vec<L>,
    gold: impl Fn(&Case) -> Vec<L>,
) -> Figures {
    let show = std::env::var("SIGNALS_SHOW").unwrap_or_default();
    let mut halves: [Vec<(Vec<L>, Vec<L>)>; 2] = [Vec::new(), Vec::new()];
    for case in cases {
        let mut got = read(case.text);
        got.sort();
        let mut want = gold(case);
        want.sort();
        let shown = match show.as_str() {
            "dev" => !case.held_out,
            "held_out" => case.held_out,
            "all" => true,
            _ => false,
        };
        if shown && got != want {
            eprintln!("  {what}: want {want:?} got {got:?}: {}", case.text);
        }
        halves[usize::from(case.held_out)].push((want, got));
    }
    eprintln!("{what}, dev half:");
    let dev = macro_f1(&counts(halves[0].iter()), true);
    eprintln!("{what}, held-out half:");
    let held_out = macro_f1(&counts(halves[1].iter()), true);
    let whole = counts(halves.iter().flatten());
    let all = macro_f1(&whole, false);
    let lowest = whole
        .values()
        .map(|c| c.precision().min(c.recall()))
        .fold(1.0, f64::min);
    eprintln!(
        "{what}: macro-F1 dev {dev:.3} held-out {held_out:.3} all {all:.3}, \
         lowest precision or recall {lowest:.3}"
    );
    Figures {
        dev,
        held_out,
        all,
        lowest,
    }
}
