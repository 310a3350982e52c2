//! Applying a batch of matched rows: booking numbers added, people created when asked, and
//! their custody dates recorded (which re-plans their checklist or starts their window).

use std::collections::HashMap;

use chrono::{NaiveDate, NaiveDateTime};
use diesel::dsl::Eq;
use diesel::prelude::*;

use super::matching::{Known, KnownPeople};
use super::participants;
use super::reading::RosterRow;
use super::runs::{BatchReport, LikelyMatch, Options, Unmatched};
use crate::journey::rules::{CustodyEventKind, ReleaseDateCertainty};
use crate::journey::schema::{custody_events, participant_identifiers};
use crate::journey::store::{self, CustodyEventInput};
use crate::participants::matching::{self, PersonKey};
use crate::platform::access::{self, Actor};
use crate::platform::audit::{self, Action, Event};
use crate::platform::db::Tx;
use crate::platform::error::{AppError, AppResult};
use crate::platform::schema::participants as participants_t;
use crate::platform::time;

pub(super) fn import_batch(
    tx: &mut Tx,
    actor: &Actor,
    opts: &Options,
    run: i64,
    batch: &[RosterRow],
    known: &mut KnownPeople,
) -> AppResult<BatchReport> {
    let mut report = BatchReport::default();
    let scope = access::list_scope(actor).ok_or(AppError::Forbidden)?;
    // Everything the batch could match: booking numbers in one query, people by date of birth
    // from those held for the import (reading the dates not yet held).
    let numbers: Vec<String> = batch
        .iter()
        .map(|r| participants::normalised_value("booking_number", &r.booking_number))
        .collect();
    let by_number: HashMap<String, i64> = participant_identifiers::table
        .filter(participant_identifiers::org_id.eq(opts.org_id))
        .filter(participant_identifiers::kind.eq("booking_number"))
        .filter(participant_identifiers::value.eq_any(&numbers))
        .select((
            participant_identifiers::value,
            participant_identifiers::participant_id,
        ))
        .load::<(String, i64)>(tx.conn())?
        .into_iter()
        .collect();
    let dobs: Vec<NaiveDate> = batch
        .iter()
        .flat_map(|r| matching::dob_variants(r.date_of_birth))
        .collect();
    known.load(tx.conn(), opts.org_id, &dobs)?;
    // Someone held may have been merged into another record since they were read: check the
    // people matched by name, and read their dates again if any was.
    for _ in 0..2 {
        let by_name: Vec<i64> = batch
            .iter()
            .zip(&numbers)
            .filter(|(_, n)| !by_number.contains_key(*n))
            .filter_map(|(r, _)| known.exact(r))
            .collect();
        if by_name.is_empty() {
            break;
        }
        let live: std::collections::HashSet<i64> = participants_t::table
            .filter(participants_t::id.eq_any(&by_name))
            .filter(participants_t::merged_into_id.is_null())
            .select(participants_t::id)
            .load::<i64>(tx.conn())?
            .into_iter()
            .collect();
        let stale: Vec<NaiveDate> = batch
            .iter()
            .filter(|r| known.exact(r).is_some_and(|id| !live.contains(&id)))
            .map(|r| r.date_of_birth)
            .collect();
        if stale.is_empty() {
            break;
        }
        for d in stale {
            known.forget(d);
        }
        known.load(tx.conn(), opts.org_id, &dobs)?;
    }
    // First pass: who matches with certainty.
    let mut exact: Vec<(usize, Option<i64>)> = Vec::with_capacity(batch.len());
    for (i, (row, number)) in batch.iter().zip(&numbers).enumerate() {
        let found = by_number.get(number).copied().or_else(|| known.exact(row));
        exact.push((i, found));
    }
    let ids: Vec<i64> = exact.iter().filter_map(|(_, id)| *id).collect();
    let grants = access::participants_batch(
        tx,
        actor,
        &ids,
        Event::new(Action::RosterMatch, "roster_import_run", Some(run)),
    )?;
    // Everyone matched: their open episodes, in one query.
    let mut open_episodes: HashMap<i64, store::Episode> = HashMap::new();
    for e in store::open_episodes_of(tx.conn(), &grants.keys().copied().collect::<Vec<_>>())? {
        open_episodes.entry(e.participant_id).or_insert(e);
    }
    let mut updated: Vec<i64> = Vec::new();
    let mut expected: Vec<store::ExpectedRelease> = Vec::new();
    let mut to_create: Vec<&RosterRow> = Vec::new();
    let mut new_numbers: Vec<(i64, &RosterRow, &String)> = Vec::new();
    for (i, found) in exact {
        let row = &batch[i];
        let name = format!("{} {}", row.first_name, row.last_name);
        match found.and_then(|pid| grants.get(&pid)) {
            Some(grant) => {
                report.matched += 1;
                let pid = grant.participant_id();
                // Matched by name and date of birth under a booking number the person does
                // not have yet: the number is added to their record (once per person).
                if !by_number.contains_key(&numbers[i])
                    && !new_numbers
                        .iter()
                        .any(|(p, _, n)| *p == pid && **n == numbers[i])
                {
                    new_numbers.push((pid, row, &numbers[i]));
                }
                // The common case, a new expected date for someone enrolled and still held, is
                // written with the rest of the batch's (store::record_expected_releases).
                let moved = open_episodes.get(&pid).and_then(|e| {
                    let exp = row.expected_release_date?;
                    (e.released_at.is_none()
                        && row.release_date.is_none()
                        && e.expected_release_on != Some(exp))
                    .then(|| store::ExpectedRelease {
                        participant_id: pid,
                        episode_id: e.id,
                        on: exp,
                        detail: format!("roster row {}", row.line),
                    })
                });
                if let Some(m) = moved {
                    expected.push(m);
                    report.updated += 1;
                    updated.push(pid);
                } else if apply_dates(tx, grant, actor, opts, row, Some(&open_episodes))? {
                    report.updated += 1;
                    updated.push(pid);
                } else {
                    report.unchanged += 1;
                }
            }
            None => {
                let key = PersonKey {
                    first_name: row.first_name.clone(),
                    last_name: row.last_name.clone(),
                    date_of_birth: row.date_of_birth,
                    identifiers: vec![("booking_number".into(), numbers[i].clone())],
                };
                let key = matching::Prepared::of(&key);
                let candidates: Vec<participants::Candidate> =
                    matching::dob_variants(row.date_of_birth)
                        .iter()
                        .flat_map(|d| known.born_on(d))
                        .filter_map(|k| {
                            matching::compare_prepared(&key, k.prepared()).map(|m| {
                                participants::Candidate {
                                    id: k.id,
                                    first_name: k.first_name.clone(),
                                    last_name: k.last_name.clone(),
                                    date_of_birth: k.date_of_birth,
                                    reasons: m
                                        .reasons
                                        .iter()
                                        .map(|r| r.as_str().to_string())
                                        .collect(),
                                    score: m.score,
                                }
                            })
                        })
                        .collect();
                if !candidates.is_empty() {
                    report.likely_matches.push(LikelyMatch {
                        row: row.line,
                        booking_number: row.booking_number.clone(),
                        name,
                        date_of_birth: row.date_of_birth,
                        candidates,
                    });
                } else if opts.create_unmatched {
                    to_create.push(row);
                } else {
                    report.unmatched.push(Unmatched {
                        row: row.line,
                        booking_number: row.booking_number.clone(),
                        name,
                        date_of_birth: row.date_of_birth,
                    });
                }
            }
        }
    }
    store::record_expected_releases(
        tx,
        opts.org_id,
        actor.user_id,
        Some(opts.facility_id),
        &expected,
    )?;
    report.numbers_added += add_booking_numbers(tx, actor, opts, &new_numbers)?;
    if !updated.is_empty() {
        audit::append(
            tx,
            &actor.who(),
            Event::new(Action::RosterUpdate, "roster_import_run", Some(run))
                .detail(audit::people_digest(&updated)),
        )?;
    }
    let created = create_people(tx, actor, scope.org_id(), opts, run, &to_create)?;
    report.created += created.len();
    for (id, row) in created.into_iter().zip(to_create) {
        known.add(Known::new(
            id,
            row.first_name.clone(),
            row.last_name.clone(),
            row.date_of_birth,
        ));
    }
    Ok(report)
}

