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
        let mut cur = post;
        // A crafted archive can hold a cycle of replies: stop after as many steps as posts.
        for _ in 0..self.n {
            match self.parent_of(cur) {
                Some(p) if p != post => cur = p,
                _ => break,
            }
        }
        cur
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
