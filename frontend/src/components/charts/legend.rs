//! A legend under a chart: every series' colour and name, and the key to the month-to-date
//! marking when a chart has a partial month.

use leptos::prelude::*;

use super::colour;

/// Names with their colours; `to_date` names the swatch class of the partial-month key
/// (`hatched` for bars, `dashed` for lines), shown only when given.
#[component]
pub fn Legend(names: Vec<String>, #[prop(default = None)] to_date: Option<&'static str>) -> impl IntoView {
    let items = names
        .into_iter()
        .enumerate()
        .map(|(i, name)| {
            let style = format!("background:{}", colour(i));
            view! { <li><span class="swatch" style=style></span>{name}</li> }
        })
        .collect_view();
    let key = to_date.map(|class| {
        view! { <li class="to-date"><span class=format!("swatch {class}")></span>"Month to date (not yet complete)"</li> }
    });
    view! { <ul class="legend">{items}{key}</ul> }
}
