//! What a long step is doing, on stderr: a spinner with the step and the time it has taken,
//! shown only when stderr is a terminal and `--quiet` was not given, and cleared when the step
//! ends (so logs and pipes see only the results).

use std::io::IsTerminal;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::Duration;

static QUIET: AtomicBool = AtomicBool::new(false);

/// `--quiet`: no spinner.
pub fn set_quiet(quiet: bool) {
    QUIET.store(quiet, Ordering::Relaxed);
}

/// A spinner for one step; nothing when stderr is no terminal or `--quiet`.
pub struct Progress(Option<indicatif::ProgressBar>);

impl Progress {
    pub fn start(message: impl Into<String>) -> Progress {
        if QUIET.load(Ordering::Relaxed) || !std::io::stderr().is_terminal() {
            return Progress(None);
        }
        let bar = indicatif::ProgressBar::new_spinner();
        if let Ok(style) = indicatif::ProgressStyle::with_template("{spinner} {msg} ({elapsed})") {
            bar.set_style(style);
        }
        bar.set_message(message.into());
        bar.enable_steady_tick(Duration::from_millis(120));
        Progress(Some(bar))
    }

    /// The step now running.
    pub fn set(&self, message: impl Into<String>) {
        if let Some(bar) = &self.0 {
            bar.set_message(message.into());
        }
    }
}

impl Drop for Progress {
    fn drop(&mut self) {
        if let Some(bar) = &self.0 {
            bar.finish_and_clear();
        }
    }
}
