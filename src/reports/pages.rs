//! Reporting pages: the programme dashboard (`/dashboard`), the reports index (`/reports`), the
//! GPRA tracker (`/reports/gpra`), the printable quarterly report (`/reports/quarterly`), the
//! exports page (`/exports`) and one participant's GPRA interviews with a small form
//! (`/participants/{id}/gpra`).

use askama::Template;
use askama_web::WebTemplate;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::get;
use chrono::{Datelike, NaiveDate};
use diesel::prelude::*;

use super::dashboard::{Chart, Filter};
use super::exports::{DATASETS, PUBLIC_TABLES};
use super::gpra::{EmploymentStatus, GpraInterview, HousingType, SelfRatedHealth, Timepoint};
use super::ops;
use super::params::filter;
use super::periods::Period;
use super::store::{GpraRecord, Tracker};
use crate::journey::rules::Setting;
use crate::organisations::store as orgs;
use crate::platform::access::{self, Actor};
use crate::platform::error::{AppError, FieldError};
use crate::platform::i18n::Tr;
use crate::platform::web::error::PageError;
use crate::platform::web::extract::{CsrfForm, FormFields, Page, PageId, QueryFields, parse};
use crate::platform::web::layout::Chrome;
use crate::platform::web::{AppState, PageRoute};

pub fn routes() -> Vec<PageRoute> {
    let r = |path, methods, participant_scoped, handler| PageRoute {
        path,
        methods,
        participant_scoped,
        handler,
    };
    vec![
        r("/dashboard", &["GET"], false, get(dashboard_page)),
        r("/reports", &["GET"], false, get(reports_index)),
        r("/reports/gpra", &["GET"], false, get(gpra_page)),
        r("/reports/quarterly", &["GET"], false, get(quarterly_page)),
        r("/exports", &["GET"], false, get(exports_page)),
        r(
            "/participants/{id}/gpra",
            &["GET", "POST"],
            true,
            get(participant_gpra).post(post_participant_gpra),
        ),
    ]
}

/// The page's frame, titled with the message `title` in the user's language.
fn chrome(state: &AppState, actor: &Actor, title: &str, path: &str, csrf: &str) -> Chrome {
    let mut chrome = Chrome::new(actor, "", path, csrf, state.config.demo);
    chrome.title = chrome.tr.t(title);
    chrome
}

/// The user's interface language.
fn tr_of(actor: &Actor) -> Tr {
    Tr::new(actor.language.unwrap_or_default())
}

/// The query string of a filter (for CSV links), HTML-escaped by the template.
fn query_of(f: &Filter) -> String {
    let mut q = format!("from={}&to={}", f.from, f.to);
    if let Some(x) = f.facility_id {
        q.push_str(&format!("&facility={x}"));
    }
    if let Some(x) = &f.setting {
        q.push_str(&format!("&setting={x}"));
    }
    if let Some(x) = f.peer_id {
        q.push_str(&format!("&peer={x}"));
    }
    q
}

// ---------------------------------------------------------------- dashboard

/// Most peers listed in the dashboard's peer filter.
pub const PEER_LIST_MAX: usize = 40;

#[derive(Template, WebTemplate)]
#[template(path = "reports/dashboard.html")]
struct DashboardPage {
    chrome: Chrome,
    f: Filter,
    query: String,
    headline: Vec<super::dashboard::Figure>,
    charts: Vec<Chart>,
    /// `(value, label, selected)`
    facilities: Vec<(i64, String, bool)>,
    peers: Vec<(i64, String, bool)>,
    /// Show peers as a list (a large programme gets a staff-id field, to keep the page small).
    peer_list: bool,
    settings: Vec<(&'static str, &'static str, bool)>,
}

