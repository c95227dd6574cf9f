//! The CSV exports: the same bytes read as every kind (once each: building the csv crate's
//! reader is most of the time, instrumented), and the kind guessed from the content and a name.
#![no_main]

use libfuzzer_sys::fuzz_target;
use permafrost_model::diagnostic::Diagnostics;
use permafrost_model::{CsvKind, Social};

fuzz_target!(|data: &[u8]| {
    let text = String::from_utf8_lossy(data);
    let _ = CsvKind::from_content(&text);
    let _ = CsvKind::from_name(&text);
    for kind in CsvKind::MASTODON.into_iter().chain([CsvKind::Followers]) {
        let mut social = Social::default();
        let mut diagnostics = Diagnostics::default();
        social.add_csv(kind, kind.file_name(), data, &mut diagnostics);
    }
});
