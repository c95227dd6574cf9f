//! The People view and CSV exports added to an open archive, natively: on a generated archive
//! whose truth is computed here from its own outbox.json and CSVs (with serde_json and the csv
//! crate, not with the code under test), on real exports, on hand-written edge cases, and on a
//! hostile following list of 100,000 accounts.
#![allow(clippy::unwrap_used)]

use permafrost_engine::Input;
use permafrost_protocol::{
    AddedView, CsvKind, PeopleSort, PeopleTable, PeopleView, RequestBody, ResponseBody, Selection,
    Sort,
};
use permafrost_session::{Answer, Session};
use serde_json::Value;
use std::collections::{BTreeMap, BTreeSet, HashMap, HashSet};
use std::io::{Cursor, Read};

type Source = Cursor<Vec<u8>>;

fn input(name: &str, bytes: &[u8]) -> Input<Source> {
    Input::new(name, Cursor::new(bytes.to_vec()))
}

fn open(inputs: Vec<Input<Source>>) -> Session<Source> {
    Session::open(inputs, &mut |_| {}, Box::new(|| 0.0))
        .unwrap()
        .0
}

/// A People request.
struct Ask<'a> {
    table: PeopleTable,
    filter: &'a str,
    sort: Option<PeopleSort>,
    query: &'a str,
    time_zone: &'a str,
    offset: u32,
    limit: u32,
}

impl Default for Ask<'_> {
    fn default() -> Self {
        Ask {
            table: PeopleTable::Following,
            filter: "",
            sort: None,
            query: "",
            time_zone: "UTC",
            offset: 0,
            limit: 500,
        }
    }
}

fn people(s: &mut Session<Source>, ask: Ask<'_>) -> PeopleView {
    let body = RequestBody::People {
        table: ask.table,
        filter: ask.filter.into(),
        sort: ask.sort,
        query: ask.query.into(),
        time_zone: ask.time_zone.into(),
        offset: ask.offset,
        limit: ask.limit,
    };
    match s.answer(1, body) {
        Answer::Body(ResponseBody::People(v)) => *v,
        other => panic!("not a People answer: {other:?}"),
    }
}

/// Every row of a table, page by page.
fn all_rows(s: &mut Session<Source>, table: PeopleTable) -> Vec<permafrost_protocol::PersonRow> {
    let mut rows = Vec::new();
    loop {
        let v = people(
            s,
            Ask {
                table,
                sort: Some(PeopleSort::File),
                offset: rows.len() as u32,
                ..Ask::default()
            },
        );
        if v.rows.is_empty() {
            assert_eq!(rows.len() as u32, v.matching);
            return rows;
        }
        rows.extend(v.rows);
    }
}

/// The posts a query selects, read as complete (what a click on a term shows).
fn count(s: &Session<Source>, query: &str) -> usize {
    s.selected(&Selection::Query {
        query: query.into(),
        sort: Sort::Newest,
        time_zone: "UTC".into(),
        as_typed: false,
    })
    .len()
}

fn csv_rows(bytes: &[u8]) -> Vec<Vec<String>> {
    csv::ReaderBuilder::new()
        .has_headers(false)
        .flexible(true)
        .from_reader(bytes)
        .records()
        .map(|r| r.unwrap().iter().map(str::to_string).collect())
        .collect()
}

/// What the posts say about accounts, read from outbox.json here: posts mentioning each
/// account and boosts of each account's posts, keyed by lowercase `user@domain` (a local
/// mention gets `local`), a boosted account by the handle a mention with its URI gives it, or
/// else its URI without the scheme.
struct Truth {
    mentions: HashMap<String, usize>,
    boosts: HashMap<String, usize>,
}

