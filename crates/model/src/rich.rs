//! The typed rich-text tree that post and profile HTML is parsed into, once (design principle 5).
//!
//! It holds only what a Mastodon post can show: paragraphs, line breaks, links with checked targets,
//! mentions, hashtags, emphasis, code, lists and quotes. The app renders it through components, the
//! index searches its [`RichText::plain_text`], and every export format writes it. Nothing in it can
//! run script: a link target is kept only when it is `http:`, `https:` or `mailto:`.

use crate::link::Href;
use serde::{Deserialize, Serialize};

/// A parsed piece of post or profile HTML.
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
pub struct RichText {
    /// Top-level blocks in document order.
    pub blocks: Vec<Block>,
}

/// A block of text.
#[derive(
    Clone, Debug, PartialEq, Serialize, Deserialize, borsh::BorshSerialize, borsh::BorshDeserialize,
)]
#[serde(tag = "t", content = "c")]
pub enum Block {
    /// A paragraph of inline content.
    Paragraph(Vec<Inline>),
    /// A heading (remote servers may send `<h1>`…`<h6>`); `level` is 1 to 6.
    Heading {
        /// 1 for `<h1>` up to 6.
        level: u8,
        /// The heading's content.
        content: Vec<Inline>,
    },
    /// A block quote.
    Quote(Vec<Block>),
    /// A bulleted (`ordered: false`) or numbered list; each item is a list of blocks.
    List {
        /// True for `<ol>`.
        ordered: bool,
        /// The items.
        items: Vec<Vec<Block>>,
    },
    /// Preformatted text (`<pre>`), kept verbatim.
    Code(Box<str>),
}

/// Inline content.
#[derive(
    Clone, Debug, PartialEq, Serialize, Deserialize, borsh::BorshSerialize, borsh::BorshDeserialize,
)]
#[serde(tag = "t", content = "c")]
pub enum Inline {
    /// Plain text, entities decoded.
    Text(Box<str>),
    /// A line break (`<br>`).
    Break,
    /// A link. `href` is `None` when the target was not http(s)/mailto: the text stays, the link goes.
    Link {
        /// The checked target, and the host to show beside the text.
        href: Option<Href>,
        /// The whole link text, including the parts Mastodon hides (`<span class="invisible">`):
        /// for a shortened URL this is the full URL.
        text: Box<str>,
        /// What Mastodon displays for a shortened URL (`example.com/long…`), when shortened.
        short: Option<Box<str>>,
    },
    /// A mention of an account: `@user` or `@user@domain` as written, and the account's URL.
    Mention {
        /// The mention as displayed, with its `@`.
        text: Box<str>,
        /// The account URL, when http(s).
        href: Option<Href>,
    },
    /// A hashtag, without its `#`.
    Hashtag {
        /// The tag as written (case kept).
        name: Box<str>,
        /// The server's tag page, when http(s).
        href: Option<Href>,
    },
    /// `<em>`, `<i>`.
    Emphasis(Vec<Inline>),
    /// `<strong>`, `<b>`.
    Strong(Vec<Inline>),
    /// `<del>`, `<s>`.
    Strike(Vec<Inline>),
    /// Inline `<code>`.
    Code(Box<str>),
}

impl RichText {
    /// A rich text of one paragraph of plain text (line breaks kept).
    pub fn from_plain(text: &str) -> RichText {
        if text.is_empty() {
            return RichText::default();
        }
        let mut inlines = Vec::new();
        for (i, line) in text.split('\n').enumerate() {
            if i > 0 {
                inlines.push(Inline::Break);
            }
            if !line.is_empty() {
                inlines.push(Inline::Text(line.into()));
            }
        }
        RichText {
            blocks: vec![Block::Paragraph(inlines)],
        }
    }

    /// True when there is no content at all.
    pub fn is_empty(&self) -> bool {
        self.blocks.is_empty()
    }

    /// The text a person reads, for search and plain exports: paragraphs separated by a blank line,
    /// `<br>` as a newline, links as their full text, hashtags with `#`.
    pub fn plain_text(&self) -> String {
        let mut out = String::new();
        self.write_plain(&mut out);
        out
    }

    /// Appends [`RichText::plain_text`] to `out`.
    pub fn write_plain(&self, out: &mut String) {
        write_blocks(&self.blocks, out);
    }

    /// The beginning of this text within `max_nodes` inline nodes and `max_chars` characters,
    /// and what was left out. A post can hold 50,000 links or 70 MB of text; drawing all of it
    /// would freeze a page, so views draw the beginning and say how much more there is.
    pub fn beginning(&self, max_nodes: usize, max_chars: usize) -> (RichText, Cut) {
        let mut trim = Trim {
            nodes_left: max_nodes,
            chars_left: max_chars,
            cut: Cut::default(),
        };
        let blocks = trim.blocks(&self.blocks);
        (RichText { blocks }, trim.cut)
    }

