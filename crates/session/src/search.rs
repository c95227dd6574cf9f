//! Search over the open archive with `permafrost-index`, shaped for the page: every matching post
//! in order (the page scrolls through them), facets as query terms, errors as lines.

use permafrost_index::{
    parse_query, FacetCount, Facets, HasFilter, Index, Matched, Mode, Parsed, Query, QueryError,
    SearchOptions, Tokenized,
};
use permafrost_model::{Account, Message};
use permafrost_protocol::{AltMonth, BroaderQuery, FacetGroup, FacetValue, Sort, StatsView};

/// What a search found.
pub(crate) struct Found {
    /// Matching posts, in the requested order.
    pub(crate) hits: Vec<u32>,
    /// Facet counts over the matches.
    pub(crate) facets: Vec<FacetGroup>,
    /// Problems with the query.
    pub(crate) errors: Vec<Message>,
    /// What the last word would be told were it finished ([`Results::unfinished`]).
    ///
    /// [`Results::unfinished`]: permafrost_protocol::Results::unfinished
    pub(crate) unfinished: Vec<Message>,
}

/// True when the query filters on favourite or boost counts.
fn uses_counts(query: &Query) -> bool {
    match query {
        Query::Count { .. } => true,
        Query::And(parts) | Query::Or(parts) => parts.iter().any(uses_counts),
        Query::Not(inner) => uses_counts(inner),
        _ => false,
    }
}

/// The search index of an archive, and the last query (for highlights) with its matching
/// posts (for their facets, asked for after the count: [`Searcher::facets`]).
pub(crate) struct Searcher {
    /// Some post carries a favourite or boost count (archives from Mastodon 4.3 on).
    has_counts: bool,
    index: Index,
    /// The last search (none before the first).
    last: Option<Last>,
}

/// A search as [`Searcher::search`] ran it: what the later requests about it read.
struct Last {
    /// The query, for the highlights of its posts.
    parsed: Parsed,
    /// Its matching posts, for their facets.
    matched: Matched,
    /// Its text and time zone, for [`Searcher::broader`].
    text: String,
    time_zone: String,
}

impl Searcher {
    /// Indexes an account whose posts' text is tokenized elsewhere: `text` is asked for it once
    /// the rest of the index is built (see [`Index::build_then_with`]), and whose self-reply
    /// parents are found already (`views::Parents::self_reply_parents`).
    pub(crate) fn build_then(
        account: &Account,
        self_reply_parents: Vec<u32>,
        text: impl FnOnce() -> Option<Tokenized>,
    ) -> Searcher {
        let index = Index::build_then_with(account, self_reply_parents, text);
        Searcher::with_index(account, index)
    }

    /// A searcher over an index read back from a snapshot.
    pub(crate) fn with_index(account: &Account, index: Index) -> Searcher {
        Searcher {
            has_counts: account
                .posts
                .iter()
                .any(|p| p.likes.is_some() || p.shares.is_some()),
            index,
            last: None,
        }
    }

    /// Runs a query, read as typed (the last word is a prefix), with its facets when `facets`
    /// is set (else [`Searcher::facets`] counts them later).
    pub(crate) fn search(
        &mut self,
        account: &Account,
        query: &str,
        sort: Sort,
        time_zone: &str,
        facets: bool,
    ) -> Found {
        let parsed = parse_query(query, Mode::Typing);
        // The query is evaluated once: its matching posts give the hits in date order, and
        // are kept for the facets.
        let matched = self.index.matched(&parsed, time_zone);
        let hits = match sort {
            Sort::Relevance => {
                // Relevance needs the ranking of every hit. Highlights are computed per shown
                // post (`highlights` below), not for every hit.
                let options = SearchOptions {
                    sort,
                    offset: 0,
                    limit: usize::MAX,
                    tz: time_zone.to_string(),
                    facets: false,
                    stats: false,
                    highlights: false,
                };
                let result = self.index.search(account, &parsed, &options);
                result.hits.iter().map(|h| h.post).collect()
            }
            Sort::Newest => self.index.newest_first(&matched),
            Sort::Oldest => {
                let mut ids = self.index.newest_first(&matched);
                ids.reverse();
                ids
            }
        };
        let errors = self.errors(&parsed, &zone_errors(&parsed, time_zone));
        let unfinished = unfinished(query, &parsed);
        let facets = if facets {
            facet_groups(self.index.facets_of(&matched))
        } else {
            Vec::new()
        };
        self.last = Some(Last {
            parsed,
            matched,
            text: query.to_string(),
            time_zone: time_zone.to_string(),
        });
        Found {
            hits,
            facets,
            errors,
            unfinished,
        }
    }

    /// The facet counts of the last search's matching posts (none before the first search).
    pub(crate) fn facets(&self) -> Vec<FacetGroup> {
        self.last
            .as_ref()
            .map(|last| facet_groups(self.index.facets_of(&last.matched)))
            .unwrap_or_default()
    }

