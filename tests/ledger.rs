//! Ledger: merging any split equals building from all, counts are
//! conserved, serde round-trips.

use painpoint::{
    Capability, DistinctCount, Error, Feature, Kind, Ledger, LedgerConfig, Need, Period, Product,
    TaggedTicket, Ticket, Timestamp,
};
use proptest::prelude::*;
use serde_json::json;

fn product() -> Product {
    Product::new("shop", "Shop")
        .capability(
            Capability::new("pay", "Payments")
                .feature(Feature::new("refund", "Refund"))
                .feature(Feature::new("card", "Card"))
                .feature(Feature::new("invoice", "Invoice")),
        )
        .capability(
            Capability::new("ship", "Shipping")
                .feature(Feature::new("track", "Tracking"))
                .feature(Feature::new("returns", "Returns")),
        )
}

const NODES: [(&str, Option<&str>); 8] = [
    ("pay", Some("refund")),
    ("pay", Some("card")),
    ("pay", Some("invoice")),
    ("ship", Some("track")),
    ("ship", Some("returns")),
    ("pay", None),
    ("ship", None),
    ("ghost", Some("nope")),
];

#[derive(Debug, Clone)]
struct Spec {
    day: Option<i64>,
    customer: Option<u8>,
    account: Option<(u8, u16)>,
    channel: Option<u8>,
    csat: Option<u8>,
    hours: Option<u16>,
    matches: Vec<(usize, u8)>,
    needs: Vec<u8>,
    kind: Option<u8>,
    sentiment: Option<i8>,
    shard: u8,
}

fn spec() -> impl Strategy<Value = Spec> {
    (
        (
            prop::option::weighted(0.9, 0..120i64),
            prop::option::weighted(0.8, 0..12u8),
            prop::option::weighted(0.7, (0..6u8, 0..5000u16)),
            // More channels than the dense slots, so some spill to the log.
            prop::option::weighted(0.7, 0..12u8),
            prop::option::of(1..=5u8),
            prop::option::of(0..500u16),
        ),
        (
            prop::collection::vec((0..NODES.len(), 0..100u8), 0..4),
            prop::collection::vec(0..16u8, 0..3),
            prop::option::of(0..6u8),
            prop::option::of(-100..=100i8),
            0..3u8,
        ),
    )
        .prop_map(
            |(
                (day, customer, account, channel, csat, hours),
                (matches, needs, kind, sentiment, shard),
            )| Spec {
                day,
                customer,
                account,
                channel,
                csat,
                hours,
                matches,
                needs,
                kind,
                sentiment,
                shard,
            },
        )
}

fn build(i: usize, s: &Spec) -> (Ticket, TaggedTicket) {
    let mut t = Ticket::new(i.to_string(), "text");
    if let Some(d) = s.day {
        t = t.created_at(Timestamp::from_unix(1_700_000_000 + d * 43_200));
    }
    if let Some(c) = s.customer {
        t = t.customer(format!("cust-{c}"));
    }
    if let Some((a, v)) = s.account {
        t = t.account(format!("acct-{a}"), f64::from(v) * 1.5);
    }
    if let Some(c) = s.channel {
        t = match c {
            0..3 => t.channel(["email", "chat", "phone"][c as usize]),
            _ => t.channel(format!("channel-{c}")),
        };
    }
    if let Some(c) = s.csat {
        t = t.csat(f64::from(c));
    }
    if let Some(h) = s.hours {
        t = t.resolution_hours(f64::from(h) / 7.0);
    }
    let matches: Vec<_> = s
        .matches
        .iter()
        .map(|&(n, score)| {
            let (cap, feat) = NODES[n];
            json!({"feature": feat, "capability": cap, "score": f64::from(score) / 100.0, "evidence": []})
        })
        .collect();
    let needs: Vec<_> = s
        .needs
        .iter()
        .map(|&n| json!({"need": Need::ALL[n as usize], "score": 0.5, "evidence": []}))
        .collect();
    let mut tagged = json!({"id": i.to_string(), "matches": matches, "needs": needs});
    if let Some(k) = s.kind {
        tagged["kind"] = json!({"label": Kind::ALL[k as usize], "score": 0.7});
    }
    if let Some(v) = s.sentiment {
        let label = if v < -20 {
            "negative"
        } else if v > 20 {
            "positive"
        } else {
            "neutral"
        };
        tagged["sentiment"] = json!({"label": label, "score": f64::from(v) / 100.0});
    }
    (t, serde_json::from_value(tagged).unwrap())
}

