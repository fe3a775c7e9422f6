//! The revenue report's customer accounts: searched, sorted and paged by the API (a distributor
//! may have 100,000), each with its reseller; the report's CSV holds them all.

use chrono::NaiveDate;
use domain::api::{CustomerRevenue, RevenueCustomersQuery};
use leptos::prelude::*;

use crate::api;
use crate::components::{Column, DataTable, Row, TablePage, TableState};
use crate::format::{self, Locale};

fn row(c: CustomerRevenue, locale: &Locale) -> Row {
    let usd = |v| format::money(v, "USD", locale);
    Row {
        key: c.customer_id,
        href: Some(format!("/organizations/{}", c.customer_id)),
        cells: vec![
            c.name,
            c.external_id.unwrap_or_else(|| "—".into()),
            c.reseller_name.unwrap_or_else(|| "—".into()),
            usd(c.figures.total),
            usd(c.figures.cost),
            usd(c.figures.margin),
        ],
    }
}

/// A month's customers by revenue, largest first.
#[component]
pub fn RevenueCustomersTable(as_of: Memo<Option<NaiveDate>>) -> impl IntoView {
    let state = TableState::new("-revenue");
    let columns = vec![
        Column::sorted("Customer", "name"),
        Column::sorted("External id", "external_id"),
        Column::sorted("Reseller", "reseller_name"),
        Column::sorted("Revenue", "revenue").numeric(),
        Column::sorted("Cost", "cost").numeric(),
        Column::sorted("Margin", "margin").numeric(),
    ];
    let resource = LocalResource::new(move || {
        let query = RevenueCustomersQuery { as_of: api::as_of_param(as_of.get()), month: None };
        let list = state.list_params(25);
        async move {
            let page = api::revenue_customers(query, list).await?;
            let locale = Locale::browser();
            Ok(TablePage {
                total: page.total,
                page: page.page,
                per_page: page.per_page,
                rows: page.items.into_iter().map(|c| row(c, &locale)).collect(),
            })
        }
    });
    view! {
        <DataTable columns=columns state=state data=resource
            caption="Customer accounts" testid="by-customer" empty="No customer has revenue this month yet."/>
    }
}
