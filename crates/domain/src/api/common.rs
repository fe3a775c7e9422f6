//! Shapes shared by every endpoint: pages of results, list parameters and problem details.

use serde::{Deserialize, Serialize};

/// The largest page a list returns.
pub const MAX_PER_PAGE: u64 = 500;

/// The last page a list is asked for: with [`MAX_PER_PAGE`], its offset fits any database's
/// signed 64-bit integers many times over.
pub const MAX_PAGE: u64 = 1_000_000_000;
/// The page size when none is asked for.
pub const DEFAULT_PER_PAGE: u64 = 50;

/// One page of a list.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Page<T> {
    /// The items of this page.
    pub items: Vec<T>,
    /// How many items match, over all pages.
    pub total: u64,
    /// This page's number, from 1.
    pub page: u64,
    /// The page size used.
    pub per_page: u64,
}

/// Paging, search and sorting, accepted by every list endpoint.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::IntoParams))]
#[cfg_attr(feature = "openapi", into_params(parameter_in = Query))]
pub struct ListParams {
    /// Page number, from 1 (default 1) to 1,000,000,000.
    #[cfg_attr(feature = "openapi", param(minimum = 1, maximum = 1_000_000_000, example = 1))]
    pub page: Option<u64>,
    /// Items per page, 1 to 500 (default 50).
    #[cfg_attr(feature = "openapi", param(minimum = 1, maximum = 500, example = 50))]
    pub per_page: Option<u64>,
    /// Case-insensitive search over the resource's names and identifiers.
    pub q: Option<String>,
    /// A field to sort by, ascending; prefix with `-` for descending (e.g. `-created_at`).
    /// Each list names the fields it sorts by.
    pub sort: Option<String>,
}

/// A problem detail (RFC 9457), the body of every error response.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[cfg_attr(feature = "openapi", schema(example = json!({
    "type": "https://tierdash.dev/problems/validation",
    "title": "The request is not valid",
    "status": 422,
    "detail": "2 fields are not valid",
    "errors": [{"field": "country", "message": "must be an ISO 3166-1 alpha-2 country code such as DE"}]
})))]
pub struct Problem {
    /// A URI naming the kind of problem.
    #[serde(rename = "type")]
    pub kind: String,
    /// A short summary of the kind of problem.
    pub title: String,
    /// The HTTP status code.
    pub status: u16,
    /// What went wrong this time.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub detail: Option<String>,
    /// For server errors: the id to quote when reporting it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub request_id: Option<String>,
    /// Each bad field (or row, for imports) and why.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub errors: Vec<FieldError>,
    /// For 402: the balance now.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "openapi", schema(value_type = Option<String>))]
    pub balance: Option<rust_decimal::Decimal>,
    /// For 402: what the operation costs.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "openapi", schema(value_type = Option<String>))]
    pub needed: Option<rust_decimal::Decimal>,
}

/// One reason a request was refused.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct FieldError {
    /// The field, as a path into the request (`country`, `items[3].sku`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub field: Option<String>,
    /// For imports: the data row, 1 being the first row after the header.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub row: Option<u64>,
    /// What is wrong.
    pub message: String,
    /// For imports: how many rows have this same problem, when more than one (`row` is the
    /// first of them; the message names the first few).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub rows: Option<u64>,
}

impl FieldError {
    /// An error about one field.
    pub fn field(field: impl Into<String>, message: impl Into<String>) -> Self {
        FieldError { field: Some(field.into()), row: None, message: message.into(), rows: None }
    }
}

/// Collects field errors while a request is checked.
#[derive(Debug, Default)]
pub struct Violations(pub Vec<FieldError>);

impl Violations {
    /// Records a problem with `field`.
    pub fn add(&mut self, field: &str, message: impl Into<String>) {
        self.0.push(FieldError::field(field, message));
    }

    /// Checks a required text: trimmed, not empty, at most `max` characters.
    pub fn text(&mut self, field: &str, value: &str, max: usize) {
        if value.trim().is_empty() {
            self.add(field, "must not be empty");
        } else if value.contains('\0') {
            self.add(field, "must not contain a NUL character");
        } else if value.chars().count() > max {
            self.add(field, format!("must be at most {max} characters"));
        }
    }

