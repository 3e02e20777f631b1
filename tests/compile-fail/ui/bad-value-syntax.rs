use cors_runtime::cors_policy;

cors_policy! {
    static P: cors_runtime::Policy = { allow_origins: ["https://a.example"], max_age: 1.5, allow_methods: [GET] };
}

fn main() {}
