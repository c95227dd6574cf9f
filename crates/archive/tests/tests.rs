//! Integration tests of `permafrost-archive`, one module per topic.

// A failed unwrap is a failed test, with its location.
#![allow(clippy::unwrap_used)]

// Helpers that build archives in memory: zip, hand-made ustar headers, gzip.
mod build;
// The real archives in tests/data (see its README.md).
mod real;
// ZIP: stored and deflated entries, Zip64, prepended data, truncation, encryption, bombs.
mod zip;
// Tar and tar.gz: ustar prefix, absolute names, truncation, one-pass reading, bombs.
mod tar;
// tar.gz access points: random access into the gzip stream, damage after a point.
mod seek;
// tar.gz listed through its gzip stream inflated elsewhere (the browser's helper worker).
mod inflated;
// Folders and loose files.
mod files;
// Sniffing and error messages.
mod errors;
// Garbage and random mutations of valid archives: never a panic or a hang.
mod fuzz;
