//! The workforce reports as pages: facility access (with a hand-written SVG chart of denial
//! rates) and certification barriers (programme beside deployment).

use askama::Template;
use askama_web::WebTemplate;
use axum::response::IntoResponse;
use chrono::NaiveDate;

use crate::platform::web::extract::Page;

use super::WORKFORCE;
use crate::platform::access;
use crate::platform::i18n::Tr;
use crate::platform::web::error::PageError;
use crate::platform::web::extract::{QueryFields, parse};
use crate::platform::web::layout::Chrome;
use crate::workforce::codes::DenialReason;
use crate::workforce::figures::{BARRIER_LINES, BarrierFigures, FacilityAccessRow, VisitMonth};
use crate::workforce::store::BarriersReport;
use crate::workforce::{ops, params};

/// How many facilities a page of the facility access report shows, worst first.
pub const FACILITIES_PER_PAGE: usize = 25;

/// One bar of the facility chart (pre-computed geometry; the SVG has no style attributes).
pub struct Bar {
    pub label: String,
    pub y: i64,
    pub text_y: i64,
    pub width: i64,
    pub value: String,
    pub value_x: i64,
}

#[derive(Template, WebTemplate)]
#[template(path = "workforce/facility_report.html")]
struct FacilityReportPage {
    chrome: Chrome,
    from: NaiveDate,
    to: NaiveDate,
    /// The first facility's place in the whole list, from 1, and how many there are.
    first: usize,
    total: usize,
    /// Which page of the facilities, from 1, of how many.
    page: usize,
    pages: usize,
    rows: Vec<FacilityAccessRow>,
    /// Visits requested against admitted, per facility and month.
    months: Vec<VisitMonth>,
    reasons: &'static [DenialReason],
    bars: Vec<Bar>,
    chart_height: i64,
    chart_label: String,
}

/// A figure that may be missing, as the page shows it.
fn or_dash(v: Option<String>) -> String {
    v.unwrap_or_else(|| "–".into())
}

impl FacilityReportPage {
    fn rate(&self, r: &FacilityAccessRow) -> String {
        or_dash(r.denial_rate.map(|x| format!("{:.0}%", x * 100.0)))
    }
    fn days(&self, r: &FacilityAccessRow) -> String {
        or_dash(r.median_days_to_clearance.map(|x| format!("{x}")))
    }
}

/// Bars for the worst facilities (at most 15): denial rate as a bar 0..=400 px wide.
pub fn chart_bars(rows: &[FacilityAccessRow], tr: Tr) -> Vec<Bar> {
    rows.iter()
        .filter(|r| r.denial_rate.is_some())
        .take(15)
        .enumerate()
        .map(|(i, r)| {
            let rate = r.denial_rate.unwrap_or(0.0);
            let width = (rate * 400.0).round() as i64;
            let y = 10 + i as i64 * 26;
            Bar {
                label: r.facility.chars().take(40).collect(),
                y,
                text_y: y + 15,
                width,
                value: tr.t3(
                    "wf-chart-bar",
                    "percent",
                    format!("{:.0}", rate * 100.0),
                    "denied",
                    r.denied,
                    "decided",
                    r.denied + r.granted,
                ),
                value_x: 290 + width,
            }
        })
        .collect()
}

pub(super) async fn facility_report(
    s: Page,
    QueryFields(q): QueryFields,
) -> Result<impl IntoResponse, PageError> {
    access::workforce_reports(&s.actor)?;
    let (from, to) = params::period(&q)?;
    let mut f = crate::platform::fields::Fields::new();
    let page = f
        .take_opt(parse::opt_i64("page", q.get("page"), 1, 100_000))
        .map_or(1, |n| n as usize);
    f.finish()?;
    let ((all, all_months), _) = ops::facility_access(&s.state.db, &s.actor, from, to).await?;
    // The facilities worst first, a page of them at a time, with their months (a state's 66
    // facilities made a page of 83 KB); the CSV has them all.
    let total = all.len();
    let pages = total.div_ceil(FACILITIES_PER_PAGE).max(1);
    let page = page.min(pages);
    let rows: Vec<FacilityAccessRow> = all
        .into_iter()
        .skip((page - 1) * FACILITIES_PER_PAGE)
        .take(FACILITIES_PER_PAGE)
        .collect();
    let shown: std::collections::HashSet<i64> = rows.iter().map(|r| r.facility_id).collect();
    let months: Vec<VisitMonth> = all_months
        .into_iter()
        .filter(|m| shown.contains(&m.facility_id))
        .collect();
    let mut chrome = s.chrome("", WORKFORCE);
    let tr = chrome.tr;
    chrome.title = tr.t("wf-facility-report");
    let bars = chart_bars(&rows, tr);
    let chart_label = tr.t3(
        "wf-chart-label",
        "from",
        from,
        "to",
        to,
        "bars",
        bars.iter()
            .map(|b| format!("{} {}", b.label, b.value))
            .collect::<Vec<_>>()
            .join("; "),
    );
    Ok(FacilityReportPage {
        chrome,
        from,
        to,
        first: (page - 1) * FACILITIES_PER_PAGE + 1,
        total,
        page,
        pages,
        chart_height: 20 + bars.len() as i64 * 26,
        bars,
        rows,
        months,
        reasons: DenialReason::ALL,
        chart_label,
    })
}

#[derive(Template, WebTemplate)]
#[template(path = "workforce/barriers_report.html")]
struct BarriersPage {
    chrome: Chrome,
    r: BarriersReport,
}

impl BarriersPage {
    /// Each figure: its key (which the page names in its language), the programme's and the
    /// deployment's value.
    fn rows(&self) -> Vec<(&'static str, String, String)> {
        BARRIER_LINES
            .iter()
            .map(|l| {
                let value = |f: &BarrierFigures| or_dash((l.value)(f));
                (l.key, value(&self.r.programme), value(&self.r.deployment))
            })
            .collect()
    }
}

pub(super) async fn barriers_report(s: Page) -> Result<impl IntoResponse, PageError> {
    let a = s.actor.clone();
    let r = s.state.db.write(move |tx| ops::barriers_report(tx, &a));
    let mut chrome = s.chrome("", WORKFORCE);
    chrome.title = chrome.tr.t("wf-barriers-title");
    Ok(BarriersPage {
        chrome,
        r: r.await?,
    })
}
