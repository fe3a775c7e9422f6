//! Activating a product for a client, and the activated products, paged by the API, with
//! renew, pause/resume and deactivate (each confirmed with its amount). The action column
//! stays in view however wide the table is (style.css: `.actions`).

use domain::api::{Activation, ListParams, NewActivation, OrganizationFilter};
use domain::kinds::{OrgKind, SubscriptionStatus};
use leptos::prelude::*;
use leptos::task::spawn_local;
use rust_decimal::Decimal;

use super::{confirm, money};
use crate::api::{self, ApiFailure};
use crate::components::{Empty, ErrorView, Loaded, Pager};

const PER_PAGE: u64 = 25;

/// After a call that moves money: on success the portal reads its figures again (`version`),
/// else the failure is shown.
fn settle(result: Result<Activation, ApiFailure>, failure: RwSignal<Option<ApiFailure>>, version: RwSignal<u32>) {
    match result {
        Ok(_) => {
            failure.set(None);
            version.update(|v| *v += 1);
        }
        Err(e) => failure.set(Some(e)),
    }
}

/// The form that activates a plan for a client of `reseller`; a success bumps `version`.
#[component]
pub fn ActivateForm(reseller: Option<i64>, version: RwSignal<u32>) -> impl IntoView {
    let plans = LocalResource::new(api::service_plans);
    let customers = LocalResource::new(move || {
        api::organizations(
            ListParams { per_page: Some(500), sort: Some("name".into()), ..Default::default() },
            OrganizationFilter { kind: Some(OrgKind::Customer), parent_id: reseller, ..Default::default() },
        )
    });
    let failure = RwSignal::new(None::<ApiFailure>);
    let hint = RwSignal::new(None::<&'static str>);
    let (plan_id, customer_id, quantity) =
        (RwSignal::new(String::new()), RwSignal::new(String::new()), RwSignal::new("1".to_owned()));
    let activate = move |_| {
        let (Ok(plan), Ok(customer), Ok(qty)) =
            (plan_id.get().parse::<i64>(), customer_id.get().parse::<i64>(), quantity.get().parse::<i64>())
        else {
            hint.set(Some("Choose a plan, a client and a number of seats."));
            return;
        };
        hint.set(None);
        let price = plans
            .get()
            .and_then(Result::ok)
            .and_then(|p| p.items.into_iter().find(|x| x.id == plan))
            .map(|p| money(p.price.map(|unit| unit * Decimal::from(qty)), p.currency.as_str()))
            .unwrap_or_default();
        if !confirm(&format!("Activate it for {price}? The first interval is paid from the balance now.")) {
            return;
        }
        let key = api::new_idempotency_key();
        spawn_local(async move {
            let new = NewActivation { plan_id: plan, quantity: qty, customer_id: Some(customer), client_email: None };
            settle(api::activate(&new, reseller, &key).await, failure, version);
        });
    };
    view! {
        <section class="panel">
            <h2>"Activate a product"</h2>
            <div class="toolbar">
                <div><label for="plan">"Plan"</label>
                    <select id="plan" data-testid="activate-plan" on:change=move |ev| plan_id.set(event_target_value(&ev))>
                        <option value="">"Choose…"</option>
                        {move || plans.get().and_then(Result::ok).map(|p| p.items.into_iter().map(|x| {
                            let label = format!("{} — {}", x.name, money(x.price, x.currency.as_str()));
                            view! { <option value=x.id.to_string()>{label}</option> }
                        }).collect_view())}
                    </select></div>
                <div><label for="client">"Client"</label>
                    <select id="client" data-testid="activate-client" on:change=move |ev| customer_id.set(event_target_value(&ev))>
                        <option value="">"Choose…"</option>
                        {move || customers.get().and_then(Result::ok).map(|p| p.items.into_iter().map(|c| view! { <option value=c.id.to_string()>{c.name}</option> }).collect_view())}
                    </select></div>
                <div><label for="qty">"Seats"</label>
                    <input id="qty" type="number" min="1" data-testid="activate-quantity" prop:value=move || quantity.get() on:input=move |ev| quantity.set(event_target_value(&ev))/></div>
                <button type="button" data-testid="activate-submit" on:click=activate>"Activate"</button>
            </div>
            {move || hint.get().map(|h| view! { <p class="error">{h}</p> })}
            {move || failure.get().map(|e| view! { <ErrorView error=e/> })}
        </section>
    }
}

/// The activated products of `reseller`, newest first, a page at a time; with renew, pause and
/// deactivate when the caller `may_act`.
#[component]
pub fn ActivatedProducts(reseller: Option<i64>, version: RwSignal<u32>, may_act: bool) -> impl IntoView {
    let page = RwSignal::new(1u64);
    let q = RwSignal::new(String::new());
    let list = LocalResource::new(move || {
        version.track();
        let params = ListParams {
            page: Some(page.get()),
            per_page: Some(PER_PAGE),
            q: Some(q.get()).filter(|q| !q.trim().is_empty()),
            sort: Some("-id".into()),
        };
        api::activations(params, reseller)
    });
    let failure = RwSignal::new(None::<ApiFailure>);
    let act = move |a: Activation, action: &'static str| {
        let amount = money(a.price_per_interval, a.currency.as_str());
        let question = match action {
            "renew" => {
                format!("Renew {} for one more {} interval: {amount}?", a.product_name, a.billing_interval.as_str())
            }
            "deactivate" => format!(
                "Deactivate {}? It stops renewing at the end of the paid period (no refund unless the plan allows one).",
                a.product_name
            ),
            other => format!("{other} {}?", a.product_name),
        };
        if confirm(&question) {
            let key = api::new_idempotency_key();
            spawn_local(async move {
                settle(api::change_activation(a.id, action, reseller, &key).await, failure, version);
            });
        }
    };
    view! {
        <section class="panel">
            <h2>"Activated products"</h2>
            <div class="toolbar">
                <div>
                    <label for="activations-search">"Search"</label>
                    <input id="activations-search" type="search" data-testid="activations-search" placeholder="Product or client"
                        prop:value=move || q.get() on:input=move |ev| { q.set(event_target_value(&ev)); page.set(1); }/>
                </div>
            </div>
            {move || failure.get().map(|e| view! { <ErrorView error=e/> })}
            <Loaded data=list view=move |p| {
                if p.items.is_empty() {
                    return view! { <Empty message="Nothing activated yet."/> }.into_any();
                }
                view! {
                    <div class="table-wrap">
                    <table data-testid="activations">
                        <thead><tr><th>"Product"</th><th>"Client"</th><th>"Activated"</th><th>"Status"</th><th>"Next renewal"</th><th class="num">"Per interval"</th><th class="actions">"Actions"</th></tr></thead>
                        <tbody>{p.items.into_iter().map(|a| {
                            let (r, pa, d) = (a.clone(), a.clone(), a.clone());
                            let paused = a.status == SubscriptionStatus::Paused;
                            let live = may_act && matches!(a.status, SubscriptionStatus::Active | SubscriptionStatus::Paused);
                            view! {
                                <tr data-testid="activation">
                                    <td>{a.product_name.clone()}</td><td>{a.assigned_client.clone().unwrap_or_default()}</td>
                                    <td>{crate::format::day(a.activated_on)}</td><td>{crate::format::words(a.status.as_str())}</td>
                                    <td>{a.next_renewal.map(crate::format::day).unwrap_or_else(|| "—".into())}</td>
                                    <td class="num">{money(a.price_per_interval, a.currency.as_str())}</td>
                                    <td class="actions">{live.then(|| view! {
                                        <button type="button" class="secondary" data-testid="renew" on:click=move |_| act(r.clone(), "renew")>"Renew"</button>
                                        <button type="button" class="secondary" data-testid="pause" on:click=move |_| act(pa.clone(), if paused { "resume" } else { "pause" })>{if paused { "Resume" } else { "Pause" }}</button>
                                        <button type="button" class="secondary" data-testid="deactivate" on:click=move |_| act(d.clone(), "deactivate")>"Deactivate"</button>
                                    })}</td>
                                </tr>
                            }
                        }).collect_view()}</tbody>
                    </table>
                    </div>
                    <Pager page=page total=p.total per_page=p.per_page/>
                }.into_any()
            }/>
        </section>
    }
}
