//! `/settings/api-keys`: the API keys of the caller's subtree (never their secrets), creating
//! one (its secret shown this once, with a copy button) and revoking one after a confirmation.
//! Only for `manage_api_keys`; keys are created only by a logged-in admin, not by another key.

use chrono::{DateTime, NaiveDate, Utc};
use domain::api::{ApiKey, ApiKeyFilter, CreatedApiKey, FieldError, Me, NewApiKey};
use domain::roles::{Permission, Role};
use leptos::prelude::*;
use leptos::task::spawn_local;

use super::{
    FieldMessage, FormErrors, FormFailure, ListTable, NotAllowed, OrgPicker, SearchBox, can, confirm, copy_text,
    current_me, list_params, local_problem, role_label, role_options, set_title, when, when_opt,
};
use crate::api::{self, ApiFailure};
use crate::components::{Column, ErrorView, TableState};

/// Now, from the browser's clock (chrono's `Utc::now` is not available in the browser build).
fn now() -> DateTime<Utc> {
    DateTime::from_timestamp_millis(js_sys::Date::now() as i64).unwrap_or_default()
}

/// A key's state as people read it.
fn status(key: &ApiKey, now: DateTime<Utc>) -> &'static str {
    if key.revoked_at.is_some() {
        "Revoked"
    } else if key.expires_at.is_some_and(|at| at <= now) {
        "Expired"
    } else {
        "Active"
    }
}

/// The end of a day picked in a date input (`YYYY-MM-DD`), in UTC: a key "expiring on" a day
/// works through that day.
fn end_of_day(text: &str) -> Option<DateTime<Utc>> {
    let mut parts = text.trim().splitn(3, '-').map(str::parse::<u32>);
    let (Some(Ok(y)), Some(Ok(m)), Some(Ok(d))) = (parts.next(), parts.next(), parts.next()) else {
        return None;
    };
    NaiveDate::from_ymd_opt(i32::try_from(y).ok()?, m, d)?.and_hms_opt(23, 59, 59).map(|t| t.and_utc())
}

/// The API keys page.
#[component]
pub fn ApiKeysSettings() -> impl IntoView {
    set_title("API keys");
    let Some(me) = current_me().filter(|me| can(me, Permission::ManageApiKeys)) else {
        return view! {
            <h1>"API keys"</h1>
            <NotAllowed message="Only an admin manages API keys."/>
        }
        .into_any();
    };
    // Keys are created by a logged-in admin; a caller using a key may list and revoke.
    let creatable = me.user.is_some();
    let state = TableState::new("-created_at");
    let include_revoked = RwSignal::new(false);
    let version = RwSignal::new(0u32);
    let keys = LocalResource::new(move || {
        version.track();
        let filter = ApiKeyFilter { include_revoked: include_revoked.get().then_some(true) };
        api::api_keys(list_params(state), filter)
    });
    let adding = RwSignal::new(false);
    let created = RwSignal::new(None::<CreatedApiKey>);
    let notice = RwSignal::new(None::<String>);
    let failure = RwSignal::new(None::<ApiFailure>);
    let on_created = Callback::new(move |key: CreatedApiKey| {
        adding.set(false);
        notice.set(None);
        failure.set(None);
        created.set(Some(key));
        version.update(|v| *v += 1);
    });
    let revoked = Callback::new(move |result: Result<ApiKey, ApiFailure>| {
        match result {
            Ok(key) => {
                failure.set(None);
                notice.set(Some(format!("The key “{}” is revoked.", key.name)));
            }
            Err(e) => {
                notice.set(None);
                failure.set(Some(e));
            }
        }
        version.update(|v| *v += 1);
    });
    let columns = vec![
        Column::sorted("Name", "name"),
        Column::plain("Prefix"),
        Column::plain("Role"),
        Column::sorted("Created", "created_at"),
        Column::plain("Expires"),
        Column::plain("Last used"),
        Column::plain("Status"),
        Column::plain("Actions"),
    ];
    let form_me = me.clone();
    view! {
        <div data-testid="settings-api-keys">
            <div class="page-head">
                <h1>"API keys"</h1>
                {creatable.then(|| view! {
                    <div class="toolbar">
                        <button type="button" data-testid="add-api-key" aria-expanded=move || adding.get().to_string()
                            on:click=move |_| adding.update(|a| *a = !*a)>"Create API key"</button>
                    </div>
                })}
            </div>
            {(!creatable).then(|| view! {
                <p class="muted" data-testid="api-keys-read-only">"API keys are created by an admin logged in with a password, not with another key."</p>
            })}
            {move || created.get().map(|key| view! { <SecretPanel key=key done=Callback::new(move |()| created.set(None))/> })}
            {move || adding.get().then(|| view! { <NewKeyForm me=form_me.clone() created=on_created cancel=Callback::new(move |()| adding.set(false))/> })}
            {move || notice.get().map(|n| view! { <p class="settings-notice" role="status" data-testid="notice">{n}</p> })}
            {move || failure.get().map(|e| view! { <div data-testid="api-key-action-error"><ErrorView error=e/></div> })}
            <div class="toolbar">
                <SearchBox state=state id="api-keys-search" placeholder="Name or prefix"/>
                <div>
                    <label class="settings-check">
                        <input type="checkbox" data-testid="include-revoked" prop:checked=move || include_revoked.get()
                            on:change=move |ev| { include_revoked.set(event_target_checked(&ev)); state.page.set(1); }/>
                        " Show revoked keys"
                    </label>
                </div>
            </div>
            <ListTable
                columns=columns
                state=state
                data=keys
                key=|k: &ApiKey| (k.id, k.revoked_at, k.last_used_at, k.name.clone())
                row=move |key: ApiKey| view! { <KeyRow key=key revoked=revoked/> }
                caption="API keys of your organisation and the organisations below it"
                testid="api-keys-table"
                empty="No API key matches."
            />
        </div>
    }
    .into_any()
}

