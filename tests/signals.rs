//! Customer signals: per-label precision and recall on a labelled set of
//! tickets (tests/data/signals/tickets.tsv), plus focused behaviour tests.

mod labelled;

use labelled::{Case, Floors};
use painpoint::signals::{LabelConfig, Signals, SignalsConfig};
use painpoint::{Field, Kind, Need, Polarity, Source};

/// Floors: the measured figures minus a small margin (regression guards).
/// The issue's target, precision and recall >= 0.8 for every label, is
/// reached over the whole set (not yet on the held-out half alone).
/// Measured (whole set / dev half / held-out half): needs
/// macro-F1 0.888 / 0.951 / 0.823, lowest per-label P or R 0.800 (ease of
/// use recall, 16 of 20; capability precision 28 of 32 since the word
/// model stopped reading wish frames and "won't let me" became a shield;
/// 0.883 / 0.951 / 0.814 before, lowest 0.778, capability precision 28 of
/// 36, 28 of 37 before a question about a
/// limit stopped reading capability; information recall 17 of 20 and
/// control precision 17 of 21 since zero-weight shields over an account
/// action named as a condition, "without * notice" and documentation
/// examples; 0.876 / 0.943 / 0.808, lowest 0.750, before; cues plus a per-need word model; a need named once
/// in passing beside a firm one dropped, a fault told as the occasion of a
/// conduct need dropped; capability the need of last resort, read from a
/// sure feature request with no need, and no longer hiding the need a wish
/// names; 0.872 / 0.940 / 0.803, lowest 0.727, before that and one control
/// label corrected; 0.863 / 0.936 / 0.789 before the occasion and the
/// last resort); kind 0.870 / 0.885 / 0.855, lowest 0.803 (bug recall; 0.867 / 0.877 / 0.855 before a bare line, a few words with no cue, need or mood, stopped reading complaint or bug from the example model; 0.868 / 0.877 / 0.858 before the built-in model's scores were centred on the kinds left once some are ruled out; 0.794 before the built-in model stopped adding bug to warm tickets naming no defect and other or feature request to tickets naming one clearly; 0.855 / 0.857 / 0.853, lowest 0.772, before the example model stopped adding complaint to warm tickets and bug to service tickets; 0.848 / 0.854 / 0.842, lowest 0.737, before the example model stopped adding complaint to plain defects and praise to displeased tickets);
/// sentiment 0.885 / 0.879 / 0.893, lowest 0.812 (0.883 / 0.875 / 0.893 before bare lines read other, so neutral; 0.880 / 0.868 / 0.893
/// before help denied, a remedy that did nothing and "the fix" as a noun
/// read as said; read in the light of
/// the kind; 0.744 / 0.724 / 0.768, lowest 0.622 from the words alone,
/// measured before "liked" stopped meeting every "like").
const NEEDS_FLOORS: Floors = Floors {
    all: 0.848,
    dev: 0.913,
    held_out: 0.783,
    lowest: Some(0.77),
};
const KIND_FLOORS: Floors = Floors {
    all: 0.812,
    dev: 0.814,
    held_out: 0.809,
    lowest: Some(0.694),
};
const SENTIMENT_FLOORS: Floors = Floors {
    all: 0.83,
    dev: 0.793,
    held_out: 0.85,
    lowest: Some(0.74),
};

const TICKETS: &str = include_str!("data/signals/tickets.tsv");

/// 111 more English tickets, written after five rounds had tuned the needs
/// on `tickets.tsv`: fresh wording to tell what generalises. Scored for the
/// needs only (their kind and sentiment are labelled, not yet guarded).
/// 12 more were added by the eleventh needs round, of the types of the
/// false capability readings (wishes whose point is effort, a say or a
/// price; praise naming a feature; a refusal on the occasion).
/// Measured (whole / dev / held-out, 123 tickets): needs macro-F1 0.766 /
/// 0.764 / 0.742 (0.752 / 0.749 / 0.730 before this round's changes; on
/// the first 111 before them: 0.790 / 0.792 / 0.767
/// (0.789 / 0.800 / 0.759 when "haven't had a single reply" first read as
/// availability, before later rounds' changes; 0.780 / 0.788 / 0.750 before "haven't had a single reply" read as
/// availability; 0.778 / 0.785 / 0.750 before capability was read in the light of the
/// kind; 0.766 / 0.770 / 0.743 before needs said in passing were dropped; 0.657
/// / 0.558 / 0.722 before the needs data of the round that wrote them); about three
/// tickets a need, too few to guard the lowest P or R).
const MORE_TICKETS: &str = include_str!("data/signals/tickets.more.tsv");
const NEEDS_MORE_FLOORS: Floors = Floors {
    all: 0.73,
    dev: 0.73,
    held_out: 0.71,
    lowest: None,
};

fn cases() -> Vec<Case> {
    labelled::cases(TICKETS)
}

#[test]
fn labelled_set_is_big_enough() {
    let cases = cases();
    for need in Need::ALL {
        let n = cases.iter().filter(|c| c.needs.contains(&need)).count();
        assert!(n >= 20, "{need:?}: {n} tickets");
    }
    for kind in Kind::ALL {
        let n = cases.iter().filter(|c| c.kind == kind).count();
        assert!(n >= 30, "{kind:?}: {n} tickets");
    }
}

#[test]
fn needs_precision_and_recall() {
    check_needs("needs", &cases(), &NEEDS_FLOORS);
}

#[test]
fn needs_precision_and_recall_on_more_tickets() {
    check_needs(
        "needs (more)",
        &labelled::cases(MORE_TICKETS),
        &NEEDS_MORE_FLOORS,
    );
}

/// The needs' figures on `cases` (printed), checked against `floors`.
fn check_needs(what: &str, cases: &[Case], floors: &Floors) {
    let signals = Signals::english();
    let figures = labelled::evaluate(
        what,
        cases,
        |text| needs_read(&signals, text),
        |c| c.needs.clone(),
    );
    figures.check(what, floors);
}

#[test]
fn kind_precision_and_recall() {
    let signals = Signals::english();
    let figures = labelled::evaluate(
        "kind",
        &cases(),
        |text| vec![signals.read(None, text).kind.label],
        |c| vec![c.kind],
    );
    figures.check("kind", &KIND_FLOORS);
}

