//! The index of one archive: built once from an [`Account`], then queried many times.
//!
//! Posts are renumbered by *rank*: their order by publication time (ties by position in the
//! outbox). Every per-post structure is indexed by rank, so "newest first" is a walk down a
//! bitset, a date range is a range of ranks, and a month of a facet is a run of ranks.

use crate::accounts::{account_label, known_handles};
use crate::bitset::Bitset;
use crate::postings::{Dict, DictBuilder, PerPost, Postings};
use crate::query::{HasFilter, IsFilter};
use crate::text;
use crate::texts::{post_time, Tokenized};
use crate::tz::TzCols;
use permafrost_model::{Account, Inline, MediaKind, Post, PostKind, Sym, Visibility};
use rustc_hash::{FxHashMap, FxHashSet};
use std::sync::{Arc, Mutex};

/// "No value" in the per-post `u32` columns.
pub(crate) const NONE: u32 = u32::MAX;

/// A per-post yes/no property kept as a bitset.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Flag {
    Original,
    Boost,
    Reply,
    SelfReply,
    Thread,
    Edited,
    Sensitive,
    Poll,
    Quote,
    Media,
    Image,
    Gif,
    Video,
    Audio,
    OtherMedia,
    Alt,
    NoAlt,
    Link,
    Cw,
    Mention,
    Tag,
    Public,
    Unlisted,
    Followers,
    Direct,
}

/// Number of [`Flag`]s.
pub(crate) const FLAGS: usize = Flag::Direct as usize + 1;

impl Flag {
    pub(crate) fn of_is(f: IsFilter) -> Flag {
        match f {
            IsFilter::Original => Flag::Original,
            IsFilter::Boost => Flag::Boost,
            IsFilter::Reply => Flag::Reply,
            IsFilter::SelfReply => Flag::SelfReply,
            IsFilter::Thread => Flag::Thread,
            IsFilter::Edited => Flag::Edited,
            IsFilter::Sensitive => Flag::Sensitive,
            IsFilter::Poll => Flag::Poll,
            IsFilter::Quote => Flag::Quote,
        }
    }

    pub(crate) fn of_has(f: HasFilter) -> Flag {
        match f {
            HasFilter::Media => Flag::Media,
            HasFilter::Image => Flag::Image,
            HasFilter::Gif => Flag::Gif,
            HasFilter::Video => Flag::Video,
            HasFilter::Audio => Flag::Audio,
            HasFilter::Alt => Flag::Alt,
            HasFilter::NoAlt => Flag::NoAlt,
            HasFilter::Link => Flag::Link,
            HasFilter::Cw => Flag::Cw,
            HasFilter::Poll => Flag::Poll,
            HasFilter::Mention => Flag::Mention,
            HasFilter::Tag => Flag::Tag,
        }
    }

    pub(crate) fn of_visibility(v: Visibility) -> Flag {
        match v {
            Visibility::Public => Flag::Public,
            Visibility::Unlisted => Flag::Unlisted,
            Visibility::Private => Flag::Followers,
            Visibility::Direct => Flag::Direct,
        }
    }
}

/// A dictionary with its postings and how many posts hold each entry.
#[derive(Debug, Default, borsh::BorshSerialize, borsh::BorshDeserialize)]
pub(crate) struct Field {
    pub(crate) dict: Dict,
    pub(crate) postings: Postings,
    /// Posts per entry.
    pub(crate) df: Vec<u32>,
    /// Entries per post (by rank).
    pub(crate) per_post: PerPost,
    /// The posts with at least one entry.
    pub(crate) present: Bitset,
    /// How many.
    pub(crate) present_count: u32,
}

impl Field {
    fn heap_bytes(&self) -> usize {
        self.dict.heap_bytes()
            + self.postings.heap_bytes()
            + 4 * self.df.capacity()
            + self.per_post.heap_bytes()
            + self.present.heap_bytes()
    }
}