/// A roster row's booking number stored as the person's identifier: as typed, and normalised
/// for matching (the row `participants` stores for one). Columns with values, not an
/// `Insertable` struct: SQLite takes these many to a statement.
type BookingNumber = (
    Eq<participant_identifiers::id, i64>,
    Eq<participant_identifiers::org_id, i64>,
    Eq<participant_identifiers::participant_id, i64>,
    Eq<participant_identifiers::kind, &'static str>,
    Eq<participant_identifiers::value, String>,
    Eq<participant_identifiers::typed_value, String>,
    Eq<participant_identifiers::facility_id, Option<i64>>,
    Eq<participant_identifiers::created_at, NaiveDateTime>,
);

fn booking_number(
    id: i64,
    participant_id: i64,
    org_id: i64,
    facility_id: i64,
    row: &RosterRow,
    now: NaiveDateTime,
) -> BookingNumber {
    (
        participant_identifiers::id.eq(id),
        participant_identifiers::org_id.eq(org_id),
        participant_identifiers::participant_id.eq(participant_id),
        participant_identifiers::kind.eq("booking_number"),
        participant_identifiers::value.eq(participants::normalised_value(
            "booking_number",
            &row.booking_number,
        )),
        participant_identifiers::typed_value.eq(row.booking_number.clone()),
        participant_identifiers::facility_id.eq(Some(facility_id)),
        participant_identifiers::created_at.eq(now),
    )
}

