//! A fixed-size set of post ranks, one bit each: the working representation of every query result.

/// A set of ranks `0..len`.
#[derive(Clone, Debug, Default, PartialEq, Eq, borsh::BorshSerialize, borsh::BorshDeserialize)]
pub(crate) struct Bitset {
    words: Vec<u64>,
    len: u32,
}

impl Bitset {
    /// True when this is a set over `0..len` (its words as many as that takes), as one read
    /// from elsewhere must be before it is used beside the index's others.
    pub(crate) fn fits(&self, len: u32) -> bool {
        self.len == len && self.words.len() == (len as usize).div_ceil(64)
    }

    /// The words of the set (bit `r % 64` of word `r / 64` for rank `r`) and its length, to
    /// cross to another worker ([`Bitset::from_words`]).
    pub(crate) fn words(&self) -> (&[u64], u32) {
        (&self.words, self.len)
    }

    /// The set over `0..len` with these words (as [`Bitset::words`] gives them), if they are as
    /// many as that takes. Bits past `len` are dropped.
    pub(crate) fn from_words(words: Vec<u64>, len: u32) -> Option<Bitset> {
        let mut b = Bitset { words, len };
        b.fits(len).then(|| {
            b.clear_tail();
            b
        })
    }

    /// The empty set over `0..len`.
    pub(crate) fn empty(len: u32) -> Bitset {
        Bitset {
            words: vec![0; (len as usize).div_ceil(64)],
            len,
        }
    }

    /// The full set `0..len`.
    pub(crate) fn full(len: u32) -> Bitset {
        let mut b = Bitset {
            words: vec![u64::MAX; (len as usize).div_ceil(64)],
            len,
        };
        b.clear_tail();
        b
    }

    /// The set of ranks `lo..hi` (clamped to `len`).
    pub(crate) fn range(len: u32, lo: u32, hi: u32) -> Bitset {
        let mut b = Bitset::empty(len);
        b.insert_range(lo, hi);
        b
    }

    /// The set of the ranks `r` in `0..len` for which `f(r)` holds.
    pub(crate) fn from_fn(len: u32, mut f: impl FnMut(u32) -> bool) -> Bitset {
        let mut words = Vec::with_capacity((len as usize).div_ceil(64));
        let mut r = 0u32;
        while r < len {
            let mut w = 0u64;
            let end = (r + 64).min(len);
            for (i, x) in (r..end).enumerate() {
                w |= u64::from(f(x)) << i;
            }
            words.push(w);
            r = end;
        }
        Bitset { words, len }
    }

    /// The set of the ranks `r` whose value `col[r]` satisfies `f` (`col` is indexed by rank).
    pub(crate) fn from_slice(len: u32, col: &[u32], f: impl Fn(u32) -> bool) -> Bitset {
        let col = col.get(..len as usize).unwrap_or(col);
        let mut words: Vec<u64> = col
            .chunks(64)
            .map(|chunk| {
                chunk
                    .iter()
                    .enumerate()
                    .fold(0u64, |w, (i, &v)| w | (u64::from(f(v)) << i))
            })
            .collect();
        words.resize((len as usize).div_ceil(64), 0);
        Bitset { words, len }
    }

    /// The set holding the given ranks (out-of-range ones are ignored).
    pub(crate) fn from_sorted(len: u32, ranks: &[u32]) -> Bitset {
        let mut b = Bitset::empty(len);
        for &r in ranks {
            b.insert(r);
        }
        b
    }

    fn clear_tail(&mut self) {
        let rem = self.len % 64;
        if rem != 0 {
            if let Some(last) = self.words.last_mut() {
                *last &= (1u64 << rem) - 1;
            }
        }
    }

    /// Adds a rank.
    pub(crate) fn insert(&mut self, r: u32) {
        if r < self.len {
            if let Some(w) = self.words.get_mut((r / 64) as usize) {
                *w |= 1u64 << (r % 64);
            }
        }
    }

    /// Adds the ranks `lo..hi`.
    pub(crate) fn insert_range(&mut self, lo: u32, hi: u32) {
        let hi = hi.min(self.len);
        if lo >= hi {
            return;
        }
        let (lw, hw) = ((lo / 64) as usize, ((hi - 1) / 64) as usize);
        let lmask = u64::MAX << (lo % 64);
        let hmask = u64::MAX >> (63 - (hi - 1) % 64);
        for (i, w) in self.words.iter_mut().enumerate().take(hw + 1).skip(lw) {
            let mut m = u64::MAX;
            if i == lw {
                m &= lmask;
            }
            if i == hw {
                m &= hmask;
            }
            *w |= m;
        }
    }

    /// True when the rank is in the set.
    pub(crate) fn contains(&self, r: u32) -> bool {
        self.words
            .get((r / 64) as usize)
            .is_some_and(|w| w & (1u64 << (r % 64)) != 0)
    }

