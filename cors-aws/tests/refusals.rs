//! Every class of refusal, read and written, with its message: each names
//! the place, quotes the value and says how to fix it.

use cors_aws::{
    read, read_rest, write, write_rest, AwsCors, AwsError, AwsOrigin, Format, Headers, Methods,
    Problem, ProblemKind, Scheme,
};

#[track_caller]
fn refused(format: Format, text: &str) -> AwsError {
    match read(format, text) {
        Err(error) => error,
        Ok(cors) => panic!("{format} accepted {text}: {cors:?}"),
    }
}

#[track_caller]
fn at<'e>(error: &'e AwsError, path: &str) -> &'e Problem {
    error
        .problems()
        .iter()
        .find(|p| p.path == path)
        .unwrap_or_else(|| panic!("no problem at {path}: {error}"))
}

#[track_caller]
fn only(error: &AwsError) -> &Problem {
    assert_eq!(error.total(), 1, "{error}");
    &error.problems()[0]
}

fn strings(values: &[&str]) -> Vec<String> {
    values.iter().map(|v| (*v).to_owned()).collect()
}

#[test]
fn any_origin_with_credentials_is_refused_by_every_reader() {
    let expected = "`*` (any origin) cannot go with allowed credentials: browsers refuse \
                    credentials with `Access-Control-Allow-Origin: *`, and answering every \
                    origin with credentials would hand any site the user's session; list the \
                    origins that need credentials, or turn credentials off";
    let http = refused(
        Format::ApigwHttp,
        r#"{"AllowOrigins": ["https://a.example", "*"], "AllowCredentials": true}"#,
    );
    let problem = only(&http);
    assert_eq!(problem.kind, ProblemKind::Credentials);
    assert_eq!(problem.path, "AllowOrigins[1]");
    assert_eq!(problem.message, expected);
    assert_eq!(
        http.to_string(),
        format!("apigw-http: AllowOrigins[1]: {expected}")
    );
    let lambda = refused(
        Format::LambdaUrl,
        r#"{"Cors": {"AllowOrigins": ["*"], "AllowCredentials": true}}"#,
    );
    assert_eq!(only(&lambda).path, "Cors.AllowOrigins[0]");
    let openapi = refused(
        Format::ApigwOpenapi,
        r#"{"x-amazon-apigateway-cors": {"allowOrigins": ["*"], "allowCredentials": true}}"#,
    );
    assert_eq!(
        only(&openapi).path,
        "x-amazon-apigateway-cors.allowOrigins[0]"
    );
    let cloudfront = refused(
        Format::CloudFront,
        r#"{"AccessControlAllowOrigins": {"Quantity": 1, "Items": ["*"]},
            "AccessControlAllowHeaders": {"Quantity": 1, "Items": ["x-api-key"]},
            "AccessControlAllowMethods": {"Quantity": 1, "Items": ["GET"]},
            "AccessControlAllowCredentials": true, "OriginOverride": true}"#,
    );
    assert_eq!(only(&cloudfront).message, expected);
}

#[test]
fn scheme_wildcards_with_credentials_are_refused() {
    let error = refused(
        Format::ApigwHttp,
        r#"{"AllowOrigins": ["https://*"], "AllowCredentials": true}"#,
    );
    assert_eq!(
        only(&error).message,
        "`https://*` (any https origin) with allowed credentials would let every such site \
         read the user's responses, and what the service answers for it is not documented; \
         list the origins that need credentials"
    );
}

