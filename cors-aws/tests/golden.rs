//! Golden documents, one per format, built from the field shapes of the
//! AWS API models and guides: each reads to the expected model, and the
//! model writes back to the expected text byte for byte.

use cors_aws::{read, read_rest, write, write_rest, AwsCors, AwsOrigin, Format, Headers, Methods};

fn strings(values: &[&str]) -> Vec<String> {
    values.iter().map(|v| (*v).to_owned()).collect()
}

/// The configuration the HTTP API, OpenAPI and Lambda goldens hold.
fn credentialed() -> AwsCors {
    AwsCors {
        allow_origins: vec![
            AwsOrigin::Exact("https://app.example.com".into()),
            AwsOrigin::Exact("https://admin.example.com:8443".into()),
        ],
        allow_methods: Methods::List(strings(&["GET", "POST", "DELETE"])),
        allow_headers: Headers::names(["Content-Type", "Authorization"]),
        expose_headers: Headers::names(["ETag"]),
        max_age: Some(600),
        allow_credentials: true,
        origin_override: None,
    }
}

const HTTP_API: &str = r#"{
  "AllowCredentials": true,
  "AllowHeaders": [
    "Content-Type",
    "Authorization"
  ],
  "AllowMethods": [
    "GET",
    "POST",
    "DELETE"
  ],
  "AllowOrigins": [
    "https://app.example.com",
    "https://admin.example.com:8443"
  ],
  "ExposeHeaders": [
    "ETag"
  ],
  "MaxAge": 600
}
"#;

#[track_caller]
fn golden(format: Format, text: &str, model: &AwsCors) {
    assert_eq!(read(format, text).as_ref(), Ok(model), "{format}: read");
    assert_eq!(write(format, model).as_deref(), Ok(text), "{format}: write");
}

#[test]
fn apigw_http_bare() {
    golden(Format::ApigwHttp, HTTP_API, &credentialed());
}

#[test]
fn apigw_http_wrapped_reads_the_same() {
    let wrapped = r#"{"CorsConfiguration": {"AllowOrigins": ["https://app.example.com", "https://admin.example.com:8443"],
        "AllowMethods": ["GET", "POST", "DELETE"], "AllowHeaders": ["Content-Type", "Authorization"],
        "ExposeHeaders": ["ETag"], "MaxAge": 600, "AllowCredentials": true}}"#;
    assert_eq!(read(Format::ApigwHttp, wrapped), Ok(credentialed()));
}

#[test]
fn apigw_http_scheme_wildcards_and_minus_one() {
    let text = r#"{
  "AllowCredentials": false,
  "AllowHeaders": [
    "*",
    "Authorization"
  ],
  "AllowMethods": [
    "*"
  ],
  "AllowOrigins": [
    "https://*",
    "http://*"
  ],
  "ExposeHeaders": [
    "*"
  ],
  "MaxAge": -1
}
"#;
    let model = AwsCors {
        allow_origins: vec![
            AwsOrigin::AnyWithScheme(cors_aws::Scheme::Https),
            AwsOrigin::AnyWithScheme(cors_aws::Scheme::Http),
        ],
        allow_methods: Methods::Any,
        allow_headers: Headers {
            any: true,
            names: strings(&["Authorization"]),
        },
        expose_headers: Headers::any(),
        max_age: Some(-1),
        allow_credentials: false,
        origin_override: None,
    };
    golden(Format::ApigwHttp, text, &model);
}

#[test]
fn apigw_http_empty_configuration() {
    golden(
        Format::ApigwHttp,
        "{\n  \"AllowCredentials\": false\n}\n",
        &AwsCors::default(),
    );
    assert_eq!(read(Format::ApigwHttp, "{}"), Ok(AwsCors::default()));
}

const OPENAPI: &str = r#"{
  "openapi": "3.0.1",
  "info": {
    "title": "CORS",
    "version": "1.0"
  },
  "paths": {},
  "x-amazon-apigateway-cors": {
    "allowCredentials": true,
    "allowHeaders": [
      "Content-Type",
      "Authorization"
    ],
    "allowMethods": [
      "GET",
      "POST",
      "DELETE"
    ],
    "allowOrigins": [
      "https://app.example.com",
      "https://admin.example.com:8443"
    ],
    "exposeHeaders": [
      "ETag"
    ],
    "maxAge": 600
  }
}
"#;

