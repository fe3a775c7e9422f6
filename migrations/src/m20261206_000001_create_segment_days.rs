//! Customers opened and closed per tree, segment (empty when none) and UTC day, for the customers
//! Insights' segments count on a day at the top of a tree.
//!
//! Counted per segment from the organisations, a distributor's 100,000 customers were walked on
//! every request (docs/performance.md §14); summed from this table they cost one row per segment
//! and day with an opening or closing. Kept by triggers on `organizations`, as `account_days`
//! is (`m20261123_000004`): every write keeps it exact in its own transaction, a change of
//! segment included. Filled here from the customers already stored.

use sea_orm_migration::prelude::*;
use sea_orm_migration::schema::*;
use sea_orm_migration::sea_orm::{ConnectionTrait, DbBackend};

use crate::index;

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden, Clone, Copy)]
enum SegmentDays {
    Table,
    TenantId,
    Segment,
    Day,
    Opened,
    Closed,
}

/// SQLite: a new customer's opening and closing days counted in…
const SQLITE_ADD_NEW: &str = "
        INSERT INTO segment_days (tenant_id, segment, day, opened, closed)
            SELECT NEW.tenant_id, COALESCE(NEW.segment, ''), substr(NEW.created_at, 1, 10), 1, 0
            WHERE NEW.kind = 'customer'
            ON CONFLICT (tenant_id, segment, day) DO UPDATE SET opened = opened + 1;
        INSERT INTO segment_days (tenant_id, segment, day, opened, closed)
            SELECT NEW.tenant_id, COALESCE(NEW.segment, ''), substr(NEW.closed_at, 1, 10), 0, 1
            WHERE NEW.kind = 'customer' AND NEW.closed_at IS NOT NULL
            ON CONFLICT (tenant_id, segment, day) DO UPDATE SET closed = closed + 1;";

/// …and an old one's taken out.
const SQLITE_TAKE_OLD: &str = "
        UPDATE segment_days SET opened = opened - 1
            WHERE OLD.kind = 'customer' AND tenant_id = OLD.tenant_id
              AND segment = COALESCE(OLD.segment, '') AND day = substr(OLD.created_at, 1, 10);
        UPDATE segment_days SET closed = closed - 1
            WHERE OLD.kind = 'customer' AND OLD.closed_at IS NOT NULL AND tenant_id = OLD.tenant_id
              AND segment = COALESCE(OLD.segment, '') AND day = substr(OLD.closed_at, 1, 10);";

/// SQLite: one trigger per event, as for `account_days`.
fn sqlite_triggers() -> Vec<String> {
    let trigger = |event: &str, on: &str, body: &str| {
        format!("CREATE TRIGGER tr_organizations_segment_days_{event} AFTER {on} ON organizations BEGIN{body}\n    END")
    };
    vec![
        trigger("insert", "INSERT", SQLITE_ADD_NEW),
        trigger(
            "update",
            "UPDATE OF tenant_id, kind, segment, created_at, closed_at",
            &format!("{SQLITE_TAKE_OLD}{SQLITE_ADD_NEW}"),
        ),
        trigger("delete", "DELETE", SQLITE_TAKE_OLD),
    ]
}

