//! Answers of the dashboard and usage reads kept while the data they were computed from is
//! unchanged: Home and its reports, the Partners console and its lists and Insights' views take
//! 1–300 ms at 1M–10M lines (the slow ones' time is work over every reseller, product or customer
//! in scope), the usage pages a few milliseconds, and every user of a tree opens them with the
//! same question each morning.
//!
//! An answer is kept under its question — the endpoint, the caller's scope and every other input
//! of the store's read — with the generations read *before* it was computed
//! ([`Store::generations`]). It is given again only while they read the same: every commit that
//! changes what the dashboards read (an import, a re-rate, an organisation renamed), from this
//! process or the command line, moves the data's on; a login or an API key's use leave it, and
//! the usage refresh or a report written move only the usage's, which the usage pages' answers
//! follow besides the data's ([`View`]). An answer computed while a write commits is kept under
//! the older generations and never given. The answers' sizes (as JSON) are capped in all
//! (`TIERDASH_ANSWER_CACHE_MB`, default 64; 0 keeps none), the oldest going first.
//!
//! When the generation moves, the questions asked in the last day are answered again in the
//! background ([`Answers::refresh`], most recently asked first), so that the morning after the
//! night's imports finds its answers ready rather than the first user of each view waiting for
//! it to be computed. A refresh stops as soon as the generation moves again (the next file of a
//! series of imports) and starts over at the next look.

use std::any::Any;
use std::collections::{HashMap, VecDeque};
use std::fmt;
use std::future::Future;
use std::pin::Pin;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use actix_web::body::BoxBody;
use actix_web::http::header::ContentType;
use actix_web::web::Bytes;
use actix_web::{HttpRequest, HttpResponse, Responder};
use serde::Serialize;
use store::{DataGeneration, Generations, Scope, Store, StoreError, UsageGeneration};

/// The largest share of the budget one answer may take.
const LARGEST_SHARE: usize = 8;

/// How often the generation is looked at for a refresh.
pub const REFRESH_EVERY: Duration = Duration::from_secs(1);

/// Questions asked longer ago than this are not answered again ahead of being asked.
const REFRESH_ASKED_WITHIN: Duration = Duration::from_secs(24 * 3600);

/// The most questions one refresh answers again (the most recently asked).
const REFRESH_AT_MOST: usize = 256;

/// Kept answers, by question.
#[derive(Debug, Default)]
pub struct Answers {
    /// The most bytes (as JSON) kept in all; 0 keeps nothing.
    budget: usize,
    kept: Mutex<Kept>,
    given: AtomicU64,
    computed: AtomicU64,
    refreshed: AtomicU64,
}

/// How the answers went since the server started, for `GET /metrics`.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct AnswerStats {
    /// Answers given from those kept.
    pub given: u64,
    /// Answers computed for a request (none kept, or the data changed since).
    pub computed: u64,
    /// Answers computed again in the background after the data changed.
    pub refreshed: u64,
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

/// A computed answer, as kept.
struct Computed {
    value: Arc<dyn Any + Send + Sync>,
    bytes: usize,
}

/// A computation of an answer, as a refresh awaits it.
type Computing = Pin<Box<dyn Future<Output = Option<Computed>> + Send>>;

/// Computes a question's answer again, for a refresh.
#[derive(Clone)]
struct Again(Arc<dyn Fn() -> Computing + Send + Sync>);

impl fmt::Debug for Again {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("Again")
    }
}

/// A view whose answers are kept: its name (the first part of its questions) and what it reads.
#[derive(Debug, Clone, Copy)]
pub struct View {
    name: &'static str,
    reads: Reads,
}

impl View {
    /// A usage page: it reads the usage snapshot, its refreshes and the reports besides the
    /// dashboards' data, and its answers last while neither changes.
    pub fn usage(name: &'static str) -> View {
        View { name, reads: Reads::Usage }
    }
}

/// A dashboard's view, by its name.
impl From<&'static str> for View {
    fn from(name: &'static str) -> View {
        View { name, reads: Reads::Dashboards }
    }
}

/// What a view's answer is computed from, and so which generations it lasts while.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Reads {
    /// The dashboards' data: the data's generation.
    Dashboards,
    /// The usage snapshot, refreshes and reports besides it: both generations.
    Usage,
}

