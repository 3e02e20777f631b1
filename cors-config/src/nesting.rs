//! The nesting depth of a JSON or TOML document, measured before it is
//! parsed: the parsers recurse once per level, so a short document of
//! nested brackets could exhaust a small thread stack (165 bytes of TOML
//! did on a 64 KiB stack). A policy needs at most four levels (a list of
//! rules, a rule, a list, an item); a document deeper than [`MAX_NESTING`]
//! is refused before any parser runs.
//!
//! The scan is one pass over the bytes, and it never counts fewer levels
//! than a parser will build, even one recovering from errors (as TOML's
//! does: it goes on after a mistake to report them all):
//!
//! - it skips strings (JSON's; TOML's basic, literal and multi-line ones)
//!   and TOML comments, so a bracket inside a string neither opens nor
//!   closes a level; it ends them where the parsers' lexers do (a one-line
//!   string at its line's end, a comment at `\r` or `\n`), and, as TOML's
//!   lexer does, it reads a quote inside a bare word (`a"b`) as part of the
//!   word, so an unclosed or misplaced quote cannot hide what follows;
//! - a `]` closes only a `[`, and a `}` only a `{`, as in the parsers;
//! - in TOML, a level is also made without brackets: each dot of a dotted
//!   key (`a.b.c = 1`) makes a table, and each segment of a table header
//!   (`[a.b]`, `[[a.b]]`) up to two levels (an array of tables and its
//!   table) for every line under it. So every dot outside strings and
//!   comments counts, up to the end of its statement (a line, or the lines
//!   of a bracket left open): a dot in a value (`1.5`) is not a key, but a
//!   parser recovering from an error may not see the line as the scan
//!   would, and a policy has no unquoted dot anyway. A `[` that begins a
//!   line begins a header to a parser at the top level; the scan reads it
//!   as one even inside what it counts as an open bracket (a parser skips
//!   the rest of a line after a mistake, brackets included).

/// The deepest nesting a policy document may have: arrays and tables
/// (objects), and in TOML the levels of dotted keys and table headers.
/// Policies need at most 4. Measured on a 64 KiB thread stack, the TOML
/// parser of an unoptimised build overflows past 10 nested inline tables,
/// so the limit stays below that for every loader to work on such a stack.
pub const MAX_NESTING: usize = 8;

/// The most values a policy document may hold, counted before it is
/// parsed by the delimiters that introduce them, outside strings and
/// comments: every `[`, `{` and `,`, and JSON's `:` or TOML's `=`. A parser
/// builds a tree of the whole document first, and its nodes cost far more
/// than the bytes that wrote them (a TOML integer about 170 bytes): the
/// count bounds that memory to about 22 MiB for any document, while a
/// policy of 10,000 origins holds about 10,000 values.
pub const MAX_DOCUMENT_VALUES: usize = 131_072;

/// The most tables (JSON objects; TOML tables, inline or under a header) a
/// policy document may hold, counted before it is parsed: a policy needs
/// one per rule and one around them, at most 257, and a parser's table
/// costs far more than its bytes (about 1.6 KB for a TOML `[[rules]]`
/// header and its key).
pub const MAX_DOCUMENT_TABLES: usize = 1_024;

#[cfg(any(feature = "json", feature = "toml"))]
/// What the scan measured of a document before it is parsed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Shape {
    /// The deepest nesting, as [the module](self) counts it.
    pub(crate) depth: usize,
    /// The delimiters that introduce a value, outside strings and comments:
    /// every `[`, `{` and `,`, and JSON's `:` or TOML's `=`. Every value but
    /// the document itself follows one, so this is at least the number of
    /// values a parser builds.
    pub(crate) values: usize,
    /// The `{` outside strings and comments, and in TOML the table headers
    /// (`[a]`, `[[a]]`) and the dots (of dotted keys and headers, each
    /// making a table; a dot in a value is counted too): at least the
    /// number of tables a parser builds besides the document's own.
    pub(crate) tables: usize,
}

