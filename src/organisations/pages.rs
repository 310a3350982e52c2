//! The organisation admin page (facilities; staff: invitations, set-password links, disabling,
//! second-factor resets; API tokens of the organisation's staff and their lifetime) and the
//! set-password page an invitation or a new link opens (`/welcome/{token}`).

use crate::platform::i18n::Tr;
use askama::Template;
use askama_web::WebTemplate;
use axum::Extension;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::{get, post};

use super::accounts::{self, IssuedLink, LinkState};
use super::ops;
use super::store::{self, Facility, FacilityKind, NewFacility, NewStaff, SettingTerm, Staff};
use crate::platform::access::{self, Role};
use crate::platform::auth::{self, TokenView};
use crate::platform::error::{AppError, FieldError};
use crate::platform::time;
use crate::platform::web::error::{PageError, form_again, refused_input, request_language};
use crate::platform::web::extract::{ClientAddr, CsrfForm, Page, PageId};
use crate::platform::web::layout::Chrome;
use crate::platform::web::{AppState, CsrfToken, PageRoute};

pub fn routes() -> Vec<PageRoute> {
    vec![
        PageRoute::general("/admin", &["GET"], get(admin_page)),
        PageRoute::general("/admin/facilities", &["POST"], post(add_facility)),
        PageRoute::general("/admin/staff", &["POST"], post(invite_staff)),
        staff_route("/admin/staff/{id}/password-link", StaffAction::PasswordLink),
        staff_route("/admin/staff/{id}/disable", StaffAction::Disable),
        staff_route("/admin/staff/{id}/reset-mfa", StaffAction::ResetMfa),
        staff_route("/admin/tokens/{id}/revoke", StaffAction::RevokeToken),
        PageRoute::general("/admin/settings/tokens", &["POST"], post(token_settings)),
        PageRoute::general(
            "/admin/settings/time-zone",
            &["POST"],
            post(time_zone_settings),
        ),
        PageRoute::general("/admin/settings/field", &["POST"], post(field_settings)),
        PageRoute::general(
            "/welcome/{token}",
            &["GET", "POST"],
            get(welcome_page).post(welcome_post),
        ),
    ]
}

#[derive(Template, WebTemplate)]
#[template(path = "admin.html")]
struct AdminPage {
    chrome: Chrome,
    facilities: Vec<Facility>,
    staff: Vec<Staff>,
    errors: Vec<FieldError>,
    kinds: &'static [FacilityKind],
    settings: &'static [SettingTerm],
    roles: &'static [Role],
    form_section: &'static str,
    /// A set-password link just issued: shown this once.
    issued: Option<IssuedLink>,
    /// What the last action did (or why it could not).
    notice: Option<String>,
    tokens: Vec<TokenView>,
    token_days: i64,
    /// Minutes an overdue field check-out alerts only the supervisor.
    escalate_after_minutes: i64,
    /// The organisation's time zone, `None` while not set (UTC).
    time_zone: Option<String>,
    zone_names: &'static [&'static str],
    me: i64,
    /// The same figures as the admin's home page.
    counts: store::OrgCounts,
}

/// Zones offered first on the form (any tz database name is accepted).
const ZONE_NAMES: &[&str] = &[
    "America/New_York",
    "America/Chicago",
    "America/Denver",
    "America/Phoenix",
    "America/Los_Angeles",
    "America/Anchorage",
    "Pacific/Honolulu",
    "America/Puerto_Rico",
    "UTC",
];

/// What to show around the admin page after an action.
#[derive(Default)]
struct Outcome {
    errors: Vec<FieldError>,
    section: &'static str,
    issued: Option<IssuedLink>,
    notice: Option<String>,
}

