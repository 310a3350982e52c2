//! Diesel tables of messages (migration `2026-12-02-080000_messages`).

diesel::table! {
    message_optins (id) {
        id -> BigInt,
        org_id -> BigInt,
        participant_id -> BigInt,
        channel -> Text,
        address -> Text,
        language -> Text,
        names_programme -> Bool,
        opted_in_at -> Timestamp,
        recorded_by -> Nullable<BigInt>,
        ended_at -> Nullable<Timestamp>,
        ended_how -> Nullable<Text>,
    }
}

diesel::table! {
    messages (id) {
        id -> BigInt,
        org_id -> BigInt,
        participant_id -> BigInt,
        direction -> Text,
        channel -> Text,
        kind -> Text,
        body -> Text,
        address -> Text,
        status -> Text,
        reminder_key -> Nullable<Text>,
        author_id -> Nullable<BigInt>,
        created_at -> Timestamp,
        attempts -> Integer,
        claimed_by -> Nullable<Text>,
        claimed_until -> Nullable<Timestamp>,
        sent_at -> Nullable<Timestamp>,
        provider_id -> Nullable<Text>,
        error -> Text,
    }
}

diesel::allow_tables_to_appear_in_same_query!(message_optins, messages);
