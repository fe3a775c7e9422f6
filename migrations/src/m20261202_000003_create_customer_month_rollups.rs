//! The customer × month rollup: rated line items summed per customer and month — revenue and
//! cost without Tax, units of every category — and beside it the same summed per reseller,
//! customer segment (empty when none) and month, which Insights' segments read: a few rows per
//! reseller and month whatever the number of customers. Both filled for existing data by
//! `Store::migrate`.
//!
//! Also indexes a tree's customers by segment (the segments' counts on a day), and its
//! organisations by kind and status (which the migration before this one
//! meant to add and did not), so that the Partners console counts the few suspended or closed
//! customers by an index range rather than every customer.

use sea_orm_migration::prelude::*;
use sea_orm_migration::schema::*;
use sea_orm_migration::sea_orm::DbBackend;

use crate::index;

#[derive(DeriveMigrationName)]
pub struct Migration;

/// A tree's customers by segment, with the dates that say whether they are counted on a day.
const ORGS_BY_SEGMENT: &str = "ix_organizations_tenant_kind_segment";

/// PostgreSQL: a tree's monthly rollup rows by month, in id order.
const MONTHLY_BY_ID: &str = "ix_monthly_rollups_tenant_month_id";

/// The organisations of a tree by kind and status.
const ORGS_BY_STATUS: &str = "ix_organizations_tenant_status_created";

#[derive(DeriveIden, Clone, Copy)]
enum Organizations {
    Table,
}

#[derive(DeriveIden, Clone, Copy)]
enum MonthlyRollups {
    Table,
}

#[derive(DeriveIden, Clone, Copy)]
enum CustomerMonthRollups {
    Table,
    Id,
    TenantId,
    ResellerId,
    CustomerId,
    Month,
    BilledUsd,
    EffectiveUsd,
    Units,
    LineCount,
}

#[derive(DeriveIden, Clone, Copy)]
enum SegmentMonthRollups {
    Table,
    Id,
    TenantId,
    ResellerId,
    Segment,
    Month,
    BilledUsd,
    EffectiveUsd,
    Units,
    LineCount,
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        let table = CustomerMonthRollups::Table;
        manager
            .create_table(
                Table::create()
                    .table(table)
                    .col(big_pk_auto(CustomerMonthRollups::Id))
                    .col(big_integer(CustomerMonthRollups::TenantId))
                    .col(big_integer(CustomerMonthRollups::ResellerId))
                    .col(big_integer(CustomerMonthRollups::CustomerId))
                    .col(string_len(CustomerMonthRollups::Month, 7))
                    .col(string_len(CustomerMonthRollups::BilledUsd, 64))
                    .col(string_len(CustomerMonthRollups::EffectiveUsd, 64))
                    .col(string_len(CustomerMonthRollups::Units, 64))
                    .col(big_integer(CustomerMonthRollups::LineCount))
                    .to_owned(),
            )
            .await?;
        let mut grain = index(table, "ux_customer_month_rollups_grain", &["reseller_id", "customer_id", "month"]);
        manager.create_index(grain.unique().to_owned()).await?;
        manager.create_index(index(table, "ix_customer_month_rollups_tenant_month", &["tenant_id", "month"])).await?;
        let table = SegmentMonthRollups::Table;
        manager
            .create_table(
                Table::create()
                    .table(table)
                    .col(big_pk_auto(SegmentMonthRollups::Id))
                    .col(big_integer(SegmentMonthRollups::TenantId))
                    .col(big_integer(SegmentMonthRollups::ResellerId))
                    .col(string_len(SegmentMonthRollups::Segment, 32))
                    .col(string_len(SegmentMonthRollups::Month, 7))
                    .col(string_len(SegmentMonthRollups::BilledUsd, 64))
                    .col(string_len(SegmentMonthRollups::EffectiveUsd, 64))
                    .col(string_len(SegmentMonthRollups::Units, 64))
                    .col(big_integer(SegmentMonthRollups::LineCount))
                    .to_owned(),
            )
            .await?;
        let mut grain = index(table, "ux_segment_month_rollups_grain", &["reseller_id", "segment", "month"]);
        manager.create_index(grain.unique().to_owned()).await?;
        manager.create_index(index(table, "ix_segment_month_rollups_tenant_month", &["tenant_id", "month"])).await?;
        let by_segment = ["tenant_id", "kind", "segment", "created_at", "closed_at"];
        manager.create_index(index(Organizations::Table, ORGS_BY_SEGMENT, &by_segment)).await?;
        if manager.get_database_backend() == DbBackend::Postgres {
            // Insights' raw export reads a month's rows in id order a batch at a time; SQLite's
            // (tree, month) index already holds the rowid in order.
            let by_id = ["tenant_id", "month", "id"];
            manager.create_index(index(MonthlyRollups::Table, MONTHLY_BY_ID, &by_id)).await?;
        }
        let mut orgs = index(Organizations::Table, ORGS_BY_STATUS, &["tenant_id", "kind", "status", "created_at"]);
        manager.create_index(orgs.if_not_exists().to_owned()).await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager.drop_index(Index::drop().name(ORGS_BY_STATUS).table(Organizations::Table).to_owned()).await?;
        manager.drop_index(Index::drop().name(ORGS_BY_SEGMENT).table(Organizations::Table).to_owned()).await?;
        if manager.get_database_backend() == DbBackend::Postgres {
            manager.drop_index(Index::drop().name(MONTHLY_BY_ID).table(MonthlyRollups::Table).to_owned()).await?;
        }
        manager.drop_table(Table::drop().table(SegmentMonthRollups::Table).to_owned()).await?;
        manager.drop_table(Table::drop().table(CustomerMonthRollups::Table).to_owned()).await
    }
}
