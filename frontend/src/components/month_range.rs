//! A month-range picker: two month inputs, kept in order.

use chrono::NaiveDate;
use leptos::prelude::*;

/// An inclusive range of calendar months, as `YYYY-MM` strings.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MonthRange {
    /// First month.
    pub from: String,
    /// Last month.
    pub to: String,
}

impl MonthRange {
    /// Puts the months in order when the user picked them backwards, and keeps the previous
    /// value of a side that is not a month.
    pub fn normalised(from: &str, to: &str, previous: &MonthRange) -> MonthRange {
        let valid = |m: &str| NaiveDate::parse_from_str(&format!("{m}-01"), "%Y-%m-%d").is_ok();
        let from = if valid(from) { from.to_owned() } else { previous.from.clone() };
        let to = if valid(to) { to.to_owned() } else { previous.to.clone() };
        if from <= to { MonthRange { from, to } } else { MonthRange { from: to, to: from } }
    }
}

/// Lets the user pick a range of months.
#[component]
pub fn MonthRangePicker(range: RwSignal<MonthRange>) -> impl IntoView {
    let set = move |from: Option<String>, to: Option<String>| {
        range.update(|r| {
            let next = MonthRange::normalised(from.as_deref().unwrap_or(&r.from), to.as_deref().unwrap_or(&r.to), r);
            *r = next;
        })
    };
    view! {
        <div class="toolbar" role="group" aria-label="Months">
            <div>
                <label for="month-from">"From"</label>
                <input id="month-from" type="month" prop:value=move || range.get().from
                    on:change=move |ev| set(Some(event_target_value(&ev)), None)/>
            </div>
            <div>
                <label for="month-to">"To"</label>
                <input id="month-to" type="month" prop:value=move || range.get().to
                    on:change=move |ev| set(None, Some(event_target_value(&ev)))/>
            </div>
        </div>
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_backwards_range_is_put_in_order_and_junk_is_ignored() {
        let previous = MonthRange { from: "2025-01".into(), to: "2025-12".into() };
        assert_eq!(
            MonthRange::normalised("2025-09", "2025-03", &previous),
            MonthRange { from: "2025-03".into(), to: "2025-09".into() }
        );
        assert_eq!(
            MonthRange::normalised("", "2025-06", &previous),
            MonthRange { from: "2025-01".into(), to: "2025-06".into() }
        );
        assert_eq!(MonthRange::normalised("2025-13", "2025-06", &previous).from, "2025-01");
    }
}
