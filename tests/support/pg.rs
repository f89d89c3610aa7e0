//! Throwaway PostgreSQL servers for tests (initdb + pg_ctl in a temp dir, unix socket only).
