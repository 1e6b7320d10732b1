//! `plan.toml`: the whole month's settings in one file, read into the stages' own configs.
//!
//! Every key is optional and an unknown key is an error naming it and its line. Paths are
//! relative to the folder the command runs in, as flags' are. The run writes the config it ran
//! into its output folder with every default filled in, so the next month is an edit of one
//! line (`forecast.month`) and a re-run.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

use crate::data::{ColumnNames, Holidays, IngestOptions, MissingPolicy, OutagePolicy};
use crate::error::{Result, WfmError};
use crate::forecast::stage::ForecastParams;
use crate::roster::WorkRules;
use crate::schedule::stage::ScheduleParams;
use crate::schedule::{ShiftTemplates, SolveOptions};
use crate::staffing::stage::{StaffingConfig, StaffingParams};
use crate::staffing::Targets;

/// The settings of one `wfm plan` run.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct PlanConfig {
    pub input: InputSettings,
    pub forecast: ForecastSettings,
    /// Every queue's staffing targets, unless its own table under `queues` says otherwise.
    pub staffing: QueueSettings,
    /// Per queue (the history's region names): what differs from `staffing`.
    pub queues: BTreeMap<String, QueueSettings>,
    pub schedule: ScheduleSettings,
    pub roster: RosterSettings,
}

/// The history file and how to read it (`wfm forecast`'s history flags).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct InputSettings {
    pub history: PathBuf,
    /// "15m", "30m", "1h"; none: the file's own (an event log: 30m).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub interval: Option<String>,
    /// One row per contact, aggregated to intervals.
    pub events: bool,
    pub time_col: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub region_col: Option<String>,
    pub volume_col: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub aht_col: Option<String>,
    /// Only these regions (queues); none: every region of the file.
    pub regions: Vec<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub holidays: Option<PathBuf>,
    pub missing: MissingPolicy,
    pub outages: OutagePolicy,
}

impl Default for InputSettings {
    fn default() -> Self {
        InputSettings {
            history: PathBuf::new(),
            interval: None,
            events: false,
            time_col: "timestamp".into(),
            region_col: None,
            volume_col: "contacts".into(),
            aht_col: None,
            regions: Vec::new(),
            holidays: None,
            missing: MissingPolicy::Error,
            outages: OutagePolicy::Detect,
        }
    }
}

/// What to forecast, and with which model.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct ForecastSettings {
    /// The calendar month to plan, "2026-12"; none: the month after the history ends (the run
    /// writes the one it chose).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub month: Option<String>,
    /// "auto" (chosen per queue by backtest) or a model's name.
    pub model: String,
    /// The prediction band, in percent.
    pub band: u8,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub train_until: Option<NaiveDate>,
}

impl Default for ForecastSettings {
    fn default() -> Self {
        ForecastSettings {
            month: None,
            model: "auto".into(),
            band: 80,
            train_until: None,
        }
    }
}

/// One queue's staffing settings; in `[staffing]` a missing key takes the default below, in
/// `[queues.NAME]` the `[staffing]` value.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct QueueSettings {
    /// Share answered within `target_answer_seconds` (default 0.8).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub service_level: Option<f64>,
    /// Seconds (default 20).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub target_answer_seconds: Option<f64>,
    /// An average-speed-of-answer target instead of (or besides) the service level.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub asa_seconds: Option<f64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub max_occupancy: Option<f64>,
    /// Mean patience: Erlang A instead of Erlang C.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub patience_seconds: Option<f64>,
    /// Contacts an agent handles at once (chat); default 1.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub concurrency: Option<u32>,
    /// Share of paid time off the phones (default 0.3).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub shrinkage: Option<f64>,
    /// Handle time where the history has none (default 180 s).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub aht_seconds: Option<f64>,
    /// Use `aht_seconds` even where the history has handle times.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub aht_override: Option<bool>,
    /// Agents every open interval has at least (default 0).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub min_agents: Option<u32>,
    /// When the queue is open, e.g. ["Mon-Fri 08:00-20:00", "Sat 09:00-13:00"]; none: whenever
    /// the history has contacts. Nobody is planned outside, and the contacts forecast there are
    /// reported.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub open_hours: Option<Vec<String>>,
    /// Shrinkage by time of the week over `shrinkage`, e.g. `[{ hours = "Mon-Fri 08:00-10:00",
    /// shrinkage = 0.4 }]` (meetings, training): more agents are scheduled there.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub shrinkage_by_time: Option<Vec<ShrinkageWindow>>,
}

