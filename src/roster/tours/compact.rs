//! The tour LP in its compact form, solved once by interior point.
//!
//! Within one shape (days-off pattern × contract) the stretches of a tour are independent: each
//! takes any shift that meets the contract. So the LP over all tours of a shape equals one over
//! its agents `y` and, per stretch, how many of them work each shift `x` (Σₛ x = y for every
//! stretch): the implicit model of Bechtold & Jacobs (1990), exact here because the choices of
//! a stretch do not depend on each other. It has a variable per shape, stretch and shift
//! instead of one per tour, and clarabel (an interior-point solver) solves it in seconds where
//! the column generation, which needs a simplex re-solve per tour, stalls on sparse 24-hour
//! queues.
//!
//! Its optimum is the exact tour bound (as Farley's bound on its duals, valid whatever their
//! accuracy). Its point is the centre of the optimal face, not a
//! vertex, so it is not rounded itself: it is split into weighted tours (per shape, the
//! stretches' shift shares laid side by side on [0, y) and cut where any of them changes),
//! which join the column pool; the simplex over that pool gives the vertex the dive rounds.

use clarabel::algebra::CscMatrix;
use clarabel::solver::{
    DefaultSettingsBuilder, DefaultSolver, IPSolver, SolverStatus, SupportedConeT,
};

use super::search::{farley_bound, CoverState};
use super::{Shape, Tour};

/// Shares of a stretch below this (of one agent) are dropped before the split: the interior
/// point leaves every shift a sliver, and slivers multiply the tours the simplex then has to
/// price (December 1999 of the bank: 1,087 tours and a 4.2 s simplex at 0.001 of an agent,
/// 315 and 0.3 s at 0.1, the same 40 agents; the 911 queues 36 either way).
const SLIVER: f64 = 0.1;

/// A shape's columns: its agents `y`, and per stretch the (shift, column) of each choice.
type ShapeColumns = (usize, Vec<Vec<(usize, usize)>>);

