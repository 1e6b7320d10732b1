//! From contacts to agents: Erlang C and Erlang A, targets on service level, ASA and
//! occupancy, chat concurrency and shrinkage. Plain numbers in, plain numbers out.

pub mod erlang_a;
pub mod erlang_c;
pub mod requirements;
pub mod simulate;
pub mod stage;

use serde::Serialize;

use erlang_a::erlang_a;
use erlang_c::{asa_from_c, erlang_c_from_b, service_level_from_c};

/// Offered work of one interval.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Load {
    pub contacts: f64,
    pub interval_seconds: f64,
    pub aht_seconds: f64,
}

pub use crate::limits::{
    short_number, MAX_AGENTS, MAX_CONCURRENCY, MAX_ERLANGS, MAX_SECONDS, MIN_PATIENCE_SECONDS,
};

impl Load {
    /// Checks the load against the documented limits: contacts ≥ 0, an AHT in (0, a day], at
    /// most [`MAX_ERLANGS`] of traffic.
    pub fn check(&self) -> Result<(), StaffingError> {
        let out = |name, value, expected| {
            Err(StaffingError::OutOfRange {
                name,
                value,
                expected,
            })
        };
        if !(self.contacts >= 0.0 && self.contacts.is_finite()) {
            return out("contacts", self.contacts, "a number ≥ 0");
        }
        if !(self.aht_seconds > 0.0 && self.aht_seconds <= MAX_SECONDS) {
            return out(
                "AHT",
                self.aht_seconds,
                "seconds > 0, at most 86,400 (a day)",
            );
        }
        if self.intensity() > MAX_ERLANGS {
            return out(
                "offered load",
                self.contacts,
                "contacts whose load (contacts × AHT / interval length) is at most 100,000 Erlangs",
            );
        }
        Ok(())
    }

    /// Traffic intensity in Erlangs: contacts × AHT / interval length.
    pub fn intensity(&self) -> f64 {
        if self.contacts <= 0.0 || self.aht_seconds <= 0.0 {
            0.0
        } else {
            self.contacts * self.aht_seconds / self.interval_seconds
        }
    }
}

/// What the staffing must achieve, and how raw agents become scheduled agents. In a TOML config
/// every key is optional (the defaults: 80 % in 20 s, Erlang C, no shrinkage).
#[derive(Debug, Clone, Copy, PartialEq, Serialize, serde::Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct Targets {
    /// Share of contacts to answer within `target_answer_seconds`, e.g. 0.8.
    pub service_level: Option<f64>,
    pub target_answer_seconds: f64,
    /// Maximum average speed of answer.
    pub asa_seconds: Option<f64>,
    /// Maximum share of time agents spend handling contacts, e.g. 0.85.
    pub max_occupancy: Option<f64>,
    /// Mean patience before hanging up: Erlang A instead of Erlang C.
    pub patience_seconds: Option<f64>,
    /// Contacts one agent handles at once (chat); 1 for calls.
    pub concurrency: u32,
    /// Share of paid time not available for contacts (breaks, training, absence).
    pub shrinkage: f64,
}

impl Default for Targets {
    fn default() -> Self {
        Targets {
            service_level: Some(0.8),
            target_answer_seconds: 20.0,
            asa_seconds: None,
            max_occupancy: None,
            patience_seconds: None,
            concurrency: 1,
            shrinkage: 0.0,
        }
    }
}

/// Why targets cannot be met or used.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum StaffingError {
    #[error("{name} {} is out of range: expected {expected}", short_number(*.value))]
    OutOfRange {
        name: &'static str,
        value: f64,
        expected: &'static str,
    },
    #[error("no staffing up to {agents} agents meets the targets")]
    Unreachable { agents: u32 },
}

/// A staffing value out of range, named by its config key.
impl From<StaffingError> for crate::error::WfmError {
    fn from(error: StaffingError) -> Self {
        use crate::error::WfmError;
        match (&error, error.key()) {
            (
                StaffingError::OutOfRange {
                    value, expected, ..
                },
                Some(key),
            ) => WfmError::setting(key, short_number(*value), format!("expected {expected}")),
            _ => WfmError::Staffing {
                message: error.to_string(),
            },
        }
    }
}

