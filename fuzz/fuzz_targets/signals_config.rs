//! Any bytes as a signals configuration (JSON), with invariant checks (see
//! `checks::signals_config`): never panic; a configuration that
//! deserializes serializes back to an equal one and compiles or is an error
//! naming its path; compiled, it reads its own phrases within the
//! invariants of `signals`. Inputs over 64 KiB are skipped.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    painpoint_fuzz::checks::signals_config(data);
});
