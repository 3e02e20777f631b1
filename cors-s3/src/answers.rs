//! S3's error answers to CORS requests, as data: the status, the code, the
//! message (AWS's wording, typo included) and the XML body, for servers that
//! want to answer exactly as S3 does.

/// What a preflight was made against, as S3's `ResourceType` says.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ResourceType {
    /// The bucket URL (`/bucket`).
    Bucket,
    /// An object URL (`/bucket/key`).
    Object,
}

impl ResourceType {
    fn as_str(self) -> &'static str {
        match self {
            ResourceType::Bucket => "BUCKET",
            ResourceType::Object => "OBJECT",
        }
    }
}

/// One of S3's CORS error answers.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ErrorAnswer {
    /// The HTTP status.
    pub status: u16,
    /// The `<Code>`.
    pub code: &'static str,
    /// The `<Message>`.
    pub message: &'static str,
}

/// `OPTIONS` without an `Origin` header.
pub const ORIGIN_MISSING: ErrorAnswer = ErrorAnswer {
    status: 400,
    code: "BadRequest",
    message: "Insufficient information. Origin request header needed.",
};

/// A preflight to a bucket that has no CORS configuration.
pub const NOT_ENABLED: ErrorAnswer = ErrorAnswer {
    status: 403,
    code: "AccessForbidden",
    message: "CORSResponse: CORS is not enabled for this bucket.",
};

/// A preflight to a bucket that does not exist.
pub const BUCKET_NOT_FOUND: ErrorAnswer = ErrorAnswer {
    status: 403,
    code: "AccessForbidden",
    message: "CORSResponse: Bucket not found",
};

/// A preflight that no rule allows ("evalution" is AWS's own spelling).
pub const NOT_ALLOWED: ErrorAnswer = ErrorAnswer {
    status: 403,
    code: "AccessForbidden",
    message: "CORSResponse: This CORS request is not allowed. This is usually because the evalution of Origin, request method / Access-Control-Request-Method or Access-Control-Request-Headers are not whitelisted by the resource's CORS spec.",
};

impl ErrorAnswer {
    /// The XML error document: `Code`, `Message`, then (for the
    /// `AccessForbidden` answers) `Method` and `ResourceType`.
    pub fn body(&self, method: &str, resource: ResourceType) -> String {
        let mut body = format!(
            "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<Error><Code>{}</Code><Message>{}</Message>",
            self.code,
            self.message.replace('\'', "&apos;")
        );
        if self.status == 403 {
            let method: String = method
                .chars()
                .filter(|c| c.is_ascii_alphanumeric())
                .collect();
            body.push_str(&format!(
                "<Method>{method}</Method><ResourceType>{}</ResourceType>",
                resource.as_str()
            ));
        }
        body.push_str("</Error>");
        body
    }
}