fn ledgers(specs: &[Spec], config: LedgerConfig) -> (Ledger, Vec<Ledger>) {
    let p = product();
    let mut all = Ledger::new(&p, config).unwrap();
    let mut shards: Vec<Ledger> = (0..3).map(|_| Ledger::new(&p, config).unwrap()).collect();
    for (i, s) in specs.iter().enumerate() {
        let (t, tagged) = build(i, s);
        all.record(&t, &tagged);
        shards[s.shard as usize].record(&t, &tagged);
    }
    (all, shards)
}

fn configs() -> impl Strategy<Value = LedgerConfig> {
    (0..3usize, any::<bool>(), 0..3usize).prop_map(|(p, est, max)| {
        let period = [Period::Day, Period::Week, Period::Month][p];
        let distinct = if est {
            DistinctCount::Estimate { precision: 4 }
        } else {
            DistinctCount::Exact
        };
        LedgerConfig::new(period)
            .distinct(distinct)
            .max_matches(max)
            .min_score(0.1)
    })
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(64))]

    #[test]
    fn merge_of_any_split_equals_all(specs in prop::collection::vec(spec(), 0..80), config in configs()) {
        let (all, shards) = ledgers(&specs, config);
        // ((0 + 1) + 2)
        let mut left = shards[0].clone();
        left.merge(&shards[1]).unwrap();
        left.merge(&shards[2]).unwrap();
        prop_assert_eq!(&left, &all);
        // (2 + (1 + 0)): another order and grouping
        let mut inner = shards[1].clone();
        inner.merge(&shards[0]).unwrap();
        let mut right = shards[2].clone();
        right.merge(&inner).unwrap();
        prop_assert_eq!(&right, &all);
        // Same bytes once serialized.
        prop_assert_eq!(serde_json::to_string(&right).unwrap(), serde_json::to_string(&all).unwrap());
    }

    #[test]
    fn counts_are_conserved(specs in prop::collection::vec(spec(), 0..80), config in configs()) {
        let (all, _) = ledgers(&specs, config);
        prop_assert_eq!(all.tickets(), specs.len() as u64);
        let dated = specs.iter().filter(|s| s.day.is_some()).count() as u64;
        let volume: u64 = all
            .bucket_range()
            .map_or(0, |(a, b)| all.volume(a..=b).iter().sum());
        prop_assert_eq!(volume, dated);
        // Every ticket is matched somewhere or unmatched: the capabilities
        // plus unmatched cover every ticket at least once, and a ticket is
        // never counted twice in one node.
        let caps: u64 = all.capabilities().map(|c| all.total(c).tickets).sum();
        let unmatched = all.total(all.unmatched()).tickets;
        prop_assert!(caps + unmatched >= specs.len() as u64);
        for node in 0..all.nodes().len() {
            prop_assert!(all.total(node).tickets <= specs.len() as u64);
        }
        // A capability holds at least as many tickets as any of its features.
        for f in all.features() {
            let cap = all.nodes()[f].capability.unwrap();
            prop_assert!(all.total(cap).tickets >= all.total(f).tickets);
        }
    }

    #[test]
    fn batch_equals_one_by_one(specs in prop::collection::vec(spec(), 0..80), config in configs()) {
        let (all, _) = ledgers(&specs, config);
        let pairs: Vec<(Ticket, TaggedTicket)> =
            specs.iter().enumerate().map(|(i, s)| build(i, s)).collect();
        let mut batch = Ledger::new(&product(), config).unwrap();
        batch.record_all(pairs.iter().map(|(t, g)| (t, g)));
        prop_assert_eq!(&batch, &all);
        // All-time figures read before compaction (derived on the fly)
        // equal those after.
        let before: Vec<_> = (0..all.nodes().len()).map(|n| batch.total(n)).collect();
        let before_all = batch.totals(0..all.nodes().len());
        batch.compact();
        let after = batch.totals(0..all.nodes().len());
        prop_assert_eq!(&before, &after);
        prop_assert_eq!(&before_all, &after);
    }

    #[test]
    fn serde_round_trips(specs in prop::collection::vec(spec(), 0..60), config in configs()) {
        let (all, _) = ledgers(&specs, config);
        let text = serde_json::to_string(&all).unwrap();
        let back: Ledger = serde_json::from_str(&text).unwrap();
        prop_assert_eq!(&back, &all);
        prop_assert_eq!(serde_json::to_string(&back).unwrap(), text);
    }
}

