//! Sorted dictionaries of strings with a posting list (the ranks of the posts holding the entry)
//! each, and per-post lists of entries.
//!
//! A posting list is a sorted `u32` array, or a bitset once the entry is in more than one post in 32
//! (the bitset is then the smaller of the two, and intersections with it are word operations).

use crate::bitset::Bitset;
use rustc_hash::FxHashMap;

/// Strings stored once in an arena, with their ids sorted by string for exact and prefix lookup.
#[derive(Debug, Default, borsh::BorshSerialize, borsh::BorshDeserialize)]
pub(crate) struct Dict {
    arena: String,
    ends: Vec<u32>,
    sorted: Vec<u32>,
}

impl Dict {
    /// Number of entries.
    pub(crate) fn len(&self) -> usize {
        self.ends.len()
    }

    /// The string of an entry (empty for an unknown id).
    pub(crate) fn get(&self, id: u32) -> &str {
        let i = id as usize;
        let end = self.ends.get(i).copied().unwrap_or(0) as usize;
        let start = if i == 0 {
            0
        } else {
            self.ends.get(i - 1).copied().unwrap_or(0) as usize
        };
        self.arena.get(start..end).unwrap_or("")
    }

    /// The id of an entry.
    pub(crate) fn find(&self, s: &str) -> Option<u32> {
        self.sorted
            .binary_search_by(|&id| self.get(id).cmp(s))
            .ok()
            .and_then(|i| self.sorted.get(i).copied())
    }

    /// The ids of the entries starting with `prefix`, in string order.
    pub(crate) fn with_prefix(&self, prefix: &str) -> &[u32] {
        let lo = self.sorted.partition_point(|&id| self.get(id) < prefix);
        let hi = lo
            + self
                .sorted
                .get(lo..)
                .unwrap_or(&[])
                .partition_point(|&id| self.get(id).starts_with(prefix));
        self.sorted.get(lo..hi).unwrap_or(&[])
    }

    /// The ids of the entries at or after `from` in string order.
    pub(crate) fn from(&self, from: &str) -> &[u32] {
        let lo = self.sorted.partition_point(|&id| self.get(id) < from);
        self.sorted.get(lo..).unwrap_or(&[])
    }

    /// Heap bytes used.
    pub(crate) fn heap_bytes(&self) -> usize {
        self.arena.capacity() + 4 * (self.ends.capacity() + self.sorted.capacity())
    }

    /// The arena, the ends and the sorted ids, to cross to another worker.
    pub(crate) fn parts(&self) -> (&str, &[u32], &[u32]) {
        (&self.arena, &self.ends, &self.sorted)
    }

    /// The dictionary of these parts (as [`Dict::parts`] gives them), unchecked: see
    /// [`Dict::fits`].
    pub(crate) fn from_parts(arena: String, ends: Vec<u32>, sorted: Vec<u32>) -> Dict {
        Dict {
            arena,
            ends,
            sorted,
        }
    }

    /// True when every entry ends within the arena, after the one before, and `sorted` holds
    /// entry ids only, one per entry: the shape a dictionary read from elsewhere must have.
    pub(crate) fn fits(&self) -> bool {
        let len = self.ends.len();
        ascending(&self.ends, self.arena.len())
            && self.sorted.len() == len
            && self.sorted.iter().all(|&id| (id as usize) < len)
    }
}

/// True when `v` never decreases and ends at or before `max`.
pub(crate) fn ascending(v: &[u32], max: usize) -> bool {
    v.windows(2).all(|w| w[0] <= w[1]) && v.last().is_none_or(|&e| e as usize <= max)
}

