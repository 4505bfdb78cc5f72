//! Renderers: terminal table, markdown, CSV, JSON and self-contained HTML.

use std::fmt::Write;

use painpoint::discovery::Theme;
use painpoint::roadmap::Item;
use painpoint::trend::{Alert, AlertKind};
use painpoint::{Need, NodeKind};
use serde_json::{Value, json};

use crate::Report;

const BARS: [char; 8] = ['▁', '▂', '▃', '▄', '▅', '▆', '▇', '█'];

fn sparkline(series: &[u64], width: usize) -> String {
    let s = &series[series.len().saturating_sub(width)..];
    let max = s.iter().copied().max().unwrap_or(0).max(1);
    s.iter()
        .map(|&x| BARS[((x as f64 / max as f64) * 7.0).round() as usize])
        .collect()
}

fn money(v: f64) -> String {
    if v >= 1e6 {
        format!("{:.1}M", v / 1e6)
    } else if v >= 1e3 {
        format!("{:.0}k", v / 1e3)
    } else {
        format!("{v:.0}")
    }
}

fn growth(g: Option<f64>) -> String {
    g.map_or("new".to_string(), |g| format!("{:+.0}%", 100.0 * g))
}

fn alert_kind(k: AlertKind) -> &'static str {
    match k {
        AlertKind::Spike => "spike",
        AlertKind::Emerging => "emerging",
        AlertKind::RepeatedQuestions => "kb-gap",
        _ => "alert",
    }
}

fn flags(it: &Item) -> String {
    let mut v: Vec<&str> = it.trend.alerts.iter().map(|&k| alert_kind(k)).collect();
    v.dedup();
    v.join(",")
}

/// The two terms adding the most points.
fn drivers(it: &Item) -> String {
    let t = &it.terms;
    let mut v = [
        ("reach", t.reach.points),
        ("volume", t.volume.points),
        ("value", t.value.points),
        ("pain", t.pain.points),
        ("momentum", t.momentum.points),
        ("cost", t.cost.points),
    ];
    v.sort_by(|a, b| b.1.total_cmp(&a.1));
    format!("{} {:.0} + {} {:.0}", v[0].0, v[0].1, v[1].0, v[1].1)
}

fn bucket_label(r: &Report, a: &Alert) -> String {
    let (y, m, d) = a.bucket_start.date();
    let _ = r;
    format!("{y:04}-{m:02}-{d:02}")
}

fn alert_line(r: &Report, a: &Alert) -> String {
    let mut s = format!(
        "{:<8} {:<22} {} ({}): observed {:.0}, expected {:.1}, p = {:.2e} (needs <= {:.1e}), z = {:.1}",
        alert_kind(a.kind),
        a.node,
        bucket_label(r, a),
        r.ledger.period(),
        a.observed,
        a.expected,
        a.p_value,
        a.threshold,
        a.z
    );
    if !a.drivers.is_empty() {
        let d: Vec<String> = a
            .drivers
            .iter()
            .map(|d| format!("{} {:.0} vs {:.1}", d.node, d.observed, d.expected))
            .collect();
        let _ = write!(s, "; driven by {}", d.join(", "));
    }
    // A capability counts its own matches too: when its top features
    // explain little of the excess, say so rather than let a small driver
    // look like the cause.
    if a.node_kind == NodeKind::Capability {
        let excess = a.observed - a.expected;
        let explained: f64 = a.drivers.iter().map(|d| d.observed - d.expected).sum();
        if excess > 0.0 && explained < 0.5 * excess && a.drivers.len() < 3 {
            // Drivers list every rising feature (up to three) and the
            // others add nothing, so the rest comes from tickets matched to
            // the capability itself.
            let _ = write!(
                s,
                " (rising features explain +{explained:.1} of the +{excess:.1}; the rest \
                 matched the capability itself)"
            );
        }
    }
    s
}