#[test]
fn apigw_openapi() {
    golden(Format::ApigwOpenapi, OPENAPI, &credentialed());
}

#[test]
fn apigw_openapi_ignores_the_rest_of_the_document() {
    let text = r#"{
      "openapi": "3.0.1",
      "info": {"title": "pets", "version": "2024-01-01"},
      "paths": {"/pets": {"get": {"x-amazon-apigateway-integration": {"type": "HTTP_PROXY",
        "uri": "https://backend.example/pets", "payloadFormatVersion": "1.0"}}}},
      "x-amazon-apigateway-cors": {
        "allowOrigins": ["https://www.example.com"],
        "allowCredentials": false,
        "exposeHeaders": ["x-apigateway-header", "x-amz-date", "content-type"],
        "maxAge": 3600,
        "allowMethods": ["GET", "OPTIONS", "POST"],
        "allowHeaders": ["x-apigateway-header", "x-amz-date", "content-type"]
      }
    }"#;
    let cors = read(Format::ApigwOpenapi, text).unwrap();
    assert_eq!(
        cors.allow_origins,
        [AwsOrigin::Exact("https://www.example.com".into())]
    );
    assert_eq!(
        cors.allow_methods,
        Methods::List(strings(&["GET", "OPTIONS", "POST"]))
    );
    assert_eq!(cors.max_age, Some(3600));
    assert_eq!(cors.expose_headers.names.len(), 3);
    // Only the extension alone is a document too.
    let bare = r#"{"x-amazon-apigateway-cors": {"allowOrigins": ["*"]}}"#;
    assert_eq!(
        read(Format::ApigwOpenapi, bare).unwrap().allow_origins,
        [AwsOrigin::Any]
    );
}

const LAMBDA: &str = r#"{
  "AllowCredentials": true,
  "AllowHeaders": [
    "Content-Type",
    "Authorization"
  ],
  "AllowMethods": [
    "GET",
    "POST",
    "DELETE"
  ],
  "AllowOrigins": [
    "https://app.example.com",
    "https://admin.example.com:8443"
  ],
  "ExposeHeaders": [
    "ETag"
  ],
  "MaxAge": 600
}
"#;

#[test]
fn lambda_url() {
    golden(Format::LambdaUrl, LAMBDA, &credentialed());
    let wrapped = format!("{{\"Cors\": {LAMBDA}}}");
    assert_eq!(read(Format::LambdaUrl, &wrapped), Ok(credentialed()));
}

#[test]
fn lambda_url_any_origin_and_method() {
    let text = r#"{
  "AllowCredentials": false,
  "AllowMethods": [
    "*"
  ],
  "AllowOrigins": [
    "*"
  ],
  "MaxAge": 0
}
"#;
    let model = AwsCors {
        allow_origins: vec![AwsOrigin::Any],
        allow_methods: Methods::Any,
        max_age: Some(0),
        ..AwsCors::default()
    };
    golden(Format::LambdaUrl, text, &model);
}

const CLOUDFRONT: &str = r#"{
  "AccessControlAllowOrigins": {
    "Quantity": 2,
    "Items": [
      "https://app.example.com",
      "*.example.org"
    ]
  },
  "AccessControlAllowHeaders": {
    "Quantity": 2,
    "Items": [
      "Content-Type",
      "Authorization"
    ]
  },
  "AccessControlAllowMethods": {
    "Quantity": 3,
    "Items": [
      "GET",
      "OPTIONS",
      "PUT"
    ]
  },
  "AccessControlAllowCredentials": true,
  "AccessControlExposeHeaders": {
    "Quantity": 1,
    "Items": [
      "ETag"
    ]
  },
  "AccessControlMaxAgeSec": 600,
  "OriginOverride": false
}
"#;

