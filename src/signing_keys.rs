//! A service's own signing keys and their lifecycle, with no I/O: which key
//! signs, which are staged (imported, not yet published), which retire and
//! when, when a rotation is due, and what an imported key must be.
//!
//! A host (the Worker, `src/worker/signing.rs`) stores the [`Index`] and each
//! key's private JWK sealed; everything it decides about them is decided here.
//! A key is *current* (signs, in the JWKS), *staged* (stored, not in the JWKS,
//! waiting for an activation), *retiring* (in the JWKS until its `retires`
//! time, so tokens it signed still verify) or *retired* (gone from the JWKS;
//! its entry and material are deleted by the next [`Index::prune`]).

use crate::jws::alg::Family;
use crate::{Algorithm, Key};
use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};

/// The longest key id accepted, in bytes.
const MAX_KID_LEN: usize = 128;
/// The RSA modulus sizes a host may generate (`SIGNING_RSA_BITS`).
pub const RSA_BITS: std::ops::RangeInclusive<u32> = 2048..=4096;

/// The algorithms a service may sign its own tokens with (`SIGNING_ALG`).
pub const SIGNING_ALGORITHMS: [Algorithm; 4] = [Algorithm::ES256, Algorithm::EdDSA, Algorithm::RS256, Algorithm::PS256];

/// Every signing key stored, and which one signs.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct Index {
    /// The kid of the key that signs; `None` while only staged keys exist.
    #[serde(default)]
    pub current: Option<String>,
    pub keys: Vec<Entry>,
}

/// One stored key, by its public half.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Entry {
    pub kid: String,
    pub alg: String,
    /// When it was stored.
    pub created: u64,
    /// When it became current (`created` for keys stored before this field).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub since: Option<u64>,
    /// Leaves the JWKS at this time (set when a newer key becomes current).
    pub retires: Option<u64>,
    /// Stored but never yet current: not in the JWKS unless `published`.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub staged: bool,
    /// A staged key already in the JWKS: the next key a scheduled rotation
    /// made, published before it signs, so that verifiers caching the JWKS
    /// (and this Worker's other isolates) know it by then.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub published: bool,
    pub public_jwk: Map<String, Value>,
}

/// Where a new key goes.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Placement {
    /// It signs at once (the previous key retires after the overlap).
    Current,
    /// Stored, not published, until activated.
    Staged,
    /// Published, not signing, until activated (a scheduled rotation's next key).
    Next,
}

/// What a run of the cron trigger does about rotation.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Scheduled {
    Nothing,
    PublishNext,
    Activate(String),
}

/// Why a change to the index was refused.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Refusal {
    /// No key has this kid.
    UnknownKid,
    /// The change contradicts what is stored (a kid taken, a retired key).
    Conflict(&'static str),
}

impl Entry {
    /// A new entry for `key` (which must be private, with a kid and an alg).
    pub fn new(key: &Key, now: u64) -> crate::Result<Entry> {
        let alg = key.signing_algorithm()?;
        Ok(Entry {
            kid: key.kid().unwrap_or_default().to_owned(),
            alg: alg.name().to_owned(),
            created: now,
            since: None,
            retires: None,
            staged: true,
            published: false,
            public_jwk: key.to_jwk(false)?,
        })
    }

    fn live(&self, now: u64) -> bool {
        (!self.staged || self.published) && self.retires.is_none_or(|retires| retires > now)
    }

    /// `current`, `next` (published, not yet signing), `staged`, `retiring`
    /// or `retired`, for listings.
    pub fn status(&self, index: &Index, now: u64) -> &'static str {
        match (index.current.as_deref() == Some(self.kid.as_str()), self.staged, self.live(now)) {
            (true, _, _) => "current",
            (false, true, true) => "next",
            (false, true, false) => "staged",
            (false, false, true) => "retiring",
            (false, false, false) => "retired",
        }
    }
}

impl Index {
    /// The current key's entry.
    pub fn current_entry(&self) -> Option<&Entry> {
        let current = self.current.as_deref()?;
        self.keys.iter().find(|entry| entry.kid == current)
    }

