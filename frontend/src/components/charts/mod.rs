//! Small SVG charts: line, bar (grouped or stacked) and donut, with axes, legends and
//! tooltips. Bar and line charts are drawn in real pixels at their container's width, so text
//! keeps its size on a phone. Layout and geometry are plain functions ([`layout`],
//! [`geometry`]) tested without a browser; the components only turn them into SVG. Values are
//! drawing positions here; the figures shown to users come formatted by the caller.

pub mod geometry;
pub mod layout;

mod axis;
mod bar;
mod donut;
mod legend;
mod line;
mod size;
mod tooltip;

pub use bar::BarChart;
pub use donut::DonutChart;
pub use line::LineChart;

/// One named series of values, with the text to show for each (formatted by the caller).
#[derive(Debug, Clone, PartialEq)]
pub struct Series {
    /// Legend name.
    pub name: String,
    /// One value per category.
    pub values: Vec<f64>,
    /// One display text per category (e.g. "$1,234.50").
    pub shown: Vec<String>,
}

/// One slice of a donut.
#[derive(Debug, Clone, PartialEq)]
pub struct Slice {
    /// Legend name.
    pub name: String,
    /// Size.
    pub value: f64,
    /// Display text.
    pub shown: String,
}

/// Colours in the stylesheet's palette (`--c1` …): a top five and Others, or a dozen families,
/// each in a colour of its own.
const PALETTE: usize = 12;

/// The colour of the n-th series, from the stylesheet's palette.
pub fn colour(n: usize) -> String {
    format!("var(--c{})", n % PALETTE + 1)
}
