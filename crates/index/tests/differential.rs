//! The index against the naive oracle on many generated queries (seeded, deterministic): result
//! sets and highlights on every query, and whole searches (pages in both orders, facets,
//! statistics) on some, in several time zones, over a synthetic archive, the real `dealingwith`
//! archive and the hand-written one; and link hosts, highlights and facet cut-offs on posts made
//! for their edge cases.

mod common;

use permafrost_index::{highlights, oracle, parse_query, Index, Mode, SearchOptions, Sort};
use permafrost_model::{Account, Inline};

/// SplitMix64: small, seeded, the same everywhere.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    fn below(&mut self, n: usize) -> usize {
        if n == 0 {
            0
        } else {
            (self.next() % n as u64) as usize
        }
    }

    fn chance(&mut self, percent: usize) -> bool {
        self.below(100) < percent
    }

    fn pick<'a, T>(&mut self, items: &'a [T]) -> Option<&'a T> {
        items.get(self.below(items.len()))
    }
}

fn is_cjk(c: char) -> bool {
    matches!(c as u32, 0x3040..=0x30FF | 0x3400..=0x4DBF | 0x4E00..=0x9FFF | 0xAC00..=0xD7AF)
}

/// What queries are made of, taken from the archive so that most terms hit something.
#[derive(Default)]
struct Vocab {
    words: Vec<String>,
    phrases: Vec<String>,
    cjk: Vec<String>,
    tags: Vec<String>,
    accts: Vec<String>,
    domains: Vec<String>,
    langs: Vec<String>,
    years: Vec<i64>,
    /// Boosted accounts as `boosted:` may name them: addresses without a scheme, and handles.
    boosted: Vec<String>,
    /// The accounts open together as `account:` may name them (empty for one archive).
    owners: Vec<String>,
    /// Post addresses (the `id:` and `thread:` values: the address or its end), replies first
    /// so that `thread:` often names a chain.
    post_ids: Vec<String>,
}

impl Vocab {
    fn of(account: &Account) -> Vocab {
        let mut v = Vocab::default();
        for (i, post) in account.posts.iter().enumerate() {
            let mut texts = vec![post.content.plain_text()];
            texts.extend(post.content_warning.as_deref().map(str::to_string));
            texts.extend(
                post.attachments
                    .iter()
                    .filter_map(|a| a.alt.as_deref().map(str::to_string)),
            );
            if let Some(poll) = &post.poll {
                texts.extend(poll.options.iter().map(|o| o.name.to_string()));
            }
            for text in &texts {
                let words: Vec<&str> = text
                    .split(|c: char| !c.is_alphanumeric() || is_cjk(c))
                    .filter(|w| !w.is_empty())
                    .collect();
                if i % 3 == 0 {
                    v.words.extend(words.iter().take(6).map(|w| w.to_string()));
                    if let Some(pair) = words.windows(2 + i % 2).nth(i % 4) {
                        v.phrases.push(pair.join(" "));
                    }
                }
                let runs: Vec<String> = text
                    .split(|c: char| !is_cjk(c))
                    .filter(|r| !r.is_empty())
                    .map(str::to_string)
                    .collect();
                v.cjk.extend(runs);
            }
            for &t in &post.hashtags {
                v.tags.push(account.strings.resolve(t).to_string());
            }
            for m in &post.mentions {
                v.accts.push(account.strings.resolve(m.acct).to_string());
                v.boosted.push(account.strings.resolve(m.acct).to_string());
            }
            if let Some(a) = post.boosted_account {
                let uri = account.strings.resolve(a);
                v.boosted.push(
                    uri.split_once("://")
                        .map_or(uri, |(_, rest)| rest)
                        .to_string(),
                );
            }
            post.content.for_each_inline(&mut |inline| {
                if let Inline::Link { href: Some(h), .. } = inline {
                    if let Some(host) = h.url.split("://").nth(1).and_then(|r| r.split('/').next())
                    {
                        v.domains.push(host.to_string());
                    }
                }
            });
            if post.in_reply_to.is_some() || i % 7 == 0 {
                v.post_ids.push(post.id.to_string());
            }
            if let Some(l) = post.language {
                v.langs.push(account.strings.resolve(l).to_string());
            }
            if let Some(t) = post.published {
                v.years.push(1970 + t.div_euclid(31_556_952));
            }
        }
        for list in [
            &mut v.words,
            &mut v.phrases,
            &mut v.cjk,
            &mut v.tags,
            &mut v.accts,
            &mut v.domains,
            &mut v.langs,
            &mut v.boosted,
            &mut v.post_ids,
        ] {
            list.sort();
            list.dedup();
        }
        for name in &account.owners.names {
            v.owners.push(name.to_string());
            v.owners
                .push(name.split('@').next().unwrap_or("").to_string());
        }
        if !v.owners.is_empty() {
            v.owners.push("nobody@nowhere.example".into());
        }
        v.years.sort_unstable();
        v.years.dedup();
        v.words
            .extend(["zzyzx", "the", "a", "e", "cafe", "Ü"].map(String::from));
        v
    }
}

