//! A deliberately naive evaluator of [`Query`]s: it looks at every post, folds its text afresh and
//! checks each term by linear search. It shares only the definition of a word (character classes
//! and folding) with the index, none of its data structures, and computes highlights, the top-N
//! of facets and the hosts of links its own way, so that the differential tests also check the
//! index's versions of those.
//!
//! It is the reference the differential tests compare the index with, and the baseline of the
//! benchmark ("a linear scan that lowercases each post's text and checks the terms"). Behind the
//! `oracle` Cargo feature: production code does not need it.

use crate::facets::{AltCoverage, FacetCount, Facets, Stats, TOP};
use crate::index::MEDIA_KINDS;
use crate::query::{
    visibility_name, CountField, DateOp, DateSpec, HasFilter, IsFilter, Parsed, Query,
};
use crate::search::{Hit, SearchOptions, SearchResult, Sort};
use crate::text::{classify, fold_char, Class, Piece};
use crate::QueryError;
use jiff::tz::TimeZone;
use permafrost_model::time::civil_from_days;
use permafrost_model::{Account, Inline, MediaKind, Post, PostKind, Visibility};
use std::collections::{BTreeMap, HashMap};

/// A token of a post as the oracle sees it: a folded word, a whole CJK run, or a field boundary.
#[derive(Clone, Debug, PartialEq, Eq)]
enum Tok {
    Word(String),
    Cjk(String),
}

/// A token with where it is in its text: the byte range of the run (a word's ignorable characters,
/// such as a soft hyphen, belong to the word they follow).
struct Spanned {
    tok: Tok,
    start: usize,
    end: usize,
}

/// Splits one field into words (an emoji is one) and CJK runs, character by character, with their
/// byte ranges.
fn split_spans(text: &str) -> Vec<Spanned> {
    let mut out = Vec::new();
    // The run being read: its folded word or its CJK characters, and where it started and ends.
    let mut word = String::new();
    let mut cjk = String::new();
    let (mut start, mut end) = (0, 0);
    for (i, c) in text.char_indices() {
        let class = classify(c);
        if class != Class::Word && class != Class::Ignore && !word.is_empty() {
            let tok = Tok::Word(std::mem::take(&mut word));
            out.push(Spanned { tok, start, end });
        }
        if class == Class::Ignore && !word.is_empty() {
            end = i + c.len_utf8();
            continue;
        }
        if class != Class::Cjk && !cjk.is_empty() {
            let tok = Tok::Cjk(std::mem::take(&mut cjk));
            out.push(Spanned { tok, start, end });
        }
        match class {
            Class::Word => {
                if word.is_empty() {
                    start = i;
                }
                fold_char(c, &mut word);
                end = i + c.len_utf8();
            }
            Class::Cjk => {
                if cjk.is_empty() {
                    start = i;
                }
                cjk.push(c);
                end = i + c.len_utf8();
            }
            // A word of its own.
            Class::Emoji => out.push(Spanned {
                tok: Tok::Word(c.to_string()),
                start: i,
                end: i + c.len_utf8(),
            }),
            Class::Sep | Class::Ignore => {}
        }
    }
    if !word.is_empty() {
        out.push(Spanned {
            tok: Tok::Word(word),
            start,
            end,
        });
    }
    if !cjk.is_empty() {
        out.push(Spanned {
            tok: Tok::Cjk(cjk),
            start,
            end,
        });
    }
    out
}

/// Splits one field into words and CJK runs.
fn split(text: &str, out: &mut Vec<Tok>) {
    out.extend(split_spans(text).into_iter().map(|s| s.tok));
}

/// The searchable fields of a post, each as tokens.
fn fields(post: &Post) -> Vec<Vec<Tok>> {
    let mut texts: Vec<String> = vec![post.content.plain_text()];
    if let Some(cw) = post.content_warning.as_deref() {
        if !cw.trim().is_empty() {
            texts.push(cw.to_string());
        }
    }
    if let Some(poll) = &post.poll {
        texts.extend(poll.options.iter().map(|o| o.name.to_string()));
    }
    texts.extend(
        post.attachments
            .iter()
            .filter_map(|a| a.alt.as_deref().map(str::to_string)),
    );
    texts
        .iter()
        .map(|t| {
            let mut v = Vec::new();
            split(t, &mut v);
            v
        })
        .collect()
}

