//! Request counts and latency histograms by route, in Prometheus text format.

use std::collections::BTreeMap;
use std::fmt::Write;
use std::sync::{Arc, Mutex};
use std::time::Instant;

use axum::extract::{MatchedPath, Request, State};
use axum::middleware::Next;
use axum::response::Response;

const BUCKETS: [f64; 12] = [
    0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 10.0,
];

#[derive(Debug, Default, Clone)]
struct Series {
    count: u64,
    sum: f64,
    buckets: [u64; BUCKETS.len()],
}

/// Collected request metrics, shared by the app.
#[derive(Debug, Default)]
pub struct Metrics {
    series: Mutex<BTreeMap<(String, String, u16), Series>>,
}

impl Metrics {
    pub fn observe(&self, method: &str, route: &str, status: u16, secs: f64) {
        let Ok(mut map) = self.series.lock() else {
            return;
        };
        let s = map
            .entry((method.to_string(), route.to_string(), status))
            .or_default();
        s.count += 1;
        s.sum += secs;
        for (i, le) in BUCKETS.iter().enumerate() {
            if secs <= *le {
                s.buckets[i] += 1;
            }
        }
    }

    /// The Prometheus text exposition.
    pub fn render(&self) -> String {
        let map = match self.series.lock() {
            Ok(m) => m.clone(),
            Err(_) => return String::new(),
        };
        let mut out = String::new();
        out.push_str(
            "# HELP zhengshu_http_requests_total HTTP requests by method, route and status.\n",
        );
        out.push_str("# TYPE zhengshu_http_requests_total counter\n");
        for ((m, r, st), s) in &map {
            let _ = writeln!(
                out,
                "zhengshu_http_requests_total{{method=\"{m}\",route=\"{r}\",status=\"{st}\"}} {}",
                s.count
            );
        }
        out.push_str("# HELP zhengshu_http_request_duration_seconds HTTP request latency by method and route.\n");
        out.push_str("# TYPE zhengshu_http_request_duration_seconds histogram\n");
        let mut by_route: BTreeMap<(String, String), Series> = BTreeMap::new();
        for ((m, r, _), s) in &map {
            let agg = by_route.entry((m.clone(), r.clone())).or_default();
            agg.count += s.count;
            agg.sum += s.sum;
            for i in 0..BUCKETS.len() {
                agg.buckets[i] += s.buckets[i];
            }
        }
        for ((m, r), s) in &by_route {
            for (i, le) in BUCKETS.iter().enumerate() {
                let _ = writeln!(out, "zhengshu_http_request_duration_seconds_bucket{{method=\"{m}\",route=\"{r}\",le=\"{le}\"}} {}", s.buckets[i]);
            }
            let _ = writeln!(out, "zhengshu_http_request_duration_seconds_bucket{{method=\"{m}\",route=\"{r}\",le=\"+Inf\"}} {}", s.count);
            let _ = writeln!(
                out,
                "zhengshu_http_request_duration_seconds_sum{{method=\"{m}\",route=\"{r}\"}} {}",
                s.sum
            );
            let _ = writeln!(
                out,
                "zhengshu_http_request_duration_seconds_count{{method=\"{m}\",route=\"{r}\"}} {}",
                s.count
            );
        }
        out
    }
}

/// Middleware recording each request under its route template (not its concrete path,
/// so ids do not explode the series).
pub(crate) async fn track(
    State(metrics): State<Arc<Metrics>>,
    req: Request,
    next: Next,
) -> Response {
    let route = req
        .extensions()
        .get::<MatchedPath>()
        .map(|p| p.as_str().to_string())
        .unwrap_or_else(|| "unmatched".into());
    let method = req.method().to_string();
    let start = Instant::now();
    let resp = next.run(req).await;
    metrics.observe(
        &method,
        &route,
        resp.status().as_u16(),
        start.elapsed().as_secs_f64(),
    );
    resp
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn renders_counter_and_cumulative_histogram() {
        let m = Metrics::default();
        m.observe("GET", "/healthz", 200, 0.002);
        m.observe("GET", "/healthz", 200, 0.3);
        let text = m.render();
        assert!(text.contains(
            "zhengshu_http_requests_total{method=\"GET\",route=\"/healthz\",status=\"200\"} 2"
        ));
        assert!(text.contains("le=\"0.001\"} 0"));
        assert!(text.contains("le=\"0.0025\"} 1"));
        assert!(text.contains("le=\"0.5\"} 2"));
        assert!(text.contains(
            "zhengshu_http_request_duration_seconds_count{method=\"GET\",route=\"/healthz\"} 2"
        ));
    }
}
