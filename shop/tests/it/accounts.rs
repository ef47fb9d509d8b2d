use shop::ShopError;
use shop::accounts::jwt::JwtKeys;
use shop::accounts::{Role, UserId};

each_backend! {
    async fn register_then_login_and_bad_credentials(t) {
        let a = shop::accounts::register(&t.db, "小明_01", "password123", chrono::Utc::now())
            .await
            .expect("register");
        assert_eq!(a.role, Role::Student);
        let again = shop::accounts::register(&t.db, "小明_01", "password123", chrono::Utc::now())
            .await
            .unwrap_err();
        assert!(matches!(again, ShopError::UsernameTaken), "{}", t.backend);
        assert_eq!(
            shop::accounts::login(&t.db, "小明_01", "password123")
                .await
                .expect("login")
                .id,
            a.id
        );
        for (u, p) in [("小明_01", "wrong-password"), ("nobody", "password123")] {
            let e = shop::accounts::login(&t.db, u, p).await.unwrap_err();
            assert_eq!(e.to_string(), "用户名或密码错误", "{}", t.backend);
        }
        for (u, p) in [
            ("ab", "password123"),
            ("<script>", "password123"),
            ("valid_name", "short"),
        ] {
            assert!(
                shop::accounts::register(&t.db, u, p, chrono::Utc::now())
                    .await
                    .is_err(),
                "{u}"
            );
        }
    }
}