impl StaffingError {
    /// The command-line flag that sets the value out of range, if one does.
    pub fn key(&self) -> Option<&'static str> {
        match self {
            StaffingError::OutOfRange { name, .. } => Some(match *name {
                "service level" => "targets.service_level",
                "target answer time" => "targets.target_answer_seconds",
                "ASA target" => "targets.asa_seconds",
                "maximum occupancy" => "targets.max_occupancy",
                "patience" => "targets.patience_seconds",
                "concurrency" => "targets.concurrency",
                "shrinkage" => "targets.shrinkage",
                "contacts" | "offered load" => "contacts",
                "AHT" => "aht_seconds",
                "agents" => "agents",
                _ => return None,
            }),
            StaffingError::Unreachable { .. } => None,
        }
    }
}

impl Targets {
    /// Checks the targets once, so every interval can trust them.
    pub fn validate(&self) -> Result<(), StaffingError> {
        let check = |name, value: f64, ok: bool, expected| {
            if ok {
                Ok(())
            } else {
                Err(StaffingError::OutOfRange {
                    name,
                    value,
                    expected,
                })
            }
        };
        if let Some(sl) = self.service_level {
            check(
                "service level",
                sl,
                sl > 0.0 && sl < 1.0,
                "a share strictly between 0 and 1, e.g. 0.8",
            )?;
        }
        check(
            "target answer time",
            self.target_answer_seconds,
            self.target_answer_seconds >= 0.0 && self.target_answer_seconds.is_finite(),
            "seconds ≥ 0",
        )?;
        if let Some(asa) = self.asa_seconds {
            check("ASA target", asa, asa > 0.0, "seconds > 0")?;
        }
        if let Some(occ) = self.max_occupancy {
            check(
                "maximum occupancy",
                occ,
                occ > 0.0 && occ <= 1.0,
                "a share in (0, 1], e.g. 0.85",
            )?;
        }
        if let Some(p) = self.patience_seconds {
            check(
                "patience",
                p,
                (MIN_PATIENCE_SECONDS..=MAX_SECONDS).contains(&p),
                "seconds from 1 to 86,400",
            )?;
        }
        check(
            "concurrency",
            self.concurrency as f64,
            (1..=MAX_CONCURRENCY).contains(&self.concurrency),
            "1 to 100 contacts per agent at once",
        )?;
        check(
            "target answer time",
            self.target_answer_seconds,
            self.target_answer_seconds <= MAX_SECONDS,
            "seconds ≥ 0, at most 86,400",
        )?;
        if let Some(asa) = self.asa_seconds {
            check(
                "ASA target",
                asa,
                asa <= MAX_SECONDS,
                "seconds > 0, at most 86,400",
            )?;
        }
        check(
            "shrinkage",
            self.shrinkage,
            (0.0..1.0).contains(&self.shrinkage),
            "a share in [0, 1), e.g. 0.3",
        )
    }
}

/// [`evaluate`] after checking the load and the number of agents against the limits.
pub fn evaluate_checked(
    load: &Load,
    agents_raw: u32,
    targets: &Targets,
) -> Result<Staffing, StaffingError> {
    load.check()?;
    if agents_raw > MAX_AGENTS {
        return Err(StaffingError::OutOfRange {
            name: "agents",
            value: agents_raw as f64,
            expected: "at most 1,000,000",
        });
    }
    Ok(evaluate(load, agents_raw, targets))
}

/// The figures of one interval for a number of agents.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct Staffing {
    /// Erlangs offered.
    pub intensity: f64,
    /// Agents on the phones (the Erlang answer).
    pub agents_raw: u32,
    /// Agents to schedule: raw / (1 − shrinkage), rounded up.
    pub agents_required: u32,
    pub service_level: f64,
    pub asa_seconds: f64,
    pub occupancy: f64,
    pub waiting_probability: f64,
    /// Erlang A only.
    pub abandon_rate: Option<f64>,
}

/// Scheduled agents for raw agents under shrinkage.
pub fn with_shrinkage(agents_raw: u32, shrinkage: f64) -> u32 {
    if agents_raw == 0 {
        return 0;
    }
    // A hair of tolerance so that 14 / 0.7 = 20.000000000000004 stays 20.
    ((agents_raw as f64 / (1.0 - shrinkage)) - 1e-9).ceil() as u32
}

