//! Recognising a file by its first bytes, so that a wrongly named or wrongly chosen file gets a
//! useful message ("this is a PNG image") rather than a parser error.

use std::fmt;

/// How many leading bytes [`sniff`] looks at, at most. Giving it fewer works, but may recognise
/// less (a tar header is 512 bytes long).
pub const SNIFF_LEN: usize = 512;

/// What a file looks like, judged by its first bytes (see [`sniff`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum Sniffed {
    /// A ZIP archive (`PK\x03\x04`, or `PK\x05\x06` for an empty one).
    Zip,
    /// A gzip stream (`1f 8b`): a tar.gz archive if a tar is inside.
    Gzip,
    /// A tar archive (`ustar` at offset 257, or an old-style header with a valid checksum).
    Tar,
    /// Text starting with `{` or `[`, such as `outbox.json`.
    Json,
    /// Other text, such as Mastodon's CSV exports.
    Csv,
    /// Anything else, described with an article: "a PNG image", "an HTML page", "an empty file".
    Other(&'static str),
}

impl Sniffed {
    /// A short description starting with an article, for messages: "a ZIP archive", "a JSON
    /// file", "a PDF document".
    pub fn description(&self) -> &'static str {
        match self {
            Sniffed::Zip => "a ZIP archive",
            Sniffed::Gzip => "a gzip-compressed file",
            Sniffed::Tar => "a tar archive",
            Sniffed::Json => "a JSON file",
            Sniffed::Csv => "a text file (such as a CSV export)",
            Sniffed::Other(description) => description,
        }
    }
}

impl fmt::Display for Sniffed {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.description())
    }
}

/// Magic numbers at offset 0 and what they mean.
const MAGIC: &[(&[u8], &str)] = &[
    (b"\x89PNG\r\n\x1a\n", "a PNG image"),
    (b"\xff\xd8\xff", "a JPEG image"),
    (b"GIF87a", "a GIF image"),
    (b"GIF89a", "a GIF image"),
    (b"%PDF-", "a PDF document"),
    (b"Rar!\x1a\x07", "a RAR archive"),
    (b"7z\xbc\xaf\x27\x1c", "a 7-Zip archive"),
    (b"BZh", "a bzip2-compressed file"),
    (b"\xfd7zXZ\x00", "an xz-compressed file"),
    (b"\x28\xb5\x2f\xfd", "a zstd-compressed file"),
    (b"\x1a\x45\xdf\xa3", "a WebM or Matroska video"),
    (b"OggS", "an Ogg audio or video file"),
    (b"ID3", "an MP3 audio file"),
    (b"fLaC", "a FLAC audio file"),
    (b"SQLite format 3\x00", "an SQLite database"),
    (
        b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1",
        "an old Microsoft Office document",
    ),
    (b"MZ", "a Windows program"),
    (b"\x7fELF", "a Linux program"),
    (b"\xca\xfe\xba\xbe", "a Java class or macOS program"),
    (b"\xcf\xfa\xed\xfe", "a macOS program"),
    (b"\x00asm", "a WebAssembly module"),
    (b"wOFF", "a web font"),
    (b"wOF2", "a web font"),
];

/// Recognises a file by its first bytes (up to [`SNIFF_LEN`] of them; more are ignored).
///
/// Only content counts, never the file name: browsers and users rename downloads, and some
/// browsers un-gzip a `.tar.gz` while keeping its name.
///
/// ```
/// use permafrost_archive::{sniff, Sniffed};
///
/// assert_eq!(sniff(b"PK\x03\x04\x14\x00"), Sniffed::Zip);
/// assert_eq!(sniff(b"\x1f\x8b\x08\x00"), Sniffed::Gzip);
/// assert_eq!(sniff(b"  {\"orderedItems\": []}"), Sniffed::Json);
/// assert_eq!(sniff(b"Account address,Show boosts\n"), Sniffed::Csv);
/// assert_eq!(sniff(b"\x89PNG\r\n\x1a\n...."), Sniffed::Other("a PNG image"));
/// assert_eq!(sniff(b""), Sniffed::Other("an empty file"));
/// ```
pub fn sniff(head: &[u8]) -> Sniffed {
    let head = head.get(..SNIFF_LEN).unwrap_or(head);
    if head.is_empty() {
        return Sniffed::Other("an empty file");
    }
    if head.starts_with(b"PK\x03\x04")
        || head.starts_with(b"PK\x05\x06")
        || head.starts_with(b"PK\x07\x08")
    {
        return Sniffed::Zip;
    }
    if head.starts_with(b"\x1f\x8b") {
        return Sniffed::Gzip;
    }
    if is_tar_header(head) {
        return Sniffed::Tar;
    }
    if let Some((_, description)) = MAGIC.iter().find(|(magic, _)| head.starts_with(magic)) {
        return Sniffed::Other(description);
    }
    if head.get(4..8) == Some(b"ftyp") {
        return Sniffed::Other("an MP4 or QuickTime video (or HEIC image)");
    }
    if head.starts_with(b"RIFF") {
        return Sniffed::Other(match head.get(8..12) {
            Some(b"WEBP") => "a WebP image",
            Some(b"WAVE") => "a WAV audio file",
            Some(b"AVI ") => "an AVI video",
            _ => "a RIFF media file",
        });
    }
    sniff_text(head)
}

