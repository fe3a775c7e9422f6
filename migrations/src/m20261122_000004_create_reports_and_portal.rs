//! Generated reports, usage snapshots, the reseller balance ledger and user activity.

use sea_orm_migration::{prelude::*, schema::*};

use crate::index;
use crate::m20261122_000001_create_organizations_and_access::Organizations;

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden, Clone, Copy)]
enum Reports {
    Table,
    Id,
    TenantId,
    OwnerOrgId,
    Kind,
    PeriodStart,
    PeriodEnd,
    Status,
    RequestedBy,
    RequestedAt,
    GeneratedAt,
    RowCount,
    Csv,
    Error,
}

#[derive(DeriveIden, Clone, Copy)]
enum UsageSnapshots {
    Table,
    Id,
    TenantId,
    OrgId,
    Status,
    RefreshedAt,
    NextRefreshAt,
}

#[derive(DeriveIden, Clone, Copy)]
enum LedgerEntries {
    Table,
    Id,
    TenantId,
    ResellerId,
    Kind,
    /// Signed decimal as text.
    Amount,
    Currency,
    BalanceAfter,
    SubscriptionId,
    Reference,
    IdempotencyKey,
    CreatedBy,
    CreatedAt,
}

#[derive(DeriveIden, Clone, Copy)]
enum UserActivities {
    Table,
    Id,
    TenantId,
    ResellerId,
    CustomerId,
    UserEmail,
    Day,
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table(Reports::Table)
                    .col(big_pk_auto(Reports::Id))
                    .col(big_integer(Reports::TenantId))
                    .col(big_integer(Reports::OwnerOrgId))
                    .col(string_len(Reports::Kind, 32))
                    .col(date(Reports::PeriodStart))
                    .col(date(Reports::PeriodEnd))
                    .col(string_len(Reports::Status, 16))
                    .col(big_integer_null(Reports::RequestedBy))
                    .col(timestamp_with_time_zone(Reports::RequestedAt))
                    .col(timestamp_with_time_zone_null(Reports::GeneratedAt))
                    .col(big_integer_null(Reports::RowCount))
                    .col(text_null(Reports::Csv))
                    .col(text_null(Reports::Error))
                    .foreign_key(
                        ForeignKey::create()
                            .from(Reports::Table, Reports::OwnerOrgId)
                            .to(Organizations::Table, Organizations::Id),
                    )
                    .to_owned(),
            )
            .await?;
        manager.create_index(index(Reports::Table, "ix_reports_owner", &["owner_org_id", "requested_at"])).await?;

        manager
            .create_table(
                Table::create()
                    .table(UsageSnapshots::Table)
                    .col(big_pk_auto(UsageSnapshots::Id))
                    .col(big_integer(UsageSnapshots::TenantId))
                    .col(big_integer(UsageSnapshots::OrgId))
                    .col(string_len(UsageSnapshots::Status, 16))
                    .col(timestamp_with_time_zone(UsageSnapshots::RefreshedAt))
                    .col(timestamp_with_time_zone_null(UsageSnapshots::NextRefreshAt))
                    .foreign_key(
                        ForeignKey::create()
                            .from(UsageSnapshots::Table, UsageSnapshots::OrgId)
                            .to(Organizations::Table, Organizations::Id),
                    )
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(index(UsageSnapshots::Table, "ix_usage_snapshots_org", &["org_id", "refreshed_at"]))
            .await?;

        manager
            .create_table(
                Table::create()
                    .table(LedgerEntries::Table)
                    .col(big_pk_auto(LedgerEntries::Id))
                    .col(big_integer(LedgerEntries::TenantId))
                    .col(big_integer(LedgerEntries::ResellerId))
                    .col(string_len(LedgerEntries::Kind, 16))
                    .col(string_len(LedgerEntries::Amount, 64))
                    .col(string_len(LedgerEntries::Currency, 3))
                    .col(string_len(LedgerEntries::BalanceAfter, 64))
                    .col(big_integer_null(LedgerEntries::SubscriptionId))
                    .col(string_null(LedgerEntries::Reference))
                    .col(string_len_null(LedgerEntries::IdempotencyKey, 255))
                    .col(big_integer_null(LedgerEntries::CreatedBy))
                    .col(timestamp_with_time_zone(LedgerEntries::CreatedAt))
                    .foreign_key(
                        ForeignKey::create()
                            .from(LedgerEntries::Table, LedgerEntries::ResellerId)
                            .to(Organizations::Table, Organizations::Id),
                    )
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                index(LedgerEntries::Table, "ux_ledger_entries_reseller_key", &["reseller_id", "idempotency_key"])
                    .unique()
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(index(
                LedgerEntries::Table,
                "ix_ledger_entries_reseller_created",
                &["reseller_id", "created_at"],
            ))
            .await?;

        manager
            .create_table(
                Table::create()
                    .table(UserActivities::Table)
                    .col(big_pk_auto(UserActivities::Id))
                    .col(big_integer(UserActivities::TenantId))
                    .col(big_integer(UserActivities::ResellerId))
                    .col(big_integer(UserActivities::CustomerId))
                    .col(string(UserActivities::UserEmail))
                    .col(date(UserActivities::Day))
                    .foreign_key(
                        ForeignKey::create()
                            .from(UserActivities::Table, UserActivities::ResellerId)
                            .to(Organizations::Table, Organizations::Id),
                    )
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                index(
                    UserActivities::Table,
                    "ux_user_activities_key",
                    &["reseller_id", "customer_id", "user_email", "day"],
                )
                .unique()
                .to_owned(),
            )
            .await?;
        manager
            .create_index(index(UserActivities::Table, "ix_user_activities_reseller_day", &["reseller_id", "day"]))
            .await?;
        Ok(())
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        for table in [
            UserActivities::Table.into_iden(),
            LedgerEntries::Table.into_iden(),
            UsageSnapshots::Table.into_iden(),
            Reports::Table.into_iden(),
        ] {
            manager.drop_table(Table::drop().table(table).to_owned()).await?;
        }
        Ok(())
    }
}
