//! One row of a FOCUS-compatible billing CSV (docs/import.md §2), parsed and checked.
//!
//! This crate does no I/O, so the caller streams the file and hands over the header once
//! ([`Columns::from_header`]) and then each record ([`Columns::parse`]). Both report *every*
//! problem they find, not just the first: a rejected file has to name each bad row and reason so
//! that it can be fixed in one pass.

use std::collections::HashMap;
use std::collections::hash_map::Entry;
use std::fmt;
use std::str::FromStr;

use chrono::{DateTime, Datelike, NaiveDate, NaiveDateTime, NaiveTime, Utc};
use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};

use crate::api::FieldError;
use crate::codes::CurrencyCode;
use crate::kinds::UnknownValue;

/// What kind of charge a line is (FOCUS `ChargeCategory`), sent in the FOCUS spelling.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub enum ChargeCategory {
    /// Metered consumption; the only category the revenue projection scales up.
    Usage,
    /// A one-off or recurring purchase (licences, reservations).
    Purchase,
    /// Tax; never revenue.
    Tax,
    /// Money given back, usually negative.
    Credit,
    /// A correction of earlier charges.
    Adjustment,
}

impl ChargeCategory {
    /// Every value, in declaration order.
    pub const ALL: &'static [ChargeCategory] = &[
        ChargeCategory::Usage,
        ChargeCategory::Purchase,
        ChargeCategory::Tax,
        ChargeCategory::Credit,
        ChargeCategory::Adjustment,
    ];

    /// The FOCUS spelling (`Usage`, `Purchase`…).
    pub fn as_str(self) -> &'static str {
        match self {
            ChargeCategory::Usage => "Usage",
            ChargeCategory::Purchase => "Purchase",
            ChargeCategory::Tax => "Tax",
            ChargeCategory::Credit => "Credit",
            ChargeCategory::Adjustment => "Adjustment",
        }
    }

    /// Whether the line's billed cost is revenue: every category except Tax (docs/metrics.md §1).
    pub fn counts_as_revenue(self) -> bool {
        self != ChargeCategory::Tax
    }

    /// Whether the line is metered usage, which the projection scales to the whole month.
    pub fn is_usage(self) -> bool {
        self == ChargeCategory::Usage
    }
}

impl FromStr for ChargeCategory {
    type Err = UnknownValue;

    /// Accepts the FOCUS spelling in any case: exports differ in case, never in meaning.
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let s = s.trim();
        ChargeCategory::ALL
            .iter()
            .copied()
            .find(|category| category.as_str().eq_ignore_ascii_case(s))
            .ok_or(UnknownValue { expected: "Usage, Purchase, Tax, Credit, Adjustment" })
    }
}

impl fmt::Display for ChargeCategory {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// One reason the header or a row of a billing file was refused, located so a person can find it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct RowProblem {
    /// The data row, 1 being the first row after the header; none for a problem of the header.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub row: Option<u64>,
    /// The file line, which docs/import.md §4 defines as the data row + 1 (the header is line 1).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub line: Option<u64>,
    /// The column, by its canonical name (`BilledCost`); none when the whole row is wrong.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub column: Option<String>,
    /// What is wrong.
    pub message: String,
    /// The cell's text as found (at most [`MAX_SHOWN_VALUE`] characters, control characters
    /// replaced), so that the person fixing the file sees what the exporter wrote.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub value: Option<String>,
}

/// How much of a bad cell a problem repeats.
pub const MAX_SHOWN_VALUE: usize = 80;

/// A cell's text as a problem shows it: cut, and without control characters (a NUL would not
/// even store in PostgreSQL).
fn shown_value(cell: &str) -> String {
    let mut shown: String =
        cell.chars().take(MAX_SHOWN_VALUE).map(|c| if c.is_control() { '\u{fffd}' } else { c }).collect();
    if cell.chars().count() > MAX_SHOWN_VALUE {
        shown.push('…');
    }
    shown
}

impl RowProblem {
    fn header(column: &str, message: impl Into<String>) -> Self {
        RowProblem { row: None, line: None, column: Some(column.to_owned()), message: message.into(), value: None }
    }

    fn row(row: u64, column: Option<&str>, message: impl Into<String>) -> Self {
        RowProblem {
            row: Some(row),
            line: Some(row.saturating_add(1)),
            column: column.map(str::to_owned),
            message: message.into(),
            value: None,
        }
    }
}

impl From<RowProblem> for FieldError {
    /// The API's problem details carry the row and the column (the line follows from the row);
    /// the message ends with the value found, when there was one.
    fn from(problem: RowProblem) -> Self {
        let message = match problem.value {
            Some(value) => format!("{}; found \"{value}\"", problem.message),
            None => problem.message,
        };
        FieldError { field: problem.column, row: problem.row, message, rows: None }
    }
}

/// One billing line item as read from a row, checked but not yet rated (docs/import.md §2).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LineInput {
    /// The key the customer is looked up by, as the line shows it: `x_CustomerId`, else
    /// `SubAccountId`, else `BillingAccountId` (see [`LineDetails`] for each).
    pub customer_external_id: String,
    /// `ChargePeriodStart` in UTC; the line belongs to its month and day.
    pub period_start: DateTime<Utc>,
    /// `ChargePeriodEnd` in UTC, never before the start.
    pub period_end: DateTime<Utc>,
    /// `BilledCost`: what the customer is billed (our revenue).
    pub billed_cost: Decimal,
    /// `EffectiveCost`: what the channel pays upstream; the billed cost when not given.
    pub effective_cost: Decimal,
    /// `BillingCurrency`.
    pub currency: CurrencyCode,
    /// `ChargeCategory`.
    pub category: ChargeCategory,
    /// `ProviderName` (`AWS`).
    pub provider: String,
    /// `ServiceName` (`Amazon EC2`).
    pub service: String,
    /// `SkuId`, matched to a product's sku when the line is rated.
    pub sku: Option<String>,
    /// `PricingQuantity`, else `ConsumedQuantity`: the chargeable units.
    pub quantity: Option<Decimal>,
    /// `x_ResellerId`; when absent the reseller is the customer's parent.
    pub reseller_external_id: Option<String>,
    /// `x_Marketplace`: true only for a case-insensitive `true`.
    pub marketplace: bool,
    /// `x_LineItemId`: with it, re-importing the line replaces it instead of adding it.
    pub line_item_id: Option<String>,
    /// The accounts the customer is found by, and what else a provider's export says of the
    /// line (kept, not rated on).
    pub details: LineDetails,
}

