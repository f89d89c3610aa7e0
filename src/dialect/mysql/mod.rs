//! MySQL / MariaDB dumps (mysqldump, mariadb-dump): reader.

pub mod patch;

use std::io::Read;

use crate::dialect::{DialectKind, DumpReader, ScanResult, Segment};
use crate::error::{Error, Result};
use crate::row::RowSink;
use crate::scan::ByteStream;
use crate::schema::Schema;

/// Reads mysqldump / mariadb-dump output.
#[derive(Debug, Default)]
pub struct MysqlReader {}

impl MysqlReader {
    /// A fresh reader.
    pub fn new() -> MysqlReader {
        MysqlReader::default()
    }
}

impl DumpReader for MysqlReader {
    fn kind(&self) -> DialectKind {
        DialectKind::Mysql
    }

    fn scan(
        &mut self,
        _input: &mut ByteStream<&mut dyn Read>,
        _sink: &mut dyn RowSink,
    ) -> Result<ScanResult> {
        Err(Error::Usage("MySQL dumps are not supported yet".into()))
    }

    fn rescan(
        &self,
        _input: &mut ByteStream<&mut dyn Read>,
        _schema: &Schema,
        _segment: &Segment,
        _sink: &mut dyn RowSink,
    ) -> Result<()> {
        Err(Error::Usage("MySQL dumps are not supported yet".into()))
    }
}
