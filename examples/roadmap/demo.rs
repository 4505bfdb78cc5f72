//! The embedded demo: a deterministic stream of Flowdesk support tickets.
//!
//! About 3,000 tickets from January to June 2024 over the demo taxonomy's
//! features, written from each feature's examples and keywords with
//! openers, closers, typos and off-topic noise; 120 accounts with values;
//! channels, CSAT and resolution times; fewer tickets at weekends; one
//! real-looking spike (mobile sync breaks for a week after an app release
//! in mid-April); one emerging topic (offline mode, near silent until May);
//! one knowledge-base gap (recurring tasks, mostly "how do I" questions);
//! and two topics the taxonomy does not cover (dark mode requests from
//! March, GDPR data access and deletion requests from February), left
//! unmatched for theme discovery to find.

use painpoint::{Product, Ticket, Timestamp};

/// SplitMix64, fixed seed: the demo is the same on every run.
pub struct Rng(u64);

impl Rng {
    pub fn new(seed: u64) -> Rng {
        Rng(seed)
    }
    pub fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9e37_79b9_7f4a_7c15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
        z ^ (z >> 31)
    }
    pub fn unit(&mut self) -> f64 {
        (self.next() >> 11) as f64 / (1u64 << 53) as f64
    }
    pub fn below(&mut self, n: usize) -> usize {
        (self.unit() * n as f64) as usize
    }
    pub fn pick<'a, T>(&mut self, items: &'a [T]) -> &'a T {
        &items[self.below(items.len())]
    }
    pub fn poisson(&mut self, lambda: f64) -> usize {
        let limit = (-lambda).exp();
        let (mut k, mut p) = (0, 1.0);
        loop {
            p *= self.unit();
            if p <= limit {
                return k;
            }
            k += 1;
        }
    }
}

const OPENERS: &[&str] = &[
    "",
    "",
    "",
    "Hi, ",
    "Hello team, ",
    "Hey - ",
    "Urgent: ",
    "Quick question: ",
    "Not sure who to ask but ",
];
const CLOSERS: &[&str] = &[
    "",
    "",
    "",
    " Thanks!",
    " Please help.",
    " This is blocking our team.",
    " Any update?",
    " thx",
    " We pay for the business plan btw.",
];
const HOW: &[&str] = &[
    "How do I ",
    "Is there a way to ",
    "Can someone explain how to ",
    "Where do I find the setting to ",
];
const OFF_TOPIC: &[&str] = &[
    "Please update our company address on file to 12 Harbour Street.",
    "Who is our account manager now that Dana left?",
    "Just wanted to say the webinar last week was great.",
    "Can you send me your W-9 form for our vendor records?",
    "Are you hiring support engineers in Lisbon?",
    "Out of office: I am away until Monday with limited access to email.",
];
const CHANNELS: &[&str] = &["email", "email", "chat", "chat", "chat", "in_app", "phone"];

fn typo(rng: &mut Rng, text: &str) -> String {
    if rng.unit() > 0.15 || text.len() < 12 {
        return text.to_string();
    }
    let chars: Vec<char> = text.chars().collect();
    let i = 1 + rng.below(chars.len() - 2);
    if !chars[i].is_alphabetic() {
        return text.to_string();
    }
    chars
        .iter()
        .enumerate()
        .filter(|(j, _)| *j != i)
        .map(|(_, c)| *c)
        .collect()
}

fn text_for(
    rng: &mut Rng,
    examples: &[String],
    keywords: &[String],
    name: &str,
    question: bool,
) -> String {
    let body = if question {
        let what = if keywords.is_empty() {
            name.to_lowercase()
        } else {
            rng.pick(keywords).clone()
        };
        format!("{}{}? The docs don't say.", rng.pick(HOW), what)
    } else if !examples.is_empty() && (keywords.is_empty() || rng.unit() < 0.6) {
        rng.pick(examples).clone()
    } else if !keywords.is_empty() {
        let k = rng.pick(keywords).clone();
        let frames = [
            format!("{k} since yesterday"),
            format!("problem with {k} again"),
            format!("we keep hitting {k} and it costs us hours"),
            format!("{k} - nothing works"),
            format!("not sure if this is a bug but {k}"),
        ];
        rng.pick(&frames).clone()
    } else {
        format!("{name} is not working for us")
    };
    let text = format!("{}{}{}", rng.pick(OPENERS), body, rng.pick(CLOSERS));
    typo(rng, &text)
}