/// A posting list.
#[derive(Clone, Copy, Debug)]
pub(crate) enum List<'a> {
    /// Sorted ranks.
    Sparse(&'a [u32]),
    /// A bitset of ranks.
    Dense(&'a Bitset),
}

/// A dense entry: its id, its document frequency and its set of ranks.
pub(crate) type DenseEntry = (u32, u32, Bitset);

/// The posting lists of a [`Dict`]'s entries.
#[derive(Debug, Default, borsh::BorshSerialize, borsh::BorshDeserialize)]
pub(crate) struct Postings {
    offsets: Vec<u32>,
    docs: Vec<u32>,
    /// Dense entries, sorted by id, with their document frequency.
    dense: Vec<DenseEntry>,
}

impl Postings {
    /// The list of an entry.
    pub(crate) fn get(&self, id: u32) -> List<'_> {
        let i = id as usize;
        let (a, b) = (
            self.offsets.get(i).copied().unwrap_or(0) as usize,
            self.offsets.get(i + 1).copied().unwrap_or(0) as usize,
        );
        if a == b {
            if let Ok(j) = self.dense.binary_search_by_key(&id, |d| d.0) {
                if let Some((_, _, set)) = self.dense.get(j) {
                    return List::Dense(set);
                }
            }
        }
        List::Sparse(self.docs.get(a..b).unwrap_or(&[]))
    }

    /// The number of posts holding an entry.
    pub(crate) fn df(&self, id: u32) -> u32 {
        let i = id as usize;
        let (a, b) = (
            self.offsets.get(i).copied().unwrap_or(0),
            self.offsets.get(i + 1).copied().unwrap_or(0),
        );
        if a == b {
            if let Ok(j) = self.dense.binary_search_by_key(&id, |d| d.0) {
                return self.dense.get(j).map_or(0, |d| d.1);
            }
        }
        b.saturating_sub(a)
    }

    /// Adds the posts of an entry to `set`.
    pub(crate) fn union_into(&self, id: u32, set: &mut Bitset) {
        match self.get(id) {
            List::Sparse(docs) => docs.iter().for_each(|&d| set.insert(d)),
            List::Dense(bits) => set.or(bits),
        }
    }

    /// Entries in sparse lists, summed, and the number of dense entries.
    pub(crate) fn shape(&self) -> (usize, usize) {
        (self.docs.len(), self.dense.len())
    }

    /// The offsets, the sparse lists' ranks and the dense entries, to cross to another worker.
    pub(crate) fn parts(&self) -> (&[u32], &[u32], &[DenseEntry]) {
        (&self.offsets, &self.docs, &self.dense)
    }

    /// The postings of these parts (as [`Postings::parts`] gives them), unchecked: see
    /// [`Postings::fits`].
    pub(crate) fn from_parts(
        offsets: Vec<u32>,
        docs: Vec<u32>,
        dense: Vec<DenseEntry>,
    ) -> Postings {
        Postings {
            offsets,
            docs,
            dense,
        }
    }

    /// True when these are the lists of `entries` entries over the ranks `0..n`: an offset per
    /// entry and one more, never decreasing, the last at the end of the ranks, every rank below
    /// `n`, and each dense entry's set over `0..n`. The shape postings read from elsewhere must
    /// have.
    pub(crate) fn fits(&self, entries: usize, n: u32) -> bool {
        self.offsets.len() == entries + 1
            && self.offsets.first() == Some(&0)
            && ascending(&self.offsets, self.docs.len())
            && self
                .offsets
                .last()
                .is_some_and(|&e| e as usize == self.docs.len())
            && self.docs.iter().all(|&d| d < n)
            && self
                .dense
                .iter()
                .all(|(id, _, set)| (*id as usize) < entries && set.fits(n))
    }

    /// Heap bytes used.
    pub(crate) fn heap_bytes(&self) -> usize {
        4 * (self.offsets.capacity() + self.docs.capacity())
            + self
                .dense
                .iter()
                .map(|d| d.2.heap_bytes() + 40)
                .sum::<usize>()
    }
}

/// Strings numbered in the order they were first added: a dictionary being built.
#[derive(Debug, Default)]
pub(crate) struct Entries {
    map: FxHashMap<Box<str>, u32>,
    pub(crate) arena: String,
    pub(crate) ends: Vec<u32>,
}

impl Entries {
    /// The entry numbered `id`.
    fn get(&self, id: u32) -> &str {
        let i = id as usize;
        let start = if i == 0 { 0 } else { self.ends[i - 1] as usize };
        &self.arena[start..self.ends[i] as usize]
    }

    /// The id of `key`, numbered now if it is new.
    pub(crate) fn id(&mut self, key: &str) -> u32 {
        if let Some(&id) = self.map.get(key) {
            return id;
        }
        let id = self.ends.len() as u32;
        self.arena.push_str(key);
        self.ends.push(self.arena.len() as u32);
        self.map.insert(key.into(), id);
        id
    }
}

/// Builds a [`Dict`] and its [`Postings`], posts in increasing rank order.
#[derive(Default)]
pub(crate) struct DictBuilder {
    entries: Entries,
    lists: Vec<Vec<u32>>,
}

impl DictBuilder {
    /// Notes that the post of rank `doc` holds `key`; returns the entry's id. Ranks must come in
    /// increasing order; a repeat within one post is counted once.
    pub(crate) fn add(&mut self, key: &str, doc: u32) -> u32 {
        let id = self.entries.id(key);
        if id as usize == self.lists.len() {
            self.lists.push(Vec::new());
        }
        self.add_id(id, doc);
        id
    }

    /// Notes that the post of rank `doc` holds the entry `id` (one [`add`](Self::add) returned).
    pub(crate) fn add_id(&mut self, id: u32, doc: u32) {
        add_to_list(&mut self.lists, id, doc);
    }

    /// Each link host's parent domains that are link hosts too (`example.org` for
    /// `blog.example.org`), by id: a post linking to a subdomain is then also counted as
    /// linking to the domain, as `domain:example.org` finds it. Empty when no host has one.
    pub(crate) fn parent_domains(&self) -> Vec<Vec<u32>> {
        let mut parents = Vec::new();
        for id in 0..self.entries.ends.len() as u32 {
            let host = self.entries.get(id);
            let mut found = Vec::new();
            let mut rest = host;
            while let Some((_, parent)) = rest.split_once('.') {
                if let Some(&p) = self.entries.map.get(parent) {
                    found.push(p);
                }
                rest = parent;
            }
            if !found.is_empty() {
                parents.resize(id as usize + 1, Vec::new());
                parents[id as usize] = found;
            }
        }
        parents
    }

