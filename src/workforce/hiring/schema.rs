//! Diesel tables of hiring (migration `2026-12-02-100000_hiring`), written by hand to match it.

diesel::table! {
    job_openings (id) {
        id -> BigInt,
        org_id -> BigInt,
        kind -> Text,
        title -> Text,
        lived_experience_criteria -> Text,
        other_criteria -> Text,
        opened_on -> Date,
        created_at -> Timestamp,
    }
}

diesel::table! {
    applicants (id) {
        id -> BigInt,
        org_id -> BigInt,
        opening_id -> BigInt,
        name -> Text,
        contact -> Text,
        lived_experience -> Text,
        user_id -> Nullable<BigInt>,
        created_at -> Timestamp,
    }
}

diesel::table! {
    hiring_events (id) {
        id -> BigInt,
        org_id -> BigInt,
        applicant_id -> BigInt,
        step -> Text,
        kind -> Text,
        on_date -> Date,
        outcome -> Nullable<Text>,
        reason -> Nullable<Text>,
        note -> Text,
        exemption_id -> Nullable<BigInt>,
        clearance_id -> Nullable<BigInt>,
        recorded_by -> BigInt,
        created_at -> Timestamp,
    }
}

diesel::joinable!(applicants -> job_openings (opening_id));
diesel::joinable!(hiring_events -> applicants (applicant_id));
diesel::allow_tables_to_appear_in_same_query!(job_openings, applicants, hiring_events);