    /// When the last search matched nothing, what its query matches with each of its parts
    /// taken out, read as typed as it was (see [`Index::broader`]); else nothing.
    pub(crate) fn broader(&self) -> Vec<BroaderQuery> {
        let Some(last) = self.last.as_ref().filter(|last| last.matched.total() == 0) else {
            return Vec::new();
        };
        self.index
            .broader(&last.text, Mode::Typing, &last.time_zone)
            .into_iter()
            .map(|b| BroaderQuery {
                without: b.without,
                query: b.query,
                total: b.total,
            })
            .collect()
    }

    /// A query's mistakes, one line each, and a note when it asks about favourite or boost
    /// counts that this archive does not have.
    fn errors(&self, parsed: &Parsed, found: &[QueryError]) -> Vec<Message> {
        let mut errors: Vec<Message> = found.iter().map(QueryError::to_message).collect();
        if uses_counts(&parsed.query) && !self.has_counts {
            errors.push(crate::messages::NO_COUNTS.message());
        }
        errors
    }

    /// The Statistics view's numbers for a query (read as typed, as the timeline reads it),
    /// without touching the last search.
    pub(crate) fn stats(&self, account: &Account, query: &str, time_zone: &str) -> StatsView {
        let parsed = parse_query(query, Mode::Typing);
        let options = SearchOptions {
            sort: Sort::Newest,
            offset: 0,
            limit: 0,
            tz: time_zone.to_string(),
            facets: true,
            stats: true,
            highlights: false,
        };
        let result = self.index.search(account, &parsed, &options);
        let errors = self.errors(&parsed, &result.errors);
        let stats = result.stats.unwrap_or_default();
        let values = |counts: &[FacetCount], key: &str| -> Vec<FacetValue> {
            counts
                .iter()
                .map(|c| FacetValue {
                    label: c.value.clone(),
                    term: format!("{key}:{}", c.value),
                    count: c.count,
                })
                .collect()
        };
        let mut groups = result.facets.map(facet_groups).unwrap_or_default();
        groups.push(group(
            "boosted",
            "Accounts you boosted",
            &stats.top_boosted,
            |v| format!("boosted:{v}"),
            |v| v.to_string(),
        ));
        StatsView {
            total: result.total,
            per_month: values(&stats.per_month, "during"),
            per_day: values(&stats.per_day, "on"),
            punchcard: stats.punchcard.iter().flatten().copied().collect(),
            groups,
            alt_text: stats
                .alt_text
                .iter()
                .map(|a| AltMonth {
                    month: a.month.clone(),
                    attachments: a.attachments,
                    described: a.described,
                })
                .collect(),
            errors,
        }
    }

    /// The posts a parsed query matches, newest first (posts without a date last), and its
    /// error lines, an unknown time zone (read as UTC) among them as [`Searcher::search`] and
    /// [`Searcher::stats`] report it.
    fn matched(&self, parsed: &Parsed, time_zone: &str) -> (Vec<u32>, Vec<Message>) {
        let ids = self.index.matching(parsed, time_zone);
        (ids, self.errors(parsed, &zone_errors(parsed, time_zone)))
    }

    /// The posts with attachments that a query matches, newest first (posts without a date
    /// last), and the query's error lines; the last search is left alone (the media library).
    pub(crate) fn media_posts(
        &self,
        query: &str,
        mode: Mode,
        time_zone: &str,
    ) -> (Vec<u32>, Vec<Message>) {
        let mut parsed = parse_query(query, mode);
        // The index narrows to posts with media with its own bitset, which is what `has:media`
        // counts, so the library and a search with `has:media` added cannot disagree.
        let query = std::mem::replace(&mut parsed.query, Query::All);
        parsed.query = Query::And(vec![query, Query::Has(HasFilter::Media)]);
        self.matched(&parsed, time_zone)
    }

    /// The posts matching a query, in order, without touching the last search (exports).
    pub(crate) fn select(
        &self,
        account: &Account,
        query: &str,
        mode: Mode,
        sort: Sort,
        time_zone: &str,
    ) -> Vec<u32> {
        let parsed = parse_query(query, mode);
        if sort == Sort::Relevance {
            let options = SearchOptions {
                sort,
                offset: 0,
                limit: usize::MAX,
                tz: time_zone.to_string(),
                facets: false,
                stats: false,
                highlights: false,
            };
            let result = self.index.search(account, &parsed, &options);
            return result.hits.iter().map(|h| h.post).collect();
        }
        let mut ids = self.index.matching(&parsed, time_zone);
        if sort == Sort::Oldest {
            ids.reverse();
        }
        ids
    }

    /// The posts a query matches (read as typed, as the timeline reads it), newest first, and
    /// its problems as lines, without touching the last search (the People view's counts).
    pub(crate) fn matching(&self, query: &str, time_zone: &str) -> (Vec<u32>, Vec<Message>) {
        self.matched(&parse_query(query, Mode::Typing), time_zone)
    }

