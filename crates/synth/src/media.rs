//! Media files: small but valid PNG, JPEG and GIF images (a browser can decode them), box-shaped MP4 and
//! frame-shaped MP3 stand-ins, padded to the requested size, plus the attachment metadata Mastodon writes.

use flate2::Crc;
use permafrost_model::blurhash::encode_base83;

use crate::rng::Rng;

/// Media types, with their file extension.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Kind {
    Jpeg,
    /// A JPEG stored with the `.jpeg` extension (both occur).
    JpegLong,
    Png,
    Gif,
    Mp4,
    Mp3,
}

impl Kind {
    pub(crate) fn draw(rng: &mut Rng) -> Kind {
        match rng.weighted(&[500, 50, 250, 50, 100, 50]) {
            0 => Kind::Jpeg,
            1 => Kind::JpegLong,
            2 => Kind::Png,
            3 => Kind::Gif,
            4 => Kind::Mp4,
            _ => Kind::Mp3,
        }
    }

    pub(crate) fn ext(self) -> &'static str {
        match self {
            Kind::Jpeg => "jpg",
            Kind::JpegLong => "jpeg",
            Kind::Png => "png",
            Kind::Gif => "gif",
            Kind::Mp4 => "mp4",
            Kind::Mp3 => "mp3",
        }
    }

    pub(crate) fn mime(self) -> &'static str {
        match self {
            Kind::Jpeg | Kind::JpegLong => "image/jpeg",
            Kind::Png => "image/png",
            Kind::Gif => "image/gif",
            Kind::Mp4 => "video/mp4",
            Kind::Mp3 => "audio/mpeg",
        }
    }

    pub(crate) fn is_visual(self) -> bool {
        !matches!(self, Kind::Mp3)
    }
}

/// One media file of the archive.
#[derive(Clone, Copy, Debug)]
pub(crate) struct MediaFile {
    /// The media attachment's snowflake id (gives the id partition).
    pub(crate) id: u64,
    /// The 16-hex-digit file name.
    pub(crate) name: u64,
    pub(crate) kind: Kind,
}

impl MediaFile {
    /// `media_attachments/files/<id partition>/original/<16 hex>.<ext>`.
    pub(crate) fn key(&self) -> String {
        format!(
            "media_attachments/files/{}/original/{:016x}.{}",
            id_partition(self.id),
            self.name,
            self.kind.ext()
        )
    }

    /// The file's bytes, derived from its name so they can be produced again at write time.
    pub(crate) fn bytes(&self, target: usize) -> Vec<u8> {
        let mut rng = Rng::new(self.name, 5);
        let rgb = [
            rng.below(256) as u8,
            rng.below(256) as u8,
            rng.below(256) as u8,
        ];
        match self.kind {
            Kind::Jpeg | Kind::JpegLong => jpeg(rgb, target, &mut rng),
            Kind::Png => png(rgb, target, &mut rng),
            Kind::Gif => gif(rgb, target, &mut rng),
            Kind::Mp4 => mp4(target, &mut rng),
            Kind::Mp3 => mp3(target),
        }
    }
}

/// Paperclip's id partition: the id zero-padded to 9 digits, cut into groups of three (a remainder is
/// dropped, as Ruby's `scan(/\d{3}/)` does). Snowflakes give six groups.
pub(crate) fn id_partition(id: u64) -> String {
    let digits = format!("{id:09}");
    let groups: Vec<&str> = digits
        .as_bytes()
        .chunks(3)
        .filter(|c| c.len() == 3)
        .filter_map(|c| std::str::from_utf8(c).ok())
        .collect();
    groups.join("/")
}

