//! Posts' text tokenized elsewhere (a second worker, in the browser): the posts written as bytes
//! with `write_fields`, fed to a `Tokenizer` in pieces of any size, its result sent back as
//! bytes, give the same index, byte for byte, as `Index::build` tokenizing here.

mod common;

use permafrost_index::{
    parse_query, write_fields, Index, Mode, SearchOptions, Tokenized, Tokenizer,
};
use permafrost_model::Account;

/// The posts' fields as `write_fields` writes them, one after the other.
fn stream(account: &Account) -> Vec<u8> {
    let mut out = Vec::new();
    let mut plain = String::new();
    for post in &account.posts {
        write_fields(post, &mut plain, &mut out);
    }
    out
}

/// The stream fed in pieces of `piece` bytes, tokenized, and sent back as bytes.
fn elsewhere(bytes: &[u8], piece: usize) -> Tokenized {
    let mut tokenizer = Tokenizer::new();
    for chunk in bytes.chunks(piece) {
        tokenizer.feed(chunk);
    }
    let sent = tokenizer.finish().expect("whole posts").to_bytes();
    Tokenized::from_bytes(&sent).expect("checked")
}

fn index_bytes(index: &Index) -> Vec<u8> {
    borsh::to_vec(index).expect("serializes")
}

fn accounts() -> Vec<(&'static str, Account)> {
    vec![
        ("small", common::small_account()),
        ("dealingwith", common::dealingwith()),
        ("synthetic", common::synth_account(3_000, 7).0),
    ]
}

#[test]
fn tokenized_elsewhere_builds_the_same_index() {
    for (name, account) in accounts() {
        let here = index_bytes(&Index::build(&account));
        let bytes = stream(&account);
        for piece in [1, 7, 4_096, 65_536, bytes.len().max(1)] {
            let tokenized = elsewhere(&bytes, piece);
            assert_eq!(
                tokenized.posts(),
                account.posts.len(),
                "{name}, pieces of {piece}"
            );
            let there = index_bytes(&Index::build_with(&account, tokenized));
            assert!(
                here == there,
                "{name}: another index with pieces of {piece} bytes"
            );
        }
    }
}

#[test]
fn tokenized_elsewhere_finds_what_is_searched() {
    let account = common::dealingwith();
    let index = Index::build_with(&account, elsewhere(&stream(&account), 1_000));
    let found = |q: &str| {
        index
            .search(
                &account,
                &parse_query(q, Mode::Exact),
                &SearchOptions::default(),
            )
            .total
    };
    let here = Index::build(&account);
    for q in [
        "coffee",
        "\"the same\"",
        "mastodon -twitter",
        "pho*",
        "has:media",
    ] {
        let expected = here
            .search(
                &account,
                &parse_query(q, Mode::Exact),
                &SearchOptions::default(),
            )
            .total;
        assert_eq!(found(q), expected, "{q}");
    }
    assert!(found("coffee") > 0);
}

#[test]
fn a_stream_cut_inside_a_post_gives_nothing() {
    let account = common::small_account();
    let bytes = stream(&account);
    for cut in [1, 5, bytes.len() / 2, bytes.len() - 1] {
        let mut tokenizer = Tokenizer::new();
        tokenizer.feed(&bytes[..cut]);
        // Whole posts before the cut are tokenized; the one cut short is not.
        assert!(tokenizer.posts() < account.posts.len());
        assert!(tokenizer.finish().is_none(), "cut at {cut}");
    }
}

#[test]
fn a_field_that_is_not_utf8_gives_nothing() {
    // A time, a short id of one byte, a field of three bytes, then the post's end.
    let mut bytes = 0i64.to_le_bytes().to_vec();
    bytes.extend_from_slice(&1u32.to_le_bytes());
    bytes.push(b'7');
    bytes.extend_from_slice(&3u32.to_le_bytes());
    bytes.extend_from_slice(&[b'a', 0xff, b'b']);
    bytes.extend_from_slice(&u32::MAX.to_le_bytes());
    let mut tokenizer = Tokenizer::new();
    tokenizer.feed(&bytes);
    assert!(tokenizer.finish().is_none());
    // The same with the text valid is read.
    bytes[18] = b'c';
    let mut tokenizer = Tokenizer::new();
    tokenizer.feed(&bytes);
    assert_eq!(tokenizer.finish().map(|t| t.posts()), Some(1));
}

