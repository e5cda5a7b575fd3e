//! Model: gradient-boosted decision trees over the line features, stored in
//! a small binary file that is embedded in the binary.
//!
//! # Why trees
//!
//! The features mix scales and kinds (counts, shares, flags, positions) and
//! interact (a short line is a menu item in a run of short lines, a list
//! item in an article); boosted trees handle both without scaling, are
//! deterministic, cost a few hundred comparisons per line, and explain
//! themselves: following a line's path through each tree and crediting each
//! split's change in the expected score to the split's feature gives, per
//! line, how much each feature pushed it towards article or boilerplate
//! (`pith explain`). `pith train` chose this family over a linear model by
//! grouped cross-validation (see the README's figures).
//!
//! # The file
//!
//! Little-endian: the magic `PITHMDL2`; named parameters (`f64`) for the
//! decoder; then named ensembles, each with the names of the features it
//! reads (checked against [`crate::features::NAMES`] when loaded), a base
//! score and its trees. A tree is an array of nodes; a node is a feature
//! index (`u16::MAX` for a leaf), a threshold, the expected score at the
//! node and the index of its left child (the right child follows it). A
//! value `x` goes left when `x <= threshold`.

use std::collections::BTreeMap;

/// Why a model file could not be read.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum ModelError {
    /// The file does not start with the model magic.
    #[error("not a pith model file (bad magic)")]
    BadMagic,
    /// The file ends early, at this byte.
    #[error("model file truncated at byte {0}")]
    Truncated(usize),
    /// The file is malformed.
    #[error("model file: {0}")]
    Invalid(String),
    /// An ensemble reads a feature this pith does not compute.
    #[error(
        "model ensemble `{ensemble}` reads feature `{feature}`, which this pith does not compute: retrain it with `pith train`"
    )]
    UnknownFeature {
        /// The ensemble.
        ensemble: String,
        /// The feature.
        feature: String,
    },
    /// The model lacks an ensemble.
    #[error("model file has no ensemble `{0}`")]
    MissingEnsemble(String),
    /// The model lacks a parameter.
    #[error("model file has no parameter `{0}`")]
    MissingParam(String),
}

const MAGIC: &[u8; 8] = b"PITHMDL2";
const LEAF: u16 = u16::MAX;

/// One node of a tree.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Node {
    /// Feature index into the ensemble's feature list, or `u16::MAX` for a leaf.
    pub feature: u16,
    /// Values `<=` this go left.
    pub threshold: f32,
    /// The expected score at this node (a leaf's output).
    pub value: f32,
    /// Index of the left child; the right child is `left + 1`.
    pub left: u32,
}

impl Node {
    /// A leaf with output `value`.
    pub fn leaf(value: f32) -> Node {
        Node {
            feature: LEAF,
            threshold: 0.0,
            value,
            left: 0,
        }
    }

    /// True for a leaf.
    pub fn is_leaf(&self) -> bool {
        self.feature == LEAF
    }
}

/// A sum of trees: the score is `base + Σ tree(x)`, a log-odds.
#[derive(Debug, Clone, PartialEq)]
pub struct Ensemble {
    /// The features the trees index, by name.
    pub features: Vec<String>,
    /// The raw score before the trees.
    pub base: f32,
    /// The trees, each a list of nodes (the root first); private so that
    /// `bound`, made from them, cannot fall out of step.
    trees: Vec<Vec<Node>>,
    /// For each ensemble feature, its index in the caller's feature rows.
    columns: Vec<usize>,
    /// The trees as scoring walks them, made from `trees` and `columns` by
    /// [`Ensemble::new`] and [`Ensemble::bind`].
    bound: Vec<BoundTree>,
    /// The same trees laid out to be scored feature by feature, when every
    /// tree is a proper tree of at most 64 leaves (`None` otherwise).
    flat: Option<Flat>,
}

/// A tree as scoring walks it: the splits, each reading its row column
/// directly, and the leaves' values apart. A child is the index of a split,
/// or a leaf's index with [`BoundTree::LEAF`] set: past the end of the
/// splits, so one bounds check ends the walk.
#[derive(Debug, Clone, PartialEq)]
struct BoundTree {
    splits: Vec<Split>,
    leaves: Vec<f32>,
    root: u32,
}

