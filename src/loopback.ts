/**
 * Whether `host` names this machine's loopback interface: `localhost` (and `*.localhost`),
 * `127.x.x.x`, `::1`, or an IPv4-mapped `127.x` address.
 */
export const isLoopback = (host: string): boolean =>
  host === 'localhost' ||
  host.endsWith('.localhost') ||
  host === '::1' ||
  /^127\.\d+\.\d+\.\d+$/.test(host) ||
  /^::ffff:(127\.|7f)/i.test(host)
