//! Outcomes and reporting: dashboards, GPRA follow-ups, exports, small-cell suppression.

pub mod charts;
pub mod gpra;
pub mod stats;
pub mod suppression;
