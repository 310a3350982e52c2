//! Diesel tables of field safety (migrations `2026-12-02-070000_field_visits`,
//! `2026-12-02-075000_field_settings` and `2026-12-02-120000_field_alert_notices`).

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

diesel::table! {
    field_settings (id) {
        id -> BigInt,
        org_id -> BigInt,
        escalate_after_minutes -> Integer,
        set_by -> BigInt,
        set_at -> Timestamp,
    }
}

diesel::table! {
    field_alert_notices (id) {
        id -> BigInt,
        visit_id -> BigInt,
        level -> Text,
        recipient_id -> BigInt,
        claimed_by -> Text,
        claimed_at -> Timestamp,
        sent_at -> Nullable<Timestamp>,
        error -> Text,
    }
}
