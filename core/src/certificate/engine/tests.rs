//! The engine's transitions and races, on memory storage, a scripted certificate server and
//! clocks the tests move: no files for the pair, no sockets, no waiting on real time. Each
//! test drives the worker one step at a time (`step`), and reads what a page would.

use super::*;
use crate::certificate::load::Exchange;
use crate::certificate::pair::CertificateSummary;
use model::certificate::CertificateState;
use model::clock::ClockEvidence;
use rcgen::{CertificateParams, DnType, KeyPair};
use std::collections::VecDeque;
use std::sync::atomic::AtomicUsize;
use tokio::sync::Semaphore;

const SUBJECT: &str = "*.abc123.odoo-iot.com";
const DAY: time::Duration = time::Duration::days(1);

/// The wall clock and the monotonic one, moved by the test. They start at the real time:
/// a clock before the day the box was built is wrong (`clock.rs`), and that is one test's
/// business, not every test's.
struct TestClock {
    state: Mutex<(OffsetDateTime, Instant)>,
}

impl TestClock {
    fn new() -> Arc<Self> {
        let now = OffsetDateTime::now_utc().replace_nanosecond(0).unwrap();
        Arc::new(Self {
            state: Mutex::new((now, Instant::now())),
        })
    }

    /// Time passes: both clocks move.
    fn advance(&self, by: time::Duration) {
        let mut state = self.state.lock().unwrap();
        state.0 += by;
        state.1 += by.unsigned_abs();
    }

    /// Someone sets the wall clock; the monotonic one does not move.
    fn set_wall(&self, to: OffsetDateTime) {
        self.state.lock().unwrap().0 = to;
    }
}

impl Clock for TestClock {
    fn now(&self) -> OffsetDateTime {
        self.state.lock().unwrap().0
    }

    fn monotonic(&self) -> Instant {
        self.state.lock().unwrap().1
    }
}

/// The pair in memory, as the folder would hold it; the stamp counts its changes.
#[derive(Default)]
struct MemoryStorage {
    state: Mutex<Memory>,
}

struct Memory {
    current: DiskCertificate,
    previous: Option<Arc<CertificatePair>>,
    version: u64,
    saves: usize,
    refuse_saves: bool,
}

impl Default for Memory {
    fn default() -> Self {
        Self {
            current: DiskCertificate::Missing,
            previous: None,
            version: 0,
            saves: 0,
            refuse_saves: false,
        }
    }
}

impl MemoryStorage {
    /// Someone else changes the pair: an installer, a restore, a failing card.
    fn put(&self, current: DiskCertificate) {
        let mut state = self.state.lock().unwrap();
        state.current = current;
        state.version += 1;
    }

    fn current(&self) -> Option<String> {
        match &self.state.lock().unwrap().current {
            DiskCertificate::Readable(pair) => Some(pair.summary.fingerprint.clone()),
            _ => None,
        }
    }

    fn saves(&self) -> usize {
        self.state.lock().unwrap().saves
    }
}

impl PairStorage for Arc<MemoryStorage> {
    type Stamp = u64;
    type SaveError = String;

    fn stamp(&self) -> u64 {
        self.state.lock().unwrap().version
    }

    fn read(&self) -> DiskCertificate {
        self.state.lock().unwrap().current.clone()
    }

    fn read_previous(&self) -> Option<Arc<CertificatePair>> {
        self.state.lock().unwrap().previous.clone()
    }

    fn save(&self, pair: &CertificatePair) -> Result<(), String> {
        let mut state = self.state.lock().unwrap();
        if state.refuse_saves {
            return Err("no space left on device".into());
        }
        if let DiskCertificate::Readable(previous) = &state.current {
            state.previous = Some(previous.clone());
        }
        state.current = DiskCertificate::Readable(Arc::new(pair.clone()));
        state.version += 1;
        state.saves += 1;
        Ok(())
    }
}

