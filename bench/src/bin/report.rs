//! Turns criterion's output into BENCHMARKS.md's tables and the scaling chart.
//!
//! `cargo bench -p cors-bench && cargo run -p cors-bench --release --bin report`
//! prints the markdown tables and writes `bench/scaling.svg`.

use std::collections::BTreeMap;
use std::fmt::Write as _;
use std::path::{Path, PathBuf};

use cors_bench::browser_shaped::Shape;
use cors_bench::Case;

/// Median nanoseconds by (group, function, parameter).
type Medians = BTreeMap<(String, String, String), f64>;

fn criterion_dir() -> PathBuf {
    let target = std::env::var_os("CARGO_TARGET_DIR")
        .map(PathBuf::from)
        .unwrap_or_else(|| Path::new(env!("CARGO_MANIFEST_DIR")).join("../target"));
    target.join("criterion")
}

fn read_medians(root: &Path) -> Medians {
    let mut medians = Medians::new();
    let groups = std::fs::read_dir(root).into_iter().flatten().flatten();
    for group in groups {
        for function in std::fs::read_dir(group.path())
            .into_iter()
            .flatten()
            .flatten()
        {
            for parameter in std::fs::read_dir(function.path())
                .into_iter()
                .flatten()
                .flatten()
            {
                let file = parameter.path().join("new/estimates.json");
                let Ok(text) = std::fs::read_to_string(&file) else {
                    continue;
                };
                let Ok(json) = serde_json::from_str::<serde_json::Value>(&text) else {
                    continue;
                };
                let Some(median) = json["median"]["point_estimate"].as_f64() else {
                    continue;
                };
                let name =
                    |entry: &std::fs::DirEntry| entry.file_name().to_string_lossy().into_owned();
                medians.insert((name(&group), name(&function), name(&parameter)), median);
            }
        }
    }
    medians
}

fn get(medians: &Medians, group: &str, function: &str, parameter: &str) -> Option<f64> {
    medians
        .get(&(group.to_owned(), function.to_owned(), parameter.to_owned()))
        .copied()
}

fn ns(value: Option<f64>) -> String {
    value.map_or("–".into(), |v| format!("{v:.0} ns"))
}

fn ratio(a: Option<f64>, b: Option<f64>) -> String {
    match (a, b) {
        (Some(a), Some(b)) if b > 0.0 => format!("{:.2}x", a / b),
        _ => "–".into(),
    }
}

