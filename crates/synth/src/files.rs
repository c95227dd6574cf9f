//! The small archive files: actor.json, likes.json, bookmarks.json, avatar and header.

use std::io::{self, Write};

use crate::json::Json;
use crate::media::{jpeg, png};
use crate::outbox::base64;
use crate::people::Likes;
use crate::plan::Plan;
use crate::rng::Rng;
use crate::time;

/// Avatar and header entry names (actor.json points at them).
pub(crate) const AVATAR: &str = "avatar.png";
pub(crate) const HEADER: &str = "header.jpg";

/// A URI collection file (`likes.json`, `bookmarks.json`), streamed. Returns the bytes written.
pub(crate) fn write_uri_collection<W: Write, I: Iterator<Item = String>>(
    p: &Plan,
    id: &str,
    total: usize,
    items: I,
    out: &mut W,
) -> io::Result<u64> {
    let mut j = Json::new(p.escape);
    j.raw("{\"@context\":\"https://www.w3.org/ns/activitystreams\",");
    j.kv("id", id);
    j.raw("\"type\":\"OrderedCollection\",");
    if p.tar_era() {
        // ≤4.1 wrote totalItems; 4.2+ does not.
        j.raw("\"totalItems\":");
        j.num(total as u64);
        j.raw(",");
    }
    j.raw("\"orderedItems\":[");
    let mut written = 0u64;
    for (i, uri) in items.enumerate() {
        if i > 0 {
            j.raw(",");
        }
        j.str(&uri);
        if j.buf.len() > 1 << 16 {
            out.write_all(&j.buf)?;
            written += j.buf.len() as u64;
            j.buf.clear();
        }
    }
    j.raw("]}");
    out.write_all(&j.buf)?;
    Ok(written + j.buf.len() as u64)
}

/// likes.json. Returns the bytes written.
pub(crate) fn write_likes<W: Write>(p: &Plan, out: &mut W) -> io::Result<u64> {
    let likes = Likes::new(p.seed, p.posts, &p.social, p.start_ms, p.end_ms);
    let total = likes.total;
    write_uri_collection(p, "likes.json", total, likes, out)
}

/// The number of likes written by `write_likes`.
pub(crate) fn likes_total(p: &Plan) -> usize {
    Likes::new(p.seed, p.posts, &p.social, p.start_ms, p.end_ms).total
}

/// bookmarks.json.
pub(crate) fn bookmarks_json(p: &Plan) -> io::Result<Vec<u8>> {
    let items = p.bookmarks.json();
    let mut out = Vec::new();
    write_uri_collection(
        p,
        "bookmarks.json",
        items.len(),
        items.iter().cloned(),
        &mut out,
    )?;
    Ok(out)
}

pub(crate) fn avatar(p: &Plan) -> Vec<u8> {
    let mut rng = Rng::new(p.seed, 7);
    let rgb = [
        rng.below(256) as u8,
        rng.below(256) as u8,
        rng.below(256) as u8,
    ];
    png(rgb, p.media_bytes, &mut rng)
}

pub(crate) fn header(p: &Plan) -> Vec<u8> {
    let mut rng = Rng::new(p.seed, 8);
    let rgb = [
        rng.below(256) as u8,
        rng.below(256) as u8,
        rng.below(256) as u8,
    ];
    jpeg(rgb, p.media_bytes, &mut rng)
}

