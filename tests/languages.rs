//! Every language painpoint knows, end to end through the public API.
//!
//! For each stemmed language: a tiny product written in that language, two
//! tickets that use an inflected form of a keyword (a form the product never
//! uses), and checks that the stemmer joins the two forms, that common
//! function words are on the stop-word list and that each ticket lands on the
//! right feature. Then scripts without a stemmer (Gurmukhi, Devanagari,
//! Chinese, Thai, Hebrew under `Language::None`, and Arabic script under
//! `Language::Arabic`): exact matches, and one-typo matches for longer words.

use painpoint::analysis::{Analyzer, Stemmer, StopWords, fold_into, words};
use painpoint::{
    Capability, Feature, How, Language, Product, TagOptions, TaggedTicket, Tagger, Ticket,
};

/// One feature of a test product: id, name, keywords, examples.
struct FeatureSpec {
    id: &'static str,
    name: &'static str,
    keywords: &'static [&'static str],
    examples: &'static [&'static str],
}

/// A ticket that must be tagged with `want`, because it uses `inflected`,
/// a form of the keyword `keyword` that the product itself never uses.
struct TicketSpec {
    text: &'static str,
    want: &'static str,
    keyword: &'static str,
    inflected: &'static str,
}

/// One stemmed language.
struct LanguageCase {
    language: Language,
    capability: &'static str,
    features: [FeatureSpec; 2],
    tickets: [TicketSpec; 2],
    /// Function words that must be on the language's stop-word list.
    stop: &'static [&'static str],
    /// A content word that must not be.
    not_stop: &'static str,
    /// "Thank you for the help": must stay unmatched.
    thanks: &'static str,
}

const fn f(
    id: &'static str,
    name: &'static str,
    keywords: &'static [&'static str],
    examples: &'static [&'static str],
) -> FeatureSpec {
    FeatureSpec {
        id,
        name,
        keywords,
        examples,
    }
}

const fn t(
    text: &'static str,
    want: &'static str,
    keyword: &'static str,
    inflected: &'static str,
) -> TicketSpec {
    TicketSpec {
        text,
        want,
        keyword,
        inflected,
    }
}

