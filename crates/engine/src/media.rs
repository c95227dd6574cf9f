//! Matching attachment URLs to archive entries (archive-format.md §5.6): exact path, then the part
//! from `media_attachments/` on matched against entry-name suffixes, then a unique file name.

use memchr::memmem;
use permafrost_archive::Entry;
use permafrost_model::{Account, DiagnosticKind, PostKind};
use rustc_hash::FxHashMap;
use std::cell::OnceCell;

/// Indexes of entry names for the three matching rules, borrowing the names (an archive with
/// media has tens of thousands of entries: a copy of each name for each table was most of the
/// cost of making them). The tables of the second and third rules are made at the first URL the
/// first rule does not find: a Mastodon archive names its media files exactly as its posts'
/// URLs do, and making all three took 55 ms of opening 100,000 posts in the browser.
pub(crate) struct EntryLookup<'a> {
    entries: &'a [Entry],
    scope: &'a str,
    exact: FxHashMap<&'a str, u32>,
    fallback: OnceCell<Fallback<'a>>,
    /// Find [`MEDIA_DIR`] and `://` (made once: `str::find` made its searcher anew for each
    /// name and URL).
    media_dir: memmem::Finder<'static>,
    scheme_end: memmem::Finder<'static>,
}

/// The tables of the second and third rules: by the part from [`MEDIA_DIR`] on, and by a file
/// name only one entry has (`None` for a name several have).
struct Fallback<'a> {
    by_media_path: FxHashMap<&'a str, u32>,
    by_file_name: FxHashMap<&'a str, Option<u32>>,
}

const MEDIA_DIR: &str = "media_attachments/";

impl<'a> EntryLookup<'a> {
    /// The lookup over the entries under folder `scope` (every entry when it is empty).
    pub(crate) fn new(entries: &'a [Entry], scope: &'a str) -> Self {
        // Sized for every entry at once: grown a doubling at a time, the table was rehashed
        // over and over (an archive with media has tens of thousands of entries).
        let mut exact = FxHashMap::with_capacity_and_hasher(entries.len(), Default::default());
        for (i, name) in in_scope(entries, scope) {
            exact.entry(name).or_insert(i);
        }
        EntryLookup {
            entries,
            scope,
            exact,
            fallback: OnceCell::new(),
            media_dir: memmem::Finder::new(MEDIA_DIR),
            scheme_end: memmem::Finder::new("://"),
        }
    }

    /// The tables of the second and third rules, made the first time they are needed.
    fn fallback(&self) -> &Fallback<'a> {
        self.fallback.get_or_init(|| {
            let n = self.entries.len();
            let mut fallback = Fallback {
                by_media_path: FxHashMap::with_capacity_and_hasher(n, Default::default()),
                by_file_name: FxHashMap::with_capacity_and_hasher(n, Default::default()),
            };
            for (i, name) in in_scope(self.entries, self.scope) {
                if let Some(at) = self.media_dir_in(name) {
                    fallback.by_media_path.entry(&name[at..]).or_insert(i);
                }
                let file = name.rsplit('/').next().unwrap_or(name);
                fallback
                    .by_file_name
                    .entry(file)
                    .and_modify(|e| *e = None)
                    .or_insert(Some(i));
            }
            fallback
        })
    }

    /// Where [`MEDIA_DIR`] is in `path`: most often at its start (as Mastodon names entries).
    fn media_dir_in(&self, path: &str) -> Option<usize> {
        if path.starts_with(MEDIA_DIR) {
            return Some(0);
        }
        self.media_dir.find(path.as_bytes())
    }

    /// The entry for an attachment or profile-image URL, if any.
    pub(crate) fn find(&self, url: &str) -> Option<u32> {
        // Strip scheme and host, query, fragment and leading slashes.
        let path = match self.scheme_end.find(url.as_bytes()) {
            // `://` is ASCII: the byte after it starts a character.
            Some(at) => {
                let rest = &url[at + 3..];
                rest.find('/').map_or("", |i| &rest[i..])
            }
            None => url,
        };
        let path = path
            .split(['?', '#'])
            .next()
            .unwrap_or(path)
            .trim_start_matches('/');
        if path.is_empty() {
            return None;
        }
        if let Some(&i) = self.exact.get(path) {
            return Some(i);
        }
        let fallback = self.fallback();
        if let Some(at) = self.media_dir_in(path) {
            if let Some(&i) = fallback.by_media_path.get(&path[at..]) {
                return Some(i);
            }
        }
        let file = path.rsplit('/').next().unwrap_or(path);
        fallback.by_file_name.get(file).copied().flatten()
    }
}

