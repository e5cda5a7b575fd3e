//! Match: find every rule trigger in a document in one pass.
//!
//! # Design and performance model
//!
//! Every literal phrase of every rule (`line_is`, `line_starts`,
//! `line_contains`, and the same kinds in `drop-span` `end` tables) is compiled
//! into Aho-Corasick automata when a [`Matcher`] is built. Cleaning a
//! document then costs one scan of its bytes, whatever the number of phrases:
//! the main automaton is a DFA (asked for explicitly; the crate's default picks a
//! slower contiguous NFA for large pattern sets), ASCII case-insensitive, run
//! in overlapping mode so a phrase hidden inside a longer one is still
//! reported. Each automaton pattern maps back to the list of rule triggers
//! that share it, and each hit is kept only if it sits in its line as its kind
//! requires (whole line, line start, or anywhere at word boundaries).
//!
//! A DFA's size grows with its states times the number of distinct bytes its
//! patterns use, and phrases in other scripts (accented Latin, Cyrillic, CJK)
//! bring many of both: one DFA over the multilingual rule set takes about
//! 100 MB and a quarter of a second to build. So the phrase set is split,
//! each phrase into exactly one automaton, all searched in the same pass:
//!
//! - phrases whose non-ASCII characters are only typographic punctuation
//!   (curly quotes, dashes, no-break spaces) go to the DFA, run over the
//!   whole document;
//! - the others go to a compact contiguous NFA (about a megabyte), run only
//!   on the lines holding the first two UTF-8 bytes of a character its
//!   phrases need — an English page with curly quotes is scanned once;
//! - phrases that count only at a line's start (`line_is`, `line_starts`,
//!   gates of regexes anchored with `^`) go to a third, anchored NFA walked
//!   from each line's start until it dies, a few bytes per line.
//!
//! The cost per document stays one scan of its bytes, whatever the number of
//! rules; the split keeps the built-in rule set at about 26 MB of memory
//! (process peak with the built-in rules against none) instead of over 100.
//!
//! Phrases are compiled with variants so rule authors need not spell them
//! out: a phrase with an apostrophe also matches the typographic `’`, and a
//! phrase with non-ASCII letters also matches its lower-case, capitalised and
//! upper-case forms (the automaton folds ASCII case only).
//!
//! Regex triggers are few by design. A user's rule file has its regexes
//! compiled when it is validated (to name one that does not compile); the
//! matcher compiles each once, when a line first needs it, so start-up and
//! short documents pay only for the regexes they reach. Each is searched in
//! the trimmed content of a line, so `^` and `$` anchor to the line. Running
//! every regex on every line would cost more than the automaton pass itself,
//! so each regex gets a *gate* ([`crate::literals`]): strings one of which
//! every match contains, added to the same automata. A gated regex runs only
//! on the lines where the pass saw one of its gates (at the line's start or
//! end when the regex is anchored there); the results are the same as
//! running it everywhere. A regex with no usable gate (say `^\d+$`) runs on
//! every non-blank line.
//!
//! Built once: the automata, the regexes and their gates, the pattern
//! table. Per call: the vector of hits and the list of gated lines.

use std::collections::HashMap;
use std::ops::Range;
use std::sync::OnceLock;

use aho_corasick::automaton::Automaton;
use aho_corasick::nfa::contiguous;
use aho_corasick::{AhoCorasick, AhoCorasickKind, Anchored, MatchKind};
use regex::Regex;

use crate::literals;
use crate::rules::{Action, LiteralKind, Rule, Triggers, regex_builder};
use crate::segment::{Line, Segments};
use crate::text::is_word_char;

/// Whether a trigger starts a rule's action or ends a `drop-span`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum Role {
    /// A rule's own trigger.
    Start,
    /// A `drop-span` rule's end trigger.
    End,
}

/// How a hit was found.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum Placement {
    /// A literal phrase of this kind.
    Literal(LiteralKind),
    /// A regex.
    Regex,
}

/// One trigger of one rule, found in a line.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct Hit {
    /// Index of the rule in the matcher's rule list.
    pub rule: usize,
    /// Whether the hit starts or ends a span.
    pub role: Role,
    /// What kind of trigger hit.
    pub placement: Placement,
    /// Index of the line.
    pub line: usize,
    /// Byte span of the match in the document.
    pub span: Range<usize>,
    /// Byte span of the captured value, if any: a regex's `value` group, or
    /// the rest of the line after a `line_starts`/`line_contains` phrase.
    pub value: Option<Range<usize>>,
}

