//! The portal's and catalog's answers as a role that sees no money gets them (`MoneyFields::
//! PortalMoney`, docs/roles.md §3): the same answer with its money fields absent — the counts,
//! dates and statuses stay.

use super::catalog::ServicePlan;
use super::portal::{Activation, ActivationDetail, PortalSummary};
use super::subscriptions::Subscription;

/// An answer that can leave its money out.
pub trait WithoutMoney {
    /// The answer with its money fields absent.
    fn without_money(self) -> Self;
}

impl WithoutMoney for PortalSummary {
    fn without_money(mut self) -> Self {
        (self.balance, self.due_next_30_days, self.low_balance) = (None, None, None);
        for cost in &mut self.recurring {
            (cost.total_per_interval, cost.monthly_equivalent) = (None, None);
        }
        self
    }
}

impl WithoutMoney for Activation {
    fn without_money(mut self) -> Self {
        self.price_per_interval = None;
        self
    }
}

impl WithoutMoney for ActivationDetail {
    fn without_money(self) -> Self {
        ActivationDetail { activation: self.activation.without_money(), ledger: None }
    }
}

impl WithoutMoney for ServicePlan {
    fn without_money(mut self) -> Self {
        self.price = None;
        self
    }
}

impl WithoutMoney for Subscription {
    fn without_money(mut self) -> Self {
        self.unit_price = None;
        self
    }
}

impl<T: WithoutMoney> WithoutMoney for super::Page<T> {
    fn without_money(mut self) -> Self {
        self.items = self.items.into_iter().map(WithoutMoney::without_money).collect();
        self
    }
}
