//! `read(write(x)) == x` for every format, over many models: whatever a
//! writer accepts reads back unchanged, and whatever it refuses is refused
//! with at least one problem, never dropped silently.

use cors_aws::{
    read, read_rest, write, write_rest, AwsCors, AwsOrigin, Format, Headers, Methods, Scheme,
};

/// A small deterministic generator (xorshift), so that failures repeat.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0
    }

    fn below(&mut self, n: usize) -> usize {
        (self.next() % n as u64) as usize
    }

    fn chance(&mut self) -> bool {
        self.next() % 2 == 0
    }
}

fn strings(values: &[&str]) -> Vec<String> {
    values.iter().map(|v| (*v).to_owned()).collect()
}

fn origins_pool() -> Vec<AwsOrigin> {
    vec![
        AwsOrigin::Exact("https://a.example".into()),
        AwsOrigin::Exact("http://localhost:3000".into()),
        AwsOrigin::Exact("https://[::1]:8443".into()),
        AwsOrigin::Any,
        AwsOrigin::AnyWithScheme(Scheme::Https),
        AwsOrigin::AnyWithScheme(Scheme::Http),
        AwsOrigin::Subdomains {
            scheme: None,
            base: "example.org".into(),
        },
        AwsOrigin::Subdomains {
            scheme: Some(Scheme::Https),
            base: "example.org".into(),
        },
        // Values spelt like others: writers must refuse them.
        AwsOrigin::Exact("*".into()),
        AwsOrigin::Exact("https://*".into()),
        AwsOrigin::Exact("*.example.org".into()),
    ]
}

fn model(rng: &mut Rng) -> AwsCors {
    let pool = origins_pool();
    let mut allow_origins = Vec::new();
    for origin in pool {
        if rng.below(5) == 0 {
            allow_origins.push(origin);
        }
    }
    let methods = [
        Methods::Any,
        Methods::List(Vec::new()),
        Methods::List(strings(&["GET"])),
        Methods::List(strings(&["GET", "POST", "OPTIONS"])),
        Methods::List(strings(&["PATCH", "DELETE"])),
        Methods::List(strings(&["*"])),
        Methods::List(strings(&["ALL"])),
        Methods::List(strings(&[
            "GET", "POST", "OPTIONS", "PUT", "DELETE", "PATCH", "HEAD",
        ])),
    ];
    let headers = [
        Headers::none(),
        Headers::any(),
        Headers::names(["Content-Type"]),
        Headers::names(["*"]),
        Headers {
            any: true,
            names: strings(&["Authorization"]),
        },
    ];
    let expose = [
        Headers::none(),
        Headers::any(),
        Headers::names(["ETag", "X-Request-Id"]),
    ];
    let ages = [
        None,
        Some(-1),
        Some(0),
        Some(600),
        Some(86_400),
        Some(86_401),
    ];
    let overrides = [None, Some(true), Some(false)];
    AwsCors {
        allow_origins,
        allow_methods: methods[rng.below(methods.len())].clone(),
        allow_headers: headers[rng.below(headers.len())].clone(),
        expose_headers: expose[rng.below(expose.len())].clone(),
        max_age: ages[rng.below(ages.len())],
        allow_credentials: rng.chance(),
        origin_override: overrides[rng.below(overrides.len())],
    }
}

/// What the model means in `format`: only CloudFront holds
/// `OriginOverride`, written `true` when absent; the others always
/// override, so `Some(true)` says nothing there.
fn as_read_back(mut cors: AwsCors, format: Format) -> AwsCors {
    cors.origin_override = match format {
        Format::CloudFront => Some(cors.origin_override.unwrap_or(true)),
        _ => None,
    };
    cors
}

#[test]
fn whatever_a_writer_accepts_reads_back_unchanged() {
    let mut rng = Rng(0x9E37_79B9_7F4A_7C15);
    let mut written = [0usize; 5];
    let mut refused = [0usize; 5];
    for _ in 0..3_000 {
        let cors = model(&mut rng);
        for (index, format) in Format::ALL.into_iter().enumerate() {
            match write(format, &cors) {
                Ok(text) => {
                    written[index] += 1;
                    assert_eq!(
                        read(format, &text),
                        Ok(as_read_back(cors.clone(), format)),
                        "{format}: {cors:?}\n{text}"
                    );
                    // Writing what was read gives the same text again.
                    let again = read(format, &text).and_then(|back| write(format, &back));
                    assert_eq!(again.as_deref(), Ok(text.as_str()), "{format}");
                }
                Err(error) => {
                    refused[index] += 1;
                    assert!(!error.problems().is_empty(), "{format}: {cors:?}");
                    assert_eq!(error.format(), format);
                }
            }
        }
    }
    for (index, format) in Format::ALL.into_iter().enumerate() {
        assert!(written[index] > 20, "{format}: {written:?}");
        assert!(refused[index] > 20, "{format}: {refused:?}");
    }
}

#[test]
fn the_same_configuration_in_every_format_that_holds_it() {
    let cors = AwsCors {
        allow_origins: vec![AwsOrigin::Exact("https://app.example.com".into())],
        allow_methods: Methods::List(strings(&["GET", "PUT", "DELETE"])),
        allow_headers: Headers::names(["Content-Type", "Authorization"]),
        expose_headers: Headers::names(["ETag"]),
        max_age: Some(3_600),
        allow_credentials: true,
        origin_override: None,
    };
    for format in Format::ALL {
        let text = write(format, &cors).unwrap();
        assert_eq!(read(format, &text), Ok(as_read_back(cors.clone(), format)));
    }
}

#[test]
fn rest_round_trip_keeps_the_paths() {
    let cors = AwsCors {
        allow_origins: vec![AwsOrigin::Exact("https://app.example.com".into())],
        allow_methods: Methods::Any,
        allow_headers: Headers {
            any: true,
            names: strings(&["Authorization"]),
        },
        ..AwsCors::default()
    };
    let paths = ["/", "/items", "/items/{id}", "/{proxy+}"];
    let text = write_rest(&cors, &paths).unwrap();
    let (back, back_paths) = read_rest(&text).unwrap();
    assert_eq!(back, cors);
    assert_eq!(back_paths, paths);
}
