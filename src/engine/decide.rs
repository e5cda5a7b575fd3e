//! Decide: apply each rule's action to the lines its triggers hit, within
//! one round's view of the document, with the rules' guards.

use crate::matcher::{Hit, Placement, Role};
use crate::rules::{Action, Field, Rule};

use super::Cleaner;
use super::doc::Doc;

/// A captured metadata value, kept only if its claim survives.
#[derive(Debug, Clone)]
pub(crate) struct Capture {
    pub field: Field,
    pub value: std::ops::Range<usize>,
    pub line: usize,
    /// Index of the claim that removes the captured line, if any.
    pub claim: Option<usize>,
}

/// Facts about the document in view that the rules' guards need.
pub(crate) struct RuleContext {
    /// Lines hit by any start trigger (a byline continuation must not be one).
    pub trigger_lines: Vec<bool>,
    /// Words in view before each line.
    words_before: Vec<u64>,
}

impl RuleContext {
    pub fn new(doc: &Doc, starts: &[&Hit]) -> Self {
        let mut trigger_lines = vec![false; doc.seg.lines.len()];
        for hit in starts {
            if let Some(t) = trigger_lines.get_mut(hit.line) {
                *t = true;
            }
        }
        let mut total = 0u64;
        let words_before = (0..doc.seg.lines.len())
            .map(|i| {
                let before = total;
                if doc.present(i) {
                    total += u64::from(doc.words(i));
                }
                before
            })
            .collect();
        RuleContext {
            trigger_lines,
            words_before,
        }
    }
}

