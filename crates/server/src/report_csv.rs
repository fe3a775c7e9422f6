//! The Home reports as CSV: one header row, then one row per figure, money as the same decimal
//! strings as the JSON. Each report keeps its JSON field names as column names, so a download
//! and an API call read alike.

use domain::api::{MarketplaceReport, ProjectionReport, RevenueFigures, RevenueOverview, RevenueReport};

use crate::error::ApiError;

fn write(header: &[&str], rows: impl IntoIterator<Item = Vec<String>>) -> Result<Vec<u8>, ApiError> {
    let mut out = csv::Writer::from_writer(Vec::new());
    let fail = |e: csv::Error| ApiError::Internal(e.into());
    out.write_record(header).map_err(fail)?;
    for row in rows {
        out.write_record(&row).map_err(fail)?;
    }
    out.into_inner().map_err(|e| ApiError::Internal(anyhow::anyhow!("{e}")))
}

fn money(f: &RevenueFigures) -> [String; 3] {
    [f.total.to_string(), f.cost.to_string(), f.margin.to_string()]
}

/// `dimension` is `total`, `service` or `customer`; `key` the service or the customer's
/// external id.
pub fn revenue(report: &RevenueReport) -> Result<Vec<u8>, ApiError> {
    let month = report.month.to_string();
    let row = |dimension: &str, key: &str, name: &str, f: &RevenueFigures| {
        let mut row = vec![month.clone(), dimension.to_owned(), key.to_owned(), name.to_owned()];
        row.extend(money(f));
        row
    };
    let mut rows = vec![row("total", "", "", &report.total)];
    rows.extend(report.by_service.iter().map(|(service, f)| row("service", service, service, f)));
    rows.extend(report.by_customer.iter().map(|(ext, c)| row("customer", ext, &c.name, &c.figures)));
    write(&["month", "dimension", "key", "name", "revenue", "cost", "margin"], rows)
}

/// One row per provider and service; when unavailable, one row with the reason.
pub fn projection(report: &ProjectionReport) -> Result<Vec<u8>, ApiError> {
    let month = report.month.to_string();
    let header = ["month", "provider", "service", "non_usage", "usage_to_date", "projected", "note"];
    let Some(rows) = &report.rows else {
        let reason = report.projected.reason.clone().unwrap_or_default();
        return write(
            &header,
            [vec![month, String::new(), String::new(), String::new(), String::new(), String::new(), reason]],
        );
    };
    write(
        &header,
        rows.iter().map(|r| {
            vec![
                month.clone(),
                r.provider.clone(),
                r.service.clone(),
                r.non_usage.to_string(),
                r.usage_to_date.to_string(),
                r.projected.to_string(),
                String::new(),
            ]
        }),
    )
}

/// One row per month; `change_pct` empty when the month before was 0.
pub fn marketplace(report: &MarketplaceReport) -> Result<Vec<u8>, ApiError> {
    write(
        &["month", "spend", "change_pct"],
        report.months.iter().map(|m| {
            vec![m.month.to_string(), m.spend.to_string(), m.change_pct.map(|c| c.to_string()).unwrap_or_default()]
        }),
    )
}

/// The monthly trend (total and by provider), then the top customers and services.
pub fn overview(report: &RevenueOverview) -> Result<Vec<u8>, ApiError> {
    let mut rows = Vec::new();
    for m in &report.months {
        let mut row = vec!["month".to_owned(), m.month.to_string(), "total".to_owned(), String::new()];
        row.extend(money(&m.total));
        rows.push(row);
        for (provider, f) in &m.by_provider {
            let mut row = vec!["provider".to_owned(), m.month.to_string(), provider.clone(), String::new()];
            row.extend(money(f));
            rows.push(row);
        }
    }
    for (section, list) in [("top_customer", &report.top_customers), ("top_service", &report.top_services)] {
        for r in list {
            let mut row =
                vec![section.to_owned(), String::new(), r.name.clone(), r.external_id.clone().unwrap_or_default()];
            row.extend(money(&r.figures));
            rows.push(row);
        }
    }
    write(&["section", "month", "name", "external_id", "revenue", "cost", "margin"], rows)
}
