"""Build the font the tests draw their PDFs with (development tool; the result is committed).

The tests turn the seed texts into PDFs (tests/support/convert.py) and read them back. The font must be
embedded in those PDFs: a font the PDF only names (reportlab's STSong-Light) is drawn and measured with
whatever the machine substitutes, and on a machine without CJK fonts the characters' boxes come out
wrong. So the tests ship one TrueType font covering every character they draw:

  * CJK: Droid Sans Fallback (Apache-2.0), Debian package fonts-droid-fallback;
  * Latin letters, digits and symbols (≥ “ ” …): DejaVu Sans (Bitstream Vera licence), fonts-dejavu-core.

Both are cut to the characters of GB 2312 and of the test fixtures and merged into one font:

    apt-get download fonts-droid-fallback && dpkg-deb -x fonts-droid-fallback_*.deb /tmp/droid
    python tools/build_test_font.py /tmp/droid/usr/share/fonts/truetype/droid/DroidSansFallbackFull.ttf \
        /usr/share/fonts/truetype/dejavu/DejaVuSans.ttf

Needs fontTools (pip install fonttools); the tests themselves do not.
"""

from __future__ import annotations

import argparse
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
TARGET = ROOT / "tests" / "fixtures" / "fonts" / "cnbudget-test-sans.ttf"
SYMBOLS = "“”‘’≥≤±×÷—–…·•●○□■△▲※№℃‰²³µ°¥€"


def gb2312() -> set[str]:
    chars: set[str] = set()
    for first in range(0xA1, 0xF8):
        for second in range(0xA1, 0xFF):
            try:
                chars.add(bytes([first, second]).decode("gb2312"))
            except UnicodeDecodeError:
                continue
    return chars


def fixture_characters() -> set[str]:
    chars: set[str] = set()
    for folder in (ROOT / "tests" / "fixtures" / "seeds", ROOT / "src" / "cnbudget"):
        for path in folder.rglob("*"):
            if path.suffix in (".txt", ".toml", ".csv", ".py"):
                chars |= set(path.read_text("utf-8"))
    return {c for c in chars if c.isprintable()}


def main() -> None:
    from fontTools import subset
    from fontTools.merge import Merger
    from fontTools.ttLib import TTFont
    from fontTools.ttLib.scaleUpem import scale_upem

    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("cjk", type=Path, help="DroidSansFallbackFull.ttf")
    parser.add_argument("latin", type=Path, help="DejaVuSans.ttf")
    args = parser.parse_args()

    wanted = gb2312() | fixture_characters() | set(SYMBOLS) | {chr(c) for c in range(0x20, 0x7F)}
    wanted |= {chr(c) for c in range(0xA0, 0x100)}
    cjk, latin = TTFont(args.cjk), TTFont(args.latin)
    latin_map, cjk_map = latin.getBestCmap(), cjk.getBestCmap()
    latin_chars = {c for c in wanted if ord(c) in latin_map}
    cjk_chars = {c for c in wanted if ord(c) in cjk_map and c not in latin_chars}

    def cut(font: TTFont, chars: set[str], path: Path) -> None:
        options = subset.Options()
        options.hinting = False
        options.drop_tables += ["GSUB", "GPOS", "GDEF", "vhea", "vmtx", "kern", "FFTM"]
        options.name_IDs = ["*"]
        options.notdef_outline = True
        subsetter = subset.Subsetter(options)
        subsetter.populate(text="".join(sorted(chars)))
        subsetter.subset(font)
        font.save(path)

    with tempfile.TemporaryDirectory() as tmp:
        cjk_path, latin_path = Path(tmp) / "cjk.ttf", Path(tmp) / "latin.ttf"
        cut(cjk, cjk_chars, cjk_path)
        cut(latin, latin_chars, latin_path)
        scaled = TTFont(latin_path)
        scale_upem(scaled, TTFont(cjk_path)["head"].unitsPerEm)
        scaled.save(latin_path)
        merged = Merger().merge([str(cjk_path), str(latin_path)])
    for record in merged["name"].names:
        if record.nameID in (1, 4, 6, 16):
            record.string = "cnbudget test sans" if record.nameID != 6 else "cnbudget-test-sans"
    TARGET.parent.mkdir(parents=True, exist_ok=True)
    merged.save(TARGET)
    print(
        f"{TARGET.relative_to(ROOT)}: {len(latin_chars) + len(cjk_chars)} characters, {TARGET.stat().st_size:,} bytes"
    )


if __name__ == "__main__":
    main()
