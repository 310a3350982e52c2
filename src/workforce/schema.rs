//! Diesel tables of the peer workforce, written by hand to match
//! `migrations/{sqlite,postgres}/2026-11-23-000300_workforce`. Every table carries `org_id`.

use crate::platform::schema::{facilities, organisations, users};

diesel::table! {
    credential_standards (id) {
        id -> BigInt,
        org_id -> BigInt,
        name -> Text,
        issuer -> Text,
        definition -> Text,
        created_at -> Timestamp,
        updated_at -> Timestamp,
    }
}

diesel::table! {
    peer_pathways (id) {
        id -> BigInt,
        org_id -> BigInt,
        peer_id -> BigInt,
        standard_id -> BigInt,
        exam_passed_on -> Nullable<Date>,
        ethics_signed_on -> Nullable<Date>,
        background_cleared_on -> Nullable<Date>,
        education_met -> Bool,
        fees_paid -> Bool,
        certified_on -> Nullable<Date>,
        created_at -> Timestamp,
        updated_at -> Timestamp,
    }
}

diesel::table! {
    training_records (id) {
        id -> BigInt,
        org_id -> BigInt,
        peer_id -> BigInt,
        course -> Text,
        domain -> Text,
        hours -> Double,
        completed_on -> Date,
        evidence -> Text,
        continuing_education -> Bool,
        ethics -> Bool,
        created_at -> Timestamp,
    }
}

diesel::table! {
    work_hours (id) {
        id -> BigInt,
        org_id -> BigInt,
        peer_id -> BigInt,
        worked_on -> Date,
        hours -> Double,
        note -> Text,
        created_at -> Timestamp,
    }
}

diesel::table! {
    supervision_sessions (id) {
        id -> BigInt,
        org_id -> BigInt,
        supervisor_id -> BigInt,
        peer_id -> BigInt,
        held_on -> Date,
        format -> Text,
        hours -> Double,
        topics -> Text,
        wellness_checkin -> Text,
        action_items -> Text,
        created_at -> Timestamp,
        minutes -> Integer,
        supervisor_signed_by -> Nullable<BigInt>,
        supervisor_signed_at -> Nullable<Timestamp>,
        peer_signed_by -> Nullable<BigInt>,
        peer_signed_at -> Nullable<Timestamp>,
        amended_at -> Nullable<Timestamp>,
    }
}

// Supervision sign-off, competency reviews and ethics consultations:
// `2026-12-02-090000_supervision_signoff_reviews` (decision 0051).

diesel::table! {
    supervision_competencies (session_id, competency) {
        session_id -> BigInt,
        org_id -> BigInt,
        competency -> Text,
    }
}

diesel::table! {
    supervision_amendments (id) {
        id -> BigInt,
        org_id -> BigInt,
        session_id -> BigInt,
        amended_by -> BigInt,
        amended_at -> Timestamp,
        reason -> Text,
        prior -> Text,
    }
}

diesel::table! {
    competency_reviews (id) {
        id -> BigInt,
        org_id -> BigInt,
        peer_id -> BigInt,
        reviewer_id -> BigInt,
        reviewed_on -> Date,
        notes -> Text,
        created_at -> Timestamp,
        amended_at -> Nullable<Timestamp>,
    }
}

diesel::table! {
    competency_ratings (review_id, competency) {
        review_id -> BigInt,
        org_id -> BigInt,
        competency -> Text,
        self_rating -> Nullable<Integer>,
        supervisor_rating -> Nullable<Integer>,
        goal -> Text,
    }
}

diesel::table! {
    competency_review_amendments (id) {
        id -> BigInt,
        org_id -> BigInt,
        review_id -> BigInt,
        amended_by -> BigInt,
        amended_at -> Timestamp,
        reason -> Text,
        prior -> Text,
    }
}

