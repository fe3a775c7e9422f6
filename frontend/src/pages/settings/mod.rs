//! Settings an operator administers: users, API keys and fx rates. Each page offers only what
//! the caller's `GET /me` permissions allow; the server checks again and scopes every answer.
//!
//! This module holds what the three pages share: the page title, the caller, a paged and
//! sortable table whose rows carry controls, field errors from problem details, and the
//! organisation picker of a distributor.

mod api_keys;
mod fx_rates;
mod users;

pub use api_keys::ApiKeysSettings;
pub use fx_rates::FxRatesSettings;
pub use users::UsersSettings;

use std::hash::Hash;

use chrono::{DateTime, Utc};
use domain::api::{FieldError, ListParams, Me, OrganizationFilter, Page, Problem};
use domain::kinds::OrgKind;
use domain::roles::{Permission, Role};
use leptos::prelude::*;
use wasm_bindgen::JsCast;
use wasm_bindgen_futures::JsFuture;

use super::shell::MeResource;
use crate::api::{self, ApiFailure};
use crate::components::table::heading;
use crate::components::{Column, Empty, ErrorView, Loaded, Pager, TableState};

/// Rows per page of every settings list.
pub(crate) const PER_PAGE: u64 = 25;

/// Sets the document title to `page · Tierdash`, and back to `Tierdash` when the page goes
/// (unless the next page has set its own already).
fn set_title(page: &'static str) {
    let Some(document) = web_sys::window().and_then(|w| w.document()) else { return };
    let title = format!("{page} · Tierdash");
    document.set_title(&title);
    on_cleanup(move || {
        if let Some(document) = web_sys::window().and_then(|w| w.document())
            && document.title() == title
        {
            document.set_title("Tierdash");
        }
    });
}

/// The caller, as the shell loaded it (the shell shows its pages only once it has).
fn current_me() -> Option<Me> {
    use_context::<MeResource>().and_then(|me| me.get_untracked()).and_then(Result::ok)
}

/// Whether the caller has `permission`.
fn can(me: &Me, permission: Permission) -> bool {
    me.permissions.contains(&permission)
}

/// Asks the user to confirm an action.
fn confirm(message: &str) -> bool {
    web_sys::window().and_then(|w| w.confirm_with_message(message).ok()).unwrap_or(false)
}

/// The list parameters of a table's state.
fn list_params(state: TableState) -> ListParams {
    ListParams {
        page: Some(state.page.get()),
        per_page: Some(PER_PAGE),
        q: Some(state.q.get()).map(|q| q.trim().to_owned()).filter(|q| !q.is_empty()),
        sort: Some(state.sort.get()).filter(|s| !s.is_empty()),
    }
}

/// A moment as `YYYY-MM-DD HH:MM UTC`.
fn when(at: DateTime<Utc>) -> String {
    crate::format::moment(at)
}

/// An optional moment, or a dash.
fn when_opt(at: Option<DateTime<Utc>>) -> String {
    at.map(when).unwrap_or_else(|| "—".into())
}

/// A role as people read it.
fn role_label(role: Role) -> String {
    role.as_str().replace('_', " ")
}

/// `<option>`s for every role, `selected` marking one.
fn role_options(selected: Option<Role>) -> impl IntoView {
    Role::ALL
        .iter()
        .map(|&r| view! { <option value=r.as_str() selected=selected == Some(r)>{role_label(r)}</option> })
        .collect_view()
}

/// A refusal found before asking the server (a bad e-mail, a rate that is not a decimal),
/// shaped like the server's so it shows the same way.
fn local_problem(errors: Vec<FieldError>) -> ApiFailure {
    ApiFailure::Problem(Box::new(Problem {
        kind: "about:blank".into(),
        title: "The request is not valid".into(),
        status: 422,
        detail: Some("Please correct the fields marked.".into()),
        request_id: None,
        errors,
        balance: None,
        needed: None,
    }))
}

