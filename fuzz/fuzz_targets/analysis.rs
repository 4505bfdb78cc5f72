//! Any text -> words() and the Analyzer of every language: spans increasing,
//! non-empty, on char boundaries, equal to unicode-segmentation's.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    if let Ok(text) = std::str::from_utf8(data) {
        painpoint_fuzz::checks::analysis(text);
    }
});
