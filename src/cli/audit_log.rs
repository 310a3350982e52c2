//! `throughcare audit`: verify the chain, export it, sign and check checkpoints.

use super::*;

/// `audit verify` and `audit checkpoint` read the key (they never create one, nor key a chain)
/// and apply migrations but nothing else.
pub(super) fn audit_command(c: AuditCommand, config: &Config) -> anyhow::Result<ExitCode> {
    use crate::platform::audit_key::{self, Checkpoint, Key};
    let key = Key::load(&config.audit_key_path())?;
    let db = Db::open(config)?;
    let mut conn = db.conn()?;
    crate::platform::db::migrate(&mut conn)?;
    match c {
        AuditCommand::Verify { checkpoints } => {
            let cps = match &checkpoints {
                Some(file) => audit_key::read_checkpoints(file)?,
                None => Vec::new(),
            };
            let v = audit::verify(&mut conn, &key, &cps)?;
            let against = match &checkpoints {
                Some(file) => format!(" and {} checkpoints in {}", cps.len(), file.display()),
                None => String::new(),
            };
            Ok(match v.fault {
                None => {
                    println!(
                        "audit chain intact: {} entries verified with the key in {}{against}",
                        v.entries,
                        key.path().display()
                    );
                    ExitCode::SUCCESS
                }
                Some(f) => {
                    let place = match (&f, &checkpoints) {
                        (
                            audit::Fault::CheckpointSignature { .. }
                            | audit::Fault::CheckpointAhead { .. }
                            | audit::Fault::CheckpointDiffers { .. },
                            Some(file),
                        ) => format!(" (checkpoints in {})", file.display()),
                        _ => String::new(),
                    };
                    println!(
                        "audit chain BROKEN after {} good entries: {f}{place}",
                        v.entries
                    );
                    ExitCode::FAILURE
                }
            })
        }
        AuditCommand::Checkpoint => {
            println!("{}", Checkpoint::take(&mut conn, &key)?.to_line());
            Ok(ExitCode::SUCCESS)
        }
    }
}
