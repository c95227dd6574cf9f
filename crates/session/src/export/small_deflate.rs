//! A DEFLATE encoder (RFC 1951) for small inputs: one block with the fixed Huffman codes, greedy
//! LZ77 matches found through a 4096-slot hash of four bytes.
//!
//! Why not zlib-rs for these: a Markdown export is hundreds of thousands of documents of a few
//! hundred bytes each, and zlib-rs resets its state for each: 128 KiB of hash heads and the
//! block's tables are cleared, which took as long as compressing the document itself (in a
//! profile of the 300k-post export, `reset` was 12 % of all the CPU time, deflating 18 %).
//! Here the state is at most 8 KiB, and only as much of it as the input's size is cleared. The output is what zlib-rs' level 1 (its "quick"
//! strategy, also fixed codes) writes, within a few percent in size; any DEFLATE reader inflates
//! it. Inputs above [`MAX_INPUT`] go to zlib-rs as before: for them its reset is nothing.
//!
//! Checked by round trips through flate2's inflater on generated and adversarial inputs (the
//! tests below).

/// The largest input this encoder takes: every earlier position is then within DEFLATE's
/// 32 KiB window, so a match needs no distance check, and a position fits a `u16`.
pub(crate) const MAX_INPUT: usize = 32 * 1024;

const HASH_BITS: u32 = 12;
const MIN_MATCH: usize = 4;
const MAX_MATCH: usize = 258;

/// The reusable part of the encoder: the hash table (position + 1 of the last occurrence of
/// each hashed 4-byte sequence; 0 for none).
pub(crate) struct SmallDeflater {
    heads: Box<[u16; 1 << HASH_BITS]>,
}

impl Default for SmallDeflater {
    fn default() -> SmallDeflater {
        SmallDeflater {
            heads: Box::new([0; 1 << HASH_BITS]),
        }
    }
}

/// The fixed code of each literal/length symbol (0–287), bit-reversed for LSB-first output
/// (RFC 1951 3.2.6), and its length.
const LIT: [(u16, u8); 288] = {
    let mut t = [(0u16, 0u8); 288];
    let mut s = 0;
    while s < 288 {
        let (code, len) = match s {
            0..=143 => (0x30 + s, 8),
            144..=255 => (0x190 + s - 144, 9),
            256..=279 => (s - 256, 7),
            _ => (0xC0 + s - 280, 8),
        };
        t[s] = (reverse(code as u16, len), len as u8);
        s += 1;
    }
    t
};

/// For each match length (index 3–258): its length symbol's code followed by the extra bits,
/// ready to write, and the number of bits.
const LENGTH: [(u32, u8); MAX_MATCH + 1] = {
    // Base length and extra bits of symbols 257–285.
    const BASE: [u16; 29] = [
        3, 4, 5, 6, 7, 8, 9, 10, 11, 13, 15, 17, 19, 23, 27, 31, 35, 43, 51, 59, 67, 83, 99, 115,
        131, 163, 195, 227, 258,
    ];
    const EXTRA: [u8; 29] = [
        0, 0, 0, 0, 0, 0, 0, 0, 1, 1, 1, 1, 2, 2, 2, 2, 3, 3, 3, 3, 4, 4, 4, 4, 5, 5, 5, 5, 0,
    ];
    let mut t = [(0u32, 0u8); MAX_MATCH + 1];
    let mut len = 3;
    while len <= MAX_MATCH {
        // The last symbol whose base is at most `len` (258 has its own, 285).
        let mut k = 28;
        while BASE[k] as usize > len {
            k -= 1;
        }
        let (code, bits) = LIT[257 + k];
        let extra = (len - BASE[k] as usize) as u32;
        t[len] = (code as u32 | (extra << bits), bits + EXTRA[k]);
        len += 1;
    }
    t
};

const fn reverse(code: u16, len: usize) -> u16 {
    code.reverse_bits() >> (16 - len)
}

/// Bits written least significant first, as DEFLATE packs them.
struct Bits<'a> {
    out: &'a mut Vec<u8>,
    acc: u64,
    n: u32,
}

impl Bits<'_> {
    /// Appends the low `n` bits of `bits` (at most 32).
    #[inline(always)]
    fn put(&mut self, bits: u32, n: u32) {
        self.acc |= u64::from(bits) << self.n;
        self.n += n;
        if self.n >= 32 {
            self.out.extend_from_slice(&(self.acc as u32).to_le_bytes());
            self.acc >>= 32;
            self.n -= 32;
        }
    }

    /// Writes what is left, padded to a byte.
    fn finish(self) {
        let bytes = self.n.div_ceil(8) as usize;
        self.out.extend_from_slice(&self.acc.to_le_bytes()[..bytes]);
    }
}

