//! Diesel tables of the journey (migration `2026-11-23-000200_journey` and later ones).

use crate::platform::schema::{facilities, participants, users};

diesel::table! {
    participant_identifiers (id) {
        id -> BigInt,
        org_id -> BigInt,
        participant_id -> BigInt,
        kind -> Text,
        value -> Text,
        facility_id -> Nullable<BigInt>,
        created_at -> Timestamp,
        /// The identifier exactly as typed (`value` is its normalised form, for matching).
        typed_value -> Text,
    }
}

diesel::table! {
    episodes (id) {
        id -> BigInt,
        org_id -> BigInt,
        participant_id -> BigInt,
        setting -> Text,
        facility_id -> Nullable<BigInt>,
        started_on -> Date,
        ended_on -> Nullable<Date>,
        discharge_reason -> Nullable<Text>,
        services_consent_on -> Date,
        expected_release_on -> Nullable<Date>,
        release_certainty -> Nullable<Text>,
        released_at -> Nullable<Timestamp>,
        supervision_office -> Nullable<Text>,
        created_at -> Timestamp,
    }
}

diesel::table! {
    custody_events (id) {
        id -> BigInt,
        org_id -> BigInt,
        participant_id -> BigInt,
        episode_id -> Nullable<BigInt>,
        kind -> Text,
        occurred_on -> Date,
        certainty -> Nullable<Text>,
        facility_id -> Nullable<BigInt>,
        office -> Nullable<Text>,
        detail -> Text,
        created_by -> Nullable<BigInt>,
        created_at -> Timestamp,
    }
}

diesel::table! {
    checklist_items (id) {
        id -> BigInt,
        org_id -> BigInt,
        participant_id -> BigInt,
        episode_id -> BigInt,
        kind -> Text,
        due_on -> Date,
        done_on -> Nullable<Date>,
        note -> Text,
        planned_on -> Nullable<Date>,
        achievable -> Bool,
        not_applicable_reason -> Nullable<Text>,
        not_applicable_by -> Nullable<BigInt>,
        not_applicable_at -> Nullable<Timestamp>,
    }
}

diesel::table! {
    encounters (id) {
        id -> BigInt,
        org_id -> BigInt,
        participant_id -> BigInt,
        group_id -> Nullable<BigInt>,
        kind -> Text,
        mode -> Text,
        outcome -> Text,
        occurred_at -> Timestamp,
        duration_minutes -> Integer,
        topics -> Text,
        note -> Text,
        facility_id -> Nullable<BigInt>,
        created_by -> Nullable<BigInt>,
        created_at -> Timestamp,
        /// Space-separated life-domain codes (migration `2026-12-01-074500_group_sessions`).
        life_domains -> Text,
        /// The service delivered (`EncounterService`; migration `2026-12-02-030000_encounter_service`).
        service -> Text,
    }
}

diesel::table! {
    /// One group session: its id is the `group_id` its attendees' encounters share.
    group_sessions (id) {
        id -> BigInt,
        org_id -> BigInt,
        facility_id -> Nullable<BigInt>,
        led_by -> Nullable<BigInt>,
        occurred_at -> Timestamp,
        note -> Text,
        created_at -> Timestamp,
    }
}

diesel::table! {
    barc10_assessments (id) {
        id -> BigInt,
        org_id -> BigInt,
        participant_id -> BigInt,
        taken_on -> Date,
        answers -> Text,
        total -> Integer,
        created_by -> Nullable<BigInt>,
        created_at -> Timestamp,
    }
}

diesel::table! {
    stage_records (id) {
        id -> BigInt,
        org_id -> BigInt,
        participant_id -> BigInt,
        stage -> Text,
        recorded_on -> Date,
        note -> Text,
        created_by -> Nullable<BigInt>,
        created_at -> Timestamp,
    }
}

diesel::table! {
    goals (id) {
        id -> BigInt,
        org_id -> BigInt,
        participant_id -> BigInt,
        domain -> Text,
        statement -> Text,
        owner -> Text,
        due_on -> Nullable<Date>,
        status -> Text,
        created_by -> Nullable<BigInt>,
        created_at -> Timestamp,
    }
}

diesel::table! {
    goal_steps (id) {
        id -> BigInt,
        org_id -> BigInt,
        participant_id -> BigInt,
        goal_id -> BigInt,
        description -> Text,
        owner -> Text,
        due_on -> Nullable<Date>,
        done_on -> Nullable<Date>,
    }
}

diesel::table! {
    referrals (id) {
        id -> BigInt,
        org_id -> BigInt,
        participant_id -> BigInt,
        referral_type -> Text,
        provider_name -> Text,
        provider_contact -> Text,
        status -> Text,
        referred_on -> Date,
        linked_on -> Nullable<Date>,
        created_by -> Nullable<BigInt>,
        created_at -> Timestamp,
    }
}

diesel::table! {
    referral_events (id) {
        id -> BigInt,
        org_id -> BigInt,
        participant_id -> BigInt,
        referral_id -> BigInt,
        status -> Text,
        reason -> Nullable<Text>,
        occurred_on -> Date,
        created_by -> Nullable<BigInt>,
        created_at -> Timestamp,
    }
}

