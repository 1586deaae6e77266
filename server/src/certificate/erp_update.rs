//! Telling the ERP: after each certificate it stores, the box posts its end date to the
//! connected Odoo server (`POST <server>/iot/box/update_certificate_status`, as the newest
//! reference does), so that the ERP shows when each box's certificate expires. The post has
//! a short deadline and runs beside the renewal, never in its way; a failure is logged and
//! shown on the homepage, and the next stored certificate tells again.

use crate::timestamp::rfc3339;
use app::model::erp_update::ErpUpdate;
use rustls::RootCertStore;
use std::sync::{Arc, Mutex};
use std::time::Duration;
use time::OffsetDateTime;
use url::Url;

/// The reference waits 5 s for this answer; a slow ERP only delays the line on the homepage.
const DEADLINE: Duration = Duration::from_secs(5);
const PATH: &str = "iot/box/update_certificate_status";

pub struct ErpUpdater {
    client: reqwest::Client,
    last: Mutex<Option<ErpUpdate>>,
}

impl ErpUpdater {
    /// Trusts what the certificate server's requests trust: the system's roots and
    /// `--cert-server-ca`.
    pub fn new(roots: Arc<RootCertStore>) -> Result<Self, String> {
        let tls = crate::tls::client_config()
            .with_root_certificates(roots)
            .with_no_client_auth();
        let client = reqwest::Client::builder()
            .tls_backend_preconfigured(tls)
            .timeout(DEADLINE)
            .redirect(reqwest::redirect::Policy::none())
            .user_agent(concat!("iotbox/", env!("CARGO_PKG_VERSION")))
            // One update per certificate: no connection worth keeping, none to find closed.
            .pool_max_idle_per_host(0)
            .build()
            .map_err(|e| e.to_string())?;
        Ok(Self {
            client,
            last: Mutex::new(None),
        })
    }

    /// What the box last told the Odoo server, or tried to.
    pub fn last(&self) -> Option<ErpUpdate> {
        self.last.lock().unwrap_or_else(|e| e.into_inner()).clone()
    }

    /// Tells `server` that the box `identifier` serves a certificate until `not_after`.
    pub async fn tell(&self, server: &Url, identifier: &str, not_after: OffsetDateTime) {
        let url = endpoint(server);
        // For the log: a password in the server's address stays out of it.
        let mut shown = url.clone();
        let _ = shown.set_username("");
        let _ = shown.set_password(None);
        let answer = self
            .client
            .post(url.clone())
            .json(&body(identifier, not_after))
            .send()
            .await;
        let problem = match answer {
            Ok(answer) if answer.status().is_success() => None,
            Ok(answer) => Some(format!("the Odoo server answered {}", answer.status())),
            Err(error) if error.is_timeout() => Some(format!(
                "the Odoo server did not answer within {} s",
                DEADLINE.as_secs()
            )),
            Err(error) => Some(format!(
                "the Odoo server could not be reached: {}",
                crate::certificate::load::describe(&error.without_url())
            )),
        };
        match &problem {
            None => {
                tracing::info!(url = %shown, not_after = %rfc3339(not_after), "the Odoo server was told the certificate's end date")
            }
            Some(problem) => {
                tracing::warn!(url = %shown, %problem, "the Odoo server was not told the certificate's end date")
            }
        }
        *self.last.lock().unwrap_or_else(|e| e.into_inner()) = Some(ErpUpdate {
            at: rfc3339(OffsetDateTime::now_utc()),
            not_after: rfc3339(not_after),
            problem,
        });
    }
}

/// `<server>/iot/box/update_certificate_status`, under the server's path when it has one.
fn endpoint(server: &Url) -> Url {
    let mut base = server.clone();
    if !base.path().ends_with('/') {
        base.set_path(&format!("{}/", base.path()));
    }
    base.set_query(None);
    base.set_fragment(None);
    base.join(PATH).unwrap_or(base)
}

/// As the reference sends it: JSON-RPC `params`, the end date as Python writes a UTC time.
fn body(identifier: &str, not_after: OffsetDateTime) -> serde_json::Value {
    let end = not_after.to_offset(time::UtcOffset::UTC);
    let end_date = format!(
        "{:04}-{:02}-{:02} {:02}:{:02}:{:02}+00:00",
        end.year(),
        u8::from(end.month()),
        end.day(),
        end.hour(),
        end.minute(),
        end.second()
    );
    serde_json::json!({
        "params": {"identifier": identifier, "ssl_certificate_end_date": end_date}
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use time::macros::datetime;

    #[test]
    fn the_endpoint_is_under_the_server_and_its_path() {
        for (server, expected) in [
            (
                "https://erp.example.com",
                "https://erp.example.com/iot/box/update_certificate_status",
            ),
            (
                "https://erp.example.com/",
                "https://erp.example.com/iot/box/update_certificate_status",
            ),
            (
                "http://192.0.2.8:8069/odoo",
                "http://192.0.2.8:8069/odoo/iot/box/update_certificate_status",
            ),
            (
                "https://erp.example.com/web?db=shop#menu",
                "https://erp.example.com/web/iot/box/update_certificate_status",
            ),
        ] {
            assert_eq!(endpoint(&Url::parse(server).unwrap()).as_str(), expected);
        }
    }

    #[test]
    fn the_body_is_the_references_with_the_end_date_as_python_writes_it() {
        let end = datetime!(2027-01-25 14:03:07 +01:00);
        assert_eq!(
            body("b8:27:eb:12:34:56", end),
            serde_json::json!({"params": {
                "identifier": "b8:27:eb:12:34:56",
                "ssl_certificate_end_date": "2027-01-25 13:03:07+00:00"
            }})
        );
    }
}
