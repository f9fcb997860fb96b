//! `edgeauth`: the operator CLI. Hash tokens, generate keys, create
//! integrations, import signing keys, and verify or decode tokens while debugging.
//!
//! Errors go to stderr with exit status 1 (2 for a usage error, from clap);
//! nothing secret is printed except what a command exists to print once.
#![forbid(unsafe_code)]

mod admin_api;
mod hash_token;
mod import_key;
mod integration;
mod keygen;
mod verify;

use clap::{Parser, Subcommand};
use std::process::ExitCode;

#[derive(Parser)]
#[command(name = "edgeauth", version, about = "Operator tools for edgeauth: tokens, keys, integrations")]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Print a fresh bearer token and the hash to store for it.
    HashToken(hash_token::Args),
    /// Generate a signing key: the private JWK (keep it secret) and the public JWK.
    Keygen(keygen::Args),
    /// Create an integration and its API key (printed once), locally or through the admin API.
    CreateIntegration(integration::Args),
    /// Store a private signing key (JWK, `keygen` output or PEM, from stdin) in a Worker, through the admin API.
    ImportSigningKey(import_key::Args),
    /// Verify a token read from stdin; print its header and claims, or the error code.
    Verify(verify::VerifyArgs),
    /// Print a token's header and claims WITHOUT verifying it (debugging only).
    Decode,
}

fn main() -> ExitCode {
    let result = match Cli::parse().command {
        Command::HashToken(args) => hash_token::run(&args),
        Command::Keygen(args) => keygen::run(&args),
        Command::CreateIntegration(args) => integration::run(&args),
        Command::ImportSigningKey(args) => import_key::run(&args),
        Command::Verify(args) => verify::run(&args),
        Command::Decode => verify::decode(),
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(message) => {
            eprintln!("edgeauth: {message}");
            ExitCode::FAILURE
        }
    }
}
