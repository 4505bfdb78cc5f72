//! Top-1 accuracy on the Banking77 test set (3,080 real queries; the slice
//! and its license are in `tests/data/banking77/README.md`) with the
//! ten-examples-per-feature taxonomy, at the default threshold, unmatched
//! counted wrong. The target is 0.80; scikit-learn's TF-IDF +
//! LinearSVC trained on the same examples scores 0.760.

use std::collections::BTreeMap;

use painpoint::{Capability, Feature, Product, TagOptions, Tagger, TaggerConfig, Ticket};

/// The k10 taxonomy, the gold feature of each ticket id, the tickets.
fn banking77() -> (Product, BTreeMap<&'static str, &'static str>, Vec<Ticket>) {
    let product = serde_json::from_str(include_str!("data/banking77/taxonomy_k10.json")).unwrap();
    let gold = include_str!("data/banking77/gold.tsv")
        .lines()
        .filter_map(|l| l.split_once('\t'))
        .collect();
    let tickets = include_str!("data/banking77/tickets.jsonl")
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    (product, gold, tickets)
}

#[test]
fn banking77_k10_top1_accuracy() {
    let (product, gold, tickets) = banking77();
    let tagger = Tagger::new(&product).unwrap();
    let (mut correct, mut matched, mut total) = (0, 0, 0);
    for ticket in &tickets {
        let tagged = tagger.tag(ticket);
        total += 1;
        if let Some(best) = tagged.best() {
            matched += 1;
            if Some(best.node()) == gold.get(ticket.id.as_str()).copied() {
                correct += 1;
            }
        }
    }
    let accuracy = correct as f64 / total as f64;
    let precision = correct as f64 / matched.max(1) as f64;
    eprintln!("accuracy {accuracy:.4}, coverage {matched}/{total}, precision {precision:.4}");
    assert_eq!(total, 3080);
    assert!(accuracy >= 0.80, "top-1 accuracy {accuracy:.4}");
    assert!(precision >= 0.80, "precision when matched {precision:.4}");
}

/// Questions about nothing a bank handles, written before measuring
/// anything and kept whatever they scored.
const OFF_TOPIC: &[&str] = &[
    "What's the weather going to be like tomorrow?",
    "Book a table for two at an Italian restaurant tonight",
    "How many calories are in an apple?",
    "Set an alarm for 7am please",
    "Play some jazz music",
    "How do you say hello in French?",
    "Who won the world cup in 2018?",
    "What is the capital of Australia?",
    "Tell me a joke",
    "How do I change a flat tire on my bike?",
    "Can you recommend a good book about history?",
    "What time is it in Tokyo right now?",
    "Remind me to call my mom at 5",
    "How tall is Mount Everest?",
    "What's a good recipe for lasagna?",
    "Turn off the living room lights",
    "How long should I boil an egg?",
    "What movies are playing near me tonight?",
    "Is it going to rain this weekend?",
    "My cat keeps scratching the sofa, what should I do?",
    "How many miles is a marathon?",
    "What's the best way to learn to play guitar?",
    "Can you help me plan a trip to Rome?",
    "How often should I water a cactus?",
    "Who wrote Pride and Prejudice?",
];

fn unmatched_share(tagger: &Tagger, options: &TagOptions) -> f64 {
    let unmatched = OFF_TOPIC
        .iter()
        .filter(|text| {
            tagger
                .tag_with(&Ticket::new("t", **text), options)
                .is_unmatched()
        })
        .count();
    unmatched as f64 / OFF_TOPIC.len() as f64
}

