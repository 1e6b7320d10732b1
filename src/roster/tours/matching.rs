//! Tours to named agents: a minimum-cost assignment, solved as a flow over kinds of tour.

use std::cmp::Reverse;
use std::collections::{BinaryHeap, HashMap};

use super::{DayShift, DaysOff, Horizon, Tour};
use crate::roster::agents::Agent;
use crate::roster::rules::WorkRules;
use crate::time::MINUTES_PER_DAY;

/// Where an agent's previous block of the horizon left them: what the first tour of the next
/// block must respect (rest, consecutive working days) and what it should keep (the pattern).
#[derive(Debug, Clone, Copy, PartialEq)]
pub(super) struct Seam {
    /// End of the agent's last shift, minutes since the epoch.
    pub last_end_minute: i64,
    /// Working days in a row up to and including the previous block's last day (0 when it
    /// was a day off).
    pub trailing_days: u32,
    /// The days-off pattern of the previous block's tour.
    pub pattern: DaysOff,
}

/// What one kind of tour asks of the agent who takes it at the start of its block: its first
/// shift's start (minutes since the epoch) and the working days in a row from the block's
/// first day.
pub(super) fn opening(horizon: &Horizon, tour: &Tour, shifts: &[DayShift]) -> Option<(i64, u32)> {
    let (days, s) = tour.stretches.first()?;
    let first = *days.first()?;
    let start =
        (horizon.first_day + first as i64) * MINUTES_PER_DAY + shifts[*s].start_minute_of_day;
    let leading = if first == 0 { days.len() as u32 } else { 0 };
    Some((start, leading))
}

/// Whether `agent` may work `tour`: its contract, their days off, start and end limits.
pub(super) fn may_work(
    agent: &Agent,
    tour: &Tour,
    shifts: &[DayShift],
    contract_of: &dyn Fn(&Agent) -> f64,
) -> bool {
    contract_of(agent) == tour.contract_hours
        && tour.pattern & agent.days_off == agent.days_off
        && tour.stretches.iter().all(|(_, s)| {
            let shift = &shifts[*s];
            agent
                .earliest_start_minute
                .is_none_or(|e| shift.start_minute_of_day >= e as i64)
                && agent
                    .latest_end_minute
                    .is_none_or(|l| shift.start_minute_of_day + shift.length_minutes <= l as i64)
        })
}

/// Whether a shift of `tour` overlaps the agent's dated time off.
pub(super) fn works_during_leave(
    horizon: &Horizon,
    tour: &Tour,
    shifts: &[DayShift],
    agent: &Agent,
) -> bool {
    tour.stretches.iter().any(|(days, s)| {
        let shift = &shifts[*s];
        days.iter().any(|&day| {
            let start =
                (horizon.first_day + day as i64) * MINUTES_PER_DAY + shift.start_minute_of_day;
            agent.is_on_leave(start, start + shift.length_minutes)
        })
    })
}

/// `tour` with the days whose shift overlaps `agent`'s dated time off taken out (leave takes
/// the shift out of the tour), its stretches split where a day went.
pub(super) fn without_leave(
    horizon: &Horizon,
    tour: &Tour,
    shifts: &[DayShift],
    agent: &Agent,
) -> Tour {
    let mut stretches = Vec::new();
    for (days, s) in &tour.stretches {
        let shift = &shifts[*s];
        let mut run: Vec<usize> = Vec::new();
        for &day in days {
            let start =
                (horizon.first_day + day as i64) * MINUTES_PER_DAY + shift.start_minute_of_day;
            if agent.is_on_leave(start, start + shift.length_minutes) {
                if !run.is_empty() {
                    stretches.push((std::mem::take(&mut run), *s));
                }
            } else {
                run.push(day);
            }
        }
        if !run.is_empty() {
            stretches.push((run, *s));
        }
    }
    Tour {
        stretches,
        ..tour.clone()
    }
}

/// Whether `seam` allows a tour opening with `opening` under the rules.
pub(super) fn seam_allows(seam: &Seam, opening: Option<(i64, u32)>, rules: &WorkRules) -> bool {
    let rest = (rules.min_rest_hours * 60.0).round() as i64;
    opening.is_none_or(|(start, leading)| {
        start >= seam.last_end_minute + rest
            && seam.trailing_days + leading <= rules.max_consecutive_days
    })
}

