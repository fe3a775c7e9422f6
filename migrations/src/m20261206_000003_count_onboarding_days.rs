//! Customers still onboarding, opened and closed per tree and UTC day, for the distributor's
//! Home page; and an index that lists them by how long they have been in their stage.
//!
//! The onboarding pane counted and ordered every customer of the tree in an open stage on every
//! request: 20,093 index entries in a tree of a million customers, where Home's other figures
//! cost the same at any size (docs/performance.md §15). The count is now summed from this table,
//! one row per day with an opening or closing, as `account_days` sums the accounts
//! (`m20261123_000004`). A customer counts while its stage (now) is not `completed`; a change of
//! stage takes it out or puts it back. Kept by triggers on `organizations`, filled here from the
//! customers already stored.
//!
//! The page of the longest in their stage is read per open stage from an index ordered by the
//! stage's date (`COALESCE(onboarding_stage_at, created_at)`, then id), each read stopping after
//! a page. It replaces the tree's index on (tree, kind, stage, created, closed, stage since),
//! which only the pane read.

use sea_orm_migration::prelude::*;
use sea_orm_migration::schema::*;
use sea_orm_migration::sea_orm::{ConnectionTrait, DbBackend};

use crate::index;

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden, Clone, Copy)]
enum OnboardingDays {
    Table,
    TenantId,
    Day,
    Opened,
    Closed,
}

#[derive(DeriveIden, Clone, Copy)]
enum Organizations {
    Table,
}

/// The index the page is read from; its expression is the one the reading statement orders by.
/// Covering (the stage's date too): SQLite, with no statistics, took the (tree, kind, created)
/// index and sorted every onboarding customer when it had to read rows from the table anyway.
const STAGE_SINCE_INDEX: &str = "CREATE INDEX ix_organizations_tenant_stage_since ON organizations \
     (tenant_id, kind, onboarding_stage, (COALESCE(onboarding_stage_at, created_at)), id, created_at, closed_at, \
      onboarding_stage_at)";

/// The index it replaces, for `down`.
const REPLACED_INDEX: (&str, &[&str]) = (
    "ix_organizations_tenant_onboarding",
    &["tenant_id", "kind", "onboarding_stage", "created_at", "closed_at", "onboarding_stage_at"],
);

/// Whether the row (`NEW.`, `OLD.` or the table's own, "") counts: a customer whose stage is set
/// and not completed.
fn onboarding(row: &str) -> String {
    format!("{row}kind = 'customer' AND {row}onboarding_stage <> 'completed'")
}

/// SQLite: a new onboarding customer's opening and closing days counted in…
fn sqlite_add_new() -> String {
    let new = onboarding("NEW.");
    format!(
        "
        INSERT INTO onboarding_days (tenant_id, day, opened, closed)
            SELECT NEW.tenant_id, substr(NEW.created_at, 1, 10), 1, 0 WHERE {new}
            ON CONFLICT (tenant_id, day) DO UPDATE SET opened = opened + 1;
        INSERT INTO onboarding_days (tenant_id, day, opened, closed)
            SELECT NEW.tenant_id, substr(NEW.closed_at, 1, 10), 0, 1 WHERE {new} AND NEW.closed_at IS NOT NULL
            ON CONFLICT (tenant_id, day) DO UPDATE SET closed = closed + 1;"
    )
}

/// …and an old one's taken out.
fn sqlite_take_old() -> String {
    let old = onboarding("OLD.");
    format!(
        "
        UPDATE onboarding_days SET opened = opened - 1
            WHERE {old} AND tenant_id = OLD.tenant_id AND day = substr(OLD.created_at, 1, 10);
        UPDATE onboarding_days SET closed = closed - 1
            WHERE {old} AND OLD.closed_at IS NOT NULL
              AND tenant_id = OLD.tenant_id AND day = substr(OLD.closed_at, 1, 10);"
    )
}

/// SQLite: one trigger per event, as for `account_days`.
fn sqlite_triggers() -> Vec<String> {
    let trigger = |event: &str, on: &str, body: &str| {
        format!(
            "CREATE TRIGGER tr_organizations_onboarding_days_{event} AFTER {on} ON organizations BEGIN{body}\n    END"
        )
    };
    vec![
        trigger("insert", "INSERT", &sqlite_add_new()),
        trigger(
            "update",
            "UPDATE OF tenant_id, kind, onboarding_stage, created_at, closed_at",
            &format!("{}{}", sqlite_take_old(), sqlite_add_new()),
        ),
        trigger("delete", "DELETE", &sqlite_take_old()),
    ]
}

