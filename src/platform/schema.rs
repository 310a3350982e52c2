//! Diesel table definitions, written by hand to match `migrations/{sqlite,postgres}`.
//! Both backends share these definitions; keep the two migration folders in step.

diesel::table! {
    organisations (id) {
        id -> BigInt,
        slug -> Text,
        name -> Text,
        kind -> Text,
        created_at -> Timestamp,
        mfa_required -> Bool,
        time_zone -> Nullable<Text>,
    }
}

diesel::table! {
    facilities (id) {
        id -> BigInt,
        org_id -> BigInt,
        name -> Text,
        kind -> Text,
        setting -> Text,
        created_at -> Timestamp,
    }
}

diesel::table! {
    users (id) {
        id -> BigInt,
        org_id -> BigInt,
        email -> Text,
        name -> Text,
        role -> Text,
        password_hash -> Text,
        supervisor_id -> Nullable<BigInt>,
        disabled_at -> Nullable<Timestamp>,
        created_at -> Timestamp,
        language -> Nullable<Text>,
    }
}

diesel::table! {
    sessions (token_hash) {
        token_hash -> Text,
        user_id -> BigInt,
        created_at -> Timestamp,
        last_seen_at -> Timestamp,
        client_addr -> Text,
        mfa_state -> Text,
        authenticated_at -> Nullable<Timestamp>,
    }
}

diesel::table! {
    user_mfa (user_id) {
        user_id -> BigInt,
        secret -> Text,
        enabled_at -> Nullable<Timestamp>,
        last_step -> BigInt,
        created_at -> Timestamp,
    }
}

diesel::table! {
    mfa_recovery_codes (id) {
        id -> BigInt,
        user_id -> BigInt,
        code_hash -> Text,
        used_at -> Nullable<Timestamp>,
    }
}

diesel::table! {
    api_tokens (id) {
        id -> BigInt,
        user_id -> BigInt,
        token_hash -> Text,
        created_at -> Timestamp,
        expires_at -> Nullable<Timestamp>,
        revoked_at -> Nullable<Timestamp>,
        label -> Nullable<Text>,
        last_used_at -> Nullable<Timestamp>,
    }
}

diesel::table! {
    set_password_links (id) {
        id -> BigInt,
        user_id -> BigInt,
        token_hash -> Text,
        purpose -> Text,
        created_by -> Nullable<BigInt>,
        created_at -> Timestamp,
        expires_at -> Timestamp,
        used_at -> Nullable<Timestamp>,
    }
}

diesel::table! {
    signin_failures (id) {
        id -> BigInt,
        email -> Text,
        client_addr -> Text,
        at -> Timestamp,
    }
}

diesel::table! {
    audit_head (id) {
        id -> Integer,
        seq -> BigInt,
        hash -> Text,
        key_check -> Nullable<Text>,
        keyed_from -> Nullable<BigInt>,
    }
}

diesel::table! {
    audit_log (seq) {
        seq -> BigInt,
        at -> Timestamp,
        actor_user_id -> Nullable<BigInt>,
        actor_org_id -> Nullable<BigInt>,
        actor_label -> Text,
        action -> Text,
        record_type -> Text,
        record_id -> Nullable<BigInt>,
        participant_id -> Nullable<BigInt>,
        client_addr -> Text,
        detail -> Text,
        prev_hash -> Text,
        hash -> Text,
    }
}

diesel::table! {
    participants (id) {
        id -> BigInt,
        org_id -> BigInt,
        first_name -> Text,
        last_name -> Text,
        preferred_name -> Nullable<Text>,
        date_of_birth -> Date,
        assigned_peer_id -> Nullable<BigInt>,
        created_at -> Timestamp,
        updated_at -> Timestamp,
        pronouns -> Nullable<Text>,
        language -> Nullable<Text>,
        phone -> Nullable<Text>,
        email -> Nullable<Text>,
        merged_into_id -> Nullable<BigInt>,
        /// `first_name` folded for search (`participants::matching::normalize_name`).
        search_first_name -> Text,
        /// `last_name` folded for search.
        search_last_name -> Text,
    }
}

// An organisation's settings, one value a key (`platform::org_settings`).
diesel::table! {
    org_settings (org_id, key) {
        org_id -> BigInt,
        key -> Text,
        value -> Text,
    }
}

diesel::table! {
    deployment_settings (key) {
        key -> Text,
        value -> Text,
    }
}

diesel::joinable!(facilities -> organisations (org_id));
diesel::joinable!(users -> organisations (org_id));
diesel::joinable!(sessions -> users (user_id));
diesel::joinable!(api_tokens -> users (user_id));
diesel::joinable!(set_password_links -> users (user_id));
diesel::joinable!(participants -> organisations (org_id));
diesel::joinable!(participants -> users (assigned_peer_id));

diesel::allow_tables_to_appear_in_same_query!(
    organisations,
    facilities,
    users,
    sessions,
    user_mfa,
    mfa_recovery_codes,
    api_tokens,
    set_password_links,
    signin_failures,
    audit_head,
    audit_log,
    participants,
    deployment_settings,
);

// Each run of a scheduled job on any instance (migration `2026-12-02-080000_messages`,
// decision 0050).
diesel::table! {
    job_runs (id) {
        id -> BigInt,
        job -> Text,
        instance -> Text,
        started_at -> Timestamp,
        finished_at -> Nullable<Timestamp>,
        items -> Integer,
        error -> Text,
    }
}