#[test]
fn sentiment_precision_and_recall() {
    let signals = Signals::english();
    let figures = labelled::evaluate(
        "sentiment",
        &cases(),
        |text| vec![signals.read(None, text).sentiment.label],
        |c| vec![c.sentiment],
    );
    figures.check("sentiment", &SENTIMENT_FLOORS);
}

/// The needs `signals` read in `text`, strongest first.
fn needs_read(signals: &Signals, text: &str) -> Vec<Need> {
    signals
        .read(None, text)
        .needs
        .iter()
        .map(|m| m.need)
        .collect()
}

fn needs_of(text: &str) -> Vec<Need> {
    needs_read(&Signals::english(), text)
}

#[test]
fn negation_denies_a_pain() {
    assert!(needs_of("The app crashes when I export").contains(&Need::Reliability));
    assert!(!needs_of("No crashes since the update").contains(&Need::Reliability));
    assert!(!needs_of("I haven't had any crashes this week").contains(&Need::Reliability));
    assert!(!needs_of("It is not slow at all").contains(&Need::Performance));
    assert!(needs_of("It is slow").contains(&Need::Performance));
    // A denied function is a pain.
    assert!(needs_of("Contacts don't sync with Salesforce").contains(&Need::Compatibility));
    // Punctuation ends the negator's reach.
    assert!(needs_of("No. It crashes every day").contains(&Need::Reliability));
}

#[test]
fn needs_follow_who_speaks_and_of_what() {
    // Who does not understand decides: the writer (the product is hard to
    // use) or the company (the writer is not understood).
    let own = needs_of("I don't understand how to share a folder with my team.");
    assert!(own.contains(&Need::EaseOfUse) && !own.contains(&Need::Understanding));
    assert!(needs_of("You don't understand my problem at all.").contains(&Need::Understanding));
    // A topic alone names no need; what is said about it does.
    assert!(needs_of("I use the mobile app every day.").is_empty());
    assert!(needs_of("The mobile app crashes every day.").contains(&Need::Reliability));
}

#[test]
fn a_need_named_in_passing_beside_a_firm_one_is_dropped() {
    // Rolling back is what the writer did about broken sync, no wish to
    // control the product.
    let rolled_back = needs_of(
        "Your new update broke the sync with Outlook and Google Calendar, we had to roll back.",
    );
    assert!(
        rolled_back.contains(&Need::Compatibility),
        "{rolled_back:?}"
    );
    assert!(!rolled_back.contains(&Need::Control), "{rolled_back:?}");
    // Alone, the same cue is the ticket's need.
    assert!(needs_of("Please let me roll back to the previous version.").contains(&Need::Control));
    // A pain named once is a need of its own, however firm the other.
    let both = needs_of(
        "The app crashes every time I open it and it is far too expensive for what it is.",
    );
    assert!(
        both.contains(&Need::Reliability) && both.contains(&Need::Price),
        "{both:?}"
    );
}

#[test]
fn a_fault_told_as_the_occasion_of_conduct_is_dropped() {
    // The outage is what nobody told them about: the need is information.
    assert_eq!(
        needs_of("Our site was down all morning and nobody told us anything."),
        vec![Need::Information]
    );
    // A charge is a grievance of its own beside the silence.
    let charged = needs_of("You charged me twice and nobody answers my emails.");
    assert!(charged.contains(&Need::Availability), "{charged:?}");
    assert!(charged.contains(&Need::Fairness), "{charged:?}");
    // Three needs or more are a list of grievances, each kept.
    let listed = needs_of("The app keeps crashing, it's slow, and nobody answers my emails.");
    assert!(listed.contains(&Need::Reliability), "{listed:?}");
    assert!(listed.contains(&Need::Performance), "{listed:?}");
}

#[test]
fn a_request_naming_no_need_asks_for_a_capability() {
    assert_eq!(
        needs_of("Can you add a calendar view for bookings?"),
        vec![Need::Capability]
    );
    // A request that names its need is about that need, not capability.
    assert_eq!(
        needs_of("Please add PayPal as a payment option at checkout."),
        vec![Need::Options]
    );
    // A question about the same function asks for nothing.
    assert!(needs_of("When does the calendar view refresh?").is_empty());
    // A wish said firmly does not make the need it names a side remark.
    for ticket in [
        "It would be great to have a choice of report templates.",
        "It would be great to have some choice in how receipts look.",
    ] {
        assert_eq!(needs_of(ticket), vec![Need::Options], "{ticket}");
    }
}

#[test]
fn a_charge_nobody_mentioned_is_unfair() {
    for ticket in [
        "There was a fee nobody mentioned when I signed up.",
        "They charged an undisclosed admin fee on top of the rent.",
    ] {
        let needs = needs_of(ticket);
        assert!(needs.contains(&Need::Fairness), "{ticket}: {needs:?}");
    }
    // A fee told of beforehand is no grievance.
    assert!(needs_of("The fee was mentioned clearly at checkout.").is_empty());
}

#[test]
fn an_account_action_as_a_condition_is_no_wish_to_act() {
    // Named as the condition of a question, closing or cancelling is the
    // occasion: the question asks what happens.
    for ticket in [
        "Can you tell me what data you keep after I close my account?",
        "What happens to my photos if I cancel my subscription?",
    ] {
        let needs = needs_of(ticket);
        assert!(!needs.contains(&Need::Control), "{ticket}: {needs:?}");
    }
    // Asked for, it is the customer steering their account.
    let close = needs_of("How do I close my account?");
    assert!(close.contains(&Need::Control), "{close:?}");
}

#[test]
fn a_notice_never_given_or_documentation_asked_for_is_information() {
    for ticket in [
        "You switched off the old dashboard without prior warning.",
        "They moved our delivery day without any notice.",
        "Where can I find the API docs?",
    ] {
        let needs = needs_of(ticket);
        assert!(needs.contains(&Need::Information), "{ticket}: {needs:?}");
    }
    // Finding one's way in the product stays ease of use.
    let settings = needs_of("Where can I find the settings page?");
    assert_eq!(settings, vec![Need::EaseOfUse]);
}

