//! `forecast.csv` read back and checked: times, values inside their band, one interval length.

use super::*;

/// Reads and checks a forecast file: times parse, values are numbers ≥ 0, no duplicate
/// (timestamp, region), one interval length.
pub(super) fn read_forecast_file(path: &Path) -> Result<Forecasts> {
    let mut has_band = false;
    let mut has_aht = false;
    let (cells, first_row) = read_columns(path, None, |found| {
        let has = |name: &str| found.iter().any(|f| f == name);
        if !has("forecast") {
            if let Some(message) = not_a_forecast(found) {
                return Err(WfmError::Invalid {
                    path: path.to_path_buf(),
                    message: message.into(),
                });
            }
        }
        let require = |name: &str| {
            if has(name) {
                Ok(name.to_string())
            } else {
                Err(WfmError::MissingColumn {
                    path: path.to_path_buf(),
                    column: name.into(),
                    flag: "the forecast file's header (timestamp,region,forecast,lower,upper)",
                    found: found.to_vec(),
                })
            }
        };
        has_band = has("lower") && has("upper");
        has_aht = has(DEFAULT_AHT_COLUMN);
        Ok(vec![
            Some((require("timestamp")?, Kind::Time)),
            has(DEFAULT_REGION_COLUMN).then(|| (DEFAULT_REGION_COLUMN.to_string(), Kind::Text)),
            Some((require("forecast")?, Kind::Number)),
            has_band.then(|| ("lower".to_string(), Kind::Number)),
            has_band.then(|| ("upper".to_string(), Kind::Number)),
            has_aht.then(|| (DEFAULT_AHT_COLUMN.to_string(), Kind::Number)),
        ])
    })
    .map_err(|e| {
        crate::data::small_csv::as_wfm_writes_it(crate::data::small_csv::expecting_header(
            e,
            FORECAST_HEADER,
        ))
    })?;
    let cells: [Cells; 6] = cells.try_into().map_err(|_| WfmError::NoDataRows {
        path: path.to_path_buf(),
    })?;
    // Runs of rows are parsed in parallel, each grouped by region in order of first appearance,
    // and joined in file order: the regions, rows and first error of one pass.
    let parts = in_runs(
        &cells,
        first_row,
        |cells, first_row| -> Result<Vec<RegionForecast>> {
            let mut regions: Vec<RegionForecast> = Vec::new();
            let mut index_of: HashMap<String, usize> = HashMap::new();
            let mut current: Option<usize> = None;
            let rows = cells[0]
                .iter()
                .zip(cells[1].iter())
                .zip(cells[2].iter().zip(cells[3].iter().zip(cells[4].iter())))
                .zip(cells[5].iter())
                .enumerate();
            for (i, (((time, region), (forecast, (lower, upper))), aht)) in rows {
                let row = i + first_row;
                let bad =
                    |column: &str, problem: String| WfmError::bad_value(path, row, column, problem);
                let (minute, name) = own_row_key(time, region, bad)?;
                let number = |cell: Cell<'_>, column: &str| -> Result<f64> {
                    match parse_number(cell) {
                        Number::Value(v) if v > crate::limits::MAX_CONTACTS_PER_INTERVAL => {
                            Err(bad(
                                column,
                                format!(
                                    "{} contacts: expected at most 1e9 in one interval",
                                    crate::limits::short_number(v)
                                ),
                            ))
                        }
                        Number::Value(v) if v >= 0.0 => Ok(v),
                        Number::Value(v) => {
                            Err(bad(column, format!("negative value {v} (expected ≥ 0)")))
                        }
                        Number::Missing => {
                            Err(bad(column, "empty value (expected a number ≥ 0)".into()))
                        }
                        Number::Bad(text) => Err(bad(
                            column,
                            format!(
                                "cannot read \"{text}\" as a number{}",
                                crate::data::read::formats::own_file_hint(text)
                            ),
                        )),
                    }
                };
                let value = number(forecast, "forecast")?;
                let aht = match parse_number(aht) {
                    Number::Value(v) if v > crate::limits::MAX_SECONDS => {
                        return Err(bad(
                            DEFAULT_AHT_COLUMN,
                            format!(
                                "a handle time of {} seconds: expected at most 86,400 (a day)",
                                crate::limits::short_number(v)
                            ),
                        ))
                    }
                    Number::Value(v) if v >= 0.0 => v,
                    Number::Missing => f64::NAN,
                    Number::Value(v) => {
                        return Err(bad(DEFAULT_AHT_COLUMN, format!("negative handle time {v}")))
                    }
                    Number::Bad(text) => {
                        return Err(bad(
                            DEFAULT_AHT_COLUMN,
                            format!(
                                "cannot read \"{text}\" as a number of seconds{}",
                                crate::data::read::formats::own_file_hint(text)
                            ),
                        ))
                    }
                };
                let band = if has_band {
                    let (lo, hi) = (number(lower, "lower")?, number(upper, "upper")?);
                    if lo > value || value > hi {
                        return Err(bad(
                        "lower",
                        format!(
                            "the band [{lo}, {hi}] does not hold the forecast {value} (expected lower ≤ forecast ≤ upper)"
                        ),
                    ));
                    }
                    Some((lo, hi))
                } else {
                    None
                };
                // Files are sorted by region: compare with the previous row's region before hashing
                // (and allocating its name) again.
                let g = match current {
                    Some(g) if regions[g].region == name => g,
                    _ => {
                        let g = *index_of.entry(name.to_string()).or_insert_with(|| {
                            regions.push(RegionForecast {
                                region: name.to_string(),
                                aht_seconds: has_aht.then(Vec::new),
                                ..RegionForecast::default()
                            });
                            regions.len() - 1
                        });
                        current = Some(g);
                        g
                    }
                };
                let series = &mut regions[g];
                series.minutes.push(minute);
                series.point.push(value);
                let (lo, hi) = band.unwrap_or((f64::NAN, f64::NAN));
                series.lower.push(lo);
                series.upper.push(hi);
                if let Some(a) = series.aht_seconds.as_mut() {
                    a.push(aht);
                }
                series.rows.push(row);
            }
            Ok(regions)
        },
    );
    let mut regions: Vec<RegionForecast> = Vec::new();
    let mut index_of: HashMap<String, usize> = HashMap::new();
    for part in parts {
        for series in part? {
            match index_of.get(&series.region) {
                Some(&g) => regions[g].append(series),
                None => {
                    index_of.insert(series.region.clone(), regions.len());
                    regions.push(series);
                }
            }
        }
    }
    let mut steps = crate::data::grid::StepCounts::default();
    for series in &mut regions {
        sort_by_time(series);
        for w in 0..series.minutes.len().saturating_sub(1) {
            let (a, b) = (series.minutes[w], series.minutes[w + 1]);
            if a == b {
                return Err(WfmError::Duplicate {
                    path: path.to_path_buf(),
                    row: series.rows[w + 1].max(series.rows[w]),
                    first_row: series.rows[w + 1].min(series.rows[w]),
                    columns: "columns \"timestamp\" and \"region\"".into(),
                    timestamp: crate::time::format_minute(a),
                    region: series.region.clone(),
                });
            }
            steps.add(b - a);
        }
    }
    let interval = steps
        .finish()
        .iter()
        .max_by_key(|(&step, &count)| (count, std::cmp::Reverse(step)))
        .map(|(&step, _)| step)
        .unwrap_or(60);
    if crate::time::IntervalLength::new(interval).is_none() {
        return Err(WfmError::Invalid {
            path: path.to_path_buf(),
            message: format!(
                "rows are most often {interval} minutes apart, which does not divide a day"
            ),
        });
    }
    for series in &regions {
        if let Some(w) = (1..series.minutes.len())
            .find(|&w| (series.minutes[w] - series.minutes[w - 1]) % interval != 0)
        {
            return Err(WfmError::MixedIntervals {
                path: path.to_path_buf(),
                row: series.rows[w],
                column: "timestamp".into(),
                region: series.region.clone(),
                detail: format!(
                    "{} is off the {interval}-minute interval grid",
                    crate::time::format_minute(series.minutes[w])
                ),
            });
        }
    }
    for series in &mut regions {
        series.interval_minutes = interval as u32;
        // A file does not say which intervals were closed: those with nothing forecast and
        // nothing in the band look it.
        series.closed = (series.point.iter().zip(&series.upper))
            .map(|(&p, &u)| p == 0.0 && (u <= 0.0 || u.is_nan()))
            .collect();
        series.special_day = vec![None; series.len()];
    }
    Ok(Forecasts {
        interval_minutes: interval as u32,
        until_minute: None,
        path: Some(path.to_path_buf()),
        regions,
    })
}

