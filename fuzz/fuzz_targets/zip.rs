//! ZIP: listing through the central directory (Zip64, prepended data, shadowed names), then every
//! entry read alone and in one pass; and the glance at the first entry through its local header,
//! before any listing (`first_zip_entry`).
#![no_main]

use libfuzzer_sys::fuzz_target;
use std::io::Read;

fuzz_target!(|data: &[u8]| {
    permafrost_fuzz::container(data, permafrost_fuzz::LIMITS);
    let mut source = std::io::Cursor::new(data);
    let first = permafrost_archive::first_zip_entry(&mut source, 1 << 20);
    if let Some((_, reader)) = first {
        let _ = std::io::copy(&mut reader.take(1 << 20), &mut std::io::sink());
    }
});
