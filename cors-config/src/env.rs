//! A one-rule policy from environment variables: `{P}_ALLOW_ORIGINS`,
//! `{P}_ALLOW_METHODS`, `{P}_ALLOW_HEADERS`, `{P}_EXPOSE_HEADERS`,
//! `{P}_OPEN_PATHS` (comma-separated), `{P}_MAX_AGE`,
//! `{P}_ALLOW_CREDENTIALS` and `{P}_CROSS_ORIGIN_PROTECTION` (`true` or
//! `false`), `{P}_ID` and the two `{P}_DANGEROUSLY_...` switches.
//!
//! Only the variables with the prefix are read, whatever the bytes of the
//! others. Any other `{P}_...` variable is an error (a typo must not
//! silently weaken the policy), and so is one of ours that is not UTF-8,
//! is set but empty, or is too large: together they hold at most
//! [`MAX_DOCUMENT_LEN`] bytes, the limit of a policy document. Values and
//! list items are trimmed of ASCII spaces and tabs only: a Unicode space
//! such as U+00A0 is kept, and refused where it does not belong.

use std::ffi::OsStr;

use cors_grammar::quote;

use crate::error::{ConfigError, ConfigProblem, Source};
use crate::model::PolicyModel;
use crate::raw::{RawField, RawItem, RawPolicy, RawRule, RawValue};
use crate::sources::{check_raw, MAX_DOCUMENT_LEN};

/// The only characters trimmed around a value and its list items.
const ENV_SPACE: [char; 2] = [' ', '\t'];

/// Checks a one-rule policy given as `{prefix}_...` environment variables,
/// from `variables` as `std::env::vars_os()` or `std::env::vars()` give
/// them (or any pairs of strings); variables without the prefix are
/// skipped, whatever their bytes.
pub fn from_env_vars<N, V>(
    prefix: &str,
    variables: impl IntoIterator<Item = (N, V)>,
) -> Result<PolicyModel, ConfigError>
where
    N: AsRef<OsStr>,
    V: AsRef<OsStr>,
{
    let start = format!("{prefix}_");
    let mut ours = prefixed_variables(prefix, &start, variables)?;
    // The environment has no order: name order makes messages stable.
    ours.sort_by(|(a, _), (b, _)| {
        cors_grammar::work::step();
        a.as_ref().cmp(b.as_ref())
    });
    let fields = raw_fields(&start, &ours)?;
    check_raw(
        RawPolicy::Single(RawRule { fields }),
        Source::Environment {
            prefix: prefix.to_owned(),
        },
    )
}

/// The variables whose names begin with `start` (`{prefix}_`), in the
/// order given; an error for a value over [`MAX_DOCUMENT_LEN`] bytes, or
/// for more than that in all.
fn prefixed_variables<N, V>(
    prefix: &str,
    start: &str,
    variables: impl IntoIterator<Item = (N, V)>,
) -> Result<Vec<(N, V)>, ConfigError>
where
    N: AsRef<OsStr>,
    V: AsRef<OsStr>,
{
    let mut ours: Vec<(N, V)> = Vec::new();
    let mut total = 0usize;
    for (name, value) in variables {
        cors_grammar::work::step();
        let name_len = name.as_ref().len();
        if !name
            .as_ref()
            .as_encoded_bytes()
            .starts_with(start.as_bytes())
        {
            continue;
        }
        let value_len = value.as_ref().len();
        cors_grammar::work::add(start.len());
        if value_len > MAX_DOCUMENT_LEN {
            let mut refused = Refused::default();
            refused.push(
                &name.as_ref().to_string_lossy(),
                None,
                format!("the value is {value_len} bytes long; a policy variable has at most {MAX_DOCUMENT_LEN} bytes"),
            );
            return Err(refused.into_error());
        }
        total = total.saturating_add(name_len + value_len);
        if total > MAX_DOCUMENT_LEN {
            return Err(ConfigError::syntax(format!(
                "the `{prefix}_*` variables hold more than {MAX_DOCUMENT_LEN} bytes in all, the most a policy may have"
            )));
        }
        ours.push((name, value));
    }
    Ok(ours)
}

