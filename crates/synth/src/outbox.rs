//! outbox.json, one item at a time, with the true counts kept alongside.

use std::collections::{BTreeMap, VecDeque};
use std::io::{self, Write};

use crate::json::Json;
use crate::media::{blurhash, Kind, MediaFile};
use crate::people::{snowflake, Account};
use crate::plan::Plan;
use crate::rng::Rng;
use crate::text::{self, Lang, Text, TextSpec};
use crate::time;
use crate::words;

const PUBLIC: &str = "https://www.w3.org/ns/activitystreams#Public";

/// The 4.2+ `full_context` (as in a real 4.2.10 archive).
const FULL_CONTEXT: &str = r#"["https://www.w3.org/ns/activitystreams","https://w3id.org/security/v1",{"manuallyApprovesFollowers":"as:manuallyApprovesFollowers","sensitive":"as:sensitive","Hashtag":"as:Hashtag","movedTo":{"@id":"as:movedTo","@type":"@id"},"alsoKnownAs":{"@id":"as:alsoKnownAs","@type":"@id"},"toot":"http://joinmastodon.org/ns#","Emoji":"toot:Emoji","featured":{"@id":"toot:featured","@type":"@id"},"featuredTags":{"@id":"toot:featuredTags","@type":"@id"},"schema":"http://schema.org#","PropertyValue":"schema:PropertyValue","value":"schema:value","ostatus":"http://ostatus.org#","atomUri":"ostatus:atomUri","inReplyToAtomUri":"ostatus:inReplyToAtomUri","conversation":"ostatus:conversation","focalPoint":{"@container":"@list","@id":"toot:focalPoint"},"blurhash":"toot:blurhash","discoverable":"toot:discoverable","indexable":"toot:indexable","memorial":"toot:memorial","votersCount":"toot:votersCount","suspended":"toot:suspended","attributionDomains":{"@id":"toot:attributionDomains","@type":"@id"}}]"#;

/// The per-item `@context` that tar-era archives kept on unsigned Creates (issue #21768).
const ITEM_CONTEXT: &str = r#"["https://www.w3.org/ns/activitystreams",{"ostatus":"http://ostatus.org#","atomUri":"ostatus:atomUri","inReplyToAtomUri":"ostatus:inReplyToAtomUri","conversation":"ostatus:conversation","sensitive":"as:sensitive","toot":"http://joinmastodon.org/ns#","votersCount":"toot:votersCount","blurhash":"toot:blurhash","focalPoint":{"@container":"@list","@id":"toot:focalPoint"},"Hashtag":"as:Hashtag"}]"#;

/// Where local media lived on a ≤4.1 server with local storage: tar entries carry this absolute path.
pub(crate) const LOCAL_MEDIA_ROOT: &str = "/home/mastodon/live/public/system/";

/// Visibility, in `Expected` order.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Vis {
    Public,
    Unlisted,
    Private,
    Direct,
}

/// Counts gathered while writing (turned into `Expected` by the caller).
#[derive(Debug, Default, Clone)]
pub(crate) struct Counts {
    pub(crate) posts: usize,
    pub(crate) originals: usize,
    pub(crate) boosts: usize,
    pub(crate) self_boosts: usize,
    pub(crate) self_boost_attachments: usize,
    pub(crate) replies: usize,
    pub(crate) self_replies: usize,
    /// public, unlisted, private, direct.
    pub(crate) visibility: [usize; 4],
    pub(crate) with_media: usize,
    pub(crate) polls: usize,
    pub(crate) with_cw: usize,
    pub(crate) edited: usize,
    pub(crate) languages: BTreeMap<&'static str, usize>,
    pub(crate) media_referenced: usize,
    pub(crate) media_missing: usize,
    pub(crate) media_without_alt: usize,
    /// Per `words::HASHTAGS` entry: originals tagged with it.
    pub(crate) hashtags: Vec<usize>,
    /// Per `words::MARKERS` entry, then the CJK marker: originals whose content contains it.
    pub(crate) markers: Vec<usize>,
    pub(crate) first_secs: Option<i64>,
    pub(crate) last_secs: Option<i64>,
    /// The `totalItems` written in the wrapper (deliberately not the item count).
    pub(crate) total_items_field: usize,
    /// Size of outbox.json.
    pub(crate) bytes: u64,
}

