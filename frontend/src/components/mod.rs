//! The dashboard building blocks every page is made of.

pub mod anchor;
pub mod charts;
mod csv_button;
pub mod kpi;
pub mod loaded;
pub mod local_table;
pub mod month_range;
pub mod pager;
pub mod states;
pub mod table;
pub mod title;

pub use charts::{BarChart, DonutChart, LineChart, Series, Slice};
pub use csv_button::csv_button;
pub use kpi::KpiCard;
pub use loaded::Loaded;
pub use local_table::{LocalColumn, LocalRow, LocalTable, SortKey};
pub use month_range::{MonthRange, MonthRangePicker};
pub use pager::Pager;
pub use states::{Empty, ErrorView, Loading};
pub use table::{Column, DataTable, Row, TablePage, TableState};
