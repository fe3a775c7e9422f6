//! sea-orm entities of the tables the store reads and writes. They never leave the store:
//! queries convert them into `domain::api` types. Money columns are `String` holding a
//! `Decimal` (see the migrations crate for why).

pub mod api_key;
pub mod billing_issue;
pub mod billing_line_item;
pub mod customer_billing_account;
pub mod customer_month_rollup;
pub mod daily_rollup;
pub mod fx_rate;
pub mod import_batch;
pub mod ledger_entry;
pub mod monthly_rollup;
pub mod organization;
pub mod product;
pub mod product_service;
pub mod report;
pub mod report_chunk;
pub mod reseller_month_rollup;
pub mod reseller_product_rollup;
pub mod segment_month_rollup;
pub mod service_month_rollup;
pub mod service_plan;
pub mod subscription;
pub mod usage_refresh;
pub mod usage_reseller_month;
pub mod usage_row;
pub mod usage_tree_month;
pub mod usage_tree_service;
pub mod user;
pub mod user_activity;
