//! Builders for archives in memory.

use std::io::{Cursor, Write};

use flate2::write::GzEncoder;
use flate2::Compression;
use permafrost_archive::{Container, Error, ErrorKind};
use zip::write::SimpleFileOptions;
use zip::CompressionMethod;

/// A ZIP of `(name, data, method)`, optionally with Zip64 extras on every entry.
pub(crate) fn zip(files: &[(&str, &[u8], CompressionMethod)], large_file: bool) -> Vec<u8> {
    let mut writer = zip::ZipWriter::new(Cursor::new(Vec::new()));
    for (name, data, method) in files {
        let options = SimpleFileOptions::default()
            .compression_method(*method)
            .large_file(large_file);
        writer.start_file(*name, options).unwrap();
        writer.write_all(data).unwrap();
    }
    writer.finish().unwrap().into_inner()
}

/// A deflated ZIP of `(name, data)`.
pub(crate) fn zip_deflated(files: &[(&str, &[u8])]) -> Vec<u8> {
    let files: Vec<_> = files
        .iter()
        .map(|(name, data)| (*name, *data, CompressionMethod::Deflated))
        .collect();
    zip(&files, false)
}

/// A 512-byte ustar header as `Gem::Package::TarWriter` writes it: mode 0444, `wheel`,
/// the name split into `prefix` and `name` when it is longer than 100 bytes.
pub(crate) fn ustar_header(path: &str, size: u64, kind: u8) -> [u8; 512] {
    let (prefix, name) = if path.len() > 100 {
        // Split at the last '/' that leaves a name of at most 100 bytes.
        let at = path
            .char_indices()
            .filter(|&(at, c)| c == '/' && path.len() - at - 1 <= 100)
            .map(|(at, _)| at)
            .next()
            .expect("path can be split");
        (&path[..at], &path[at + 1..])
    } else {
        ("", path)
    };
    assert!(
        prefix.len() <= 155 && name.len() <= 100,
        "path too long for ustar"
    );
    let mut header = [0u8; 512];
    header[..name.len()].copy_from_slice(name.as_bytes());
    header[100..108].copy_from_slice(b"0000444\0");
    header[108..116].copy_from_slice(b"0000000\0");
    header[116..124].copy_from_slice(b"0000000\0");
    header[124..136].copy_from_slice(format!("{size:011o}\0").as_bytes());
    header[136..148].copy_from_slice(b"14342065470\0");
    header[156] = kind;
    header[257..263].copy_from_slice(b"ustar\0");
    header[263..265].copy_from_slice(b"00");
    header[265..270].copy_from_slice(b"wheel");
    header[297..302].copy_from_slice(b"wheel");
    header[345..345 + prefix.len()].copy_from_slice(prefix.as_bytes());
    header[148..156].copy_from_slice(b"        ");
    let sum: u32 = header.iter().map(|&b| u32::from(b)).sum();
    header[148..156].copy_from_slice(format!("{sum:06o}\0 ").as_bytes());
    header
}

/// A ustar archive of regular files, with the two zero blocks that end it.
pub(crate) fn tar(files: &[(&str, &[u8])]) -> Vec<u8> {
    let mut out = Vec::new();
    for (name, data) in files {
        append(&mut out, name, data);
    }
    out.extend_from_slice(&[0; 1024]);
    out
}

/// Appends one regular file to a tar under construction.
pub(crate) fn append(out: &mut Vec<u8>, name: &str, data: &[u8]) {
    out.extend_from_slice(&ustar_header(name, data.len() as u64, b'0'));
    out.extend_from_slice(data);
    out.resize(out.len().next_multiple_of(512), 0);
}

/// Gzips `data`.
pub(crate) fn gz(data: &[u8]) -> Vec<u8> {
    let mut encoder = GzEncoder::new(Vec::new(), Compression::default());
    encoder.write_all(data).unwrap();
    encoder.finish().unwrap()
}

/// Opens `bytes` as an archive.
pub(crate) fn open(bytes: Vec<u8>) -> Result<Container<Cursor<Vec<u8>>>, Error> {
    Container::open(Cursor::new(bytes))
}

/// Opens `bytes` and expects an error of `kind`.
pub(crate) fn open_err(bytes: Vec<u8>) -> Error {
    match open(bytes) {
        Ok(container) => panic!("expected an error, opened {container:?}"),
        Err(err) => err,
    }
}

/// The names of the entries.
pub(crate) fn names<R>(container: &Container<R>) -> Vec<&str> {
    container
        .entries()
        .iter()
        .map(|e| e.name.as_str())
        .collect()
}

/// Reads the entry at `index` to the end.
pub(crate) fn read<R: std::io::Read + std::io::Seek>(
    container: &mut Container<R>,
    index: usize,
) -> Result<Vec<u8>, Error> {
    let mut data = Vec::new();
    container.read_entry(index)?.read_to_end(&mut data)?;
    Ok(data)
}

/// Reads the entry named `name` to the end.
pub(crate) fn read_named<R: std::io::Read + std::io::Seek>(
    container: &mut Container<R>,
    name: &str,
) -> Vec<u8> {
    let index = container
        .entries()
        .iter()
        .position(|e| e.name == name)
        .unwrap_or_else(|| panic!("{name} is not listed"));
    read(container, index).unwrap()
}

/// Asserts that `err` is of `kind` and its message follows the house style.
#[track_caller]
pub(crate) fn assert_kind(err: &Error, kind: ErrorKind) {
    assert_eq!(*err.kind(), kind, "unexpected error: {err}");
    assert_style(err);
}

/// Error messages are lowercase, with no trailing period.
#[track_caller]
pub(crate) fn assert_style(err: &Error) {
    let message = err.to_string();
    assert!(!message.is_empty());
    assert!(
        !message.starts_with(|c: char| c.is_uppercase()),
        "message starts uppercase: {message}"
    );
    assert!(
        !message.ends_with('.'),
        "message ends with a period: {message}"
    );
}

/// A deterministic pseudo-random generator (xorshift64*).
pub(crate) struct Rng(pub(crate) u64);

impl Rng {
    pub(crate) fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_f491_4f6c_dd1d)
    }

    pub(crate) fn below(&mut self, n: usize) -> usize {
        (self.next() % n as u64) as usize
    }
}
