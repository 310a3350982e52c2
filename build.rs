// The migrations are compiled into the binary (diesel's embed_migrations!): rebuild when one is
// added or changed, which Cargo would not otherwise notice.
fn main() {
    println!("cargo:rerun-if-changed=migrations");
    // The Fluent messages (locales/<language>/*.ftl) are compiled in too (decision 0043).
    println!("cargo:rerun-if-changed=locales");
}
