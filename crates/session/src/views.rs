//! Turning the model's posts into the protocol's [`PostView`]s: interned symbols resolved, the
//! reply parent looked up.

use permafrost_model::{Account, Attachment, Href, Poll, Post, PostKind};
use permafrost_protocol::{AttachmentView, ParentView, PostView};
use std::collections::HashMap;

/// Finds posts by URI, for reply parents.
pub struct Parents {
    by_id: HashMap<Box<str>, u32>,
}

impl Parents {
    /// Indexes the originals of an account by id and URL.
    pub fn new(account: &Account) -> Parents {
        let mut by_id = HashMap::with_capacity(account.posts.len());
        for (i, post) in account.posts.iter().enumerate() {
            if post.kind == PostKind::Original {
                let i = i as u32;
                by_id.insert(post.id.clone(), i);
                if let Some(url) = &post.url {
                    by_id.entry(url.clone()).or_insert(i);
                }
            }
        }
        Parents { by_id }
    }

    /// No posts: nothing is found (for previews, read before the archive is complete).
    pub fn none() -> Parents {
        Parents {
            by_id: HashMap::new(),
        }
    }

    /// The index of the post with this URI.
    pub fn find(&self, uri: &str) -> Option<u32> {
        self.by_id.get(uri).copied()
    }
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
        .and_then(|uri| parents.find(uri))
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