#[derive(Debug, Clone, Copy)]
struct Target {
    rule: usize,
    role: Role,
    kind: LiteralKind,
    /// Whether the phrase starts / ends with a word character, so a hit needs
    /// a word boundary there.
    word_start: bool,
    word_end: bool,
}

#[derive(Debug)]
struct RegexTrigger {
    rule: usize,
    role: Role,
    /// The regex's source, compiled when a line first needs it: most
    /// regexes are gated, and a short document reaches few of their gates,
    /// so start-up compiles none.
    source: Box<str>,
    /// The compiled regex and the index of its `value` capture group (none
    /// if it does not compile, which validation and the built-in rules'
    /// tests rule out).
    compiled: OnceLock<Option<(Regex, Option<usize>)>>,
    /// Whether the regex runs only on lines where its gate was seen.
    gated: bool,
    /// The rule's `max_words` (start triggers only): longer lines are not
    /// searched, unless a trim cuts them.
    max_words: Option<u32>,
    /// Whether the rule trims: its hits cut lines, so they run first.
    trim: bool,
}

/// A gate literal of one regex, as an automaton pattern.
#[derive(Debug, Clone, Copy)]
struct GateTarget {
    /// Index into the matcher's regexes.
    regex: usize,
    at_start: bool,
    at_end: bool,
}

/// One automaton over part of the phrases.
#[derive(Debug)]
struct Pass {
    automaton: AhoCorasick,
    /// The matcher-wide pattern id of each of this automaton's patterns.
    ids: Vec<usize>,
    /// The first two bytes of the characters one of which a line must hold
    /// for this pass to find anything there: each pattern's first character
    /// that is not common (`None`: every line may match).
    needs: Option<Box<BytePairs>>,
}

/// A set of byte pairs `(lead, next)`: bit `next & 63` of entry `lead`. The
/// first two bytes of a multi-byte UTF-8 character are a lead byte and a
/// continuation byte, whose low six bits tell most characters apart (not
/// those of one 64-character block, such as curly quotes and `›`). Cheaper
/// than an exact search for the characters, and as selective on real text.
type BytePairs = [u64; 256];

/// Adds the first two bytes of `c` to `pairs` (nothing for ASCII).
fn add_pair(pairs: &mut BytePairs, c: char) {
    if let [lead, next, ..] = *c.encode_utf8(&mut [0u8; 4]).as_bytes() {
        pairs[usize::from(lead)] |= 1 << (next & 63);
    }
}

/// True when `text` holds a byte pair of `pairs` (or a pair that agrees with
/// one in the low six bits of its second byte: never a miss, rarely a false
/// alarm).
fn holds_pair(text: &str, pairs: &BytePairs) -> bool {
    text.as_bytes().windows(2).any(|w| match w {
        [lead, next] => pairs[usize::from(*lead)] >> (next & 63) & 1 == 1,
        _ => false,
    })
}

/// The phrases that can only count at a line's start (`line_is`,
/// `line_starts`, gates of regexes anchored with `^`), walked from each
/// line's start instead of searched for everywhere.
#[derive(Debug)]
struct LineStarts {
    automaton: contiguous::NFA,
    /// The matcher-wide pattern id of each of this automaton's patterns.
    ids: Vec<usize>,
}

/// A compiled set of triggers for a list of rules. Build once, share freely.
#[derive(Debug)]
pub struct Matcher {
    /// Searches for the phrases that may sit anywhere in a line.
    passes: Vec<Pass>,
    line_starts: Option<LineStarts>,
    /// For each automaton pattern, the triggers that share it.
    targets: Vec<Vec<Target>>,
    /// Each automaton pattern's bytes, by matcher-wide id (kept for the
    /// benchmarks' bare reference scan).
    #[cfg(feature = "internals")]
    phrases: Vec<Box<[u8]>>,
    /// For each automaton pattern, the regexes it gates.
    gates: Vec<Vec<GateTarget>>,
    regexes: Vec<RegexTrigger>,
    /// For each rule, whether it trims.
    trims: Vec<bool>,
}

/// The matcher could not be built (only possible with absurdly large rule sets).
#[derive(Debug, thiserror::Error)]
#[error("cannot build the phrase automaton: {0}")]
pub struct BuildError(String);

