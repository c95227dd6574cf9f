//! Folders and loose files behave like containers.

use std::io::Cursor;

use permafrost_archive::{Container, ErrorKind, Format};

use crate::build::{assert_kind, names, read};

fn file(name: &str, data: &[u8]) -> (String, u64, Cursor<Vec<u8>>) {
    (
        name.to_owned(),
        data.len() as u64,
        Cursor::new(data.to_vec()),
    )
}

#[test]
fn a_folder_lists_normalised_names_and_reads_each_file() {
    let mut container = Container::from_files(
        Format::Folder,
        vec![
            file("archive-2023/outbox.json", b"{\"orderedItems\":[]}"),
            file("archive-2023\\media_attachments\\a.png", b"\x89PNG"),
            file("./archive-2023/actor.json", b"{}"),
            file("/", b""),
        ],
    );
    assert_eq!(container.format(), Format::Folder);
    assert_eq!(
        names(&container),
        [
            "archive-2023/outbox.json",
            "archive-2023/media_attachments/a.png",
            "archive-2023/actor.json"
        ]
    );
    assert_eq!(read(&mut container, 2).unwrap(), b"{}");
    assert_eq!(read(&mut container, 1).unwrap(), b"\x89PNG");
    assert_eq!(read(&mut container, 1).unwrap(), b"\x89PNG");
    assert_eq!(container.find("outbox.json"), Some(0));
}

#[test]
fn loose_files_are_files_whatever_format_is_asked() {
    let container = Container::from_files(Format::Zip, vec![file("outbox.json", b"{}")]);
    assert_eq!(container.format(), Format::Files);
    assert_eq!(container.entries()[0].compressed_size, None);
}

#[test]
fn a_file_shorter_than_declared_asks_to_choose_it_again() {
    let mut container = Container::from_files(
        Format::Files,
        vec![("outbox.json".to_owned(), 10, Cursor::new(b"{}".to_vec()))],
    );
    let err = read(&mut container, 0).unwrap_err();
    assert_kind(&err, ErrorKind::Io);
    assert_eq!(err.entry(), Some("outbox.json"));
    assert!(err.to_string().contains("choose it again"), "{err}");
}

#[test]
fn a_file_longer_than_declared_reads_its_declared_size() {
    let mut container = Container::from_files(
        Format::Files,
        vec![("actor.json".to_owned(), 2, Cursor::new(b"{}\n\n".to_vec()))],
    );
    assert_eq!(read(&mut container, 0).unwrap(), b"{}");
}
