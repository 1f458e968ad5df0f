"""astropy side of bench/fits.ts: the same operations on the same file, timed in this process.

Usage: /usr/bin/python3 bench/fits_astropy.py FILE OUTDIR RUNS RICE_FILE
Prints JSON: {"astropy": version, "numpy": version, "<operation>": {"wall": [ms...], "cpu": [ms...]}, ...}
Each operation runs once untimed first (as on the core/fits side); "cpu" is process CPU time
(time.process_time: user + system, all threads), "wall" is time.perf_counter.
"""
import json
import os
import sys
import time

import numpy as np
from astropy.io import fits


def timed(fn, runs, fresh=None):
    wall, cpu = [], []
    for r in range(runs + 1):
        if fresh and os.path.exists(fresh):
            os.remove(fresh)  # untimed, as on the core/fits side
        c0 = time.process_time()
        t0 = time.perf_counter()
        fn()
        t1 = time.perf_counter()
        c1 = time.process_time()
        if r > 0:  # the first run warms up
            wall.append((t1 - t0) * 1000)
            cpu.append((c1 - c0) * 1000)
    return {"wall": wall, "cpu": cpu}


def main():
    path, outdir, runs, rice = sys.argv[1], sys.argv[2], int(sys.argv[3]), sys.argv[4]
    header = fits.getheader(path)

    def read_float32():
        with fits.open(path, memmap=False) as hdul:
            return hdul[0].data.astype(np.float32)

    def read_uint16():
        with fits.open(path, memmap=False) as hdul:
            return hdul[0].data

    data32 = read_float32()
    data16 = read_uint16()
    f32 = os.path.join(outdir, "astropy-f32.fits")
    u16 = os.path.join(outdir, "astropy-u16.fits")

    def write_float32():
        fits.writeto(f32, data32, header, overwrite=True)

    def write_uint16():
        fits.writeto(u16, data16, header, overwrite=True)

    def write_float32_fsync():
        # What core/fits does by default: temporary file, fsync, rename.
        tmp = f32 + ".tmp"
        with open(tmp, "wb") as f:
            fits.writeto(f, data32, header)
            f.flush()
            os.fsync(f.fileno())
        os.replace(tmp, f32)

    def read_write_float32():
        fits.writeto(f32, read_float32(), header, overwrite=True)

    def read_rice_float32():
        with fits.open(rice, memmap=False) as hdul:
            return hdul[1].data.astype(np.float32)

    result = {
        "astropy": __import__("astropy").__version__,
        "numpy": np.__version__,
        "read_float32": timed(read_float32, runs),
        "read_uint16": timed(read_uint16, runs),
        "write_float32": timed(write_float32, runs, f32),
        "write_uint16": timed(write_uint16, runs, u16),
        "write_float32_fsync": timed(write_float32_fsync, runs, f32),
        "read_write_float32": timed(read_write_float32, runs, f32),
        "read_rice_float32": timed(read_rice_float32, runs),
    }
    json.dump(result, sys.stdout)


if __name__ == "__main__":
    main()
