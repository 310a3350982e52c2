//! Messages use cases (issue 18 item 4). Message content is 42 CFR Part 2 information: every
//! read passes the participant access policy as the category `encounter_notes` (what a
//! participant says to their peer is as private as what they say at a meeting, so a partner
//! reads it only under a consent that names that category on its own) and is audited; every
//! write is the participant's own programme staff's. The provider's webhook (a reply, a STOP)
//! acts for the participant and is audited as the provider.

use chrono::NaiveDateTime;
use diesel::prelude::*;
use serde::{Deserialize, Serialize};

use super::rules::{self, Channel, Keyword, Kind, Status};
use super::store::{self, MessageRow, NewMessage, NewOptin, OptinRow};
use crate::consent::rules::Category;
use crate::platform::access::{self, Actor, Need};
use crate::platform::audit::{self, Action, Event, Who};
use crate::platform::db::Tx;
use crate::platform::error::{AppError, AppResult, FieldError};
use crate::platform::fields::{self, Fields};
use crate::platform::i18n::Language;
use crate::platform::schema::{organisations, participants, users};
use crate::platform::time;

/// An opt-in as the API and the page send it.
#[derive(Debug, Clone, Default, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct OptinInput {
    /// `sms` or `email`.
    pub channel: String,
    /// A phone number (US numbers as typed; others in E.164) or an e-mail address.
    pub address: String,
    /// `en` or `es`; empty means the participant's recorded language.
    #[serde(default)]
    pub language: String,
    /// Whether the participant agreed that texts may name the programme (42 CFR 2.13).
    #[serde(default)]
    pub names_programme: bool,
}

/// A message a staff member writes to the participant.
#[derive(Debug, Clone, Default, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct SendInput {
    pub body: String,
}

/// An opt-in as shown.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct Optin {
    pub id: i64,
    pub channel: Channel,
    pub address: String,
    pub language: String,
    pub names_programme: bool,
    #[serde(serialize_with = "crate::platform::time::rfc3339")]
    pub opted_in_at: NaiveDateTime,
    /// Who recorded it (none when the participant texted START).
    pub recorded_by: Option<String>,
    #[serde(serialize_with = "crate::platform::time::rfc3339")]
    pub ended_at: Option<NaiveDateTime>,
    /// `stop` (the participant), `staff`, `replaced` (a newer opt-in).
    pub ended_how: Option<String>,
}

/// A message of the thread as shown.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct Message {
    pub id: i64,
    /// `out` (to the participant) or `in` (from them).
    pub direction: String,
    pub channel: Channel,
    pub kind: Kind,
    pub body: String,
    pub status: Status,
    /// Who wrote it (staff), if staff did.
    pub author: Option<String>,
    #[serde(serialize_with = "crate::platform::time::rfc3339")]
    pub created_at: NaiveDateTime,
    #[serde(serialize_with = "crate::platform::time::rfc3339")]
    pub sent_at: Option<NaiveDateTime>,
}

/// The participant's messages: the opt-in in force, the earlier ones, and the thread.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct Thread {
    pub participant_id: i64,
    /// The participant's name as staff call them.
    pub participant_name: String,
    pub optin: Option<Optin>,
    pub history: Vec<Optin>,
    pub messages: Vec<Message>,
    /// Whether the caller may write (the participant's own programme staff).
    pub can_write: bool,
}

fn names(tx: &mut Tx, ids: Vec<i64>) -> AppResult<std::collections::HashMap<i64, String>> {
    Ok(users::table
        .filter(users::id.eq_any(&ids))
        .select((users::id, users::name))
        .load::<(i64, String)>(tx.conn())?
        .into_iter()
        .collect())
}

fn shown_optins(tx: &mut Tx, rows: Vec<OptinRow>) -> AppResult<Vec<Optin>> {
    let who = names(tx, rows.iter().filter_map(|r| r.recorded_by).collect())?;
    Ok(rows
        .into_iter()
        .map(|r| Optin {
            id: r.id,
            channel: Channel::parse(&r.channel).unwrap_or(Channel::Sms),
            address: r.address,
            language: r.language,
            names_programme: r.names_programme,
            opted_in_at: r.opted_in_at,
            recorded_by: r.recorded_by.and_then(|u| who.get(&u).cloned()),
            ended_at: r.ended_at,
            ended_how: r.ended_how,
        })
        .collect())
}

fn shown_messages(tx: &mut Tx, rows: Vec<MessageRow>) -> AppResult<Vec<Message>> {
    let who = names(tx, rows.iter().filter_map(|r| r.author_id).collect())?;
    Ok(rows
        .into_iter()
        .map(|r| Message {
            id: r.id,
            direction: r.direction,
            channel: Channel::parse(&r.channel).unwrap_or(Channel::Sms),
            kind: Kind::parse(&r.kind).unwrap_or(Kind::Staff),
            body: r.body,
            status: Status::parse(&r.status).unwrap_or(Status::Queued),
            author: r.author_id.and_then(|u| who.get(&u).cloned()),
            created_at: r.created_at,
            sent_at: r.sent_at,
        })
        .collect())
}

