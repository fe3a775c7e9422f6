//! Links that name a part of a page (`/home/revenue#by-customer`) land on it: the browser
//! scrolls to a fragment only when the page loads, before our data arrives, so a page calls
//! [`scroll_to_fragment`] once the part is drawn.

/// Scrolls the element the address's `#fragment` names into view, if there is one.
pub fn scroll_to_fragment() {
    let Some(window) = web_sys::window() else { return };
    let Ok(hash) = window.location().hash() else { return };
    let id = hash.trim_start_matches('#');
    if id.is_empty() {
        return;
    }
    let id = id.to_owned();
    leptos::prelude::request_animation_frame(move || {
        if let Some(element) = web_sys::window().and_then(|w| w.document()).and_then(|d| d.get_element_by_id(&id)) {
            element.scroll_into_view();
        }
    });
}
