//! The rollups (docs/data-model.md): rated line items summed at a few grains, kept in step with
//! the lines in the same transaction as every change, so that a dashboard's cost does not grow
//! with the lines. Sums are exact decimals, added in Rust ([`Sums`]), and on PostgreSQL to the
//! stored rows by the database's exact `numeric` ([`added_in_sql`]).
//!
//! The grains, one file each:
//! - [`monthly`]: by (month, reseller, customer, product, provider, service, marketplace, charge
//!   category), a line's own [`Key`], for breakdowns;
//! - [`daily`]: by (scope, day, marketplace, charge category), where the scope is the line's
//!   reseller and, separately, the top of its tree, for the Home dashboard's totals;
//! - [`reseller_products`]: by (reseller, product, month), units and revenue, for the Partners
//!   dashboard's falling units and Insights' families; [`reseller_months`], the same by
//!   (reseller, month), for Insights' reseller history (transacting, new, churned);
//! - [`customer_months`]: by (reseller, customer, month), revenue and units; and following it
//!   [`segment_months`], the same by (reseller, customer segment, month), for Insights' segments;
//! - [`customer_services`] is no grain: usage's sums by (customer, provider, service, month) of
//!   every category but Tax, with the consumed quantity the monthly grain keeps, read from the
//!   monthly rows (the snapshot and the usage reports).
//!
//! The reseller × product and segment × month rollups also keep their tree's totals, every
//! reseller's rows summed under reseller [`keys::TREE_TOTAL`], for a distributor's Insights.
//!
//! How the changes flow:
//!
//! ```text
//!   a line in or out ──▶ Deltas (deltas.rs) ──────────▶ writes.rs ──▶ monthly_rollups,
//!   (import, re-rate)    every grain's changes, keys     a batch of     daily_rollups, …
//!                        as codes of names.rs, in        keys: read,
//!                        sums_table.rs                   merge, write
//!                                                        (PostgreSQL:
//!                                                        added_in_sql.rs)
//!
//!   the line items ──▶ rebuild.rs ──▶ the same Deltas, written over the tables (rebuild) or
//!                                     compared with them (stored_and_rebuilt)
//!
//!   monthly_rollups ──▶ reads.rs ──▶ the dashboards (exact to a day inside a month)
//! ```
//!
//! A new grain is a new file here plus its migration (and its entity): the file implements
//! [`grain::Grain`] (its key, how a line's [`Contribution`](grain::Contribution) is added, its
//! table for [`writes`], how its stored rows are read back), and its type is added to
//! [`grains::Others`]. From there [`Deltas`] keeps it during every import and re-rate,
//! [`rebuild()`] refills it, `Store::migrate` fills it on first start when it is still empty, and
//! [`stored_and_rebuilt`], which the incremental-equals-rebuilt tests call after every step, fails
//! when the stored grain differs from the one recomputed from the lines.
//!
//! No file of this folder imports one that imports it back: `sums`, `keys` and `names` below
//! everything; `lines`, `sums_table`, `grain`, `new_months`, `added_in_sql` and `writes` above
//! them; then `segment_months`, the grains (`monthly`, `daily`, `reseller_products`,
//! `reseller_months`, `customer_months`, which calls `segment_months`), `grains`, `deltas`, and
//! last `rebuild`, `reads` and `customer_services`. The `pub use` lines below are for callers
//! outside the store; the store's own files name the file an item is in, so that none reaches back
//! through this one.

mod added_in_sql;
pub(crate) mod customer_months;
pub(crate) mod customer_services;
mod daily;
pub(crate) mod deltas;
mod grain;
mod grains;
pub(crate) mod keys;
pub(crate) mod lines;
pub(crate) mod monthly;
mod names;
mod new_months;
pub(crate) mod reads;
pub(crate) mod rebuild;
pub(crate) mod reseller_months;
pub(crate) mod reseller_products;
pub(crate) mod segment_months;
pub(crate) mod service_months;
pub(crate) mod sums;
mod sums_table;
pub(crate) mod tree_lock;
mod writes;

pub use daily::{DayKey, daily_snapshot};
pub use deltas::{Deltas, KEYS_HELD};
pub use keys::{Key, KeyRef};
pub use lines::{LineView, RolledUp, contribution, key_of_line};
pub use monthly::snapshot;
pub use reads::rated_after;
pub(crate) use rebuild::missing_grain;
pub use rebuild::{from_lines, rebuild, stored_and_rebuilt};
pub use sums::Sums;
