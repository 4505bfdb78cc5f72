//! Customer signals in German, French, Spanish, Italian and Portuguese: per-label precision and
//! recall of the built-in defaults on labelled tickets
//! (tests/data/signals/tickets.{de,fr,es,it,pt}.tsv), plus focused tests of
//! negation in each language and of a German product's tagger.
//!
//! Every other ticket is held out: the lexicons were tuned on the dev half
//! only (`SIGNALS_SHOW=dev` prints its misses); the held-out figures are
//! reported as measured. Floors are the measured figures minus a small
//! margin (regression guards).

mod labelled;

use labelled::{Case, Floors};
use painpoint::signals::{Signals, SignalsConfig};
use painpoint::{Kind, Language, Need, Polarity};

struct Set {
    language: Language,
    tickets: &'static str,
    needs: Floors,
    kind: Floors,
    sentiment: Floors,
}

/// Floors on macro-F1 for one language and label set: the whole set, the
/// dev half and the held-out half (too few tickets a label for a floor on
/// the lowest precision or recall).
const fn f(all: f64, dev: f64, held_out: f64) -> Floors {
    Floors {
        all,
        dev,
        held_out,
        lowest: None,
    }
}

/// Measured macro-F1 (dev / held-out / whole set), built-in defaults, no
/// example tickets for the word models (2026-11-24, fourth session; needs
/// re-measured in the fifth, after capability was read in the light of the
/// kind):
///
/// | language | kind | sentiment | needs |
/// |---|---|---|---|
/// | German | 0.857 / 0.916 / 0.887 | 0.953 / 0.883 / 0.918 | 0.969 / 0.810 / 0.917 |
/// | French | 0.832 / 0.878 / 0.860 | 0.930 / 0.847 / 0.888 | 0.980 / 0.819 / 0.925 |
/// | Spanish | 0.913 / 0.827 / 0.870 | 0.953 / 0.847 / 0.899 | 0.888 / 0.783 / 0.843 |
/// | Italian | 0.933 / 0.795 / 0.867 | 0.872 / 0.909 / 0.896 | 0.885 / 0.936 / 0.931 |
/// | Portuguese | 0.902 / 0.682 / 0.799 | 0.872 / 0.909 / 0.896 | 0.805 / 0.933 / 0.911 |
///
/// Italian and Portuguese (60 tickets, 30 a half), held-out before tuning
/// on the dev half: kind 0.733 / 0.695, sentiment 0.878 / 0.909, needs
/// 0.889 / 0.907.
///
/// Before tuning on the dev half (the lists as first written), held-out:
/// kind 0.837 / 0.863 / 0.696, sentiment 0.883 / 0.815 / 0.832, needs
/// 0.788 / 0.757 / 0.717. The sets are small (36 tickets a half) and were
/// written by the lexicons' authors, so read the figures as a sanity
/// check, not as what a real desk's tickets will score. Floors: measured
/// minus 0.03.
const SETS: [Set; 5] = [
    Set {
        language: Language::German,
        tickets: include_str!("data/signals/tickets.de.tsv"),
        needs: f(0.87, 0.91, 0.77),
        kind: f(0.81, 0.82, 0.80),
        sentiment: f(0.88, 0.92, 0.85),
    },
    Set {
        language: Language::French,
        tickets: include_str!("data/signals/tickets.fr.tsv"),
        needs: f(0.88, 0.95, 0.78),
        kind: f(0.81, 0.80, 0.83),
        sentiment: f(0.85, 0.92, 0.78),
    },
    Set {
        language: Language::Spanish,
        tickets: include_str!("data/signals/tickets.es.tsv"),
        needs: f(0.80, 0.84, 0.73),
        kind: f(0.78, 0.88, 0.69),
        sentiment: f(0.86, 0.92, 0.81),
    },
    Set {
        language: Language::Italian,
        tickets: include_str!("data/signals/tickets.it.tsv"),
        needs: f(0.87, 0.80, 0.88),
        kind: f(0.78, 0.87, 0.70),
        sentiment: f(0.85, 0.84, 0.84),
    },
    Set {
        language: Language::Portuguese,
        tickets: include_str!("data/signals/tickets.pt.tsv"),
        needs: f(0.85, 0.74, 0.87),
        kind: f(0.77, 0.87, 0.66),
        sentiment: f(0.86, 0.84, 0.87),
    },
];

