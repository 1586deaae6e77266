//! The address of the Odoo server the box is connected to, checked wherever it comes from
//! (the form or the settings file).

use app::model::odoo_server::ServerUrlProblem;
use url::Url;

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
