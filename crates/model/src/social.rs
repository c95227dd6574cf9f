//! The social graph from the CSV exports (and Pleroma's JSON lists): follows, followers, lists,
//! blocks, mutes, domain blocks, bookmarks (archive-format.md §9, §10).
//!
//! Files are recognised by name first (Mastodon's, GoToSocial's, Friendica's) and by their header
//! or content otherwise. Headers are optional and detected by the names Mastodon's importer knows;
//! cells are trimmed (Friendica writes `addr, true`); a BOM and CRLF are fine; a leading `@` goes.

use crate::diagnostic::{Diagnostic, DiagnosticKind, Diagnostics};
use crate::message::{self as m, Template};
use serde::{Deserialize, Serialize};

/// What a CSV file holds.
#[derive(
    Clone,
    Copy,
    Debug,
    PartialEq,
    Eq,
    Hash,
    Serialize,
    Deserialize,
    borsh::BorshSerialize,
    borsh::BorshDeserialize,
)]
#[serde(rename_all = "snake_case")]
pub enum CsvKind {
    /// Accounts you follow.
    Following,
    /// Accounts following you (GoToSocial only; Mastodon has no such export).
    Followers,
    /// List memberships.
    Lists,
    /// Blocked accounts.
    Blocks,
    /// Muted accounts.
    Mutes,
    /// Blocked domains.
    DomainBlocks,
    /// Bookmarked post URIs.
    Bookmarks,
}

impl CsvKind {
    /// The six exports Mastodon offers (Preferences > Import and export > Export), in its order.
    pub const MASTODON: [CsvKind; 6] = [
        CsvKind::Following,
        CsvKind::Lists,
        CsvKind::Blocks,
        CsvKind::Mutes,
        CsvKind::DomainBlocks,
        CsvKind::Bookmarks,
    ];

    /// Recognises a file by its name (any folder part ignored, case-insensitive).
    pub fn from_name(name: &str) -> Option<CsvKind> {
        let base = name
            .rsplit(['/', '\\'])
            .next()
            .unwrap_or(name)
            .to_ascii_lowercase();
        let stem = base.strip_suffix(".csv")?;
        // Browsers add " (1)" to repeated downloads.
        let stem = stem.split(" (").next().unwrap_or(stem).trim();
        Some(match stem {
            "following_accounts" | "following" | "follows" => CsvKind::Following,
            "followers" => CsvKind::Followers,
            "lists" => CsvKind::Lists,
            "blocked_accounts" | "blocks" => CsvKind::Blocks,
            "muted_accounts" | "mutes" => CsvKind::Mutes,
            "blocked_domains" | "domain_blocks" => CsvKind::DomainBlocks,
            "bookmarks" => CsvKind::Bookmarks,
            s if s.ends_with("-contacts") => CsvKind::Following,
            // Misskey and its forks date their exports: `following-2023-05-01-10-00-00.csv`.
            s if s.starts_with("following-") => CsvKind::Following,
            s if s.starts_with("blocking-") => CsvKind::Blocks,
            s if s.starts_with("mute-") || s.starts_with("muting-") => CsvKind::Mutes,
            // A Mastodon name with the account's name before or after it, which tells whose
            // export it is when several accounts are open: `alice-following_accounts.csv`.
            s => {
                let named = |kind: &CsvKind| {
                    let own = kind.file_name().trim_end_matches(".csv");
                    let sep = |c: Option<char>| c.is_some_and(|c| " -_.@".contains(c));
                    (s.len() > own.len())
                        && ((s.ends_with(own) && sep(s[..s.len() - own.len()].chars().next_back()))
                            || (s.starts_with(own) && sep(s[own.len()..].chars().next())))
                };
                return CsvKind::MASTODON.iter().copied().find(named);
            }
        })
    }

