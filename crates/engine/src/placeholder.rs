//! BlurHash placeholders for media that is not shown yet (sensitive, or still loading): the hash
//! from outbox.json is decoded into a tiny image, written as a BMP (no compression to link), which
//! the app scales up under the real image. See <https://github.com/woltapp/blurhash> for the format.

use permafrost_model::blurhash::{average_colour, components, decode_base83};
use std::f32::consts::PI;

fn srgb_to_linear(v: u8) -> f32 {
    let v = f32::from(v) / 255.0;
    if v <= 0.040_45 {
        v / 12.92
    } else {
        ((v + 0.055) / 1.055).powf(2.4)
    }
}

fn linear_to_srgb(v: f32) -> u8 {
    let v = v.clamp(0.0, 1.0);
    let s = if v <= 0.003_130_8 {
        v * 12.92
    } else {
        1.055 * v.powf(1.0 / 2.4) - 0.055
    };
    (s * 255.0 + 0.5) as u8
}

fn sign_pow(v: f32, exp: f32) -> f32 {
    v.abs().powf(exp).copysign(v)
}

/// Decodes a BlurHash into `width × height` RGB pixels, row by row from the top. `None` for a
/// malformed hash or a size over 64 × 64 (a placeholder needs no more).
pub fn blurhash_rgb(hash: &str, width: u32, height: u32) -> Option<Vec<[u8; 3]>> {
    if !(1..=64).contains(&width) || !(1..=64).contains(&height) {
        return None;
    }
    let (nx, ny) = components(hash)?;
    let max = (decode_base83(hash.get(1..2)?)? as f32 + 1.0) / 166.0;
    let mut colors = Vec::with_capacity(nx * ny);
    let dc = average_colour(hash)?;
    colors.push(dc.map(srgb_to_linear));
    for i in 1..nx * ny {
        let v = decode_base83(hash.get(4 + 2 * i..6 + 2 * i)?)?;
        let q = |n: u32| sign_pow((n as f32 - 9.0) / 9.0, 2.0) * max;
        colors.push([q(v / (19 * 19)), q((v / 19) % 19), q(v % 19)]);
    }
    let mut pixels = Vec::with_capacity((width * height) as usize);
    for y in 0..height {
        for x in 0..width {
            let mut c = [0.0f32; 3];
            for j in 0..ny {
                for i in 0..nx {
                    let basis = (PI * x as f32 * i as f32 / width as f32).cos()
                        * (PI * y as f32 * j as f32 / height as f32).cos();
                    let color = colors[i + j * nx];
                    for k in 0..3 {
                        c[k] += color[k] * basis;
                    }
                }
            }
            pixels.push([
                linear_to_srgb(c[0]),
                linear_to_srgb(c[1]),
                linear_to_srgb(c[2]),
            ]);
        }
    }
    Some(pixels)
}

/// A BlurHash as a 24-bit BMP file of `width × height` pixels, ready for a Blob URL.
pub fn blurhash_bmp(hash: &str, width: u32, height: u32) -> Option<Vec<u8>> {
    let pixels = blurhash_rgb(hash, width, height)?;
    let row = (width * 3).div_ceil(4) * 4;
    let image = row * height;
    let mut out = Vec::with_capacity(54 + image as usize);
    out.extend_from_slice(b"BM");
    out.extend_from_slice(&(54 + image).to_le_bytes());
    out.extend_from_slice(&[0; 4]);
    out.extend_from_slice(&54u32.to_le_bytes());
    out.extend_from_slice(&40u32.to_le_bytes());
    out.extend_from_slice(&(width as i32).to_le_bytes());
    out.extend_from_slice(&(height as i32).to_le_bytes());
    out.extend_from_slice(&1u16.to_le_bytes());
    out.extend_from_slice(&24u16.to_le_bytes());
    out.extend_from_slice(&0u32.to_le_bytes());
    out.extend_from_slice(&image.to_le_bytes());
    out.extend_from_slice(&[0x13, 0x0b, 0, 0, 0x13, 0x0b, 0, 0]);
    out.extend_from_slice(&[0; 8]);
    // BMP rows go bottom-up, in blue-green-red order, each padded to four bytes.
    for y in (0..height as usize).rev() {
        for px in &pixels[y * width as usize..(y + 1) * width as usize] {
            out.extend_from_slice(&[px[2], px[1], px[0]]);
        }
        out.resize(out.len() + (row - width * 3) as usize, 0);
    }
    Some(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_reference_hash_decodes() {
        // The example of the BlurHash project's README: a warm photo, reddish top left.
        let px = blurhash_rgb("LEHV6nWB2yk8pyo0adR*.7kCMdnj", 32, 32).expect("valid hash");
        assert_eq!(px.len(), 32 * 32);
        let distinct: std::collections::HashSet<_> = px.iter().collect();
        assert!(distinct.len() > 100, "a gradient, not a flat colour");
        let avg = |i: usize| px.iter().map(|p| u32::from(p[i])).sum::<u32>() / px.len() as u32;
        assert!(
            avg(0) > avg(2),
            "warmer than blue: {} {} {}",
            avg(0),
            avg(1),
            avg(2)
        );
    }

    #[test]
    fn bmp_layout() {
        let bmp = blurhash_bmp("LEHV6nWB2yk8pyo0adR*.7kCMdnj", 5, 3).expect("valid hash");
        assert_eq!(&bmp[..2], b"BM");
        assert_eq!(bmp.len(), 54 + 16 * 3, "rows of 15 bytes padded to 16");
        assert_eq!(
            u32::from_le_bytes([bmp[2], bmp[3], bmp[4], bmp[5]]) as usize,
            bmp.len()
        );
    }

    #[test]
    fn bad_hashes_are_refused() {
        for bad in [
            "",
            "LEHV6",
            "LEHV6nWB2yk8pyo0adR*.7kCMdn",
            "LEHV6nWB2yk8pyo0adR*.7kCMdnj!",
            "\u{e9}\u{e9}\u{e9}\u{e9}\u{e9}\u{e9}",
        ] {
            assert_eq!(blurhash_rgb(bad, 8, 8), None, "{bad}");
        }
        assert_eq!(blurhash_rgb("LEHV6nWB2yk8pyo0adR*.7kCMdnj", 0, 8), None);
        assert_eq!(blurhash_rgb("LEHV6nWB2yk8pyo0adR*.7kCMdnj", 8, 1000), None);
    }
}