/// The search index of one archive. Build it with [`Index::build`]; query it with
/// [`Index::search`](crate::Index::search).
#[derive(Debug, borsh::BorshSerialize, borsh::BorshDeserialize)]
pub struct Index {
    pub(crate) n: u32,
    /// Post id (index in `Account::posts`) of each rank.
    pub(crate) rank_post: Vec<u32>,
    /// Rank of each post id.
    pub(crate) post_rank: Vec<u32>,
    /// Publication time of each rank (`i64::MIN` when unknown: those come first).
    pub(crate) times: Vec<i64>,
    /// The first rank with a known time.
    pub(crate) first_timed: u32,
    /// Text terms (folded words, CJK bigrams).
    pub(crate) terms: Dict,
    pub(crate) term_postings: Postings,
    /// Each post's token sequence: term ids, with [`RUN_START`] on words and on the first token
    /// of a CJK run, and [`SEP`] between fields.
    pub(crate) seq: Vec<u32>,
    pub(crate) seq_ends: Vec<u32>,
    /// Tokens per post, for relevance.
    pub(crate) doc_len: Vec<u16>,
    pub(crate) avg_len: f32,
    /// Hashtags (lowercase), with the first spelling seen of each.
    pub(crate) tags: Field,
    pub(crate) tag_display: Vec<Box<str>>,
    /// Mentioned accounts (`user@host`).
    pub(crate) mentions: Field,
    /// Hosts of links.
    pub(crate) domains: Field,
    /// Languages (lowercase).
    pub(crate) langs: Field,
    /// The accounts boosted (URIs), one per boost.
    pub(crate) boosted: Field,
    /// Whose each post is, when archives of several accounts are open (else empty).
    pub(crate) accounts: Field,
    /// The names `account:` knows: the accounts open ([`permafrost_model::Owners::names`]),
    /// or the one account's handle.
    pub(crate) account_names: Vec<Box<str>>,
    pub(crate) flags: Vec<Bitset>,
    pub(crate) likes: Vec<u32>,
    pub(crate) shares: Vec<u32>,
    /// Attachments and described attachments per rank (saturating at 255).
    pub(crate) attachments: Vec<u8>,
    pub(crate) described: Vec<u8>,
    /// Self-reply parent of each post id.
    pub(crate) parent: Vec<u32>,
    /// Self-reply children of each post id, oldest first.
    pub(crate) children: PerPost,
    /// The first post of the self-reply chain holding each post id (itself outside any chain).
    pub(crate) thread_root: Vec<u32>,
    /// Posts in the chain of each post id whose root it is (0 for a post that is no root).
    pub(crate) thread_len: Vec<u32>,
    /// The short ids ([`permafrost_model::short_id`]) of every post, lowercased and joined, for
    /// `id:` and `thread:`; `id_ends[i]` is where post id `i`'s ends. One string rather than a
    /// dictionary: ids are unique, so a dictionary would cost a posting list per post.
    pub(crate) ids: String,
    pub(crate) id_ends: Vec<u32>,
    /// Original posts (by post id) replying to a post that is not in the archive.
    pub(crate) missing_parent: Bitset,
    /// Of those, the ones whose parent's URI is under the account's actor URI.
    pub(crate) missing_own_parent: Bitset,
    /// Not kept in a snapshot: filled again as time zones are asked for.
    #[borsh(skip)]
    pub(crate) tz_cache: Mutex<Vec<Arc<TzCols>>>,
}

/// The media kinds, in the order facets list them.
pub(crate) const MEDIA_KINDS: [(MediaKind, Flag); 5] = [
    (MediaKind::Image, Flag::Image),
    (MediaKind::Gif, Flag::Gif),
    (MediaKind::Video, Flag::Video),
    (MediaKind::Audio, Flag::Audio),
    (MediaKind::Other, Flag::OtherMedia),
];

/// Marks a token that starts a run (every word, the first bigram of a CJK run).
pub(crate) const RUN_START: u32 = 1 << 31;

