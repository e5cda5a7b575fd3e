//! Gradient-boosted trees for a weighted binary log loss: histogram-based,
//! grown best leaf first, deterministic (no sampling, sums in a fixed
//! order), so the same data and settings always give the same trees.
//!
//! Features are cut into at most 255 bins at quantiles of the training
//! values; a split `bin <= b` is stored as `x <= cut[b]`, so the trees read
//! raw feature values at run time.

use crate::model::{Ensemble, Node};

/// Settings of one boosting run.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Params {
    /// Trees to grow.
    pub trees: usize,
    /// Leaves per tree.
    pub leaves: usize,
    /// Shrinkage of each tree.
    pub learning_rate: f64,
    /// L2 penalty on leaf values.
    pub lambda: f64,
    /// Least summed hessian (weighted) in a leaf.
    pub min_hessian: f64,
}

impl Default for Params {
    fn default() -> Self {
        Params {
            trees: 200,
            leaves: 31,
            learning_rate: 0.1,
            lambda: 1.0,
            min_hessian: 0.05,
        }
    }
}

/// A training set: `n` rows of `features` values, row-major, with 0/1
/// labels and weights.
pub struct Data<'a> {
    /// The feature values, row-major.
    pub rows: &'a [f32],
    /// Values per row.
    pub features: usize,
    /// Each row's label.
    pub labels: &'a [bool],
    /// Each row's weight.
    pub weights: &'a [f32],
}

const MAX_BINS: usize = 255;

/// Rows binned feature by feature: `bins[row * features + f]`.
struct Binned {
    bins: Vec<u8>,
    /// For each feature, the cut values: bin `b` holds `cut[b-1] < x <= cut[b]`.
    cuts: Vec<Vec<f32>>,
}

fn bin_data(data: &Data) -> Binned {
    let n = data.labels.len();
    let f = data.features;
    let mut cuts = Vec::with_capacity(f);
    for j in 0..f {
        let mut values: Vec<f32> = (0..n)
            .filter_map(|i| data.rows.get(i * f + j).copied())
            .filter(|v| v.is_finite())
            .collect();
        values.sort_by(f32::total_cmp);
        let mut distinct = values.clone();
        distinct.dedup();
        let cut: Vec<f32> = if distinct.len() <= MAX_BINS {
            distinct
                .windows(2)
                .map(|w| w[0] + (w[1] - w[0]) / 2.0)
                .collect()
        } else {
            let mut c: Vec<f32> = (1..MAX_BINS)
                .filter_map(|q| values.get(q * values.len() / MAX_BINS).copied())
                .collect();
            c.dedup();
            // A cut at the largest value would leave its bin empty.
            if c.last() == values.last() {
                c.pop();
            }
            c
        };
        cuts.push(cut);
    }
    let mut bins = vec![0u8; n * f];
    for i in 0..n {
        for (j, cut) in cuts.iter().enumerate() {
            let x = data.rows.get(i * f + j).copied().unwrap_or(0.0);
            let b = cut.partition_point(|&c| c < x);
            if let Some(slot) = bins.get_mut(i * f + j) {
                *slot = u8::try_from(b).unwrap_or(u8::MAX);
            }
        }
    }
    Binned { bins, cuts }
}

/// Gradient and hessian sums of one bin.
#[derive(Debug, Clone, Copy, Default)]
struct Sums {
    g: f64,
    h: f64,
}

/// A leaf being grown: its rows and histograms.
struct Leaf {
    rows: Vec<u32>,
    hist: Vec<Sums>,
    sums: Sums,
    /// Index of the leaf's node in the tree.
    node: usize,
    depth: usize,
    best: Option<Split>,
}

#[derive(Debug, Clone, Copy)]
struct Split {
    feature: usize,
    bin: usize,
    gain: f64,
    left: Sums,
}

