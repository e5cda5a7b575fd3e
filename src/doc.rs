//! The working state of one document while it is cleaned: which claim
//! removes each line, which cuts are made inside kept lines, and which
//! sections the rules proposed.

use std::borrow::Cow;
use std::ops::Range;
use std::sync::Arc;

use crate::rules::Action;
use crate::segment::{Segments, word_units};

/// A claim of an action on lines, by a rule or a pass.
#[derive(Debug, Clone)]
pub(crate) struct Claim<'c> {
    pub id: &'c str,
    pub action: Action,
}

/// A cut inside a kept line.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Cut<'c> {
    pub id: &'c str,
    pub line: usize,
    pub span: Range<usize>,
}

/// A section a rule proposes to remove (`drop-rest`, `drop-span`,
/// `drop-list`): its trigger line and the lines after it that it covers.
/// The line model decides which of them go.
#[derive(Debug, Clone)]
pub(crate) struct Section<'c> {
    pub id: &'c str,
    pub action: Action,
    pub family: usize,
    /// The trigger line and the lines covered, end exclusive.
    pub lines: Range<usize>,
    /// The claim that removes the lines the model lets go.
    pub claim: u32,
}

/// The working state of one document.
#[derive(Clone)]
pub(crate) struct Doc<'t, 'c> {
    pub text: &'t str,
    /// The lines, shared by the copies a round makes of the document.
    pub seg: Arc<Segments>,
    pub claims: Vec<Claim<'c>>,
    /// For each line, the claim that removes it.
    pub owner: Vec<Option<u32>>,
    pub cuts: Vec<Cut<'c>>,
    pub sections: Vec<Section<'c>>,
    /// Lines removed in an earlier round: this round does not see them.
    frozen: Vec<bool>,
}

impl<'t, 'c> Doc<'t, 'c> {
    pub fn new(text: &'t str) -> Self {
        let seg = Arc::new(Segments::new(text));
        let n = seg.lines.len();
        Doc {
            text,
            seg,
            claims: Vec::new(),
            owner: vec![None; n],
            cuts: Vec::new(),
            sections: Vec::new(),
            frozen: vec![false; n],
        }
    }

    /// Starts a new round: the lines removed so far drop out of view, and
    /// the sections proposed so far are settled.
    pub fn next_round(&mut self) {
        for (frozen, owner) in self.frozen.iter_mut().zip(&self.owner) {
            *frozen = owner.is_some();
        }
        self.sections.clear();
    }

    /// True when line `i` is in this round's view (no earlier round removed it).
    pub fn present(&self, i: usize) -> bool {
        self.frozen.get(i) == Some(&false)
    }

    /// True when line `i` is not blank, in view or not.
    pub fn is_nonblank(&self, i: usize) -> bool {
        self.seg.lines.get(i).is_some_and(|l| !l.is_blank())
    }

    /// True when line `i` is in view and shows some text (after cuts).
    pub fn is_content(&self, i: usize) -> bool {
        self.present(i)
            && self.is_nonblank(i)
            && (!self.has_cut(i) || !self.kept_text(i).is_empty())
    }

