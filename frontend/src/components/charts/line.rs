//! A line chart over periods, one line per series, drawn at its container's width. A partial
//! period's point is hollow and the segments to it are dashed.

use leptos::html::Div;
use leptos::prelude::*;

use super::axis::{Axes, AxesSpec};
use super::geometry::{extent, line_paths};
use super::layout::Spread;
use super::legend::Legend;
use super::size::use_width;
use super::tooltip::{Tip, Tooltip, hit_columns};
use super::{Series, colour};

/// Points closer than this get no dots: they would merge into a thick line.
const DOT_SPACING: f64 = 12.0;

/// What a line chart draws, kept for redrawing at a new width.
struct Lines {
    categories: Vec<String>,
    series: Vec<Series>,
    partial: Vec<bool>,
    counts: bool,
    tick: fn(f64) -> String,
    title: String,
}

/// Lines over `categories` (consecutive periods), with a y axis whose tick labels `tick`
/// formats. `counts` keeps ticks on whole numbers; `partial` marks, per category, a period
/// counted only to date.
#[component]
pub fn LineChart(
    categories: Vec<String>,
    series: Vec<Series>,
    #[prop(into)] title: String,
    tick: fn(f64) -> String,
    #[prop(optional)] counts: bool,
    #[prop(optional)] partial: Vec<bool>,
) -> impl IntoView {
    let node = NodeRef::<Div>::new();
    let width = use_width(node);
    let tip = RwSignal::new(None::<Tip>);
    let names = series.iter().map(|s| s.name.clone()).collect();
    let to_date = partial.iter().any(|p| *p).then_some("dashed");
    let lines = Lines { categories, series, partial, counts, tick, title };
    view! {
        <figure class="chart" data-testid="line-chart">
            <div class="plot" node_ref=node>
                {move || draw(&lines, width.get(), tip)}
                <Tooltip tip=tip width=width/>
            </div>
            <Legend names=names to_date=to_date/>
        </figure>
    }
}

fn draw(c: &Lines, width: f64, tip: RwSignal<Option<Tip>>) -> impl IntoView + use<> {
    let range = extent(c.series.iter().flat_map(|s| s.values.iter().copied()));
    let spec =
        AxesSpec { categories: &c.categories, spread: Spread::Points, timeline: true, counts: c.counts, tick: c.tick };
    let axes = Axes::new(width, range, &spec);
    let (f, y) = (&axes.frame, axes.y);
    let dots = f.step() >= DOT_SPACING;
    let is_partial = |i: usize| c.partial.get(i).copied().unwrap_or(false);
    // The highest point of each category, where its tooltip points.
    let mut tops = vec![f.base; c.categories.len()];
    let lines = c
        .series
        .iter()
        .enumerate()
        .map(|(n, s)| {
            let points: Vec<(f64, f64)> =
                s.values.iter().enumerate().map(|(i, v)| (f.x(i), y.at(*v))).collect();
            for (i, (_, py)) in points.iter().enumerate() {
                if let Some(top) = tops.get_mut(i) {
                    *top = top.min(*py);
                }
            }
            let (solid, dashed) = line_paths(&points, &c.partial);
            let marks = points
                .iter()
                .enumerate()
                .filter(|(i, _)| dots || is_partial(*i))
                .map(|(i, (px, py))| {
                    let hollow = is_partial(i);
                    view! {
                        <circle class=if hollow { "dot to-date" } else { "dot" } cx=*px cy=*py r=if hollow { "4" } else { "3" }
                            fill=if hollow { "#fff".to_owned() } else { colour(n) } stroke=colour(n) stroke-width="2"/>
                    }
                })
                .collect_view();
            view! {
                <g class="series">
                    <path d=solid fill="none" stroke=colour(n) stroke-width="2"/>
                    <path class="to-date" d=dashed fill="none" stroke=colour(n) stroke-width="2" stroke-dasharray="5 4"/>
                    {marks}
                </g>
            }
        })
        .collect_view();
    let tips = (0..c.categories.len())
        .map(|i| Tip::for_category(&c.categories, &c.series, &c.partial, i, f.x(i), tops[i]))
        .collect();
    view! {
        <svg viewBox=format!("0 0 {} {}", f.width, f.height) width=f.width height=f.height role="group" aria-label=c.title.clone()>
            {axes.view(&c.partial)}
            {lines}
            {hit_columns(f, tips, tip)}
        </svg>
    }
}
