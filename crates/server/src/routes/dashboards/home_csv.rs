//! The Home reports as CSV (see [`CsvReport`]).

use domain::api::{MarketplaceReport, ProjectionReport, RevenueFigures, RevenueOverview};
use serde::{Serialize, Serializer};
use store::dashboards::home::RevenueMonth;

use super::CsvReport;

fn money(f: &RevenueFigures) -> [String; 3] {
    [f.total.to_string(), f.cost.to_string(), f.margin.to_string()]
}

/// The revenue report with every customer account: JSON is the report alone (its accounts are
/// paged elsewhere), the CSV lists them all.
pub struct RevenueExport(pub RevenueMonth);

impl Serialize for RevenueExport {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        self.0.report.serialize(serializer)
    }
}

/// `dimension` is `total`, `service` or `customer`; `key` the service or the customer's
/// external id (`#id` without one); customers by revenue, largest first.
impl CsvReport for RevenueExport {
    fn file_name(&self) -> String {
        format!("revenue-{}", self.0.report.month)
    }

    fn header(&self) -> &'static [&'static str] {
        &["month", "dimension", "key", "name", "revenue", "cost", "margin"]
    }

    fn rows(&self) -> Vec<Vec<String>> {
        let report = &self.0.report;
        let month = report.month.to_string();
        let row = |dimension: &str, key: &str, name: &str, f: &RevenueFigures| {
            let mut row = vec![month.clone(), dimension.to_owned(), key.to_owned(), name.to_owned()];
            row.extend(money(f));
            row
        };
        let mut rows = vec![row("total", "", "", &report.total)];
        rows.extend(report.by_service.iter().map(|(service, f)| row("service", service, service, f)));
        rows.extend(self.0.customers.iter().map(|c| {
            let key = c.external_id.clone().unwrap_or_else(|| format!("#{}", c.customer_id));
            row("customer", &key, &c.name, &c.figures)
        }));
        rows
    }
}

/// One row per provider and service; when unavailable, one row with the reason.
impl CsvReport for ProjectionReport {
    fn file_name(&self) -> String {
        format!("projection-{}", self.as_of)
    }

    fn header(&self) -> &'static [&'static str] {
        &["month", "provider", "service", "non_usage", "usage_to_date", "projected", "note"]
    }

    fn rows(&self) -> Vec<Vec<String>> {
        let month = self.month.to_string();
        let Some(rows) = &self.rows else {
            let reason = self.projected.reason.clone().unwrap_or_default();
            return vec![vec![
                month,
                String::new(),
                String::new(),
                String::new(),
                String::new(),
                String::new(),
                reason,
            ]];
        };
        rows.iter()
            .map(|r| {
                vec![
                    month.clone(),
                    r.provider.clone(),
                    r.service.clone(),
                    r.non_usage.to_string(),
                    r.usage_to_date.to_string(),
                    r.projected.to_string(),
                    String::new(),
                ]
            })
            .collect()
    }
}

/// One row per month; `change_pct` empty when the month before was 0.
impl CsvReport for MarketplaceReport {
    fn file_name(&self) -> String {
        format!("marketplace-{}", self.as_of)
    }

    fn header(&self) -> &'static [&'static str] {
        &["month", "spend", "change_pct"]
    }

    fn rows(&self) -> Vec<Vec<String>> {
        self.months
            .iter()
            .map(|m| {
                vec![m.month.to_string(), m.spend.to_string(), m.change_pct.map(|c| c.to_string()).unwrap_or_default()]
            })
            .collect()
    }
}

/// The monthly trend (total and by provider), then the top customers and services.
impl CsvReport for RevenueOverview {
    fn file_name(&self) -> String {
        format!("revenue-overview-{}", self.as_of)
    }

    fn header(&self) -> &'static [&'static str] {
        &["section", "month", "name", "external_id", "revenue", "cost", "margin"]
    }

    fn rows(&self) -> Vec<Vec<String>> {
        let mut rows = Vec::new();
        for m in &self.months {
            let mut row = vec!["month".to_owned(), m.month.to_string(), "total".to_owned(), String::new()];
            row.extend(money(&m.total));
            rows.push(row);
            for (provider, f) in &m.by_provider {
                let mut row = vec!["provider".to_owned(), m.month.to_string(), provider.clone(), String::new()];
                row.extend(money(f));
                rows.push(row);
            }
        }
        for (section, list) in [("top_customer", &self.top_customers), ("top_service", &self.top_services)] {
            for r in list {
                let mut row =
                    vec![section.to_owned(), String::new(), r.name.clone(), r.external_id.clone().unwrap_or_default()];
                row.extend(money(&r.figures));
                rows.push(row);
            }
        }
        rows
    }
}
