//! Accepting connections and serving each with hyper's HTTP/1.1 server,
//! one task per connection on the server's tokio thread, so idle,
//! half-sent and slow clients never delay others.
//!
//! Limits, enforced by hyper: a request head must arrive within
//! [`http::HEAD_DEADLINE`] (a slower client is cut off without an answer),
//! and it is at most [`http::MAX_HEAD`] bytes, to the byte (431). One
//! request per connection (`Connection: close`), as before: an idle
//! browser holds no connection state. A client that stops reading is
//! dropped after [`http::WRITE_STALL`] (tokio-io-timeout's write timeout).

use std::time::Duration;

use axum::Router;
use hyper::server::conn::http1;
use hyper_util::rt::{TokioIo, TokioTimer};
use hyper_util::service::TowerToHyperService;
use tokio::net::TcpListener;
use tokio_io_timeout::TimeoutStream;

use super::http;

/// Serves `app` on every connection `listener` accepts, forever.
pub async fn run(listener: TcpListener, app: Router) {
    let mut server = http1::Builder::new();
    server
        .timer(TokioTimer::new())
        .header_read_timeout(http::HEAD_DEADLINE)
        .max_header_size(http::MAX_HEAD)
        .keep_alive(false);
    let service = TowerToHyperService::new(app);
    loop {
        let stream = match listener.accept().await {
            Ok((stream, _)) => stream,
            Err(_) => {
                // Out of file descriptors and the like: back off a little.
                tokio::time::sleep(Duration::from_millis(10)).await;
                continue;
            }
        };
        // Small writes (events) go out at once.
        let _ = stream.set_nodelay(true);
        // hyper waits for a client forever: a tab whose event stream stops
        // reading would hold its connection.
        let mut stream = TimeoutStream::new(stream);
        stream.set_write_timeout(Some(http::WRITE_STALL));
        let connection = server.serve_connection(TokioIo::new(Box::pin(stream)), service.clone());
        tokio::spawn(async move {
            // Errors are the client's (gone, too slow, malformed): hyper
            // has answered what can be answered.
            let _ = connection.await;
        });
    }
}
