import JSON
import NIOCore
import NIOHTTP1

/// One connection's request handler. Reads a whole request, asks the core what to do (delay,
/// fault), and answers on the event loop: delays are scheduled tasks, never sleeps.
final class ImportHTTPHandler: ChannelInboundHandler, RemovableChannelHandler {
    typealias InboundIn = HTTPServerRequestPart
    typealias OutboundOut = HTTPServerResponsePart

    private let core: ServerCore
    private let maxBodyBytes: Int
    private var head: HTTPRequestHead?
    private var body: ByteBuffer?
    private var bodyTooLarge = false

    init(core: ServerCore, maxBodyBytes: Int) {
        self.core = core
        self.maxBodyBytes = maxBodyBytes
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        switch unwrapInboundIn(data) {
        case .head(let requestHead):
            head = requestHead
            body = nil
            bodyTooLarge = false
            // curl sends `Expect: 100-continue` for bodies over 1 KiB and waits a second without this.
            if requestHead.headers[canonicalForm: "expect"].contains(where: { $0.lowercased() == "100-continue" }) {
                let informational = HTTPResponseHead(version: requestHead.version, status: .continue)
                context.writeAndFlush(wrapOutboundOut(.head(informational)), promise: nil)
            }
        case .body(var chunk):
            guard !bodyTooLarge else { return }
            if (body?.readableBytes ?? 0) + chunk.readableBytes > maxBodyBytes {
                bodyTooLarge = true
                body = nil
            } else if body == nil {
                body = chunk
            } else {
                body!.writeBuffer(&chunk)
            }
        case .end:
            guard let requestHead = head else { return }
            head = nil
            let bytes = body.map { Array($0.readableBytesView) } ?? []
            body = nil
            process(context: context, head: requestHead, body: bytes, tooLarge: bodyTooLarge)
        }
    }

    func errorCaught(context: ChannelHandlerContext, error: Error) {
        context.close(promise: nil)
    }

    private func process(context: ChannelHandlerContext, head: HTTPRequestHead, body: [UInt8], tooLarge: Bool) {
        let uri = head.uri
        let path: String
        let query: String?
        if let mark = uri.firstIndex(of: "?") {
            path = String(uri[..<mark])
            query = String(uri[uri.index(after: mark)...])
        } else {
            path = uri
            query = nil
        }
        let request = IncomingRequest(
            method: head.method.rawValue, path: path, query: query,
            headers: head.headers.map { RecordedHeader(name: $0.name, value: $0.value) }, body: body)
        let routed = RoutedRequest(request)
        let ticket = core.begin(routed)
        let keepAlive = head.isKeepAlive
        let version = head.version
        if ticket.delay > .zero {
            context.eventLoop.assumeIsolated().scheduleTask(in: ticket.delay.timeAmount) {
                self.respond(context: context, routed: routed, ticket: ticket, version: version, keepAlive: keepAlive, tooLarge: tooLarge)
            }
        } else {
            respond(context: context, routed: routed, ticket: ticket, version: version, keepAlive: keepAlive, tooLarge: tooLarge)
        }
    }

    private func respond(
        context: ChannelHandlerContext, routed: RoutedRequest, ticket: Ticket, version: HTTPVersion, keepAlive: Bool,
        tooLarge: Bool
    ) {
        if tooLarge {
            write(
                context: context, response: .text("request body too large", status: 413), ticket: ticket, version: version, keepAlive: false
            )
            return
        }
        switch ticket.fault {
        case .httpStatus(let status, let retryAfter):
            let phrase = HTTPResponseStatus(statusCode: status).reasonPhrase
            var response = OutgoingResponse.json(
                obj(("code", .from(status)), ("message", .string("\(phrase) (injected by import-test-server)"))),
                status: status)
            if let retryAfter { response.extraHeaders.append(("Retry-After", String(retryAfter))) }
            write(context: context, response: response, ticket: ticket, version: version, keepAlive: keepAlive)
        case .businessError(let code, let message):
            let response = OutgoingResponse.json(
                ServerCore.faultBody(for: routed.endpoint, code: code, message: message), code: code)
            write(context: context, response: response, ticket: ticket, version: version, keepAlive: keepAlive)
        case .dropConnection(let afterProcessing):
            if afterProcessing { _ = core.handle(routed) }
            core.finish(ticket, status: nil, code: nil)
            context.close(promise: nil)
        case .html(let status):
            let phrase = HTTPResponseStatus(statusCode: status).reasonPhrase
            let page = """
                <html>\r
                <head><title>\(status) \(phrase)</title></head>\r
                <body>\r
                <center><h1>\(status) \(phrase)</h1></center>\r
                <hr><center>nginx</center>\r
                </body>\r
                </html>\r

                """
            let response = OutgoingResponse(status: status, contentType: "text/html", body: Array(page.utf8))
            write(context: context, response: response, ticket: ticket, version: version, keepAlive: keepAlive)
        case .slowBody(let chunkSize, let interval):
            let response = core.handle(routed)
            writeSlowly(
                context: context, response: response, ticket: ticket, version: version, keepAlive: keepAlive, chunkSize: chunkSize,
                interval: interval)
        case .truncatedBody:
            let response = core.handle(routed)
            writeTruncated(context: context, response: response, ticket: ticket, version: version)
        case .delay, nil:
            let response = core.handle(routed)
            write(context: context, response: response, ticket: ticket, version: version, keepAlive: keepAlive)
        }
    }

