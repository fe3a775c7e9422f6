//! The Partners dashboard as CSV: the console's figures (each count with the list it counts,
//! the acquisition months, the lists' totals), and the rows of each of its lists.

use domain::api::{InactivePartner, NewPartner, PartnersDashboard, UnitsDecrease};

use super::{CsvReport, CsvRow};

fn text<T: ToString>(v: &Option<T>) -> String {
    v.as_ref().map(ToString::to_string).unwrap_or_default()
}

impl CsvReport for PartnersDashboard {
    fn file_name(&self) -> String {
        format!("partners-{}", self.as_of)
    }

    fn header(&self) -> &'static [&'static str] {
        &["figure", "key", "value", "list"]
    }

    fn rows(&self) -> Vec<Vec<String>> {
        let row = |figure: &str, key: &str, value: String, list: &str| {
            vec![figure.to_owned(), key.to_owned(), value, list.to_owned()]
        };
        let mut rows = vec![
            row("enabled_customers", "", self.enabled_customers.count.to_string(), &self.enabled_customers.list),
            row("active_partners", "", self.active_partners.count.to_string(), &self.active_partners.list),
            row(
                "enabled_service_plans",
                "",
                self.enabled_service_plans.count.to_string(),
                &self.enabled_service_plans.list,
            ),
        ];
        for (status, tile) in &self.customer_license_status {
            rows.push(row("customer_license_status", status, tile.count.to_string(), &tile.list));
        }
        let acquisition = &self.partner_acquisition;
        for (year, months) in [("last_year", &acquisition.last_year), ("this_year", &acquisition.this_year)] {
            for (month, n) in months {
                rows.push(row(&format!("partner_acquisition.{year}"), month, n.to_string(), ""));
            }
        }
        rows.push(row("new_partners", "", self.new_partners.total.to_string(), &self.new_partners.list));
        let inactive = &self.inactive_new_partners;
        rows.push(row("inactive_new_partners", "", inactive.total.to_string(), &inactive.list));
        let falls = &self.decreasing_units;
        rows.push(row("decreasing_units", "", falls.total.to_string(), &falls.list));
        for (figure, tiles) in
            [("usage_report_status", &self.usage_report_status), ("billing_report_status", &self.billing_report_status)]
        {
            for (status, tile) in tiles.iter().flatten() {
                rows.push(row(figure, status, tile.count.to_string(), &tile.list));
            }
        }
        rows
    }
}

impl CsvRow for NewPartner {
    const HEADER: &'static [&'static str] =
        &["reseller_id", "external_id", "name", "created_at", "country", "subscriptions", "revenue"];

    fn cells(&self) -> Vec<String> {
        vec![
            self.reseller_id.to_string(),
            text(&self.external_id),
            self.name.clone(),
            self.created_at.to_rfc3339(),
            text(&self.country),
            self.subscriptions.to_string(),
            text(&self.revenue),
        ]
    }
}

impl CsvRow for InactivePartner {
    const HEADER: &'static [&'static str] = &["reseller_id", "external_id", "name", "created_at"];

    fn cells(&self) -> Vec<String> {
        vec![self.reseller_id.to_string(), text(&self.external_id), self.name.clone(), self.created_at.to_rfc3339()]
    }
}

impl CsvRow for UnitsDecrease {
    const HEADER: &'static [&'static str] = &[
        "sku",
        "product_name",
        "reseller_id",
        "reseller_external_id",
        "reseller_name",
        "previous_units",
        "last_units",
        "change_pct",
    ];

    fn cells(&self) -> Vec<String> {
        vec![
            self.sku.clone(),
            self.product_name.clone(),
            self.reseller_id.to_string(),
            text(&self.reseller_external_id),
            self.reseller_name.clone(),
            self.previous_units.to_string(),
            self.last_units.to_string(),
            self.change_pct.to_string(),
        ]
    }
}