impl Matcher {
    /// Compiles the triggers of `rules`. Rules are assumed validated.
    ///
    /// # Errors
    ///
    /// [`BuildError`] if an automaton cannot be built (only with absurdly large rule sets).
    pub fn new(rules: &[Rule]) -> Result<Matcher, BuildError> {
        let mut table = PatternTable::default();
        let mut regexes = Vec::new();
        for (index, rule) in rules.iter().enumerate() {
            let mut groups = vec![(Role::Start, &rule.triggers)];
            if let Some(end) = &rule.end {
                groups.push((Role::End, end));
            }
            for (role, triggers) in groups {
                add_literals(index, role, triggers, &mut table);
                add_regexes(index, role, rule, triggers, &mut table, &mut regexes);
            }
        }
        let (passes, line_starts) = build_automata(&table)?;
        Ok(Matcher {
            trims: rules.iter().map(|r| r.action == Action::Trim).collect(),
            passes,
            line_starts,
            targets: table.targets,
            gates: table.gates,
            regexes,
            #[cfg(feature = "internals")]
            phrases: table
                .patterns
                .into_iter()
                .map(Vec::into_boxed_slice)
                .collect(),
        })
    }

    /// Every literal phrase and regex gate the matcher searches for, once
    /// each (ASCII case folded by the automata): the phrase set a bare
    /// reference scan must use to be comparable.
    #[cfg(feature = "internals")]
    pub fn phrases(&self) -> impl Iterator<Item = &[u8]> {
        self.phrases.iter().map(|p| &p[..])
    }

    /// Finds every trigger hit in `text`, literal hits first (in order of
    /// their end), then regex hits (regex by regex, lines in order).
    pub fn scan(&self, text: &str, segments: &Segments) -> Vec<Hit> {
        let Found {
            mut hits,
            mut gated,
        } = self.scan_literals(text, segments);
        gated.sort_unstable();
        gated.dedup();
        self.scan_regexes(text, segments, &gated, &mut hits);
        hits
    }

    /// The literal hits (the automata's passes, then the line starts) and
    /// the (regex, line) pairs whose gates were seen.
    fn scan_literals(&self, text: &str, segments: &Segments) -> Found {
        let mut found = Found::default();
        for pass in &self.passes {
            match &pass.needs {
                None => {
                    let mut line = 0;
                    for m in pass.automaton.find_overlapping_iter(text) {
                        line = segments.line_at(m.start(), line);
                        let pattern = pass.ids.get(m.pattern().as_usize());
                        found.record(self, pattern, m.start()..m.end(), line, text, segments);
                    }
                }
                // Phrases never cross lines: search only the lines that hold
                // the first two bytes of a character this pass's phrases need.
                Some(needs) => {
                    for (index, line) in segments.lines.iter().enumerate() {
                        let Some(content) = text.get(line.content()) else {
                            continue;
                        };
                        if holds_pair(content, needs) {
                            let offset = line.content().start;
                            for m in pass.automaton.find_overlapping_iter(content) {
                                let pattern = pass.ids.get(m.pattern().as_usize());
                                let span = m.start() + offset..m.end() + offset;
                                found.record(self, pattern, span, index, text, segments);
                            }
                        }
                    }
                }
            }
        }
        if let Some(starts) = &self.line_starts {
            for (index, line) in segments.lines.iter().enumerate() {
                let Some(content) = text.get(line.content()) else {
                    continue;
                };
                let offset = line.content().start;
                // A list item's text after its bullet too.
                for skip in std::iter::once(0).chain(bullet_len(content)) {
                    let rest = content.get(skip..).unwrap_or_default();
                    for (pattern, len) in starts.prefixes_of(rest) {
                        let start = offset + skip;
                        found.record(
                            self,
                            Some(&pattern),
                            start..start + len,
                            index,
                            text,
                            segments,
                        );
                    }
                }
            }
        }
        found
    }

