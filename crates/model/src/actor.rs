//! The account's profile, from actor.json.

use crate::html;
use crate::lenient::{LBool, LStr, Many, Obj};
use crate::link::Href;
use crate::rich::RichText;
use crate::time::{parse_rfc3339, Timestamp};
use serde::{Deserialize, Serialize};

/// The account's profile.
#[derive(
    Clone,
    Debug,
    Default,
    PartialEq,
    Serialize,
    Deserialize,
    borsh::BorshSerialize,
    borsh::BorshDeserialize,
)]
pub struct Actor {
    /// The actor URI (`https://host/users/name`, or `https://host/ap/users/123` on 4.5+).
    pub id: String,
    /// `Person`, `Service` (a bot), `Group`…
    pub kind: String,
    /// The username (`preferredUsername`).
    pub username: String,
    /// `user@host`: the `webfinger` field (4.6+) or the username with the host of the actor URI.
    pub handle: String,
    /// Display name (custom emoji stay `:shortcode:`).
    pub display_name: String,
    /// Bio.
    pub bio: RichText,
    /// Profile fields (name, value).
    pub fields: Vec<ProfileField>,
    /// Profile page URL, when http(s).
    pub url: Option<Href>,
    /// When the account was created (3.4+; truncated to midnight by Mastodon).
    pub created: Option<Timestamp>,
    /// The followers collection URI: the key to telling followers-only posts from direct ones.
    pub followers: Option<String>,
    /// The following collection URI.
    pub following: Option<String>,
    /// The avatar file inside the archive.
    pub avatar: Option<ImageRef>,
    /// The header image file inside the archive.
    pub header: Option<ImageRef>,
    /// Follow requests need approval.
    pub locked: bool,
    /// Shown in the directory.
    pub discoverable: Option<bool>,
    /// Other accounts this one says it also is (`alsoKnownAs`).
    pub also_known_as: Vec<String>,
    /// The account this one moved to (`movedTo`).
    pub moved_to: Option<String>,
}

/// A name/value pair on the profile.
#[derive(
    Clone, Debug, PartialEq, Serialize, Deserialize, borsh::BorshSerialize, borsh::BorshDeserialize,
)]
pub struct ProfileField {
    /// The label, plain text.
    pub name: String,
    /// The value, rich text (often a link).
    pub value: RichText,
}

/// An image of the profile, stored in the archive.
#[derive(
    Clone, Debug, PartialEq, Serialize, Deserialize, borsh::BorshSerialize, borsh::BorshDeserialize,
)]
pub struct ImageRef {
    /// The path as written in actor.json (`avatar.png`).
    pub url: String,
    /// MIME type.
    pub media_type: Option<String>,
    /// Description (4.6+).
    pub alt: Option<String>,
}

#[derive(Deserialize, Default)]
#[serde(default)]
struct RawActor<'a> {
    #[serde(borrow)]
    id: LStr<'a>,
    #[serde(rename = "type", borrow)]
    kind: LStr<'a>,
    #[serde(rename = "preferredUsername", borrow)]
    preferred_username: LStr<'a>,
    #[serde(borrow)]
    name: LStr<'a>,
    #[serde(borrow)]
    summary: LStr<'a>,
    #[serde(borrow)]
    url: LStr<'a>,
    #[serde(borrow)]
    published: LStr<'a>,
    #[serde(borrow)]
    followers: LStr<'a>,
    #[serde(borrow)]
    following: LStr<'a>,
    #[serde(borrow)]
    webfinger: LStr<'a>,
    #[serde(borrow)]
    icon: Obj<RawImage<'a>>,
    #[serde(borrow)]
    image: Obj<RawImage<'a>>,
    #[serde(borrow)]
    attachment: Many<Obj<RawField<'a>>>,
    #[serde(rename = "manuallyApprovesFollowers")]
    manually_approves_followers: LBool,
    discoverable: LBool,
    #[serde(rename = "alsoKnownAs", borrow)]
    also_known_as: Many<LStr<'a>>,
    #[serde(rename = "movedTo", borrow)]
    moved_to: LStr<'a>,
}

#[derive(Deserialize, Default)]
#[serde(default)]
struct RawImage<'a> {
    #[serde(borrow)]
    url: LStr<'a>,
    #[serde(rename = "mediaType", borrow)]
    media_type: LStr<'a>,
    #[serde(borrow)]
    summary: LStr<'a>,
}

#[derive(Deserialize, Default)]
#[serde(default)]
struct RawField<'a> {
    #[serde(rename = "type", borrow)]
    kind: LStr<'a>,
    #[serde(borrow)]
    name: LStr<'a>,
    #[serde(borrow)]
    value: LStr<'a>,
}