diesel::table! {
    ethics_consultations (id) {
        id -> BigInt,
        org_id -> BigInt,
        peer_id -> BigInt,
        held_on -> Date,
        consulted_with_id -> Nullable<BigInt>,
        consulted_with -> Text,
        minutes -> Integer,
        question -> Text,
        guidance -> Text,
        outcome -> Text,
        recorded_by -> BigInt,
        created_at -> Timestamp,
    }
}

diesel::table! {
    exemption_processes (id) {
        id -> BigInt,
        org_id -> BigInt,
        peer_id -> BigInt,
        applied_on -> Date,
        documents_requested_on -> Nullable<Date>,
        documents_sent_on -> Nullable<Date>,
        decided_on -> Nullable<Date>,
        decision -> Nullable<Text>,
        notes -> Text,
        created_at -> Timestamp,
        updated_at -> Timestamp,
    }
}

diesel::table! {
    monetary_sanctions (id) {
        id -> BigInt,
        org_id -> BigInt,
        peer_id -> BigInt,
        kind -> Text,
        amount_usd -> Double,
        payment_plan -> Bool,
        blocks_credential -> Bool,
        resolved_on -> Nullable<Date>,
        created_at -> Timestamp,
    }
}

diesel::table! {
    facility_clearances (id) {
        id -> BigInt,
        org_id -> BigInt,
        peer_id -> BigInt,
        facility_id -> BigInt,
        requested_on -> Date,
        status -> Text,
        status_on -> Date,
        expires_on -> Nullable<Date>,
        conditions -> Text,
        denial_reason -> Nullable<Text>,
        created_at -> Timestamp,
        updated_at -> Timestamp,
    }
}

diesel::table! {
    clearance_events (id) {
        id -> BigInt,
        org_id -> BigInt,
        clearance_id -> BigInt,
        status -> Text,
        on_date -> Date,
        expires_on -> Nullable<Date>,
        conditions -> Text,
        denial_reason -> Nullable<Text>,
        note -> Text,
        created_at -> Timestamp,
    }
}

diesel::table! {
    facility_visits (id) {
        id -> BigInt,
        org_id -> BigInt,
        peer_id -> BigInt,
        facility_id -> BigInt,
        scheduled_on -> Date,
        outcome -> Text,
        refusal_reason -> Text,
        created_at -> Timestamp,
    }
}

diesel::table! {
    readiness_items (id) {
        id -> BigInt,
        org_id -> BigInt,
        item_key -> Text,
        title -> Text,
        stage -> Text,
        five_p -> Text,
        description -> Text,
        owner -> Text,
        status -> Text,
        due_on -> Nullable<Date>,
        notes -> Text,
        position -> Integer,
        updated_at -> Timestamp,
    }
}

diesel::table! {
    job_descriptions (id) {
        id -> BigInt,
        org_id -> BigInt,
        kind -> Text,
        body -> Text,
        updated_at -> Timestamp,
    }
}

diesel::joinable!(credential_standards -> organisations (org_id));
diesel::joinable!(peer_pathways -> credential_standards (standard_id));
diesel::joinable!(facility_clearances -> facilities (facility_id));
diesel::joinable!(facility_visits -> facilities (facility_id));
diesel::joinable!(clearance_events -> facility_clearances (clearance_id));

diesel::allow_tables_to_appear_in_same_query!(
    credential_standards,
    peer_pathways,
    training_records,
    work_hours,
    supervision_sessions,
    exemption_processes,
    monetary_sanctions,
    facility_clearances,
    clearance_events,
    facility_visits,
    readiness_items,
    job_descriptions,
    supervision_competencies,
    supervision_amendments,
    competency_reviews,
    competency_ratings,
    competency_review_amendments,
    ethics_consultations,
);
diesel::allow_tables_to_appear_in_same_query!(facility_clearances, facilities);
diesel::allow_tables_to_appear_in_same_query!(facility_visits, facilities);
diesel::allow_tables_to_appear_in_same_query!(supervision_sessions, users);
diesel::allow_tables_to_appear_in_same_query!(credential_standards, organisations);