/// The figures for `agents_raw` agents (each handling up to `concurrency` contacts).
pub fn evaluate(load: &Load, agents_raw: u32, targets: &Targets) -> Staffing {
    let a = load.intensity();
    let servers = agents_raw * targets.concurrency;
    let (service_level, asa_seconds, occupancy, waiting_probability, abandon_rate) =
        match targets.patience_seconds {
            Some(patience) => {
                let r = erlang_a(
                    servers,
                    load.contacts / load.interval_seconds,
                    1.0 / load.aht_seconds,
                    1.0 / patience,
                    targets.target_answer_seconds,
                );
                (
                    r.service_level,
                    r.asa_seconds,
                    r.occupancy,
                    r.waiting_probability,
                    Some(r.abandon_rate),
                )
            }
            None => {
                let c = erlang_c_from_b(servers, a, erlang_c::erlang_b(servers, a));
                let c = if a <= 0.0 { 0.0 } else { c };
                (
                    service_level_from_c(
                        servers,
                        a,
                        c,
                        load.aht_seconds,
                        targets.target_answer_seconds,
                    ),
                    asa_from_c(servers, a, c, load.aht_seconds),
                    if servers > 0 {
                        (a / servers as f64).min(1.0)
                    } else {
                        0.0
                    },
                    c,
                    None,
                )
            }
        };
    Staffing {
        intensity: a,
        agents_raw,
        agents_required: with_shrinkage(agents_raw, targets.shrinkage),
        service_level,
        asa_seconds,
        occupancy,
        waiting_probability,
        abandon_rate,
    }
}

fn meets(s: &Staffing, targets: &Targets) -> bool {
    targets.service_level.is_none_or(|t| s.service_level >= t)
        && targets.asa_seconds.is_none_or(|t| s.asa_seconds <= t)
        && targets.max_occupancy.is_none_or(|t| s.occupancy <= t)
}

/// The fewest agents meeting every target; zero contacts need zero agents.
pub fn required(load: &Load, targets: &Targets) -> Result<Staffing, StaffingError> {
    load.check()?;
    let a = load.intensity();
    if a <= 0.0 {
        return Ok(evaluate(load, 0, targets));
    }
    let servers = erlang_c_servers(a, load, targets)?;
    let agents = servers.div_ceil(targets.concurrency);
    if targets.patience_seconds.is_none() {
        return Ok(evaluate(load, agents, targets));
    }
    // Abandonment only shortens queues: Erlang C's answer is enough. The fewest agents whose
    // Erlang A figures still meet the targets lie below it; the targets are met from some
    // number of agents on (service level rises and waiting falls with agents), so a binary
    // search finds it in O(log N) evaluations, where walking down one agent at a time took
    // minutes at thousands of Erlangs.
    let (mut low, mut high) = (0u32, agents); // `high` meets the targets; `low` does not
    let mut best = evaluate(load, agents, targets);
    while high - low > 1 {
        let mid = low + (high - low) / 2;
        let at_mid = evaluate(load, mid, targets);
        if meets(&at_mid, targets) {
            high = mid;
            best = at_mid;
        } else {
            low = mid;
        }
    }
    Ok(best)
}

/// The fewest servers meeting the targets under Erlang C, growing the Erlang B recursion one
/// server at a time (O(N) for the whole search).
fn erlang_c_servers(a: f64, load: &Load, targets: &Targets) -> Result<u32, StaffingError> {
    let limit = (a * 2.0 + 200.0).min(u32::MAX as f64 / 2.0) as u32;
    let mut b = 1.0;
    for n in 1..=limit {
        b = a * b / (n as f64 + a * b);
        if (n as f64) <= a {
            continue;
        }
        let c = erlang_c_from_b(n, a, b);
        let sl_ok = targets.service_level.is_none_or(|t| {
            service_level_from_c(n, a, c, load.aht_seconds, targets.target_answer_seconds) >= t
        });
        let asa_ok = targets
            .asa_seconds
            .is_none_or(|t| asa_from_c(n, a, c, load.aht_seconds) <= t);
        let occ_ok = targets.max_occupancy.is_none_or(|t| a / n as f64 <= t);
        if sl_ok && asa_ok && occ_ok {
            return Ok(n);
        }
    }
    Err(StaffingError::Unreachable { agents: limit })
}

#[cfg(test)]
mod tests;
