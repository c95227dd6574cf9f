//! The search result the page shows: its numbers and facets, and the posts fetched so far by
//! position. The worker keeps the full list of matching posts; the page asks for pages of it as
//! the timeline scrolls ([`PostCache`] decides which).

use crate::app::client;
use leptos::prelude::*;
use permafrost_protocol::{FacetGroup, PostView, RequestBody, ResponseBody, Sort};
use std::collections::BTreeMap;
use std::ops::Range;
use std::sync::Arc;

/// Posts per request.
pub const PAGE: u32 = 25;

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
    /// Matching posts.
    pub total: u32,
    /// Facet counts.
    pub facets: Vec<FacetGroup>,
    /// Problems with the query.
    pub errors: Vec<String>,
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

/// A search the page wants run.
#[derive(Clone, Debug, PartialEq)]
struct Wanted {
    query: String,
    sort: Sort,
    time_zone: String,
}

/// The result state, as signals.
#[derive(Clone, Copy)]
pub struct Results {
    /// The last result's numbers (none before the first search).
    pub meta: RwSignal<Option<Arc<ResultMeta>>>,
    /// Its posts fetched so far.
    pub cache: RwSignal<PostCache>,
    /// A search is running.
    pub searching: RwSignal<bool>,
    wanted: StoredValue<Option<Wanted>>,
    in_flight: StoredValue<bool>,
}

impl Results {
    /// Empty results.
    pub fn new() -> Results {
        Results {
            meta: RwSignal::new(None),
            cache: RwSignal::new(PostCache::default()),
            searching: RwSignal::new(false),
            wanted: StoredValue::new(None),
            in_flight: StoredValue::new(false),
        }
    }

    /// Runs a search. While one runs, only the latest of the searches asked for meanwhile runs
    /// next: typing fast never queues up work in the worker.
    pub fn search(self, query: String, sort: Sort, time_zone: String) {
        self.wanted.set_value(Some(Wanted {
            query,
            sort,
            time_zone,
        }));
        if !self.in_flight.get_value() {
            self.send_wanted();
        }
    }

    fn send_wanted(self) {
        let Some(wanted) = self.wanted.get_value() else {
            return;
        };
        self.wanted.set_value(None);
        self.in_flight.set_value(true);
        self.searching.set(true);
        let body = RequestBody::Search {
            query: wanted.query,
            sort: wanted.sort,
            time_zone: wanted.time_zone,
            limit: PAGE,
        };
        let id = std::rc::Rc::new(std::cell::Cell::new(0));
        let id_in_handler = id.clone();
        let sent = client().send(body, &[], move |response, _| {
            let id = &id_in_handler;
            self.in_flight.set_value(false);
            match response {
                ResponseBody::Results(mut results) => {
                    let search = id.get();
                    let first = std::mem::take(&mut results.posts);
                    self.cache.update(|c| c.reset(search, first));
                    self.meta.set(Some(Arc::new(ResultMeta {
                        search,
                        total: results.total,
                        facets: results.facets,
                        errors: results.errors,
                        elapsed_ms: results.elapsed_ms,
                    })));
                }
                ResponseBody::Error { message } => {
                    self.meta.set(Some(Arc::new(ResultMeta {
                        errors: vec![message],
                        ..ResultMeta::default()
                    })));
                }
                _ => {}
            }
            if self.wanted.with_value(Option::is_some) {
                self.send_wanted();
            } else {
                self.searching.set(false);
            }
        });
        id.set(sent);
    }

    /// Makes sure the posts at `range` are here or on their way.
    pub fn fetch(self, range: Range<u32>) {
        let mut pages = Vec::new();
        let mut search = 0;
        self.cache.update_untracked(|c| {
            pages = c.take_missing(range.clone());
            search = c.search();
        });
        for page in pages {
            let range = range.clone();
            let body = RequestBody::GetPosts {
                search,
                offset: page * PAGE,
                limit: PAGE,
            };
            client().send(body, &[], move |response, _| {
                if let ResponseBody::Posts {
                    search,
                    offset,
                    posts,
                } = response
                {
                    self.cache.update(|c| {
                        c.insert(search, offset, posts);
                        c.trim(range.clone());
                    });
                }
            });
        }
    }
}

impl Default for Results {
    fn default() -> Self {
        Results::new()
    }
}
