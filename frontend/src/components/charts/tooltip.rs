//! A chart's tooltip: what the hovered, tapped or keyboard-focused category or slice holds,
//! floated over the plot next to it, kept inside the chart, and announced to screen readers.

use leptos::prelude::*;

use super::layout::Frame;
use super::{Series, colour};

/// One line of a tooltip: a series' colour, name and formatted value.
#[derive(Debug, Clone, PartialEq)]
pub struct TipRow {
    /// The series' colour.
    pub colour: String,
    /// The series' name; empty for a donut slice, whose name is the title.
    pub name: String,
    /// The value as the caller formatted it.
    pub shown: String,
}

/// What a tooltip shows and where it points, in the plot's pixels.
#[derive(Debug, Clone, PartialEq)]
pub struct Tip {
    /// The point it belongs to.
    pub x: f64,
    /// The top of what it belongs to.
    pub y: f64,
    /// The category (with "(to date)" when partial) or slice.
    pub title: String,
    /// One per series.
    pub rows: Vec<TipRow>,
}

impl Tip {
    /// Category `i` of a bar or line chart, pointing at (`x`, `y`): every series' value, and
    /// "(to date)" after a period counted only to date.
    pub fn for_category(categories: &[String], series: &[Series], partial: &[bool], i: usize, x: f64, y: f64) -> Tip {
        let name = categories.get(i).cloned().unwrap_or_default();
        let title = if partial.get(i).copied().unwrap_or(false) { format!("{name} (to date)") } else { name };
        let rows = series
            .iter()
            .enumerate()
            .map(|(n, s)| TipRow {
                colour: colour(n),
                name: s.name.clone(),
                shown: s.shown.get(i).cloned().unwrap_or_default(),
            })
            .collect();
        Tip { x, y, title, rows }
    }

    /// The whole tip as one line, for screen readers.
    pub fn text(&self) -> String {
        let rows: Vec<String> = self
            .rows
            .iter()
            .map(|r| if r.name.is_empty() { r.shown.clone() } else { format!("{}: {}", r.name, r.shown) })
            .collect();
        format!("{}: {}", self.title, rows.join(", "))
    }

    /// Where the tip box goes in a plot `width` px wide, as CSS: above the point when it fits
    /// (slid sideways in proportion, so it never leaves the plot), else beside it.
    pub fn placement(&self, width: f64) -> String {
        let height = 28.0 + 20.0 * self.rows.len() as f64;
        if self.y >= height + 12.0 {
            let share = (self.x / width.max(1.0)).clamp(0.0, 1.0) * 100.0;
            format!(
                "left:{:.0}px;top:{:.0}px;max-width:{width:.0}px;transform:translate(-{share:.1}%,calc(-100% - 10px))",
                self.x, self.y
            )
        } else if self.x > width / 2.0 {
            let room = self.x - 12.0;
            format!("left:{room:.0}px;top:{:.0}px;max-width:{room:.0}px;transform:translateX(-100%)", self.y)
        } else {
            let room = width - self.x - 12.0;
            format!("left:{:.0}px;top:{:.0}px;max-width:{room:.0}px", self.x + 12.0, self.y)
        }
    }
}

/// The floating tip box of one chart.
#[component]
pub fn Tooltip(tip: RwSignal<Option<Tip>>, #[prop(into)] width: Signal<f64>) -> impl IntoView {
    let style =
        move || tip.with(|t| t.as_ref().map(|t| t.placement(width.get())).unwrap_or_else(|| "display:none".into()));
    let body = move || {
        tip.get().map(|t| {
            let rows = t
                .rows
                .into_iter()
                .map(|r| {
                    let swatch = format!("background:{}", r.colour);
                    let name = (!r.name.is_empty()).then(|| format!("{}: ", r.name));
                    view! { <li><span class="swatch" style=swatch></span>{name}<b>{r.shown}</b></li> }
                })
                .collect_view();
            view! { <strong>{t.title}</strong><ul>{rows}</ul> }
        })
    };
    view! { <div class="tip" role="status" aria-live="polite" style=style>{body}</div> }
}

/// Wraps `shape` so that hovering, tapping or focusing it (Tab) shows `t`, and leaving it hides it.
pub fn hoverable(t: Tip, tip: RwSignal<Option<Tip>>, shape: impl IntoView) -> impl IntoView {
    let label = t.text();
    let (on_hover, on_focus, on_tap) = (t.clone(), t.clone(), t);
    view! {
        <g class="hit" tabindex="0" role="img" aria-label=label
            on:mouseenter=move |_| tip.set(Some(on_hover.clone()))
            on:focus=move |_| tip.set(Some(on_focus.clone()))
            on:click=move |_| tip.set(Some(on_tap.clone()))
            on:mouseleave=move |_| tip.set(None)
            on:blur=move |_| tip.set(None)>
            {shape}
        </g>
    }
}

/// One column per category over the whole plot height, each showing its tip: easier to hit
/// than a thin bar or a small point, and one Tab stop per category.
pub fn hit_columns(frame: &Frame, tips: Vec<Tip>, tip: RwSignal<Option<Tip>>) -> impl IntoView + use<> {
    let half = frame.step() / 2.0;
    tips.into_iter()
        .enumerate()
        .map(|(i, t)| {
            let from = (frame.x(i) - half).max(frame.left);
            let to = (frame.x(i) + half).min(frame.right);
            let column = view! {
                <rect class="column" x=from y=frame.top width=(to - from).max(1.0) height=frame.base - frame.top fill="transparent"/>
            };
            hoverable(t, tip, column)
        })
        .collect_view()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn tip(x: f64, y: f64) -> Tip {
        let series =
            vec![Series { name: "Revenue".into(), values: vec![1.0, 2.0], shown: vec!["$1".into(), "$2".into()] }];
        Tip::for_category(&["Oct 2026".into(), "Nov 2026".into()], &series, &[false, true], 1, x, y)
    }

    #[test]
    fn a_partial_period_says_to_date() {
        let t = tip(0.0, 0.0);
        assert_eq!(t.title, "Nov 2026 (to date)");
        assert_eq!(t.text(), "Nov 2026 (to date): Revenue: $2");
    }

    #[test]
    fn the_tip_goes_above_when_it_fits_and_beside_when_not() {
        assert!(tip(10.0, 200.0).placement(400.0).contains("translate(-2.5%"));
        assert!(tip(390.0, 10.0).placement(400.0).contains("translateX(-100%)"));
        assert!(tip(10.0, 10.0).placement(400.0).starts_with("left:22px"));
    }
}
