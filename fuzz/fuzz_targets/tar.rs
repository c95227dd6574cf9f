//! Plain tar: listing by seeking over the data (ustar prefixes, GNU long names, PAX headers),
//! then every entry read alone and in one pass.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    permafrost_fuzz::container(data, permafrost_fuzz::LIMITS);
});
