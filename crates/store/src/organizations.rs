//! Resellers and customers: scoped list, get, create and update.

use domain::api::{
    ListQuery, NewOrganization, Organization, OrganizationFilter, OrganizationPatch, Page, check_organization_fields,
};
use domain::codes::{CountryCode, CurrencyCode};
use domain::kinds::{AgreementStatus, OnboardingStage, OrgKind, OrgStatus, VettingStatus};
use sea_orm::{
    ActiveModelTrait, ActiveValue::Set, ColumnTrait, Condition, DatabaseTransaction, EntityTrait, IntoActiveModel,
    QueryFilter,
};

use crate::billing;
use crate::billing::issues::rerate_in;
use crate::entities::organization::{self, Column, Entity};
use crate::entities::subscription;
use crate::{Scope, Store, StoreError, clock, paging, rollups, stored};
use sea_orm::sea_query::Query;

/// Organisations in scope, filtered, searched by name, external id and domain.
pub async fn list(
    store: &Store,
    scope: &Scope,
    filter: &OrganizationFilter,
    query: &ListQuery,
) -> Result<Page<Organization>, StoreError> {
    let mut select = Entity::find().filter(scope.organizations());
    if let Some(kind) = filter.kind {
        select = select.filter(Column::Kind.eq(kind.as_str()));
    }
    if let Some(parent_id) = filter.parent_id {
        select = select.filter(Column::ParentId.eq(parent_id));
    }
    if let Some(external_id) = &filter.external_id {
        select = select.filter(Column::ExternalId.eq(external_id.trim()));
    }
    if let Some(status) = filter.status {
        select = select.filter(Column::Status.eq(status.as_str()));
    }
    if let Some(segment) = filter.segment {
        select = select.filter(Column::Segment.eq(segment.as_str()));
    }
    if let Some(stage) = filter.onboarding_stage {
        select = select.filter(Column::OnboardingStage.eq(stage.as_str()));
    }
    if let Some(as_of) = filter.as_of {
        select = select.filter(crate::dashboards::partners::counted_on(as_of.day()));
    }
    if let Some(status) = filter.license_status {
        // The Partners console's licence tiles count these (docs/metrics.md §8).
        let by = filter.as_of.map_or_else(|| clock::now().date_naive(), |d| d.day());
        let holders = Query::select()
            .column(subscription::Column::CustomerId)
            .from(subscription::Entity)
            .and_where(subscription::Column::TenantId.eq(scope.tenant_id))
            .and_where(subscription::Column::LicenseStatus.eq(status.as_str()))
            .and_where(subscription::Column::StartDate.lte(by))
            .to_owned();
        select = select.filter(Column::Kind.eq(OrgKind::Customer.as_str())).filter(Column::Id.in_subquery(holders));
    }
    if let Some(q) = &query.q {
        select = select.filter(matching(store, q));
    }
    let page = paging::fetch_page(store.db(), select, query, Column::Id).await?;
    let mut page = paging::convert(page, to_wire)?;
    name_parents(store, scope, &mut page.items).await?;
    Ok(page)
}

/// Organisations whose name, external id or domain holds `q`, any case. On SQLite a `q` of three
/// characters or more is looked up in the trigram index of migration
/// `m20261202_000004_index_organization_search` instead of reading every organisation of the
/// tree (shorter ones have no trigram); on PostgreSQL the trigram indexes serve the `LIKE` itself.
pub(crate) fn matching(store: &Store, q: &str) -> Condition {
    use sea_orm::sea_query::Expr;
    let q = q.trim();
    if store.db().get_database_backend() == sea_orm::DbBackend::Sqlite && q.chars().count() >= 3 {
        // One FTS5 phrase: the text as it is, any `"` doubled.
        let phrase = format!("\"{}\"", q.replace('"', "\"\""));
        let ids = "\"organizations\".\"id\" IN \
                   (SELECT rowid FROM organization_search WHERE organization_search MATCH ?)";
        return Condition::all().add(Expr::cust_with_values(ids, [phrase]));
    }
    paging::search(q, &[Column::Name, Column::ExternalId, Column::Domain])
}

