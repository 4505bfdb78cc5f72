//! Any text -> Timestamp; whatever parses round-trips. Any i64 -> Display
//! and serde round-trip.
#![no_main]

use libfuzzer_sys::fuzz_target;
use painpoint::Timestamp;

fuzz_target!(|data: &[u8]| {
    if data.len() >= 8 {
        let seconds = i64::from_le_bytes(data[..8].try_into().unwrap());
        painpoint_fuzz::checks::round_trip(Timestamp::from_unix(seconds));
    }
    if let Ok(text) = std::str::from_utf8(data) {
        painpoint_fuzz::checks::timestamp(text);
    }
});
