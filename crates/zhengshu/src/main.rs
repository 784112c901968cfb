//! 政数 zhengshu: the platform in one binary.

mod cli;
mod cmd;
mod config;

use clap::{CommandFactory, FromArgMatches};

use crate::cli::{Cli, Command};

fn main() {
    #[cfg(all(target_os = "linux", target_env = "gnu"))]
    fixed_mmap_threshold();
    quiet_on_closed_stdout();
    let matches = match Cli::command().try_get_matches() {
        Ok(m) => m,
        Err(e) => {
            use clap::error::ErrorKind::*;
            match e.kind() {
                DisplayHelp | DisplayVersion | DisplayHelpOnMissingArgumentOrSubcommand => e.exit(),
                _ => {
                    let text = e.render().to_string();
                    let line = text
                        .lines()
                        .next()
                        .unwrap_or("invalid arguments")
                        .trim_start_matches("error: ");
                    eprintln!("zhengshu: {line}");
                    std::process::exit(2);
                }
            }
        }
    };
    let cli = match Cli::from_arg_matches(&matches) {
        Ok(c) => c,
        Err(e) => {
            eprintln!(
                "zhengshu: {}",
                e.to_string().lines().next().unwrap_or("invalid arguments")
            );
            std::process::exit(2);
        }
    };
    let serve_args = match &cli.command {
        Command::Serve(a) | Command::Demo(a) => Some(a),
        _ => None,
    };
    let (settings, serve) = match config::resolve(&matches, &cli.global, serve_args) {
        Ok(s) => s,
        Err(e) => {
            eprintln!("zhengshu: {e}");
            std::process::exit(2);
        }
    };
    cmd::init_logging(&settings);
    #[cfg(all(target_os = "linux", target_env = "gnu"))]
    if std::env::var("GLIBC_TUNABLES").is_ok_and(|t| t.contains(MMAP_THRESHOLD)) {
        tracing::debug!("malloc: mmap threshold fixed at 128 KiB (GLIBC_TUNABLES)");
    }
    let runtime = match tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
    {
        Ok(r) => r,
        Err(e) => {
            eprintln!("zhengshu: cannot start the runtime: {e}");
            std::process::exit(1);
        }
    };
    let result = runtime.block_on(cmd::run(cli.command, settings, serve));
    if let Err(e) = result {
        eprintln!("zhengshu: {e:#}");
        std::process::exit(1);
    }
}

/// glibc's tunable that [`fixed_mmap_threshold`] sets, and its value: 128 KiB.
#[cfg(all(target_os = "linux", target_env = "gnu"))]
const MMAP_THRESHOLD: &str = "glibc.malloc.mmap_threshold=131072";

/// glibc's malloc raises its mmap threshold each time a large block is freed (up to 32 MiB);
/// from then on Arrow's buffers come from its heaps, and their freed pages stay with the
/// process. A 10M-row upsert peaked at 884 MiB of RSS with at most 340 MiB allocated
/// (heaptrack); with the threshold fixed at 128 KiB — every larger block its own mapping,
/// returned when freed — it peaked at 540 MiB (`lake optimize` of 10M rows: 426 → 328 MiB).
/// glibc reads the setting only as the process starts, so the process starts itself again,
/// once, with `GLIBC_TUNABLES` set (same arguments, same pid), unless the environment
/// already sets the threshold (`GLIBC_TUNABLES` or `MALLOC_MMAP_THRESHOLD_`). If that
/// fails, it goes on with glibc's default.
#[cfg(all(target_os = "linux", target_env = "gnu"))]
fn fixed_mmap_threshold() {
    use std::os::unix::process::CommandExt;
    // The marker guards against a loop should a glibc drop a tunable it does not know.
    const RESTARTED: &str = "ZHENGSHU_MALLOC_RESTARTED";
    let tunables = std::env::var("GLIBC_TUNABLES").unwrap_or_default();
    if tunables.contains("glibc.malloc.mmap_threshold")
        || std::env::var_os("MALLOC_MMAP_THRESHOLD_").is_some()
        || std::env::var_os(RESTARTED).is_some()
    {
        return;
    }
    let Ok(exe) = std::env::current_exe() else {
        return;
    };
    let value = if tunables.is_empty() {
        MMAP_THRESHOLD.to_string()
    } else {
        format!("{tunables}:{MMAP_THRESHOLD}")
    };
    let mut args = std::env::args_os();
    let mut command = std::process::Command::new(exe);
    if let Some(arg0) = args.next() {
        command.arg0(arg0);
    }
    // `exec` returns only if it failed.
    let _ = command
        .args(args)
        .env("GLIBC_TUNABLES", value)
        .env(RESTARTED, "1")
        .exec();
}

/// `zhengshu sql … | head`: once the reader has gone, `println!` panics on the broken pipe
/// (Rust ignores SIGPIPE, and resetting it would let a dropped database or HTTP connection
/// kill the process). Output nobody reads is not an error: leave quietly, as `head`'s
/// writer is expected to.
fn quiet_on_closed_stdout() {
    let default = std::panic::take_hook();
    std::panic::set_hook(Box::new(move |info| {
        let payload = info.payload();
        let msg = payload
            .downcast_ref::<String>()
            .map(String::as_str)
            .or_else(|| payload.downcast_ref::<&str>().copied())
            .unwrap_or("");
        if msg.starts_with("failed printing to stdout") && msg.contains("Broken pipe") {
            std::process::exit(0);
        }
        default(info)
    }));
}
