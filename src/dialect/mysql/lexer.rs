//! The lexical layer of MySQL dumps: where a statement ends, what is a comment, and a small
//! tokenizer for the statements whose head we need (INSERT, SET, USE, CREATE ...).
//!
//! Everything works on byte slices of the [`crate::scan::ByteStream`] window and never copies
//! the text it skips. Functions that may run into the end of the window return
//! [`Lex::More`]: the caller fills the window and asks again from the same start (the window at
//! least doubles on every fill, so this stays linear).
//!
//! The rules (MySQL server lexer and the `mysql` client, which is what replays dumps):
//! - `'…'` and `"…"` strings: backslash escapes and doubled quotes;
//! - `` `…` `` identifiers: doubled backticks, no backslash escapes;
//! - `/* … */` comments (not nested); `/*!NNNNN … */` and `/*M!NNNNNN … */` are **code**: the
//!   opener and the closer are dropped, the text between them is read like any other;
//! - `# …` to the end of the line; `-- ` likewise, but only when the dashes are followed by
//!   whitespace or a control character (`--x` is minus minus x);
//! - the statement terminator is `;` unless a `DELIMITER` line changed it.

use std::borrow::Cow;

/// The outcome of a look at the window.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Lex<T> {
    /// Found.
    Done(T),
    /// The window ends before the answer is known: fill it and ask again.
    More,
}

/// A lexical error at a position relative to the slice that was looked at.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LexError {
    /// Offset in the slice.
    pub at: usize,
    /// One line saying what is wrong.
    pub what: String,
}

/// Result of a lexical step.
pub type LexResult<T> = Result<Lex<T>, LexError>;

fn err<T>(at: usize, what: impl Into<String>) -> Result<T, LexError> {
    Err(LexError {
        at,
        what: what.into(),
    })
}

/// Is this an identifier/keyword byte (ASCII letters, digits, `_`, `$`, and any byte of a
/// multi-byte character)?
#[inline]
pub fn is_word_byte(b: u8) -> bool {
    b.is_ascii_alphanumeric() || b == b'_' || b == b'$' || b >= 0x80
}

/// Whitespace between tokens (the server also treats other control characters as space).
#[inline]
pub fn is_space(b: u8) -> bool {
    matches!(b, b' ' | b'\t' | b'\n' | b'\r' | 0x0b | 0x0c)
}

/// What `--` must be followed by to start a comment: whitespace or a control character.
#[inline]
fn dash_comment_follower(b: u8) -> bool {
    b <= b' ' || b == 0x7f
}

/// Skips a quoted string or identifier whose opening quote is at `start`. Returns the offset just
/// past the closing quote, and whether the body holds an escape or a doubled quote.
pub fn skip_quoted(buf: &[u8], start: usize, eof: bool) -> LexResult<(usize, bool)> {
    let Some(&quote) = buf.get(start) else {
        return Ok(Lex::More);
    };
    let mut i = start + 1;
    let mut escaped = false;
    let backslash = if quote == b'`' { quote } else { b'\\' };
    loop {
        let Some(k) = find2(buf, i, quote, backslash) else {
            return unterminated(buf, start, eof);
        };
        i = k;
        if buf[i] == b'\\' && quote != b'`' {
            if i + 1 >= buf.len() {
                return unterminated(buf, start, eof);
            }
            escaped = true;
            i += 2;
            continue;
        }
        // A quote: closing, or the first of a doubled pair.
        match buf.get(i + 1) {
            Some(&next) if next == quote => {
                escaped = true;
                i += 2;
            }
            Some(_) => return Ok(Lex::Done((i + 1, escaped))),
            None if eof => return Ok(Lex::Done((i + 1, escaped))),
            None => return Ok(Lex::More),
        }
    }
}

