//! P-521 arithmetic for ES512 keys behind one interface: RustCrypto's `p521`
//! when the crate is built with feature `p521` (the default), else the
//! operations an adapter installs. The npm package's main wasm leaves `p521`
//! out (20 KiB gzip of a 150 KiB budget) and installs the host's crypto or
//! the separate P-521 wasm module (src/js/p521.rs). These only compute:
//! what is refused, and with which error, is decided in `ec` and `generate`.

#[cfg(feature = "p521")]
mod rustcrypto;
#[cfg(feature = "p521")]
pub(crate) use rustcrypto::{available, public_point, Private, Public};

#[cfg(not(feature = "p521"))]
mod installed;
#[cfg(not(feature = "p521"))]
pub(crate) use installed::{available, public_point, Private, Public};
#[cfg(all(not(feature = "p521"), feature = "js"))]
pub(crate) use installed::{install, Ops};