#[test]
fn a_question_about_a_limit_asks_for_no_function() {
    // Asked about, a limit is a rule the customer wants to know.
    for ticket in [
        "What's the limit for file uploads?",
        "Is there a limit to how many invoices I can create each month?",
        "What is the limit on attachments per ticket?",
    ] {
        let needs = needs_of(ticket);
        assert!(!needs.contains(&Need::Capability), "{ticket}: {needs:?}");
    }
    // Said to be too low, it is a function that falls short.
    let low = needs_of("The 5 project limit is too low for us, please raise it.");
    assert!(low.contains(&Need::Capability), "{low:?}");
}

#[test]
fn a_wish_is_for_the_need_it_names() {
    // The wish's words say only that something is wanted: what is wished
    // for decides, here a plan of another size and a shortcut.
    for (ticket, need) in [
        (
            "It would be great if there was a cheaper plan for small teams like ours.",
            Need::Options,
        ),
        (
            "It would be nice if the report just landed in my inbox instead of me logging in to fetch it.",
            Need::Convenience,
        ),
    ] {
        assert_eq!(needs_of(ticket), vec![need], "{ticket}");
    }
    // Praise that names a feature asks for nothing.
    let praise = needs_of("Love the new feature, exactly what we needed. Brilliant work!");
    assert!(praise.is_empty(), "{praise:?}");
    // A refusal on the occasion is a defect told, not a missing function.
    let refused = needs_of("The checkout won't let me finish the order, the button does nothing.");
    assert!(!refused.contains(&Need::Capability), "{refused:?}");
    // A wish for a function still asks for one.
    assert_eq!(
        needs_of("Would be nice to have a dark theme."),
        vec![Need::Capability]
    );
    assert!(needs_of("Your app doesn't let me add a second address.").contains(&Need::Capability));
}

#[test]
fn a_fault_that_comes_back_is_no_mere_occasion() {
    // Said again, the fault is a grievance of its own beside the silence.
    let again = needs_of("The export failed again and nobody answers my emails.");
    assert!(again.contains(&Need::Reliability), "{again:?}");
    assert!(again.contains(&Need::Availability), "{again:?}");
    // Said once, it is what the silence is about.
    assert_eq!(
        needs_of("The export failed and nobody answers my emails."),
        vec![Need::Availability]
    );
}

#[test]
fn negation_flips_sentiment() {
    let s = Signals::english();
    assert_eq!(
        s.read(None, "The new version is good").sentiment.label,
        Polarity::Positive
    );
    assert_eq!(
        s.read(None, "The new version is not good").sentiment.label,
        Polarity::Negative
    );
    assert_eq!(
        s.read(None, "It never works").sentiment.label,
        Polarity::Negative
    );
    assert!(s.read(None, "Not bad at all").sentiment.score > 0.0);
    // "never" with a degree word is emphasis, not denial.
    assert_eq!(
        s.read(None, "I have never been more disappointed in a company")
            .sentiment
            .label,
        Polarity::Negative
    );
    assert_eq!(
        s.read(None, "I have never been so happy with an update")
            .sentiment
            .label,
        Polarity::Positive
    );
    assert_eq!(
        s.read(None, "I have never been happy with this update")
            .sentiment
            .label,
        Polarity::Negative
    );
}

/// A defect told plainly is a pain; politeness in a request is not praise;
/// strong words keep their reading.
#[test]
fn sentiment_reads_in_the_light_of_the_kind() {
    let signals = Signals::english();
    let read = |text: &str| signals.read(None, text);
    let plain_bug = read("Export to CSV drops the last row of every sheet.");
    assert_eq!(plain_bug.kind.label, Kind::Bug);
    assert_eq!(plain_bug.sentiment.label, Polarity::Negative);
    assert!(plain_bug.sentiment.score < 0.0);
    // A pain read from the kind is explained by the kind's own words.
    let template_bug = read("Export to CSV drops the last row, steps to reproduce below.");
    assert_eq!(template_bug.kind.label, Kind::Bug);
    assert_eq!(template_bug.sentiment.label, Polarity::Negative);
    assert!(!template_bug.kind.evidence.is_empty());
    assert_eq!(template_bug.sentiment.evidence, template_bug.kind.evidence);
    let polite_request = read("It would be nice to have a dark mode for the editor.");
    assert_eq!(polite_request.kind.label, Kind::FeatureRequest);
    assert_eq!(polite_request.sentiment.label, Polarity::Neutral);
    let praise = read("Love the new editor, great work everyone!");
    assert_eq!(praise.sentiment.label, Polarity::Positive);
    let plain_question = read("Can I use the same licence on two computers?");
    assert_eq!(plain_question.kind.label, Kind::Question);
    assert_eq!(plain_question.sentiment.label, Polarity::Neutral);
}

/// A request or a how-to is not the thing done: "please resolve", "how do I
/// solve", "sort by" do not read as "resolved", "solved", "sorted", and a cue
/// that moved nothing is not cited as evidence.
#[test]
fn requests_are_not_read_as_the_thing_done() {
    let s = Signals::english();
    for text in [
        "Please resolve this for me.",
        "How do I solve this?",
        "Can I sort by date?",
        "Please improve the export page.",
    ] {
        let sentiment = s.read(None, text).sentiment;
        assert!(sentiment.score <= 0.0, "{text}: {}", sentiment.score);
        for evidence in &sentiment.evidence {
            let cited = text[evidence.span.start..evidence.span.end].to_lowercase();
            for done in ["resolve", "solve", "sort", "improve", "please"] {
                assert!(!cited.contains(done), "{text}: cites {cited:?}");
            }
        }
    }
    let done = s
        .read(None, "Thanks, it is resolved and sorted now.")
        .sentiment;
    assert!(done.score > 0.0);
    assert!(!done.evidence.is_empty());
}