/// The demo tickets, oldest first.
pub fn tickets(product: &Product) -> Vec<Ticket> {
    let mut rng = Rng::new(2024);
    let features: Vec<_> = product
        .capabilities
        .iter()
        .flat_map(|c| &c.features)
        .collect();
    // Popularity: a skewed but fixed mix.
    let weights: Vec<f64> = (0..features.len())
        .map(|i| 0.4 + 2.5 / (1.0 + (i * 7 % features.len()) as f64 * 0.35))
        .collect();
    let total: f64 = weights.iter().sum();
    let accounts: Vec<(String, f64, usize)> = (0..120)
        .map(|i| {
            let names = [
                "Morrow",
                "Lumen",
                "Northwind",
                "Bluebird",
                "Cedar",
                "Atlas",
                "Harbor",
                "Pine",
                "Quill",
                "Summit",
            ];
            let kinds = [
                "Legal",
                "Architects",
                "Studio",
                "Consulting",
                "Labs",
                "Media",
                "Partners",
                "Design",
                "Agency",
                "Works",
                "Group",
                "Digital",
            ];
            let value = [
                1_200.0, 2_400.0, 4_800.0, 9_600.0, 12_000.0, 24_000.0, 60_000.0,
            ][(i * 5 + i / 7) % 7];
            (
                format!("{} {}", names[i % 10], kinds[i / 10]),
                value,
                2 + i % 9,
            )
        })
        .collect();
    let start = Timestamp::from_date(2024, 1, 1).unwrap().days();
    let end = Timestamp::from_date(2024, 6, 30).unwrap().days();
    let spike = Timestamp::from_date(2024, 4, 15).unwrap().days();
    let emerging_from = Timestamp::from_date(2024, 5, 6).unwrap().days();
    let find = |id: &str| features.iter().position(|f| f.id == id);
    let (sync, offline, recurring) = (
        find("mobile_sync"),
        find("offline_mode"),
        find("recurring_tasks"),
    );
    let mut out = Vec::new();
    let mut id = 1000;
    for day in start..=end {
        let weekday = (day + 3).rem_euclid(7);
        let day_rate = if weekday >= 5 { 6.0 } else { 19.0 } * (1.0 + (day - start) as f64 / 900.0);
        for _ in 0..rng.poisson(day_rate) {
            // Which feature (or none).
            let mut pick = None;
            if rng.unit() > 0.07 {
                let mut x = rng.unit() * total;
                for (i, w) in weights.iter().enumerate() {
                    x -= w;
                    if x <= 0.0 {
                        pick = Some(i);
                        break;
                    }
                }
                if Some(pick.unwrap_or(0)) == offline && day < emerging_from && rng.unit() < 0.93 {
                    pick = Some(rng.below(features.len()));
                }
            }
            out.push(ticket(
                &mut rng, &features, pick, &accounts, day, recurring, &mut id,
            ));
        }
        // The spike: mobile sync breaks for a week after the 4.2 release.
        if let Some(s) = sync
            && (spike..spike + 7).contains(&day)
        {
            for _ in 0..rng.poisson(if weekday >= 5 { 6.0 } else { 14.0 }) {
                out.push(ticket(
                    &mut rng,
                    &features,
                    Some(s),
                    &accounts,
                    day,
                    recurring,
                    &mut id,
                ));
            }
        }
        // Emerging: offline mode, rising from May.
        if let Some(o) = offline
            && day >= emerging_from
        {
            let rate = 0.3 + (day - emerging_from) as f64 * 0.06;
            for _ in 0..rng.poisson(rate) {
                out.push(ticket(
                    &mut rng,
                    &features,
                    Some(o),
                    &accounts,
                    day,
                    recurring,
                    &mut id,
                ));
            }
        }
    }
    out.extend(uncovered(&accounts, start, end));
    // Oldest first; the stable sort keeps same-second tickets in id order.
    out.sort_by_key(|t| t.created_at);
    out
}

// Written apart from the taxonomy's words: the tagger matches on a
// single shared word, and these topics are meant to stay unmatched.
// Each ticket is an ask, the topic's core words and a varied rest, so the
// topic, not one template, is what the tickets share.
const DARK_ASKS: &[&str] = &[
    "Feature request: a",
    "Any chance of a",
    "We would love a",
    "Is a",
    "Our designers beg for a",
    "Kindly offer a",
];
const DARK_RESTS: &[&str] = &[
    " dark theme?",
    " dark theme, the glaring white hurts our eyes in the evening",
    " dark theme. Bright colours strain the eyes",
    " dark theme, other tools have one by now",
    " dark theme for the browser",
    " darker theme, all that white is blinding",
    " dark theme on the horizon?",
];
const GDPR_ASKS: &[&str] = &[
    "GDPR request:",
    "GDPR question:",
    "Our lawyer has a GDPR request:",
    "Under GDPR,",
];
const GDPR_RESTS: &[&str] = &[
    " erase the records of a former employee",
    " kindly share what you store about me",
    " which subprocessors do you use?",
    " is there a DPA we can countersign?",
    " do you host in the EU?",
    " what becomes of our information once we leave?",
    " confirm the erasure of j.doe",
    " someone wants his records erased",
];
const POLITE_OPENERS: &[&str] = &["", "", "Hi, ", "Hello, ", "Greetings, "];
const POLITE_CLOSERS: &[&str] = &["", "", " Thanks", " Thank you", " Cheers"];