fn tables(medians: &Medians) -> String {
    let mut out = String::new();
    let _ = writeln!(out, "### `Policy::evaluate` + `Decision::apply`\n\n| case | cors_policy | floor | cors_policy / floor |\n| --- | --- | --- | --- |");
    for case in Case::ALL {
        let ours = get(medians, "evaluate_apply", "cors_policy", case.name());
        let floor = get(medians, "evaluate_apply", "floor", case.name());
        let _ = writeln!(
            out,
            "| {} | {} | {} | {} |",
            case.name(),
            ns(ours),
            ns(floor),
            ratio(ours, floor)
        );
    }
    let _ = writeln!(out, "\n### tower layers around the same trivial service\n\n| case | cors_policy | tower-http | floor | tower-http / cors_policy | cors_policy / floor |\n| --- | --- | --- | --- | --- | --- |");
    for case in Case::ALL {
        let ours = get(medians, "tower", "cors_policy", case.name());
        let theirs = get(medians, "tower", "tower_http", case.name());
        let floor = get(medians, "tower", "floor", case.name());
        let _ = writeln!(
            out,
            "| {} | {} | {} | {} | {} | {} |",
            case.name(),
            ns(ours),
            ns(theirs),
            ns(floor),
            ratio(theirs, ours),
            ratio(ours, floor)
        );
    }
    let _ = writeln!(out, "\n### actix-web middleware through actix-web's test service\n\n| case | cors_policy | actix-cors | actix-cors / cors_policy |\n| --- | --- | --- | --- |");
    for case in Case::ALL {
        let ours = get(medians, "actix", "cors_policy", case.name());
        let theirs = get(medians, "actix", "actix_cors", case.name());
        let _ = writeln!(
            out,
            "| {} | {} | {} | {} |",
            case.name(),
            ns(ours),
            ns(theirs),
            ratio(theirs, ours)
        );
    }
    let _ = writeln!(out, "\n### Scaling: allowed preflight from the last origin of the list\n\n| exact origins | cors_policy | cors_policy / 1 origin | tower-http | tower-http / cors_policy |\n| --- | --- | --- | --- | --- |");
    let base = get(medians, "scaling_origins", "cors_policy", "1");
    for count in ["1", "10", "100", "1000", "10000"] {
        let ours = get(medians, "scaling_origins", "cors_policy", count);
        let theirs = get(medians, "scaling_origins", "tower_http", count);
        let _ = writeln!(
            out,
            "| {count} | {} | {} | {} | {} |",
            ns(ours),
            ratio(ours, base),
            ns(theirs),
            ratio(theirs, ours)
        );
    }
    for shape in Shape::ALL {
        let _ = writeln!(out, "\n### Browser-shaped requests through the tower layer: `{}`\n\n| case | cors_policy | tower-http 0.6 | tower-http 0.7 | floor | 0.6 / cors_policy | 0.7 / cors_policy | cors_policy / floor |\n| --- | --- | --- | --- | --- | --- | --- | --- |", shape.name());
        for case in Case::ALL {
            let ours = get(medians, shape.name(), "cors_policy", case.name());
            let v06 = get(medians, shape.name(), "tower_http_06", case.name());
            let v07 = get(medians, shape.name(), "tower_http_07", case.name());
            let floor = get(medians, shape.name(), "floor", case.name());
            let _ = writeln!(
                out,
                "| {} | {} | {} | {} | {} | {} | {} | {} |",
                case.name(),
                ns(ours),
                ns(v06),
                ns(v07),
                ns(floor),
                ratio(v06, ours),
                ratio(v07, ours),
                ratio(ours, floor)
            );
        }
    }
    let _ = writeln!(out, "\n### Scaling: rules the request falls through\n\n| rules | cors_policy | / 1 rule |\n| --- | --- | --- |");
    let base = get(medians, "scaling_rules", "cors_policy", "1");
    for count in ["1", "10", "100"] {
        let ours = get(medians, "scaling_rules", "cors_policy", count);
        let _ = writeln!(out, "| {count} | {} | {} |", ns(ours), ratio(ours, base));
    }
    out
}

