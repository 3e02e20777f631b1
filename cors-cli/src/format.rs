//! The formats a policy file can be written in, as `--from` names them, and
//! how a file's format is told without `--from`.
//!
//! Adding a format is one variant of [`Format`] and one arm of
//! [`Format::read`] (plus, if its content can be told apart, a rule in
//! [`Format::detect`]). The DSL and S3 formats read into a
//! [`cors_runtime::Policy`]; the five AWS formats into a
//! [`cors_aws::AwsCors`], with that service's limits and refusals.

use std::path::Path;

use clap::ValueEnum;
use cors_aws::AwsCors;
use cors_runtime::Policy;

/// A policy file's format: the value of `--from` (and `--to`).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, ValueEnum)]
pub(crate) enum Format {
    /// A `cors_policy!` policy as JSON
    Json,
    /// A `cors_policy!` policy as TOML
    Toml,
    /// An Amazon S3 CORS configuration as JSON: `{"CORSRules": [...]}` or a bare array
    S3Json,
    /// An Amazon S3 CORS configuration as XML: `<CORSConfiguration>`
    S3Xml,
    /// An API Gateway HTTP API `CorsConfiguration` (PascalCase), bare or wrapped
    ApigwHttp,
    /// An OpenAPI document with the root `x-amazon-apigateway-cors` (HTTP API import)
    ApigwOpenapi,
    /// An OpenAPI 3 document of a REST API with mock-integration `options` operations
    ApigwRest,
    /// A Lambda function URL `Cors` (PascalCase), bare or wrapped
    LambdaUrl,
    /// A CloudFront `ResponseHeadersPolicyCorsConfig` as JSON, bare or in `CorsConfig`
    #[value(name = "cloudfront")]
    Cloudfront,
}

/// A policy read from a file: the runtime's policy (DSL and S3 formats) or
/// an AWS configuration.
#[derive(Debug)]
pub(crate) enum Loaded {
    /// A DSL or S3 policy.
    Policy(Box<Policy>),
    /// One of the five AWS formats, and the configuration read.
    Aws(cors_aws::Format, AwsCors),
}

/// Formats whose content cannot be told apart: `--from` must name one.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Ambiguous {
    /// The formats the content fits, in the order of [`Format`].
    pub(crate) candidates: Vec<Format>,
    /// Why they cannot be told apart.
    pub(crate) why: &'static str,
}

impl Format {
    /// The name `--from` takes for this format, e.g. `s3-json`.
    pub(crate) fn name(self) -> &'static str {
        match self {
            Format::Json => "json",
            Format::Toml => "toml",
            Format::S3Json => "s3-json",
            Format::S3Xml => "s3-xml",
            Format::ApigwHttp => "apigw-http",
            Format::ApigwOpenapi => "apigw-openapi",
            Format::ApigwRest => "apigw-rest",
            Format::LambdaUrl => "lambda-url",
            Format::Cloudfront => "cloudfront",
        }
    }

    /// The AWS format this is, if it is one.
    pub(crate) fn aws(self) -> Option<cors_aws::Format> {
        match self {
            Format::ApigwHttp => Some(cors_aws::Format::ApigwHttp),
            Format::ApigwOpenapi => Some(cors_aws::Format::ApigwOpenapi),
            Format::ApigwRest => Some(cors_aws::Format::ApigwRest),
            Format::LambdaUrl => Some(cors_aws::Format::LambdaUrl),
            Format::Cloudfront => Some(cors_aws::Format::CloudFront),
            Format::Json | Format::Toml | Format::S3Json | Format::S3Xml => None,
        }
    }

    /// Reads `text` as this format: the policy, or every problem as text.
    pub(crate) fn read(self, text: &str) -> Result<Loaded, String> {
        if let Some(aws) = self.aws() {
            return cors_aws::read(aws, text)
                .map(|cors| Loaded::Aws(aws, cors))
                .map_err(|e| aws_problems(&e));
        }
        let policy = match self {
            Format::Json => Policy::from_json(text).map_err(|e| e.to_string()),
            Format::Toml => Policy::from_toml(text).map_err(|e| e.to_string()),
            Format::S3Json => Policy::from_s3_json(text).map_err(|e| e.to_string()),
            _ => Policy::from_s3_xml(text).map_err(|e| e.to_string()),
        };
        policy.map(|policy| Loaded::Policy(Box::new(policy)))
    }

    /// The format of the file at `path` (`-` for standard input) whose text
    /// is `text`, by its extension and then its first bytes and top-level
    /// keys. Nothing is parsed: values are skipped, not built.
    ///
    /// - `.toml` is TOML; `.xml`, or text starting with `<`, is S3 XML;
    /// - `.json`, or text starting with `{` or an array of objects, is JSON,
    ///   told by its top-level keys ([`json_format`]): S3's, one of the AWS
    ///   formats, or the DSL's;
    /// - anything else (standard input, another extension) is TOML, whose
    ///   documents start with a key, a `[table]` or a comment.
    ///
    /// # Errors
    ///
    /// A bare HTTP API `CorsConfiguration` and a bare Lambda function URL
    /// `Cors` have the same keys: [`Ambiguous`] names both.
    pub(crate) fn detect(path: &str, text: &str) -> Result<Format, Ambiguous> {
        let extension = Path::new(path)
            .extension()
            .and_then(|extension| extension.to_str())
            .unwrap_or_default();
        let is = |wanted: &str| extension.eq_ignore_ascii_case(wanted);
        let start = text.trim_start_matches('\u{feff}').trim_start();
        if is("toml") {
            Ok(Format::Toml)
        } else if is("xml") || start.starts_with('<') {
            Ok(Format::S3Xml)
        } else if is("json") || looks_like_json(start) {
            json_format(start)
        } else {
            Ok(Format::Toml)
        }
    }
}