#[test]
fn origin_forms_each_service_lacks() {
    let http = refused(
        Format::ApigwHttp,
        r#"{"AllowOrigins": ["https://*.example.com", "https:/"]}"#,
    );
    assert_eq!(
        at(&http, "AllowOrigins[0]").message,
        "API Gateway HTTP APIs accept an exact origin, `*`, `http://*` or `https://*`; \
         `https://*.example.com` is not one of them: list the origins one by one"
    );
    assert_eq!(
        at(&http, "AllowOrigins[1]").message,
        "origin `https:/` is not of the form `scheme://host[:port]`; write e.g. \
         `https://app.example.com`"
    );
    let lambda = refused(Format::LambdaUrl, r#"{"AllowOrigins": ["https://*"]}"#);
    assert_eq!(
        only(&lambda).message,
        "Lambda function URLs accept an exact origin or `*`; `https://*` is not one of them: \
         list the origins one by one"
    );
    let cloudfront = refused(
        Format::CloudFront,
        r#"{"AccessControlAllowOrigins": {"Quantity": 5, "Items": ["example.*",
            "test.*.example.org", "https://*.example.org", "*example.org", "*.com"]},
            "AccessControlAllowHeaders": {"Quantity": 1, "Items": ["*"]},
            "AccessControlAllowMethods": {"Quantity": 1, "Items": ["GET"]},
            "AccessControlAllowCredentials": false, "OriginOverride": true}"#,
    );
    assert_eq!(cloudfront.total(), 5, "{cloudfront}");
    assert!(cloudfront
        .problems()
        .iter()
        .all(|p| p.kind == ProblemKind::Origin));
    assert_eq!(
        at(&cloudfront, "AccessControlAllowOrigins.Items[0]").message,
        "CloudFront response headers policies accept an exact origin, `*`, or `*.` as the \
         whole leftmost label of a host without a scheme (`*.example.org`); `example.*` is not \
         one of them: list the origins one by one"
    );
    assert_eq!(
        at(&cloudfront, "AccessControlAllowOrigins.Items[4]").message,
        "`*.com` allows every site under a top-level domain; name a registrable domain, e.g. \
         `*.example.org`"
    );
}

#[test]
fn exact_origins_are_checked_as_browsers_send_them() {
    let error = refused(
        Format::LambdaUrl,
        r#"{"AllowOrigins": ["https://App.example", "https://a.example/", "https://a.example:443", "null", ""]}"#,
    );
    assert_eq!(
        at(&error, "AllowOrigins[0]").message,
        "the host of `https://App.example` must be lowercase, as browsers send it; write \
         `https://app.example`"
    );
    assert_eq!(
        at(&error, "AllowOrigins[1]").message,
        "origin `https://a.example/` has a trailing slash, but an origin is only \
         `scheme://host[:port]`; write `https://a.example`"
    );
    assert_eq!(
        at(&error, "AllowOrigins[2]").message,
        "`:443` is the default port of `https`, which browsers leave out of the origin; write \
         `https://a.example`"
    );
    assert!(at(&error, "AllowOrigins[3]").message.contains("`null`"));
    assert_eq!(
        at(&error, "AllowOrigins[4]").message,
        "an origin cannot be empty; Lambda function URLs accept an exact origin or `*`"
    );
}

