//! The frame shared by the bar and line charts at the width they are drawn: the vertical scale
//! on round ticks, grid lines, and the labels of both axes (marked `data-testid="y-label"` and
//! `"x-label"`, so a browser test can check that none overlap or are cut).

use leptos::prelude::*;

use super::geometry::{Scale, nice_ticks_at_least};
use super::layout::{FONT, Frame, Spread, TICK_PAD, frame, plot_height, tick_count};

/// What the axes show: the categories along x, and how y ticks are spaced and written.
pub struct AxesSpec<'a> {
    /// One label per category.
    pub categories: &'a [String],
    /// Bars in bands or line points.
    pub spread: Spread,
    /// Consecutive periods: crowded labels are thinned, not turned upright.
    pub timeline: bool,
    /// Counts: no ticks between whole numbers.
    pub counts: bool,
    /// Writes a tick value (short, such as `$1.5M`).
    pub tick: fn(f64) -> String,
}

/// The laid-out axes of one drawing.
pub struct Axes {
    /// Where everything goes.
    pub frame: Frame,
    /// Values to pixels, bottom to top.
    pub y: Scale,
    ticks: Vec<(f64, String)>,
}

impl Axes {
    /// Axes `width` px wide for values from `lo` to `hi`.
    pub fn new(width: f64, (lo, hi): (f64, f64), spec: &AxesSpec) -> Axes {
        let values = nice_ticks_at_least(lo, hi, tick_count(plot_height(width)), if spec.counts { 1.0 } else { 0.0 });
        let ticks: Vec<(f64, String)> = values.iter().map(|v| (*v, (spec.tick)(*v))).collect();
        let labels: Vec<String> = ticks.iter().map(|(_, l)| l.clone()).collect();
        let frame = frame(width, &labels, spec.categories, spec.spread, spec.timeline);
        let bottom = values.first().copied().unwrap_or(lo);
        let y = Scale { domain: (bottom, values.last().copied().unwrap_or(hi)), range: (frame.base, frame.top) };
        Axes { frame, y, ticks }
    }

    /// Grid lines with the y labels, and the x labels (in italics for partial periods).
    pub fn view(&self, partial: &[bool]) -> impl IntoView + use<> {
        let f = &self.frame;
        let grid = self
            .ticks
            .iter()
            .map(|(v, label)| {
                let py = self.y.at(*v);
                view! {
                    <line class=if *v == 0.0 { "grid zero" } else { "grid" } x1=f.left x2=f.right y1=py y2=py/>
                    <text class="y-label" data-testid="y-label" x=f.left - TICK_PAD y=py + FONT * 0.35 text-anchor="end">{label.clone()}</text>
                }
            })
            .collect_view();
        let y = f.label_y();
        let upright = f.upright;
        let labels = f
            .labels
            .iter()
            .map(|l| {
                let class = if partial.get(l.index).copied().unwrap_or(false) { "x-label partial" } else { "x-label" };
                // Upright text ends at the axis; its baseline sits right of the middle by about
                // a third of the type so that the glyphs centre on the category.
                let (x, anchor, turn) = if upright {
                    let x = l.x + FONT * 0.35;
                    (x, "end", Some(format!("rotate(-90 {x:.1} {y:.1})")))
                } else {
                    (l.x, "middle", None)
                };
                view! { <text class=class data-testid="x-label" x=x y=y text-anchor=anchor transform=turn>{l.text.clone()}</text> }
            })
            .collect_view();
        view! { <g class="axis">{grid}{labels}</g> }
    }
}
