//! Rules: apply each rule's action to the lines its triggers hit, in one
//! pass, with the rules' guards.
//!
//! Trims apply first, so other rules see lines as they will be printed;
//! line rules (`drop-line`, `drop-block`, `extract`) then claim the lines
//! nobody owns. Section rules (`drop-rest`, `drop-span`, `drop-list`) only
//! *propose* their sections: the line model reads them as evidence and
//! decides which lines of a section go (a "References" heading in a page
//! whose references are the article keeps them).

use crate::features::family_of;
use crate::matcher::{Hit, Placement, Role};
use crate::rules::{Action, Field, Rule};

use super::Cleaner;
use crate::doc::{Doc, Section};
use crate::segment::Line;

/// A captured metadata value, kept only if its claim survives.
#[derive(Debug, Clone)]
pub(crate) struct Capture {
    pub field: Field,
    pub value: std::ops::Range<usize>,
    pub line: usize,
    /// Index of the claim that removes the captured line, if any.
    pub claim: Option<u32>,
}

/// Facts about the document that the rules' guards need.
struct RuleContext {
    /// Lines hit by any start trigger (a byline continuation must not be one).
    trigger_lines: Vec<bool>,
    /// Words before each line.
    words_before: Vec<u64>,
}

impl RuleContext {
    fn new(doc: &Doc, starts: &[&Hit]) -> Self {
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
    /// Applies every start hit on a line in view. Returns the captured
    /// metadata values.
    pub(crate) fn apply_rules<'c>(&'c self, doc: &mut Doc<'_, 'c>, hits: &[Hit]) -> Vec<Capture> {
        let mut starts: Vec<&Hit> = hits
            .iter()
            .filter(|h| h.role == Role::Start && doc.present(h.line))
            .collect();
        starts.sort_by_key(|h| (self.apply_order(h), h.line, h.span.start));
        let context = RuleContext::new(doc, &starts);
        let mut captures = Vec::new();
        for hit in starts {
            if let Some(rule) = self.rules.get(hit.rule) {
                self.apply_hit(doc, hit, rule, hits, &context, &mut captures);
            }
        }
        captures
    }

    fn apply_order(&self, hit: &Hit) -> u8 {
        match self.rules.get(hit.rule).map(|r| r.action) {
            Some(Action::Trim) => 0,
            Some(Action::DropRest | Action::DropSpan | Action::DropList) => 2,
            _ => 1,
        }
    }

