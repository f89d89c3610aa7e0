//! The whole PostgreSQL reader on an in-memory dump, read whole and through one-byte refills,
//! then every segment re-read (forwards and backwards). See `checks.rs`.
#![no_main]

#[path = "checks.rs"]
mod checks;

use dbsalvage::dialect::postgres::PostgresReader;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| checks::every_path(&|split| Box::new(PostgresReader::with_split(split)), data));
