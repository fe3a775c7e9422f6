//! A line chart over categories (months), one line per series.

use leptos::prelude::*;

use super::geometry::{Scale, extent, nice_ticks};
use super::legend::Legend;
use super::{Series, colour};

const W: f64 = 640.0;
const H: f64 = 260.0;
const LEFT: f64 = 56.0;
const BOTTOM: f64 = 28.0;

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
    let ticks = nice_ticks(lo, hi, 4);
    let y = Scale { domain: (ticks[0], *ticks.last().unwrap_or(&hi)), range: (H - BOTTOM, 10.0) };
    let x = Scale { domain: (0.0, (categories.len().max(2) - 1) as f64), range: (LEFT + 10.0, W - 10.0) };
    let grid = ticks
        .iter()
        .map(|t| {
            let py = y.at(*t);
            view! {
                <g class="axis">
                    <line x1=LEFT x2=W y1=py y2=py/>
                    <text x=LEFT - 6.0 y=py + 4.0 text-anchor="end">{tick(*t)}</text>
                </g>
            }
        })
        .collect_view();
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