/// Does the token fill piece `j` of `k` (first pieces end their CJK run, last ones start it, middle
/// ones are the whole run; a lone piece is any substring)?
fn piece_matches(piece: &Piece, tok: &Tok, j: usize, k: usize, prefix: bool) -> bool {
    match (piece, tok) {
        (Piece::Word(w), Tok::Word(t)) => {
            if prefix && j + 1 == k {
                t.starts_with(w.as_str())
            } else {
                t == w
            }
        }
        (Piece::Cjk(q), Tok::Cjk(run)) => match (j == 0, j + 1 == k) {
            (true, true) => run.contains(q.as_str()),
            (true, false) => run.ends_with(q.as_str()),
            (false, true) => run.starts_with(q.as_str()),
            (false, false) => run == q,
        },
        _ => false,
    }
}

fn text_matches(fields: &[Vec<Tok>], pieces: &[Piece], prefix: bool) -> bool {
    let k = pieces.len();
    if k == 0 {
        return false;
    }
    fields.iter().any(|toks| {
        toks.windows(k).any(|w| {
            pieces
                .iter()
                .zip(w)
                .enumerate()
                .all(|(j, (p, t))| piece_matches(p, t, j, k, prefix))
        })
    })
}

/// The highlight ranges of a query in a post's plain text, as [`crate::highlights`] gives them,
/// found naively: every window of runs is tried against every positive word or phrase (one not
/// under a `-`), every `#` and `@` in the text against every positive tag and mention; the ranges
/// are then sorted and overlapping or touching ones merged.
pub fn highlights(post: &Post, query: &Query) -> Vec<(u32, u32)> {
    fn positive<'q>(q: &'q Query, out: &mut Vec<&'q Query>) {
        match q {
            Query::And(items) | Query::Or(items) => items.iter().for_each(|q| positive(q, out)),
            Query::Text(_) | Query::Tag { .. } | Query::Mention { .. } => out.push(q),
            _ => {}
        }
    }
    let mut terms = Vec::new();
    positive(query, &mut terms);
    if terms.is_empty() {
        return Vec::new();
    }
    let plain = post.content.plain_text();
    let runs = split_spans(&plain);
    let mut ranges: Vec<(usize, usize)> = Vec::new();
    for term in terms {
        match term {
            Query::Text(t) => text_ranges(&runs, &t.pieces, t.prefix, &mut ranges),
            Query::Tag { name, prefix } => sigil_ranges(&plain, '#', &mut ranges, |found| {
                if *prefix {
                    found.starts_with(name.as_str())
                } else {
                    found == name
                }
            }),
            Query::Mention { acct, prefix } => sigil_ranges(&plain, '@', &mut ranges, |found| {
                // `@alice` in the text is any alice when the query names a server, and the
                // query `@alice` highlights `@alice@example.org`.
                if *prefix {
                    found.starts_with(acct.as_str())
                } else {
                    found == acct
                        || found.split_once('@').is_some_and(|(user, _)| user == acct)
                        || acct.split_once('@').is_some_and(|(user, _)| user == found)
                }
            }),
            _ => {}
        }
    }
    ranges.sort_unstable();
    let mut merged: Vec<(u32, u32)> = Vec::new();
    for (start, end) in ranges {
        let (start, end) = (start as u32, end as u32);
        if let Some(last) = merged.last_mut() {
            if start <= last.1 {
                last.1 = last.1.max(end);
                continue;
            }
        }
        merged.push((start, end));
    }
    merged
}

