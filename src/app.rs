//! The top-level component and the app's state.
//!
//! Two things are provided as context by [`App`]: [`AppState`], a bundle of signals, and the
//! page's one [`WorkerClient`]. Components read the state and call the operations here
//! ([`AppState::open`], [`AppState::navigate`]…); those that ask the worker something take the
//! client from context and `await` its answer. Effects exist only to keep the URL hash, local
//! storage and the `<html>` theme in step with the state.

use crate::files::Given;
use crate::format::{self, DateStyle};
use crate::i18n::t_string;
use crate::route::{LeftViews, Route, Tab};
use crate::ui;
use crate::worker_client::WorkerClient;
use leptos::prelude::*;
use leptos::task::spawn_local;
use permafrost_protocol::{
    AddedFile, AddedView, Opened, Progress, RequestBody, ResponseBody, RichText,
};
use std::sync::Arc;
use wasm_bindgen::JsCast;

/// Where the app is.
#[derive(Clone, Debug, PartialEq)]
pub enum Phase {
    /// Nothing open yet (or the last try failed, with what went wrong).
    Welcome {
        /// The last error, one friendly line.
        error: Option<permafrost_protocol::Message>,
    },
    /// The worker is opening the given files.
    Opening {
        /// What was given.
        names: Vec<String>,
    },
    /// An archive is open.
    Ready(Arc<Opened>),
}

/// The colour scheme.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum Theme {
    /// Follow the system setting.
    #[default]
    System,
    /// Always light.
    Light,
    /// Always dark.
    Dark,
}

impl Theme {
    /// The name stored and used in `data-theme`.
    pub fn as_str(self) -> &'static str {
        match self {
            Theme::System => "system",
            Theme::Light => "light",
            Theme::Dark => "dark",
        }
    }

    /// Reads a stored name.
    pub fn parse(s: &str) -> Theme {
        match s {
            "light" => Theme::Light,
            "dark" => Theme::Dark,
            _ => Theme::System,
        }
    }
}

/// An archive closed, at hand to be opened again ([`AppState::reopen`]).
#[derive(Clone)]
pub enum Closed {
    /// References to the files given (not copies).
    Given(Vec<Given>),
    /// A kept archive: its key and its files' names.
    Kept(String, Vec<String>),
}

impl Closed {
    /// The names of its files, as "Open … again" says them.
    pub fn names(&self) -> Vec<String> {
        match self {
            Closed::Kept(_, names) => names.clone(),
            Closed::Given(files) => files.iter().map(|f| f.name.clone()).collect(),
        }
    }
}

/// The app's state: signals, so it is `Copy` and cheap to hand around.
#[derive(Clone, Copy)]
pub struct AppState {
    /// Welcome, opening or open.
    pub phase: RwSignal<Phase>,
    /// The last progress report while opening.
    pub progress: RwSignal<Option<Progress>>,
    /// The newest posts read so far while opening, as [`crate::preview::preview_text`] writes
    /// them (empty until they come).
    pub preview: RwSignal<RichText>,
    /// What is being looked at (mirrors the URL hash).
    pub route: RwSignal<Route>,
    /// The IANA time zone dates are shown in.
    pub time_zone: RwSignal<String>,
    /// The colour scheme.
    pub theme: RwSignal<Theme>,
    /// The worker (also provided as context on its own, for components that only ask it).
    client: StoredValue<WorkerClient>,
    /// The page was opened with a view in its URL (a bookmark, a shared link) that the first
    /// archive opened should show; every other archive starts from a clean view.
    keep_route: StoredValue<bool>,
    /// What was opened last (references to the user's files, not copies), to open it again
    /// after the worker died.
    last_given: StoredValue<Vec<Given>, LocalStorage>,
    /// The kept archive opened last (its key, and its files' names), when it was one: what
    /// "Add another archive" opens beside, and what a retry opens again.
    last_kept: StoredValue<Option<(String, Vec<String>)>>,
    /// The worker died since the last opening began: the welcome screen offers to try again.
    worker_died: StoredValue<bool>,
    /// The archive last closed: the welcome screen offers to open it again (a click on "Open
    /// another archive" by mistake loses nothing), until another opens.
    pub closed: RwSignal<Option<Closed>, LocalStorage>,
    /// The URL of a replaced history entry not written yet (see [`AppState::navigate_typed`]).
    pending_url: StoredValue<Option<String>>,
    /// The timer that writes it.
    url_timer: StoredValue<Option<TimeoutHandle>>,
    /// What each tab showed when it was left, for going back to it by its tab.
    left_views: StoredValue<LeftViews>,
    /// What the last CSV exports added to the open archive said (the People tab shows it, and
    /// the summary takes its new numbers); `None` since the archive opened.
    pub added: RwSignal<Option<Arc<AddedView>>>,
    /// The open archive's key while it is kept on this device (as opened from the kept list, or
    /// since "Keep"), so that a view drawn again (another interface language) still says so.
    pub kept_key: RwSignal<Option<String>>,
    /// Archives dropped on an open one, waiting for the user to say whether to add them beside
    /// it or open them instead ([`ui::accounts::DropChoice`]).
    pub dropped: RwSignal<Option<Vec<Given>>, LocalStorage>,
    /// The state of the unseen view drawn to warm the page's code up ([`ui::warm_up`]): its
    /// routes are never written to the URL.
    unseen: bool,
}

