//! The working state of one document while it is cleaned: which claim
//! removes each line, which cuts are made inside kept lines, and which lines
//! earlier rounds removed (see the round model in [`super`]).

use std::borrow::Cow;
use std::cell::OnceCell;
use std::ops::Range;

use crate::dedup;
use crate::matcher::Hit;
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

/// The working state of one document.
pub(crate) struct Doc<'t, 'c> {
    pub text: &'t str,
    pub seg: Segments,
    pub claims: Vec<Claim<'c>>,
    /// For each line, the claim that removes it.
    pub owner: Vec<Option<usize>>,
    pub cuts: Vec<Cut<'c>>,
    /// Lines removed in an earlier round: this round does not see them.
    frozen: Vec<bool>,
    /// The word hashes of each line's content, computed once (lines with
    /// cuts are hashed afresh: their text changed).
    words: Vec<OnceCell<Box<[u64]>>>,
    /// The case-folded hash of each line's content ([`dedup::folded_hash`]).
    keys: Vec<OnceCell<u64>>,
}

/// What a round can undo: the state when it started.
pub(crate) struct Checkpoint {
    owner: Vec<Option<usize>>,
    claims: usize,
    cuts: usize,
}

impl<'t, 'c> Doc<'t, 'c> {
    pub fn new(text: &'t str) -> Self {
        let seg = Segments::new(text);
        let n = seg.lines.len();
        Doc {
            text,
            seg,
            claims: Vec::new(),
            owner: vec![None; n],
            cuts: Vec::new(),
            frozen: vec![false; n],
            words: vec![OnceCell::new(); n],
            keys: vec![OnceCell::new(); n],
        }
    }

    /// Starts a round: lines removed so far drop out of view.
    pub fn start_round(&mut self) -> Checkpoint {
        for (frozen, owner) in self.frozen.iter_mut().zip(&self.owner) {
            *frozen = owner.is_some();
        }
        Checkpoint {
            owner: self.owner.clone(),
            claims: self.claims.len(),
            cuts: self.cuts.len(),
        }
    }

    /// Undoes everything done since `checkpoint`.
    pub fn restore(&mut self, checkpoint: Checkpoint) {
        self.owner = checkpoint.owner;
        self.claims.truncate(checkpoint.claims);
        self.cuts.truncate(checkpoint.cuts);
    }

    /// How many lines are removed and cuts made: a round that changes
    /// neither has reached the fixed point.
    pub fn progress(&self) -> usize {
        self.owner.iter().filter(|o| o.is_some()).count() + self.cuts.len()
    }

    /// True when line `i` is in this round's view (an earlier round did not
    /// remove it).
    pub fn present(&self, i: usize) -> bool {
        self.frozen.get(i) == Some(&false)
    }

    /// True when line `i` is non-blank and in view.
    pub fn present_content(&self, i: usize) -> bool {
        self.present(i) && self.seg.lines.get(i).is_some_and(|l| !l.is_blank())
    }

