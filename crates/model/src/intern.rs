//! Interned strings: hashtags, languages, media types and addresses repeat across thousands of posts,
//! so each distinct string is stored once and posts hold a 4-byte [`Sym`].

use rustc_hash::FxHashMap;

/// A handle to a string stored once in an [`Interner`].
#[derive(
    Clone,
    Copy,
    Debug,
    PartialEq,
    Eq,
    Hash,
    PartialOrd,
    Ord,
    serde::Serialize,
    serde::Deserialize,
    borsh::BorshSerialize,
    borsh::BorshDeserialize,
)]
pub struct Sym(pub u32);

/// The table of distinct strings of one archive.
#[derive(Debug, Default, Clone)]
pub struct Interner {
    strings: Vec<Box<str>>,
    lookup: FxHashMap<Box<str>, Sym>,
}

impl Interner {
    /// Returns the handle of `s`, storing it on first sight.
    pub fn intern(&mut self, s: &str) -> Sym {
        if let Some(&sym) = self.lookup.get(s) {
            return sym;
        }
        let sym = Sym(u32::try_from(self.strings.len()).unwrap_or(u32::MAX));
        self.strings.push(s.into());
        self.lookup.insert(s.into(), sym);
        sym
    }

    /// Returns the handle of `s` if it was interned.
    pub fn get(&self, s: &str) -> Option<Sym> {
        self.lookup.get(s).copied()
    }

    /// Returns the string behind a handle (empty for a handle from another interner).
    pub fn resolve(&self, sym: Sym) -> &str {
        self.strings.get(sym.0 as usize).map_or("", |s| s)
    }

    /// Number of distinct strings.
    pub fn len(&self) -> usize {
        self.strings.len()
    }

    /// True when nothing was interned.
    pub fn is_empty(&self) -> bool {
        self.strings.is_empty()
    }

    /// Approximate heap bytes used, for memory reports.
    pub fn heap_bytes(&self) -> usize {
        self.strings.iter().map(|s| 2 * s.len() + 40).sum()
    }
}

/// Kept as its strings only (the snapshot of an opened archive): the lookup table is rebuilt on
/// reading, which costs less than storing a hash map and cannot disagree with the strings.
impl borsh::BorshSerialize for Interner {
    fn serialize<W: std::io::Write>(&self, writer: &mut W) -> std::io::Result<()> {
        self.strings.serialize(writer)
    }
}

impl borsh::BorshDeserialize for Interner {
    fn deserialize_reader<R: std::io::Read>(reader: &mut R) -> std::io::Result<Self> {
        let strings = Vec::<Box<str>>::deserialize_reader(reader)?;
        let mut lookup = FxHashMap::with_capacity_and_hasher(strings.len(), Default::default());
        for (i, s) in strings.iter().enumerate() {
            let sym = Sym(u32::try_from(i).unwrap_or(u32::MAX));
            if lookup.insert(s.clone(), sym).is_some() {
                return Err(std::io::Error::new(
                    std::io::ErrorKind::InvalidData,
                    "a string is interned twice",
                ));
            }
        }
        Ok(Interner { strings, lookup })
    }
}
