//! An x_LineItemId names a line within its reseller, not within the whole tree: two sibling
//! resellers may use the same id, neither replaces the other's line, and neither learns that the
//! other used it (issue 24). Each line gets `owner_id`, the reseller it is filed under (0 when it
//! has none: a distributor's line of a customer not yet known), and the unique key becomes
//! (tree, owner, id).

use sea_orm_migration::prelude::*;
use sea_orm_migration::sea_orm::ConnectionTrait;

use crate::index;

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden, Clone, Copy)]
enum BillingLineItems {
    Table,
    OwnerId,
}

const TREE_LINE: &str = "ux_billing_line_items_tenant_line";
const TREE_OWNER_LINE: &str = "ux_billing_line_items_tenant_owner_line";

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        let lines = BillingLineItems::Table;
        manager
            .alter_table(
                Table::alter()
                    .table(lines)
                    .add_column(ColumnDef::new(BillingLineItems::OwnerId).big_integer().not_null().default(0))
                    .to_owned(),
            )
            .await?;
        manager
            .get_connection()
            .execute_unprepared("UPDATE billing_line_items SET owner_id = reseller_id WHERE reseller_id IS NOT NULL")
            .await?;
        manager.drop_index(Index::drop().name(TREE_LINE).table(lines).to_owned()).await?;
        manager
            .create_index(index(lines, TREE_OWNER_LINE, &["tenant_id", "owner_id", "line_item_id"]).unique().to_owned())
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        let lines = BillingLineItems::Table;
        manager.drop_index(Index::drop().name(TREE_OWNER_LINE).table(lines).to_owned()).await?;
        manager.create_index(index(lines, TREE_LINE, &["tenant_id", "line_item_id"]).unique().to_owned()).await?;
        manager.alter_table(Table::alter().table(lines).drop_column(BillingLineItems::OwnerId).to_owned()).await
    }
}
