import { ServerResponse } from 'node:http'
import { connectionOf } from './connection.js'

/**
 * The responses of a test server over HTTP/1.1 (node:http's `ServerResponse` option). After the
 * handler ends one, bytes left in its socket's buffer mean node could not finish writing it yet
 * (the client is not reading): the connection notes when it was ended
 * (`Connection.unfinishedSince`). Checked here rather than by a `'prefinish'` listener on each
 * response, which cost more than the rest of recording a request.
 */
export class RecordedResponse extends ServerResponse {
  // Node's own parameters, passed on as they came: no rest array per response.
  override end(chunk?: unknown, encoding?: unknown, callback?: unknown): this {
    super.end(chunk, encoding as BufferEncoding, callback as () => void)
    // Only the response the socket is writing has it: one queued behind another (pipelining) is
    // not written yet, so it is busy, not ended, until its turn.
    const socket = this.socket
    if (socket !== null && socket.writableLength > 0) connectionOf(socket)?.endedUnfinished(this)
    return this
  }
}
