//! The attack suite: one test per known way to fool a JWT, key or credential
//! check, each asserting the exact error. `cargo test --test attacks`.

mod claims;
mod credentials;
mod jws;
mod keys;
mod util;