/// Every problem of an AWS reader or writer, one per line:
/// `apigw-http: AllowOrigins[0]: ...`, then `and N more problems` when
/// some were not listed.
pub(crate) fn aws_problems(error: &cors_aws::AwsError) -> String {
    let mut lines: Vec<String> = error
        .problems()
        .iter()
        .map(|problem| format!("{}: {problem}", error.format()))
        .collect();
    let more = error.total() - error.problems().len();
    if more > 0 {
        lines.push(format!("and {more} more problems"));
    }
    lines.join("\n")
}

/// The format of a JSON document, from its top-level keys (an array is S3's
/// when its first object has `AllowedOrigins` or `AllowedMethods`, the
/// DSL's otherwise):
///
/// - `CORSRules`: `s3-json`;
/// - `openapi` or `swagger`: `apigw-openapi` with `x-amazon-apigateway-cors`,
///   `apigw-rest` otherwise (its reader looks for the `options` mock
///   integrations under `paths`);
/// - `AccessControlAllowOrigins` or `CorsConfig`: `cloudfront`;
/// - `CorsConfiguration`: `apigw-http`; `Cors`: `lambda-url`;
/// - a bare `AllowOrigins`, `AllowMethods`, `AllowHeaders`,
///   `ExposeHeaders`, `MaxAge` or `AllowCredentials`: HTTP API or Lambda
///   URL, which share these keys ([`Ambiguous`]);
/// - anything else (malformed JSON too: the reader names the problem):
///   the DSL's `json`.
fn json_format(start: &str) -> Result<Format, Ambiguous> {
    let mut scan = Scan { text: start, at: 0 };
    if scan.eat(b'[') {
        let s3 =
            scan.eat(b'{') && scan.keys(|key| key == "AllowedOrigins" || key == "AllowedMethods");
        return Ok(if s3 { Format::S3Json } else { Format::Json });
    }
    if !scan.eat(b'{') {
        return Ok(Format::Json);
    }
    let mut seen = Keys::default();
    scan.keys(|key| {
        match key {
            "CORSRules" => seen.s3 = true,
            "openapi" | "swagger" => seen.openapi = true,
            "x-amazon-apigateway-cors" => seen.http_extension = true,
            "AccessControlAllowOrigins" | "CorsConfig" => seen.cloudfront = true,
            "CorsConfiguration" => seen.http_wrapped = true,
            "Cors" => seen.lambda_wrapped = true,
            "AllowOrigins" | "AllowMethods" | "AllowHeaders" | "ExposeHeaders" | "MaxAge"
            | "AllowCredentials" => seen.pascal = true,
            _ => {}
        }
        false
    });
    Ok(if seen.s3 {
        Format::S3Json
    } else if seen.openapi && seen.http_extension {
        Format::ApigwOpenapi
    } else if seen.openapi {
        Format::ApigwRest
    } else if seen.cloudfront {
        Format::Cloudfront
    } else if seen.http_wrapped {
        Format::ApigwHttp
    } else if seen.lambda_wrapped {
        Format::LambdaUrl
    } else if seen.pascal {
        return Err(Ambiguous {
            candidates: vec![Format::ApigwHttp, Format::LambdaUrl],
            why: "a bare HTTP API `CorsConfiguration` and a Lambda function URL `Cors` have the \
                  same keys (`AllowOrigins`, `AllowMethods`, ...)",
        });
    } else {
        Format::Json
    })
}

/// The top-level keys [`json_format`] looks for.
#[derive(Debug, Default)]
struct Keys {
    s3: bool,
    openapi: bool,
    http_extension: bool,
    cloudfront: bool,
    http_wrapped: bool,
    lambda_wrapped: bool,
    pascal: bool,
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
    fn keys(&mut self, mut wanted: impl FnMut(&str) -> bool) -> bool {
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
        assert_eq!(Format::detect("a.toml", "{}"), Ok(Format::Toml));
        assert_eq!(Format::detect("a.XML", "{}"), Ok(Format::S3Xml));
        assert_eq!(Format::detect("a.json", "origins = 1"), Ok(Format::Json));
    }

    #[test]
    fn content_tells_the_rest() {
        assert_eq!(
            Format::detect("-", "\u{feff} <CORSConfiguration/>"),
            Ok(Format::S3Xml)
        );
        assert_eq!(
            Format::detect("-", "[[rules]]\nid = \"a\""),
            Ok(Format::Toml)
        );
        assert_eq!(
            Format::detect("-", "# a policy\nallow_origins = []"),
            Ok(Format::Toml)
        );
        assert_eq!(
            Format::detect("-", "[ {\"allow_origins\": []} ]"),
            Ok(Format::Json)
        );
        assert_eq!(Format::detect("-", "{\"rules\": []}"), Ok(Format::Json));
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
            assert_eq!(Format::detect("a.json", text), Ok(Format::S3Json), "{text}");
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
            assert_eq!(Format::detect("a.json", text), Ok(Format::Json), "{text}");
        }
    }

    #[test]
    fn deep_nesting_is_skipped_without_recursion() {
        let text = format!(
            r#"{{"a": {}{}, "CORSRules": []}}"#,
            "[".repeat(100_000),
            "]".repeat(100_000)
        );
        assert_eq!(Format::detect("-", &text), Ok(Format::S3Json));
    }
}
