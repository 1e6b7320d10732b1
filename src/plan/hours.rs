//! Opening hours of a queue (`open_hours = ["Mon-Fri 08:00-20:00", "Sat 09:00-13:00"]`):
//! outside them nobody is planned, and the contacts the forecast puts there are reported, not
//! staffed (callbacks, e-mail the next morning).

use crate::staffing::requirements::RegionRequirements;
use crate::time::{self, MINUTES_PER_DAY};

const DAY_NAMES: [&str; 7] = ["mon", "tue", "wed", "thu", "fri", "sat", "sun"];

/// Open minutes of the week (0 = Monday 00:00), as ranges of minutes of the week.
#[derive(Debug, Clone, PartialEq)]
pub struct OpeningHours {
    ranges: Vec<(i64, i64)>,
}

fn day_index(name: &str) -> Option<usize> {
    let lower = name.trim().to_ascii_lowercase();
    DAY_NAMES
        .iter()
        .position(|d| lower.starts_with(d) && lower.len() >= 3)
}

/// "HH:MM" → minutes after midnight, "24:00" included.
fn clock(text: &str) -> Option<i64> {
    let (h, m) = text.trim().split_once(':')?;
    let (h, m): (i64, i64) = (h.parse().ok()?, m.parse().ok()?);
    ((0..=24).contains(&h) && (0..60).contains(&m) && h * 60 + m <= MINUTES_PER_DAY)
        .then_some(h * 60 + m)
}

impl OpeningHours {
    /// Reads lines such as "Mon-Fri 08:00-20:00", "Sat,Sun 10:00-14:00", "daily 07:00-24:00";
    /// the message of an error says what was expected.
    pub fn parse(lines: &[String]) -> Result<OpeningHours, String> {
        let mut ranges = Vec::new();
        for line in lines {
            let expected = || {
                format!(
                    "\"{line}\": expected days and hours such as \"Mon-Fri 08:00-20:00\", \"Sat,Sun 10:00-14:00\" or \"daily 07:00-24:00\""
                )
            };
            let (days, hours) = line.trim().split_once(' ').ok_or_else(expected)?;
            let (from, to) = hours.trim().split_once('-').ok_or_else(expected)?;
            let (from, to) = (
                clock(from).ok_or_else(expected)?,
                clock(to).ok_or_else(expected)?,
            );
            if from >= to {
                return Err(format!(
                    "\"{line}\": the hours must end after they start on the same day (split a night into two lines, or end at 24:00)"
                ));
            }
            let mut open_days = Vec::new();
            let daily = days.eq_ignore_ascii_case("daily");
            if daily {
                open_days.extend(0..7);
            }
            for part in days.split(',').filter(|_| !daily) {
                match part.split_once('-') {
                    Some((a, b)) => {
                        let (a, b) = (
                            day_index(a).ok_or_else(expected)?,
                            day_index(b).ok_or_else(expected)?,
                        );
                        let mut d = a;
                        loop {
                            open_days.push(d);
                            if d == b {
                                break;
                            }
                            d = (d + 1) % 7;
                        }
                    }
                    None => open_days.push(day_index(part).ok_or_else(expected)?),
                }
            }
            for d in open_days {
                let base = d as i64 * MINUTES_PER_DAY;
                ranges.push((base + from, base + to));
            }
        }
        Ok(OpeningHours { ranges })
    }

    /// Whether the interval starting at wall-clock `minute` is open.
    pub fn is_open(&self, minute: i64) -> bool {
        let of_week = time::weekday_of_minute(minute) as i64 * MINUTES_PER_DAY
            + minute.rem_euclid(MINUTES_PER_DAY);
        self.ranges.iter().any(|&(a, b)| (a..b).contains(&of_week))
    }

    /// Plans nobody in `region`'s intervals outside the hours; returns the contacts forecast
    /// there.
    pub fn close(&self, region: &mut RegionRequirements) -> f64 {
        let mut outside = 0.0;
        for (i, &minute) in region.minutes.iter().enumerate() {
            if self.is_open(minute) {
                continue;
            }
            if region.contacts[i].is_finite() {
                outside += region.contacts[i];
            }
            let s = &mut region.staffing[i];
            s.agents_raw = 0;
            s.agents_required = 0;
        }
        outside
    }
}

/// Shrinkage by time of the week: each window's share over the queue's flat one (a later
/// window over an earlier one where they overlap).
#[derive(Debug, Clone, PartialEq)]
pub struct ShrinkageProfile {
    pub flat: f64,
    windows: Vec<(OpeningHours, f64)>,
}

