//! Organisations opened and closed per tree, kind and UTC day, for the Home page's account
//! counts at the top of a tree.
//!
//! A distributor's customers counted on a day were an index range count over every customer,
//! on every Home request (docs/performance.md §11); summed from this
//! table they cost one row per day with an opening or closing, whatever the number of
//! customers. The table is kept by triggers on `organizations`, so that every write (the API,
//! the demo data, an operator's SQL, a benchmark's bulk insert) keeps it exact, in the same
//! transaction as the write. It is filled here from the organisations already stored.

use sea_orm_migration::prelude::*;
use sea_orm_migration::schema::*;
use sea_orm_migration::sea_orm::{ConnectionTrait, DbBackend};

use crate::index;

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden, Clone, Copy)]
enum AccountDays {
    Table,
    TenantId,
    Kind,
    Day,
    Opened,
    Closed,
}

/// SQLite: the new row's opening and closing days counted in…
const SQLITE_ADD_NEW: &str = "
        INSERT INTO account_days (tenant_id, kind, day, opened, closed)
            VALUES (NEW.tenant_id, NEW.kind, substr(NEW.created_at, 1, 10), 1, 0)
            ON CONFLICT (tenant_id, kind, day) DO UPDATE SET opened = opened + 1;
        INSERT INTO account_days (tenant_id, kind, day, opened, closed)
            SELECT NEW.tenant_id, NEW.kind, substr(NEW.closed_at, 1, 10), 0, 1 WHERE NEW.closed_at IS NOT NULL
            ON CONFLICT (tenant_id, kind, day) DO UPDATE SET closed = closed + 1;";

/// …and the old row's taken out.
const SQLITE_TAKE_OLD: &str = "
        UPDATE account_days SET opened = opened - 1
            WHERE tenant_id = OLD.tenant_id AND kind = OLD.kind AND day = substr(OLD.created_at, 1, 10);
        UPDATE account_days SET closed = closed - 1
            WHERE OLD.closed_at IS NOT NULL
              AND tenant_id = OLD.tenant_id AND kind = OLD.kind AND day = substr(OLD.closed_at, 1, 10);";

/// SQLite: one trigger per event (an update takes the old row out and counts the new one in);
/// `substr(…, 1, 10)` is the UTC day of a stored timestamp (stored in UTC as `YYYY-MM-DD…`).
fn sqlite_triggers() -> Vec<String> {
    let trigger = |event: &str, on: &str, body: &str| {
        format!("CREATE TRIGGER tr_organizations_account_days_{event} AFTER {on} ON organizations BEGIN{body}\n    END")
    };
    vec![
        trigger("insert", "INSERT", SQLITE_ADD_NEW),
        trigger(
            "update",
            "UPDATE OF tenant_id, kind, created_at, closed_at",
            &format!("{SQLITE_TAKE_OLD}{SQLITE_ADD_NEW}"),
        ),
        trigger("delete", "DELETE", SQLITE_TAKE_OLD),
    ]
}

/// PostgreSQL: one function for every event; the day is the timestamp's UTC date.
const POSTGRES_TRIGGERS: &[&str] = &[
    "CREATE FUNCTION account_days_add(t BIGINT, k VARCHAR, at TIMESTAMPTZ, o BIGINT, c BIGINT) RETURNS VOID AS $$
        INSERT INTO account_days (tenant_id, kind, day, opened, closed)
            VALUES (t, k, (at AT TIME ZONE 'UTC')::date, o, c)
            ON CONFLICT (tenant_id, kind, day)
            DO UPDATE SET opened = account_days.opened + o, closed = account_days.closed + c
    $$ LANGUAGE sql",
    "CREATE FUNCTION organizations_account_days() RETURNS TRIGGER AS $$
    BEGIN
        IF TG_OP IN ('UPDATE', 'DELETE') THEN
            PERFORM account_days_add(OLD.tenant_id, OLD.kind, OLD.created_at, -1, 0);
            IF OLD.closed_at IS NOT NULL THEN
                PERFORM account_days_add(OLD.tenant_id, OLD.kind, OLD.closed_at, 0, -1);
            END IF;
        END IF;
        IF TG_OP IN ('INSERT', 'UPDATE') THEN
            PERFORM account_days_add(NEW.tenant_id, NEW.kind, NEW.created_at, 1, 0);
            IF NEW.closed_at IS NOT NULL THEN
                PERFORM account_days_add(NEW.tenant_id, NEW.kind, NEW.closed_at, 0, 1);
            END IF;
        END IF;
        RETURN NULL;
    END
    $$ LANGUAGE plpgsql",
    "CREATE TRIGGER tr_organizations_account_days
        AFTER INSERT OR UPDATE OF tenant_id, kind, created_at, closed_at OR DELETE ON organizations
        FOR EACH ROW EXECUTE FUNCTION organizations_account_days()",
];

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table(AccountDays::Table)
                    .col(big_integer(AccountDays::TenantId))
                    .col(string_len(AccountDays::Kind, 16))
                    .col(date(AccountDays::Day))
                    .col(big_integer(AccountDays::Opened).default(0))
                    .col(big_integer(AccountDays::Closed).default(0))
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                index(AccountDays::Table, "ux_account_days_grain", &["tenant_id", "kind", "day"]).unique().to_owned(),
            )
            .await?;
        let db = manager.get_connection();
        let postgres = manager.get_database_backend() == DbBackend::Postgres;
        let triggers: Vec<String> =
            if postgres { POSTGRES_TRIGGERS.iter().map(|t| String::from(*t)).collect() } else { sqlite_triggers() };
        let day_of = |c: &str| {
            if postgres { format!("({c} AT TIME ZONE 'UTC')::date") } else { format!("substr({c}, 1, 10)") }
        };
        db.execute_unprepared(&format!(
            "INSERT INTO account_days (tenant_id, kind, day, opened, closed)
             SELECT tenant_id, kind, day, SUM(opened), SUM(closed) FROM (
                 SELECT tenant_id, kind, {created} AS day, 1 AS opened, 0 AS closed FROM organizations
                 UNION ALL
                 SELECT tenant_id, kind, {closed}, 0, 1 FROM organizations WHERE closed_at IS NOT NULL
             ) AS events GROUP BY tenant_id, kind, day",
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
                db.execute_unprepared("DROP TRIGGER tr_organizations_account_days ON organizations").await?;
                db.execute_unprepared("DROP FUNCTION organizations_account_days()").await?;
                db.execute_unprepared("DROP FUNCTION account_days_add(BIGINT, VARCHAR, TIMESTAMPTZ, BIGINT, BIGINT)")
                    .await?;
            }
            _ => {
                for event in ["insert", "update", "delete"] {
                    db.execute_unprepared(&format!("DROP TRIGGER tr_organizations_account_days_{event}")).await?;
                }
            }
        }
        manager.drop_table(Table::drop().table(AccountDays::Table).to_owned()).await
    }
}
