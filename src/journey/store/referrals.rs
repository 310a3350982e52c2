//! Referrals, closed loop: each referral and the history of its status.

use chrono::NaiveDate;
use diesel::prelude::*;
use serde::{Deserialize, Serialize};

use super::parse::{code, collect, date, done, opt_date, text};
use crate::journey::rules::{self, ReferralStatus, ReferralType, label_of};
use crate::journey::schema::{referral_events, referrals};
use crate::platform::access::ParticipantGrant;
use crate::platform::db::{DbConn, Tx};
use crate::platform::error::{AppError, AppResult, FieldError};
use crate::platform::ids::new_id;
use crate::platform::time;

#[derive(Debug, Clone, Queryable, Selectable, Serialize, utoipa::ToSchema)]
#[diesel(table_name = referral_events)]
pub struct ReferralEvent {
    pub id: i64,
    pub referral_id: i64,
    #[schema(value_type = crate::journey::rules::ReferralStatus)]
    pub status: String,
    pub reason: Option<String>,
    pub occurred_on: NaiveDate,
}

#[derive(Debug, Clone, Queryable, Selectable, Serialize, utoipa::ToSchema)]
#[diesel(table_name = referrals)]
pub struct ReferralRow {
    pub id: i64,
    /// treatment, moud, mental_health, housing, employment, benefits, medical,
    /// recovery_community, legal, other
    #[schema(value_type = crate::journey::rules::ReferralType)]
    pub referral_type: String,
    pub provider_name: String,
    pub provider_contact: String,
    /// pending, needs_client_action, scheduled, attended, could_not_contact, not_eligible,
    /// no_capacity, could_not_get_help, no_longer_interested, referred_elsewhere
    #[schema(value_type = crate::journey::rules::ReferralStatus)]
    pub status: String,
    pub referred_on: NaiveDate,
    /// The date of linkage (first "attended").
    pub linked_on: Option<NaiveDate>,
}

#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct Referral {
    #[serde(flatten)]
    pub referral: ReferralRow,
    pub history: Vec<ReferralEvent>,
}

impl Referral {
    pub fn type_label(&self) -> &'static str {
        label_of::<ReferralType>(&self.referral.referral_type)
    }
    pub fn status_label(&self) -> &'static str {
        label_of::<ReferralStatus>(&self.referral.status)
    }
}

#[derive(Debug, Clone, Default, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ReferralInput {
    #[schema(value_type = crate::journey::rules::ReferralType)]
    pub referral_type: String,
    pub provider_name: String,
    #[serde(default)]
    pub provider_contact: String,
    /// YYYY-MM-DD
    #[schema(format = Date)]
    pub referred_on: String,
}

pub fn add_referral(
    tx: &mut Tx,
    grant: &ParticipantGrant,
    actor_id: i64,
    i: &ReferralInput,
) -> AppResult<Referral> {
    let mut errs = Vec::new();
    let t = collect(
        code(
            "referral_type",
            &i.referral_type,
            ReferralType::ALL,
            ReferralType::as_str,
        ),
        &mut errs,
    );
    let name = text("provider_name", &i.provider_name, true, 200, &mut errs);
    let contact = text(
        "provider_contact",
        &i.provider_contact,
        false,
        200,
        &mut errs,
    );
    let on = collect(date("referred_on", &i.referred_on), &mut errs);
    let (t, on) = done(t.zip(on), errs)?;
    let r = ReferralRow {
        id: new_id(),
        referral_type: t.as_str().into(),
        provider_name: name,
        provider_contact: contact,
        status: ReferralStatus::Pending.as_str().into(),
        referred_on: on,
        linked_on: None,
    };
    diesel::insert_into(referrals::table)
        .values((
            referrals::id.eq(r.id),
            referrals::org_id.eq(grant.org_id()),
            referrals::participant_id.eq(grant.participant_id()),
            referrals::referral_type.eq(&r.referral_type),
            referrals::provider_name.eq(&r.provider_name),
            referrals::provider_contact.eq(&r.provider_contact),
            referrals::status.eq(&r.status),
            referrals::referred_on.eq(r.referred_on),
            referrals::created_by.eq(Some(actor_id)),
            referrals::created_at.eq(time::now()),
        ))
        .execute(tx.conn())?;
    let ev = insert_referral_event(tx, grant, r.id, ReferralStatus::Pending, None, on, actor_id)?;
    Ok(Referral {
        referral: r,
        history: vec![ev],
    })
}

