//! Where the parts of a bar or line chart go at a given width in pixels: a left margin that
//! fits the longest tick label, and x labels placed so that none overlap or leave the drawing
//! (every k-th kept for periods, turned upright for names). Pure, so it is tested on the host. Text
//! widths are estimated on the generous side rather than measured, so laying out never waits
//! for the DOM.

/// Axis text size in pixels (charts.css sets the same).
pub const FONT: f64 = 12.0;
/// Least room between two labels side by side.
const GAP: f64 = 8.0;
/// Kept clear at the drawing's edges.
const EDGE: f64 = 4.0;
/// Between a tick label and the plot.
pub const TICK_PAD: f64 = 6.0;
/// Above the plot, so the top tick label is not cut.
pub const TOP: f64 = FONT;
/// Upright labels (turned 90°, read bottom to top): the least distance between neighbours,
/// half the width of one (a line of text), and the most characters shown (the tooltip has the
/// whole name). Upright rather than slanted, so that no two labels' boxes overlap.
const UPRIGHT_STEP: f64 = 1.5 * FONT;
const UPRIGHT_HALF: f64 = 0.6 * FONT;
const UPRIGHT_CHARS: usize = 18;
/// The first and last point of a line stay this far inside the plot.
const POINT_INSET: f64 = 8.0;

/// The estimated width of `text` in axis type: per character class, a little wider than
/// common sans-serif fonts so that estimates err towards more room.
pub fn text_width(text: &str) -> f64 {
    text.chars()
        .map(|c| match c {
            'M' | 'W' | 'm' | 'w' | '@' | '%' | '—' => 0.92,
            'i' | 'j' | 'l' | '.' | ',' | ':' | ';' | '\'' | '|' | '!' | ' ' => 0.36,
            'f' | 'r' | 't' | 'I' | '(' | ')' | '-' => 0.45,
            c if c.is_ascii_uppercase() => 0.74,
            _ => 0.62,
        })
        .sum::<f64>()
        * FONT
}

/// How categories sit along x: bars in equal bands, or line points from end to end.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Spread {
    /// Category `i` is the middle of the i-th of n equal bands.
    Bands,
    /// Category `i` is the i-th of n evenly spaced points, the first and last near the sides.
    Points,
}

/// One x label that is drawn.
#[derive(Debug, Clone, PartialEq)]
pub struct XLabel {
    /// Its category.
    pub index: usize,
    /// Its middle along x.
    pub x: f64,
    /// The text, shortened when upright.
    pub text: String,
}

/// How far below the axis the x labels begin: the lowest y label's text reaches about 0.6 of a
/// line below the axis, and the first x label may sit under it.
const X_LABEL_DROP: f64 = 10.0;

/// The layout of a bar or line chart at one width.
#[derive(Debug, Clone, PartialEq)]
pub struct Frame {
    /// The drawing's width.
    pub width: f64,
    /// The drawing's height.
    pub height: f64,
    /// The plot's left side (the y axis).
    pub left: f64,
    /// The plot's right side.
    pub right: f64,
    /// The plot's top.
    pub top: f64,
    /// The plot's bottom (the x axis).
    pub base: f64,
    /// Whether the x labels are turned upright.
    pub upright: bool,
    /// The x labels drawn, left to right.
    pub labels: Vec<XLabel>,
    n: usize,
    spread: Spread,
    inset: (f64, f64),
}

impl Frame {
    /// The x of category `i`.
    pub fn x(&self, i: usize) -> f64 {
        centre(self.spread, self.left + self.inset.0, self.right - self.inset.1, self.n, i)
    }

    /// The distance between neighbouring categories.
    pub fn step(&self) -> f64 {
        step(self.spread, self.left + self.inset.0, self.right - self.inset.1, self.n)
    }

    /// Where x labels start below the axis: the baseline of level ones, the end of upright ones.
    /// They keep clear of the lowest y label, which hangs a little below the axis beside them.
    pub fn label_y(&self) -> f64 {
        self.base + if self.upright { X_LABEL_DROP } else { FONT + X_LABEL_DROP }
    }
}

fn step(spread: Spread, from: f64, to: f64, n: usize) -> f64 {
    match spread {
        Spread::Bands => (to - from) / n.max(1) as f64,
        Spread::Points => (to - from) / n.saturating_sub(1).max(1) as f64,
    }
}

fn centre(spread: Spread, from: f64, to: f64, n: usize, i: usize) -> f64 {
    match spread {
        Spread::Bands => from + step(spread, from, to, n) * (i as f64 + 0.5),
        Spread::Points if n <= 1 => (from + to) / 2.0,
        Spread::Points => from + step(spread, from, to, n) * i as f64,
    }
}

