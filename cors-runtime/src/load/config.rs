//! Run-time DSL policies (features `json`, `toml`, `env`, `serde`): a
//! policy from JSON, TOML, the environment or a [`PolicyConfig`], checked by the same checker as
//! `cors_policy!` (the `cors-config` crate) and laid out by the same
//! lowering, then held in owned memory and evaluated by the same matcher.

use std::borrow::Cow;

#[cfg(any(feature = "json", feature = "toml", feature = "env", feature = "serde"))]
use cors_config::{ConfigError, PolicyConfig};
use cors_config::__private::{Layout, RuleLayout};
use cors_config::{PolicyModel, Port};

use crate::answer::value::PrebuiltValue;
use crate::answer::{AnswerShape, RuleAnswer};
use crate::front::origin::{OriginEntry, PortPattern};
use crate::matcher::dsl::DslMatcher;
use crate::matcher::origin_index::{OriginIndex, Slot};
use crate::matcher::protection_settings::{OpenPath, Protection};
use crate::matcher::rule::{HeaderPattern, HeaderSet, MethodSet, Rule};
use crate::matcher::rule_index::RuleIndex;
use crate::matcher::rule_set::RuleSet;
use crate::policy::Matcher;
use crate::Policy;

impl Policy {
    /// A policy written as JSON: one rule as an object with the DSL's keys,
    /// or several rules as an array of such objects (first match wins), or
    /// as `{"rules": [...]}` with the policy's own keys beside `rules`
    /// (`{"open_paths": ["/pay/callback"], "rules": [...]}`).
    /// Methods and headers are strings (`"get"` is refused with the fix
    /// `"GET"`; `"patch"` is accepted as written).
    ///
    /// ```
    /// use cors_runtime::Policy;
    /// use http::{HeaderMap, HeaderValue, Method};
    ///
    /// let policy = Policy::from_json(
    ///     r#"{"allow_origins": ["https://app.example.com"], "allow_methods": ["GET"]}"#,
    /// )?;
    /// let mut request = HeaderMap::new();
    /// request.insert("origin", HeaderValue::from_static("https://app.example.com"));
    /// assert!(policy.evaluate(&Method::GET, &request).is_allowed());
    ///
    /// let refused = Policy::from_json(r#"{"allow_origins": ["*"], "allow_methods": ["GET"], "allow_credentials": true}"#);
    /// assert!(refused.unwrap_err().to_string().starts_with("allow_origins[0]: the `\"*\"` origin cannot be combined"));
    /// # Ok::<(), cors_runtime::config::ConfigError>(())
    /// ```
    #[cfg(feature = "json")]
    #[cfg_attr(docsrs, doc(cfg(feature = "json")))]
    pub fn from_json(text: &str) -> Result<Policy, ConfigError> {
        cors_config::from_json(text).map(|model| Policy::from_model(&model))
    }

    /// A policy written as TOML: one rule as top-level keys, or several as
    /// `[[rules]]` tables, the policy's own keys (`cross_origin_protection`,
    /// `open_paths`) then at the top level.
    #[cfg(feature = "toml")]
    #[cfg_attr(docsrs, doc(cfg(feature = "toml")))]
    pub fn from_toml(text: &str) -> Result<Policy, ConfigError> {
        cors_config::from_toml(text).map(|model| Policy::from_model(&model))
    }

    /// A one-rule policy from this process's environment:
    /// `{prefix}_ALLOW_ORIGINS`, `{prefix}_ALLOW_METHODS`,
    /// `{prefix}_ALLOW_HEADERS`, `{prefix}_EXPOSE_HEADERS`,
    /// `{prefix}_OPEN_PATHS` (comma-separated), `{prefix}_MAX_AGE`,
    /// `{prefix}_ALLOW_CREDENTIALS` and `{prefix}_CROSS_ORIGIN_PROTECTION`
    /// (`true`/`false`), `{prefix}_ID` and the two `{prefix}_DANGEROUSLY_...`
    /// switches. Any other `{prefix}_...` variable is an error.
    #[cfg(feature = "env")]
    #[cfg_attr(docsrs, doc(cfg(feature = "env")))]
    pub fn from_env(prefix: &str) -> Result<Policy, ConfigError> {
        cors_config::from_env(prefix).map(|model| Policy::from_model(&model))
    }