async fn render(page: &Page, outcome: Outcome) -> Result<AdminPage, PageError> {
    let org = page.actor.org_id;
    let (facilities, staff, tokens, token_days, counts, time_zone) = page
        .state
        .db
        .run(move |c| {
            Ok((
                store::facilities(c)?,
                store::staff_of(c, Some(org))?,
                auth::tokens(c, org, None)?,
                auth::token_lifetime_days(c, org)?,
                store::counts(c, org)?,
                store::time_zone_setting(c, org)?,
            ))
        })
        .await?;
    let field = page.read(crate::field::ops::settings).await?;
    let mut chrome = page.chrome("", "/admin");
    chrome.title = chrome.tr.t("adm-title");
    Ok(AdminPage {
        chrome,
        facilities,
        staff,
        errors: outcome.errors,
        kinds: FacilityKind::ALL,
        settings: SettingTerm::ALL,
        roles: &Role::BY_PRIVILEGE,
        form_section: outcome.section,
        issued: outcome.issued,
        notice: outcome.notice,
        tokens,
        token_days,
        time_zone,
        escalate_after_minutes: field.escalate_after_minutes,
        zone_names: ZONE_NAMES,
        me: page.actor.user_id,
        counts,
    })
}

async fn admin_page(page: Page) -> Result<impl IntoResponse, PageError> {
    access::administer(&page.actor)?;
    render(&page, Outcome::default()).await
}

/// The admin page again (422), the refused input's errors beside the form of `section`.
async fn refused(
    page: &Page,
    section: &'static str,
    errors: Vec<FieldError>,
) -> Result<Response, PageError> {
    form_again(
        render(
            page,
            Outcome {
                errors,
                section,
                ..Outcome::default()
            },
        )
        .await?,
    )
}

async fn add_facility(page: Page, CsrfForm(form): CsrfForm) -> Result<Response, PageError> {
    access::administer(&page.actor)?;
    let result = match NewFacility::parse(form.get("name"), form.get("kind"), form.get("setting")) {
        Ok(new) => {
            page.write(move |tx, a| store::add_facility(tx, &a.who(), a.org_id, &new))
                .await
        }
        Err(errs) => Err(AppError::Invalid(errs)),
    };
    match refused_input(result)? {
        Ok(_) => Ok(Redirect::to("/admin").into_response()),
        Err(errors) => refused(&page, "facility", errors).await,
    }
}

/// The signed-in user's interface language.
fn tr_of(page: &Page) -> Tr {
    Tr::new(page.actor.language.unwrap_or_default())
}

/// Turn the result of an action into the admin page: the outcome on success, field errors
/// beside the form of `section`, a conflict (last admin, own account, disabled account) as a
/// notice.
async fn after_action(
    page: &Page,
    section: &'static str,
    result: Result<Outcome, AppError>,
) -> Result<Response, PageError> {
    match result {
        Ok(outcome) => Ok(render(page, outcome).await?.into_response()),
        Err(AppError::Invalid(errors)) => refused(page, section, errors).await,
        Err(AppError::Conflict(m)) => Ok((
            StatusCode::CONFLICT,
            render(
                page,
                Outcome {
                    notice: Some(m.shown(&Tr::new(request_language()))),
                    ..Outcome::default()
                },
            )
            .await?,
        )
            .into_response()),
        Err(e) => Err(e.into()),
    }
}

/// Invite a staff member: name, e-mail and role; they choose their own password through the
/// link shown once here.
async fn invite_staff(page: Page, CsrfForm(form): CsrfForm) -> Result<Response, PageError> {
    access::administer(&page.actor)?;
    let tr = tr_of(&page);
    let result = match NewStaff::parse(form.get("email"), form.get("name"), form.get("role")) {
        Ok(new) => {
            let public = page.state.config.public_url.clone();
            page.write(move |tx, a| {
                accounts::invite(tx, &a.who(), a.org_id, &new, public.as_deref())
            })
            .await
            .map(|(staff, link)| Outcome {
                notice: Some(tr.t1("adm-invited", "name", &staff.name)),
                issued: Some(link),
                ..Outcome::default()
            })
        }
        Err(errs) => Err(AppError::Invalid(errs)),
    };
    after_action(&page, "staff", result).await
}

/// What an admin does to one staff account from the admin page.
#[derive(Debug, Clone, Copy)]
enum StaffAction {
    PasswordLink,
    Disable,
    ResetMfa,
    RevokeToken,
}

