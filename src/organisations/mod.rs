//! Tenants and the people and places they manage: organisations, facilities and staff accounts.
//! Organisation set-up is an admin action and is audited; facility lists are reference data.
//! Staff accounts are invited with a one-time set-password link, and disabled, given a new link
//! or a new second factor by their organisation's admins (`accounts`).

pub mod accounts;
pub mod api;
pub mod ops;
pub mod pages;
pub mod store;
