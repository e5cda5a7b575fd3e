//! Required literals of a regex: a few strings, one of which every match
//! contains. The matcher adds them to its Aho-Corasick automaton as *gates*,
//! so a regex trigger runs only on the lines where one of its gates was seen
//! in the same pass, instead of on every line — with exactly the same
//! results, since a line without a gate cannot hold a match.
//!
//! The analysis walks the regex's syntax tree ([`regex_syntax::hir`]) and
//! keeps, for each part, either the exact set of strings it can match (small
//! alternations, optional pieces, small character classes such as `[Cc]`,
//! case-insensitive letters), or a set one of which every match contains, or
//! nothing. Strings are ASCII lower-cased, matching the automaton's ASCII
//! case folding. Where the regex is anchored with `^` (or `$`) and the gate
//! starts (ends) every match, the gate must also sit at the start (end) of
//! the line's content, which keeps short gates such as `by` selective.

use std::collections::BTreeSet;

use regex_syntax::hir::{Class, Hir, HirKind, Look};

/// At most this many strings per set.
const MAX_LITERALS: usize = 512;
/// A character class expands into at most this many strings.
const MAX_CLASS: usize = 4;

/// Strings one of which every match of a regex contains.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Gate {
    /// ASCII lower-cased, none empty.
    pub literals: Vec<Vec<u8>>,
    /// The gate starts every match and the regex is anchored at the start:
    /// a gate hit counts only at the start of the line's content.
    pub at_start: bool,
    /// The gate ends every match and the regex is anchored at the end.
    pub at_end: bool,
}

/// The gate of `pattern` (parsed as the `regex` crate does by default), or
/// `None` when no useful one is known: the regex must then run on every line.
pub fn gate(pattern: &str) -> Option<Gate> {
    let hir = regex_syntax::Parser::new().parse(pattern).ok()?;
    let req = required(&hir);
    let (set, prefix, suffix) = match req {
        Req::Exact(set) => (set, true, true),
        Req::Contains {
            set,
            prefix,
            suffix,
        } => (set, prefix, suffix),
        Req::Unknown => return None,
    };
    let props = hir.properties();
    let at_start = prefix && props.look_set_prefix().contains(Look::Start);
    let at_end = suffix && props.look_set_suffix().contains(Look::End);
    let shortest = set.iter().map(Vec::len).min()?;
    let useful = shortest > 0 && (shortest >= 2 || at_start || at_end);
    useful.then(|| Gate {
        literals: set.into_iter().collect(),
        at_start,
        at_end,
    })
}

/// What is known of the strings a piece of regex matches.
#[derive(Debug, Clone, PartialEq, Eq)]
enum Req {
    /// Every match (ASCII lower-cased) is exactly one of these.
    Exact(BTreeSet<Vec<u8>>),
    /// Every match contains one of these; `prefix`: starts with one,
    /// `suffix`: ends with one.
    Contains {
        set: BTreeSet<Vec<u8>>,
        prefix: bool,
        suffix: bool,
    },
    Unknown,
}

impl Req {
    fn exact(strings: impl IntoIterator<Item = Vec<u8>>) -> Req {
        Req::Exact(strings.into_iter().collect())
    }

    /// True for a piece that only matches the empty string (an assertion).
    fn is_zero_width(&self) -> bool {
        matches!(self, Req::Exact(set) if set.len() == 1 && set.contains(&Vec::new()))
    }

    /// The set, with whether it is a prefix and a suffix set.
    fn parts(&self) -> Option<(&BTreeSet<Vec<u8>>, bool, bool)> {
        match self {
            Req::Exact(set) => Some((set, true, true)),
            Req::Contains {
                set,
                prefix,
                suffix,
            } => Some((set, *prefix, *suffix)),
            Req::Unknown => None,
        }
    }
}

fn required(hir: &Hir) -> Req {
    match hir.kind() {
        HirKind::Empty | HirKind::Look(_) => Req::exact([Vec::new()]),
        HirKind::Literal(literal) => Req::exact([literal.0.to_ascii_lowercase()]),
        HirKind::Class(class) => class_strings(class).map_or(Req::Unknown, Req::Exact),
        HirKind::Capture(capture) => required(&capture.sub),
        HirKind::Repetition(rep) => {
            let sub = required(&rep.sub);
            match (rep.min, rep.max, sub) {
                (0, Some(1), Req::Exact(mut set)) => {
                    set.insert(Vec::new());
                    Req::Exact(set)
                }
                (0, _, _) | (_, _, Req::Unknown) => Req::Unknown,
                (1, Some(1), sub) => sub,
                (_, _, sub) => match sub.parts() {
                    Some((set, prefix, suffix)) => contains(set.clone(), prefix, suffix),
                    None => Req::Unknown,
                },
            }
        }
        HirKind::Alternation(subs) => alternation(subs),
        HirKind::Concat(subs) => concat(subs),
    }
}

