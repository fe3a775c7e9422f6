//! Serving the single-page app: its files from the built `dist` folder, and `index.html` for
//! every other path outside `/api`, so that a deep link survives a reload. Hashed assets never
//! change under their name and are cached for a year; `index.html` is always revalidated so a
//! new release is picked up at once.

use std::path::{Path, PathBuf};

use actix_files::NamedFile;
use actix_web::http::header::{self, CacheControl, CacheDirective};
use actix_web::{HttpRequest, HttpResponse, Responder, web};

use crate::error::ApiError;

/// Where the built app lives.
#[derive(Debug, Clone)]
pub struct SpaDir(pub PathBuf);

/// Answers every request no API route took.
pub async fn serve(req: HttpRequest, dir: web::Data<SpaDir>) -> HttpResponse {
    let path = req.path();
    if path == "/api"
        || path.starts_with("/api/")
        || !matches!(*req.method(), actix_web::http::Method::GET | actix_web::http::Method::HEAD)
    {
        return ApiError::NotFound.respond_to(&req);
    }
    let index = dir.0.join("index.html");
    if !index.is_file() {
        // No app built (API-only install): send people to the API's docs instead.
        return if path == "/" {
            HttpResponse::Found().insert_header((header::LOCATION, "/api/docs/")).finish()
        } else {
            ApiError::NotFound.respond_to(&req)
        };
    }
    let (file, cache) = match asset(&dir.0, path) {
        Some(file) => {
            let cache = if is_hashed(&file) { immutable() } else { revalidate() };
            (file, cache)
        }
        None => (index, revalidate()),
    };
    match NamedFile::open_async(&file).await {
        Ok(named) => {
            let mut response = named.use_etag(true).use_last_modified(true).into_response(&req);
            response
                .headers_mut()
                .insert(header::CACHE_CONTROL, cache.to_string().parse().expect("a valid header value"));
            response
        }
        Err(_) => ApiError::NotFound.respond_to(&req),
    }
}

/// The file a path names inside `dir`, if it is one. Paths that climb out (`..`) or hide
/// (`.name`) never match.
fn asset(dir: &Path, path: &str) -> Option<PathBuf> {
    let relative = path.trim_start_matches('/');
    if relative.is_empty() || relative.split('/').any(|s| s.is_empty() || s.starts_with('.') || s.contains('\\')) {
        return None;
    }
    let file = dir.join(relative);
    file.is_file().then_some(file)
}

/// Trunk names built assets `name-<hash>.ext` (the wasm `name-<hash>_bg.wasm`).
fn is_hashed(file: &Path) -> bool {
    let stem = file.file_stem().and_then(|s| s.to_str()).unwrap_or("");
    let stem = stem.strip_suffix("_bg").unwrap_or(stem);
    stem.rsplit_once('-').is_some_and(|(_, hash)| hash.len() >= 8 && hash.bytes().all(|b| b.is_ascii_hexdigit()))
}

fn immutable() -> CacheControl {
    CacheControl(vec![
        CacheDirective::Public,
        CacheDirective::MaxAge(31_536_000),
        CacheDirective::Extension("immutable".into(), None),
    ])
}

fn revalidate() -> CacheControl {
    CacheControl(vec![CacheDirective::NoCache])
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hashed_assets_are_recognised() {
        assert!(is_hashed(Path::new("tierdash-frontend-3f2a9c0d1e5b7a64_bg.wasm")));
        assert!(is_hashed(Path::new("tierdash-frontend-3f2a9c0d1e5b7a64.js")));
        assert!(is_hashed(Path::new("style-0123456789abcdef.css")));
        assert!(!is_hashed(Path::new("index.html")));
        assert!(!is_hashed(Path::new("tierdash-frontend.js")));
    }

    #[test]
    fn paths_cannot_leave_the_folder() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(dir.path().join("app.js"), "x").unwrap();
        assert!(asset(dir.path(), "/app.js").is_some());
        assert!(asset(dir.path(), "/../etc/passwd").is_none());
        assert!(asset(dir.path(), "/.secret").is_none());
        assert!(asset(dir.path(), "/").is_none());
        assert!(asset(dir.path(), "/organizations/12").is_none());
    }
}