/// The participant's messages, for their programme's staff, and for a partner whose consent
/// names encounter notes; audited (and, for a partner, recorded as a disclosure).
pub fn thread(tx: &mut Tx, a: &Actor, id: i64) -> AppResult<Thread> {
    let g = access::participant(
        tx,
        a,
        id,
        Need::Read(Category::EncounterNotes),
        Event::new(Action::MessagesRead, "message", None),
    )?;
    let (first, preferred, last): (String, Option<String>, String) = participants::table
        .find(id)
        .select((
            participants::first_name,
            participants::preferred_name,
            participants::last_name,
        ))
        .first(tx.conn())?;
    let current = store::current_optin(tx.conn(), id)?;
    let all = store::optins(tx.conn(), id)?;
    let rows = store::thread(tx.conn(), id)?;
    let optin = shown_optins(tx, current.into_iter().collect())?
        .into_iter()
        .next();
    let history = shown_optins(
        tx,
        all.into_iter().filter(|o| o.ended_at.is_some()).collect(),
    )?;
    Ok(Thread {
        participant_id: id,
        participant_name: format!("{} {last}", preferred.unwrap_or(first)),
        optin,
        history,
        messages: shown_messages(tx, rows)?,
        can_write: !g.is_disclosure() && access::is_own_staff(a.org_id, a.role, g.org_id()),
    })
}

/// Record the participant's opt-in (the one before it, if any, ends as `replaced`; nothing is
/// overwritten).
pub fn record_optin(
    tx: &mut Tx,
    a: &Actor,
    id: i64,
    input: impl FnOnce() -> AppResult<OptinInput>,
) -> AppResult<Optin> {
    let g = access::participant(
        tx,
        a,
        id,
        Need::Write,
        Event::new(Action::MessageOptinRecord, "message_optin", None),
    )?;
    let input = input()?;
    let recorded_language: Option<String> = participants::table
        .find(id)
        .select(participants::language)
        .first(tx.conn())?;
    let mut f = Fields::new();
    let channel = match Channel::parse(&input.channel) {
        Some(c) => Some(c),
        None => {
            f.push(fields::unknown_value(
                "channel",
                &input.channel,
                Channel::choices(),
            ));
            None
        }
    };
    let address = match channel {
        Some(Channel::Sms) => rules::e164(&input.address),
        Some(Channel::Email) => rules::email(&input.address),
        // The channel is wrong too: the address must still be one of the two.
        None => rules::e164(&input.address).or_else(|| rules::email(&input.address)),
    };
    if address.is_none() {
        f.push(FieldError::keyed("address", "messages-error-address", &[]));
    }
    let language = match input.language.trim() {
        "" => Some(Language::of_recorded(recorded_language.as_deref())),
        l => Language::parse(l).filter(|_| l.len() <= 10),
    };
    if language.is_none() {
        f.push(fields::unknown_value("language", &input.language, "en, es"));
    }
    f.finish()?;
    let (Some(channel), Some(address), Some(language)) = (channel, address, language) else {
        return Err(AppError::internal(anyhow::anyhow!("checked above")));
    };
    let o = NewOptin {
        channel,
        address,
        language: language.code().to_string(),
        names_programme: input.names_programme,
    };
    let row = store::record_optin(tx, g.org_id(), id, &o, Some(a.user_id), time::now())?;
    Ok(shown_optins(tx, vec![row])?.remove(0))
}

/// End the participant's opt-in at their word given to staff (a STOP by phone, in person).
pub fn end_optin(tx: &mut Tx, a: &Actor, id: i64) -> AppResult<usize> {
    access::participant(
        tx,
        a,
        id,
        Need::Write,
        Event::new(Action::MessageOptinEnd, "message_optin", None),
    )?;
    let n = store::end_optins(tx, id, "staff", time::now())?;
    store::cancel_queued(tx, id)?;
    Ok(n)
}

/// The programme's name (a text names it only when the participant agreed).
fn programme_name(tx: &mut Tx, org_id: i64) -> AppResult<String> {
    Ok(organisations::table
        .find(org_id)
        .select(organisations::name)
        .first(tx.conn())?)
}

