//! Whether the box's HTTPS address (`<ip-dashes>.<certificate domain>`) resolves, asked of
//! the box's own DNS resolver (the network's, as other devices there most likely use) and of
//! a public one, and compared with the box's IP.

use serde::{Deserialize, Serialize};

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct AddressCheck {
    /// When it ran (RFC 3339).
    pub at: String,
    /// The name looked up: the host of the HTTPS address.
    pub name: String,
    /// The box's IP, which the name spells.
    pub box_ip: String,
    /// The network's resolver, as the box is set up to use it.
    pub network: Lookup,
    /// A public resolver (Google's by default).
    pub public: Lookup,
    pub verdict: AddressVerdict,
}

/// One resolver's answer.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Lookup {
    /// The resolver asked, `address:port`; empty when none is set up.
    pub resolver: String,
    pub answer: LookupAnswer,
    pub duration_ms: u64,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum LookupAnswer {
    /// The IPv4 addresses the name resolves to.
    Found { addresses: Vec<String> },
    /// The resolver says the name does not exist, or has no IPv4 address.
    NotFound,
    /// The resolver could not be asked, or failed: `error` says how.
    Failed { error: String },
}

/// What the two answers mean together; each has its fix on the page.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum AddressVerdict {
    /// The network's resolver gives this box's IP: the address works on this network.
    ResolvesHere,
    /// The network's resolver gives other addresses (a stale or overridden record).
    ResolvesElsewhere { addresses: Vec<String> },
    /// The network's resolver does not give it, the public one does: the router blocks names
    /// that resolve to private addresses (DNS rebinding protection). Fix: Google DNS.
    RouterBlocks,
    /// The network's resolver does not give it, and the public one could not be asked.
    NotFoundHere,
    /// Neither resolver knows the name.
    NotFound,
}

impl AddressVerdict {
    /// As the JSON API spells it.
    pub fn kind(&self) -> &'static str {
        match self {
            Self::ResolvesHere => "resolves_here",
            Self::ResolvesElsewhere { .. } => "resolves_elsewhere",
            Self::RouterBlocks => "router_blocks",
            Self::NotFoundHere => "not_found_here",
            Self::NotFound => "not_found",
        }
    }
}

/// The verdict of the network's and the public resolver's answers for a name that spells
/// `box_ip`.
pub fn address_verdict(
    box_ip: &str,
    network: &LookupAnswer,
    public: &LookupAnswer,
) -> AddressVerdict {
    match (network, public) {
        (LookupAnswer::Found { addresses }, _) if addresses.iter().any(|a| a == box_ip) => {
            AddressVerdict::ResolvesHere
        }
        (LookupAnswer::Found { addresses }, _) => AddressVerdict::ResolvesElsewhere {
            addresses: addresses.clone(),
        },
        (_, LookupAnswer::Found { .. }) => AddressVerdict::RouterBlocks,
        (_, LookupAnswer::Failed { .. }) => AddressVerdict::NotFoundHere,
        (_, LookupAnswer::NotFound) => AddressVerdict::NotFound,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn found(addresses: &[&str]) -> LookupAnswer {
        LookupAnswer::Found {
            addresses: addresses.iter().map(|a| a.to_string()).collect(),
        }
    }

    fn failed() -> LookupAnswer {
        LookupAnswer::Failed {
            error: "no answer within 2 s".into(),
        }
    }

    #[test]
    fn the_networks_answer_decides_when_there_is_one() {
        let ip = "192.168.1.42";
        for public in [found(&[ip]), LookupAnswer::NotFound, failed()] {
            assert_eq!(
                address_verdict(ip, &found(&["10.0.0.1", ip]), &public),
                AddressVerdict::ResolvesHere
            );
            assert_eq!(
                address_verdict(ip, &found(&["10.0.0.1"]), &public),
                AddressVerdict::ResolvesElsewhere {
                    addresses: vec!["10.0.0.1".into()]
                }
            );
        }
    }

    #[test]
    fn without_it_the_public_answer_tells_a_blocking_router_from_an_unknown_name() {
        let ip = "192.168.1.42";
        for network in [LookupAnswer::NotFound, failed()] {
            assert_eq!(
                address_verdict(ip, &network, &found(&[ip])),
                AddressVerdict::RouterBlocks
            );
            assert_eq!(
                address_verdict(ip, &network, &failed()),
                AddressVerdict::NotFoundHere
            );
            assert_eq!(
                address_verdict(ip, &network, &LookupAnswer::NotFound),
                AddressVerdict::NotFound
            );
        }
    }

    #[test]
    fn kinds_are_the_json_names() {
        for verdict in [
            AddressVerdict::ResolvesHere,
            AddressVerdict::ResolvesElsewhere { addresses: vec![] },
            AddressVerdict::RouterBlocks,
            AddressVerdict::NotFoundHere,
            AddressVerdict::NotFound,
        ] {
            let name = match serde_json::to_value(&verdict).unwrap() {
                serde_json::Value::String(name) => name,
                serde_json::Value::Object(fields) => fields.keys().next().unwrap().clone(),
                other => panic!("{other}"),
            };
            assert_eq!(name, verdict.kind());
        }
    }
}
