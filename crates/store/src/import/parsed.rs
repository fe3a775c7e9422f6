//! What a source hands the pipeline: parsed rows, a chunk at a time, and the progress callback
//! that counts them.

use domain::focus::{LineInput, RowProblem};

/// Rows handed from the parser to the importer at a time: large enough to insert in bulk,
/// small enough that memory stays bounded whatever the file size.
pub const CHUNK: usize = 1000;

/// One item from the parser.
#[derive(Debug, Clone)]
pub enum Parsed {
    /// A good row and its data-row number.
    Row(u64, Box<LineInput>),
    /// A row (or the header) with problems.
    Bad(Vec<RowProblem>),
}

/// Progress callback: rows read so far.
pub type Progress = Box<dyn Fn(u64) + Send + Sync>;