/// How long typing pauses before the URL takes the query, in milliseconds.
const URL_PAUSE_MS: u64 = 300;
/// How long after the page starts the open is rehearsed (`WorkerClient::rehearse`): after
/// the first paint and the worker's start, which come first.
const REHEARSAL_DELAY_MS: u32 = 500;

const TIME_ZONE_KEY: &str = "permafrost.timeZone";
const THEME_KEY: &str = "permafrost.theme";

impl AppState {
    fn new(client: WorkerClient) -> AppState {
        let stored_zone = storage_get(TIME_ZONE_KEY).filter(|z| format::is_time_zone(z));
        AppState {
            phase: RwSignal::new(Phase::Welcome { error: None }),
            progress: RwSignal::new(None),
            preview: RwSignal::new(RichText::default()),
            route: RwSignal::new(Route::parse(&current_hash())),
            time_zone: RwSignal::new(stored_zone.unwrap_or_else(format::browser_time_zone)),
            theme: RwSignal::new(Theme::parse(&storage_get(THEME_KEY).unwrap_or_default())),
            client: StoredValue::new(client),
            keep_route: StoredValue::new(!current_hash().trim_start_matches('#').is_empty()),
            last_given: StoredValue::new_local(Vec::new()),
            last_kept: StoredValue::new(None),
            worker_died: StoredValue::new(false),
            closed: RwSignal::new_local(None),
            pending_url: StoredValue::new(None),
            url_timer: StoredValue::new(None),
            left_views: StoredValue::new(LeftViews::default()),
            added: RwSignal::new(None),
            kept_key: RwSignal::new(None),
            dropped: RwSignal::new_local(None),
            unseen: false,
        }
    }

    /// Whether this is the state of the view drawn unseen ([`AppState::unseen`]).
    pub fn is_unseen(self) -> bool {
        self.unseen
    }

    /// The state of a view drawn unseen ([`ui::warm_up`]) with `client`: the page's time zone
    /// and theme, the route a new archive opens on, and nothing it does reaches the URL.
    pub fn unseen(client: WorkerClient) -> AppState {
        AppState {
            unseen: true,
            // The view the user's archive opens on (see `start`).
            route: RwSignal::new(Route::default()),
            ..AppState::new(client)
        }
    }

    /// Whether the worker died holding (or opening) what was opened last, so that
    /// [`AppState::retry`] may help.
    pub fn can_retry(self) -> bool {
        self.worker_died.get_value()
            && (self.last_given.with_value(|g| !g.is_empty())
                || self.last_kept.with_value(Option::is_some))
    }

    /// Opens again the archive closed last ("Open … again" on the welcome screen), even after
    /// something else failed to open meanwhile.
    pub fn reopen(self) {
        match self.closed.get_untracked() {
            Some(Closed::Kept(key, names)) => self.open_kept(key, names),
            Some(Closed::Given(files)) => self.open(files),
            None => {}
        }
    }

