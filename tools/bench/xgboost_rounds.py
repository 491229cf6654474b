#!/usr/bin/env python3
"""The Python side of `hpsweep bench --only booster`: the same booster loop as BareXgboostLoop
(update per round, predict validation and test after each epoch) on the data hpsweep wrote.

Input: a directory with train/validation/test as <split>.f32 (row-major float32 features) and
<split>.i32 (int32 labels), and params.json (XGBoost parameters, rows/columns, rounds, epochs).
Output: one JSON line {"boost_seconds", "eval_seconds", "rounds", "xgboost"}.
Uses Debian's python3-xgboost (apt-get install python3-xgboost) and numpy.
"""
import json
import os
import sys
import time

import numpy as np
import xgboost as xgb


def load(directory, split, columns):
    x = np.fromfile(os.path.join(directory, split + ".f32"), dtype=">f4").astype(np.float32).reshape(-1, columns)
    y = np.fromfile(os.path.join(directory, split + ".i32"), dtype=">i4").astype(np.float32)
    return xgb.DMatrix(x, label=y, missing=np.nan)


def main(directory):
    with open(os.path.join(directory, "params.json")) as f:
        spec = json.load(f)
    columns = spec["columns"]
    train, validation, test = (load(directory, s, columns) for s in ("train", "validation", "test"))
    params = spec["params"]
    booster = xgb.train(params, train, num_boost_round=0)
    boost = evaluate = 0.0
    rounds = 0
    for _ in range(spec["epochs"]):
        t0 = time.perf_counter()
        for _ in range(spec["rounds_per_epoch"]):
            booster.update(train, rounds)
            rounds += 1
        t1 = time.perf_counter()
        booster.predict(validation)
        booster.predict(test)
        t2 = time.perf_counter()
        boost += t1 - t0
        evaluate += t2 - t1
    print(json.dumps({"boost_seconds": boost, "eval_seconds": evaluate, "rounds": rounds,
                      "xgboost": xgb.__version__}))


if __name__ == "__main__":
    main(sys.argv[1])
