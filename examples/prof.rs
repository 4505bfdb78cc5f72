use painpoint::{Product, Tagger, Ticket};
use std::time::Instant;
fn main() {
    let a: Vec<String> = std::env::args().collect();
    let product: Product = serde_json::from_str(&std::fs::read_to_string(&a[1]).unwrap()).unwrap();
    let tagger = Tagger::new(&product).unwrap();
    let tickets: Vec<Ticket> = std::fs::read_to_string(&a[2])
        .unwrap()
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    let reps: usize = a.get(3).map_or(30, |s| s.parse().unwrap());
    let t = Instant::now();
    let mut n = 0;
    for _ in 0..reps {
        for x in &tickets {
            n += tagger.tag(x).matches.len();
        }
    }
    eprintln!(
        "{:.0} tickets/s ({n}) memory {}",
        (reps * tickets.len()) as f64 / t.elapsed().as_secs_f64(),
        tagger.memory_usage()
    );
}
