//! Bytes -> serde_json -> Product (validated) -> Tagger -> tag. No panics.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| painpoint_fuzz::checks::product_json(data));