#[cfg(any(feature = "json", feature = "toml"))]
/// A document grammar: how its nesting and values are counted, and the
/// words that say so in a refusal.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Syntax {
    /// Counts `text`'s nesting and values, skipping strings and comments.
    shape: fn(&[u8]) -> Shape,
    /// What a level of nesting is.
    pub(crate) nests: &'static str,
    /// What a table is.
    pub(crate) tables: &'static str,
    /// The delimiters counted as values.
    pub(crate) delimiters: &'static str,
}

#[cfg(any(feature = "json", feature = "toml"))]
impl Syntax {
    /// JSON.
    #[cfg(feature = "json")]
    pub(crate) const JSON: Syntax = Syntax {
        shape: json_shape,
        nests: "arrays and objects",
        tables: "objects (`{`)",
        delimiters: "`[`, `{`, `,` and `:`",
    };
    /// TOML.
    #[cfg(feature = "toml")]
    pub(crate) const TOML: Syntax = Syntax {
        shape: toml_shape,
        nests: "arrays, tables, the segments of table headers, and dots outside strings (`a.b = 1` nests `b` in `a`)",
        tables: "tables (`{` and table headers)",
        delimiters: "`[`, `{`, `,` and `=`",
    };
}

#[cfg(any(feature = "json", feature = "toml"))]
/// The nesting and the values of `text` as [the module](self) counts them.
pub(crate) fn shape(text: &str, syntax: Syntax) -> Shape {
    (syntax.shape)(text.as_bytes())
}

#[cfg(any(feature = "json", feature = "toml"))]
/// The deepest nesting of `text` as [the module](self) counts it.
#[cfg(test)]
pub(crate) fn depth(text: &str, syntax: Syntax) -> usize {
    shape(text, syntax).depth
}

#[cfg(feature = "json")]
fn json_shape(bytes: &[u8]) -> Shape {
    let (mut deepest, mut open, mut values, mut tables) = (0, 0usize, 0, 0);
    let mut at = 0;
    while let Some(&byte) = bytes.get(at) {
        at += 1;
        cors_grammar::work::step();
        match byte {
            b'[' | b'{' => {
                open += 1;
                values += 1;
                tables += usize::from(byte == b'{');
                deepest = deepest.max(open);
            }
            b']' | b'}' => open = open.saturating_sub(1),
            b',' | b':' => values += 1,
            b'"' => at = skip_string(bytes, at, b'"', false),
            _ => {}
        }
    }
    Shape {
        depth: deepest,
        values,
        tables,
    }
}

#[cfg(feature = "toml")]
/// The TOML scan's state: the open brackets (and whether each of the
/// innermost 64 is `{`), the levels of the last table header, and the dots
/// of the current statement.
struct Toml {
    open: usize,
    braces: u64,
    header: usize,
    dots: usize,
    deepest: usize,
}

#[cfg(feature = "toml")]
impl Toml {
    fn reach(&mut self) {
        self.deepest = self.deepest.max(self.header + self.open + self.dots);
    }

    fn open(&mut self, brace: bool) {
        self.open += 1;
        self.braces = (self.braces << 1) | u64::from(brace);
        self.reach();
    }

    /// Closes the innermost bracket if `brace` matches it. A parser keeps
    /// it open on a mismatch (and may make an empty array or table of the
    /// stray closer), so the scan does too.
    fn close(&mut self, brace: bool) {
        if self.open > 0 && (self.braces & 1 == 1) == brace {
            self.open -= 1;
            self.braces >>= 1;
        } else {
            self.deepest = self.deepest.max(self.header + self.open + 1 + self.dots);
        }
    }
}