/// A valid blurhash with 4×3 components.
pub(crate) fn blurhash(rng: &mut Rng) -> String {
    // Every value drawn fits its digits, and all of them fit a u32.
    let mut push = |out: &mut String, bound: u64, digits: usize| {
        let value = u32::try_from(rng.below(bound)).unwrap_or(0);
        out.push_str(&encode_base83(value, digits));
    };
    let mut s = String::with_capacity(28);
    s.push_str(&encode_base83((4 - 1) + (3 - 1) * 9, 1));
    push(&mut s, 83, 1);
    push(&mut s, 1 << 24, 4);
    for _ in 0..11 {
        push(&mut s, 19 * 19 * 19, 2);
    }
    s
}

/// Printable filler (PNG text chunks must be Latin-1 text without NUL).
fn printable(rng: &mut Rng, n: usize) -> Vec<u8> {
    let mut v = vec![0u8; n];
    rng.fill(&mut v);
    for b in &mut v {
        *b = b'!' + *b % 94;
    }
    v
}

fn png_chunk(out: &mut Vec<u8>, kind: &[u8; 4], data: &[u8]) {
    out.extend_from_slice(&(data.len() as u32).to_be_bytes());
    out.extend_from_slice(kind);
    out.extend_from_slice(data);
    let mut crc = Crc::new();
    crc.update(kind);
    crc.update(data);
    out.extend_from_slice(&crc.sum().to_be_bytes());
}

/// A 1×1 RGB PNG; padding goes into a `tEXt` chunk.
pub(crate) fn png(rgb: [u8; 3], target: usize, rng: &mut Rng) -> Vec<u8> {
    let mut out = b"\x89PNG\r\n\x1a\n".to_vec();
    let mut ihdr = Vec::new();
    ihdr.extend_from_slice(&1u32.to_be_bytes());
    ihdr.extend_from_slice(&1u32.to_be_bytes());
    ihdr.extend_from_slice(&[8, 2, 0, 0, 0]);
    png_chunk(&mut out, b"IHDR", &ihdr);
    // zlib stream with one stored block: filter byte 0 then the pixel.
    let raw = [0, rgb[0], rgb[1], rgb[2]];
    let mut idat = vec![0x78, 0x01, 0x01, 4, 0, !4u8, 0xff];
    idat.extend_from_slice(&raw);
    idat.extend_from_slice(&adler32(&raw).to_be_bytes());
    // Fixed parts: IDAT chunk and IEND chunk.
    let rest = 12 + idat.len() + 12;
    let text_overhead = 12 + b"Comment\0".len();
    if target >= out.len() + rest + text_overhead {
        let n = target - out.len() - rest - text_overhead;
        let mut text = b"Comment\0".to_vec();
        text.extend_from_slice(&printable(rng, n));
        png_chunk(&mut out, b"tEXt", &text);
    }
    png_chunk(&mut out, b"IDAT", &idat);
    png_chunk(&mut out, b"IEND", &[]);
    out
}

fn adler32(data: &[u8]) -> u32 {
    let (mut a, mut b) = (1u32, 0u32);
    for &d in data {
        a = (a + d as u32) % 65_521;
        b = (b + a) % 65_521;
    }
    (b << 16) | a
}

