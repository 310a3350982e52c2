//! English and Spanish (issue 16 item 6, decision 0043): a participant's documents print in
//! their recorded language (`?lang=` chooses the other), the interface follows the browser's
//! `Accept-Language` before sign-in and the user's own choice after it, and `<html lang>` says
//! which.

use chrono::{Datelike, Duration};
use serde_json::{Value, json};
use throughcare::platform::access::Role;
use throughcare::platform::time;

use crate::helpers::{Session, TestApp, spawn_app};

const SPANISH_MONTHS: [&str; 12] = [
    "enero",
    "febrero",
    "marzo",
    "abril",
    "mayo",
    "junio",
    "julio",
    "agosto",
    "septiembre",
    "octubre",
    "noviembre",
    "diciembre",
];
const ENGLISH_MONTHS: [&str; 12] = [
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
];

fn d(days: i64) -> String {
    (time::today() + Duration::days(days))
        .format("%Y-%m-%d")
        .to_string()
}

/// Today written out as a document writes it, in each language.
fn today_long(spanish: bool) -> String {
    let t = time::today();
    let m = t.month0() as usize;
    if spanish {
        format!("{} de {} de {}", t.day(), SPANISH_MONTHS[m], t.year())
    } else {
        format!("{} {} {}", t.day(), ENGLISH_MONTHS[m], t.year())
    }
}

async fn post(app: &TestApp, path: &str, body: Value) -> Value {
    let r = app
        .post_bearer(path, &app.a.user(Role::Peer).token, body)
        .await;
    let status = r.status();
    let v: Value = r.json().await.unwrap();
    assert!(status.is_success(), "POST {path}: {status} {v}");
    v
}

async fn org_b(app: &TestApp) -> i64 {
    let me: Value = app
        .get_bearer("/api/v1/me", &app.b.user(Role::Team).token)
        .await
        .json()
        .await
        .unwrap();
    me["org_id"].as_i64().unwrap()
}

fn set_language(app: &TestApp, pid: i64, language: &str) {
    use diesel::prelude::*;
    let mut conn = app.state.db.conn().unwrap();
    diesel::sql_query("UPDATE participants SET language = $1 WHERE id = $2")
        .bind::<diesel::sql_types::Text, _>(language)
        .bind::<diesel::sql_types::BigInt, _>(pid)
        .execute(&mut conn)
        .unwrap();
}

async fn page(s: &Session, path: &str) -> String {
    let r = s.get(path).await;
    assert_eq!(r.status(), 200, "GET {path}");
    r.text().await.unwrap()
}

/// A page as a browser asking for `accept_language` gets it.
async fn page_in(s: &Session, path: &str, accept_language: &str) -> (u16, String) {
    let r = reqwest::Client::new()
        .get(format!("{}{path}", s.base))
        .header("cookie", s.cookie_header())
        .header("accept-language", accept_language)
        .send()
        .await
        .unwrap();
    (r.status().as_u16(), r.text().await.unwrap())
}

/// The English codes and words that must not be left on a page printed in Spanish.
fn assert_no_english(page: &str, what: &str) {
    for code in [
        ">housing<",
        "in_progress",
        "not_started",
        "care_coordination",
        "identity_documents",
        "moud_continuity",
        ">view<",
        ">list<",
        "Goals",
        "Print</button>",
        "Not started",
        "Identity documents",
        "Consent to share information",
        "prohibits unauthorized disclosure",
        "born ",
    ] {
        assert!(
            !page.contains(code),
            "{what}: {code:?} on a Spanish page: {page}"
        );
    }
}

