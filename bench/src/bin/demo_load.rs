//! Load on a running demo (`cargo run --release -p cors-examples --example
//! demo`), for issue #18; plain HTTP/1.1 over `std::net`, one connection per
//! request (`Connection: close`).
//!
//! - `demo_load latency [API] [PAGE] [UPDATERS] [SECONDS] [SHAPE]`: times one
//!   policy update of the worst shape alone, then the latency of
//!   `GET /api/hello` on an idle demo, then the same while `UPDATERS`
//!   (default 64) threads send that policy to `PUT /playground/policy/dsl-json`
//!   in a loop for `SECONDS` (default 10). `SHAPE` is `names` (default:
//!   rules on one origin and method, each with ~300 header names, one its
//!   own) or `patterns` (the same with the 32 distinct header patterns a
//!   policy may have, in every rule). Defaults: API 127.0.0.1:8081, page
//!   127.0.0.1:8080.
//! - `demo_load flood PID [API] [METHOD_LEN] [PATH_LEN] [REQUESTS] [ROUNDS] [PER_ID]`:
//!   sends `ROUNDS` (default 7) rounds of `REQUESTS` (default 1,024) requests
//!   with a `METHOD_LEN`-byte method (default 300,000) and a `PATH_LEN`-byte
//!   path (default 60,000), 16 at a time, `PER_ID` (default 4, what one id
//!   keeps) under each `rid` (new ids each round), and prints after each
//!   round the statuses seen and the demo's (process `PID`) peak and current
//!   resident memory (`VmHWM`, `VmRSS`).

use std::io::{Read, Write};
use std::net::TcpStream;
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

/// The largest policy the page accepts.
const MAX_POLICY_LEN: usize = 64 * 1024;

/// Sends `request` to `address`, reads the whole answer and returns its
/// status (0 when there was none: a closed or reset connection).
fn exchange(address: &str, request: &[u8]) -> u16 {
    let Ok(mut stream) = TcpStream::connect(address) else {
        return 0;
    };
    let _ = stream.set_read_timeout(Some(Duration::from_secs(60)));
    if stream.write_all(request).is_err() {
        // The server may answer (431, 414) before reading all of it.
        return read_status(&mut stream);
    }
    read_status(&mut stream)
}

fn read_status(stream: &mut TcpStream) -> u16 {
    let mut answer = Vec::new();
    let _ = stream.read_to_end(&mut answer);
    let head = String::from_utf8_lossy(&answer[..answer.len().min(64)]).into_owned();
    head.split(' ')
        .nth(1)
        .and_then(|status| status.parse().ok())
        .unwrap_or(0)
}

fn hello(api: &str) -> Vec<u8> {
    format!(
        "GET /api/hello HTTP/1.1\r\nHost: {api}\r\nOrigin: http://localhost:8080\r\nConnection: close\r\n\r\n"
    )
    .into_bytes()
}

fn put_policy(page: &str, policy: &str) -> Vec<u8> {
    let mut request = format!(
        "PUT /playground/policy/dsl-json HTTP/1.1\r\nHost: {page}\r\nContent-Length: {}\r\nConnection: close\r\n\r\n",
        policy.len()
    )
    .into_bytes();
    request.extend_from_slice(policy.as_bytes());
    request
}

