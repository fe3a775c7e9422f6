//! The browser tab's title: each page names itself, so tabs and history read "Home · Tierdash"
//! rather than a row of "Tierdash".

/// Sets the document title to `page · Tierdash`.
pub fn set_title(page: &str) {
    if let Some(document) = web_sys::window().and_then(|w| w.document()) {
        document.set_title(&format!("{page} · Tierdash"));
    }
}
