//! A 20 GiB archive opens by reading a few kilobytes: the container is read by byte range, media is
//! never touched, and Zip64 sizes and offsets past 4 GiB work. The archive is virtual: a source that
//! serves the real headers and JSON at their offsets and zeros everywhere else, so the test needs no
//! disk and no time, and counts every byte the engine asks for.

use permafrost_engine::{load, summarize, Input};
use std::cell::Cell;
use std::io::{self, Read, Seek, SeekFrom, Write};
use std::rc::Rc;

const GIB: u64 = 1 << 30;
const MEDIA_SIZE: u64 = 20 * GIB;
const MEDIA_NAME: &str = "media_attachments/files/110/000/000/original/0123456789abcdef.mp4";

/// Bytes at offsets, zeros in between; counts the bytes read.
struct Sparse {
    parts: Vec<(u64, Vec<u8>)>,
    len: u64,
    pos: u64,
    read: Rc<Cell<u64>>,
}

impl Read for Sparse {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        if self.pos >= self.len {
            return Ok(0);
        }
        let n = buf.len().min((self.len - self.pos) as usize);
        let out = &mut buf[..n];
        out.fill(0);
        for (at, bytes) in &self.parts {
            let end = at + bytes.len() as u64;
            if end <= self.pos || *at >= self.pos + n as u64 {
                continue;
            }
            let from = self.pos.max(*at);
            let to = end.min(self.pos + n as u64);
            out[(from - self.pos) as usize..(to - self.pos) as usize]
                .copy_from_slice(&bytes[(from - at) as usize..(to - at) as usize]);
        }
        self.pos += n as u64;
        self.read.set(self.read.get() + n as u64);
        Ok(n)
    }
}

impl Seek for Sparse {
    fn seek(&mut self, to: SeekFrom) -> io::Result<u64> {
        let pos = match to {
            SeekFrom::Start(p) => p as i128,
            SeekFrom::End(d) => self.len as i128 + d as i128,
            SeekFrom::Current(d) => self.pos as i128 + d as i128,
        };
        self.pos = u64::try_from(pos)
            .map_err(|_| io::Error::new(io::ErrorKind::InvalidInput, "seek before start"))?;
        Ok(self.pos)
    }
}

struct Entry {
    name: &'static str,
    offset: u64,
    crc: u32,
    compressed: u64,
    size: u64,
    method: u16,
}

fn local_header(e: &Entry) -> Vec<u8> {
    let mut h = Vec::new();
    h.extend_from_slice(&0x0403_4b50u32.to_le_bytes());
    h.extend_from_slice(&45u16.to_le_bytes());
    h.extend_from_slice(&0u16.to_le_bytes());
    h.extend_from_slice(&e.method.to_le_bytes());
    h.extend_from_slice(&[0, 0, 0x21, 0x57]); // time, date
    h.extend_from_slice(&e.crc.to_le_bytes());
    h.extend_from_slice(&u32::MAX.to_le_bytes());
    h.extend_from_slice(&u32::MAX.to_le_bytes());
    h.extend_from_slice(&(e.name.len() as u16).to_le_bytes());
    h.extend_from_slice(&20u16.to_le_bytes());
    h.extend_from_slice(e.name.as_bytes());
    h.extend_from_slice(&1u16.to_le_bytes());
    h.extend_from_slice(&16u16.to_le_bytes());
    h.extend_from_slice(&e.size.to_le_bytes());
    h.extend_from_slice(&e.compressed.to_le_bytes());
    h
}

fn central_header(e: &Entry) -> Vec<u8> {
    let mut h = Vec::new();
    h.extend_from_slice(&0x0201_4b50u32.to_le_bytes());
    h.extend_from_slice(&(0x0300u16 | 45).to_le_bytes());
    h.extend_from_slice(&45u16.to_le_bytes());
    h.extend_from_slice(&0u16.to_le_bytes());
    h.extend_from_slice(&e.method.to_le_bytes());
    h.extend_from_slice(&[0, 0, 0x21, 0x57]);
    h.extend_from_slice(&e.crc.to_le_bytes());
    h.extend_from_slice(&u32::MAX.to_le_bytes());
    h.extend_from_slice(&u32::MAX.to_le_bytes());
    h.extend_from_slice(&(e.name.len() as u16).to_le_bytes());
    h.extend_from_slice(&28u16.to_le_bytes());
    h.extend_from_slice(&[0; 10]); // comment length, disk, internal attributes, external attributes
    h.extend_from_slice(&u32::MAX.to_le_bytes());
    h.extend_from_slice(e.name.as_bytes());
    h.extend_from_slice(&1u16.to_le_bytes());
    h.extend_from_slice(&24u16.to_le_bytes());
    h.extend_from_slice(&e.size.to_le_bytes());
    h.extend_from_slice(&e.compressed.to_le_bytes());
    h.extend_from_slice(&e.offset.to_le_bytes());
    h
}

fn deflate(bytes: &[u8]) -> (Vec<u8>, u32) {
    let mut enc = flate2::write::DeflateEncoder::new(Vec::new(), flate2::Compression::default());
    enc.write_all(bytes).expect("deflate");
    let mut crc = flate2::Crc::new();
    crc.update(bytes);
    (enc.finish().expect("deflate"), crc.sum())
}