/// Separates the fields of a post in its token sequence.
pub(crate) const SEP: u32 = u32::MAX;

/// True when the post is an edited one: `updated` later than `published`.
pub(crate) fn is_edited(post: &Post) -> bool {
    post.updated
        .is_some_and(|u| post.published.is_none_or(|p| u > p))
}

/// Removes repeated items, keeping the first of each in place. Linear: the hostile post with
/// 50,000 tags made a search of the list for each item quadratic. Short lists (nearly every
/// post's) are checked by scanning, which needs no allocation.
fn dedup_in_order<T: Eq + std::hash::Hash>(items: &mut Vec<T>) {
    if items.len() <= 16 {
        let mut i = 0;
        while i < items.len() {
            if items[..i].contains(&items[i]) {
                items.remove(i);
            } else {
                i += 1;
            }
        }
    } else {
        let keep: Vec<bool> = {
            let mut seen: FxHashSet<&T> = FxHashSet::default();
            items.iter().map(|item| seen.insert(item)).collect()
        };
        let mut keep = keep.into_iter();
        items.retain(|_| keep.next().unwrap_or(true));
    }
}

/// The hosts of the web links in a post's text, deduplicated, in order.
pub(crate) fn link_hosts(post: &Post) -> Vec<String> {
    let mut hosts: Vec<String> = Vec::new();
    post.content.for_each_inline(&mut |inline| {
        if let Inline::Link {
            href: Some(href), ..
        } = inline
        {
            hosts.extend(text::host_of(&href.url));
        }
    });
    dedup_in_order(&mut hosts);
    hosts
}

/// The content warning, when it has any text.
pub(crate) fn content_warning(post: &Post) -> Option<&str> {
    post.content_warning
        .as_deref()
        .filter(|s| !s.trim().is_empty())
}

/// The post at each rank: the posts ordered by time (`times[i]` is post `i`'s, `i64::MIN` for
/// none), and by their order for equal times.
pub(crate) fn rank_order(times: &[i64]) -> Vec<u32> {
    let n = u32::try_from(times.len()).unwrap_or(u32::MAX);
    let mut rank_post: Vec<u32> = (0..n).collect();
    rank_post.sort_by_key(|&i| (times.get(i as usize).copied().unwrap_or(i64::MIN), i));
    rank_post
}

/// Calls `f` with each searchable field of a post: its text, content warning, poll options and
/// attachment descriptions.
pub(crate) fn for_each_field<'a>(post: &'a Post, plain: &'a str, f: &mut impl FnMut(&'a str)) {
    f(plain);
    if let Some(cw) = content_warning(post) {
        f(cw);
    }
    if let Some(poll) = &post.poll {
        for o in &poll.options {
            f(&o.name);
        }
    }
    for a in &post.attachments {
        if let Some(alt) = &a.alt {
            f(alt);
        }
    }
}

/// The entries of a [`DictBuilder`] that interned strings stand for, each found once: the key a
/// symbol stands for (a tag lowercased, an account's label) is made and looked up for the first
/// post that has it, not for each (at 100,000 posts, a few hundred thousand strings made and
/// hashed to find the same few thousand entries).
struct SymIds(Vec<u32>);

impl SymIds {
    const UNSEEN: u32 = u32::MAX;

    fn new(distinct: usize) -> SymIds {
        SymIds(vec![Self::UNSEEN; distinct])
    }

    /// [`DictBuilder::add`] for the key `sym` stands for, made by `key` the first time only.
    fn add(
        &mut self,
        sym: Sym,
        dict: &mut DictBuilder,
        doc: u32,
        key: impl FnOnce() -> String,
    ) -> u32 {
        match self.0.get_mut(sym.0 as usize) {
            Some(&mut id) if id != Self::UNSEEN => {
                dict.add_id(id, doc);
                id
            }
            Some(slot) => {
                *slot = dict.add(&key(), doc);
                *slot
            }
            // A symbol from another table (never): found by its key each time.
            None => dict.add(&key(), doc),
        }
    }
}

