//! Journey queries. Every function that touches one participant's records takes the
//! `ParticipantGrant` the access policy issued; rows are written with the grant's organisation
//! as their tenant key. One module per part of the journey; everything public is re-exported
//! here, so callers name `journey::store::x`.

mod appointments;
mod checklist;
mod custody;
mod encounters;
mod episodes;
mod followups;
mod groups;
mod overdoses;
mod parse;
mod plan;
mod programme;
mod recovery_measures;
mod referrals;

pub use appointments::*;
pub use checklist::*;
pub use custody::*;
pub use encounters::*;
pub use episodes::*;
pub use followups::*;
pub use groups::*;
pub use overdoses::*;
pub use parse::*;
pub use plan::*;
pub use programme::*;
pub use recovery_measures::*;
pub use referrals::*;