/// A split of a [`BoundTree`]: values `<= threshold` go `left`.
#[derive(Debug, Clone, Copy, PartialEq)]
struct Split {
    /// The row column read (one past the row reads 0).
    column: u32,
    threshold: f32,
    left: u32,
    right: u32,
}

impl BoundTree {
    const LEAF: u32 = 1 << 31;

    /// `tree` with its features read from `columns`.
    fn new(tree: &[Node], columns: &[usize]) -> BoundTree {
        // Each node's child number: splits and leaves numbered apart.
        let (mut splits, mut leaves) = (0u32, 0u32);
        let mut numbers = Vec::with_capacity(tree.len());
        for node in tree {
            if node.is_leaf() {
                numbers.push(leaves | Self::LEAF);
                leaves += 1;
            } else {
                numbers.push(splits);
                splits += 1;
            }
        }
        // A child outside the tree leads to a leaf worth 0, appended last.
        let outside = leaves | Self::LEAF;
        let child = |at: usize| numbers.get(at).copied().unwrap_or(outside);
        BoundTree {
            splits: tree
                .iter()
                .filter(|node| !node.is_leaf())
                .map(|node| Split {
                    column: columns
                        .get(usize::from(node.feature))
                        .map_or(u32::MAX, |&c| u32::try_from(c).unwrap_or(u32::MAX)),
                    threshold: node.threshold,
                    left: child(node.left as usize),
                    right: child(node.left as usize + 1),
                })
                .collect(),
            leaves: tree
                .iter()
                .filter(|node| node.is_leaf())
                .map(|node| node.value)
                .chain([0.0])
                .collect(),
            root: child(0),
        }
    }

    /// The value of the leaf `row` reaches (0 for a malformed tree).
    fn leaf_value(&self, row: &[f32]) -> f32 {
        let mut at = self.root;
        while let Some(split) = self.splits.get(at as usize) {
            let x = row.get(split.column as usize).copied().unwrap_or(0.0);
            at = if x > split.threshold {
                split.right
            } else {
                split.left
            };
        }
        self.leaves
            .get((at & !Self::LEAF) as usize)
            .copied()
            .unwrap_or(0.0)
    }
}

/// Trees laid out to score rows feature by feature instead of tree by
/// tree (QuickScorer: Lucchese et al., SIGIR 2015), a batch of rows at a
/// time (V-QuickScorer). Each tree's leaves are numbered left to right and
/// a row's candidate leaves kept as bits; every split the row goes right at
/// clears the leaves of its left subtree, and the leftmost leaf left is
/// where the walk would end. A split is tested on the whole batch at once,
/// without a branch (so the compiler vectorises it), and the splits of a
/// column, sorted by threshold, stop at the first no row of the batch
/// exceeds. Trees of at most 16 leaves keep a row's leaves in a `u16`, so
/// that one vector holds eight rows.
#[derive(Debug, Clone, PartialEq)]
enum Flat {
    Narrow(FlatTrees<u16>),
    Wide(FlatTrees<u64>),
}

/// The trees of a [`Flat`] ensemble with each tree's leaves in a `B`.
#[derive(Debug, Clone, PartialEq)]
struct FlatTrees<B> {
    /// Per column read: the column and its splits by ascending threshold.
    columns: Vec<(usize, Vec<FlatSplit<B>>)>,
    /// Per tree, all its leaves (the bits a row starts with).
    start: Vec<B>,
    /// Per tree, where its leaves begin in `leaves`.
    first_leaf: Vec<usize>,
    /// The leaves' values, tree by tree, left to right.
    leaves: Vec<f32>,
}

/// A split of a [`Flat`] ensemble: a row whose value is `> threshold`
/// keeps only the leaves in `keep` of tree `tree`.
#[derive(Debug, Clone, Copy, PartialEq)]
struct FlatSplit<B> {
    threshold: f32,
    tree: u8,
    keep: B,
}

/// A set of leaves of one tree, one bit each, leaf 0 the lowest bit.
trait LeafSet: Copy + std::ops::BitAndAssign {
    /// Every leaf.
    const ALL: Self;
    /// The low bits of `bits` (the leaves of a tree that has no more).
    fn low(bits: u64) -> Self;
    /// The lowest leaf in the set.
    fn first(self) -> u32;
    /// `keep` if `cond`, else every leaf, without a branch.
    fn keep_if(cond: bool, keep: Self) -> Self;
}