/// What the scripted server answers, in turn.
enum Answer {
    /// A certificate for `cn`, valid from `from` to `to` days after the test clock's now.
    Certificate {
        cn: &'static str,
        from: i32,
        to: i32,
    },
    /// A certificate whose key belongs to another one.
    KeyOfAnother,
    Status(u16),
}

/// A certificate server that answers from a script, and counts what it is asked. Gated, it
/// holds each answer until the test lets it go: a request stays in flight meanwhile.
struct ScriptedServer {
    answers: Mutex<VecDeque<Answer>>,
    asked: AtomicUsize,
    clock: Arc<TestClock>,
    /// The server's own clock, as far ahead of the test clock as this.
    clock_ahead: Mutex<time::Duration>,
    gate: Option<Semaphore>,
    in_flight: Notify,
}

impl ScriptedServer {
    fn new(clock: &Arc<TestClock>, answers: Vec<Answer>, gated: bool) -> Arc<Self> {
        Arc::new(Self {
            answers: Mutex::new(answers.into()),
            asked: AtomicUsize::new(0),
            clock: clock.clone(),
            clock_ahead: Mutex::new(time::Duration::ZERO),
            gate: gated.then(|| Semaphore::new(0)),
            in_flight: Notify::new(),
        })
    }

    fn asked(&self) -> usize {
        self.asked.load(Ordering::SeqCst)
    }

    fn answer_next(&self) {
        self.gate.as_ref().unwrap().add_permits(1);
    }
}

fn issue(cn: &str, not_before: OffsetDateTime, not_after: OffsetDateTime) -> (String, String) {
    let key = KeyPair::generate().unwrap();
    let mut params = CertificateParams::new(vec![cn.to_string()]).unwrap();
    params.distinguished_name.push(DnType::CommonName, cn);
    params.not_before = not_before;
    params.not_after = not_after;
    (params.self_signed(&key).unwrap().pem(), key.serialize_pem())
}

impl Issuer for Arc<ScriptedServer> {
    async fn request(&self, _credential: &Credential) -> Exchange {
        self.asked.fetch_add(1, Ordering::SeqCst);
        self.in_flight.notify_one();
        if let Some(gate) = &self.gate {
            gate.acquire().await.unwrap().forget();
        }
        let now = self.clock.now();
        let answer = self.answers.lock().unwrap().pop_front();
        let outcome = match answer.expect("the script has an answer for each request") {
            Answer::Certificate { cn, from, to } => {
                let (x509_pem, private_key_pem) = issue(cn, now + DAY * from, now + DAY * to);
                Ok(Issued {
                    x509_pem,
                    private_key_pem,
                    subject_cn: SUBJECT.to_string(),
                })
            }
            Answer::KeyOfAnother => {
                let (x509_pem, _) = issue(SUBJECT, now - DAY, now + DAY * 59);
                let (_, private_key_pem) = issue(SUBJECT, now - DAY, now + DAY * 59);
                Ok(Issued {
                    x509_pem,
                    private_key_pem,
                    subject_cn: SUBJECT.to_string(),
                })
            }
            Answer::Status(status) => Err(LoadFailure::from(CertificateError::new(
                ErrorCode::LoadRequestStatus(status),
                format!("the certificate server answered {status}"),
            ))),
        };
        let server_now = now + *self.clock_ahead.lock().unwrap();
        Exchange {
            outcome,
            server_time: Some(server_now.into()),
        }
    }
}

/// A 60-day certificate from the server, issued now.
fn good() -> Answer {
    Answer::Certificate {
        cn: SUBJECT,
        from: 0,
        to: 60,
    }
}

struct TestBox {
    engine: Arc<CertificateEngine<Arc<MemoryStorage>, Arc<ScriptedServer>>>,
    storage: Arc<MemoryStorage>,
    server: Arc<ScriptedServer>,
    clock: Arc<TestClock>,
    settings: Arc<SettingsFile>,
    stored: Arc<Mutex<Vec<OffsetDateTime>>>,
    failed: Arc<Mutex<Vec<ErrorCode>>>,
    _dir: tempfile::TempDir,
}

