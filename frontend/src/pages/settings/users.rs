//! `/settings/users`: the users of the caller's subtree, searched, sorted and paged by the API;
//! adding a user, changing a role, disabling and enabling. Only for `manage_users`; changes
//! only when logged in as a user (the API refuses them to an API key), and never to oneself.

use domain::api::{MIN_PASSWORD, Me, NewUser, User, UserFilter, UserPatch};
use domain::codes::Email;
use domain::roles::{Permission, Role};
use leptos::prelude::*;
use leptos::task::spawn_local;

use super::{
    FieldMessage, FormErrors, FormFailure, ListTable, NotAllowed, OrgPicker, SearchBox, can, confirm, current_me,
    list_params, local_problem, role_label, role_options, set_title, when, when_opt,
};
use crate::api::{self, ApiFailure};
use crate::components::{Column, ErrorView, TableState};

/// The users page.
#[component]
pub fn UsersSettings() -> impl IntoView {
    set_title("Users");
    let Some(me) = current_me().filter(|me| can(me, Permission::ManageUsers)) else {
        return view! {
            <h1>"Users"</h1>
            <NotAllowed message="Only an admin manages users."/>
        }
        .into_any();
    };
    // The API changes users only for a logged-in admin: with an API key the list is read-only.
    let editable = me.user.is_some();
    let self_id = me.user.as_ref().map(|u| u.id);
    let state = TableState::new("name");
    let role_filter = RwSignal::new(None::<Role>);
    let disabled_filter = RwSignal::new(None::<bool>);
    let version = RwSignal::new(0u32);
    let users = LocalResource::new(move || {
        version.track();
        let filter = UserFilter { org_id: None, role: role_filter.get(), disabled: disabled_filter.get() };
        api::users(list_params(state), filter)
    });
    let adding = RwSignal::new(false);
    let notice = RwSignal::new(None::<String>);
    let failure = RwSignal::new(None::<ApiFailure>);
    let changed = Callback::new(move |result: Result<User, ApiFailure>| {
        match result {
            Ok(user) => {
                failure.set(None);
                let status = if user.disabled { "disabled" } else { "enabled" };
                notice.set(Some(format!("{} is now {} and {status}.", user.email.as_str(), role_label(user.role))));
            }
            Err(e) => {
                notice.set(None);
                failure.set(Some(e));
            }
        }
        version.update(|v| *v += 1);
    });
    let added = Callback::new(move |user: User| {
        adding.set(false);
        failure.set(None);
        notice.set(Some(format!("{} was added as {}.", user.email.as_str(), role_label(user.role))));
        version.update(|v| *v += 1);
    });
    let mut columns = vec![
        Column::sorted("Name", "name"),
        Column::sorted("E-mail", "email"),
        Column::sorted("Role", "role"),
        Column::plain("Status"),
        Column::sorted("Created", "created_at"),
        Column::plain("Last login"),
    ];
    if editable {
        columns.push(Column::plain("Actions"));
    }
    let form_me = me.clone();
    view! {
        <div data-testid="settings-users">
            <div class="page-head">
                <h1>"Users"</h1>
                {editable.then(|| view! {
                    <div class="toolbar">
                        <button type="button" data-testid="add-user" aria-expanded=move || adding.get().to_string()
                            on:click=move |_| adding.update(|a| *a = !*a)>"Add user"</button>
                    </div>
                })}
            </div>
            {(!editable).then(|| view! {
                <p class="muted" data-testid="users-read-only">"Users are added and changed by an admin logged in with a password, not with an API key."</p>
            })}
            {move || adding.get().then(|| view! { <AddUserForm me=form_me.clone() added=added cancel=Callback::new(move |()| adding.set(false))/> })}
            {move || notice.get().map(|n| view! { <p class="settings-notice" role="status" data-testid="notice">{n}</p> })}
            {move || failure.get().map(|e| view! { <div data-testid="user-action-error"><ErrorView error=e/></div> })}
            <div class="toolbar">
                <SearchBox state=state id="users-search" placeholder="E-mail or name"/>
                <div>
                    <label for="users-role">"Role"</label>
                    <select id="users-role" data-testid="users-filter-role"
                        on:change=move |ev| { role_filter.set(event_target_value(&ev).parse().ok()); state.page.set(1); }>
                        <option value="">"All roles"</option>
                        {role_options(None)}
                    </select>
                </div>
                <div>
                    <label for="users-status">"Status"</label>
                    <select id="users-status" data-testid="users-filter-status"
                        on:change=move |ev| {
                            disabled_filter.set(match event_target_value(&ev).as_str() {
                                "enabled" => Some(false),
                                "disabled" => Some(true),
                                _ => None,
                            });
                            state.page.set(1);
                        }>
                        <option value="">"All"</option>
                        <option value="enabled">"Enabled"</option>
                        <option value="disabled">"Disabled"</option>
                    </select>
                </div>
            </div>
            <ListTable
                columns=columns
                state=state
                data=users
                key=|u: &User| (u.id, u.role, u.disabled, u.name.clone())
                row=move |user: User| view! { <UserRow user=user editable=editable self_id=self_id changed=changed/> }
                caption="Users of your organisation and the organisations below it"
                testid="users-table"
                empty="No user matches."
            />
        </div>
    }
    .into_any()
}

