//! The searchable text of posts, tokenized in the order the posts were read: the part of
//! building an index that needs nothing of a post but its text, and the costliest part (about
//! two thirds of [`Index::build`](crate::Index::build) at 100,000 posts, profiled in Chromium:
//! folding, splitting and looking up each word).
//!
//! So it can be done by another worker while the archive is still being read: each post's text
//! is sent to it as the post is read ([`write_fields`], then [`Tokenizer::feed`] there), and what
//! it made comes back as bytes ([`Tokenized::to_bytes`], [`Tokenized::from_bytes`]) for
//! [`Index::build_with`](crate::Index::build_with), which then only files each post's terms under
//! its rank. [`Index::build`](crate::Index::build) does the same here, in one go. Either way the
//! index is the same, byte for byte (tests/texts.rs).

use crate::index::{for_each_field, RUN_START, SEP};
use crate::postings::Entries;
use crate::text;
use permafrost_model::Post;

/// Marks the end of a post's fields in the stream [`write_fields`] writes.
const POST_END: u32 = u32::MAX;

/// The bytes before the terms in [`Tokenized::to_bytes`]: five sizes.
const HEADER: usize = 5 * 4;

/// Appends a post's searchable fields (its text, content warning, poll options and attachment
/// descriptions, as [`Index::build`](crate::Index::build) reads them) to `out`, for a
/// [`Tokenizer`] elsewhere: each field as its length (u32, little-endian) and its UTF-8 bytes,
/// then [`POST_END`]. `plain` is scratch space.
pub fn write_fields(post: &Post, plain: &mut String, out: &mut Vec<u8>) {
    plain.clear();
    post.content.write_plain(plain);
    for_each_field(post, plain, &mut |field| {
        // A field of 4 GB or more (never: a wasm32 memory holds 4 GB) is cut short.
        let len = field.len().min(POST_END as usize - 1);
        out.extend_from_slice(&(len as u32).to_le_bytes());
        out.extend_from_slice(&field.as_bytes()[..len]);
    });
    out.extend_from_slice(&POST_END.to_le_bytes());
}

/// Tokenizes posts one after the other, given as posts ([`Tokenizer::add_post`]) or as the
/// bytes [`write_fields`] wrote ([`Tokenizer::feed`], in pieces of any size).
#[derive(Debug, Default)]
pub struct Tokenizer {
    terms: Entries,
    seq: Vec<u32>,
    seq_ends: Vec<u32>,
    lens: Vec<u32>,
    /// Scratch space for folding.
    buf: String,
    /// Fed bytes not yet read: the start of a post whose end has not come yet.
    pending: Vec<u8>,
    /// Fed bytes that were not what [`write_fields`] writes (a field that is not UTF-8).
    broken: bool,
}

impl Tokenizer {
    /// A tokenizer that has seen no post.
    pub fn new() -> Tokenizer {
        Tokenizer::default()
    }

    /// The posts tokenized so far.
    pub fn posts(&self) -> usize {
        self.lens.len()
    }

    /// Tokenizes the next post. `plain` is scratch space.
    pub fn add_post(&mut self, post: &Post, plain: &mut String) {
        plain.clear();
        post.content.write_plain(plain);
        let mut fields = Vec::with_capacity(1);
        for_each_field(post, plain, &mut |field| fields.push(field));
        self.add_fields(fields);
    }

    /// Tokenizes the next post, given its fields.
    fn add_fields<'a>(&mut self, fields: impl IntoIterator<Item = &'a str>) {
        let Tokenizer {
            terms,
            seq,
            buf,
            seq_ends,
            lens,
            ..
        } = self;
        let mut len = 0u32;
        for (i, field) in fields.into_iter().enumerate() {
            if i > 0 {
                seq.push(SEP);
            }
            text::tokenize(field, buf, &mut |tok| {
                // Ids stay below the two marks (never reached: 2³¹ distinct words).
                let id = terms.id(tok.text).min(RUN_START - 2);
                seq.push(if tok.run_start { id | RUN_START } else { id });
                len = len.saturating_add(1);
            });
        }
        seq_ends.push(u32::try_from(seq.len()).unwrap_or(u32::MAX));
        lens.push(len);
    }

    /// Reads the next bytes of what [`write_fields`] wrote, tokenizing each post as its end
    /// arrives.
    pub fn feed(&mut self, bytes: &[u8]) {
        if self.broken {
            return;
        }
        let mut pending = std::mem::take(&mut self.pending);
        pending.extend_from_slice(bytes);
        let mut at = 0;
        // Each whole post: its fields' ranges in `pending` are found first, then tokenized.
        let mut fields: Vec<(usize, usize)> = Vec::new();
        'posts: loop {
            fields.clear();
            let mut cur = at;
            loop {
                let Some(head) = pending.get(cur..cur + 4) else {
                    break 'posts;
                };
                let len = u32::from_le_bytes([head[0], head[1], head[2], head[3]]);
                cur += 4;
                if len == POST_END {
                    break;
                }
                let end = cur + len as usize;
                if end > pending.len() {
                    break 'posts;
                }
                fields.push((cur, end));
                cur = end;
            }
            let mut texts = Vec::with_capacity(fields.len());
            for &(start, end) in &fields {
                match std::str::from_utf8(&pending[start..end]) {
                    Ok(text) => texts.push(text),
                    Err(_) => {
                        self.broken = true;
                        return;
                    }
                }
            }
            self.add_fields(texts);
            at = cur;
        }
        pending.drain(..at);
        self.pending = pending;
    }

    /// What was tokenized, or `None` when the bytes fed were not all whole posts as
    /// [`write_fields`] writes them.
    pub fn finish(self) -> Option<Tokenized> {
        if self.broken || !self.pending.is_empty() {
            return None;
        }
        Some(Tokenized {
            arena: self.terms.arena,
            ends: self.terms.ends,
            seq: self.seq,
            seq_ends: self.seq_ends,
            lens: self.lens,
        })
    }
}