/// The header of a forecast file, for messages.
pub(super) const FORECAST_HEADER: &str = "timestamp,region,forecast,lower,upper";

/// What a file without a `forecast` column given as a forecast is, when it is another file of
/// the pipeline: the message says which command takes it.
pub(super) fn not_a_forecast(found: &[String]) -> Option<&'static str> {
    let has = |name: &str| found.iter().any(|f| f == name);
    if has("agents_required") {
        Some(
            "this is a requirements file (as wfm staff writes it), not a forecast; give it to wfm \
             schedule or wfm roster",
        )
    } else if has("contacts") {
        Some(
            "this looks like a history file (it has \"contacts\", not \"forecast\"), not a \
             forecast; run wfm forecast on it first, and give its output (forecast.csv) here",
        )
    } else {
        None
    }
}

pub(super) fn sort_by_time(series: &mut RegionForecast) {
    if series.minutes.is_sorted() {
        return;
    }
    let mut order: Vec<usize> = (0..series.minutes.len()).collect();
    order.sort_by_key(|&i| (series.minutes[i], series.rows[i]));
    fn pick<T: Copy>(order: &[usize], values: &[T]) -> Vec<T> {
        order.iter().map(|&i| values[i]).collect()
    }
    series.point = pick(&order, &series.point);
    series.lower = pick(&order, &series.lower);
    series.upper = pick(&order, &series.upper);
    series.aht_seconds = series.aht_seconds.as_deref().map(|v| pick(&order, v));
    series.rows = pick(&order, &series.rows);
    series.minutes = pick(&order, &series.minutes);
}
