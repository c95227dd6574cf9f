//! Post and profile HTML to rich text, and the entity decoder.
#![no_main]

use libfuzzer_sys::fuzz_target;
use permafrost_model::html;

fuzz_target!(|data: &[u8]| {
    let text = String::from_utf8_lossy(data);
    permafrost_fuzz::rich_text(&html::parse(&text));
    let _ = html::decode_entities(&text);
});
