//! The PostgreSQL lexer (`statement_end`, `tokenize`) with the prefix oracle. See `checks.rs`.
#![no_main]

#[path = "checks.rs"]
mod checks;

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| checks::check_pg_lexer(data));
