//! The `tierdash` binary: start logging, parse the command line, run the command.

use clap::Parser;
use server::cli::{Cli, run};
use server::config::LogFormat;
use server::telemetry;

/// An import allocates and frees millions of small strings and values; glibc's allocator spent
/// about a sixth of an import's time on them (measured with perf), mimalloc far less.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

#[tokio::main]
async fn main() -> std::process::ExitCode {
    let format = match std::env::var("TIERDASH_LOG_FORMAT").as_deref() {
        Ok("json") => LogFormat::Json,
        _ => LogFormat::Pretty,
    };
    telemetry::init(format);
    match run(Cli::parse()).await {
        Ok(()) => std::process::ExitCode::SUCCESS,
        Err(err) => {
            eprintln!("error: {err:#}");
            std::process::ExitCode::FAILURE
        }
    }
}
