//! The organisation admin page: facilities and staff.

use askama::Template;
use askama_web::WebTemplate;
use axum::Extension;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::{get, post};

use super::store::{self, Facility, FacilityKind, NewFacility, NewStaff, SettingTerm, Staff};
use crate::platform::access::{self, Actor, Role};
use crate::platform::error::{AppError, FieldError};
use crate::platform::web::error::PageError;
use crate::platform::web::extract::{CsrfForm, PageUser};
use crate::platform::web::layout::Chrome;
use crate::platform::web::{AppState, CsrfToken, PageRoute};

pub fn routes() -> Vec<PageRoute> {
    vec![
        PageRoute {
            path: "/admin",
            methods: &["GET"],
            participant_scoped: false,
            handler: get(admin_page),
        },
        PageRoute {
            path: "/admin/facilities",
            methods: &["POST"],
            participant_scoped: false,
            handler: post(add_facility),
        },
        PageRoute {
            path: "/admin/staff",
            methods: &["POST"],
            participant_scoped: false,
            handler: post(add_staff),
        },
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
}

async fn render(
    state: &AppState,
    actor: &Actor,
    csrf: &str,
    errors: Vec<FieldError>,
    section: &'static str,
) -> Result<AdminPage, PageError> {
    let org = actor.org_id;
    let (facilities, staff) = state
        .db
        .run(move |c| Ok((store::facilities(c)?, store::staff_of(c, Some(org))?)))
        .await?;
    Ok(AdminPage {
        chrome: Chrome::new(actor, "Organisation", "/admin", csrf, state.config.demo),
        facilities,
        staff,
        errors,
        kinds: FacilityKind::ALL,
        settings: SettingTerm::ALL,
        roles: Role::ALL,
        form_section: section,
    })
}

async fn admin_page(
    State(state): State<AppState>,
    Extension(csrf): Extension<CsrfToken>,
    PageUser(actor): PageUser,
) -> Result<impl IntoResponse, PageError> {
    access::administer(&actor)?;
    render(&state, &actor, &csrf.0, vec![], "").await
}

async fn add_facility(
    State(state): State<AppState>,
    Extension(csrf): Extension<CsrfToken>,
    PageUser(actor): PageUser,
    CsrfForm(form): CsrfForm,
) -> Result<Response, PageError> {
    access::administer(&actor)?;
    let parsed = NewFacility::parse(form.get("name"), form.get("kind"), form.get("setting"));
    let result = match parsed {
        Ok(new) => {
            let who = actor.who();
            let org = actor.org_id;
            state
                .db
                .write(move |tx| store::add_facility(tx, &who, org, &new))
                .await
                .map(|_| ())
        }
        Err(errs) => Err(AppError::Invalid(errs)),
    };
    match result {
        Ok(()) => Ok(Redirect::to("/admin").into_response()),
        Err(AppError::Invalid(errs)) => Ok((
            StatusCode::UNPROCESSABLE_ENTITY,
            render(&state, &actor, &csrf.0, errs, "facility").await?,
        )
            .into_response()),
        Err(e) => Err(e.into()),
    }
}

async fn add_staff(
    State(state): State<AppState>,
    Extension(csrf): Extension<CsrfToken>,
    PageUser(actor): PageUser,
    CsrfForm(form): CsrfForm,
) -> Result<Response, PageError> {
    access::administer(&actor)?;
    let parsed = NewStaff::parse(
        form.get("email"),
        form.get("name"),
        form.get("role"),
        form.get("password"),
    );
    let result = match parsed {
        Ok(new) => {
            let who = actor.who();
            let org = actor.org_id;
            state
                .db
                .write(move |tx| store::add_staff(tx, &who, org, &new))
                .await
                .map(|_| ())
        }
        Err(errs) => Err(AppError::Invalid(errs)),
    };
    match result {
        Ok(()) => Ok(Redirect::to("/admin").into_response()),
        Err(AppError::Invalid(errs)) => Ok((
            StatusCode::UNPROCESSABLE_ENTITY,
            render(&state, &actor, &csrf.0, errs, "staff").await?,
        )
            .into_response()),
        Err(e) => Err(e.into()),
    }
}
