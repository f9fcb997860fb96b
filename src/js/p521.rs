//! P-521 for a package wasm built without RustCrypto's `p521` (scripts/pkg.sh):
//! the wrapper hands over its host's P-521 code once, `setP521(host)`, and this
//! installs it in the core (src/jwk/p521/). Node's is `node:crypto`
//! (npm/p521-node.mjs); elsewhere the separate P-521 wasm module
//! (p521-module/, npm/p521-module.mjs). A host that throws has refused.

use crate::jwk::p521::{install, Ops};
use std::cell::RefCell;
use wasm_bindgen::prelude::*;

#[wasm_bindgen]
extern "C" {
    /// `{checkPoint, publicPoint, sign, verify}`, as `Ops` describes them.
    pub type P521Host;

    #[wasm_bindgen(method, catch, js_name = checkPoint)]
    fn check_point(this: &P521Host, point: &[u8]) -> Result<bool, JsValue>;

    #[wasm_bindgen(method, catch, js_name = publicPoint)]
    fn public_point(this: &P521Host, d: &[u8]) -> Result<Option<Vec<u8>>, JsValue>;

    #[wasm_bindgen(method, catch)]
    fn sign(this: &P521Host, d: &[u8], point: &[u8], message: &[u8]) -> Result<Option<Vec<u8>>, JsValue>;

    #[wasm_bindgen(method, catch)]
    fn verify(this: &P521Host, point: &[u8], message: &[u8], signature: &[u8]) -> Result<bool, JsValue>;
}

thread_local! {
    static HOST: RefCell<Option<P521Host>> = const { RefCell::new(None) };
}

/// Installs `host`'s P-521 code; the first one given stays. Whether this
/// call installed it: the package's entries refuse to go on when another
/// did first (code in the page that reached the wasm before them).
#[wasm_bindgen(js_name = setP521)]
pub fn set_p521(host: P521Host) -> bool {
    let first = HOST.with(|slot| {
        let mut slot = slot.borrow_mut();
        let first = slot.is_none();
        slot.get_or_insert(host);
        first
    });
    first && install(Ops {
        check_point: |point| with_host(|host| host.check_point(point)).unwrap_or(false),
        public_point: |d| with_host(|host| host.public_point(d)).flatten(),
        sign: |d, point, message| with_host(|host| host.sign(d, point, message)).flatten(),
        verify: |point, message, signature| with_host(|host| host.verify(point, message, signature)).unwrap_or(false),
    })
}

/// `call`'s answer from the installed host; `None` when it threw.
fn with_host<T>(call: impl FnOnce(&P521Host) -> Result<T, JsValue>) -> Option<T> {
    HOST.with(|slot| slot.borrow().as_ref().and_then(|host| call(host).ok()))
}
