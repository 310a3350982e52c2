//! A fixed, realistic data set built through the HTTP API of a `spawn_app` server: facilities,
//! the workforce, participants with accented names, episodes, encounters, a group session,
//! consents (one revoked; a criminal-justice consent to a probation department), a merge, a
//! roster import and an invitation. The differential test builds it on both backends and
//! compares every answer; the browser tests visit every page over it.

use chrono::{Duration, NaiveDate};
use serde_json::{Value, json};
use throughcare::platform::access::Role;

use super::TestApp;

/// What the seed made on one side, in creation order (the same order on both sides).
#[derive(Default, Debug)]
pub struct Seeded {
    /// Organisation A's participants (the helper's seeded one first).
    pub participants: Vec<i64>,
    /// Organisation B's participants.
    pub b_participants: Vec<i64>,
    /// Organisation A's facilities.
    pub facilities: Vec<i64>,
    /// Organisation A's credential standards.
    pub standards: Vec<i64>,
    /// Organisation A's staff (every role), and the peers added for the workforce.
    pub staff: Vec<i64>,
    /// Consents: (participant, consent).
    pub consents: Vec<(i64, i64)>,
    /// Organisation A's roster import runs.
    pub roster_imports: Vec<i64>,
    /// Organisation A's group sessions.
    pub groups: Vec<i64>,
    /// The secret of a set-password link (one per invitation; different on each backend).
    pub welcome_links: Vec<String>,
    /// Organisation A's payers (billing), each covering A's participants.
    pub payers: Vec<i64>,
    /// The demo peer's supervision sessions.
    pub supervision: Vec<i64>,
    /// The demo peer's competency reviews.
    pub competency_reviews: Vec<i64>,
    /// Organisation A's applicants for a peer job.
    pub applicants: Vec<i64>,
}

async fn call(
    app: &TestApp,
    method: reqwest::Method,
    token: &str,
    path: &str,
    body: Value,
) -> Value {
    let r = app
        .api()
        .request(method.clone(), format!("{}{path}", app.url))
        .bearer_auth(token)
        .json(&body)
        .send()
        .await
        .expect("request");
    let status = r.status();
    let text = r.text().await.unwrap_or_default();
    assert!(
        status.is_success(),
        "seed: {method} {path} {body}: {status} {text}"
    );
    serde_json::from_str(&text).unwrap_or(Value::Null)
}

async fn post(app: &TestApp, token: &str, path: &str, body: Value) -> Value {
    call(app, reqwest::Method::POST, token, path, body).await
}

fn id_of(v: &Value) -> i64 {
    v["id"]
        .as_i64()
        .unwrap_or_else(|| panic!("seed: no id in {v}"))
}

