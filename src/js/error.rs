//! Errors to JS: `{code, message, claim?, reason?}`, as jose's errors carry.

use crate::Error;
use js_sys::{Object, Reflect};
use wasm_bindgen::JsValue;

pub(super) type JsResult<T> = Result<T, JsValue>;

/// The JS form of an edgeauth error.
pub(super) fn to_js(error: Error) -> JsValue {
    let object = Object::new();
    set(&object, "code", error.code());
    set(&object, "message", &error.to_string());
    if let Some(claim) = error.claim() {
        set(&object, "claim", claim);
    }
    if let Some(reason) = error.reason() {
        set(&object, "reason", reason.as_str());
    }
    object.into()
}

/// A malformed argument the wrapper let through: a `TypeError` in JS.
pub(super) fn type_error(message: &str) -> JsValue {
    js_sys::TypeError::new(message).into()
}

fn set(object: &Object, name: &str, value: &str) {
    // Setting a data property on a fresh plain object cannot fail.
    let _ = Reflect::set(object, &JsValue::from_str(name), &JsValue::from_str(value));
}

/// Converts core results at the boundary.
pub(super) trait IntoJs<T> {
    fn js(self) -> JsResult<T>;
}

impl<T> IntoJs<T> for crate::Result<T> {
    fn js(self) -> JsResult<T> {
        self.map_err(to_js)
    }
}
