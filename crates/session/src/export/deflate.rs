//! DEFLATE (RFC 1951) for the small entries of an export ZIP, such as Markdown's documents of a
//! few hundred bytes: LZ77 over one hash table that is never cleared, and one block of the fixed
//! Huffman codes.
//!
//! zlib starts every stream by clearing a 128 KiB hash table; for 300,000 small documents that
//! cost more than compressing them. Here positions count on across inputs, so an older input's
//! positions are simply out of range, and the table is cleared only when the count would wrap.

/// Hash table size (log2).
const HASH_BITS: u32 = 15;
/// Farthest back a match may be (DEFLATE's window).
const WINDOW: u32 = 32_768;
/// Shortest match looked for (the hash covers 4 bytes), and longest DEFLATE allows.
const MIN_MATCH: usize = 4;
const MAX_MATCH: usize = 258;

/// Base lengths of length symbols 257–285, and their extra bits.
const LEN_BASE: [u16; 29] = [
    3, 4, 5, 6, 7, 8, 9, 10, 11, 13, 15, 17, 19, 23, 27, 31, 35, 43, 51, 59, 67, 83, 99, 115, 131,
    163, 195, 227, 258,
];
const LEN_EXTRA: [u8; 29] = [
    0, 0, 0, 0, 0, 0, 0, 0, 1, 1, 1, 1, 2, 2, 2, 2, 3, 3, 3, 3, 4, 4, 4, 4, 5, 5, 5, 5, 0,
];
/// Base distances of distance codes 0–29, and their extra bits.
const DIST_BASE: [u16; 30] = [
    1, 2, 3, 4, 5, 7, 9, 13, 17, 25, 33, 49, 65, 97, 129, 193, 257, 385, 513, 769, 1025, 1537,
    2049, 3073, 4097, 6145, 8193, 12289, 16385, 24577,
];
const DIST_EXTRA: [u8; 30] = [
    0, 0, 0, 0, 1, 1, 2, 2, 3, 3, 4, 4, 5, 5, 6, 6, 7, 7, 8, 8, 9, 9, 10, 10, 11, 11, 12, 12, 13,
    13,
];

const fn reverse(code: u32, len: u32) -> u32 {
    let mut out = 0;
    let mut i = 0;
    while i < len {
        out |= ((code >> i) & 1) << (len - 1 - i);
        i += 1;
    }
    out
}

/// The fixed literal/length codes (RFC 1951 3.2.6), bit-reversed for writing LSB first: the
/// code in the low 16 bits, its length above.
const FIXED: [u32; 288] = {
    let mut t = [0u32; 288];
    let mut s = 0;
    while s < 288 {
        let (code, len) = match s {
            0..=143 => (0x30 + s, 8),
            144..=255 => (0x190 + s - 144, 9),
            256..=279 => (s - 256, 7),
            _ => (0xC0 + s - 280, 8),
        };
        t[s as usize] = reverse(code, len) | (len << 16);
        s += 1;
    }
    t
};

/// The fixed 5-bit distance codes, bit-reversed.
const DIST_CODE: [u32; 30] = {
    let mut t = [0u32; 30];
    let mut d = 0;
    while d < 30 {
        t[d as usize] = reverse(d, 5);
        d += 1;
    }
    t
};

/// Bits written least significant first.
struct Bits<'a> {
    out: &'a mut Vec<u8>,
    acc: u64,
    n: u32,
}

impl Bits<'_> {
    #[inline]
    fn put(&mut self, bits: u32, count: u32) {
        self.acc |= u64::from(bits) << self.n;
        self.n += count;
        if self.n >= 32 {
            self.out.extend_from_slice(&(self.acc as u32).to_le_bytes());
            self.acc >>= 32;
            self.n -= 32;
        }
    }

    #[inline]
    fn symbol(&mut self, s: usize) {
        let c = FIXED[s];
        self.put(c & 0xFFFF, c >> 16);
    }

    fn length(&mut self, len: usize) {
        // Symbol index 0–28 of 257–285.
        let i = if len <= 10 {
            len - 3
        } else if len == MAX_MATCH {
            28
        } else {
            let x = len - 3;
            let nb = (usize::BITS - 1 - x.leading_zeros()) as usize;
            4 * (nb - 1) + ((x >> (nb - 2)) & 3)
        };
        self.symbol(257 + i);
        let extra = u32::from(LEN_EXTRA[i]);
        if extra > 0 {
            self.put((len - usize::from(LEN_BASE[i])) as u32, extra);
        }
    }

    fn distance(&mut self, d: u32) {
        let i = if d <= 4 {
            (d - 1) as usize
        } else {
            let x = d - 1;
            let nb = u32::BITS - 1 - x.leading_zeros();
            (2 * nb + ((x >> (nb - 1)) & 1)) as usize
        };
        self.put(DIST_CODE[i], 5);
        let extra = u32::from(DIST_EXTRA[i]);
        if extra > 0 {
            self.put(d - u32::from(DIST_BASE[i]), extra);
        }
    }

    fn finish(mut self) {
        while self.n > 0 {
            self.out.push(self.acc as u8);
            self.acc >>= 8;
            self.n = self.n.saturating_sub(8);
        }
    }
}

