//! One self-contained HTML page: inline CSS, no script, a strict Content-Security-Policy, every
//! text escaped, links `rel="noopener noreferrer"`.

use permafrost_model::{Block, Inline, RichText};

/// Escapes text for HTML content and double-quoted attribute values.
pub(crate) fn esc(s: &str, out: &mut String) {
    // Runs without special characters are copied whole. The special characters are ASCII, so
    // every cut is between two characters.
    let bytes = s.as_bytes();
    let mut from = 0;
    for (at, &b) in bytes.iter().enumerate() {
        let entity = match b {
            b'&' => "&amp;",
            b'<' => "&lt;",
            b'>' => "&gt;",
            b'"' => "&quot;",
            b'\'' => "&#39;",
            _ => continue,
        };
        out.push_str(&s[from..at]);
        out.push_str(entity);
        from = at + 1;
    }
    out.push_str(&s[from..]);
}

/// [`esc`] into a new string.
pub(crate) fn escaped(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    esc(s, &mut out);
    out
}

/// The page's head, up to the opening of `<main>`: the title, and under it how many posts the
/// page holds and the time zone of its times. `images_beside`: images are files in the ZIP, not
/// data: URIs. The page's own words are English (`lang="en"`); each post's words carry the
/// post's language.
pub(crate) fn head(title: &str, posts: usize, zone: &str, images_beside: bool) -> String {
    let img = if images_beside {
        "data: 'self'"
    } else {
        "data:"
    };
    let posts = match posts {
        1 => "1 post".to_string(),
        n => format!("{n} posts"),
    };
    format!(
        "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n\
<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; img-src {img}; style-src 'unsafe-inline'\">\n\
<meta name=\"referrer\" content=\"no-referrer\">\n\
<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n\
<title>{}</title>\n<style>{STYLE}</style>\n</head>\n<body>\n<header><h1>{}</h1>\n\
<p class=\"meta\">{posts} · times in {}</p></header>\n<main>\n",
        escaped(title),
        escaped(title),
        escaped(zone)
    )
}

/// The end of the page.
pub(crate) const FOOT: &str = "</main>\n</body>\n</html>\n";

const STYLE: &str = "body{font:16px/1.5 system-ui,sans-serif;max-width:42rem;margin:2rem auto;padding:0 1rem;color:#222;background:#fff;overflow-wrap:anywhere}\
article{border-top:1px solid #ccc;padding:1rem 0;break-inside:avoid}\
.meta{color:#555;font-size:.875rem}.cw{font-weight:600}\
img{max-width:100%;height:auto}figure{margin:.5rem 0}figcaption{font-size:.875rem;color:#555}\
blockquote{border-left:3px solid #ccc;margin-left:0;padding-left:1rem}pre{white-space:pre-wrap}\
summary{cursor:pointer}\
@media (prefers-color-scheme:dark){body{background:#111;color:#eee}.meta,figcaption{color:#aaa}a{color:#8ab4f8}a:visited{color:#c58af9}}\
@media print{body{max-width:none}}";

fn link(href: &str, text: &str, out: &mut String) {
    out.push_str("<a href=\"");
    esc(href, out);
    out.push_str("\" rel=\"noopener noreferrer\">");
    esc(text, out);
    out.push_str("</a>");
}

/// A link in the text: as [`link`], with the text isolated (`<bdi>`) and, unless the text is the
/// URL itself, the host a click opens beside it, as the app shows it (`Href::label_for`).
pub(crate) fn text_link(href: &permafrost_model::Href, text: &str, out: &mut String) {
    out.push_str("<a href=\"");
    esc(&href.url, out);
    out.push_str("\" rel=\"noopener noreferrer\"><bdi>");
    esc(text, out);
    out.push_str("</bdi>");
    if let Some(host) = href.label_for(text) {
        out.push_str(" <small>(<bdi>");
        esc(host, out);
        out.push_str("</bdi>)</small>");
    }
    out.push_str("</a>");
}