/// The last failure of a form, read per field: the problem's `errors[].field` shown next to
/// the field it names (`rates[0].rate` matches the field `rate`), the rest above the button.
#[derive(Debug, Clone, Copy)]
struct FormErrors {
    failure: RwSignal<Option<ApiFailure>>,
    /// The fields the form shows messages beside.
    fields: &'static [&'static str],
}

impl FormErrors {
    fn new(fields: &'static [&'static str]) -> FormErrors {
        FormErrors { failure: RwSignal::new(None), fields }
    }

    fn set(&self, failure: Option<ApiFailure>) {
        self.failure.set(failure);
    }

    fn matches(error_field: &str, field: &str) -> bool {
        error_field == field || error_field.ends_with(&format!(".{field}"))
    }

    /// The messages about `field`, if any.
    fn field(&self, field: &str) -> Option<String> {
        self.failure.with(|f| match f {
            Some(ApiFailure::Problem(p)) => {
                let messages: Vec<&str> = p
                    .errors
                    .iter()
                    .filter(|e| e.field.as_deref().is_some_and(|f| Self::matches(f, field)))
                    .map(|e| e.message.as_str())
                    .collect();
                (!messages.is_empty()).then(|| messages.join("; "))
            }
            _ => None,
        })
    }

    /// The failure, unless every one of its errors is shown beside a field.
    fn general(&self) -> Option<ApiFailure> {
        let fields = self.fields;
        self.failure.get().filter(|f| match f {
            ApiFailure::Problem(p) => {
                p.errors.is_empty()
                    || p.errors
                        .iter()
                        .any(|e| !e.field.as_deref().is_some_and(|name| fields.iter().any(|f| Self::matches(name, f))))
            }
            _ => true,
        })
    }
}

/// The message beside a field, when the last failure named it.
#[component]
fn FieldMessage(errors: FormErrors, field: &'static str, #[prop(into)] id: String) -> impl IntoView {
    move || {
        errors.field(field).map(|message| {
            view! { <p class="error field-error" id=id.clone() data-testid=format!("field-error-{field}")>{message}</p> }
        })
    }
}

/// The failure of a form that is not about one of its fields.
#[component]
fn FormFailure(errors: FormErrors) -> impl IntoView {
    move || errors.general().map(|e| view! { <ErrorView error=e/> })
}

/// Shown instead of a page the caller may not use.
#[component]
fn NotAllowed(#[prop(into)] message: String) -> impl IntoView {
    view! { <div class="state" role="alert" data-testid="not-allowed">{message}</div> }
}

/// A page of items as a table whose rows carry controls (the shared `DataTable` shows text
/// cells only): sortable headings, one row per item, and a pager with the total. Sorting and
/// paging are the API's, through `state`.
#[component]
fn ListTable<T, K, KV, R, V>(
    columns: Vec<Column>,
    state: TableState,
    data: LocalResource<Result<Page<T>, ApiFailure>>,
    /// Each row's key: include what a row shows, so a changed item is drawn again.
    key: K,
    row: R,
    #[prop(into)] caption: String,
    #[prop(into)] testid: String,
    #[prop(into)] empty: String,
) -> impl IntoView
where
    T: Clone + Send + Sync + 'static,
    K: Fn(&T) -> KV + Clone + Send + Sync + 'static,
    KV: Eq + Hash + 'static,
    R: Fn(T) -> V + Clone + Send + Sync + 'static,
    V: IntoView + 'static,
{
    let body = move |page: Page<T>| {
        if page.items.is_empty() {
            return view! { <Empty message=empty.clone()/> }.into_any();
        }
        let (total, per_page) = (page.total, page.per_page);
        let items = page.items;
        let headings = columns.iter().map(|c| heading(c, state)).collect_view();
        view! {
            <div class="table-wrap">
                <table>
                    <caption class="muted" style="text-align:left">{caption.clone()}</caption>
                    <thead><tr>{headings}</tr></thead>
                    <tbody><For each=move || items.clone() key=key.clone() children=row.clone()/></tbody>
                </table>
            </div>
            <Pager page=state.page total=total per_page=per_page/>
        }
        .into_any()
    };
    view! { <div data-testid=testid><Loaded data=data view=body/></div> }
}

