//! Queries for organisations, facilities and staff.

use chrono::NaiveDateTime;
use diesel::prelude::*;
use serde::Serialize;

use crate::platform::access::{OrgKind, Role};
use crate::platform::audit::{self, Action, Event, Who};
use crate::platform::auth;
use crate::platform::db::{DbConn, Tx};
use crate::platform::error::{AppError, AppResult, FieldError, Said, taken};
use crate::platform::fields::Fields;
use crate::platform::ids::new_id;
use crate::platform::schema::{facilities, organisations, users};
use crate::platform::time;
use crate::platform::vocabulary::vocabulary;

vocabulary! {
    /// Where a facility sits on the custody-to-community continuum.
    pub enum SettingTerm {
        Short = "short" => "Short-term (jail, pretrial)",
        Medium = "medium" => "Medium-term (jail sentence, short prison term)",
        Long = "long" => "Long-term (prison)",
        Community = "community" => "Community corrections",
    }
}

vocabulary! {
    /// What a facility is.
    pub enum FacilityKind {
        Jail = "jail" => "Jail",
        Prison = "prison" => "Prison",
        CommunityCorrectionsOffice = "community_corrections_office" => "Community corrections office",
        ReentryCentre = "reentry_centre" => "Reentry centre",
        TreatmentCourt = "treatment_court" => "Treatment court",
    }
}

#[derive(Debug, Clone, Queryable, Selectable, Insertable, Serialize, utoipa::ToSchema)]
#[diesel(table_name = organisations)]
pub struct Organisation {
    pub id: i64,
    pub slug: String,
    pub name: String,
    #[schema(value_type = crate::platform::access::OrgKind)]
    pub kind: String,
    #[serde(serialize_with = "crate::platform::time::rfc3339")]
    pub created_at: NaiveDateTime,
    /// The organisation's time zone (tz database name), or null while not set (its clock is
    /// then UTC; decision 0040).
    pub time_zone: Option<String>,
}

impl Organisation {
    /// The organisation's clock.
    pub fn zone(&self) -> time::Zone {
        time::Zone::from_stored(self.time_zone.as_deref())
    }
}

#[derive(Debug, Clone, Queryable, Selectable, Insertable, Serialize, utoipa::ToSchema)]
#[diesel(table_name = facilities)]
pub struct Facility {
    pub id: i64,
    pub org_id: i64,
    pub name: String,
    /// jail, prison, community_corrections_office, reentry_centre, treatment_court
    #[schema(value_type = FacilityKind)]
    pub kind: String,
    /// short, medium, long, community
    #[schema(value_type = SettingTerm)]
    pub setting: String,
    #[serde(serialize_with = "crate::platform::time::rfc3339")]
    pub created_at: NaiveDateTime,
}

#[derive(Debug, Clone, Queryable, Selectable, Serialize, utoipa::ToSchema)]
#[diesel(table_name = users)]
pub struct Staff {
    pub id: i64,
    pub org_id: i64,
    pub email: String,
    pub name: String,
    #[schema(value_type = crate::platform::access::Role)]
    pub role: String,
    pub supervisor_id: Option<i64>,
    #[serde(serialize_with = "crate::platform::time::rfc3339")]
    pub disabled_at: Option<NaiveDateTime>,
    #[serde(serialize_with = "crate::platform::time::rfc3339")]
    pub created_at: NaiveDateTime,
}

/// Check an organisation slug: lowercase letters, digits and hyphens.
pub fn check_slug(slug: &str) -> Result<(), Said> {
    let ok = !slug.is_empty()
        && slug.len() <= 60
        && slug
            .chars()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-');
    if ok {
        Ok(())
    } else {
        Err(Said::new("error-slug", &[]))
    }
}

pub fn add_organisation(
    tx: &mut Tx,
    who: &Who,
    slug: &str,
    name: &str,
    kind: OrgKind,
) -> AppResult<Organisation> {
    check_slug(slug).map_err(|m| AppError::said("slug", m))?;
    if name.trim().is_empty() {
        return Err(AppError::keyed("name", "error-required", &[]));
    }
    let org = Organisation {
        id: new_id(),
        slug: slug.into(),
        name: name.trim().into(),
        kind: kind.as_str().into(),
        created_at: time::now(),
        time_zone: None,
    };
    diesel::insert_into(organisations::table)
        .values(&org)
        .execute(tx.conn())
        .map_err(taken("slug", "error-slug-taken"))?;
    audit::append(
        tx,
        who,
        Event::new(Action::OrganisationAdd, "organisation", Some(org.id)).detail(&org.slug),
    )?;
    Ok(org)
}