async fn dashboard_page(
    page: Page,
    QueryFields(q): QueryFields,
) -> Result<impl IntoResponse, PageError> {
    let (state, actor, csrf) = page.into_parts();
    let scope = access::reports(&actor)?;
    let f = filter(&q, scope, actor.zone.today())?;
    let (d, _) = ops::load_dashboard(&state.db, &actor, f, tr_of(&actor)).await?;
    let org = scope.org_id();
    let (fac, peer) = (d.filter.facility_id, d.filter.peer_id);
    // The facilities the programme's episodes name: a scan of every episode of the programme
    // (0.3 s at 1,000,000 participants on PostgreSQL), so kept per data version like the figures.
    let (used, _) = state
        .db
        .reports
        .get_or_compute(
            &state.db,
            org,
            &["episodes"],
            "dashboard_facilities".into(),
            move |c, _| {
                use crate::journey::schema::episodes;
                Ok(episodes::table
                    .filter(episodes::org_id.eq(org))
                    .filter(episodes::facility_id.is_not_null())
                    .select(episodes::facility_id)
                    .distinct()
                    .load::<Option<i64>>(c)?
                    .into_iter()
                    .flatten()
                    .collect::<std::collections::HashSet<i64>>())
            },
        )
        .await?;
    let (facilities, peers) = state
        .db
        .run(move |c| {
            let facs: Vec<(i64, String, bool)> = orgs::facilities(c)?
                .into_iter()
                .filter(|x| used.contains(&x.id) || Some(x.id) == fac)
                .map(|x| (x.id, x.name, Some(x.id) == fac))
                .collect();
            // A drop-down only when the programme has at most PEER_LIST_MAX peers, so at most
            // one more than that is read: reading every staff member to count them cost 11 ms
            // at 1,000,000 participants (8,000 staff), where the filter is a staff id field.
            use crate::platform::schema::users;
            let peers: Vec<(i64, String, bool)> = users::table
                .filter(users::org_id.eq(org))
                .filter(users::role.eq("peer"))
                .order((users::name, users::id))
                .select((users::id, users::name))
                .limit(PEER_LIST_MAX as i64 + 1)
                .load::<(i64, String)>(c)?
                .into_iter()
                .map(|(id, name)| (id, name, Some(id) == peer))
                .collect();
            Ok((facs, peers))
        })
        .await?;
    Ok(DashboardPage {
        chrome: chrome(&state, &actor, "rpt-dashboard-title", "/dashboard", &csrf),
        query: query_of(&d.filter),
        settings: Setting::ALL
            .iter()
            .map(|s| {
                (
                    s.as_str(),
                    s.label(),
                    d.filter.setting.as_deref() == Some(s.as_str()),
                )
            })
            .collect(),
        f: d.filter,
        headline: d.headline,
        charts: d.charts,
        facilities,
        peer_list: peers.len() <= PEER_LIST_MAX,
        peers,
    })
}

// ---------------------------------------------------------------- reports index and GPRA

#[derive(Template, WebTemplate)]
#[template(path = "reports/index.html")]
struct IndexPage {
    chrome: Chrome,
    quarter: String,
}

/// The quarter before today's, as `2026Q3`.
fn last_quarter(today: NaiveDate) -> String {
    let q = (today.month0() / 3) as i32;
    if q == 0 {
        format!("{}Q4", today.year() - 1)
    } else {
        format!("{}Q{q}", today.year())
    }
}

async fn reports_index(page: Page) -> Result<impl IntoResponse, PageError> {
    let (state, actor, csrf) = page.into_parts();
    access::reports(&actor)?;
    Ok(IndexPage {
        chrome: chrome(&state, &actor, "rpt-reports", "/reports", &csrf),
        quarter: last_quarter(actor.zone.today()),
    })
}

/// Rows per list on the tracker page (the API gives up to `store::LIST_LIMIT`).
const PAGE_LIST_MAX: usize = 50;

#[derive(Template, WebTemplate)]
#[template(path = "reports/gpra.html")]
struct GpraPage {
    chrome: Chrome,
    t: Tracker,
}

impl GpraPage {
    fn rate(&self) -> String {
        self.t.rate.percent()
    }
}