    /// Opens again what was opened last (after the worker died).
    pub fn retry(self) {
        match self.last_kept.get_value() {
            Some((key, names)) => self.open_kept(key, names),
            None => self.open(self.last_given.get_value()),
        }
    }

    /// Opens what was dropped (files, and the contents of dropped folders); a folder that
    /// cannot be read is said on the welcome screen.
    pub fn open_dropped(self, data: &web_sys::DataTransfer) {
        let (entries, mut given) = crate::files::entries_of_drop(data);
        if entries.is_empty() {
            self.open_or_add(given);
            return;
        }
        spawn_local(async move {
            match crate::files::walk(entries).await {
                Ok(more) => {
                    given.extend(more);
                    self.open_or_add(given);
                }
                Err(e) => self.phase.set(Phase::Welcome {
                    error: Some(e.into()),
                }),
            }
        });
    }

    /// CSV exports alone, dropped on an open archive, are added to it (the archive is not
    /// opened again); anything else dropped on an open archive asks whether to add it beside
    /// or open it instead; on the welcome screen, it is opened.
    fn open_or_add(self, files: Vec<Given>) {
        let ready = matches!(self.phase.get_untracked(), Phase::Ready(_));
        let only_csv = !files.is_empty()
            && files
                .iter()
                .all(|f| f.name.to_ascii_lowercase().ends_with(".csv"));
        if ready && only_csv {
            self.add_files(files);
        } else if ready && !files.is_empty() {
            self.dropped.set(Some(files));
        } else {
            self.open(files);
        }
    }

    /// Adds CSV exports (following, lists, blocks…) to the open archive, as if they had been
    /// given with it, and shows the People tab with what they added.
    pub fn add_files(self, files: Vec<Given>) {
        let names: Vec<String> = files.iter().map(|f| f.name.clone()).collect();
        let blobs: Vec<web_sys::Blob> = files.into_iter().map(|f| f.blob).collect();
        self.add(RequestBody::AddFiles { names }, &blobs);
    }

    /// Reads a waiting CSV export as account `account`'s (an index in `Opened::accounts`), and
    /// shows the People tab with what it added, as for files added.
    pub fn attribute(self, file: String, account: u32) {
        self.add(RequestBody::Attribute { file, account }, &[]);
    }

    /// Asks the worker to add to the open archive ([`RequestBody::AddFiles`] and
    /// [`RequestBody::Attribute`], both answered by [`ResponseBody::Added`]).
    fn add(self, body: RequestBody, blobs: &[web_sys::Blob]) {
        let reply = self
            .client
            .get_value()
            .request_with_events(body, blobs, |_, _| {});
        spawn_local(async move {
            let added = match reply.await.map(|r| r.body) {
                Some(ResponseBody::Added(added)) => added,
                Some(ResponseBody::Error { message }) => Box::new(AddedView {
                    files: vec![AddedFile {
                        name: t_string!(crate::lang::i18n(), errors.the_files).into(),
                        kind: None,
                        rows: 0,
                        error: Some(message),
                        problems: 0,
                        diagnostics: Vec::new(),
                    }],
                    summary: match self.phase.get_untracked() {
                        Phase::Ready(opened) => opened.summary.clone(),
                        _ => return,
                    },
                    unattributed: self.pending_csvs(),
                    not_kept: None,
                }),
                _ => return,
            };
            if added.not_kept.is_some() {
                let _ = self.kept_key.try_set(None);
            }
            let _ = self.added.try_set(Some(Arc::from(added)));
            let mut route = self.route.get_untracked();
            route.show(Tab::People);
            self.navigate(route, true);
        });
    }

    /// Opens another archive together with what is open (the same files and the new ones, in
    /// a fresh worker): each account gets its own profile, and a post in both is shown once.
    pub fn add_archive(self, files: Vec<Given>) {
        if files.is_empty() {
            return;
        }
        let mut all = self.last_given.get_value();
        all.extend(files);
        // A kept archive's files are in the worker's storage, not here: it adds them itself
        // (`last_given` then holds the files added to it).
        if let Some((key, mut shown)) = self.last_kept.get_value() {
            let names: Vec<String> = all.iter().map(|f| f.name.clone()).collect();
            let blobs: Vec<web_sys::Blob> = all.iter().map(|f| f.blob.clone()).collect();
            shown.extend(names.iter().cloned());
            self.last_given.set_value(all);
            self.start(RequestBody::OpenKept { key, names }, &blobs, shown);
            return;
        }
        self.open(all);
    }

