//! The page's JSON codec against serde, over one message of every kind
//! (`permafrost_protocol::samples`, which the protocol's tests keep complete): a message added to
//! the protocol and not to src/codec.rs fails here.
#![cfg(target_arch = "wasm32")]
// `#[wasm_bindgen_test]` functions are tests, but clippy does not know it (see clippy.toml).
#![allow(clippy::unwrap_used)]

use permafrost_protocol::{samples, Request, Response};
use permafrost_web::codec;
use wasm_bindgen_test::*;

wasm_bindgen_test_configure!(run_in_browser);

/// What serde writes, the page's decoder reads back unchanged.
#[wasm_bindgen_test]
fn the_decoder_reads_what_serde_writes() {
    for (id, body) in samples::responses().into_iter().enumerate() {
        let response = Response {
            id: id as u32,
            body,
        };
        let decoded = codec::response(&response.to_json());
        assert_eq!(decoded.as_ref(), Some(&response), "{}", response.to_json());
    }
    assert_eq!(codec::response("{\"id\":1}"), None);
    assert_eq!(codec::response("not json"), None);
    assert_eq!(codec::response(r#"{"id":1,"body":{"type":"Nope"}}"#), None);
}

/// Requests written by the page read back with serde as the worker reads them.
#[wasm_bindgen_test]
fn the_encoder_writes_what_serde_reads() {
    for (id, body) in samples::requests().into_iter().enumerate() {
        let text = codec::encode(id as u32, &body);
        let request = Request::from_json(&text).unwrap();
        assert_eq!(
            request,
            Request {
                id: id as u32,
                body
            },
            "{text}"
        );
    }
}
