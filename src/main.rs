//! The Permafrost web app's entry point; everything else is in the library.

#[cfg(target_arch = "wasm32")]
fn main() {
    permafrost_web::start();
}

#[cfg(not(target_arch = "wasm32"))]
fn main() {
    eprintln!(
        "permafrost-web runs in a browser: build it with `trunk build --release` (see README)"
    );
}
