// The BG96 CellularStack with the offloaded TLSSocket (MBED_CONF_NSAPI_OFFLOAD_TLSSOCKET, reference
// §6.5–6.11): setsockopt(NSAPI_TLSSOCKET_LEVEL, …) uploads credentials with AT+QFUPL and configures SSL
// context 0 with AT+QSSLCFG; TLS sockets open with AT+QSSLOPEN and move plaintext with QSSLSEND/QSSLRECV.
import {
  NSAPI_ERROR_AUTH_FAILURE,
  NSAPI_ERROR_DEVICE_ERROR,
  NSAPI_ERROR_IS_CONNECTED,
  NSAPI_ERROR_NO_SOCKET,
  NSAPI_ERROR_OK,
  NSAPI_ERROR_PARAMETER,
  NSAPI_ERROR_UNSUPPORTED,
  NSAPI_TLSSOCKET_ENABLE,
  NSAPI_TLSSOCKET_LEVEL,
  NSAPI_TLSSOCKET_SET_CACERT,
  NSAPI_TLSSOCKET_SET_CLCERT,
  NSAPI_TLSSOCKET_SET_CLKEY,
  NSAPI_TLSSOCKET_SET_HOSTNAME,
} from '../../shared/nsapi.ts';
import type { SocketAddress } from '../../shared/socket-address.ts';
import type { nsapi_socket_t } from '../netsocket/network-stack.ts';
import { AtError } from './at-error.ts';
import type { ATHandler } from './at-handler.ts';
import type { CellularSocket } from './cellular-socket.ts';
import {
  atAddressText,
  atInt,
  BG96_CLOSE_SOCKET_TIMEOUT_MS,
  BG96_MAX_SEND_SIZE,
  BG96_SOCKET_COUNT,
  params,
  QUECTEL_BG96_CellularStack,
} from './quectel-bg96-stack.ts';

/** sslctxID: the driver uses one SSL context. */
const SSL_CTX = 0;

/** What each credential option uploads, and the AT+QSSLCFG key that points at the file. */
const CREDENTIALS: Record<number, { file: string; key: string; level: number }> = {
  [NSAPI_TLSSOCKET_SET_CACERT]: { file: 'cacert.pem', key: 'cacert', level: 1 },
  [NSAPI_TLSSOCKET_SET_CLCERT]: { file: 'clcert.pem', key: 'clientcert', level: 2 },
  [NSAPI_TLSSOCKET_SET_CLKEY]: { file: 'client.key', key: 'clientkey', level: 2 },
};

export class QUECTEL_BG96_SslStack extends QUECTEL_BG96_CellularStack {
  /** 0 no authentication, 1 server, 2 server + client; shared by all sockets, reset on every TLS close */
  private _tls_sec_level = 0;

  constructor(at: ATHandler, cid: number) {
    super(at, cid);
    at.setUrcHandler('+QSSLURC: "recv', (line) => this.onSslUrc(line, 'recv'));
    at.setUrcHandler('+QSSLURC: "close', (line) => this.onSslUrc(line, 'closed'));
  }

  /** The modem may outlive an MCU reset: close SSL sockets a previous run left open (errors ignored). */
  async init(): Promise<void> {
    for (let id = 0; id < BG96_SOCKET_COUNT; id++) {
      await this.at.run(async (cmd) => {
        cmd.send(`+QSSLCLOSE=${id}`);
        await cmd.ok();
      });
    }
  }

  get tls_sec_level(): number {
    return this._tls_sec_level;
  }

  private onSslUrc(line: string, kind: 'recv' | 'closed'): void {
    const id = Number(params(line.slice(line.indexOf(':') + 1))[1]);
    const socket = this.sockets.find((s) => s && s.id === id && s.tls);
    if (!socket) return;
    if (kind === 'closed') socket.closed = true;
    socket.notify();
  }

  async setsockopt(
    handle: nsapi_socket_t | null,
    level: number,
    optname: number,
    optval: Uint8Array | null,
  ): Promise<number> {
    if (level !== NSAPI_TLSSOCKET_LEVEL) return NSAPI_ERROR_UNSUPPORTED;
    if (!optval) return NSAPI_ERROR_PARAMETER;
    const socket = this.record(handle);
    if (!socket) return NSAPI_ERROR_NO_SOCKET;
    switch (optname) {
      case NSAPI_TLSSOCKET_ENABLE:
        // The driver checks the option pointer, not the bool: ENABLE with false enables too (kept, see
        // docs/deviations.md).
        if (!socket.isTcp) return NSAPI_ERROR_PARAMETER;
        socket.tls = true;
        return this.config_commands([
          `+QSSLCFG="seclevel",${SSL_CTX},${this._tls_sec_level}`,
          `+QSSLCFG="sslversion",${SSL_CTX},4`,
          `+QSSLCFG="ciphersuite",${SSL_CTX},0xFFFF`,
        ]);
      case NSAPI_TLSSOCKET_SET_HOSTNAME: {
        // The driver writes the value as a C string: up to the first NUL, whatever optlen says.
        const nul = optval.indexOf(0);
        const hostname = Buffer.from(nul >= 0 ? optval.subarray(0, nul) : optval).toString('latin1');
        return this.config_commands([`+QSSLCFG="checkhost",${SSL_CTX},"${hostname}"`]);
      }
      case NSAPI_TLSSOCKET_SET_CACERT:
      case NSAPI_TLSSOCKET_SET_CLCERT:
      case NSAPI_TLSSOCKET_SET_CLKEY: {
        const credential = CREDENTIALS[optname];
        const ret = await this.set_to_modem(credential.file, credential.key, optval);
        if (ret === NSAPI_ERROR_OK) {
          this._tls_sec_level = credential.level === 1 ? Math.max(this._tls_sec_level, 1) : 2;
        }
        return ret;
      }
      default:
        return NSAPI_ERROR_UNSUPPORTED;
    }
  }

