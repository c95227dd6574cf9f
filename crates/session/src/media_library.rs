//! The media library: every attachment of the posts a query matches, in date order, a page at a
//! time, with counts per kind and the alt-text coverage (the alt-text audit lists the attachments
//! without a description).
//!
//! The page scrolls through the list a page at a time, so the list is built once per question
//! (query, zone, kind, description filter, order) as `(post, attachment)` pairs, eight bytes
//! each, and kept in the session; each page then only builds the views of its own items. On
//! 300,000 posts building it is one evaluation of the query in the index and one pass over the
//! matching posts' attachments.

use crate::search::Searcher;
use crate::views::attachment_view;
use permafrost_index::Mode;
use permafrost_model::{short_id, Account, MediaKind};
use permafrost_protocol::{MediaItem, MediaKindCount, MediaLibraryView};

/// Every media kind, in the order of [`MediaLibraryView::kinds`].
const KINDS: [MediaKind; 5] = [
    MediaKind::Image,
    MediaKind::Gif,
    MediaKind::Video,
    MediaKind::Audio,
    MediaKind::Other,
];

/// What the media library is asked: which attachments, in which order.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct MediaFilter {
    /// The query text (empty: every post).
    pub query: String,
    /// IANA time zone for the query's dates and the items' months.
    pub time_zone: String,
    /// Only attachments of this kind (`None`: every kind).
    pub kind: Option<MediaKind>,
    /// Only attachments without a description.
    pub without_alt: bool,
    /// Oldest posts first (posts without a date still last).
    pub oldest_first: bool,
    /// Read the query as the search box does while typing (the page); false: as complete (the
    /// command line).
    pub as_typed: bool,
}

/// The list for one [`MediaFilter`], and its figures.
pub(crate) struct MediaList {
    filter: MediaFilter,
    /// `(post, attachment)` in the list's order.
    items: Vec<(u32, u32)>,
    /// The figures of the answer, without items.
    figures: MediaLibraryView,
}

impl MediaList {
    /// True when this list answers `filter`.
    pub(crate) fn is_for(&self, filter: &MediaFilter) -> bool {
        self.filter == *filter
    }

    /// Builds the list of a question.
    pub(crate) fn build(searcher: &Searcher, account: &Account, filter: MediaFilter) -> MediaList {
        let mode = if filter.as_typed {
            Mode::Typing
        } else {
            Mode::Exact
        };
        let (mut posts, errors) = searcher.media_posts(&filter.query, mode, &filter.time_zone);
        let post = |p: u32| account.posts.get(p as usize);
        if filter.oldest_first {
            // The index puts posts without a date first in time order; they stay last here, so
            // only the dated ones (a prefix of the newest-first list) turn round, and the undated
            // ones among themselves.
            let dated = posts.partition_point(|&p| post(p).is_some_and(|p| p.published.is_some()));
            let (with, without) = posts.split_at_mut(dated);
            with.reverse();
            without.reverse();
        }
        let mut kinds = [(0u32, 0u32); KINDS.len()];
        let mut items = Vec::new();
        let mut with_items = 0u32;
        for &p in &posts {
            let Some(attachments) = post(p).map(|p| &p.attachments) else {
                continue;
            };
            let before = items.len();
            for (i, a) in attachments.iter().enumerate() {
                let described = a.alt.is_some();
                if let Some(k) = KINDS.iter().position(|&k| k == a.kind) {
                    kinds[k].0 += 1;
                    kinds[k].1 += u32::from(described);
                }
                let wanted = filter.kind.is_none_or(|k| k == a.kind);
                if wanted && !(filter.without_alt && described) {
                    items.push((p, i as u32));
                }
            }
            with_items += u32::from(items.len() > before);
        }
        let (attachments, described) = kinds
            .iter()
            .zip(KINDS)
            .filter(|(_, k)| filter.kind.is_none_or(|want| want == *k))
            .fold((0, 0), |(a, d), (c, _)| (a + c.0, d + c.1));
        let figures = MediaLibraryView {
            total: items.len() as u32,
            offset: 0,
            items: Vec::new(),
            posts: with_items,
            posts_with_media: posts.len() as u32,
            kinds: KINDS
                .iter()
                .zip(kinds)
                .map(|(&kind, (attachments, described))| MediaKindCount {
                    kind,
                    attachments,
                    described,
                })
                .collect(),
            attachments,
            described,
            errors,
        };
        MediaList {
            filter,
            items,
            figures,
        }
    }

    /// The answer with the items at positions `offset..offset + limit`. `path` names the archive
    /// entry of a file.
    pub(crate) fn page(
        &self,
        searcher: &Searcher,
        account: &Account,
        path: &dyn Fn(u32) -> Option<String>,
        offset: u32,
        limit: u32,
    ) -> MediaLibraryView {
        let start = (offset as usize).min(self.items.len());
        let end = start.saturating_add(limit as usize).min(self.items.len());
        let slice = self.items.get(start..end).unwrap_or_default();
        let posts: Vec<u32> = slice.iter().map(|&(p, _)| p).collect();
        let months = searcher
            .index()
            .local_months(&posts, &self.filter.time_zone);
        let items = slice
            .iter()
            .zip(months)
            .filter_map(|(&(p, i), month)| {
                let post = account.posts.get(p as usize)?;
                let a = post.attachments.get(i as usize)?;
                Some(MediaItem {
                    post: p,
                    index: i,
                    id: short_id(&post.id).to_string(),
                    published: post.published,
                    month,
                    sensitive: post.sensitive,
                    path: a.entry.and_then(path),
                    attachment: attachment_view(account, a),
                })
            })
            .collect();
        MediaLibraryView {
            offset,
            items,
            ..self.figures.clone()
        }
    }
}