fn cloudfront_model() -> AwsCors {
    AwsCors {
        allow_origins: vec![
            AwsOrigin::Exact("https://app.example.com".into()),
            AwsOrigin::Subdomains {
                scheme: None,
                base: "example.org".into(),
            },
        ],
        allow_methods: Methods::List(strings(&["GET", "OPTIONS", "PUT"])),
        allow_headers: Headers::names(["Content-Type", "Authorization"]),
        expose_headers: Headers::names(["ETag"]),
        max_age: Some(600),
        allow_credentials: true,
        origin_override: Some(false),
    }
}

#[test]
fn cloudfront() {
    golden(Format::CloudFront, CLOUDFRONT, &cloudfront_model());
    let wrapped = format!("{{\"CorsConfig\": {CLOUDFRONT}}}");
    assert_eq!(read(Format::CloudFront, &wrapped), Ok(cloudfront_model()));
}

#[test]
fn cloudfront_all_is_its_seven_methods_and_expose_may_be_empty() {
    let text = r#"{"CorsConfig": {
        "AccessControlAllowOrigins": {"Quantity": 1, "Items": ["*"]},
        "AccessControlAllowHeaders": {"Quantity": 1, "Items": ["*"]},
        "AccessControlAllowMethods": {"Quantity": 1, "Items": ["ALL"]},
        "AccessControlAllowCredentials": false,
        "AccessControlExposeHeaders": {"Quantity": 0},
        "OriginOverride": true}}"#;
    let cors = read(Format::CloudFront, text).unwrap();
    assert_eq!(
        cors.allow_methods,
        Methods::List(strings(&[
            "GET", "POST", "OPTIONS", "PUT", "DELETE", "PATCH", "HEAD"
        ]))
    );
    assert_eq!(cors.allow_headers, Headers::any());
    assert!(cors.expose_headers.is_empty());
    assert_eq!(cors.origin_override, Some(true));
    // `*` does not cover Authorization; listing it does.
    assert!(cors.allow_headers.allows("x-api-key", false));
    assert!(!cors.allow_headers.allows("Authorization", false));
}

const REST: &str = r#"{
  "openapi": "3.0.1",
  "info": {
    "title": "CORS",
    "version": "1.0"
  },
  "paths": {
    "/{proxy+}": {
      "options": {
        "parameters": [
          {
            "name": "proxy",
            "in": "path",
            "required": true,
            "schema": {
              "type": "string"
            }
          }
        ],
        "responses": {
          "200": {
            "description": "CORS preflight",
            "headers": {
              "Access-Control-Allow-Origin": {
                "schema": {
                  "type": "string"
                }
              },
              "Access-Control-Allow-Methods": {
                "schema": {
                  "type": "string"
                }
              },
              "Access-Control-Allow-Headers": {
                "schema": {
                  "type": "string"
                }
              },
              "Access-Control-Expose-Headers": {
                "schema": {
                  "type": "string"
                }
              },
              "Access-Control-Allow-Credentials": {
                "schema": {
                  "type": "string"
                }
              },
              "Access-Control-Max-Age": {
                "schema": {
                  "type": "string"
                }
              }
            }
          }
        },
        "x-amazon-apigateway-integration": {
          "type": "mock",
          "requestTemplates": {
            "application/json": "{\"statusCode\": 200}"
          },
          "passthroughBehavior": "never",
          "responses": {
            "default": {
              "statusCode": "200",
              "responseParameters": {
                "method.response.header.Access-Control-Allow-Origin": "'https://app.example.com'",
                "method.response.header.Access-Control-Allow-Methods": "'GET,POST,DELETE'",
                "method.response.header.Access-Control-Allow-Headers": "'Content-Type,Authorization'",
                "method.response.header.Access-Control-Expose-Headers": "'ETag'",
                "method.response.header.Access-Control-Allow-Credentials": "'true'",
                "method.response.header.Access-Control-Max-Age": "'600'"
              }
            }
          }
        }
      }
    }
  },
  "x-amazon-apigateway-gateway-responses": {
    "DEFAULT_4XX": {
      "responseParameters": {
        "gatewayresponse.header.Access-Control-Allow-Origin": "'https://app.example.com'",
        "gatewayresponse.header.Access-Control-Expose-Headers": "'ETag'",
        "gatewayresponse.header.Access-Control-Allow-Credentials": "'true'"
      }
    },
    "DEFAULT_5XX": {
      "responseParameters": {
        "gatewayresponse.header.Access-Control-Allow-Origin": "'https://app.example.com'",
        "gatewayresponse.header.Access-Control-Expose-Headers": "'ETag'",
        "gatewayresponse.header.Access-Control-Allow-Credentials": "'true'"
      }
    }
  }
}
"#;

