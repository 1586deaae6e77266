//! When a certificate is needed, what is asked, and what the page is told.

use super::*;

#[test]
fn no_server_asks_nothing_and_says_so_calmly() {
    let world = World::new(settings(false, true, true));
    let mut schedule = Schedule::default();
    schedule.page_visited();
    assert_eq!(wait(world.step(&mut schedule, NOW)), PERIODIC_CHECK);
    let (status, wake) = world.status(&schedule, NOW);
    assert_eq!(status.state, CertificateState::Error);
    assert_eq!(code(&status), Some(ErrorCode::CheckNoServer));
    assert!(status.temporary);
    assert!(!wake, "nothing for the worker to do");
}

#[test]
fn a_missing_credential_asks_nothing_and_says_which_half() {
    let mut schedule = Schedule::default();
    for (db_uuid, contract_number, detail) in [
        (
            false,
            false,
            "the database UUID and the contract number are missing",
        ),
        (false, true, "the database UUID is missing"),
        (true, false, "the contract number is missing"),
    ] {
        let world = World::new(settings(true, db_uuid, contract_number));
        assert_eq!(wait(world.step(&mut schedule, NOW)), PERIODIC_CHECK);
        let (status, _) = world.status(&schedule, NOW);
        assert_eq!(code(&status), Some(ErrorCode::LoadNoCredential));
        assert_eq!(status.error.unwrap().detail, detail);
    }
}

#[test]
fn the_temporary_certificate_is_replaced_at_once() {
    let temporary = temporary_pair();
    let world = World::serving(ready(), temporary);
    let mut schedule = Schedule::default();
    let (status, wake) = world.status(&schedule, NOW);
    assert_eq!(status.state, CertificateState::NeedsCertificate);
    assert!(wake);
    assert_eq!(
        status.https_address, None,
        "no address for the temporary one"
    );

    let Step::Request(credential) = world.step(&mut schedule, NOW) else {
        panic!("a request")
    };
    assert_eq!(credential.contract_number.expose(), "M2611250001");
    let (status, _) = world.status(&schedule, NOW);
    assert_eq!(status.state, CertificateState::Requesting);
    assert_eq!(status.last_attempt.as_deref(), Some("2026-11-26T12:00:00Z"));
}

#[test]
fn a_request_under_way_is_not_asked_twice() {
    let world = World::new(ready());
    let mut schedule = Schedule::default();
    assert!(is_request(&world.step(&mut schedule, NOW)));
    schedule.page_visited();
    // However hard it is asked, the worker records the outcome before it asks again.
    assert!(!is_request(&world.step(&mut schedule, NOW + SECOND)));
    assert!(schedule.requesting);
}

#[test]
fn renewal_is_due_when_a_third_of_the_lifetime_is_left() {
    let certificate = real_pair(1);
    let world = World::serving(ready(), certificate.clone());
    let starts = certificate.summary.not_after - time::Duration::days(20);
    let mut schedule = Schedule::default();
    let (status, wake) = world.status(&schedule, NOW);
    assert_eq!(status.state, CertificateState::Ok);
    assert!(!status.expires_soon);
    assert_eq!(status.renewal_starts, Some(rfc3339(starts)));
    assert_eq!(status.next_attempt, Some(rfc3339(starts)));
    assert_eq!(
        status.https_address.as_deref(),
        Some("https://192-168-1-42.abc123.odoo-iot.com")
    );
    assert!(!wake);
    assert_eq!(wait(world.step(&mut schedule, NOW)), PERIODIC_CHECK);
    let just_before = starts - time::Duration::seconds(30);
    assert_eq!(wait(world.step(&mut schedule, just_before)), 30 * SECOND);
    assert!(is_request(&world.step(&mut schedule, starts)));
}

#[test]
fn renewal_is_due_ten_days_ahead_when_that_comes_first() {
    // 15 days: a third is 5 days, so the ten-day margin applies.
    let certificate = pair(
        SUBJECT,
        NOW - time::Duration::days(1),
        NOW + time::Duration::days(14),
        1,
    );
    let world = World::serving(ready(), certificate.clone());
    let starts = certificate.summary.not_after - time::Duration::days(10);
    let mut schedule = Schedule::default();
    assert!(!is_request(
        &world.step(&mut schedule, starts - time::Duration::seconds(1))
    ));
    assert!(is_request(&world.step(&mut schedule, starts)));
    // While renewing, the page still says the certificate works.
    let (status, _) = world.status(&schedule, starts);
    assert_eq!(status.state, CertificateState::Ok);
}