/// A participant whose recorded language is Spanish ("Spanish", "es-MX") gets their plan, their
/// consent form, their accounting of disclosures and the release handout in Spanish: `<html
/// lang="es">`, Spanish headings and month names, no English vocabulary codes; `?lang=en`
/// prints them in English, and an English-speaking participant's are in English.
#[tokio::test]
async fn a_spanish_preferring_participants_plan_and_consent_print_in_spanish() {
    let app = spawn_app().await;
    let pid = app.a.participant_id;
    let base = format!("/api/v1/participants/{pid}");
    // A stay with an expected release (so the plan has its checklist) and a goal with a step.
    post(
        &app,
        &format!("{base}/episodes"),
        json!({"setting": "short_term", "started_on": d(-20), "services_consent_on": d(-20), "expected_release_on": d(40)}),
    )
    .await;
    post(
        &app,
        &format!("{base}/goals"),
        json!({"domain": "housing", "statement": "Tener un lugar propio", "owner": "Ana", "due_on": d(60), "steps": [{"description": "Llamar al albergue"}]}),
    )
    .await;
    let consent = post(
        &app,
        &format!("{base}/consents"),
        json!({
            "kind": "standard",
            "categories": ["participation", "plan"],
            "recipients": [{"kind": "organisation", "org_id": org_b(&app).await}],
            "purpose": "care_coordination",
            "expires_on": d(90),
            "right_to_revoke_acknowledged": true,
            "signature_kind": "on_screen",
            "signer_name": "Ana Test",
        }),
    )
    .await;
    let cid = consent["id"].as_i64().unwrap();
    let peer = app.signed_in(&app.a.user(Role::Peer).email).await;
    let plan = format!("/participants/{pid}/plan");
    let document = format!("/participants/{pid}/consents/{cid}/document");
    let revocation = format!("/participants/{pid}/consents/{cid}/revocation");
    let handout = format!("/participants/{pid}/release-handout");
    let disclosures = format!("/participants/{pid}/disclosures");

    for recorded in ["Spanish", "es-MX"] {
        set_language(&app, pid, recorded);
        let p = page(&peer, &plan).await;
        assert!(p.contains("<html lang=\"es\">"), "{recorded}: {p}");
        assert!(
            p.contains("<h1>Plan de recuperación y reinserción</h1>"),
            "{p}"
        );
        assert!(p.contains("<h2>Metas</h2>"), "{p}");
        assert!(p.contains("<h3>Vivienda</h3>"), "the goal's domain: {p}");
        assert!(p.contains("Sin empezar"), "the goal's status: {p}");
        assert!(p.contains("Preparación para la salida"), "{p}");
        assert!(
            p.contains("Documentos de identidad"),
            "a checklist item: {p}"
        );
        assert!(
            p.contains("Tener un lugar propio"),
            "the goal in their words: {p}"
        );
        assert!(
            p.contains(&today_long(true)),
            "printed today, in Spanish: {p}"
        );
        assert!(p.contains(">Imprimir</button>"), "{p}");
        assert!(
            p.contains("href=\"?lang=en\""),
            "the switch to English: {p}"
        );
        assert_no_english(&p, "plan");

        let c = page(&peer, &document).await;
        assert!(c.contains("<html lang=\"es\">"), "{c}");
        assert!(
            c.contains("<h1>Consentimiento para compartir información</h1>"),
            "{c}"
        );
        assert!(c.contains("Yo, <strong>"), "{c}");
        assert!(c.contains("<strong>Con:</strong>"), "{c}");
        assert!(
            c.contains("Coordinación de la atención") || c.contains("coordinación"),
            "the purpose in Spanish: {c}"
        );
        assert!(
            c.contains(&today_long(true)),
            "signed today, in Spanish: {c}"
        );
        assert!(
            c.contains("prohíbe la divulgación no autorizada"),
            "the Part 2 notice in Spanish: {c}"
        );
        assert_no_english(&c, "consent");

        let r = page(&peer, &revocation).await;
        assert!(
            r.contains("<h1>Revocación de mi consentimiento</h1>"),
            "{r}"
        );
        assert!(r.contains("Firma: ____"), "{r}");

        let a = page(&peer, &disclosures).await;
        assert!(a.contains("<html lang=\"es\">"), "{a}");
        assert!(
            a.contains("<h1>Registro de divulgaciones</h1>"),
            "the accounting follows the participant: {a}"
        );

        let h = page(&peer, &handout).await;
        assert!(h.contains("<html lang=\"es\">"), "{h}");
        assert!(h.contains("Naloxona (Narcan)"), "{h}");
        assert!(h.contains("Llame al 911"), "{h}");
        assert!(h.contains("Buen Samaritano"), "{h}");
        assert!(
            h.contains("buprenorfina") || h.contains("Buprenorfina"),
            "{h}"
        );
        assert!(h.contains(&today_long(true)), "{h}");
    }

    // `?lang=en` prints the same documents in English.
    let p = page(&peer, &format!("{plan}?lang=en")).await;
    assert!(p.contains("<html lang=\"en\">"), "{p}");
    assert!(p.contains("<h1>Recovery and reentry plan</h1>"), "{p}");
    assert!(p.contains("<h3>Housing</h3>"), "{p}");
    assert!(p.contains(&today_long(false)), "{p}");
    let c = page(&peer, &format!("{document}?lang=en")).await;
    assert!(c.contains("<html lang=\"en\">"), "{c}");
    assert!(c.contains("<h1>Consent to share information</h1>"), "{c}");
    assert!(c.contains("42 CFR part 2 prohibits unauthorized disclosure of these records."));
    let h = page(&peer, &format!("{handout}?lang=en")).await;
    assert!(h.contains("Call 911"), "{h}");

    // An English-speaking participant's documents are in English without asking, and
    // `?lang=es` prints them in Spanish.
    set_language(&app, pid, "English");
    for path in [&plan, &document, &handout, &disclosures] {
        let p = page(&peer, path).await;
        assert!(p.contains("<html lang=\"en\">"), "{path}: {p}");
        assert!(!p.contains("Imprimir"), "{path}: {p}");
    }
    let p = page(&peer, &plan).await;
    assert!(p.contains("<h1>Recovery and reentry plan</h1>"), "{p}");
    let p = page(&peer, &format!("{plan}?lang=es")).await;
    assert!(
        p.contains("<h1>Plan de recuperación y reinserción</h1>"),
        "{p}"
    );

    // The user's interface language does not change a participant's documents: in Spanish,
    // an English-speaking participant's plan is still in English.
    let (_, p) = page_in(&peer, &plan, "es-MX,es;q=0.9").await;
    assert!(p.contains("<h1>Recovery and reentry plan</h1>"), "{p}");
}

