//! A small, forgiving HTML reader that turns post and profile HTML into [`RichText`].
//!
//! Mastodon sends a narrow HTML subset, but an archive is a file anyone can edit, so this reader
//! accepts anything: unknown tags keep their text, `<script>`/`<style>` lose theirs, attributes other
//! than `href` and `class` are ignored, and malformed markup never fails. It builds a tiny element tree
//! first (so unclosed and mis-nested tags are settled in one place), then maps it to blocks and inlines.

use crate::link::Href;
use crate::rich::{Block, Inline, RichText};
use std::borrow::Cow;

/// Parses post or profile HTML. Never fails; the worst input gives plain text.
pub fn parse(html: &str) -> RichText {
    if !html.contains('<') && !html.contains('&') {
        return RichText::from_plain(html.trim_matches('\n'));
    }
    let root = build_tree(html);
    let mut blocks = Vec::new();
    let mut pending = Vec::new();
    convert_children(&root.children, &mut blocks, &mut pending);
    flush_paragraph(&mut blocks, &mut pending);
    RichText { blocks }
}

/// Decodes character references (`&amp;`, `&#39;`, `&#x1F600;`, and the named ones that occur in
/// practice). Unknown references are kept as written, as browsers do.
pub fn decode_entities(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    decode_into(s, &mut out);
    out
}

fn decode_into(s: &str, out: &mut String) {
    let mut rest = s;
    while let Some(amp) = rest.find('&') {
        out.push_str(&rest[..amp]);
        rest = &rest[amp..];
        let end = rest.as_bytes().iter().take(34).position(|&b| b == b';');
        let decoded = end.and_then(|end| decode_reference(&rest[1..end]).map(|c| (c, end + 1)));
        match decoded {
            Some((c, len)) => {
                out.push(c);
                rest = &rest[len..];
            }
            None => {
                out.push('&');
                rest = &rest[1..];
            }
        }
    }
    out.push_str(rest);
}

fn decode_reference(name: &str) -> Option<char> {
    if let Some(num) = name.strip_prefix('#') {
        let code = match num.strip_prefix(['x', 'X']) {
            Some(hex) => u32::from_str_radix(hex, 16).ok()?,
            None => num.parse().ok()?,
        };
        return Some(
            char::from_u32(code)
                .filter(|&c| c != '\0')
                .unwrap_or('\u{FFFD}'),
        );
    }
    Some(match name {
        "amp" => '&',
        "lt" => '<',
        "gt" => '>',
        "quot" => '"',
        "apos" => '\'',
        "nbsp" => '\u{a0}',
        "shy" => '\u{ad}',
        "zwj" => '\u{200d}',
        "zwnj" => '\u{200c}',
        "ndash" => '–',
        "mdash" => '—',
        "hellip" => '…',
        "lsquo" => '‘',
        "rsquo" => '’',
        "ldquo" => '“',
        "rdquo" => '”',
        "laquo" => '«',
        "raquo" => '»',
        "copy" => '©',
        "reg" => '®',
        "trade" => '™',
        "euro" => '€',
        "pound" => '£',
        "yen" => '¥',
        "cent" => '¢',
        "deg" => '°',
        "middot" => '·',
        "bull" => '•',
        "times" => '×',
        "divide" => '÷',
        "larr" => '←',
        "rarr" => '→',
        "uarr" => '↑',
        "darr" => '↓',
        "hearts" => '♥',
        "sect" => '§',
        "para" => '¶',
        "iexcl" => '¡',
        "iquest" => '¿',
        "auml" => 'ä',
        "ouml" => 'ö',
        "uuml" => 'ü',
        "Auml" => 'Ä',
        "Ouml" => 'Ö',
        "Uuml" => 'Ü',
        "szlig" => 'ß',
        "eacute" => 'é',
        "egrave" => 'è',
        "agrave" => 'à',
        "aacute" => 'á',
        "ccedil" => 'ç',
        "ntilde" => 'ñ',
        _ => return None,
    })
}

