//! A KPI card: a label, a figure, its change since last month and a micro chart.

use leptos::prelude::*;
use rust_decimal::Decimal;

use super::charts::geometry::sparkline_path;
use crate::format::{self, Locale};

/// One key figure. `value` comes formatted; `change_pct` is the change in percent against
/// `compared_with` (default "last month"; none when there is nothing to compare with, and then
/// no change is shown); `trend` feeds the micro chart.
#[component]
pub fn KpiCard(
    #[prop(into)] label: String,
    #[prop(into)] value: String,
    #[prop(optional_no_strip)] change_pct: Option<Decimal>,
    #[prop(optional, into)] compared_with: Option<String>,
    #[prop(optional)] trend: Vec<f64>,
    #[prop(optional, into)] testid: String,
) -> impl IntoView {
    let locale = Locale::browser();
    let change = change_pct.map(|c| {
        let class = if c > Decimal::ZERO {
            "change up"
        } else if c < Decimal::ZERO {
            "change down"
        } else {
            "change"
        };
        let against = compared_with.clone().unwrap_or_else(|| "last month".into());
        view! { <div class=class data-testid="kpi-change">{format::change(c, &locale)}" vs "{against}</div> }
    });
    let spark = (trend.len() > 1).then(|| {
        let path = sparkline_path(&trend, 120.0, 28.0);
        view! {
            <svg viewBox="0 0 120 28" width="120" height="28" aria-hidden="true">
                <path d=path fill="none" stroke="var(--accent)" stroke-width="2"/>
            </svg>
        }
    });
    view! {
        <div class="panel kpi" data-testid=testid>
            <div class="label">{label}</div>
            <div class="value" data-testid="kpi-value">{value}</div>
            {change}
            {spark}
        </div>
    }
}