/// One handler for the staff actions: the operation, then the admin page with what happened.
async fn staff_action(action: StaffAction, page: Page, id: i64) -> Result<Response, PageError> {
    let public = page.state.config.public_url.clone();
    let tr = tr_of(&page);
    let result = page
        .write(move |tx, a| {
            Ok(match action {
                StaffAction::PasswordLink => {
                    let link = ops::new_password_link(tx, a, id, public.as_deref())?;
                    Outcome {
                        notice: Some(tr.t1("adm-new-link", "email", &link.email)),
                        issued: Some(link),
                        ..Outcome::default()
                    }
                }
                StaffAction::Disable => Outcome {
                    notice: Some(tr.t1(
                        "adm-disabled-notice",
                        "email",
                        ops::disable(tx, a, id)?.email,
                    )),
                    ..Outcome::default()
                },
                StaffAction::ResetMfa => Outcome {
                    notice: Some(tr.t1("adm-mfa-reset", "email", ops::reset_mfa(tx, a, id)?.email)),
                    ..Outcome::default()
                },
                StaffAction::RevokeToken => {
                    ops::revoke_token(tx, a, id)?;
                    Outcome {
                        notice: Some(tr.t1("adm-token-revoked", "id", id)),
                        ..Outcome::default()
                    }
                }
            })
        })
        .await;
    after_action(&page, "staff", result).await
}

/// The route of one staff action (the form carries only its CSRF token).
fn staff_route(path: &'static str, action: StaffAction) -> PageRoute {
    PageRoute::general(
        path,
        &["POST"],
        post(
            move |page: Page, PageId(id): PageId, CsrfForm(_form): CsrfForm| {
                staff_action(action, page, id)
            },
        ),
    )
}

async fn token_settings(page: Page, CsrfForm(form): CsrfForm) -> Result<Response, PageError> {
    access::administer(&page.actor)?;
    let raw = form.get("token_lifetime_days").trim().to_string();
    let tr = tr_of(&page);
    let result = match raw.parse::<i64>() {
        Ok(days) => page
            .write(move |tx, a| auth::set_token_lifetime_days(tx, &a.who(), a.org_id, days))
            .await
            .map(|()| Outcome {
                notice: Some(tr.t1("adm-token-days-set", "days", days)),
                ..Outcome::default()
            }),
        Err(_) => Err(AppError::keyed(
            "token_lifetime_days",
            "error-not-whole-days-from-to",
            &[
                ("value", format!("{raw:?}")),
                ("min", auth::TOKEN_LIFETIME_RANGE.start().to_string()),
                ("max", auth::TOKEN_LIFETIME_RANGE.end().to_string()),
            ],
        )),
    };
    after_action(&page, "tokens", result).await
}

/// Set the organisation's time zone (admins; audited).
async fn time_zone_settings(page: Page, CsrfForm(form): CsrfForm) -> Result<Response, PageError> {
    access::administer(&page.actor)?;
    let tr = tr_of(&page);
    let result = match time::Zone::parse("time_zone", form.get("time_zone")) {
        Ok(zone) => page
            .write(move |tx, a| ops::set_time_zone(tx, a, zone))
            .await
            .map(|()| Outcome {
                notice: Some(tr.t1("adm-zone-now", "zone", zone)),
                ..Outcome::default()
            }),
        Err(e) => Err(AppError::Invalid(vec![e])),
    };
    after_action(&page, "zone", result).await
}

/// Set how long an overdue field check-out alerts only the supervisor.
async fn field_settings(page: Page, CsrfForm(form): CsrfForm) -> Result<Response, PageError> {
    let tr = tr_of(&page);
    let minutes = form.get("escalate_after_minutes").trim().parse::<i64>();
    let result = match minutes {
        Ok(m) => {
            let input = crate::field::ops::FieldSettings {
                escalate_after_minutes: m,
            };
            page.write(move |tx, a| crate::field::ops::set_settings(tx, a, &input))
                .await
                .map(|s| Outcome {
                    notice: Some(tr.t1("field-settings-now", "minutes", s.escalate_after_minutes)),
                    ..Outcome::default()
                })
        }
        Err(_) => Err(AppError::keyed(
            "escalate_after_minutes",
            "field-error-escalate-range",
            &[
                ("min", crate::field::rules::EscalateAfter::MIN.to_string()),
                ("max", crate::field::rules::EscalateAfter::MAX.to_string()),
            ],
        )),
    };
    after_action(&page, "field", result).await
}