fn truth(outbox: &[u8], local: &str, owner_uri: &str, owner: &str) -> Truth {
    let v: Value = serde_json::from_slice(outbox).unwrap();
    let items = v["orderedItems"].as_array().unwrap();
    let mut href_handle: HashMap<String, String> = HashMap::new();
    let mut mentions: HashMap<String, usize> = HashMap::new();
    for item in items {
        let Some(tags) = item["object"]["tag"].as_array() else {
            continue;
        };
        let mut seen = HashSet::new();
        for tag in tags.iter().filter(|t| t["type"] == "Mention") {
            let name = tag["name"]
                .as_str()
                .unwrap()
                .trim_start_matches('@')
                .to_lowercase();
            let acct = if name.contains('@') {
                name
            } else {
                format!("{name}@{local}")
            };
            if let Some(href) = tag["href"].as_str() {
                href_handle.entry(href.to_string()).or_insert(acct.clone());
            }
            if seen.insert(acct.clone()) {
                *mentions.entry(acct).or_default() += 1;
            }
        }
    }
    href_handle.insert(owner_uri.to_string(), owner.to_string());
    let mut boosts: HashMap<String, usize> = HashMap::new();
    for item in items.iter().filter(|i| i["type"] == "Announce") {
        let author = match &item["object"] {
            Value::String(_) => item["cc"]
                .as_array()
                .and_then(|cc| cc.first())
                .and_then(Value::as_str)
                .filter(|c| !c.ends_with("/followers") && !c.ends_with("#Public")),
            object => object["attributedTo"].as_str(),
        };
        if let Some(uri) = author {
            let label = href_handle.get(uri).cloned().unwrap_or_else(|| {
                uri.trim_start_matches("https://")
                    .trim_end_matches('/')
                    .to_lowercase()
            });
            *boosts.entry(label).or_default() += 1;
        }
    }
    Truth { mentions, boosts }
}

#[path = "support/synth_zip.rs"]
mod synth_zip;
use synth_zip::synth_zip as synth;

fn outbox_of(zip: &[u8]) -> Vec<u8> {
    let mut archive = zip::ZipArchive::new(Cursor::new(zip)).unwrap();
    let mut out = Vec::new();
    archive
        .by_name("outbox.json")
        .unwrap()
        .read_to_end(&mut out)
        .unwrap();
    out
}

