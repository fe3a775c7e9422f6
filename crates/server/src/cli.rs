//! The `tierdash` command line.

use std::path::PathBuf;

use anyhow::{Context, bail};
use chrono::Utc;
use clap::{Args, Parser, Subcommand};
use domain::api::NewUser;
use domain::codes::Email;
use domain::kinds::OrgKind;
use domain::roles::Role;
use store::{Store, admin, credentials};

use crate::config::Config;
use crate::import_progress::ImportProgress;
use crate::startup::{Application, openapi_json};

/// Tierdash: dashboards for the IT channel.
///
/// Configuration comes from TIERDASH_* environment variables (see README.md); by default a
/// SQLite database in ./data and http://127.0.0.1:8080.
#[derive(Debug, Parser)]
#[command(name = "tierdash", version, about, long_about)]
pub struct Cli {
    /// What to do.
    #[command(subcommand)]
    pub command: Command,
}

/// The subcommands.
#[derive(Debug, Subcommand)]
pub enum Command {
    /// Migrate the database, then serve the API and the app until stopped (SIGINT/SIGTERM).
    Serve,
    /// Bring the database schema up to date, then exit.
    Migrate,
    /// Create the first organisation and its admin on an empty database.
    Init(InitArgs),
    /// Manage users from the machine (no login needed).
    #[command(subcommand)]
    Users(UsersCommand),
    /// Fill the database with a realistic demo distributor and print the demo logins.
    DemoData(DemoArgs),
    /// Import a FOCUS CSV of billing lines, all or nothing, with progress and a summary.
    Import(ImportArgs),
    /// Maintain the monthly rollups.
    #[command(subcommand)]
    Rollups(RollupsCommand),
    /// The portal's renewals (the server also runs them hourly).
    #[command(subcommand)]
    Renewals(RenewalsCommand),
    /// The usage snapshot of the usage pages (the server also updates it on a schedule).
    #[command(subcommand)]
    Usage(UsageCommand),
    /// Print the OpenAPI document (or write it to a file).
    Openapi(OpenapiArgs),
}

/// `tierdash renewals …`.
#[derive(Debug, Subcommand)]
pub enum RenewalsCommand {
    /// Renew every activation whose paid period has ended, or expire it when the balance is
    /// short; safe to run twice at once or again after a crash.
    Run {
        /// The day to run for (default today, UTC).
        #[arg(long)]
        as_of: Option<chrono::NaiveDate>,
    },
}

/// `tierdash usage …`.
#[derive(Debug, Subcommand)]
pub enum UsageCommand {
    /// Update usage from the rollups now, for the current and previous month (or the months
    /// given); does nothing when another update is running, here or in a server.
    Refresh {
        /// A month to update, `YYYY-MM` (repeat for several; default the current and previous).
        #[arg(long = "period", value_parser = month_arg)]
        periods: Vec<domain::api::MonthParam>,
    },
}

/// A `YYYY-MM` argument.
fn month_arg(s: &str) -> Result<domain::api::MonthParam, String> {
    domain::api::MonthParam::try_from(s.to_owned())
}

/// `tierdash import`.
#[derive(Debug, Args)]
pub struct ImportArgs {
    /// The FOCUS export: CSV, gzip-compressed CSV or Parquet (see docs/import.md). Several
    /// files are one batch, in one transaction (one billing period's export in parts).
    #[arg(required = true, num_args = 1..)]
    pub files: Vec<PathBuf>,
    /// Replace every stored line of each (provider, billing account, billing period) the files
    /// cover: a restated period's figures replace the earlier ones instead of adding to them.
    #[arg(long)]
    pub replace_period: bool,
    /// Check everything and report, but keep nothing.
    #[arg(long)]
    pub dry_run: bool,
    /// The importing organisation (default: the top of the tree, when there is one).
    #[arg(long)]
    pub org_id: Option<i64>,
    /// `Source:Target`: read the file's column `Source` as the FOCUS column `Target`
    /// (repeatable; docs/import.md §7).
    #[arg(long = "map", value_name = "SOURCE:TARGET")]
    pub map: Vec<String>,
}

