//! How large a request body may be, checked before anything reads it (OWASP ASVS 12.1.1: "the
//! application will not accept large files that could fill up storage or cause a denial of
//! service"; ASVS 13.1.x: API requests are bounded like any other input).
//!
//! Every route that takes a body passes [`body_limits`]: the routes that take files
//! (`journey::roster_web::UPLOAD_PATHS`) up to `max_upload_bytes`, every other one (JSON API
//! bodies, forms) up to `max_body_bytes` (1 MiB by default, and never more than
//! `max_upload_bytes`). A request that declares a larger `Content-Length` is answered 413 at once,
//! its body unread (a problem document on the API, a page saying what to do on the web). Any
//! other body is wrapped so that reading it fails at the limit, whatever the framing (chunked
//! included): extractors then answer 413, and a streamed upload stops there.

use axum::body::Body;
use axum::extract::{Request, State};
use axum::http::{HeaderValue, StatusCode, header};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};

use super::AppState;
use super::error::{ApiError, html_escape};
use crate::platform::error::AppError;

/// The limit for a request to `path`, and whether it is an upload route.
pub fn limit_for(state: &AppState, path: &str) -> (usize, bool) {
    let upload = state.config.max_upload_bytes;
    if super::upload_paths().contains(&path) {
        (upload, true)
    } else {
        (state.config.max_body_bytes.min(upload), false)
    }
}

/// The middleware: refuse by `Content-Length`, otherwise cap the body.
pub async fn body_limits(State(state): State<AppState>, req: Request, next: Next) -> Response {
    let path = req.uri().path().to_string();
    let (limit, upload) = limit_for(&state, &path);
    let declared = req
        .headers()
        .get(header::CONTENT_LENGTH)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.trim().parse::<u64>().ok());
    if declared.is_some_and(|n| n > limit as u64) {
        let mut resp = if path.starts_with("/api/") {
            ApiError(AppError::TooLarge { limit }).into_response()
        } else {
            too_large_page(limit, upload)
        };
        // The body is not read, so the connection cannot carry another request.
        resp.headers_mut()
            .insert(header::CONNECTION, HeaderValue::from_static("close"));
        return resp;
    }
    let (parts, body) = req.into_parts();
    let body = Body::new(http_body_util::Limited::new(body, limit));
    next.run(Request::from_parts(parts, body)).await
}

/// Is this body error the limit (rather than the client going away)?
pub fn is_too_large(e: &axum::Error) -> bool {
    let mut cause: Option<&(dyn std::error::Error + 'static)> = Some(e);
    while let Some(c) = cause {
        if c.is::<http_body_util::LengthLimitError>() {
            return true;
        }
        cause = c.source();
    }
    false
}

/// `bytes` as megabytes for people ("64 MB", "0.5 MB").
pub fn megabytes(bytes: usize) -> String {
    let mb = bytes as f64 / (1024.0 * 1024.0);
    if mb >= 10.0 || mb.fract() == 0.0 {
        format!("{mb:.0} MB")
    } else {
        format!("{mb:.1} MB")
    }
}

/// The page a browser sees for a body over the limit: what happened and what to do.
pub fn too_large_page(limit: usize, upload: bool) -> Response {
    let (title, advice, back) = if upload {
        (
            "The file is too large",
            format!(
                "Throughcare takes roster files up to {}. Nothing after that point was imported. \
                 Split the roster into smaller files, each starting with the header line, and \
                 import them one after another (importing the same rows twice changes nothing).",
                megabytes(limit)
            ),
            "/import/roster",
        )
    } else {
        (
            "The form is too large",
            format!(
                "Forms may send up to {}. Shorten what you typed and try again.",
                megabytes(limit)
            ),
            "/",
        )
    };
    let body = format!(
        "<!doctype html><html lang=\"en\"><head><meta charset=\"utf-8\">\
         <meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\
         <title>{title} · Throughcare</title><link rel=\"stylesheet\" href=\"/static/app.css\"></head>\
         <body><main id=\"main\" class=\"error-page\"><h1>{title}</h1><p id=\"too-large\">{advice}</p>\
         <p><a href=\"{back}\">Back</a></p></main></body></html>",
        title = html_escape(title),
        advice = html_escape(&advice),
    );
    (
        StatusCode::PAYLOAD_TOO_LARGE,
        [(header::CONTENT_TYPE, "text/html; charset=utf-8")],
        body,
    )
        .into_response()
}
