//! Diesel table of field safety (migration `2026-12-02-070000_field_visits`).

diesel::table! {
    field_visits (id) {
        id -> BigInt,
        org_id -> BigInt,
        peer_id -> BigInt,
        place -> Text,
        with_whom -> Text,
        safety_note -> Text,
        started_at -> Timestamp,
        expected_end_at -> Timestamp,
        ended_at -> Nullable<Timestamp>,
        help_at -> Nullable<Timestamp>,
        help_note -> Text,
    }
}
