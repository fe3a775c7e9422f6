//! Billing data: fx rates, import batches, the FOCUS line items (the fact table), the monthly
//! rollups the dashboards read, and billing issues. Fact and rollup tables carry the reseller
//! id, their distribution key when sharded (docs/architecture.md §6), and are indexed by reseller and month.

use sea_orm_migration::{prelude::*, schema::*};

use crate::index;
use crate::m20261122_000001_create_organizations_and_access::Organizations;

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden, Clone, Copy)]
enum FxRates {
    Table,
    Id,
    TenantId,
    Currency,
    /// `YYYY-MM`.
    Month,
    /// USD per one unit of `currency`, decimal as text.
    Rate,
    UpdatedAt,
}

#[derive(DeriveIden, Clone, Copy)]
enum ImportBatches {
    Table,
    Id,
    TenantId,
    OrgId,
    CreatedBy,
    Source,
    FileName,
    Sha256,
    Status,
    RowsTotal,
    RowsRated,
    RowsUnrated,
    RowsReplaced,
    Errors,
    CreatedAt,
    CompletedAt,
}

#[derive(DeriveIden, Clone, Copy)]
enum BillingLineItems {
    Table,
    Id,
    TenantId,
    BatchId,
    RowNumber,
    LineItemId,
    CustomerExternalId,
    CustomerId,
    ResellerId,
    ProductId,
    Sku,
    Provider,
    Service,
    ChargeCategory,
    PeriodStart,
    PeriodEnd,
    Month,
    Day,
    BilledCost,
    EffectiveCost,
    Currency,
    UsdRate,
    BilledUsd,
    EffectiveUsd,
    Quantity,
    Marketplace,
    Rated,
}

#[derive(DeriveIden, Clone, Copy)]
enum MonthlyRollups {
    Table,
    Id,
    TenantId,
    Month,
    ResellerId,
    CustomerId,
    ProductId,
    Provider,
    Service,
    Marketplace,
    ChargeCategory,
    BilledUsd,
    EffectiveUsd,
    Units,
    LineCount,
}