/// Scores one label set of one language (see `labelled::evaluate`) and
/// checks the floors.
fn check<L: Ord + Copy + std::fmt::Debug>(
    what: &str,
    set: &Set,
    floors: Floors,
    read: impl Fn(&Signals, &str) -> Vec<L>,
    gold: impl Fn(&Case) -> Vec<L>,
) {
    let signals = Signals::new(&SignalsConfig::defaults_for(set.language)).unwrap();
    let name = format!("{:?} {what}", set.language);
    let figures = labelled::evaluate(
        &name,
        &labelled::cases(set.tickets),
        |text| read(&signals, text),
        gold,
    );
    figures.check(&name, &floors);
}

#[test]
fn labelled_sets_are_big_enough() {
    for set in &SETS {
        let cases = labelled::cases(set.tickets);
        assert!(cases.len() >= 60, "{:?}", set.language);
        for kind in Kind::ALL {
            let n = cases.iter().filter(|c| c.kind == kind).count();
            assert!(n >= 10, "{:?} {kind:?}: {n} tickets", set.language);
        }
        for polarity in [Polarity::Negative, Polarity::Neutral, Polarity::Positive] {
            let n = cases.iter().filter(|c| c.sentiment == polarity).count();
            assert!(n >= 10, "{:?} {polarity:?}: {n} tickets", set.language);
        }
    }
}

#[test]
fn kind_precision_and_recall() {
    for set in &SETS {
        check(
            "kind",
            set,
            set.kind,
            |s, text| vec![s.read(None, text).kind.label],
            |c| vec![c.kind],
        );
    }
}

#[test]
fn sentiment_precision_and_recall() {
    for set in &SETS {
        check(
            "sentiment",
            set,
            set.sentiment,
            |s, text| vec![s.read(None, text).sentiment.label],
            |c| vec![c.sentiment],
        );
    }
}

#[test]
fn needs_precision_and_recall() {
    for set in &SETS {
        check(
            "needs",
            set,
            set.needs,
            |s, text| s.read(None, text).needs.iter().map(|m| m.need).collect(),
            |c| c.needs.clone(),
        );
    }
}

fn reader(language: Language) -> Signals {
    Signals::new(&SignalsConfig::defaults_for(language)).unwrap()
}

fn needs_of(signals: &Signals, text: &str) -> Vec<Need> {
    signals
        .read(None, text)
        .needs
        .iter()
        .map(|m| m.need)
        .collect()
}

fn polarity(signals: &Signals, text: &str) -> Polarity {
    signals.read(None, text).sentiment.label
}

#[test]
fn german_negation() {
    let de = reader(Language::German);
    assert_eq!(polarity(&de, "Das neue Update ist gut"), Polarity::Positive);
    assert_eq!(
        polarity(&de, "Das neue Update ist nicht gut"),
        Polarity::Negative
    );
    assert!(needs_of(&de, "Die App stürzt ständig ab").contains(&Need::Reliability));
    // A negator before the pain denies it.
    assert!(!needs_of(&de, "Seit Wochen kein Absturz mehr").contains(&Need::Reliability));
    assert!(!needs_of(&de, "Es ist gar nicht langsam").contains(&Need::Performance));
    assert!(needs_of(&de, "Es ist langsam").contains(&Need::Performance));
    // "nicht" after the verb: the pain is a phrase of its own.
    let broken = de.read(None, "Der Export funktioniert nicht");
    assert_eq!(broken.sentiment.label, Polarity::Negative);
    assert!(broken.needs.iter().any(|m| m.need == Need::Reliability));
    assert_eq!(broken.kind.label, Kind::Bug);
}

