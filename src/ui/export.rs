//! Export: the posts picked by hand (a checkbox on each post, shift-click for a range) and the
//! Export dialog, which shows what will be written before anything is, then streams the file
//! from the worker in parts and saves it as a normal browser download.

use super::browse::{Browse, Dialog};
use super::dom::{target_element, El};
use crate::app::AppState;
use crate::format;
use crate::i18n::t_string;
use crate::selection::Click;
use crate::worker_client::WorkerClient;
use leptos::html;
use leptos::prelude::*;
use leptos::task::spawn_local;
use permafrost_protocol::{
    ExportDone, ExportFormat, ExportOptions, ExportPlan, LeaveOut, RequestBody, ResponseBody,
    Selection,
};
use wasm_bindgen::JsCast;

/// A post's checkbox: picks it for export; with Shift, every post from the last one clicked.
#[component]
pub fn PickBox(
    /// The post's index.
    index: u32,
    /// Its position in the result.
    position: u32,
) -> impl IntoView {
    let browse = expect_context::<Browse>();
    let client = expect_context::<WorkerClient>();
    let picked = browse.picked;
    let i18n = crate::lang::i18n();
    let on_click = move |ev: leptos::ev::MouseEvent| {
        let mut click = Click::Done;
        picked.update(|p| click = p.click(index, position, ev.shift_key()));
        if let Click::Range { from, to, pick } = click {
            pick_positions(browse, &client, from, to - from + 1, pick);
        }
    };
    view! {
        <label class="pick" title=t_string!(i18n, sel.pick_title)>
            <input
                type="checkbox"
                data-testid="pick"
                prop:checked=move || picked.with(|p| p.contains(index))
                on:click=on_click
            />
            <span class="visually-hidden">{t_string!(i18n, sel.pick)}</span>
        </label>
    }
}

/// Picks (or unpicks) the posts at positions `offset..offset + limit` of the result shown, once
/// the worker says which they are.
fn pick_positions(browse: Browse, client: &WorkerClient, offset: u32, limit: u32, pick: bool) {
    let reply = client.request(RequestBody::Indices { offset, limit });
    let (shown, picked) = (browse.results.cache, browse.picked);
    spawn_local(async move {
        if let Some(ResponseBody::Indices {
            search, indices, ..
        }) = reply.await.map(|r| r.body)
        {
            // Positions of another result would pick other posts.
            if shown.try_with_untracked(|c| c.search()) == Some(search) {
                let _ = picked.try_update(|p| p.set_all(&indices, pick));
            }
        }
    });
}

/// "N selected", with ways to clear the selection or select every result, and to export it.
#[component]
pub fn SelectionBar() -> impl IntoView {
    let browse = expect_context::<Browse>();
    let client = expect_context::<WorkerClient>();
    let picked = browse.picked;
    let count = move || picked.with(|p| p.len());
    let total = move || browse.results.total();
    let i18n = crate::lang::i18n();
    let select_all = move |_| pick_positions(browse, &client, 0, total(), true);
    view! {
        <div class="selection-bar" data-testid="selection-bar">
            <span data-testid="selected-count" aria-live="polite" hidden=move || count() == 0>
                {move || crate::plural!(i18n, n_selected, count() as u64)}
            </span>
            <button
                type="button"
                class="link-button"
                data-testid="select-all"
                // Nothing to select: not shown rather than a link that does nothing.
                hidden=move || total() == 0
                on:click=select_all
            >
                {move || crate::tr!(i18n, sel.select_all, n = format::count(u64::from(total())))}
            </button>
            <button
                type="button"
                class="link-button"
                data-testid="clear-selection"
                hidden=move || count() == 0
                on:click=move |ev| {
                    picked.update(|p| p.clear());
                    // This button hides itself: the keyboard goes on from "Select all".
                    let bar = super::dom::target_element(ev.target())
                        .and_then(|el| el.parent_element());
                    request_animation_frame(move || {
                        if let Some(all) = bar
                            .and_then(|b| b.query_selector("[data-testid=select-all]").ok().flatten())
                        {
                            super::dom::refocus_if_lost(&all);
                        }
                    });
                }
            >
                {t_string!(i18n, sel.clear)}
            </button>
            // Beside the count, where a phone shows it: the toolbar's Export is scrolled out of
            // a narrow screen. The dialog opens on the posts picked.
            <button
                type="button"
                class="link-button"
                data-testid="export-selected"
                hidden=move || count() == 0
                on:click=move |_| browse.open_dialog(Dialog::Export)
            >
                {t_string!(i18n, search.export)}
            </button>
        </div>
    }
}

