//! The account's own self-reply threads, rebuilt from `in_reply_to`.

use crate::bitset::Bitset;
use crate::index::{Flag, Index, NONE};
use serde::{Deserialize, Serialize};

/// A post's place in a thread.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ThreadPost {
    /// The post (index in `Account::posts`).
    pub post: u32,
    /// 0 for the root, 1 for its replies, and so on.
    pub depth: u32,
    /// The post it replies to, within the thread.
    pub parent: Option<u32>,
}

/// A chain of the account's own replies to its own posts.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Thread {
    /// The first post of the chain found in the archive.
    pub root: u32,
    /// Every post of the thread in reading order: depth first, replies oldest first.
    pub posts: Vec<ThreadPost>,
    /// The root replies to a post that is not in the archive (someone else's, or a deleted one).
    pub missing_parent: bool,
    /// That missing post's URI is under the account's own actor URI: a post of the account's own
    /// that the archive does not hold (deleted, or from before a move).
    pub missing_own_parent: bool,
}

impl Index {
    /// The post a self-reply replies to.
    pub fn parent_of(&self, post: u32) -> Option<u32> {
        self.parent
            .get(post as usize)
            .copied()
            .filter(|&p| p != NONE)
    }

    /// The self-replies to a post, oldest first.
    pub fn replies_to(&self, post: u32) -> &[u32] {
        self.children.get(post)
    }

    /// The first post of the chain holding `post` (the post itself when it is no self-reply).
    pub fn root_of(&self, post: u32) -> u32 {
        self.thread_root.get(post as usize).copied().unwrap_or(post)
    }

    /// How many posts the chain holding `post` has (1 when it is in none; 0 for an id out of
    /// range).
    pub fn thread_len(&self, post: u32) -> u32 {
        self.thread_len
            .get(self.root_of(post) as usize)
            .copied()
            .unwrap_or(0)
    }

    /// Collapses results to their chains: each post becomes its chain's first post, kept once,
    /// where the first of its chain's posts was. Sorted by date (`by_date`), the first posts are
    /// put in date order again, as `newest` says; otherwise (relevance) a chain stays where its
    /// best-ranked post was.
    pub fn collapse_threads(&self, hits: &[u32], by_date: Option<bool>) -> Vec<u32> {
        let mut seen = Bitset::empty(self.n);
        let mut roots: Vec<u32> = Vec::with_capacity(hits.len());
        for &p in hits {
            let r = self.root_of(p);
            if r < self.n && !seen.contains(r) {
                seen.insert(r);
                roots.push(r);
            }
        }
        if let Some(newest) = by_date {
            // Ranks are the date order (ties by post id), so sorting by rank is sorting by date.
            roots.sort_unstable_by_key(|&p| self.rank_of(p).unwrap_or(u32::MAX));
            if newest {
                roots.reverse();
            }
        }
        roots
    }

    /// The post ids whose short id ([`permafrost_model::short_id`]) is `id` (lowercase).
    pub(crate) fn posts_with_id(&self, id: &str) -> Vec<u32> {
        let mut found = Vec::new();
        let mut start = 0usize;
        for (post, &end) in self.id_ends.iter().enumerate() {
            let end = end as usize;
            if self.ids.get(start..end) == Some(id) {
                found.push(post as u32);
            }
            start = end;
        }
        found
    }

    /// True when the post is in a self-reply chain of two posts or more (`is:thread`).
    pub fn in_thread(&self, post: u32) -> bool {
        self.rank_of(post)
            .is_some_and(|r| self.flag_ref(Flag::Thread).is_some_and(|b| b.contains(r)))
    }

    /// The whole thread holding a post (a thread of one post when it is in no chain); `None` for
    /// an id out of range.
    pub fn thread_of(&self, post: u32) -> Option<Thread> {
        if post >= self.n {
            return None;
        }
        let root = self.root_of(post);
        let mut seen = Bitset::empty(self.n);
        let mut posts = Vec::new();
        let mut stack = vec![(root, 0u32, None)];
        while let Some((p, depth, parent)) = stack.pop() {
            if seen.contains(p) {
                continue;
            }
            seen.insert(p);
            posts.push(ThreadPost {
                post: p,
                depth,
                parent,
            });
            for &c in self.replies_to(p).iter().rev() {
                if !seen.contains(c) {
                    stack.push((c, depth + 1, Some(p)));
                }
            }
        }
        Some(Thread {
            root,
            posts,
            missing_parent: self.missing_parent.contains(root),
            missing_own_parent: self.missing_own_parent.contains(root),
        })
    }
}
