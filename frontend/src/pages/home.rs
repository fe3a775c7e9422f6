//! Home, for now: the caller's counts (each one a total the server computed) and how its
//! customers split by onboarding stage and segment. The revenue panes arrive with the Home
//! dashboard endpoint.

use domain::api::{OrganizationFilter, SubscriptionFilter};
use domain::kinds::{OnboardingStage, OrgKind, Segment, SubscriptionStatus};
use leptos::prelude::*;

use super::shell::MeResource;
use crate::api::{self, ApiFailure};
use crate::components::{BarChart, DonutChart, ErrorView, KpiCard, Loading, Series, Slice};
use crate::format::{self, Locale};

#[derive(Clone)]
struct Counts {
    resellers: Option<u64>,
    customers: u64,
    active_subscriptions: u64,
    by_stage: Vec<(OnboardingStage, u64)>,
    by_segment: Vec<(Segment, u64)>,
}

async fn counts(distributor: bool) -> Result<Counts, ApiFailure> {
    let customers =
        |f: OrganizationFilter| api::count_organizations(OrganizationFilter { kind: Some(OrgKind::Customer), ..f });
    let resellers = if distributor {
        Some(
            api::count_organizations(OrganizationFilter { kind: Some(OrgKind::Reseller), ..Default::default() })
                .await?,
        )
    } else {
        None
    };
    let mut by_stage = Vec::new();
    for stage in OnboardingStage::ALL {
        by_stage.push((
            *stage,
            customers(OrganizationFilter { onboarding_stage: Some(*stage), ..Default::default() }).await?,
        ));
    }
    let mut by_segment = Vec::new();
    for segment in Segment::ALL {
        by_segment
            .push((*segment, customers(OrganizationFilter { segment: Some(*segment), ..Default::default() }).await?));
    }
    Ok(Counts {
        resellers,
        customers: customers(OrganizationFilter::default()).await?,
        active_subscriptions: api::count_subscriptions(SubscriptionFilter {
            status: Some(SubscriptionStatus::Active),
            ..Default::default()
        })
        .await?,
        by_stage,
        by_segment,
    })
}

fn words(s: &str) -> String {
    let s = s.replace('_', " ");
    let mut c = s.chars();
    c.next().map(|f| f.to_uppercase().collect::<String>() + c.as_str()).unwrap_or_default()
}

fn whole(v: f64) -> String {
    format!("{v:.0}")
}

/// The Home page.
#[component]
pub fn Home() -> impl IntoView {
    let me = expect_context::<MeResource>();
    let data = LocalResource::new(move || async move {
        let distributor = me.await.map(|m| m.organization.kind == OrgKind::Distributor).unwrap_or(false);
        counts(distributor).await
    });
    let locale = Locale::browser();
    view! {
        <h1>"Home"</h1>
        {move || match data.get() {
            None => view! { <Loading/> }.into_any(),
            Some(Err(e)) => view! { <ErrorView error=e/> }.into_any(),
            Some(Ok(c)) => {
                let stage_total = c.by_stage.iter().map(|(_, n)| n).sum::<u64>();
                let slices = c.by_stage.iter().map(|(s, n)| Slice { name: words(s.as_str()), value: *n as f64, shown: format::count(*n, &locale) }).collect();
                let segments = vec![Series {
                    name: "Customers".into(),
                    values: c.by_segment.iter().map(|(_, n)| *n as f64).collect(),
                    shown: c.by_segment.iter().map(|(_, n)| format::count(*n, &locale)).collect(),
                }];
                let categories = c.by_segment.iter().map(|(s, _)| words(s.as_str())).collect();
                view! {
                    <div class="grid">
                        {c.resellers.map(|r| view! { <KpiCard label="Resellers" value=format::count(r, &locale) testid="kpi-resellers"/> })}
                        <KpiCard label="Customers" value=format::count(c.customers, &locale) testid="kpi-customers"/>
                        <KpiCard label="Active subscriptions" value=format::count(c.active_subscriptions, &locale) testid="kpi-active-subscriptions"/>
                    </div>
                    <div class="grid">
                        <section class="panel">
                            <h2>"Customers by onboarding stage"</h2>
                            <DonutChart slices=slices title="Customers by onboarding stage" total=format::count(stage_total, &locale)/>
                        </section>
                        <section class="panel">
                            <h2>"Customers by segment"</h2>
                            <BarChart categories=categories series=segments title="Customers by segment" tick=whole/>
                        </section>
                    </div>
                }
                .into_any()
            }
        }}
    }
}
