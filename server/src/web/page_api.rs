//! The box as the page's server functions see it: `app`'s [`BoxApi`], carried out by the
//! [`IotBox`] on tokio's blocking threads, since reading, writing and syncing files block.

use super::status_feed::StatusFeed;
use app::api::BoxApi;
use iotbox_core::blocking::WorkFailed;
use iotbox_core::iot_box::IotBox;
use model::box_status::BoxStatus;
use model::change_error::ChangeError;
use model::diagnostics::DiagnosticsReport;
use model::log_level::{Level, LogLevels};
use model::log_view::LogTail;
use std::net::IpAddr;
use std::sync::Arc;

pub struct PageApi {
    pub iot_box: Arc<IotBox>,
    /// The status, looked at once for every page and poll asking at the same time.
    pub feed: Arc<StatusFeed>,
}

impl PageApi {
    /// The page's calls have no answer without the box's work: a failure fails the call,
    /// as the work did.
    async fn off_the_runtime<T: Send + 'static>(
        &self,
        work: impl FnOnce(&IotBox) -> T + Send + 'static,
    ) -> T {
        let iot_box = self.iot_box.clone();
        match iotbox_core::blocking::off_the_runtime(move || work(&iot_box)).await {
            Ok(value) => value,
            // The box stops: the call ends with it, unanswered.
            Err(WorkFailed::Stopping) => std::future::pending().await,
            Err(failed) => panic!("{failed}"),
        }
    }
}

#[async_trait::async_trait]
impl BoxApi for PageApi {
    async fn status(&self, session: Option<String>) -> BoxStatus {
        // The shared look; looked at here only if the looking task could not answer.
        if let Some(look) = self.feed.recent().await {
            let mut status = look.status.clone();
            status.access.logged_in = look.logged_in(&self.iot_box, session.as_deref());
            return status;
        }
        self.off_the_runtime(move |iot_box| iot_box.status(session.as_deref()))
            .await
    }

    fn page_visited(&self) {
        self.iot_box.page_visited();
    }

    fn try_again(&self) {
        self.iot_box.try_again();
    }

    async fn connect_odoo_server(&self, url: String) -> Result<(), ChangeError> {
        self.off_the_runtime(move |iot_box| iot_box.connect_odoo_server(&url))
            .await
    }

    async fn disconnect_odoo_server(&self) -> Result<(), ChangeError> {
        self.off_the_runtime(IotBox::disconnect_odoo_server).await
    }

    async fn save_credential(
        &self,
        db_uuid: String,
        contract_number: String,
    ) -> Result<(), ChangeError> {
        self.off_the_runtime(move |iot_box| iot_box.save_credential(&db_uuid, &contract_number))
            .await
    }

    async fn clear_credential(&self) -> Result<(), ChangeError> {
        self.off_the_runtime(IotBox::clear_credential).await
    }

    async fn set_log_levels(&self, levels: LogLevels) -> Result<(), ChangeError> {
        self.off_the_runtime(move |iot_box| iot_box.set_log_levels(levels))
            .await
    }

    async fn log_in(
        &self,
        password: String,
        client: Option<IpAddr>,
    ) -> Result<String, ChangeError> {
        self.off_the_runtime(move |iot_box| iot_box.access().log_in(&password, client))
            .await
    }

    fn log_out(&self, token: &str) {
        self.iot_box.access().log_out(token);
    }

    async fn set_admin_password(
        &self,
        current: Option<String>,
        password: String,
        confirmation: String,
        client: Option<IpAddr>,
    ) -> Result<String, ChangeError> {
        self.off_the_runtime(move |iot_box| {
            iot_box
                .access()
                .set_password(current.as_deref(), &password, &confirmation, client)
        })
        .await
    }

    async fn remove_admin_password(
        &self,
        current: String,
        client: Option<IpAddr>,
    ) -> Result<(), ChangeError> {
        self.off_the_runtime(move |iot_box| iot_box.access().remove_password(&current, client))
            .await
    }

    fn diagnostics(&self) -> DiagnosticsReport {
        self.iot_box.diagnostics().report()
    }

    async fn log_tail(
        &self,
        level: Level,
        session: Option<String>,
    ) -> Result<Option<LogTail>, String> {
        self.off_the_runtime(move |iot_box| {
            if !iot_box.access().allows_changes(session.as_deref()) {
                return Ok(None);
            }
            iot_box
                .log_tail(level, app::api::log_view::LINES)
                .map(Some)
                .map_err(|error| format!("the log file could not be read: {error}"))
        })
        .await
    }

    async fn run_diagnostics(&self) -> DiagnosticsReport {
        let address = self.off_the_runtime(IotBox::address_target).await;
        self.iot_box.diagnostics().run_asked(address).await
    }
}