    /// Appends the regex hits to the literal `hits`: trimming regexes first,
    /// each regex on the lines its gate was seen in (`gated`, sorted) or on
    /// every line.
    fn scan_regexes(
        &self,
        text: &str,
        segments: &Segments,
        gated: &[(usize, usize)],
        hits: &mut Vec<Hit>,
    ) {
        // Lines a trim cuts: a rule's max_words counts the words left after
        // the cut, so such lines are searched whatever their length.
        let mut cut = vec![false; segments.lines.len()];
        for hit in hits
            .iter()
            .filter(|h| self.trims.get(h.rule) == Some(&true))
        {
            if let Some(c) = cut.get_mut(hit.line) {
                *c = true;
            }
        }
        let mut regex_hits: Vec<Vec<Hit>> = vec![Vec::new(); self.regexes.len()];
        let trims_first = self.regexes.iter().enumerate().filter(|(_, t)| t.trim);
        let others = self.regexes.iter().enumerate().filter(|(_, t)| !t.trim);
        for (index, trigger) in trims_first.chain(others) {
            let found = regex_hits.get_mut(index);
            let Some(found) = found else { continue };
            let lines: Box<dyn Iterator<Item = usize>> = if trigger.gated {
                let from = gated.partition_point(|&(r, _)| r < index);
                Box::new(
                    gated
                        .get(from..)
                        .unwrap_or_default()
                        .iter()
                        .take_while(move |&&(r, _)| r == index)
                        .map(|&(_, line)| line),
                )
            } else {
                Box::new(0..segments.lines.len())
            };
            for line in lines {
                let too_long = trigger
                    .max_words
                    .is_some_and(|max| segments.lines.get(line).is_some_and(|l| l.words > max));
                if too_long && cut.get(line) != Some(&true) {
                    continue;
                }
                self.run_regex(trigger, text, segments, line, found);
            }
            if trigger.trim {
                for hit in found.iter() {
                    if let Some(c) = cut.get_mut(hit.line) {
                        *c = true;
                    }
                }
            }
        }
        hits.extend(regex_hits.into_iter().flatten());
    }

    /// Searches one regex in the content of one line.
    fn run_regex(
        &self,
        trigger: &RegexTrigger,
        text: &str,
        segments: &Segments,
        index: usize,
        hits: &mut Vec<Hit>,
    ) {
        let Some(line) = segments.lines.get(index) else {
            return;
        };
        if line.is_blank() {
            return;
        }
        let Some(content) = text.get(line.content()) else {
            return;
        };
        let Some((regex, value_group)) = trigger.compiled() else {
            return;
        };
        // Most runs find nothing: ask first, without capture groups.
        if !regex.is_match(content) {
            return;
        }
        let offset = line.content().start;
        let found = match *value_group {
            Some(group) => regex.captures(content).map(|c| {
                let whole = c.get(0).map_or(0..0, |m| m.range());
                let value = c.get(group).map(|m| m.range());
                (whole, value)
            }),
            None => regex.find(content).map(|m| (m.range(), None)),
        };
        if let Some((whole, value)) = found {
            hits.push(Hit {
                rule: trigger.rule,
                role: trigger.role,
                placement: Placement::Regex,
                line: index,
                span: shift(whole, offset),
                value: value.map(|v| shift(v, offset)),
            });
        }
    }
}

fn shift(range: Range<usize>, by: usize) -> Range<usize> {
    range.start + by..range.end + by
}

/// What the automaton passes found.
#[derive(Default)]
struct Found {
    hits: Vec<Hit>,
    /// (regex, line) pairs where a gate of the regex was seen.
    gated: Vec<(usize, usize)>,
}

impl Found {
    /// Places one automaton match — pattern `pattern` (matcher-wide id) at
    /// byte `span`, in line `line` — as rule hits, and notes the line for
    /// the regexes it gates.
    fn record(
        &mut self,
        matcher: &Matcher,
        pattern: Option<&usize>,
        span: Range<usize>,
        line: usize,
        text: &str,
        segments: &Segments,
    ) {
        let Some(&pattern) = pattern else {
            return;
        };
        let Some(content) = segments.lines.get(line).map(Line::content) else {
            return;
        };
        if span.start < content.start || span.end > content.end {
            return;
        }
        for target in matcher.targets.get(pattern).into_iter().flatten() {
            if let Some(hit) = place(text, &content, &span, target, line) {
                self.hits.push(hit);
            }
        }
        for gate in matcher.gates.get(pattern).into_iter().flatten() {
            if (!gate.at_start || span.start == content.start)
                && (!gate.at_end || span.end == content.end)
            {
                self.gated.push((gate.regex, line));
            }
        }
    }
}

