const serverFlagsHelp = `Server flags:
  --port N               listen on port N (a free port when N is taken; the URL line says which).
                         Default: any free port
  --host H               address to bind. Default 127.0.0.1 (loopback)
  --no-keep-alive        answer every request with Connection: close and close the socket
  --idle-timeout MS      close a connection idle this long (exact; 0 = never). Default 5000
  --max-requests N       close a connection after N requests on it. Default: no limit
  --keep-alive-hint[=S]  send Keep-Alive: timeout=S (default: the idle timeout in seconds).
                         Off by default: clients stop reusing when the hint is short
  --tls                  serve HTTPS with a test certificate made for this run (for localhost,
                         127.0.0.1 and ::1); check makes the command trust it (see below)
  --http2                also speak HTTP/2: by ALPN h2 with --tls, else h2c by prior knowledge;
                         HTTP/1.1 clients keep working on the same port
  --journal J            which requests to keep in memory, for long load runs (default: all):
                           all        every request
                           last=N     the last N requests; reports judge those and say how
                                      many earlier ones were not kept
                           counts     no request records, only how many requests each
                                      connection carried (check: only --expect
                                      new-socket-per-request, connections=N, at-most=N)
                         Connection records are always kept whole
  --no-record-headers    keep no request headers (--json shows "headers": {}); the
                         Connection and Keep-Alive headers are still kept`

/** `keepalive-kit --help`. */
export const mainHelp = `keepalive-kit: tells whether an HTTP client really keeps HTTP/1.1 keep-alive.

Usage:
  keepalive-kit check [flags] -- <command> [args...]   run a client against a recording server
                                                       and judge its connection reuse
  keepalive-kit serve [flags]                          run a recording server and log each
                                                       connection and request until Ctrl-C
  keepalive-kit survey [flags]                         measure well-known clients

  keepalive-kit <command> --help                       flags and examples of a command
  keepalive-kit --version

Examples:
  keepalive-kit check -- curl -s {url} {url} {url}
  keepalive-kit check --expect new-socket-per-request -- python3 client.py {url}
  keepalive-kit check --tls -- curl -s {url} {url}
  keepalive-kit serve --idle-timeout 300
`

/** `keepalive-kit check --help`. */
export const checkHelp = `Usage: keepalive-kit check [flags] -- <command> [args...]

Starts a recording server on 127.0.0.1 (HTTP/1.1; HTTPS with --tls, HTTP/2 with --http2),
runs <command> with every {url} in its arguments replaced by the server's URL (also in the
environment as KEEPALIVE_URL), waits for it to exit, prints each request with the connection
that carried it, and judges the expectation.

Flags:
  --expect E             what the client should do (default: reuse):
                           reuse                   it reused its connections (1,1,1 or 1,2,1,2)
                           reuse-over=h2           it reused them, and every request went over h2
                                                   (also reuse-over=http/1.1)
                           new-socket-per-request  every request opened a new connection
                           connections=N           it used exactly N connections
                           at-most=N               it used at most N connections
  --timeout MS           stop the command (SIGTERM) if it runs longer than MS. Default: no limit
  --await-burst N        hold the first N responses until N requests are in flight at once, so
                         a concurrent burst reaches the server as one (see docs/matchers.md)
  --json                 print one JSON object instead of text
  --html FILE            also write FILE: a self-contained HTML page with the verdict, the
                         connection timeline as a picture and a table of the connections
  -h, --help             this help

${serverFlagsHelp}

With --tls the command trusts the test CA with no flag of its own: NODE_EXTRA_CA_CERTS,
SSL_CERT_FILE, REQUESTS_CA_BUNDLE and CURL_CA_BUNDLE name a file of node's root certificates
plus the test CA, and KEEPALIVE_CA a file of the test CA alone.

The command's own output goes to stderr; stdout carries only the report.

Exit codes:
  0  the expectation holds
  1  it does not, or no request reached the server
  2  usage error: an unknown flag, a bad value, no command
  3  the command failed: not found, non-zero exit, killed, timed out (no verdict is given)

Examples:
  keepalive-kit check -- curl -s {url} {url} {url}
  keepalive-kit check --expect new-socket-per-request -- sh -c 'curl -s {url}; curl -s {url}'
  keepalive-kit check --expect at-most=2 -- node client.js
      (client.js reads process.env.KEEPALIVE_URL)
  keepalive-kit check --no-keep-alive --expect new-socket-per-request -- curl -s {url} {url}
  keepalive-kit check --await-burst 5 -- python3 five-threads-then-five.py
  keepalive-kit check --journal last=1000 --no-record-headers -- node load.js
`

/** `keepalive-kit serve --help`. */
export const serveHelp = `Usage: keepalive-kit serve [flags]

Starts a recording server (HTTP/1.1; HTTPS with --tls, HTTP/2 with --http2) that answers
every request with 200 "ok", prints its URL, then one line per event as it happens: a
connection opening, each request (with the id of the connection that carried it and its
Connection header), a connection closing (who closed it and why). Ctrl-C (or SIGTERM) stops it and prints a summary: requests, connections, how many reused.

Flags:
  --json                 print one JSON object per line: {"event":"listening"|"connection"|
                         "request"|"connectionClose"|"summary", ...}
  --html FILE            on stop, also write FILE: a self-contained HTML page with the
                         connection timeline as a picture and a table of the connections
  -h, --help             this help

${serverFlagsHelp}

Examples:
  keepalive-kit serve
  keepalive-kit serve --port 8080 --idle-timeout 300
  keepalive-kit serve --no-keep-alive --json
  keepalive-kit serve --journal last=1000 --no-record-headers   (a long load run: k6, wrk)
  keepalive-kit serve --tls       (prints where the test CA's file is, to trust it)
`
