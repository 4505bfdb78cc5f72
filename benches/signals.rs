//! What the customer signals add to tagging a ticket: `Tagger::tag` with
//! signals on (the default) against signals off, on the same tickets (the
//! labelled signals set, tagged with the small demo product; and 1,000
//! Banking77 queries tagged with its 77-feature k10 taxonomy, a product of
//! realistic size); and `Signals::read` and `read_analyzed` on their own.

use criterion::{Criterion, criterion_group, criterion_main};
use std::hint::black_box;

use painpoint::analysis::Analyzer;
use painpoint::{Language, Product, Signals, Tagger, TaggerConfig, Ticket};

const TAXONOMY: &str = include_str!("../examples/data/demo_taxonomy.json");
const TICKETS: &str = include_str!("../tests/data/signals/tickets.tsv");
const B77_TAXONOMY: &str = include_str!("../tests/data/banking77/taxonomy_k10.json");
const B77_TICKETS: &str = include_str!("../tests/data/banking77/tickets.jsonl");

fn texts() -> Vec<&'static str> {
    TICKETS
        .lines()
        .filter(|l| !l.starts_with('#'))
        .filter_map(|l| l.rsplit('\t').next())
        .collect()
}

fn bench(c: &mut Criterion) {
    let product: Product = serde_json::from_str(TAXONOMY).expect("demo taxonomy");
    let tagger = Tagger::new(&product).expect("demo taxonomy compiles");
    let plain = Tagger::builder()
        .config(TaggerConfig::default().signals(false))
        .build(&product)
        .expect("demo taxonomy compiles");
    let signals = Signals::english();
    let analyzer = Analyzer::new(Language::English);
    let texts = texts();
    let tickets: Vec<Ticket> = texts
        .iter()
        .enumerate()
        .map(|(i, t)| Ticket::new(i.to_string(), *t))
        .collect();
    // Benches assert what they compute.
    let with_needs = texts
        .iter()
        .filter(|t| !signals.read(None, t).needs.is_empty())
        .count();
    assert!(with_needs * 2 > texts.len(), "most tickets speak to a need");

    assert!(tickets.iter().all(|t| tagger.tag(t).kind.is_some()));
    assert!(tickets.iter().all(|t| plain.tag(t).kind.is_none()));

    let mut group = c.benchmark_group("signals");
    group.bench_function("tag_without_signals", |b| {
        b.iter(|| {
            for t in &tickets {
                black_box(plain.tag(black_box(t)));
            }
        })
    });
    group.bench_function("tag_with_signals", |b| {
        b.iter(|| {
            for t in &tickets {
                black_box(tagger.tag(black_box(t)));
            }
        })
    });
    group.bench_function("signals_read", |b| {
        b.iter(|| {
            for t in &texts {
                black_box(signals.read(None, black_box(t)));
            }
        })
    });
    let analyses: Vec<_> = texts.iter().map(|t| analyzer.analyze(t)).collect();
    group.bench_function("signals_read_analyzed", |b| {
        b.iter(|| {
            for (t, a) in texts.iter().zip(&analyses) {
                black_box(signals.read_analyzed(None, (black_box(t), a)));
            }
        })
    });
    group.finish();

    // The same comparison on a product of realistic size.
    let product: Product = serde_json::from_str(B77_TAXONOMY).expect("k10 taxonomy");
    let tagger = Tagger::new(&product).expect("k10 compiles");
    let plain = Tagger::builder()
        .config(TaggerConfig::default().signals(false))
        .build(&product)
        .expect("k10 compiles");
    let tickets: Vec<Ticket> = B77_TICKETS
        .lines()
        .filter(|l| !l.trim().is_empty())
        .take(1000)
        .map(|l| serde_json::from_str(l).expect("a ticket"))
        .collect();
    assert_eq!(tickets.len(), 1000);
    assert!(tickets.iter().all(|t| tagger.tag(t).kind.is_some()));
    let mut group = c.benchmark_group("signals_banking77");
    group.bench_function("tag_without_signals", |b| {
        b.iter(|| {
            for t in &tickets {
                black_box(plain.tag(black_box(t)));
            }
        })
    });
    group.bench_function("tag_with_signals", |b| {
        b.iter(|| {
            for t in &tickets {
                black_box(tagger.tag(black_box(t)));
            }
        })
    });
    group.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
