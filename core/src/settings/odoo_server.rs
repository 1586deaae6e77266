//! The address of the Odoo server the box is connected to, checked wherever it comes from
//! (the form or the settings file); or the pairing token the ERP's IoT app shows, which
//! carries the credential too.

use super::credential::Credential;
use model::odoo_server::ServerUrlProblem;
use url::Url;

/// What a person pasted in the server field.
#[derive(Debug, PartialEq, Eq)]
pub enum Pasted {
    Address(Url),
    /// `<url>|<token>|<db_uuid>|<contract_number>`: the server and its credential at once.
    /// The token in the middle pairs a reference box with the ERP; this box needs only the
    /// rest.
    PairingToken {
        url: Url,
        credential: Credential,
    },
}

/// Reads the server field: an address, or a pairing token (it has `|` in it, which no
/// address typed by hand does).
pub fn parse_pasted(text: &str) -> Result<Pasted, ServerUrlProblem> {
    let text = text.trim();
    if !text.contains('|') {
        return parse(text).map(Pasted::Address);
    }
    let parts: Vec<&str> = text.split('|').map(str::trim).collect();
    let [url, _token, db_uuid, contract_number] = parts[..] else {
        return Err(ServerUrlProblem::TokenParts(parts.len()));
    };
    let url = parse(url).map_err(|problem| ServerUrlProblem::TokenAddress(Box::new(problem)))?;
    let credential = Credential::parse(db_uuid, contract_number)
        .map_err(|problems| ServerUrlProblem::TokenCredential(problems[0]))?;
    Ok(Pasted::PairingToken { url, credential })
}

/// Reads an address as a person types it.
pub fn parse(text: &str) -> Result<Url, ServerUrlProblem> {
    let url = Url::parse(text.trim()).map_err(|_| ServerUrlProblem::NotAnAddress)?;
    check(&url)?;
    Ok(url)
}

pub fn check(url: &Url) -> Result<(), ServerUrlProblem> {
    if !url.username().is_empty() || url.password().is_some() {
        return Err(ServerUrlProblem::UserOrPassword);
    }
    match (url.scheme(), url.host()) {
        ("http" | "https", Some(_)) => Ok(()),
        ("http" | "https", None) => Err(ServerUrlProblem::NoServerName),
        (scheme, _) => Err(ServerUrlProblem::Scheme(scheme.to_string())),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use model::credential::CredentialProblem;

    #[test]
    fn a_pairing_token_sets_the_server_and_the_credential() {
        let Pasted::PairingToken { url, credential } = parse_pasted(
            " https://shop.odoo.com|AbC123|6F2D1D34-0D8E-4C8F-9A7B-3E5F1C2A9B10|M2611250001 ",
        )
        .unwrap() else {
            panic!("a token")
        };
        assert_eq!(url.as_str(), "https://shop.odoo.com/");
        assert_eq!(
            credential.db_uuid.as_str(),
            "6f2d1d34-0d8e-4c8f-9a7b-3e5f1c2a9b10"
        );
        assert_eq!(credential.contract_number.expose(), "M2611250001");
        assert!(matches!(
            parse_pasted("https://shop.odoo.com").unwrap(),
            Pasted::Address(_)
        ));
    }

    #[test]
    fn a_broken_token_says_which_part() {
        assert_eq!(
            parse_pasted("https://shop.odoo.com|AbC123|6f2d1d34"),
            Err(ServerUrlProblem::TokenParts(3))
        );
        assert_eq!(
            parse_pasted("shop.odoo.com|t|6f2d1d34-0d8e-4c8f-9a7b-3e5f1c2a9b10|M1"),
            Err(ServerUrlProblem::TokenAddress(Box::new(
                ServerUrlProblem::NotAnAddress
            )))
        );
        assert_eq!(
            parse_pasted("https://shop.odoo.com|t|12345|M1"),
            Err(ServerUrlProblem::TokenCredential(
                CredentialProblem::DbUuidMalformed
            ))
        );
        let secret = parse_pasted("https://shop.odoo.com|t|12345|M2611250001")
            .unwrap_err()
            .to_string();
        assert!(!secret.contains("M2611250001"), "{secret}");
    }

    #[test]
    fn takes_only_a_full_http_or_https_address() {
        assert_eq!(
            parse("mycompany.odoo.com"),
            Err(ServerUrlProblem::NotAnAddress)
        );
        assert_eq!(
            parse("mailto:someone@example.com"),
            Err(ServerUrlProblem::Scheme("mailto".into()))
        );
        assert_eq!(
            parse("https://admin:secret@erp.example.com"),
            Err(ServerUrlProblem::UserOrPassword)
        );
        assert_eq!(
            parse(" https://mycompany.odoo.com ").unwrap().as_str(),
            "https://mycompany.odoo.com/"
        );
    }
}