impl Reads {
    /// What of `now` an answer of these reads is kept under.
    fn stamp(self, now: Generations) -> Stamp {
        Stamp { data: now.data, usage: (self == Reads::Usage).then_some(now.usage) }
    }
}

/// The generations an answer was computed at, as far as it reads them.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct Stamp {
    data: DataGeneration,
    usage: Option<UsageGeneration>,
}

struct Answer {
    reads: Reads,
    stamp: Stamp,
    value: Arc<dyn Any + Send + Sync>,
    bytes: usize,
    answered: u64,
    /// When the question was last asked (a refresh leaves it).
    asked: Instant,
    again: Again,
}

impl fmt::Debug for Answer {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Answer").field("stamp", &self.stamp).field("bytes", &self.bytes).finish()
    }
}

/// An answer as the JSON a client receives. A route that sends its answer whole keeps these bytes
/// rather than the value ([`Answers::answer_json`]): a kept answer is then sent as it is, neither
/// copied out of the cache nor written as JSON again for each request.
#[derive(Debug, Clone)]
pub struct JsonAnswer(Bytes);

impl Responder for JsonAnswer {
    type Body = BoxBody;

    fn respond_to(self, _: &HttpRequest) -> HttpResponse {
        HttpResponse::Ok().content_type(ContentType::json()).body(self.0)
    }
}

/// The form a route takes an answer in: as given when nothing is kept, and as kept, with its size
/// as JSON (the budget's measure).
struct Form<T, A> {
    given: fn(T) -> Result<A, StoreError>,
    kept: fn(T) -> Result<(A, usize), StoreError>,
}

/// The value itself, measured as JSON only when kept (not held as JSON).
fn as_value<T: Serialize>() -> Form<T, T> {
    Form {
        given: Ok,
        kept: |value| {
            let mut size = JsonSize(0);
            serde_json::to_writer(&mut size, &value).map_err(unwritable)?;
            Ok((value, size.0))
        },
    }
}

/// The value written as JSON.
fn as_json<T: Serialize>() -> Form<T, JsonAnswer> {
    fn written<T: Serialize>(value: T) -> Result<(JsonAnswer, usize), StoreError> {
        let json = serde_json::to_vec(&value).map_err(unwritable)?;
        let bytes = json.len();
        Ok((JsonAnswer(Bytes::from(json)), bytes))
    }
    Form { given: |value| Ok(written(value)?.0), kept: written }
}

/// An answer that cannot be written as JSON: a fault of the server's types, never of a request.
fn unwritable(error: serde_json::Error) -> StoreError {
    StoreError::Corrupt(format!("an answer could not be written as JSON: {error}"))
}

/// Counts the bytes written to it: an answer's size as JSON, without holding its JSON (a large
/// answer's would be as large again, only to be measured).
struct JsonSize(usize);

impl std::io::Write for JsonSize {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        self.0 += buf.len();
        Ok(buf.len())
    }

    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

impl Answers {
    /// Keeps up to `megabytes` MB of answers.
    pub fn new(megabytes: usize) -> Answers {
        Answers { budget: megabytes.saturating_mul(1_000_000), ..Answers::default() }
    }

    /// Whether answers are kept at all.
    pub fn keeps(&self) -> bool {
        self.budget > 0
    }

