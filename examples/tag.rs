//! Tags tickets: JSON lines in, JSON lines out. How helpdesk tools call painpoint.
//!
//! ```text
//! cargo run --release --example tag -- --taxonomy T.json [--signals S.json] [--min-score S] [--top K] < tickets.jsonl > tagged.jsonl
//! cargo run --release --example tag            # the embedded demo product and tickets
//! ```
//!
//! Each input line is one ticket (`{"id": ..., "text": ..., "subject"?: ...}`);
//! each output line answers the input line at the same position:
//! `{"id": ..., "matches": [{"feature", "capability", "score", "fit", "coverage", "evidence"}], ...}`,
//! best match first, `matches` empty when the ticket is unmatched; with
//! signals, also `"needs": [{"need", "score", "evidence"}]` (left out when
//! empty), `"kind": {"label", "score", "evidence"}` and
//! `"sentiment": {"label", "score", "evidence"}` (evidence left out when
//! empty; see the README's JSON shapes). A line that
//! is not a ticket (bad JSON, invalid UTF-8, missing field) yields
//! `{"line": N, "error": "..."}` and the run goes on. Blank lines are
//! answered with an error too, so output line N always answers input line N.
//! Exit code: 0 when every line was tagged, 1 when some line failed, 2 when
//! the run could not start (bad flags or taxonomy).
//!
//! `--min-score 0` lists the best candidates even below the threshold (and
//! the coverage floor). `--min-coverage C` sets how much of one of its
//! node's texts a match must hold (default 0.2), `--min-fit F` how much of
//! the ticket it must explain (default 0); see `TaggerConfig`.
//! `--signals S.json` reads needs, kind and sentiment with a
//! `SignalsConfig` (your keywords and examples per label, added to the
//! language's defaults or replacing them, or another language's words);
//! its language must be the product's. `--no-signals` leaves out needs,
//! kind and sentiment (faster).
//! Lines are tagged in batches on all cores; output order is input order.

use std::error::Error;
use std::io::{BufRead, BufWriter, Read, Write};

use painpoint::signals::{Signals, SignalsConfig};
use painpoint::{Product, TagOptions, Tagger, TaggerConfig, Ticket};
use serde::Serialize;

const DEMO_TAXONOMY: &str = include_str!("data/demo_taxonomy.json");
const DEMO_TICKETS: &str = include_str!("data/demo_tickets.jsonl");
const BATCH: usize = 8192;

fn main() {
    match run() {
        Ok(true) => {}
        Ok(false) => std::process::exit(1),
        // A reader that stopped early (`| head`) is not an error.
        Err(err)
            if err
                .downcast_ref::<std::io::Error>()
                .is_some_and(|e| e.kind() == std::io::ErrorKind::BrokenPipe) => {}
        Err(err) => {
            eprintln!("tag: {err}");
            std::process::exit(2);
        }
    }
}

struct Args {
    taxonomy: Option<String>,
    signals_config: Option<String>,
    options: TagOptions,
    signals: bool,
}

fn parse_args() -> Result<Args, Box<dyn Error>> {
    let mut args = std::env::args().skip(1);
    let mut out = Args {
        taxonomy: None,
        signals_config: None,
        options: TagOptions::default(),
        signals: true,
    };
    while let Some(arg) = args.next() {
        let mut value = |name: &str| args.next().ok_or_else(|| format!("{name} needs a value"));
        match arg.as_str() {
            "--taxonomy" => out.taxonomy = Some(value("--taxonomy")?),
            "--signals" => out.signals_config = Some(value("--signals")?),
            "--min-score" => out.options = out.options.min_score(value("--min-score")?.parse()?),
            "--top" => out.options = out.options.top(value("--top")?.parse()?),
            "--min-fit" => out.options = out.options.min_fit(value("--min-fit")?.parse()?),
            "--min-coverage" => {
                out.options = out.options.min_coverage(value("--min-coverage")?.parse()?)
            }
            "--no-signals" => out.signals = false,
            "-h" | "--help" => {
                println!(
                    "usage: tag [--taxonomy T.json] [--signals S.json] [--min-score S] [--min-fit F] [--min-coverage C] [--top K] [--no-signals] < tickets.jsonl > tagged.jsonl"
                );
                std::process::exit(0);
            }
            other => return Err(format!("unknown argument {other:?} (see --help)").into()),
        }
    }
    Ok(out)
}

#[derive(Serialize)]
struct LineError<'a> {
    line: usize,
    error: &'a str,
}

