//! Helpers shared by the unit tests: simulated counts with a fixed seed.

/// Poisson counts by inversion (fine for the small means of contact counts per interval) from a
/// fixed-seed linear congruential generator (Knuth's MMIX constants), so simulations are
/// reproducible without a random-number crate.
pub(crate) struct Counts(pub(crate) u64);

impl Counts {
    /// A uniform draw in [0, 1).
    pub(crate) fn uniform(&mut self) -> f64 {
        self.0 = self
            .0
            .wrapping_mul(6364136223846793005)
            .wrapping_add(1442695040888963407);
        ((self.0 >> 11) as f64) / ((1u64 << 53) as f64)
    }

    /// A Poisson draw with the given mean.
    pub(crate) fn poisson(&mut self, mean: f64) -> f64 {
        let limit = (-mean).exp();
        let (mut k, mut p) = (0.0, 1.0);
        loop {
            p *= self.uniform();
            if p <= limit {
                return k;
            }
            k += 1.0;
        }
    }
}

/// Monday 2024-01-01: the day number rostering tests start their weeks from.
pub(crate) const MONDAY: i64 = 19_723;

/// Agent `agent`'s shift in queue "north" on the `day`-th day after [`MONDAY`], from
/// `start_hour` for 8 paid hours without a break.
pub(crate) fn north_shift(agent: usize, day: i64, start_hour: i64) -> crate::roster::Assignment {
    let start = (MONDAY + day) * crate::time::MINUTES_PER_DAY + start_hour * 60;
    crate::roster::Assignment {
        agent,
        region: "north".into(),
        start_minute: start,
        end_minute: start + 8 * 60,
        paid_hours: 8.0,
        break_minutes: None,
    }
}
