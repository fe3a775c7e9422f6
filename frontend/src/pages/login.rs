//! The login page. After logging in the user goes back to the page that sent it here.

use leptos::prelude::*;
use leptos::task::spawn_local;
use leptos_router::hooks::{use_navigate, use_query_map};

use crate::api::{self, ApiFailure};

/// Only a path of this app may be the destination (no `//evil.example` open redirect).
pub fn safe_next(next: Option<String>) -> String {
    match next {
        Some(n) if n.starts_with('/') && !n.starts_with("//") && !n.starts_with("/login") => n,
        _ => "/".into(),
    }
}

/// E-mail and password.
#[component]
pub fn Login() -> impl IntoView {
    let email = RwSignal::new(String::new());
    let password = RwSignal::new(String::new());
    let error = RwSignal::new(None::<String>);
    let busy = RwSignal::new(false);
    let query = use_query_map();
    let navigate = use_navigate();
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        busy.set(true);
        error.set(None);
        let next = safe_next(query.get_untracked().get("next"));
        let navigate = navigate.clone();
        spawn_local(async move {
            match api::login(email.get_untracked(), password.get_untracked()).await {
                Ok(_) => navigate(&next, Default::default()),
                Err(ApiFailure::Problem(p)) if p.status == 401 => {
                    error.set(Some("The e-mail or password is wrong.".into()))
                }
                Err(e) => error.set(Some(e.to_string())),
            }
            busy.set(false);
        });
    };
    view! {
        <main class="login panel">
            <h1>"Log in to Tierdash"</h1>
            <form on:submit=submit data-testid="login-form">
                <div class="field">
                    <label for="email">"E-mail"</label>
                    <input id="email" type="email" autocomplete="username" required data-testid="email"
                        prop:value=move || email.get() on:input=move |ev| email.set(event_target_value(&ev))/>
                </div>
                <div class="field">
                    <label for="password">"Password"</label>
                    <input id="password" type="password" autocomplete="current-password" required data-testid="password"
                        prop:value=move || password.get() on:input=move |ev| password.set(event_target_value(&ev))/>
                </div>
                {move || error.get().map(|e| view! { <p class="error" role="alert" data-testid="login-error">{e}</p> })}
                <button type="submit" data-testid="login-submit" disabled=move || busy.get()>"Log in"</button>
            </form>
        </main>
    }
}

#[cfg(test)]
mod tests {
    use super::safe_next;

    #[test]
    fn only_local_paths_are_followed_after_login() {
        assert_eq!(safe_next(Some("/organizations/7".into())), "/organizations/7");
        assert_eq!(safe_next(Some("//evil.example/x".into())), "/");
        assert_eq!(safe_next(Some("https://evil.example".into())), "/");
        assert_eq!(safe_next(Some("/login".into())), "/");
        assert_eq!(safe_next(None), "/");
    }
}
