//! Uploading billing exports: dropped on the page or chosen, sent as one batch with the upload's
//! progress, and then what the import did, or each problem that refused it.

use domain::api::{ImportBatch, ImportStatus};
use leptos::prelude::*;
use send_wrapper::SendWrapper;
use wasm_bindgen::JsCast;

use super::problem_rows;
use crate::api::{self, ApiFailure, UploadOptions};
use crate::components::ErrorView;
use crate::format::{Locale, count};

/// The files chosen, held as the browser gave them (they are read only as they are sent).
type Chosen = SendWrapper<Vec<web_sys::File>>;

/// How an upload went.
#[derive(Clone)]
enum Outcome {
    Done(ImportBatch),
    Failed(ApiFailure),
}

fn files_of(list: Option<web_sys::FileList>) -> Vec<web_sys::File> {
    let Some(list) = list else { return Vec::new() };
    (0..list.length()).filter_map(|i| list.get(i)).collect()
}

fn size_text(bytes: f64) -> String {
    match bytes {
        b if b >= 1e9 => format!("{:.1} GB", b / 1e9),
        b if b >= 1e6 => format!("{:.1} MB", b / 1e6),
        b if b >= 1e3 => format!("{:.0} kB", b / 1e3),
        b => format!("{b:.0} B"),
    }
}

/// The upload panel; `imported` is called once an import has changed the data.
#[component]
pub fn Upload(imported: Callback<()>) -> impl IntoView {
    let chosen = RwSignal::new(SendWrapper::new(Vec::<web_sys::File>::new()));
    let hovering = RwSignal::new(false);
    let replace = RwSignal::new(false);
    let dry_run = RwSignal::new(false);
    let sent = RwSignal::new(None::<f64>);
    let outcome = RwSignal::new(None::<Outcome>);
    let input = NodeRef::<leptos::html::Input>::new();

    let choose = move |files: Vec<web_sys::File>| {
        if !files.is_empty() {
            chosen.set(SendWrapper::new(files));
            outcome.set(None);
        }
    };
    let on_drop = move |ev: web_sys::DragEvent| {
        ev.prevent_default();
        hovering.set(false);
        choose(files_of(ev.data_transfer().and_then(|d| d.files())));
    };
    let on_pick = move |ev: web_sys::Event| {
        let input = ev.target().and_then(|t| t.dyn_into::<web_sys::HtmlInputElement>().ok());
        choose(files_of(input.and_then(|i| i.files())));
    };
    let import = move |_| {
        let files: Vec<web_sys::File> = chosen.with_untracked(|c: &Chosen| c.iter().cloned().collect());
        if files.is_empty() {
            return;
        }
        let options = UploadOptions { replace_periods: replace.get_untracked(), dry_run: dry_run.get_untracked() };
        sent.set(Some(0.0));
        outcome.set(None);
        leptos::task::spawn_local(async move {
            let progress = Callback::new(move |share: f64| sent.set(Some(share)));
            let result = api::upload(files, options, progress).await;
            sent.set(None);
            match result {
                Ok(batch) => {
                    if batch.status == ImportStatus::Completed {
                        imported.run(());
                    }
                    chosen.set(SendWrapper::new(Vec::new()));
                    if let Some(input) = input.get_untracked() {
                        input.set_value("");
                    }
                    outcome.set(Some(Outcome::Done(batch)));
                }
                Err(e) => outcome.set(Some(Outcome::Failed(e))),
            }
        });
    };

    let chosen_list = move || {
        chosen.with(|files: &Chosen| {
            files
                .iter()
                .map(|f| view! { <li>{f.name()} <span class="muted">{format!(" · {}", size_text(f.size()))}</span></li> })
                .collect_view()
        })
    };
    let progress = move || {
        sent.get().map(|share| {
            let percent = (share * 100.0).round();
            let label = if share >= 1.0 { "Sent; importing…".to_owned() } else { format!("Sending… {percent}%") };
            view! {
                <div class="upload-progress" role="status" data-testid="upload-progress">
                    <progress max="100" value=percent.to_string()></progress>
                    <span>{label}</span>
                </div>
            }
        })
    };
    view! {
        <section class="panel" data-testid="import-upload">
            <h2>"Upload"</h2>
            <div class="drop-zone" class:hovering=move || hovering.get() data-testid="drop-zone"
                on:dragover=move |ev: web_sys::DragEvent| { ev.prevent_default(); hovering.set(true); }
                on:dragleave=move |_| hovering.set(false)
                on:drop=on_drop>
                <p>"Drop export files here, or "
                    <label for="import-files" class="link">"choose them"</label>"."</p>
                <input id="import-files" type="file" multiple class="visually-hidden"
                    accept=".csv,.gz,.parquet,text/csv,application/gzip" data-testid="import-files"
                    node_ref=input on:change=on_pick/>
                <ul class="chosen-files" data-testid="chosen-files">{chosen_list}</ul>
            </div>
            <div class="toolbar">
                <label class="settings-check">
                    <input type="checkbox" data-testid="import-replace" on:change=move |ev| replace.set(event_target_checked(&ev))/>
                    " These files restate their billing periods (replace what was imported for them)"
                </label>
                <label class="settings-check">
                    <input type="checkbox" data-testid="import-dry-run" on:change=move |ev| dry_run.set(event_target_checked(&ev))/>
                    " Check only"
                </label>
                <button type="button" data-testid="import-submit" on:click=import
                    disabled=move || sent.get().is_some() || chosen.with(|c: &Chosen| c.is_empty())>"Import"</button>
            </div>
            {progress}
            {move || outcome.get().map(|o| match o {
                Outcome::Done(batch) => summary(batch).into_any(),
                Outcome::Failed(e) => refused(e).into_any(),
            })}
        </section>
    }
}

