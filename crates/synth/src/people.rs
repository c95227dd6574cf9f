//! Other accounts: the pool that posts mention, boost and reply to, and that the CSV exports list.

use std::collections::{BTreeMap, HashSet};
use std::fmt::Write as _;

use crate::rng::Rng;
use crate::text::{clashes_with_marker, pseudo_word};
use crate::words;

/// Server software, which decides the URI shapes.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Software {
    Mastodon,
    Misskey,
    Pleroma,
    Pixelfed,
    /// A group actor (Guppe/Lemmy-like): `https://host/u/name`, with its own followers collection.
    Group,
}

/// Another account.
#[derive(Clone, Debug)]
pub(crate) struct Account {
    pub(crate) user: String,
    /// `user@domain`, as the CSV exports write it.
    pub(crate) acct: String,
    /// Actor URI.
    pub(crate) uri: String,
    /// Profile page (mention links).
    pub(crate) url: String,
    /// Followers collection (only used for groups, whose followers URI a DM to the group carries).
    pub(crate) followers: String,
    /// The Mention tag's `name`: `@user@domain`, or `@user` for local accounts.
    pub(crate) mention: String,
    pub(crate) software: Software,
    host: String,
}

impl Account {
    fn new(user: String, host: &str, software: Software, local: bool) -> Self {
        let uri = match software {
            Software::Group => format!("https://{host}/u/{user}"),
            _ => format!("https://{host}/users/{user}"),
        };
        let url = match software {
            Software::Pleroma | Software::Group => uri.clone(),
            _ => format!("https://{host}/@{user}"),
        };
        let mention = if local {
            format!("@{user}")
        } else {
            format!("@{user}@{host}")
        };
        Account {
            acct: format!("{user}@{host}"),
            followers: format!("{uri}/followers"),
            uri,
            url,
            mention,
            software,
            host: host.to_string(),
            user,
        }
    }

    /// The URI of one of this account's posts, created at `ms` (Unix milliseconds).
    pub(crate) fn status_uri(&self, rng: &mut Rng, ms: u64) -> String {
        let host = &self.host;
        match self.software {
            Software::Mastodon | Software::Group => {
                format!(
                    "{}/statuses/{}",
                    self.uri,
                    snowflake(ms, rng.below(1 << 16))
                )
            }
            Software::Misskey => {
                // Misskey "aid": base36 time plus two random characters.
                let mut s = format!("https://{host}/notes/");
                push_base36(&mut s, ms.saturating_sub(946_684_800_000));
                push_base36(&mut s, rng.range(36 * 36, 36 * 36 * 36 - 1));
                s
            }
            Software::Pleroma => {
                // UUIDv7-shaped: the time prefix keeps URIs unique, the rest is random.
                let b = rng.next_u64();
                format!(
                    "https://{host}/objects/{:08x}-{:04x}-7{:03x}-{:04x}-{:012x}",
                    ms >> 16,
                    ms & 0xffff,
                    b >> 52,
                    0x8000 | ((b >> 36) & 0x3fff),
                    b & 0xffff_ffff_ffff
                )
            }
            Software::Pixelfed => format!(
                "https://{host}/p/{}/{}",
                self.user,
                ms * 1000 + rng.below(1000)
            ),
        }
    }
}

fn push_base36(s: &mut String, mut n: u64) {
    const DIGITS: &[u8; 36] = b"0123456789abcdefghijklmnopqrstuvwxyz";
    let mut tmp = Vec::new();
    loop {
        tmp.push(DIGITS[(n % 36) as usize]);
        n /= 36;
        if n == 0 {
            break;
        }
    }
    tmp.reverse();
    s.push_str(&String::from_utf8_lossy(&tmp));
}

/// A Mastodon snowflake id: milliseconds in the high bits, 16 sequence bits below.
pub(crate) fn snowflake(ms: u64, low: u64) -> u64 {
    (ms << 16) | (low & 0xffff)
}

