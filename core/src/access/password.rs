//! The admin password: checked as typed, kept only as an Argon2id hash (a PHC string such as
//! `$argon2id$v=19$m=19456,t=2,p=1$...`), never in clear, never logged.

use crate::settings::admin::PasswordHashText;
use argon2::password_hash::rand_core::OsRng;
use argon2::password_hash::{PasswordHash, PasswordHasher, PasswordVerifier, SaltString};
use argon2::{Algorithm, Argon2, Params, Version};
use model::access::{PasswordProblem, MAX_PASSWORD_CHARS, MIN_PASSWORD_CHARS};

/// OWASP's Argon2id set: 19 MiB, two passes, one lane; a fraction of a second on a Pi.
fn argon2() -> Argon2<'static> {
    let params = Params::new(19 * 1024, 2, 1, None).expect("valid Argon2 parameters");
    Argon2::new(Algorithm::Argon2id, Version::V0x13, params)
}

/// A new password, as typed twice.
pub fn check(password: &str, confirmation: &str) -> Result<(), PasswordProblem> {
    let count = password.chars().count();
    if count < MIN_PASSWORD_CHARS {
        Err(PasswordProblem::TooShort)
    } else if count > MAX_PASSWORD_CHARS {
        Err(PasswordProblem::TooLong)
    } else if password.chars().any(char::is_control) {
        Err(PasswordProblem::ControlCharacters)
    } else if password != confirmation {
        Err(PasswordProblem::Mismatch)
    } else {
        Ok(())
    }
}

/// Blocking: Argon2 is slow on purpose.
pub fn hash(password: &str) -> PasswordHashText {
    let salt = SaltString::generate(&mut OsRng);
    let hash = argon2()
        .hash_password(password.as_bytes(), &salt)
        .expect("Argon2 hashes any password")
        .to_string();
    PasswordHashText::try_from(hash).expect("Argon2id makes Argon2id hashes")
}

/// Blocking, as [`hash`].
pub fn verify(password: &str, hash: &PasswordHashText) -> bool {
    PasswordHash::new(hash.as_str())
        .is_ok_and(|hash| argon2().verify_password(password.as_bytes(), &hash).is_ok())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keeps_only_a_hash_that_checks_the_password() {
        let hash = hash("correct horse battery");
        let text = hash.as_str();
        assert!(
            text.starts_with("$argon2id$v=19$m=19456,t=2,p=1$"),
            "{text}"
        );
        assert!(!text.contains("correct horse"));
        assert!(verify("correct horse battery", &hash));
        assert!(!verify("correct horse batterY", &hash));
        assert!(PasswordHashText::try_from("not a hash".to_string()).is_err());
        assert!(PasswordHashText::try_from(text.replace("argon2id", "argon2i")).is_err());
    }

    #[test]
    fn refuses_passwords_that_are_too_weak_or_mistyped() {
        assert_eq!(check("short", "short"), Err(PasswordProblem::TooShort));
        let long = "x".repeat(129);
        assert_eq!(check(&long, &long), Err(PasswordProblem::TooLong));
        assert_eq!(
            check("ten chars\u{7}!", "ten chars\u{7}!"),
            Err(PasswordProblem::ControlCharacters)
        );
        assert_eq!(
            check("ten characters", "ten charactere"),
            Err(PasswordProblem::Mismatch)
        );
        assert_eq!(check("ten characters", "ten characters"), Ok(()));
    }
}
