//! The current time in seconds since the Unix epoch.
//!
//! `std::time::SystemTime` panics on `wasm32-unknown-unknown`, so WebAssembly
//! builds ask the JavaScript host (`Date.now()`) instead.

#[cfg(not(target_arch = "wasm32"))]
pub(crate) fn now() -> f64 {
    use std::time::{SystemTime, UNIX_EPOCH};
    SystemTime::now().duration_since(UNIX_EPOCH).map_or(0.0, |elapsed| elapsed.as_secs_f64())
}

#[cfg(target_arch = "wasm32")]
pub(crate) fn now() -> f64 {
    js_sys::Date::now() / 1000.0
}
