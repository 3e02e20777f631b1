//! The formats a policy file can be written in, as `--from` names them, and
//! how a file's format is told without `--from`.
//!
//! Adding a format is one variant of [`Format`] and one arm of
//! [`Format::read`] (plus, if its content can be told apart, a rule in
//! [`Format::detect`]). The DESIGN's AWS formats (`apigw-http`,
//! `apigw-openapi`, `apigw-rest`, `lambda-url`, `cloudfront`) come this way
//! once `cors-runtime` reads them; until then `--from` does not offer them.

use std::path::Path;

use clap::ValueEnum;
use cors_runtime::Policy;

/// A policy file's format: the value of `--from`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub(crate) enum Format {
    /// A `cors_policy!` policy as JSON
    Json,
    /// A `cors_policy!` policy as TOML
    Toml,
    /// An Amazon S3 CORS configuration as JSON: `{"CORSRules": [...]}` or a bare array
    S3Json,
    /// An Amazon S3 CORS configuration as XML: `<CORSConfiguration>`
    S3Xml,
}

impl Format {
    /// The name `--from` takes for this format, e.g. `s3-json`.
    pub(crate) fn name(self) -> &'static str {
        match self {
            Format::Json => "json",
            Format::Toml => "toml",
            Format::S3Json => "s3-json",
            Format::S3Xml => "s3-xml",
        }
    }

    /// Reads `text` as this format: the policy, or every problem as text.
    pub(crate) fn read(self, text: &str) -> Result<Policy, String> {
        match self {
            Format::Json => Policy::from_json(text).map_err(|e| e.to_string()),
            Format::Toml => Policy::from_toml(text).map_err(|e| e.to_string()),
            Format::S3Json => Policy::from_s3_json(text).map_err(|e| e.to_string()),
            Format::S3Xml => Policy::from_s3_xml(text).map_err(|e| e.to_string()),
        }
    }

    /// The format of the file at `path` (`-` for standard input) whose text
    /// is `text`, by its extension and then its first bytes and top-level
    /// keys. Nothing is parsed: values are skipped, not built.
    ///
    /// - `.toml` is TOML; `.xml`, or text starting with `<`, is S3 XML;
    /// - `.json`, or text starting with `{` or an array of objects, is JSON:
    ///   S3's when a top-level key is `CORSRules` or the first element of an
    ///   array has `AllowedOrigins` or `AllowedMethods`, the DSL's otherwise;
    /// - anything else (standard input, another extension) is TOML, whose
    ///   documents start with a key, a `[table]` or a comment.
    pub(crate) fn detect(path: &str, text: &str) -> Format {
        let extension = Path::new(path)
            .extension()
            .and_then(|extension| extension.to_str())
            .unwrap_or_default();
        let is = |wanted: &str| extension.eq_ignore_ascii_case(wanted);
        let start = text.trim_start_matches('\u{feff}').trim_start();
        if is("toml") {
            Format::Toml
        } else if is("xml") || start.starts_with('<') {
            Format::S3Xml
        } else if is("json") || looks_like_json(start) {
            if top_level_keys_say_s3(start) {
                Format::S3Json
            } else {
                Format::Json
            }
        } else {
            Format::Toml
        }
    }
}

/// Whether `start` (the text after leading white space) opens a JSON object,
/// or an array whose first element is an object (or an empty array): a
/// TOML document opens with a key, a comment or `[table]`/`[[table]]`.
fn looks_like_json(start: &str) -> bool {
    match start.strip_prefix('[') {
        Some(rest) => rest.trim_start().starts_with(['{', ']']),
        None => start.starts_with('{'),
    }
}

/// Whether a JSON document is S3's, from its top-level keys: `CORSRules`
/// in an object, or `AllowedOrigins`/`AllowedMethods` in the first object
/// of an array. Stops at the first such key; the values in between are
/// skipped by counting brackets, so no tree is built (and no nesting can
/// exhaust the stack). Malformed JSON answers `false`, and the reader then
/// names the problem.
fn top_level_keys_say_s3(text: &str) -> bool {
    let mut scan = Scan { text, at: 0 };
    if scan.eat(b'[') {
        scan.eat(b'{') && scan.any_key(|key| key == "AllowedOrigins" || key == "AllowedMethods")
    } else {
        scan.eat(b'{') && scan.any_key(|key| key == "CORSRules")
    }
}

/// A cursor over JSON text that reads keys and skips values.
struct Scan<'a> {
    /// The whole text.
    text: &'a str,
    /// The byte the cursor is at.
    at: usize,
}

impl<'a> Scan<'a> {
    /// The byte at the cursor.
    fn peek(&self) -> Option<u8> {
        self.text.as_bytes().get(self.at).copied()
    }