/// What a provider's export says of a line beyond what rating needs (docs/import.md §2): the
/// accounts it was billed to, its invoice and its classification. Every field is optional;
/// lines imported before these were read have none.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct LineDetails {
    /// `x_CustomerId`: a customer's `external_id`, which wins over the accounts.
    pub customer_id: Option<String>,
    /// `BillingAccountId`: the account billed (in a provider's export, often the payer).
    pub billing_account_id: Option<String>,
    /// `BillingAccountName`.
    pub billing_account_name: Option<String>,
    /// `SubAccountId`: the account that used the service (AWS linked account, Azure
    /// subscription, GCP project).
    pub sub_account_id: Option<String>,
    /// `SubAccountName`.
    pub sub_account_name: Option<String>,
    /// `BillingPeriodStart`'s UTC month, `YYYY-MM`.
    pub billing_period: Option<String>,
    /// `InvoiceId`.
    pub invoice_id: Option<String>,
    /// `InvoiceIssuerName`.
    pub invoice_issuer: Option<String>,
    /// `PublisherName`, else `ServiceProviderName`.
    pub publisher: Option<String>,
    /// `HostProviderName`.
    pub host_provider: Option<String>,
    /// `ChargeClass` (`Correction` for a correction of an earlier period).
    pub charge_class: Option<String>,
    /// `ServiceCategory`.
    pub service_category: Option<String>,
    /// `RegionId`.
    pub region_id: Option<String>,
    /// `ConsumedQuantity`, kept beside the chargeable quantity.
    pub consumed_quantity: Option<Decimal>,
}

impl LineInput {
    /// The UTC month of the period's start, `YYYY-MM`.
    pub fn month(&self) -> String {
        // Not `format("%Y-%m")`: an import asks this of every line, and chrono parses the
        // format string again on every call (docs/performance.md §7).
        let day = self.period_start.date_naive();
        format!("{:04}-{:02}", day.year(), day.month())
    }

    /// The UTC day of the period's start, the day `as_of` is compared with.
    pub fn day(&self) -> NaiveDate {
        self.period_start.date_naive()
    }
}

// The columns as docs/import.md §2 spells them; problems name columns this way whatever the file's case.
const BILLING_ACCOUNT_ID: &str = "BillingAccountId";
const CUSTOMER_ID: &str = "x_CustomerId";
const CHARGE_PERIOD_START: &str = "ChargePeriodStart";
const CHARGE_PERIOD_END: &str = "ChargePeriodEnd";
const BILLED_COST: &str = "BilledCost";
const EFFECTIVE_COST: &str = "EffectiveCost";
const BILLING_CURRENCY: &str = "BillingCurrency";
const CHARGE_CATEGORY: &str = "ChargeCategory";
const PROVIDER_NAME: &str = "ProviderName";
/// FOCUS 1.3 deprecated `ProviderName` for these two, and 1.4 removed it.
const SERVICE_PROVIDER_NAME: &str = "ServiceProviderName";
const HOST_PROVIDER_NAME: &str = "HostProviderName";
const SERVICE_NAME: &str = "ServiceName";
const SKU_ID: &str = "SkuId";
const CONSUMED_QUANTITY: &str = "ConsumedQuantity";
const PRICING_QUANTITY: &str = "PricingQuantity";
const RESELLER_ID: &str = "x_ResellerId";
const MARKETPLACE: &str = "x_Marketplace";
const LINE_ITEM_ID: &str = "x_LineItemId";
const BILLING_ACCOUNT_NAME: &str = "BillingAccountName";
const SUB_ACCOUNT_ID: &str = "SubAccountId";
const SUB_ACCOUNT_NAME: &str = "SubAccountName";
const BILLING_PERIOD_START: &str = "BillingPeriodStart";
const INVOICE_ID: &str = "InvoiceId";
const INVOICE_ISSUER_NAME: &str = "InvoiceIssuerName";
const PUBLISHER_NAME: &str = "PublisherName";
const CHARGE_CLASS: &str = "ChargeClass";
const SERVICE_CATEGORY: &str = "ServiceCategory";
const REGION_ID: &str = "RegionId";

/// Every column Tierdash reads, in the order of docs/import.md §2; others are ignored.
pub const KNOWN_COLUMNS: &[&str] = &[
    BILLING_ACCOUNT_ID,
    CUSTOMER_ID,
    CHARGE_PERIOD_START,
    CHARGE_PERIOD_END,
    BILLED_COST,
    EFFECTIVE_COST,
    BILLING_CURRENCY,
    CHARGE_CATEGORY,
    PROVIDER_NAME,
    SERVICE_PROVIDER_NAME,
    HOST_PROVIDER_NAME,
    SERVICE_NAME,
    SKU_ID,
    CONSUMED_QUANTITY,
    PRICING_QUANTITY,
    RESELLER_ID,
    MARKETPLACE,
    LINE_ITEM_ID,
    BILLING_ACCOUNT_NAME,
    SUB_ACCOUNT_ID,
    SUB_ACCOUNT_NAME,
    BILLING_PERIOD_START,
    INVOICE_ID,
    INVOICE_ISSUER_NAME,
    PUBLISHER_NAME,
    CHARGE_CLASS,
    SERVICE_CATEGORY,
    REGION_ID,
];

/// FOCUS 1.4's datasets other than cost and usage, each by a column only it has: a file of one
/// of them is refused by name rather than for the cost columns it lacks.
const OTHER_DATASETS: &[(&str, &str)] = &[
    ("ContractCommitmentId", "contract commitment"),
    ("ContractCommitmentCategory", "contract commitment"),
    ("InvoiceLineId", "invoice detail"),
    ("InvoiceLineItemId", "invoice detail"),
    ("BillingPeriodId", "billing period"),
];

/// A column found in the header: where it is and what to call it in a problem.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct Col {
    index: usize,
    name: &'static str,
}

/// Where each column of docs/import.md §2 sits in a file, read from its header.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Columns {
    width: usize,
    billing_account: Option<Col>,
    customer_id: Option<Col>,
    period_start: Col,
    period_end: Col,
    billed_cost: Col,
    currency: Col,
    category: Col,
    provider: Col,
    service: Col,
    effective_cost: Option<Col>,
    sku: Option<Col>,
    consumed_quantity: Option<Col>,
    pricing_quantity: Option<Col>,
    reseller: Option<Col>,
    marketplace: Option<Col>,
    line_item: Option<Col>,
    billing_account_name: Option<Col>,
    sub_account: Option<Col>,
    sub_account_name: Option<Col>,
    billing_period_start: Option<Col>,
    invoice_id: Option<Col>,
    invoice_issuer: Option<Col>,
    publisher: Option<Col>,
    service_provider: Option<Col>,
    host_provider: Option<Col>,
    charge_class: Option<Col>,
    service_category: Option<Col>,
    region: Option<Col>,
}

