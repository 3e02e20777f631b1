//! The policy as the person wrote it: its format, its text, and the checked
//! [`Policy`] built from it by the same checker as `cors_policy!` (DSL) or
//! as S3's `PutBucketCors` (S3 configurations).

use cors_runtime::config::ConfigError;
use cors_runtime::s3::LoadError;
use cors_runtime::Policy;
use serde::Serialize;

/// The largest policy text the page may send, in bytes.
pub const MAX_POLICY_LEN: usize = 64 * 1024;

/// The policy the demo starts with, in the DSL's TOML form.
pub const DEFAULT_POLICY: &str = include_str!("default_policy.toml");

/// The languages a policy can be written in.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub enum Format {
    /// `cors_policy!`'s keys in TOML (what `Policy::from_toml` reads).
    #[serde(rename = "dsl-toml")]
    DslToml,
    /// `cors_policy!`'s keys in JSON (what `Policy::from_json` reads).
    #[serde(rename = "dsl-json")]
    DslJson,
    /// An S3 bucket CORS configuration in JSON (`aws s3api` form).
    #[serde(rename = "s3-json")]
    S3Json,
    /// An S3 bucket CORS configuration in XML (`PutBucketCors` form).
    #[serde(rename = "s3-xml")]
    S3Xml,
}

impl Format {
    /// Every format, in the order the page lists them.
    pub const ALL: [Format; 4] = [
        Format::DslToml,
        Format::DslJson,
        Format::S3Json,
        Format::S3Xml,
    ];

    /// The name used in URLs and by the page: `dsl-toml`, `s3-xml`, ...
    pub fn name(self) -> &'static str {
        match self {
            Format::DslToml => "dsl-toml",
            Format::DslJson => "dsl-json",
            Format::S3Json => "s3-json",
            Format::S3Xml => "s3-xml",
        }
    }

    /// The format called `name`.
    pub fn from_name(name: &str) -> Option<Format> {
        Format::ALL.into_iter().find(|format| format.name() == name)
    }

    /// An example policy in this format, equivalent to [`DEFAULT_POLICY`]
    /// (S3 has no `allow_credentials`: it allows credentials for every
    /// origin that is not `*`).
    pub fn example(self) -> &'static str {
        match self {
            Format::DslToml => DEFAULT_POLICY,
            Format::DslJson => include_str!("example_policy.json"),
            Format::S3Json => include_str!("example_s3.json"),
            Format::S3Xml => include_str!("example_s3.xml"),
        }
    }

    /// Checks `text` and builds its policy, or lists every problem found
    /// (bounded, as the loaders bound them), one message each.
    pub fn load(self, text: &str) -> Result<Policy, Vec<String>> {
        match self {
            Format::DslToml => Policy::from_toml(text).map_err(|e| config_problems(&e)),
            Format::DslJson => Policy::from_json(text).map_err(|e| config_problems(&e)),
            Format::S3Json => Policy::from_s3_json(text).map_err(|e| s3_problems(&e)),
            Format::S3Xml => Policy::from_s3_xml(text).map_err(|e| s3_problems(&e)),
        }
    }
}

/// One line per listed problem, then how many more there were.
fn config_problems(error: &ConfigError) -> Vec<String> {
    let mut lines: Vec<String> = error.problems().iter().map(ToString::to_string).collect();
    push_unlisted(&mut lines, error.unlisted());
    lines
}

/// One line per listed problem of an S3 configuration, then how many more.
fn s3_problems(error: &LoadError) -> Vec<String> {
    match error {
        LoadError::Invalid(errors) => {
            let mut lines: Vec<String> = errors.iter().map(ToString::to_string).collect();
            push_unlisted(&mut lines, errors.unlisted());
            lines
        }
        other => vec![other.to_string()],
    }
}

fn push_unlisted(lines: &mut Vec<String>, unlisted: usize) {
    match unlisted {
        0 => {}
        1 => lines.push("and 1 more problem".to_owned()),
        more => lines.push(format!("and {more} more problems")),
    }
}

/// The policy that answers now, as written.
#[derive(Debug, Clone, Serialize, PartialEq, Eq)]
pub struct PolicyText {
    /// Its format.
    pub format: Format,
    /// Its text.
    pub text: String,
}

impl Default for PolicyText {
    fn default() -> Self {
        PolicyText {
            format: Format::DslToml,
            text: DEFAULT_POLICY.to_owned(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_example_is_a_valid_policy() {
        for format in Format::ALL {
            if let Err(problems) = format.load(format.example()) {
                panic!("the {} example is refused: {problems:?}", format.name());
            }
            assert_eq!(Format::from_name(format.name()), Some(format));
        }
        assert_eq!(Format::from_name("yaml"), None);
    }

    #[test]
    fn the_default_policys_suggested_lines_hold() {
        assert!(Format::DslToml
            .load(DEFAULT_POLICY)
            .is_ok_and(|policy| policy.cross_origin_protection()));
        for (line, protection) in [
            ("cross_origin_protection = false", false),
            ("open_paths = [\"/api/form\"]", true),
        ] {
            assert!(DEFAULT_POLICY.contains(&format!("#   {line}\n")), "{line}");
            let policy = Format::DslToml.load(&format!("{line}\n{DEFAULT_POLICY}"));
            match policy {
                Ok(policy) => assert_eq!(policy.cross_origin_protection(), protection),
                Err(problems) => panic!("{line}: {problems:?}"),
            }
        }
    }

    #[test]
    fn a_bad_policy_lists_every_problem_with_its_place() {
        let text = "allow_origins = [\"https://*.com\", \"ftp://x\"]\nallow_methods = [\"GET\"]\nallow_credentials = true\n";
        let problems = Format::DslToml.load(text).expect_err("two problems");
        assert_eq!(problems.len(), 2, "{problems:?}");
        assert!(problems[0].starts_with("allow_origins[0]:"), "{problems:?}");
        assert!(problems[1].starts_with("allow_origins[1]:"), "{problems:?}");
    }

    #[test]
    fn problems_beyond_the_listed_ones_are_counted() {
        let origins: Vec<String> = (0..30).map(|n| format!("\"ftp://{n}\"")).collect();
        let text = format!("allow_origins = [{}]\n", origins.join(", "));
        let problems = Format::DslToml.load(&text).expect_err("30 problems");
        assert!(problems.len() < 30);
        let last = problems.last().map(String::as_str).unwrap_or_default();
        assert!(
            last.starts_with("and ") && last.ends_with(" more problems"),
            "{last}"
        );
    }

    #[test]
    fn s3_and_syntax_errors_are_reported_too() {
        let problems = Format::S3Xml
            .load("<CORSConfiguration>")
            .expect_err("bad XML");
        assert_eq!(problems.len(), 1);
        let problems = Format::S3Json
            .load(r#"{"CORSRules":[{"AllowedMethods":["BREW"],"AllowedOrigins":["*"]}]}"#)
            .expect_err("bad method");
        assert!(problems[0].contains("BREW"), "{problems:?}");
        let problems = Format::DslJson.load("{").expect_err("bad JSON");
        assert_eq!(problems.len(), 1);
    }
}