pub(super) fn insert_referral_event(
    tx: &mut Tx,
    grant: &ParticipantGrant,
    referral_id: i64,
    status: ReferralStatus,
    reason: Option<String>,
    on: NaiveDate,
    actor_id: i64,
) -> AppResult<ReferralEvent> {
    let ev = ReferralEvent {
        id: new_id(),
        referral_id,
        status: status.as_str().into(),
        reason,
        occurred_on: on,
    };
    diesel::insert_into(referral_events::table)
        .values((
            referral_events::id.eq(ev.id),
            referral_events::org_id.eq(grant.org_id()),
            referral_events::participant_id.eq(grant.participant_id()),
            referral_events::referral_id.eq(referral_id),
            referral_events::status.eq(&ev.status),
            referral_events::reason.eq(&ev.reason),
            referral_events::occurred_on.eq(ev.occurred_on),
            referral_events::created_by.eq(Some(actor_id)),
            referral_events::created_at.eq(time::now()),
        ))
        .execute(tx.conn())?;
    Ok(ev)
}

#[derive(Debug, Clone, Default, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ReferralStatusInput {
    #[schema(value_type = crate::journey::rules::ReferralStatus)]
    pub status: String,
    /// Required when the referral did not work out (could_not_contact, not_eligible, ...).
    #[serde(default)]
    pub reason: Option<String>,
    /// YYYY-MM-DD (default today)
    #[serde(default)]
    #[schema(format = Date)]
    pub occurred_on: Option<String>,
}

pub fn change_referral_status(
    tx: &mut Tx,
    grant: &ParticipantGrant,
    actor_id: i64,
    referral_id: i64,
    i: &ReferralStatusInput,
) -> AppResult<Referral> {
    let mut errs = Vec::new();
    let status = collect(
        code(
            "status",
            &i.status,
            ReferralStatus::ALL,
            ReferralStatus::as_str,
        ),
        &mut errs,
    );
    let today = time::zone_of(tx.conn(), grant.org_id())?.today();
    let on = collect(opt_date("occurred_on", i.occurred_on.as_deref()), &mut errs)
        .flatten()
        .unwrap_or(today);
    let reason = i
        .reason
        .as_deref()
        .map(str::trim)
        .filter(|s| !s.is_empty())
        .map(str::to_string);
    if let Some(s) = status
        && rules::validate_referral_transition(s, reason.as_deref()).is_err()
    {
        errs.push(FieldError::keyed(
            "reason",
            "error-referral-reason-required",
            &[("status", s.as_str().to_string())],
        ));
    }
    let status = done(status, errs)?;
    let row: ReferralRow = referrals::table
        .find(referral_id)
        .filter(referrals::participant_id.eq(grant.participant_id()))
        .filter(referrals::org_id.eq(grant.org_id()))
        .select(ReferralRow::as_select())
        .first(tx.conn())
        .optional()?
        .ok_or(AppError::NotFound)?;
    let linked_on = if status.is_linkage() && row.linked_on.is_none() {
        Some(on)
    } else {
        row.linked_on
    };
    diesel::update(referrals::table.find(row.id))
        .set((
            referrals::status.eq(status.as_str()),
            referrals::linked_on.eq(linked_on),
        ))
        .execute(tx.conn())?;
    insert_referral_event(tx, grant, row.id, status, reason, on, actor_id)?;
    let all = referrals(tx.conn(), grant)?;
    all.into_iter()
        .find(|r| r.referral.id == referral_id)
        .ok_or(AppError::NotFound)
}

pub fn referrals(conn: &mut DbConn, grant: &ParticipantGrant) -> AppResult<Vec<Referral>> {
    let rows: Vec<ReferralRow> = referrals::table
        .filter(referrals::participant_id.eq(grant.participant_id()))
        .filter(referrals::org_id.eq(grant.org_id()))
        .order(referrals::referred_on.desc())
        .select(ReferralRow::as_select())
        .load(conn)?;
    let events: Vec<ReferralEvent> = referral_events::table
        .filter(referral_events::participant_id.eq(grant.participant_id()))
        .order((referral_events::occurred_on, referral_events::created_at))
        .select(ReferralEvent::as_select())
        .load(conn)?;
    Ok(rows
        .into_iter()
        .map(|r| {
            let history = events
                .iter()
                .filter(|e| e.referral_id == r.id)
                .cloned()
                .collect();
            Referral {
                referral: r,
                history,
            }
        })
        .collect())
}