impl LeafSet for u16 {
    const ALL: u16 = u16::MAX;
    fn low(bits: u64) -> u16 {
        bits as u16
    }
    fn first(self) -> u32 {
        self.trailing_zeros()
    }
    fn keep_if(cond: bool, keep: u16) -> u16 {
        keep | u16::from(cond).wrapping_sub(1)
    }
}

impl LeafSet for u64 {
    const ALL: u64 = u64::MAX;
    fn low(bits: u64) -> u64 {
        bits
    }
    fn first(self) -> u32 {
        self.trailing_zeros()
    }
    fn keep_if(cond: bool, keep: u64) -> u64 {
        keep | u64::from(cond).wrapping_sub(1)
    }
}

/// Rows a [`Flat`] ensemble scores together.
const FLAT_BATCH: usize = 64;
/// Rows a split is tested on at a time: a batch of fewer rows is worked on
/// as this many (a vector of `u16` leaf sets).
const LANES: usize = 8;

impl Flat {
    /// `trees` with their features read from `columns`, or `None` if there
    /// are more than 256 (a tree's number is a `u8`), a tree has more than
    /// 64 leaves, or a tree is not a tree (a node reached twice).
    fn new(trees: &[Vec<Node>], columns: &[usize]) -> Option<Flat> {
        let mut splits: Vec<(usize, FlatSplit<u64>)> = Vec::new();
        let (mut start, mut first_leaf, mut leaves) = (Vec::new(), Vec::new(), Vec::new());
        for (t, tree) in trees.iter().enumerate() {
            let tree_number = u8::try_from(t).ok()?;
            let first = leaves.len();
            let mut seen = vec![false; tree.len()];
            // Depth first, left before right: (node, true) enters a node,
            // (node, false) comes back from its left subtree.
            let mut stack = vec![(0usize, true)];
            // Per split entered, the number of leaves before its left subtree.
            let mut open: Vec<usize> = Vec::new();
            while let Some((at, enter)) = stack.pop() {
                let node = tree.get(at);
                if !enter {
                    let from = open.pop()?;
                    let node = node?;
                    if !node.threshold.is_nan() {
                        let column = columns.get(usize::from(node.feature)).copied();
                        splits.push((
                            column.unwrap_or(usize::MAX),
                            FlatSplit {
                                threshold: node.threshold,
                                tree: tree_number,
                                keep: !leaf_bits(from - first, leaves.len() - first),
                            },
                        ));
                    }
                    continue;
                }
                if let Some(seen) = seen.get_mut(at) {
                    if *seen {
                        return None;
                    }
                    *seen = true;
                }
                match node {
                    Some(node) if !node.is_leaf() => {
                        let left = node.left as usize;
                        open.push(leaves.len());
                        stack.push((left + 1, true));
                        stack.push((at, false));
                        stack.push((left, true));
                    }
                    // A child outside the tree is a leaf worth 0.
                    _ => leaves.push(node.map_or(0.0, |n| n.value)),
                }
                if leaves.len() - first > u64::BITS as usize {
                    return None;
                }
            }
            start.push(leaf_bits(0, leaves.len() - first));
            first_leaf.push(first);
        }
        splits.sort_by(|a, b| a.0.cmp(&b.0).then(a.1.threshold.total_cmp(&b.1.threshold)));
        let mut by_column: Vec<(usize, Vec<FlatSplit<u64>>)> = Vec::new();
        for (column, split) in splits {
            match by_column.last_mut() {
                Some((c, splits)) if *c == column => splits.push(split),
                _ => by_column.push((column, vec![split])),
            }
        }
        let wide = FlatTrees {
            columns: by_column,
            start,
            first_leaf,
            leaves,
        };
        let most_leaves = wide.start.iter().map(|b| b.count_ones()).max();
        Some(if most_leaves.unwrap_or(0) <= u16::BITS {
            Flat::Narrow(wide.narrow())
        } else {
            Flat::Wide(wide)
        })
    }

