//! The caseload kept on write (decision 0038) against the reference computation: random
//! sequences of writes through the API (episodes, expected and actual releases, contacts, the
//! checklist, plan steps, follow-ups, reassignment, renaming, merges, discharges, the
//! programme's contact targets), then the caseload read from the kept lines compared, line by
//! line and in order, with the caseload computed from the records themselves, at several
//! moments before and after the writes. Runs on SQLite and on PostgreSQL.

use chrono::{Duration, NaiveDateTime};
use proptest::prelude::*;
use proptest::test_runner::{Config as RunnerConfig, TestCaseError, TestRunner};
use serde_json::{Value, json};
use throughcare::journey::caseload::{self, CaseloadRow, Filter, HomeFor, kept, reference};
use throughcare::journey::rules::Urgency;
use throughcare::platform::access::{self, Actor, Role};
use throughcare::platform::auth::token_actor;
use throughcare::platform::db::{read_tx, write_tx};
use throughcare::platform::time;

use crate::helpers::{TestApp, spawn_app};

const PEOPLE: usize = 3;

#[derive(Debug, Clone)]
enum Write {
    Episode {
        who: usize,
        setting: usize,
        release_in: Option<i64>,
    },
    ExpectedRelease {
        who: usize,
        in_days: i64,
    },
    Release {
        who: usize,
        days_ago: i64,
        hour: u32,
    },
    Contact {
        who: usize,
        hours_ago: i64,
        completed: bool,
    },
    ChecklistDone {
        who: usize,
        item: usize,
    },
    NotApplicable {
        who: usize,
        item: usize,
    },
    Goal {
        who: usize,
        due_in: i64,
    },
    FollowUp {
        who: usize,
        point: usize,
    },
    Reassign {
        who: usize,
        to: usize,
    },
    Rename {
        who: usize,
    },
    Merge {
        who: usize,
        into: usize,
    },
    Discharge {
        who: usize,
    },
    /// An appointment today, and what became of it.
    Appointment {
        who: usize,
        outcome: usize,
    },
    Targets {
        first_hours: u32,
        min: u32,
        days: u32,
        /// The "not heard from" thresholds (decision 0053; 0 is off).
        quiet_days: u32,
        attempts: u32,
    },
}

fn step() -> impl Strategy<Value = Write> {
    let who = 0..PEOPLE;
    prop_oneof![
        (who.clone(), 0..4usize, prop::option::of(-5i64..40)).prop_map(
            |(who, setting, release_in)| Write::Episode {
                who,
                setting,
                release_in
            }
        ),
        (who.clone(), -3i64..30).prop_map(|(who, in_days)| Write::ExpectedRelease { who, in_days }),
        (who.clone(), 0i64..20, 0u32..24).prop_map(|(who, days_ago, hour)| Write::Release {
            who,
            days_ago,
            hour
        }),
        (who.clone(), 0i64..400, any::<bool>()).prop_map(|(who, hours_ago, completed)| {
            Write::Contact {
                who,
                hours_ago,
                completed,
            }
        }),
        (who.clone(), 0..9usize).prop_map(|(who, item)| Write::ChecklistDone { who, item }),
        (who.clone(), 0..9usize).prop_map(|(who, item)| Write::NotApplicable { who, item }),
        (who.clone(), -10i64..10).prop_map(|(who, due_in)| Write::Goal { who, due_in }),
        (who.clone(), 0..3usize).prop_map(|(who, point)| Write::FollowUp { who, point }),
        (who.clone(), 0..3usize).prop_map(|(who, to)| Write::Reassign { who, to }),
        who.clone().prop_map(|who| Write::Rename { who }),
        (who.clone(), 0..PEOPLE).prop_map(|(who, into)| Write::Merge { who, into }),
        who.clone().prop_map(|who| Write::Discharge { who }),
        (who, 0..3usize).prop_map(|(who, outcome)| Write::Appointment { who, outcome }),
        (1u32..72, 0u32..5, 1u32..21, 0u32..12, 0u32..4).prop_map(
            |(first_hours, min, days, quiet_days, attempts)| Write::Targets {
                first_hours,
                min,
                days,
                quiet_days,
                attempts,
            }
        ),
    ]
}