/// The organisations in scope whose name, external id or domain holds `q` (any case), best
/// first: an exact name, id or domain, then one that starts with `q`, then the rest, each by
/// name; the caller's own organisation is left out (the console's search is for partners and
/// customers).
pub async fn search(
    store: &Store,
    scope: &Scope,
    q: &str,
    page: u64,
    per_page: u64,
) -> Result<Page<Organization>, StoreError> {
    use sea_orm::sea_query::{CaseStatement, Expr, ExprTrait, Func, LikeExpr};
    use sea_orm::{Order, PaginatorTrait, QueryOrder};
    let q = q.trim().to_lowercase();
    let escaped = q.replace('\\', "\\\\").replace('%', "\\%").replace('_', "\\_");
    let columns = [Column::Name, Column::ExternalId, Column::Domain];
    let lower = |c: Column| Func::lower(Expr::col(c));
    let exact = columns.iter().fold(Condition::any(), |any, c| any.add(lower(*c).eq(q.clone())));
    let prefix = columns
        .iter()
        .fold(Condition::any(), |any, c| any.add(lower(*c).like(LikeExpr::new(format!("{escaped}%")).escape('\\'))));
    let rank = CaseStatement::new().case(exact, 0).case(prefix, 1).finally(2);
    let select = Entity::find()
        .filter(scope.organizations())
        .filter(Column::Id.ne(scope.org_id))
        .filter(matching(store, &q))
        .order_by(Expr::Case(Box::new(rank)), Order::Asc)
        .order_by(Column::Name, Order::Asc)
        .order_by(Column::Id, Order::Asc);
    let paginator = select.paginate(store.db(), per_page);
    let total = paginator.num_items().await?;
    let found = paginator.fetch_page(page.saturating_sub(1)).await?;
    let mut items = found.into_iter().map(to_wire).collect::<Result<Vec<_>, _>>()?;
    name_parents(store, scope, &mut items).await?;
    Ok(Page { items, total, page, per_page })
}

/// One organisation in scope.
pub async fn get(store: &Store, scope: &Scope, id: i64) -> Result<Organization, StoreError> {
    named(store, scope, find(store, scope, id).await?).await
}

/// One organisation as the API shows it, its parent named.
async fn named(store: &Store, scope: &Scope, model: organization::Model) -> Result<Organization, StoreError> {
    let mut one = [to_wire(model)?];
    name_parents(store, scope, &mut one).await?;
    let [one] = one;
    Ok(one)
}

/// Fills `parent_name` of each organisation whose parent is in scope (never a name from
/// outside the caller's subtree), and each customer's `billing_accounts`, with one query each
/// for the page.
async fn name_parents(store: &Store, scope: &Scope, orgs: &mut [Organization]) -> Result<(), StoreError> {
    let customers: Vec<i64> = orgs.iter().filter(|o| o.kind == OrgKind::Customer).map(|o| o.id).collect();
    let mut accounts = billing::accounts::of(store.db(), &customers).await?;
    for org in orgs.iter_mut() {
        org.billing_accounts = accounts.remove(&org.id).unwrap_or_default();
    }
    let mut ids: Vec<i64> = orgs.iter().filter_map(|o| o.parent_id).collect();
    ids.sort_unstable();
    ids.dedup();
    if ids.is_empty() {
        return Ok(());
    }
    let names: std::collections::HashMap<i64, String> = Entity::find()
        .filter(scope.organizations())
        .filter(Column::Id.is_in(ids))
        .all(store.db())
        .await?
        .into_iter()
        .map(|m| (m.id, m.name))
        .collect();
    for org in orgs {
        org.parent_name = org.parent_id.and_then(|p| names.get(&p).cloned());
    }
    Ok(())
}

