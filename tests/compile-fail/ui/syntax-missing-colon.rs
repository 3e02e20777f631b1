use cors_runtime::cors_policy;

cors_policy! {
    static P: cors_runtime::Policy = { allow_origins ["https://a.example"], allow_methods: [GET] };
}

fn main() {}
