//! Name lists for synthetic people and places. Combined at random, they name no real person.

use rand::Rng;

use crate::platform::access::{OrgKind, Role};

pub const PROVIDERS: &[(&str, &str)] = &[
    ("harbor", "Harbor Peer Recovery Services"),
    ("northfield", "Northfield Recovery Alliance"),
    ("bridgeway", "Bridgeway Reentry Peers"),
    ("new-dawn", "New Dawn Recovery Community"),
    ("open-gate", "Open Gate Peer Network"),
    ("crossroads", "Crossroads Recovery Collective"),
];

pub const PARTNERS: &[(&str, &str, OrgKind)] = &[
    (
        "lakeview-jail-health",
        "Lakeview County Jail Behavioral Health Unit",
        OrgKind::JailHealth,
    ),
    (
        "lakeview-probation",
        "Lakeview County Probation Department",
        OrgKind::Probation,
    ),
    (
        "riverside-treatment",
        "Riverside Treatment Center",
        OrgKind::TreatmentProvider,
    ),
    (
        "state-parole-region-2",
        "State Parole, Region 2",
        OrgKind::Parole,
    ),
    (
        "lakeview-treatment-court",
        "Lakeview County Treatment Court",
        OrgKind::Court,
    ),
    (
        "mercy-health-clinic",
        "Mercy Community Health Clinic",
        OrgKind::MedicalProvider,
    ),
];

pub const COUNTIES: &[&str] = &[
    "Lakeview",
    "Hillcrest",
    "Maple",
    "Cedar",
    "Granite",
    "Willow",
    "Harrison",
    "Franklin",
    "Jefferson",
    "Monroe",
    "Madison",
    "Clinton",
    "Warren",
    "Greene",
    "Marion",
    "Union",
    "Fayette",
    "Putnam",
    "Clay",
    "Wayne",
];

const FIRST: &[&str] = &[
    "James",
    "Maria",
    "Robert",
    "Linda",
    "Michael",
    "Patricia",
    "David",
    "Jennifer",
    "William",
    "Elizabeth",
    "Richard",
    "Susan",
    "Joseph",
    "Jessica",
    "Thomas",
    "Sarah",
    "Carlos",
    "Karen",
    "Anthony",
    "Lisa",
    "Daniel",
    "Nancy",
    "Marcus",
    "Ashley",
    "José",
    "Brittany",
    "Kevin",
    "Amanda",
    "Brian",
    "Melissa",
    "DeShawn",
    "Stephanie",
    "Luis",
    "Rebecca",
    "Tyrone",
    "Laura",
    "Andre",
    "Crystal",
    "Juan",
    "Tiffany",
    "Cody",
    "Heather",
    "Travis",
    "Amber",
    "Dustin",
    "Danielle",
    "Miguel",
    "Latoya",
    "Shawn",
    "Renée",
];

const LAST: &[&str] = &[
    "Smith",
    "Johnson",
    "Williams",
    "Brown",
    "Jones",
    "Garcia",
    "Miller",
    "Davis",
    "Rodriguez",
    "Martinez",
    "Hernandez",
    "Lopez",
    "Wilson",
    "Anderson",
    "Thomas",
    "Taylor",
    "Moore",
    "Jackson",
    "Martin",
    "Lee",
    "Thompson",
    "White",
    "Harris",
    "Clark",
    "Lewis",
    "Robinson",
    "Walker",
    "Young",
    "Allen",
    "King",
    "Wright",
    "Scott",
    "Torres",
    "Nguyen",
    "Hill",
    "Flores",
    "Green",
    "Adams",
    "Nelson",
    "Baker",
    "O'Brien",
    "Peña",
    "Washington",
    "Begay",
    "Yazzie",
    "Kowalski",
    "Murphy",
    "Rivera",
    "Brooks",
    "Ortiz",
];

/// A random invented person.
pub fn person(rng: &mut impl Rng) -> (&'static str, &'static str) {
    (
        FIRST[rng.gen_range(0..FIRST.len())],
        LAST[rng.gen_range(0..LAST.len())],
    )
}

/// A nickname someone might prefer.
pub fn nickname(rng: &mut impl Rng, first: &str) -> &'static str {
    const NICK: &[&str] = &[
        "Jay", "Mia", "Bobby", "Lin", "Mike", "Pat", "Dave", "Jen", "Will", "Liz", "Rich", "Sue",
        "Joe", "Tony", "Danny", "Cee", "Dre",
    ];
    let _ = first;
    NICK[rng.gen_range(0..NICK.len())]
}

/// The display names of the demo sign-ins.
pub fn demo_name(role: Role) -> &'static str {
    match role {
        Role::Admin => "Avery Admin (demo)",
        Role::Supervisor => "Sam Supervisor (demo)",
        Role::Peer => "Pat Peer (demo)",
        Role::Team => "Terry Probation (demo)",
        Role::Auditor => "Alex Auditor (demo)",
    }
}