/// A box with a server and a credential in its settings, nothing stored, and `answers`
/// scripted.
fn a_box(answers: Vec<Answer>, gated: bool) -> TestBox {
    a_box_with(TestClock::new(), MemoryStorage::default(), answers, gated)
}

/// The same, on `clock` and with `storage` as it is.
fn a_box_with(
    clock: Arc<TestClock>,
    storage: MemoryStorage,
    answers: Vec<Answer>,
    gated: bool,
) -> TestBox {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(
        dir.path().join(crate::settings::SETTINGS_FILE_NAME),
        "[odoo]\nserver_url = \"https://erp.example.com\"\n[credential]\n\
         db_uuid = \"6f2d1d34-0d8e-4c8f-9a7b-3e5f1c2a9b10\"\ncontract_number = \"M2611250001\"\n",
    )
    .unwrap();
    let settings = Arc::new(SettingsFile::open(dir.path()).unwrap());
    let storage = Arc::new(storage);
    let server = ScriptedServer::new(&clock, answers, gated);
    let parts = Parts {
        store: storage.clone(),
        server: server.clone(),
        clock: clock.clone(),
        jitter: || 1.0,
    };
    let engine = Arc::new(CertificateEngine::with_parts(settings.clone(), parts, 443).unwrap());
    let (stored, failed) = (Arc::default(), Arc::default());
    let told: Arc<Mutex<Vec<OffsetDateTime>>> = Arc::clone(&stored);
    engine.on_stored(Box::new(move |not_after| {
        told.lock().unwrap().push(not_after)
    }));
    let told: Arc<Mutex<Vec<ErrorCode>>> = Arc::clone(&failed);
    engine.on_failure(Box::new(move |code| told.lock().unwrap().push(code)));
    TestBox {
        engine,
        storage,
        server,
        clock,
        settings,
        stored,
        failed,
        _dir: dir,
    }
}

impl TestBox {
    fn status(&self) -> CertificateStatus {
        let settings = self.settings.current().0;
        self.engine.status(&settings, None)
    }

    fn served(&self) -> CertificateSummary {
        self.engine.served().current().summary.clone()
    }
}

/// A pair already in storage, valid from `from` to `to` days around the clock's now.
fn stored_pair(clock: &TestClock, from: i32, to: i32) -> Arc<CertificatePair> {
    let now = clock.now();
    let (certificate, key) = issue(SUBJECT, now + DAY * from, now + DAY * to);
    Arc::new(pair::parse(&certificate, &key).unwrap())
}

#[tokio::test]
async fn a_box_without_a_certificate_asks_once_then_stores_and_serves_it() {
    let it = a_box(vec![good()], false);
    assert!(it.served().is_temporary());
    assert_eq!(it.status().state, CertificateState::NeedsCertificate);

    assert_eq!(it.engine.step().await, None, "it asked");
    let served = it.served();
    assert_eq!(served.common_name.as_deref(), Some(SUBJECT));
    assert_eq!(it.storage.current(), Some(served.fingerprint.clone()));
    assert_eq!(*it.stored.lock().unwrap(), vec![served.not_after]);
    assert_eq!(it.status().state, CertificateState::Ok);
    assert_eq!(
        it.settings.current().0.certificate.subject_cn.as_deref(),
        Some(SUBJECT)
    );

    // Valid for 60 days, renewed from 20 before the end: nothing to do for now.
    assert!(it.engine.step().await.is_some());
    assert_eq!(it.server.asked(), 1);
    assert_eq!(it.engine.checks(), 2);
}

#[tokio::test]
async fn pages_polling_during_a_request_make_no_second_one() {
    let it = a_box(vec![good()], true);
    let worker = tokio::spawn({
        let engine = it.engine.clone();
        async move { engine.step().await }
    });
    it.server.in_flight.notified().await;
    for _ in 0..200 {
        assert_eq!(it.status().state, CertificateState::Requesting);
        it.engine.page_visited();
    }
    it.engine.try_again();
    it.server.answer_next();
    assert_eq!(worker.await.unwrap(), None);

    assert_eq!(it.status().state, CertificateState::Ok);
    assert!(it.engine.step().await.is_some(), "nothing more to ask");
    assert_eq!(it.server.asked(), 1);
}