#[test]
fn tokens_with_alg_none_another_key_a_tampered_payload_or_expired_are_refused() {
    use base64::Engine;
    let b64 = base64::engine::general_purpose::URL_SAFE_NO_PAD;
    let now = chrono::Utc::now();
    let keys = JwtKeys::new(&[1u8; 32], chrono::Duration::hours(1)).unwrap();
    let good = keys
        .issue(UserId(7), "student", Role::Student, now)
        .unwrap();
    assert_eq!(keys.verify(&good, now).unwrap().uid, UserId(7));

    let other = JwtKeys::new(&[2u8; 32], chrono::Duration::hours(1)).unwrap();
    assert!(
        keys.verify(
            &other.issue(UserId(7), "student", Role::Admin, now).unwrap(),
            now
        )
        .is_err(),
        "another key"
    );

    let parts: Vec<&str> = good.split('.').collect();
    let payload = String::from_utf8(b64.decode(parts[1]).unwrap())
        .unwrap()
        .replace("\"student\"", "\"admin\"");
    let tampered = format!(
        "{}.{}.{}",
        parts[0],
        b64.encode(payload.as_bytes()),
        parts[2]
    );
    assert!(keys.verify(&tampered, now).is_err(), "tampered payload");

    let none = format!(
        "{}.{}.",
        b64.encode(br#"{"alg":"none","typ":"JWT"}"#),
        parts[1]
    );
    assert!(keys.verify(&none, now).is_err(), "alg none");

    let expired = JwtKeys::new(&[1u8; 32], chrono::Duration::seconds(-10)).unwrap();
    assert!(
        keys.verify(
            &expired
                .issue(UserId(7), "student", Role::Student, now)
                .unwrap(),
            now
        )
        .is_err(),
        "expired"
    );
}

each_backend! {
    async fn one_canonical_name_for_registration_and_login(t) {
        let owner = shop::accounts::register(&t.db, "student_x", "password123", chrono::Utc::now())
            .await
            .unwrap();
        for twin in ["STUDENT_X", "Student_X", "student_X"] {
            let e = shop::accounts::register(&t.db, twin, "password456", chrono::Utc::now())
                .await
                .unwrap_err();
            assert!(
                matches!(e, ShopError::UsernameTaken),
                "{twin} {}",
                t.backend
            );
            assert_eq!(e.to_string(), "用户名已被注册");
        }
        // Any case logs into the one account; a look-alike or a hostile variant logs into none.
        let a = shop::accounts::login(&t.db, "STUDENT_x", "password123")
            .await
            .unwrap();
        assert_eq!(a.id, owner.id, "{}", t.backend);
        for hostile in [
            "ｓｔｕｄｅｎｔ_ｘ",
            "student_x\0",
            "student_x\t",
            "student\r\n_x",
            "%73tudent_x",
            "%2573tudent_x",
            "",
        ] {
            let e = shop::accounts::login(&t.db, hostile, "password123")
                .await
                .unwrap_err();
            assert!(
                matches!(e, ShopError::BadCredentials),
                "{hostile:?} {}",
                t.backend
            );
        }
        // ensure_user (seeding) sees the canonical name as taken too.
        assert!(
            !shop::accounts::ensure_user(
                &t.db,
                "STUDENT_X",
                "password789",
                Role::Admin,
                chrono::Utc::now()
            )
            .await
            .unwrap()
        );
    }
}

each_backend! {
    async fn names_colliding_before_the_migration_are_kept_and_each_logs_in(t) {
        use migration::MigratorTrait;
        use sea_orm::ConnectionTrait;
        // Back to before the accounts migration (m20261201_000006 and the ones after it).
        let after_accounts = migration::Migrator::migrations()
            .iter()
            .rev()
            .position(|m| m.name() == "m20261201_000006_accounts_hardening")
            .expect("the accounts migration is registered")
            + 1;
        migration::Migrator::down(&t.db, Some(after_accounts as u32))
            .await
            .unwrap();
        for (name, pw) in [
            ("legacy", "password-1"),
            ("LEGACY", "password-2"),
            ("Legacy", "password-3"),
        ] {
            let hash = shop::accounts::password::hash(pw).unwrap();
            let sql = format!(
                r#"INSERT INTO "user" (username, password_hash, role, created_at) VALUES ('{name}', '{hash}', 'student', '2026-01-01 00:00:00+00:00')"#
            );
            t.db.execute_unprepared(&sql).await.unwrap();
        }
        migration::Migrator::up(&t.db, None)
            .await
            .expect("migrates");
        let mut ids = Vec::new();
        for (name, pw) in [
            ("legacy", "password-1"),
            ("LEGACY", "password-2"),
            ("Legacy", "password-3"),
        ] {
            let a = shop::accounts::login(&t.db, name, pw).await.unwrap();
            assert_eq!(a.username, name, "{}", t.backend);
            ids.push(a.id);
        }
        // Another spelling goes to the oldest; no new twin can be registered.
        let a = shop::accounts::login(&t.db, "lEGACY", "password-1")
            .await
            .unwrap();
        assert_eq!(a.id, ids[0]);
        let e = shop::accounts::register(&t.db, "leGacy", "password123", chrono::Utc::now())
            .await
            .unwrap_err();
        assert!(matches!(e, ShopError::UsernameTaken), "{}", t.backend);
    }
}

each_backend! {
    async fn logout_role_and_password_changes_revoke_earlier_tokens(t) {
        use shop::accounts::session;
        let shop = crate::common::fixture::instance(t.db.clone());
        let a = shop::accounts::register(&t.db, "revoked", "password123", chrono::Utc::now())
            .await
            .unwrap();
        let first = session::issue(&shop, &a).unwrap();
        assert_eq!(session::verify(&shop, &first).await.unwrap().uid, a.id);

        // Logout: the token copied before stops working.
        shop::accounts::revoke_sessions(&t.db, a.id).await.unwrap();
        assert!(matches!(
            session::verify(&shop, &first).await,
            Err(ShopError::Unauthenticated)
        ));

        // Promoted, then demoted: the role comes from the database, and the change revokes.
        let a = shop::accounts::login(&t.db, "revoked", "password123")
            .await
            .unwrap();
        let before = session::issue(&shop, &a).unwrap();
        shop::accounts::set_role(&t.db, a.id, Role::Admin)
            .await
            .unwrap();
        assert!(
            session::verify(&shop, &before).await.is_err(),
            "{}",
            t.backend
        );
        let admin = shop::accounts::login(&t.db, "revoked", "password123")
            .await
            .unwrap();
        let admin_token = session::issue(&shop, &admin).unwrap();
        assert_eq!(
            session::verify(&shop, &admin_token).await.unwrap().role,
            Role::Admin
        );
        shop::accounts::set_role(&t.db, a.id, Role::Student)
            .await
            .unwrap();
        assert!(session::verify(&shop, &admin_token).await.is_err());

        // A token whose claims say admin but whose version is current still gets the stored role.
        let now = shop::accounts::account(&t.db, a.id).await.unwrap();
        let forged_role = shop
            .jwt()
            .issue_versioned(
                a.id,
                "revoked",
                Role::Admin,
                now.session_version,
                shop.clock().now(),
            )
            .unwrap();
        assert_eq!(
            session::verify(&shop, &forged_role).await.unwrap().role,
            Role::Student
        );

        // A new password revokes too, and the old one no longer logs in.
        let token = session::issue(&shop, &now).unwrap();
        shop::accounts::set_password(&t.db, a.id, "new-password-456")
            .await
            .unwrap();
        assert!(session::verify(&shop, &token).await.is_err());
        assert!(
            shop::accounts::login(&t.db, "revoked", "password123")
                .await
                .is_err()
        );
        shop::accounts::login(&t.db, "revoked", "new-password-456")
            .await
            .unwrap();

        // Refusals.
        for role in ["root", "", "ADMIN", "admin\0"] {
            assert!(role.parse::<Role>().is_err(), "{role:?}");
        }
        assert!(
            shop::accounts::set_password(&t.db, a.id, "short")
                .await
                .is_err()
        );
        assert!(matches!(
            shop::accounts::set_role(&t.db, UserId(999_999), Role::Admin).await,
            Err(ShopError::NotFound(_))
        ));
        assert!(matches!(
            shop::accounts::revoke_sessions(&t.db, UserId(999_999)).await,
            Err(ShopError::NotFound(_))
        ));
    }
}
