//! The data's generation: one counter that every commit changing what the dashboards read moves
//! on, so that the server's kept answers (`server/src/answers.rs`) last while only other data
//! changes — a login, an API key's last use, a usage refresh, a report being written.
//!
//! Before it, an answer was kept under the whole database's version (SQLite's `data_version`,
//! PostgreSQL's WAL position), which every commit moves: a busy morning's logins and the usage
//! refresh threw every answer away.
//!
//! The counter is moved by triggers on the tables the dashboards read that are written a few
//! rows at a time (organisations, products, subscriptions, issues…). The tables written a row
//! per line or rollup key (the line items and the rollups) have none: a trigger would fire
//! millions of times an import; their writers (an import, a re-rate, the rollups' rebuild and
//! fills) move it themselves instead (`store/src/data_generation.rs` lists every table as one or
//! the other, or as unread by the dashboards, and a test holds it to the schema).
//!
//! A writer moves it by adding a row to `data_generation_marks`, whose own trigger moves the
//! counter and takes the row out again. On PostgreSQL every one of these triggers is deferred to
//! the commit and moves the counter once per transaction: the counter's row is locked only from
//! then to the end, so two writers (imports of two trees) never wait on each other with it held.

use sea_orm_migration::prelude::*;
use sea_orm_migration::schema::*;
use sea_orm_migration::sea_orm::{ConnectionTrait, DbBackend};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden, Clone, Copy)]
enum DataGenerations {
    Table,
    Id,
    Generation,
}

#[derive(DeriveIden, Clone, Copy)]
enum DataGenerationMarks {
    Table,
    Id,
}

/// The tables read by the dashboards and written a few rows at a time: a trigger on each moves
/// the counter.
const COUNTED_BY_TRIGGERS: &[&str] = &[
    "organizations",
    "products",
    "product_services",
    "service_plans",
    "subscriptions",
    "fx_rates",
    "customer_billing_accounts",
    "billing_issues",
    "import_batches",
    "ledger_entries",
    "account_days",
    "onboarding_days",
    "segment_days",
];

const EVENTS: [&str; 3] = ["insert", "update", "delete"];

/// SQLite: a writer's mark moves the counter and is taken out.
const SQLITE_MARK_TRIGGER: &str = "CREATE TRIGGER tr_data_generation_marks AFTER INSERT ON data_generation_marks \
     BEGIN UPDATE data_generations SET generation = generation + 1; \
     DELETE FROM data_generation_marks WHERE id = NEW.id; END";

fn sqlite_trigger(table: &str, event: &str) -> String {
    format!(
        "CREATE TRIGGER tr_{table}_data_generation_{event} AFTER {} ON {table} \
         BEGIN UPDATE data_generations SET generation = generation + 1; END",
        event.to_uppercase()
    )
}

/// Once per transaction: the transaction-local setting remembers that it moved. A writer's mark
/// is taken out.
const POSTGRES_FUNCTION: &str = "CREATE FUNCTION data_generations_move() RETURNS TRIGGER AS $$
    BEGIN
        IF TG_TABLE_NAME = 'data_generation_marks' THEN
            DELETE FROM data_generation_marks WHERE id = NEW.id;
        END IF;
        IF current_setting('tierdash.data_generation_moved', true) IS DISTINCT FROM 'yes' THEN
            PERFORM set_config('tierdash.data_generation_moved', 'yes', true);
            UPDATE data_generations SET generation = generation + 1;
        END IF;
        RETURN NULL;
    END
    $$ LANGUAGE plpgsql";

fn postgres_trigger(table: &str) -> String {
    format!(
        "CREATE CONSTRAINT TRIGGER tr_{table}_data_generation AFTER INSERT OR UPDATE OR DELETE ON {table} \
         DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION data_generations_move()"
    )
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table(DataGenerations::Table)
                    .col(big_integer(DataGenerations::Id).primary_key())
                    .col(big_integer(DataGenerations::Generation).default(0))
                    .to_owned(),
            )
            .await?;
        manager
            .create_table(
                Table::create().table(DataGenerationMarks::Table).col(pk_auto(DataGenerationMarks::Id)).to_owned(),
            )
            .await?;
        let db = manager.get_connection();
        db.execute_unprepared("INSERT INTO data_generations (id, generation) VALUES (1, 0)").await?;
        if manager.get_database_backend() == DbBackend::Postgres {
            db.execute_unprepared(POSTGRES_FUNCTION).await?;
            for table in COUNTED_BY_TRIGGERS.iter().chain(&["data_generation_marks"]) {
                db.execute_unprepared(&postgres_trigger(table)).await?;
            }
        } else {
            db.execute_unprepared(SQLITE_MARK_TRIGGER).await?;
            for table in COUNTED_BY_TRIGGERS {
                for event in EVENTS {
                    db.execute_unprepared(&sqlite_trigger(table, event)).await?;
                }
            }
        }
        Ok(())
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        let db = manager.get_connection();
        if manager.get_database_backend() == DbBackend::Postgres {
            for table in COUNTED_BY_TRIGGERS.iter().chain(&["data_generation_marks"]) {
                db.execute_unprepared(&format!("DROP TRIGGER tr_{table}_data_generation ON {table}")).await?;
            }
            db.execute_unprepared("DROP FUNCTION data_generations_move()").await?;
        } else {
            db.execute_unprepared("DROP TRIGGER tr_data_generation_marks").await?;
            for table in COUNTED_BY_TRIGGERS {
                for event in EVENTS {
                    db.execute_unprepared(&format!("DROP TRIGGER tr_{table}_data_generation_{event}")).await?;
                }
            }
        }
        manager.drop_table(Table::drop().table(DataGenerationMarks::Table).to_owned()).await?;
        manager.drop_table(Table::drop().table(DataGenerations::Table).to_owned()).await
    }
}