fn d(days: i64) -> String {
    (time::today() + Duration::days(days))
        .format("%Y-%m-%d")
        .to_string()
}

async fn send(
    app: &TestApp,
    token: &str,
    method: reqwest::Method,
    path: &str,
    body: Value,
) -> (u16, Value) {
    let r = reqwest::Client::new()
        .request(method, format!("{}{path}", app.url))
        .bearer_auth(token)
        .json(&body)
        .send()
        .await
        .unwrap();
    let status = r.status().as_u16();
    let text = r.text().await.unwrap();
    (
        status,
        serde_json::from_str(&text).unwrap_or(Value::String(text)),
    )
}

const KINDS: [&str; 9] = [
    "identity_documents",
    "health_insurance",
    "moud_continuity",
    "naloxone",
    "first_night_housing",
    "transport_from_gate",
    "community_provider_appointment",
    "peer_meeting",
    "first_contact",
];

/// Make one write through the API. A write the API refuses (a release with no episode, a
/// merge of someone into themselves) is part of the sequence too: it must change nothing.
async fn apply(app: &TestApp, people: &[i64], step: &Write) -> u16 {
    let admin = &app.a.user(Role::Admin).token;
    let p = |who: &usize| format!("/api/v1/participants/{}", people[*who]);
    let post = reqwest::Method::POST;
    let (status, body) = match step {
        Write::Episode { who, setting, release_in } => {
            let setting = ["short_term", "medium_term", "long_term", "community"][*setting];
            let mut body = json!({"setting": setting, "started_on": d(-30), "services_consent_on": d(-30)});
            if let Some(days) = release_in {
                body["expected_release_on"] = json!(d(*days));
            }
            send(app, admin, post, &format!("{}/episodes", p(who)), body).await
        }
        Write::ExpectedRelease { who, in_days } => {
            send(app, admin, post, &format!("{}/custody-events", p(who)), json!({"kind": "expected_release", "occurred_on": d(*in_days), "certainty": "estimated"})).await
        }
        Write::Release { who, days_ago, hour } => {
            send(app, admin, post, &format!("{}/custody-events", p(who)), json!({"kind": "release", "occurred_on": d(-days_ago), "at_time": format!("{hour:02}:00")})).await
        }
        Write::Contact { who, hours_ago, completed } => {
            let at: NaiveDateTime = time::now() - Duration::hours(*hours_ago);
            send(app, admin, post, &format!("{}/encounters", p(who)), json!({"mode": "phone", "outcome": if *completed { "completed" } else { "attempted" }, "occurred_at": at.format("%Y-%m-%dT%H:%M").to_string(), "duration_minutes": 15, "note": "Checked in."})).await
        }
        Write::ChecklistDone { who, item } => {
            send(app, admin, post, &format!("{}/checklist", p(who)), json!({"kind": KINDS[*item], "done_on": d(0)})).await
        }
        Write::NotApplicable { who, item } => {
            send(
                app,
                admin,
                post,
                &format!("{}/checklist/not-applicable", p(who)),
                json!({"kind": KINDS[*item], "reason": "Has a state ID already"}),
            )
            .await
        }
        Write::Goal { who, due_in } => {
            send(app, admin, post, &format!("{}/goals", p(who)), json!({"domain": "housing", "statement": "A place of my own", "owner": "participant", "steps": [{"description": "Call the housing office", "owner": "participant", "due_on": d(*due_in)}]})).await
        }
        Write::FollowUp { who, point } => {
            let point = ["day30", "day90", "day180"][*point];
            send(app, admin, post, &format!("{}/followups", p(who)), json!({"point": point, "completed_on": d(0), "rearrested": false, "reincarcerated": false, "overdose": "none", "housing": "stable"})).await
        }
        Write::Reassign { who, to } => {
            let peer = match to {
                0 => json!(app.a.user(Role::Peer).id),
                1 => json!(app.a.user(Role::Supervisor).id),
                _ => Value::Null,
            };
            send(app, admin, post, &format!("{}/assign", p(who)), json!({"peer_id": peer})).await
        }
        Write::Rename { who } => {
            send(app, admin, post, &format!("{}/amendments", p(who)), json!({"record_type": "participant", "record_id": people[*who], "changes": {"preferred_name": format!("Pat{who}")}, "reason": "Goes by Pat"})).await
        }
        Write::Merge { who, into } => {
            send(app, admin, post, &format!("{}/merge", p(into)), json!({"duplicate_id": people[*who], "reason": "Same person"})).await
        }
        Write::Discharge { who } => {
            send(app, admin, post, &format!("{}/episodes/discharge", p(who)), json!({"ended_on": d(0), "reason": "completed"})).await
        }
        Write::Appointment { who, outcome } => {
            let base = format!("{}/appointments", p(who));
            let (s, a) = send(app, admin, post.clone(), &base, json!({"kind": "moud_dose", "scheduled_on": d(0)})).await;
            if s == 201 {
                let outcome = ["kept", "missed", "cancelled"][*outcome];
                send(app, admin, post, &format!("{base}/{}/outcome", a["id"]), json!({"outcome": outcome})).await
            } else {
                (s, a)
            }
        }
        Write::Targets { first_hours, min, days, quiet_days, attempts } => {
            let (_, mut settings) = send(app, admin, reqwest::Method::GET, "/api/v1/settings/journey", Value::Null).await;
            settings["first_contact_hours"] = json!(first_hours.min(&(days * 24)));
            settings["min_contacts"] = json!(min);
            settings["window_days"] = json!(days);
            settings["disengaged_after_days"] = json!(quiet_days);
            settings["disengaged_after_attempts"] = json!(attempts);
            settings["disengaged_after_missed"] = json!(attempts % 3);
            send(app, admin, reqwest::Method::PUT, "/api/v1/settings/journey", settings).await
        }
    };
    assert!(status < 500, "{step:?}: {status} {body}");
    if std::env::var("CASELOAD_STEPS").is_ok() && status >= 400 {
        eprintln!("refused {step:?}: {body}");
    }
    status
}

