//! Participants: the people a program serves, and their identity. Every read and write goes
//! through `platform::access` (stores take a `ParticipantGrant` or a `ListScope`).

pub mod amendments;
pub mod api;
pub mod extract;
pub mod matching;
pub mod merge;
pub mod ops;
pub mod pages;
pub mod schema;
pub mod search;
pub mod store;
