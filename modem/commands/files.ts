import { type CommandTable, INVALID_PARAMS } from '../at/command-table.ts';
import { cmeError, dataPhase, ok } from '../at/response.ts';
import type { ModemContext } from '../modem-context.ts';
import { qfuplChecksum } from '../ufs/checksum.ts';
import { FileStore, UFS_ERROR } from '../ufs/file-store.ts';

/** AT+QFUPL's default <timeout>, seconds: how long the modem waits for more data. */
const DEFAULT_UPLOAD_TIMEOUT_S = 5;
/** ackmode 1: the modem writes `A` after every 1024 bytes received. */
const ACK_BLOCK = 1024;

/** AT+QFUPL, AT+QFDEL, AT+QFLST, AT+QFLDS: the UFS store offload mode keeps certificates in. */
export function registerFileCommands(table: CommandTable, ctx: ModemContext): void {
  const { files } = ctx;
  const invalid = INVALID_PARAMS.files;

  table.register(
    '+QFUPL',
    {
      test: () => ok('+QFUPL: <filename>,(1-<freesize>),(1-65535),(0,1)'),
      write: ({ params }) => {
        params.expectCount(2, 4);
        const name = FileStore.normalize(params.string(0));
        const size = params.int(1, 1, files.capacity);
        const timeoutS = params.optInt(2, 1, 65535, DEFAULT_UPLOAD_TIMEOUT_S);
        const ackMode = params.optInt(3, 0, 1, 0);
        if (name === undefined) return cmeError(UFS_ERROR.invalidName);
        if (files.has(name)) return cmeError(UFS_ERROR.exists);
        if (size > files.free) return cmeError(UFS_ERROR.noSpace);
        return dataPhase({
          prompt: '\r\nCONNECT\r\n',
          length: size,
          ackEvery: ackMode === 1 ? ACK_BLOCK : undefined,
          idleTimeoutMs: ctx.options.uploadTimeoutMs ?? timeoutS * 1000,
          complete: (data) => {
            // Checked again: the name may have been taken while the data was on its way.
            if (files.has(name)) return cmeError(UFS_ERROR.exists);
            files.write(name, data);
            ctx.log.info(`ufs: stored ${name} (${data.length} bytes)`);
            return ok(`+QFUPL: ${data.length},${qfuplChecksum(data)}`);
          },
          // Nothing is kept of an incomplete upload.
          timedOut: (received) => {
            ctx.log.warn(`ufs: upload of ${name} timed out after ${received} of ${size} bytes`);
            return cmeError(UFS_ERROR.timeout);
          },
        });
      },
    },
    invalid,
  );

  table.register(
    '+QFDEL',
    {
      test: () => ok('+QFDEL: <filename>'),
      write: ({ params }) => {
        const pattern = params.expectCount(1).string(0);
        if (pattern === '*' || /^UFS:\*$/i.test(pattern)) {
          files.deleteAll();
          return ok();
        }
        const name = FileStore.normalize(pattern);
        if (name === undefined) return cmeError(UFS_ERROR.invalidName);
        return files.delete(name) ? ok() : cmeError(UFS_ERROR.notFound);
      },
    },
    invalid,
  );

  const listing = (pattern: string) => {
    const found = files.list(pattern);
    const exact = pattern !== '*' && !/^UFS:\*$/i.test(pattern);
    if (exact && found.length === 0) return cmeError(UFS_ERROR.notFound);
    return ok(...found.map((file) => `+QFLST: "${file.name}",${file.size}`));
  };
  table.register(
    '+QFLST',
    {
      test: () => ok(),
      exec: () => listing('*'),
      write: ({ params }) => listing(params.expectCount(1).string(0)),
    },
    invalid,
  );

  table.register(
    '+QFLDS',
    {
      test: () => ok('+QFLDS: "UFS"'),
      exec: () => ok(`+QFLDS: ${files.free},${files.capacity}`),
      write: ({ params }) =>
        /^UFS$/i.test(params.expectCount(1).string(0))
          ? ok(`+QFLDS: ${files.free},${files.capacity}`)
          : cmeError(UFS_ERROR.invalidInput),
    },
    invalid,
  );
}
