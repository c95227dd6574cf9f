//! A small, forgiving HTML reader that turns post and profile HTML into [`RichText`].
//!
//! Mastodon sends a narrow HTML subset, but an archive is a file anyone can edit, so this reader
//! accepts anything: unknown tags keep their text, `<script>`/`<style>` lose theirs, attributes other
//! than `href` and `class` are ignored, and malformed markup never fails. It builds a tiny element tree
//! first (so unclosed and mis-nested tags are settled in one place), then maps it to blocks and inlines.
//! The tree is one vector of nodes: an archive's posts are read by the hundred thousand.

use crate::link::Href;
use crate::rich::{Block, Inline, RichText};
use std::borrow::Cow;

/// Parses post or profile HTML. Never fails; the worst input gives plain text.
pub fn parse(html: &str) -> RichText {
    if !html.contains('<') && !html.contains('&') {
        return RichText::from_plain(html.trim_matches('\n'));
    }
    let tree = build_tree(html);
    let mut blocks = Vec::new();
    let mut pending = Vec::new();
    convert_children(&tree, ROOT, &mut blocks, &mut pending);
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

/// The intermediate tree: every node in one vector, each element's children a list linked
/// through [`Node::next`] (posts are parsed by the hundred thousand: a box per element and a
/// vector per element's children were most of the allocations of opening an archive).
/// Strings borrow from the HTML unless they needed decoding.
struct Tree<'a> {
    nodes: Vec<Node<'a>>,
}

/// No node: the end of a list of children.
const NONE: u32 = u32::MAX;

/// The root's place in [`Tree::nodes`].
const ROOT: u32 = 0;

struct Node<'a> {
    kind: Kind<'a>,
    /// The next child of the same parent, or [`NONE`].
    next: u32,
}

enum Kind<'a> {
    Text(Cow<'a, str>),
    Element(Element<'a>),
}

struct Element<'a> {
    tag: Cow<'a, str>,
    class: Cow<'a, str>,
    href: Option<Cow<'a, str>>,
    alt: Option<Cow<'a, str>>,
    /// The first and the last child, or [`NONE`].
    first: u32,
    last: u32,
}

impl Default for Element<'_> {
    /// No tag, no attributes, no children (the root).
    fn default() -> Self {
        Element {
            tag: Cow::Borrowed(""),
            class: Cow::Borrowed(""),
            href: None,
            alt: None,
            first: NONE,
            last: NONE,
        }
    }
}

impl<'a> Tree<'a> {
    fn element(&self, id: u32) -> Option<&Element<'a>> {
        match self.nodes.get(id as usize).map(|n| &n.kind) {
            Some(Kind::Element(e)) => Some(e),
            _ => None,
        }
    }

    /// The children of element `id`, in order.
    fn children(&self, id: u32) -> Children<'_, 'a> {
        Children {
            tree: self,
            at: self.element(id).map_or(NONE, |e| e.first),
        }
    }

    /// Adds `kind` as the last child of element `parent`; returns its id.
    fn append(&mut self, parent: u32, kind: Kind<'a>) -> u32 {
        let id = u32::try_from(self.nodes.len()).unwrap_or(NONE);
        self.nodes.push(Node { kind, next: NONE });
        let last = match self.nodes.get_mut(parent as usize).map(|n| &mut n.kind) {
            Some(Kind::Element(p)) => {
                let last = p.last;
                if p.first == NONE {
                    p.first = id;
                }
                p.last = id;
                last
            }
            _ => NONE,
        };
        if let Some(previous) = self.nodes.get_mut(last as usize) {
            previous.next = id;
        }
        id
    }
}

/// An element's children: each a text or an element.
struct Children<'t, 'a> {
    tree: &'t Tree<'a>,
    at: u32,
}

impl<'t, 'a> Iterator for Children<'t, 'a> {
    type Item = (u32, &'t Kind<'a>);