/// The self-reply parent of each post (`u32::MAX` for none): for an original post whose
/// `in_reply_to` is the id of another original post of the archive, that post (the first of
/// that id).
pub fn self_reply_parents(account: &Account) -> Vec<u32> {
    // Sized once: grown a doubling at a time, the table was rehashed over and over (profiled).
    let mut ids: FxHashMap<&str, u32> =
        FxHashMap::with_capacity_and_hasher(account.posts.len(), Default::default());
    for (i, p) in account.posts.iter().enumerate() {
        if p.kind == PostKind::Original && !p.id.is_empty() {
            ids.entry(&p.id).or_insert(i as u32);
        }
    }
    account
        .posts
        .iter()
        .enumerate()
        .map(|(i, p)| {
            if p.kind != PostKind::Original {
                return NONE;
            }
            p.in_reply_to
                .as_deref()
                .and_then(|r| ids.get(r).copied())
                .filter(|&parent| parent != i as u32)
                .unwrap_or(NONE)
        })
        .collect()
}

/// The root of each post's self-reply chain, from each post's self-reply parent, in linear time
/// (a chain of 100,000 replies must not cost 100,000² steps). A crafted archive can hold a cycle
/// of replies: its root is the post where the walk from the first of them met itself again.
pub(crate) fn thread_roots(parent: &[u32]) -> Vec<u32> {
    let n = parent.len();
    let mut root = vec![NONE; n];
    // Posts on the walk being followed, marked with the walk's number to find cycles.
    let mut walk_of = vec![NONE; n];
    let mut path = Vec::new();
    for start in 0..n {
        if root[start] != NONE {
            continue;
        }
        path.clear();
        let mut cur = start;
        let found = loop {
            if root[cur] != NONE {
                break root[cur];
            }
            if walk_of[cur] == start as u32 {
                break cur as u32;
            }
            walk_of[cur] = start as u32;
            path.push(cur);
            match parent.get(cur).copied() {
                Some(p) if p != NONE && (p as usize) < n => cur = p as usize,
                _ => break cur as u32,
            }
        };
        for &p in &path {
            root[p] = found;
        }
    }
    root
}

impl Index {
    /// Indexes an account's posts.
    ///
    /// Builds the term dictionary and postings from each post's searchable text (its text, content
    /// warning, poll options and attachment descriptions), the tag, mention, link-domain and
    /// language dictionaries, per-post columns for filters and facets, and the self-reply threads.
    pub fn build(account: &Account) -> Index {
        Index::build_with(account, Tokenized::of(&account.posts))
    }

    /// [`Index::build`], with the posts' text tokenized and filed already (elsewhere: see
    /// [`Tokenized`]). A `tokenized` filed in another order than this index ranks the account's
    /// posts (other posts, another number of them, other times) is ignored and the text
    /// tokenized here.
    pub fn build_with(account: &Account, tokenized: Tokenized) -> Index {
        Index::build_then(account, || Some(tokenized))
    }

    /// [`Index::build_with`], asking `text` for the text part only once the rest is built: made
    /// elsewhere, it has that much longer to be ready. `None`, or a text part filed in another
    /// order, and the text is tokenized here.
    pub fn build_then(account: &Account, text: impl FnOnce() -> Option<Tokenized>) -> Index {
        Index::build_then_with(account, self_reply_parents(account), text)
    }

