//! Serves the built app: files from trunk's `dist/`, and `index.html` for every client route
//! (`/inbox/mine/c/12`) so reloads and deep links work. Hashed assets are cached forever,
//! `index.html` never; the page gets a strict Content-Security-Policy that allows exactly its
//! own inline bootstrap script, by hash. The build writes `file.br` (brotli 11) and `file.gz`
//! beside each file (`scripts/toolchain.sh`, `precompress`): the one the browser accepts is
//! sent as it is, so no request compresses the app again.
//!
//! A hashed file never changes under its name, so it is read from disk once, with its
//! copies, and sent from memory after that: no file system calls per request. Everything
//! else (and a hashed name that is not there) goes through `ServeDir`.

use crate::AppState;
use axum::Router;
use axum::body::{Body, Bytes};
use axum::extract::{Request, State};
use axum::http::{HeaderMap, HeaderValue, Method, StatusCode, header};
use axum::response::{IntoResponse, Response};
use base64::Engine;
use base64::engine::general_purpose::STANDARD;
use sha2::{Digest, Sha256};
use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex, PoisonError};
use tower::ServiceExt;
use tower_http::services::ServeDir;

const IMMUTABLE: &str = "public, max-age=31536000, immutable";

pub fn router(dir: PathBuf) -> Router<AppState> {
    let files = ServeDir::new(&dir)
        .append_index_html_on_directories(false)
        .precompressed_br()
        .precompressed_gzip();
    let kept = Kept::default();
    Router::new().fallback(move |State(_): State<AppState>, request: Request| {
        let (files, dir, kept) = (files.clone(), dir.clone(), kept.clone());
        async move { serve(files, &dir, &kept, request).await }
    })
}

async fn serve(files: ServeDir, dir: &Path, kept: &Kept, request: Request) -> Response {
    let path = request.uri().path().to_owned();
    let is_file = path
        .rsplit('/')
        .next()
        .is_some_and(|last| last.contains('.'));
    if !is_file || path == "/index.html" {
        return index(dir).await;
    }
    let readable = matches!(*request.method(), Method::GET | Method::HEAD);
    if readable && let Some(file) = kept.get_or_read(dir, &path).await {
        return file.response(request.headers());
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
        IMMUTABLE
    } else {
        "public, max-age=3600"
    };
    response
        .headers_mut()
        .insert(header::CACHE_CONTROL, HeaderValue::from_static(cache));
    response
}

/// The hashed files read so far, by path. Bounded by the build: only a name that exists in
/// `dist/` is kept.
#[derive(Clone, Default)]
struct Kept(Arc<Mutex<HashMap<String, Arc<KeptFile>>>>);

/// A hashed file and the precompressed copies the build wrote beside it.
struct KeptFile {
    name: String,
    content_type: HeaderValue,
    whole: Bytes,
    brotli: Option<Bytes>,
    gzip: Option<Bytes>,
}