/// "Honestly", "to be honest" and "to be fair" frame what a customer says
/// next: they praise nothing and ask for no honesty, while being honest
/// still reads warm and a lie still reads as an honesty need.
#[test]
fn framing_words_are_neither_praise_nor_honesty() {
    let s = Signals::english();
    for text in [
        "Honestly, this is the worst app I have ever used.",
        "To be honest I expected more for the price.",
        "To be fair, I expected more for the price.",
    ] {
        let reading = s.read(None, text);
        assert!(
            reading.sentiment.score < 0.0,
            "{text}: {}",
            reading.sentiment.score
        );
        assert!(
            reading.needs.iter().all(|n| n.need != Need::Honesty),
            "{text}: {:?}",
            reading.needs
        );
    }
    assert!(
        s.read(None, "The agent was honest and helpful.")
            .sentiment
            .score
            > 0.0
    );
    for text in [
        "You were not honest with us about the outage.",
        "I just want an honest answer about when this ships.",
    ] {
        let needs = s.read(None, text).needs;
        assert!(
            needs.iter().any(|n| n.need == Need::Honesty),
            "{text}: {needs:?}"
        );
    }
}

/// A service that is down is an outage, whatever else the ticket quotes
/// ("said everything was fine"), and a wish for better after "but" is a
/// mild complaint, not the praise its comparative reads alone. "Down" on
/// its own is no outage ("scroll down"), nor is a price that went down.
#[test]
fn outages_and_wishes_for_better_are_not_praise() {
    let s = Signals::english();
    for text in [
        "Your status page said everything was fine while we were down for 2 hours.",
        "The site is down again.",
        "Not bad, but the calendar view could be faster.",
        "It works, but it could be better.",
    ] {
        let score = s.read(None, text).sentiment.score;
        assert!(score < 0.0, "{text}: {score}");
    }
    for text in [
        "How do I scroll down to the totals in the embedded report?",
        "Can I make a down payment on the annual plan?",
        "The price went down last month, is that on my next invoice?",
    ] {
        let score = s.read(None, text).sentiment.score;
        assert!(score == 0.0, "{text}: {score}");
    }
}

/// A good thing told as past ("used to be fast") is missed, not praised;
/// "use ... to" and a pain in the past keep their reading, and the words
/// of the past work in other languages too.
#[test]
fn a_good_thing_of_the_past_is_missed() {
    let s = Signals::english();
    for text in [
        "It used to be so much faster.",
        "I used to love this app.",
        "Search used to be reliable.",
    ] {
        let read = s.read(None, text);
        assert_eq!(read.sentiment.label, Polarity::Negative, "{text}: {read:?}");
        assert_ne!(read.kind.label, Kind::Praise, "{text}");
    }
    for text in [
        "I use it every day to be more productive, great app!",
        "Reports used to take a day, now it's ten minutes. Brilliant.",
        "It used to crash, but since the update it is great.",
    ] {
        let read = s.read(None, text);
        assert_eq!(read.sentiment.label, Polarity::Positive, "{text}: {read:?}");
    }
    let german = Signals::new(&SignalsConfig::defaults_for(painpoint::Language::German)).unwrap();
    let then = german
        .read(None, "Früher war die App richtig gut.")
        .sentiment
        .score;
    let now = german
        .read(None, "Die App ist richtig gut.")
        .sentiment
        .score;
    assert!(then < 0.0 && now > 0.0, "{then} {now}");
}

/// An opening "Great," before a sentence whose rest is negative is irony,
/// not praise; before good news, or a good word denied out of surprise,
/// it stands.
#[test]
fn an_ironic_great_is_no_praise() {
    let s = Signals::english();
    for text in [
        "Great, another update that breaks everything. Thanks a lot.",
        "Perfect, now I can't log in at all.",
        "Fantastic, I've been on hold for an hour.",
    ] {
        let read = s.read(None, text);
        assert_eq!(read.sentiment.label, Polarity::Negative, "{text}: {read:?}");
        assert_ne!(read.kind.label, Kind::Praise, "{text}");
    }
    // A subject before the body does not cut the body's sentence short.
    let subject = Some("Printing problems on the new invoices");
    let read = s.read(subject, "Great, the export crashes again.");
    assert_eq!(read.sentiment.label, Polarity::Negative, "{read:?}");
    assert!(read.sentiment.score < s.read(subject, "The export crashes again.").sentiment.score);
    for text in [
        "Great, it works now.",
        "Great, thanks for fixing the crash so quickly!",
        "Wow, didn't expect such a helpful reply. You made my day :)",
    ] {
        let read = s.read(None, text);
        assert_eq!(read.sentiment.label, Polarity::Positive, "{text}: {read:?}");
    }
}

/// Support tweets drop verbs and speak in emoji: "internet down since
/// 6am", "servers are dead again", "fix your network", "so much smoother
/// 👌" read as written.
#[test]
fn short_posts_read_as_written() {
    let s = Signals::english();
    for (text, polarity) in [
        (
            "@comcastcares internet down since 6am, any ETA?",
            Polarity::Negative,
        ),
        (
            "@AskPlayStation lol the servers are dead again",
            Polarity::Negative,
        ),
        (
            "@sprintcare 4th dropped call today. fix your network",
            Polarity::Negative,
        ),
        (
            "@ChipotleTweets the new app is so much smoother 👌",
            Polarity::Positive,
        ),
        (
            "@AmazonHelp great, the refund is already back on my card",
            Polarity::Positive,
        ),
        (
            "@Delta what's the baggage allowance for international flights?",
            Polarity::Neutral,
        ),
    ] {
        let read = s.read(None, text);
        assert_eq!(read.sentiment.label, polarity, "{text}: {read:?}");
    }
}

/// A negator does not reach past "how" or "why": "can't believe how
/// easy" praises, "don't know why it crashes" tells a crash; "not what I
/// hoped for" still denies, and "nothing loads" is a defect.
#[test]
fn a_negation_stops_at_how_and_why() {
    let s = Signals::english();
    let easy = s.read(None, "Can't believe how easy the setup was 😍");
    assert_eq!(easy.sentiment.label, Polarity::Positive, "{easy:?}");
    assert_eq!(easy.kind.label, Kind::Praise, "{easy:?}");
    let crash = s.read(None, "I don't know why it crashes on startup");
    assert_eq!(crash.sentiment.label, Polarity::Negative, "{crash:?}");
    assert_eq!(crash.kind.label, Kind::Bug, "{crash:?}");
    let loads = s.read(None, "Perfect, now nothing loads at all.");
    assert_eq!(loads.kind.label, Kind::Bug, "{loads:?}");
    let hoped = s.read(None, "It's not what I hoped for.");
    assert_eq!(hoped.sentiment.label, Polarity::Negative, "{hoped:?}");
}

