//! Names for accounts the archive knows only by their URI: the authors of boosted posts.

use crate::Index;
use permafrost_model::Account;
use rustc_hash::FxHashMap;

/// The handles the archive gives for account URIs: each mention's `href` with its `user@host`,
/// and the archive's own actor.
pub fn known_handles(account: &Account) -> FxHashMap<&str, String> {
    let mut known = FxHashMap::default();
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
pub fn account_label(uri: &str, known: &FxHashMap<&str, String>) -> String {
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

impl Index {
    /// The accounts post `post` (outbox order) mentions, as `@` finds them: lowercase
    /// `user@host` (or `user` when the archive gave no server), each once. Nothing for an
    /// unknown post.
    pub fn mentions_of(&self, post: u32) -> impl Iterator<Item = &str> {
        let ids = self
            .rank_of(post)
            .map_or(&[][..], |r| self.mentions.per_post.get(r));
        ids.iter().map(|&id| self.mentions.dict.get(id))
    }

    /// The account whose post `post` boosts, named as `boosted:` and the statistics name it
    /// ([`account_label`]); `None` for an original, an unknown post, or a boost that does not
    /// say whose post it is.
    pub fn boosted_of(&self, post: u32) -> Option<&str> {
        let r = self.rank_of(post)?;
        let id = *self.boosted.per_post.get(r).first()?;
        Some(self.boosted.dict.get(id))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_known_uri_is_its_handle_and_any_other_is_shortened_not_guessed() {
        let known = FxHashMap::from_iter([(
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

    /// The per-post accessors give what `@` and `boosted:` find.
    #[test]
    fn mentions_and_boosts_of_a_post() {
        let json = r##"{"orderedItems":[
          {"id":"https://ex.social/users/a/statuses/1/activity","type":"Create","actor":"https://ex.social/users/a",
           "object":{"id":"https://ex.social/users/a/statuses/1","type":"Note","content":"<p>hi</p>",
             "to":["https://www.w3.org/ns/activitystreams#Public"],
             "tag":[{"type":"Mention","name":"@Bob@Other.example","href":"https://other.example/users/bob"},
                    {"type":"Mention","name":"@carol"}]}},
          {"id":"https://ex.social/users/a/statuses/2/activity","type":"Announce","actor":"https://ex.social/users/a",
           "to":["https://www.w3.org/ns/activitystreams#Public"],"cc":["https://other.example/users/bob"],
           "object":"https://other.example/users/bob/statuses/9"},
          {"id":"https://ex.social/users/a/statuses/3/activity","type":"Announce","actor":"https://ex.social/users/a",
           "to":["https://www.w3.org/ns/activitystreams#Public"],"cc":["https://misskey.example/users/9x"],
           "object":"https://misskey.example/notes/9"}]}"##;
        let mut account = Account::default();
        permafrost_model::outbox::read_outbox(
            json.as_bytes(),
            "outbox.json",
            &mut account,
            &mut |_, _| {},
        )
        .expect("reads");
        let index = Index::build(&account);
        let mut mentions: Vec<&str> = index.mentions_of(0).collect();
        mentions.sort_unstable();
        assert_eq!(mentions, ["bob@other.example", "carol@ex.social"]);
        assert_eq!(index.boosted_of(0), None);
        assert_eq!(index.boosted_of(1), Some("bob@other.example"));
        assert_eq!(index.boosted_of(2), Some("misskey.example/users/9x"));
        assert_eq!(index.mentions_of(99).count(), 0);
        assert_eq!(index.boosted_of(99), None);
    }
}
