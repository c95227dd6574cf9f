//! Turning the model's posts into the protocol's [`PostView`]s: interned symbols resolved, the
//! reply parent looked up.

use permafrost_model::{Account, Attachment, Href, Poll, Post, PostKind};
use permafrost_protocol::{AttachmentView, ParentView, PostView};

/// Finds posts by URI, for reply parents: an original post by its id, else by its URL.
///
/// Holds a hash of each id and URL beside its post's index, sorted, and compares the texts in
/// the posts themselves: a map owning copies of them held 200,000 strings more at 100,000 posts,
/// and building it was a sixtieth of opening in the browser.
pub struct Parents {
    /// `(hash of the id or URL, post index << 1 | 1 for a URL)`, sorted.
    by_hash: Vec<(u64, u32)>,
    /// Where the entries whose hash begins with each [`Parents::bits`]-bit prefix start in
    /// `by_hash`, and last its length: a lookup searches its prefix's one or two entries, not
    /// all of them (binary searches of 200,000 were most of counting the self-replies of
    /// 100,000 posts, a cache miss a step).
    starts: Vec<usize>,
    /// About log₂ of the number of entries (at most [`MAX_PREFIX_BITS`]).
    bits: u32,
}

/// The most bits of a hash [`Parents::starts`] is indexed by: 2¹⁸ starts (1 MB on wasm32) for
/// 262,144 entries or more.
const MAX_PREFIX_BITS: u32 = 18;

impl Parents {
    /// Indexes the originals of an account by id and URL.
    pub fn new(account: &Account) -> Parents {
        let mut by_hash = Vec::with_capacity(account.posts.len() * 2);
        for (i, post) in account.posts.iter().enumerate() {
            // Beyond 2³¹ posts (never: wasm32 memory holds 4 GB) the rest are not found.
            let Some(i) = u32::try_from(i).ok().filter(|&i| i < 1 << 31) else {
                break;
            };
            if post.kind == PostKind::Original {
                by_hash.push((uri_hash(&post.id), i << 1));
                if let Some(url) = &post.url {
                    by_hash.push((uri_hash(url), i << 1 | 1));
                }
            }
        }
        by_hash.sort_unstable();
        Parents::over(by_hash)
    }

    /// The table over `by_hash` (sorted).
    fn over(by_hash: Vec<(u64, u32)>) -> Parents {
        let bits = by_hash.len().max(1).ilog2().min(MAX_PREFIX_BITS);
        let mut starts = vec![0; (1 << bits) + 1];
        // Counted per prefix, then summed into where each prefix's entries start.
        for &(hash, _) in &by_hash {
            if let Some(n) = starts.get_mut(prefix(hash, bits) + 1) {
                *n += 1;
            }
        }
        for i in 1..starts.len() {
            starts[i] += starts[i - 1];
        }
        Parents {
            by_hash,
            starts,
            bits,
        }
    }

    /// No posts: nothing is found (for previews, read before the archive is complete).
    pub fn none() -> Parents {
        Parents::over(Vec::new())
    }

    /// True when `uri` is the id of an original post of `account`.
    pub fn is_original_id(&self, account: &Account, uri: &str) -> bool {
        self.candidates(uri).any(|(i, is_url)| {
            !is_url && account.posts.get(i as usize).is_some_and(|p| *p.id == *uri)
        })
    }

    /// The self-reply parent of each post of `account` (`u32::MAX` for none), as
    /// [`permafrost_index::self_reply_parents`] finds them: the first original post whose id an
    /// original post's `in_reply_to` is, unless that is the post itself.
    pub fn self_reply_parents(&self, account: &Account) -> Vec<u32> {
        const NONE: u32 = u32::MAX;
        let posts = &account.posts;
        (0..posts.len())
            .zip(posts)
            .map(|(i, post)| {
                let Some(target) = post.in_reply_to.as_deref().filter(|t| !t.is_empty()) else {
                    return NONE;
                };
                if post.kind != PostKind::Original {
                    return NONE;
                }
                let first = self
                    .candidates(target)
                    .filter(|&(at, is_url)| {
                        !is_url && posts.get(at as usize).is_some_and(|p| *p.id == *target)
                    })
                    .map(|(at, _)| at)
                    .min();
                first.filter(|&at| at as usize != i).unwrap_or(NONE)
            })
            .collect()
    }

