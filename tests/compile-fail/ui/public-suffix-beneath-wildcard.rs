// Bases that are not public suffixes themselves, but have one beneath them
// (private and ICANN sections), or are a bare top-level domain.
use cors_runtime::{cors_policy, Policy};

cors_policy! {
    static P: Policy = {
        allow_origins: ["https://*.amazonaws.com", "https://*.elb.amazonaws.com", "https://*.kawasaki.jp", "https://*.ck", "https://*.internal"],
        allow_methods: [GET],
        allow_credentials: true,
    };
}

fn main() {}