fn summary(batch: ImportBatch) -> impl IntoView {
    let locale = Locale::browser();
    let what = match batch.status {
        ImportStatus::Completed => format!("Imported {} as batch {}.", batch.file_name, batch.id),
        ImportStatus::Duplicate => {
            format!("{} was imported before (batch {}): nothing changed.", batch.file_name, batch.id)
        }
        ImportStatus::DryRun => format!("{} checked: nothing was kept.", batch.file_name),
    };
    view! {
        <div class="settings-notice" role="status" data-testid="import-summary">
            <p>{what}</p>
            <p>{format!(
                "{} rows: {} counted, {} held back until their customer or exchange rate is known, {} replaced.",
                count(batch.rows_total, &locale),
                count(batch.rows_rated, &locale),
                count(batch.rows_unrated, &locale),
                count(batch.rows_replaced, &locale),
            )}</p>
        </div>
    }
}

fn refused(error: ApiFailure) -> impl IntoView {
    let ApiFailure::Problem(problem) = &error else { return view! { <ErrorView error=error/> }.into_any() };
    if problem.errors.is_empty() {
        return view! { <ErrorView error=error.clone()/> }.into_any();
    }
    let detail = problem.detail.clone().unwrap_or_else(|| problem.title.clone());
    let rows = problem.errors.clone();
    view! {
        <div role="alert" data-testid="import-errors">
            <p class="error">{format!("Refused: {detail}.")}</p>
            <div class="table-wrap">
                <table>
                    <thead><tr>
                        <th scope="col">"Rows"</th>
                        <th scope="col">"Column"</th>
                        <th scope="col">"Problem"</th>
                    </tr></thead>
                    <tbody>{rows.into_iter().map(|e| {
                        let (rows, message) = problem_rows(&e.message);
                        view! {
                            <tr data-testid="import-error">
                                <td>{rows}</td>
                                <td>{e.field.clone().unwrap_or_else(|| "—".into())}</td>
                                <td class="settings-wrap">{message}</td>
                            </tr>
                        }
                    }).collect_view()}</tbody>
                </table>
            </div>
        </div>
    }
    .into_any()
}
