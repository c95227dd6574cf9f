//! tar.gz: the gzip stream inflated once while listing, recording access points; then every entry
//! read by index from the access point before it, and in one pass. The points are 1 KiB apart and
//! at most 8 are kept, so that small inputs have several and listing drops and respaces them.
#![no_main]

use libfuzzer_sys::fuzz_target;
use permafrost_archive::Limits;

fuzz_target!(|data: &[u8]| {
    let limits = Limits {
        access_point_spacing: 1 << 10,
        max_access_points: 8,
        ..permafrost_fuzz::LIMITS
    };
    permafrost_fuzz::container(data, limits);
});
