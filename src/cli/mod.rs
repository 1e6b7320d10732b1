//! Command-line definitions: one struct per subcommand; the doc comments are the `--help` text.

use std::path::PathBuf;

use chrono_tz::Tz;
use clap::{Args, Parser, Subcommand, ValueEnum};
use wfm::forecast::pipeline::ModelChoice;

use wfm::data::{MissingPolicy, OutagePolicy};
use wfm::forecast::accuracy::{Level, Metric};

mod configs;
pub mod flags;
mod parse;

pub use parse::BacktestWindow;
use parse::*;

#[derive(Debug, Parser)]
#[command(
    name = "wfm",
    version,
    about = "Workforce management for contact centres: inspect history, forecast, staff and schedule.",
    after_help = "Exit codes: 0 success, 1 accuracy gate failed, 2 bad input or usage."
)]
pub struct Cli {
    #[command(subcommand)]
    pub command: Command,
    /// No progress spinner on stderr (shown only when stderr is a terminal).
    #[arg(long, short, global = true)]
    pub quiet: bool,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Profile a history file per region: period, interval, closed slots, gaps, zeros, totals,
    /// weekday × hour profile, unusual days; optionally a heat map.
    Inspect(InspectArgs),
    /// Forecast contacts per interval and region for a horizon or a calendar month, with
    /// prediction intervals and AHT; writes forecast.csv.
    Forecast(ForecastArgs),
    /// Rolling-origin evaluation of the models per region: which forecasts best, and by how much.
    Backtest(BacktestArgs),
    /// Score a forecast file against actuals (holdout data); with --min-accuracy or
    /// --max-metric, exit 1 when a region falls short: the CI gate.
    Accuracy(AccuracyArgs),
    /// One-interval staffing calculator: agents for a target, or the figures for --agents N.
    Erlang(ErlangArgs),
    /// Agents needed per interval and region for a forecast file; writes requirements.csv.
    Staff(StaffArgs),
    /// Optimal staggered shifts for a requirements file, side by side with the 2/2 12-hour roster;
    /// writes shifts.csv and coverage.csv.
    Schedule(ScheduleArgs),
    /// Named agents for a shift plan (shifts.csv from wfm schedule), under work rules: days off,
    /// rest, consecutive days, weekly hours, stable starts; writes roster.csv.
    Roster(RosterArgs),
    /// The whole month of every queue in one run: forecast, staffing, staggered shifts against
    /// the 2/2 crews and, with agents, the roster; writes every file and report.html into
    /// --out, with the plan.toml that ran.
    Plan(PlanArgs),
    /// Print a shell completion script: wfm completions bash > /etc/bash_completion.d/wfm
    Completions(CompletionsArgs),
    /// Print the manual page (roff): wfm man > wfm.1; a command's own: wfm man plan > wfm-plan.1
    Man(ManArgs),
}

#[derive(Debug, Args)]
pub struct ManArgs {
    /// A command's page (plan, roster, …) instead of wfm's.
    pub command: Option<String>,
}

#[derive(Debug, Args)]
#[command(after_help = "Examples:
  wfm completions bash > ~/.local/share/bash-completion/completions/wfm
  wfm completions zsh > ~/.zfunc/_wfm        # with fpath+=~/.zfunc in ~/.zshrc
  wfm completions fish > ~/.config/fish/completions/wfm.fish")]
pub struct CompletionsArgs {
    /// The shell.
    #[arg(value_enum)]
    pub shell: clap_complete::Shell,
}

#[derive(Debug, Args)]
#[command(after_help = "Examples:
  wfm plan data/anonbank_1999_6min.csv --out plan          # next month, every default
  wfm plan --config examples/plan-911.toml --out plan-911  # three queues, their own targets
  wfm plan --config plan-911/plan.toml --month 2016-09 --out plan-sep --force
  wfm plan --config big.toml --shard 2/8 --out shard-2        # one machine of eight
  wfm plan --merge shard-1 shard-2 ... shard-8 --out month    # the eight joined")]
