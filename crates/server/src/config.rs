//! Configuration from `TIERDASH_*` environment variables, with defaults that are safe on a
//! laptop: a local SQLite file, loopback only, and a JWT secret generated once and kept in the
//! data directory (never a constant in the code).

use std::path::{Path, PathBuf};
use std::time::Duration;

use anyhow::{Context, bail};
use rand::RngCore;
use secrecy::SecretString;

/// The longest lifetime of an access token.
pub const MAX_TOKEN_TTL: Duration = Duration::from_secs(3600);

/// How logs are written.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LogFormat {
    /// Human-readable lines (default).
    Pretty,
    /// One JSON object per line, for log collectors.
    Json,
}

/// The server's settings.
#[derive(Debug, Clone)]
pub struct Config {
    /// `TIERDASH_DATABASE_URL`: `sqlite://…` or `postgres://…`; default a SQLite file in the
    /// data directory.
    pub database_url: String,
    /// `TIERDASH_BIND`: address to listen on; default `127.0.0.1:8080`.
    pub bind: String,
    /// `TIERDASH_DATA_DIR`: where the SQLite file and the generated JWT secret live; default
    /// `./data`.
    pub data_dir: PathBuf,
    /// `TIERDASH_JWT_SECRET`, else the secret kept in `<data_dir>/jwt-secret`.
    pub jwt_secret: SecretString,
    /// `TIERDASH_TOKEN_TTL_SECONDS`: access-token lifetime, at most 3600; default 3600.
    pub token_ttl: Duration,
    /// `TIERDASH_LOG_FORMAT`: `pretty` or `json`.
    pub log_format: LogFormat,
    /// `TIERDASH_WORKERS`: HTTP worker threads; default one per core.
    pub workers: Option<usize>,
    /// `TIERDASH_STATIC_DIR`: the built single-page app, served at `/` when present; default
    /// `frontend/dist`.
    pub static_dir: PathBuf,
    /// The background jobs' settings.
    pub jobs: JobsConfig,
    /// `TIERDASH_METRICS_TOKEN`: the bearer token `GET /metrics` asks for (at least 32
    /// characters); unset, `/metrics` answers loopback clients only.
    pub metrics_token: Option<SecretString>,
    /// `TIERDASH_ANSWER_CACHE_MB`: how much of the slow dashboard reads' answers is kept while
    /// the data is unchanged (`answers.rs`), in MB of their JSON; default 64; 0 keeps none.
    pub answer_cache_mb: usize,
}

/// The background jobs of `tierdash serve` (usage updates and report generation).
#[derive(Debug, Clone)]
pub struct JobsConfig {
    /// `TIERDASH_USAGE_REFRESH_SECONDS`: how often usage is updated; default 3600; 0 turns the
    /// schedule off (cron runs `tierdash usage refresh` instead).
    pub usage_every: Option<Duration>,
    /// `TIERDASH_REPORT_WORKERS`: reports generated at once by this process, 1 to 64; default 2.
    pub report_workers: usize,
    /// `TIERDASH_REPORT_RETENTION_DAYS`: days a report is kept, 1 to 3650; default 90.
    pub report_retention_days: u32,
    /// `TIERDASH_REPORT_LEASE_SECONDS`: how long a report whose worker stopped answering stays
    /// `generating` before another worker takes it again, 1 to 3600; default 60.
    pub report_lease: Duration,
}

impl Default for JobsConfig {
    fn default() -> Self {
        JobsConfig {
            usage_every: Some(Duration::from_secs(3600)),
            report_workers: 2,
            report_retention_days: 90,
            report_lease: Duration::from_secs(60),
        }
    }
}

impl JobsConfig {
    /// Reads the jobs' variables.
    fn from_env(var: impl Fn(&str) -> Option<String>) -> anyhow::Result<JobsConfig> {
        let number = |name: &str, default: u64, range: std::ops::RangeInclusive<u64>| -> anyhow::Result<u64> {
            let Some(text) = var(name) else { return Ok(default) };
            let n: u64 = text.trim().parse().with_context(|| format!("{name} must be a whole number"))?;
            if !range.contains(&n) {
                bail!("{name} must be between {} and {}", range.start(), range.end());
            }
            Ok(n)
        };
        let usage = number("TIERDASH_USAGE_REFRESH_SECONDS", 3600, 0..=31_536_000)?;
        Ok(JobsConfig {
            usage_every: (usage > 0).then(|| Duration::from_secs(usage)),
            report_workers: number("TIERDASH_REPORT_WORKERS", 2, 1..=64)? as usize,
            report_retention_days: number("TIERDASH_REPORT_RETENTION_DAYS", 90, 1..=3650)? as u32,
            report_lease: Duration::from_secs(number("TIERDASH_REPORT_LEASE_SECONDS", 60, 1..=3600)?),
        })
    }
}

/// The answers kept by default, in MB.
const DEFAULT_ANSWER_CACHE_MB: usize = 64;

