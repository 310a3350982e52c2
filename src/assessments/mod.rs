//! Assessments: BARC-10 recovery capital and the peer's record of stage of change.

pub mod barc10;
pub mod stages;
