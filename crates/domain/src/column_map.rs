//! Column mapping for exports that name a column differently (docs/import.md §7): each
//! `Source:Target` renames the file's column `Source` to the FOCUS column `Target` before the
//! header is read, e.g. OCI's `provider:ProviderName`.

use crate::focus::{KNOWN_COLUMNS, RowProblem};

/// The most mappings one import takes.
pub const MAX_MAPPINGS: usize = 64;

/// Renames of a file's columns, checked: each target is a column Tierdash reads.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ColumnMap {
    renames: Vec<(String, &'static str)>,
}

impl ColumnMap {
    /// Reads `Source:Target` pairs; the error names the first bad one and why.
    pub fn parse<S: AsRef<str>>(pairs: &[S]) -> Result<ColumnMap, String> {
        if pairs.len() > MAX_MAPPINGS {
            return Err(format!("at most {MAX_MAPPINGS} mappings"));
        }
        let mut renames: Vec<(String, &'static str)> = Vec::with_capacity(pairs.len());
        for pair in pairs {
            let pair = pair.as_ref();
            let Some((source, target)) = pair.split_once(':') else {
                return Err(format!("\"{}\" must be Source:Target, such as provider:ProviderName", cut(pair)));
            };
            let (source, target) = (source.trim(), target.trim());
            if source.is_empty() || source.chars().count() > 256 {
                return Err(format!("\"{}\" must name a source column of 1 to 256 characters", cut(pair)));
            }
            let Some(known) = KNOWN_COLUMNS.iter().find(|known| known.eq_ignore_ascii_case(target)) else {
                return Err(format!(
                    "\"{}\": {} is not a column Tierdash reads (one of {})",
                    cut(pair),
                    cut(target),
                    KNOWN_COLUMNS.join(", ")
                ));
            };
            if renames.iter().any(|(s, _)| s.eq_ignore_ascii_case(source)) {
                return Err(format!("{} is mapped twice", cut(source)));
            }
            renames.push((source.to_owned(), known));
        }
        Ok(ColumnMap { renames })
    }

    /// Whether there is nothing to rename.
    pub fn is_empty(&self) -> bool {
        self.renames.is_empty()
    }

    /// Renames the header's columns. A column already named as a target is left out (renamed
    /// to nothing), so that the mapped one is read rather than clashing with it; a source the
    /// header lacks is a problem.
    pub fn apply(&self, header: &mut [String]) -> Result<(), Vec<RowProblem>> {
        let mut problems = Vec::new();
        let trimmed = |name: &str| name.trim_start_matches('\u{feff}').trim().to_owned();
        for (source, target) in &self.renames {
            let Some(at) = header.iter().position(|name| trimmed(name).eq_ignore_ascii_case(source)) else {
                problems.push(RowProblem {
                    row: None,
                    line: None,
                    column: Some(source.clone()),
                    message: format!("is mapped to {target} but the file has no such column"),
                    value: None,
                });
                continue;
            };
            for (i, name) in header.iter_mut().enumerate() {
                if i != at && trimmed(name).eq_ignore_ascii_case(target) {
                    name.clear();
                }
            }
            header[at] = (*target).to_owned();
        }
        if problems.is_empty() { Ok(()) } else { Err(problems) }
    }
}

fn cut(text: &str) -> String {
    text.chars().take(80).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn header(names: &[&str]) -> Vec<String> {
        names.iter().map(|n| (*n).to_owned()).collect()
    }

    #[test]
    fn a_mapping_renames_the_source_and_sets_aside_a_column_of_the_target_name() {
        let map = ColumnMap::parse(&["provider:ProviderName", " region : regionid "]).unwrap();
        let mut names = header(&["provider", "ProviderName", "Region", "BilledCost"]);
        map.apply(&mut names).unwrap();
        assert_eq!(names, header(&["ProviderName", "", "RegionId", "BilledCost"]));
    }

    #[test]
    fn bad_pairs_and_missing_sources_are_named() {
        assert!(ColumnMap::parse(&["provider"]).unwrap_err().contains("Source:Target"));
        assert!(ColumnMap::parse(&["a:Nope"]).unwrap_err().contains("Nope is not a column"));
        assert!(ColumnMap::parse(&["a:ProviderName", "A:ServiceName"]).unwrap_err().contains("mapped twice"));
        let problems = ColumnMap::parse(&["vendor:ProviderName"]).unwrap().apply(&mut header(&["x"])).unwrap_err();
        assert_eq!(problems[0].column.as_deref(), Some("vendor"));
    }
}
