// A raw identifier is the identifier: `r#get` is `get`, and the fix is `GET`.
use cors_runtime::{cors_policy, Policy};

cors_policy! {
    static P: Policy = {
        allow_origins: ["https://a.example.com"],
        allow_methods: [r#get, r#patch],
    };
}

fn main() {}