    /// Adds the parent domains of [`DictBuilder::parent_domains`] to each post's entries in
    /// `per_post` (of `n` posts) and to their lists.
    pub(crate) fn add_parents(&mut self, parents: &[Vec<u32>], per_post: &mut PerPost, n: u32) {
        if parents.is_empty() {
            return;
        }
        let mut out = PerPost::default();
        let mut ids = Vec::new();
        for r in 0..n {
            ids.clear();
            ids.extend_from_slice(per_post.get(r));
            let own = ids.len();
            for i in 0..own {
                for &p in parents.get(ids[i] as usize).map_or(&[][..], Vec::as_slice) {
                    if !ids.contains(&p) {
                        ids.push(p);
                        if let Some(list) = self.lists.get_mut(p as usize) {
                            list.push(r);
                        }
                    }
                }
            }
            out.push(&ids);
        }
        // The parents' lists in increasing rank order again (a post was added to a list only
        // when it was not in it: no repeats). The others were not touched.
        let mut touched: Vec<u32> = parents.iter().flatten().copied().collect();
        touched.sort_unstable();
        touched.dedup();
        for p in touched {
            if let Some(list) = self.lists.get_mut(p as usize) {
                list.sort_unstable();
            }
        }
        *per_post = out;
    }

    /// Freezes the dictionary; `n` is the number of posts.
    pub(crate) fn finish(self, n: u32) -> (Dict, Postings) {
        finish(self.entries.arena, self.entries.ends, self.lists, n)
    }
}

/// Notes that the post of rank `doc` holds the entry `id`, in its list among `lists`: ranks come
/// in increasing order, and a repeat within one post is counted once.
pub(crate) fn add_to_list(lists: &mut [Vec<u32>], id: u32, doc: u32) {
    if let Some(list) = lists.get_mut(id as usize) {
        if list.last() != Some(&doc) {
            list.push(doc);
        }
    }
}

/// The [`Dict`] of the entries in `arena` (each ending at its `ends`), and the [`Postings`] of
/// their `lists` of ranks; `n` is the number of posts.
pub(crate) fn finish(
    arena: String,
    ends: Vec<u32>,
    lists: Vec<Vec<u32>>,
    n: u32,
) -> (Dict, Postings) {
    let mut dict = Dict {
        arena,
        ends,
        sorted: Vec::new(),
    };
    dict.arena.shrink_to_fit();
    dict.ends.shrink_to_fit();
    let mut sorted: Vec<u32> = (0..dict.ends.len() as u32).collect();
    sorted.sort_unstable_by(|&a, &b| dict.get(a).cmp(dict.get(b)));
    dict.sorted = sorted;
    let total: usize = lists.iter().map(Vec::len).sum();
    let mut postings = Postings {
        offsets: Vec::with_capacity(lists.len() + 1),
        docs: Vec::with_capacity(total),
        dense: Vec::new(),
    };
    postings.offsets.push(0);
    for (id, list) in lists.into_iter().enumerate() {
        if list.len() as u64 * 32 > u64::from(n) && list.len() > 64 {
            postings
                .dense
                .push((id as u32, list.len() as u32, Bitset::from_sorted(n, &list)));
        } else {
            postings.docs.extend_from_slice(&list);
        }
        postings.offsets.push(postings.docs.len() as u32);
    }
    // An entry without a list (none: every entry comes with one) has an empty one.
    while postings.offsets.len() <= dict.ends.len() {
        postings.offsets.push(postings.docs.len() as u32);
    }
    postings.docs.shrink_to_fit();
    (dict, postings)
}

/// For each post (by rank), a short list of entry ids.
#[derive(Debug, borsh::BorshSerialize, borsh::BorshDeserialize)]
pub(crate) struct PerPost {
    offsets: Vec<u32>,
    values: Vec<u32>,
}

impl Default for PerPost {
    fn default() -> Self {
        PerPost {
            offsets: vec![0],
            values: Vec::new(),
        }
    }
}

impl PerPost {
    /// Adds the next post's entries.
    pub(crate) fn push(&mut self, values: &[u32]) {
        self.values.extend_from_slice(values);
        self.offsets.push(self.values.len() as u32);
    }

    /// The entries of the post of rank `r`.
    pub(crate) fn get(&self, r: u32) -> &[u32] {
        let i = r as usize;
        let (a, b) = (
            self.offsets.get(i).copied().unwrap_or(0) as usize,
            self.offsets.get(i + 1).copied().unwrap_or(0) as usize,
        );
        self.values.get(a..b).unwrap_or(&[])
    }

    /// Number of entries over all posts.
    pub(crate) fn total(&self) -> usize {
        self.values.len()
    }

    /// Frees spare capacity.
    pub(crate) fn shrink(&mut self) {
        self.offsets.shrink_to_fit();
        self.values.shrink_to_fit();
    }

    /// Heap bytes used.
    pub(crate) fn heap_bytes(&self) -> usize {
        4 * (self.offsets.capacity() + self.values.capacity())
    }
}