/// Add the booking numbers of people matched by name and date of birth to their records (as
/// typed, normalised for matching), in multi-row statements, each kept in the record's history
/// as added from its roster row.
pub(super) fn add_booking_numbers(
    tx: &mut Tx,
    actor: &Actor,
    opts: &Options,
    new_numbers: &[(i64, &RosterRow, &String)],
) -> AppResult<usize> {
    use crate::participants::amendments::{self, Added, RecordType};
    use crate::platform::ids::new_id;
    if new_numbers.is_empty() {
        return Ok(0);
    }
    let now = time::now();
    let ids: Vec<i64> = new_numbers.iter().map(|_| new_id()).collect();
    let rows: Vec<_> = new_numbers
        .iter()
        .zip(&ids)
        .map(|((pid, r, _), id)| booking_number(*id, *pid, opts.org_id, opts.facility_id, r, now))
        .collect();
    for chunk in rows.chunks(1000) {
        crate::on_backend!(tx.conn(), c => diesel::insert_into(participant_identifiers::table).values(chunk).execute(c))?;
    }
    let added: Vec<Added> = new_numbers
        .iter()
        .zip(&ids)
        .map(|((pid, r, _), id)| Added {
            participant_id: *pid,
            record: RecordType::Identifier,
            record_id: *id,
            field: "typed_value",
            value: r.booking_number.clone(),
            reason: format!(
                "booking number added from roster row {} (same name and date of birth)",
                r.line
            ),
        })
        .collect();
    amendments::record_additions(tx, opts.org_id, actor, &added)?;
    Ok(added.len())
}