    /// The posts whose id or URL has the hash of `uri`, each with whether it is by URL.
    fn candidates(&self, uri: &str) -> impl Iterator<Item = (u32, bool)> + '_ {
        let hash = uri_hash(uri);
        let at = prefix(hash, self.bits);
        let (start, end) = (self.starts[at], self.starts[at + 1]);
        let bucket = &self.by_hash[start..end];
        let from = bucket.partition_point(|&(h, _)| h < hash);
        bucket[from..]
            .iter()
            .take_while(move |&&(h, _)| h == hash)
            .map(|&(_, at)| (at >> 1, at & 1 == 1))
    }

    /// The index of the post of `account` with this URI: the last whose id it is, else the
    /// first whose URL it is.
    pub fn find(&self, account: &Account, uri: &str) -> Option<u32> {
        let (mut by_id, mut by_url) = (None, None);
        for (i, is_url) in self.candidates(uri) {
            let Some(post) = account.posts.get(i as usize) else {
                continue;
            };
            if is_url {
                if post.url.as_deref() == Some(uri) && by_url.is_none_or(|u| i < u) {
                    by_url = Some(i);
                }
            } else if *post.id == *uri && by_id.is_none_or(|d| i > d) {
                by_id = Some(i);
            }
        }
        by_id.or(by_url)
    }
}

/// A URI's hash for [`Parents`]: FxHash, as the index's own table of post ids
/// (`permafrost_index`'s `self_reply_parents`). SipHash was 5% of opening an archive in the
/// worker (profiled at 100,000 posts, two hashes per post). Posts crafted to share a hash cost
/// a lookup time (each of them is compared), never a wrong parent: candidates are compared whole.
/// The first `bits` bits of `hash` (0 for none).
fn prefix(hash: u64, bits: u32) -> usize {
    hash.checked_shr(64 - bits).unwrap_or(0) as usize
}

fn uri_hash(uri: &str) -> u64 {
    use std::hash::BuildHasher;
    rustc_hash::FxBuildHasher.hash_one(uri)
}

/// Characters of a parent's text shown above a reply.
const EXCERPT_CHARS: usize = 160;

/// The view of post `index`.
pub fn post_view(account: &Account, parents: &Parents, index: u32) -> Option<PostView> {
    let post = account.posts.get(index as usize)?;
    let s = |sym| account.strings.resolve(sym).to_string();
    let parent = post
        .in_reply_to
        .as_deref()
        .and_then(|uri| parents.find(account, uri))
        .and_then(|i| parent_view(account, i));
    // A view holds a bounded part of a huge post: the page must draw it within a frame.
    let (content, cut) = post
        .content
        .beginning(PostView::MAX_PIECES, PostView::MAX_CHARS);
    Some(PostView {
        index,
        id: post.id.to_string(),
        kind: post.kind,
        // A boost's id is its Announce activity, not a page: a boost links to the boosted post.
        link: post
            .url
            .as_deref()
            .or((post.kind == PostKind::Original).then_some(&*post.id))
            .and_then(Href::parse),
        published: post.published,
        updated: post.updated,
        visibility: post.visibility,
        in_reply_to: post.in_reply_to.as_deref().map(str::to_string),
        in_reply_to_link: post.in_reply_to.as_deref().and_then(Href::parse),
        parent,
        boost_of: post.boost_of.as_deref().map(str::to_string),
        boost_of_link: post.boost_of.as_deref().and_then(Href::parse),
        boosted_account: post.boosted_account.map(s),
        quote_of: post.quote_of.as_deref().map(str::to_string),
        content_warning: post.content_warning.as_deref().map(str::to_string),
        content,
        content_cut: (!cut.is_none()).then_some(cut),
        language: post.language.map(s),
        sensitive: post.sensitive,
        attachments: post
            .attachments
            .iter()
            .take(PostView::MAX_ATTACHMENTS)
            .map(|a| attachment_view(account, a))
            .collect(),
        poll: post.poll.as_ref().map(|p| Poll {
            multiple: p.multiple,
            options: p
                .options
                .iter()
                .take(PostView::MAX_POLL_OPTIONS)
                .cloned()
                .collect(),
            end_time: p.end_time,
            closed: p.closed,
            voters: p.voters,
        }),
        more_poll_options: post.poll.as_ref().map_or((0, 0), |p| {
            let rest = p
                .options
                .get(PostView::MAX_POLL_OPTIONS..)
                .unwrap_or_default();
            (
                left_out(p.options.len(), PostView::MAX_POLL_OPTIONS),
                rest.iter().filter_map(|o| o.votes).map(u64::from).sum(),
            )
        }),
        more_attachments: left_out(post.attachments.len(), PostView::MAX_ATTACHMENTS),
        hashtags: post
            .hashtags
            .iter()
            .take(PostView::MAX_HASHTAGS)
            .map(|&h| s(h))
            .collect(),
        more_hashtags: left_out(post.hashtags.len(), PostView::MAX_HASHTAGS),
        mentions: post.mentions.iter().map(|m| s(m.acct)).collect(),
        likes: post.likes,
        shares: post.shares,
        highlights: Vec::new(),
        // Known once the archive is indexed: `Session::posts` fills it in.
        thread_len: 0,
        account: (!account.owners.of_post.is_empty()).then(|| u32::from(account.owners.of(index))),
    })
}