/// A log-x line chart of per-request cost against the number of origins.
fn chart(medians: &Medians) -> String {
    const COUNTS: [&str; 5] = ["1", "10", "100", "1000", "10000"];
    let series = [("cors_policy", "#1b7837"), ("tower_http", "#b2182b")];
    let values: Vec<Vec<Option<f64>>> = series
        .iter()
        .map(|(name, _)| {
            COUNTS
                .iter()
                .map(|c| get(medians, "scaling_origins", name, c))
                .collect()
        })
        .collect();
    // Log scale on both axes, from the power of ten below the fastest median
    // to the one above the slowest.
    let all = || values.iter().flatten().flatten().copied();
    let max = all().fold(1.0_f64, f64::max);
    let min = all().fold(max, f64::min);
    let low = min.log10().floor();
    let high = max.log10().ceil().max(low + 1.0);
    let (width, height, left, right, top, bottom) = (720.0, 420.0, 80.0, 170.0, 40.0, 60.0);
    let plot_w = width - left - right;
    let plot_h = height - top - bottom;
    let x = |i: usize| left + plot_w * i as f64 / (COUNTS.len() - 1) as f64;
    let y = |v: f64| top + plot_h * (1.0 - (v.log10() - low) / (high - low));
    let mut svg = format!(
        "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"{width}\" height=\"{height}\" font-family=\"sans-serif\" font-size=\"13\">\n<rect width=\"100%\" height=\"100%\" fill=\"white\"/>\n<text x=\"{}\" y=\"24\" text-anchor=\"middle\" font-size=\"15\">Allowed preflight: median time per request against policy size (log-log)</text>\n",
        width / 2.0
    );
    let _ = writeln!(
        svg,
        "<line x1=\"{left}\" y1=\"{}\" x2=\"{}\" y2=\"{}\" stroke=\"black\"/>",
        top + plot_h,
        left + plot_w,
        top + plot_h
    );
    let _ = writeln!(
        svg,
        "<line x1=\"{left}\" y1=\"{top}\" x2=\"{left}\" y2=\"{}\" stroke=\"black\"/>",
        top + plot_h
    );
    for (i, count) in COUNTS.iter().enumerate() {
        let _ = writeln!(
            svg,
            "<text x=\"{}\" y=\"{}\" text-anchor=\"middle\">{count}</text>",
            x(i),
            top + plot_h + 20.0
        );
    }
    let _ = writeln!(svg, "<text x=\"{}\" y=\"{}\" text-anchor=\"middle\">exact origins in the policy (log scale)</text>", left + plot_w / 2.0, height - 15.0);
    for exponent in (low as i32)..=(high as i32) {
        let v = 10f64.powi(exponent);
        let _ = writeln!(
            svg,
            "<text x=\"{}\" y=\"{}\" text-anchor=\"end\">{v} ns</text>",
            left - 8.0,
            y(v) + 4.0
        );
        let _ = writeln!(
            svg,
            "<line x1=\"{left}\" y1=\"{0}\" x2=\"{1}\" y2=\"{0}\" stroke=\"#ddd\"/>",
            y(v),
            left + plot_w
        );
    }
    for ((_, color), points) in series.iter().zip(&values) {
        let path: Vec<String> = points
            .iter()
            .enumerate()
            .filter_map(|(i, v)| v.map(|v| format!("{:.1},{:.1}", x(i), y(v))))
            .collect();
        let _ = writeln!(
            svg,
            "<polyline fill=\"none\" stroke=\"{color}\" stroke-width=\"2.5\" points=\"{}\"/>",
            path.join(" ")
        );
        for point in &path {
            let (px, py) = point.split_once(',').unwrap_or(("0", "0"));
            let _ = writeln!(
                svg,
                "<circle cx=\"{px}\" cy=\"{py}\" r=\"3.5\" fill=\"{color}\"/>"
            );
        }
    }
    for (i, (name, color)) in series.iter().enumerate() {
        let ly = top + 20.0 + 22.0 * i as f64;
        let lx = left + plot_w + 20.0;
        let _ = writeln!(svg, "<line x1=\"{lx}\" y1=\"{ly}\" x2=\"{}\" y2=\"{ly}\" stroke=\"{color}\" stroke-width=\"2.5\"/>", lx + 24.0);
        let _ = writeln!(
            svg,
            "<text x=\"{}\" y=\"{}\">{}</text>",
            lx + 30.0,
            ly + 4.0,
            name.replace('_', "-")
        );
    }
    svg.push_str("</svg>\n");
    svg
}

fn main() {
    let medians = read_medians(&criterion_dir());
    if medians.is_empty() {
        eprintln!(
            "no criterion results under {}: run `cargo bench -p cors-bench` first",
            criterion_dir().display()
        );
        std::process::exit(1);
    }
    print!("{}", tables(&medians));
    let out = Path::new(env!("CARGO_MANIFEST_DIR")).join("scaling.svg");
    match std::fs::write(&out, chart(&medians)) {
        Ok(()) => eprintln!("wrote {}", out.display()),
        Err(error) => eprintln!("cannot write {}: {error}", out.display()),
    }
}
