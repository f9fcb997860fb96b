//! P-521 through operations an adapter installs once (the npm package: the
//! host's crypto, or the separate P-521 wasm module). Until then P-521 is
//! unavailable, and `ec` says so.

use std::sync::OnceLock;

/// The operations, on SEC1 uncompressed points, 66-byte scalars and
/// fixed-length `R || S` signatures. Each answers `None` or `false` for
/// anything it refuses or cannot do.
pub(crate) struct Ops {
    /// Whether `point` lies on P-521.
    pub check_point: fn(point: &[u8]) -> bool,
    /// The public point of scalar `d`, if `d` is a valid private scalar.
    pub public_point: fn(d: &[u8]) -> Option<Vec<u8>>,
    /// An ECDSA signature with SHA-512 over `message` by the key `d` whose public point is `point`.
    pub sign: fn(d: &[u8], point: &[u8], message: &[u8]) -> Option<Vec<u8>>,
    /// Whether `signature` over `message` verifies under `point`.
    pub verify: fn(point: &[u8], message: &[u8], signature: &[u8]) -> bool,
}

static OPS: OnceLock<Ops> = OnceLock::new();

/// Installs the operations, and says whether this call did; the first
/// installation stays. Only an adapter
/// does (src/js/p521.rs): a build without one has no P-521.
#[cfg_attr(not(feature = "js"), allow(dead_code))]
pub(crate) fn install(ops: Ops) -> bool {
    OPS.set(ops).is_ok()
}

pub(crate) fn available() -> bool {
    OPS.get().is_some()
}

/// A public key checked to lie on the curve; its point stays with the `EcKey`.
pub(crate) struct Public;

impl Public {
    pub(crate) fn new(point: &[u8]) -> Option<Public> {
        (OPS.get()?.check_point)(point).then_some(Public)
    }

    pub(crate) fn verify(&self, point: &[u8], message: &[u8], signature: &[u8]) -> bool {
        OPS.get().is_some_and(|ops| (ops.verify)(point, message, signature))
    }
}

/// A private scalar checked to match its public point.
pub(crate) struct Private {
    d: Vec<u8>,
    point: Vec<u8>,
}

impl Private {
    pub(crate) fn new(d: &[u8], point: &[u8]) -> Option<Private> {
        let derived = public_point(d)?;
        (derived == point).then(|| Private { d: d.to_vec(), point: point.to_vec() })
    }

    pub(crate) fn sign(&self, message: &[u8]) -> Option<Vec<u8>> {
        (OPS.get()?.sign)(&self.d, &self.point, message)
    }
}

pub(crate) fn public_point(d: &[u8]) -> Option<Vec<u8>> {
    (OPS.get()?.public_point)(d)
}
