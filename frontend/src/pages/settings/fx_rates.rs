//! `/settings/fx-rates`: the fx rates of the caller's tree (USD per unit, per month), filtered
//! by currency and month; editing a rate, adding one and importing a CSV. Listing needs
//! `read_data`; changes need `import_billing` and are made by the organisation at the top of
//! the tree (the API refuses them to the others). Rates are decimals end to end.

use domain::api::{FieldError, FxRate, FxRateFilter, FxRateUpsert};
use domain::codes::CurrencyCode;
use domain::roles::Permission;
use leptos::html;
use leptos::prelude::*;
use leptos::task::spawn_local;
use rust_decimal::Decimal;

use super::{
    FieldMessage, FormErrors, FormFailure, ListTable, NotAllowed, can, confirm, current_me, list_params, local_problem,
    read_chosen_file, set_title,
};
use crate::api::{self, ApiFailure};
use crate::components::{Column, ErrorView, TableState};
use crate::format::{self, Locale};

/// A rate typed by the user, or why it is not one.
fn parse_rate(text: &str) -> Result<Decimal, &'static str> {
    match Decimal::from_str_exact(text.trim()) {
        Ok(rate) if rate > Decimal::ZERO => Ok(rate),
        Ok(_) => Err("must be above zero"),
        Err(_) => Err("must be a decimal such as 1.0842"),
    }
}

/// Whether text looks like `YYYY-MM` (the server checks it is a real month).
fn looks_like_month(text: &str) -> bool {
    let b = text.as_bytes();
    b.len() == 7 && b[4] == b'-' && b.iter().enumerate().all(|(i, c)| i == 4 || c.is_ascii_digit())
}

/// A rate exactly as stored, grouped for the reader's locale.
fn shown_rate(rate: Decimal) -> String {
    format::number(rate, rate.scale(), &Locale::browser())
}

/// The fx rates page.
#[component]
pub fn FxRatesSettings() -> impl IntoView {
    set_title("FX rates");
    let Some(me) = current_me().filter(|me| can(me, Permission::ReadData)) else {
        return view! {
            <h1>"FX rates"</h1>
            <NotAllowed message="Your role does not read fx rates."/>
        }
        .into_any();
    };
    // Only the top of the tree sets its rates (docs/data-model.md: one table per tree).
    let top_of_tree = me.organization.parent_id.is_none();
    let may_import = can(&me, Permission::ImportBilling);
    let editable = may_import && top_of_tree;
    let state = TableState::new("-month");
    let currency = RwSignal::new(String::new());
    let month = RwSignal::new(String::new());
    let version = RwSignal::new(0u32);
    let rates = LocalResource::new(move || {
        version.track();
        let filter = FxRateFilter {
            currency: Some(currency.get().trim().to_uppercase()).filter(|c| !c.is_empty()),
            month: Some(month.get().trim().to_owned()).filter(|m| !m.is_empty()),
        };
        api::fx_rates(list_params(state), filter)
    });
    let notice = RwSignal::new(None::<String>);
    let adding = RwSignal::new(false);
    let saved = Callback::new(move |message: String| {
        notice.set(Some(message));
        version.update(|v| *v += 1);
    });
    let mut columns = vec![
        Column::sorted("Currency", "currency"),
        Column::sorted("Month", "month"),
        Column::plain("USD per unit").numeric(),
    ];
    if editable {
        columns.push(Column::plain("Actions"));
    }
    view! {
        <div data-testid="settings-fx-rates">
            <div class="page-head">
                <h1>"FX rates"</h1>
                {editable.then(|| view! {
                    <div class="toolbar">
                        <button type="button" data-testid="fx-add" aria-expanded=move || adding.get().to_string()
                            on:click=move |_| adding.update(|a| *a = !*a)>"Add a rate"</button>
                    </div>
                })}
            </div>
            <p class="muted">"USD for one unit of each currency, per month. A billing line is valued with its month's rate when it is rated."</p>
            {(may_import && !top_of_tree).then(|| view! {
                <p class="muted" data-testid="fx-read-only">"Fx rates are set by the organisation at the top of your tree."</p>
            })}
            {move || adding.get().then(|| view! { <AddRateForm saved=saved cancel=Callback::new(move |()| adding.set(false))/> })}
            {move || notice.get().map(|n| view! { <p class="settings-notice" role="status" data-testid="notice">{n}</p> })}
            <div class="toolbar">
                <div>
                    <label for="fx-filter-currency">"Currency"</label>
                    <input id="fx-filter-currency" type="search" maxlength="3" size="6" placeholder="EUR" data-testid="fx-filter-currency"
                        prop:value=move || currency.get()
                        on:input=move |ev| { currency.set(event_target_value(&ev)); state.page.set(1); }/>
                </div>
                <div>
                    <label for="fx-filter-month">"Month"</label>
                    <input id="fx-filter-month" type="month" data-testid="fx-filter-month"
                        prop:value=move || month.get()
                        on:input=move |ev| { month.set(event_target_value(&ev)); state.page.set(1); }/>
                </div>
            </div>
            <ListTable
                columns=columns
                state=state
                data=rates
                key=|r: &FxRate| (r.currency.as_str().to_owned(), r.month.clone(), r.rate)
                row=move |rate: FxRate| view! { <RateRow rate=rate editable=editable saved=saved/> }
                caption="Fx rates of your tree"
                testid="fx-rates-table"
                empty="No fx rate matches."
            />
            {editable.then(|| view! { <ImportRates imported=Callback::new(move |()| version.update(|v| *v += 1))/> })}
        </div>
    }
    .into_any()
}

