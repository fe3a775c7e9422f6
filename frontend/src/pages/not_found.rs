use leptos::prelude::*;
use leptos_router::components::A;

/// A path the app does not know.
#[component]
pub fn NotFound() -> impl IntoView {
    view! {
        <h1>"Page not found"</h1>
        <p>"There is nothing at this address. " <A href="/">"Go to Home"</A></p>
    }
}
