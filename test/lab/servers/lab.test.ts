import { createSocket } from 'node:dgram';
import { createServer, type Server } from 'node:net';
import { expect } from 'chai';
import type { LabPki } from '../../../lab/pki/lab-pki.ts';
import { labHosts, startLab } from '../../../lab/servers/lab.ts';
import { describeLab } from '../../../lab/servers/lab-listing.ts';
import { SERVER_KIND_SPECS, SERVER_KINDS, type ServerKind } from '../../../lab/servers/server-kinds.ts';
import { sharedTestPki } from '../pki/shared-test-pki.ts';
import { EventLog } from './event-log.ts';
import { closed, echoRoundTrip, openTcp, openTls } from './lab-clients.ts';

function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const probe = createServer().listen(0, '127.0.0.1', () => {
      const { port } = probe.address() as { port: number };
      probe.close(() => resolve(port));
    });
  });
}

function occupyPort(): Promise<Server> {
  return new Promise((resolve) => {
    const server = createServer().listen(0, '127.0.0.1', () => resolve(server));
  });
}

async function rejection(promise: Promise<unknown>): Promise<Error> {
  try {
    await promise;
  } catch (error) {
    return error as Error;
  }
  throw new Error('expected a rejection');
}

describe('lab/servers startLab', () => {
  let pki: LabPki;

  before(async function () {
    this.timeout(30_000); // the first run of the suite may have to generate the PKI
    pki = await sharedTestPki();
  });

  it('starts every kind by default, each on its own loopback port, with the lab PKI', async () => {
    const lab = await startLab({ pki });
    try {
      expect(Object.keys(lab.servers)).to.have.members([...SERVER_KINDS]);
      const tcpPorts = SERVER_KINDS.filter((kind) => kind !== 'udp-echo').map(
        (kind) => lab.server(kind).port,
      );
      expect(new Set(tcpPorts).size).to.equal(tcpPorts.length);
      for (const kind of SERVER_KINDS) expect(lab.server(kind).address).to.equal('127.0.0.1');
      expect(lab.caPath).to.equal(pki.caPath);
      expect(lab.pki.clientCertPem).to.equal(pki.clientCertPem);
      const listing = describeLab(lab);
      expect(listing).to.include(`badssl-sha1`);
      expect(listing).to.include(`sha1.tlssim.test:${lab.server('badssl-sha1').port}`);
      expect(listing).to.include(`CA: ${pki.caPath}`);
    } finally {
      await lab.close();
    }
  });

  it('gives the modem a hosts table that maps every lab name to 127.0.0.1', async () => {
    const lab = await startLab({ kinds: ['tls-echo'], pki });
    try {
      expect(lab.hosts).to.deep.equal(labHosts());
      expect(lab.hosts['echo.tlssim.test']).to.equal('127.0.0.1');
      expect(lab.hosts['wrong.host.tlssim.test']).to.equal('127.0.0.1');
      expect(lab.hosts['mtls.tlssim.test']).to.equal('127.0.0.1');
      expect(Object.values(lab.hosts).every((address) => address === '127.0.0.1')).to.equal(true);
      // Names of servers that are not running resolve too (the connection is then refused, not the lookup).
      for (const kind of SERVER_KINDS)
        expect(lab.hosts[SERVER_KIND_SPECS[kind].hostname]).to.equal('127.0.0.1');
    } finally {
      await lab.close();
    }
  });

  it('starts only the kinds asked for, and says so when another is asked for', async () => {
    const lab = await startLab({ kinds: ['tcp-echo', 'udp-echo'], pki });
    try {
      expect(Object.keys(lab.servers)).to.have.members(['tcp-echo', 'udp-echo']);
      expect(() => lab.server('tls-echo')).to.throw(/lab server tls-echo is not running/);
      expect(() => lab.stats('tls-echo')).to.throw(/not running/);
    } finally {
      await lab.close();
    }
  });

  it('uses fixed ports when given (like the Greentea 2007/2009/2013)', async () => {
    const port = await freePort();
    const lab = await startLab({ kinds: ['tcp-echo'], ports: { 'tcp-echo': port }, pki });
    try {
      expect(lab.server('tcp-echo').port).to.equal(port);
      const socket = await openTcp(lab.server('tcp-echo'));
      expect((await echoRoundTrip(socket, Buffer.from('fixed'))).toString()).to.equal('fixed');
      socket.destroy();
    } finally {
      await lab.close();
    }
  });

  it('fails clearly on a port in use, and leaves nothing running', async () => {
    const blocker = await occupyPort();
    const { port } = blocker.address() as { port: number };
    const echoPort = await freePort();
    try {
      const error = await rejection(
        startLab({ kinds: ['tcp-echo', 'tls-echo'], ports: { 'tls-echo': port, 'tcp-echo': echoPort }, pki }),
      );
      expect(error.message).to.match(
        new RegExp(`lab server tls-echo failed to start on port ${port}: .*EADDRINUSE`),
      );
      // The tcp-echo that did start was closed again: its port is free.
      const again = await startLab({ kinds: ['tcp-echo'], ports: { 'tcp-echo': echoPort }, pki });
      await again.close();
    } finally {
      blocker.close();
    }
  });

  it('refuses unknown kinds and bad ports with clear errors', async () => {
    const unknown = await rejection(startLab({ kinds: ['tls-echo', 'gopher' as ServerKind], pki }));
    expect(unknown.message).to.match(/unknown lab server kind\(s\) gopher; known: tcp-echo/);
    const badPort = await rejection(startLab({ kinds: ['tcp-echo'], ports: { 'tcp-echo': 70_000 }, pki }));
    expect(badPort.message).to.match(/port for lab server tcp-echo must be an integer 0\.\.65535, got 70000/);
    const notStarted = await rejection(startLab({ kinds: ['tcp-echo'], ports: { 'tls-echo': 2007 }, pki }));
    expect(notStarted.message).to.match(/port given for lab server tls-echo, which is not started/);
  });

  it('close() returns with connections still open (idle, mid-handshake, mid-echo) and closes them', async function () {
    this.timeout(5_000); // close() must not wait for clients; a hang fails here
    const log = new EventLog();
    const lab = await startLab({
      kinds: ['tcp-echo', 'tls-echo', 'tcp-daytime', 'udp-echo'],
      pki,
      onEvent: log.hook,
    });
    const idle = await openTcp(lab.server('tcp-echo'));
    const busy = await openTcp(lab.server('tcp-echo'));
    busy.on('data', () => {}); // keeps the server writing
    busy.write(Buffer.alloc(1 << 20));
    const handshaking = await openTcp(lab.server('tls-echo')); // raw TCP: the handshake never starts
    const secure = await openTls(lab.server('tls-echo'), { ca: pki.caPem });
    idle.on('error', () => {});
    busy.on('error', () => {});
    handshaking.on('error', () => {});
    secure.on('error', () => {});
    await log.until(() => lab.stats('tcp-echo').active === 2 && lab.stats('tls-echo').active === 2);
    await lab.close();
    await Promise.all([closed(idle), closed(busy), closed(handshaking), closed(secure)]);
    expect(lab.stats('tcp-echo').active).to.equal(0);
    expect(lab.stats('tls-echo').active).to.equal(0);
    const refused = await rejection(openTcp(lab.server('tcp-echo')));
    expect((refused as NodeJS.ErrnoException).code).to.equal('ECONNREFUSED');
    // The UDP port is released too: it can be bound again.
    await new Promise<void>((resolve, reject) => {
      const socket = createSocket('udp4');
      socket.once('error', reject);
      socket.bind(lab.server('udp-echo').port, '127.0.0.1', () => socket.close(() => resolve()));
    });
    await lab.close(); // a second close is harmless
  });
});
