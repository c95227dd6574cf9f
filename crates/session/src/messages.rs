//! The session's own messages in English, one template per code (see
//! [`permafrost_model::message`]); locales/*.json translates them under the same keys.

permafrost_model::templates! {
    pub MESSAGES;
    NOT_IN_ARCHIVE = "session.not_in_archive" => "this file is not in the archive";
    NO_ARCHIVE = "session.no_archive" => "no archive is open: open one first";
    ALREADY_OPEN = "session.already_open" => "an archive is already open here; open it in a fresh worker";
    NO_HELD_CSV = "session.no_held_csv" => "there is no CSV export {file} waiting, or no account {account}";
    EXPORT_CANCELLED = "export.cancelled" => "the export was cancelled: nothing was saved";
    EXPORT_WRITE_ZIP = "export.write_zip" => "could not write the ZIP: {detail}";
    EXPORT_WRITE = "export.write" => "could not write the export: {detail}";
    EXPORT_WRITE_CSV = "export.write_csv" => "could not write the CSV: {detail}";
    EXPORT_READ_OUTBOX = "export.read_outbox" => "could not read outbox.json: {detail}";
    EXPORT_NOT_ZIP = "export.not_zip" => "a ZIP entry outside a ZIP export";
    EXPORT_TIME_ZONE = "export.time_zone" => "unknown time zone `{zone}`: use an IANA name such as Europe/Berlin";
    EXPORT_UNFINISHED = "export.unfinished" => "the export stopped without finishing";
    EXPORT_NO_PEOPLE = "export.no_people" => "no CSV exports were given, so there are no people to write: add them on the People tab";
    NO_POST = "session.no_post" => "there is no post {post} in this archive";
    KEPT_STALE = "kept.stale" => "its saved state was made by another version of Permafrost, so it was read again from its kept files";
    KEPT_DAMAGED = "kept.damaged_state" => "its saved state was damaged, so it was read again from its kept files";
    KEPT_MISMATCH = "kept.mismatch" => "its saved state did not match its kept files ({detail}), so it was read again from them";
    KEEP_FAILED = "kept.keep_failed" => "could not keep the archive on this device: {detail}";
    KEPT_UNREADABLE = "kept.unreadable" => "could not read the kept archive: {detail}";
    NO_STORAGE = "kept.no_storage" => "this browser does not let the page store files here (a private window, or site data turned off)";
    KEPT_NOT_FOUND = "kept.not_found" => "this archive is no longer kept on this device";
    NO_COUNTS = "query.no_counts" => "this archive has no favourite or boost counts (Mastodon puts them in archives from version 4.3 on): likes: and shares: match nothing here";
}

/// Every code the worker can send to the page, with its English: the engine's
/// ([`permafrost_engine::messages::all`]), the query language's and the session's own.
/// locales/*.json must translate each (crates/session/tests/messages.rs).
pub fn all() -> Vec<(&'static str, &'static str)> {
    let mut out = permafrost_engine::messages::all();
    let templates = permafrost_index::messages::MESSAGES.iter().chain(MESSAGES);
    out.extend(templates.map(|t| (t.code, t.english)));
    out
}