  private async config_commands(bodies: string[]): Promise<number> {
    const result = await this.at.run(async (cmd) => {
      for (const body of bodies) {
        cmd.send(body);
        await cmd.ok();
      }
      return NSAPI_ERROR_OK;
    });
    return QUECTEL_BG96_CellularStack.atResult(result);
  }

  /** QFDEL (error ignored: the file may not exist), QFUPL with CONNECT, then QSSLCFG pointing at the file. */
  private async set_to_modem(file: string, key: string, data: Uint8Array): Promise<number> {
    // One AT lock for the whole sequence (as the driver), so two uploads cannot interleave.
    const result = await this.at.run(async (cmd) => {
      cmd.send(`+QFDEL="${file}"`);
      try {
        await cmd.ok();
      } catch (error) {
        // Not found (or any modem refusal) is expected and ignored; a silent modem is not.
        if (!(error instanceof AtError) || error.failure === 'timeout' || error.failure === 'closed')
          throw error;
      }
      cmd.send(`+QFUPL="${file}",${data.length}`);
      await cmd.prompt('CONNECT');
      cmd.writeBytes(data);
      const uploaded = atInt(params(await cmd.info('+QFUPL:'))[0], 'the uploaded size');
      await cmd.ok();
      if (uploaded !== data.length) {
        throw new AtError('error', `+QFUPL reported ${uploaded} bytes of ${data.length}`);
      }
      cmd.send(`+QSSLCFG="${key}",${SSL_CTX},"${file}"`);
      await cmd.ok();
      return NSAPI_ERROR_OK;
    });
    return QUECTEL_BG96_CellularStack.atResult(result);
  }

  async socket_connect(handle: nsapi_socket_t | null, address: SocketAddress): Promise<number> {
    const socket = this.record(handle);
    if (!socket?.tls) return super.socket_connect(handle, address);
    if (socket.connected) return NSAPI_ERROR_IS_CONNECTED; // deviation: see docs/deviations.md
    if (this._tls_sec_level === 0) return NSAPI_ERROR_AUTH_FAILURE; // no CA or client certificate uploaded
    const body = `+QSSLOPEN=${this.cid},${SSL_CTX},${socket.slot},"${atAddressText(address)}",${address.get_port()},0`;
    let err = await this.open_and_wait(body, '+QSSLOPEN:', socket.slot);
    if (err > 0) {
      // The driver closes the failed id with QICLOSE (its modem id is not assigned yet) and retries once.
      await this.close_id(socket.slot);
      err = await this.open_and_wait(body, '+QSSLOPEN:', socket.slot);
    }
    if (err !== 0) return NSAPI_ERROR_AUTH_FAILURE;
    socket.id = socket.slot;
    socket.closed = false;
    socket.connected = true;
    socket.remote.set_addr(address.get_addr());
    socket.remote.set_port(address.get_port());
    return NSAPI_ERROR_OK;
  }

  protected async send_tcp(socket: CellularSocket, data: Uint8Array): Promise<number> {
    if (!socket.tls) return super.send_tcp(socket, data);
    const result = await this.at.run(async (cmd) => {
      for (let offset = 0; offset < data.length; offset += BG96_MAX_SEND_SIZE) {
        const chunk = data.subarray(offset, offset + BG96_MAX_SEND_SIZE);
        await this.send_chunk(cmd, `+QSSLSEND=${socket.id},${chunk.length}`, chunk);
      }
      return data.length;
    });
    return QUECTEL_BG96_CellularStack.atResult(result);
  }

  protected read_tcp(socket: CellularSocket, buffer: Uint8Array): Promise<number> {
    return this.read_stream(socket, buffer, socket.tls ? 'QSSLRECV' : 'QIRD');
  }

  /** QSSLCLOSE, then seclevel back to 0 so the next TLS socket cannot inherit credentials. */
  protected async close_modem_socket(socket: CellularSocket): Promise<number> {
    if (!socket.tls) return super.close_modem_socket(socket);
    const result = await this.at.run(async (cmd) => {
      cmd.send(`+QSSLCLOSE=${socket.id}`);
      await cmd.ok();
      this._tls_sec_level = 0;
      cmd.send(`+QSSLCFG="seclevel",${SSL_CTX},0`);
      await cmd.ok();
      return NSAPI_ERROR_OK;
    }, BG96_CLOSE_SOCKET_TIMEOUT_MS);
    socket.id = -1;
    socket.connected = false;
    return result instanceof AtError ? NSAPI_ERROR_DEVICE_ERROR : result;
  }
}