#[cfg(feature = "toml")]
/// The TOML scan's counts and its view of the current line, beside the
/// levels in [`Toml`].
struct TomlScan {
    levels: Toml,
    values: usize,
    tables: usize,
    /// Whether only spaces came since the line began: a `[` there starts a
    /// table header for a parser at the top level. The scan may count a
    /// bracket open that a parser ignored (after a value, a parser skips
    /// the rest of its line), so it reads such a `[` as both a header and a
    /// bracket, whatever it counts open.
    line_start: bool,
    /// The segments of the table header being read, if one is.
    in_header: Option<usize>,
    /// Whether the last byte was part of a bare word (a key, a number): a
    /// quote inside one does not open a string (the TOML lexer reads
    /// `a"b` as one word), only a quote after a delimiter does.
    in_word: bool,
}

#[cfg(feature = "toml")]
impl TomlScan {
    /// Ends the line: a header ends with it, and outside brackets so does
    /// the statement (a key, or a table header, comes next).
    fn line_break(&mut self) {
        self.in_header = None;
        if self.levels.open == 0 {
            self.levels.dots = 0;
        }
        self.line_start = true;
    }

    /// Reads the `[` or `[[` that begins a table header (at `at - 1`):
    /// each segment of `[a.b]` or `[[a.b]]` is up to two levels.
    fn header_open(&mut self, bytes: &[u8], at: &mut usize) {
        self.values += 1;
        self.tables += 1;
        let brackets = doubled(bytes, at, b'[');
        if self.levels.open > 0 {
            (0..brackets).for_each(|_| self.levels.open(false));
        }
        self.in_header = Some(1);
        self.levels.header = 2;
        self.levels.reach();
    }

    /// Reads the `]` or `]]` that ends a table header (at `at - 1`).
    fn header_close(&mut self, bytes: &[u8], at: &mut usize) {
        let brackets = doubled(bytes, at, b']');
        if self.levels.open > 0 {
            (0..brackets).for_each(|_| self.levels.close(false));
        }
        self.in_header = None;
    }

    /// Reads a dot in a table header: one more segment.
    fn header_dot(&mut self) {
        self.tables += 1;
        let segments = self.in_header.unwrap_or(1) + 1;
        self.in_header = Some(segments);
        self.levels.header = 2 * segments;
        self.levels.reach();
    }

    /// Reads a byte outside headers, strings and comments: a bracket, a
    /// dot, a delimiter, or part of a bare word.
    fn statement_byte(&mut self, byte: u8) {
        match byte {
            b'[' => {
                self.values += 1;
                self.levels.open(false);
            }
            b'{' => {
                self.values += 1;
                self.tables += 1;
                self.levels.open(true);
            }
            b']' => self.levels.close(false),
            b'}' => self.levels.close(true),
            // A dot of a dotted key makes a table. Dots in values (`1.5`)
            // are counted too: told apart only by a parser's view of the
            // line, which a parser recovering from an error may not share.
            b'.' => {
                self.tables += 1;
                self.levels.dots += 1;
                self.levels.reach();
            }
            b'=' | b',' => self.values += 1,
            _ => self.in_word = true,
        }
    }
}

#[cfg(feature = "toml")]
/// The end of the comment that begins at `at - 1`: its line's end, or the
/// document's.
fn skip_comment(bytes: &[u8], at: usize) -> usize {
    let end = bytes[at..]
        .iter()
        .position(|b| matches!(b, b'\n' | b'\r'))
        .map_or(bytes.len(), |end| at + end);
    cors_grammar::work::add(end - at);
    end
}

#[cfg(feature = "toml")]
fn toml_shape(bytes: &[u8]) -> Shape {
    let mut scan = TomlScan {
        levels: Toml {
            open: 0,
            braces: 0,
            header: 0,
            dots: 0,
            deepest: 0,
        },
        values: 0,
        tables: 0,
        line_start: true,
        in_header: None,
        in_word: false,
    };
    let mut at = 0;
    while let Some(&byte) = bytes.get(at) {
        at += 1;
        cors_grammar::work::step();
        let word = scan.in_word;
        scan.in_word = false;
        match byte {
            // A lone `\r` is a line break to the TOML lexer.
            b'\n' | b'\r' => {
                scan.line_break();
                continue;
            }
            b' ' | b'\t' => continue,
            b'#' => {
                at = skip_comment(bytes, at);
                continue;
            }
            b'[' if scan.line_start => scan.header_open(bytes, &mut at),
            b']' if scan.in_header.is_some() => scan.header_close(bytes, &mut at),
            b'.' if scan.in_header.is_some() => scan.header_dot(),
            b'"' | b'\'' if !word => at = skip_string(bytes, at, byte, true),
            _ => scan.statement_byte(byte),
        }
        scan.line_start = false;
    }
    Shape {
        depth: scan.levels.deepest,
        values: scan.values,
        tables: scan.tables,
    }
}

