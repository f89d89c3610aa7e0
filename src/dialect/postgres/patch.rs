//! The SQL patch for psql.
use std::io::Write;

use crate::dialect::{PatchContext, PatchWriter};
use crate::error::Result;

/// Writes patches for `psql -X -v ON_ERROR_STOP=1 -f patch.sql`.
#[derive(Debug, Default, Clone, Copy)]
pub struct PostgresPatch;

impl PatchWriter for PostgresPatch {
    fn write(&self, _out: &mut dyn Write, _ctx: &PatchContext<'_>) -> Result<()> {
        todo!()
    }
}
