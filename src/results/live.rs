//! The result state as signals, and the requests that fill it.

use super::{PostCache, ResultMeta, PAGE};
use crate::worker_client::WorkerClient;
use leptos::prelude::*;
use leptos::task::spawn_local;
use permafrost_protocol::{RequestBody, ResponseBody, Sort};
use std::ops::Range;
use std::sync::Arc;

/// A search the page wants run.
#[derive(Clone, Debug, PartialEq)]
struct Wanted {
    query: String,
    sort: Sort,
    time_zone: String,
    collapse_threads: bool,
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
    /// The search to run once the running one is answered (the latest asked for).
    wanted: StoredValue<Option<Wanted>>,
    client: StoredValue<WorkerClient>,
}

impl Results {
    /// Empty results, filled by asking `client`.
    pub fn new(client: WorkerClient) -> Results {
        Results {
            meta: RwSignal::new(None),
            cache: RwSignal::new(PostCache::default()),
            searching: RwSignal::new(false),
            wanted: StoredValue::new(None),
            client: StoredValue::new(client),
        }
    }

    /// Runs a search. One runs at a time; of those asked for meanwhile only the latest runs next,
    /// and a result superseded by a newer search while it was computed is dropped unshown:
    /// typing fast never queues up work in the worker or renders stale results.
    pub fn search(self, query: String, sort: Sort, time_zone: String, collapse_threads: bool) {
        self.wanted.set_value(Some(Wanted {
            query,
            sort,
            time_zone,
            collapse_threads,
        }));
        if self.searching.get_untracked() {
            return;
        }
        let Some(client) = self.client.try_get_value() else {
            return;
        };
        self.searching.set(true);
        spawn_local(async move {
            while let Some(wanted) = self.wanted.try_update_value(Option::take).flatten() {
                let body = RequestBody::Search {
                    query: wanted.query,
                    sort: wanted.sort,
                    time_zone: wanted.time_zone,
                    limit: PAGE,
                    collapse_threads: wanted.collapse_threads,
                };
                let Some(reply) = client.request(body).await else {
                    // The worker was restarted: this archive is gone, and its view with it.
                    break;
                };
                if self.wanted.try_with_value(Option::is_some) != Some(false) {
                    continue;
                }
                // The view may be gone meanwhile (another archive was opened): then the
                // signals are disposed, and the `try_` calls below do nothing.
                match reply.body {
                    ResponseBody::Results(mut results) => {
                        let first = std::mem::take(&mut results.posts);
                        let _ = self.cache.try_update(|c| c.reset(results.search, first));
                        let _ = self.meta.try_set(Some(Arc::new(ResultMeta {
                            search: results.search,
                            total: results.total,
                            matched: results.matched,
                            facets: results.facets,
                            errors: results.errors,
                            elapsed_ms: results.elapsed_ms,
                        })));
                    }
                    ResponseBody::Error { message } => {
                        let _ = self.meta.try_set(Some(Arc::new(ResultMeta {
                            errors: vec![message],
                            ..ResultMeta::default()
                        })));
                    }
                    _ => {}
                }
            }
            let _ = self.searching.try_set(false);
        });
    }

    /// Makes sure the posts at `range` are here or on their way.
    pub fn fetch(self, range: Range<u32>) {
        let mut pages = Vec::new();
        self.cache
            .update_untracked(|c| pages = c.take_missing(range.clone()));
        let Some(client) = self.client.try_get_value() else {
            return;
        };
        for page in pages {
            let range = range.clone();
            let reply = client.request(RequestBody::GetPosts {
                offset: page * PAGE,
                limit: PAGE,
            });
            spawn_local(async move {
                if let Some(ResponseBody::Posts {
                    search,
                    offset,
                    posts,
                }) = reply.await.map(|r| r.body)
                {
                    let _ = self.cache.try_update(|c| {
                        c.insert(search, offset, posts);
                        c.trim(range);
                    });
                }
            });
        }
    }
}
