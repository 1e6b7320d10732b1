use proptest::prelude::*;

use super::*;

fn load(contacts: f64, aht_seconds: f64) -> Load {
    Load {
        contacts,
        interval_seconds: 1_800.0,
        aht_seconds,
    }
}

/// DESIGN.md's reference: 100 contacts per 30 min, AHT 180 s, 80 % in 20 s → 14 agents,
/// P(wait) 0.1741, SL 0.8884, occupancy 0.7143; with 30 % shrinkage → 20.
#[test]
fn reference_case() {
    let s = required(&load(100.0, 180.0), &Targets::default()).unwrap();
    assert_eq!(s.agents_raw, 14);
    assert!((s.intensity - 10.0).abs() < 1e-12);
    assert!((s.waiting_probability - 0.1741).abs() < 5e-5);
    assert!((s.service_level - 0.8884).abs() < 5e-5);
    assert!((s.occupancy - 0.7143).abs() < 5e-5);
    let thirteen = evaluate(&load(100.0, 180.0), 13, &Targets::default());
    assert!((thirteen.service_level - 0.7956).abs() < 5e-5);
    let shrunk = required(
        &load(100.0, 180.0),
        &Targets {
            shrinkage: 0.3,
            ..Default::default()
        },
    )
    .unwrap();
    assert_eq!((shrunk.agents_raw, shrunk.agents_required), (14, 20));
}

/// Independent references: the direct Erlang C formula in log space (Python, math.lgamma).
#[test]
fn independent_reference_cases() {
    // 0.5 Erlang (5 contacts per 30 min at 180 s): 2 agents, SL 0.915352, ASA 12.0 s.
    let small = required(&load(5.0, 180.0), &Targets::default()).unwrap();
    assert_eq!(small.agents_raw, 2);
    assert!((small.service_level - 0.915352).abs() < 1e-6);
    assert!((small.asa_seconds - 12.0).abs() < 1e-6);
    // 1,000 Erlangs (10,000 contacts at 180 s): 1,011 agents, SL 0.813797.
    let large = required(&load(10_000.0, 180.0), &Targets::default()).unwrap();
    assert_eq!(large.agents_raw, 1_011);
    assert!((large.service_level - 0.813797).abs() < 1e-5);
    // 10,000 Erlangs (60,000 contacts at 300 s): 10,021 agents, P(wait) 0.761747.
    let huge = required(&load(60_000.0, 300.0), &Targets::default()).unwrap();
    assert_eq!(huge.agents_raw, 10_021);
    assert!((huge.waiting_probability - 0.761747).abs() < 1e-5);
    // ASA target: 10 Erlangs, ASA ≤ 15 s → 14 agents (13 give 17.1 s, 14 give 7.84 s).
    let asa = required(
        &load(100.0, 180.0),
        &Targets {
            service_level: None,
            asa_seconds: Some(15.0),
            ..Default::default()
        },
    )
    .unwrap();
    assert_eq!(asa.agents_raw, 14);
    assert!((asa.asa_seconds - 7.8359).abs() < 1e-3);
}

#[test]
fn occupancy_cap_adds_agents() {
    // 1,000 Erlangs need 1,011 agents for 80/20 at 98.9 % occupancy; a cap of 85 % needs
    // ⌈1000 / 0.85⌉ = 1,177.
    let capped = required(
        &load(10_000.0, 180.0),
        &Targets {
            max_occupancy: Some(0.85),
            ..Default::default()
        },
    )
    .unwrap();
    assert_eq!(capped.agents_raw, 1_177);
    assert!(capped.occupancy <= 0.85);
}

#[test]
fn chat_concurrency_shares_slots_between_agents() {
    // 10 Erlangs of chats need 14 slots for 80/20; three chats per agent → ⌈14 / 3⌉ = 5 agents.
    let chat = required(
        &load(100.0, 180.0),
        &Targets {
            concurrency: 3,
            ..Default::default()
        },
    )
    .unwrap();
    assert_eq!(chat.agents_raw, 5);
    assert!(chat.service_level >= 0.8);
}

#[test]
fn erlang_a_needs_fewer_agents_when_callers_hang_up() {
    let patient = required(&load(100.0, 180.0), &Targets::default()).unwrap();
    let impatient = required(
        &load(100.0, 180.0),
        &Targets {
            patience_seconds: Some(60.0),
            ..Default::default()
        },
    )
    .unwrap();
    assert!(impatient.agents_raw < patient.agents_raw, "{impatient:?}");
    assert!(impatient.service_level >= 0.8);
    assert!(impatient.abandon_rate.unwrap() > 0.0);
}

#[test]
fn zero_volume_needs_no_agents() {
    let s = required(&load(0.0, 180.0), &Targets::default()).unwrap();
    assert_eq!((s.agents_raw, s.agents_required), (0, 0));
    assert_eq!(s.service_level, 1.0);
}

#[test]
fn bad_targets_are_refused() {
    for bad in [
        Targets {
            service_level: Some(1.0),
            ..Default::default()
        },
        Targets {
            shrinkage: 1.0,
            ..Default::default()
        },
        Targets {
            max_occupancy: Some(0.0),
            ..Default::default()
        },
        Targets {
            concurrency: 0,
            ..Default::default()
        },
    ] {
        assert!(bad.validate().is_err(), "{bad:?}");
    }
    assert!(Targets::default().validate().is_ok());
}

proptest! {
    #[test]
    fn service_level_rises_and_asa_falls_with_agents(
        contacts in 1.0f64..2_000.0,
        aht in 30.0f64..900.0,
        extra in 1u32..30,
    ) {
        let l = load(contacts, aht);
        let a = l.intensity();
        let first = a.floor() as u32 + 1;
        let mut previous = evaluate(&l, first, &Targets::default());
        for n in first + 1..first + extra {
            let next = evaluate(&l, n, &Targets::default());
            prop_assert!(next.service_level >= previous.service_level - 1e-12);
            prop_assert!(next.asa_seconds <= previous.asa_seconds + 1e-9);
            previous = next;
        }
    }

    #[test]
    fn required_agents_never_fall_when_volume_rises(
        contacts in 0.0f64..3_000.0,
        more in 0.0f64..500.0,
        aht in 30.0f64..600.0,
    ) {
        let targets = Targets::default();
        let low = required(&load(contacts, aht), &targets).unwrap();
        let high = required(&load(contacts + more, aht), &targets).unwrap();
        prop_assert!(high.agents_raw >= low.agents_raw);
        prop_assert!(low.agents_raw == 0 || low.service_level >= 0.8);
    }
}
