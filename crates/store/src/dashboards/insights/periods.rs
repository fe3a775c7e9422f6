//! The subscriptions in scope whose period overlaps a stretch of days, as every Insights view
//! that counts running subscriptions or active resellers reads them (R6: only the dates decide).
//! Read packed (`dashboards/packed.rs`): one row of a few long texts crosses the driver instead
//! of one row per subscription.

use chrono::NaiveDate;
use sea_orm::{Condition, EntityTrait, QueryFilter, QuerySelect};

use crate::dashboards::packed::{packed, unpacked};
use crate::entities::subscription;
use crate::{Scope, Store, StoreError};

/// A subscription's ids, quantity and period.
pub(super) struct Period {
    pub product_id: i64,
    pub customer_id: i64,
    pub reseller_id: i64,
    pub quantity: i64,
    pub start: NaiveDate,
    pub end: Option<NaiveDate>,
}

/// The subscriptions in scope started by `until` and not ended before `first`.
pub(super) async fn periods(
    store: &Store,
    scope: &Scope,
    first: NaiveDate,
    until: NaiveDate,
) -> Result<Vec<Period>, StoreError> {
    use sea_orm::ColumnTrait;
    use subscription::Column;
    let backend = store.db().get_database_backend();
    // An open end is packed as an empty value: the aggregates skip NULLs, which would shift the
    // ends against the other columns.
    let end = match backend {
        sea_orm::DbBackend::Postgres => "COALESCE(end_date::text, '')",
        _ => "COALESCE(end_date, '')",
    };
    let packed_row = subscription::Entity::find()
        .select_only()
        .expr_as(packed(backend, "product_id"), "products")
        .expr_as(packed(backend, "customer_id"), "customers")
        .expr_as(packed(backend, "reseller_id"), "resellers")
        .expr_as(packed(backend, "quantity"), "quantities")
        .expr_as(packed(backend, "start_date"), "starts")
        .expr_as(packed(backend, end), "ends")
        .filter(scope.subscriptions())
        .filter(Column::StartDate.lte(until))
        .filter(Condition::any().add(Column::EndDate.is_null()).add(Column::EndDate.gte(first)))
        .into_tuple::<(Option<String>, Option<String>, Option<String>, Option<String>, Option<String>, Option<String>)>(
        )
        .one(store.db())
        .await?;
    let Some((Some(products), Some(customers), Some(resellers), Some(quantities), Some(starts), Some(ends))) =
        packed_row
    else {
        return Ok(Vec::new());
    };
    let what = "subscription periods";
    let corrupt = || StoreError::Corrupt(what.to_owned());
    let id = |v: &str| v.parse::<i64>().map_err(|_| corrupt());
    let day = |v: &str| v.parse::<NaiveDate>().map_err(|_| corrupt());
    let columns = [products.as_str(), &customers, &resellers, &quantities, &starts, &ends];
    unpacked(columns, what)?
        .into_iter()
        .map(|[product, customer, reseller, quantity, start, end]| {
            Ok(Period {
                product_id: id(product)?,
                customer_id: id(customer)?,
                reseller_id: id(reseller)?,
                quantity: id(quantity)?,
                start: day(start)?,
                end: if end.is_empty() { None } else { Some(day(end)?) },
            })
        })
        .collect()
}
