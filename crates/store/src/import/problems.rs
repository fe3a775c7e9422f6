//! The problems found in a file, by the rating stage and by the writer: all are counted, and the
//! same problem in many rows (one bad column of a whole export) is reported once, with its first
//! rows and how many rows have it, so that it does not fill the list (docs/import.md §4).

use std::collections::HashMap;

use domain::api::FieldError;
use domain::focus::RowProblem;

/// At most this many distinct problems are returned; every one is counted.
pub const MAX_REPORTED: usize = 100;

/// At most this many rows are named for one problem.
pub const ROWS_NAMED: usize = 5;

/// One problem, and the rows that have it.
#[derive(Debug)]
struct Group {
    /// The first row's problem (its value is the example shown).
    first: RowProblem,
    /// The first [`ROWS_NAMED`] rows, in order.
    rows: Vec<u64>,
    /// How many rows have it.
    count: u64,
}

/// What makes two problems the same: the column and the message (not the value found).
type GroupKey = (Option<String>, String);

/// Problems found in a file: the first [`MAX_REPORTED`] distinct ones, and how many in all.
#[derive(Debug, Default)]
pub struct Problems {
    /// How many, rows counted one by one.
    pub count: u64,
    groups: Vec<Group>,
    index: HashMap<GroupKey, usize>,
}

impl Problems {
    /// Records `problems`.
    pub fn add(&mut self, problems: Vec<RowProblem>) {
        for p in problems {
            self.count += 1;
            self.insert(p, 1);
        }
    }

    fn insert(&mut self, p: RowProblem, count: u64) {
        // A problem of the whole file has no rows to share.
        let Some(row) = p.row else {
            if self.groups.len() < MAX_REPORTED {
                self.groups.push(Group { first: p, rows: Vec::new(), count });
            }
            return;
        };
        let key = (p.column.clone(), p.message.clone());
        match self.index.get(&key) {
            Some(&at) => {
                let group = &mut self.groups[at];
                group.count += count;
                if group.rows.len() < ROWS_NAMED {
                    group.rows.push(row);
                }
            }
            None if self.groups.len() < MAX_REPORTED => {
                self.index.insert(key, self.groups.len());
                self.groups.push(Group { first: p, rows: vec![row], count });
            }
            None => {}
        }
    }

    /// Records `other`'s problems beside these. Each list is in row order, so the first
    /// [`MAX_REPORTED`] of both, in row order, are the first of the file (problems of the whole
    /// file, with no row, first).
    pub(super) fn merge(&mut self, other: Problems) {
        self.count += other.count;
        for group in other.groups {
            let Group { first, rows, count } = group;
            let key = (first.column.clone(), first.message.clone());
            match (first.row, self.index.get(&key)) {
                (Some(_), Some(&at)) => {
                    let mine = &mut self.groups[at];
                    mine.count += count;
                    mine.rows.extend(rows);
                    mine.rows.sort_unstable();
                    mine.rows.truncate(ROWS_NAMED);
                    if first.row < mine.first.row {
                        mine.first = first;
                    }
                }
                _ => {
                    if first.row.is_some() {
                        self.index.insert(key, self.groups.len());
                    }
                    self.groups.push(Group { first, rows, count });
                }
            }
        }
        self.groups.sort_by_key(|g| g.first.row);
        self.groups.truncate(MAX_REPORTED);
        self.index = self
            .groups
            .iter()
            .enumerate()
            .filter(|(_, g)| g.first.row.is_some())
            .map(|(at, g)| ((g.first.column.clone(), g.first.message.clone()), at))
            .collect();
    }

    /// The problems as the API reports them, in the order of their first rows: each names its
    /// first rows and, when more rows have it, how many.
    pub fn reported(self) -> Vec<FieldError> {
        self.groups.into_iter().map(Group::into_error).collect()
    }
}

impl Group {
    fn into_error(self) -> FieldError {
        let Group { first, rows, count } = self;
        let mut error = FieldError::from(first);
        let Some(&row) = rows.first() else { return error };
        let place = if count == 1 {
            format!("row {row} (line {})", row + 1)
        } else {
            let named = rows.iter().map(u64::to_string).collect::<Vec<_>>().join(", ");
            let more = count.saturating_sub(rows.len() as u64);
            let tail = if more > 0 { format!(" and {more} more") } else { String::new() };
            format!("rows {named}{tail}")
        };
        error.message = format!("{place}: {}", error.message);
        if count > 1 {
            error.rows = Some(count);
        }
        error
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn bad_date(row: u64, value: &str) -> RowProblem {
        RowProblem {
            row: Some(row),
            line: Some(row + 1),
            column: Some("ChargePeriodStart".into()),
            message: "must be a date".into(),
            value: Some(value.into()),
        }
    }

    #[test]
    fn the_same_problem_in_many_rows_is_reported_once_with_its_first_rows_and_count() {
        let mut problems = Problems::default();
        problems.add((1..=1000).map(|r| bad_date(r, &format!("day {r}"))).collect());
        problems.add(vec![RowProblem { column: Some("BilledCost".into()), ..bad_date(7, "x") }]);
        assert_eq!(problems.count, 1001);
        let errors = problems.reported();
        assert_eq!(errors.len(), 2);
        assert_eq!(errors[0].row, Some(1));
        assert_eq!(errors[0].rows, Some(1000));
        assert_eq!(errors[0].message, "rows 1, 2, 3, 4, 5 and 995 more: must be a date; found \"day 1\"");
        assert_eq!(errors[1].message, "row 7 (line 8): must be a date; found \"x\"");
        assert_eq!(errors[1].rows, None);
    }

    #[test]
    fn merged_lists_keep_row_order_and_join_the_same_problem() {
        let mut stage = Problems::default();
        stage.add(vec![bad_date(2, "a"), bad_date(9, "b")]);
        let mut writer = Problems::default();
        writer.add(vec![bad_date(4, "c")]);
        writer.add(vec![RowProblem { column: Some("x_LineItemId".into()), ..bad_date(3, "d") }]);
        stage.merge(writer);
        assert_eq!(stage.count, 4);
        let errors = stage.reported();
        assert_eq!(errors.iter().map(|e| e.row).collect::<Vec<_>>(), [Some(2), Some(3)]);
        assert_eq!(errors[0].rows, Some(3));
        assert!(errors[0].message.starts_with("rows 2, 4, 9: "), "{}", errors[0].message);
    }

    #[test]
    fn distinct_problems_past_the_limit_are_counted_not_kept() {
        let mut problems = Problems::default();
        problems.add((1..=300).map(|r| RowProblem { message: format!("problem {r}"), ..bad_date(r, "v") }).collect());
        assert_eq!(problems.count, 300);
        assert_eq!(problems.reported().len(), MAX_REPORTED);
    }
}