/// PostgreSQL: one function for every event; the day is the timestamp's UTC date.
fn postgres_triggers() -> Vec<String> {
    let (old, new) = (onboarding("OLD."), onboarding("NEW."));
    vec![
        "CREATE FUNCTION onboarding_days_add(t BIGINT, at TIMESTAMPTZ, o BIGINT, c BIGINT) RETURNS VOID AS $$
        INSERT INTO onboarding_days (tenant_id, day, opened, closed)
            VALUES (t, (at AT TIME ZONE 'UTC')::date, o, c)
            ON CONFLICT (tenant_id, day)
            DO UPDATE SET opened = onboarding_days.opened + o, closed = onboarding_days.closed + c
    $$ LANGUAGE sql"
            .to_owned(),
        format!(
            "CREATE FUNCTION organizations_onboarding_days() RETURNS TRIGGER AS $$
    BEGIN
        IF TG_OP IN ('UPDATE', 'DELETE') AND {old} THEN
            PERFORM onboarding_days_add(OLD.tenant_id, OLD.created_at, -1, 0);
            IF OLD.closed_at IS NOT NULL THEN
                PERFORM onboarding_days_add(OLD.tenant_id, OLD.closed_at, 0, -1);
            END IF;
        END IF;
        IF TG_OP IN ('INSERT', 'UPDATE') AND {new} THEN
            PERFORM onboarding_days_add(NEW.tenant_id, NEW.created_at, 1, 0);
            IF NEW.closed_at IS NOT NULL THEN
                PERFORM onboarding_days_add(NEW.tenant_id, NEW.closed_at, 0, 1);
            END IF;
        END IF;
        RETURN NULL;
    END
    $$ LANGUAGE plpgsql"
        ),
        "CREATE TRIGGER tr_organizations_onboarding_days
        AFTER INSERT OR UPDATE OF tenant_id, kind, onboarding_stage, created_at, closed_at OR DELETE ON organizations
        FOR EACH ROW EXECUTE FUNCTION organizations_onboarding_days()"
            .to_owned(),
    ]
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table(OnboardingDays::Table)
                    .col(big_integer(OnboardingDays::TenantId))
                    .col(date(OnboardingDays::Day))
                    .col(big_integer(OnboardingDays::Opened).default(0))
                    .col(big_integer(OnboardingDays::Closed).default(0))
                    .to_owned(),
            )
            .await?;
        let mut grain = index(OnboardingDays::Table, "ux_onboarding_days_grain", &["tenant_id", "day"]);
        manager.create_index(grain.unique().to_owned()).await?;
        let db = manager.get_connection();
        let postgres = manager.get_database_backend() == DbBackend::Postgres;
        let day_of = |c: &str| {
            if postgres { format!("({c} AT TIME ZONE 'UTC')::date") } else { format!("substr({c}, 1, 10)") }
        };
        db.execute_unprepared(&format!(
            "INSERT INTO onboarding_days (tenant_id, day, opened, closed)
             SELECT tenant_id, day, SUM(opened), SUM(closed) FROM (
                 SELECT tenant_id, {created} AS day, 1 AS opened, 0 AS closed FROM organizations WHERE {counted}
                 UNION ALL
                 SELECT tenant_id, {closed}, 0, 1 FROM organizations WHERE {counted} AND closed_at IS NOT NULL
             ) AS events GROUP BY tenant_id, day",
            created = day_of("created_at"),
            closed = day_of("closed_at"),
            counted = onboarding(""),
        ))
        .await?;
        for trigger in if postgres { postgres_triggers() } else { sqlite_triggers() } {
            db.execute_unprepared(&trigger).await?;
        }
        db.execute_unprepared(STAGE_SINCE_INDEX).await?;
        manager.drop_index(Index::drop().name(REPLACED_INDEX.0).table(Organizations::Table).to_owned()).await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        let db = manager.get_connection();
        manager.create_index(index(Organizations::Table, REPLACED_INDEX.0, REPLACED_INDEX.1)).await?;
        manager
            .drop_index(
                Index::drop().name("ix_organizations_tenant_stage_since").table(Organizations::Table).to_owned(),
            )
            .await?;
        match manager.get_database_backend() {
            DbBackend::Postgres => {
                db.execute_unprepared("DROP TRIGGER tr_organizations_onboarding_days ON organizations").await?;
                db.execute_unprepared("DROP FUNCTION organizations_onboarding_days()").await?;
                db.execute_unprepared("DROP FUNCTION onboarding_days_add(BIGINT, TIMESTAMPTZ, BIGINT, BIGINT)").await?;
            }
            _ => {
                for event in ["insert", "update", "delete"] {
                    db.execute_unprepared(&format!("DROP TRIGGER tr_organizations_onboarding_days_{event}")).await?;
                }
            }
        }
        manager.drop_table(Table::drop().table(OnboardingDays::Table).to_owned()).await
    }
}