/// One rate; an editor replaces its value while it is edited.
#[component]
fn RateRow(rate: FxRate, editable: bool, saved: Callback<String>) -> impl IntoView {
    let editing = RwSignal::new(false);
    let draft = RwSignal::new(rate.rate.to_string());
    let busy = RwSignal::new(false);
    let errors = FormErrors::new(&["rate"]);
    let (currency, month, current) = (rate.currency.clone(), rate.month.clone(), rate.rate);
    let label = format!("{} {}", currency.as_str(), month);
    let error_id = format!("fx-rate-error-{}-{}", currency.as_str(), month);
    let save = {
        let label = label.clone();
        move || {
            let new = match parse_rate(&draft.get_untracked()) {
                Ok(new) => new,
                Err(why) => {
                    errors.set(Some(local_problem(vec![FieldError::field("rate", why)])));
                    return;
                }
            };
            if new == current {
                editing.set(false);
                return;
            }
            let body =
                FxRateUpsert { rates: vec![FxRate { currency: currency.clone(), month: month.clone(), rate: new }] };
            let label = label.clone();
            busy.set(true);
            errors.set(None);
            spawn_local(async move {
                let result = api::upsert_fx_rates(&body).await;
                busy.set(false);
                match result {
                    Ok(_) => {
                        editing.set(false);
                        saved.run(format!("{label} is now {new} USD per unit."));
                    }
                    Err(e) => errors.set(Some(e)),
                }
            });
        }
    };
    let value = move || {
        if editing.get() {
            let save = save.clone();
            let save_on_enter = save.clone();
            view! {
                <input type="text" inputmode="decimal" size="12" data-testid="fx-rate-input" aria-label=format!("Rate of {label}")
                    aria-invalid=move || errors.field("rate").is_some().then_some("true") aria-describedby=error_id.clone()
                    prop:value=move || draft.get() on:input=move |ev| draft.set(event_target_value(&ev))
                    on:keydown=move |ev| if ev.key() == "Enter" { save_on_enter() }/>
                <FieldMessage errors=errors field="rate" id=error_id.clone()/>
                <FormFailure errors=errors/>
                <div class="settings-row-actions">
                    <button type="button" data-testid="fx-rate-save" disabled=move || busy.get() on:click=move |_| save()>"Save"</button>
                    <button type="button" class="secondary" data-testid="fx-rate-cancel"
                        on:click=move |_| { editing.set(false); errors.set(None); draft.set(current.to_string()); }>"Cancel"</button>
                </div>
            }
            .into_any()
        } else {
            view! { <span data-testid="fx-rate-value">{shown_rate(current)}</span> }.into_any()
        }
    };
    view! {
        <tr data-testid="fx-rate-row" data-currency=rate.currency.as_str().to_owned() data-month=rate.month.clone()>
            <td>{rate.currency.as_str().to_owned()}</td>
            <td>{rate.month.clone()}</td>
            <td class="num">{value}</td>
            {editable.then(|| view! {
                <td>{move || (!editing.get()).then(|| view! {
                    <button type="button" class="secondary" data-testid="fx-rate-edit" on:click=move |_| editing.set(true)>"Edit"</button>
                })}</td>
            })}
        </tr>
    }
}

/// The fields the add form shows errors beside (`rates[0].rate` and the like match them).
const RATE_FIELDS: &[&str] = &["currency", "month", "rate"];

