import Foundation

/// The pages of `SourceClient.pages`, in order. Taking a page makes room for another.
public struct PageStream: AsyncSequence, Sendable {
  public typealias Element = Page
  let stream: AsyncThrowingStream<Page, Error>
  let credit: Credit

  public struct AsyncIterator: AsyncIteratorProtocol {
    var base: AsyncThrowingStream<Page, Error>.AsyncIterator
    let credit: Credit

    public mutating func next() async throws -> Page? {
      try await next(isolation: nil)
    }

    /// Stays on the caller's actor (as the stream's own iterator does): the `list` loop
    /// runs on the main actor and would otherwise hop off and back for every page.
    public mutating func next(isolation actor: isolated (any Actor)?) async throws -> Page? {
      let page = try await base.next(isolation: actor)
      if page != nil { credit.give() }
      return page
    }
  }

  public func makeAsyncIterator() -> AsyncIterator {
    AsyncIterator(base: stream.makeAsyncIterator(), credit: credit)
  }
}
