//! Erlang A (M/M/N+M, Palm's model): callers hang up after an exponential patience.
//!
//! The number of contacts in the system is a birth–death chain: arrivals at rate λ; with n
//! contacts, departures at nμ while n ≤ N, and Nμ + (n − N)θ above (θ = 1/patience). Its
//! stationary law gives P(wait), the mean queue and, by Little's law, the abandon rate and the
//! mean wait. The share answered within T follows the contacts who arrive to find j waiting:
//! each step forward happens at Nμ + iθ with i still ahead, while the contact itself hangs up at
//! θ; the probability of reaching an agent within T is a transient probability of that chain,
//! computed by uniformization (Grassmann, 1977). θ → 0 gives back Erlang C.

/// Erlang A figures for one interval.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct ErlangA {
    pub waiting_probability: f64,
    /// Share of offered contacts that hang up before an answer.
    pub abandon_rate: f64,
    /// Share of offered contacts answered within the target time.
    pub service_level: f64,
    /// Mean time in queue over all offered contacts (those who hang up count until they do).
    pub asa_seconds: f64,
    /// Carried load per agent.
    pub occupancy: f64,
}

/// Stationary probabilities beyond this factor of the largest are dropped.
const TAIL: f64 = 1e-14;

/// Erlang A with arrival rate `lambda` and service rate `mu` per second, patience rate `theta`.
pub fn erlang_a(agents: u32, lambda: f64, mu: f64, theta: f64, target_seconds: f64) -> ErlangA {
    let n_agents = agents as usize;
    if lambda <= 0.0 {
        return ErlangA {
            waiting_probability: 0.0,
            abandon_rate: 0.0,
            service_level: 1.0,
            asa_seconds: 0.0,
            occupancy: 0.0,
        };
    }
    // log π_n up to the agents, then the queue until its terms vanish.
    let mut log_pi = Vec::with_capacity(n_agents + 64);
    log_pi.push(0.0);
    for n in 1..=n_agents {
        log_pi.push(log_pi[n - 1] + (lambda / (n as f64 * mu)).ln());
    }
    let mut peak = log_pi.iter().copied().fold(f64::NEG_INFINITY, f64::max);
    let mut j = 0usize;
    loop {
        j += 1;
        let death = agents as f64 * mu + j as f64 * theta;
        if death <= 0.0 {
            break;
        }
        let next = log_pi[n_agents + j - 1] + (lambda / death).ln();
        log_pi.push(next);
        peak = peak.max(next);
        // Past the mode the terms fall; stop when they are negligible (or unbounded θ = 0 tails
        // decay geometrically and are cut the same way).
        if next < peak + TAIL.ln() && next < log_pi[n_agents + j - 1] {
            break;
        }
        if j > 1_000_000 {
            break;
        }
    }
    let pi: Vec<f64> = log_pi.iter().map(|l| (l - peak).exp()).collect();
    let total: f64 = pi.iter().sum();
    let pi: Vec<f64> = pi.iter().map(|p| p / total).collect();
    let queue = &pi[n_agents..];
    let waiting_probability: f64 = queue.iter().sum::<f64>().min(1.0);
    let mean_queue: f64 = queue.iter().enumerate().map(|(k, p)| k as f64 * p).sum();
    let abandon_rate = (theta * mean_queue / lambda).clamp(0.0, 1.0);
    let carried = lambda * (1.0 - abandon_rate) / mu;
    ErlangA {
        waiting_probability,
        abandon_rate,
        service_level: (1.0 - waiting_probability
            + answered_within(queue, agents as f64 * mu, theta, target_seconds))
        .clamp(0.0, 1.0),
        asa_seconds: mean_queue / lambda,
        occupancy: if agents > 0 {
            carried / agents as f64
        } else {
            0.0
        },
    }
}

