import OrgScopeCore
import Testing

@Suite struct DisplayWidthTests {
  @Test func asciiIsOneCellPerCharacter() {
    #expect(DisplayWidth.of("Acme Corp") == 9)
  }

  @Test func cjkAndFullwidthTakeTwoCells() {
    #expect(DisplayWidth.of("東京") == 4)
    #expect(DisplayWidth.of("ＡＢ") == 4)
    #expect(DisplayWidth.of("한국") == 4)
  }

  @Test func emojiTakeTwoCellsAndJoinedSequencesStayOneGlyph() {
    #expect(DisplayWidth.of("🚀") == 2)
    #expect(DisplayWidth.of("👩‍💻") == 2)
    #expect(DisplayWidth.of("🇯🇵") == 2)
    #expect(DisplayWidth.of("❤️") == 2)
  }

  @Test func combiningMarksAndFormatCharactersTakeNoCells() {
    #expect(DisplayWidth.of("e\u{0301}") == 1)
    #expect(DisplayWidth.of("a\u{200B}b") == 2)
    #expect(DisplayWidth.of("x\u{FE0E}") == 1)
  }

  @Test func truncationCountsCellsAndEndsWithEllipsis() {
    #expect(DisplayWidth.truncate("Stark Industries", to: 8) == "Stark I…")
    #expect(DisplayWidth.truncate("東京テスト", to: 6) == "東京…")
    #expect(DisplayWidth.of(DisplayWidth.truncate("東京テスト", to: 6)) <= 6)
    #expect(DisplayWidth.truncate("short", to: 8) == "short")
    #expect(DisplayWidth.truncate("Stark Industries", to: 8, ellipsis: "~") == "Stark I~")
  }

  @Test func paddingFillsToExactWidthAroundWideCharacters() {
    let padded = DisplayWidth.pad("東京テスト", to: 7)
    #expect(DisplayWidth.of(padded) == 7)
    #expect(padded == "東京テ…")
    #expect(DisplayWidth.pad("東京テスト", to: 8) == "東京テ… ")
    #expect(DisplayWidth.pad("ab", to: 4) == "ab  ")
  }
}

@Suite struct SanitizerTests {
  @Test func plainTextIsUntouched() {
    #expect(Sanitizer.clean("Café Müller 東京 🚀") == "Café Müller 東京 🚀")
  }

  @Test func escapeSequencesAreRemovedWhole() {
    #expect(Sanitizer.clean("a\u{1B}[2Jb") == "ab")
    #expect(Sanitizer.clean("x\u{1B}]0;pwned title\u{07}y") == "xy")
    #expect(Sanitizer.clean("x\u{1B}]52;c;ZXZpbA==\u{1B}\\y") == "xy")
    #expect(Sanitizer.clean("x\u{1B}P1$r secret \u{1B}\\y") == "xy")
    #expect(Sanitizer.clean("x\u{9B}31mred") == "xred")
    #expect(Sanitizer.clean("x\u{9D}0;title\u{9C}y") == "xy")
    #expect(Sanitizer.clean("x\u{1B}(0y") == "xy")
    #expect(Sanitizer.clean("x\u{1B}7y\u{1B}8") == "xy")
  }

  /// Issue 23: the TUI shows what `clean` removes, as pictures that cannot act.
  @Test func picturedShowsControlsVisiblyAndKeepsEveryPrintable() {
    #expect(
      Sanitizer.pictured("clear\u{1B}[2J\u{1B}[Hscreen", unicode: true) == "clear␛[2J␛[Hscreen")
    #expect(Sanitizer.pictured("a\u{0}\u{7}\u{7F}b", unicode: true) == "a␀␇␡b")
    #expect(Sanitizer.pictured("x\u{9B}31m\u{202E}y", unicode: true) == "x\\x9b31m\\u{202E}y")
    #expect(Sanitizer.pictured("tab\tline\nend", unicode: true) == "tab line end")
    #expect(Sanitizer.pictured("Café \u{1B}[0m", unicode: false) == "Caf\\u{e9} \\x1b[0m")
    #expect(Sanitizer.pictured("Café Müller 東京 🚀", unicode: true) == "Café Müller 東京 🚀")
    for text in ["a\u{1B}]0;t\u{07}", "x\u{9B}y\u{202E}", "Café\u{7F}"] {
      for unicode in [true, false] {
        let once = Sanitizer.pictured(text, unicode: unicode)
        #expect(Sanitizer.pictured(once, unicode: unicode) == once)
        #expect(once.unicodeScalars.allSatisfy(Sanitizer.keeps))
      }
    }
  }

  @Test func controlsAreRemovedAndLineBreaksBecomeSpaces() {
    #expect(Sanitizer.clean("a\u{07}\u{08}\u{7F}b") == "ab")
    #expect(Sanitizer.clean("a\nb\rc\td") == "a b c d")
    #expect(Sanitizer.clean("a\u{85}b\u{2028}c") == "a b c")
  }

  @Test func bidiOverridesAndIsolatesAreRemoved() {
    let hostile = "admin\u{202E}gnp.exe\u{202C} \u{2066}x\u{2069}\u{200F}"
    let clean = Sanitizer.clean(hostile)
    #expect(clean == "admingnp.exe x")
    #expect(!clean.unicodeScalars.contains { (0x202A...0x202E).contains($0.value) })
  }

  @Test func emojiJoinersAreKept() {
    #expect(Sanitizer.clean("👩‍💻") == "👩‍💻")
  }

  @Test func unterminatedSequenceSwallowsOnlyItsOwnBytes() {
    #expect(Sanitizer.clean("ok\u{1B}]0;never ends") == "ok")
    #expect(Sanitizer.clean("ok\u{1B}") == "ok")
  }
}
