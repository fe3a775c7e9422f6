//! A resource's value as a view, the same way on every page: `<Transition>` shows "Loading…" the
//! first time and keeps the page as it is while it loads again (another day, another page of a
//! list), and `<ErrorBoundary>` shows a failure with [`ErrorView`] — its title, detail, fields and
//! a way back — instead of each page matching loading, error and ready by hand.

use leptos::prelude::*;

use super::states::{ErrorView, Loading};
use crate::api::ApiFailure;

impl std::error::Error for ApiFailure {}

/// Shows `view` of `data` once it has loaded.
#[component]
pub fn Loaded<T, V, F>(data: LocalResource<Result<T, ApiFailure>>, view: F) -> impl IntoView
where
    T: Clone + Send + Sync + 'static,
    V: IntoView + 'static,
    F: Fn(T) -> V + Clone + Send + Sync + 'static,
{
    let fallback = |errors: ArcRwSignal<Errors>| {
        move || {
            errors
                .get()
                .into_iter()
                .map(|(_, error)| {
                    let failure = error
                        .downcast_ref::<ApiFailure>()
                        .cloned()
                        .unwrap_or_else(|| ApiFailure::Decode(error.to_string()));
                    view! { <ErrorView error=failure/> }
                })
                .collect_view()
        }
    };
    view! {
        <Transition fallback=|| view! { <Loading/> }>
            <ErrorBoundary fallback=fallback>
                {move || {
                    let view = view.clone();
                    Suspend::new(async move { data.await.map(view) })
                }}
            </ErrorBoundary>
        </Transition>
    }
}
