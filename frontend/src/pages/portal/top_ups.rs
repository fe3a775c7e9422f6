//! The reseller's top-ups (payments credited to its balance), newest first, a page at a time.

use domain::api::ListParams;
use domain::kinds::LedgerKind;
use leptos::prelude::*;

use super::money;
use crate::api;
use crate::components::{Empty, Loaded, Pager};

/// The top-up history of `reseller`.
#[component]
pub fn TopUps(reseller: Option<i64>, version: RwSignal<u32>) -> impl IntoView {
    let page = RwSignal::new(1u64);
    let top_ups = LocalResource::new(move || {
        version.track();
        let list = ListParams { page: Some(page.get()), per_page: Some(25), ..Default::default() };
        api::ledger(list, Some(LedgerKind::TopUp), reseller)
    });
    view! {
        <section class="panel">
            <h2>"Top-ups"</h2>
            <Loaded data=top_ups view=move |p| {
                if p.items.is_empty() {
                    return view! { <Empty message="No top-ups yet."/> }.into_any();
                }
                view! {
                    <div class="table-wrap">
                    <table data-testid="top-ups">
                        <thead><tr><th>"Date"</th><th>"Reference"</th><th class="num">"Amount"</th><th class="num">"Balance after"</th></tr></thead>
                        <tbody>{p.items.into_iter().map(|e| view! {
                            <tr><td>{crate::format::day(e.created_at.date_naive())}</td><td>{e.reference.clone().unwrap_or_default()}</td>
                                <td class="num">{money(e.amount, e.currency.as_str())}</td><td class="num">{money(e.balance_after, e.currency.as_str())}</td></tr>
                        }).collect_view()}</tbody>
                    </table>
                    </div>
                    <Pager page=page total=p.total per_page=p.per_page/>
                }.into_any()
            }/>
        </section>
    }
}