/// An attachment of one post.
#[derive(Debug)]
struct Attachment {
    file: MediaFile,
    /// 0: exact key, 1: leading slash, 2: S3 bucket prefix.
    style: u8,
    /// `None` → `null`; `Some("")` also counts as no alt text.
    alt: Option<String>,
    blurhash: Option<String>,
    focal: Option<(i64, i64)>,
    size: Option<(u64, u64)>,
    missing: bool,
}

#[derive(Debug)]
struct Poll {
    multiple: bool,
    options: Vec<(String, u64)>,
    voters: u64,
    end_secs: i64,
}

/// A self-reply thread being written (its posts follow each other in the outbox).
#[derive(Debug)]
struct Thread<'p> {
    /// Ids of the posts still to come; `next` is the one to write now.
    ids: Vec<u64>,
    next: usize,
    parent: u64,
    vis: Vis,
    lang: Option<Lang>,
    mentions: Vec<&'p Account>,
    conversation: String,
    cw: Option<&'static str>,
}

/// One note's data, for writing it (twice for posts that get an inline self-boost).
struct Note<'a> {
    id: u64,
    secs: i64,
    summary: Option<&'static str>,
    in_reply_to: Option<&'a str>,
    to: &'a [&'a str],
    cc: &'a [&'a str],
    sensitive: bool,
    conversation: &'a str,
    lang: Option<Lang>,
    updated: Option<i64>,
    attachments: &'a [Attachment],
    mentions: &'a [&'a Account],
    reply_item: Option<u64>,
    likes: u64,
    shares: u64,
    poll: Option<&'a Poll>,
}

/// Writes the outbox and counts what it wrote.
pub(crate) struct Outbox<'p> {
    p: &'p Plan,
    rng: Rng,
    j: Json,
    side: Json,
    text: Text,
    i: usize,
    clock_ms: u64,
    prev_ms: u64,
    conv: u64,
    thread: Option<Thread<'p>>,
    /// Inline notes (absolute media URLs) waiting for their self-boost, with their attachment count.
    pending: VecDeque<(Vec<u8>, usize)>,
    pub(crate) counts: Counts,
    /// Files to put in the archive (referenced and not missing), in outbox order.
    pub(crate) media: Vec<MediaFile>,
}

impl<'p> Outbox<'p> {
    pub(crate) fn new(p: &'p Plan) -> Self {
        let mut rng = Rng::new(p.seed, 0);
        let conv = rng.range(1_000_000, 30_000_000);
        Outbox {
            p,
            rng,
            j: Json::new(p.escape),
            side: Json::new(p.escape),
            text: Text::default(),
            i: 0,
            clock_ms: p.start_ms,
            prev_ms: p.start_ms,
            conv,
            thread: None,
            pending: VecDeque::new(),
            counts: Counts {
                hashtags: vec![0; words::HASHTAGS.len()],
                markers: vec![0; words::MARKERS.len() + 1],
                ..Counts::default()
            },
            media: Vec::new(),
        }
    }

    /// Writes the whole outbox.json to `out`, returning its length in bytes.
    pub(crate) fn write_to<W: Write>(&mut self, out: &mut W) -> io::Result<u64> {
        let mut written = 0u64;
        // `statuses_count` excludes direct messages and drifts: it is never the item count.
        let total_items = self.p.posts - self.p.posts * 7 / 100;
        self.counts.total_items_field = total_items;
        self.j.buf.clear();
        self.j.raw("{\"@context\":");
        if self.p.tar_era() {
            self.j.str("https://www.w3.org/ns/activitystreams");
        } else {
            self.j.raw(FULL_CONTEXT);
        }
        self.j
            .raw(",\"id\":\"outbox.json\",\"type\":\"OrderedCollection\",\"totalItems\":");
        self.j.num(total_items as u64);
        self.j.raw(",\"orderedItems\":[");
        out.write_all(&self.j.buf)?;
        written += self.j.buf.len() as u64;
        for i in 0..self.p.posts {
            self.j.buf.clear();
            if i > 0 {
                self.j.raw(",");
            }
            self.item();
            out.write_all(&self.j.buf)?;
            written += self.j.buf.len() as u64;
        }
        out.write_all(b"]}")?;
        self.counts.bytes = written + 2;
        Ok(written + 2)
    }

