//! Insights as CSV: the rows behind each view, one per month (and family).

use domain::api::{AddsChurns, InsightsSummary};

use super::CsvReport;

fn text<T: ToString>(v: &Option<T>) -> String {
    v.as_ref().map(ToString::to_string).unwrap_or_default()
}

impl CsvReport for InsightsSummary {
    fn file_name(&self) -> String {
        format!("insights-summary-{}", self.as_of)
    }

    fn header(&self) -> &'static [&'static str] {
        &["month", "partial", "active", "transacting", "new", "family", "revenue"]
    }

    /// A month's row with its total (family empty), then one row per family.
    fn rows(&self) -> Vec<Vec<String>> {
        let mut rows = Vec::new();
        for m in &self.months {
            let counts = [m.active.to_string(), m.transacting.to_string(), m.new.to_string()];
            let row = |family: &str, revenue: String| {
                let mut row = vec![m.month.clone(), m.partial.to_string()];
                row.extend(counts.iter().cloned());
                row.extend([family.to_owned(), revenue]);
                row
            };
            rows.push(row("", text(&m.revenue)));
            for (family, revenue) in m.revenue_by_family.iter().flatten() {
                rows.push(row(family, revenue.to_string()));
            }
        }
        rows
    }
}

impl CsvReport for AddsChurns {
    fn file_name(&self) -> String {
        format!("insights-adds-churns-{}", self.as_of)
    }

    fn header(&self) -> &'static [&'static str] {
        &["month", "partial", "enrolled", "churned", "existing"]
    }

    fn rows(&self) -> Vec<Vec<String>> {
        self.months
            .iter()
            .map(|m| {
                vec![
                    m.month.clone(),
                    m.partial.to_string(),
                    m.enrolled.to_string(),
                    m.churned.to_string(),
                    m.existing.to_string(),
                ]
            })
            .collect()
    }
}
