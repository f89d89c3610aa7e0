//! A helper thread for the first read: it runs the jobs the reading thread gives it (the last
//! part of a window of rows, see the dialect readers) while the reading thread reads the rest.
//!
//! A job takes a fraction of a millisecond, and the reading thread waits for each one, so both
//! sides wait for each other actively for a while before they sleep: on the 2-CPU virtual
//! machine measured, waking a sleeping thread took 50–150 µs, as long as a job, and a helper
//! started or woken per window did not run beside the reading thread at all. An active wait
//! yields the processor at every turn, so the read-ahead thread still gets it when it needs it.

use std::sync::mpsc::{channel, Receiver, Sender, TryRecvError};
use std::thread::JoinHandle;
use std::time::{Duration, Instant};

/// A job: it owns what it reads (a [`crate::scan::SharedBytes`] window, an `Arc` of its table).
type Job<R> = Box<dyn FnOnce() -> R + Send>;

/// How long either side waits actively before it sleeps.
const ACTIVE_WAIT: Duration = Duration::from_millis(2);

/// A thread running jobs that return `R`, one at a time, in order.
pub struct Helper<R: Send + 'static> {
    jobs: Option<Sender<Job<R>>>,
    results: Receiver<R>,
    thread: Option<JoinHandle<()>>,
    /// A result taken off the channel by [`Helper::is_done`] and not yet handed out.
    ready: Option<R>,
}

impl<R: Send + 'static> Helper<R> {
    /// Starts the thread; `None` if the system will not start one (then there is no helper).
    pub fn start() -> Option<Helper<R>> {
        let (job_tx, job_rx) = channel::<Job<R>>();
        let (result_tx, result_rx) = channel::<R>();
        let thread = std::thread::Builder::new()
            .name("dbsalvage-helper".into())
            .spawn(move || {
                while let Some(job) = next(&job_rx) {
                    if result_tx.send(job()).is_err() {
                        break;
                    }
                }
            })
            .ok()?;
        Some(Helper {
            jobs: Some(job_tx),
            results: result_rx,
            thread: Some(thread),
            ready: None,
        })
    }

    /// Gives the thread a job. Returns `false` if the thread is gone (a job panicked).
    pub fn give(&mut self, job: impl FnOnce() -> R + Send + 'static) -> bool {
        self.jobs
            .as_ref()
            .is_some_and(|jobs| jobs.send(Box::new(job)).is_ok())
    }

    /// Has the oldest job given finished?
    pub fn is_done(&mut self) -> bool {
        if self.ready.is_none() {
            self.ready = self.results.try_recv().ok();
        }
        self.ready.is_some()
    }

    /// Waits for the oldest job's result; `None` if the thread is gone.
    pub fn take(&mut self) -> Option<R> {
        self.ready.take().or_else(|| next(&self.results))
    }
}

impl<R: Send + 'static> Drop for Helper<R> {
    fn drop(&mut self) {
        // Closing the job channel ends the thread's loop.
        self.jobs = None;
        if let Some(thread) = self.thread.take() {
            let _ = thread.join();
        }
    }
}

/// A helper started when it is first needed, and not again once it is gone (a job panicked, or
/// the system would not start a thread): the reading thread then reads on alone.
#[derive(Default)]
pub enum LazyHelper<R: Send + 'static> {
    /// Not needed yet.
    #[default]
    NotStarted,
    /// Running.
    Running(Helper<R>),
    /// Gone for good.
    Gone,
}

impl<R: Send + 'static> LazyHelper<R> {
    /// The helper, started now if it was not yet; `None` when it is gone.
    pub fn get(&mut self) -> Option<&mut Helper<R>> {
        if matches!(self, LazyHelper::NotStarted) {
            *self = Helper::start().map_or(LazyHelper::Gone, LazyHelper::Running);
        }
        match self {
            LazyHelper::Running(helper) => Some(helper),
            _ => None,
        }
    }

    /// Gives up on the helper (its thread is gone).
    pub fn give_up(&mut self) {
        *self = LazyHelper::Gone;
    }
}

/// The helper's share of a window, in percent. The helper competes for a core with the
/// read-ahead thread; when it is late the reading thread waits for it, so its share follows how
/// often it was done in time (between 10 and 70 %).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Share(u32);

impl Default for Share {
    fn default() -> Share {
        Share(50)
    }
}

impl Share {
    /// Where the helper's part of `len` bytes starts: the reading thread reads before it.
    pub fn split_point(self, len: usize) -> usize {
        let helper_bytes = len as u64 * u64::from(self.0) / 100;
        len - usize::try_from(helper_bytes).unwrap_or(0)
    }

    /// After a shared window: was the helper done by the time the reading thread was?
    pub fn adjust(&mut self, in_time: bool) {
        self.0 = if in_time {
            (self.0 + 2).min(70)
        } else {
            self.0.saturating_sub(2).max(10)
        };
    }
}

/// The next message: waited for actively for [`ACTIVE_WAIT`], then asleep; `None` when the
/// other side is gone.
fn next<T>(from: &Receiver<T>) -> Option<T> {
    let started = Instant::now();
    loop {
        match from.try_recv() {
            Ok(v) => return Some(v),
            Err(TryRecvError::Disconnected) => return None,
            Err(TryRecvError::Empty) if started.elapsed() < ACTIVE_WAIT => {
                std::thread::yield_now();
            }
            Err(TryRecvError::Empty) => return from.recv().ok(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn results_come_back_in_order() {
        let mut helper = Helper::start().unwrap();
        for i in 0..100u64 {
            if i % 10 == 0 {
                // A pause longer than the active wait: the thread is asleep and must wake up.
                std::thread::sleep(ACTIVE_WAIT * 3);
            }
            assert!(helper.give(move || i * i));
            if i % 3 == 0 {
                // `is_done` keeps the result it sees for `take`.
                let started = Instant::now();
                while !helper.is_done() {
                    assert!(
                        started.elapsed() < Duration::from_secs(30),
                        "job {i} never ends"
                    );
                    std::thread::yield_now();
                }
            }
            assert_eq!(helper.take(), Some(i * i));
        }
        assert!(!helper.is_done());
    }

    #[test]
    fn the_share_follows_the_helper_within_bounds() {
        let mut share = Share::default();
        assert_eq!(share.split_point(1000), 500);
        for _ in 0..100 {
            share.adjust(true);
        }
        assert_eq!(share.split_point(1000), 300);
        for _ in 0..100 {
            share.adjust(false);
        }
        assert_eq!(share.split_point(1000), 900);
        assert_eq!(share.split_point(0), 0);
    }

    #[test]
    fn a_panicking_job_ends_the_helper_without_hanging() {
        let mut helper: Helper<u32> = Helper::start().unwrap();
        assert!(helper.give(|| panic!("a bug in a job")));
        assert_eq!(helper.take(), None);
        assert!(!helper.give(|| 1));
        assert_eq!(helper.take(), None);
    }

    #[test]
    fn a_lazy_helper_starts_once_and_stays_gone() {
        let mut lazy: LazyHelper<u32> = LazyHelper::default();
        assert!(matches!(lazy, LazyHelper::NotStarted));
        let helper = lazy.get().unwrap();
        assert!(helper.give(|| 7));
        assert_eq!(helper.take(), Some(7));
        lazy.give_up();
        assert!(lazy.get().is_none());
        assert!(lazy.get().is_none());
    }
}
