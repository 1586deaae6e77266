//! The box's figures for fleets, in the Prometheus text format (`GET /metrics`, served by
//! `web::metrics`): the certificate (its end, days left, whether it is temporary, its state
//! and last error code), the last and next request, the requests to the certificate server by
//! outcome, the diagnostics' verdicts, and the web requests by route and status. Counters
//! live here for the box's life; everything else is read from the status at each scrape, so
//! a figure is never staler than the page.

use model::box_status::BoxStatus;
use prometheus_client::encoding::text::encode;
use prometheus_client::encoding::EncodeLabelSet;
use prometheus_client::metrics::counter::Counter;
use prometheus_client::metrics::family::Family;
use prometheus_client::metrics::gauge::Gauge;
use prometheus_client::registry::Registry;
use time::format_description::well_known::Rfc3339;
use time::OffsetDateTime;

/// What the Prometheus text format is served as.
pub const CONTENT_TYPE: &str = "application/openmetrics-text; version=1.0.0; charset=utf-8";

#[derive(Clone, Debug, Hash, PartialEq, Eq, EncodeLabelSet)]
struct Outcome {
    /// `ok`, or the documented error code.
    outcome: String,
}

#[derive(Clone, Debug, Hash, PartialEq, Eq, EncodeLabelSet)]
struct WebRequest {
    /// The route as the router knows it (`/api/status`), never the path asked: a bounded set.
    route: String,
    status: u16,
}

#[derive(Clone, Debug, Hash, PartialEq, Eq, EncodeLabelSet)]
struct State {
    state: String,
    /// The last error's code, empty when there is none.
    error_code: String,
}

#[derive(Clone, Debug, Hash, PartialEq, Eq, EncodeLabelSet)]
struct Verdict {
    check: String,
    verdict: String,
}

#[derive(Clone, Debug, Hash, PartialEq, Eq, EncodeLabelSet)]
struct Build {
    version: String,
}

#[derive(Default)]
pub struct Metrics {
    certificate_requests: Family<Outcome, Counter>,
    web_requests: Family<WebRequest, Counter>,
}

impl Metrics {
    /// A request to the certificate server ended: `ok`, or the error code.
    pub fn certificate_request(&self, outcome: &str) {
        self.certificate_requests
            .get_or_create(&Outcome {
                outcome: outcome.to_string(),
            })
            .inc();
    }

    /// A web request was answered.
    pub fn web_request(&self, route: &str, status: u16) {
        self.web_requests
            .get_or_create(&WebRequest {
                route: route.to_string(),
                status,
            })
            .inc();
    }

