//! The newest posts read so far while an archive opens, as one rich text (see
//! `permafrost_protocol::ResponseBody::Preview`).

use permafrost_protocol::{Block, Inline, PostView, RichText};

/// The preview as one rich text: a list with an item per post holding its date (written by
/// `date`, from Unix seconds), then its text (or only its content warning, after `warning`, the
/// interface's "Content warning: "). Light on purpose, and
/// rendered by the same code as every post's text (a component of its own would cost the page's
/// bundle kilobytes): the posts have no media yet, their visibility is not settled, and the
/// worker can answer nothing about them until the archive is open.
pub fn preview_text(posts: Vec<PostView>, date: impl Fn(i64) -> String, warning: &str) -> RichText {
    let line = |inline| Block::Paragraph(vec![inline]);
    let text = |s: String| vec![Inline::Text(s.into())];
    let items = posts
        .into_iter()
        .map(|post| {
            let mut blocks = Vec::new();
            if let Some(t) = post.published {
                blocks.push(line(Inline::Strong(text(date(t)))));
            }
            match post.content_warning {
                Some(cw) => blocks.push(line(Inline::Emphasis(text(format!("{warning}{cw}"))))),
                None => blocks.extend(post.content.blocks),
            }
            blocks
        })
        .collect();
    RichText {
        blocks: vec![Block::List {
            ordered: false,
            items,
        }],
    }
}