#[tokio::test]
async fn a_failed_request_keeps_what_is_served_and_backs_off_until_a_visit() {
    let it = a_box(
        vec![Answer::Status(503), Answer::Status(503), good()],
        false,
    );
    let temporary = it.served();
    assert_eq!(it.engine.step().await, None);
    assert_eq!(it.served(), temporary);
    assert_eq!(it.storage.saves(), 0);
    assert_eq!(
        *it.failed.lock().unwrap(),
        vec![ErrorCode::LoadRequestStatus(503)]
    );
    let status = it.status();
    assert_eq!(status.state, CertificateState::Error);
    assert_eq!(
        status.error.map(|error| error.code),
        Some(ErrorCode::LoadRequestStatus(503))
    );

    // The back-off: a minute (the jitter is 1 here)...
    assert_eq!(it.engine.step().await, Some(backoff::FIRST_RETRY));
    assert_eq!(it.server.asked(), 1);
    // ...which a visit skips, as documented: it retries at once,
    it.engine.page_visited();
    assert_eq!(it.engine.step().await, None);
    assert_eq!(it.server.asked(), 2);
    // but not twice within 10 s: a page reloaded in a loop must not hammer the server.
    it.engine.page_visited();
    assert!(it.engine.step().await.is_some());
    assert_eq!(it.server.asked(), 2);
    it.clock.advance(time::Duration::seconds(11));
    it.engine.page_visited();
    assert_eq!(it.engine.step().await, None);
    assert_eq!(it.server.asked(), 3);
    assert_eq!(it.status().state, CertificateState::Ok);
}

#[tokio::test]
async fn an_unusable_certificate_never_reaches_the_storage_or_the_listener() {
    let another_subject = Answer::Certificate {
        cn: "*.other.odoo-iot.com",
        from: 0,
        to: 60,
    };
    let expired = Answer::Certificate {
        cn: SUBJECT,
        from: -60,
        to: -1,
    };
    let it = a_box(vec![another_subject, Answer::KeyOfAnother, expired], false);
    let temporary = it.served();
    for _ in 0..3 {
        it.engine.try_again();
        it.clock.advance(time::Duration::seconds(11));
        assert_eq!(it.engine.step().await, None);
        let error = it.status().error.unwrap();
        assert_eq!(error.code, ErrorCode::LoadRequestNoResult);
        assert!(
            error.detail.contains("unusable certificate"),
            "{}",
            error.detail
        );
    }
    assert_eq!(it.server.asked(), 3);
    assert_eq!(it.storage.saves(), 0);
    assert_eq!(it.served(), temporary);
    assert!(it.stored.lock().unwrap().is_empty());
}

#[tokio::test]
async fn a_pair_that_cannot_be_stored_is_not_served() {
    let storage = MemoryStorage::default();
    storage.state.lock().unwrap().refuse_saves = true;
    let it = a_box_with(TestClock::new(), storage, vec![good()], false);
    let temporary = it.served();
    assert_eq!(it.engine.step().await, None);
    let error = it.status().error.unwrap();
    assert_eq!(error.code, ErrorCode::CheckCertReadException);
    assert!(error.detail.contains("no space left on device"));
    assert_eq!(it.served(), temporary);
    assert_eq!(
        *it.failed.lock().unwrap(),
        vec![ErrorCode::CheckCertReadException]
    );
}

#[tokio::test]
async fn a_pair_put_in_storage_by_someone_else_is_served_without_asking() {
    let it = a_box(vec![], false);
    let installed = stored_pair(&it.clock, -1, 59);
    it.storage.put(DiskCertificate::Readable(installed.clone()));
    assert_eq!(it.engine.step().await, None, "it served the pair");
    assert_eq!(it.served(), installed.summary);
    assert!(it.engine.step().await.is_some());
    assert_eq!(it.status().state, CertificateState::Ok);
    assert_eq!(it.server.asked(), 0);
}

