//! The order of search results, shared by the index, the protocol, the CLI and the app.

use serde::{Deserialize, Serialize};

/// The order of search results.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Sort {
    /// Newest first.
    #[default]
    Newest,
    /// Oldest first.
    Oldest,
    /// Best match first (newest first for an empty query).
    Relevance,
}

impl Sort {
    /// Every order, the default first.
    pub const ALL: [Sort; 3] = [Sort::Newest, Sort::Oldest, Sort::Relevance];

    /// The order's name: `newest`, `oldest` or `relevance` (as in the URL, the CLI's `--sort` and
    /// serde).
    pub fn as_str(self) -> &'static str {
        match self {
            Sort::Newest => "newest",
            Sort::Oldest => "oldest",
            Sort::Relevance => "relevance",
        }
    }

    /// Reads a name written by [`Sort::as_str`].
    pub fn parse(s: &str) -> Option<Sort> {
        match s {
            "newest" => Some(Sort::Newest),
            "oldest" => Some(Sort::Oldest),
            "relevance" => Some(Sort::Relevance),
            _ => None,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::Sort;

    #[test]
    fn names_round_trip_and_match_serde() {
        for sort in Sort::ALL {
            assert_eq!(Sort::parse(sort.as_str()), Some(sort));
            let json = serde_json::to_string(&sort).unwrap_or_default();
            assert_eq!(json, format!("\"{}\"", sort.as_str()));
            assert_eq!(serde_json::from_str::<Sort>(&json).ok(), Some(sort));
        }
        assert_eq!(Sort::parse("random"), None);
        assert_eq!(Sort::parse("Newest"), None);
        assert_eq!(Sort::default(), Sort::Newest);
    }
}