/// An element of the intermediate tree. Strings borrow from the HTML unless they needed decoding:
/// posts are parsed by the hundred thousand, and most of their text needs no copy until the end.
#[derive(Debug, Default)]
struct Element<'a> {
    tag: Cow<'a, str>,
    class: Cow<'a, str>,
    href: Option<Cow<'a, str>>,
    alt: Option<Cow<'a, str>>,
    children: Vec<Node<'a>>,
}

#[derive(Debug)]
enum Node<'a> {
    Text(Cow<'a, str>),
    Element(Box<Element<'a>>),
}

const VOID: &[&str] = &[
    "br", "img", "hr", "wbr", "input", "meta", "link", "source", "area", "col", "embed", "track",
];
/// Elements whose content is never text a person wrote.
const DROP_CONTENT: &[&str] = &[
    "script", "style", "template", "iframe", "object", "noscript", "svg", "math", "head", "title",
    "textarea", "select",
];

/// Maximum nesting kept; deeper elements are flattened so hostile input cannot exhaust the stack.
const MAX_DEPTH: usize = 64;

fn build_tree(html: &str) -> Element<'_> {
    let mut stack: Vec<Element> = vec![Element::default()];
    let mut i = 0;
    let bytes = html.as_bytes();
    let mut skip_until: Option<Cow<str>> = None;
    while i < bytes.len() {
        let Some(lt) = memchr::memchr(b'<', &bytes[i..]).map(|p| p + i) else {
            push_text(&mut stack, &html[i..], skip_until.is_some());
            break;
        };
        if lt > i {
            push_text(&mut stack, &html[i..lt], skip_until.is_some());
        }
        let rest = &html[lt..];
        if let Some(comment) = rest.strip_prefix("<!--") {
            i = lt + 4 + comment.find("-->").map_or(comment.len(), |e| e + 3);
            continue;
        }
        let Some(tag) = read_tag(rest) else {
            // A '<' that does not start a tag is text.
            push_text(&mut stack, "<", skip_until.is_some());
            i = lt + 1;
            continue;
        };
        i = lt + tag.len;
        if let Some(open) = &skip_until {
            if tag.closing && &tag.name == open {
                skip_until = None;
            }
            continue;
        }
        if tag.name.is_empty() || tag.name.starts_with('!') || tag.name.starts_with('?') {
            continue;
        }
        if tag.closing {
            if let Some(pos) = stack.iter().rposition(|e| e.tag == tag.name) {
                if pos > 0 {
                    while stack.len() > pos {
                        close_top(&mut stack);
                    }
                }
            }
            continue;
        }
        if DROP_CONTENT.contains(&&*tag.name) {
            if !tag.self_closing {
                skip_until = Some(tag.name);
            }
            continue;
        }
        // A new paragraph or list item closes an open one, as HTML's implied end tags do.
        if matches!(&*tag.name, "p" | "li") {
            if let Some(pos) = stack.iter().rposition(|e| e.tag == tag.name) {
                if pos > 0 && stack[pos + 1..].iter().all(|e| !is_block(&e.tag)) {
                    while stack.len() > pos {
                        close_top(&mut stack);
                    }
                }
            }
        }
        let element = Element {
            tag: tag.name,
            class: tag.class,
            href: tag.href,
            alt: tag.alt,
            children: Vec::new(),
        };
        if VOID.contains(&&*element.tag) || tag.self_closing || stack.len() > MAX_DEPTH {
            if let Some(top) = stack.last_mut() {
                top.children.push(Node::Element(Box::new(element)));
            }
        } else {
            stack.push(element);
        }
    }
    while stack.len() > 1 {
        close_top(&mut stack);
    }
    stack.pop().unwrap_or_default()
}

fn close_top(stack: &mut Vec<Element>) {
    if let Some(done) = stack.pop() {
        if let Some(parent) = stack.last_mut() {
            parent.children.push(Node::Element(Box::new(done)));
        }
    }
}