    fn item(&mut self) {
        let remaining = self.p.posts - self.i;
        if let Some(th) = &self.thread {
            if th.next < th.ids.len() {
                let ms = th.ids[th.next] >> 16;
                self.clock_ms = ms;
                self.original(Shape::ThreadReply);
                self.finish_item();
                return;
            }
            self.thread = None;
        }
        self.advance();
        let first = self.i == 0;
        let last = remaining == 1;
        if !first && !last && self.rng.permille(170) {
            self.boost();
        } else {
            let r = self.rng.below(1000);
            if r < 45 && remaining >= 2 {
                let k = self.rng.range(2, 6).min(remaining as u64) as usize;
                self.original(Shape::ThreadRoot(k));
            } else if r < 265 {
                self.original(Shape::ReplyOther);
            } else if r < 271 {
                self.original(Shape::ReplyDeleted);
            } else {
                self.original(Shape::Standalone);
            }
        }
        self.finish_item();
    }

    fn finish_item(&mut self) {
        let secs = (self.clock_ms / 1000) as i64;
        self.counts.first_secs.get_or_insert(secs);
        self.counts.last_secs = Some(secs);
        self.counts.posts += 1;
        self.prev_ms = self.clock_ms;
        self.i += 1;
    }

    /// Largest gap allowed before item `index` so every later item still fits before `end_ms` at ≥ 1 s apart.
    fn max_gap(&self, clock: u64, index: usize) -> u64 {
        let after = (self.p.posts - index - 1) as u64;
        self.p
            .end_ms
            .saturating_sub(clock)
            .saturating_sub(after * 1000)
            .max(1000)
    }

    /// Moves the clock to the next post: bursty gaps whose mean tracks the time left.
    fn advance(&mut self) {
        let remaining = (self.p.posts - self.i) as u64;
        let mean = self.p.end_ms.saturating_sub(self.clock_ms) / remaining.max(1);
        let u = self.rng.below(1 << 32) as u128;
        // 3·u² has mean 1 and a long run of short gaps: posts come in bursts.
        let desired = ((mean as u128 * 3 * u * u) >> 64) as u64;
        let gap = desired.clamp(1000, self.max_gap(self.clock_ms, self.i));
        self.clock_ms += gap;
    }

    fn status_uri(&self, id: u64) -> String {
        format!("{}/statuses/{}", self.p.actor, id)
    }

    fn boost(&mut self) {
        let p = self.p;
        let id = snowflake(self.clock_ms, self.rng.below(1 << 16));
        let secs = (self.clock_ms / 1000) as i64;
        let uri = self.status_uri(id);
        let published = time::rfc3339(secs);
        let j = &mut self.j;
        j.raw("{");
        if p.tar_era() {
            j.kv("@context", "https://www.w3.org/ns/activitystreams");
        }
        j.key("id");
        j.str2(&uri, "/activity");
        j.raw(",\"type\":\"Announce\",");
        j.kv("actor", &p.actor);
        j.kv("published", &published);
        self.counts.boosts += 1;
        if !self.pending.is_empty() && self.rng.permille(80) {
            // Boost of one's own followers-only post: Mastodon inlines the Note.
            if let Some((note, attachments)) = self.pending.pop_front() {
                j.key("to");
                j.str_array(&[&p.followers]);
                j.raw(",\"cc\":");
                j.str_array(&[&p.actor]);
                j.raw(",\"object\":");
                j.buf.extend_from_slice(&note);
                j.raw("}");
                self.counts.self_boosts += 1;
                self.counts.self_boost_attachments += attachments;
                return;
            }
        }
        let author = p.social.pick(&mut self.rng);
        let back = self.rng.range(60_000, 3 * 86_400_000);
        let target = if self.rng.permille(5) {
            format!(
                "tag:mastodon.example,2017-0{}-1{}:objectId={}:objectType=Status",
                self.rng.range(4, 9),
                self.rng.range(0, 9),
                self.rng.range(1000, 9_999_999)
            )
        } else {
            author.status_uri(&mut self.rng, self.clock_ms.saturating_sub(back))
        };
        j.key("to");
        j.str_array(&[PUBLIC]);
        j.raw(",\"cc\":");
        j.str_array(&[&author.uri, &p.followers]);
        j.raw(",\"object\":");
        j.str(&target);
        j.raw("}");
    }