/// Every table of a generated archive equals its CSVs, row for row, and every cross reference
/// equals what outbox.json says, counted here; each term selects exactly the posts counted.
#[test]
fn a_generated_archive_s_tables_and_cross_references_are_its_truth() {
    let (opts, zip) = synth(800, 5);
    let expected = permafrost_synth::expected(&opts).unwrap();
    let csvs: BTreeMap<&str, Vec<u8>> = permafrost_synth::csv_exports(&opts).into_iter().collect();
    let mut inputs = vec![input("archive.zip", &zip)];
    inputs.extend(csvs.iter().map(|(name, bytes)| input(name, bytes)));
    let mut s = open(inputs);
    let owner = "alice@example.social";
    let t = truth(
        &outbox_of(&zip),
        "example.social",
        "https://example.social/users/alice",
        owner,
    );

    let first = people(&mut s, Ask::default());
    assert_eq!(first.owner.as_deref(), Some(owner));
    assert_eq!(
        first.export_page.as_deref(),
        Some("https://example.social/settings/export")
    );
    assert!(first.missing.is_empty(), "{:?}", first.missing);
    let read: BTreeSet<&str> = first.files.iter().map(|f| f.name.as_str()).collect();
    assert_eq!(read, csvs.keys().copied().collect());
    let info = |table| first.tables.iter().find(|i| i.table == table).unwrap();
    assert!(
        !info(PeopleTable::Followers).present,
        "Mastodon has no followers export"
    );
    assert_eq!(
        info(PeopleTable::Following).total as usize,
        expected.following
    );
    assert_eq!(info(PeopleTable::Blocks).total as usize, expected.blocks);
    assert_eq!(info(PeopleTable::Mutes).total as usize, expected.mutes);
    assert_eq!(
        info(PeopleTable::DomainBlocks).total as usize,
        expected.domain_blocks
    );
    assert_eq!(
        info(PeopleTable::Lists).total as usize,
        expected.lists.values().sum::<usize>()
    );

    // Following: the CSV's rows in its order, options as written, counts as outbox.json says.
    let following = csv_rows(&csvs["following_accounts.csv"]);
    let rows = all_rows(&mut s, PeopleTable::Following);
    assert_eq!(rows.len(), following.len() - 1);
    let mut silent = BTreeSet::new();
    let mut checked_terms = 0;
    for (row, csv) in rows.iter().zip(&following[1..]) {
        assert_eq!(row.address, csv[0]);
        assert!(row.followed);
        assert_eq!(row.show_boosts, Some(csv[1] == "true"));
        assert_eq!(row.notify, Some(csv[2] == "true"));
        let langs: Vec<String> = csv[3]
            .split(", ")
            .filter(|l| !l.is_empty())
            .map(str::to_string)
            .collect();
        assert_eq!(row.languages, langs);
        let key = csv[0].to_lowercase();
        let mentions = t.mentions.get(&key).copied().unwrap_or(0);
        let boosts = t.boosts.get(&key).copied().unwrap_or(0);
        assert_eq!(
            (row.mentions as usize, row.boosts as usize),
            (mentions, boosts),
            "{key}"
        );
        if mentions + boosts == 0 {
            silent.insert(key.clone());
        }
        if let Some(term) = &row.mention_term {
            assert_eq!(count(&s, term), mentions, "{term}");
            checked_terms += 1;
        }
        if let Some(term) = &row.boost_term {
            assert_eq!(count(&s, term), boosts, "{term}");
        }
        assert_eq!(row.mention_term.is_some(), mentions > 0);
        assert_eq!(row.boost_term.is_some(), boosts > 0);
    }
    assert!(checked_terms > 10, "too few mentioned follows to test");
    assert!(
        t.boosts
            .keys()
            .any(|k| following[1..].iter().any(|r| r[0] == *k)),
        "no boosted follow to test"
    );

    // Followed, never mentioned nor boosted.
    let got: BTreeSet<String> = all_rows(&mut s, PeopleTable::NotMentioned)
        .into_iter()
        .map(|r| r.address.to_lowercase())
        .collect();
    assert_eq!(got, silent);

    // Mentioned, not followed: every one, most mentioned first, yourself left out.
    let followed: HashSet<String> = following[1..].iter().map(|r| r[0].to_lowercase()).collect();
    let want: BTreeMap<String, usize> = t
        .mentions
        .iter()
        .filter(|(k, _)| !followed.contains(*k) && *k != owner)
        .map(|(k, n)| (k.clone(), *n))
        .collect();
    let v = people(
        &mut s,
        Ask {
            table: PeopleTable::MentionedNotFollowed,
            ..Ask::default()
        },
    );
    assert_eq!(v.sort, PeopleSort::Mentions);
    let got: BTreeMap<String, usize> = v
        .rows
        .iter()
        .map(|r| (r.address.clone(), r.mentions as usize))
        .collect();
    assert_eq!(got, want);
    assert!(v.rows.windows(2).all(|w| w[0].mentions >= w[1].mentions));
    assert!(v.rows.iter().all(|r| !r.followed));

    // Lists: one row per list and member, in the CSV's order; each row says all its lists.
    let lists = csv_rows(&csvs["lists.csv"]);
    let rows = all_rows(&mut s, PeopleTable::Lists);
    let got: Vec<(String, String)> = rows
        .iter()
        .map(|r| (r.list.clone().unwrap(), r.address.clone()))
        .collect();
    let want: Vec<(String, String)> = lists.iter().map(|r| (r[0].clone(), r[1].clone())).collect();
    assert_eq!(got, want);
    for row in &rows {
        let in_lists: Vec<String> = lists
            .iter()
            .filter(|r| r[1] == row.address)
            .map(|r| r[0].clone())
            .fold(Vec::new(), |mut v, t| {
                if !v.contains(&t) {
                    v.push(t)
                }
                v
            });
        assert_eq!(row.lists, in_lists);
        assert!(row.followed, "synth lists hold followed accounts");
    }
    let v = people(
        &mut s,
        Ask {
            table: PeopleTable::Lists,
            ..Ask::default()
        },
    );
    let sizes: BTreeMap<String, usize> = v
        .lists
        .iter()
        .map(|l| (l.title.clone(), l.members as usize))
        .collect();
    assert_eq!(sizes, expected.lists);

    // Blocks, mutes and domain blocks: as written.
    let blocks: Vec<String> = csv_rows(&csvs["blocked_accounts.csv"])
        .into_iter()
        .map(|r| r[0].clone())
        .collect();
    let got: Vec<String> = all_rows(&mut s, PeopleTable::Blocks)
        .into_iter()
        .map(|r| r.address)
        .collect();
    assert_eq!(got, blocks);
    let mutes = csv_rows(&csvs["muted_accounts.csv"]);
    let got: Vec<(String, Option<bool>)> = all_rows(&mut s, PeopleTable::Mutes)
        .into_iter()
        .map(|r| (r.address, r.hide_notifications))
        .collect();
    let want: Vec<(String, Option<bool>)> = mutes[1..]
        .iter()
        .map(|r| (r[0].clone(), Some(r[1] == "true")))
        .collect();
    assert_eq!(got, want);
    let v = people(
        &mut s,
        Ask {
            table: PeopleTable::DomainBlocks,
            sort: Some(PeopleSort::File),
            ..Ask::default()
        },
    );
    let want: Vec<String> = csv_rows(&csvs["blocked_domains.csv"])
        .into_iter()
        .map(|r| r[0].clone())
        .collect();
    assert_eq!(v.domains, want);
    assert!(v.rows.is_empty());
}