    /// Moves past JSON white space.
    fn skip_white_space(&mut self) {
        while matches!(self.peek(), Some(b' ' | b'\t' | b'\n' | b'\r')) {
            self.at += 1;
        }
    }

    /// Moves past white space and then `byte`, if it is next.
    fn eat(&mut self, byte: u8) -> bool {
        self.skip_white_space();
        let found = self.peek() == Some(byte);
        if found {
            self.at += 1;
        }
        found
    }

    /// The raw text of the string whose opening quote is at the cursor,
    /// escapes left as they are; the cursor moves past its closing quote.
    fn string(&mut self) -> Option<&'a str> {
        let bytes = self.text.as_bytes();
        let start = self.at + 1;
        let mut end = start;
        loop {
            match bytes.get(end)? {
                b'"' => break,
                b'\\' => end += 2,
                _ => end += 1,
            }
        }
        self.at = end + 1;
        self.text.get(start..end)
    }

    /// Moves past one value: a string, a scalar, or an array or object
    /// (by counting brackets outside strings).
    fn skip_value(&mut self) -> Option<()> {
        let mut depth = 0_usize;
        loop {
            self.skip_white_space();
            match self.peek()? {
                b'"' => {
                    self.string()?;
                }
                b'{' | b'[' => {
                    depth += 1;
                    self.at += 1;
                    continue;
                }
                b'}' | b']' if depth > 0 => {
                    depth -= 1;
                    self.at += 1;
                }
                // The end of a scalar at the top.
                b'}' | b']' | b',' if depth == 0 => return Some(()),
                _ => {
                    self.at += 1;
                    continue;
                }
            }
            if depth == 0 {
                return Some(());
            }
        }
    }

    /// Whether a key of the object whose `{` the cursor just passed is
    /// `wanted`, reading keys in order until one is (or the object ends).
    fn any_key(&mut self, wanted: impl Fn(&str) -> bool) -> bool {
        loop {
            self.skip_white_space();
            if self.peek() != Some(b'"') {
                return false;
            }
            let Some(raw) = self.string() else {
                return false;
            };
            // A key with escapes is decoded (rare: S3's keys need none).
            let found = if raw.contains('\\') {
                serde_json::from_str::<String>(&format!("\"{raw}\"")).is_ok_and(|key| wanted(&key))
            } else {
                wanted(raw)
            };
            if found {
                return true;
            }
            if !self.eat(b':') || self.skip_value().is_none() || !self.eat(b',') {
                return false;
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::Format;

    #[test]
    fn extensions_come_first() {
        assert_eq!(Format::detect("a.toml", "{}"), Format::Toml);
        assert_eq!(Format::detect("a.XML", "{}"), Format::S3Xml);
        assert_eq!(Format::detect("a.json", "origins = 1"), Format::Json);
    }

    #[test]
    fn content_tells_the_rest() {
        assert_eq!(
            Format::detect("-", "\u{feff} <CORSConfiguration/>"),
            Format::S3Xml
        );
        assert_eq!(Format::detect("-", "[[rules]]\nid = \"a\""), Format::Toml);
        assert_eq!(
            Format::detect("-", "# a policy\nallow_origins = []"),
            Format::Toml
        );
        assert_eq!(
            Format::detect("-", "[ {\"allow_origins\": []} ]"),
            Format::Json
        );
        assert_eq!(Format::detect("-", "{\"rules\": []}"), Format::Json);
    }

    #[test]
    fn s3_json_by_its_top_level_keys() {
        let s3 = [
            r#"{"CORSRules": []}"#,
            r#"{"Other": {"CORSRules": [1, "]}"], "x": [{}]}, "CORSRules": []}"#,
            r#"{"CORS\u0052ules": []}"#,
            r#"[{"ID": "a\"}", "AllowedMethods": ["GET"]}, 7]"#,
            r#"[{"MaxAgeSeconds": 5, "AllowedOrigins": ["*"]}"#,
        ];
        for text in s3 {
            assert_eq!(Format::detect("a.json", text), Format::S3Json, "{text}");
        }
        let dsl = [
            r#"{"rules": [{"CORSRules": []}]}"#,
            r#"[{"allow_origins": ["*"]}, {"AllowedOrigins": []}]"#,
            r#"{"a": tru"#,
            r#"{"a"#,
            r#"[["#,
            "",
        ];
        for text in dsl {
            assert_eq!(Format::detect("a.json", text), Format::Json, "{text}");
        }
    }

    #[test]
    fn deep_nesting_is_skipped_without_recursion() {
        let text = format!(
            r#"{{"a": {}{}, "CORSRules": []}}"#,
            "[".repeat(100_000),
            "]".repeat(100_000)
        );
        assert_eq!(Format::detect("-", &text), Format::S3Json);
    }
}