#[derive(DeriveIden, Clone, Copy)]
enum BillingIssues {
    Table,
    Id,
    TenantId,
    CustomerId,
    CustomerExternalId,
    ResellerId,
    BatchId,
    LineId,
    Kind,
    Message,
    DetectedAt,
    ResolvedAt,
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table(FxRates::Table)
                    .col(big_pk_auto(FxRates::Id))
                    .col(big_integer(FxRates::TenantId))
                    .col(string_len(FxRates::Currency, 3))
                    .col(string_len(FxRates::Month, 7))
                    .col(string_len(FxRates::Rate, 64))
                    .col(timestamp_with_time_zone(FxRates::UpdatedAt))
                    .foreign_key(
                        ForeignKey::create()
                            .from(FxRates::Table, FxRates::TenantId)
                            .to(Organizations::Table, Organizations::Id),
                    )
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                index(FxRates::Table, "ux_fx_rates_tenant_currency_month", &["tenant_id", "currency", "month"])
                    .unique()
                    .to_owned(),
            )
            .await?;

        manager
            .create_table(
                Table::create()
                    .table(ImportBatches::Table)
                    .col(big_pk_auto(ImportBatches::Id))
                    .col(big_integer(ImportBatches::TenantId))
                    .col(big_integer(ImportBatches::OrgId))
                    .col(big_integer_null(ImportBatches::CreatedBy))
                    .col(string_len(ImportBatches::Source, 16))
                    .col(string(ImportBatches::FileName))
                    .col(string_len(ImportBatches::Sha256, 64))
                    .col(string_len(ImportBatches::Status, 16))
                    .col(big_integer(ImportBatches::RowsTotal).default(0))
                    .col(big_integer(ImportBatches::RowsRated).default(0))
                    .col(big_integer(ImportBatches::RowsUnrated).default(0))
                    .col(big_integer(ImportBatches::RowsReplaced).default(0))
                    .col(text_null(ImportBatches::Errors))
                    .col(timestamp_with_time_zone(ImportBatches::CreatedAt))
                    .col(timestamp_with_time_zone_null(ImportBatches::CompletedAt))
                    .foreign_key(
                        ForeignKey::create()
                            .from(ImportBatches::Table, ImportBatches::OrgId)
                            .to(Organizations::Table, Organizations::Id),
                    )
                    .to_owned(),
            )
            .await?;
        manager.create_index(index(ImportBatches::Table, "ix_import_batches_org_sha", &["org_id", "sha256"])).await?;

        manager
            .create_table(
                Table::create()
                    .table(BillingLineItems::Table)
                    .col(big_pk_auto(BillingLineItems::Id))
                    .col(big_integer(BillingLineItems::TenantId))
                    .col(big_integer(BillingLineItems::BatchId))
                    .col(big_integer(BillingLineItems::RowNumber))
                    .col(string_null(BillingLineItems::LineItemId))
                    .col(string(BillingLineItems::CustomerExternalId))
                    .col(big_integer_null(BillingLineItems::CustomerId))
                    .col(big_integer_null(BillingLineItems::ResellerId))
                    .col(big_integer_null(BillingLineItems::ProductId))
                    .col(string_null(BillingLineItems::Sku))
                    .col(string(BillingLineItems::Provider))
                    .col(string(BillingLineItems::Service))
                    .col(string_len(BillingLineItems::ChargeCategory, 16))
                    .col(timestamp_with_time_zone(BillingLineItems::PeriodStart))
                    .col(timestamp_with_time_zone(BillingLineItems::PeriodEnd))
                    .col(string_len(BillingLineItems::Month, 7))
                    .col(date(BillingLineItems::Day))
                    .col(string_len(BillingLineItems::BilledCost, 64))
                    .col(string_len(BillingLineItems::EffectiveCost, 64))
                    .col(string_len(BillingLineItems::Currency, 3))
                    .col(string_len_null(BillingLineItems::UsdRate, 64))
                    .col(string_len_null(BillingLineItems::BilledUsd, 64))
                    .col(string_len_null(BillingLineItems::EffectiveUsd, 64))
                    .col(string_len_null(BillingLineItems::Quantity, 64))
                    .col(boolean(BillingLineItems::Marketplace).default(false))
                    .col(boolean(BillingLineItems::Rated).default(false))
                    .foreign_key(
                        ForeignKey::create()
                            .from(BillingLineItems::Table, BillingLineItems::BatchId)
                            .to(ImportBatches::Table, ImportBatches::Id),
                    )
                    .to_owned(),
            )
            .await?;
        let lines = BillingLineItems::Table;
        manager
            .create_index(
                index(lines, "ux_billing_line_items_tenant_line", &["tenant_id", "line_item_id"]).unique().to_owned(),
            )
            .await?;
        manager
            .create_index(index(lines, "ix_billing_line_items_reseller_month_day", &["reseller_id", "month", "day"]))
            .await?;
        manager
            .create_index(index(lines, "ix_billing_line_items_tenant_month_day", &["tenant_id", "month", "day"]))
            .await?;
        manager.create_index(index(lines, "ix_billing_line_items_customer_month", &["customer_id", "month"])).await?;
        manager.create_index(index(lines, "ix_billing_line_items_batch", &["batch_id"])).await?;

        manager
            .create_table(
                Table::create()
                    .table(MonthlyRollups::Table)
                    .col(big_pk_auto(MonthlyRollups::Id))
                    .col(big_integer(MonthlyRollups::TenantId))
                    .col(string_len(MonthlyRollups::Month, 7))
                    .col(big_integer(MonthlyRollups::ResellerId))
                    .col(big_integer(MonthlyRollups::CustomerId))
                    // 0 when the line has no known product, so the grain stays a unique key.
                    .col(big_integer(MonthlyRollups::ProductId))
                    .col(string(MonthlyRollups::Provider))
                    .col(string(MonthlyRollups::Service))
                    .col(boolean(MonthlyRollups::Marketplace))
                    .col(string_len(MonthlyRollups::ChargeCategory, 16))
                    .col(string_len(MonthlyRollups::BilledUsd, 64))
                    .col(string_len(MonthlyRollups::EffectiveUsd, 64))
                    .col(string_len(MonthlyRollups::Units, 64))
                    .col(big_integer(MonthlyRollups::LineCount))
                    .to_owned(),
            )
            .await?;
        let rollups = MonthlyRollups::Table;
        manager
            .create_index(
                index(
                    rollups,
                    "ux_monthly_rollups_grain",
                    &[
                        "reseller_id",
                        "month",
                        "customer_id",
                        "product_id",
                        "provider",
                        "service",
                        "marketplace",
                        "charge_category",
                    ],
                )
                .unique()
                .to_owned(),
            )
            .await?;
        manager.create_index(index(rollups, "ix_monthly_rollups_tenant_month", &["tenant_id", "month"])).await?;

        manager
            .create_table(
                Table::create()
                    .table(BillingIssues::Table)
                    .col(big_pk_auto(BillingIssues::Id))
                    .col(big_integer(BillingIssues::TenantId))
                    .col(big_integer_null(BillingIssues::CustomerId))
                    .col(string_null(BillingIssues::CustomerExternalId))
                    .col(big_integer_null(BillingIssues::ResellerId))
                    .col(big_integer_null(BillingIssues::BatchId))
                    .col(big_integer_null(BillingIssues::LineId))
                    .col(string_len(BillingIssues::Kind, 32))
                    .col(text(BillingIssues::Message))
                    .col(timestamp_with_time_zone(BillingIssues::DetectedAt))
                    .col(timestamp_with_time_zone_null(BillingIssues::ResolvedAt))
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(index(
                BillingIssues::Table,
                "ix_billing_issues_tenant_resolved",
                &["tenant_id", "resolved_at"],
            ))
            .await?;
        manager
            .create_index(index(BillingIssues::Table, "ix_billing_issues_reseller", &["reseller_id", "resolved_at"]))
            .await?;
        manager.create_index(index(BillingIssues::Table, "ix_billing_issues_customer", &["customer_id"])).await?;
        Ok(())
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        for table in [
            BillingIssues::Table.into_iden(),
            MonthlyRollups::Table.into_iden(),
            BillingLineItems::Table.into_iden(),
            ImportBatches::Table.into_iden(),
            FxRates::Table.into_iden(),
        ] {
            manager.drop_table(Table::drop().table(table).to_owned()).await?;
        }
        Ok(())
    }
}