    /// The kids of the keys in the JWKS at `now`, comma-separated: changes
    /// exactly when the published set does.
    pub fn live_version(&self, now: u64) -> String {
        // With `created`: a kid pruned and imported again for another key is another set.
        self.keys.iter().filter(|entry| entry.live(now)).map(|entry| format!("{}@{}", entry.kid, entry.created)).collect::<Vec<_>>().join(",")
    }

    /// The public keys published at `now`: the current one and those retiring.
    pub fn public_jwks(&self, now: u64) -> Value {
        let keys: Vec<Value> = self.keys.iter().filter(|entry| entry.live(now)).map(|entry| Value::Object(entry.public_jwk.clone())).collect();
        serde_json::json!({ "keys": keys })
    }

    /// Adds `entry` where `placement` says.
    pub fn add(&mut self, mut entry: Entry, placement: Placement, overlap: u64, now: u64) -> Result<(), Refusal> {
        if self.keys.iter().any(|known| known.kid == entry.kid) {
            return Err(Refusal::Conflict("a signing key with this kid is already stored"));
        }
        entry.staged = true;
        entry.published = placement == Placement::Next;
        let kid = entry.kid.clone();
        self.keys.push(entry);
        match placement {
            Placement::Current => self.activate(&kid, overlap, now),
            Placement::Staged | Placement::Next => Ok(()),
        }
    }

    /// Makes the staged key `kid` current; the previous current key stays in
    /// the JWKS for `overlap` seconds. Activating the current key changes nothing.
    pub fn activate(&mut self, kid: &str, overlap: u64, now: u64) -> Result<(), Refusal> {
        if self.current.as_deref() == Some(kid) {
            return Ok(());
        }
        let entry = self.keys.iter().find(|entry| entry.kid == kid).ok_or(Refusal::UnknownKid)?;
        if !entry.staged {
            return Err(Refusal::Conflict("only a staged key can be activated: this one has been current and retired"));
        }
        let previous = self.current.replace(kid.to_owned());
        for entry in self.keys.iter_mut() {
            if entry.kid == kid {
                entry.staged = false;
                entry.published = false;
                entry.since = Some(now);
                entry.retires = None;
            } else if Some(&entry.kid) == previous.as_ref() {
                entry.retires = Some(now.saturating_add(overlap));
            } else if entry.staged && entry.published {
                // A next key passed over (another key became current first)
                // never signed: it leaves the JWKS now, and is pruned.
                entry.staged = false;
                entry.published = false;
                entry.retires = Some(now);
            }
        }
        Ok(())
    }

    /// [`Index::activate`], for a Worker that signs with `signing_alg`: its
    /// own tokens are checked in that algorithm only, so a staged key of
    /// another (staged before `SIGNING_ALG` changed) would make every token
    /// it signs refused.
    pub fn activate_for(&mut self, kid: &str, signing_alg: &str, overlap: u64, now: u64) -> Result<(), Refusal> {
        match self.keys.iter().any(|entry| entry.kid == kid && entry.alg != signing_alg) {
            true => Err(Refusal::Conflict("the key's alg is not SIGNING_ALG")),
            false => self.activate(kid, overlap, now),
        }
    }

    /// Drops the entries of keys retired by `now`, returning their kids (whose
    /// sealed material the host then deletes). Staged keys stay.
    pub fn prune(&mut self, now: u64) -> Vec<String> {
        let (kept, retired): (Vec<Entry>, Vec<Entry>) =
            std::mem::take(&mut self.keys).into_iter().partition(|entry| entry.staged || entry.retires.is_none_or(|retires| retires > now));
        self.keys = kept;
        retired.into_iter().map(|entry| entry.kid).collect()
    }

    /// The cron trigger's next step: once a rotation is due, first publish a
    /// next key, then, `lead` seconds later (the JWKS's cache lifetime and
    /// the time a change takes to reach every isolate), make it current.
    /// A next key of another algorithm than `signing_alg` (published before
    /// `SIGNING_ALG` changed) is passed over: it could never become current.
    pub fn scheduled_step(&self, rotate_after: Option<u64>, signing_alg: &str, lead: u64, now: u64) -> Scheduled {
        if !self.rotation_due(rotate_after, now) {
            return Scheduled::Nothing;
        }
        match self.keys.iter().find(|entry| entry.staged && entry.published && entry.alg == signing_alg) {
            Some(next) if now.saturating_sub(next.created) >= lead => Scheduled::Activate(next.kid.clone()),
            Some(_) => Scheduled::Nothing,
            None => Scheduled::PublishNext,
        }
    }

