/// One page of a server's job list.
public struct ListedPage: Sendable, Hashable {
    public var jobs: [ListedJob]
    /// The page to read next (from 1), or nil when this was the last.
    public var nextPage: Int?

    public init(jobs: [ListedJob], nextPage: Int?) {
        self.jobs = jobs
        self.nextPage = nextPage
    }
}