    /// Appends to `out` the scores of consecutive rows of `width` values
    /// (`rows` row-major; a part row at the end is not scored), each
    /// `base` plus its leaves added in tree order.
    fn score_rows(&self, base: f32, rows: &[f32], width: usize, out: &mut Vec<f32>) {
        match self {
            Flat::Narrow(trees) => trees.score_rows(base, rows, width, out),
            Flat::Wide(trees) => trees.score_rows(base, rows, width, out),
        }
    }
}

impl FlatTrees<u64> {
    /// The same trees with each one's leaves in the low bits of a `B`.
    fn narrow<B: LeafSet>(self) -> FlatTrees<B> {
        FlatTrees {
            columns: self
                .columns
                .into_iter()
                .map(|(column, splits)| {
                    let splits = splits
                        .into_iter()
                        .map(|s| FlatSplit {
                            threshold: s.threshold,
                            tree: s.tree,
                            keep: B::low(s.keep),
                        })
                        .collect();
                    (column, splits)
                })
                .collect(),
            start: self.start.into_iter().map(B::low).collect(),
            first_leaf: self.first_leaf,
            leaves: self.leaves,
        }
    }
}

impl<B: LeafSet> FlatTrees<B> {
    /// See [`Flat::score_rows`].
    fn score_rows(&self, base: f32, rows: &[f32], width: usize, out: &mut Vec<f32>) {
        let width = width.max(1);
        // Per tree, the leaves each row of the batch can still reach.
        let mut bits = vec![[B::ALL; FLAT_BATCH]; self.start.len()];
        for batch in rows.chunks(width * FLAT_BATCH) {
            let n = batch.len() / width;
            // The rows worked on: whole vectors of them (the rows past the
            // batch's end exceed no threshold).
            let lanes = n.next_multiple_of(LANES).min(FLAT_BATCH);
            for (tree_bits, &start) in bits.iter_mut().zip(&self.start) {
                *tree_bits = [start; FLAT_BATCH];
            }
            let mut values = [f32::NEG_INFINITY; FLAT_BATCH];
            let values = values.get_mut(..lanes).unwrap_or_default();
            for (column, splits) in &self.columns {
                for (value, row) in values.iter_mut().zip(batch.chunks_exact(width)) {
                    *value = row.get(*column).copied().unwrap_or(0.0);
                }
                // NaN exceeds no threshold, and `max` passes it over.
                let top = values.iter().fold(f32::NEG_INFINITY, |m, &v| m.max(v));
                for split in splits.iter().take_while(|split| top > split.threshold) {
                    let Some(tree_bits) = bits.get_mut(usize::from(split.tree)) else {
                        continue;
                    };
                    for (b, &v) in tree_bits.iter_mut().zip(&*values) {
                        *b &= B::keep_if(v > split.threshold, split.keep);
                    }
                }
            }
            let mut sums = [base; FLAT_BATCH];
            let sums = sums.get_mut(..n).unwrap_or_default();
            for (tree_bits, first) in bits.iter().zip(&self.first_leaf) {
                for (sum, b) in sums.iter_mut().zip(tree_bits) {
                    let leaf = first + b.first() as usize;
                    *sum += self.leaves.get(leaf).copied().unwrap_or(0.0);
                }
            }
            out.extend_from_slice(sums);
        }
    }
}

/// The bits of leaves `lo..hi` (`hi <= 64`).
fn leaf_bits(lo: usize, hi: usize) -> u64 {
    let below = |n: usize| match u32::try_from(n) {
        Ok(n) if n < u64::BITS => (1 << n) - 1,
        _ => u64::MAX,
    };
    below(hi) & !below(lo)
}

impl Ensemble {
    /// An ensemble over `features` (names of [`crate::features::NAMES`] or
    /// of another feature list given to [`Ensemble::bind`]).
    pub fn new(features: Vec<String>, base: f32, trees: Vec<Vec<Node>>) -> Ensemble {
        let mut ensemble = Ensemble {
            columns: (0..features.len()).collect(),
            features,
            base,
            trees,
            bound: Vec::new(),
            flat: None,
        };
        ensemble.bind_trees();
        ensemble
    }