    /// How the answers went so far.
    pub fn stats(&self) -> AnswerStats {
        let bytes = self.lock().bytes as u64;
        AnswerStats {
            given: self.given.load(Ordering::Relaxed),
            computed: self.computed.load(Ordering::Relaxed),
            refreshed: self.refreshed.load(Ordering::Relaxed),
            bytes,
        }
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, Kept> {
        self.kept.lock().unwrap_or_else(|e| e.into_inner())
    }

    /// The answer of `view` asked with `inputs` by a caller of `scope`, while what the view reads
    /// is unchanged since it was computed, else `compute`'s, kept when the generations could be
    /// read. The question is the view, the scope and the inputs, and `compute` is given nothing
    /// else: a plain function (a closure that captures nothing), it cannot depend on an input the
    /// question leaves out. A refresh calls it again later with its own store. A view named by
    /// its text alone is a dashboard's ([`View::usage`] for a usage page).
    ///
    /// For a route that takes something out of the answer; one that sends it whole asks
    /// [`Answers::answer_json`].
    pub async fn answer<P, T, Fut>(
        &self,
        store: &Store,
        scope: &Scope,
        view: impl Into<View>,
        inputs: P,
        compute: fn(Store, Scope, P) -> Fut,
    ) -> Result<T, StoreError>
    where
        P: fmt::Debug + Clone + Send + Sync + 'static,
        T: Clone + Serialize + Send + Sync + 'static,
        Fut: Future<Output = Result<T, StoreError>> + Send + 'static,
    {
        self.answer_as(store, scope, view.into(), inputs, compute, as_value()).await
    }

    /// [`Answers::answer`], kept and given as the JSON the route sends.
    pub async fn answer_json<P, T, Fut>(
        &self,
        store: &Store,
        scope: &Scope,
        view: impl Into<View>,
        inputs: P,
        compute: fn(Store, Scope, P) -> Fut,
    ) -> Result<JsonAnswer, StoreError>
    where
        P: fmt::Debug + Clone + Send + Sync + 'static,
        T: Serialize + Send + Sync + 'static,
        Fut: Future<Output = Result<T, StoreError>> + Send + 'static,
    {
        self.answer_as(store, scope, view.into(), inputs, compute, as_json()).await
    }

    /// An answer kept in the form `form` gives it.
    async fn answer_as<P, T, A, Fut>(
        &self,
        store: &Store,
        scope: &Scope,
        View { name: view, reads }: View,
        inputs: P,
        compute: fn(Store, Scope, P) -> Fut,
        form: Form<T, A>,
    ) -> Result<A, StoreError>
    where
        P: fmt::Debug + Clone + Send + Sync + 'static,
        T: Send + 'static,
        A: Clone + Send + Sync + 'static,
        Fut: Future<Output = Result<T, StoreError>> + Send + 'static,
    {
        let question = format!("{view} {:?}", (scope, &inputs));
        if !self.keeps() {
            self.computed.fetch_add(1, Ordering::Relaxed);
            return (form.given)(compute(store.clone(), *scope, inputs).await?);
        }
        // Without the generations nothing is kept or given: the answer is computed, as it would
        // be with no answers kept.
        let stamp = store.generations().await.map(|now| reads.stamp(now)).inspect_err(|error| {
            tracing::warn!(%error, "the generations could not be read; the answer is not kept");
        });
        if let Ok(stamp) = stamp
            && let Some(value) = self.kept_answer::<A>(&question, stamp)
        {
            self.given.fetch_add(1, Ordering::Relaxed);
            return Ok(value);
        }
        let (value, bytes) = (form.kept)(compute(store.clone(), *scope, inputs.clone()).await?)?;
        self.computed.fetch_add(1, Ordering::Relaxed);
        if let Ok(stamp) = stamp {
            let (store, scope) = (store.clone(), *scope);
            let kept_form = form.kept;
            let again = Again(Arc::new(move || {
                let answer = compute(store.clone(), scope, inputs.clone());
                Box::pin(async move {
                    let (value, bytes) = kept_form(answer.await.ok()?).ok()?;
                    Some(Computed { value: Arc::new(value), bytes })
                })
            }));
            let kept = Computed { value: Arc::new(value.clone()), bytes };
            self.keep(question, (reads, stamp), kept, again, Instant::now());
        }
        Ok(value)
    }

    fn kept_answer<T: Clone + 'static>(&self, question: &str, stamp: Stamp) -> Option<T> {
        let value = {
            let mut kept = self.lock();
            let answer = kept.answers.get_mut(question).filter(|a| a.stamp == stamp)?;
            answer.asked = Instant::now();
            answer.value.clone()
        };
        // Copied outside the lock: a large answer takes a while.
        value.downcast_ref::<T>().cloned()
    }