/// Create the people of a batch that matched no one, with their booking number and custody
/// dates, in a few multi-row statements (one row at a time cost about 15 statements each).
/// What is stored is what `participants::create` and `store::record_custody_event` store for a
/// person who is not enrolled: the participant, the booking-number identifier, and the booking,
/// expected-release and release events; each creation is audited as `roster.create`.
pub(super) fn create_people(
    tx: &mut Tx,
    actor: &Actor,
    org_id: i64,
    opts: &Options,
    run: i64,
    rows: &[&RosterRow],
) -> AppResult<Vec<i64>> {
    use crate::platform::ids::new_id;
    if rows.is_empty() {
        return Ok(vec![]);
    }
    store::check_facility(tx.conn(), "facility_id", Some(opts.facility_id))?;
    let now = time::now();
    let ids: Vec<i64> = rows.iter().map(|_| new_id()).collect();
    insert_people(tx, org_id, opts.facility_id, now, rows, &ids)?;
    // The policy, and one audit entry for the batch's creations.
    let grants = access::participants_batch(
        tx,
        actor,
        &ids,
        Event::new(Action::RosterCreate, "roster_import_run", Some(run)),
    )?;
    if grants.len() != ids.len() {
        return Err(AppError::Forbidden);
    }
    // The booking, expected-release and release events: (participant, kind, date, certainty,
    // detail); the organisation, facility, recorder and time are the same for all.
    let mut events: Vec<(i64, &str, NaiveDate, Option<&str>, String)> =
        Vec::with_capacity(rows.len() * 2);
    for (r, id) in rows.iter().zip(&ids) {
        let detail = format!("roster row {}", r.line);
        events.push((
            *id,
            CustodyEventKind::Booking.as_str(),
            r.booking_date,
            None,
            detail.clone(),
        ));
        if let Some(exp) = r.expected_release_date {
            events.push((
                *id,
                CustodyEventKind::ExpectedRelease.as_str(),
                exp,
                Some(ReleaseDateCertainty::Estimated.as_str()),
                detail.clone(),
            ));
        }
        if let Some(rel) = r.release_date {
            events.push((*id, CustodyEventKind::Release.as_str(), rel, None, detail));
        }
    }
    insert_custody_events(tx, org_id, opts.facility_id, actor.user_id, now, &events)?;
    // Not enrolled, so each caseload line is the name alone: written here rather than computed
    // again from the rows just written (about 1.3 s of a 100,000-row import).
    let lines: Vec<(i64, String)> = rows
        .iter()
        .zip(&ids)
        .map(|(r, id)| (*id, format!("{} {}", r.first_name, r.last_name)))
        .collect();
    crate::journey::caseload::kept::keep_created(tx, org_id, &lines)?;
    Ok(ids)
}

/// Insert new people of one organisation and their booking numbers. PostgreSQL: one constant
/// statement per table and chunk, the varying columns bound as arrays (`unnest`), as
/// [`insert_custody_events`] does; SQLite: multi-row inserts.
fn insert_people(
    tx: &mut Tx,
    org_id: i64,
    facility_id: i64,
    now: NaiveDateTime,
    rows: &[&RosterRow],
    ids: &[i64],
) -> AppResult<()> {
    use crate::platform::db::DbConn;
    use crate::platform::ids::new_id;
    use diesel::sql_types::{Array, BigInt, Date, Text, Timestamp};
    for (chunk, chunk_ids) in rows.chunks(5000).zip(ids.chunks(5000)) {
        match tx.conn() {
            DbConn::Pg(c) => {
                let first: Vec<&str> = chunk.iter().map(|r| r.first_name.as_str()).collect();
                let last: Vec<&str> = chunk.iter().map(|r| r.last_name.as_str()).collect();
                let search_first: Vec<String> = chunk
                    .iter()
                    .map(|r| matching::normalize_name(&r.first_name))
                    .collect();
                let search_last: Vec<String> = chunk
                    .iter()
                    .map(|r| matching::normalize_name(&r.last_name))
                    .collect();
                let born: Vec<NaiveDate> = chunk.iter().map(|r| r.date_of_birth).collect();
                diesel::sql_query(
                    "INSERT INTO participants (org_id, created_at, updated_at, id, first_name, \
                     last_name, search_first_name, search_last_name, date_of_birth) \
                     SELECT $1, $2, $2, v.id, v.f, v.l, v.sf, v.sl, v.b \
                     FROM unnest($3::bigint[], $4::text[], $5::text[], $6::text[], $7::text[], \
                     $8::date[]) AS v(id, f, l, sf, sl, b)",
                )
                .bind::<BigInt, _>(org_id)
                .bind::<Timestamp, _>(now)
                .bind::<Array<BigInt>, _>(chunk_ids)
                .bind::<Array<Text>, _>(&first)
                .bind::<Array<Text>, _>(&last)
                .bind::<Array<Text>, _>(&search_first)
                .bind::<Array<Text>, _>(&search_last)
                .bind::<Array<Date>, _>(&born)
                .execute(c)?;
                let number_ids: Vec<i64> = chunk.iter().map(|_| new_id()).collect();
                let values: Vec<String> = chunk
                    .iter()
                    .map(|r| participants::normalised_value("booking_number", &r.booking_number))
                    .collect();
                let typed: Vec<&str> = chunk.iter().map(|r| r.booking_number.as_str()).collect();
                diesel::sql_query(
                    "INSERT INTO participant_identifiers (org_id, facility_id, created_at, kind, \
                     id, participant_id, value, typed_value) \
                     SELECT $1, $2, $3, 'booking_number', v.id, v.p, v.v, v.t \
                     FROM unnest($4::bigint[], $5::bigint[], $6::text[], $7::text[]) \
                     AS v(id, p, v, t)",
                )
                .bind::<BigInt, _>(org_id)
                .bind::<BigInt, _>(facility_id)
                .bind::<Timestamp, _>(now)
                .bind::<Array<BigInt>, _>(&number_ids)
                .bind::<Array<BigInt>, _>(chunk_ids)
                .bind::<Array<Text>, _>(&values)
                .bind::<Array<Text>, _>(&typed)
                .execute(c)?;
            }
            DbConn::Sqlite(c) => {
                let people: Vec<_> = chunk
                    .iter()
                    .zip(chunk_ids)
                    .map(|(r, id)| {
                        (
                            participants_t::id.eq(*id),
                            participants_t::org_id.eq(org_id),
                            participants_t::first_name.eq(r.first_name.as_str()),
                            participants_t::last_name.eq(r.last_name.as_str()),
                            participants_t::search_first_name
                                .eq(matching::normalize_name(&r.first_name)),
                            participants_t::search_last_name
                                .eq(matching::normalize_name(&r.last_name)),
                            participants_t::date_of_birth.eq(r.date_of_birth),
                            participants_t::created_at.eq(now),
                            participants_t::updated_at.eq(now),
                        )
                    })
                    .collect();
                for part in people.chunks(1000) {
                    diesel::insert_into(participants_t::table)
                        .values(part)
                        .execute(c)?;
                }
                let numbers: Vec<_> = chunk
                    .iter()
                    .zip(chunk_ids)
                    .map(|(r, id)| booking_number(new_id(), *id, org_id, facility_id, r, now))
                    .collect();
                for part in numbers.chunks(1000) {
                    diesel::insert_into(participant_identifiers::table)
                        .values(part)
                        .execute(c)?;
                }
            }
        }
    }
    Ok(())
}

