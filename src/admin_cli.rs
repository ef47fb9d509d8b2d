//! `coursepay admin`: create an admin, reset a password, change a role. A generated password is
//! printed once, on standard output, and stored nowhere else.
use std::io::BufRead;

use crate::cli::AdminCommand;
use crate::config::Config;
use crate::server::StartError;

/// What `coursepay admin` can fail with, besides start-up errors.
#[derive(Debug, thiserror::Error)]
pub enum AdminError {
    #[error(transparent)]
    Start(#[from] StartError),
    #[error("{0}")]
    Shop(#[from] shop::ShopError),
    #[error("no account named {0:?}")]
    NoSuchUser(String),
    #[error("could not read the password from standard input: {0}")]
    Stdin(std::io::Error),
    #[error("no randomness for a password: {0}")]
    Random(String),
}

/// A new password: 12 random bytes as 24 hex characters (the same as the development admin's).
pub fn generate_password() -> Result<String, AdminError> {
    crate::keys::random_hex(12).map_err(|e| AdminError::Random(e.to_string()))
}

fn password(from_stdin: bool) -> Result<(String, bool), AdminError> {
    if !from_stdin {
        return Ok((generate_password()?, true));
    }
    let mut line = String::new();
    std::io::stdin()
        .lock()
        .read_line(&mut line)
        .map_err(AdminError::Stdin)?;
    Ok((line.trim_end_matches(['\r', '\n']).to_owned(), false))
}

/// Runs one `coursepay admin` command; returns what to print.
pub async fn run(cfg: &Config, cmd: AdminCommand) -> Result<String, AdminError> {
    let db = crate::server::open_db(cfg).await?;
    match cmd {
        AdminCommand::Create {
            username,
            password_stdin,
        } => {
            let (pw, generated) = password(password_stdin)?;
            let a = shop::accounts::create_admin(
                &db,
                &username,
                &pw,
                alipay::Clock::now(&alipay::SystemClock),
            )
            .await?;
            Ok(shown_once(
                &format!("admin {:?} created", a.username),
                &pw,
                generated,
            ))
        }
        AdminCommand::ResetPassword {
            username,
            password_stdin,
        } => {
            let a = find(&db, &username).await?;
            let (pw, generated) = password(password_stdin)?;
            shop::accounts::set_password(&db, a.id, &pw).await?;
            Ok(shown_once(
                &format!(
                    "password of {:?} reset; its sessions have ended",
                    a.username
                ),
                &pw,
                generated,
            ))
        }
        AdminCommand::SetRole { username, role } => {
            let a = find(&db, &username).await?;
            shop::accounts::set_role(&db, a.id, role.parse()?).await?;
            Ok(format!(
                "{:?} is now {role}; its sessions have ended",
                a.username
            ))
        }
    }
}

async fn find(db: &shop::db::Db, username: &str) -> Result<shop::accounts::Account, AdminError> {
    shop::accounts::find_by_username(db, username)
        .await?
        .ok_or_else(|| AdminError::NoSuchUser(username.to_owned()))
}

fn shown_once(what: &str, password: &str, generated: bool) -> String {
    if generated {
        format!("{what}.\npassword (shown once, stored nowhere): {password}")
    } else {
        format!("{what}.")
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn generated_passwords_are_long_and_differ() {
        let a = super::generate_password().unwrap();
        let b = super::generate_password().unwrap();
        assert_eq!(a.len(), 24);
        assert_ne!(a, b);
        assert!(a.chars().all(|c| c.is_ascii_hexdigit()));
    }
}