impl Columns {
    /// Finds the columns by name, ignoring case, surrounding spaces, a byte-order mark and any
    /// column it does not know (real exports carry dozens). Every missing required column and
    /// every duplicated name is reported.
    pub fn from_header(header: &[&str]) -> Result<Columns, Vec<RowProblem>> {
        let mut problems = Vec::new();
        let mut index: HashMap<String, usize> = HashMap::new();
        for (position, raw) in header.iter().enumerate() {
            // Spreadsheet tools save UTF-8 with a byte-order mark, which then sticks to the first name.
            let name = if position == 0 { raw.trim_start_matches('\u{feff}') } else { raw }.trim();
            // A trailing comma makes a blank name; it names nothing, so blanks cannot clash.
            if name.is_empty() {
                continue;
            }
            match index.entry(name.to_lowercase()) {
                Entry::Vacant(slot) => {
                    slot.insert(position);
                }
                // Which of two same-named columns holds the data is anyone's guess, so refuse.
                Entry::Occupied(first) => {
                    let first_name = header[*first.get()].trim_start_matches('\u{feff}').trim();
                    let column =
                        KNOWN_COLUMNS.iter().find(|known| known.eq_ignore_ascii_case(name)).unwrap_or(&first_name);
                    if !problems.iter().any(|p: &RowProblem| p.column.as_deref() == Some(*column)) {
                        problems.push(RowProblem::header(column, "duplicate column: each column may appear only once"));
                    }
                }
            }
        }

        let find = |name: &'static str| index.get(&name.to_lowercase()).map(|&index| Col { index, name });
        // Another dataset of FOCUS 1.4 has none of the cost columns: say which it is.
        if find(CHARGE_PERIOD_START).is_none() || find(BILLED_COST).is_none() {
            let found = OTHER_DATASETS.iter().find(|(column, _)| index.contains_key(&column.to_lowercase()));
            if let Some((column, dataset)) = found {
                let message = format!(
                    "this is FOCUS's {dataset} dataset (it has {column}); only the cost and usage dataset \
                     is imported"
                );
                return Err(vec![RowProblem { row: None, line: None, column: None, message, value: None }]);
            }
        }
        let mut required = |found: Option<Col>, name: &str| {
            if found.is_none() {
                problems.push(RowProblem::header(name, "missing required column"));
            }
            found
        };
        // FOCUS names the account billed BillingAccountId; a channel export may name the customer
        // in x_CustomerId instead (or as well).
        let (billing_account, customer_id) = (find(BILLING_ACCOUNT_ID), find(CUSTOMER_ID));
        let customer = required(billing_account.or(customer_id), BILLING_ACCOUNT_ID);
        let period_start = required(find(CHARGE_PERIOD_START), CHARGE_PERIOD_START);
        let period_end = required(find(CHARGE_PERIOD_END), CHARGE_PERIOD_END);
        let billed_cost = required(find(BILLED_COST), BILLED_COST);
        let currency = required(find(BILLING_CURRENCY), BILLING_CURRENCY);
        let category = required(find(CHARGE_CATEGORY), CHARGE_CATEGORY);
        // The provider: `ProviderName` (FOCUS 1.0–1.2), else 1.3's and 1.4's `ServiceProviderName`,
        // else `HostProviderName` (docs/import.md §2).
        let provider = required(
            find(PROVIDER_NAME).or_else(|| find(SERVICE_PROVIDER_NAME)).or_else(|| find(HOST_PROVIDER_NAME)),
            PROVIDER_NAME,
        );
        let service = required(find(SERVICE_NAME), SERVICE_NAME);

        match (customer, period_start, period_end, billed_cost, currency, category, provider, service) {
            (
                Some(_),
                Some(period_start),
                Some(period_end),
                Some(billed_cost),
                Some(currency),
                Some(category),
                Some(provider),
                Some(service),
            ) if problems.is_empty() => Ok(Columns {
                width: header.len(),
                billing_account,
                customer_id,
                period_start,
                period_end,
                billed_cost,
                currency,
                category,
                provider,
                service,
                effective_cost: find(EFFECTIVE_COST),
                sku: find(SKU_ID),
                consumed_quantity: find(CONSUMED_QUANTITY),
                pricing_quantity: find(PRICING_QUANTITY),
                reseller: find(RESELLER_ID),
                marketplace: find(MARKETPLACE),
                line_item: find(LINE_ITEM_ID),
                billing_account_name: find(BILLING_ACCOUNT_NAME),
                sub_account: find(SUB_ACCOUNT_ID),
                sub_account_name: find(SUB_ACCOUNT_NAME),
                billing_period_start: find(BILLING_PERIOD_START),
                invoice_id: find(INVOICE_ID),
                invoice_issuer: find(INVOICE_ISSUER_NAME),
                publisher: find(PUBLISHER_NAME),
                service_provider: find(SERVICE_PROVIDER_NAME),
                host_provider: find(HOST_PROVIDER_NAME),
                charge_class: find(CHARGE_CLASS),
                service_category: find(SERVICE_CATEGORY),
                region: find(REGION_ID),
            }),
            _ => Err(problems),
        }
    }

