//! The billing page (`/billing`) for a programme's admins and supervisors: its payers and
//! grants (admins add them here: `POST /billing/payers`, `POST /billing/grants`), and the
//! claims of a payer for a period (last month unless asked), viewed on the page — the billed
//! lines and the rejected lines with the reason in words — or downloaded as CSV or as the X12
//! 837P file through the API (`/api/v1/billing/claims`). Every read and change is an operation
//! of `ops.rs`, which asks the access policy.

use askama::Template;
use askama_web::WebTemplate;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use chrono::NaiveDate;

use super::demo::last_month;
use super::ops::{self, ClaimsReport, money};
use super::rules::{Grant, Rounding};
use super::store::Payer;
use crate::platform::access::Actor;
use crate::platform::audit::Action;
use crate::platform::db::Tx;
use crate::platform::error::{AppError, AppResult, FieldError};
use crate::platform::web::error::PageError;
use crate::platform::web::extract::{CsrfForm, FormFields, Page, QueryFields};
use crate::platform::web::layout::Chrome;
use crate::platform::web::{AppState, PageRoute};

/// The most lines of each kind the page lists (the CSV has them all).
pub const PAGE_LINES_MAX: usize = 500;

pub fn routes() -> Vec<PageRoute> {
    vec![
        PageRoute::general("/billing", &["GET"], get(billing_page)),
        PageRoute::general("/billing/payers", &["POST"], post(post_payer)),
        PageRoute::general("/billing/grants", &["POST"], post(post_grant)),
    ]
}

/// A payer as the page lists it.
struct PayerRow {
    id: i64,
    name: String,
    kind: String,
    payer_code: String,
    procedure: String,
    minutes_per_unit: u32,
    rounding: Rounding,
    cap: String,
    ratio: String,
    rate: String,
    diagnosis: String,
}

impl PayerRow {
    fn of(p: &Payer) -> Self {
        let r = &p.rules;
        PayerRow {
            id: p.id,
            name: p.name.clone(),
            kind: p.kind.clone(),
            payer_code: p.payer_code.clone(),
            procedure: format!("{} / {}", r.procedure_code, r.group_modifier),
            minutes_per_unit: r.minutes_per_unit,
            rounding: r.rounding,
            cap: r
                .daily_unit_cap
                .map_or_else(|| "—".into(), |c| c.to_string()),
            ratio: r
                .max_group_size
                .map_or_else(|| "—".into(), |c| format!("1:{c}")),
            rate: money(r.unit_rate_cents),
            diagnosis: r.diagnosis_code.clone(),
        }
    }
}

/// A claim line, billed or rejected, as the page shows it.
struct LineRow {
    date: NaiveDate,
    encounter_id: i64,
    participant_id: i64,
    member_id: String,
    code: String,
    place_of_service: String,
    minutes: u32,
    units: u32,
    charge: String,
    /// The reason's code, for a rejected line.
    reason: String,
}

struct ClaimsView {
    payer: String,
    from: NaiveDate,
    to: NaiveDate,
    lines: Vec<LineRow>,
    rejected: Vec<LineRow>,
    units: u32,
    charge: String,
    /// Lines left off the page (each list shows at most `PAGE_LINES_MAX`).
    more: usize,
}

impl ClaimsView {
    fn of(r: &ClaimsReport) -> Self {
        let member = |p: i64| r.member_ids.get(&p).cloned().unwrap_or_default();
        let lines: Vec<LineRow> = r
            .lines
            .iter()
            .take(PAGE_LINES_MAX)
            .map(|l| LineRow {
                date: l.date,
                encounter_id: l.encounter_id,
                participant_id: l.participant_id,
                member_id: member(l.participant_id),
                code: std::iter::once(l.procedure_code.clone())
                    .chain(l.modifiers.iter().cloned())
                    .collect::<Vec<_>>()
                    .join(":"),
                place_of_service: l.place_of_service.clone(),
                minutes: l.minutes,
                units: l.units,
                charge: money(l.charge_cents),
                reason: String::new(),
            })
            .collect();
        let rejected: Vec<LineRow> = r
            .rejected
            .iter()
            .take(PAGE_LINES_MAX)
            .map(|l| LineRow {
                date: l.date,
                encounter_id: l.encounter_id,
                participant_id: l.participant_id,
                member_id: member(l.participant_id),
                code: r.payer.rules.procedure_code.clone(),
                place_of_service: String::new(),
                minutes: l.minutes,
                units: l.units,
                charge: String::new(),
                reason: l.reason.as_str().to_string(),
            })
            .collect();
        ClaimsView {
            payer: r.payer.name.clone(),
            from: r.from,
            to: r.to,
            more: (r.lines.len() + r.rejected.len()).saturating_sub(lines.len() + rejected.len()),
            lines,
            rejected,
            units: r.units,
            charge: money(r.charge_cents),
        }
    }
}