pub struct PlanArgs {
    /// The history (CSV or Parquet), planned with every default; or give --config.
    #[arg(required_unless_present_any = ["config", "merge"], conflicts_with = "config")]
    pub history: Option<PathBuf>,
    /// The plan's settings (TOML): input, forecast, staffing and per-queue targets, schedule,
    /// roster. Every key optional; see examples/plan-*.toml.
    #[arg(long, value_name = "FILE")]
    pub config: Option<PathBuf>,
    /// The month to plan, over the config's (default: the month after the history ends).
    #[arg(long, value_name = "YYYY-MM", value_parser = parse_month)]
    pub month: Option<chrono::NaiveDate>,
    /// The folder for every output; made if missing.
    #[arg(long, value_name = "DIR")]
    pub out: PathBuf,
    /// Write into a folder that already holds files (its outputs are replaced).
    #[arg(long)]
    pub force: bool,
    /// Plan only the queues of shard i of n (from 1), chosen by a stable hash of the queue's
    /// name, so a CI matrix or an indexed job fans the queues out; join with --merge. A shard
    /// makes no roster.
    #[arg(long, value_name = "i/n", value_parser = wfm::plan::Shard::parse)]
    pub shard: Option<wfm::plan::Shard>,
    /// Join the --out folders of every shard of one plan into --out, as one run would have
    /// written it.
    #[arg(long, value_name = "DIR", num_args = 1.., conflicts_with_all = ["history", "config", "shard", "month"])]
    pub merge: Vec<PathBuf>,
    /// Also write the run's summary (summary.json) to FILE, or to stdout (`--json` or
    /// `--json -`) instead of its lines.
    #[arg(long, value_name = "FILE", num_args = 0..=1, default_missing_value = "-")]
    pub json: Option<PathBuf>,
}

#[derive(Debug, Args)]
#[command(after_help = "Examples:
  wfm roster requirements.csv --agents data/agents_example.csv -o roster.csv --wide
  wfm roster requirements.csv --agents agents.csv --rules rules.toml --time-off leave.csv --plot roster.png
  wfm roster shifts.csv --agents agents.csv --fewest      # assign a plan as it is")]
pub struct RosterArgs {
    /// What to roster: a requirements file (as wfm staff writes it), rostered with weekly tours
    /// planned for these agents and rules; or a shift plan (shifts.csv as wfm schedule writes
    /// it), assigned as it is.
    #[arg(value_name = "REQUIREMENTS|SHIFTS")]
    pub input: PathBuf,
    /// Shift templates (TOML) for rostering a requirements file, as for wfm schedule --shifts;
    /// default: starts every 30 min, lengths 4, 6, 8, 10, 12 h, no breaks.
    #[arg(long, value_name = "FILE")]
    pub templates: Option<PathBuf>,
    /// The agents: agent_id,name[,region][,contract_hours_per_week][,min_hours_per_week]
    /// [,earliest_start][,latest_end][,days_off][,preferred_start][,preferred_days_off]
    /// [,preference_weight][,skills]. List fields (days_off, preferred_days_off, skills) take
    /// items separated by commas, spaces or semicolons ("Sat,Sun", Sat Sun, Sat;Sun). At most
    /// 5,000 agents.
    #[arg(long, value_name = "FILE")]
    pub agents: PathBuf,
    /// Work rules (TOML); every key optional, the defaults are in the README.
    #[arg(long, value_name = "FILE")]
    pub rules: Option<PathBuf>,
    /// Dated time off, a hard rule: agent_id,date[,from,to] (the whole day without from and
    /// to).
    #[arg(long, value_name = "FILE")]
    pub time_off: Option<PathBuf>,
    /// The roster: one row per agent and shift.
    #[arg(short, long, default_value = "roster.csv", value_name = "FILE")]
    pub output: PathBuf,
    /// Write the roster even when some shifts have no agent (they are listed); without it such
    /// a roster is refused (exit 2) and nothing is written.
    #[arg(long)]
    pub allow_under: bool,
    /// Roster with the fewest agents of the file (taken in file order) that cover the plan;
    /// per region when every agent has a region.
    #[arg(long)]
    pub fewest: bool,
    /// Also write the roster wide, one row per agent and one column per day (`07:00-15:00`,
    /// or `off`), as spreadsheets and rostering systems import it: FILE-wide.csv beside -o.
    #[arg(long)]
    pub wide: bool,
    /// Draw the roster, agents × days coloured by shift start (PNG or SVG).
    #[arg(long, value_name = "FILE")]
    pub plot: Option<PathBuf>,
    /// With a requirements file: also write per queue and interval the agents required,
    /// rostered and the difference (over-staffing above 0), as `wfm schedule`'s coverage.csv.
    #[arg(long, value_name = "FILE")]
    pub coverage: Option<PathBuf>,
    /// With a requirements file: also roster the volume scaled by this factor, both ways, and
    /// report each roster's headcount growth (the requirement is re-staffed from its contacts
    /// and AHT with the targets below, which should be those given to wfm staff).
    #[arg(long, value_name = "FACTOR")]
    pub volume_scale: Option<f64>,
    /// Start of the 2/2 day shift of the comparison (the night shift starts 12 hours later).
    #[arg(long, default_value = "08:00", value_name = "HH:MM", value_parser = parse_day_clock)]
    pub baseline_day_start: u32,
    #[command(flatten)]
    pub targets: TargetArgs,
    /// Write a summary as JSON to FILE, or to stdout (`--json` or `--json -`) instead of the
    /// tables.
    #[arg(long, value_name = "FILE", num_args = 0..=1, default_missing_value = "-")]
    pub json: Option<PathBuf>,
}