#[test]
fn figures_of_a_small_ledger() {
    let specs = [
        // Two tickets from one account: its value counts once.
        (0, "ann", "acme", 1000.0, "refund", 4.0, 2.0),
        (1, "bob", "acme", 1000.0, "refund", 2.0, 10.0),
        (2, "cid", "bigco", 5000.0, "card", 5.0, 1.0),
    ];
    let p = product();
    let mut ledger = Ledger::new(&p, LedgerConfig::new(Period::Week)).unwrap();
    for (i, (d, c, a, v, f, csat, hours)) in specs.iter().enumerate() {
        let t = Ticket::new(i.to_string(), "x")
            .created_at(Timestamp::from_date(2024, 3, 4 + d).unwrap())
            .customer(*c)
            .account(*a, *v)
            .channel("email")
            .csat(*csat)
            .resolution_hours(*hours);
        let tagged: TaggedTicket = serde_json::from_value(json!({"id": i.to_string(),
            "matches": [{"feature": f, "capability": "pay", "score": 0.9, "evidence": []}],
            "kind": {"label": "bug", "score": 0.9},
            "sentiment": {"label": "negative", "score": -0.5}}))
        .unwrap();
        ledger.record(&t, &tagged);
    }
    let refund = ledger.total(ledger.node("refund").unwrap());
    assert_eq!(refund.tickets, 2);
    assert_eq!(refund.customers, 2.0);
    assert_eq!(refund.accounts, 1.0);
    assert_eq!(refund.value, 1000.0);
    assert_eq!(refund.csat_mean, Some(3.0));
    assert_eq!(refund.resolution_mean, Some(6.0));
    assert_eq!(refund.kind(Kind::Bug), 2);
    assert_eq!(refund.negative, 2);
    assert_eq!(refund.channels["email"], 2);
    let pay = ledger.total(ledger.node("pay").unwrap());
    assert_eq!((pay.tickets, pay.accounts, pay.value), (3, 2.0, 6000.0));
    // All in the ISO week starting Monday 2024-03-04.
    let (first, last) = ledger.bucket_range().unwrap();
    assert_eq!(first, last);
    assert_eq!(
        Period::Week.start_of(first).to_string(),
        "2024-03-04T00:00:00Z"
    );
    assert_eq!(ledger.unmatched(), ledger.nodes().len() - 1);
}

#[test]
fn undated_and_unknown_are_kept() {
    let p = product();
    let mut ledger = Ledger::new(&p, LedgerConfig::default()).unwrap();
    let tagged: TaggedTicket = serde_json::from_value(json!({"id": "1",
        "matches": [{"feature": "nope", "capability": "ghost", "score": 0.9, "evidence": []}]}))
    .unwrap();
    ledger.record(&Ticket::new("1", "x"), &tagged);
    assert_eq!(ledger.tickets(), 1);
    assert_eq!(ledger.unknown_matches(), 1);
    assert_eq!(ledger.total(ledger.unmatched()).tickets, 1);
    assert_eq!(ledger.bucket_range(), None);
}

#[test]
fn merging_different_ledgers_fails() {
    let p = product();
    let mut a = Ledger::new(&p, LedgerConfig::new(Period::Day)).unwrap();
    let b = Ledger::new(&p, LedgerConfig::new(Period::Week)).unwrap();
    assert!(matches!(a.merge(&b), Err(Error::Mismatch { .. })));
    let other = Product::new("other", "Other").capability(Capability::new("x", "X"));
    let c = Ledger::new(&other, LedgerConfig::new(Period::Day)).unwrap();
    assert!(matches!(a.merge(&c), Err(Error::Mismatch { .. })));
    assert!(
        Ledger::new(
            &p,
            LedgerConfig::default().distinct(DistinctCount::Estimate { precision: 30 })
        )
        .is_err()
    );
}

