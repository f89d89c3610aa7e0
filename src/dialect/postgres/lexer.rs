//! PostgreSQL lexical rules: where a statement ends, and a small tokenizer for the statements we
//! read by hand.
//!
//! A statement ends at a `;` outside `'…'` (with `''` doubling; backslash escapes only in `E'…'`
//! or with `standard_conforming_strings = off`), `"…"` identifiers, `$tag$…$tag$` bodies, `--`
//! line comments and nested `/* */` comments, and — in `CREATE FUNCTION … BEGIN ATOMIC … END`
//! bodies — outside the BEGIN/END nesting, as psql itself decides. Pure functions over byte
//! slices: the caller owns the buffer and calls again with more bytes when told `Incomplete`.

/// Outcome of looking for the end of a statement in a buffer.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum StatementEnd {
    /// The terminating `;` is at this index.
    At(usize),
    /// The buffer ends before the statement does; `open` says what is still open and where it
    /// started (index in the buffer), for the error if the input ends here.
    Incomplete {
        /// What is unterminated.
        open: Open,
        /// Where it started.
        since: usize,
    },
}

/// What a statement cut off by the end of the input was in the middle of.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Open {
    /// Plain statement text.
    Statement,
    /// A `'…'` string.
    String,
    /// A `"…"` identifier.
    Identifier,
    /// A `$tag$…$tag$` body.
    DollarQuote,
    /// A `/* … */` comment.
    Comment,
}

impl Open {
    /// For messages.
    pub fn describe(self) -> &'static str {
        match self {
            Open::Statement => "statement without a terminating `;`",
            Open::String => "unterminated string literal",
            Open::Identifier => "unterminated quoted identifier",
            Open::DollarQuote => "unterminated dollar-quoted string",
            Open::Comment => "unterminated /* comment */",
        }
    }
}

#[inline]
fn is_ident_start(b: u8) -> bool {
    b.is_ascii_alphabetic() || b == b'_' || b >= 0x80
}

#[inline]
fn is_ident_char(b: u8) -> bool {
    is_ident_start(b) || b.is_ascii_digit() || b == b'$'
}

/// Finds the `;` ending the statement that starts at `buf[0]`.
pub fn statement_end(buf: &[u8], standard_strings: bool) -> StatementEnd {
    let atomic_bodies = starts_function_definition(buf);
    let mut depth = 0usize; // BEGIN ATOMIC nesting
    let mut i = 0;
    let n = buf.len();
    while i < n {
        let b = buf[i];
        match b {
            b';' if depth == 0 => return StatementEnd::At(i),
            b'\'' => {
                let escapes = !standard_strings
                    || (i > 0
                        && matches!(buf[i - 1], b'E' | b'e')
                        && (i < 2 || !is_ident_char(buf[i - 2])));
                match skip_string(buf, i, escapes, false) {
                    Some(end) => i = end,
                    None => return incomplete(Open::String, i),
                }
                continue;
            }
            b'"' => match skip_quoted(buf, i, b'"', false) {
                Some(end) => {
                    i = end;
                    continue;
                }
                None => return incomplete(Open::Identifier, i),
            },
            b'$' if i == 0 || !is_ident_char(buf[i - 1]) => {
                if let Some(tag_len) = dollar_tag(&buf[i..]) {
                    let tag = &buf[i..i + tag_len];
                    match memchr::memmem::find(&buf[i + tag_len..], tag) {
                        Some(p) => {
                            i += tag_len + p + tag_len;
                            continue;
                        }
                        None => return incomplete(Open::DollarQuote, i),
                    }
                } else if i + 1 >= n {
                    // `$` at the end of the buffer: could start a tag.
                    return incomplete(Open::Statement, 0);
                }
            }
            b'-' if buf.get(i + 1) == Some(&b'-') => match memchr::memchr(b'\n', &buf[i..]) {
                Some(p) => {
                    i += p + 1;
                    continue;
                }
                None => return incomplete(Open::Statement, 0),
            },
            b'/' if buf.get(i + 1) == Some(&b'*') => match skip_block_comment(buf, i) {
                Some(end) => {
                    i = end;
                    continue;
                }
                None => return incomplete(Open::Comment, i),
            },
            _ if atomic_bodies && is_ident_start(b) && (i == 0 || !is_ident_char(buf[i - 1])) => {
                let len = buf[i..].iter().take_while(|&&c| is_ident_char(c)).count();
                if i + len >= n {
                    return incomplete(Open::Statement, 0);
                }
                let word = &buf[i..i + len];
                let opens = (word.eq_ignore_ascii_case(b"begin")
                    && next_word_is(&buf[i + len..], b"atomic"))
                    || (depth > 0 && word.eq_ignore_ascii_case(b"case"));
                if opens {
                    depth += 1;
                } else if depth > 0 && word.eq_ignore_ascii_case(b"end") {
                    depth -= 1;
                }
                i += len;
                continue;
            }
            _ => {}
        }
        i += 1;
    }
    incomplete(Open::Statement, 0)
}

