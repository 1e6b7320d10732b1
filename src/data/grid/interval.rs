//! The interval length: detected from the steps between rows, and checked.

use super::*;

/// The interval of the file: the most common step between consecutive rows of a region.
///
/// The mode, not the greatest common divisor: one stray row at 08:15 in half-hourly data
/// must be reported as a mixed interval, not turn the whole file into 15-minute data.
pub(crate) fn detect_interval(
    path: &Path,
    columns: &UsedColumns,
    regions: &[PreparedRegion],
    given_interval: Option<u32>,
) -> Result<u32> {
    let mut steps = StepCounts::default();
    for region in regions {
        if let Some(p) = region.points.iter().find(|p| p.local_seconds % 60 != 0) {
            return Err(WfmError::bad_value(
                path,
                p.row as usize,
                &columns.time,
                format!(
                    "{} has seconds; interval rows must start on a whole minute (is this an event log? use --events)",
                    time::naive_from_seconds(p.local_seconds).format("%Y-%m-%dT%H:%M:%S")
                ),
            ));
        }
        for pair in region.points.windows(2) {
            steps.add((pair[1].local_seconds - pair[0].local_seconds) / 60);
        }
    }
    let steps = steps.finish();
    let Some((&step, _)) = steps
        .iter()
        .max_by_key(|(&step, &count)| (count, std::cmp::Reverse(step)))
    else {
        return match given_interval {
            Some(minutes) => Ok(minutes),
            None => Err(WfmError::Invalid {
                path: path.to_path_buf(),
                message:
                    "cannot detect the interval length: no region has two rows (pass --interval)"
                        .into(),
            }),
        };
    };
    if time::IntervalLength::new(step).is_none() {
        return Err(WfmError::Invalid {
            path: path.to_path_buf(),
            message: format!(
                "rows are most often {step} minutes apart, which does not divide a day; \
                 wfm needs intervals such as 5, 6, 10, 15, 30 or 60 minutes"
            ),
        });
    }
    Ok(step as u32)
}

/// How often each step between consecutive rows occurs. A run of equal steps (nearly every
/// step of a regular file) is counted before it is hashed: one hash per run, not per row.
#[derive(Default)]
pub(crate) struct StepCounts {
    counts: HashMap<i64, usize>,
    run: Option<(i64, usize)>,
}

impl StepCounts {
    pub(crate) fn add(&mut self, step: i64) {
        match &mut self.run {
            Some((last, count)) if *last == step => *count += 1,
            _ => {
                self.flush();
                self.run = Some((step, 1));
            }
        }
    }

    fn flush(&mut self) {
        if let Some((step, count)) = self.run.take() {
            *self.counts.entry(step).or_default() += count;
        }
    }

    /// The counts of every step seen.
    pub(crate) fn finish(mut self) -> HashMap<i64, usize> {
        self.flush();
        self.counts
    }
}

/// Every step between rows must be a multiple of the interval, and no long run of rows may be
/// spaced at a coarser step (15-minute data that turns into 30-minute data half-way).
pub(super) fn check_steps(
    path: &Path,
    columns: &UsedColumns,
    region: &PreparedRegion,
    interval_minutes: u32,
) -> Result<()> {
    let d = interval_minutes as i64 * 60;
    let mixed = |row: u32, detail: String| WfmError::MixedIntervals {
        path: path.to_path_buf(),
        row: row as usize,
        column: columns.time.clone(),
        region: region.name.clone(),
        detail,
    };
    let mut run_step = 0;
    let mut run_len = 0usize;
    let mut run_row = 0u32;
    for pair in region.points.windows(2) {
        let step = pair[1].local_seconds - pair[0].local_seconds;
        if step % d != 0 {
            return Err(mixed(
                pair[1].row,
                format!(
                    "{} is {} minutes after the previous row, off the {}-minute interval grid",
                    time::naive_from_seconds(pair[1].local_seconds).format("%Y-%m-%dT%H:%M:%S"),
                    step / 60,
                    interval_minutes
                ),
            ));
        }
        if step > d && step == run_step {
            run_len += 1;
        } else {
            run_step = step;
            run_len = 1;
            run_row = pair[1].row;
        }
        // A day's worth of rows all spaced at the same coarser step is another interval length,
        // not a run of gaps (gaps are irregular).
        let coarser_run = (MINUTES_PER_DAY * 60 / run_step.max(1)).max(4) as usize;
        if run_step > d && run_step < MINUTES_PER_DAY * 60 && run_len >= coarser_run {
            return Err(mixed(
                run_row,
                format!(
                    "from here on rows are {} minutes apart, but the data is on a {}-minute interval",
                    run_step / 60,
                    interval_minutes
                ),
            ));
        }
    }
    Ok(())
}