#[test]
fn methods_outside_the_set() {
    let http = refused(
        Format::ApigwHttp,
        r#"{"AllowMethods": ["BAD", "get", "GET", "GET"]}"#,
    );
    assert_eq!(
        at(&http, "AllowMethods[0]").message,
        "method `BAD` is not accepted: API Gateway HTTP APIs accept only GET, HEAD, POST, PUT, \
         PATCH, DELETE, OPTIONS, *"
    );
    assert!(at(&http, "AllowMethods[1]")
        .message
        .ends_with("(methods are case-sensitive: write `GET`)"));
    let duplicate = at(&http, "AllowMethods[3]");
    assert_eq!(duplicate.kind, ProblemKind::Duplicate);
    assert_eq!(
        duplicate.message,
        "method `GET` is already listed at `AllowMethods[2]`; remove one"
    );
    let lambda = refused(Format::LambdaUrl, r#"{"AllowMethods": ["OPTIONS"]}"#);
    assert_eq!(
        only(&lambda).message,
        "method `OPTIONS` is not accepted: Lambda function URLs accept only GET, PUT, HEAD, \
         POST, PATCH, DELETE, * (the service answers preflights itself: remove it)"
    );
    let wildcard = refused(Format::ApigwHttp, r#"{"AllowMethods": ["*", "GET"]}"#);
    assert_eq!(only(&wildcard).kind, ProblemKind::Redundant);
    assert_eq!(
        only(&wildcard).message,
        "`*` (at `AllowMethods[0]`) allows every method, so the other methods listed beside it \
         say nothing; write `*` alone"
    );
}

#[test]
fn headers_that_are_not_names_or_partial_wildcards() {
    let error = refused(
        Format::ApigwHttp,
        r#"{"AllowHeaders": ["x-amz-*", "a b", "X-Api-Key", "x-api-key"]}"#,
    );
    assert_eq!(
        at(&error, "AllowHeaders[0]").message,
        "header `x-amz-*` has a partial wildcard, which API Gateway HTTP APIs do not document; \
         list each header, or write `*` alone"
    );
    assert_eq!(
        at(&error, "AllowHeaders[1]").message,
        "`a b` is not a header name: a header name has only letters, digits and \
         !#$%&'*+-.^_`|~, without spaces; fix or remove it"
    );
    assert_eq!(
        at(&error, "AllowHeaders[3]").message,
        "header `x-api-key` is already listed at `AllowHeaders[2]`; remove one"
    );
}

#[test]
fn wildcards_in_headers_with_credentials() {
    let expose = refused(
        Format::ApigwHttp,
        r#"{"AllowOrigins": ["https://a.example"], "ExposeHeaders": ["*"], "AllowCredentials": true}"#,
    );
    assert_eq!(
        only(&expose).message,
        "`*` in the expose headers exposes nothing when credentials are allowed: browsers then \
         read it as a header named `*` (Fetch standard); list the headers scripts should read"
    );
    let cloudfront = refused(
        Format::CloudFront,
        r#"{"AccessControlAllowOrigins": {"Quantity": 1, "Items": ["https://a.example"]},
            "AccessControlAllowHeaders": {"Quantity": 1, "Items": ["*"]},
            "AccessControlAllowMethods": {"Quantity": 1, "Items": ["GET"]},
            "AccessControlAllowCredentials": true, "OriginOverride": true}"#,
    );
    let problem = only(&cloudfront);
    assert_eq!(problem.path, "AccessControlAllowHeaders.Items[0]");
    assert_eq!(
        problem.message,
        "CloudFront response headers policies refuse `*` in the allowed headers when \
         credentials are allowed (\"The parameter Access-Control-Allow-Headers cannot contain * \
         when allowCredentials is true.\"); list the headers"
    );
    // HTTP APIs accept it; the model then follows the Fetch standard.
    let http = read(
        Format::ApigwHttp,
        r#"{"AllowOrigins": ["https://a.example"], "AllowHeaders": ["*"], "AllowCredentials": true}"#,
    )
    .unwrap();
    assert!(!http.allow_headers.allows("x-api-key", true));
    assert!(http.allow_headers.allows("x-api-key", false));
}

#[test]
fn cloudfront_shape() {
    let error = refused(
        Format::CloudFront,
        r#"{"AccessControlAllowOrigins": {"Quantity": 2, "Items": ["https://a.example"]},
            "AccessControlAllowHeaders": {"Quantity": 0},
            "AccessControlAllowMethods": {"Quantity": 2, "Items": ["ALL", "GET"]}}"#,
    );
    let quantity = at(&error, "AccessControlAllowOrigins.Quantity");
    assert_eq!(quantity.kind, ProblemKind::Quantity);
    assert_eq!(
        quantity.message,
        "`Quantity` is 2 but `Items` holds 1 values; CloudFront refuses the mismatch: write \
         `\"Quantity\": 1`"
    );
    assert_eq!(
        at(&error, "AccessControlAllowHeaders").message,
        "CloudFront response headers policies refuse an empty list of allowed headers; list at \
         least one header, or `*`"
    );
    assert_eq!(
        at(&error, "AccessControlAllowMethods").message,
        "`ALL` (at `AccessControlAllowMethods.Items[0]`) lists every method, so the other \
         methods listed beside it say nothing; write `ALL` alone"
    );
    let missing = at(&error, "AccessControlAllowCredentials");
    assert_eq!(missing.kind, ProblemKind::MissingField);
    assert_eq!(
        missing.message,
        "the document needs the field `AccessControlAllowCredentials` (`true` or `false`); add it"
    );
    assert_eq!(at(&error, "OriginOverride").kind, ProblemKind::MissingField);
    let star = refused(
        Format::CloudFront,
        r#"{"AccessControlAllowOrigins": {"Quantity": 1, "Items": ["https://a.example"]},
            "AccessControlAllowHeaders": {"Quantity": 1, "Items": ["*"]},
            "AccessControlAllowMethods": {"Quantity": 1, "Items": ["*"]},
            "AccessControlAllowCredentials": false, "OriginOverride": true}"#,
    );
    assert_eq!(
        only(&star).message,
        "method `*` is not accepted: CloudFront response headers policies accept only GET, \
         POST, OPTIONS, PUT, DELETE, PATCH, HEAD, ALL (`ALL` stands for exactly the methods \
         listed)"
    );
}

