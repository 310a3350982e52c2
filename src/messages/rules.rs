//! The rules of messages with participants (issue 18 item 4), pure:
//!
//! - the keywords a participant may text (STOP, START, HELP and their usual synonyms) and what
//!   each does. The CTIA Messaging Principles and Best Practices (2023) §5 ask every programme
//!   to honour STOP (and its synonyms) at once and to answer HELP; the FCC's 2024 TCPA
//!   revocation order (47 CFR 64.1200(a)(10)) says a revocation by "any reasonable means" must
//!   be honoured, so STOP ends every message (texts and e-mail), not just the channel;
//! - which reminders are due on a day, and their keys (one reminder per source, date);
//! - the text of a reminder in the participant's language, naming no diagnosis and no
//!   programme unless the participant agreed (42 CFR 2.13: a message that names a substance use
//!   disorder programme discloses that its reader is a patient of it);
//! - the check of a peer's own text for words that would disclose treatment.

use chrono::{NaiveDate, NaiveTime, Timelike};

use crate::platform::i18n::{self, Language};
use crate::platform::vocabulary::vocabulary;

vocabulary! {
    /// How a participant receives messages.
    pub enum Channel {
        Sms = "sms" => "Text message (SMS)" | "Mensaje de texto (SMS)",
        Email = "email" => "E-mail" | "Correo electrónico",
    }
}

vocabulary! {
    /// What a message in the thread is.
    pub enum Kind {
        /// A reminder the scheduler planned.
        Reminder = "reminder" => "Reminder" | "Recordatorio",
        /// Written by staff on the participant page.
        Staff = "staff" => "From staff" | "Del personal",
        /// Written by the participant.
        Reply = "reply" => "From the participant" | "Del participante",
        /// A keyword (STOP, START, HELP) the participant sent.
        Keyword = "keyword" => "Keyword" | "Palabra clave",
    }
}

vocabulary! {
    /// Where a message stands.
    pub enum Status {
        /// Waiting for a delivery run.
        Queued = "queued" => "Waiting to be sent" | "En espera de envío",
        Sent = "sent" => "Sent" | "Enviado",
        /// The provider refused it, or every try failed.
        Failed = "failed" => "Not sent" | "No enviado",
        /// Not sent: the participant stopped messages before it went.
        Cancelled = "cancelled" => "Cancelled (messages stopped)" | "Cancelado (mensajes detenidos)",
        /// Came in from the participant.
        Received = "received" => "Received" | "Recibido",
    }
}

vocabulary! {
    /// Where a reminder comes from.
    pub enum Source {
        /// A custody event of kind `court_date`.
        CourtDate = "court_date" => "Court date" | "Fecha de corte",
        /// A follow-up (the `followups` schedule) not yet completed.
        FollowUp = "followup" => "Follow-up with the peer" | "Seguimiento con el compañero",
        /// An appointment with the supervising officer (probation or parole).
        Supervision = "supervision_appointment" => "Probation or parole appointment" | "Cita de libertad condicional o supervisada",
        /// A medication dose (the text never names the medicine).
        MedicationDose = "moud_dose" => "Medication dose" | "Dosis de medicamento",
        /// A visit with the peer.
        PeerVisit = "peer_visit" => "Visit with the peer" | "Visita con el compañero de apoyo",
    }
}

/// A keyword a participant can text.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Keyword {
    /// End every message now.
    Stop,
    /// Start messages again after a STOP.
    Start,
    /// Who is this and how to stop.
    Help,
}

/// The opt-out keywords: CTIA's list (STOP, STOPALL, UNSUBSCRIBE, CANCEL, END, QUIT), the
/// carriers' REVOKE and OPTOUT, and Spanish ones our participants use (PARAR, ALTO, BAJA).
const STOP_WORDS: &[&str] = &[
    "STOP",
    "STOPALL",
    "UNSUBSCRIBE",
    "CANCEL",
    "END",
    "QUIT",
    "REVOKE",
    "OPTOUT",
    "PARAR",
    "ALTO",
    "BAJA",
];
const START_WORDS: &[&str] = &["START", "UNSTOP", "YES", "COMENZAR", "SI", "SÍ"];
const HELP_WORDS: &[&str] = &["HELP", "INFO", "AYUDA"];

/// The keyword a whole message is, if it is one: the message alone, in any case, with spaces and
/// trailing punctuation around it ("Stop.", " stop!"). A keyword inside a sentence ("please
/// don't stop texting me") is a reply, not a keyword.
pub fn keyword(body: &str) -> Option<Keyword> {
    let word = body
        .trim()
        .trim_end_matches(['.', '!', '?', ','])
        .trim()
        .to_uppercase();
    if STOP_WORDS.contains(&word.as_str()) {
        Some(Keyword::Stop)
    } else if START_WORDS.contains(&word.as_str()) {
        Some(Keyword::Start)
    } else if HELP_WORDS.contains(&word.as_str()) {
        Some(Keyword::Help)
    } else {
        None
    }
}