    /// Keeps only the ranks also in `other`.
    pub(crate) fn and(&mut self, other: &Bitset) {
        for (a, b) in self.words.iter_mut().zip(&other.words) {
            *a &= b;
        }
    }

    /// Adds the ranks of `other`.
    pub(crate) fn or(&mut self, other: &Bitset) {
        for (a, b) in self.words.iter_mut().zip(&other.words) {
            *a |= b;
        }
    }

    /// Removes the ranks of `other`.
    pub(crate) fn and_not(&mut self, other: &Bitset) {
        for (a, b) in self.words.iter_mut().zip(&other.words) {
            *a &= !b;
        }
    }

    /// Replaces the set by its complement in `0..len`.
    pub(crate) fn negate(&mut self) {
        for w in &mut self.words {
            *w = !*w;
        }
        self.clear_tail();
    }

    /// Number of ranks in the set.
    pub(crate) fn count(&self) -> u32 {
        self.words
            .iter()
            .filter(|&&w| w != 0)
            .map(|w| w.count_ones())
            .sum()
    }

    /// Number of ranks in both sets.
    pub(crate) fn count_and(&self, other: &Bitset) -> u32 {
        // Without a popcount instruction in the baseline target, skipping empty words pays.
        self.words
            .iter()
            .zip(&other.words)
            .map(|(a, b)| a & b)
            .filter(|&w| w != 0)
            .map(u64::count_ones)
            .sum()
    }

    /// Calls `f` with each rank in this set and in `other` (or not in `other`, when `negate`).
    pub(crate) fn for_each_and(&self, other: &Bitset, negate: bool, mut f: impl FnMut(u32)) {
        for (i, (&a, &b)) in self.words.iter().zip(&other.words).enumerate() {
            let mut w = if negate { !a & b } else { a & b };
            let base = (i as u32) * 64;
            while w != 0 {
                f(base + w.trailing_zeros());
                w &= w - 1;
            }
        }
    }

    /// Number of ranks of the set in `lo..hi`.
    pub(crate) fn count_range(&self, lo: u32, hi: u32) -> u32 {
        let hi = hi.min(self.len);
        if lo >= hi {
            return 0;
        }
        let (lw, hw) = ((lo / 64) as usize, ((hi - 1) / 64) as usize);
        let lmask = u64::MAX << (lo % 64);
        let hmask = u64::MAX >> (63 - (hi - 1) % 64);
        let mut n = 0;
        for (i, w) in self.words.iter().enumerate().take(hw + 1).skip(lw) {
            let mut m = *w;
            if i == lw {
                m &= lmask;
            }
            if i == hw {
                m &= hmask;
            }
            n += m.count_ones();
        }
        n
    }

    /// The ranks in increasing order.
    pub(crate) fn iter(&self) -> impl Iterator<Item = u32> + '_ {
        self.words.iter().enumerate().flat_map(|(i, &w)| {
            let base = (i as u32) * 64;
            BitIter(w).map(move |b| base + b)
        })
    }

    /// The ranks in decreasing order.
    pub(crate) fn iter_rev(&self) -> impl Iterator<Item = u32> + '_ {
        self.words.iter().enumerate().rev().flat_map(|(i, &w)| {
            let base = (i as u32) * 64;
            BitIterRev(w).map(move |b| base + b)
        })
    }

    /// Heap bytes used.
    pub(crate) fn heap_bytes(&self) -> usize {
        self.words.capacity() * 8
    }
}

struct BitIter(u64);

impl Iterator for BitIter {
    type Item = u32;
    fn next(&mut self) -> Option<u32> {
        if self.0 == 0 {
            return None;
        }
        let b = self.0.trailing_zeros();
        self.0 &= self.0 - 1;
        Some(b)
    }
}

struct BitIterRev(u64);

impl Iterator for BitIterRev {
    type Item = u32;
    fn next(&mut self) -> Option<u32> {
        if self.0 == 0 {
            return None;
        }
        let b = 63 - self.0.leading_zeros();
        self.0 &= !(1u64 << b);
        Some(b)
    }
}

#[cfg(test)]
mod tests {
    use super::Bitset;

    #[test]
    fn ranges_and_counts() {
        for len in [0u32, 1, 63, 64, 65, 200] {
            let full = Bitset::full(len);
            assert_eq!(full.count(), len);
            for lo in 0..len.min(70) {
                for hi in lo..=len.min(140) {
                    let r = Bitset::range(len, lo, hi);
                    assert_eq!(r.count(), hi - lo);
                    assert_eq!(full.count_range(lo, hi), hi - lo);
                    assert_eq!(r.iter().collect::<Vec<_>>(), (lo..hi).collect::<Vec<_>>());
                    assert_eq!(
                        r.iter_rev().collect::<Vec<_>>(),
                        (lo..hi).rev().collect::<Vec<_>>()
                    );
                }
            }
            let mut e = Bitset::empty(len);
            e.negate();
            assert_eq!(e, full);
        }
    }
}
