//! Entry names as listed: one spelling for the same path whatever wrote the archive.

/// Normalises an entry name: `\` becomes `/`, and empty and `.` components are dropped, which
/// removes a leading `/` (tar-era local-storage media names are absolute server paths such as
/// `/home/mastodon/live/public/system/media_attachments/…`), a leading `./` and doubled or
/// trailing slashes. `..` components are kept: names are lookup keys here, never paths to write.
///
/// Returns an empty string for a name with no components, such as `./`.
pub(crate) fn normalise(raw: &str) -> String {
    // Nearly every name is already normal: copied as it is (tens of thousands in a large
    // archive, listed before anything else can happen).
    if is_normal(raw) {
        return raw.to_string();
    }
    let mut name = String::with_capacity(raw.len());
    for part in raw.split(['/', '\\']) {
        if part.is_empty() || part == "." {
            continue;
        }
        if !name.is_empty() {
            name.push('/');
        }
        name.push_str(part);
    }
    name
}

/// True when [`normalise`] would give `raw` back unchanged: no `\`, and no empty or `.`
/// component.
fn is_normal(raw: &str) -> bool {
    !raw.contains('\\') && raw.split('/').all(|part| !part.is_empty() && part != ".")
}

/// The name's depth: how many directories it is inside.
pub(crate) fn depth(name: &str) -> usize {
    name.bytes().filter(|&byte| byte == b'/').count()
}

/// The name's last component.
pub(crate) fn basename(name: &str) -> &str {
    name.rsplit('/').next().unwrap_or(name)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn normalises_separators_and_prefixes() {
        assert_eq!(normalise("outbox.json"), "outbox.json");
        assert_eq!(normalise("./outbox.json"), "outbox.json");
        assert_eq!(normalise("/home/m/a.jpg"), "home/m/a.jpg");
        assert_eq!(normalise("a//b/./c/"), "a/b/c");
        assert_eq!(normalise("dir\\file.json"), "dir/file.json");
        assert_eq!(normalise("./"), "");
        assert_eq!(normalise("../x"), "../x");
        assert_eq!(normalise("."), "");
        assert_eq!(normalise("a/."), "a");
        assert_eq!(normalise("a/.b/c"), "a/.b/c");
        assert_eq!(normalise("a/b\\c"), "a/b/c");
        // The quick test agrees with the full one on every name above and more.
        for raw in [
            "outbox.json",
            "./outbox.json",
            "/home/m/a.jpg",
            "a//b/./c/",
            "dir\\file.json",
            "./",
            "../x",
            ".",
            "a/.",
            "a/.b/c",
            "",
            "/",
            "a/",
            ".a",
            "a/..",
            "media_attachments/files/1/a.png",
        ] {
            assert_eq!(
                is_normal(raw),
                !raw.is_empty() && normalise(raw) == raw,
                "{raw:?}"
            );
        }
    }

    #[test]
    fn depth_and_basename() {
        assert_eq!(depth("outbox.json"), 0);
        assert_eq!(depth("a/b/outbox.json"), 2);
        assert_eq!(basename("a/b/outbox.json"), "outbox.json");
        assert_eq!(basename("outbox.json"), "outbox.json");
    }
}
