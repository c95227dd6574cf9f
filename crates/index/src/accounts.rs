//! Names for accounts the archive knows only by their URI: the authors of boosted posts.

use permafrost_model::Account;
use std::collections::HashMap;

/// The handles the archive gives for account URIs: each mention's `href` with its `user@host`,
/// and the archive's own actor.
pub(crate) fn known_handles(account: &Account) -> HashMap<&str, String> {
    let mut known = HashMap::new();
    for post in &account.posts {
        for m in &post.mentions {
            let acct = account.strings.resolve(m.acct);
            if let (Some(href), true) = (m.href.as_deref(), acct.contains('@')) {
                known.entry(href).or_insert_with(|| acct.to_lowercase());
            }
        }
    }
    if let Some(actor) = &account.actor {
        if actor.handle.contains('@') && !actor.id.is_empty() {
            known.insert(actor.id.as_str(), actor.handle.to_lowercase());
        }
    }
    known
}

/// How the statistics and the `boosted:` filter name the account at `uri`: its `user@host` when
/// the archive says what it is ([`known_handles`]), otherwise the URI without its scheme and
/// trailing slash (`example.org/users/alice`). No handle is guessed from the URI's shape: on
/// some servers (Misskey) `/users/…` holds an id, not a name. Lowercase.
pub fn account_label(uri: &str, known: &HashMap<&str, String>) -> String {
    match known.get(uri) {
        Some(handle) => handle.clone(),
        None => address(uri),
    }
}

/// An account's address as `boosted:` takes it: without its http(s) scheme and trailing slash,
/// lowercase (`HTTPS://Example.org/users/Bob/` is `example.org/users/bob`).
pub(crate) fn address(uri: &str) -> String {
    let rest = ["https://", "http://"]
        .iter()
        .find_map(|scheme| {
            uri.get(..scheme.len())
                .filter(|s| s.eq_ignore_ascii_case(scheme))
                .map(|_| &uri[scheme.len()..])
        })
        .unwrap_or(uri);
    rest.trim_end_matches('/').to_lowercase()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_known_uri_is_its_handle_and_any_other_is_shortened_not_guessed() {
        let known = HashMap::from([(
            "https://example.org/users/Alice",
            "alice@example.org".to_string(),
        )]);
        let label = |uri| account_label(uri, &known);
        assert_eq!(
            label("https://example.org/users/Alice"),
            "alice@example.org"
        );
        assert_eq!(
            label("https://misskey.example/users/9abc"),
            "misskey.example/users/9abc"
        );
        assert_eq!(label("HTTP://Example.net/@bob/"), "example.net/@bob");
        assert_eq!(label("urn:x:1"), "urn:x:1");
    }
}
