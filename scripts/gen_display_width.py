#!/usr/bin/env python3
"""Generates Sources/OrgScopeCore/Text/DisplayWidthTable.swift from the Unicode data files.

Unicode version: 15.0.0

The files are Debian's `unicode-data` package (15.0.0-1 on bookworm: `apt-get install
unicode-data`), read from /usr/share/unicode, or from the directory given with --data
holding the same files downloaded from https://www.unicode.org/Public/15.0.0/ucd/:

    EastAsianWidth.txt                 East_Asian_Width (with its @missing defaults)
    extracted/DerivedGeneralCategory.txt General_Category
    HangulSyllableType.txt             Hangul_Syllable_Type
    emoji/emoji-data.txt               Emoji, Emoji_Presentation

Each file's version is checked against UNICODE_VERSION before anything is written.

The rules, as wcwidth and terminals apply them:
  0 cells  General_Category Cc, Mn, Me or Cf; Hangul_Syllable_Type V or T (conjoining
           medial vowels and final consonants, drawn inside the syllable before them)
  2 cells  East_Asian_Width W or F, or Emoji_Presentation (regional indicators are N but
           pair into a two-cell flag)
  1 cell   everything else, unassigned code points included
and, for a grapheme cluster in DisplayWidth.swift, the emoji that U+FE0F widens to two cells:
Emoji scalars that are one cell by the rules above.

Usage: scripts/gen_display_width.py [--data DIR] [--check]
  --check  exit 1 if the committed file differs from what would be generated
"""

import argparse
import os
import re
import sys

UNICODE_VERSION = "15.0.0"
OUTPUT = os.path.join(
    os.path.dirname(os.path.abspath(__file__)),
    "..", "Sources", "OrgScopeCore", "Text", "DisplayWidthTable.swift")
MAX = 0x10FFFF


def read(data, name):
    path = os.path.join(data, name)
    with open(path, encoding="utf-8") as handle:
        text = handle.read()
    return text


def check_version(name, text):
    # UCD files say "# Name-15.0.0.txt"; emoji-data.txt "Used with Emoji Version 15.0".
    match = re.search(r"-(\d+\.\d+\.\d+)\.txt", text[:200])
    version = match.group(1) if match else None
    if version is None:
        match = re.search(r"^# Used with Emoji Version (\d+\.\d+) ", text, re.MULTILINE)
        version = match.group(1) + ".0" if match else None
    if version != UNICODE_VERSION:
        sys.exit(f"{name} is Unicode {version}, expected {UNICODE_VERSION}")


def entries(text):
    """(first, last, value) for each data line: `0000..001F ; Cc # ...`."""
    for line in text.splitlines():
        line = line.split("#", 1)[0].strip()
        if not line:
            continue
        code, value = [part.strip() for part in line.split(";")[:2]]
        first, _, last = code.partition("..")
        yield int(first, 16), int(last or first, 16), value


def missing(text):
    """The `# @missing: 3400..4DBF; W` defaults, in file order (later ones win)."""
    for match in re.finditer(r"^# @missing: ([0-9A-F]+)\.\.([0-9A-F]+); *(\w+)", text, re.MULTILINE):
        yield int(match.group(1), 16), int(match.group(2), 16), match.group(3)


def ranges(flags):
    """Sorted (first, last) runs of the code points where flags[i] is true."""
    out = []
    start = None
    for code in range(MAX + 2):
        on = code <= MAX and flags[code]
        if on and start is None:
            start = code
        elif not on and start is not None:
            out.append((start, code - 1))
            start = None
    return out


