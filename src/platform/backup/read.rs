//! Reading a backup file: its header, and its body extracted (and decrypted) into a directory.

use super::*;

// ---------------------------------------------------------------------------------------------
// reading a backup

/// Read the clear header of a backup file.
pub fn read_header(file: &Path) -> anyhow::Result<Header> {
    let mut r = BufReader::new(
        File::open(file).map_err(|e| anyhow!("FILE: cannot open {}: {e}", file.display()))?,
    );
    header_of(&mut r, file)
}

pub(super) fn header_of(r: &mut impl BufRead, file: &Path) -> anyhow::Result<Header> {
    let magic = read_line(r, 64).ok();
    if magic.as_deref() != Some(MAGIC) {
        bail!(
            "FILE: {} is not a Throughcare backup (it does not start with {MAGIC:?})",
            file.display()
        );
    }
    let line = read_line(r, 4096).context("FILE: the backup's header is damaged")?;
    serde_json::from_str(&line).map_err(|e| anyhow!("FILE: the backup's header is damaged: {e}"))
}

/// A line without its `\n`, at most `max` bytes.
pub(super) fn read_line(r: &mut impl BufRead, max: u64) -> anyhow::Result<String> {
    let mut buf = Vec::new();
    r.take(max).read_until(b'\n', &mut buf)?;
    if buf.pop() != Some(b'\n') {
        bail!("a line of the backup is missing or too long");
    }
    Ok(String::from_utf8(buf)?)
}

/// The database and audit key taken out of a backup, checked against its recorded checksum.
pub(super) struct Extracted {
    pub(super) contents: Contents,
    pub(super) database: PathBuf,
    pub(super) audit_key: Option<Vec<u8>>,
}

/// Where a passphrase comes from, asked only when the file is encrypted.
pub type Passphrase<'a> = &'a dyn Fn() -> anyhow::Result<SecretString>;

pub(super) fn extract(
    file: &Path,
    passphrase: Passphrase,
    dir: &Path,
) -> anyhow::Result<Extracted> {
    let mut r = BufReader::new(
        File::open(file).map_err(|e| anyhow!("FILE: cannot open {}: {e}", file.display()))?,
    );
    let header = header_of(&mut r, file)?;
    let database = dir.join("database");
    let (contents, audit_key) = if header.encrypted {
        let pass = passphrase()?;
        let dec = age::Decryptor::new_buffered(r)
            .map_err(|e| anyhow!("FILE: the encrypted part of the backup is damaged: {e}"))?;
        let identity = age::scrypt::Identity::new(pass);
        let body = dec
            .decrypt(std::iter::once(&identity as &dyn age::Identity))
            .map_err(|e| match e {
                age::DecryptError::NoMatchingKeys | age::DecryptError::DecryptionFailed => {
                    anyhow!("the passphrase does not decrypt this backup")
                }
                other => anyhow!("cannot decrypt the backup: {other}"),
            })?;
        read_body(&mut BufReader::new(body), &database)?
    } else {
        read_body(&mut r, &database)?
    };
    Ok(Extracted {
        contents,
        database,
        audit_key,
    })
}

pub(super) fn read_body(
    r: &mut impl BufRead,
    database: &Path,
) -> anyhow::Result<(Contents, Option<Vec<u8>>)> {
    let damaged = |what: &str| anyhow!("the backup is damaged: {what}");
    let line =
        read_line(r, 64 * 1024).map_err(|_| damaged("its table of contents is unreadable"))?;
    let contents: Contents = serde_json::from_str(&line)
        .map_err(|e| damaged(&format!("its table of contents is unreadable ({e})")))?;
    let bar = bytes_bar(contents.database_bytes, "reading the backup");
    let mut out = BufWriter::new(File::create(database)?);
    let mut hasher = Sha256::new();
    let mut left = contents.database_bytes;
    let mut buf = vec![0u8; 256 * 1024];
    while left > 0 {
        let want = buf.len().min(usize::try_from(left).unwrap_or(usize::MAX));
        let n = r
            .read(&mut buf[..want])
            .map_err(|e| damaged(&format!("reading the database failed ({e})")))?;
        if n == 0 {
            return Err(damaged("it ends before the database does (truncated)"));
        }
        hasher.update(&buf[..n]);
        out.write_all(&buf[..n])?;
        left -= n as u64;
        bar.inc(n as u64);
    }
    bar.finish_and_clear();
    out.flush()?;
    out.get_ref().sync_all()?;
    if hex::encode(hasher.finalize()) != contents.database_sha256 {
        return Err(damaged(
            "the database's SHA-256 differs from the one recorded when it was made",
        ));
    }
    let key = if contents.audit_key_bytes > 0 {
        let mut k = vec![0u8; usize::try_from(contents.audit_key_bytes)?];
        r.read_exact(&mut k)
            .map_err(|e| damaged(&format!("the audit key is cut short ({e})")))?;
        Some(k)
    } else {
        None
    };
    let mut extra = [0u8; 1];
    match r.read(&mut extra) {
        Ok(0) => {}
        Ok(_) => return Err(damaged("there are bytes after its end")),
        Err(e) => return Err(damaged(&format!("its end is unreadable ({e})"))),
    }
    Ok((contents, key))
}
