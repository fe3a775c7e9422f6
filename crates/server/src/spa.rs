//! Serving the single-page app: its files from the built `dist` folder, and `index.html` for
//! every other path outside `/api`, so that a deep link survives a reload; and for a documented
//! API path asked with a method it does not take, the 405 (`api_paths.rs`). Hashed assets never
//! change under their name and are cached for a year; `index.html` is always revalidated so a
//! new release is picked up at once. The build writes a brotli and a gzip copy beside each asset
//! (`scripts/precompress.mjs`); a client that accepts one gets it as it is, so the bytes a
//! browser downloads are those `scripts/app-size.sh` measures.

use std::path::{Path, PathBuf};

use actix_files::NamedFile;
use actix_web::http::header::{self, CacheControl, CacheDirective, ContentEncoding};
use actix_web::{HttpRequest, HttpResponse, Responder, web};

use crate::api_paths::ApiPaths;
use crate::error::ApiError;

/// Where the built app lives.
#[derive(Debug, Clone)]
pub struct SpaDir(pub PathBuf);

/// Answers every request no API route took.
pub async fn serve(req: HttpRequest, dir: web::Data<SpaDir>, api: web::Data<ApiPaths>) -> HttpResponse {
    let path = req.path();
    if let Some(allow) = api.refused(req.method().as_str(), path) {
        return ApiError::MethodNotAllowed(allow).respond_to(&req);
    }
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
        // A missing script, stylesheet or wasm chunk is a 404, never the page: the app's loader
        // would otherwise take HTML for a module and stop.
        None if is_asset_path(path) => return ApiError::NotFound.respond_to(&req),
        None => (index, revalidate()),
    };
    let accepted = req.headers().get(header::ACCEPT_ENCODING).and_then(|v| v.to_str().ok()).unwrap_or("");
    let encoded = precompressed(&file, accepted);
    let opened = match &encoded {
        Some((copy, encoding)) => NamedFile::open_async(copy).await.map(|named| {
            named
                .set_content_type(actix_files::file_extension_to_mime(extension(&file)))
                .set_content_encoding(*encoding)
                .disable_content_disposition()
        }),
        None => NamedFile::open_async(&file).await,
    };
    match opened {
        Ok(named) => {
            let mut response = named.use_etag(true).use_last_modified(true).into_response(&req);
            let headers = response.headers_mut();
            headers.insert(header::CACHE_CONTROL, cache.to_string().parse().expect("a valid header value"));
            if has_copies(&file) {
                headers.insert(header::VARY, header::HeaderValue::from_static("accept-encoding"));
            }
            response
        }
        Err(_) => ApiError::NotFound.respond_to(&req),
    }
}

/// The precompressed copies the build writes, best first: (`Accept-Encoding` token, suffix).
const COPIES: [(&str, &str, ContentEncoding); 2] =
    [("br", "br", ContentEncoding::Brotli), ("gzip", "gz", ContentEncoding::Gzip)];

fn with_suffix(file: &Path, suffix: &str) -> PathBuf {
    let mut name = file.as_os_str().to_owned();
    name.push(".");
    name.push(suffix);
    PathBuf::from(name)
}

fn extension(file: &Path) -> &str {
    file.extension().and_then(|e| e.to_str()).unwrap_or("")
}

fn has_copies(file: &Path) -> bool {
    COPIES.iter().any(|(_, suffix, _)| with_suffix(file, suffix).is_file())
}

/// The best precompressed copy of `file` that the client accepts, if the build wrote one.
fn precompressed(file: &Path, accept_encoding: &str) -> Option<(PathBuf, ContentEncoding)> {
    COPIES.iter().filter(|(token, _, _)| accepts(accept_encoding, token)).find_map(|(_, suffix, encoding)| {
        let copy = with_suffix(file, suffix);
        copy.is_file().then_some((copy, *encoding))
    })
}

/// Whether an `Accept-Encoding` value accepts `token` (named with a weight above 0; `*` counts).
fn accepts(accept_encoding: &str, token: &str) -> bool {
    let weight_of = |name: &str| {
        accept_encoding.split(',').find_map(|part| {
            let mut pieces = part.split(';');
            let coding = pieces.next()?.trim();
            if !coding.eq_ignore_ascii_case(name) {
                return None;
            }
            let q = pieces
                .filter_map(|p| p.trim().strip_prefix("q=").or_else(|| p.trim().strip_prefix("Q=")))
                .find_map(|q| q.trim().parse::<f32>().ok())
                .unwrap_or(1.0);
            Some(q)
        })
    };
    weight_of(token).or_else(|| weight_of("*")).is_some_and(|q| q > 0.0)
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

/// Whether a path names a built file (by its extension) rather than a page of the app.
fn is_asset_path(path: &str) -> bool {
    let name = path.rsplit('/').next().unwrap_or("");
    name.rsplit_once('.').is_some_and(|(_, ext)| {
        matches!(ext, "wasm" | "js" | "mjs" | "css" | "map" | "br" | "gz" | "json" | "png" | "svg" | "ico")
    })
}

/// A name with a content hash, `name-<hash>.ext` (the wasm `name-<hash>_bg.wasm`): such a file never changes.
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
    fn accept_encoding_is_read_with_its_weights() {
        assert!(accepts("gzip, deflate, br, zstd", "br"));
        assert!(accepts("gzip;q=1.0, br;q=0.5", "br"));
        assert!(!accepts("gzip, br;q=0", "br"));
        assert!(!accepts("gzip", "br"));
        assert!(accepts("*", "gzip"));
        assert!(!accepts("", "gzip"));
        assert!(accepts("GZIP", "gzip"));
    }

    #[test]
    fn the_best_accepted_copy_is_chosen_when_the_build_wrote_it() {
        let dir = tempfile::tempdir().unwrap();
        let wasm = dir.path().join("app-0123456789abcdef_bg.wasm");
        std::fs::write(&wasm, "raw").unwrap();
        assert_eq!(precompressed(&wasm, "gzip, br"), None, "no copies yet");
        std::fs::write(dir.path().join("app-0123456789abcdef_bg.wasm.gz"), "gz").unwrap();
        assert_eq!(precompressed(&wasm, "gzip, br").map(|(_, e)| e), Some(ContentEncoding::Gzip));
        std::fs::write(dir.path().join("app-0123456789abcdef_bg.wasm.br"), "br").unwrap();
        assert_eq!(precompressed(&wasm, "gzip, br").map(|(_, e)| e), Some(ContentEncoding::Brotli));
        assert_eq!(precompressed(&wasm, "gzip").map(|(_, e)| e), Some(ContentEncoding::Gzip));
        assert_eq!(precompressed(&wasm, "identity"), None);
    }

    #[test]
    fn files_and_pages_are_told_apart() {
        assert!(is_asset_path("/split_0_settings.wasm"));
        assert!(is_asset_path("/__wasm_split.js"));
        assert!(is_asset_path("/style.css"));
        assert!(!is_asset_path("/organizations/12"));
        assert!(!is_asset_path("/home/revenue"));
        assert!(!is_asset_path("/"));
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
