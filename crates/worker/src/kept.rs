//! "Keep on this device": archives the user chose to keep, in the browser's origin-private file
//! system (OPFS), which no other site and no file dialog can see.
//!
//! Layout, under the directory [`ROOT`]: one directory per kept archive (its key), holding the
//! files as they were opened (`file-0`, `file-1`… by position, since their names may hold `/`),
//! the session's snapshot (`snapshot.bin`, see `permafrost_session::snapshot`), and
//! `meta.json`, the [`KeptArchive`] the welcome screen lists with the files' names. `meta.json`
//! is written last: a directory without it is an interrupted keep, removed when listed.
//!
//! Nothing is written except on a [`RequestBody::Keep`](permafrost_protocol::RequestBody::Keep),
//! which only the user's click sends. Everything here is async (OPFS has no synchronous way to
//! create files outside a sync access handle); the worker answers other requests meanwhile.

use js_sys::{Promise, Uint8Array};
use permafrost_model::Message;
use permafrost_protocol::{KeptArchive, KeptList};
use permafrost_session::messages as m;
use serde::{Deserialize, Serialize};
use wasm_bindgen::{JsCast, JsValue};
use wasm_bindgen_futures::JsFuture;
use web_sys::{
    Blob, File, FileSystemDirectoryHandle, FileSystemFileHandle, FileSystemGetDirectoryOptions,
    FileSystemGetFileOptions, FileSystemRemoveOptions, FileSystemWritableFileStream,
    StorageEstimate, StorageManager, WorkerGlobalScope,
};

/// The directory of kept archives.
pub const ROOT: &str = "kept";
/// Each kept archive's description.
const META: &str = "meta.json";
/// Each kept archive's snapshot.
const SNAPSHOT: &str = "snapshot.bin";
/// The layout of `meta.json`; another one is listed as damaged (it can be forgotten).
const META_VERSION: u32 = 1;

/// `meta.json`.
#[derive(Serialize, Deserialize)]
struct Meta {
    version: u32,
    archive: KeptArchive,
}

/// A kept archive's files, to open it.
pub struct KeptFiles {
    /// Its description.
    pub archive: KeptArchive,
    /// Each file with the name it was opened with.
    pub files: Vec<(String, Blob)>,
    /// The snapshot, when there is one.
    pub snapshot: Option<Blob>,
}

fn storage() -> Result<StorageManager, Message> {
    let scope: WorkerGlobalScope = js_sys::global().unchecked_into();
    let navigator = scope.navigator();
    // `navigator.storage` is missing where the browser offers no storage (some private modes).
    let storage = js_sys::Reflect::get(&navigator, &JsValue::from_str("storage"))
        .ok()
        .filter(|s| !s.is_undefined() && !s.is_null())
        .ok_or_else(|| m::NO_STORAGE.message())?;
    Ok(storage.unchecked_into())
}

/// A rejected promise or thrown value as one line.
fn why(e: &JsValue) -> String {
    e.dyn_ref::<js_sys::Error>()
        .map(|e| String::from(e.message()))
        .or_else(|| e.as_string())
        .unwrap_or_else(|| format!("{e:?}"))
}

async fn wait(promise: Promise) -> Result<JsValue, String> {
    JsFuture::from(promise).await.map_err(|e| why(&e))
}

async fn root(create: bool) -> Result<Option<FileSystemDirectoryHandle>, Message> {
    let storage = storage()?;
    let top: FileSystemDirectoryHandle = wait(storage.get_directory())
        .await
        .map_err(|_| m::NO_STORAGE.message())?
        .unchecked_into();
    let options = FileSystemGetDirectoryOptions::new();
    options.set_create(create);
    match wait(top.get_directory_handle_with_options(ROOT, &options)).await {
        Ok(dir) => Ok(Some(dir.unchecked_into())),
        Err(_) if !create => Ok(None),
        Err(e) => Err(m::KEEP_FAILED.with(&[("detail", &e)])),
    }
}