    /// Applies one start hit of `rule`, unless a guard stops it.
    fn apply_hit<'c>(
        &'c self,
        doc: &mut Doc<'_, 'c>,
        hit: &Hit,
        rule: &'c Rule,
        hits: &[Hit],
        context: &RuleContext,
        captures: &mut Vec<Capture>,
    ) {
        let Some(block) = doc.seg.lines.get(hit.line).map(Line::block) else {
            return;
        };
        if rule.action != Action::Trim && is_cut(doc, hit) {
            return;
        }
        if rule.max_words.is_some_and(|max| doc.words(hit.line) > max) {
            return;
        }
        let id = rule.id.as_str();
        let inside_own_section = doc
            .sections
            .iter()
            .any(|s| s.id == id && s.lines.contains(&hit.line));
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
            Action::DropRest if !inside_own_section => {
                self.propose_rest(doc, hit, rule, context, captures);
            }
            Action::DropList if !inside_own_section => {
                let max = rule.max_lines.unwrap_or(self.settings.drop_span_max_lines) as usize;
                let last = doc
                    .content_after(hit.line)
                    .take(max.saturating_sub(1))
                    .take_while(|&i| self.is_list_line(doc, i))
                    .last()
                    .unwrap_or(hit.line);
                propose(doc, id, rule.action, hit.line..last + 1);
            }
            Action::DropSpan if !inside_own_section => {
                if let Some(end) = self.span_end(doc, hit, hits, rule) {
                    propose(doc, id, rule.action, hit.line..end + 1);
                }
            }
            Action::DropRest | Action::DropList | Action::DropSpan => {}
            Action::Trim => trim(doc, hit, rule, captures),
            Action::Extract => self.extract(doc, hit, rule, block, context, captures),
        }
    }

    /// `drop-rest`: proposes the rest of the document from the hit's line,
    /// when enough words come before it, capturing its lines as the rule's
    /// field.
    fn propose_rest<'c>(
        &self,
        doc: &mut Doc<'_, 'c>,
        hit: &Hit,
        rule: &'c Rule,
        context: &RuleContext,
        captures: &mut Vec<Capture>,
    ) {
        let min = rule
            .min_words_before
            .unwrap_or(self.settings.drop_rest_min_words_before);
        let before = context.words_before.get(hit.line).copied().unwrap_or(0);
        if before < u64::from(min) {
            return;
        }
        let n = doc.seg.lines.len();
        let claim = propose(doc, &rule.id, rule.action, hit.line..n);
        if let Some(field) = rule.field {
            let entries: Vec<usize> = doc.content_after(hit.line).collect();
            captures.extend(entries.into_iter().filter_map(|i| {
                Some(Capture {
                    field,
                    value: doc.seg.lines.get(i)?.content(),
                    line: i,
                    claim: Some(claim),
                })
            }));
        }
    }

    /// `extract`: captures the hit's value (and a continuation line's, as
    /// the rule's continuation field) and claims the lines unless the rule
    /// keeps them.
    fn extract<'c>(
        &self,
        doc: &mut Doc<'_, 'c>,
        hit: &Hit,
        rule: &'c Rule,
        block: usize,
        context: &RuleContext,
        captures: &mut Vec<Capture>,
    ) {
        let (Some(field), Some(value)) = (rule.field, hit.value.clone()) else {
            return;
        };
        if value.is_empty() {
            return;
        }
        let next = doc.content_after(hit.line).next();
        let continuation = rule.continuation.zip(next).filter(|&(_, next)| {
            context.trigger_lines.get(next) == Some(&false)
                && self.is_continuation(doc, next, block)
        });
        let end = continuation.map_or(hit.line + 1, |(_, next)| next + 1);
        let claim = (!rule.keep_line).then(|| doc.claim(&rule.id, rule.action, hit.line..end));
        captures.push(Capture {
            field,
            value,
            line: hit.line,
            claim,
        });
        if let Some((role, next)) = continuation
            && let Some(line) = doc.seg.lines.get(next)
        {
            captures.push(Capture {
                field: role,
                value: line.content(),
                line: next,
                claim,
            });
        }
    }

    /// The line of the first end hit of `rule` that closes the span started
    /// by `start` within the rule's limit of non-blank lines.
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
            .content_after(start.line)
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
        line.block() == block
            && line.words <= self.settings.continuation_max_words
            && !content.ends_with(['.', '!', '?', ';', ','])
            && !content.contains(':')
            && content.chars().next().is_some_and(char::is_uppercase)
    }

    /// True when the rules would remove more than the allowed share of the
    /// words: line claims and every line of every proposed section.
    pub(crate) fn over_removal(&self, doc: &Doc) -> bool {
        let mut covered = vec![false; doc.seg.lines.len()];
        for s in &doc.sections {
            for c in covered.get_mut(s.lines.clone()).into_iter().flatten() {
                *c = true;
            }
        }
        let (mut total, mut removed) = (0u64, 0u64);
        for (i, line) in doc.seg.lines.iter().enumerate() {
            if !doc.present(i) {
                continue;
            }
            let words = u64::from(line.words);
            total += words;
            if doc.owner.get(i).is_some_and(Option::is_some) || covered.get(i) == Some(&true) {
                removed += words;
            }
        }
        removed > 0 && removed as f64 > self.settings.max_removed_share * total as f64
    }
}

/// `trim`: cuts the hit out of its line, capturing its value as the rule's
/// field.
fn trim<'c>(doc: &mut Doc<'_, 'c>, hit: &Hit, rule: &'c Rule, captures: &mut Vec<Capture>) {
    // A literal credit label is cut with the value after it, to the end of
    // the line; a regex cuts exactly its match.
    let end = match (hit.placement, &hit.value) {
        (Placement::Literal(_), Some(value)) => value.end,
        _ => hit.span.end,
    };
    doc.cut(&rule.id, hit.line, hit.span.start..end);
    if let (Some(field), Some(value)) = (rule.field, hit.value.clone()) {
        captures.push(Capture {
            field,
            value,
            line: hit.line,
            claim: None,
        });
    }
}

/// Records a proposed section and its claim; returns the claim's index.
fn propose<'c>(
    doc: &mut Doc<'_, 'c>,
    id: &'c str,
    action: Action,
    lines: std::ops::Range<usize>,
) -> u32 {
    let claim = doc.add_claim(id, action);
    doc.sections.push(Section {
        id,
        action,
        family: family_of(id),
        lines,
        claim,
    });
    claim
}

/// True when a hit lies in text a cut takes out.
fn is_cut(doc: &Doc, hit: &Hit) -> bool {
    doc.cuts
        .iter()
        .any(|c| c.line == hit.line && c.span.start < hit.span.end && hit.span.start < c.span.end)
}
