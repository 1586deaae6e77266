//! The optional admin password: off by default, as on the reference box. When set, changing
//! the box and downloading its logs need a login; its state and its problems stay readable by
//! anyone who opens the page, so a shop owner always sees what is wrong.

use serde::{Deserialize, Serialize};

pub const CURRENT_PASSWORD_FIELD: &str = "current_password";
/// The password typed to remove it: a field of its own form, beside the change form's.
pub const REMOVAL_PASSWORD_FIELD: &str = "password_to_remove";
pub const PASSWORD_FIELD: &str = "password";
pub const CONFIRMATION_FIELD: &str = "confirmation";
pub const MIN_PASSWORD_CHARS: usize = 10;
pub const MAX_PASSWORD_CHARS: usize = 128;

/// What the page knows of the password, for the request it answers.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct AccessStatus {
    pub password_set: bool,
    /// This browser is logged in (always false while no password is set).
    pub logged_in: bool,
}

impl AccessStatus {
    /// Whether this browser may change the box.
    pub fn may_change(&self) -> bool {
        !self.password_set || self.logged_in
    }
}

/// Why the box refuses a password, or a login.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize, thiserror::Error)]
pub enum PasswordProblem {
    #[error("A password has at least {MIN_PASSWORD_CHARS} characters.")]
    TooShort,
    #[error("A password has at most {MAX_PASSWORD_CHARS} characters.")]
    TooLong,
    #[error("The password contains invisible control characters; type it again.")]
    ControlCharacters,
    #[error("The two passwords differ; type the same one twice.")]
    Mismatch,
    #[error("This is not the password.")]
    Wrong,
    #[error("This is not the current password.")]
    CurrentWrong,
    #[error("Too many wrong passwords from this device: try again in {seconds} s.")]
    SlowDown { seconds: u64 },
}

impl PasswordProblem {
    /// The form field the problem is about.
    pub fn field(&self) -> &'static str {
        match self {
            Self::Mismatch => CONFIRMATION_FIELD,
            Self::CurrentWrong => CURRENT_PASSWORD_FIELD,
            _ => PASSWORD_FIELD,
        }
    }
}