/// A good word that closes a pain on its own ("... lost my notes. Great.")
/// is irony; after a sentence with a good word in it, or a neutral one, it
/// stands.
#[test]
fn a_lone_good_word_after_a_pain_is_irony() {
    let s = Signals::english();
    for (pain, closer) in [
        ("The update crashed twice and lost my notes.", " Great."),
        ("The app crashed again.", " Oh great."),
        ("It keeps crashing.", " Perfect!"),
    ] {
        let plain = s.read(None, pain);
        let read = s.read(None, &format!("{pain}{closer}"));
        assert_eq!(
            read.sentiment.label,
            Polarity::Negative,
            "{pain}{closer}: {read:?}"
        );
        assert!(
            read.sentiment.score < plain.sentiment.score,
            "{pain}{closer}"
        );
        assert_ne!(read.kind.label, Kind::Praise, "{pain}{closer}");
    }
    for text in [
        "Great.",
        "Support answered in minutes. Great.",
        "Had a billing problem, Anna fixed it. Brilliant.",
    ] {
        let read = s.read(None, text);
        assert_eq!(read.sentiment.label, Polarity::Positive, "{text}: {read:?}");
    }
    let thanks = s.read(None, "The app crashed again. Thanks for nothing.");
    assert_eq!(thanks.sentiment.label, Polarity::Negative, "{thanks:?}");
}

/// A problem told fixed ("fixed the problem in minutes") is no pain; a
/// fix asked for, denied, or claimed and then denied leaves it one.
#[test]
fn a_problem_told_fixed_is_no_pain() {
    let s = Signals::english();
    for text in [
        "Mike fixed the problem in minutes.",
        "They sorted my billing problem straight away.",
        "Jenna resolved my login issue on the first call.",
    ] {
        let read = s.read(None, text);
        assert_eq!(read.sentiment.label, Polarity::Positive, "{text}: {read:?}");
        assert!(
            read.sentiment
                .evidence
                .iter()
                .all(|e| !matches!(&text[e.span.start..e.span.end], "problem" | "issue")),
            "{text}: the problem solved is no evidence of pain: {read:?}"
        );
    }
    for text in [
        "Can you fix the problem?",
        "Nobody fixed the problem.",
        "They said the crash was fixed. It still crashes.",
    ] {
        let read = s.read(None, text);
        assert_ne!(read.sentiment.label, Polarity::Positive, "{text}: {read:?}");
    }
}

/// A bare line, a reply or a fragment with no cue, need or mood, is no
/// complaint and no bug, and reads neutral: the built-in model's topic
/// words ("card", "sent", "account") do not make it one. A short line with
/// a cue keeps it.
#[test]
fn a_bare_line_is_no_complaint() {
    let s = Signals::english();
    for text in [
        "DM sent",
        "yes it was the same account",
        "card",
        "my card",
        "nope, still the old version",
    ] {
        let r = s.read(None, text);
        assert_eq!(r.kind.label, Kind::Other, "{text}: {:?}", r.kind);
        assert_eq!(r.sentiment.label, Polarity::Neutral, "{text}");
    }
    for (text, kind) in [
        ("Nobody called me back", Kind::Complaint),
        ("App crashes on login", Kind::Bug),
        ("Screen stays black", Kind::Bug),
        ("Way too expensive", Kind::Complaint),
    ] {
        assert_eq!(s.read(None, text).kind.label, kind, "{text}");
    }
}

/// What was promised and never came is a complaint, not a fragment.
#[test]
fn what_never_came_is_a_complaint() {
    let s = Signals::english();
    for text in ["My order never arrived", "The replacement never came"] {
        assert_eq!(s.read(None, text).kind.label, Kind::Complaint, "{text}");
    }
}

/// Help denied is the pain, not the problem it was for: "didn't help
/// with the error" leaves the error and adds the failed help.
#[test]
fn help_that_did_not_come_is_no_praise() {
    let s = Signals::english();
    for text in [
        "Didn't help with the error at all.",
        "The article doesn't help, I still get the warning.",
    ] {
        let read = s.read(None, text);
        assert_eq!(read.sentiment.label, Polarity::Negative, "{text}: {read:?}");
    }
    let read = s.read(None, "Thanks, that helped.");
    assert_eq!(read.sentiment.label, Polarity::Positive, "{read:?}");
}

/// "Fix" as a noun names a remedy, not that it worked; a remedy that
/// "did nothing" or "made no difference" is a pain.
#[test]
fn a_remedy_that_changed_nothing_is_a_pain() {
    let s = Signals::english();
    for text in [
        "The fix you suggested did nothing.",
        "Clearing the cache made no difference.",
    ] {
        let read = s.read(None, text);
        assert_eq!(read.sentiment.label, Polarity::Negative, "{text}: {read:?}");
    }
    let text = "The fix you suggested did nothing.";
    let read = s.read(None, text);
    assert!(
        read.sentiment
            .evidence
            .iter()
            .all(|e| &text[e.span.start..e.span.end] != "fix"),
        "the fix named is no evidence of praise: {read:?}"
    );
    let read = s.read(None, "It's fixed now.");
    assert_eq!(read.sentiment.label, Polarity::Positive, "{read:?}");
}

/// A negator denies the words of one sign: the first it denies and more
/// like it ("no lag or crashes", "not fast or reliable"), not a word of
/// the other sign after it ("didn't fix the crash" leaves the crash); a
/// negator inside a phrase ("no problem") is that phrase's.
#[test]
fn a_negator_denies_words_of_one_sign() {
    let s = Signals::english();
    for text in [
        "The update didn't fix the crash.",
        "The last update did not solve the freezing issue.",
        "The agent wasn't helpful and was rude.",
        "I'm not happy with the slow loading.",
        "Not fast or reliable.",
    ] {
        let read = s.read(None, text);
        assert_eq!(read.sentiment.label, Polarity::Negative, "{text}: {read:?}");
        assert_ne!(read.kind.label, Kind::Praise, "{text}");
    }
    for text in [
        "No lag or crashes since the update.",
        "No problems and very fast.",
    ] {
        let read = s.read(None, text);
        assert_eq!(read.sentiment.label, Polarity::Positive, "{text}: {read:?}");
    }
}

