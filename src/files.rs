//! Gathering what the user gave: files from a picker, a chosen folder, or a drop of any mix of
//! files and folders, each with the name the engine expects (a path with `/` for files inside a
//! folder, so it knows a folder was given).

use permafrost_model::CsvKind;
use permafrost_protocol::wire::describe;
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;
use wasm_bindgen_futures::JsFuture;
use web_sys::{
    Blob, DataTransfer, File, FileList, FileSystemDirectoryEntry, FileSystemEntry,
    FileSystemFileEntry,
};

/// One file to open, with its name or path.
#[derive(Clone, Debug)]
pub struct Given {
    /// The file name, or its path inside the chosen or dropped folder.
    pub name: String,
    /// Its contents.
    pub blob: Blob,
}

impl Given {
    /// Wraps a file, using its path inside a chosen folder when there is one.
    pub fn from_file(file: File) -> Given {
        let relative = js_sys::Reflect::get(&file, &"webkitRelativePath".into())
            .ok()
            .and_then(|v| v.as_string())
            .filter(|p| !p.is_empty());
        Given {
            name: relative.unwrap_or_else(|| file.name()),
            blob: file.into(),
        }
    }
}

/// The files of a file input.
pub fn from_file_list(list: Option<FileList>) -> Vec<Given> {
    let Some(list) = list else { return Vec::new() };
    (0..list.length())
        .filter_map(|i| list.get(i))
        .map(Given::from_file)
        .collect()
}

/// The files of a drop, walking into dropped folders. The entries must be taken while the drop
/// event is being handled (the browser empties the `DataTransfer` afterwards), so this is split:
/// [`entries_of_drop`] runs in the handler, [`walk`] afterwards.
pub fn entries_of_drop(data: &DataTransfer) -> (Vec<FileSystemEntry>, Vec<Given>) {
    let items = data.items();
    let mut entries = Vec::new();
    let mut files = Vec::new();
    for i in 0..items.length() {
        let Some(item) = items.get(i) else { continue };
        if item.kind() != "file" {
            continue;
        }
        match item.webkit_get_as_entry() {
            Ok(Some(entry)) => entries.push(entry),
            _ => {
                if let Ok(Some(file)) = item.get_as_file() {
                    files.push(Given::from_file(file));
                }
            }
        }
    }
    if entries.is_empty() && files.is_empty() {
        files = from_file_list(data.files());
    }
    (entries, files)
}

/// Reads dropped entries: files as they are, folders walked recursively with paths relative to
/// the dropped folder's parent (`archive/outbox.json`).
pub async fn walk(entries: Vec<FileSystemEntry>) -> Result<Vec<Given>, String> {
    let mut out = Vec::new();
    let mut stack = entries;
    while let Some(entry) = stack.pop() {
        if entry.is_directory() {
            let dir: FileSystemDirectoryEntry = entry.unchecked_into();
            stack.extend(read_directory(&dir).await?);
        } else if entry.is_file() {
            let path = entry.full_path();
            let file_entry: FileSystemFileEntry = entry.unchecked_into();
            let file = file_of(&file_entry).await?;
            out.push(Given {
                name: path.trim_start_matches('/').to_string(),
                blob: file.into(),
            });
        }
    }
    Ok(out)
}

async fn read_directory(dir: &FileSystemDirectoryEntry) -> Result<Vec<FileSystemEntry>, String> {
    let reader = dir.create_reader();
    let mut all = Vec::new();
    // readEntries returns at most 100 entries per call; call it until it returns none.
    loop {
        let promise = js_sys::Promise::new(&mut |resolve, reject| {
            if let Err(e) = reader.read_entries_with_callback_and_callback(&resolve, &reject) {
                let _ = reject.call1(&JsValue::NULL, &e);
            }
        });
        let batch = JsFuture::from(promise).await.map_err(|e| {
            crate::tr!(
                crate::lang::i18n(),
                errors.read_folder,
                error = describe(&e)
            )
        })?;
        let batch = js_sys::Array::from(&batch);
        if batch.length() == 0 {
            return Ok(all);
        }
        all.extend(batch.iter().map(|e| e.unchecked_into::<FileSystemEntry>()));
    }
}

async fn file_of(entry: &FileSystemFileEntry) -> Result<File, String> {
    let promise = js_sys::Promise::new(&mut |resolve, reject| {
        entry.file_with_callback_and_callback(&resolve, &reject);
    });
    JsFuture::from(promise)
        .await
        .map(|f| f.unchecked_into())
        .map_err(|e| {
            crate::tr!(
                crate::lang::i18n(),
                errors.read_file,
                file = entry.name(),
                error = describe(&e)
            )
        })
}

/// Resolves after `ms` milliseconds.
pub async fn sleep(ms: u32) {
    let promise = js_sys::Promise::new(&mut |resolve, _| {
        if let Some(window) = web_sys::window() {
            let _ =
                window.set_timeout_with_callback_and_timeout_and_arguments_0(&resolve, ms as i32);
        }
    });
    let _ = JsFuture::from(promise).await;
}

/// Fetches the sample archive shipped with the app (same origin: allowed by the page's policy).
pub async fn sample() -> Result<Vec<Given>, String> {
    let mut out = Vec::new();
    let csvs = CsvKind::MASTODON.map(CsvKind::file_name);
    for name in std::iter::once(SAMPLE_ARCHIVE).chain(csvs) {
        let window = web_sys::window().ok_or("no window")?;
        let url = format!("sample/{name}");
        let response: web_sys::Response = JsFuture::from(window.fetch_with_str(&url))
            .await
            .map_err(|e| {
                crate::tr!(
                    crate::lang::i18n(),
                    errors.load_sample,
                    error = describe(&e)
                )
            })?
            .unchecked_into();
        if !response.ok() {
            return Err(crate::tr!(
                crate::lang::i18n(),
                errors.sample_http,
                url = url,
                status = response.status()
            ));
        }
        let blob = JsFuture::from(response.blob().map_err(|e| describe(&e))?)
            .await
            .map_err(|e| describe(&e))?;
        out.push(Given {
            name: name.to_string(),
            blob: blob.unchecked_into(),
        });
    }
    Ok(out)
}

/// The sample archive in assets/sample/, made by `permafrost synth` with the six CSV exports
/// beside it under Mastodon's names.
const SAMPLE_ARCHIVE: &str = "archive.zip";
