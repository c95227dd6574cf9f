// Starts the Web Worker: Trunk builds it as a classic script (wasm-bindgen's no-modules target),
// which defines the global `wasm_bindgen`. The worker says "Ready" once it reads messages.
importScripts("./worker.js");
wasm_bindgen({ module_or_path: "./worker_bg.wasm" });
