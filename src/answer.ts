import type { IncomingMessage, ServerResponse } from 'node:http'
import type { Connection } from './connection.js'
import { answersNothing, checkFault, injectFault } from './faults.js'
import type { Fault, RecordedRequest, RequestHandler } from './types.js'

/** What a test server answers when no handler is given: `200 ok`. */
export const defaultHandler: RequestHandler = (_req, res) => {
  res.writeHead(200, { 'content-type': 'text/plain', 'content-length': '2' }).end('ok')
}

/**
 * A handler that threw or rejected: a 500 that quotes the error, or, when the status is out
 * already, a cut connection, the only way left to tell the client the answer is broken.
 */
function handlerFailed(res: ServerResponse, connection: Connection, error: unknown): void {
  const cause = error instanceof Error ? error : new Error(String(error))
  if (res.headersSent) return void connection.destroy('error', cause)
  res
    .writeHead(500, { 'content-type': 'text/plain' })
    .end(`keepalive-kit: the test server's handler threw:\n${cause.stack ?? cause.message}\n`)
}

function runHandler(
  handler: RequestHandler,
  req: IncomingMessage,
  res: ServerResponse,
  connection: Connection,
): void {
  try {
    const result = handler(req, res)
    if (result instanceof Promise)
      result.catch((error: unknown) => handlerFailed(res, connection, error))
  } catch (error) {
    handlerFailed(res, connection, error)
  }
}

/**
 * Answers one request: puts the fault `pickFault` picks for its record, if any, on the
 * response, then lets the handler answer unless the fault left nothing to answer. No record
 * (`undefined`) when the server has no fault to pick.
 */
export function answer(
  req: IncomingMessage,
  res: ServerResponse,
  connection: Connection,
  handler: RequestHandler,
  pickFault: (request: RecordedRequest) => Fault | undefined,
  request: RecordedRequest | undefined,
): void {
  let fault: Fault | undefined
  try {
    fault = request === undefined ? undefined : pickFault(request)
    if (fault !== undefined) checkFault(fault)
  } catch (error) {
    handlerFailed(res, connection, error)
    return
  }
  if (fault === undefined) {
    runHandler(handler, req, res, connection)
    return
  }
  const picked = fault
  injectFault(res, picked).then(
    () => {
      if (!answersNothing(picked) && !req.socket.destroyed)
        runHandler(handler, req, res, connection)
    },
    (error: unknown) => handlerFailed(res, connection, error),
  )
}