fn range(r: &Report) -> String {
    let p = r.ledger.period();
    let mut out = if r.trends.last < r.trends.first {
        "no dated tickets".to_string()
    } else {
        let (y1, m1, d1) = p.start_of(r.trends.first).date();
        let (y2, m2, d2) = p.start_of(r.trends.last).date();
        format!("{y1:04}-{m1:02}-{d1:02} .. {y2:04}-{m2:02}-{d2:02}")
    };
    // Counted in the totals but in no trend: say so.
    let unseen: Vec<String> = [
        (r.trends.undated, "undated"),
        (r.trends.outside, "dated outside these dates"),
    ]
    .iter()
    .filter(|(n, _)| *n > 0)
    .map(|(n, what)| format!("{n} {what}"))
    .collect();
    if !unseen.is_empty() {
        let _ = write!(
            out,
            " ({}: in the totals, not the trends)",
            unseen.join(" and ")
        );
    }
    out
}

fn unmatched_share(r: &Report) -> f64 {
    r.roadmap.unmatched.tickets as f64 / r.ledger.tickets().max(1) as f64
}

/// The themes the reports show: the largest few.
const TOP_THEMES: usize = 5;

fn top_themes(r: &Report) -> &[Theme] {
    &r.themes.themes[..r.themes.themes.len().min(TOP_THEMES)]
}

fn theme_terms(t: &Theme) -> String {
    t.terms
        .iter()
        .take(5)
        .cloned()
        .collect::<Vec<_>>()
        .join(", ")
}

fn themes_heading(r: &Report) -> String {
    if r.themes.recruited > 0 {
        // Contrast mode: the pool holds weak matches too, and themes
        // recruit confidently matched tickets.
        return format!(
            "Emerging themes, contrasted with the taxonomy ({} themes, {} tickets: \
             from {} unmatched or weakly matched, plus {} recruited from matches)",
            r.themes.themes.len(),
            r.themes.themed,
            r.themes.pool,
            r.themes.recruited
        );
    }
    format!(
        "Emerging themes in unmatched tickets ({} themes, {} of {} unmatched tickets)",
        r.themes.themes.len(),
        r.themes.themed,
        r.themes.pool
    )
}

