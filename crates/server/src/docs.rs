//! The OpenAPI document's frame: title, description, tags, the bearer security scheme, and the
//! error responses shared by every endpoint. Paths and schemas are collected from the services
//! themselves (see `startup`).

use domain::api::{Problem, ReplaceMode, ReportCategory, ReportFormat, ReportKind, ReportStatus};
use utoipa::openapi::security::{HttpAuthScheme, HttpBuilder, SecurityScheme};
use utoipa::{IntoResponses, Modify, OpenApi};

/// The document's frame.
#[derive(OpenApi)]
#[openapi(
    info(
        title = "Tierdash API",
        description = "Dashboards for the IT channel: a distributor, its resellers and their end customers.\n\n\
Authenticate with `POST /api/v1/auth/token` (e-mail and password) or an API key, and send \
`Authorization: Bearer <token>`. Every endpoint answers only about the caller's own subtree of \
organisations. Errors are RFC 9457 problem details (`application/problem+json`). Lists take \
`page`, `per_page` (at most 500), `q` and `sort` (`field` or `-field`) and answer \
`{items, total, page, per_page}`. Money is a decimal string; dates are ISO 8601.",
        license(name = "Apache-2.0")
    ),
    // Report queries name `ReportFormat` by reference, and no response body does: listed here
    // so that the reference resolves.
    // Schemas only parameters refer to: utoipa collects those of bodies on its own.
    components(schemas(ReportFormat, ReportCategory, ReportKind, ReportStatus, ReplaceMode)),
    modifiers(&BearerScheme),
    tags(
        (name = "auth", description = "Logging in and who am I"),
        (name = "organizations", description = "Resellers and customers of the caller's subtree"),
        (name = "catalog", description = "Products and service plans"),
        (name = "subscriptions", description = "Customers' subscriptions (activations)"),
        (name = "users", description = "Users of the caller's subtree"),
        (name = "api-keys", description = "Long-lived credentials for integrators"),
        (name = "billing", description = "Billing data in: FOCUS imports, fx rates, billing issues"),
        (name = "dashboards", description = "The Home dashboard and the reports behind its panes (JSON or CSV)"),
        (name = "portal", description = "A reseller's portal: balance ledger, activations, renewals, active users"),
        (name = "usage", description = "Usage per reseller, organisation site and service, as the scheduled usage update left it"),
        (name = "reports", description = "Generated reports: request, follow, download as CSV"),
        (name = "operations", description = "Health and readiness")
    )
)]
pub struct ApiDoc;

/// The security schemes: `bearer`, which every protected path names, and `metrics_token`.
pub struct BearerScheme;

impl Modify for BearerScheme {
    fn modify(&self, openapi: &mut utoipa::openapi::OpenApi) {
        let components = openapi.components.get_or_insert_with(Default::default);
        components.add_security_scheme(
            "bearer",
            SecurityScheme::Http(
                HttpBuilder::new()
                    .scheme(HttpAuthScheme::Bearer)
                    .bearer_format("JWT or tdk_ API key")
                    .description(Some("A token from `POST /api/v1/auth/token`, or an API key."))
                    .build(),
            ),
        );
        components.add_security_scheme(
            "metrics_token",
            SecurityScheme::Http(
                HttpBuilder::new()
                    .scheme(HttpAuthScheme::Bearer)
                    .description(Some("`TIERDASH_METRICS_TOKEN`, for `GET /metrics` (docs/api.md §8)."))
                    .build(),
            ),
        );
    }
}

/// Errors any authenticated endpoint can answer.
#[derive(IntoResponses)]
pub enum AuthErrors {
    /// No credentials, or a token that is malformed, expired, wrongly signed or revoked.
    #[response(status = 401, content_type = "application/problem+json")]
    Unauthorized(Problem),
    /// The caller's role does not allow this.
    #[response(status = 403, content_type = "application/problem+json")]
    Forbidden(Problem),
    /// A parameter is not valid; `errors` names each one.
    #[response(status = 422, content_type = "application/problem+json")]
    Invalid(Problem),
}

/// The answer for an id outside the caller's subtree (or nowhere).
#[derive(IntoResponses)]
pub enum NotFound {
    /// Nothing with that id is visible to the caller.
    #[response(status = 404, content_type = "application/problem+json")]
    NotFound(Problem),
}

/// The answer for a report's download before it is ready.
#[derive(IntoResponses)]
pub enum NotReady {
    /// The report is pending, generating or failed: `detail` names its status.
    #[response(status = 409, content_type = "application/problem+json")]
    Conflict(Problem),
}

/// Errors of writes.
#[derive(IntoResponses)]
pub enum WriteErrors {
    /// The body is not JSON, or not readable.
    #[response(status = 400, content_type = "application/problem+json")]
    BadRequest(Problem),
    /// Another record already uses a unique value (external id, SKU, code, e-mail).
    #[response(status = 409, content_type = "application/problem+json")]
    Conflict(Problem),
    /// The body is not `application/json`.
    #[response(status = 415, content_type = "application/problem+json")]
    UnsupportedMediaType(Problem),
}