#[derive(Template, WebTemplate)]
#[template(path = "billing/index.html")]
struct BillingPage {
    chrome: Chrome,
    /// Shows the forms that add payers and grants.
    admin: bool,
    payers: Vec<PayerRow>,
    grants: Vec<Grant>,
    /// `(id, name, selected)` for the claims form.
    payer_choices: Vec<(i64, String, bool)>,
    from: String,
    to: String,
    claims: Option<ClaimsView>,
    /// The refused form's errors, and which form (`payer`, `grant`, `claims`).
    errors: Vec<FieldError>,
    refused: &'static str,
    roundings: &'static [Rounding],
}

impl BillingPage {
    fn money(&self, cents: &i64) -> String {
        money(*cents)
    }
}

/// Read what the page lists and render it, with the claims of `q` when it names a payer.
async fn render(
    state: &AppState,
    actor: &Actor,
    csrf: &str,
    q: Option<FormFields>,
    errors: Vec<FieldError>,
    refused: &'static str,
) -> Result<(StatusCode, BillingPage), PageError> {
    let a = actor.clone();
    let (payers, grants) = state
        .db
        .read(move |tx| Ok((ops::payers(tx, &a)?, ops::grants(tx, &a)?)))
        .await?;
    let (d_from, d_to) = last_month(actor.zone.today());
    let mut errors = errors;
    let mut refused = refused;
    let mut claims = None;
    let (mut from, mut to, mut chosen) = (d_from.to_string(), d_to.to_string(), None);
    if let Some(q) = q.filter(|q| !q.get("payer").is_empty()) {
        from = q.get("from").to_string();
        to = q.get("to").to_string();
        chosen = q.get("payer").parse::<i64>().ok();
        match ops::claims(&state.db, actor, &q, Action::BillingClaimsHtml).await {
            Ok(r) => claims = Some(ClaimsView::of(&r)),
            Err(AppError::Invalid(e)) => {
                errors = e;
                refused = "claims";
            }
            Err(e) => return Err(e.into()),
        }
    }
    let chosen = chosen.or_else(|| payers.first().map(|p| p.id));
    let status = if errors.is_empty() {
        StatusCode::OK
    } else {
        StatusCode::UNPROCESSABLE_ENTITY
    };
    let mut chrome = Chrome::new(actor, "", "/billing", csrf, state.config.demo);
    chrome.title = chrome.tr.t("billing-title");
    Ok((
        status,
        BillingPage {
            chrome,
            admin: ops::may_administer(actor),
            payer_choices: payers
                .iter()
                .map(|p| (p.id, p.name.clone(), Some(p.id) == chosen))
                .collect(),
            payers: payers.iter().map(PayerRow::of).collect(),
            grants,
            from,
            to,
            claims,
            errors,
            refused,
            roundings: Rounding::ALL,
        },
    ))
}

async fn billing_page(page: Page, QueryFields(q): QueryFields) -> Result<Response, PageError> {
    let (state, actor, csrf) = page.into_parts();
    Ok(render(&state, &actor, &csrf, Some(q), Vec::new(), "")
        .await?
        .into_response())
}

/// A form of the billing page: written, then back to its list (`#payers`, `#grants`); refused,
/// the page again with what was wrong beside the form's fields.
async fn post_form<T: Send + 'static>(
    page: Page,
    form_name: &'static str,
    write: impl FnOnce(&mut Tx, &Actor) -> AppResult<T> + Send + 'static,
) -> Result<Response, PageError> {
    let (state, actor, csrf) = page.into_parts();
    let a = actor.clone();
    match state.db.write(move |tx| write(tx, &a)).await {
        Ok(_) => Ok(Redirect::to(&format!("/billing#{form_name}s")).into_response()),
        Err(AppError::Invalid(errs)) => Ok(render(&state, &actor, &csrf, None, errs, form_name)
            .await?
            .into_response()),
        Err(e) => Err(e.into()),
    }
}

async fn post_payer(page: Page, CsrfForm(form): CsrfForm) -> Result<Response, PageError> {
    post_form(page, "payer", move |tx, a| ops::add_payer(tx, a, &form)).await
}

async fn post_grant(page: Page, CsrfForm(form): CsrfForm) -> Result<Response, PageError> {
    post_form(page, "grant", move |tx, a| ops::add_grant(tx, a, &form)).await
}

#[cfg(test)]
mod tests {
    use crate::platform::web::untranslated::untranslated_in;

    /// Every word a person reads on the billing page is a message, in English and Spanish.
    #[test]
    fn the_billing_page_leaves_no_word_untranslated() {
        let found = untranslated_in(&["billing/index.html"]);
        assert!(found.is_empty(), "untranslated:\n{}", found.join("\n"));
    }
}
