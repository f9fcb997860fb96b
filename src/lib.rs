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
#![forbid(unsafe_code)]

pub mod apikey;
pub mod at_rest;
pub mod http_auth;
pub mod jwk;
pub mod jwks;
pub mod jws;
pub mod jwt;
pub mod secret_hash;

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
