//! The access token, in the browser's session storage: it lives as long as the tab, never on
//! disk beyond it, and is gone after logout.

const KEY: &str = "tierdash.token";

fn storage() -> Option<web_sys::Storage> {
    web_sys::window()?.session_storage().ok()?
}

/// The current token, if logged in.
pub fn token() -> Option<String> {
    storage()?.get_item(KEY).ok()?.filter(|t| !t.is_empty())
}

/// Keeps a new token.
pub fn set_token(token: &str) {
    if let Some(s) = storage() {
        let _ = s.set_item(KEY, token);
    }
}

/// Forgets the token (logout, or a 401).
pub fn clear() {
    if let Some(s) = storage() {
        let _ = s.remove_item(KEY);
    }
}

/// The page being shown, path and query, to come back to after logging in.
pub fn current_path() -> String {
    web_sys::window()
        .and_then(|w| {
            let l = w.location();
            Some(format!("{}{}", l.pathname().ok()?, l.search().ok()?))
        })
        .unwrap_or_else(|| "/".into())
}

/// Sends the browser to the login page, remembering where it was.
pub fn go_to_login() {
    clear();
    let next = current_path();
    let target = if next == "/" || next.starts_with("/login") {
        "/login".to_owned()
    } else {
        format!("/login?next={}", String::from(js_sys::encode_uri_component(&next)))
    };
    if let Some(w) = web_sys::window() {
        let _ = w.location().set_href(&target);
    }
}
