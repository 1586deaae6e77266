//! How the box asks again: back-off, `Retry-After`, people asking, successes, clocks.

use super::*;
use crate::certificate::backoff::DUE_RETRY;

#[test]
fn failures_back_off_doubling_with_jitter_up_to_six_hours() {
    let world = World::new(ready());
    let mut schedule = Schedule::default();
    let mut now = NOW;
    let mut waits = Vec::new();
    for _ in 0..11 {
        assert!(is_request(&world.step(&mut schedule, now)));
        let delay = schedule.record(Err(unreachable()), now, 1.0).unwrap();
        assert_eq!(
            wait(world.step(&mut schedule, now)),
            delay.min(PERIODIC_CHECK)
        );
        assert!(!is_request(
            &world.step(&mut schedule, now + delay - SECOND)
        ));
        waits.push(delay.as_secs());
        now += delay;
    }
    assert_eq!(
        waits,
        [60, 120, 240, 480, 960, 1920, 3840, 7680, 15360, 21600, 21600]
    );

    let mut jittered = Schedule::default();
    assert!(is_request(&world.step(&mut jittered, NOW)));
    assert_eq!(
        jittered.record(Err(unreachable()), NOW, 0.8),
        Some(48 * SECOND)
    );
    assert_eq!(
        jittered.record(Err(unreachable()), NOW, 1.2),
        Some(144 * SECOND)
    );
    for _ in 0..20 {
        jittered.record(Err(unreachable()), NOW, 1.2);
    }
    // Jitter at the cap too: boxes failing for days do not ask in step.
    assert_eq!(
        jittered.record(Err(unreachable()), NOW, 1.2),
        Some(MAX_RETRY.mul_f64(1.2))
    );
    assert_eq!(
        jittered.record(Err(unreachable()), NOW, 0.8),
        Some(MAX_RETRY.mul_f64(0.8))
    );
}

#[test]
fn a_failure_is_shown_with_the_next_attempt() {
    let world = World::new(ready());
    let mut schedule = Schedule::default();
    world.step(&mut schedule, NOW);
    schedule.record(
        Err(failure(ErrorCode::LoadRequestStatus(404), None)),
        NOW,
        1.0,
    );
    let (status, wake) = world.status(&schedule, NOW);
    assert_eq!(status.state, CertificateState::Error);
    assert_eq!(code(&status), Some(ErrorCode::LoadRequestStatus(404)));
    assert_eq!(status.next_attempt, Some(rfc3339(NOW + FIRST_RETRY)));
    assert!(wake, "the worker still needs a certificate");
}

#[test]
fn retry_after_holds_back_every_request() {
    let world = World::new(ready());
    let mut schedule = Schedule::default();
    world.step(&mut schedule, NOW);
    let two_hours = 7200 * SECOND;
    schedule.record(
        Err(failure(ErrorCode::LoadRequestStatus(503), Some(two_hours))),
        NOW,
        // The least spread: exactly when the server said.
        0.8,
    );
    let (status, _) = world.status(&schedule, NOW);
    assert_eq!(status.next_attempt, Some(rfc3339(NOW + two_hours)));

    // A person asking does not override the server.
    schedule.try_again();
    let an_hour_later = NOW + PERIODIC_CHECK;
    assert_eq!(
        wait(world.step(&mut schedule, an_hour_later)),
        PERIODIC_CHECK
    );
    schedule.credential_changed();
    assert!(!is_request(&world.step(&mut schedule, an_hour_later)));
    assert!(is_request(&world.step(&mut schedule, NOW + two_hours)));

    // A week is taken as a day.
    let later = NOW + two_hours;
    let week = 7 * 24 * 3600 * SECOND;
    schedule.record(
        Err(failure(ErrorCode::LoadRequestStatus(503), Some(week))),
        later,
        0.8,
    );
    assert!(!is_request(
        &world.step(&mut schedule, later + MAX_RETRY_AFTER - SECOND)
    ));
    assert!(is_request(
        &world.step(&mut schedule, later + MAX_RETRY_AFTER)
    ));
}

