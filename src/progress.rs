//! The progress bar of a long `build` (and of `check --external`) on a
//! terminal. It stays hidden for its first second, so that the usual quick
//! build prints only its summary line, then draws on stderr: the stage, and
//! while pages render, how many are done. Off when stderr is not a terminal.

use std::io::IsTerminal;
use std::sync::mpsc::{self, RecvTimeoutError, Sender};
use std::thread::{self, JoinHandle};
use std::time::Duration;

use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};

/// How long a run goes before its progress is drawn.
pub(crate) const DELAY: Duration = Duration::from_secs(1);

/// A handle that stages tick; shared by reference across threads (render
/// jobs tick it from rayon's). The bar is cleared when the handle is dropped,
/// so that the summary line or the errors printed after it stand alone.
pub struct Progress {
    inner: Option<Inner>,
}

struct Inner {
    bar: ProgressBar,
    /// Dropping the sender tells the timer that the run is over.
    timer: Option<(Sender<()>, JoinHandle<()>)>,
}

impl Progress {
    /// Progress that is never shown (library callers, `--quiet`, `serve`).
    pub fn hidden() -> Self {
        Progress { inner: None }
    }

    /// Progress on stderr after `delay`, if stderr is a terminal; hidden otherwise.
    pub fn stderr(delay: Duration) -> Self {
        if std::io::stderr().is_terminal() {
            Progress::after(delay, ProgressDrawTarget::stderr())
        } else {
            Progress::hidden()
        }
    }

    /// Progress drawn to `target` once `delay` has passed, unless it was dropped before.
    fn after(delay: Duration, target: ProgressDrawTarget) -> Self {
        let bar = ProgressBar::with_draw_target(None, ProgressDrawTarget::hidden())
            .with_style(spinner_style());
        let (tx, rx) = mpsc::channel::<()>();
        let shown = bar.clone();
        let timer = thread::Builder::new()
            .name("progress".into())
            .spawn(move || {
                // Nothing is ever sent: the run ended when the sender is dropped.
                if let Err(RecvTimeoutError::Timeout) = rx.recv_timeout(delay) {
                    shown.set_draw_target(target);
                    shown.enable_steady_tick(Duration::from_millis(100));
                }
            })
            .ok();
        // Without a timer thread there is no bar, and the run goes on as if piped.
        let timer = timer.map(|handle| (tx, handle));
        Progress { inner: timer.is_some().then_some(Inner { bar, timer }) }
    }

    /// Starts a stage: `message` names it, and `len`, when known, is how many
    /// ticks it will take (a bar); without it, a spinner.
    pub fn stage(&self, message: &'static str, len: Option<u64>) {
        let Some(inner) = &self.inner else { return };
        match len {
            Some(len) => {
                inner.bar.set_style(bar_style());
                inner.bar.set_length(len);
            }
            None => {
                inner.bar.set_style(spinner_style());
                inner.bar.unset_length();
            }
        }
        inner.bar.set_position(0);
        inner.bar.set_message(message);
    }

    /// One more step of the stage done (a page rendered, an address fetched).
    pub(crate) fn tick(&self) {
        if let Some(inner) = &self.inner {
            inner.bar.inc(1);
        }
    }

    /// Prints a line on stderr, above the bar if it is shown.
    pub fn println(&self, line: &str) {
        match &self.inner {
            Some(inner) => inner.bar.suspend(|| eprintln!("{line}")),
            None => eprintln!("{line}"),
        }
    }
}

impl Drop for Progress {
    fn drop(&mut self) {
        if let Some(inner) = &mut self.inner {
            if let Some((tx, handle)) = inner.timer.take() {
                drop(tx);
                let _ = handle.join();
            }
            inner.bar.finish_and_clear();
        }
    }
}

fn spinner_style() -> ProgressStyle {
    ProgressStyle::with_template("{spinner} {msg} ({elapsed})")
        .unwrap_or_else(|_| ProgressStyle::default_spinner())
}