    /// The CSV exports waiting to be told whose they are, with several accounts open.
    pub fn pending_csvs(self) -> Vec<String> {
        if let Some(added) = self.added.get_untracked() {
            return added.unattributed.clone();
        }
        match self.phase.get_untracked() {
            Phase::Ready(opened) => opened.unattributed.clone(),
            _ => Vec::new(),
        }
    }

    /// Opens what the user gave in a fresh worker (the previous archive, if any, is dropped).
    pub fn open(self, files: Vec<Given>) {
        if files.is_empty() {
            return;
        }
        let names: Vec<String> = files.iter().map(|f| f.name.clone()).collect();
        self.last_given.set_value(files.clone());
        self.last_kept.set_value(None);
        let blobs: Vec<web_sys::Blob> = files.into_iter().map(|f| f.blob).collect();
        self.start(
            RequestBody::Open {
                names: names.clone(),
            },
            &blobs,
            names,
        );
    }

    /// Opens an archive kept on this device (no file dialog: its files are in the browser's
    /// storage), shown as `names` while it opens.
    pub fn open_kept(self, key: String, names: Vec<String>) {
        self.last_given.set_value(Vec::new());
        self.last_kept.set_value(Some((key.clone(), names.clone())));
        let body = RequestBody::OpenKept {
            key,
            names: Vec::new(),
        };
        self.start(body, &[], names);
    }

    /// Sends an [`RequestBody::Open`] or [`RequestBody::OpenKept`] to a fresh worker and
    /// follows it to the open archive, or back to the welcome screen with the error.
    fn start(self, body: RequestBody, blobs: &[web_sys::Blob], names: Vec<String>) {
        // The page's code is warm enough: the user's archive needs the cores now.
        ui::warm_up::end();
        let client = self.client.get_value();
        client.reset();
        // A query, an order or a tab chosen for the last archive means nothing for this one (its
        // years, tags and people differ): start from all posts, unless the URL asked for a view.
        if !self.keep_route.get_value() {
            self.navigate(Route::default(), false);
        }
        mark_entry_shown();
        self.left_views.set_value(LeftViews::default());
        self.keep_route.set_value(false);
        self.worker_died.set_value(false);
        self.added.set(None);
        self.kept_key.set(None);
        self.progress.set(None);
        self.preview.set(RichText::default());
        self.phase.set(Phase::Opening { names });
        let (progress, preview, zone) = (self.progress, self.preview, self.time_zone);
        let opening = client.request_with_events(body, blobs, move |event, _| match event {
            ResponseBody::Progress(p) => progress.set(Some(p)),
            ResponseBody::Preview { posts, .. } => {
                let zone = zone.get_untracked();
                let date = |t| format::date(t, &zone, DateStyle::DateTime);
                let warning = t_string!(crate::lang::i18n(), post.cw);
                preview.set(crate::preview::preview_text(posts, date, warning));
            }
            _ => {}
        });
        spawn_local(async move {
            // `None`: cancelled (Cancel, or another archive opened meanwhile).
            let Some(reply) = opening.await else { return };
            let error = match reply.body {
                ResponseBody::Opened(opened) => {
                    self.kept_key
                        .set(opened.kept.as_ref().map(|k| k.key.clone()));
                    // Another archive is open: the one closed before is not offered again.
                    self.closed.set(None);
                    return self.phase.set(Phase::Ready(Arc::from(opened)));
                }
                ResponseBody::Error { message } => message,
                _ => t_string!(crate::lang::i18n(), app.unexpected).into(),
            };
            // The worker that failed holds nothing to keep: a fresh one starts now, and its
            // helper with it, so that the next archive neither waits for them nor opens
            // without the helper (started, but not ready yet, when a file is dropped at once).
            self.client.get_value().reset();
            self.phase.set(Phase::Welcome { error: Some(error) });
        });
    }