async fn directory(
    parent: &FileSystemDirectoryHandle,
    name: &str,
    create: bool,
) -> Result<FileSystemDirectoryHandle, String> {
    let options = FileSystemGetDirectoryOptions::new();
    options.set_create(create);
    Ok(
        wait(parent.get_directory_handle_with_options(name, &options))
            .await?
            .unchecked_into(),
    )
}

async fn file(dir: &FileSystemDirectoryHandle, name: &str) -> Result<File, String> {
    let handle: FileSystemFileHandle = wait(dir.get_file_handle(name)).await?.unchecked_into();
    Ok(wait(handle.get_file()).await?.unchecked_into())
}

/// Writes `data` (a `Blob`, streamed by the browser, or bytes) to `name` in `dir`.
async fn write(dir: &FileSystemDirectoryHandle, name: &str, data: &JsValue) -> Result<(), String> {
    let options = FileSystemGetFileOptions::new();
    options.set_create(true);
    let handle: FileSystemFileHandle = wait(dir.get_file_handle_with_options(name, &options))
        .await?
        .unchecked_into();
    let stream: FileSystemWritableFileStream =
        wait(handle.create_writable()).await?.unchecked_into();
    let written = match data.dyn_ref::<Blob>() {
        Some(blob) => stream.write_with_blob(blob),
        None => stream.write_with_js_u8_array(data.unchecked_ref::<Uint8Array>()),
    };
    match written {
        Ok(promise) => {
            if let Err(e) = wait(promise).await {
                let _ = wait(stream.abort()).await;
                return Err(e);
            }
        }
        Err(e) => {
            let _ = wait(stream.abort()).await;
            return Err(why(&e));
        }
    }
    wait(stream.close()).await.map(|_| ())
}

async fn remove(dir: &FileSystemDirectoryHandle, name: &str) -> Result<(), String> {
    let options = FileSystemRemoveOptions::new();
    options.set_recursive(true);
    wait(dir.remove_entry_with_options(name, &options))
        .await
        .map(|_| ())
}

/// The names of the entries of `dir`.
async fn names(dir: &FileSystemDirectoryHandle) -> Result<Vec<String>, String> {
    let keys = dir.keys();
    let mut out = Vec::new();
    loop {
        let next = wait(keys.next().map_err(|e| why(&e))?).await?;
        let step: js_sys::IteratorNext = next.unchecked_into();
        if step.done() {
            return Ok(out);
        }
        if let Some(name) = step.value().as_string() {
            out.push(name);
        }
    }
}

async fn read_meta(dir: &FileSystemDirectoryHandle) -> Result<Meta, String> {
    let text = wait(file(dir, META).await?.text()).await?;
    let text = text.as_string().unwrap_or_default();
    let meta: Meta = serde_json::from_str(&text).map_err(|e| e.to_string())?;
    if meta.version != META_VERSION {
        return Err(format!("meta.json version {}", meta.version));
    }
    Ok(meta)
}

/// What is kept, newest first, with the storage used. An interrupted keep (no meta.json) is
/// removed; an unreadable meta.json is listed as damaged, so that it can be forgotten.
pub async fn list(open: Option<String>) -> Result<KeptList, Message> {
    let mut archives = Vec::new();
    if let Some(root) = root(false).await? {
        let unreadable = |e: String| m::KEPT_UNREADABLE.with(&[("detail", &e)]);
        for key in names(&root).await.map_err(unreadable)? {
            let Ok(dir) = directory(&root, &key, false).await else {
                continue;
            };
            match read_meta(&dir).await {
                Ok(meta) => archives.push(meta.archive),
                Err(_) if file(&dir, META).await.is_err() => {
                    let _ = remove(&root, &key).await;
                }
                Err(_) => archives.push(KeptArchive {
                    key,
                    names: Vec::new(),
                    accounts: Vec::new(),
                    posts: 0,
                    bytes: 0,
                    kept_at: 0,
                    damaged: true,
                }),
            }
        }
    }
    archives.sort_by(|a, b| b.kept_at.cmp(&a.kept_at).then(a.key.cmp(&b.key)));
    let (usage, quota) = estimate().await;
    let open = open.filter(|k| archives.iter().any(|a| &a.key == k && !a.damaged));
    Ok(KeptList {
        archives,
        open,
        usage,
        quota,
    })
}

