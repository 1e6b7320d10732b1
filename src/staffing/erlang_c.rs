//! Erlang C (M/M/N): the probability that a contact waits, service level, ASA and occupancy.
//!
//! P(wait) comes from the Erlang B recursion B(n) = A·B(n−1) / (n + A·B(n−1)), which stays in
//! [0, 1] at every step, so traffic of many thousands of Erlangs neither overflows nor loses
//! precision (the textbook Aⁿ/n! form overflows past ~170 agents). Then
//! C = N·B / (N − A·(1 − B)) for N > A (Cooper, Introduction to Queueing Theory, 1981, §3.5).

/// Erlang B blocking probability for `agents` servers and `intensity` Erlangs.
pub fn erlang_b(agents: u32, intensity: f64) -> f64 {
    let mut b = 1.0;
    for n in 1..=agents {
        b = intensity * b / (n as f64 + intensity * b);
    }
    b
}

/// Erlang C from the Erlang B value of the same agents: the probability of waiting.
pub(crate) fn erlang_c_from_b(agents: u32, intensity: f64, b: f64) -> f64 {
    let n = agents as f64;
    if n <= intensity {
        return 1.0;
    }
    (n * b / (n - intensity * (1.0 - b))).clamp(0.0, 1.0)
}

/// Probability that a contact has to wait (Erlang C); 1 when agents ≤ intensity.
pub fn waiting_probability(agents: u32, intensity: f64) -> f64 {
    if intensity <= 0.0 {
        return 0.0;
    }
    erlang_c_from_b(agents, intensity, erlang_b(agents, intensity))
}

/// Share of contacts answered within `target_seconds`: 1 − C·exp(−(N − A)·T / AHT).
pub fn service_level_from_c(
    agents: u32,
    intensity: f64,
    c: f64,
    aht_seconds: f64,
    target_seconds: f64,
) -> f64 {
    let n = agents as f64;
    if intensity <= 0.0 {
        return 1.0;
    }
    if n <= intensity {
        return 0.0;
    }
    (1.0 - c * (-(n - intensity) * target_seconds / aht_seconds).exp()).clamp(0.0, 1.0)
}

/// Average speed of answer in seconds: C·AHT / (N − A); infinite when agents ≤ intensity.
pub fn asa_from_c(agents: u32, intensity: f64, c: f64, aht_seconds: f64) -> f64 {
    let n = agents as f64;
    if intensity <= 0.0 {
        return 0.0;
    }
    if n <= intensity {
        return f64::INFINITY;
    }
    c * aht_seconds / (n - intensity)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// DESIGN.md's reference case: 100 contacts per 30 minutes, AHT 180 s → A = 10 Erlangs.
    /// Values agree with the direct formula (log-space Σ Aᵏ/k!) computed independently in Python.
    #[test]
    fn reference_case_ten_erlangs() {
        let c14 = waiting_probability(14, 10.0);
        assert!((c14 - 0.1741).abs() < 5e-5, "{c14}");
        let sl14 = service_level_from_c(14, 10.0, c14, 180.0, 20.0);
        assert!((sl14 - 0.8884).abs() < 5e-5, "{sl14}");
        let c13 = waiting_probability(13, 10.0);
        let sl13 = service_level_from_c(13, 10.0, c13, 180.0, 20.0);
        assert!((sl13 - 0.7956).abs() < 5e-5, "{sl13}");
        assert!((asa_from_c(14, 10.0, c14, 180.0) - 7.8359).abs() < 1e-3);
    }

    #[test]
    fn single_agent_is_m_m_1() {
        // M/M/1: P(wait) = ρ.
        assert!((waiting_probability(1, 0.5) - 0.5).abs() < 1e-12);
        let c = waiting_probability(1, 0.5);
        // 1 − 0.5·exp(−0.5·20/180) = 0.527020 (hand-computed).
        assert!((service_level_from_c(1, 0.5, c, 180.0, 20.0) - 0.527020).abs() < 1e-6);
        assert!((asa_from_c(1, 0.5, c, 180.0) - 180.0).abs() < 1e-9);
    }

    #[test]
    fn thousands_of_erlangs_stay_finite() {
        // Independent log-space computation: A = 10,000, N = 10,021 → C = 0.761747.
        let c = waiting_probability(10_021, 10_000.0);
        assert!((c - 0.761747).abs() < 1e-5, "{c}");
        // A = 1,000, N = 1,011 → C = 0.632109, SL(20 s, AHT 180) = 0.813797.
        let c = waiting_probability(1_011, 1_000.0);
        assert!((c - 0.632109).abs() < 1e-5, "{c}");
        assert!((service_level_from_c(1_011, 1_000.0, c, 180.0, 20.0) - 0.813797).abs() < 1e-5);
    }

    #[test]
    fn overloaded_queues_always_wait() {
        assert_eq!(waiting_probability(5, 5.0), 1.0);
        assert_eq!(waiting_probability(3, 7.5), 1.0);
        assert_eq!(asa_from_c(3, 7.5, 1.0, 180.0), f64::INFINITY);
        assert_eq!(waiting_probability(3, 0.0), 0.0);
    }
}