    /// The index (threads, for Markdown exports).
    pub(crate) fn index(&self) -> &Index {
        &self.index
    }

    /// The pieces of a post's text the last query matched.
    pub(crate) fn highlights(&self, account: &Account, post: u32) -> Vec<String> {
        let (Some(last), Some(p)) = (&self.last, account.posts.get(post as usize)) else {
            return Vec::new();
        };
        let ranges = permafrost_index::highlights(p, &last.parsed.query);
        if ranges.is_empty() {
            return Vec::new();
        }
        let text = p.content.plain_text();
        let mut out: Vec<String> = Vec::new();
        for (start, end) in ranges {
            if let Some(piece) = text.get(start as usize..end as usize) {
                if !out.iter().any(|o| o == piece) {
                    out.push(piece.to_string());
                }
            }
        }
        out
    }
}

/// A query's mistakes and an unknown time zone (read as UTC), as [`Index::search`] reports them.
/// The mistakes a query read as typed does not tell of yet, as it would tell them once its last
/// word is finished: those the same query read as finished finds and `typed` does not.
/// (A space after the last word finishes it, but not a phrase still open: `"an open `.)
fn unfinished(query: &str, typed: &Parsed) -> Vec<Message> {
    parse_query(query, Mode::Exact)
        .errors
        .iter()
        .filter(|e| !typed.errors.contains(e))
        .map(QueryError::to_message)
        .collect()
}

fn zone_errors(parsed: &Parsed, time_zone: &str) -> Vec<QueryError> {
    let mut found = parsed.errors.clone();
    if let Some(message) = permafrost_index::time_zone_error(time_zone) {
        found.push(QueryError {
            span: (0, 0),
            message,
            suggestion: None,
        });
    }
    found
}

fn group(
    key: &str,
    label: &str,
    counts: &[FacetCount],
    term: impl Fn(&str) -> String,
    name: impl Fn(&str) -> String,
) -> FacetGroup {
    FacetGroup {
        key: key.into(),
        label: label.into(),
        values: counts
            .iter()
            .filter(|c| c.count > 0)
            .map(|c| FacetValue {
                label: name(&c.value),
                term: term(&c.value),
                count: c.count,
            })
            .collect(),
    }
}

fn facet_groups(f: Facets) -> Vec<FacetGroup> {
    let same = |v: &str| v.to_string();
    let mut years = f.years;
    years.reverse();
    let mut months = f.months;
    months.reverse();
    let mut groups = Vec::new();
    if !f.accounts.is_empty() {
        groups.push(group(
            "account",
            "Account",
            &f.accounts,
            |v| format!("account:{v}"),
            |v| format!("@{v}"),
        ));
    }
    groups.extend([
        group("year", "Year", &years, |v| format!("during:{v}"), same),
        group("month", "Month", &months, |v| format!("during:{v}"), same),
        group("type", "Type", &f.kinds, |v| format!("is:{v}"), kind_label),
        group(
            "visibility",
            "Visibility",
            &f.visibility,
            |v| format!("visibility:{v}"),
            visibility_label,
        ),
        group(
            "media",
            "Media",
            &f.media,
            |v| format!("has:{v}"),
            media_label,
        ),
        group(
            "cw",
            "Content warning",
            &f.content_warning,
            |v| {
                if v == "with" {
                    "has:cw".into()
                } else {
                    "-has:cw".into()
                }
            },
            |v| {
                if v == "with" {
                    "With a warning".into()
                } else {
                    "Without".into()
                }
            },
        ),
        group(
            "language",
            "Language",
            &f.languages,
            |v| format!("lang:{v}"),
            same,
        ),
        group(
            "hashtag",
            "Hashtags",
            &f.hashtags,
            |v| format!("#{v}"),
            |v| format!("#{v}"),
        ),
        group(
            "mention",
            "Mentions",
            &f.mentions,
            |v| format!("@{v}"),
            |v| format!("@{v}"),
        ),
        group(
            "domain",
            "Linked sites",
            &f.domains,
            |v| format!("domain:{v}"),
            same,
        ),
    ]);
    groups
}

fn kind_label(v: &str) -> String {
    match v {
        "original" => "Your posts",
        "boost" => "Boosts",
        "reply" => "Replies",
        "self-reply" => "Replies to yourself",
        "thread" => "In a thread",
        "edited" => "Edited",
        "sensitive" => "Sensitive",
        "poll" => "Polls",
        "quote" => "Quotes",
        other => other,
    }
    .into()
}

fn visibility_label(v: &str) -> String {
    match v {
        "public" => "Public",
        "unlisted" => "Unlisted",
        "followers" => "Followers only",
        "direct" => "Private mentions",
        other => other,
    }
    .into()
}

fn media_label(v: &str) -> String {
    match v {
        "image" => "Images",
        "gif" => "GIFs",
        "video" => "Videos",
        "audio" => "Audio",
        "other" => "Other files",
        other => other,
    }
    .into()
}