/// A `Contains` requirement, or `Unknown` when the set is of no use.
fn contains(set: BTreeSet<Vec<u8>>, prefix: bool, suffix: bool) -> Req {
    if set.is_empty() || set.contains(&Vec::new()) || set.len() > MAX_LITERALS {
        Req::Unknown
    } else {
        Req::Contains {
            set,
            prefix,
            suffix,
        }
    }
}

/// The strings of a small class, ASCII lower-cased (`[Cc]` is one string).
fn class_strings(class: &Class) -> Option<BTreeSet<Vec<u8>>> {
    let mut out = BTreeSet::new();
    match class {
        Class::Unicode(class) => {
            for range in class.iter() {
                for c in range.start()..=range.end() {
                    let mut utf8 = [0u8; 4];
                    out.insert(c.encode_utf8(&mut utf8).as_bytes().to_ascii_lowercase());
                    if out.len() > MAX_CLASS {
                        return None;
                    }
                }
            }
        }
        Class::Bytes(class) => {
            for range in class.iter() {
                for b in range.start()..=range.end() {
                    out.insert(vec![b.to_ascii_lowercase()]);
                    if out.len() > MAX_CLASS {
                        return None;
                    }
                }
            }
        }
    }
    (!out.is_empty()).then_some(out)
}

fn alternation(subs: &[Hir]) -> Req {
    let mut union = BTreeSet::new();
    let mut all_exact = true;
    let (mut prefix, mut suffix) = (true, true);
    for sub in subs {
        let req = required(sub);
        let Some((set, p, s)) = req.parts() else {
            return Req::Unknown;
        };
        all_exact &= matches!(req, Req::Exact(_));
        prefix &= p;
        suffix &= s;
        union.extend(set.iter().cloned());
    }
    if all_exact && union.len() <= MAX_LITERALS {
        Req::Exact(union)
    } else {
        contains(union, prefix, suffix)
    }
}

/// A concatenation: runs of exact pieces multiply into longer strings; the
/// best run or piece becomes the requirement.
fn concat(subs: &[Hir]) -> Req {
    let reqs: Vec<Req> = subs.iter().map(required).collect();
    let zero_width: Vec<bool> = reqs.iter().map(Req::is_zero_width).collect();
    // Whether every piece before `i` (from `i` on) matches only "".
    let nothing_before = |i: usize| zero_width.get(..i).is_some_and(|z| z.iter().all(|&z| z));
    let nothing_from = |i: usize| zero_width.get(i..).is_some_and(|z| z.iter().all(|&z| z));
    let mut candidates: Vec<(BTreeSet<Vec<u8>>, bool, bool)> = Vec::new();
    let mut run: BTreeSet<Vec<u8>> = BTreeSet::from([Vec::new()]);
    let mut run_start = 0;
    let mut all_exact = true;
    for (i, req) in reqs.iter().enumerate() {
        if let Req::Exact(set) = req
            && let Some(product) = product(&run, set)
        {
            run = product;
            continue;
        }
        all_exact = false;
        candidates.push((std::mem::take(&mut run), nothing_before(run_start), false));
        if let Some((set, prefix, suffix)) = req.parts() {
            candidates.push((
                set.clone(),
                prefix && nothing_before(i),
                suffix && nothing_from(i + 1),
            ));
        }
        // An exact piece too large to multiply starts the next run.
        run = match req {
            Req::Exact(set) => set.clone(),
            _ => BTreeSet::from([Vec::new()]),
        };
        run_start = if matches!(req, Req::Exact(_)) {
            i
        } else {
            i + 1
        };
    }
    if all_exact {
        return Req::Exact(run);
    }
    candidates.push((run, nothing_before(run_start), true));
    candidates
        .into_iter()
        .filter(|(set, _, _)| {
            !set.is_empty() && !set.contains(&Vec::new()) && set.len() <= MAX_LITERALS
        })
        .max_by_key(|(set, prefix, suffix)| {
            // Sets of longer strings first (one or two bytes match almost
            // everywhere), then those that start or end every match (they
            // can be held to the line's start or end), then the longest.
            let shortest = set.iter().map(Vec::len).min().unwrap_or(0);
            (
                shortest.min(3),
                *prefix || *suffix,
                shortest,
                std::cmp::Reverse(set.len()),
            )
        })
        .map_or(Req::Unknown, |(set, prefix, suffix)| {
            contains(set, prefix, suffix)
        })
}

