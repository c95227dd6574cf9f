//! Running a parsed query: the result set, a sorted page of hits with highlights, facets and
//! statistics.

use crate::bitset::Bitset;
use crate::eval::{positive_terms, slots, Ctx, Pred};
use crate::facets::{Facets, Stats};
use crate::index::Index;
use crate::query::{parse_query, Mode, Parsed, Query, QueryError};
use crate::text::{self, Class};
use crate::tz::{self, TzCols};
use jiff::tz::TimeZone;
use permafrost_model::{Account, Post};
use serde::{Deserialize, Serialize};
use std::sync::Arc;

pub use permafrost_model::Sort;

/// How to run a search.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct SearchOptions {
    /// The order of hits. [`Sort::Newest`] is by publication time, ties by outbox position (later
    /// first), posts without a date counting as the oldest; [`Sort::Oldest`] is the reverse.
    /// [`Sort::Relevance`] is BM25 over the query's words and phrases (k1 = 1.2, b = 0.75, counting
    /// every occurrence in the post's text, content warning, poll options and alt texts), plus the
    /// inverse document frequency of each matched `#tag` and `@mention`; equal scores newest
    /// first. A query without words, tags or mentions sorts newest first.
    pub sort: Sort,
    /// Hits to skip.
    pub offset: usize,
    /// Hits to return at most.
    pub limit: usize,
    /// The IANA time zone for dates, facets and statistics (`Europe/Berlin`); empty or `UTC` for
    /// UTC. An unknown zone is reported in [`SearchResult::errors`] and UTC is used.
    pub tz: String,
    /// Compute [`SearchResult::facets`].
    pub facets: bool,
    /// Compute [`SearchResult::stats`].
    pub stats: bool,
    /// Compute each hit's [`Hit::highlights`]. A caller that ranks every hit but shows a page at a
    /// time turns this off and asks [`highlights`] for the posts it shows: on a large result set
    /// highlighting is most of the cost.
    pub highlights: bool,
}

impl Default for SearchOptions {
    fn default() -> Self {
        SearchOptions {
            sort: Sort::Newest,
            offset: 0,
            limit: 50,
            tz: "UTC".into(),
            facets: true,
            stats: false,
            highlights: true,
        }
    }
}

/// One matching post.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Hit {
    /// The post: its index in [`Account::posts`].
    pub post: u32,
    /// Byte ranges `[start, end)` in the post's [`plain_text`](permafrost_model::RichText::plain_text)
    /// of the matched words, prefixes, phrases, CJK substrings, `#tags` and `@mentions`; sorted,
    /// not overlapping.
    pub highlights: Vec<(u32, u32)>,
}

/// The posts a query matched ([`Index::matched`]), in the index's own terms.
pub struct Matched {
    set: Bitset,
    total: u32,
    cols: Arc<TzCols>,
}

impl Matched {
    /// Number of posts.
    pub fn total(&self) -> u32 {
        self.total
    }
}

/// Parts of a query at most for [`Index::broader`].
pub const BROADER_PARTS: usize = 8;

/// A query that matched nothing, with one part taken out: see [`Index::broader`].
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Broader {
    /// The part taken out, as written (`has:media`, `-(tea OR coffee)`).
    pub without: String,
    /// The query without it: its other parts as written, one space apart.
    pub query: String,
    /// Posts that query matches (never 0).
    pub total: u32,
}

/// What a search returns.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct SearchResult {
    /// Number of matching posts.
    pub total: u32,
    /// The requested page of matching posts.
    pub hits: Vec<Hit>,
    /// Facet counts over all matching posts, when asked for.
    pub facets: Option<Facets>,
    /// Statistics over all matching posts, when asked for.
    pub stats: Option<Stats>,
    /// The query's errors, and any about the options (an unknown time zone).
    pub errors: Vec<QueryError>,
}

impl Index {
    /// The calendar columns of a zone, cached for the last few zones used.
    pub(crate) fn tz_cols(&self, name: &str, tz: &TimeZone) -> Arc<TzCols> {
        let make = || Arc::new(TzCols::new(name, tz, &self.times, self.first_timed));
        let Ok(mut cache) = self.tz_cache.lock() else {
            return make();
        };
        if let Some(pos) = cache.iter().position(|c| c.name == name) {
            let cols = cache.remove(pos);
            cache.insert(0, Arc::clone(&cols));
            return cols;
        }
        let cols = make();
        cache.insert(0, Arc::clone(&cols));
        cache.truncate(4);
        cols
    }

