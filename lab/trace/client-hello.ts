// The server name a ClientHello carries in clear (the SNI extension): what a UART observer learns
// about where the device connects even when everything else is encrypted.

/** `body` is the ClientHello without its 4-byte handshake header; DTLS adds a cookie after the session id. */
export function clientHelloServerName(body: Buffer, dtls = false): string | undefined {
  try {
    let at = 2 + 32; // client_version, random
    at += 1 + body[at]; // session_id
    if (dtls) at += 1 + body[at]; // cookie
    at += 2 + body.readUInt16BE(at); // cipher_suites
    at += 1 + body[at]; // compression_methods
    const end = at + 2 + body.readUInt16BE(at);
    at += 2;
    while (at + 4 <= end && at + 4 <= body.length) {
      const type = body.readUInt16BE(at);
      const length = body.readUInt16BE(at + 2);
      if (type === 0) {
        // server_name_list: length(2), then entries of name_type(1), length(2), name
        const nameLength = body.readUInt16BE(at + 4 + 3);
        if (body[at + 4 + 2] !== 0) return undefined;
        return body.subarray(at + 4 + 5, at + 4 + 5 + nameLength).toString('latin1');
      }
      at += 4 + length;
    }
  } catch {
    // A truncated or odd ClientHello simply has no name to show.
  }
  return undefined;
}
