//! The documented limits of every number wfm reads (README, "Limits"). Anything outside them is
//! refused at the edge with the value and the limit, before any work, so that no loop or
//! allocation is ever sized by a value inside a file rather than by the file's size.

/// Contacts in one interval of a history, a forecast or a requirement.
pub const MAX_CONTACTS_PER_INTERVAL: f64 = 1e9;
/// The largest offered load staffed, in Erlangs: ten times the busiest queue of a very large
/// centre, and what Erlang A still solves in about a second.
pub const MAX_ERLANGS: f64 = 100_000.0;
/// Agents in one interval (`--agents`, a requirement's `agents_required`).
pub const MAX_AGENTS: u32 = 1_000_000;
/// Contacts one agent handles at once (chat concurrency).
pub const MAX_CONCURRENCY: u32 = 100;
/// The longest handle time, patience or answer target, in seconds: a day.
pub const MAX_SECONDS: f64 = 86_400.0;
/// The shortest patience, in seconds: below it every caller hangs up at once.
pub const MIN_PATIENCE_SECONDS: f64 = 1.0;
/// Years a timestamp may fall in.
pub const YEARS: std::ops::RangeInclusive<i32> = 1900..=2200;
/// Intervals of history wfm holds at once, over all regions (the file's span at its interval,
/// times its regions): about 1 GB at peak. A file of two rows centuries apart at one minute
/// would otherwise ask for more memory than the machine has.
pub const MAX_GRID_INTERVALS: u64 = 40_000_000;
/// The longest forecast horizon, in days (also with `--extrapolate`).
pub const MAX_HORIZON_DAYS: u32 = 731;

/// A number as a person reads it: plain when it is of a usual size, else in scientific form.
pub fn short_number(value: f64) -> String {
    if value.fract() == 0.0 && value.abs() < 1e10 {
        format!("{value:.0}")
    } else if (1e-3..1e9).contains(&value.abs()) {
        let text = format!("{value:.6}");
        text.trim_end_matches('0').trim_end_matches('.').to_string()
    } else {
        format!("{value:e}")
    }
}