    /// Runs a query: the number of matches, a page of hits (with highlights taken from `account`,
    /// the account the index was built from), and facets and statistics when asked for.
    pub fn search(&self, account: &Account, parsed: &Parsed, opts: &SearchOptions) -> SearchResult {
        let mut errors = parsed.errors.clone();
        let (tz, tz_name) = match tz::resolve(&opts.tz) {
            Ok(tz) => {
                let name = tz.iana_name().unwrap_or("UTC").to_string();
                (tz, name)
            }
            Err(message) => {
                errors.push(QueryError {
                    span: (0, 0),
                    message,
                    suggestion: None,
                });
                (TimeZone::UTC, "UTC".to_string())
            }
        };
        let cols = self.tz_cols(&tz_name, &tz);
        let ctx = Ctx { cols: &cols };
        let set = self.eval(&parsed.query, &ctx);
        let total = set.count();
        let limit = opts.limit;
        let ranks: Vec<u32> = match opts.sort {
            Sort::Newest => set.iter_rev().skip(opts.offset).take(limit).collect(),
            Sort::Oldest => set.iter().skip(opts.offset).take(limit).collect(),
            Sort::Relevance => {
                let all: Vec<u32> = set.iter().collect();
                let scores = self.scores(&parsed.query, &ctx, &all);
                let mut order: Vec<(f32, u32)> = scores.into_iter().zip(all).collect();
                let cmp = |a: &(f32, u32), b: &(f32, u32)| b.0.total_cmp(&a.0).then(b.1.cmp(&a.1));
                let want = opts.offset.saturating_add(limit);
                if want > 0 && want < order.len() {
                    order.select_nth_unstable_by(want - 1, cmp);
                    order.truncate(want);
                }
                order.sort_by(cmp);
                order
                    .into_iter()
                    .skip(opts.offset)
                    .take(limit)
                    .map(|(_, r)| r)
                    .collect()
            }
        };
        let hits = ranks
            .into_iter()
            .map(|r| {
                let post = self.post_of(r);
                Hit {
                    post,
                    highlights: match account.posts.get(post as usize) {
                        Some(p) if opts.highlights => highlights(p, &parsed.query),
                        _ => Vec::new(),
                    },
                }
            })
            .collect();
        SearchResult {
            total,
            hits,
            facets: opts.facets.then(|| self.facets(&set, total, &cols)),
            stats: opts.stats.then(|| self.stats(&set, total, &cols)),
            errors,
        }
    }

    /// The posts a query matches, evaluated once: kept to list them in either order and to
    /// count their facets later ([`Index::facets_of`]), the same counts as
    /// [`Index::search`]'s with `facets`. Its time zone is `tz` (UTC when unknown: the caller
    /// reports that, see [`crate::time_zone_error`]).
    pub fn matched(&self, parsed: &Parsed, tz: &str) -> Matched {
        let zone = tz::resolve(tz).unwrap_or(TimeZone::UTC);
        let name = zone.iana_name().unwrap_or("UTC").to_string();
        let cols = self.tz_cols(&name, &zone);
        let set = self.eval(&parsed.query, &Ctx { cols: &cols });
        Matched {
            total: set.count(),
            set,
            cols,
        }
    }

    /// For a query that matches nothing, what it matches with one of its parts taken out
    /// ([`crate::query_parts`]): which part empties it. One [`Broader`] per part whose removal
    /// matches something, in the query's order; none for a query of one part, or of more than
    /// [`BROADER_PARTS`] (each part is a search of its own). The rest is read as `mode` says,
    /// as the query was.
    pub fn broader(&self, text: &str, mode: Mode, tz: &str) -> Vec<Broader> {
        let parts = crate::query_parts(text);
        if parts.len() < 2 || parts.len() > BROADER_PARTS {
            return Vec::new();
        }
        (0..parts.len())
            .filter_map(|i| {
                let rest: Vec<&str> = parts
                    .iter()
                    .enumerate()
                    .filter(|&(j, _)| j != i)
                    .map(|(_, part)| *part)
                    .collect();
                let query = rest.join(" ");
                let total = self.matched(&parse_query(&query, mode), tz).total;
                (total > 0).then(|| Broader {
                    without: parts[i].to_string(),
                    query,
                    total,
                })
            })
            .collect()
    }

    /// The ids of the posts of `matched`, newest first (posts without a date last).
    pub fn newest_first(&self, matched: &Matched) -> Vec<u32> {
        matched.set.iter_rev().map(|r| self.post_of(r)).collect()
    }

    /// The facet counts of the posts of `matched`.
    pub fn facets_of(&self, matched: &Matched) -> Facets {
        self.facets(&matched.set, matched.total, &matched.cols)
    }

    /// The ids of all posts matching a query, newest first.
    pub fn matching(&self, parsed: &Parsed, tz: &str) -> Vec<u32> {
        let zone = tz::resolve(tz).unwrap_or(TimeZone::UTC);
        let name = zone.iana_name().unwrap_or("UTC").to_string();
        let cols = self.tz_cols(&name, &zone);
        let set = self.eval(&parsed.query, &Ctx { cols: &cols });
        set.iter_rev().map(|r| self.post_of(r)).collect()
    }