const CASES: &[LanguageCase] = &[
    LanguageCase {
        language: Language::Arabic,
        thanks: "شكرا جزيلا على المساعدة",
        capability: "الحساب",
        features: [
            f(
                "invoice",
                "فاتورة",
                &["فاتورة"],
                &["أين أجد فاتورة شهر مارس؟", "المبلغ في فاتورة خاطئ"],
            ),
            f(
                "subscription",
                "اشتراك",
                &["الاشتراك"],
                &["كيف ألغي اشتراك الفريق؟", "أريد ترقية اشتراك الشركة"],
            ),
        ],
        tickets: [
            t(
                "الفاتورة غير صحيحة هذا الشهر",
                "invoice",
                "فاتورة",
                "الفاتورة",
            ),
            t(
                "أريد إلغاء اشتراكي من فضلكم",
                "subscription",
                "الاشتراك",
                "اشتراكي",
            ),
        ],
        stop: &["في", "من", "على", "هذا"],
        not_stop: "فاتورة",
    },
    LanguageCase {
        language: Language::Danish,
        thanks: "Tusind tak for hjælpen",
        capability: "Konto",
        features: [
            f(
                "invoice",
                "Faktura",
                &["faktura"],
                &[
                    "Hvor kan jeg finde min faktura?",
                    "Beløbet på min faktura passer ikke",
                ],
            ),
            f(
                "password",
                "Adgangskode",
                &["adgangskode"],
                &[
                    "Jeg har glemt min adgangskode",
                    "Hvordan skifter jeg adgangskode?",
                ],
            ),
        ],
        tickets: [
            t(
                "Fakturaen er forkert, og jeg har betalt for meget",
                "invoice",
                "faktura",
                "fakturaen",
            ),
            t(
                "Jeg kan ikke nulstille adgangskoden",
                "password",
                "adgangskode",
                "adgangskoden",
            ),
        ],
        stop: &["og", "jeg", "er", "ikke", "har"],
        not_stop: "faktura",
    },
    LanguageCase {
        language: Language::Dutch,
        thanks: "Heel erg bedankt voor de hulp",
        capability: "Account",
        features: [
            f(
                "payment",
                "Betaling",
                &["betaling"],
                &[
                    "Mijn betaling is niet gelukt",
                    "Wanneer wordt de betaling afgeschreven?",
                ],
            ),
            f(
                "report",
                "Rapport",
                &["rapport"],
                &["Het rapport laadt traag", "Kan ik het rapport delen?"],
            ),
        ],
        tickets: [
            t(
                "Al mijn betalingen van deze maand zijn mislukt",
                "payment",
                "betaling",
                "betalingen",
            ),
            t(
                "De rapporten zijn sinds gisteren leeg",
                "report",
                "rapport",
                "rapporten",
            ),
        ],
        stop: &["de", "het", "een", "zijn", "mijn"],
        not_stop: "rapport",
    },
    LanguageCase {
        language: Language::English,
        thanks: "Thanks a lot for the assistance",
        capability: "App",
        features: [
            f(
                "crash",
                "Crash",
                &["crash"],
                &["the app crash on startup", "crash when opening a project"],
            ),
            f(
                "invoice",
                "Invoice",
                &["invoice"],
                &["where is my invoice?", "wrong amount on the invoice"],
            ),
        ],
        tickets: [
            t(
                "The app crashes every time I open it",
                "crash",
                "crash",
                "crashes",
            ),
            t(
                "We were invoiced twice this month",
                "invoice",
                "invoice",
                "invoiced",
            ),
        ],
        stop: &["the", "we", "were", "i", "it"],
        not_stop: "invoice",
    },
    LanguageCase {
        language: Language::Finnish,
        thanks: "Kiitos paljon avusta",
        capability: "Tili",
        features: [
            f(
                "invoice",
                "Lasku",
                &["lasku"],
                &["Mistä löydän lasku kopion?", "Lasku on väärä"],
            ),
            f(
                "payment",
                "Maksu",
                &["maksu"],
                &["Maksu epäonnistui", "Milloin maksu veloitetaan?"],
            ),
        ],
        tickets: [
            t(
                "Laskussa on väärä summa ja se on liian suuri",
                "invoice",
                "lasku",
                "laskussa",
            ),
            t(
                "Maksua ei voitu suorittaa kortilla",
                "payment",
                "maksu",
                "maksua",
            ),
        ],
        stop: &["on", "ja", "se", "en", "minä"],
        not_stop: "lasku",
    },
    LanguageCase {
        language: Language::French,
        thanks: "Merci beaucoup pour votre aide",
        capability: "Compte",
        features: [
            f(
                "invoice",
                "Facture",
                &["facture"],
                &[
                    "Où trouver ma facture ?",
                    "Le montant de la facture est faux",
                ],
            ),
            f(
                "refund",
                "Remboursement",
                &["rembourser"],
                &["Pouvez-vous me rembourser ?", "Je veux rembourser un achat"],
            ),
        ],
        tickets: [
            t(
                "Les factures sont fausses depuis janvier",
                "invoice",
                "facture",
                "factures",
            ),
            t(
                "Je voudrais être remboursé pour le mois de mars",
                "refund",
                "rembourser",
                "remboursé",
            ),
        ],
        stop: &["je", "des", "de", "le", "pour"],
        not_stop: "facture",
    },
    LanguageCase {
        language: Language::German,
        thanks: "Vielen Dank für die Hilfe",
        capability: "Konto",
        features: [
            f(
                "invoice",
                "Rechnung",
                &["Rechnung"],
                &[
                    "Wo finde ich meine Rechnung?",
                    "Der Betrag auf der Rechnung stimmt nicht",
                ],
            ),
            f(
                "crash",
                "Absturz",
                &["Absturz"],
                &["Absturz beim Start", "Absturz beim Öffnen eines Projekts"],
            ),
        ],
        tickets: [
            t(
                "Die Rechnungen sind seit Januar falsch",
                "invoice",
                "rechnung",
                "rechnungen",
            ),
            t(
                "Die App hat ständig Abstürze, ich kann nicht arbeiten",
                "crash",
                "absturz",
                "abstürze",
            ),
        ],
        stop: &["die", "sind", "ich", "und", "nicht"],
        not_stop: "rechnung",
    },
    LanguageCase {
        language: Language::Greek,
        thanks: "Ευχαριστώ πολύ για τη βοήθεια",
        capability: "Λογαριασμός",
        features: [
            f(
                "payment",
                "Πληρωμή",
                &["πληρωμή"],
                &["Η πληρωμή απέτυχε", "Πότε χρεώνεται η πληρωμή;"],
            ),
            f(
                "code",
                "Κωδικός",
                &["κωδικός"],
                &["Ο κωδικός δεν δουλεύει", "Πώς αλλάζει ο κωδικός;"],
            ),
        ],
        tickets: [
            t(
                "Οι πληρωμές μου απορρίπτονται από την τράπεζα",
                "payment",
                "πληρωμή",
                "πληρωμές",
            ),
            t(
                "Οι κωδικοί επαλήθευσης δεν έρχονται και είναι επείγον",
                "code",
                "κωδικός",
                "κωδικοί",
            ),
        ],
        stop: &["και", "το", "είναι", "μου", "από", "δεν"],
        not_stop: "πληρωμή",
    },
    LanguageCase {
        language: Language::Hungarian,
        thanks: "Köszönöm szépen a segítséget",
        capability: "Fiók",
        features: [
            f(
                "invoice",
                "Számla",
                &["számla"],
                &[
                    "Hol találom a számla másolatát?",
                    "Rossz összeg szerepel a számla alján",
                ],
            ),
            f(
                "password",
                "Jelszó",
                &["jelszó"],
                &["Nem működik a jelszó", "Hogyan változtatható a jelszó?"],
            ),
        ],
        tickets: [
            t(
                "Nem kaptam meg a februári számlát",
                "invoice",
                "számla",
                "számlát",
            ),
            t(
                "Elfelejtettem a jelszót, és nem jön levél",
                "password",
                "jelszó",
                "jelszót",
            ),
        ],
        stop: &["a", "az", "és", "nem", "egy"],
        not_stop: "számla",
    },
    LanguageCase {
        language: Language::Italian,
        thanks: "Grazie mille per l'aiuto",
        capability: "Account",
        features: [
            f(
                "invoice",
                "Fattura",
                &["fattura"],
                &["Dove trovo la fattura?", "Importo sbagliato nella fattura"],
            ),
            f(
                "payment",
                "Pagamento",
                &["pagamento"],
                &[
                    "Il pagamento è stato rifiutato",
                    "Posso cambiare il metodo di pagamento?",
                ],
            ),
        ],
        tickets: [
            t(
                "Le fatture sono sbagliate da gennaio",
                "invoice",
                "fattura",
                "fatture",
            ),
            t(
                "I pagamenti non funzionano con la mia carta",
                "payment",
                "pagamento",
                "pagamenti",
            ),
        ],
        stop: &["le", "sono", "non", "il", "di"],
        not_stop: "fattura",
    },
    LanguageCase {
        language: Language::Norwegian,
        thanks: "Tusen takk for hjelpen",
        capability: "Konto",
        features: [
            f(
                "payment",
                "Betaling",
                &["betaling"],
                &["Når trekkes betaling fra kortet?", "Feil beløp på betaling"],
            ),
            f(
                "password",
                "Passord",
                &["passord"],
                &["Hvordan endrer jeg passord?", "Passord virker ikke"],
            ),
        ],
        tickets: [
            t(
                "Betalingen min gikk ikke gjennom i går",
                "payment",
                "betaling",
                "betalingen",
            ),
            t(
                "Jeg har glemt passordet og får ingen e-post",
                "password",
                "passord",
                "passordet",
            ),
        ],
        stop: &["jeg", "har", "ikke", "min", "og"],
        not_stop: "passord",
    },
    LanguageCase {
        language: Language::Portuguese,
        thanks: "Muito obrigado pela ajuda",
        capability: "Conta",
        features: [
            f(
                "invoice",
                "Fatura",
                &["fatura"],
                &["Onde encontro a fatura?", "Valor errado na fatura"],
            ),
            f(
                "payment",
                "Pagamento",
                &["pagamento"],
                &[
                    "O pagamento foi recusado",
                    "Posso mudar a forma de pagamento?",
                ],
            ),
        ],
        tickets: [
            t(
                "As faturas estão erradas desde janeiro",
                "invoice",
                "fatura",
                "faturas",
            ),
            t(
                "Os pagamentos não foram processados",
                "payment",
                "pagamento",
                "pagamentos",
            ),
        ],
        stop: &["as", "os", "não", "de", "foram"],
        not_stop: "fatura",
    },
    LanguageCase {
        language: Language::Romanian,
        thanks: "Mulțumesc mult pentru ajutor",
        capability: "Cont",
        features: [
            f(
                "invoice",
                "Facturi",
                &["factura"],
                &[
                    "Unde găsesc factura lunară?",
                    "Suma de pe factura mea este greșită",
                ],
            ),
            f(
                "password",
                "Parolă",
                &["parolă"],
                &[
                    "Am nevoie de o parolă nouă",
                    "Ce parolă trebuie să folosesc?",
                ],
            ),
        ],
        tickets: [
            t(
                "Facturile sunt greșite din ianuarie",
                "invoice",
                "factura",
                "facturile",
            ),
            t(
                "Am uitat parola și nu primesc email",
                "password",
                "parolă",
                "parola",
            ),
        ],
        stop: &["am", "sunt", "și", "nu", "din"],
        not_stop: "factura",
    },
    LanguageCase {
        language: Language::Russian,
        thanks: "Большое спасибо за помощь",
        capability: "Аккаунт",
        features: [
            f(
                "payment",
                "Оплата",
                &["оплата"],
                &["Не прошла оплата картой", "Когда спишется оплата?"],
            ),
            f(
                "password",
                "Пароль",
                &["пароль"],
                &["Как сменить пароль?", "Пароль не подходит"],
            ),
        ],
        tickets: [
            t(
                "Оплату не удалось провести уже второй раз",
                "payment",
                "оплата",
                "оплату",
            ),
            t(
                "Не приходит письмо для сброса пароля",
                "password",
                "пароль",
                "пароля",
            ),
        ],
        stop: &["не", "я", "для", "и", "уже"],
        not_stop: "пароль",
    },
    LanguageCase {
        language: Language::Spanish,
        thanks: "Muchas gracias por la ayuda",
        capability: "Cuenta",
        features: [
            f(
                "invoice",
                "Factura",
                &["factura"],
                &[
                    "¿Dónde encuentro la factura?",
                    "Importe incorrecto en la factura",
                ],
            ),
            f(
                "refund",
                "Reembolso",
                &["reembolso"],
                &["Quiero un reembolso", "¿Cuánto tarda un reembolso?"],
            ),
        ],
        tickets: [
            t(
                "Las facturas están mal desde enero",
                "invoice",
                "factura",
                "facturas",
            ),
            t(
                "Quiero que me reembolsen el dinero del mes pasado",
                "refund",
                "reembolso",
                "reembolsen",
            ),
        ],
        stop: &["las", "que", "me", "el", "del"],
        not_stop: "factura",
    },
    LanguageCase {
        language: Language::Swedish,
        thanks: "Tack så mycket för hjälpen",
        capability: "Konto",
        features: [
            f(
                "invoice",
                "Faktura",
                &["faktura"],
                &["Var hittar jag min faktura?", "Fel belopp på faktura"],
            ),
            f(
                "password",
                "Lösenord",
                &["lösenord"],
                &["Hur byter jag lösenord?", "Lösenord fungerar inte"],
            ),
        ],
        tickets: [
            t(
                "Fakturorna är fel sedan januari",
                "invoice",
                "faktura",
                "fakturorna",
            ),
            t(
                "Lösenorden för våra nya användare fungerar inte",
                "password",
                "lösenord",
                "lösenorden",
            ),
        ],
        stop: &["är", "jag", "har", "och", "det"],
        not_stop: "faktura",
    },
    LanguageCase {
        language: Language::Tamil,
        thanks: "உதவிக்கு மிக்க நன்றி",
        capability: "பயன்பாடு",
        features: [
            f(
                "payment",
                "கட்டணம்",
                &["கட்டணம்"],
                &["கட்டணம் தோல்வியடைந்தது", "கட்டணம் எப்போது கழிக்கப்படும்?"],
            ),
            f(
                "account",
                "கணக்கு",
                &["கணக்கு"],
                &["கணக்கு பூட்டப்பட்டுள்ளது", "புதிய கணக்கு எப்படி உருவாக்குவது?"],
            ),
        ],
        tickets: [
            t(
                "என் கட்டணத்தை திரும்ப பெற வேண்டும்",
                "payment",
                "கட்டணம்",
                "கட்டணத்தை",
            ),
            t("என் கணக்கில் உள்நுழைய முடியவில்லை", "account", "கணக்கு", "கணக்கில்"),
        ],
        stop: &["ஒரு", "என்று", "மற்றும்", "இந்த", "வேண்டும்"],
        not_stop: "கட்டணம்",
    },
    LanguageCase {
        language: Language::Turkish,
        thanks: "Yardımınız için çok teşekkürler",
        capability: "Hesap",
        features: [
            f(
                "account",
                "Hesap",
                &["hesap"],
                &["Hesap ayarları nerede?", "Hesap silme nasıl yapılır?"],
            ),
            f(
                "password",
                "Şifre",
                &["şifre"],
                &["Şifre değiştirme nasıl yapılır?", "Yeni şifre çalışmıyor"],
            ),
        ],
        tickets: [
            t(
                "Hesabıma bir haftadır giriş yapamıyorum",
                "account",
                "hesap",
                "hesabıma",
            ),
            t(
                "Şifremi unuttum, e-posta da gelmiyor",
                "password",
                "şifre",
                "şifremi",
            ),
        ],
        stop: &["ve", "bir", "bu", "için", "da"],
        not_stop: "hesap",
    },
];