#[test]
fn unknown_duplicate_missing_and_mistyped_fields() {
    let error = refused(
        Format::ApigwHttp,
        r#"{"AllowOrigin": ["*"], "MaxAge": "600", "AllowCredentials": "true", "AllowMethods": "GET"}"#,
    );
    let unknown = at(&error, "AllowOrigin");
    assert_eq!(unknown.kind, ProblemKind::UnknownField);
    assert_eq!(
        unknown.message,
        "unknown field `AllowOrigin` in an HTTP API `CorsConfiguration`; its fields are \
         AllowCredentials, AllowHeaders, AllowMethods, AllowOrigins, ExposeHeaders, MaxAge: \
         remove it or fix its spelling (names are case-sensitive)"
    );
    assert_eq!(
        at(&error, "MaxAge").message,
        "`MaxAge` must be a whole number without quotes, e.g. 600; found a string"
    );
    assert_eq!(
        at(&error, "AllowCredentials").message,
        "`AllowCredentials` must be `true` or `false` (without quotes); found a string"
    );
    assert_eq!(
        at(&error, "AllowMethods").message,
        "`AllowMethods` must be a list of strings, e.g. [\"GET\"]; found a string"
    );
    let duplicate = refused(Format::LambdaUrl, r#"{"MaxAge": 1, "MaxAge": 2}"#);
    assert_eq!(only(&duplicate).kind, ProblemKind::DuplicateKey);
    assert_eq!(
        only(&duplicate).message,
        "field `MaxAge` is written 2 times in the same object, and JSON readers disagree on \
         which one counts; keep one"
    );
    let item = refused(
        Format::LambdaUrl,
        r#"{"AllowOrigins": ["https://a.example", 7]}"#,
    );
    assert_eq!(
        only(&item).message,
        "`AllowOrigins[1]` must be a string; found an integer"
    );
    let wrapper = refused(
        Format::CloudFront,
        r#"{"CorsConfig": {}, "ResponseHeadersPolicyConfig": {}}"#,
    );
    assert!(wrapper.problems()[0]
        .message
        .starts_with("unknown field `ResponseHeadersPolicyConfig`"));
    let openapi = refused(Format::ApigwOpenapi, r#"{"openapi": "3.0.1"}"#);
    assert_eq!(
        only(&openapi).message,
        "the document needs the field `x-amazon-apigateway-cors` (the HTTP API's CORS \
         configuration); add it"
    );
    let camel = refused(
        Format::ApigwOpenapi,
        r#"{"x-amazon-apigateway-cors": {"AllowOrigins": ["*"]}}"#,
    );
    assert_eq!(only(&camel).path, "x-amazon-apigateway-cors.AllowOrigins");
}

/// A REST document with one `options` operation per `(path, parameters)`.
fn rest(operations: &[(&str, &str)], gateway: &str) -> String {
    let paths: Vec<String> = operations
        .iter()
        .map(|(path, parameters)| {
            format!(
                r#""{path}": {{"options": {{"x-amazon-apigateway-integration": {{"type": "mock",
                "responses": {{"default": {{"statusCode": "200", "responseParameters": {{{parameters}}}}}}}}}}}}}"#
            )
        })
        .collect();
    format!(
        r#"{{"openapi": "3.0.1", "paths": {{{}}}{gateway}}}"#,
        paths.join(",")
    )
}

const ORIGIN_STAR: &str = r#""method.response.header.Access-Control-Allow-Origin": "'*'""#;

#[test]
fn rest_operations_must_agree() {
    let text = rest(
        &[
            (
                "/a",
                r#""method.response.header.Access-Control-Allow-Origin": "'https://a.example'""#,
            ),
            (
                "/b",
                r#""method.response.header.Access-Control-Allow-Origin": "'https://b.example'""#,
            ),
            (
                "/c",
                r#""method.response.header.Access-Control-Allow-Origin": "'https://a.example'""#,
            ),
            ("/d", ORIGIN_STAR),
        ],
        "",
    );
    let error = read_rest(&text).unwrap_err();
    let problem = only(&error);
    assert_eq!(problem.kind, ProblemKind::Disagreement);
    assert_eq!(problem.path, "paths");
    assert_eq!(
        problem.message,
        "the `options` operations disagree on `Access-Control-Allow-Origin`: `/a` says \
         `'https://a.example'`, but `/b` says `'https://b.example'`, `/d` says `'*'`; one \
         configuration can hold only one answer, so make them equal"
    );
}