/// The host part of a URL (`https://host:port/path` → `host:port`), lowercased.
pub fn host_of(url: &str) -> Option<String> {
    let rest = url.split_once("://")?.1;
    let host = rest.split(['/', '?', '#']).next()?;
    let host = host.rsplit('@').next()?;
    (!host.is_empty()).then(|| host.to_ascii_lowercase())
}

/// Parses actor.json. Fails only when the text is not a JSON object.
pub fn parse(bytes: &[u8]) -> Result<Actor, serde_json::Error> {
    if bytes.iter().find(|b| !b.is_ascii_whitespace()) != Some(&b'{') {
        return Err(serde::de::Error::custom("actor.json is not a JSON object"));
    }
    match serde_json::from_slice::<RawActor>(bytes) {
        Ok(raw) => Ok(convert(&raw)),
        Err(_) => {
            // Duplicate keys make the typed reader fail; a generic tree keeps the last value, as
            // Mastodon readers do. Only then is the slower path taken, as for outbox items.
            let value: serde_json::Value = serde_json::from_slice(bytes)?;
            Ok(convert(&RawActor::deserialize(&value)?))
        }
    }
}

fn convert(raw: &RawActor<'_>) -> Actor {
    let id = raw.id.non_blank().unwrap_or("").to_string();
    let username = raw.preferred_username.non_blank().unwrap_or("").to_string();
    let handle = match raw.webfinger.non_blank() {
        Some(w) => w.trim_start_matches('@').to_string(),
        None => match host_of(&id).or_else(|| raw.url.non_blank().and_then(host_of)) {
            Some(host) if !username.is_empty() => format!("{username}@{host}"),
            _ => username.clone(),
        },
    };
    let image = |i: &Obj<RawImage<'_>>| {
        i.0.as_ref().and_then(|i| {
            Some(ImageRef {
                url: i.url.non_blank()?.to_string(),
                media_type: i.media_type.non_blank().map(str::to_string),
                alt: i.summary.non_blank().map(str::to_string),
            })
        })
    };
    Actor {
        kind: raw.kind.non_blank().unwrap_or("Person").to_string(),
        display_name: raw.name.as_deref().unwrap_or("").trim().to_string(),
        bio: raw.summary.as_deref().map(html::parse).unwrap_or_default(),
        fields: raw
            .attachment
            .0
            .iter()
            .filter_map(|f| f.0.as_ref())
            .filter(|f| f.kind.as_deref().is_none_or(|k| k == "PropertyValue"))
            .map(|f| ProfileField {
                name: html::decode_entities(f.name.as_deref().unwrap_or("")),
                value: html::parse(f.value.as_deref().unwrap_or("")),
            })
            .collect(),
        url: raw.url.non_blank().and_then(Href::parse),
        created: raw.published.non_blank().and_then(parse_rfc3339),
        followers: raw.followers.non_blank().map(str::to_string),
        following: raw.following.non_blank().map(str::to_string),
        avatar: image(&raw.icon),
        header: image(&raw.image),
        locked: raw.manually_approves_followers.0.unwrap_or(false),
        discoverable: raw.discoverable.0,
        also_known_as: raw
            .also_known_as
            .0
            .iter()
            .filter_map(|s| s.non_blank())
            .map(str::to_string)
            .collect(),
        moved_to: raw.moved_to.non_blank().map(str::to_string),
        id,
        username,
        handle,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn handle_from_id_host_and_fields() {
        let actor = parse(br#"{"id":"https://indieweb.social/users/dealingwith","type":"Person","preferredUsername":"dealingwith","name":"Daniel","summary":"<p>ennui</p>","published":"2022-11-07T00:00:00Z","followers":"https://indieweb.social/users/dealingwith/followers","attachment":[{"type":"PropertyValue","name":"Web","value":"<a href=\"https://daniel.industries\">daniel.industries</a>"}],"icon":{"type":"Image","mediaType":"image/jpeg","url":"avatar.jpg"}}"#).unwrap();
        assert_eq!(actor.handle, "dealingwith@indieweb.social");
        assert_eq!(actor.created, Some(1_667_779_200));
        assert_eq!(actor.fields[0].name, "Web");
        assert_eq!(actor.fields[0].value.plain_text(), "daniel.industries");
        assert_eq!(actor.avatar.unwrap().url, "avatar.jpg");
    }

    #[test]
    fn webfinger_wins_and_odd_shapes_are_tolerated() {
        let actor = parse(br#"{"id":"https://h.example/ap/users/1","preferredUsername":"x","webfinger":"x@example.org","name":null,"attachment":{"type":"PropertyValue","name":"a","value":5},"icon":"nope","id":"https://h.example/ap/users/1"}"#).unwrap();
        assert_eq!(actor.handle, "x@example.org");
        assert_eq!(actor.fields.len(), 1);
        assert!(actor.avatar.is_none());
        assert!(parse(b"[1,2]").is_err());
    }
}
