//! What the customer signals add to tagging a ticket: `Tagger::tag` with
//! signals on (the default) against signals off, on the same tickets (the
//! labelled signals set, tagged with the small demo product; and 1,000
//! Banking77 queries tagged with its 77-feature k10 taxonomy, a product of
//! realistic size); and `Signals::read` and `read_analyzed` on their own.

use criterion::measurement::WallTime;
use criterion::{BenchmarkGroup, Criterion, criterion_group, criterion_main};
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

/// The product's tagger with signals (the default) and without.
fn taggers(taxonomy: &str) -> (Tagger, Tagger) {
    let product: Product = serde_json::from_str(taxonomy).expect("a taxonomy");
    let tagger = Tagger::new(&product).expect("the taxonomy compiles");
    let plain = Tagger::builder()
        .config(TaggerConfig::default().signals(false))
        .build(&product)
        .expect("the taxonomy compiles");
    (tagger, plain)
}

/// Tags `tickets` without signals, then with them, in `group`.
fn tag_both_ways(
    group: &mut BenchmarkGroup<'_, WallTime>,
    (tagger, plain): &(Tagger, Tagger),
    tickets: &[Ticket],
) {
    for (name, tagger) in [("tag_without_signals", plain), ("tag_with_signals", tagger)] {
        group.bench_function(name, |b| {
            b.iter(|| {
                for t in tickets {
                    black_box(tagger.tag(black_box(t)));
                }
            })
        });
    }
}

fn bench(c: &mut Criterion) {
    let demo = taggers(TAXONOMY);
    let (tagger, plain) = &demo;
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
    tag_both_ways(&mut group, &demo, &tickets);
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
    let banking = taggers(B77_TAXONOMY);
    let tickets: Vec<Ticket> = B77_TICKETS
        .lines()
        .filter(|l| !l.trim().is_empty())
        .take(1000)
        .map(|l| serde_json::from_str(l).expect("a ticket"))
        .collect();
    assert_eq!(tickets.len(), 1000);
    assert!(tickets.iter().all(|t| banking.0.tag(t).kind.is_some()));
    let mut group = c.benchmark_group("signals_banking77");
    tag_both_ways(&mut group, &banking, &tickets);
    group.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