/// One user, with its role and status controls.
#[component]
fn UserRow(
    user: User,
    editable: bool,
    self_id: Option<i64>,
    changed: Callback<Result<User, ApiFailure>>,
) -> impl IntoView {
    let id = user.id;
    let email = user.email.as_str().to_owned();
    let is_self = self_id == Some(id);
    let saved_role = user.role;
    let role = RwSignal::new(saved_role);
    let busy = RwSignal::new(false);
    let send = move |patch: UserPatch| {
        busy.set(true);
        spawn_local(async move {
            let result = api::update_user(id, &patch).await;
            busy.set(false);
            if result.is_err() {
                role.set(saved_role);
            }
            changed.run(result);
        });
    };
    let who = email.clone();
    let change_role = move |ev: leptos::ev::Event| {
        let Ok(new) = event_target_value(&ev).parse::<Role>() else { return };
        role.set(new);
        if new == saved_role {
            return;
        }
        let question = format!("Change the role of {who} from {} to {}?", role_label(saved_role), role_label(new));
        if !confirm(&question) {
            role.set(saved_role);
            return;
        }
        send(UserPatch { role: Some(new), ..Default::default() });
    };
    let who = email.clone();
    let disabled = user.disabled;
    let toggle = move |_| {
        if !disabled
            && !confirm(&format!("Disable {who}? They are logged out at once and cannot log in again until enabled."))
        {
            return;
        }
        send(UserPatch { disabled: Some(!disabled), ..Default::default() });
    };
    let role_cell = if editable && !is_self {
        view! {
            <select data-testid="user-role" aria-label=format!("Role of {email}") disabled=move || busy.get()
                prop:value=move || role.get().as_str() on:change=change_role>
                {role_options(Some(saved_role))}
            </select>
        }
        .into_any()
    } else {
        view! { <span data-testid="user-role-text">{role_label(saved_role)}</span> }.into_any()
    };
    let actions = editable.then(|| {
        let control = if is_self {
            view! { <span class="muted" data-testid="user-self">"You"</span> }.into_any()
        } else if disabled {
            view! { <button type="button" class="secondary" data-testid="user-enable" disabled=move || busy.get() on:click=toggle>"Enable"</button> }.into_any()
        } else {
            view! { <button type="button" class="secondary" data-testid="user-disable" disabled=move || busy.get() on:click=toggle>"Disable"</button> }.into_any()
        };
        view! { <td>{control}</td> }
    });
    view! {
        <tr data-testid="user-row" data-id=id data-email=user.email.as_str().to_owned()>
            <td>{user.name}</td>
            <td>{user.email.as_str().to_owned()}</td>
            <td>{role_cell}</td>
            <td data-testid="user-status">{if disabled { "Disabled" } else { "Enabled" }}</td>
            <td>{when(user.created_at)}</td>
            <td>{when_opt(user.last_login_at)}</td>
            {actions}
        </tr>
    }
}

/// The fields the add form shows errors beside.
const USER_FIELDS: &[&str] = &["email", "name", "role", "password", "org_id"];