def build(data):
    files = {
        "EastAsianWidth.txt": None,
        "extracted/DerivedGeneralCategory.txt": None,
        "HangulSyllableType.txt": None,
        "emoji/emoji-data.txt": None,
    }
    for name in files:
        files[name] = read(data, name)
        check_version(name, files[name])

    east_asian = ["N"] * (MAX + 1)
    eaw = files["EastAsianWidth.txt"]
    for first, last, value in missing(eaw):
        east_asian[first:last + 1] = [value] * (last - first + 1)
    # Unicode 15.0's EastAsianWidth.txt states one @missing line (N) and leaves the wide
    # defaults of the CJK blocks to its comments; DerivedEastAsianWidth.txt states them.
    derived = read(data, "extracted/DerivedEastAsianWidth.txt")
    check_version("extracted/DerivedEastAsianWidth.txt", derived)
    short = {"Wide": "W", "Fullwidth": "F", "Neutral": "N"}
    for first, last, value in missing(derived):
        value = short.get(value, value)
        east_asian[first:last + 1] = [value] * (last - first + 1)
    for first, last, value in entries(eaw):
        east_asian[first:last + 1] = [value] * (last - first + 1)

    category = ["Cn"] * (MAX + 1)
    for first, last, value in entries(files["extracted/DerivedGeneralCategory.txt"]):
        category[first:last + 1] = [value] * (last - first + 1)

    hangul = [""] * (MAX + 1)
    for first, last, value in entries(files["HangulSyllableType.txt"]):
        hangul[first:last + 1] = [value] * (last - first + 1)

    emoji = [False] * (MAX + 1)
    presentation = [False] * (MAX + 1)
    for first, last, value in entries(files["emoji/emoji-data.txt"]):
        if value == "Emoji":
            emoji[first:last + 1] = [True] * (last - first + 1)
        elif value == "Emoji_Presentation":
            presentation[first:last + 1] = [True] * (last - first + 1)

    zero = [category[c] in ("Cc", "Mn", "Me", "Cf") or hangul[c] in ("V", "T")
            for c in range(MAX + 1)]
    wide = [not zero[c] and (east_asian[c] in ("W", "F") or presentation[c])
            for c in range(MAX + 1)]
    widened = [emoji[c] and not zero[c] and not wide[c] for c in range(MAX + 1)]
    return ranges(zero), ranges(wide), ranges(widened)


def swift_array(name, doc, runs):
    lines = [f"  /// {doc}", f"  static let {name}: [UInt32] = ["]
    cells = [f"0x{first:X}, 0x{last:X}," for first, last in runs]
    row = "   "
    for cell in cells:
        if len(row) + 1 + len(cell) > 100:
            lines.append(row)
            row = "   "
        row += " " + cell
    if row.strip():
        lines.append(row)
    lines.append("  ]")
    return "\n".join(lines)


def render(data):
    zero, wide, widened = build(data)
    parts = [
        f"// Generated by scripts/gen_display_width.py from the Unicode {UNICODE_VERSION} data files;",
        "// do not edit. Each table is sorted pairs of first and last scalar values.",
        "",
        "extension DisplayWidth {",
        f"  /// The Unicode version of these tables.",
        f"  public static let unicodeVersion = \"{UNICODE_VERSION}\"",
        "",
        swift_array(
            "zeroWidthRanges",
            "No cell: controls, nonspacing and enclosing marks, format characters, Hangul "
            "medial\n  /// vowels and final consonants.", zero),
        "",
        swift_array(
            "wideRanges",
            "Two cells: East Asian Wide and Fullwidth, and Emoji_Presentation.", wide),
        "",
        swift_array(
            "emojiTextDefaultRanges",
            "One cell alone, two with U+FE0F after them: emoji with text presentation by "
            "default.", widened),
        "}",
        "",
    ]
    return "\n".join(parts)


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--data", default="/usr/share/unicode")
    parser.add_argument("--check", action="store_true")
    arguments = parser.parse_args()
    text = render(arguments.data)
    output = os.path.normpath(OUTPUT)
    if arguments.check:
        with open(output, encoding="utf-8") as handle:
            if handle.read() != text:
                sys.exit(f"{output} is not what the script generates; run it")
        return
    with open(output, "w", encoding="utf-8") as handle:
        handle.write(text)
    print(f"wrote {output}")


if __name__ == "__main__":
    main()
