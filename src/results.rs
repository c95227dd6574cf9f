//! The search result the page shows: its numbers and facets, and the posts fetched so far by
//! position. The worker keeps the full list of matching posts; the page asks for pages of it as
//! the timeline scrolls ([`PostCache`] decides which). The cache is plain data, tested natively;
//! the signals that hold it and the requests that fill it are the wasm32-only `Results`.

#[cfg(target_arch = "wasm32")]
mod live;
#[cfg(target_arch = "wasm32")]
pub use live::Results;

use permafrost_protocol::PostView;
use std::collections::BTreeMap;
use std::ops::Range;
use std::sync::Arc;

/// Posts per request.
pub const PAGE: u32 = 25;

/// Posts that come with a search's answer: about what a screen shows first (the timeline mounts
/// only the rows in view at first; see `ui::timeline`). Each post is about 1.3 KB of JSON that
/// the worker writes and the page reads before the count can change; the rest of the first
/// page is asked for when the rows around it are mounted.
pub const FIRST: u32 = 10;

/// Posts kept in the cache at most; those far from the visible window go first.
const KEEP: usize = 2_000;

/// A post, compared by identity: memos over it then skip re-rendering unchanged rows cheaply.
#[derive(Clone, Debug)]
pub struct PostRef(pub Arc<PostView>);

impl PartialEq for PostRef {
    fn eq(&self, other: &Self) -> bool {
        Arc::ptr_eq(&self.0, &other.0)
    }
}

/// The numbers of a result.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct ResultMeta {
    /// The request id of the search (pages are asked for with it).
    pub search: u32,
    /// Posts in the result (with threads collapsed, the chains' first posts).
    pub total: u32,
    /// Posts the query matched (`total` unless threads were collapsed).
    pub matched: u32,
    /// Problems with the query.
    pub errors: Vec<permafrost_protocol::Message>,
    /// What the last word would be told were it finished, shown once the typing pauses.
    pub unfinished: Vec<permafrost_protocol::Message>,
    /// Time the worker took.
    pub elapsed_ms: u32,
}

/// Posts of the current result by position, and the pages asked for but not yet here.
#[derive(Clone, Debug, Default)]
pub struct PostCache {
    search: u32,
    posts: BTreeMap<u32, PostRef>,
    /// Pages asked for (a handful at a time: a list is cheaper than a set here).
    pending: Vec<u32>,
}

impl PostCache {
    /// Starts over for a new result, with its first posts.
    pub fn reset(&mut self, search: u32, first: Vec<PostView>) {
        self.search = search;
        self.posts.clear();
        self.pending.clear();
        self.put(0, first);
    }

    /// The search the cache holds.
    pub fn search(&self) -> u32 {
        self.search
    }

    /// The post at a position, if fetched.
    pub fn get(&self, position: u32) -> Option<PostRef> {
        self.posts.get(&position).cloned()
    }

    /// The pages (numbers, [`PAGE`] posts each) covering `range` that are neither here nor asked
    /// for; they are marked as asked for.
    pub fn take_missing(&mut self, range: Range<u32>) -> Vec<u32> {
        if range.is_empty() {
            return Vec::new();
        }
        let mut pages = Vec::new();
        for page in range.start / PAGE..=(range.end - 1) / PAGE {
            let start = page * PAGE;
            let complete = (start..start + PAGE)
                .filter(|p| range.contains(p))
                .all(|p| self.posts.contains_key(&p));
            if !complete && !self.pending.contains(&page) {
                self.pending.push(page);
                pages.push(page);
            }
        }
        pages
    }

    /// Stores a page that arrived; pages of another search are dropped. Returns true if stored.
    pub fn insert(&mut self, search: u32, offset: u32, posts: Vec<PostView>) -> bool {
        if search != self.search {
            return false;
        }
        self.pending.retain(|&p| p != offset / PAGE);
        self.put(offset, posts);
        true
    }

    /// Forgets posts far from `keep` once there are too many.
    pub fn trim(&mut self, keep: Range<u32>) {
        if self.posts.len() <= KEEP {
            return;
        }
        let margin = KEEP as u32 / 4;
        let lo = keep.start.saturating_sub(margin);
        let hi = keep.end.saturating_add(margin);
        self.posts.retain(|p, _| (lo..hi).contains(p));
    }

    /// Number of posts held.
    pub fn len(&self) -> usize {
        self.posts.len()
    }

    /// True when nothing is held.
    pub fn is_empty(&self) -> bool {
        self.posts.is_empty()
    }

    fn put(&mut self, offset: u32, posts: Vec<PostView>) {
        for (i, post) in posts.into_iter().enumerate() {
            self.posts
                .insert(offset + i as u32, PostRef(Arc::new(post)));
        }
    }
}