/// Adding (or replacing) the rate of one currency and month.
#[component]
fn AddRateForm(saved: Callback<String>, cancel: Callback<()>) -> impl IntoView {
    let currency = RwSignal::new(String::new());
    let month = RwSignal::new(String::new());
    let rate = RwSignal::new(String::new());
    let busy = RwSignal::new(false);
    let errors = FormErrors::new(RATE_FIELDS);
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let mut local = Vec::new();
        let code = CurrencyCode::parse(&currency.get_untracked());
        if let Err(e) = &code {
            local.push(FieldError::field("currency", e.to_string()));
        }
        let month_text = month.get_untracked().trim().to_owned();
        if !looks_like_month(&month_text) {
            local.push(FieldError::field("month", "must be a month such as 2026-10"));
        }
        let value = parse_rate(&rate.get_untracked());
        if let Err(why) = value {
            local.push(FieldError::field("rate", why));
        }
        let (Ok(code), Ok(value), true) = (code, value, local.is_empty()) else {
            errors.set(Some(local_problem(local)));
            return;
        };
        let label = format!("{} {month_text}", code.as_str());
        let body = FxRateUpsert { rates: vec![FxRate { currency: code, month: month_text, rate: value }] };
        busy.set(true);
        errors.set(None);
        spawn_local(async move {
            let result = api::upsert_fx_rates(&body).await;
            busy.set(false);
            match result {
                Ok(_) => {
                    currency.set(String::new());
                    rate.set(String::new());
                    saved.run(format!("{label} is now {value} USD per unit."));
                }
                Err(e) => errors.set(Some(e)),
            }
        });
    };
    let invalid = move |field: &'static str| move || errors.field(field).is_some().then_some("true");
    view! {
        <section class="panel">
            <h2>"Add a rate"</h2>
            <p class="muted">"A rate already set for that currency and month is replaced."</p>
            <form class="settings-form" on:submit=submit data-testid="fx-add-form" novalidate>
                <div class="field">
                    <label for="fx-add-currency">"Currency (ISO 4217)"</label>
                    <input id="fx-add-currency" type="text" maxlength="3" size="6" placeholder="EUR" required data-testid="fx-add-currency"
                        aria-invalid=invalid("currency") aria-describedby="fx-add-currency-error"
                        prop:value=move || currency.get() on:input=move |ev| currency.set(event_target_value(&ev))/>
                    <FieldMessage errors=errors field="currency" id="fx-add-currency-error"/>
                </div>
                <div class="field">
                    <label for="fx-add-month">"Month"</label>
                    <input id="fx-add-month" type="month" placeholder="2026-10" required data-testid="fx-add-month"
                        aria-invalid=invalid("month") aria-describedby="fx-add-month-error"
                        prop:value=move || month.get() on:input=move |ev| month.set(event_target_value(&ev))/>
                    <FieldMessage errors=errors field="month" id="fx-add-month-error"/>
                </div>
                <div class="field">
                    <label for="fx-add-rate">"USD per unit"</label>
                    <input id="fx-add-rate" type="text" inputmode="decimal" placeholder="1.0842" required data-testid="fx-add-rate"
                        aria-invalid=invalid("rate") aria-describedby="fx-add-rate-error"
                        prop:value=move || rate.get() on:input=move |ev| rate.set(event_target_value(&ev))/>
                    <FieldMessage errors=errors field="rate" id="fx-add-rate-error"/>
                </div>
                <FormFailure errors=errors/>
                <div class="toolbar">
                    <button type="submit" data-testid="fx-add-submit" disabled=move || busy.get()>"Save rate"</button>
                    <button type="button" class="secondary" data-testid="fx-add-cancel" on:click=move |_| cancel.run(())>"Cancel"</button>
                </div>
            </form>
        </section>
    }
}

/// The outcome of the last import.
#[derive(Debug, Clone)]
enum Imported {
    /// Written: how many rates, from which file.
    Done(u64, String),
    /// Refused with one error per bad row (the file changed nothing).
    Rows(Vec<FieldError>),
    /// Refused for another reason.
    Failed(ApiFailure),
}

/// A refusal's row errors, if it is one.
fn row_errors(failure: &ApiFailure) -> Option<Vec<FieldError>> {
    match failure {
        ApiFailure::Problem(p) if p.status == 422 && !p.errors.is_empty() => Some(p.errors.clone()),
        _ => None,
    }
}

