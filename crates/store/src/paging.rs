//! Paging, search and sorting of list queries, the same way for every resource.

use domain::api::{ListQuery, Page};
use sea_orm::sea_query::{Expr, ExprTrait, Func, LikeExpr};
use sea_orm::{
    ColumnTrait, Condition, DatabaseConnection, EntityTrait, FromQueryResult, Order, PaginatorTrait, QueryOrder, Select,
};
use std::str::FromStr;

use crate::StoreError;

/// A condition matching `q` case-insensitively anywhere in any of `columns`.
pub fn search<C: ColumnTrait>(q: &str, columns: &[C]) -> Condition {
    let escaped = q.to_lowercase().replace('\\', "\\\\").replace('%', "\\%").replace('_', "\\_");
    let pattern = format!("%{escaped}%");
    columns.iter().fold(Condition::any(), |any, column| {
        any.add(Func::lower(Expr::col(*column)).like(LikeExpr::new(pattern.clone()).escape('\\')))
    })
}

/// Runs `select` for one page, sorted by the requested field then by `id` so pages are stable.
pub async fn fetch_page<E, M>(
    db: &DatabaseConnection,
    mut select: Select<E>,
    query: &ListQuery,
    id: E::Column,
) -> Result<Page<M>, StoreError>
where
    E: EntityTrait<Model = M>,
    M: FromQueryResult + Sized + Send + Sync,
    E::Column: FromStr,
{
    if let Some(sort) = query.sort {
        let column = E::Column::from_str(sort.field)
            .map_err(|_| StoreError::Corrupt(format!("sort field {} has no column", sort.field)))?;
        select = select.order_by(column, if sort.descending { Order::Desc } else { Order::Asc });
    }
    let select = select.order_by(id, Order::Asc);
    let paginator = select.paginate(db, query.per_page);
    let total = paginator.num_items().await?;
    let items = paginator.fetch_page(query.page - 1).await?;
    Ok(Page { items, total, page: query.page, per_page: query.per_page })
}

/// Converts a page of stored rows into wire types.
pub fn convert<M, T>(page: Page<M>, f: impl Fn(M) -> Result<T, StoreError>) -> Result<Page<T>, StoreError> {
    Ok(Page {
        items: page.items.into_iter().map(f).collect::<Result<_, _>>()?,
        total: page.total,
        page: page.page,
        per_page: page.per_page,
    })
}