/// `tierdash rollups …`.
#[derive(Debug, Subcommand)]
pub enum RollupsCommand {
    /// Recompute every monthly rollup from the line items.
    Rebuild,
}

/// `tierdash init`.
#[derive(Debug, Args)]
pub struct InitArgs {
    /// The organisation's name.
    #[arg(long)]
    pub org_name: String,
    /// `distributor`, or `reseller` for a reseller with no distributor above it.
    #[arg(long, default_value = "distributor")]
    pub kind: String,
    /// The first admin's login e-mail.
    #[arg(long)]
    pub admin_email: String,
    /// The first admin's password (at least 10 characters); or set TIERDASH_ADMIN_PASSWORD.
    #[arg(long, env = "TIERDASH_ADMIN_PASSWORD", hide_env_values = true)]
    pub admin_password: String,
    /// The first admin's display name.
    #[arg(long, default_value = "Administrator")]
    pub admin_name: String,
}

/// `tierdash users …`.
#[derive(Debug, Subcommand)]
pub enum UsersCommand {
    /// Add a user to an organisation.
    Add(AddUserArgs),
}

/// `tierdash users add`.
#[derive(Debug, Args)]
pub struct AddUserArgs {
    /// The organisation's id.
    #[arg(long)]
    pub org_id: i64,
    /// Login e-mail.
    #[arg(long)]
    pub email: String,
    /// Display name.
    #[arg(long)]
    pub name: String,
    /// admin, operations, marketing, report_viewer or executive_viewer.
    #[arg(long)]
    pub role: String,
    /// Password (at least 10 characters); or set TIERDASH_USER_PASSWORD.
    #[arg(long, env = "TIERDASH_USER_PASSWORD", hide_env_values = true)]
    pub password: String,
}

/// `tierdash demo-data`.
#[derive(Debug, Args)]
pub struct DemoArgs {
    /// Do nothing (but print the logins) when the database already has data, instead of
    /// failing.
    #[arg(long)]
    pub if_empty: bool,
}

/// `tierdash openapi`.
#[derive(Debug, Args)]
pub struct OpenapiArgs {
    /// Write to this file instead of standard output.
    #[arg(long, short)]
    pub output: Option<PathBuf>,
}

/// Runs a parsed command.
pub async fn run(cli: Cli) -> anyhow::Result<()> {
    match cli.command {
        Command::Openapi(args) => {
            let json = openapi_json();
            match args.output {
                Some(path) => std::fs::write(&path, json).with_context(|| format!("writing {}", path.display()))?,
                None => print!("{json}"),
            }
            Ok(())
        }
        Command::Serve => {
            let config = Config::from_env()?;
            let app = Application::build(&config).await?;
            tracing::info!(bind = %config.bind, port = app.port(), "serving Tierdash on http://{}", config.bind);
            app.run_until_stopped().await?;
            tracing::info!("stopped");
            Ok(())
        }
        Command::Migrate => {
            open_store().await?;
            println!("The database schema is up to date.");
            Ok(())
        }
        Command::Init(args) => init(args).await,
        Command::Users(UsersCommand::Add(args)) => add_user(args).await,
        Command::DemoData(args) => demo_data(args).await,
        Command::Import(args) => import_file(args).await,
        Command::Renewals(RenewalsCommand::Run { as_of }) => {
            let store = open_store().await?;
            let day = as_of.unwrap_or_else(|| chrono::Utc::now().date_naive());
            let run = store::portal::renewals::run(&store, day).await?;
            println!(
                "Renewals for {day}: {} renewed, {} expired for want of balance, {} ended, {} failed.",
                run.renewed, run.expired, run.ended, run.failed
            );
            Ok(())
        }
        Command::Usage(UsageCommand::Refresh { periods }) => {
            let store = open_store().await?;
            let months = match periods.is_empty() {
                true => store::usage::default_months(Utc::now().date_naive()),
                false => periods.iter().map(|p| p.month()).collect(),
            };
            match store::usage::refresh(&store, &months).await? {
                Some(done) => {
                    let months: Vec<String> = done.months.iter().map(|m| m.to_string()).collect();
                    println!("Usage updated for {}: {} rows.", months.join(", "), done.rows);
                }
                None => println!("Another usage update is running; nothing done."),
            }
            Ok(())
        }
        Command::Rollups(RollupsCommand::Rebuild) => {
            let store = open_store().await?;
            let rows = store::rollups::rebuild(&store).await?;
            println!("Rebuilt the monthly rollups: {rows} rows.");
            Ok(())
        }
    }
}

