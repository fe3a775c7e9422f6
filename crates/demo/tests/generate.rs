//! The demo data of a fixed `now` is pinned: a change to the generator that changes the data
//! shows here (and then the numbers below are updated on purpose).

use chrono::{DateTime, Utc};
use store::Store;

#[tokio::test]
async fn the_same_now_gives_the_same_demo_data() {
    let dir = tempfile::tempdir().unwrap();
    let url = format!("sqlite://{}?mode=rwc", dir.path().join("demo.db").display());
    let store = Store::connect(&url).await.unwrap();
    store.migrate().await.unwrap();
    let now: DateTime<Utc> = "2026-06-15T08:30:00.123456789Z".parse().unwrap();
    let summary = demo::generate(&store, now).await.unwrap();
    assert_eq!(
        summary,
        demo::DemoSummary {
            resellers: 40,
            customers: 800,
            products: 14,
            plans: 26,
            subscriptions: 2338,
            line_items: 24168,
        }
    );
}
