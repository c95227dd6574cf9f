//! The Media tab's plain logic: what it shows within itself (`Route::show`: the kind, the
//! alt-text audit, the order) read from and written to the URL, the coverage percentage and a
//! media file's length, all without a DOM so that `cargo test` checks them.

use permafrost_protocol::MediaKind;

/// The kinds in the order of the filter chips, with their name in the URL.
pub const KINDS: [(MediaKind, &str); 5] = [
    (MediaKind::Image, "image"),
    (MediaKind::Gif, "gif"),
    (MediaKind::Video, "video"),
    (MediaKind::Audio, "audio"),
    (MediaKind::Other, "other"),
];

/// What the Media tab shows: `video noalt oldest` in `Route::show`.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct LibraryShow {
    /// Only this kind (`None`: every kind).
    pub kind: Option<MediaKind>,
    /// Only attachments without a description (the alt-text audit).
    pub without_alt: bool,
    /// Oldest posts first.
    pub oldest_first: bool,
}

impl LibraryShow {
    /// Reads `Route::show`: words in any order, unknown ones ignored (a hand-edited or older
    /// URL still opens the tab), the last kind named wins.
    pub fn parse(show: &str) -> LibraryShow {
        let mut out = LibraryShow::default();
        for word in show.split_whitespace() {
            match word {
                "noalt" => out.without_alt = true,
                "oldest" => out.oldest_first = true,
                _ => {
                    if let Some((kind, _)) = KINDS.iter().find(|(_, name)| *name == word) {
                        out.kind = Some(*kind);
                    }
                }
            }
        }
        out
    }

    /// Writes `Route::show`; the default is the empty string.
    pub fn to_show(self) -> String {
        let mut words = Vec::new();
        if let Some(kind) = self.kind {
            words.push(kind_name(kind));
        }
        if self.without_alt {
            words.push("noalt");
        }
        if self.oldest_first {
            words.push("oldest");
        }
        words.join(" ")
    }
}

/// A kind's name in the URL (`video`).
pub fn kind_name(kind: MediaKind) -> &'static str {
    KINDS
        .iter()
        .find(|(k, _)| *k == kind)
        .map_or("other", |(_, name)| name)
}

/// `part` of `whole` as a whole percentage, rounded half up (`None` when `whole` is 0). Integer
/// arithmetic: float formatting would cost the page's bundle about 8 KB.
pub fn percent(part: u32, whole: u32) -> Option<u32> {
    if whole == 0 {
        return None;
    }
    let (part, whole) = (u64::from(part), u64::from(whole));
    Some(((part * 200 + whole) / (whole * 2)) as u32)
}

/// A media file's length as a player shows it: `0:07`, `3:25`, `1:02:03`.
pub fn duration(seconds: f32) -> String {
    // `as` saturates: a negative or NaN length reads as 0.
    let total = seconds.round() as u32;
    let (h, m, s) = (total / 3600, total / 60 % 60, total % 60);
    if h > 0 {
        format!("{h}:{m:02}:{s:02}")
    } else {
        format!("{m}:{s:02}")
    }
}