/// actor.json (§6): the ActorSerializer output with local file names for outbox, likes, bookmarks and images.
pub(crate) fn actor_json(p: &Plan) -> Vec<u8> {
    let mut rng = Rng::new(p.seed, 9);
    let a = &p.actor;
    let tar = p.tar_era();
    let mut j = Json::new(p.escape);
    j.raw(r#"{"@context":["https://www.w3.org/ns/activitystreams","https://w3id.org/security/v1",{"manuallyApprovesFollowers":"as:manuallyApprovesFollowers","toot":"http://joinmastodon.org/ns#","featured":{"@id":"toot:featured","@type":"@id"},"featuredTags":{"@id":"toot:featuredTags","@type":"@id"},"alsoKnownAs":{"@id":"as:alsoKnownAs","@type":"@id"},"movedTo":{"@id":"as:movedTo","@type":"@id"},"schema":"http://schema.org#","PropertyValue":"schema:PropertyValue","value":"schema:value","discoverable":"toot:discoverable","suspended":"toot:suspended","memorial":"toot:memorial","indexable":"toot:indexable","focalPoint":{"@container":"@list","@id":"toot:focalPoint"}}],"#);
    j.kv("id", a);
    j.kv("type", "Person");
    j.kv("following", &format!("{a}/following"));
    j.kv("followers", &p.followers);
    j.kv("inbox", &format!("{a}/inbox"));
    j.kv("outbox", "outbox.json");
    j.kv("featured", &format!("{a}/collections/featured"));
    j.kv("featuredTags", &format!("{a}/collections/tags"));
    j.kv("preferredUsername", &p.user);
    j.kv("name", &p.display_name);
    let summary = format!(
        "<p>Notes on <a href=\"https://{h}/tags/rust\" class=\"mention hashtag\" rel=\"tag\">#<span>rust</span></a>, \
         coffee &amp; trains. Opinions are mine &amp; my cat&#39;s.</p><p>Also at <span class=\"h-card\" \
         translate=\"no\"><a href=\"https://mastodon.example/@{u}\" class=\"u-url mention\">@<span>{u}</span></a></span></p>",
        h = p.host,
        u = p.user
    );
    j.kv("summary", &summary);
    j.kv("url", &format!("https://{}/@{}", p.host, p.user));
    j.raw("\"manuallyApprovesFollowers\":false,\"discoverable\":true,");
    if !tar {
        j.raw("\"indexable\":false,");
    }
    j.kv("published", &time::rfc3339(p.created));
    if tar {
        j.kv("devices", &format!("{a}/collections/devices"));
    } else {
        j.raw("\"memorial\":false,");
    }
    j.raw("\"publicKey\":{");
    j.kv("id", &format!("{a}#main-key"));
    j.kv("owner", a);
    let mut key = [0u8; 294];
    rng.fill(&mut key);
    let b64 = base64(&key);
    let mut pem = String::from("-----BEGIN PUBLIC KEY-----\n");
    for line in b64.as_bytes().chunks(64) {
        pem.push_str(&String::from_utf8_lossy(line));
        pem.push('\n');
    }
    pem.push_str("-----END PUBLIC KEY-----\n");
    j.kv("publicKeyPem", &pem);
    j.trim_comma();
    j.raw("},\"tag\":[],\"attachment\":[");
    let web = format!("{}.example.com", p.user.to_ascii_lowercase());
    j.raw("{\"type\":\"PropertyValue\",\"name\":\"Web\",");
    j.kv(
        "value",
        &format!(
            "<a href=\"https://{web}\" target=\"_blank\" rel=\"nofollow noopener noreferrer me\" translate=\"no\">\
             <span class=\"invisible\">https://</span><span class=\"\">{web}</span><span class=\"invisible\"></span></a>"
        ),
    );
    j.trim_comma();
    j.raw("},{\"type\":\"PropertyValue\",\"name\":\"Pronouns\",\"value\":\"she/her\"},");
    j.raw("{\"type\":\"PropertyValue\",\"name\":\"Location\",");
    j.kv("value", "Café Central, Wien");
    j.trim_comma();
    j.raw("}],\"endpoints\":{");
    j.kv("sharedInbox", &format!("https://{}/inbox", p.host));
    j.trim_comma();
    j.raw("},\"icon\":{\"type\":\"Image\",\"mediaType\":\"image/png\",");
    j.kv("url", AVATAR);
    j.trim_comma();
    j.raw("},\"image\":{\"type\":\"Image\",\"mediaType\":\"image/jpeg\",");
    j.kv("url", HEADER);
    j.trim_comma();
    j.raw("},\"likes\":\"likes.json\",\"bookmarks\":\"bookmarks.json\"}");
    j.buf
}
