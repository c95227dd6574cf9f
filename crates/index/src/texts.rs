//! The searchable text of posts, tokenized and filed: the part of building an index that needs
//! nothing of a post but its text and its time, and the costliest part (most of
//! [`Index::build`](crate::Index::build) at 100,000 posts, profiled in Chromium: folding,
//! splitting and looking up each word, then filing each post's terms under its rank).
//!
//! So it can be done by another worker while the archive is still being read: each post's time
//! and text are sent to it as the post is read ([`write_fields`], then [`Tokenizer::feed`]
//! there); once the last has come it files the terms ([`Tokenizer::finish`]), and what it made
//! comes back as bytes ([`Tokenized::to_bytes`], [`Tokenized::from_bytes`]) for
//! [`Index::build_with`](crate::Index::build_with), which checks that it was filed in the order
//! the index ranks the posts and builds the rest. [`Index::build`](crate::Index::build) does the
//! same here, in one go. Either way the index is the same, byte for byte (tests/texts.rs).

use crate::bitset::Bitset;
use crate::index::{for_each_field, rank_order, RUN_START, SEP};
use crate::postings::{add_to_list, ascending, finish, Dict, Entries, Postings};
use crate::text;
use permafrost_model::Post;

/// Marks the end of a post's fields in the stream [`write_fields`] writes.
const POST_END: u32 = u32::MAX;

/// Appends what the index needs of a post besides its attributes to `out`, for a [`Tokenizer`]
/// elsewhere: the time its rank comes from (i64, little-endian: its `published` time, `i64::MIN` without one), its short id
/// (what `id:` finds), and its searchable fields (its text, content warning, poll options and
/// attachment descriptions, as [`Index::build`](crate::Index::build) reads them), each string as
/// its length (u32, little-endian) and its UTF-8 bytes, then `u32::MAX`. `plain` is scratch
/// space.
pub fn write_fields(post: &Post, plain: &mut String, out: &mut Vec<u8>) {
    out.extend_from_slice(&post_time(post).to_le_bytes());
    write_string(post.short_id(), out);
    plain.clear();
    post.content.write_plain(plain);
    for_each_field(post, plain, &mut |field| write_string(field, out));
    out.extend_from_slice(&POST_END.to_le_bytes());
}

/// Appends a string as its length (u32, little-endian) and its bytes.
fn write_string(s: &str, out: &mut Vec<u8>) {
    // A string of 4 GB or more (never: a wasm32 memory holds 4 GB) is cut short.
    let len = s.len().min(POST_END as usize - 1);
    out.extend_from_slice(&(len as u32).to_le_bytes());
    out.extend_from_slice(&s.as_bytes()[..len]);
}

/// Appends a post's short id to the index's string of them, lowercased (`id:` is not case
/// sensitive).
fn push_short_id(ids: &mut String, id: &str) {
    if id.is_ascii() {
        // Nearly every id: lowercased in place, without a char at a time.
        let at = ids.len();
        ids.push_str(id);
        if let Some(added) = ids.get_mut(at..) {
            added.make_ascii_lowercase();
        }
    } else {
        ids.extend(id.chars().flat_map(char::to_lowercase));
    }
}

