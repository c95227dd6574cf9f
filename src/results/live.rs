//! The result state as signals, and the requests that fill it.

use super::{PostCache, ResultMeta, FIRST, PAGE};
use crate::worker_client::WorkerClient;
use leptos::prelude::*;
use leptos::task::spawn_local;
use permafrost_protocol::{BroaderQuery, FacetGroup, RequestBody, ResponseBody, Sort};
use std::ops::Range;
use std::sync::Arc;

/// How long after a result is shown its facets are asked for, in milliseconds. The count and the
/// first posts come without them: counting facets is work for the worker, and their ten groups
/// of buttons are work for the page, both before the count could change. While someone types,
/// each result is replaced before this, and its facets are never counted nor drawn; the sidebar
/// shows the last ones until the new ones come.
const FACETS_DELAY_MS: u64 = 100;

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
    /// The facet counts last received, with the search they count: the result shown, or an
    /// earlier one until its own come (see [`FACETS_DELAY_MS`]).
    pub facets: RwSignal<Option<(u32, Arc<Vec<FacetGroup>>)>>,
    /// For a result with no posts, its query with each part taken out, with the search they
    /// broaden (asked for as facets are, after [`FACETS_DELAY_MS`]).
    pub broader: RwSignal<Option<(u32, Arc<Vec<BroaderQuery>>)>>,
    /// A search is running.
    pub searching: RwSignal<bool>,
    /// The timer that asks for the facets of the result shown.
    facets_timer: StoredValue<Option<TimeoutHandle>>,
    /// The search to run once the running one is answered (the latest asked for).
    wanted: StoredValue<Option<Wanted>>,
    client: StoredValue<WorkerClient>,
}

impl Results {
    /// Posts in the result shown (0 before the first), tracked.
    pub fn total(self) -> u32 {
        self.meta.with(|m| m.as_ref().map_or(0, |m| m.total))
    }

    /// [`Results::total`], untracked.
    pub fn total_untracked(self) -> u32 {
        self.meta
            .with_untracked(|m| m.as_ref().map_or(0, |m| m.total))
    }

    /// Empty results, filled by asking `client`.
    pub fn new(client: WorkerClient) -> Results {
        Results {
            meta: RwSignal::new(None),
            cache: RwSignal::new(PostCache::default()),
            facets: RwSignal::new(None),
            broader: RwSignal::new(None),
            searching: RwSignal::new(false),
            facets_timer: StoredValue::new(None),
            wanted: StoredValue::new(None),
            client: StoredValue::new(client),
        }
    }

    /// Runs a search. One runs at a time; of those asked for meanwhile only the latest runs next,
    /// and a result superseded by a newer search while it was computed is dropped unshown:
    /// typing fast never queues up work in the worker or renders stale results.
    pub fn search(self, query: String, sort: Sort, time_zone: String, collapse_threads: bool) {
        // The facets of the result shown are not wanted any more.
        self.stop_facets();
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
        // The first request goes out now, not when the task below first runs: a search asked
        // for while the page draws (the first, as an archive opens) is counted meanwhile.
        let mut pending = self.send_wanted(&client);
        spawn_local(async move {
            while let Some(asked) = pending.take() {
                let Some(reply) = asked.await else {
                    // The worker was restarted: this archive is gone, and its view with it.
                    break;
                };
                pending = self.send_wanted(&client);
                if pending.is_some() {
                    // Superseded while it was computed: not shown.
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
                            errors: results.errors,
                            unfinished: results.unfinished,
                            elapsed_ms: results.elapsed_ms,
                        })));
                        // Facets for posts found; for none, which part of the query
                        // empties it.
                        self.ask_facets(client.clone(), results.total == 0);
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

    /// Sends the search wanted, if there is one (taking it).
    fn send_wanted(self, client: &WorkerClient) -> Option<crate::worker_client::Pending> {
        let wanted = self.wanted.try_update_value(Option::take).flatten()?;
        Some(client.request(RequestBody::Search {
            query: wanted.query,
            sort: wanted.sort,
            time_zone: wanted.time_zone,
            limit: FIRST,
            collapse_threads: wanted.collapse_threads,
        }))
    }

    /// Asks for the facets of the result just shown (for an `empty` one, its broader queries
    /// instead), after [`FACETS_DELAY_MS`] unless another search starts first.
    fn ask_facets(self, client: WorkerClient, empty: bool) {
        self.stop_facets();
        let timer = set_timeout_with_handle(
            move || {
                let _ = self.facets_timer.try_set_value(None);
                let ask = if empty {
                    RequestBody::Broader
                } else {
                    RequestBody::Facets
                };
                let reply = client.request(ask);
                spawn_local(async move {
                    // The worker answers of its last search: kept only if that is the one shown.
                    let shown = |search| {
                        self.meta
                            .try_with_untracked(|m| m.as_ref().map(|m| m.search))
                            == Some(Some(search))
                    };
                    match reply.await.map(|r| r.body) {
                        Some(ResponseBody::Facets { search, facets }) if shown(search) => {
                            let _ = self.facets.try_set(Some((search, Arc::new(facets))));
                        }
                        Some(ResponseBody::Broader { search, queries }) if shown(search) => {
                            let _ = self.broader.try_set(Some((search, Arc::new(queries))));
                        }
                        _ => {}
                    }
                });
            },
            std::time::Duration::from_millis(FACETS_DELAY_MS),
        );
        let _ = self.facets_timer.try_set_value(timer.ok());
    }

    /// Forgets a facets request not yet made.
    fn stop_facets(self) {
        if let Some(Some(timer)) = self.facets_timer.try_update_value(Option::take) {
            timer.clear();
        }
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
