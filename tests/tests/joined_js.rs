//! instant.dev's `test/tests/joined.js`, on the family fixture.
//!
//! joined.js builds three tables in memory (`users`, `memberships` joining users to users as
//! `user`/`memberships` and `organization`/`members`, and `organization_locations`) that no
//! fixture holds, so the cases run on the family fixture's tables of the same shape:
//!
//! | joined.js | here |
//! |---|---|
//! | `users` (8 rows) | `parents` (10 rows, Albert … Zoolander, ids 1–10) |
//! | `memberships` | `friendships` (parent `i` → every parent with a lower id, 45 rows) |
//! | membership `user` / user `memberships` | friendship `from_parent` / parent `outgoing_friendships` |
//! | membership `organization` / user `members` | friendship `to_parent` / parent `incoming_friendships` |
//! | `memberships__organization__organizationLocations__engineeringStaffMembers` | `outgoing_friendships__to_parent__incoming_friendships__from_parent__children` |
//!
//! instant.dev's joins are nested `SELECT … AS "$path$column"`s, and the four-level case makes sure
//! deep paths still fit PostgreSQL's 63-character identifiers. Here each level is its own query,
//! so nothing is aliased by path; the case keeps a path whose name (69 characters) is longer
//! than an identifier to show that depth and length do not matter.

use instant_runtime::query::prelude::*;
use instant_runtime::{Model, Record, Records};
use instant_tests::family::{Child, Friendship, Parent, friendships, parents};
use instant_tests::setup::family;

/// The parent a belongs-to join attached, by name; `None` when the join attached none.
fn name_of(joined: Option<&Option<Record<Parent>>>) -> Option<&str> {
    joined?.as_ref().map(|parent| parent.name.as_str())
}

/// The names of the parents a friendship list's `from_parent` joins attached.
fn from_names(friendships: &Records<Friendship>) -> Vec<Option<&str>> {
    friendships
        .iter()
        .map(|friendship| name_of(friendship.joined(friendships::relations::from_parent)))
        .collect()
}

/// instant.dev: Should query all users (8)
#[test]
fn should_query_all_users() {
    let (_temp, db) = family();
    let all: Records<Parent> = Parent::query().select(&db).unwrap();
    assert_eq!(all.len(), 10);
}

/// instant.dev: Should find Georgia as a member of Google
///
/// `Membership.query().join('user').join('organization').where({user__username: 'georgia',
/// organization__username: 'google'})`: Samuel's friendship with Sally.
#[test]
fn should_find_georgia_as_a_member_of_google() {
    let (_temp, db) = family();
    let found = Friendship::query()
        .join(friendships::relations::from_parent)
        .join(friendships::relations::to_parent)
        .filter(
            friendships::relations::from_parent
                .any(parents::name.eq("Samuel"))
                .and(friendships::relations::to_parent.any(parents::name.eq("Sally"))),
        )
        .select(&db)
        .unwrap();
    assert_eq!(found.len(), 1);
    let friendship = &found[0];
    assert_eq!(
        name_of(friendship.joined(friendships::relations::from_parent)),
        Some("Samuel")
    );
    assert_eq!(
        name_of(friendship.joined(friendships::relations::to_parent)),
        Some("Sally")
    );
}