diesel::table! {
    followups (id) {
        id -> BigInt,
        org_id -> BigInt,
        participant_id -> BigInt,
        episode_id -> BigInt,
        point -> Text,
        due_on -> Date,
        completed_on -> Nullable<Date>,
        rearrested -> Nullable<Bool>,
        reincarcerated -> Nullable<Bool>,
        overdose -> Nullable<Text>,
        in_treatment -> Nullable<Bool>,
        housing -> Nullable<Text>,
        employed -> Nullable<Bool>,
        insured -> Nullable<Bool>,
        barc10_total -> Nullable<Integer>,
        note -> Text,
    }
}

diesel::allow_tables_to_appear_in_same_query!(
    participant_identifiers,
    episodes,
    custody_events,
    checklist_items,
    encounters,
    group_sessions,
    barc10_assessments,
    stage_records,
    goals,
    goal_steps,
    referrals,
    referral_events,
    followups,
    participants,
);
diesel::allow_tables_to_appear_in_same_query!(facilities, episodes);
diesel::allow_tables_to_appear_in_same_query!(facilities, group_sessions);
diesel::allow_tables_to_appear_in_same_query!(users, group_sessions);
diesel::allow_tables_to_appear_in_same_query!(facilities, encounters);
diesel::allow_tables_to_appear_in_same_query!(users, encounters);
diesel::allow_tables_to_appear_in_same_query!(users, episodes);

// Roster imports and their rows to check (migration `2026-12-01-020000_roster_import_runs`).
diesel::table! {
    roster_import_runs (id) {
        id -> BigInt,
        org_id -> BigInt,
        facility_id -> BigInt,
        started_by -> Nullable<BigInt>,
        source -> Text,
        create_unmatched -> Bool,
        status -> Text,
        rows_read -> BigInt,
        matched -> BigInt,
        updated -> BigInt,
        unchanged -> BigInt,
        created -> BigInt,
        numbers_added -> BigInt,
        likely_matches -> BigInt,
        unmatched -> BigInt,
        bad_rows -> BigInt,
        rows_to_check -> BigInt,
        started_at -> Timestamp,
        finished_at -> Nullable<Timestamp>,
    }
}

diesel::table! {
    roster_import_rows (run_id, position) {
        run_id -> BigInt,
        position -> BigInt,
        org_id -> BigInt,
        line -> BigInt,
        kind -> Text,
        column_name -> Nullable<Text>,
        reason -> Nullable<Text>,
        booking_number -> Nullable<Text>,
        name -> Nullable<Text>,
        date_of_birth -> Nullable<Date>,
        candidates -> Nullable<Text>,
    }
}

diesel::allow_tables_to_appear_in_same_query!(roster_import_runs, roster_import_rows);

// Overdoses, dated (migration `2026-12-02-060000_overdoses_and_reentry_in_reports`).
diesel::table! {
    overdoses (id) {
        id -> BigInt,
        org_id -> BigInt,
        participant_id -> BigInt,
        occurred_on -> Date,
        fatal -> Bool,
        source -> Text,
        note -> Text,
        recorded_by -> Nullable<BigInt>,
        recorded_at -> Timestamp,
    }
}

// The caseload kept on write (migration `2026-12-01-060000_caseload_lines`, decision 0038).
diesel::table! {
    caseload_lines (participant_id) {
        participant_id -> BigInt,
        org_id -> BigInt,
        peer_id -> Nullable<BigInt>,
        name -> Text,
        setting -> Nullable<Text>,
        facility_id -> Nullable<BigInt>,
        expected_release_on -> Nullable<Date>,
        released_at -> Nullable<Timestamp>,
        window_ends_at -> Nullable<Timestamp>,
        first_contact_due -> Nullable<Timestamp>,
        contacts_due -> Nullable<Timestamp>,
        contacts_done -> BigInt,
        at_risk_from -> Nullable<Timestamp>,
        tasks_due_from -> Nullable<Date>,
        followups_due_from -> Nullable<Date>,
        unplanned_release -> Bool,
        /// Disengagement (migration `2026-12-02-110000_disengagement_in_caseload`, decision 0053).
        quiet_since -> Nullable<Timestamp>,
        failed_attempts -> BigInt,
        unanswered_messages -> BigInt,
        /// Appointments missed in a row (migration `2026-12-02-150000_missed_appointments_in_caseload`).
        missed_appointments -> BigInt,
    }
}

// Participants whose caseload line the transaction recomputes before it commits (no key in the
// database; Diesel wants one named).
diesel::table! {
    caseload_stale (participant_id) {
        participant_id -> BigInt,
    }
}
diesel::allow_tables_to_appear_in_same_query!(caseload_lines, participants);

// Appointments to keep, each reminded (migration `2026-12-02-140000_appointments`).
diesel::table! {
    appointments (id) {
        id -> BigInt,
        org_id -> BigInt,
        participant_id -> BigInt,
        kind -> Text,
        scheduled_on -> Date,
        starts_at -> Text,
        place -> Text,
        note -> Text,
        recorded_by -> Nullable<BigInt>,
        recorded_at -> Timestamp,
        outcome -> Nullable<Text>,
        outcome_note -> Text,
        outcome_by -> Nullable<BigInt>,
        outcome_at -> Nullable<Timestamp>,
    }
}
