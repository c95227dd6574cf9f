//! Posts picked by hand for export: a set of post indices that survives scrolling, a new sort
//! and a new query, with the anchor of a shift-click range.

use std::collections::BTreeSet;

/// The posts picked by hand.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Picked {
    posts: BTreeSet<u32>,
    /// The position (in the result shown then) and post of the last plain click: a shift-click
    /// selects from there.
    anchor: Option<(u32, u32)>,
}

/// What a click on a post's checkbox asks for.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Click {
    /// Nothing more to do: the post was picked or unpicked.
    Done,
    /// Pick (or unpick, with `pick: false`) every post at positions `from..=to` of the result,
    /// once their indices are known.
    Range {
        /// First position.
        from: u32,
        /// Last position.
        to: u32,
        /// Pick (true) or unpick.
        pick: bool,
    },
}

impl Picked {
    /// True when the post is picked.
    pub fn contains(&self, post: u32) -> bool {
        self.posts.contains(&post)
    }

    /// How many posts are picked.
    pub fn len(&self) -> usize {
        self.posts.len()
    }

    /// True when none is.
    pub fn is_empty(&self) -> bool {
        self.posts.is_empty()
    }

    /// The picked posts, in archive order (oldest first).
    pub fn posts(&self) -> Vec<u32> {
        self.posts.iter().copied().collect()
    }

    /// A click on the checkbox of `post`, at `position` of the result shown. With `shift` and
    /// an anchor, the posts between the anchor and this one are to be set like the anchor was
    /// (picked or not): the caller fetches their indices and calls [`Picked::set_all`].
    pub fn click(&mut self, post: u32, position: u32, shift: bool) -> Click {
        if shift {
            if let Some((anchor_position, anchor_post)) = self.anchor {
                let pick = self.contains(anchor_post);
                let (from, to) = if anchor_position <= position {
                    (anchor_position, position)
                } else {
                    (position, anchor_position)
                };
                self.set(post, pick);
                return Click::Range { from, to, pick };
            }
        }
        let pick = !self.contains(post);
        self.set(post, pick);
        self.anchor = Some((position, post));
        Click::Done
    }

    /// Picks (or unpicks) these posts.
    pub fn set_all(&mut self, posts: &[u32], pick: bool) {
        for &post in posts {
            self.set(post, pick);
        }
    }

    /// Unpicks everything.
    pub fn clear(&mut self) {
        self.posts.clear();
        self.anchor = None;
    }

    /// Forgets the shift-click anchor: its position belongs to a result no longer shown.
    pub fn new_result(&mut self) {
        self.anchor = None;
    }

    fn set(&mut self, post: u32, pick: bool) {
        if pick {
            self.posts.insert(post);
        } else {
            self.posts.remove(&post);
        }
    }
}
