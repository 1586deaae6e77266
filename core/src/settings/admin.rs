//! The `[admin]` section: the hash of the optional admin password. Delete its line to forget
//! the password (see `access`).

use serde::{Deserialize, Serialize};
use std::fmt;

#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct AdminSettings {
    #[serde(skip_serializing_if = "Option::is_none")]
    pub password_hash: Option<PasswordHashText>,
}

impl AdminSettings {
    pub(super) fn is_default(&self) -> bool {
        *self == Self::default()
    }
}

/// An Argon2id hash in its PHC form (`$argon2id$v=19$m=...`), checked when read: a hash the
/// box cannot check passwords against would lock everybody out.
#[derive(Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct PasswordHashText(String);

impl PasswordHashText {
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl TryFrom<String> for PasswordHashText {
    type Error = String;

    fn try_from(text: String) -> Result<Self, String> {
        match argon2::password_hash::PasswordHash::new(&text) {
            Ok(hash) if hash.algorithm.as_str() == "argon2id" => Ok(Self(text)),
            _ => Err(
                "not an Argon2id password hash ($argon2id$...); delete the line to \
                      remove the password"
                    .to_string(),
            ),
        }
    }
}

impl From<PasswordHashText> for String {
    fn from(hash: PasswordHashText) -> Self {
        hash.0
    }
}

/// A hash is no secret like the password, but there is no need to print it either.
impl fmt::Debug for PasswordHashText {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("PasswordHashText(..)")
    }
}
