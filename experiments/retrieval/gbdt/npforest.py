"""Scratch: a LightGBM model evaluated in plain numpy, to see what shipping trees without the
runtime dependency would cost (the product is numpy-only; model.json would carry the arrays).

`Forest.from_dump(booster.dump_model())` flattens every tree into padded arrays; `score` walks all
trees for all rows at once, one depth level per numpy step, so the cost is ~ depth x rows x trees
element operations. Only numerical splits without missing values are supported, which is all the
ranker's features produce (LightGBM: go left when x <= threshold).
"""
from __future__ import annotations

from dataclasses import dataclass

import numpy as np


@dataclass
class Forest:
    feature: np.ndarray  # (trees, nodes) split feature, -1 for a leaf
    threshold: np.ndarray  # (trees, nodes)
    left: np.ndarray  # (trees, nodes) child node index (leaves point to themselves)
    right: np.ndarray
    value: np.ndarray  # (trees, nodes) leaf value (0 for splits)
    depth: int

    @classmethod
    def from_dump(cls, dump: dict) -> Forest:
        """Flatten LightGBM's JSON dump: internal nodes and leaves share one node numbering per tree."""
        trees = []
        depth = 0
        for info in dump["tree_info"]:
            nodes: list[list] = []  # [feature, threshold, left, right, value]

            def walk(node: dict, d: int, nodes: list[list] = nodes) -> int:
                nonlocal depth
                depth = max(depth, d)
                me = len(nodes)
                nodes.append([-1, 0.0, me, me, 0.0])
                if "leaf_value" in node and "split_index" not in node:
                    nodes[me][4] = float(node["leaf_value"])
                    return me
                if node.get("decision_type", "<=") != "<=" or node.get("missing_type", "None") not in ("None", None):
                    raise ValueError("only numerical splits without missing values are supported")
                left = walk(node["left_child"], d + 1)
                right = walk(node["right_child"], d + 1)
                nodes[me][:4] = [int(node["split_feature"]), float(node["threshold"]), left, right]
                return me

            walk(info["tree_structure"], 0)
            trees.append(nodes)
        width = max(len(t) for t in trees)
        arr = np.zeros((len(trees), width, 5))
        arr[:, :, 0] = -1
        for i, t in enumerate(trees):
            arr[i, : len(t)] = t
            arr[i, len(t):, 2] = arr[i, len(t):, 3] = np.arange(len(t), width)
        return cls(feature=arr[:, :, 0].astype(np.int32), threshold=arr[:, :, 1],
                   left=arr[:, :, 2].astype(np.int32), right=arr[:, :, 3].astype(np.int32),
                   value=arr[:, :, 4], depth=depth)

    def score(self, X: np.ndarray) -> np.ndarray:
        """Sum of the trees' leaf values per row (LightGBM's raw score)."""
        X = X.astype(np.float64)
        n_trees = self.feature.shape[0]
        t = np.arange(n_trees)[None, :]
        node = np.zeros((X.shape[0], n_trees), dtype=np.int32)
        rows = np.arange(X.shape[0])[:, None]
        for _ in range(self.depth):
            f = self.feature[t, node]
            x = X[rows, np.maximum(f, 0)]
            go_left = x <= self.threshold[t, node]
            node = np.where(go_left, self.left[t, node], self.right[t, node])
        return self.value[t, node].sum(axis=1)
