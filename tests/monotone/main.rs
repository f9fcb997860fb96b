//! Adding a check never accepts a token the same options without it refused,
//! over generated cases (the same generator the `validation_options` fuzz
//! target drives with libFuzzer's bytes). `cargo test --test monotone`.

mod cases;

use cases::{Bytes, Case};

/// xorshift64*: a fixed sequence, so a failure names its case number.
fn case_bytes(seed: u64) -> Vec<u8> {
    let mut state = seed.wrapping_mul(0x9e37_79b9_7f4a_7c15) | 1;
    (0..64).map(|_| {
        state ^= state >> 12;
        state ^= state << 25;
        state ^= state >> 27;
        (state.wrapping_mul(0x2545_f491_4f6c_dd1d) >> 56) as u8
    }).collect()
}

#[test]
fn adding_a_check_never_accepts_a_refused_token() {
    let (mut accepted, mut refused_without) = (0, 0);
    for seed in 0..10_000 {
        let bytes = case_bytes(seed);
        let (with, without) = Case::read(&mut Bytes::new(&bytes)).assert_holds();
        accepted += usize::from(with);
        refused_without += usize::from(!without);
    }
    // Not vacuous: the cases reach both sides of the checks.
    assert!(accepted > 100, "only {accepted} cases accepted");
    assert!(refused_without > 1_000, "only {refused_without} cases refused without the check");
}

#[test]
fn the_cases_are_reproducible_from_their_bytes() {
    let bytes = case_bytes(42);
    let (one, two) = (Case::read(&mut Bytes::new(&bytes)), Case::read(&mut Bytes::new(&bytes)));
    assert_eq!((one.token, one.with, one.check), (two.token, two.with, two.check));
}
