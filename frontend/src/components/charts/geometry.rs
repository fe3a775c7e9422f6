//! Chart geometry: scales, tick values, paths and arcs. Pure functions.

use std::f64::consts::PI;

/// Maps a domain of values linearly onto a range of pixels.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Scale {
    /// Smallest and largest value.
    pub domain: (f64, f64),
    /// Pixel positions of the two ends.
    pub range: (f64, f64),
}

impl Scale {
    /// The pixel position of `v`.
    pub fn at(&self, v: f64) -> f64 {
        let (d0, d1) = self.domain;
        let (r0, r1) = self.range;
        if d1 == d0 { (r0 + r1) / 2.0 } else { r0 + (v - d0) / (d1 - d0) * (r1 - r0) }
    }
}

/// Round tick values covering [min, max]: about `count` of them, at 1, 2 or 5 × 10ⁿ steps.
/// The first tick is at or below `min`, the last at or above `max`; zero is always included
/// when the range spans it.
pub fn nice_ticks(min: f64, max: f64, count: usize) -> Vec<f64> {
    nice_ticks_at_least(min, max, count, 0.0)
}

/// [`nice_ticks`] with steps of at least `least` (1 for counts, which have no halves).
pub fn nice_ticks_at_least(min: f64, max: f64, count: usize, least: f64) -> Vec<f64> {
    let (min, max) =
        if min == max { (min.min(0.0), max.max(0.0).max(min + 1.0)) } else { (min.min(max), max.max(min)) };
    let raw = (max - min) / count.max(1) as f64;
    let magnitude = 10f64.powf(raw.log10().floor());
    let step = [1.0, 2.0, 5.0, 10.0].iter().map(|m| m * magnitude).find(|s| *s >= raw).unwrap_or(10.0 * magnitude);
    let step = step.max(least);
    let start = (min / step).floor() * step;
    let mut ticks = Vec::new();
    let mut t = start;
    loop {
        // Snap away float noise such as 0.30000000000000004.
        let tick = (t / step).round() * step;
        ticks.push(tick);
        if tick >= max - step * 1e-9 || ticks.len() > 100 {
            break;
        }
        t += step;
    }
    ticks
}

/// A polyline path through `values`, spread over `width` and fitted into `height` (top = max).
pub fn sparkline_path(values: &[f64], width: f64, height: f64) -> String {
    let (lo, hi) = values.iter().fold((f64::INFINITY, f64::NEG_INFINITY), |(lo, hi), v| (lo.min(*v), hi.max(*v)));
    let x = Scale { domain: (0.0, (values.len().max(2) - 1) as f64), range: (1.0, width - 1.0) };
    let y = Scale { domain: (lo, hi), range: (height - 2.0, 2.0) };
    values
        .iter()
        .enumerate()
        .map(|(i, v)| format!("{}{:.1},{:.1}", if i == 0 { "M" } else { "L" }, x.at(i as f64), y.at(*v)))
        .collect()
}

/// The SVG paths through `points`: solid where both ends of a segment are whole periods,
/// dashed (the second path) where either end is `partial` (counted to date only).
pub fn line_paths(points: &[(f64, f64)], partial: &[bool]) -> (String, String) {
    let is_partial = |i: usize| partial.get(i).copied().unwrap_or(false);
    let mut paths = [String::new(), String::new()];
    // Where each path's current run ends, so a run continues without a new move.
    let mut ends = [None, None];
    for (i, pair) in points.windows(2).enumerate() {
        let k = usize::from(is_partial(i) || is_partial(i + 1));
        let ((x0, y0), (x1, y1)) = (pair[0], pair[1]);
        if ends[k] != Some(i) {
            paths[k].push_str(&format!("M{x0:.1},{y0:.1}"));
        }
        paths[k].push_str(&format!("L{x1:.1},{y1:.1}"));
        ends[k] = Some(i + 1);
    }
    let [solid, dashed] = paths;
    (solid, dashed)
}

/// The point at `fraction` of a circle of radius `r` around (`cx`, `cy`): 0 at the top, clockwise.
pub fn polar(cx: f64, cy: f64, r: f64, fraction: f64) -> (f64, f64) {
    let angle = fraction * 2.0 * PI - PI / 2.0;
    (cx + r * angle.cos(), cy + r * angle.sin())
}

/// The SVG path of a donut slice from `start` to `end` (fractions of the circle, 0 at the
/// top, clockwise) between radii `inner` and `outer` around (`cx`, `cy`).
pub fn donut_arc(cx: f64, cy: f64, inner: f64, outer: f64, start: f64, end: f64) -> String {
    // A whole circle cannot be one arc: stop just short of it.
    let end = if end - start >= 1.0 { start + 0.99999 } else { end };
    let point = |r: f64, f: f64| polar(cx, cy, r, f);
    let large = if end - start > 0.5 { 1 } else { 0 };
    let (x0, y0) = point(outer, start);
    let (x1, y1) = point(outer, end);
    let (x2, y2) = point(inner, end);
    let (x3, y3) = point(inner, start);
    format!(
        "M{x0:.2},{y0:.2}A{outer},{outer} 0 {large} 1 {x1:.2},{y1:.2}L{x2:.2},{y2:.2}A{inner},{inner} 0 {large} 0 {x3:.2},{y3:.2}Z"
    )
}

