//! PostgreSQL: rated chunks already queued for the writer are sent as one `COPY`. Each chunk
//! sent on its own costs the connection a `SAVEPOINT`, a `COPY` and a `RELEASE`, each waited for;
//! while the database is the slower side, chunks queue up, and taking them together makes those
//! waits fewer (docs/performance.md §10). Nothing waits for a chunk that is not queued yet.
//!
//! A chunk that repeats an x_LineItemId of the lines gathered before it is not taken in: it goes
//! on its own, after them, and replaces the earlier line as it would have ungathered (the
//! writer's count of replaced lines stays the same whatever the queue held).

use std::collections::HashSet;
use std::hash::{BuildHasher, RandomState};

use tokio::sync::mpsc::Receiver;

use super::line_binding::Prepared;
use super::rating_stage::Rated;
use crate::entities::billing_line_item::Model;

/// The most lines sent as one `COPY`: a few chunks, a few megabytes of text and models.
const LINES_PER_COPY: usize = 8_000;

/// `lines` and their statements, with those of the chunks queued behind them when both are
/// `COPY` text; the first queued item that is not such a chunk is left in `pending`.
pub(super) fn gather(
    mut lines: Vec<Model>,
    prepared: Prepared,
    queued: &mut Receiver<Rated>,
    pending: &mut Option<Rated>,
) -> (Vec<Model>, Prepared) {
    let Prepared::Copy(mut text) = prepared else {
        return (lines, prepared);
    };
    // Hashes of the gathered lines' keys: two keys of one hash only keep a chunk apart.
    let hasher = RandomState::new();
    let key = |line: &Model| line.line_item_id.as_deref().map(|id| hasher.hash_one((line.owner_id, id)));
    // Made once a chunk is found queued: a chunk that goes alone needs no hashes.
    let mut gathered_keys: Option<HashSet<u64>> = None;
    while lines.len() < LINES_PER_COPY {
        match queued.try_recv() {
            Ok(Rated::Lines(more, Prepared::Copy(more_text))) => {
                let keys = gathered_keys.get_or_insert_with(|| lines.iter().filter_map(key).collect());
                let more_keys: Vec<u64> = more.iter().filter_map(key).collect();
                if more_keys.iter().any(|k| keys.contains(k)) {
                    *pending = Some(Rated::Lines(more, Prepared::Copy(more_text)));
                    break;
                }
                keys.extend(more_keys);
                lines.extend(more);
                text.extend_from_slice(&more_text);
            }
            Ok(other) => {
                *pending = Some(other);
                break;
            }
            Err(_) => break,
        }
    }
    (lines, Prepared::Copy(text))
}

#[cfg(test)]
mod tests {
    use tokio::sync::mpsc::channel;

    use super::*;
    use crate::import::line_binding::tests::line;

    fn chunk(rows: std::ops::Range<i64>) -> Rated {
        let text: String = rows.clone().map(|row| format!("{row}\n")).collect();
        Rated::Lines(rows.map(line).collect(), Prepared::Copy(text.into_bytes()))
    }

    #[tokio::test]
    async fn queued_chunks_join_the_first_in_order_up_to_the_next_other_item() {
        let (tx, mut rx) = channel(8);
        tx.send(chunk(3..5)).await.unwrap();
        tx.send(chunk(5..6)).await.unwrap();
        tx.send(Rated::Changes(Box::default())).await.unwrap();
        tx.send(chunk(6..7)).await.unwrap();
        let Rated::Lines(lines, prepared) = chunk(1..3) else { unreachable!() };
        let mut pending = None;
        let (lines, prepared) = gather(lines, prepared, &mut rx, &mut pending);
        let rows: Vec<i64> = lines.iter().map(|line| line.row_number).collect();
        assert_eq!(rows, [1, 2, 3, 4, 5]);
        let Prepared::Copy(text) = prepared else { panic!("COPY text") };
        assert_eq!(text, b"1\n2\n3\n4\n5\n");
        assert!(matches!(pending, Some(Rated::Changes(_))), "the rollup changes wait their turn");
        assert!(matches!(rx.try_recv(), Ok(Rated::Lines(..))), "the chunk after them stays queued");
    }

    #[tokio::test]
    async fn a_chunk_repeating_a_gathered_line_id_goes_on_its_own() {
        let (tx, mut rx) = channel(8);
        tx.send(chunk(3..4)).await.unwrap();
        tx.send(chunk(2..3)).await.unwrap();
        let Rated::Lines(lines, prepared) = chunk(1..3) else { unreachable!() };
        let mut pending = None;
        let (lines, _) = gather(lines, prepared, &mut rx, &mut pending);
        let rows: Vec<i64> = lines.iter().map(|line| line.row_number).collect();
        assert_eq!(rows, [1, 2, 3]);
        let Some(Rated::Lines(repeated, _)) = pending else { panic!("the repeating chunk waits") };
        assert_eq!(repeated[0].line_item_id, lines[1].line_item_id);
    }

    #[tokio::test]
    async fn a_chunk_alone_goes_as_it_is() {
        let (_tx, mut rx) = channel::<Rated>(1);
        let Rated::Lines(lines, prepared) = chunk(1..3) else { unreachable!() };
        let mut pending = None;
        let (lines, prepared) = gather(lines, prepared, &mut rx, &mut pending);
        assert_eq!(lines.len(), 2);
        assert!(matches!(prepared, Prepared::Copy(text) if text == b"1\n2\n"));
        assert!(pending.is_none());
    }
}