/// Write to the participant: queued for the next delivery run, on their channel, only while
/// their opt-in is in force, and naming neither the programme nor a treatment unless they
/// agreed.
pub fn send(
    tx: &mut Tx,
    a: &Actor,
    id: i64,
    input: impl FnOnce() -> AppResult<SendInput>,
) -> AppResult<Message> {
    let g = access::participant(
        tx,
        a,
        id,
        Need::Write,
        Event::new(Action::MessageSend, "message", None),
    )?;
    let input = input()?;
    let optin = store::current_optin(tx.conn(), id)?;
    let programme = programme_name(tx, g.org_id())?;
    let mut f = Fields::new();
    let limit = if optin.as_ref().is_some_and(|o| o.channel == "sms") {
        rules::SMS_MAX_CHARS
    } else {
        5000
    };
    let body = f.take(fields::text("body", &input.body, limit, true));
    f.check(optin.is_none(), "body", "messages-error-no-optin");
    if let (Some(b), Some(o)) = (&body, &optin)
        && let Err(key) = rules::check_text(b, &programme, o.names_programme)
    {
        f.push(FieldError::keyed("body", key, &[]));
    }
    f.finish()?;
    let (Some(body), Some(o)) = (body, optin) else {
        return Err(AppError::internal(anyhow::anyhow!("checked above")));
    };
    let row = store::insert_message(
        tx,
        &NewMessage {
            org_id: g.org_id(),
            participant_id: id,
            direction: "out",
            channel: Channel::parse(&o.channel).unwrap_or(Channel::Sms),
            kind: Kind::Staff,
            body,
            address: o.address,
            status: Status::Queued,
            reminder_key: None,
            author_id: Some(a.user_id),
            provider_id: None,
        },
        time::now(),
    )?;
    Ok(shown_messages(tx, vec![row])?.remove(0))
}

/// Who the provider's webhook acts as in the audit log.
fn provider() -> Who {
    Who {
        user_id: None,
        org_id: None,
        label: "sms-provider".into(),
        client_addr: "webhook".into(),
    }
}

/// A text came in from `from` (E.164; its signature already checked). A keyword acts at once
/// (STOP ends every message and cancels those waiting; START opts in again as before the STOP;
/// HELP answers); anything else lands in the thread of the participant the number belongs to.
/// Answers the text to send back at once (the webhook's reply), if any. A number nobody opted
/// in with is ignored, and nothing of it is kept.
pub fn receive_sms(
    tx: &mut Tx,
    from: &str,
    body: &str,
    provider_id: &str,
) -> AppResult<Option<String>> {
    let Some(phone) = rules::e164(from) else {
        return Ok(None);
    };
    let optins = store::optins_of_phone(tx.conn(), &phone)?;
    let Some(latest) = optins.first() else {
        return Ok(None);
    };
    let participant_id = match store::last_written_to(tx.conn(), &phone)? {
        Some(p) if optins.iter().any(|o| o.participant_id == p) => p,
        _ => latest.participant_id,
    };
    let Some(mine) = optins
        .iter()
        .find(|o| o.participant_id == participant_id)
        .cloned()
    else {
        return Ok(None);
    };
    let lang = Language::parse(&mine.language).unwrap_or_default();
    let now = time::now();
    let keyword = rules::keyword(body);
    let kind = if keyword.is_some() {
        Kind::Keyword
    } else {
        Kind::Reply
    };
    let row = store::insert_message(
        tx,
        &NewMessage {
            org_id: mine.org_id,
            participant_id,
            direction: "in",
            channel: Channel::Sms,
            kind,
            body: body.chars().take(rules::INBOUND_MAX_CHARS).collect(),
            address: phone.clone(),
            status: Status::Received,
            reminder_key: None,
            author_id: None,
            provider_id: Some(provider_id.chars().take(64).collect()),
        },
        now,
    )?;
    let answer = match keyword {
        Some(Keyword::Stop) => {
            // Every participant this number opted in for: a STOP is the person's, whatever
            // record it reached (47 CFR 64.1200(a)(10): revocation by any reasonable means).
            let mut ended = 0;
            for p in optins.iter().filter(|o| o.ended_at.is_none()) {
                ended += store::end_optins(tx, p.participant_id, "stop", now)?;
                store::cancel_queued(tx, p.participant_id)?;
            }
            audit::append(
                tx,
                &provider(),
                Event::new(Action::MessageOptinStop, "message", Some(row.id))
                    .with_participant(participant_id)
                    .detail(format!("{ended} ended")),
            )?;
            Some(rules::keyword_answer(Keyword::Stop, lang))
        }
        Some(Keyword::Start) => {
            if store::current_optin(tx.conn(), participant_id)?.is_none() {
                let again = NewOptin {
                    channel: Channel::Sms,
                    address: phone,
                    language: mine.language.clone(),
                    names_programme: mine.names_programme,
                };
                store::record_optin(tx, mine.org_id, participant_id, &again, None, now)?;
            }
            audit::append(
                tx,
                &provider(),
                Event::new(Action::MessageOptinStart, "message", Some(row.id))
                    .with_participant(participant_id),
            )?;
            Some(rules::keyword_answer(Keyword::Start, lang))
        }
        Some(Keyword::Help) => {
            audit::append(
                tx,
                &provider(),
                Event::new(Action::MessageReceive, "message", Some(row.id))
                    .with_participant(participant_id)
                    .detail("help"),
            )?;
            Some(rules::keyword_answer(Keyword::Help, lang))
        }
        None => {
            audit::append(
                tx,
                &provider(),
                Event::new(Action::MessageReceive, "message", Some(row.id))
                    .with_participant(participant_id),
            )?;
            None
        }
    };
    Ok(answer)
}
