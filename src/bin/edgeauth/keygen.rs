//! `edgeauth keygen`: a private JWK (keep it secret) and its public JWK.
//!
//! HS*, ES* and EdDSA keys come from edgeauth (ring). RSA keys come from
//! RustCrypto's `rsa`, used here for generation only: the key is handed to
//! edgeauth as PKCS#8 and signs with ring like any imported key.

use edgeauth::{Algorithm, Key};
use rsa::pkcs8::EncodePrivateKey;
use serde_json::Value;

#[derive(clap::Args)]
pub struct Args {
    /// The algorithm the key serves: ES256, ES384, ES512, EdDSA, HS256, HS384, HS512, RS256, RS384, RS512, PS256, PS384, PS512.
    #[arg(long)]
    alg: String,
    /// The key id; defaults to the RFC 7638 thumbprint.
    #[arg(long)]
    kid: Option<String>,
    /// RSA modulus size in bits: 2048, 3072 or 4096.
    #[arg(long, default_value_t = 2048)]
    bits: usize,
}

pub fn run(args: &Args) -> Result<(), String> {
    let alg = Algorithm::from_name(&args.alg).ok_or_else(|| format!("unknown algorithm {}", args.alg))?;
    let key = match alg.name().as_bytes().first() {
        Some(b'R' | b'P') => rsa_key(alg, args.bits, args.kid.as_deref())?,
        _ => Key::generate(alg, args.kid.as_deref()).map_err(|e| e.to_string())?,
    };
    let show = |jwk| serde_json::to_string_pretty(&Value::Object(jwk)).unwrap_or_default();
    println!("# private JWK: keep it secret (e.g. `wrangler secret put`)");
    println!("{}", show(key.to_jwk(true).map_err(|e| e.to_string())?));
    if let Ok(public) = key.to_jwk(false) {
        println!("# public JWK: safe to publish");
        println!("{}", show(public));
    }
    Ok(())
}

fn rsa_key(alg: Algorithm, bits: usize, kid: Option<&str>) -> Result<Key, String> {
    if ![2048, 3072, 4096].contains(&bits) {
        return Err(format!("--bits must be 2048, 3072 or 4096, not {bits}"));
    }
    let private = rsa::RsaPrivateKey::new(&mut rand_core::OsRng, bits).map_err(|e| e.to_string())?;
    let pkcs8 = private.to_pkcs8_der().map_err(|e| e.to_string())?;
    let key = Key::from_pkcs8_der(pkcs8.as_bytes(), alg, kid).map_err(|e| e.to_string())?;
    match kid {
        Some(_) => Ok(key),
        None => Key::from_pkcs8_der(pkcs8.as_bytes(), alg, Some(&key.thumbprint())).map_err(|e| e.to_string()),
    }
}
