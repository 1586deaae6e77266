//! Every connection the box takes, on both listeners, goes through one accept loop (as
//! axum's `low-level-rustls` example): each is counted against the caps (`slots`), given a
//! TLS handshake of at most [`HANDSHAKE_TIMEOUT`] on the HTTPS listener, and served by hyper
//! with a deadline for each request's headers, which is also how long a kept-alive
//! connection may stay idle. A stranger on the shop's network can hold a few slots for a few
//! seconds, never the box.

pub mod slots;

use axum::extract::ConnectInfo;
use axum::Router;
use hyper::server::conn::{http1, http2};
use hyper_util::rt::{TokioExecutor, TokioIo, TokioTimer};
use hyper_util::server::graceful::GracefulShutdown;
use iotbox_core::logs::budget::Budget;
use slots::{Caps, ConnectionSlots, Refused};
use std::future::Future;
use std::io;
use std::net::SocketAddr;
use std::sync::Arc;
use std::time::Duration;
use tokio::net::{TcpListener, TcpStream};
use tokio_rustls::TlsAcceptor;
use tower::ServiceExt;

/// A TLS handshake that has not ended by then is dropped.
pub const HANDSHAKE_TIMEOUT: Duration = Duration::from_secs(10);
/// A request's headers must have come whole by then, counted from the connection's start or
/// from the end of the previous answer: a kept-alive connection idle that long is closed.
pub const HEADER_TIMEOUT: Duration = Duration::from_secs(10);
/// An HTTP/2 connection is pinged when silent that long, and closed when the ping is not
/// answered within [`HEADER_TIMEOUT`].
const HTTP2_PING_EVERY: Duration = Duration::from_secs(20);
/// Requests one HTTP/2 connection may have under way at once (browsers use 6 per host over
/// HTTP/1.1; the page makes a handful).
const HTTP2_STREAMS: u32 = 32;
/// The most header bytes one request may send (hyper's HTTP/1 default is 400 KiB).
const MAX_HEADER_BYTES: usize = 16 * 1024;
/// Open files kept for everything but connections: the log, settings, certificates, DNS and
/// certificate-server sockets, the blocking threads' files.
const FILES_KEPT: usize = 128;
/// At most so many connections in all, whatever the open-file limit allows.
const MOST_CONNECTIONS: usize = 1024;
/// At most so many for one device: a browser opens 6 a host, a fleet's Prometheus one; a
/// test or a script polling 200 at once still fits.
const MOST_PER_DEVICE: usize = 256;
/// After the system refused to accept (out of files or memory), the loop waits this long.
const ACCEPT_PAUSE: Duration = Duration::from_millis(50);
/// Once stopping, connections get this long to finish what they are answering.
const GRACE: Duration = Duration::from_secs(5);

/// Refused connections are logged, but strangers cannot fill the log with them.
static REFUSED_LOGGED: Budget = Budget::per_minute(10);

/// What the listeners serve.
pub struct Served {
    /// Plain HTTP, if any.
    pub http: Option<TcpListener>,
    /// HTTPS, if any, with its TLS settings.
    pub https: Option<(TcpListener, rustls::ServerConfig)>,
    /// What answers, on both. Requests carry their client's `ConnectInfo<SocketAddr>`, and,
    /// on the HTTPS listener, `over_https`.
    pub router: Router,
    pub caps: Caps,
}

/// The caps for an open-file limit of `max_files`: room for [`FILES_KEPT`] beside them.
pub fn caps_for(max_files: usize) -> Caps {
    let total = max_files
        .saturating_sub(FILES_KEPT)
        .clamp(16, MOST_CONNECTIONS);
    Caps {
        total,
        per_device: MOST_PER_DEVICE.min(total / 2),
    }
}

/// Raises the soft limit of open files to the hard one (as Go and nginx do; 1,024 is a
/// default kept for programs that use `select`), and returns it.
pub fn raise_open_files_limit() -> usize {
    let mut limit = libc::rlimit {
        rlim_cur: 0,
        rlim_max: 0,
    };
    // SAFETY: getrlimit and setrlimit only read and write the struct given.
    unsafe {
        if libc::getrlimit(libc::RLIMIT_NOFILE, &mut limit) != 0 {
            return 1024;
        }
        let wanted = limit.rlim_max.min(64 * 1024);
        if wanted > limit.rlim_cur {
            let raised = libc::rlimit {
                rlim_cur: wanted,
                rlim_max: limit.rlim_max,
            };
            if libc::setrlimit(libc::RLIMIT_NOFILE, &raised) == 0 {
                limit.rlim_cur = wanted;
            }
        }
    }
    usize::try_from(limit.rlim_cur).unwrap_or(usize::MAX)
}

/// Marks the requests that came in on the HTTPS listener.
#[derive(Clone, Copy, Debug)]
pub struct OverHttps;

