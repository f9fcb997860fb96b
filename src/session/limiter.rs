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

/// Whom a budget belongs to, from the caller's address: an IPv4 address, or
/// an IPv6 address's /64 (one subscriber's whole prefix, which they can walk
/// through at will); anything else as given.
pub fn client_of(address: &str) -> String {
    match address.parse::<std::net::IpAddr>() {
        Ok(std::net::IpAddr::V6(v6)) => match v6.to_ipv4_mapped() {
            Some(v4) => v4.to_string(),
            None => {
                let [a, b, c, d, ..] = v6.segments();
                format!("{a:x}:{b:x}:{c:x}:{d:x}::/64")
            }
        },
        Ok(ip) => ip.to_string(),
        Err(_) => address.to_owned(),
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

    #[test]
    fn a_whole_ipv6_prefix_shares_one_budget() {
        assert_eq!(client_of("2001:db8:1:2:aaaa::1"), client_of("2001:0db8:0001:0002:ffff:ffff:ffff:ffff"));
        assert_eq!(client_of("2001:db8:1:2::9"), "2001:db8:1:2::/64");
        assert_ne!(client_of("2001:db8:1:3::1"), client_of("2001:db8:1:2::1"));
        assert_eq!(client_of("::ffff:198.51.100.7"), "198.51.100.7");
        assert_eq!(client_of("198.51.100.7"), "198.51.100.7");
        assert_eq!(client_of("unknown"), "unknown");
    }
}