/// Praise said by denying its opposite ("can't fault", "couldn't be
/// happier") holds its negator: nothing good is denied.
#[test]
fn praise_said_by_denying_its_opposite() {
    let s = Signals::english();
    for text in [
        "Can't fault the service, everything arrived on time.",
        "Couldn't be happier with the switch.",
        "Couldn't ask for better support.",
        "I can't recommend them enough!",
    ] {
        let read = s.read(None, text);
        assert_eq!(read.sentiment.label, Polarity::Positive, "{text}: {read:?}");
        assert_eq!(read.kind.label, Kind::Praise, "{text}: {read:?}");
    }
    let read = s.read(None, "I can't recommend this app, it crashes constantly.");
    assert_eq!(read.sentiment.label, Polarity::Negative, "{read:?}");
}

/// A control that is not there for the user ("greyed out", "not
/// clickable") is a defect told in plain words; asked about, a question.
#[test]
fn a_control_that_is_not_there_is_a_bug() {
    let s = Signals::english();
    for (text, kind) in [
        (
            "The export button is greyed out since yesterday's update.",
            Kind::Bug,
        ),
        ("The save button is not clickable on Safari.", Kind::Bug),
        (
            "Any idea why the import option is greyed out for me?",
            Kind::Question,
        ),
    ] {
        assert_eq!(s.read(None, text).kind.label, kind, "{text}");
    }
}

#[test]
fn boosters_caps_and_exclamations_strengthen() {
    let s = Signals::english();
    let plain = s.read(None, "The app is slow").sentiment.score;
    let very = s.read(None, "The app is very slow").sentiment.score;
    let slightly = s.read(None, "The app is slightly slow").sentiment.score;
    let caps = s.read(None, "The app is SLOW").sentiment.score;
    let bang = s.read(None, "The app is slow!!!").sentiment.score;
    assert!(very < plain, "{very} < {plain}");
    assert!(slightly > plain, "{slightly} > {plain}");
    assert!(caps < plain, "{caps} < {plain}");
    assert!(bang < plain, "{bang} < {plain}");
}

#[test]
fn contrast_weights_the_second_half() {
    let s = Signals::english();
    let r = s.read(
        None,
        "The design is nice but the support is terrible and useless",
    );
    assert_eq!(r.sentiment.label, Polarity::Negative);
    let r = s.read(
        None,
        "Setup was a bit confusing but the team was fantastic and so helpful",
    );
    assert_eq!(r.sentiment.label, Polarity::Positive);
}

#[test]
fn emoji_count() {
    let s = Signals::english();
    assert_eq!(
        s.read(None, "order arrived 😍🎉").sentiment.label,
        Polarity::Positive
    );
    assert_eq!(
        s.read(None, "order arrived 😡").sentiment.label,
        Polarity::Negative
    );
    assert_eq!(
        s.read(None, "order arrived :(").sentiment.label,
        Polarity::Negative
    );
    // Not an emoticon inside a URL.
    assert_eq!(
        s.read(None, "see https://example.com").sentiment.label,
        Polarity::Neutral
    );
}

#[test]
fn every_language_reads_emoji() {
    use painpoint::{Capability, Feature, Language, Product, Tagger, Ticket};
    // A German product reads German words, not English ones; emoji speak
    // every language.
    let product = Product::new("shop", "Shop")
        .language(Language::German)
        .capability(
            Capability::new("zahlung", "Zahlung").feature(Feature::new("rechnung", "Rechnung")),
        );
    let tagger = Tagger::new(&product).unwrap();
    let read = |text: &str| tagger.tag(&Ticket::new("t", text)).sentiment.unwrap();
    let angry = read("Die Rechnung ist falsch 😡");
    assert_eq!(angry.label, Polarity::Negative);
    assert_eq!(read("Danke, super Service :)").label, Polarity::Positive);
    // English words mean nothing in a German ticket ("hate" is not German).
    assert_eq!(
        read("Die Rechnung: hate, terrible, awful").label,
        Polarity::Neutral
    );
    let evidence = &angry.evidence;
    assert!(evidence.iter().any(|e| e.pattern == "😡"), "{evidence:?}");

    // A language without built-in words (Dutch) gets the emoji alone.
    let dutch = SignalsConfig::defaults_for(Language::Dutch);
    assert!(dutch.needs.is_empty() && dutch.sentiment.words.is_empty());
    assert_eq!(
        dutch.sentiment.emoji,
        SignalsConfig::english().sentiment.emoji
    );
}

#[test]
fn evidence_points_at_the_cue_words() {
    let s = Signals::english();
    let subject = "Too expensive";
    let text = "Nobody answered for three days and the app crashes.";
    let r = s.read(Some(subject), text);
    let find = |need: Need| {
        r.needs
            .iter()
            .find(|m| m.need == need)
            .unwrap_or_else(|| panic!("{need:?}"))
    };
    let price = find(Need::Price);
    assert_eq!(price.evidence[0].field, Field::Subject);
    assert_eq!(&subject[price.evidence[0].span.range()], "Too expensive");
    let rel = find(Need::Reliability);
    assert_eq!(rel.evidence[0].field, Field::Text);
    assert_eq!(&text[rel.evidence[0].span.range()], "crashes");
    assert_eq!(rel.evidence[0].source, Source::Lexicon);
    let avail = find(Need::Availability);
    assert_eq!(&text[avail.evidence[0].span.range()], "Nobody answered");
    for e in &r.sentiment.evidence {
        let field = if e.field == Field::Subject {
            subject
        } else {
            text
        };
        assert!(field.get(e.span.range()).is_some(), "{e:?}");
    }
}

