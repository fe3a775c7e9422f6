//! Import batches: the scoped history of imports.

use domain::api::{ImportBatch, ImportStatus, ListQuery, Page};
use sea_orm::{ColumnTrait, EntityTrait, QueryFilter};

use crate::entities::import_batch::{self, Column, Entity};
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

/// An import batch as the API describes it.
pub(crate) fn to_wire(m: import_batch::Model) -> ImportBatch {
    ImportBatch {
        id: m.id,
        status: if m.status == "completed" { ImportStatus::Completed } else { ImportStatus::DryRun },
        file_name: m.file_name,
        sha256: m.sha256,
        rows_total: m.rows_total.max(0) as u64,
        rows_rated: m.rows_rated.max(0) as u64,
        rows_unrated: m.rows_unrated.max(0) as u64,
        rows_replaced: m.rows_replaced.max(0) as u64,
        created_at: m.created_at,
        completed_at: m.completed_at,
    }
}