/// An attachment as the page shows it (in a post, and in the media library).
pub(crate) fn attachment_view(account: &Account, a: &Attachment) -> AttachmentView {
    AttachmentView {
        kind: a.kind,
        media_type: a.media_type.map(|m| account.strings.resolve(m).to_string()),
        alt: a.alt.as_deref().map(str::to_string),
        blurhash: a.blurhash.as_deref().map(str::to_string),
        width: a.width,
        height: a.height,
        duration: a.duration,
        present: a.entry.is_some(),
    }
}

/// How many of `len` items a view that holds `max` leaves out.
fn left_out(len: usize, max: usize) -> u32 {
    len.saturating_sub(max).try_into().unwrap_or(u32::MAX)
}

/// The last `n` posts of an account being read (the newest, in outbox order), newest first,
/// without attachments (not yet matched to archive entries) or reply parents.
pub fn preview(account: &Account, n: usize) -> Vec<PostView> {
    let none = Parents::none();
    let len = account.posts.len();
    (len.saturating_sub(n)..len)
        .rev()
        .filter_map(|i| {
            let mut view = post_view(account, &none, i as u32)?;
            view.attachments.clear();
            Some(view)
        })
        .collect()
}

/// What a reply shows of its parent, and a like of your own post of that post.
pub(crate) fn parent_view(account: &Account, index: u32) -> Option<ParentView> {
    let p = account.posts.get(index as usize)?;
    Some(ParentView {
        index,
        published: p.published,
        excerpt: excerpt(p),
    })
}

fn excerpt(post: &Post) -> String {
    let text = match &post.content_warning {
        Some(cw) => format!("CW: {cw}"),
        None => post.content.plain_text(),
    };
    let flat = text.split_whitespace().collect::<Vec<_>>().join(" ");
    match flat.char_indices().nth(EXCERPT_CHARS) {
        Some((at, _)) => format!("{}…", &flat[..at]),
        None => flat,
    }
}

/// The MIME type a media Blob gets: the archive's type when it is a known image, video or audio
/// type, else one guessed from the file name, else `application/octet-stream`. Never HTML, SVG or
/// anything else a browser would run if the Blob URL were opened as a page.
pub fn media_mime(declared: Option<&str>, name: &str) -> &'static str {
    let declared = declared.unwrap_or("").trim().to_ascii_lowercase();
    if let Some(known) = SAFE_TYPES.iter().find(|(t, _)| *t == declared) {
        return known.0;
    }
    let ext = name.rsplit('.').next().unwrap_or("").to_ascii_lowercase();
    SAFE_TYPES
        .iter()
        .find(|(_, exts)| exts.split(' ').any(|e| e == ext))
        .map_or("application/octet-stream", |(t, _)| t)
}

/// MIME types media Blobs may have, with their file extensions.
const SAFE_TYPES: &[(&str, &str)] = &[
    ("image/jpeg", "jpg jpeg jfif"),
    ("image/png", "png"),
    ("image/gif", "gif"),
    ("image/webp", "webp"),
    ("image/avif", "avif"),
    ("image/heic", "heic"),
    ("image/bmp", "bmp"),
    ("video/mp4", "mp4 m4v"),
    ("video/webm", "webm"),
    ("video/quicktime", "mov"),
    ("audio/mpeg", "mp3"),
    ("audio/ogg", "ogg oga opus"),
    ("audio/wav", "wav"),
    ("audio/x-wav", ""),
    ("audio/flac", "flac"),
    ("audio/mp4", "m4a"),
    ("audio/aac", "aac"),
    ("audio/webm", ""),
];

#[cfg(test)]
mod tests {
    use super::*;

    fn note(n: u32, extra: &str) -> String {
        format!(
            r#"{{"id":"https://ex.social/users/a/statuses/{n}/activity","type":"Create","actor":"https://ex.social/users/a","published":"2023-01-01T10:00:00Z","to":["https://www.w3.org/ns/activitystreams#Public"],"object":{{"id":"https://ex.social/users/a/statuses/{n}","type":"Note","url":"https://ex.social/@a/{n}","published":"2023-01-01T10:00:00Z","content":"<p>post {n}</p>"{extra}}}}}"#
        )
    }