    /// Parses data row `row_number` (1 = the first row after the header). Cells are trimmed;
    /// every bad cell is reported, each with its row, line and column.
    pub fn parse(&self, row_number: u64, record: &[&str]) -> Result<LineInput, Vec<RowProblem>> {
        // With a field missing or extra, every later cell would be read from the wrong column,
        // so the row's cells are not worth checking one by one.
        if record.len() != self.width {
            let message = format!("expected {} fields, found {}", self.width, record.len());
            return Err(vec![RowProblem::row(row_number, None, message)]);
        }
        let mut row = Row { number: row_number, record, problems: Vec::new() };
        // Identifiers and names are stored and indexed: no NUL (PostgreSQL refuses it) and a
        // length an index can hold.
        let text = |s: &str| match s {
            s if s.contains('\0') => Err("must not contain a NUL character"),
            s if s.chars().count() > MAX_TEXT => Err("must be at most 256 characters"),
            s => Ok(s.to_owned()),
        };

        // The customer's key: x_CustomerId, else SubAccountId, else BillingAccountId; at least
        // one must be filled.
        let customer_id = row.optional(self.customer_id, text);
        let billing_account_id = row.optional(self.billing_account, text);
        let sub_account_id = row.optional(self.sub_account, text);
        let customer = customer_id.clone().or_else(|| sub_account_id.clone()).or_else(|| billing_account_id.clone());
        let keys = [self.customer_id, self.billing_account, self.sub_account];
        if customer.is_none() && keys.iter().flatten().all(|col| row.cell(*col).is_empty()) {
            let col = self.billing_account.or(self.customer_id).expect("the header has one of the two");
            row.problem(col, "must not be empty");
        }
        let billing_period = row.optional(self.billing_period_start, parse_time).map(|start| {
            let day = start.date_naive();
            format!("{:04}-{:02}", day.year(), day.month())
        });
        let details = LineDetails {
            customer_id,
            billing_account_id,
            billing_account_name: row.optional(self.billing_account_name, text),
            sub_account_id,
            sub_account_name: row.optional(self.sub_account_name, text),
            billing_period,
            invoice_id: row.optional(self.invoice_id, text),
            invoice_issuer: row.optional(self.invoice_issuer, text),
            publisher: row.optional(self.publisher, text).or_else(|| row.optional(self.service_provider, text)),
            host_provider: row.optional(self.host_provider, text),
            charge_class: row.optional(self.charge_class, text),
            service_category: row.optional(self.service_category, text),
            region_id: row.optional(self.region, text),
            consumed_quantity: None,
        };
        let period_start = row.required(self.period_start, parse_time);
        let period_end = row.required(self.period_end, parse_time);
        let billed_cost = row.required(self.billed_cost, parse_decimal);
        let effective_cost = row.optional(self.effective_cost, parse_decimal);
        let currency = row.required(self.currency, CurrencyCode::parse);
        let category = row.required(self.category, ChargeCategory::from_str);
        let provider = row.required(self.provider, text);
        let service = row.required(self.service, text);
        let sku = row.optional(self.sku, text);
        // Both quantities are checked even though PricingQuantity wins: a bad cell is a bad file.
        let pricing_quantity = row.optional(self.pricing_quantity, parse_decimal);
        let consumed_quantity = row.optional(self.consumed_quantity, parse_decimal);
        let reseller_external_id = row.optional(self.reseller, text);
        let line_item_id = row.optional(self.line_item, text);
        // docs/import.md §2: only `true` is true; anything else, empty included, is false, not an error.
        let marketplace = self.marketplace.is_some_and(|col| row.cell(col).eq_ignore_ascii_case("true"));

        if let (Some(start), Some(end)) = (period_start, period_end)
            && end < start
        {
            row.problem(self.period_end, format!("must not be before {CHARGE_PERIOD_START}"));
        }

        // A `None` above always came with a problem, so the `else` only ever returns problems.
        let (
            Some(customer_external_id),
            Some(period_start),
            Some(period_end),
            Some(billed_cost),
            Some(currency),
            Some(category),
            Some(provider),
            Some(service),
        ) = (customer, period_start, period_end, billed_cost, currency, category, provider, service)
        else {
            return Err(row.problems);
        };
        if !row.problems.is_empty() {
            return Err(row.problems);
        }
        let details = LineDetails { consumed_quantity, ..details };
        Ok(LineInput {
            customer_external_id,
            period_start,
            period_end,
            billed_cost,
            effective_cost: effective_cost.unwrap_or(billed_cost),
            currency,
            category,
            provider,
            service,
            sku,
            quantity: pricing_quantity.or(consumed_quantity),
            reseller_external_id,
            marketplace,
            line_item_id,
            details,
        })
    }
}

/// A record being parsed, with the problems found in it so far.
struct Row<'a> {
    number: u64,
    record: &'a [&'a str],
    problems: Vec<RowProblem>,
}

impl<'a> Row<'a> {
    /// A cell, trimmed; `NULL` (any case), which exports write for "no value", is empty.
    fn cell(&self, col: Col) -> &'a str {
        let cell = self.record[col.index].trim();
        if cell.eq_ignore_ascii_case("null") { "" } else { cell }
    }

    fn problem(&mut self, col: Col, message: impl Into<String>) {
        let mut problem = RowProblem::row(self.number, Some(col.name), message);
        let cell = self.cell(col);
        problem.value = (!cell.is_empty()).then(|| shown_value(cell));
        self.problems.push(problem);
    }

    /// A cell that must hold a value; `None` once its problem is recorded.
    fn required<T, E: fmt::Display>(&mut self, col: Col, parse: impl FnOnce(&str) -> Result<T, E>) -> Option<T> {
        let cell = self.cell(col);
        if cell.is_empty() {
            self.problem(col, "must not be empty");
            return None;
        }
        parse(cell).map_err(|e| self.problem(col, e.to_string())).ok()
    }

    /// A cell that may be absent or empty (`None`), but holds a valid value when it is filled.
    fn optional<T, E: fmt::Display>(
        &mut self,
        col: Option<Col>,
        parse: impl FnOnce(&str) -> Result<T, E>,
    ) -> Option<T> {
        let col = col?;
        let cell = self.cell(col);
        if cell.is_empty() {
            return None;
        }
        parse(cell).map_err(|e| self.problem(col, e.to_string())).ok()
    }
}

const NOT_A_NUMBER: &str = "must be a decimal number such as -12.50 or 1.5E-3";
/// The longest identifier or name accepted in a cell.
pub const MAX_TEXT: usize = 256;
/// The largest amount or quantity accepted: far above any real charge, and small enough that a
/// sum over billions of lines cannot overflow a decimal.
const MAX_MAGNITUDE: i64 = 1_000_000_000_000_000;
const TOO_LARGE: &str = "must be at most 10^15 in size";
const OUT_OF_RANGE: &str = "cannot be held exactly: at most 28 decimal places and 28 digits before the point";

/// Parses a decimal exactly: an optional sign, digits with an optional point, and an optional
/// exponent (`-12.50`, `.5`, `1.5E-3`). A value that would need rounding to fit a `Decimal` is
/// refused rather than rounded: a silently changed amount is worse than a rejected file.
fn parse_decimal(s: &str) -> Result<Decimal, &'static str> {
    let (mantissa, exponent) = match s.split_once(['e', 'E']) {
        Some((mantissa, exponent)) => (mantissa, Some(exponent)),
        None => (s, None),
    };
    // Checked by hand because rust_decimal also takes `1_000`, which no billing export means.
    let unsigned = mantissa.strip_prefix(['+', '-']).unwrap_or(mantissa);
    let (whole, fraction) = unsigned.split_once('.').unwrap_or((unsigned, ""));
    if (whole.is_empty() && fraction.is_empty()) || !all_digits(whole) || !all_digits(fraction) {
        return Err(NOT_A_NUMBER);
    }
    let value = Decimal::from_str_exact(mantissa).map_err(|_| OUT_OF_RANGE)?;
    let Some(exponent) = exponent else {
        return within_magnitude(value);
    };
    let (negative, digits) = match exponent.strip_prefix('-') {
        Some(digits) => (true, digits),
        None => (false, exponent.strip_prefix('+').unwrap_or(exponent)),
    };
    if digits.is_empty() || !all_digits(digits) {
        return Err(NOT_A_NUMBER);
    }
    let power: u32 = digits.parse().map_err(|_| OUT_OF_RANGE)?;
    within_magnitude(times_power_of_ten(value, negative, power).ok_or(OUT_OF_RANGE)?)
}