async fn gpra_page(page: Page) -> Result<impl IntoResponse, PageError> {
    let (state, actor, csrf) = page.into_parts();
    let (mut t, _) = ops::load_tracker(&state.db, &actor).await?;
    for list in [&mut t.due_soon, &mut t.in_window, &mut t.missed] {
        list.truncate(PAGE_LIST_MAX);
    }
    Ok(GpraPage {
        chrome: chrome(&state, &actor, "rpt-gpra-title", "/reports", &csrf),
        t,
    })
}

// ---------------------------------------------------------------- quarterly

/// `2026Q3` → 1 July 2026 ..= 30 September 2026.
pub fn parse_quarter(s: &str) -> Result<(NaiveDate, NaiveDate), FieldError> {
    let bad = || {
        FieldError::keyed(
            "quarter",
            "error-not-a-quarter",
            &[("value", format!("{s:?}"))],
        )
    };
    let (y, q) = s.trim().split_once(['Q', 'q']).ok_or_else(bad)?;
    let y: i32 = y.parse().map_err(|_| bad())?;
    let q: u32 = q.parse().map_err(|_| bad())?;
    if !(1..=4).contains(&q) || !(2000..=2100).contains(&y) {
        return Err(bad());
    }
    let from = NaiveDate::from_ymd_opt(y, (q - 1) * 3 + 1, 1).ok_or_else(bad)?;
    let next = from
        .checked_add_months(chrono::Months::new(3))
        .ok_or_else(bad)?;
    Ok((from, next - chrono::Duration::days(1)))
}

#[derive(Template, WebTemplate)]
#[template(path = "reports/quarterly.html")]
struct QuarterlyPage {
    chrome: Chrome,
    quarter: String,
    query: String,
    f: Filter,
    headline: Vec<super::dashboard::Figure>,
    charts: Vec<Chart>,
    gpra_rate: String,
    gpra_counts: (u64, u64),
}

async fn quarterly_page(
    page: Page,
    QueryFields(q): QueryFields,
) -> Result<impl IntoResponse, PageError> {
    let (state, actor, csrf) = page.into_parts();
    let scope = access::reports(&actor)?;
    let quarter = match q.opt("quarter") {
        Some(s) => s,
        None => last_quarter(actor.zone.today()),
    };
    let (from, to) = parse_quarter(&quarter).map_err(|e| AppError::Invalid(vec![e]))?;
    let f = Filter {
        org_id: scope.org_id(),
        facility_id: None,
        setting: None,
        peer_id: None,
        from,
        to,
    };
    let (d, _) = ops::load_dashboard(&state.db, &actor, f, tr_of(&actor)).await?;
    let (t, _) = ops::load_tracker(&state.db, &actor).await?;
    let mut chrome = chrome(&state, &actor, "rpt-reports", "/reports", &csrf);
    chrome.title = chrome.tr.t1("rpt-quarterly-title", "quarter", &quarter);
    Ok(QuarterlyPage {
        chrome,
        quarter,
        query: query_of(&d.filter),
        f: d.filter,
        headline: d.headline,
        charts: d.charts,
        gpra_rate: t.rate.percent(),
        gpra_counts: (t.rate.numerator, t.rate.denominator),
    })
}

// ---------------------------------------------------------------- exports

/// Calendar years before this one whose periods the public-table picker offers.
const PICKER_YEARS: i32 = 3;

#[derive(Template, WebTemplate)]
#[template(path = "reports/exports.html")]
struct ExportsPage {
    chrome: Chrome,
    datasets: Vec<(&'static str, &'static str)>,
    public: &'static [(&'static str, &'static str)],
    /// Finished periods offered for the public tables, newest first, and the one preselected.
    periods: Vec<String>,
    default_period: String,
}