/// The first `a` or `b` in `buf[from..]`, as an absolute offset. Most strings of a dump are
/// short: eight bytes at a time (SWAR) finds their end before a `memchr2` call would have set
/// up; longer ones go to `memchr2`.
#[inline]
pub fn find2(buf: &[u8], from: usize, a: u8, b: u8) -> Option<usize> {
    const ONES: u64 = 0x0101_0101_0101_0101;
    const HIGHS: u64 = 0x8080_8080_8080_8080;
    let rest = buf.get(from..)?;
    let (pa, pb) = (ONES * u64::from(a), ONES * u64::from(b));
    let mut at = 0;
    while at < 32 {
        let Some(chunk) = rest.get(at..at + 8) else {
            break;
        };
        let mut word = [0u8; 8];
        word.copy_from_slice(chunk);
        let x = u64::from_le_bytes(word);
        let (xa, xb) = (x ^ pa, x ^ pb);
        // A zero byte in xa or xb marks a hit; the lowest flagged byte is exact.
        let hits = (xa.wrapping_sub(ONES) & !xa | xb.wrapping_sub(ONES) & !xb) & HIGHS;
        if hits != 0 {
            return Some(from + at + (hits.trailing_zeros() / 8) as usize);
        }
        at += 8;
    }
    memchr::memchr2(a, b, &rest[at..]).map(|k| from + at + k)
}

fn unterminated<T>(buf: &[u8], start: usize, eof: bool) -> LexResult<T> {
    if !eof {
        return Ok(Lex::More);
    }
    let what = match buf.get(start) {
        Some(b'`') => "identifier",
        _ => "string",
    };
    err(start, format!("unterminated {what}"))
}

/// Is `buf[i..]` an executable comment opener (`/*!`, `/*M!`)? Returns its length including the
/// version digits, or `None`. `More` when the window ends inside the opener.
fn exec_opener(buf: &[u8], i: usize, eof: bool) -> Lex<Option<usize>> {
    let rest = buf.get(i..).unwrap_or_default();
    let head = if rest.starts_with(b"/*!") {
        3
    } else if rest.starts_with(b"/*M!") {
        4
    } else if rest.len() < 4 && !eof && b"/*M!".starts_with(rest) {
        return Lex::More;
    } else {
        return Lex::Done(None);
    };
    let digits = rest[head..]
        .iter()
        .take_while(|b| b.is_ascii_digit())
        .count();
    if head + digits == rest.len() && !eof {
        return Lex::More;
    }
    Lex::Done(Some(head + digits))
}

/// Skips one comment starting at `i` if there is one: `/* */` (not executable), `# …`,
/// `-- …`. Returns the offset after it, `None` when there is no comment at `i`.
fn skip_comment(buf: &[u8], i: usize, eof: bool) -> LexResult<Option<usize>> {
    let rest = buf.get(i..).unwrap_or_default();
    let to_line_end = || match line_end(buf, i, eof) {
        Lex::Done(e) => Ok(Lex::Done(Some(e))),
        Lex::More => Ok(Lex::More),
    };
    match rest {
        [b'#', ..] => to_line_end(),
        [b'-', b'-', c, ..] if dash_comment_follower(*c) => to_line_end(),
        [b'-'] | [b'-', b'-'] if !eof => Ok(Lex::More),
        [b'-', b'-'] => Ok(Lex::Done(Some(buf.len()))),
        [b'/', b'*', ..] => match exec_opener(buf, i, eof) {
            Lex::More => Ok(Lex::More),
            Lex::Done(Some(_)) => Ok(Lex::Done(None)),
            Lex::Done(None) => match memchr::memmem::find(&rest[2..], b"*/") {
                Some(k) => Ok(Lex::Done(Some(i + 2 + k + 2))),
                None if eof => err(i, "unterminated comment"),
                None => Ok(Lex::More),
            },
        },
        [b'/'] if !eof => Ok(Lex::More),
        _ => Ok(Lex::Done(None)),
    }
}

