//! Diesel tables of consent (migration `2026-11-23-000500_consent`).

diesel::table! {
    consents (id) {
        id -> BigInt,
        org_id -> BigInt,
        participant_id -> BigInt,
        kind -> Text,
        categories -> Text,
        purpose -> Text,
        purpose_text -> Nullable<Text>,
        expiry_on -> Nullable<Date>,
        expiry_event -> Nullable<Text>,
        expiry_event_at -> Nullable<Timestamp>,
        irrevocable_until -> Nullable<Timestamp>,
        cj_condition -> Nullable<Text>,
        cj_final_disposition_on -> Nullable<Date>,
        signature_kind -> Text,
        signer_name -> Nullable<Text>,
        signed_at -> Timestamp,
        attested_by -> Nullable<BigInt>,
        scan_ref -> Nullable<Text>,
        signer_is_representative -> Bool,
        representative_authority -> Nullable<Text>,
        revoked_at -> Nullable<Timestamp>,
        revoked_by -> Nullable<BigInt>,
        revocation_method -> Nullable<Text>,
        revocation_note -> Nullable<Text>,
        created_by -> Nullable<BigInt>,
        created_at -> Timestamp,
    }
}

diesel::table! {
    consent_recipients (id) {
        id -> BigInt,
        consent_id -> BigInt,
        participant_id -> BigInt,
        kind -> Text,
        recipient_org_id -> Nullable<BigInt>,
        recipient_user_id -> Nullable<BigInt>,
        recipient_class -> Nullable<Text>,
    }
}

diesel::table! {
    emergency_accesses (id) {
        id -> BigInt,
        org_id -> BigInt,
        participant_id -> BigInt,
        user_id -> BigInt,
        user_org_id -> BigInt,
        reason -> Text,
        granted_at -> Timestamp,
        expires_at -> Timestamp,
        ended_at -> Nullable<Timestamp>,
        ended_by -> Nullable<BigInt>,
        end_reason -> Nullable<Text>,
    }
}

diesel::table! {
    emergency_policies (org_id) {
        org_id -> BigInt,
        listed_only -> Bool,
        changed_by -> Nullable<BigInt>,
        changed_at -> Timestamp,
    }
}

diesel::table! {
    emergency_reach (org_id, medical_org_id) {
        org_id -> BigInt,
        medical_org_id -> BigInt,
        added_by -> Nullable<BigInt>,
        added_at -> Timestamp,
    }
}

diesel::table! {
    disclosures (id) {
        id -> BigInt,
        org_id -> BigInt,
        participant_id -> BigInt,
        consent_id -> Nullable<BigInt>,
        emergency_id -> Nullable<BigInt>,
        recipient_user_id -> BigInt,
        recipient_org_id -> BigInt,
        recipient_label -> Text,
        categories -> Text,
        action -> Text,
        purpose -> Text,
        at -> Timestamp,
    }
}

diesel::table! {
    alerts (id) {
        id -> BigInt,
        org_id -> BigInt,
        kind -> Text,
        participant_id -> Nullable<BigInt>,
        detail -> Text,
        created_at -> Timestamp,
    }
}

diesel::allow_tables_to_appear_in_same_query!(
    consents,
    consent_recipients,
    emergency_accesses,
    emergency_policies,
    emergency_reach,
    disclosures,
    alerts
);
