//! Diesel tables of the participant record that only it uses (migration
//! `2026-11-23-000200_journey` made them with the journey's; they are the record's).

diesel::table! {
    merges (id) {
        id -> BigInt,
        org_id -> BigInt,
        kept_id -> BigInt,
        merged_id -> BigInt,
        reason -> Text,
        moved -> Text,
        merged_by -> Nullable<BigInt>,
        merged_at -> Timestamp,
        undone_by -> Nullable<BigInt>,
        undone_at -> Nullable<Timestamp>,
    }
}