    /// [`Index::build_then`], with each post's self-reply parent found already (what
    /// [`self_reply_parents`] gives: the browser's session finds them in the table of ids it made
    /// for reply excerpts in 6–8 ms at 100,000 posts natively, where hashing every id again
    /// took 15–19).
    pub fn build_then_with(
        account: &Account,
        self_reply_parents: Vec<u32>,
        text: impl FnOnce() -> Option<Tokenized>,
    ) -> Index {
        let posts = &account.posts;
        let n = u32::try_from(posts.len())
            .unwrap_or(u32::MAX - 1)
            .min(u32::MAX - 1);
        let posts = posts.get(..n as usize).unwrap_or(&[]);
        let post_times: Vec<i64> = posts.iter().map(post_time).collect();
        let rank_post = rank_order(&post_times);
        let mut post_rank = vec![0u32; n as usize];
        for (r, &p) in rank_post.iter().enumerate() {
            if let Some(slot) = post_rank.get_mut(p as usize) {
                *slot = r as u32;
            }
        }
        let times: Vec<i64> = rank_post
            .iter()
            .map(|&p| post_times.get(p as usize).copied().unwrap_or(i64::MIN))
            .collect();
        drop(post_times);
        let first_timed = times.partition_point(|&t| t == i64::MIN) as u32;

        // Threads.
        let mut parent = self_reply_parents;
        // One per post, each a post or none, whatever was given.
        parent.resize(n as usize, NONE);
        for p in &mut parent {
            if *p >= n {
                *p = NONE;
            }
        }
        let mut has_child = vec![false; n as usize];
        let mut kids: Vec<Vec<u32>> = vec![Vec::new(); n as usize];
        for &p in &rank_post {
            if let Some(&par) = parent.get(p as usize) {
                if par != NONE {
                    if let Some(h) = has_child.get_mut(par as usize) {
                        *h = true;
                    }
                    if let Some(k) = kids.get_mut(par as usize) {
                        k.push(p);
                    }
                }
            }
        }
        let mut missing_parent = Bitset::empty(n);
        let mut missing_own_parent = Bitset::empty(n);
        let own_prefix = account
            .actor
            .as_ref()
            .map(|a| format!("{}/", a.id.trim_end_matches('/')))
            .filter(|p| p.len() > 1);
        for (i, post) in posts.iter().enumerate() {
            let Some(target) = post.in_reply_to.as_deref() else {
                continue;
            };
            if post.kind == PostKind::Original && parent.get(i).is_some_and(|&x| x == NONE) {
                missing_parent.insert(i as u32);
                if own_prefix.as_deref().is_some_and(|p| target.starts_with(p)) {
                    missing_own_parent.insert(i as u32);
                }
            }
        }
        let mut children = PerPost::default();
        for k in &kids {
            children.push(k);
        }
        children.shrink();
        drop(kids);
        let thread_root = thread_roots(&parent);
        let mut thread_len = vec![0u32; thread_root.len()];
        for &r in &thread_root {
            if let Some(len) = thread_len.get_mut(r as usize) {
                *len += 1;
            }
        }

        let mut tags = DictBuilder::default();
        let mut tag_display: Vec<Box<str>> = Vec::new();
        let mut mentions = DictBuilder::default();
        let mut domains = DictBuilder::default();
        let mut langs = DictBuilder::default();
        let mut boosted = DictBuilder::default();
        let mut owners = DictBuilder::default();
        let mut owner_pp = PerPost::default();
        let several = account.owners.names.len() > 1 && account.owners.of_post.len() == posts.len();
        let handles = known_handles(account);
        let (mut tag_pp, mut mention_pp, mut domain_pp, mut lang_pp, mut boosted_pp) = (
            PerPost::default(),
            PerPost::default(),
            PerPost::default(),
            PerPost::default(),
            PerPost::default(),
        );
        let mut flags: Vec<Bitset> = (0..FLAGS).map(|_| Bitset::empty(n)).collect();
        let mut likes = Vec::with_capacity(n as usize);
        let mut shares = Vec::with_capacity(n as usize);
        let mut attachments = Vec::with_capacity(n as usize);
        let mut described = Vec::with_capacity(n as usize);
        let mut ids: Vec<u32> = Vec::new();
        let distinct = account.strings.len();
        let (mut tag_ids, mut mention_ids, mut lang_ids, mut boosted_ids) = (
            SymIds::new(distinct),
            SymIds::new(distinct),
            SymIds::new(distinct),
            SymIds::new(distinct),
        );

        for (r, &p) in rank_post.iter().enumerate() {
            let r = r as u32;
            let Some(post) = posts.get(p as usize) else {
                continue;
            };
            let set = |flags: &mut Vec<Bitset>, f: Flag, yes: bool| {
                if yes {
                    if let Some(b) = flags.get_mut(f as usize) {
                        b.insert(r);
                    }
                }
            };

            // Tags, mentions, links, language.
            ids.clear();
            for &sym in &post.hashtags {
                let name = account.strings.resolve(sym);
                if name.is_empty() {
                    continue;
                }
                let id = tag_ids.add(sym, &mut tags, r, || name.to_lowercase());
                if id as usize == tag_display.len() {
                    tag_display.push(name.into());
                }
                ids.push(id);
            }
            dedup_in_order(&mut ids);
            tag_pp.push(&ids);
            let has_tag = !ids.is_empty();

            ids.clear();
            for m in &post.mentions {
                let acct = account.strings.resolve(m.acct);
                if acct.is_empty() {
                    continue;
                }
                ids.push(mention_ids.add(m.acct, &mut mentions, r, || acct.to_lowercase()));
            }
            dedup_in_order(&mut ids);
            mention_pp.push(&ids);
            let has_mention = !ids.is_empty();

            ids.clear();
            for host in link_hosts(post) {
                ids.push(domains.add(&host, r));
            }
            domain_pp.push(&ids);
            let has_link = !ids.is_empty();

            ids.clear();
            if let Some(lang) = post.language {
                let l = account.strings.resolve(lang);
                if !l.is_empty() {
                    ids.push(lang_ids.add(lang, &mut langs, r, || l.to_lowercase()));
                }
            }
            lang_pp.push(&ids);

            ids.clear();
            if post.kind == PostKind::Boost {
                if let Some(sym) = post.boosted_account {
                    let a = account.strings.resolve(sym);
                    if !a.is_empty() {
                        let label = || account_label(a, &handles);
                        ids.push(boosted_ids.add(sym, &mut boosted, r, label));
                    }
                }
            }
            boosted_pp.push(&ids);

            if several {
                ids.clear();
                let owner = account.owners.of(p);
                if let Some(name) = account.owners.names.get(usize::from(owner)) {
                    ids.push(owners.add(name, r));
                }
                owner_pp.push(&ids);
            }

            // Flags.
            let original = post.kind == PostKind::Original;
            let self_reply = parent.get(p as usize).is_some_and(|&x| x != NONE);
            set(&mut flags, Flag::Original, original);
            set(&mut flags, Flag::Boost, !original);
            set(&mut flags, Flag::Reply, post.is_reply());
            set(&mut flags, Flag::SelfReply, self_reply);
            set(
                &mut flags,
                Flag::Thread,
                self_reply || has_child.get(p as usize).copied().unwrap_or(false),
            );
            set(&mut flags, Flag::Edited, is_edited(post));
            set(&mut flags, Flag::Sensitive, post.sensitive);
            set(&mut flags, Flag::Poll, post.poll.is_some());
            set(&mut flags, Flag::Quote, post.quote_of.is_some());
            let media = !post.attachments.is_empty();
            set(&mut flags, Flag::Media, media);
            for (kind, flag) in MEDIA_KINDS {
                set(
                    &mut flags,
                    flag,
                    post.attachments.iter().any(|a| a.kind == kind),
                );
            }
            let with_alt = post.attachments.iter().filter(|a| a.alt.is_some()).count();
            set(
                &mut flags,
                Flag::Alt,
                media && with_alt == post.attachments.len(),
            );
            set(&mut flags, Flag::NoAlt, with_alt < post.attachments.len());
            set(&mut flags, Flag::Link, has_link);
            set(&mut flags, Flag::Cw, content_warning(post).is_some());
            set(&mut flags, Flag::Mention, has_mention);
            set(&mut flags, Flag::Tag, has_tag);
            set(&mut flags, Flag::of_visibility(post.visibility), true);

            likes.push(post.likes.map_or(NONE, |v| v.min(NONE - 1)));
            shares.push(post.shares.map_or(NONE, |v| v.min(NONE - 1)));
            attachments.push(u8::try_from(post.attachments.len()).unwrap_or(u8::MAX));
            described.push(u8::try_from(with_alt).unwrap_or(u8::MAX));
        }

        // The text, tokenized and filed (here or elsewhere).
        let tokenized = text()
            .filter(|t| t.rank_post == rank_post)
            .unwrap_or_else(|| Tokenized::of(posts));
        let Tokenized {
            ids: short_ids,
            id_ends,
            terms,
            postings: term_postings,
            seq,
            seq_ends,
            doc_len,
            total_len,
            ..
        } = tokenized;
        let field = |b: DictBuilder, mut per_post: PerPost| {
            let (dict, postings) = b.finish(n);
            let df = (0..dict.len() as u32).map(|id| postings.df(id)).collect();
            per_post.shrink();
            let present = Bitset::from_fn(n, |r| !per_post.get(r).is_empty());
            Field {
                dict,
                postings,
                df,
                present_count: present.count(),
                present,
                per_post,
            }
        };
        Index {
            n,
            avg_len: if n == 0 {
                1.0
            } else {
                (total_len as f64 / f64::from(n)).max(1.0) as f32
            },
            rank_post,
            post_rank,
            times,
            first_timed,
            terms,
            term_postings,
            seq,
            seq_ends,
            doc_len,
            tags: field(tags, tag_pp),
            tag_display,
            mentions: field(mentions, mention_pp),
            domains: {
                // A post linking to blog.example.org links to example.org too, as
                // `domain:example.org` (which takes subdomains) finds it: the Linked sites'
                // counts are then those of the posts a click on them shows.
                let parents = domains.parent_domains();
                domains.add_parents(&parents, &mut domain_pp, n);
                field(domains, domain_pp)
            },
            langs: field(langs, lang_pp),
            boosted: field(boosted, boosted_pp),
            accounts: field(owners, owner_pp),
            account_names: account_names(account),
            flags,
            likes,
            shares,
            attachments,
            described,
            parent,
            children,
            thread_root,
            thread_len,
            ids: short_ids,
            id_ends,
            missing_parent,
            missing_own_parent,
            tz_cache: Mutex::new(Vec::new()),
        }
    }

