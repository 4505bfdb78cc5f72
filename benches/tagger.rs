//! Tagging throughput: short tickets (Banking77), long tickets, product size.
//! Customer signals are off here (they have their own bench, `signals`).

use std::hint::black_box;

use criterion::{BenchmarkId, Criterion, Throughput, criterion_group, criterion_main};
use painpoint::{Capability, Feature, Product, Tagger, TaggerConfig, Ticket};

/// The tagger alone, without customer signals.
fn tagger(product: &Product) -> Tagger {
    Tagger::builder()
        .config(TaggerConfig::default().signals(false))
        .build(product)
        .unwrap()
}

fn banking() -> (Product, Vec<Ticket>) {
    let product: Product =
        serde_json::from_str(include_str!("data/banking77_taxonomy_k10.json")).unwrap();
    let tickets = include_str!("data/banking77_tickets_1000.jsonl")
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    (product, tickets)
}

/// A synthetic product of `n` features whose names and keywords are drawn
/// from a fixed word list, so any size can be built deterministically.
pub fn synthetic_product(n: usize) -> Product {
    const WORDS: &[&str] = &[
        "invoice",
        "export",
        "login",
        "password",
        "sync",
        "calendar",
        "report",
        "dashboard",
        "upload",
        "download",
        "billing",
        "refund",
        "plan",
        "upgrade",
        "mobile",
        "android",
        "iphone",
        "notification",
        "email",
        "slack",
        "timer",
        "project",
        "task",
        "comment",
        "attachment",
        "search",
        "filter",
        "permission",
        "team",
        "admin",
        "api",
        "webhook",
        "import",
        "template",
        "label",
        "archive",
        "backup",
        "restore",
        "language",
        "timezone",
    ];
    let mut product = Product::new("synthetic", "Synthetic");
    let caps = n.div_ceil(10);
    for c in 0..caps {
        let mut cap = Capability::new(
            format!("cap{c}"),
            format!("{} area", WORDS[c % WORDS.len()]),
        );
        for f in 0..10.min(n - c * 10) {
            let i = c * 10 + f;
            let (a, b) = (
                WORDS[i % WORDS.len()],
                WORDS[(i / WORDS.len() + 7 * i) % WORDS.len()],
            );
            cap = cap.feature(
                Feature::new(format!("f{i}"), format!("{a} {b} {i}"))
                    .keyword(format!("{a} {b}"))
                    .keyword(format!("{b} {a} issue"))
                    .example(format!("my {a} does not work with {b} since yesterday")),
            );
        }
        product = product.capability(cap);
    }
    product
}

fn short_tickets(c: &mut Criterion) {
    let (product, tickets) = banking();
    let tagger = tagger(&product);
    let mut group = c.benchmark_group("banking77_k10");
    group.throughput(Throughput::Elements(tickets.len() as u64));
    group.bench_function("tag_1000_tickets", |b| {
        b.iter(|| {
            let matched = tickets
                .iter()
                .filter(|t| !tagger.tag(black_box(t)).is_unmatched())
                .count();
            // Most Banking77 tickets match something: a fast wrong answer fails here.
            assert!(matched > 900, "only {matched} matched");
        })
    });
    group.finish();
}

fn long_tickets(c: &mut Criterion) {
    let (product, tickets) = banking();
    let tagger = tagger(&product);
    // 2-4 KB tickets: many short queries joined into paragraphs.
    let long: Vec<Ticket> = tickets
        .chunks(40)
        .enumerate()
        .map(|(i, chunk)| {
            Ticket::new(
                i.to_string(),
                chunk
                    .iter()
                    .map(|t| t.text.as_str())
                    .collect::<Vec<_>>()
                    .join(" "),
            )
        })
        .collect();
    let bytes: usize = long.iter().map(|t| t.text.len()).sum();
    let mut group = c.benchmark_group("long_tickets");
    group.throughput(Throughput::Bytes(bytes as u64));
    group.bench_function("tag_2_to_4_kb", |b| {
        b.iter(|| {
            let matched = long
                .iter()
                .filter(|t| !tagger.tag(black_box(t)).is_unmatched())
                .count();
            assert_eq!(matched, long.len());
        })
    });
    group.finish();
}

fn product_size(c: &mut Criterion) {
    let mut group = c.benchmark_group("product_size");
    let tickets: Vec<Ticket> = (0..200)
        .map(|i| {
            Ticket::new(
                i.to_string(),
                format!("the invoice export fails when I sync my calendar, ticket {i}"),
            )
        })
        .collect();
    for n in [100usize, 10_000] {
        let product = synthetic_product(n);
        group.bench_with_input(BenchmarkId::new("compile", n), &product, |b, p| {
            b.iter(|| {
                assert_eq!(
                    Tagger::new(black_box(p)).unwrap().product().node_count(),
                    p.node_count()
                )
            })
        });
        let tagger = tagger(&product);
        group.throughput(Throughput::Elements(tickets.len() as u64));
        group.bench_with_input(BenchmarkId::new("tag_200", n), &tickets, |b, tickets| {
            b.iter(|| {
                let matched = tickets
                    .iter()
                    .filter(|t| !tagger.tag(black_box(t)).is_unmatched())
                    .count();
                assert_eq!(matched, tickets.len());
            })
        });
    }
    group.finish();
}

criterion_group! {
    name = benches;
    config = Criterion::default().sample_size(20).measurement_time(std::time::Duration::from_secs(3));
    targets = short_tickets, long_tickets, product_size
}
criterion_main!(benches);
