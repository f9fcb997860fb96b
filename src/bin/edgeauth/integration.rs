//! `edgeauth create-integration`: an integration and its API key.
//!
//! Without `--url`, the key is made here and the Workers KV records to store
//! are printed (as JSON and as `wrangler kv key put` commands). With `--url`,
//! the Worker's admin API makes and stores them.

use crate::admin_api;
use clap::builder::NonEmptyStringValueParser;
use edgeauth::apikey::{ApiKeyFormat, KeyRequest};
use serde_json::{json, Value};
use std::time::{SystemTime, UNIX_EPOCH};

#[derive(clap::Args)]
pub struct Args {
    #[arg(long)]
    integration_id: String,
    #[arg(long, default_value_t = 0)]
    tier: u32,
    /// Comma-separated scopes.
    #[arg(long, value_delimiter = ',', value_parser = NonEmptyStringValueParser::new())]
    scopes: Vec<String>,
    #[arg(long)]
    description: Option<String>,
    #[arg(long)]
    key_description: Option<String>,
    /// Comma-separated audiences the key may be exchanged for (default: all the Worker allows).
    #[arg(long, value_delimiter = ',', value_parser = NonEmptyStringValueParser::new())]
    audiences: Vec<String>,
    /// When the key stops working: seconds since the epoch, or RFC 3339.
    #[arg(long)]
    expires_at: Option<String>,
    /// The API key prefix (what secret scanners look for).
    #[arg(long)]
    prefix: Option<String>,
    /// The Worker's base URL: create through its admin API instead.
    #[arg(long, requires = "admin_token_file")]
    url: Option<String>,
    /// A file holding the admin token (for --url).
    #[arg(long)]
    admin_token_file: Option<std::path::PathBuf>,
}

pub fn run(args: &Args) -> Result<(), String> {
    match &args.url {
        Some(url) => through_admin_api(args, url),
        None => locally(args),
    }
}

fn locally(args: &Args) -> Result<(), String> {
    let format = match &args.prefix {
        Some(prefix) => ApiKeyFormat::new(prefix).map_err(|e| e.to_string())?,
        None => ApiKeyFormat::default(),
    };
    let key = format.generate().map_err(|e| e.to_string())?;
    let now = SystemTime::now().duration_since(UNIX_EPOCH).map_err(|e| e.to_string())?.as_secs();
    // Locally there is no ALLOWED_AUDIENCES: the audiences asked for are the
    // ones allowed, and none asked for leaves the key open to all.
    let body = key_body(args);
    let body = body.as_object().ok_or("a key request must be an object")?;
    let mut record = KeyRequest::from_json(body, &args.audiences, now)?.record(&key, &args.integration_id, now);
    if args.audiences.is_empty() {
        record.audiences = None;
    }
    let audiences = (!args.audiences.is_empty()).then_some(&args.audiences);
    let integration = json!({"integrationId": args.integration_id, "description": args.description, "tier": args.tier, "scopes": args.scopes, "audiences": audiences, "createdAt": now, "indexed": true});
    let records = [
        (format!("integration:{}", args.integration_id), integration),
        (format!("integration-key:{}:{}", args.integration_id, key.key_id), json!("")),
        (format!("apikey:{}", key.key_id), serde_json::to_value(&record).map_err(|e| e.to_string())?),
    ];
    println!("API key (shown once, give it to the integration): {}", key.token);
    println!("key id: {}", key.key_id);
    println!("# Workers KV records to store:");
    for (name, value) in &records {
        println!("{}", json!({"key": name, "value": value}));
    }
    println!("# or:");
    for (name, value) in &records {
        println!("npx wrangler kv key put --binding EDGEAUTH_KV {} {}", shell_quote(name), shell_quote(&value.to_string()));
    }
    Ok(())
}

fn through_admin_api(args: &Args, url: &str) -> Result<(), String> {
    let path = args.admin_token_file.as_ref().ok_or("--admin-token-file is required with --url")?;
    let mut body = key_body(args);
    body["integration_id"] = json!(args.integration_id);
    body["description"] = json!(args.description);
    let answer = admin_api::post_json(url, path, "/admin/integrations", &body, 201)?;
    let field = |name: &str| admin_api::field(&answer, "/admin/integrations", name);
    println!("API key (shown once, give it to the integration): {}", field("api_key")?);
    println!("key id: {}", field("key_id")?);
    println!("integration id: {}", field("integration_id")?);
    Ok(())
}

/// What the new key is asked to be, as the admin API reads it.
fn key_body(args: &Args) -> Value {
    let mut body = json!({"tier": args.tier, "scopes": args.scopes, "key_description": args.key_description});
    if !args.audiences.is_empty() {
        body["audiences"] = json!(args.audiences);
    }
    if let Some(at) = &args.expires_at {
        body["expires_at"] = at.parse::<u64>().map_or_else(|_| json!(at), |seconds| json!(seconds));
    }
    body
}

/// Single-quotes `text` for a POSIX shell.
fn shell_quote(text: &str) -> String {
    format!("'{}'", text.replace('\'', r"'\''"))
}
