//! JWT claims validation (RFC 7519 section 7.2, with jose's conventions).
//!
//! Time rules: a token whose `exp` equals the current time has expired; one
//! whose `nbf` equals it is valid; the clock tolerance widens both. `exp` is
//! required unless the caller opts out. With a maximum age, `iat` is required
//! and may not lie in the future beyond the tolerance.
//!
//! Every check that can be left off is an `Option`: `None` is "not checked",
//! and a `Some` always checks. An empty allow-list is therefore a list that
//! allows nothing, never a check turned off.

use super::claims::{self, Claims};
use crate::error::{ClaimReason, Error, Result};
use crate::jws::{Algorithm, Header, DEFAULT_MAX_TOKEN_SIZE};

/// What a verifier requires of a token.
#[derive(Debug, Clone, PartialEq)]
pub struct Validation {
    /// The algorithms accepted: there is no default.
    pub algorithms: Vec<Algorithm>,
    /// Accepted issuers: `iss` is required and must be one of them (an
    /// empty list accepts no token). `None`: `iss` is not checked.
    pub issuers: Option<Vec<String>>,
    /// Accepted audiences: `aud` is required and one of its values must be
    /// one of them (an empty list accepts no token). `None`: not checked.
    pub audiences: Option<Vec<String>>,
    /// The required `sub`. `None`: not checked.
    pub subject: Option<String>,
    /// The required header `typ`, compared as media types (RFC 7515 section
    /// 4.1.9: case-insensitive, `application/` implied when there is no `/`).
    pub typ: Option<String>,
    /// Seconds of clock skew tolerated on `exp`, `nbf` and `iat`.
    pub clock_tolerance: u64,
    /// The oldest `iat` accepted, in seconds before now.
    pub max_token_age: Option<u64>,
    /// Claims that must be present, whatever their value.
    pub required_claims: Vec<String>,
    pub require_exp: bool,
    /// The current time in seconds since the epoch; the system clock when `None`.
    pub current_time: Option<f64>,
    pub max_token_size: usize,
}

impl Validation {
    /// Validation accepting `algorithms`, with every other option at its default.
    pub fn new(algorithms: &[Algorithm]) -> Validation {
        Validation {
            algorithms: algorithms.to_vec(),
            issuers: None,
            audiences: None,
            subject: None,
            typ: None,
            clock_tolerance: 0,
            max_token_age: None,
            required_claims: Vec::new(),
            require_exp: true,
            current_time: None,
            max_token_size: DEFAULT_MAX_TOKEN_SIZE,
        }
    }

    pub(crate) fn check(&self, header: &Header, claims: &Claims, now: f64) -> Result<()> {
        self.check_typ(header)?;
        self.check_present(claims)?;
        check_one_of("iss", claims::string(claims, "iss")?.map(|iss| vec![iss]), self.issuers.as_deref())?;
        check_one_of("sub", claims::string(claims, "sub")?.map(|sub| vec![sub]), self.subject.as_ref().map(std::slice::from_ref))?;
        check_one_of("aud", claims::audience(claims)?, self.audiences.as_deref())?;
        self.check_times(claims, now)
    }

    fn check_typ(&self, header: &Header) -> Result<()> {
        let Some(expected) = &self.typ else { return Ok(()) };
        match header.typ() {
            Some(typ) if normalized_typ(typ) == normalized_typ(expected) => Ok(()),
            Some(_) => Err(Error::claim_failed("typ", ClaimReason::Mismatch)),
            None => Err(Error::claim_failed("typ", ClaimReason::Missing)),
        }
    }

    fn check_present(&self, claims: &Claims) -> Result<()> {
        let implied = [
            ("iss", self.issuers.is_some()),
            ("sub", self.subject.is_some()),
            ("aud", self.audiences.is_some()),
            ("exp", self.require_exp),
            ("iat", self.max_token_age.is_some()),
        ];
        let implied = implied.into_iter().filter(|(_, required)| *required).map(|(name, _)| name);
        let explicit = self.required_claims.iter().map(String::as_str);
        match implied.chain(explicit).find(|name| !claims.contains_key(*name)) {
            Some(missing) => Err(Error::claim_failed(missing, ClaimReason::Missing)),
            None => Ok(()),
        }
    }

    fn check_times(&self, claims: &Claims, now: f64) -> Result<()> {
        if !(now.is_finite() && now >= 0.0) {
            // Every comparison with NaN is false: it would pass any time check.
            return Err(Error::NotSupported("the verifier's current time is not a finite, non-negative number"));
        }
        let tolerance = self.clock_tolerance as f64;
        let iat = claims::numeric_date(claims, "iat")?;
        if claims::numeric_date(claims, "nbf")?.is_some_and(|nbf| nbf > now + tolerance) {
            return Err(Error::claim_failed("nbf", ClaimReason::CheckFailed));
        }
        if claims::numeric_date(claims, "exp")?.is_some_and(|exp| exp <= now - tolerance) {
            return Err(Error::JwtExpired { claim: "exp" });
        }
        if let (Some(max_age), Some(iat)) = (self.max_token_age, iat) {
            let age = now - iat;
            if age < -tolerance {
                return Err(Error::claim_failed("iat", ClaimReason::CheckFailed));
            }
            if age - tolerance > max_age as f64 {
                return Err(Error::JwtExpired { claim: "iat" });
            }
        }
        Ok(())
    }

    /// A span of times, in seconds since the epoch, at every one of which
    /// [`Validation::check`]'s time checks pass for `claims` (which passed the
    /// others once: they do not change with time). Each end is brought in by
    /// a second, so no rounding at an edge matters: a cache may answer inside
    /// it without asking again, and asks again outside it. With a fixed
    /// `current_time` it is all time or none. `None` when the claims' times
    /// cannot be read or leave no such span.
    pub(crate) fn sure_window(&self, claims: &Claims) -> Option<(f64, f64)> {
        if let Some(now) = self.current_time {
            return self.check_times(claims, now).is_ok().then_some((f64::NEG_INFINITY, f64::INFINITY));
        }
        let tolerance = self.clock_tolerance as f64;
        let date = |name| claims::numeric_date(claims, name).ok();
        let (nbf, exp, iat) = (date("nbf")?, date("exp")?, date("iat")?);
        let mut from = nbf.map_or(0.0, |nbf| nbf - tolerance);
        let mut until = exp.map_or(f64::INFINITY, |exp| exp + tolerance);
        if let (Some(max_age), Some(iat)) = (self.max_token_age, iat) {
            from = from.max(iat - tolerance);
            until = until.min(iat + max_age as f64 + tolerance);
        }
        Some((from + 1.0, until - 1.0)).filter(|(from, until)| from <= until)
    }
}

/// Passes when nothing is expected (`None`), or one of `found` is one of
/// `expected`; an empty `expected` passes nothing. Presence was checked
/// before, so an absent claim here means nothing was expected.
fn check_one_of(name: &str, found: Option<Vec<&str>>, expected: Option<&[String]>) -> Result<()> {
    let Some(expected) = expected else { return Ok(()) };
    match found {
        Some(values) if values.iter().any(|v| expected.iter().any(|e| e == v)) => Ok(()),
        _ => Err(Error::claim_failed(name, ClaimReason::Mismatch)),
    }
}

/// A `typ` as the media type it names: RFC 7515 section 4.1.9 has a
/// recipient prepend `application/` only to a value without any `/`, so
/// `text/plain` stays itself and never equals `application/text/plain`.
fn normalized_typ(typ: &str) -> String {
    let lower = typ.to_ascii_lowercase();
    match lower.contains('/') {
        true => lower,
        false => format!("application/{lower}"),
    }
}