async fn open_store() -> anyhow::Result<Store> {
    let config = Config::from_env()?;
    let store = Store::connect(&config.database_url).await.context("connecting to the database")?;
    store.migrate().await.context("migrating the database")?;
    Ok(store)
}

/// The store for `tierdash import`: migrated first with the server's pool (a migration may fill
/// a rollup, the work of a large page cache), then opened again with small page caches for the
/// import's customer lookups ([`Store::connect_for_import`]).
async fn open_store_for_import() -> anyhow::Result<Store> {
    drop(open_store().await?);
    let config = Config::from_env()?;
    Store::connect_for_import(&config.database_url).await.context("connecting to the database")
}

async fn init(args: InitArgs) -> anyhow::Result<()> {
    let kind: OrgKind = args.kind.parse().map_err(|e| anyhow::anyhow!("--kind {e}"))?;
    if kind == OrgKind::Customer {
        bail!("--kind must be distributor or reseller");
    }
    let email = Email::parse(&args.admin_email).map_err(|e| anyhow::anyhow!("--admin-email {e}"))?;
    if args.admin_password.chars().count() < domain::api::MIN_PASSWORD {
        bail!("--admin-password must be at least {} characters", domain::api::MIN_PASSWORD);
    }
    if args.org_name.trim().is_empty() {
        bail!("--org-name must not be empty");
    }
    let store = open_store().await?;
    let password_hash = credentials::hash_password(&args.admin_password)?;
    let init = admin::Init {
        org_name: args.org_name,
        kind,
        admin_email: email,
        admin_name: args.admin_name,
        password_hash,
        created_at: Utc::now(),
    };
    let (org, user) = admin::create_root(&store, init, true).await?;
    println!("Created {} {} (id {}) and its admin {} (id {}).", org.kind, org.name, org.id, user.email, user.id);
    Ok(())
}

async fn add_user(args: AddUserArgs) -> anyhow::Result<()> {
    let role: Role = args.role.parse().map_err(|e| anyhow::anyhow!("--role {e}"))?;
    let email = Email::parse(&args.email).map_err(|e| anyhow::anyhow!("--email {e}"))?;
    let new = NewUser { org_id: Some(args.org_id), email, name: args.name, role, password: args.password };
    store::users::check_new(&new).map_err(describe)?;
    let store = open_store().await?;
    // The operator on the machine acts for the organisation itself.
    let scope = admin::scope_of(&store, args.org_id)
        .await
        .map_err(|_| anyhow::anyhow!("no organisation with id {}", args.org_id))?;
    let hash = credentials::hash_password(&new.password)?;
    let user = store::users::create(&store, &scope, new, hash).await.map_err(describe)?;
    println!("Added {} ({}) to organisation {} as {}.", user.email, user.id, user.org_id, user.role);
    Ok(())
}

async fn demo_data(args: DemoArgs) -> anyhow::Result<()> {
    let store = open_store().await?;
    if !admin::is_empty(&store).await? {
        if args.if_empty {
            println!("The database already has data; no demo data added.");
            print_logins();
            return Ok(());
        }
        bail!("the database already has data; demo data goes into an empty database (or pass --if-empty)");
    }
    let summary = demo::generate(&store, Utc::now()).await?;
    println!(
        "Demo data: 1 distributor, {} resellers, {} customers, {} products, {} service plans, {} subscriptions, {} billing lines.",
        summary.resellers,
        summary.customers,
        summary.products,
        summary.plans,
        summary.subscriptions,
        summary.line_items
    );
    print_logins();
    Ok(())
}

