"""The scikit-learn side of bench/train, run by run.ts with Debian's /usr/bin/python3.

Loads Fashion-MNIST (the Debian IDX files), splits the 60,000 training images 54,000 / 6,000 by
seed, fits PCA-64 on the training pixels (scaled to [0, 1]) and writes the projected features
for the TypeScript side, so both train on the same numbers. Then times LogisticRegression
(lbfgs) and an MLPClassifier on them and prints one JSON object.

Usage: python3 sklearn_peer.py OUT_DIR [--mlp-epochs N] [--hidden H] [--repeats N] [--skip-mlp]

Times are the median of --repeats fits (default 1).
"""
import gzip
import json
import sys
import time
import warnings

import numpy as np
from sklearn.decomposition import PCA
from sklearn.exceptions import ConvergenceWarning
from sklearn.linear_model import LogisticRegression
from sklearn.neural_network import MLPClassifier

DATA = "/usr/share/datasets/fashion-mnist"


def idx(name):
    with gzip.open(f"{DATA}/{name}", "rb") as f:
        raw = f.read()
    dims = raw[3]
    shape = [int.from_bytes(raw[4 + 4 * i : 8 + 4 * i], "big") for i in range(dims)]
    return np.frombuffer(raw, dtype=np.uint8, offset=4 + 4 * dims).reshape(shape)


def timed(fit, repeats):
    """The fitted model and the median of `repeats` fit times (the fits are identical: fixed seeds)."""
    times = []
    for _ in range(repeats):
        start = time.perf_counter()
        model = fit()
        times.append(time.perf_counter() - start)
    return model, sorted(times)[len(times) // 2]


def main():
    out = sys.argv[1]
    args = sys.argv[2:]
    mlp_epochs = int(args[args.index("--mlp-epochs") + 1]) if "--mlp-epochs" in args else 20
    hidden = int(args[args.index("--hidden") + 1]) if "--hidden" in args else 256
    repeats = int(args[args.index("--repeats") + 1]) if "--repeats" in args else 1
    x = idx("train-images-idx3-ubyte.gz").reshape(60000, -1).astype(np.float32) / 255
    y = idx("train-labels-idx1-ubyte.gz").astype(np.int32)
    x_test = idx("t10k-images-idx3-ubyte.gz").reshape(10000, -1).astype(np.float32) / 255
    y_test = idx("t10k-labels-idx1-ubyte.gz").astype(np.int32)
    order = np.random.default_rng(42).permutation(60000)
    train, val = order[:54000], order[54000:]

    pca = PCA(64, svd_solver="randomized", random_state=0).fit(x[train])
    features = {name: pca.transform(data).astype(np.float32) for name, data in [("train", x[train]), ("val", x[val]), ("test", x_test)]}
    labels = {"train": y[train], "val": y[val], "test": y_test}
    for name in features:
        features[name].tofile(f"{out}/{name}-x.f32")
        labels[name].astype("<i4").tofile(f"{out}/{name}-y.i32")

    results = {}
    warnings.simplefilter("ignore", ConvergenceWarning)  # lbfgs stops at its default 100 iterations
    lr, seconds = timed(lambda: LogisticRegression(solver="lbfgs", max_iter=100).fit(features["train"], labels["train"]), repeats)
    results["logistic"] = {"seconds": seconds, "accuracy": float((lr.predict(features["test"]) == y_test).mean()), "iterations": int(lr.n_iter_[0])}

    if "--skip-mlp" not in args:
        mlp, seconds = timed(
            lambda: MLPClassifier(hidden_layer_sizes=(hidden,), solver="adam", batch_size=128, learning_rate_init=1e-3, max_iter=mlp_epochs, random_state=0).fit(features["train"], labels["train"]),
            repeats,
        )
        results["mlp"] = {"seconds": seconds, "accuracy": float((mlp.predict(features["test"]) == y_test).mean()), "epochs": int(mlp.n_iter_)}
    print(json.dumps(results))


main()
