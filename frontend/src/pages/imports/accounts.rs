//! The provider accounts whose lines wait for a customer: each can be given to an existing
//! customer, or made a customer of its own (named as the export names it), and its lines count
//! at once.

use domain::api::{
    AccountMapped, CustomerFromAccount, ListParams, MapAccount, OrganizationFilter, Page, UnmappedAccount,
};
use domain::kinds::OrgKind;
use leptos::prelude::*;

use crate::api::{self, ApiFailure};
use crate::components::{Empty, ErrorView, Loaded, Pager};
use crate::format::{Locale, count, day, money};
use crate::pages::shell::MeResource;

/// Accounts per page.
const PER_PAGE: u64 = 10;

/// A search and a choice among the organisations of one kind in scope.
#[component]
fn Picker(kind: OrgKind, value: RwSignal<Option<i64>>, label: &'static str, testid: &'static str) -> impl IntoView {
    let q = RwSignal::new(String::new());
    let found = LocalResource::new(move || {
        let list = ListParams {
            page: None,
            per_page: Some(20),
            q: Some(q.get()).map(|q| q.trim().to_owned()).filter(|q| !q.is_empty()),
            sort: Some("name".into()),
        };
        api::organizations(list, OrganizationFilter { kind: Some(kind), ..Default::default() })
    });
    let select_id = format!("{testid}-select");
    view! {
        <div class="field">
            <label for=select_id.clone()>{label}</label>
            <div class="settings-org">
                <input type="search" aria-label=format!("Find: {label}") placeholder="Find by name"
                    data-testid=format!("{testid}-search") prop:value=move || q.get()
                    on:input=move |ev| { q.set(event_target_value(&ev)); value.set(None); }/>
                <select id=select_id data-testid=testid
                    on:change=move |ev| value.set(event_target_value(&ev).parse().ok())>
                    <option value="">"Choose…"</option>
                    {move || found.get().and_then(Result::ok).map(|page| {
                        page.items.into_iter().map(|o| {
                            view! { <option value=o.id.to_string() selected=value.get_untracked() == Some(o.id)>{o.name}</option> }
                        }).collect_view()
                    })}
                </select>
            </div>
        </div>
    }
}

/// What the last action did.
#[derive(Clone)]
enum Done {
    Mapped(AccountMapped),
    Failed(ApiFailure),
}

/// The unmapped accounts panel; `refresh` is called after each mapping, `changed` reloads it.
#[component]
pub fn UnmappedAccounts(changed: RwSignal<u32>, refresh: Callback<()>) -> impl IntoView {
    let is_distributor = use_context::<MeResource>()
        .and_then(|me| me.get_untracked())
        .and_then(Result::ok)
        .is_some_and(|me| me.organization.kind == OrgKind::Distributor);
    let page = RwSignal::new(1u64);
    let reseller = RwSignal::new(None::<i64>);
    let customer = RwSignal::new(None::<i64>);
    let done = RwSignal::new(None::<Done>);
    let busy = RwSignal::new(false);
    let accounts = LocalResource::new(move || {
        changed.track();
        let list = ListParams { page: Some(page.get()), per_page: Some(PER_PAGE), q: None, sort: None };
        api::unmapped_accounts(list)
    });
    let act = move |account_id: String, to_customer: bool| {
        busy.set(true);
        leptos::task::spawn_local(async move {
            let result = if to_customer {
                let Some(customer_id) = customer.get_untracked() else {
                    busy.set(false);
                    return;
                };
                api::map_account(&MapAccount { account_id, customer_id }).await
            } else {
                let parent_id = reseller.get_untracked();
                api::customer_from_account(&CustomerFromAccount { account_id, parent_id, name: None }).await
            };
            busy.set(false);
            done.set(Some(match result {
                Ok(mapped) => {
                    // The list shrinks: back to its first page, which exists.
                    page.set(1);
                    refresh.run(());
                    Done::Mapped(mapped)
                }
                Err(e) => Done::Failed(e),
            }));
        });
    };
    let table = move |found: Page<UnmappedAccount>| {
        if found.total == 0 {
            return view! { <Empty message="Every account imported belongs to a customer."/> }.into_any();
        }
        let locale = Locale::browser();
        let (total, per_page) = (found.total, found.per_page);
        let rows = found
            .items
            .into_iter()
            .map(|a| {
                let (create, map) = (a.account_id.clone(), a.account_id.clone());
                let name = a.name.clone().unwrap_or_else(|| "—".into());
                let payer = a.billing_account_id.clone().map(|p| format!("under {p}")).unwrap_or_default();
                let days = match a.first_day == a.last_day {
                    true => day(a.first_day),
                    false => format!("{} – {}", day(a.first_day), day(a.last_day)),
                };
                view! {
                    <tr data-testid="unmapped-account">
                        <th scope="row"><code>{a.account_id.clone()}</code><div class="muted">{payer}</div></th>
                        <td>{name}</td>
                        <td>{a.provider.clone()}</td>
                        <td class="num">{count(a.lines, &locale)}</td>
                        <td class="num">{money(a.billed_cost, a.currency.as_str(), &locale)}</td>
                        <td class="nowrap">{days}</td>
                        <td><div class="row-actions">
                            <button type="button" data-testid="account-create" disabled=move || busy.get()
                                on:click=move |_| act(create.clone(), false)>"Make customer"</button>
                            <button type="button" class="secondary" data-testid="account-map"
                                title="Give the account to the customer chosen above"
                                disabled=move || busy.get() || customer.get().is_none()
                                on:click=move |_| act(map.clone(), true)>"Give to chosen"</button>
                        </div></td>
                    </tr>
                }
            })
            .collect_view();
        view! {
            <div class="table-wrap">
                <table data-testid="unmapped-accounts-table">
                    <caption class="visually-hidden">"Accounts without a customer"</caption>
                    <thead><tr>
                        <th scope="col">"Account"</th>
                        <th scope="col">"Name in the export"</th>
                        <th scope="col">"Provider"</th>
                        <th scope="col" class="num">"Lines"</th>
                        <th scope="col" class="num">"Billed"</th>
                        <th scope="col">"Days"</th>
                        <th scope="col">"Give to"</th>
                    </tr></thead>
                    <tbody>{rows}</tbody>
                </table>
            </div>
            <Pager page=page total=total per_page=per_page/>
        }
        .into_any()
    };
    let result = move || {
        done.get().map(|d| match d {
            Done::Mapped(m) => view! {
                <p class="settings-notice" role="status" data-testid="account-mapped">{format!(
                    "{} now belongs to customer #{}: {} line(s) counted; {} line(s) of other accounts still held back.",
                    m.account_id, m.customer_id, m.rated, m.still_unrated
                )}</p>
            }
            .into_any(),
            Done::Failed(e) => view! { <ErrorView error=e/> }.into_any(),
        })
    };
    view! {
        <section class="panel" data-testid="unmapped-accounts">
            <h2>"Accounts without a customer"</h2>
            <p class="muted">"Lines of these provider accounts (AWS linked accounts, Azure subscriptions, GCP projects) are held back until a customer owns the account."</p>
            <div class="toolbar">
                {is_distributor.then(|| view! {
                    <Picker kind=OrgKind::Reseller value=reseller label="New customers go under" testid="account-reseller"/>
                })}
                <Picker kind=OrgKind::Customer value=customer label="Or give accounts to" testid="account-customer"/>
            </div>
            {result}
            <Loaded data=accounts view=table/>
        </section>
    }
}