/// outbox.json, then a 20 GiB video, then actor.json (so its offset needs Zip64), as rubyzip orders
/// a Mastodon 4.4.4+ archive.
fn huge_archive(read: Rc<Cell<u64>>) -> Sparse {
    let outbox = format!(
        r#"{{"orderedItems":[{{"id":"https://big.example/users/a/statuses/1/activity","type":"Create","actor":"https://big.example/users/a","object":{{"id":"https://big.example/users/a/statuses/1","type":"Note","published":"2025-05-05T05:05:05Z","to":["https://www.w3.org/ns/activitystreams#Public"],"content":"<p>a long video</p>","attachment":[{{"type":"Document","mediaType":"video/mp4","url":"{MEDIA_NAME}","name":"twenty gigabytes of nothing"}}]}}}}]}}"#
    );
    let actor = br#"{"id":"https://big.example/users/a","type":"Person","preferredUsername":"a","name":"Big","followers":"https://big.example/users/a/followers"}"#;
    let mut parts = Vec::new();
    let mut offset = 0u64;
    let mut entries = Vec::new();
    for (name, data, method) in [
        ("outbox.json", Some(outbox.as_bytes()), 8u16),
        (MEDIA_NAME, None, 0),
        ("actor.json", Some(&actor[..]), 8),
    ] {
        let (body, crc, size) = match data {
            Some(d) => {
                let (z, crc) = deflate(d);
                (Some(z), crc, d.len() as u64)
            }
            None => (None, 0, MEDIA_SIZE),
        };
        let compressed = body.as_ref().map_or(MEDIA_SIZE, |b| b.len() as u64);
        let entry = Entry {
            name,
            offset,
            crc,
            compressed,
            size,
            method,
        };
        let header = local_header(&entry);
        let data_at = offset + header.len() as u64;
        parts.push((offset, header));
        if let Some(b) = body {
            parts.push((data_at, b));
        }
        offset = data_at + compressed;
        entries.push(entry);
    }
    let cd_at = offset;
    let cd: Vec<u8> = entries.iter().flat_map(central_header).collect();
    let eocd64_at = cd_at + cd.len() as u64;
    let mut tail = cd.clone();
    tail.extend_from_slice(&0x0606_4b50u32.to_le_bytes());
    tail.extend_from_slice(&44u64.to_le_bytes());
    tail.extend_from_slice(&45u16.to_le_bytes());
    tail.extend_from_slice(&45u16.to_le_bytes());
    tail.extend_from_slice(&[0; 8]);
    tail.extend_from_slice(&3u64.to_le_bytes());
    tail.extend_from_slice(&3u64.to_le_bytes());
    tail.extend_from_slice(&(cd.len() as u64).to_le_bytes());
    tail.extend_from_slice(&cd_at.to_le_bytes());
    tail.extend_from_slice(&0x0706_4b50u32.to_le_bytes());
    tail.extend_from_slice(&0u32.to_le_bytes());
    tail.extend_from_slice(&eocd64_at.to_le_bytes());
    tail.extend_from_slice(&1u32.to_le_bytes());
    tail.extend_from_slice(&0x0605_4b50u32.to_le_bytes());
    tail.extend_from_slice(&[0; 4]);
    tail.extend_from_slice(&u16::MAX.to_le_bytes());
    tail.extend_from_slice(&u16::MAX.to_le_bytes());
    tail.extend_from_slice(&u32::MAX.to_le_bytes());
    tail.extend_from_slice(&u32::MAX.to_le_bytes());
    tail.extend_from_slice(&0u16.to_le_bytes());
    let len = cd_at + tail.len() as u64;
    parts.push((cd_at, tail));
    Sparse {
        parts,
        len,
        pos: 0,
        read,
    }
}

#[test]
fn a_20_gib_archive_opens_reading_only_kilobytes() {
    let read = Rc::new(Cell::new(0));
    let source = huge_archive(read.clone());
    assert!(source.len > MEDIA_SIZE);
    let mut loaded = load(vec![Input::new("archive-20gib.zip", source)], &mut |_| {})
        .expect("the huge archive opens");
    let summary = summarize(&loaded);
    assert_eq!(summary.format, "zip");
    assert_eq!(summary.posts, 1);
    assert_eq!(summary.media.present, 1, "{:?}", summary.diagnostics);
    assert_eq!(
        summary.account.handle.as_deref(),
        Some("a@big.example"),
        "actor.json sits past 4 GiB"
    );
    let opened_with = read.get();
    eprintln!(
        "opened a {} GiB archive reading {opened_with} bytes",
        MEDIA_SIZE / GIB
    );
    assert!(opened_with < 4 << 20, "opening read {opened_with} bytes");

    // Media is read only when asked for, and only as far as asked.
    let entry = loaded.account.posts[0].attachments[0]
        .entry
        .expect("resolved");
    let before = read.get();
    let refused = loaded
        .read_entry(entry, 1 << 20)
        .expect_err("too large to read whole");
    assert!(refused.to_string().contains("MB"), "{refused}");
    assert!(
        read.get() - before < 8 << 20,
        "refusing read {} bytes",
        read.get() - before
    );
}