#[derive(Debug, Args)]
#[command(after_help = "Examples:
  wfm schedule requirements.csv -o shifts.csv --plot coverage.png
  wfm schedule requirements.csv --shifts shifts.toml --shrinkage 0.3 --allow-under")]
pub struct ScheduleArgs {
    /// Requirements file: timestamp,region,...,agents_required (as wfm staff writes it).
    pub requirements: PathBuf,
    /// Shift templates (TOML); default: starts every 30 min, lengths 4, 6, 8, 10, 12 h, no breaks.
    #[arg(long, value_name = "FILE")]
    pub shifts: Option<PathBuf>,
    /// The shift plan.
    #[arg(short, long, default_value = "shifts.csv", value_name = "FILE")]
    pub output: PathBuf,
    /// Required vs scheduled agents per interval [default: coverage.csv next to --output].
    #[arg(long, value_name = "FILE")]
    pub coverage: Option<PathBuf>,
    /// Roster to compare with.
    #[arg(long, value_enum, default_value_t = BaselineArg::TwoByTwo)]
    pub baseline: BaselineArg,
    /// Start of the 2/2 day shift (the night shift starts 12 hours later).
    #[arg(long, default_value = "08:00", value_name = "HH:MM", value_parser = parse_day_clock)]
    pub baseline_day_start: u32,
    /// Write a plan that leaves required intervals short (exit 0, with an "infeasible: N
    /// intervals short" line) and allow under-staffing anywhere at the templates' penalty;
    /// without it such a plan is refused (exit 2) and nothing is written.
    #[arg(long)]
    pub allow_under: bool,
    /// Seconds the solver may use per region.
    #[arg(long, default_value_t = 30.0, value_name = "SECONDS", value_parser = parse_seconds)]
    pub time_limit: f64,
    /// Stop improving a plan once it is within this fraction of the LP bound (0 = go on
    /// until proven optimal or the time limit).
    #[arg(long, default_value_t = 0.005, value_name = "FRACTION", value_parser = parse_share)]
    pub mip_gap: f64,
    /// Contracted hours per agent and week, for the headcount a plan needs.
    #[arg(long, default_value_t = 40.0, value_name = "HOURS", value_parser = parse_hours)]
    pub weekly_hours: f64,
    #[command(flatten)]
    pub targets: TargetArgs,
    /// Plot required and scheduled agents per interval for the plan and the baseline (PNG or
    /// SVG), one file per region when several.
    #[arg(long, value_name = "FILE")]
    pub plot: Option<PathBuf>,
    /// Write a summary as JSON to FILE, or to stdout (`--json` or `--json -`) instead of the
    /// tables.
    #[arg(long, value_name = "FILE", num_args = 0..=1, default_missing_value = "-")]
    pub json: Option<PathBuf>,
}