pub(crate) async fn find(store: &Store, scope: &Scope, id: i64) -> Result<organization::Model, StoreError> {
    Entity::find_by_id(id).filter(scope.organizations()).one(store.db()).await?.ok_or(StoreError::NotFound)
}

/// Creates a reseller or customer below an organisation in scope; a customer's billing accounts
/// rate the lines they held back, in the same transaction.
pub async fn create(store: &Store, scope: &Scope, new: NewOrganization) -> Result<Organization, StoreError> {
    let txn = store.write().await?;
    let rerate = new.billing_accounts.as_ref().is_some_and(|a| !a.is_empty());
    let created = create_in(&txn, scope, new).await?;
    if rerate {
        rerate_in(&txn, scope).await?;
    }
    txn.commit().await?;
    get(store, scope, created.id).await
}

/// [`create`] in the caller's transaction, without re-rating.
pub(crate) async fn create_in(
    txn: &DatabaseTransaction,
    scope: &Scope,
    new: NewOrganization,
) -> Result<organization::Model, StoreError> {
    let parent_id = match (new.parent_id, new.kind, scope.kind) {
        (Some(id), _, _) => id,
        (None, OrgKind::Customer, OrgKind::Reseller) | (None, OrgKind::Reseller, OrgKind::Distributor) => scope.org_id,
        (None, _, _) => {
            return Err(StoreError::invalid("parent_id", "is required: the organisation above the new one"));
        }
    };
    let expected_parent = match new.kind {
        OrgKind::Customer => OrgKind::Reseller,
        OrgKind::Reseller => OrgKind::Distributor,
        OrgKind::Distributor => {
            return Err(StoreError::invalid(
                "kind",
                "must be reseller or customer; a distributor is created by `tierdash init`",
            ));
        }
    };
    let parent = Entity::find_by_id(parent_id)
        .filter(scope.organizations())
        .one(txn)
        .await?
        .ok_or_else(|| StoreError::invalid("parent_id", "is not an organisation you can see"))?;
    if parent.kind != expected_parent.as_str() {
        return Err(StoreError::invalid("parent_id", format!("a {} must sit below a {}", new.kind, expected_parent)));
    }

    let now = clock::now();
    let created_at = clock::stored(new.created_at.unwrap_or(now));
    let status = new.status.unwrap_or(OrgStatus::Active);
    let closed_at = new.closed_at.map(clock::stored).or((status == OrgStatus::Closed).then_some(now));
    let has_customer_fields =
        new.segment.is_some() || new.onboarding_stage.is_some() || new.onboarding_stage_since.is_some();
    let has_reseller_fields = new.agreement_status.is_some() || new.vetting_status.is_some();
    check_organization_fields(
        new.kind,
        Some(&new.name),
        has_customer_fields,
        has_reseller_fields,
        created_at,
        closed_at,
    )
    .finish()
    .map_err(StoreError::Invalid)?;

    check_identifiers(new.external_id.as_deref(), new.domain.as_deref())?;
    let accounts = billing_accounts_of(new.kind, new.billing_accounts.as_deref())?;
    let is_customer = new.kind == OrgKind::Customer;
    let is_reseller = new.kind == OrgKind::Reseller;
    let stage = is_customer.then(|| new.onboarding_stage.unwrap_or(OnboardingStage::Invited));
    let model = organization::ActiveModel {
        tenant_id: Set(parent.tenant_id),
        parent_id: Set(Some(parent.id)),
        kind: Set(new.kind.as_str().to_owned()),
        name: Set(new.name.trim().to_owned()),
        external_id: Set(clean(new.external_id)),
        domain: Set(clean(new.domain)),
        country: Set(new.country.map(String::from)),
        segment: Set(new.segment.map(|s| s.as_str().to_owned())),
        status: Set(status.as_str().to_owned()),
        created_at: Set(created_at),
        closed_at: Set(closed_at),
        onboarding_stage: Set(stage.map(|s| s.as_str().to_owned())),
        onboarding_stage_at: Set(stage.map(|_| clock::stored(new.onboarding_stage_since.unwrap_or(created_at)))),
        agreement_status: Set(
            is_reseller.then(|| new.agreement_status.unwrap_or(AgreementStatus::NotStarted).as_str().to_owned())
        ),
        vetting_status: Set(
            is_reseller.then(|| new.vetting_status.unwrap_or(VettingStatus::Pending).as_str().to_owned())
        ),
        balance_currency: Set(new.balance_currency.map(String::from)),
        updated_at: Set(now),
        ..Default::default()
    };
    let created = model.insert(txn).await?;
    if let Some(accounts) = accounts {
        billing::accounts::set(txn, created.tenant_id, created.id, &accounts).await?;
    }
    Ok(created)
}

