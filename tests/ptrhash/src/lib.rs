//! A crate that enables `phf/ptrhash` (as any crate in a user's dependency
//! graph may) and declares policies: with Cargo's feature unification, an
//! expansion that wrote `phf::Map`'s fields would not compile here. The
//! tests below compile only if the expansion does not depend on phf's
//! layout, and show the index finds every origin.

use cors_runtime::{cors_policy, Policy};

cors_policy! {
    /// Exact origins, a wildcard and a port wildcard.
    pub static API: Policy = {
        allow_origins: ["https://app.example.com", "https://*.example.org", "http://localhost:*"],
        allow_methods: [GET, PUT],
    };

    /// Many origins, so the index has many slots.
    pub static MANY: Policy = [
        { allow_origins: ["https://a1.example", "https://a2.example", "https://a3.example", "https://a4.example", "https://a5.example", "https://a6.example", "https://a7.example", "https://a8.example"], allow_methods: [GET] },
        { allow_origins: ["https://b1.example", "https://b2.example"], allow_methods: [POST] },
    ];
}

/// A `phf` map built by phf's own macro under `ptrhash`, so this crate
/// really uses the feature's layout.
pub static PHF_WITH_PTRHASH: phf::Map<&'static str, u8> = phf::phf_map! { "a" => 1, "b" => 2 };

#[cfg(test)]
mod tests {
    use super::*;
    use http::{HeaderMap, HeaderValue, Method};

    fn allowed(policy: &Policy, method: Method, origin: &'static str) -> bool {
        let mut headers = HeaderMap::new();
        headers.insert("origin", HeaderValue::from_static(origin));
        policy.evaluate(&method, &headers).is_allowed()
    }

    #[test]
    fn policies_work_with_phf_ptrhash_enabled() {
        assert_eq!(PHF_WITH_PTRHASH.get("b"), Some(&2));
        assert!(allowed(&API, Method::GET, "https://app.example.com"));
        assert!(allowed(&API, Method::PUT, "https://x.y.example.org"));
        assert!(allowed(&API, Method::GET, "http://localhost:5173"));
        assert!(!allowed(&API, Method::GET, "https://example.org"));
        assert!(!allowed(&API, Method::GET, "https://evil.example.com"));
        for i in 1..=8 {
            let origin: &'static str = Box::leak(format!("https://a{i}.example").into_boxed_str());
            assert!(allowed(&MANY, Method::GET, origin), "{origin}");
        }
        assert!(allowed(&MANY, Method::POST, "https://b2.example"));
        assert!(!allowed(&MANY, Method::POST, "https://a1.example"));
        assert!(!allowed(&MANY, Method::GET, "https://a9.example"));
    }
}