#[test]
fn french_negation() {
    let fr = reader(Language::French);
    assert_eq!(polarity(&fr, "Le support est efficace"), Polarity::Positive);
    assert_eq!(
        polarity(&fr, "Le support n'est pas efficace"),
        Polarity::Negative
    );
    assert!(needs_of(&fr, "L'application plante tout le temps").contains(&Need::Reliability));
    assert!(!needs_of(&fr, "Elle n'a jamais planté depuis mars").contains(&Need::Reliability));
    assert!(!needs_of(&fr, "Ce n'est pas lent du tout").contains(&Need::Performance));
    assert!(needs_of(&fr, "C'est lent").contains(&Need::Performance));
    // "ne ... pas" around the verb and the colloquial "marche pas" both
    // read as a pain, not as a denied one.
    for text in [
        "La synchro ne marche pas",
        "La synchro marche pas",
        "L'export ne fonctionne plus",
    ] {
        let r = fr.read(None, text);
        assert_eq!(r.sentiment.label, Polarity::Negative, "{text}");
        assert_eq!(r.kind.label, Kind::Bug, "{text}");
    }
}

#[test]
fn spanish_negation() {
    let es = reader(Language::Spanish);
    assert_eq!(
        polarity(&es, "La nueva versión es buena"),
        Polarity::Positive
    );
    assert_eq!(
        polarity(&es, "La nueva versión no es buena"),
        Polarity::Negative
    );
    assert!(needs_of(&es, "La aplicación se cuelga cada día").contains(&Need::Reliability));
    assert!(!needs_of(&es, "La verdad es que no es nada lenta").contains(&Need::Performance));
    assert!(needs_of(&es, "Es muy lenta").contains(&Need::Performance));
    let broken = es.read(None, "La exportación no funciona");
    assert_eq!(broken.sentiment.label, Polarity::Negative);
    assert_eq!(broken.kind.label, Kind::Bug);
    // A set phrase that holds a negator denies nothing.
    assert_eq!(
        polarity(&es, "Sin embargo, el informe está listo"),
        Polarity::Neutral
    );
}

#[test]
fn a_german_product_reads_german_signals() {
    use painpoint::{Capability, Feature, Product, Tagger, Ticket};
    let product = Product::new("shop", "Shop")
        .language(Language::German)
        .capability(
            Capability::new("zahlung", "Zahlung")
                .feature(Feature::new("rechnung", "Rechnung").keyword("rechnung")),
        );
    let tagger = Tagger::new(&product).unwrap();
    let ticket = tagger.tag(&Ticket::new(
        "t1",
        "Mir wurde die Rechnung doppelt abgebucht und seit Tagen keine Antwort. Unverschämt!",
    ));
    assert_eq!(ticket.matches[0].feature.as_deref(), Some("rechnung"));
    let sentiment = ticket.sentiment.as_ref().unwrap();
    assert_eq!(sentiment.label, Polarity::Negative);
    assert_eq!(ticket.kind.as_ref().unwrap().label, Kind::Complaint);
    let needs: Vec<Need> = ticket.needs.iter().map(|m| m.need).collect();
    assert!(needs.contains(&Need::Fairness), "{needs:?}");
    assert!(needs.contains(&Need::Availability), "{needs:?}");
    // The evidence quotes the German words.
    assert!(
        sentiment
            .evidence
            .iter()
            .any(|e| e.pattern.contains("unverschämt")),
        "{:?}",
        sentiment.evidence
    );
    // The same ticket under an English product's defaults reads nothing
    // of its words.
    let english = Signals::english().read(None, "Unverschämt! Doppelt abgebucht.");
    assert_eq!(english.sentiment.label, Polarity::Neutral);
    assert!(english.needs.is_empty());
    // A praise reads as one.
    let praise = tagger.tag(&Ticket::new(
        "t2",
        "Vielen Dank, die Rechnung ist jetzt super übersichtlich!",
    ));
    assert_eq!(praise.sentiment.unwrap().label, Polarity::Positive);
    assert_eq!(praise.kind.unwrap().label, Kind::Praise);
}