/// A 1×1 baseline JPEG (YCbCr, one 8×8 block per component, DC only); padding goes into COM segments.
pub(crate) fn jpeg(rgb: [u8; 3], target: usize, rng: &mut Rng) -> Vec<u8> {
    let (r, g, b) = (rgb[0] as i32, rgb[1] as i32, rgb[2] as i32);
    let y = (299 * r + 587 * g + 114 * b) / 1000;
    let cb = (-1687 * r - 3313 * g + 5000 * b) / 10_000 + 128;
    let cr = (5000 * r - 4187 * g - 813 * b) / 10_000 + 128;

    let mut head = vec![0xFF, 0xD8];
    // APP0 JFIF 1.01, no thumbnail.
    head.extend_from_slice(&[
        0xFF, 0xE0, 0x00, 0x10, b'J', b'F', b'I', b'F', 0x00, 0x01, 0x01, 0x00, 0x00, 0x01, 0x00,
        0x01, 0x00, 0x00,
    ]);
    let mut tail = Vec::new();
    // DQT: table 0, all 8 (a flat block's DC coefficient is 8 × (value − 128), so it quantizes to value − 128).
    tail.extend_from_slice(&[0xFF, 0xDB, 0x00, 0x43, 0x00]);
    tail.extend_from_slice(&[8u8; 64]);
    // SOF0: 8 bit, 1×1, three components, 1×1 sampling, table 0.
    tail.extend_from_slice(&[
        0xFF, 0xC0, 0x00, 0x11, 0x08, 0x00, 0x01, 0x00, 0x01, 0x03, 0x01, 0x11, 0x00, 0x02, 0x11,
        0x00, 0x03, 0x11, 0x00,
    ]);
    // DHT DC table 0: categories 0..=11, all with 4-bit codes 0000..1011.
    tail.extend_from_slice(&[
        0xFF, 0xC4, 0x00, 0x1F, 0x00, 0, 0, 0, 12, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
    ]);
    tail.extend_from_slice(&[0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11]);
    // DHT AC table 0: only end-of-block, code "0".
    tail.extend_from_slice(&[
        0xFF, 0xC4, 0x00, 0x14, 0x10, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0x00,
    ]);
    // SOS: three components, tables 0/0, full spectral range.
    tail.extend_from_slice(&[
        0xFF, 0xDA, 0x00, 0x0C, 0x03, 0x01, 0x00, 0x02, 0x00, 0x03, 0x00, 0x00, 0x3F, 0x00,
    ]);
    let mut bits = BitWriter::default();
    for v in [y, cb, cr] {
        let diff = v.clamp(0, 255) - 128;
        let cat = if diff == 0 {
            0
        } else {
            32 - diff.unsigned_abs().leading_zeros()
        };
        bits.put(cat, 4);
        if cat > 0 {
            let extra = if diff > 0 {
                diff as u32
            } else {
                (diff - 1) as u32 & ((1 << cat) - 1)
            };
            bits.put(extra, cat);
        }
        bits.put(0, 1); // end of block
    }
    tail.extend_from_slice(&bits.finish());
    tail.extend_from_slice(&[0xFF, 0xD9]);

    let base = head.len() + tail.len();
    if target >= base + 4 {
        let mut left = target - base;
        while left >= 4 {
            let n = (left - 4).min(65_533);
            // Avoid leaving 1..3 bytes that cannot form a segment.
            let n = if left - 4 - n > 0 && left - 4 - n < 4 {
                n - 4
            } else {
                n
            };
            head.extend_from_slice(&[0xFF, 0xFE]);
            head.extend_from_slice(&((n + 2) as u16).to_be_bytes());
            let mut fill = vec![0u8; n];
            rng.fill(&mut fill);
            head.extend_from_slice(&fill);
            left -= n + 4;
        }
    }
    head.extend_from_slice(&tail);
    head
}

/// Big-endian bit packer for JPEG entropy data (pads with 1s, stuffs 0x00 after 0xFF).
#[derive(Default)]
struct BitWriter {
    out: Vec<u8>,
    acc: u32,
    n: u32,
}

impl BitWriter {
    fn put(&mut self, value: u32, len: u32) {
        for i in (0..len).rev() {
            self.acc = (self.acc << 1) | ((value >> i) & 1);
            self.n += 1;
            if self.n == 8 {
                self.byte();
            }
        }
    }

    fn byte(&mut self) {
        let b = self.acc as u8;
        self.out.push(b);
        if b == 0xFF {
            self.out.push(0);
        }
        self.acc = 0;
        self.n = 0;
    }

    fn finish(mut self) -> Vec<u8> {
        while self.n != 0 {
            self.put(1, 1);
        }
        self.out
    }
}