pub fn table(r: &Report) -> String {
    let mut s = String::new();
    let _ = writeln!(
        s,
        "{} - pain ledger by {}, {} ({} buckets)\n{} tickets, {} unmatched ({:.1}%){}\n",
        r.product.name,
        r.ledger.period(),
        range(r),
        r.trends.trends.first().map_or(0, |t| t.series.len()),
        r.ledger.tickets(),
        r.roadmap.unmatched.tickets,
        100.0 * unmatched_share(r),
        if r.skipped > 0 {
            format!(", {} bad lines skipped", r.skipped)
        } else {
            String::new()
        }
    );
    let _ = writeln!(
        s,
        "{:>3}  {:<22} {:<15} {:>6} {:>6} {:>5} {:>7} {:>6}  {:<20} {:>6}  {:<22} alerts",
        "#",
        "feature",
        "capability",
        "count",
        "cust",
        "acct",
        "value",
        "score",
        "trend",
        "growth",
        "top terms",
    );
    for it in r.roadmap.items.iter().take(r.top) {
        let _ = writeln!(
            s,
            "{:>3}  {:<22} {:<15} {:>6} {:>6.0} {:>5.0} {:>7} {:>6.1}  {:<20} {:>6}  {:<22} {}",
            it.rank,
            it.node,
            it.capability.as_deref().unwrap_or(""),
            it.stats.tickets,
            it.stats.customers,
            it.stats.accounts,
            money(it.stats.value),
            it.score,
            sparkline(&it.trend.series, 20),
            growth(it.trend.growth),
            drivers(it),
            flags(it)
        );
    }
    let _ = writeln!(s, "\nCapabilities");
    for it in &r.roadmap.capabilities {
        let _ = writeln!(
            s,
            "{:>3}  {:<22} {:>6} {:>6.0} {:>7} {:>6.1}  {:<20} {:>6}",
            it.rank,
            it.node,
            it.stats.tickets,
            it.stats.customers,
            money(it.stats.value),
            it.score,
            sparkline(&it.trend.series, 20),
            growth(it.trend.growth)
        );
    }
    let _ = writeln!(s, "\n{}", themes_heading(r));
    for t in top_themes(r) {
        let _ = writeln!(
            s,
            "  {:<24} {:>5} tickets {:>5} customers  terms: {}",
            t.name,
            t.count,
            t.customers,
            theme_terms(t)
        );
    }
    let alerts: Vec<&Alert> = r.trends.alerts.iter().collect();
    let _ = writeln!(s, "\nAlerts ({})", alerts.len());
    for a in alerts.iter().rev().take(20) {
        let _ = writeln!(s, "  {}", alert_line(r, a));
    }
    let with_rice: Vec<&Item> = r
        .roadmap
        .items
        .iter()
        .filter(|i| i.rice.is_some())
        .collect();
    if !with_rice.is_empty() {
        let mut by_rice = with_rice.clone();
        by_rice.sort_by(|a, b| b.rice.unwrap().score.total_cmp(&a.rice.unwrap().score));
        let _ = writeln!(
            s,
            "\nRICE (reach x impact x confidence / effort) and value vs effort"
        );
        for it in by_rice.iter().take(r.top.min(10)) {
            let rice = it.rice.unwrap();
            let _ = writeln!(
                s,
                "  {:<22} RICE {:>7.1} = {:.0} x {:.2} x {:.2} / {:.0}   score {:>5.1}  {:?}",
                it.node,
                rice.score,
                rice.reach,
                rice.impact,
                rice.confidence,
                rice.effort,
                it.score,
                it.quadrant.unwrap()
            );
        }
    }
    let st = &r.roadmap.stability;
    let _ = writeln!(
        s,
        "\nStability (weights +-20%, {} scenarios): top {} overlap >= {:.0}%, same #1 in {:.0}%",
        st.scenarios,
        st.top,
        100.0 * st.min_overlap,
        100.0 * st.same_first
    );
    for it in st.items.iter().take(5) {
        let _ = writeln!(
            s,
            "  #{} {:<22} ranks {}..{}, in top {} in {:.0}% of scenarios",
            it.rank,
            it.node,
            it.best,
            it.worst,
            st.top,
            100.0 * it.in_top
        );
    }
    s
}

pub fn markdown(r: &Report) -> String {
    let mut s = String::new();
    let _ = writeln!(s, "# {} roadmap\n", r.product.name);
    let _ = writeln!(
        s,
        "{} tickets by {}, {}; {} unmatched ({:.1}%).\n",
        r.ledger.tickets(),
        r.ledger.period(),
        range(r),
        r.roadmap.unmatched.tickets,
        100.0 * unmatched_share(r)
    );
    let _ = writeln!(
        s,
        "| # | feature | capability | count | customers | accounts | value | score | trend | growth | top terms | alerts |"
    );
    let _ = writeln!(s, "|---|---|---|---:|---:|---:|---:|---:|---|---:|---|---|");
    for it in r.roadmap.items.iter().take(r.top) {
        let _ = writeln!(
            s,
            "| {} | {} | {} | {} | {:.0} | {:.0} | {} | {:.1} | {} | {} | {} | {} |",
            it.rank,
            it.node,
            it.capability.as_deref().unwrap_or(""),
            it.stats.tickets,
            it.stats.customers,
            it.stats.accounts,
            money(it.stats.value),
            it.score,
            sparkline(&it.trend.series, 20),
            growth(it.trend.growth),
            drivers(it),
            flags(it)
        );
    }
    let _ = writeln!(s, "\n## {}\n", themes_heading(r));
    if !r.themes.themes.is_empty() {
        let _ = writeln!(s, "| theme | count | customers | top terms |");
        let _ = writeln!(s, "|---|---:|---:|---|");
        for t in top_themes(r) {
            let _ = writeln!(
                s,
                "| {} | {} | {} | {} |",
                t.name,
                t.count,
                t.customers,
                theme_terms(t)
            );
        }
    }
    let _ = writeln!(s, "\n## Alerts\n");
    for a in r.trends.alerts.iter().rev().take(20) {
        let _ = writeln!(s, "- {}", alert_line(r, a));
    }
    s
}

