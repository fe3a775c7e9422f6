//! The frame shared by the bar and line charts: their size, the vertical scale on round ticks,
//! and the horizontal grid lines with their labels.

use leptos::prelude::*;

use super::geometry::{Scale, nice_ticks};

/// Width of the drawing, in SVG units.
pub const W: f64 = 640.0;
/// Height of the drawing.
pub const H: f64 = 260.0;
/// Room for the y labels.
pub const LEFT: f64 = 56.0;
/// Room for the category labels.
pub const BOTTOM: f64 = 28.0;

/// The vertical scale for values from `lo` to `hi`, and its round tick values.
pub fn y_scale(lo: f64, hi: f64) -> (Scale, Vec<f64>) {
    let ticks = nice_ticks(lo, hi, 4);
    let y = Scale { domain: (ticks[0], *ticks.last().unwrap_or(&hi)), range: (H - BOTTOM, 10.0) };
    (y, ticks)
}

/// Horizontal grid lines at `ticks`, labelled with `tick`.
#[component]
pub fn YAxis(ticks: Vec<f64>, y: Scale, tick: fn(f64) -> String) -> impl IntoView {
    ticks
        .into_iter()
        .map(|t| {
            let py = y.at(t);
            view! {
                <g class="axis">
                    <line x1=LEFT x2=W y1=py y2=py/>
                    <text x=LEFT - 6.0 y=py + 4.0 text-anchor="end">{tick(t)}</text>
                </g>
            }
        })
        .collect_view()
}