#[cfg(feature = "toml")]
/// How many of `bracket` a header's bracket at `at - 1` is (`[[` is 2),
/// moving `at` past the second one.
fn doubled(bytes: &[u8], at: &mut usize, bracket: u8) -> usize {
    if bytes.get(*at) == Some(&bracket) {
        *at += 1;
        2
    } else {
        1
    }
}

#[cfg(any(feature = "json", feature = "toml"))]
/// The index after the string whose opening `quote` ends just before
/// `start` (in TOML, tripled quotes open a multi-line string); a one-line
/// string that is not closed ends at its line's end, any other at the end
/// of the text.
fn skip_string(bytes: &[u8], start: usize, quote: u8, toml: bool) -> usize {
    let end = skip_string_uncounted(bytes, start, quote, toml);
    cors_grammar::work::add(end.saturating_sub(start));
    end
}

#[cfg(any(feature = "json", feature = "toml"))]
/// [`skip_string`], its bytes not counted as work.
fn skip_string_uncounted(bytes: &[u8], start: usize, quote: u8, toml: bool) -> usize {
    let tripled = toml && bytes.get(start..start + 2) == Some(&[quote, quote][..]);
    let escapes = quote == b'"';
    let mut at = if tripled { start + 2 } else { start };
    while let Some(&byte) = bytes.get(at) {
        if byte == b'\n' && !tripled {
            return at;
        }
        at += 1;
        if escapes && byte == b'\\' {
            // An escaped byte, but never the line's end of a one-line string.
            if bytes.get(at) != Some(&b'\n') || tripled {
                at += 1;
            }
        } else if byte == quote {
            if !tripled {
                return at;
            }
            if bytes.get(at..at + 2) == Some(&[quote, quote][..]) {
                // A closing `"""` may be followed by up to two more quotes
                // that belong to the string.
                let mut end = at + 2;
                while bytes.get(end) == Some(&quote) && end < at + 4 {
                    end += 1;
                }
                return end;
            }
        }
    }
    bytes.len()
}

#[cfg(all(test, feature = "json", feature = "toml"))]
mod tests {
    use super::*;

