//! The credential the certificate server asks for, checked wherever it comes from (the form
//! or the settings file): a database UUID, and a contract number, which is a secret.

use model::credential::{CredentialProblem, MAX_CONTRACT_NUMBER_CHARS};
use serde::{Deserialize, Serialize};
use std::fmt;

/// A database UUID, always in its usual lowercase, hyphenated form.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct DbUuid(String);

impl DbUuid {
    pub fn parse(text: &str) -> Result<Self, CredentialProblem> {
        let text = text.trim();
        if text.is_empty() {
            return Err(CredentialProblem::DbUuidMissing);
        }
        uuid::Uuid::try_parse(text)
            .map(|uuid| Self(uuid.hyphenated().to_string()))
            .map_err(|_| CredentialProblem::DbUuidMalformed)
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl TryFrom<String> for DbUuid {
    type Error = String;

    fn try_from(text: String) -> Result<Self, String> {
        Self::parse(&text).map_err(|_| {
            "not a UUID (it looks like 6f2d1d34-0d8e-4c8f-9a7b-3e5f1c2a9b10)".to_string()
        })
    }
}

impl From<DbUuid> for String {
    fn from(uuid: DbUuid) -> Self {
        uuid.0
    }
}

/// A secret: printed masked, so that no log line or debug output can carry it.
#[derive(Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct ContractNumber(String);

impl ContractNumber {
    /// Trimmed; 1 to 64 characters, none of them a control character.
    pub fn parse(text: &str) -> Result<Self, CredentialProblem> {
        let text = text.trim();
        if text.is_empty() {
            Err(CredentialProblem::ContractNumberMissing)
        } else if text.chars().count() > MAX_CONTRACT_NUMBER_CHARS {
            Err(CredentialProblem::ContractNumberTooLong)
        } else if text.chars().any(char::is_control) {
            Err(CredentialProblem::ContractNumberControlCharacters)
        } else {
            Ok(Self(text.to_string()))
        }
    }

    pub fn expose(&self) -> &str {
        &self.0
    }

    /// All but the last four characters hidden, as the page shows it; a number shorter than
    /// eight characters is hidden whole, since four would be most of it.
    pub fn masked(&self) -> String {
        let count = self.0.chars().count();
        if count < 8 {
            return "•".repeat(8);
        }
        let visible: String = self.0.chars().skip(count - 4).collect();
        format!("{}{visible}", "•".repeat((count - 4).min(8)))
    }
}

impl TryFrom<String> for ContractNumber {
    type Error = String;

    /// The message never quotes the value: it reaches logs and pages.
    fn try_from(text: String) -> Result<Self, String> {
        Self::parse(&text).map_err(|problem| match problem {
            CredentialProblem::ContractNumberTooLong => {
                format!("longer than {MAX_CONTRACT_NUMBER_CHARS} characters")
            }
            CredentialProblem::ContractNumberControlCharacters => {
                "contains control characters".to_string()
            }
            _ => "empty".to_string(),
        })
    }
}

impl From<ContractNumber> for String {
    fn from(number: ContractNumber) -> Self {
        number.0
    }
}

impl fmt::Debug for ContractNumber {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "ContractNumber({})", self.masked())
    }
}

/// Both halves, as the certificate server needs them.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Credential {
    pub db_uuid: DbUuid,
    pub contract_number: ContractNumber,
}

impl Credential {
    /// Checks both fields as typed, giving every problem at once.
    pub fn parse(db_uuid: &str, contract_number: &str) -> Result<Self, Vec<CredentialProblem>> {
        match (
            DbUuid::parse(db_uuid),
            ContractNumber::parse(contract_number),
        ) {
            (Ok(db_uuid), Ok(contract_number)) => Ok(Self {
                db_uuid,
                contract_number,
            }),
            (db_uuid, contract_number) => Err([db_uuid.err(), contract_number.err()]
                .into_iter()
                .flatten()
                .collect()),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn problems(db_uuid: &str, contract_number: &str) -> Vec<CredentialProblem> {
        Credential::parse(db_uuid, contract_number).unwrap_err()
    }

    #[test]
    fn accepts_and_normalises_a_good_credential() {
        let credential =
            Credential::parse(" 6F2D1D34-0D8E-4C8F-9A7B-3E5F1C2A9B10 ", "  M2611250001 ").unwrap();
        assert_eq!(
            credential.db_uuid.as_str(),
            "6f2d1d34-0d8e-4c8f-9a7b-3e5f1c2a9b10"
        );
        assert_eq!(credential.contract_number.expose(), "M2611250001");
    }

    #[test]
    fn refuses_each_bad_field_with_its_own_problem() {
        use CredentialProblem::*;
        assert_eq!(problems("", ""), [DbUuidMissing, ContractNumberMissing]);
        assert_eq!(problems("not-a-uuid", "M1"), [DbUuidMalformed]);
        let uuid = "6f2d1d34-0d8e-4c8f-9a7b-3e5f1c2a9b10";
        assert_eq!(problems(uuid, &"9".repeat(65)), [ContractNumberTooLong]);
        assert_eq!(
            problems(uuid, "M26\u{7}11"),
            [ContractNumberControlCharacters]
        );
    }

    #[test]
    fn the_contract_number_never_prints_in_full() {
        assert_eq!(ContractNumber::parse("1234").unwrap().masked(), "••••••••");
        let number = ContractNumber::parse("M2611250001").unwrap();
        assert_eq!(number.masked(), "•••••••0001");
        assert!(!format!("{number:?}").contains("M2611250001"));
        let refused = ContractNumber::try_from(format!("M26\u{7}{}", "1")).unwrap_err();
        assert!(!refused.contains("M26"), "{refused}");
    }
}