fn product_for(case: &LanguageCase) -> Product {
    let mut capability = Capability::new("main", case.capability);
    for spec in &case.features {
        let mut feature = Feature::new(spec.id, spec.name);
        for keyword in spec.keywords {
            feature = feature.keyword(*keyword);
        }
        for example in spec.examples {
            feature = feature.example(*example);
        }
        capability = capability.feature(feature);
    }
    Product::new("p", "Product")
        .language(case.language)
        .capability(capability)
}

fn fold(word: &str) -> String {
    let mut out = String::new();
    fold_into(word, &mut out);
    out
}

/// Every folded word of the product's texts.
fn product_words(product: &Product) -> Vec<String> {
    let mut texts: Vec<&str> = vec![&product.name];
    for capability in &product.capabilities {
        texts.push(&capability.name);
        for feature in &capability.features {
            texts.push(&feature.name);
            texts.extend(feature.keywords.iter().map(String::as_str));
            texts.extend(feature.examples.iter().map(String::as_str));
        }
    }
    texts
        .iter()
        .flat_map(|text| words(text).map(|span| fold(&text[span.start..span.end])))
        .collect()
}

fn best(tagged: &TaggedTicket) -> Option<&str> {
    tagged.best().and_then(|m| m.feature.as_deref())
}

#[test]
fn every_language_has_a_case() {
    for language in Language::ALL {
        // The languages without a stemmer read as Language::None does
        // (see `named_languages_without_a_stemmer_read_as_none`).
        let covered = !language.has_stemmer() || CASES.iter().any(|case| case.language == language);
        assert!(covered, "no test case for {language}");
    }
    // Language::None is covered by the script cases below.
    assert!(SCRIPTS.iter().any(|s| s.language == Language::None));
}

/// A Korean shop (nine features, two or three examples each): a noun
/// carries its particle or ending in the tickets ("환불이", "로그인하려고"),
/// which the syllable pairs read. 21 of 22 (13 when Hangul words were read
/// whole); "고객센터 운영시간이 어떻게 되나요" (opening hours) still meets
/// 회원 탈퇴 through "어떻게 하나요" in its example.
#[test]
fn korean_tickets_meet_their_features() {
    let product: Product = serde_json::from_str(include_str!("data/korean/taxonomy.json")).unwrap();
    assert_eq!(product.language, Language::Korean);
    let tagger = Tagger::new(&product).unwrap();
    let mut right = 0;
    let mut wrong = Vec::new();
    for line in include_str!("data/korean/tickets.jsonl").lines() {
        let ticket: Ticket = serde_json::from_str(line).unwrap();
        let want = ticket.id.split('/').next().filter(|f| *f != "none");
        let tagged = tagger.tag(&ticket);
        if best(&tagged) == want {
            right += 1;
        } else {
            wrong.push((ticket.id.clone(), best(&tagged).map(str::to_string)));
        }
    }
    assert!(right >= 20, "{right} of 22: {wrong:?}");
}

