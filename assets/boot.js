// Starts the app. Trunk's default loader is an inline <script>, which the page's
// Content-Security-Policy (script-src 'self') forbids; this same-origin module does the same job.
// Trunk.toml's pattern_script passes the hashed file names as data attributes.
const me = document.querySelector("script[data-wasm]");
const { default: init } = await import(me.dataset.js);
await init({ module_or_path: me.dataset.wasm });
