//! The box's status, as the page, `GET /api/status` and `/metrics` read it, put together from
//! every part. Blocking: a `stat` of the settings and certificate files.

use super::IotBox;
use crate::box_identifier;
use crate::logs::levels::{self};
use crate::timestamp::rfc3339;
use model::access::AccessStatus;
use model::box_status::BoxStatus;
use model::credential::CredentialStatus;
use model::log_level::LogLevelStatus;
use time::OffsetDateTime;

impl IotBox {
    /// The status, for a request whose session cookie holds `session`.
    pub fn status(&self, session: Option<&str>) -> BoxStatus {
        let (settings, settings_problem) = self.settings.current();
        let network = self.network.get();
        let in_force = levels::in_force(&settings.log, OffsetDateTime::now_utc());
        let certificate = self.certificate.status(&settings, network.ip);
        let clock_problem = self.certificate.clock_problem(OffsetDateTime::now_utc());
        BoxStatus {
            name: self.name.clone(),
            version: env!("CARGO_PKG_VERSION").to_string(),
            ip_address: network.ip.map(|ip| ip.to_string()),
            homepage_by_ip: crate::network_identity::homepage_by_ip(self.http_addr, network.ip),
            identifier: box_identifier::choose(
                self.serial_number.as_deref(),
                network.mac.as_deref(),
                &self.name,
            ),
            mac_address: network.mac,
            odoo_server: settings.odoo.server_url.map(String::from),
            credential: CredentialStatus {
                db_uuid: settings.credential.db_uuid.map(String::from),
                contract_number_masked: settings
                    .credential
                    .contract_number
                    .map(|number| number.masked()),
            },
            settings_problem,
            certificate,
            clock_problem,
            clock_synchronised: crate::clock::system_synchronised(),
            diagnostics: self.diagnostics.report(),
            erp_update: self.erp.last(),
            access: AccessStatus {
                password_set: settings.admin.password_hash.is_some(),
                logged_in: self.access.logged_in(session),
            },
            log_level: LogLevelStatus {
                levels: in_force.levels,
                reset_on: in_force.reset_on.map(rfc3339),
            },
            poll_interval_ms: self.poll_interval_ms,
        }
    }
}