    /// `Ok` when nothing was recorded.
    pub fn finish(self) -> Result<(), Vec<FieldError>> {
        if self.0.is_empty() { Ok(()) } else { Err(self.0) }
    }
}

/// A sort order: a field of the resource and its direction.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Sort {
    /// One of the resource's sortable fields.
    pub field: &'static str,
    /// Largest first.
    pub descending: bool,
}

/// [`ListParams`] once checked: a page within bounds and a sort the resource supports.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ListQuery {
    /// From 1.
    pub page: u64,
    /// 1 to [`MAX_PER_PAGE`].
    pub per_page: u64,
    /// Trimmed search text, none when empty.
    pub q: Option<String>,
    /// Requested order; stores add the id as a tie-break so pages are stable.
    pub sort: Option<Sort>,
}

impl ListParams {
    /// Checks the parameters against the fields a resource sorts by.
    pub fn check(&self, sortable: &[&'static str]) -> Result<ListQuery, Vec<FieldError>> {
        let mut v = Violations::default();
        let page = self.page.unwrap_or(1);
        if page == 0 || page > MAX_PAGE {
            v.add("page", format!("must be between 1 and {MAX_PAGE}"));
        }
        let per_page = self.per_page.unwrap_or(DEFAULT_PER_PAGE);
        if per_page == 0 || per_page > MAX_PER_PAGE {
            v.add("per_page", format!("must be between 1 and {MAX_PER_PAGE}"));
        }
        // Empty is the default order; anything else must be a field as sent (the spec's enum).
        let sort = match self.sort.as_deref().filter(|s| !s.is_empty()) {
            None => None,
            Some(text) => {
                let (descending, name) = match text.strip_prefix('-') {
                    Some(rest) => (true, rest),
                    None => (false, text),
                };
                match sortable.iter().find(|field| **field == name) {
                    Some(field) => Some(Sort { field, descending }),
                    None => {
                        v.add("sort", format!("must be one of {} (prefix - for descending)", sortable.join(", ")));
                        None
                    }
                }
            }
        };
        // Counted before trimming, as the spec's maxLength counts.
        if self.q.as_ref().is_some_and(|q| q.chars().count() > 200) {
            v.add("q", "must be at most 200 characters");
        }
        let q = self.q.as_deref().map(str::trim).filter(|q| !q.is_empty()).map(str::to_owned);
        if q.as_ref().is_some_and(|q| q.contains('\0')) {
            v.add("q", "must not contain a NUL character");
        }
        v.finish()?;
        Ok(ListQuery { page, per_page, q, sort })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const SORTS: &[&str] = &["id", "name"];

    #[test]
    fn defaults_are_first_page_of_fifty() {
        let query = ListParams::default().check(SORTS).unwrap();
        assert_eq!((query.page, query.per_page, query.sort), (1, DEFAULT_PER_PAGE, None));
    }

    #[test]
    fn descending_sort_takes_a_minus() {
        let params = ListParams { sort: Some("-name".into()), ..Default::default() };
        assert_eq!(params.check(SORTS).unwrap().sort, Some(Sort { field: "name", descending: true }));
    }

    #[test]
    fn a_page_past_the_last_is_refused_as_the_spec_says() {
        let params = ListParams { page: Some(MAX_PAGE + 1), per_page: Some(500), ..Default::default() };
        let errors = params.check(SORTS).unwrap_err();
        assert_eq!(errors[0].field.as_deref(), Some("page"));
        let params = ListParams { page: Some(MAX_PAGE), per_page: Some(500), ..Default::default() };
        assert!(params.check(SORTS).is_ok(), "the last page is fine (and empty)");
    }

    #[test]
    fn out_of_range_paging_and_unknown_sort_are_each_named() {
        let params = ListParams { page: Some(0), per_page: Some(501), sort: Some("password".into()), q: None };
        let errors = params.check(SORTS).unwrap_err();
        let fields: Vec<_> = errors.iter().filter_map(|e| e.field.as_deref()).collect();
        assert_eq!(fields, ["page", "per_page", "sort"]);
    }
}
