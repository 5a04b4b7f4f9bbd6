// The BG96 driver's offloaded-TLSSocket part (the #if MBED_CONF_NSAPI_OFFLOAD_TLSSOCKET code of mbed-os
// QUECTEL_BG96_CellularStack.cpp): setsockopt(NSAPI_TLSSOCKET_LEVEL, …) uploads credentials with
// AT+QFUPL and configures SSL context 0 with AT+QSSLCFG (Quectel BG96 SSL AT Commands Manual), and
// NSAPI_TLSSOCKET_ENABLE gives the socket the SSL command family: AT+QSSLOPEN / QSSLSEND / QSSLRECV /
// QSSLCLOSE, URC +QSSLURC.
import {
  NSAPI_ERROR_AUTH_FAILURE,
  NSAPI_ERROR_OK,
  NSAPI_ERROR_PARAMETER,
  NSAPI_ERROR_UNSUPPORTED,
  NSAPI_TLSSOCKET_ENABLE,
  NSAPI_TLSSOCKET_SET_CACERT,
  NSAPI_TLSSOCKET_SET_CLCERT,
  NSAPI_TLSSOCKET_SET_CLKEY,
  NSAPI_TLSSOCKET_SET_HOSTNAME,
  TLSSIM_TLSSOCKET_SESSION_RESUMPTION,
} from '../../shared/nsapi.ts';
import { AtError } from './at-error.ts';
import type { ATCommand, ATHandler } from './at-handler.ts';
import { atInt, params } from './at-params.ts';
import { atAddressText, type Bg96SocketFamily } from './bg96-socket-family.ts';
import type { CellularSocket } from './cellular-socket.ts';

/** sslctxID: the driver uses one SSL context. */
const SSL_CTX = 0;

/** What each credential option uploads, and the AT+QSSLCFG key that points at the file. */
const CREDENTIALS: Record<number, { file: string; key: string; level: number }> = {
  [NSAPI_TLSSOCKET_SET_CACERT]: { file: 'cacert.pem', key: 'cacert', level: 1 },
  [NSAPI_TLSSOCKET_SET_CLCERT]: { file: 'clcert.pem', key: 'clientcert', level: 2 },
  [NSAPI_TLSSOCKET_SET_CLKEY]: { file: 'client.key', key: 'clientkey', level: 2 },
};

export class QUECTEL_BG96_TlsOffload {
  /** 0 no authentication, 1 server, 2 server + client; shared by all sockets, reset on every TLS close */
  private _tls_sec_level = 0;

  /** The commands of a socket made secure; they read and reset the shared security level. */
  readonly family: Bg96SocketFamily = {
    open: '+QSSLOPEN',
    send: '+QSSLSEND',
    read: '+QSSLRECV',
    urc: '+QSSLURC',
    countsSentBytes: false,
    // As the driver: no CA or client certificate uploaded is AUTH_FAILURE; the address goes to the
    // modem as given.
    checkConnect: () => (this._tls_sec_level === 0 ? NSAPI_ERROR_AUTH_FAILURE : NSAPI_ERROR_OK),
    tcpOpenArgs: (cid, id, remote) =>
      `=${cid},${SSL_CTX},${id},"${atAddressText(remote)}",${remote.get_port()},0`,
    // handle_open_socket_response: any failed AT+QSSLOPEN is an authentication failure.
    openError: () => NSAPI_ERROR_AUTH_FAILURE,
    // Then seclevel back to 0, so the next TLS socket cannot inherit this one's credentials.
    close: async (cmd, id) => {
      await cmd.at_cmd_discard('+QSSLCLOSE', `=${id}`);
      this._tls_sec_level = 0;
      await cmd.at_cmd_discard('+QSSLCFG', `="seclevel",${SSL_CTX},0`);
    },
  };

  constructor(private readonly at: ATHandler) {}

  get tls_sec_level(): number {
    return this._tls_sec_level;
  }