impl Kept {
    async fn get_or_read(&self, dir: &Path, path: &str) -> Option<Arc<KeptFile>> {
        if let Some(file) = self.lock().get(path) {
            return Some(file.clone());
        }
        let file = Arc::new(KeptFile::read(dir, path).await?);
        self.lock().insert(path.to_owned(), file.clone());
        Some(file)
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, HashMap<String, Arc<KeptFile>>> {
        // A map of whole entries: a panic elsewhere cannot leave it half-written.
        self.0.lock().unwrap_or_else(PoisonError::into_inner)
    }
}

impl KeptFile {
    /// `None` unless `path` is one hashed file at the top of `dir` (where trunk writes them).
    async fn read(dir: &Path, path: &str) -> Option<KeptFile> {
        let name = path.strip_prefix('/')?;
        let plain_name = name
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '.'));
        if !plain_name || name.starts_with('.') || !looks_hashed(path) {
            return None;
        }
        let file = dir.join(name);
        let copy = |extension: &str| tokio::fs::read(dir.join(format!("{name}.{extension}")));
        let whole = tokio::fs::read(&file).await.ok()?;
        let (brotli, gzip) = (copy("br").await.ok(), copy("gz").await.ok());
        let content_type = mime_guess::from_path(&file)
            .first_raw()
            .map_or(HeaderValue::from_static("application/octet-stream"), |t| {
                HeaderValue::from_static(t)
            });
        Some(KeptFile {
            name: name.to_owned(),
            content_type,
            whole: whole.into(),
            brotli: brotli.map(Bytes::from),
            gzip: gzip.map(Bytes::from),
        })
    }

    /// The copy `headers` accept (brotli, then gzip, else the file whole); 304 when the
    /// browser already has it.
    fn response(&self, headers: &HeaderMap) -> Response {
        let etag = format!("\"{}\"", self.name);
        let mut response = if headers
            .get(header::IF_NONE_MATCH)
            .and_then(|v| v.to_str().ok())
            .is_some_and(|tags| {
                tags.split(',')
                    .any(|tag| tag.trim() == etag || tag.trim() == "*")
            }) {
            StatusCode::NOT_MODIFIED.into_response()
        } else {
            let accepted = accepted_encodings(headers);
            let (encoding, body) = match (&self.brotli, &self.gzip) {
                (Some(brotli), _) if accepted.brotli => (Some("br"), brotli.clone()),
                (_, Some(gzip)) if accepted.gzip => (Some("gzip"), gzip.clone()),
                _ => (None, self.whole.clone()),
            };
            let mut response = Response::new(Body::from(body));
            let out = response.headers_mut();
            out.insert(header::CONTENT_TYPE, self.content_type.clone());
            if let Some(encoding) = encoding {
                out.insert(header::CONTENT_ENCODING, HeaderValue::from_static(encoding));
            }
            response
        };
        let out = response.headers_mut();
        out.insert(header::CACHE_CONTROL, HeaderValue::from_static(IMMUTABLE));
        out.insert(header::VARY, HeaderValue::from_static("accept-encoding"));
        if let Ok(etag) = HeaderValue::from_str(&etag) {
            out.insert(header::ETAG, etag);
        }
        response
    }
}

#[derive(Debug, Default, PartialEq, Eq)]
struct Accepted {
    brotli: bool,
    gzip: bool,
}

/// What `Accept-Encoding` allows, honouring `q=0` (refused) and `*`.
fn accepted_encodings(headers: &HeaderMap) -> Accepted {
    let mut accepted = Accepted::default();
    let mut star = None;
    let (mut brotli, mut gzip) = (None, None);
    for value in headers.get_all(header::ACCEPT_ENCODING) {
        let Ok(value) = value.to_str() else { continue };
        for item in value.split(',') {
            let mut parts = item.split(';');
            let coding = parts.next().unwrap_or_default().trim().to_ascii_lowercase();
            let allowed = parts
                .filter_map(|p| p.trim().strip_prefix("q="))
                .next_back()
                .is_none_or(|q| q.trim().parse::<f32>().is_ok_and(|q| q > 0.0));
            match coding.as_str() {
                "br" => brotli = Some(allowed),
                "gzip" | "x-gzip" => gzip = Some(allowed),
                "*" => star = Some(allowed),
                _ => {}
            }
        }
    }
    accepted.brotli = brotli.or(star).unwrap_or(false);
    accepted.gzip = gzip.or(star).unwrap_or(false);
    accepted
}

/// Trunk names built files `name-<16 hex digits>.ext`.
fn looks_hashed(path: &str) -> bool {
    let name = path.rsplit('/').next().unwrap_or_default();
    let stem = name.split('.').next().unwrap_or_default();
    let stem = stem.strip_suffix("_bg").unwrap_or(stem);
    stem.rsplit_once('-')
        .is_some_and(|(_, hash)| hash.len() == 16 && hash.chars().all(|c| c.is_ascii_hexdigit()))
}

async fn index(dir: &Path) -> Response {
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

    fn accepting(value: &str) -> Accepted {
        let mut headers = HeaderMap::new();
        headers.insert(
            header::ACCEPT_ENCODING,
            HeaderValue::from_str(value).unwrap(),
        );
        accepted_encodings(&headers)
    }

    #[test]
    fn accept_encoding_is_read_with_its_weights() {
        let both = Accepted {
            brotli: true,
            gzip: true,
        };
        assert_eq!(accepting("gzip, deflate, br, zstd"), both);
        assert_eq!(accepting("*"), both);
        assert_eq!(
            accepting("br;q=0, gzip;q=0.5"),
            Accepted {
                brotli: false,
                gzip: true
            }
        );
        assert_eq!(
            accepting("*;q=0.1, gzip;q=0"),
            Accepted {
                brotli: true,
                gzip: false
            }
        );
        assert_eq!(accepting("identity"), Accepted::default());
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