    /// Visits every inline node, depth first.
    pub fn for_each_inline(&self, f: &mut impl FnMut(&Inline)) {
        fn blocks(bs: &[Block], f: &mut impl FnMut(&Inline)) {
            for b in bs {
                match b {
                    Block::Paragraph(i) | Block::Heading { content: i, .. } => inlines(i, f),
                    Block::Quote(inner) => blocks(inner, f),
                    Block::List { items, .. } => items.iter().for_each(|item| blocks(item, f)),
                    Block::Code(_) => {}
                }
            }
        }
        fn inlines(is: &[Inline], f: &mut impl FnMut(&Inline)) {
            for i in is {
                f(i);
                if let Inline::Emphasis(c) | Inline::Strong(c) | Inline::Strike(c) = i {
                    inlines(c, f);
                }
            }
        }
        blocks(&self.blocks, f);
    }

    /// Approximate heap bytes, for memory reports.
    pub fn heap_bytes(&self) -> usize {
        let mut n = self.blocks.capacity() * std::mem::size_of::<Block>();
        self.for_each_inline(&mut |i| {
            n += std::mem::size_of::<Inline>()
                + match i {
                    Inline::Text(t) | Inline::Code(t) => t.len(),
                    Inline::Link { href, text, short } => {
                        href_bytes(href) + text.len() + short.as_ref().map_or(0, |s| s.len())
                    }
                    Inline::Mention { text: name, href } | Inline::Hashtag { name, href } => {
                        name.len() + href_bytes(href)
                    }
                    _ => 0,
                }
        });
        n
    }
}

/// What [`RichText::beginning`] left out.
#[derive(
    Clone,
    Copy,
    Debug,
    Default,
    PartialEq,
    Eq,
    Serialize,
    Deserialize,
    borsh::BorshSerialize,
    borsh::BorshDeserialize,
)]
pub struct Cut {
    /// Inline pieces (links, hashtags, runs of text…) left out whole or in part.
    pub pieces: u64,
    /// Characters of text left out.
    pub chars: u64,
}

impl Cut {
    /// True when nothing was left out.
    pub fn is_none(&self) -> bool {
        self.pieces == 0 && self.chars == 0
    }
}

struct Trim {
    nodes_left: usize,
    chars_left: usize,
    cut: Cut,
}

impl Trim {
    fn full(&self) -> bool {
        self.nodes_left == 0 || self.chars_left == 0
    }

    fn blocks(&mut self, bs: &[Block]) -> Vec<Block> {
        let mut out = Vec::new();
        for b in bs {
            if self.full() {
                self.skip_block(b);
                continue;
            }
            out.push(match b {
                Block::Paragraph(i) => Block::Paragraph(self.inlines(i)),
                Block::Heading { level, content } => Block::Heading {
                    level: *level,
                    content: self.inlines(content),
                },
                Block::Quote(inner) => Block::Quote(self.blocks(inner)),
                Block::List { ordered, items } => Block::List {
                    ordered: *ordered,
                    items: items
                        .iter()
                        .map(|item| self.blocks(item))
                        .filter(|item| !item.is_empty())
                        .collect(),
                },
                Block::Code(code) => Block::Code(self.text(code).into()),
            });
        }
        out
    }

    fn inlines(&mut self, is: &[Inline]) -> Vec<Inline> {
        let mut out = Vec::new();
        for i in is {
            if self.full() {
                self.skip_inline(i);
                continue;
            }
            self.nodes_left -= 1;
            out.push(match i {
                Inline::Text(t) => Inline::Text(self.text(t).into()),
                Inline::Code(t) => Inline::Code(self.text(t).into()),
                Inline::Emphasis(c) => Inline::Emphasis(self.inlines(c)),
                Inline::Strong(c) => Inline::Strong(self.inlines(c)),
                Inline::Strike(c) => Inline::Strike(self.inlines(c)),
                other => {
                    self.chars_left = self.chars_left.saturating_sub(atom_chars(other));
                    other.clone()
                }
            });
        }
        out
    }