fn rest_model() -> AwsCors {
    AwsCors {
        allow_origins: vec![AwsOrigin::Exact("https://app.example.com".into())],
        ..credentialed()
    }
}

#[test]
fn apigw_rest() {
    golden(Format::ApigwRest, REST, &rest_model());
    assert_eq!(
        read_rest(REST).map(|(_, paths)| paths),
        Ok(vec!["/{proxy+}".to_owned()])
    );
}

#[test]
fn apigw_rest_console_shape_with_several_paths() {
    // What the console's "Enable CORS" writes on two resources: no max age,
    // no credentials, ACAO alone in the gateway responses.
    let text = r#"{"openapi": "3.0.1", "info": {"title": "pets", "version": "1"},
      "paths": {
        "/items": {
          "get": {"x-amazon-apigateway-integration": {"type": "aws_proxy"}},
          "options": {"responses": {"200": {"description": "200 response"}},
            "x-amazon-apigateway-integration": {"type": "mock",
              "requestTemplates": {"application/json": "{\"statusCode\": 200}"},
              "passthroughBehavior": "when_no_match",
              "responses": {"default": {"statusCode": "200", "responseParameters": {
                "method.response.header.Access-Control-Allow-Methods": "'GET,OPTIONS'",
                "method.response.header.Access-Control-Allow-Headers": "'Content-Type,X-Amz-Date,Authorization,X-Api-Key,X-Amz-Security-Token'",
                "method.response.header.Access-Control-Allow-Origin": "'*'"}}}}}},
        "/items/{id}": {
          "options": {"x-amazon-apigateway-integration": {"type": "MOCK",
              "responses": {"default": {"statusCode": "200", "responseParameters": {
                "method.response.header.Access-Control-Allow-Methods": "'GET, OPTIONS'",
                "method.response.header.Access-Control-Allow-Headers": "'Content-Type,X-Amz-Date,Authorization,X-Api-Key,X-Amz-Security-Token'",
                "method.response.header.Access-Control-Allow-Origin": "'*'",
                "method.response.header.Vary": "'Origin'"}}}}}}
      },
      "x-amazon-apigateway-gateway-responses": {
        "DEFAULT_4XX": {"responseParameters": {"gatewayresponse.header.Access-Control-Allow-Origin": "'*'"}},
        "DEFAULT_5XX": {"responseParameters": {"gatewayresponse.header.Access-Control-Allow-Origin": "'*'"}}}}"#;
    let (cors, paths) = read_rest(text).unwrap();
    assert_eq!(paths, ["/items", "/items/{id}"]);
    assert_eq!(cors.allow_origins, [AwsOrigin::Any]);
    assert_eq!(
        cors.allow_methods,
        Methods::List(strings(&["GET", "OPTIONS"]))
    );
    assert_eq!(cors.allow_headers.names.len(), 5);
    assert!(!cors.allow_credentials);
    assert_eq!(cors.max_age, None);
}

#[test]
fn apigw_rest_on_named_paths() {
    let cors = AwsCors {
        allow_origins: vec![AwsOrigin::Any],
        allow_methods: Methods::List(strings(&["GET"])),
        ..AwsCors::default()
    };
    let text = write_rest(&cors, &["/a", "/b/{id}"]).unwrap();
    assert_eq!(
        read_rest(&text),
        Ok((cors, vec!["/a".to_owned(), "/b/{id}".to_owned()]))
    );
    assert!(text.contains("\"gatewayresponse.header.Access-Control-Allow-Origin\": \"'*'\""));
    assert!(!text.contains("Access-Control-Allow-Credentials"));
}
