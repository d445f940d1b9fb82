import Testing

@testable import TextProcessing

@Suite("Language identification with cld2")
struct LanguageIdentifierCLD2Tests {
  @Test("cld2 names the language of prose; languages without lexicons are other")
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
    #expect(
      LanguageIdentifier.identify(
        "أصدرت الوزارة تصاريح عمل للعمال الزراعيين الموسميين القادمين من البلدان المجاورة")
        == "other")
    // Too short for cld2 to be sure: the function words decide, or nobody does.
    #expect(LanguageIdentifier.detected("Objective 5") == nil)
  }
}
