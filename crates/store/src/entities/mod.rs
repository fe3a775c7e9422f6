//! sea-orm entities of the tables the store reads and writes. They never leave the store:
//! queries convert them into `domain::api` types. Money columns are `String` holding a
//! `Decimal` (see the migrations crate for why).

pub mod api_key;
pub mod organization;
pub mod product;
pub mod service_plan;
pub mod subscription;
pub mod user;
