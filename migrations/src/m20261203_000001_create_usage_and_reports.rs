//! Usage and reports (seed 003): the customer × service × month rollup usage reads, the usage
//! snapshot the scheduled refresh writes (`usage_rows`, per customer and per reseller and
//! service, and `usage_refreshes`, when each refresh ran and what it covered), generated reports
//! with their CSV in chunks, and named leases that let one process of several run a job.
//!
//! The `reports` and `usage_snapshots` tables of `m20261122_000004` were never written: they
//! are replaced by the shapes below (a report's CSV in chunks rather than one text, its lease
//! and expiry).

use sea_orm_migration::prelude::*;
use sea_orm_migration::schema::*;

use crate::index;

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden, Clone, Copy)]
enum UsageSnapshots {
    Table,
    Id,
}

#[derive(DeriveIden, Clone, Copy)]
enum CustomerServiceRollups {
    Table,
    Id,
    TenantId,
    ResellerId,
    CustomerId,
    Provider,
    Service,
    Month,
    BilledUsd,
    EffectiveUsd,
    Units,
    Consumed,
    LineCount,
}

#[derive(DeriveIden, Clone, Copy)]
enum Reports {
    Table,
    Id,
    TenantId,
    OwnerOrgId,
    Kind,
    Period,
    ResellerId,
    Status,
    Progress,
    RowCount,
    Error,
    RequestedBy,
    RequestedAt,
    GeneratedAt,
    LeaseUntil,
    Attempts,
    ExpiresAt,
}

#[derive(DeriveIden, Clone, Copy)]
enum ReportChunks {
    Table,
    Id,
    ReportId,
    Seq,
    Body,
}

#[derive(DeriveIden, Clone, Copy)]
enum UsageRefreshes {
    Table,
    Id,
    StartedAt,
    FinishedAt,
    Months,
    RowCount,
    Status,
    Error,
}

#[derive(DeriveIden, Clone, Copy)]
enum UsageRows {
    Table,
    Id,
    TenantId,
    Month,
    ResellerId,
    CustomerId,
    Provider,
    Service,
    Consumed,
    Units,
    Revenue,
    LineCount,
}

#[derive(DeriveIden, Clone, Copy)]
enum JobLeases {
    Table,
    Name,
    Holder,
    Until,
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager.drop_table(Table::drop().table(Reports::Table).to_owned()).await?;
        manager.drop_table(Table::drop().table(UsageSnapshots::Table).to_owned()).await?;
        let table = CustomerServiceRollups::Table;
        manager
            .create_table(
                Table::create()
                    .table(table)
                    .col(big_pk_auto(CustomerServiceRollups::Id))
                    .col(big_integer(CustomerServiceRollups::TenantId))
                    .col(big_integer(CustomerServiceRollups::ResellerId))
                    .col(big_integer(CustomerServiceRollups::CustomerId))
                    .col(string_len(CustomerServiceRollups::Provider, 255))
                    .col(string_len(CustomerServiceRollups::Service, 255))
                    .col(string_len(CustomerServiceRollups::Month, 7))
                    .col(string_len(CustomerServiceRollups::BilledUsd, 64))
                    .col(string_len(CustomerServiceRollups::EffectiveUsd, 64))
                    .col(string_len(CustomerServiceRollups::Units, 64))
                    .col(string_len(CustomerServiceRollups::Consumed, 64))
                    .col(big_integer(CustomerServiceRollups::LineCount))
                    .to_owned(),
            )
            .await?;
        let grain = ["customer_id", "provider", "service", "month", "reseller_id"];
        let mut unique = index(table, "ux_customer_service_rollups_grain", &grain);
        manager.create_index(unique.unique().to_owned()).await?;
        let by_month = ["tenant_id", "month", "reseller_id", "customer_id"];
        manager.create_index(index(table, "ix_customer_service_rollups_tenant_month", &by_month)).await?;

