//! Diesel tables of billing (migrations `2026-12-02-020000_billing` and
//! `2026-12-02-050000_billing_admin`).

diesel::table! {
    billing_payers (id) {
        id -> BigInt,
        org_id -> BigInt,
        name -> Text,
        kind -> Text,
        payer_code -> Text,
        rules -> Text,
        created_at -> Timestamp,
    }
}

diesel::table! {
    billing_coverages (id) {
        id -> BigInt,
        org_id -> BigInt,
        participant_id -> BigInt,
        payer_id -> BigInt,
        plan_name -> Text,
        member_id -> Text,
        effective_from -> Date,
        effective_to -> Nullable<Date>,
        created_by -> Nullable<BigInt>,
        created_at -> Timestamp,
    }
}

diesel::table! {
    billing_grants (id) {
        id -> BigInt,
        org_id -> BigInt,
        name -> Text,
        funder -> Text,
        award_number -> Text,
        period_from -> Date,
        period_to -> Date,
        created_at -> Timestamp,
        amount_cents -> BigInt,
    }
}

diesel::table! {
    billing_providers (id) {
        id -> BigInt,
        org_id -> BigInt,
        name -> Text,
        npi -> Text,
        tax_id -> Text,
        taxonomy -> Text,
        address -> Text,
        city -> Text,
        state -> Text,
        zip -> Text,
        contact_name -> Text,
        contact_phone -> Text,
        submitter_id -> Text,
        set_by -> Nullable<BigInt>,
        set_at -> Timestamp,
    }
}

diesel::table! {
    billing_funding (id) {
        id -> BigInt,
        org_id -> BigInt,
        encounter_id -> BigInt,
        kind -> Text,
        grant_id -> Nullable<BigInt>,
        coverage_id -> Nullable<BigInt>,
        note -> Text,
        set_by -> Nullable<BigInt>,
        set_at -> Timestamp,
        replaced_by -> Nullable<BigInt>,
    }
}

diesel::allow_tables_to_appear_in_same_query!(
    billing_payers,
    billing_coverages,
    billing_grants,
    billing_funding,
    billing_providers,
);
