//! Previous / next through the pages of a list the API pages, with where the user is and how
//! many there are in all.

use leptos::prelude::*;

use crate::format::{self, Locale};

/// The last page number for a total (at least 1).
pub fn last_page(total: u64, per_page: u64) -> u64 {
    total.div_ceil(per_page.max(1)).max(1)
}

/// The pager under a list; `page` is the page shown, moved by the buttons.
#[component]
pub fn Pager(page: RwSignal<u64>, total: u64, per_page: u64) -> impl IntoView {
    let locale = Locale::browser();
    let last = last_page(total, per_page);
    let shown = format!(
        "Page {} of {} · {} in all",
        format::count(page.get_untracked(), &locale),
        format::count(last, &locale),
        format::count(total, &locale)
    );
    view! {
        <nav class="pager" aria-label="Pages">
            <button type="button" class="secondary" data-testid="prev-page" disabled=move || { page.get() <= 1 }
                on:click=move |_| page.update(|p| *p = p.saturating_sub(1).max(1))>"Previous"</button>
            <span data-testid="page-info">{shown}</span>
            <button type="button" class="secondary" data-testid="next-page" disabled=move || { page.get() >= last }
                on:click=move |_| page.update(|p| *p = (*p + 1).min(last))>"Next"</button>
        </nav>
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_last_page_covers_the_remainder() {
        assert_eq!(last_page(0, 50), 1);
        assert_eq!(last_page(50, 50), 1);
        assert_eq!(last_page(51, 50), 2);
    }
}