fn prefix_of(s: &str, rng: &mut Rng) -> String {
    let chars: Vec<char> = s.chars().collect();
    let n = 1 + rng.below(chars.len().max(1));
    chars.into_iter().take(n).collect()
}

fn mangle_case(s: &str, rng: &mut Rng) -> String {
    match rng.below(4) {
        0 => s.to_uppercase(),
        1 => s.to_lowercase(),
        _ => s.to_string(),
    }
}

fn term(v: &Vocab, rng: &mut Rng) -> String {
    let pick =
        |list: &[String], rng: &mut Rng| rng.pick(list).cloned().unwrap_or_else(|| "x".into());
    let t = match rng.below(26) {
        0..=4 => mangle_case(&pick(&v.words, rng), rng),
        5 => format!("{}*", prefix_of(&pick(&v.words, rng), rng)),
        6 | 7 => format!("\"{}\"", pick(&v.phrases, rng)),
        8 => {
            let run: Vec<char> = pick(&v.cjk, rng).chars().collect();
            let start = rng.below(run.len());
            let len = 1 + rng.below(4);
            run.iter().skip(start).take(len).collect()
        }
        9 => {
            // Two CJK runs or a word and a run as a phrase.
            let a = pick(&v.cjk, rng);
            let b = pick(&v.words, rng);
            let a_tail: String = {
                let c: Vec<char> = a.chars().collect();
                c.iter().skip(rng.below(c.len())).collect()
            };
            if rng.chance(50) {
                format!("\"{a_tail} {b}\"")
            } else {
                format!("\"{b} {}\"", prefix_of(&a, rng))
            }
        }
        10 => {
            let t = mangle_case(&pick(&v.tags, rng), rng);
            if rng.chance(25) {
                format!("#{}*", prefix_of(&t, rng))
            } else {
                format!("#{t}")
            }
        }
        11 => {
            let a = pick(&v.accts, rng);
            match rng.below(3) {
                0 => format!("@{a}"),
                1 => format!("@{}", a.split('@').next().unwrap_or("")),
                _ => format!("@{}*", prefix_of(&a, rng)),
            }
        }
        12 => {
            let y = rng.pick(&v.years).copied().unwrap_or(2023) + rng.below(3) as i64 - 1;
            let op = *rng
                .pick(&["after", "before", "on", "during"])
                .unwrap_or(&"on");
            match rng.below(3) {
                0 => format!("{op}:{y}"),
                1 => format!("{op}:{y}-{:02}", 1 + rng.below(12)),
                _ if rng.chance(20) => {
                    format!("on:{:02}-{:02}", 1 + rng.below(12), 1 + rng.below(29))
                }
                _ => format!("{op}:{y}-{:02}-{:02}", 1 + rng.below(12), 1 + rng.below(28)),
            }
        }
        13 => format!(
            "is:{}",
            rng.pick(&[
                "original",
                "boost",
                "reply",
                "self-reply",
                "thread",
                "edited",
                "sensitive",
                "poll",
                "quote"
            ])
            .unwrap_or(&"reply")
        ),
        14 | 15 => format!(
            "has:{}",
            rng.pick(&[
                "media", "image", "gif", "video", "audio", "alt", "noalt", "link", "cw", "poll",
                "mention", "tag"
            ])
            .unwrap_or(&"media")
        ),
        16 => format!(
            "visibility:{}",
            rng.pick(&["public", "unlisted", "followers", "direct", "private", "dm"])
                .unwrap_or(&"public")
        ),
        17 => {
            let l = pick(&v.langs, rng);
            format!(
                "lang:{}",
                if rng.chance(50) {
                    l.split('-').next().unwrap_or("en").to_string()
                } else {
                    l
                }
            )
        }
        18 => {
            let d = pick(&v.domains, rng);
            let parts: Vec<&str> = d.split('.').collect();
            let skip = rng.below(parts.len().saturating_sub(1));
            format!("domain:{}", parts[skip..].join("."))
        }
        19 => format!(
            "{}:{}{}",
            rng.pick(&["likes", "shares"]).unwrap_or(&"likes"),
            rng.pick(&["", ">", ">=", "<", "<=", "="]).unwrap_or(&""),
            rng.below(15)
        ),
        21 => format!(
            "weekday:{}",
            rng.pick(&["mon", "tue", "wed", "thu", "fri", "sat", "sun", "Saturday"])
                .unwrap_or(&"mon")
        ),
        22 => {
            let (a, b) = (rng.below(24), rng.below(24));
            if rng.chance(50) {
                format!("hour:{a}")
            } else {
                format!("hour:{a}-{b}")
            }
        }
        // Only an account set has owners: other archives draw the same queries as before.
        23 if !v.owners.is_empty() && rng.chance(50) => {
            format!("account:{}", mangle_case(&pick(&v.owners, rng), rng))
        }
        23 => format!("boosted:{}", mangle_case(&pick(&v.boosted, rng), rng)),
        24 => {
            let uri = pick(&v.post_ids, rng);
            let key = rng.pick(&["id", "thread"]).unwrap_or(&"id");
            if rng.chance(30) {
                format!("{key}:{uri}")
            } else {
                let end = uri.trim_end_matches("/activity");
                format!("{key}:{}", end.rsplit('/').next().unwrap_or(end))
            }
        }
        20 => rng
            .pick(&[
                "hass:media",
                "hour:24",
                "weekday:someday",
                "is:selfreply",
                "on:2023-13",
                "has:",
                "🦀",
                "(",
                ")",
                "OR",
                "-",
                "\"x",
            ])
            .unwrap_or(&"x")
            .to_string(),
        _ => mangle_case(&pick(&v.words, rng), rng),
    };
    if rng.chance(20) {
        format!("-{t}")
    } else {
        t
    }
}

