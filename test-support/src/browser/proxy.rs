//! A loopback HTTP forward proxy that sends chosen `host:port` authorities
//! to other addresses, for the engines that have no host resolver rules.
//!
//! The browser still asks for `http://localhost:3000/`, so the page's origin
//! is `http://localhost:3000`; only the TCP connection goes to the address
//! the route names. It speaks the two forms a browser sends to an HTTP proxy:
//! - absolute-form requests (`GET http://host:port/path HTTP/1.1`), rewritten
//!   to origin-form (`GET /path HTTP/1.1`) and sent on with
//!   `Connection: close`, so each proxy connection carries one request and
//!   none reaches a server it was not meant for; a WebSocket handshake
//!   (`Upgrade`, with an `http://` or, as WebKitGTK sends it, a `ws://`
//!   target) keeps its `Connection` header and becomes a tunnel;
//! - `CONNECT host:port`, a tunnel (how Firefox sends a WebSocket through an
//!   HTTP proxy).
//!
//! Authorities without a route go to the loopback address they name
//! (`localhost`, `127.x.x.x`, `[::1]`); anything else is answered
//! `502 Bad Gateway`, which also keeps a browser's stray background requests
//! off the network.

use std::{
    io::{self, Read, Write},
    net::{IpAddr, Ipv4Addr, Shutdown, SocketAddr, TcpListener, TcpStream},
    sync::{
        atomic::{AtomicBool, Ordering},
        Arc, Mutex,
    },
    thread::JoinHandle,
    time::Duration,
};

/// The longest request head the proxy reads.
const MAX_HEAD: usize = 64 * 1024;

/// A running proxy; stops when dropped.
pub struct Proxy {
    addr: SocketAddr,
    stop: Arc<AtomicBool>,
    accepting: Option<JoinHandle<()>>,
    /// The authorities asked for, in order (`host:port`, lowercase).
    requested: Arc<Mutex<Vec<String>>>,
}

impl Proxy {
    /// Starts the proxy on a free loopback port. `routes` maps authorities
    /// (`localhost:3000`, compared without regard to case) to the addresses
    /// their connections go to.
    pub fn start(routes: Vec<(String, SocketAddr)>) -> Proxy {
        let listener = TcpListener::bind((Ipv4Addr::LOCALHOST, 0)).unwrap();
        let addr = listener.local_addr().unwrap();
        let stop = Arc::new(AtomicBool::new(false));
        let requested = Arc::new(Mutex::new(Vec::new()));
        let routes: Arc<Vec<(String, SocketAddr)>> = Arc::new(
            routes
                .into_iter()
                .map(|(authority, to)| (authority.to_ascii_lowercase(), to))
                .collect(),
        );
        let accepting = {
            let (stop, requested) = (stop.clone(), requested.clone());
            std::thread::spawn(move || {
                for client in listener.incoming() {
                    if stop.load(Ordering::SeqCst) {
                        break;
                    }
                    let Ok(client) = client else { continue };
                    let (routes, requested) = (routes.clone(), requested.clone());
                    std::thread::spawn(move || {
                        let _ = serve(client, &routes, &requested);
                    });
                }
            })
        };
        Proxy {
            addr,
            stop,
            accepting: Some(accepting),
            requested,
        }
    }

    /// Where the proxy listens.
    pub fn addr(&self) -> SocketAddr {
        self.addr
    }

    /// The authorities asked for so far, in order (`host:port`, lowercase).
    pub fn requested(&self) -> Vec<String> {
        self.requested.lock().unwrap().clone()
    }
}

impl Drop for Proxy {
    fn drop(&mut self) {
        self.stop.store(true, Ordering::SeqCst);
        // Wakes the accepting thread, which then sees `stop`.
        let _ = TcpStream::connect(self.addr);
        if let Some(accepting) = self.accepting.take() {
            let _ = accepting.join();
        }
    }
}

