// Starts the app. Trunk's default loader is an inline <script>, which the page's
// Content-Security-Policy (script-src 'self') forbids; this same-origin script does the same job.
// The wasm-bindgen glue (a classic script, loaded just before) defines `wasm_bindgen`;
// Trunk.toml's pattern_script passes the hashed name of the module as a data attribute.
wasm_bindgen({ module_or_path: document.currentScript.dataset.wasm });
