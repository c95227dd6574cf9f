//! The People view: the social graph of the CSV exports (following, followers, lists, blocks,
//! mutes, domain blocks), crossed with the posts: how often the posts a query selects mention
//! each account and boost its posts, who is followed but never mentioned nor boosted, and who
//! is mentioned but not followed.
//!
//! # Matching addresses
//! The files and the posts write one account's address in several forms, and all of them are
//! the same account: any case, with or without a leading `@`, a local mention without a server
//! (the owner's server), and the owner's server under its web host when its accounts' addresses
//! use another domain (Mastodon's `LOCAL_DOMAIN` and `WEB_DOMAIN`: actor.json's handle says the
//! one, its id the other). An actor URI (Pleroma's following.json) is the account the archive's
//! own mentions say it is, if they do. Nothing else is matched: an address is never guessed
//! from a URI's shape (see `permafrost_index::account_label`), so a boosted account known only by
//! its URI is counted under that URI and matches no address.
//!
//! # Cost
//! The counts per account over a query's posts are made once per query and time zone and kept
//! (the page asks again for each page, filter and order); the rows are matched through hash maps
//! and only the page asked for is built, so a following list of 100,000 accounts costs a few
//! passes over it, never one per pair.

use crate::search::Searcher;
use permafrost_index::{account_label, known_handles, Index};
use permafrost_model::{Account, Actor, CsvKind, Social};
use permafrost_protocol::{
    ListInfo, PeopleFile, PeopleSort, PeopleTable, PeopleTableInfo, PeopleView, PersonRow,
};
use std::collections::HashMap;

/// How the archive writes its owner's addresses: what local mentions and the web host mean.
pub(crate) struct Canon {
    /// The owner's address, lowercase (`alice@example.social`).
    owner: Option<String>,
    /// The domain of the owner's address: a local mention's server.
    domain: Option<String>,
    /// The host of the owner's actor URI, when it differs from `domain`.
    web_host: Option<String>,
    /// Actor URIs with the handle the archive's mentions give them.
    known: HashMap<String, String>,
    /// With several accounts open, each one's name (`alice@example.social`): none of them is
    /// someone "you mention but do not follow".
    owners: Vec<String>,
}

/// Whose social graph the People view shows: one account's (its CSV exports, its profile), or
/// every account's together.
pub(crate) struct Graph<'a> {
    pub(crate) social: &'a Social,
    /// The bookmarks list is there (bookmarks.json or bookmarks.csv).
    pub(crate) bookmarks: bool,
    pub(crate) actor: Option<&'a Actor>,
    /// The files it was read from.
    pub(crate) files: &'a [permafrost_engine::SideFile],
    /// Every account's name, with several open.
    pub(crate) owners: Vec<String>,
}

impl Canon {
    pub(crate) fn new(account: &Account, actor: Option<&Actor>, owners: Vec<String>) -> Canon {
        let owner = actor
            .map(|a| a.handle.trim_start_matches('@').to_lowercase())
            .filter(|h| h.contains('@'));
        let domain = owner
            .as_deref()
            .and_then(|o| o.split_once('@'))
            .map(|(_, d)| d.to_string());
        let web_host = actor
            .and_then(|a| host_of(&a.id))
            .filter(|h| Some(h) != domain.as_ref());
        let known = known_handles(account)
            .into_iter()
            .map(|(uri, handle)| (uri.to_string(), handle))
            .collect();
        Canon {
            owner,
            domain,
            web_host,
            known,
            owners,
        }
    }

    /// The key an address is matched by: lowercase `user@domain`, the owner's server for a
    /// local address or the owner's web host; an actor URI's handle when the archive gives one,
    /// else the URI as `boosted:` names it (which matches no address).
    pub(crate) fn key(&self, address: &str) -> String {
        let a = address.trim().trim_start_matches('@');
        if a.contains("://") {
            let label = self
                .known
                .get(a)
                .cloned()
                .unwrap_or_else(|| account_label(a, &Default::default()));
            return self.key_of_label(&label);
        }
        let lower = a.to_lowercase();
        match lower.split_once('@') {
            None => match &self.domain {
                Some(d) => format!("{lower}@{d}"),
                None => lower,
            },
            Some((user, host)) => match (&self.web_host, &self.domain) {
                (Some(web), Some(d)) if host == web => format!("{user}@{d}"),
                _ => lower,
            },
        }
    }