fn push_text<'a>(stack: &mut [Element<'a>], raw: &'a str, skipping: bool) {
    if skipping || raw.is_empty() {
        return;
    }
    let Some(top) = stack.last_mut() else { return };
    let text = decode_cow(raw);
    if let Some(Node::Text(prev)) = top.children.last_mut() {
        prev.to_mut().push_str(&text);
    } else {
        top.children.push(Node::Text(text));
    }
}

/// Decodes character references, borrowing when there are none.
fn decode_cow(raw: &str) -> Cow<'_, str> {
    if raw.contains('&') {
        Cow::Owned(decode_entities(raw))
    } else {
        Cow::Borrowed(raw)
    }
}

struct Tag<'a> {
    name: Cow<'a, str>,
    closing: bool,
    self_closing: bool,
    class: Cow<'a, str>,
    href: Option<Cow<'a, str>>,
    alt: Option<Cow<'a, str>>,
    /// Bytes consumed, from the `<` to the `>` inclusive.
    len: usize,
}

/// Reads a tag at the start of `s` (which begins with `<`). Returns `None` when it is not a tag.
fn read_tag(s: &str) -> Option<Tag<'_>> {
    let b = s.as_bytes();
    let mut i = 1;
    let closing = b.get(1) == Some(&b'/');
    if closing {
        i += 1;
    }
    let first = *b.get(i)?;
    if !(first.is_ascii_alphabetic() || first == b'!' || first == b'?') {
        return None;
    }
    let name_start = i;
    while b
        .get(i)
        .is_some_and(|c| !c.is_ascii_whitespace() && *c != b'>' && *c != b'/')
    {
        i += 1;
    }
    let name = lowercase(&s[name_start..i]);
    let mut tag = Tag {
        name,
        closing,
        self_closing: false,
        class: Cow::Borrowed(""),
        href: None,
        alt: None,
        len: 0,
    };
    loop {
        while b.get(i).is_some_and(u8::is_ascii_whitespace) {
            i += 1;
        }
        match b.get(i) {
            None => {
                tag.len = s.len();
                return Some(tag);
            }
            Some(b'>') => {
                tag.len = i + 1;
                return Some(tag);
            }
            Some(b'/') => {
                tag.self_closing = b.get(i + 1) == Some(&b'>');
                i += 1;
                continue;
            }
            _ => {}
        }
        let attr_start = i;
        while b
            .get(i)
            .is_some_and(|c| !c.is_ascii_whitespace() && !matches!(c, b'=' | b'>' | b'/'))
        {
            i += 1;
        }
        let attr = lowercase(&s[attr_start..i]);
        if attr.is_empty() {
            i += 1;
            continue;
        }
        while b.get(i).is_some_and(u8::is_ascii_whitespace) {
            i += 1;
        }
        let mut value = None;
        if b.get(i) == Some(&b'=') {
            i += 1;
            while b.get(i).is_some_and(u8::is_ascii_whitespace) {
                i += 1;
            }
            let (start, end, next) = match b.get(i) {
                Some(&q @ (b'"' | b'\'')) => {
                    let start = i + 1;
                    let end = memchr::memchr(q, &b[start..]).map_or(b.len(), |e| e + start);
                    (start, end, (end + 1).min(b.len()))
                }
                _ => {
                    let start = i;
                    while b
                        .get(i)
                        .is_some_and(|c| !c.is_ascii_whitespace() && *c != b'>')
                    {
                        i += 1;
                    }
                    (start, i, i)
                }
            };
            value = Some(decode_cow(&s[start..end]));
            i = next;
        }
        match &*attr {
            "class" => tag.class = value.unwrap_or_default(),
            "href" => tag.href = value,
            "alt" => tag.alt = value,
            _ => {}
        }
    }
}

/// Lowercases, borrowing when already lowercase (as Mastodon writes every tag).
fn lowercase(s: &str) -> Cow<'_, str> {
    if s.bytes().any(|b| b.is_ascii_uppercase()) {
        Cow::Owned(s.to_ascii_lowercase())
    } else {
        Cow::Borrowed(s)
    }
}