#[test]
fn kind_structure_cues() {
    let s = Signals::english();
    let kind = |t: &str| s.read(None, t).kind.label;
    assert_eq!(
        kind("Steps to reproduce: open the app. Expected behavior: it opens."),
        Kind::Bug
    );
    assert_eq!(
        kind("It would be nice to export to Excel"),
        Kind::FeatureRequest
    );
    assert_eq!(kind("How do I export to Excel?"), Kind::Question);
    assert_eq!(kind("Thanks a lot, love the app!"), Kind::Praise);
    assert_eq!(kind("Please find the contract attached."), Kind::Other);
    let r = s.read(None, "Where is the export button?");
    assert!(r.kind.evidence.iter().any(|e| e.pattern == "?"));
}

#[test]
fn kind_reads_the_mood_where_the_words_say_nothing() {
    let s = Signals::english();
    let kind = |t: &str| s.read(None, t).kind.label;
    // A "why" from a displeased writer, with no other question words, protests.
    assert_eq!(
        kind("Why is the export so slow since the update? It used to take seconds."),
        Kind::Complaint
    );
    // Beside a help request it asks.
    assert_eq!(
        kind("Why does the export fail with a timeout? How do I raise the limit?"),
        Kind::Question
    );
    // An angry report that names its defect stays a bug report.
    assert_eq!(
        kind("The editor froze and I lost an hour of work."),
        Kind::Bug
    );
    // A reliability the text praises is no defect.
    assert_ne!(
        kind("Rock solid since the last release, not a single crash in weeks."),
        Kind::Bug
    );
    // A product need speaks against mere correspondence.
    assert_eq!(
        kind("Please show a history of changes on each document."),
        Kind::FeatureRequest
    );
}

/// "Like" as a comparison ("looks like", "a shop like mine") is no
/// warmth; "I liked it" still is.
#[test]
fn like_as_a_comparison_is_not_warm() {
    let s = Signals::english();
    let score = |t: &str| s.read(None, t).sentiment.score;
    let looks_like = "When I filter by date, March comes before January. Looks like the dates are compared as text.";
    assert!(score(looks_like) <= 0.0, "{}", score(looks_like));
    assert!(score("The new menu looks like the old one.") <= 0.0);
    // Nor "like it": "looks like it", "seems like it" are no "liked it".
    assert!(score("It seems like it does not save my changes.") <= 0.0);
    assert!(score("Looks like it was thrown together in a weekend.") <= 0.0);
    assert!(score("I liked the old editor much better.") > 0.0);
    // Nor a habit told before a problem: "we like to" is no "we liked".
    assert!(score("We like to export our reports every Friday.") <= 0.0);
    assert!(score("I like to keep a copy of every invoice.") <= 0.0);
    assert!(score("We liked the new export a lot.") > 0.0);
}

#[test]
fn kind_help_requests_and_declared_types() {
    let s = Signals::english();
    let kind = |subject: &str, t: &str| s.read(Some(subject), t).kind.label;
    // The words of a defect, asked about: a help request.
    assert_eq!(
        kind(
            "Error when installing on Windows",
            "I get an error every time I run the installer. How can I fix this?"
        ),
        Kind::Question
    );
    // The same words, reported: a bug.
    assert_eq!(
        kind(
            "Installer fails on Windows",
            "The installer fails with an error every time since 2.1."
        ),
        Kind::Bug
    );
    // A type declared in a form field is the writer's own choice.
    let form = "### Issue type\n\nSupport\n\n### Version\n\n2.1\n\n### Current behavior?\n\nThe export stops at 50% and shows an error.";
    let r = s.read(Some("Export stops halfway"), form);
    assert_eq!(r.kind.label, Kind::Question);
    assert!(r.kind.evidence.iter().any(|e| e.pattern == "type:"));
    let form = form.replace("Support", "Bug");
    assert_eq!(kind("Export stops halfway", &form), Kind::Bug);
    // A template heading ending in "?" is not the writer's question.
    let r = s.read(Some("Export stops halfway"), &form);
    assert!(r.kind.evidence.iter().all(|e| e.pattern != "?"));
}

#[test]
fn config_adds_and_replaces_keywords() {
    let text = "The widget wobbles on my desk";
    assert!(needs_of(text).is_empty());
    let mut add = SignalsConfig::default();
    add.needs
        .insert(Need::Quality, LabelConfig::default().keyword("wobbles"));
    let added = Signals::new(&add).unwrap();
    assert_eq!(added.read(None, text).needs[0].need, Need::Quality);
    // Defaults are still there.
    assert!(
        added
            .read(None, "it crashes")
            .needs
            .iter()
            .any(|m| m.need == Need::Reliability)
    );

    let mut replace = LabelConfig::default().keyword("wobbles");
    replace.replace = true;
    let mut config = SignalsConfig::default();
    config.needs.insert(Need::Reliability, replace);
    let replaced = Signals::new(&config).unwrap();
    assert!(
        !replaced
            .read(None, "it crashes")
            .needs
            .iter()
            .any(|m| m.need == Need::Reliability)
    );
    assert_eq!(replaced.read(None, text).needs[0].need, Need::Reliability);

    let json: SignalsConfig = serde_json::from_str(
        r#"{"extend_defaults": false, "needs": {"price": {"keywords": [{"phrase": "kosten", "weight": 2}]}}, "language": "german"}"#,
    )
    .unwrap();
    let german = Signals::new(&json).unwrap();
    assert_eq!(
        german.read(None, "Die Kosten sind hoch").needs[0].need,
        Need::Price
    );
    assert!(german.read(None, "Die App stürzt ab").needs.is_empty());
}

#[test]
fn examples_teach_needs_and_kinds() {
    let text = "The widget wobbles and rattles whenever the fan spins";
    let mut config = SignalsConfig::default();
    config.needs.insert(
        Need::Quality,
        LabelConfig::default().example("my widget rattles and wobbles when the fan is on"),
    );
    let s = Signals::new(&config).unwrap();
    let r = s.read(None, text);
    let quality = r
        .needs
        .iter()
        .find(|m| m.need == Need::Quality)
        .expect("quality");
    assert!(quality.evidence.iter().any(|e| e.source == Source::Example));

    let mut config = SignalsConfig::default();
    config.kinds.insert(
        Kind::Other,
        LabelConfig::default().example("quarterly sync agenda and minutes"),
    );
    config.kinds.insert(
        Kind::Bug,
        LabelConfig::default().example("the widget rattles"),
    );
    let s = Signals::new(&config).unwrap();
    assert_eq!(
        s.read(None, "agenda for the quarterly sync").kind.label,
        Kind::Other
    );
}

