//! A bar chart over categories: series side by side, or stacked, drawn at its container's
//! width. A partial period's bars are lighter and hatched.

use leptos::html::Div;
use leptos::prelude::*;

use super::axis::{Axes, AxesSpec};
use super::geometry::{extent, stack};
use super::layout::Spread;
use super::legend::Legend;
use super::size::{unique_id, use_width};
use super::tooltip::{Tip, Tooltip, hit_columns};
use super::{Series, colour};

/// What a bar chart draws, kept for redrawing at a new width.
struct Bars {
    categories: Vec<String>,
    series: Vec<Series>,
    partial: Vec<bool>,
    stacked: bool,
    timeline: bool,
    counts: bool,
    tick: fn(f64) -> String,
    title: String,
    hatch: String,
}

/// Bars over `categories`; `stacked` piles the series up instead of grouping them.
/// `timeline` says the categories are consecutive periods (crowded labels are thinned rather
/// than tilted); `partial` marks, per category, a period counted only to date; `counts` keeps
/// ticks on whole numbers.
#[component]
pub fn BarChart(
    categories: Vec<String>,
    series: Vec<Series>,
    #[prop(into)] title: String,
    #[prop(optional)] stacked: bool,
    #[prop(optional)] timeline: bool,
    #[prop(optional)] partial: Vec<bool>,
    #[prop(optional)] counts: bool,
    tick: fn(f64) -> String,
) -> impl IntoView {
    let node = NodeRef::<Div>::new();
    let width = use_width(node);
    let tip = RwSignal::new(None::<Tip>);
    let names = series.iter().map(|s| s.name.clone()).collect();
    let to_date = partial.iter().any(|p| *p).then_some("hatched");
    let bars = Bars { categories, series, partial, stacked, timeline, counts, tick, title, hatch: unique_id("hatch") };
    view! {
        <figure class="chart" data-testid=if stacked { "stacked-bar-chart" } else { "bar-chart" }>
            <div class="plot" node_ref=node>
                {move || draw(&bars, width.get(), tip)}
                <Tooltip tip=tip width=width/>
            </div>
            <Legend names=names to_date=to_date/>
        </figure>
    }
}

fn draw(c: &Bars, width: f64, tip: RwSignal<Option<Tip>>) -> impl IntoView + use<> {
    let n = c.categories.len().max(1);
    let spans = stack(&c.series.iter().map(|s| s.values.clone()).collect::<Vec<_>>(), n);
    let range = if c.stacked {
        extent(spans.iter().flatten().flat_map(|(a, b)| [*a, *b]))
    } else {
        extent(c.series.iter().flat_map(|s| s.values.iter().copied()))
    };
    let spec = AxesSpec {
        categories: &c.categories,
        spread: Spread::Bands,
        timeline: c.timeline,
        counts: c.counts,
        tick: c.tick,
    };
    let axes = Axes::new(width, range, &spec);
    let (f, y) = (&axes.frame, axes.y);
    let band = f.step();
    let groups = c.series.len().max(1);
    // The top of each category's highest bar, where its tooltip points.
    let mut tops = vec![f.base; n];
    let mut bars = Vec::new();
    for (s, one) in c.series.iter().enumerate() {
        for (i, top_px) in tops.iter_mut().enumerate() {
            let value = one.values.get(i).copied().unwrap_or(0.0);
            let (bottom, top) = if c.stacked { spans[s][i] } else { (value.min(0.0), value.max(0.0)) };
            let (x, w) = if c.stacked {
                (f.x(i) - band * 0.35, band * 0.7)
            } else {
                let w = band * 0.8 / groups as f64;
                (f.x(i) - band * 0.4 + w * s as f64, w)
            };
            let (py, height) = (y.at(top), (y.at(bottom) - y.at(top)).max(0.0));
            *top_px = top_px.min(py);
            let partial = c.partial.get(i).copied().unwrap_or(false);
            let hatch = partial.then(|| {
                view! {
                    <rect class="bar to-date" x=x y=py width=w height=height fill=format!("url(#{})", c.hatch)
                        stroke=colour(s) stroke-dasharray="3 2"/>
                }
            });
            bars.push(view! {
                <g>
                    <rect class="bar" x=x y=py width=w.max(1.0) height=height fill=colour(s) fill-opacity=if partial { "0.5" } else { "1" }/>
                    {hatch}
                </g>
            });
        }
    }
    let tips = (0..c.categories.len())
        .map(|i| Tip::for_category(&c.categories, &c.series, &c.partial, i, f.x(i), tops[i]))
        .collect();
    view! {
        <svg viewBox=format!("0 0 {} {}", f.width, f.height) width=f.width height=f.height role="group" aria-label=c.title.clone()>
            <defs>
                // White stripes over a lighter bar: a month counted only to date.
                <pattern id=c.hatch.clone() width="6" height="6" patternUnits="userSpaceOnUse" patternTransform="rotate(45)">
                    <rect width="2.5" height="6" fill="#fff" fill-opacity="0.85"/>
                </pattern>
            </defs>
            {axes.view(&c.partial)}
            {bars}
            {hit_columns(f, tips, tip)}
        </svg>
    }
}
