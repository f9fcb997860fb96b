//! How many failed logins are allowed: at most [`LoginLimit::max_failures`]
//! within any [`LoginLimit::window`] seconds per (username, client), Kure's
//! 5 per 30 s by default. While the limit is reached every attempt is
//! refused before the password is checked, a right one too, until the
//! oldest failure leaves the window. The host stores the failures where the
//! count is exact (the Durable Object) and asks here.

/// The limit on failed attempts.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct LoginLimit {
    pub max_failures: usize,
    pub window: f64,
}

impl Default for LoginLimit {
    fn default() -> Self {
        LoginLimit { max_failures: 5, window: 30.0 }
    }
}

impl LoginLimit {
    /// `None` when an attempt may go on at `now`, given the times of earlier
    /// failures; else the whole seconds until one may (for `Retry-After`).
    pub fn retry_after(&self, failures: &[f64], now: f64) -> Option<u64> {
        let mut recent: Vec<f64> = failures.iter().copied().filter(|at| now - at < self.window && *at <= now).collect();
        if recent.len() < self.max_failures {
            return None;
        }
        recent.sort_by(f64::total_cmp);
        let frees_at = recent.get(recent.len() - self.max_failures).copied().unwrap_or(now) + self.window;
        Some((frees_at - now).ceil().max(1.0) as u64)
    }

    /// Failures older than this no longer count, and may be forgotten.
    pub fn forget_before(&self, now: f64) -> f64 {
        now - self.window
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_sixth_attempt_in_thirty_seconds_waits() {
        let limit = LoginLimit::default();
        let failures: Vec<f64> = (0..5).map(|i| 100.0 + f64::from(i)).collect();
        assert_eq!(limit.retry_after(&failures[..4], 105.0), None);
        assert_eq!(limit.retry_after(&failures, 105.0), Some(25));
        assert_eq!(limit.retry_after(&failures, 129.5), Some(1));
        assert_eq!(limit.retry_after(&failures, 130.0), None, "the oldest left the window");
        assert_eq!(limit.retry_after(&[f64::NAN; 5], 105.0), None);
    }
}