fn is_block(tag: &str) -> bool {
    matches!(
        tag,
        "p" | "div"
            | "blockquote"
            | "ul"
            | "ol"
            | "li"
            | "pre"
            | "h1"
            | "h2"
            | "h3"
            | "h4"
            | "h5"
            | "h6"
            | "section"
            | "article"
            | "header"
            | "footer"
            | "aside"
            | "main"
            | "nav"
            | "figure"
            | "table"
            | "tr"
            | "hr"
            | "dl"
            | "dd"
            | "dt"
            | "details"
            | "summary"
    )
}

fn has_class(e: &Element, class: &str) -> bool {
    e.class.split_ascii_whitespace().any(|c| c == class)
}

fn flush_paragraph(blocks: &mut Vec<Block>, pending: &mut Vec<Inline>) {
    while matches!(pending.last(), Some(Inline::Break)) {
        pending.pop();
    }
    let only_space = pending
        .iter()
        .all(|i| matches!(i, Inline::Text(t) if t.trim().is_empty()) || matches!(i, Inline::Break));
    if !only_space {
        blocks.push(Block::Paragraph(std::mem::take(pending)));
    }
    pending.clear();
}

/// Converts nodes at block level: inline runs become paragraphs.
fn convert_children(nodes: &[Node], blocks: &mut Vec<Block>, pending: &mut Vec<Inline>) {
    for node in nodes {
        match node {
            Node::Element(e) if is_block(&e.tag) => {
                flush_paragraph(blocks, pending);
                convert_block(e, blocks);
            }
            other => convert_inline(other, pending, blocks),
        }
    }
}

fn convert_block(e: &Element, blocks: &mut Vec<Block>) {
    match &*e.tag {
        "blockquote" => {
            let mut inner = Vec::new();
            let mut pending = Vec::new();
            convert_children(&e.children, &mut inner, &mut pending);
            flush_paragraph(&mut inner, &mut pending);
            if !inner.is_empty() {
                blocks.push(Block::Quote(inner));
            }
        }
        "ul" | "ol" => {
            let mut items = Vec::new();
            let mut loose = Vec::new();
            for child in &e.children {
                match child {
                    Node::Element(li) if li.tag == "li" => {
                        let mut item = Vec::new();
                        let mut pending = Vec::new();
                        convert_children(&li.children, &mut item, &mut pending);
                        flush_paragraph(&mut item, &mut pending);
                        items.push(item);
                    }
                    other => {
                        let mut item = Vec::new();
                        convert_inline(other, &mut loose, &mut item);
                        if !item.is_empty() {
                            items.push(item);
                        }
                    }
                }
            }
            let mut trailing = Vec::new();
            flush_paragraph(&mut trailing, &mut loose);
            if !trailing.is_empty() {
                items.push(trailing);
            }
            if !items.is_empty() {
                blocks.push(Block::List {
                    ordered: e.tag == "ol",
                    items,
                });
            }
        }
        "pre" => {
            let mut text = String::new();
            collect_text(&e.children, &mut text);
            blocks.push(Block::Code(text.trim_end_matches('\n').into()));
        }
        "hr" => {}
        tag => {
            let mut pending = Vec::new();
            let mut inner = Vec::new();
            convert_children(&e.children, &mut inner, &mut pending);
            let level = match tag {
                "h1" => 1,
                "h2" => 2,
                "h3" => 3,
                "h4" => 4,
                "h5" => 5,
                "h6" => 6,
                _ => 0,
            };
            if level > 0 && inner.is_empty() {
                trim_inlines(&mut pending);
                if !pending.is_empty() {
                    blocks.push(Block::Heading {
                        level,
                        content: pending,
                    });
                }
                return;
            }
            flush_paragraph(&mut inner, &mut pending);
            blocks.extend(inner);
        }
    }
}

fn trim_inlines(inlines: &mut Vec<Inline>) {
    while matches!(inlines.last(), Some(Inline::Break)) {
        inlines.pop();
    }
}