    /// [`Policy::from_env`] over given variables instead of the process's.
    #[cfg(feature = "env")]
    #[cfg_attr(docsrs, doc(cfg(feature = "env")))]
    pub fn from_env_vars(
        prefix: &str,
        variables: impl IntoIterator<Item = (String, String)>,
    ) -> Result<Policy, ConfigError> {
        cors_config::from_env_vars(prefix, variables).map(|model| Policy::from_model(&model))
    }

    #[cfg(any(feature = "json", feature = "toml", feature = "env", feature = "serde"))]
    /// A policy given as a [`PolicyConfig`] (owned or borrowed), built in
    /// code or deserialized with serde from any format.
    pub fn from_config(
        config: impl std::borrow::Borrow<PolicyConfig>,
    ) -> Result<Policy, ConfigError> {
        cors_config::from_config(config).map(|model| Policy::from_model(&model))
    }

    /// Builds the matcher of a checked policy from `cors-config`'s layout,
    /// the same one `cors_policy!` writes into statics.
    pub(crate) fn from_model(model: &PolicyModel) -> Policy {
        let Layout {
            rules,
            index,
            any_origin,
            origin_independent,
            protection,
            rule_index,
        } = cors_config::__private::layout(model);
        let slots: Vec<Slot> = index
            .slots
            .iter()
            .map(|slot| Slot {
                host: slot.host,
                entries: slot.entries,
            })
            .collect();
        let entries: Vec<OriginEntry> = index
            .entries
            .iter()
            .map(|entry| OriginEntry {
                scheme: entry.scheme,
                port: match entry.port {
                    Port::Absent => PortPattern::Absent,
                    Port::Exact(port) => PortPattern::Exact(port),
                    Port::Any => PortPattern::Any,
                },
                subdomains: entry.subdomains,
                rule: entry.rule,
            })
            .collect();
        let schemes = index
            .schemes
            .into_iter()
            .map(Cow::Owned)
            .collect::<Vec<_>>();
        Policy {
            matcher: Matcher::Dsl(DslMatcher {
                rules: Cow::Owned(rules.into_iter().map(rule).collect()),
                origins: OriginIndex::owned(
                    index.seed,
                    index.pilots,
                    index.remap,
                    slots,
                    index.hosts,
                    entries,
                    schemes,
                ),
                any_origin: RuleSet(any_origin),
                origin_independent,
                protection: Protection {
                    enabled: protection.enabled,
                    open_paths: Cow::Owned(
                        protection
                            .open_paths
                            .into_iter()
                            .map(|(path, prefix)| OpenPath {
                                path: Cow::Owned(path),
                                prefix,
                            })
                            .collect(),
                    ),
                },
                rule_index: RuleIndex::owned(rule_index),
            }),
        }
    }
}

fn texts(values: Vec<String>) -> Cow<'static, [Cow<'static, str>]> {
    Cow::Owned(values.into_iter().map(Cow::Owned).collect())
}

/// A header value the checker has already limited to visible ASCII
/// (methods and header names are tokens, max-age is digits); a value that
/// still fails is left out rather than sent malformed.
fn value(text: String) -> Option<PrebuiltValue> {
    PrebuiltValue::owned(&text).ok()
}

fn rule(layout: RuleLayout) -> Rule {
    Rule {
        methods: MethodSet::of_owned(
            layout.any_method,
            layout.methods.into_iter().map(Cow::Owned).collect(),
        ),
        headers: HeaderSet {
            any: layout.any_header,
            names: texts(layout.headers),
            patterns: Cow::Owned(
                layout
                    .header_patterns
                    .into_iter()
                    .map(|(prefix, suffix)| HeaderPattern {
                        prefix: Cow::Owned(prefix),
                        suffix: Cow::Owned(suffix),
                    })
                    .collect(),
            ),
        },
        answer: RuleAnswer {
            id: layout.id.map(Cow::Owned),
            // `*` only without credentials: else the origin is echoed.
            any_origin: layout.any_origin && !layout.credentials,
            credentials: layout.credentials,
            echo_method: layout.any_method,
            allow_methods: value(layout.allow_methods).unwrap_or(PrebuiltValue::from_static("")),
            expose_headers: layout.expose_headers.and_then(value),
            max_age: layout.max_age.and_then(value),
            shape: AnswerShape::Dsl,
        },
    }
}

#[cfg(all(test, feature = "json", feature = "toml", feature = "env"))]
mod tests {
    use super::*;

