//! `tierdash import`'s progress: how much of the file has been read, as a bar and a percentage,
//! with the rows and the speed so far. On a terminal one line is redrawn in place; into a log
//! or a pipe a line is written at each tenth of the file, so a log gets about ten lines whatever
//! the file's size.

use std::io::{self, Read};
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::Instant;

/// Characters of the bar between its brackets.
const WIDTH: usize = 30;

/// The progress of one file of `size` bytes.
#[derive(Debug)]
pub struct ImportProgress {
    size: u64,
    /// Bytes read from the file so far (by the parser's thread).
    read: Arc<AtomicU64>,
    started: Instant,
    terminal: bool,
    /// Tenths of the file already reported by a line of their own, plus one (no terminal).
    tenths_shown: AtomicU64,
}

impl ImportProgress {
    /// Progress of a file of `size` bytes, drawn for a terminal or written as log lines.
    pub fn new(size: u64, terminal: bool) -> ImportProgress {
        ImportProgress {
            size,
            read: Arc::new(AtomicU64::new(0)),
            started: Instant::now(),
            terminal,
            tenths_shown: AtomicU64::new(0),
        }
    }

    /// `file`, counting the bytes read from it into this progress.
    pub fn reader<R: Read>(&self, file: R) -> CountingReader<R> {
        CountingReader { inner: file, read: self.read.clone() }
    }

    /// Reports that `rows` rows have been read.
    pub fn rows(&self, rows: u64) {
        if let Some(line) = self.line(rows) {
            if self.terminal {
                eprint!("\r{line}");
            } else {
                eprintln!("{line}");
            }
        }
    }

    /// The line to show for `rows` rows, when one is due: always on a terminal, otherwise the
    /// first time each tenth of the file is reached.
    fn line(&self, rows: u64) -> Option<String> {
        let percent = self.percent();
        if !self.terminal {
            let tenth = percent / 10;
            if self.tenths_shown.fetch_max(tenth + 1, Ordering::Relaxed) > tenth {
                return None;
            }
        }
        let secs = self.started.elapsed().as_secs_f64().max(0.001);
        Some(format!("{} {percent:>3}%  {rows} rows read ({:.0} rows/s)", bar(percent), rows as f64 / secs))
    }

    /// The share of the file read, 0 to 100.
    fn percent(&self) -> u64 {
        let read = self.read.load(Ordering::Relaxed);
        // An empty file is all read.
        (u128::from(read.min(self.size)) * 100).checked_div(u128::from(self.size)).map_or(100, |p| p as u64)
    }
}

/// `[#####-----]` for `percent` of [`WIDTH`] characters.
fn bar(percent: u64) -> String {
    let done = (percent.min(100) as usize * WIDTH) / 100;
    format!("[{}{}]", "#".repeat(done), "-".repeat(WIDTH - done))
}

/// A reader that counts the bytes read through it.
#[derive(Debug)]
pub struct CountingReader<R> {
    inner: R,
    read: Arc<AtomicU64>,
}

impl<R: Read> Read for CountingReader<R> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        let n = self.inner.read(buf)?;
        self.read.fetch_add(n as u64, Ordering::Relaxed);
        Ok(n)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_bar_fills_with_the_share_of_the_file_read() {
        assert_eq!(bar(0), format!("[{}]", "-".repeat(WIDTH)));
        assert_eq!(bar(50), format!("[{}{}]", "#".repeat(WIDTH / 2), "-".repeat(WIDTH / 2)));
        assert_eq!(bar(100), format!("[{}]", "#".repeat(WIDTH)));
    }

    #[test]
    fn bytes_read_through_the_reader_move_the_percentage() {
        let progress = ImportProgress::new(200, true);
        let mut reader = progress.reader(&[7u8; 150][..]);
        let mut buf = [0u8; 100];
        assert_eq!(reader.read(&mut buf).unwrap(), 100);
        assert_eq!(progress.percent(), 50);
        let line = progress.line(1000).unwrap();
        assert!(line.contains(" 50%  1000 rows read ("), "{line}");
        reader.read_to_end(&mut Vec::new()).unwrap();
        assert_eq!(progress.percent(), 75);
    }

    #[test]
    fn without_a_terminal_a_line_is_written_once_per_tenth() {
        let progress = ImportProgress::new(1000, false);
        let mut shown = Vec::new();
        for read in (0..=1000).step_by(25) {
            progress.read.store(read, Ordering::Relaxed);
            if let Some(line) = progress.line(read) {
                shown.push(line);
            }
        }
        // 0%, 10%, …, 100%: eleven lines for 41 reports.
        assert_eq!(shown.len(), 11, "{shown:#?}");
        assert!(shown[0].contains("  0%") && shown[10].contains("100%"));
    }

    #[test]
    fn an_empty_file_counts_as_read() {
        assert_eq!(ImportProgress::new(0, false).percent(), 100);
    }
}