/// Offset just past the end of the line containing `i` (past its `\n`), or the end of the
/// buffer at end of input.
fn line_end(buf: &[u8], i: usize, eof: bool) -> Lex<usize> {
    match memchr::memchr(b'\n', buf.get(i..).unwrap_or_default()) {
        Some(k) => Lex::Done(i + k + 1),
        None if eof => Lex::Done(buf.len()),
        None => Lex::More,
    }
}

/// Skips whitespace and comments *between statements*. Executable comments are not skipped
/// (they are statements), except the MariaDB sandbox line `/*M!999999\- enable the sandbox
/// mode */`, which is a client command, not SQL. Calls `on_comment` with every `--`/`#` comment
/// line (for the header and the end marker). Returns the offset of the next statement, or of
/// the end of the buffer at end of input.
pub fn skip_between_statements(
    buf: &[u8],
    eof: bool,
    on_comment: &mut dyn FnMut(&[u8]),
) -> LexResult<usize> {
    let mut i = 0;
    loop {
        while i < buf.len() && is_space(buf[i]) {
            i += 1;
        }
        if i >= buf.len() {
            return Ok(if eof { Lex::Done(i) } else { Lex::More });
        }
        let rest = &buf[i..];
        const SANDBOX: [&[u8]; 2] = [b"/*M!999999\\-", b"/*!999999\\-"];
        // The window may end inside the opener: decide only once it is whole.
        if !eof
            && SANDBOX
                .iter()
                .any(|s| rest.len() < s.len() && s.starts_with(rest))
        {
            return Ok(Lex::More);
        }
        if SANDBOX.iter().any(|s| rest.starts_with(s)) {
            match memchr::memmem::find(rest, b"*/") {
                Some(k) => {
                    i += k + 2;
                    continue;
                }
                None if eof => return err(i, "unterminated comment"),
                None => return Ok(Lex::More),
            }
        }
        match skip_comment(buf, i, eof)? {
            Lex::More => return Ok(Lex::More),
            Lex::Done(None) => return Ok(Lex::Done(i)),
            Lex::Done(Some(end)) => {
                if matches!(buf[i], b'#' | b'-') {
                    on_comment(&buf[i..end]);
                }
                i = end;
            }
        }
    }
}

/// Skips whitespace, comments and executable-comment markers *inside* a statement (between
/// tokens of an INSERT). `exec` counts the executable comments currently open: their `*/` is
/// skipped too. Returns the offset of the next token (or the end of the buffer at end of input).
#[inline]
pub fn skip_inside(buf: &[u8], i: usize, exec: &mut u32, eof: bool) -> LexResult<usize> {
    // Fast path: the next byte starts a token (rows of a dump have no space between values).
    match buf.get(i) {
        Some(&b) if !(is_space(b) || matches!(b, b'/' | b'#' | b'-' | b'*')) => Ok(Lex::Done(i)),
        Some(b'-') if !matches!(buf.get(i + 1), Some(b'-') | None) => Ok(Lex::Done(i)),
        _ => skip_inside_slow(buf, i, exec, eof),
    }
}

fn skip_inside_slow(buf: &[u8], mut i: usize, exec: &mut u32, eof: bool) -> LexResult<usize> {
    loop {
        while i < buf.len() && is_space(buf[i]) {
            i += 1;
        }
        let Some(&b) = buf.get(i) else {
            return Ok(if eof { Lex::Done(i) } else { Lex::More });
        };
        match b {
            b'*' if *exec > 0 => match buf.get(i + 1) {
                Some(b'/') => {
                    *exec -= 1;
                    i += 2;
                }
                None if !eof => return Ok(Lex::More),
                _ => return Ok(Lex::Done(i)),
            },
            b'/' | b'#' | b'-' => {
                if b == b'/' {
                    match exec_opener(buf, i, eof) {
                        Lex::More => return Ok(Lex::More),
                        Lex::Done(Some(len)) => {
                            *exec += 1;
                            i += len;
                            continue;
                        }
                        Lex::Done(None) => {}
                    }
                }
                match skip_comment(buf, i, eof)? {
                    Lex::More => return Ok(Lex::More),
                    Lex::Done(None) => return Ok(Lex::Done(i)),
                    Lex::Done(Some(end)) => i = end,
                }
            }
            _ => return Ok(Lex::Done(i)),
        }
    }
}

