"""Reference pixel arrays for the DICOM conformance test, computed with Debian's python3-pydicom.

Usage: /usr/bin/python3 pydicom-reference.py OUT_DIR CORPUS_DIR [CORPUS_DIR ...]

For every file under each CORPUS_DIR (paths reported relative to its parent): read it with pydicom (no force), decode ds.pixel_array with the
handlers installed (numpy, GDCM, Pillow, ...), and bring the array to the form CV Factory's
decodeFrames promises, so the comparison is like for like:
  - colour as interleaved RGB: YBR_FULL/YBR_FULL_422 arrays that the handler left in YCbCr are
    converted with pydicom's convert_color_space; PALETTE COLOR goes through apply_color_lut;
  - native integer data with Bits Stored < Bits Allocated masked and sign-extended (pydicom
    returns the raw words, PS3.5 8.1.1 says the bits above High Bit are not part of the value);
  - little-endian bytes, frames one after the other.
Writes OUT_DIR/manifest.json (one entry per file) and OUT_DIR/<n>.bin with the samples.
"""
import json
import os
import sys
import warnings

import numpy as np
import pydicom
from pydicom.pixel_data_handlers.util import apply_color_lut, convert_color_space

warnings.simplefilter("ignore")
NATIVE = {"1.2.840.10008.1.2", "1.2.840.10008.1.2.1", "1.2.840.10008.1.2.1.99", "1.2.840.10008.1.2.2"}


def patient_name(ds):
    """Patient Name as pydicom decodes it under the file's Specific Character Set."""
    try:
        return str(ds.get("PatientName", "") or "")
    except Exception:
        return None


def reference(path):
    try:
        ds = pydicom.dcmread(path)
    except Exception as e:  # pydicom rejects the file
        return {"status": "read-failed", "error": f"{type(e).__name__}: {e}"[:300]}
    meta = getattr(ds, "file_meta", None)
    ts = str(getattr(meta, "TransferSyntaxUID", "")) if meta is not None else ""
    if "PixelData" not in ds:
        return {"status": "no-pixel-data", "transferSyntaxUID": ts, "patientName": patient_name(ds)}
    stored_pi = str(ds.get("PhotometricInterpretation", ""))
    try:
        arr = ds.pixel_array
    except Exception as e:
        return {"status": "decode-failed", "transferSyntaxUID": ts, "error": f"{type(e).__name__}: {e}"[:300]}
    pi = str(ds.PhotometricInterpretation)  # handlers may change it (e.g. to RGB)
    handler_pi = pi
    if pi in ("YBR_FULL", "YBR_FULL_422"):
        arr = convert_color_space(arr, "YBR_FULL", "RGB")
    elif pi == "PALETTE COLOR":
        arr = apply_color_lut(arr, ds)
    bits_allocated = int(ds.BitsAllocated)
    bits_stored = int(ds.get("BitsStored", bits_allocated))
    if ts in NATIVE and arr.dtype.kind in "iu" and 1 < bits_stored < bits_allocated:
        shift = arr.dtype.itemsize * 8 - bits_stored
        if int(ds.PixelRepresentation) == 1:
            arr = ((arr.astype(arr.dtype) << shift) >> shift).astype(arr.dtype)
        else:
            arr = arr & np.array((1 << bits_stored) - 1, dtype=arr.dtype)
    if arr.dtype == np.bool_:
        arr = arr.astype(np.uint8)
    arr = np.ascontiguousarray(arr.astype(arr.dtype.newbyteorder("<")))
    return {
        "status": "decoded",
        "transferSyntaxUID": ts,
        "patientName": patient_name(ds),
        "storedPhotometricInterpretation": stored_pi,
        "handlerPhotometricInterpretation": handler_pi,
        "dtype": arr.dtype.name,
        "shape": list(arr.shape),
        "frames": int(ds.get("NumberOfFrames", 1) or 1),
        "data": arr,
    }


def corpus_files(corpus):
    """(path, name relative to the corpus's parent) of every file under corpus, sorted."""
    parent = os.path.dirname(os.path.abspath(corpus))
    for directory, subdirectories, files in os.walk(corpus):
        subdirectories.sort()
        for name in sorted(files):
            path = os.path.join(directory, name)
            yield path, os.path.relpath(path, parent)


def main():
    out, corpora = sys.argv[1], sys.argv[2:]
    os.makedirs(out, exist_ok=True)
    manifest = []
    for corpus in corpora:
        for path, name in corpus_files(corpus):
            entry = {"path": name}
            entry.update(reference(path))
            data = entry.pop("data", None)
            if data is not None:
                entry["bin"] = f"{len(manifest)}.bin"
                data.tofile(os.path.join(out, entry["bin"]))
            manifest.append(entry)
    with open(os.path.join(out, "manifest.json"), "w") as f:
        json.dump({"pydicom": pydicom.__version__, "files": manifest}, f, indent=1)


if __name__ == "__main__":
    main()