#[test]
fn a_page_visit_retries_at_once_but_at_most_every_ten_seconds() {
    let world = World::new(ready());
    let mut schedule = Schedule::default();
    world.step(&mut schedule, NOW);
    schedule.record(Err(unreachable()), NOW, 1.0);

    schedule.page_visited();
    let visit = NOW + 2 * SECOND;
    assert!(
        is_request(&world.step(&mut schedule, visit)),
        "skips the back-off"
    );
    let (status, _) = world.status(&schedule, visit);
    assert_eq!(status.state, CertificateState::Requesting);
    assert!(
        status.error.is_some(),
        "the last failure stays said while the box tries again"
    );
    schedule.record(Err(unreachable()), visit, 1.0);

    schedule.page_visited();
    assert_eq!(
        wait(world.step(&mut schedule, visit + 3 * SECOND)),
        7 * SECOND
    );
    assert!(is_request(
        &world.step(&mut schedule, visit + MANUAL_RETRY_GAP)
    ));
    schedule.record(Err(unreachable()), visit + MANUAL_RETRY_GAP, 1.0);

    // Without a visit, the back-off applies again.
    let later = visit + MANUAL_RETRY_GAP + 30 * SECOND;
    assert!(!is_request(&world.step(&mut schedule, later)));
}

#[test]
fn a_success_clears_the_failure_and_waits_for_renewal() {
    let world = World::new(ready());
    let mut schedule = Schedule::default();
    world.step(&mut schedule, NOW);
    schedule.record(Err(unreachable()), NOW, 1.0);
    schedule.page_visited();
    world.step(&mut schedule, NOW + SECOND);

    let stored = real_pair(5);
    assert_eq!(
        schedule.record(Ok(&stored.summary), NOW + SECOND, 1.0),
        None
    );
    let world = World::serving(ready(), stored);
    let (status, _) = world.status(&schedule, NOW + SECOND);
    assert_eq!((status.state, status.error), (CertificateState::Ok, None));
    assert_eq!(status.subject.as_deref(), Some(SUBJECT));
    assert!(!status.temporary);
    assert_eq!(
        wait(world.step(&mut schedule, NOW + SECOND)),
        PERIODIC_CHECK
    );
}

#[test]
fn a_certificate_that_comes_due_is_asked_for_again_an_hour_later_whoever_visits() {
    // A server that hands out the certificate it has until it renews its own: a 5-day one.
    let due = pair(SUBJECT, NOW - SECOND, NOW + time::Duration::days(5), 6);
    let world = World::serving(ready(), due.clone());
    let mut schedule = Schedule::default();
    assert!(is_request(&world.step(&mut schedule, NOW)));
    assert_eq!(schedule.record(Ok(&due.summary), NOW, 1.0), Some(DUE_RETRY));
    let (status, _) = world.status(&schedule, NOW);
    assert_eq!((status.state, status.error), (CertificateState::Ok, None));
    assert!(status.renewal_deferred);
    assert_eq!(status.next_attempt, Some(rfc3339(NOW + DUE_RETRY)));

    // Page visits wait for it; "Try again" does not.
    schedule.page_visited();
    assert!(!is_request(&world.step(&mut schedule, NOW + 20 * SECOND)));
    schedule.try_again();
    assert!(is_request(&world.step(&mut schedule, NOW + 20 * SECOND)));
    assert_eq!(
        schedule.record(Ok(&due.summary), NOW + 20 * SECOND, 1.0),
        Some(2 * DUE_RETRY)
    );
}

#[test]
fn an_open_page_reloaded_for_an_hour_asks_at_most_twice() {
    let due = pair(SUBJECT, NOW - SECOND, NOW + time::Duration::days(5), 9);
    let world = World::serving(ready(), due.clone());
    for jitter in [0.8, 1.0, 1.2] {
        let mut schedule = Schedule::default();
        let mut requests = 0;
        for second in 0..=3600 {
            let now = NOW + second * SECOND;
            // Reloaded every 10 s; between reloads it polls, and every poll wakes the worker.
            if second % 10 == 0 {
                schedule.page_visited();
            }
            if is_request(&world.step(&mut schedule, now)) {
                requests += 1;
                schedule.record(Ok(&due.summary), now, jitter);
            }
        }
        assert!(requests <= 2, "{requests} requests with jitter {jitter}");
    }
}

