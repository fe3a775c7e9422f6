//! A donut (a pie with a hole): shares of a whole, drawn at a fixed size in real pixels so its
//! text reads the same on a phone as on a desktop.

use leptos::prelude::*;

use super::geometry::{donut_arc, donut_fractions, polar};
use super::legend::Legend;
use super::tooltip::{Tip, TipRow, Tooltip, hoverable};
use super::{Slice, colour};

/// The drawing's side in pixels; narrower than a 390 px phone's content.
const SIDE: f64 = 200.0;
/// The ring's radii.
const INNER: f64 = 58.0;
const OUTER: f64 = 95.0;

/// Slices of a whole, with the total shown in the middle.
#[component]
pub fn DonutChart(slices: Vec<Slice>, #[prop(into)] title: String, #[prop(into)] total: String) -> impl IntoView {
    let tip = RwSignal::new(None::<Tip>);
    let c = SIDE / 2.0;
    let fractions = donut_fractions(&slices.iter().map(|s| s.value).collect::<Vec<_>>());
    let arcs = slices
        .iter()
        .zip(fractions)
        .enumerate()
        .filter(|(_, (_, (a, b)))| b > a)
        .map(|(i, (slice, (a, b)))| {
            let (x, y) = polar(c, c, OUTER, (a + b) / 2.0);
            let row = TipRow { colour: colour(i), name: String::new(), shown: slice.shown.clone() };
            let t = Tip { x, y, title: slice.name.clone(), rows: vec![row] };
            hoverable(t, tip, view! { <path d=donut_arc(c, c, INNER, OUTER, a, b) fill=colour(i)/> })
        })
        .collect_view();
    let names = slices.iter().map(|s| format!("{} ({})", s.name, s.shown)).collect();
    view! {
        <figure class="chart" data-testid="donut-chart">
            <div class="plot donut" style=format!("width:{SIDE}px")>
                <svg viewBox=format!("0 0 {SIDE} {SIDE}") width=SIDE height=SIDE role="group" aria-label=title.clone()>
                    {arcs}
                    <text class="total" x=c y=c + 7.0 text-anchor="middle">{total}</text>
                </svg>
                <Tooltip tip=tip width=Signal::stored(SIDE)/>
            </div>
            <Legend names=names/>
        </figure>
    }
}