/// One window of a shrinkage profile.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ShrinkageWindow {
    /// Days and hours, as in `open_hours`.
    pub hours: String,
    pub shrinkage: f64,
}

/// The defaults of `[staffing]`, as the run writes them out.
pub const DEFAULT_SHRINKAGE: f64 = 0.3;
pub const DEFAULT_AHT_SECONDS: f64 = 180.0;

impl QueueSettings {
    /// Every key set: the given values, the rest from the built-in defaults.
    pub fn filled(&self) -> QueueSettings {
        let targets = Targets::default();
        QueueSettings {
            service_level: self
                .service_level
                .or(self.asa_seconds.is_none().then_some(0.8)),
            target_answer_seconds: self
                .target_answer_seconds
                .or(Some(targets.target_answer_seconds)),
            asa_seconds: self.asa_seconds,
            max_occupancy: self.max_occupancy,
            patience_seconds: self.patience_seconds,
            concurrency: self.concurrency.or(Some(targets.concurrency)),
            shrinkage: self.shrinkage.or(Some(DEFAULT_SHRINKAGE)),
            aht_seconds: self.aht_seconds.or(Some(DEFAULT_AHT_SECONDS)),
            aht_override: self.aht_override.or(Some(false)),
            min_agents: self.min_agents.or(Some(0)),
            open_hours: self.open_hours.clone(),
            shrinkage_by_time: self.shrinkage_by_time.clone(),
        }
    }

    /// These settings over `base` (each key given here wins).
    pub fn over(&self, base: &QueueSettings) -> QueueSettings {
        QueueSettings {
            service_level: self.service_level.or(base.service_level),
            target_answer_seconds: self.target_answer_seconds.or(base.target_answer_seconds),
            asa_seconds: self.asa_seconds.or(base.asa_seconds),
            max_occupancy: self.max_occupancy.or(base.max_occupancy),
            patience_seconds: self.patience_seconds.or(base.patience_seconds),
            concurrency: self.concurrency.or(base.concurrency),
            shrinkage: self.shrinkage.or(base.shrinkage),
            aht_seconds: self.aht_seconds.or(base.aht_seconds),
            aht_override: self.aht_override.or(base.aht_override),
            min_agents: self.min_agents.or(base.min_agents),
            open_hours: self.open_hours.clone().or_else(|| base.open_hours.clone()),
            shrinkage_by_time: (self.shrinkage_by_time.clone())
                .or_else(|| base.shrinkage_by_time.clone()),
        }
    }

    /// The targets of filled settings.
    pub fn targets(&self) -> Targets {
        let filled = self.filled();
        Targets {
            service_level: filled.service_level,
            target_answer_seconds: filled.target_answer_seconds.unwrap_or(20.0),
            asa_seconds: filled.asa_seconds,
            max_occupancy: filled.max_occupancy,
            patience_seconds: filled.patience_seconds,
            concurrency: filled.concurrency.unwrap_or(1),
            shrinkage: filled.shrinkage.unwrap_or(DEFAULT_SHRINKAGE),
        }
    }

    /// The opening hours, checked; an error names the queue's table.
    pub fn opening_hours(&self, table: &str) -> Result<Option<super::hours::OpeningHours>> {
        self.open_hours
            .as_deref()
            .map(super::hours::OpeningHours::parse)
            .transpose()
            .map_err(|message| WfmError::Invalid {
                path: PathBuf::from("plan config"),
                message: format!("[{table}] open_hours: {message}"),
            })
    }

    /// The shrinkage profile, checked, when windows are given; an error names the table.
    pub fn shrinkage_profile(&self, table: &str) -> Result<Option<super::hours::ShrinkageProfile>> {
        let Some(windows) = &self.shrinkage_by_time else {
            return Ok(None);
        };
        let windows: Vec<(String, f64)> = windows
            .iter()
            .map(|w| (w.hours.clone(), w.shrinkage))
            .collect();
        super::hours::ShrinkageProfile::parse(self.targets().shrinkage, &windows)
            .map(Some)
            .map_err(|message| WfmError::Invalid {
                path: PathBuf::from("plan config"),
                message: format!("[{table}] shrinkage_by_time: {message}"),
            })
    }