#[test]
fn a_new_credential_is_tried_at_once() {
    let world = World::new(ready());
    let mut schedule = Schedule::default();
    let mut now = NOW;
    for _ in 0..5 {
        world.step(&mut schedule, now);
        schedule.record(Err(failure(ErrorCode::LoadRequestNoResult, None)), now, 1.0);
        now += SECOND;
    }
    schedule.credential_changed();
    let (status, _) = world.status(&schedule, now);
    assert_eq!(
        status.error, None,
        "the old failure says nothing of the new credential"
    );
    assert!(is_request(&world.step(&mut schedule, now)));
    // The back-off starts over.
    assert_eq!(
        schedule.record(Err(unreachable()), now, 1.0),
        Some(FIRST_RETRY)
    );
}

#[test]
fn a_clock_set_back_keeps_the_waits_and_a_clock_set_forward_acts_at_once() {
    let world = World::new(ready());
    let mut schedule = Schedule::default();
    world.step(&mut schedule, NOW);
    schedule.record(Err(unreachable()), NOW, 1.0);

    // NTP corrects a clock that was a year ahead: the wait is still a minute, not a year.
    let corrected = NOW - time::Duration::days(365);
    assert_eq!(wait(world.step(&mut schedule, corrected)), FIRST_RETRY);
    assert!(is_request(
        &world.step(&mut schedule, corrected + FIRST_RETRY)
    ));
    let (status, _) = world.status(&schedule, corrected + FIRST_RETRY);
    assert_eq!(status.last_attempt, Some(rfc3339(corrected + FIRST_RETRY)));
    schedule.record(Err(unreachable()), corrected + FIRST_RETRY, 1.0);

    // A visit, then the clock set back a day: the next visit waits the 10 s gap, not a day.
    let visit = corrected + FIRST_RETRY + SECOND;
    schedule.page_visited();
    assert!(is_request(&world.step(&mut schedule, visit)));
    schedule.record(Err(unreachable()), visit, 1.0);
    schedule.page_visited();
    let back_again = visit - time::Duration::days(1);
    assert_eq!(
        wait(world.step(&mut schedule, back_again)),
        MANUAL_RETRY_GAP
    );

    // A clock set forward a day: every wait is over.
    let forward = visit + time::Duration::days(1);
    assert!(is_request(&world.step(&mut schedule, forward)));
    schedule.record(Err(unreachable()), forward, 1.0);

    // A valid certificate, the clock jumping past its renewal date: renewal starts at once.
    let certificate = real_pair(7);
    let world = World::serving(ready(), certificate.clone());
    let mut schedule = Schedule::default();
    assert!(!is_request(&world.step(&mut schedule, NOW)));
    assert!(is_request(
        &world.step(&mut schedule, certificate.summary.not_after)
    ));
}

#[test]
fn with_a_wrong_clock_page_visits_retry_nothing() {
    let mut world = World::new(ready());
    world.clock_wrong = true;
    let mut schedule = Schedule::default();
    assert!(is_request(&world.step(&mut schedule, NOW)));
    schedule.record(Err(unreachable()), NOW, 1.0);
    for second in 1..60_u32 {
        schedule.page_visited();
        assert!(
            !is_request(&world.step(&mut schedule, NOW + second * SECOND)),
            "a visit {second} s after the failure asked again"
        );
    }
    assert!(is_request(&world.step(&mut schedule, NOW + FIRST_RETRY)));
    schedule.record(Err(unreachable()), NOW + FIRST_RETRY, 1.0);
    // A person pressing "Try again" still may.
    schedule.try_again();
    assert!(is_request(
        &world.step(&mut schedule, NOW + FIRST_RETRY + SECOND)
    ));
}