impl Config {
    /// Reads the environment. Fails on malformed values rather than guessing.
    pub fn from_env() -> anyhow::Result<Config> {
        let var = |name: &str| std::env::var(name).ok().filter(|v| !v.trim().is_empty());
        let data_dir = PathBuf::from(var("TIERDASH_DATA_DIR").unwrap_or_else(|| "./data".into()));
        let database_url = match var("TIERDASH_DATABASE_URL") {
            Some(url) => url,
            None => {
                std::fs::create_dir_all(&data_dir).with_context(|| format!("creating {}", data_dir.display()))?;
                format!("sqlite://{}?mode=rwc", data_dir.join("tierdash.db").display())
            }
        };
        if !(database_url.starts_with("sqlite:")
            || database_url.starts_with("postgres:")
            || database_url.starts_with("postgresql:"))
        {
            bail!("TIERDASH_DATABASE_URL must start with sqlite: or postgres:");
        }
        let token_ttl = match var("TIERDASH_TOKEN_TTL_SECONDS") {
            Some(s) => {
                Duration::from_secs(s.parse().context("TIERDASH_TOKEN_TTL_SECONDS must be a number of seconds")?)
            }
            None => MAX_TOKEN_TTL,
        };
        if token_ttl > MAX_TOKEN_TTL || token_ttl.is_zero() {
            bail!("TIERDASH_TOKEN_TTL_SECONDS must be between 1 and 3600");
        }
        let log_format = match var("TIERDASH_LOG_FORMAT").as_deref() {
            None | Some("pretty") => LogFormat::Pretty,
            Some("json") => LogFormat::Json,
            Some(other) => bail!("TIERDASH_LOG_FORMAT must be pretty or json, not {other}"),
        };
        let workers =
            var("TIERDASH_WORKERS").map(|w| w.parse().context("TIERDASH_WORKERS must be a number")).transpose()?;
        let jwt_secret = match var("TIERDASH_JWT_SECRET") {
            Some(secret) if secret.len() < 32 => {
                bail!("TIERDASH_JWT_SECRET must be at least 32 characters")
            }
            Some(secret) => SecretString::from(secret),
            None => load_or_create_secret(&data_dir)?,
        };
        Ok(Config {
            database_url,
            bind: var("TIERDASH_BIND").unwrap_or_else(|| "127.0.0.1:8080".into()),
            data_dir,
            jwt_secret,
            token_ttl,
            log_format,
            workers,
            static_dir: PathBuf::from(var("TIERDASH_STATIC_DIR").unwrap_or_else(|| "frontend/dist".into())),
            jobs: JobsConfig::from_env(var)?,
            metrics_token: match var("TIERDASH_METRICS_TOKEN") {
                Some(token) if token.len() < 32 => bail!("TIERDASH_METRICS_TOKEN must be at least 32 characters"),
                token => token.map(SecretString::from),
            },
            answer_cache_mb: var("TIERDASH_ANSWER_CACHE_MB")
                .map(|mb| mb.parse().context("TIERDASH_ANSWER_CACHE_MB must be a number of megabytes"))
                .transpose()?
                .unwrap_or(DEFAULT_ANSWER_CACHE_MB),
        })
    }
}

/// Reads `<dir>/jwt-secret`, creating it (readable by its owner only) on first use, so that
/// tokens survive a restart without anyone choosing a secret.
pub fn load_or_create_secret(dir: &Path) -> anyhow::Result<SecretString> {
    let path = dir.join("jwt-secret");
    if let Ok(existing) = std::fs::read_to_string(&path) {
        let existing = existing.trim().to_owned();
        if existing.len() >= 32 {
            return Ok(SecretString::from(existing));
        }
        bail!("{} is shorter than 32 characters; delete it to generate a new one", path.display());
    }
    std::fs::create_dir_all(dir).with_context(|| format!("creating {}", dir.display()))?;
    let mut bytes = [0u8; 32];
    rand::rngs::OsRng.fill_bytes(&mut bytes);
    let secret = hex::encode(bytes);
    write_private(&path, &secret).with_context(|| format!("writing {}", path.display()))?;
    Ok(SecretString::from(secret))
}

#[cfg(unix)]
fn write_private(path: &Path, contents: &str) -> std::io::Result<()> {
    use std::io::Write;
    use std::os::unix::fs::OpenOptionsExt;
    let mut file = std::fs::OpenOptions::new().write(true).create_new(true).mode(0o600).open(path)?;
    file.write_all(contents.as_bytes())
}

#[cfg(not(unix))]
fn write_private(path: &Path, contents: &str) -> std::io::Result<()> {
    std::fs::write(path, contents)
}

#[cfg(test)]
mod tests {
    use super::*;
    use secrecy::ExposeSecret;

    #[test]
    fn a_generated_secret_is_kept_and_reused() {
        let dir = tempfile::tempdir().unwrap();
        let first = load_or_create_secret(dir.path()).unwrap();
        let second = load_or_create_secret(dir.path()).unwrap();
        assert_eq!(first.expose_secret(), second.expose_secret());
        assert_eq!(first.expose_secret().len(), 64);
    }
}
