//! The engine's messages in English, one template per code (see [`permafrost_model::message`]);
//! locales/*.json translates them under the same keys. [`Error::message`](crate::Error::message)
//! and the engine's diagnostics are made from them.

use permafrost_model::Message;

permafrost_model::templates! {
    pub MESSAGES;
    NOTHING_GIVEN = "open.nothing_given" => "no file given: give the archive you downloaded from Mastodon (a .zip or .tar.gz), or its extracted folder";
    NO_OUTBOX_EMPTY = "open.no_outbox_empty" => "no outbox.json found: what was given holds no files; give the archive from Preferences › Import and export › Request your archive";
    NO_OUTBOX_ONE = "open.no_outbox_one" => "no outbox.json found, so this is not a Mastodon account archive; it holds {total} file: {files}; give the archive from Preferences › Import and export › Request your archive";
    NO_OUTBOX = "open.no_outbox" => "no outbox.json found, so this is not a Mastodon account archive; it holds {total} files: {files}; give the archive from Preferences › Import and export › Request your archive";
    ONLY_CSV = "open.only_csv" => "only CSV files were given ({files}): they belong with an archive; give the archive from Preferences › Import and export › Request your archive together with them, or add them on the People tab once it is open";
    NESTED_ARCHIVE = "open.nested_archive" => "no outbox.json found here, but this holds another archive, {inner}: extract it, then give that archive";
    UNREADABLE = "open.unreadable" => "{file} could not be read: {detail}";
    PLACE_ZIP_DIRECTORY = "place.zip_directory" => "the ZIP's directory";
    PLACE_ATTACHMENT = "place.attachment" => "{post} attachment {n}";
    COULD_NOT_READ = "diagnostic.could_not_read" => "could not be read: {detail}";
    FILE_ERROR = "diagnostic.file_error" => "{detail}";
    BAD_JSON = "diagnostic.bad_json" => "not valid JSON ({detail}); the rest of the archive is unaffected";
    SECOND_ARCHIVE = "diagnostic.second_archive" => "a second archive was given and ignored: open one account's archive at a time";
    NO_OUTBOX_IGNORED = "diagnostic.no_outbox_ignored" => "this archive holds no outbox.json and was ignored";
    BESIDE_ARCHIVE = "diagnostic.beside_archive" => "given beside the archive and ignored: the archive's own files are used";
    SHADOWED = "diagnostic.shadowed" => "{n} of its entries have the same name as a later one, and only the last of each name is read: if outbox.json or actor.json is among them, an earlier copy of it was ignored";
    SALVAGED = "diagnostic.salvaged" => "the file ends early, at byte {byte}: the download was probably interrupted. Everything before that point was read ({kept} of the archive's files, with every post); whatever came after it is missing: download the archive again to see it all";
    SALVAGED_IN = "diagnostic.salvaged_in" => "the file ends early, at byte {byte}, inside {entry}: the download was probably interrupted. Everything before that file was read ({kept} of the archive's files, with every post); that file and whatever came after it are missing: download the archive again to see it all";
    SALVAGED_OUTBOX = "diagnostic.salvaged_outbox" => "the file ends early, at byte {byte}, inside {entry}: the download was probably interrupted. The posts before that point were read; the rest of them, and every file after {entry}, are missing: download the archive again to see it all";
    CUT_SHORT = "diagnostic.cut_short" => "{detail}; everything before this point was read";
    COPIES_FIRST = "diagnostic.copies_first" => "the archive holds {n} files named {file}; {name} appears {times} times and the first copy was read";
    COPIES_FIRST_NOT = "diagnostic.copies_first_not" => "the archive holds {n} files named {file}; {name} appears {times} times and the first copy was read, not {others}";
    COPIES = "diagnostic.copies" => "the archive holds {n} files named {file}; {name} was read";
    COPIES_NOT = "diagnostic.copies_not" => "the archive holds {n} files named {file}; {name} was read, not {others}";
    MISSING_MEDIA = "diagnostic.missing_media" => "{url} is referenced but not in the archive (Mastodon skips files it cannot read)";
    MISSING_MEDIA_CUT = "diagnostic.missing_media_cut" => "{url} is referenced but not in the part of the archive that arrived: the file ends early, and it may be in the rest (see the note about the file cut short)";
    UNKNOWN_CSV = "diagnostic.unknown_csv" => "a CSV file Permafrost does not recognise: name it as Mastodon does ({names})";
    OTHERS_OPENED = "diagnostic.others_opened" => "{detail}; the other archives were opened";
    BESIDE_ARCHIVES = "diagnostic.beside_archives" => "given beside several archives and ignored: it is in none of their folders";
    UNATTRIBUTED = "diagnostic.unattributed" => "not read: it could be the CSV export of any of the accounts given ({names}); put the account's name in the file's name (such as {example}) or give it inside that archive's folder";
    DUPLICATES_MERGED = "diagnostic.duplicates_merged" => "{n} posts were in more than one archive and are counted once";
    PLACE_ARCHIVES = "place.archives" => "the archives given";
    PLACE_IN_ARCHIVE = "place.in_archive" => "{place} in {archive}";
    ADD_HELD = "added.held" => "held: it could be the CSV export of any of the {n} accounts open; say whose it is";
    ADD_ARCHIVE = "added.archive" => "{found}, not a CSV export: an archive is opened on its own (open it instead of adding it)";
    ADD_NOT_CSV = "added.not_csv" => "{found}, not a CSV export: only Mastodon's CSV exports can be added to an open archive ({names})";
}

/// A file's name as a place.
pub(crate) fn file(name: &str) -> Message {
    permafrost_model::message::PLACE_FILE.with(&[("file", &name)])
}

/// Every code the engine can send, with its English: the model's, the archive readers' and the
/// engine's own.
pub fn all() -> Vec<(&'static str, &'static str)> {
    let templates = permafrost_model::message::MESSAGES.iter().chain(MESSAGES);
    let mut out: Vec<(&'static str, &'static str)> =
        templates.map(|t| (t.code, t.english)).collect();
    out.extend_from_slice(permafrost_archive::MESSAGES);
    out.extend_from_slice(permafrost_archive::DESCRIPTIONS);
    out
}