/// The ranges of a word or phrase: each window of runs it matches, from where the first piece
/// starts to where the last one ends (a CJK piece can be part of a run).
fn text_ranges(runs: &[Spanned], pieces: &[Piece], prefix: bool, out: &mut Vec<(usize, usize)>) {
    let k = pieces.len();
    if k == 0 || runs.len() < k {
        return;
    }
    for window in runs.windows(k) {
        let all = pieces
            .iter()
            .zip(window)
            .enumerate()
            .all(|(j, (p, run))| piece_matches(p, &run.tok, j, k, prefix));
        if !all {
            continue;
        }
        let (Some(first), Some(last), Some(p0), Some(pk)) =
            (window.first(), window.last(), pieces.first(), pieces.last())
        else {
            continue;
        };
        if k == 1 {
            match (p0, &first.tok) {
                // A lone CJK piece: every place it occurs in the run.
                (Piece::Cjk(q), Tok::Cjk(run)) => {
                    for (at, _) in run.char_indices() {
                        if run
                            .get(at..)
                            .is_some_and(|rest| rest.starts_with(q.as_str()))
                        {
                            out.push((first.start + at, first.start + at + q.len()));
                        }
                    }
                }
                _ => out.push((first.start, first.end)),
            }
            continue;
        }
        // The first piece ends its run and the last starts its run.
        let start = match p0 {
            Piece::Cjk(q) => first.end - q.len(),
            Piece::Word(_) => first.start,
        };
        let end = match pk {
            Piece::Cjk(q) => last.start + q.len(),
            Piece::Word(_) => last.end,
        };
        out.push((start, end));
    }
}

/// The ranges of the `#tags` or `@mentions` written in a text that `wanted` accepts (given the
/// name lowercased): from the sigil to the end of the name, which is made of letters, digits,
/// marks, CJK and `_` (and for a mention `.`, `-` and `@`, though not at its end).
fn sigil_ranges(
    text: &str,
    sigil: char,
    out: &mut Vec<(usize, usize)>,
    wanted: impl Fn(&str) -> bool,
) {
    let chars: Vec<(usize, char)> = text.char_indices().collect();
    for (n, &(at, c)) in chars.iter().enumerate() {
        if c != sigil {
            continue;
        }
        let mut name = String::new();
        for &(_, c) in chars.iter().skip(n + 1) {
            let part = matches!(classify(c), Class::Word | Class::Cjk)
                || c == '_'
                || (sigil == '@' && matches!(c, '.' | '-' | '@'));
            if !part {
                break;
            }
            name.push(c);
        }
        while name.ends_with(['.', '-', '@']) {
            name.pop();
        }
        if !name.is_empty() && wanted(&name.to_lowercase()) {
            out.push((at, at + sigil.len_utf8() + name.len()));
        }
    }
}

/// Precomputed facts about the archive that a post's filters need (its self-reply parent).
struct Context<'a> {
    account: &'a Account,
    parent: Vec<Option<usize>>,
    has_child: Vec<bool>,
    /// A label per post shared by the posts linked by self-replies (a chain, found as a
    /// connected group rather than by walking to a root as the index does).
    chain: Vec<usize>,
    tz: TimeZone,
    /// Account URI to `user@host`, from mentions (the first wins) and the actor (which wins).
    handles: HashMap<String, String>,
}