/// Tickets about topics the demo taxonomy does not cover, from their own
/// generator so the main stream stays as it was.
fn uncovered(accounts: &[(String, f64, usize)], start: i64, end: i64) -> Vec<Ticket> {
    let mut rng = Rng::new(4711);
    let dark_from = Timestamp::from_date(2024, 3, 1).unwrap().days();
    let gdpr_from = Timestamp::from_date(2024, 2, 1).unwrap().days();
    let mut out = Vec::new();
    let mut id = 9000;
    for day in start..=end {
        let weekday = (day + 3).rem_euclid(7);
        let weekend = if weekday >= 5 { 0.3 } else { 1.0 };
        // Dark mode: a slowly growing trickle; GDPR: steady.
        let dark = if day >= dark_from {
            weekend * (0.3 + (day - dark_from) as f64 * 0.006)
        } else {
            0.0
        };
        let gdpr = if day >= gdpr_from {
            weekend * 0.55
        } else {
            0.0
        };
        for (rate, asks, rests) in [(dark, DARK_ASKS, DARK_RESTS), (gdpr, GDPR_ASKS, GDPR_RESTS)] {
            for _ in 0..rng.poisson(rate) {
                let text = format!(
                    "{}{}{}{}",
                    rng.pick(POLITE_OPENERS),
                    rng.pick(asks),
                    rng.pick(rests),
                    rng.pick(POLITE_CLOSERS)
                );
                let text = typo(&mut rng, &text);
                id += 1;
                out.push(stamp(&mut rng, text, accounts, day, &mut id));
            }
        }
    }
    out
}

fn ticket(
    rng: &mut Rng,
    features: &[&painpoint::Feature],
    pick: Option<usize>,
    accounts: &[(String, f64, usize)],
    day: i64,
    recurring: Option<usize>,
    id: &mut u64,
) -> Ticket {
    *id += 1;
    let text = match pick {
        Some(i) => {
            let f = features[i];
            let question = rng.unit() < if Some(i) == recurring { 0.7 } else { 0.1 };
            text_for(rng, &f.examples, &f.keywords, &f.name, question)
        }
        None => rng.pick(OFF_TOPIC).to_string(),
    };
    stamp(rng, text, accounts, day, id)
}

/// Customer, account, time, channel, CSAT and resolution for a text.
fn stamp(
    rng: &mut Rng,
    text: String,
    accounts: &[(String, f64, usize)],
    day: i64,
    id: &mut u64,
) -> Ticket {
    // Bigger accounts write more: pick by a skewed index.
    let a = ((rng.unit() * rng.unit()) * accounts.len() as f64) as usize;
    let (name, value, seats) = &accounts[a];
    let customer = format!("c-{}-{}", a, rng.below(*seats));
    let at = Timestamp::from_unix(day * 86_400 + 7 * 3600 + rng.below(12 * 3600) as i64);
    let hours = (0.3 + rng.unit() * 6.0) * if rng.unit() < 0.2 { 12.0 } else { 1.0 };
    let csat = (5.0 - (rng.unit() * 3.2 + hours / 30.0))
        .clamp(1.0, 5.0)
        .round();
    Ticket::new(format!("FD-{id}"), text)
        .created_at(at)
        .customer(customer)
        .account(name.clone(), *value)
        .channel(*rng.pick(CHANNELS))
        .csat(csat)
        .resolution_hours((hours * 10.0).round() / 10.0)
}

/// Demo efforts (person-weeks) for RICE and the value-vs-effort view.
pub fn effort_json(product: &Product) -> String {
    let mut rng = Rng::new(7);
    let items: Vec<String> = product
        .capabilities
        .iter()
        .flat_map(|c| &c.features)
        .map(|f| format!("\"{}\": {}", f.id, [1, 2, 3, 5, 8][rng.below(5)]))
        .collect();
    format!("{{{}}}", items.join(", "))
}
