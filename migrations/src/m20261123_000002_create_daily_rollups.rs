//! The daily rollup the Home dashboard reads: rated line items summed per scope (a reseller, and
//! separately the top of its tree), day, marketplace flag and charge category.
//!
//! A distributor's month is then ~30 days × a few categories rows, whatever the number of its
//! customers or line items, and an `as_of` in the middle of a past month is exact without
//! reading line items (docs/data-model.md §10). The customer-grain `monthly_rollups` stay for breakdowns.
//! Filled for existing data by `Store::migrate`, which rebuilds the rollups once.
//!
//! Also indexes the Home page's organisation reads: each account count is an index range count
//! (created before a day, closed before a day, in a window), and the onboarding list reads only
//! the customers not yet onboarded.

use sea_orm_migration::prelude::*;
use sea_orm_migration::schema::*;

use crate::index;

#[derive(DeriveMigrationName)]
pub struct Migration;

/// The organisation indexes the Home page's counts and onboarding list read.
const INDEXES: &[(&str, &[&str])] = &[
    ("ix_organizations_tenant_kind_created", &["tenant_id", "kind", "created_at"]),
    ("ix_organizations_tenant_kind_closed", &["tenant_id", "kind", "closed_at"]),
    ("ix_organizations_parent_kind_created", &["parent_id", "kind", "created_at"]),
    ("ix_organizations_parent_kind_closed", &["parent_id", "kind", "closed_at"]),
    ("ix_organizations_parent_status_created", &["parent_id", "kind", "status", "created_at"]),
    ("ix_organizations_parent_status_closed", &["parent_id", "kind", "status", "closed_at"]),
    // Covering for the onboarding list's count and order: only the page's 50 rows are read.
    (
        "ix_organizations_tenant_onboarding",
        &["tenant_id", "kind", "onboarding_stage", "created_at", "closed_at", "onboarding_stage_at"],
    ),
    (
        "ix_organizations_parent_onboarding",
        &["parent_id", "kind", "onboarding_stage", "created_at", "closed_at", "onboarding_stage_at"],
    ),
];

#[derive(DeriveIden, Clone, Copy)]
enum Organizations {
    Table,
}

#[derive(DeriveIden, Clone, Copy)]
enum DailyRollups {
    Table,
    Id,
    TenantId,
    OrgId,
    Day,
    Month,
    Marketplace,
    ChargeCategory,
    BilledUsd,
    EffectiveUsd,
    LineCount,
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table(DailyRollups::Table)
                    .col(big_pk_auto(DailyRollups::Id))
                    .col(big_integer(DailyRollups::TenantId))
                    // The scope the row sums for: a reseller, or the top of the tree.
                    .col(big_integer(DailyRollups::OrgId))
                    .col(date(DailyRollups::Day))
                    .col(string_len(DailyRollups::Month, 7))
                    .col(boolean(DailyRollups::Marketplace))
                    .col(string_len(DailyRollups::ChargeCategory, 16))
                    .col(string_len(DailyRollups::BilledUsd, 64))
                    .col(string_len(DailyRollups::EffectiveUsd, 64))
                    .col(big_integer(DailyRollups::LineCount))
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                index(
                    DailyRollups::Table,
                    "ux_daily_rollups_grain",
                    &["org_id", "day", "marketplace", "charge_category"],
                )
                .unique()
                .to_owned(),
            )
            .await?;
        manager.create_index(index(DailyRollups::Table, "ix_daily_rollups_org_month", &["org_id", "month"])).await?;
        manager.create_index(index(DailyRollups::Table, "ix_daily_rollups_tenant", &["tenant_id"])).await?;
        let orgs = Organizations::Table;
        for (name, columns) in INDEXES {
            manager.create_index(index(orgs, name, columns)).await?;
        }
        Ok(())
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        for (name, _) in INDEXES {
            manager.drop_index(Index::drop().name(*name).table(Organizations::Table).to_owned()).await?;
        }
        manager.drop_table(Table::drop().table(DailyRollups::Table).to_owned()).await
    }
}
