//! `iotbox-local dns`: a DNS server on this machine that answers as the vendor's domain
//! does, for tests and demos: `<a-b-c-d>.<anything>` resolves to `a.b.c.d`. It can also play
//! the router that refuses names resolving to addresses inside its network (DNS rebinding
//! protection: `--refuse-private`, or `--refuse` for a network of one's own), or a record that
//! points elsewhere (`--points-to`).

use clap::Args;
use hickory_proto::op::{Message, MessageType, ResponseCode};
use hickory_proto::rr::rdata::A;
use hickory_proto::rr::{Name, RData, Record, RecordType};
use std::net::{Ipv4Addr, SocketAddr};
use std::process::ExitCode;

#[derive(Debug, Args)]
pub struct LocalDnsArgs {
    /// UDP address to answer on.
    #[arg(long, default_value = "127.0.0.1:5353")]
    pub addr: SocketAddr,
    /// Answer NXDOMAIN for names that spell a private (RFC 1918), loopback or link-local
    /// address, as a router with DNS rebinding protection does.
    #[arg(long)]
    pub refuse_private: bool,
    /// Also answer NXDOMAIN for names in this network (`192.0.2.0/24`, or one address);
    /// repeatable. For a router whose own network is not a private range.
    #[arg(long = "refuse", value_parser = parse_network)]
    pub refused: Vec<(Ipv4Addr, u8)>,
    /// Answer every name with this address instead of the one it spells.
    #[arg(long)]
    pub points_to: Option<Ipv4Addr>,
}

/// Runs until SIGTERM or Ctrl-C.
pub async fn run(args: LocalDnsArgs) -> ExitCode {
    let socket = match tokio::net::UdpSocket::bind(args.addr).await {
        Ok(socket) => socket,
        Err(error) => {
            eprintln!("iotbox-local dns: cannot listen on {}: {error}", args.addr);
            return ExitCode::FAILURE;
        }
    };
    let Ok(addr) = socket.local_addr() else {
        return ExitCode::FAILURE;
    };
    // Tests and scripts wait for this line, and read the port from it.
    println!("local DNS server: dns://{addr}");
    let mut buffer = [0u8; 512];
    loop {
        let received = tokio::select! {
            received = socket.recv_from(&mut buffer) => received,
            () = iotbox_core::shutdown::signal() => return ExitCode::SUCCESS,
        };
        let Ok((length, from)) = received else {
            continue;
        };
        let Some(answer) = answer(&buffer[..length], &args) else {
            continue;
        };
        if let Err(error) = socket.send_to(&answer, from).await {
            tracing::warn!(%error, %from, "cannot answer");
        }
    }
}

/// The answer to the query in `packet`, or `None` for what is not a query.
fn answer(packet: &[u8], args: &LocalDnsArgs) -> Option<Vec<u8>> {
    let query = Message::from_vec(packet).ok()?;
    if query.message_type() != MessageType::Query {
        return None;
    }
    let mut response = Message::new();
    response
        .set_id(query.id())
        .set_message_type(MessageType::Response)
        .set_op_code(query.op_code())
        .set_recursion_desired(query.recursion_desired())
        .set_recursion_available(true)
        .add_queries(query.queries().to_vec());
    match query.queries().first() {
        Some(question) => match resolve(question.name(), args) {
            Some(ip) if question.query_type() == RecordType::A => {
                response.add_answer(Record::from_rdata(
                    question.name().clone(),
                    60,
                    RData::A(A(ip)),
                ));
            }
            // The name exists, with no record of that type.
            Some(_) => {}
            None => {
                response.set_response_code(ResponseCode::NXDomain);
            }
        },
        None => {
            response.set_response_code(ResponseCode::FormErr);
        }
    }
    tracing::info!(query = ?query.queries().first().map(|q| q.name().to_string()), code = ?response.response_code(), "answered");
    response.to_vec().ok()
}

/// The address `name` resolves to, as the vendor's domain and the played router see it.
fn resolve(name: &Name, args: &LocalDnsArgs) -> Option<Ipv4Addr> {
    let first = name.iter().next()?;
    let spelled: Ipv4Addr = std::str::from_utf8(first)
        .ok()?
        .replace('-', ".")
        .parse()
        .ok()?;
    let private = spelled.is_private() || spelled.is_loopback() || spelled.is_link_local();
    let refused = args.refused.iter().any(|&(network, prefix)| {
        let mask = u32::MAX.checked_shl(32 - u32::from(prefix)).unwrap_or(0);
        u32::from(spelled) & mask == u32::from(network) & mask
    });
    if (args.refuse_private && private) || refused {
        return None;
    }
    Some(args.points_to.unwrap_or(spelled))
}

/// `192.0.2.0/24`, or `192.0.2.7` for that one address.
fn parse_network(text: &str) -> Result<(Ipv4Addr, u8), String> {
    let (address, prefix) = text.split_once('/').unwrap_or((text, "32"));
    let address = address
        .parse()
        .map_err(|_| format!("{address} is not an IPv4 address"))?;
    match prefix.parse::<u8>() {
        Ok(prefix) if prefix <= 32 => Ok((address, prefix)),
        _ => Err(format!("{prefix} is not a prefix length (0 to 32)")),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn args(refuse_private: bool, points_to: Option<Ipv4Addr>) -> LocalDnsArgs {
        LocalDnsArgs {
            addr: "127.0.0.1:0".parse().unwrap(),
            refuse_private,
            refused: Vec::new(),
            points_to,
        }
    }

    fn name(text: &str) -> Name {
        Name::from_ascii(text).unwrap()
    }

    #[test]
    fn a_name_resolves_to_the_address_it_spells() {
        let plain = args(false, None);
        let ip = |text| resolve(&name(text), &plain);
        assert_eq!(
            ip("192-168-1-42.abc.iotbox.localhost."),
            Some(Ipv4Addr::new(192, 168, 1, 42))
        );
        assert_eq!(
            ip("203-0-113-9.abc.odoo-iot.com."),
            Some(Ipv4Addr::new(203, 0, 113, 9))
        );
        assert_eq!(ip("www.example.com."), None);
        assert_eq!(ip("300-1-1-1.abc.example."), None);
    }

    #[test]
    fn the_router_refuses_private_answers_and_a_record_may_point_elsewhere() {
        let router = args(true, None);
        assert_eq!(resolve(&name("192-168-1-42.abc.example."), &router), None);
        assert_eq!(resolve(&name("10-0-0-1.abc.example."), &router), None);
        assert_eq!(
            resolve(&name("203-0-113-9.abc.example."), &router),
            Some(Ipv4Addr::new(203, 0, 113, 9))
        );
        let stale = args(false, Some(Ipv4Addr::new(192, 0, 2, 1)));
        assert_eq!(
            resolve(&name("192-168-1-42.abc.example."), &stale),
            Some(Ipv4Addr::new(192, 0, 2, 1))
        );
    }

    #[test]
    fn a_router_may_refuse_a_network_of_its_own() {
        let mut router = args(false, None);
        router.refused = vec![
            parse_network("192.0.2.0/24").unwrap(),
            parse_network("198.51.100.7").unwrap(),
        ];
        assert_eq!(resolve(&name("192-0-2-2.abc.example."), &router), None);
        assert_eq!(resolve(&name("198-51-100-7.abc.example."), &router), None);
        assert!(resolve(&name("198-51-100-8.abc.example."), &router).is_some());
        assert!(parse_network("192.0.2.0/33").is_err());
        assert!(parse_network("example").is_err());
    }
}
