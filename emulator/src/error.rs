//! The error every handler returns: an HTTP status and the `error_msg` the
//! reply carries (built by `reply::error_response`).

/// An error reply: HTTP status and `error_msg`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ApiError {
    pub status: u16,
    pub msg: String,
}

pub fn err(status: u16, msg: impl Into<String>) -> ApiError {
    ApiError { status, msg: msg.into() }
}
