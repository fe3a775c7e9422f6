//! A billing file of any format an export comes in, told by its first bytes whatever its name
//! or Content-Type: gzip (`1f 8b`, decompressed as it streams, then read as CSV), Parquet
//! (`PAR1`, read by [`parquet_source`]), else CSV (docs/import.md §1).

use std::fs::File;
use std::io::{BufReader, Read, Seek, SeekFrom};

use domain::column_map::ColumnMap;
use flate2::read::MultiGzDecoder;
use tokio::sync::mpsc::{Receiver, channel};

use super::csv_source;
use super::parquet_source;
use super::parsed::Parsed;

/// The formats a billing file comes in.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    /// FOCUS CSV.
    Csv,
    /// CSV compressed with gzip.
    Gzip,
    /// Apache Parquet.
    Parquet,
}

impl Format {
    /// The format whose file starts with `first`.
    pub fn of(first: &[u8]) -> Format {
        match first {
            [0x1f, 0x8b, ..] => Format::Gzip,
            [b'P', b'A', b'R', b'1', ..] => Format::Parquet,
            _ => Format::Csv,
        }
    }

    /// The name an import records for its source.
    pub fn as_str(self) -> &'static str {
        match self {
            Format::Csv => "csv",
            Format::Gzip => "csv.gz",
            Format::Parquet => "parquet",
        }
    }
}

/// The format of `file`, which is left at its start.
pub fn sniff(file: &mut File) -> std::io::Result<Format> {
    let mut first = [0u8; 4];
    let mut read = 0;
    while read < first.len() {
        let n = file.read(&mut first[read..])?;
        if n == 0 {
            break;
        }
        read += n;
    }
    file.seek(SeekFrom::Start(0))?;
    Ok(Format::of(&first[..read]))
}

/// Starts parsing `file` on a blocking thread, as its first bytes say; `wrap` sees the bytes
/// read (for progress) of a CSV or gzip file.
pub fn spawn<R: Read + Send + 'static>(
    mut file: File,
    map: ColumnMap,
    wrap: impl FnOnce(File) -> R + Send + 'static,
) -> std::io::Result<Receiver<Vec<Parsed>>> {
    let format = sniff(&mut file)?;
    let (tx, rx) = channel(4);
    tokio::task::spawn_blocking(move || match format {
        Format::Csv => csv_source::parse(BufReader::with_capacity(1 << 20, wrap(file)), &map, &tx),
        Format::Gzip => {
            let gz = MultiGzDecoder::new(BufReader::with_capacity(1 << 16, wrap(file)));
            csv_source::parse(BufReader::with_capacity(1 << 20, gz), &map, &tx)
        }
        Format::Parquet => parquet_source::parse(file, &map, &tx),
    });
    Ok(rx)
}
