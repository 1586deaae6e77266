//! Whether the box's HTTPS address resolves, asked of the network's resolver and of a public
//! one, each played by a local DNS server process: one that answers as the vendor's domain
//! does, one that plays a router refusing private answers (DNS rebinding protection), one
//! whose record points elsewhere, and a resolver that never answers.

mod support;

use serde_json::Value;
use std::net::UdpSocket;
use support::*;

/// A router with DNS rebinding protection for this machine's network, whatever its address
/// (a shop's network is private; a test machine's may not be).
fn router() -> LocalDns {
    let ip = iotbox_core::network_identity::NetworkIdentity::read()
        .ip
        .expect("this machine has an IPv4 address");
    LocalDns::start(&["--refuse-private", "--refuse", &ip.to_string()])
}

/// A box with a real certificate, asking `network` and `public` for its HTTPS address when
/// a person runs the diagnostics; gives the address check.
fn address_check(network: &str, public: &str) -> Value {
    let (_ca, iot_box) =
        box_with_a_real_certificate_and(&["--dns-resolver", network, "--public-dns", public]);
    let status = iot_box.status();
    let address = status["certificate"]["https_address"].as_str().unwrap();
    let check = iot_box.run_diagnostics()["address"].clone();
    // The name checked is the HTTPS address's, which spells the box's IP.
    assert!(address.contains(check["name"].as_str().unwrap()), "{check}");
    assert_eq!(check["box_ip"], status["ip_address"], "{check}");
    check
}

fn verdict(check: &Value) -> String {
    match &check["verdict"] {
        Value::String(name) => name.clone(),
        Value::Object(fields) => fields.keys().next().cloned().unwrap_or_default(),
        other => panic!("no verdict in {other}"),
    }
}

fn answer(check: &Value, resolver: &str) -> String {
    match &check[resolver]["answer"] {
        Value::String(name) => name.clone(),
        Value::Object(fields) => fields.keys().next().cloned().unwrap_or_default(),
        other => panic!("no answer in {other}"),
    }
}

#[test]
fn an_address_the_network_resolves_to_the_box_works() {
    let vendor_like = LocalDns::start(&[]);
    let check = address_check(&vendor_like.addr.to_string(), &vendor_like.addr.to_string());
    assert_eq!(verdict(&check), "resolves_here", "{check}");
    assert_eq!(
        check["network"]["answer"]["found"]["addresses"][0],
        check["box_ip"]
    );
    assert_eq!(check["network"]["resolver"], vendor_like.addr.to_string());
}

#[test]
fn a_router_that_refuses_private_answers_is_named_with_the_google_dns_fix() {
    let router = router();
    let public = LocalDns::start(&[]);
    let check = address_check(&router.addr.to_string(), &public.addr.to_string());
    assert_eq!(verdict(&check), "router_blocks", "{check}");
    assert_eq!(answer(&check, "network"), "not_found");
    assert_eq!(answer(&check, "public"), "found");
}

#[test]
fn a_record_that_points_elsewhere_says_where() {
    let stale = LocalDns::start(&["--points-to", "192.0.2.1"]);
    let public = LocalDns::start(&[]);
    let check = address_check(&stale.addr.to_string(), &public.addr.to_string());
    assert_eq!(
        check["verdict"]["resolves_elsewhere"]["addresses"][0], "192.0.2.1",
        "{check}"
    );
}

#[test]
fn a_name_no_resolver_knows_is_not_found() {
    let router = router();
    let check = address_check(&router.addr.to_string(), &router.addr.to_string());
    assert_eq!(verdict(&check), "not_found", "{check}");
}

#[test]
fn a_public_resolver_that_cannot_be_asked_leaves_it_not_found_here() {
    let router = router();
    // Bound, never read: the queries are lost, as when the network blocks DNS to the Internet.
    let silent = UdpSocket::bind("127.0.0.1:0").unwrap();
    let check = address_check(
        &router.addr.to_string(),
        &silent.local_addr().unwrap().to_string(),
    );
    assert_eq!(verdict(&check), "not_found_here", "{check}");
    let error = check["public"]["answer"]["failed"]["error"]
        .as_str()
        .unwrap();
    assert!(error.contains("did not answer within 2 s"), "{error}");
    assert!(check["public"]["duration_ms"].as_u64().unwrap() >= 4_000);
}

#[test]
fn without_a_certificate_there_is_no_address_to_check() {
    let dns = LocalDns::start(&[]);
    let closed = ClosedPort::new();
    let iot_box = IotBox::start(
        &settings(false, None),
        &format!("https://127.0.0.1:{}/x509", closed.port),
        None,
        &[
            "--dns-resolver",
            &dns.addr.to_string(),
            "--public-dns",
            &dns.addr.to_string(),
        ],
    );
    let report = iot_box.run_diagnostics();
    assert!(report["address"].is_null(), "{report}");
    assert!(!report["route"].is_null(), "{report}");
}