/// The answer to a keyword, in the participant's language (the one message CTIA allows after a
/// STOP confirms it). Names no programme.
pub fn keyword_answer(k: Keyword, lang: Language) -> String {
    let key = match k {
        Keyword::Stop => "messages-sms-stopped",
        Keyword::Start => "messages-sms-started",
        Keyword::Help => "messages-sms-help",
    };
    i18n::message(lang, key, &[])
}

/// The first day a reminder of an event on `on` is sent: the day before.
pub const LEAD_DAYS: i64 = 1;

/// Is a reminder of an event on `on` due on `today` (the organisation's day)? From the day
/// before until the day itself, so a reminder missed the day before (the server was down, the
/// date was recorded late) still goes that morning; never after.
pub fn due_on(on: NaiveDate, today: NaiveDate) -> bool {
    let first = on - chrono::Days::new(LEAD_DAYS as u64);
    today >= first && today <= on
}

/// The earliest and latest hour (local) reminders are sent: 9 am to 8 pm, inside the TCPA's
/// calling hours (8 am to 9 pm at the called party's location, 47 CFR 64.1200(c)(1)).
pub const SEND_FROM_HOUR: u32 = 9;
pub const SEND_UNTIL_HOUR: u32 = 20;

/// May a reminder go at this local wall-clock time?
pub fn in_sending_hours(local: chrono::NaiveDateTime) -> bool {
    (SEND_FROM_HOUR..SEND_UNTIL_HOUR).contains(&local.hour())
}

/// The key that makes a reminder unique: its source, the source's id and the event's date (a
/// court date moved to another day is reminded again; the same date never twice).
pub fn reminder_key(source: Source, source_id: i64, on: NaiveDate) -> String {
    format!("{}:{source_id}:{on}", source.as_str())
}

/// The text of a reminder in `lang`: what and when, never why (no charge, no diagnosis, no
/// treatment); the programme's name only when the participant agreed to it (`programme` is
/// then `Some`).
pub fn reminder_text(
    source: Source,
    on: NaiveDate,
    at: Option<NaiveTime>,
    lang: Language,
    programme: Option<&str>,
) -> String {
    let day = i18n::Tr::new(lang).date(&on);
    let date = match at {
        Some(t) => i18n::message_with(
            lang,
            "messages-reminder-at",
            &[("date", day), ("time", t.format("%H:%M").to_string())],
        ),
        None => day,
    };
    let key = match source {
        Source::CourtDate => "messages-reminder-court",
        Source::FollowUp => "messages-reminder-followup",
        Source::Supervision => "messages-reminder-supervision",
        Source::MedicationDose => "messages-reminder-dose",
        Source::PeerVisit => "messages-reminder-visit",
    };
    let text = i18n::message_with(lang, key, &[("date", date)]);
    let stop = i18n::message(lang, "messages-reminder-stop", &[]);
    match programme {
        Some(p) => format!("{p}: {text} {stop}"),
        None => format!("{text} {stop}"),
    }
}

/// The subject of a reminder by e-mail.
pub fn reminder_subject(lang: Language, programme: Option<&str>) -> String {
    let s = i18n::message(lang, "messages-reminder-subject", &[]);
    match programme {
        Some(p) => format!("{p}: {s}"),
        None => s,
    }
}

/// Words that tell a reader of a text about treatment for substance use (the 42 CFR Part 2
/// information a message must not carry unless the participant agreed), in English and Spanish.
const TREATMENT_WORDS: &[&str] = &[
    "addiction",
    "adicción",
    "adiccion",
    "buprenorphine",
    "buprenorfina",
    "detox",
    "desintoxicación",
    "methadone",
    "metadona",
    "moud",
    "naltrexone",
    "naltrexona",
    "narcan",
    "opioid",
    "opioide",
    "oud",
    "overdose",
    "sobredosis",
    "suboxone",
    "sublocade",
    "vivitrol",
];

/// Why a staff member's own text may not go, if it may not: it names the programme or a
/// treatment when the participant has not agreed that texts may (a message key).
pub fn check_text(body: &str, programme: &str, names_programme: bool) -> Result<(), &'static str> {
    if names_programme {
        return Ok(());
    }
    let lower = body.to_lowercase();
    let p = programme.trim().to_lowercase();
    if !p.is_empty() && lower.contains(&p) {
        return Err("messages-error-names-programme");
    }
    let words = lower.split(|c: char| !c.is_alphanumeric() && c != '-');
    for w in words {
        if TREATMENT_WORDS.contains(&w) {
            return Err("messages-error-names-treatment");
        }
    }
    Ok(())
}