fn incomplete(open: Open, since: usize) -> StatementEnd {
    StatementEnd::Incomplete { open, since }
}

fn next_word_is(rest: &[u8], word: &[u8]) -> bool {
    let start = rest.iter().take_while(|b| b.is_ascii_whitespace()).count();
    let rest = &rest[start..];
    rest.len() > word.len()
        && rest[..word.len()].eq_ignore_ascii_case(word)
        && !is_ident_char(rest[word.len()])
}

fn starts_function_definition(buf: &[u8]) -> bool {
    let mut words = buf
        .split(|b| b.is_ascii_whitespace())
        .filter(|w| !w.is_empty())
        .take(4);
    let eq = |w: Option<&[u8]>, s: &[u8]| w.is_some_and(|w| w.eq_ignore_ascii_case(s));
    if !eq(words.next(), b"create") {
        return false;
    }
    let mut w = words.next();
    if eq(w, b"or") {
        words.next();
        w = words.next();
    }
    eq(w, b"function") || eq(w, b"procedure")
}

/// Skips a `'…'` literal starting at `buf[start]`; returns the index after its closing quote.
/// `None` when the buffer ends first — including right after a quote, since a following quote
/// would double it — unless `complete` says the buffer holds the whole statement.
pub fn skip_string(
    buf: &[u8],
    start: usize,
    backslash_escapes: bool,
    complete: bool,
) -> Option<usize> {
    let mut i = start + 1;
    loop {
        let p = if backslash_escapes {
            memchr::memchr2(b'\'', b'\\', &buf[i..])?
        } else {
            memchr::memchr(b'\'', &buf[i..])?
        };
        i += p;
        if buf[i] == b'\\' {
            i += 2;
            if i > buf.len() {
                return None;
            }
            continue;
        }
        // A quote: doubled means a literal quote; we need the next byte to know.
        match buf.get(i + 1) {
            Some(b'\'') => i += 2,
            Some(_) => return Some(i + 1),
            None => return complete.then_some(i + 1),
        }
    }
}

fn skip_quoted(buf: &[u8], start: usize, quote: u8, complete: bool) -> Option<usize> {
    let mut i = start + 1;
    loop {
        i += memchr::memchr(quote, &buf[i..])?;
        match buf.get(i + 1) {
            Some(&q) if q == quote => i += 2,
            Some(_) => return Some(i + 1),
            None => return complete.then_some(i + 1),
        }
    }
}

/// `$tag$` at the start of `s`: its length including both `$`.
fn dollar_tag(s: &[u8]) -> Option<usize> {
    let body = &s[1..];
    let len = body
        .iter()
        .take_while(|&&b| b.is_ascii_alphanumeric() || b == b'_' || b >= 0x80)
        .count();
    if body.first().is_some_and(|b| b.is_ascii_digit()) {
        return None;
    }
    (body.get(len) == Some(&b'$')).then_some(len + 2)
}

fn skip_block_comment(buf: &[u8], start: usize) -> Option<usize> {
    let mut depth = 0usize;
    let mut i = start;
    while i + 1 < buf.len() {
        match (buf[i], buf[i + 1]) {
            (b'/', b'*') => {
                depth += 1;
                i += 2;
            }
            (b'*', b'/') => {
                depth -= 1;
                i += 2;
                if depth == 0 {
                    return Some(i);
                }
            }
            _ => i += 1,
        }
    }
    None
}

