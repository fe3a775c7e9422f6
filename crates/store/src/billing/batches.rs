//! Import batches: the scoped history of imports.

use domain::api::{ImportBatch, ListQuery, Page};
use sea_orm::{ColumnTrait, EntityTrait, QueryFilter};

use super::import::to_wire;
use crate::entities::import_batch::{Column, Entity};
use crate::{Scope, Store, StoreError, paging};

/// Completed imports by organisations in scope.
pub async fn list(store: &Store, scope: &Scope, query: &ListQuery) -> Result<Page<ImportBatch>, StoreError> {
    let mut select = Entity::find().filter(scope.owns(Column::OrgId)).filter(Column::Status.eq("completed"));
    if let Some(q) = &query.q {
        select = select.filter(paging::search(q, &[Column::FileName, Column::Sha256]));
    }
    let page = paging::fetch_page(store.db(), select, query, Column::Id).await?;
    paging::convert(page, |m| Ok(to_wire(m)))
}

/// One import in scope.
pub async fn get(store: &Store, scope: &Scope, id: i64) -> Result<ImportBatch, StoreError> {
    Entity::find_by_id(id)
        .filter(scope.owns(Column::OrgId))
        .one(store.db())
        .await?
        .map(to_wire)
        .ok_or(StoreError::NotFound)
}