#[test]
fn rest_disagreements_name_three_paths_and_count_the_rest() {
    let origin = |host: usize| {
        format!(
            r#""method.response.header.Access-Control-Allow-Origin": "'https://h{host}.example'""#
        )
    };
    let names: Vec<String> = (0..30).map(|i| format!("/p{i}")).collect();
    let parameters: Vec<String> = (0..30).map(origin).collect();
    let operations: Vec<(&str, &str)> = names
        .iter()
        .zip(&parameters)
        .map(|(n, p)| (n.as_str(), p.as_str()))
        .collect();
    let error = read_rest(&rest(&operations, "")).unwrap_err();
    let message = &only(&error).message;
    assert!(
        message.contains("`/p3` says `'https://h3.example'`, and 26 more;"),
        "{message}"
    );
    assert!(!message.contains("/p4"));
}

#[test]
fn rest_gateway_responses_must_agree() {
    let text = rest(
        &[("/a", ORIGIN_STAR)],
        r#", "x-amazon-apigateway-gateway-responses": {"DEFAULT_5XX": {"responseParameters":
            {"gatewayresponse.header.Access-Control-Allow-Origin": "'https://a.example'"}}}"#,
    );
    let error = read_rest(&text).unwrap_err();
    assert_eq!(
        only(&error).message,
        "DEFAULT_5XX sends `Access-Control-Allow-Origin: https://a.example`, but the `options` \
         operations say `'*'`; make them equal"
    );
}

#[test]
fn rest_static_values_only() {
    let mapping = rest(
        &[(
            "/a",
            r#""method.response.header.Access-Control-Allow-Origin": "method.request.header.Origin""#,
        )],
        "",
    );
    let error = read_rest(&mapping).unwrap_err();
    let problem = only(&error);
    assert_eq!(problem.kind, ProblemKind::MappingExpression);
    assert_eq!(
        problem.path,
        "paths[\"/a\"].options.x-amazon-apigateway-integration.responses.default.\
         responseParameters[\"method.response.header.Access-Control-Allow-Origin\"]"
    );
    assert_eq!(
        problem.message,
        "`method.request.header.Origin` is not in single quotes, so API Gateway reads it as a \
         mapping expression (a value taken from the request or the integration at run time), \
         which no static configuration can say; write a single-quoted literal such as \
         `'https://app.example'`"
    );
}

#[test]
fn rest_comma_lists_and_credentials() {
    let list = rest(
        &[(
            "/a",
            r#""method.response.header.Access-Control-Allow-Origin": "'https://a.example,https://b.example'""#,
        )],
        "",
    );
    assert_eq!(
        only(&read_rest(&list).unwrap_err()).message,
        "`https://a.example,https://b.example` is a comma-separated list, but \
         `Access-Control-Allow-Origin` holds one origin or `*`, and browsers refuse a list; \
         answer each origin with its own value (a template echoing the request's origin), or \
         allow one origin"
    );
    let star_true = rest(
        &[(
            "/a",
            r#""method.response.header.Access-Control-Allow-Origin": "'*'",
               "method.response.header.Access-Control-Allow-Credentials": "'true'""#,
        )],
        "",
    );
    let error = read_rest(&star_true).unwrap_err();
    assert_eq!(only(&error).kind, ProblemKind::Credentials);
    assert!(only(&error)
        .message
        .starts_with("`*` (any origin) cannot go with"));
    let false_credentials = rest(
        &[(
            "/a",
            r#""method.response.header.Access-Control-Allow-Origin": "'https://a.example'",
               "method.response.header.Access-Control-Allow-Credentials": "'false'""#,
        )],
        "",
    );
    assert_eq!(
        only(&read_rest(&false_credentials).unwrap_err()).message,
        "`Access-Control-Allow-Credentials` is `'false'`, but browsers honour only `'true'`; \
         to refuse credentials leave the header out"
    );
}