async fn import_file(args: ImportArgs) -> anyhow::Result<()> {
    use store::import::{self, csv_source, file_source};
    let map = domain::column_map::ColumnMap::parse(&args.map).map_err(|e| anyhow::anyhow!("--map: {e}"))?;
    let store = open_store_for_import().await?;
    let org_id = match args.org_id {
        Some(id) => id,
        None => {
            admin::only_root(&store).await?.ok_or_else(|| anyhow::anyhow!("several trees: choose one with --org-id"))?
        }
    };
    let scope =
        admin::scope_of(&store, org_id).await.map_err(|_| anyhow::anyhow!("no organisation with id {org_id}"))?;
    let open = |path: &PathBuf| std::fs::File::open(path).with_context(|| format!("opening {}", path.display()));
    let mut hashes = Vec::new();
    let mut names = Vec::new();
    let mut size = 0;
    let mut parts = Vec::new();
    let mut format = "batch";
    for path in &args.files {
        hashes.push(csv_source::sha256(std::io::BufReader::new(open(path)?))?);
        names.push(path.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default());
        let mut file = open(path)?;
        size += file.metadata().map(|m| m.len()).unwrap_or(0);
        format = file_source::sniff(&mut file)?.as_str();
        parts.push((names.last().cloned().unwrap_or_default(), file));
    }
    let source = import::Source {
        file_name: import::batch_name(&names),
        sha256: import::batch_hash(&hashes),
        kind: if parts.len() == 1 { format } else { "batch" },
        created_by: None,
        dry_run: args.dry_run,
        replace_periods: args.replace_period,
    };
    let started = std::time::Instant::now();
    let shown = std::sync::Arc::new(ImportProgress::new(size, std::io::IsTerminal::is_terminal(&std::io::stderr())));
    let reading = shown.clone();
    let rows = file_source::spawn_all(parts, map, move |file| reading.reader(file))?;
    let progress: import::Progress = Box::new(move |n| shown.rows(n));
    match import::import(&store, &scope, source, rows, Some(progress)).await {
        Ok(batch) => {
            eprintln!();
            let secs = started.elapsed().as_secs_f64();
            let verb = match batch.status {
                domain::api::ImportStatus::Completed => format!("Imported as batch {}", batch.id),
                domain::api::ImportStatus::Duplicate => {
                    format!("Already imported as batch {}: nothing changed", batch.id)
                }
                domain::api::ImportStatus::DryRun => "Dry run: nothing kept".to_owned(),
            };
            println!(
                "{verb}. {} rows ({} bytes) in {secs:.1} s: {} rated, {} held back as billing issues, {} replaced.",
                batch.rows_total, size, batch.rows_rated, batch.rows_unrated, batch.rows_replaced
            );
            Ok(())
        }
        Err(store::StoreError::Rejected { errors, total }) => {
            eprintln!();
            for e in &errors {
                eprintln!("  {}{}", e.field.as_deref().map(|f| format!("{f}: ")).unwrap_or_default(), e.message);
            }
            bail!(
                "{total} problem(s) found, listed above as {} distinct one(s) with their rows; nothing was imported",
                errors.len()
            )
        }
        Err(other) => Err(other.into()),
    }
}

fn print_logins() {
    println!("Demo logins (password for all: {}):", demo::DEMO_PASSWORD);
    for login in demo::LOGINS {
        println!("  {:<34} {:<17} {}", login.email, login.role.as_str(), login.org);
    }
}

fn describe(err: store::StoreError) -> anyhow::Error {
    match err {
        store::StoreError::Invalid(errors) => anyhow::anyhow!(
            "{}",
            errors
                .iter()
                .map(|e| format!("{} {}", e.field.as_deref().unwrap_or(""), e.message))
                .collect::<Vec<_>>()
                .join("; ")
        ),
        other => other.into(),
    }
}