#[test]
fn bytes_that_are_not_a_tokenized_text_are_refused() {
    let account = common::small_account();
    let good = Tokenized::of(&account.posts).to_bytes();
    assert!(Tokenized::from_bytes(&good).is_some());
    assert!(Tokenized::from_bytes(&good[..good.len() - 1]).is_none());
    assert!(Tokenized::from_bytes(b"not borsh at all").is_none());
    // Every single byte flipped in turn: refused, or read back as something the index can use
    // (no panic, nothing out of bounds).
    for i in 0..good.len() {
        let mut bad = good.clone();
        bad[i] ^= 0x5a;
        if let Some(t) = Tokenized::from_bytes(&bad) {
            let _ = Index::build_with(&account, t);
        }
    }
}

#[test]
fn tokenized_text_of_other_posts_is_not_used() {
    let account = common::small_account();
    let here = index_bytes(&Index::build(&account));
    let fewer = Tokenized::of(&account.posts[..account.posts.len() - 1]);
    assert_eq!(index_bytes(&Index::build_with(&account, fewer)), here);
}

/// `account` with every post's content warning a word no post has.
fn with_zebras(account: &Account) -> Account {
    let mut other = account.clone();
    for post in &mut other.posts {
        post.content_warning = Some("zebra".into());
    }
    other
}

fn zebras(index: &Index, account: &Account) -> u32 {
    let query = parse_query("zebra", Mode::Exact);
    index
        .search(account, &query, &SearchOptions::default())
        .total
}

#[test]
fn tokenized_text_filed_in_the_same_order_is_what_the_index_holds() {
    let account = common::dealingwith();
    assert_eq!(zebras(&Index::build(&account), &account), 0);
    // Other text, the same posts' times: what was given is used, not tokenized again here.
    let given = elsewhere(&stream(&with_zebras(&account)), 4_096);
    let index = Index::build_with(&account, given);
    assert_eq!(zebras(&index, &account) as usize, account.posts.len());
}

#[test]
fn tokenized_text_filed_in_another_order_is_not_used() {
    let account = common::dealingwith();
    // The same count of posts, but their times reversed: filed in another order, so ignored.
    let mut other = with_zebras(&account);
    let newest = other.posts.iter().filter_map(|p| p.published).max();
    for post in &mut other.posts {
        post.published = post.published.zip(newest).map(|(t, n)| n - t);
    }
    let given = Tokenized::of(&other.posts);
    assert_eq!(given.posts(), account.posts.len());
    let index = Index::build_with(&account, given);
    assert_eq!(zebras(&index, &account), 0);
    assert_eq!(
        index_bytes(&index),
        index_bytes(&Index::build(&account)),
        "tokenized here instead"
    );
}

#[test]
fn the_text_part_asked_for_last_builds_the_same_index() {
    let account = common::dealingwith();
    let here = index_bytes(&Index::build(&account));
    let bytes = stream(&account);
    let mut asked = 0;
    let there = Index::build_then(&account, || {
        asked += 1;
        Some(elsewhere(&bytes, 4_096))
    });
    assert_eq!(asked, 1);
    assert!(here == index_bytes(&there));
    // None: tokenized here.
    assert!(here == index_bytes(&Index::build_then(&account, || None)));
}

/// Self-reply parents given from elsewhere make the same index as those found here; garbage
/// given (too few, too many, past the last post) is read as no parent, never out of bounds.
#[test]
fn self_reply_parents_given_build_the_same_index() {
    use permafrost_index::self_reply_parents;
    for (name, account) in accounts() {
        let here = index_bytes(&Index::build(&account));
        let parents = self_reply_parents(&account);
        assert!(
            name == "small" || parents.iter().any(|&p| p != u32::MAX),
            "{name}: no self-replies to test with"
        );
        let given = index_bytes(&Index::build_then_with(&account, parents, || None));
        assert!(
            here == given,
            "{name}: another index with the parents given"
        );

        let none = index_bytes(&Index::build_then_with(
            &account,
            vec![u32::MAX; account.posts.len()],
            || None,
        ));
        let n = account.posts.len() as u32;
        for garbage in [
            Vec::new(),
            vec![n; account.posts.len() + 5],
            vec![u32::MAX - 1; 3],
        ] {
            let built = index_bytes(&Index::build_then_with(&account, garbage, || None));
            assert!(built == none, "{name}: garbage parents are no parents");
        }
    }
}