/// A 1×1 GIF89a; padding goes into a comment extension.
pub(crate) fn gif(rgb: [u8; 3], target: usize, rng: &mut Rng) -> Vec<u8> {
    let mut out = b"GIF89a".to_vec();
    out.extend_from_slice(&[1, 0, 1, 0, 0x80, 0, 0]);
    out.extend_from_slice(&rgb);
    out.extend_from_slice(&[0, 0, 0]);
    let image: &[u8] = &[
        0x2C, 0, 0, 0, 0, 1, 0, 1, 0, 0, 0x02, 0x02, 0x44, 0x01, 0x00, 0x3B,
    ];
    let base = out.len() + image.len();
    if target >= base + 3 {
        let mut left = target - base - 3;
        out.extend_from_slice(&[0x21, 0xFE]);
        while left >= 2 {
            let n = (left - 1).min(255);
            // Leave no single byte behind (a sub-block needs at least two).
            let n = if left - 1 - n == 1 { n - 1 } else { n };
            out.push(n as u8);
            let mut fill = vec![0u8; n];
            rng.fill(&mut fill);
            out.extend_from_slice(&fill);
            left -= n + 1;
        }
        out.push(0);
    }
    out.extend_from_slice(image);
    out
}

/// An ISO BMFF stand-in: an `ftyp` box, then a `free` box of filler. Not playable, but well-formed boxes.
pub(crate) fn mp4(target: usize, rng: &mut Rng) -> Vec<u8> {
    let mut out = Vec::new();
    out.extend_from_slice(&24u32.to_be_bytes());
    out.extend_from_slice(b"ftypisom");
    out.extend_from_slice(&0x200u32.to_be_bytes());
    out.extend_from_slice(b"isommp41");
    if target >= out.len() + 8 {
        let n = target - out.len();
        out.extend_from_slice(&(n as u32).to_be_bytes());
        out.extend_from_slice(b"free");
        let mut fill = vec![0u8; n - 8];
        rng.fill(&mut fill);
        out.extend_from_slice(&fill);
    }
    out
}

/// One silent MPEG-1 Layer III frame (32 kbit/s, 48 kHz, mono: 96 bytes), behind an ID3v2.3 tag whose padding
/// fills up to the target size.
pub(crate) fn mp3(target: usize) -> Vec<u8> {
    let mut frame = vec![0u8; 96];
    frame[..4].copy_from_slice(&[0xFF, 0xFB, 0x14, 0xC0]);
    let mut out = Vec::new();
    if target >= frame.len() + 10 {
        let pad = (target - frame.len() - 10).min(0x0FFF_FFFF);
        out.extend_from_slice(b"ID3\x03\x00\x00");
        // Syncsafe size: 7 bits per byte.
        for shift in [21, 14, 7, 0] {
            out.push(((pad >> shift) & 0x7F) as u8);
        }
        out.resize(out.len() + pad, 0);
    }
    out.extend_from_slice(&frame);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn partition_like_paperclip() {
        assert_eq!(id_partition(146_459), "000/146/459");
        assert_eq!(
            id_partition(109_577_737_757_855_883),
            "109/577/737/757/855/883"
        );
    }

    #[test]
    fn sizes_hit_the_target() {
        let mut rng = Rng::new(1, 1);
        for target in [0usize, 64, 100, 1000, 70_000, 140_000] {
            for kind in [Kind::Jpeg, Kind::Png, Kind::Gif, Kind::Mp4, Kind::Mp3] {
                let f = MediaFile {
                    id: 1 << 40,
                    name: rng.next_u64(),
                    kind,
                };
                let b = f.bytes(target);
                let tiny = f.bytes(0).len();
                if target > tiny + 20 {
                    assert_eq!(b.len(), target, "{kind:?} {target}");
                } else {
                    assert!(b.len() >= tiny);
                }
            }
        }
    }

    #[test]
    fn blurhash_shape() {
        let b = blurhash(&mut Rng::new(2, 2));
        assert_eq!(b.len(), 28);
        assert!(b.starts_with('L'));
    }
}