    #[test]
    fn values_and_tables_are_counted_by_their_delimiters_outside_strings() {
        let json = shape(r#"[{"a": ["x,y:{", 1]}, {"b": 2}, "[{", 3]"#, Syntax::JSON);
        // `[`, `{`, `:`, `[`, `,`, `,`, `{`, `:`, `,`, `,`.
        assert_eq!((json.values, json.tables), (10, 2));
        let toml = shape(
            "a = [1, \"[{,=\"] # [, { = .\nb.c = {d = 1}\n[[rules]]\ne = 'x.y'\n[f.g]\n",
            Syntax::TOML,
        );
        // Values: `=`, `[`, `,`, `=`, `{`, `=`, the two headers, `=`; tables:
        // the dot of `b.c`, `{`, the two headers and the dot of `f.g`.
        assert_eq!((toml.values, toml.tables), (9, 5));
        let empty = shape("", Syntax::TOML);
        assert_eq!((empty.depth, empty.values, empty.tables), (0, 0, 0));
    }

    #[test]
    fn counts_levels_outside_strings_and_comments() {
        assert_eq!(depth(r#"{"a": [1, [2]]}"#, Syntax::JSON), 3);
        assert_eq!(depth(r#"{"a": "]]]]", "b": [[[[]]]]}"#, Syntax::JSON), 5);
        assert_eq!(depth(r#"["\"]]]", [[]]]"#, Syntax::JSON), 3);
        assert_eq!(depth("a = [[1]] # ]]]]\nb = [[[[]]]]", Syntax::TOML), 4);
        assert_eq!(depth("a = ']]]]'\nb = [[[[]]]]", Syntax::TOML), 4);
        assert_eq!(depth("a = \"\"\"]]\"]]\"\"\"\nb = [[[]]]", Syntax::TOML), 3);
        assert_eq!(depth("a = '''\n]]]]'''\nb = [[[]]]", Syntax::TOML), 3);
    }

    #[test]
    fn a_policy_is_shallow() {
        let json = r#"{"open_paths": ["/a"], "rules": [{"allow_origins": ["http://[::1]:3000"], "max_age": 1.5}]}"#;
        assert_eq!(depth(json, Syntax::JSON), 4);
        let toml = "open_paths = [\"/a\"]\n[[rules]]\nallow_origins = [\"http://[::1]:3000\", 'https://a.b']\nmax_age = 1.5\nid = 1979-05-27T07:32:00.5Z\n[[rules]]\nallow_methods = [\"GET\"]\n";
        assert_eq!(depth(toml, Syntax::TOML), 3);
        let documented = include_str!("../../examples/cors.toml");
        assert!(depth(documented, Syntax::TOML) <= 4);
        let inline = "rules = [{allow_origins = [\"https://a.b\"], allow_methods = [\"GET\"]}]";
        assert_eq!(depth(inline, Syntax::TOML), 3);
    }

    #[test]
    fn toml_keys_and_headers_make_levels() {
        assert_eq!(depth("a.b.c.d = 1", Syntax::TOML), 3);
        assert_eq!(depth("\"a.b\".c = 1", Syntax::TOML), 1);
        assert_eq!(depth("[a.b.c]\nd.e = [1]", Syntax::TOML), 8);
        assert_eq!(depth("[[a]]\n[[a.b]]\n[[a.b.c]]", Syntax::TOML), 6);
        assert_eq!(
            depth("x = {a.b = {c.d = 1}, e = [1.5, 2.5]}", Syntax::TOML),
            6
        );
        // A closer of the other kind closes nothing.
        assert_eq!(depth("a = [1 }\nb = [1 }\nc = [[1]]", Syntax::TOML), 4);
        // A table header's dots inside a quoted segment are not segments.
        assert_eq!(depth("[\"a.b.c\"]", Syntax::TOML), 2);
    }

    #[test]
    fn closing_brackets_in_strings_cannot_hide_levels() {
        let hidden = format!("{}\"{}\"{}", "[".repeat(40), "]".repeat(40), "]".repeat(40));
        assert_eq!(depth(&hidden, Syntax::JSON), 40);
        assert_eq!(depth(&format!("a = {hidden}"), Syntax::TOML), 40);
        // An unclosed one-line string ends with its line.
        let unclosed = format!("a = \"x\nb = {}", "[".repeat(20));
        assert_eq!(depth(&unclosed, Syntax::TOML), 20);
        let escaped_end = format!("[\"x\\\n{}", "[".repeat(20));
        assert_eq!(depth(&escaped_end, Syntax::JSON), 21);
        // A quote inside a bare word opens no string, in keys and headers
        // too; a comment ends at a carriage return.
        let in_word = format!("a = [a\"{}\"]", "{a = ".repeat(20));
        assert_eq!(depth(&in_word, Syntax::TOML), 21);
        assert_eq!(depth("[a\"b.c.d\"]", Syntax::TOML), 6);
        assert_eq!(depth(&format!("# x\r{}", "[".repeat(20)), Syntax::TOML), 20);
        // A bracket a parser skipped (after a value) does not hide the
        // headers after it.
        assert!(depth("a = 1 [\n[[b.c.d.e]]\nx = [[1]]", Syntax::TOML) >= 10);
        assert!(depth("a = [1 }\n[[b.c.d.e]]\nx.y = 1", Syntax::TOML) >= 10);
    }
}