/// Where the statement starting at `buf[0]` ends: `(body_end, next)` where `body_end` is the
/// offset of the terminator and `next` the offset after it. At end of input a statement without
/// terminator ends at the end of the buffer (the client runs it too); an unterminated string or
/// comment is an error.
pub fn statement_end(buf: &[u8], delim: &[u8], eof: bool) -> LexResult<(usize, usize)> {
    let Some(&d0) = delim.first() else {
        return err(0, "empty delimiter");
    };
    let mut special = [false; 256];
    for b in [b'\'', b'"', b'`', b'/', b'*', b'#', b'-', d0] {
        special[usize::from(b)] = true;
    }
    let mut exec = 0u32;
    let mut i = 0;
    while i < buf.len() {
        while i < buf.len() && !special[usize::from(buf[i])] {
            i += 1;
        }
        let Some(&b) = buf.get(i) else { break };
        if b == d0 && exec == 0 {
            let rest = &buf[i..];
            if rest.starts_with(delim) {
                return Ok(Lex::Done((i, i + delim.len())));
            }
            if rest.len() < delim.len() && delim.starts_with(rest) && !eof {
                return Ok(Lex::More);
            }
        }
        match b {
            b'\'' | b'"' | b'`' => match skip_quoted(buf, i, eof)? {
                Lex::Done((end, _)) => i = end,
                Lex::More => return Ok(Lex::More),
            },
            b'*' if exec > 0 => match buf.get(i + 1) {
                Some(b'/') => {
                    exec -= 1;
                    i += 2;
                }
                None if !eof => return Ok(Lex::More),
                _ => i += 1,
            },
            b'/' => match exec_opener(buf, i, eof) {
                Lex::More => return Ok(Lex::More),
                Lex::Done(Some(len)) => {
                    exec += 1;
                    i += len;
                }
                Lex::Done(None) => match skip_comment(buf, i, eof)? {
                    Lex::More => return Ok(Lex::More),
                    Lex::Done(Some(end)) => i = end,
                    Lex::Done(None) => i += 1,
                },
            },
            b'#' | b'-' => match skip_comment(buf, i, eof)? {
                Lex::More => return Ok(Lex::More),
                Lex::Done(Some(end)) => i = end,
                Lex::Done(None) => i += 1,
            },
            _ => i += 1,
        }
    }
    if eof {
        Ok(Lex::Done((buf.len(), buf.len())))
    } else {
        Ok(Lex::More)
    }
}

/// A complete statement with comments removed and executable comments unwrapped (each replaced
/// by a space), strings and quoted identifiers kept verbatim: the text a server would parse.
///
/// # Errors
/// An unterminated string or comment (cannot happen for a slice `statement_end` delimited).
pub fn normalize(stmt: &[u8]) -> Result<Vec<u8>, LexError> {
    let mut out = Vec::with_capacity(stmt.len());
    let mut exec = 0u32;
    let mut i = 0;
    while i < stmt.len() {
        let b = stmt[i];
        match b {
            b'\'' | b'"' | b'`' => match skip_quoted(stmt, i, true)? {
                Lex::Done((end, _)) => {
                    out.extend_from_slice(&stmt[i..end]);
                    i = end;
                }
                Lex::More => return err(i, "unterminated string"),
            },
            b'*' if exec > 0 && stmt.get(i + 1) == Some(&b'/') => {
                exec -= 1;
                out.push(b' ');
                i += 2;
            }
            b'/' | b'#' | b'-' => {
                if let Lex::Done(Some(len)) = exec_opener(stmt, i, true) {
                    exec += 1;
                    out.push(b' ');
                    i += len;
                    continue;
                }
                match skip_comment(stmt, i, true)? {
                    Lex::Done(Some(end)) => {
                        out.push(b' ');
                        i = end;
                    }
                    _ => {
                        out.push(b);
                        i += 1;
                    }
                }
            }
            _ => {
                out.push(b);
                i += 1;
            }
        }
    }
    Ok(out)
}

