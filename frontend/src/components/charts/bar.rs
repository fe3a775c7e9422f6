//! A bar chart over categories: series side by side, or stacked.

use leptos::prelude::*;

use super::axis::{H, LEFT, W, YAxis, y_scale};
use super::geometry::{extent, stack};
use super::legend::Legend;
use super::{Series, colour};

/// Bars over `categories`; `stacked` piles the series up instead of grouping them.
#[component]
pub fn BarChart(
    categories: Vec<String>,
    series: Vec<Series>,
    #[prop(into)] title: String,
    #[prop(optional)] stacked: bool,
    tick: fn(f64) -> String,
) -> impl IntoView {
    let tip = RwSignal::new(String::new());
    let n = categories.len().max(1);
    let spans = stack(&series.iter().map(|s| s.values.clone()).collect::<Vec<_>>(), n);
    let (lo, hi) = if stacked {
        extent(spans.iter().flatten().flat_map(|(a, b)| [*a, *b]))
    } else {
        extent(series.iter().flat_map(|s| s.values.iter().copied()))
    };
    let (y, ticks) = y_scale(lo, hi);
    let band = (W - LEFT - 10.0) / n as f64;
    let grid = view! { <YAxis ticks=ticks y=y tick=tick/> };
    let labels = categories
        .iter()
        .enumerate()
        .map(|(i, c)| {
            view! { <g class="axis"><text x=LEFT + band * (i as f64 + 0.5) y=H - 8.0 text-anchor="middle">{c.clone()}</text></g> }
        })
        .collect_view();
    let groups = series.len().max(1);
    let mut bars = Vec::new();
    for (s, one) in series.iter().enumerate() {
        for (c, value) in one.values.iter().copied().enumerate().take(n) {
            let (bottom, top) = if stacked { spans[s][c] } else { (value.min(0.0), value.max(0.0)) };
            let (bx, bw) = if stacked {
                (LEFT + band * c as f64 + band * 0.15, band * 0.7)
            } else {
                let w = band * 0.8 / groups as f64;
                (LEFT + band * c as f64 + band * 0.1 + w * s as f64, w)
            };
            let text = format!(
                "{} · {}: {}",
                one.name,
                categories.get(c).cloned().unwrap_or_default(),
                one.shown.get(c).cloned().unwrap_or_default()
            );
            let (hover, focus) = (text.clone(), text.clone());
            bars.push(view! {
                <rect x=bx y=y.at(top) width=bw height=(y.at(bottom) - y.at(top)).max(0.0) fill=colour(s) tabindex="0"
                    on:mouseenter=move |_| tip.set(hover.clone()) on:focus=move |_| tip.set(focus.clone())>
                    <title>{text}</title>
                </rect>
            });
        }
    }
    let names = series.iter().map(|s| s.name.clone()).collect();
    view! {
        <figure class="chart" data-testid=if stacked { "stacked-bar-chart" } else { "bar-chart" }>
            <svg viewBox=format!("0 0 {W} {H}") role="img" aria-label=title.clone()>{grid}{labels}{bars}</svg>
            <div class="tip" aria-live="polite">{move || tip.get()}</div>
            <Legend names=names/>
        </figure>
    }
}