    /// The key of a boosted account as the index names it: a handle is an address; an address
    /// without its scheme (`example.org/users/bob`, `example.net/@bob`) stays as it is.
    fn key_of_label(&self, label: &str) -> String {
        if label.contains('/') {
            label.to_string()
        } else {
            self.key(label)
        }
    }
}

/// The host of an http(s) URI, lowercase.
fn host_of(uri: &str) -> Option<String> {
    let rest = uri
        .strip_prefix("https://")
        .or_else(|| uri.strip_prefix("http://"))?;
    let host = rest.split(['/', '?', '#']).next()?;
    (!host.is_empty()).then(|| host.to_lowercase())
}

/// What the counted posts say about one account.
#[derive(Default)]
struct Tally {
    /// Posts mentioning it.
    mentions: u32,
    /// Boosts of its posts.
    boosts: u32,
    /// How the index names it in mentions (the `@` terms), in order of first use.
    mention_keys: Vec<String>,
    /// How the index names it in boosts (the `boosted:` terms).
    boost_labels: Vec<String>,
}

/// The counts per account over the posts of one query, kept while the page pages through them.
pub(crate) struct Counts {
    query: String,
    time_zone: String,
    canon: Canon,
    /// By key ([`Canon::key`]).
    tallies: HashMap<String, Tally>,
    errors: Vec<permafrost_protocol::Message>,
}

impl Counts {
    /// Counts the mentions and boosts of the posts `query` selects.
    pub(crate) fn new(
        account: &Account,
        graph: &Graph<'_>,
        searcher: &Searcher,
        query: &str,
        time_zone: &str,
    ) -> Counts {
        let index = searcher.index();
        let (posts, errors) = searcher.matching(query, time_zone);
        let canon = Canon::new(account, graph.actor, graph.owners.clone());
        let tallies = tally(index, &posts, &canon);
        Counts {
            query: query.to_string(),
            time_zone: time_zone.to_string(),
            canon,
            tallies,
            errors,
        }
    }

    /// True when these are the counts of `query` in `time_zone`.
    pub(crate) fn is_for(&self, query: &str, time_zone: &str) -> bool {
        self.query == query && self.time_zone == time_zone
    }
}

/// Mentions and boosts per account over `posts`. Each distinct name the index has is made a key
/// once; each post then costs a lookup per mention, and a post that names one account twice (a
/// local and a full mention) counts once.
fn tally<'i>(index: &'i Index, posts: &[u32], canon: &Canon) -> HashMap<String, Tally> {
    let mut tallies: Vec<(String, Tally)> = Vec::new();
    let mut by_key: HashMap<String, usize> = HashMap::new();
    let mut by_name: HashMap<&'i str, usize> = HashMap::new();
    let mut id_of = |name: &'i str, label: bool| -> usize {
        if let Some(&id) = by_name.get(name) {
            return id;
        }
        let key = if label {
            canon.key_of_label(name)
        } else {
            canon.key(name)
        };
        let id = *by_key.entry(key.clone()).or_insert_with(|| {
            tallies.push((key, Tally::default()));
            tallies.len() - 1
        });
        by_name.insert(name, id);
        id
    };
    // (id, name) pairs resolved first, then counted: the closure holds the maps.
    let mut seen: Vec<usize> = Vec::new();
    let mut events: Vec<(usize, &'i str, bool, bool)> = Vec::new();
    for &post in posts {
        seen.clear();
        for name in index.mentions_of(post) {
            let id = id_of(name, false);
            let first = !seen.contains(&id);
            if first {
                seen.push(id);
            }
            events.push((id, name, false, first));
        }
        if let Some(label) = index.boosted_of(post) {
            events.push((id_of(label, true), label, true, true));
        }
    }
    for (id, name, boost, first) in events {
        let Some((_, t)) = tallies.get_mut(id) else {
            continue;
        };
        if boost {
            t.boosts += 1;
            if !t.boost_labels.iter().any(|l| l == name) {
                t.boost_labels.push(name.to_string());
            }
        } else {
            if first {
                t.mentions += 1;
            }
            if !t.mention_keys.iter().any(|k| k == name) {
                t.mention_keys.push(name.to_string());
            }
        }
    }
    tallies.into_iter().collect()
}

