//! Post and profile HTML to rich text, the entity decoder, and the links' shortcut for plain URLs
//! (`Href::plain`), which must answer as the WHATWG rules do.
#![no_main]

use libfuzzer_sys::fuzz_target;
use permafrost_model::html;
use permafrost_model::link::Href;

fuzz_target!(|data: &[u8]| {
    let text = String::from_utf8_lossy(data);
    permafrost_fuzz::rich_text(&html::parse(&text));
    let _ = html::decode_entities(&text);
    // The input as a URL, and after a scheme (random bytes seldom start with one).
    for raw in [text.to_string(), format!("https://{text}")] {
        if let Some((plain, whatwg)) = Href::plain_beside_whatwg(&raw) {
            assert_eq!(Some(plain), whatwg, "{raw:?}");
        }
    }
});