fn bar_style() -> ProgressStyle {
    ProgressStyle::with_template("{msg} [{bar:30}] {pos}/{len} ({elapsed})")
        .map(|s| s.progress_chars("=> "))
        .unwrap_or_else(|_| ProgressStyle::default_bar())
}

#[cfg(test)]
mod tests {
    use std::io;
    use std::sync::{Arc, Mutex};
    use std::time::Instant;

    use indicatif::TermLike;

    use super::*;

    /// A terminal that keeps what is written to it.
    #[derive(Debug, Clone, Default)]
    struct Screen(Arc<Mutex<String>>);

    impl Screen {
        fn text(&self) -> String {
            self.0.lock().map(|s| s.clone()).unwrap_or_default()
        }
        fn put(&self, s: &str) -> io::Result<()> {
            if let Ok(mut text) = self.0.lock() {
                text.push_str(s);
            }
            Ok(())
        }
    }

    impl TermLike for Screen {
        fn width(&self) -> u16 {
            80
        }
        fn move_cursor_up(&self, _: usize) -> io::Result<()> {
            self.put("<up>")
        }
        fn move_cursor_down(&self, _: usize) -> io::Result<()> {
            self.put("<down>")
        }
        fn move_cursor_right(&self, _: usize) -> io::Result<()> {
            Ok(())
        }
        fn move_cursor_left(&self, _: usize) -> io::Result<()> {
            Ok(())
        }
        fn write_line(&self, s: &str) -> io::Result<()> {
            self.put(s)?;
            self.put("\n")
        }
        fn write_str(&self, s: &str) -> io::Result<()> {
            self.put(s)
        }
        fn clear_line(&self) -> io::Result<()> {
            self.put("<clear>")
        }
        fn flush(&self) -> io::Result<()> {
            Ok(())
        }
    }

    fn on_screen(delay: Duration) -> (Progress, Screen) {
        let screen = Screen::default();
        let target = ProgressDrawTarget::term_like(Box::new(screen.clone()));
        (Progress::after(delay, target), screen)
    }

    #[test]
    fn a_run_shorter_than_the_delay_draws_nothing() {
        let (progress, screen) = on_screen(Duration::from_secs(5));
        let started = Instant::now();
        progress.stage("rendering", Some(10));
        for _ in 0..10 {
            progress.tick();
        }
        drop(progress);
        assert_eq!(screen.text(), "");
        assert!(started.elapsed() < Duration::from_secs(1), "dropping waits for the delay");
    }

    #[test]
    fn a_run_longer_than_the_delay_draws_and_clears_at_the_end() {
        let (progress, screen) = on_screen(Duration::from_millis(50));
        progress.stage("rendering", Some(4));
        progress.tick();
        let deadline = Instant::now() + Duration::from_secs(10);
        while !screen.text().contains("rendering") && Instant::now() < deadline {
            thread::sleep(Duration::from_millis(20));
        }
        assert!(screen.text().contains("rendering [="), "{:?}", screen.text());
        assert!(screen.text().contains("1/4"), "{:?}", screen.text());
        drop(progress);
        let text = screen.text();
        let after_last_draw = text.rsplit("rendering").next().unwrap_or("");
        assert!(after_last_draw.contains("<clear>"), "the bar is cleared: {text:?}");
    }

    #[test]
    fn ticks_from_many_threads_all_count() {
        let (progress, _screen) = on_screen(Duration::ZERO);
        progress.stage("rendering", Some(4000));
        thread::scope(|s| {
            for _ in 0..4 {
                s.spawn(|| {
                    for _ in 0..1000 {
                        progress.tick();
                    }
                });
            }
        });
        let inner = progress.inner.as_ref().expect("a timer thread");
        assert_eq!(inner.bar.position(), 4000);
    }

    #[test]
    fn hidden_progress_does_nothing() {
        let progress = Progress::hidden();
        progress.stage("loading", None);
        progress.tick();
        assert!(progress.inner.is_none());
    }
}
