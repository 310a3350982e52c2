//! Synthetic messages for the demo: three of the demo peer's participants opted in (two by text,
//! one by e-mail in Spanish), each with a reminder sent, a staff message, and replies; the first
//! one's last word is a reply waiting for an answer. Small and fast.

use chrono::{Duration, NaiveDateTime};

use super::rules::{self, Channel, Kind, Source, Status};
use super::store::{self, NewMessage, NewOptin};
use crate::platform::db::{DbConn, write_tx};
use crate::platform::error::AppResult;
use crate::platform::i18n::Language;

pub fn generate(conn: &mut DbConn, now: NaiveDateTime) -> AppResult<()> {
    let Some((peer_id, org_id, people)) =
        crate::journey::demo::appointments::demo_peer_and_people(conn, 3)?
    else {
        return Ok(());
    };
    write_tx(conn, |tx| {
        for (i, pid) in people.iter().copied().enumerate() {
            let (channel, address, lang) = match i {
                0 => (
                    Channel::Sms,
                    format!("+1617555{:04}", 100 + i),
                    Language::En,
                ),
                1 => (
                    Channel::Email,
                    format!("participant{i}@example.org"),
                    Language::Es,
                ),
                _ => (
                    Channel::Sms,
                    format!("+1617555{:04}", 100 + i),
                    Language::Es,
                ),
            };
            let start = now - Duration::days(10 - i as i64);
            store::record_optin(
                tx,
                org_id,
                pid,
                &NewOptin {
                    channel,
                    address: address.clone(),
                    language: lang.code().to_string(),
                    names_programme: false,
                },
                Some(peer_id),
                start,
            )?;
            let court = (now - Duration::days(3)).date();
            let say = |body: String, dir: &'static str, kind: Kind, status: Status| NewMessage {
                org_id,
                participant_id: pid,
                direction: dir,
                channel,
                kind,
                body,
                address: address.clone(),
                status,
                reminder_key: None,
                author_id: (kind == Kind::Staff).then_some(peer_id),
                provider_id: None,
            };
            let mut reminder = say(
                rules::reminder_text(Source::CourtDate, court, None, lang, None),
                "out",
                Kind::Reminder,
                Status::Sent,
            );
            reminder.reminder_key = Some(format!("demo:{pid}:{court}"));
            store::insert_message(tx, &reminder, start + Duration::days(6))?;
            let (reply, staff, last) = match lang {
                Language::En => (
                    "Thanks. Can you give me a ride to court?",
                    "Yes, I'll pick you up at 8:15 at the corner store.",
                    "I got a letter about my housing appointment, can we talk tomorrow?",
                ),
                Language::Es => (
                    "Gracias. ¿Me puede llevar a la corte?",
                    "Sí, paso por usted a las 8:15 en la tienda de la esquina.",
                    "Recibí una carta de la cita de vivienda, ¿podemos hablar mañana?",
                ),
            };
            store::insert_message(
                tx,
                &say(reply.into(), "in", Kind::Reply, Status::Received),
                start + Duration::days(6) + Duration::hours(1),
            )?;
            store::insert_message(
                tx,
                &say(staff.into(), "out", Kind::Staff, Status::Sent),
                start + Duration::days(6) + Duration::hours(2),
            )?;
            store::insert_message(
                tx,
                &say(last.into(), "in", Kind::Reply, Status::Received),
                now - Duration::hours(2 + i as i64),
            )?;
        }
        Ok(())
    })
}
