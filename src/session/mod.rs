//! Dashboard users: roles, accounts, the signed session cookie, the login
//! limiter and the same-origin check. Pure decisions; where users, sessions
//! and attempts are stored (the Worker's Durable Object) is the host's.
//!
//! A session is one more credential kind of the gateway's chain
//! ([`crate::authn`]): the cookie's signature and expiry are checked here, and
//! the host confirms that the session is still live and says the user's
//! current role, so a logout, deletion or role change counts at once.

mod account;
mod cookie;
mod csrf;
mod limiter;
mod role;

pub use account::{check_password, check_username, normalized_username, MAX_PASSWORD_LEN, MIN_PASSWORD_LEN};
pub use cookie::{clearing_cookie, cookie_value, cookie_values, new_session_id, setting_cookie, without_cookie, SessionCookie, DEFAULT_COOKIE_NAME};
pub use csrf::is_same_origin;
pub use limiter::{client_of, LoginLimit};
pub use role::Role;
