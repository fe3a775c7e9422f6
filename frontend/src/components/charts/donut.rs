//! A donut (a pie with a hole): shares of a whole.

use leptos::prelude::*;

use super::geometry::{donut_arc, donut_fractions};
use super::legend::Legend;
use super::{Slice, colour};

/// Slices of a whole, with the total shown in the middle.
#[component]
pub fn DonutChart(slices: Vec<Slice>, #[prop(into)] title: String, #[prop(into)] total: String) -> impl IntoView {
    let tip = RwSignal::new(String::new());
    let fractions = donut_fractions(&slices.iter().map(|s| s.value).collect::<Vec<_>>());
    let arcs = slices
        .iter()
        .zip(fractions)
        .enumerate()
        .filter(|(_, (_, (a, b)))| b > a)
        .map(|(i, (slice, (a, b)))| {
            let text = format!("{}: {}", slice.name, slice.shown);
            let (hover, focus) = (text.clone(), text.clone());
            view! {
                <path d=donut_arc(100.0, 100.0, 58.0, 95.0, a, b) fill=colour(i) tabindex="0"
                    on:mouseenter=move |_| tip.set(hover.clone()) on:focus=move |_| tip.set(focus.clone())>
                    <title>{text}</title>
                </path>
            }
        })
        .collect_view();
    let names = slices.iter().map(|s| format!("{} ({})", s.name, s.shown)).collect();
    view! {
        <figure class="chart" data-testid="donut-chart">
            <svg viewBox="0 0 200 200" role="img" aria-label=title.clone() style="max-width:240px;margin:auto">
                {arcs}
                <text x="100" y="106" text-anchor="middle" font-size="20" font-weight="650">{total}</text>
            </svg>
            <div class="tip" aria-live="polite">{move || tip.get()}</div>
            <Legend names=names/>
        </figure>
    }
}