#[test]
fn bad_config_names_its_path() {
    let mut config = SignalsConfig::default();
    config
        .kinds
        .insert(Kind::Bug, LabelConfig::default().keyword("* crash"));
    let err = Signals::new(&config).unwrap_err().to_string();
    assert!(
        err.starts_with("kinds.bug.keywords[") && err.contains("* crash"),
        "{err}"
    );
    let mut config = SignalsConfig::default();
    config.sentiment.words.insert("meh".into(), 9.0);
    let err = Signals::new(&config).unwrap_err().to_string();
    assert!(err.starts_with("sentiment.words["), "{err}");
}

/// A configuration that extends the defaults is checked as the user wrote
/// it: the path names the place in their own file, not in the merged lists.
#[test]
fn bad_config_names_the_users_own_path() {
    let error = |json: &str| {
        let config: SignalsConfig = serde_json::from_str(json).unwrap();
        Signals::new(&config).unwrap_err().to_string()
    };
    let err = error(r#"{"needs": {"price": {"keywords": ["a", "b", "c", ""]}}}"#);
    assert_eq!(err, "needs.price.keywords[3]: must not be empty");
    let err = error(r#"{"needs": {"price": {"keywords": [{"phrase": "x", "weight": 11}]}}}"#);
    assert!(err.starts_with("needs.price.keywords[0]: 11"), "{err}");
    let err = error(r#"{"kinds": {"bug": {"examples": ["it crashes", " "]}}}"#);
    assert_eq!(err, "kinds.bug.examples[1]: must not be empty");
    // A sentiment word is named by its key: the words are a map.
    let err = error(r#"{"sentiment": {"words": {"borked": -5}}}"#);
    assert!(err.starts_with(r#"sentiment.words["borked"]: -5"#), "{err}");
    let err = error(r#"{"sentiment": {"emoji": {" ": -1}}}"#);
    assert_eq!(err, r#"sentiment.emoji[" "]: must not be empty"#);
    let mut config = SignalsConfig::default();
    config.sentiment.words.insert("good".into(), f64::NAN); // a default word
    let err = Signals::new(&config).unwrap_err().to_string();
    assert!(err.starts_with(r#"sentiment.words["good"]: NaN"#), "{err}");
}

/// A shifter entry that could never take effect is an error naming it, not
/// an entry silently skipped.
#[test]
fn word_list_entries_that_cannot_match_name_their_path() {
    let error = |json: &str| {
        let config: SignalsConfig = serde_json::from_str(json).unwrap();
        Signals::new(&config).unwrap_err().to_string()
    };
    let err = error(r#"{"shifters": {"negators": ["nope", " "]}}"#);
    assert_eq!(err, "shifters.negators[1]: must not be empty");
    let err = error(r#"{"shifters": {"boosters": ["!!"]}}"#);
    assert_eq!(err, "shifters.boosters[0]: must not be empty");
    let err = error(r#"{"first_person": ["my", ""]}"#);
    assert_eq!(err, "first_person[1]: must not be empty");
    // Matched as one word as written: "got fixed" could never match.
    let err = error(r#"{"shifters": {"solved": ["patched", "got fixed"]}}"#);
    assert!(
        err.starts_with(r#"shifters.solved[1]: cannot parse "got fixed""#),
        "{err}"
    );
    // Given in full, not extending the defaults, the same paths.
    let err = error(r#"{"extend_defaults": false, "why": ["why", "  "]}"#);
    assert_eq!(err, "why[1]: must not be empty");
    let mut config = SignalsConfig::default();
    config.shifters.solved.push("patched".into());
    config.shifters.dampeners.push("a tad".into());
    assert!(Signals::new(&config).is_ok());
}

/// A misspelt field is an error, not a setting silently left out.
#[test]
fn config_rejects_unknown_fields() {
    for json in [
        r#"{"need": {"price": {"keywords": ["paywall"]}}}"#,
        r#"{"needs": {"price": {"keyword": ["paywall"]}}}"#,
        r#"{"needs": {"price": {"keywords": [{"phrase": "paywall", "wieght": 2}]}}}"#,
        r#"{"sentiment": {"word": {"borked": -2}}}"#,
        r#"{"shifters": {"negator": ["nope"]}}"#,
    ] {
        let err = serde_json::from_str::<SignalsConfig>(json)
            .unwrap_err()
            .to_string();
        assert!(
            err.contains("unknown field") || err.contains("phrase"),
            "{json}: {err}"
        );
    }
    let err = serde_json::from_str::<SignalsConfig>(r#"{"needs": {"price": {"keywords": [3]}}}"#)
        .unwrap_err()
        .to_string();
    assert!(!err.contains("KeywordRepr"), "{err}");
}

#[test]
fn reading_serializes_in_the_documented_shape() {
    let r = Signals::english().read(None, "Way too expensive!");
    let v: serde_json::Value = serde_json::to_value(&r).unwrap();
    assert_eq!(v["needs"][0]["need"], "price");
    assert!(v["needs"][0]["score"].as_f64().unwrap() > 0.5);
    assert!(v["kind"]["label"].is_string());
    assert_eq!(v["sentiment"]["label"], "negative");
    let back: painpoint::Reading = serde_json::from_value(v).unwrap();
    assert_eq!(back, r);
}

#[test]
fn deterministic_and_total() {
    let s = Signals::english();
    let text = "I had to explain my setup three times; still not fixed!!! 😡 ?";
    let a = serde_json::to_string(&s.read(Some("Re: case"), text)).unwrap();
    let b = serde_json::to_string(&s.read(Some("Re: case"), text)).unwrap();
    assert_eq!(a, b);
    for t in ["", " ", "?", "!!!", "n't", "no", "*", "\u{0}", "ÉÉÉ", "🙂"] {
        let r = s.read(Some(t), t);
        assert!((-1.0..=1.0).contains(&r.sentiment.score));
        assert!((0.0..=1.0).contains(&r.kind.score));
    }
}
