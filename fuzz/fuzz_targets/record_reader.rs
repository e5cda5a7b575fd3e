//! The record reader on any bytes, plain or compressed: it never panics,
//! never hands out a record over its limit, and cuts the same records
//! whatever the batch size. Each JSONL or JSON record then goes through what the
//! command line does with it (decode, parse, the text field).
#![no_main]

use libfuzzer_sys::fuzz_target;
use pith::input::{JsonRecord, decode, detect};
use pith_cli::reader::{Decompress, RecordReader, Split};

/// Every record as (bytes, line, too_long), and whether the stream broke.
type Records = (Vec<(Vec<u8>, usize, Option<u64>)>, bool);

fn read(data: &[u8], split: Split, batch: usize, max: usize) -> Records {
    let Ok(stream) = Decompress::new(data) else {
        return (Vec::new(), true);
    };
    let mut reader = RecordReader::new(stream, split, batch, max);
    let mut out = Vec::new();
    loop {
        match reader.next_batch() {
            Ok(Some(batch)) => {
                for record in &batch.records {
                    let bytes = batch.bytes(record);
                    assert!(bytes.len() <= max, "a record over the limit");
                    assert!(record.too_long.is_none_or(|n| n > max as u64));
                    out.push((bytes.to_vec(), record.line, record.too_long));
                }
            }
            Ok(None) => return (out, false),
            Err(_) => {
                assert!(matches!(reader.next_batch(), Ok(None)), "one error only");
                return (out, true);
            }
        }
    }
}

fuzz_target!(|data: &[u8]| {
    let Some((&control, stream)) = data.split_first() else {
        return;
    };
    let split = match control % 6 {
        0 => Split::Lines,
        1 => Split::Whole,
        2 => Split::FormFeed,
        3 => Split::Blank3,
        4 => Split::Nul,
        _ => Split::Json,
    };
    let max = 1 + usize::from(control >> 3) * 4;
    let small = read(stream, split, 1 + usize::from(control % 7), max);
    let large = read(stream, split, 1 << 20, max);
    assert_eq!(small, large, "the records depend on the batch size");
    for complete in [false, true] {
        let _ = detect(stream, complete);
    }
    if matches!(split, Split::Lines | Split::Json) {
        for (bytes, _, _) in &small.0 {
            for strict in [false, true] {
                if let Ok((line, _)) = decode(bytes, strict)
                    && let Ok(record) = JsonRecord::parse(&line)
                {
                    let _ = record.text("text", strict);
                    let _ = record.id("id");
                }
            }
        }
    }
});