    /// As much of `t` as the budget allows; the rest is counted.
    fn text<'a>(&mut self, t: &'a str) -> &'a str {
        let end = t
            .char_indices()
            .nth(self.chars_left)
            .map_or(t.len(), |(at, _)| at);
        let kept = &t[..end];
        self.chars_left = self.chars_left.saturating_sub(kept.chars().count());
        if end < t.len() {
            self.cut.pieces += 1;
            self.cut.chars += t[end..].chars().count() as u64;
        }
        kept
    }

    fn skip_block(&mut self, b: &Block) {
        match b {
            Block::Paragraph(i) | Block::Heading { content: i, .. } => {
                i.iter().for_each(|i| self.skip_inline(i))
            }
            Block::Quote(inner) => inner.iter().for_each(|b| self.skip_block(b)),
            Block::List { items, .. } => items.iter().flatten().for_each(|b| self.skip_block(b)),
            Block::Code(code) => {
                self.cut.pieces += 1;
                self.cut.chars += code.chars().count() as u64;
            }
        }
    }

    fn skip_inline(&mut self, i: &Inline) {
        match i {
            // The wrapper is not a piece; its contents are.
            Inline::Emphasis(c) | Inline::Strong(c) | Inline::Strike(c) => {
                c.iter().for_each(|i| self.skip_inline(i))
            }
            Inline::Text(t) | Inline::Code(t) => {
                self.cut.pieces += 1;
                self.cut.chars += t.chars().count() as u64;
            }
            atom => {
                self.cut.pieces += 1;
                self.cut.chars += atom_chars(atom) as u64;
            }
        }
    }
}

/// The characters an inline that is drawn whole (a link, a mention, a hashtag with its `#`, a
/// break as its newline) counts for, kept or left out: as in [`RichText::plain_text`].
fn atom_chars(atom: &Inline) -> usize {
    match atom {
        Inline::Link { text, .. } | Inline::Mention { text, .. } => text.chars().count(),
        Inline::Hashtag { name, .. } => name.chars().count() + 1,
        _ => 1,
    }
}

fn write_blocks(blocks: &[Block], out: &mut String) {
    for block in blocks {
        if !out.is_empty() && !out.ends_with("\n\n") {
            out.push_str(if out.ends_with('\n') { "\n" } else { "\n\n" });
        }
        match block {
            Block::Paragraph(inlines)
            | Block::Heading {
                content: inlines, ..
            } => write_inlines(inlines, out),
            Block::Quote(inner) => write_blocks(inner, out),
            Block::List { items, .. } => {
                for (i, item) in items.iter().enumerate() {
                    if i > 0 {
                        out.push('\n');
                    }
                    let mut s = String::new();
                    write_blocks(item, &mut s);
                    out.push_str(&s);
                }
            }
            Block::Code(code) => out.push_str(code),
        }
    }
}

fn write_inlines(inlines: &[Inline], out: &mut String) {
    for inline in inlines {
        match inline {
            Inline::Text(t) | Inline::Code(t) => out.push_str(t),
            Inline::Break => out.push('\n'),
            Inline::Link { text, .. } => out.push_str(text),
            Inline::Mention { text, .. } => out.push_str(text),
            Inline::Hashtag { name, .. } => {
                out.push('#');
                out.push_str(name);
            }
            Inline::Emphasis(c) | Inline::Strong(c) | Inline::Strike(c) => write_inlines(c, out),
        }
    }
}

fn href_bytes(href: &Option<Href>) -> usize {
    href.as_ref().map_or(0, |h| h.url.len() + h.host.len())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_beginning_of_a_huge_text_and_what_was_left_out() {
        let tags: Vec<Inline> = (0..50_000)
            .map(|i| Inline::Hashtag {
                name: format!("t{i}").into(),
                href: None,
            })
            .collect();
        let rt = RichText {
            blocks: vec![
                Block::Paragraph(vec![Inline::Text("intro".into())]),
                Block::Paragraph(tags),
                Block::Code("tail".into()),
            ],
        };
        let (first, cut) = rt.beginning(1000, 1_000_000);
        let mut kept = 0;
        first.for_each_inline(&mut |_| kept += 1);
        assert_eq!(kept, 1000);
        assert_eq!(cut.pieces, 50_001 - 1000 + 1);
        assert_eq!(first.blocks.len(), 2, "the code block is left out");
        // By characters: a long text is cut inside, at a character boundary.
        let long = RichText::from_plain(&"é".repeat(100));
        let (first, cut) = long.beginning(10, 30);
        assert_eq!(first.plain_text(), "é".repeat(30));
        assert_eq!(
            cut,
            Cut {
                pieces: 1,
                chars: 70
            }
        );
        // A small text is untouched.
        let small = RichText::from_plain("a\nb");
        assert_eq!(
            small.beginning(1000, 50_000),
            (small.clone(), Cut::default())
        );
    }

    #[test]
    fn plain_text_joins_paragraphs_and_breaks() {
        let rt = RichText {
            blocks: vec![
                Block::Paragraph(vec![
                    Inline::Text("a".into()),
                    Inline::Break,
                    Inline::Text("b".into()),
                ]),
                Block::Paragraph(vec![Inline::Hashtag {
                    name: "Tag".into(),
                    href: None,
                }]),
            ],
        };
        assert_eq!(rt.plain_text(), "a\nb\n\n#Tag");
        assert_eq!(RichText::from_plain("x\ny").plain_text(), "x\ny");
    }
}