/// Which posts the dialog exports.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum What {
    /// The search results.
    Results,
    /// The posts picked by hand.
    Picked,
}

/// Where an export is.
#[derive(Clone, Debug, PartialEq)]
enum Run {
    /// Not started.
    Idle,
    /// Running: posts written of all, bytes so far.
    Running { done: u32, total: u32, bytes: u64 },
    /// Saved.
    Saved(ExportDone),
    /// Failed, with why.
    Failed(String),
    /// Cancelled (said so, not as an error).
    Cancelled(String),
}

fn format_choices() -> [(ExportFormat, &'static str, &'static str); 7] {
    let i18n = crate::lang::i18n();
    [
        (
            ExportFormat::Csv,
            t_string!(i18n, export.csv),
            t_string!(i18n, export.csv_hint),
        ),
        (
            ExportFormat::MediaCsv,
            t_string!(i18n, export.media_csv),
            t_string!(i18n, export.media_csv_hint),
        ),
        (
            ExportFormat::PeopleCsv,
            t_string!(i18n, export.people_csv),
            t_string!(i18n, export.people_csv_hint),
        ),
        (
            ExportFormat::Json,
            t_string!(i18n, export.json),
            t_string!(i18n, export.json_hint),
        ),
        (
            ExportFormat::Zip,
            t_string!(i18n, export.zip),
            t_string!(i18n, export.zip_hint),
        ),
        (
            ExportFormat::Markdown,
            t_string!(i18n, export.markdown),
            t_string!(i18n, export.markdown_hint),
        ),
        (
            ExportFormat::Html,
            t_string!(i18n, export.html),
            t_string!(i18n, export.html_hint),
        ),
    ]
}

/// The privacy checkboxes, by name (also their test id) and label. The change handler knows a
/// checkbox by its name; [`leave_flag`] says which option it is.
fn leave() -> [(&'static str, &'static str); 6] {
    let i18n = crate::lang::i18n();
    [
        ("leave-followers", t_string!(i18n, export.leave_followers)),
        ("leave-direct", t_string!(i18n, export.leave_direct)),
        ("leave-boosts", t_string!(i18n, export.leave_boosts)),
        ("leave-media", t_string!(i18n, export.leave_media)),
        // These two are in an archive ZIP only: drawn in a part of their own, hidden otherwise.
        ("leave-likes", t_string!(i18n, export.leave_likes)),
        ("leave-bookmarks", t_string!(i18n, export.leave_bookmarks)),
    ]
}

/// The option of `LeaveOut` a privacy checkbox (by name) sets.
fn leave_flag<'a>(l: &'a mut LeaveOut, name: &str) -> Option<&'a mut bool> {
    Some(match name {
        "leave-followers" => &mut l.followers,
        "leave-direct" => &mut l.direct,
        "leave-boosts" => &mut l.boosts,
        "leave-media" => &mut l.media,
        "leave-likes" => &mut l.likes,
        "leave-bookmarks" => &mut l.bookmarks,
        _ => return None,
    })
}

/// A radio choice: `<label class="choice"><input type="radio" …>`, its text appended by the
/// caller. The browser keeps which radio of a group is checked; the dialog's change handler
/// reads the group (`name`) and the choice (`value`).
fn radio(name: &str, value: &str, testid: &str, checked: bool) -> El {
    let input = El::html("input")
        .attr("type", "radio")
        .attr("name", name)
        .attr("value", value)
        .attr("data-testid", testid);
    let input = if checked {
        input.attr("checked", "")
    } else {
        input
    };
    El::html("label").class("choice").child(input)
}