    /// Stops opening and goes back to the welcome screen.
    pub fn cancel(self) {
        self.client.get_value().reset();
        self.phase.set(Phase::Welcome { error: None });
    }

    /// Closes the archive and goes back to the welcome screen, and the URL with it: a view of
    /// the archive closed (its query, order, tab), left in the URL, would be taken after a
    /// reload for a link's view, and shown on the next archive opened.
    pub fn close(self) {
        // What was open stays at hand (references to the files, or the kept archive's key), to
        // be opened again from the welcome screen.
        let closed = match self.last_kept.get_value() {
            Some((key, names)) => Closed::Kept(key, names),
            None => Closed::Given(self.last_given.get_value()),
        };
        self.closed
            .set((!closed.names().is_empty()).then_some(closed));
        self.client.get_value().reset();
        self.navigate(Route::default(), false);
        self.keep_route.set_value(false);
        self.phase.set(Phase::Welcome { error: None });
    }

    /// Shows another route. `push` adds a history entry (the back button returns here);
    /// otherwise the current entry is replaced.
    pub fn navigate(self, route: Route, push: bool) {
        if self.route.get_untracked() == route {
            return;
        }
        if !self.unseen {
            // What was typed before goes into its entry first.
            self.write_pending_url();
            write_url(&route_url(&route), push);
        }
        self.route.set(route);
    }

    /// Shows a query typed in the search box: `push` (the first keystroke) adds a history
    /// entry, the next keystrokes replace it.
    ///
    /// A replaced entry is written once typing pauses for [`URL_PAUSE_MS`], before the next
    /// entry, or when the page is left: each URL change cost Chromium about 3 ms of the main
    /// thread in `history.replaceState` and then about 5 ms more in fetching and drawing the
    /// favicon again (an SVG document), both in the way of the next keystroke's answer
    /// (profiled).
    pub fn navigate_typed(self, route: Route, push: bool) {
        if push {
            return self.navigate(route, true);
        }
        if self.route.get_untracked() == route {
            return;
        }
        if self.unseen {
            return self.route.set(route);
        }
        self.pending_url.set_value(Some(route_url(&route)));
        if let Some(timer) = self.url_timer.get_value() {
            timer.clear();
        }
        let timer = set_timeout_with_handle(
            move || self.write_pending_url(),
            std::time::Duration::from_millis(URL_PAUSE_MS),
        );
        self.url_timer.set_value(timer.ok());
        self.route.set(route);
    }

    /// Writes the replaced entry [`AppState::navigate_typed`] has not written yet.
    fn write_pending_url(self) {
        if let Some(Some(timer)) = self.url_timer.try_update_value(Option::take) {
            timer.clear();
        }
        if let Some(Some(url)) = self.pending_url.try_update_value(Option::take) {
            write_url(&url, false);
        }
    }

    /// Switches tabs (a history entry), back to what the tab showed when it was left.
    pub fn show_tab(self, tab: Tab) {
        let mut route = self.route.get_untracked();
        self.left_views
            .update_value(|left| route.switch_tab(tab, left));
        self.navigate(route, true);
    }
}

/// The URL that shows a route.
fn route_url(route: &Route) -> String {
    let hash = route.to_hash();
    if hash.is_empty() {
        location_without_hash()
    } else {
        hash
    }
}

/// Adds (`push`) or replaces the history entry with `url`, marked as the app's (see
/// [`shown_by_app`]).
fn write_url(url: &str, push: bool) {
    let Ok(history) = window().history() else {
        return;
    };
    let result = if push {
        history.push_state_with_url(&wasm_bindgen::JsValue::TRUE, "", Some(url))
    } else {
        history.replace_state_with_url(&wasm_bindgen::JsValue::TRUE, "", Some(url))
    };
    if let Err(e) = result {
        web_sys::console::warn_1(&e);
    }
}

/// Marks the history's current entry as shown by the app for an archive (its state `true`), as
/// every entry the app writes is: going back to it later is going back to an archive's view, not
/// following a link to a view.
fn mark_entry_shown() {
    if let Ok(history) = window().history() {
        let _ = history.replace_state(&wasm_bindgen::JsValue::TRUE, "");
    }
}