/// A token of a statement head.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Tok<'a> {
    /// A keyword, unquoted identifier or number.
    Word(&'a [u8]),
    /// A quoted string or identifier: the quote and the body, still escaped.
    Quoted(u8, &'a [u8]),
    /// Any other single byte (`(`, `,`, `.`, `=`, `@`...).
    Punct(u8),
}

impl Tok<'_> {
    /// Is this the keyword `kw` (case-insensitive)?
    pub fn is(&self, kw: &str) -> bool {
        matches!(self, Tok::Word(w) if w.eq_ignore_ascii_case(kw.as_bytes()))
    }

    /// The name this token stands for, if it is a (possibly quoted) identifier: backticks and
    /// double quotes unquoted.
    pub fn ident(&self) -> Option<Cow<'_, [u8]>> {
        match self {
            Tok::Word(w) => Some(Cow::Borrowed(w)),
            Tok::Quoted(q @ (b'`' | b'"'), body) => Some(undouble(body, *q)),
            _ => None,
        }
    }
}

/// A body with doubled quotes collapsed (identifiers).
pub fn undouble(body: &[u8], quote: u8) -> Cow<'_, [u8]> {
    if memchr::memchr(quote, body).is_none() {
        return Cow::Borrowed(body);
    }
    let mut out = Vec::with_capacity(body.len());
    let mut i = 0;
    while i < body.len() {
        out.push(body[i]);
        if body[i] == quote && body.get(i + 1) == Some(&quote) {
            i += 1;
        }
        i += 1;
    }
    Cow::Owned(out)
}

/// Tokens of a statement, skipping whitespace, comments and executable-comment markers.
pub struct Tokens<'a> {
    buf: &'a [u8],
    pos: usize,
    exec: u32,
    eof: bool,
}

impl<'a> Tokens<'a> {
    /// Tokens of `buf` from `pos`; `eof` says whether the buffer holds everything there is.
    pub fn new(buf: &'a [u8], pos: usize, eof: bool) -> Tokens<'a> {
        Tokens {
            buf,
            pos,
            exec: 0,
            eof,
        }
    }

    /// Offset of the next unread byte.
    pub fn pos(&self) -> usize {
        self.pos
    }

    /// Executable comments open at [`Tokens::pos`].
    pub fn exec(&self) -> u32 {
        self.exec
    }

    /// The next token, `None` at the end of the buffer.
    ///
    /// # Errors
    /// Unterminated strings and comments.
    pub fn next_tok(&mut self) -> LexResult<Option<(usize, Tok<'a>)>> {
        let buf = self.buf;
        let i = match skip_inside(buf, self.pos, &mut self.exec, self.eof)? {
            Lex::Done(i) => i,
            Lex::More => return Ok(Lex::More),
        };
        let Some(&b) = buf.get(i) else {
            self.pos = i;
            return Ok(Lex::Done(None));
        };
        let tok = match b {
            b'\'' | b'"' | b'`' => match skip_quoted(buf, i, self.eof)? {
                Lex::Done((end, _)) => {
                    self.pos = end;
                    Tok::Quoted(b, &buf[i + 1..end - 1])
                }
                Lex::More => return Ok(Lex::More),
            },
            _ if is_word_byte(b) => {
                let n = buf[i..].iter().take_while(|&&c| is_word_byte(c)).count();
                if i + n == buf.len() && !self.eof {
                    return Ok(Lex::More);
                }
                self.pos = i + n;
                Tok::Word(&buf[i..i + n])
            }
            _ => {
                self.pos = i + 1;
                Tok::Punct(b)
            }
        };
        Ok(Lex::Done(Some((i, tok))))
    }

    /// All remaining tokens of a complete statement.
    ///
    /// # Errors
    /// As [`Tokens::next_tok`].
    pub fn collect_all(mut self) -> Result<Vec<Tok<'a>>, LexError> {
        let mut out = Vec::new();
        loop {
            match self.next_tok()? {
                Lex::Done(Some((_, t))) => out.push(t),
                Lex::Done(None) | Lex::More => return Ok(out),
            }
        }
    }
}