/// Trains an ensemble. `names` are the feature names stored with it.
pub fn train(data: &Data, names: &[&str], params: &Params) -> Ensemble {
    let n = data.labels.len();
    let f = data.features;
    let binned = bin_data(data);
    let (mut pos, mut total) = (0.0f64, 0.0f64);
    for (i, &w) in data.weights.iter().enumerate() {
        total += f64::from(w);
        if data.labels.get(i) == Some(&true) {
            pos += f64::from(w);
        }
    }
    let prior = ((pos + 1e-9) / (total - pos + 1e-9)).ln();
    let base = prior as f32;
    let mut scores = vec![f64::from(base); n];
    let mut grad = vec![Sums::default(); n];
    let mut trees = Vec::with_capacity(params.trees);
    for _ in 0..params.trees {
        for i in 0..n {
            let p = 1.0 / (1.0 + (-scores[i]).exp());
            let y = if data.labels[i] { 1.0 } else { 0.0 };
            let w = f64::from(data.weights[i]);
            grad[i] = Sums {
                g: w * (p - y),
                h: w * (p * (1.0 - p)).max(1e-12),
            };
        }
        let tree = grow(&binned, f, &grad, params);
        for (i, score) in scores.iter_mut().enumerate() {
            *score += f64::from(leaf_value(&tree, &binned, f, i));
        }
        trees.push(tree);
    }
    let nodes = trees
        .into_iter()
        .map(|t| {
            t.into_iter()
                .map(|node| match node {
                    Grown::Leaf { value } => Node::leaf(value),
                    Grown::Split {
                        feature,
                        bin,
                        value,
                        left,
                    } => Node {
                        feature: u16::try_from(feature).unwrap_or(u16::MAX - 1),
                        threshold: binned
                            .cuts
                            .get(feature)
                            .and_then(|c| c.get(bin))
                            .copied()
                            .unwrap_or(f32::INFINITY),
                        value,
                        left: u32::try_from(left).unwrap_or(u32::MAX),
                    },
                })
                .collect()
        })
        .collect();
    Ensemble::new(
        names.iter().map(std::string::ToString::to_string).collect(),
        base,
        nodes,
    )
}

/// A node of a tree being grown, in bins.
#[derive(Debug, Clone, Copy)]
enum Grown {
    Leaf {
        value: f32,
    },
    Split {
        feature: usize,
        bin: usize,
        value: f32,
        left: usize,
    },
}

fn leaf_value(tree: &[Grown], binned: &Binned, f: usize, row: usize) -> f32 {
    let mut at = 0;
    loop {
        match tree.get(at) {
            Some(Grown::Leaf { value }) => return *value,
            Some(Grown::Split {
                feature, bin, left, ..
            }) => {
                let b = binned.bins.get(row * f + feature).copied().unwrap_or(0);
                at = left + usize::from(usize::from(b) > *bin);
            }
            None => return 0.0,
        }
    }
}

fn histogram(binned: &Binned, f: usize, rows: &[u32], grad: &[Sums]) -> Vec<Sums> {
    let mut hist = vec![Sums::default(); f * 256];
    for &r in rows {
        let r = r as usize;
        let Some(gs) = grad.get(r) else { continue };
        let Some(bins) = binned.bins.get(r * f..(r + 1) * f) else {
            continue;
        };
        for (j, &b) in bins.iter().enumerate() {
            let slot = &mut hist[j * 256 + usize::from(b)];
            slot.g += gs.g;
            slot.h += gs.h;
        }
    }
    hist
}

fn total(hist: &[Sums]) -> Sums {
    // Every feature's bins sum to the same totals: read feature 0.
    hist.iter().take(256).fold(Sums::default(), |a, s| Sums {
        g: a.g + s.g,
        h: a.h + s.h,
    })
}

fn objective(s: Sums, lambda: f64) -> f64 {
    s.g * s.g / (s.h + lambda)
}

fn best_split(hist: &[Sums], sums: Sums, f: usize, params: &Params) -> Option<Split> {
    let parent = objective(sums, params.lambda);
    let mut best: Option<Split> = None;
    for j in 0..f {
        let mut left = Sums::default();
        for b in 0..255 {
            let s = hist[j * 256 + b];
            left.g += s.g;
            left.h += s.h;
            let right = Sums {
                g: sums.g - left.g,
                h: sums.h - left.h,
            };
            if left.h < params.min_hessian || right.h < params.min_hessian {
                continue;
            }
            let gain = objective(left, params.lambda) + objective(right, params.lambda) - parent;
            if gain > 1e-12 && best.is_none_or(|s| gain > s.gain) {
                best = Some(Split {
                    feature: j,
                    bin: b,
                    gain,
                    left,
                });
            }
        }
    }
    best
}