#[test]
fn greetings_and_set_phrases_are_not_opinions() {
    let de = reader(Language::German);
    let fr = reader(Language::French);
    let es = reader(Language::Spanish);
    // Letter openings and closings that hold an opinion word.
    let greeting = de.read(None, "Liebes Team, anbei die Unterlagen. Liebe Grüße, Anna");
    assert_eq!(greeting.sentiment.label, Polarity::Neutral);
    assert_ne!(greeting.kind.label, Kind::Praise);
    assert_eq!(
        polarity(&de, "Ich liebe die neue Ansicht"),
        Polarity::Positive
    );
    let chere = fr.read(None, "Chère équipe, voici notre nouvelle adresse.");
    assert_eq!(chere.sentiment.label, Polarity::Neutral);
    assert!(chere.needs.is_empty(), "{:?}", chere.needs);
    // "sin embargo" and "sin duda" deny nothing; "vale la pena" is praise.
    assert_eq!(
        polarity(&es, "Sin duda lo revisaremos mañana."),
        Polarity::Neutral
    );
    assert_eq!(polarity(&es, "Vale la pena cada euro"), Polarity::Positive);
}

/// Customers often type without accents: such a ticket reads as its
/// accented twin, with its own words as evidence.
#[test]
fn words_typed_without_accents_read_as_written() {
    let cases = [
        (
            Language::French,
            "très déçu du service client",
            "tres decu du service client",
            "decu",
        ),
        (
            Language::Spanish,
            "pésimo servicio, nadie contesta",
            "pesimo servicio, nadie contesta",
            "pesimo",
        ),
        (
            Language::Spanish,
            "la aplicación es muy rápida, genial",
            "la aplicacion es muy rapida, genial",
            "rapida",
        ),
        // German spells umlauts out ("ae", "oe", "ue") without them.
        (
            Language::German,
            "Sehr enttäuscht vom Support",
            "Sehr enttaeuscht vom Support",
            "enttaeuscht",
        ),
        (
            Language::German,
            "Das ist unverschämt",
            "Das ist unverschaemt",
            "unverschaemt",
        ),
    ];
    for (language, accented, bare, word) in cases {
        let signals = reader(language);
        let (a, b) = (signals.read(None, accented), signals.read(None, bare));
        assert_eq!(a.sentiment.label, b.sentiment.label, "{bare:?}");
        assert_ne!(b.sentiment.label, Polarity::Neutral, "{bare:?}");
        assert!(
            b.sentiment
                .evidence
                .iter()
                .any(|e| &bare[e.span.range()] == word),
            "{bare:?}: {:?}",
            b.sentiment.evidence
        );
    }
}

/// A German ticket typed with its umlauts spelt out names the same needs
/// as with them, by its own words.
#[test]
fn german_umlauts_spelt_out_name_the_same_needs() {
    let de = reader(Language::German);
    for (written, spelt, word) in [
        (
            "Die App stürzt ständig ab",
            "Die App stuerzt staendig ab",
            "stuerzt",
        ),
        (
            "Die Gebühren sind viel zu hoch",
            "Die Gebuehren sind viel zu hoch",
            "Gebuehren",
        ),
    ] {
        let (a, b) = (de.read(None, written), de.read(None, spelt));
        let needs = |r: &painpoint::Reading| r.needs.iter().map(|m| m.need).collect::<Vec<_>>();
        assert!(!needs(&a).is_empty(), "{written:?}");
        assert_eq!(needs(&a), needs(&b), "{spelt:?}");
        assert!(
            b.needs[0]
                .evidence
                .iter()
                .any(|e| &spelt[e.span.range()] == word),
            "{spelt:?}: {:?}",
            b.needs[0].evidence
        );
    }
}