/// Tokenizes posts one after the other, given as posts ([`Tokenizer::add_post`]) or as the
/// bytes [`write_fields`] wrote ([`Tokenizer::feed`], in pieces of any size).
#[derive(Debug, Default)]
pub struct Tokenizer {
    /// Each post's [`post_time`].
    times: Vec<i64>,
    /// The posts' short ids, lowercased, one after the other; post `i`'s ends at `id_ends[i]`.
    ids: String,
    id_ends: Vec<u32>,
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
        self.add_fields(post_time(post), post.short_id(), fields);
    }

    /// Tokenizes the next post, given its time, short id and fields.
    fn add_fields<'a>(&mut self, time: i64, id: &str, fields: impl IntoIterator<Item = &'a str>) {
        self.times.push(time);
        push_short_id(&mut self.ids, id);
        self.id_ends
            .push(u32::try_from(self.ids.len()).unwrap_or(u32::MAX));
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
        // Each whole post: its strings' ranges in `pending` are found first, then tokenized.
        let mut fields: Vec<(usize, usize)> = Vec::new();
        'posts: loop {
            fields.clear();
            let Some(time) = pending.get(at..at + 8) else {
                break 'posts;
            };
            let time = i64::from_le_bytes(time.try_into().unwrap_or_default());
            let mut cur = at + 8;
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
            // The first string is the post's short id.
            let Some((id, texts)) = texts.split_first() else {
                self.broken = true;
                return;
            };
            self.add_fields(time, id, texts.iter().copied());
            at = cur;
        }
        pending.drain(..at);
        self.pending = pending;
    }

    /// What was tokenized, filed under each post's rank, or `None` when the bytes fed were not
    /// all whole posts as [`write_fields`] writes them.
    pub fn finish(self) -> Option<Tokenized> {
        if self.broken || !self.pending.is_empty() {
            return None;
        }
        let Tokenizer {
            times,
            mut ids,
            id_ends,
            terms,
            seq,
            seq_ends,
            lens,
            ..
        } = self;
        ids.shrink_to_fit();
        let n = u32::try_from(lens.len()).ok()?;
        let rank_post = rank_order(&times);
        drop(times);
        let post_seq = |p: usize| {
            let start = if p == 0 {
                0
            } else {
                seq_ends.get(p - 1).copied().unwrap_or(0) as usize
            };
            let end = seq_ends.get(p).copied().unwrap_or(0) as usize;
            seq.get(start..end).unwrap_or(&[])
        };
        // Each post's terms filed under its rank, and its sequence moved to its rank's place.
        let mut term_lists: Vec<Vec<u32>> = vec![Vec::new(); terms.ends.len()];
        let mut ranked = Vec::with_capacity(seq.len());
        let mut ranked_ends = Vec::with_capacity(lens.len());
        let mut doc_len = Vec::with_capacity(lens.len());
        let mut total_len = 0u64;
        for (r, &p) in rank_post.iter().enumerate() {
            let tokens = post_seq(p as usize);
            ranked.extend_from_slice(tokens);
            for &t in tokens {
                if t != SEP {
                    add_to_list(&mut term_lists, t & !RUN_START, r as u32);
                }
            }
            ranked_ends.push(u32::try_from(ranked.len()).unwrap_or(u32::MAX));
            let len = lens.get(p as usize).copied().unwrap_or(0);
            doc_len.push(u16::try_from(len).unwrap_or(u16::MAX));
            total_len += u64::from(len);
        }
        drop(seq);
        let (terms, postings) = finish(terms.arena, terms.ends, term_lists, n);
        Some(Tokenized {
            rank_post,
            ids,
            id_ends,
            terms,
            postings,
            seq: ranked,
            seq_ends: ranked_ends,
            doc_len,
            total_len,
        })
    }
}

/// The time a post is ranked by: its publication, or before every other for a post without
/// one (as [`Index`](crate::Index) ranks them).
pub(crate) fn post_time(post: &Post) -> i64 {
    post.published.unwrap_or(i64::MIN)
}

/// The posts' text, tokenized and filed: the terms, the ranks of the posts holding each, and
/// each post's sequence of term ids, by rank. What [`Index::build_with`](crate::Index::build_with)
/// takes as the text part of the index.
#[derive(Debug, Default)]
pub struct Tokenized {
    /// The post at each rank, as the posts' times ordered them: the index uses this only if it
    /// ranks the posts the same way.
    pub(crate) rank_post: Vec<u32>,
    /// The posts' short ids, lowercased, one after the other, in the order the posts were given:
    /// post `i`'s ends at `id_ends[i]`.
    pub(crate) ids: String,
    pub(crate) id_ends: Vec<u32>,
    pub(crate) terms: Dict,
    /// Each term's posts, by rank.
    pub(crate) postings: Postings,
    /// Each post's term ids ([`RUN_START`] on words and on the first token of a CJK run,
    /// [`SEP`] between fields), by rank: rank `r`'s end at `seq_ends[r]`.
    pub(crate) seq: Vec<u32>,
    pub(crate) seq_ends: Vec<u32>,
    /// Tokens per post, by rank (at most `u16::MAX`).
    pub(crate) doc_len: Vec<u16>,
    /// Tokens in all.
    pub(crate) total_len: u64,
}