/// Whether the history's current entry is one the app showed an archive's view in ([`write_url`],
/// [`mark_entry_shown`]), rather than a link followed in the tab.
fn shown_by_app() -> bool {
    window()
        .history()
        .and_then(|h| h.state())
        .is_ok_and(|s| s.is_truthy())
}

fn current_hash() -> String {
    window().location().hash().unwrap_or_default()
}

fn location_without_hash() -> String {
    let location = window().location();
    format!(
        "{}{}",
        location.pathname().unwrap_or_default(),
        location.search().unwrap_or_default()
    )
}

fn storage() -> Option<web_sys::Storage> {
    window().local_storage().ok().flatten()
}

fn storage_get(key: &str) -> Option<String> {
    storage()?.get_item(key).ok().flatten()
}

fn storage_set(key: &str, value: &str) {
    if let Some(s) = storage() {
        let _ = s.set_item(key, value);
    }
}

/// The app.
#[component]
pub fn App() -> impl IntoView {
    let i18n = crate::lang::provide();
    let client = WorkerClient::new();
    let state = AppState::new(client.clone());
    provide_context(state);
    provide_context(client.clone());
    // The worker died with the archive in it: back to the welcome screen, saying why, with a
    // button to open the same files again (an opening in progress ends the same way).
    client.on_failure(move |message| {
        state.worker_died.set_value(true);
        if let Phase::Ready(_) = state.phase.get_untracked() {
            state.phase.set(Phase::Welcome {
                error: Some(message.into()),
            });
        }
    });

    // Tab goes round inside an open dialog, never to the page it covers.
    let _ = window_event_listener(leptos::ev::keydown, |ev| {
        crate::ui::dom::keep_tab_in_modal(&ev)
    });
    // Leaving the page (a reload, another site) keeps the query just typed in its URL.
    let _ = window_event_listener(leptos::ev::pagehide, move |_| state.write_pending_url());
    // The back and forward buttons change the hash: follow it.
    let _ = window_event_listener(leptos::ev::popstate, move |_| {
        // The entry moved to is the one to show: a write still pending was for the one left.
        state.pending_url.set_value(None);
        if let Some(timer) = state.url_timer.get_value() {
            timer.clear();
        }
        state.route.set(Route::parse(&current_hash()));
        // The control that had the focus may have gone with the view left (Back from People):
        // the keyboard goes on from the view's tab, not from the top of the page.
        request_animation_frame(|| {
            let tab = document().query_selector("[role=tab][aria-selected=true]");
            let Some(el) = tab
                .ok()
                .flatten()
                .or_else(|| document().get_element_by_id("main"))
            else {
                return;
            };
            // On a tab no longer the one shown (the one clicked before Back): the shown one.
            let on_other_tab = document()
                .active_element()
                .is_some_and(|a| a.get_attribute("role").as_deref() == Some("tab") && a != el);
            if on_other_tab {
                ui::dom::focus_in_place(&el);
            } else {
                ui::dom::refocus_if_lost(&el);
            }
        });
    });
    let _ = window_event_listener(leptos::ev::hashchange, move |_| {
        state.pending_url.set_value(None);
        let route = Route::parse(&current_hash());
        // A view's link pasted while no archive is open is for the next one, as at page load;
        // Back to a closed archive's view is not, and leaves the URL clean.
        if matches!(state.phase.get_untracked(), Phase::Welcome { .. }) {
            if shown_by_app() {
                state.keep_route.set_value(false);
                if route != Route::default() {
                    write_url(&location_without_hash(), false);
                    state.route.set(Route::default());
                }
                return;
            }
            state.keep_route.set_value(route != Route::default());
        }
        if state.route.get_untracked() != route {
            state.route.set(route);
        }
    });

    // Load the worker while the user picks a file, and a moment later rehearse an open with
    // the sample archive (`WorkerClient::rehearse`: the user's archive then opens faster), then
    // draw its view unseen (`ui::warm_up`: the page's code for it is then compiled).
    let owner = Owner::current();
    let page_client = client.clone();
    client.on_rehearsed(move |client, opened| {
        // Only on the welcome screen: once the user's archive is asked for, the cores are its.
        let waiting = matches!(state.phase.get_untracked(), Phase::Welcome { .. });
        match &owner {
            Some(owner) if waiting && page_client.is_fresh() => {
                ui::warm_up::draw(owner, client, opened)
            }
            _ => client.restart(),
        }
    });
    let warming = client.clone();
    request_animation_frame(move || warming.warm());
    spawn_local(async move {
        crate::files::sleep(REHEARSAL_DELAY_MS).await;
        if client.is_fresh() {
            if let Ok(files) = crate::files::sample().await {
                client.rehearse(files);
            }
        }
    });

    // Keep the theme on <html data-theme> and in storage.
    Effect::new(move |_| {
        let theme = state.theme.get();
        if let Some(root) = document().document_element() {
            let _ = root.set_attribute("data-theme", theme.as_str());
        }
        storage_set(THEME_KEY, theme.as_str());
    });
    Effect::new(move |_| storage_set(TIME_ZONE_KEY, &state.time_zone.get()));

    // Files dropped anywhere on the page, the welcome screen's drop zone included, open: the
    // browser would otherwise leave the app to show the file.
    let on_dragover = window_event_listener(leptos::ev::dragover, |ev| ev.prevent_default());
    let on_drop = window_event_listener(leptos::ev::drop, move |ev| {
        ev.prevent_default();
        if let Some(data) = ev.data_transfer() {
            state.open_dropped(&data);
        }
    });
    on_cleanup(move || {
        on_dragover.remove();
        on_drop.remove();
    });

    // The page is drawn again in the new language when it changes: what the user opened, searched
    // and looked at is in `state` and the URL, above this, so nothing is lost. Only then: the
    // language context wakes its readers once more as it starts (in the same language), and
    // what the page's parts read as they are made (the route, the theme) is theirs to follow;
    // either drew the whole page twice at start-up, and the welcome screen asked the worker
    // twice for the kept archives.
    let redraw = RwSignal::new(());
    Effect::new(move |before: Option<crate::lang::Locale>| {
        let locale = i18n.get_locale();
        if before.is_some_and(|b| b != locale) {
            redraw.set(());
        }
        locale
    });
    move || {
        redraw.track();
        untrack(|| page(state))
    }
}