impl<'a> Context<'a> {
    fn new(account: &'a Account, tz: TimeZone) -> Context<'a> {
        let mut ids: HashMap<&str, usize> = HashMap::new();
        for (i, p) in account.posts.iter().enumerate() {
            if p.kind == PostKind::Original && !p.id.is_empty() {
                ids.entry(&*p.id).or_insert(i);
            }
        }
        let parent: Vec<Option<usize>> = account
            .posts
            .iter()
            .enumerate()
            .map(|(i, p)| {
                if p.kind != PostKind::Original {
                    return None;
                }
                let target = p.in_reply_to.as_deref()?;
                ids.get(target).copied().filter(|&q| q != i)
            })
            .collect();
        // Union-find over the reply links: posts joined by a reply are in one chain.
        let mut chain: Vec<usize> = (0..account.posts.len()).collect();
        fn find(chain: &mut [usize], mut x: usize) -> usize {
            while chain[x] != x {
                chain[x] = chain[chain[x]];
                x = chain[x];
            }
            x
        }
        for (i, p) in parent.iter().enumerate() {
            if let Some(q) = *p {
                let (a, b) = (find(&mut chain, i), find(&mut chain, q));
                chain[a] = b;
            }
        }
        for i in 0..chain.len() {
            chain[i] = find(&mut chain, i);
        }
        let mut has_child = vec![false; account.posts.len()];
        for q in parent.iter().flatten() {
            if let Some(h) = has_child.get_mut(*q) {
                *h = true;
            }
        }
        let mut handles = HashMap::new();
        for m in account.posts.iter().flat_map(|p| &p.mentions) {
            let acct = account.strings.resolve(m.acct).to_lowercase();
            if let Some(href) = m.href.as_deref().filter(|_| acct.contains('@')) {
                handles.entry(href.to_string()).or_insert(acct);
            }
        }
        if let Some(actor) = account.actor.as_ref().filter(|a| a.handle.contains('@')) {
            if !actor.id.is_empty() {
                handles.insert(actor.id.clone(), actor.handle.to_lowercase());
            }
        }
        Context {
            account,
            parent,
            has_child,
            chain,
            tz,
            handles,
        }
    }

    /// The boosted account of a boost, named as `boosted:` names it.
    fn boosted(&self, post: &Post) -> Option<String> {
        if post.kind != PostKind::Boost {
            return None;
        }
        let uri = self.account.strings.resolve(post.boosted_account?);
        if uri.is_empty() {
            return None;
        }
        if let Some(h) = self.handles.get(uri) {
            return Some(h.clone());
        }
        let lower = uri.to_lowercase();
        let rest = lower
            .strip_prefix("https://")
            .or_else(|| lower.strip_prefix("http://"))
            .unwrap_or(&lower);
        Some(rest.trim_end_matches('/').to_string())
    }

    /// The local (year, month, day, hour, weekday 0 = Monday, day number) of a post.
    fn local(&self, post: &Post) -> Option<(i64, i64, i64, u32, usize, i64)> {
        let t = post.published?;
        let ts = jiff::Timestamp::from_second(t).ok()?;
        let local = t + i64::from(self.tz.to_offset(ts).seconds());
        let day = local.div_euclid(86_400);
        let (y, m, d) = civil_from_days(day);
        let hour = (local.rem_euclid(86_400) / 3600) as u32;
        let weekday = (day + 3).rem_euclid(7) as usize;
        Some((y, m, d, hour, weekday, day))
    }

    fn matches(
        &self,
        i: usize,
        post: &Post,
        q: &Query,
        fields: &mut Option<Vec<Vec<Tok>>>,
    ) -> bool {
        let strings = &self.account.strings;
        match q {
            Query::All => true,
            Query::And(items) => items.iter().all(|q| self.matches(i, post, q, fields)),
            Query::Or(items) => items.iter().any(|q| self.matches(i, post, q, fields)),
            Query::Not(q) => !self.matches(i, post, q, fields),
            Query::Text(t) => {
                let f = fields.get_or_insert_with(|| self::fields(post));
                text_matches(f, &t.pieces, t.prefix)
            }
            Query::Tag { name, prefix } => post.hashtags.iter().any(|&h| {
                let tag = strings.resolve(h).to_lowercase();
                !tag.is_empty()
                    && if *prefix {
                        tag.starts_with(name.as_str())
                    } else {
                        &tag == name
                    }
            }),
            Query::Mention { acct, prefix } => post.mentions.iter().any(|m| {
                let a = strings.resolve(m.acct).to_lowercase();
                if a.is_empty() {
                    false
                } else if *prefix {
                    a.starts_with(acct.as_str())
                } else if acct.contains('@') {
                    &a == acct
                } else {
                    &a == acct || a.split('@').next() == Some(acct.as_str()) && a.contains('@')
                }
            }),
            Query::Date { op, date } => {
                let Some((y, m, d, ..)) = self.local(post) else {
                    return false;
                };
                let have = match (date.month, date.day) {
                    (Some(_), Some(_)) => (y, m, d),
                    (Some(_), None) => (y, m, 0),
                    _ => (y, 0, 0),
                };
                let want = spec_tuple(date);
                match op {
                    DateOp::After => have > want,
                    DateOp::Before => have < want,
                    DateOp::On => have == want,
                }
            }
            Query::Is(f) => {
                let original = post.kind == PostKind::Original;
                let self_reply = self.parent.get(i).copied().flatten().is_some();
                match f {
                    IsFilter::Original => original,
                    IsFilter::Boost => post.kind == PostKind::Boost,
                    IsFilter::Reply => original && post.in_reply_to.is_some(),
                    IsFilter::SelfReply => self_reply,
                    IsFilter::Thread => {
                        self_reply || self.has_child.get(i).copied().unwrap_or(false)
                    }
                    IsFilter::Edited => match (post.updated, post.published) {
                        (Some(u), Some(p)) => u > p,
                        (Some(_), None) => true,
                        _ => false,
                    },
                    IsFilter::Sensitive => post.sensitive,
                    IsFilter::Poll => post.poll.is_some(),
                    IsFilter::Quote => post.quote_of.is_some(),
                }
            }
            Query::Has(f) => {
                let att = &post.attachments;
                let kind = |k: MediaKind| att.iter().any(|a| a.kind == k);
                match f {
                    HasFilter::Media => !att.is_empty(),
                    HasFilter::Image => kind(MediaKind::Image),
                    HasFilter::Gif => kind(MediaKind::Gif),
                    HasFilter::Video => kind(MediaKind::Video),
                    HasFilter::Audio => kind(MediaKind::Audio),
                    HasFilter::Alt => !att.is_empty() && att.iter().all(|a| a.alt.is_some()),
                    HasFilter::NoAlt => att.iter().any(|a| a.alt.is_none()),
                    HasFilter::Link => !hosts(post).is_empty(),
                    HasFilter::Cw => post
                        .content_warning
                        .as_deref()
                        .is_some_and(|c| !c.trim().is_empty()),
                    HasFilter::Poll => post.poll.is_some(),
                    HasFilter::Mention => post
                        .mentions
                        .iter()
                        .any(|m| !strings.resolve(m.acct).is_empty()),
                    HasFilter::Tag => post
                        .hashtags
                        .iter()
                        .any(|&h| !strings.resolve(h).is_empty()),
                }
            }
            Query::Visibility(v) => post.visibility == *v,
            Query::Lang(l) => post.language.is_some_and(|s| {
                let lang = strings.resolve(s).to_lowercase();
                !lang.is_empty() && (&lang == l || lang.starts_with(&format!("{l}-")))
            }),
            Query::Domain(d) => hosts(post)
                .iter()
                .any(|h| h == d || h.ends_with(&format!(".{d}"))),
            Query::DayOfYear { month, day } => self
                .local(post)
                .is_some_and(|(_, m, d, _, _, _)| (m, d) == (i64::from(*month), i64::from(*day))),
            Query::Weekday(w) => self
                .local(post)
                .is_some_and(|(_, _, _, _, weekday, _)| weekday == usize::from(*w)),
            Query::Hour { from, to } => self.local(post).is_some_and(|(_, _, _, hour, _, _)| {
                let (from, to) = (u32::from(*from), u32::from(*to));
                if from <= to {
                    from <= hour && hour <= to
                } else {
                    hour >= from || hour <= to
                }
            }),
            Query::Boosted(a) => self.boosted(post).as_deref() == Some(a.as_str()),
            Query::Account(a) => {
                let owners = &self.account.owners;
                let names: Vec<Box<str>> = if owners.names.is_empty() {
                    self.account
                        .actor
                        .iter()
                        .map(|x| x.handle.trim_start_matches('@').to_lowercase())
                        .filter(|h| !h.is_empty())
                        .map(Box::from)
                        .collect()
                } else {
                    owners.names.clone()
                };
                let owner = owners.of(i as u32);
                names.get(usize::from(owner)).is_some_and(|name| {
                    &**name == a.as_str() || {
                        let user = |n: &str| n.split('@').next().unwrap_or("").to_string();
                        !a.contains('@')
                            && user(name) == *a
                            && names.iter().filter(|n| user(n) == *a).count() == 1
                    }
                })
            }
            Query::Id(id) => post.short_id().to_lowercase() == *id,
            Query::Thread(id) => self.account.posts.iter().enumerate().any(|(j, q)| {
                self.chain.get(j) == self.chain.get(i) && q.short_id().to_lowercase() == *id
            }),
            Query::Count { field, op, value } => {
                let v = match field {
                    CountField::Likes => post.likes,
                    CountField::Shares => post.shares,
                };
                v.is_some_and(|v| op.test(v.min(u32::MAX - 1), *value))
            }
        }
    }
}

fn spec_tuple(d: &DateSpec) -> (i64, i64, i64) {
    (
        i64::from(d.year),
        d.month.map_or(0, i64::from),
        d.day.map_or(0, i64::from),
    )
}

/// The hosts of a post's links, each once, in order of first appearance.
fn hosts(post: &Post) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    post.content.for_each_inline(&mut |i| {
        if let Inline::Link { href: Some(h), .. } = i {
            if let Some(host) = host(&h.url) {
                if !out.contains(&host) {
                    out.push(host);
                }
            }
        }
    });
    out
}

