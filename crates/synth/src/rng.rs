//! A small seeded PRNG (xoshiro256** seeded through splitmix64).
//!
//! Everything here is integer arithmetic, so a seed produces the same stream on every platform and with every
//! compiler version: no floating point, no `rand` crate whose algorithms may change between releases.

/// One step of splitmix64; also used to derive independent sub-seeds.
pub(crate) fn splitmix64(state: &mut u64) -> u64 {
    *state = state.wrapping_add(0x9E37_79B9_7F4A_7C15);
    let mut z = *state;
    z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
    z ^ (z >> 31)
}

/// xoshiro256** generator.
#[derive(Clone, Debug)]
pub(crate) struct Rng {
    s: [u64; 4],
}

impl Rng {
    /// A generator for `seed`, on the independent stream `stream` (so the posts, the CSVs and the likes
    /// do not shift each other when one of them draws more numbers).
    pub(crate) fn new(seed: u64, stream: u64) -> Self {
        let mut st = seed ^ stream.wrapping_mul(0xD1B5_4A32_D192_ED03);
        let s = [
            splitmix64(&mut st),
            splitmix64(&mut st),
            splitmix64(&mut st),
            splitmix64(&mut st),
        ];
        Rng { s }
    }

    pub(crate) fn next_u64(&mut self) -> u64 {
        let result = self.s[1].wrapping_mul(5).rotate_left(7).wrapping_mul(9);
        let t = self.s[1] << 17;
        self.s[2] ^= self.s[0];
        self.s[3] ^= self.s[1];
        self.s[1] ^= self.s[2];
        self.s[0] ^= self.s[3];
        self.s[2] ^= t;
        self.s[3] = self.s[3].rotate_left(45);
        result
    }

    /// Uniform in `0..n` (`n > 0`; 0 when `n == 0`). Multiply-high: the bias is below 2^-40 for our sizes.
    pub(crate) fn below(&mut self, n: u64) -> u64 {
        ((self.next_u64() as u128 * n as u128) >> 64) as u64
    }

    /// Uniform index into a slice of length `n`.
    pub(crate) fn index(&mut self, n: usize) -> usize {
        self.below(n as u64) as usize
    }

    /// Uniform in `lo..=hi`.
    pub(crate) fn range(&mut self, lo: u64, hi: u64) -> u64 {
        lo + self.below(hi - lo + 1)
    }

    /// True with probability `per_mille / 1000`.
    pub(crate) fn permille(&mut self, per_mille: u64) -> bool {
        self.below(1000) < per_mille
    }

    /// A uniformly chosen element.
    pub(crate) fn pick<T: Copy>(&mut self, items: &[T]) -> T {
        items[self.index(items.len())]
    }

    /// An index drawn from integer weights.
    pub(crate) fn weighted(&mut self, weights: &[u64]) -> usize {
        let total: u64 = weights.iter().sum();
        let mut r = self.below(total);
        for (i, w) in weights.iter().enumerate() {
            if r < *w {
                return i;
            }
            r -= w;
        }
        weights.len() - 1
    }

    /// Fills `out` with random bytes.
    pub(crate) fn fill(&mut self, out: &mut [u8]) {
        for chunk in out.chunks_mut(8) {
            let v = self.next_u64().to_le_bytes();
            chunk.copy_from_slice(&v[..chunk.len()]);
        }
    }
}

/// A Zipf-like sampler over `n` ranks (weight of rank `r` is proportional to `1 / (r + 1)`), in integers.
#[derive(Clone, Debug)]
pub(crate) struct Zipf {
    cumulative: Vec<u64>,
}

impl Zipf {
    pub(crate) fn new(n: usize) -> Self {
        Zipf::with_tail(n, n, 1)
    }

    /// Ranks from `head` on get their Zipf weight divided by `damping` (a rarer long tail).
    pub(crate) fn with_tail(n: usize, head: usize, damping: u64) -> Self {
        let mut cumulative = Vec::with_capacity(n);
        let mut acc = 0u64;
        for r in 0..n {
            let w = (1u64 << 40) / (r as u64 + 1);
            acc += if r < head { w } else { w / damping.max(1) };
            cumulative.push(acc);
        }
        Zipf { cumulative }
    }

    pub(crate) fn sample(&self, rng: &mut Rng) -> usize {
        let total = self.cumulative.last().copied().unwrap_or(0);
        let r = rng.below(total);
        self.cumulative.partition_point(|&c| c <= r)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const PINNED: [u64; 3] = [
        1_546_998_764_402_558_742,
        6_990_951_692_964_543_102,
        12_544_586_762_248_559_009,
    ];

    #[test]
    fn stream_is_stable() {
        // Pinned values: if these change, every generated archive changes.
        let mut r = Rng::new(42, 0);
        let got: Vec<u64> = (0..3).map(|_| r.next_u64()).collect();
        assert_eq!(got, PINNED);
        assert_ne!(Rng::new(42, 1).next_u64(), got[0]);
        assert_eq!(Rng::new(42, 0).below(1000), Rng::new(42, 0).below(1000));
    }

    #[test]
    fn zipf_prefers_low_ranks() {
        let z = Zipf::new(1000);
        let mut r = Rng::new(7, 0);
        let mut low = 0;
        for _ in 0..10_000 {
            if z.sample(&mut r) < 10 {
                low += 1;
            }
        }
        assert!(low > 3000, "{low}");
    }
}