/// A locale tag, as datasets and helpdesks write a language, names its
/// language by its first part; an unknown one is still an error naming the
/// path.
#[test]
fn locale_tags_name_their_language() {
    for (tag, want) in [
        ("de-DE", Language::German),
        ("pt_BR", Language::Portuguese),
        ("zh-CN", Language::Chinese),
        ("EN-us", Language::English),
        ("th-TH", Language::Thai),
        ("es-419", Language::Spanish),
    ] {
        let json = format!(r#"{{"id": "p", "name": "P", "language": "{tag}"}}"#);
        let product: Product = serde_json::from_str(&json).unwrap();
        assert_eq!(product.language, want, "{tag}");
        assert_eq!(
            serde_json::to_value(&product).unwrap()["language"],
            want.name()
        );
    }
    for bad in ["xx-DE", "de-", "-DE", "de DE", "german-Germany!"] {
        let json = format!(r#"{{"id": "p", "name": "P", "language": "{bad}"}}"#);
        let err = serde_json::from_str::<Product>(&json)
            .unwrap_err()
            .to_string();
        assert!(err.contains("language"), "{bad}: {err}");
    }
}

/// A product may name its language even where there is no stemmer
/// ("chinese", "ko"): it keeps the name in its JSON and reads exactly as
/// `Language::None` does.
#[test]
fn named_languages_without_a_stemmer_read_as_none() {
    let named: Vec<Language> = Language::ALL
        .into_iter()
        .filter(|l| *l != Language::None && !l.has_stemmer())
        .collect();
    assert!(named.len() >= 16, "{named:?}");
    for name in [
        "chinese", "zh", "Japanese", "ko", "thai", "vi", "pl", "hebrew",
    ] {
        let language: Language = name.parse().unwrap();
        assert!(named.contains(&language), "{name}");
    }
    let tag_all = |language: Language| -> Vec<String> {
        SCRIPTS
            .iter()
            .flat_map(|case| {
                let tagger = Tagger::new(&script_product(case).language(language)).unwrap();
                let texts = case.exact.iter().map(|(t, _)| *t);
                let texts = texts.chain(case.typo.iter().map(|(t, _, _)| *t));
                texts
                    .chain(case.unrelated.iter().copied())
                    .map(|t| serde_json::to_string(&tagger.tag(&Ticket::new("t", t))).unwrap())
                    .collect::<Vec<_>>()
            })
            .collect()
    };
    let none = tag_all(Language::None);
    for language in named {
        assert_eq!(tag_all(language), none, "{language}");
        let json = format!(r#"{{"id": "p", "name": "P", "language": "{language}"}}"#);
        let product: Product = serde_json::from_str(&json).unwrap();
        assert_eq!(product.language, language);
        let back = serde_json::to_value(&product).unwrap();
        assert_eq!(back["language"], language.name());
    }
}

#[test]
fn cases_are_sound() {
    // Guards against a case that would pass for the wrong reason: the
    // inflected form must really differ from the keyword, be absent from the
    // product, and occur in the ticket.
    for case in CASES {
        let product = product_for(case);
        let known = product_words(&product);
        for ticket in &case.tickets {
            let inflected = fold(ticket.inflected);
            assert_ne!(fold(ticket.keyword), inflected, "{}", case.language);
            assert!(
                !known.contains(&inflected),
                "{}: {:?} is used by the product itself",
                case.language,
                ticket.inflected
            );
            let ticket_words: Vec<String> = words(ticket.text)
                .map(|span| fold(&ticket.text[span.start..span.end]))
                .collect();
            assert!(
                ticket_words.contains(&inflected),
                "{}: {:?} is not a word of {:?}",
                case.language,
                ticket.inflected,
                ticket.text
            );
        }
    }
}

#[test]
fn stemmer_joins_inflected_forms() {
    let mut failures = Vec::new();
    for case in CASES {
        assert!(case.language.has_stemmer(), "{}", case.language);
        let stemmer = Stemmer::new(case.language);
        for ticket in &case.tickets {
            let keyword = fold(ticket.keyword);
            let inflected = fold(ticket.inflected);
            let (a, b) = (stemmer.stem(&keyword), stemmer.stem(&inflected));
            if a != b {
                failures.push(format!(
                    "{}: {keyword:?} -> {a:?} but {inflected:?} -> {b:?}",
                    case.language
                ));
            }
        }
    }
    assert!(failures.is_empty(), "{failures:#?}");
}

#[test]
fn stop_words_are_flagged() {
    let mut failures = Vec::new();
    for case in CASES {
        let list = StopWords::for_language(case.language);
        assert!(
            list.len() >= 20,
            "{}: only {} stop words",
            case.language,
            list.len()
        );
        for word in case.stop {
            if !list.contains(word) {
                failures.push(format!("{}: {word:?} is not a stop word", case.language));
            }
        }
        if list.contains(case.not_stop) {
            failures.push(format!(
                "{}: {:?} is a stop word",
                case.language, case.not_stop
            ));
        }
        // The analyzer flags them in running text too, whatever their case.
        let analyzer = Analyzer::new(case.language);
        let text = case.stop.join(" ").to_uppercase();
        let analysis = analyzer.analyze(&text);
        assert_eq!(
            analysis.len(),
            case.stop.len(),
            "{}: {text:?}",
            case.language
        );
        for token in analysis.iter() {
            if !token.stop {
                failures.push(format!("{}: {:?} not flagged", case.language, token.folded));
            }
        }
    }
    assert!(failures.is_empty(), "{failures:#?}");
}

#[test]
fn inflected_form_tags_the_right_feature() {
    let mut failures = Vec::new();
    for case in CASES {
        let tagger = Tagger::new(&product_for(case)).expect("valid product");
        for (i, ticket) in case.tickets.iter().enumerate() {
            let tagged = tagger.tag(&Ticket::new(format!("{}-{i}", case.language), ticket.text));
            if best(&tagged) != Some(ticket.want) {
                failures.push(format!(
                    "{}: {:?} -> {:?}, want {:?}",
                    case.language,
                    ticket.text,
                    best(&tagged),
                    ticket.want
                ));
            }
        }
    }
    assert!(failures.is_empty(), "{failures:#?}");
}

#[test]
fn thanks_is_unmatched() {
    let mut failures = Vec::new();
    for case in CASES {
        let tagger = Tagger::new(&product_for(case)).expect("valid product");
        let tagged = tagger.tag(&Ticket::new("thanks", case.thanks));
        if !tagged.is_unmatched() {
            failures.push(format!(
                "{}: {:?} -> {:?}",
                case.language,
                case.thanks,
                tagged.best()
            ));
        }
    }
    assert!(failures.is_empty(), "{failures:#?}");
}

#[test]
fn inflected_form_is_evidence_by_stem() {
    // The evidence of the match must show the inflected word met the
    // keyword through its stem.
    let mut failures = Vec::new();
    for case in CASES {
        let tagger = Tagger::new(&product_for(case)).expect("valid product");
        for (i, ticket) in case.tickets.iter().enumerate() {
            let tagged = tagger.tag(&Ticket::new(format!("{}-{i}", case.language), ticket.text));
            let Some(best) = tagged.best() else {
                failures.push(format!("{}: {:?} unmatched", case.language, ticket.text));
                continue;
            };
            let inflected = fold(ticket.inflected);
            let stem_evidence = best.evidence.iter().any(|e| {
                e.how == How::Stem
                    && fold(&ticket.text[e.span.start..e.span.end])
                        .split(' ')
                        .any(|w| w == inflected)
            });
            if !stem_evidence {
                failures.push(format!(
                    "{}: no stem evidence for {:?} in {:?}",
                    case.language, ticket.inflected, best.evidence
                ));
            }
        }
    }
    assert!(failures.is_empty(), "{failures:#?}");
}

/// A base form and an inflected form that the Snowball stemmer does NOT
/// reduce to one stem (suffix stripping takes the base form's last vowel for
/// a case ending, or does not know the suffix). Matching must then come from
/// elsewhere: character n-grams, typo tolerance.
struct StemMiss {
    language: Language,
    features: [FeatureSpec; 2],
    ticket: TicketSpec,
}

const STEM_MISSES: &[StemMiss] = &[
    StemMiss {
        language: Language::Arabic,
        features: [
            f(
                "subscription",
                "اشتراك",
                &["اشتراك"],
                &["كيف ألغي اشتراك الفريق؟"],
            ),
            f(
                "invoice",
                "فاتورة",
                &["فاتورة"],
                &["أين أجد فاتورة شهر مارس؟"],
            ),
        ],
        ticket: t(
            "أريد إلغاء اشتراكي من فضلكم",
            "subscription",
            "اشتراك",
            "اشتراكي",
        ),
    },
    StemMiss {
        language: Language::Finnish,
        features: [
            f("password", "Salasana", &["salasana"], &["Unohdin salasana"]),
            f("invoice", "Lasku", &["lasku"], &["Lasku on väärä"]),
        ],
        ticket: t(
            "En voi vaihtaa salasanaa",
            "password",
            "salasana",
            "salasanaa",
        ),
    },
    StemMiss {
        language: Language::Greek,
        features: [
            f(
                "invoice",
                "Τιμολόγιο",
                &["τιμολόγιο"],
                &["Πού βρίσκω το τιμολόγιο;"],
            ),
            f("payment", "Πληρωμή", &["πληρωμή"], &["Η πληρωμή απέτυχε"]),
        ],
        ticket: t(
            "Τα τιμολόγια είναι λάθος από τον Ιανουάριο",
            "invoice",
            "τιμολόγιο",
            "τιμολόγια",
        ),
    },
    StemMiss {
        language: Language::Hungarian,
        features: [
            f(
                "invoice",
                "Számla",
                &["számla"],
                &["Rossz összeg szerepel a számla alján"],
            ),
            f("password", "Jelszó", &["jelszó"], &["Nem működik a jelszó"]),
        ],
        ticket: t(
            "A számlák januártól rosszak",
            "invoice",
            "számla",
            "számlák",
        ),
    },
    StemMiss {
        language: Language::Romanian,
        features: [
            f(
                "invoice",
                "Factură",
                &["factură"],
                &["Am primit o factură greșită"],
            ),
            f(
                "password",
                "Parolă",
                &["parolă"],
                &["Am nevoie de o parolă nouă"],
            ),
        ],
        ticket: t(
            "Facturile sunt greșite din ianuarie",
            "invoice",
            "factură",
            "facturile",
        ),
    },
    StemMiss {
        language: Language::Swedish,
        features: [
            f(
                "invoice",
                "Faktura",
                &["faktura"],
                &["Var hittar jag min faktura?"],
            ),
            f(
                "password",
                "Lösenord",
                &["lösenord"],
                &["Hur byter jag lösenord?"],
            ),
        ],
        ticket: t(
            "Fakturan är fel sedan januari",
            "invoice",
            "faktura",
            "fakturan",
        ),
    },
    StemMiss {
        language: Language::Swedish,
        features: [
            f(
                "invoice",
                "Faktura",
                &["faktura"],
                &["Var hittar jag min faktura?"],
            ),
            f(
                "password",
                "Lösenord",
                &["lösenord"],
                &["Hur byter jag lösenord?"],
            ),
        ],
        ticket: t(
            "Jag har glömt lösenordet och får inget mejl",
            "password",
            "lösenord",
            "lösenordet",
        ),
    },
    StemMiss {
        language: Language::Tamil,
        features: [
            f(
                "password",
                "கடவுச்சொல்",
                &["கடவுச்சொல்"],
                &["கடவுச்சொல் வேலை செய்யவில்லை"],
            ),
            f("payment", "கட்டணம்", &["கட்டணம்"], &["கட்டணம் தோல்வியடைந்தது"]),
        ],
        ticket: t(
            "கடவுச்சொல்லை மறந்துவிட்டேன்",
            "password",
            "கடவுச்சொல்",
            "கடவுச்சொல்லை",
        ),
    },
    StemMiss {
        language: Language::Turkish,
        features: [
            f(
                "invoice",
                "Fatura",
                &["fatura"],
                &["Fatura nereden indirilir?"],
            ),
            f("password", "Şifre", &["şifre"], &["Yeni şifre çalışmıyor"]),
        ],
        ticket: t(
            "Faturalar ocak ayından beri yanlış geliyor",
            "invoice",
            "fatura",
            "faturalar",
        ),
    },
];

fn miss_product(case: &StemMiss) -> Product {
    product_for(&LanguageCase {
        language: case.language,
        capability: "Account",
        features: [
            f(
                case.features[0].id,
                case.features[0].name,
                case.features[0].keywords,
                case.features[0].examples,
            ),
            f(
                case.features[1].id,
                case.features[1].name,
                case.features[1].keywords,
                case.features[1].examples,
            ),
        ],
        tickets: [t("", "", "", ""), t("", "", "", "")],
        stop: &[],
        not_stop: "",
        thanks: "",
    })
}

#[test]
fn stem_misses_are_real() {
    // Keeps the table honest: if a stemmer update joins a pair, move it to
    // CASES.
    for case in STEM_MISSES {
        let stemmer = Stemmer::new(case.language);
        let (keyword, inflected) = (fold(case.ticket.keyword), fold(case.ticket.inflected));
        assert_ne!(
            stemmer.stem(&keyword),
            stemmer.stem(&inflected),
            "{}: {keyword:?} and {inflected:?} now share a stem",
            case.language
        );
        assert!(!product_words(&miss_product(case)).contains(&inflected));
    }
}

#[test]
fn stem_misses_still_tag_the_right_feature() {
    let mut failures = Vec::new();
    for case in STEM_MISSES {
        let tagger = Tagger::new(&miss_product(case)).expect("valid product");
        let tagged = tagger.tag(&Ticket::new(case.language.to_string(), case.ticket.text));
        if best(&tagged) != Some(case.ticket.want) {
            failures.push(format!(
                "{}: {:?} -> {:?} (scores {:?}), want {:?}",
                case.language,
                case.ticket.text,
                best(&tagged),
                tagged
                    .matches
                    .iter()
                    .map(|m| (m.node(), m.score))
                    .collect::<Vec<_>>(),
                case.ticket.want
            ));
        }
    }
    assert!(failures.is_empty(), "{failures:#?}");
}

/// Tags `text` against a product in `language` whose feature "hit" has
/// the one keyword `keyword` (beside a feature no ticket names), and
/// checks that "hit" is the best match.
fn tag_with_keyword(language: Language, keyword: &str, text: &str) -> TaggedTicket {
    let tagged = tag_against_keyword(language, keyword, text);
    let best = tagged.best().map(|m| m.node());
    assert_eq!(best, Some("hit"), "{text:?}");
    tagged
}

/// `text` tagged against a product of two features, "hit" with `keyword`
/// and "other" with a keyword no text holds.
fn tag_against_keyword(language: Language, keyword: &str, text: &str) -> TaggedTicket {
    let product = Product::new("p", "P").language(language).capability(
        Capability::new("c", "C")
            .feature(Feature::new("hit", "Hit").keyword(keyword))
            .feature(Feature::new("other", "Other").keyword("zzzz")),
    );
    Tagger::new(&product).unwrap().tag(&Ticket::new("t", text))
}

/// French and Italian glue an elided article to the next word
/// ("l'application", "dell'account"): the word must still match its
/// keyword, with either apostrophe, and the span must cover the word alone.
#[test]
fn elided_articles_do_not_hide_a_keyword() {
    let cases = [
        (
            Language::French,
            "application",
            "L'application plante sans arrêt",
        ),
        (
            Language::French,
            "application",
            "l\u{2019}application plante",
        ),
        (
            Language::French,
            "abonnement",
            "Je veux résilier l'abonnement",
        ),
        (
            Language::Italian,
            "account",
            "Non riesco ad accedere all'account",
        ),
        (Language::Italian, "ordine", "dov'è finito l'ordine?"),
    ];
    for (language, keyword, text) in cases {
        let tagged = tag_with_keyword(language, keyword, text);
        let best = tagged.best().unwrap();
        let span = best.evidence[0].span;
        assert_eq!(fold(&text[span.range()]), keyword, "{text:?}");
    }
    // The elided article is a word of its own, and a stop word.
    let analysis = Analyzer::new(Language::French).analyze("l'été");
    let folded: Vec<&str> = analysis.iter().map(|t| t.folded).collect();
    assert_eq!(folded, ["l", "été"]);
    assert!(analysis.get(0).stop);
}

/// Customers who type without accents (or with them, when the product does
/// not) still meet the word: after the exact form and the stem, before
/// typos, and only for words the product does not spell alike.
#[test]
fn unaccented_words_meet_their_keyword() {
    let accents = [
        (
            Language::French,
            "télécharger",
            "impossible de telecharger le fichier",
        ),
        (Language::French, "reçu", "je n'ai pas recu mon colis"),
        (
            Language::French,
            "échéance",
            "la date d'echeance est passee",
        ),
        (
            Language::Spanish,
            "facturación",
            "problema con la facturacion",
        ),
        (Language::Portuguese, "cartão", "meu cartao foi bloqueado"),
        (Language::Romanian, "plată", "plata nu a mers"),
        (Language::French, "cafe", "le café est froid"),
    ];
    for (language, keyword, text) in accents {
        let tagged = tag_with_keyword(language, keyword, text);
        let best = tagged.best().unwrap();
        assert!(
            best.evidence.iter().all(|e| e.how != How::Exact),
            "{text:?}"
        );
    }
}

/// German typed without umlauts spells them "ae", "oe", "ue"
/// ("Rueckerstattung"): such a word meets the product's word with the
/// umlaut, whose stem the German stemmer keeps without it.
#[test]
fn german_umlauts_spelt_out_meet_their_keyword() {
    let cases = [
        ("Rückerstattung", "Wo bleibt meine Rueckerstattung?"),
        ("Überweisung", "Die Ueberweisung ist nicht angekommen"),
        ("Gebühren", "Warum so hohe Gebuehren?"),
        ("Größe", "Die Groesse der Datei ist falsch"),
        ("lädt", "Die Seite laedt nicht"),
    ];
    for (keyword, text) in cases {
        let tagged = tag_with_keyword(Language::German, keyword, text);
        let best = tagged.best().unwrap();
        assert!(
            best.evidence.iter().all(|e| e.how == How::Fuzzy),
            "{text:?}: {:?}",
            best.evidence
        );
    }
}

/// Spanish, Portuguese and Italian complaints intensify with a suffix
/// ("lentísima": very slow; "caríssimo": very expensive): the superlative
/// meets its plain adjective by stem, with or without the accent, and a
/// word that only ends alike does not.
#[test]
fn absolute_superlatives_meet_their_adjective() {
    let cases = [
        (Language::Spanish, "lento", "la app va lentísima desde ayer"),
        (Language::Spanish, "caro", "el plan anual es carisimo"),
        (
            Language::Spanish,
            "rápido",
            "el envío fue rapidísimo, gracias",
        ),
        (Language::Portuguese, "caro", "o frete está caríssimo"),
        (
            Language::Portuguese,
            "demorado",
            "o reembolso foi demoradissimo",
        ),
        (Language::Italian, "lento", "il caricamento è lentissimo"),
        (Language::Italian, "lungo", "tempi di attesa lunghissimi"),
    ];
    for (language, keyword, text) in cases {
        let tagged = tag_with_keyword(language, keyword, text);
        let best = tagged.best().unwrap();
        assert!(
            best.evidence.iter().any(|e| e.how == How::Stem),
            "{text:?}: {:?}",
            best.evidence
        );
    }
    // "mínimo" (minimum) ends alike but is no superlative of "mino".
    let tagged = tag_against_keyword(Language::Spanish, "mina", "el pago mínimo");
    assert!(tagged.is_unmatched(), "{:?}", tagged.matches);
}

/// German, Dutch and the Scandinavian languages write compounds as one
/// word: a ticket's compound meets the product words it is made of
/// (either part, a linking "s" or "n" between them), and the evidence
/// says so, spanning the whole word.
#[test]
fn compound_words_meet_their_parts() {
    let cases = [
        (
            Language::German,
            "Zahlung",
            "Die Kreditkartenzahlung wurde abgelehnt",
        ),
        (
            Language::German,
            "Kreditkarte",
            "Die Kreditkartenzahlung wurde abgelehnt",
        ),
        (
            Language::German,
            "Passwort",
            "Die Passwortänderung geht nicht",
        ),
        (
            Language::German,
            "Rechnung",
            "Ich brauche eine Rechnungskopie",
        ),
        (
            Language::German,
            "Lieferung",
            "Wo bleibt die Paketlieferung?",
        ),
        (
            Language::Dutch,
            "wachtwoord",
            "Het wachtwoordherstel werkt niet",
        ),
        (Language::Dutch, "factuur", "Waar vind ik het factuuradres?"),
        (
            Language::Swedish,
            "lösenord",
            "Lösenordsbytet fungerar inte",
        ),
        (Language::Danish, "faktura", "Fakturabeløbet er forkert"),
        (
            Language::Norwegian,
            "passord",
            "Passordendringen virker ikke",
        ),
    ];
    for (language, keyword, text) in cases {
        let tagged = tag_with_keyword(language, keyword, text);
        let evidence = &tagged.best().unwrap().evidence;
        assert_eq!(evidence.len(), 1, "{text:?}: {evidence:?}");
        assert_eq!(evidence[0].how, How::Compound, "{text:?}");
        let word = &text[evidence[0].span.range()];
        assert!(word.len() > keyword.len(), "{text:?}: {word:?}");
    }
}

/// A compound's evidence spans exactly the compound, on char boundaries,
/// whatever surrounds it and wherever the split falls between multi-byte
/// letters ("Passwort|änderung", "lösenords|återställning").
#[test]
fn compound_evidence_spans_the_whole_word() {
    let cases = [
        (Language::German, "Änderung", "Passwortänderung"),
        (Language::German, "Überweisung", "Überweisungsänderung"),
        (Language::German, "Zahlung", "Kreditkartenzahlung"),
        (Language::Swedish, "lösenord", "Lösenordsåterställning"),
        (Language::Swedish, "återställning", "Lösenordsåterställning"),
        (Language::Dutch, "wachtwoord", "Wachtwoordherstel"),
    ];
    let frames = [
        "{}",
        "Die {} geht nicht.",
        "«{}»",
        "—{}—",
        "Ärger: {}?!",
        "ü {} ö",
    ];
    for (language, keyword, compound) in cases {
        for frame in frames {
            let text = frame.replace("{}", compound);
            let tagged = tag_with_keyword(language, keyword, &text);
            let at = text.find(compound).unwrap();
            for e in &tagged.best().unwrap().evidence {
                assert_eq!(e.how, How::Compound, "{text:?}");
                assert!(text.is_char_boundary(e.span.start) && text.is_char_boundary(e.span.end));
                assert_eq!(e.span.range(), at..at + compound.len(), "{text:?}");
            }
        }
    }
}

/// A synonym phrase is found over whole words only: one that would begin
/// on the last part of a compound ("Kreditkarten|zahlung stoppen" against
/// "Zahlung stoppen") is not taken, so the words after the compound still
/// count (they were swallowed, the phrase overlapping the compound).
#[test]
fn a_synonym_phrase_does_not_take_half_a_compound() {
    let product = Product::new("p", "P")
        .language(Language::German)
        .synonyms(["Zahlung stoppen", "Stornierung"])
        .capability(
            Capability::new("c", "C")
                .feature(Feature::new("card", "Kreditkarte").keyword("Kreditkarte"))
                .feature(Feature::new("pay", "Zahlung").keyword("Zahlung"))
                .feature(Feature::new("storno", "Storno").keyword("Stornierung"))
                .feature(Feature::new("halt", "Halt").keyword("stoppen")),
        );
    let tagger = Tagger::new(&product).unwrap();
    let text = "Die Kreditkartenzahlung stoppen";
    let everything = TagOptions::default().min_score(0.0).top(10);
    let tagged = tagger.tag_with(&Ticket::new("t", text), &everything);
    let words: Vec<&str> = tagged
        .matches
        .iter()
        .flat_map(|m| &m.evidence)
        .map(|e| &text[e.span.range()])
        .collect();
    assert!(words.contains(&"stoppen"), "{:?}", tagged.matches);
    // The phrase over whole words is still found.
    let tagged = tagger.tag(&Ticket::new("t", "Die Zahlung stoppen"));
    assert_eq!(tagged.best().map(|m| m.node()), Some("storno"));
}

/// What only looks like a compound of a product word is not one: a short
/// head needs a known modifier ("Soft|ware"), a modifier alone five chars
/// ("Kart|offeln"), and a stop word meets a content word only as written
/// (German "waren", were, is not "Ware", goods). English is not split.
#[test]
fn lookalike_compounds_do_not_match() {
    let cases = [
        (Language::German, "Ware", "Die Software stürzt ständig ab"),
        (Language::German, "Karte", "Die Kartoffeln sind kalt"),
        (Language::German, "Ware", "Die Lieferungen waren pünktlich"),
        (
            Language::English,
            "book",
            "Where can I change the notebook settings?",
        ),
    ];
    for (language, keyword, text) in cases {
        let tagged = tag_against_keyword(language, keyword, text);
        assert!(tagged.is_unmatched(), "{text:?}: {:?}", tagged.matches);
    }
}

/// A typo is a slip of the finger: a short word with one letter replaced
/// meets a product word only when the two letters are neighbouring keys;
/// real words one letter apart ("enable" / "unable") do not meet. Swapped,
/// dropped or doubled letters, and long words, are forgiven as before.
#[test]
fn short_words_one_letter_apart_meet_only_by_a_neighbouring_key() {
    for (keyword, text) in [
        ("refund", "I want a refunf"),
        ("balance", "My balamce is wrong"),
        ("receipt", "Where is my reciept?"),
        ("transfer", "The trasnfer failed"),
        ("account", "Close my acount"),
        ("statement", "My statemrnt is missing"),
    ] {
        let tagged = tag_with_keyword(Language::English, keyword, text);
        let evidence = &tagged.best().unwrap().evidence;
        assert_eq!(evidence[0].how, How::Fuzzy, "{text:?}: {evidence:?}");
    }
    for (keyword, text) in [
        ("unable", "How do I enable it?"),
        ("spare", "There is not enough space"),
        ("watch", "The colours do not match"),
        ("track", "Is this some kind of trick?"),
    ] {
        let tagged = tag_against_keyword(Language::English, keyword, text);
        assert!(tagged.is_unmatched(), "{text:?}: {:?}", tagged.matches);
    }
}

/// A script without a Snowball stemmer (or, for Arabic, tested without
/// relying on it): two features with one keyword each, tickets that use the
/// keyword exactly, with one typo, and a ticket about something else.
struct ScriptCase {
    script: &'static str,
    language: Language,
    features: [(&'static str, &'static str); 2],
    /// (ticket, wanted feature): the keyword as written.
    exact: &'static [(&'static str, &'static str)],
    /// (ticket, wanted feature, misspelt word): a keyword with one typo.
    typo: &'static [(&'static str, &'static str, &'static str)],
    /// Tickets that must stay unmatched.
    unrelated: &'static [&'static str],
}

