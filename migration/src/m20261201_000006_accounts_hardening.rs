use sea_orm_migration::prelude::*;

use crate::m20261127_000002_users::User;

/// Accounts hardening: one canonical form per username, a session version that revokes tokens,
/// and login-attempt counters shared by every instance.
///
/// `user.username_key` is the name in ASCII lower case, unique. Existing rows keep their names; if
/// two existing names fold to the same key, the oldest account (lowest id) gets the plain key and
/// each later one gets `key#id`, which no canonical name can equal: those accounts still log in
/// with their exact name, and no new account can take any of these names.
#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum Accounts {
    UsernameKey,
    SessionVersion,
}

#[derive(DeriveIden)]
enum LoginAttempt {
    Table,
    Key,
    Count,
    FirstAt,
}

const KEY_INDEX: &str = "idx_user_username_key";
const ATTEMPT_AGE_INDEX: &str = "idx_login_attempt_first_at";

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        // One column per ALTER: SQLite allows a single change per statement.
        let columns = [
            ColumnDef::new(Accounts::UsernameKey)
                .string_len(48)
                .not_null()
                .default("")
                .to_owned(),
            ColumnDef::new(Accounts::SessionVersion)
                .integer()
                .not_null()
                .default(0)
                .to_owned(),
        ];
        for mut col in columns {
            m.alter_table(
                Table::alter()
                    .table(User::Table)
                    .add_column(&mut col)
                    .to_owned(),
            )
            .await?;
        }
        let db = m.get_connection();
        // Usernames are ASCII letters, digits, `_` and CJK: lower() folds exactly the ASCII part
        // on both backends.
        db.execute_unprepared(r#"UPDATE "user" SET username_key = lower(username)"#)
            .await?;
        db.execute_unprepared(
            r#"UPDATE "user" SET username_key = username_key || '#' || CAST(id AS TEXT)
               WHERE id > (SELECT MIN(u2.id) FROM "user" u2 WHERE u2.username_key = "user".username_key)"#,
        )
        .await?;
        m.create_index(
            Index::create()
                .name(KEY_INDEX)
                .table(User::Table)
                .col(Accounts::UsernameKey)
                .unique()
                .to_owned(),
        )
        .await?;
        m.create_table(
            Table::create()
                .table(LoginAttempt::Table)
                .if_not_exists()
                .col(
                    ColumnDef::new(LoginAttempt::Key)
                        .string_len(128)
                        .not_null()
                        .primary_key(),
                )
                .col(ColumnDef::new(LoginAttempt::Count).integer().not_null())
                .col(
                    ColumnDef::new(LoginAttempt::FirstAt)
                        .big_integer()
                        .not_null(),
                )
                .to_owned(),
        )
        .await?;
        m.create_index(
            Index::create()
                .name(ATTEMPT_AGE_INDEX)
                .table(LoginAttempt::Table)
                .col(LoginAttempt::FirstAt)
                .to_owned(),
        )
        .await
    }

    async fn down(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.drop_table(Table::drop().table(LoginAttempt::Table).to_owned())
            .await?;
        m.drop_index(Index::drop().name(KEY_INDEX).table(User::Table).to_owned())
            .await?;
        for col in [Accounts::UsernameKey, Accounts::SessionVersion] {
            m.alter_table(
                Table::alter()
                    .table(User::Table)
                    .drop_column(col)
                    .to_owned(),
            )
            .await?;
        }
        Ok(())
    }
}