/// The value of a `'…'`/`"…"` string body: backslash escapes and doubled quotes decoded as the
/// server does (`\%` and `\_` keep their backslash; `\x` for any other x is x).
pub fn unescape_into(body: &[u8], quote: u8, out: &mut Vec<u8>) {
    let mut i = 0;
    while i < body.len() {
        let Some(k) = memchr::memchr2(b'\\', quote, &body[i..]) else {
            out.extend_from_slice(&body[i..]);
            return;
        };
        out.extend_from_slice(&body[i..i + k]);
        i += k;
        let Some(&next) = body.get(i + 1) else {
            // A lone trailing backslash cannot occur in a scanned string; keep it.
            out.push(body[i]);
            return;
        };
        if body[i] == quote {
            // Doubled quote (a lone one cannot occur inside a scanned body).
            out.push(quote);
            i += if next == quote { 2 } else { 1 };
            continue;
        }
        match next {
            b'0' => out.push(0),
            b'b' => out.push(0x08),
            b'n' => out.push(b'\n'),
            b'r' => out.push(b'\r'),
            b't' => out.push(b'\t'),
            b'Z' => out.push(0x1a),
            b'%' | b'_' => out.extend_from_slice(&[b'\\', next]),
            other => out.push(other),
        }
        i += 2;
    }
}

