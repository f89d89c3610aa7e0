//! The SQL patch for the mysql / mariadb client.

use std::io::Write;

use crate::dialect::{PatchContext, PatchWriter};
use crate::error::{Error, Result};

/// Writes patches for `mysql DB < patch.sql`.
#[derive(Debug, Default, Clone, Copy)]
pub struct MysqlPatch;

impl PatchWriter for MysqlPatch {
    fn write(&self, _out: &mut dyn Write, _ctx: &PatchContext<'_>) -> Result<()> {
        Err(Error::Usage("MySQL patches are not supported yet".into()))
    }
}
