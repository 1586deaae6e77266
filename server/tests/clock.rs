//! The box's clock gone wrong, on the real binary under Debian's libfaketime: at 1970 (a box
//! without a battery-backed clock, before NTP), and 90 days ahead while it runs. The box says
//! its clock is wrong, and page visits do not turn the failures into a stream of requests.

mod support;

use serde_json::Value;
use std::path::PathBuf;
use std::time::Duration;
use support::*;

/// A clock for one box, set through libfaketime's timestamp file while the box runs. The
/// monotonic clock stays real, as NTP leaves it.
struct FakeClock {
    dir: tempfile::TempDir,
}

impl FakeClock {
    fn at(time: &str) -> Self {
        let clock = Self {
            dir: tempfile::tempdir().unwrap(),
        };
        clock.set(time);
        clock
    }

    fn file(&self) -> PathBuf {
        self.dir.path().join("faketime")
    }

    /// `@1970-01-02 00:00:00` (starting then), or `+90d` (ahead of the real time).
    fn set(&self, time: &str) {
        std::fs::write(self.file(), time).unwrap();
        // The box reads the file again at most once a second.
        std::thread::sleep(Duration::from_millis(1100));
    }

    fn start(&self, ca: &LocalCa) -> IotBox {
        let library = libfaketime();
        let data_dir = tempfile::tempdir().unwrap();
        std::fs::write(data_dir.path().join("settings.toml"), demo_settings()).unwrap();
        let file = self.file();
        IotBox::start_configured(data_dir, &ca.url(), Some(&ca.ca_file), &[], |command| {
            command
                .env("LD_PRELOAD", library)
                .env("FAKETIME_TIMESTAMP_FILE", file)
                .env("FAKETIME_CACHE_DURATION", "1")
                .env("FAKETIME_DONT_FAKE_MONOTONIC", "1");
        })
    }
}

/// Debian's libfaketime (package `faketime`, installed by `scripts/install-tools.sh`).
fn libfaketime() -> PathBuf {
    std::fs::read_dir("/usr/lib")
        .unwrap()
        .map(|entry| entry.unwrap().path().join("faketime/libfaketime.so.1"))
        .find(|path| path.exists())
        .expect("libfaketime: install Debian's faketime (scripts/install-tools.sh does)")
}

fn wait_status(iot_box: &IotBox, what: &str, condition: impl Fn(&Value) -> bool) -> Value {
    let mut last = Value::Null;
    wait_for(what, Duration::from_secs(20), || {
        last = iot_box.status();
        condition(&last).then(|| last.clone())
    })
}

/// Five homepage visits, half a second apart.
fn visit_for_a_while(iot_box: &IotBox) {
    for _ in 0..5 {
        iot_box.visit_homepage();
        std::thread::sleep(Duration::from_millis(500));
    }
}

#[test]
fn a_clock_in_1970_is_said_and_visits_ask_nothing() {
    let ca = LocalCa::start(&[]);
    let clock = FakeClock::at("@1970-01-02 00:00:00");
    let iot_box = clock.start(&ca);
    let status = wait_status(&iot_box, "the clock problem and the failure", |s| {
        !s["clock_problem"].is_null() && !s["certificate"]["error"].is_null()
    });
    assert_eq!(
        status["clock_problem"]["evidence"]["before_build"]["built"]
            .as_str()
            .map(|built| built > "2026"),
        Some(true),
        "{status}"
    );
    assert!(status["clock_problem"]["box_time"]
        .as_str()
        .unwrap()
        .starts_with("1970-01-02"));
    let certificate = &status["certificate"];
    assert_eq!(
        certificate["error"]["code"],
        "ERR_IOT_HTTPS_LOAD_REQUEST_EXCEPTION"
    );
    let detail = certificate["error"]["detail"].as_str().unwrap();
    assert!(detail.contains("not valid yet"), "{detail}");

    let attempt = certificate["last_attempt"].clone();
    visit_for_a_while(&iot_box);
    assert_eq!(iot_box.certificate()["last_attempt"], attempt);
    assert_eq!(ca.requests(), 0, "TLS fails before any request is made");
}

#[test]
fn a_clock_ninety_days_ahead_is_said_and_visits_ask_nothing() {
    let ca = LocalCa::start(&[]);
    let clock = FakeClock::at("+0d");
    let iot_box = clock.start(&ca);
    iot_box.wait_certificate("a real certificate", |c| c["state"] == "ok");
    assert!(iot_box.status()["clock_problem"].is_null());

    clock.set("+90d");
    let status = wait_status(&iot_box, "the clock problem", |s| {
        !s["clock_problem"].is_null() && !s["certificate"]["error"].is_null()
    });
    let server_time = status["clock_problem"]["evidence"]["certificate_server"]["server_time"]
        .as_str()
        .unwrap_or_else(|| panic!("{status}"));
    let box_time = status["clock_problem"]["box_time"].as_str().unwrap();
    assert!(box_time > server_time, "{status}");
    // The certificate the server gives looks expired by the box's wrong clock: refused.
    assert_eq!(
        status["certificate"]["error"]["code"],
        "ERR_IOT_HTTPS_LOAD_REQUEST_NO_RESULT"
    );
    let requests = ca.requests();
    assert_eq!(
        requests, 2,
        "the first certificate, and one try after the jump"
    );
    visit_for_a_while(&iot_box);
    assert_eq!(ca.requests(), requests);
}

#[test]
fn the_status_says_whether_the_system_clock_is_synchronised() {
    let ca = LocalCa::start(&[]);
    let iot_box = IotBox::start(&settings(false, None), &ca.url(), Some(&ca.ca_file), &[]);
    // The kernel's own answer, read here independently of the box.
    // SAFETY: a zeroed `timex` asks for nothing to change.
    let (state, timex) = unsafe {
        let mut timex: libc::timex = std::mem::zeroed();
        (libc::adjtimex(&mut timex), timex)
    };
    let synchronised = state != libc::TIME_ERROR && timex.status & libc::STA_UNSYNC == 0;
    assert_eq!(iot_box.status()["clock_synchronised"], synchronised);
}