pub fn csv(r: &Report) -> String {
    let mut s = String::from(
        "rank,feature,capability,count,customers,accounts,value,score,reach,volume,value_term,pain,momentum,cost,recent,previous,growth,slope,rice,quadrant,alerts\n",
    );
    for it in &r.roadmap.items {
        let t = &it.terms;
        let _ = writeln!(
            s,
            "{},{},{},{},{},{},{:.2},{:.3},{:.3},{:.3},{:.3},{:.3},{:.3},{:.3},{},{},{},{:.3},{},{},{}",
            it.rank,
            it.node,
            it.capability.as_deref().unwrap_or(""),
            it.stats.tickets,
            it.stats.customers,
            it.stats.accounts,
            it.stats.value,
            it.score,
            t.reach.points,
            t.volume.points,
            t.value.points,
            t.pain.points,
            t.momentum.points,
            t.cost.points,
            it.trend.recent,
            it.trend.previous,
            it.trend.growth.map_or(String::new(), |g| format!("{g:.3}")),
            it.trend.slope,
            it.rice.map_or(String::new(), |r| format!("{:.2}", r.score)),
            it.quadrant
                .map_or(String::new(), |q| serde_json::to_value(q)
                    .unwrap()
                    .as_str()
                    .unwrap_or("")
                    .to_string()),
            flags(it).replace(',', ";")
        );
    }
    s
}

fn item_json(it: &Item) -> Value {
    let feature = (it.kind == NodeKind::Feature).then(|| it.node.clone());
    let capability = if it.kind == NodeKind::Feature {
        it.capability.clone()
    } else {
        Some(it.node.clone())
    };
    json!({
        "rank": it.rank, "feature": feature, "capability": capability, "name": it.name,
        "count": it.stats.tickets, "customers": it.stats.customers, "accounts": it.stats.accounts,
        "value": it.stats.value, "score": it.score, "terms": it.terms,
        "trend": {"series": it.trend.series, "recent": it.trend.recent, "previous": it.trend.previous,
                  "growth": it.trend.growth, "slope": it.trend.slope},
        "alerts": it.trend.alerts, "rice": it.rice, "quadrant": it.quadrant,
        "needs": it.stats.needs, "kinds": it.stats.kinds, "channels": it.stats.channels,
        "sentiment_mean": it.stats.sentiment_mean(), "csat_mean": it.stats.csat_mean,
        "resolution_median_hours": it.stats.resolution_median,
    })
}

pub fn json(r: &Report) -> Value {
    let p = r.ledger.period();
    let buckets: Vec<String> = (r.trends.first..=r.trends.last)
        .map(|b| p.start_of(b).to_string())
        .collect();
    json!({
        "product": r.product.id, "period": p, "buckets": buckets, "tickets": r.ledger.tickets(),
        "skipped_lines": r.skipped, "undated": r.trends.undated, "outside_buckets": r.trends.outside,
        "weights": r.config.weights,
        "items": r.roadmap.items.iter().map(item_json).collect::<Vec<_>>(),
        "capabilities": r.roadmap.capabilities.iter().map(item_json).collect::<Vec<_>>(),
        "alerts": r.trends.alerts,
        "unmatched": {"count": r.roadmap.unmatched.tickets, "customers": r.roadmap.unmatched.customers,
                      "share": unmatched_share(r)},
        "stability": r.roadmap.stability,
        "themes": r.themes.themes,
    })
}

fn esc(s: &str) -> String {
    s.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
}

const TERM_COLORS: [(&str, &str); 6] = [
    ("reach", "#4e79a7"),
    ("volume", "#59a14f"),
    ("value", "#edc948"),
    ("pain", "#e15759"),
    ("momentum", "#b07aa1"),
    ("cost", "#9c755f"),
];