impl LineStarts {
    /// The patterns that are prefixes of `content`, with their lengths: the
    /// automaton is walked from its anchored start state byte by byte until
    /// it dies (usually after a few bytes). A match state also reports the
    /// patterns that are suffixes of the path, so only patterns as long as
    /// the path walked are prefixes.
    fn prefixes_of(&self, content: &str) -> Vec<(usize, usize)> {
        let mut found = Vec::new();
        let nfa = &self.automaton;
        let Ok(mut sid) = nfa.start_state(Anchored::Yes) else {
            return found;
        };
        for (i, &byte) in content.as_bytes().iter().enumerate() {
            sid = nfa.next_state(Anchored::Yes, sid, byte);
            if nfa.is_dead(sid) {
                break;
            }
            if nfa.is_match(sid) {
                for k in 0..nfa.match_len(sid) {
                    let pattern = nfa.match_pattern(sid, k);
                    if nfa.pattern_len(pattern) == i + 1
                        && let Some(&id) = self.ids.get(pattern.as_usize())
                    {
                        found.push((id, i + 1));
                    }
                }
            }
        }
        found
    }
}

/// True when a pattern's non-ASCII characters are all typographic
/// punctuation, so it belongs to the common (DFA) pass.
fn is_common(pattern: &[u8]) -> bool {
    std::str::from_utf8(pattern).is_ok_and(|p| p.chars().all(is_common_char))
}

/// ASCII and typographic punctuation (no-break spaces, dashes, curly quotes,
/// ellipsis): characters English text is full of.
fn is_common_char(c: char) -> bool {
    c.is_ascii() || c == '\u{a0}' || c == '\u{202f}' || ('\u{2010}'..='\u{2026}').contains(&c)
}

/// The most a DFA pass may cost to build, in [`dfa_cost`] units: about four
/// times what the built-in rules cost. A larger set of phrases (or one with
/// long, repetitive phrases) is searched with a contiguous NFA instead:
/// slower to search, but built in time linear in its phrases.
const DFA_BUDGET: u64 = 80_000_000;

/// A bound on the work of building a DFA over `patterns`. The DFA builder
/// resolves each state's missing transitions, one per byte class, by walking
/// failure links — at most as many as the state's depth — so a phrase of
/// `n` bytes costs up to `n²/2` walks per class: a 30 KB phrase of `ab ab
/// …` takes minutes.
fn dfa_cost(patterns: &[&[u8]]) -> u64 {
    let mut seen = [false; 256];
    let mut walks = 0u64;
    for pattern in patterns {
        let n = pattern.len() as u64;
        walks = walks.saturating_add(n * (n + 1) / 2);
        for &b in *pattern {
            for b in [b.to_ascii_lowercase(), b.to_ascii_uppercase()] {
                if let Some(slot) = seen.get_mut(usize::from(b)) {
                    *slot = true;
                }
            }
        }
    }
    let classes = seen.iter().filter(|&&s| s).count() as u64 + 1;
    walks.saturating_mul(classes)
}

/// The patterns `ids` of `patterns`, in that order.
fn chosen<'p>(patterns: &'p [Vec<u8>], ids: &[usize]) -> Vec<&'p [u8]> {
    ids.iter()
        .filter_map(|&id| patterns.get(id))
        .map(Vec::as_slice)
        .collect()
}

/// Builds one automaton over the patterns `ids` of `patterns`. With
/// `gated`, the pass records the first two UTF-8 bytes of its patterns'
/// first uncommon characters: a line without any of them cannot match.
fn build_pass(
    patterns: &[Vec<u8>],
    ids: Vec<usize>,
    kind: AhoCorasickKind,
    gated: bool,
) -> Result<Pass, BuildError> {
    let chosen = chosen(patterns, &ids);
    let automaton = AhoCorasick::builder()
        .ascii_case_insensitive(true)
        .match_kind(MatchKind::Standard)
        .kind(Some(kind))
        .build(&chosen)
        .map_err(|e| BuildError(e.to_string()))?;
    let needs = gated.then(|| {
        let mut needs = Box::new([0u64; 256]);
        for pattern in &chosen {
            // The first character that is not common: a line without its
            // first two bytes cannot hold the pattern.
            if let Ok(text) = std::str::from_utf8(pattern)
                && let Some(c) = text.chars().find(|&c| !is_common_char(c))
            {
                add_pair(&mut needs, c);
            }
        }
        needs
    });
    Ok(Pass {
        automaton,
        ids,
        needs,
    })
}

/// The automaton's patterns and what each stands for, while being built.
#[derive(Default)]
struct PatternTable {
    patterns: Vec<Vec<u8>>,
    targets: Vec<Vec<Target>>,
    gates: Vec<Vec<GateTarget>>,
    /// Pattern ids by ASCII lower-cased pattern.
    ids: HashMap<Vec<u8>, usize>,
}