/// Service targets and staffing rules (shared by erlang and staff).
#[derive(Debug, Args)]
pub struct TargetArgs {
    /// Share of contacts to answer within --target-seconds, 0.8 or 80% [default: 0.8 unless
    /// only --asa is given].
    #[arg(long, value_name = "SHARE", value_parser = parse_share)]
    pub target_sl: Option<f64>,
    /// Answer time of the service-level target: seconds (20), or with a unit (20s, 1m).
    #[arg(long, default_value_t = 20.0, value_name = "SECONDS", value_parser = parse_seconds)]
    pub target_seconds: f64,
    /// Maximum average speed of answer: seconds (30), or with a unit (30s, 1m).
    #[arg(long, value_name = "SECONDS", value_parser = parse_seconds)]
    pub asa: Option<f64>,
    /// Share of paid time lost to breaks, training and absence, 0.3 or 30%: scheduled = raw /
    /// (1 − shrinkage).
    #[arg(long, default_value_t = 0.0, value_name = "SHARE", value_parser = parse_share)]
    pub shrinkage: f64,
    /// Maximum occupancy, 0.85 or 85%.
    #[arg(long, value_name = "SHARE", value_parser = parse_share)]
    pub max_occupancy: Option<f64>,
    /// Mean patience before a contact hangs up, seconds (120) or with a unit (2m): Erlang A
    /// instead of Erlang C.
    #[arg(long, value_name = "SECONDS", value_parser = parse_seconds)]
    pub patience: Option<f64>,
    /// Contacts an agent handles at once (chat).
    #[arg(long, default_value_t = 1, value_name = "N")]
    pub concurrency: u32,
}

#[derive(Debug, Args)]
#[command(after_help = "Examples:
  wfm erlang --contacts 100 --interval 30m --aht 180 --target-sl 0.8 --target-seconds 20
  wfm erlang --contacts 100 --interval 30m --aht 180 --agents 12     # how 12 agents do
  wfm erlang --contacts 40 --interval 30m --aht 600 --concurrency 3 --patience 120")]
pub struct ErlangArgs {
    /// Contacts offered in the interval.
    #[arg(long, value_name = "N")]
    pub contacts: f64,
    /// Interval length.
    #[arg(long, default_value = "30m", value_name = "DURATION", value_parser = parse_interval)]
    pub interval: u32,
    /// Average handle time: seconds (180), or with a unit (180s, 3m, 2m30s).
    #[arg(long, value_name = "SECONDS", value_parser = parse_seconds)]
    pub aht: f64,
    #[command(flatten)]
    pub targets: TargetArgs,
    /// Show the figures for this many agents instead of finding the fewest.
    #[arg(long, value_name = "N")]
    pub agents: Option<u32>,
    /// Write the figures as one JSON object to FILE, or to stdout (`--json` or `--json -`)
    /// instead of the table.
    #[arg(long, value_name = "FILE", num_args = 0..=1, default_missing_value = "-")]
    pub json: Option<PathBuf>,
}

#[derive(Debug, Args)]
#[command(after_help = "Examples:
  wfm staff forecast.csv --aht 180 --target-sl 0.8 --target-seconds 20 --shrinkage 0.3 -o requirements.csv
  wfm staff forecast.csv --aht 240 --asa 30 --max-occupancy 0.85 --simulate sim.csv")]
pub struct StaffArgs {
    /// Forecast file: timestamp,region,forecast[,lower,upper][,aht_seconds].
    pub forecast: PathBuf,
    /// AHT where the forecast has none (or for every interval with --aht-override): seconds
    /// (180), or with a unit (180s, 3m, 2m30s).
    #[arg(long, value_name = "SECONDS", value_parser = parse_seconds)]
    pub aht: Option<f64>,
    /// Use --aht for every interval, ignoring the forecast's aht_seconds.
    #[arg(long, requires = "aht")]
    pub aht_override: bool,
    #[command(flatten)]
    pub targets: TargetArgs,
    /// Minimum agents (scheduled) in every open interval, even when the forecast is ~0.
    #[arg(long, default_value_t = 0, value_name = "N")]
    pub min_agents: u32,
    /// Scale every forecast volume, e.g. 2 for a growth scenario; the summary compares with 1×.
    #[arg(long, default_value_t = 1.0, value_name = "FACTOR")]
    pub volume_scale: f64,
    /// Output file.
    #[arg(short, long, default_value = "requirements.csv", value_name = "FILE")]
    pub output: PathBuf,
    /// Also simulate the horizon (Poisson arrivals, the raw agents of each interval) and write
    /// the achieved service level, ASA and abandonment per interval to this CSV.
    #[arg(long, value_name = "FILE")]
    pub simulate: Option<PathBuf>,
    /// Handle-time distribution of the simulation (mean = the interval's AHT).
    #[arg(long, value_enum, default_value_t = HandleTimeArg::Exponential)]
    pub handle_time: HandleTimeArg,
    /// Coefficient of variation of log-normal handle times.
    #[arg(long, default_value_t = 0.8, value_name = "CV")]
    pub handle_cv: f64,
    /// Seed of the simulation: the same seed gives the same result.
    #[arg(long, default_value_t = 1)]
    pub seed: u64,
    /// Write a summary as JSON to FILE, or to stdout (`--json` or `--json -`) instead of the
    /// tables.
    #[arg(long, value_name = "FILE", num_args = 0..=1, default_missing_value = "-")]
    pub json: Option<PathBuf>,
}