/// The host of an `http` or `https` URL (any case), lowercased, without user info, port or trailing
/// dots; an IPv6 address without its brackets.
fn host(url: &str) -> Option<String> {
    let lower = url.to_lowercase();
    let rest = ["https://", "http://"]
        .iter()
        .find_map(|scheme| lower.strip_prefix(scheme))?;
    // The authority ends at the first `/`, `?` or `#`; user info ends at its last `@`.
    let authority: String = rest
        .chars()
        .take_while(|&c| c != '/' && c != '?' && c != '#')
        .collect();
    let host_port = match authority.rsplit_once('@') {
        Some((_, after)) => after.to_string(),
        None => authority,
    };
    let mut host: String = if let Some(inside) = host_port.strip_prefix('[') {
        inside.chars().take_while(|&c| c != ']').collect()
    } else {
        host_port.chars().take_while(|&c| c != ':').collect()
    };
    while host.ends_with('.') {
        host.pop();
    }
    if host.is_empty() {
        None
    } else {
        Some(host)
    }
}

fn resolve_tz(name: &str) -> Result<TimeZone, permafrost_model::Message> {
    crate::tz::resolve(name)
}

/// The ids of the posts matching `query`, in increasing order, by looking at every post.
pub fn matching(account: &Account, query: &Query, tz: &str) -> Vec<u32> {
    let ctx = Context::new(account, resolve_tz(tz).unwrap_or(TimeZone::UTC));
    account
        .posts
        .iter()
        .enumerate()
        .filter(|(i, p)| ctx.matches(*i, p, query, &mut None))
        .map(|(i, _)| i as u32)
        .collect()
}

