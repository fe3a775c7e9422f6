//! A JSON batch of lines, turned into the same rows a CSV gives, so that both go through one
//! parser and one importer.

use domain::focus::{Columns, KNOWN_COLUMNS as COLUMNS, RowProblem};
use serde_json::{Map, Value};
use tokio::sync::mpsc::{Receiver, channel};

use super::parsed::{CHUNK, Parsed};

/// The items as parsed rows, in chunks on a channel.
pub fn spawn(items: Vec<Map<String, Value>>) -> Receiver<Vec<Parsed>> {
    let (tx, rx) = channel(4);
    tokio::spawn(async move {
        for chunk in parse(items).chunks(CHUNK) {
            if tx.send(chunk.to_vec()).await.is_err() {
                return;
            }
        }
    });
    rx
}

/// Parses every item; an item's keys are matched case-insensitively, unknown keys ignored.
pub fn parse(items: Vec<Map<String, Value>>) -> Vec<Parsed> {
    // Only the columns some item uses form the header, so that a missing required column is
    // reported as such; x_CustomerId stands in for BillingAccountId when only it is used.
    let used: Vec<&str> = COLUMNS
        .iter()
        .copied()
        .filter(|c| items.iter().any(|item| item.keys().any(|k| k.eq_ignore_ascii_case(c))))
        .collect();
    let columns = match Columns::from_header(&used) {
        Ok(c) => c,
        Err(problems) => return vec![Parsed::Bad(problems)],
    };
    items
        .into_iter()
        .enumerate()
        .map(|(i, item)| {
            let row = i as u64 + 1;
            let cells: Vec<String> = used
                .iter()
                .map(|c| match item.iter().find(|(k, _)| k.eq_ignore_ascii_case(c)).map(|(_, v)| v) {
                    None | Some(Value::Null) => String::new(),
                    Some(Value::String(s)) => s.clone(),
                    Some(Value::Number(n)) => n.to_string(),
                    Some(Value::Bool(b)) => b.to_string(),
                    Some(other) => other.to_string(),
                })
                .collect();
            let fields: Vec<&str> = cells.iter().map(String::as_str).collect();
            match columns.parse(row, &fields) {
                Ok(line) => Parsed::Row(row, Box::new(line)),
                Err(problems) => Parsed::Bad(
                    problems
                        .into_iter()
                        .map(|p| RowProblem { message: format!("items[{}]: {}", i, p.message), ..p })
                        .collect(),
                ),
            }
        })
        .collect()
}