    /// Number of posts indexed.
    pub fn len(&self) -> usize {
        self.n as usize
    }

    /// True when the archive has no posts.
    pub fn is_empty(&self) -> bool {
        self.n == 0
    }

    /// True when the index has the shape of one built from `posts` posts: every per-post column
    /// that long and the rank tables a permutation's size. A snapshot read back
    /// (`permafrost_session::snapshot`) is checked with this before it is used, besides its
    /// checksum, so that an index that does not fit its account is rebuilt, not searched.
    pub fn fits(&self, posts: usize) -> bool {
        let n = self.n as usize;
        let columns = [
            self.rank_post.len(),
            self.post_rank.len(),
            self.times.len(),
            self.doc_len.len(),
            self.likes.len(),
            self.shares.len(),
            self.attachments.len(),
            self.described.len(),
            self.parent.len(),
            self.thread_root.len(),
            self.thread_len.len(),
            self.id_ends.len(),
            self.seq_ends.len(),
        ];
        n == posts
            && columns.iter().all(|&len| len == n)
            && self.rank_post.iter().all(|&p| (p as usize) < n)
            && self.post_rank.iter().all(|&r| (r as usize) < n)
            && self
                .id_ends
                .last()
                .is_none_or(|&end| end as usize <= self.ids.len())
            && self
                .seq_ends
                .last()
                .is_none_or(|&end| end as usize <= self.seq.len())
    }