fn collect_text(nodes: &[Node], out: &mut String) {
    for node in nodes {
        match node {
            Node::Text(t) => out.push_str(t),
            Node::Element(e) if e.tag == "br" => out.push('\n'),
            Node::Element(e) => collect_text(&e.children, out),
        }
    }
}

/// Converts a node inside inline context. Block elements found here (a `<p>` inside a `<b>`) are
/// flattened: their content is kept, separated by a line break.
fn convert_inline(node: &Node, out: &mut Vec<Inline>, blocks: &mut Vec<Block>) {
    let e = match node {
        Node::Text(t) => {
            push_inline_text(out, t);
            return;
        }
        Node::Element(e) => e,
    };
    match &*e.tag {
        "br" => out.push(Inline::Break),
        "a" => out.push(convert_link(e)),
        "em" | "i" | "cite" | "var" | "dfn" => {
            out.push(Inline::Emphasis(inline_children(e, blocks)))
        }
        "strong" | "b" => out.push(Inline::Strong(inline_children(e, blocks))),
        "del" | "s" | "strike" => out.push(Inline::Strike(inline_children(e, blocks))),
        "code" | "kbd" | "samp" | "tt" => {
            let mut text = String::new();
            collect_text(&e.children, &mut text);
            out.push(Inline::Code(text.into()));
        }
        "img" => {
            if let Some(alt) = e.alt.as_deref().filter(|a| !a.trim().is_empty()) {
                push_inline_text(out, alt);
            }
        }
        _ if is_block(&e.tag) => {
            if !out.is_empty() && !matches!(out.last(), Some(Inline::Break)) {
                out.push(Inline::Break);
            }
            for child in &e.children {
                convert_inline(child, out, blocks);
            }
        }
        _ => {
            for child in &e.children {
                convert_inline(child, out, blocks);
            }
        }
    }
}

fn inline_children(e: &Element, blocks: &mut Vec<Block>) -> Vec<Inline> {
    let mut inner = Vec::new();
    for child in &e.children {
        convert_inline(child, &mut inner, blocks);
    }
    inner
}

fn push_inline_text(out: &mut Vec<Inline>, text: &str) {
    if text.is_empty() {
        return;
    }
    if let Some(Inline::Text(prev)) = out.last_mut() {
        let mut joined = String::from(std::mem::take(prev));
        joined.push_str(text);
        *prev = joined.into();
    } else {
        out.push(Inline::Text(text.into()));
    }
}

fn convert_link(a: &Element) -> Inline {
    let href = a.href.as_deref().and_then(Href::parse);
    let mut full = String::new();
    collect_text(&a.children, &mut full);
    let full = full.trim().to_string();
    let is_hashtag = has_class(a, "hashtag") || (full.starts_with('#') && has_class(a, "mention"));
    if is_hashtag && full.len() > 1 {
        return Inline::Hashtag {
            name: full.trim_start_matches('#').into(),
            href,
        };
    }
    if has_class(a, "mention") || (full.starts_with('@') && full.len() > 1 && !full.contains(' ')) {
        return Inline::Mention {
            text: full.into(),
            href,
        };
    }
    // Mastodon shortens long URLs: `<span class="invisible">https://</span><span class="ellipsis">
    // example.com/abc</span><span class="invisible">def</span>` displays as `example.com/abc…`.
    let mut visible = String::new();
    let mut shortened = false;
    collect_visible(&a.children, &mut visible, &mut shortened);
    let short = (shortened || visible.len() != full.len()).then(|| {
        let mut s = visible.trim().to_string();
        if shortened {
            s.push('…');
        }
        s.into_boxed_str()
    });
    Inline::Link {
        href,
        text: full.into(),
        short: short.filter(|s| !s.is_empty()),
    }
}

