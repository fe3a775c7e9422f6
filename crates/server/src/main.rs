//! The `tierdash` binary: start logging, parse the command line, run the command.

use clap::Parser;
use server::cli::{Cli, run};
use server::config::LogFormat;
use server::telemetry;

/// An import allocates and frees millions of small strings and values, which mimalloc does far
/// faster than glibc's allocator, in the same memory (docs/performance.md §5).
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