fn run() -> Result<bool, Box<dyn Error>> {
    let args = parse_args()?;
    let (taxonomy, demo) = match &args.taxonomy {
        Some(path) => (
            std::fs::read_to_string(path).map_err(|e| format!("{path}: {e}"))?,
            false,
        ),
        None => (DEMO_TAXONOMY.to_string(), true),
    };
    let product: Product =
        serde_json::from_str(without_bom(&taxonomy)).map_err(|e| format!("taxonomy: {e}"))?;
    let mut builder = Tagger::builder().config(TaggerConfig::default().signals(args.signals));
    if let Some(path) = &args.signals_config {
        let text = std::fs::read_to_string(path).map_err(|e| format!("{path}: {e}"))?;
        let config: SignalsConfig =
            serde_json::from_str(without_bom(&text)).map_err(|e| format!("{path}: {e}"))?;
        if config.language != product.language {
            return Err(format!(
                "{path}: language {:?} is not the product's ({:?})",
                config.language, product.language
            )
            .into());
        }
        let signals = Signals::new(&config).map_err(|e| format!("{path}: {e}"))?;
        builder = builder.signals(signals);
    }
    let tagger = builder.build(&product)?;

    let stdout = std::io::stdout();
    let mut out = BufWriter::with_capacity(1 << 16, stdout.lock());
    let mut all_ok = true;
    let mut line_no = 0usize;
    let mut batch: Vec<Vec<u8>> = Vec::with_capacity(BATCH);
    let flush = |batch: &mut Vec<Vec<u8>>,
                 line_no: &mut usize,
                 out: &mut BufWriter<_>|
     -> Result<bool, Box<dyn Error>> {
        let rendered = tag_batch(&tagger, &args.options, batch, *line_no);
        let ok = rendered.iter().all(|(ok, _)| *ok);
        for (_, line) in rendered {
            out.write_all(&line)?;
            out.write_all(b"\n")?;
        }
        *line_no += batch.len();
        batch.clear();
        Ok(ok)
    };
    if demo {
        for line in DEMO_TICKETS.lines() {
            batch.push(line.as_bytes().to_vec());
        }
    } else {
        let mut input = std::io::stdin().lock();
        let mut line = Vec::new();
        loop {
            line.clear();
            if input.read_until(b'\n', &mut line)? == 0 {
                break;
            }
            if line.last() == Some(&b'\n') {
                line.pop();
                if line.last() == Some(&b'\r') {
                    line.pop();
                }
            }
            // A UTF-8 byte order mark (Windows exports) is no part of the
            // first ticket.
            if line_no == 0 && batch.is_empty() && line.starts_with(BOM.as_bytes()) {
                line.drain(..BOM.len());
            }
            batch.push(std::mem::take(&mut line));
            if batch.len() == BATCH {
                all_ok &= flush(&mut batch, &mut line_no, &mut out)?;
            }
        }
        // Anything unread (a read error) is an error, not silent loss.
        let mut rest = Vec::new();
        input.read_to_end(&mut rest)?;
    }
    if !batch.is_empty() {
        all_ok &= flush(&mut batch, &mut line_no, &mut out)?;
    }
    out.flush()?;
    if !all_ok {
        eprintln!("tag: some lines could not be tagged (see their \"error\")");
    }
    Ok(all_ok)
}

const BOM: &str = "\u{feff}";

/// `text` without a leading UTF-8 byte order mark.
fn without_bom(text: &str) -> &str {
    text.strip_prefix(BOM).unwrap_or(text)
}

/// Tags one batch on all cores; returns (ok, JSON line) in input order.
fn tag_batch(
    tagger: &Tagger,
    options: &TagOptions,
    batch: &[Vec<u8>],
    first_line: usize,
) -> Vec<(bool, Vec<u8>)> {
    let threads = std::thread::available_parallelism()
        .map_or(1, |n| n.get())
        .min(batch.len().max(1));
    let chunk = batch.len().div_ceil(threads).max(1);
    std::thread::scope(|scope| {
        let handles: Vec<_> = batch
            .chunks(chunk)
            .enumerate()
            .map(|(i, lines)| {
                scope.spawn(move || {
                    lines
                        .iter()
                        .enumerate()
                        .map(|(j, line)| {
                            render(tagger, options, line, first_line + i * chunk + j + 1)
                        })
                        .collect::<Vec<_>>()
                })
            })
            .collect();
        handles
            .into_iter()
            .flat_map(|h| h.join().expect("tagging never panics"))
            .collect()
    })
}

fn render(tagger: &Tagger, options: &TagOptions, line: &[u8], line_no: usize) -> (bool, Vec<u8>) {
    let error = |message: &str| {
        let body = serde_json::to_vec(&LineError {
            line: line_no,
            error: message,
        })
        .expect("plain data serializes");
        (false, body)
    };
    if line.iter().all(u8::is_ascii_whitespace) {
        return error("empty line: expected a ticket");
    }
    match serde_json::from_slice::<Ticket>(line) {
        Ok(ticket) => {
            let tagged = tagger.tag_with(&ticket, options);
            (
                true,
                serde_json::to_vec(&tagged).expect("plain data serializes"),
            )
        }
        Err(err) => error(&err.to_string()),
    }
}
