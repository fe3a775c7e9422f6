//! Top five + Others (docs/metrics.md §4, R12): the members ranked by revenue over the range,
//! ties by name; the leading five by name and the rest as one "Others", only when there are six
//! or more; the same five in every month.

use std::collections::BTreeMap;

use domain::api::TopFive;
use domain::metrics::{Month, reported};
use rust_decimal::Decimal;

use crate::StoreError;
use crate::dashboards::add;

/// The name of the members after the fifth.
pub const OTHERS: &str = "Others";

/// How many members are named.
const NAMED: usize = 5;

/// The top five of `revenue`: member → month → revenue, over the range's `months`.
pub(super) fn top_five(
    revenue: &BTreeMap<String, BTreeMap<Month, Decimal>>,
    months: &[Month],
) -> Result<TopFive, StoreError> {
    let mut totals: Vec<(&String, Decimal)> = Vec::with_capacity(revenue.len());
    for (member, by_month) in revenue {
        let mut total = Decimal::ZERO;
        for m in months {
            add(&mut total, by_month.get(m).copied().unwrap_or_default())?;
        }
        totals.push((member, total));
    }
    totals.sort_by(|a, b| b.1.cmp(&a.1).then_with(|| a.0.cmp(b.0)));
    let others = totals.len() > NAMED;
    let bucket = |rank: usize, member: &String| if rank < NAMED { member.clone() } else { OTHERS.to_owned() };
    let mut ranking: Vec<String> = totals.iter().take(NAMED).map(|(m, _)| (*m).clone()).collect();
    if others {
        ranking.push(OTHERS.to_owned());
    }
    let mut range_totals: BTreeMap<String, Decimal> = ranking.iter().map(|n| (n.clone(), Decimal::ZERO)).collect();
    let mut by_month: BTreeMap<String, BTreeMap<String, Decimal>> =
        months.iter().map(|m| (m.to_string(), ranking.iter().map(|n| (n.clone(), Decimal::ZERO)).collect())).collect();
    for (rank, (member, total)) in totals.iter().enumerate() {
        let name = bucket(rank, member);
        add(range_totals.entry(name.clone()).or_default(), *total)?;
        for m in months {
            let amount = revenue[*member].get(m).copied().unwrap_or_default();
            add(by_month.entry(m.to_string()).or_default().entry(name.clone()).or_default(), amount)?;
        }
    }
    let round = |map: BTreeMap<String, Decimal>| map.into_iter().map(|(k, v)| (k, reported(v))).collect();
    Ok(TopFive {
        ranking,
        range_totals: round(range_totals),
        by_month: by_month.into_iter().map(|(m, v)| (m, round(v))).collect(),
    })
}

#[cfg(test)]
mod tests {
    use chrono::NaiveDate;

    use super::*;

    fn month(s: &str) -> Month {
        Month::of(NaiveDate::parse_from_str(&format!("{s}-01"), "%Y-%m-%d").unwrap())
    }

    #[test]
    fn five_are_named_ties_by_name_and_the_rest_are_others() {
        let months = [month("2026-01"), month("2026-02")];
        let mut revenue = BTreeMap::new();
        for (name, jan, feb) in
            [("A", 10, 0), ("B", 5, 5), ("C", 30, 0), ("D", 1, 1), ("E", 0, 3), ("F", 2, 0), ("G", 0, 1)]
        {
            let by_month = BTreeMap::from([(months[0], Decimal::from(jan)), (months[1], Decimal::from(feb))]);
            revenue.insert(name.to_owned(), by_month);
        }
        let top = top_five(&revenue, &months).unwrap();
        // C 30, A 10, B 10 (tie: by name), E 3, D 2 and F 2 (tie: D first), G 1.
        assert_eq!(top.ranking, ["C", "A", "B", "E", "D", "Others"]);
        assert_eq!(top.range_totals["Others"], Decimal::from(3));
        assert_eq!(top.by_month["2026-02"]["Others"], Decimal::from(1));
        let five = top_five(&revenue.into_iter().take(5).collect(), &months).unwrap();
        assert!(!five.ranking.contains(&OTHERS.to_owned()), "no Others with five members");
    }
}
