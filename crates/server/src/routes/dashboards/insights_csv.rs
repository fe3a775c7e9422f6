//! Insights as CSV: the rows behind each view, one per month (and family).

use domain::api::{AddsChurns, InsightsGeography, InsightsProducts, InsightsSegments, InsightsSummary, ResellerTrend};

use super::insights::AgreementsAnswer;
use super::{CsvReport, CsvRow};

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

/// A reseller's trend: one row per month (family empty, its total), then per family.
impl CsvRow for ResellerTrend {
    const HEADER: &'static [&'static str] = &["reseller_id", "external_id", "name", "month", "family", "revenue"];

    fn cells(&self) -> Vec<String> {
        // One row per reseller and month is written by `rows` below; this is the range's total.
        vec![
            self.reseller_id.to_string(),
            text(&self.external_id),
            self.name.clone(),
            String::new(),
            String::new(),
            self.revenue.to_string(),
        ]
    }

    fn rows(&self) -> Vec<Vec<String>> {
        let mut rows = vec![self.cells()];
        for m in &self.months {
            let row = |family: &str, revenue: String| {
                vec![
                    self.reseller_id.to_string(),
                    text(&self.external_id),
                    self.name.clone(),
                    m.month.clone(),
                    family.to_owned(),
                    revenue,
                ]
            };
            rows.push(row("", m.revenue.to_string()));
            rows.extend(m.revenue_by_family.iter().map(|(f, v)| row(f, v.to_string())));
        }
        rows
    }
}

impl CsvReport for InsightsProducts {
    fn file_name(&self) -> String {
        format!("insights-products-{}", self.as_of)
    }

    fn header(&self) -> &'static [&'static str] {
        &["month", "partial", "figure", "name", "value"]
    }

    /// Per month: revenue by family, subscriptions and licences by SKU; then the top five's
    /// range totals (month empty).
    fn rows(&self) -> Vec<Vec<String>> {
        let mut rows = Vec::new();
        for m in &self.months {
            let row = |figure: &str, name: &str, value: String| {
                vec![m.month.clone(), m.partial.to_string(), figure.to_owned(), name.to_owned(), value]
            };
            rows.extend(m.revenue_by_family.iter().flatten().map(|(f, v)| row("revenue", f, v.to_string())));
            rows.extend(m.subscriptions_by_product.iter().map(|(s, n)| row("subscriptions", s, n.to_string())));
            rows.extend(m.licenses_by_product.iter().map(|(s, n)| row("licenses", s, n.to_string())));
        }
        for (name, total) in self.revenue_top5.iter().flat_map(|t| &t.range_totals) {
            rows.push(vec![String::new(), String::new(), "revenue_top5".into(), name.clone(), total.to_string()]);
        }
        rows
    }
}

impl CsvReport for AgreementsAnswer {
    fn file_name(&self) -> String {
        format!("insights-agreements-{}", self.as_of)
    }

    fn header(&self) -> &'static [&'static str] {
        &["reseller_id", "external_id", "name", "agreement_status", "vetting_status"]
    }

    fn rows(&self) -> Vec<Vec<String>> {
        (self.all.iter())
            .map(|r| {
                vec![
                    r.reseller_id.to_string(),
                    text(&r.external_id),
                    r.name.clone(),
                    r.agreement_status.clone(),
                    r.vetting_status.clone(),
                ]
            })
            .collect()
    }
}

impl CsvReport for InsightsGeography {
    fn file_name(&self) -> String {
        format!("insights-geography-{}", self.as_of)
    }

    fn header(&self) -> &'static [&'static str] {
        &["country", "transacting", "new", "revenue"]
    }

    fn rows(&self) -> Vec<Vec<String>> {
        (self.countries.iter())
            .map(|c| vec![c.country.clone(), c.transacting.to_string(), c.new.to_string(), text(&c.revenue)])
            .collect()
    }
}

impl CsvReport for InsightsSegments {
    fn file_name(&self) -> String {
        format!("insights-segments-{}", self.as_of)
    }

    fn header(&self) -> &'static [&'static str] {
        &["month", "partial", "figure", "segment", "value"]
    }

    /// Per month: revenue, subscriptions and licences by segment; then each segment's customers
    /// and revenue over the range (month empty).
    fn rows(&self) -> Vec<Vec<String>> {
        let mut rows = Vec::new();
        for m in &self.months {
            let row = |figure: &str, segment: &str, value: String| {
                vec![m.month.clone(), m.partial.to_string(), figure.to_owned(), segment.to_owned(), value]
            };
            rows.extend(m.revenue_by_segment.iter().flatten().map(|(s, v)| row("revenue", s, v.to_string())));
            rows.extend(m.subscriptions_by_segment.iter().map(|(s, n)| row("subscriptions", s, n.to_string())));
            rows.extend(m.licenses_by_segment.iter().map(|(s, n)| row("licenses", s, n.to_string())));
        }
        for s in &self.segments {
            let range = |figure: &str, value: String| {
                vec![String::new(), String::new(), figure.to_owned(), s.segment.clone(), value]
            };
            rows.push(range("customers", s.customers.to_string()));
            if let Some(revenue) = s.revenue {
                rows.push(range("revenue", revenue.to_string()));
            }
        }
        rows
    }
}
