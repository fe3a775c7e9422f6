//! The longest row a CSV import reads. The `csv` crate grows its record to hold a whole row,
//! and a row of a million empty fields costs far more than its bytes, so one long row (a
//! 200 MB line without a newline, 20 MB of commas) would take the server's memory with it.
//! [`RowLimit`] counts the bytes the parser pulls since the last row it finished and fails the
//! read once a row passes [`MAX_ROW_BYTES`], before the row is held.

use std::cell::Cell;
use std::io::{self, Read};
use std::rc::Rc;

/// The most bytes one row (the header included) may take, its quoted newlines included.
pub const MAX_ROW_BYTES: usize = 1024 * 1024;

/// What a read failed with when a row passed the limit.
pub const TOO_LONG: &str = "is longer than 1 MiB, the most one row may take";

/// A reader that fails once more than [`MAX_ROW_BYTES`] (and the parser's own look-ahead) were
/// read since [`RowStart::mark`] was last called.
pub struct RowLimit<R> {
    inner: R,
    since_row: Rc<Cell<usize>>,
}

/// The parser's side: marks where each row ends.
#[derive(Clone)]
pub struct RowStart(Rc<Cell<usize>>);

impl RowStart {
    /// A row was finished: the bytes read so far belong to it (or to the parser's buffer).
    pub fn mark(&self) {
        self.0.set(0);
    }
}

/// The parser's look-ahead: `csv` reads in buffers of this size by default, so the bytes read
/// since a row ended can run this far ahead of the row itself.
const LOOK_AHEAD: usize = 64 * 1024;

impl<R: Read> RowLimit<R> {
    /// Wraps `inner`.
    pub fn new(inner: R) -> (RowLimit<R>, RowStart) {
        let since_row = Rc::new(Cell::new(0));
        (RowLimit { inner, since_row: since_row.clone() }, RowStart(since_row))
    }
}

impl<R: Read> Read for RowLimit<R> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        if self.since_row.get() > MAX_ROW_BYTES + LOOK_AHEAD {
            return Err(io::Error::new(io::ErrorKind::InvalidData, TOO_LONG));
        }
        let n = self.inner.read(buf)?;
        self.since_row.set(self.since_row.get() + n);
        Ok(n)
    }
}

/// Whether a `csv` error is [`RowLimit`]'s.
pub fn is_too_long(e: &csv::Error) -> bool {
    matches!(e.kind(), csv::ErrorKind::Io(io) if io.kind() == io::ErrorKind::InvalidData && io.to_string() == TOO_LONG)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn rows(text: &[u8]) -> Vec<Result<usize, bool>> {
        let (limited, start) = RowLimit::new(text);
        let mut reader = csv::ReaderBuilder::new().has_headers(false).flexible(true).from_reader(limited);
        let mut out = Vec::new();
        for record in reader.byte_records() {
            start.mark();
            match record {
                Ok(r) => out.push(Ok(r.len())),
                Err(e) => {
                    out.push(Err(is_too_long(&e)));
                    break;
                }
            }
        }
        out
    }

    #[test]
    fn rows_under_the_limit_are_read_however_many_there_are() {
        let row = format!("{}\n", "x".repeat(1000));
        assert_eq!(rows(row.repeat(5000).as_bytes()).len(), 5000);
    }

    #[test]
    fn a_row_of_commas_past_the_limit_fails_before_it_is_held() {
        let mut text = b"a,b\n1,2\n".to_vec();
        text.extend(std::iter::repeat_n(b',', 3 * MAX_ROW_BYTES));
        assert_eq!(rows(&text), vec![Ok(2), Ok(2), Err(true)]);
    }

    #[test]
    fn a_quoted_field_with_newlines_counts_as_one_row() {
        let mut text = b"a\n\"".to_vec();
        text.extend("line\n".repeat(MAX_ROW_BYTES / 2).as_bytes());
        text.extend(b"\"\n");
        assert_eq!(rows(&text), vec![Ok(1), Err(true)]);
    }
}
