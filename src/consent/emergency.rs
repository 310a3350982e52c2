//! Medical-emergency access (42 CFR 2.51) as stored: the accesses themselves (time-limited,
//! ended early by the participant's programme with the original expiry kept), the alert the
//! programme gets at once, and each programme's narrowing of which medical organisations may
//! reach its participants. Who may open or end one is decided by `platform::access`.

use chrono::{Duration, NaiveDateTime};
use diesel::prelude::*;
use serde::Serialize;

use super::schema::{alerts, emergency_accesses, emergency_policies, emergency_reach};
use crate::platform::access::{OrgKind, class_of};
use crate::platform::db::{DbConn, Tx};
use crate::platform::error::{AppError, AppResult};
use crate::platform::ids::new_id;
use crate::platform::schema::{organisations, users};
use crate::platform::time;

/// How long an emergency access lasts unless ended earlier.
pub const MINUTES: i64 = 60;

/// Organisation kinds whose staff are medical personnel under 42 CFR 2.51.
pub fn medical_kinds() -> Vec<OrgKind> {
    OrgKind::ALL
        .iter()
        .copied()
        .filter(|k| class_of(*k).is_some_and(super::rules::RecipientClass::is_medical))
        .collect()
}

/// Does the programme `org_id` let staff of `medical_org_id` reach its participants? Yes unless
/// the programme has chosen to list the medical organisations that may, and this is not one.
pub fn reach_allows(conn: &mut DbConn, org_id: i64, medical_org_id: i64) -> AppResult<bool> {
    let listed_only: Option<bool> = emergency_policies::table
        .find(org_id)
        .select(emergency_policies::listed_only)
        .first(conn)
        .optional()?;
    if !listed_only.unwrap_or(false) {
        return Ok(true);
    }
    let listed: i64 = emergency_reach::table
        .filter(emergency_reach::org_id.eq(org_id))
        .filter(emergency_reach::medical_org_id.eq(medical_org_id))
        .count()
        .get_result(conn)?;
    Ok(listed > 0)
}

/// A medical organisation of the deployment, as offered to a programme's admin.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct MedicalOrganisation {
    pub id: i64,
    pub name: String,
    /// `medical_provider`, `treatment_provider` or `jail_health`.
    #[schema(value_type = crate::platform::access::OrgKind)]
    pub kind: String,
    /// Listed by this programme as allowed to reach its participants.
    pub listed: bool,
}

/// A programme's emergency-access reach: everyone medical (the rule's default), or only listed
/// medical organisations.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct Reach {
    /// Only the listed medical organisations may open emergency access (none when the list is
    /// empty); otherwise any medical organisation of the deployment may.
    pub listed_only: bool,
    /// Every medical organisation of the deployment, with whether it is listed.
    pub organisations: Vec<MedicalOrganisation>,
}

/// The programme's reach setting with every medical organisation of the deployment.
pub fn reach(conn: &mut DbConn, org_id: i64) -> AppResult<Reach> {
    let listed_only: bool = emergency_policies::table
        .find(org_id)
        .select(emergency_policies::listed_only)
        .first(conn)
        .optional()?
        .unwrap_or(false);
    let listed: Vec<i64> = emergency_reach::table
        .filter(emergency_reach::org_id.eq(org_id))
        .select(emergency_reach::medical_org_id)
        .load(conn)?;
    let kinds: Vec<&str> = medical_kinds().iter().map(|k| k.as_str()).collect();
    let orgs: Vec<(i64, String, String)> = organisations::table
        .filter(organisations::kind.eq_any(kinds))
        .order(organisations::name)
        .select((organisations::id, organisations::name, organisations::kind))
        .load(conn)?;
    Ok(Reach {
        listed_only,
        organisations: orgs
            .into_iter()
            .map(|(id, name, kind)| MedicalOrganisation {
                listed: listed.contains(&id),
                id,
                name,
                kind,
            })
            .collect(),
    })
}