/// Before sign-in the pages follow the browser's `Accept-Language`; after it, the user's own
/// choice on the account page (by default, the browser's again).
#[tokio::test]
async fn the_interface_follows_the_browser_then_the_users_own_choice() {
    let app = spawn_app().await;
    let browser = Session::new(&app.url);
    let spanish = "es-MX,es;q=0.9,en;q=0.5";
    let (status, p) = page_in(&browser, "/sign-in", spanish).await;
    assert_eq!(status, 200);
    assert!(p.contains("<html lang=\"es\">"), "{p}");
    assert!(p.contains("<h1>Iniciar sesión</h1>"), "{p}");
    assert!(p.contains("Correo electrónico"), "{p}");
    assert!(p.contains("Contraseña"), "{p}");
    let (_, p) = page_in(&browser, "/sign-in", "en-US,en;q=0.9,es;q=0.8").await;
    assert!(p.contains("<html lang=\"en\">"), "{p}");
    assert!(p.contains("<h1>Sign in</h1>"), "{p}");
    let p = page(&browser, "/sign-in").await;
    assert!(
        p.contains("<h1>Sign in</h1>"),
        "no Accept-Language: English: {p}"
    );
    // An error page too.
    let (status, p) = page_in(&browser, "/no-such-page", spanish).await;
    assert_eq!(status, 404);
    assert!(p.contains("<html lang=\"es\">"), "{p}");
    assert!(p.contains("<h1>No encontrado</h1>"), "{p}");
    assert!(p.contains("Volver a Throughcare"), "{p}");

    // Signed in, with no choice made: the browser's language.
    let peer = app.signed_in(&app.a.user(Role::Peer).email).await;
    let (_, home) = page_in(&peer, "/", spanish).await;
    assert!(home.contains("<html lang=\"es\">"), "{home}");
    assert!(home.contains(">Inicio</a>"), "the navigation: {home}");
    assert!(home.contains("Cerrar sesión"), "{home}");
    let home = page(&peer, "/").await;
    assert!(home.contains(">Home</a>"), "{home}");

    // The account page's choice: Spanish, whatever the browser asks.
    let r = peer
        .post_form("/account/language", &[("language", "es")])
        .await;
    assert_eq!(r.status(), 200);
    let answer = r.text().await.unwrap();
    assert!(answer.contains("Idioma guardado."), "{answer}");
    let account = page(&peer, "/account").await;
    assert!(account.contains("<html lang=\"es\">"), "{account}");
    assert!(account.contains("<h1>Su cuenta</h1>"), "{account}");
    assert!(
        account.contains("<title>Su cuenta · Throughcare</title>"),
        "{account}"
    );
    assert!(
        account.contains("<option value=\"es\" lang=\"es\" selected>"),
        "{account}"
    );
    let (_, home) = page_in(&peer, "/", "en-US").await;
    assert!(
        home.contains("<html lang=\"es\">"),
        "the choice beats the browser: {home}"
    );
    assert!(home.contains(">Casos</a>"), "{home}");
    assert!(home.contains("<h1>Inicio</h1>"), "{home}");
    assert!(
        home.contains("<title>Inicio · Throughcare</title>"),
        "{home}"
    );
    assert!(
        home.contains("Le necesitan ahora ("),
        "the home page: {home}"
    );
    assert!(!home.contains("Needs you now"), "{home}");
    let (status, p) = page_in(&peer, "/participants/999999999999/plan", "en-US").await;
    assert_eq!(status, 404);
    assert!(
        p.contains("<h1>No encontrado</h1>"),
        "the signed-in user's error page: {p}"
    );
    // English, then back to the browser's.
    peer.post_form("/account/language", &[("language", "en")])
        .await;
    let (_, home) = page_in(&peer, "/", spanish).await;
    assert!(home.contains("<html lang=\"en\">"), "{home}");
    peer.post_form("/account/language", &[("language", "browser")])
        .await;
    let (_, home) = page_in(&peer, "/", spanish).await;
    assert!(home.contains("<html lang=\"es\">"), "{home}");
    let r = peer
        .post_form("/account/language", &[("language", "fr")])
        .await;
    assert_eq!(r.status(), 422, "only English or Spanish");
    // The choice is audited.
    let token = &app.a.user(Role::Admin).token;
    let log: Value = app
        .get_bearer("/api/v1/audit?action=account.language", token)
        .await
        .json()
        .await
        .unwrap();
    assert!(log.to_string().contains("account.language"), "{log}");
}

