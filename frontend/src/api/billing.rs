//! Billing issues: lines held out of revenue, and why.

use domain::api::{BillingIssue, BillingIssueFilter, ListParams, Page};

use super::{ApiFailure, get, with_query};

/// A page of billing issues.
pub async fn billing_issues(list: ListParams, filter: BillingIssueFilter) -> Result<Page<BillingIssue>, ApiFailure> {
    get(&with_query("/api/v1/billing-issues", &[&list, &filter])).await
}