/// The tours the compact LP's optimum splits into, and its bound on the tours of any roster of
/// `bound_required` (see `farley_bound`); `None` when the solver does not reach an optimum.
pub(super) fn relaxation(
    cover: &CoverState,
    shapes: &[Shape],
    classes: &[f64],
    bound_required: &[u32],
) -> Option<(Vec<Tour>, Vec<f64>, f64)> {
    let horizon = cover.horizon;
    // Columns: per shape its agents `y`, then per stretch one `x` per shift that covers a
    // required interval (a shift that covers none is never worth more than another).
    let mut cost: Vec<f64> = Vec::new();
    let mut layout: Vec<ShapeColumns> = Vec::new();
    let mut covering: Vec<Vec<usize>> = vec![Vec::new(); horizon.required.len()];
    for shape in shapes {
        let y = cost.len();
        cost.push(1.0);
        let mut stretches = Vec::new();
        for days in &shape.stretches {
            let mut choices = Vec::new();
            for &s in &shape.shifts {
                let column = cost.len();
                let mut any = false;
                for &day in days {
                    for t in horizon.covered(&cover.shifts[s], day) {
                        if horizon.required[t] > 0 {
                            covering[t].push(column);
                            any = true;
                        }
                    }
                }
                if any {
                    cost.push(0.0);
                    choices.push((s, column));
                }
            }
            stretches.push(choices);
        }
        layout.push((y, stretches));
    }
    let n = cost.len();
    // Clarabel's form: A x + s = b with s in the cones (zero for equalities, non-negative for
    // inequalities): Σₛ x − y = 0 per stretch, −Σ x ≤ −required per interval, every column ≥ 0.
    let (mut rows, mut cols, mut vals, mut b) = (Vec::new(), Vec::new(), Vec::new(), Vec::new());
    let mut push = |row: usize, col: usize, val: f64| {
        rows.push(row);
        cols.push(col);
        vals.push(val);
    };
    let mut m = 0;
    for (y, stretches) in &layout {
        for choices in stretches {
            if choices.is_empty() {
                continue;
            }
            push(m, *y, -1.0);
            for &(_, column) in choices {
                push(m, column, 1.0);
            }
            b.push(0.0);
            m += 1;
        }
    }
    let equalities = m;
    // The interval of each coverage row, whose dual is that interval's price.
    let mut priced: Vec<usize> = Vec::new();
    for (t, columns) in covering.iter().enumerate() {
        if columns.is_empty() {
            continue;
        }
        priced.push(t);
        for &column in columns {
            push(m, column, -1.0);
        }
        b.push(-(horizon.required[t] as f64));
        m += 1;
    }
    for column in 0..n {
        push(m, column, -1.0);
        b.push(0.0);
        m += 1;
    }
    if equalities == 0 {
        return None;
    }
    let a = CscMatrix::new_from_triplets(m, n, rows, cols, vals);
    let p = CscMatrix::<f64>::zeros((n, n));
    let cones = [
        SupportedConeT::ZeroConeT(equalities),
        SupportedConeT::NonnegativeConeT(m - equalities),
    ];
    let settings = DefaultSettingsBuilder::default()
        .verbose(false)
        .tol_gap_abs(1e-6)
        .tol_gap_rel(1e-6)
        .tol_feas(1e-6)
        .time_limit(super::LP_TIME_LIMIT.as_secs_f64())
        .build()
        .ok()?;
    let mut solver = DefaultSolver::new(&p, &cost, &a, &b, &cones, settings).ok()?;
    solver.solve();
    let solution = &solver.solution;
    if !matches!(
        solution.status,
        SolverStatus::Solved | SolverStatus::AlmostSolved
    ) {
        return None;
    }
    // An interior point's duals are only nearly feasible, so its dual objective is not quite a
    // bound: Farley's bound on its coverage duals is one whatever their accuracy, and equals the
    // LP optimum (to solver tolerance) when they are optimal.
    let mut prices = vec![0.0; horizon.required.len()];
    for (i, &t) in priced.iter().enumerate() {
        prices[t] = solution.z[equalities + i];
    }
    let bound = farley_bound(cover, shapes, classes, &prices, bound_required);
    let mut tours: Vec<Tour> = Vec::new();
    let mut weights: Vec<f64> = Vec::new();
    for (shape, (y, stretches)) in shapes.iter().zip(&layout) {
        let agents = solution.x[*y];
        if agents < SLIVER {
            continue;
        }
        // Per stretch, the cumulative shares of its shifts, scaled to sum to `agents`.
        let mut cuts: Vec<f64> = vec![0.0, agents];
        let mut shares: Vec<Vec<(usize, f64)>> = Vec::new();
        for choices in stretches {
            let mut kept: Vec<(usize, f64)> = choices
                .iter()
                .map(|&(s, column)| (s, solution.x[column].max(0.0)))
                .filter(|&(_, x)| x >= SLIVER)
                .collect();
            if kept.is_empty() {
                // A stretch where no shift covers anything required: any shift will do.
                kept.push((shape.shifts[0], agents));
            }
            let total: f64 = kept.iter().map(|k| k.1).sum();
            let mut end = 0.0;
            let scaled: Vec<(usize, f64)> = kept
                .iter()
                .map(|&(s, x)| {
                    end += x / total * agents;
                    cuts.push(end);
                    (s, end)
                })
                .collect();
            shares.push(scaled);
        }
        cuts.sort_by(f64::total_cmp);
        cuts.dedup_by(|a, b| (*a - *b).abs() < 1e-9);
        for pair in cuts.windows(2) {
            if pair[1] - pair[0] < 1e-6 {
                continue;
            }
            let middle = (pair[0] + pair[1]) / 2.0;
            let tour = Tour {
                pattern: shape.pattern,
                contract_hours: classes[shape.class],
                stretches: shape
                    .stretches
                    .iter()
                    .zip(&shares)
                    .map(|(days, scaled)| {
                        let s = scaled
                            .iter()
                            .find(|&&(_, end)| middle < end)
                            .or(scaled.last())
                            .map_or(0, |&(s, _)| s);
                        (days.clone(), s)
                    })
                    .collect(),
            };
            match tours.iter().position(|t| *t == tour) {
                Some(j) => weights[j] += pair[1] - pair[0],
                None => {
                    tours.push(tour);
                    weights.push(pair[1] - pair[0]);
                }
            }
        }
    }
    Some((tours, weights, bound))
}
