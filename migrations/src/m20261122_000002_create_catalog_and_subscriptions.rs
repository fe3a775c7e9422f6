//! The catalog (products and their service plans) and subscriptions, which the portal calls
//! activations.

use sea_orm_migration::{prelude::*, schema::*};

use crate::index;
use crate::m20261122_000001_create_organizations_and_access::Organizations;

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden, Clone, Copy)]
pub enum Products {
    Table,
    Id,
    /// The distributor (or independent reseller) whose catalog this is.
    TenantId,
    Sku,
    Name,
    Family,
    Provider,
    BillingModel,
    Marketplace,
    CreatedAt,
    UpdatedAt,
}

#[derive(DeriveIden, Clone, Copy)]
pub enum ServicePlans {
    Table,
    Id,
    TenantId,
    ProductId,
    Code,
    Name,
    /// Decimal as text (see the crate's documentation).
    Price,
    Currency,
    BillingInterval,
    Enabled,
    Refundable,
    CreatedAt,
    UpdatedAt,
}

#[derive(DeriveIden, Clone, Copy)]
pub enum Subscriptions {
    Table,
    Id,
    TenantId,
    CustomerId,
    ResellerId,
    ProductId,
    PlanId,
    Quantity,
    UnitPrice,
    Currency,
    BillingInterval,
    Status,
    LicenseStatus,
    Trial,
    AssignedClient,
    StartDate,
    EndDate,
    CreatedAt,
    UpdatedAt,
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table(Products::Table)
                    .col(big_pk_auto(Products::Id))
                    .col(big_integer(Products::TenantId))
                    .col(string_len(Products::Sku, 128))
                    .col(string(Products::Name))
                    .col(string(Products::Family))
                    .col(string(Products::Provider))
                    .col(string_len(Products::BillingModel, 16))
                    .col(boolean(Products::Marketplace).default(false))
                    .col(timestamp_with_time_zone(Products::CreatedAt))
                    .col(timestamp_with_time_zone(Products::UpdatedAt))
                    .foreign_key(
                        ForeignKey::create()
                            .from(Products::Table, Products::TenantId)
                            .to(Organizations::Table, Organizations::Id),
                    )
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(index(Products::Table, "ux_products_tenant_sku", &["tenant_id", "sku"]).unique().to_owned())
            .await?;

        manager
            .create_table(
                Table::create()
                    .table(ServicePlans::Table)
                    .col(big_pk_auto(ServicePlans::Id))
                    .col(big_integer(ServicePlans::TenantId))
                    .col(big_integer(ServicePlans::ProductId))
                    .col(string_len(ServicePlans::Code, 128))
                    .col(string(ServicePlans::Name))
                    .col(string_len(ServicePlans::Price, 64))
                    .col(string_len(ServicePlans::Currency, 3))
                    .col(string_len(ServicePlans::BillingInterval, 16))
                    .col(boolean(ServicePlans::Enabled).default(true))
                    .col(boolean(ServicePlans::Refundable).default(false))
                    .col(timestamp_with_time_zone(ServicePlans::CreatedAt))
                    .col(timestamp_with_time_zone(ServicePlans::UpdatedAt))
                    .foreign_key(
                        ForeignKey::create()
                            .from(ServicePlans::Table, ServicePlans::ProductId)
                            .to(Products::Table, Products::Id),
                    )
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                index(ServicePlans::Table, "ux_service_plans_tenant_code", &["tenant_id", "code"]).unique().to_owned(),
            )
            .await?;
        manager.create_index(index(ServicePlans::Table, "ix_service_plans_product", &["product_id"])).await?;

        manager
            .create_table(
                Table::create()
                    .table(Subscriptions::Table)
                    .col(big_pk_auto(Subscriptions::Id))
                    .col(big_integer(Subscriptions::TenantId))
                    .col(big_integer(Subscriptions::CustomerId))
                    .col(big_integer(Subscriptions::ResellerId))
                    .col(big_integer(Subscriptions::ProductId))
                    .col(big_integer_null(Subscriptions::PlanId))
                    .col(big_integer(Subscriptions::Quantity))
                    .col(string_len(Subscriptions::UnitPrice, 64))
                    .col(string_len(Subscriptions::Currency, 3))
                    .col(string_len(Subscriptions::BillingInterval, 16))
                    .col(string_len(Subscriptions::Status, 16))
                    .col(string_len(Subscriptions::LicenseStatus, 16))
                    .col(boolean(Subscriptions::Trial).default(false))
                    .col(string_null(Subscriptions::AssignedClient))
                    .col(date(Subscriptions::StartDate))
                    .col(date_null(Subscriptions::EndDate))
                    .col(timestamp_with_time_zone(Subscriptions::CreatedAt))
                    .col(timestamp_with_time_zone(Subscriptions::UpdatedAt))
                    .foreign_key(
                        ForeignKey::create()
                            .from(Subscriptions::Table, Subscriptions::CustomerId)
                            .to(Organizations::Table, Organizations::Id),
                    )
                    .foreign_key(
                        ForeignKey::create()
                            .from(Subscriptions::Table, Subscriptions::ResellerId)
                            .to(Organizations::Table, Organizations::Id),
                    )
                    .foreign_key(
                        ForeignKey::create()
                            .from(Subscriptions::Table, Subscriptions::ProductId)
                            .to(Products::Table, Products::Id),
                    )
                    .foreign_key(
                        ForeignKey::create()
                            .from(Subscriptions::Table, Subscriptions::PlanId)
                            .to(ServicePlans::Table, ServicePlans::Id),
                    )
                    .to_owned(),
            )
            .await?;
        let subs = Subscriptions::Table;
        manager.create_index(index(subs, "ix_subscriptions_reseller_start", &["reseller_id", "start_date"])).await?;
        manager.create_index(index(subs, "ix_subscriptions_customer", &["customer_id"])).await?;
        manager.create_index(index(subs, "ix_subscriptions_tenant_product", &["tenant_id", "product_id"])).await?;
        manager.create_index(index(subs, "ix_subscriptions_tenant_start", &["tenant_id", "start_date"])).await?;
        Ok(())
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager.drop_table(Table::drop().table(Subscriptions::Table).to_owned()).await?;
        manager.drop_table(Table::drop().table(ServicePlans::Table).to_owned()).await?;
        manager.drop_table(Table::drop().table(Products::Table).to_owned()).await
    }
}