/// A checkbox choice with its label, named for the dialog's change handler (the name is also
/// its test id).
fn checkbox(name: &str, label: &str) -> El {
    El::html("label")
        .class("choice")
        .child(
            El::html("input")
                .attr("type", "checkbox")
                .attr("name", name)
                .attr("data-testid", name),
        )
        .text(label)
}

/// A button of the dialog's footer; `action` is what the dialog's click handler does with it.
fn button(class: &str, action: &str, text: &str) -> El {
    El::html("button")
        .attr("type", "button")
        .class(class)
        .attr("data-action", action)
        .text(text)
}

/// Sets or removes a boolean attribute (`hidden`, `disabled`).
fn toggle(el: &web_sys::Element, name: &str, on: bool) {
    let _ = el.toggle_attribute_with_force(name, on);
}

/// The Export dialog.
///
/// Its structure is drawn once with [`El`] rather than as a typed view, which costs the page's
/// bundle code for every element type and nesting (6 KB gzip for this dialog, measured). One
/// change handler and one click handler on the overlay read which control it was (its `name`,
/// `value` or `data-action`) and set the signals; small effects update only what changes (the
/// labels' counts, the plan, the progress, `hidden` and `disabled`).
#[component]
pub fn ExportDialog() -> impl IntoView {
    let state = expect_context::<AppState>();
    let browse = expect_context::<Browse>();
    let client = expect_context::<WorkerClient>();

    let has_picked = browse.picked.with_untracked(|p| !p.is_empty());
    let what = RwSignal::new(if has_picked {
        What::Picked
    } else {
        What::Results
    });
    let format_ = RwSignal::new(ExportFormat::Csv);
    let bom = RwSignal::new(false);
    let leave_out = RwSignal::new(LeaveOut::default());
    let redact = RwSignal::new(false);
    let plan = RwSignal::new(None::<Result<ExportPlan, String>>);
    let run = RwSignal::new(Run::Idle);

    // HTML and Markdown are made to be published: followers-only posts and direct messages are
    // left out unless the user puts them back.
    Effect::new(move |_| {
        let publishing = matches!(format_.get(), ExportFormat::Html | ExportFormat::Markdown);
        leave_out.update(|l| {
            l.followers = publishing;
            l.direct = publishing;
        });
    });

    let selection = move || match what.get() {
        What::Picked => Selection::Posts {
            posts: browse.picked.with(|p| p.posts()),
        },
        What::Results => state.route.with(|r| Selection::Query {
            query: r.query.clone(),
            sort: r.sort,
            time_zone: state.time_zone.get(),
            // Exactly the posts the page lists, whose last word is read as a prefix.
            as_typed: true,
        }),
    };
    let options = move || ExportOptions {
        format: format_.get(),
        time_zone: state.time_zone.get(),
        bom: bom.get(),
        leave_out: leave_out.get(),
        redact_mentions: redact.get(),
    };

    // What will be written, asked again whenever the choices change (the latest answer wins).
    let asked = StoredValue::new(0u32);
    let plan_client = client.clone();
    Effect::new(move |_| {
        let body = RequestBody::PlanExport {
            selection: selection(),
            options: options(),
        };
        plan_client.ask_latest(asked, body, move |answer| {
            let next = match answer {
                ResponseBody::ExportPlan(p) => Ok(*p),
                ResponseBody::Error { message } => Err(crate::lang::message(&message)),
                _ => return,
            };
            let _ = plan.try_set(Some(next));
        });
    });

    // The parts of the file as they arrive (Blobs, held by the browser's blob storage rather than
    // this page's memory), until it is saved.
    let parts = StoredValue::new_local(js_sys::Array::new());
    let running = move || matches!(run.get(), Run::Running { .. });
    let export_client = client.clone();
    let start = move || {
        parts.set_value(js_sys::Array::new());
        run.set(Run::Running {
            done: 0,
            total: plan.with_untracked(|p| {
                p.as_ref()
                    .and_then(|p| p.as_ref().ok())
                    .map_or(0, |p| p.posts)
            }),
            bytes: 0,
        });
        let body = RequestBody::Export {
            selection: selection(),
            options: options(),
        };
        let reply =
            export_client.request_with_events(body, &[], move |event, beside| match event {
                ResponseBody::ExportProgress { done, total, bytes } => {
                    let _ = run.try_set(Run::Running { done, total, bytes });
                }
                ResponseBody::ExportPart => {
                    parts.with_value(|p| p.push(&beside));
                }
                _ => {}
            });
        spawn_local(async move {
            let Some(reply) = reply.await else { return };
            let next = match reply.body {
                ResponseBody::Exported(done) => {
                    let saved = parts.try_with_value(|p| save(p, &done.file_name, &done.mime));
                    match saved {
                        Some(Ok(())) => Run::Saved(*done),
                        Some(Err(e)) => Run::Failed(e),
                        None => return,
                    }
                }
                ResponseBody::Error { message } if message.code == "export.cancelled" => {
                    Run::Cancelled(crate::lang::message(&message))
                }
                ResponseBody::Error { message } => Run::Failed(crate::lang::message(&message)),
                _ => Run::Failed(t_string!(crate::lang::i18n(), export.unexpected).into()),
            };
            parts.try_set_value(js_sys::Array::new());
            let _ = run.try_set(next);
        });
    };
    let cancel_client = client.clone();
    let cancel = move || {
        if matches!(run.try_get_untracked(), Some(Run::Running { .. })) {
            // The answer does not matter: the export's own request ends with an error.
            drop(cancel_client.request(RequestBody::CancelExport));
        }
    };
    // Closing the dialog (Escape, Close, a click outside) stops a running export.
    on_cleanup(cancel.clone());

    // The dialog, drawn once. The parts that change are kept to be updated by the effects below.
    let results = radio("export-what", "results", "export-results", !has_picked).text("");
    let picked = radio("export-what", "picked", "export-picked", has_picked).text("");
    let (results_label, picked_label) = (results.element().clone(), picked.element().clone());
    let formats = format_choices().into_iter().map(|(f, label, hint)| {
        radio(
            "export-format",
            f.as_str(),
            &format!("format-{}", f.as_str()),
            f == ExportFormat::Csv,
        )
        .child(
            El::html("span")
                .child(El::html("strong").text(label))
                .text(": ")
                .child(El::html("span").class("hint").text(hint)),
        )
    });
    let zip_only = El::html("span").children(leave()[4..].iter().map(|(n, l)| checkbox(n, l)));
    let i18n = crate::lang::i18n();
    let bom_choice = checkbox("bom", t_string!(i18n, export.bom));
    let note = El::html("p")
        .class("note")
        .text(t_string!(i18n, export.note));
    let plan_el = El::html("div")
        .class("export-plan")
        .attr("role", "status")
        .attr("data-testid", "export-plan");
    let status = El::html("div")
        .class("export-run")
        .attr("data-testid", "export-status")
        .attr("aria-live", "polite");
    let start_button = button("button primary", "start", t_string!(i18n, export.start))
        .attr("data-testid", "export-start");
    let cancel_button = button("button", "cancel", t_string!(i18n, export.cancel))
        .attr("data-testid", "export-cancel");
    let [zip_only_el, bom_el, note_el, plan_node, status_el, start_el, cancel_el] = [
        &zip_only,
        &bom_choice,
        &note,
        &plan_el,
        &status,
        &start_button,
        &cancel_button,
    ]
    .map(|e| e.element().clone());
    let dialog = El::html("div")
        .class("dialog export")
        .attr("role", "dialog")
        .attr("aria-modal", "true")
        .attr("aria-labelledby", "dialog-title")
        .attr("tabindex", "-1")
        .attr("data-testid", "export-dialog")
        .child(
            El::html("h2")
                .attr("id", "dialog-title")
                .text(t_string!(i18n, search.export)),
        )
        .child(
            El::html("fieldset")
                .child(El::html("legend").text(t_string!(i18n, export.which)))
                .child(results)
                .child(picked),
        )
        .child(
            El::html("fieldset")
                .child(El::html("legend").text(t_string!(i18n, export.format)))
                .children(formats),
        )
        .child(
            El::html("fieldset")
                .child(El::html("legend").text(t_string!(i18n, export.privacy)))
                .children(leave()[..4].iter().map(|(n, l)| checkbox(n, l)))
                .child(zip_only)
                .child(checkbox("redact-mentions", t_string!(i18n, export.redact)))
                .child(bom_choice)
                .child(note),
        )
        // What will be written, the progress and the buttons stay in view at the bottom of the
        // dialog, however far its choices are scrolled.
        .child(
            El::html("div")
                .class("export-footer")
                .child(plan_el)
                .child(status)
                .child(
                    El::html("div")
                        .class("dialog-buttons")
                        .child(start_button)
                        .child(cancel_button)
                        .child(button("button", "close", t_string!(i18n, dialog.close))),
                ),
        )
        .into_element();

    // The labels of "Which posts", with their counts; the picked posts' radio is off without any.
    let label_text = |label: &web_sys::Element| label.last_child().expect("the label's text");
    let results_text = label_text(&results_label);
    Effect::new(move |_| {
        let total = browse.results.total();
        let text = crate::tr!(
            crate::lang::i18n(),
            export.results,
            posts = format::posts(u64::from(total))
        );
        results_text.set_text_content(Some(&text));
    });
    let picked_text = label_text(&picked_label);
    let picked_radio = picked_label.first_element_child().expect("the radio");
    Effect::new(move |_| {
        let n = browse.picked.with(|p| p.len());
        let text = crate::tr!(
            crate::lang::i18n(),
            export.picked,
            n = format::count(n as u64)
        );
        picked_text.set_text_content(Some(&text));
        toggle(&picked_radio, "disabled", n == 0);
    });
    // The options that belong to some formats only.
    Effect::new(move |_| {
        let f = format_.get();
        toggle(&zip_only_el, "hidden", f != ExportFormat::Zip);
        let csv = matches!(
            f,
            ExportFormat::Csv | ExportFormat::MediaCsv | ExportFormat::PeopleCsv
        );
        toggle(&bom_el, "hidden", !csv);
        let publishing = matches!(f, ExportFormat::Html | ExportFormat::Markdown);
        toggle(&note_el, "hidden", !publishing);
    });
    // The privacy checkboxes follow `leave_out`, which the format also sets (see above).
    let leave_boxes: Vec<(&str, web_sys::HtmlInputElement)> = leave()
        .iter()
        .filter_map(|(name, _)| {
            let input = dialog.query_selector(&format!("[name={name}]")).ok()??;
            Some((*name, input.unchecked_into()))
        })
        .collect();
    Effect::new(move |_| {
        let mut l = leave_out.get();
        for (name, input) in &leave_boxes {
            input.set_checked(leave_flag(&mut l, name).is_some_and(|on| *on));
        }
    });
    Effect::new(move |_| {
        plan_node.set_text_content(Some(&plan_text(plan.get(), format_.get())));
    });
    // Nothing can be changed while an export runs: the fieldsets disable every control in them.
    let fieldsets = dialog.query_selector_all("fieldset").ok();
    let dialog_el = dialog.clone();
    Effect::new(move |was_running: Option<bool>| {
        let running = running();
        let ready = plan.with(
            |p| matches!(p, Some(Ok(p)) if p.posts > 0 || format_.get() == ExportFormat::PeopleCsv),
        );
        toggle(&start_el, "disabled", running || !ready);
        toggle(&cancel_el, "hidden", !running);
        if let Some(fieldsets) = &fieldsets {
            for i in 0..fieldsets.length() {
                if let Some(f) = fieldsets.item(i) {
                    toggle(f.unchecked_ref(), "disabled", running);
                }
            }
        }
        // The keyboard's button disabled or hidden under it would drop the focus to the page
        // behind the dialog: it goes to Cancel as the export starts, and back to Export (or the
        // dialog) as it ends.
        if was_running == Some(!running) {
            let active = document().active_element();
            let lost = active
                .as_ref()
                .is_none_or(|a| a == &start_el || a == &cancel_el || !dialog_el.contains(Some(a)));
            if lost {
                let to = if running {
                    &cancel_el
                } else if ready {
                    &start_el
                } else {
                    &dialog_el
                };
                let _ = to.unchecked_ref::<web_sys::HtmlElement>().focus();
            }
        }
        running
    });
    // The progress (its bar and line updated in place while the export runs), or how it ended.
    let progress = El::html("progress").into_element();
    let writing = El::html("p").into_element();
    Effect::new(move |_| match run.get() {
        Run::Idle => status_el.replace_children_with_node_0(),
        Run::Running { done, total, bytes } => {
            let _ = progress.set_attribute("max", &total.max(1).to_string());
            let _ = progress.set_attribute("value", &done.to_string());
            writing.set_text_content(Some(&crate::tr!(
                crate::lang::i18n(),
                export.writing,
                done = format::count(u64::from(done)),
                total = format::count(u64::from(total)),
                size = format::size(bytes)
            )));
            if progress.parent_node().is_none() {
                status_el.replace_children_with_node_2(&progress, &writing);
            }
        }
        Run::Saved(done) => {
            let text = crate::tr!(
                crate::lang::i18n(),
                export.saved,
                file = done.file_name,
                size = format::size(done.bytes),
                posts = format::posts(u64::from(done.posts)),
                media = crate::plural!(
                    crate::lang::i18n(),
                    n_media_files,
                    u64::from(done.media_files)
                )
            );
            let saved = El::html("p")
                .attr("data-testid", "export-saved")
                .text(&text);
            status_el.replace_children_with_node_1(saved.element());
        }
        Run::Failed(why) => {
            let failed = El::html("p")
                .class("error")
                .attr("role", "alert")
                .text(&why);
            status_el.replace_children_with_node_1(failed.element());
        }
        Run::Cancelled(why) => {
            let said = El::html("p")
                .attr("data-testid", "export-cancelled")
                .text(&why);
            status_el.replace_children_with_node_1(said.element());
        }
    });

    // One change handler for every control: which one it was is in its name and value.
    let on_change = move |ev: leptos::ev::Event| {
        let Some(input) = ev
            .target()
            .and_then(|t| t.dyn_into::<web_sys::HtmlInputElement>().ok())
        else {
            return;
        };
        let (name, value, on) = (input.name(), input.value(), input.checked());
        match name.as_str() {
            "export-what" if value == "picked" => what.set(What::Picked),
            "export-what" => what.set(What::Results),
            "export-format" => {
                if let Some((f, ..)) = format_choices().into_iter().find(|f| f.0.as_str() == value)
                {
                    format_.set(f);
                }
            }
            "redact-mentions" => redact.set(on),
            "bom" => bom.set(on),
            name => leave_out.update(|l| {
                if let Some(flag) = leave_flag(l, name) {
                    *flag = on;
                }
            }),
        }
    };
    // One click handler: a click outside the dialog closes it, and the buttons say what they do.
    let on_click = move |ev: leptos::ev::MouseEvent| {
        if ev.target() == ev.current_target() {
            browse.close_overlay();
            return;
        }
        let Some(button) = target_element(ev.target())
            .and_then(|el| el.closest("button[data-action]").ok().flatten())
        else {
            return;
        };
        if button.has_attribute("disabled") {
            return;
        }
        match button.get_attribute("data-action").as_deref() {
            Some("start") => start(),
            Some("cancel") => cancel(),
            Some("close") => {
                browse.close_overlay();
            }
            _ => {}
        }
    };

    let overlay = NodeRef::<html::Div>::new();
    Effect::new(move |_| {
        if let Some(overlay) = overlay.get() {
            overlay.replace_children_with_node_1(&dialog);
            let _ = dialog.unchecked_ref::<web_sys::HtmlElement>().focus();
        }
    });
    view! {
        <div
            class="overlay"
            node_ref=overlay
            on:click=on_click
            on:change=on_change
            on:focusin=|ev| super::dom::show_above_footer(ev.target())
        ></div>
    }
}