/// A compressor whose hash table is kept from one input to the next.
pub(crate) struct SmallDeflate {
    /// Where each hash of 4 bytes was last seen, as a position counted across inputs (0: never).
    head: Vec<u32>,
    /// The position of the current input's first byte (at least 1).
    base: u32,
}

impl SmallDeflate {
    pub(crate) fn new() -> SmallDeflate {
        SmallDeflate {
            head: vec![0; 1 << HASH_BITS],
            base: 1,
        }
    }

    /// Appends `data` to `out` as one complete raw DEFLATE stream.
    pub(crate) fn compress(&mut self, data: &[u8], out: &mut Vec<u8>) {
        if u64::from(self.base) + data.len() as u64 >= u64::from(u32::MAX) {
            self.head.fill(0);
            self.base = 1;
        }
        let base = self.base;
        out.reserve(data.len() / 2 + 16);
        let mut w = Bits { out, acc: 0, n: 0 };
        // BFINAL, then BTYPE 01: fixed codes.
        w.put(0b011, 3);
        let mut i = 0;
        while i + MIN_MATCH <= data.len() {
            let v = u32::from_le_bytes([data[i], data[i + 1], data[i + 2], data[i + 3]]);
            let h = (v.wrapping_mul(0x9E37_79B1) >> (32 - HASH_BITS)) as usize;
            let p = base + i as u32;
            let c = std::mem::replace(&mut self.head[h], p);
            if c >= base && p - c <= WINDOW {
                let j = (c - base) as usize;
                if data[j..j + MIN_MATCH] == data[i..i + MIN_MATCH] {
                    let max = (data.len() - i).min(MAX_MATCH);
                    let len = MIN_MATCH
                        + common(
                            &data[j + MIN_MATCH..],
                            &data[i + MIN_MATCH..],
                            max - MIN_MATCH,
                        );
                    w.length(len);
                    w.distance(p - c);
                    i += len;
                    continue;
                }
            }
            w.symbol(usize::from(data[i]));
            i += 1;
        }
        for &b in &data[i..] {
            w.symbol(usize::from(b));
        }
        // End of block.
        w.symbol(256);
        w.finish();
        self.base = base + data.len() as u32;
    }
}

/// How many leading bytes `a` and `b` share, at most `max` (both are at least `max` long, `a`
/// possibly overlapping `b`'s start).
#[inline]
fn common(a: &[u8], b: &[u8], max: usize) -> usize {
    let mut n = 0;
    while n + 8 <= max {
        let x = u64::from_le_bytes(a[n..n + 8].try_into().unwrap_or([0; 8]));
        let y = u64::from_le_bytes(b[n..n + 8].try_into().unwrap_or([0; 8]));
        let diff = x ^ y;
        if diff != 0 {
            return n + (diff.trailing_zeros() / 8) as usize;
        }
        n += 8;
    }
    while n < max && a[n] == b[n] {
        n += 1;
    }
    n
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::io::Read;

    fn inflate(bytes: &[u8]) -> Vec<u8> {
        let mut out = Vec::new();
        flate2::read::DeflateDecoder::new(bytes)
            .read_to_end(&mut out)
            .unwrap();
        out
    }

    fn round_trip(d: &mut SmallDeflate, data: &[u8]) -> usize {
        let mut out = Vec::new();
        d.compress(data, &mut out);
        assert_eq!(inflate(&out), data, "{} bytes", data.len());
        out.len()
    }

    #[test]
    fn inputs_of_every_shape_inflate_back_with_flate2() {
        let mut d = SmallDeflate::new();
        let mut seed = 1u32;
        let mut noise = |n: usize, alphabet: u32| -> Vec<u8> {
            (0..n)
                .map(|_| {
                    seed = seed.wrapping_mul(1_664_525).wrapping_add(1_013_904_223);
                    ((seed >> 16) % alphabet) as u8
                })
                .collect()
        };
        let mut inputs: Vec<Vec<u8>> = vec![
            Vec::new(),
            b"a".to_vec(),
            b"abcd".to_vec(),
            b"aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa".to_vec(),
            vec![0; 100_000],
            vec![0xFF; 1000],
            "---\nid: \"https://ex.social/users/a/statuses/1\"\ntags: [\"rust\"]\n---\n\nGrüße 🧊 "
                .repeat(300)
                .into_bytes(),
        ];
        // Every match length and a spread of distances: a random run repeated at a distance.
        for len in 1..=300 {
            let head = noise(len, 256);
            let gap = noise(len * 97 % 33_000, 256);
            inputs.push([&head[..], &gap, &head, &head].concat());
        }
        for alphabet in [2, 4, 16, 256] {
            inputs.push(noise(70_000, alphabet));
        }
        for input in &inputs {
            round_trip(&mut d, input);
        }
        // Text compresses; the same input twice compresses the same (the table's past does
        // not leak into the next input).
        let text = &inputs[6];
        let first = round_trip(&mut d, text);
        assert!(first < text.len() / 10);
        assert_eq!(round_trip(&mut d, text), first);
    }

    #[test]
    fn positions_that_would_wrap_clear_the_table() {
        let mut d = SmallDeflate::new();
        d.base = u32::MAX - 100;
        let data = b"abcdabcdabcdabcd".repeat(20);
        round_trip(&mut d, &data);
        assert!(d.base < 1000);
        round_trip(&mut d, &data);
    }
}
