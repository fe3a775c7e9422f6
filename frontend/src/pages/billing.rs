//! Billing issues (`/billing`): every issue in scope, open ones first by default, filtered by
//! kind and state, paged by the API. Home's billing pane opens this page.

use domain::api::{BillingIssue, BillingIssueFilter};
use domain::kinds::BillingIssueKind;
use leptos::prelude::*;
use leptos_router::components::A;

use crate::api;
use crate::components::title::set_title;
use crate::components::{Column, DataTable, Row, TablePage, TableState};
use crate::format::words;

fn row(issue: BillingIssue) -> Row {
    let customer = issue.customer_external_id.clone().unwrap_or_else(|| "—".into());
    Row {
        key: issue.id,
        href: issue.customer_id.map(|id| format!("/organizations/{id}")),
        cells: vec![
            customer,
            words(issue.kind.as_str()),
            issue.message,
            crate::format::day(issue.detected_at.date_naive()),
            issue.resolved_at.map(|d| crate::format::day(d.date_naive())).unwrap_or_else(|| "open".into()),
        ],
    }
}

/// The billing issues page.
#[component]
pub fn BillingIssuesPage() -> impl IntoView {
    set_title("Billing issues");
    let state = TableState::new("-detected_at");
    let kind = RwSignal::new(None::<BillingIssueKind>);
    let open = RwSignal::new(Some(true));
    let resource = LocalResource::new(move || {
        let list = state.list_params(25);
        let filter = BillingIssueFilter { kind: kind.get(), open: open.get(), ..Default::default() };
        async move {
            let page = api::billing_issues(list, filter).await?;
            Ok(TablePage {
                total: page.total,
                page: page.page,
                per_page: page.per_page,
                rows: page.items.into_iter().map(row).collect(),
            })
        }
    });
    let columns = vec![
        Column::plain("Customer"),
        Column::sorted("Kind", "kind"),
        Column::plain("What is wrong"),
        Column::sorted("Found", "detected_at"),
        Column::plain("Resolved"),
    ];
    let pick_kind = move |ev| {
        kind.set(event_target_value(&ev).parse().ok());
        state.page.set(1);
    };
    let pick_state = move |ev| {
        open.set(match event_target_value(&ev).as_str() {
            "open" => Some(true),
            "resolved" => Some(false),
            _ => None,
        });
        state.page.set(1);
    };
    view! {
        <h1>"Billing issues"</h1>
        <p class="muted">"Lines held out of revenue until their customer or exchange rate is known, and SKUs the catalog lacks (counted under Unmapped). "
            <A href="/imports">"Give accounts to customers on the imports page"</A>"."</p>
        <div class="toolbar">
            <div>
                <label for="issue-kind">"Kind"</label>
                <select id="issue-kind" data-testid="issue-kind" on:change=pick_kind>
                    <option value="">"Every kind"</option>
                    {BillingIssueKind::ALL.iter().map(|k| view! { <option value=k.as_str()>{words(k.as_str())}</option> }).collect_view()}
                </select>
            </div>
            <div>
                <label for="issue-state">"State"</label>
                <select id="issue-state" data-testid="issue-state" on:change=pick_state>
                    <option value="open" selected>"Open"</option>
                    <option value="resolved">"Resolved"</option>
                    <option value="">"All"</option>
                </select>
            </div>
        </div>
        <DataTable columns=columns state=state data=resource caption="Billing issues"
            testid="billing-issues-table" empty="No billing issue matches." search="Customer id or message"/>
    }
}