/// What the plan says, in a sentence or two.
fn plan_text(plan: Option<Result<ExportPlan, String>>, format: ExportFormat) -> String {
    let i18n = crate::lang::i18n();
    let plan = match plan {
        None => return t_string!(i18n, export.counting).into(),
        Some(Err(message)) => return message,
        Some(Ok(plan)) => plan,
    };
    let media = crate::plural!(i18n, n_media_files, u64::from(plan.media_files));
    let posts = format::posts(u64::from(plan.posts));
    let what = match format {
        ExportFormat::PeopleCsv => t_string!(i18n, export.people_from).to_string(),
        ExportFormat::MediaCsv => crate::tr!(i18n, export.media_from, media = media, posts = posts),
        _ if plan.media_files > 0 => crate::tr!(
            i18n,
            export.with_media,
            posts = posts,
            media = media,
            size = format::size(plan.media_bytes)
        ),
        _ => posts,
    };
    let mut text = crate::tr!(i18n, export.written_to, what = what, file = plan.file_name);
    let l = &plan.left_out;
    let mut out = Vec::new();
    let n = |n: u32| (n > 0).then_some(u64::from(n));
    if let Some(n) = n(l.followers) {
        out.push(crate::plural!(i18n, n_followers_only, n));
    }
    if let Some(n) = n(l.direct) {
        out.push(crate::plural!(i18n, n_direct, n));
    }
    if let Some(n) = n(l.boosts) {
        out.push(crate::plural!(i18n, n_boosts, n));
    }
    if let Some(n) = n(l.media_files) {
        out.push(crate::plural!(i18n, n_media_files, n));
    }
    if let Some(n) = n(l.likes) {
        out.push(crate::plural!(i18n, n_likes, n));
    }
    if let Some(n) = n(l.bookmarks) {
        out.push(crate::plural!(i18n, n_bookmarks, n));
    }
    if !out.is_empty() {
        text.push_str(&crate::tr!(i18n, export.left_out, list = out.join(", ")));
    }
    if l.mentions > 0 {
        text.push_str(&crate::tr!(
            i18n,
            export.replaced,
            mentions = crate::plural!(i18n, n_mentions, u64::from(l.mentions))
        ));
    }
    text
}

/// Saves the parts as one file through a normal browser download.
fn save(parts: &js_sys::Array, name: &str, mime: &str) -> Result<(), String> {
    let options = web_sys::BlobPropertyBag::new();
    options.set_type(mime);
    let blob = web_sys::Blob::new_with_blob_sequence_and_options(parts, &options)
        .map_err(|e| permafrost_protocol::wire::describe(&e))?;
    let url = web_sys::Url::create_object_url_with_blob(&blob)
        .map_err(|e| permafrost_protocol::wire::describe(&e))?;
    let a: web_sys::HtmlAnchorElement = document()
        .create_element("a")
        .map_err(|e| permafrost_protocol::wire::describe(&e))?
        .unchecked_into();
    a.set_href(&url);
    a.set_download(name);
    a.click();
    // The download has started from the URL; it is no longer needed after that.
    set_timeout(
        move || {
            let _ = web_sys::Url::revoke_object_url(&url);
        },
        std::time::Duration::from_secs(60),
    );
    Ok(())
}

/// Opens the Export dialog.
pub fn open(browse: Browse) {
    browse.open_dialog(Dialog::Export);
}
