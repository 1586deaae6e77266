//! The box as the page sees it: status, refused changes, log levels.

use super::*;
use crate::certificate::load::Timeouts;
use crate::settings::SETTINGS_FILE_NAME;
use model::change_error::ChangeError;
use model::credential::CredentialProblem;
use model::log_level::{Level, LogLevels};
use model::odoo_server::ServerUrlProblem;

fn open(dir: &std::path::Path) -> IotBox {
    let config = BoxConfig {
        data_dir: dir.to_owned(),
        poll_interval: Duration::from_secs(10),
        certificate: EngineConfig {
            // Nothing listens there; these tests never start the worker anyway.
            cert_server: "https://127.0.0.1:9/x509".parse().unwrap(),
            extra_roots: Vec::new(),
            timeouts: Timeouts {
                connect: Duration::from_secs(1),
                total: Duration::from_secs(1),
            },
            https_port: 443,
        },
        // Nothing answers there either.
        resolvers: Resolvers {
            network: Some("127.0.0.1:9".parse().unwrap()),
            public: "127.0.0.1:9".parse().unwrap(),
        },
        metrics_token: Some("scrape-token".into()),
        serial_number_file: dir.join("no-serial-number"),
        http_addr: "0.0.0.0:80".parse().unwrap(),
    };
    let settings = SettingsFile::open(dir).unwrap();
    let log_file = LogFile::open(dir).unwrap();
    IotBox::open(&config, settings, log_file, Box::new(|_| Ok(()))).unwrap()
}

#[test]
fn status_follows_the_settings_file() {
    let dir = tempfile::tempdir().unwrap();
    let iot_box = open(dir.path());
    let status = iot_box.status(None);
    assert_eq!(status.odoo_server, None);
    assert_eq!(status.poll_interval_ms, 10_000);
    assert_eq!(status.version, env!("CARGO_PKG_VERSION"));

    std::fs::write(
        dir.path().join(SETTINGS_FILE_NAME),
        "[odoo]\nserver_url = \"https://erp.example.com\"\n",
    )
    .unwrap();
    assert_eq!(
        iot_box.status(None).odoo_server.as_deref(),
        Some("https://erp.example.com/")
    );
}

#[test]
fn a_refused_change_saves_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let iot_box = open(dir.path());
    assert_eq!(
        iot_box.save_credential("not-a-uuid", ""),
        Err(ChangeError::Credential(vec![
            CredentialProblem::DbUuidMalformed,
            CredentialProblem::ContractNumberMissing
        ]))
    );
    assert_eq!(
        iot_box.connect_odoo_server("ftp://erp.example.com"),
        Err(ChangeError::ServerUrl(ServerUrlProblem::Scheme(
            "ftp".into()
        )))
    );
    assert!(!dir.path().join(SETTINGS_FILE_NAME).exists());

    iot_box
        .save_credential("6F2D1D34-0D8E-4C8F-9A7B-3E5F1C2A9B10", "M2611250001")
        .unwrap();
    let credential = iot_box.status(None).credential;
    assert_eq!(
        credential.db_uuid.as_deref(),
        Some("6f2d1d34-0d8e-4c8f-9a7b-3e5f1c2a9b10")
    );
    assert_eq!(
        credential.contract_number_masked.as_deref(),
        Some("•••••••0001")
    );
}

#[test]
fn chosen_log_levels_are_applied_kept_and_dated() {
    let dir = tempfile::tempdir().unwrap();
    let applied = Arc::new(std::sync::Mutex::new(Vec::new()));
    let config_dir = dir.path().to_owned();
    let mut iot_box = open(&config_dir);
    iot_box.log_filter = Box::new({
        let applied = applied.clone();
        move |filter| {
            applied.lock().unwrap().push(filter.to_string());
            Ok(())
        }
    });
    let levels = LogLevels {
        certificate: Level::Debug,
        ..LogLevels::default()
    };
    iot_box.set_log_levels(levels).unwrap();
    assert_eq!(
        applied.lock().unwrap().last().map(String::as_str),
        Some("info,iotbox_core::certificate=debug,iotbox_core::diagnostics=debug,iotbox::web=info,tower_http=info")
    );
    let status = iot_box.status(None).log_level;
    assert_eq!(status.levels, levels);
    assert!(status.reset_on.is_some());
}

#[test]
fn metrics_are_open_without_a_password_and_need_the_token_or_a_login_with_one() {
    let dir = tempfile::tempdir().unwrap();
    let iot_box = open(dir.path());
    assert!(iot_box.may_scrape(None, None));
    let session = iot_box
        .access()
        .set_password(None, "correct horse battery", "correct horse battery", None)
        .unwrap();
    assert!(!iot_box.may_scrape(None, None));
    assert!(!iot_box.may_scrape(Some("scrape-tokeN"), None));
    assert!(!iot_box.may_scrape(Some("scrape-token-longer"), None));
    assert!(iot_box.may_scrape(Some("scrape-token"), None));
    assert!(iot_box.may_scrape(None, Some(&session)));
}