    /// The staffing stage's config, checked; an error names the queue's table and the key.
    pub fn staffing_config(&self, table: &str) -> Result<StaffingConfig> {
        let filled = self.filled();
        StaffingParams {
            targets: self.targets(),
            aht_seconds: filled.aht_seconds,
            aht_override: filled.aht_override.unwrap_or(false),
            min_agents_open: filled.min_agents.unwrap_or(0),
            volume_scale: 1.0,
        }
        .check()
        .map_err(|e| WfmError::Invalid {
            path: PathBuf::from("plan config"),
            message: format!("[{table}]: {e}"),
        })
    }
}

/// The shift plan's settings.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct ScheduleSettings {
    /// Shift templates (TOML, as `wfm schedule --shifts`); none: the default templates.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub templates: Option<PathBuf>,
    /// Start of the 2/2 roster's day shift, "HH:MM".
    pub baseline_day_start: String,
    /// Seconds the solver may use per queue.
    pub time_limit_seconds: f64,
    /// Write a plan that leaves intervals short rather than fail the queue.
    pub allow_under: bool,
}

impl Default for ScheduleSettings {
    fn default() -> Self {
        ScheduleSettings {
            templates: None,
            baseline_day_start: "08:00".into(),
            time_limit_seconds: 30.0,
            allow_under: false,
        }
    }
}

/// The roster's settings: without an agents file the run plans shifts only.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct RosterSettings {
    #[serde(skip_serializing_if = "Option::is_none")]
    pub agents: Option<PathBuf>,
    /// Work rules (TOML, as `wfm roster --rules`); none: the defaults.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub rules: Option<PathBuf>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub time_off: Option<PathBuf>,
    /// Write the roster even when shifts are left without an agent (they are reported).
    pub allow_under: bool,
    /// People the centre can seat: a roster that needs more (the agents who work and the
    /// hires) is written and reported as failed (exit 2). A gate, not a constraint: the roster
    /// itself still covers the requirement.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub max_headcount: Option<u32>,
}

impl Default for RosterSettings {
    fn default() -> Self {
        RosterSettings {
            agents: None,
            rules: None,
            time_off: None,
            allow_under: true,
            max_headcount: None,
        }
    }
}

impl PlanConfig {
    /// Reads a config file; an unknown key or a bad value names the file, the key and its line.
    pub fn from_toml_file(path: &Path) -> Result<PlanConfig> {
        let text = std::fs::read_to_string(path).map_err(|error| WfmError::Open {
            path: path.to_path_buf(),
            error,
        })?;
        let config: PlanConfig = crate::error::parse_toml(&text, path)?;
        if config.input.history.as_os_str().is_empty() {
            return Err(WfmError::Invalid {
                path: path.to_path_buf(),
                message: "[input] history: expected the history file's path".into(),
            });
        }
        Ok(config)
    }

