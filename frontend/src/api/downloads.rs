//! Files handed to the browser: CSV reports and saved text.

use wasm_bindgen::JsCast;

use super::{ApiFailure, decode, send};

/// Fetches a report as CSV (with the session's token, which a plain link could not send) and
/// hands it to the browser as a download named `file_name`.
pub async fn download_csv(path_with_query: &str, file_name: &str) -> Result<(), ApiFailure> {
    let sep = if path_with_query.contains('?') { '&' } else { '?' };
    let (status, text) = send("GET", &format!("{path_with_query}{sep}format=csv"), None, true).await?;
    if !(200..300).contains(&status) {
        return decode::<()>((status, text));
    }
    save_file(&text, file_name)
}

/// Hands text to the browser as a download named `file_name`.
pub fn save_file(text: &str, file_name: &str) -> Result<(), ApiFailure> {
    let fail = |e: wasm_bindgen::JsValue| ApiFailure::Network(format!("{e:?}"));
    let parts = js_sys::Array::of1(&wasm_bindgen::JsValue::from_str(text));
    let blob = web_sys::Blob::new_with_str_sequence(&parts).map_err(fail)?;
    let url = web_sys::Url::create_object_url_with_blob(&blob).map_err(fail)?;
    let document =
        web_sys::window().and_then(|w| w.document()).ok_or_else(|| ApiFailure::Network("no document".into()))?;
    let link: web_sys::HtmlAnchorElement =
        document.create_element("a").map_err(fail)?.dyn_into().map_err(|_| ApiFailure::Network("no link".into()))?;
    link.set_href(&url);
    link.set_download(file_name);
    link.click();
    // The URL is not revoked at once: some browsers start reading it only after this returns.
    Ok(())
}
