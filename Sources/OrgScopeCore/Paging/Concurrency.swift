import Synchronization

/// A counting semaphore for tasks: `take()` waits, cancellably, until one of the credits
/// is free; `give()` frees one.
final class Credit: Sendable {
  private struct State {
    var available: Int
    var waiters: [(id: Int, continuation: CheckedContinuation<Void, Error>)] = []
    var lastID = 0
  }
  private let state: Mutex<State>

  init(_ count: Int) { state = Mutex(State(available: count)) }

  func take() async throws {
    // A free credit is taken without suspending (the usual case: the consumer keeps up).
    let id: Int? = state.withLock { state in
      if state.available > 0 {
        state.available -= 1
        return nil
      }
      state.lastID += 1
      return state.lastID
    }
    guard let id else { return }
    try await withTaskCancellationHandler {
      try await withCheckedThrowingContinuation {
        (continuation: CheckedContinuation<Void, Error>) in
        // Under the lock: a cancellation either finds this waiter or is seen here.
        let ready: Result<Bool, Error> = state.withLock { state in
          if Task.isCancelled { return .failure(CancellationError()) }
          if state.available > 0 {
            state.available -= 1
            return .success(true)
          }
          state.waiters.append((id, continuation))
          return .success(false)
        }
        switch ready {
        case .success(true): continuation.resume()
        case .success(false): break
        case .failure(let error): continuation.resume(throwing: error)
        }
      }
    } onCancel: {
      let waiter = state.withLock { state -> CheckedContinuation<Void, Error>? in
        guard let index = state.waiters.firstIndex(where: { $0.id == id }) else { return nil }
        return state.waiters.remove(at: index).continuation
      }
      waiter?.resume(throwing: CancellationError())
    }
  }

  func give() {
    let waiter = state.withLock { state -> CheckedContinuation<Void, Error>? in
      if state.waiters.isEmpty {
        state.available += 1
        return nil
      }
      return state.waiters.removeFirst().continuation
    }
    waiter?.resume()
  }
}

/// A one-shot signal: `wait()` returns once `open()` has been called, before or after.
final class Gate: Sendable {
  private struct State {
    var isOpen = false
    var waiters: [CheckedContinuation<Void, Never>] = []
  }
  private let state = Mutex(State())

  func open() {
    let waiting = state.withLock { state in
      state.isOpen = true
      defer { state.waiters = [] }
      return state.waiters
    }
    for waiter in waiting { waiter.resume() }
  }

  func wait() async {
    await withCheckedContinuation { continuation in
      let ready = state.withLock { state in
        if !state.isOpen { state.waiters.append(continuation) }
        return state.isOpen
      }
      if ready { continuation.resume() }
    }
  }
}

/// A callback that runs at most once, from whichever thread gets there first.
final class Once: Sendable {
  private let action: Mutex<(@Sendable () -> Void)?>

  init(_ action: @escaping @Sendable () -> Void) { self.action = Mutex(action) }

  func run() {
    let action = action.withLock { action in
      defer { action = nil }
      return action
    }
    action?()
  }
}
