//! A line chart over categories (months), one line per series.

use leptos::prelude::*;

use super::axis::{H, LEFT, W, YAxis, y_scale};
use super::geometry::{Scale, extent};
use super::legend::Legend;
use super::{Series, colour};

/// Lines over `categories`, with a y axis whose tick labels `tick` formats.
#[component]
pub fn LineChart(
    categories: Vec<String>,
    series: Vec<Series>,
    #[prop(into)] title: String,
    tick: fn(f64) -> String,
) -> impl IntoView {
    let tip = RwSignal::new(String::new());
    let (lo, hi) = extent(series.iter().flat_map(|s| s.values.iter().copied()));
    let (y, ticks) = y_scale(lo, hi);
    let x = Scale { domain: (0.0, (categories.len().max(2) - 1) as f64), range: (LEFT + 10.0, W - 10.0) };
    let grid = view! { <YAxis ticks=ticks y=y tick=tick/> };
    let labels = categories
        .iter()
        .enumerate()
        .map(|(i, c)| view! { <g class="axis"><text x=x.at(i as f64) y=H - 8.0 text-anchor="middle">{c.clone()}</text></g> })
        .collect_view();
    let lines = series
        .iter()
        .enumerate()
        .map(|(n, s)| {
            let d: String = s
                .values
                .iter()
                .enumerate()
                .map(|(i, v)| format!("{}{:.1},{:.1}", if i == 0 { "M" } else { "L" }, x.at(i as f64), y.at(*v)))
                .collect();
            let points = s
                .values
                .iter()
                .enumerate()
                .map(|(i, v)| {
                    let text = format!("{} · {}: {}", s.name, categories.get(i).cloned().unwrap_or_default(), s.shown.get(i).cloned().unwrap_or_default());
                    let hover = text.clone();
                    view! {
                        <circle cx=x.at(i as f64) cy=y.at(*v) r="4" fill=colour(n) tabindex="0"
                            on:mouseenter=move |_| tip.set(hover.clone()) on:focus={let t = text.clone(); move |_| tip.set(t.clone())}>
                            <title>{text.clone()}</title>
                        </circle>
                    }
                })
                .collect_view();
            view! { <g><path d=d fill="none" stroke=colour(n) stroke-width="2"/>{points}</g> }
        })
        .collect_view();
    let names = series.iter().map(|s| s.name.clone()).collect();
    view! {
        <figure class="chart" data-testid="line-chart">
            <svg viewBox=format!("0 0 {W} {H}") role="img" aria-label=title.clone()>{grid}{labels}{lines}</svg>
            <div class="tip" aria-live="polite">{move || tip.get()}</div>
            <Legend names=names/>
        </figure>
    }
}
