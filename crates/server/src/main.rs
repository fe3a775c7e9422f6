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
    // No transparent huge pages: mimalloc asks for them on its arenas, and the kernel then backs
    // each 2 MiB an allocation touches with resident memory; a large import's peak was 30–70 MB
    // higher with them, no faster (docs/performance.md §5). Only a flag of this process; a kernel
    // that does not know it leaves things as they were.
    #[cfg(target_os = "linux")]
    let _ = nix::sys::prctl::set_thp_disable(true);
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
