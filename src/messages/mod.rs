//! Reminders and two-way messages with participants (issue 18 item 4), and the scheduled jobs
//! that send them (item 6).
//!
//! - `rules` (pure): keywords (STOP, START, HELP), which reminders are due, a reminder's text
//!   in the participant's language, what a text may not name;
//! - `schema`, `store`: opt-ins (never replaced: ended and followed by a new one), the thread
//!   and its outbox;
//! - `ops`: the use cases (policy `access::participant`, messages read as encounter notes;
//!   store; audit); `jobs`: reminders planned and messages delivered on every instance's
//!   timer, each message sent once (decision 0050), and the admins' list of runs;
//! - `sms`: the SMS provider interface and its Twilio adapter, the webhook's signature
//!   (decision 0049); `email`: the SMTP relay (`lettre`);
//! - `for_caseload`: the staff messages out and the person's messages in, for the caseload's
//!   "not heard from" (decision 0053);
//! - `api`: the JSON handlers and the provider's webhook; `pages`: the participant's messages
//!   page and the admins' job runs page.

pub mod api;
pub mod demo;
pub mod email;
pub mod for_caseload;
pub mod jobs;
pub mod ops;
pub mod pages;
pub mod rules;
pub mod schema;
pub mod sms;
pub mod store;
