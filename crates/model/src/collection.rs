//! URI lists: likes.json, bookmarks.json, and Pleroma's followers.json / following.json.
//! Each is an `OrderedCollection` whose `orderedItems` are URIs (archive-format.md §7).

use crate::lenient::{LStr, Many};
use serde::Deserialize;

#[derive(Deserialize, Default)]
#[serde(default)]
struct RawCollection<'a> {
    #[serde(rename = "orderedItems", borrow)]
    ordered_items: Many<LStr<'a>>,
    #[serde(borrow)]
    items: Many<LStr<'a>>,
}

/// Reads the URIs of a collection file. A bare JSON array of URIs is accepted too. Non-string
/// items are skipped (an embedded object counts by its `id`).
pub fn parse_uri_list(bytes: &[u8]) -> Result<Vec<Box<str>>, serde_json::Error> {
    let trimmed = bytes
        .iter()
        .position(|b| !b.is_ascii_whitespace())
        .map_or(&bytes[..0], |p| &bytes[p..]);
    let items: Vec<LStr> = if trimmed.first() == Some(&b'[') {
        serde_json::from_slice::<Many<LStr>>(bytes)?.0
    } else {
        let raw = match serde_json::from_slice::<RawCollection>(bytes) {
            Ok(raw) => raw,
            Err(_) => {
                // Duplicate keys: the last wins, through a generic tree.
                let value: serde_json::Value = serde_json::from_slice(bytes)?;
                let list = |key: &str| -> Vec<LStr<'static>> {
                    match value.get(key) {
                        Some(serde_json::Value::Array(a)) => a
                            .iter()
                            .filter_map(|v| v.as_str())
                            .map(|s| LStr(Some(s.to_owned().into())))
                            .collect(),
                        _ => Vec::new(),
                    }
                };
                RawCollection {
                    ordered_items: Many(list("orderedItems")),
                    items: Many(list("items")),
                }
            }
        };
        if raw.ordered_items.0.is_empty() {
            raw.items.0
        } else {
            raw.ordered_items.0
        }
    };
    Ok(items
        .iter()
        .filter_map(LStr::non_blank)
        .map(Into::into)
        .collect())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn both_eras_and_odd_items() {
        let old = br#"{"@context":"https://www.w3.org/ns/activitystreams","id":"likes.json","type":"OrderedCollection","totalItems":2,"orderedItems":["https://a/1","tag:social.heldscal.la,2016-11-01:noticeId=534976:objectType=note"]}"#;
        assert_eq!(parse_uri_list(old).unwrap().len(), 2);
        let odd = br#"{"orderedItems":["https://a/1",5,null,{"id":"https://a/2"}," "]}"#;
        assert_eq!(
            parse_uri_list(odd).unwrap(),
            vec!["https://a/1".into(), "5".into(), "https://a/2".into()] as Vec<Box<str>>
        );
        assert_eq!(parse_uri_list(br#"["x"]"#).unwrap().len(), 1);
        assert!(parse_uri_list(b"{").is_err());
    }
}
