//! Roles of dashboard users: `read` (GET, HEAD), `write` (read plus the
//! mutating methods), `admin` (write plus user management).

use std::fmt;
use std::str::FromStr;

/// A user's role, ordered: each includes the ones before it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Role {
    Read,
    Write,
    Admin,
}

impl Role {
    pub fn as_str(self) -> &'static str {
        match self {
            Role::Read => "read",
            Role::Write => "write",
            Role::Admin => "admin",
        }
    }

    /// Whether this role may use `method`: `read` only what changes nothing.
    pub fn permits(self, method: &str) -> bool {
        self >= Role::Write || is_safe_method(method)
    }
}

/// GET, HEAD and OPTIONS change nothing (RFC 9110 section 9.2.1).
pub fn is_safe_method(method: &str) -> bool {
    ["GET", "HEAD", "OPTIONS"].iter().any(|safe| safe.eq_ignore_ascii_case(method))
}

impl FromStr for Role {
    type Err = ();

    fn from_str(name: &str) -> Result<Role, ()> {
        match name {
            "read" => Ok(Role::Read),
            "write" => Ok(Role::Write),
            "admin" => Ok(Role::Admin),
            _ => Err(()),
        }
    }
}

impl fmt::Display for Role {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl<'de> serde::Deserialize<'de> for Role {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Role, D::Error> {
        let name = String::deserialize(deserializer)?;
        name.parse().map_err(|()| serde::de::Error::custom(format!("unknown role \"{name}\": read, write or admin")))
    }
}

impl serde::Serialize for Role {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(self.as_str())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn read_only_reads_and_each_role_includes_the_last() {
        assert!(Role::Read.permits("GET") && Role::Read.permits("head") && !Role::Read.permits("POST") && !Role::Read.permits("DELETE"));
        assert!(Role::Write.permits("DELETE") && Role::Admin.permits("PATCH"));
        assert!(Role::Read < Role::Write && Role::Write < Role::Admin);
        assert_eq!("admin".parse::<Role>(), Ok(Role::Admin));
        assert!("root".parse::<Role>().is_err() && "Admin".parse::<Role>().is_err());
    }
}