fn within_magnitude(value: Decimal) -> Result<Decimal, &'static str> {
    if value.abs() > Decimal::from(MAX_MAGNITUDE) { Err(TOO_LARGE) } else { Ok(value) }
}

fn all_digits(s: &str) -> bool {
    s.bytes().all(|b| b.is_ascii_digit())
}

/// `value` × 10^±`power`, or `None` when the result does not fit a `Decimal` exactly.
fn times_power_of_ten(value: Decimal, negative: bool, power: u32) -> Option<Decimal> {
    if value.is_zero() {
        return Some(Decimal::ZERO);
    }
    // Without its trailing zeros the value has scale to spare: 1.50E-27 fits, 1.50's scale of 2 would not.
    let mut value = value.normalize();
    let scale = value.scale();
    if negative {
        // set_scale refuses a scale above 28 rather than rounding.
        value.set_scale(scale.checked_add(power)?).ok()?;
        Some(value)
    } else if power <= scale {
        value.set_scale(scale - power).ok()?;
        Some(value)
    } else {
        // Read the digits as an integer, then multiply: integer products are exact or overflow.
        value.set_scale(0).ok()?;
        let factor = Decimal::try_from_i128_with_scale(10i128.checked_pow(power - scale)?, 0).ok()?;
        value.checked_mul(factor)
    }
}

const BAD_TIME: &str =
    "must be a date such as 2026-10-31, an RFC 3339 time such as 2026-10-31T23:30:00Z, or 2026-10-31 23:30:00 (UTC)";

/// `YYYY-MM-DD` (00:00 UTC), RFC 3339 with any offset (converted to UTC, so the month is the
/// UTC month), or a time without an offset — `T` or a space between date and time, as the
/// FinOps Foundation's sample writes `2024-09-18 22:00:00` — read as UTC, since FOCUS and
/// docs/import.md §3 say times are UTC.
fn parse_time(s: &str) -> Result<DateTime<Utc>, &'static str> {
    // chrono alone would also take `2026-1-5` or `+2026-01-05`; insisting on the ISO shape keeps
    // a slip in the exporting tool from becoming a plausible but wrong date.
    let iso_date = s.get(..10).is_some_and(|date| {
        date.bytes().enumerate().all(|(i, b)| if i == 4 || i == 7 { b == b'-' } else { b.is_ascii_digit() })
    });
    if !iso_date {
        return Err(BAD_TIME);
    }
    let time = if s.len() == 10 {
        // The shape is checked above: the numbers are read directly, as chrono's parser reads
        // its format string again for every call, twice a line (docs/performance.md §7).
        let number = |range: std::ops::Range<usize>| s[range].parse::<u32>().ok();
        let (year, month, day) = (number(0..4), number(5..7), number(8..10));
        (year.zip(month).zip(day))
            .and_then(|((y, m), d)| NaiveDate::from_ymd_opt(y as i32, m, d))
            .map(|date| date.and_time(NaiveTime::MIN).and_utc())
    } else {
        DateTime::parse_from_rfc3339(s)
            .map(|time| time.with_timezone(&Utc))
            .ok()
            .or_else(|| NaiveDateTime::parse_from_str(s, "%Y-%m-%dT%H:%M:%S%.f").ok().map(|time| time.and_utc()))
            .or_else(|| NaiveDateTime::parse_from_str(s, "%Y-%m-%d %H:%M:%S%.f").ok().map(|time| time.and_utc()))
    };
    // Years outside 1–9999 (after conversion to UTC) have no YYYY-MM month to file them under.
    time.filter(|t| (1..=9999).contains(&t.year())).ok_or(BAD_TIME)
}

#[cfg(test)]
mod tests {
    use super::*;

    const HEADER: &[&str] = &[
        "BillingAccountId",
        "ChargePeriodStart",
        "ChargePeriodEnd",
        "BilledCost",
        "EffectiveCost",
        "BillingCurrency",
        "ChargeCategory",
        "ProviderName",
        "ServiceName",
        "SkuId",
        "ConsumedQuantity",
        "PricingQuantity",
        "x_ResellerId",
        "x_Marketplace",
        "x_LineItemId",
    ];

    const ROW: &[&str] = &[
        "CUST-1",
        "2026-10-01",
        "2026-10-02",
        "12.50",
        "10.00",
        "usd",
        "Usage",
        "AWS",
        "Amazon EC2",
        "EC2-M5",
        "3",
        "",
        "RES-1",
        "TRUE",
        "L-1",
    ];

    fn dec(s: &str) -> Decimal {
        Decimal::from_str_exact(s).unwrap()
    }

    fn utc(s: &str) -> DateTime<Utc> {
        DateTime::parse_from_rfc3339(s).unwrap().with_timezone(&Utc)
    }

    /// [`ROW`] with some cells replaced, parsed as data row 1 of a file with [`HEADER`].
    fn parse_with(changes: &[(&str, &str)]) -> Result<LineInput, Vec<RowProblem>> {
        let mut record = ROW.to_vec();
        for (column, value) in changes {
            record[HEADER.iter().position(|name| name == column).unwrap()] = value;
        }
        Columns::from_header(HEADER).unwrap().parse(1, &record)
    }

    fn line_with(changes: &[(&str, &str)]) -> LineInput {
        parse_with(changes).unwrap()
    }

    /// The (column, message) of each problem, in order.
    fn problems_with(changes: &[(&str, &str)]) -> Vec<(String, String)> {
        parse_with(changes).unwrap_err().into_iter().map(|p| (p.column.unwrap_or_default(), p.message)).collect()
    }

    #[test]
    fn a_complete_row_fills_every_field() {
        let line = line_with(&[]);
        assert_eq!(
            line,
            LineInput {
                customer_external_id: "CUST-1".into(),
                period_start: utc("2026-10-01T00:00:00Z"),
                period_end: utc("2026-10-02T00:00:00Z"),
                billed_cost: dec("12.50"),
                effective_cost: dec("10.00"),
                currency: CurrencyCode::parse("USD").unwrap(),
                category: ChargeCategory::Usage,
                provider: "AWS".into(),
                service: "Amazon EC2".into(),
                sku: Some("EC2-M5".into()),
                quantity: Some(dec("3")),
                reseller_external_id: Some("RES-1".into()),
                marketplace: true,
                line_item_id: Some("L-1".into()),
                details: LineDetails {
                    billing_account_id: Some("CUST-1".into()),
                    consumed_quantity: Some(dec("3")),
                    ..LineDetails::default()
                },
            }
        );
        assert_eq!(line.month(), "2026-10");
        assert_eq!(line.day(), NaiveDate::from_ymd_opt(2026, 10, 1).unwrap());
    }