#[test]
fn italian_negation() {
    let it = reader(Language::Italian);
    assert_eq!(
        polarity(&it, "La nuova versione è buona"),
        Polarity::Positive
    );
    assert_eq!(
        polarity(&it, "La nuova versione non è buona"),
        Polarity::Negative
    );
    assert!(needs_of(&it, "L'app si blocca ogni giorno").contains(&Need::Reliability));
    assert!(!needs_of(&it, "Non è per niente lenta").contains(&Need::Performance));
    assert!(needs_of(&it, "È lentissima").contains(&Need::Performance));
    let broken = it.read(None, "L'esportazione non funziona");
    assert_eq!(broken.sentiment.label, Polarity::Negative);
    assert_eq!(broken.kind.label, Kind::Bug);
    // Elided words read as their halves: "dell'assistenza" holds "assistenza".
    assert!(needs_of(&it, "Nessuna risposta dell'assistenza").contains(&Need::Availability));
}

#[test]
fn portuguese_negation() {
    let pt = reader(Language::Portuguese);
    assert_eq!(polarity(&pt, "A nova versão é boa"), Polarity::Positive);
    assert_eq!(polarity(&pt, "A nova versão não é boa"), Polarity::Negative);
    assert!(needs_of(&pt, "O app trava todo dia").contains(&Need::Reliability));
    assert!(!needs_of(&pt, "Não é nada lento").contains(&Need::Performance));
    assert!(needs_of(&pt, "Está muito lento").contains(&Need::Performance));
    // "nao" typed without its tilde is a negator too.
    assert_eq!(polarity(&pt, "O suporte nao é bom"), Polarity::Negative);
    let broken = pt.read(None, "A exportação não funciona");
    assert_eq!(broken.sentiment.label, Polarity::Negative);
    assert_eq!(broken.kind.label, Kind::Bug);
}

#[test]
fn an_italian_product_reads_italian_signals() {
    use painpoint::{Capability, Feature, Product, Tagger, Ticket};
    let product = Product::new("negozio", "Negozio")
        .language(Language::Italian)
        .capability(
            Capability::new("pagamenti", "Pagamenti")
                .feature(Feature::new("fattura", "Fattura").keyword("fattura")),
        );
    let tagger = Tagger::new(&product).unwrap();
    let ticket = tagger.tag(&Ticket::new(
        "t1",
        "Mi avete addebitato due volte la fattura e nessuno risponde. Vergognoso!",
    ));
    assert_eq!(ticket.matches[0].feature.as_deref(), Some("fattura"));
    let sentiment = ticket.sentiment.as_ref().unwrap();
    assert_eq!(sentiment.label, Polarity::Negative);
    assert_eq!(ticket.kind.as_ref().unwrap().label, Kind::Complaint);
    let needs: Vec<Need> = ticket.needs.iter().map(|m| m.need).collect();
    assert!(needs.contains(&Need::Price), "{needs:?}");
    assert!(needs.contains(&Need::Availability), "{needs:?}");
    assert!(
        sentiment
            .evidence
            .iter()
            .any(|e| e.pattern.contains("vergognos")),
        "{:?}",
        sentiment.evidence
    );
    let praise = tagger.tag(&Ticket::new(
        "t2",
        "Grazie mille, la nuova fattura è chiarissima, complimenti!",
    ));
    assert_eq!(praise.sentiment.unwrap().label, Polarity::Positive);
    assert_eq!(praise.kind.unwrap().label, Kind::Praise);
}

/// A defect told in everyday words (freezing, things gone) is a bug in
/// every language, as in English, not mere correspondence.
#[test]
fn everyday_defects_read_as_bugs() {
    let cases = [
        (
            Language::German,
            "Die App friert jedes Mal ein, wenn ich die Kamera öffne.",
        ),
        (
            Language::French,
            "L'application se fige chaque fois que j'ouvre la caméra.",
        ),
        (Language::Spanish, "Mis fotos desaparecieron desde ayer."),
        (
            Language::Italian,
            "L'app si congela ogni volta che apro la fotocamera.",
        ),
        (
            Language::Portuguese,
            "O aplicativo congela toda vez que abro a câmera.",
        ),
        (
            Language::Portuguese,
            "Minhas fotos sumiram depois de ontem.",
        ),
    ];
    for (language, text) in cases {
        let kind = reader(language).read(None, text).kind.label;
        assert_eq!(kind, Kind::Bug, "{language:?}: {text}");
    }
}

