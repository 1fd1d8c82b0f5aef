//! The built app as the server sends it: the precompressed copy the browser accepts, sent as
//! it is (no request compresses the app again), cached for ever when its name is hashed, and
//! `index.html` always revalidated.
#![allow(clippy::unwrap_used)] // tests stop at the first unexpected error

mod common;

use common::TestServer;
use reqwest::header::{
    ACCEPT_ENCODING, CACHE_CONTROL, CONTENT_ENCODING, CONTENT_TYPE, ETAG, IF_NONE_MATCH, VARY,
};

const WASM: &str = "switchboard-0123456789abcdef_bg.wasm";
/// A hashed file the build wrote no copies of.
const UNCOPIED: &str = "extra-fedcba9876543210_bg.wasm";

/// A built app: a wasm file with its brotli and gzip copies. The copies' bytes are markers,
/// so a body equal to them proves it was sent as written, not compressed again.
async fn serving_a_built_app() -> TestServer {
    let dist = tempfile::tempdir().unwrap().keep();
    let wasm = dist.join(WASM);
    std::fs::write(&wasm, vec![0u8; 64 * 1024]).unwrap();
    std::fs::write(dist.join(format!("{WASM}.br")), b"brotli-11 copy").unwrap();
    std::fs::write(dist.join(format!("{WASM}.gz")), b"gzip-9 copy").unwrap();
    std::fs::write(dist.join(UNCOPIED), vec![0u8; 32 * 1024]).unwrap();
    std::fs::write(
        dist.join("index.html"),
        "<html><script type=\"module\">import '/a.js';</script></html>",
    )
    .unwrap();
    TestServer::start_with(|config| config.static_dir = Some(dist)).await
}

async fn fetch(server: &TestServer, path: &str, accept: Option<&str>) -> reqwest::Response {
    let mut request = server.http.get(server.url(path));
    if let Some(accept) = accept {
        request = request.header(ACCEPT_ENCODING, accept);
    }
    request.send().await.unwrap()
}

#[tokio::test]
async fn the_wasm_goes_out_as_its_brotli_copy_when_the_browser_takes_brotli() {
    let server = serving_a_built_app().await;
    let response = fetch(
        &server,
        &format!("/{WASM}"),
        Some("gzip, deflate, br, zstd"),
    )
    .await;
    assert_eq!(response.status(), 200);
    let headers = response.headers().clone();
    assert_eq!(headers[CONTENT_ENCODING], "br");
    assert_eq!(headers[CONTENT_TYPE], "application/wasm");
    assert_eq!(headers[VARY], "accept-encoding");
    assert_eq!(
        headers[CACHE_CONTROL],
        "public, max-age=31536000, immutable"
    );
    assert_eq!(response.bytes().await.unwrap().as_ref(), b"brotli-11 copy");
}

#[tokio::test]
async fn the_wasm_goes_out_as_its_gzip_copy_or_whole_never_compressed_on_the_fly() {
    let server = serving_a_built_app().await;
    let gzip = fetch(&server, &format!("/{WASM}"), Some("gzip")).await;
    assert_eq!(gzip.headers()[CONTENT_ENCODING], "gzip");
    assert_eq!(gzip.bytes().await.unwrap().as_ref(), b"gzip-9 copy");

    let plain = fetch(&server, &format!("/{WASM}"), None).await;
    assert!(plain.headers().get(CONTENT_ENCODING).is_none());
    assert_eq!(plain.bytes().await.unwrap().len(), 64 * 1024);

    // Without copies beside it, a wasm file is sent whole rather than compressed per request.
    let uncopied = fetch(&server, &format!("/{UNCOPIED}"), Some("br")).await;
    assert!(uncopied.headers().get(CONTENT_ENCODING).is_none());
    assert_eq!(uncopied.bytes().await.unwrap().len(), 32 * 1024);
}

#[tokio::test]
async fn a_hashed_file_is_read_once_then_sent_from_memory() {
    let server = serving_a_built_app().await;
    let first = fetch(&server, &format!("/{WASM}"), Some("br")).await;
    assert_eq!(first.bytes().await.unwrap().as_ref(), b"brotli-11 copy");
    // Its name is its content: gone from the disk (an old build cleaned away while a tab
    // still runs it), it is still sent, whole and as its copies.
    let dist = server.running.state.config.static_dir.clone().unwrap();
    for name in [WASM.to_owned(), format!("{WASM}.br"), format!("{WASM}.gz")] {
        std::fs::remove_file(dist.join(name)).unwrap();
    }
    let gzip = fetch(&server, &format!("/{WASM}"), Some("gzip")).await;
    assert_eq!(gzip.headers()[CONTENT_TYPE], "application/wasm");
    assert_eq!(gzip.bytes().await.unwrap().as_ref(), b"gzip-9 copy");
    let whole = fetch(&server, &format!("/{WASM}"), Some("br;q=0, gzip;q=0")).await;
    assert!(whole.headers().get(CONTENT_ENCODING).is_none());
    assert_eq!(whole.bytes().await.unwrap().len(), 64 * 1024);
}

#[tokio::test]
async fn a_browser_that_has_a_hashed_file_is_told_so() {
    let server = serving_a_built_app().await;
    let first = fetch(&server, &format!("/{WASM}"), Some("br")).await;
    let etag = first.headers()[ETAG].clone();
    let again = server
        .http
        .get(server.url(&format!("/{WASM}")))
        .header(IF_NONE_MATCH, etag)
        .send()
        .await
        .unwrap();
    assert_eq!(again.status(), 304);
    assert!(again.bytes().await.unwrap().is_empty());
}

#[tokio::test]
async fn names_outside_the_built_app_are_not_found() {
    let server = serving_a_built_app().await;
    for path in [
        "/switchboard-0123456789abcdee_bg.wasm",
        "/..%2fsecret-0123456789abcdef.txt",
        "/sub/switchboard-0123456789abcdef_bg.wasm",
    ] {
        let response = fetch(&server, path, Some("br")).await;
        assert_eq!(response.status(), 404, "{path}");
    }
}

#[tokio::test]
async fn the_page_is_revalidated_on_every_visit() {
    let server = serving_a_built_app().await;
    for path in ["/", "/inbox/mine/c/12", "/index.html"] {
        let response = fetch(&server, path, Some("br")).await;
        assert_eq!(response.status(), 200, "{path}");
        assert_eq!(response.headers()[CACHE_CONTROL], "no-cache", "{path}");
    }
}