/// instant.dev: Should truncate joined model names when querying
///
/// Derek (id 2) has one friendship, with Albert (id 1); Albert has nine incoming friendships,
/// the first (id 1) from Derek, whose ten children end the path.
#[test]
fn should_truncate_joined_model_names_when_querying() {
    let (_temp, db) = family();
    let found = Parent::query()
        .join_with(parents::relations::outgoing_friendships, |outgoing| {
            outgoing.join_with(friendships::relations::to_parent, |to| {
                to.join_with(parents::relations::incoming_friendships, |incoming| {
                    incoming
                        .order_by(friendships::id.asc())
                        .join_with(friendships::relations::from_parent, |from| {
                            from.join(parents::relations::children)
                        })
                })
            })
        })
        .filter(parents::name.eq("Derek"))
        .filter(
            parents::relations::outgoing_friendships
                .any(friendships::relations::to_parent.any(parents::name.eq("Albert"))),
        )
        .select(&db)
        .unwrap();

    assert_eq!(found.len(), 1);
    let outgoing = found[0]
        .joined(parents::relations::outgoing_friendships)
        .unwrap();
    assert_eq!(outgoing.len(), 1);
    let albert = outgoing[0]
        .joined(friendships::relations::to_parent)
        .unwrap()
        .as_ref()
        .unwrap();
    assert_eq!(albert.name, "Albert");
    let incoming = albert
        .joined(parents::relations::incoming_friendships)
        .unwrap();
    assert_eq!(incoming.len(), 9);
    let first = &incoming[0];
    assert_eq!(
        (first.id, first.from_parent_id, first.to_parent_id),
        (1, Some(2), Some(1))
    );
    let derek = first
        .joined(friendships::relations::from_parent)
        .unwrap()
        .as_ref()
        .unwrap();
    assert_eq!(derek.name, "Derek");
    let kids: &Records<Child> = derek.joined(parents::relations::children).unwrap();
    assert_eq!(kids.len(), 10);
    assert!(kids.iter().all(|kid| kid.parent_id == Some(2)));
    let mut names: Vec<&str> = kids
        .iter()
        .map(|kid| kid.name.as_deref().unwrap())
        .collect();
    names.sort_unstable();
    assert_eq!(names.first(), Some(&"ChildA"));
    assert_eq!(names.last(), Some(&"ChildJ"));
}

/// instant.dev: Should filter comparisons in nested join statements properly
///
/// `User.query().join('members').join('members__user', {username: 'georgia'}, {username:
/// 'gregory'}).where({username: 'google'})`: Samantha (id 7) has three incoming friendships,
/// from Samuel, Suzy and Zoolander; the filter on the nested join attaches only the first two
/// parents and keeps all three friendships.
#[test]
fn should_filter_comparisons_in_nested_join_statements_properly() {
    let (_temp, db) = family();
    let found = Parent::query()
        .join_with(parents::relations::incoming_friendships, |members| {
            members.join_with(friendships::relations::from_parent, |user| {
                user.filter(or!(parents::name.eq("Samuel"), parents::name.eq("Suzy")))
            })
        })
        .filter(parents::name.eq("Samantha"))
        .select(&db)
        .unwrap();

    assert_eq!(found.len(), 1);
    let members = found[0]
        .joined(parents::relations::incoming_friendships)
        .unwrap();
    assert_eq!(members.len(), 3);
    let names = from_names(members);
    assert!(names.contains(&Some("Samuel")));
    assert!(names.contains(&Some("Suzy")));
    assert!(!names.contains(&Some("Zoolander")));
    assert_eq!(
        names.iter().filter(|name| name.is_none()).count(),
        1,
        "Zoolander's friendship stays, without its parent: {names:?}"
    );
    assert!(
        members
            .iter()
            .all(|member| member.joined(friendships::relations::from_parent).is_some()),
        "joined on every friendship, even where the filter left no parent (`Some(None)`)"
    );
}

/// instant.dev: Should filter on comparisons containing joined fields within join statements properly
///
/// `User.query().join('members', {user__username: 'georgia'}, {user__username: 'gilliam'})
/// .join('members__user').where({username: 'google'})`: of Samantha's three incoming
/// friendships, the ones from Samuel and Zoolander.
#[test]
fn should_filter_on_comparisons_containing_joined_fields_within_join_statements_properly() {
    let (_temp, db) = family();
    let found = Parent::query()
        .join_with(parents::relations::incoming_friendships, |members| {
            members
                .filter(or!(
                    friendships::relations::from_parent.any(parents::name.eq("Samuel")),
                    friendships::relations::from_parent.any(parents::name.eq("Zoolander"))
                ))
                .join(friendships::relations::from_parent)
        })
        .filter(parents::name.eq("Samantha"))
        .select(&db)
        .unwrap();

    assert_eq!(found.len(), 1);
    let members = found[0]
        .joined(parents::relations::incoming_friendships)
        .unwrap();
    assert_eq!(members.len(), 2);
    let names = from_names(members);
    assert!(names.contains(&Some("Samuel")));
    assert!(names.contains(&Some("Zoolander")));
}