  /**
   * The modem may outlive an MCU reset: close the SSL sockets a previous run left open (errors
   * ignored). The driver does this in its constructor.
   */
  async close_stale_sockets(count: number): Promise<void> {
    for (let id = 0; id < count; id++) await this.at.at_cmd_discard('+QSSLCLOSE', `=${id}`);
  }

  /** setsockopt at NSAPI_TLSSOCKET_LEVEL; optval is not null (the stack answered PARAMETER for it). */
  async setsockopt(socket: CellularSocket, optname: number, optval: Uint8Array): Promise<number> {
    switch (optname) {
      case NSAPI_TLSSOCKET_ENABLE:
        // The driver checks the option pointer, not the bool: ENABLE with false enables too (kept, see
        // docs/deviations.md).
        if (!socket.isTcp) return NSAPI_ERROR_PARAMETER;
        socket.family = this.family;
        return this.result(
          await this.at.run(async (cmd) => {
            await cmd.at_cmd_discard('+QSSLCFG', `="seclevel",${SSL_CTX},${this._tls_sec_level}`);
            await cmd.at_cmd_discard('+QSSLCFG', `="sslversion",${SSL_CTX},4`);
            await cmd.at_cmd_discard('+QSSLCFG', `="ciphersuite",${SSL_CTX},0xFFFF`);
          }),
        );
      case NSAPI_TLSSOCKET_SET_HOSTNAME: {
        // The driver writes the value as a C string: up to the first NUL, whatever optlen says.
        const nul = optval.indexOf(0);
        const hostname = Buffer.from(nul >= 0 ? optval.subarray(0, nul) : optval).toString('latin1');
        return this.at.at_cmd_discard('+QSSLCFG', `="checkhost",${SSL_CTX},"${hostname}"`);
      }
      case NSAPI_TLSSOCKET_SET_CACERT:
      case NSAPI_TLSSOCKET_SET_CLCERT:
      case NSAPI_TLSSOCKET_SET_CLKEY: {
        const credential = CREDENTIALS[optname];
        const ret = await this.set_to_modem_impl(credential.file, credential.key, optval);
        if (ret === NSAPI_ERROR_OK) {
          this._tls_sec_level = credential.level === 1 ? Math.max(this._tls_sec_level, 1) : 2;
        }
        return ret;
      }
      case TLSSIM_TLSSOCKET_SESSION_RESUMPTION:
        // tlssim's extension (docs/deviations.md): the manual's "session" setting of the SSL context.
        return this.at.at_cmd_discard('+QSSLCFG', `="session",${SSL_CTX},${optval[0] ? 1 : 0}`);
      default:
        return NSAPI_ERROR_UNSUPPORTED;
    }
  }

  /** QFDEL (error ignored: the file may not exist), QFUPL with CONNECT, then QSSLCFG pointing at the file. */
  private async set_to_modem_impl(file: string, key: string, data: Uint8Array): Promise<number> {
    // One AT lock for the whole sequence (as the driver), so two uploads cannot interleave.
    return this.result(
      await this.at.run(async (cmd) => {
        await this.delete_file(cmd, file);
        cmd.send(`+QFUPL="${file}",${data.length}`);
        await cmd.prompt('CONNECT');
        cmd.writeBytes(data);
        const uploaded = atInt(params(await cmd.info('+QFUPL:'))[0], 'the uploaded size');
        await cmd.ok();
        if (uploaded !== data.length) {
          throw new AtError('error', `+QFUPL reported ${uploaded} bytes of ${data.length}`);
        }
        await cmd.at_cmd_discard('+QSSLCFG', `="${key}",${SSL_CTX},"${file}"`);
      }),
    );
  }

  /** AT+QFDEL: not found (or any modem refusal) is expected and ignored; a silent modem is not. */
  private async delete_file(cmd: ATCommand, file: string): Promise<void> {
    try {
      await cmd.at_cmd_discard('+QFDEL', `="${file}"`);
    } catch (error) {
      if (!(error instanceof AtError) || error.failure === 'timeout' || error.failure === 'closed')
        throw error;
    }
  }

  private result(outcome: unknown): number {
    return outcome instanceof AtError ? outcome.nsapiError : NSAPI_ERROR_OK;
  }
}