#[derive(Debug, Clone, Copy, ValueEnum)]
pub enum HandleTimeArg {
    Exponential,
    Lognormal,
}

/// How to read a history file (shared by every command that reads one).
#[derive(Debug, Args)]
pub struct HistoryArgs {
    /// Column holding the interval start (or the contact's time, with --events).
    #[arg(long, value_name = "NAME", default_value = "timestamp")]
    pub time_col: String,
    /// Column holding the region / queue name [default: region, if present; else one series "all"].
    #[arg(long, value_name = "NAME")]
    pub region_col: Option<String>,
    /// Column holding the offered contacts per interval.
    #[arg(long, value_name = "NAME", default_value = "contacts")]
    pub volume_col: String,
    /// Column holding the average handle time in seconds [default: aht_seconds, if present].
    #[arg(long, value_name = "NAME")]
    pub aht_col: Option<String>,
    /// Column that groups regions, e.g. a queue above its townships: each group × region is a
    /// series named GROUP/REGION, and the top-down model shares out its group, not the file.
    #[arg(long, value_name = "NAME")]
    pub group_col: Option<String>,
    /// Field separator of CSV input: a single character, or "tab".
    #[arg(long, value_name = "CHAR", value_parser = parse_delimiter)]
    pub delimiter: Option<u8>,
    /// The file is an event log, one row per contact: count contacts per --interval (default 30m).
    #[arg(long)]
    pub events: bool,
    /// Resample to this interval (15m, 30m, 1h, …): counts summed, AHT volume-weighted.
    #[arg(long, value_name = "DURATION", value_parser = parse_interval)]
    pub interval: Option<u32>,
    /// Timestamps are UTC (or carry an offset): convert them to local time in this zone,
    /// e.g. Europe/London.
    #[arg(long, value_name = "ZONE", value_parser = parse_zone, conflicts_with = "local_tz")]
    pub tz: Option<Tz>,
    /// Timestamps are local time in this zone: its DST changes explain a repeated hour (merged)
    /// and a missing hour (interpolated, not a gap).
    #[arg(long, value_name = "ZONE", value_parser = parse_zone)]
    pub local_tz: Option<Tz>,
    /// How timestamps are written when not ISO 8601: excel-dmy (31/01/2024 08:30), excel-mdy
    /// (1/31/2024 8:30 PM), excel (day or month first as the file's dates show; refused when
    /// none does), excel-serial (36161.5, days since 1899-12-30), or a strftime format such as
    /// "%d.%m.%Y %H:%M".
    #[arg(long, value_name = "FORMAT")]
    pub time_format: Option<wfm::data::TimeFormat>,
    /// Numbers are written with a decimal comma (12,5), as spreadsheets in most of Europe write
    /// them; such files are usually separated by ';' (--delimiter ';').
    #[arg(long)]
    pub decimal_comma: bool,
    /// What to do with missing intervals inside the covered period (gaps).
    #[arg(long, value_enum, default_value_t = MissingPolicy::Error)]
    pub missing: MissingPolicy,
    /// Holidays / special days: CSV `date,name[,treat_as][,start,end]`; their missing intervals
    /// are closures, not gaps.
    #[arg(long, value_name = "FILE")]
    pub holidays: Option<PathBuf>,
    /// Runs of zero intervals that the same slots in neighbouring weeks make implausible (feed
    /// or recording outages): detect = mark and report them, so forecasts treat them as missing;
    /// keep = treat runs of implausible zeros as real demand.
    #[arg(long, value_enum, default_value_t = OutagePolicy::Detect)]
    pub outages: OutagePolicy,
}