    fn draw_vis(&mut self) -> Vis {
        match self.rng.weighted(&[70, 12, 10, 8]) {
            0 => Vis::Public,
            1 => Vis::Unlisted,
            2 => Vis::Private,
            _ => Vis::Direct,
        }
    }

    fn new_conversation(&mut self, secs: i64) -> String {
        self.conv += self.rng.range(1, 40);
        format!(
            "tag:{},{}:objectId={}:objectType=Conversation",
            self.p.host,
            time::date(secs),
            self.conv
        )
    }

    fn original(&mut self, kind: Shape) {
        let p = self.p;
        let ms = self.clock_ms;
        let secs = (ms / 1000) as i64;
        let mut self_reply = false;
        let mut in_reply_to: Option<String> = None;
        let mut group: Option<&'p Account> = None;
        let id;
        let vis;
        let lang;
        let mut mentions: Vec<&'p Account>;
        let cw;
        let conversation;
        let reply_item;
        match (&mut self.thread, kind) {
            (Some(th), Shape::ThreadReply) => {
                id = th.ids[th.next];
                in_reply_to = Some(format!("{}/statuses/{}", p.actor, th.parent));
                self_reply = true;
                vis = th.vis;
                lang = th.lang;
                mentions = th.mentions.clone();
                cw = th.cw;
                conversation = th.conversation.clone();
                reply_item = th.ids.get(th.next + 1).copied();
                th.parent = id;
                th.next += 1;
            }
            _ => {
                id = snowflake(ms, self.rng.below(1 << 16));
                vis = self.draw_vis();
                lang = Lang::draw(&mut self.rng);
                cw = if self.rng.permille(80) {
                    Some(self.rng.pick(words::CONTENT_WARNINGS))
                } else {
                    None
                };
                mentions = Vec::new();
                match kind {
                    Shape::ReplyOther => {
                        let author = p.social.pick(&mut self.rng);
                        mentions.push(author);
                        let back = self.rng.range(10_000, 2 * 86_400_000);
                        in_reply_to =
                            Some(author.status_uri(&mut self.rng, ms.saturating_sub(back)));
                        if self.rng.permille(100) {
                            let other = p.social.pick(&mut self.rng);
                            if other.acct != author.acct {
                                mentions.push(other);
                            }
                        }
                    }
                    Shape::ReplyDeleted => {
                        // A reply to one of one's own posts that was deleted before the export: its id lies
                        // between the previous item and this one, so it cannot be in the archive.
                        let parent_ms = self.rng.range(self.prev_ms + 1, ms - 1);
                        let parent = snowflake(parent_ms, self.rng.below(1 << 16));
                        in_reply_to = Some(self.status_uri(parent));
                    }
                    _ => {
                        if vis != Vis::Direct && self.rng.permille(80) {
                            mentions.push(p.social.pick(&mut self.rng));
                        }
                    }
                }
                if vis == Vis::Direct && self.rng.permille(30) {
                    let g = &p.social.groups[self.rng.index(p.social.groups.len())];
                    group = Some(g);
                    mentions.insert(0, g);
                } else if vis == Vis::Direct && mentions.is_empty() {
                    mentions.push(p.social.pick(&mut self.rng));
                }
                conversation = self.new_conversation(secs);
                reply_item = None;
            }
        }
        if let Shape::ThreadRoot(k) = kind {
            // Plan the thread's timestamps now, so each post can list the next one in `replies`.
            let mut ids = Vec::with_capacity(k - 1);
            let mut clock = ms;
            for j in 1..k {
                let gap = self
                    .rng
                    .range(30_000, 900_000)
                    .clamp(1000, self.max_gap(clock, self.i + j));
                clock += gap;
                ids.push(snowflake(clock, self.rng.below(1 << 16)));
            }
            let next = ids.first().copied();
            self.thread = Some(Thread {
                ids,
                next: 0,
                parent: id,
                vis,
                lang,
                mentions: if vis == Vis::Direct {
                    mentions.clone()
                } else {
                    Vec::new()
                },
                conversation: conversation.clone(),
                cw,
            });
            self.write_original(Orig {
                id,
                secs,
                vis,
                lang,
                mentions: &mentions,
                group,
                cw,
                conversation: &conversation,
                in_reply_to: None,
                self_reply: false,
                reply_item: next,
                standalone: true,
            });
            return;
        }
        self.write_original(Orig {
            id,
            secs,
            vis,
            lang,
            mentions: &mentions,
            group,
            cw,
            conversation: &conversation,
            in_reply_to: in_reply_to.as_deref(),
            self_reply,
            reply_item,
            standalone: kind == Shape::Standalone,
        });
        mentions.clear();
    }

