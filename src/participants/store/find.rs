//! Finding participants with the search box: names folded into indexed columns (decision 0036)
//! and identifiers, within what a `SearchScope` lets the searcher find.

use super::*;

/// A participant in a list, and, when a search found them, what it matched.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct Listed {
    #[serde(flatten)]
    pub participant: Participant,
    /// What the search (`q`) matched; absent from a plain list.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub matched: Option<Matched>,
}

/// What a search matched on a person.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct Matched {
    pub on: MatchedOn,
    /// The identifier that matched, as it was typed when stored.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub identifier: Option<String>,
}

/// `col` starts with `prefix` (byte order): a range on the folded, indexed column.
macro_rules! starts_with {
    ($col:expr, $prefix:expr) => {
        $col.ge($prefix.to_string())
            .and($col.lt(search::upper(&$prefix)))
    };
}

type Backend = <DbConn as diesel::Connection>::Backend;

/// Only the participants whose folded first or last name starts with the words, or whose
/// first and last names start with the words split between them, in either order.
fn named<'a>(
    query: participants::BoxedQuery<'a, Backend>,
    words: &[String],
) -> participants::BoxedQuery<'a, Backend> {
    use participants::{search_first_name as first, search_last_name as last};
    let whole = words.join(" ");
    let either = starts_with!(last, whole).or(starts_with!(first, whole));
    match search::name_splits(words).as_slice() {
        [] => query.filter(either),
        [(a, b)] => query.filter(
            either
                .or(starts_with!(first, a).and(starts_with!(last, b)))
                .or(starts_with!(last, a).and(starts_with!(first, b))),
        ),
        [(a, b), (c, d), ..] => query.filter(
            either
                .or(starts_with!(first, a).and(starts_with!(last, b)))
                .or(starts_with!(last, a).and(starts_with!(first, b)))
                .or(starts_with!(first, c).and(starts_with!(last, d)))
                .or(starts_with!(last, c).and(starts_with!(first, d))),
        ),
    }
}

/// The people in `scope` who match `sought`, by last name, at most `limit`; merged duplicates
/// never. Names are compared folded (`search_first_name`, `search_last_name`), identifiers
/// normalised, each on an index per organisation.
pub fn search(
    conn: &mut DbConn,
    scope: &SearchScope,
    sought: &Sought,
    limit: i64,
) -> AppResult<Vec<Listed>> {
    let limit = limit.clamp(1, 500);
    let mut query = participants::table
        .filter(participants::merged_into_id.is_null())
        .into_boxed();
    query = match scope.searched() {
        Searched::Organisation(org) => query.filter(participants::org_id.eq(org)),
        Searched::Organisations(orgs) => query.filter(participants::org_id.eq_any(orgs.to_vec())),
        Searched::Named(ids) => query.filter(participants::id.eq_any(ids.to_vec())),
    };
    let mut by_identifier: Vec<(i64, String, String, String)> = vec![];
    match sought {
        Sought::Name(words) => query = named(query, words),
        Sought::DateOfBirth(d) => query = query.filter(participants::date_of_birth.eq(*d)),
        Sought::NameAndDateOfBirth(words, d) => {
            query = named(query.filter(participants::date_of_birth.eq(*d)), words);
        }
        Sought::Identifier(value) => {
            let mut ids = participant_identifiers::table
                .filter(participant_identifiers::value.eq(value))
                .into_boxed();
            ids = match scope.searched() {
                Searched::Organisation(org) => ids.filter(participant_identifiers::org_id.eq(org)),
                Searched::Organisations(orgs) => {
                    ids.filter(participant_identifiers::org_id.eq_any(orgs.to_vec()))
                }
                Searched::Named(named) => {
                    ids.filter(participant_identifiers::participant_id.eq_any(named.to_vec()))
                }
            };
            by_identifier = ids
                .select((
                    participant_identifiers::participant_id,
                    participant_identifiers::kind,
                    participant_identifiers::typed_value,
                    participant_identifiers::value,
                ))
                .limit(limit)
                .load(conn)?;
            let people: Vec<i64> = by_identifier.iter().map(|r| r.0).collect();
            query = query.filter(participants::id.eq_any(people));
        }
    }
    let people: Vec<Participant> = query
        .order((
            participants::last_name,
            participants::first_name,
            participants::id,
        ))
        .limit(limit)
        .select(Participant::as_select())
        .load(conn)?;
    Ok(people
        .into_iter()
        .map(|participant| {
            let on = |on| Matched {
                on,
                identifier: None,
            };
            let matched = match sought {
                Sought::Name(_) | Sought::NameAndDateOfBirth(..) => on(MatchedOn::Name),
                Sought::DateOfBirth(_) => on(MatchedOn::DateOfBirth),
                Sought::Identifier(_) => {
                    let hit = by_identifier.iter().find(|r| r.0 == participant.id);
                    Matched {
                        on: hit.map_or(MatchedOn::SupervisionCase, |r| {
                            MatchedOn::of_identifier(&r.1)
                        }),
                        identifier: hit.map(|r| {
                            if r.2.is_empty() {
                                r.3.clone()
                            } else {
                                r.2.clone()
                            }
                        }),
                    }
                }
            };
            Listed {
                participant,
                matched: Some(matched),
            }
        })
        .collect())
}
