"""Interop helper for test/unit/fits/astropy.test.ts, run once per test file with /usr/bin/python3.

Reads a JSON job on stdin: {"outdir": DIR, "generate": bool, "dump": [paths]}.
- generate: writes a variety of FITS files with astropy into OUTDIR/astropy-*.fits.
- dump: for every HDU of every path, what astropy reads: header cards (typed) and data
  (images and table columns as raw little-endian binary files in OUTDIR, described in the JSON).
Prints one JSON document on stdout.
"""
import json
import os
import sys
import warnings

import numpy as np
from astropy.io import fits

warnings.simplefilter("ignore")


def generate(outdir):
    rng = np.random.default_rng(42)
    made = []

    def save(name, hdul, **kw):
        path = os.path.join(outdir, f"astropy-{name}.fits")
        hdul.writeto(path, overwrite=True, **kw)
        made.append(path)

    # Every BITPIX, plus unsigned and scaled integers.
    ramp = np.arange(6 * 5).reshape(5, 6)
    hdus = [fits.PrimaryHDU()]
    hdus.append(fits.ImageHDU((ramp * 7 % 256).astype(np.uint8), name="U8"))
    hdus.append(fits.ImageHDU((ramp * 1000 - 17000).astype(np.int16), name="I16"))
    hdus.append(fits.ImageHDU((ramp * 60000000 - 2000000000).astype(np.int32), name="I32"))
    hdus.append(fits.ImageHDU((ramp.astype(np.int64) * 123456789012345 - 9000000000000000000), name="I64"))
    f32 = (ramp * 0.25 - 3).astype(np.float32)
    f32[1, 2] = np.nan
    hdus.append(fits.ImageHDU(f32, name="F32"))
    hdus.append(fits.ImageHDU(ramp * 1.000000001e-20, name="F64"))
    hdus.append(fits.ImageHDU((ramp * 1900).astype(np.uint16), name="U16", uint=True))
    hdus.append(fits.ImageHDU((ramp * 120000000).astype(np.uint32), name="U32", uint=True))
    scaled = fits.ImageHDU((ramp * 0.5 + 10).astype(np.float32), name="SCALED")
    scaled.scale("int16", bscale=0.5, bzero=10)
    hdus.append(scaled)
    blank = fits.ImageHDU((ramp - 3).astype(np.int16), name="BLANKED")
    blank.header["BLANK"] = -3
    hdus.append(blank)
    cube = fits.ImageHDU(np.arange(4 * 3 * 2, dtype=np.float64).reshape(2, 3, 4), name="CUBE")
    hdus.append(cube)
    save("images", fits.HDUList(hdus))

    # Header features: long strings, HIERARCH, commentary, complex, big integers.
    hdr = fits.Header()
    hdr["LONGSTR"] = ("A long string 'with quotes' " * 6).strip()
    hdr["LONGCOM"] = ("short", "a comment " * 12)
    hdr["HIERARCH ESO DET OUT1 PRSCX"] = 50
    hdr["HIERARCH ESO INS FILT1 NAME"] = "r'SDSS"
    hdr["CPLX"] = complex(1.5, -2.25)
    hdr["BIGINT"] = 12345678901234567890
    hdr["NEGFLT"] = -1.25e-30
    hdr["UNDEF"] = None
    hdr["LOGIC"] = False
    hdr["EMPTY"] = ""
    hdr.add_comment("a comment card")
    hdr.add_history("a history card " * 6)
    hdr.add_blank("blank keyword text")
    save("header", fits.HDUList([fits.PrimaryHDU(np.zeros((2, 3), dtype=np.int16), header=hdr)]))

    # Binary table with many column types.
    n = 5
    cols = [
        fits.Column(name="L", format="L", array=np.array([True, False, True, True, False])),
        fits.Column(name="X", format="11X", array=rng.integers(0, 2, (n, 11)).astype(bool)),
        fits.Column(name="B", format="B", array=np.arange(n, dtype=np.uint8) * 50),
        fits.Column(name="I", format="I", array=np.arange(n, dtype=np.int16) * -300),
        fits.Column(name="J", format="J", array=np.arange(n, dtype=np.int32) * 70000, null=-1),
        fits.Column(name="K", format="K", array=np.arange(n, dtype=np.int64) * 3000000000000),
        fits.Column(name="E", format="E", array=np.linspace(-1, 1, n).astype(np.float32)),
        fits.Column(name="D", format="D", unit="m/s", array=np.linspace(-1e10, 1e-10, n)),
        fits.Column(name="C", format="C", array=(np.arange(n) + 1j * np.arange(n) * 2).astype(np.complex64)),
        fits.Column(name="M", format="M", array=np.arange(n) - 0.5j),
        fits.Column(name="A", format="12A", array=np.array(["alpha", "beta", "", "delta 4", "epsilon long"])),
        fits.Column(name="UI", format="I", bzero=32768, array=np.array([0, 1, 40000, 65535, 32768], dtype=np.uint16)),
        fits.Column(name="VEC", format="3E", dim="(3)", array=np.arange(3 * n, dtype=np.float32).reshape(n, 3)),
        fits.Column(name="MAT", format="6J", dim="(3,2)", array=np.arange(6 * n, dtype=np.int32).reshape(n, 2, 3)),
        fits.Column(name="PJ", format="PJ()", array=np.array([np.arange(k, dtype=np.int32) for k in range(n)], dtype=object)),
        fits.Column(name="PD", format="QD()", array=np.array([np.linspace(0, 1, k + 1) for k in range(n)], dtype=object)),
    ]
    table = fits.BinTableHDU.from_columns(cols, name="CATALOG")
    ascii_cols = [
        fits.Column(name="NAME", format="A8", array=np.array(["vega", "deneb", "altair"])),
        fits.Column(name="N", format="I6", array=np.array([1, -22, 333])),
        fits.Column(name="F", format="F10.4", array=np.array([1.5, -2.25, 1234.5678])),
        fits.Column(name="E", format="E14.6", array=np.array([1e-5, 2.5e10, -3.0])),
    ]
    ascii = fits.TableHDU.from_columns(ascii_cols, name="ASCII")
    save("tables", fits.HDUList([fits.PrimaryHDU(), table, ascii]))

    # Tile-compressed images.
    i16 = rng.integers(-2000, 30000, (37, 53)).astype(np.int16)
    i32 = rng.integers(-2**30, 2**30, (20, 30)).astype(np.int32)
    u16 = rng.integers(0, 65535, (40, 50)).astype(np.uint16)
    u8 = rng.integers(0, 255, (20, 21)).astype(np.uint8)
    flt = (rng.normal(1000, 30, (45, 64))).astype(np.float32)
    flt[3, 4] = np.nan
    flt[10, 11:20] = np.nan
    dbl = rng.normal(0, 1, (20, 25))
    comp = [fits.PrimaryHDU()]
    comp.append(fits.CompImageHDU(i16, name="RICE_I16", compression_type="RICE_1"))
    comp.append(fits.CompImageHDU(i16, name="RICE_I16_TILED", compression_type="RICE_1", tile_size=(16, 10)))
    comp.append(fits.CompImageHDU(i32, name="RICE_I32", compression_type="RICE_1"))
    comp.append(fits.CompImageHDU(u16, name="RICE_U16", compression_type="RICE_1", uint=True))
    comp.append(fits.CompImageHDU(u8, name="RICE_U8", compression_type="RICE_1"))
    comp.append(fits.CompImageHDU(i16, name="GZIP1_I16", compression_type="GZIP_1"))
    comp.append(fits.CompImageHDU(i32, name="GZIP2_I32", compression_type="GZIP_2"))
    comp.append(fits.CompImageHDU(flt, name="RICE_F32_D1", compression_type="RICE_1", quantize_method=1, dither_seed=7))
    comp.append(fits.CompImageHDU(flt, name="RICE_F32_D2", compression_type="RICE_1", quantize_method=2, dither_seed=1234))
    comp.append(fits.CompImageHDU(flt, name="RICE_F32_ND", compression_type="RICE_1", quantize_method=-1))
    comp.append(fits.CompImageHDU(flt, name="GZIP2_F32", compression_type="GZIP_2", quantize_level=8, tile_size=(16, 9)))
    comp.append(fits.CompImageHDU(dbl, name="GZIP1_F64", compression_type="GZIP_1", quantize_level=16))
    save("compressed", fits.HDUList(comp))

    # Checksums.
    ck = fits.HDUList([fits.PrimaryHDU(np.arange(12, dtype=np.int16).reshape(3, 4)), fits.BinTableHDU.from_columns(cols[:4])])
    save("checksum", ck, checksum=True)
    return made