async fn exports_page(page: Page) -> Result<impl IntoResponse, PageError> {
    let (state, actor, csrf) = page.into_parts();
    access::reports(&actor)?;
    Ok(ExportsPage {
        chrome: chrome(&state, &actor, "rpt-exports", "/reports", &csrf),
        datasets: DATASETS.iter().map(|d| (d.name, d.title)).collect(),
        public: PUBLIC_TABLES,
        periods: Period::recent(actor.zone.today(), PICKER_YEARS)
            .iter()
            .map(std::string::ToString::to_string)
            .collect(),
        default_period: Period::last_quarter(actor.zone.today()).to_string(),
    })
}

// ---------------------------------------------------------------- one participant's GPRA

#[derive(Template, WebTemplate)]
#[template(path = "reports/participant_gpra.html")]
struct ParticipantGpraPage {
    chrome: Chrome,
    id: i64,
    interviews: Vec<GpraRecord>,
    intake_on: Option<NaiveDate>,
    window: Option<super::gpra::Window>,
    errors: Vec<FieldError>,
    today: NaiveDate,
    timepoints: &'static [Timepoint],
    housing: &'static [HousingType],
    employment: &'static [EmploymentStatus],
    health: &'static [SelfRatedHealth],
}

async fn render(
    state: &AppState,
    actor: &Actor,
    csrf: &str,
    id: i64,
    errors: Vec<FieldError>,
) -> Result<ParticipantGpraPage, PageError> {
    let a = actor.clone();
    let (interviews, first) = state
        .db
        .write(move |tx| ops::participant_gpra(tx, &a, id))
        .await?;
    let intake_on = interviews
        .iter()
        .filter(|i| i.timepoint == "intake")
        .map(|i| i.interview_on)
        .min()
        .or(first);
    Ok(ParticipantGpraPage {
        chrome: chrome(state, actor, "rpt-gpra-interviews", "/participants", csrf),
        id,
        window: intake_on.map(super::gpra::six_month_window),
        intake_on,
        interviews,
        errors,
        today: actor.zone.today(),
        timepoints: Timepoint::ALL,
        housing: HousingType::ALL,
        employment: EmploymentStatus::ALL,
        health: SelfRatedHealth::ALL,
    })
}

async fn participant_gpra(
    page: Page,
    PageId(id): PageId,
) -> Result<ParticipantGpraPage, PageError> {
    let (state, actor, csrf) = page.into_parts();
    render(&state, &actor, &csrf, id, vec![]).await
}

/// The interview from the page's form (a subset of the fields; the API takes them all).
pub fn interview_from_form(
    form: &FormFields,
    today: NaiveDate,
) -> Result<GpraInterview, Vec<FieldError>> {
    let mut errs = Vec::new();
    let timepoint = Timepoint::parse(form.get("timepoint"));
    if timepoint.is_none() {
        errs.push(FieldError::keyed(
            "timepoint",
            "error-choose-timepoint",
            &[],
        ));
    }
    let on = match parse::opt_date("interview_on", form.get("interview_on")) {
        Ok(Some(d)) => Some(d),
        Ok(None) => Some(today),
        Err(e) => {
            errs.push(e);
            None
        }
    };
    let mut num = |k: &str| -> Option<u8> {
        match parse::opt_i64(k, form.get(k), 0, 30) {
            Ok(v) => v.map(|v| v as u8),
            Err(e) => {
                errs.push(e);
                None
            }
        }
    };
    let days_any_alcohol = num("days_any_alcohol");
    let days_illegal_drugs = num("days_illegal_drugs");
    let arrests_past_30 = num("arrests_past_30");
    let days_self_help_past_30 = num("days_self_help_past_30");
    let choice = |k: &str| form.opt(k);
    let housing = choice("housing").and_then(|v| HousingType::parse(&v));
    let employment = choice("employment").and_then(|v| EmploymentStatus::parse(&v));
    let overall_health = choice("overall_health").and_then(|v| SelfRatedHealth::parse(&v));
    match (timepoint, on) {
        (Some(tp), Some(on)) if errs.is_empty() => {
            let mut i = GpraInterview::new(tp, on);
            i.days_any_alcohol = days_any_alcohol;
            i.days_illegal_drugs = days_illegal_drugs;
            i.arrests_past_30 = arrests_past_30;
            i.days_self_help_past_30 = days_self_help_past_30;
            i.housing = housing;
            i.employment = employment;
            i.overall_health = overall_health;
            Ok(i)
        }
        _ => Err(errs),
    }
}

