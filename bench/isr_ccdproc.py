#!/usr/bin/python3
"""ccdproc side of bench/isr.ts: times, on the files ccdproc_reference.py wrote into DIR, the
ccdproc pipeline, the same arithmetic in numpy float32, and a raw-sized float32 copy (the
memory-bandwidth floor), each as the median of N runs after a warm-up. Prints one JSON object.

Run with Debian's interpreter: /usr/bin/python3 bench/isr_ccdproc.py DIR [--runs N]
"""
import argparse
import json
import os
import sys

here = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(here, "..", "..", "shared", "reference"))
import ccdproc_reference as ref  # noqa: E402
import numpy as np  # noqa: E402
import gc  # noqa: E402
import time  # noqa: E402


def timed(fn, runs):
    """Median/min wall seconds (perf_counter) and median CPU seconds (process_time) after a warm-up."""
    fn()
    wall, cpu = [], []
    for _ in range(runs):
        gc.collect()
        c0, t0 = time.process_time(), time.perf_counter()
        fn()
        wall.append(time.perf_counter() - t0)
        cpu.append(time.process_time() - c0)
    return dict(median_s=float(np.median(wall)), min_s=float(np.min(wall)), cpu_median_s=float(np.median(cpu)))


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("dir")
    ap.add_argument("--runs", type=int, default=5)
    args = ap.parse_args()
    raw, bias, dark, flat = ref.load_inputs(args.dir)
    raw_u16 = np.ascontiguousarray(raw.data)
    b, d, f = bias.data, dark.data, flat.data
    src = raw_u16.astype(np.float32)
    dst = np.empty_like(src)
    out = {
        "ccdproc": timed(lambda: ref.ccdproc_pipeline(raw, bias, dark, flat), args.runs),
        "numpy_float32": timed(lambda: ref.numpy_pipeline(raw_u16, b, d, f, np.float32), args.runs),
        "numpy_copy_raw_float32": timed(lambda: np.copyto(dst, src), args.runs),
        "loadavg": os.getloadavg(),
    }
    print(json.dumps(out))


if __name__ == "__main__":
    main()
