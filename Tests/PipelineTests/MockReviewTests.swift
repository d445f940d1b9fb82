import Foundation
import Pipeline
import TestSupport
import Testing

/// The default pipeline on mock national reviews written in our own words (English, French,
/// Spanish: objective sections with concrete measures, and methodology, consultation, budget,
/// data-protection pages and text using "data", "border", "recruitment", "trafficking",
/// "inclusion" in other senses), measured the way eval-realistic is: a review's pages about no
/// objective must stay unlabelled.
@Suite("Mock national reviews")
struct MockReviewTests {
  @Test("The default pipeline stays quiet on a review's pages about no objective")
  func passageFigures() throws {
    let analysis = try Analysis.shipped()
    let evaluation = try PassageEvaluation.run(
      labels: MockReviews.directory.appendingPathComponent("passages.csv"),
      documents: MockReviews.directory, analysis: analysis, progress: { _ in })
    let figures = evaluation.pipeline
    #expect(evaluation.problems.isEmpty, "\(evaluation.problems)")
    // 66 labelled paragraphs in three languages, a third of them about no objective.
    #expect(figures.none + figures.withPrimary >= 60)
    #expect(figures.none >= 20)
    #expect(figures.falseCoverage <= 0.10, "\(evaluation.report())")
    #expect(figures.primaryTop1 >= 0.80, "\(evaluation.report())")
    // Each language is read in its own language and gets its own objectives.
    for file in [
      "mock-review-testland.pdf", "mock-review-testland-fr.pdf", "mock-review-testland-es.pdf",
    ] {
      let own = try #require(evaluation.pipelineByFile[file])
      #expect(own.primaryHit * 10 >= own.withPrimary * 8, "\(file): \(own)")
    }
  }
}
