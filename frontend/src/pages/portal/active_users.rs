//! The active-users graph: distinct users per day (7 and 30 days) or per week (6 months).

use domain::api::ActiveUsersRange;
use leptos::prelude::*;
use rust_decimal::Decimal;

use crate::api;
use crate::components::{LineChart, Loaded, Series};
use crate::format::{self, Locale};

/// A y tick of the active-users graph: a short count (`1.2K`).
fn users_tick(v: f64) -> String {
    format::short(Decimal::from_f64_retain(v).unwrap_or_default(), &Locale::browser())
}

/// The graph of `reseller`'s active users (none: the caller's own).
#[component]
pub fn ActiveUsersGraph(reseller: Option<i64>) -> impl IntoView {
    let range = RwSignal::new(ActiveUsersRange::Days30);
    let series = LocalResource::new(move || api::active_users(range.get(), reseller));
    let pick = move |r: ActiveUsersRange, label: &'static str| {
        view! {
            <button type="button" class=move || if range.get() == r { "" } else { "secondary" } on:click=move |_| range.set(r)>{label}</button>
        }
    };
    view! {
        <section class="panel">
            <h2>"Active users"</h2>
            <div class="toolbar">{pick(ActiveUsersRange::Days7, "7 days")}{pick(ActiveUsersRange::Days30, "30 days")}{pick(ActiveUsersRange::Months6, "6 months")}</div>
            <Loaded data=series view=move |s| {
                    let line = vec![Series {
                        name: "Active users".into(),
                        values: s.points.iter().map(|p| p.users as f64).collect(),
                        shown: s.points.iter().map(|p| format::count(p.users, &Locale::browser())).collect(),
                    }];
                    let days: Vec<String> = s.points.iter().map(|p| format::day_short(p.start)).collect();
                    view! { <LineChart categories=days series=line title="Active users" counts=true tick=users_tick/> }.into_any()
                }/>
        </section>
    }
}
