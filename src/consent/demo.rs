//! Synthetic consents for the demo: the partner organisations (a jail's behavioural-health unit,
//! a probation department, a treatment provider) hold consents in every state (active, expired,
//! revoked, criminal-justice and irrevocable for now), with past disclosures and one emergency
//! access.

use chrono::{Duration, NaiveDateTime};
use diesel::prelude::*;
use rand::Rng;
use rand::rngs::StdRng;

use super::schema::{alerts, consent_recipients, consents, disclosures, emergency_accesses};
use crate::platform::db::{DbConn, write_tx};
use crate::platform::error::AppResult;
use crate::platform::ids::new_id;
use crate::platform::schema::{organisations, participants, users};

pub fn generate(conn: &mut DbConn, rng: &mut StdRng, now: NaiveDateTime) -> AppResult<()> {
    let partner = |conn: &mut DbConn, kind: &str| -> AppResult<Option<i64>> {
        Ok(organisations::table
            .filter(organisations::kind.eq(kind))
            .order(organisations::id)
            .select(organisations::id)
            .first(conn)
            .optional()?)
    };
    let (Some(probation), Some(jail), Some(treatment)) = (
        partner(conn, "probation")?,
        partner(conn, "jail_health")?,
        partner(conn, "treatment_provider")?,
    ) else {
        return Ok(());
    };
    let team_user: Option<(i64, String, String)> = users::table
        .filter(users::email.eq("team@demo.throughcare.example"))
        .select((users::id, users::name, users::email))
        .first(conn)
        .optional()?;
    let demo: Option<(i64, i64)> = users::table
        .filter(users::email.eq("peer@demo.throughcare.example"))
        .select((users::id, users::org_id))
        .first(conn)
        .optional()?;
    let demo_peer = demo.map(|(p, _)| p);
    let demo_org = demo.map(|(_, o)| o);
    // Everyone of the provider organisations is a candidate; the demo peer's people first.
    let people: Vec<(i64, i64, Option<i64>)> = participants::table
        .select((
            participants::id,
            participants::org_id,
            participants::assigned_peer_id,
        ))
        .order(participants::id)
        .load(conn)?;
    let mut rows = Vec::new();
    let mut recips = Vec::new();
    let mut discl = Vec::new();
    let mut demo_count = 0;
    for (pid, org, peer) in &people {
        let for_demo_peer = peer.is_some() && *peer == demo_peer && demo_count < 6;
        if !for_demo_peer && !rng.gen_bool(0.3) {
            continue;
        }
        if for_demo_peer {
            demo_count += 1;
        }
        // State: mostly active; some expired, revoked, or criminal-justice irrevocable.
        let r: f64 = if for_demo_peer { 0.1 } else { rng.r#gen() };
        // The demo's probation department works with the demo sign-ins' program.
        let (recipient, kind, cats, purpose) =
            if (r < 0.5 && Some(*org) == demo_org) || for_demo_peer {
                (
                    probation,
                    "criminal_justice",
                    "participation release_plan",
                    "monitoring_progress",
                )
            } else if r < 0.8 {
                (
                    jail,
                    "standard",
                    "participation assessments plan release_plan",
                    "care_coordination",
                )
            } else {
                (
                    treatment,
                    "standard",
                    "participation assessments referrals encounter_notes",
                    "treatment",
                )
            };
        let signed = now - Duration::days(rng.gen_range(5..400));
        let state: f64 = if for_demo_peer { 0.0 } else { rng.r#gen() };
        let (expiry, revoked) = if state < 0.7 {
            (
                signed.date() + Duration::days(rng.gen_range(365..730)),
                None,
            )
        } else if state < 0.85 {
            (now.date() - Duration::days(rng.gen_range(1..60)), None)
        } else {
            (
                signed.date() + Duration::days(500),
                Some(signed + Duration::days(rng.gen_range(1..30)).min(now - signed)),
            )
        };
        let id = new_id();
        let irrevocable =
            (kind == "criminal_justice").then(|| now + Duration::days(rng.gen_range(30..180)));
        rows.push((
            consents::id.eq(id),
            consents::org_id.eq(*org),
            consents::participant_id.eq(*pid),
            consents::kind.eq(kind.to_string()),
            consents::categories.eq(cats.to_string()),
            consents::purpose.eq(purpose.to_string()),
            consents::expiry_on.eq(Some(expiry)),
            consents::irrevocable_until.eq(irrevocable.filter(|_| revoked.is_none())),
            consents::cj_condition.eq((kind == "criminal_justice")
                .then(|| "Condition of probation: engage with peer recovery support".to_string())),
            consents::signature_kind.eq("on_screen".to_string()),
            consents::signer_name.eq(Some("signed on screen".to_string())),
            consents::signed_at.eq(signed),
            consents::signer_is_representative.eq(false),
            consents::revoked_at.eq(revoked),
            consents::revocation_method.eq(revoked.map(|_| "in_writing".to_string())),
            consents::created_at.eq(signed),
        ));
        recips.push((
            consent_recipients::id.eq(new_id()),
            consent_recipients::consent_id.eq(id),
            consent_recipients::participant_id.eq(*pid),
            consent_recipients::kind.eq("organisation".to_string()),
            consent_recipients::recipient_org_id.eq(Some(recipient)),
        ));
        if recipient == probation
            && let Some((uid, name, email)) = &team_user
        {
            for k in 0..rng.gen_range(0..3) {
                discl.push((
                    disclosures::id.eq(new_id()),
                    disclosures::org_id.eq(*org),
                    disclosures::participant_id.eq(*pid),
                    disclosures::consent_id.eq(Some(id)),
                    disclosures::recipient_user_id.eq(*uid),
                    disclosures::recipient_org_id.eq(probation),
                    disclosures::recipient_label.eq(format!("{name} ({email})")),
                    disclosures::categories.eq("participation release_plan".to_string()),
                    disclosures::action.eq("view".to_string()),
                    disclosures::purpose.eq("monitoring_progress".to_string()),
                    disclosures::at.eq(signed + Duration::days(k * 7 + 1)),
                ));
            }
        }
    }
    write_tx(conn, |tx| {
        for chunk in rows.chunks(200) {
            crate::on_backend!(tx.conn(), c => diesel::insert_into(consents::table).values(chunk).execute(c))?;
        }
        for chunk in recips.chunks(500) {
            crate::on_backend!(tx.conn(), c => diesel::insert_into(consent_recipients::table).values(chunk).execute(c))?;
        }
        for chunk in discl.chunks(500) {
            crate::on_backend!(tx.conn(), c => diesel::insert_into(disclosures::table).values(chunk).execute(c))?;
        }
        // One past emergency access by the jail's medical staff (42 CFR 2.51: medical
        // personnel only), with its alert.
        let nurse: Option<(i64, String, String)> = users::table
            .filter(users::org_id.eq(jail))
            .order(users::id)
            .select((users::id, users::name, users::email))
            .first(tx.conn())
            .optional()?;
        if let Some((pid, org, _)) = people.first()
            && let Some((uid, nurse_name, nurse_email)) = &nurse
        {
            let at = now - Duration::days(3);
            diesel::insert_into(emergency_accesses::table)
                .values((
                    emergency_accesses::id.eq(new_id()),
                    emergency_accesses::org_id.eq(*org),
                    emergency_accesses::participant_id.eq(*pid),
                    emergency_accesses::user_id.eq(*uid),
                    emergency_accesses::user_org_id.eq(jail),
                    emergency_accesses::reason
                        .eq("Found unresponsive in the lobby; EMS asked about medications"),
                    emergency_accesses::granted_at.eq(at),
                    emergency_accesses::expires_at.eq(at + Duration::hours(1)),
                ))
                .execute(tx.conn())?;
            diesel::insert_into(alerts::table)
                .values((
                    alerts::id.eq(new_id()),
                    alerts::org_id.eq(*org),
                    alerts::kind.eq("emergency_access"),
                    alerts::participant_id.eq(Some(*pid)),
                    alerts::detail.eq(format!("{nurse_name} ({nurse_email}) of the jail's behavioral health unit opened the record without consent for a medical emergency: found unresponsive in the lobby")),
                    alerts::created_at.eq(at),
                ))
                .execute(tx.conn())?;
        }
        Ok(())
    })
}
