//! The staff pages of workforce, reports, consent and administration in Spanish (decision
//! 0043): a user who chose Spanish on the account page gets them in Spanish, with no English
//! left of what was translated, and the API and the CSV files keep their English words.

use serde_json::{Value, json};
use throughcare::platform::access::Role;
use throughcare::platform::time;

use crate::helpers::{Session, TestApp, spawn_app};

async fn page(s: &Session, path: &str) -> String {
    let r = s.get(path).await;
    assert_eq!(r.status(), 200, "GET {path}");
    r.text().await.unwrap()
}

/// The page has every one of `spanish` and none of `english`.
fn assert_spanish(page: &str, what: &str, spanish: &[&str], english: &[&str]) {
    assert!(page.contains("<html lang=\"es\">"), "{what}: {page}");
    for s in spanish {
        assert!(page.contains(s), "{what}: {s:?} missing: {page}");
    }
    for e in english {
        assert!(!page.contains(e), "{what}: {e:?} left in English: {page}");
    }
}

/// A user of programme A who chose Spanish on the account page.
async fn in_spanish(app: &TestApp, role: Role) -> Session {
    let s = app.signed_in(&app.a.user(role).email).await;
    let r = s
        .post_form("/account/language", &[("language", "es")])
        .await;
    assert_eq!(r.status(), 200);
    s
}

/// A consent to share, recorded through the API by programme A's peer, so the consents page
/// has a row.
async fn a_consent(app: &TestApp) {
    let pid = app.a.participant_id;
    let today = time::today();
    let me: Value = app
        .get_bearer("/api/v1/me", &app.b.user(Role::Team).token)
        .await
        .json()
        .await
        .unwrap();
    let r = app
        .post_bearer(
            &format!("/api/v1/participants/{pid}/consents"),
            &app.a.user(Role::Peer).token,
            json!({
                "kind": "standard",
                "categories": ["participation"],
                "recipients": [{"kind": "organisation", "org_id": me["org_id"]}],
                "purpose": "care_coordination",
                "expires_on": (today + chrono::Duration::days(90)).to_string(),
                "right_to_revoke_acknowledged": true,
                "signature_kind": "on_screen",
                "signer_name": "Ana Test",
            }),
        )
        .await;
    assert!(r.status().is_success(), "consent: {}", r.status());
}

/// The `id`s of the chart drawings' titles on a page (`<title id="t-…">`).
fn chart_title_ids(page: &str) -> Vec<&str> {
    page.split("<title id=\"")
        .skip(1)
        .filter_map(|p| p.split('"').next())
        .collect()
}

/// A Spanish-speaking administrator sees the workforce page, the dashboard with its charts, the
/// quarterly report, the audit log, a participant's consents and the organisation page in
/// Spanish; the same pages are English again when they choose English.
#[tokio::test]
async fn a_spanish_speaking_administrator_sees_the_staff_pages_in_spanish() {
    let app = spawn_app().await;
    a_consent(&app).await;
    let admin = in_spanish(&app, Role::Admin).await;

    let p = page(&admin, "/workforce").await;
    assert_spanish(
        &p,
        "workforce",
        &[
            "<h1>Personal</h1>",
            "<title>Personal · Throughcare</title>",
            "Especialistas de apoyo y supervisores (",
            "Avance hacia la credencial",
            "Supervisión este mes (h)",
            "Normas de credenciales",
            "Informe de acceso a centros",
            "Preparación del programa",
        ],
        &[
            "Peers and supervisors",
            "Credential progress",
            "Supervision this month",
            "Credential standards",
            "Facility access report",
            "Programme readiness",
            ">Peer recovery specialist<",
        ],
    );

    let p = page(&admin, "/dashboard").await;
    assert_spanish(
        &p,
        "dashboard",
        &[
            "<h1>Panel del programa</h1>",
            "Todos los centros",
            "Todos los ámbitos",
            "Inscripciones y casos activos por mes y ámbito",
            "Salidas por semana y primer contacto en 24 horas y en 14 días",
            "Días desde la salida hasta el primer contacto",
            "Los números del gráfico están en la tabla de abajo.",
            "<summary>Los números</summary>",
            "Descargar CSV: Motivos de egreso",
            ">Mes<",
            "Corto plazo",
            "% contactados en 24 horas",
        ],
        &[
            "Programme dashboard",
            "All facilities",
            "Enrolments and active caseload",
            "Releases per week",
            "Days from release to first contact",
            "The numbers behind the chart",
            "Download CSV",
            ">Month<",
            "Short-term",
            "% contacted within 24 hours",
            "No records in this period.",
        ],
    );
    let ids = chart_title_ids(&p);
    assert!(ids.len() >= 9, "the charts are drawn: {ids:?}");
    let mut unique = ids.clone();
    unique.sort_unstable();
    unique.dedup();
    assert_eq!(
        unique.len(),
        ids.len(),
        "each chart's title has its own id: {ids:?}"
    );

    let p = page(&admin, "/reports/quarterly?quarter=2026Q1").await;
    assert_spanish(
        &p,
        "quarterly report",
        &[
            "<h1>Informe trimestral 2026Q1</h1>",
            "Cifras principales, del 2026-01-01 al 2026-03-31",
            ">Medida<",
            "Tasa de seguimiento GPRA a los 6 meses",
            "Por ejemplo, 2026Q3",
            "Seguimientos completados",
            "Motivos de egreso",
        ],
        &[
            "Quarterly report",
            "Headline figures",
            ">Measure<",
            "GPRA 6-month follow-up rate",
            "Follow-up completion",
            "Discharge reasons",
        ],
    );

    let p = page(&admin, "/audit").await;
    assert_spanish(
        &p,
        "audit log",
        &[
            "<h1>Registro de auditoría</h1>",
            "La acción empieza por",
            "Las más recientes primero",
            ">Filtrar<",
            "verifica la cadena",
        ],
        &[
            "Newest first",
            "Action starts with",
            ">Filter<",
            "Every read and write",
        ],
    );

    let pid = app.a.participant_id;
    let p = page(&admin, &format!("/participants/{pid}/consents")).await;
    assert_spanish(
        &p,
        "consents",
        &[
            "<h1>Consentimientos para compartir:",
            "Consentimientos, los más recientes primero",
            "Registrar un nuevo consentimiento",
            "Qué se puede compartir",
            ">vigente<",
            "Coordinación de la atención",
            "Guardar el consentimiento",
        ],
        &[
            "Consents to share",
            "Record a new consent",
            "What may be shared",
            ">active<",
            ">Care coordination<",
            "Save consent",
        ],
    );

    let p = page(&admin, "/admin").await;
    assert_spanish(
        &p,
        "organisation",
        &[
            "<h1>Organización</h1>",
            "Invitar a un miembro del personal",
            "Zona horaria",
            "Tokens de la API de su personal",
        ],
        &[
            "Invite a staff member",
            "API tokens of your staff",
            "Add a facility",
            ">Program administrator<",
        ],
    );

    // English again: the same pages speak English.
    admin
        .post_form("/account/language", &[("language", "en")])
        .await;
    let p = page(&admin, "/workforce").await;
    assert!(p.contains("<h1>Workforce</h1>"), "{p}");
    assert!(p.contains("Credential standards"), "{p}");
    let p = page(&admin, "/dashboard").await;
    assert!(
        p.contains("Enrolments and active caseload by month and setting"),
        "{p}"
    );
    assert!(!p.contains("Inscripciones"), "{p}");
}