#[inline(always)]
fn read4(data: &[u8], at: usize) -> u32 {
    // One bounds check and one load (four indexings were a fifth of the encoder's work).
    let bytes: [u8; 4] = data[at..at + 4].try_into().unwrap_or_default();
    u32::from_le_bytes(bytes)
}

impl SmallDeflater {
    /// Appends `input` (at most [`MAX_INPUT`] bytes) to `out` as one final DEFLATE block.
    pub(crate) fn deflate(&mut self, input: &[u8], out: &mut Vec<u8>) {
        assert!(
            input.len() <= MAX_INPUT,
            "input too large for SmallDeflater"
        );
        // A table about as large as the input (at most 4096 slots): clearing it costs what the
        // input does, not 8 KiB for a document of 300 bytes.
        let bits = (usize::BITS - input.len().leading_zeros()).clamp(6, HASH_BITS);
        let shift = 32 - bits;
        let heads = &mut self.heads[..1 << bits];
        heads.fill(0);
        out.reserve(input.len() + input.len() / 8 + 8);
        let mut bits = Bits { out, acc: 0, n: 0 };
        // BFINAL, then BTYPE 01 (fixed codes).
        bits.put(0b011, 3);
        let literal = |bits: &mut Bits, b: u8| {
            let (code, len) = LIT[b as usize];
            bits.put(u32::from(code), u32::from(len));
        };
        let n = input.len();
        let mut i = 0;
        while i + MIN_MATCH <= n {
            let v = read4(input, i);
            let h = (v.wrapping_mul(0x9E37_79B1) >> shift) as usize;
            let candidate = heads[h] as usize;
            heads[h] = (i + 1) as u16;
            if candidate != 0 && read4(input, candidate - 1) == v {
                let from = candidate - 1;
                let limit = (n - i).min(MAX_MATCH);
                let len = MIN_MATCH
                    + common_prefix(&input[from + MIN_MATCH..], &input[i + MIN_MATCH..i + limit]);
                let (code, width) = LENGTH[len];
                bits.put(code, u32::from(width));
                distance(&mut bits, i - from);
                // The match's last position is hashed too: the next repeat of the text after
                // it is found more often, at the cost of one more table write.
                let end = i + len;
                if end + MIN_MATCH <= n && len > MIN_MATCH {
                    let at = end - 1;
                    let h = (read4(input, at).wrapping_mul(0x9E37_79B1) >> shift) as usize;
                    heads[h] = (at + 1) as u16;
                }
                i = end;
            } else {
                literal(&mut bits, input[i]);
                i += 1;
            }
        }
        for &b in &input[i..] {
            literal(&mut bits, b);
        }
        // End of block.
        let (code, len) = LIT[256];
        bits.put(u32::from(code), u32::from(len));
        bits.finish();
    }
}

/// How many bytes `a` and `b` have in common at their start (at most `b.len()`), compared eight
/// at a time.
#[inline(always)]
fn common_prefix(a: &[u8], b: &[u8]) -> usize {
    let mut n = 0;
    for (x, y) in a.chunks_exact(8).zip(b.chunks_exact(8)) {
        let (x, y) = (
            u64::from_le_bytes(x.try_into().unwrap_or_default()),
            u64::from_le_bytes(y.try_into().unwrap_or_default()),
        );
        if x != y {
            return n + ((x ^ y).trailing_zeros() / 8) as usize;
        }
        n += 8;
    }
    n + a[n..]
        .iter()
        .zip(&b[n..])
        .take_while(|(x, y)| x == y)
        .count()
}

