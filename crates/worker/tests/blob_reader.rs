//! The worker's `BlobReader` in a real dedicated worker (it needs `FileReaderSync`): reading Blobs
//! by byte range. The session it feeds is tested natively (crates/session/tests).
#![cfg(target_arch = "wasm32")]
// `#[wasm_bindgen_test]` functions are tests, but clippy does not know it (see clippy.toml).
#![allow(clippy::unwrap_used)]

use permafrost_worker::blob_reader::BlobReader;
use std::io::{Read, Seek, SeekFrom};
use wasm_bindgen_test::*;

wasm_bindgen_test_configure!(run_in_dedicated_worker);

fn blob(bytes: &[u8]) -> web_sys::Blob {
    let array = js_sys::Uint8Array::from(bytes);
    web_sys::Blob::new_with_u8_array_sequence(&js_sys::Array::of1(&array)).unwrap()
}

#[wasm_bindgen_test]
fn blob_reader_reads_seeks_and_reads_ahead() {
    let bytes: Vec<u8> = (0..10_000u32).map(|i| (i % 251) as u8).collect();
    let mut reader = BlobReader::with_chunk(blob(&bytes), 64).unwrap();
    assert_eq!(reader.len(), 10_000);
    let mut all = Vec::new();
    reader.read_to_end(&mut all).unwrap();
    assert_eq!(all, bytes);
    reader.seek(SeekFrom::Start(5_000)).unwrap();
    let mut small = [0u8; 10];
    reader.read_exact(&mut small).unwrap();
    assert_eq!(&small[..], &bytes[5_000..5_010]);
    reader.seek(SeekFrom::Current(-20)).unwrap();
    reader.read_exact(&mut small).unwrap();
    assert_eq!(&small[..], &bytes[4_990..5_000]);
    // A read larger than the read-ahead goes straight through.
    let mut big = vec![0u8; 1_000];
    reader.seek(SeekFrom::End(-1_000)).unwrap();
    reader.read_exact(&mut big).unwrap();
    assert_eq!(&big[..], &bytes[9_000..]);
    // Past the end: nothing, and no error.
    assert_eq!(reader.seek(SeekFrom::Start(20_000)).unwrap(), 20_000);
    assert_eq!(reader.read(&mut small).unwrap(), 0);
    assert!(reader.seek(SeekFrom::Current(-30_000)).is_err());
}

#[wasm_bindgen_test]
fn blob_reader_reads_ahead_further_as_reading_goes_on_and_a_little_after_a_seek() {
    let bytes: Vec<u8> = (0..2_100_000u32).map(|i| (i % 251) as u8).collect();
    let mut reader = BlobReader::with_chunk(blob(&bytes), 1 << 20).unwrap();
    let mut piece = [0u8; 1_000];
    for at in (0..2_000_000).step_by(1_000) {
        reader.read_exact(&mut piece).unwrap();
        assert_eq!(&piece[..], &bytes[at..at + 1_000]);
    }
    // Slices of 64, 128, 256 and 512 KiB, then of the 1 MiB chunk: 2,031,616 bytes in 5.
    assert_eq!(reader.slices(), 5);
    // After a seek, a small slice again: 64 KiB holds the next 60,000 bytes.
    reader.seek(SeekFrom::Start(100)).unwrap();
    for _ in 0..60 {
        reader.read_exact(&mut piece).unwrap();
    }
    assert_eq!(&piece[..], &bytes[59_100..60_100]);
    assert_eq!(reader.slices(), 6);
    // Reading on past it follows on: one slice of 128 KiB.
    let mut more = vec![0u8; 100_000];
    reader.read_exact(&mut more).unwrap();
    assert_eq!(&more[..], &bytes[60_100..160_100]);
    assert_eq!(reader.slices(), 7);
}

#[wasm_bindgen_test]
fn a_sequential_blob_reader_reads_whole_chunks_from_its_first_read() {
    let bytes: Vec<u8> = (0..2_100_000u32).map(|i| (i % 251) as u8).collect();
    let mut reader = BlobReader::sequential(blob(&bytes), 1 << 20).unwrap();
    // From past a header, as the helper reads outbox.json.
    reader.seek(SeekFrom::Start(41)).unwrap();
    let mut piece = [0u8; 1_000];
    for at in (41..2_000_041).step_by(1_000) {
        reader.read_exact(&mut piece).unwrap();
        assert_eq!(&piece[..], &bytes[at..at + 1_000]);
    }
    // Slices of the 1 MiB chunk from the first: 2,000,000 bytes in 2.
    assert_eq!(reader.slices(), 2);
}