/// Sets the organisation's time zone (audited): from now on its days begin at its midnight, and
/// the times its people type and read are on its clock (decision 0040).
pub fn set_time_zone(tx: &mut Tx, who: &Who, org_id: i64, zone: time::Zone) -> AppResult<()> {
    let before = time::zone_of(tx.conn(), org_id)?;
    diesel::update(organisations::table.find(org_id))
        .set(organisations::time_zone.eq(Some(zone.name())))
        .execute(tx.conn())?;
    audit::append(
        tx,
        who,
        Event::new(Action::SettingsTimeZone, "organisation", Some(org_id))
            .detail(format!("{before} -> {zone}")),
    )?;
    Ok(())
}

/// The organisation's time zone as stored (`None` while it is not set).
pub fn time_zone_setting(conn: &mut DbConn, org_id: i64) -> AppResult<Option<String>> {
    Ok(organisations::table
        .find(org_id)
        .select(organisations::time_zone)
        .first::<Option<String>>(conn)
        .optional()?
        .flatten())
}

pub fn organisations(conn: &mut DbConn) -> AppResult<Vec<Organisation>> {
    Ok(organisations::table
        .order(organisations::slug)
        .select(Organisation::as_select())
        .load(conn)?)
}

pub fn organisation_by_slug(conn: &mut DbConn, slug: &str) -> AppResult<Option<Organisation>> {
    Ok(organisations::table
        .filter(organisations::slug.eq(slug))
        .select(Organisation::as_select())
        .first(conn)
        .optional()?)
}

/// A new facility, validated.
pub struct NewFacility {
    pub name: String,
    pub kind: FacilityKind,
    pub setting: SettingTerm,
}

impl NewFacility {
    /// Parse from raw form or JSON fields, naming each bad field.
    pub fn parse(name: &str, kind: &str, setting: &str) -> Result<NewFacility, Vec<FieldError>> {
        let mut f = Fields::new();
        let name = f.take(required_name("name", name));
        let kind_v = FacilityKind::parse(kind);
        if kind_v.is_none() {
            f.push(FieldError::keyed(
                "kind",
                "error-unknown-facility-kind",
                &[
                    ("value", format!("{kind:?}")),
                    ("allowed", FacilityKind::choices()),
                ],
            ));
        }
        let setting_v = SettingTerm::parse(setting);
        if setting_v.is_none() {
            f.push(FieldError::keyed(
                "setting",
                "error-unknown-setting",
                &[
                    ("value", format!("{setting:?}")),
                    ("allowed", "short, medium, long, community".to_string()),
                ],
            ));
        }
        match (name, kind_v, setting_v) {
            (Some(name), Some(kind), Some(setting)) if !f.failed() => Ok(NewFacility {
                name,
                kind,
                setting,
            }),
            _ => Err(f.into_errors()),
        }
    }
}

/// A required name of at most 200 characters, trimmed (a facility's, a staff member's).
fn required_name(field: &str, v: &str) -> Result<String, FieldError> {
    let v = v.trim();
    if v.is_empty() || v.len() > 200 {
        Err(FieldError::keyed(
            field,
            "error-required-at-most",
            &[("max", "200".into())],
        ))
    } else {
        Ok(v.to_string())
    }
}

pub fn add_facility(tx: &mut Tx, who: &Who, org_id: i64, f: &NewFacility) -> AppResult<Facility> {
    let fac = Facility {
        id: new_id(),
        org_id,
        name: f.name.clone(),
        kind: f.kind.as_str().into(),
        setting: f.setting.as_str().into(),
        created_at: time::now(),
    };
    diesel::insert_into(facilities::table)
        .values(&fac)
        .execute(tx.conn())
        .map_err(taken("name", "error-facility-name-taken"))?;
    audit::append(
        tx,
        who,
        Event::new(Action::FacilityAdd, "facility", Some(fac.id)).detail(&fac.name),
    )?;
    Ok(fac)
}

/// Every facility in the deployment (facility names are reference data, not participant data).
pub fn facilities(conn: &mut DbConn) -> AppResult<Vec<Facility>> {
    Ok(facilities::table
        .order(facilities::name)
        .select(Facility::as_select())
        .load(conn)?)
}

/// The figures an organisation's home page and its organisation page both show, counted in one
/// place so that they agree: its participants (records merged into another are not counted
/// again), its staff accounts (active and disabled) and the facilities of the registry (the list
/// the organisation page shows and every form picks from).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct OrgCounts {
    pub participants: i64,
    pub active_staff: i64,
    pub disabled_staff: i64,
    pub facilities: i64,
}

pub fn counts(conn: &mut DbConn, org_id: i64) -> AppResult<OrgCounts> {
    use crate::platform::schema::participants;
    let participants: i64 = participants::table
        .filter(participants::org_id.eq(org_id))
        .filter(participants::merged_into_id.is_null())
        .count()
        .get_result(conn)?;
    let active_staff: i64 = users::table
        .filter(users::org_id.eq(org_id))
        .filter(users::disabled_at.is_null())
        .count()
        .get_result(conn)?;
    let disabled_staff: i64 = users::table
        .filter(users::org_id.eq(org_id))
        .filter(users::disabled_at.is_not_null())
        .count()
        .get_result(conn)?;
    let facilities: i64 = facilities::table.count().get_result(conn)?;
    Ok(OrgCounts {
        participants,
        active_staff,
        disabled_staff,
        facilities,
    })
}

