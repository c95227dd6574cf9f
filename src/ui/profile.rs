//! The profile header, from actor.json: images from the archive, name, bio and fields (rendered
//! from the rich-text tree), join date, counts, and what the archive cannot tell.

use super::media::{use_media, MediaState};
use super::rich_text::{external_link, rich_text};
use crate::app::AppState;
use crate::format::{self, DateStyle};
use crate::i18n::t_string;
use leptos::prelude::*;
use permafrost_protocol::{MediaRef, Opened, Summary};
use std::sync::Arc;

/// The profile header: of the archive, or with several accounts open, of account `account`.
#[component]
pub fn Profile(
    /// The open archive.
    opened: Arc<Opened>,
    /// With several accounts open: which one (an index in `Opened::accounts`).
    account: Option<usize>,
    /// The archive's summary now: it changes when CSV exports are added after opening (the
    /// following count with a following_accounts.csv).
    live: Memo<Arc<Summary>>,
) -> impl IntoView {
    let state = expect_context::<AppState>();
    let one =
        account.and_then(|i| Some((i, opened.accounts.get(i)?, opened.summary.accounts.get(i)?)));
    let summary = one.map_or(&opened.summary, |(_, _, s)| s);
    let (actor, has_avatar, has_header, avatar_ref, header_ref) = match one {
        Some((i, a, _)) => (
            a.actor.clone(),
            a.has_avatar,
            a.has_header,
            MediaRef::AccountAvatar { account: i as u32 },
            MediaRef::AccountHeader { account: i as u32 },
        ),
        None => (
            opened.actor.clone(),
            opened.has_avatar,
            opened.has_header,
            MediaRef::Avatar,
            MediaRef::Header,
        ),
    };
    let no_highlights = Arc::new(Vec::new());
    let i18n = crate::lang::i18n();
    let actor = actor.unwrap_or_default();
    let name = if actor.display_name.is_empty() {
        summary
            .account
            .handle
            .clone()
            .unwrap_or_else(|| t_string!(i18n, profile.your_archive).into())
    } else {
        actor.display_name.clone()
    };
    let handle = (!actor.handle.is_empty()).then(|| format!("@{}", actor.handle));
    let header = has_header.then(|| {
        image(
            header_ref,
            "profile-header-image",
            String::new(),
            String::new(),
        )
    });
    let avatar_alt = actor
        .avatar
        .as_ref()
        .and_then(|a| a.alt.clone())
        .unwrap_or_else(|| crate::tr!(i18n, profile.avatar, name = name));
    let initial: String = name
        .trim_start_matches('@')
        .chars()
        .next()
        .map(|c| c.to_uppercase().collect())
        .unwrap_or_default();
    let avatar =
        has_avatar.then(|| image(avatar_ref, "profile-avatar", avatar_alt, initial.clone()));
    let bio = (!actor.bio.is_empty())
        .then(|| view! { <div class="profile-bio">{rich_text(&actor.bio, &no_highlights)}</div> });
    let fields = (!actor.fields.is_empty()).then(|| {
        let rows = actor
            .fields
            .iter()
            .map(|f| view! { <dt>{f.name.clone()}</dt><dd>{rich_text(&f.value, &no_highlights)}</dd> })
            .collect_view();
        view! { <dl class="profile-fields" data-testid="profile-fields">{rows}</dl> }
    });
    let created = actor.created.map(|t| {
        view! { <li>{move || crate::tr!(i18n, profile.joined, date = format::date(t, &state.time_zone.get(), DateStyle::Month))}</li> }
    });
    let posts = format::posts(summary.posts as u64);
    let following = move || {
        live.with(|s| {
            let s = account.map_or(Some(&**s), |i| s.accounts.get(i))?;
            s.following.map(|n| {
                view! { <li>{crate::tr!(i18n, profile.following, n = format::count(n as u64))}</li> }
            })
        })
    };
    let page = actor.url.clone().map(|href| {
        let label = t_string!(i18n, profile.page);
        view! { <li>{external_link(&href, label.into_any(), label, label)}</li> }
    });
    view! {
        <section class="profile" aria-label=t_string!(i18n, profile.profile) data-testid="profile">
            {header}
            <div class="profile-body">
                {avatar.unwrap_or_else(|| placeholder(&initial).into_any())}
                <div class="profile-names">
                    <h1 data-testid="profile-name">{name}</h1>
                    <p class="profile-handle">{handle}</p>
                </div>
                {bio}
                {fields}
                <ul class="profile-meta">
                    {created}
                    <li>{posts}</li>
                    {following}
                    {page}
                </ul>
                <p class="profile-note">
                    {t_string!(i18n, profile.note)}
                </p>
            </div>
        </section>
    }
}

fn image(media: MediaRef, class: &'static str, alt: String, initial: String) -> AnyView {
    view! { <ProfileImage media=media class=class alt=alt initial=initial/> }.into_any()
}

/// Where there is no avatar (or it cannot be read): the name's first letter on a tile.
fn placeholder(initial: &str) -> impl IntoView {
    view! {
        <span class="profile-avatar avatar-placeholder" aria-hidden="true" data-testid="avatar-placeholder">
            {initial.to_string()}
        </span>
    }
}

#[component]
fn ProfileImage(
    media: MediaRef,
    class: &'static str,
    alt: String,
    /// For the avatar's placeholder.
    initial: String,
) -> impl IntoView {
    let state = use_media(media);
    move || match state.get() {
        MediaState::Ready(url) => view! { <img class=class src=url alt=alt.clone()/> }.into_any(),
        _ if class == "profile-avatar" => placeholder(&initial).into_any(),
        _ => view! { <span class=class aria-hidden="true"></span> }.into_any(),
    }
}