/// Classifies what looks like text; anything else is "binary".
fn sniff_text(head: &[u8]) -> Sniffed {
    let text = head.strip_prefix(b"\xef\xbb\xbf").unwrap_or(head);
    if text.contains(&0) {
        return Sniffed::Other("a binary file of unknown type");
    }
    // The head may end in the middle of a UTF-8 sequence: only what comes before must be valid.
    let valid = match std::str::from_utf8(text) {
        Ok(_) => true,
        Err(err) => err.error_len().is_none(),
    };
    if !valid {
        return Sniffed::Other("a binary file of unknown type");
    }
    let start = text
        .iter()
        .position(|byte| !byte.is_ascii_whitespace())
        .unwrap_or(text.len());
    let Some(trimmed) = text.get(start..) else {
        return Sniffed::Csv;
    };
    if trimmed.is_empty() {
        return Sniffed::Other("a file holding only blank space");
    }
    match trimmed.first() {
        Some(b'{' | b'[') => Sniffed::Json,
        Some(b'<') => {
            let lower = trimmed.to_ascii_lowercase();
            let has = |needle: &[u8]| lower.windows(needle.len()).any(|w| w == needle);
            if has(b"<html") || has(b"<!doctype html") || has(b"<head") || has(b"<body") {
                Sniffed::Other("an HTML page")
            } else if has(b"<svg") {
                Sniffed::Other("an SVG image")
            } else {
                Sniffed::Other("an XML or HTML document")
            }
        }
        _ => Sniffed::Csv,
    }
}

/// Whether `head` starts with a tar header: the POSIX `ustar` magic, or (for pre-POSIX tars,
/// which have no magic) a non-empty name and a valid header checksum.
pub(crate) fn is_tar_header(head: &[u8]) -> bool {
    if matches!(head.get(257..262), Some(b"ustar")) {
        return true;
    }
    let Some(block) = head.get(..512) else {
        return false;
    };
    if block.first().is_none_or(|&byte| byte == 0) {
        return false;
    }
    let Some(stored) = block.get(148..156).and_then(parse_octal) else {
        return false;
    };
    // The checksum is the sum of all header bytes, counting its own field as spaces.
    let sum: u64 = block
        .iter()
        .enumerate()
        .map(|(at, &byte)| {
            if (148..156).contains(&at) {
                u64::from(b' ')
            } else {
                u64::from(byte)
            }
        })
        .sum();
    sum == stored
}

/// Parses a tar numeric field: octal digits, optionally surrounded by spaces and ended by NUL.
fn parse_octal(field: &[u8]) -> Option<u64> {
    let digits: Vec<u8> = field
        .iter()
        .copied()
        .take_while(|&byte| byte != 0)
        .filter(|&byte| byte != b' ')
        .collect();
    if digits.is_empty() {
        return None;
    }
    digits.iter().try_fold(0u64, |value, &digit| {
        if (b'0'..=b'7').contains(&digit) {
            value.checked_mul(8)?.checked_add(u64::from(digit - b'0'))
        } else {
            None
        }
    })
}

/// Every description [`sniff`] gives, with its code: a key of the page's catalogue
/// (locales/*.json), which says it in the user's language.
pub const DESCRIPTIONS: &[(&str, &str)] = &[
    ("found.zip", "a ZIP archive"),
    ("found.gzip", "a gzip-compressed file"),
    ("found.tar", "a tar archive"),
    ("found.json", "a JSON file"),
    ("found.text", "a text file (such as a CSV export)"),
    ("found.png", "a PNG image"),
    ("found.jpeg", "a JPEG image"),
    ("found.gif", "a GIF image"),
    ("found.pdf", "a PDF document"),
    ("found.rar", "a RAR archive"),
    ("found.seven_zip", "a 7-Zip archive"),
    ("found.bzip2", "a bzip2-compressed file"),
    ("found.xz", "an xz-compressed file"),
    ("found.zstd", "a zstd-compressed file"),
    ("found.webm", "a WebM or Matroska video"),
    ("found.ogg", "an Ogg audio or video file"),
    ("found.mp3", "an MP3 audio file"),
    ("found.flac", "a FLAC audio file"),
    ("found.sqlite", "an SQLite database"),
    ("found.office", "an old Microsoft Office document"),
    ("found.windows", "a Windows program"),
    ("found.linux", "a Linux program"),
    ("found.java", "a Java class or macOS program"),
    ("found.macos", "a macOS program"),
    ("found.wasm", "a WebAssembly module"),
    ("found.font", "a web font"),
    ("found.empty", "an empty file"),
    ("found.mp4", "an MP4 or QuickTime video (or HEIC image)"),
    ("found.webp", "a WebP image"),
    ("found.wav", "a WAV audio file"),
    ("found.avi", "an AVI video"),
    ("found.riff", "a RIFF media file"),
    ("found.html", "an HTML page"),
    ("found.svg", "an SVG image"),
    ("found.xml", "an XML or HTML document"),
    ("found.binary", "a binary file of unknown type"),
    ("found.blank", "a file holding only blank space"),
];

/// The code of a description of [`DESCRIPTIONS`].
pub fn description_code(description: &str) -> Option<&'static str> {
    DESCRIPTIONS
        .iter()
        .find(|(_, english)| *english == description)
        .map(|(code, _)| *code)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Every description written in this file has a code (the page translates by it).
    #[test]
    fn every_description_has_a_code() {
        let source = include_str!("sniff.rs");
        let table = source
            .find("pub const DESCRIPTIONS")
            .unwrap_or(source.len());
        let mut found = 0;
        for line in source[..table]
            .lines()
            .filter(|l| !l.trim_start().starts_with("//"))
        {
            for piece in line.split('"').skip(1).step_by(2) {
                if piece.starts_with("a ") || piece.starts_with("an ") {
                    found += 1;
                    assert!(description_code(piece).is_some(), "{piece:?} has no code");
                }
            }
        }
        assert!(found >= 35, "{found}");
        assert_eq!(
            sniff(b"\x89PNG\r\n\x1a\n...."),
            Sniffed::Other("a PNG image")
        );
        assert_eq!(
            Sniffed::Csv.description(),
            "a text file (such as a CSV export)"
        );
    }
}
