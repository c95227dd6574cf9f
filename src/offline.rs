//! Offline use: registers the service worker (assets/sw.js, which keeps the app's own files so
//! that the page opens with the network off) and, when a new version of the app has installed and
//! waits for the open pages of the old one, shows a notice whose Reload button lets it take over.
//!
//! The page is served by one version at a time: the old version serves it until the reload, the
//! new one after. Where there are no service workers (an insecure origin, `file://`, an old
//! browser, a browser that refuses them) nothing happens and the app works as before, online.

use std::{cell::Cell, rc::Rc};

use wasm_bindgen::{closure::Closure, JsCast, JsValue};
use web_sys::{ServiceWorkerContainer, ServiceWorkerRegistration};

use crate::i18n::t_string;
use crate::ui::dom::El;

/// Registers the service worker and watches for a new version (called once, at start).
pub fn register() {
    let container = leptos::prelude::window().navigator().service_worker();
    // Where service workers are unavailable `navigator.serviceWorker` is missing altogether.
    if container.is_undefined() {
        return;
    }
    leptos::task::spawn_local(async move {
        // A refusal (blocked, or `file://`) leaves the app as it is, online only.
        let Ok(registration) =
            wasm_bindgen_futures::JsFuture::from(container.register("sw.js")).await
        else {
            return;
        };
        // Playwright's `serviceWorkers: "block"` (the end-to-end tests) answers with nothing.
        let Ok(registration) = registration.dyn_into::<ServiceWorkerRegistration>() else {
            return;
        };
        let shown = Rc::new(Cell::new(false));
        let (reg, cont) = (registration.clone(), container.clone());
        // Owned by the registration (freed with it): `into_js_value`, as with every closure here.
        let on_change = function(Closure::new(move || check(&reg, &cont, &shown)));
        registration.set_onupdatefound(Some(&on_change));
        // An update the page's own load started may be under way, or done, already.
        let _ = on_change.call0(&JsValue::NULL);
    });
}

/// Follows the version being installed (the same handler, on its state changes) and shows the
/// notice once one waits. None is shown on the first visit: no older version serves the page.
fn check(reg: &ServiceWorkerRegistration, container: &ServiceWorkerContainer, shown: &Cell<bool>) {
    if let Some(installing) = reg.installing() {
        installing.set_onstatechange(reg.onupdatefound().as_ref());
    }
    if reg.waiting().is_some() && container.controller().is_some() && !shown.replace(true) {
        notice(reg.clone(), container.clone());
    }
}

/// "A new version is ready. \[Reload\]": the button tells the waiting version to take over, and
/// reloads once it has (at once, if another tab already let it).
fn notice(reg: ServiceWorkerRegistration, container: ServiceWorkerContainer) {
    let button = El::html("button")
        .class("button primary")
        .attr("type", "button")
        .attr("data-testid", "update-reload")
        .text(t_string!(crate::lang::i18n(), offline.reload));
    let on_click = function(Closure::new(move || match reg.waiting() {
        Some(waiting) => {
            container.set_oncontrollerchange(Some(&function(Closure::new(reload))));
            let _ = waiting.post_message(&JsValue::from_str("skip-waiting"));
        }
        None => reload(),
    }));
    let _ = button
        .element()
        .add_event_listener_with_callback("click", &on_click);
    let notice = El::html("div")
        .class("update-notice")
        .attr("role", "status")
        .attr("data-testid", "update")
        .child(El::html("span").text(t_string!(crate::lang::i18n(), offline.ready)))
        .child(button);
    if let Some(body) = leptos::prelude::document().body() {
        let _ = body.append_child(&notice.into_element());
    }
}

/// A closure handed to the browser, which owns it from then on.
fn function(closure: Closure<dyn Fn()>) -> js_sys::Function {
    closure.into_js_value().unchecked_into()
}

fn reload() {
    let _ = leptos::prelude::window().location().reload();
}