#[test]
fn estimate_is_within_documented_error() {
    let p = product();
    let config = LedgerConfig::default().distinct(DistinctCount::Estimate { precision: 12 });
    let mut ledger = Ledger::new(&p, config).unwrap();
    let tagged: TaggedTicket = serde_json::from_value(json!({"id": "1",
        "matches": [{"feature": "card", "capability": "pay", "score": 0.9, "evidence": []}]}))
    .unwrap();
    let at = Timestamp::from_date(2024, 1, 1).unwrap();
    let n = 50_000;
    for i in 0..n {
        let t = Ticket::new("x", "x")
            .created_at(at)
            .customer(format!("c{i}"))
            .account(format!("a{}", i % 20_000), 10.0);
        ledger.record(&t, &tagged);
    }
    let s = ledger.total(ledger.node("card").unwrap());
    assert!(!s.exact);
    let err = config.distinct.relative_error();
    assert!(
        (s.customers - n as f64).abs() / (n as f64) < 4.0 * err,
        "{}",
        s.customers
    );
    assert!(
        (s.accounts - 20_000.0).abs() / 20_000.0 < 4.0 * err,
        "{}",
        s.accounts
    );
    assert!(
        (s.value - 200_000.0).abs() / 200_000.0 < 4.0 * err,
        "{}",
        s.value
    );
}

#[test]
fn bucket_boundaries() {
    let t = |s: &str| s.parse::<Timestamp>().unwrap();
    // Sunday 23:59:59 and Monday 00:00:00 fall in different ISO weeks.
    assert_ne!(
        Period::Week.bucket(t("2024-03-10T23:59:59Z")),
        Period::Week.bucket(t("2024-03-11T00:00:00Z"))
    );
    assert_eq!(
        Period::Week.bucket_start(t("2024-03-10T23:59:59Z")),
        t("2024-03-04")
    );
    assert_eq!(
        Period::Month.bucket_start(t("2024-02-29T12:00:00Z")),
        t("2024-02-01")
    );
    assert_eq!(
        Period::Day.bucket_start(t("1969-12-31T12:00:00Z")),
        t("1969-12-31")
    );
    assert_eq!(Period::Week.bucket_start(t("1970-01-01")), t("1969-12-29"));
    for p in [Period::Day, Period::Week, Period::Month] {
        for s in [
            "2023-12-31T23:00:00Z",
            "2024-01-01T00:00:00Z",
            "1900-03-01T05:00:00Z",
        ] {
            let b = p.bucket(t(s));
            assert_eq!(p.bucket(p.start_of(b)), b);
            assert_eq!(
                p.bucket(Timestamp::from_unix(p.start_of(b + 1).unix() - 1)),
                b
            );
        }
    }
}

/// Enough tickets that logs compact and (with a small precision) nodes
/// switch to sketches at different times in the shards and in the whole.
#[test]
fn large_split_merges_exactly() {
    let mut state = 7u64;
    let mut next = move |n: u64| {
        state = state
            .wrapping_mul(6_364_136_223_846_793_005)
            .wrapping_add(1_442_695_040_888_963_407);
        (state >> 33) % n
    };
    let specs: Vec<Spec> = (0..6000)
        .map(|_| Spec {
            day: (next(10) > 0).then(|| next(30) as i64),
            customer: Some(next(250) as u8),
            account: Some((next(200) as u8, next(5000) as u16)),
            channel: Some(next(3) as u8),
            csat: Some(1 + next(5) as u8),
            hours: Some(next(500) as u16),
            matches: (0..next(3))
                .map(|_| (next(NODES.len() as u64) as usize, 50))
                .collect(),
            needs: vec![next(16) as u8],
            kind: Some(next(6) as u8),
            sentiment: Some((next(200) as i16 - 100) as i8),
            shard: next(3) as u8,
        })
        .collect();
    for distinct in [
        DistinctCount::Exact,
        DistinctCount::Estimate { precision: 6 },
    ] {
        let config = LedgerConfig::new(Period::Week).distinct(distinct);
        let (all, shards) = ledgers(&specs, config);
        let mut merged = shards[2].clone();
        merged.merge(&shards[0]).unwrap();
        merged.merge(&shards[1]).unwrap();
        assert_eq!(merged, all);
        let card = all.node("card").unwrap();
        assert_eq!(merged.total(card), all.total(card));
        let totals = all.totals(0..all.nodes().len());
        for (i, t) in totals.iter().enumerate() {
            assert_eq!(*t, all.total(i));
        }
        if distinct == DistinctCount::Exact {
            assert!(totals[card].customers <= 250.0 && totals[card].customers > 200.0);
        } else {
            assert!(!totals[card].exact);
        }
        let back: Ledger = serde_json::from_str(&serde_json::to_string(&merged).unwrap()).unwrap();
        assert_eq!(back, all);
    }
}

