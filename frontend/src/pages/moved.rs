//! Addresses that moved: an old link (a bookmark, an e-mail) still lands on the page it named,
//! with its query and fragment, and the history keeps only the new address.

use leptos::prelude::*;
use leptos_router::NavigateOptions;
use leptos_router::hooks::{use_location, use_navigate};

/// Replaces the current address with `to`, keeping `?query` and `#fragment`.
#[component]
pub fn MovedTo(to: &'static str) -> impl IntoView {
    let location = use_location();
    let navigate = use_navigate();
    let search = location.search.get_untracked();
    let hash = location.hash.get_untracked();
    let query = if search.is_empty() || search.starts_with('?') { search } else { format!("?{search}") };
    let fragment = if hash.is_empty() || hash.starts_with('#') { hash } else { format!("#{hash}") };
    let target = format!("{to}{query}{fragment}");
    request_animation_frame(move || navigate(&target, NavigateOptions { replace: true, ..Default::default() }));
}
