//! Signals on arbitrary text (subject, a newline, then the body), with
//! invariant checks (see `checks::signals`): never panic; scores in range;
//! evidence spans on char boundaries inside their field; deterministic.
//! Inputs over 64 KiB are skipped.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    if let Ok(all) = std::str::from_utf8(data) {
        painpoint_fuzz::checks::signals(all);
    }
});