/// The cumulative fractions at which each slice starts and ends; slices of zero or less take
/// no room. All zero gives no slices.
pub fn donut_fractions(values: &[f64]) -> Vec<(f64, f64)> {
    let total: f64 = values.iter().filter(|v| **v > 0.0).sum();
    let mut at = 0.0;
    values
        .iter()
        .map(|v| {
            let share = if total > 0.0 && *v > 0.0 { v / total } else { 0.0 };
            let span = (at, at + share);
            at += share;
            span
        })
        .collect()
}

/// For stacked bars: per category, each series' (bottom, top) in value units. Negative values
/// stack downwards from zero, positive ones upwards.
pub fn stack(series: &[Vec<f64>], categories: usize) -> Vec<Vec<(f64, f64)>> {
    let mut up = vec![0.0; categories];
    let mut down = vec![0.0; categories];
    series
        .iter()
        .map(|values| {
            (0..categories)
                .map(|c| {
                    let v = values.get(c).copied().unwrap_or(0.0);
                    if v >= 0.0 {
                        let span = (up[c], up[c] + v);
                        up[c] += v;
                        span
                    } else {
                        let span = (down[c] + v, down[c]);
                        down[c] += v;
                        span
                    }
                })
                .collect()
        })
        .collect()
}

/// The value extent a chart must show: always including zero, never empty.
pub fn extent(values: impl Iterator<Item = f64>) -> (f64, f64) {
    let (lo, hi) = values.fold((0.0f64, 0.0f64), |(lo, hi), v| (lo.min(v), hi.max(v)));
    if lo == hi { (0.0, 1.0) } else { (lo, hi) }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_scale_maps_ends_to_ends_and_can_flip() {
        let s = Scale { domain: (0.0, 100.0), range: (200.0, 0.0) };
        assert_eq!(s.at(0.0), 200.0);
        assert_eq!(s.at(100.0), 0.0);
        assert_eq!(s.at(25.0), 150.0);
    }

    #[test]
    fn ticks_are_round_and_cover_the_range() {
        assert_eq!(nice_ticks(0.0, 100.0, 5), vec![0.0, 20.0, 40.0, 60.0, 80.0, 100.0]);
        assert_eq!(nice_ticks(0.0, 0.9, 3), vec![0.0, 0.5, 1.0]);
        let t = nice_ticks(-30.0, 70.0, 4);
        assert!(t.contains(&0.0) && t[0] <= -30.0 && *t.last().unwrap() >= 70.0, "{t:?}");
        assert_eq!(nice_ticks(5.0, 5.0, 4).first(), Some(&0.0), "a flat series still has an axis");
    }

    #[test]
    fn donut_slices_share_the_circle_in_proportion() {
        let f = donut_fractions(&[1.0, 3.0, 0.0, -2.0]);
        assert_eq!(f, vec![(0.0, 0.25), (0.25, 1.0), (1.0, 1.0), (1.0, 1.0)]);
        assert!(donut_fractions(&[0.0, 0.0]).iter().all(|(a, b)| a == b));
    }

    #[test]
    fn a_full_donut_arc_is_still_drawable() {
        let path = donut_arc(50.0, 50.0, 30.0, 50.0, 0.0, 1.0);
        assert!(path.starts_with("M50.00,0.00A50,50 0 1 1 "));
        assert!(!path.contains("NaN"));
    }

    #[test]
    fn stacks_grow_up_from_zero_and_negatives_go_down() {
        let s = stack(&[vec![2.0, -1.0], vec![3.0, -4.0]], 2);
        assert_eq!(s[0], vec![(0.0, 2.0), (-1.0, 0.0)]);
        assert_eq!(s[1], vec![(2.0, 5.0), (-5.0, -1.0)]);
    }

    #[test]
    fn count_ticks_have_no_halves() {
        assert_eq!(nice_ticks_at_least(0.0, 1.0, 4, 1.0), vec![0.0, 1.0]);
        assert_eq!(nice_ticks(0.0, 1.0, 4), vec![0.0, 0.5, 1.0]);
    }

    #[test]
    fn segments_touching_a_partial_period_are_dashed() {
        let points = [(0.0, 5.0), (10.0, 6.0), (20.0, 7.0), (30.0, 8.0)];
        let (solid, dashed) = line_paths(&points, &[false, false, false, true]);
        assert_eq!(solid, "M0.0,5.0L10.0,6.0L20.0,7.0");
        assert_eq!(dashed, "M20.0,7.0L30.0,8.0");
        let (solid, dashed) = line_paths(&points, &[]);
        assert_eq!((solid.matches('M').count(), dashed.as_str()), (1, ""));
    }

    #[test]
    fn sparkline_visits_every_point_left_to_right() {
        let p = sparkline_path(&[1.0, 3.0, 2.0], 120.0, 28.0);
        assert_eq!(p.matches('L').count(), 2);
        assert!(p.starts_with("M1.0,26.0"));
    }
}