/// The fixed data set. Dates are relative to `today` (the same value on both sides); times of
/// day are fixed, and none is within a day of now, so no server-stamped time is mistaken for
/// one of them.
pub async fn seed(app: &TestApp, today: NaiveDate) -> Seeded {
    let d = |n: i64| (today + Duration::days(n)).to_string();
    let at = |n: i64, hm: &str| format!("{}T{hm}", today + Duration::days(n));
    let admin = app.a.user(Role::Admin).token.clone();
    let peer = app.a.user(Role::Peer);
    let b_admin = app.b.user(Role::Admin).token.clone();
    let b_peer = app.b.user(Role::Peer).token.clone();
    let mut s = Seeded {
        staff: Role::ALL.iter().map(|r| app.a.user(*r).id).collect(),
        ..Seeded::default()
    };

    // Facilities (one with an accent), and one of B's.
    for (name, kind, setting) in [
        ("Lakeview County Jail", "jail", "short"),
        ("Ridge Correctional Facility", "prison", "long"),
        ("Cañon City Reentry Centre", "reentry_centre", "community"),
    ] {
        let f = post(
            app,
            &admin,
            "/api/v1/facilities",
            json!({"name": name, "kind": kind, "setting": setting}),
        )
        .await;
        s.facilities.push(id_of(&f));
    }
    let b_fac = id_of(
        &post(
            app,
            &b_admin,
            "/api/v1/facilities",
            json!({"name": "Harbor County Jail", "kind": "jail", "setting": "short"}),
        )
        .await,
    );
    let [f0, f1, f2] = [s.facilities[0], s.facilities[1], s.facilities[2]];

    // The workforce: a standard, the peer's pathway, training, hours, supervision, barriers,
    // clearances (granted, denied, requested) and visits.
    let standard = post(app, &admin, "/api/v1/credential-standards", json!({
        "name": "Peer Recovery (PR)", "issuer": "IC&RC",
        "training": [{"domain": "Advocacy", "hours": 10.0}, {"domain": "Ethical responsibility", "hours": 16.0}],
        "supervised_work_hours": 500.0, "supervision_hours": 25.0,
        "exam_required": true, "ethics_attestation_required": true, "background_check_required": false,
        "formal_education": "High school diploma or equivalent", "renewal_years": 2,
        "ce_hours": 20.0, "ce_ethics_hours": 6.0
    })).await;
    s.standards.push(id_of(&standard));
    let wf = |what: &str| format!("/api/v1/peers/{}/{what}", peer.id);
    post(
        app,
        &admin,
        &wf("pathways"),
        json!({"standard_id": s.standards[0], "exam_passed_on": d(-100), "ethics_signed_on": d(-100), "education_met": true}),
    )
    .await;
    for (course, domain, hours, on, ethics) in [
        ("Advocacy 101", "Advocacy", 10.0, d(-90), false),
        (
            "Ethics in peer work",
            "Ethical responsibility",
            8.5,
            d(-80),
            true,
        ),
    ] {
        post(app, &admin, &wf("training"), json!({"course": course, "domain": domain, "hours": hours, "completed_on": on, "ethics": ethics})).await;
    }
    post(
        app,
        &admin,
        &wf("work-hours"),
        json!({"worked_on": d(-70), "hours": 6.5, "note": "Intake groups"}),
    )
    .await;
    let session = post(app, &admin, &wf("supervision"), json!({"held_on": d(-60), "format": "individual", "hours": 1.5, "topics": ["engaging", "crisis"]})).await;
    s.supervision.push(id_of(&session));
    let review = post(app, &admin, &wf("competency-reviews"), json!({"reviewed_on": d(-45), "ratings": [{"competency": "engaging", "self_rating": 2, "supervisor_rating": 3, "goal": "Lead an intake group"}]})).await;
    s.competency_reviews.push(id_of(&review));
    let opening = post(app, &admin, "/api/v1/hiring/openings", json!({"kind": "peer_recovery_specialist", "title": "Peer Recovery Specialist", "lived_experience_criteria": "Lived experience of recovery and of the justice system", "opened_on": d(-50)})).await;
    let applicant = post(app, &admin, "/api/v1/hiring/applicants", json!({"opening_id": id_of(&opening), "name": "Dana Ríos", "contact": "(555) 010-0199", "lived_experience": "In recovery since 2020.", "applied_on": d(-40)})).await;
    s.applicants.push(id_of(&applicant));
    post(
        app,
        &admin,
        &wf("exemptions"),
        json!({"applied_on": d(-500)}),
    )
    .await;
    post(
        app,
        &admin,
        &wf("exemptions"),
        json!({"applied_on": d(-300), "decided_on": d(-200), "decision": "granted"}),
    )
    .await;
    post(
        app,
        &admin,
        &wf("sanctions"),
        json!({"kind": "fine", "amount_usd": 250.0}),
    )
    .await;
    post(app, &admin, &wf("clearances"), json!({"facility_id": f0, "requested_on": d(-150), "status": {"status": "granted", "on": d(-140)}})).await;
    post(app, &admin, &wf("clearances"), json!({"facility_id": f1, "requested_on": d(-120), "status": {"status": "denied", "on": d(-100), "denial_reason": "prior_incarceration"}})).await;
    post(
        app,
        &admin,
        &wf("clearances"),
        json!({"facility_id": f2, "requested_on": d(-20)}),
    )
    .await;
    for (fac, on, outcome, reason) in [
        (f0, d(-50), "completed", ""),
        (f0, d(-40), "refused_at_door", "No escort available"),
        (f1, d(-20), "cancelled_by_facility", "Lockdown"),
    ] {
        post(app, &admin, &wf("visits"), json!({"facility_id": fac, "scheduled_on": on, "outcome": outcome, "refusal_reason": reason})).await;
    }

    // Participants of A, each assigned to A's peer.
    s.participants.push(app.a.participant_id);
    for (first, last, dob) in [
        ("José", "Peña", "1990-03-04"),
        ("Zoë", "Ångström-Øre", "1985-11-23"),
        ("Never", "Contacted", "1979-07-01"),
        ("Dana", "O'Neil", "1995-01-15"),
        ("Lê", "Nguyễn", "2000-02-29"),
        ("jose", "PENA", "1990-03-04"),
    ] {
        let p = post(app, &admin, "/api/v1/participants", json!({"first_name": first, "last_name": last, "date_of_birth": dob, "assigned_peer_id": peer.id, "confirm_not_duplicate": true})).await;
        s.participants.push(id_of(&p));
    }
    let [p0, p1, p2, p3, p4, p5, p6] = [
        s.participants[0],
        s.participants[1],
        s.participants[2],
        s.participants[3],
        s.participants[4],
        s.participants[5],
        s.participants[6],
    ];
    let pp = |p: i64, what: &str| format!("/api/v1/participants/{p}/{what}");
    let t = &admin;

    // P0: community from 200 days ago, discharged 20 days ago.
    post(
        app,
        t,
        &pp(p0, "episodes"),
        json!({"setting": "community", "started_on": d(-200), "services_consent_on": d(-200)}),
    )
    .await;
    post(
        app,
        t,
        &pp(p0, "encounters"),
        json!({"mode": "phone", "outcome": "completed", "occurred_at": at(-150, "10:15"), "duration_minutes": 25, "topics": ["engaging"]}),
    )
    .await;
    post(
        app,
        t,
        &pp(p0, "episodes/discharge"),
        json!({"reason": "completed", "ended_on": d(-20)}),
    )
    .await;

    // P1 (José Peña): at the jail from 120 days ago, released 60 days ago, contacted that
    // evening; referrals linked and not; BARC-10 twice; a stage, a goal, a follow-up, GPRA.
    post(app, t, &pp(p1, "episodes"), json!({"setting": "short_term", "facility_id": f0, "started_on": d(-120), "services_consent_on": d(-120)})).await;
    post(
        app,
        t,
        &pp(p1, "custody-events"),
        json!({"kind": "release", "occurred_on": d(-60), "at_time": "10:00"}),
    )
    .await;
    for (outcome, when, minutes, mode) in [
        ("completed", at(-60, "20:00"), 30, "in_community"),
        ("attempted", at(-58, "09:00"), 0, "phone"),
        ("completed", at(-45, "14:30"), 45, "in_community"),
    ] {
        post(app, t, &pp(p1, "encounters"), json!({"mode": mode, "outcome": outcome, "occurred_at": when, "duration_minutes": minutes, "topics": ["engaging", "crisis"], "note": "Café meeting — señor Peña"})).await;
    }
    let r = post(
        app,
        t,
        &pp(p1, "referrals"),
        json!({"referral_type": "treatment", "provider_name": "Riverside Treatment Center", "referred_on": d(-59)}),
    )
    .await;
    post(
        app,
        t,
        &format!("/api/v1/participants/{p1}/referrals/{}/status", id_of(&r)),
        json!({"status": "attended", "occurred_on": d(-50)}),
    )
    .await;
    post(
        app,
        t,
        &pp(p1, "referrals"),
        json!({"referral_type": "housing", "provider_name": "Casa Esperanza", "referred_on": d(-59)}),
    )
    .await;
    for (on, answers) in [
        (d(-59), json!([2, 2, 2, 2, 2, 2, 2, 2, 2, 2])),
        (d(-29), json!([4, 4, 4, 4, 4, 3, 3, 3, 3, 3])),
    ] {
        post(
            app,
            t,
            &pp(p1, "barc10"),
            json!({"taken_on": on, "answers": answers}),
        )
        .await;
    }
    post(
        app,
        t,
        &pp(p1, "stages"),
        json!({"stage": "preparation", "recorded_on": d(-59), "note": "Ready to try"}),
    )
    .await;
    post(app, t, &pp(p1, "followups"), json!({"point": "day30", "completed_on": d(-30), "rearrested": false, "reincarcerated": false, "overdose": "none", "housing": "temporary"})).await;
    post(app, t, &pp(p1, "gpra"), json!({"timepoint": "intake", "client_type": "client_in_recovery", "interview_on": d(-118), "days_any_alcohol": 4, "days_alcohol_intoxication": 2, "housing": "jail_prison", "substance_days": [{"substance": "heroin", "days": 3}], "days_illegal_drugs": 5, "income": [], "arrests_past_30": 0})).await;
    // A consent to organisation B, and a second one revoked.
    let b_org = call(
        app,
        reqwest::Method::GET,
        &b_admin,
        "/api/v1/me",
        json!(null),
    )
    .await["org_id"]
        .as_i64()
        .expect("org_id of /api/v1/me");
    let consent = |cats: Value, purpose: &str, days: i64| json!({"kind": "standard", "categories": cats, "recipients": [{"kind": "organisation", "org_id": b_org}], "purpose": purpose, "expires_on": d(days), "right_to_revoke_acknowledged": true, "signature_kind": "on_screen", "signer_name": "José Peña"});
    let first = post(
        app,
        t,
        &pp(p1, "consents"),
        consent(json!(["participation"]), "care_coordination", 90),
    )
    .await;
    s.consents.push((p1, id_of(&first)));
    let second = post(
        app,
        t,
        &pp(p1, "consents"),
        consent(
            json!(["participation", "encounter_notes"]),
            "care_coordination",
            60,
        ),
    )
    .await;
    let list = call(
        app,
        reqwest::Method::GET,
        t,
        &pp(p1, "consents"),
        json!(null),
    )
    .await;
    let revoke = second["id"]
        .as_i64()
        .or_else(|| list.as_array().and_then(|l| l.last()).map(id_of))
        .expect("the second consent's id");
    s.consents.push((p1, revoke));
    post(
        app,
        t,
        &format!("/api/v1/consents/{revoke}/revoke"),
        json!({"method": "in_writing"}),
    )
    .await;

    // P2 (Zoë Ångström-Øre): at the prison from 400 days ago, released 200 days ago, contacted
    // five days later; day-180 follow-up with a re-arrest and an overdose; GPRA intake and 6 months.
    post(app, t, &pp(p2, "episodes"), json!({"setting": "long_term", "facility_id": f1, "started_on": d(-400), "services_consent_on": d(-400)})).await;
    post(
        app,
        t,
        &pp(p2, "custody-events"),
        json!({"kind": "release", "occurred_on": d(-200), "at_time": "09:00"}),
    )
    .await;
    post(app, t, &pp(p2, "encounters"), json!({"mode": "phone", "outcome": "attempted", "occurred_at": at(-199, "12:00"), "duration_minutes": 0, "topics": ["engaging"]})).await;
    post(app, t, &pp(p2, "encounters"), json!({"mode": "in_community", "outcome": "completed", "occurred_at": at(-195, "14:00"), "duration_minutes": 50, "topics": ["engaging"]})).await;
    post(
        app,
        t,
        &pp(p2, "referrals"),
        json!({"referral_type": "moud", "provider_name": "Northside Clinic", "referred_on": d(-198)}),
    )
    .await;
    post(app, t, &pp(p2, "followups"), json!({"point": "day180", "completed_on": d(-20), "rearrested": true, "reincarcerated": false, "overdose": "non_fatal"})).await;
    post(
        app,
        t,
        &pp(p2, "barc10"),
        json!({"taken_on": d(-190), "answers": [5, 5, 5, 5, 5, 5, 5, 4, 4, 4]}),
    )
    .await;
    post(app, t, &pp(p2, "gpra"), json!({"timepoint": "intake", "client_type": "client_in_recovery", "interview_on": d(-399), "substance_days": [], "income": []})).await;
    post(app, t, &pp(p2, "gpra"), json!({"timepoint": "six_month", "client_type": "client_in_recovery", "interview_on": d(-220), "substance_days": [], "income": []})).await;

    // P3: enrolled at the jail 30 days ago and never contacted (the facility access report counts
    // them as held there without contact).
    post(app, t, &pp(p3, "episodes"), json!({"setting": "short_term", "facility_id": f0, "started_on": d(-30), "services_consent_on": d(-30)})).await;

    // P4 (Dana O'Neil): community from 10 days ago, contacted the day after; a criminal-justice
    // consent to organisation B.
    post(
        app,
        t,
        &pp(p4, "episodes"),
        json!({"setting": "community", "started_on": d(-10), "services_consent_on": d(-10)}),
    )
    .await;
    post(app, t, &pp(p4, "encounters"), json!({"mode": "in_community", "outcome": "completed", "occurred_at": at(-9, "11:30"), "duration_minutes": 20, "topics": ["engaging"]})).await;
    // A group session of P2 and P4 (one encounter each, one session).
    let group = post(app, t, &pp(p2, "encounters"), json!({"kind": "group", "mode": "in_community", "outcome": "completed", "occurred_at": at(-8, "18:00"), "duration_minutes": 60, "topics": ["engaging"], "life_domains": ["housing", "moud"], "note": "Reentry group", "also_participant_ids": [p4]})).await;
    s.groups.push(
        group[0]["group_id"]
            .as_i64()
            .unwrap_or_else(|| panic!("seed: no group_id in {group}")),
    );
    // 42 CFR 2.35: a criminal-justice consent names the probation department itself.
    let probation = {
        let db = app.state.db.clone();
        tokio::task::spawn_blocking(move || {
            super::seed_org(
                &db,
                "county-probation",
                "County Probation",
                throughcare::platform::access::OrgKind::Probation,
                &[Role::Team],
                &super::password_hash(),
            )
        })
        .await
        .expect("seed the probation department")
    };
    let probation_org = call(
        app,
        reqwest::Method::GET,
        &probation.user(Role::Team).token,
        "/api/v1/me",
        json!(null),
    )
    .await["org_id"]
        .as_i64()
        .expect("org_id of /api/v1/me");
    let cj = post(app, t, &pp(p4, "consents"), json!({"kind": "criminal_justice", "categories": ["participation"], "recipients": [{"kind": "organisation", "org_id": probation_org}], "purpose": "monitoring_progress", "expires_on": d(200), "right_to_revoke_acknowledged": true, "signature_kind": "on_screen", "signer_name": "Dana O'Neil", "cj_condition_of_release": "Probation condition 7", "cj_final_disposition_on": d(150), "irrevocable_until": d(100)})).await;
    s.consents.push((p4, id_of(&cj)));

    // P5 (Lê Nguyễn): in custody at the prison, release expected in 20 days; a checklist step.
    post(app, t, &pp(p5, "episodes"), json!({"setting": "medium_term", "facility_id": f1, "started_on": d(-45), "services_consent_on": d(-45), "expected_release_on": d(20)})).await;
    post(
        app,
        t,
        &pp(p5, "custody-events"),
        json!({"kind": "expected_release", "occurred_on": d(20), "certainty": "confirmed"}),
    )
    .await;
    post(
        app,
        t,
        &pp(p5, "checklist"),
        json!({"kind": "naloxone", "done_on": d(-5)}),
    )
    .await;

    // P6 ("jose PENA") is P1 enrolled twice: merged into P1.
    post(
        app,
        t,
        &pp(p1, "merge"),
        json!({"duplicate_id": p6, "reason": "same booking photo"}),
    )
    .await;

    // Organisation B: its participant in the community, contacted; a facility of its own.
    let bp = app.b.participant_id;
    s.b_participants.push(bp);

    // A roster import with a new person (a name with an accent) and a bad row, whose rows to
    // check are paged.
    let roster = format!(
        "booking_number,last_name,first_name,date_of_birth,booking_date,expected_release_date,release_date\n\
         DIFF-1,Núñez,José,1988-03-04,{},{},\n\
         DIFF-2,Smith,,1990-01-01,{},,\n",
        d(-10),
        d(20),
        d(-5)
    );
    let r = app
        .api()
        .post(format!(
            "{}/api/v1/imports/roster?facility={f0}&create_unmatched=true",
            app.url
        ))
        .bearer_auth(&admin)
        .header("content-type", "text/csv")
        .body(roster)
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 200, "seed: roster import");
    s.roster_imports
        .push(id_of(&r.json::<Value>().await.unwrap()));
    post(app, &b_admin, &pp(bp, "episodes"), json!({"setting": "short_term", "facility_id": b_fac, "started_on": d(-15), "services_consent_on": d(-15)})).await;
    post(app, &b_peer, &pp(bp, "encounters"), json!({"mode": "in_facility", "outcome": "completed", "occurred_at": at(-14, "16:45"), "duration_minutes": 15, "topics": ["engaging"]})).await;
    // An invitation: its set-password page is compared with its own secret on each side.
    let invited = post(
        app,
        &admin,
        "/api/v1/staff/invitations",
        json!({"email": "renee@org-a.test", "name": "Renée Invited", "role": "peer"}),
    )
    .await;
    let path = invited["link"]["path"]
        .as_str()
        .expect("seed: the link")
        .to_string();
    s.welcome_links
        .push(path.trim_start_matches("/welcome/").to_string());

    // A payer (Medicaid, 15-minute units under the 8-minute rule, a cap of 4 a day), covering
    // A's participants from a year before, so that claims have lines and rejections to compare.
    let org = call(app, reqwest::Method::GET, &admin, "/api/v1/me", json!(null)).await["org_id"]
        .as_i64()
        .expect("org_id of /api/v1/me");
    let (db, people, from) = (
        app.state.db.clone(),
        s.participants.clone(),
        today - Duration::days(400),
    );
    let payer = tokio::task::spawn_blocking(move || {
        use throughcare::billing::rules::{Coverage, PayerRules, Rounding};
        use throughcare::billing::store as billing;
        let mut conn = db.conn().expect("a connection");
        throughcare::platform::db::write_tx(&mut conn, |tx| {
            let rules = PayerRules {
                rounding: Rounding::HalfUnit,
                daily_unit_cap: Some(4),
                max_group_size: Some(8),
                unit_rate_cents: 2_500,
                ..PayerRules::default()
            };
            let payer = billing::add_payer(tx, org, "State Medicaid", "medicaid", "SKCO0", &rules)?;
            for (n, p) in people.iter().enumerate() {
                billing::add_coverage(
                    tx,
                    org,
                    None,
                    &Coverage {
                        id: 0,
                        participant_id: *p,
                        payer_id: payer.id,
                        plan_name: "Medicaid managed care".into(),
                        member_id: format!("MCD{n:06}"),
                        effective_from: from,
                        effective_to: None,
                    },
                )?;
            }
            Ok(payer.id)
        })
    })
    .await
    .expect("seed the payer")
    .expect("seed the payer");
    s.payers.push(payer);

    // Reentry and overdoses, so the funder outcomes have something to compare: a screening of
    // each person, warm handoffs held (one late), overdoses (one fatal).
    for (n, p) in s.participants.clone().iter().enumerate() {
        let base = format!("/api/v1/participants/{p}");
        let status = ["active", "suspended", "application_pending", "none"][n % 4];
        post(app, &peer.token, &format!("{base}/reentry/screenings"), json!({"medicaid_status": status, "medicaid_applied_on": d(-30), "conditions": ["substance_use_disorder"]})).await;
        if n % 2 == 0 {
            post(app, &peer.token, &format!("{base}/reentry/handoffs"), json!({"to_provider": "Clínica del Valle", "method": "in_person", "held_at": at(-(20 + n as i64 * 7), "11:00")})).await;
        }
        if n % 3 == 0 {
            post(app, &peer.token, &format!("{base}/overdoses"), json!({"occurred_on": d(-(10 + n as i64 * 5)), "fatal": n == 3, "source": "hospital"})).await;
        }
        // Appointments ahead, one of each kind in turn, the first of each person called off.
        let kinds = ["supervision", "moud_dose", "peer_visit"];
        for k in 0..2 {
            let made = post(app, &peer.token, &format!("{base}/appointments"), json!({"kind": kinds[(n + k) % 3], "scheduled_on": d(1 + (n + k) as i64), "starts_at": if k == 0 { "09:30" } else { "" }, "place": "Oficina de Libertad Condicional"})).await;
            if k == 0 {
                post(
                    app,
                    &peer.token,
                    &format!("{base}/appointments/{}/outcome", made["id"]),
                    json!({"outcome": "cancelled", "note": "moved"}),
                )
                .await;
            }
        }
    }
    s
}