    #[test]
    fn charge_categories_read_any_case_and_are_sent_in_focus_spelling() {
        assert_eq!("usage".parse::<ChargeCategory>(), Ok(ChargeCategory::Usage));
        assert_eq!(" ADJUSTMENT ".parse::<ChargeCategory>(), Ok(ChargeCategory::Adjustment));
        for category in ChargeCategory::ALL {
            assert_eq!(category.as_str().parse::<ChargeCategory>(), Ok(*category));
            assert_eq!(serde_json::to_string(category).unwrap(), format!("\"{}\"", category.as_str()));
        }
        assert_eq!(serde_json::from_str::<ChargeCategory>("\"Credit\"").unwrap(), ChargeCategory::Credit);
        assert_eq!(ChargeCategory::Purchase.to_string(), "Purchase");
    }

    #[test]
    fn unknown_charge_category_lists_the_accepted_values() {
        assert_eq!(
            problems_with(&[("ChargeCategory", "Refund")]),
            [("ChargeCategory".into(), "must be one of: Usage, Purchase, Tax, Credit, Adjustment".into())]
        );
    }

    #[test]
    fn tax_is_the_only_category_that_is_not_revenue() {
        let revenue: Vec<_> = ChargeCategory::ALL.iter().filter(|c| c.counts_as_revenue()).collect();
        assert_eq!(
            revenue,
            [&ChargeCategory::Usage, &ChargeCategory::Purchase, &ChargeCategory::Credit, &ChargeCategory::Adjustment]
        );
        let usage: Vec<_> = ChargeCategory::ALL.iter().filter(|c| c.is_usage()).collect();
        assert_eq!(usage, [&ChargeCategory::Usage]);
    }

    #[test]
    fn bom_and_case_are_ignored_in_the_header() {
        let header = [
            "\u{feff}billingaccountid",
            " CHARGEPERIODSTART ",
            "chargePeriodEnd",
            "BILLEDCOST",
            "billingcurrency",
            "chargecategory",
            "providername",
            "servicename",
        ];
        let columns = Columns::from_header(&header).unwrap();
        let line = columns.parse(1, &["C1", "2026-10-01", "2026-10-01", "1", "EUR", "Tax", "AWS", "S3"]).unwrap();
        assert_eq!(line.customer_external_id, "C1");
        assert_eq!(line.category, ChargeCategory::Tax);
    }

    #[test]
    fn extra_columns_are_ignored_and_optional_ones_may_be_absent() {
        let header = [
            "Tags",
            "ServiceName",
            "ProviderName",
            "ChargeCategory",
            "BillingCurrency",
            "BilledCost",
            "ChargePeriodEnd",
            "ChargePeriodStart",
            "BillingAccountId",
            "",
        ];
        let columns = Columns::from_header(&header).unwrap();
        let line = columns
            .parse(1, &["{\"env\":\"prod\"}", "S3", "AWS", "Usage", "EUR", "4", "2026-10-02", "2026-10-01", "C1", ""])
            .unwrap();
        assert_eq!(
            (line.service.as_str(), line.provider.as_str(), line.customer_external_id.as_str()),
            ("S3", "AWS", "C1")
        );
        assert_eq!((line.sku, line.quantity, line.reseller_external_id, line.line_item_id), (None, None, None, None));
        assert!(!line.marketplace);
        assert_eq!(line.effective_cost, dec("4"));
    }

    #[test]
    fn x_customer_id_stands_in_for_billing_account_id_and_wins_when_both_are_present() {
        let mut header = HEADER.to_vec();
        header[0] = "x_CustomerId";
        assert_eq!(Columns::from_header(&header).unwrap().parse(1, ROW).unwrap().customer_external_id, "CUST-1");

        // x_CustomerId names the customer; BillingAccountId (a payer, in a provider's export) is kept.
        header.push("BillingAccountId");
        let mut record = ROW.to_vec();
        record.push("ACCOUNT-9");
        let line = Columns::from_header(&header).unwrap().parse(1, &record).unwrap();
        assert_eq!(line.customer_external_id, "CUST-1");
        assert_eq!(line.details.customer_id.as_deref(), Some("CUST-1"));
        assert_eq!(line.details.billing_account_id.as_deref(), Some("ACCOUNT-9"));
    }

    #[test]
    fn a_sub_account_keys_the_customer_under_its_payer_and_the_export_details_are_kept() {
        let mut header = HEADER.to_vec();
        header.extend(["SubAccountId", "SubAccountName", "BillingPeriodStart", "InvoiceId", "ChargeClass"]);
        let mut record = ROW.to_vec();
        record.extend(["123456789012", "Acme Prod", "2026-09-01 00:00:00", "INV-1", "Correction"]);
        let line = Columns::from_header(&header).unwrap().parse(1, &record).unwrap();
        assert_eq!(line.customer_external_id, "123456789012");
        let details = &line.details;
        assert_eq!(details.billing_account_id.as_deref(), Some("CUST-1"));
        assert_eq!(details.sub_account_name.as_deref(), Some("Acme Prod"));
        // A correction of September billed in October's export: the line's month is its charge
        // period's, the billing period is kept beside it.
        assert_eq!((line.month().as_str(), details.billing_period.as_deref()), ("2026-10", Some("2026-09")));
        assert_eq!(
            (details.invoice_id.as_deref(), details.charge_class.as_deref()),
            (Some("INV-1"), Some("Correction"))
        );

        // With no key at all the row names the customer column.
        record[0] = "";
        record[HEADER.len()] = "NULL";
        let problems = Columns::from_header(&header).unwrap().parse(1, &record).unwrap_err();
        assert_eq!(problems[0].column.as_deref(), Some("BillingAccountId"));
    }

    #[test]
    fn focus_datasets_other_than_cost_and_usage_are_named() {
        let problems =
            Columns::from_header(&["BillingAccountId", "ContractCommitmentId", "BillingCurrency"]).unwrap_err();
        assert_eq!(problems.len(), 1);
        assert!(problems[0].message.contains("contract commitment dataset"), "{:?}", problems[0]);
    }

    #[test]
    fn missing_required_columns_are_each_named() {
        let problems = Columns::from_header(&["ChargePeriodStart", "BilledCost", "SkuId", "ServiceName"]).unwrap_err();
        let named: Vec<_> = problems.iter().map(|p| p.column.as_deref().unwrap()).collect();
        assert_eq!(named, ["BillingAccountId", "ChargePeriodEnd", "BillingCurrency", "ChargeCategory", "ProviderName"]);
        for problem in &problems {
            assert_eq!((problem.row, problem.line, problem.message.as_str()), (None, None, "missing required column"));
        }
    }