#[test]
fn rest_shapes_that_hold_no_static_configuration() {
    let proxy = r#"{"paths": {"/a": {"options": {"x-amazon-apigateway-integration":
        {"type": "http_proxy", "responses": {}}}}}}"#;
    let error = read_rest(proxy).unwrap_err();
    assert_eq!(only(&error).kind, ProblemKind::Unsupported);
    assert!(only(&error).message.starts_with(
        "this `options` operation has a `http_proxy` integration, so its CORS headers come \
         from the backend"
    ));
    let no_origin = rest(
        &[(
            "/a",
            r#""method.response.header.Access-Control-Allow-Methods": "'GET'""#,
        )],
        "",
    );
    assert_eq!(
        only(&read_rest(&no_origin).unwrap_err()).kind,
        ProblemKind::MissingField
    );
    let unknown = rest(
        &[(
            "/a",
            r#""method.response.header.Access-Control-Allow-Origin": "'*'",
               "method.response.header.Access-Control-Allow-Private-Network": "'true'""#,
        )],
        "",
    );
    assert!(only(&read_rest(&unknown).unwrap_err()).message.starts_with(
        "`Access-Control-Allow-Private-Network` is not one of the CORS response headers"
    ));
    let none = r#"{"openapi": "3.0.1", "paths": {"/a": {"get": {}}}}"#;
    assert_eq!(
        only(&read_rest(none).unwrap_err()).message,
        "the document has no `options` operation with a mock integration, so it holds no CORS \
         configuration; export the stage with `extensions=integrations` after enabling CORS"
    );
}

fn valid() -> AwsCors {
    AwsCors {
        allow_origins: vec![AwsOrigin::Exact("https://a.example".into())],
        allow_methods: Methods::List(strings(&["GET"])),
        allow_headers: Headers::names(["x-api-key"]),
        ..AwsCors::default()
    }
}

#[test]
fn writers_name_every_value_the_target_cannot_hold() {
    let cors = AwsCors {
        allow_origins: vec![
            AwsOrigin::Exact("https://a.example".into()),
            AwsOrigin::AnyWithScheme(Scheme::Https),
            AwsOrigin::Subdomains {
                scheme: Some(Scheme::Https),
                base: "example.org".into(),
            },
        ],
        allow_methods: Methods::List(strings(&["GET", "OPTIONS"])),
        max_age: Some(-1),
        origin_override: Some(false),
        ..valid()
    };
    let error = write(Format::LambdaUrl, &cors).unwrap_err();
    assert_eq!(error.total(), 5, "{error}");
    assert_eq!(
        at(&error, "AllowOrigins[1]").message,
        "Lambda function URLs accept an exact origin or `*`; `https://*` is not one of them: \
         list the origins one by one"
    );
    assert_eq!(at(&error, "AllowOrigins[2]").kind, ProblemKind::Origin);
    assert_eq!(at(&error, "AllowMethods[1]").kind, ProblemKind::Method);
    assert_eq!(
        at(&error, "MaxAge").message,
        "max age -1 is out of range: Lambda function URLs accept 0 to 86400 seconds (only API \
         Gateway HTTP APIs accept -1); leave the max age out instead"
    );
    assert_eq!(
        at(&error, "OriginOverride").message,
        "Lambda function URLs always replace the CORS headers of the backend with their own, so \
         `OriginOverride: false` (the backend's headers win) cannot be held; only CloudFront has \
         it"
    );
    // The HTTP API holds the scheme wildcard and -1, not the rest.
    let http = write(Format::ApigwHttp, &cors).unwrap_err();
    assert_eq!(http.total(), 2, "{http}");
    assert_eq!(at(&http, "AllowOrigins[2]").kind, ProblemKind::Origin);
}

#[test]
fn cloudfront_writer_refusals() {
    let any_method = AwsCors {
        allow_methods: Methods::Any,
        allow_headers: Headers::any(),
        allow_credentials: true,
        ..valid()
    };
    let error = write(Format::CloudFront, &any_method).unwrap_err();
    assert_eq!(
        at(&error, "AccessControlAllowMethods.Items[0]").kind,
        ProblemKind::Method
    );
    assert_eq!(
        at(&error, "AccessControlAllowHeaders.Items[0]").kind,
        ProblemKind::Credentials
    );
    let no_headers = AwsCors {
        allow_headers: Headers::none(),
        ..valid()
    };
    assert_eq!(
        only(&write(Format::CloudFront, &no_headers).unwrap_err()).path,
        "AccessControlAllowHeaders"
    );
}