const SCRIPTS: &[ScriptCase] = &[
    ScriptCase {
        script: "Gurmukhi",
        language: Language::None,
        features: [("payment", "ਭੁਗਤਾਨ"), ("password", "ਪਾਸਵਰਡ")],
        exact: &[
            ("ਮੇਰਾ ਭੁਗਤਾਨ ਨਹੀਂ ਹੋਇਆ", "payment"),
            ("ਮੈਂ ਆਪਣਾ ਪਾਸਵਰਡ ਭੁੱਲ ਗਿਆ ਹਾਂ", "password"),
        ],
        typo: &[
            ("ਮੇਰਾ ਭੁਗਤਨ ਨਹੀਂ ਹੋਇਆ", "payment", "ਭੁਗਤਨ"),
            ("ਮੈਂ ਆਪਣਾ ਪਾਸਵਡ ਭੁੱਲ ਗਿਆ ਹਾਂ", "password", "ਪਾਸਵਡ"),
        ],
        unrelated: &["ਤੁਹਾਡਾ ਬਹੁਤ ਧੰਨਵਾਦ"],
    },
    ScriptCase {
        script: "Devanagari",
        language: Language::Hindi,
        features: [("payment", "भुगतान"), ("password", "पासवर्ड")],
        exact: &[
            ("मेरा भुगतान विफल हो गया", "payment"),
            ("मैं अपना पासवर्ड भूल गया", "password"),
        ],
        typo: &[
            ("मेरा भुगतन विफल हो गया", "payment", "भुगतन"),
            ("मैं अपना पासवरड भूल गया", "password", "पासवरड"),
        ],
        unrelated: &["आपकी मदद के लिए बहुत धन्यवाद"],
    },
    ScriptCase {
        script: "Chinese",
        language: Language::Chinese,
        features: [("refund", "退款"), ("password", "密码")],
        // Each Han character is a word of its own; the two-character
        // keyword matches as a phrase inside running text. One-character
        // words are too short for typo tolerance.
        exact: &[
            ("我想申请退款，谢谢", "refund"),
            ("忘记密码了怎么办", "password"),
        ],
        typo: &[],
        unrelated: &["今天天气很好"],
    },
    ScriptCase {
        script: "Arabic",
        language: Language::Arabic,
        features: [("invoice", "الفاتورة"), ("subscription", "الاشتراك")],
        exact: &[
            ("لم تصلني الفاتورة بعد", "invoice"),
            ("كيف أقوم بتجديد الاشتراك؟", "subscription"),
        ],
        typo: &[
            // ة written as ه, a very common slip.
            ("لم تصلني الفاتوره بعد", "invoice", "الفاتوره"),
            ("كيف أقوم بتجديد الاشتتراك؟", "subscription", "الاشتتراك"),
        ],
        unrelated: &["شكرا جزيلا"],
    },
    ScriptCase {
        script: "Thai",
        language: Language::Thai,
        features: [("refund", "คืนเงิน"), ("password", "รหัสผ่าน")],
        // Thai is written without spaces between words; these tickets put
        // spaces around the keyword, as Thai writers often do between
        // phrases. Typos and unrelated Thai tickets: see the ignored
        // `thai_*` tests below.
        exact: &[
            ("ขอ คืนเงิน ด้วยครับ", "refund"),
            ("ลืม รหัสผ่าน ทำอย่างไร", "password"),
            // As most Thai is written: no space around the keyword.
            ("ขอคืนเงินด้วยครับ", "refund"),
            ("ลืมรหัสผ่านทำอย่างไร", "password"),
        ],
        typo: &[],
        unrelated: &[],
    },
    ScriptCase {
        script: "Korean",
        language: Language::Korean,
        features: [("refund", "환불"), ("password", "비밀번호")],
        // Korean puts spaces between phrases, not words: the keyword comes
        // with a particle or ending attached ("환불이", "환불받을").
        exact: &[
            ("환불이 아직 안 들어왔어요", "refund"),
            ("환불받을 수 있나요?", "refund"),
            ("비밀번호를 바꾸고 싶어요", "password"),
            ("비밀번호 재설정 메일이 안 와요", "password"),
        ],
        typo: &[],
        unrelated: &["오늘 날씨 좋네요", "직원분이 친절했어요"],
    },
    ScriptCase {
        script: "Hebrew",
        language: Language::Hebrew,
        features: [("invoice", "חשבונית"), ("password", "סיסמה")],
        exact: &[
            ("קיבלתי חשבונית שגויה החודש", "invoice"),
            ("איפוס סיסמה לא עובד", "password"),
        ],
        typo: &[
            ("קיבלתי חשבונת שגויה החודש", "invoice", "חשבונת"),
            // A common misspelling: סיסמא for סיסמה.
            ("איפוס סיסמא לא עובד", "password", "סיסמא"),
        ],
        unrelated: &["תודה רבה על העזרה"],
    },
];