/// The kept caseload and the reference agree, line by line and in order, at `now`, for the
/// admin's whole caseload, the supervisor's, one setting, and the home page's lists.
fn agree(
    app: &TestApp,
    admin: &Actor,
    supervisor: &Actor,
    now: NaiveDateTime,
) -> Result<(), TestCaseError> {
    let mut conn = app.state.db.conn().unwrap();
    for (actor, filter) in [
        (
            admin,
            Filter {
                per_page: caseload::MAX_PER_PAGE,
                ..Filter::default()
            },
        ),
        (
            supervisor,
            Filter {
                per_page: caseload::MAX_PER_PAGE,
                ..Filter::default()
            },
        ),
        (
            admin,
            Filter {
                per_page: 2,
                page: 2,
                ..Filter::default()
            },
        ),
        (
            admin,
            Filter {
                setting: Some(throughcare::journey::rules::Setting::Community),
                per_page: caseload::MAX_PER_PAGE,
                ..Filter::default()
            },
        ),
    ] {
        let (kept_page, model) = read_tx(&mut conn, |tx| {
            let page = caseload::for_actor(tx, actor, &filter, now)?;
            let peers = caseload::default_peers(tx, actor)?;
            let all = Filter {
                page: 1,
                per_page: caseload::MAX_PER_PAGE,
                ..filter.clone()
            };
            // Reentry's flags are decided from the line's fields by the same code on both
            // sides; the model's lines get them as the caseload's do.
            let mut model = reference::compute(tx, actor.org_id, &peers, &all, now)?;
            let scope = access::list_scope(actor).expect("program staff");
            throughcare::reentry::caseload::annotate(tx, &scope, &mut model, now)?;
            Ok((page, model))
        })
        .unwrap();
        let skip = (filter.page as usize - 1) * filter.per_page as usize;
        let expected: Vec<Value> = model
            .iter()
            .skip(skip)
            .take(filter.per_page as usize)
            .map(|r| serde_json::to_value(r).unwrap())
            .collect();
        let got: Vec<Value> = kept_page
            .rows
            .iter()
            .map(|r| serde_json::to_value(r).unwrap())
            .collect();
        prop_assert_eq!(got, expected, "{:?} at {}", actor.role, now);
        prop_assert_eq!(kept_page.total, model.len());
        for band in &kept_page.by_urgency {
            let n = model.iter().filter(|r| r.urgency == band.urgency).count();
            prop_assert_eq!(band.count, n, "{} at {}", band.urgency, now);
        }
    }
    // The home page's lists, each chosen from one read of the lines, against the same lists
    // chosen from the reference's rows: for the peer's home and the team's, as the admin and
    // as the supervisor.
    for actor in [admin, supervisor] {
        for whose in [HomeFor::Peer, HomeFor::Team] {
            let (lists, model) = read_tx(&mut conn, |tx| {
                let lists = caseload::home_lists(tx, actor, whose, now)?;
                let peers = caseload::default_peers(tx, actor)?;
                let all = Filter {
                    per_page: caseload::MAX_PER_PAGE,
                    ..Filter::default()
                };
                let mut model = reference::compute(tx, actor.org_id, &peers, &all, now)?;
                let scope = access::list_scope(actor).expect("program staff");
                throughcare::reentry::caseload::annotate(tx, &scope, &mut model, now)?;
                Ok((lists, model))
            })
            .unwrap();
            let unflagged = |r: &CaseloadRow| CaseloadRow {
                reentry: None,
                ..r.clone()
            };
            let team = whose == HomeFor::Team;
            let expected = HomeModel {
                first: if team {
                    vec![]
                } else {
                    model
                        .iter()
                        .take(caseload::home::FIRST_LINES as usize)
                        .filter(|r| r.urgency != Urgency::Routine.as_str())
                        .cloned()
                        .collect()
                },
                escalations: model
                    .iter()
                    .filter(|r| team && (r.first_contact_missed() || r.contacts_missed()))
                    .take(caseload::home::ESCALATIONS_SHOWN)
                    .map(unflagged)
                    .collect(),
                not_heard_from: model
                    .iter()
                    .filter(|r| r.disengagement.is_some())
                    .take(caseload::home::NOT_HEARD_FROM_SHOWN)
                    .map(unflagged)
                    .collect(),
                reentry: model
                    .iter()
                    .filter(|r| {
                        r.reentry
                            .as_ref()
                            .is_some_and(|f| if team { f.late } else { f.needs_action })
                    })
                    .cloned()
                    .collect(),
            };
            let got = HomeModel {
                first: lists.first.rows.clone(),
                escalations: lists.escalations.clone(),
                not_heard_from: lists.not_heard_from.clone(),
                reentry: lists.reentry.clone(),
            };
            prop_assert_eq!(
                serde_json::to_value(&got).unwrap(),
                serde_json::to_value(&expected).unwrap(),
                "home lists of the {:?} ({:?}) at {}",
                actor.role,
                whose,
                now
            );
            let missed = model
                .iter()
                .filter(|r| team && (r.first_contact_missed() || r.contacts_missed()))
                .count();
            let quiet = model.iter().filter(|r| r.disengagement.is_some()).count();
            prop_assert_eq!(lists.escalations_total, missed, "escalations at {}", now);
            prop_assert_eq!(
                lists.not_heard_from_total,
                quiet,
                "not heard from at {}",
                now
            );
            if !team {
                prop_assert_eq!(lists.first.total, model.len());
                for band in &lists.first.by_urgency {
                    let n = model.iter().filter(|r| r.urgency == band.urgency).count();
                    prop_assert_eq!(band.count, n, "home: {} at {}", band.urgency, now);
                }
            }
        }
    }
    Ok(())
}