/// The search box of a table.
#[component]
fn SearchBox(state: TableState, #[prop(into)] id: String, #[prop(into)] placeholder: String) -> impl IntoView {
    view! {
        <div>
            <label for=id.clone()>"Search"</label>
            <input id=id type="search" data-testid="search" placeholder=placeholder
                prop:value=move || state.q.get()
                on:input=move |ev| { state.q.set(event_target_value(&ev)); state.page.set(1); }/>
        </div>
    }
}

/// Which organisation of a distributor's subtree something is for (`None`: the caller's own).
/// Other callers have only their own, so they are not asked.
#[component]
fn OrgPicker(me: Me, value: RwSignal<Option<i64>>, #[prop(into)] testid: String) -> impl IntoView {
    if me.organization.kind != OrgKind::Distributor {
        return ().into_any();
    }
    let q = RwSignal::new(String::new());
    let found = LocalResource::new(move || {
        let list = ListParams {
            page: None,
            per_page: Some(20),
            q: Some(q.get()).map(|q| q.trim().to_owned()).filter(|q| !q.is_empty()),
            sort: Some("name".into()),
        };
        api::organizations(list, OrganizationFilter::default())
    });
    let own = me.organization.clone();
    let id = format!("{testid}-select");
    view! {
        <div class="field">
            <label for=id.clone()>"Organisation"</label>
            <div class="settings-org">
                <input type="search" aria-label="Find an organisation" placeholder="Find an organisation"
                    data-testid=format!("{testid}-search") prop:value=move || q.get()
                    on:input=move |ev| { q.set(event_target_value(&ev)); value.set(None); }/>
                <select id=id data-testid=testid
                    prop:value=move || value.get().map(|v| v.to_string()).unwrap_or_default()
                    on:change=move |ev| value.set(event_target_value(&ev).parse().ok())>
                    <option value="">{format!("{} (yours)", own.name)}</option>
                    {move || found.get().and_then(Result::ok).map(|page| {
                        page.items.into_iter().filter(|o| o.id != own.id).map(|o| {
                            let label = format!("{} · {}", o.name, o.kind.as_str());
                            view! { <option value=o.id.to_string() selected=value.get_untracked() == Some(o.id)>{label}</option> }
                        }).collect_view()
                    })}
                </select>
            </div>
        </div>
    }
    .into_any()
}

/// Copies text to the clipboard.
async fn copy_text(text: &str) -> Result<(), String> {
    let window = web_sys::window().ok_or("no window")?;
    JsFuture::from(window.navigator().clipboard().write_text(text)).await.map(|_| ()).map_err(|e| format!("{e:?}"))
}

/// The name and text of the file chosen in a file input.
async fn read_chosen_file(input: &web_sys::HtmlInputElement) -> Result<(String, String), String> {
    let file = input.files().and_then(|files| files.get(0)).ok_or("Choose a file first.")?;
    let name = file.name();
    let text = JsFuture::from(file.text()).await.map_err(|_| format!("{name} could not be read."))?;
    let text = text.dyn_into::<js_sys::JsString>().map_err(|_| format!("{name} is not text."))?;
    Ok((name, String::from(text)))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_field_error_matches_its_field_and_indexed_paths() {
        assert!(FormErrors::matches("rate", "rate"));
        assert!(FormErrors::matches("rates[0].rate", "rate"));
        assert!(!FormErrors::matches("rates[0].rate", "currency"));
        assert!(!FormErrors::matches("separate", "rate"));
    }

    #[test]
    fn a_moment_is_written_in_utc() {
        let at = DateTime::parse_from_rfc3339("2026-10-03T07:05:00Z").unwrap().with_timezone(&Utc);
        assert_eq!(when(at), "2026-10-03 07:05 UTC");
        assert_eq!(when_opt(None), "—");
    }
}