        manager
            .create_table(
                Table::create()
                    .table(Reports::Table)
                    .col(big_pk_auto(Reports::Id))
                    .col(big_integer(Reports::TenantId))
                    .col(big_integer(Reports::OwnerOrgId))
                    .col(string_len(Reports::Kind, 32))
                    .col(string_len(Reports::Period, 7))
                    .col(big_integer_null(Reports::ResellerId))
                    .col(string_len(Reports::Status, 16))
                    .col(integer(Reports::Progress))
                    .col(big_integer_null(Reports::RowCount))
                    .col(text_null(Reports::Error))
                    .col(string_len(Reports::RequestedBy, 320))
                    .col(timestamp_with_time_zone(Reports::RequestedAt))
                    .col(timestamp_with_time_zone_null(Reports::GeneratedAt))
                    .col(timestamp_with_time_zone_null(Reports::LeaseUntil))
                    .col(integer(Reports::Attempts))
                    .col(timestamp_with_time_zone(Reports::ExpiresAt))
                    .to_owned(),
            )
            .await?;
        let by_owner = ["tenant_id", "owner_org_id", "requested_at"];
        manager.create_index(index(Reports::Table, "ix_reports_tenant_owner_requested", &by_owner)).await?;
        manager.create_index(index(Reports::Table, "ix_reports_status_lease", &["status", "lease_until"])).await?;
        // One pending or generating report per (owner, kind, period, reseller): two identical
        // requests at once make one report (a partial index on an expression, written by hand:
        // the same text in both databases).
        manager
            .get_connection()
            .execute_unprepared(
                "CREATE UNIQUE INDEX ux_reports_running ON reports \
                 (owner_org_id, kind, period, COALESCE(reseller_id, 0)) WHERE status IN ('pending', 'generating')",
            )
            .await?;
        manager
            .create_table(
                Table::create()
                    .table(ReportChunks::Table)
                    .col(big_pk_auto(ReportChunks::Id))
                    .col(big_integer(ReportChunks::ReportId))
                    .col(integer(ReportChunks::Seq))
                    .col(text(ReportChunks::Body))
                    .to_owned(),
            )
            .await?;
        let mut chunks = index(ReportChunks::Table, "ux_report_chunks_report_seq", &["report_id", "seq"]);
        manager.create_index(chunks.unique().to_owned()).await?;

        manager
            .create_table(
                Table::create()
                    .table(UsageRefreshes::Table)
                    .col(big_pk_auto(UsageRefreshes::Id))
                    .col(timestamp_with_time_zone(UsageRefreshes::StartedAt))
                    .col(timestamp_with_time_zone_null(UsageRefreshes::FinishedAt))
                    .col(string_len(UsageRefreshes::Months, 255))
                    .col(big_integer(UsageRefreshes::RowCount))
                    .col(string_len(UsageRefreshes::Status, 16))
                    .col(text_null(UsageRefreshes::Error))
                    .to_owned(),
            )
            .await?;
        manager
            .create_table(
                Table::create()
                    .table(UsageRows::Table)
                    .col(big_pk_auto(UsageRows::Id))
                    .col(big_integer(UsageRows::TenantId))
                    .col(string_len(UsageRows::Month, 7))
                    .col(big_integer(UsageRows::ResellerId))
                    .col(big_integer(UsageRows::CustomerId))
                    .col(string_len(UsageRows::Provider, 255))
                    .col(string_len(UsageRows::Service, 255))
                    .col(string_len(UsageRows::Consumed, 64))
                    .col(string_len(UsageRows::Units, 64))
                    .col(string_len(UsageRows::Revenue, 64))
                    .col(big_integer(UsageRows::LineCount))
                    .to_owned(),
            )
            .await?;
        // A customer's rows per (reseller, provider, service); a reseller's own sums under
        // customer 0.
        let rows = ["tenant_id", "month", "reseller_id", "customer_id", "provider", "service"];
        let mut unique = index(UsageRows::Table, "ux_usage_rows_grain", &rows);
        manager.create_index(unique.unique().to_owned()).await?;
        let by_customer = ["tenant_id", "month", "customer_id"];
        manager.create_index(index(UsageRows::Table, "ix_usage_rows_tenant_month_customer", &by_customer)).await?;
        manager
            .create_table(
                Table::create()
                    .table(JobLeases::Table)
                    .col(string_len(JobLeases::Name, 64).primary_key())
                    .col(string_len(JobLeases::Holder, 64))
                    .col(timestamp_with_time_zone(JobLeases::Until))
                    .to_owned(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        for table in [
            JobLeases::Table.into_iden(),
            UsageRows::Table.into_iden(),
            UsageRefreshes::Table.into_iden(),
            ReportChunks::Table.into_iden(),
            Reports::Table.into_iden(),
            CustomerServiceRollups::Table.into_iden(),
        ] {
            manager.drop_table(Table::drop().table(table).to_owned()).await?;
        }
        // Tables for the migration before to drop (their columns are not brought back: they
        // were never written).
        for table in [Reports::Table.into_iden(), UsageSnapshots::Table.into_iden()] {
            manager.create_table(Table::create().table(table).col(big_pk_auto(UsageSnapshots::Id)).to_owned()).await?;
        }
        Ok(())
    }
}