    /// Number of distinct terms (folded words and CJK bigrams).
    pub fn term_count(&self) -> usize {
        self.terms.len()
    }

    /// Approximate heap bytes of the index (not counting the account it was built from).
    pub fn heap_bytes(&self) -> usize {
        let n = self.n as usize;
        let tz: usize = self
            .tz_cache
            .lock()
            .map(|c| c.iter().map(|t| t.heap_bytes()).sum())
            .unwrap_or(0);
        4 * (self.rank_post.capacity() + self.post_rank.capacity())
            + 8 * self.times.capacity()
            + self.terms.heap_bytes()
            + self.term_postings.heap_bytes()
            + 4 * self.seq.capacity()
            + 4 * self.seq_ends.capacity()
            + 2 * self.doc_len.capacity()
            + self.tags.heap_bytes()
            + self.tag_display.iter().map(|s| s.len() + 16).sum::<usize>()
            + self.mentions.heap_bytes()
            + self.domains.heap_bytes()
            + self.langs.heap_bytes()
            + self.boosted.heap_bytes()
            + self.accounts.heap_bytes()
            + self.flags.iter().map(Bitset::heap_bytes).sum::<usize>()
            + 4 * (self.likes.capacity() + self.shares.capacity())
            + self.attachments.capacity()
            + self.described.capacity()
            + 4 * self.parent.capacity()
            + self.children.heap_bytes()
            + 4 * (self.thread_root.capacity() + self.thread_len.capacity())
            + self.ids.capacity()
            + 4 * self.id_ends.capacity()
            + self.missing_parent.heap_bytes()
            + self.missing_own_parent.heap_bytes()
            + tz
            + n / 8
    }

