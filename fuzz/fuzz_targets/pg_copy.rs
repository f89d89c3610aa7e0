//! COPY fields and bytea decoding, with round trips. See `checks.rs`.
#![no_main]

#[path = "checks.rs"]
mod checks;

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| checks::check_pg_copy(data));