fn script_product(case: &ScriptCase) -> Product {
    let mut capability = Capability::new("main", "Account");
    for (id, keyword) in case.features {
        capability = capability.feature(Feature::new(id, id).keyword(keyword));
    }
    Product::new("p", "Product")
        .language(case.language)
        .capability(capability)
}

fn script_tagger(script: &str) -> Tagger {
    let case = SCRIPTS
        .iter()
        .find(|c| c.script == script)
        .expect("known script");
    Tagger::new(&script_product(case)).expect("valid product")
}

/// Whether some evidence of the best match is of kind `how` and covers
/// exactly `word` in `text`.
fn has_evidence(tagged: &TaggedTicket, text: &str, word: &str, how: &[How]) -> bool {
    tagged.best().is_some_and(|m| {
        m.evidence
            .iter()
            .any(|e| how.contains(&e.how) && &text[e.span.start..e.span.end] == word)
    })
}

#[test]
fn scripts_exact_keyword() {
    let mut failures = Vec::new();
    for case in SCRIPTS {
        let tagger = Tagger::new(&script_product(case)).expect("valid product");
        for (text, want) in case.exact {
            let tagged = tagger.tag(&Ticket::new(case.script, *text));
            let keyword = case.features.iter().find(|(id, _)| id == want).unwrap().1;
            if best(&tagged) != Some(*want)
                || !has_evidence(&tagged, text, keyword, &[How::Exact, How::Phrase])
            {
                failures.push(format!("{}: {text:?} -> {:?}", case.script, tagged.best()));
            }
        }
    }
    assert!(failures.is_empty(), "{failures:#?}");
}