/// The default coverage floor leaves off-topic questions unmatched that
/// share a common word with one long example ("tell me", "how long"), and
/// costs the real queries nothing measurable (CLINC150's out-of-scope
/// queries, measured in the README, move from 32% to 48% unmatched).
#[test]
fn coverage_floor_leaves_off_topic_tickets_unmatched() {
    let (product, gold, tickets) = banking77();
    let tagger = Tagger::new(&product).unwrap();
    let accuracy = |options: &TagOptions| {
        let correct = tickets
            .iter()
            .filter(|t| {
                let tagged = tagger.tag_with(t, options);
                tagged.best().map(|m| m.node()) == gold.get(t.id.as_str()).copied()
            })
            .count();
        correct as f64 / tickets.len() as f64
    };
    let (floor, none) = (
        TagOptions::default(),
        TagOptions::default().min_coverage(0.0),
    );
    let (with, without) = (
        unmatched_share(&tagger, &floor),
        unmatched_share(&tagger, &none),
    );
    let (kept, lenient) = (accuracy(&floor), accuracy(&none));
    eprintln!("off-topic unmatched {without:.2} -> {with:.2}; accuracy {lenient:.4} -> {kept:.4}");
    assert!(
        with >= without + 0.2,
        "off-topic unmatched {without:.2} -> {with:.2}"
    );
    assert!(
        kept >= lenient - 0.002,
        "accuracy {lenient:.4} -> {kept:.4}"
    );
    // Every reported match holds the floor; a call listing candidates
    // (min_score 0) has none unless it asks.
    let candidates = TagOptions::default().min_score(0.0).top(1);
    for ticket in tickets.iter().step_by(7) {
        let tagged = tagger.tag(ticket);
        assert!(
            tagged.matches.iter().all(|m| m.coverage >= 0.2),
            "{}",
            ticket.id
        );
        assert!(
            !tagger.tag_with(ticket, &candidates).is_unmatched(),
            "{}",
            ticket.id
        );
    }
    // The same floor set on the tagger gives the same answers as per call.
    let configured = Tagger::builder()
        .config(TaggerConfig::default().min_coverage(0.0))
        .build(&product)
        .unwrap();
    for ticket in tickets.iter().step_by(10) {
        assert_eq!(configured.tag(ticket), tagger.tag_with(ticket, &none));
    }
}

/// Email wrappers a helpdesk sees around a request: greeting, courtesy
/// sentence, thank-you paragraph, sign-off, signature, device line,
/// disclaimer, quoted earlier mail. `{}` is the request.
const EMAILS: &[&str] = &[
    "Hello,\n\nI hope this message finds you well. {}\n\nThank you for your help with this.\n\nKind regards,\nPriya Natarajan\nAccount holder since 2019\nMobile: +44 7700 900123",
    "Hi support team,\n{}\nSent from my iPhone",
    "Dear Sir or Madam,\n\n{}\n\nLooking forward to your reply.\n\nYours sincerely,\nTom Becker\n\nThis email and any files transmitted with it are confidential and intended solely for the use of the individual to whom they are addressed. If you have received this email in error please notify the sender and delete it. Any unauthorized disclosure is prohibited.",
    "{}\n\nCheers,\nSam\n\nOn Tue, 4 Jun 2024 at 10:12, Customer Support <support@bank.example> wrote:\n> Thank you for contacting us. Please reply with your account details, the phone number on file and any further information so we can help.",
];

/// The tagger reads the request, not its email wrapping: each Banking77
/// query wrapped in one of four emails scores as the bare query does, far
/// above reading the wrapping too (measured: 0.802 bare; wrapped 0.802
/// skipping boilerplate, 0.519 reading it). A story sentence of the
/// customer's own ("I have been a customer for years and ...") is read:
/// nothing tells it from a request.
#[test]
fn email_boilerplate_is_not_read() {
    let (product, gold, tickets) = banking77();
    let wrapped: Vec<Ticket> = tickets
        .iter()
        .enumerate()
        .map(|(i, t)| {
            Ticket::new(
                t.id.clone(),
                EMAILS[i % EMAILS.len()].replace("{}", &t.text),
            )
        })
        .collect();
    let accuracy = |config: TaggerConfig| {
        let tagger = Tagger::builder().config(config).build(&product).unwrap();
        let correct = wrapped
            .iter()
            .filter(|t| tagger.tag(t).best().map(|m| m.node()) == gold.get(t.id.as_str()).copied())
            .count();
        correct as f64 / wrapped.len() as f64
    };
    let skipping = accuracy(TaggerConfig::default().signals(false));
    let reading = accuracy(
        TaggerConfig::default()
            .signals(false)
            .skip_boilerplate(false),
    );
    eprintln!("wrapped in email: {reading:.4} reading the wrapping, {skipping:.4} skipping it");
    assert!(skipping >= 0.79, "{skipping:.4}");
    assert!(skipping >= reading + 0.2, "{reading:.4} -> {skipping:.4}");
}

