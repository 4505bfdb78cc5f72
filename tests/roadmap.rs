//! Roadmap: scores follow the documented formula, weights move the
//! ranking, RICE and quadrants, stability, bad input is an error.

use painpoint::roadmap::{Effort, Quadrant, Roadmap, RoadmapConfig, Weights};
use painpoint::trend::{TrendConfig, Trends};
use painpoint::{
    Capability, Feature, Ledger, LedgerConfig, Period, Product, TaggedTicket, Ticket, Timestamp,
};
use serde_json::json;

fn product() -> Product {
    Product::new("p", "P")
        .capability(
            Capability::new("c1", "C1")
                .feature(Feature::new("wide", "Wide"))
                .feature(Feature::new("rich", "Rich"))
                .feature(Feature::new("angry", "Angry")),
        )
        .capability(Capability::new("c2", "C2").feature(Feature::new("quiet", "Quiet")))
}

fn record(
    ledger: &mut Ledger,
    i: usize,
    feature: &str,
    customer: &str,
    account: &str,
    value: f64,
    negative: bool,
) {
    let cap = if feature == "quiet" { "c2" } else { "c1" };
    let label = if negative { "negative" } else { "neutral" };
    let tagged: TaggedTicket = serde_json::from_value(json!({"id": i.to_string(),
        "matches": [{"feature": feature, "capability": cap, "score": 0.9, "evidence": []}],
        "sentiment": {"label": label, "score": if negative { -0.8 } else { 0.0 }}}))
    .unwrap();
    let t = Ticket::new(i.to_string(), "")
        .created_at(Timestamp::from_unix(
            1_704_067_200 + (i as i64 % 60) * 86_400,
        ))
        .customer(customer)
        .account(account, value)
        .resolution_hours(2.0)
        .csat(4.0);
    ledger.record(&t, &tagged);
}

/// wide: 40 customers, small accounts. rich: 5 customers of one big
/// account. angry: 10 customers, all negative. quiet: 2 tickets.
fn ledger() -> Ledger {
    let mut l = Ledger::new(&product(), LedgerConfig::new(Period::Week)).unwrap();
    let mut i = 0;
    for c in 0..40 {
        i += 1;
        record(
            &mut l,
            i,
            "wide",
            &format!("w{c}"),
            &format!("wa{c}"),
            100.0,
            false,
        );
    }
    for c in 0..20 {
        i += 1;
        record(
            &mut l,
            i,
            "rich",
            &format!("r{}", c % 5),
            "bigco",
            100_000.0,
            false,
        );
    }
    for c in 0..10 {
        i += 1;
        record(
            &mut l,
            i,
            "angry",
            &format!("a{c}"),
            &format!("aa{c}"),
            100.0,
            true,
        );
    }
    for c in 0..2 {
        i += 1;
        record(&mut l, i, "quiet", &format!("q{c}"), "qa", 50.0, false);
    }
    l
}

fn build(l: &Ledger, config: &RoadmapConfig) -> Roadmap {
    let trends = Trends::analyze(l, &TrendConfig::default());
    Roadmap::build(l, &trends, config).unwrap()
}