/// Over a query's posts only: the counts are of the posts it selects.
#[test]
fn counts_follow_the_query() {
    let (opts, zip) = synth(400, 9);
    let mut inputs = vec![input("archive.zip", &zip)];
    for (name, bytes) in permafrost_synth::csv_exports(&opts) {
        inputs.push(input(name, &bytes));
    }
    let mut s = open(inputs);
    let all = people(
        &mut s,
        Ask {
            sort: Some(PeopleSort::Mentions),
            ..Ask::default()
        },
    );
    let top = &all.rows[0];
    let term = top.mention_term.clone().unwrap();
    assert!(top.mentions > 1);
    // Only this account's posts: it is mentioned in all of them.
    let narrowed = people(
        &mut s,
        Ask {
            sort: Some(PeopleSort::Mentions),
            query: &term,
            ..Ask::default()
        },
    );
    let row = narrowed
        .rows
        .iter()
        .find(|r| r.address == top.address)
        .unwrap();
    assert_eq!(row.mentions, top.mentions);
    // Not one of them: nothing mentions it.
    let without = people(
        &mut s,
        Ask {
            filter: &top.address,
            query: &format!("-{term}"),
            ..Ask::default()
        },
    );
    assert!(without.rows.iter().all(|r| r.mentions == 0));
    let bad = people(
        &mut s,
        Ask {
            query: "hass:media",
            ..Ask::default()
        },
    );
    assert!(!bad.errors.is_empty());
    // An unknown zone is read as UTC and said so, as the timeline and the statistics say it.
    let utc = people(&mut s, Ask::default());
    let mars = people(
        &mut s,
        Ask {
            time_zone: "Mars/Olympus_Mons",
            ..Ask::default()
        },
    );
    assert!(utc.errors.is_empty(), "{:?}", utc.errors);
    assert!(
        mars.errors
            .iter()
            .any(|e| e.text.contains("Mars/Olympus_Mons")),
        "{:?}",
        mars.errors
    );
    assert_eq!(mars.rows, utc.rows);
}

const EDGE_ACTOR: &str = r#"{"id":"https://social.example.com/users/alice","type":"Person",
  "preferredUsername":"alice","webfinger":"alice@example.com",
  "followers":"https://social.example.com/users/alice/followers"}"#;

/// Posts on a server whose accounts are `@example.com` while its web host is
/// social.example.com (Mastodon's LOCAL_DOMAIN and WEB_DOMAIN).
const EDGE_OUTBOX: &str = r##"{"orderedItems":[
 {"id":"https://social.example.com/users/alice/statuses/1/activity","type":"Create","actor":"https://social.example.com/users/alice",
  "object":{"id":"https://social.example.com/users/alice/statuses/1","type":"Note","published":"2023-01-01T00:00:00Z",
   "to":["https://www.w3.org/ns/activitystreams#Public"],"content":"<p>one #rust</p>",
   "tag":[{"type":"Hashtag","name":"#rust"},
          {"type":"Mention","name":"@Bob@Other.Example","href":"https://other.example/users/bob"},
          {"type":"Mention","name":"@carol","href":"https://social.example.com/users/carol"},
          {"type":"Mention","name":"@zed@x.example","href":"https://x.example/users/zed"},
          {"type":"Mention","name":"@alice","href":"https://social.example.com/users/alice"}]}},
 {"id":"https://social.example.com/users/alice/statuses/2/activity","type":"Create","actor":"https://social.example.com/users/alice",
  "object":{"id":"https://social.example.com/users/alice/statuses/2","type":"Note","published":"2023-01-02T00:00:00Z",
   "to":["https://www.w3.org/ns/activitystreams#Public"],"content":"<p>two</p>",
   "tag":[{"type":"Mention","name":"@dave@example.com","href":"https://social.example.com/users/dave"},
          {"type":"Mention","name":"@zed@x.example","href":"https://x.example/users/zed"},
          {"type":"Mention","name":"@erin@far.example","href":"https://far.example/users/erin"}]}},
 {"id":"https://social.example.com/users/alice/statuses/3/activity","type":"Announce","actor":"https://social.example.com/users/alice",
  "published":"2023-01-03T00:00:00Z","to":["https://www.w3.org/ns/activitystreams#Public"],
  "cc":["https://far.example/users/erin"],"object":"https://far.example/users/erin/statuses/9"},
 {"id":"https://social.example.com/users/alice/statuses/4/activity","type":"Announce","actor":"https://social.example.com/users/alice",
  "published":"2023-01-04T00:00:00Z","to":["https://www.w3.org/ns/activitystreams#Public"],
  "cc":["https://misskey.example/users/9x"],"object":"https://misskey.example/notes/9"}]}"##;

