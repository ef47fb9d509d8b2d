//! Answers by kind of notify: `success`, `failure`, anything else, or no answer at all.
use std::collections::BTreeMap;
use std::sync::Mutex;

use super::kind::Kind;

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Answer {
    Success,
    Failure,
    /// Any other status or body (a 500, an HTML page, whitespace...).
    Other,
    /// No HTTP answer (connection refused or reset, timeout).
    Transport,
}

impl Answer {
    pub fn classify(status: u16, body: &str) -> Answer {
        match (status, body) {
            (200, "success") => Answer::Success,
            (200, "failure") => Answer::Failure,
            _ => Answer::Other,
        }
    }

    pub fn name(self) -> &'static str {
        match self {
            Answer::Success => "success",
            Answer::Failure => "failure",
            Answer::Other => "other",
            Answer::Transport => "no answer",
        }
    }
}

/// Counts per (kind, answer), and the first few answers that were wrong.
#[derive(Default)]
pub struct Tally {
    counts: Mutex<BTreeMap<(Kind, Answer), u64>>,
    wrong: Mutex<(u64, Vec<String>)>,
}

impl Tally {
    /// Records one answer; returns whether it was the right one.
    pub fn record(&self, kind: Kind, answer: Answer, detail: impl FnOnce() -> String) -> bool {
        *self
            .counts
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .entry((kind, answer))
            .or_default() += 1;
        let right = answer.name() == kind.expected();
        if !right {
            let mut w = self.wrong.lock().unwrap_or_else(|p| p.into_inner());
            w.0 += 1;
            if w.1.len() < 10 {
                w.1.push(format!("{}: {}", kind.name(), detail()));
            }
        }
        right
    }

    pub fn get(&self, kind: Kind, answer: Answer) -> u64 {
        let c = self.counts.lock().unwrap_or_else(|p| p.into_inner());
        c.get(&(kind, answer)).copied().unwrap_or(0)
    }

    /// Wrong answers and the first few of them.
    pub fn wrong(&self) -> (u64, Vec<String>) {
        self.wrong.lock().unwrap_or_else(|p| p.into_inner()).clone()
    }

    /// A table: one line per kind, one column per answer.
    pub fn print(&self, sent: &std::collections::HashMap<Kind, usize>) {
        let answers = [
            Answer::Success,
            Answer::Failure,
            Answer::Other,
            Answer::Transport,
        ];
        eprintln!(
            "  {:<18} {:>8} {:>9} {:>9} {:>7} {:>9}  expected",
            "kind", "sent", "success", "failure", "other", "no answer"
        );
        for kind in Kind::ALL {
            let n = sent.get(&kind).copied().unwrap_or(0);
            let cols: Vec<String> = answers
                .iter()
                .map(|a| self.get(kind, *a).to_string())
                .collect();
            eprintln!(
                "  {:<18} {:>8} {:>9} {:>9} {:>7} {:>9}  {}",
                kind.name(),
                n,
                cols[0],
                cols[1],
                cols[2],
                cols[3],
                kind.expected()
            );
        }
    }
}