    fn keep(&self, question: String, (reads, stamp): (Reads, Stamp), computed: Computed, again: Again, asked: Instant) {
        let Computed { value, bytes } = computed;
        if bytes > self.budget / LARGEST_SHARE {
            return;
        }
        let mut kept = self.lock();
        kept.answered += 1;
        let answered = kept.answered;
        let answer = Answer { reads, stamp, value, bytes, answered, asked, again };
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

    /// Answers again, one at a time, the questions asked in the last day whose kept answer is of
    /// older generations than `now` (most recently asked first), while the generations read
    /// `now`. Returns how many it answered.
    pub async fn refresh(&self, store: &Store, now: Generations) -> usize {
        let mut stale: Vec<(String, Instant, Reads, Again)> = self
            .lock()
            .answers
            .iter()
            .filter(|(_, a)| a.stamp != a.reads.stamp(now) && a.asked.elapsed() < REFRESH_ASKED_WITHIN)
            .map(|(question, a)| (question.clone(), a.asked, a.reads, a.again.clone()))
            .collect();
        stale.sort_by_key(|(_, asked, _, _)| std::cmp::Reverse(*asked));
        let mut refreshed = 0;
        for (question, asked, reads, again) in stale.into_iter().take(REFRESH_AT_MOST) {
            // A generation moved again: this round's answers would be of the past.
            if store.generations().await.ok() != Some(now) {
                break;
            }
            let Some(computed) = (again.0)().await else { continue };
            self.keep(question, (reads, reads.stamp(now)), computed, again, asked);
            self.refreshed.fetch_add(1, Ordering::Relaxed);
            refreshed += 1;
        }
        refreshed
    }

    /// Looks at the generations every [`REFRESH_EVERY`] and refreshes the kept answers when one
    /// moved; runs until the process ends.
    pub async fn keep_refreshing(self: Arc<Self>, store: Store) {
        let mut refreshed_for = None;
        let mut tick = tokio::time::interval(REFRESH_EVERY);
        tick.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
        loop {
            tick.tick().await;
            let Ok(generation) = store.generations().await else { continue };
            if refreshed_for == Some(generation) {
                continue;
            }
            let answered = self.refresh(&store, generation).await;
            if answered > 0 {
                tracing::info!(answered, "kept dashboard answers computed again after the data changed");
            }
            // Only a round the generation did not interrupt is done with it.
            if store.generations().await.ok() == Some(generation) {
                refreshed_for = Some(generation);
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use std::collections::BTreeMap;

    use super::*;

    /// The budget counts an answer's bytes as JSON, as a client receives them (escapes and
    /// multi-byte characters included).
    #[test]
    fn an_answer_is_measured_as_its_json() {
        let value: BTreeMap<String, Vec<i64>> =
            [("Zürich \"Nord\"".to_owned(), vec![1, -20, 300]), ("tab\there".to_owned(), vec![])].into();
        let (kept, bytes) = (as_value().kept)(value.clone()).expect("written as JSON");
        assert_eq!(bytes, serde_json::to_vec(&value).unwrap().len());
        assert_eq!(kept, value);
        let (json, json_bytes) = (as_json().kept)(value.clone()).expect("written as JSON");
        assert_eq!((json.0.as_ref(), json_bytes), (serde_json::to_vec(&value).unwrap().as_slice(), bytes));
    }

    /// Computations of [`counted`], for the test below.
    static COMPUTED: AtomicU64 = AtomicU64::new(0);

    async fn counted(_: Store, _: Scope, n: u64) -> Result<Vec<u64>, StoreError> {
        COMPUTED.fetch_add(1, Ordering::Relaxed);
        Ok(vec![n; 3])
    }

    /// A kept answer asked as JSON is sent as the bytes written when it was computed, not written
    /// again for each request.
    #[tokio::test]
    async fn a_kept_json_answer_is_given_as_the_bytes_first_written() {
        let store = Store::connect("sqlite::memory:").await.unwrap();
        store.migrate().await.unwrap();
        let scope = Scope { org_id: 1, kind: domain::kinds::OrgKind::Distributor, tenant_id: 1 };
        let answers = Answers::new(1);
        let first = answers.answer_json(&store, &scope, "counted", 7, counted).await.unwrap();
        let again = answers.answer_json(&store, &scope, "counted", 7, counted).await.unwrap();
        assert_eq!(first.0.as_ref(), b"[7,7,7]");
        assert_eq!(COMPUTED.load(Ordering::Relaxed), 1, "computed once");
        assert_eq!(again.0.as_ptr(), first.0.as_ptr(), "the same bytes, not written again");
        let other = answers.answer_json(&store, &scope, "counted", 8, counted).await.unwrap();
        assert_eq!((other.0.as_ref(), COMPUTED.load(Ordering::Relaxed)), (b"[8,8,8]".as_slice(), 2));
    }
}
