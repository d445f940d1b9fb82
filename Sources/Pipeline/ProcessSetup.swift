import Foundation

#if canImport(Glibc)
  import Glibc
#endif

/// What the process must settle before it does anything else.
public enum ProcessSetup {
  /// Starts the process again with OMP_THREAD_LIMIT=1 if it is not set, so that tesseract
  /// (OCR) runs single-threaded here and in every worker, which inherit the environment.
  ///
  /// Why: gcmap already reads one document per core; tesseract's OpenMP threads then fight
  /// over the cores and spin (a scanned page took 9 s a page with the limit, 65 s without,
  /// here). OpenMP reads the variable when its library loads, which is before `main`, so
  /// setting it later does nothing: the process must start again. Limits: if the restart
  /// fails the run goes on with tesseract's default threads; a user who sets the variable
  /// keeps their value.
  public static func limitOCRThreads() {
    guard getenv("OMP_THREAD_LIMIT") == nil else { return }
    setenv("OMP_THREAD_LIMIT", "1", 1)
    _ = execv("/proc/self/exe", CommandLine.unsafeArgv)
  }
}
