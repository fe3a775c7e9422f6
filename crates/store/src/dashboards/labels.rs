//! What a dashboard's list shows of the organisations it names (customers in a breakdown or an
//! issue list, resellers beside them), read by id in chunks: the few columns a list shows, since
//! whole rows of thousands of organisations crossing the driver cost more than the list.

use std::collections::{BTreeSet, HashMap};

use sea_orm::{ColumnTrait, EntityTrait, QueryFilter, QuerySelect};

use crate::entities::organization::{Column, Entity};
use crate::{Store, StoreError};

/// The most ids in one statement's `IN` list.
const CHUNK: usize = 500;

/// An organisation as a list names it.
#[derive(Debug, Clone, Default)]
pub(crate) struct Label {
    pub(crate) name: String,
    pub(crate) external_id: Option<String>,
    pub(crate) parent_id: Option<i64>,
    pub(crate) domain: Option<String>,
}

/// The labels of `ids` (repeats read once); an id with no organisation is left out.
pub(crate) async fn labels_by_id(
    store: &Store,
    ids: impl Iterator<Item = i64>,
) -> Result<HashMap<i64, Label>, StoreError> {
    let ids: Vec<i64> = ids.collect::<BTreeSet<i64>>().into_iter().collect();
    let mut found = HashMap::with_capacity(ids.len());
    for chunk in ids.chunks(CHUNK) {
        let rows = Entity::find()
            .select_only()
            .columns([Column::Id, Column::Name, Column::ExternalId, Column::ParentId, Column::Domain])
            .filter(Column::Id.is_in(chunk.to_vec()))
            .into_tuple::<(i64, String, Option<String>, Option<i64>, Option<String>)>()
            .all(store.db())
            .await?;
        found
            .extend(rows.into_iter().map(|(id, name, external_id, parent_id, domain)| {
                (id, Label { name, external_id, parent_id, domain })
            }));
    }
    Ok(found)
}
