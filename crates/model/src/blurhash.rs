//! The base-83 digits of a [BlurHash](https://github.com/woltapp/blurhash), the placeholder string
//! Mastodon stores with each image and video (`blurhash` in outbox.json).
//!
//! A hash is a size flag (1 digit: `nx - 1 + (ny - 1) * 9` components), the quantised maximum AC
//! value (1 digit), the average colour (4 digits, 24-bit sRGB), then 2 digits per AC component: its
//! length is `4 + 2 * nx * ny`. The engine decodes whole images from it; the app needs only
//! [`average_colour`]; the synthetic archives write hashes with [`encode_base83`].
//!
//! ```
//! use permafrost_model::blurhash::{average_colour, decode_base83, encode_base83};
//!
//! assert_eq!(decode_base83("~"), Some(82));
//! assert_eq!(encode_base83(83, 2), "10");
//! assert_eq!(average_colour("LEHV6nWB2yk8pyo0adR*.7kCMdnj"), Some([0x97, 0x96, 0x95]));
//! ```

/// The 83 digits, in order of value.
pub const ALPHABET: &[u8; 83] =
    b"0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz#$%*+,-.:;=?@[]^_{|}~";

/// The value of one digit.
fn digit(c: u8) -> Option<u32> {
    ALPHABET
        .iter()
        .position(|&d| d == c)
        .and_then(|i| u32::try_from(i).ok())
}

/// Reads base-83 digits, most significant first. `None` for an empty string, a character outside
/// [`ALPHABET`], or a value over `u32::MAX`.
pub fn decode_base83(digits: &str) -> Option<u32> {
    if digits.is_empty() {
        return None;
    }
    digits
        .bytes()
        .try_fold(0u32, |acc, c| acc.checked_mul(83)?.checked_add(digit(c)?))
}

/// Writes `value` as exactly `digits` base-83 digits, most significant first (a value that needs
/// more digits keeps only the low ones: it is taken modulo 83^`digits`).
pub fn encode_base83(mut value: u32, digits: usize) -> String {
    let mut out = vec![b'0'; digits];
    for slot in out.iter_mut().rev() {
        *slot = ALPHABET[(value % 83) as usize];
        value /= 83;
    }
    out.into_iter().map(char::from).collect()
}

/// The number of components of a well-formed hash, `(nx, ny)`, each 1 to 9: `None` when the size
/// flag, the length or a digit is wrong.
pub fn components(hash: &str) -> Option<(usize, usize)> {
    let size = decode_base83(hash.get(..1)?)? as usize;
    let (nx, ny) = (size % 9 + 1, size / 9 + 1);
    let well_formed = hash.len() == 4 + 2 * nx * ny && hash.bytes().all(|c| digit(c).is_some());
    well_formed.then_some((nx, ny))
}

/// The average colour of a well-formed hash (its DC component: digits 2 to 5, a 24-bit sRGB
/// value), as `[red, green, blue]`. `None` when the hash is malformed (see [`components`]) or the
/// value is over 24 bits.
pub fn average_colour(hash: &str) -> Option<[u8; 3]> {
    components(hash)?;
    let dc = decode_base83(hash.get(2..6)?)?;
    let [high, r, g, b] = dc.to_be_bytes();
    (high == 0).then_some([r, g, b])
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The example of the BlurHash project's README.
    const REFERENCE: &str = "LEHV6nWB2yk8pyo0adR*.7kCMdnj";

    #[test]
    fn digits_round_trip() {
        for (i, &c) in ALPHABET.iter().enumerate() {
            let s = char::from(c).to_string();
            assert_eq!(decode_base83(&s), Some(i as u32));
            assert_eq!(encode_base83(i as u32, 1), s);
        }
        for value in [0, 1, 82, 83, 6888, 6889, 19 * 19 * 19 - 1, 0xff_ffff] {
            for digits in [4, 5] {
                let s = encode_base83(value, digits);
                assert_eq!(s.len(), digits);
                assert_eq!(decode_base83(&s), Some(value), "{value} in {digits} digits");
            }
        }
        assert_eq!(encode_base83(0, 2), "00");
        assert_eq!(encode_base83(83 * 83 + 5, 2), "05", "modulo 83^2");
        assert_eq!(encode_base83(7, 0), "");
    }

    #[test]
    fn bad_digits_are_refused() {
        assert_eq!(decode_base83(""), None);
        assert_eq!(decode_base83("ab!"), None);
        assert_eq!(decode_base83("a b"), None);
        assert_eq!(decode_base83("\u{e9}"), None);
        assert_eq!(decode_base83("~~~~~~"), None, "83^6 - 1 overflows u32");
        assert_eq!(decode_base83("~~~~~"), Some(83u32.pow(5) - 1));
    }

    #[test]
    fn components_check_the_length() {
        assert_eq!(components(REFERENCE), Some((4, 3)));
        assert_eq!(components("00~~~~"), Some((1, 1)));
        assert_eq!(components(""), None);
        assert_eq!(components(&REFERENCE[..27]), None);
        assert_eq!(components(&format!("{REFERENCE}0")), None);
        assert_eq!(components("LEHV6nWB2yk8pyo0adR*.7kCMdn!"), None);
        assert_eq!(components("\u{e9}\u{e9}\u{e9}"), None);
    }

    #[test]
    fn average_colour_is_the_dc_component() {
        // Digits 2 to 5 of the README's hash, "HV6n", are 0x979695: a grey on average.
        assert_eq!(decode_base83("HV6n"), Some(0x97_9695));
        assert_eq!(average_colour(REFERENCE), Some([0x97, 0x96, 0x95]));
        let hash = format!("00{}", encode_base83(0x12_3456, 4));
        assert_eq!(average_colour(&hash), Some([0x12, 0x34, 0x56]));
        assert_eq!(average_colour("00~~~~"), None, "over 24 bits");
        assert_eq!(
            average_colour("LEHV6n"),
            None,
            "too short for 4 × 3 components"
        );
        assert_eq!(average_colour("not a hash at all"), None);
    }
}