/// A token of the statements we read by hand.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Token {
    /// An identifier or keyword: unquoted ones are folded to lower case.
    Word {
        /// The name.
        text: String,
        /// Was it `"quoted"`?
        quoted: bool,
    },
    /// A string literal's decoded bytes.
    Str(Vec<u8>),
    /// A number as written.
    Number(String),
    /// Punctuation or an operator character.
    Punct(u8),
}

impl Token {
    /// Is this the (unquoted) keyword `kw` (lower case)?
    pub fn is_kw(&self, kw: &str) -> bool {
        matches!(self, Token::Word { text, quoted: false } if text == kw)
    }

    /// The name, for words.
    pub fn word(&self) -> Option<&str> {
        match self {
            Token::Word { text, .. } => Some(text),
            _ => None,
        }
    }
}

/// Tokenizes a (complete, small) statement. Comments are dropped. Returns `None` on text that
/// is not lexically valid.
pub fn tokenize(sql: &[u8], standard_strings: bool) -> Option<Vec<Token>> {
    let mut out = Vec::new();
    let mut i = 0;
    while i < sql.len() {
        let b = sql[i];
        if b.is_ascii_whitespace() {
            i += 1;
        } else if b == b'-' && sql.get(i + 1) == Some(&b'-') {
            i += memchr::memchr(b'\n', &sql[i..]).unwrap_or(sql.len() - i);
        } else if b == b'/' && sql.get(i + 1) == Some(&b'*') {
            i = skip_block_comment(sql, i)?;
        } else if b == b'"' {
            let end = skip_quoted(sql, i, b'"', true)?;
            let raw = &sql[i + 1..end - 1];
            let text = String::from_utf8_lossy(raw).replace("\"\"", "\"");
            out.push(Token::Word { text, quoted: true });
            i = end;
        } else if b == b'\'' || ((b == b'E' || b == b'e') && sql.get(i + 1) == Some(&b'\'')) {
            let escapes = b != b'\'' || !standard_strings;
            let q = if b == b'\'' { i } else { i + 1 };
            let end = skip_string(sql, q, escapes, true)?;
            out.push(Token::Str(unescape_string(&sql[q + 1..end - 1], escapes)));
            i = end;
        } else if b == b'$' && dollar_tag(&sql[i..]).is_some() {
            let tag_len = dollar_tag(&sql[i..])?;
            let tag = &sql[i..i + tag_len];
            let p = memchr::memmem::find(&sql[i + tag_len..], tag)?;
            out.push(Token::Str(sql[i + tag_len..i + tag_len + p].to_vec()));
            i += tag_len + p + tag_len;
        } else if is_ident_start(b) {
            let len = sql[i..].iter().take_while(|&&c| is_ident_char(c)).count();
            let text = String::from_utf8_lossy(&sql[i..i + len]).to_lowercase();
            out.push(Token::Word {
                text,
                quoted: false,
            });
            i += len;
        } else if b.is_ascii_digit() {
            let len = sql[i..]
                .iter()
                .take_while(|&&c| c.is_ascii_alphanumeric() || c == b'.' || c == b'_')
                .count();
            out.push(Token::Number(
                String::from_utf8_lossy(&sql[i..i + len]).into_owned(),
            ));
            i += len;
        } else {
            out.push(Token::Punct(b));
            i += 1;
        }
    }
    Some(out)
}

