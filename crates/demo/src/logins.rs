//! The demo's logins: one per role at the distributor and a few at the first two resellers,
//! all with the same, printed password.

use domain::api::{Organization, User};
use domain::codes::Email;
use domain::roles::Role;
use store::seed::Seed;
use store::{StoreError, credentials};

use crate::tree::{DISTRIBUTOR_DOMAIN, FIRST_RESELLER};
use crate::{Dates, code};

/// The password of every demo login. Demo data only: it is printed on purpose.
pub const DEMO_PASSWORD: &str = "tierdash-demo";

/// A demo login.
pub struct DemoLogin {
    /// Login e-mail.
    pub email: &'static str,
    /// Its role.
    pub role: Role,
    /// Which organisation it belongs to, in words.
    pub org: &'static str,
}

const AT_DISTRIBUTOR: &str = "distributor Northwind Distribution";
const AT_FIRST_RESELLER: &str = "reseller Alpine Cloud Partners";
const AT_SECOND_RESELLER: &str = "reseller Harbor IT Solutions";

/// Every demo login, one per role at the distributor and a few at two sibling resellers.
pub const LOGINS: &[DemoLogin] = &[
    DemoLogin { email: "admin@northwind.example", role: Role::Admin, org: AT_DISTRIBUTOR },
    DemoLogin { email: "ops@northwind.example", role: Role::Operations, org: AT_DISTRIBUTOR },
    DemoLogin { email: "marketing@northwind.example", role: Role::Marketing, org: AT_DISTRIBUTOR },
    DemoLogin { email: "viewer@northwind.example", role: Role::ReportViewer, org: AT_DISTRIBUTOR },
    DemoLogin { email: "exec@northwind.example", role: Role::ExecutiveViewer, org: AT_DISTRIBUTOR },
    DemoLogin { email: "admin@alpine-cloud.example", role: Role::Admin, org: AT_FIRST_RESELLER },
    DemoLogin { email: "ops@alpine-cloud.example", role: Role::Operations, org: AT_FIRST_RESELLER },
    DemoLogin { email: "viewer@alpine-cloud.example", role: Role::ReportViewer, org: AT_FIRST_RESELLER },
    DemoLogin { email: "admin@harbor-it.example", role: Role::Admin, org: AT_SECOND_RESELLER },
];

/// The demo password's hash (argon2, slow on purpose: hashed once, before the data's
/// transaction opens).
pub(crate) fn password_hash() -> Result<String, StoreError> {
    credentials::hash_password(DEMO_PASSWORD)
}

/// Writes the logins: the distributor's and those of the first two resellers (by their
/// e-mails' domains), created now.
pub(crate) async fn write(
    seed: &Seed,
    tenant: i64,
    resellers: &[Organization],
    password_hash: &str,
    dates: &Dates,
) -> Result<(), StoreError> {
    let mut users = Vec::with_capacity(LOGINS.len());
    for login in LOGINS {
        let org_id = if login.email.ends_with(DISTRIBUTOR_DOMAIN) {
            tenant
        } else if login.email.ends_with(FIRST_RESELLER.1) {
            resellers[0].id
        } else {
            resellers[1].id
        };
        let user = User {
            id: 0,
            org_id,
            email: code(Email::parse(login.email), "email")?,
            name: login.email.split('@').next().unwrap_or("user").to_owned(),
            role: login.role,
            disabled: false,
            created_at: dates.now,
            last_login_at: None,
        };
        users.push((user, password_hash.to_owned()));
    }
    seed.users(&users).await?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::tree::{DISTRIBUTOR, SECOND_RESELLER};

    #[test]
    fn logins_name_the_trees_organisations() {
        assert_eq!(AT_DISTRIBUTOR, format!("distributor {DISTRIBUTOR}"));
        assert_eq!(AT_FIRST_RESELLER, format!("reseller {}", FIRST_RESELLER.0));
        assert_eq!(AT_SECOND_RESELLER, format!("reseller {}", SECOND_RESELLER.0));
        for login in LOGINS {
            let domain = login.email.split('@').nth(1).unwrap_or_default();
            assert!([DISTRIBUTOR_DOMAIN, FIRST_RESELLER.1, SECOND_RESELLER.1].contains(&domain), "{}", login.email);
        }
    }
}
