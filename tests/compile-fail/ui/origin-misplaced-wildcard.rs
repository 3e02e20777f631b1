use cors_runtime::{cors_policy, Policy};

cors_policy! {
    static P: Policy = {
        allow_origins: ["https://*example.com", "https://a.*.example.com", "https://**.example.com", "https://example.*"],
        allow_methods: [GET],
    };
}

fn main() {}
