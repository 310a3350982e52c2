//! The caseload screen: the caller's participants, most urgent first, with its filter.

use askama::Template;
use askama_web::WebTemplate;
use axum::response::{IntoResponse, Response};

use super::labels::{self, Codes, codes};
use super::orgs::{self, Facility};
use super::participants;
use crate::journey::caseload;
use crate::journey::rules::Setting;
use crate::platform::access;
use crate::platform::time;
use crate::platform::web::error::PageError;
use crate::platform::web::extract::{Page, QueryFields};
use crate::platform::web::layout::Chrome;

#[derive(Template, WebTemplate)]
#[template(path = "journey/caseload.html")]
pub(super) struct CaseloadPage {
    chrome: Chrome,
    caseload: caseload::CaseloadPage,
    /// The filter as a query string (without the page), for the pager's links.
    query: String,
    peers: Vec<(i64, String)>,
    facilities: Vec<Facility>,
    settings: Codes,
    peer: String,
    setting: String,
    facility: String,
    error: Option<String>,
    show_peer: bool,
    /// Peers in the organisation (the filter may offer fewer: `caseload::peer_choices`).
    peers_total: usize,
}

impl CaseloadPage {
    /// How many people the whole caseload has.
    fn people(&self) -> String {
        let n = i64::try_from(self.caseload.total).unwrap_or(i64::MAX);
        self.chrome.tr.tn("caseload-people", "count", n)
    }
    /// Where the first contact of the window stands (met, pending, missed), in the page's
    /// language.
    fn first_contact(&self, r: &caseload::CaseloadRow) -> String {
        r.first_contact
            .as_deref()
            .map(|f| self.chrome.tr.code(labels::TARGET, f))
            .unwrap_or_default()
    }
}

pub(super) async fn caseload_page(
    page: Page,
    QueryFields(q): QueryFields,
) -> Result<Response, PageError> {
    let (state, actor, csrf) = page.into_parts();
    let (filter, error) = match caseload::Filter::parse(&q) {
        Ok(f) => (f, None),
        Err(e) => (caseload::Filter::default(), Some(e.to_string())),
    };
    let a = actor.clone();
    let org = actor.org_id;
    let query = match (filter.query(), filter.per_page != caseload::PER_PAGE) {
        (q, false) => q,
        (q, true) if q.is_empty() => format!("per_page={}", filter.per_page),
        (q, true) => format!("{q}&per_page={}", filter.per_page),
    };
    let chosen = filter.peer;
    let (caseload, (peers, peers_total), facilities) = state
        .db
        .read(move |tx| {
            let all = participants::assignable_peers(tx.conn(), org)?;
            Ok((
                caseload::for_actor(tx, &a, &filter, time::now())?,
                caseload::peer_choices(tx, &a, all, chosen)?,
                orgs::facilities(tx.conn())?,
            ))
        })
        .await?;
    let mut chrome = Chrome::new(&actor, "", "/caseload", &csrf, state.config.demo);
    let tr = chrome.tr;
    chrome.title = tr.t("caseload-title");
    Ok(CaseloadPage {
        chrome,
        caseload,
        query,
        peers,
        peers_total,
        facilities,
        settings: codes::<Setting>(tr, labels::SETTING),
        peer: q.get("peer").into(),
        setting: q.get("setting").into(),
        facility: q.get("facility").into(),
        error,
        show_peer: access::chooses_caseload_peer(&actor) || !q.get("peer").is_empty(),
    }
    .into_response())
}