/// A DSL policy in JSON just under [`MAX_POLICY_LEN`]: rules on one origin
/// and method, each allowing ~300 header names shared by every rule and one
/// of its own (so no rule is unreachable and every pair is compared); with
/// `patterns`, every rule also lists the 32 distinct header patterns a
/// policy may have.
fn worst_policy(patterns: bool) -> String {
    let patterns = if patterns {
        (0..32)
            .map(|p| format!("\"x-p{p}-*\","))
            .collect::<String>()
    } else {
        String::new()
    };
    let mut rules = Vec::new();
    let mut used = r#"{"rules":[]}"#.len();
    for r in 0.. {
        let names = (1..300).map(|i| format!(",\"x-h{i}\"")).collect::<String>();
        let rule = format!(
            r#"{{"allow_origins":["https://a.example.com"],"allow_methods":["GET"],"allow_headers":[{patterns}"x-own-{r}"{names}]}}"#
        );
        if used + rule.len() + 1 > MAX_POLICY_LEN {
            break;
        }
        used += rule.len() + 1;
        rules.push(rule);
    }
    format!(r#"{{"rules":[{}]}}"#, rules.join(","))
}

/// Median and 99th percentile of `times`, in milliseconds.
fn summary(times: &mut [Duration]) -> String {
    times.sort();
    let at = |q: f64| {
        let index = ((times.len() as f64 - 1.0) * q).round() as usize;
        times[index].as_secs_f64() * 1e3
    };
    format!(
        "n={} median {:.2} ms, p99 {:.2} ms, max {:.2} ms",
        times.len(),
        at(0.5),
        at(0.99),
        at(1.0)
    )
}

/// Times `GET /api/hello` one after another for `seconds`.
fn hello_latencies(api: &str, seconds: f64) -> (Vec<Duration>, usize) {
    let request = hello(api);
    let mut times = Vec::new();
    let mut failed = 0;
    let start = Instant::now();
    while start.elapsed().as_secs_f64() < seconds {
        let sent = Instant::now();
        let status = exchange(api, &request);
        times.push(sent.elapsed());
        if status != 200 {
            failed += 1;
        }
    }
    (times, failed)
}

fn latency(args: &[String]) {
    let api = args.first().map_or("127.0.0.1:8081", String::as_str);
    let page = args.get(1).map_or("127.0.0.1:8080", String::as_str);
    let updaters: usize = args.get(2).and_then(|n| n.parse().ok()).unwrap_or(64);
    let seconds: f64 = args.get(3).and_then(|n| n.parse().ok()).unwrap_or(10.0);
    let patterns = args.get(4).is_some_and(|shape| shape == "patterns");
    let policy = worst_policy(patterns);
    let rules = policy.matches("allow_origins").count();
    println!(
        "policy: {} bytes, {rules} rules ({})",
        policy.len(),
        if patterns { "patterns" } else { "names" }
    );
    let update = put_policy(page, &policy);
    let mut alone = Vec::new();
    for _ in 0..9 {
        let sent = Instant::now();
        let status = exchange(page, &update);
        alone.push(sent.elapsed());
        assert_eq!(status, 200, "the worst policy is applied");
    }
    println!("one update alone: {}", summary(&mut alone));
    let (mut idle, failed) = hello_latencies(api, seconds.min(5.0));
    println!(
        "GET /api/hello, idle: {} ({failed} not 200)",
        summary(&mut idle)
    );

    let stop = Arc::new(AtomicBool::new(false));
    let statuses = Arc::new(Mutex::new(std::collections::BTreeMap::<u16, usize>::new()));
    let updates = Arc::new(AtomicUsize::new(0));
    let threads: Vec<_> = (0..updaters)
        .map(|_| {
            let (stop, statuses, updates) = (stop.clone(), statuses.clone(), updates.clone());
            let (page, update) = (page.to_owned(), update.clone());
            std::thread::spawn(move || {
                while !stop.load(Ordering::Relaxed) {
                    let status = exchange(&page, &update);
                    updates.fetch_add(1, Ordering::Relaxed);
                    *statuses
                        .lock()
                        .unwrap_or_else(|p| p.into_inner())
                        .entry(status)
                        .or_default() += 1;
                }
            })
        })
        .collect();
    // Let every updater get going first.
    std::thread::sleep(Duration::from_millis(500));
    let started = updates.load(Ordering::Relaxed);
    let (mut loaded, failed) = hello_latencies(api, seconds);
    let done = updates.load(Ordering::Relaxed) - started;
    stop.store(true, Ordering::Relaxed);
    for thread in threads {
        let _ = thread.join();
    }
    println!(
        "GET /api/hello, {updaters} concurrent updates: {} ({failed} not 200)",
        summary(&mut loaded)
    );
    println!(
        "updates: {:.1} per second meanwhile; statuses {:?}",
        done as f64 / seconds,
        statuses.lock().unwrap_or_else(|p| p.into_inner())
    );
}

/// `VmHWM` and `VmRSS` of process `pid`, in MB.
fn memory(pid: &str) -> String {
    let status = std::fs::read_to_string(format!("/proc/{pid}/status")).unwrap_or_default();
    let field = |name: &str| {
        status
            .lines()
            .find_map(|line| line.strip_prefix(name))
            .and_then(|rest| {
                rest.trim()
                    .trim_end_matches("kB")
                    .trim()
                    .parse::<f64>()
                    .ok()
            })
            .map_or("?".to_owned(), |kb| format!("{:.1} MB", kb / 1024.0))
    };
    format!("VmHWM {}, VmRSS {}", field("VmHWM:"), field("VmRSS:"))
}

fn flood(args: &[String]) {
    let pid = args.first().expect("the demo's process id").clone();
    let api = args
        .get(1)
        .map_or("127.0.0.1:8081", String::as_str)
        .to_owned();
    let number = |index: usize, default: usize| {
        args.get(index)
            .and_then(|n| n.parse().ok())
            .unwrap_or(default)
    };
    let (method_len, path_len) = (number(2, 300_000), number(3, 60_000));
    let (requests, rounds, per_id) = (number(4, 1_024), number(5, 7), number(6, 4).max(1));
    let method = "M".repeat(method_len);
    let path = format!("/api/hello/{}", "p".repeat(path_len.saturating_sub(11)));
    println!(
        "{} rounds of {requests} requests ({per_id} per id), method {method_len} bytes, path {} bytes; before: {}",
        rounds,
        path.len(),
        memory(&pid)
    );
    for round in 0..rounds {
        let next = Arc::new(AtomicUsize::new(0));
        let statuses = Arc::new(Mutex::new(std::collections::BTreeMap::<u16, usize>::new()));
        let start = Instant::now();
        let threads: Vec<_> = (0..16)
            .map(|_| {
                let (next, statuses) = (next.clone(), statuses.clone());
                let (api, method, path) = (api.clone(), method.clone(), path.clone());
                std::thread::spawn(move || loop {
                    let n = next.fetch_add(1, Ordering::Relaxed);
                    if n >= requests {
                        break;
                    }
                    let request = format!(
                        "{method} {path}?rid=f{round}-{} HTTP/1.1\r\nHost: {api}\r\nOrigin: http://localhost:8080\r\nConnection: close\r\n\r\n",
                        n / per_id
                    );
                    let status = exchange(&api, request.as_bytes());
                    *statuses
                        .lock()
                        .unwrap_or_else(|p| p.into_inner())
                        .entry(status)
                        .or_default() += 1;
                })
            })
            .collect();
        for thread in threads {
            let _ = thread.join();
        }
        println!(
            "round {}: {:.1} s, statuses {:?}; {}",
            round + 1,
            start.elapsed().as_secs_f64(),
            statuses.lock().unwrap_or_else(|p| p.into_inner()),
            memory(&pid)
        );
    }
}

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    match args.first().map(String::as_str) {
        Some("latency") => latency(&args[1..]),
        Some("flood") => flood(&args[1..]),
        _ => eprintln!("usage: demo_load latency [API] [PAGE] [UPDATERS] [SECONDS] [names|patterns]\n       demo_load flood PID [API] [METHOD_LEN] [PATH_LEN] [REQUESTS] [ROUNDS] [PER_ID]"),
    }
}