/// A home page's lists, compared whole.
#[derive(serde::Serialize)]
struct HomeModel {
    first: Vec<CaseloadRow>,
    escalations: Vec<CaseloadRow>,
    not_heard_from: Vec<CaseloadRow>,
    reentry: Vec<CaseloadRow>,
}

/// The lines as stored equal the lines computed afresh from the records.
fn lines_are_current(app: &TestApp) -> Result<(), TestCaseError> {
    use diesel::prelude::*;
    use throughcare::journey::schema::caseload_lines as cl;
    let mut conn = app.state.db.conn().unwrap();
    let snapshot = |conn: &mut throughcare::platform::db::DbConn| -> Vec<String> {
        throughcare::on_backend!(conn, c => cl::table
            .order(cl::participant_id)
            .select((cl::participant_id, cl::peer_id, cl::name, cl::setting, cl::expected_release_on, cl::released_at, cl::window_ends_at, cl::first_contact_due, cl::contacts_due, cl::contacts_done, cl::at_risk_from, ((cl::tasks_due_from, cl::followups_due_from, cl::unplanned_release), (cl::quiet_since, cl::failed_attempts, cl::unanswered_messages, cl::missed_appointments))))
            .load::<(i64, Option<i64>, String, Option<String>, Option<chrono::NaiveDate>, Option<NaiveDateTime>, Option<NaiveDateTime>, Option<NaiveDateTime>, Option<NaiveDateTime>, i64, Option<NaiveDateTime>, ((Option<chrono::NaiveDate>, Option<chrono::NaiveDate>, bool), (Option<NaiveDateTime>, i64, i64, i64)))>(c))
        .unwrap()
        .into_iter()
        .map(|l| format!("{l:?}"))
        .collect()
    };
    let before = snapshot(&mut conn);
    write_tx(&mut conn, |tx| {
        throughcare::on_backend!(tx.conn(), c => diesel::delete(cl::table).execute(c))?;
        Ok(())
    })
    .unwrap();
    prop_assert!(snapshot(&mut conn).is_empty());
    kept::catch_up(&mut conn).unwrap();
    prop_assert_eq!(
        snapshot(&mut conn),
        before,
        "the lines kept on write are the lines computed afresh"
    );
    Ok(())
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn caseload_kept_on_write_matches_the_reference() {
    let app = spawn_app().await;
    let actor_of = |role: Role| {
        let mut conn = app.state.db.conn().unwrap();
        token_actor(&mut conn, &app.a.user(role).token, "127.0.0.1")
            .unwrap()
            .unwrap()
    };
    let admin = actor_of(Role::Admin);
    let supervisor = actor_of(Role::Supervisor);
    let handle = tokio::runtime::Handle::current();
    let mut runner = TestRunner::new(RunnerConfig {
        cases: 16,
        max_shrink_iters: 40,
        failure_persistence: None,
        ..RunnerConfig::default()
    });
    // Most people start in custody (an open episode, with or without an expected release), so
    // that the steps about releases, checklists and follow-ups have something to act on.
    let starts = prop::collection::vec(
        prop::option::weighted(0.8, (0..4usize, prop::option::of(-5i64..40))),
        PEOPLE,
    );
    let result = runner.run(&(starts, prop::collection::vec(step(), 1..30)), |(starts, steps)| {
        let steps: Vec<Write> = starts
            .iter()
            .enumerate()
            .filter_map(|(who, s)| s.map(|(setting, release_in)| Write::Episode { who, setting, release_in }))
            .chain(steps)
            .collect();
        tokio::task::block_in_place(|| {
            handle.block_on(async {
                // Fresh people for each case, on the peer's caseload.
                let peer = app.a.user(Role::Peer);
                let mut people = vec![];
                for i in 0..PEOPLE {
                    let (first, last) = [("Ana", "Peña"), ("Bo", "Lind"), ("José", "Ñúñez")][i];
                    let (s, p) = send(&app, &peer.token, reqwest::Method::POST, "/api/v1/participants", json!({"first_name": first, "last_name": last, "date_of_birth": format!("198{i}-0{}-1{i}", i + 1), "assigned_peer_id": peer.id, "confirm_not_duplicate": true})).await;
                    prop_assert_eq!(s, 201, "{}", p);
                    people.push(p["id"].as_i64().unwrap());
                }
                for s in &steps {
                    let status = apply(&app, &people, s).await;
                    if std::env::var("CASELOAD_STEPS").is_ok() {
                        eprintln!("{status} {s:?}");
                    }
                }
                Ok::<_, TestCaseError>(())
            })
        })?;
        let now = time::now();
        for shift in [0i64, -50, 6, 23, 25, 49, 24 * 5, 24 * 13, 24 * 15, 24 * 40] {
            agree(&app, &admin, &supervisor, now + Duration::hours(shift))?;
        }
        lines_are_current(&app)
    });
    if let Err(e) = result {
        panic!("{e}");
    }
}

/// The test above must see every band: a sequence that puts people in the window (at risk and
/// not), due for release and overdue, read at one moment, gives each band at least one line.
#[tokio::test]
async fn the_kept_caseload_ranks_every_band_as_the_reference_does() {
    let app = spawn_app().await;
    let peer = app.a.user(Role::Peer);
    let mut people = vec![];
    for (first, last) in [
        ("Ana", "Peña"),
        ("Bo", "Lind"),
        ("José", "Ñúñez"),
        ("Dee", "Ortiz"),
        ("Eli", "Park"),
        ("Fay", "Quinn"),
    ] {
        let (s, p) = send(&app, &peer.token, reqwest::Method::POST, "/api/v1/participants", json!({"first_name": first, "last_name": last, "date_of_birth": "1980-02-03", "assigned_peer_id": peer.id, "confirm_not_duplicate": true})).await;
        assert_eq!(s, 201, "{p}");
        people.push(p["id"].as_i64().unwrap());
    }
    // 0: released yesterday, no contact (window at risk); 1: released 3 days ago with three
    // contacts, the first in time (in the window, calm); 2: release in 3 days; 3: a plan step
    // overdue; 4: nothing pressing; 5: in the community for 30 days with no contact (not heard
    // from).
    for step in [
        Write::Episode {
            who: 0,
            setting: 0,
            release_in: Some(5),
        },
        Write::Release {
            who: 0,
            days_ago: 1,
            hour: 9,
        },
        Write::Episode {
            who: 1,
            setting: 0,
            release_in: Some(5),
        },
        Write::Release {
            who: 1,
            days_ago: 3,
            hour: 0,
        },
        Write::Episode {
            who: 2,
            setting: 0,
            release_in: Some(3),
        },
        Write::Goal { who: 3, due_in: -4 },
        Write::Episode {
            who: 5,
            setting: 3,
            release_in: None,
        },
    ] {
        assert!(apply(&app, &people, &step).await < 300, "{step:?}");
    }
    let released = time::today() - Duration::days(3);
    for hours in [2, 30, 50] {
        let at = released.and_hms_opt(0, 0, 0).unwrap() + Duration::hours(hours);
        let (s, e) = send(&app, &peer.token, reqwest::Method::POST, &format!("/api/v1/participants/{}/encounters", people[1]), json!({"mode": "phone", "outcome": "completed", "occurred_at": at.format("%Y-%m-%dT%H:%M").to_string(), "duration_minutes": 15, "note": "Checked in."})).await;
        assert_eq!(s, 201, "{e}");
    }
    let mut conn = app.state.db.conn().unwrap();
    let actor = token_actor(&mut conn, &peer.token, "127.0.0.1")
        .unwrap()
        .unwrap();
    let now = time::now();
    let page = read_tx(&mut conn, |tx| {
        caseload::for_actor(tx, &actor, &Filter::default(), now)
    })
    .unwrap();
    let band_of = |pid: i64| {
        page.rows
            .iter()
            .find(|r| r.participant_id == pid)
            .map(|r| r.urgency.clone())
    };
    assert_eq!(
        band_of(people[0]).as_deref(),
        Some(Urgency::WindowAtRisk.as_str())
    );
    assert_eq!(
        band_of(people[1]).as_deref(),
        Some(Urgency::InWindow.as_str())
    );
    assert_eq!(
        band_of(people[2]).as_deref(),
        Some(Urgency::ReleaseSoon.as_str())
    );
    assert_eq!(
        band_of(people[3]).as_deref(),
        Some(Urgency::Overdue.as_str())
    );
    assert_eq!(
        band_of(people[4]).as_deref(),
        Some(Urgency::Routine.as_str())
    );
    assert_eq!(
        band_of(people[5]).as_deref(),
        Some(Urgency::Disengaged.as_str())
    );
    for band in &page.by_urgency {
        assert!(band.count >= 1, "{}: {:?}", band.urgency, page.by_urgency);
    }
    // Most urgent first, and the same order as the reference.
    let order: Vec<i64> = page.rows.iter().map(|r| r.participant_id).collect();
    let model = read_tx(&mut conn, |tx| {
        reference::compute(tx, actor.org_id, &[actor.user_id], &Filter::default(), now)
    })
    .unwrap();
    assert_eq!(
        order,
        model.iter().map(|r| r.participant_id).collect::<Vec<_>>()
    );
    let pos = |pid: i64| order.iter().position(|p| *p == pid).unwrap();
    assert!(pos(people[0]) < pos(people[1]) && pos(people[1]) < pos(people[5]));
    assert!(pos(people[5]) < pos(people[2]));
    assert!(pos(people[2]) < pos(people[3]) && pos(people[3]) < pos(people[4]));
    // The home page's lists, compared with the reference's in the property test above, are
    // not empty here: the first lines are those that need attention, in the caseload's order;
    // the person silent for 30 days is not heard from; the person booked today (in custody,
    // not yet screened) is on reentry's list.
    let home = read_tx(&mut conn, |tx| {
        caseload::home_lists(tx, &actor, HomeFor::Peer, now)
    })
    .unwrap();
    let first: Vec<i64> = home.first.rows.iter().map(|r| r.participant_id).collect();
    let attention: Vec<i64> = page
        .rows
        .iter()
        .take(caseload::home::FIRST_LINES as usize)
        .filter(|r| r.urgency != Urgency::Routine.as_str())
        .map(|r| r.participant_id)
        .collect();
    assert!(attention.len() >= 5, "{attention:?}");
    assert_eq!(first, attention);
    assert_eq!(home.first.total, page.total);
    let ids = |rows: &[CaseloadRow]| rows.iter().map(|r| r.participant_id).collect::<Vec<_>>();
    assert_eq!(ids(&home.not_heard_from), vec![people[5]]);
    assert_eq!(home.not_heard_from_total, 1);
    assert!(
        ids(&home.reentry).contains(&people[2]),
        "{:?}",
        home.reentry
    );
    assert!(
        home.escalations.is_empty(),
        "a peer's home has no escalations"
    );
}

/// Writers racing on the same people (on PostgreSQL they really run at once) leave each person
/// one line, equal to the line computed afresh.
#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn concurrent_writes_to_the_same_people_keep_their_lines_current() {
    let app = spawn_app().await;
    let peer = app.a.user(Role::Peer);
    let mut people = vec![];
    for (first, last) in [("Ana", "Peña"), ("Bo", "Lind")] {
        let (s, p) = send(&app, &peer.token, reqwest::Method::POST, "/api/v1/participants", json!({"first_name": first, "last_name": last, "date_of_birth": "1980-02-03", "assigned_peer_id": peer.id, "confirm_not_duplicate": true})).await;
        assert_eq!(s, 201, "{p}");
        people.push(p["id"].as_i64().unwrap());
    }
    for who in 0..2 {
        apply(
            &app,
            &people,
            &Write::Episode {
                who,
                setting: 0,
                release_in: Some(5),
            },
        )
        .await;
        apply(
            &app,
            &people,
            &Write::Release {
                who,
                days_ago: 2,
                hour: 8,
            },
        )
        .await;
    }
    let writes = (0..16).map(|i| {
        let app = &app;
        let people = &people;
        async move {
            let step = match i % 4 {
                0 | 1 => Write::Contact {
                    who: i % 2,
                    hours_ago: 1 + i as i64,
                    completed: true,
                },
                2 => Write::Goal {
                    who: i % 2,
                    due_in: -1,
                },
                _ => Write::Rename { who: i % 2 },
            };
            apply(app, people, &step).await
        }
    });
    let statuses = futures_util::future::join_all(writes).await;
    // Every contact and plan step is recorded (the same new name given twice is refused as no
    // change, which is not a failure of the race).
    for (i, s) in statuses.iter().enumerate() {
        assert!(i % 4 == 3 || *s < 300, "write {i}: {statuses:?}");
    }
    lines_are_current(&app).unwrap();
    let mut conn = app.state.db.conn().unwrap();
    let admin = token_actor(&mut conn, &app.a.user(Role::Admin).token, "127.0.0.1")
        .unwrap()
        .unwrap();
    let supervisor = token_actor(&mut conn, &app.a.user(Role::Supervisor).token, "127.0.0.1")
        .unwrap()
        .unwrap();
    drop(conn);
    agree(&app, &admin, &supervisor, time::now()).unwrap();
}
