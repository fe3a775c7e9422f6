//! Usage (seed 003) and the reports generated from it: the usage pages of a month, and
//! requesting, following, downloading and deleting generated reports.

use domain::api::{
    CustomerUsage, ListParams, MonthParam, NewReport, Page, Report, ReportsFilter, ResellerUsage,
    ResellerUsageOverview, UsageOrganizationsFilter, UsageQuery, UsageSummary,
};

use super::{ApiFailure, decode, get, send, send_json, with_query};

fn usage_query(period: Option<MonthParam>) -> UsageQuery {
    UsageQuery { period, as_of: None }
}

/// A month's usage summary: counts, per-service usage and when usage was last updated.
pub async fn usage_summary(period: Option<MonthParam>) -> Result<UsageSummary, ApiFailure> {
    get(&with_query("/api/v1/usage/summary", &[&usage_query(period)])).await
}

/// One page of the resellers' usage in a month, with their latest usage report.
pub async fn usage_resellers(period: Option<MonthParam>, list: ListParams) -> Result<Page<ResellerUsage>, ApiFailure> {
    get(&with_query("/api/v1/usage/resellers", &[&usage_query(period), &list])).await
}

/// One reseller's usage overview in a month.
pub async fn usage_reseller(id: i64, period: Option<MonthParam>) -> Result<ResellerUsageOverview, ApiFailure> {
    get(&with_query(&format!("/api/v1/usage/resellers/{id}"), &[&usage_query(period)])).await
}

/// One page of the organisation sites' usage in a month (of one reseller when the filter says).
pub async fn usage_organizations(
    period: Option<MonthParam>,
    filter: UsageOrganizationsFilter,
    list: ListParams,
) -> Result<Page<CustomerUsage>, ApiFailure> {
    get(&with_query("/api/v1/usage/organizations", &[&usage_query(period), &filter, &list])).await
}

/// One page of the generated reports, newest first unless `list` sorts otherwise.
pub async fn reports(filter: ReportsFilter, list: ListParams) -> Result<Page<Report>, ApiFailure> {
    get(&with_query("/api/v1/reports", &[&filter, &list])).await
}

/// One report, as it is now (for following its generation).
pub async fn report(id: i64) -> Result<Report, ApiFailure> {
    get(&format!("/api/v1/reports/{id}")).await
}

/// Requests a report: the new one, pending, or the identical one already under way.
pub async fn request_report(new: &NewReport) -> Result<Report, ApiFailure> {
    send_json("POST", "/api/v1/reports", new).await
}

/// Deletes a report and its CSV.
pub async fn delete_report(id: i64) -> Result<(), ApiFailure> {
    let (status, text) = send("DELETE", &format!("/api/v1/reports/{id}"), None, true).await?;
    if (200..300).contains(&status) { Ok(()) } else { decode::<()>((status, text)) }
}

/// The file name a report downloads as (`reseller_usage-2026-11-42.csv`, as the server names it).
pub fn report_file_name(report: &Report) -> String {
    format!("{}-{}-{}.csv", report.kind, report.period, report.id)
}

/// Downloads a ready report's CSV.
pub async fn download_report(report: &Report) -> Result<(), ApiFailure> {
    let path = report.download.clone().unwrap_or_else(|| format!("/api/v1/reports/{}/download", report.id));
    super::download_csv(&path, &report_file_name(report)).await
}