impl PatternTable {
    /// True when every use of pattern `id` needs it at a line's start.
    fn only_at_line_start(&self, id: usize) -> bool {
        let targets = self.targets.get(id).map_or(&[][..], Vec::as_slice);
        let gates = self.gates.get(id).map_or(&[][..], Vec::as_slice);
        (!targets.is_empty() || !gates.is_empty())
            && targets.iter().all(|t| t.kind != LiteralKind::LineContains)
            && gates.iter().all(|g| g.at_start)
    }

    /// The id of `pattern`, added if new. Patterns differing only in ASCII
    /// case are one pattern (the automaton folds ASCII case).
    fn pattern(&mut self, pattern: &[u8]) -> usize {
        let key = pattern.to_ascii_lowercase();
        if let Some(&id) = self.ids.get(&key) {
            return id;
        }
        self.patterns.push(pattern.to_vec());
        self.targets.push(Vec::new());
        self.gates.push(Vec::new());
        self.ids.insert(key, self.patterns.len() - 1);
        self.patterns.len() - 1
    }
}

fn add_literals(rule: usize, role: Role, triggers: &Triggers, table: &mut PatternTable) {
    for (kind, list) in triggers.literal_lists() {
        for phrase in list.iter().flatten() {
            for variant in variants(phrase) {
                let target = Target {
                    rule,
                    role,
                    kind,
                    word_start: variant.chars().next().is_some_and(is_word_char),
                    word_end: variant.chars().next_back().is_some_and(is_word_char),
                };
                let id = table.pattern(variant.as_bytes());
                if let Some(list) = table.targets.get_mut(id) {
                    list.push(target);
                }
            }
        }
    }
}

impl RegexTrigger {
    /// The compiled regex and its `value` group, compiled on first use.
    fn compiled(&self) -> Option<&(Regex, Option<usize>)> {
        self.compiled
            .get_or_init(|| {
                let regex = regex_builder(&self.source).build().ok()?;
                let value_group = regex.capture_names().position(|n| n == Some("value"));
                Some((regex, value_group))
            })
            .as_ref()
    }
}

/// Adds the regexes of one trigger group: each as a regex trigger, and its
/// gate literals (if it has any) as automaton patterns that gate it.
fn add_regexes(
    rule_index: usize,
    role: Role,
    rule: &Rule,
    triggers: &Triggers,
    table: &mut PatternTable,
    regexes: &mut Vec<RegexTrigger>,
) {
    for source in triggers.regex.iter().flatten() {
        let gate = literals::gate(source);
        if let Some(gate) = &gate {
            let target = GateTarget {
                regex: regexes.len(),
                at_start: gate.at_start,
                at_end: gate.at_end,
            };
            for literal in &gate.literals {
                let id = table.pattern(literal);
                if let Some(list) = table.gates.get_mut(id) {
                    list.push(target);
                }
            }
        }
        regexes.push(RegexTrigger {
            rule: rule_index,
            role,
            source: source.as_str().into(),
            compiled: OnceLock::new(),
            gated: gate.is_some(),
            max_words: rule.max_words.filter(|_| role == Role::Start),
            trim: rule.action == Action::Trim,
        });
    }
}

/// The automata over the table's patterns: the passes that search whole
/// texts (common phrases in a DFA if it builds quickly enough, the others
/// in an NFA searched on the lines that may hold them) and the line-start
/// automaton.
fn build_automata(table: &PatternTable) -> Result<(Vec<Pass>, Option<LineStarts>), BuildError> {
    let (at_start, anywhere): (Vec<usize>, Vec<usize>) =
        (0..table.patterns.len()).partition(|&id| table.only_at_line_start(id));
    let (common, other): (Vec<usize>, Vec<usize>) = anywhere
        .into_iter()
        .partition(|&id| is_common(&table.patterns[id]));
    let mut passes = Vec::new();
    if !common.is_empty() {
        // A DFA unless it would take too long to build (see DFA_BUDGET).
        let kind = if dfa_cost(&chosen(&table.patterns, &common)) <= DFA_BUDGET {
            AhoCorasickKind::DFA
        } else {
            AhoCorasickKind::ContiguousNFA
        };
        passes.push(build_pass(&table.patterns, common, kind, false)?);
    }
    if !other.is_empty() {
        passes.push(build_pass(
            &table.patterns,
            other,
            AhoCorasickKind::ContiguousNFA,
            true,
        )?);
    }
    let line_starts = if at_start.is_empty() {
        None
    } else {
        let automaton = contiguous::NFA::builder()
            .ascii_case_insensitive(true)
            .match_kind(MatchKind::Standard)
            .build(chosen(&table.patterns, &at_start))
            .map_err(|e| BuildError(e.to_string()))?;
        Some(LineStarts {
            automaton,
            ids: at_start,
        })
    };
    Ok((passes, line_starts))
}

