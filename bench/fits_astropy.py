"""astropy side of bench/fits.ts: the same operations on the same file, timed in this process.

Usage: /usr/bin/python3 bench/fits_astropy.py FILE OUTDIR RUNS [RICE_FILE]
Prints JSON: {"astropy": version, "read_float32": [ms...], "write_float32": [ms...], "write_uint16": [ms...],
              "read_rice_float32": [ms...] (with RICE_FILE: its HDU 1, tile-compressed)}
"""
import json
import os
import sys
import time

import numpy as np
from astropy.io import fits


def timed(fn, runs, fresh=None):
    out = []
    for _ in range(runs):
        if fresh and os.path.exists(fresh):
            os.remove(fresh)  # untimed, as on the core/fits side
        t0 = time.perf_counter()
        fn()
        out.append((time.perf_counter() - t0) * 1000)
    return out


def main():
    path, outdir, runs = sys.argv[1], sys.argv[2], int(sys.argv[3])
    header = fits.getheader(path)

    def read_float32():
        with fits.open(path, memmap=False) as hdul:
            return hdul[0].data.astype(np.float32)

    data32 = read_float32()
    with fits.open(path, memmap=False) as hdul:
        data16 = hdul[0].data.copy()

    def write_float32():
        fits.writeto(os.path.join(outdir, "astropy-f32.fits"), data32, header, overwrite=True)

    def write_uint16():
        fits.writeto(os.path.join(outdir, "astropy-u16.fits"), data16, header, overwrite=True)

    result = {
        "astropy": __import__("astropy").__version__,
        "numpy": np.__version__,
        "read_float32": timed(read_float32, runs),
        "write_float32": timed(write_float32, runs, os.path.join(outdir, "astropy-f32.fits")),
        "write_uint16": timed(write_uint16, runs, os.path.join(outdir, "astropy-u16.fits")),
    }
    if len(sys.argv) > 4:
        rice = sys.argv[4]

        def read_rice():
            with fits.open(rice, memmap=False) as hdul:
                return hdul[1].data.astype(np.float32)

        result["read_rice_float32"] = timed(read_rice, runs)
    json.dump(result, sys.stdout)


if __name__ == "__main__":
    main()