    #[test]
    fn duplicate_columns_are_refused_once_per_name() {
        let mut header = HEADER.to_vec();
        header.extend(["billedcost", "BILLEDCOST", "Tags", "tags"]);
        let problems = Columns::from_header(&header).unwrap_err();
        let named: Vec<_> = problems.iter().map(|p| (p.column.as_deref().unwrap(), p.row)).collect();
        assert_eq!(named, [("BilledCost", None), ("Tags", None)]);
        assert!(problems[0].message.contains("duplicate column"));
    }

    #[test]
    fn wrong_field_count_is_one_problem() {
        let columns = Columns::from_header(HEADER).unwrap();
        let problems = columns.parse(4, &["CUST-1", "not a date", "2026-10-01"]).unwrap_err();
        assert_eq!(
            problems,
            [RowProblem {
                row: Some(4),
                line: Some(5),
                column: None,
                message: "expected 15 fields, found 3".into(),
                value: None
            }]
        );
    }

    #[test]
    fn every_bad_cell_of_a_row_is_reported() {
        let problems = problems_with(&[
            ("BillingAccountId", " "),
            ("ChargePeriodStart", "31/10/2026"),
            ("BilledCost", "12,50"),
            ("EffectiveCost", "ten"),
            ("BillingCurrency", "dollars"),
            ("ChargeCategory", ""),
            ("ConsumedQuantity", "NaN"),
            ("PricingQuantity", "inf"),
        ]);
        let columns: Vec<_> = problems.iter().map(|(column, _)| column.as_str()).collect();
        assert_eq!(
            columns,
            [
                "BillingAccountId",
                "ChargePeriodStart",
                "BilledCost",
                "EffectiveCost",
                "BillingCurrency",
                "ChargeCategory",
                "PricingQuantity",
                "ConsumedQuantity",
            ]
        );
        assert_eq!(problems[0].1, "must not be empty");
        assert_eq!(problems[4].1, "must be an ISO 4217 currency code such as EUR");
        assert_eq!(problems[5].1, "must not be empty");
    }

    #[test]
    fn problems_name_the_data_row_the_file_line_and_the_canonical_column() {
        let header: Vec<String> = HEADER.iter().map(|name| name.to_uppercase()).collect();
        let header: Vec<&str> = header.iter().map(String::as_str).collect();
        let mut record = ROW.to_vec();
        record[3] = "abc";
        let problems = Columns::from_header(&header).unwrap().parse(7, &record).unwrap_err();
        assert_eq!(
            problems,
            [RowProblem {
                row: Some(7),
                line: Some(8),
                column: Some("BilledCost".into()),
                message: NOT_A_NUMBER.into(),
                value: Some("abc".into())
            }]
        );
    }

    #[test]
    fn row_problems_become_field_errors_with_row_and_column() {
        let problem = RowProblem {
            row: Some(3),
            line: Some(4),
            column: Some("SkuId".into()),
            message: "bad".into(),
            value: None,
        };
        assert_eq!(
            FieldError::from(problem),
            FieldError { field: Some("SkuId".into()), row: Some(3), message: "bad".into(), rows: None }
        );
    }

    #[test]
    fn cells_are_trimmed() {
        let line = line_with(&[
            ("BillingAccountId", "  CUST-2 "),
            ("BilledCost", " 7.25 "),
            ("ChargePeriodStart", " 2026-09-30 "),
        ]);
        assert_eq!(line.customer_external_id, "CUST-2");
        assert_eq!(line.billed_cost, dec("7.25"));
        assert_eq!(line.month(), "2026-09");
    }

    #[test]
    fn offset_timestamps_are_converted_before_the_month_is_taken() {
        let line = line_with(&[
            ("ChargePeriodStart", "2026-10-31T23:30:00-02:00"),
            ("ChargePeriodEnd", "2026-11-01T02:00:00Z"),
        ]);
        assert_eq!(line.period_start, utc("2026-11-01T01:30:00Z"));
        assert_eq!(line.month(), "2026-11");
        assert_eq!(line.day(), NaiveDate::from_ymd_opt(2026, 11, 1).unwrap());
    }

    #[test]
    fn times_with_a_space_and_no_zone_are_utc_as_focus_says() {
        let line =
            line_with(&[("ChargePeriodStart", "2024-09-18 22:00:00"), ("ChargePeriodEnd", "2024-09-30 23:59:59.999")]);
        assert_eq!(line.period_start, utc("2024-09-18T22:00:00Z"));
        assert_eq!(line.period_end.timestamp_millis(), utc("2024-09-30T23:59:59.999Z").timestamp_millis());
        assert_eq!(line.month(), "2024-09");
    }

    #[test]
    fn null_in_a_cell_is_empty() {
        let line = line_with(&[("SkuId", "NULL"), ("x_ResellerId", "null"), ("EffectiveCost", "Null")]);
        assert_eq!((line.sku, line.reseller_external_id), (None, None));
        assert_eq!(line.effective_cost, line.billed_cost, "an empty EffectiveCost defaults to BilledCost");
        assert_eq!(problems_with(&[("BilledCost", "NULL")]), [("BilledCost".into(), "must not be empty".into())]);
    }

    #[test]
    fn a_bad_cell_shows_its_value_cut_and_without_control_characters() {
        let problem = |cell: &str| parse_with(&[("BilledCost", cell)]).unwrap_err().remove(0);
        let shown = problem("12,50");
        assert_eq!(shown.value.as_deref(), Some("12,50"));
        let error = FieldError::from(shown);
        assert_eq!(error.message, format!("{NOT_A_NUMBER}; found \"12,50\""));
        let long = problem(&format!("{}x", "9".repeat(100)));
        assert_eq!(long.value.unwrap().chars().count(), MAX_SHOWN_VALUE + 1, "80 characters and an ellipsis");
        assert_eq!(problem("1\u{7}2").value.as_deref(), Some("1\u{fffd}2"));
    }

    #[test]
    fn the_provider_is_read_from_the_names_focus_1_3_and_1_4_use() {
        for name in ["ServiceProviderName", "HostProviderName"] {
            let header: Vec<&str> = HEADER.iter().map(|h| if *h == "ProviderName" { name } else { h }).collect();
            let columns = Columns::from_header(&header).unwrap();
            let line = columns.parse(1, ROW).unwrap();
            assert_eq!(line.provider, "AWS", "{name}");
        }
        let mut both: Vec<&str> = HEADER.to_vec();
        both.push("ServiceProviderName");
        let columns = Columns::from_header(&both).unwrap();
        let mut row: Vec<&str> = ROW.to_vec();
        row.push("Amazon Web Services");
        assert_eq!(columns.parse(1, &row).unwrap().provider, "AWS", "ProviderName wins where both are present");
    }

