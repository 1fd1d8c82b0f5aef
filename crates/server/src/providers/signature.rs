//! Webhook signatures, as each provider computes them, compared in constant time.

use base64::Engine;
use base64::engine::general_purpose::STANDARD;
use hmac::{Hmac, Mac};
use subtle::ConstantTimeEq;

fn hmac_sha1(key: &[u8], data: &[u8]) -> Vec<u8> {
    let Ok(mut mac) = Hmac::<sha1::Sha1>::new_from_slice(key) else {
        return Vec::new();
    };
    mac.update(data);
    mac.finalize().into_bytes().to_vec()
}

pub fn hmac_sha256(key: &[u8], data: &[u8]) -> Vec<u8> {
    let Ok(mut mac) = Hmac::<sha2::Sha256>::new_from_slice(key) else {
        return Vec::new();
    };
    mac.update(data);
    mac.finalize().into_bytes().to_vec()
}

/// Whether a shared secret given with a request is ours. An empty secret matches nothing.
pub fn secret_matches(given: &str, ours: &str) -> bool {
    !ours.is_empty() && same(given.as_bytes(), ours.as_bytes())
}

pub fn same(a: &[u8], b: &[u8]) -> bool {
    a.len() == b.len() && bool::from(a.ct_eq(b))
}

/// Twilio: base64 HMAC-SHA1, keyed with the auth token, of the full URL followed by every
/// POST parameter sorted by name, each distinct value once, as name then value.
pub fn twilio(auth_token: &str, url: &str, params: &[(String, String)]) -> String {
    let mut sorted: Vec<&(String, String)> = params.iter().collect();
    sorted.sort();
    sorted.dedup();
    let mut data = url.to_owned();
    for (name, value) in sorted {
        data.push_str(name);
        data.push_str(value);
    }
    STANDARD.encode(hmac_sha1(auth_token.as_bytes(), data.as_bytes()))
}

/// Whether `header` is Twilio's signature of this request. Twilio may have signed the URL with
/// or without the scheme's default port, so both are tried.
pub fn twilio_valid(
    auth_token: &str,
    url: &str,
    params: &[(String, String)],
    header: Option<&str>,
) -> bool {
    let Some(header) = header.filter(|_| !auth_token.is_empty()) else {
        return false;
    };
    url_variants(url).iter().any(|candidate| {
        same(
            twilio(auth_token, candidate, params).as_bytes(),
            header.trim().as_bytes(),
        )
    })
}

/// The URL as given, and with its default port removed or added.
fn url_variants(url: &str) -> Vec<String> {
    let mut variants = vec![url.to_owned()];
    for (scheme, port) in [("https://", ":443"), ("http://", ":80")] {
        let Some(rest) = url.strip_prefix(scheme) else {
            continue;
        };
        let (host, path) = rest.split_at(rest.find('/').unwrap_or(rest.len()));
        match host.strip_suffix(port) {
            Some(bare) => variants.push(format!("{scheme}{bare}{path}")),
            None if !host.contains(':') => variants.push(format!("{scheme}{host}{port}{path}")),
            None => {}
        }
    }
    variants
}

/// Meta (WhatsApp, Messenger, Instagram): `X-Hub-Signature-256: sha256=<hex HMAC-SHA256 of the raw body>`.
pub fn meta_valid(app_secret: &str, header: Option<&str>, body: &[u8]) -> bool {
    let hex_signature = header.and_then(|h| h.strip_prefix("sha256="));
    let Some(hex_signature) = hex_signature.filter(|_| !app_secret.is_empty()) else {
        return false;
    };
    let Ok(given) = hex::decode(hex_signature.trim()) else {
        return false;
    };
    same(&given, &hmac_sha256(app_secret.as_bytes(), body))
}

