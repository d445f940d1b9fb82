import Testing

@testable import TextProcessing

@Suite("Language identification with cld2")
struct LanguageIdentifierCLD2Tests {
  @Test("cld2 names the language of prose; languages other than the UN's six are other")
  func detected() {
    #expect(
      LanguageIdentifier.identify(
        "The ministry issued work permits to seasonal farm workers recruited in neighbouring "
          + "countries, and inspectors checked their contracts and wages twice a season.") == "en")
    #expect(
      LanguageIdentifier.identify(
        "Le ministère a délivré des permis de travail aux ouvriers agricoles saisonniers venus "
          + "des pays voisins, et l'inspection a vérifié leurs contrats deux fois par saison.")
        == "fr")
    #expect(
      LanguageIdentifier.identify(
        "El ministerio otorgó permisos de trabajo a los trabajadores agrícolas de temporada "
          + "procedentes de países vecinos, y la inspección revisó sus contratos dos veces.")
        == "es")
    // Portuguese and German share the Latin script: the function words alone could not tell
    // them from Spanish or English.
    #expect(
      LanguageIdentifier.identify(
        "O ministério emitiu autorizações de trabalho para trabalhadores agrícolas sazonais "
          + "vindos de países vizinhos, e a inspeção verificou os seus contratos duas vezes.")
        == "other")
    #expect(
      LanguageIdentifier.identify(
        "Das Ministerium hat Arbeitserlaubnisse für Saisonarbeiter aus den Nachbarländern "
          + "ausgestellt, und die Arbeitsinspektion hat ihre Verträge zweimal geprüft.")
        == "other")
    // Arabic is a UN language: named, and read as "other" where the corpus has no lexicons.
    #expect(
      LanguageIdentifier.identify(
        "أصدرت الوزارة تصاريح عمل للعمال الزراعيين الموسميين القادمين من البلدان المجاورة")
        == "ar")
    // Too short for cld2 to be sure: the function words decide, or nobody does.
    #expect(LanguageIdentifier.detected("Objective 5") == nil)
  }
}

@Suite("Arabic, Russian and Chinese named")
struct UNLanguageIdentifierTests {
  @Test("cld2 names the other UN languages; without their lexicons they read as other")
  func named() {
    let texts = [
      "ar": "اعتمدت الحكومة استراتيجية وطنية للهجرة بالتعاون مع المجتمع المدني والنقابات العمالية.",
      "ru": "Правительство приняло национальную стратегию в области миграции вместе с профсоюзами.",
      "zh": "政府与民间社会和工会合作，通过了一项保护移民及其家庭的国家战略。",
    ]
    for (code, text) in texts.sorted(by: { $0.key < $1.key }) {
      #expect(LanguageIdentifier.identify(text) == code, "\(code)")
      #expect(LanguageIdentifier.readable(code, scored: ["en", "fr", "es"]) == "other")
      #expect(LanguageIdentifier.readable(code, scored: ["en", code]) == code)
    }
    // French and Spanish stay themselves whatever the lexicons: English ones read them.
    #expect(LanguageIdentifier.readable("fr", scored: ["en"]) == "fr")
    #expect(LanguageIdentifier.readable("other", scored: ["en"]) == "other")
  }

  @Test("Short Chinese is Chinese by its script; Japanese and a mixed page are not taken for it")
  func shortAndMixed() {
    #expect(LanguageIdentifier.identify("支持模板的比例") == "zh")
    #expect(LanguageIdentifier.identify("あのイーハトーヴォのすきとおった風") == "other")
    // Lines in three languages, none half of the text: the language of most letters.
    let mixed = """
      Правительство приняло национальную стратегию в области миграции вместе с профсоюзами и \
      объединениями работодателей.
      اعتمدت الحكومة استراتيجية وطنية للهجرة.
      政府通过了一项国家战略。
      """
    #expect(LanguageIdentifier.identify(mixed) == "ru")
  }
}