fn inlines(items: &[Inline], out: &mut String) {
    for i in items {
        match i {
            Inline::Text(t) => esc(t, out),
            Inline::Break => out.push_str("<br>"),
            Inline::Link { href, text, .. } => match href {
                Some(h) => text_link(h, text, out),
                None => esc(text, out),
            },
            Inline::Mention { href, text } => match href {
                Some(h) => link(&h.url, text, out),
                None => esc(text, out),
            },
            Inline::Hashtag { name, href } => match href {
                Some(h) => link(&h.url, &format!("#{name}"), out),
                None => {
                    out.push('#');
                    esc(name, out);
                }
            },
            Inline::Emphasis(c) => wrap("em", c, out),
            Inline::Strong(c) => wrap("strong", c, out),
            Inline::Strike(c) => wrap("del", c, out),
            Inline::Code(t) => {
                out.push_str("<code>");
                esc(t, out);
                out.push_str("</code>");
            }
        }
    }
}

fn wrap(tag: &str, content: &[Inline], out: &mut String) {
    out.push_str(&format!("<{tag}>"));
    inlines(content, out);
    out.push_str(&format!("</{tag}>"));
}

fn blocks(items: &[Block], out: &mut String) {
    for b in items {
        match b {
            Block::Paragraph(i) => {
                out.push_str("<p>");
                inlines(i, out);
                out.push_str("</p>\n");
            }
            Block::Heading { level, content } => {
                let h = format!("h{}", (*level).clamp(2, 6));
                out.push_str(&format!("<{h}>"));
                inlines(content, out);
                out.push_str(&format!("</{h}>\n"));
            }
            Block::Quote(inner) => {
                out.push_str("<blockquote>\n");
                blocks(inner, out);
                out.push_str("</blockquote>\n");
            }
            Block::List { ordered, items } => {
                let tag = if *ordered { "ol" } else { "ul" };
                out.push_str(&format!("<{tag}>\n"));
                for item in items {
                    out.push_str("<li>");
                    blocks(item, out);
                    out.push_str("</li>\n");
                }
                out.push_str(&format!("</{tag}>\n"));
            }
            Block::Code(code) => {
                out.push_str("<pre><code>");
                esc(code, out);
                out.push_str("</code></pre>\n");
            }
        }
    }
}

/// A post's text as HTML.
pub(crate) fn render(text: &RichText, out: &mut String) {
    blocks(&text.blocks, out);
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn text_is_escaped_and_links_are_safe() {
        let t = RichText {
            blocks: vec![Block::Paragraph(vec![
                Inline::Text("<script>alert(1)</script>".into()),
                Inline::Link {
                    // Built by hand: a parsed URL would have escaped the quote already.
                    href: Some(permafrost_model::Href {
                        url: "https://x.example/?a=\"b\"".into(),
                        host: "x.example".into(),
                    }),
                    text: "x".into(),
                    short: None,
                },
            ])],
        };
        let mut out = String::new();
        render(&t, &mut out);
        assert!(!out.contains("<script"));
        assert!(out.contains("&lt;script&gt;"));
        assert_eq!(escaped("a&b<c>d\"e'f€"), "a&amp;b&lt;c&gt;d&quot;e&#39;f€");
        assert!(out.contains(
            "href=\"https://x.example/?a=&quot;b&quot;\" rel=\"noopener noreferrer\"><bdi>x</bdi> <small>(<bdi>x.example</bdi>)</small></a>"
        ));
    }

    #[test]
    fn a_link_says_where_it_goes_unless_its_text_is_its_url() {
        let link = |href: &str, text: &str| {
            let t = RichText {
                blocks: vec![Block::Paragraph(vec![Inline::Link {
                    href: permafrost_model::Href::parse(href),
                    text: text.into(),
                    short: None,
                }])],
            };
            let mut out = String::new();
            render(&t, &mut out);
            out
        };
        assert!(
            link(r"https://127.0.0.1:8199\@good.example/x", "Documentation")
                .contains("<bdi>Documentation</bdi> <small>(<bdi>127.0.0.1:8199</bdi>)</small>")
        );
        assert!(!link("https://example.com/a", "https://example.com/a").contains("<small>"));
    }
}