#[test]
fn batches_span_chunks() {
    // More tickets than one staging chunk of `record_all`, in three calls.
    let specs: Vec<Spec> = (0..40_000u32)
        .map(|i| Spec {
            day: (i % 17 != 0).then_some(i64::from(i % 97)),
            customer: Some((i % 251) as u8),
            account: Some(((i % 13) as u8, (i % 4999) as u16)),
            channel: Some((i % 11) as u8),
            csat: Some(1 + (i % 5) as u8),
            hours: Some((i % 499) as u16),
            matches: vec![((i as usize * 7) % NODES.len(), 60)],
            needs: vec![(i % 16) as u8],
            kind: Some((i % 6) as u8),
            sentiment: Some(((i % 201) as i16 - 100) as i8),
            shard: 0,
        })
        .collect();
    let config = LedgerConfig::new(Period::Day);
    let (all, _) = ledgers(&specs, config);
    let pairs: Vec<(Ticket, TaggedTicket)> =
        specs.iter().enumerate().map(|(i, s)| build(i, s)).collect();
    let mut batch = Ledger::new(&product(), config).unwrap();
    for part in [&pairs[..5], &pairs[5..30_000], &pairs[30_000..]] {
        batch.extend(part.iter().map(|(t, g)| (t, g)));
    }
    assert_eq!(batch.tickets(), 40_000);
    assert_eq!(batch, all);
    batch.compact();
    assert_eq!(batch, all);
    let card = all.node("card").unwrap();
    assert_eq!(batch.total(card), all.total(card));
    assert_eq!(batch.total(card).channels.len(), 11);
}

#[test]
fn batches_with_far_apart_buckets() {
    // Buckets centuries apart: `record_all` groups them by sorting
    // instead of through its (bucket, node) table.
    let specs: Vec<Spec> = (0..3_000u32)
        .map(|i| Spec {
            day: (i % 29 != 0).then_some(i64::from(i) * 7_919 % 300_000),
            customer: Some((i % 199) as u8),
            account: Some(((i % 7) as u8, (i % 977) as u16)),
            channel: Some((i % 10) as u8),
            csat: Some(1 + (i % 5) as u8),
            hours: Some((i % 301) as u16),
            matches: vec![((i as usize * 5) % NODES.len(), 70)],
            needs: vec![(i % 16) as u8],
            kind: Some((i % 6) as u8),
            sentiment: Some(((i % 201) as i16 - 100) as i8),
            shard: 0,
        })
        .collect();
    for config in [
        LedgerConfig::new(Period::Day),
        LedgerConfig::new(Period::Month),
    ] {
        let (all, _) = ledgers(&specs, config);
        let pairs: Vec<(Ticket, TaggedTicket)> =
            specs.iter().enumerate().map(|(i, s)| build(i, s)).collect();
        let mut batch = Ledger::new(&product(), config).unwrap();
        batch.record_all(pairs.iter().map(|(t, g)| (t, g)));
        assert_eq!(batch, all);
        assert_eq!(
            serde_json::to_string(&batch).unwrap(),
            serde_json::to_string(&all).unwrap()
        );
    }
}

