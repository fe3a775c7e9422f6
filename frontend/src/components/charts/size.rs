//! The width a chart is drawn at: its container's, in CSS pixels, read when it is mounted and
//! whenever the window is resized. Drawing at the real width keeps text at its real size; a
//! fixed viewBox scaled to a phone's width shrank it to a few pixels.

use std::sync::atomic::{AtomicUsize, Ordering};

use leptos::ev;
use leptos::html::Div;
use leptos::prelude::*;

/// The width of `node` in CSS pixels, kept up to date.
pub fn use_width(node: NodeRef<Div>) -> ReadSignal<f64> {
    let (width, set_width) = signal(guess());
    let measure = move || {
        if let Some(el) = node.get_untracked() {
            let w = f64::from(el.client_width());
            if w > 0.0 && w != width.get_untracked() {
                set_width.set(w);
            }
        }
    };
    Effect::new(move |_| {
        if node.get().is_some() {
            measure();
            // The chart itself may add the page's scroll bar, narrowing its container once drawn.
            request_animation_frame(measure);
        }
    });
    let handle = window_event_listener(ev::resize, move |_| measure());
    on_cleanup(move || handle.remove());
    width
}

/// A first width before the container is measured: about the window's, less the page's padding.
fn guess() -> f64 {
    web_sys::window()
        .and_then(|w| w.inner_width().ok())
        .and_then(|w| w.as_f64())
        .map(|w| (w - 64.0).clamp(280.0, 960.0))
        .unwrap_or(640.0)
}

/// An id unique in the page, for SVG definitions (patterns) that a chart refers to by id:
/// several charts on one page must not share one.
pub fn unique_id(prefix: &str) -> String {
    static NEXT: AtomicUsize = AtomicUsize::new(0);
    format!("{prefix}-{}", NEXT.fetch_add(1, Ordering::Relaxed))
}
