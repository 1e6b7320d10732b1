//! The 2-on/2-off 12-hour roster many centres run today: four crews, a day shift and a night
//! shift every day, each crew working two days (or nights) then off two. Each crew is sized to
//! the largest requirement of any interval it works, so the roster covers every interval.

use super::{Requirement, ShiftCount};

/// The 2/2 roster of one region.
#[derive(Debug, Clone, PartialEq)]
pub struct TwoByTwo {
    /// Agents in crews A, B (days) and C, D (nights).
    pub crews: [u32; 4],
    pub shifts: Vec<ShiftCount>,
    pub scheduled: Vec<u32>,
}

impl TwoByTwo {
    /// The hours the crews are paid.
    pub fn paid_hours(&self) -> f64 {
        super::paid_hours(&self.shifts)
    }
}

/// Which crew works at wall-clock `minute`, and when the 12-hour shift that contains it
/// started: the shift's day and whether it is the day or the night shift give the crew (0, 1:
/// days; 2, 3: nights), crews changing every two days.
pub fn crew_of(minute: i64, day_start_minute: u32) -> (usize, i64) {
    let day_start = day_start_minute as i64;
    let since = minute - day_start;
    let shift_index = since.div_euclid(720); // 12-hour blocks from the first day shift
    let day = shift_index.div_euclid(2);
    let is_night = shift_index.rem_euclid(2) == 1;
    let first_pair = day.rem_euclid(4) < 2;
    let crew = match (is_night, first_pair) {
        (false, true) => 0,
        (false, false) => 1,
        (true, true) => 2,
        (true, false) => 3,
    };
    (crew, day_start + shift_index * 720)
}

/// Sizes the four crews; the day shift starts at `day_start_minute` (480 = 08:00–20:00,
/// night 20:00–08:00).
pub fn two_by_two(req: &Requirement, day_start_minute: u32) -> TwoByTwo {
    let crew_of = |minute: i64| crew_of(minute, day_start_minute);
    let mut crews = [0u32; 4];
    for (t, &r) in req.required.iter().enumerate() {
        let (crew, _) = crew_of(req.minute(t));
        crews[crew] = crews[crew].max(r);
    }
    let mut scheduled = Vec::with_capacity(req.len());
    let mut shifts: Vec<ShiftCount> = Vec::new();
    for t in 0..req.len() {
        let (crew, shift_start) = crew_of(req.minute(t));
        scheduled.push(crews[crew]);
        if shifts.last().is_none_or(|s| s.start_minute != shift_start) && crews[crew] > 0 {
            shifts.push(ShiftCount {
                start_minute: shift_start,
                length_minutes: 720,
                paid_minutes: 720,
                break_start_minute: None,
                break_minutes: 0,
                agents: crews[crew],
            });
        }
    }
    TwoByTwo {
        crews,
        shifts,
        scheduled,
    }
}