/// A Spanish-speaking supervisor sees the workforce and the GPRA tracker in Spanish; the
/// dashboard's JSON and CSV, read by the same person, keep their English words (they are data
/// files for funders).
#[tokio::test]
async fn a_spanish_speaking_supervisor_gets_spanish_pages_and_english_data_files() {
    let app = spawn_app().await;
    let supervisor = in_spanish(&app, Role::Supervisor).await;
    let p = page(&supervisor, "/workforce").await;
    assert_spanish(
        &p,
        "workforce (supervisor)",
        &["<h1>Personal</h1>", "Mi equipo ("],
        &["My team (", "Credential standards"],
    );
    let p = page(&supervisor, "/reports/gpra").await;
    assert_spanish(
        &p,
        "GPRA tracker",
        &[
            "<h1>Seguimiento de entrevistas GPRA</h1>",
            "Periodo abierto: entreviste ahora",
            "Próximos a vencer",
        ],
        &["Window open: interview now", "Due soon", "No one."],
    );
    // The dashboard read as a Spanish page first, so that a cached Spanish dashboard would show.
    page(&supervisor, "/dashboard").await;
    let token = &app.a.user(Role::Supervisor).token;
    let csv = app
        .get_bearer("/api/v1/reports/dashboard.csv?chart=enrolments", token)
        .await;
    assert_eq!(csv.status(), 200);
    let csv = csv.text().await.unwrap();
    assert!(csv.starts_with("Month,"), "{csv}");
    assert!(!csv.contains("Mes"), "{csv}");
    let json: Value = app
        .get_bearer("/api/v1/reports/dashboard", token)
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(
        json["charts"][0]["title"],
        "Enrolments and active caseload by month and setting"
    );
}

/// A form refused by a rule of the store, not by a missing field, says why in the reader's
/// language: the staff form with an e-mail another account has; and a conflict (an
/// administrator disabling their own account) is said in Spanish too.
#[tokio::test]
async fn a_form_refused_by_the_store_says_why_in_spanish() {
    let app = spawn_app().await;
    let s = in_spanish(&app, Role::Admin).await;
    let taken = app.a.user(Role::Peer).email.clone();
    let r = s
        .post_form(
            "/admin/staff",
            &[("name", "Robin Dos"), ("email", &taken), ("role", "peer")],
        )
        .await;
    assert_eq!(r.status(), 422);
    let page = r.text().await.unwrap();
    assert_spanish(
        &page,
        "staff form refused",
        &["Correo electrónico</a>: ya existe una cuenta con este correo electrónico"],
        &["an account with this e-mail exists", ">email</a>"],
    );
    let me = app.a.user(Role::Admin).id;
    let r = s
        .post_form(&format!("/admin/staff/{me}/disable"), &[])
        .await;
    assert_eq!(r.status(), 409);
    let page = r.text().await.unwrap();
    assert_spanish(
        &page,
        "own account not disabled",
        &["no puede desactivar su propia cuenta; pídaselo a otro administrador"],
        &["you cannot disable your own account"],
    );
}

/// The error page of refused input, for a Spanish reader: its title and detail in Spanish, the
/// field by its label and the mistake in Spanish, not the name the form sent nor the English.
#[tokio::test]
async fn an_error_page_names_the_field_and_the_mistake_in_spanish() {
    let app = spawn_app().await;
    let s = in_spanish(&app, Role::Peer).await;
    let r = s
        .post_form("/account/language", &[("language", "klingon")])
        .await;
    assert_eq!(r.status(), 422);
    let page = r.text().await.unwrap();
    assert_spanish(
        &page,
        "error page",
        &[
            "Datos no válidos",
            "Corrija lo que se indica abajo",
            "<strong>Idioma preferido</strong>: elija English o Español",
        ],
        &[
            "choose English or Español",
            "<strong>language</strong>",
            "Invalid input",
        ],
    );
}
