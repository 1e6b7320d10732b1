//! The library names a bad config value by its key (`volume_scale`); the binary names the flag
//! that set it (`--volume-scale`), so that a message says what to change on the command line.

use wfm::WfmError;

/// The flag of each config key the flags set.
const FLAG_OF_KEY: [(&str, &str); 25] = [
    ("volume_scale", "--volume-scale"),
    ("min_agents_open", "--min-agents"),
    ("aht_seconds", "--aht"),
    ("contacts", "--contacts"),
    ("agents", "--agents"),
    ("targets.service_level", "--target-sl"),
    ("targets.target_answer_seconds", "--target-seconds"),
    ("targets.asa_seconds", "--asa"),
    ("targets.max_occupancy", "--max-occupancy"),
    ("targets.patience_seconds", "--patience"),
    ("targets.concurrency", "--concurrency"),
    ("targets.shrinkage", "--shrinkage"),
    ("templates_path", "--templates"),
    ("solve.time_limit_seconds", "--time-limit"),
    ("solve.mip_gap", "--mip-gap"),
    ("train_until", "--train-until"),
    ("horizon", "--horizon"),
    ("month", "--month"),
    ("model", "--model"),
    ("band", "--band"),
    ("max_metric", "--max-metric"),
    ("metric", "--metric"),
    ("min_accuracy", "--min-accuracy"),
    ("interval_minutes", "--interval"),
    ("handle_cv", "--handle-cv"),
];

/// The flag that sets config `key`, if a flag does.
pub fn flag_of(key: &str) -> Option<&'static str> {
    FLAG_OF_KEY
        .iter()
        .find(|(k, _)| *k == key)
        .map(|(_, flag)| *flag)
}

/// The `plan.toml` key of each library config key that `wfm plan` sets from its config.
const PLAN_KEY_OF_KEY: [(&str, &str); 16] = [
    ("targets.service_level", "staffing.service_level"),
    (
        "targets.target_answer_seconds",
        "staffing.target_answer_seconds",
    ),
    ("targets.asa_seconds", "staffing.asa_seconds"),
    ("targets.max_occupancy", "staffing.max_occupancy"),
    ("targets.patience_seconds", "staffing.patience_seconds"),
    ("targets.concurrency", "staffing.concurrency"),
    ("targets.shrinkage", "staffing.shrinkage"),
    ("aht_seconds", "staffing.aht_seconds"),
    ("min_agents_open", "staffing.min_agents"),
    ("solve.time_limit_seconds", "schedule.time_limit_seconds"),
    ("train_until", "forecast.train_until"),
    ("horizon", "forecast.month"),
    ("month", "forecast.month"),
    ("model", "forecast.model"),
    ("band", "forecast.band"),
    ("interval_minutes", "input.interval"),
];

/// `error` with a bad config value named by its key in `plan.toml` (`wfm plan` has no flags for
/// them).
pub fn name_plan_keys(mut error: anyhow::Error) -> anyhow::Error {
    if let Some(WfmError::Setting { key, .. }) = error.downcast_mut::<WfmError>() {
        if let Some((_, plan_key)) = PLAN_KEY_OF_KEY.iter().find(|(k, _)| k == key) {
            *key = plan_key;
        }
    }
    error
}

/// `error` with a bad config value named by its flag (anywhere in its chain of context).
pub fn name_flags(mut error: anyhow::Error) -> anyhow::Error {
    if let Some(inner) = error.downcast_mut::<WfmError>() {
        if let WfmError::Setting {
            key,
            value,
            expected,
        } = inner
        {
            if let Some(flag) = flag_of(key) {
                *inner = WfmError::Option {
                    flag,
                    value: std::mem::take(value),
                    expected: std::mem::take(expected),
                };
            }
        }
    }
    error
}

#[cfg(test)]
mod tests {
    use super::*;
    use anyhow::Context;

    #[test]
    fn a_config_key_is_named_by_its_flag_even_under_context() {
        let error: anyhow::Error = Err::<(), _>(WfmError::setting(
            "solve.mip_gap",
            "1.5",
            "expected a fraction",
        ))
        .context("planning requirements.csv")
        .unwrap_err();
        let message = format!("{:#}", name_flags(error));
        assert_eq!(
            message,
            "planning requirements.csv: --mip-gap 1.5: expected a fraction"
        );
        // A key no flag sets keeps its name.
        let error = anyhow::Error::from(WfmError::setting("solve.other", "1", "x"));
        assert_eq!(name_flags(error).to_string(), "solve.other = 1: x");
    }

    #[test]
    fn every_key_has_one_flag() {
        for (k, (key, _)) in FLAG_OF_KEY.iter().enumerate() {
            assert!(
                !FLAG_OF_KEY[k + 1..].iter().any(|(other, _)| other == key),
                "{key}"
            );
        }
    }
}