#[test]
fn scripts_one_typo() {
    let mut failures = Vec::new();
    for case in SCRIPTS {
        let tagger = Tagger::new(&script_product(case)).expect("valid product");
        for (text, want, misspelt) in case.typo {
            let tagged = tagger.tag(&Ticket::new(case.script, *text));
            if best(&tagged) != Some(*want) || !has_evidence(&tagged, text, misspelt, &[How::Fuzzy])
            {
                failures.push(format!("{}: {text:?} -> {:?}", case.script, tagged.best()));
            }
        }
    }
    assert!(failures.is_empty(), "{failures:#?}");
}

#[test]
fn scripts_unrelated_ticket_is_unmatched() {
    let mut failures = Vec::new();
    for case in SCRIPTS {
        let tagger = Tagger::new(&script_product(case)).expect("valid product");
        for text in case.unrelated {
            let tagged = tagger.tag(&Ticket::new(case.script, *text));
            if !tagged.is_unmatched() {
                failures.push(format!("{}: {text:?} -> {:?}", case.script, tagged.best()));
            }
        }
    }
    assert!(failures.is_empty(), "{failures:#?}");
}

#[test]
fn single_shared_han_character_is_no_match() {
    let tagger = script_tagger("Chinese");
    // 退出登录 (log out) shares 退 with 退款 (refund); 二维码 (QR code)
    // shares 码 with 密码 (password).
    for text in ["怎么退出登录", "二维码扫不出来"] {
        let tagged = tagger.tag(&Ticket::new("zh", text));
        assert!(tagged.is_unmatched(), "{text:?} -> {:?}", tagged.best());
    }
}