/// Remote hosts with their software and popularity.
const HOSTS: &[(&str, Software, u64)] = &[
    ("mastodon.example", Software::Mastodon, 300),
    ("hachyderm.example", Software::Mastodon, 80),
    ("fosstodon.example", Software::Mastodon, 80),
    ("chaos.example", Software::Mastodon, 60),
    ("social.example.de", Software::Mastodon, 60),
    ("mas.example", Software::Mastodon, 60),
    ("mstdn.example.jp", Software::Mastodon, 50),
    ("toot.example.fr", Software::Mastodon, 50),
    ("infosec.example", Software::Mastodon, 40),
    ("masto.example.es", Software::Mastodon, 30),
    ("misskey.example", Software::Misskey, 30),
    ("akkoma.example", Software::Pleroma, 20),
    ("pixelfed.example", Software::Pixelfed, 20),
];

/// Weight of accounts on the archive owner's own server.
const LOCAL_WEIGHT: u64 = 80;

/// The social graph: who is followed, muted and blocked, and which lists exist.
#[derive(Debug)]
pub(crate) struct Social {
    /// `pool[..following]` are followed (newest follow first), then the muted, then the blocked, then others.
    pub(crate) pool: Vec<Account>,
    pub(crate) following: usize,
    pub(crate) mutes: usize,
    pub(crate) blocks: usize,
    /// Group actors, for direct messages that mention a group.
    pub(crate) groups: Vec<Account>,
    pub(crate) domain_blocks: Vec<String>,
    /// (title, member indices into `pool`); lists without members produce no CSV rows.
    pub(crate) lists: Vec<(&'static str, Vec<usize>)>,
    /// Per followed account: show boosts, notify, languages.
    follow_flags: Vec<(bool, bool, &'static str)>,
    /// Per muted account: hide notifications.
    mute_flags: Vec<bool>,
}

impl Social {
    pub(crate) fn new(seed: u64, posts: usize, own_host: &str) -> Self {
        let mut rng = Rng::new(seed, 2);
        let following = (40 + rng.below(60) as usize + posts / 150).min(5000);
        let mutes = 2 + rng.below(4) as usize + following / 50;
        let blocks = 3 + rng.below(8) as usize + following / 30;
        let others = 200;
        let total = following + mutes + blocks + others;

        let mut seen = HashSet::new();
        let mut pool = Vec::with_capacity(total);
        let mut weights: Vec<u64> = HOSTS.iter().map(|h| h.2).collect();
        weights.push(LOCAL_WEIGHT);
        while pool.len() < total {
            let user = username(&mut rng);
            let h = rng.weighted(&weights);
            let (host, software, local) = match HOSTS.get(h) {
                Some((host, sw, _)) => (*host, *sw, false),
                None => (own_host, Software::Mastodon, true),
            };
            if seen.insert(format!("{user}@{host}")) {
                pool.push(Account::new(user, host, software, local));
            }
        }
        let groups = ["bookclub", "rustaceans", "birdwatchers"]
            .iter()
            .map(|g| Account::new(g.to_string(), "groups.example", Software::Group, false))
            .collect();

        let domain_count = 1 + rng.below(5) as usize + following / 300;
        let mut domains = HashSet::new();
        let mut domain_blocks = Vec::new();
        while domain_blocks.len() < domain_count {
            let w = pseudo_word(&mut rng, 2);
            let tld = rng.pick(&["example", "example.net", "example.org", "test"]);
            let d = format!("{w}.{tld}");
            if !clashes_with_marker(&w) && domains.insert(d.clone()) {
                domain_blocks.push(d);
            }
        }

        let list_count = rng.range(4, 6) as usize;
        let mut lists = Vec::new();
        for (i, title) in words::LIST_TITLES.iter().take(list_count).enumerate() {
            let mut members = Vec::new();
            // The last list of the set is left empty: Mastodon exports no rows for it.
            if i + 1 < list_count {
                let n = rng.range(1, following.min(25) as u64);
                for _ in 0..n {
                    let m = rng.index(following);
                    if !members.contains(&m) {
                        members.push(m);
                    }
                }
            }
            lists.push((*title, members));
        }
        let follow_flags = (0..following)
            .map(|_| {
                let langs = match rng.below(20) {
                    0 | 1 => "en",
                    2 => "en, de",
                    3 => "ja",
                    _ => "",
                };
                (!rng.permille(100), rng.permille(50), langs)
            })
            .collect();
        let mute_flags = (0..mutes).map(|_| rng.permille(700)).collect();
        Social {
            pool,
            following,
            mutes,
            blocks,
            groups,
            domain_blocks,
            lists,
            follow_flags,
            mute_flags,
        }
    }

    /// Someone to mention, reply to or boost: mostly followed accounts, popular ones more often.
    pub(crate) fn pick(&self, rng: &mut Rng) -> &Account {
        if rng.permille(850) {
            let a = rng.index(self.following);
            let b = rng.index(self.following);
            &self.pool[a.min(b)]
        } else {
            let others = self.following + self.mutes + self.blocks;
            &self.pool[others + rng.index(self.pool.len() - others)]
        }
    }

    /// `{title: members}` over lists that have rows.
    pub(crate) fn list_counts(&self) -> BTreeMap<String, usize> {
        self.lists
            .iter()
            .filter(|(_, m)| !m.is_empty())
            .map(|(t, m)| (t.to_string(), m.len()))
            .collect()
    }

    pub(crate) fn following_csv(&self) -> Vec<u8> {
        let mut s = String::from("Account address,Show boosts,Notify on new posts,Languages\n");
        for (a, (boosts, notify, langs)) in
            self.pool[..self.following].iter().zip(&self.follow_flags)
        {
            csv_field(&mut s, &a.acct);
            let _ = write!(s, ",{boosts},{notify},");
            csv_field(&mut s, langs);
            s.push('\n');
        }
        s.into_bytes()
    }

    pub(crate) fn mutes_csv(&self) -> Vec<u8> {
        let mut s = String::from("Account address,Hide notifications\n");
        let muted = &self.pool[self.following..self.following + self.mutes];
        for (a, hide) in muted.iter().zip(&self.mute_flags) {
            csv_field(&mut s, &a.acct);
            let _ = writeln!(s, ",{hide}");
        }
        s.into_bytes()
    }

    pub(crate) fn blocks_csv(&self) -> Vec<u8> {
        let start = self.following + self.mutes;
        let mut s = String::new();
        for a in &self.pool[start..start + self.blocks] {
            csv_field(&mut s, &a.acct);
            s.push('\n');
        }
        s.into_bytes()
    }

    pub(crate) fn domain_blocks_csv(&self) -> Vec<u8> {
        let mut s = String::new();
        for d in &self.domain_blocks {
            csv_field(&mut s, d);
            s.push('\n');
        }
        s.into_bytes()
    }

    pub(crate) fn lists_csv(&self) -> Vec<u8> {
        let mut s = String::new();
        for (title, members) in &self.lists {
            for &m in members {
                csv_field(&mut s, title);
                s.push(',');
                csv_field(&mut s, &self.pool[m].acct);
                s.push('\n');
            }
        }
        s.into_bytes()
    }
}

/// A user name: a pseudo-word, sometimes with digits or an underscore.
fn username(rng: &mut Rng) -> String {
    loop {
        let syl = rng.range(1, 3);
        let mut u = pseudo_word(rng, syl);
        match rng.below(10) {
            0 => {
                let _ = write!(u, "{}", rng.range(1, 99));
            }
            1 => {
                u.push('_');
                u.push_str(&pseudo_word(rng, 1));
            }
            _ => {}
        }
        if u.len() >= 3 && !clashes_with_marker(&u) {
            return u;
        }
    }
}

/// Appends one RFC 4180 field (quoted only when needed, as Ruby's CSV does).
pub(crate) fn csv_field(out: &mut String, v: &str) {
    if v.contains([',', '"', '\n', '\r']) {
        out.push('"');
        out.push_str(&v.replace('"', "\"\""));
        out.push('"');
    } else {
        out.push_str(v);
    }
}

/// The bookmarked statuses: `bookmarks.json` holds `[..json_end]`, `bookmarks.csv` holds `[csv_start..]`
/// newest first, so `[csv_start..json_end]` is in both.
#[derive(Debug)]
pub(crate) struct Bookmarks {
    pub(crate) uris: Vec<String>,
    pub(crate) json_end: usize,
    pub(crate) csv_start: usize,
}

impl Bookmarks {
    pub(crate) fn new(
        seed: u64,
        posts: usize,
        social: &Social,
        start_ms: u64,
        end_ms: u64,
    ) -> Self {
        let mut rng = Rng::new(seed, 3);
        let total = 3 + posts / 30;
        let step = ((end_ms - start_ms) / total as u64).max(1);
        let uris = (0..total)
            .map(|i| {
                let ms = start_ms + i as u64 * step + rng.below(step);
                social.pick(&mut rng).status_uri(&mut rng, ms)
            })
            .collect();
        Bookmarks {
            uris,
            json_end: (total * 7 / 10).max(1),
            csv_start: total * 4 / 10,
        }
    }

    pub(crate) fn json(&self) -> &[String] {
        &self.uris[..self.json_end]
    }

    pub(crate) fn csv(&self) -> Vec<u8> {
        let mut s = String::new();
        for u in self.uris[self.csv_start..].iter().rev() {
            csv_field(&mut s, u);
            s.push('\n');
        }
        s.into_bytes()
    }
}

/// The liked statuses, generated on the fly in ascending id order (as Mastodon's batches write them).
pub(crate) struct Likes<'a> {
    rng: Rng,
    social: &'a Social,
    pub(crate) total: usize,
    next: usize,
    start_ms: u64,
    step: u64,
}

impl<'a> Likes<'a> {
    pub(crate) fn new(
        seed: u64,
        posts: usize,
        social: &'a Social,
        start_ms: u64,
        end_ms: u64,
    ) -> Self {
        let total = 10 + posts * 3 / 4;
        Likes {
            rng: Rng::new(seed, 4),
            social,
            total,
            next: 0,
            start_ms,
            step: ((end_ms - start_ms) / total as u64).max(1),
        }
    }
}

impl Iterator for Likes<'_> {
    type Item = String;

    fn next(&mut self) -> Option<String> {
        if self.next >= self.total {
            return None;
        }
        let i = self.next;
        self.next += 1;
        let ms = self.start_ms + i as u64 * self.step + self.rng.below(self.step);
        // A few pre-Snowflake OStatus URIs sort first, as in real archives.
        if i < 2 {
            return Some(format!(
                "tag:social.example.org,2017-0{}-1{}:noticeId={}:objectType=note",
                i + 3,
                i,
                self.rng.range(10_000, 999_999)
            ));
        }
        Some(
            self.social
                .pick(&mut self.rng)
                .status_uri(&mut self.rng, ms),
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn csv_quoting() {
        let mut s = String::new();
        csv_field(&mut s, "Café \"regulars\"");
        assert_eq!(s, "\"Café \"\"regulars\"\"\"");
        let mut s = String::new();
        csv_field(&mut s, "plain");
        assert_eq!(s, "plain");
    }

    #[test]
    fn pool_is_unique() {
        let s = Social::new(1, 1000, "example.social");
        let set: HashSet<&str> = s.pool.iter().map(|a| a.acct.as_str()).collect();
        assert_eq!(set.len(), s.pool.len());
    }
}