/// The same search as [`Index::search`](crate::Index::search), computed naively: every post is
/// checked, facets and statistics are counted post by post. [`Sort::Relevance`] is not modelled:
/// it sorts newest first.
pub fn search(account: &Account, parsed: &Parsed, opts: &SearchOptions) -> SearchResult {
    let mut errors = parsed.errors.clone();
    let tz = resolve_tz(&opts.tz).unwrap_or_else(|message| {
        errors.push(QueryError {
            span: (0, 0),
            message,
            suggestion: None,
        });
        TimeZone::UTC
    });
    let ctx = Context::new(account, tz);
    let mut ids: Vec<usize> = account
        .posts
        .iter()
        .enumerate()
        .filter(|(i, p)| ctx.matches(*i, p, &parsed.query, &mut None))
        .map(|(i, _)| i)
        .collect();
    let key = |i: &usize| {
        (
            account
                .posts
                .get(*i)
                .and_then(|p| p.published)
                .unwrap_or(i64::MIN),
            *i,
        )
    };
    ids.sort_by_key(key);
    if opts.sort != Sort::Oldest {
        ids.reverse();
    }
    let hits = ids
        .iter()
        .skip(opts.offset)
        .take(opts.limit)
        .filter_map(|&i| {
            let post = account.posts.get(i)?;
            Some(Hit {
                post: i as u32,
                highlights: if opts.highlights {
                    highlights(post, &parsed.query)
                } else {
                    Vec::new()
                },
            })
        })
        .collect();
    // Facets and statistics count in time order, as the first spelling of a tag is the oldest.
    ids.sort_by_key(key);
    SearchResult {
        total: ids.len() as u32,
        hits,
        facets: opts.facets.then(|| facets(&ctx, &ids)),
        stats: opts.stats.then(|| stats(&ctx, &ids)),
        errors,
    }
}

/// The [`TOP`] most frequent values, most first, equal counts in order of value: the whole list
/// sorted, then cut.
fn counted(map: BTreeMap<String, u32>) -> Vec<FacetCount> {
    let mut all: Vec<FacetCount> = map
        .into_iter()
        .map(|(value, count)| FacetCount { value, count })
        .collect();
    // A stable sort: the map gives the values in order, so equal counts stay in that order.
    all.sort_by_key(|c| std::cmp::Reverse(c.count));
    all.truncate(TOP);
    all
}