/// Meta's check of a webhook (WhatsApp, Messenger, Instagram): `X-Hub-Signature-256`.
pub fn meta_check(
    app_secret: &str,
    request: &super::WebhookRequest<'_>,
) -> Result<(), super::WebhookError> {
    if meta_valid(
        app_secret,
        request.header("x-hub-signature-256"),
        request.body,
    ) {
        Ok(())
    } else {
        Err(super::WebhookError::BadSignature)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn pairs(list: &[(&str, &str)]) -> Vec<(String, String)> {
        list.iter()
            .map(|(k, v)| ((*k).to_owned(), (*v).to_owned()))
            .collect()
    }

    /// The parameters of Twilio's published example (SDK test suites in every language).
    fn twilio_example() -> Vec<(String, String)> {
        pairs(&[
            ("CallSid", "CA1234567890ABCDE"),
            ("Caller", "+14158675309"),
            ("Digits", "1234"),
            ("From", "+14158675309"),
            ("To", "+18005551212"),
        ])
    }

    #[test]
    fn the_twilio_signature_matches_twilios_own_test_vector() {
        let params = twilio_example();
        let url = "https://mycompany.com/myapp.php?foo=1&bar=2";
        assert_eq!(
            twilio("12345", url, &params),
            "RSOYDt4T1cUTdK1PDd93/VVr8B8="
        );
        assert_ne!(
            twilio("12346", url, &params),
            "RSOYDt4T1cUTdK1PDd93/VVr8B8="
        );
        assert_eq!(
            twilio(
                "12345",
                "https://mycompany.com:443/myapp.php?foo=1&bar=2",
                &params
            ),
            "kvajT1Ptam85bY51eRf/AJRuM3w="
        );
        assert_eq!(
            twilio(
                "12345",
                "http://mycompany.com:80/myapp.php?foo=1&bar=2",
                &params
            ),
            "0ZXoZLH/DfblKGATFgpif+LLRf4="
        );
        assert_eq!(
            twilio(
                "12345",
                "http://mycompany.com:1234/myapp.php?foo=1&bar=2",
                &params
            ),
            "Zmvh+3yNM1Phv2jhDCwEM3q5ebU="
        );
        let repeated = pairs(&[
            ("Sid", "CA123"),
            ("SidAccount", "AC123"),
            ("Digits", "5678"),
            ("Digits", "1234"),
            ("Digits", "1234"),
        ]);
        assert_eq!(
            twilio("12345", url, &repeated),
            "IK+Dwps556ElfBT0I3Rgjkr1wJU="
        );
    }

    #[test]
    fn an_empty_secret_authenticates_nothing() {
        assert!(!secret_matches("", ""));
        assert!(secret_matches("s3cret-token", "s3cret-token"));
        let body = b"{}";
        let signed_with_nothing = format!("sha256={}", hex::encode(hmac_sha256(b"", body)));
        assert!(!meta_valid("", Some(&signed_with_nothing), body));
        let params = twilio_example();
        let url = "https://example.com/hook";
        assert!(!twilio_valid(
            "",
            url,
            &params,
            Some(&twilio("", url, &params))
        ));
    }

    #[test]
    fn a_twilio_signature_made_with_or_without_the_default_port_is_accepted() {
        let params = twilio_example();
        let signed = Some("RSOYDt4T1cUTdK1PDd93/VVr8B8=");
        assert!(twilio_valid(
            "12345",
            "https://mycompany.com/myapp.php?foo=1&bar=2",
            &params,
            signed
        ));
        assert!(twilio_valid(
            "12345",
            "https://mycompany.com:443/myapp.php?foo=1&bar=2",
            &params,
            signed
        ));
        assert!(!twilio_valid(
            "12345",
            "https://mycompany.com/myapp.php?foo=1&bar=3",
            &params,
            signed
        ));
        assert!(!twilio_valid(
            "12345",
            "https://mycompany.com/myapp.php?foo=1&bar=2",
            &params,
            None
        ));
    }

    #[test]
    fn a_meta_signature_is_checked_against_the_raw_body() {
        let body = br#"{"object":"whatsapp_business_account"}"#;
        let good = format!("sha256={}", hex::encode(hmac_sha256(b"app-secret", body)));
        assert!(meta_valid("app-secret", Some(&good), body));
        assert!(!meta_valid("other-secret", Some(&good), body));
        assert!(!meta_valid("app-secret", Some("sha256=zz"), body));
        assert!(!meta_valid("app-secret", None, body));
        assert!(!meta_valid("app-secret", Some(&good), b"{}"));
    }
}