#[test]
fn arabic_article_alone_is_no_match() {
    let tagger = script_tagger("Arabic");
    let text = "شكرا جزيلا على المساعدة";
    let tagged = tagger.tag(&Ticket::new("ar", text));
    assert!(tagged.is_unmatched(), "{text:?} -> {:?}", tagged.best());
}

#[test]
fn thai_unrelated_ticket_is_unmatched() {
    let tagger = script_tagger("Thai");
    let text = "ขอบคุณมากครับ";
    let tagged = tagger.tag(&Ticket::new("th", text));
    assert!(tagged.is_unmatched(), "{text:?} -> {:?}", tagged.best());
}

#[test]
#[ignore = "documented limitation: UAX #29 gives Thai no word boundaries, so a misspelt Thai word meets the keyword only piece by piece, never as a Fuzzy match"]
fn thai_one_typo() {
    let tagger = script_tagger("Thai");
    // รหัสผาน: รหัสผ่าน (password) without its tone mark.
    let text = "ลืม รหัสผาน ทำอย่างไร";
    let tagged = tagger.tag(&Ticket::new("th", text));
    assert_eq!(best(&tagged), Some("password"));
    assert!(
        has_evidence(&tagged, text, "รหัสผาน", &[How::Fuzzy]),
        "{:?}",
        tagged.best()
    );
}

#[test]
fn scripts_without_stemmer_keep_words_whole() {
    // Under Language::None nothing is stemmed and nothing is a stop word.
    let stemmer = Stemmer::new(Language::None);
    let stop = StopWords::for_language(Language::None);
    for case in SCRIPTS.iter().filter(|c| !c.language.has_stemmer()) {
        for (_, keyword) in case.features {
            assert_eq!(stemmer.stem(keyword), keyword, "{}", case.script);
            assert!(!stop.contains(keyword), "{}", case.script);
        }
    }
}

/// Han text has no spaces: each Han character is paired with the next
/// Han or hiragana character (overlapping pairs, as Lucene's CJK bigrams),
/// so a two-character word is a word wherever it stands. A hiragana
/// character starts no pair (particles and endings are not words), and a
/// character in no pair is a word of its own.
#[test]
fn han_characters_pair_with_the_next() {
    let split = |text: &'static str| -> Vec<&'static str> {
        words(text).map(|s| &text[s.start..s.end]).collect()
    };
    assert_eq!(
        split("我想申请退款"),
        ["我想", "想申", "申请", "请退", "退款"]
    );
    assert_eq!(
        split("予約を変更したい"),
        ["予約", "約を", "変更", "更し", "た", "い"]
    );
    // Thai letters (with their marks) pair within their script, as Han
    // characters do; a digit or a Latin word ends the run.
    assert_eq!(split("ลืมรหัส app"), ["ลืม", "มร", "รหั", "หัส", "app"]);
    // A Hangul word of two syllables or more gives its syllable pairs: a
    // noun meets its particle ("환불" in "환불이"); one syllable stays whole.
    assert_eq!(
        split("환불이 안 돼요 PIN2"),
        ["환불", "불이", "안", "돼요", "PIN2"]
    );
    // Katakana words come whole, other words are as UAX #29 gives them.
    assert_eq!(
        split("席をアプリで変えた app 2 個"),
        ["席を", "アプリ", "で", "変え", "た", "app", "2", "個"]
    );
}

/// A names-only Japanese product: the tickets say the names' words in
/// other orders and with other words between them, and a katakana
/// compound holds a product word.
#[test]
fn japanese_names_meet_their_words_anywhere() {
    let product = Product::new("travel", "Travel")
        .language(Language::None)
        .capability(
            Capability::new("booking", "ホテル")
                .feature(Feature::new("change", "予約の変更"))
                .feature(Feature::new("cancel", "予約のキャンセル"))
                .feature(Feature::new("checkin", "チェックイン"))
                .feature(Feature::new("points", "ポイント還元")),
        );
    let tagger = Tagger::new(&product).expect("valid product");
    assert_best(
        &tagger,
        &[
            ("宿泊日を変更したい", Some("change")),
            ("台風で行けなくなったのでキャンセルしたい", Some("cancel")),
            ("オンラインチェックインができない", Some("checkin")),
            ("ポイントの還元率が下がった", Some("points")),
            ("おすすめの温泉を教えてください", None),
            ("今日の東京の天気は？", None),
        ],
    );
}

/// A names-only German product whose names are compounds: a ticket word
/// that is one part of a compound name, its head or its modifier, meets it.
#[test]
fn german_ticket_word_meets_the_compound_name_it_is_part_of() {
    let product = Product::new("shop", "Shop")
        .language(Language::German)
        .capability(
            Capability::new("orders", "Bestellung")
                .feature(Feature::new("refund", "Rückerstattung"))
                .feature(Feature::new("sizes", "Größenberatung"))
                .feature(Feature::new("card", "Kreditkartenzahlung")),
        );
    let tagger = Tagger::new(&product).expect("valid product");
    assert_best(
        &tagger,
        &[
            ("Wo bleibt meine Erstattung?", Some("refund")),
            ("Welche Größe soll ich bei der Jacke nehmen?", Some("sizes")),
            ("Meine Kreditkarte wird abgelehnt", Some("card")),
            ("Wie ist das Wetter in Berlin?", None),
            ("Ich suche einen Ausbildungsplatz", None),
        ],
    );
}

/// Each text is tagged with its feature, or (`None`) left unmatched.
fn assert_best(tagger: &Tagger, cases: &[(&str, Option<&str>)]) {
    for &(text, want) in cases {
        let tagged = tagger.tag(&Ticket::new("t", text));
        assert_eq!(best(&tagged), want, "{text:?} -> {:?}", tagged.best());
    }
}

/// A pair of Thai, Lao, Khmer or Myanmar letters is a piece cut out of a
/// run, not a word: typo tolerance does not apply to it, though with their
/// marks two letters reach the length typos start at ("ที่นี่", here, is
/// six chars). One tone mark apart is another word.
#[test]
fn letter_pairs_of_spaceless_scripts_take_no_typo() {
    let product = Product::new("p", "P").language(Language::Thai).capability(
        Capability::new("c", "ร้านค้า").feature(Feature::new("here", "เงินคืน").keyword("ที่นี่")),
    );
    let tagger = Tagger::new(&product).unwrap();
    let listed = |text: &str| {
        tagger
            .tag_with(
                &Ticket::new("th", text),
                &TagOptions::default().min_score(0.0),
            )
            .best()
            .map(|m| m.node().to_string())
    };
    assert_eq!(listed("ที่นี่").as_deref(), Some("here"));
    // A tone mark changed, one dropped, a vowel's tone mark dropped.
    for text in ["ที่นี้", "ที่นี", "ทีนี่"] {
        assert_eq!(listed(text), None, "{text}");
    }
}
