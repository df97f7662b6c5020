"""Recalculate a workbook with LibreOffice headless, in a profile of its own set to always recalculate."""

from __future__ import annotations

import shutil
import subprocess
import tempfile
from pathlib import Path

import pytest

RECALC_ALWAYS = """<?xml version="1.0" encoding="UTF-8"?>
<oor:items xmlns:oor="http://openoffice.org/2001/registry" xmlns:xs="http://www.w3.org/2001/XMLSchema"
 xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">
<item oor:path="/org.openoffice.Office.Calc/Formula/Load">
 <prop oor:name="OOXMLRecalcMode" oor:op="fuse"><value>0</value></prop></item>
<item oor:path="/org.openoffice.Office.Calc/Formula/Load">
 <prop oor:name="ODFRecalcMode" oor:op="fuse"><value>0</value></prop></item>
</oor:items>
"""


def soffice() -> str | None:
    return shutil.which("soffice") or shutil.which("libreoffice")


needs_libreoffice = pytest.mark.skipif(soffice() is None, reason="LibreOffice (libreoffice-calc) not installed")


def recalculated(path: Path, out_dir: Path) -> Path:
    """A copy of `path` in `out_dir`, every formula recalculated and saved by LibreOffice."""
    binary = soffice()
    assert binary is not None
    out_dir.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory() as profile:
        user = Path(profile) / "user"
        user.mkdir()
        (user / "registrymodifications.xcu").write_text(RECALC_ALWAYS, encoding="utf-8")
        subprocess.run(
            [binary, f"-env:UserInstallation={Path(profile).as_uri()}", "--headless", "--calc",
             "--convert-to", "xlsx:Calc MS Excel 2007 XML", "--outdir", str(out_dir), str(path)],
            check=True, capture_output=True, timeout=240,
        )
    result = out_dir / path.name
    assert result.exists(), f"LibreOffice did not write {result}"
    return result


def printed_pdfs(paths: list[Path], out_dir: Path) -> dict[Path, Path]:
    """Each workbook printed to PDF by LibreOffice in one run with a profile of its own, as a printer gets
    it (A4, the workbook's own scaling, header and footer); `{workbook: pdf}`."""
    binary = soffice()
    assert binary is not None
    out_dir.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory() as profile:
        subprocess.run([binary, f"-env:UserInstallation={Path(profile).as_uri()}", "--headless",
                        "--convert-to", "pdf", "--outdir", str(out_dir), *map(str, paths)],
                       check=True, capture_output=True, timeout=600)
    result = {path: out_dir / f"{path.stem}.pdf" for path in paths}
    missing = [str(p) for p in result.values() if not p.exists()]
    assert not missing, f"LibreOffice did not print {missing}"
    return result


def printed_pdf(path: Path, out_dir: Path) -> Path:
    """One workbook printed to PDF by LibreOffice (see printed_pdfs)."""
    return printed_pdfs([path], out_dir)[path]
