//! `iotbox-local`: the stand-ins for the vendor's services that tests and demos run beside a
//! box, kept out of the box's own binary and package (docs/developer.md):
//! - `iotbox-local ca`: a certificate authority that speaks the vendor's protocol, with the
//!   faults a box must survive;
//! - `iotbox-local dns`: a DNS server that answers as the vendor's domain does, or as a
//!   router that blocks it.

use clap::{Parser, Subcommand};
use iotbox::local_ca::{self, LocalCaArgs};
use iotbox::local_dns::{self, LocalDnsArgs};
use iotbox_core::logs::subscriber;
use std::process::ExitCode;

#[derive(Debug, Parser)]
#[command(
    name = "iotbox-local",
    version,
    about = "Stand-ins for the vendor's certificate server and DNS, for tests and demos"
)]
struct Local {
    #[command(subcommand)]
    service: Service,
}

#[derive(Debug, Subcommand)]
enum Service {
    /// Runs a local certificate authority that speaks the vendor's protocol.
    Ca(LocalCaArgs),
    /// Runs a DNS server that answers as the vendor's domain does, and can play a router
    /// that refuses private answers.
    Dns(LocalDnsArgs),
}

#[tokio::main]
async fn main() -> ExitCode {
    let local = Local::parse();
    subscriber::to_terminal();
    match local.service {
        Service::Ca(args) => local_ca::run(args).await.unwrap_or_else(|message| {
            eprintln!("iotbox-local ca: {message}");
            ExitCode::from(2)
        }),
        Service::Dns(args) => local_dns::run(args).await,
    }
}