/// Insert custody events of one organisation, facility, recorder and time. PostgreSQL: one
/// constant statement a chunk with the varying columns bound as arrays (`unnest`), which it
/// parses once however many rows; a multi-row `VALUES` of a thousand events bound 10,000
/// parameters and cost more to parse than to insert. SQLite: multi-row inserts.
fn insert_custody_events(
    tx: &mut Tx,
    org_id: i64,
    facility_id: i64,
    created_by: i64,
    at: NaiveDateTime,
    events: &[(i64, &str, NaiveDate, Option<&str>, String)],
) -> AppResult<()> {
    use crate::platform::db::DbConn;
    use crate::platform::ids::new_id;
    use diesel::sql_types::{Array, BigInt, Date, Nullable, Text, Timestamp};
    for chunk in events.chunks(5000) {
        match tx.conn() {
            DbConn::Pg(c) => {
                let ids: Vec<i64> = chunk.iter().map(|_| new_id()).collect();
                let people: Vec<i64> = chunk.iter().map(|e| e.0).collect();
                let kinds: Vec<&str> = chunk.iter().map(|e| e.1).collect();
                let dates: Vec<NaiveDate> = chunk.iter().map(|e| e.2).collect();
                let certainty: Vec<Option<&str>> = chunk.iter().map(|e| e.3).collect();
                let details: Vec<&str> = chunk.iter().map(|e| e.4.as_str()).collect();
                diesel::sql_query(
                    "INSERT INTO custody_events (id, org_id, participant_id, kind, occurred_on, \
                     certainty, facility_id, detail, created_by, created_at) \
                     SELECT v.id, $1, v.p, v.k, v.o, v.c, $2, v.d, $3, $4 \
                     FROM unnest($5::bigint[], $6::bigint[], $7::text[], $8::date[], \
                     $9::text[], $10::text[]) AS v(id, p, k, o, c, d)",
                )
                .bind::<BigInt, _>(org_id)
                .bind::<BigInt, _>(facility_id)
                .bind::<BigInt, _>(created_by)
                .bind::<Timestamp, _>(at)
                .bind::<Array<BigInt>, _>(&ids)
                .bind::<Array<BigInt>, _>(&people)
                .bind::<Array<Text>, _>(&kinds)
                .bind::<Array<Date>, _>(&dates)
                .bind::<Array<Nullable<Text>>, _>(&certainty)
                .bind::<Array<Text>, _>(&details)
                .execute(c)?;
            }
            DbConn::Sqlite(c) => {
                let rows: Vec<_> = chunk
                    .iter()
                    .map(|(person, kind, on, certainty, detail)| {
                        (
                            custody_events::id.eq(new_id()),
                            custody_events::org_id.eq(org_id),
                            custody_events::participant_id.eq(*person),
                            custody_events::kind.eq(*kind),
                            custody_events::occurred_on.eq(*on),
                            custody_events::certainty.eq(*certainty),
                            custody_events::facility_id.eq(Some(facility_id)),
                            custody_events::detail.eq(detail.as_str()),
                            custody_events::created_by.eq(Some(created_by)),
                            custody_events::created_at.eq(at),
                        )
                    })
                    .collect();
                for part in rows.chunks(1000) {
                    diesel::insert_into(custody_events::table)
                        .values(part)
                        .execute(c)?;
                }
            }
        }
    }
    Ok(())
}

