//! Minimal data parallelism on scoped threads. The engine's parallel work is a handful of
//! embarrassingly parallel maps over slices; std's scoped threads cover it without a
//! dependency.

use std::sync::atomic::{AtomicUsize, Ordering};

/// Maps `f` over chunks of `items` on `threads` threads and returns the chunk results in order.
/// Chunks are handed out dynamically so uneven work (large blocks) balances.
pub(crate) fn map_chunks<T, R, F>(items: &[T], threads: usize, chunk: usize, f: F) -> Vec<R>
where
    T: Sync,
    R: Send,
    F: Fn(usize, &[T]) -> R + Sync,
{
    let chunk = chunk.max(1);
    let n_chunks = items.len().div_ceil(chunk);
    if threads <= 1 || n_chunks <= 1 {
        return items
            .chunks(chunk)
            .enumerate()
            .map(|(i, c)| f(i * chunk, c))
            .collect();
    }
    let next = AtomicUsize::new(0);
    let mut parts: Vec<(usize, R)> = std::thread::scope(|s| {
        let handles: Vec<_> = (0..threads.min(n_chunks))
            .map(|_| {
                s.spawn(|| {
                    let mut out = Vec::new();
                    loop {
                        let i = next.fetch_add(1, Ordering::Relaxed);
                        if i >= n_chunks {
                            break;
                        }
                        let start = i * chunk;
                        let end = (start + chunk).min(items.len());
                        out.push((i, f(start, &items[start..end])));
                    }
                    out
                })
            })
            .collect();
        handles
            .into_iter()
            .flat_map(|h| h.join().unwrap_or_else(|e| std::panic::resume_unwind(e)))
            .collect()
    });
    parts.sort_by_key(|(i, _)| *i);
    parts.into_iter().map(|(_, r)| r).collect()
}
