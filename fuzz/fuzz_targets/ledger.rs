//! Arbitrary tickets recorded into ledgers split into shards: merging the
//! shards (in either order) equals the ledger of all tickets, and every
//! ledger survives a serde round trip. Capped at 512 tickets an input.
#![no_main]

use arbitrary::Arbitrary;
use libfuzzer_sys::fuzz_target;
use painpoint::{
    Capability, Feature, Kind, Ledger, LedgerConfig, Need, Period, Product, TaggedTicket, Ticket,
    Timestamp,
};
use serde_json::json;

#[derive(Debug, Arbitrary)]
struct Input {
    period: u8,
    tickets: Vec<Spec>,
}

#[derive(Debug, Arbitrary)]
struct Spec {
    seconds: Option<i64>,
    customer: Option<u8>,
    account: Option<(u8, u16)>,
    channel: Option<u8>,
    csat: Option<f32>,
    hours: Option<f32>,
    matches: Vec<(u8, u8)>,
    needs: Vec<u8>,
    kind: Option<u8>,
    sentiment: Option<i8>,
    shard: bool,
}

const NODES: [(&str, Option<&str>); 5] = [
    ("pay", Some("refund")),
    ("pay", Some("card")),
    ("ship", Some("track")),
    ("pay", None),
    ("ghost", Some("unknown")),
];

fn product() -> Product {
    Product::new("shop", "Shop")
        .capability(
            Capability::new("pay", "Payments")
                .feature(Feature::new("refund", "Refund"))
                .feature(Feature::new("card", "Card")),
        )
        .capability(Capability::new("ship", "Shipping").feature(Feature::new("track", "Tracking")))
}

fn build(i: usize, s: &Spec) -> (Ticket, TaggedTicket) {
    let mut t = Ticket::new(i.to_string(), "text");
    if let Some(seconds) = s.seconds {
        t = t.created_at(Timestamp::from_unix(seconds));
    }
    if let Some(c) = s.customer {
        t = t.customer(format!("c{c}"));
    }
    if let Some((a, v)) = s.account {
        t = t.account(format!("a{a}"), f64::from(v));
    }
    if let Some(c) = s.channel {
        t = t.channel(["email", "chat", "phone"][c as usize % 3]);
    }
    if let Some(c) = s.csat {
        t = t.csat(f64::from(c));
    }
    if let Some(h) = s.hours {
        t = t.resolution_hours(f64::from(h));
    }
    let matches: Vec<_> = s
        .matches
        .iter()
        .take(6)
        .map(|&(n, score)| {
            let (cap, feat) = NODES[n as usize % NODES.len()];
            json!({"feature": feat, "capability": cap, "score": f64::from(score) / 255.0, "evidence": []})
        })
        .collect();
    let needs: Vec<_> = s
        .needs
        .iter()
        .take(4)
        .map(|&n| json!({"need": Need::ALL[n as usize % 16], "score": 0.5, "evidence": []}))
        .collect();
    let mut tagged = json!({"id": i.to_string(), "matches": matches, "needs": needs});
    if let Some(k) = s.kind {
        tagged["kind"] = json!({"label": Kind::ALL[k as usize % Kind::ALL.len()], "score": 0.5});
    }
    if let Some(v) = s.sentiment {
        tagged["sentiment"] = json!({"label": "neutral", "score": f64::from(v) / 128.0});
    }
    (
        t,
        serde_json::from_value(tagged).expect("well-formed tagged ticket"),
    )
}

fuzz_target!(|input: Input| {
    if input.tickets.len() > 512 {
        return;
    }
    let period = [Period::Day, Period::Week, Period::Month][input.period as usize % 3];
    let product = product();
    let config = LedgerConfig::new(period);
    let mut all = Ledger::new(&product, config.clone()).unwrap();
    let mut a = Ledger::new(&product, config.clone()).unwrap();
    let mut b = Ledger::new(&product, config).unwrap();
    for (i, spec) in input.tickets.iter().enumerate() {
        let (ticket, tagged) = build(i, spec);
        all.record(&ticket, &tagged);
        if spec.shard { &mut a } else { &mut b }.record(&ticket, &tagged);
    }
    let mut ab = a.clone();
    ab.merge(&b).unwrap();
    let mut ba = b.clone();
    ba.merge(&a).unwrap();
    all.compact();
    ab.compact();
    ba.compact();
    assert!(ab == all, "merge of shards differs from the ledger of all");
    assert!(ba == all, "merge is not commutative");
    let text = serde_json::to_string(&all).unwrap();
    let back: Ledger = serde_json::from_str(&text).unwrap();
    assert!(back == all, "serde round trip changed the ledger");
});