pub(super) fn record(
    tx: &mut Tx,
    grant: &access::ParticipantGrant,
    actor: &Actor,
    kind: &str,
    on: NaiveDate,
    facility_id: Option<i64>,
    detail: &str,
) -> AppResult<()> {
    store::record_custody_event(
        tx,
        grant,
        actor.user_id,
        &CustodyEventInput {
            kind: kind.into(),
            occurred_on: on.format("%Y-%m-%d").to_string(),
            facility_id,
            detail: Some(detail.into()),
            ..Default::default()
        },
        time::now(),
    )
    .map(|_| ())
}

/// Bring the person's release dates in line with the roster row; true if anything changed.
pub(super) fn apply_dates(
    tx: &mut Tx,
    grant: &access::ParticipantGrant,
    actor: &Actor,
    opts: &Options,
    row: &RosterRow,
    open_episodes: Option<&HashMap<i64, store::Episode>>,
) -> AppResult<bool> {
    let open = match open_episodes {
        Some(map) => map.get(&grant.participant_id()).cloned(),
        None => store::current_episode(tx.conn(), grant)?,
    };
    let detail = format!("roster row {}", row.line);
    // The custody events the row brings, in order: (kind, date).
    let mut events: Vec<(&str, NaiveDate)> = Vec::new();
    match open {
        Some(e) => {
            if let Some(exp) = row.expected_release_date
                && e.released_at.is_none()
                && e.expected_release_on != Some(exp)
            {
                events.push(("expected_release", exp));
            }
            if let Some(rel) = row.release_date
                && e.released_at.is_none()
            {
                events.push(("release", rel));
            }
        }
        None => {
            // Not enrolled (yet): keep the custody facts as events, once each.
            let last_expected: Option<NaiveDate> = custody_events::table
                .filter(custody_events::participant_id.eq(grant.participant_id()))
                .filter(custody_events::kind.eq("expected_release"))
                .order(custody_events::created_at.desc())
                .select(custody_events::occurred_on)
                .first(tx.conn())
                .optional()?;
            if let Some(exp) = row.expected_release_date
                && last_expected != Some(exp)
            {
                events.push(("expected_release", exp));
            }
            let released: i64 = custody_events::table
                .filter(custody_events::participant_id.eq(grant.participant_id()))
                .filter(custody_events::kind.eq("release"))
                .filter(custody_events::occurred_on.ge(row.booking_date))
                .count()
                .get_result(tx.conn())?;
            if let Some(rel) = row.release_date
                && released == 0
            {
                events.push(("release", rel));
            }
        }
    }
    for (kind, on) in &events {
        record(tx, grant, actor, kind, *on, Some(opts.facility_id), &detail)?;
    }
    Ok(!events.is_empty())
}