fn bars_svg(r: &Report) -> String {
    let items: Vec<&Item> = r.roadmap.items.iter().take(r.top).collect();
    let (w, row, left) = (960.0, 24.0, 250.0);
    let h = row * items.len() as f64 + 40.0;
    let max = items.first().map_or(1.0, |i| i.score.max(1.0));
    let scale = (w - left - 60.0) / max;
    let mut s = format!(
        r#"<svg xmlns="http://www.w3.org/2000/svg" width="{w}" height="{h}" font-family="sans-serif" font-size="12">"#
    );
    for (i, it) in items.iter().enumerate() {
        let y = 10.0 + i as f64 * row;
        let _ = write!(
            s,
            r#"<text x="{}" y="{}" text-anchor="end">{}. {}</text>"#,
            left - 6.0,
            y + 15.0,
            it.rank,
            esc(&it.name)
        );
        let mut x = left;
        let t = &it.terms;
        for (k, (name, color)) in TERM_COLORS.iter().enumerate() {
            let pts = [
                t.reach.points,
                t.volume.points,
                t.value.points,
                t.pain.points,
                t.momentum.points,
                t.cost.points,
            ][k];
            let bw = pts * scale;
            let _ = write!(
                s,
                r#"<rect x="{x:.1}" y="{y:.1}" width="{bw:.1}" height="18" fill="{color}"><title>{name}: {pts:.1} points</title></rect>"#
            );
            x += bw;
        }
        let _ = write!(
            s,
            r#"<text x="{:.1}" y="{}">{:.1}{}</text>"#,
            x + 5.0,
            y + 14.0,
            it.score,
            if flags(it).is_empty() {
                String::new()
            } else {
                format!("  ⚠ {}", flags(it))
            }
        );
    }
    let ly = h - 14.0;
    for (k, (name, color)) in TERM_COLORS.iter().enumerate() {
        let x = left + k as f64 * 95.0;
        let _ = write!(
            s,
            r#"<rect x="{x}" y="{}" width="12" height="12" fill="{color}"/><text x="{}" y="{}">{name}</text>"#,
            ly - 10.0,
            x + 16.0,
            ly
        );
    }
    s + "</svg>"
}

fn trend_svg(r: &Report, it: &Item) -> String {
    let (w, h, pad) = (420.0, 130.0, 28.0);
    let series = &it.trend.series;
    let n = series.len().max(2) as f64;
    let max = series.iter().copied().max().unwrap_or(1).max(1) as f64;
    let x = |i: usize| pad + i as f64 * (w - 2.0 * pad) / (n - 1.0);
    let y = |v: f64| h - pad - v / max * (h - 2.0 * pad);
    let points: Vec<String> = series
        .iter()
        .enumerate()
        .map(|(i, &v)| format!("{:.1},{:.1}", x(i), y(v as f64)))
        .collect();
    let mut s = format!(
        r##"<svg xmlns="http://www.w3.org/2000/svg" width="{w}" height="{h}" font-family="sans-serif" font-size="11"><text x="{pad}" y="14" font-weight="bold">{}</text><line x1="{pad}" y1="{}" x2="{}" y2="{}" stroke="#aaa"/><text x="2" y="{}">{max:.0}</text><polyline fill="none" stroke="#4e79a7" stroke-width="2" points="{}"/>"##,
        esc(&it.name),
        h - pad,
        w - pad,
        h - pad,
        y(max) + 4.0,
        points.join(" ")
    );
    for a in r
        .trends
        .alerts
        .iter()
        .filter(|a| a.node == it.node && a.node_kind == it.kind)
    {
        let i = (a.bucket - r.trends.first) as usize;
        if i < series.len() {
            let _ = write!(
                s,
                r##"<circle cx="{:.1}" cy="{:.1}" r="5" fill="#e15759"><title>{}: observed {:.0}, expected {:.1}, p = {:.1e}</title></circle>"##,
                x(i),
                y(series[i] as f64),
                alert_kind(a.kind),
                a.observed,
                a.expected,
                a.p_value
            );
        }
    }
    let p = r.ledger.period();
    for (i, b) in [
        (0, r.trends.first),
        (series.len().saturating_sub(1), r.trends.last),
    ] {
        let (yy, m, d) = p.start_of(b).date();
        let _ = write!(
            s,
            r#"<text x="{:.1}" y="{}" text-anchor="middle">{yy}-{m:02}-{d:02}</text>"#,
            x(i),
            h - 8.0
        );
    }
    s + "</svg>"
}

