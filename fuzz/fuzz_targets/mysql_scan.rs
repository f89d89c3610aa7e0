//! The whole MySQL reader on an in-memory dump, read whole and through one-byte refills, then
//! every segment re-read. See `checks.rs`.
#![no_main]

#[path = "checks.rs"]
mod checks;

use dbsalvage::dialect::mysql::MysqlReader;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| checks::every_path(&|split| Box::new(MysqlReader::with_split(split)), data));