/// Adding a user: e-mail, name, role, password and, for a distributor, the organisation.
#[component]
fn AddUserForm(me: Me, added: Callback<User>, cancel: Callback<()>) -> impl IntoView {
    let email = RwSignal::new(String::new());
    let name = RwSignal::new(String::new());
    let role = RwSignal::new(None::<Role>);
    let password = RwSignal::new(String::new());
    let org_id = RwSignal::new(None::<i64>);
    let busy = RwSignal::new(false);
    let errors = FormErrors::new(USER_FIELDS);
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let mut local = Vec::new();
        let parsed = Email::parse(&email.get_untracked());
        if let Err(e) = &parsed {
            local.push(domain::api::FieldError::field("email", e.to_string()));
        }
        if role.get_untracked().is_none() {
            local.push(domain::api::FieldError::field("role", "choose a role"));
        }
        if password.get_untracked().chars().count() < MIN_PASSWORD {
            local.push(domain::api::FieldError::field(
                "password",
                format!("must be at least {MIN_PASSWORD} characters"),
            ));
        }
        let (Ok(parsed), Some(chosen), true) = (parsed, role.get_untracked(), local.is_empty()) else {
            errors.set(Some(local_problem(local)));
            return;
        };
        let new = NewUser {
            org_id: org_id.get_untracked(),
            email: parsed,
            name: name.get_untracked().trim().to_owned(),
            role: chosen,
            password: password.get_untracked(),
        };
        busy.set(true);
        errors.set(None);
        spawn_local(async move {
            let result = api::create_user(&new).await;
            busy.set(false);
            match result {
                Ok(user) => added.run(user),
                Err(e) => errors.set(Some(e)),
            }
        });
    };
    let invalid = move |field: &'static str| move || errors.field(field).is_some().then_some("true");
    view! {
        <section class="panel">
            <h2>"Add a user"</h2>
            <form class="settings-form" on:submit=submit data-testid="add-user-form" novalidate>
                <div class="field">
                    <label for="new-user-email">"E-mail"</label>
                    <input id="new-user-email" type="email" autocomplete="off" required data-testid="new-user-email"
                        aria-invalid=invalid("email") aria-describedby="new-user-email-error"
                        prop:value=move || email.get() on:input=move |ev| email.set(event_target_value(&ev))/>
                    <FieldMessage errors=errors field="email" id="new-user-email-error"/>
                </div>
                <div class="field">
                    <label for="new-user-name">"Name"</label>
                    <input id="new-user-name" type="text" required data-testid="new-user-name"
                        aria-invalid=invalid("name") aria-describedby="new-user-name-error"
                        prop:value=move || name.get() on:input=move |ev| name.set(event_target_value(&ev))/>
                    <FieldMessage errors=errors field="name" id="new-user-name-error"/>
                </div>
                <div class="field">
                    <label for="new-user-role">"Role"</label>
                    <select id="new-user-role" required data-testid="new-user-role"
                        aria-invalid=invalid("role") aria-describedby="new-user-role-error"
                        on:change=move |ev| role.set(event_target_value(&ev).parse().ok())>
                        <option value="">"Choose…"</option>
                        {role_options(None)}
                    </select>
                    <FieldMessage errors=errors field="role" id="new-user-role-error"/>
                </div>
                <div class="field">
                    <label for="new-user-password">{format!("Password (at least {MIN_PASSWORD} characters)")}</label>
                    <input id="new-user-password" type="password" autocomplete="new-password" required data-testid="new-user-password"
                        aria-invalid=invalid("password") aria-describedby="new-user-password-error"
                        prop:value=move || password.get() on:input=move |ev| password.set(event_target_value(&ev))/>
                    <FieldMessage errors=errors field="password" id="new-user-password-error"/>
                </div>
                <OrgPicker me=me value=org_id testid="new-user-org"/>
                <FieldMessage errors=errors field="org_id" id="new-user-org-error"/>
                <FormFailure errors=errors/>
                <div class="toolbar">
                    <button type="submit" data-testid="add-user-submit" disabled=move || busy.get()>"Add user"</button>
                    <button type="button" class="secondary" data-testid="add-user-cancel" on:click=move |_| cancel.run(())>"Cancel"</button>
                </div>
            </form>
        </section>
    }
}