pub fn facility_by_name(conn: &mut DbConn, name: &str) -> AppResult<Option<Facility>> {
    Ok(facilities::table
        .filter(facilities::name.eq(name))
        .select(Facility::as_select())
        .first(conn)
        .optional()?)
}

/// A new staff account, validated. It carries no password: the staff member chooses their own
/// through a set-password link (`accounts::invite`); only the command line's bootstrap
/// (`user add`) sets one, read from standard input.
pub struct NewStaff {
    pub email: String,
    pub name: String,
    pub role: Role,
    pub supervisor_id: Option<i64>,
}

impl NewStaff {
    pub fn parse(email: &str, name: &str, role: &str) -> Result<NewStaff, Vec<FieldError>> {
        let mut f = Fields::new();
        let email = auth::normalise_email(email);
        let at = email.find('@');
        f.check(
            email.len() > 254
                || at.is_none_or(|i| i == 0 || i == email.len() - 1)
                || email.contains(char::is_whitespace),
            "email",
            "error-not-an-email",
        );
        let name = f.take(required_name("name", name));
        let role_v = Role::parse(role);
        if role_v.is_none() {
            f.push(FieldError::keyed(
                "role",
                "error-unknown-role",
                &[
                    ("value", format!("{role:?}")),
                    (
                        "allowed",
                        "admin, supervisor, peer, team, auditor".to_string(),
                    ),
                ],
            ));
        }
        match (name, role_v) {
            (Some(name), Some(role)) if !f.failed() => Ok(NewStaff {
                email,
                name,
                role,
                supervisor_id: None,
            }),
            _ => Err(f.into_errors()),
        }
    }
}

/// Add a staff account with a password chosen at the command line (the first administrator of
/// a new installation); checked like every new password, field `password`.
pub fn add_staff(
    tx: &mut Tx,
    who: &Who,
    org_id: i64,
    s: &NewStaff,
    password: &str,
) -> AppResult<Staff> {
    auth::check_new_password(password, &[&s.email, &s.name])
        .map_err(|m| AppError::said("password", m))?;
    let hash = auth::hash_password(password)?;
    add_staff_with_hash(tx, who, org_id, s, &hash)
}

/// Add a staff account whose password hash is already computed (bulk demo generation).
pub fn add_staff_with_hash(
    tx: &mut Tx,
    who: &Who,
    org_id: i64,
    s: &NewStaff,
    hash: &str,
) -> AppResult<Staff> {
    let staff = Staff {
        id: new_id(),
        org_id,
        email: s.email.clone(),
        name: s.name.clone(),
        role: s.role.as_str().into(),
        supervisor_id: s.supervisor_id,
        disabled_at: None,
        created_at: time::now(),
    };
    diesel::insert_into(users::table)
        .values((
            users::id.eq(staff.id),
            users::org_id.eq(org_id),
            users::email.eq(&staff.email),
            users::name.eq(&staff.name),
            users::role.eq(&staff.role),
            users::password_hash.eq(hash),
            users::supervisor_id.eq(staff.supervisor_id),
            users::created_at.eq(staff.created_at),
        ))
        .execute(tx.conn())
        .map_err(taken("email", "error-email-taken"))?;
    audit::append(
        tx,
        who,
        Event::new(Action::StaffAdd, "user", Some(staff.id))
            .detail(format!("{} as {}", staff.email, staff.role)),
    )?;
    Ok(staff)
}

pub fn staff_of(conn: &mut DbConn, org_id: Option<i64>) -> AppResult<Vec<Staff>> {
    let mut q = users::table.into_boxed();
    if let Some(org) = org_id {
        q = q.filter(users::org_id.eq(org));
    }
    Ok(q.order((users::org_id, users::name))
        .select(Staff::as_select())
        .load(conn)?)
}

pub fn staff_by_email(conn: &mut DbConn, email: &str) -> AppResult<Option<Staff>> {
    Ok(users::table
        .filter(users::email.eq(auth::normalise_email(email)))
        .select(Staff::as_select())
        .first(conn)
        .optional()?)
}

/// Disable an account by e-mail (the command line); see `accounts::disable`.
pub fn disable_staff(tx: &mut Tx, who: &Who, email: &str) -> AppResult<Staff> {
    let staff = staff_by_email(tx.conn(), email)?.ok_or(AppError::NotFound)?;
    super::accounts::disable(tx, who, staff.id)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::platform::vocabulary::assert_vocabularies;

    #[test]
    fn facility_kinds_and_settings_are_vocabularies() {
        assert_vocabularies! { FacilityKind, SettingTerm }
    }
}