/// The key of the kept archive that holds the same files as `files` (the same names, in order,
/// and the same sizes): the user opened a file they had already kept, and keeps it again. That
/// keep replaces it rather than making a second copy no one can tell from the first.
pub async fn same_as(files: &[(String, Blob)]) -> Option<String> {
    let root = root(false).await.ok()??;
    for key in names(&root).await.ok()? {
        let Ok(dir) = directory(&root, &key, false).await else {
            continue;
        };
        let Ok(meta) = read_meta(&dir).await else {
            continue;
        };
        let same_names = meta.archive.names.len() == files.len()
            && meta
                .archive
                .names
                .iter()
                .zip(files)
                .all(|(a, (b, _))| a == b);
        if !same_names {
            continue;
        }
        let mut same = true;
        for (i, (_, blob)) in files.iter().enumerate() {
            match file(&dir, &format!("file-{i}")).await {
                Ok(kept) if kept.size() == blob.size() => {}
                _ => {
                    same = false;
                    break;
                }
            }
        }
        if same {
            return Some(key);
        }
    }
    None
}

async fn estimate() -> (Option<u64>, Option<u64>) {
    let Ok(storage) = storage() else {
        return (None, None);
    };
    let Ok(promise) = storage.estimate() else {
        return (None, None);
    };
    match wait(promise).await {
        Ok(value) => {
            let estimate: StorageEstimate = value.unchecked_into();
            let number = |key: &str| {
                js_sys::Reflect::get(&estimate, &JsValue::from_str(key))
                    .ok()
                    .and_then(|v| v.as_f64())
                    .map(|n| n as u64)
            };
            (number("usage"), number("quota"))
        }
        Err(_) => (None, None),
    }
}

/// A new key: the time in milliseconds and a random part, in base 36.
pub fn new_key() -> String {
    let now = js_sys::Date::now() as u64;
    let random = (js_sys::Math::random() * 36f64.powi(4)) as u64;
    format!("k{}{}", base36(now), base36(random))
}

fn base36(mut n: u64) -> String {
    const DIGITS: &[u8; 36] = b"0123456789abcdefghijklmnopqrstuvwxyz";
    let mut out = Vec::new();
    loop {
        out.push(DIGITS[(n % 36) as usize]);
        n /= 36;
        if n == 0 {
            break;
        }
    }
    out.reverse();
    String::from_utf8(out).unwrap_or_default()
}

/// Keeps `files` and `snapshot` under `archive.key`, replacing what was kept there. On failure
/// (the storage is full), what was written is removed: nothing half-kept stays.
pub async fn keep(
    mut archive: KeptArchive,
    files: &[(String, Blob)],
    snapshot: Option<Vec<u8>>,
) -> Result<(), Message> {
    let failed = |e: String| m::KEEP_FAILED.with(&[("detail", &e)]);
    let Some(root) = root(true).await? else {
        return Err(m::NO_STORAGE.message());
    };
    // A keep of an archive already kept replaces it.
    let _ = remove(&root, &archive.key).await;
    let result = async {
        let dir = directory(&root, &archive.key, true).await?;
        let mut bytes = 0u64;
        for (i, (_, blob)) in files.iter().enumerate() {
            write(&dir, &format!("file-{i}"), blob).await?;
            bytes += blob.size() as u64;
        }
        if let Some(snapshot) = snapshot {
            bytes += snapshot.len() as u64;
            let array = Uint8Array::from(&snapshot[..]);
            drop(snapshot);
            write(&dir, SNAPSHOT, &array).await?;
        }
        archive.bytes = bytes;
        archive.names = files.iter().map(|(n, _)| n.clone()).collect();
        let meta = serde_json::to_string(&Meta {
            version: META_VERSION,
            archive: archive.clone(),
        })
        .map_err(|e| e.to_string())?;
        write(&dir, META, &Uint8Array::from(meta.as_bytes()).into()).await
    }
    .await;
    if let Err(e) = result {
        let _ = remove(&root, &archive.key).await;
        return Err(failed(e));
    }
    Ok(())
}

