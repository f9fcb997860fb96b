//! Random option sets and tokens from the input: adding a check never
//! accepts a token that the same options without it refused, and an empty
//! allow-list accepts nothing (the generator is shared with tests/monotone).
#![no_main]

#[path = "../../tests/monotone/cases.rs"]
mod cases;

use cases::{Bytes, Case};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let _ = Case::read(&mut Bytes::new(data)).assert_holds();
});