/// Writes a distance (1–32768): its 5-bit fixed code, then its extra bits.
#[inline(always)]
fn distance(bits: &mut Bits, d: usize) {
    let x = (d - 1) as u32;
    let (code, extra, value) = if x < 4 {
        (x, 0, 0)
    } else {
        let top = 31 - x.leading_zeros();
        let extra = top - 1;
        (2 * top + ((x >> extra) & 1), extra, x & ((1 << extra) - 1))
    };
    bits.put(u32::from(reverse(code as u16, 5)), 5);
    if extra > 0 {
        bits.put(value, extra);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::io::Read;

    fn inflate(data: &[u8]) -> Vec<u8> {
        let mut out = Vec::new();
        flate2::read::DeflateDecoder::new(data)
            .read_to_end(&mut out)
            .expect("a valid DEFLATE stream");
        out
    }

    fn round_trip(d: &mut SmallDeflater, input: &[u8]) -> usize {
        let mut out = vec![0xAB]; // appended to, not overwritten
        d.deflate(input, &mut out);
        assert_eq!(out[0], 0xAB);
        assert_eq!(inflate(&out[1..]), input, "input of {} bytes", input.len());
        out.len() - 1
    }

    /// A small deterministic generator (xorshift), so that a failure is reproducible.
    struct Rng(u64);
    impl Rng {
        fn next(&mut self) -> u64 {
            self.0 ^= self.0 << 13;
            self.0 ^= self.0 >> 7;
            self.0 ^= self.0 << 17;
            self.0
        }
        fn below(&mut self, n: usize) -> usize {
            (self.next() % n as u64) as usize
        }
    }

    #[test]
    fn edge_inputs_round_trip() {
        let mut d = SmallDeflater::default();
        for input in [
            &b""[..],
            b"a",
            b"abc",
            b"abcd",
            b"abcdabcd",
            b"aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa",
        ] {
            round_trip(&mut d, input);
        }
        // Every length from 0 to 300 of one repeated byte: matches of every length, 3 to 258.
        for n in 0..300 {
            round_trip(&mut d, &vec![b'x'; n]);
        }
        // The largest input: the whole window, a match at the longest distance.
        let mut rng = Rng(7);
        let mut big: Vec<u8> = (0..MAX_INPUT / 2).map(|_| rng.next() as u8).collect();
        big.extend_from_within(..);
        assert_eq!(big.len(), MAX_INPUT);
        let size = round_trip(&mut d, &big);
        assert!(
            size < MAX_INPUT * 6 / 10,
            "the repeat is found: {size} bytes"
        );
        // Every byte value, incompressible: literals of 8 and 9 bits.
        let all: Vec<u8> = (0..=255u8).collect();
        round_trip(&mut d, &all);
    }

    #[test]
    fn generated_texts_round_trip_and_compress_like_zlib_level_1() {
        let words: Vec<&[u8]> = [
            "the",
            "of",
            "Mastodon",
            "#fediverse",
            "@alice@example.social",
            "\n\n",
            "> ",
            "[",
            "](https://example.social/@bob/1099)",
            "日本語",
            "🐘",
            "ü",
            "---\n",
            "id: \"",
            "\"\n",
            " ",
            " ",
            ", ",
            ".",
        ]
        .iter()
        .map(|w| w.as_bytes())
        .collect();
        let mut rng = Rng(0x5EED);
        let mut d = SmallDeflater::default();
        let (mut ours, mut zlib) = (0usize, 0usize);
        for case in 0..4000 {
            let target = match case % 4 {
                0 => rng.below(64),
                1 => rng.below(1024),
                2 => rng.below(8192),
                _ => rng.below(MAX_INPUT + 1),
            };
            let mut input = Vec::with_capacity(target + 64);
            while input.len() < target {
                if rng.below(10) == 0 {
                    input.push(rng.next() as u8);
                } else {
                    input.extend_from_slice(words[rng.below(words.len())]);
                }
            }
            input.truncate(target);
            ours += round_trip(&mut d, &input);
            let mut c = flate2::Compress::new(flate2::Compression::new(1), false);
            let mut out = Vec::with_capacity(input.len() * 2 + 64);
            c.compress_vec(&input, &mut out, flate2::FlushCompress::Finish)
                .expect("zlib-rs deflates");
            zlib += out.len();
        }
        // Same order of size as zlib-rs' level 1 (both use the fixed codes): within 10 %.
        assert!(
            ours * 10 <= zlib * 11,
            "{ours} bytes here against {zlib} from zlib-rs level 1"
        );
    }

    #[test]
    fn random_bytes_round_trip() {
        random_inputs_round_trip(42, 2000);
    }

    /// 100,000 more inputs with `PERMAFROST_SLOW_TESTS` (CI), 10,000 otherwise.
    #[test]
    fn many_more_random_bytes_round_trip() {
        let cases = if permafrost_synth::slow_tests() {
            100_000
        } else {
            10_000
        };
        random_inputs_round_trip(0xDEF1A7E, cases);
    }

    fn random_inputs_round_trip(seed: u64, cases: usize) {
        let mut rng = Rng(seed);
        let mut d = SmallDeflater::default();
        for _ in 0..cases {
            let n = rng.below(2048);
            // A small alphabet makes many short and overlapping matches.
            let alphabet = 1 + rng.below(8);
            let input: Vec<u8> = (0..n).map(|_| rng.below(alphabet) as u8).collect();
            round_trip(&mut d, &input);
        }
    }
}