/// A ticket that names a capability but none of its features gets a
/// capability-level match; a feature that scores but fails an absolute
/// floor does not hide its capability, which is held to the floors too.
#[test]
fn capability_level_matches() {
    let product = Product::new("shop", "Shop")
        .capability(
            Capability::new("billing", "Billing")
                .keyword("invoice")
                .feature(
                    Feature::new("wrong_totals", "Wrong totals")
                        .example("The amounts on my invoice do not add up to the order total"),
                )
                .feature(Feature::new("refunds", "Refunds").keyword("money back")),
        )
        .capability(
            Capability::new("shipping", "Shipping")
                .feature(Feature::new("tracking", "Parcel tracking").keyword("tracking number")),
        );
    let ids = |tagger: &Tagger, text: &str| -> Vec<(Option<String>, String)> {
        let tagged = tagger.tag(&Ticket::new("t", text));
        assert!(tagged.matches.iter().all(|m| m.coverage >= 0.2));
        let ids = tagged.matches.iter();
        ids.map(|m| {
            (
                m.feature.as_deref().map(String::from),
                m.capability.to_string(),
            )
        })
        .collect()
    };
    let feature = |f: &str, c: &str| (Some(f.to_string()), c.to_string());
    let capability = |c: &str| (None, c.to_string());

    let tagger = Tagger::new(&product).unwrap();
    assert_eq!(
        ids(&tagger, "Where can I download my invoice?"),
        [capability("billing")]
    );
    assert_eq!(
        ids(&tagger, "Where is my tracking number?"),
        [feature("tracking", "shipping")]
    );
    let text = "The total on my invoice does not add up";
    assert_eq!(ids(&tagger, text), [feature("wrong_totals", "billing")]);

    let strict = TaggerConfig::default().min_coverage(0.9);
    let strict = Tagger::builder().config(strict).build(&product).unwrap();
    assert_eq!(ids(&strict, text), [capability("billing")]);
    // Nothing of the capability's own texts in the ticket: nothing left.
    assert!(ids(&strict, "The total does not add up to the amounts").is_empty());
}

/// A capability named by a word in passing is not a second topic: a long
/// ticket about one feature that mentions another capability's name once
/// gets no capability-level match for it (its fit is a fraction of the
/// feature's), while a ticket about the capability alone still does.
#[test]
fn a_capability_named_in_passing_is_not_a_second_topic() {
    let product = Product::new("munch", "Munch")
        .capability(
            Capability::new("ordering", "Ordering").feature(
                Feature::new("cart", "Cart and checkout")
                    .keyword("checkout")
                    .example("I can't check out, the button does nothing"),
            ),
        )
        .capability(
            Capability::new("payments", "Payments").feature(
                Feature::new("refunds", "Refunds")
                    .keyword("refund")
                    .keyword("money back")
                    .example("I still have not got my refund for the cancelled order"),
            ),
        )
        .capability(
            Capability::new("app", "App").feature(
                Feature::new("crashes", "App crashes")
                    .keyword("crash")
                    .example("The app crashes when I open my orders"),
            ),
        );
    let tagger = Tagger::new(&product).unwrap();
    let nodes = |text: &str| -> Vec<String> {
        let tagged = tagger.tag(&Ticket::new("t", text));
        tagged
            .matches
            .iter()
            .map(|m| m.node().to_string())
            .collect()
    };
    let long = "Hi, I ordered from Burger Barn last night and half of it was missing. \
                I reported it in the app straight away and the chat said I would get \
                a refund within 3 to 5 days. It has now been 9 days and nothing has \
                come back to my card. Please sort this out.";
    assert_eq!(nodes(long), ["refunds"]);
    // Listing every candidate, a coverage floor that drops the weak 'cart'
    // and 'crashes' brings back the capability-level matches they hid; the
    // best feature passed the floors, so they are still scaled by their
    // fit against its fit: a word in passing stays below the threshold.
    let strict = TagOptions::default().min_score(0.0).min_coverage(0.5);
    let tagged = tagger.tag_with(&Ticket::new("t", long), &strict);
    assert_eq!(tagged.matches[0].node(), "refunds");
    for m in &tagged.matches[1..] {
        assert!(m.score < tagger.threshold(), "{m:?}");
    }
    let crash = "After the update the app crashes every time I open the restaurant \
                 page, so I can't order anything at all.";
    assert_eq!(nodes(crash), ["crashes"]);
    assert_eq!(nodes("I have a question about ordering"), ["ordering"]);
}
