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
}

#[derive(Clone, Copy, clap::ValueEnum)]
enum Format {
    Edgeauth,
    Moose,
}

pub fn run(args: &Args) -> Result<(), String> {
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