fn heat_svg(r: &Report) -> String {
    let caps = &r.roadmap.capabilities;
    let any_needs = caps.iter().any(|c| !c.stats.needs.is_empty());
    // Columns: needs when the signals are on, else the last 12 buckets.
    let (title, cols): (String, Vec<String>) = if any_needs {
        (
            "Capability x customer need (tickets)".into(),
            Need::ALL
                .iter()
                .map(|n| {
                    serde_json::to_value(n)
                        .unwrap()
                        .as_str()
                        .unwrap()
                        .to_string()
                })
                .collect(),
        )
    } else {
        let p = r.ledger.period();
        let first = (r.trends.last - 11).max(r.trends.first);
        (
            "Capability x recent bucket (tickets; needs appear when signals are on)".into(),
            (first..=r.trends.last)
                .map(|b| {
                    let (_, m, d) = p.start_of(b).date();
                    format!("{m:02}-{d:02}")
                })
                .collect(),
        )
    };
    let cell = |c: &Item, j: usize| -> u64 {
        if any_needs {
            c.stats.need(Need::ALL[j])
        } else {
            let s = &c.trend.series;
            let k = s.len() - cols.len() + j;
            s.get(k).copied().unwrap_or(0)
        }
    };
    let max = caps
        .iter()
        .flat_map(|c| (0..cols.len()).map(move |j| (c, j)))
        .map(|(c, j)| cell(c, j))
        .max()
        .unwrap_or(1)
        .max(1) as f64;
    let (left, top, cw, ch) = (210.0, 90.0, 44.0, 22.0);
    // Room on the right for the last column's slanted label.
    let w = left + cw * cols.len() as f64 + 80.0;
    let h = top + ch * caps.len() as f64 + 10.0;
    let mut s = format!(
        r#"<svg xmlns="http://www.w3.org/2000/svg" width="{w}" height="{h}" font-family="sans-serif" font-size="11"><text x="4" y="14" font-weight="bold">{}</text>"#,
        esc(&title)
    );
    for (j, c) in cols.iter().enumerate() {
        let x = left + j as f64 * cw + cw / 2.0;
        let _ = write!(
            s,
            r#"<text transform="translate({x:.1},{}) rotate(-50)">{}</text>"#,
            top - 4.0,
            esc(c)
        );
    }
    for (i, c) in caps.iter().enumerate() {
        let y = top + i as f64 * ch;
        let _ = write!(
            s,
            r#"<text x="{}" y="{}" text-anchor="end">{}</text>"#,
            left - 6.0,
            y + 15.0,
            esc(&c.name)
        );
        for (j, col) in cols.iter().enumerate() {
            let v = cell(c, j);
            let a = v as f64 / max;
            let _ = write!(
                s,
                r#"<rect x="{:.1}" y="{y:.1}" width="{}" height="{}" fill="rgb({},{},{})"><title>{}: {v}</title></rect>"#,
                left + j as f64 * cw,
                cw - 2.0,
                ch - 2.0,
                (255.0 - a * 30.0) as u8,
                (255.0 - a * 168.0) as u8,
                (255.0 - a * 166.0) as u8,
                esc(col)
            );
            if v > 0 {
                let _ = write!(
                    s,
                    r#"<text x="{:.1}" y="{:.1}" text-anchor="middle" fill="{}">{v}</text>"#,
                    left + j as f64 * cw + cw / 2.0 - 1.0,
                    y + 15.0,
                    if a > 0.6 { "#fff" } else { "#333" }
                );
            }
        }
    }
    s + "</svg>"
}

