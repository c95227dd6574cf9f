//! The session's own messages in English, one template per code (see
//! [`permafrost_model::message`]); locales/*.json translates them under the same keys.

permafrost_model::templates! {
    pub MESSAGES;
    NO_COUNTS = "query.no_counts" => "this archive has no favourite or boost counts (Mastodon puts them in archives from version 4.3 on): likes: and shares: match nothing here";
}