/// Every string of `a` followed by every string of `b`, if not too many.
fn product(a: &BTreeSet<Vec<u8>>, b: &BTreeSet<Vec<u8>>) -> Option<BTreeSet<Vec<u8>>> {
    if a.len().saturating_mul(b.len()) > MAX_LITERALS {
        return None;
    }
    Some(
        a.iter()
            .flat_map(|x| b.iter().map(move |y| [x.as_slice(), y].concat()))
            .collect(),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    fn strings(gate: &Gate) -> Vec<String> {
        gate.literals
            .iter()
            .map(|l| String::from_utf8_lossy(l).into_owned())
            .collect()
    }

    #[test]
    fn anchored_prefix_alternation_gates_at_line_start() {
        let g = gate(r"^(?:By|BY|by|Written by)\s+(?P<value>\p{Lu}\w+)$").unwrap();
        assert_eq!(strings(&g), ["by", "written by"]);
        assert!(g.at_start && !g.at_end);
    }

    #[test]
    fn suffix_alternation_gates_at_line_end() {
        let g = gate(r"^\d[\d,.]*\s*[KkMm]?\s+(?:likes?|shares?)$").unwrap();
        assert_eq!(strings(&g), ["like", "likes", "share", "shares"]);
        assert!(g.at_end && !g.at_start);
    }

    #[test]
    fn exact_runs_multiply_and_case_folds() {
        let g = gate(r"\[(?:VIDEO|MAP)\]\s*\|?$").unwrap();
        assert_eq!(strings(&g), ["[map]", "[video]"]);
        let g = gate(r"^(?:©|\([Cc]\)|COPYRIGHT|Copyright\s*\d{4})").unwrap();
        assert_eq!(strings(&g), ["(c)", "copyright", "©"]);
        assert!(g.at_start);
    }

    #[test]
    fn case_insensitive_words_keep_their_unicode_variants() {
        // (?i)s also matches ſ (U+017F): the gate must cover it.
        let g = gate(r"(?i:comments?|thoughts)").unwrap();
        let s = strings(&g);
        assert!(s.contains(&"comment".to_string()));
        assert!(s.contains(&"thoughts".to_string()) && s.contains(&"thoughtſ".to_string()));
    }

    #[test]
    fn a_longer_inner_set_beats_a_one_byte_prefix() {
        let g = gate(r"\((?:AP|AFP)?\s?(?:Photo|Images?)\s?/\s?[^()]{2,60}\)\s*$").unwrap();
        assert_eq!(strings(&g), ["image", "images", "photo"]);
    }

    #[test]
    fn no_gate_when_nothing_is_required() {
        assert_eq!(gate(r"^\d+$"), None);
        assert_eq!(gate(r"\w+ (?:a|\d)"), None);
        assert_eq!(gate(r"x"), None, "one byte, unanchored: too common to gate");
        assert_eq!(gate(r"(?:foo)*|bar"), None);
        let g = gate(r"(?:foo)?bar|baz?").unwrap();
        assert_eq!(strings(&g), ["ba", "bar", "baz", "foobar"]);
        assert_eq!(gate(r"(unclosed"), None);
    }

    #[test]
    fn every_match_contains_a_gate_literal() {
        let patterns = [
            r"^(?:\d+|No|One|Two|Three)\s+(?i:comments?|responses?|replies|thoughts?)(?:\s+(?:on|to)\s+.{1,200})?$",
            r"\((?:Photo|Image|Picture)(?: credit)?\s*:\s*(?P<value>[^()]{1,100})\)",
            r"^(?:Published|Posted|Updated|Date)\s*(?:on|at)?\s*:?\s*(?P<value>.*\d.*)$",
        ];
        let samples = [
            "12 Comments on Why it matters",
            "No RESPONSES",
            "Three thoughtſ",
            "A tree (Photo credit: J. Doe) fell",
            "(Image: AP)",
            "Posted on: 12 May 2020",
            "Date 2020",
        ];
        for pattern in patterns {
            let re = regex::Regex::new(pattern).unwrap();
            let g = gate(pattern).unwrap();
            for sample in samples.iter().filter(|s| re.is_match(s)) {
                let lower = sample.as_bytes().to_ascii_lowercase();
                let found = g.literals.iter().any(|l| {
                    let at = |i: usize| lower.get(i..i + l.len()) == Some(l.as_slice());
                    match (g.at_start, g.at_end) {
                        (true, _) => at(0),
                        (_, true) => lower.len() >= l.len() && at(lower.len() - l.len()),
                        _ => (0..lower.len()).any(at),
                    }
                });
                assert!(
                    found,
                    "{pattern} matches {sample:?} but no gate {:?}",
                    strings(&g)
                );
            }
        }
    }
}
