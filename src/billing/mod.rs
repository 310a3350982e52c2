//! Billing: funding sources of encounters (grants, Medicaid plans, other), payers and their
//! rules as data, claim-ready peer units (HCPCS H0038) with the lines rejected and why, the
//! administration of payers, coverage, grants and the billing provider, and the exports a
//! billing office uses (CSV, the X12 837P claim file; decisions 0047, 0048).

pub mod api;
pub mod demo;
pub mod ops;
pub mod pages;
pub mod rules;
pub mod schema;
pub mod store;
pub mod x12;