/// The plot's height for a drawing `width` wide: flatter on wide screens, never squashed.
pub fn plot_height(width: f64) -> f64 {
    (width * 0.5).clamp(160.0, 260.0)
}

/// About how many y ticks suit a plot this tall (one per ~55 px).
pub fn tick_count(plot_height: f64) -> usize {
    ((plot_height / 55.0).round() as usize).max(3)
}

/// Lays out a chart `width` px wide whose y ticks read `y_labels`, over `categories`.
/// `timeline` marks consecutive periods: when their labels do not fit side by side every k-th
/// is kept (always the last, the latest period); names are turned upright instead, so each
/// stays shown as long as there is a line's width for it.
pub fn frame(width: f64, y_labels: &[String], categories: &[String], spread: Spread, timeline: bool) -> Frame {
    let width = width.max(160.0);
    let n = categories.len().max(1);
    let y_room = y_labels.iter().map(|l| text_width(l)).fold(0.0, f64::max) + TICK_PAD + EDGE;
    let full: Vec<f64> = categories.iter().map(|c| text_width(c)).collect();
    let widest = full.iter().copied().fold(0.0, f64::max);
    let right = width - EDGE;
    let room = |left: f64, inset: (f64, f64)| step(spread, left + inset.0, right - inset.1, n);
    let mut inset = match spread {
        Spread::Bands => (0.0, 0.0),
        Spread::Points => (POINT_INSET, POINT_INSET),
    };
    let upright = !timeline && room(y_room, inset) < widest + GAP;
    let texts: Vec<String> =
        if upright { categories.iter().map(|c| shorten(c, UPRIGHT_CHARS)).collect() } else { categories.to_vec() };
    let widths: Vec<f64> = texts.iter().map(|t| text_width(t)).collect();
    let last = widths.last().copied().unwrap_or(0.0);
    let left = y_room;
    // A level label centred on an end category must not stick out of the drawing: move the end
    // categories in (the last label is always drawn; the first drawn may be any, so the widest
    // stands in for it). Each pass narrows the plot a little, which moves them a little: three
    // settle it.
    for _ in 0..3 {
        let s = room(left, inset);
        if !upright {
            inset = match spread {
                Spread::Bands => ((widest / 2.0 + EDGE - left - s / 2.0).max(0.0), (last / 2.0 - s / 2.0).max(0.0)),
                Spread::Points => (POINT_INSET.max(widest / 2.0 + EDGE - left), POINT_INSET.max(last / 2.0)),
            };
        }
    }
    let s = room(left, inset);
    let every = if upright { (UPRIGHT_STEP / s).ceil() } else { ((widest + GAP) / s).ceil() }.max(1.0) as usize;
    let mut frame = Frame {
        width,
        height: 0.0,
        left,
        right,
        top: TOP,
        base: TOP + plot_height(width),
        upright,
        labels: Vec::new(),
        n,
        spread,
        inset,
    };
    let axis =
        if upright { X_LABEL_DROP + widths.iter().copied().fold(0.0, f64::max) } else { FONT + X_LABEL_DROP + 6.0 };
    frame.height = frame.base + axis + EDGE;
    frame.labels = place(&frame, texts, &widths, every);
    frame
}

fn shorten(text: &str, chars: usize) -> String {
    if text.chars().count() <= chars {
        text.to_owned()
    } else {
        format!("{}…", text.chars().take(chars - 1).collect::<String>().trim_end())
    }
}

/// Every `every`-th label counted back from the last, moved inside the drawing if an end one
/// sticks out, then dropped where it would still touch a neighbour kept to its right.
fn place(frame: &Frame, texts: Vec<String>, widths: &[f64], every: usize) -> Vec<XLabel> {
    let n = texts.len();
    let mut kept: Vec<XLabel> = Vec::new();
    let mut bound = f64::INFINITY;
    for (i, text) in texts.into_iter().enumerate().rev() {
        if !(n - 1 - i).is_multiple_of(every) {
            continue;
        }
        let w = widths[i];
        let x = frame.x(i);
        let (x, from, to) = if frame.upright {
            (x, x - UPRIGHT_HALF, x + UPRIGHT_HALF)
        } else {
            let x = x.clamp(w / 2.0 + EDGE, frame.width - EDGE - w / 2.0);
            (x, x - w / 2.0, x + w / 2.0)
        };
        let clear = to + if frame.upright { 2.0 } else { GAP } <= bound;
        if clear && from >= 0.0 && to <= frame.width {
            bound = from;
            kept.push(XLabel { index: i, x, text });
        }
    }
    kept.reverse();
    kept
}