#[derive(Template, WebTemplate)]
#[template(path = "welcome.html")]
struct WelcomePage {
    chrome: Chrome,
    /// `usable`, `used`, `expired` or `unknown`.
    state: &'static str,
    name: String,
    email: String,
    invitation: bool,
    expires: String,
    token: String,
    errors: Vec<FieldError>,
}

fn welcome_view(state: &AppState, csrf: &str, token: &str, link: LinkState) -> WelcomePage {
    let mut page = WelcomePage {
        chrome: Chrome::anonymous("", csrf, state.config.demo),
        state: "unknown",
        name: String::new(),
        email: String::new(),
        invitation: false,
        expires: String::new(),
        token: token.to_string(),
        errors: vec![],
    };
    page.chrome.title = page.chrome.tr.t("welcome-page-title");
    match link {
        LinkState::Usable {
            email,
            name,
            purpose,
            expires_at,
            ..
        } => {
            page.state = "usable";
            page.name = name;
            page.email = email;
            page.invitation = purpose == accounts::LinkPurpose::Invitation;
            page.expires = expires_at.format("%Y-%m-%d %H:%M").to_string();
        }
        LinkState::Used => {
            page.state = "used";
            page.chrome.title = page.chrome.tr.t("welcome-used-title");
        }
        LinkState::Expired => {
            page.state = "expired";
            page.chrome.title = page.chrome.tr.t("welcome-expired-title");
        }
        LinkState::Unknown => {
            page.state = "unknown";
            page.chrome.title = page.chrome.tr.t("welcome-unknown-title");
        }
    }
    page
}

fn welcome_status(page: &WelcomePage) -> StatusCode {
    match page.state {
        "usable" => StatusCode::OK,
        "unknown" => StatusCode::NOT_FOUND,
        _ => StatusCode::GONE,
    }
}

/// The page a set-password link opens: choose a password, or a clear word that the link is
/// used, expired or unknown.
async fn welcome_page(
    State(state): State<AppState>,
    Extension(csrf): Extension<CsrfToken>,
    Path(token): Path<String>,
) -> Result<Response, PageError> {
    let t = token.clone();
    let link = state.db.run(move |c| accounts::link_state(c, &t)).await?;
    let page = welcome_view(&state, &csrf.0, &token, link);
    Ok((welcome_status(&page), page).into_response())
}

async fn welcome_post(
    State(state): State<AppState>,
    Extension(csrf): Extension<CsrfToken>,
    ClientAddr(addr): ClientAddr,
    Path(token): Path<String>,
    CsrfForm(form): CsrfForm,
) -> Result<Response, PageError> {
    let (t, password, confirm) = (
        token.clone(),
        form.get("password").to_string(),
        form.get("confirm_password").to_string(),
    );
    let result = state
        .db
        .write(move |tx| accounts::set_password(tx, &t, &password, &confirm, &addr))
        .await;
    match result {
        Ok(_email) => Ok(Redirect::to("/sign-in?welcome=1").into_response()),
        Err(e @ (AppError::Invalid(_) | AppError::Conflict(_) | AppError::NotFound)) => {
            let t = token.clone();
            let link = state.db.run(move |c| accounts::link_state(c, &t)).await?;
            let mut page = welcome_view(&state, &csrf.0, &token, link);
            let status = match e {
                AppError::Invalid(errors) => {
                    page.errors = errors;
                    StatusCode::UNPROCESSABLE_ENTITY
                }
                _ => welcome_status(&page),
            };
            Ok((status, page).into_response())
        }
        Err(e) => Err(e.into()),
    }
}

#[cfg(test)]
mod tests {
    use super::store::{FacilityKind, SettingTerm};
    use crate::platform::access::OrgKind;
    use crate::platform::i18n::sources;

    /// The organisation page (and the emergency page's medical organisations) show facility
    /// kinds, settings and organisation kinds by their message: every code has one in every
    /// language, and the English one is the vocabulary's own label.
    #[test]
    fn every_code_the_admin_pages_show_has_its_message() {
        let mut codes = sources::codes_of::<FacilityKind>("adm-facility-kind");
        codes.extend(sources::codes_of::<SettingTerm>("adm-setting"));
        codes.extend(sources::codes_of::<OrgKind>("adm-org-kind"));
        sources::assert_labelled(&codes);
    }
}
