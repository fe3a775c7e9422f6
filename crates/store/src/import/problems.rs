//! The problems found in a file, by the rating stage and by the writer: all are counted, the
//! first [`MAX_REPORTED`] returned, in row order.

use domain::api::FieldError;
use domain::focus::RowProblem;

/// At most this many problems are returned; the total is always counted.
pub const MAX_REPORTED: usize = 100;

/// Problems found in a file: the first [`MAX_REPORTED`], and how many in all.
#[derive(Debug, Default)]
pub struct Problems {
    /// How many.
    pub count: u64,
    /// The first ones.
    pub reported: Vec<FieldError>,
}

impl Problems {
    /// Records `problems`.
    pub fn add(&mut self, problems: Vec<RowProblem>) {
        for p in problems {
            self.count += 1;
            if self.reported.len() < MAX_REPORTED {
                let row = p.row;
                let mut error = FieldError::from(p);
                if let Some(row) = row {
                    error.message = format!("row {row} (line {}): {}", row + 1, error.message);
                }
                self.reported.push(error);
            }
        }
    }

    /// Records `other`'s problems beside these. Each list is in row order, so the first
    /// [`MAX_REPORTED`] of both, in row order, are the first of the file (problems of the whole
    /// file, with no row, first).
    pub(super) fn merge(&mut self, other: Problems) {
        self.count += other.count;
        self.reported.extend(other.reported);
        self.reported.sort_by_key(|e| e.row);
        self.reported.truncate(MAX_REPORTED);
    }
}