/// One key, with its revoke button.
#[component]
fn KeyRow(key: ApiKey, revoked: Callback<Result<ApiKey, ApiFailure>>) -> impl IntoView {
    let busy = RwSignal::new(false);
    let id = key.id;
    let state = status(&key, now());
    let question = format!(
        "Revoke the key “{}” ({}…)? Anything using it stops working at once. This cannot be undone.",
        key.name, key.prefix
    );
    let revoke = move |_| {
        if !confirm(&question) {
            return;
        }
        busy.set(true);
        spawn_local(async move {
            let result = api::revoke_api_key(id).await;
            busy.set(false);
            revoked.run(result);
        });
    };
    view! {
        <tr data-testid="api-key-row" data-id=id data-name=key.name.clone()>
            <td>{key.name.clone()}</td>
            <td><code>{format!("{}…", key.prefix)}</code></td>
            <td>{role_label(key.role)}</td>
            <td>{when(key.created_at)}</td>
            <td>{when_opt(key.expires_at)}</td>
            <td>{when_opt(key.last_used_at)}</td>
            <td data-testid="api-key-status">{state}</td>
            <td>{key.revoked_at.is_none().then(|| view! {
                <button type="button" class="secondary" data-testid="revoke-key" disabled=move || busy.get() on:click=revoke>"Revoke"</button>
            })}</td>
        </tr>
    }
}

/// A key just created: its secret, this once, with a copy button.
#[component]
fn SecretPanel(key: CreatedApiKey, done: Callback<()>) -> impl IntoView {
    let copied = RwSignal::new(None::<Result<(), String>>);
    let secret = key.secret.clone();
    let copy = move |_| {
        let secret = secret.clone();
        spawn_local(async move { copied.set(Some(copy_text(&secret).await)) });
    };
    view! {
        <section class="panel settings-secret" data-testid="api-key-created" aria-labelledby="api-key-created-title">
            <h2 id="api-key-created-title">{format!("The key “{}” is created", key.key.name)}</h2>
            <p class="settings-warning" role="alert" data-testid="api-key-secret-warning">
                <strong>"Copy the secret now: you will not see it again."</strong>
                " Tierdash keeps only a hash of it. If it is lost, revoke the key and create another."
            </p>
            <div class="settings-secret-row">
                <code data-testid="api-key-secret">{key.secret.clone()}</code>
                <button type="button" data-testid="copy-secret" on:click=copy>"Copy"</button>
            </div>
            {move || copied.get().map(|result| match result {
                Ok(()) => view! { <p class="settings-notice" role="status" data-testid="copy-status">"Copied to the clipboard."</p> }.into_any(),
                Err(_) => view! { <p class="error" role="status" data-testid="copy-status">"The browser did not allow copying: select the secret and copy it by hand."</p> }.into_any(),
            })}
            <p class="muted">{format!("Use it as a bearer token: Authorization: Bearer {}…", key.key.prefix)}</p>
            <button type="button" class="secondary" data-testid="secret-done" on:click=move |_| done.run(())>"I have stored it"</button>
        </section>
    }
}

