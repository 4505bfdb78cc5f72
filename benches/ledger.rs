//! Ledger speed: ingest, a full report (trends + roadmap) over 1,000,000
//! tickets x 1,000 features x 52 weekly buckets, and merging two such
//! ledgers. Targets: >= 2,000,000 tickets/s, < 200 ms, < 50 ms.

use criterion::{BatchSize, Criterion, Throughput, criterion_group, criterion_main};
use painpoint::roadmap::{Roadmap, RoadmapConfig};
use painpoint::trend::{TrendConfig, Trends};
use painpoint::{
    Capability, Feature, Ledger, LedgerConfig, Match, Period, Product, TaggedTicket, Ticket,
    Timestamp,
};
use serde_json::json;
use std::hint::black_box;

const FEATURES: usize = 1_000;
const PER_CAP: usize = 10;
const WEEKS: i64 = 52;

fn product() -> Product {
    let mut p = Product::new("bench", "Bench");
    for c in 0..FEATURES / PER_CAP {
        let mut cap = Capability::new(format!("cap{c}"), format!("Cap {c}"));
        for f in 0..PER_CAP {
            let id = c * PER_CAP + f;
            cap = cap.feature(Feature::new(
                format!("feature-{id}"),
                format!("Feature {id}"),
            ));
        }
        p = p.capability(cap);
    }
    p
}

struct Rng(u64);
impl Rng {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9e37_79b9_7f4a_7c15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
        z ^ (z >> 31)
    }
    fn below(&mut self, n: u64) -> u64 {
        self.next() % n
    }
}

/// `n` tagged tickets over 52 weeks: 200,000 customers, 20,000 accounts,
/// features skewed (a quarter of the tickets on the first 50 features),
/// kind, sentiment and a need on every ticket.
fn tickets(n: usize, seed: u64) -> Vec<(Ticket, TaggedTicket)> {
    let mut rng = Rng(seed);
    let kinds = ["bug", "question", "complaint", "feature_request"];
    let labels = ["negative", "neutral", "positive"];
    let channels = ["email", "chat", "phone", "web"];
    let start = Timestamp::from_date(2024, 1, 1).unwrap().unix();
    (0..n)
        .map(|i| {
            let f = if rng.below(4) == 0 {
                rng.below(50)
            } else {
                rng.below(FEATURES as u64)
            } as usize;
            let account = rng.below(20_000);
            let t = Ticket::new(i.to_string(), "")
                .created_at(Timestamp::from_unix(
                    start + rng.below(WEEKS as u64 * 7 * 86_400) as i64,
                ))
                .customer(format!("customer-{}", rng.below(200_000)))
                .account(format!("account-{account}"), (account % 100) as f64 * 120.0)
                .channel(channels[rng.below(4) as usize])
                .csat((1 + rng.below(5)) as f64)
                .resolution_hours(rng.below(2_000) as f64 / 10.0);
            let mut tagged: TaggedTicket = serde_json::from_value(json!({
                "id": i.to_string(), "matches": [],
                "needs": [{"need": "reliability", "score": 0.6, "evidence": []}],
                "kind": {"label": kinds[rng.below(4) as usize], "score": 0.7},
                "sentiment": {"label": labels[rng.below(3) as usize], "score": -0.3}}))
            .unwrap();
            let mut m = Match::default();
            m.feature = Some(format!("feature-{f}").into());
            m.capability = format!("cap{}", f / PER_CAP).into();
            m.score = 0.8;
            tagged.matches.push(m);
            (t, tagged)
        })
        .collect()
}

fn build(product: &Product, data: &[(Ticket, TaggedTicket)]) -> Ledger {
    let mut ledger = Ledger::new(product, LedgerConfig::new(Period::Week)).unwrap();
    ledger.record_all(data.iter().map(|(t, tagged)| (t, tagged)));
    // Part of ingest: the report then only reads.
    ledger.compact();
    ledger
}

fn benches(c: &mut Criterion) {
    let product = product();
    let data = tickets(1_000_000, 1);

    let mut g = c.benchmark_group("ledger");
    g.sample_size(10);
    let chunk = &data[..200_000];
    g.throughput(Throughput::Elements(chunk.len() as u64));
    g.bench_function("ingest 200k tickets into a fresh ledger", |b| {
        b.iter(|| {
            let ledger = build(&product, black_box(chunk));
            assert_eq!(ledger.tickets(), chunk.len() as u64);
            ledger
        })
    });
    g.bench_function("ingest 200k tickets one by one (record)", |b| {
        b.iter(|| {
            let mut ledger = Ledger::new(&product, LedgerConfig::new(Period::Week)).unwrap();
            for (t, tagged) in black_box(chunk) {
                ledger.record(t, tagged);
            }
            ledger.compact();
            assert_eq!(ledger.tickets(), chunk.len() as u64);
            ledger
        })
    });
    let warm = build(&product, &data[200_000..]);
    g.bench_function("ingest 200k tickets into a 800k ledger", |b| {
        b.iter_batched(
            || warm.clone(),
            |mut ledger| {
                ledger.record_all(chunk.iter().map(|(t, tagged)| (t, tagged)));
                assert_eq!(ledger.tickets(), data.len() as u64);
                ledger
            },
            BatchSize::LargeInput,
        )
    });
    drop(warm);

    let full = build(&product, &data);
    g.throughput(Throughput::Elements(1));
    g.bench_function("report 1M tickets x 1000 features x 52 weeks", |b| {
        b.iter(|| {
            let trends = Trends::analyze(&full, &TrendConfig::default());
            let roadmap = Roadmap::build(&full, &trends, &RoadmapConfig::default()).unwrap();
            assert_eq!(roadmap.items.len(), FEATURES);
            assert_eq!(trends.trends[0].series.len(), 52);
            roadmap
        })
    });

    let other = build(&product, &tickets(1_000_000, 2));
    g.bench_function("merge two 1M-ticket ledgers", |b| {
        b.iter_batched(
            || full.clone(),
            |mut a| {
                a.merge(&other).unwrap();
                assert_eq!(a.tickets(), 2_000_000);
                a
            },
            BatchSize::LargeInput,
        )
    });
    g.finish();
}

criterion_group!(ledger, benches);
criterion_main!(ledger);
