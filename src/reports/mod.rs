//! Outcomes and reporting: dashboards, GPRA follow-ups, exports, small-cell suppression.

pub mod api;
pub mod charts;
pub mod dashboard;
pub mod demo;
pub mod exports;
pub mod gpra;
pub mod ops;
pub mod pages;
pub mod params;
pub mod periods;
pub mod schema;
pub mod stats;
pub mod store;
pub mod suppression;
#[cfg(test)]
pub(crate) mod test_dates;
