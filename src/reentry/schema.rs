//! Diesel tables of reentry (migrations `2026-12-02-010000_reentry`, `010100_reentry_handoffs`,
//! `040000_reentry_moud`).

diesel::table! {
    reentry_programmes (id) {
        id -> BigInt,
        org_id -> BigInt,
        template -> Text,
        window_days -> Integer,
        set_by -> Nullable<BigInt>,
        set_at -> Timestamp,
    }
}

diesel::table! {
    reentry_screenings (id) {
        id -> BigInt,
        org_id -> BigInt,
        participant_id -> BigInt,
        screened_at -> Timestamp,
        screened_by -> Nullable<BigInt>,
        medicaid_status -> Text,
        medicaid_applied_on -> Nullable<Date>,
        conditions -> Text,
        former_foster_youth -> Bool,
        age_at_release -> Nullable<Integer>,
        template -> Text,
        window_days -> Integer,
        result -> Text,
        criteria_met -> Text,
        youth -> Bool,
        created_at -> Timestamp,
    }
}

diesel::table! {
    reentry_handoffs (id) {
        id -> BigInt,
        org_id -> BigInt,
        participant_id -> BigInt,
        made_by -> Nullable<BigInt>,
        to_provider -> Text,
        to_organisation -> Text,
        method -> Nullable<Text>,
        scheduled_at -> Nullable<Timestamp>,
        held_at -> Nullable<Timestamp>,
        created_at -> Timestamp,
    }
}

diesel::table! {
    reentry_moud (id) {
        id -> BigInt,
        org_id -> BigInt,
        participant_id -> BigInt,
        status -> Text,
        first_dose_on -> Nullable<Date>,
        stopped_on -> Nullable<Date>,
        naloxone_at_release -> Integer,
        recorded_by -> Nullable<BigInt>,
        recorded_at -> Timestamp,
    }
}
