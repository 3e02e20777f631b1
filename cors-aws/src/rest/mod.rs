//! API Gateway REST APIs: CORS as the console's "Enable CORS" writes it in
//! an OpenAPI 3 document. Each resource gets an `options` operation whose
//! mock integration answers with static header values (single-quoted
//! literals in `responseParameters`), and the gateway responses
//! `DEFAULT_4XX`/`DEFAULT_5XX` carry `Access-Control-Allow-Origin` so that
//! errors stay readable. There is no CORS logic in the service: what the
//! literals say is what every browser gets.

mod read;
mod write;

pub(crate) use read::read;
pub(crate) use write::write;

use crate::json;

/// The six CORS headers, as the console writes them.
const ALLOW_ORIGIN: &str = "Access-Control-Allow-Origin";
const ALLOW_METHODS: &str = "Access-Control-Allow-Methods";
const ALLOW_HEADERS: &str = "Access-Control-Allow-Headers";
const EXPOSE_HEADERS: &str = "Access-Control-Expose-Headers";
const ALLOW_CREDENTIALS: &str = "Access-Control-Allow-Credentials";
const MAX_AGE: &str = "Access-Control-Max-Age";
const HEADERS: [&str; 6] = [
    ALLOW_ORIGIN,
    ALLOW_METHODS,
    ALLOW_HEADERS,
    EXPOSE_HEADERS,
    ALLOW_CREDENTIALS,
    MAX_AGE,
];

/// The headers the writer puts in the gateway responses: those that matter
/// on an actual (non-preflight) response.
const GATEWAY_HEADERS: [&str; 3] = [ALLOW_ORIGIN, ALLOW_CREDENTIALS, EXPOSE_HEADERS];

/// The gateway responses read and written.
const GATEWAY_RESPONSES: [&str; 2] = ["DEFAULT_4XX", "DEFAULT_5XX"];

const METHOD_PREFIX: &str = "method.response.header.";
const GATEWAY_PREFIX: &str = "gatewayresponse.header.";
const GATEWAY_KEY: &str = "x-amazon-apigateway-gateway-responses";
const INTEGRATION_KEY: &str = "x-amazon-apigateway-integration";

/// The most paths a disagreement names; the others are counted.
const MAX_NAMED_PATHS: usize = 3;

/// The paths the writer gives an `options` operation when none are named:
/// the greedy proxy resource, which matches every path below the root.
pub const DEFAULT_REST_PATHS: &[&str] = &["/{proxy+}"];

/// The CORS header literals of one `options` operation or gateway
/// response: `values[i]` belongs to `HEADERS[i]`, with its path.
#[derive(Debug, Default, Clone)]
struct Literals {
    values: [Option<json::Item>; 6],
}

impl Literals {
    fn value(&self, index: usize) -> Option<&str> {
        self.values[index].as_ref().map(|item| item.value.as_str())
    }

    /// The value as compared between operations: the lists
    /// (`Access-Control-Allow-Methods`, `-Headers`, `Expose-Headers`) without
    /// the spaces around their commas, which mean nothing.
    fn meaning(&self, index: usize) -> Option<String> {
        let value = self.value(index)?;
        Some(if (1..=3).contains(&index) {
            let items: Vec<&str> = value
                .split(',')
                .map(str::trim)
                .filter(|v| !v.is_empty())
                .collect();
            items.join(",")
        } else {
            value.to_owned()
        })
    }
}
