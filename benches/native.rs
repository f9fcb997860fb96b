//! The native limit: edgeauth's operations in native Rust, for the wasm/native
//! ratio in `make bench` (bench/library.mjs runs the same operations in wasm
//! beside jose). A plain timing harness: warm-up, then timed batches.
//!
//!   cargo bench --bench native            full run, JSON to bench/results/native.json
//!   BENCH_SMOKE=1 cargo bench --bench native   a few milliseconds per operation

use edgeauth::apikey::{ApiKeyFormat, ApiKeyRecord, ApiKeyVerifier, KeyStore, MemoryStore, VerifiedCache};
use edgeauth::jwt::{self, Mint, Validation, Verifier};
use edgeauth::secret_hash::{hash_secret, verify_secret, HashAlgorithm};
use edgeauth::{Algorithm, Key};
use serde_json::{json, Map, Value};
use std::future::Future;
use std::pin::pin;
use std::task::{Context, Poll, Waker};
use std::time::{Duration, Instant};

const RSA_PKCS8: &str = include_str!("../tests/data/rsa2048.pkcs8.pem");

fn main() {
    let smoke = std::env::var_os("BENCH_SMOKE").is_some();
    let budget = if smoke { Duration::from_millis(20) } else { Duration::from_secs(1) };
    let mut results = Vec::new();
    let mut record = |name: String, ops: f64| {
        println!("{name:<28} {ops:>12.0} ops/s");
        results.push(json!({"name": name, "ops_per_sec": ops.round()}));
    };
    for alg in [Algorithm::HS256, Algorithm::RS256, Algorithm::PS256, Algorithm::ES256, Algorithm::ES384, Algorithm::EdDSA] {
        let (key, token) = keyed_token(alg);
        let validation = Validation::new(&[alg]);
        record(format!("verify {alg}"), measure(budget, || jwt::verify(&token, &key, &validation).is_ok()));
    }
    for alg in [Algorithm::HS256, Algorithm::ES256, Algorithm::EdDSA, Algorithm::RS256] {
        let (key, _) = keyed_token(alg);
        record(format!("sign {alg}"), measure(budget, || mint().sign(&claims(), &key).is_ok()));
    }
    let (key, token) = keyed_token(Algorithm::ES256);
    let verifier = Verifier::new(key, Validation::new(&[Algorithm::ES256]), 1024);
    record("verify ES256 repeated".into(), measure(budget, || verifier.verify(&token).is_ok()));
    let (api_keys, api_key) = api_key_verifier();
    let hash = hash_secret(api_key.as_bytes(), HashAlgorithm::HmacSha256).expect("hash");
    record("api key (hmac-sha256 hash)".into(), measure(budget, || verify_secret(api_key.as_bytes(), &hash).unwrap_or(false)));
    record("api key (cached)".into(), measure(budget, || block_on(api_keys.verify(&api_key, 1)).is_ok()));
    if !smoke {
        write_results(&results);
    }
}

/// Calls `op` in growing batches for `budget` after a warm-up; operations per second.
fn measure(budget: Duration, mut op: impl FnMut() -> bool) -> f64 {
    assert!(op(), "the benchmarked operation must succeed");
    let warm_up = Instant::now();
    while warm_up.elapsed() < budget / 5 {
        op();
    }
    let (mut done, mut batch) = (0u64, 1u64);
    let start = Instant::now();
    while start.elapsed() < budget {
        for _ in 0..batch {
            std::hint::black_box(op());
        }
        done += batch;
        batch *= 2;
    }
    done as f64 / start.elapsed().as_secs_f64()
}

fn claims() -> Map<String, Value> {
    json!({"sub": "bench", "scope": "read write", "aud": "edge"}).as_object().cloned().unwrap_or_default()
}

fn mint() -> Mint {
    Mint { expires_in: Some(3600), ..Mint::default() }
}

/// A signing key for `alg` and a token it signed.
fn keyed_token(alg: Algorithm) -> (Key, String) {
    let key = match alg {
        Algorithm::RS256 | Algorithm::PS256 => Key::from_pem(RSA_PKCS8, alg, None),
        _ => Key::generate(alg, None),
    }
    .expect("benchmark key");
    let token = mint().sign(&claims(), &key).expect("benchmark token");
    (key, token)
}

fn api_key_verifier() -> (ApiKeyVerifier<MemoryStore>, String) {
    let format = ApiKeyFormat::default();
    let generated = format.generate().expect("api key");
    let store = MemoryStore::new();
    block_on(store.put(&ApiKeyRecord::new(&generated, "bench", 0))).expect("store");
    (ApiKeyVerifier::new(format, store, VerifiedCache::default()), generated.token)
}

fn block_on<F: Future>(future: F) -> F::Output {
    match pin!(future).poll(&mut Context::from_waker(Waker::noop())) {
        Poll::Ready(output) => output,
        Poll::Pending => unreachable!("the memory store never waits"),
    }
}

fn write_results(results: &[Value]) {
    let dir = concat!(env!("CARGO_MANIFEST_DIR"), "/bench/results");
    let written = std::fs::create_dir_all(dir)
        .and_then(|()| std::fs::write(format!("{dir}/native.json"), Value::Array(results.to_vec()).to_string()));
    if let Err(error) = written {
        eprintln!("could not write {dir}/native.json: {error}");
    }
}
