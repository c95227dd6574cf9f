//! Likes and bookmarks: the archive holds only the addresses of those posts. Filtered by text,
//! counted by server and by account (where the address names one), paged, and resolved to your
//! own post when the address is one in this archive.

use crate::views::{parent_view, Parents};
use permafrost_index::{top_n, FacetCount, TOP};
use permafrost_model::{Account, Href};
use permafrost_protocol::{FacetValue, SavedItem, SavedList, SavedView};
use std::collections::HashMap;

/// The answer to [`permafrost_protocol::RequestBody::Saved`].
pub(crate) fn saved(
    account: &Account,
    parents: &Parents,
    list: SavedList,
    filter: &str,
    offset: u32,
    limit: u32,
) -> SavedView {
    let all = match list {
        SavedList::Likes => account.likes.as_deref(),
        SavedList::Bookmarks => account.bookmarks.as_deref(),
    };
    let needle = filter.trim().to_lowercase();
    let matching: Vec<&str> = all
        .unwrap_or_default()
        .iter()
        .map(|u| &**u)
        .filter(|u| needle.is_empty() || u.to_lowercase().contains(&needle))
        .collect();
    let mut servers: HashMap<&str, u32> = HashMap::new();
    let mut accounts: HashMap<String, u32> = HashMap::new();
    let mut own = 0;
    for uri in &matching {
        if let Some(host) = host_of(uri) {
            *servers.entry(host).or_insert(0) += 1;
        }
        if let Some(a) = account_of(uri) {
            *accounts.entry(a).or_insert(0) += 1;
        }
        own += u32::from(parents.find(uri).is_some());
    }
    let items = matching
        .iter()
        .skip(offset as usize)
        .take(limit as usize)
        .map(|uri| SavedItem {
            uri: uri.to_string(),
            link: Href::parse(uri),
            account: account_of(uri),
            own: parents.find(uri).and_then(|i| parent_view(account, i)),
        })
        .collect();
    SavedView {
        list,
        present: all.is_some(),
        total: all.map_or(0, |a| a.len() as u32),
        matching: matching.len() as u32,
        own,
        servers: top(servers.into_iter().map(|(k, n)| (k.to_string(), n))),
        accounts: top(accounts.into_iter()),
        items,
    }
}

/// The most frequent values, in the index's order of top lists ([`top_n`]), at most [`TOP`].
fn top(counts: impl Iterator<Item = (String, u32)>) -> Vec<FacetValue> {
    let counts = counts
        .map(|(value, count)| FacetCount { value, count })
        .collect();
    top_n(counts, TOP)
        .into_iter()
        .map(|c| FacetValue {
            term: c.value.clone(),
            label: c.value,
            count: c.count,
        })
        .collect()
}

/// The host of an http(s) address, lowercased as written (`example.org`).
fn host_of(uri: &str) -> Option<&str> {
    let rest = uri
        .strip_prefix("https://")
        .or_else(|| uri.strip_prefix("http://"))?;
    let host = rest.split(['/', '?', '#']).next()?;
    (!host.is_empty()).then_some(host)
}

/// `name@host` when the address says whose post it is: Mastodon's `/users/NAME/statuses/ID`
/// and `/@NAME/ID`. Other shapes (`/notes/ID`, `/objects/UUID`) name no account.
fn account_of(uri: &str) -> Option<String> {
    let host = host_of(uri)?;
    let path = uri.split_once(host).map(|(_, p)| p)?;
    let mut parts = path.split('/').filter(|p| !p.is_empty());
    let name = match (parts.next()?, parts.next(), parts.next()) {
        ("users", Some(name), Some("statuses")) => name,
        (at, Some(_), None) if at.len() > 1 && at.starts_with('@') => &at[1..],
        _ => return None,
    };
    let ok = name
        .chars()
        .all(|c| c.is_alphanumeric() || matches!(c, '_' | '-' | '.'));
    ok.then(|| format!("{}@{}", name.to_lowercase(), host.to_lowercase()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_address_names_its_account_only_in_mastodons_shapes() {
        let cases = [
            (
                "https://ex.social/users/Alice/statuses/1",
                Some("alice@ex.social"),
            ),
            ("https://ex.social/@bob/1234", Some("bob@ex.social")),
            ("https://misskey.example/notes/9abc", None),
            ("https://pleroma.example/objects/5f1e-44", None),
            ("https://ex.social/users/a%2Fb/statuses/1", None),
            ("https://ex.social/@bob", None),
            ("urn:x:1", None),
        ];
        for (uri, want) in cases {
            assert_eq!(account_of(uri).as_deref(), want, "{uri}");
        }
        assert_eq!(host_of("http://a.example:8080/x"), Some("a.example:8080"));
        assert_eq!(host_of("mailto:a@b"), None);
    }
}