/// PostgreSQL: one function for every event; the day is the timestamp's UTC date.
const POSTGRES_TRIGGERS: &[&str] = &[
    "CREATE FUNCTION segment_days_add(t BIGINT, s VARCHAR, at TIMESTAMPTZ, o BIGINT, c BIGINT) RETURNS VOID AS $$
        INSERT INTO segment_days (tenant_id, segment, day, opened, closed)
            VALUES (t, COALESCE(s, ''), (at AT TIME ZONE 'UTC')::date, o, c)
            ON CONFLICT (tenant_id, segment, day)
            DO UPDATE SET opened = segment_days.opened + o, closed = segment_days.closed + c
    $$ LANGUAGE sql",
    "CREATE FUNCTION organizations_segment_days() RETURNS TRIGGER AS $$
    BEGIN
        IF TG_OP IN ('UPDATE', 'DELETE') AND OLD.kind = 'customer' THEN
            PERFORM segment_days_add(OLD.tenant_id, OLD.segment, OLD.created_at, -1, 0);
            IF OLD.closed_at IS NOT NULL THEN
                PERFORM segment_days_add(OLD.tenant_id, OLD.segment, OLD.closed_at, 0, -1);
            END IF;
        END IF;
        IF TG_OP IN ('INSERT', 'UPDATE') AND NEW.kind = 'customer' THEN
            PERFORM segment_days_add(NEW.tenant_id, NEW.segment, NEW.created_at, 1, 0);
            IF NEW.closed_at IS NOT NULL THEN
                PERFORM segment_days_add(NEW.tenant_id, NEW.segment, NEW.closed_at, 0, 1);
            END IF;
        END IF;
        RETURN NULL;
    END
    $$ LANGUAGE plpgsql",
    "CREATE TRIGGER tr_organizations_segment_days
        AFTER INSERT OR UPDATE OF tenant_id, kind, segment, created_at, closed_at OR DELETE ON organizations
        FOR EACH ROW EXECUTE FUNCTION organizations_segment_days()",
];

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table(SegmentDays::Table)
                    .col(big_integer(SegmentDays::TenantId))
                    .col(string_len(SegmentDays::Segment, 32))
                    .col(date(SegmentDays::Day))
                    .col(big_integer(SegmentDays::Opened).default(0))
                    .col(big_integer(SegmentDays::Closed).default(0))
                    .to_owned(),
            )
            .await?;
        let mut grain = index(SegmentDays::Table, "ux_segment_days_grain", &["tenant_id", "segment", "day"]);
        manager.create_index(grain.unique().to_owned()).await?;
        let db = manager.get_connection();
        let postgres = manager.get_database_backend() == DbBackend::Postgres;
        let triggers: Vec<String> =
            if postgres { POSTGRES_TRIGGERS.iter().map(|t| String::from(*t)).collect() } else { sqlite_triggers() };
        let day_of = |c: &str| {
            if postgres { format!("({c} AT TIME ZONE 'UTC')::date") } else { format!("substr({c}, 1, 10)") }
        };
        db.execute_unprepared(&format!(
            "INSERT INTO segment_days (tenant_id, segment, day, opened, closed)
             SELECT tenant_id, segment, day, SUM(opened), SUM(closed) FROM (
                 SELECT tenant_id, COALESCE(segment, '') AS segment, {created} AS day, 1 AS opened, 0 AS closed
                     FROM organizations WHERE kind = 'customer'
                 UNION ALL
                 SELECT tenant_id, COALESCE(segment, ''), {closed}, 0, 1
                     FROM organizations WHERE kind = 'customer' AND closed_at IS NOT NULL
             ) AS events GROUP BY tenant_id, segment, day",
            created = day_of("created_at"),
            closed = day_of("closed_at"),
        ))
        .await?;
        for trigger in &triggers {
            db.execute_unprepared(trigger).await?;
        }
        Ok(())
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        let db = manager.get_connection();
        match manager.get_database_backend() {
            DbBackend::Postgres => {
                db.execute_unprepared("DROP TRIGGER tr_organizations_segment_days ON organizations").await?;
                db.execute_unprepared("DROP FUNCTION organizations_segment_days()").await?;
                db.execute_unprepared("DROP FUNCTION segment_days_add(BIGINT, VARCHAR, TIMESTAMPTZ, BIGINT, BIGINT)")
                    .await?;
            }
            _ => {
                for event in ["insert", "update", "delete"] {
                    db.execute_unprepared(&format!("DROP TRIGGER tr_organizations_segment_days_{event}")).await?;
                }
            }
        }
        manager.drop_table(Table::drop().table(SegmentDays::Table).to_owned()).await
    }
}