/// The billing accounts sent for an organisation of `kind`, checked; only customers own them.
fn billing_accounts_of(kind: OrgKind, accounts: Option<&[String]>) -> Result<Option<Vec<String>>, StoreError> {
    match accounts {
        None => Ok(None),
        Some(accounts) if kind != OrgKind::Customer && !accounts.is_empty() => {
            Err(StoreError::invalid("billing_accounts", "only customers own provider accounts"))
        }
        Some(accounts) => billing::accounts::check(accounts).map(Some),
    }
}

/// Applies a partial update to an organisation in scope.
///
/// An organisation may edit its own name and contact fields, but its status, dates and
/// agreement are set by the organisation above it: a reseller cannot sign its own agreement.
pub async fn update(
    store: &Store,
    scope: &Scope,
    id: i64,
    patch: OrganizationPatch,
) -> Result<Organization, StoreError> {
    let current = find(store, scope, id).await?;
    let kind: OrgKind = stored::parse(&current.kind, "organizations.kind")?;
    if id == scope.org_id {
        let governed = patch.status.is_some()
            || patch.created_at.is_some()
            || patch.closed_at.is_some()
            || patch.agreement_status.is_some()
            || patch.vetting_status.is_some()
            || patch.onboarding_stage.is_some();
        if governed {
            return Err(StoreError::invalid(
                "status",
                "status, dates, onboarding and agreement of your own organisation are set by the organisation above it",
            ));
        }
    }
    let created_at = patch.created_at.map(clock::stored).unwrap_or(current.created_at);
    let status = patch.status.map(|s| s.as_str().to_owned()).unwrap_or_else(|| current.status.clone());
    let closed_at = match patch.closed_at {
        Some(value) => value.map(clock::stored),
        None if patch.status == Some(OrgStatus::Closed) && current.closed_at.is_none() => Some(clock::now()),
        // Reopening: an active or suspended organisation is not closed by date either.
        None if patch.status.is_some_and(|s| s != OrgStatus::Closed) => None,
        None => current.closed_at,
    };
    let has_customer_fields = matches!(patch.segment, Some(Some(_)))
        || patch.onboarding_stage.is_some()
        || patch.onboarding_stage_since.is_some();
    let has_reseller_fields = patch.agreement_status.is_some() || patch.vetting_status.is_some();
    check_organization_fields(
        kind,
        patch.name.as_deref(),
        has_customer_fields,
        has_reseller_fields,
        created_at,
        closed_at,
    )
    .finish()
    .map_err(StoreError::Invalid)?;

    check_identifiers(
        patch.external_id.as_ref().and_then(|v| v.as_deref()),
        patch.domain.as_ref().and_then(|v| v.as_deref()),
    )?;
    let accounts = billing_accounts_of(kind, patch.billing_accounts.as_deref())?;
    let now = clock::now();
    let stage_changed = patch.onboarding_stage.is_some_and(|s| Some(s.as_str()) != current.onboarding_stage.as_deref());
    let mut model = current.clone().into_active_model();
    if let Some(name) = patch.name {
        model.name = Set(name.trim().to_owned());
    }
    if let Some(external_id) = patch.external_id {
        model.external_id = Set(clean(external_id));
    }
    if let Some(domain) = patch.domain {
        model.domain = Set(clean(domain));
    }
    if let Some(country) = patch.country {
        model.country = Set(country.map(String::from));
    }
    if let Some(segment) = patch.segment {
        model.segment = Set(segment.map(|s| s.as_str().to_owned()));
    }
    model.status = Set(status);
    model.created_at = Set(created_at);
    model.closed_at = Set(closed_at);
    if let Some(stage) = patch.onboarding_stage {
        model.onboarding_stage = Set(Some(stage.as_str().to_owned()));
    }
    if let Some(since) = patch.onboarding_stage_since {
        model.onboarding_stage_at = Set(Some(clock::stored(since)));
    } else if stage_changed {
        model.onboarding_stage_at = Set(Some(now));
    }
    if let Some(agreement) = patch.agreement_status {
        model.agreement_status = Set(Some(agreement.as_str().to_owned()));
    }
    if let Some(vetting) = patch.vetting_status {
        model.vetting_status = Set(Some(vetting.as_str().to_owned()));
    }
    if let Some(currency) = patch.balance_currency {
        model.balance_currency = Set(currency.map(String::from));
    }
    model.updated_at = Set(now);
    let txn = store.write().await?;
    let updated = model.update(&txn).await?;
    // The segments' rollup follows a customer's segment.
    if updated.segment != current.segment {
        let (from, to) = (current.segment.as_deref(), updated.segment.as_deref());
        rollups::customer_months::resegment(&txn, updated.tenant_id, updated.id, from, to).await?;
    }
    if let Some(accounts) = accounts {
        billing::accounts::set(&txn, updated.tenant_id, updated.id, &accounts).await?;
        if !accounts.is_empty() {
            rerate_in(&txn, scope).await?;
        }
    }
    txn.commit().await?;
    named(store, scope, updated).await
}