/// The fields of the variables in `ours`, keyed by their names after
/// `start`, lower-cased; an error naming every variable that is not UTF-8
/// or is set but empty.
fn raw_fields<N, V>(start: &str, ours: &[(N, V)]) -> Result<Vec<RawField>, ConfigError>
where
    N: AsRef<OsStr>,
    V: AsRef<OsStr>,
{
    let mut refused = Refused::default();
    let mut fields = Vec::with_capacity(ours.len());
    for (name, value) in ours {
        let (name, value) = (name.as_ref(), value.as_ref());
        cors_grammar::work::add(1 + name.len() + value.len());
        let Some(name) = name.to_str() else {
            refused.push(
                &name.to_string_lossy(),
                None,
                "the name is not UTF-8 text; rename or unset the variable".to_owned(),
            );
            continue;
        };
        let key = name[start.len()..].to_ascii_lowercase();
        let Some(value) = value.to_str() else {
            refused.push(
                name,
                Some(&key),
                "the value is not UTF-8 text; write it in UTF-8".to_owned(),
            );
            continue;
        };
        if value.trim_matches(ENV_SPACE).is_empty() {
            refused.push(
                name,
                Some(&key),
                format!(
                    "the variable is set but empty (an empty value is not an empty list); unset it to leave `{}` out: `unset {}`",
                    quote(&key),
                    quote(name)
                ),
            );
            continue;
        }
        let value = env_value(&key, value);
        fields.push(RawField { key, value });
    }
    if refused.total > 0 {
        return Err(refused.into_error());
    }
    Ok(fields)
}

/// Checks a one-rule policy from this process's `{prefix}_...` environment
/// variables ([`from_env_vars`] over `std::env::vars_os()`): one of them
/// that is not UTF-8 is an error that names it, and the other variables
/// are never read.
pub fn from_env(prefix: &str) -> Result<PolicyModel, ConfigError> {
    from_env_vars(prefix, std::env::vars_os())
}

/// The variables refused before the checker runs: the first
/// [`cors_grammar::report::MAX_REPORTED`], and how many there were.
#[derive(Default)]
struct Refused {
    listed: Vec<ConfigProblem>,
    total: usize,
}

impl Refused {
    /// Records what is wrong with the variable `name` (of `key`).
    fn push(&mut self, name: &str, key: Option<&str>, message: String) {
        self.total += 1;
        if self.listed.len() < cors_grammar::report::MAX_REPORTED {
            self.listed.push(ConfigProblem {
                message,
                path: quote(name).to_string(),
                rule: None,
                id: None,
                key: key.map(|key| quote(key).to_string()),
                item: None,
                value: None,
                opt_in: None,
            });
        }
    }

    fn into_error(self) -> ConfigError {
        ConfigError::listed(self.listed, self.total)
    }
}

/// A value by its key: lists split at commas, numbers and booleans parsed,
/// anything unparsable kept as text (which the checker then refuses as a
/// value of the wrong kind).
fn env_value(key: &str, value: &str) -> RawValue {
    let trimmed = value.trim_matches(ENV_SPACE);
    match key {
        "allow_origins" | "allow_methods" | "allow_headers" | "expose_headers" | "open_paths" => {
            RawValue::List(
                trimmed
                    .split(',')
                    .map(|item| RawItem::Str(item.trim_matches(ENV_SPACE).to_owned()))
                    .collect(),
            )
        }
        "max_age" => {
            let (negative, digits) = match trimmed.strip_prefix('-') {
                Some(digits) => (true, digits),
                None => (false, trimmed),
            };
            if !digits.is_empty() && digits.bytes().all(|b| b.is_ascii_digit()) {
                RawValue::Int {
                    negative,
                    digits: digits.to_owned(),
                }
            } else {
                RawValue::Str(value.to_owned())
            }
        }
        "allow_credentials"
        | "cross_origin_protection"
        | "dangerously_allow_insecure_origins"
        | "dangerously_allow_public_suffix_wildcards" => match trimmed {
            "true" => RawValue::Bool(true),
            "false" => RawValue::Bool(false),
            _ => RawValue::Str(value.to_owned()),
        },
        _ => RawValue::Str(value.to_owned()),
    }
}