/// A rhetorical "why" protests in every language: a displeased writer
/// whose only question is "why" (warum, pourquoi, por qué, perché, por
/// que) complains; with a second, real question the ticket still asks.
#[test]
fn a_displeased_why_is_a_complaint_in_every_language() {
    let cases = [
        (
            Language::English,
            "Why is the app so slow and useless since the update?",
            "Why is the export slow? How do I raise the limit?",
        ),
        (
            Language::German,
            "Warum ist die App seit dem Update so langsam und nutzlos?",
            "Warum ist der Export langsam? Wie kann ich das Limit erhöhen?",
        ),
        (
            Language::French,
            "Pourquoi l'appli est-elle si lente et inutile depuis la mise à jour ?",
            "Pourquoi l'export est lent ? Comment puis-je augmenter la limite ?",
        ),
        (
            Language::Spanish,
            "¿Por qué la app es tan lenta e inútil desde la actualización?",
            "¿Por qué la exportación es lenta? ¿Cómo puedo subir el límite?",
        ),
        (
            Language::Italian,
            "Perché l'app è così lenta e inutile dopo l'aggiornamento?",
            "Perché l'esportazione è lenta? Come posso aumentare il limite?",
        ),
        (
            Language::Portuguese,
            "Por que o app está tão lento e inútil desde a atualização?",
            "Por que a exportação é lenta? Como posso aumentar o limite?",
        ),
    ];
    for (language, protest, question) in cases {
        let signals = Signals::new(&SignalsConfig::defaults_for(language)).unwrap();
        let kind = signals.read(None, protest).kind;
        assert_eq!(
            kind.label,
            Kind::Complaint,
            "{language:?}: {protest} {kind:?}"
        );
        let kind = signals.read(None, question).kind;
        assert_eq!(
            kind.label,
            Kind::Question,
            "{language:?}: {question} {kind:?}"
        );
    }
}

/// The tagger reads its signals from its own analysis: signals of another
/// language than the product's would meet words stemmed for the wrong
/// language and miss their cues ("viel zu teuer" lost its price need), so
/// the builder refuses them.
#[test]
fn tagger_refuses_signals_of_another_language() {
    use painpoint::{Capability, Error, Product, Tagger};
    let product = Product::new("shop", "Shop")
        .capability(Capability::new("pay", "Payment").keyword("payment"));
    let german = reader(Language::German);
    let err = Tagger::builder()
        .signals(german.clone())
        .build(&product)
        .expect_err("German signals on an English product");
    assert!(matches!(err, Error::Mismatch { .. }), "{err}");
    assert!(err.to_string().contains("german"), "{err}");
    let german_product = Product::new("shop", "Shop")
        .language(Language::German)
        .capability(Capability::new("zahlung", "Zahlung").keyword("Zahlung"));
    let tagger = Tagger::builder()
        .signals(german.clone())
        .build(&german_product)
        .unwrap();
    let text = "Die Zahlung ist viel zu teuer und die App stürzt ständig ab";
    assert_eq!(tagger.tag_text(text).needs, german.read(None, text).needs);
}

/// A question sent without its mark: a question cue that opens the body
/// weighs as the mark would, against the displeasure around it.
#[test]
fn a_question_without_its_mark_is_a_question() {
    for (language, text) in [
        (
            Language::Italian,
            "vorrei sapere a che punto è il mio reso, non ho ricevuto nessuna email",
        ),
        (
            Language::Portuguese,
            "queria saber onde está o meu pacote, não recebi nenhuma notícia",
        ),
    ] {
        let kind = reader(language).read(None, text).kind;
        assert_eq!(kind.label, Kind::Question, "{language:?}: {text}: {kind:?}");
    }
}