/// Blank strings mean "none".
fn clean(value: Option<String>) -> Option<String> {
    value.map(|v| v.trim().to_owned()).filter(|v| !v.is_empty())
}

/// Identifiers are indexed: a bounded length and no NUL (PostgreSQL refuses it).
fn check_identifiers(external_id: Option<&str>, domain: Option<&str>) -> Result<(), StoreError> {
    let mut v = domain::api::Violations::default();
    for (field, value) in [("external_id", external_id), ("domain", domain)] {
        if let Some(value) = value {
            if value.chars().count() > 256 {
                v.add(field, "must be at most 256 characters");
            } else if value.contains('\0') {
                v.add(field, "must not contain a NUL character");
            }
        }
    }
    v.finish().map_err(StoreError::Invalid)
}

pub(crate) fn to_wire(m: organization::Model) -> Result<Organization, StoreError> {
    Ok(Organization {
        id: m.id,
        kind: stored::parse(&m.kind, "organizations.kind")?,
        parent_id: m.parent_id,
        name: m.name,
        external_id: m.external_id,
        domain: m.domain,
        country: m
            .country
            .as_deref()
            .map(|c| stored::code(c, "organizations.country", CountryCode::parse))
            .transpose()?,
        segment: stored::parse_opt(m.segment.as_deref(), "organizations.segment")?,
        status: stored::parse(&m.status, "organizations.status")?,
        created_at: m.created_at,
        closed_at: m.closed_at,
        onboarding_stage: stored::parse_opt(m.onboarding_stage.as_deref(), "organizations.onboarding_stage")?,
        onboarding_stage_since: m.onboarding_stage_at,
        agreement_status: stored::parse_opt(m.agreement_status.as_deref(), "organizations.agreement_status")?,
        vetting_status: stored::parse_opt(m.vetting_status.as_deref(), "organizations.vetting_status")?,
        balance_currency: m
            .balance_currency
            .as_deref()
            .map(|c| stored::code(c, "organizations.balance_currency", CurrencyCode::parse))
            .transpose()?,
        updated_at: m.updated_at,
        parent_name: None,
        billing_accounts: Vec::new(),
    })
}