impl Tokenized {
    /// The text of `posts`, tokenized and filed here.
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
        self.rank_post.len()
    }

    /// The bytes to send it elsewhere: each part in turn, lists as their length (u64) and their
    /// numbers, all little-endian. Written by hand, not with borsh as the index's snapshots
    /// are: a number at a time through borsh's writer and reader was a tenth of the worker's
    /// share of indexing (30 MB at 100,000 posts), where whole lists are converted at once here.
    pub fn to_bytes(&self) -> Vec<u8> {
        let (arena, ends, sorted) = self.terms.parts();
        let (offsets, docs, dense) = self.postings.parts();
        let lists = [
            &self.rank_post,
            &self.id_ends,
            ends,
            sorted,
            offsets,
            docs,
            &self.seq,
            &self.seq_ends,
        ];
        let words: usize = dense.iter().map(|(_, _, set)| set.words().0.len()).sum();
        let len = 8 * (lists.len() + 4)
            + arena.len()
            + self.ids.len()
            + 4 * lists.iter().map(|l| l.len()).sum::<usize>()
            + 2 * self.doc_len.len()
            + dense.len() * 20
            + 8 * words;
        let mut out = Vec::with_capacity(len);
        let count = |out: &mut Vec<u8>, n: usize| out.extend_from_slice(&(n as u64).to_le_bytes());
        for text in [arena, &self.ids] {
            count(&mut out, text.len());
            out.extend_from_slice(text.as_bytes());
        }
        for list in lists {
            count(&mut out, list.len());
            out.extend(list.iter().flat_map(|n| n.to_le_bytes()));
        }
        count(&mut out, self.doc_len.len());
        out.extend(self.doc_len.iter().flat_map(|n| n.to_le_bytes()));
        count(&mut out, dense.len());
        for (id, df, set) in dense {
            let (words, bits) = set.words();
            out.extend_from_slice(&id.to_le_bytes());
            out.extend_from_slice(&df.to_le_bytes());
            out.extend_from_slice(&bits.to_le_bytes());
            count(&mut out, words.len());
            out.extend(words.iter().flat_map(|w| w.to_le_bytes()));
        }
        out.extend_from_slice(&self.total_len.to_le_bytes());
        out
    }

    /// Reads [`Tokenized::to_bytes`] back, checked: `None` unless the bytes are exactly that
    /// and every offset, rank and term id is within bounds, so that bytes from elsewhere cannot
    /// make the index read out of them.
    pub fn from_bytes(bytes: &[u8]) -> Option<Tokenized> {
        let mut r = Reader(bytes);
        let arena = std::str::from_utf8(r.bytes()?).ok()?.to_string();
        let ids = std::str::from_utf8(r.bytes()?).ok()?.to_string();
        let (rank_post, id_ends) = (r.u32s()?, r.u32s()?);
        let (ends, sorted) = (r.u32s()?, r.u32s()?);
        let (offsets, docs) = (r.u32s()?, r.u32s()?);
        let (seq, seq_ends) = (r.u32s()?, r.u32s()?);
        let doc_len = r.u16s()?;
        let mut dense = Vec::new();
        for _ in 0..r.u64()? {
            let (id, df, bits) = (r.u32()?, r.u32()?, r.u32()?);
            dense.push((id, df, Bitset::from_words(r.u64s()?, bits)?));
        }
        let total_len = r.u64()?;
        if !r.0.is_empty() {
            return None;
        }
        let t = Tokenized {
            rank_post,
            ids,
            id_ends,
            terms: Dict::from_parts(arena, ends, sorted),
            postings: Postings::from_parts(offsets, docs, dense),
            seq,
            seq_ends,
            doc_len,
            total_len,
        };
        let n = t.rank_post.len();
        let terms = t.terms.len() as u32;
        let ok = u32::try_from(n).is_ok_and(|n| t.postings.fits(t.terms.len(), n))
            && t.terms.fits()
            && t.rank_post.iter().all(|&p| (p as usize) < n)
            && t.seq_ends.len() == n
            && t.id_ends.len() == n
            && ascending(&t.id_ends, t.ids.len())
            && t.doc_len.len() == n
            && ascending(&t.seq_ends, t.seq.len())
            && t.seq.iter().all(|&id| id == SEP || id & !RUN_START < terms);
        ok.then_some(t)
    }
}

/// Reads what [`Tokenized::to_bytes`] wrote, a part at a time: `None` past the end.
struct Reader<'a>(&'a [u8]);

impl<'a> Reader<'a> {
    fn take(&mut self, n: usize) -> Option<&'a [u8]> {
        let taken = self.0.get(..n)?;
        self.0 = &self.0[n..];
        Some(taken)
    }

    fn u32(&mut self) -> Option<u32> {
        Some(u32::from_le_bytes(self.take(4)?.try_into().ok()?))
    }

    fn u64(&mut self) -> Option<u64> {
        Some(u64::from_le_bytes(self.take(8)?.try_into().ok()?))
    }

    /// A list's bytes: its length in `size`-byte numbers, then those.
    fn list(&mut self, size: usize) -> Option<&'a [u8]> {
        let n = usize::try_from(self.u64()?).ok()?;
        self.take(n.checked_mul(size)?)
    }

    fn bytes(&mut self) -> Option<&'a [u8]> {
        self.list(1)
    }

    fn u16s(&mut self) -> Option<Vec<u16>> {
        let raw = self.list(2)?;
        Some(
            raw.chunks_exact(2)
                .map(|b| u16::from_le_bytes([b[0], b[1]]))
                .collect(),
        )
    }

    fn u32s(&mut self) -> Option<Vec<u32>> {
        let raw = self.list(4)?;
        Some(
            raw.chunks_exact(4)
                .map(|b| u32::from_le_bytes([b[0], b[1], b[2], b[3]]))
                .collect(),
        )
    }

    fn u64s(&mut self) -> Option<Vec<u64>> {
        let raw = self.list(8)?;
        Some(
            raw.chunks_exact(8)
                .map(|b| u64::from_le_bytes([b[0], b[1], b[2], b[3], b[4], b[5], b[6], b[7]]))
                .collect(),
        )
    }
}