def card_json(card):
    v = card.value
    key = card.keyword
    if key in ("COMMENT", "HISTORY", ""):
        return {"k": key, "t": "commentary", "v": str(v), "c": ""}
    if isinstance(v, bool) or isinstance(v, np.bool_):
        t, out = "bool", bool(v)
    elif isinstance(v, (int, np.integer)):
        t, out = "int", str(int(v))
    elif isinstance(v, (float, np.floating)):
        t, out = "float", repr(float(v))
    elif isinstance(v, complex):
        t, out = "complex", [repr(v.real), repr(v.imag)]
    elif isinstance(v, str):
        t, out = "str", v
    else:
        t, out = "undef", None
    return {"k": key, "t": t, "v": out, "c": card.comment}


def save_array(outdir, counter, arr):
    arr = np.ascontiguousarray(arr)
    path = os.path.join(outdir, f"dump-{counter[0]}.bin")
    counter[0] += 1
    arr.astype(arr.dtype.newbyteorder("<")).tofile(path)
    return {"dtype": arr.dtype.name, "shape": list(arr.shape), "file": path}


def dump(path, outdir, counter):
    out = []
    with fits.open(path) as hdul:
        for i, hdu in enumerate(hdul):
            entry = {
                "index": i,
                "name": hdu.name,
                "ver": hdu.ver,
                "class": type(hdu).__name__,
                "cards": [card_json(c) for c in hdu.header.cards],
            }
            if isinstance(hdu, (fits.PrimaryHDU, fits.ImageHDU, fits.CompImageHDU)):
                data = hdu.data
                entry["data"] = None if data is None else save_array(outdir, counter, data)
            elif isinstance(hdu, (fits.BinTableHDU, fits.TableHDU)):
                cols = {}
                for col in hdu.columns:
                    values = hdu.data.field(col.name)
                    if col.format.startswith(("P", "Q")) or "P" in str(col.format)[:2] or "Q" in str(col.format)[:2]:
                        cols[col.name] = {"varlen": [np.asarray(v).tolist() for v in values]}
                    elif values.dtype.kind in ("U", "S"):
                        cols[col.name] = {"strings": [str(v) for v in values]}
                    elif values.dtype.kind == "c":
                        pairs = np.stack([values.real, values.imag], axis=-1)
                        cols[col.name] = save_array(outdir, counter, pairs)
                    elif values.dtype.kind == "b":
                        cols[col.name] = {"bools": np.asarray(values).ravel().tolist()}
                    else:
                        cols[col.name] = save_array(outdir, counter, np.asarray(values))
                entry["columns"] = cols
            if isinstance(hdu, fits.CompImageHDU):
                # The stored binary table's own header (astropy's .header is the image's).
                entry["table_cards"] = [card_json(c) for c in hdu._header.cards]
            out.append(entry)
    # Checksums belong to the HDUs as stored (for compressed images, the binary table).
    with fits.open(path, disable_image_compression=True) as raw:
        for i, hdu in enumerate(raw):
            if "CHECKSUM" in hdu.header:
                out[i]["checksum_ok"] = bool(hdu.verify_checksum() == 1)
            if "DATASUM" in hdu.header:
                out[i]["datasum_ok"] = bool(hdu.verify_datasum() == 1)
    return out


def main():
    job = json.load(sys.stdin)
    outdir = job["outdir"]
    result = {"astropy": fits.__name__ and __import__("astropy").__version__, "generated": [], "dumps": {}}
    if job.get("generate"):
        result["generated"] = generate(outdir)
    counter = [0]
    for path in job.get("dump", []) + result["generated"]:
        try:
            result["dumps"][path] = dump(path, outdir, counter)
        except Exception as exc:  # reported to the test, which names the file
            result["dumps"][path] = {"error": f"{type(exc).__name__}: {exc}"}
    json.dump(result, sys.stdout)


if __name__ == "__main__":
    main()
