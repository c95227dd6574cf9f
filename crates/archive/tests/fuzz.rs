//! Garbage and random mutations: every input gives `Ok` or `Err`, never a panic or a hang.

use std::io::{Cursor, Read};

use permafrost_archive::{Container, Limits};
use zip::CompressionMethod::{Deflated, Stored};

use crate::build::{self, gz, Rng};

/// Opens `bytes` and reads every entry to the end, ignoring errors. Limits are tight so that a
/// mutated size cannot make a test slow.
fn exercise(bytes: Vec<u8>) -> usize {
    let limits = Limits {
        max_ratio: 100,
        ratio_floor: 1 << 20,
        max_entry_size: 16 << 20,
        // Small, so that reads start from access points where the archive has room for them.
        access_point_spacing: 1 << 10,
        ..Limits::default()
    };
    let Ok(mut container) = Container::open_with_limits(Cursor::new(bytes), limits) else {
        return 0;
    };
    let count = container.entries().len();
    let mut read = 0;
    for at in 0..count {
        if let Ok(mut reader) = container.read_entry(at) {
            let mut data = Vec::new();
            if reader.read_to_end(&mut data).is_ok() {
                read += 1;
            }
        }
    }
    let all: Vec<usize> = (0..count).collect();
    let _ = container.read_entries(&all, |_, reader| {
        let mut data = Vec::new();
        reader.read_to_end(&mut data)?;
        Ok::<(), permafrost_archive::Error>(())
    });
    read
}

fn mutate(rng: &mut Rng, valid: &[u8]) -> Vec<u8> {
    let mut bytes = valid.to_vec();
    match rng.below(4) {
        // Flip a few bytes.
        0 | 1 => {
            for _ in 0..1 + rng.below(8) {
                let at = rng.below(bytes.len());
                bytes[at] = rng.next() as u8;
            }
        }
        // Cut the file.
        2 => bytes.truncate(rng.below(bytes.len())),
        // Overwrite a run with 0xff (large sizes and counts).
        _ => {
            let at = rng.below(bytes.len());
            let end = (at + 1 + rng.below(8)).min(bytes.len());
            bytes[at..end].fill(0xff);
        }
    }
    bytes
}

fn samples() -> Vec<(&'static str, Vec<u8>)> {
    let outbox =
        br#"{"type":"OrderedCollection","orderedItems":[{"type":"Create"},{"type":"Announce"}]}"#;
    let tar = build::tar(&[
        ("media_attachments/files/1/original/a.jpg", &[9u8; 700]),
        ("outbox.json", outbox),
        ("actor.json", b"{}"),
    ]);
    vec![
        (
            "zip",
            build::zip(
                &[
                    ("outbox.json", outbox, Deflated),
                    ("a.png", &[1u8; 300], Stored),
                    ("actor.json", b"{}", Deflated),
                ],
                false,
            ),
        ),
        (
            "zip64",
            build::zip(&[("outbox.json", outbox, Deflated)], true),
        ),
        ("tar.gz", gz(&tar)),
        ("tar", tar),
    ]
}

#[test]
fn valid_samples_read_fully() {
    for (kind, bytes) in samples() {
        let count = Container::open(Cursor::new(bytes.clone()))
            .unwrap()
            .entries()
            .len();
        assert_eq!(exercise(bytes), count, "{kind}");
    }
}

#[test]
fn random_mutations_never_panic() {
    let mut rng = Rng(0x5eed_1234_abcd_ef01);
    for (kind, valid) in samples() {
        let mut opened = 0;
        for _ in 0..250 {
            let bytes = mutate(&mut rng, &valid);
            if Container::open(Cursor::new(bytes.clone())).is_ok() {
                opened += 1;
            }
            exercise(bytes);
        }
        // Some mutations break the archive. Some leave it readable, except for tar.gz, where the
        // gzip checksum catches nearly every change.
        assert!(opened < 250, "{kind}: every mutation opened");
        assert!(kind == "tar.gz" || opened > 0, "{kind}: no mutation opened");
    }
}

#[test]
fn random_garbage_never_panics() {
    let mut rng = Rng(42);
    for round in 0..300 {
        let len = rng.below(2048);
        let mut bytes: Vec<u8> = (0..len).map(|_| rng.next() as u8).collect();
        // Give some of them a container's magic so the parsers, not just sniffing, see them.
        match round % 5 {
            0 if len >= 4 => bytes[..4].copy_from_slice(b"PK\x03\x04"),
            1 if len >= 2 => bytes[..2].copy_from_slice(b"\x1f\x8b"),
            2 if len >= 262 => bytes[257..262].copy_from_slice(b"ustar"),
            3 if len >= 22 => {
                let end = len - 22;
                bytes[end..end + 4].copy_from_slice(b"PK\x05\x06");
            }
            _ => {}
        }
        exercise(bytes);
    }
}
