//! Sniffing and the errors a user sees.

use std::error::Error as _;
use std::io;

use permafrost_archive::{sniff, Error, ErrorKind, Format, Sniffed};

use crate::build::{assert_kind, open_err};

fn not_an_archive(bytes: &[u8]) -> String {
    let err = open_err(bytes.to_vec());
    assert_style(&err);
    match err.kind() {
        ErrorKind::NotAnArchive { found } => {
            assert!(err.to_string().contains(found.as_str()), "{err}");
            found.clone()
        }
        other => panic!("expected NotAnArchive, got {other:?}: {err}"),
    }
}

fn assert_style(err: &Error) {
    crate::build::assert_style(err);
}

#[test]
fn files_that_are_not_archives_say_what_they_are() {
    assert_eq!(
        not_an_archive(b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR"),
        "a PNG image"
    );
    assert_eq!(
        not_an_archive(b"<!DOCTYPE html>\n<html><head><title>Sign in</title>"),
        "an HTML page"
    );
    assert_eq!(not_an_archive(b""), "an empty file");
    assert_eq!(not_an_archive(b"%PDF-1.7\n"), "a PDF document");
    assert_eq!(not_an_archive(b"Rar!\x1a\x07\x01\x00"), "a RAR archive");
    assert_eq!(
        not_an_archive(b"7z\xbc\xaf\x27\x1c\0\x04"),
        "a 7-Zip archive"
    );
    assert_eq!(
        not_an_archive(b"\xff\xd8\xff\xe0\0\x10JFIF"),
        "a JPEG image"
    );
    assert_eq!(not_an_archive(b"{\"orderedItems\": []}"), "a JSON file");
    assert_eq!(
        not_an_archive(b"Account address,Show boosts\nalice@example.social,true\n"),
        "a text file (such as a CSV export)"
    );
}

#[test]
fn a_json_file_gets_advice_about_loose_files() {
    let err = open_err(b"\xef\xbb\xbf  [1,2,3]".to_vec());
    assert!(err.to_string().contains("outbox.json"), "{err}");
}

#[test]
fn sniff_recognises_containers_by_content() {
    assert_eq!(sniff(b"PK\x03\x04"), Sniffed::Zip);
    assert_eq!(sniff(b"PK\x05\x06\0\0"), Sniffed::Zip);
    assert_eq!(sniff(b"\x1f\x8b\x08"), Sniffed::Gzip);
    let mut tar = vec![0u8; 512];
    tar[257..262].copy_from_slice(b"ustar");
    assert_eq!(sniff(&tar), Sniffed::Tar);
    assert_eq!(
        sniff(b"RIFF\0\0\0\0WEBPVP8 "),
        Sniffed::Other("a WebP image")
    );
    assert_eq!(
        sniff(b"\0\0\0\x20ftypisom"),
        Sniffed::Other("an MP4 or QuickTime video (or HEIC image)")
    );
    assert_eq!(
        sniff(b"\0\x01\x02\x03"),
        Sniffed::Other("a binary file of unknown type")
    );
    assert_eq!(
        sniff(b" \n\t"),
        Sniffed::Other("a file holding only blank space")
    );
    // A head cut inside a UTF-8 sequence is still text.
    assert_eq!(
        sniff("é,ü\n\u{1F418}".as_bytes()[..9].as_ref()),
        Sniffed::Csv
    );
    assert_eq!(Sniffed::Json.to_string(), "a JSON file");
}

#[test]
fn formats_display_as_their_short_names() {
    let shown: Vec<String> = [
        Format::Zip,
        Format::TarGz,
        Format::Tar,
        Format::Folder,
        Format::Files,
    ]
    .iter()
    .map(ToString::to_string)
    .collect();
    assert_eq!(shown, ["zip", "tar.gz", "tar", "folder", "files"]);
}

/// A source whose reads fail.
struct Broken;

impl io::Read for Broken {
    fn read(&mut self, _: &mut [u8]) -> io::Result<usize> {
        Err(io::Error::new(io::ErrorKind::PermissionDenied, "no access"))
    }
}

impl io::Seek for Broken {
    fn seek(&mut self, _: io::SeekFrom) -> io::Result<u64> {
        Ok(0)
    }
}

#[test]
fn io_errors_keep_their_source() {
    let err = permafrost_archive::Container::open(Broken).unwrap_err();
    assert_kind(&err, ErrorKind::Io);
    let source = err.source().expect("a source");
    let io = source.downcast_ref::<io::Error>().expect("an io::Error");
    assert_eq!(io.kind(), io::ErrorKind::PermissionDenied);
    assert!(err.to_string().contains("no access"), "{err}");
}

#[test]
fn errors_survive_a_round_trip_through_io_error() {
    let err = open_err(Vec::new());
    let kind = err.kind().clone();
    let io: io::Error = err.into();
    assert_eq!(io.kind(), io::ErrorKind::InvalidData);
    let back = Error::from(io);
    assert_eq!(*back.kind(), kind);

    // A plain io::Error becomes an Io error.
    let plain = Error::from(io::Error::new(io::ErrorKind::NotFound, "gone"));
    assert_kind(&plain, ErrorKind::Io);
    assert_eq!(io::Error::from(plain).kind(), io::ErrorKind::NotFound);
}

#[test]
fn the_error_type_is_send_sync_and_static() {
    fn check<T: Send + Sync + 'static + std::error::Error>() {}
    check::<Error>();
}
