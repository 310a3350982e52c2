//! Diesel tables of reporting (migration `2026-11-23-000400_reports`).

use crate::platform::schema::participants;

diesel::table! {
    gpra_interviews (id) {
        id -> BigInt,
        org_id -> BigInt,
        participant_id -> BigInt,
        timepoint -> Text,
        interview_on -> Date,
        answers -> Text,
        created_by -> Nullable<BigInt>,
        created_at -> Timestamp,
    }
}

diesel::allow_tables_to_appear_in_same_query!(gpra_interviews, participants);
