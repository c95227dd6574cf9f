//! ZIP: listing through the central directory (Zip64, prepended data, shadowed names), then every
//! entry read alone and in one pass.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    permafrost_fuzz::container(data, permafrost_fuzz::LIMITS);
});