#[derive(Debug, Args)]
#[command(after_help = "Examples:
  wfm inspect data/anonbank_1999_6min.csv --interval 30m --holidays data/anonbank_1999_holidays.csv
  wfm inspect data/montco_911_events.csv --events --region-col category --plot heatmap.png")]
pub struct InspectArgs {
    /// History file: CSV or Parquet, columns timestamp[,region],contacts[,aht_seconds].
    pub history: PathBuf,
    #[command(flatten)]
    pub input: HistoryArgs,
    /// Only this region (repeatable).
    #[arg(long, value_name = "NAME")]
    pub region: Vec<String>,
    /// Write a weekday × hour heat map (PNG, or SVG by extension); with several regions, one
    /// file per region named FILE-REGION.png.
    #[arg(long, value_name = "FILE")]
    pub plot: Option<PathBuf>,
    /// Write the profile as JSON to FILE, or to stdout (`--json` or `--json -`) instead of
    /// the tables.
    #[arg(long, value_name = "FILE", num_args = 0..=1, default_missing_value = "-")]
    pub json: Option<PathBuf>,
    /// Print only the overview table, one row per region.
    #[arg(long)]
    pub brief: bool,
}

#[derive(Debug, Args)]
// One of --horizon and --month is needed: the message names both.
#[command(after_help = "Examples:
  wfm forecast data/anonbank_1999_6min.csv --interval 30m --month 2000-01 -o forecast.csv --plot forecast.png
  wfm forecast data/montco_911_events.csv --events --region-col category --horizon 28d --model auto
  wfm forecast history.csv --month 2024-06 --train-until 2024-05-01    # a holdout forecast")]
#[command(group(clap::ArgGroup::new("period").required(true).args(["horizon", "month"])))]
pub struct ForecastArgs {
    /// History file: CSV or Parquet, columns timestamp[,region],contacts[,aht_seconds].
    pub history: PathBuf,
    #[command(flatten)]
    pub input: HistoryArgs,
    /// How far to forecast from the end of the history, e.g. 28d.
    #[arg(long, value_name = "DURATION", value_parser = parse_days)]
    pub horizon: Option<u32>,
    /// Forecast this calendar month, e.g. 2026-12 (it must start after the history's last day).
    #[arg(long, value_name = "YYYY-MM", value_parser = parse_month)]
    pub month: Option<chrono::NaiveDate>,
    /// auto (chosen per region by backtest) or a model: snaive, savg[:K], smedian[:K],
    /// ewavg[:K], profile[:K], hw-add, hw-mul, taylor, mstl, combo, topdown, each optionally
    /// with the prefix dom- (topdown excepted).
    #[arg(long, default_value = "auto", value_name = "NAME", value_parser = parse_model)]
    pub model: ModelChoice,
    /// Prediction interval in percent for the lower/upper columns.
    #[arg(long, default_value_t = 80, value_name = "PERCENT", value_parser = parse_band)]
    pub band: u8,
    /// Forecast further than the history can be backtested (by default an error naming the
    /// longest horizon it supports), with a band widened from that longest backtest.
    #[arg(long)]
    pub extrapolate: bool,
    /// Only this region (repeatable).
    #[arg(long, value_name = "NAME")]
    pub region: Vec<String>,
    /// Output file.
    #[arg(short, long, default_value = "forecast.csv", value_name = "FILE")]
    pub output: PathBuf,
    /// Plot the last weeks of history with the forecast and its band (PNG or SVG); one file per
    /// region named FILE-REGION.png when there are several.
    #[arg(long, value_name = "FILE")]
    pub plot: Option<PathBuf>,
    /// Holdout mode: train only on the history before this date (YYYY-MM-DD), forecast from
    /// it, and score the forecast against the held-out history.
    #[arg(long, value_name = "DATE", value_parser = parse_date)]
    pub train_until: Option<chrono::NaiveDate>,
    /// Write a summary as JSON to FILE, or to stdout (`--json` or `--json -`) instead of the
    /// tables.
    #[arg(long, value_name = "FILE", num_args = 0..=1, default_missing_value = "-")]
    pub json: Option<PathBuf>,
}

#[derive(Debug, Args)]
#[command(after_help = "Examples:
  wfm accuracy --forecast forecast.csv --actuals holdout.csv --level daily
  wfm accuracy --forecast forecast.csv --actuals holdout.csv --min-accuracy 0.9   # CI gate: exit 1 below")]