    private func responseHead(_ response: OutgoingResponse, version: HTTPVersion, keepAlive: Bool) -> HTTPResponseHead {
        var headers = HTTPHeaders()
        headers.reserveCapacity(5 + response.extraHeaders.count)
        headers.add(name: "Content-Type", value: response.contentType)
        headers.add(name: "Content-Length", value: String(response.body.count))
        headers.add(name: "X-Milvus-Trace-Id", value: ImportHTTPHandler.traceId())
        for (name, value) in response.extraHeaders { headers.add(name: name, value: value) }
        if !keepAlive { headers.add(name: "Connection", value: "close") }
        return HTTPResponseHead(version: version, status: HTTPResponseStatus(statusCode: response.status), headers: headers)
    }

    private func buffer(_ context: ChannelHandlerContext, _ bytes: some Collection<UInt8>) -> ByteBuffer {
        var buffer = context.channel.allocator.buffer(capacity: bytes.count)
        buffer.writeBytes(bytes)
        return buffer
    }

    private func write(
        context: ChannelHandlerContext, response: OutgoingResponse, ticket: Ticket, version: HTTPVersion, keepAlive: Bool
    ) {
        guard context.channel.isActive else {
            core.finish(ticket, status: nil, code: nil)
            return
        }
        context.write(wrapOutboundOut(.head(responseHead(response, version: version, keepAlive: keepAlive))), promise: nil)
        if !response.body.isEmpty {
            context.write(wrapOutboundOut(.body(.byteBuffer(buffer(context, response.body)))), promise: nil)
        }
        end(context: context, response: response, ticket: ticket, keepAlive: keepAlive)
    }

    /// Ends the response, records how it went, and closes a connection that is not kept alive.
    private func end(context: ChannelHandlerContext, response: OutgoingResponse, ticket: Ticket, keepAlive: Bool) {
        let core = self.core
        context.writeAndFlush(wrapOutboundOut(.end(nil))).assumeIsolated().whenComplete { result in
            switch result {
            case .success: core.finish(ticket, status: response.status, code: response.businessCode)
            case .failure: core.finish(ticket, status: nil, code: nil)
            }
            if !keepAlive { context.close(promise: nil) }
        }
    }

    private func writeSlowly(
        context: ChannelHandlerContext, response: OutgoingResponse, ticket: Ticket, version: HTTPVersion, keepAlive: Bool,
        chunkSize: Int, interval: Duration
    ) {
        guard context.channel.isActive else {
            core.finish(ticket, status: nil, code: nil)
            return
        }
        context.writeAndFlush(wrapOutboundOut(.head(responseHead(response, version: version, keepAlive: keepAlive))), promise: nil)
        let loop = context.eventLoop.assumeIsolated()
        let delay = interval.timeAmount
        func step(_ offset: Int) {
            guard context.channel.isActive else {
                core.finish(ticket, status: nil, code: nil)
                return
            }
            if offset >= response.body.count {
                end(context: context, response: response, ticket: ticket, keepAlive: keepAlive)
                return
            }
            let end = min(response.body.count, offset + chunkSize)
            context.writeAndFlush(wrapOutboundOut(.body(.byteBuffer(buffer(context, response.body[offset..<end])))), promise: nil)
            loop.scheduleTask(in: delay) { step(end) }
        }
        loop.scheduleTask(in: delay) { step(0) }
    }

    private func writeTruncated(context: ChannelHandlerContext, response: OutgoingResponse, ticket: Ticket, version: HTTPVersion) {
        guard context.channel.isActive else {
            core.finish(ticket, status: nil, code: nil)
            return
        }
        context.write(wrapOutboundOut(.head(responseHead(response, version: version, keepAlive: false))), promise: nil)
        let half = response.body.count / 2
        if half > 0 {
            context.write(wrapOutboundOut(.body(.byteBuffer(buffer(context, response.body[0..<half])))), promise: nil)
        }
        context.flush()
        core.finish(ticket, status: response.status, code: response.businessCode)
        context.close(promise: nil)
    }

    static func traceId() -> String {
        let high = String(UInt64.random(in: 0...UInt64.max), radix: 16)
        let low = String(UInt64.random(in: 0...UInt64.max), radix: 16)
        return String(repeating: "0", count: 16 - high.count) + high + String(repeating: "0", count: 16 - low.count) + low
    }
}