/// The page, in the current language.
fn page(state: AppState) -> AnyView {
    let i18n = crate::lang::i18n();
    // The page as first drawn leaves the focus where the browser puts it.
    let drawn_once = StoredValue::new(false);
    view! {
        // Not a plain `#main` link: the hash holds the view (see `route`), and following the
        // link would replace it.
        <a class="skip-link" href="#main" on:click=move |ev| {
            ev.prevent_default();
            if let Some(main) = document().get_element_by_id("main") {
                if let Ok(main) = main.dyn_into::<web_sys::HtmlElement>() {
                    let _ = main.focus();
                }
            }
        }>{t_string!(i18n, app.skip)}</a>
        <ui::header::Header/>
        <ui::accounts::DropChoice/>
        <main id="main" tabindex="-1">
            // Drawn anew when the phase changes, and only then: what a screen reads as it is made
            // is the screen's to follow.
            {move || {
                let phase = state.phase.get();
                // The control that had the focus (the file button, Close, Cancel) is drawn away
                // with the last phase: the keyboard goes on from the top of the new one.
                if drawn_once.get_value() {
                    request_animation_frame(|| {
                        if let Some(main) = document().get_element_by_id("main") {
                            ui::dom::refocus_if_lost(&main);
                        }
                    });
                }
                drawn_once.set_value(true);
                untrack(move || match phase {
                    Phase::Welcome { error } => view! { <ui::welcome::Welcome error=error/> }.into_any(),
                    Phase::Opening { names } => view! { <ui::opening::Opening names=names/> }.into_any(),
                    Phase::Ready(opened) => ui::archive::archive_view(opened),
                })
            }}
        </main>
        <footer class="site-footer">
            <p>
                {t_string!(i18n, app.footer_1)}
                {t_string!(i18n, app.footer_2)}
            </p>
        </footer>
    }
    .into_any()
}