    fn write_original(&mut self, o: Orig<'_, 'p>) {
        let p = self.p;
        let rng = &mut self.rng;
        // Followers-only, stand-alone posts may get a later inline self-boost.
        let candidate = o.vis == Vis::Private
            && o.standalone
            && o.in_reply_to.is_none()
            && self.pending.len() < 32
            && rng.permille(150);
        let poll = if !candidate && o.in_reply_to.is_none() && rng.permille(20) {
            let multiple = rng.permille(300);
            let n = rng.range(2, 4);
            let mut options = Vec::new();
            let mut sum = 0;
            let mut max = 0;
            for k in 0..n {
                let mut s = String::new();
                p.vocab.plain_sentence(rng, 1, 3, &mut s);
                if options.iter().any(|(o, _)| *o == s) {
                    // Mastodon rejects duplicate options.
                    s = format!("{s} ({})", k + 1);
                }
                let votes = rng.below(60);
                sum += votes;
                max = max.max(votes);
                options.push((s, votes));
            }
            let voters = if multiple {
                max + rng.below(sum - max + 1)
            } else {
                sum
            };
            Some(Poll {
                multiple,
                options,
                voters,
                end_secs: o.secs + rng.range(300, 3 * 86_400) as i64,
            })
        } else {
            None
        };
        let mut attachments = Vec::new();
        if poll.is_none() && (candidate || rng.permille(200)) {
            let n = [1, 1, 1, 1, 1, 1, 2, 2, 3, 4][rng.index(10)];
            for k in 0..n {
                let kind = Kind::draw(rng);
                // Media ids sit just before the post's own id, in a window no other post shares.
                let media_ms = self.clock_ms - 1 - k * 200 - rng.below(199);
                let file = MediaFile {
                    id: snowflake(media_ms, rng.below(1 << 16)),
                    name: rng.next_u64(),
                    kind,
                };
                let alt = if rng.permille(700) {
                    let mut s = String::new();
                    p.vocab.plain_sentence(rng, 4, 20, &mut s);
                    if rng.permille(50) {
                        s.push_str(" & \"more\"");
                    }
                    Some(s)
                } else if rng.permille(200) {
                    Some(String::new())
                } else {
                    None
                };
                let size = match kind {
                    Kind::Mp3 => None,
                    Kind::Mp4 => {
                        Some(rng.pick(&[(1280, 720), (1920, 1080), (720, 1280), (640, 360)]))
                    }
                    _ => Some(rng.pick(&[
                        (1600, 1200),
                        (1200, 1600),
                        (2048, 1536),
                        (1080, 1080),
                        (800, 450),
                    ])),
                };
                attachments.push(Attachment {
                    file,
                    style: [0, 0, 0, 0, 0, 0, 1, 1, 1, 2][rng.index(10)],
                    alt,
                    blurhash: kind.is_visual().then(|| blurhash(rng)),
                    focal: matches!(kind, Kind::Jpeg | Kind::JpegLong | Kind::Png | Kind::Gif)
                        .then(|| {
                            if rng.permille(600) {
                                (0, 0)
                            } else {
                                (
                                    rng.range(0, 200) as i64 - 100,
                                    rng.range(0, 200) as i64 - 100,
                                )
                            }
                        }),
                    size,
                    missing: !candidate && rng.permille(10),
                });
            }
        }
        let sensitive = o.cw.is_some() || (!attachments.is_empty() && rng.permille(60));
        let updated = rng
            .permille(30)
            .then(|| o.secs + rng.range(60, 6 * 3600) as i64);
        let reach = match o.vis {
            Vis::Public => 40,
            Vis::Unlisted => 15,
            _ => 4,
        };
        let likes = rng.below(reach) * rng.below(reach) / reach.max(1);
        let shares = if matches!(o.vis, Vis::Public | Vis::Unlisted) {
            likes / 3
        } else {
            0
        };

        text::generate(
            &p.vocab,
            rng,
            &p.host,
            &TextSpec {
                lang: o.lang,
                mentions: o.mentions,
                markers_and_tags: !candidate,
                question: poll.is_some(),
            },
            &mut self.text,
        );

        // Addressing (app/lib/activitypub/tag_manager.rb#to/#cc).
        let mut to: Vec<&str> = Vec::new();
        let mut cc: Vec<&str> = Vec::new();
        match o.vis {
            Vis::Public => {
                to.push(PUBLIC);
                cc.push(&p.followers);
                cc.extend(o.mentions.iter().map(|a| a.uri.as_str()));
            }
            Vis::Unlisted => {
                to.push(&p.followers);
                cc.push(PUBLIC);
                cc.extend(o.mentions.iter().map(|a| a.uri.as_str()));
            }
            Vis::Private => {
                to.push(&p.followers);
                cc.extend(o.mentions.iter().map(|a| a.uri.as_str()));
            }
            Vis::Direct => {
                to.extend(o.mentions.iter().map(|a| a.uri.as_str()));
                if let Some(g) = o.group {
                    to.push(&g.followers);
                }
            }
        }

        // Counts.
        let c = &mut self.counts;
        c.originals += 1;
        c.visibility[o.vis as usize] += 1;
        if o.in_reply_to.is_some() {
            c.replies += 1;
        }
        if o.self_reply {
            c.self_replies += 1;
        }
        if !attachments.is_empty() {
            c.with_media += 1;
        }
        if poll.is_some() {
            c.polls += 1;
        }
        if o.cw.is_some() {
            c.with_cw += 1;
        }
        if updated.is_some() {
            c.edited += 1;
        }
        if let Some(l) = o.lang {
            *c.languages.entry(l.code()).or_insert(0) += 1;
        }
        for a in &attachments {
            c.media_referenced += 1;
            if a.missing {
                c.media_missing += 1;
            } else {
                self.media.push(a.file);
            }
            if a.alt.as_deref().is_none_or(str::is_empty) {
                c.media_without_alt += 1;
            }
        }
        for &h in &self.text.hashtags {
            c.hashtags[h] += 1;
        }
        for (i, n) in c.markers.iter_mut().enumerate() {
            let bit = if i < words::MARKERS.len() {
                1 << i
            } else {
                text::CJK_MARKER_BIT
            };
            if self.text.markers & bit != 0 {
                *n += 1;
            }
        }

        let note = Note {
            id: o.id,
            secs: o.secs,
            summary: o.cw,
            in_reply_to: o.in_reply_to,
            to: &to,
            cc: &cc,
            sensitive,
            conversation: o.conversation,
            lang: o.lang,
            updated,
            attachments: &attachments,
            mentions: o.mentions,
            reply_item: o.reply_item,
            likes,
            shares,
            poll: poll.as_ref(),
        };
        let uri = self.status_uri(o.id);
        let published = time::rfc3339(o.secs);
        let j = &mut self.j;
        j.raw("{");
        let signed = p.tar_era() && matches!(o.vis, Vis::Public | Vis::Unlisted);
        if p.tar_era() && !signed {
            j.key("@context");
            j.raw(ITEM_CONTEXT);
            j.raw(",");
        }
        j.key("id");
        j.str2(&uri, "/activity");
        j.raw(",\"type\":\"Create\",");
        j.kv("actor", &p.actor);
        j.kv("published", &published);
        j.key("to");
        j.str_array(&to);
        j.raw(",\"cc\":");
        j.str_array(&cc);
        j.raw(",\"object\":");
        write_note(p, j, &self.text, &note, &uri, false);
        if signed {
            j.raw(",\"signature\":{\"type\":\"RsaSignature2017\",");
            j.key("creator");
            j.str2(&p.actor, "#main-key");
            j.raw(",");
            j.kv("created", &time::rfc3339(p.archive_secs));
            j.key("signatureValue");
            let mut sig = [0u8; 256];
            self.rng.fill(&mut sig);
            j.str(&base64(&sig));
            j.raw("}");
        }
        j.raw("}");
        if candidate {
            self.side.buf.clear();
            write_note(p, &mut self.side, &self.text, &note, &uri, true);
            self.pending
                .push_back((std::mem::take(&mut self.side.buf), attachments.len()));
        }
    }
}

