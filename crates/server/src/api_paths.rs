//! Which methods each API path takes, read off the OpenAPI document, so that a request no route
//! took can be told apart: a path that exists with another method is a 405 with `Allow`
//! (RFC 9110 §15.5.6), anything else a 404. Each route registers itself for its own method
//! only, so actix alone cannot tell the two apart.

use std::sync::Arc;

/// The documented paths as templates (`/api/v1/organizations/{id}`) with their methods.
#[derive(Debug, Clone, Default)]
pub struct ApiPaths(Arc<Vec<(Vec<Segment>, Vec<&'static str>)>>);

#[derive(Debug, Clone, PartialEq, Eq)]
enum Segment {
    Literal(String),
    Parameter,
}

impl ApiPaths {
    /// The paths of an OpenAPI document.
    pub fn of(api: &utoipa::openapi::OpenApi) -> ApiPaths {
        let paths = api
            .paths
            .paths
            .iter()
            .map(|(template, item)| {
                let segments = split(template)
                    .map(|s| {
                        if s.starts_with('{') && s.ends_with('}') {
                            Segment::Parameter
                        } else {
                            Segment::Literal(s.to_owned())
                        }
                    })
                    .collect();
                let methods = [
                    ("GET", item.get.is_some()),
                    ("PUT", item.put.is_some()),
                    ("POST", item.post.is_some()),
                    ("DELETE", item.delete.is_some()),
                    ("PATCH", item.patch.is_some()),
                ]
                .into_iter()
                .filter_map(|(method, present)| present.then_some(method))
                .collect();
                (segments, methods)
            })
            .collect();
        ApiPaths(Arc::new(paths))
    }

    /// The methods `path` takes, joined for an `Allow` header, when it is a documented path
    /// and `method` is not one of them. Where templates overlap, the most literal one names the
    /// path (`/imports/json` is not `/imports/{id}`: an id there is not found).
    pub fn refused(&self, method: &str, path: &str) -> Option<String> {
        let asked: Vec<&str> = split(path).collect();
        let matching: Vec<_> = self
            .0
            .iter()
            .filter(|(segments, _)| {
                segments.len() == asked.len()
                    && segments.iter().zip(&asked).all(|(segment, part)| match segment {
                        Segment::Literal(literal) => literal == part,
                        Segment::Parameter => !part.is_empty(),
                    })
            })
            .collect();
        let literals = |segments: &[Segment]| segments.iter().filter(|s| matches!(s, Segment::Literal(_))).count();
        let most = matching.iter().map(|(segments, _)| literals(segments)).max();
        let mut allowed: Vec<&str> = matching
            .iter()
            .filter(|(segments, _)| Some(literals(segments)) == most)
            .flat_map(|(_, methods)| methods.iter().copied())
            .collect();
        allowed.sort_unstable();
        allowed.dedup();
        (!allowed.is_empty() && !allowed.contains(&method)).then(|| allowed.join(", "))
    }
}

fn split(path: &str) -> impl Iterator<Item = &str> {
    path.trim_end_matches('/').split('/').skip(1)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn paths() -> ApiPaths {
        ApiPaths::of(&crate::startup::openapi())
    }

    #[test]
    fn a_documented_path_with_another_method_is_refused_with_its_methods() {
        assert_eq!(paths().refused("DELETE", "/api/v1/auth/token").as_deref(), Some("POST"));
        assert_eq!(paths().refused("TRACE", "/api/v1/organizations/7").as_deref(), Some("GET, PATCH"));
        // A literal path beside a template that would also match it: the literal one's methods.
        assert_eq!(paths().refused("OPTIONS", "/api/v1/imports/json").as_deref(), Some("POST"));
    }

    #[test]
    fn a_documented_method_or_an_unknown_path_is_left_alone() {
        assert_eq!(paths().refused("GET", "/api/v1/organizations/7"), None);
        assert_eq!(paths().refused("DELETE", "/api/v1/no-such-thing"), None);
        assert_eq!(paths().refused("POST", "/login"), None);
    }
}