/// A phone number as stored and compared: E.164 (`+` and digits). A US number of 10 digits
/// (or 11 starting with 1) gets `+1`; anything else must already be E.164.
pub fn e164(phone: &str) -> Option<String> {
    let t = phone.trim();
    let plus = t.starts_with('+');
    let digits: String = t.chars().filter(char::is_ascii_digit).collect();
    let allowed = t
        .chars()
        .all(|c| c.is_ascii_digit() || matches!(c, '+' | ' ' | '-' | '(' | ')' | '.'));
    if !allowed || t.matches('+').count() > usize::from(plus) || (plus && !t.starts_with('+')) {
        return None;
    }
    match (plus, digits.len()) {
        (false, 10) => Some(format!("+1{digits}")),
        (false, 11) if digits.starts_with('1') => Some(format!("+{digits}")),
        (true, 8..=15) => Some(format!("+{digits}")),
        _ => None,
    }
}

/// An e-mail address as stored: trimmed, one `@` with something either side and a dot after it.
pub fn email(address: &str) -> Option<String> {
    let t = address.trim();
    let (local, domain) = t.split_once('@')?;
    let ok = !local.is_empty()
        && domain.contains('.')
        && !domain.starts_with('.')
        && !domain.ends_with('.')
        && !domain.contains('@')
        && !t.chars().any(|c| c.is_whitespace() || c.is_control());
    ok.then(|| t.to_string())
}

/// A delivery lease: how long a claimed message is held by the instance that claimed it before
/// another may claim it again (it crashed between sending and marking, decision 0050).
pub const LEASE_SECONDS: i64 = 300;

/// The longest text a staff member may send: Twilio's limit for one message (sent as up to ten
/// segments).
pub const SMS_MAX_CHARS: usize = 1600;

/// What is kept of a text that came in (longer ones are cut).
pub const INBOUND_MAX_CHARS: usize = 2000;