    /// Every file the config names that does not exist, by key: paths are relative to the
    /// folder wfm runs in, which a config run from elsewhere gets wrong.
    pub fn missing_files(&self) -> Vec<(&'static str, &Path)> {
        let files: [(&'static str, Option<&Path>); 6] = [
            ("input.history", Some(self.input.history.as_path())),
            ("input.holidays", self.input.holidays.as_deref()),
            ("schedule.templates", self.schedule.templates.as_deref()),
            ("roster.agents", self.roster.agents.as_deref()),
            ("roster.rules", self.roster.rules.as_deref()),
            ("roster.time_off", self.roster.time_off.as_deref()),
        ];
        files
            .into_iter()
            .filter_map(|(key, path)| path.map(|p| (key, p)))
            .filter(|(_, path)| !path.exists())
            .collect()
    }

    /// The config of `wfm plan HISTORY` with no file: every default.
    pub fn for_history(history: &Path) -> PlanConfig {
        PlanConfig {
            input: InputSettings {
                history: history.to_path_buf(),
                ..InputSettings::default()
            },
            ..PlanConfig::default()
        }
    }

    /// The config as it ran, every default written out: `[staffing]` filled.
    pub fn written_out(&self) -> String {
        let mut out = self.clone();
        out.staffing = out.staffing.filled();
        let text = toml::to_string(&out).unwrap_or_default();
        format!(
            "# wfm plan config, as it ran (wfm {}): every key optional; edit forecast.month for the\n\
             # next month and run `wfm plan --config plan.toml --out DIR` again.\n\n{text}",
            env!("CARGO_PKG_VERSION")
        )
    }

    /// The settings of queue `name`: its own table over `[staffing]`.
    pub fn queue(&self, name: &str) -> QueueSettings {
        match self.queues.get(name) {
            Some(own) => own.over(&self.staffing),
            None => self.staffing.clone(),
        }
    }

    /// The history's ingest options; an error names the key.
    pub fn ingest_options(&self) -> Result<IngestOptions> {
        let input = &self.input;
        let interval_minutes = match &input.interval {
            Some(text) => Some(crate::time::parse_duration_minutes(text).ok_or_else(|| {
                WfmError::setting(
                    "input.interval",
                    text.clone(),
                    "a duration such as 15m, 30m or 1h",
                )
            })?),
            None => None,
        };
        let holidays = input
            .holidays
            .as_deref()
            .map(Holidays::from_csv)
            .transpose()?;
        Ok(IngestOptions {
            columns: ColumnNames {
                time: input.time_col.clone(),
                region: input.region_col.clone(),
                volume: input.volume_col.clone(),
                aht: input.aht_col.clone(),
                group: None,
            },
            events: input.events,
            interval_minutes,
            missing: input.missing,
            outages: input.outages,
            holidays,
            regions: input.regions.clone(),
            ..IngestOptions::default()
        })
    }

    /// The forecasting stage's params for `month` ("YYYY-MM").
    pub fn forecast_params(&self, month: &str) -> ForecastParams {
        ForecastParams {
            horizon: month.to_string(),
            model: self.forecast.model.clone(),
            band: self.forecast.band,
            extrapolate: false,
            holidays: self.input.holidays.clone(),
            train_until: self.forecast.train_until,
        }
    }

    /// The scheduling stage's params for a queue measured by `targets`.
    pub fn schedule_params(
        &self,
        templates: &ShiftTemplates,
        targets: Targets,
    ) -> Result<ScheduleParams> {
        let day_start = crate::schedule::templates::parse_clock(&self.schedule.baseline_day_start)
            .filter(|&m| m < 1_440)
            .ok_or_else(|| {
                WfmError::setting(
                    "schedule.baseline_day_start",
                    self.schedule.baseline_day_start.clone(),
                    "the 2/2 day shift's start as HH:MM",
                )
            })?;
        Ok(ScheduleParams {
            templates: templates.clone(),
            templates_path: self.schedule.templates.clone(),
            solve: SolveOptions {
                allow_under: self.schedule.allow_under,
                time_limit_seconds: self.schedule.time_limit_seconds,
                ..SolveOptions::default()
            },
            baseline_day_start_minute: Some(day_start),
            targets,
        })
    }

    /// The work rules of `[roster] rules`, or the defaults.
    pub fn work_rules(&self) -> Result<WorkRules> {
        match &self.roster.rules {
            Some(path) => WorkRules::from_toml_file(path),
            None => Ok(WorkRules::default()),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_queue_table_overrides_staffing_key_by_key() {
        let config: PlanConfig = toml::from_str(
            r#"
            [input]
            history = "h.csv"
            [staffing]
            shrinkage = 0.25
            aht_seconds = 200
            [queues.EMS]
            aht_seconds = 240
            service_level = 0.9
            "#,
        )
        .unwrap();
        let ems = config.queue("EMS").filled();
        assert_eq!(ems.aht_seconds, Some(240.0));
        assert_eq!(ems.service_level, Some(0.9));
        assert_eq!(ems.shrinkage, Some(0.25), "from [staffing]");
        let fire = config.queue("Fire").filled();
        assert_eq!(fire.aht_seconds, Some(200.0));
        assert_eq!(fire.service_level, Some(0.8), "the built-in default");
    }

    #[test]
    fn an_unknown_key_is_named_with_its_line() {
        let error = crate::error::parse_toml::<PlanConfig>(
            "[input]\nhistory = \"h.csv\"\n\n[staffing]\nshrinkge = 0.3\n",
            "plan.toml",
        )
        .unwrap_err()
        .to_string();
        assert!(error.contains("shrinkge"), "{error}");
        assert!(error.contains("line 5"), "{error}");
    }

    #[test]
    fn the_written_config_reads_back_as_the_same_run() {
        let mut config = PlanConfig::for_history(Path::new("data/h.csv"));
        config.forecast.month = Some("2000-01".into());
        config.queues.insert(
            "EMS".into(),
            QueueSettings {
                aht_seconds: Some(240.0),
                ..QueueSettings::default()
            },
        );
        let text = config.written_out();
        let back: PlanConfig = toml::from_str(&text).unwrap();
        assert_eq!(back.staffing, config.staffing.filled());
        assert_eq!(back.queue("EMS").filled(), config.queue("EMS").filled());
        assert_eq!(back.forecast, config.forecast);
        assert_eq!(back.input, config.input);
    }
}
