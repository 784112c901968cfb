//! 政数 zhengshu: the platform in one binary.

mod cli;
mod cmd;
mod config;

use clap::{CommandFactory, FromArgMatches};

use crate::cli::{Cli, Command};

fn main() {
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
