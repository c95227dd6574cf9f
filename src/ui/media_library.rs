//! The Media tab: every attachment of the query's posts, month by month, and the alt-text audit.

use leptos::prelude::*;

/// The tab.
#[component]
pub fn MediaPanel() -> impl IntoView {
    view! { <section class="media-library" data-testid="media-library"></section> }
}