fn collect_visible(nodes: &[Node], out: &mut String, shortened: &mut bool) {
    for node in nodes {
        match node {
            Node::Text(t) => out.push_str(t),
            Node::Element(e) if has_class(e, "invisible") => {}
            Node::Element(e) => {
                collect_visible(&e.children, out, shortened);
                if has_class(e, "ellipsis") {
                    *shortened = true;
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn plain(html: &str) -> String {
        parse(html).plain_text()
    }

    #[test]
    fn mastodon_post_shapes() {
        let rt = parse(
            r#"<p>Hello <span class="h-card" translate="no"><a href="https://a.example/@bob" class="u-url mention">@<span>bob</span></a></span> see <a href="https://a.example/tags/Caf%C3%A9" class="mention hashtag" rel="tag">#<span>Café</span></a></p><p>line<br />two &amp; &lt;three&gt; &#39;q&#39;</p>"#,
        );
        assert_eq!(rt.blocks.len(), 2);
        let Block::Paragraph(first) = &rt.blocks[0] else {
            panic!("{rt:?}")
        };
        assert!(first.contains(&Inline::Mention {
            text: "@bob".into(),
            href: Href::parse("https://a.example/@bob")
        }));
        assert!(first.contains(&Inline::Hashtag {
            name: "Café".into(),
            href: Href::parse("https://a.example/tags/Caf%C3%A9")
        }));
        assert_eq!(
            rt.plain_text(),
            "Hello @bob see #Café\n\nline\ntwo & <three> 'q'"
        );
    }

    #[test]
    fn shortened_links_keep_full_text_and_display_short() {
        let rt = parse(
            r#"<p><a href="https://example.com/very/long/path" target="_blank" rel="nofollow noopener noreferrer"><span class="invisible">https://</span><span class="ellipsis">example.com/very/lo</span><span class="invisible">ng/path</span></a></p>"#,
        );
        let Block::Paragraph(p) = &rt.blocks[0] else {
            panic!()
        };
        assert_eq!(
            p[0],
            Inline::Link {
                href: Href::parse("https://example.com/very/long/path"),
                text: "https://example.com/very/long/path".into(),
                short: Some("example.com/very/lo…".into())
            }
        );
    }

    #[test]
    fn hostile_markup_runs_nothing_and_keeps_text() {
        let rt = parse(
            r#"<p onclick="x()">hi<script>alert(1)</script><img src=x onerror=alert(1) alt="pic"><a href="javascript:alert(1)">click</a><a href=" JAVASCRIPT:alert(1)">two</a><style>p{}</style><iframe src="https://evil"></iframe></p>"#,
        );
        assert_eq!(rt.plain_text(), "hipicclicktwo");
        rt.for_each_inline(&mut |i| {
            if let Inline::Link { href, .. } = i {
                assert_eq!(href, &None);
            }
        });
    }

    #[test]
    fn malformed_input_never_fails() {
        for html in [
            "<",
            "<p",
            "<p><b>x</p>",
            "</p></div>",
            "a < b > c",
            "&",
            "&#xFFFFFFFF;",
            "&#0;",
            "<a href='",
            "<<<>>>",
            "<!-- x",
            "<p>a<p>b",
            "<ul><li>a<li>b</ul>",
        ] {
            let _ = parse(html).plain_text();
        }
        assert_eq!(plain("a < b > c"), "a < b > c");
        assert_eq!(plain("<p>a<p>b"), "a\n\nb");
        let deep = "<b>".repeat(10_000) + "x";
        assert_eq!(plain(&deep), "x");
    }

    #[test]
    fn lists_quotes_and_code() {
        let rt = parse("<p>x</p><ul><li>one</li><li>two</li></ul><blockquote><p>q</p></blockquote><pre><code>a\n b</code></pre>");
        assert_eq!(rt.blocks.len(), 4);
        assert!(matches!(&rt.blocks[1], Block::List { ordered: false, items } if items.len() == 2));
        assert_eq!(rt.blocks[3], Block::Code("a\n b".into()));
    }

    #[test]
    fn entities() {
        assert_eq!(
            decode_entities("&amp;&lt;&gt;&quot;&#39;&#x1F600;&nbsp;&unknown;&"),
            "&<>\"'😀\u{a0}&unknown;&"
        );
    }
}
