//! Whether the box's HTTPS address resolves: one `A` query for its name to the network's
//! resolver (the box's own, as other devices on its network most likely use it) and one to
//! a public resolver, each bounded in time, and what the two answers mean together
//! (`model::diagnostics::address::address_verdict`).

use hickory_proto::op::{Message, MessageType, OpCode, Query, ResponseCode};
use hickory_proto::rr::{Name, RData, RecordType};
use model::diagnostics::address::{Lookup, LookupAnswer};
use std::net::{Ipv4Addr, SocketAddr};
use std::time::{Duration, Instant};

/// How long one attempt waits for an answer; a lost datagram is asked again once.
pub const ATTEMPT_TIMEOUT: Duration = Duration::from_secs(2);
const ATTEMPTS: u32 = 2;

/// What is checked: the host of the HTTPS address, and the box's IP it should resolve to.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct AddressTarget {
    pub name: String,
    pub ip: Ipv4Addr,
}

/// The resolvers to ask.
#[derive(Clone, Copy, Debug)]
pub struct Resolvers {
    /// The network's resolver; `None`: the first `nameserver` of /etc/resolv.conf at each
    /// check (DHCP may change it).
    pub network: Option<SocketAddr>,
    pub public: SocketAddr,
}

impl Resolvers {
    /// The network's resolver as it is now.
    pub async fn network(&self) -> Option<SocketAddr> {
        match self.network {
            Some(resolver) => Some(resolver),
            None => tokio::fs::read_to_string("/etc/resolv.conf")
                .await
                .ok()
                .and_then(|text| first_nameserver(&text)),
        }
    }
}

/// The first usable `nameserver` line of a resolv.conf.
fn first_nameserver(resolv_conf: &str) -> Option<SocketAddr> {
    resolv_conf.lines().find_map(|line| {
        let mut words = line.split_whitespace();
        (words.next() == Some("nameserver"))
            .then(|| words.next()?.parse().ok())
            .flatten()
            .map(|ip| SocketAddr::new(ip, 53))
    })
}

/// Asks `resolver` (none: none is set up) for the IPv4 addresses of `name`.
pub async fn lookup(name: &str, resolver: Option<SocketAddr>) -> Lookup {
    let started = Instant::now();
    let answer = match resolver {
        Some(resolver) => ask(name, resolver).await,
        None => LookupAnswer::Failed {
            error: "no DNS resolver is set up (/etc/resolv.conf names none)".into(),
        },
    };
    Lookup {
        resolver: resolver.map(|r| r.to_string()).unwrap_or_default(),
        answer,
        duration_ms: started.elapsed().as_millis() as u64,
    }
}

async fn ask(name: &str, resolver: SocketAddr) -> LookupAnswer {
    let failed = |error: String| LookupAnswer::Failed { error };
    let Ok(fqdn) = Name::from_ascii(format!("{}.", name.trim_end_matches('.'))) else {
        return failed(format!("{name} is not a DNS name"));
    };
    let id = fastrand::u16(..);
    let mut query = Message::new();
    query
        .set_id(id)
        .set_message_type(MessageType::Query)
        .set_op_code(OpCode::Query)
        .set_recursion_desired(true)
        .add_query(Query::query(fqdn, RecordType::A));
    let Ok(packet) = query.to_vec() else {
        return failed("the query could not be written".into());
    };
    let local: SocketAddr = if resolver.is_ipv4() {
        (Ipv4Addr::UNSPECIFIED, 0).into()
    } else {
        (std::net::Ipv6Addr::UNSPECIFIED, 0).into()
    };
    let socket = match tokio::net::UdpSocket::bind(local).await {
        Ok(socket) => socket,
        Err(error) => return failed(format!("cannot open a socket: {error}")),
    };
    if let Err(error) = socket.connect(resolver).await {
        return failed(format!("{resolver}: {error}"));
    }
    for _ in 0..ATTEMPTS {
        if let Err(error) = socket.send(&packet).await {
            return failed(format!("{resolver}: {error}"));
        }
        match tokio::time::timeout(ATTEMPT_TIMEOUT, answer_to(&socket, id)).await {
            Ok(Ok(answer)) => return meaning(&answer),
            Ok(Err(error)) => return failed(format!("{resolver}: {error}")),
            Err(_) => continue,
        }
    }
    failed(format!(
        "{resolver} did not answer within {} s, asked {ATTEMPTS} times",
        ATTEMPT_TIMEOUT.as_secs()
    ))
}

/// The answer to query `id`; anything else that arrives is ignored.
async fn answer_to(socket: &tokio::net::UdpSocket, id: u16) -> std::io::Result<Message> {
    let mut buffer = [0u8; 1232];
    loop {
        let length = socket.recv(&mut buffer).await?;
        if let Ok(message) = Message::from_vec(&buffer[..length]) {
            if message.id() == id && message.message_type() == MessageType::Response {
                return Ok(message);
            }
        }
    }
}

fn meaning(answer: &Message) -> LookupAnswer {
    match answer.response_code() {
        ResponseCode::NoError => {
            let addresses: Vec<String> = answer
                .answers()
                .iter()
                .filter_map(|record| match record.data() {
                    RData::A(a) => Some(a.0.to_string()),
                    _ => None,
                })
                .collect();
            if addresses.is_empty() {
                LookupAnswer::NotFound
            } else {
                LookupAnswer::Found { addresses }
            }
        }
        ResponseCode::NXDomain => LookupAnswer::NotFound,
        code => LookupAnswer::Failed {
            error: format!("the resolver answered {code}"),
        },
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use hickory_proto::rr::rdata::A;
    use hickory_proto::rr::Record;

    #[test]
    fn the_first_nameserver_is_the_networks_resolver() {
        let resolv_conf = "# from DHCP\nsearch lan\nnameserver fe80::1%eth0\nnameserver 192.168.1.1\nnameserver 8.8.8.8\n";
        assert_eq!(
            first_nameserver(resolv_conf),
            Some("192.168.1.1:53".parse().unwrap())
        );
        assert_eq!(first_nameserver("search lan\n"), None);
    }

    #[test]
    fn an_answer_is_found_not_found_or_a_failure() {
        let name = Name::from_ascii("192-168-1-42.abc.example.").unwrap();
        let mut found = Message::new();
        found.add_answer(Record::from_rdata(
            name,
            60,
            RData::A(A::new(192, 168, 1, 42)),
        ));
        assert_eq!(
            meaning(&found),
            LookupAnswer::Found {
                addresses: vec!["192.168.1.42".into()]
            }
        );
        assert_eq!(meaning(&Message::new()), LookupAnswer::NotFound);
        let mut nxdomain = Message::new();
        nxdomain.set_response_code(ResponseCode::NXDomain);
        assert_eq!(meaning(&nxdomain), LookupAnswer::NotFound);
        let mut refused = Message::new();
        refused.set_response_code(ResponseCode::Refused);
        assert!(
            matches!(meaning(&refused), LookupAnswer::Failed { error } if error.contains("Refused"))
        );
    }
}
