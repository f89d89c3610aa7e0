//! PostgreSQL plain-format dumps (pg_dump, pg_dumpall): reader.

pub mod patch;