fn expr(v: &Vocab, rng: &mut Rng, depth: usize) -> String {
    let n = 1 + rng.below(3);
    let mut parts = Vec::new();
    for _ in 0..n {
        let mut alts = vec![];
        let k = if rng.chance(25) { 2 + rng.below(2) } else { 1 };
        for _ in 0..k {
            if depth < 2 && rng.chance(15) {
                let neg = if rng.chance(30) { "-" } else { "" };
                alts.push(format!("{neg}({})", expr(v, rng, depth + 1)));
            } else {
                alts.push(term(v, rng));
            }
        }
        parts.push(alts.join(" OR "));
    }
    parts.join(" ")
}

const ZONES: &[&str] = &[
    "UTC",
    "Europe/Berlin",
    "America/New_York",
    "Asia/Kolkata",
    "Australia/Lord_Howe",
    "Pacific/Chatham",
];

fn run(name: &str, account: &Account, queries: usize, seed: u64) {
    let index = Index::build(account);
    let vocab = Vocab::of(account);
    let mut rng = Rng(seed);
    let mut failures = Vec::new();
    let mut informative = 0;
    let mut searched = 0;
    for i in 0..queries {
        let q = expr(&vocab, &mut rng, 0);
        let tz = ZONES[i % ZONES.len()];
        let mode = if i % 4 == 3 {
            Mode::Typing
        } else {
            Mode::Exact
        };
        let parsed = parse_query(&q, mode);
        let mut got = index.matching(&parsed, tz);
        got.sort_unstable();
        let want = oracle::matching(account, &parsed.query, tz);
        if got != want {
            failures.push(format!(
                "[{name} {tz} {mode:?}] `{q}` → `{}`: index {} posts, oracle {}; only index {:?}, only oracle {:?}",
                parsed.query,
                got.len(),
                want.len(),
                got.iter().filter(|p| !want.contains(p)).take(5).collect::<Vec<_>>(),
                want.iter().filter(|p| !got.contains(p)).take(5).collect::<Vec<_>>(),
            ));
            continue;
        }
        // Highlights, in every matching post (up to a point) and a few that do not match.
        let step = got.len() / 40 + 1;
        let mut sample: Vec<u32> = got.iter().copied().step_by(step).collect();
        sample.extend((0..3).map(|_| rng.below(account.posts.len()) as u32));
        for id in sample {
            let Some(post) = account.posts.get(id as usize) else {
                continue;
            };
            let (a, b) = (
                highlights(post, &parsed.query),
                oracle::highlights(post, &parsed.query),
            );
            if a != b {
                failures.push(format!(
                    "[{name}] `{q}` → `{}`: highlights of post {id} differ: index {a:?}, oracle {b:?} in {:?}",
                    parsed.query,
                    post.content.plain_text()
                ));
            }
        }
        // The canonical form reads back as the same query.
        let shown = parsed.query.to_string();
        let again = parse_query(&shown, Mode::Exact).query.to_string();
        if again != shown {
            failures.push(format!(
                "`{q}` shows as `{shown}`, which reads back as `{again}`"
            ));
        }
        if !got.is_empty() && got.len() < account.posts.len() {
            informative += 1;
        }
        if std::env::var_os("SHOW_QUERIES").is_some() {
            println!("{:>5} {tz:<20} {q}  →  {}", got.len(), parsed.query);
        }
        if i % 8 == 0 {
            searched += 1;
            let opts = SearchOptions {
                sort: if i % 16 == 0 {
                    Sort::Newest
                } else {
                    Sort::Oldest
                },
                offset: rng.below(5),
                limit: 1 + rng.below(30),
                tz: tz.to_string(),
                facets: true,
                stats: true,
                highlights: true,
            };
            let a = index.search(account, &parsed, &opts);
            let b = oracle::search(account, &parsed, &opts);
            if a != b {
                failures.push(format!(
                    "[{name} {tz}] search `{q}` differs:\n index {}\noracle {}",
                    serde_json::to_string(&a).unwrap_or_default(),
                    serde_json::to_string(&b).unwrap_or_default()
                ));
            }
        }
    }
    // Most queries must select some posts but not all, or the comparison says little.
    assert!(
        informative * 3 > queries,
        "only {informative} of {queries} queries were informative"
    );
    assert!(searched > 0);
    assert!(
        failures.is_empty(),
        "{} of {queries} queries differ:\n{}",
        failures.len(),
        failures.join("\n")
    );
}

