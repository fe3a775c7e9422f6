//! Tierdash's schema as sea-orm migrations.
//!
//! Only the schema builder is used, so one definition gives the same tables on SQLite and
//! PostgreSQL. A shipped migration is never edited: a change is a new file.
//!
//! Money columns are `TEXT` holding a `rust_decimal::Decimal` string on both databases: SQLite
//! has no exact decimal type (sea-orm would read it back through `f64`), and one representation
//! on both databases keeps their behaviour identical. Sums are done in Rust, never in SQL.

pub use sea_orm_migration::prelude::*;

mod m20261122_000001_create_organizations_and_access;
mod m20261122_000002_create_catalog_and_subscriptions;
mod m20261122_000003_create_billing;
mod m20261122_000004_create_reports_and_portal;
mod m20261123_000001_make_import_hash_unique;
mod m20261123_000002_create_daily_rollups;
mod m20261123_000003_drop_line_batch_index;
mod m20261123_000004_create_account_days;
mod m20261130_000001_lean_line_item_indexes;
mod m20261202_000001_read_provider_exports;
mod m20261202_000002_create_reseller_product_rollups;
mod m20261202_000003_create_customer_month_rollups;
mod m20261202_000004_index_organization_search;
mod m20261203_000001_create_usage_and_reports;
mod m20261203_000002_create_reseller_month_rollups;
mod m20261204_000001_line_ids_per_reseller;
mod m20261205_000001_period_index_in_line_order;
mod m20261205_000002_cover_customer_lookups;
mod m20261205_000003_usage_tree_totals;
mod m20261206_000001_create_segment_days;
mod m20261206_000002_tree_totals_per_tree;
mod m20261206_000003_count_onboarding_days;
mod m20261206_000004_create_service_month_rollups;
mod m20261206_000005_count_data_generations;
mod m20261207_000001_usage_reseller_months;
mod m20261207_000002_organizations_by_name;
mod m20261207_000003_count_usage_generations;
mod m20261207_000004_consumed_in_monthly_rollups;
mod m20261207_000005_line_batches_unchecked_on_postgres;

/// Every migration, in order.
pub struct Migrator;

#[async_trait::async_trait]
impl MigratorTrait for Migrator {
    fn migrations() -> Vec<Box<dyn MigrationTrait>> {
        vec![
            Box::new(m20261122_000001_create_organizations_and_access::Migration),
            Box::new(m20261122_000002_create_catalog_and_subscriptions::Migration),
            Box::new(m20261122_000003_create_billing::Migration),
            Box::new(m20261122_000004_create_reports_and_portal::Migration),
            Box::new(m20261123_000001_make_import_hash_unique::Migration),
            Box::new(m20261123_000002_create_daily_rollups::Migration),
            Box::new(m20261123_000003_drop_line_batch_index::Migration),
            Box::new(m20261123_000004_create_account_days::Migration),
            Box::new(m20261130_000001_lean_line_item_indexes::Migration),
            Box::new(m20261202_000001_read_provider_exports::Migration),
            Box::new(m20261202_000002_create_reseller_product_rollups::Migration),
            Box::new(m20261202_000003_create_customer_month_rollups::Migration),
            Box::new(m20261202_000004_index_organization_search::Migration),
            Box::new(m20261203_000001_create_usage_and_reports::Migration),
            Box::new(m20261203_000002_create_reseller_month_rollups::Migration),
            Box::new(m20261204_000001_line_ids_per_reseller::Migration),
            Box::new(m20261205_000001_period_index_in_line_order::Migration),
            Box::new(m20261205_000002_cover_customer_lookups::Migration),
            Box::new(m20261205_000003_usage_tree_totals::Migration),
            Box::new(m20261206_000001_create_segment_days::Migration),
            Box::new(m20261206_000002_tree_totals_per_tree::Migration),
            Box::new(m20261206_000003_count_onboarding_days::Migration),
            Box::new(m20261206_000004_create_service_month_rollups::Migration),
            Box::new(m20261206_000005_count_data_generations::Migration),
            Box::new(m20261207_000001_usage_reseller_months::Migration),
            Box::new(m20261207_000002_organizations_by_name::Migration),
            Box::new(m20261207_000003_count_usage_generations::Migration),
            Box::new(m20261207_000004_consumed_in_monthly_rollups::Migration),
            Box::new(m20261207_000005_line_batches_unchecked_on_postgres::Migration),
        ]
    }
}

/// An index named after its table and columns, so that names stay unique and readable.
pub(crate) fn index(table: impl IntoIden, name: &str, columns: &[&'static str]) -> IndexCreateStatement {
    let mut index = Index::create();
    index.name(name).table(table);
    for column in columns {
        index.col(Alias::new(*column));
    }
    index.to_owned()
}
