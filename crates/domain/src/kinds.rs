//! The closed sets of values of docs/data-model.md. Each is stored and sent as its snake_case name.

use std::fmt;
use std::str::FromStr;

use serde::{Deserialize, Serialize};

/// A value that is not one of a closed set; the message lists the accepted values.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("must be one of: {expected}")]
pub struct UnknownValue {
    /// The accepted values, comma-separated.
    pub expected: &'static str,
}

macro_rules! closed_set {
    ($(#[$meta:meta])* $name:ident { $($(#[$vmeta:meta])* $variant:ident => $text:literal),+ $(,)? }) => {
        $(#[$meta])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
        #[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
        #[serde(rename_all = "snake_case")]
        pub enum $name {
            $($(#[$vmeta])* #[serde(rename = $text)] $variant),+
        }

        impl $name {
            /// Every value, in declaration order.
            pub const ALL: &'static [$name] = &[$($name::$variant),+];

            /// The value as stored and sent.
            pub fn as_str(self) -> &'static str {
                match self { $($name::$variant => $text),+ }
            }
        }

        impl FromStr for $name {
            type Err = UnknownValue;
            fn from_str(s: &str) -> Result<Self, Self::Err> {
                match s {
                    $($text => Ok($name::$variant),)+
                    _ => Err(UnknownValue { expected: concat!($($text, " "),+) }),
                }
            }
        }

        impl fmt::Display for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str(self.as_str())
            }
        }
    };
}

closed_set! {
    /// Where an organisation sits in the channel.
    OrgKind {
        /// Tier 1: sells through resellers.
        Distributor => "distributor",
        /// Tier 2: sells to end customers, under a distributor or on its own.
        Reseller => "reseller",
        /// Tier 3: the end customer.
        Customer => "customer",
    }
}

closed_set! {
    /// Whether an organisation is trading.
    OrgStatus {
        /// Trading.
        Active => "active",
        /// Temporarily stopped.
        Suspended => "suspended",
        /// Gone; `closed_at` says when.
        Closed => "closed",
    }
}

closed_set! {
    /// A customer's market segment.
    Segment {
        /// Small and medium business.
        Smb => "smb",
        /// Mid-market.
        MidMarket => "mid_market",
        /// Large enterprise.
        Enterprise => "enterprise",
        /// Schools and universities.
        Education => "education",
        /// Public sector.
        Government => "government",
        /// Charities and non-profits.
        Nonprofit => "nonprofit",
    }
}

closed_set! {
    /// How far a customer's onboarding has gone.
    OnboardingStage {
        /// Invited, nothing linked yet.
        Invited => "invited",
        /// The customer's account is linked.
        AccountLinked => "account_linked",
        /// Billing is configured.
        BillingConfigured => "billing_configured",
        /// Onboarding finished.
        Completed => "completed",
        /// Onboarding failed and needs attention.
        Failed => "failed",
    }
}

closed_set! {
    /// The state of a reseller's partner agreement.
    AgreementStatus {
        /// Not yet sent.
        NotStarted => "not_started",
        /// Sent, not yet signed.
        Pending => "pending",
        /// Signed and in force.
        Signed => "signed",
        /// No longer in force.
        Expired => "expired",
    }
}

closed_set! {
    /// The state of a reseller's vetting.
    VettingStatus {
        /// Not yet vetted.
        Pending => "pending",
        /// Vetting passed.
        Approved => "approved",
        /// Vetting failed.
        Rejected => "rejected",
    }
}

closed_set! {
    /// How a product is charged.
    BillingModel {
        /// Per licence or seat.
        License => "license",
        /// By consumption.
        Usage => "usage",
    }
}

closed_set! {
    /// How often a plan or subscription is billed.
    BillingInterval {
        /// Every calendar month.
        Monthly => "monthly",
        /// Every three months.
        Quarterly => "quarterly",
        /// Every six months.
        Semiannual => "semiannual",
        /// Every year.
        Annual => "annual",
    }
}

impl BillingInterval {
    /// The number of months one interval covers.
    pub fn months(self) -> u32 {
        match self {
            BillingInterval::Monthly => 1,
            BillingInterval::Quarterly => 3,
            BillingInterval::Semiannual => 6,
            BillingInterval::Annual => 12,
        }
    }
}

closed_set! {
    /// The commercial state of a subscription.
    SubscriptionStatus {
        /// Running and renewing.
        Active => "active",
        /// Paused by the reseller.
        Paused => "paused",
        /// Ran out and was not renewed.
        Expired => "expired",
        /// Cancelled.
        Cancelled => "cancelled",
    }
}

closed_set! {
    /// The state of the licence a subscription grants.
    LicenseStatus {
        /// A trial licence.
        Trial => "trial",
        /// A paid, working licence.
        Active => "active",
        /// Past due but still working.
        Grace => "grace",
        /// No longer valid.
        Expired => "expired",
        /// Suspended by the provider or the channel.
        Suspended => "suspended",
    }
}

closed_set! {
    /// What a billing issue reports: why lines are held out of revenue, or (`unmapped_product`)
    /// lines counted without a product (in name order).
    BillingIssueKind {
        /// No rate for the line's currency and month.
        MissingFxRate => "missing_fx_rate",
        /// The customer id is not a customer the importer can see.
        UnknownCustomer => "unknown_customer",
        /// Retired: lines of an unknown SKU are no longer held back (`unmapped_product`); kept so
        /// that issues raised before say what they were.
        UnknownProduct => "unknown_product",
        /// `x_ResellerId` names no reseller the importer can see.
        UnknownReseller => "unknown_reseller",
        /// Lines of a SKU the catalog does not know: rated under the family "Unmapped", not held
        /// back; one issue per SKU and reseller, resolved when the SKU is added.
        UnmappedProduct => "unmapped_product",
    }
}

closed_set! {
    /// Why a reseller's balance moved (docs/data-model.md §15).
    LedgerKind {
        /// Credit paid in by the reseller (recorded by its distributor or an admin).
        TopUp => "top_up",
        /// A product activated: its first interval paid.
        Activation => "activation",
        /// One more interval paid (or, with amount 0, a renewal that could not be paid).
        Renewal => "renewal",
        /// Money given back for an unused period.
        Refund => "refund",
        /// A correction.
        Adjustment => "adjustment",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_value_round_trips_through_its_text() {
        for kind in OrgKind::ALL {
            assert_eq!(kind.as_str().parse::<OrgKind>(), Ok(*kind));
        }
        for stage in OnboardingStage::ALL {
            assert_eq!(stage.as_str().parse::<OnboardingStage>(), Ok(*stage));
            let json = serde_json::to_string(stage).unwrap();
            assert_eq!(json, format!("\"{}\"", stage.as_str()));
        }
    }

    #[test]
    fn unknown_text_names_the_accepted_values() {
        let err = "weekly".parse::<BillingInterval>().unwrap_err();
        assert!(err.to_string().contains("monthly quarterly semiannual annual"));
    }
}

closed_set! {
    /// What a generated report holds (seed 003).
    ReportKind {
        /// Per reseller: services, consumed quantity, chargeable units, revenue, lines.
        UsageSummary => "usage_summary",
        /// Per reseller and service.
        ResellerUsage => "reseller_usage",
        /// Per customer and service.
        CustomerUsage => "customer_usage",
        /// Per customer and charge category: revenue, cost and margin.
        Billing => "billing",
    }
}

impl ReportKind {
    /// The group the Partners console counts it in.
    pub fn category(self) -> ReportCategory {
        match self {
            ReportKind::Billing => ReportCategory::Billing,
            _ => ReportCategory::Usage,
        }
    }
}

closed_set! {
    /// Where a report is in its generation.
    ReportStatus {
        /// Waiting for a worker.
        Pending => "pending",
        /// A worker is writing it.
        Generating => "generating",
        /// Its CSV can be downloaded.
        Ready => "ready",
        /// It could not be generated (`error` says why).
        Failed => "failed",
    }
}

closed_set! {
    /// The usage kinds or the billing kind, as the Partners console groups reports.
    ReportCategory {
        /// `usage_summary`, `reseller_usage` and `customer_usage`.
        Usage => "usage",
        /// `billing`.
        Billing => "billing",
    }
}
