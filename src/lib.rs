//! edgeauth: authentication for the edge.
//!
//! A JOSE engine (compact JWS, JWT claims, JWK and JWK sets) built on `ring`,
//! compiled both natively and to WebAssembly. The core modules know nothing of
//! JavaScript or Workers; the bindings and the Worker only translate.
//!
//! Guarantees that hold across the crate:
//! - no `unsafe` code;
//! - no panic is reachable from input: every parser returns an [`Error`] with a
//!   stable code instead;
//! - a key is bound to the algorithms it may serve, so a public RSA or EC key
//!   can never act as an HMAC secret, whatever a token's header says;
//! - error messages never contain key material.
//!
//! ```
//! use edgeauth::jwt::{self, Mint, Validation};
//! use edgeauth::{Algorithm, Key, KeySet};
//! use serde_json::json;
//!
//! // The issuer: a fresh ES256 key (its kid is its RFC 7638 thumbprint).
//! let signing = Key::generate(Algorithm::ES256, None)?;
//! let mint = Mint { issuer: Some("https://auth.example".into()), expires_in: Some(300), ..Mint::default() };
//! let token = mint.sign(json!({"sub": "user-1"}).as_object().unwrap(), &signing)?;
//!
//! // The verifier: the issuer's public JWK Set, and explicit expectations.
//! let mut jwks = KeySet::new();
//! jwks.add(Key::from_jwk(&signing.to_jwk(false)?)?);
//! let validation = Validation {
//!     issuers: Some(vec!["https://auth.example".into()]),
//!     ..Validation::new(&[Algorithm::ES256])
//! };
//! let verified = jwt::verify(&token, &jwks, &validation)?;
//! assert_eq!(verified.claims["sub"], "user-1");
//!
//! // Every failure has a stable, jose-style code.
//! let wrong = Validation::new(&[Algorithm::RS256]);
//! assert_eq!(jwt::verify(&token, &jwks, &wrong).unwrap_err().code(), "ERR_JOSE_ALG_NOT_ALLOWED");
//! # Ok::<(), edgeauth::Error>(())
//! ```
#![forbid(unsafe_code)]

pub mod apikey;
pub mod at_rest;
pub mod authn;
pub mod http_auth;
pub mod inject;
pub mod jwk;
pub mod jwks;
pub mod jws;
pub mod jwt;
pub mod policy;
pub mod remote_jwks;
pub mod request_path;
pub mod secret_hash;
pub mod session;
pub mod signing_keys;

mod b64;
mod clock;
mod error;
mod json;
mod random;

pub use error::{ClaimReason, Error, Result};
pub use jwk::Key;
pub use jwks::KeySet;
pub use jws::Algorithm;

#[cfg(feature = "worker")]
mod worker;

#[cfg(feature = "js")]
mod js;
