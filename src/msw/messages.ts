/** What the user would write to answer `method` on `pathname`, for the 501 message. */
function suggestHandler(method: string, pathname: string): string {
  const known = ['get', 'post', 'put', 'patch', 'delete', 'head', 'options']
  const lower = method.toLowerCase()
  const verb = known.includes(lower) ? lower : 'all'
  return `http.${verb}('${pathname}', () => HttpResponse.text('ok'))`
}

/** Body of the 501 answer to a request no msw handler answered. */
export function unhandledMessage(method: string, url: URL, passedThrough: boolean): string {
  const reason = passedThrough
    ? 'its msw handler returned passthrough(), and the test server has no other server behind it'
    : 'no msw handler returned a response for it'
  return (
    `keepalive-kit: Failed to answer ${method} ${url.href}: ${reason}. ` +
    `Did you forget to add a handler such as ${suggestHandler(method, url.pathname)}? ` +
    'Pass it to createTestServer({ handlers }) or fromHandlers(), or add it for one test with .use().\n'
  )
}

/** Body of the 500 answer to a request whose msw handler threw. */
export function threwMessage(method: string, url: URL, error: unknown): string {
  const thrown = error instanceof Error ? `${error.name}: ${error.message}` : String(error)
  const stack = error instanceof Error && error.stack !== undefined ? `\n\n${error.stack}` : ''
  return (
    `keepalive-kit: Failed to answer ${method} ${url.href}: its msw handler threw ${thrown}. ` +
    "Did you mean to answer with an error status? Return HttpResponse.text('...', { status: 500 }) instead.\n" +
    stack
  )
}
