//! The URL hash: what is being looked at (the query, the order, the tab), never any data from
//! the archive beyond what the user typed or chose. `#q=%23rust&sort=oldest&tab=stats&year=2023`.
//! Bookmarkable, and the back button walks through it.

use permafrost_protocol::Sort;

/// What the page shows, as kept in the URL.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Route {
    /// The search query.
    pub query: String,
    /// The order of results.
    pub sort: Sort,
    /// Which tab is open.
    pub tab: Tab,
    /// The year the Statistics tab's calendar shows (its newest when none is chosen).
    pub year: Option<i32>,
    /// The timeline shows each chain of your own replies as its first post.
    pub collapse_threads: bool,
    /// What the tab shows within itself (People: the table and the order, `blocks mentions`;
    /// Likes: `bookmarks`; Media: the kind and the alt-text audit, `video noalt`), as the tab
    /// reads it; empty for its default.
    pub show: String,
    /// The tab's own filter text (the People and Likes tabs' filter box); empty for none.
    pub filter: String,
}

/// What each tab showed within itself when it was left ([`Route::switch_tab`]); not in the URL,
/// and forgotten with the archive.
#[derive(Clone, Debug, Default)]
pub struct LeftViews(Vec<(Tab, TabView)>);

/// A tab's own part of the route.
#[derive(Clone, Debug)]
struct TabView {
    show: String,
    filter: String,
    year: Option<i32>,
}

/// The tabs of an open archive.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum Tab {
    /// The timeline and search.
    #[default]
    Posts,
    /// Charts and top lists over the query's posts.
    Stats,
    /// On this day in earlier years, and a random post.
    Memories,
    /// Liked and bookmarked posts (their addresses).
    Saved,
    /// Every attachment of the query's posts, and the alt-text audit.
    Media,
    /// The CSV exports: following, lists, blocks… crossed with the posts.
    People,
    /// The numbers and the diagnostics.
    Summary,
}

impl Tab {
    /// The tab's name in the hash (`tab=stats`); the default tab has none.
    fn name(self) -> Option<&'static str> {
        match self {
            Tab::Posts => None,
            Tab::Stats => Some("stats"),
            Tab::Memories => Some("memories"),
            Tab::Saved => Some("saved"),
            Tab::Media => Some("media"),
            Tab::People => Some("people"),
            Tab::Summary => Some("summary"),
        }
    }
}

impl Route {
    /// The route that reads the whole chain of replies holding the post with this address, in
    /// order: `thread:ID`, oldest first, not collapsed, on the timeline.
    pub fn thread(post_uri: &str) -> Route {
        Route {
            query: format!("thread:{}", permafrost_model::short_id(post_uri)),
            sort: Sort::Oldest,
            ..Route::default()
        }
    }

    /// True when this route reads one whole thread (what [`Route::thread`] makes).
    pub fn is_thread(&self) -> bool {
        self.query
            .strip_prefix("thread:")
            .is_some_and(|id| !id.is_empty() && !id.contains(char::is_whitespace))
    }

    /// Switches to `tab`. The calendar's year belongs to Statistics: it is dropped elsewhere;
    /// what a tab shows within itself belongs to it, and is dropped when the tab changes.
    pub fn show(&mut self, tab: Tab) {
        if tab != self.tab {
            self.show.clear();
            self.filter.clear();
        }
        self.tab = tab;
        if tab != Tab::Stats {
            self.year = None;
        }
    }

    /// Switches to `tab` as its tab button does: what the tab left shows within itself is
    /// remembered in `left`, and what `tab` showed when it was last left comes back (People's
    /// table, order and filter; the calendar's year), so that going to another tab and back
    /// finds the view as it was.
    pub fn switch_tab(&mut self, tab: Tab, left: &mut LeftViews) {
        if tab == self.tab {
            return;
        }
        let was = self.tab;
        left.0.retain(|(t, _)| *t != was);
        left.0.push((
            was,
            TabView {
                show: std::mem::take(&mut self.show),
                filter: std::mem::take(&mut self.filter),
                year: self.year,
            },
        ));
        self.show(tab);
        if let Some(i) = left.0.iter().position(|(t, _)| *t == tab) {
            let (_, view) = left.0.swap_remove(i);
            self.show = view.show;
            self.filter = view.filter;
            if tab == Tab::Stats {
                self.year = view.year;
            }
        }
    }

    /// Reads a hash (with or without its `#`). Unknown keys and values are ignored.
    pub fn parse(hash: &str) -> Route {
        let mut route = Route::default();
        for pair in hash.trim_start_matches('#').split('&') {
            let (key, value) = pair.split_once('=').unwrap_or((pair, ""));
            let value = decode(value);
            match key {
                "q" => route.query = value,
                "year" => route.year = value.parse().ok().filter(|y| (1..=9999).contains(y)),
                "sort" => route.sort = Sort::parse(&value).unwrap_or_default(),
                "threads" => route.collapse_threads = value == "collapsed",
                "show" => route.show = value,
                "f" => route.filter = value,
                "tab" => {
                    route.tab = [
                        Tab::Stats,
                        Tab::Memories,
                        Tab::Saved,
                        Tab::Media,
                        Tab::People,
                        Tab::Summary,
                    ]
                    .into_iter()
                    .find(|t| t.name() == Some(value.as_str()))
                    .unwrap_or_default()
                }
                _ => {}
            }
        }
        route
    }

    /// Writes the hash, `#` included; the default route is the empty string.
    pub fn to_hash(&self) -> String {
        let mut parts = Vec::new();
        if !self.query.is_empty() {
            parts.push(format!("q={}", encode(&self.query)));
        }
        if self.sort != Sort::default() {
            parts.push(format!("sort={}", self.sort.as_str()));
        }
        if self.collapse_threads {
            parts.push("threads=collapsed".to_string());
        }
        if let Some(name) = self.tab.name() {
            parts.push(format!("tab={name}"));
        }
        if let Some(year) = self.year {
            parts.push(format!("year={year}"));
        }
        if !self.show.is_empty() {
            parts.push(format!("show={}", encode(&self.show)));
        }
        if !self.filter.is_empty() {
            parts.push(format!("f={}", encode(&self.filter)));
        }
        if parts.is_empty() {
            String::new()
        } else {
            format!("#{}", parts.join("&"))
        }
    }
}

/// Percent-encodes everything but unreserved characters (RFC 3986).
pub fn encode(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for b in s.bytes() {
        if b.is_ascii_alphanumeric() || b"-._~".contains(&b) {
            out.push(b as char);
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

/// Decodes percent escapes (and `+` as a space); invalid escapes stay as they are.
pub fn decode(s: &str) -> String {
    let bytes = s.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        match bytes[i] {
            b'%' if i + 2 < bytes.len() => {
                match std::str::from_utf8(&bytes[i + 1..i + 3])
                    .ok()
                    .and_then(|h| u8::from_str_radix(h, 16).ok())
                {
                    Some(b) => {
                        out.push(b);
                        i += 3;
                        continue;
                    }
                    None => out.push(b'%'),
                }
            }
            b'+' => out.push(b' '),
            b => out.push(b),
        }
        i += 1;
    }
    String::from_utf8_lossy(&out).into_owned()
}