/// Grows one tree, leaf by leaf, splitting the open leaf with the best gain.
fn grow(binned: &Binned, f: usize, grad: &[Sums], params: &Params) -> Vec<Grown> {
    let rows: Vec<u32> = (0..grad.len() as u32).collect();
    let hist = histogram(binned, f, &rows, grad);
    let sums = total(&hist);
    let value = |s: Sums| (-s.g / (s.h + params.lambda) * params.learning_rate) as f32;
    let mut tree = vec![Grown::Leaf { value: value(sums) }];
    let mut root = Leaf {
        rows,
        hist,
        sums,
        node: 0,
        depth: 0,
        best: None,
    };
    root.best = best_split(&root.hist, root.sums, f, params);
    let mut open = vec![root];
    let mut leaves = 1;
    while leaves < params.leaves {
        let Some(at) = best_open(&open) else {
            break;
        };
        let leaf = open.swap_remove(at);
        let Some(split) = leaf.best else { break };
        let children = split_leaf(binned, f, grad, &leaf, &split);
        let left_node = tree.len();
        for (_, _, sums) in &children {
            tree.push(Grown::Leaf {
                value: value(*sums),
            });
        }
        tree[leaf.node] = Grown::Split {
            feature: split.feature,
            bin: split.bin,
            value: value(leaf.sums),
            left: left_node,
        };
        leaves += 1;
        for ((rows, hist, sums), node) in children.into_iter().zip([left_node, left_node + 1]) {
            let mut child = Leaf {
                rows,
                hist,
                sums,
                node,
                depth: leaf.depth + 1,
                best: None,
            };
            if child.depth < 12 {
                child.best = best_split(&child.hist, child.sums, f, params);
            }
            open.push(child);
        }
    }
    tree
}

/// The open leaf with the best gain; ties go to the earliest.
fn best_open(open: &[Leaf]) -> Option<usize> {
    open.iter()
        .enumerate()
        .filter_map(|(i, l)| l.best.map(|s| (i, s.gain)))
        .fold(None, |acc: Option<(usize, f64)>, (i, g)| match acc {
            Some((_, bg)) if bg >= g => acc,
            _ => Some((i, g)),
        })
        .map(|(at, _)| at)
}

/// The rows, histograms and sums of the two children (left, right) that
/// `split` makes of `leaf`.
fn split_leaf(
    binned: &Binned,
    f: usize,
    grad: &[Sums],
    leaf: &Leaf,
    split: &Split,
) -> [(Vec<u32>, Vec<Sums>, Sums); 2] {
    let (left_rows, right_rows): (Vec<u32>, Vec<u32>) = leaf.rows.iter().partition(|&&r| {
        binned
            .bins
            .get(r as usize * f + split.feature)
            .is_some_and(|&b| usize::from(b) <= split.bin)
    });
    let right_sums = Sums {
        g: leaf.sums.g - split.left.g,
        h: leaf.sums.h - split.left.h,
    };
    // Build the smaller child's histogram; the other is the difference.
    let (small, large_is_left) = if left_rows.len() <= right_rows.len() {
        (&left_rows, false)
    } else {
        (&right_rows, true)
    };
    let small_hist = histogram(binned, f, small, grad);
    let large_hist: Vec<Sums> = leaf
        .hist
        .iter()
        .zip(&small_hist)
        .map(|(p, s)| Sums {
            g: p.g - s.g,
            h: p.h - s.h,
        })
        .collect();
    let (left_hist, right_hist) = if large_is_left {
        (large_hist, small_hist)
    } else {
        (small_hist, large_hist)
    };
    [
        (left_rows, left_hist, split.left),
        (right_rows, right_hist, right_sums),
    ]
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn learns_a_threshold_and_an_interaction() {
        // label = (x0 > 0.5) xor (x1 > 0.5), on a grid.
        let mut rows = Vec::new();
        let mut labels = Vec::new();
        for i in 0..20 {
            for j in 0..20 {
                let (a, b) = (i as f32 / 20.0, j as f32 / 20.0);
                rows.extend([a, b, 0.0]);
                labels.push((a > 0.5) != (b > 0.5));
            }
        }
        let weights = vec![1.0; labels.len()];
        let data = Data {
            rows: &rows,
            features: 3,
            labels: &labels,
            weights: &weights,
        };
        let params = Params {
            trees: 30,
            leaves: 4,
            learning_rate: 0.3,
            ..Params::default()
        };
        let e = train(&data, &["a", "b", "c"], &params);
        let correct = labels
            .iter()
            .enumerate()
            .filter(|&(i, &y)| (e.score(&rows[i * 3..i * 3 + 3]) > 0.0) == y)
            .count();
        assert_eq!(correct, labels.len());
        // The constant feature is never split on.
        assert!(
            e.trees()
                .iter()
                .flatten()
                .all(|n| n.is_leaf() || n.feature != 2)
        );
        // Deterministic.
        assert_eq!(train(&data, &["a", "b", "c"], &params), e);
    }
}
