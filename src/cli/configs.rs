//! The flags turned into the library's params, checked into its configs (a bad value is named by
//! its config key, which [`super::flags`] turns into the flag).

use std::path::{Path, PathBuf};

use anyhow::Result;
use wfm::data::{Clock, ColumnNames, Holidays, IngestOptions};

use super::{
    AccuracyArgs, BacktestArgs, BacktestWindow, BaselineArg, ForecastArgs, HistoryArgs, RosterArgs,
    ScheduleArgs, StaffArgs, TargetArgs,
};
use wfm::forecast::backtest::{BacktestConfig, BacktestHorizon};
use wfm::forecast::pipeline::ForecastSettings;
use wfm::forecast::stage::{ForecastConfig, Horizon};
use wfm::roster::stage::{RosterConfig, RosterParams};
use wfm::roster::WorkRules;
use wfm::schedule::stage::{ScheduleConfig, ScheduleParams};
use wfm::schedule::{ShiftTemplates, SolveOptions};
use wfm::staffing::stage::{StaffingConfig, StaffingParams};
use wfm::WfmError;

impl HistoryArgs {
    /// The inputs a history command reads: the history and its holidays file.
    pub fn inputs<'a>(&'a self, history: &'a Path) -> [(&'static str, Option<&'a Path>); 2] {
        [
            ("history", Some(history)),
            ("--holidays", self.holidays.as_deref()),
        ]
    }

    /// Ingest options from the shared history flags.
    pub fn ingest_options(&self, regions: &[String]) -> Result<IngestOptions> {
        ingest_options(self, regions)
    }
}

fn ingest_options(args: &HistoryArgs, regions: &[String]) -> Result<IngestOptions> {
    let holidays = args
        .holidays
        .as_deref()
        .map(Holidays::from_csv)
        .transpose()?;
    Ok(IngestOptions {
        columns: ColumnNames {
            time: args.time_col.clone(),
            region: args.region_col.clone(),
            volume: args.volume_col.clone(),
            aht: args.aht_col.clone(),
            group: args.group_col.clone(),
        },
        delimiter: args.delimiter,
        events: args.events,
        interval_minutes: args.interval,
        clock: match (args.tz, args.local_tz) {
            (Some(zone), _) => Clock::UtcTo(zone),
            (None, Some(zone)) => Clock::LocalIn(zone),
            (None, None) => Clock::AsWritten,
        },
        missing: args.missing,
        holidays,
        regions: regions.to_vec(),
        outages: args.outages,
        events_window: None,
        time_format: args.time_format.clone(),
        decimal_comma: args.decimal_comma,
    })
}

impl TargetArgs {
    /// Staffing targets from the shared flags, as given: the stage's config checks them
    /// (`wfm erlang`, which has none, checks them itself).
    pub fn targets(&self) -> wfm::staffing::Targets {
        wfm::staffing::Targets {
            service_level: self
                .target_sl
                .or(if self.asa.is_none() { Some(0.8) } else { None }),
            target_answer_seconds: self.target_seconds,
            asa_seconds: self.asa,
            max_occupancy: self.max_occupancy,
            patience_seconds: self.patience,
            concurrency: self.concurrency,
            shrinkage: self.shrinkage,
        }
    }
}

impl StaffArgs {
    /// The staffing config: the targets, the AHT, the minimum and the volume factor, checked.
    pub fn config(&self) -> Result<StaffingConfig> {
        let params = StaffingParams {
            targets: self.targets.targets(),
            aht_seconds: self.aht,
            aht_override: self.aht_override,
            min_agents_open: self.min_agents,
            volume_scale: self.volume_scale,
        };
        Ok(params.check()?)
    }
}

impl BacktestArgs {
    /// The backtest of `--models` (every model when none is named) over `--origins` origins
    /// of `--horizon`, with the band of `--band`.
    pub fn config(&self, holidays: Option<Holidays>) -> BacktestConfig {
        BacktestConfig {
            choices: if self.models.is_empty() {
                BacktestConfig::every_model()
            } else {
                self.models.clone()
            },
            horizon: match self.horizon {
                BacktestWindow::Month => BacktestHorizon::Month,
                BacktestWindow::Days(days) => BacktestHorizon::Days {
                    days,
                    step_days: self.step.unwrap_or(days),
                },
            },
            origins: self.origins as usize,
            settings: ForecastSettings {
                level: self.band as f64 / 100.0,
                ..Default::default()
            },
            holidays,
        }
    }
}

