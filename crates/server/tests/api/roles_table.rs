//! Every read of the API asked by every role of the distributor, against the roles table of
//! docs/roles.md (§3 money refused, §4 permissions): a role without the permission, or refused the
//! money an endpoint is made of, gets 403; every other role gets past the check (whatever the
//! answer then: 200, or 404 for an id that does not exist). A GET the table does not classify
//! fails the test, so a new endpoint is classified when it is added.

use domain::roles::Role;
use reqwest::StatusCode;
use serde_json::Value;

use crate::helpers::*;
use crate::on_both_databases;

/// Who may read a path (docs/roles.md §4), as the roles that get a 403.
fn refused(path: &str) -> Option<&'static [Role]> {
    const ALL_BUT_ADMIN: &[Role] = &[Role::Operations, Role::Marketing, Role::ReportViewer, Role::ExecutiveViewer];
    const NOT_IMPORTING: &[Role] = &[Role::Marketing, Role::ReportViewer, Role::ExecutiveViewer];
    // The report viewer is refused what is nothing but money (§3: `HomeReports`, `PortalLedger`).
    const MONEY_ONLY: &[Role] = &[Role::ReportViewer];
    let path = path.strip_prefix("/api/v1").unwrap_or(path);
    Some(match path {
        "/users" | "/users/{id}" | "/api-keys" => ALL_BUT_ADMIN,
        "/billing-accounts/unmapped" => NOT_IMPORTING,
        "/invoices" | "/invoices/{id}" | "/insights/revenue-trend" | "/insights/raw" | "/portal/ledger" => MONEY_ONLY,
        p if p.starts_with("/dashboards/home/") => MONEY_ONLY,
        "/me"
        | "/organizations"
        | "/organizations/{id}"
        | "/products"
        | "/products/{id}"
        | "/service-plans"
        | "/service-plans/{id}"
        | "/subscriptions"
        | "/subscriptions/{id}"
        | "/search"
        | "/imports"
        | "/imports/{id}"
        | "/fx-rates"
        | "/billing-issues"
        | "/dashboards/home"
        | "/reports"
        | "/reports/{id}"
        | "/reports/{id}/download" => &[],
        p if p.starts_with("/dashboards/partners")
            || p.starts_with("/insights/")
            || p.starts_with("/usage/")
            || p.starts_with("/portal/") =>
        {
            &[]
        }
        _ => return None,
    })
}

on_both_databases!(every_read_answers_each_role_as_the_roles_table_says);

async fn every_read_answers_each_role_as_the_roles_table_says(app: TestApp) {
    let spec: Value = serde_json::from_str(&server::startup::openapi_json()).unwrap();
    let logins = [
        (Role::Admin, D_ADMIN),
        (Role::Operations, D_OPS),
        (Role::Marketing, D_MARKETING),
        (Role::ReportViewer, D_VIEWER),
        (Role::ExecutiveViewer, D_EXEC),
    ];
    let mut tokens = Vec::new();
    for (role, email) in logins {
        tokens.push((role, app.token(email).await));
    }
    let mut checked = 0;
    for (path, item) in spec["paths"].as_object().unwrap() {
        if item.get("get").is_none() || !path.starts_with("/api/v1/") {
            continue;
        }
        let refused = refused(path).unwrap_or_else(|| panic!("GET {path} is not in the roles table"));
        // A distributor opens a reseller's portal by naming it; the search needs a text.
        let url = match path.as_str() {
            p if p.starts_with("/api/v1/portal/") => format!("{}?reseller_id={}", p.replace("{id}", "1"), app.tree.r1),
            "/api/v1/search" => "/api/v1/search?q=r".to_owned(),
            p => p.replace("{id}", "1"),
        };
        for (role, token) in &tokens {
            let status = app.get(token, &url).await.status();
            if refused.contains(role) {
                assert_eq!(status, StatusCode::FORBIDDEN, "GET {url} as {role}");
            } else {
                let passed = status != StatusCode::FORBIDDEN && status != StatusCode::UNAUTHORIZED;
                assert!(passed && !status.is_server_error(), "GET {url} as {role}: {status}");
            }
            checked += 1;
        }
    }
    assert!(checked >= 5 * 50, "only {checked} reads checked");
}