    #[test]
    fn plain_dates_and_offsetless_times_are_utc() {
        let line = line_with(&[("ChargePeriodStart", "2026-10-05"), ("ChargePeriodEnd", "2026-10-05T13:45:00")]);
        assert_eq!(line.period_start, utc("2026-10-05T00:00:00Z"));
        assert_eq!(line.period_end, utc("2026-10-05T13:45:00Z"));
    }

    #[test]
    fn malformed_dates_are_refused() {
        for bad in [
            "2026-1-5",
            "+2026-01-05",
            "31/10/2026",
            "2026-02-30",
            "2026-04-31",
            "2026-00-10",
            "2026-13-01",
            "0000-01-01",
            "2026-10-01T25:00:00Z",
            "2026-10",
            "yesterday",
        ] {
            assert_eq!(
                problems_with(&[("ChargePeriodStart", bad)]),
                [("ChargePeriodStart".into(), BAD_TIME.into())],
                "{bad} accepted"
            );
        }
    }

    #[test]
    fn a_period_ending_before_it_starts_is_a_problem_on_the_end() {
        assert_eq!(
            problems_with(&[("ChargePeriodStart", "2026-10-02"), ("ChargePeriodEnd", "2026-10-01T23:59:59Z")]),
            [("ChargePeriodEnd".into(), "must not be before ChargePeriodStart".into())]
        );
        // An instant charge starts and ends at once.
        assert!(parse_with(&[("ChargePeriodStart", "2026-10-02"), ("ChargePeriodEnd", "2026-10-02")]).is_ok());
    }

    #[test]
    fn marketplace_is_true_only_for_true() {
        for (cell, expected) in [("true", true), (" True ", true), ("TRUE", true), ("", false), ("false", false)] {
            assert_eq!(line_with(&[("x_Marketplace", cell)]).marketplace, expected, "{cell:?}");
        }
        for other in ["yes", "1", "t"] {
            assert!(!line_with(&[("x_Marketplace", other)]).marketplace, "{other:?}");
        }
    }

    #[test]
    fn effective_cost_defaults_to_billed_cost() {
        assert_eq!(line_with(&[("EffectiveCost", "")]).effective_cost, dec("12.50"));
        assert_eq!(line_with(&[("EffectiveCost", "0")]).effective_cost, Decimal::ZERO);
    }

    #[test]
    fn pricing_quantity_wins_over_consumed_quantity() {
        assert_eq!(line_with(&[("PricingQuantity", "5"), ("ConsumedQuantity", "3")]).quantity, Some(dec("5")));
        assert_eq!(line_with(&[("PricingQuantity", ""), ("ConsumedQuantity", "3")]).quantity, Some(dec("3")));
        assert_eq!(line_with(&[("PricingQuantity", ""), ("ConsumedQuantity", "")]).quantity, None);
    }

    #[test]
    fn empty_optional_text_is_none() {
        let line = line_with(&[("SkuId", " "), ("x_ResellerId", ""), ("x_LineItemId", "")]);
        assert_eq!((line.sku, line.reseller_external_id, line.line_item_id), (None, None, None));
    }

    #[test]
    fn decimals_are_exact() {
        let a = line_with(&[("BilledCost", "0.1")]).billed_cost;
        let b = line_with(&[("BilledCost", "0.2")]).billed_cost;
        assert_eq!(a + b, dec("0.3"));
        for digits in ["123456789012345.6789012345678", "0.1234567890123456789012345678", "-999999999999999.999999"] {
            assert_eq!(line_with(&[("BilledCost", digits)]).billed_cost.to_string(), digits);
        }
        // One digit more would have to be rounded, so it is refused instead.
        for too_precise in ["0.12345678901234567890123456789", "79228162514264337593543950336"] {
            assert_eq!(problems_with(&[("BilledCost", too_precise)]), [("BilledCost".into(), OUT_OF_RANGE.into())]);
        }
        // Amounts beyond 10^15 are refused, so that no sum of lines can overflow.
        for too_large in ["1000000000000000.01", "-1234567890123456789012345678"] {
            assert_eq!(problems_with(&[("BilledCost", too_large)]), [("BilledCost".into(), TOO_LARGE.into())]);
        }
    }

    #[test]
    fn exponents_are_applied_exactly_or_refused() {
        assert_eq!(line_with(&[("BilledCost", "1.5E-3")]).billed_cost, dec("0.0015"));
        assert_eq!(line_with(&[("BilledCost", "-2.5e+2")]).billed_cost, dec("-250"));
        assert_eq!(line_with(&[("BilledCost", "1.50E-27")]).billed_cost, dec("0.0000000000000000000000000015"));
        assert_eq!(line_with(&[("BilledCost", "1E15")]).billed_cost, dec("1000000000000000"));
        assert_eq!(problems_with(&[("BilledCost", "1E28")]), [("BilledCost".into(), TOO_LARGE.into())]);
        assert_eq!(line_with(&[("BilledCost", "0E99")]).billed_cost, Decimal::ZERO);
        for unrepresentable in ["1E-29", "8E28", "1E4294967296"] {
            assert_eq!(problems_with(&[("BilledCost", unrepresentable)]), [("BilledCost".into(), OUT_OF_RANGE.into())]);
        }
    }

    #[test]
    fn nul_characters_long_ids_and_year_ten_thousand_are_refused() {
        assert_eq!(problems_with(&[("ProviderName", "A\0B")])[0].0, "ProviderName");
        let long = "x".repeat(MAX_TEXT + 1);
        assert_eq!(problems_with(&[("x_LineItemId", long.as_str())])[0].0, "x_LineItemId");
        let late =
            problems_with(&[("ChargePeriodStart", "9999-12-31T23:30:00-02:00"), ("ChargePeriodEnd", "9999-12-31")]);
        assert_eq!(late[0].0, "ChargePeriodStart", "{late:?}");
    }

    #[test]
    fn text_that_is_not_a_plain_number_is_refused() {
        for bad in
            ["NaN", "inf", "-Infinity", "1_000", "1,000.00", "12 EUR", "$12", ".", "-", "1.2.3", "1E", "1E+-2", "0x10"]
        {
            assert_eq!(problems_with(&[("BilledCost", bad)]), [("BilledCost".into(), NOT_A_NUMBER.into())], "{bad}");
        }
    }

    #[test]
    fn negative_credits_parse() {
        let line = line_with(&[("ChargeCategory", "credit"), ("BilledCost", "-40.00"), ("EffectiveCost", "")]);
        assert_eq!(line.category, ChargeCategory::Credit);
        assert_eq!(line.billed_cost, dec("-40.00"));
        assert_eq!(line.effective_cost, dec("-40.00"));
        assert!(line.category.counts_as_revenue());
    }
}
