//! dbsalvage rescues the rows created since a point in time from a database dump.
//!
//! The pipeline, one way:
//!
//! 1. [`input`] opens the dump (file, stdin, gzip by magic bytes) and keeps it re-readable
//!    (stdin and gzip are spooled to a temporary file while they are read);
//! 2. a dialect [`dialect::DumpReader`] splits it into statements, COPY blocks and INSERT
//!    tuples ([`scan`] owns the buffer), learns the [`schema`] from the DDL, and hands rows to a
//!    [`row::RowSink`];
//! 3. [`select`] picks the roots (created after `--since`) on that first read, then re-reads the
//!    tables that can hold their descendants and ancestors until the closure is complete;
//! 4. [`emit`] writes the JSON review file, and the dialect's [`dialect::PatchWriter`] the SQL
//!    patch, both from the same ordered [`select::Selection`].
//!
//! [`extract::run`] ties the stages together; `main.rs` only parses the command line.

#![forbid(unsafe_code)]
#![warn(missing_docs)]

pub mod cli;
pub mod dialect;
pub mod emit;
pub mod error;
pub mod extract;
pub mod helper;
pub mod input;
pub mod inspect;
pub mod pagecache;
pub mod progress;
pub mod replay;
pub mod row;
pub mod scan;
pub mod schema;
pub mod select;
pub mod time;
pub mod tuning;

pub use error::{Error, Result};