/// The entries under folder `scope`, each with its index (as far as a `u32` counts).
fn in_scope<'a>(entries: &'a [Entry], scope: &'a str) -> impl Iterator<Item = (u32, &'a str)> {
    entries
        .iter()
        .zip(0..=u32::MAX)
        .map(|(entry, i)| (i, entry.name.as_str()))
        .filter(move |(_, name)| name.starts_with(scope))
}

/// Sets each attachment's entry; lists the missing ones as diagnostics. `cut`: the archive was
/// cut short (an interrupted download, see `note_salvaged`): a file missing may then be in the
/// part that did not arrive, and the note says so rather than blame Mastodon.
pub(crate) fn resolve(account: &mut Account, lookup: &EntryLookup, cut: bool) {
    let why = if cut {
        crate::messages::MISSING_MEDIA_CUT
    } else {
        crate::messages::MISSING_MEDIA
    };
    let Account {
        posts, diagnostics, ..
    } = account;
    for post in posts.iter_mut() {
        for (n, attachment) in post.attachments.iter_mut().enumerate() {
            attachment.entry = lookup.find(&attachment.url);
            if attachment.entry.is_none() && post.kind == PostKind::Original {
                diagnostics.push_with(DiagnosticKind::MissingMedia, || {
                    (
                        crate::messages::PLACE_ATTACHMENT
                            .with(&[("post", &post.id), ("n", &(n + 1))]),
                        why.with(&[("url", &attachment.url)]),
                    )
                });
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn entry(name: &str) -> Entry {
        Entry {
            name: name.into(),
            size: 1,
            compressed_size: None,
        }
    }

    #[test]
    fn the_three_rules() {
        let entries = [
            entry("media_attachments/files/110/285/original/adc2.jpg"),
            entry(
                "home/mastodon/live/public/system/media_attachments/files/000/001/original/b.png",
            ),
            entry("archive/other/c.gif"),
            entry("x/media.mp4"),
            entry("y/media.mp4"),
        ];
        let lookup = EntryLookup::new(&entries, "");
        assert_eq!(
            lookup.find("media_attachments/files/110/285/original/adc2.jpg"),
            Some(0)
        );
        assert_eq!(
            lookup.find("/indiewebsocial/media_attachments/files/110/285/original/adc2.jpg"),
            Some(0)
        );
        assert_eq!(
            lookup.find("https://files.example/media_attachments/files/000/001/original/b.png?x=1"),
            Some(1)
        );
        assert_eq!(lookup.find("/somewhere/c.gif"), Some(2));
        assert_eq!(
            lookup.find("media.mp4"),
            None,
            "ambiguous file names are not guessed"
        );
        assert_eq!(lookup.find("https://host.example/"), None);

        // Within a folder, each rule looks at its entries only.
        let in_x = EntryLookup::new(&entries, "x/");
        assert_eq!(in_x.find("x/media.mp4"), Some(3));
        assert_eq!(in_x.find("/elsewhere/media.mp4"), Some(3));
        assert_eq!(in_x.find("adc2.jpg"), None);
        assert_eq!(
            in_x.find("media_attachments/files/110/285/original/adc2.jpg"),
            None
        );
    }
}
