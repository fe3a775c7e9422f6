//! Reading a FOCUS export written as Parquet: the file (already on disk: Parquet's footer is at
//! its end) is read a row group at a time, row by row, through the Apache `parquet` crate
//! without arrow, each row turned into the cells a CSV row would have and parsed by the same
//! [`Columns`](domain::focus::Columns). Memory holds a page of each column and a chunk of rows,
//! as with CSV; a row group larger than [`MAX_ROW_GROUP_BYTES`] uncompressed is refused.

use std::fs::File;
use std::panic::{AssertUnwindSafe, catch_unwind};

use chrono::{DateTime, NaiveDate, SecondsFormat, TimeDelta};
use domain::column_map::ColumnMap;
use parquet::file::reader::{FileReader, SerializedFileReader};
use parquet::record::Field;
use tokio::sync::mpsc::Sender;

use super::csv_source::{columns_of, file_problem, send};
use super::parsed::{CHUNK, Parsed};

/// The largest row group read, uncompressed: exporters write row groups of 128 MiB or less.
pub const MAX_ROW_GROUP_BYTES: i64 = 512 * 1024 * 1024;

/// Parses the Parquet `file` into `tx`. The `parquet` crate may panic on a malformed file; that
/// is reported as a problem of the file rather than ending the import half read.
pub fn parse(file: File, map: &ColumnMap, tx: &Sender<Vec<Parsed>>) {
    if let Err(panic) = catch_unwind(AssertUnwindSafe(|| read(file, map, tx))) {
        let why = panic
            .downcast_ref::<&str>()
            .map(|s| (*s).to_owned())
            .or_else(|| panic.downcast_ref::<String>().cloned())
            .unwrap_or_default();
        send(tx, vec![Parsed::Bad(vec![file_problem(&format!("the Parquet file cannot be read: {why}"))])]);
    }
}

fn read(file: File, map: &ColumnMap, tx: &Sender<Vec<Parsed>>) {
    let bad = |message: String| send(tx, vec![Parsed::Bad(vec![file_problem(&message)])]);
    let reader = match SerializedFileReader::new(file) {
        Ok(reader) => reader,
        Err(e) => return bad(format!("the Parquet file cannot be read: {e}")),
    };
    let schema = reader.metadata().file_metadata().schema_descr();
    let header: Vec<String> = schema.root_schema().get_fields().iter().map(|f| f.name().to_owned()).collect();
    let columns = match columns_of(header.clone(), map) {
        Ok(c) => c,
        Err(problems) => return send(tx, vec![Parsed::Bad(problems)]),
    };
    for (i, group) in reader.metadata().row_groups().iter().enumerate() {
        if group.total_byte_size() > MAX_ROW_GROUP_BYTES {
            return bad(format!(
                "row group {} holds {} bytes uncompressed, more than the {} MiB read at once; write the export \
                 with smaller row groups",
                i + 1,
                group.total_byte_size(),
                MAX_ROW_GROUP_BYTES / (1024 * 1024)
            ));
        }
    }
    let mut chunk = Vec::with_capacity(CHUNK);
    let mut row = 0u64;
    for i in 0..reader.num_row_groups() {
        let group = match reader.get_row_group(i) {
            Ok(group) => group,
            Err(e) => return bad(format!("row group {} cannot be read: {e}", i + 1)),
        };
        let rows = match group.get_row_iter(None) {
            Ok(rows) => rows,
            Err(e) => return bad(format!("row group {} cannot be read: {e}", i + 1)),
        };
        for record in rows {
            row += 1;
            let item = match record {
                Err(e) => Parsed::Bad(vec![file_problem(&format!("row {row} cannot be read: {e}"))]),
                Ok(record) => {
                    let cells: Vec<String> = record.get_column_iter().map(|(_, field)| cell(field)).collect();
                    let fields: Vec<&str> = cells.iter().map(String::as_str).collect();
                    match columns.parse(row, &fields) {
                        Ok(line) => Parsed::Row(row, Box::new(line)),
                        Err(problems) => Parsed::Bad(problems),
                    }
                }
            };
            chunk.push(item);
            if chunk.len() == CHUNK
                && tx.blocking_send(std::mem::replace(&mut chunk, Vec::with_capacity(CHUNK))).is_err()
            {
                return;
            }
        }
    }
    if !chunk.is_empty() {
        send(tx, chunk);
    }
}

/// A value as a CSV cell would hold it: numbers in full (a double in its shortest exact form,
/// never with an exponent), times in RFC 3339 UTC, nothing for null and for nested values
/// (tags, which are not read).
fn cell(field: &Field) -> String {
    match field {
        Field::Null | Field::Group(_) | Field::ListInternal(_) | Field::MapInternal(_) => String::new(),
        Field::Bool(v) => v.to_string(),
        Field::Byte(v) => v.to_string(),
        Field::Short(v) => v.to_string(),
        Field::Int(v) => v.to_string(),
        Field::Long(v) => v.to_string(),
        Field::UByte(v) => v.to_string(),
        Field::UShort(v) => v.to_string(),
        Field::UInt(v) => v.to_string(),
        Field::ULong(v) => v.to_string(),
        Field::Float16(v) => f64::from(*v).to_string(),
        Field::Float(v) => v.to_string(),
        Field::Double(v) => v.to_string(),
        Field::Decimal(_) => field.to_string(),
        Field::Str(v) => v.clone(),
        Field::Bytes(v) => String::from_utf8_lossy(v.data()).into_owned(),
        Field::Date(days) => NaiveDate::from_ymd_opt(1970, 1, 1)
            .and_then(|epoch| epoch.checked_add_signed(TimeDelta::days(i64::from(*days))))
            .map(|day| day.to_string())
            .unwrap_or_default(),
        Field::TimestampMillis(ms) => time(DateTime::from_timestamp_millis(*ms)),
        Field::TimestampMicros(us) => time(DateTime::from_timestamp_micros(*us)),
        Field::TimeMillis(_) | Field::TimeMicros(_) => field.to_string(),
    }
}

fn time(time: Option<DateTime<chrono::Utc>>) -> String {
    time.map(|t| t.to_rfc3339_opts(SecondsFormat::AutoSi, true)).unwrap_or_default()
}