/// One client connection: one request, or one tunnel.
fn serve(
    mut client: TcpStream,
    routes: &[(String, SocketAddr)],
    requested: &Mutex<Vec<String>>,
) -> io::Result<()> {
    client.set_read_timeout(Some(Duration::from_secs(30)))?;
    let (head, rest) = read_head(&mut client)?;
    let head = String::from_utf8_lossy(&head).into_owned();
    let mut lines = head.split("\r\n");
    let request_line = lines.next().unwrap_or_default();
    let mut parts = request_line.split(' ');
    let (method, target, version) = match (parts.next(), parts.next(), parts.next()) {
        (Some(m), Some(t), Some(v)) => (m, t, v),
        _ => return refuse(&mut client, "400 Bad Request"),
    };
    let headers: Vec<&str> = lines.filter(|line| !line.is_empty()).collect();

    let (authority, path) = if method.eq_ignore_ascii_case("CONNECT") {
        (target.to_ascii_lowercase(), None)
    } else if let Some(after) = ["http://", "ws://"]
        .iter()
        .find_map(|scheme| target.strip_prefix(scheme))
    {
        let (authority, path) = match after.find('/') {
            Some(slash) => (&after[..slash], &after[slash..]),
            None => (after, "/"),
        };
        let authority = authority.to_ascii_lowercase();
        let authority = if authority.contains(':') && !authority.ends_with(']') {
            authority
        } else {
            format!("{authority}:80")
        };
        (authority, Some(path.to_owned()))
    } else {
        return refuse(&mut client, "400 Bad Request");
    };
    requested.lock().unwrap().push(authority.clone());
    let Some(to) = destination(&authority, routes) else {
        return refuse(&mut client, "502 Bad Gateway");
    };
    let Ok(mut server) = TcpStream::connect_timeout(&to, Duration::from_secs(5)) else {
        return refuse(&mut client, "502 Bad Gateway");
    };

    match path {
        None => client.write_all(b"HTTP/1.1 200 Connection established\r\n\r\n")?,
        Some(path) => {
            let upgrade = headers
                .iter()
                .any(|h| header_name(h).eq_ignore_ascii_case("upgrade"));
            let mut out = format!("{method} {path} {version}\r\n");
            for header in &headers {
                let name = header_name(header);
                let hop = ["proxy-connection", "keep-alive", "proxy-authorization"];
                if hop.iter().any(|h| name.eq_ignore_ascii_case(h))
                    || (!upgrade && name.eq_ignore_ascii_case("connection"))
                {
                    continue;
                }
                out.push_str(header);
                out.push_str("\r\n");
            }
            if !upgrade {
                out.push_str("Connection: close\r\n");
            }
            out.push_str("\r\n");
            server.write_all(out.as_bytes())?;
        }
    }
    server.write_all(&rest)?;
    tunnel(client, server)
}

/// Where connections for `authority` go: its route, or the loopback address
/// it names.
fn destination(authority: &str, routes: &[(String, SocketAddr)]) -> Option<SocketAddr> {
    if let Some((_, to)) = routes.iter().find(|(a, _)| a == authority) {
        return Some(*to);
    }
    let (host, port) = authority.rsplit_once(':')?;
    let port: u16 = port.parse().ok()?;
    let ip = match host {
        "localhost" => IpAddr::V4(Ipv4Addr::LOCALHOST),
        host => host
            .trim_start_matches('[')
            .trim_end_matches(']')
            .parse()
            .ok()?,
    };
    ip.is_loopback().then_some(SocketAddr::new(ip, port))
}

fn header_name(line: &str) -> &str {
    line.split(':').next().unwrap_or_default().trim()
}

/// Reads up to the end of the request head; returns the head (without the
/// blank line) and whatever was read after it.
fn read_head(client: &mut TcpStream) -> io::Result<(Vec<u8>, Vec<u8>)> {
    let mut buffer = Vec::new();
    let mut chunk = [0; 4096];
    loop {
        if let Some(end) = buffer.windows(4).position(|w| w == b"\r\n\r\n") {
            let rest = buffer.split_off(end + 4);
            buffer.truncate(end);
            return Ok((buffer, rest));
        }
        if buffer.len() > MAX_HEAD {
            return Err(io::Error::other("request head too long"));
        }
        let read = client.read(&mut chunk)?;
        if read == 0 {
            return Err(io::ErrorKind::UnexpectedEof.into());
        }
        buffer.extend_from_slice(&chunk[..read]);
    }
}

fn refuse(client: &mut TcpStream, status: &str) -> io::Result<()> {
    let response = format!("HTTP/1.1 {status}\r\nContent-Length: 0\r\nConnection: close\r\n\r\n");
    client.write_all(response.as_bytes())
}

/// Copies bytes both ways until the server's side ends, then closes both.
fn tunnel(client: TcpStream, server: TcpStream) -> io::Result<()> {
    client.set_read_timeout(None)?;
    let (mut client_reader, mut server_writer) = (client.try_clone()?, server.try_clone()?);
    let upstream = std::thread::spawn(move || {
        let _ = io::copy(&mut client_reader, &mut server_writer);
        let _ = server_writer.shutdown(Shutdown::Write);
    });
    let (mut server_reader, mut client_writer) = (server, client);
    let _ = io::copy(&mut server_reader, &mut client_writer);
    let _ = client_writer.shutdown(Shutdown::Both);
    let _ = server_reader.shutdown(Shutdown::Both);
    let _ = upstream.join();
    Ok(())
}

