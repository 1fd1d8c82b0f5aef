//! Who is asking. Agents log in with email and password (argon2); the session token then comes
//! back as an HttpOnly cookie (the same-origin app) or an `Authorization: Bearer` header
//! (programs, embedding portals). Cookie-authenticated writes must come from our own origin.

use crate::AppState;
use crate::error::{AppError, AppResult};
use crate::store::sessions;
use argon2::Argon2;
use argon2::password_hash::{PasswordHash, PasswordHasher, PasswordVerifier, SaltString};
use axum::extract::FromRequestParts;
use axum::http::{HeaderMap, Method, header, request::Parts};
use std::time::Duration;
use switchboard_protocol::Agent;

pub const COOKIE: &str = "sb_session";

pub fn hash_password(password: &str) -> AppResult<String> {
    let mut salt = [0u8; 16];
    rand::RngCore::fill_bytes(&mut rand::rng(), &mut salt);
    let salt = SaltString::encode_b64(&salt).map_err(|e| AppError::internal(e.to_string()))?;
    Argon2::default()
        .hash_password(password.as_bytes(), &salt)
        .map(|hash| hash.to_string())
        .map_err(|e| AppError::internal(format!("password hashing failed: {e}")))
}

/// Argon2 takes ~19 MiB and real CPU per check; a few at a time keeps a flood of logins from
/// exhausting the server (the rest wait their turn).
static VERIFYING: tokio::sync::Semaphore = tokio::sync::Semaphore::const_new(4);

/// Checks a password against a stored hash. Without a hash (unknown email) it still does the
/// work, so the answer takes as long and reveals nothing about which emails exist.
pub async fn verify_password(password: String, hash: Option<String>) -> bool {
    let Ok(_turn) = VERIFYING.acquire().await else {
        return false;
    };
    tokio::task::spawn_blocking(move || {
        static DUMMY: std::sync::OnceLock<String> = std::sync::OnceLock::new();
        let known = hash.is_some();
        let stored = hash.unwrap_or_else(|| {
            DUMMY
                .get_or_init(|| hash_password("not a real password").unwrap_or_default())
                .clone()
        });
        let Ok(parsed) = PasswordHash::new(&stored) else {
            return false;
        };
        let matches = Argon2::default()
            .verify_password(password.as_bytes(), &parsed)
            .is_ok();
        known && matches
    })
    .await
    .unwrap_or(false)
}

/// The `Set-Cookie` value for a session (or for ending one, with `None`).
pub fn session_cookie(token: Option<&str>, ttl: Duration, secure: bool) -> String {
    let (value, max_age) = match token {
        Some(token) => (token, ttl.as_secs()),
        None => ("", 0),
    };
    let secure = if secure { "; Secure" } else { "" };
    format!("{COOKIE}={value}; Path=/; HttpOnly; SameSite=Lax; Max-Age={max_age}{secure}")
}

pub fn bearer_token(headers: &HeaderMap) -> Option<&str> {
    let value = headers.get(header::AUTHORIZATION)?.to_str().ok()?;
    let (scheme, token) = value.split_once(' ')?;
    scheme.eq_ignore_ascii_case("bearer").then(|| token.trim())
}

pub fn cookie_token(headers: &HeaderMap) -> Option<&str> {
    headers
        .get_all(header::COOKIE)
        .iter()
        .filter_map(|value| value.to_str().ok())
        .flat_map(|value| value.split(';'))
        .find_map(|pair| pair.trim().strip_prefix(COOKIE)?.strip_prefix('='))
        .filter(|token| !token.is_empty())
}

