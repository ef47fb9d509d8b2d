//! Development and production modes: what production refuses, what it never does (sandbox, demo
//! accounts, printed secrets), the sandbox exposure rule, `coursepay check` and `coursepay admin`.

use std::process::Command;

use clap::Parser;
use coursepay::cli::Cli;

const BIN: &str = env!("CARGO_BIN_EXE_coursepay");

/// What production lacks with no settings at all, in the order `coursepay check` names them.
const MISSING_BY_DEFAULT: [&str; 7] = [
    "PUBLIC_BASE_URL",
    "ALIPAY_GATEWAY",
    "ALIPAY_APP_ID",
    "ALIPAY_SELLER_ID",
    "ALIPAY_APP_PRIVATE_KEY",
    "ALIPAY_PUBLIC_KEY",
    "JWT_SECRET",
];

/// Key files of a plausible merchant (two distinct generated key pairs), written once per test.
struct Merchant {
    dir: tempfile::TempDir,
}

impl Merchant {
    fn new() -> Merchant {
        let dir = tempfile::tempdir().unwrap();
        let app = alipay::PrivateKey::generate().unwrap();
        let ali = alipay::PrivateKey::generate().unwrap();
        std::fs::write(dir.path().join("app.pem"), app.to_pkcs8_pem()).unwrap();
        std::fs::write(
            dir.path().join("alipay.txt"),
            ali.public_key().to_base64_spki(),
        )
        .unwrap();
        Merchant { dir }
    }

    fn path(&self, name: &str) -> String {
        self.dir.path().join(name).display().to_string()
    }

    /// Every production setting, valid.
    fn production_args(&self) -> Vec<String> {
        [
            "--mode",
            "production",
            "--public-base-url",
            "https://shop.example",
            "--alipay-gateway",
            "https://openapi.alipay.com/gateway.do",
            "--alipay-app-id",
            "2021000000000001",
            "--alipay-seller-id",
            "2088000000000001",
            "--alipay-app-private-key-file",
            &self.path("app.pem"),
            "--alipay-public-key-file",
            &self.path("alipay.txt"),
        ]
        .iter()
        .map(|s| s.to_string())
        .collect()
    }
}

fn config(data: &std::path::Path, extra: &[&str]) -> coursepay::config::Config {
    let data = data.display().to_string();
    let db = format!("sqlite://{data}/coursepay.db?mode=rwc");
    let mut args = vec!["coursepay", "--data-dir", &data, "--database-url", &db];
    args.extend_from_slice(extra);
    Cli::parse_from(args).config
}

#[tokio::test]
async fn production_with_defaults_refuses_naming_every_setting() {
    let data = tempfile::tempdir().unwrap();
    let cfg = config(data.path(), &["--mode", "production"]);
    let err = match coursepay::server::build(&cfg).await {
        Ok(_) => panic!("production started with development defaults"),
        Err(e) => e.to_string(),
    };
    for var in MISSING_BY_DEFAULT {
        assert!(
            err.lines()
                .any(|l| l.trim_start().starts_with(&format!("- {var}:"))),
            "{var} not named on its own line:\n{err}"
        );
    }
    // Refused before anything was created: no database, no generated keys.
    assert!(!data.path().join("coursepay.db").exists());
    assert!(!data.path().join("keys").exists());
}

#[tokio::test]
async fn production_refuses_unsafe_values_without_printing_them() {
    let m = Merchant::new();
    let data = tempfile::tempdir().unwrap();
    let weak = "a".repeat(40);
    let mut args = m.production_args();
    args.iter_mut()
        .filter(|a| a.starts_with("https://shop"))
        .for_each(|a| *a = "http://shop.example".to_owned());
    args.extend(["--jwt-secret".to_owned(), weak.clone()]);
    args.extend(["--sandbox-public".to_owned()]);
    let args: Vec<&str> = args.iter().map(String::as_str).collect();
    let cfg = config(data.path(), &args);
    let err = match coursepay::server::build(&cfg).await {
        Ok(_) => panic!("production started with an http URL and a weak secret"),
        Err(e) => e.to_string(),
    };
    assert!(
        err.contains("PUBLIC_BASE_URL: must be an https://"),
        "{err}"
    );
    assert!(err.contains("JWT_SECRET: too predictable"), "{err}");
    assert!(err.contains("COURSEPAY_SANDBOX_PUBLIC"), "{err}");
    assert!(!err.contains(&weak), "the secret was printed: {err}");
    let key_text = std::fs::read_to_string(m.path("app.pem")).unwrap();
    let key_line = key_text.lines().nth(1).unwrap();
    assert!(!err.contains(key_line));
}