/// The posts' text, tokenized: the terms in the order first seen, and each post's sequence of
/// term ids, in the order the posts were given.
#[derive(Debug, Default, PartialEq, Eq)]
pub struct Tokenized {
    /// The terms, one after the other; the term of id `i` ends at `ends[i]`.
    pub(crate) arena: String,
    pub(crate) ends: Vec<u32>,
    /// Each post's term ids ([`RUN_START`] on words and on the first token of a CJK run,
    /// [`SEP`] between fields); post `i`'s end at `seq_ends[i]`.
    pub(crate) seq: Vec<u32>,
    pub(crate) seq_ends: Vec<u32>,
    /// Tokens per post.
    pub(crate) lens: Vec<u32>,
}

impl Tokenized {
    /// The text of `posts`, tokenized here.
    pub fn of(posts: &[Post]) -> Tokenized {
        let mut tokenizer = Tokenizer::new();
        let mut plain = String::new();
        for post in posts {
            tokenizer.add_post(post, &mut plain);
        }
        // Nothing was fed as bytes: nothing is pending or broken.
        tokenizer.finish().unwrap_or_default()
    }

    /// Number of posts.
    pub fn posts(&self) -> usize {
        self.lens.len()
    }

    /// The term ids of post `i`.
    pub(crate) fn seq_of(&self, i: usize) -> &[u32] {
        let start = if i == 0 {
            0
        } else {
            self.seq_ends.get(i - 1).copied().unwrap_or(0) as usize
        };
        let end = self.seq_ends.get(i).copied().unwrap_or(0) as usize;
        self.seq.get(start..end).unwrap_or(&[])
    }

    /// The bytes to send it elsewhere: the number of bytes of the terms and of each list
    /// (u32, little-endian), then the terms, then each list's numbers (u32, little-endian).
    pub fn to_bytes(&self) -> Vec<u8> {
        let lists = [&self.ends, &self.seq, &self.seq_ends, &self.lens];
        let numbers: usize = lists.iter().map(|l| l.len()).sum();
        let mut out = Vec::with_capacity(HEADER + self.arena.len() + 4 * numbers);
        out.extend_from_slice(&(self.arena.len() as u32).to_le_bytes());
        for list in lists {
            out.extend_from_slice(&(list.len() as u32).to_le_bytes());
        }
        out.extend_from_slice(self.arena.as_bytes());
        for list in lists {
            out.extend(list.iter().flat_map(|n| n.to_le_bytes()));
        }
        out
    }

    /// Reads [`Tokenized::to_bytes`] back, checked: `None` unless the bytes are exactly that
    /// and every offset and term id is within bounds, so that bytes from elsewhere cannot make
    /// the index read out of them.
    pub fn from_bytes(bytes: &[u8]) -> Option<Tokenized> {
        let header = bytes.get(..HEADER)?;
        let mut sizes = header
            .chunks_exact(4)
            .map(|b| u32::from_le_bytes([b[0], b[1], b[2], b[3]]) as usize);
        let arena_len = sizes.next()?;
        let counts: Vec<usize> = sizes.collect();
        let numbers = counts.iter().try_fold(0usize, |a, &c| a.checked_add(c))?;
        let total = numbers
            .checked_mul(4)?
            .checked_add(arena_len)?
            .checked_add(HEADER)?;
        if total != bytes.len() {
            return None;
        }
        let arena = std::str::from_utf8(&bytes[HEADER..HEADER + arena_len]).ok()?;
        let mut at = HEADER + arena_len;
        let mut list = |count: usize| {
            let raw = &bytes[at..at + 4 * count];
            at += 4 * count;
            raw.chunks_exact(4)
                .map(|b| u32::from_le_bytes([b[0], b[1], b[2], b[3]]))
                .collect::<Vec<u32>>()
        };
        let t = Tokenized {
            arena: arena.to_string(),
            ends: list(counts[0]),
            seq: list(counts[1]),
            seq_ends: list(counts[2]),
            lens: list(counts[3]),
        };
        let ascending = |v: &[u32], max: usize| {
            v.windows(2).all(|w| w[0] <= w[1]) && v.last().is_none_or(|&e| e as usize <= max)
        };
        let terms = t.ends.len() as u32;
        let ok = ascending(&t.ends, t.arena.len())
            && ascending(&t.seq_ends, t.seq.len())
            && t.lens.len() == t.seq_ends.len()
            && t.seq.iter().all(|&id| id == SEP || id & !RUN_START < terms);
        ok.then_some(t)
    }
}
