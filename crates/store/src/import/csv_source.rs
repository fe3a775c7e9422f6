//! Reading a FOCUS CSV as a stream: the `csv` crate on a blocking thread, rows handed to the
//! importer in chunks through a bounded channel, so memory holds a few chunks whatever the file
//! size. Also hashing content, for idempotency.

use std::io::Read;

use domain::column_map::ColumnMap;
use domain::focus::{Columns, RowProblem};
use sha2::{Digest, Sha256};
use tokio::sync::mpsc::Sender;

use super::parsed::{CHUNK, Parsed};
use super::row_limit::{RowLimit, TOO_LONG, is_too_long};

/// Parses synchronously into `tx` (blocking sends: the importer sets the pace), the header's
/// columns renamed by `map` first.
/// A row longer than [`MAX_ROW_BYTES`](super::row_limit::MAX_ROW_BYTES) ends the parse with a problem naming it, read no further.
pub fn parse(reader: impl Read, map: &ColumnMap, tx: &Sender<Vec<Parsed>>) {
    let (reader, row_start) = RowLimit::new(reader);
    let mut csv = csv::ReaderBuilder::new().has_headers(false).flexible(true).from_reader(reader);
    let mut records = csv.byte_records();
    let header = records.next();
    row_start.mark();
    let header = match header {
        None => return send(tx, vec![Parsed::Bad(vec![file_problem("the file is empty")])]),
        Some(Err(e)) if is_too_long(&e) => {
            return send(tx, vec![Parsed::Bad(vec![file_problem(&format!("the header {TOO_LONG}"))])]);
        }
        Some(Err(e)) => {
            return send(tx, vec![Parsed::Bad(vec![file_problem(&format!("the header cannot be read: {e}"))])]);
        }
        Some(Ok(record)) => record,
    };
    let header: Vec<String> = match header.iter().map(|f| std::str::from_utf8(f).map(str::to_owned)).collect() {
        Ok(h) => h,
        Err(_) => return send(tx, vec![Parsed::Bad(vec![file_problem("the header is not valid UTF-8")])]),
    };
    let columns = match columns_of(header, map) {
        Ok(c) => c,
        Err(problems) => return send(tx, vec![Parsed::Bad(problems)]),
    };
    let mut chunk = Vec::with_capacity(CHUNK);
    let mut row = 0u64;
    for record in records {
        row_start.mark();
        row += 1;
        let item = match record {
            Err(e) if is_too_long(&e) => {
                chunk.push(Parsed::Bad(vec![row_problem(row, TOO_LONG)]));
                break;
            }
            Err(e) => Parsed::Bad(vec![row_problem(row, &format!("cannot be read: {e}"))]),
            Ok(record) => match record.iter().map(std::str::from_utf8).collect::<Result<Vec<&str>, _>>() {
                Err(_) => Parsed::Bad(vec![row_problem(row, "is not valid UTF-8")]),
                Ok(fields) => match columns.parse(row, &fields) {
                    Ok(line) => Parsed::Row(row, Box::new(line)),
                    Err(problems) => Parsed::Bad(problems),
                },
            },
        };
        chunk.push(item);
        if chunk.len() == CHUNK && tx.blocking_send(std::mem::replace(&mut chunk, Vec::with_capacity(CHUNK))).is_err() {
            return;
        }
    }
    if !chunk.is_empty() {
        send(tx, chunk);
    }
}

/// The columns of a header, renamed by `map` first.
pub(super) fn columns_of(mut header: Vec<String>, map: &ColumnMap) -> Result<Columns, Vec<RowProblem>> {
    map.apply(&mut header)?;
    let names: Vec<&str> = header.iter().map(String::as_str).collect();
    Columns::from_header(&names)
}

pub(super) fn send(tx: &Sender<Vec<Parsed>>, chunk: Vec<Parsed>) {
    let _ = tx.blocking_send(chunk);
}

pub(super) fn file_problem(message: &str) -> RowProblem {
    RowProblem { row: None, line: None, column: None, message: message.into(), value: None }
}

fn row_problem(row: u64, message: &str) -> RowProblem {
    RowProblem { row: Some(row), line: Some(row + 1), column: None, message: format!("the row {message}"), value: None }
}

/// SHA-256 of everything `reader` yields, hex.
pub fn sha256(mut reader: impl Read) -> std::io::Result<String> {
    let mut hasher = Sha256::new();
    let mut buf = vec![0u8; 1 << 16];
    loop {
        let n = reader.read(&mut buf)?;
        if n == 0 {
            break;
        }
        hasher.update(&buf[..n]);
    }
    Ok(hex::encode(hasher.finalize()))
}

/// SHA-256 of bytes in memory, hex.
pub fn sha256_bytes(bytes: &[u8]) -> String {
    hex::encode(Sha256::digest(bytes))
}