/// The two sheets gone through with a participant on paper, the BARC-10 and the follow-up
/// questions, print in the participant's recorded language like the plan (`?lang=` prints the
/// other), reached through the same policy as their record and audited as prints.
#[tokio::test]
async fn a_spanish_preferring_participants_barc10_and_follow_up_sheets_print_in_spanish() {
    let app = spawn_app().await;
    let pid = app.a.participant_id;
    // A community enrolment schedules the follow-ups (the sheet names the next one).
    post(
        &app,
        &format!("/api/v1/participants/{pid}/episodes"),
        json!({"setting": "community", "started_on": d(-5), "services_consent_on": d(-5)}),
    )
    .await;
    let peer = app.signed_in(&app.a.user(Role::Peer).email).await;
    let barc = format!("/participants/{pid}/barc10/print");
    let followups = format!("/participants/{pid}/followups/print");
    set_language(&app, pid, "español");

    let b = page(&peer, &barc).await;
    assert!(b.contains("<html lang=\"es\">"), "{b}");
    assert!(
        b.contains("<h1>Evaluación Breve del Capital de Recuperación (BARC-10)</h1>"),
        "{b}"
    );
    assert!(
        b.contains("Hay cosas en la vida más importantes para mí que consumir sustancias."),
        "the first statement: {b}"
    );
    assert!(
        b.contains("Estoy avanzando bien en mi camino de recuperación."),
        "the tenth statement: {b}"
    );
    assert!(b.contains("☐ 1 Totalmente en desacuerdo"), "{b}");
    assert!(b.contains("☐ 6 Totalmente de acuerdo"), "{b}");
    assert_eq!(
        b.matches("☐ 4 Algo de acuerdo").count(),
        10,
        "the scale under each statement: {b}"
    );
    assert!(
        b.contains(&today_long(true)),
        "printed today, in Spanish: {b}"
    );
    assert!(b.contains(">Imprimir</button>"), "{b}");
    assert!(b.contains("href=\"?lang=en\""), "{b}");
    for english in [
        "There are more important things",
        "Strongly disagree",
        "Somewhat agree",
        "printed ",
        "For the program",
        "Back to the record",
    ] {
        assert!(
            !b.contains(english),
            "{english:?} on the Spanish BARC-10: {b}"
        );
    }

    let f = page(&peer, &followups).await;
    assert!(f.contains("<html lang=\"es\">"), "{f}");
    assert!(f.contains("<h1>Preguntas de seguimiento</h1>"), "{f}");
    assert!(
        f.contains("Desde nuestro último contacto, ¿ha tenido una sobredosis?"),
        "{f}"
    );
    assert!(f.contains("¿Está trabajando ahora?"), "{f}");
    assert!(f.contains("¿Dónde vive ahora?"), "{f}");
    assert!(f.contains("☐ En un albergue"), "{f}");
    assert!(f.contains("☐ Sí"), "{f}");
    assert!(
        f.contains("Próximo: Seguimiento a los 30 días"),
        "the next follow-up: {f}"
    );
    assert!(f.contains("☐ Seguimiento a los 365 días"), "{f}");
    assert!(f.contains(&today_long(true)), "{f}");
    assert!(f.contains("prohíbe la divulgación no autorizada"), "{f}");
    for english in [
        "Follow-up questions",
        "Are you working now?",
        "In a shelter",
        "30-day follow-up",
        "day30<",
        ">shelter<",
        "☐ Yes",
        "prohibits unauthorized disclosure",
    ] {
        assert!(
            !f.contains(english),
            "{english:?} on the Spanish follow-up sheet: {f}"
        );
    }

    // `?lang=en` prints them in English; an English-speaking participant's are in English.
    let b = page(&peer, &format!("{barc}?lang=en")).await;
    assert!(b.contains("<html lang=\"en\">"), "{b}");
    assert!(
        b.contains("There are more important things to me in life than using substances."),
        "{b}"
    );
    assert!(b.contains("☐ 1 Strongly disagree"), "{b}");
    set_language(&app, pid, "English");
    let f = page(&peer, &followups).await;
    assert!(f.contains("<html lang=\"en\">"), "{f}");
    assert!(f.contains("<h1>Follow-up questions</h1>"), "{f}");
    assert!(f.contains("Are you working now?"), "{f}");
    assert!(f.contains("Next due: 30-day follow-up"), "{f}");
    let f = page(&peer, &format!("{followups}?lang=es")).await;
    assert!(f.contains("<h1>Preguntas de seguimiento</h1>"), "{f}");

    // The record links both, and each print is in the audit log.
    let record = page(&peer, &format!("/participants/{pid}")).await;
    assert!(record.contains(&format!("href=\"{barc}\"")), "{record}");
    assert!(
        record.contains(&format!("href=\"{followups}\"")),
        "{record}"
    );
    let token = &app.a.user(Role::Admin).token;
    for action in ["barc10.print", "followup.print"] {
        let log: Value = app
            .get_bearer(&format!("/api/v1/audit?action={action}"), token)
            .await
            .json()
            .await
            .unwrap();
        assert!(log.to_string().contains(action), "{action}: {log}");
    }
}

