//! Start-up: database, router, listener, graceful shutdown.
use axum::Router;
use leptos::prelude::*;
use leptos_axum::{LeptosRoutes, generate_route_list};
use tower_http::trace::{DefaultOnResponse, TraceLayer};
use tracing::Level;

use app::api::ServerContext;
use app::{App, shell};

use crate::config::{Config, Frontend};
use crate::mode::Mode;

/// Anything that stops the server from starting.
#[derive(Debug, thiserror::Error)]
pub enum StartError {
    #[error(transparent)]
    Config(#[from] crate::config::ConfigError),
    #[error("database: {0}")]
    Db(#[from] sea_orm::DbErr),
    #[error(transparent)]
    Shop(#[from] shop::ShopError),
    #[error("cannot create the data folder: {0}")]
    DataDir(std::io::Error),
    #[error("cannot listen on {addr}: {err}")]
    Bind {
        addr: std::net::SocketAddr,
        err: std::io::Error,
    },
    #[error(transparent)]
    Payments(#[from] crate::payments::PaymentSetupError),
    #[error(transparent)]
    Secret(#[from] crate::keys::SecretError),
    #[error(transparent)]
    Unsafe(#[from] crate::mode::Unsafe),
}

/// Opens the database and brings it up to date; creates the data folder for SQLite.
pub async fn open_db(cfg: &Config) -> Result<shop::db::Db, StartError> {
    cfg.validate()?;
    let url = cfg.database_url();
    if shop::db::is_sqlite(&url) {
        std::fs::create_dir_all(&cfg.data_dir).map_err(StartError::DataDir)?;
    }
    let db = shop::db::connect(&url).await?;
    shop::db::migrate(&db).await?;
    Ok(db)
}

/// `coursepay migrate`
pub async fn migrate_only(cfg: &Config) -> Result<(), StartError> {
    open_db(cfg).await?;
    tracing::info!("migrations applied");
    Ok(())
}

/// What seeding did: the demo student, and the admin's password when it was created just now
/// (shown once; later starts only say where it is kept).
pub struct Seeded {
    pub demo_accounts: bool,
    pub new_admin_password: Option<String>,
}

/// Demo courses; in development also the demo student and the admin (password generated into
/// DATA_DIR/keys/admin_password). Production seeds no account: `coursepay admin create`.
async fn seed(
    cfg: &Config,
    db: &shop::db::Db,
    clock: &dyn alipay::Clock,
) -> Result<Seeded, StartError> {
    let now = clock.now();
    let added = shop::seed::seed_demo(db, now).await?;
    if added > 0 {
        tracing::info!(added, "demo courses seeded");
    }
    if cfg.mode == Mode::Production {
        return Ok(Seeded {
            demo_accounts: false,
            new_admin_password: None,
        });
    }
    let (student, student_pw) = shop::seed::DEMO_STUDENT;
    shop::accounts::ensure_user(db, student, student_pw, shop::accounts::Role::Student, now)
        .await?;
    let admin_password =
        crate::keys::random_secret(&cfg.data_dir.join("keys").join("admin_password"), 12)?;
    let created = shop::accounts::ensure_user(
        db,
        "admin",
        &admin_password,
        shop::accounts::Role::Admin,
        now,
    )
    .await?;
    Ok(Seeded {
        demo_accounts: true,
        new_admin_password: created.then_some(admin_password),
    })
}

/// `coursepay seed`
pub async fn seed_only(cfg: &Config) -> Result<(), StartError> {
    let db = open_db(cfg).await?;
    let seeded = seed(cfg, &db, &alipay::SystemClock).await?;
    if let Some(pw) = seeded.new_admin_password {
        println!("admin created: admin / {pw} (shown once; also in DATA_DIR/keys/admin_password)");
    }
    Ok(())
}

/// Refuses a configuration its mode does not allow, naming every setting at once.
pub fn check_mode(cfg: &Config) -> Result<(), crate::mode::Unsafe> {
    let problems = crate::mode::start_problems(cfg);
    if problems.is_empty() {
        Ok(())
    } else {
        Err(crate::mode::Unsafe(problems))
    }
}

/// The session token keys: JWT_SECRET, or a secret generated into the data folder.
fn jwt_keys(cfg: &Config) -> Result<shop::accounts::jwt::JwtKeys, StartError> {
    let secret = match &cfg.jwt_secret {
        Some(s) => s.expose().to_owned(),
        None => crate::keys::random_secret(&cfg.data_dir.join("keys").join("jwt_secret"), 32)?,
    };
    Ok(shop::accounts::jwt::JwtKeys::new(
        secret.as_bytes(),
        chrono::Duration::hours(12),
    )?)
}

/// The server-rendered pages (and, through `leptos_routes`, the server functions), `/pkg`
/// precompressed (`assets`), and the cargo-leptos site's other files as the fallback.
fn ssr_pages(cfg: &Config, ctx: &ServerContext) -> Router {
    let options = cfg.leptos_options();
    let routes = generate_route_list(App);
    Router::new()
        .leptos_routes_with_context(
            &options,
            routes,
            {
                let ctx = ctx.clone();
                move || {
                    provide_context(ctx.clone());
                    crate::csp::provide_leptos_nonce();
                }
            },
            {
                let options = options.clone();
                move || shell(options.clone())
            },
        )
        .merge(crate::assets::pkg_router(
            &format!("/{}", options.site_pkg_dir),
            &std::path::Path::new(&*options.site_root).join(&*options.site_pkg_dir),
        ))
        .fallback(leptos_axum::file_and_error_handler_with_context(
            {
                let ctx = ctx.clone();
                move || {
                    provide_context(ctx.clone());
                    crate::csp::provide_leptos_nonce();
                }
            },
            shell,
        ))
        .with_state(options)
}

/// Builds the whole HTTP application around the shop (and the embedded sandbox, if any).
pub fn router(
    cfg: &Config,
    ctx: ServerContext,
    sandbox: Option<&alipay_sandbox::Sandbox>,
) -> Router {
    crate::executor::init();
    let (pages, inline_script_hashes) = match cfg.frontend {
        Frontend::Ssr => (ssr_pages(cfg, &ctx), Vec::new()),
        Frontend::Csr => (
            crate::csr::router(ctx.clone(), &cfg.csr_dir),
            crate::csr::inline_script_hashes(&cfg.csr_dir),
        ),
    };
    let gateway = ctx.shop.alipay().config().gateway.clone();
    let mut router = crate::routes::routes(ctx).merge(pages);
    if let Some(sandbox) = sandbox {
        router = router.nest("/sandbox", sandbox.router());
    }
    let router = crate::security::same_origin(router, &cfg.public_base_url());
    let public_base_url = cfg.public_base_url();
    crate::security::harden(router, &gateway, &public_base_url, &inline_script_hashes)
        .layer(
            TraceLayer::new_for_http()
                .make_span_with(crate::request_id::span)
                .on_response(DefaultOnResponse::new().level(Level::INFO)),
        )
        .layer(axum::middleware::from_fn(crate::request_id::assign))
}

/// The whole application, ready to serve, and what to print at start.
pub struct Built {
    pub app: Router,
    pub banner: String,
}

/// Migrates, seeds what is missing, sets up payments (starting the embedded sandbox when it is the
/// gateway) and builds the router.
pub async fn build(cfg: &Config) -> Result<Built, StartError> {
    check_mode(cfg)?;
    let db = open_db(cfg).await?;
    let clock: std::sync::Arc<dyn alipay::Clock> = std::sync::Arc::new(alipay::SystemClock);
    let seeded = seed(cfg, &db, clock.as_ref()).await?;
    let payments = crate::payments::setup(cfg, clock.clone()).await?;
    let jwt = jwt_keys(cfg)?;
    let timeout = chrono::Duration::minutes(i64::from(cfg.order_timeout_minutes));
    let shop =
        shop::Shop::new(db, payments.client, jwt, clock, timeout).with_web(cfg.web_settings());
    crate::jobs::spawn(shop.clone(), cfg);
    let app = router(cfg, ServerContext { shop }, payments.sandbox.as_ref());
    let gateway = match &payments.sandbox {
        Some(s) => format!("embedded sandbox {}", s.gateway_url()),
        None => cfg.alipay_gateway.clone().unwrap_or_default(),
    };
    let frontend = match cfg.frontend {
        Frontend::Ssr => "server-rendered + hydrated".to_owned(),
        Frontend::Csr => format!("client-side build in {}", cfg.csr_dir.display()),
    };
    let banner = banner(cfg, &seeded, &gateway, &frontend);
    Ok(Built { app, banner })
}

/// What `serve` prints at start: never a secret except a development admin password created just
/// now.
fn banner(cfg: &Config, seeded: &Seeded, gateway: &str, frontend: &str) -> String {
    let base = cfg.public_base_url();
    let mode = match cfg.mode {
        Mode::Development => "development",
        Mode::Production => "production",
    };
    let mut b = format!("\n  coursepay is running ({mode}): {base}/\n");
    if seeded.demo_accounts {
        let (student, student_pw) = shop::seed::DEMO_STUDENT;
        b += &format!("  demo student: {student} / {student_pw}\n");
        let keys = cfg.data_dir.join("keys").join("admin_password");
        match &seeded.new_admin_password {
            Some(pw) => {
                b += &format!(
                    "  admin:        admin / {pw}  (created now; shown once, kept in {})\n",
                    keys.display()
                )
            }
            None => b += &format!("  admin:        admin (password in {})\n", keys.display()),
        }
    }
    b += &format!("  gateway:      {gateway}\n  front end:    {frontend}\n");
    if cfg.alipay_gateway.is_none() && !crate::mode::binds_loopback(cfg) {
        b += &format!(
            "  WARNING:      the sandbox gateway is reachable on {} (COURSEPAY_SANDBOX_PUBLIC): anyone can pay with its test buyer\n",
            cfg.site_addr
        );
    }
    b
}

/// `coursepay check`: the production checklist, one line per problem; `Err` when any.
pub fn check(cfg: &Config) -> Result<String, crate::mode::Unsafe> {
    let problems = crate::mode::production_problems(cfg);
    if problems.is_empty() {
        Ok("coursepay check: every production setting is present and safe".to_owned())
    } else {
        Err(crate::mode::Unsafe(problems))
    }
}

/// `coursepay serve`: build, listen, serve until SIGTERM or Ctrl-C (finishing requests in flight).
pub async fn serve(cfg: Config) -> Result<(), StartError> {
    let built = build(&cfg).await?;
    let listener = tokio::net::TcpListener::bind(cfg.site_addr)
        .await
        .map_err(|err| StartError::Bind {
            addr: cfg.site_addr,
            err,
        })?;
    tracing::info!("coursepay listening on {}", cfg.public_base_url());
    println!("{}", built.banner);
    crate::listen::serve_on(listener, built.app, cfg.limits, crate::shutdown::signal()).await;
    tracing::info!("stopped");
    Ok(())
}
