//! A button that downloads an API answer as CSV (with the session's token, which a plain link
//! could not send), showing what went wrong when it fails.

use leptos::prelude::*;
use leptos::task::spawn_local;

use super::ErrorView;
use crate::api::{self, ApiFailure};

/// Downloads `path` (an API path with its query) as CSV named `file`.
pub fn csv_button(path: String, file: String, testid: &'static str) -> impl IntoView {
    let failure = RwSignal::new(None::<ApiFailure>);
    let download = move |_| {
        let (path, file) = (path.clone(), file.clone());
        spawn_local(async move { failure.set(api::download_csv(&path, &file).await.err()) });
    };
    view! {
        <button type="button" class="secondary" data-testid=testid on:click=download>"Download CSV"</button>
        {move || failure.get().map(|e| view! { <ErrorView error=e/> })}
    }
}
