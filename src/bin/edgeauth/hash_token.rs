//! `edgeauth hash-token`: a fresh token and the hash to store for it.

use edgeauth::apikey::ApiKeyFormat;
use edgeauth::secret_hash::{hash_secret, HashAlgorithm};
use ring::pbkdf2;
use ring::rand::{SecureRandom, SystemRandom};
use std::num::NonZeroU32;

#[derive(clap::Args)]
pub struct Args {
    /// `edgeauth`: an API key and its `$hmac-sha256$` hash; `moose`: Moose's
    /// `<32 hex>.<32 hex salt>` token and its 40-hex PBKDF2 hash.
    #[arg(long, value_enum, default_value = "edgeauth")]
    format: Format,
    /// Hash the token read from standard input (one line) instead of making
    /// one: for a token a deployed system already uses (Kure's
    /// SERVICE_TOKEN). `$hmac-sha256$`, so it must be a random token, not a
    /// password; only with `--format edgeauth`.
    #[arg(long)]
    stdin: bool,
}

#[derive(Clone, Copy, clap::ValueEnum)]
enum Format {
    Edgeauth,
    Moose,
}

pub fn run(args: &Args) -> Result<(), String> {
    if args.stdin {
        return hash_given(args);
    }
    let (token, hash) = match args.format {
        Format::Edgeauth => {
            let key = ApiKeyFormat::default().generate().map_err(|e| e.to_string())?;
            let hash = hash_secret(key.token.as_bytes(), HashAlgorithm::HmacSha256).map_err(|e| e.to_string())?;
            (key.token, hash)
        }
        Format::Moose => moose()?,
    };
    println!("token (give it to the client, shown once): {token}");
    println!("hash (store it, e.g. as a secret):        {hash}");
    Ok(())
}

/// The hash of a token from standard input: printed alone, the token never echoed.
fn hash_given(args: &Args) -> Result<(), String> {
    if !matches!(args.format, Format::Edgeauth) {
        return Err("--stdin hashes only in the edgeauth format: Moose's tokens carry their own salt, so make one".into());
    }
    let mut line = String::new();
    std::io::stdin().read_line(&mut line).map_err(|e| format!("cannot read standard input: {e}"))?;
    let token = line.trim_end_matches(['\r', '\n']);
    if token.len() < 16 {
        return Err("the token on standard input is shorter than 16 characters: too guessable for a fast hash".into());
    }
    let hash = hash_secret(token.as_bytes(), HashAlgorithm::HmacSha256).map_err(|e| e.to_string())?;
    println!("{hash}");
    Ok(())
}

/// Moose's format: the token text is the password and the salt text the salt,
/// PBKDF2-HMAC-SHA256, 1000 iterations, 20 bytes, hex.
fn moose() -> Result<(String, String), String> {
    let random_hex = || -> Result<String, String> {
        let mut bytes = [0u8; 16];
        SystemRandom::new().fill(&mut bytes).map_err(|_| "no randomness".to_owned())?;
        Ok(bytes.iter().map(|b| format!("{b:02x}")).collect())
    };
    let (secret, salt) = (random_hex()?, random_hex()?);
    let mut out = [0u8; 20];
    let iterations = NonZeroU32::new(1000).ok_or("iterations")?;
    pbkdf2::derive(pbkdf2::PBKDF2_HMAC_SHA256, iterations, salt.as_bytes(), secret.as_bytes(), &mut out);
    Ok((format!("{secret}.{salt}"), out.iter().map(|b| format!("{b:02x}")).collect()))
}