    /// Guesses from the content when the name says nothing: a header, or the shape of the rows.
    pub fn from_content(text: &str) -> Option<CsvKind> {
        let first = text
            .trim_start_matches('\u{feff}')
            .lines()
            .find(|l| !l.trim().is_empty())?;
        let cells: Vec<String> = first
            .split(',')
            .map(|c| c.trim().trim_matches('"').to_ascii_lowercase())
            .collect();
        match cells.first().map(String::as_str) {
            Some("account address") if cells.iter().any(|c| c == "show boosts") => {
                return Some(CsvKind::Following)
            }
            Some("account address") if cells.iter().any(|c| c == "hide notifications") => {
                return Some(CsvKind::Mutes)
            }
            Some("#domain") => return Some(CsvKind::DomainBlocks),
            Some("#uri") => return Some(CsvKind::Bookmarks),
            Some("list name") => return Some(CsvKind::Lists),
            _ => {}
        }
        let cell = cells.first()?;
        if cell.starts_with("http://") || cell.starts_with("https://") || cell.starts_with("tag:") {
            return Some(CsvKind::Bookmarks);
        }
        if cells.len() == 2 && cells[1].contains('@') && !cells[0].contains('@') {
            return Some(CsvKind::Lists);
        }
        if cells.len() == 1 && !cell.contains('@') && cell.contains('.') {
            return Some(CsvKind::DomainBlocks);
        }
        None
    }

    /// The Mastodon file name of this kind.
    pub fn file_name(self) -> &'static str {
        match self {
            CsvKind::Following => "following_accounts.csv",
            CsvKind::Followers => "followers.csv",
            CsvKind::Lists => "lists.csv",
            CsvKind::Blocks => "blocked_accounts.csv",
            CsvKind::Mutes => "muted_accounts.csv",
            CsvKind::DomainBlocks => "blocked_domains.csv",
            CsvKind::Bookmarks => "bookmarks.csv",
        }
    }
}

/// An account you follow.
#[derive(
    Clone, Debug, PartialEq, Serialize, Deserialize, borsh::BorshSerialize, borsh::BorshDeserialize,
)]
pub struct Follow {
    /// `user@domain`.
    pub account: Box<str>,
    /// Whether their boosts show in your home feed.
    pub show_boosts: Option<bool>,
    /// Whether you get a notification for each post (4.0+).
    pub notify: Option<bool>,
    /// Languages you limited them to (4.0+); empty when unrestricted.
    pub languages: Vec<Box<str>>,
}

/// A muted account.
#[derive(
    Clone, Debug, PartialEq, Serialize, Deserialize, borsh::BorshSerialize, borsh::BorshDeserialize,
)]
pub struct Mute {
    /// `user@domain`.
    pub account: Box<str>,
    /// Whether notifications from them are hidden too.
    pub hide_notifications: Option<bool>,
}

/// A list and its members.
#[derive(
    Clone, Debug, PartialEq, Serialize, Deserialize, borsh::BorshSerialize, borsh::BorshDeserialize,
)]
pub struct List {
    /// The list's title.
    pub title: Box<str>,
    /// Members, `user@domain`, in file order.
    pub members: Vec<Box<str>>,
}

/// Everything the side exports say. `None` means no file gave it, which differs from an empty list.
#[derive(
    Clone,
    Debug,
    Default,
    PartialEq,
    Serialize,
    Deserialize,
    borsh::BorshSerialize,
    borsh::BorshDeserialize,
)]
pub struct Social {
    /// From following_accounts.csv (or Pleroma's following.json).
    pub following: Option<Vec<Follow>>,
    /// From GoToSocial's followers.csv or Pleroma's followers.json.
    pub followers: Option<Vec<Box<str>>>,
    /// From lists.csv.
    pub lists: Option<Vec<List>>,
    /// From blocked_accounts.csv.
    pub blocks: Option<Vec<Box<str>>>,
    /// From muted_accounts.csv.
    pub mutes: Option<Vec<Mute>>,
    /// From blocked_domains.csv.
    pub domain_blocks: Option<Vec<Box<str>>>,
    /// From bookmarks.csv (merged with bookmarks.json in [`crate::Account::bookmarks`]).
    pub bookmarks_csv: Option<Vec<Box<str>>>,
}

const HEADER_CELLS: &[&str] = &[
    "account address",
    "show boosts",
    "notify on new posts",
    "languages",
    "hide notifications",
    "#domain",
    "#uri",
    "list name",
];

fn parse_bool(cell: Option<&str>) -> Option<bool> {
    match cell?.trim().to_ascii_lowercase().as_str() {
        "true" | "yes" | "1" => Some(true),
        "false" | "no" | "0" => Some(false),
        _ => None,
    }
}

fn address(cell: &str) -> Box<str> {
    cell.trim().trim_start_matches('@').into()
}