#[cfg(test)]
mod tests {
    use super::*;

    fn days(n: usize) -> Vec<String> {
        (0..n).map(|i| format!("Nov {}", i + 1)).collect()
    }

    fn months() -> Vec<String> {
        ["Dec 2025", "Jan 2026", "Feb 2026", "Mar 2026", "Apr 2026", "May 2026"]
            .iter()
            .chain(&["Jun 2026", "Jul 2026", "Aug 2026", "Sep 2026", "Oct 2026", "Nov 2026"])
            .map(|s| s.to_string())
            .collect()
    }

    fn services() -> Vec<String> {
        (0..12).map(|i| format!("MICROSOFT 365 BUSINESS PREMIUM {i}")).collect()
    }

    fn money_ticks() -> Vec<String> {
        ["$0", "$500K", "$1M", "$1.5M"].iter().map(|s| s.to_string()).collect()
    }

    /// No two drawn labels overlap and none leaves the drawing.
    fn assert_readable(f: &Frame, categories: &[String]) {
        assert!(!f.labels.is_empty(), "some label is shown at {}", f.width);
        for pair in f.labels.windows(2) {
            let (a, b) = (&pair[0], &pair[1]);
            if f.upright {
                assert!(b.x - a.x >= 2.0 * UPRIGHT_HALF + 2.0, "upright labels overlap at {}: {a:?} {b:?}", f.width);
            } else {
                let gap = (b.x - text_width(&b.text) / 2.0) - (a.x + text_width(&a.text) / 2.0);
                assert!(gap >= GAP, "labels overlap at {}: {a:?} {b:?}", f.width);
            }
        }
        for l in &f.labels {
            let (from, to) = if f.upright {
                (l.x - UPRIGHT_HALF, l.x + UPRIGHT_HALF)
            } else {
                (l.x - text_width(&l.text) / 2.0, l.x + text_width(&l.text) / 2.0)
            };
            assert!(from >= 0.0 && to <= f.width, "label leaves the drawing at {}: {l:?}", f.width);
            assert!(l.index < categories.len());
        }
    }

    #[test]
    fn labels_never_overlap_or_leave_the_drawing_at_any_width() {
        for width in (200..=1600).step_by(10) {
            let width = width as f64;
            for (categories, spread, timeline) in [
                (days(30), Spread::Points, true),
                (days(7), Spread::Points, true),
                (months(), Spread::Points, true),
                (months(), Spread::Bands, true),
                (services(), Spread::Bands, false),
                (vec!["aws".to_string(), "azure".into(), "gcp".into()], Spread::Bands, false),
                (vec!["Nov 2026".to_string()], Spread::Bands, true),
                (vec!["Nov 2026".to_string()], Spread::Points, true),
            ] {
                let f = frame(width, &money_ticks(), &categories, spread, timeline);
                assert_readable(&f, &categories);
            }
        }
    }

    #[test]
    fn the_left_margin_fits_the_longest_tick_label() {
        let wide = frame(390.0, &["$1,500,000.00".to_string()], &days(7), Spread::Points, true);
        let short = frame(390.0, &money_ticks(), &days(7), Spread::Points, true);
        assert!(wide.left - TICK_PAD >= text_width("$1,500,000.00"));
        assert!(short.left < wide.left && short.left - TICK_PAD >= text_width("$1.5M"));
    }

    #[test]
    fn periods_are_thinned_keeping_the_latest_and_names_are_turned_upright() {
        let f = frame(390.0, &money_ticks(), &days(30), Spread::Points, true);
        assert!(!f.upright && f.labels.len() < 30 && f.labels.len() >= 4, "{:?}", f.labels);
        assert_eq!(f.labels.last().map(|l| l.index), Some(29), "the latest day keeps its label");
        let wide = frame(1200.0, &money_ticks(), &months(), Spread::Bands, true);
        assert_eq!(wide.labels.len(), 12, "room for every month on a wide screen");
        let named = frame(390.0, &money_ticks(), &services(), Spread::Bands, false);
        assert!(named.upright && named.labels.len() == 12, "{:?}", named.labels);
        assert!(named.labels.iter().all(|l| l.text.chars().count() <= UPRIGHT_CHARS));
    }

    #[test]
    fn line_ends_stay_inside_and_bands_fill_the_plot() {
        let f = frame(390.0, &money_ticks(), &months(), Spread::Points, true);
        assert!(f.x(0) > f.left && f.x(11) < f.right);
        let b = frame(390.0, &money_ticks(), &months(), Spread::Bands, true);
        assert!((b.x(0) - b.left - b.step() / 2.0).abs() < 1e-9);
        assert!(b.height > b.base && b.base > b.top);
    }
}
