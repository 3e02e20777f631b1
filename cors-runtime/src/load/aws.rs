//! AWS CORS configurations at run time (feature `aws`): API Gateway HTTP
//! APIs (and their OpenAPI extension), REST APIs, Lambda function URLs and
//! CloudFront, read with each service's limits by the `cors-aws` crate and
//! loaded as the DSL policy that answers every request as the service's
//! answer does in a browser, or refused with what cannot be carried.

use cors_aws::{AwsCors, AwsError, Format};

use crate::Policy;

impl Policy {
    /// Loads the CORS configuration of an AWS service, written in `format`
    /// (`Format::ApigwHttp`, `ApigwOpenapi`, `ApigwRest`, `LambdaUrl`,
    /// `CloudFront`), read with that service's limits and refusals, then
    /// checked as a DSL policy that answers as the service does. A value the
    /// DSL cannot carry exactly (`https://*`, CloudFront's `*.base` of any
    /// scheme, a `*` header without `Authorization` beside it, `*` with
    /// credentials, `OriginOverride: false`) is refused with the reason. The
    /// cross-origin protection is off, as for S3 configurations: an AWS
    /// configuration has none. `GET`, `HEAD` and `POST` are allowed whatever
    /// the configuration lists, since a browser sends them without asking.
    ///
    /// ```
    /// use cors_runtime::aws::Format;
    /// use cors_runtime::Policy;
    ///
    /// let policy = Policy::from_aws(Format::ApigwHttp, r#"{"CorsConfiguration": {
    ///     "AllowOrigins": ["https://app.example.com"],
    ///     "AllowMethods": ["GET", "PUT"],
    ///     "AllowCredentials": true,
    ///     "MaxAge": 600
    /// }}"#)?;
    /// let mut request = http::HeaderMap::new();
    /// request.insert("origin", http::HeaderValue::from_static("https://app.example.com"));
    /// request.insert("access-control-request-method", http::HeaderValue::from_static("PUT"));
    /// assert!(policy.evaluate(&http::Method::OPTIONS, &request).is_allowed());
    ///
    /// let refused = Policy::from_aws(Format::ApigwHttp, r#"{"AllowOrigins": ["https://*"], "AllowMethods": ["GET"]}"#);
    /// assert!(refused.unwrap_err().to_string().contains("any origin of a scheme"));
    /// # Ok::<(), cors_runtime::aws::AwsError>(())
    /// ```
    pub fn from_aws(format: Format, text: &str) -> Result<Policy, AwsError> {
        Policy::from_aws_configuration(format, &cors_aws::read(format, text)?)
    }

    /// [`Policy::from_aws`] for a configuration already read (or built in
    /// code); `format` names the service whose answers it gives.
    pub fn from_aws_configuration(format: Format, cors: &AwsCors) -> Result<Policy, AwsError> {
        let model = cors_aws::to_policy(format, cors)?;
        Ok(Policy::from_model(&model))
    }
}