/// What kind of original post to write.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Shape {
    Standalone,
    ReplyOther,
    ReplyDeleted,
    ThreadRoot(usize),
    ThreadReply,
}

/// Decisions already made for an original post.
struct Orig<'a, 'p> {
    id: u64,
    secs: i64,
    vis: Vis,
    lang: Option<Lang>,
    mentions: &'a [&'p Account],
    group: Option<&'p Account>,
    cw: Option<&'static str>,
    conversation: &'a str,
    in_reply_to: Option<&'a str>,
    self_reply: bool,
    reply_item: Option<u64>,
    standalone: bool,
}

/// `0.0`, `0.5`, `-0.42`, `1.0`: how Ruby prints the focal point floats.
fn unit(out: &mut Json, hundredths: i64) {
    if hundredths < 0 {
        out.raw("-");
    }
    let a = hundredths.unsigned_abs();
    out.num(a / 100);
    out.raw(".");
    let frac = a % 100;
    if frac == 0 {
        out.raw("0");
    } else if frac.is_multiple_of(10) {
        out.num(frac / 10);
    } else {
        if frac < 10 {
            out.raw("0");
        }
        out.num(frac);
    }
}

fn write_note(p: &Plan, j: &mut Json, text: &Text, n: &Note<'_>, uri: &str, absolute_media: bool) {
    let tar = p.tar_era();
    j.raw("{");
    j.kv("id", uri);
    j.kv("type", if n.poll.is_some() { "Question" } else { "Note" });
    j.kv_opt("summary", n.summary);
    j.kv_opt("inReplyTo", n.in_reply_to);
    j.kv("published", &time::rfc3339(n.secs));
    j.key("url");
    j.str(&format!("https://{}/@{}/{}", p.host, p.user, n.id));
    j.raw(",");
    j.kv("attributedTo", &p.actor);
    j.key("to");
    j.str_array(n.to);
    j.raw(",\"cc\":");
    j.str_array(n.cc);
    j.raw(if n.sensitive {
        ",\"sensitive\":true,"
    } else {
        ",\"sensitive\":false,"
    });
    j.kv("atomUri", uri);
    j.kv_opt("inReplyToAtomUri", n.in_reply_to);
    j.kv("conversation", n.conversation);
    j.kv("content", &text.html);
    if let Some(lang) = n.lang {
        j.key("contentMap");
        j.raw("{");
        j.key(lang.map_key(tar));
        j.str(&text.html);
        j.raw("},");
    }
    if let Some(u) = n.updated {
        j.kv("updated", &time::rfc3339(u));
    }
    j.key("attachment");
    j.raw("[");
    for (i, a) in n.attachments.iter().enumerate() {
        if i > 0 {
            j.raw(",");
        }
        j.raw("{\"type\":\"Document\",");
        j.kv("mediaType", a.file.kind.mime());
        let key = a.file.key();
        let url = if absolute_media {
            if tar {
                format!("https://{}/system/{key}", p.host)
            } else {
                format!("https://files.{}/{key}", p.host)
            }
        } else {
            match a.style {
                0 => key,
                1 => format!("/{key}"),
                _ => format!("/{}/{key}", p.bucket),
            }
        };
        j.kv("url", &url);
        j.kv_opt("name", a.alt.as_deref());
        j.kv_opt("blurhash", a.blurhash.as_deref());
        if let Some((x, y)) = a.focal {
            j.raw("\"focalPoint\":[");
            unit(j, x);
            j.raw(",");
            unit(j, y);
            j.raw("],");
        }
        if let Some((w, h)) = a.size {
            j.raw("\"width\":");
            j.num(w);
            j.raw(",\"height\":");
            j.num(h);
        }
        j.trim_comma();
        j.raw("}");
    }
    j.raw("],\"tag\":[");
    let mut first = true;
    let mut sep = |j: &mut Json| {
        if !first {
            j.raw(",");
        }
        first = false;
    };
    for m in n.mentions {
        sep(j);
        j.raw("{\"type\":\"Mention\",");
        j.kv("href", &m.uri);
        j.key("name");
        j.str(&m.mention);
        j.raw("}");
    }
    for &h in &text.hashtags {
        sep(j);
        j.raw("{\"type\":\"Hashtag\",");
        j.kv("href", &p.hashtag_hrefs[h]);
        j.key("name");
        j.str2("#", words::HASHTAGS[h]);
        j.raw("}");
    }
    for &e in &text.emoji {
        let emoji = &p.emoji[e];
        sep(j);
        j.raw("{");
        j.kv("id", &emoji.id);
        j.raw("\"type\":\"Emoji\",\"name\":\":");
        j.escaped(emoji.shortcode);
        j.raw(":\",");
        j.kv("updated", &emoji.updated);
        j.raw("\"icon\":{\"type\":\"Image\",\"mediaType\":\"image/png\",");
        j.key("url");
        j.str(&emoji.icon);
        j.raw("}}");
    }
    j.raw("],\"replies\":{");
    j.key("id");
    j.str2(uri, "/replies");
    j.raw(",\"type\":\"Collection\",\"first\":{\"type\":\"CollectionPage\",");
    j.key("next");
    match n.reply_item {
        Some(next) => j.str(&format!("{uri}/replies?min_id={next}&page=true")),
        None => j.str2(uri, "/replies?only_other_accounts=true&page=true"),
    }
    j.raw(",");
    j.key("partOf");
    j.str2(uri, "/replies");
    j.raw(",\"items\":[");
    if let Some(next) = n.reply_item {
        j.str(&format!("{}/statuses/{}", p.actor, next));
    }
    j.raw("]}}");
    if !tar {
        for (name, count) in [("likes", n.likes), ("shares", n.shares)] {
            j.raw(",");
            j.key(name);
            j.raw("{");
            j.key("id");
            j.str(&format!("{uri}/{name}"));
            j.raw(",\"type\":\"Collection\",\"totalItems\":");
            j.num(count);
            j.raw("}");
        }
    }
    if let Some(poll) = n.poll {
        j.raw(",");
        j.key(if poll.multiple { "anyOf" } else { "oneOf" });
        j.raw("[");
        for (i, (name, votes)) in poll.options.iter().enumerate() {
            if i > 0 {
                j.raw(",");
            }
            j.raw("{\"type\":\"Note\",");
            j.kv("name", name);
            j.raw("\"replies\":{\"type\":\"Collection\",\"totalItems\":");
            j.num(*votes);
            j.raw("}}");
        }
        j.raw("],");
        let end = time::rfc3339(poll.end_secs);
        j.kv("endTime", &end);
        // Every poll has ended by the time of the export (it is made a week after the last post).
        j.kv("closed", &end);
        j.raw("\"votersCount\":");
        j.num(poll.voters);
    }
    j.raw("}");
}

/// Standard base64 with padding.
pub(crate) fn base64(data: &[u8]) -> String {
    const T: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    let mut s = String::with_capacity(data.len().div_ceil(3) * 4);
    for chunk in data.chunks(3) {
        let b = [
            chunk[0],
            *chunk.get(1).unwrap_or(&0),
            *chunk.get(2).unwrap_or(&0),
        ];
        let n = (b[0] as u32) << 16 | (b[1] as u32) << 8 | b[2] as u32;
        s.push(T[(n >> 18) as usize & 63] as char);
        s.push(T[(n >> 12) as usize & 63] as char);
        s.push(if chunk.len() > 1 {
            T[(n >> 6) as usize & 63] as char
        } else {
            '='
        });
        s.push(if chunk.len() > 2 {
            T[n as usize & 63] as char
        } else {
            '='
        });
    }
    s
}
