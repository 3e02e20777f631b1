// Full-width letters: a browser maps them (UTS #46) before sending the origin.
use cors_runtime::{cors_policy, Policy};

cors_policy! {
    static P: Policy = {
        allow_origins: ["https://ｅxample.com", "https://*.ÉXAMPLE.org"],
        allow_methods: [GET],
    };
}

fn main() {}