/// Assigns each tour to a named agent or to nobody (a hire): a minimum-cost assignment where a
/// tour an agent may not work (contract, days off, start and end limits, and with `seams` the
/// rest and consecutive days across the seam with the agent's previous block) is barred, every
/// tour given to an agent saves a hire, which outweighs any preferences, and otherwise the cost
/// is the days the tour misses the agent's preferences (a start outside the window of the
/// preferred one, a preferred day off worked) times their weight, and a change of days-off
/// pattern at the seam. So as many tours as possible get someone, and among such assignments
/// the most preferences are met.
///
/// Identical tours are one kind with a count, so the work grows with the agents and the kinds,
/// not with the tours: successive shortest paths (with potentials) on the flow network source →
/// agents → kinds (capacity: their count) → sink, one agent at a time, until no path gains.
pub(super) fn match_agents(
    horizon: &Horizon,
    tours: &[Tour],
    shifts: &[DayShift],
    agents: &[&Agent],
    contract_of: &dyn Fn(&Agent) -> f64,
    rules: &WorkRules,
    chain: Option<Chain>,
) -> Matched {
    // A tour matched saves this much; far above any preference cost (at most a few million).
    const HIRE: i64 = 1 << 50;
    // An agent who works no earlier block costs this much more than one who does (far below a
    // hire): once on the roster, an agent keeps working, week after week.
    const NEW_AGENT: i64 = 1 << 40;
    let seams = chain.map(|c| c.seams);
    let window = (rules.start_time_window_hours * 60.0).round() as i64;
    let mut kind_of: HashMap<(DaysOff, u64, Vec<usize>), usize> = HashMap::new();
    let mut kinds: Vec<Vec<usize>> = Vec::new();
    for (k, tour) in tours.iter().enumerate() {
        let key = (
            tour.pattern,
            tour.contract_hours.to_bits(),
            tour.stretches.iter().map(|(_, s)| *s).collect(),
        );
        let next = kinds.len();
        let kind = *kind_of.entry(key).or_insert(next);
        if kind == next {
            kinds.push(Vec::new());
        }
        kinds[kind].push(k);
    }
    // The cost of agent `a` on a tour of kind `q`, or `None` when barred.
    let cost = |a: usize, q: usize| -> Option<i64> {
        let tour = &tours[kinds[q][0]];
        let agent = agents[a];
        let allowed = may_work(agent, tour, shifts, contract_of)
            && (agent.time_off.is_empty() || !works_during_leave(horizon, tour, shifts, agent));
        let seam = seams.and_then(|s: &[Option<Seam>]| s[a]);
        if !allowed
            || seam.is_some_and(|seam| !seam_allows(&seam, opening(horizon, tour, shifts), rules))
        {
            return None;
        }
        // In hundredths of a day times the agent's weight.
        let missed_starts: i64 = tour
            .stretches
            .iter()
            .filter(|(_, s)| {
                agent.preferred_start_met(shifts[*s].start_minute_of_day, window) == Some(false)
            })
            .map(|(days, _)| days.len() as i64)
            .sum();
        let worked_off = tour
            .stretches
            .iter()
            .flat_map(|(days, _)| days.iter())
            .filter(|&&day| agent.preferred_days_off & (1 << horizon.weekday(day)) != 0)
            .count() as i64;
        let preferences =
            ((missed_starts + worked_off) as f64 * agent.preference_weight * 100.0).round() as i64;
        let new_pattern = i64::from(seam.is_some_and(|s| s.pattern != tour.pattern));
        let newcomer = match chain {
            Some(c) if !c.working[a] => NEW_AGENT,
            _ => 0,
        };
        Some(preferences + new_pattern + newcomer - HIRE)
    };
    let (m, n_kinds) = (agents.len(), kinds.len());
    // Nodes: 0 source, 1..=m agents, then the kinds, then the sink.
    let sink = m + n_kinds + 1;
    let kind_node = |q: usize| m + 1 + q;
    let mut graph = Graph::new(sink + 1);
    for a in 0..m {
        graph.add(0, 1 + a, 1, 0);
        for q in 0..n_kinds {
            if let Some(c) = cost(a, q) {
                graph.add(1 + a, kind_node(q), 1, c);
            }
        }
    }
    for (q, members) in kinds.iter().enumerate() {
        graph.add(kind_node(q), sink, members.len() as i64, 0);
    }
    graph.min_cost_flow(0, sink);
    let mut agent_of = vec![None; tours.len()];
    let mut handed = vec![0usize; n_kinds];
    let mut matched = vec![false; m];
    for (a, is_matched) in matched.iter_mut().enumerate() {
        for &e in &graph.out[1 + a] {
            let edge = &graph.edges[e];
            if edge.to > m && edge.to < sink && edge.capacity == 0 {
                let q = edge.to - m - 1;
                agent_of[kinds[q][handed[q]]] = Some(a);
                handed[q] += 1;
                *is_matched = true;
            }
        }
    }
    // An agent who works earlier blocks and got no tour here would have a week of no hours:
    // they get a copy of the tour they may work at least cost (coverage only grows).
    let mut extra = Vec::new();
    if let Some(c) = chain {
        for a in (0..m).filter(|&a| c.working[a] && !matched[a]) {
            let best = (0..n_kinds)
                .filter_map(|q| cost(a, q).map(|c| (c, q)))
                .min();
            if let Some((_, q)) = best {
                extra.push((kinds[q][0], a));
            }
        }
    }
    Matched { agent_of, extra }
}

