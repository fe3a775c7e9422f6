//! Loading, empty and error states, the same everywhere.

use domain::api::FieldError;
use leptos::prelude::*;

use crate::api::ApiFailure;

/// Shown while data is on its way.
#[component]
pub fn Loading() -> impl IntoView {
    view! { <div class="state" role="status" aria-live="polite" data-testid="loading">"Loading…"</div> }
}

/// Shown when there is nothing to show, with what the user can do about it.
#[component]
pub fn Empty(#[prop(into)] message: String) -> impl IntoView {
    view! { <div class="state" data-testid="empty">{message}</div> }
}

/// Shown when a call failed: what went wrong (the problem's title and detail, each bad field
/// by name), a way back, and "Try again" when the caller can retry.
#[component]
pub fn ErrorView(
    error: ApiFailure,
    /// Called by the "Try again" button; without it there is no such button.
    #[prop(optional, into)]
    retry: Option<Callback<()>>,
) -> impl IntoView {
    let fields = field_lines(&error);
    let fields = (!fields.is_empty()).then(|| {
        let items = fields
            .into_iter()
            .map(|(name, message)| {
                view! {
                    <li data-testid="error-field">
                        {name.map(|n| view! { <span class="field-name">{n}</span> ": " })}
                        {message}
                    </li>
                }
            })
            .collect_view();
        view! { <ul class="field-errors" data-testid="error-fields">{items}</ul> }
    });
    // A lost session goes to login (the API layer is already sending the user there).
    let back = if error == ApiFailure::Unauthorized {
        view! { <a href="/login" data-testid="error-back">"Log in again"</a> }
    } else {
        view! { <a href="/" data-testid="error-back">"Back to Home"</a> }
    };
    let retry = retry.map(|retry| {
        view! { <button type="button" data-testid="retry" on:click=move |_| retry.run(())>"Try again"</button> }
    });
    view! {
        <div class="error-view" role="alert" data-testid="error">
            <h2 class="error-title" data-testid="error-title">{heading(&error)}</h2>
            {details(&error).map(|d| view! { <p data-testid="error-detail">{d}</p> })}
            {fields}
            <div class="error-actions">{retry}{back}</div>
        </div>
    }
}

/// The heading: the problem's title, or plain words for failures without one.
fn heading(error: &ApiFailure) -> String {
    match error {
        ApiFailure::Unauthorized => "Your session has ended".into(),
        ApiFailure::Problem(p) => p.title.clone(),
        ApiFailure::Network(_) => "The server could not be reached".into(),
        ApiFailure::Decode(_) => "The server's answer could not be read".into(),
    }
}

/// What went wrong this time, with what a user can quote or do about it.
fn details(error: &ApiFailure) -> Option<String> {
    match error {
        ApiFailure::Unauthorized => Some("Please log in again.".into()),
        ApiFailure::Problem(p) => {
            let mut parts: Vec<String> = p.detail.iter().cloned().collect();
            // A 402's detail already states the balance and what was needed, with the money
            // written out by the server; its raw `balance` and `needed` are for programs.
            if let Some(id) = &p.request_id {
                parts.push(format!("If it happens again, quote request id {id}."));
            }
            (!parts.is_empty()).then(|| parts.join(" "))
        }
        ApiFailure::Network(why) => Some(format!("Check your connection and try again ({why}).")),
        ApiFailure::Decode(why) => Some(format!("Unexpected answer from the server ({why}).")),
    }
}

/// Each field error as (where: "row 3 · items[3].sku", message).
fn field_lines(error: &ApiFailure) -> Vec<(Option<String>, String)> {
    let ApiFailure::Problem(p) = error else { return Vec::new() };
    p.errors.iter().map(|e: &FieldError| (field_name(e), e.message.clone())).collect()
}

fn field_name(e: &FieldError) -> Option<String> {
    match (e.row, e.field.as_deref()) {
        (Some(row), Some(field)) => Some(format!("row {row} · {field}")),
        (Some(row), None) => Some(format!("row {row}")),
        (None, Some(field)) => Some(field.to_owned()),
        (None, None) => None,
    }
}

#[cfg(test)]
mod tests {
    use domain::api::Problem;

    use super::*;

    fn problem(detail: Option<&str>, errors: Vec<FieldError>) -> ApiFailure {
        ApiFailure::Problem(Box::new(Problem {
            kind: "https://tierdash.dev/problems/validation".into(),
            title: "The request is not valid".into(),
            status: 422,
            detail: detail.map(str::to_owned),
            request_id: None,
            errors,
            balance: None,
            needed: None,
        }))
    }

    #[test]
    fn a_problem_is_headed_by_its_title_and_lists_its_fields() {
        let error = problem(
            Some("2 fields are not valid"),
            vec![
                FieldError::field("country", "must be a country code"),
                FieldError { field: Some("sku".into()), row: Some(3), message: "is unknown".into(), rows: None },
                FieldError { field: None, row: Some(4), message: "has too few columns".into(), rows: None },
            ],
        );
        assert_eq!(heading(&error), "The request is not valid");
        assert_eq!(details(&error).as_deref(), Some("2 fields are not valid"));
        assert_eq!(
            field_lines(&error),
            [
                (Some("country".into()), "must be a country code".into()),
                (Some("row 3 · sku".into()), "is unknown".into()),
                (Some("row 4".into()), "has too few columns".into()),
            ]
        );
    }

    #[test]
    fn failures_without_a_problem_get_plain_words() {
        let error = ApiFailure::Network("offline".into());
        assert_eq!(heading(&error), "The server could not be reached");
        assert!(details(&error).is_some_and(|d| d.contains("offline")));
        assert!(field_lines(&error).is_empty());
        assert_eq!(heading(&ApiFailure::Unauthorized), "Your session has ended");
    }

    #[test]
    fn a_server_error_names_its_request_id() {
        let ApiFailure::Problem(mut p) = problem(None, Vec::new()) else { unreachable!() };
        p.request_id = Some("req-42".into());
        assert!(details(&ApiFailure::Problem(p)).is_some_and(|d| d.contains("req-42")));
    }
}