    /// Whether a scheduled rotation is due: there is a current key, and it has
    /// been current for `rotate_after` seconds or more (`None`: never).
    pub fn rotation_due(&self, rotate_after: Option<u64>, now: u64) -> bool {
        match (rotate_after, self.current_entry()) {
            (Some(after), Some(entry)) => now.saturating_sub(entry.since.unwrap_or(entry.created)) >= after,
            _ => false,
        }
    }
}

/// What `POST /admin/signing-keys` asks: a key, and whether it signs at once.
#[derive(Debug)]
pub struct ImportRequest {
    pub key: Key,
    pub activate: bool,
}

impl ImportRequest {
    /// Reads `{"key": <private JWK object or PEM text>, "activate": bool}`
    /// (`activate` defaults to true) for a service signing with `alg`. The
    /// reason for a refusal never quotes the key.
    pub fn parse(body: &Map<String, Value>, alg: Algorithm) -> Result<ImportRequest, String> {
        let activate = match body.get("activate") {
            None | Some(Value::Null) => true,
            Some(Value::Bool(activate)) => *activate,
            Some(_) => return Err("\"activate\" must be true or false".to_owned()),
        };
        let key = body.get("key").ok_or("\"key\" is required: a private JWK object or a PKCS#8 PEM string")?;
        Ok(ImportRequest { key: signing_key(key, alg)?, activate })
    }
}

/// A private key to sign with `alg`, from a JWK object or PEM text: it must be
/// private, of a type and declared `alg` that fit `alg`, and strong enough
/// (the import refuses RSA under 2048 bits). Its kid is the JWK's, else its
/// RFC 7638 thumbprint; `key_ops` are dropped, the key now only signs here.
pub fn signing_key(key: &Value, alg: Algorithm) -> Result<Key, String> {
    let parsed = match key {
        Value::Object(jwk) => Key::from_jwk(jwk),
        Value::String(pem) => Key::from_pem(pem, alg, None),
        _ => return Err("\"key\" must be a private JWK object or a PKCS#8 PEM string".to_owned()),
    };
    let key = parsed.map_err(|error| format!("the key is unusable: {error}"))?;
    if !key.is_private() || key.kty() == "oct" {
        return Err("the key is public (or a shared secret): a private key is needed to sign".to_owned());
    }
    if let Some(declared) = key.alg().filter(|declared| *declared != alg) {
        return Err(format!("the key's \"alg\" is {}, and this service signs {} (SIGNING_ALG)", declared.name(), alg.name()));
    }
    if !key.permits(alg) {
        return Err(format!("a {} key cannot sign {} (SIGNING_ALG)", key.kty(), alg.name()));
    }
    if !key.allows_op("sign") {
        return Err("the key's \"key_ops\" do not allow \"sign\"".to_owned());
    }
    let kid = key.kid().map(str::to_owned).unwrap_or_else(|| key.thumbprint());
    check_kid(&kid)?;
    normalized(&key, &kid, alg).map_err(|error| format!("the key is unusable: {error}"))
}

/// The key with exactly the members it is stored and published with:
/// its material, `kid`, `alg` and `use: "sig"`.
fn normalized(key: &Key, kid: &str, alg: Algorithm) -> crate::Result<Key> {
    let mut jwk = key.to_jwk(true)?;
    jwk.remove("key_ops");
    jwk.insert("use".into(), "sig".into());
    jwk.insert("kid".into(), kid.into());
    jwk.insert("alg".into(), alg.name().into());
    Key::from_jwk(&jwk)
}

/// A kid names a KV entry and an admin route: 1 to 128 of `A-Z a-z 0-9 - _ . : ~`,
/// with at least one letter or digit.
fn check_kid(kid: &str) -> Result<(), String> {
    let allowed = |b: u8| b.is_ascii_alphanumeric() || b"-_.:~".contains(&b);
    match kid.len() <= MAX_KID_LEN && kid.bytes().all(allowed) && kid.bytes().any(|b| b.is_ascii_alphanumeric()) {
        true => Ok(()),
        false => Err(format!("the key's \"kid\" must be 1 to {MAX_KID_LEN} of A-Z a-z 0-9 - _ . : ~")),
    }
}