    /// The non-blank lines in view after line `i`, in order.
    pub fn content_after(&self, i: usize) -> impl Iterator<Item = usize> + '_ {
        (i + 1..self.seg.lines.len()).filter(|&j| self.is_content(j))
    }

    /// True when line `i` is kept and shows some text.
    pub fn is_kept_content(&self, i: usize) -> bool {
        self.owner.get(i).is_some_and(Option::is_none)
            && self.is_nonblank(i)
            && !self.kept_text(i).is_empty()
    }

    /// Indices of kept lines that show text, in order.
    pub fn kept_lines(&self) -> impl Iterator<Item = usize> + '_ {
        (0..self.seg.lines.len()).filter(|&i| self.is_kept_content(i))
    }

    /// The text line `i` shows in the output: its trimmed content with any
    /// cuts taken out, the pieces joined by one space.
    pub fn kept_text(&self, i: usize) -> Cow<'t, str> {
        let Some(line) = self.seg.lines.get(i) else {
            return Cow::Borrowed("");
        };
        let content = self.text.get(line.content()).unwrap_or("");
        let mut cuts: Vec<&Range<usize>> = self
            .cuts
            .iter()
            .filter(|c| c.line == i)
            .map(|c| &c.span)
            .collect();
        if cuts.is_empty() {
            return Cow::Borrowed(content);
        }
        cuts.sort_by_key(|s| s.start);
        let mut out = String::with_capacity(content.len());
        let mut pos = line.content().start;
        for span in cuts {
            if span.start > pos {
                push_piece(&mut out, self.text.get(pos..span.start).unwrap_or(""));
            }
            pos = pos.max(span.end);
        }
        if pos < line.content().end {
            push_piece(&mut out, self.text.get(pos..line.content().end).unwrap_or(""));
        }
        Cow::Owned(out)
    }

    /// True when line `i` has a cut.
    pub fn has_cut(&self, i: usize) -> bool {
        self.cuts.iter().any(|c| c.line == i)
    }

    /// Word units of line `i` as it will be output (after cuts).
    pub fn words(&self, i: usize) -> u32 {
        if self.has_cut(i) {
            word_units(&self.kept_text(i))
        } else {
            self.seg.lines.get(i).map_or(0, |l| l.words)
        }
    }

    /// Adds a claim and returns its index.
    pub fn add_claim(&mut self, id: &'c str, action: Action) -> u32 {
        self.claims.push(Claim { id, action });
        u32::try_from(self.claims.len() - 1).unwrap_or(u32::MAX)
    }

    /// Records a line claim: it owns the lines it covers that nothing owns yet.
    pub fn claim(&mut self, id: &'c str, action: Action, lines: Range<usize>) -> u32 {
        let index = self.add_claim(id, action);
        self.claim_with(index, lines);
        index
    }

    /// Gives the lines in `lines` that nothing owns yet to claim `index`.
    pub fn claim_with(&mut self, index: u32, lines: Range<usize>) {
        let end = lines.end.min(self.owner.len());
        for owner in self
            .owner
            .get_mut(lines.start.min(end)..end)
            .into_iter()
            .flatten()
        {
            if owner.is_none() {
                *owner = Some(index);
            }
        }
    }

    /// Adds a cut inside line `line`, unless the same cut exists.
    pub fn cut(&mut self, id: &'c str, line: usize, span: Range<usize>) {
        let cut = Cut { id, line, span };
        if !self.cuts.contains(&cut) {
            self.cuts.push(cut);
        }
    }

    /// True when `claim` is a section rule's (it has a section's action).
    pub fn is_section_claim(&self, claim: &Claim) -> bool {
        matches!(
            claim.action,
            Action::DropRest | Action::DropSpan | Action::DropList
        )
    }

    /// The claim that removes line `i`, if any.
    pub fn claim_of(&self, i: usize) -> Option<&Claim<'c>> {
        self.owner
            .get(i)
            .copied()
            .flatten()
            .and_then(|o| self.claims.get(o as usize))
    }
}

/// Appends a piece of a cut line, joining pieces with one space.
fn push_piece(out: &mut String, piece: &str) {
    let piece = if out.is_empty() {
        piece.trim_start()
    } else {
        piece
    };
    let piece = piece.trim_end();
    if piece.is_empty() {
        return;
    }
    if out.is_empty() {
        out.push_str(piece);
    } else {
        let trimmed = out.trim_end().len();
        out.truncate(trimmed);
        out.push(' ');
        out.push_str(piece.trim_start());
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cut_pieces_join_with_one_space() {
        let mut out = String::new();
        push_piece(&mut out, "  The minister ");
        push_piece(&mut out, " spoke. ");
        assert_eq!(out, "The minister spoke.");
    }

    #[test]
    fn line_claims_take_only_free_lines() {
        let mut doc = Doc::new("a\nb\nc");
        doc.claim("x.y", Action::DropLine, 1..2);
        doc.claim("x.z", Action::DropRest, 0..3);
        assert_eq!(doc.claim_of(0).map(|c| c.id), Some("x.z"));
        assert_eq!(doc.claim_of(1).map(|c| c.id), Some("x.y"));
        assert_eq!(doc.kept_lines().count(), 0);
    }
}
