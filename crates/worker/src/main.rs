//! The Permafrost Web Worker: reads, parses, indexes and searches the archive off the main thread.
//! Built by Trunk as a classic worker script (index.html); the loop is in the library.

#[cfg(target_arch = "wasm32")]
fn main() {
    console_error_panic_hook::set_once();
    permafrost_worker::start();
}

#[cfg(not(target_arch = "wasm32"))]
fn main() {
    eprintln!("the Permafrost worker runs in a browser: build it with `trunk build --release`");
}
