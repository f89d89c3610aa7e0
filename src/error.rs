//! The one error type of the library, and the exit codes it maps to.
//!
//! Errors caused by the dump carry the byte offset in the *decompressed* stream where the problem
//! lies; the line number is filled in afterwards by [`crate::extract`], which can re-read the input
//! (counting lines on the hot path would cost a second pass over every byte).

use std::fmt;
use std::path::PathBuf;

/// Convenience alias used throughout the crate.
pub type Result<T, E = Error> = std::result::Result<T, E>;

/// Where in the input something is: byte offset in the decompressed stream, and the 1-based line
/// once it has been resolved.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Position {
    /// Byte offset from the start of the (decompressed) dump.
    pub byte: u64,
    /// 1-based line number, 0 while unknown.
    pub line: u64,
}

impl Position {
    /// A position whose line is not known yet.
    pub fn at(byte: u64) -> Position {
        Position { byte, line: 0 }
    }
}

impl fmt::Display for Position {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.line > 0 {
            write!(f, "line {}, byte {}", self.line, self.byte)
        } else {
            write!(f, "byte {}", self.byte)
        }
    }
}

/// Everything that can go wrong.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum Error {
    /// The command line or configuration is wrong (bad `--since`, unknown zone, unknown table...).
    #[error("{0}")]
    Usage(String),

    /// The dump is malformed at `pos`.
    #[error("{input}: {what} ({pos})")]
    Syntax {
        /// Name of the input (file name or `<stdin>`).
        input: String,
        /// Where.
        pos: Position,
        /// What is wrong, one line.
        what: String,
    },

    /// The dump's content does not fit the schema it declares (wrong column count, bad value).
    #[error("{input}: {what} ({pos})")]
    Data {
        /// Name of the input.
        input: String,
        /// Where.
        pos: Position,
        /// What is wrong, one line.
        what: String,
    },

    /// A statement the schema depends on could not be understood.
    #[error("{input}: cannot parse statement `{head}`: {what} ({pos})")]
    Ddl {
        /// Name of the input.
        input: String,
        /// Where the statement starts.
        pos: Position,
        /// The first characters of the statement.
        head: String,
        /// The parser's message.
        what: String,
    },

    /// The dump as a whole is inconsistent (a foreign key to a table it lacks...).
    #[error("{0}")]
    Schema(String),

    /// Reading the input failed (including a broken gzip stream).
    #[error("{context}: {source}")]
    Io {
        /// What was being done, e.g. the path.
        context: String,
        /// The underlying error.
        #[source]
        source: std::io::Error,
    },

    /// Writing an output file failed.
    #[error("cannot write {}: {source}", path.display())]
    Output {
        /// The output path.
        path: PathBuf,
        /// The underlying error.
        #[source]
        source: std::io::Error,
    },
}

impl Error {
    /// The process exit code for this error: 2 for bad input or usage, 1 for I/O failures.
    pub fn exit_code(&self) -> u8 {
        match self {
            Error::Io { .. } | Error::Output { .. } => 1,
            _ => 2,
        }
    }

    /// The input position this error refers to, if any.
    pub fn position_mut(&mut self) -> Option<&mut Position> {
        match self {
            Error::Syntax { pos, .. } | Error::Data { pos, .. } | Error::Ddl { pos, .. } => {
                Some(pos)
            }
            _ => None,
        }
    }

    /// Shorthand for a syntax error at a byte offset.
    pub fn syntax(byte: u64, what: impl Into<String>) -> Error {
        Error::Syntax {
            input: String::new(),
            pos: Position::at(byte),
            what: what.into(),
        }
    }

    /// Shorthand for a data error at a byte offset.
    pub fn data(byte: u64, what: impl Into<String>) -> Error {
        Error::Data {
            input: String::new(),
            pos: Position::at(byte),
            what: what.into(),
        }
    }

    /// Shorthand for an I/O error while reading the input.
    pub fn io(context: impl Into<String>, source: std::io::Error) -> Error {
        Error::Io {
            context: context.into(),
            source,
        }
    }

    /// Sets the input name on positioned errors (the scanners do not know it).
    pub fn with_input(mut self, name: &str) -> Error {
        match &mut self {
            Error::Syntax { input, .. } | Error::Data { input, .. } | Error::Ddl { input, .. }
                if input.is_empty() =>
            {
                *input = name.to_string();
            }
            _ => {}
        }
        self
    }
}

/// Shows at most `max` bytes of `bytes` on one line, control characters escaped, for messages.
pub fn excerpt(bytes: &[u8], max: usize) -> String {
    let mut out = String::new();
    let cut = bytes.len() > max;
    let shown = &bytes[..bytes.len().min(max)];
    for chunk in shown.utf8_chunks() {
        for c in chunk.valid().chars() {
            if c.is_control() {
                out.extend(c.escape_default());
            } else {
                out.push(c);
            }
        }
        for b in chunk.invalid() {
            out.push_str(&format!("\\x{b:02x}"));
        }
    }
    if cut {
        out.push('…');
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn excerpt_escapes_controls_and_invalid_bytes() {
        assert_eq!(excerpt(b"a\tb\n\xff", 10), "a\\tb\\n\\xff");
        assert_eq!(excerpt(b"abcdef", 3), "abc…");
    }

    #[test]
    fn exit_codes() {
        assert_eq!(Error::Usage("x".into()).exit_code(), 2);
        assert_eq!(Error::syntax(3, "x").exit_code(), 2);
        assert_eq!(Error::io("x", std::io::Error::other("boom")).exit_code(), 1);
    }

    #[test]
    fn display_names_input_and_position() {
        let mut e = Error::syntax(42, "unterminated string").with_input("dump.sql");
        e.position_mut().unwrap().line = 7;
        assert_eq!(
            e.to_string(),
            "dump.sql: unterminated string (line 7, byte 42)"
        );
    }
}
