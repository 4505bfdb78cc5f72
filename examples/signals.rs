//! Reads tickets, one a line on stdin, and prints their customer signals
//! (needs, kind, sentiment with evidence) as JSON lines.
//!
//! ```text
//! echo "Way too expensive, and nobody answered for three days" | cargo run --example signals
//! ```

use std::io::BufRead;

use painpoint::Signals;

fn main() {
    let signals = Signals::english();
    for line in std::io::stdin().lock().lines() {
        let Ok(line) = line else { break };
        if line.trim().is_empty() {
            continue;
        }
        let reading = signals.read(None, &line);
        let json = serde_json::to_string(&reading).expect("a reading serializes");
        println!("{json}");
    }
}
