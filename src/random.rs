//! Random bytes from the platform's secure generator (`ring::rand::SystemRandom`).
//!
//! A platform without a secure generator is reported as an error, never papered
//! over with a weaker source.

use crate::{Error, Result};
use ring::rand::{SecureRandom, SystemRandom};

/// Fills `buf` with secure random bytes.
pub(crate) fn fill(buf: &mut [u8]) -> Result<()> {
    SystemRandom::new()
        .fill(buf)
        .map_err(|_| Error::NotSupported("no secure random number generator is available"))
}

/// `N` secure random bytes.
pub(crate) fn bytes<const N: usize>() -> Result<[u8; N]> {
    let mut out = [0u8; N];
    fill(&mut out)?;
    Ok(out)
}