/// The fields the new-key form shows errors beside.
const KEY_FIELDS: &[&str] = &["name", "role", "expires_at", "org_id"];

/// Creating a key: name, role, an optional expiry and, for a distributor, the organisation.
#[component]
fn NewKeyForm(me: Me, created: Callback<CreatedApiKey>, cancel: Callback<()>) -> impl IntoView {
    let name = RwSignal::new(String::new());
    let role = RwSignal::new(None::<Role>);
    let expires = RwSignal::new(String::new());
    let org_id = RwSignal::new(None::<i64>);
    let busy = RwSignal::new(false);
    let errors = FormErrors::new(KEY_FIELDS);
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let mut local = Vec::new();
        let expires_text = expires.get_untracked();
        let expires_at = if expires_text.trim().is_empty() { None } else { end_of_day(&expires_text) };
        if !expires_text.trim().is_empty() && expires_at.is_none() {
            local.push(FieldError::field("expires_at", "must be a date such as 2027-01-31"));
        }
        if role.get_untracked().is_none() {
            local.push(FieldError::field("role", "choose a role"));
        }
        let (Some(chosen), true) = (role.get_untracked(), local.is_empty()) else {
            errors.set(Some(local_problem(local)));
            return;
        };
        let new = NewApiKey {
            name: name.get_untracked().trim().to_owned(),
            role: chosen,
            org_id: org_id.get_untracked(),
            expires_at,
        };
        busy.set(true);
        errors.set(None);
        spawn_local(async move {
            let result = api::create_api_key(&new).await;
            busy.set(false);
            match result {
                Ok(key) => created.run(key),
                Err(e) => errors.set(Some(e)),
            }
        });
    };
    let invalid = move |field: &'static str| move || errors.field(field).is_some().then_some("true");
    view! {
        <section class="panel">
            <h2>"Create an API key"</h2>
            <form class="settings-form" on:submit=submit data-testid="add-api-key-form" novalidate>
                <div class="field">
                    <label for="new-key-name">"Name (what it is for)"</label>
                    <input id="new-key-name" type="text" required data-testid="new-key-name" placeholder="ERP sync"
                        aria-invalid=invalid("name") aria-describedby="new-key-name-error"
                        prop:value=move || name.get() on:input=move |ev| name.set(event_target_value(&ev))/>
                    <FieldMessage errors=errors field="name" id="new-key-name-error"/>
                </div>
                <div class="field">
                    <label for="new-key-role">"Role"</label>
                    <select id="new-key-role" required data-testid="new-key-role"
                        aria-invalid=invalid("role") aria-describedby="new-key-role-error"
                        on:change=move |ev| role.set(event_target_value(&ev).parse().ok())>
                        <option value="">"Choose…"</option>
                        {role_options(None)}
                    </select>
                    <FieldMessage errors=errors field="role" id="new-key-role-error"/>
                </div>
                <div class="field">
                    <label for="new-key-expires">"Expires after (optional; the end of that day, UTC)"</label>
                    <input id="new-key-expires" type="date" data-testid="new-key-expires"
                        aria-invalid=invalid("expires_at") aria-describedby="new-key-expires-error"
                        prop:value=move || expires.get() on:input=move |ev| expires.set(event_target_value(&ev))/>
                    <FieldMessage errors=errors field="expires_at" id="new-key-expires-error"/>
                </div>
                <OrgPicker me=me value=org_id testid="new-key-org"/>
                <FieldMessage errors=errors field="org_id" id="new-key-org-error"/>
                <FormFailure errors=errors/>
                <div class="toolbar">
                    <button type="submit" data-testid="create-key-submit" disabled=move || busy.get()>"Create key"</button>
                    <button type="button" class="secondary" data-testid="create-key-cancel" on:click=move |_| cancel.run(())>"Cancel"</button>
                </div>
            </form>
        </section>
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_expiry_date_means_the_end_of_that_day_in_utc() {
        let at = end_of_day("2027-01-31").unwrap();
        assert_eq!(at.to_rfc3339(), "2027-01-31T23:59:59+00:00");
        assert!(end_of_day("2027-02-30").is_none());
        assert!(end_of_day("soon").is_none());
    }
}
