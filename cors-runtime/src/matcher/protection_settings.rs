//! A policy's cross-origin protection settings: whether it is on, and the
//! paths that stay open to cross-site form posts.

use std::borrow::Cow;

/// A policy's cross-origin protection: whether it is on, and the paths
/// that stay open to cross-site `POST`s.
#[derive(Debug, Clone)]
pub(crate) struct Protection {
    /// `cross_origin_protection` (on unless turned off).
    pub(crate) enabled: bool,
    /// `open_paths`, in the order written.
    pub(crate) open_paths: Cow<'static, [OpenPath]>,
}

impl Protection {
    /// The protection of a policy that does not configure it: on, no path open.
    pub(crate) const ON: Protection = Protection {
        enabled: true,
        open_paths: Cow::Borrowed(&[]),
    };

    /// Whether a `POST` to `path` is exempt: some open path matches it.
    pub(crate) fn opens(&self, path: Option<&str>) -> bool {
        match path {
            Some(path) => self.open_paths.iter().any(|open| open.matches(path)),
            None => false,
        }
    }
}

/// A path that stays open to cross-site form posts: exact (`/pay/callback`)
/// or a prefix (`/webhooks/*`, stored as `/webhooks/`), checked by the
/// policy's checker.
#[derive(Debug, Clone)]
pub struct OpenPath {
    /// The exact path, or the prefix up to and including its last `/`.
    pub(crate) path: Cow<'static, str>,
    /// `true` for a `/*` pattern: one or more segments after `path`.
    pub(crate) prefix: bool,
}

impl OpenPath {
    /// Whether the raw request `path` is this one (or under it): a path
    /// with `%`, an empty segment or a `.`/`..` segment never matches, so
    /// that no spelling a server might normalise differently is exempt.
    pub(crate) fn matches(&self, path: &str) -> bool {
        let open = if self.prefix {
            path.len() > self.path.len() && path.starts_with(&*self.path)
        } else {
            path == self.path
        };
        open && is_plain_path(path)
    }
}

/// An absolute path without `%`, empty segments or dot segments.
fn is_plain_path(path: &str) -> bool {
    let Some(segments) = path.strip_prefix('/') else {
        return false;
    };
    !path.contains('%')
        && segments
            .split('/')
            .all(|segment| !matches!(segment, "" | "." | ".."))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn open_paths_match_plain_paths_only() {
        let exact = OpenPath {
            path: Cow::Borrowed("/pay/callback"),
            prefix: false,
        };
        let under = OpenPath {
            path: Cow::Borrowed("/hooks/"),
            prefix: true,
        };
        assert!(exact.matches("/pay/callback"));
        for path in [
            "/pay/callback/",
            "/pay/callbackx",
            "/pay//callback",
            "/pay/%63allback",
            "/pay/./callback",
        ] {
            assert!(!exact.matches(path), "{path}");
        }
        assert!(under.matches("/hooks/a"));
        assert!(under.matches("/hooks/a/b"));
        for path in [
            "/hooks",
            "/hooks/",
            "/hooks//a",
            "/hooks/a/",
            "/hooks/../admin",
            "/hooks/%2e%2e/admin",
            "/hooks/./a",
        ] {
            assert!(!under.matches(path), "{path}");
        }
    }
}