#[tokio::test]
async fn production_mixed_up_keys_are_named() {
    let m = Merchant::new();
    let app =
        alipay::PrivateKey::from_file(m.path("app.pem").as_ref(), alipay::KeyRole::AppPrivateKey)
            .unwrap();
    std::fs::write(m.path("alipay.txt"), app.public_key().to_base64_spki()).unwrap();
    let mut args = m.production_args();
    args.extend([
        "--jwt-secret".to_owned(),
        crate::common::JWT_SECRET.to_owned(),
    ]);
    let args: Vec<&str> = args.iter().map(String::as_str).collect();
    let data = tempfile::tempdir().unwrap();
    let problems = coursepay::mode::production_problems(&config(data.path(), &args));
    assert_eq!(problems.len(), 1, "{problems:?}");
    assert_eq!(problems[0].var, "ALIPAY_PUBLIC_KEY");
}

#[tokio::test]
async fn production_mounts_no_sandbox_and_seeds_no_account() {
    let m = Merchant::new();
    let args = m.production_args();
    let args: Vec<&str> = args.iter().map(String::as_str).collect();
    let s = crate::common::start_with(&args).await;
    let r = s.http.get(s.url("/sandbox/admin")).send().await.unwrap();
    assert_eq!(r.status(), 404, "the sandbox is mounted in production");
    let r = s
        .http
        .get(s.url("/sandbox/gateway.do"))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 404);
    for (user, pw) in [("student", "coursepay123"), ("admin", "")] {
        let r = s
            .http
            .post(s.url("/user/login"))
            .json(&serde_json::json!({"username": user, "password": pw}))
            .send()
            .await
            .unwrap();
        assert_eq!(r.status(), 401, "{user} exists in production");
    }
    assert!(!s.dir.path().join("keys").join("admin_password").exists());
    assert!(
        !s.dir.path().join("keys").exists(),
        "dev keys generated in production"
    );
    // Courses are still listed (the catalog is data, not an account).
    let list = s.get_json("/course/list").await;
    assert!(list.as_array().is_some_and(|a| !a.is_empty()));
}

#[tokio::test]
async fn the_admin_password_is_shown_once_when_created() {
    let data = tempfile::tempdir().unwrap();
    let cfg = config(data.path(), &["--jwt-secret", crate::common::JWT_SECRET]);
    let first = coursepay::server::build(&cfg).await.unwrap().banner;
    let pw = std::fs::read_to_string(data.path().join("keys").join("admin_password")).unwrap();
    assert!(first.contains(pw.trim()), "{first}");
    assert!(first.contains("student / coursepay123"));
    let second = coursepay::server::build(&cfg).await.unwrap().banner;
    assert!(!second.contains(pw.trim()), "printed again: {second}");
    assert!(second.contains("admin_password"), "{second}");
}

#[tokio::test]
async fn a_sandbox_beyond_loopback_needs_an_explicit_setting_and_warns() {
    let data = tempfile::tempdir().unwrap();
    let exposed = [
        "--site-addr",
        "0.0.0.0:0",
        "--jwt-secret",
        crate::common::JWT_SECRET,
    ];
    let err = match coursepay::server::build(&config(data.path(), &exposed)).await {
        Ok(_) => panic!("the sandbox was exposed on 0.0.0.0 without asking"),
        Err(e) => e.to_string(),
    };
    assert!(err.contains("COURSEPAY_SANDBOX_PUBLIC"), "{err}");
    let mut allowed = exposed.to_vec();
    allowed.push("--sandbox-public");
    let built = coursepay::server::build(&config(data.path(), &allowed))
        .await
        .unwrap();
    assert!(built.banner.contains("WARNING"), "{}", built.banner);
    let loopback = ["--jwt-secret", crate::common::JWT_SECRET];
    let built = coursepay::server::build(&config(data.path(), &loopback))
        .await
        .unwrap();
    assert!(!built.banner.contains("WARNING"));
}