/// Adds `more` to `list` (creating it), leaving out items whose key is already there.
fn union<T, K: Eq + std::hash::Hash>(
    list: &mut Option<Vec<T>>,
    more: Option<Vec<T>>,
    key: impl Fn(&T) -> K,
) {
    let Some(more) = more else { return };
    let list = list.get_or_insert_with(Vec::new);
    let mut known: std::collections::HashSet<K> = list.iter().map(&key).collect();
    list.extend(more.into_iter().filter(|x| known.insert(key(x))));
}

impl Social {
    /// Adds another graph to this one (archives opened together): each table gains the rows it
    /// lacks (accounts compared in any case), lists of the same title gain their members.
    pub fn absorb(&mut self, other: Social) {
        let lower = |s: &str| s.to_lowercase();
        union(&mut self.following, other.following, |f| lower(&f.account));
        union(&mut self.followers, other.followers, |a| lower(a));
        union(&mut self.blocks, other.blocks, |a| lower(a));
        union(&mut self.mutes, other.mutes, |m| lower(&m.account));
        union(&mut self.domain_blocks, other.domain_blocks, |d| lower(d));
        union(&mut self.bookmarks_csv, other.bookmarks_csv, |u| u.clone());
        if let Some(more) = other.lists {
            let lists = self.lists.get_or_insert_with(Vec::new);
            for list in more {
                match lists.iter_mut().find(|l| l.title == list.title) {
                    Some(l) => {
                        let mut known: std::collections::HashSet<String> =
                            l.members.iter().map(|m| lower(m)).collect();
                        l.members
                            .extend(list.members.into_iter().filter(|m| known.insert(lower(m))));
                    }
                    None => lists.push(list),
                }
            }
        }
    }

    /// Reads one CSV file of `kind` into this graph. `name` is used in diagnostics. Rows that make no
    /// sense become diagnostics; a second file of the same kind adds the accounts (or lists'
    /// members, domains, bookmarks) the first lacks, as [`Social::absorb`] does: the same file
    /// given twice, or added again after the open, counts each once. Returns the rows the file
    /// holds (read, whether or not they were known).
    pub fn add_csv(
        &mut self,
        kind: CsvKind,
        name: &str,
        bytes: &[u8],
        diagnostics: &mut Diagnostics,
    ) -> usize {
        let mut file = Social::default();
        file.read_csv(kind, name, bytes, diagnostics);
        let read = file.rows(kind);
        self.absorb(file);
        read
    }

    /// The rows of the table of `kind` (a list's members, for lists).
    pub fn rows(&self, kind: CsvKind) -> usize {
        match kind {
            CsvKind::Following => self.following.as_ref().map_or(0, Vec::len),
            CsvKind::Followers => self.followers.as_ref().map_or(0, Vec::len),
            CsvKind::Lists => self
                .lists
                .as_ref()
                .map_or(0, |l| l.iter().map(|l| l.members.len()).sum()),
            CsvKind::Blocks => self.blocks.as_ref().map_or(0, Vec::len),
            CsvKind::Mutes => self.mutes.as_ref().map_or(0, Vec::len),
            CsvKind::DomainBlocks => self.domain_blocks.as_ref().map_or(0, Vec::len),
            CsvKind::Bookmarks => self.bookmarks_csv.as_ref().map_or(0, Vec::len),
        }
    }

