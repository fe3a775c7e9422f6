//! A billing file of any format an export comes in, told by its first bytes whatever its name
//! or Content-Type: gzip (`1f 8b`, decompressed as it streams, then read as CSV), Parquet
//! (`PAR1`, read by [`parquet_source`]), else CSV (docs/import.md §1).

use std::fs::File;
use std::io::{BufReader, Read, Seek, SeekFrom};

use domain::column_map::ColumnMap;
use domain::focus::RowProblem;
use flate2::read::MultiGzDecoder;
use tokio::sync::mpsc::{Receiver, Sender, channel};

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

/// Parses `file` of `format` into `tx`.
fn parse<R: Read>(format: Format, file: File, wrap: impl FnOnce(File) -> R, map: &ColumnMap, tx: &Sender<Vec<Parsed>>) {
    match format {
        Format::Csv => csv_source::parse(BufReader::with_capacity(1 << 20, wrap(file)), map, tx),
        Format::Gzip => {
            let gz = MultiGzDecoder::new(BufReader::with_capacity(1 << 16, wrap(file)));
            csv_source::parse(BufReader::with_capacity(1 << 20, gz), map, tx)
        }
        Format::Parquet => parquet_source::parse(file, map, tx),
    }
}

/// Starts parsing several files as one batch, `wrap` seeing the bytes read of each CSV or gzip
/// file (one billing period's export in parts), one after
/// the other on blocking threads. Rows are numbered on from file to file, so that each line of the
/// batch has its own number; a problem names its file and its row within it.
pub fn spawn_all<R: Read + 'static>(
    files: Vec<(String, File)>,
    map: ColumnMap,
    wrap: impl Fn(File) -> R + Clone + Send + 'static,
) -> std::io::Result<Receiver<Vec<Parsed>>> {
    let mut parts = Vec::with_capacity(files.len());
    for (name, mut file) in files {
        let format = sniff(&mut file)?;
        parts.push((name, file, format));
    }
    let (tx, rx) = channel(4);
    tokio::task::spawn_blocking(move || {
        let mut offset = 0u64;
        let several = parts.len() > 1;
        for (name, file, format) in parts {
            let (part_tx, mut part_rx) = channel(4);
            let (map, wrap) = (map.clone(), wrap.clone());
            tokio::task::spawn_blocking(move || parse(format, file, wrap, &map, &part_tx));
            let mut last = 0u64;
            while let Some(chunk) = part_rx.blocking_recv() {
                let chunk = chunk
                    .into_iter()
                    .map(|item| match item {
                        Parsed::Row(n, line) => {
                            last = last.max(n);
                            Parsed::Row(offset + n, line)
                        }
                        Parsed::Bad(problems) if several => Parsed::Bad(
                            problems
                                .into_iter()
                                .map(|p| {
                                    last = last.max(p.row.unwrap_or(0));
                                    RowProblem { message: format!("{name}: {}", p.message), ..p }
                                })
                                .collect(),
                        ),
                        Parsed::Bad(problems) => {
                            last = last.max(problems.iter().filter_map(|p| p.row).max().unwrap_or(0));
                            Parsed::Bad(problems)
                        }
                    })
                    .collect();
                if tx.blocking_send(chunk).is_err() {
                    return;
                }
            }
            offset += last;
        }
    });
    Ok(rx)
}