const EDGE_FOLLOWING: &str = "Account address,Show boosts,Notify on new posts,Languages\n\
    bob@other.example,true,false,\n\
    @Carol@Example.com,false,true,\"en, de\"\n\
    dave@social.example.com,true,false,\n\
    erin@far.example,true,false,\n\
    frank@misskey.example,true,false,\n";

fn edge_session() -> Session<Source> {
    open(vec![
        input("archive/outbox.json", EDGE_OUTBOX.as_bytes()),
        input("archive/actor.json", EDGE_ACTOR.as_bytes()),
        input("following_accounts.csv", EDGE_FOLLOWING.as_bytes()),
        input(
            "lists.csv",
            b"Friends,bob@other.example\nFriends,carol@example.com\nWork,BOB@other.example\n",
        ),
        input(
            "muted_accounts.csv",
            b"Account address,Hide notifications\nzed@x.example,true\n",
        ),
    ])
}

/// The same account under any address form is one; an address the archive cannot tie to an
/// account is not guessed.
#[test]
fn address_forms_match_and_nothing_is_guessed() {
    let mut s = edge_session();
    let v = people(
        &mut s,
        Ask {
            sort: Some(PeopleSort::File),
            ..Ask::default()
        },
    );
    assert_eq!(v.owner.as_deref(), Some("alice@example.com"));
    let by: HashMap<&str, &permafrost_protocol::PersonRow> =
        v.rows.iter().map(|r| (r.address.as_str(), r)).collect();
    let counts = |a: &str| (by[a].mentions, by[a].boosts);
    assert_eq!(counts("bob@other.example"), (1, 0), "any case");
    assert_eq!(
        by["bob@other.example"].mention_term.as_deref(),
        Some("@bob@other.example")
    );
    assert_eq!(by["bob@other.example"].lists, ["Friends", "Work"]);
    // A local mention is the owner's domain, whatever the web host.
    assert_eq!(
        counts("Carol@Example.com"),
        (1, 0),
        "leading @, local mention"
    );
    assert_eq!(by["Carol@Example.com"].languages, ["en", "de"]);
    assert_eq!(
        by["Carol@Example.com"].mention_term.as_deref(),
        Some("@carol@social.example.com")
    );
    assert_eq!(counts("dave@social.example.com"), (1, 0), "web host");
    // erin's URI is tied to erin by a mention: the boost is hers.
    assert_eq!(counts("erin@far.example"), (1, 1));
    assert_eq!(
        by["erin@far.example"].boost_term.as_deref(),
        Some("boosted:erin@far.example")
    );
    // The Misskey boost names a URI nothing ties to frank: not guessed.
    assert_eq!(counts("frank@misskey.example"), (0, 0));
    for row in &v.rows {
        if let Some(term) = &row.mention_term {
            assert_eq!(count(&s, term), row.mentions as usize, "{term}");
        }
    }

    let silent = people(
        &mut s,
        Ask {
            table: PeopleTable::NotMentioned,
            ..Ask::default()
        },
    );
    let names: Vec<&str> = silent.rows.iter().map(|r| r.address.as_str()).collect();
    assert_eq!(names, ["frank@misskey.example"]);

    // Mentioned, not followed: zed (twice, muted), not yourself.
    let v = people(
        &mut s,
        Ask {
            table: PeopleTable::MentionedNotFollowed,
            ..Ask::default()
        },
    );
    assert_eq!(v.rows.len(), 1);
    let zed = &v.rows[0];
    assert_eq!(
        (zed.address.as_str(), zed.mentions, zed.hide_notifications),
        ("zed@x.example", 2, Some(true))
    );
    assert_eq!(zed.mention_term.as_deref(), Some("@zed@x.example"));
    assert!(!zed.followed);
    let info = |table| *v.tables.iter().find(|i| i.table == table).unwrap();
    assert_eq!(info(PeopleTable::MentionedNotFollowed).total, 1);
    assert_eq!(info(PeopleTable::NotMentioned).total, 1);
    assert!(!info(PeopleTable::Blocks).present);
    assert_eq!(
        v.missing,
        [CsvKind::Blocks, CsvKind::DomainBlocks, CsvKind::Bookmarks]
    );

    // Only the posts of `#rust`: the first post.
    let v = people(
        &mut s,
        Ask {
            sort: Some(PeopleSort::Mentions),
            query: "#rust",
            ..Ask::default()
        },
    );
    let mentioned: Vec<(&str, u32)> = v
        .rows
        .iter()
        .filter(|r| r.mentions > 0)
        .map(|r| (r.address.as_str(), r.mentions))
        .collect();
    assert_eq!(
        mentioned,
        [("bob@other.example", 1), ("Carol@Example.com", 1)]
    );
}