    /// Reads one CSV file into this graph's table of `kind`, as it is (see [`Social::add_csv`]).
    fn read_csv(&mut self, kind: CsvKind, name: &str, bytes: &[u8], diagnostics: &mut Diagnostics) {
        let text = String::from_utf8_lossy(bytes);
        let text = text.trim_start_matches('\u{feff}');
        let mut reader = csv::ReaderBuilder::new()
            .has_headers(false)
            .flexible(true)
            .trim(csv::Trim::All)
            .from_reader(text.as_bytes());
        let mut rows: Vec<(u64, Vec<String>)> = Vec::new();
        for (i, record) in reader.records().enumerate() {
            let line = i as u64 + 1;
            match record {
                Ok(r) => {
                    let cells: Vec<String> = r.iter().map(|c| c.trim().to_string()).collect();
                    if cells.iter().all(String::is_empty) {
                        continue;
                    }
                    if rows.is_empty()
                        && line == 1
                        && cells.first().is_some_and(|c| {
                            HEADER_CELLS.contains(&c.to_ascii_lowercase().as_str())
                        })
                    {
                        continue;
                    }
                    rows.push((r.position().map_or(line, |p| p.line()), cells));
                }
                Err(e) => diagnostics.push(Diagnostic::coded(
                    DiagnosticKind::BadCsvRow,
                    m::PLACE_LINE.with(&[("file", &name), ("line", &line)]),
                    m::CSV_UNREADABLE.with(&[("detail", &e)]),
                )),
            }
        }
        let mut bad = |line: u64, why: Template| {
            diagnostics.push(Diagnostic::coded(
                DiagnosticKind::BadCsvRow,
                m::PLACE_LINE.with(&[("file", &name), ("line", &line)]),
                why.message(),
            ))
        };
        // `user@host`: one `@`, nothing that cannot be in an address (a field that swallowed
        // the rest of the file through an unclosed quote has newlines and commas).
        let looks_like_account = |s: &str| {
            let s = s.trim_start_matches('@');
            s.matches('@').count() == 1
                && !s.starts_with('@')
                && !s.ends_with('@')
                && !s.starts_with("http")
                && !s.chars().any(|c| {
                    c.is_whitespace() || c.is_control() || matches!(c, ',' | '"' | '<' | '>')
                })
        };
        match kind {
            CsvKind::Following => {
                let list = self.following.get_or_insert_with(Vec::new);
                for (line, cells) in rows {
                    if !looks_like_account(&cells[0]) {
                        bad(line, m::CSV_ACCOUNT);
                        continue;
                    }
                    list.push(Follow {
                        account: address(&cells[0]),
                        show_boosts: parse_bool(cells.get(1).map(String::as_str)),
                        notify: parse_bool(cells.get(2).map(String::as_str)),
                        languages: cells
                            .get(3)
                            .map(|l| {
                                l.split(',')
                                    .map(str::trim)
                                    .filter(|l| !l.is_empty())
                                    .map(Into::into)
                                    .collect()
                            })
                            .unwrap_or_default(),
                    });
                }
            }
            CsvKind::Followers | CsvKind::Blocks => {
                let list = if kind == CsvKind::Followers {
                    self.followers.get_or_insert_with(Vec::new)
                } else {
                    self.blocks.get_or_insert_with(Vec::new)
                };
                for (line, cells) in rows {
                    if looks_like_account(&cells[0]) {
                        list.push(address(&cells[0]));
                    } else {
                        bad(line, m::CSV_ACCOUNT);
                    }
                }
            }
            CsvKind::Mutes => {
                let list = self.mutes.get_or_insert_with(Vec::new);
                for (line, cells) in rows {
                    if looks_like_account(&cells[0]) {
                        list.push(Mute {
                            account: address(&cells[0]),
                            hide_notifications: parse_bool(cells.get(1).map(String::as_str)),
                        });
                    } else {
                        bad(line, m::CSV_ACCOUNT);
                    }
                }
            }
            CsvKind::DomainBlocks => {
                let list = self.domain_blocks.get_or_insert_with(Vec::new);
                for (line, cells) in rows {
                    let domain = cells[0].trim().to_ascii_lowercase();
                    if domain.contains('.') && !domain.contains(' ') && !domain.contains('@') {
                        list.push(domain.into());
                    } else {
                        bad(line, m::CSV_DOMAIN);
                    }
                }
            }
            CsvKind::Bookmarks => {
                let list = self.bookmarks_csv.get_or_insert_with(Vec::new);
                for (line, cells) in rows {
                    if cells[0].contains(':') {
                        list.push(cells[0].as_str().into());
                    } else {
                        bad(line, m::CSV_URI);
                    }
                }
            }
            CsvKind::Lists => {
                let lists = self.lists.get_or_insert_with(Vec::new);
                // Each list by title: a hostile file of 100,000 one-member lists must not cost
                // a search of every list so far per row.
                let mut by_title: std::collections::HashMap<Box<str>, usize> = lists
                    .iter()
                    .enumerate()
                    .map(|(i, l)| (l.title.clone(), i))
                    .collect();
                for (line, cells) in rows {
                    let (Some(title), Some(member)) = (cells.first(), cells.get(1)) else {
                        bad(line, m::CSV_LIST);
                        continue;
                    };
                    if !looks_like_account(member) {
                        bad(line, m::CSV_LIST);
                        continue;
                    }
                    match by_title.get(title.as_str()) {
                        Some(&at) => lists[at].members.push(address(member)),
                        None => {
                            by_title.insert(title.as_str().into(), lists.len());
                            lists.push(List {
                                title: title.as_str().into(),
                                members: vec![address(member)],
                            });
                        }
                    }
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_of_every_server() {
        assert_eq!(
            CsvKind::from_name("following_accounts.csv"),
            Some(CsvKind::Following)
        );
        assert_eq!(
            CsvKind::from_name("dl/Following_Accounts (1).csv"),
            Some(CsvKind::Following)
        );
        assert_eq!(
            CsvKind::from_name("followers.csv"),
            Some(CsvKind::Followers)
        );
        assert_eq!(CsvKind::from_name("blocks.csv"), Some(CsvKind::Blocks));
        assert_eq!(
            CsvKind::from_name("nick-contacts.csv"),
            Some(CsvKind::Following)
        );
        assert_eq!(
            CsvKind::from_name("following-2023-05-01-10-00-00.csv"),
            Some(CsvKind::Following)
        );
        assert_eq!(
            CsvKind::from_name("blocking-2023-05-01-10-00-00.csv"),
            Some(CsvKind::Blocks)
        );
        assert_eq!(CsvKind::from_name("outbox.json"), None);
    }

    #[test]
    fn headers_crlf_bom_and_friendica_spaces() {
        let mut s = Social::default();
        let mut d = Diagnostics::default();
        s.add_csv(CsvKind::Following, "f.csv", "\u{feff}Account address,Show boosts,Notify on new posts,Languages\r\n@a@x.social,true,false,\"en, de\"\r\nb@y.social,false,false,\r\n".as_bytes(), &mut d);
        s.add_csv(
            CsvKind::Following,
            "nick-contacts.csv",
            b"Account address, Show boosts\nc@z.social, true\n",
            &mut d,
        );
        let f = s.following.unwrap();
        assert_eq!(f.len(), 3);
        assert_eq!(&*f[0].account, "a@x.social");
        assert_eq!(
            f[0].languages,
            vec!["en".into(), "de".into()] as Vec<Box<str>>
        );
        assert_eq!(f[2].show_boosts, Some(true));
        assert!(d.is_empty(), "{d:?}");
    }

    #[test]
    fn lists_group_by_title_and_bad_rows_are_reported() {
        let mut s = Social::default();
        let mut d = Diagnostics::default();
        s.add_csv(
            CsvKind::Lists,
            "lists.csv",
            b"\"Friends, close\",a@x\nWork,b@y\n\"Friends, close\",c@z\nnonsense\n",
            &mut d,
        );
        let lists = s.lists.unwrap();
        assert_eq!(lists.len(), 2);
        assert_eq!(lists[0].members.len(), 2);
        assert_eq!(d.total(), 1);
        assert_eq!(
            d.iter()
                .next()
                .map(|x| x.location.as_str())
                .unwrap_or_default(),
            "lists.csv line 4"
        );
    }

    #[test]
    fn a_second_lists_file_joins_the_lists_by_title_and_100000_titles_stay_in_order() {
        let mut s = Social::default();
        let mut d = Diagnostics::default();
        let mut big = String::new();
        for i in 0..100_000 {
            big.push_str(&format!("list {i},a{i}@x.example\n"));
        }
        s.add_csv(CsvKind::Lists, "lists.csv", big.as_bytes(), &mut d);
        // A later file (added to the open archive) joins lists of the same title.
        s.add_csv(
            CsvKind::Lists,
            "lists (1).csv",
            b"list 99999,b@y.example\nnew,c@z.example\n",
            &mut d,
        );
        let lists = s.lists.unwrap();
        assert_eq!(lists.len(), 100_001);
        assert_eq!(&*lists[12_345].title, "list 12345");
        assert_eq!(lists[99_999].members.len(), 2);
        assert_eq!(&*lists[100_000].title, "new");
        assert!(d.is_empty(), "{d:?}");
    }

    #[test]
    fn content_sniffing() {
        assert_eq!(
            CsvKind::from_content("Account address,Hide notifications\n"),
            Some(CsvKind::Mutes)
        );
        assert_eq!(
            CsvKind::from_content("https://a/statuses/1\n"),
            Some(CsvKind::Bookmarks)
        );
        assert_eq!(
            CsvKind::from_content("example.com\n"),
            Some(CsvKind::DomainBlocks)
        );
        assert_eq!(
            CsvKind::from_content("Friends,a@b.c\n"),
            Some(CsvKind::Lists)
        );
        assert_eq!(CsvKind::from_content("a@b.c\n"), None);
    }
}
