//! A minimal streaming JSON writer into a reusable byte buffer.
//!
//! The outbox is written item by item, so the generator never holds more than one item. Separators are written
//! by the caller; this only knows how to escape strings the way each Mastodon era did.

/// How strings are escaped.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Escape {
    /// Only what JSON requires (4.2+ `to_json` with raw `<p>`).
    Plain,
    /// Rails' `escape_html_entities_in_json`: `<`, `>` and `&` become `\u003c`, `\u003e`, `\u0026`, and U+2028/9
    /// are escaped too (≤4.1 archives, see the tar.gz fixture).
    Rails,
}

/// A JSON byte buffer.
#[derive(Debug)]
pub(crate) struct Json {
    pub(crate) buf: Vec<u8>,
    pub(crate) escape: Escape,
}

impl Json {
    pub(crate) fn new(escape: Escape) -> Self {
        Json {
            buf: Vec::with_capacity(8192),
            escape,
        }
    }

    /// Raw JSON text (punctuation, numbers, literals).
    pub(crate) fn raw(&mut self, s: &str) {
        self.buf.extend_from_slice(s.as_bytes());
    }

    pub(crate) fn num(&mut self, n: u64) {
        let mut tmp = [0u8; 20];
        let mut i = tmp.len();
        let mut n = n;
        loop {
            i -= 1;
            tmp[i] = b'0' + (n % 10) as u8;
            n /= 10;
            if n == 0 {
                break;
            }
        }
        self.buf.extend_from_slice(&tmp[i..]);
    }

    /// A quoted, escaped string.
    pub(crate) fn str(&mut self, s: &str) {
        self.buf.push(b'"');
        self.escaped(s);
        self.buf.push(b'"');
    }

    /// A quoted string made of several parts (avoids allocating for URIs like `base + "/activity"`).
    pub(crate) fn str2(&mut self, a: &str, b: &str) {
        self.buf.push(b'"');
        self.escaped(a);
        self.escaped(b);
        self.buf.push(b'"');
    }

    /// `"key":`.
    pub(crate) fn key(&mut self, k: &str) {
        self.buf.push(b'"');
        self.buf.extend_from_slice(k.as_bytes());
        self.buf.extend_from_slice(b"\":");
    }

    /// `"key":"value",` helpers keep the item writers readable.
    pub(crate) fn kv(&mut self, k: &str, v: &str) {
        self.key(k);
        self.str(v);
        self.buf.push(b',');
    }

    pub(crate) fn kv_opt(&mut self, k: &str, v: Option<&str>) {
        self.key(k);
        match v {
            Some(v) => self.str(v),
            None => self.raw("null"),
        }
        self.buf.push(b',');
    }

    /// A JSON array of strings.
    pub(crate) fn str_array<S: AsRef<str>>(&mut self, items: &[S]) {
        self.buf.push(b'[');
        for (i, s) in items.iter().enumerate() {
            if i > 0 {
                self.buf.push(b',');
            }
            self.str(s.as_ref());
        }
        self.buf.push(b']');
    }

    /// Removes a trailing comma, if any (so objects can be written with `kv` and closed uniformly).
    pub(crate) fn trim_comma(&mut self) {
        if self.buf.last() == Some(&b',') {
            self.buf.pop();
        }
    }

    pub(crate) fn escaped(&mut self, s: &str) {
        let bytes = s.as_bytes();
        let rails = self.escape == Escape::Rails;
        let mut start = 0;
        let mut i = 0;
        while i < bytes.len() {
            let b = bytes[i];
            let esc: Option<&[u8]> = match b {
                b'"' => Some(b"\\\""),
                b'\\' => Some(b"\\\\"),
                b'\n' => Some(b"\\n"),
                b'\r' => Some(b"\\r"),
                b'\t' => Some(b"\\t"),
                b'<' if rails => Some(b"\\u003c"),
                b'>' if rails => Some(b"\\u003e"),
                b'&' if rails => Some(b"\\u0026"),
                0xE2 if rails
                    && i + 2 < bytes.len()
                    && bytes[i + 1] == 0x80
                    && (bytes[i + 2] == 0xA8 || bytes[i + 2] == 0xA9) =>
                {
                    Some(if bytes[i + 2] == 0xA8 {
                        b"\\u2028"
                    } else {
                        b"\\u2029"
                    })
                }
                0..=0x1F => None,
                _ => {
                    i += 1;
                    continue;
                }
            };
            self.buf.extend_from_slice(&bytes[start..i]);
            match esc {
                Some(e) => {
                    self.buf.extend_from_slice(e);
                    i += if b == 0xE2 { 3 } else { 1 };
                }
                None => {
                    const HEX: &[u8; 16] = b"0123456789abcdef";
                    self.buf.extend_from_slice(b"\\u00");
                    self.buf.push(HEX[(b >> 4) as usize]);
                    self.buf.push(HEX[(b & 15) as usize]);
                    i += 1;
                }
            }
            start = i;
        }
        self.buf.extend_from_slice(&bytes[start..]);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escapes() {
        let mut j = Json::new(Escape::Plain);
        j.str("a\"b\\c\n<p>&\u{1}\u{2028}é");
        assert_eq!(
            String::from_utf8_lossy(&j.buf),
            "\"a\\\"b\\\\c\\n<p>&\\u0001\u{2028}é\""
        );
        let mut j = Json::new(Escape::Rails);
        j.str("<p>&</p>\u{2028}é");
        assert_eq!(
            String::from_utf8_lossy(&j.buf),
            "\"\\u003cp\\u003e\\u0026\\u003c/p\\u003e\\u2028é\""
        );
    }
}