#[test]
fn rest_writer_refusals() {
    let two = AwsCors {
        allow_origins: vec![
            AwsOrigin::Exact("https://a.example".into()),
            AwsOrigin::Exact("https://b.example".into()),
        ],
        ..valid()
    };
    let error = write(Format::ApigwRest, &two).unwrap_err();
    let problem = only(&error);
    assert_eq!(problem.kind, ProblemKind::Limit);
    assert_eq!(problem.path, "Access-Control-Allow-Origin");
    assert_eq!(
        problem.message,
        "API Gateway REST API mock integrations accept one origin (several origins need a \
         template that echoes the request's origin, which is not a static configuration); this \
         list has 2: remove 1"
    );
    let quote = AwsCors {
        allow_headers: Headers::names(["x-it's"]),
        ..valid()
    };
    assert_eq!(
        only(&write(Format::ApigwRest, &quote).unwrap_err()).message,
        "header `x-it's` has a `'`, which a single-quoted API Gateway literal cannot hold; \
         rename or remove it"
    );
    let paths = write_rest(&valid(), &["/a", "b", "/a", "/c d"]).unwrap_err();
    assert_eq!(paths.total(), 3, "{paths}");
    assert_eq!(
        at(&paths, "paths[1]").message,
        "`b` is not a resource path: it starts with `/` and has no spaces, `?` or `#`, e.g. \
         `/items/{id}`"
    );
    assert_eq!(
        at(&paths, "paths[2]").message,
        "path `/a` is listed twice; remove one"
    );
    assert_eq!(
        only(&write_rest(&valid(), &[]).unwrap_err()).kind,
        ProblemKind::Empty
    );
    let no_origin = AwsCors {
        allow_origins: Vec::new(),
        ..valid()
    };
    assert_eq!(
        only(&write(Format::ApigwRest, &no_origin).unwrap_err()).message,
        "a REST API's `options` operation needs `Access-Control-Allow-Origin`, one origin or \
         `*`; without it no preflight succeeds, so add the origin to allow"
    );
}

#[test]
fn invalid_values_built_in_code_are_refused_by_writers() {
    let cors = AwsCors {
        allow_origins: vec![AwsOrigin::Exact("https://A.example/".into())],
        allow_methods: Methods::List(strings(&["get"])),
        allow_headers: Headers::names(["bad header"]),
        ..AwsCors::default()
    };
    for format in cors_aws::Format::ALL {
        let error = write(format, &cors).unwrap_err();
        assert!(error.has(ProblemKind::Origin), "{error}");
        assert!(error.has(ProblemKind::Method), "{error}");
        assert!(error.has(ProblemKind::Header), "{error}");
    }
}

#[test]
fn writers_refuse_values_that_would_read_back_as_others() {
    let cors = AwsCors {
        allow_origins: vec![AwsOrigin::Exact("*".into())],
        allow_methods: Methods::List(strings(&["*"])),
        allow_headers: Headers::names(["*"]),
        ..AwsCors::default()
    };
    let error = write(Format::ApigwHttp, &cors).unwrap_err();
    assert_eq!(error.total(), 3, "{error}");
    assert_eq!(
        at(&error, "AllowOrigins[0]").message,
        "`*` would read back as `Any`, not as the `Exact(\"*\")` given; write the value in the \
         form it reads back as"
    );
    assert_eq!(
        at(&error, "AllowMethods").message,
        "`*` would read back as `Any`, not as the `List([\"*\"])` given; write the value in the \
         form it reads back as"
    );
    assert_eq!(at(&error, "AllowHeaders").kind, ProblemKind::Header);
    let all = AwsCors {
        allow_methods: Methods::List(strings(&["ALL"])),
        ..valid()
    };
    let error = write(Format::CloudFront, &all).unwrap_err();
    assert_eq!(only(&error).path, "AccessControlAllowMethods");
}

#[test]
fn format_names() {
    for format in Format::ALL {
        assert_eq!(format.as_str().parse::<Format>(), Ok(format));
        assert_eq!(format.to_string(), format.as_str());
    }
    assert_eq!(
        "s3-json".parse::<Format>().unwrap_err().to_string(),
        "unknown AWS format `s3-json`; use one of apigw-http, apigw-openapi, apigw-rest, \
         lambda-url, cloudfront"
    );
}
