//! `GET /insights/raw`: the monthly rollup rows of a range in scope as CSV, streamed a batch at
//! a time, so that a 10M-line database's export is never held whole in memory.

use actix_web::http::header;
use actix_web::web::Bytes;
use actix_web::{HttpResponse, get, web};
use domain::api::InsightsQuery;
use domain::roles::{MoneyFields, Permission};
use futures_util::{StreamExt, stream};
use store::dashboards::insights::{self, RAW_HEADER, RawBatch, RawCursor};
use store::{Scope, Store};

use super::insights::range;
use crate::auth::Caller;
use crate::docs::AuthErrors;
use crate::error::ApiError;
use crate::extract::Dated;
use crate::state::AppState;

/// Rows read and sent at a time.
const BATCH: u64 = 5_000;

/// A batch's rows as CSV text.
fn csv_of(rows: &[Vec<String>]) -> Result<Bytes, std::io::Error> {
    let mut out = csv::Writer::from_writer(Vec::new());
    for row in rows {
        out.write_record(row)?;
    }
    out.into_inner().map(Bytes::from).map_err(|e| std::io::Error::other(e.to_string()))
}

/// Where the stream is: a batch read and not yet sent, where to read on from, or the end.
enum Next {
    Send(RawBatch),
    ReadAfter(RawCursor),
    Done,
}

/// Every monthly rollup row of the range in the caller's subtree (month, reseller, customer,
/// product, provider, service, marketplace, charge category, billed and effective USD, units,
/// lines), as CSV, streamed. All of it is money: refused to a role without revenue rights.
#[utoipa::path(
    tag = "dashboards",
    params(InsightsQuery),
    responses((status = 200, description = "The rows as CSV, streamed", content_type = "text/csv", body = String), AuthErrors),
    security(("bearer" = []))
)]
#[get("/insights/raw")]
pub async fn get_raw(
    caller: Caller,
    state: web::Data<AppState>,
    query: Dated<InsightsQuery>,
) -> Result<HttpResponse, ApiError> {
    caller.require(Permission::ViewDashboards)?;
    caller.sees_money(MoneyFields::HomeReports)?;
    let range = range(&query)?;
    let (store, scope): (Store, Scope) = (state.store.clone(), caller.scope);
    // The first batch is read before answering, so that a failure is still a problem answer.
    let first = insights::raw_batch(&store, &scope, &range, RawCursor::default(), BATCH).await?;
    let header =
        csv_of(&[RAW_HEADER.iter().map(|c| c.to_string()).collect()]).map_err(|e| ApiError::Internal(e.into()))?;
    let body = stream::once(async move { Ok::<Bytes, std::io::Error>(header) }).chain(stream::unfold(
        (Next::Send(first), store, scope, range),
        |(next, store, scope, range)| async move {
            match next {
                Next::Done => None,
                Next::Send(batch) => {
                    let then = batch.next.map_or(Next::Done, Next::ReadAfter);
                    Some((csv_of(&batch.rows), (then, store, scope, range)))
                }
                Next::ReadAfter(after) => match insights::raw_batch(&store, &scope, &range, after, BATCH).await {
                    Ok(batch) => {
                        let then = batch.next.map_or(Next::Done, Next::ReadAfter);
                        Some((csv_of(&batch.rows), (then, store, scope, range)))
                    }
                    // The answer has begun: the error ends it early, and the client sees a cut.
                    Err(e) => Some((Err(std::io::Error::other(e.to_string())), (Next::Done, store, scope, range))),
                },
            }
        },
    ));
    let file = format!("attachment; filename=\"insights-raw-{}.csv\"", query.as_of);
    Ok(HttpResponse::Ok()
        .content_type("text/csv; charset=utf-8")
        .insert_header((header::CONTENT_DISPOSITION, file))
        .streaming(body))
}
