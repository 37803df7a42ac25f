"""Evaluate a LightGBM model from its JSON dump (`Booster.dump_model()`), in numpy.

    Forest.from_dump(json.loads(path.read_text())).predict(matrix)  -> same values as Booster.predict(matrix)

Written by hand for one reason: importing lightgbm imports scikit-learn and SciPy, about 1.5 s of a 3 s
cold-start budget, while walking a hundred small trees takes microseconds. Training still uses LightGBM
itself, and tests check that the predictions agree with `Booster.predict` on real features.
Only what LightGBM's numerical splits use is supported; a dump with categorical splits is refused.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np


@dataclass(frozen=True, slots=True)
class Tree:
    # internal nodes in arrays; a child index >= 0 is a node, < 0 is the leaf ~index (-1 -> leaf 0)
    feature: np.ndarray
    threshold: np.ndarray
    default_left: np.ndarray
    missing_nan: np.ndarray
    left: np.ndarray
    right: np.ndarray
    leaf_value: np.ndarray
    shrinkage: float

    def predict(self, matrix: np.ndarray) -> np.ndarray:
        if len(self.feature) == 0:  # a single leaf
            return np.full(len(matrix), self.leaf_value[0])
        node = np.zeros(len(matrix), dtype=np.int64)
        out = np.zeros(len(matrix))
        active = np.ones(len(matrix), dtype=bool)
        while active.any():
            rows = np.flatnonzero(active)
            n = node[rows]
            x = matrix[rows, self.feature[n]]
            nan = np.isnan(x)
            go_left = np.where(nan & self.missing_nan[n], self.default_left[n], x <= self.threshold[n])
            child = np.where(go_left, self.left[n], self.right[n])
            leaf = child < 0
            out[rows[leaf]] = self.leaf_value[~child[leaf]]
            active[rows[leaf]] = False
            node[rows[~leaf]] = child[~leaf]
        return out


def _flatten(structure: dict) -> Tree:
    feature, threshold, default_left, missing_nan, left, right = [], [], [], [], [], []
    leaves: list[float] = []

    def walk(node: dict) -> int:
        if "leaf_value" in node:
            leaves.append(float(node["leaf_value"]))
            return ~(len(leaves) - 1)
        if node.get("decision_type", "<=") != "<=":
            raise ValueError(f"unsupported split {node.get('decision_type')!r}: only numerical '<=' splits")
        i = len(feature)
        feature.append(int(node["split_feature"]))
        threshold.append(float(node["threshold"]))
        default_left.append(bool(node.get("default_left", True)))
        missing_nan.append(node.get("missing_type", "None") == "NaN")
        left.append(0)
        right.append(0)
        left[i] = walk(node["left_child"])
        right[i] = walk(node["right_child"])
        return i

    root = walk(structure)
    if root < 0:  # the tree is one leaf
        return Tree(*(np.zeros(0, dtype=t) for t in (np.int64, float, bool, bool, np.int64, np.int64)),
                    leaf_value=np.array(leaves), shrinkage=1.0)
    return Tree(np.array(feature), np.array(threshold), np.array(default_left), np.array(missing_nan),
                np.array(left), np.array(right), np.array(leaves), 1.0)


@dataclass(frozen=True, slots=True)
class Forest:
    trees: tuple[Tree, ...]
    feature_names: tuple[str, ...]

    @classmethod
    def from_dump(cls, dump: dict) -> "Forest":
        if dump.get("num_tree_per_iteration", 1) != 1:
            raise ValueError("only single-output models (ranking, regression, binary) are supported")
        return cls(tuple(_flatten(t["tree_structure"]) for t in dump["tree_info"]), tuple(dump["feature_names"]))

    def predict(self, matrix: np.ndarray) -> np.ndarray:
        matrix = np.asarray(matrix, dtype=np.float64)
        out = np.zeros(len(matrix))
        for tree in self.trees:
            out += tree.predict(matrix)
        return out
