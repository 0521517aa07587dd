//! Accepting connections so that idle, half-sent and slow clients never
//! delay others.
//!
//! One thread accepts connections and reads their request heads without
//! blocking, all of them in turn; a connection goes to a worker only once
//! its whole head has arrived (or it failed: too large, malformed, too
//! slow). Workers therefore only ever answer complete requests: browsers
//! and proxies that pre-open connections and send nothing, or clients that
//! send a head byte by byte, cost a buffer here and never a worker.
//!
//! Limits: at most [`MAX_PENDING`] connections wait for their head (when
//! more arrive, the one waiting longest is closed), each has
//! [`http::HEAD_DEADLINE`] to send it, and a head is at most
//! [`http::MAX_HEAD`] bytes.

use std::io::Read;
use std::net::{TcpListener, TcpStream};
use std::sync::mpsc::{SyncSender, TrySendError};
use std::time::{Duration, Instant};

use super::http::{self, HeadBuf, ReadError, Request, Response};

/// Connections waiting for their request head, at most.
pub const MAX_PENDING: usize = 512;
/// Longest pause between two polls of waiting connections. New connections
/// and bytes are noticed within this time; while there is traffic, polling
/// is continuous.
const MAX_NAP: Duration = Duration::from_millis(5);

/// A connection with its request head read (or the reason it could not be).
pub struct Job {
    pub stream: TcpStream,
    pub request: Result<Request, ReadError>,
}

struct Waiting {
    stream: TcpStream,
    head: HeadBuf,
    since: Instant,
}

/// What one poll of a waiting connection found.
enum Poll {
    Wait,
    Progress,
    Done(Result<Request, ReadError>),
    /// Closed before sending anything, or broken: drop it.
    Drop,
}

fn poll(w: &mut Waiting, chunk: &mut [u8]) -> Poll {
    let mut progress = false;
    loop {
        match w.stream.read(chunk) {
            Ok(0) => {
                return match w.head.cut_short() {
                    ReadError::Gone => Poll::Drop,
                    e => Poll::Done(Err(e)),
                }
            }
            Ok(n) => {
                progress = true;
                if let Some(done) = w.head.push(&chunk[..n]) {
                    return Poll::Done(done);
                }
            }
            Err(e) if e.kind() == std::io::ErrorKind::WouldBlock => break,
            Err(e) if e.kind() == std::io::ErrorKind::Interrupted => {}
            Err(_) => return Poll::Drop,
        }
    }
    if w.since.elapsed() > http::HEAD_DEADLINE {
        return if w.head.is_empty() {
            Poll::Drop
        } else {
            Poll::Done(Err(ReadError::Timeout))
        };
    }
    if progress {
        Poll::Progress
    } else {
        Poll::Wait
    }
}

/// Hands a finished connection to the workers; 503 when they are swamped.
fn dispatch(
    queue: &SyncSender<Job>,
    stream: TcpStream,
    request: Result<Request, ReadError>,
) -> bool {
    let _ = stream.set_nonblocking(false);
    match queue.try_send(Job { stream, request }) {
        Ok(()) => true,
        Err(TrySendError::Full(job)) => {
            let mut s = job.stream;
            let _ = s.set_write_timeout(Some(Duration::from_millis(200)));
            http::write_response(&mut s, &Response::text(503, "busy, retry"), false);
            true
        }
        Err(TrySendError::Disconnected(_)) => false,
    }
}

/// Accepts connections forever (until the workers are gone).
pub fn run(listener: TcpListener, queue: SyncSender<Job>) {
    let mut waiting: Vec<Waiting> = Vec::new();
    let mut chunk = [0u8; 4096];
    let mut nap = Duration::from_micros(100);
    loop {
        // Nothing waiting: sleep in accept() until a client comes.
        let blocking = waiting.is_empty();
        if listener.set_nonblocking(!blocking).is_err() {
            std::thread::sleep(MAX_NAP);
        }
        let mut activity = false;
        loop {
            match listener.accept() {
                Ok((stream, _)) => {
                    activity = true;
                    if stream.set_nonblocking(true).is_err() {
                        continue;
                    }
                    if waiting.len() >= MAX_PENDING {
                        // The longest-waiting connection makes room.
                        if let Some(oldest) = (0..waiting.len()).min_by_key(|&i| waiting[i].since) {
                            waiting.swap_remove(oldest);
                        }
                    }
                    waiting.push(Waiting {
                        stream,
                        head: HeadBuf::default(),
                        since: Instant::now(),
                    });
                    if blocking {
                        break;
                    }
                }
                Err(e) if e.kind() == std::io::ErrorKind::WouldBlock => break,
                Err(e) if e.kind() == std::io::ErrorKind::Interrupted => {}
                Err(_) => {
                    // Out of file descriptors and the like: back off a little.
                    std::thread::sleep(Duration::from_millis(10));
                    break;
                }
            }
        }
        let mut i = 0;
        while i < waiting.len() {
            match poll(&mut waiting[i], &mut chunk) {
                Poll::Wait => i += 1,
                Poll::Progress => {
                    activity = true;
                    i += 1;
                }
                Poll::Drop => {
                    waiting.swap_remove(i);
                }
                Poll::Done(request) => {
                    activity = true;
                    let w = waiting.swap_remove(i);
                    if !dispatch(&queue, w.stream, request) {
                        return;
                    }
                }
            }
        }
        if activity {
            nap = Duration::from_micros(100);
        } else if !waiting.is_empty() {
            std::thread::sleep(nap);
            nap = (nap * 2).min(MAX_NAP);
        }
    }
}
