// First match wins: the second rule is never chosen, so its expose_headers
// never reach a browser.
use cors_runtime::{cors_policy, Policy};

cors_policy! {
    static P: Policy = [
        { allow_origins: ["*"], allow_methods: [GET] },
        { id: "etag", allow_origins: ["https://a.example.com"], allow_methods: [GET], expose_headers: ["etag"] },
        { allow_origins: ["https://*.example.org"], allow_methods: [GET, PUT], allow_headers: ["x-*"] },
        { allow_origins: ["https://a.example.org", "https://*.b.example.org"], allow_methods: [PUT], allow_headers: ["x-a", "x-b-*"] },
    ];
}

fn main() {}