    /// Maps the ensemble's features onto the columns of rows laid out as
    /// `names`. Fails if a feature is not among them.
    ///
    /// # Errors
    ///
    /// [`ModelError::UnknownFeature`] for a feature not in `names`.
    pub fn bind(&mut self, name: &str, names: &[&str]) -> Result<(), ModelError> {
        self.columns = self
            .features
            .iter()
            .map(|f| {
                names
                    .iter()
                    .position(|n| n == f)
                    .ok_or_else(|| ModelError::UnknownFeature {
                        ensemble: name.to_string(),
                        feature: f.clone(),
                    })
            })
            .collect::<Result<Vec<usize>, _>>()?;
        self.bind_trees();
        Ok(())
    }

    /// The trees, each a list of nodes (the root first).
    #[cfg(test)]
    pub fn trees(&self) -> &[Vec<Node>] {
        &self.trees
    }

    /// Makes the trees scoring walks from `trees` and `columns`.
    fn bind_trees(&mut self) {
        self.bound = self
            .trees
            .iter()
            .map(|tree| BoundTree::new(tree, &self.columns))
            .collect();
        self.flat = Flat::new(&self.trees, &self.columns);
    }

    /// The log-odds score of one row: `base` plus each tree's leaf, added
    /// in tree order (feature by feature when it can, see `Flat`).
    pub fn score(&self, row: &[f32]) -> f32 {
        match &self.flat {
            Some(flat) => {
                // An empty row reads 0 everywhere, like any short row.
                let row = if row.is_empty() { &[0.0][..] } else { row };
                let mut score = Vec::with_capacity(1);
                flat.score_rows(self.base, row, row.len(), &mut score);
                score.first().copied().unwrap_or(self.base)
            }
            None => self.score_trees(row, self.trees.len()),
        }
    }

    /// The score of one row using only the first `n` trees, walking them.
    pub fn score_trees(&self, row: &[f32], n: usize) -> f32 {
        self.bound
            .iter()
            .take(n)
            .fold(self.base, |sum, tree| sum + tree.leaf_value(row))
    }

    /// The scores of consecutive rows of `width` values (`rows` row-major):
    /// the same sums, added in the same order, as [`Ensemble::score`] row by
    /// row. Walked trees go tree by tree over all rows, so that each tree's
    /// nodes stay in cache.
    pub fn score_rows(&self, rows: &[f32], width: usize) -> Vec<f32> {
        let chunks = rows.chunks_exact(width.max(1));
        if let Some(flat) = &self.flat {
            let mut scores = Vec::with_capacity(chunks.len());
            flat.score_rows(self.base, rows, width, &mut scores);
            return scores;
        }
        let mut sums = vec![self.base; chunks.len()];
        for tree in &self.bound {
            for (sum, row) in sums.iter_mut().zip(chunks.clone()) {
                *sum += tree.leaf_value(row);
            }
        }
        sums
    }

    /// The value of `node`'s feature in `row` (0 if out of range).
    fn value(&self, node: &Node, row: &[f32]) -> f32 {
        self.columns
            .get(usize::from(node.feature))
            .and_then(|&c| row.get(c))
            .copied()
            .unwrap_or(0.0)
    }

    /// How much each feature moved this row's score, summed over the trees
    /// (the change in expected score at each split, credited to the split's
    /// feature). The contributions add up to `score(row) - base - Σ root values`.
    pub fn contributions(&self, row: &[f32]) -> Vec<f32> {
        let mut out = vec![0.0f32; self.features.len()];
        for tree in &self.trees {
            let mut at = 0usize;
            while let Some(node) = tree.get(at) {
                if node.is_leaf() {
                    break;
                }
                let next = node.left as usize + usize::from(self.value(node, row) > node.threshold);
                let Some(child) = tree.get(next) else { break };
                if let Some(slot) = out.get_mut(usize::from(node.feature)) {
                    *slot += child.value - node.value;
                }
                at = next;
            }
        }
        out
    }

    fn check(&self, name: &str) -> Result<(), ModelError> {
        let invalid = |what: String| Err(ModelError::Invalid(format!("ensemble `{name}`: {what}")));
        for (t, tree) in self.trees.iter().enumerate() {
            if tree.is_empty() {
                return invalid(format!("tree {t} is empty"));
            }
            for (i, node) in tree.iter().enumerate() {
                if node.is_leaf() {
                    continue;
                }
                let left = node.left as usize;
                if usize::from(node.feature) >= self.features.len() {
                    return invalid(format!("tree {t} node {i} reads a feature out of range"));
                }
                // Children come after their parent: a walk always ends.
                if left <= i || left + 1 >= tree.len() {
                    return invalid(format!("tree {t} node {i} has a bad child index"));
                }
            }
        }
        Ok(())
    }
}

