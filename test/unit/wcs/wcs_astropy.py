"""Reference evaluations with astropy.wcs for test/unit/wcs/wcs.test.ts.

Reads a JSON list of cases on stdin. Each case has either "cards" (keyword -> value) or
"file" + "hdu", plus "pix" (0-based pixel pairs) and "world" (world pairs). Prints, per case,
all_pix2world and all_world2pix results (origin 0), and whether the WCS is celestial.
Run with Debian's python3 (python3-astropy).
"""
import json
import sys
import warnings

from astropy.io import fits
from astropy.wcs import WCS, FITSFixedWarning

warnings.simplefilter("ignore", FITSFixedWarning)


def main():
    cases = json.load(sys.stdin)
    out = []
    for case in cases:
        if "file" in case:
            with fits.open(case["file"]) as hdul:
                header = hdul[case["hdu"]].header.copy()
        else:
            header = fits.Header()
            for key, value in case["cards"].items():
                header[key] = value
        w = WCS(header, relax=True)
        res = {"celestial": bool(w.has_celestial)}
        if case.get("pix"):
            res["world"] = w.all_pix2world(case["pix"], 0).tolist()
        if case.get("world"):
            res["pix"] = w.all_world2pix(case["world"], 0, tolerance=1e-12, maxiter=200).tolist()
        out.append(res)
    json.dump(out, sys.stdout)


main()
