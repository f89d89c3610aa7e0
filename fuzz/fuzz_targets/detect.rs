//! `dialect::detect` on arbitrary bytes. See `checks.rs`.
#![no_main]

#[path = "checks.rs"]
mod checks;

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| checks::check_detect(data));