/// What the blocks before this one leave each agent with.
#[derive(Clone, Copy)]
pub(super) struct Chain<'a> {
    /// Per agent, where their last block's tour ended (`None`: no tour in the last block).
    pub seams: &'a [Option<Seam>],
    /// Per agent, whether they work any block before.
    pub working: &'a [bool],
}

/// Tours matched to agents.
pub(super) struct Matched {
    /// Per tour, its agent (index into the agents given), or `None` for a hire.
    pub agent_of: Vec<Option<usize>>,
    /// Copies of tours (index) given to agents (index) who would otherwise have no hours in a
    /// block after working earlier ones.
    pub extra: Vec<(usize, usize)>,
}

struct Edge {
    to: usize,
    capacity: i64,
    cost: i64,
}

/// A flow network with residual edges (edge `e ^ 1` is the reverse of `e`).
struct Graph {
    edges: Vec<Edge>,
    out: Vec<Vec<usize>>,
}

impl Graph {
    fn new(nodes: usize) -> Self {
        Graph {
            edges: Vec::new(),
            out: vec![Vec::new(); nodes],
        }
    }

    fn add(&mut self, from: usize, to: usize, capacity: i64, cost: i64) {
        self.out[from].push(self.edges.len());
        self.edges.push(Edge { to, capacity, cost });
        self.out[to].push(self.edges.len());
        self.edges.push(Edge {
            to: from,
            capacity: 0,
            cost: -cost,
        });
    }

    /// Augments one unit at a time along the cheapest path while it costs less than nothing
    /// (each unit is a tour matched, worth a hire saved). Dijkstra on costs reduced by
    /// potentials; the first potentials are the distances of the layered network (source →
    /// agents → kinds → sink), which has no cycle.
    fn min_cost_flow(&mut self, source: usize, sink: usize) {
        let nodes = self.out.len();
        const FAR: i64 = i64::MAX / 4;
        let mut potential = vec![FAR; nodes];
        potential[source] = 0;
        // Layered: source, agents, kinds, sink, in node order.
        for v in 0..nodes {
            if potential[v] == FAR {
                continue;
            }
            for &e in &self.out[v] {
                let edge = &self.edges[e];
                if edge.capacity > 0 && edge.to > v {
                    potential[edge.to] = potential[edge.to].min(potential[v] + edge.cost);
                }
            }
        }
        for p in potential.iter_mut() {
            if *p == FAR {
                *p = 0;
            }
        }
        let mut distance = vec![FAR; nodes];
        let mut via = vec![usize::MAX; nodes];
        loop {
            distance.fill(FAR);
            via.fill(usize::MAX);
            distance[source] = 0;
            let mut heap = BinaryHeap::new();
            heap.push(Reverse((0i64, source)));
            while let Some(Reverse((d, v))) = heap.pop() {
                if d > distance[v] {
                    continue;
                }
                for &e in &self.out[v] {
                    let edge = &self.edges[e];
                    if edge.capacity <= 0 {
                        continue;
                    }
                    let reduced = edge.cost + potential[v] - potential[edge.to];
                    let next = d + reduced;
                    if next < distance[edge.to] {
                        distance[edge.to] = next;
                        via[edge.to] = e;
                        heap.push(Reverse((next, edge.to)));
                    }
                }
            }
            if distance[sink] >= FAR {
                return;
            }
            // The path's true cost: reduced distance plus the potential difference.
            if distance[sink] + potential[sink] - potential[source] >= 0 {
                return;
            }
            for v in 0..nodes {
                if distance[v] < FAR {
                    potential[v] += distance[v];
                }
            }
            let mut v = sink;
            while v != source {
                let e = via[v];
                self.edges[e].capacity -= 1;
                self.edges[e ^ 1].capacity += 1;
                v = self.edges[e ^ 1].to;
            }
        }
    }
}