/// A user whose language is Spanish sees the caseload, a participant's record and the list of
/// participants in Spanish: their headings, labels, buttons and coded values, none of the
/// English ones; the same pages stay in English for a user who chose English.
#[tokio::test]
async fn a_spanish_speaking_user_sees_the_caseload_the_record_and_the_list_in_spanish() {
    let app = spawn_app().await;
    let pid = app.a.participant_id;
    let base = format!("/api/v1/participants/{pid}");
    post(
        &app,
        &format!("{base}/episodes"),
        json!({"setting": "short_term", "started_on": d(-20), "services_consent_on": d(-20), "expected_release_on": d(5)}),
    )
    .await;
    post(
        &app,
        &format!("{base}/goals"),
        json!({"domain": "housing", "statement": "A place of my own", "owner": "participant", "steps": [{"description": "Call the shelter"}]}),
    )
    .await;
    let peer = app.signed_in(&app.a.user(Role::Peer).email).await;
    let caseload = "/caseload";
    let record = format!("/participants/{pid}");
    let list = "/participants";

    // English first (the user's choice): what the Spanish pages must not show.
    peer.post_form("/account/language", &[("language", "en")])
        .await;
    let c = page(&peer, caseload).await;
    assert!(c.contains("<h1>Caseload</h1>"), "{c}");
    let r = page(&peer, &record).await;
    assert!(r.contains(">Record a contact</a>"), "{r}");
    assert!(r.contains("Short-term (jail, pretrial)"), "{r}");
    let l = page(&peer, list).await;
    assert!(l.contains("<h1>Participants</h1>"), "{l}");

    peer.post_form("/account/language", &[("language", "es")])
        .await;
    let c = page(&peer, caseload).await;
    assert!(c.contains("<html lang=\"es\">"), "{c}");
    assert!(c.contains("<title>Casos · Throughcare</title>"), "{c}");
    assert!(c.contains("<h1>Casos</h1>"), "{c}");
    for spanish in [
        ">Entorno</label>",
        ">Cualquiera</option>",
        ">Mostrar</button>",
        "Formulario de encuentro en blanco",
        ">Quién</th>",
        ">Urgencia</th>",
        ">Periodo / salida</th>",
        ">Seguimientos pendientes</th>",
        "Corto plazo (cárcel, prisión preventiva)",
        "sale en 5 días",
    ] {
        assert!(c.contains(spanish), "{spanish:?} on the caseload: {c}");
    }
    for english in [
        "<h1>Caseload</h1>",
        ">Who</th>",
        ">Urgency</th>",
        ">Setting</label>",
        ">Any</option>",
        "Blank encounter form",
        "most urgent first",
        "Release within 7 days",
        "release in 5 days",
        "Short-term (jail, pretrial)",
    ] {
        assert!(
            !c.contains(english),
            "{english:?} on the Spanish caseload: {c}"
        );
    }

    let r = page(&peer, &record).await;
    assert!(r.contains("<html lang=\"es\">"), "{r}");
    for spanish in [
        ">Registrar un contacto</a>",
        "aria-label=\"Partes de este expediente\"",
        ">Identidad</h2>",
        ">Nombre legal</dt>",
        ">Especialista de apoyo asignado</dt>",
        "Corto plazo (cárcel, prisión preventiva)",
        ">Custodia, salida y supervisión</h2>",
        ">Lista de preparación para la salida</h2>",
        "Kit de naloxona y capacitación",
        ">Capital de recuperación (BARC-10)</h2>",
        "Hay cosas en la vida más importantes para mí que consumir sustancias.",
        "Totalmente en desacuerdo",
        ">Guardar el BARC-10</button>",
        ">Etapa de cambio</h2>",
        ">Elija la etapa…</option>",
        ">Precontemplación</option>",
        ">Plan de recuperación y reinserción</h2>",
        ">Vivienda: “A place of my own”</h3>",
        "Sin empezar",
        ">Preguntas del BARC-10 (para imprimir)</a>",
        ">Preguntas de seguimiento (para imprimir)</a>",
        ">Derivaciones y vinculación</h2>",
        ">Tratamiento por consumo de sustancias</option>",
        ">Seguimientos</h2>",
        "Mensaje de texto",
        "Establece relaciones de colaboración y cuidado con sus pares",
    ] {
        assert!(r.contains(spanish), "{spanish:?} on the record: {r}");
    }
    for english in [
        "Record a contact",
        "Sections of this record",
        "Legal name",
        "Assigned peer",
        "Custody, release and supervision",
        "Release readiness checklist",
        "Naloxone kit and training",
        "Recovery capital",
        "Strongly disagree",
        "Save BARC-10",
        "Choose the stage",
        ">Precontemplation<",
        "Printable plan",
        "Not started",
        ">Housing:",
        "Referrals and linkage",
        "Substance use treatment",
        "Text message",
        "No encounters yet.",
        "Short-term (jail, pretrial)",
    ] {
        assert!(
            !r.contains(english),
            "{english:?} on the Spanish record: {r}"
        );
    }

    let l = page(&peer, list).await;
    assert!(l.contains("<html lang=\"es\">"), "{l}");
    for spanish in [
        "<h1>Participantes</h1>",
        ">Buscar a una persona</label>",
        ">Buscar</button>",
        "Solo los míos",
        ">Inscribir a un participante</a>",
        ">Nombre</th>",
        ">Fecha de nacimiento</th>",
    ] {
        assert!(l.contains(spanish), "{spanish:?} on the list: {l}");
    }
    for english in [
        "<h1>Participants</h1>",
        "Find a person",
        "Only mine",
        "Enrol a participant",
        ">Date of birth</th>",
    ] {
        assert!(!l.contains(english), "{english:?} on the Spanish list: {l}");
    }
    let found = page(&peer, &format!("{list}?q=Jordan")).await;
    assert!(found.contains(">Resultados</h2>"), "{found}");
    assert!(found.contains(">Coincide en</th>"), "{found}");
}