impl ForecastArgs {
    /// The forecast of `--horizon` or `--month` with `--model`, `--band` and the holidays.
    pub fn config(&self, holidays: Option<Holidays>) -> Result<ForecastConfig> {
        let horizon = match (self.horizon, self.month) {
            (Some(days), _) => Horizon::Days(days),
            (None, Some(month)) => Horizon::Month(month),
            (None, None) => {
                return Err(WfmError::option(
                    "--horizon",
                    "",
                    "give --horizon 28d or --month YYYY-MM",
                )
                .into())
            }
        };
        Ok(ForecastConfig {
            horizon,
            settings: ForecastSettings {
                model: self.model,
                level: self.band as f64 / 100.0,
                extrapolate: self.extrapolate,
                ..Default::default()
            },
            holidays,
            train_until: self.train_until,
        })
    }
}

/// Where `wfm schedule` writes besides the plan (`-o`).
pub struct ScheduleOutputs {
    /// `--coverage`, or `coverage.csv` beside the plan.
    pub coverage: PathBuf,
    /// The 2/2 roster's shifts and coverage beside the plan's, unless `--baseline none`.
    pub baseline: Option<(PathBuf, PathBuf)>,
}

impl ScheduleArgs {
    /// The output paths, the coverage refused when it is the plan itself.
    pub fn outputs(&self) -> Result<ScheduleOutputs> {
        let coverage =
            (self.coverage.clone()).unwrap_or_else(|| self.output.with_file_name("coverage.csv"));
        if coverage == self.output {
            let value = coverage.display().to_string();
            let expected = "a file other than the shift plan (--output)";
            return Err(WfmError::option("--coverage", value, expected).into());
        }
        // The 2/2 roster's files sit beside the plan's (shifts.csv when the plan goes to stdout).
        let baseline = (self.baseline == BaselineArg::TwoByTwo).then(|| {
            (
                crate::output::sibling(&self.output, "shifts.csv", "2x2"),
                crate::output::sibling(&coverage, "coverage.csv", "2x2"),
            )
        });
        Ok(ScheduleOutputs { coverage, baseline })
    }

    /// The plan's config: the templates of `--shifts` (the defaults without), the solver's
    /// flags, the 2/2 roster's day start and the targets its service level is measured by.
    pub fn config(&self) -> Result<ScheduleConfig> {
        let templates = match &self.shifts {
            Some(path) => ShiftTemplates::from_toml_file(path)?,
            None => ShiftTemplates::default(),
        };
        let with_baseline = self.baseline == BaselineArg::TwoByTwo;
        let params = ScheduleParams {
            templates,
            templates_path: self.shifts.clone(),
            solve: SolveOptions {
                allow_under: self.allow_under,
                time_limit_seconds: self.time_limit,
                mip_gap: self.mip_gap,
            },
            baseline_day_start_minute: with_baseline.then_some(self.baseline_day_start),
            targets: self.targets.targets(),
        };
        Ok(params.check()?)
    }
}

impl RosterArgs {
    /// The roster's config, checked: the rules of `--rules` (the defaults without), the
    /// templates, the targets and the 2/2 comparison's settings.
    pub fn config(&self) -> Result<RosterConfig> {
        let rules = match &self.rules {
            Some(path) => WorkRules::from_toml_file(path)?,
            None => WorkRules::default(),
        };
        Ok(RosterParams {
            rules,
            templates_path: self.templates.clone(),
            targets: self.targets.targets(),
            baseline_day_start_minute: self.baseline_day_start,
            volume_scale: self.volume_scale,
            fewest: self.fewest,
            agents_path: self.agents.clone(),
        }
        .check()?)
    }
}

impl AccuracyArgs {
    /// The files `wfm accuracy` reads, by flag.
    pub fn inputs(&self) -> [(&'static str, Option<&Path>); 4] {
        [
            ("--forecast", Some(&self.forecast)),
            ("--actuals", Some(&self.actuals)),
            ("--history", self.history.as_deref()),
            ("--holidays", self.input.holidays.as_deref()),
        ]
    }
}
