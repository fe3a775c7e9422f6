//! A list the page already holds whole (a month's services: dozens, not a distributor's 100,000
//! customers, which the API pages): shown 25 rows at a time, sorted by any column and searched
//! by its text, with the same controls as the API-paged table. Sorting compares the server's
//! values as they came; nothing is computed here.

use std::cmp::Ordering;

use leptos::prelude::*;
use rust_decimal::Decimal;

use super::pager::Pager;
use super::states::Empty;

const PER_PAGE: u64 = 25;

/// What a cell sorts by.
#[derive(Debug, Clone, PartialEq)]
pub enum SortKey {
    /// Text, case-insensitively.
    Text(String),
    /// An amount.
    Amount(Decimal),
}

impl SortKey {
    fn cmp(&self, other: &SortKey) -> Ordering {
        match (self, other) {
            (SortKey::Amount(a), SortKey::Amount(b)) => a.cmp(b),
            (SortKey::Text(a), SortKey::Text(b)) => a.to_lowercase().cmp(&b.to_lowercase()),
            (SortKey::Text(_), SortKey::Amount(_)) => Ordering::Less,
            (SortKey::Amount(_), SortKey::Text(_)) => Ordering::Greater,
        }
    }
}

/// A row: the texts shown and, per cell, what it sorts by.
#[derive(Debug, Clone, PartialEq)]
pub struct LocalRow {
    /// Cell texts, formatted.
    pub cells: Vec<String>,
    /// One key per cell.
    pub keys: Vec<SortKey>,
}

/// A column's heading and whether it is right-aligned.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct LocalColumn {
    /// Heading.
    pub label: &'static str,
    /// Numbers and money.
    pub numeric: bool,
}

/// The rows matching `q` (in any cell), sorted by column `by` (descending when asked), on the
/// 1-based `page`; and how many matched.
pub fn visible(rows: &[LocalRow], q: &str, by: Option<(usize, bool)>, page: u64) -> (Vec<LocalRow>, u64) {
    let q = q.trim().to_lowercase();
    let mut hits: Vec<&LocalRow> =
        rows.iter().filter(|r| q.is_empty() || r.cells.iter().any(|c| c.to_lowercase().contains(&q))).collect();
    if let Some((column, descending)) = by {
        hits.sort_by(|a, b| {
            let order = match (a.keys.get(column), b.keys.get(column)) {
                (Some(x), Some(y)) => x.cmp(y),
                _ => Ordering::Equal,
            };
            if descending { order.reverse() } else { order }
        });
    }
    let total = hits.len() as u64;
    let skip = (page.max(1) - 1).saturating_mul(PER_PAGE) as usize;
    (hits.into_iter().skip(skip).take(PER_PAGE as usize).cloned().collect(), total)
}

/// The table; `sorted` is the column and direction it starts in.
#[component]
pub fn LocalTable(
    columns: Vec<LocalColumn>,
    rows: Vec<LocalRow>,
    #[prop(into)] testid: String,
    #[prop(optional)] sorted: Option<(usize, bool)>,
) -> impl IntoView {
    let q = RwSignal::new(String::new());
    let by = RwSignal::new(sorted);
    let page = RwSignal::new(1u64);
    let search_id = format!("{testid}-search");
    let header = columns
        .iter()
        .enumerate()
        .map(|(i, c)| {
            let aria = move || match by.get() {
                Some((col, false)) if col == i => "ascending",
                Some((col, true)) if col == i => "descending",
                _ => "none",
            };
            let toggle = move |_| {
                by.update(|b| *b = Some((i, matches!(*b, Some((col, false)) if col == i))));
                page.set(1);
            };
            view! {
                <th class=if c.numeric { "num" } else { "" } aria-sort=aria scope="col">
                    <button type="button" on:click=toggle>
                        {c.label}{move || match aria() { "ascending" => " ▲", "descending" => " ▼", _ => "" }}
                    </button>
                </th>
            }
        })
        .collect_view();
    let numeric: Vec<bool> = columns.iter().map(|c| c.numeric).collect();
    let rows = StoredValue::new(rows);
    let body = move || {
        let (shown, _) = rows.with_value(|rows| visible(rows, &q.get(), by.get(), page.get()));
        let numeric = numeric.clone();
        shown
            .into_iter()
            .map(|r| {
                let cells = r
                    .cells
                    .into_iter()
                    .enumerate()
                    .map(|(i, text)| {
                        view! { <td class=if numeric.get(i).copied().unwrap_or(false) { "num" } else { "" }>{text}</td> }
                    })
                    .collect_view();
                view! { <tr data-testid="row">{cells}</tr> }
            })
            .collect_view()
    };
    let footer = move || {
        page.track();
        let (_, total) = rows.with_value(|rows| visible(rows, &q.get(), by.get(), 1));
        if total == 0 {
            view! { <Empty message="Nothing matches."/> }.into_any()
        } else {
            view! { <Pager page=page total=total per_page=PER_PAGE/> }.into_any()
        }
    };
    view! {
        <div data-testid=testid>
            <div class="toolbar">
                <div>
                    <label for=search_id.clone()>"Search"</label>
                    <input id=search_id type="search" data-testid="search" prop:value=move || q.get()
                        on:input=move |ev| { q.set(event_target_value(&ev)); page.set(1); }/>
                </div>
            </div>
            <div class="table-wrap">
                <table><thead><tr>{header}</tr></thead><tbody>{body}</tbody></table>
            </div>
            {footer}
        </div>
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn row(name: &str, amount: i64) -> LocalRow {
        LocalRow {
            cells: vec![name.into(), amount.to_string()],
            keys: vec![SortKey::Text(name.into()), SortKey::Amount(Decimal::from(amount))],
        }
    }

    #[test]
    fn rows_are_searched_sorted_and_paged() {
        let rows: Vec<LocalRow> = (1..=30).map(|i| row(&format!("Service {i:02}"), i * 10)).collect();
        let (page, total) = visible(&rows, "", Some((1, true)), 1);
        assert_eq!((total, page.len()), (30, 25));
        assert_eq!(page[0].cells[0], "Service 30", "largest first");
        let (page, _) = visible(&rows, "", Some((1, true)), 2);
        assert_eq!(page.len(), 5);
        let (page, total) = visible(&rows, "service 1", None, 1);
        assert_eq!(total, 10, "10 to 19 match, 01 does not");
        assert_eq!(page[0].cells[0], "Service 10", "unsorted rows keep the server's order");
        assert_eq!(visible(&rows, "nothing", None, 1).1, 0);
    }

    #[test]
    fn amounts_sort_as_numbers_not_text() {
        let rows = vec![row("a", 9), row("b", 10), row("c", -1)];
        let (page, _) = visible(&rows, "", Some((1, false)), 1);
        let names: Vec<&str> = page.iter().map(|r| r.cells[0].as_str()).collect();
        assert_eq!(names, ["c", "a", "b"]);
    }
}
