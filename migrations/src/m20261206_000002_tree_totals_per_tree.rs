//! Each tree's totals in rows of its own. The reseller × product and segment × month rollups keep
//! a tree's totals under reseller 0 (`store::rollups::keys::TREE_TOTAL`), and their unique keys
//! (reseller, product, month) and (reseller, segment, month) did not name the tree: two trees
//! with lines of no catalog product (product 0), or customers in the same segment, in the same
//! month shared one total row, the second tree's import adding its sums into the first tree's —
//! one distributor's Insights counted the other's revenue and the other's showed none. Both keys
//! get the tree, and the totals are dropped here: `Store::migrate` fills them again from each
//! tree's resellers' rows (`fill_tree_totals` of `store::rollups::reseller_products` and
//! `segment_months`).

use sea_orm_migration::prelude::*;
use sea_orm_migration::sea_orm::ConnectionTrait;

use crate::index;

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden, Clone, Copy)]
enum SegmentMonthRollups {
    Table,
}

#[derive(DeriveIden, Clone, Copy)]
enum ResellerProductRollups {
    Table,
}

/// Each table: (table, the old unique index and its columns after the tree, the new index). The
/// new index has a name of its own: SQLite checks a new index's name against the schema its
/// connection has read, and a migration's statements may run on several connections of the pool.
fn tables() -> [(DynIden, &'static str, &'static str, [&'static str; 3], &'static str); 2] {
    [
        (
            SegmentMonthRollups::Table.into_iden(),
            "segment_month_rollups",
            "ux_segment_month_rollups_grain",
            ["reseller_id", "segment", "month"],
            "ux_segment_month_rollups_tree_grain",
        ),
        (
            ResellerProductRollups::Table.into_iden(),
            "reseller_product_rollups",
            "ux_reseller_product_rollups_grain",
            ["reseller_id", "product_id", "month"],
            "ux_reseller_product_rollups_tree_grain",
        ),
    ]
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        for (table, name, old, key, new) in tables() {
            let totals = format!("DELETE FROM {name} WHERE reseller_id = 0");
            manager.get_connection().execute_unprepared(&totals).await?;
            manager.drop_index(Index::drop().name(old).table(table.clone()).to_owned()).await?;
            let columns = [["tenant_id"].as_slice(), key.as_slice()].concat();
            manager.create_index(index(table, new, &columns).unique().to_owned()).await?;
        }
        Ok(())
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        for (table, name, old, key, new) in tables() {
            // The old key cannot hold two trees' totals, so they go.
            let totals = format!("DELETE FROM {name} WHERE reseller_id = 0");
            manager.get_connection().execute_unprepared(&totals).await?;
            manager.drop_index(Index::drop().name(new).table(table.clone()).to_owned()).await?;
            manager.create_index(index(table, old, &key).unique().to_owned()).await?;
        }
        Ok(())
    }
}