/// Filters, orders and pages: the edges.
#[test]
fn filter_sort_and_paging_edges() {
    let mut s = edge_session();
    let addresses =
        |v: &PeopleView| -> Vec<String> { v.rows.iter().map(|r| r.address.clone()).collect() };
    for filter in ["BOB", "@bob", " bob@OTHER "] {
        let v = people(
            &mut s,
            Ask {
                filter,
                ..Ask::default()
            },
        );
        assert_eq!((v.total, v.matching), (5, 1), "{filter}");
        assert_eq!(addresses(&v), ["bob@other.example"]);
    }
    // `@e` is a handle being typed: names that start with it; `r`, anything holding it.
    let matching = |s: &mut Session<Source>, filter| {
        people(
            s,
            Ask {
                filter,
                ..Ask::default()
            },
        )
        .matching
    };
    assert_eq!(matching(&mut s, "@e"), 1);
    assert_eq!(matching(&mut s, "@r"), 0);
    assert_eq!(matching(&mut s, "r"), 4);
    // By name ignores case and the leading @; by mentions, most first, ties by name.
    let v = people(&mut s, Ask::default());
    assert_eq!(v.sort, PeopleSort::Name);
    assert_eq!(
        addresses(&v),
        [
            "bob@other.example",
            "Carol@Example.com",
            "dave@social.example.com",
            "erin@far.example",
            "frank@misskey.example"
        ]
    );
    let v = people(
        &mut s,
        Ask {
            sort: Some(PeopleSort::Boosts),
            ..Ask::default()
        },
    );
    assert_eq!(addresses(&v)[0], "erin@far.example");
    // Lists filter by title too, and sort by title then member.
    let v = people(
        &mut s,
        Ask {
            table: PeopleTable::Lists,
            filter: "work",
            ..Ask::default()
        },
    );
    assert_eq!(v.matching, 1);
    assert_eq!(v.rows[0].list.as_deref(), Some("Work"));
    // Pages: past the end is empty; a page is at most 500 rows; offsets add up.
    let v = people(
        &mut s,
        Ask {
            offset: 5,
            ..Ask::default()
        },
    );
    assert_eq!((v.matching, v.rows.len(), v.offset), (5, 0, 5));
    let v = people(
        &mut s,
        Ask {
            offset: u32::MAX,
            limit: u32::MAX,
            ..Ask::default()
        },
    );
    assert!(v.rows.is_empty());
    let v = people(
        &mut s,
        Ask {
            offset: 1,
            limit: 2,
            ..Ask::default()
        },
    );
    assert_eq!(
        addresses(&v),
        ["Carol@Example.com", "dave@social.example.com"]
    );
    // A table no file gave: absent, empty, not an error.
    let v = people(
        &mut s,
        Ask {
            table: PeopleTable::Followers,
            ..Ask::default()
        },
    );
    assert_eq!((v.total, v.matching, v.rows.len()), (0, 0, 0));
}