#[test]
fn synthetic_archive() {
    let (account, _, _) = common::synth_account(700, 11);
    run("synth", &account, 400, 1);
}

/// Two accounts' archives open together (as the engine joins them: the second's posts after
/// the first's, with `owners` saying whose each one is).
fn two_accounts() -> Account {
    let (mut a, _, _) = common::synth_account(400, 11);
    let (mut b, _, _) = common::synth_account(300, 12);
    for p in &mut b.posts {
        p.id = p.id.replace("alice", "bob").into();
        p.in_reply_to = p
            .in_reply_to
            .as_ref()
            .map(|r| r.replace("alice", "bob").into());
    }
    b.actor = None;
    let n = a.posts.len();
    let mut seen = a.posts.iter().map(|p| p.id.clone()).collect();
    let kept = a.absorb(b, &mut seen);
    assert!(kept.iter().all(|k| *k));
    a.owners.names = vec!["alice@example.social".into(), "bob@example.social".into()];
    a.owners.of_post = (0..a.posts.len()).map(|i| u16::from(i >= n)).collect();
    a
}

#[test]
fn two_accounts_open_together() {
    run("two accounts", &two_accounts(), 400, 4);
}

#[test]
fn real_archive() {
    run("dealingwith", &common::dealingwith(), 250, 2);
}

#[test]
fn hand_written_archive() {
    run("small", &common::small_account(), 400, 3);
}

#[test]
fn whole_archive_facets_and_stats() {
    let account = common::dealingwith();
    let index = Index::build(&account);
    for tz in ZONES {
        for q in ["", "-is:boost", "is:boost", "the", "-the"] {
            let parsed = parse_query(q, Mode::Exact);
            let opts = SearchOptions {
                limit: 10,
                tz: tz.to_string(),
                facets: true,
                stats: true,
                ..SearchOptions::default()
            };
            assert_eq!(
                index.search(&account, &parsed, &opts),
                oracle::search(&account, &parsed, &opts),
                "{q} in {tz}"
            );
        }
    }
}