#[tokio::test]
async fn storage_read_during_a_request_does_not_undo_what_the_worker_stores() {
    let it = a_box(vec![good()], true);
    let worker = tokio::spawn({
        let engine = it.engine.clone();
        async move { engine.step().await }
    });
    it.server.in_flight.notified().await;
    // The pair changes under the worker while it asks: a poll does not take it in, since
    // the worker owns the storage until it records what it stored.
    it.storage
        .put(DiskCertificate::Unreadable("a card that fails".into()));
    assert_eq!(it.status().state, CertificateState::Requesting);
    it.server.answer_next();
    worker.await.unwrap();

    let served = it.served();
    assert_eq!(it.storage.current(), Some(served.fingerprint));
    assert_eq!(it.status().state, CertificateState::Ok);
    assert!(it.engine.step().await.is_some());
    assert_eq!(it.server.asked(), 1);
}

#[tokio::test]
async fn an_unreadable_pair_at_start_serves_the_kept_one_and_asks_for_another() {
    let (clock, storage) = (TestClock::new(), MemoryStorage::default());
    let kept = stored_pair(&clock, -10, 50);
    {
        let mut state = storage.state.lock().unwrap();
        state.current = DiskCertificate::Unreadable("cert.pem: bad PEM".into());
        state.previous = Some(kept.clone());
    }
    let it = a_box_with(clock, storage, vec![good()], false);
    assert_eq!(it.served(), kept.summary);
    assert_eq!(it.status().state, CertificateState::Error);
    assert_eq!(it.engine.step().await, None);
    assert_eq!(it.server.asked(), 1);
    assert_ne!(it.served(), kept.summary);
    assert_eq!(it.status().state, CertificateState::Ok);
}

#[tokio::test]
async fn an_expired_pair_at_start_is_not_served() {
    let (clock, storage) = (TestClock::new(), MemoryStorage::default());
    storage.put(DiskCertificate::Readable(stored_pair(&clock, -61, -1)));
    let it = a_box_with(clock, storage, vec![good()], false);
    assert!(it.served().is_temporary());
    assert_eq!(it.engine.step().await, None);
    assert_eq!(it.status().state, CertificateState::Ok);
}

#[tokio::test]
async fn the_certificate_is_asked_for_again_when_its_renewal_starts() {
    let it = a_box(vec![good(), good()], false);
    it.engine.step().await;
    let first = it.served();
    // Renewal starts 20 days before the end of a 60-day certificate.
    it.clock.advance(DAY * 39);
    assert!(it.engine.step().await.is_some());
    assert_eq!(it.server.asked(), 1);
    it.clock.advance(DAY * 2);
    assert_eq!(it.engine.step().await, None);
    assert_eq!(it.server.asked(), 2);
    assert!(it.served().not_after > first.not_after);
    assert_eq!(it.stored.lock().unwrap().len(), 2);
}

#[tokio::test]
async fn a_wall_clock_far_from_the_server_s_is_said_until_it_is_set_right() {
    let it = a_box(vec![Answer::Status(503)], false);
    *it.server.clock_ahead.lock().unwrap() = time::Duration::hours(2);
    assert!(it.engine.clock_problem(it.clock.now()).is_none());
    it.engine.step().await;
    let problem = it.engine.clock_problem(it.clock.now()).unwrap();
    assert!(matches!(
        problem.evidence,
        ClockEvidence::CertificateServer { .. }
    ));
    // An hour later on both clocks, the server's clock is carried forward: still two hours.
    it.clock.advance(time::Duration::hours(1));
    assert!(it.engine.clock_problem(it.clock.now()).is_some());
    // NTP sets the wall clock right; the monotonic one does not move.
    it.clock.set_wall(it.clock.now() + time::Duration::hours(2));
    assert!(it.engine.clock_problem(it.clock.now()).is_none());
}
