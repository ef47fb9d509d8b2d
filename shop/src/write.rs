//! Write transactions: queued in process on SQLite, then locked in the database.
//!
//! SQLite lets one writer at a time hold the database; a second `BEGIN IMMEDIATE` waits in SQLite's
//! busy handler, which polls with sleeps of 1, 2, 5 ... 100 ms. Under load those sleeps, not the
//! work, set the latency tail. So on SQLite every write of this instance first takes its turn on a
//! fair in-process queue ([`WriteGate`]) and only then opens its transaction: writers commit back
//! to back and the busy handler is left for other processes on the same file.
//!
//! The gate is an optimisation only. Correctness still rests on the database: `BEGIN IMMEDIATE` on
//! SQLite, `SELECT ... FOR UPDATE` on PostgreSQL and updates conditional on the status they were
//! decided from, so several instances sharing one database stay safe. PostgreSQL has no gate.
use sea_orm::{
    DatabaseConnection, DatabaseTransaction, DbBackend, DbErr, SqliteTransactionMode,
    TransactionOptions, TransactionTrait,
};
use tokio::sync::{Mutex, MutexGuard};

/// The in-process queue of SQLite writers (empty on PostgreSQL).
pub(crate) struct WriteGate(Option<Mutex<()>>);

/// This writer's turn: while held, no other write of this instance runs.
pub(crate) type Turn<'a> = Option<MutexGuard<'a, ()>>;

impl WriteGate {
    /// A gate for `db`'s backend: a FIFO lock on SQLite, nothing elsewhere.
    pub(crate) fn for_db(db: &DatabaseConnection) -> WriteGate {
        match db.get_database_backend() {
            DbBackend::Sqlite => WriteGate(Some(Mutex::new(()))),
            _ => WriteGate(None),
        }
    }

    /// Waits for this writer's turn (at once on PostgreSQL).
    pub(crate) async fn turn(&self) -> Turn<'_> {
        match &self.0 {
            Some(m) => Some(m.lock().await),
            None => None,
        }
    }
}

/// A write transaction that holds the writer's turn until it commits or is dropped.
pub(crate) struct WriteTxn<'a> {
    // Field order matters: the transaction is dropped (rolled back) before the turn is released.
    txn: DatabaseTransaction,
    turn: Turn<'a>,
}

impl<'a> WriteTxn<'a> {
    /// Takes the turn, then begins (`BEGIN IMMEDIATE` on SQLite: the database write lock is taken
    /// at the start, so a transaction never fails half-way on a lock upgrade).
    pub(crate) async fn begin(
        gate: &'a WriteGate,
        db: &DatabaseConnection,
    ) -> Result<WriteTxn<'a>, DbErr> {
        let turn = gate.turn().await;
        let txn = db
            .begin_with_options(TransactionOptions {
                sqlite_transaction_mode: Some(SqliteTransactionMode::Immediate),
                ..Default::default()
            })
            .await?;
        Ok(WriteTxn { txn, turn })
    }

    /// The transaction to run statements on.
    pub(crate) fn conn(&self) -> &DatabaseTransaction {
        &self.txn
    }

    /// Commits, then lets the next writer in.
    pub(crate) async fn commit(self) -> Result<(), DbErr> {
        let WriteTxn { txn, turn } = self;
        let done = txn.commit().await;
        drop(turn);
        done
    }
}