/// The spellings a phrase is matched in (see the module docs).
fn variants(phrase: &str) -> Vec<String> {
    let mut out = vec![phrase.to_string()];
    if !phrase.is_ascii() {
        let lower = phrase.to_lowercase();
        let mut chars = lower.chars();
        let capitalised: String = chars
            .next()
            .map(|c| c.to_uppercase().chain(chars).collect())
            .unwrap_or_default();
        out.extend([lower, capitalised, phrase.to_uppercase()]);
    }
    let apostrophes: Vec<String> = out
        .iter()
        .filter(|v| v.contains('\''))
        .map(|v| v.replace('\'', "\u{2019}"))
        .collect();
    out.extend(apostrophes);
    let mut seen = std::collections::HashSet::new();
    out.retain(|v| seen.insert(v.to_ascii_lowercase()));
    out
}

/// The bullets a list item may open with. `line_is` and `line_starts`
/// phrases also match the text after one: extractors print menus and page
/// furniture as list items (`- Sale price`).
const BULLETS: [&str; 4] = ["- ", "* ", "• ", "· "];

/// The length of the bullet `text` opens with, if any (one bullet: `- - x`
/// is seen through once).
fn bullet_len(text: &str) -> Option<usize> {
    BULLETS.iter().find(|b| text.starts_with(**b)).map(|b| b.len())
}

