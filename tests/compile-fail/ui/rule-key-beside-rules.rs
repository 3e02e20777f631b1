// Beside `rules` only the policy's own keys belong: a rule's key there, an
// unknown key and a second `rules` are refused.
use cors_runtime::{cors_policy, Policy};

cors_policy! {
    static P: Policy = {
        allow_credentials: true,
        open_path: ["/pay/callback"],
        rules: [{ allow_origins: ["https://app.example.com"], allow_methods: [POST] }],
        rules: [{ allow_origins: ["https://admin.example.com"], allow_methods: [POST] }],
    };
}

fn main() {}
