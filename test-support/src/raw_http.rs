//! Raw HTTP/1.1 over loopback, for what `actix_web::test` skips: the
//! server's own request parser and its limits.

use std::{
    io::{Read, Write},
    net::{Ipv4Addr, Shutdown, TcpListener, TcpStream},
    time::Duration,
};

use actix_web::{web, App, HttpServer};

/// Serves `App::new().configure(routes)` with one worker on a free
/// loopback port, sends `request` as it is, and returns every byte of the
/// response (the request ends with `Connection: close`).
///
/// Runs on a thread of its own, so it may be called from inside a runtime.
pub fn exchange(routes: fn(&mut web::ServiceConfig), request: Vec<u8>) -> Vec<u8> {
    std::thread::spawn(move || {
        actix_web::rt::System::new().block_on(async move {
            let listener = TcpListener::bind((Ipv4Addr::LOCALHOST, 0)).unwrap();
            let address = listener.local_addr().unwrap();
            let server = HttpServer::new(move || App::new().configure(routes))
                .workers(1)
                .disable_signals()
                .shutdown_timeout(1)
                .listen(listener)
                .unwrap()
                .run();
            let handle = server.handle();
            actix_web::rt::spawn(server);
            let response = actix_web::rt::task::spawn_blocking(move || {
                let mut stream = TcpStream::connect(address).unwrap();
                stream
                    .set_read_timeout(Some(Duration::from_secs(20)))
                    .unwrap();
                // Write on another thread and read here at once: a server
                // that refuses a request head before reading all of it
                // answers first and then resets the connection.
                let mut writer = stream.try_clone().unwrap();
                let writing = std::thread::spawn(move || {
                    let _ = writer.write_all(&request);
                    let _ = writer.shutdown(Shutdown::Write);
                });
                let mut response = Vec::new();
                let mut chunk = [0u8; 16 * 1024];
                loop {
                    match stream.read(&mut chunk) {
                        Ok(0) | Err(_) => break,
                        Ok(n) => response.extend_from_slice(&chunk[..n]),
                    }
                }
                writing.join().unwrap();
                response
            })
            .await
            .unwrap();
            handle.stop(false).await;
            response
        })
    })
    .join()
    .unwrap()
}

/// `METHOD path HTTP/1.1` with a `Host` and `headers` (raw bytes each).
pub fn request(method: &str, path: &str, headers: &[(&str, &[u8])]) -> Vec<u8> {
    let mut request = format!("{method} {path} HTTP/1.1\r\nHost: api.example.com\r\n").into_bytes();
    for (name, value) in headers {
        request.extend_from_slice(name.as_bytes());
        request.extend_from_slice(b": ");
        request.extend_from_slice(value);
        request.extend_from_slice(b"\r\n");
    }
    request.extend_from_slice(b"Connection: close\r\n\r\n");
    request
}

/// The status code of a raw response.
pub fn status(response: &[u8]) -> u16 {
    let line = response
        .get(9..12)
        .unwrap_or_else(|| panic!("no status line in {:?}", String::from_utf8_lossy(response)));
    std::str::from_utf8(line).unwrap().parse().unwrap()
}

/// Whether the raw response has the header line `name: value` (name in any case).
pub fn has_header(response: &[u8], name: &str, value: &str) -> bool {
    let text = String::from_utf8_lossy(response);
    let head = text.split("\r\n\r\n").next().unwrap_or("");
    head.lines().skip(1).any(|line| {
        line.split_once(':')
            .is_some_and(|(n, v)| n.eq_ignore_ascii_case(name) && v.trim() == value)
    })
}

/// The body of a raw response (after the head).
pub fn body(response: &[u8]) -> String {
    let text = String::from_utf8_lossy(response);
    text.split_once("\r\n\r\n")
        .map(|(_, b)| b.to_owned())
        .unwrap_or_default()
}