/// A row error's message without its `row N: ` prefix (the row has a column of its own).
fn without_row(message: &str) -> &str {
    match message.strip_prefix("row ").and_then(|rest| rest.split_once(": ")) {
        Some((n, rest)) if n.bytes().all(|b| b.is_ascii_digit()) => rest,
        _ => message,
    }
}

/// Importing rates from a CSV file, all or nothing.
#[component]
fn ImportRates(imported: Callback<()>) -> impl IntoView {
    let input = NodeRef::<html::Input>::new();
    let busy = RwSignal::new(false);
    let outcome = RwSignal::new(None::<Imported>);
    let import = move |_| {
        let Some(element) = input.get() else { return };
        busy.set(true);
        spawn_local(async move {
            let chosen = read_chosen_file(&element).await;
            let (name, text) = match chosen {
                Ok(file) => file,
                Err(why) => {
                    busy.set(false);
                    outcome.set(Some(Imported::Failed(local_problem(vec![FieldError::field("file", why)]))));
                    return;
                }
            };
            if !confirm(&format!(
                "Import the rates of {name}? Rates already set for the same currency and month are replaced."
            )) {
                busy.set(false);
                return;
            }
            let result = api::import_fx_rates(text).await;
            busy.set(false);
            match result {
                Ok(written) => {
                    element.set_value("");
                    outcome.set(Some(Imported::Done(written, name)));
                    imported.run(());
                }
                Err(e) => outcome.set(Some(match row_errors(&e) {
                    Some(rows) => Imported::Rows(rows),
                    None => Imported::Failed(e),
                })),
            }
        });
    };
    let result = move || {
        outcome.get().map(|o| match o {
            Imported::Done(written, name) => view! {
                <p class="settings-notice" role="status" data-testid="fx-import-result">{format!("{written} rate(s) written from {name}.")}</p>
            }
            .into_any(),
            Imported::Failed(e) => view! { <div data-testid="fx-import-failure"><ErrorView error=e/></div> }.into_any(),
            Imported::Rows(rows) => {
                let count = rows.len();
                view! {
                    <div role="alert" data-testid="fx-import-errors">
                        <p class="error">{format!("The file was refused and nothing was imported: {count} problem(s).")}</p>
                        <div class="table-wrap">
                            <table>
                                <thead><tr><th scope="col" class="num">"Row"</th><th scope="col">"Column"</th><th scope="col">"Problem"</th></tr></thead>
                                <tbody>{rows.into_iter().map(|e| view! {
                                    <tr data-testid="fx-import-error">
                                        <td class="num">{e.row.map(|r| r.to_string()).unwrap_or_else(|| "—".into())}</td>
                                        <td>{e.field.clone().unwrap_or_else(|| "—".into())}</td>
                                        <td class="settings-wrap">{without_row(&e.message).to_owned()}</td>
                                    </tr>
                                }).collect_view()}</tbody>
                            </table>
                        </div>
                    </div>
                }
                .into_any()
            }
        })
    };
    view! {
        <section class="panel" data-testid="fx-import">
            <h2>"Import rates from a CSV file"</h2>
            <p class="muted">"Columns " <code>"currency,month,rate"</code> ", one rate per row, for example " <code>"EUR,2026-10,1.0842"</code>
                ". All or nothing: one bad row refuses the file."</p>
            <div class="toolbar">
                <div>
                    <label for="fx-import-file">"CSV file"</label>
                    <input id="fx-import-file" type="file" accept=".csv,text/csv" data-testid="fx-import-file" node_ref=input/>
                </div>
                <button type="button" data-testid="fx-import-submit" disabled=move || busy.get() on:click=import>"Import"</button>
            </div>
            {result}
        </section>
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_rate_is_an_exact_decimal_above_zero() {
        assert_eq!(parse_rate(" 1.0842 "), Ok(Decimal::new(10842, 4)));
        assert_eq!(parse_rate("0"), Err("must be above zero"));
        assert_eq!(parse_rate("1,08"), Err("must be a decimal such as 1.0842"));
    }

    #[test]
    fn a_month_is_year_dash_month() {
        assert!(looks_like_month("2026-10"));
        assert!(!looks_like_month("2026-1"));
        assert!(!looks_like_month("202610x"));
    }

    #[test]
    fn a_row_error_loses_its_row_prefix() {
        assert_eq!(without_row("row 3: must be a month such as 2026-10"), "must be a month such as 2026-10");
        assert_eq!(without_row("the file has no rates"), "the file has no rates");
    }
}