/// How many tries before a message is marked failed.
pub const MAX_ATTEMPTS: i32 = 5;

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn d(s: &str) -> NaiveDate {
        NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap()
    }

    #[test]
    fn stop_and_its_synonyms_are_keywords_alone_in_any_case() {
        for w in [
            "STOP",
            "stop",
            " Stop. ",
            "unsubscribe",
            "Cancel!",
            "PARAR",
            "baja",
        ] {
            assert_eq!(keyword(w), Some(Keyword::Stop), "{w}");
        }
        for w in ["START", "unstop", "Yes"] {
            assert_eq!(keyword(w), Some(Keyword::Start), "{w}");
        }
        for w in ["HELP", "info?", "Ayuda"] {
            assert_eq!(keyword(w), Some(Keyword::Help), "{w}");
        }
        for w in [
            "please don't stop",
            "stop by tomorrow?",
            "",
            "ok",
            "I will be there",
        ] {
            assert_eq!(keyword(w), None, "{w}");
        }
    }

    #[test]
    fn a_reminder_is_due_the_day_before_and_the_day_itself_only() {
        let on = d("2026-12-10");
        assert!(!due_on(on, d("2026-12-08")));
        assert!(due_on(on, d("2026-12-09")));
        assert!(due_on(on, d("2026-12-10")));
        assert!(!due_on(on, d("2026-12-11")));
    }

    #[test]
    fn reminders_go_in_daytime_hours_only() {
        let at = |h| d("2026-12-10").and_hms_opt(h, 30, 0).unwrap();
        assert!(!in_sending_hours(at(7)));
        assert!(!in_sending_hours(at(8)));
        assert!(in_sending_hours(at(9)));
        assert!(in_sending_hours(at(19)));
        assert!(!in_sending_hours(at(20)));
        assert!(!in_sending_hours(at(23)));
    }

    #[test]
    fn a_reminder_is_in_the_participants_language_and_names_the_programme_only_if_agreed() {
        let on = d("2026-12-10");
        let en = reminder_text(Source::CourtDate, on, None, Language::En, None);
        let es = reminder_text(Source::CourtDate, on, None, Language::Es, None);
        assert!(
            en.contains("court") && en.contains("10 December 2026"),
            "{en}"
        );
        assert!(es.contains("corte") && es.contains("diciembre"), "{es}");
        assert!(en.contains("STOP") && es.contains("STOP"));
        assert_ne!(en, es);
        let named = reminder_text(
            Source::FollowUp,
            on,
            None,
            Language::En,
            Some("Bridges Peer"),
        );
        assert!(named.starts_with("Bridges Peer: "), "{named}");
        let unnamed = reminder_text(Source::FollowUp, on, None, Language::En, None);
        assert!(!unnamed.contains("Bridges"));
        let at = NaiveTime::from_hms_opt(8, 15, 0);
        let dose = reminder_text(Source::MedicationDose, on, at, Language::Es, None);
        assert!(
            dose.contains("medicamento") && dose.contains("08:15"),
            "{dose}"
        );
        let visit = reminder_text(Source::PeerVisit, on, at, Language::En, None);
        assert!(visit.contains("10 December 2026 at 08:15"), "{visit}");
        for s in Source::ALL {
            for lang in Language::ALL {
                let t = reminder_text(*s, on, None, *lang, None);
                assert_eq!(check_text(&t, "Bridges Peer", false), Ok(()), "{t}");
                assert!(!t.contains("messages-"), "a key was not found: {t}");
            }
        }
    }

    #[test]
    fn a_staff_text_may_not_name_the_programme_or_a_treatment_unless_agreed() {
        assert_eq!(
            check_text("See you at Bridges Peer tomorrow", "Bridges Peer", false),
            Err("messages-error-names-programme")
        );
        assert_eq!(
            check_text("Did you get your Suboxone?", "Bridges Peer", false),
            Err("messages-error-names-treatment")
        );
        assert_eq!(
            check_text("¿Tomó la metadona hoy?", "Bridges", false),
            Err("messages-error-names-treatment")
        );
        assert_eq!(
            check_text("See you at 3 at the library", "Bridges", false),
            Ok(())
        );
        // "doubt" holds "oud" but is not the word.
        assert_eq!(
            check_text("No doubt, see you then", "Bridges", false),
            Ok(())
        );
        assert_eq!(
            check_text("See you at Bridges Peer tomorrow", "Bridges Peer", true),
            Ok(())
        );
    }

    #[test]
    fn phone_numbers_become_e164_and_addresses_are_checked() {
        assert_eq!(e164("(617) 555-0142").as_deref(), Some("+16175550142"));
        assert_eq!(e164("1-617-555-0142").as_deref(), Some("+16175550142"));
        assert_eq!(e164("+44 20 7946 0958").as_deref(), Some("+442079460958"));
        assert_eq!(e164("555-0142"), None);
        assert_eq!(e164("617555014x"), None);
        assert_eq!(e164("61+7555014"), None);
        assert_eq!(
            email(" ana@example.org ").as_deref(),
            Some("ana@example.org")
        );
        assert_eq!(email("ana@example"), None);
        assert_eq!(email("ana example@x.org"), None);
        assert_eq!(email("@x.org"), None);
    }

    proptest! {
        /// Whatever a reminder is about, on whatever day, in either language, it passes the
        /// check a staff text must pass when the participant has not agreed, and it tells how
        /// to stop.
        #[test]
        fn no_reminder_discloses_treatment(
            days in 0u64..3650,
            s in prop::sample::select(Source::ALL.to_vec()),
            minutes in prop::option::of(0u32..1440),
            es in any::<bool>(),
        ) {
            let on = d("2026-01-01") + chrono::Days::new(days);
            let at = minutes.and_then(|m| NaiveTime::from_hms_opt(m / 60, m % 60, 0));
            let lang = if es { Language::Es } else { Language::En };
            let t = reminder_text(s, on, at, lang, None);
            prop_assert_eq!(check_text(&t, "Throughcare Peer Recovery", false), Ok(()));
            prop_assert!(t.contains("STOP"));
        }

        /// A keyword is recognised whatever its case and surrounding spaces; any message with
        /// another word in it is not a keyword.
        #[test]
        fn keywords_ignore_case_and_space_only(
            w in prop::sample::select(STOP_WORDS.to_vec()),
            pad in "[ ]{0,3}",
            upper in any::<bool>(),
            other in "[a-z]{2,8}",
        ) {
            let w2 = if upper { w.to_uppercase() } else { w.to_lowercase() };
            let padded = format!("{pad}{w2}{pad}");
            prop_assert_eq!(keyword(&padded), Some(Keyword::Stop));
            let sentence = format!("{w2} {other}");
            prop_assert_eq!(keyword(&sentence), None);
        }

        /// A reminder is due on exactly LEAD_DAYS + 1 days.
        #[test]
        fn a_reminder_is_due_on_lead_days_plus_one(days in 0u64..3650) {
            let on = d("2026-01-01") + chrono::Days::new(days);
            let n = (0..20u64)
                .map(|k| on - chrono::Days::new(10) + chrono::Days::new(k))
                .filter(|t| due_on(on, *t))
                .count();
            prop_assert_eq!(n as i64, LEAD_DAYS + 1);
        }
    }
}
