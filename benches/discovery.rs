//! Themes over 100,000 synthetic unmatched tickets, single-threaded.
//!
//! The tickets are generated deterministically (SplitMix64, fixed seed):
//! 60 latent themes of 6 words each; a ticket takes 2-3 words of its theme,
//! 3-6 words of a 3,000-word general vocabulary and some stop words. The
//! bench asserts the themes it finds, so a fast wrong answer cannot pass.
//!
//! The contrast bench tags the same tickets: the first 50 latent themes are
//! features the tagger knows, the last 10 are missing from the taxonomy and
//! their tickets matched to a known sibling with lower scores. Contrast
//! must find the missing ones among all 100,000 tagged tickets.

use criterion::{Criterion, criterion_group, criterion_main};
use painpoint::discovery::{DuplicateFinder, ThemeConfig, ThemeFinder};
use painpoint::{Capability, Feature, Match, Product, TaggedTicket, Ticket};

const TICKETS: usize = 100_000;
const THEMES: usize = 60;
/// Latent themes from this one on are missing from the taxonomy.
const KNOWN: usize = 50;

struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9e37_79b9_7f4a_7c15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
        z ^ (z >> 31)
    }
    fn below(&mut self, n: usize) -> usize {
        (self.next() % n as u64) as usize
    }
}

/// A pronounceable, distinct word for every number.
fn word(mut n: usize, prefix: &str) -> String {
    const SYLLABLES: [&str; 16] = [
        "ka", "lo", "mi", "ne", "po", "ru", "sa", "ti", "vu", "ze", "bo", "da", "fi", "gu", "ho",
        "je",
    ];
    let mut out = prefix.to_string();
    loop {
        out.push_str(SYLLABLES[n % 16]);
        n /= 16;
        if n == 0 {
            break;
        }
    }
    out
}

fn tickets() -> (Vec<Ticket>, Vec<usize>) {
    let mut rng = Rng(42);
    let stop = [
        "the", "my", "is", "and", "i", "it", "to", "of", "not", "with",
    ];
    let theme_words: Vec<Vec<String>> = (0..THEMES)
        .map(|t| (0..6).map(|w| word(t * 6 + w, "q")).collect())
        .collect();
    let mut tickets = Vec::with_capacity(TICKETS);
    let mut labels = Vec::with_capacity(TICKETS);
    for i in 0..TICKETS {
        let theme = rng.below(THEMES);
        let mut words: Vec<String> = Vec::new();
        for _ in 0..2 + rng.below(2) {
            words.push(theme_words[theme][rng.below(6)].clone());
        }
        for _ in 0..3 + rng.below(4) {
            // Zipf-like: small ids far more often.
            let r = rng.below(3000);
            words.push(word(r * r / 3000, "g"));
            words.push(stop[rng.below(stop.len())].to_string());
        }
        // Shuffle the words (Fisher-Yates).
        for j in (1..words.len()).rev() {
            words.swap(j, rng.below(j + 1));
        }
        tickets.push(Ticket::new(format!("t{i}"), words.join(" ")));
        labels.push(theme);
    }
    (tickets, labels)
}

fn bench(c: &mut Criterion) {
    let (tickets, labels) = tickets();
    // The known themes are the product's features (their words as
    // keywords), so contrast can re-tag with the themes competing.
    let mut capability = Capability::new("c", "C");
    for t in 0..KNOWN {
        let mut feature = Feature::new(format!("f{t}"), format!("Feature {t}"));
        feature.keywords = (0..6).map(|w| word(t * 6 + w, "q")).collect();
        capability = capability.feature(feature);
    }
    let product = Product::new("p", "P").capability(capability);
    let finder = ThemeFinder::new(&product);
    let index: std::collections::HashMap<&str, usize> = tickets
        .iter()
        .enumerate()
        .map(|(i, t)| (t.id.as_str(), i))
        .collect();
    let check = |report: &painpoint::discovery::ThemeReport| {
        assert!(
            report.themes.len() >= THEMES / 2,
            "{} themes",
            report.themes.len()
        );
        assert!(
            report.themed * 10 >= TICKETS * 8,
            "themed {}",
            report.themed
        );
        // Every large theme is mostly one latent theme.
        for theme in report.themes.iter().filter(|t| t.count >= 500) {
            let mut counts = vec![0usize; THEMES];
            for id in &theme.ticket_ids {
                counts[labels[index[id.as_str()]]] += 1;
            }
            let top = counts.iter().max().copied().unwrap_or(0);
            assert!(top * 10 >= theme.count * 8, "impure theme {}", theme.name);
        }
    };
    check(&finder.find_tickets(&tickets));
    let mut group = c.benchmark_group("discovery");
    group.sample_size(10);
    group.bench_function("themes_100k_unmatched", |b| {
        b.iter(|| {
            let report = finder.find_tickets(&tickets);
            assert!(report.themes.len() >= THEMES / 2);
            report
        })
    });
    // Tagged: known themes matched to their feature, missing ones to a
    // known sibling with lower scores.
    let mut rng = Rng(7);
    let pairs: Vec<(Ticket, TaggedTicket)> = tickets
        .iter()
        .zip(&labels)
        .map(|(t, &theme)| {
            let mut best = Match::default();
            best.feature = Some(format!("f{}", theme % KNOWN).into());
            best.capability = "c".into();
            let u = rng.below(1000) as f64 / 1000.0;
            best.score = if theme < KNOWN {
                0.5 + 0.45 * u
            } else {
                0.2 + 0.45 * u
            };
            best.fit = best.score;
            let mut tagged = TaggedTicket::default();
            tagged.matches.push(best);
            (t.clone(), tagged)
        })
        .collect();
    let contrast =
        ThemeFinder::with_config(&product, ThemeConfig::default().contrast(0.25)).unwrap();
    let check_contrast = |report: &painpoint::discovery::ThemeReport| {
        let mut found = 0;
        for missing in KNOWN..THEMES {
            let all = labels.iter().filter(|&&l| l == missing).count();
            found += usize::from(report.themes.iter().any(|theme| {
                let hits = theme
                    .ticket_ids
                    .iter()
                    .filter(|id| labels[index[id.as_str()]] == missing)
                    .count();
                hits * 10 >= theme.count * 8 && hits * 10 >= all * 4
            }));
        }
        assert!(
            found >= 8,
            "found {found} of {} missing themes",
            THEMES - KNOWN
        );
        found
    };
    let found = check_contrast(&contrast.find(&pairs));
    eprintln!(
        "contrast: {found} of {} missing themes found",
        THEMES - KNOWN
    );
    group.bench_function("themes_100k_tagged_contrast", |b| {
        b.iter(|| {
            let report = contrast.find(&pairs);
            assert!(report.recruited > 0);
            report
        })
    });
    // Re-tagging: the themes compete with the product's features as
    // would-be features (up to two tagger calls per ticket).
    let retag =
        ThemeFinder::with_config(&product, ThemeConfig::default().contrast(0.25).retag(true))
            .unwrap();
    let found = check_contrast(&retag.find(&pairs));
    eprintln!(
        "contrast, re-tagged: {found} of {} missing themes found",
        THEMES - KNOWN
    );
    group.bench_function("themes_100k_tagged_contrast_retag", |b| {
        b.iter(|| {
            let report = retag.find(&pairs);
            assert!(report.themed > 0);
            report
        })
    });
    let duplicates = DuplicateFinder::new(&product);
    group.bench_function("duplicates_100k", |b| {
        b.iter(|| {
            let report = duplicates.find(&tickets);
            assert_eq!(report.tickets, TICKETS);
            report
        })
    });
    group.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