/// Set the programme's reach. Every listed id must be a medical organisation (a programme can
/// narrow 2.51, never widen it to probation or a court). Returns a one-line description of the
/// change (old → new) for the audit entry.
pub fn set_reach(
    tx: &mut Tx,
    org_id: i64,
    by: i64,
    listed_only: bool,
    listed: &[i64],
) -> AppResult<String> {
    let before = reach(tx.conn(), org_id)?;
    let medical: Vec<i64> = before.organisations.iter().map(|o| o.id).collect();
    let bad: Vec<String> = listed
        .iter()
        .filter(|id| !medical.contains(id))
        .map(std::string::ToString::to_string)
        .collect();
    if !bad.is_empty() {
        return Err(AppError::keyed(
            "organisations",
            "error-only-medical-organisations",
            &[("names", bad.join(", "))],
        ));
    }
    let now = time::now();
    diesel::delete(emergency_policies::table.find(org_id)).execute(tx.conn())?;
    diesel::insert_into(emergency_policies::table)
        .values((
            emergency_policies::org_id.eq(org_id),
            emergency_policies::listed_only.eq(listed_only),
            emergency_policies::changed_by.eq(Some(by)),
            emergency_policies::changed_at.eq(now),
        ))
        .execute(tx.conn())?;
    diesel::delete(emergency_reach::table.filter(emergency_reach::org_id.eq(org_id)))
        .execute(tx.conn())?;
    let mut ids = listed.to_vec();
    ids.sort_unstable();
    ids.dedup();
    for id in &ids {
        diesel::insert_into(emergency_reach::table)
            .values((
                emergency_reach::org_id.eq(org_id),
                emergency_reach::medical_org_id.eq(*id),
                emergency_reach::added_by.eq(Some(by)),
                emergency_reach::added_at.eq(now),
            ))
            .execute(tx.conn())?;
    }
    let describe = |only: bool, ids: &[i64]| {
        if only {
            format!(
                "listed only [{}]",
                ids.iter()
                    .map(std::string::ToString::to_string)
                    .collect::<Vec<_>>()
                    .join(",")
            )
        } else {
            "any medical organisation".to_string()
        }
    };
    let old_ids: Vec<i64> = before
        .organisations
        .iter()
        .filter(|o| o.listed)
        .map(|o| o.id)
        .collect();
    Ok(format!(
        "{} -> {}",
        describe(before.listed_only, &old_ids),
        describe(listed_only, &ids)
    ))
}

/// Open a record without consent for a medical emergency: time-limited, and alerting the
/// programme's supervisors and privacy officer (auditors) at once, on their home page.
#[allow(clippy::too_many_arguments)]
pub fn open(
    tx: &mut Tx,
    participant_id: i64,
    program_org_id: i64,
    user_id: i64,
    user_org_id: i64,
    label: &str,
    reason: &str,
) -> AppResult<(i64, NaiveDateTime)> {
    let now = time::now();
    let id = new_id();
    let expires = now + Duration::minutes(MINUTES);
    diesel::insert_into(emergency_accesses::table)
        .values((
            emergency_accesses::id.eq(id),
            emergency_accesses::org_id.eq(program_org_id),
            emergency_accesses::participant_id.eq(participant_id),
            emergency_accesses::user_id.eq(user_id),
            emergency_accesses::user_org_id.eq(user_org_id),
            emergency_accesses::reason.eq(reason),
            emergency_accesses::granted_at.eq(now),
            emergency_accesses::expires_at.eq(expires),
        ))
        .execute(tx.conn())?;
    let org_name: String = organisations::table
        .find(user_org_id)
        .select(organisations::name)
        .first(tx.conn())
        .optional()?
        .unwrap_or_default();
    diesel::insert_into(alerts::table)
        .values((
            alerts::id.eq(new_id()),
            alerts::org_id.eq(program_org_id),
            alerts::kind.eq("emergency_access"),
            alerts::participant_id.eq(Some(participant_id)),
            alerts::detail.eq(format!(
                "{label} of {org_name} opened the record without consent for a medical emergency \
                 until {} (emergency access {id}; end it early on the Emergency access page): \
                 {reason}",
                expires.format("%Y-%m-%d %H:%M UTC")
            )),
            alerts::created_at.eq(now),
        ))
        .execute(tx.conn())?;
    Ok((id, expires))
}

/// One emergency access as the programme and the opener see it.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct EmergencyRecord {
    pub id: i64,
    pub participant_id: i64,
    /// The participant's programme.
    pub org_id: i64,
    pub opened_by_user_id: i64,
    pub opened_by: String,
    pub opened_by_organisation: String,
    pub reason: String,
    #[serde(serialize_with = "crate::platform::time::rfc3339")]
    pub granted_at: NaiveDateTime,
    /// When it lapses (or lapsed) on its own.
    #[serde(serialize_with = "crate::platform::time::rfc3339")]
    pub expires_at: NaiveDateTime,
    /// Ended early by the programme or the opener (the original expiry is kept above).
    #[serde(serialize_with = "crate::platform::time::rfc3339")]
    pub ended_at: Option<NaiveDateTime>,
    pub end_reason: Option<String>,
    /// Open now.
    pub active: bool,
}