    fn next(&mut self) -> Option<Self::Item> {
        let id = self.at;
        let node = self.tree.nodes.get(id as usize)?;
        self.at = node.next;
        Some((id, &node.kind))
    }
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

fn build_tree(html: &str) -> Tree<'_> {
    // About one node per 24 bytes of a Mastodon post's HTML; a long text grows it as it goes
    // (it may be one text node).
    let mut tree = Tree {
        nodes: Vec::with_capacity((html.len() / 24 + 2).min(64)),
    };
    tree.nodes.push(Node {
        kind: Kind::Element(Element::default()),
        next: NONE,
    });
    // The open elements, the root first. An element is a child of its parent from its start
    // tag on (only the open element at the top receives children, so the order is the same as
    // adding it when it closes).
    let mut stack: Vec<u32> = Vec::with_capacity(8);
    stack.push(ROOT);
    let mut i = 0;
    let bytes = html.as_bytes();
    let mut skip_until: Option<Cow<str>> = None;
    while i < bytes.len() {
        let Some(lt) = memchr::memchr(b'<', &bytes[i..]).map(|p| p + i) else {
            push_text(&mut tree, &stack, &html[i..], skip_until.is_some());
            break;
        };
        if lt > i {
            push_text(&mut tree, &stack, &html[i..lt], skip_until.is_some());
        }
        let rest = &html[lt..];
        if let Some(comment) = rest.strip_prefix("<!--") {
            i = lt + 4 + comment.find("-->").map_or(comment.len(), |e| e + 3);
            continue;
        }
        let Some(tag) = read_tag(rest) else {
            // A '<' that does not start a tag is text.
            push_text(&mut tree, &stack, "<", skip_until.is_some());
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
            if let Some(pos) = stack.iter().rposition(|&e| is_tag(&tree, e, &tag.name)) {
                if pos > 0 {
                    stack.truncate(pos);
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
            if let Some(pos) = stack.iter().rposition(|&e| is_tag(&tree, e, &tag.name)) {
                let blocks_above = stack[pos + 1..]
                    .iter()
                    .any(|&e| tree.element(e).is_some_and(|el| is_block(&el.tag)));
                if pos > 0 && !blocks_above {
                    stack.truncate(pos);
                }
            }
        }
        let closed = VOID.contains(&&*tag.name) || tag.self_closing || stack.len() > MAX_DEPTH;
        let element = Element {
            tag: tag.name,
            class: tag.class,
            href: tag.href,
            alt: tag.alt,
            first: NONE,
            last: NONE,
        };
        let top = stack.last().copied().unwrap_or(ROOT);
        let id = tree.append(top, Kind::Element(element));
        if !closed {
            stack.push(id);
        }
    }
    tree
}

/// Whether node `id` is an element named `tag`.
fn is_tag(tree: &Tree, id: u32, tag: &str) -> bool {
    tree.element(id).is_some_and(|e| e.tag == tag)
}

fn push_text<'a>(tree: &mut Tree<'a>, stack: &[u32], raw: &'a str, skipping: bool) {
    if skipping || raw.is_empty() {
        return;
    }
    let Some(&top) = stack.last() else { return };
    let text = decode_cow(raw);
    let last = tree.element(top).map_or(NONE, |e| e.last);
    if let Some(Node {
        kind: Kind::Text(prev),
        ..
    }) = tree.nodes.get_mut(last as usize)
    {
        prev.to_mut().push_str(&text);
    } else {
        tree.append(top, Kind::Text(text));
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

/// Converts the children of element `parent` at block level: inline runs become paragraphs.
fn convert_children(tree: &Tree, parent: u32, blocks: &mut Vec<Block>, pending: &mut Vec<Inline>) {
    for (id, node) in tree.children(parent) {
        match node {
            Kind::Element(e) if is_block(&e.tag) => {
                flush_paragraph(blocks, pending);
                convert_block(tree, id, e, blocks);
            }
            other => convert_inline(tree, id, other, pending, blocks),
        }
    }
}

/// Converts block element `e` (node `id`).
fn convert_block(tree: &Tree, id: u32, e: &Element, blocks: &mut Vec<Block>) {
    match &*e.tag {
        "blockquote" => {
            let mut inner = Vec::new();
            let mut pending = Vec::new();
            convert_children(tree, id, &mut inner, &mut pending);
            flush_paragraph(&mut inner, &mut pending);
            if !inner.is_empty() {
                blocks.push(Block::Quote(inner));
            }
        }
        "ul" | "ol" => {
            let mut items = Vec::new();
            let mut loose = Vec::new();
            for (child_id, child) in tree.children(id) {
                match child {
                    Kind::Element(li) if li.tag == "li" => {
                        let mut item = Vec::new();
                        let mut pending = Vec::new();
                        convert_children(tree, child_id, &mut item, &mut pending);
                        flush_paragraph(&mut item, &mut pending);
                        items.push(item);
                    }
                    other => {
                        let mut item = Vec::new();
                        convert_inline(tree, child_id, other, &mut loose, &mut item);
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
            collect_text(tree, id, &mut text);
            blocks.push(Block::Code(text.trim_end_matches('\n').into()));
        }
        "hr" => {}
        tag => {
            let mut pending = Vec::new();
            let mut inner = Vec::new();
            convert_children(tree, id, &mut inner, &mut pending);
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

/// The text of element `parent`'s children, a line break for each `<br>`.
fn collect_text(tree: &Tree, parent: u32, out: &mut String) {
    for (id, node) in tree.children(parent) {
        match node {
            Kind::Text(t) => out.push_str(t),
            Kind::Element(e) if e.tag == "br" => out.push('\n'),
            Kind::Element(_) => collect_text(tree, id, out),
        }
    }
}

/// Converts node `id` inside inline context. Block elements found here (a `<p>` inside a `<b>`)
/// are flattened: their content is kept, separated by a line break.
fn convert_inline(
    tree: &Tree,
    id: u32,
    node: &Kind,
    out: &mut Vec<Inline>,
    blocks: &mut Vec<Block>,
) {
    let e = match node {
        Kind::Text(t) => {
            push_inline_text(out, t);
            return;
        }
        Kind::Element(e) => e,
    };
    match &*e.tag {
        "br" => out.push(Inline::Break),
        "a" => out.push(convert_link(tree, id, e)),
        "em" | "i" | "cite" | "var" | "dfn" => {
            out.push(Inline::Emphasis(inline_children(tree, id, blocks)))
        }
        "strong" | "b" => out.push(Inline::Strong(inline_children(tree, id, blocks))),
        "del" | "s" | "strike" => out.push(Inline::Strike(inline_children(tree, id, blocks))),
        "code" | "kbd" | "samp" | "tt" => {
            let mut text = String::new();
            collect_text(tree, id, &mut text);
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
            for (child_id, child) in tree.children(id) {
                convert_inline(tree, child_id, child, out, blocks);
            }
        }
        _ => {
            for (child_id, child) in tree.children(id) {
                convert_inline(tree, child_id, child, out, blocks);
            }
        }
    }
}

fn inline_children(tree: &Tree, id: u32, blocks: &mut Vec<Block>) -> Vec<Inline> {
    let mut inner = Vec::new();
    for (child_id, child) in tree.children(id) {
        convert_inline(tree, child_id, child, &mut inner, blocks);
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

/// Converts link `a` (node `id`): a hashtag, a mention or a link.
fn convert_link(tree: &Tree, id: u32, a: &Element) -> Inline {
    let href = a.href.as_deref().and_then(Href::parse);
    let mut full = String::new();
    collect_text(tree, id, &mut full);
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
    collect_visible(tree, id, &mut visible, &mut shortened);
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

/// The text of element `parent`'s children that is not hidden by class `invisible`; sets
/// `shortened` when an `ellipsis` was in it.
fn collect_visible(tree: &Tree, parent: u32, out: &mut String, shortened: &mut bool) {
    for (id, node) in tree.children(parent) {
        match node {
            Kind::Text(t) => out.push_str(t),
            Kind::Element(e) if has_class(e, "invisible") => {}
            Kind::Element(e) => {
                collect_visible(tree, id, out, shortened);
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