pub struct AccuracyArgs {
    /// Forecast file: timestamp,region,forecast[,lower,upper] (as wfm forecast writes it).
    #[arg(long, value_name = "FILE")]
    pub forecast: PathBuf,
    /// Actuals: a history file (CSV or Parquet) covering the forecast period; resampled to the
    /// forecast's interval when finer.
    #[arg(long, value_name = "FILE")]
    pub actuals: PathBuf,
    /// History before the forecast period, to scale MASE by its one-week seasonal naive error.
    #[arg(long, value_name = "FILE")]
    pub history: Option<PathBuf>,
    #[command(flatten)]
    pub input: HistoryArgs,
    /// Level at which forecast and actuals are compared.
    #[arg(long, value_enum, default_value_t = Level::Interval)]
    pub level: Level,
    /// The metric behind --min-accuracy: accuracy = 1 − metric.
    #[arg(long, value_enum, default_value_t = Metric::Wape)]
    pub metric: Metric,
    /// Fail (exit 1) when any region's accuracy, or all regions', is below this, e.g. 0.92 or 92%.
    #[arg(long, value_name = "FRACTION", value_parser = parse_share)]
    pub min_accuracy: Option<f64>,
    /// Fail (exit 1) when a metric exceeds its limit, e.g. mape=0.15,bias=0.05 (bias: absolute).
    #[arg(long, value_delimiter = ',', value_name = "METRIC=MAX,...")]
    pub max_metric: Vec<String>,
    /// Score what matches even when rows are in one file and not the other (they are still
    /// reported).
    #[arg(long)]
    pub allow_missing: bool,
    /// Write every figure as JSON to FILE, or to stdout (`--json` or `--json -`) instead of
    /// the table.
    #[arg(long, value_name = "FILE", num_args = 0..=1, default_missing_value = "-")]
    pub json: Option<PathBuf>,
    /// Plot forecast and actuals (PNG or SVG), one file per region when several.
    #[arg(long, value_name = "FILE")]
    pub plot: Option<PathBuf>,
}

#[derive(Debug, Args)]
#[command(after_help = "Examples:
  wfm backtest data/anonbank_1999_6min.csv --interval 30m --horizon month --origins 4
  wfm backtest history.csv --models snaive,savg:4,taylor --json backtest.json")]
pub struct BacktestArgs {
    /// History file: CSV or Parquet, columns timestamp[,region],contacts[,aht_seconds].
    pub history: PathBuf,
    #[command(flatten)]
    pub input: HistoryArgs,
    /// Models to compare, comma-separated (auto and any model name); default: auto and every model.
    #[arg(long, value_delimiter = ',', value_name = "A,B,...", value_parser = parse_model)]
    pub models: Vec<ModelChoice>,
    /// Number of forecast origins.
    #[arg(long, default_value_t = 4, value_parser = clap::value_parser!(u32).range(1..=52))]
    pub origins: u32,
    /// Horizon of each origin: "month" (each of the last whole calendar months) or a duration
    /// such as 28d.
    #[arg(long, default_value = "month", value_name = "month|DURATION", value_parser = parse_backtest_horizon)]
    pub horizon: BacktestWindow,
    /// Days between origins with a duration horizon [default: the horizon].
    #[arg(long, value_name = "DURATION", value_parser = parse_days)]
    pub step: Option<u32>,
    /// Prediction interval in percent whose coverage is checked.
    #[arg(long, default_value_t = 80, value_name = "PERCENT", value_parser = parse_band)]
    pub band: u8,
    /// Only this region (repeatable).
    #[arg(long, value_name = "NAME")]
    pub region: Vec<String>,
    /// Write every per-origin score and the summary as JSON to FILE, or to stdout (`--json` or
    /// `--json -`) instead of the table.
    #[arg(long, value_name = "FILE", num_args = 0..=1, default_missing_value = "-")]
    pub json: Option<PathBuf>,
    /// Plot interval and daily WAPE by model (PNG or SVG), one file per region when several.
    #[arg(long, value_name = "FILE")]
    pub plot: Option<PathBuf>,
}

/// The roster `wfm schedule` compares its plan with.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum BaselineArg {
    /// Four crews on 12-hour day and night shifts, two on, two off.
    #[value(name = "2x2")]
    TwoByTwo,
    /// No roster.
    None,
}