/// Serves until `stop` returns, then gives open connections [`GRACE`] to finish. A failed
/// accept never ends it (`pause_after`).
pub async fn serve(served: Served, stop: impl Future<Output = ()>) {
    let Served {
        http,
        https,
        router,
        caps,
    } = served;
    let slots = ConnectionSlots::new(caps);
    let (https, tls) = match https {
        Some((listener, tls)) => (Some(listener), Some(TlsAcceptor::from(Arc::new(tls)))),
        None => (None, None),
    };
    let builders = Arc::new(Builders::new());
    let graceful = GracefulShutdown::new();
    tokio::pin!(stop);
    loop {
        let (accepted, over_https) = tokio::select! {
            accepted = accept(http.as_ref()) => (accepted, false),
            accepted = accept(https.as_ref()) => (accepted, true),
            () = &mut stop => break,
        };
        let (stream, client) = match accepted {
            Ok(accepted) => accepted,
            Err(error) => {
                pause_after(&error).await;
                continue;
            }
        };
        let slot = match slots.take(client.ip()) {
            Ok(slot) => slot,
            Err(refused) => {
                if let Some(dropped_before) = REFUSED_LOGGED.admit() {
                    let why = match refused {
                        Refused::Full => "every connection slot is taken",
                        Refused::DeviceFull => "this device holds its share of connections",
                    };
                    tracing::warn!(%client, held = slots.held(), dropped_before, "refused a connection: {why}");
                }
                // Closed at once, so that the socket is given back now.
                drop(stream);
                continue;
            }
        };
        let _ = stream.set_nodelay(true);
        let tls = over_https.then(|| tls.clone()).flatten();
        let (builders, router, watcher) = (builders.clone(), router.clone(), graceful.watcher());
        let service = hyper::service::service_fn(move |mut request| {
            request.extensions_mut().insert(ConnectInfo(client));
            if over_https {
                request.extensions_mut().insert(OverHttps);
            }
            router.clone().oneshot(request)
        });
        // A task for each kind of connection: each holds only what its own kind needs (a
        // plain connection is 4.3 KiB smaller than one that may be TLS, or HTTP/2).
        let Some(tls) = tls else {
            tokio::spawn(async move {
                let _slot = slot;
                let connection = builders.h1.serve_connection(TokioIo::new(stream), service);
                let _ = watcher.watch(connection).await;
            });
            continue;
        };
        tokio::spawn(async move {
            let _slot = slot;
            let Ok(Ok(stream)) = tokio::time::timeout(HANDSHAKE_TIMEOUT, tls.accept(stream)).await
            else {
                return;
            };
            let stream = TokioIo::new(stream);
            if stream.inner().get_ref().1.alpn_protocol() == Some(b"h2") {
                let _ = watcher
                    .watch(builders.h2.serve_connection(stream, service))
                    .await;
            } else {
                let _ = watcher
                    .watch(builders.h1.serve_connection(stream, service))
                    .await;
            }
        });
    }
    drop((http, https));
    tokio::select! {
        () = graceful.shutdown() => {}
        () = tokio::time::sleep(GRACE) => {}
    }
}

/// hyper's settings for every connection: one builder per HTTP version, the version being
/// known before serving (plain HTTP is HTTP/1.1; over TLS, what ALPN chose), so no connection
/// waits unbounded for its first bytes to tell.
struct Builders {
    h1: http1::Builder,
    h2: http2::Builder<TokioExecutor>,
}

impl Builders {
    fn new() -> Self {
        let mut h1 = http1::Builder::new();
        h1.timer(TokioTimer::new())
            .header_read_timeout(HEADER_TIMEOUT)
            .max_buf_size(MAX_HEADER_BYTES);
        let mut h2 = http2::Builder::new(TokioExecutor::new());
        h2.timer(TokioTimer::new())
            .max_concurrent_streams(HTTP2_STREAMS)
            .max_header_list_size(u32::try_from(MAX_HEADER_BYTES).unwrap_or(u32::MAX))
            .keep_alive_interval(HTTP2_PING_EVERY)
            .keep_alive_timeout(HEADER_TIMEOUT);
        Self { h1, h2 }
    }
}

/// The next connection of `listener`; never, without one.
async fn accept(listener: Option<&TcpListener>) -> io::Result<(TcpStream, SocketAddr)> {
    match listener {
        Some(listener) => listener.accept().await,
        None => std::future::pending().await,
    }
}

/// After a failed accept: a connection reset before it was taken is nothing; out of files or
/// memory, the loop waits a little rather than spin (connections closing free them).
async fn pause_after(error: &io::Error) {
    let per_connection = matches!(
        error.kind(),
        io::ErrorKind::ConnectionAborted
            | io::ErrorKind::ConnectionReset
            | io::ErrorKind::ConnectionRefused
    );
    if per_connection {
        return;
    }
    if let Some(dropped_before) = REFUSED_LOGGED.admit() {
        tracing::warn!(%error, dropped_before, "could not accept a connection");
    }
    tokio::time::sleep(ACCEPT_PAUSE).await;
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_caps_leave_room_for_the_box_s_own_files() {
        assert_eq!(
            caps_for(1024),
            Caps {
                total: 896,
                per_device: 256
            }
        );
        assert_eq!(caps_for(1 << 20).total, MOST_CONNECTIONS);
        // A tiny limit still leaves a few connections, one device never all of them.
        assert_eq!(
            caps_for(100),
            Caps {
                total: 16,
                per_device: 8
            }
        );
    }
}