#[test]
fn an_unreadable_certificate_is_reported_and_replaced_by_itself_with_back_off() {
    let world = World {
        settings: ready(),
        on_disk: DiskCertificate::Unreadable("cert.pem cannot be used".into()),
        served: temporary_pair(),
        clock_wrong: false,
    };
    let mut schedule = Schedule::default();
    let (status, _) = world.status(&schedule, NOW);
    assert_eq!(code(&status), Some(ErrorCode::CheckCertReadException));
    assert_eq!(status.error.unwrap().detail, "cert.pem cannot be used");
    // Nobody pressed anything: the page's look wakes the worker, which asks.
    let (_, wake) = world.status(&schedule, NOW);
    assert!(wake);
    assert!(is_request(&world.step(&mut schedule, NOW)));
    // Still said while the new one is asked for: the file is still unusable.
    let (status, _) = world.status(&schedule, NOW);
    assert_eq!(status.state, CertificateState::Error);
    assert_eq!(code(&status), Some(ErrorCode::CheckCertReadException));

    // A failed request backs off as for a missing certificate.
    schedule.record(Err(unreachable()), NOW, 1.0);
    assert_eq!(wait(world.step(&mut schedule, NOW)), FIRST_RETRY);
    assert!(is_request(&world.step(&mut schedule, NOW + FIRST_RETRY)));
}

#[test]
fn a_valid_pair_on_disk_is_served_before_anything_else() {
    let on_disk = real_pair(2);
    let world = World {
        settings: ready(),
        on_disk: DiskCertificate::Readable(on_disk.clone()),
        served: temporary_pair(),
        clock_wrong: false,
    };
    let mut schedule = Schedule::default();
    let (_, wake) = world.status(&schedule, NOW);
    assert!(wake, "the worker has a pair to serve");
    let Step::Serve(to_serve) = world.step(&mut schedule, NOW) else {
        panic!("the pair on disk is served")
    };
    assert_eq!(to_serve.summary.fingerprint, on_disk.summary.fingerprint);

    // Once served, nothing is left to do until renewal.
    let served = World::serving(ready(), on_disk);
    assert!(matches!(served.step(&mut schedule, NOW), Step::Wait(_)));
    assert!(!served.status(&schedule, NOW).1);

    // Not a pair that has expired, nor one not valid yet: the box asks for a new one.
    for stale in [
        pair(SUBJECT, NOW - time::Duration::days(60), NOW - SECOND, 3),
        pair(
            SUBJECT,
            NOW + time::Duration::days(1),
            NOW + time::Duration::days(60),
            4,
        ),
    ] {
        let world = World {
            settings: ready(),
            on_disk: DiskCertificate::Readable(stale),
            served: temporary_pair(),
            clock_wrong: false,
        };
        assert!(!matches!(
            world.step(&mut Schedule::default(), NOW),
            Step::Serve(_)
        ));
    }
}

#[test]
fn a_stored_pair_is_not_reported_until_it_is_served() {
    // The worker stored the new pair and is about to serve it.
    let stored = real_pair(8);
    let world = World {
        settings: ready(),
        on_disk: DiskCertificate::Readable(stored.clone()),
        served: temporary_pair(),
        clock_wrong: false,
    };
    let mut schedule = Schedule {
        requesting: true,
        ..Schedule::default()
    };
    let (status, _) = world.status(&schedule, NOW);
    assert_eq!(status.state, CertificateState::Requesting);
    assert!(status.temporary, "what the listener presents is reported");
    schedule.requesting = false;
    let (status, wake) = world.status(&schedule, NOW);
    assert_eq!(status.state, CertificateState::NeedsCertificate);
    assert!(wake, "the worker serves it");

    let (status, _) = World::serving(ready(), stored).status(&schedule, NOW);
    assert_eq!(status.state, CertificateState::Ok);
}

#[test]
fn a_certificate_not_renewed_two_weeks_before_its_end_is_warned_of() {
    let certificate = real_pair(1);
    let world = World::serving(ready(), certificate.clone());
    let schedule = Schedule::default();
    let warn_from = certificate.summary.not_after - time::Duration::days(14);
    let at = |now| world.status(&schedule, now).0;
    assert!(!at(warn_from - time::Duration::seconds(1)).expires_soon);
    let warned = at(warn_from);
    assert!(warned.expires_soon);
    // The certificate still works: the banner stays the valid one, with the warning.
    assert_eq!(warned.state, CertificateState::Ok);
    assert!(at(certificate.summary.not_after - time::Duration::hours(1)).expires_soon);
    // A 15-day certificate: not while its renewal is not due yet (10 days ahead).
    let short = pair(SUBJECT, NOW, NOW + time::Duration::days(15), 2);
    let short_world = World::serving(ready(), short);
    let short_at = |now| short_world.status(&schedule, now).0.expires_soon;
    assert!(!short_at(NOW + time::Duration::days(2)));
    assert!(short_at(NOW + time::Duration::days(5)));
    // The temporary certificate is never "expiring": the box is already asking.
    let temporary = World::serving(ready(), temporary_pair());
    let long_after = NOW + time::Duration::days(360);
    assert!(!temporary.status(&schedule, long_after).0.expires_soon);
}