pub fn html(r: &Report) -> String {
    let mut s = String::new();
    let _ = write!(
        s,
        r#"<!DOCTYPE html><html><head><meta charset="utf-8"><title>{} roadmap</title><style>
body{{font-family:sans-serif;margin:24px;color:#222}} table{{border-collapse:collapse;font-size:13px}} td,th{{border-bottom:1px solid #ddd;padding:3px 8px;text-align:right}} td:nth-child(2),th:nth-child(2),td:nth-child(3){{text-align:left}} .grid{{display:flex;flex-wrap:wrap;gap:8px}} .alert{{color:#b22}}</style></head><body>"#,
        esc(&r.product.name)
    );
    let _ = write!(
        s,
        "<h1>{} roadmap</h1><p>{} tickets by {}, {}; {} unmatched ({:.1}%). Score = weighted sum of normalized terms (weights: {}).</p>",
        esc(&r.product.name),
        r.ledger.tickets(),
        r.ledger.period(),
        range(r),
        r.roadmap.unmatched.tickets,
        100.0 * unmatched_share(r),
        esc(&serde_json::to_string(&r.config.weights).unwrap_or_default())
    );
    let _ = write!(s, "<h2>Ranked features</h2>{}", bars_svg(r));
    let _ = write!(s, "<h2>Trends of the top features</h2><div class=\"grid\">");
    // The top six, then any other feature with an alert (up to nine charts).
    let mut shown: Vec<&Item> = r.roadmap.items.iter().take(6).collect();
    for it in &r.roadmap.items {
        if shown.len() < 9
            && !it.trend.alerts.is_empty()
            && !shown.iter().any(|x| x.node == it.node)
        {
            shown.push(it);
        }
    }
    for it in shown {
        s.push_str(&trend_svg(r, it));
    }
    s.push_str("</div>");
    let _ = write!(s, "<h2>Where the pain is</h2>{}", heat_svg(r));
    let _ = write!(s, "<h2>{}</h2>", esc(&themes_heading(r)));
    if !r.themes.themes.is_empty() {
        s.push_str("<table><tr><th>#</th><th>theme</th><th>top terms</th><th>count</th><th>customers</th></tr>");
        for (i, t) in top_themes(r).iter().enumerate() {
            let _ = write!(
                s,
                "<tr><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td></tr>",
                i + 1,
                esc(&t.name),
                esc(&theme_terms(t)),
                t.count,
                t.customers
            );
        }
        s.push_str("</table>");
    }
    let _ = write!(s, "<h2>Alerts</h2><ul>");
    for a in r.trends.alerts.iter().rev().take(30) {
        let _ = write!(s, "<li class=\"alert\">{}</li>", esc(&alert_line(r, a)));
    }
    s.push_str("</ul><h2>Table</h2><table><tr><th>#</th><th>feature</th><th>capability</th><th>count</th><th>customers</th><th>accounts</th><th>value</th><th>score</th><th>growth</th><th>RICE</th><th>quadrant</th></tr>");
    for it in r.roadmap.items.iter().take(r.top) {
        let _ = write!(
            s,
            "<tr><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td>{:.0}</td><td>{:.0}</td><td>{}</td><td>{:.1}</td><td>{}</td><td>{}</td><td>{}</td></tr>",
            it.rank,
            esc(&it.name),
            esc(it.capability.as_deref().unwrap_or("")),
            it.stats.tickets,
            it.stats.customers,
            it.stats.accounts,
            money(it.stats.value),
            it.score,
            growth(it.trend.growth),
            it.rice.map_or(String::new(), |r| format!("{:.1}", r.score)),
            it.quadrant.map_or(String::new(), |q| format!("{q:?}"))
        );
    }
    let st = &r.roadmap.stability;
    let _ = writeln!(
        s,
        "</table><p>Stability: with every weight moved by ±20% ({} scenarios), the top {} keeps at least {:.0}% of its members and #1 stays first in {:.0}% of scenarios.</p></body></html>",
        st.scenarios,
        st.top,
        100.0 * st.min_overlap,
        100.0 * st.same_first
    );
    s
}