/// Whether the request comes from a page of our own origin, or from no page at all (a
/// program sends no `Origin`). Browsers send `Origin` on every cross-site request that
/// could carry our cookie, so this refuses cross-site request forgery. Our origin is the
/// configured public URL when there is one (behind a proxy that rewrites `Host`), else the
/// request's `Host`.
pub fn same_origin(headers: &HeaderMap, public_origin: Option<&str>) -> bool {
    let Some(origin) = headers.get(header::ORIGIN) else {
        return true;
    };
    if let Some(public) = public_origin {
        return origin
            .to_str()
            .is_ok_and(|o| o.eq_ignore_ascii_case(public.trim_end_matches('/')));
    }
    let Some(host) = headers.get(header::HOST).and_then(|h| h.to_str().ok()) else {
        return false;
    };
    origin
        .to_str()
        .ok()
        .and_then(|o| {
            o.strip_prefix("http://")
                .or_else(|| o.strip_prefix("https://"))
        })
        .is_some_and(|origin_host| origin_host.eq_ignore_ascii_case(host))
}

/// The agent making the request, with the token they used.
pub struct CurrentAgent {
    pub agent: Agent,
    pub token: String,
}

impl FromRequestParts<AppState> for CurrentAgent {
    type Rejection = AppError;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, AppError> {
        let token = match bearer_token(&parts.headers) {
            Some(token) => token,
            None => {
                let token = cookie_token(&parts.headers).ok_or_else(AppError::unauthenticated)?;
                let safe = matches!(parts.method, Method::GET | Method::HEAD | Method::OPTIONS);
                if !safe && !same_origin(&parts.headers, state.config.public_origin.as_deref()) {
                    return Err(AppError::forbidden(
                        "This request came from another site and was refused.",
                    ));
                }
                token
            }
        };
        let mut conn = state.db.pool().acquire().await?;
        let agent = sessions::agent(&mut conn, token)
            .await?
            .ok_or_else(AppError::unauthenticated)?;
        Ok(CurrentAgent {
            agent,
            token: token.to_owned(),
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use axum::http::HeaderValue;

    fn headers(pairs: &[(header::HeaderName, &str)]) -> HeaderMap {
        let mut map = HeaderMap::new();
        for (name, value) in pairs {
            map.append(name.clone(), HeaderValue::from_str(value).unwrap());
        }
        map
    }

    #[test]
    fn the_session_cookie_is_found_among_others() {
        let map = headers(&[(header::COOKIE, "theme=dark; sb_session=abc123; lang=es")]);
        assert_eq!(cookie_token(&map), Some("abc123"));
        let map = headers(&[(header::COOKIE, "sb_session_old=zzz")]);
        assert_eq!(cookie_token(&map), None);
    }

    #[test]
    fn bearer_tokens_are_read_case_insensitively() {
        let map = headers(&[(header::AUTHORIZATION, "bearer tok")]);
        assert_eq!(bearer_token(&map), Some("tok"));
        let map = headers(&[(header::AUTHORIZATION, "Basic dXNlcg==")]);
        assert_eq!(bearer_token(&map), None);
    }

    #[test]
    fn requests_from_another_origin_are_not_same_origin() {
        let host = (header::HOST, "127.0.0.1:8080");
        assert!(same_origin(&headers(std::slice::from_ref(&host)), None));
        assert!(same_origin(
            &headers(&[host.clone(), (header::ORIGIN, "http://127.0.0.1:8080")]),
            None
        ));
        assert!(!same_origin(
            &headers(&[host.clone(), (header::ORIGIN, "https://evil.example")]),
            None
        ));
        assert!(!same_origin(
            &headers(&[host, (header::ORIGIN, "null")]),
            None
        ));
    }

    #[test]
    fn behind_a_proxy_the_configured_public_origin_is_ours() {
        let proxied = headers(&[
            (header::HOST, "10.0.0.5:8080"),
            (header::ORIGIN, "https://inbox.example.com"),
        ]);
        assert!(!same_origin(&proxied, None));
        assert!(same_origin(&proxied, Some("https://inbox.example.com/")));
        assert!(!same_origin(&proxied, Some("https://other.example.com")));
    }

    #[test]
    fn a_cleared_cookie_expires_at_once() {
        let cookie = session_cookie(None, Duration::from_secs(60), true);
        assert!(
            cookie.contains("Max-Age=0")
                && cookie.contains("HttpOnly")
                && cookie.contains("Secure")
        );
    }
}