async fn post_participant_gpra(
    page: Page,
    PageId(id): PageId,
    CsrfForm(form): CsrfForm,
) -> Result<Response, PageError> {
    let (state, actor, csrf) = page.into_parts();
    let a = actor.clone();
    let result = state
        .db
        .write(move |tx| {
            ops::record_gpra(tx, &a, id, || {
                interview_from_form(&form, actor.zone.today()).map_err(AppError::Invalid)
            })
        })
        .await;
    match result {
        Ok(_) => Ok(Redirect::to(&format!("/participants/{id}/gpra")).into_response()),
        Err(AppError::Invalid(errs)) => Ok((
            StatusCode::UNPROCESSABLE_ENTITY,
            render(&state, &actor, &csrf, id, errs).await?,
        )
            .into_response()),
        Err(e) => Err(e.into()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::reports::test_dates::date as d;

    #[test]
    fn quarters() {
        assert_eq!(
            parse_quarter("2026Q3").unwrap(),
            (d("2026-07-01"), d("2026-09-30"))
        );
        assert_eq!(
            parse_quarter("2026q4").unwrap(),
            (d("2026-10-01"), d("2026-12-31"))
        );
        assert_eq!(parse_quarter("2026Q5").unwrap_err().field, "quarter");
        assert_eq!(last_quarter(d("2026-02-01")), "2025Q4");
        assert_eq!(last_quarter(d("2026-11-23")), "2026Q3");
    }

    /// The report pages and charts show coded values by their message (`tr.code`): every
    /// code has one in every language, and the English one is the vocabulary's own label, so
    /// the API, the CSV and the English pages agree.
    #[test]
    fn every_code_the_report_pages_show_has_its_message() {
        use crate::journey::rules::{DischargeReason, FollowUpPoint, ReferralType};
        use crate::platform::i18n::{Language, Tr, code_key, sources};
        use crate::reports::gpra::{ClientType, FollowUpKind};

        let mut codes = Vec::new();
        codes.extend(sources::codes_of::<Setting>("rpt-setting-long"));
        codes.extend(Setting::ALL.iter().map(|s| {
            let short = s.label().split(" (").next().unwrap_or("").to_string();
            (code_key("rpt-setting", s.as_str()), short)
        }));
        codes.extend(sources::codes_of::<ReferralType>("rpt-referral"));
        codes.extend(sources::codes_of::<FollowUpPoint>("rpt-point"));
        codes.extend(sources::codes_of::<DischargeReason>("rpt-discharge"));
        codes.extend(sources::codes_of::<FollowUpKind>("rpt-gpra-status"));
        codes.extend(sources::codes_of::<Timepoint>("rpt-timepoint"));
        codes.extend(sources::codes_of::<ClientType>("rpt-client-type"));
        codes.extend(sources::codes_of::<HousingType>("rpt-housing"));
        codes.extend(sources::codes_of::<EmploymentStatus>("rpt-employment"));
        codes.extend(sources::codes_of::<SelfRatedHealth>("rpt-health"));
        codes.extend(
            DATASETS
                .iter()
                .map(|d| (code_key("rpt-dataset", d.name), d.title.to_string())),
        );
        codes.extend(
            PUBLIC_TABLES
                .iter()
                .map(|(n, t)| (code_key("rpt-public", n), t.to_string())),
        );
        sources::assert_labelled(&codes);
        // The buckets of days to first contact are messages too.
        let en = Tr::new(Language::En);
        for key in super::super::dashboard::CONTACT_DAY_KEYS {
            assert_ne!(en.t(key), *key, "{key}");
        }
    }
}