/// Keeps a literal hit only if it sits in its line as its kind requires
/// (`line_is` and `line_starts` after a bullet too).
fn place(
    text: &str,
    content: &Range<usize>,
    span: &Range<usize>,
    target: &Target,
    line: usize,
) -> Option<Hit> {
    // Cheap position tests first: most raw matches of short phrases sit
    // inside longer words and fail here.
    let boundary_before = || {
        !target.word_start
            || text
                .get(content.start..span.start)
                .and_then(|s| s.chars().next_back())
                .is_none_or(|c| !is_word_char(c))
    };
    let boundary_after = || {
        !target.word_end
            || text
                .get(span.end..content.end)
                .and_then(|s| s.chars().next())
                .is_none_or(|c| !is_word_char(c))
    };
    // At the line's start, or right after its one bullet.
    let at_start = || {
        span.start == content.start
            || text
                .get(content.start..span.start)
                .is_some_and(|before| BULLETS.contains(&before))
    };
    let placed = match target.kind {
        LiteralKind::LineIs => span.end == content.end && at_start(),
        LiteralKind::LineStarts => at_start() && boundary_after(),
        LiteralKind::LineContains => boundary_before() && boundary_after(),
    };
    if !placed {
        return None;
    }
    let value = if target.kind == LiteralKind::LineIs {
        None
    } else {
        let rest = text.get(span.end..content.end).unwrap_or("");
        let lead = rest.len() - rest.trim_start().len();
        Some(span.end + lead..content.end)
    };
    Some(Hit {
        rule: target.rule,
        role: target.role,
        placement: Placement::Literal(target.kind),
        line,
        span: span.clone(),
        value,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::rules::RuleSet;

    fn matcher(source: &str) -> (Matcher, RuleSet) {
        let mut set = RuleSet::empty();
        set.add_source("t.toml", source).unwrap();
        (Matcher::new(&set.rules).unwrap(), set)
    }

    fn hits(m: &Matcher, text: &str) -> Vec<(usize, usize)> {
        let seg = Segments::new(text);
        let mut h: Vec<_> = m
            .scan(text, &seg)
            .into_iter()
            .map(|h| (h.rule, h.line))
            .collect();
        h.sort_unstable();
        h
    }

    const RULES: &str = r#"
        [[rule]]
        id = "t.is"
        action = "drop-line"
        line_is = ["Leave a Reply"]
        [[rule]]
        id = "t.starts"
        action = "drop-line"
        line_starts = ["Share"]
        [[rule]]
        id = "t.contains"
        action = "drop-line"
        line_contains = ["bloggers like this", "Reply"]
        [[rule]]
        id = "t.regex"
        action = "drop-line"
        regex = ['^\d+ likes$']
    "#;

    #[test]
    fn byte_pairs_tell_most_characters_with_one_lead_byte_apart() {
        let mut pairs = [0u64; 256];
        add_pair(&mut pairs, '€');
        add_pair(&mut pairs, 'é');
        add_pair(&mut pairs, 'x');
        // Curly quotes, dashes and the ellipsis share the euro sign's lead
        // byte, not its second byte.
        assert!(!holds_pair("“Quoted” – text… x", &pairs));
        assert!(holds_pair("It costs 5 €", &pairs));
        assert!(holds_pair("café", &pairs));
        assert!(!holds_pair("", &pairs));
        // Characters of one 64-character block are not told apart: a
        // false alarm, never a miss.
        add_pair(&mut pairs, '›');
        assert!(holds_pair("“Quoted”", &pairs));
    }

    #[test]
    fn placement_by_kind() {
        let (m, _) = matcher(RULES);
        let text = "leave a reply\n  Leave a Reply now\nShare this\nShareholders met\n%d bloggers like this:\n12 likes";
        assert_eq!(
            hits(&m, text),
            vec![(0, 0), (1, 2), (2, 0), (2, 1), (2, 4), (3, 5)]
        );
    }

    #[test]
    fn line_phrases_see_through_one_bullet() {
        let (m, _) = matcher(RULES);
        // `line_is` and `line_starts` match a list item's text; a second
        // bullet, or a bullet without its space, is not seen through.
        let text = "- Leave a Reply\n• Share this\n* Leave a Reply\n- - Leave a Reply\n-Leave a Reply\n- Shareholders met";
        assert_eq!(hits(&m, text), vec![(0, 0), (0, 2), (1, 1), (2, 0), (2, 2), (2, 3), (2, 4)]);
    }

    #[test]
    fn word_boundaries_for_contains() {
        let (m, _) = matcher(RULES);
        assert_eq!(hits(&m, "Replying to all"), vec![]);
        assert_eq!(hits(&m, "a Reply."), vec![(2, 0)]);
    }

    #[test]
    fn variants_cover_apostrophes_and_unicode_case() {
        let v = variants("Don't miss");
        assert!(v.contains(&"Don\u{2019}t miss".to_string()));
        let v = variants("Читайте также");
        assert!(v.contains(&"читайте также".to_string()));
        assert!(v.contains(&"ЧИТАЙТЕ ТАКЖЕ".to_string()));
    }

    #[test]
    fn values_are_captured() {
        let (m, _) = matcher(
            r#"
            [[rule]]
            id = "t.source"
            action = "extract"
            field = "source"
            line_starts = ["Source:"]
            [[rule]]
            id = "t.by"
            action = "extract"
            field = "author"
            regex = ['^By (?P<value>\w+ \w+)$']
            "#,
        );
        let text = "Source:  New Eastern Outlook\nBy Valery Kulikov";
        let seg = Segments::new(text);
        let values: Vec<&str> = m
            .scan(text, &seg)
            .iter()
            .filter_map(|h| h.value.clone())
            .map(|v| &text[v])
            .collect();
        assert_eq!(values, vec!["New Eastern Outlook", "Valery Kulikov"]);
    }

    #[test]
    fn one_phrase_shared_by_two_rules_reports_both() {
        let (m, _) = matcher(
            "[[rule]]\nid = \"a.a\"\naction = \"drop-line\"\nline_is = [\"x y\"]\n\
             [[rule]]\nid = \"a.b\"\naction = \"drop-block\"\nline_contains = [\"X Y\"]\n",
        );
        assert_eq!(hits(&m, "x y"), vec![(0, 0), (1, 0)]);
    }

    #[test]
    fn phrases_too_costly_for_a_dfa_get_an_nfa() {
        let builtin = Matcher::new(&RuleSet::builtin().unwrap().rules).unwrap();
        assert_eq!(builtin.passes[0].automaton.kind(), AhoCorasickKind::DFA);
        // Long repetitive phrases: the DFA builder would walk n² failure
        // links for each (seconds for these, minutes for one of 30 KB).
        let phrase = "ab ".repeat(330);
        let source: String = (0..64)
            .map(|i| {
                format!("[[rule]]\nid = \"t.r{i}\"\naction = \"drop-line\"\nline_contains = [\"x{i} {phrase}c\"]\n")
            })
            .collect();
        let (m, _) = matcher(&source);
        assert_eq!(m.passes[0].automaton.kind(), AhoCorasickKind::ContiguousNFA);
        let text = format!("intro\nsee x7 {phrase}c here\n");
        assert_eq!(hits(&m, &text), vec![(7, 1)]);
    }
}
