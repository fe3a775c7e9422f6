//! Billing files in: uploading exports (with progress), the history of imports, and the provider
//! accounts no customer owns yet.

use domain::api::{AccountMapped, CustomerFromAccount, ImportBatch, ListParams, MapAccount, Page, UnmappedAccount};
use leptos::prelude::{Callable, Callback};
use wasm_bindgen::JsCast;
use wasm_bindgen::prelude::Closure;
use wasm_bindgen_futures::JsFuture;

use super::{ApiFailure, decode, get, send_json, with_query};
use crate::session;

/// A page of completed imports.
pub async fn imports(list: ListParams) -> Result<Page<ImportBatch>, ApiFailure> {
    get(&with_query("/api/v1/imports", &[&list])).await
}

/// A page of the provider accounts whose lines wait for a customer.
pub async fn unmapped_accounts(list: ListParams) -> Result<Page<UnmappedAccount>, ApiFailure> {
    get(&with_query("/api/v1/billing-accounts/unmapped", &[&list])).await
}

/// Gives an account to a customer; its lines are rated.
pub async fn map_account(body: &MapAccount) -> Result<AccountMapped, ApiFailure> {
    send_json("POST", "/api/v1/billing-accounts/unmapped/map", body).await
}

/// Makes a customer of an account; its lines are rated.
pub async fn customer_from_account(body: &CustomerFromAccount) -> Result<AccountMapped, ApiFailure> {
    send_json("POST", "/api/v1/billing-accounts/unmapped/customer", body).await
}

/// How an upload is imported.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct UploadOptions {
    /// The files restate the billing periods they cover.
    pub replace_periods: bool,
    /// Check only, keep nothing.
    pub dry_run: bool,
}

/// Uploads `files` as one batch (a multipart form), calling `progress` with the share sent
/// (0 to 1). Sent by XMLHttpRequest, the one browser API that reports an upload's progress; the
/// files go from disk as they are, never read into the page's memory.
pub async fn upload(
    files: Vec<web_sys::File>,
    options: UploadOptions,
    progress: Callback<f64>,
) -> Result<ImportBatch, ApiFailure> {
    let fail = |e: wasm_bindgen::JsValue| ApiFailure::Network(format!("{e:?}"));
    let Some(token) = session::token() else {
        session::go_to_login();
        return Err(ApiFailure::Unauthorized);
    };
    let mut query = Vec::new();
    if options.replace_periods {
        query.push("replace=billing_period");
    }
    if options.dry_run {
        query.push("dry_run=true");
    }
    let url = match query.is_empty() {
        true => "/api/v1/imports".to_owned(),
        false => format!("/api/v1/imports?{}", query.join("&")),
    };
    let form = web_sys::FormData::new().map_err(fail)?;
    for file in &files {
        form.append_with_blob_and_filename("file", file, &file.name()).map_err(fail)?;
    }
    let xhr = web_sys::XmlHttpRequest::new().map_err(fail)?;
    xhr.open_with_async("POST", &url, true).map_err(fail)?;
    xhr.set_request_header("Authorization", &format!("Bearer {token}")).map_err(fail)?;
    xhr.set_request_header("Accept", "application/json").map_err(fail)?;
    // Kept alive until the upload has ended, then dropped with it.
    let on_progress = Closure::<dyn FnMut(web_sys::ProgressEvent)>::new(move |e: web_sys::ProgressEvent| {
        if e.length_computable() && e.total() > 0.0 {
            progress.run(e.loaded() / e.total());
        }
    });
    if let Ok(upload) = xhr.upload() {
        upload.set_onprogress(Some(on_progress.as_ref().unchecked_ref()));
    }
    let ended = js_sys::Promise::new(&mut |resolve, _| {
        let on_end = Closure::once_into_js(move |_: web_sys::ProgressEvent| {
            let _ = resolve.call0(&wasm_bindgen::JsValue::NULL);
        });
        xhr.set_onloadend(Some(on_end.unchecked_ref()));
    });
    xhr.send_with_opt_form_data(Some(&form)).map_err(fail)?;
    let _ = JsFuture::from(ended).await;
    drop(on_progress);
    let status = xhr.status().map_err(fail)?;
    if status == 0 {
        return Err(ApiFailure::Network("the upload did not reach the server".into()));
    }
    if status == 401 {
        session::go_to_login();
        return Err(ApiFailure::Unauthorized);
    }
    let text = xhr.response_text().map_err(fail)?.unwrap_or_default();
    decode((status, text))
}