/// Whether `alg`'s keys are made and used by the host's crypto (WebCrypto)
/// rather than in wasm: RSA, which ring cannot generate, and signs in wasm
/// some 30 times slower than the host (16-18 ms against 0.3-0.5 ms for a
/// 2048-bit key, measured in Node).
pub fn host_crypto(alg: Algorithm) -> bool {
    matches!(alg.family(), Family::RsaPkcs1(_) | Family::RsaPss(_))
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    const DAY: u64 = 86_400;

    fn entry(alg: Algorithm, now: u64) -> Entry {
        Entry::new(&Key::generate(alg, None).unwrap(), now).unwrap()
    }

    fn kids(index: &Index, now: u64) -> Vec<String> {
        index.public_jwks(now)["keys"].as_array().unwrap().iter().map(|k| k["kid"].as_str().unwrap().to_owned()).collect()
    }

    #[test]
    fn activation_publishes_and_retires_the_previous_key_after_the_overlap() {
        let mut index = Index::default();
        let (a, b) = (entry(Algorithm::ES256, 0), entry(Algorithm::ES256, 10));
        let (ka, kb) = (a.kid.clone(), b.kid.clone());
        index.add(a, Placement::Current, 100, 0).unwrap();
        index.add(b, Placement::Staged, 100, 10).unwrap();
        assert_eq!(kids(&index, 10), vec![ka.clone()], "a staged key is not published");
        assert_eq!(index.current.as_deref(), Some(ka.as_str()));
        assert_eq!(index.keys[1].status(&index, 10), "staged");
        index.activate(&kb, 100, 20).unwrap();
        assert_eq!(index.current.as_deref(), Some(kb.as_str()));
        assert_eq!(kids(&index, 119), vec![ka.clone(), kb.clone()]);
        assert_eq!(kids(&index, 120), vec![kb.clone()]);
        assert_eq!(index.keys[0].status(&index, 120), "retired");
        assert_eq!(index.activate(&ka, 100, 130), Err(Refusal::Conflict("only a staged key can be activated: this one has been current and retired")));
        assert_eq!(index.activate(&kb, 100, 130), Ok(()), "activating the current key changes nothing");
        assert_eq!(index.activate("nope", 100, 130), Err(Refusal::UnknownKid));
        // A key staged before SIGNING_ALG changed cannot become current; an overlap never wraps.
        let c = entry(Algorithm::EdDSA, 130);
        let kc = c.kid.clone();
        index.add(c, Placement::Staged, 100, 130).unwrap();
        assert_eq!(index.activate_for(&kc, "ES256", 100, 130), Err(Refusal::Conflict("the key's alg is not SIGNING_ALG")));
        index.activate_for(&kc, "EdDSA", u64::MAX, 130).unwrap();
        assert_eq!(index.keys.iter().find(|entry| entry.kid == kb).and_then(|entry| entry.retires), Some(u64::MAX));
        assert!(matches!(index.add(entry(Algorithm::ES256, 0).clone_with_kid(&kb), Placement::Current, 100, 140), Err(Refusal::Conflict(_))));
    }

    impl Entry {
        fn clone_with_kid(mut self, kid: &str) -> Entry {
            self.kid = kid.to_owned();
            self
        }
    }

    #[test]
    fn prune_drops_only_retired_keys() {
        let mut index = Index::default();
        let (a, b, c) = (entry(Algorithm::EdDSA, 0), entry(Algorithm::EdDSA, 0), entry(Algorithm::EdDSA, 0));
        let (ka, kb, kc) = (a.kid.clone(), b.kid.clone(), c.kid.clone());
        index.add(a, Placement::Current, 50, 0).unwrap();
        index.add(b, Placement::Current, 50, 10).unwrap();
        index.add(c, Placement::Staged, 50, 10).unwrap();
        assert!(index.prune(59).is_empty());
        assert_eq!(index.prune(60), vec![ka]);
        assert_eq!(index.keys.iter().map(|e| e.kid.clone()).collect::<Vec<_>>(), vec![kb, kc]);
    }

    #[test]
    fn rotation_is_due_after_the_current_key_has_served_long_enough() {
        let mut index = Index::default();
        assert!(!index.rotation_due(Some(DAY), 10 * DAY), "nothing to rotate");
        index.add(entry(Algorithm::ES256, 0), Placement::Staged, 0, 0).unwrap();
        let kid = index.keys[0].kid.clone();
        index.activate(&kid, 0, 5 * DAY).unwrap();
        assert!(!index.rotation_due(Some(30 * DAY), 34 * DAY), "counted from activation, not storage");
        assert!(index.rotation_due(Some(30 * DAY), 35 * DAY));
        assert!(!index.rotation_due(None, 1000 * DAY), "off by default");
    }

    #[test]
    fn an_index_written_before_staging_still_reads() {
        let old = json!({"current": "k1", "keys": [{"kid": "k1", "alg": "ES256", "created": 7, "retires": null, "public_jwk": {"kty": "EC"}}]});
        let index: Index = serde_json::from_value(old).unwrap();
        assert_eq!(index.current_entry().map(|e| (e.created, e.staged, e.since)), Some((7, false, None)));
        assert!(index.rotation_due(Some(3), 10));
    }

    #[test]
    fn an_import_must_be_private_fitting_and_strong() {
        let es = Key::generate(Algorithm::ES256, Some("es")).unwrap();
        let private = es.to_jwk(true).unwrap();
        let key = signing_key(&Value::Object(private.clone()), Algorithm::ES256).unwrap();
        assert_eq!(key.kid(), Some("es"));
        let public = signing_key(&Value::Object(es.to_jwk(false).unwrap()), Algorithm::ES256).unwrap_err();
        assert!(public.contains("public"), "{public}");
        let mismatch = signing_key(&Value::Object(private.clone()), Algorithm::RS256).unwrap_err();
        assert!(mismatch.contains("ES256") && mismatch.contains("RS256"), "{mismatch}");
        let mut no_alg = private.clone();
        no_alg.remove("alg");
        assert!(signing_key(&Value::Object(no_alg), Algorithm::EdDSA).unwrap_err().contains("cannot sign EdDSA"));
        let mut verify_only = private.clone();
        verify_only.insert("key_ops".into(), json!(["verify"]));
        assert!(signing_key(&Value::Object(verify_only), Algorithm::ES256).unwrap_err().contains("key_ops"));
        let mut bad_kid = private.clone();
        bad_kid.insert("kid".into(), "a/b".into());
        assert!(signing_key(&Value::Object(bad_kid), Algorithm::ES256).unwrap_err().contains("kid"));
        let secret = Key::generate(Algorithm::HS256, None).unwrap().to_jwk(true).unwrap();
        assert!(signing_key(&Value::Object(secret), Algorithm::ES256).is_err());
        assert!(signing_key(&json!(7), Algorithm::ES256).unwrap_err().contains("\"key\""));
        for refused in [public, mismatch] {
            assert!(!refused.contains(private["d"].as_str().unwrap()));
        }
    }

    #[test]
    fn an_imported_key_without_kid_gets_its_thumbprint_and_loses_key_ops() {
        let ed = Key::generate(Algorithm::EdDSA, None).unwrap();
        let mut jwk = ed.to_jwk(true).unwrap();
        jwk.remove("kid");
        jwk.remove("alg");
        jwk.insert("key_ops".into(), json!(["sign"]));
        let key = signing_key(&Value::Object(jwk), Algorithm::EdDSA).unwrap();
        assert_eq!(key.kid(), Some(ed.thumbprint().as_str()));
        let public = key.to_jwk(false).unwrap();
        assert_eq!((public.get("key_ops"), public.get("use"), public.get("alg")), (None, Some(&json!("sig")), Some(&json!("EdDSA"))));
    }

    #[test]
    fn the_import_request_reads_activate_and_a_pem() {
        let pem = "-----BEGIN PRIVATE KEY-----\nMC4CAQAwBQYDK2VwBCIEINTuctv5E1hK1bbY8fdp+K06/nwoy/HU++CXqI9EdVhC\n-----END PRIVATE KEY-----\n";
        let body = json!({"key": pem, "activate": false});
        let request = ImportRequest::parse(body.as_object().unwrap(), Algorithm::EdDSA).unwrap();
        assert!(!request.activate);
        assert_eq!(request.key.alg(), Some(Algorithm::EdDSA));
        let staged = json!({"key": pem});
        assert!(ImportRequest::parse(staged.as_object().unwrap(), Algorithm::EdDSA).unwrap().activate);
        assert!(ImportRequest::parse(json!({"key": pem, "activate": "yes"}).as_object().unwrap(), Algorithm::EdDSA).is_err());
        assert!(ImportRequest::parse(json!({}).as_object().unwrap(), Algorithm::EdDSA).unwrap_err().contains("required"));
    }

    #[test]
    fn only_rsa_keys_use_the_hosts_crypto() {
        assert!(host_crypto(Algorithm::RS256) && host_crypto(Algorithm::PS256));
        assert!(!host_crypto(Algorithm::ES256) && !host_crypto(Algorithm::EdDSA));
    }

    #[test]
    fn a_token_signed_in_two_steps_verifies() {
        let key = Key::generate(Algorithm::ES256, Some("two")).unwrap();
        let mint = crate::jwt::Mint { expires_in: Some(60), ..crate::jwt::Mint::default() };
        let claims = json!({"sub": "s"});
        let (input, alg) = mint.signing_input(claims.as_object().unwrap(), &key).unwrap();
        assert_eq!(alg, Algorithm::ES256);
        let token = crate::jws::assemble(&input, &crate::jws::signature(&key, input.as_bytes()).unwrap());
        let mut keys = crate::KeySet::new();
        keys.add(Key::from_jwk(&key.to_jwk(false).unwrap()).unwrap());
        let verified = crate::jwt::verify(&token, &keys, &crate::jwt::Validation::new(&[Algorithm::ES256])).unwrap();
        assert_eq!(verified.header.kid(), Some("two"));
    }

    #[test]
    fn a_scheduled_rotation_publishes_the_next_key_before_it_signs() {
        const DAY: u64 = 86_400;
        let mut index = Index::default();
        let a = entry(Algorithm::ES256, 0);
        let ka = a.kid.clone();
        index.add(a, Placement::Current, 100, 0).unwrap();
        assert_eq!(index.scheduled_step(Some(DAY), "ES256", 400, DAY - 1), Scheduled::Nothing);
        assert_eq!(index.scheduled_step(Some(DAY), "ES256", 400, DAY), Scheduled::PublishNext);
        let next = entry(Algorithm::ES256, DAY);
        let kn = next.kid.clone();
        index.add(next, Placement::Next, 100, DAY).unwrap();
        assert_eq!(kids(&index, DAY), vec![ka.clone(), kn.clone()], "the next key is published at once");
        assert_eq!(index.current.as_deref(), Some(ka.as_str()), "and does not sign yet");
        assert_eq!(index.keys[1].status(&index, DAY), "next");
        assert_eq!(index.scheduled_step(Some(DAY), "ES256", 400, DAY + 399), Scheduled::Nothing);
        assert_eq!(index.scheduled_step(Some(DAY), "ES256", 400, DAY + 400), Scheduled::Activate(kn.clone()));
        index.activate(&kn, 100, DAY + 400).unwrap();
        assert_eq!(index.current.as_deref(), Some(kn.as_str()));
        assert_eq!(index.scheduled_step(Some(DAY), "ES256", 400, DAY + 401), Scheduled::Nothing);
    }

    #[test]
    fn a_next_key_passed_over_leaves_and_one_of_another_alg_never_blocks_rotation() {
        const DAY: u64 = 86_400;
        let mut index = Index::default();
        index.add(entry(Algorithm::ES256, 0), Placement::Current, 100, 0).unwrap();
        let next = entry(Algorithm::ES256, DAY);
        let kn = next.kid.clone();
        index.add(next, Placement::Next, 100, DAY).unwrap();
        // SIGNING_ALG changed to EdDSA: the ES256 next key is passed over.
        assert_eq!(index.scheduled_step(Some(DAY), "EdDSA", 0, DAY + 1), Scheduled::PublishNext);
        // A key made current another way retires the pending next key at once.
        let manual = entry(Algorithm::EdDSA, DAY + 2);
        index.add(manual, Placement::Current, 100, DAY + 2).unwrap();
        assert!(!kids(&index, DAY + 2).contains(&kn), "the passed-over next key left the JWKS");
        assert!(index.prune(DAY + 2).contains(&kn), "and is pruned, with its sealed material");
    }
}
