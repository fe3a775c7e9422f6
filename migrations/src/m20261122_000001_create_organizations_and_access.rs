//! Organisations (the distributor → reseller → customer tree), users and API keys.

use sea_orm_migration::{prelude::*, schema::*};

use crate::index;

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden, Clone, Copy)]
pub enum Organizations {
    Table,
    Id,
    /// The root of the tree the organisation belongs to (its own id for a root). A
    /// distributor's subtree is `tenant_id = distributor`, one indexed comparison.
    TenantId,
    ParentId,
    Kind,
    Name,
    ExternalId,
    Domain,
    Country,
    Segment,
    Status,
    CreatedAt,
    ClosedAt,
    OnboardingStage,
    OnboardingStageAt,
    AgreementStatus,
    VettingStatus,
    BalanceCurrency,
    UpdatedAt,
}

#[derive(DeriveIden, Clone, Copy)]
pub enum Users {
    Table,
    Id,
    OrgId,
    Email,
    Name,
    Role,
    PasswordHash,
    Disabled,
    FailedLogins,
    LockedUntil,
    LastLoginAt,
    CreatedAt,
    UpdatedAt,
}

#[derive(DeriveIden, Clone, Copy)]
pub enum ApiKeys {
    Table,
    Id,
    OrgId,
    CreatedBy,
    Name,
    Role,
    Prefix,
    SecretHash,
    CreatedAt,
    ExpiresAt,
    RevokedAt,
    LastUsedAt,
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table(Organizations::Table)
                    .col(big_pk_auto(Organizations::Id))
                    .col(big_integer(Organizations::TenantId))
                    .col(big_integer_null(Organizations::ParentId))
                    .col(string_len(Organizations::Kind, 16))
                    .col(string(Organizations::Name))
                    .col(string_null(Organizations::ExternalId))
                    .col(string_null(Organizations::Domain))
                    .col(string_len_null(Organizations::Country, 2))
                    .col(string_len_null(Organizations::Segment, 32))
                    .col(string_len(Organizations::Status, 16))
                    .col(timestamp_with_time_zone(Organizations::CreatedAt))
                    .col(timestamp_with_time_zone_null(Organizations::ClosedAt))
                    .col(string_len_null(Organizations::OnboardingStage, 32))
                    .col(timestamp_with_time_zone_null(Organizations::OnboardingStageAt))
                    .col(string_len_null(Organizations::AgreementStatus, 32))
                    .col(string_len_null(Organizations::VettingStatus, 32))
                    .col(string_len_null(Organizations::BalanceCurrency, 3))
                    .col(timestamp_with_time_zone(Organizations::UpdatedAt))
                    .foreign_key(
                        ForeignKey::create()
                            .from(Organizations::Table, Organizations::ParentId)
                            .to(Organizations::Table, Organizations::Id),
                    )
                    .to_owned(),
            )
            .await?;
        let orgs = Organizations::Table;
        manager
            .create_index(
                index(orgs, "ux_organizations_tenant_external", &["tenant_id", "external_id"]).unique().to_owned(),
            )
            .await?;
        manager.create_index(index(orgs, "ix_organizations_tenant_kind", &["tenant_id", "kind"])).await?;
        manager.create_index(index(orgs, "ix_organizations_parent", &["parent_id", "kind"])).await?;
        manager.create_index(index(orgs, "ix_organizations_tenant_created", &["tenant_id", "created_at"])).await?;

        manager
            .create_table(
                Table::create()
                    .table(Users::Table)
                    .col(big_pk_auto(Users::Id))
                    .col(big_integer(Users::OrgId))
                    .col(string_uniq(Users::Email))
                    .col(string(Users::Name))
                    .col(string_len(Users::Role, 32))
                    .col(string(Users::PasswordHash))
                    .col(boolean(Users::Disabled).default(false))
                    .col(integer(Users::FailedLogins).default(0))
                    .col(timestamp_with_time_zone_null(Users::LockedUntil))
                    .col(timestamp_with_time_zone_null(Users::LastLoginAt))
                    .col(timestamp_with_time_zone(Users::CreatedAt))
                    .col(timestamp_with_time_zone(Users::UpdatedAt))
                    .foreign_key(
                        ForeignKey::create()
                            .from(Users::Table, Users::OrgId)
                            .to(Organizations::Table, Organizations::Id),
                    )
                    .to_owned(),
            )
            .await?;
        manager.create_index(index(Users::Table, "ix_users_org", &["org_id"])).await?;

        manager
            .create_table(
                Table::create()
                    .table(ApiKeys::Table)
                    .col(big_pk_auto(ApiKeys::Id))
                    .col(big_integer(ApiKeys::OrgId))
                    .col(big_integer(ApiKeys::CreatedBy))
                    .col(string(ApiKeys::Name))
                    .col(string_len(ApiKeys::Role, 32))
                    .col(string_len_uniq(ApiKeys::Prefix, 32))
                    .col(string_len(ApiKeys::SecretHash, 64))
                    .col(timestamp_with_time_zone(ApiKeys::CreatedAt))
                    .col(timestamp_with_time_zone_null(ApiKeys::ExpiresAt))
                    .col(timestamp_with_time_zone_null(ApiKeys::RevokedAt))
                    .col(timestamp_with_time_zone_null(ApiKeys::LastUsedAt))
                    .foreign_key(
                        ForeignKey::create()
                            .from(ApiKeys::Table, ApiKeys::OrgId)
                            .to(Organizations::Table, Organizations::Id),
                    )
                    .foreign_key(
                        ForeignKey::create().from(ApiKeys::Table, ApiKeys::CreatedBy).to(Users::Table, Users::Id),
                    )
                    .to_owned(),
            )
            .await?;
        manager.create_index(index(ApiKeys::Table, "ix_api_keys_org", &["org_id"])).await?;
        Ok(())
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager.drop_table(Table::drop().table(ApiKeys::Table).to_owned()).await?;
        manager.drop_table(Table::drop().table(Users::Table).to_owned()).await?;
        manager.drop_table(Table::drop().table(Organizations::Table).to_owned()).await
    }
}
