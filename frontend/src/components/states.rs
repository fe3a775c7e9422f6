//! Loading, empty and error states, the same everywhere.

use leptos::prelude::*;

use crate::api::ApiFailure;

/// Shown while data is on its way.
#[component]
pub fn Loading() -> impl IntoView {
    view! { <div class="state" role="status" aria-live="polite" data-testid="loading">"Loading…"</div> }
}

/// Shown when there is nothing to show, with what the user can do about it.
#[component]
pub fn Empty(#[prop(into)] message: String) -> impl IntoView {
    view! { <div class="state" data-testid="empty">{message}</div> }
}

/// Shown when a call failed.
#[component]
pub fn ErrorView(error: ApiFailure) -> impl IntoView {
    view! { <div class="state error" role="alert" data-testid="error">{error.to_string()}</div> }
}