/// The logistic function: log-odds to probability.
pub fn sigmoid(x: f32) -> f32 {
    1.0 / (1.0 + (-x).exp())
}

/// A trained model: named ensembles and named decoder parameters.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Model {
    /// Named decoder parameters.
    pub params: BTreeMap<String, f64>,
    /// Named ensembles.
    pub ensembles: BTreeMap<String, Ensemble>,
}

impl Model {
    /// A parameter's value.
    ///
    /// # Errors
    ///
    /// [`ModelError::MissingParam`] when there is none.
    pub fn param(&self, name: &str) -> Result<f64, ModelError> {
        self.params
            .get(name)
            .copied()
            .ok_or_else(|| ModelError::MissingParam(name.to_string()))
    }

    /// An ensemble by name.
    ///
    /// # Errors
    ///
    /// [`ModelError::MissingEnsemble`] when there is none.
    pub fn ensemble(&self, name: &str) -> Result<&Ensemble, ModelError> {
        self.ensembles
            .get(name)
            .ok_or_else(|| ModelError::MissingEnsemble(name.to_string()))
    }

    /// The model as bytes (the file format above). Deterministic: the same
    /// model always gives the same bytes.
    pub fn to_bytes(&self) -> Vec<u8> {
        let mut out = Vec::new();
        out.extend_from_slice(MAGIC);
        put_u32(&mut out, self.params.len());
        for (name, value) in &self.params {
            put_str(&mut out, name);
            out.extend_from_slice(&value.to_le_bytes());
        }
        put_u32(&mut out, self.ensembles.len());
        for (name, e) in &self.ensembles {
            put_str(&mut out, name);
            put_u32(&mut out, e.features.len());
            for f in &e.features {
                put_str(&mut out, f);
            }
            out.extend_from_slice(&e.base.to_le_bytes());
            put_u32(&mut out, e.trees.len());
            for tree in &e.trees {
                put_u32(&mut out, tree.len());
                for node in tree {
                    out.extend_from_slice(&node.feature.to_le_bytes());
                    out.extend_from_slice(&node.threshold.to_le_bytes());
                    out.extend_from_slice(&node.value.to_le_bytes());
                    out.extend_from_slice(&node.left.to_le_bytes());
                }
            }
        }
        out
    }

    /// Reads a model from bytes, checking its structure (not its features:
    /// see [`Ensemble::bind`]).
    ///
    /// # Errors
    ///
    /// [`ModelError`] when the bytes are not a well-formed model file.
    pub fn from_bytes(bytes: &[u8]) -> Result<Model, ModelError> {
        let mut r = Reader { bytes, at: 0 };
        if r.take(MAGIC.len())? != MAGIC {
            return Err(ModelError::BadMagic);
        }
        let mut model = Model::default();
        for _ in 0..r.count()? {
            let name = r.string()?;
            let value = f64::from_le_bytes(r.array()?);
            model.params.insert(name, value);
        }
        for _ in 0..r.count()? {
            let name = r.string()?;
            let features = (0..r.count()?)
                .map(|_| r.string())
                .collect::<Result<Vec<_>, _>>()?;
            let base = f32::from_le_bytes(r.array()?);
            let mut trees = Vec::new();
            for _ in 0..r.count()? {
                let nodes = (0..r.count()?)
                    .map(|_| {
                        Ok(Node {
                            feature: u16::from_le_bytes(r.array()?),
                            threshold: f32::from_le_bytes(r.array()?),
                            value: f32::from_le_bytes(r.array()?),
                            left: u32::from_le_bytes(r.array()?),
                        })
                    })
                    .collect::<Result<Vec<_>, ModelError>>()?;
                trees.push(nodes);
            }
            let ensemble = Ensemble::new(features, base, trees);
            ensemble.check(&name)?;
            model.ensembles.insert(name, ensemble);
        }
        if r.at != bytes.len() {
            return Err(ModelError::Invalid(format!(
                "{} bytes after the end",
                bytes.len() - r.at
            )));
        }
        Ok(model)
    }
}

