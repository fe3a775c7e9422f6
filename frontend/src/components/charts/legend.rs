//! A legend under a chart.

use leptos::prelude::*;

use super::colour;

/// Names with their colours.
#[component]
pub fn Legend(names: Vec<String>) -> impl IntoView {
    let items = names
        .into_iter()
        .enumerate()
        .map(|(i, name)| {
            let style = format!("background:{}", colour(i));
            view! { <li><span class="swatch" style=style></span>{name}</li> }
        })
        .collect_view();
    view! { <ul class="legend">{items}</ul> }
}