#[cfg(test)]
mod tests {
    use std::{
        io::{Read, Write},
        net::{Ipv4Addr, TcpListener, TcpStream},
    };

    use super::Proxy;

    /// A server that answers one request with what it received.
    fn echo_once() -> (std::net::SocketAddr, std::thread::JoinHandle<String>) {
        let listener = TcpListener::bind((Ipv4Addr::LOCALHOST, 0)).unwrap();
        let addr = listener.local_addr().unwrap();
        let thread = std::thread::spawn(move || {
            let (mut stream, _) = listener.accept().unwrap();
            let (head, _) = super::read_head(&mut stream).unwrap();
            let head = String::from_utf8(head).unwrap();
            let response = b"HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok";
            stream.write_all(response).unwrap();
            head
        });
        (addr, thread)
    }

    fn exchange(proxy: &Proxy, request: &str) -> String {
        let mut client = TcpStream::connect(proxy.addr()).unwrap();
        client.write_all(request.as_bytes()).unwrap();
        let mut response = String::new();
        client.read_to_string(&mut response).unwrap();
        response
    }

    #[test]
    fn routes_an_absolute_form_request_in_origin_form() {
        let (server, received) = echo_once();
        let proxy = Proxy::start(vec![("LocalHost:3000".to_owned(), server)]);
        let response = exchange(
            &proxy,
            "GET http://localhost:3000/a?b HTTP/1.1\r\nHost: localhost:3000\r\n\
             Proxy-Connection: keep-alive\r\nConnection: keep-alive\r\n\r\n",
        );
        assert!(response.ends_with("\r\n\r\nok"), "{response}");
        let head = received.join().unwrap();
        assert_eq!(
            head,
            "GET /a?b HTTP/1.1\r\nHost: localhost:3000\r\nConnection: close"
        );
        assert_eq!(proxy.requested(), ["localhost:3000"]);
    }

    #[test]
    fn tunnels_connect_and_keeps_an_upgrade() {
        let (server, received) = echo_once();
        let proxy = Proxy::start(vec![("127.0.0.1:3000".to_owned(), server)]);
        let response = exchange(
            &proxy,
            "CONNECT 127.0.0.1:3000 HTTP/1.1\r\nHost: 127.0.0.1:3000\r\n\r\n\
             GET /ws HTTP/1.1\r\nConnection: Upgrade\r\nUpgrade: websocket\r\n\r\n",
        );
        assert!(
            response.starts_with("HTTP/1.1 200 Connection established\r\n\r\nHTTP/1.1 200 OK"),
            "{response}"
        );
        let head = received.join().unwrap();
        assert_eq!(
            head,
            "GET /ws HTTP/1.1\r\nConnection: Upgrade\r\nUpgrade: websocket"
        );

        for scheme in ["http", "ws"] {
            let (server, received) = echo_once();
            let proxy = Proxy::start(vec![("localhost:3000".to_owned(), server)]);
            let request = format!(
                "GET {scheme}://localhost:3000/ws HTTP/1.1\r\nConnection: Upgrade\r\n\
                 Upgrade: websocket\r\n\r\n"
            );
            let response = exchange(&proxy, &request);
            assert!(response.ends_with("ok"), "{scheme}: {response}");
            let head = received.join().unwrap();
            assert_eq!(
                head,
                "GET /ws HTTP/1.1\r\nConnection: Upgrade\r\nUpgrade: websocket"
            );
        }
    }

    #[test]
    fn refuses_what_is_not_loopback() {
        let proxy = Proxy::start(Vec::new());
        for request in [
            "GET http://example.com/ HTTP/1.1\r\n\r\n",
            "CONNECT example.com:443 HTTP/1.1\r\n\r\n",
        ] {
            let response = exchange(&proxy, request);
            assert!(response.starts_with("HTTP/1.1 502 "), "{response}");
        }
        assert_eq!(proxy.requested(), ["example.com:80", "example.com:443"]);
    }

    #[test]
    fn sends_unrouted_loopback_authorities_to_their_port() {
        let (server, received) = echo_once();
        let proxy = Proxy::start(Vec::new());
        let request = format!("GET http://localhost:{}/x HTTP/1.1\r\n\r\n", server.port());
        let response = exchange(&proxy, &request);
        assert!(response.ends_with("ok"), "{response}");
        assert_eq!(
            received.join().unwrap(),
            "GET /x HTTP/1.1\r\nConnection: close"
        );
    }
}