    /// The non-blank lines in view after line `i`, in order.
    pub fn present_after(&self, i: usize) -> impl Iterator<Item = usize> + '_ {
        (i + 1..self.seg.lines.len()).filter(|&j| self.present_content(j))
    }

    /// True when line `i` is kept and shows some text.
    pub fn is_kept_content(&self, i: usize) -> bool {
        self.owner.get(i).is_some_and(Option::is_none)
            && self.seg.lines.get(i).is_some_and(|l| !l.is_blank())
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
        let content = self.text.get(line.content.clone()).unwrap_or("");
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
        let mut pos = line.content.start;
        for span in cuts {
            if span.start > pos {
                push_piece(&mut out, self.text.get(pos..span.start).unwrap_or(""));
            }
            pos = pos.max(span.end);
        }
        if pos < line.content.end {
            push_piece(&mut out, self.text.get(pos..line.content.end).unwrap_or(""));
        }
        Cow::Owned(out)
    }

    /// The word hashes ([`dedup::word_hashes`]) of line `i` as it will be
    /// output (after cuts).
    pub fn word_hashes(&self, i: usize) -> Cow<'_, [u64]> {
        if self.cuts.iter().any(|c| c.line == i) {
            return Cow::Owned(dedup::word_hashes(&self.kept_text(i)).collect());
        }
        match self.words.get(i) {
            Some(cell) => Cow::Borrowed(
                cell.get_or_init(|| dedup::word_hashes(self.seg.content(self.text, i)).collect()),
            ),
            None => Cow::Borrowed(&[]),
        }
    }

    /// A case-insensitive fingerprint of line `i` as it will be output.
    pub fn line_key(&self, i: usize) -> u64 {
        if self.cuts.iter().any(|c| c.line == i) {
            return dedup::folded_hash(&self.kept_text(i));
        }
        match self.keys.get(i) {
            Some(cell) => *cell.get_or_init(|| dedup::folded_hash(self.seg.content(self.text, i))),
            None => 0,
        }
    }

    /// Word units of line `i` as it will be output (after cuts).
    pub fn words(&self, i: usize) -> u32 {
        if self.cuts.iter().any(|c| c.line == i) {
            word_units(&self.kept_text(i))
        } else {
            self.seg.lines.get(i).map_or(0, |l| l.words)
        }
    }

    /// Words left in the kept lines.
    pub fn kept_words(&self) -> u64 {
        self.kept_lines().map(|i| u64::from(self.words(i))).sum()
    }

    /// Records a section claim: it owns every line in view it covers, taking
    /// lines from this round's earlier claims.
    pub fn claim_section(&mut self, id: &'c str, action: Action, lines: Range<usize>) -> usize {
        let index = self.claims.len();
        let end = lines.end.min(self.owner.len());
        for i in lines.start.min(end)..end {
            if self.present(i) {
                self.owner[i] = Some(index);
            }
        }
        self.claims.push(Claim { id, action });
        index
    }

    /// Records a line claim: it owns the lines it covers that nothing owns yet.
    pub fn claim(&mut self, id: &'c str, action: Action, lines: Range<usize>) -> usize {
        let index = self.claims.len();
        for owner in self.owner.get_mut(lines).into_iter().flatten() {
            if owner.is_none() {
                *owner = Some(index);
            }
        }
        self.claims.push(Claim { id, action });
        index
    }

    /// Gives back to the output the lines in view in `range` that claims
    /// with an id starting with `prefix` removed.
    pub fn release(&mut self, range: Range<usize>, prefix: &str) {
        let end = range.end.min(self.owner.len());
        for i in range.start.min(end)..end {
            let by_prefix = self.owner[i]
                .and_then(|o| self.claims.get(o))
                .is_some_and(|c| c.id.starts_with(prefix));
            if self.present(i) && by_prefix {
                self.owner[i] = None;
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

    /// True when a hit lies in text a cut takes out.
    pub fn is_cut(&self, hit: &Hit) -> bool {
        self.cuts.iter().any(|c| {
            c.line == hit.line && c.span.start < hit.span.end && hit.span.start < c.span.end
        })
    }

    /// The claim that removes line `i`, if any.
    pub fn claim_of(&self, i: usize) -> Option<&Claim<'c>> {
        self.owner
            .get(i)
            .copied()
            .flatten()
            .and_then(|o| self.claims.get(o))
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
    if !out.is_empty() {
        let trimmed = out.trim_end().len();
        out.truncate(trimmed);
        out.push(' ');
        out.push_str(piece.trim_start());
    } else {
        out.push_str(piece);
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
    fn later_rounds_do_not_see_removed_lines() {
        let mut doc = Doc::new("a\nb\nc");
        doc.start_round();
        doc.claim("x.y", Action::DropLine, 1..2);
        doc.start_round();
        assert!(!doc.present(1));
        doc.claim_section("x.z", Action::DropRest, 0..3);
        assert_eq!(doc.claim_of(1).map(|c| c.id), Some("x.y"));
        assert_eq!(doc.claim_of(2).map(|c| c.id), Some("x.z"));
    }
}