/// In memory a node-bucket counts in 32 bits (needs in 16) and spills
/// to full width on overflow: counts loaded just below those bounds keep
/// counting exactly through ingest, merge and serde, never wrapping.
#[test]
fn counts_past_the_narrow_cells_stay_exact() {
    let p = product();
    let day = Timestamp::from_date(2024, 3, 4).unwrap();
    let ticket = |i: usize, value: f64| -> (Ticket, TaggedTicket) {
        let t = Ticket::new(i.to_string(), "x")
            .created_at(day)
            .customer("ann")
            .account("acme", value)
            .channel("email")
            .csat(5.0)
            .resolution_hours(100.0);
        let tagged = serde_json::from_value(json!({"id": i.to_string(),
            "matches": [{"feature": "refund", "capability": "pay", "score": 0.9, "evidence": []}],
            "needs": [{"need": "reliability", "score": 0.5, "evidence": []}],
            "kind": {"label": "bug", "score": 0.9},
            "sentiment": {"label": "negative", "score": -0.5}}))
        .unwrap();
        (t, tagged)
    };
    let mut seed = Ledger::new(&p, LedgerConfig::new(Period::Week)).unwrap();
    let (t, g) = ticket(0, 1.0);
    seed.record(&t, &g);
    seed.compact();
    let refund = seed.node("refund").unwrap();
    let big = u64::from(u32::MAX) - 1;
    let counts = [
        "tickets",
        "sentiment_n",
        "negative",
        "csat_n",
        "resolution_n",
        "value_n",
    ];
    let sums = [
        ("sentiment_sum", i64::from(i32::MIN) + 10),
        ("csat_sum", i64::from(i32::MAX) - 1),
        ("resolution_sum", i64::from(i32::MAX) - 1_000),
        ("value_sum", i64::from(i32::MAX) - 5),
    ];
    let (bug, reliability) = (Kind::Bug as usize, Need::Reliability as usize);
    let mut wire = serde_json::to_value(&seed).unwrap();
    for row in ["rows", "all"] {
        let row = if row == "rows" {
            &mut wire["rows"][0]
        } else {
            &mut wire["all"]
        };
        for cell in row["cells"].as_array_mut().unwrap() {
            if cell[0] == json!(refund) {
                for f in counts {
                    cell[1][f] = json!(big);
                }
                for (f, v) in sums {
                    cell[1][f] = json!(v);
                }
                cell[1]["kinds"][bug] = json!(big);
                cell[1]["needs"][reliability] = json!(65_534);
            }
        }
        for ch in row["channels"].as_array_mut().unwrap() {
            if ch[0] == json!(refund) {
                ch[2] = json!(big);
            }
        }
    }
    let mut ledger: Ledger = serde_json::from_value(wire).unwrap();
    // Two narrow tickets one by one, one whose value needs 64 bits.
    for i in 1..3 {
        let (t, g) = ticket(i, 1.0);
        ledger.record(&t, &g);
    }
    let wide = [ticket(3, 3e9)];
    ledger.record_all(wide.iter().map(|(t, g)| (t, g)));
    ledger.compact();

    let cell_of = |l: &Ledger, row: &str| -> serde_json::Value {
        let w = serde_json::to_value(l).unwrap();
        let row = if row == "rows" {
            w["rows"][0].clone()
        } else {
            w["all"].clone()
        };
        let cells = row["cells"].as_array().unwrap();
        cells.iter().find(|c| c[0] == json!(refund)).unwrap()[1].clone()
    };
    let expect = |times: i64| {
        let n = (big + 3) * times as u64;
        let mut e = json!({
            "sentiment_sum": (i64::from(i32::MIN) + 10 - 3 * 500_000) * times,
            "csat_sum": (i64::from(i32::MAX) - 1 + 3 * 5_000_000) * times,
            "resolution_sum": (i64::from(i32::MAX) - 1_000 + 3 * 100_000) * times,
            "value_sum": (i64::from(i32::MAX) - 5 + 2 * 1_000 + 3_000_000_000_000) * times,
        });
        for f in counts {
            e[f] = json!(n);
        }
        (e, n, (65_534 + 3) * times as u64)
    };
    for (l, times) in [
        (ledger.clone(), 1),
        (
            {
                let mut twice = ledger.clone();
                twice.merge(&ledger).unwrap();
                twice.compact();
                twice
            },
            2,
        ),
    ] {
        let (e, n, needs) = expect(times);
        for row in ["rows", "all"] {
            let c = cell_of(&l, row);
            for (f, v) in e.as_object().unwrap() {
                assert_eq!(&c[f], v, "{row} {f} x{times}");
            }
            assert_eq!(c["kinds"][bug], json!(n), "{row} kinds x{times}");
            assert_eq!(
                c["needs"][reliability],
                json!(needs),
                "{row} needs x{times}"
            );
        }
        let (first, _) = l.bucket_range().unwrap();
        for s in [l.stats(refund, first), l.total(refund)] {
            assert_eq!(s.tickets, n);
            assert_eq!(s.channels["email"], n);
            assert_eq!(s.need(Need::Reliability), needs);
        }
        assert_eq!(l.count(refund, first), n);
        assert_eq!(l.kinds(refund, first..=first)[bug], n);
        let text = serde_json::to_string(&l).unwrap();
        let back: Ledger = serde_json::from_str(&text).unwrap();
        assert_eq!(serde_json::to_string(&back).unwrap(), text);
    }
}
