//! Tenants and the people and places they manage: organisations, facilities and staff accounts.
//! Organisation set-up is an admin action and is audited; facility lists are reference data.

pub mod api;
pub mod pages;
pub mod store;
