//! The one framing of messages between the page and its worker (wasm32 only).
//!
//! Every `postMessage` either way carries a two-element array: the JSON text of a [`crate::Request`]
//! or [`crate::Response`], and what travels beside it, never inside the JSON: the `Blob`s of an
//! [`crate::RequestBody::Open`], the `ArrayBuffer` of a [`crate::ResponseBody::Media`] answer, or
//! `null`.

use wasm_bindgen::{JsCast, JsValue};

/// The message for `postMessage`: `[json, beside]`.
pub fn frame(json: &str, beside: &JsValue) -> js_sys::Array {
    js_sys::Array::of2(&JsValue::from_str(json), beside)
}

/// The JSON text and what is beside it, from a received message's `data`. A message of another
/// shape reads as empty text (which no decoder accepts) and `null`.
pub fn unframe(data: &JsValue) -> (String, JsValue) {
    let Some(array) = data.dyn_ref::<js_sys::Array>() else {
        return (String::new(), JsValue::NULL);
    };
    (array.get(0).as_string().unwrap_or_default(), array.get(1))
}

/// A JavaScript exception as one line.
pub fn describe(e: &JsValue) -> String {
    e.dyn_ref::<js_sys::Error>()
        .map(|e| String::from(e.message()))
        .or_else(|| e.as_string())
        .unwrap_or_else(|| "unknown error".into())
}