/// CSV exports added to an open archive give what giving them at first gives: the same
/// summary, the same tables, bookmarks.csv merged without duplicates; a second file of a kind
/// adds to the first; an archive or a JSON file is refused and changes nothing.
#[test]
fn added_files_merge_as_if_given_with_the_archive() {
    let (opts, zip) = synth(500, 3);
    let expected = permafrost_synth::expected(&opts).unwrap();
    let csvs = permafrost_synth::csv_exports(&opts);
    let mut all = vec![input("archive.zip", &zip)];
    all.extend(csvs.iter().map(|(n, b)| input(n, b)));
    let (mut at_once, opened_at_once) = Session::open(all, &mut |_| {}, Box::new(|| 0.0)).unwrap();

    let (mut s, opened) = Session::open(
        vec![input("archive.zip", &zip)],
        &mut |_| {},
        Box::new(|| 0.0),
    )
    .unwrap();
    assert_eq!(opened.summary.following, None);
    assert_eq!(
        opened.summary.bookmarks,
        Some(expected.detail.bookmarks_json)
    );
    let before = people(&mut s, Ask::default());
    assert_eq!(
        before.missing.len(),
        5,
        "every export but bookmarks: {:?}",
        before.missing
    );
    assert!(before.files.is_empty());
    assert!(!before.tables[0].present);

    // Not CSV exports: refused, nothing changes.
    let refused = s.add_files(vec![
        input("archive.zip", &zip),
        input("outbox.json", br#"{"orderedItems":[]}"#),
        input("notes.csv", b"hello,world\n"),
    ]);
    for f in &refused.files {
        assert!(f.kind.is_none() && f.error.is_some(), "{f:?}");
        assert_eq!(f.rows, 0);
    }
    let why = |i: usize| refused.files[i].error.clone().unwrap_or_default();
    assert!(why(0).text.contains("archive"));
    assert_eq!(why(0).code, "added.archive");
    assert!(why(1).text.contains("JSON"));
    assert_eq!(why(1).code, "added.not_csv");
    assert_eq!(refused.summary, opened.summary);

    // The six exports, dropped later.
    let added: AddedView = s.add_files(csvs.iter().map(|(n, b)| input(n, b)).collect());
    assert!(added.files.iter().all(|f| f.error.is_none()));
    let rows: HashMap<&str, u32> = added
        .files
        .iter()
        .map(|f| (f.name.as_str(), f.rows))
        .collect();
    assert_eq!(rows["following_accounts.csv"] as usize, expected.following);
    assert_eq!(
        rows["bookmarks.csv"] as usize,
        expected.detail.bookmarks_csv
    );
    assert_eq!(added.summary.following, Some(expected.following));
    assert_eq!(added.summary.bookmarks, Some(expected.bookmarks));
    assert_eq!(added.summary, opened_at_once.summary);
    for table in PeopleTable::ALL {
        let ask = || Ask {
            table,
            ..Ask::default()
        };
        assert_eq!(
            people(&mut s, ask()),
            people(&mut at_once, ask()),
            "{table:?}"
        );
    }
    // Bookmarks, as the Saved view lists them: each once.
    let saved = |s: &mut Session<Source>| match s.answer(
        2,
        RequestBody::Saved {
            list: permafrost_protocol::SavedList::Bookmarks,
            filter: String::new(),
            offset: 0,
            limit: 500,
            account: None,
        },
    ) {
        Answer::Body(ResponseBody::Saved(v)) => {
            v.items.into_iter().map(|i| i.uri).collect::<Vec<_>>()
        }
        other => panic!("{other:?}"),
    };
    let listed = saved(&mut s);
    assert_eq!(listed.len(), expected.bookmarks);
    assert_eq!(listed, saved(&mut at_once));

    // The same following list again adds nobody: each account is listed once, as when two
    // files are given at once. A list with one more account adds that one.
    let following = &csvs
        .iter()
        .find(|(n, _)| *n == "following_accounts.csv")
        .unwrap()
        .1;
    let again = s.add_files(vec![input("following_accounts (1).csv", following)]);
    // The file's line names what it holds; the graph counts each account once.
    assert_eq!(again.files[0].rows as usize, expected.following);
    assert_eq!(again.summary.following, Some(expected.following));
    let mut more = following.clone();
    more.extend_from_slice(b"\nsomeone.new@elsewhere.example,true,false,\n");
    let again = s.add_files(vec![input("following_accounts (2).csv", &more)]);
    assert_eq!(again.files[0].rows as usize, expected.following + 1);
    assert_eq!(again.summary.following, Some(expected.following + 1));
    let rows = all_rows(&mut s, PeopleTable::Following);
    let mut accounts: Vec<&str> = rows.iter().map(|r| r.address.as_str()).collect();
    accounts.sort_unstable();
    let listed = accounts.len();
    accounts.dedup();
    assert_eq!(accounts.len(), listed, "an account listed twice");
    // Bookmarks again: nothing new.
    let again = s.add_files(vec![input(
        "bookmarks.csv",
        &csvs.iter().find(|(n, _)| *n == "bookmarks.csv").unwrap().1,
    )]);
    assert_eq!(again.summary.bookmarks, Some(expected.bookmarks));

    // Bad rows are counted and shown with their line.
    let bad = s.add_files(vec![input(
        "blocked_accounts.csv",
        b"ok@x.example\nnot an address\n",
    )]);
    let f = &bad.files[0];
    assert_eq!((f.kind, f.rows, f.problems), (Some(CsvKind::Blocks), 1, 1));
    assert_eq!(f.diagnostics[0].location, "blocked_accounts.csv line 2");

    // An empty export says "none", which differs from no file.
    let empty = s.add_files(vec![input("blocked_domains.csv", b"")]);
    assert_eq!(empty.files[0].kind, Some(CsvKind::DomainBlocks));
    assert_eq!(empty.summary.domain_blocks, Some(expected.domain_blocks));

    // The request itself, without the files beside, is an error, not a panic.
    assert!(matches!(
        s.answer(
            3,
            RequestBody::AddFiles {
                names: vec!["x.csv".into()]
            }
        ),
        Answer::Body(ResponseBody::Error { .. })
    ));
}

/// Real exports beside a real archive (see tests/data/README.md): every row read, and the
/// mentions of followed accounts as the archive's own outbox.json says.
#[test]
fn real_exports_beside_a_real_archive() {
    let data = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/data/");
    let archive = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../model/tests/data/dealingwith/"
    );
    let read = |p: String| std::fs::read(p).unwrap();
    let outbox = read(format!("{archive}outbox.json"));
    let actor = read(format!("{archive}actor.json"));
    let following = read(format!("{data}todb-following_accounts.csv"));
    let mut s = open(vec![
        input("a/outbox.json", &outbox),
        input("a/actor.json", &actor),
        input("following_accounts.csv", &following),
    ]);
    let rows = all_rows(&mut s, PeopleTable::Following);
    let want = csv_rows(&following);
    assert_eq!(rows.len(), 797);
    assert_eq!(rows.len(), want.len() - 1);
    for (row, csv) in rows.iter().zip(&want[1..]) {
        assert_eq!(row.address, csv[0]);
        assert_eq!(row.show_boosts, Some(csv[1] == "true"));
        assert!(row.languages.is_empty());
    }
    let v = people(&mut s, Ask::default());
    let owner = v.owner.clone().unwrap();
    let (user, host) = owner.split_once('@').unwrap();
    let t = truth(
        &outbox,
        host,
        &format!("https://{host}/users/{user}"),
        &owner,
    );
    for row in &rows {
        let key = row.address.to_lowercase();
        assert_eq!(
            row.mentions as usize,
            t.mentions.get(&key).copied().unwrap_or(0),
            "{key}"
        );
    }
    // Mentioned, not followed: as outbox.json says.
    let followed: HashSet<String> = want[1..].iter().map(|r| r[0].to_lowercase()).collect();
    let mut n = 0;
    loop {
        let v = people(
            &mut s,
            Ask {
                table: PeopleTable::MentionedNotFollowed,
                offset: n,
                ..Ask::default()
            },
        );
        if v.rows.is_empty() {
            let want = t
                .mentions
                .keys()
                .filter(|k| !followed.contains(*k) && **k != owner)
                .count();
            assert_eq!(n as usize, want);
            break;
        }
        for r in &v.rows {
            assert_eq!(r.mentions as usize, t.mentions[&r.address], "{}", r.address);
        }
        n += v.rows.len() as u32;
    }

    // Headerless 1.x exports, added later.
    let old = read(format!("{data}aa-m-sa-following_accounts.csv"));
    let blocks = read(format!("{data}toqduj-blocked_accounts.csv"));
    let added = s.add_files(vec![
        input("following_accounts.csv", &old),
        input("blocked_accounts.csv", &blocks),
    ]);
    let lines = |b: &[u8]| b.split(|&c| c == b'\n').filter(|l| !l.is_empty()).count();
    assert_eq!(added.files[0].rows as usize, lines(&old));
    assert_eq!(added.files[1].rows as usize, lines(&blocks));
    assert_eq!(added.summary.following, Some(797 + lines(&old)));
}