/// Decodes the inside of a string literal: `''` → `'`, and with `escapes` the backslash escapes
/// of `E''` strings (`\n`, `\t`, `\\`, octal, `\x` hex, `\u`/`\U` code points).
pub fn unescape_string(raw: &[u8], escapes: bool) -> Vec<u8> {
    let mut out = Vec::with_capacity(raw.len());
    let mut i = 0;
    while i < raw.len() {
        let b = raw[i];
        if b == b'\'' && raw.get(i + 1) == Some(&b'\'') {
            out.push(b'\'');
            i += 2;
        } else if escapes && b == b'\\' && i + 1 < raw.len() {
            let c = raw[i + 1];
            i += 2;
            match c {
                b'b' => out.push(8),
                b'f' => out.push(12),
                b'n' => out.push(b'\n'),
                b'r' => out.push(b'\r'),
                b't' => out.push(b'\t'),
                b'0'..=b'7' => {
                    let mut v = u32::from(c - b'0');
                    let mut k = 0;
                    while k < 2 && i < raw.len() && (b'0'..=b'7').contains(&raw[i]) {
                        v = v * 8 + u32::from(raw[i] - b'0');
                        i += 1;
                        k += 1;
                    }
                    out.push((v & 0xff) as u8);
                }
                b'x' => {
                    let mut v = 0u32;
                    let mut k = 0;
                    while k < 2 && i < raw.len() && raw[i].is_ascii_hexdigit() {
                        v = v * 16 + (raw[i] as char).to_digit(16).unwrap_or(0);
                        i += 1;
                        k += 1;
                    }
                    if k == 0 {
                        out.push(b'x');
                    } else {
                        out.push(v as u8);
                    }
                }
                b'u' | b'U' => {
                    let want = if c == b'u' { 4 } else { 8 };
                    let hex = raw
                        .get(i..i + want)
                        .filter(|h| h.iter().all(u8::is_ascii_hexdigit));
                    match hex
                        .and_then(|h| u32::from_str_radix(std::str::from_utf8(h).ok()?, 16).ok())
                        .and_then(char::from_u32)
                    {
                        Some(ch) => {
                            let mut tmp = [0u8; 4];
                            out.extend_from_slice(ch.encode_utf8(&mut tmp).as_bytes());
                            i += want;
                        }
                        None => out.push(c),
                    }
                }
                other => out.push(other),
            }
        } else {
            out.push(b);
            i += 1;
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn end(sql: &str) -> Option<usize> {
        match statement_end(sql.as_bytes(), true) {
            StatementEnd::At(i) => Some(i),
            StatementEnd::Incomplete { .. } => None,
        }
    }

    #[test]
    fn semicolons_inside_quotes_comments_and_bodies_do_not_end() {
        assert_eq!(end("SELECT 'a;b';"), Some(12));
        assert_eq!(end("SELECT 'it''s;';x"), Some(15));
        assert_eq!(end("SELECT \"a;\"\"b\";"), Some(14));
        assert_eq!(end("SELECT 1 -- c;\n;"), Some(15));
        assert_eq!(end("SELECT /* a /* nested; */ ; */ 1;"), Some(32));
        assert_eq!(end("CREATE FUNCTION f() AS $$ a; $x$ b; $$;"), Some(38));
        assert_eq!(end("CREATE FUNCTION f() AS $_$ a; $$ b; $_$;"), Some(39));
        assert_eq!(end("SELECT E'\\';';"), Some(13));
        assert_eq!(end("SELECT a$b;"), Some(10));
        assert_eq!(end("SELECT 'unterminated;"), None);
    }

    #[test]
    fn begin_atomic_bodies_nest() {
        let sql = "CREATE FUNCTION f() RETURNS int LANGUAGE sql BEGIN ATOMIC SELECT CASE WHEN true THEN 1 END; SELECT 2; END;";
        assert_eq!(end(sql), Some(sql.len() - 1));
        // Outside a function definition, BEGIN is just a word.
        assert_eq!(end("BEGIN;"), Some(5));
    }

    #[test]
    fn backslashes_escape_only_when_told() {
        assert_eq!(
            statement_end(b"SELECT 'a\\';b';", true),
            StatementEnd::At(11)
        );
        assert_eq!(
            statement_end(b"SELECT 'a\\';b';", false),
            StatementEnd::At(14)
        );
    }

    #[test]
    fn incomplete_reports_what_is_open() {
        assert_eq!(
            statement_end(b"INSERT INTO t VALUES ('abc", true),
            StatementEnd::Incomplete {
                open: Open::String,
                since: 22
            }
        );
    }

    #[test]
    fn tokens() {
        let t = tokenize(
            b"SELECT pg_catalog.setval('\"Sales\".\"s\"''q', 42, true);",
            true,
        )
        .unwrap();
        assert!(t[0].is_kw("select"));
        assert_eq!(t[5], Token::Str(b"\"Sales\".\"s\"'q".to_vec()));
        assert_eq!(t[7], Token::Number("42".into()));
        let t = tokenize(b"E'a\\tb\\x41\\101' \"Mixed \"\"Q\"", true).unwrap();
        assert_eq!(t[0], Token::Str(b"a\tbAA".to_vec()));
        assert_eq!(
            t[1],
            Token::Word {
                text: "Mixed \"Q".into(),
                quoted: true
            }
        );
    }
}
