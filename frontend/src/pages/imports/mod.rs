//! Imports (`/imports`): upload one or several billing exports (dropped or chosen) with
//! progress, see what the import did or every problem that refused it, give the provider
//! accounts no customer owns to customers, see the SKUs the catalog lacks, and the history of
//! imports. Home's and the billing page's issues lead here.

mod accounts;
mod upload;

use domain::api::{BillingIssue, BillingIssueFilter, ImportBatch};
use domain::kinds::BillingIssueKind;
use leptos::prelude::*;

use self::accounts::UnmappedAccounts;
use self::upload::Upload;
use crate::api;
use crate::components::title::set_title;
use crate::components::{Column, DataTable, Row, TablePage, TableState};
use crate::format::{Locale, count, day, money};

/// The imports page.
#[component]
pub fn ImportsPage() -> impl IntoView {
    set_title("Imports");
    // Bumped after each import or mapping, so that every list below reads again.
    let changed = RwSignal::new(0u32);
    let refresh = Callback::new(move |()| changed.update(|n| *n += 1));
    view! {
        <h1>"Imports"</h1>
        <p class="muted">"Provider exports in FOCUS 1.0 to 1.4 — CSV, gzip or Parquet — as they come. Several files are one batch: all or nothing."</p>
        <Upload imported=refresh/>
        <UnmappedAccounts changed=changed refresh=refresh/>
        <UnmappedSkus changed=changed/>
        <History changed=changed/>
    }
}

fn sku_row(issue: BillingIssue, locale: &Locale) -> Row {
    Row {
        key: issue.id,
        href: None,
        cells: vec![
            issue.sku.unwrap_or_default(),
            issue.reseller_name.unwrap_or_else(|| "—".into()),
            issue.lines.map(|n| count(n, locale)).unwrap_or_default(),
            issue.revenue.map(|r| money(r, "USD", locale)).unwrap_or_default(),
            day(issue.detected_at.date_naive()),
        ],
    }
}

/// The SKUs the catalog lacks: their lines count under "Unmapped" until the SKU is added.
#[component]
fn UnmappedSkus(changed: RwSignal<u32>) -> impl IntoView {
    let state = TableState::new("-detected_at");
    let resource = LocalResource::new(move || {
        changed.track();
        let list = state.list_params(10);
        let filter = BillingIssueFilter {
            kind: Some(BillingIssueKind::UnmappedProduct),
            open: Some(true),
            ..Default::default()
        };
        async move {
            let locale = Locale::browser();
            let page = api::billing_issues(list, filter).await?;
            let rows = page.items.into_iter().map(|issue| sku_row(issue, &locale)).collect();
            Ok(TablePage { total: page.total, page: page.page, per_page: page.per_page, rows })
        }
    });
    let columns = vec![
        Column::plain("SKU"),
        Column::plain("Reseller"),
        Column::plain("Lines").numeric(),
        Column::plain("Revenue").numeric(),
        Column::sorted("Found", "detected_at"),
    ];
    view! {
        <section class="panel" data-testid="unmapped-skus">
            <h2>"SKUs not in the catalog"</h2>
            <p class="muted">"Their lines count, under the family Unmapped, until the SKU is added to the catalog."</p>
            <DataTable columns=columns state=state data=resource caption="SKUs not in the catalog"
                testid="unmapped-skus-table" empty="Every SKU imported is in the catalog." search="SKU"/>
        </section>
    }
}

fn history_row(batch: ImportBatch, locale: &Locale) -> Row {
    Row {
        key: batch.id,
        href: None,
        cells: vec![
            batch.file_name,
            batch.completed_at.map(|t| day(t.date_naive())).unwrap_or_else(|| day(batch.created_at.date_naive())),
            count(batch.rows_total, locale),
            count(batch.rows_rated, locale),
            count(batch.rows_unrated, locale),
            count(batch.rows_replaced, locale),
        ],
    }
}

/// Every completed import, latest first.
#[component]
fn History(changed: RwSignal<u32>) -> impl IntoView {
    let state = TableState::new("-created_at");
    let resource = LocalResource::new(move || {
        changed.track();
        let list = state.list_params(10);
        async move {
            let locale = Locale::browser();
            let page = api::imports(list).await?;
            let rows = page.items.into_iter().map(|b| history_row(b, &locale)).collect();
            Ok(TablePage { total: page.total, page: page.page, per_page: page.per_page, rows })
        }
    });
    let columns = vec![
        Column::sorted("File", "file_name"),
        Column::sorted("Imported", "created_at"),
        Column::plain("Rows").numeric(),
        Column::plain("Counted").numeric(),
        Column::plain("Held back").numeric(),
        Column::plain("Replaced").numeric(),
    ];
    view! {
        <section class="panel" data-testid="import-history">
            <h2>"History"</h2>
            <DataTable columns=columns state=state data=resource caption="Imports"
                testid="imports-table" empty="Nothing imported yet." search="File name"/>
        </section>
    }
}

/// How a problem of a refused file reads in the table: its rows and its message without them.
pub(crate) fn problem_rows(message: &str) -> (String, String) {
    match message.split_once(": ") {
        Some((rows, rest)) if rows.starts_with("row") => (rows.to_owned(), rest.to_owned()),
        _ => ("—".to_owned(), message.to_owned()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_grouped_problem_shows_its_rows_apart_from_its_message() {
        assert_eq!(
            problem_rows("rows 1, 2 and 998 more: must be a date; found \"x\""),
            ("rows 1, 2 and 998 more".to_owned(), "must be a date; found \"x\"".to_owned())
        );
        assert_eq!(problem_rows("the file has no data rows"), ("—".to_owned(), "the file has no data rows".to_owned()));
    }
}