    /// The rank of a post id.
    pub(crate) fn rank_of(&self, post: u32) -> Option<u32> {
        self.post_rank.get(post as usize).copied()
    }

    /// The post id of a rank.
    pub(crate) fn post_of(&self, rank: u32) -> u32 {
        self.rank_post.get(rank as usize).copied().unwrap_or(NONE)
    }

    /// The token sequence of a rank.
    pub(crate) fn seq_of(&self, rank: u32) -> &[u32] {
        let r = rank as usize;
        let end = self.seq_ends.get(r).copied().unwrap_or(0) as usize;
        let start = if r == 0 {
            0
        } else {
            self.seq_ends.get(r - 1).copied().unwrap_or(0) as usize
        };
        self.seq.get(start..end).unwrap_or(&[])
    }

    pub(crate) fn flag(&self, f: Flag) -> Bitset {
        self.flags
            .get(f as usize)
            .cloned()
            .unwrap_or_else(|| Bitset::empty(self.n))
    }

    pub(crate) fn flag_ref(&self, f: Flag) -> Option<&Bitset> {
        self.flags.get(f as usize)
    }
}

/// The names `account:` takes: the accounts open together, or the one account's handle.
fn account_names(account: &Account) -> Vec<Box<str>> {
    if !account.owners.names.is_empty() {
        return account.owners.names.clone();
    }
    account
        .actor
        .as_ref()
        .map(|a| a.handle.trim().trim_start_matches('@').to_lowercase())
        .filter(|h| !h.is_empty())
        .map(|h| vec![h.into()])
        .unwrap_or_default()
}

/// True when `account:value` names the account `name` (`alice@example.social`): the whole
/// name, or its user name alone when no other account open has it.
pub(crate) fn names_account(names: &[Box<str>], name: &str, value: &str) -> bool {
    if name == value {
        return true;
    }
    let user = |n: &str| n.split('@').next().unwrap_or("").to_string();
    !value.contains('@')
        && user(name) == value
        && names.iter().filter(|n| user(n) == value).count() == 1
}