fn put_u32(out: &mut Vec<u8>, n: usize) {
    out.extend_from_slice(&u32::try_from(n).unwrap_or(u32::MAX).to_le_bytes());
}

fn put_str(out: &mut Vec<u8>, s: &str) {
    put_u32(out, s.len());
    out.extend_from_slice(s.as_bytes());
}

struct Reader<'b> {
    bytes: &'b [u8],
    at: usize,
}

impl<'b> Reader<'b> {
    fn take(&mut self, n: usize) -> Result<&'b [u8], ModelError> {
        let slice = self
            .at
            .checked_add(n)
            .and_then(|end| self.bytes.get(self.at..end))
            .ok_or(ModelError::Truncated(self.at))?;
        self.at += n;
        Ok(slice)
    }

    fn array<const N: usize>(&mut self) -> Result<[u8; N], ModelError> {
        let mut out = [0u8; N];
        out.copy_from_slice(self.take(N)?);
        Ok(out)
    }

    /// A count, bounded by the bytes left (each item takes at least one).
    fn count(&mut self) -> Result<usize, ModelError> {
        let n = u32::from_le_bytes(self.array()?) as usize;
        if n > self.bytes.len() - self.at {
            return Err(ModelError::Truncated(self.at));
        }
        Ok(n)
    }

    fn string(&mut self) -> Result<String, ModelError> {
        let n = self.count()?;
        String::from_utf8(self.take(n)?.to_vec())
            .map_err(|_| ModelError::Invalid("a name is not UTF-8".into()))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn stump() -> Ensemble {
        // x0 <= 0.5 → -1, else +2 (expected value at the root: 0.5).
        Ensemble::new(
            vec!["a".into(), "b".into()],
            0.25,
            vec![vec![
                Node {
                    feature: 0,
                    threshold: 0.5,
                    value: 0.5,
                    left: 1,
                },
                Node::leaf(-1.0),
                Node::leaf(2.0),
            ]],
        )
    }

    #[test]
    fn scores_and_contributions() {
        let e = stump();
        assert_eq!(e.score(&[0.0, 9.0]), -0.75);
        assert_eq!(e.score(&[0.6, 9.0]), 2.25);
        assert_eq!(e.contributions(&[0.6, 9.0]), vec![1.5, 0.0]);
        assert_eq!(e.score_trees(&[0.6, 9.0], 0), 0.25);
    }

    #[test]
    fn lone_leaves_and_children_outside_the_tree_score() {
        let lone = Ensemble::new(vec!["a".into()], 1.0, vec![vec![Node::leaf(0.5)]]);
        assert_eq!(lone.score(&[3.0]), 1.5);
        // The right child (index 2) is missing: a walk there reads 0.
        let mut cut = stump();
        cut.trees[0].truncate(2);
        let cut = Ensemble::new(cut.features, cut.base, cut.trees);
        assert_eq!(cut.score(&[0.0, 0.0]), -0.75);
        assert_eq!(cut.score(&[0.6, 0.0]), 0.25);
        assert_eq!(cut.score_rows(&[0.0, 0.0, 0.6, 0.0], 2), vec![-0.75, 0.25]);
        assert!(cut.flat.is_some());
        // Two splits sharing their leaves: not a tree, so walked.
        let split = |left| Node {
            feature: 0,
            threshold: 0.5,
            value: 0.0,
            left,
        };
        let shared = vec![
            split(1),
            split(3),
            split(3),
            Node::leaf(1.0),
            Node::leaf(2.0),
        ];
        let shared = Ensemble::new(vec!["a".into()], 0.0, vec![shared]);
        assert!(shared.flat.is_none());
        assert_eq!(shared.score_rows(&[0.0, 0.6], 1), vec![1.0, 2.0]);
    }

    #[test]
    fn feature_by_feature_scores_equal_tree_walks() {
        let model = Model::from_bytes(include_bytes!("../models/pith.model")).expect("model reads");
        let mut seed = 0x2545_f491_4f6c_dd1du64;
        let mut next = move || {
            seed ^= seed << 13;
            seed ^= seed >> 7;
            seed ^= seed << 17;
            seed
        };
        for (name, e) in &model.ensembles {
            assert!(e.flat.is_some(), "{name} is scored feature by feature");
            // Values at, around and between the thresholds, and odd ones.
            let mut values: Vec<f32> = e.trees().iter().flatten().map(|n| n.threshold).collect();
            values.extend(values.clone().iter().map(|t| t + 1e-3));
            values.extend([f32::NAN, f32::INFINITY, f32::NEG_INFINITY, -0.0, 0.0, 1.0]);
            let width = e.features.len();
            let mut rows = Vec::new();
            for _ in 0..2000 {
                rows.extend((0..width).map(|_| {
                    let at = (next() % values.len() as u64) as usize;
                    values.get(at).copied().unwrap_or(0.0)
                }));
            }
            let all = e.trees().len();
            let scores = e.score_rows(&rows, width);
            for (row, score) in rows.chunks_exact(width).zip(&scores) {
                let walked = e.score_trees(row, all);
                assert_eq!(e.score(row).to_bits(), walked.to_bits(), "{name}");
                assert_eq!(score.to_bits(), walked.to_bits(), "{name}");
                // A short row reads 0 past its end, both ways.
                let short = row.get(..width / 2).unwrap_or_default();
                assert_eq!(
                    e.score(short).to_bits(),
                    e.score_trees(short, all).to_bits()
                );
            }
        }
    }

    #[test]
    fn trees_of_more_than_sixteen_leaves_score_as_walks() {
        // Combs of 20 splits (21 leaves): a leaf to the left of each split,
        // the next split to its right.
        let comb = |shift: f32| -> Vec<Node> {
            let mut nodes = Vec::new();
            for k in 0..20u16 {
                let at = nodes.len() as u32;
                nodes.push(Node {
                    feature: k % 3,
                    threshold: f32::from(k) * 0.1 - shift,
                    value: 0.0,
                    left: at + 1,
                });
                nodes.push(Node::leaf(f32::from(k) + shift));
            }
            nodes.push(Node::leaf(-1.0));
            nodes
        };
        let names = vec!["a".into(), "b".into(), "c".into()];
        let e = Ensemble::new(names, 0.5, vec![comb(0.0), comb(0.35), comb(0.7)]);
        assert!(matches!(e.flat, Some(Flat::Wide(_))));
        // 150 rows: two whole batches and part of one.
        let rows: Vec<f32> = (0..150 * 3).map(|i| ((i * 37) % 23) as f32 * 0.1 - 0.3).collect();
        let scores = e.score_rows(&rows, 3);
        assert_eq!(scores.len(), 150);
        for (row, score) in rows.chunks_exact(3).zip(&scores) {
            let walked = e.score_trees(row, 3);
            assert_eq!(score.to_bits(), walked.to_bits());
            assert_eq!(e.score(row).to_bits(), walked.to_bits());
        }
    }

    #[test]
    fn round_trip_and_binding() {
        let mut model = Model::default();
        model.params.insert("t".into(), 0.5);
        model.ensembles.insert("line".into(), stump());
        let bytes = model.to_bytes();
        let back = Model::from_bytes(&bytes).expect("reads back");
        assert_eq!(back, model);
        assert_eq!(back.to_bytes(), bytes);
        let mut e = back.ensemble("line").expect("present").clone();
        e.bind("line", &["z", "b", "a"]).expect("binds");
        assert_eq!(e.score(&[0.0, 0.0, 0.6]), 2.25);
        assert!(matches!(
            e.bind("line", &["a"]),
            Err(ModelError::UnknownFeature { .. })
        ));
    }

    #[test]
    fn broken_files_are_errors_not_panics() {
        let mut model = Model::default();
        model.ensembles.insert("line".into(), stump());
        let bytes = model.to_bytes();
        for cut in 0..bytes.len() {
            assert!(Model::from_bytes(&bytes[..cut]).is_err());
        }
        assert_eq!(Model::from_bytes(b"nonsense"), Err(ModelError::BadMagic));
        let mut cyclic = stump();
        cyclic.trees[0][0].left = 0;
        model.ensembles.insert("line".into(), cyclic);
        assert!(Model::from_bytes(&model.to_bytes()).is_err());
    }
}