    /// Every figure, with the certificate's and the diagnostics' read from `status`, and
    /// the certificate worker's decisions so far.
    pub fn encode(&self, status: &BoxStatus, certificate_checks: u64) -> String {
        let mut registry = Registry::with_prefix("iotbox");
        let certificate = &status.certificate;

        let checks = Counter::<u64>::default();
        checks.inc_by(certificate_checks);
        registry.register(
            "certificate_checks",
            "Decisions of the certificate worker: it is alive while this moves (at least hourly)",
            checks,
        );

        let build = Family::<Build, Gauge>::default();
        build
            .get_or_create(&Build {
                version: status.version.clone(),
            })
            .set(1);
        registry.register("build_info", "The box's version", build);

        let state = Family::<State, Gauge>::default();
        state
            .get_or_create(&State {
                state: label_of(&certificate.state),
                error_code: certificate
                    .error
                    .as_ref()
                    .map(|error| error.code.to_string())
                    .unwrap_or_default(),
            })
            .set(1);
        registry.register(
            "certificate_state",
            "The certificate's state (ok, needs_certificate, requesting, error), with the last error's code",
            state,
        );
        let temporary = Gauge::<i64>::default();
        temporary.set(i64::from(certificate.temporary));
        registry.register(
            "certificate_temporary",
            "1 while the box serves its temporary self-signed certificate",
            temporary,
        );
        let expires_soon = Gauge::<i64>::default();
        expires_soon.set(i64::from(certificate.expires_soon));
        registry.register(
            "certificate_expires_soon",
            "1 while the served certificate ends within 14 days and is not renewed yet",
            expires_soon,
        );
        for (name, help, time) in [
            (
                "certificate_not_after_seconds",
                "When the served certificate expires (Unix time)",
                &certificate.not_after,
            ),
            (
                "certificate_last_attempt_seconds",
                "When the box last asked the certificate server (Unix time)",
                &certificate.last_attempt,
            ),
            (
                "certificate_next_attempt_seconds",
                "When the box asks the certificate server next (Unix time)",
                &certificate.next_attempt,
            ),
        ] {
            if let Some(seconds) = time.as_deref().and_then(unix_seconds) {
                let gauge = Gauge::<i64>::default();
                gauge.set(seconds);
                registry.register(name, help, gauge);
            }
        }
        if let Some(days) = certificate.days_left {
            let gauge = Gauge::<i64>::default();
            gauge.set(days);
            registry.register(
                "certificate_days_left",
                "Whole days until the served certificate expires",
                gauge,
            );
        }
        registry.register(
            "certificate_requests",
            "Requests to the certificate server, by outcome (ok, or the error code)",
            self.certificate_requests.clone(),
        );

        let verdicts = Family::<Verdict, Gauge>::default();
        let diagnostics = &status.diagnostics;
        for (check, verdict) in [
            (
                "route",
                diagnostics
                    .route
                    .as_ref()
                    .map(|route| label_of(&route.verdict)),
            ),
            (
                "address",
                diagnostics
                    .address
                    .as_ref()
                    .map(|address| label_of(&address.verdict)),
            ),
        ] {
            if let Some(verdict) = verdict {
                verdicts
                    .get_or_create(&Verdict {
                        check: check.into(),
                        verdict,
                    })
                    .set(1);
            }
        }
        registry.register(
            "diagnostics_verdict",
            "The last verdict of each diagnostic check (route: the way to the certificate server; address: the HTTPS address)",
            verdicts,
        );
        registry.register(
            "web_requests",
            "Web requests answered, by route and status",
            self.web_requests.clone(),
        );

        let mut text = String::new();
        // Writing into a String cannot fail.
        let _ = encode(&mut text, &registry);
        text
    }
}

/// A status value as it reads in the status JSON (`needs_certificate`, `no_dns`, ...).
fn label_of(value: &impl serde::Serialize) -> String {
    match serde_json::to_value(value) {
        Ok(serde_json::Value::String(name)) => name,
        // A variant with data is `{"its_name": ...}`.
        Ok(serde_json::Value::Object(fields)) => fields.keys().next().cloned().unwrap_or_default(),
        _ => String::new(),
    }
}

fn unix_seconds(time: &str) -> Option<i64> {
    OffsetDateTime::parse(time, &Rfc3339)
        .ok()
        .map(OffsetDateTime::unix_timestamp)
}

#[cfg(test)]
mod tests {
    use super::*;
    use model::certificate::CertificateState;
    use model::diagnostics::address::AddressVerdict;
    use model::diagnostics::route::RouteVerdict;

    #[test]
    fn labels_read_as_in_the_status_json() {
        assert_eq!(
            label_of(&CertificateState::NeedsCertificate),
            "needs_certificate"
        );
        assert_eq!(label_of(&RouteVerdict::NoDns), "no_dns");
        // A verdict that carries data is named by its variant alone: a bounded label.
        let elsewhere = AddressVerdict::ResolvesElsewhere {
            addresses: vec!["192.0.2.9".into()],
        };
        assert_eq!(label_of(&elsewhere), "resolves_elsewhere");
    }

    #[test]
    fn times_are_unix_seconds() {
        assert_eq!(unix_seconds("2027-01-25T14:03:07Z"), Some(1_800_885_787));
        assert_eq!(unix_seconds("not a time"), None);
    }
}