/// Σ_j P(arrive finding j waiting) · P(answered within T | j waiting), by uniformization of the
/// chain "i still ahead" (i → i − 1 at Nμ + iθ, answered from 0 at Nμ, gone at θ).
fn answered_within(arrivals_finding: &[f64], service: f64, theta: f64, target_seconds: f64) -> f64 {
    if service <= 0.0 || arrivals_finding.is_empty() {
        return 0.0;
    }
    let ahead = arrivals_finding.len();
    let rate = |i: usize| service + i as f64 * theta;
    let uniform = rate(ahead) + theta;
    let lt = uniform * target_seconds;
    let mut state = arrivals_finding.to_vec();
    let mut answered_after = 0.0; // mass answered within k uniformized steps
    let mut total = 0.0;
    // Poisson(k; λT) weights in log space: e^(−λT) underflows beyond λT ≈ 745.
    let mut log_weight = -lt;
    let mut cumulative_weight = 0.0;
    let max_steps = (lt + 12.0 * lt.sqrt() + 50.0) as usize;
    for k in 0..=max_steps {
        let weight = log_weight.exp();
        total += weight * answered_after;
        cumulative_weight += weight;
        if 1.0 - cumulative_weight < 1e-12 && k as f64 > lt {
            break;
        }
        // One step of the uniformized chain.
        let mut next = vec![0.0; ahead];
        for (i, &p) in state.iter().enumerate() {
            if p == 0.0 {
                continue;
            }
            let forward = rate(i) / uniform;
            let stay = 1.0 - forward - theta / uniform;
            next[i] += p * stay;
            if i == 0 {
                answered_after += p * forward;
            } else {
                next[i - 1] += p * forward;
            }
        }
        state = next;
        log_weight += lt.ln() - ((k + 1) as f64).ln();
    }
    // Whatever Poisson mass is left beyond the last step has answered at most `answered_after`.
    total + (1.0 - cumulative_weight).max(0.0) * answered_after
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::staffing::erlang_c::{asa_from_c, service_level_from_c, waiting_probability};

    #[test]
    fn tiny_patience_rate_gives_back_erlang_c() {
        // 100 contacts / 30 min, AHT 180 s, 14 agents, patience 10⁹ s.
        let a = erlang_a(14, 100.0 / 1800.0, 1.0 / 180.0, 1e-9, 20.0);
        let c = waiting_probability(14, 10.0);
        assert!((a.waiting_probability - c).abs() < 1e-6, "{a:?}");
        assert!(
            (a.service_level - service_level_from_c(14, 10.0, c, 180.0, 20.0)).abs() < 1e-5,
            "{a:?}"
        );
        assert!(
            (a.asa_seconds - asa_from_c(14, 10.0, c, 180.0)).abs() < 1e-3,
            "{a:?}"
        );
        assert!(a.abandon_rate < 1e-6);
    }

    #[test]
    fn abandonment_lets_fewer_agents_reach_the_target() {
        let (lambda, mu) = (100.0 / 1800.0, 1.0 / 180.0);
        let patient = erlang_a(12, lambda, mu, 1e-9, 20.0);
        let impatient = erlang_a(12, lambda, mu, 1.0 / 60.0, 20.0);
        assert!(impatient.service_level > patient.service_level);
        assert!(impatient.abandon_rate > 0.0 && impatient.abandon_rate < 0.2);
        assert!(impatient.asa_seconds < patient.asa_seconds);
    }

    #[test]
    fn overloaded_queue_is_stable_with_abandonment() {
        // 10 Erlangs offered to 8 agents: Erlang C has no steady state; Erlang A does, and
        // the abandoned share absorbs at least the excess load (2 of 10 Erlangs → ≥ 20 %).
        let a = erlang_a(8, 100.0 / 1800.0, 1.0 / 180.0, 1.0 / 120.0, 20.0);
        assert!(a.abandon_rate >= 0.2 && a.abandon_rate < 0.5, "{a:?}");
        assert!(a.occupancy <= 1.0 && a.occupancy > 0.9, "{a:?}");
    }

    #[test]
    fn little_law_links_abandonment_and_queue() {
        // abandon rate = θ·E[Q]/λ and ASA = E[Q]/λ → abandon rate = θ·ASA.
        let theta = 1.0 / 90.0;
        let a = erlang_a(11, 100.0 / 1800.0, 1.0 / 180.0, theta, 20.0);
        assert!((a.abandon_rate - theta * a.asa_seconds).abs() < 1e-12);
    }
}
