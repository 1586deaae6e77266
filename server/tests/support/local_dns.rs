//! The local DNS server as a process: answers `<a-b-c-d>.<domain>` with `a.b.c.d`, or plays a
//! router that refuses private answers.

use super::*;

pub struct LocalDns {
    _process: Process,
    pub addr: SocketAddr,
}

impl LocalDns {
    pub fn start(args: &[&str]) -> Self {
        let mut command = iotbox_local("dns");
        command.arg("--addr").arg("127.0.0.1:0").args(args);
        let (process, line) = spawn_listening(command, "local DNS server:");
        Self {
            _process: process,
            addr: address_after(&line, "dns"),
        }
    }
}
