//! Customers onboarding (`/onboarding`): every customer of one onboarding stage, paged by the
//! API. Home's onboarding pane shows the ten longest waiting and opens this page.

use domain::kinds::{OnboardingStage, OrgKind};
use leptos::prelude::*;
use leptos_router::hooks::use_query_map;

use super::organizations::OrganizationTable;
use crate::components::title::set_title;
use crate::format::words;

/// The onboarding page; `?stage=` picks the stage (default the first).
#[component]
pub fn OnboardingPage() -> impl IntoView {
    set_title("Customer onboarding");
    let query = use_query_map();
    let first = query.with_untracked(|q| q.get("stage").and_then(|s| s.parse::<OnboardingStage>().ok()));
    let stage = RwSignal::new(first.unwrap_or(OnboardingStage::ALL[0]));
    let pick = move |ev| {
        if let Ok(picked) = event_target_value(&ev).parse() {
            stage.set(picked);
        }
    };
    view! {
        <h1>"Customer onboarding"</h1>
        <div class="toolbar">
            <div>
                <label for="onboarding-stage">"Stage"</label>
                <select id="onboarding-stage" data-testid="onboarding-stage" on:change=pick>
                    {OnboardingStage::ALL.iter().map(|s| {
                        let picked = *s == stage.get_untracked();
                        view! { <option value=s.as_str() selected=picked>{words(s.as_str())}</option> }
                    }).collect_view()}
                </select>
            </div>
        </div>
        {move || {
            let stage = stage.get();
            view! { <OrganizationTable kind=OrgKind::Customer onboarding_stage=stage testid="onboarding-table"/> }
        }}
    }
}
