import Pipeline
import TestSupport

extension Analysis {
  /// The analysis `gcmap run` makes by default: the shipped corpus and its default pipeline,
  /// with paragraphs under `minimumWords` words joined if given (the pipeline's own otherwise).
  static func shipped(minimumWords: Int? = nil) throws -> Analysis {
    let corpus = Corpus(root: Repository.corpus)
    var settings = try PipelineSettings.load(corpus.defaultPipeline)
    if let minimumWords { settings.segmenter.minimumWords = minimumWords }
    return try Analysis(corpus: corpus, settings: settings)
  }
}