/// Replaces the snapshot of a kept archive (after it was read again from its files).
pub async fn replace_snapshot(key: &str, snapshot: Vec<u8>) -> Result<(), String> {
    let root = root(false)
        .await
        .map_err(|e| e.text)?
        .ok_or("nothing is kept")?;
    let dir = directory(&root, key, false).await?;
    let array = Uint8Array::from(&snapshot[..]);
    drop(snapshot);
    write(&dir, SNAPSHOT, &array).await?;
    // The size listed includes the snapshot.
    let mut meta = read_meta(&dir).await?;
    let mut bytes = 0u64;
    for i in 0..meta.archive.names.len() {
        bytes += file(&dir, &format!("file-{i}")).await?.size() as u64;
    }
    meta.archive.bytes = bytes + array.length() as u64;
    let text = serde_json::to_string(&meta).map_err(|e| e.to_string())?;
    write(&dir, META, &Uint8Array::from(text.as_bytes()).into()).await
}

/// Brings kept archive `key` up to date with the open archive: the files it does not hold yet
/// (CSV exports added after it was kept, at the end of `files`) and the session's snapshot.
/// `meta.json` is written last, naming the new files only once they are all written.
pub async fn add(key: &str, files: &[(String, Blob)], snapshot: Vec<u8>) -> Result<(), String> {
    let root = root(false)
        .await
        .map_err(|e| e.text)?
        .ok_or("nothing is kept")?;
    let dir = directory(&root, key, false).await?;
    let mut meta = read_meta(&dir).await?;
    let mut bytes = 0u64;
    for (i, (name, blob)) in files.iter().enumerate() {
        if i >= meta.archive.names.len() {
            write(&dir, &format!("file-{i}"), blob).await?;
            meta.archive.names.push(name.clone());
        }
        bytes += blob.size() as u64;
    }
    let array = Uint8Array::from(&snapshot[..]);
    drop(snapshot);
    write(&dir, SNAPSHOT, &array).await?;
    meta.archive.bytes = bytes + array.length() as u64;
    let text = serde_json::to_string(&meta).map_err(|e| e.to_string())?;
    write(&dir, META, &Uint8Array::from(text.as_bytes()).into()).await
}

/// The files of kept archive `key`.
pub async fn files(key: &str) -> Result<KeptFiles, Message> {
    let unreadable = |e: String| m::KEPT_UNREADABLE.with(&[("detail", &e)]);
    let root = root(false)
        .await?
        .ok_or_else(|| m::KEPT_NOT_FOUND.message())?;
    let dir = directory(&root, key, false)
        .await
        .map_err(|_| m::KEPT_NOT_FOUND.message())?;
    let meta = read_meta(&dir).await.map_err(unreadable)?;
    let mut files = Vec::with_capacity(meta.archive.names.len());
    for (i, name) in meta.archive.names.iter().enumerate() {
        let blob = file(&dir, &format!("file-{i}")).await.map_err(unreadable)?;
        files.push((name.clone(), Blob::from(blob)));
    }
    let snapshot = file(&dir, SNAPSHOT).await.ok().map(Blob::from);
    Ok(KeptFiles {
        archive: meta.archive,
        files,
        snapshot,
    })
}

/// Deletes kept archive `key`, or everything kept (`None`).
pub async fn forget(key: Option<&str>) -> Result<(), Message> {
    let failed = |e: String| m::KEPT_UNREADABLE.with(&[("detail", &e)]);
    match key {
        Some(key) => {
            if let Some(root) = root(false).await? {
                remove(&root, key).await.map_err(failed)?;
            }
        }
        None => {
            let storage = storage()?;
            let top: FileSystemDirectoryHandle = wait(storage.get_directory())
                .await
                .map_err(|_| m::NO_STORAGE.message())?
                .unchecked_into();
            if names(&top).await.map_err(failed)?.iter().any(|n| n == ROOT) {
                remove(&top, ROOT).await.map_err(failed)?;
            }
        }
    }
    Ok(())
}