fn facets(ctx: &Context<'_>, ids: &[usize]) -> Facets {
    let account = ctx.account;
    let strings = &account.strings;
    let posts: Vec<(usize, &Post)> = ids
        .iter()
        .filter_map(|&i| account.posts.get(i).map(|p| (i, p)))
        .collect();
    let mut years: BTreeMap<i64, u32> = BTreeMap::new();
    let mut months: BTreeMap<(i64, i64), u32> = BTreeMap::new();
    let mut langs: BTreeMap<String, u32> = BTreeMap::new();
    let mut tags: BTreeMap<String, u32> = BTreeMap::new();
    let mut mentions: BTreeMap<String, u32> = BTreeMap::new();
    let mut domains: BTreeMap<String, u32> = BTreeMap::new();
    let all_hosts: std::collections::BTreeSet<String> =
        account.posts.iter().flat_map(hosts).collect();
    let mut owners: BTreeMap<String, u32> = BTreeMap::new();
    if account.owners.names.len() > 1 && account.owners.of_post.len() == account.posts.len() {
        for &(i, _) in &posts {
            let owner = account.owners.of(i as u32);
            if let Some(name) = account.owners.names.get(usize::from(owner)) {
                *owners.entry(name.to_string()).or_insert(0) += 1;
            }
        }
    }
    let mut cw = 0;
    // The first spelling of each tag, in time order over the whole archive.
    let mut order: Vec<usize> = (0..account.posts.len()).collect();
    order.sort_by_key(|&i| {
        (
            account
                .posts
                .get(i)
                .and_then(|p| p.published)
                .unwrap_or(i64::MIN),
            i,
        )
    });
    let mut spelling: HashMap<String, String> = HashMap::new();
    for &i in &order {
        if let Some(p) = account.posts.get(i) {
            for &h in &p.hashtags {
                let s = strings.resolve(h);
                if !s.is_empty() {
                    spelling
                        .entry(s.to_lowercase())
                        .or_insert_with(|| s.to_string());
                }
            }
        }
    }
    for &(_, p) in &posts {
        if let Some((y, m, ..)) = ctx.local(p) {
            *years.entry(y).or_insert(0) += 1;
            *months.entry((y, m)).or_insert(0) += 1;
        }
        if let Some(l) = p.language {
            let l = strings.resolve(l).to_lowercase();
            if !l.is_empty() {
                let shown = permafrost_model::lang::normalize(&l).unwrap_or(l);
                *langs.entry(shown).or_insert(0) += 1;
            }
        }
        let mut seen: Vec<String> = Vec::new();
        for &h in &p.hashtags {
            let key = strings.resolve(h).to_lowercase();
            if !key.is_empty() && !seen.contains(&key) {
                seen.push(key.clone());
                let shown = spelling.get(&key).cloned().unwrap_or(key);
                *tags.entry(shown).or_insert(0) += 1;
            }
        }
        let mut seen: Vec<String> = Vec::new();
        for m in &p.mentions {
            let a = strings.resolve(m.acct).to_lowercase();
            if !a.is_empty() && !seen.contains(&a) {
                seen.push(a.clone());
                *mentions.entry(a).or_insert(0) += 1;
            }
        }
        // Each site a `domain:` click on it finds: the post's hosts, and every domain that
        // is a host in the archive and a host of the post ends with (".example.org").
        for site in &all_hosts {
            let dotted = format!(".{site}");
            if hosts(p).iter().any(|h| h == site || h.ends_with(&dotted)) {
                *domains.entry(site.clone()).or_insert(0) += 1;
            }
        }
        if p.content_warning
            .as_deref()
            .is_some_and(|c| !c.trim().is_empty())
        {
            cw += 1;
        }
    }
    let count_is = |f: IsFilter| {
        posts
            .iter()
            .filter(|(i, p)| ctx.matches(*i, p, &Query::Is(f), &mut None))
            .count() as u32
    };
    let total = posts.len() as u32;
    Facets {
        years: years
            .into_iter()
            .map(|(y, count)| FacetCount {
                value: format!("{y:04}"),
                count,
            })
            .collect(),
        months: months
            .into_iter()
            .map(|((y, m), count)| FacetCount {
                value: format!("{y:04}-{m:02}"),
                count,
            })
            .collect(),
        visibility: [
            Visibility::Public,
            Visibility::Unlisted,
            Visibility::Private,
            Visibility::Direct,
        ]
        .into_iter()
        .map(|v| FacetCount {
            value: visibility_name(v).into(),
            count: posts.iter().filter(|(_, p)| p.visibility == v).count() as u32,
        })
        .collect(),
        kinds: IsFilter::ALL
            .into_iter()
            .map(|f| FacetCount {
                value: f.as_str().into(),
                count: count_is(f),
            })
            .collect(),
        media: MEDIA_KINDS
            .into_iter()
            .map(|(k, _)| FacetCount {
                value: k.as_str().into(),
                count: posts
                    .iter()
                    .filter(|(_, p)| p.attachments.iter().any(|a| a.kind == k))
                    .count() as u32,
            })
            .collect(),
        content_warning: vec![
            FacetCount {
                value: "with".into(),
                count: cw,
            },
            FacetCount {
                value: "without".into(),
                count: total - cw,
            },
        ],
        languages: counted(langs),
        hashtags: counted(tags),
        mentions: counted(mentions),
        domains: counted(domains),
        accounts: counted(owners),
    }
}