impl Cleaner {
    /// The start hits on lines in view, in the order they are applied:
    /// trims first (so other rules see lines as they will be printed), then
    /// line rules, then sections; each group in document order.
    pub(crate) fn ordered_starts<'h>(&self, doc: &Doc, hits: &'h [Hit]) -> Vec<&'h Hit> {
        let mut starts: Vec<&Hit> = hits
            .iter()
            .filter(|h| h.role == Role::Start && doc.present(h.line))
            .collect();
        starts.sort_by_key(|h| (self.apply_order(h), h.line, h.span.start));
        starts
    }

    fn apply_order(&self, hit: &Hit) -> u8 {
        match self.rule_action(hit) {
            Some(Action::Trim) => 0,
            Some(Action::DropRest | Action::DropSpan | Action::DropList) => 2,
            _ => 1,
        }
    }

    pub(crate) fn rule_action(&self, hit: &Hit) -> Option<Action> {
        self.rules.get(hit.rule).map(|r| r.action)
    }

    /// True when a hit's rule claims a section (`drop-rest`, `drop-span`,
    /// `drop-list`).
    pub(crate) fn is_section(&self, hit: &Hit) -> bool {
        matches!(
            self.rule_action(hit),
            Some(Action::DropRest | Action::DropSpan | Action::DropList)
        )
    }

    /// Applies each hit's action, collecting captured values.
    pub(crate) fn apply_hits<'c>(
        &'c self,
        doc: &mut Doc<'_, 'c>,
        starts: &[&Hit],
        hits: &[Hit],
        context: &RuleContext,
        captures: &mut Vec<Capture>,
    ) {
        for &hit in starts {
            let Some(rule) = self.rules.get(hit.rule) else {
                continue;
            };
            let Some(block) = doc.seg.lines.get(hit.line).map(|l| l.block) else {
                continue;
            };
            if rule.action != Action::Trim && doc.is_cut(hit) {
                continue;
            }
            if rule.max_words.is_some_and(|max| doc.words(hit.line) > max) {
                continue;
            }
            let id = rule.id.as_str();
            let n = doc.seg.lines.len();
            if self.is_section(hit) && doc.claim_of(hit.line).is_some_and(|c| c.id == id) {
                // Already inside a section this rule claimed.
                continue;
            }
            match rule.action {
                Action::DropLine => {
                    doc.claim(id, rule.action, hit.line..hit.line + 1);
                }
                Action::DropBlock => {
                    let lines = doc
                        .seg
                        .blocks
                        .get(block)
                        .cloned()
                        .filter(|b| b.contains(&hit.line))
                        .unwrap_or(hit.line..hit.line + 1);
                    doc.claim(id, rule.action, lines);
                }
                Action::DropRest => {
                    let min = rule
                        .min_words_before
                        .unwrap_or(self.settings.drop_rest_min_words_before);
                    let before = context.words_before.get(hit.line).copied().unwrap_or(0);
                    if before < u64::from(min) {
                        continue;
                    }
                    let claim = doc.claim_section(id, rule.action, hit.line..n);
                    if let Some(field) = rule.field {
                        let entries: Vec<usize> = doc.present_after(hit.line).collect();
                        captures.extend(entries.into_iter().map(|i| Capture {
                            field,
                            value: doc.seg.lines[i].content.clone(),
                            line: i,
                            claim: Some(claim),
                        }));
                    }
                }
                Action::DropList => {
                    let max = rule.max_lines.unwrap_or(self.settings.drop_span_max_lines) as usize;
                    let last = doc
                        .present_after(hit.line)
                        .take(max.saturating_sub(1))
                        .take_while(|&i| self.is_list_line(doc, i))
                        .last()
                        .unwrap_or(hit.line);
                    doc.claim_section(id, rule.action, hit.line..last + 1);
                }
                Action::DropSpan => {
                    if let Some(end) = self.span_end(doc, hit, hits, rule) {
                        doc.claim_section(id, rule.action, hit.line..end + 1);
                    }
                }
                Action::Trim => {
                    // A literal credit label is cut with the value after it,
                    // to the end of the line; a regex cuts exactly its match.
                    let end = match (hit.placement, &hit.value) {
                        (Placement::Literal(_), Some(value)) => value.end,
                        _ => hit.span.end,
                    };
                    doc.cut(id, hit.line, hit.span.start..end);
                    if let (Some(field), Some(value)) = (rule.field, hit.value.clone()) {
                        captures.push(Capture {
                            field,
                            value,
                            line: hit.line,
                            claim: None,
                        });
                    }
                }
                Action::Extract => {
                    let (Some(field), Some(value)) = (rule.field, hit.value.clone()) else {
                        continue;
                    };
                    if value.is_empty() {
                        continue;
                    }
                    let next = doc.present_after(hit.line).next();
                    let continuation = rule.continuation.zip(next).filter(|&(_, next)| {
                        context.trigger_lines.get(next) == Some(&false)
                            && self.is_continuation(doc, next, block)
                    });
                    let end = continuation.map_or(hit.line + 1, |(_, next)| next + 1);
                    let claim =
                        (!rule.keep_line).then(|| doc.claim(id, rule.action, hit.line..end));
                    captures.push(Capture {
                        field,
                        value,
                        line: hit.line,
                        claim,
                    });
                    if let Some((role, next)) = continuation {
                        captures.push(Capture {
                            field: role,
                            value: doc.seg.lines[next].content.clone(),
                            line: next,
                            claim,
                        });
                    }
                }
            }
        }
    }

    /// The line of the first end hit of `rule` that closes the span started
    /// by `start` within the rule's limit of non-blank lines in view.
    fn span_end(&self, doc: &Doc, start: &Hit, hits: &[Hit], rule: &Rule) -> Option<usize> {
        let max_lines = rule.max_lines.unwrap_or(self.settings.drop_span_max_lines) as usize;
        let end = hits
            .iter()
            .filter(|h| h.role == Role::End && h.rule == start.rule && doc.present(h.line))
            .filter(|h| {
                h.line > start.line || (h.line == start.line && h.span.start >= start.span.end)
            })
            .map(|h| h.line)
            .min()?;
        let span = 1 + doc
            .present_after(start.line)
            .take_while(|&i| i <= end)
            .count();
        (span <= max_lines).then_some(end)
    }

    /// True when line `i` can belong to a list after a list heading: a short
    /// line that does not end with a period.
    fn is_list_line(&self, doc: &Doc, i: usize) -> bool {
        doc.words(i) <= self.settings.list_item_max_words
            && !doc.seg.content(doc.text, i).ends_with('.')
    }

    /// True when line `i` reads as a continuation of a byline in `block`: a
    /// short capitalised line of the same block, without terminal punctuation
    /// or a label colon.
    fn is_continuation(&self, doc: &Doc, i: usize, block: usize) -> bool {
        let Some(line) = doc.seg.lines.get(i) else {
            return false;
        };
        let content = doc.seg.content(doc.text, i);
        line.block == block
            && line.words <= self.settings.continuation_max_words
            && !content.ends_with(['.', '!', '?', ';', ','])
            && !content.contains(':')
            && content.chars().next().is_some_and(char::is_uppercase)
    }

    /// True when this round's rules removed more than the allowed share of
    /// the words in view.
    pub(crate) fn over_removal(&self, doc: &Doc) -> bool {
        let (mut total, mut removed) = (0u64, 0u64);
        for i in (0..doc.seg.lines.len()).filter(|&i| doc.present(i)) {
            let words = u64::from(doc.seg.lines[i].words);
            total += words;
            if doc.owner[i].is_some() {
                removed += words;
            }
        }
        removed > 0 && removed as f64 > self.settings.max_removed_share * total as f64
    }
}