/// A string body decoded (borrowed when it holds no escape).
pub fn unescape(body: &[u8], quote: u8) -> Cow<'_, [u8]> {
    if memchr::memchr2(b'\\', quote, body).is_none() {
        return Cow::Borrowed(body);
    }
    let mut out = Vec::with_capacity(body.len());
    unescape_into(body, quote, &mut out);
    Cow::Owned(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn end(s: &str, delim: &str) -> Option<usize> {
        match statement_end(s.as_bytes(), delim.as_bytes(), false).unwrap() {
            Lex::Done((body, _)) => Some(body),
            Lex::More => None,
        }
    }

    #[test]
    fn statement_end_respects_quotes_comments_and_exec_comments() {
        let cases: &[(&str, &str, Option<usize>)] = &[
            ("SELECT 1; x", ";", Some(8)),
            (
                r#"SELECT 'O\'Brien \"quoted\" ; -- dash /* not */ #hash'; x"#,
                ";",
                Some(54),
            ),
            ("SELECT 'it''s;'; x", ";", Some(15)),
            ("SELECT \"a;\"\"b\"; x", ";", Some(14)),
            ("SELECT `we;ird``;col`; x", ";", Some(21)),
            ("SELECT 1 -- c;\n; x", ";", Some(15)),
            ("SELECT 1 --x;\n x", ";", Some(12)),
            ("SELECT 1 # c;\n; x", ";", Some(14)),
            ("SELECT /* ; */ 1; x", ";", Some(16)),
            ("/*!40101 SET NAMES utf8mb4 */; x", ";", Some(29)),
            (
                "/*!50003 TRIGGER t BEGIN SET x=1; END */;; x",
                ";;",
                Some(40),
            ),
            (
                "CREATE PROCEDURE p() BEGIN SELECT 1; END;; x",
                ";;",
                Some(40),
            ),
            ("SELECT 'unterminated;", ";", None),
            ("SELECT 1", ";", None),
            ("SELECT 1;", ";;", None),
            ("SELECT 1 /* open", ";", None),
        ];
        for (i, (input, delim, want)) in cases.iter().enumerate() {
            assert_eq!(end(input, delim), *want, "case {i}: {input}");
        }
    }

    #[test]
    fn statement_end_at_eof() {
        assert_eq!(
            statement_end(b"SELECT 1", b";", true).unwrap(),
            Lex::Done((8, 8))
        );
        let e = statement_end(b"SELECT 'abc", b";", true).unwrap_err();
        assert_eq!(e.at, 7);
        assert!(e.what.contains("unterminated string"));
        let e = statement_end(b"SELECT /* abc", b";", true).unwrap_err();
        assert_eq!(e.at, 7);
    }

    #[test]
    fn normalize_unwraps_executable_comments_and_drops_comments() {
        let n = normalize(
            b"/*!50003 CREATE*/ /*!50017 DEFINER=`root`@`localhost`*/ /*M!100100 TRIGGER */ t -- c\n # h\n /* x */ 'a*/b'",
        )
        .unwrap();
        assert_eq!(
            String::from_utf8(n).unwrap(),
            "  CREATE    DEFINER=`root`@`localhost`    TRIGGER   t       'a*/b'"
        );
    }

    #[test]
    fn between_statements_reports_comment_lines_and_skips_sandbox() {
        let mut seen = Vec::new();
        let buf = b"/*M!999999\\- enable the sandbox mode */ \n-- MariaDB dump 10.19\n# x\n\n/*!40101 SET NAMES utf8 */;";
        let at = skip_between_statements(buf, false, &mut |c| seen.push(c.to_vec())).unwrap();
        assert_eq!(at, Lex::Done(68));
        assert_eq!(
            seen,
            vec![b"-- MariaDB dump 10.19\n".to_vec(), b"# x\n".to_vec()]
        );
        // A comment line cut by the window end asks for more.
        assert_eq!(
            skip_between_statements(b"-- partial", false, &mut |_| {}).unwrap(),
            Lex::More
        );
        assert_eq!(
            skip_between_statements(b"-- partial", true, &mut |_| {}).unwrap(),
            Lex::Done(10)
        );
    }

    #[test]
    fn tokens_of_an_insert_head() {
        let toks = Tokens::new(
            b"INSERT /*!99999 IGNORE */ INTO `db`.`we``ird` (`a`, b) VALUES",
            0,
            true,
        )
        .collect_all()
        .unwrap();
        let idents: Vec<String> = toks
            .iter()
            .map(|t| match t.ident() {
                Some(i) => String::from_utf8(i.into_owned()).unwrap(),
                None => format!("{t:?}"),
            })
            .collect();
        assert_eq!(
            idents,
            [
                "INSERT",
                "IGNORE",
                "INTO",
                "db",
                "Punct(46)",
                "we`ird",
                "Punct(40)",
                "a",
                "Punct(44)",
                "b",
                "Punct(41)",
                "VALUES"
            ]
        );
    }

    #[test]
    fn find2_agrees_with_a_plain_search() {
        let text: Vec<u8> = (0..200u32).map(|i| (i * 37 % 251) as u8).collect();
        for from in 0..text.len() {
            for (a, b) in [(b'\'', b'\\'), (0, 0xff), (0x80, 0x7f), (text[from], 1)] {
                let want = text[from..]
                    .iter()
                    .position(|&c| c == a || c == b)
                    .map(|k| k + from);
                assert_eq!(find2(&text, from, a, b), want, "from {from}, {a} {b}");
            }
        }
    }

    #[test]
    fn every_escape() {
        let cases: &[(&[u8], u8, &[u8])] = &[
            (br#"\0\'\"\b\n\r\t\Z\\"#, b'\'', b"\0'\"\x08\n\r\t\x1a\\"),
            (br"\%\_\x\q", b'\'', br"\%\_xq"),
            (b"it''s", b'\'', b"it's"),
            (b"say \"\"hi\"\"", b'"', b"say \"hi\""),
            (b"a\"\"b", b'\'', b"a\"\"b"),
            (b"plain", b'\'', b"plain"),
        ];
        for (body, q, want) in cases {
            assert_eq!(
                &*unescape(body, *q),
                *want,
                "{}",
                String::from_utf8_lossy(body)
            );
        }
    }
}