/// A form refused on a Spanish page says what to correct in Spanish: each field by its label,
/// each message of the common parsers translated; the API keeps its English words for the same
/// mistake.
#[tokio::test]
async fn a_refused_form_names_its_fields_and_mistakes_in_the_readers_language() {
    let app = spawn_app().await;
    let peer = app.signed_in(&app.a.user(Role::Peer).email).await;
    let bad = [
        ("first_name", ""),
        ("last_name", "Peña"),
        ("date_of_birth", "31/02/1990"),
    ];
    peer.post_form("/account/language", &[("language", "en")])
        .await;
    let r = peer.post_form("/participants", &bad).await;
    assert_eq!(r.status(), 422);
    let en = r.text().await.unwrap();
    assert!(en.contains(">First name</a>: is required"), "{en}");
    assert!(
        en.contains(">Date of birth</a>: &#34;31/02/1990&#34; is not a date (YYYY-MM-DD)")
            || en.contains(">Date of birth</a>: &quot;31/02/1990&quot; is not a date (YYYY-MM-DD)"),
        "{en}"
    );

    peer.post_form("/account/language", &[("language", "es")])
        .await;
    let r = peer.post_form("/participants", &bad).await;
    assert_eq!(r.status(), 422);
    let es = r.text().await.unwrap();
    assert!(es.contains(">Nombre</a>: es obligatorio"), "{es}");
    assert!(es.contains(">Fecha de nacimiento</a>: "), "{es}");
    assert!(es.contains("no es una fecha (AAAA-MM-DD)"), "{es}");
    for english in [
        "is required",
        "is not a date",
        ">first_name<",
        ">date_of_birth<",
    ] {
        assert!(
            !es.contains(english),
            "{english:?} on the Spanish page: {es}"
        );
    }

    // The API answers the same mistake in English.
    let token = &app.a.user(Role::Peer).token;
    let r = app
        .post_bearer(
            "/api/v1/participants",
            token,
            json!({"first_name": "Ana", "last_name": "Peña", "date_of_birth": "31/02/1990"}),
        )
        .await;
    assert_eq!(r.status(), 422);
    let problem: Value = r.json().await.unwrap();
    assert!(
        problem.to_string().contains("is not a date (YYYY-MM-DD)"),
        "{problem}"
    );
}
