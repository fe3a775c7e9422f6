//! The usage's generation: a second counter, beside the data's (`m20261206_000005`), that every
//! commit changing what the usage pages read beyond the dashboards' data moves on — a usage
//! refresh's snapshot or record, a report created or moving on — so that the server keeps the
//! usage pages' answers too (`server/src/answers.rs`): they are read as often as the
//! dashboards, and a page of resellers took milliseconds where a kept answer takes a lookup.
//!
//! It is a counter of its own, not the data's, so that a report being written or the usage
//! refresh leave the dashboards' kept answers as they were; and a row of its own table, so that
//! on PostgreSQL a report's writer and an import's commit never wait on one row.
//!
//! Triggers on the usage refreshes' records, the reports and the tree's usage months move it.
//! The snapshot's other tables (`usage_rows`, `usage_tree_services`, `usage_reseller_months`)
//! are written only by the refresh, in a transaction that replaces the month's row of
//! `usage_tree_months` (`store/src/usage/refresh.rs`), whose trigger moves it then. On
//! PostgreSQL the triggers are deferred to the commit and move the counter once per transaction,
//! as the data's do.

use sea_orm_migration::prelude::*;
use sea_orm_migration::schema::*;
use sea_orm_migration::sea_orm::{ConnectionTrait, DbBackend};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden, Clone, Copy)]
enum UsageGenerations {
    Table,
    Id,
    Generation,
}

/// The tables whose writes move the usage's generation.
const COUNTED_BY_TRIGGERS: &[&str] = &["usage_refreshes", "usage_tree_months", "reports"];

const EVENTS: [&str; 3] = ["insert", "update", "delete"];

fn sqlite_trigger(table: &str, event: &str) -> String {
    format!(
        "CREATE TRIGGER tr_{table}_usage_generation_{event} AFTER {} ON {table} \
         BEGIN UPDATE usage_generations SET generation = generation + 1; END",
        event.to_uppercase()
    )
}

/// Once per transaction, as `data_generations_move` (its own transaction-local setting).
const POSTGRES_FUNCTION: &str = "CREATE FUNCTION usage_generations_move() RETURNS TRIGGER AS $$
    BEGIN
        IF current_setting('tierdash.usage_generation_moved', true) IS DISTINCT FROM 'yes' THEN
            PERFORM set_config('tierdash.usage_generation_moved', 'yes', true);
            UPDATE usage_generations SET generation = generation + 1;
        END IF;
        RETURN NULL;
    END
    $$ LANGUAGE plpgsql";

fn postgres_trigger(table: &str) -> String {
    format!(
        "CREATE CONSTRAINT TRIGGER tr_{table}_usage_generation AFTER INSERT OR UPDATE OR DELETE ON {table} \
         DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION usage_generations_move()"
    )
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table(UsageGenerations::Table)
                    .col(big_integer(UsageGenerations::Id).primary_key())
                    .col(big_integer(UsageGenerations::Generation).default(0))
                    .to_owned(),
            )
            .await?;
        let db = manager.get_connection();
        db.execute_unprepared("INSERT INTO usage_generations (id, generation) VALUES (1, 0)").await?;
        if manager.get_database_backend() == DbBackend::Postgres {
            db.execute_unprepared(POSTGRES_FUNCTION).await?;
            for table in COUNTED_BY_TRIGGERS {
                db.execute_unprepared(&postgres_trigger(table)).await?;
            }
        } else {
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
            for table in COUNTED_BY_TRIGGERS {
                db.execute_unprepared(&format!("DROP TRIGGER tr_{table}_usage_generation ON {table}")).await?;
            }
            db.execute_unprepared("DROP FUNCTION usage_generations_move()").await?;
        } else {
            for table in COUNTED_BY_TRIGGERS {
                for event in EVENTS {
                    db.execute_unprepared(&format!("DROP TRIGGER tr_{table}_usage_generation_{event}")).await?;
                }
            }
        }
        manager.drop_table(Table::drop().table(UsageGenerations::Table).to_owned()).await
    }
}
