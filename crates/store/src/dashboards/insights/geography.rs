//! Geography (`GET /insights/geography`): per reseller country the resellers transacting and
//! new in the range and their revenue; active resellers per month for the five countries with
//! most revenue and Others; and the revenue of those same five (docs/metrics.md §3–§4).

use std::collections::{BTreeMap, HashMap};

use domain::api::{CountryFigures, InsightsGeography};
use domain::kinds::OrgKind;
use domain::metrics::{Month, reported};
use rust_decimal::Decimal;
use sea_orm::{ColumnTrait, EntityTrait, QueryFilter, QuerySelect};

use super::top_five::{OTHERS, top_five};
use super::{Range, activity, history};
use crate::dashboards::{add, dashboard_scope};
use crate::entities::organization;
use crate::{Scope, Store, StoreError};

/// The bucket of resellers with no country recorded.
pub const UNKNOWN_COUNTRY: &str = "Unknown";

/// The geography view over `range`; `sees_money` says whether revenue is included.
pub async fn geography(
    store: &Store,
    scope: &Scope,
    range: &Range,
    sees_money: bool,
) -> Result<InsightsGeography, StoreError> {
    dashboard_scope(scope)?;
    let countries = organization::Entity::find()
        .select_only()
        .columns([organization::Column::Id, organization::Column::Country])
        .filter(scope.organizations())
        .filter(organization::Column::Kind.eq(OrgKind::Reseller.as_str()))
        .into_tuple::<(i64, Option<String>)>()
        .all(store.db());
    // At once: each read's statements wait on the database, not on one another.
    let (history, active, countries) = tokio::try_join!(
        history::history(store, scope, (range.months[0], range.last()), range.as_of, true),
        activity::active(store, scope, &range.months, range.as_of),
        async { Ok(countries.await?) },
    )?;
    let transacting = history.transacting();
    let first_months = history.first_months(&transacting);
    let countries: HashMap<i64, String> = countries
        .into_iter()
        .map(|(id, country)| (id, country.unwrap_or_else(|| UNKNOWN_COUNTRY.to_owned())))
        .collect();
    let country_of = |reseller: &i64| countries.get(reseller).cloned().unwrap_or_else(|| UNKNOWN_COUNTRY.to_owned());
    // Country → month → revenue; every country with a reseller is a member, with revenue or not.
    let mut by_country: BTreeMap<String, BTreeMap<Month, Decimal>> =
        countries.values().map(|c| (c.clone(), BTreeMap::new())).collect();
    for (reseller, by_month) in &history.revenue {
        for (month, amount) in by_month {
            add(by_country.entry(country_of(reseller)).or_default().entry(*month).or_default(), *amount)?;
        }
    }
    let top = top_five(&by_country, &range.months)?;
    let mut figures: BTreeMap<String, CountryFigures> = by_country
        .iter()
        .map(|(country, by_month)| {
            let mut total = Decimal::ZERO;
            for amount in by_month.values() {
                add(&mut total, *amount)?;
            }
            let figures = CountryFigures {
                country: country.clone(),
                transacting: 0,
                new: 0,
                revenue: sees_money.then(|| reported(total)),
            };
            Ok((country.clone(), figures))
        })
        .collect::<Result<_, StoreError>>()?;
    // Every reseller in `transacting` has a transacting month in the range.
    for reseller in transacting.keys() {
        let Some(f) = figures.get_mut(&country_of(reseller)) else { continue };
        f.transacting += 1;
        f.new += u64::from(first_months.contains_key(reseller));
    }
    let named =
        |country: String| if top.ranking.contains(&country) && country != OTHERS { country } else { OTHERS.to_owned() };
    let active_by_month = active
        .into_iter()
        .map(|(month, resellers)| {
            let mut counts: BTreeMap<String, u64> = top.ranking.iter().map(|n| (n.clone(), 0)).collect();
            for reseller in resellers {
                *counts.entry(named(country_of(&reseller))).or_default() += 1;
            }
            (month.to_string(), counts)
        })
        .collect();
    let mut countries: Vec<CountryFigures> = figures.into_values().collect();
    countries.sort_by_key(|c| (c.country == UNKNOWN_COUNTRY, c.country.clone()));
    Ok(InsightsGeography {
        as_of: range.as_of.to_string(),
        countries,
        ranking: top.ranking.clone(),
        active_by_month,
        revenue_top5: sees_money.then_some(top),
    })
}
