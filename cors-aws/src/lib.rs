//! The CORS configurations of API Gateway, Lambda function URLs and
//! CloudFront.
#![forbid(unsafe_code)]
#![deny(missing_docs)]