    /// The account an outbox.json of these activities gives.
    fn account_of(items: &[String]) -> Account {
        let json = format!(r#"{{"orderedItems":[{}]}}"#, items.join(","));
        let mut account = Account::default();
        permafrost_model::outbox::read_outbox(
            json.as_bytes(),
            "outbox.json",
            &mut account,
            &mut |_, _| {},
        )
        .expect("readable");
        account
    }

    #[test]
    fn parents_are_found_by_id_then_by_url_and_only_among_originals() {
        let boost = r#"{"id":"https://ex.social/users/a/statuses/9/activity","type":"Announce","actor":"https://ex.social/users/a","published":"2023-01-01T10:00:00Z","to":["https://www.w3.org/ns/activitystreams#Public"],"object":"https://other.example/notes/1"}"#;
        let items = [
            note(1, ""),
            note(2, ""),
            // Post 3's URL is post 1's id: the id wins.
            note(3, "").replace(
                "https://ex.social/@a/3",
                "https://ex.social/users/a/statuses/1",
            ),
            // Post 2 again (an id twice, as in a damaged file): the last one wins.
            note(2, "").replace("post 2", "post 2 again"),
            boost.to_string(),
        ];
        let account = account_of(&items);
        assert_eq!(account.posts.len(), 5);
        let parents = Parents::new(&account);
        let find = |uri: &str| parents.find(&account, uri);
        assert_eq!(find("https://ex.social/users/a/statuses/1"), Some(0));
        assert_eq!(find("https://ex.social/@a/1"), Some(0));
        assert_eq!(find("https://ex.social/@a/3"), None);
        assert_eq!(find("https://ex.social/users/a/statuses/2"), Some(3));
        assert_eq!(find("https://ex.social/@a/2"), Some(1));
        assert_eq!(find("https://ex.social/users/a/statuses/9/activity"), None);
        assert_eq!(find("https://other.example/notes/1"), None);
        assert_eq!(find(""), None);
        assert_eq!(
            Parents::none().find(&account, "https://ex.social/@a/1"),
            None
        );
    }

    /// The self-reply parents found with the table are the index's own, on crafted cases and on
    /// a generated archive's thousands of self-replies.
    #[test]
    fn self_reply_parents_are_the_index_s() {
        let reply = |n: u32, to: &str| note(n, &format!(r#","inReplyTo":"{to}""#));
        let items = [
            note(1, ""),
            reply(2, "https://ex.social/users/a/statuses/1"),
            // To itself: none.
            reply(3, "https://ex.social/users/a/statuses/3"),
            // By URL, not id: none.
            reply(4, "https://ex.social/@a/1"),
            // Post 2's id again (a damaged file): replies to it go to the first.
            note(2, ""),
            reply(6, "https://ex.social/users/a/statuses/2"),
            reply(7, "https://elsewhere.example/notes/1"),
            reply(8, ""),
        ];
        let account = account_of(&items);
        let found = Parents::new(&account).self_reply_parents(&account);
        let none = u32::MAX;
        assert_eq!(found, [none, 0, none, none, none, 1, none, none]);
        assert_eq!(found, permafrost_index::self_reply_parents(&account));

        let mut zip = std::io::Cursor::new(Vec::new());
        let opts = permafrost_synth::Options {
            posts: 5000,
            seed: 11,
            ..Default::default()
        };
        permafrost_synth::write_archive(&opts, &mut zip).expect("synth");
        let inputs = vec![permafrost_engine::Input::new(
            "a.zip",
            std::io::Cursor::new(zip.into_inner()),
        )];
        let account = permafrost_engine::load(inputs, &mut |_| {})
            .expect("opens")
            .account;
        let found = Parents::new(&account).self_reply_parents(&account);
        let linked = found.iter().filter(|&&p| p != none).count();
        assert!(linked > 100, "{linked} self-replies");
        assert_eq!(found, permafrost_index::self_reply_parents(&account));
    }

    /// With thousands of posts, the table is split by hash prefix: each id and URL is still
    /// found at its post, and no other URI is.
    #[test]
    fn parents_among_thousands_of_posts() {
        let items: Vec<String> = (0..3000).map(|n| note(n, "")).collect();
        let account = account_of(&items);
        let parents = Parents::new(&account);
        assert!(parents.bits >= 10, "{} bits", parents.bits);
        for n in 0..3000u32 {
            let id = format!("https://ex.social/users/a/statuses/{n}");
            assert_eq!(parents.find(&account, &id), Some(n), "{id}");
            assert!(parents.is_original_id(&account, &id));
            let url = format!("https://ex.social/@a/{n}");
            assert_eq!(parents.find(&account, &url), Some(n), "{url}");
            assert!(!parents.is_original_id(&account, &url));
            let other = format!("https://ex.social/users/a/statuses/{n}/activity");
            assert_eq!(parents.find(&account, &other), None);
        }
    }
}