/// Posts made for the edge cases of highlighting, link hosts and facet cut-offs.
fn edge_account() -> Account {
    let mut contents: Vec<(String, Vec<String>)> = [
        "東京 京都 and 東京都, 京",
        "東東京 東 東東",
        "大阪 阪神",
        "co\u{ad}ffee coffee\u{ad} tea tea tea",
        "#Rust #rustlang #café_au_lait. #日本語! @alice @alice@example.org @bob@ex.social. @alice. @-x",
        "mail@alice.example and a@b, @ALICE@Example.Org",
    ]
    .iter()
    .map(|c| (format!("<p>{c}</p>"), Vec::new()))
    .collect();
    let links = [
        "HTTPS://User:pw@Example.ORG.:8080/path",
        "http://[2001:db8::1]:80/",
        "http://é.example/",
        "https://sub.example.org?q=1",
        "https://a.example#frag",
        "https://trailing.example../x",
        "https://@",
        "https://EXAMPLE.org",
    ];
    let anchors: Vec<String> = links
        .iter()
        .map(|l| format!(r#"<a href="{l}">link</a>"#))
        .collect();
    contents.push((format!("<p>{}</p>", anchors.join(" ")), Vec::new()));
    // 30 tags, counted 1 to 3 times: ties at the cut of the top 20.
    for i in 0..30 {
        let tags = (0..=i % 3)
            .map(|n| format!("tag{:02}", (i + n * 7) % 30))
            .collect();
        contents.push((format!("<p>tagged {i}</p>"), tags));
    }
    let items: Vec<serde_json::Value> = contents
        .into_iter()
        .enumerate()
        .map(|(i, (content, tags))| {
            let tags: Vec<serde_json::Value> = tags
                .iter()
                .map(|t| serde_json::json!({"type": "Hashtag", "name": format!("#{t}")}))
                .collect();
            serde_json::json!({
                "id": format!("https://ex.social/users/me/statuses/{i}/activity"),
                "type": "Create",
                "actor": "https://ex.social/users/me",
                "object": {
                    "id": format!("https://ex.social/users/me/statuses/{i}"),
                    "type": "Note",
                    "published": format!("2023-01-{:02}T10:00:00Z", 1 + i % 28),
                    "to": ["https://www.w3.org/ns/activitystreams#Public"],
                    "content": content,
                    "tag": tags,
                }
            })
        })
        .collect();
    let json = serde_json::json!({ "orderedItems": items }).to_string();
    let mut account = Account::default();
    permafrost_model::outbox::read_outbox(
        json.as_bytes(),
        "outbox.json",
        &mut account,
        &mut |_, _| {},
    )
    .expect("edge outbox");
    account
}

#[test]
fn edge_cases() {
    let account = edge_account();
    let index = Index::build(&account);
    let queries = [
        "東京都",
        "大阪神",
        "\"大阪 阪神\"",
        "東京",
        "東",
        "京",
        "\"京 京都\"",
        "\"東京 京都\"",
        "\"京都 and\"",
        "東京都 OR coffee",
        "coffee",
        "coff*",
        "\"coffee tea\"",
        "\"tea tea\"",
        "#rust",
        "#rus*",
        "#café_au_lait",
        "#日本語",
        "@alice",
        "@alice@example.org",
        "@ali*",
        "@bob",
        "@bob@ex.social",
        "domain:example.org",
        "domain:2001:db8::1",
        "domain:é.example",
        "domain:trailing.example",
        "has:link",
        "-has:link",
        "tagged",
        "",
    ];
    let mut failures = Vec::new();
    for q in queries {
        let parsed = parse_query(q, Mode::Exact);
        assert!(parsed.errors.is_empty(), "{q}: {:?}", parsed.errors);
        let mut got = index.matching(&parsed, "UTC");
        got.sort_unstable();
        let want = oracle::matching(&account, &parsed.query, "UTC");
        if got != want {
            failures.push(format!("`{q}` matches: index {got:?}, oracle {want:?}"));
        }
        for (i, post) in account.posts.iter().enumerate() {
            let (a, b) = (
                highlights(post, &parsed.query),
                oracle::highlights(post, &parsed.query),
            );
            if a != b {
                failures.push(format!(
                    "`{q}` highlights post {i} {:?}: index {a:?}, oracle {b:?}",
                    post.content.plain_text()
                ));
            }
        }
        let opts = SearchOptions {
            limit: 100,
            stats: true,
            ..SearchOptions::default()
        };
        let (a, b) = (
            index.search(&account, &parsed, &opts),
            oracle::search(&account, &parsed, &opts),
        );
        if a != b {
            failures.push(format!(
                "`{q}` search: index {}\n oracle {}",
                serde_json::to_string(&a).unwrap_or_default(),
                serde_json::to_string(&b).unwrap_or_default()
            ));
        }
    }
    // The cases are informative: hosts were found, highlights made, tags cut at the top 20.
    let all = oracle::search(
        &account,
        &parse_query("", Mode::Exact),
        &SearchOptions::default(),
    );
    let facets = all.facets.expect("facets");
    assert!(facets.domains.len() >= 5, "{:?}", facets.domains);
    assert_eq!(facets.hashtags.len(), permafrost_index::TOP);
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}
