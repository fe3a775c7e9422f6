//! A data table whose sorting, searching and paging are done by the API: the table only holds
//! the state (search text, sort, page) and shows the page it is given.

use leptos::prelude::*;
use leptos_router::components::A;

use super::loaded::Loaded;
use super::pager::Pager;
pub use super::pager::last_page;
use super::states::Empty;
use crate::api::ApiFailure;

/// A column: its heading and, when sortable, the API's sort field.
#[derive(Debug, Clone, PartialEq)]
pub struct Column {
    /// Heading.
    pub label: &'static str,
    /// The field `sort=` takes, if the column sorts.
    pub sort: Option<&'static str>,
    /// Right-aligned (numbers, money).
    pub numeric: bool,
}

impl Column {
    /// A column that sorts by `field`.
    pub const fn sorted(label: &'static str, field: &'static str) -> Column {
        Column { label, sort: Some(field), numeric: false }
    }
    /// A column that does not sort.
    pub const fn plain(label: &'static str) -> Column {
        Column { label, sort: None, numeric: false }
    }
    /// A right-aligned column.
    pub const fn numeric(mut self) -> Column {
        self.numeric = true;
        self
    }
}

/// A row: its cells, already formatted, and where its first cell links to.
#[derive(Debug, Clone, PartialEq)]
pub struct Row {
    /// Stable key.
    pub key: i64,
    /// Link of the first cell.
    pub href: Option<String>,
    /// Cell texts.
    pub cells: Vec<String>,
}

/// One page of rows and the totals the pager needs.
#[derive(Debug, Clone, PartialEq)]
pub struct TablePage {
    /// Rows of this page.
    pub rows: Vec<Row>,
    /// Matching rows over all pages.
    pub total: u64,
    /// This page, from 1.
    pub page: u64,
    /// Page size.
    pub per_page: u64,
}

/// What the user asked the table for.
#[derive(Debug, Clone, Copy)]
pub struct TableState {
    /// Search text.
    pub q: RwSignal<String>,
    /// Sort: field, `-field`, or empty.
    pub sort: RwSignal<String>,
    /// Page, from 1.
    pub page: RwSignal<u64>,
}

impl TableState {
    /// A table sorted by `sort` at first.
    pub fn new(sort: &str) -> TableState {
        TableState { q: RwSignal::new(String::new()), sort: RwSignal::new(sort.to_owned()), page: RwSignal::new(1) }
    }

    /// The list parameters of the page asked for, `per_page` rows to a page.
    pub fn list_params(&self, per_page: u64) -> domain::api::ListParams {
        domain::api::ListParams {
            page: Some(self.page.get()),
            per_page: Some(per_page),
            q: Some(self.q.get()).filter(|q| !q.trim().is_empty()),
            sort: Some(self.sort.get()).filter(|s| !s.is_empty()),
        }
    }

    /// Sorting by a column toggles between ascending and descending.
    pub fn next_sort(current: &str, field: &str) -> String {
        if current == field { format!("-{field}") } else { field.to_owned() }
    }
}

/// A column's heading: a button that sorts by it when it sorts (again: the other way), with
/// `aria-sort` saying how the list is sorted now.
pub fn heading(column: &Column, state: TableState) -> AnyView {
    let class = if column.numeric { "num" } else { "" };
    let label = column.label;
    match column.sort {
        Some(field) => {
            let aria = move || {
                let s = state.sort.get();
                if s == field {
                    "ascending"
                } else if s == format!("-{field}") {
                    "descending"
                } else {
                    "none"
                }
            };
            view! {
                <th class=class aria-sort=aria scope="col">
                    <button type="button" data-testid=format!("sort-{field}")
                        on:click=move |_| {
                            state.sort.update(|s| *s = TableState::next_sort(s, field));
                            state.page.set(1);
                        }>
                        {label}
                        {move || match aria() { "ascending" => " ▲", "descending" => " ▼", _ => "" }}
                    </button>
                </th>
            }
            .into_any()
        }
        None => view! { <th class=class scope="col">{label}</th> }.into_any(),
    }
}

/// The table: a search box, sortable headings, rows, and a pager.
#[component]
pub fn DataTable(
    columns: Vec<Column>,
    state: TableState,
    data: LocalResource<Result<TablePage, ApiFailure>>,
    #[prop(into)] caption: String,
    #[prop(into)] testid: String,
    #[prop(into, default = "Nothing to show yet.".to_string())] empty: String,
    /// What the search box searches, as its placeholder.
    #[prop(into, default = "Name, id or domain".to_string())]
    search: String,
) -> impl IntoView {
    let search_id = format!("{testid}-search");
    let heading_columns = columns.clone();
    let header = move || heading_columns.iter().map(|c| heading(c, state)).collect_view();
    let numeric: Vec<bool> = columns.iter().map(|c| c.numeric).collect();
    let body = move |page: TablePage| {
        if page.rows.is_empty() {
            return view! { <Empty message=empty.clone()/> }.into_any();
        }
        let numeric = numeric.clone();
        let (total, per_page) = (page.total, page.per_page);
        let rows = page
            .rows
            .into_iter()
            .map(|row| {
                let numeric = numeric.clone();
                let href = row.href.clone();
                let cells = row
                    .cells
                    .into_iter()
                    .enumerate()
                    .map(|(i, text)| {
                        let class = if numeric.get(i).copied().unwrap_or(false) { "num" } else { "" };
                        match (i, &href) {
                            (0, Some(href)) => {
                                view! { <td class=class><A href=href.clone()>{text}</A></td> }.into_any()
                            }
                            _ => view! { <td class=class>{text}</td> }.into_any(),
                        }
                    })
                    .collect_view();
                view! { <tr data-testid="row">{cells}</tr> }
            })
            .collect_view();
        view! {
            <div class="table-wrap">
                <table>
                    <caption class="muted" style="text-align:left">{caption.clone()}</caption>
                    <thead><tr>{header.clone()}</tr></thead>
                    <tbody>{rows}</tbody>
                </table>
            </div>
            <Pager page=state.page total=total per_page=per_page/>
        }
        .into_any()
    };
    view! {
        <div data-testid=testid.clone()>
            <div class="toolbar">
                <div>
                    <label for=search_id.clone()>"Search"</label>
                    <input id=search_id type="search" data-testid="search" placeholder=search
                        prop:value=move || state.q.get()
                        on:input=move |ev| { state.q.set(event_target_value(&ev)); state.page.set(1); }/>
                </div>
            </div>
            <Loaded data=data view=body/>
        </div>
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sorting_the_same_column_twice_reverses_it() {
        assert_eq!(TableState::next_sort("", "name"), "name");
        assert_eq!(TableState::next_sort("name", "name"), "-name");
        assert_eq!(TableState::next_sort("-name", "name"), "name");
        assert_eq!(TableState::next_sort("-name", "created_at"), "created_at");
    }
}
