//! What a file is, from its bytes: never from its name or what the uploader claimed, so a
//! script called `photo.jpg` is not served as an image and an image called `x.exe` is. A
//! name's extension is made to agree with the bytes too ([`fit_extension`]): a file saved
//! from the browser opens by its extension, and a PNG+HTML polyglot called `.html` would open
//! as a page.

/// The content type of these bytes: a known signature, else plain text if it reads as
/// UTF-8 text, else `application/octet-stream`.
pub fn content_type(bytes: &[u8]) -> String {
    sniff(bytes).content_type
}

/// What the bytes are, with the extension a file of that kind is given.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Sniffed {
    pub content_type: String,
    /// `None` for bytes of no known kind.
    pub extension: Option<&'static str>,
}

pub fn sniff(bytes: &[u8]) -> Sniffed {
    // Markup and scripts (HTML, XML, shell) are text to read here, never a page to open.
    if let Some(kind) = infer::get(bytes).filter(|k| k.matcher_type() != infer::MatcherType::Text) {
        return Sniffed {
            content_type: switchboard_protocol::rules::canonical_type(kind.mime_type()).to_owned(),
            extension: Some(kind.extension()),
        };
    }
    let head = &bytes[..bytes.len().min(4096)];
    // A multi-byte character cut at the window's edge is still text.
    let text = match std::str::from_utf8(head) {
        Ok(_) => true,
        Err(e) => e.error_len().is_none() && e.valid_up_to() + 4 > head.len(),
    };
    if !bytes.is_empty() && text && !head.contains(&0) {
        Sniffed {
            content_type: "text/plain".to_owned(),
            extension: Some("txt"),
        }
    } else {
        Sniffed {
            content_type: "application/octet-stream".to_owned(),
            extension: None,
        }
    }
}

/// Extensions that name the same kind of file.
const SAME_KIND: &[&[&str]] = &[
    &["jpg", "jpeg", "jpe", "jfif"],
    &["tif", "tiff"],
    &["heic", "heif"],
    &["mp4", "m4v", "m4a"],
    &["ogg", "oga", "ogv", "opus"],
    &["mov", "qt"],
    &["mkv", "mka", "webm"],
    &["mid", "midi"],
    // What reads as text: only names that do not open as a page or a program.
    &[
        "txt", "text", "csv", "tsv", "log", "md", "json", "vcf", "ics", "srt", "vtt",
    ],
];

/// Extensions a browser or a desktop opens as a page, a script or a program. A file of
/// unknown bytes with one of them gets `.bin` added.
const ACTIVE: &[&str] = &[
    "html",
    "htm",
    "xhtml",
    "shtml",
    "mht",
    "mhtml",
    "svg",
    "svgz",
    "xml",
    "xsl",
    "xslt",
    "js",
    "mjs",
    "hta",
    "bat",
    "cmd",
    "com",
    "scr",
    "exe",
    "msi",
    "dll",
    "ps1",
    "vbs",
    "vbe",
    "wsf",
    "jar",
    "lnk",
    "url",
    "desktop",
    "sh",
    "php",
    "swf",
    "chm",
    "reg",
    "pif",
    "cpl",
    "appref-ms",
];

/// `name` with an extension that says what the bytes are: kept when it already does (or a
/// synonym does), else the sniffed kind's extension is added (`invoice.html` holding a PNG
/// becomes `invoice.html.png`; a text file called `page.html`, `page.html.txt`).
pub fn fit_extension(name: &str, sniffed: &Sniffed) -> String {
    let current = name
        .rsplit_once('.')
        .filter(|(stem, _)| !stem.is_empty())
        .map(|(_, ext)| ext.to_ascii_lowercase());
    let Some(wanted) = sniffed.extension else {
        return match current {
            Some(ext) if ACTIVE.contains(&ext.as_str()) => format!("{name}.bin"),
            _ => name.to_owned(),
        };
    };
    let agrees = current.as_deref().is_some_and(|ext| {
        ext == wanted
            || SAME_KIND
                .iter()
                .any(|group| group.contains(&ext) && group.contains(&wanted))
    });
    if agrees {
        name.to_owned()
    } else {
        format!("{name}.{wanted}")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const PNG: &[u8] = b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR";

    #[test]
    fn known_signatures_text_and_the_rest() {
        assert_eq!(content_type(PNG), "image/png");
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

    #[test]
    fn a_name_that_agrees_with_its_bytes_is_kept() {
        assert_eq!(fit_extension("recibo.PNG", &sniff(PNG)), "recibo.PNG");
        let jpeg = sniff(b"\xff\xd8\xff\xe0\0\x10JFIF\0");
        assert_eq!(fit_extension("foto.jpeg", &jpeg), "foto.jpeg");
        let text = sniff(b"a;b\n1;2\n");
        assert_eq!(fit_extension("datos.csv", &text), "datos.csv");
    }

    #[test]
    fn a_polyglot_named_as_a_page_is_named_by_its_bytes() {
        let mut polyglot = PNG.to_vec();
        polyglot.extend_from_slice(b"<html><script>alert(1)</script></html>");
        assert_eq!(
            fit_extension("factura.html", &sniff(&polyglot)),
            "factura.html.png"
        );
        let page = sniff(b"<html><script>alert(1)</script></html>");
        assert_eq!(fit_extension("page.html", &page), "page.html.txt");
        assert_eq!(fit_extension("sin-nombre", &sniff(PNG)), "sin-nombre.png");
    }

    #[test]
    fn unknown_bytes_keep_their_name_unless_it_would_open_as_a_page_or_program() {
        let unknown = sniff(b"\0\x01\x02garbage");
        assert_eq!(fit_extension("data.dat", &unknown), "data.dat");
        assert_eq!(fit_extension("x.svg", &unknown), "x.svg.bin");
        assert_eq!(fit_extension(".htaccess", &unknown), ".htaccess");
    }
}