impl EmergencyRecord {
    /// When access stops: the earlier of the expiry and the early end.
    pub fn until(&self) -> NaiveDateTime {
        self.ended_at
            .map_or(self.expires_at, |e| e.min(self.expires_at))
    }
}

/// The columns of one access as selected by [`select_record!`].
type AccessRow = (
    i64,
    i64,
    i64,
    i64,
    i64,
    String,
    NaiveDateTime,
    NaiveDateTime,
    Option<NaiveDateTime>,
    Option<String>,
);

fn records(conn: &mut DbConn, rows: Vec<AccessRow>) -> AppResult<Vec<EmergencyRecord>> {
    let now = time::now();
    let mut out = Vec::with_capacity(rows.len());
    for (id, participant_id, org_id, user_id, user_org_id, reason, granted, expires, ended, why) in
        rows
    {
        let who: Option<(String, String)> = users::table
            .find(user_id)
            .select((users::name, users::email))
            .first(conn)
            .optional()?;
        let org: Option<String> = organisations::table
            .find(user_org_id)
            .select(organisations::name)
            .first(conn)
            .optional()?;
        let until = ended.map_or(expires, |e| e.min(expires));
        out.push(EmergencyRecord {
            id,
            participant_id,
            org_id,
            opened_by_user_id: user_id,
            opened_by: who.map(|(n, e)| format!("{n} ({e})")).unwrap_or_default(),
            opened_by_organisation: org.unwrap_or_default(),
            reason,
            granted_at: granted,
            expires_at: expires,
            ended_at: ended,
            end_reason: why,
            active: granted <= now && now < until,
        });
    }
    Ok(out)
}

macro_rules! select_record {
    () => {
        (
            emergency_accesses::id,
            emergency_accesses::participant_id,
            emergency_accesses::org_id,
            emergency_accesses::user_id,
            emergency_accesses::user_org_id,
            emergency_accesses::reason,
            emergency_accesses::granted_at,
            emergency_accesses::expires_at,
            emergency_accesses::ended_at,
            emergency_accesses::end_reason,
        )
    };
}

/// One emergency access by id.
pub fn find(conn: &mut DbConn, id: i64) -> AppResult<Option<EmergencyRecord>> {
    let rows = emergency_accesses::table
        .filter(emergency_accesses::id.eq(id))
        .select(select_record!())
        .load(conn)?;
    Ok(records(conn, rows)?.into_iter().next())
}

/// Emergency accesses to a programme's participants granted in the last `days` days, newest
/// first (active ones are marked).
pub fn of_programme(conn: &mut DbConn, org_id: i64, days: i64) -> AppResult<Vec<EmergencyRecord>> {
    let rows = emergency_accesses::table
        .filter(emergency_accesses::org_id.eq(org_id))
        .filter(emergency_accesses::granted_at.gt(time::now() - Duration::days(days)))
        .order(emergency_accesses::granted_at.desc())
        .limit(200)
        .select(select_record!())
        .load(conn)?;
    records(conn, rows)
}

/// End an emergency access now. The expiry it was granted with is kept; an access that has
/// already ended or lapsed is refused (409), since nothing recorded is replaced.
pub fn end(tx: &mut Tx, id: i64, by: i64, reason: &str) -> AppResult<EmergencyRecord> {
    let now = time::now();
    let Some(rec) = find(tx.conn(), id)? else {
        return Err(AppError::NotFound);
    };
    if !rec.active {
        return Err(AppError::conflict(
            "error-emergency-already-ended",
            &[
                ("id", id.to_string()),
                ("at", rec.until().format("%Y-%m-%d %H:%M UTC").to_string()),
            ],
        ));
    }
    diesel::update(emergency_accesses::table.find(id))
        .filter(emergency_accesses::ended_at.is_null())
        .set((
            emergency_accesses::ended_at.eq(Some(now)),
            emergency_accesses::ended_by.eq(Some(by)),
            emergency_accesses::end_reason.eq(Some(reason)),
        ))
        .execute(tx.conn())?;
    find(tx.conn(), id)?.ok_or(AppError::NotFound)
}
