//! Dev secrets generated at first run into DATA_DIR/keys (0600, never committed): the app key
//! pair, the embedded sandbox's "Alipay" key pair, the JWT secret and the demo admin password.
use std::io::Write;
use std::path::{Path, PathBuf};

use alipay::{KeyRole, PrivateKey};

/// A secret file that cannot be read or written.
#[derive(Debug, thiserror::Error)]
pub enum SecretError {
    #[error("{path}: {err}")]
    Io { path: PathBuf, err: std::io::Error },
    #[error("{path}: {err}")]
    Key {
        path: PathBuf,
        err: alipay::KeyError,
    },
}

fn io(path: &Path) -> impl FnOnce(std::io::Error) -> SecretError + '_ {
    move |err| SecretError::Io {
        path: path.to_owned(),
        err,
    }
}

/// Writes `contents` to a new file readable by its owner only.
fn write_private(path: &Path, contents: &str) -> Result<(), SecretError> {
    if let Some(dir) = path.parent() {
        std::fs::create_dir_all(dir).map_err(io(dir))?;
    }
    let mut opts = std::fs::OpenOptions::new();
    opts.write(true).create_new(true);
    #[cfg(unix)]
    std::os::unix::fs::OpenOptionsExt::mode(&mut opts, 0o600);
    let mut f = opts.open(path).map_err(io(path))?;
    f.write_all(contents.as_bytes()).map_err(io(path))
}

/// Loads the private key at `path`, generating a 2048-bit one there first if it is missing.
pub fn private_key(path: &Path, role: KeyRole) -> Result<PrivateKey, SecretError> {
    if !path.exists() {
        let key = PrivateKey::generate().map_err(|err| SecretError::Key {
            path: path.to_owned(),
            err,
        })?;
        write_private(path, &key.to_pkcs8_pem())?;
        tracing::info!(path = %path.display(), "generated a dev key ({role})");
        return Ok(key);
    }
    PrivateKey::from_file(path, role).map_err(|err| SecretError::Key {
        path: path.to_owned(),
        err,
    })
}

/// Reads the random token at `path`, generating `bytes` random bytes (hex) there if missing.
pub fn random_secret(path: &Path, bytes: usize) -> Result<String, SecretError> {
    if let Ok(s) = std::fs::read_to_string(path) {
        return Ok(s.trim().to_owned());
    }
    let hex = random_hex(bytes).map_err(|err| SecretError::Io {
        path: path.to_owned(),
        err,
    })?;
    write_private(path, &hex)?;
    Ok(hex)
}

/// `bytes` bytes from the OS's randomness, as lower-case hex.
pub fn random_hex(bytes: usize) -> Result<String, std::io::Error> {
    let mut raw = vec![0u8; bytes];
    getrandom::fill(&mut raw).map_err(|e| std::io::Error::other(e.to_string()))?;
    Ok(raw.iter().map(|b| format!("{b:02x}")).collect())
}
