//! What a file is, from its bytes: never from its name or what the uploader claimed, so a
//! script called `photo.jpg` is not served as an image and an image called `x.exe` is.

/// The content type of these bytes: a known signature, else plain text if it reads as
/// UTF-8 text, else `application/octet-stream`.
pub fn content_type(bytes: &[u8]) -> String {
    if let Some(kind) = infer::get(bytes) {
        return switchboard_protocol::rules::canonical_type(kind.mime_type()).to_owned();
    }
    let head = &bytes[..bytes.len().min(4096)];
    // A multi-byte character cut at the window's edge is still text.
    let text = match std::str::from_utf8(head) {
        Ok(_) => true,
        Err(e) => e.error_len().is_none() && e.valid_up_to() + 4 > head.len(),
    };
    if !bytes.is_empty() && text && !head.contains(&0) {
        "text/plain".to_owned()
    } else {
        "application/octet-stream".to_owned()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn known_signatures_text_and_the_rest() {
        let png = b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR";
        assert_eq!(content_type(png), "image/png");
        assert_eq!(content_type(b"%PDF-1.4\n"), "application/pdf");
        assert_eq!(
            content_type("Fecha;Importe\n1;2 €".as_bytes()),
            "text/plain"
        );
        assert_eq!(
            content_type(b"MZ\x90\0\x03\0\0\0"),
            "application/vnd.microsoft.portable-executable"
        );
        assert_eq!(
            content_type(b"\0\x01\x02garbage"),
            "application/octet-stream"
        );
        assert_eq!(content_type(b""), "application/octet-stream");
    }
}
