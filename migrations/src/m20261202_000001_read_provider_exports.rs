//! What a provider's FOCUS export says of a line, kept; the provider accounts a customer owns;
//! and the counts of an unmapped-SKU billing issue (docs/import.md §2, §6).
//!
//! - Line items gain the accounts they were billed to (`BillingAccountId` and `SubAccountId`
//!   with their names), their billing period, invoice and classification. Lines stored before
//!   have none, except their billing period, which is their charge period's month, and their
//!   billing account, which was the customer key they were imported with.
//! - `customer_billing_accounts`: each provider account id a customer owns, unique in its tree.
//! - Line items are found by (tree, billing period, billing account), for restated periods.
//! - `product_services`: the `ServiceName`s a product covers, each covered once in a tree.
//! - Billing issues gain the SKU, line count and revenue of an `unmapped_product` issue.

use sea_orm_migration::prelude::*;
use sea_orm_migration::schema::*;
use sea_orm_migration::sea_orm::ConnectionTrait;

use crate::index;

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden, Clone, Copy)]
enum BillingLineItems {
    Table,
}

#[derive(DeriveIden, Clone, Copy)]
enum BillingIssues {
    Table,
}

#[derive(DeriveIden, Clone, Copy)]
enum CustomerBillingAccounts {
    Table,
    Id,
    TenantId,
    CustomerId,
    AccountId,
}

#[derive(DeriveIden, Clone, Copy)]
enum Organizations {
    Table,
    Id,
}

#[derive(DeriveIden, Clone, Copy)]
enum ProductServices {
    Table,
    Id,
    TenantId,
    ProductId,
    Service,
}

#[derive(DeriveIden, Clone, Copy)]
enum Products {
    Table,
    Id,
}

/// The new text columns of the line items.
const LINE_TEXTS: &[&str] = &[
    "billing_account_id",
    "billing_account_name",
    "sub_account_id",
    "sub_account_name",
    "billing_period",
    "invoice_id",
    "invoice_issuer",
    "publisher",
    "host_provider",
    "charge_class",
    "service_category",
    "region_id",
    "consumed_quantity",
];

const LINE_PERIOD: &str = "ix_billing_line_items_period";
const ACCOUNT_UNIQUE: &str = "ux_customer_billing_accounts_tenant_account";
const ACCOUNT_CUSTOMER: &str = "ix_customer_billing_accounts_customer";
const SERVICE_UNIQUE: &str = "ux_product_services_tenant_service";

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        // One column per statement: SQLite alters one at a time.
        for column in LINE_TEXTS {
            manager
                .alter_table(
                    Table::alter()
                        .table(BillingLineItems::Table)
                        .add_column(ColumnDef::new(Alias::new(*column)).string().null())
                        .to_owned(),
                )
                .await?;
        }
        let db = manager.get_connection();
        db.execute_unprepared(
            "UPDATE billing_line_items SET billing_period = month, billing_account_id = customer_external_id",
        )
        .await?;
        // A restated period's stored lines are found by it (docs/import.md §5).
        let lines = BillingLineItems::Table;
        manager.create_index(index(lines, LINE_PERIOD, &["tenant_id", "billing_period", "billing_account_id"])).await?;
        for def in [
            ColumnDef::new(Alias::new("sku")).string().null().to_owned(),
            ColumnDef::new(Alias::new("lines")).big_integer().null().to_owned(),
            ColumnDef::new(Alias::new("amount_usd")).string().null().to_owned(),
        ] {
            manager.alter_table(Table::alter().table(BillingIssues::Table).add_column(def).to_owned()).await?;
        }
        manager
            .create_table(
                Table::create()
                    .table(CustomerBillingAccounts::Table)
                    .col(big_pk_auto(CustomerBillingAccounts::Id))
                    .col(big_integer(CustomerBillingAccounts::TenantId))
                    .col(big_integer(CustomerBillingAccounts::CustomerId))
                    .col(string(CustomerBillingAccounts::AccountId))
                    .foreign_key(
                        ForeignKey::create()
                            .from(CustomerBillingAccounts::Table, CustomerBillingAccounts::CustomerId)
                            .to(Organizations::Table, Organizations::Id)
                            .on_delete(ForeignKeyAction::Cascade),
                    )
                    .to_owned(),
            )
            .await?;
        let accounts = CustomerBillingAccounts::Table;
        manager.create_index(index(accounts, ACCOUNT_UNIQUE, &["tenant_id", "account_id"]).unique().to_owned()).await?;
        manager.create_index(index(accounts, ACCOUNT_CUSTOMER, &["customer_id"])).await?;
        manager
            .create_table(
                Table::create()
                    .table(ProductServices::Table)
                    .col(big_pk_auto(ProductServices::Id))
                    .col(big_integer(ProductServices::TenantId))
                    .col(big_integer(ProductServices::ProductId))
                    .col(string(ProductServices::Service))
                    .foreign_key(
                        ForeignKey::create()
                            .from(ProductServices::Table, ProductServices::ProductId)
                            .to(Products::Table, Products::Id)
                            .on_delete(ForeignKeyAction::Cascade),
                    )
                    .to_owned(),
            )
            .await?;
        let services = ProductServices::Table;
        manager.create_index(index(services, SERVICE_UNIQUE, &["tenant_id", "service"]).unique().to_owned()).await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager.drop_table(Table::drop().table(ProductServices::Table).to_owned()).await?;
        manager.drop_table(Table::drop().table(CustomerBillingAccounts::Table).to_owned()).await?;
        for column in ["sku", "lines", "amount_usd"] {
            manager
                .alter_table(Table::alter().table(BillingIssues::Table).drop_column(Alias::new(column)).to_owned())
                .await?;
        }
        manager.drop_index(Index::drop().name(LINE_PERIOD).table(BillingLineItems::Table).to_owned()).await?;
        for column in LINE_TEXTS {
            manager
                .alter_table(Table::alter().table(BillingLineItems::Table).drop_column(Alias::new(*column)).to_owned())
                .await?;
        }
        Ok(())
    }
}