fn stats(ctx: &Context<'_>, ids: &[usize]) -> Stats {
    let account = ctx.account;
    let mut per_day: BTreeMap<i64, u32> = BTreeMap::new();
    let mut punchcard = [[0u32; 24]; 7];
    let mut boosted: BTreeMap<String, u32> = BTreeMap::new();
    let mut alt: BTreeMap<(i64, i64), (u32, u32)> = BTreeMap::new();
    for &i in ids {
        let Some(p) = account.posts.get(i) else {
            continue;
        };
        if let Some(a) = ctx.boosted(p) {
            *boosted.entry(a).or_insert(0) += 1;
        }
        let Some((y, m, _, hour, weekday, day)) = ctx.local(p) else {
            continue;
        };
        *per_day.entry(day).or_insert(0) += 1;
        if let Some(c) = punchcard
            .get_mut(weekday)
            .and_then(|row| row.get_mut(hour as usize))
        {
            *c += 1;
        }
        if !p.attachments.is_empty() {
            let e = alt.entry((y, m)).or_insert((0, 0));
            e.0 += p.attachments.len().min(255) as u32;
            e.1 += p
                .attachments
                .iter()
                .filter(|a| a.alt.is_some())
                .count()
                .min(255) as u32;
        }
    }
    let ymd = |day: i64| civil_from_days(day);
    let mut per_month: Vec<FacetCount> = Vec::new();
    if let (Some((&first, _)), Some((&last, _))) =
        (per_day.iter().next(), per_day.iter().next_back())
    {
        let (fy, fm, _) = ymd(first);
        let (ly, lm, _) = ymd(last);
        let (mut y, mut m) = (fy, fm);
        while (y, m) <= (ly, lm) {
            let count = per_day
                .iter()
                .filter(|(&d, _)| {
                    let (dy, dm, _) = ymd(d);
                    (dy, dm) == (y, m)
                })
                .map(|(_, &c)| c)
                .sum();
            per_month.push(FacetCount {
                value: format!("{y:04}-{m:02}"),
                count,
            });
            m += 1;
            if m > 12 {
                m = 1;
                y += 1;
            }
        }
    }
    let mut per_week: Vec<FacetCount> = Vec::new();
    if let (Some((&first, _)), Some((&last, _))) =
        (per_day.iter().next(), per_day.iter().next_back())
    {
        let mut monday = first - (first + 3).rem_euclid(7);
        while monday <= last {
            let count = per_day.range(monday..monday + 7).map(|(_, &c)| c).sum();
            // The ISO year is the year of the week's Thursday.
            let thursday = monday + 3;
            let (ty, _, _) = ymd(thursday);
            let jan1 = permafrost_model::time::days_from_civil(ty, 1, 1);
            per_week.push(FacetCount {
                value: format!("{ty:04}-W{:02}", (thursday - jan1) / 7 + 1),
                count,
            });
            monday += 7;
        }
    }
    Stats {
        per_month,
        per_week,
        per_day: per_day
            .iter()
            .map(|(&d, &count)| {
                let (y, m, dd) = ymd(d);
                FacetCount {
                    value: format!("{y:04}-{m:02}-{dd:02}"),
                    count,
                }
            })
            .collect(),
        punchcard,
        top_boosted: counted(boosted),
        alt_text: alt
            .into_iter()
            .map(|((y, m), (a, d))| AltCoverage {
                month: format!("{y:04}-{m:02}"),
                attachments: a,
                described: d,
            })
            .collect(),
    }
}