fn coursepay_cmd(data: &std::path::Path) -> Command {
    let mut c = Command::new(BIN);
    c.env_clear()
        .env("PATH", std::env::var("PATH").unwrap_or_default())
        .env("COURSEPAY_DATA_DIR", data)
        .current_dir(data);
    c
}

#[test]
fn check_lists_each_missing_setting_on_its_own_line_and_fails() {
    let data = tempfile::tempdir().unwrap();
    let out = coursepay_cmd(data.path()).arg("check").output().unwrap();
    assert_eq!(out.status.code(), Some(1));
    let text = String::from_utf8_lossy(&out.stdout);
    let vars: Vec<&str> = text.lines().filter_map(|l| l.split(':').next()).collect();
    assert_eq!(vars, MISSING_BY_DEFAULT, "{text}");
}

#[test]
fn check_passes_a_complete_production_configuration() {
    let m = Merchant::new();
    let data = tempfile::tempdir().unwrap();
    let out = coursepay_cmd(data.path())
        .args(m.production_args())
        .env("JWT_SECRET", crate::common::JWT_SECRET)
        .arg("check")
        .output()
        .unwrap();
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(out.status.success(), "{text}");
    assert!(!text.contains(crate::common::JWT_SECRET));
}

#[tokio::test]
async fn admin_commands_create_reset_and_change_roles() {
    let data = tempfile::tempdir().unwrap();
    let run = |args: &[&str]| {
        let out = coursepay_cmd(data.path())
            .env("JWT_SECRET", crate::common::JWT_SECRET)
            .args(args)
            .output()
            .unwrap();
        (
            out.status.success(),
            String::from_utf8_lossy(&out.stdout).into_owned()
                + &String::from_utf8_lossy(&out.stderr),
        )
    };
    let (ok, text) = run(&["admin", "create", "boss"]);
    assert!(ok, "{text}");
    let pw = text
        .lines()
        .find_map(|l| l.strip_prefix("password (shown once, stored nowhere): "))
        .expect("password printed")
        .to_owned();
    let db = shop::db::connect(&format!(
        "sqlite://{}/coursepay.db?mode=rwc",
        data.path().display()
    ))
    .await
    .unwrap();
    let a = shop::accounts::login(&db, "boss", &pw).await.unwrap();
    assert_eq!(a.role, shop::accounts::Role::Admin);
    let (ok, text) = run(&["admin", "create", "boss"]);
    assert!(!ok && text.contains("用户名已被注册"), "{text}");
    let (ok, text) = run(&["admin", "reset-password", "boss"]);
    assert!(ok, "{text}");
    assert!(shop::accounts::login(&db, "boss", &pw).await.is_err());
    let (ok, text) = run(&["admin", "set-role", "boss", "student"]);
    assert!(ok, "{text}");
    let (ok, text) = run(&["admin", "set-role", "nobody", "student"]);
    assert!(!ok && text.contains("no account named"), "{text}");
    let (ok, _) = run(&["admin", "set-role", "boss", "root"]);
    assert!(!ok, "an unknown role was accepted");
    // Hostile passwords on standard input: too short, a NUL byte in a short one, nothing at all.
    for input in ["short\n", "ab\0cd\n", ""] {
        use std::io::Write;
        let mut child = coursepay_cmd(data.path())
            .env("JWT_SECRET", crate::common::JWT_SECRET)
            .args(["admin", "reset-password", "boss", "--password-stdin"])
            .stdin(std::process::Stdio::piped())
            .stdout(std::process::Stdio::piped())
            .stderr(std::process::Stdio::piped())
            .spawn()
            .unwrap();
        child
            .stdin
            .take()
            .unwrap()
            .write_all(input.as_bytes())
            .unwrap();
        let out = child.wait_with_output().unwrap();
        let text = String::from_utf8_lossy(&out.stderr);
        assert!(
            !out.status.success() && text.contains("密码长度"),
            "{input:?}: {text}"
        );
    }
}