    /// The local month (`2023-05`) of each post in a zone (UTC when the zone is unknown), `None`
    /// for a post without a date or an unknown post: the month that `during:` and the statistics
    /// put it in, from the same calendar columns.
    pub fn local_months(&self, posts: &[u32], tz: &str) -> Vec<Option<String>> {
        let zone = tz::resolve(tz).unwrap_or(TimeZone::UTC);
        let name = zone.iana_name().unwrap_or("UTC").to_string();
        let cols = self.tz_cols(&name, &zone);
        posts
            .iter()
            .map(|&post| {
                let rank = self.rank_of(post)?;
                let day = cols.day.get(rank as usize).copied()?;
                (day != i32::MIN).then(|| tz::month_key(tz::month_index(day)))
            })
            .collect()
    }
}

/// The highlight ranges of a query in a post's plain text.
pub fn highlights(post: &Post, query: &Query) -> Vec<(u32, u32)> {
    let mut texts = Vec::new();
    let mut others = Vec::new();
    positive_terms(query, &mut texts, &mut others);
    if texts.is_empty() && others.is_empty() {
        return Vec::new();
    }
    let plain = post.content.plain_text();
    let mut ranges: Vec<(usize, usize)> = Vec::new();
    if !texts.is_empty() {
        // Each token: its folded text (a range of `terms`), its byte range, and run start.
        let mut terms = String::new();
        let mut tokens: Vec<(usize, usize, usize, usize, bool)> = Vec::new();
        let mut buf = String::new();
        text::tokenize(&plain, &mut buf, &mut |t| {
            let at = terms.len();
            terms.push_str(t.text);
            tokens.push((at, terms.len(), t.start, t.end, t.run_start))
        });
        let term = |tok: &(usize, usize, usize, usize, bool)| terms.get(tok.0..tok.1).unwrap_or("");
        for t in texts {
            let slots = slots(t);
            let k = slots.len();
            if k == 0 || tokens.len() < k {
                continue;
            }
            for i in 0..=tokens.len() - k {
                let window = tokens.get(i..i + k).unwrap_or(&[]);
                let ok = slots.iter().zip(window).all(|(s, tok)| {
                    s.pred.matches(term(tok)) && (!s.run_start || tok.4) && !(s.inside_run && tok.4)
                });
                if !ok {
                    continue;
                }
                let (Some(first), Some(last)) = (window.first(), window.last()) else {
                    continue;
                };
                // A lone CJK character: each place it occurs in the bigram (both, in `東東`).
                if let (1, Some(Pred::Contains(c))) = (k, slots.first().map(|s| &s.pred)) {
                    let src = plain.get(first.2..first.3).unwrap_or("");
                    ranges.extend(
                        src.match_indices(c.as_str())
                            .map(|(at, _)| (first.2 + at, first.2 + at + c.len())),
                    );
                    continue;
                }
                let (mut start, mut end) = (first.2, last.3);
                // A single CJK character first in a phrase ends its run: narrow to the character.
                if let (Some(s), Some(tok)) = (slots.first(), window.first()) {
                    if let Pred::Suffix(c) = &s.pred {
                        let src = plain.get(tok.2..tok.3).unwrap_or("");
                        if let Some(at) = src.rfind(c.as_str()) {
                            start = tok.2 + at;
                        }
                    }
                }
                if let (Some(s), Some(tok)) = (slots.last(), window.last()) {
                    if let Pred::Prefix(c) = &s.pred {
                        if s.run_start && k > 1 {
                            end = tok.2 + c.len();
                        }
                    }
                }
                ranges.push((start, end));
            }
        }
    }
    for q in others {
        let (sigil, want, prefix) = match q {
            Query::Tag { name, prefix } => ('#', name.as_str(), *prefix),
            Query::Mention { acct, prefix } => ('@', acct.as_str(), *prefix),
            _ => continue,
        };
        for (i, c) in plain.char_indices() {
            if c != sigil {
                continue;
            }
            let rest = plain.get(i + 1..).unwrap_or("");
            let len = rest
                .char_indices()
                .find(|&(_, c)| {
                    let word = matches!(text::classify(c), Class::Word | Class::Cjk) || c == '_';
                    let extra = sigil == '@' && matches!(c, '.' | '-' | '@');
                    !(word || extra)
                })
                .map_or(rest.len(), |(j, _)| j);
            let found = rest
                .get(..len)
                .unwrap_or("")
                .trim_end_matches(['.', '-', '@']);
            let found_lower = found.to_lowercase();
            let ok = if sigil == '#' {
                if prefix {
                    found_lower.starts_with(want)
                } else {
                    found_lower == want
                }
            } else if prefix {
                found_lower.starts_with(want)
            } else {
                found_lower == want
                    || found_lower.starts_with(&format!("{want}@"))
                    || want.starts_with(&format!("{found_lower}@"))
            };
            if ok && !found.is_empty() {
                ranges.push((i, i + 1 + found.len()));
            }
        }
    }
    ranges.sort_unstable();
    let mut merged: Vec<(u32, u32)> = Vec::new();
    for (s, e) in ranges {
        let (s, e) = (s as u32, e as u32);
        match merged.last_mut() {
            Some(last) if s <= last.1 => last.1 = last.1.max(e),
            _ => merged.push((s, e)),
        }
    }
    merged
}
