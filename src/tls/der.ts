/**
 * The few DER (ASN.1) encodings an X.509 certificate needs, built by hand so the toolkit makes
 * its test certificate with node:crypto alone. Each function returns one complete TLV.
 */

const length = (n: number): Buffer => {
  if (n < 0x80) return Buffer.from([n])
  const bytes: number[] = []
  for (let rest = n; rest > 0; rest = Math.floor(rest / 256)) bytes.unshift(rest % 256)
  return Buffer.from([0x80 | bytes.length, ...bytes])
}

/** One tag-length-value. */
const tlv = (tag: number, ...content: Buffer[]): Buffer => {
  const body = Buffer.concat(content)
  return Buffer.concat([Buffer.from([tag]), length(body.length), body])
}

export const sequence = (...items: Buffer[]): Buffer => tlv(0x30, ...items)
export const set = (...items: Buffer[]): Buffer => tlv(0x31, ...items)
export const octetString = (bytes: Buffer): Buffer => tlv(0x04, bytes)
export const utf8String = (text: string): Buffer => tlv(0x0c, Buffer.from(text, 'utf8'))
export const boolean = (value: boolean): Buffer => tlv(0x01, Buffer.from([value ? 0xff : 0]))
/** `[n] EXPLICIT`: a constructed context tag around one item. */
export const explicit = (n: number, item: Buffer): Buffer => tlv(0xa0 | n, item)
/** `[n] IMPLICIT` of a primitive: a context tag in place of the item's own. */
export const implicit = (n: number, bytes: Buffer): Buffer => tlv(0x80 | n, bytes)

/** A non-negative INTEGER from its big-endian bytes (a leading 0 keeps it positive). */
export const integer = (bytes: Buffer): Buffer => {
  let start = 0
  while (start < bytes.length - 1 && bytes[start] === 0 && (bytes[start + 1] ?? 0) < 0x80) start++
  const trimmed = bytes.subarray(start)
  return tlv(0x02, (trimmed[0] ?? 0) >= 0x80 ? Buffer.concat([Buffer.from([0]), trimmed]) : trimmed)
}

/** A BIT STRING of whole bytes (a public key, a signature). */
export const bitString = (bytes: Buffer): Buffer => tlv(0x03, Buffer.from([0]), bytes)

/** A BIT STRING of named bits (key usage): bit 0 is the most significant; trailing zeros cut. */
export const namedBits = (bits: readonly number[]): Buffer => {
  const highest = Math.max(...bits)
  const bytes = Buffer.alloc(Math.floor(highest / 8) + 1)
  for (const bit of bits) bytes[bit >> 3] = (bytes[bit >> 3] ?? 0) | (0x80 >> (bit & 7))
  const unused = 7 - (highest & 7)
  return tlv(0x03, Buffer.from([unused]), bytes)
}

/** An OBJECT IDENTIFIER from its dotted form. */
export const oid = (dotted: string): Buffer => {
  const [first = 0, second = 0, ...rest] = dotted.split('.').map(Number)
  const bytes = [40 * first + second]
  for (const arc of rest) {
    const groups = [arc & 0x7f]
    for (let value = Math.floor(arc / 128); value > 0; value = Math.floor(value / 128))
      groups.unshift(0x80 | (value & 0x7f))
    bytes.push(...groups)
  }
  return tlv(0x06, Buffer.from(bytes))
}

/** UTCTime (years before 2050), as X.509 requires for those years: `YYMMDDHHMMSSZ`. */
export const utcTime = (date: Date): Buffer => {
  const text = date.toISOString().replace(/[-:T]/g, '').slice(2, 14)
  return tlv(0x17, Buffer.from(`${text}Z`, 'ascii'))
}
