//! A Prometheus histogram: counts per upper bound, their sum and their count.

use std::fmt::Write;

/// Upper bounds in seconds: a dashboard answers in milliseconds, an import in seconds.
pub const BUCKETS: [f64; 14] = [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0, 60.0];

/// Observations of one series.
#[derive(Debug, Clone, Default)]
pub struct Histogram {
    below: [u64; BUCKETS.len()],
    sum: f64,
    count: u64,
}

impl Histogram {
    /// Counts one observation of `seconds`.
    pub fn observe(&mut self, seconds: f64) {
        for (bound, n) in BUCKETS.iter().zip(self.below.iter_mut()) {
            if seconds <= *bound {
                *n += 1;
            }
        }
        self.sum += seconds;
        self.count += 1;
    }

    /// How many were observed.
    pub fn count(&self) -> u64 {
        self.count
    }

    /// The series' lines: `name_bucket{labels,le="…"}`, `name_sum`, `name_count`; `labels`
    /// are written `key="value",…` without braces (empty for none).
    pub fn write(&self, out: &mut String, name: &str, labels: &str) {
        let sep = if labels.is_empty() { "" } else { "," };
        for (bound, n) in BUCKETS.iter().zip(self.below) {
            let _ = writeln!(out, "{name}_bucket{{{labels}{sep}le=\"{bound}\"}} {n}");
        }
        let _ = writeln!(out, "{name}_bucket{{{labels}{sep}le=\"+Inf\"}} {}", self.count);
        let braces = if labels.is_empty() { String::new() } else { format!("{{{labels}}}") };
        let _ = writeln!(out, "{name}_sum{braces} {}", self.sum);
        let _ = writeln!(out, "{name}_count{braces} {}", self.count);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn buckets_are_cumulative_and_inf_counts_everything() {
        let mut h = Histogram::default();
        h.observe(0.003);
        h.observe(0.2);
        h.observe(100.0);
        let mut out = String::new();
        h.write(&mut out, "t", "route=\"/x\"");
        assert!(out.contains("t_bucket{route=\"/x\",le=\"0.0025\"} 0\n"), "{out}");
        assert!(out.contains("t_bucket{route=\"/x\",le=\"0.005\"} 1\n"), "{out}");
        assert!(out.contains("t_bucket{route=\"/x\",le=\"0.25\"} 2\n"), "{out}");
        assert!(out.contains("t_bucket{route=\"/x\",le=\"60\"} 2\n"), "{out}");
        assert!(out.contains("t_bucket{route=\"/x\",le=\"+Inf\"} 3\n"), "{out}");
        assert!(out.contains("t_count{route=\"/x\"} 3\n"), "{out}");
    }
}
