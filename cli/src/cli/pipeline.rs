//! A parallel, ordered, bounded map from batches of input to batches of
//! output.
//!
//! One reader thread pulls batches from the input, a pool of workers maps
//! them, and the calling thread consumes the results strictly in input order,
//! holding early finishers until their turn. A batch may be read only after
//! taking a permit, and a permit comes back only when its batch has been
//! consumed, so at most `2 × threads + 2` batches exist at any time —
//! whether they wait to be mapped, are being mapped or wait to be written —
//! and memory is bounded by that many batches, however long the stream.
//!
//! With one thread there is no pool: read, map and consume run in turn on
//! the calling thread, so `--threads 1` measures one core honestly.
//!
//! When the consumer fails (a closed pipe), `run` returns at once; threads
//! still blocked on input are left to the end of the process.

use std::collections::BTreeMap;
use std::panic::{AssertUnwindSafe, catch_unwind};
use std::sync::mpsc::{channel, sync_channel};
use std::sync::{Arc, Mutex, PoisonError};
use std::thread;

/// Why a pipeline stopped early.
#[derive(Debug)]
pub enum Stopped<E> {
    /// The consumer failed.
    Consumer(E),
    /// A worker panicked outside the per-record guard: the batch is lost.
    /// (Unreachable unless the mapping function itself has a bug.)
    LostBatch(String),
}

/// How many batches may be in flight for `threads` workers.
pub fn in_flight(threads: usize) -> usize {
    2 * threads + 2
}

/// Maps every item of `input` with `map` on `threads` workers and hands the
/// results to `consume` in input order.
pub fn run<I, O, E>(
    threads: usize,
    input: impl Iterator<Item = I> + Send + 'static,
    map: impl Fn(I) -> O + Send + Sync + 'static,
    mut consume: impl FnMut(O) -> Result<(), E>,
) -> Result<(), Stopped<E>>
where
    I: Send + 'static,
    O: Send + 'static,
{
    if threads <= 1 {
        for item in input {
            consume(map(item)).map_err(Stopped::Consumer)?;
        }
        return Ok(());
    }
    let (permit_tx, permit_rx) = sync_channel::<()>(in_flight(threads));
    let (job_tx, job_rx) = sync_channel::<(u64, I)>(threads);
    let (done_tx, done_rx) = channel::<(u64, Result<O, String>)>();
    let reader = thread::spawn(move || {
        let mut input = input;
        for seq in 0u64.. {
            // Take a permit before reading: it bounds the batches in memory.
            if permit_tx.send(()).is_err() {
                break;
            }
            let Some(item) = input.next() else {
                break;
            };
            if job_tx.send((seq, item)).is_err() {
                break;
            }
        }
    });
    let job_rx = Arc::new(Mutex::new(job_rx));
    let map = Arc::new(map);
    let workers: Vec<_> = (0..threads)
        .map(|_| {
            let job_rx = Arc::clone(&job_rx);
            let done_tx = done_tx.clone();
            let map = Arc::clone(&map);
            thread::spawn(move || {
                loop {
                    let job = job_rx.lock().unwrap_or_else(PoisonError::into_inner).recv();
                    let Ok((seq, item)) = job else {
                        break;
                    };
                    let output = catch_unwind(AssertUnwindSafe(|| map(item)))
                        .map_err(|panic| panic_message(panic.as_ref()));
                    if done_tx.send((seq, output)).is_err() {
                        break;
                    }
                }
            })
        })
        .collect();
    drop(done_tx);
    let mut next = 0u64;
    let mut early = BTreeMap::new();
    for (seq, output) in &done_rx {
        early.insert(seq, output);
        while let Some(output) = early.remove(&next) {
            let output = output.map_err(Stopped::LostBatch)?;
            consume(output).map_err(Stopped::Consumer)?;
            next += 1;
            // Give the batch's permit back.
            let _ = permit_rx.recv();
        }
    }
    // Every sender is gone: the reader and the workers have finished.
    let _ = reader.join();
    for worker in workers {
        let _ = worker.join();
    }
    Ok(())
}

/// The message of a panic payload.
pub fn panic_message(panic: &(dyn std::any::Any + Send)) -> String {
    panic
        .downcast_ref::<&str>()
        .map(std::string::ToString::to_string)
        .or_else(|| panic.downcast_ref::<String>().cloned())
        .unwrap_or_else(|| "internal error".into())
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::sync::atomic::{AtomicUsize, Ordering};

    fn squares(threads: usize, n: u64) -> Vec<u64> {
        let mut out = Vec::new();
        run(
            threads,
            0..n,
            |i| {
                // Uneven work, so batches finish out of order.
                thread::sleep(std::time::Duration::from_micros((i * 7919) % 13 * 50));
                i * i
            },
            |o| {
                out.push(o);
                Ok::<(), ()>(())
            },
        )
        .unwrap();
        out
    }

    #[test]
    fn results_come_in_input_order_for_any_thread_count() {
        let expected: Vec<u64> = (0..200).map(|i| i * i).collect();
        for threads in [1, 2, 3, 8] {
            assert_eq!(squares(threads, 200), expected, "{threads} threads");
        }
    }

    #[test]
    fn batches_in_flight_are_bounded() {
        let threads = 3;
        let alive = Arc::new(AtomicUsize::new(0));
        let peak = Arc::new(AtomicUsize::new(0));
        let (a, p) = (Arc::clone(&alive), Arc::clone(&peak));
        let input = (0..500).inspect(move |_| {
            let now = a.fetch_add(1, Ordering::SeqCst) + 1;
            p.fetch_max(now, Ordering::SeqCst);
        });
        run(
            threads,
            input,
            |i: u64| i,
            |_| {
                thread::sleep(std::time::Duration::from_micros(20));
                alive.fetch_sub(1, Ordering::SeqCst);
                Ok::<(), ()>(())
            },
        )
        .unwrap();
        let peak = peak.load(Ordering::SeqCst);
        assert!(peak <= in_flight(threads), "peak {peak}");
    }

    #[test]
    fn a_consumer_error_stops_the_pipeline() {
        let mut seen = 0;
        let result = run(
            2,
            0..u64::MAX,
            |i| i,
            |i| {
                seen += 1;
                if i == 10 { Err("closed") } else { Ok(()) }
            },
        );
        assert!(matches!(result, Err(Stopped::Consumer("closed"))));
        assert_eq!(seen, 11);
    }

    #[test]
    fn a_panicking_batch_is_reported_not_waited_for() {
        let result = run(
            2,
            0..100u64,
            |i| {
                assert!(i != 42, "bug in batch 42");
                i
            },
            |_| Ok::<(), ()>(()),
        );
        match result {
            Err(Stopped::LostBatch(message)) => assert!(message.contains("batch 42")),
            other => panic!("{other:?}"),
        }
    }
}