/// One candidate row: where it comes from, before the page is built.
struct Candidate<'a> {
    /// As the file gives it.
    address: &'a str,
    /// [`Canon::key`] of the address.
    key: String,
    /// The list, for the lists table.
    list: Option<&'a str>,
}

/// What a People request asks.
pub(crate) struct Ask<'a> {
    pub(crate) table: PeopleTable,
    pub(crate) filter: &'a str,
    pub(crate) sort: Option<PeopleSort>,
    pub(crate) offset: u32,
    pub(crate) limit: u32,
}

/// The answer to [`permafrost_protocol::RequestBody::People`].
pub(crate) fn people<'a>(graph: &Graph<'a>, counts: &'a Counts, ask: Ask<'_>) -> PeopleView {
    let social = graph.social;
    let canon = &counts.canon;
    let sort = ask.sort.unwrap_or(ask.table.default_sort());
    let needle = ask.filter.trim().trim_start_matches('@').to_lowercase();
    // `@jo`: the accounts whose name starts with "jo", as a handle is typed; `jo`: any with it.
    let handle_start = ask.filter.trim().starts_with('@');
    let none = Vec::new();

    // Who is followed, muted, and in which lists, by key.
    let follows: HashMap<String, usize> = social
        .following
        .iter()
        .flatten()
        .enumerate()
        .map(|(i, f)| (canon.key(&f.account), i))
        .collect();
    let mutes: HashMap<String, usize> = social
        .mutes
        .iter()
        .flatten()
        .enumerate()
        .map(|(i, m)| (canon.key(&m.account), i))
        .collect();
    let mut in_lists: HashMap<String, Vec<usize>> = HashMap::new();
    for (i, list) in social.lists.iter().flatten().enumerate() {
        for member in &list.members {
            let titles = in_lists.entry(canon.key(member)).or_default();
            if titles.last() != Some(&i) {
                titles.push(i);
            }
        }
    }
    let tally = |key: &str| counts.tallies.get(key);
    let silent = |key: &str| tally(key).is_none_or(|t| t.mentions == 0 && t.boosts == 0);

    let following: Vec<&str> = social
        .following
        .iter()
        .flatten()
        .map(|f| &*f.account)
        .collect();
    let not_mentioned: Vec<&str> = following
        .iter()
        .copied()
        .filter(|a| silent(&canon.key(a)))
        .collect();
    let mut mentioned_not_followed: Vec<&str> = counts
        .tallies
        .iter()
        .filter(|(key, t)| {
            t.mentions > 0
                && !follows.contains_key(*key)
                && canon.owner.as_ref() != Some(*key)
                && !canon.owners.contains(*key)
        })
        .map(|(key, _)| key.as_str())
        .collect();
    // Hash order is not an order: the "file" order of this table is by address.
    mentioned_not_followed.sort_unstable();
    let list_rows = social
        .lists
        .iter()
        .flatten()
        .map(|l| l.members.len())
        .sum::<usize>();

    let present = |table: PeopleTable| match table {
        PeopleTable::Following | PeopleTable::NotMentioned | PeopleTable::MentionedNotFollowed => {
            social.following.is_some()
        }
        PeopleTable::Followers => social.followers.is_some(),
        PeopleTable::Lists => social.lists.is_some(),
        PeopleTable::Blocks => social.blocks.is_some(),
        PeopleTable::Mutes => social.mutes.is_some(),
        PeopleTable::DomainBlocks => social.domain_blocks.is_some(),
    };
    let total = |table: PeopleTable| -> usize {
        if !present(table) {
            return 0;
        }
        match table {
            PeopleTable::Following => following.len(),
            PeopleTable::Followers => social.followers.as_ref().map_or(0, Vec::len),
            PeopleTable::Lists => list_rows,
            PeopleTable::Blocks => social.blocks.as_ref().map_or(0, Vec::len),
            PeopleTable::Mutes => social.mutes.as_ref().map_or(0, Vec::len),
            PeopleTable::DomainBlocks => social.domain_blocks.as_ref().map_or(0, Vec::len),
            PeopleTable::NotMentioned => not_mentioned.len(),
            PeopleTable::MentionedNotFollowed => mentioned_not_followed.len(),
        }
    };
    let tables = PeopleTable::ALL
        .into_iter()
        .map(|table| PeopleTableInfo {
            table,
            present: present(table),
            total: total(table) as u32,
        })
        .collect();

    let start = ask.offset as usize;
    let take = ask.limit as usize;
    let mut view = PeopleView {
        table: ask.table,
        sort,
        tables,
        files: graph
            .files
            .iter()
            .map(|f| PeopleFile {
                name: f.name.clone(),
                kind: f.kind,
                rows: f.rows as u32,
            })
            .collect(),
        missing: CsvKind::MASTODON
            .into_iter()
            .filter(|k| match k {
                CsvKind::Following => social.following.is_none(),
                CsvKind::Followers => social.followers.is_none(),
                CsvKind::Lists => social.lists.is_none(),
                CsvKind::Blocks => social.blocks.is_none(),
                CsvKind::Mutes => social.mutes.is_none(),
                CsvKind::DomainBlocks => social.domain_blocks.is_none(),
                CsvKind::Bookmarks => !graph.bookmarks,
            })
            .collect(),
        export_page: graph
            .actor
            .and_then(|a| host_of(&a.id))
            .map(|host| format!("https://{host}/settings/export")),
        owner: canon.owner.clone(),
        total: total(ask.table) as u32,
        matching: 0,
        offset: ask.offset,
        rows: Vec::new(),
        domains: Vec::new(),
        lists: Vec::new(),
        errors: counts.errors.clone(),
    };

    if ask.table == PeopleTable::DomainBlocks {
        let mut domains: Vec<&str> = social
            .domain_blocks
            .as_ref()
            .unwrap_or(&none)
            .iter()
            .map(|d| &**d)
            .filter(|d| needle.is_empty() || d.to_lowercase().contains(&needle))
            .collect();
        if sort != PeopleSort::File {
            domains.sort_by_cached_key(|d| d.to_lowercase());
        }
        view.matching = domains.len() as u32;
        view.domains = domains
            .into_iter()
            .skip(start)
            .take(take)
            .map(str::to_string)
            .collect();
        return view;
    }

    let simple = |addresses: &[&'a str]| -> Vec<Candidate<'a>> {
        addresses
            .iter()
            .map(|&address| Candidate {
                address,
                key: canon.key(address),
                list: None,
            })
            .collect()
    };
    let followers: Vec<&str> = social.followers.iter().flatten().map(|a| &**a).collect();
    let blocks: Vec<&str> = social.blocks.iter().flatten().map(|a| &**a).collect();
    let muted: Vec<&str> = social.mutes.iter().flatten().map(|m| &*m.account).collect();
    let mut candidates: Vec<Candidate<'_>> = match ask.table {
        PeopleTable::Following => simple(&following),
        PeopleTable::Followers => simple(&followers),
        PeopleTable::Blocks => simple(&blocks),
        PeopleTable::Mutes => simple(&muted),
        PeopleTable::NotMentioned => simple(&not_mentioned),
        PeopleTable::MentionedNotFollowed => mentioned_not_followed
            .iter()
            .map(|&key| Candidate {
                address: key,
                key: key.to_string(),
                list: None,
            })
            .collect(),
        PeopleTable::Lists => {
            view.lists = social
                .lists
                .iter()
                .flatten()
                .take(PeopleView::MAX_LISTS)
                .map(|l| ListInfo {
                    title: l.title.to_string(),
                    members: l.members.len() as u32,
                })
                .collect();
            social
                .lists
                .iter()
                .flatten()
                .flat_map(|l| {
                    l.members.iter().map(|m| Candidate {
                        address: m,
                        key: canon.key(m),
                        list: Some(&*l.title),
                    })
                })
                .collect()
        }
        PeopleTable::DomainBlocks => Vec::new(),
    };

    if !needle.is_empty() {
        candidates.retain(|c| {
            if handle_start {
                return c.key.starts_with(&needle);
            }
            c.key.contains(&needle)
                || c.address.to_lowercase().contains(&needle)
                || c.list.is_some_and(|l| l.to_lowercase().contains(&needle))
        });
    }
    let count = |key: &str, boosts: bool| {
        tally(key).map_or(0, |t| if boosts { t.boosts } else { t.mentions })
    };
    match sort {
        PeopleSort::File => {}
        PeopleSort::Name => {
            // By name, then server: `j@x` before `j2kun@x` (as whole strings, `2` sorts before
            // `@`).
            candidates.sort_by_cached_key(|c| {
                let (name, server) = c.key.split_once('@').unwrap_or((&c.key, ""));
                (
                    c.list.map(str::to_lowercase),
                    name.to_string(),
                    server.to_string(),
                )
            })
        }
        PeopleSort::Mentions | PeopleSort::Boosts => {
            let boosts = sort == PeopleSort::Boosts;
            candidates.sort_by(|a, b| {
                count(&b.key, boosts)
                    .cmp(&count(&a.key, boosts))
                    .then_with(|| a.key.cmp(&b.key))
            })
        }
    }
    view.matching = candidates.len() as u32;

    let titles: Vec<&str> = social.lists.iter().flatten().map(|l| &*l.title).collect();
    view.rows = candidates
        .iter()
        .skip(start)
        .take(take)
        .map(|c| {
            let follow = follows
                .get(&c.key)
                .and_then(|&i| social.following.as_ref()?.get(i));
            let mute = mutes
                .get(&c.key)
                .and_then(|&i| social.mutes.as_ref()?.get(i));
            let t = tally(&c.key);
            let terms = |names: &[String], prefix: &str| -> Option<String> {
                // A name without a server would find that user on every server.
                let names: Vec<String> = names
                    .iter()
                    .filter(|n| prefix != "@" || n.contains('@'))
                    .map(|n| format!("{prefix}{n}"))
                    .collect();
                match names.len() {
                    0 => None,
                    1 => names.into_iter().next(),
                    _ => Some(format!("({})", names.join(" OR "))),
                }
            };
            PersonRow {
                address: c.address.trim_start_matches('@').to_string(),
                list: c.list.map(str::to_string),
                followed: follow.is_some(),
                show_boosts: follow.and_then(|f| f.show_boosts),
                notify: follow.and_then(|f| f.notify),
                languages: follow
                    .map(|f| f.languages.iter().map(|l| l.to_string()).collect())
                    .unwrap_or_default(),
                hide_notifications: mute.and_then(|m| m.hide_notifications),
                lists: in_lists
                    .get(&c.key)
                    .map(|ls| {
                        ls.iter()
                            .filter_map(|&i| titles.get(i).map(|t| t.to_string()))
                            .collect()
                    })
                    .unwrap_or_default(),
                mentions: t.map_or(0, |t| t.mentions),
                boosts: t.map_or(0, |t| t.boosts),
                mention_term: t
                    .filter(|t| t.mentions > 0)
                    .and_then(|t| terms(&t.mention_keys, "@")),
                boost_term: t
                    .filter(|t| t.boosts > 0)
                    .and_then(|t| terms(&t.boost_labels, "boosted:")),
            }
        })
        .collect();
    view
}