impl ShrinkageProfile {
    /// `windows`: (days and hours as `OpeningHours` reads them, shrinkage from 0 up to 1).
    pub fn parse(flat: f64, windows: &[(String, f64)]) -> Result<ShrinkageProfile, String> {
        let windows = windows
            .iter()
            .map(|(hours, share)| {
                if !(0.0..1.0).contains(share) {
                    return Err(format!(
                        "\"{hours}\": shrinkage {share}: expected a share from 0 up to 1, e.g. 0.35"
                    ));
                }
                Ok((OpeningHours::parse(std::slice::from_ref(hours))?, *share))
            })
            .collect::<Result<_, String>>()?;
        Ok(ShrinkageProfile { flat, windows })
    }

    /// The shrinkage of the interval starting at wall-clock `minute`.
    pub fn at(&self, minute: i64) -> f64 {
        (self.windows.iter().rev())
            .find(|(hours, _)| hours.is_open(minute))
            .map_or(self.flat, |(_, share)| *share)
    }

    /// Re-counts `region`'s agents to schedule from its agents on the phones with the
    /// shrinkage of each interval, keeping the queue's minimum (`min_agents`) where staffing
    /// gave one (an interval with agents to schedule).
    pub fn apply(&self, region: &mut RegionRequirements, min_agents: u32) {
        for (i, &minute) in region.minutes.iter().enumerate() {
            let s = &mut region.staffing[i];
            let floor = if s.agents_required > 0 { min_agents } else { 0 };
            s.agents_required =
                crate::staffing::with_shrinkage(s.agents_raw, self.at(minute)).max(floor);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Monday 2024-01-01 00:00, in minutes since the epoch.
    const MONDAY: i64 = 19_723 * MINUTES_PER_DAY;

    #[test]
    fn weekdays_and_a_short_saturday_are_open_the_rest_closed() {
        let hours =
            OpeningHours::parse(&["Mon-Fri 08:00-20:00".into(), "Sat 09:00-13:00".into()]).unwrap();
        let at = |day: i64, h: i64, m: i64| MONDAY + day * MINUTES_PER_DAY + h * 60 + m;
        assert!(hours.is_open(at(0, 8, 0)));
        assert!(hours.is_open(at(4, 19, 30)));
        assert!(!hours.is_open(at(4, 20, 0)), "the end is excluded");
        assert!(!hours.is_open(at(0, 7, 30)));
        assert!(hours.is_open(at(5, 12, 30)));
        assert!(!hours.is_open(at(5, 13, 0)));
        assert!(!hours.is_open(at(6, 12, 0)), "Sunday closed");
        let wrap = OpeningHours::parse(&["Sat-Mon 10:00-24:00".into()]).unwrap();
        assert!(
            wrap.is_open(at(6, 23, 30))
                && wrap.is_open(at(0, 10, 0))
                && !wrap.is_open(at(2, 12, 0))
        );
        assert!(OpeningHours::parse(&["daily 00:00-24:00".into()])
            .unwrap()
            .is_open(at(3, 3, 0)));
    }

    #[test]
    fn a_window_of_higher_shrinkage_raises_the_agents_to_schedule_there_only() {
        let profile = ShrinkageProfile::parse(
            0.3,
            &[
                ("Mon-Fri 08:00-10:00".into(), 0.5),
                ("Mon 09:00-10:00".into(), 0.6),
            ],
        )
        .unwrap();
        let at = |day: i64, h: i64| MONDAY + day * MINUTES_PER_DAY + h * 60;
        assert_eq!(profile.at(at(1, 8)), 0.5);
        assert_eq!(profile.at(at(0, 9)), 0.6, "the later window wins");
        assert_eq!(profile.at(at(1, 12)), 0.3);
        // 7 agents on the phones: 7 / 0.7 = 10 to schedule, 7 / 0.5 = 14.
        assert_eq!(
            crate::staffing::with_shrinkage(7, profile.at(at(1, 12))),
            10
        );
        assert_eq!(crate::staffing::with_shrinkage(7, profile.at(at(1, 8))), 14);
        assert!(ShrinkageProfile::parse(0.3, &[("Mon 08:00-09:00".into(), 1.0)]).is_err());
    }

    #[test]
    fn a_line_that_is_not_days_and_hours_is_refused_with_an_example() {
        for bad in [
            "Mon-Fri",
            "Funday 08:00-12:00",
            "Mon 20:00-08:00",
            "Mon 08:00-25:00",
        ] {
            let error = OpeningHours::parse(&[bad.into()]).unwrap_err();
            assert!(error.contains(bad), "{error}");
        }
    }
}
