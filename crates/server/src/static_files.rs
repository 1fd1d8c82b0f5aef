//! Serves the built app: files from trunk's `dist/`, and `index.html` for every client route
//! (`/inbox/mine/c/12`) so reloads and deep links work. Hashed assets are cached forever,
//! `index.html` never; the page gets a strict Content-Security-Policy that allows exactly its
//! own inline bootstrap script, by hash. The build writes `file.br` (brotli 11) and `file.gz`
//! beside each file (`scripts/toolchain.sh`, `precompress`): the one the browser accepts is
//! sent as it is, so no request compresses the app again.

use crate::AppState;
use axum::Router;
use axum::body::Body;
use axum::extract::{Request, State};
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use base64::Engine;
use base64::engine::general_purpose::STANDARD;
use sha2::{Digest, Sha256};
use std::path::PathBuf;
use tower::ServiceExt;
use tower_http::services::ServeDir;

pub fn router(dir: PathBuf) -> Router<AppState> {
    let files = ServeDir::new(&dir)
        .append_index_html_on_directories(false)
        .precompressed_br()
        .precompressed_gzip();
    Router::new().fallback(move |State(_): State<AppState>, request: Request| {
        let files = files.clone();
        let dir = dir.clone();
        async move { serve(files, dir, request).await }
    })
}

async fn serve(files: ServeDir, dir: PathBuf, request: Request) -> Response {
    let path = request.uri().path().to_owned();
    let is_file = path
        .rsplit('/')
        .next()
        .is_some_and(|last| last.contains('.'));
    if !is_file || path == "/index.html" {
        return index(&dir).await;
    }
    let response = match files.oneshot(request).await {
        Ok(response) => response.map(Body::new),
        Err(never) => match never {},
    };
    if response.status() == StatusCode::NOT_FOUND {
        return crate::error::AppError::not_found("file").into_response();
    }
    let mut response = response;
    let cache = if looks_hashed(&path) {
        "public, max-age=31536000, immutable"
    } else {
        "public, max-age=3600"
    };
    response
        .headers_mut()
        .insert(header::CACHE_CONTROL, HeaderValue::from_static(cache));
    response
}

/// Trunk names built files `name-<16 hex digits>.ext`.
fn looks_hashed(path: &str) -> bool {
    let name = path.rsplit('/').next().unwrap_or_default();
    let stem = name.split('.').next().unwrap_or_default();
    let stem = stem.strip_suffix("_bg").unwrap_or(stem);
    stem.rsplit_once('-')
        .is_some_and(|(_, hash)| hash.len() == 16 && hash.chars().all(|c| c.is_ascii_hexdigit()))
}

async fn index(dir: &std::path::Path) -> Response {
    let Ok(html) = tokio::fs::read_to_string(dir.join("index.html")).await else {
        return (
            StatusCode::SERVICE_UNAVAILABLE,
            "The app has not been built. Run scripts/run, or build it with `trunk build --release`.",
        )
            .into_response();
    };
    let policy = content_security_policy(&html);
    let mut response = axum::response::Html(html).into_response();
    let headers = response.headers_mut();
    headers.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-cache"));
    if let Ok(value) = HeaderValue::from_str(&policy) {
        headers.insert(header::CONTENT_SECURITY_POLICY, value);
    }
    response
}

/// The page's CSP: its own origin only, plus the hashes of its inline scripts.
pub fn content_security_policy(html: &str) -> String {
    let mut hashes = String::new();
    let mut rest = html;
    while let Some(start) = rest.find("<script") {
        let after_tag = &rest[start..];
        let Some(open_end) = after_tag.find('>') else {
            break;
        };
        let body_and_after = &after_tag[open_end + 1..];
        let Some(close) = body_and_after.find("</script>") else {
            break;
        };
        let body = &body_and_after[..close];
        if !body.trim().is_empty() {
            hashes.push_str(&format!(
                " 'sha256-{}'",
                STANDARD.encode(Sha256::digest(body.as_bytes()))
            ));
        }
        rest = &body_and_after[close..];
    }
    format!(
        "default-src 'self'; script-src 'self' 'wasm-unsafe-eval'{hashes}; style-src 'self' 'unsafe-inline'; \
         img-src 'self' data: blob:; connect-src 'self'; font-src 'self'; object-src 'none'; \
         base-uri 'none'; form-action 'self'; frame-ancestors 'self'"
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn inline_scripts_are_allowed_by_their_hash_only() {
        let html = "<html><script type=\"module\">import init from '/a.js';</script><script src=\"/b.js\"></script></html>";
        let policy = content_security_policy(html);
        let expected = STANDARD.encode(Sha256::digest(b"import init from '/a.js';"));
        assert!(policy.contains(&format!("'sha256-{expected}'")), "{policy}");
        assert_eq!(
            policy.matches("sha256-").count(),
            1,
            "empty external script tags get no hash"
        );
        assert!(!policy.contains("script-src 'self' 'unsafe-inline'"));
    }

    #[test]
    fn trunk_hashed_names_are_recognised() {
        assert!(looks_hashed("/switchboard-8a3c1f0e9b2d4c67_bg.wasm"));
        assert!(looks_hashed("/switchboard-8a3c1f0e9b2d4c67.js"));
        assert!(looks_hashed("/inbox-0123456789abcdef.css"));
        assert!(!looks_hashed("/manifest.webmanifest"));
        assert!(!looks_hashed("/icons/favicon.svg"));
    }
}
