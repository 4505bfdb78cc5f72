//! Shared code of painpoint's fuzz targets.
//!
//! Every target skips inputs above [`checks::MAX_INPUT`] bytes (64 KiB), so
//! a libFuzzer timeout or slow unit means superlinear behaviour rather than
//! a big input.

pub mod checks;