    /// The DSL matcher of a run-time policy.
    fn dsl_matcher(policy: &Policy) -> &DslMatcher {
        policy.matcher.dsl().expect("a DSL policy")
    }

    /// Origins built from parts that each stress one step: schemes the fast
    /// split takes or leaves, hosts equal to keys, suffixes of keys, invalid
    /// bytes before a base, ports valid and not.
    fn origins() -> Vec<String> {
        let schemes = ["https://", "http://", "HTTPS://", "ftp://", "https:/", ""];
        let hosts = [
            "app.example.com",
            "eu.app.example.com",
            "a.b.c.example.com",
            "example.com",
            ".example.com",
            "x..example.com",
            "X.example.com",
            "x/.example.com",
            "x:y.example.com",
            "x@example.com",
            "-.example.com",
            "_a.example.com",
            "app.example.com.",
            "localhost",
            "127.0.0.1",
            "[::1]",
            "[::1",
            "api.test",
            "a.api.test",
            "",
            &"a".repeat(64),
            &format!("{}.example.com", "a".repeat(64)),
            &format!("{}.example.com", "a".repeat(63)),
            &format!("{}example.com", "a.".repeat(125)),
        ]
        .map(String::from);
        let ports = [
            "", ":443", ":8080", ":0", ":08080", ":65536", ":", ":1a", "::80", ":123456",
        ];
        let mut all = vec!["null".to_owned()];
        for scheme in schemes {
            for host in &hosts {
                for port in ports {
                    all.push(format!("{scheme}{host}{port}"));
                }
            }
        }
        all
    }

    #[test]
    fn the_origin_fast_split_matches_what_the_full_parse_matches() {
        let policies = [
            r#"[{"allow_origins": ["https://app.example.com", "https://*.example.com", "http://localhost:*", "http://127.0.0.1:8080", "http://[::1]:*"], "allow_methods": ["GET"]},
                {"allow_origins": ["https://*.api.test", "https://api.test:8443"], "allow_methods": ["PUT"]}]"#,
            r#"[{"allow_origins": ["https://*.example.com"], "allow_methods": ["GET"]},
                {"allow_origins": ["*"], "allow_methods": ["PUT"]}]"#,
            r#"{"allow_origins": ["https://app.example.com"], "allow_methods": ["GET"]}"#,
        ];
        let mut seed = 0x2545_f491_4f6c_dd1d_u64;
        let mut random = || {
            seed ^= seed << 13;
            seed ^= seed >> 7;
            seed ^= seed << 17;
            seed
        };
        let alphabet = b"ae.-_:[]1/@Ax";
        for text in policies {
            let policy = Policy::from_json(text).expect("valid policy");
            let dsl = dsl_matcher(&policy);
            let mut values: Vec<Vec<u8>> = origins().into_iter().map(String::into_bytes).collect();
            for _ in 0..20_000 {
                let mut value = b"https://".to_vec();
                for _ in 0..random() % 24 {
                    value.push(alphabet[(random() % alphabet.len() as u64) as usize]);
                }
                value.extend_from_slice(
                    [&b"example.com"[..], b"app.example.com", b""][(random() % 3) as usize],
                );
                values.push(value);
            }
            for value in values {
                assert_eq!(
                    dsl.match_origin(&value),
                    dsl.match_origin_by_parse(&value),
                    "{}",
                    String::from_utf8_lossy(&value)
                );
            }
        }
    }

    /// The protection comes from the layout: its switch, and the open paths
    /// as exact paths and prefixes, in order.
    #[test]
    fn the_protection_is_built_from_the_layout() {
        let policy = Policy::from_json(
            r#"{"open_paths": ["/pay/callback", "/hooks/*"], "rules": [{"allow_origins": ["https://app.example.com"], "allow_methods": ["POST"]}]}"#,
        )
        .expect("valid policy");
        let protection = &dsl_matcher(&policy).protection;
        assert!(protection.enabled);
        let open: Vec<(&str, bool)> = protection
            .open_paths
            .iter()
            .map(|open| (&*open.path, open.prefix))
            .collect();
        assert_eq!(open, [("/pay/callback", false), ("/hooks/", true)]);
        let off = Policy::from_toml(
            "cross_origin_protection = false\nallow_origins = [\"*\"]\nallow_methods = [\"POST\"]\n",
        )
        .expect("valid policy");
        assert!(!dsl_matcher(&off).protection.enabled);
        assert!(dsl_matcher(&off).protection.open_paths.is_empty());
    }
}