/// A following list of 100,000 accounts: every page is answered, and matching stays linear (a
/// quadratic one would take hours here).
#[test]
fn a_hostile_following_list_of_100000_accounts() {
    let mut csv = String::from("Account address,Show boosts\n");
    for i in 0..100_000 {
        csv.push_str(&format!("user{i}@host{}.example,true\n", i % 997));
    }
    let mut s = open(vec![
        input("archive/outbox.json", EDGE_OUTBOX.as_bytes()),
        input("archive/actor.json", EDGE_ACTOR.as_bytes()),
        input("following_accounts.csv", csv.as_bytes()),
    ]);
    let v = people(
        &mut s,
        Ask {
            sort: Some(PeopleSort::Mentions),
            offset: 99_900,
            limit: 10_000,
            ..Ask::default()
        },
    );
    assert_eq!((v.total, v.matching, v.rows.len()), (100_000, 100_000, 100));
    let v = people(
        &mut s,
        Ask {
            filter: "user99999@",
            ..Ask::default()
        },
    );
    assert_eq!(v.matching, 1);
    let v = people(
        &mut s,
        Ask {
            table: PeopleTable::NotMentioned,
            limit: 500,
            ..Ask::default()
        },
    );
    assert_eq!((v.matching, v.rows.len()), (100_000, 500));
    let v = people(
        &mut s,
        Ask {
            table: PeopleTable::MentionedNotFollowed,
            ..Ask::default()
        },
    );
    assert_eq!(
        v.matching, 5,
        "bob, carol, dave, erin, zed: none followed here"
    );
}
