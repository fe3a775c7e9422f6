//! The `ServiceName`s a catalog product covers (docs/import.md §6): a billing line whose SKU the
//! catalog lacks, or that has none, finds its product by its service. A service is covered by
//! one product of a tree at most.

use std::collections::HashMap;

use domain::api::Violations;
use sea_orm::{ActiveModelTrait, ActiveValue::Set, ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QueryOrder};

use crate::entities::product_service::{self, Column, Entity};
use crate::{Scope, StoreError};

/// The most services one product covers.
const MAX_SERVICES: usize = 100;

/// Checks the names as sent: trimmed, filled, at most 256 characters, each once.
pub(crate) fn check(names: &[String]) -> Result<Vec<String>, StoreError> {
    let mut v = Violations::default();
    if names.len() > MAX_SERVICES {
        v.add("service_names", format!("must hold at most {MAX_SERVICES} services"));
    }
    let mut clean: Vec<String> = Vec::with_capacity(names.len());
    for (i, name) in names.iter().enumerate() {
        let field = format!("service_names[{i}]");
        // Counted before trimming, as the spec's maxLength counts.
        let (sent, name) = (name, name.trim());
        if name.is_empty() {
            v.add(&field, "must not be empty");
        } else if sent.chars().count() > 256 || name.contains('\0') {
            v.add(&field, "must be at most 256 characters, without NUL");
        } else if clean.iter().any(|n| n == name) {
            v.add(&field, "is listed twice");
        } else {
            clean.push(name.to_owned());
        }
    }
    v.finish().map_err(StoreError::Invalid)?;
    Ok(clean)
}

/// Makes `names` the whole list of `product`'s services; a service another product covers is
/// refused, naming it.
pub(crate) async fn set(
    db: &impl ConnectionTrait,
    tenant: i64,
    product: i64,
    names: &[String],
) -> Result<(), StoreError> {
    if !names.is_empty() {
        let taken = Entity::find()
            .filter(Column::TenantId.eq(tenant))
            .filter(Column::Service.is_in(names.iter().cloned()))
            .filter(Column::ProductId.ne(product))
            .all(db)
            .await?;
        if !taken.is_empty() {
            let mut v = Violations::default();
            for (i, name) in names.iter().enumerate() {
                if taken.iter().any(|t| &t.service == name) {
                    v.add(&format!("service_names[{i}]"), format!("{name} is covered by another product"));
                }
            }
            return Err(StoreError::Invalid(v.finish().unwrap_err()));
        }
    }
    Entity::delete_many().filter(Column::ProductId.eq(product)).exec(db).await?;
    for name in names {
        product_service::ActiveModel {
            tenant_id: Set(tenant),
            product_id: Set(product),
            service: Set(name.clone()),
            ..Default::default()
        }
        .insert(db)
        .await?;
    }
    Ok(())
}

/// The services of each of `products`, in the order they were set.
pub(crate) async fn of(db: &impl ConnectionTrait, products: &[i64]) -> Result<HashMap<i64, Vec<String>>, StoreError> {
    let mut covered: HashMap<i64, Vec<String>> = HashMap::new();
    if products.is_empty() {
        return Ok(covered);
    }
    let rows = Entity::find()
        .filter(Column::ProductId.is_in(products.iter().copied()))
        .order_by_asc(Column::Id)
        .all(db)
        .await?;
    for row in rows {
        covered.entry(row.product_id).or_default().push(row.service);
    }
    Ok(covered)
}

/// Every covered service of the scope's catalog, with its product.
pub(crate) async fn table(db: &impl ConnectionTrait, scope: &Scope) -> Result<HashMap<String, i64>, StoreError> {
    Ok(Entity::find()
        .filter(Column::TenantId.eq(scope.tenant_id))
        .all(db)
        .await?
        .into_iter()
        .map(|row| (row.service, row.product_id))
        .collect())
}
