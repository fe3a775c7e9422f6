//! The list of grains kept besides the monthly one, and what is done to all of them at once.
//!
//! The monthly grain is a line's own key ([`super::keys::Key`]): dashboards break it down and
//! the rollup checks return it. Every other grain is a coarser cut of that key, and is named
//! once, in [`Others`]: [`Deltas`](super::deltas::Deltas) holds, merges and writes each of them,
//! the rebuild empties and refills each, `Store::migrate` fills one that is still empty, and
//! `stored_and_rebuilt` (the incremental-equals-rebuilt check the tests run) compares each with
//! the sums recomputed from the lines.

use std::future::Future;

use sea_orm::ConnectionTrait;

use super::customer_months::CustomerMonths;
use super::daily::Daily;
use super::grain::{self, Contribution, Grain};
use super::names::Names;
use super::reseller_months::ResellerMonths;
use super::reseller_products::ResellerProducts;
use super::service_months::ServiceMonths;
use crate::StoreError;

/// The grains besides the monthly one. A new grain is a file of this folder that implements
/// [`Grain`], its migration (and entity), and its name added here.
pub(crate) type Others = (Daily, ResellerProducts, ResellerMonths, CustomerMonths, ServiceMonths);

/// What is done to every grain of a list ([`Others`]), grain by grain in the list's order.
pub(crate) trait Grains: Default + Send {
    /// Takes in (`sign` 1) or takes out (`sign` -1) a rated line's contribution.
    fn add(&mut self, names: &mut Names, line: &Contribution<'_>, sign: i64) -> Result<(), StoreError>;

    /// Adds `other`'s changes, whose texts are codes of `theirs`.
    fn merge(&mut self, names: &mut Names, other: Self, theirs: &Names) -> Result<(), StoreError>;

    /// How many keys are held, in all.
    fn len(&self) -> usize;

    /// Whether no key is held.
    fn is_empty(&self) -> bool;

    /// Keeps only the keys with lines.
    fn retain_lines(&mut self);

    /// Writes every grain's changes for tree `tenant`.
    fn write<C: ConnectionTrait>(
        self,
        db: &C,
        tenant: i64,
        names: &Names,
    ) -> impl Future<Output = Result<(), StoreError>> + Send;

    /// Compares every grain, rebuilt from the lines, with its stored rows ([`grain::check`]).
    fn check<C: ConnectionTrait>(
        self,
        db: &C,
        tenant: i64,
        names: &Names,
    ) -> impl Future<Output = Result<(), StoreError>> + Send;

    /// Deletes every grain's rows.
    fn delete_all<C: ConnectionTrait>(db: &C) -> impl Future<Output = Result<(), StoreError>> + Send;

    /// How many rows the grains store, in all.
    fn count<C: ConnectionTrait>(db: &C) -> impl Future<Output = Result<u64, StoreError>> + Send;

    /// Whether some grain stores no row at all (one added since the data was imported).
    fn missing<C: ConnectionTrait>(db: &C) -> impl Future<Output = Result<bool, StoreError>> + Send;
}

/// [`Grains`] for a tuple of grains.
macro_rules! grains {
    ($($g:ident $i:tt),+) => {
        impl<$($g: Grain),+> Grains for ($($g,)+) {
            fn add(&mut self, names: &mut Names, line: &Contribution<'_>, sign: i64) -> Result<(), StoreError> {
                $(self.$i.add(names, line, sign)?;)+
                Ok(())
            }

            fn merge(&mut self, names: &mut Names, other: Self, theirs: &Names) -> Result<(), StoreError> {
                $(self.$i.merge(names, other.$i, theirs)?;)+
                Ok(())
            }

            fn len(&self) -> usize {
                let mut len = 0;
                $(len += self.$i.len();)+
                len
            }

            fn is_empty(&self) -> bool {
                let mut empty = true;
                $(empty &= self.$i.is_empty();)+
                empty
            }

            fn retain_lines(&mut self) {
                $(self.$i.retain_lines();)+
            }

            async fn write<C: ConnectionTrait>(self, db: &C, tenant: i64, names: &Names) -> Result<(), StoreError> {
                $(self.$i.write(db, tenant, names).await?;)+
                Ok(())
            }

            async fn check<C: ConnectionTrait>(self, db: &C, tenant: i64, names: &Names) -> Result<(), StoreError> {
                $(grain::check(db, tenant, self.$i, names).await?;
                $g::check_following(db, tenant).await?;)+
                Ok(())
            }

            async fn delete_all<C: ConnectionTrait>(db: &C) -> Result<(), StoreError> {
                $($g::delete_all(db).await?;)+
                Ok(())
            }

            async fn count<C: ConnectionTrait>(db: &C) -> Result<u64, StoreError> {
                let mut rows = 0;
                $(rows += $g::count(db).await?;)+
                Ok(rows)
            }

            async fn missing<C: ConnectionTrait>(db: &C) -> Result<bool, StoreError> {
                let mut missing = false;
                $(missing |= $g::stores_none(db).await?;)+
                Ok(missing)
            }
        }
    };
}

grains!(G0 0);
grains!(G0 0, G1 1);
grains!(G0 0, G1 1, G2 2);
grains!(G0 0, G1 1, G2 2, G3 3);
grains!(G0 0, G1 1, G2 2, G3 3, G4 4);
grains!(G0 0, G1 1, G2 2, G3 3, G4 4, G5 5);