fn only(term: &str) -> Weights {
    let mut w: Weights =
        serde_json::from_str(r#"{"reach":0,"volume":0,"value":0,"pain":0,"momentum":0,"cost":0}"#)
            .unwrap();
    match term {
        "reach" => w.reach = 1.0,
        "value" => w.value = 1.0,
        "pain" => w.pain = 1.0,
        _ => w.volume = 1.0,
    }
    w
}

#[test]
fn each_weight_picks_its_leader() {
    let l = ledger();
    for (term, leader) in [
        ("reach", "wide"),
        ("value", "rich"),
        ("pain", "angry"),
        ("volume", "wide"),
    ] {
        let r = build(&l, &RoadmapConfig::default().weights(only(term)));
        assert_eq!(r.items[0].node, leader, "weight on {term}");
        assert!((r.items[0].score - 100.0).abs() < 1e-9);
    }
}

#[test]
fn score_is_the_sum_of_its_points() {
    let l = ledger();
    let r = build(&l, &RoadmapConfig::default());
    for it in &r.items {
        let t = &it.terms;
        let sum = t.reach.points
            + t.volume.points
            + t.value.points
            + t.pain.points
            + t.momentum.points
            + t.cost.points;
        assert!((sum - it.score).abs() < 1e-9, "{}", it.node);
        assert!(it.score >= 0.0 && it.score <= 100.0);
    }
    let wide = r.items.iter().find(|i| i.node == "wide").unwrap();
    assert_eq!(wide.terms.reach.raw, 40.0);
    assert_eq!(wide.terms.reach.normalized, 1.0);
    let rich = r.items.iter().find(|i| i.node == "rich").unwrap();
    assert_eq!(rich.stats.value, 100_000.0);
    assert_eq!(rich.stats.accounts, 1.0);
    let angry = r.items.iter().find(|i| i.node == "angry").unwrap();
    assert!((angry.terms.pain.raw - 0.6).abs() < 1e-9);
    // Ranks are 1..n and scores descend.
    for (k, w) in r.items.windows(2).enumerate() {
        assert_eq!(w[0].rank, k + 1);
        assert!(w[0].score >= w[1].score);
    }
    assert_eq!(r.capabilities[0].node, "c1");
    assert_eq!(r.capabilities[0].stats.tickets, 70);
}

#[test]
fn rice_and_quadrants() {
    let l = ledger();
    let mut e = Effort::new(2.0);
    e.impact = Some(3.0);
    e.confidence = Some(0.5);
    let config = RoadmapConfig::default()
        .effort("wide", e)
        .effort("rich", Effort::new(10.0))
        .effort("angry", Effort::new(1.0))
        .effort("quiet", Effort::new(20.0));
    let r = build(&l, &config);
    let get = |id: &str| r.items.iter().find(|i| i.node == id).unwrap();
    let rice = get("wide").rice.unwrap();
    assert_eq!(rice.score, 40.0 * 3.0 * 0.5 / 2.0);
    // Default impact from pain: 0.5 + 2.5 * 0.6 = 2.
    assert!((get("angry").rice.unwrap().impact - 2.0).abs() < 1e-9);
    assert_eq!(get("quiet").quadrant, Some(Quadrant::MoneyPit));
    let high_cheap = r
        .items
        .iter()
        .filter(|i| i.quadrant == Some(Quadrant::QuickWin))
        .count();
    assert!(high_cheap >= 1);
}

#[test]
fn stability_reports_rank_ranges() {
    let l = ledger();
    let r = build(&l, &RoadmapConfig::default());
    let st = &r.stability;
    assert_eq!(st.scenarios, 76);
    assert_eq!(st.top, 4);
    assert_eq!(st.min_overlap, 1.0); // only four items: the top is everything
    for it in &st.items {
        assert!(it.best <= it.rank && it.rank <= it.worst);
    }
    // A near tie moves: reach favours wide, value favours rich; at equal
    // weights rich leads (0.56 vs 0.52) but +-20% can swap them.
    let mut w = only("reach");
    w.value = 1.0;
    let r = build(&l, &RoadmapConfig::default().weights(w));
    assert_eq!(r.items[0].node, "rich");
    assert!(r.stability.same_first > 0.0 && r.stability.same_first < 1.0);
    assert_eq!(r.stability.items[0].worst, 2);
}

#[test]
fn bad_weights_and_efforts_are_errors() {
    let l = ledger();
    let trends = Trends::analyze(&l, &TrendConfig::default());
    let mut w = Weights::default();
    w.pain = -1.0;
    let err = Roadmap::build(&l, &trends, &RoadmapConfig::default().weights(w)).unwrap_err();
    assert!(err.to_string().starts_with("weights.pain"), "{err}");
    let err = Roadmap::build(
        &l,
        &trends,
        &RoadmapConfig::default().effort("wide", Effort::new(0.0)),
    )
    .unwrap_err();
    assert!(err.to_string().starts_with("effort.wide.effort"), "{err}");
    assert!(serde_json::from_str::<Weights>(r#"{"reech": 1}"#).is_err());
}

#[test]
fn empty_ledger_gives_an_empty_roadmap() {
    let l = Ledger::new(&product(), LedgerConfig::default()).unwrap();
    let r = build(&l, &RoadmapConfig::default());
    assert!(r.items.is_empty() && r.capabilities.is_empty());
    assert_eq!(r.unmatched.tickets, 0);
}

#[test]
fn weights_too_large_to_sum_are_an_error_not_nan_scores() {
    let l = ledger();
    let trends = Trends::analyze(&l, &TrendConfig::default());
    // Each weight is finite, but their sum (or the stability check's +20%)
    // is not: before, every score was NaN and the ranking arbitrary.
    for big in [1e308, f64::MAX / 1.1] {
        let mut w = Weights::default();
        w.reach = big;
        w.value = big;
        let err = Roadmap::build(&l, &trends, &RoadmapConfig::default().weights(w)).unwrap_err();
        assert!(err.to_string().starts_with("weights"), "{err}");
    }
    // Large but summable weights still rank, with finite scores.
    let mut w = Weights::default();
    w.reach = 1e300;
    let r = Roadmap::build(&l, &trends, &RoadmapConfig::default().weights(w)).unwrap();
    assert!(r.items.iter().all(|i| i.score.is_finite()));
    assert_eq!(r.items[0].node, "wide");
}
