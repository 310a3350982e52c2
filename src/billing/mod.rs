//! Billing: funding sources of encounters (grants, Medicaid plans, other), payers and their
//! rules as data, claim-ready peer units (HCPCS H0038) with the lines rejected and why, and the
//! exports a billing office uses (CSV; decision 0047).

pub mod api;
pub mod ops;
pub mod rules;
pub mod schema;
pub mod store;
