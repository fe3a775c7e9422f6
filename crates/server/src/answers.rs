//! Answers of the slow dashboard reads kept while the data they were computed from is unchanged:
//! Insights' views, the Partners console and Home's month's revenue, its accounts' pages and
//! 12-month overview take 5–300 ms at 1M–10M lines (their time is work over every reseller,
//! product or customer in scope), and every user of a tree opens them with the same question
//! each morning.
//!
//! An answer is kept under its question — the endpoint, the caller's scope and every other input
//! of the store's read — with the data's generation read *before* it was computed
//! ([`Store::data_generation`]). It is given again only while the generation reads the same:
//! every commit that changes what the dashboards read (an import, a re-rate, an organisation
//! renamed), from this process or the command line, moves it on, so the next request computes
//! afresh; a login, an API key's use, the usage refresh or a report written leave it. An answer
//! computed while a write commits is kept under the older generation and never given. The
//! answers' sizes (as JSON) are capped in all (`TIERDASH_ANSWER_CACHE_MB`, default 64; 0 keeps
//! none), the oldest going first.

use std::any::Any;
use std::collections::{HashMap, VecDeque};
use std::future::Future;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex};

use serde::Serialize;
use store::{DataGeneration, Store};

/// The largest share of the budget one answer may take.
const LARGEST_SHARE: usize = 8;

/// Kept answers, by question.
#[derive(Debug, Default)]
pub struct Answers {
    /// The most bytes (as JSON) kept in all; 0 keeps nothing.
    budget: usize,
    kept: Mutex<Kept>,
    given: AtomicU64,
    computed: AtomicU64,
}

/// How the answers went since the server started, for `GET /metrics`.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct AnswerStats {
    /// Answers given from those kept.
    pub given: u64,
    /// Answers computed (none kept, or the data changed since).
    pub computed: u64,
    /// Bytes (as JSON) kept now.
    pub bytes: u64,
}

#[derive(Debug, Default)]
struct Kept {
    answers: HashMap<String, Answer>,
    /// Questions, oldest answer first (a question may be listed again when answered again; its
    /// older place is skipped).
    order: VecDeque<(String, u64)>,
    bytes: usize,
    /// Counts answers, to tell a question's latest place in `order`.
    answered: u64,
}

#[derive(Debug)]
struct Answer {
    generation: DataGeneration,
    value: Arc<dyn Any + Send + Sync>,
    bytes: usize,
    answered: u64,
}

impl Answers {
    /// Keeps up to `megabytes` MB of answers.
    pub fn new(megabytes: usize) -> Answers {
        Answers { budget: megabytes.saturating_mul(1_000_000), ..Answers::default() }
    }

    /// How the answers went so far.
    pub fn stats(&self) -> AnswerStats {
        let bytes = self.kept.lock().unwrap_or_else(|e| e.into_inner()).bytes as u64;
        AnswerStats {
            given: self.given.load(Ordering::Relaxed),
            computed: self.computed.load(Ordering::Relaxed),
            bytes,
        }
    }

    /// The answer to `question` while the data is unchanged since it was computed, else
    /// `compute`'s (kept when the generation could be read).
    pub async fn answer<T, E, F>(&self, store: &Store, question: String, compute: F) -> Result<T, E>
    where
        T: Clone + Serialize + Send + Sync + 'static,
        F: Future<Output = Result<T, E>>,
    {
        if self.budget == 0 {
            self.computed.fetch_add(1, Ordering::Relaxed);
            return compute.await;
        }
        // Without a generation nothing is kept or given: the answer is computed, as it would be
        // with no answers kept.
        let generation = store.data_generation().await.inspect_err(|error| {
            tracing::warn!(%error, "the data's generation could not be read; the answer is not kept");
        });
        if let Ok(generation) = generation
            && let Some(value) = self.kept_answer::<T>(&question, generation)
        {
            self.given.fetch_add(1, Ordering::Relaxed);
            return Ok(value);
        }
        let value = compute.await?;
        self.computed.fetch_add(1, Ordering::Relaxed);
        if let Ok(generation) = generation {
            self.keep(question, generation, &value);
        }
        Ok(value)
    }

    fn kept_answer<T: Clone + 'static>(&self, question: &str, generation: DataGeneration) -> Option<T> {
        let value = {
            let kept = self.kept.lock().unwrap_or_else(|e| e.into_inner());
            kept.answers.get(question).filter(|a| a.generation == generation)?.value.clone()
        };
        // Copied outside the lock: a large answer takes a while.
        value.downcast_ref::<T>().cloned()
    }

    fn keep<T: Clone + Serialize + Send + Sync + 'static>(
        &self,
        question: String,
        generation: DataGeneration,
        value: &T,
    ) {
        let Ok(bytes) = serde_json::to_vec(value).map(|json| json.len()) else { return };
        if bytes > self.budget / LARGEST_SHARE {
            return;
        }
        let mut kept = self.kept.lock().unwrap_or_else(|e| e.into_inner());
        kept.answered += 1;
        let answered = kept.answered;
        let answer = Answer { generation, value: Arc::new(value.clone()), bytes, answered };
        if let Some(older) = kept.answers.insert(question.clone(), answer) {
            kept.bytes -= older.bytes;
        }
        kept.bytes += bytes;
        kept.order.push_back((question, answered));
        while kept.bytes > self.budget {
            let Some((oldest, at)) = kept.order.pop_front() else { break };
            if kept.answers.get(&oldest).is_some_and(|a| a.answered == at)
                && let Some(gone) = kept.answers.remove(&oldest)
            {
                kept.bytes -= gone.bytes;
            }
        }
        // Places of answers replaced since pile up only as fast as answers come; drop them when
        // they outnumber the answers.
        if kept.order.len() > 2 * kept.answers.len() + 64 {
            let Kept { answers, order, .. } = &mut *kept;
            order.retain(|(q, at)| answers.get(q).is_some_and(|a| a.answered == *at));
        }
    }
}
