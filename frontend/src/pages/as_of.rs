//! The day a dashboard is shown for, kept in the URL (`?as_of=YYYY-MM-DD`) so that a link or a
//! reload shows the same figures; no `as_of` means today (the server's default).

use chrono::NaiveDate;
use leptos::prelude::*;
use leptos_router::hooks::{use_location, use_navigate, use_query_map};

/// The page's `as_of`, from the URL.
pub fn as_of_signal() -> Memo<Option<NaiveDate>> {
    let query = use_query_map();
    Memo::new(move |_| query.with(|q| q.get("as_of").and_then(|d| d.parse().ok())))
}

/// `path` with the `as_of` query (none: today).
pub fn with_as_of(path: &str, as_of: Option<NaiveDate>) -> String {
    match as_of {
        Some(day) => format!("{path}?as_of={day}"),
        None => path.to_owned(),
    }
}

/// Today in UTC, the day the server computes for when no `as_of` is given.
pub fn today_utc() -> Option<NaiveDate> {
    let now = js_sys::Date::new_0();
    NaiveDate::from_ymd_opt(now.get_utc_full_year() as i32, now.get_utc_month() + 1, now.get_utc_date())
}

/// A day written the way the browser's date input writes it (its locale: `12/2/2026` in the
/// United States, `2.12.2026` in Germany), so that the page's words and the picker agree.
pub fn day_as_picker_shows(day: NaiveDate) -> String {
    let date = js_sys::Date::new(&wasm_bindgen::JsValue::from_str(&format!("{day}T00:00:00Z")));
    let options = js_sys::Object::new();
    let _ = js_sys::Reflect::set(&options, &"timeZone".into(), &"UTC".into());
    String::from(date.to_locale_date_string("default", &options))
}

/// A date input that moves the page to another day; it always shows the day in force (today in
/// UTC when the address names none), and clearing it goes back to today.
#[component]
pub fn AsOfPicker() -> impl IntoView {
    let as_of = as_of_signal();
    let location = use_location();
    let navigate = use_navigate();
    let change = move |ev| {
        let day = event_target_value(&ev).parse::<NaiveDate>().ok();
        navigate(&with_as_of(&location.pathname.get_untracked(), day), Default::default());
    };
    view! {
        <div class="toolbar">
            <label for="as-of">"As of"</label>
            <input id="as-of" type="date" data-testid="as-of"
                prop:value=move || as_of.get().or_else(today_utc).map(|d| d.to_string()).unwrap_or_default()
                on:change=change/>
        </div>
    }
}
